/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * HTTP Digest (RFC 7616 / RFC 2617) with AKAv1-MD5 (RFC 3310) for Ub and Ua: the one
 * parser for WWW-Authenticate, Authorization and Authentication-Info values, the three
 * header builders, the request-digest / rspauth computation on OpenSSL MD5, and the
 * AKA nonce codec (base64(RAND || AUTN || server data)).
 *
 * The parser is written by hand because no library here offers one we can use: libcurl
 * refuses to answer algorithm=AKAv1-MD5 and does not expose its parser, and libmicrohttpd
 * only knows MD5/SHA-256 with its own nonces (it cannot send an AKA nonce nor take a binary
 * RES as password); see shared/reference/components.md section 7.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <gba/digest.h>
#include <gba/keys.h>
#include <gba/log.h>

/* ---------------------------------------------------------------- character classes */

/* RFC 9110 5.6.2 tchar */
static bool is_tchar(unsigned char c)
{
	if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
		return true;
	return c && strchr("!#$%&'*+-.^_`|~", c) != NULL;
}

/* What may stand inside a quoted string, escaped or not: HTAB, SP, VCHAR, obs-text. */
static bool is_qchar(unsigned char c)
{
	return c == '\t' || (c >= 0x20 && c != 0x7f);
}

static bool is_ows(unsigned char c)
{
	return c == ' ' || c == '\t';
}

static bool is_hex(unsigned char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static bool is_token(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!is_tchar((unsigned char)*s))
			return false;
	return true;
}

static bool is_nc(const char *s)
{
	size_t i;

	for (i = 0; i < 8; i++)
		if (!is_hex((unsigned char)s[i]))
			return false;
	return s[8] == '\0';
}

/* ---------------------------------------------------------------- parser */

struct known_param {
	const char *name;
	size_t off;	/* offsetof(struct gba_digest, field) */
};

#define KP(f) { #f, offsetof(struct gba_digest, f) }
static const struct known_param known_params[] = {
	KP(username), KP(realm), KP(nonce), KP(uri), KP(response), KP(algorithm), KP(cnonce),
	KP(opaque), KP(qop), KP(nc), KP(auts), KP(rspauth), KP(nextnonce), KP(domain), KP(stale),
};
#undef KP

static const char **field(struct gba_digest *d, const struct known_param *kp)
{
	return (const char **)((char *)d + kp->off);
}

struct pstate {
	struct gba_digest *d;
	const unsigned char *s;
	size_t len;
	size_t pos;
	size_t used;	/* bytes of d->buf in use */
};

static int fail(struct pstate *p, int rc, const char *what)
{
	snprintf(p->d->err, sizeof(p->d->err), "at offset %zu: %s", p->pos, what);
	return rc;
}

static void skip_ows(struct pstate *p)
{
	while (p->pos < p->len && is_ows(p->s[p->pos]))
		p->pos++;
}

/* Reject control characters anywhere, with the offset of the first one. */
static int check_ctl(struct pstate *p)
{
	size_t i;

	for (i = 0; i < p->len; i++) {
		if (!is_qchar(p->s[i])) {
			p->pos = i;
			return fail(p, -EINVAL, p->s[i] ? "control character" : "NUL character");
		}
	}
	return 0;
}

/* Parse a token or a quoted string at p->pos, unescaped into d->buf. Returns its start. */
static int parse_value(struct pstate *p, char **out)
{
	char *dst = p->d->buf + p->used;
	size_t n = 0;

	if (p->pos < p->len && p->s[p->pos] == '"') {
		p->pos++;
		for (;;) {
			unsigned char c;

			if (p->pos >= p->len)
				return fail(p, -EINVAL, "unterminated quoted string");
			c = p->s[p->pos++];
			if (c == '"')
				break;
			if (c == '\\') {
				if (p->pos >= p->len)
					return fail(p, -EINVAL, "unterminated quoted string");
				c = p->s[p->pos++];
			}
			dst[n++] = (char)c;
		}
	} else {
		while (p->pos < p->len && is_tchar(p->s[p->pos]))
			dst[n++] = (char)p->s[p->pos++];
		if (!n)
			return fail(p, -EINVAL, "missing or invalid parameter value");
	}
	/* each parameter takes at least 2 more input bytes (name, '=') than it stores: fits */
	dst[n] = '\0';
	p->used += n + 1;
	*out = dst;
	return 0;
}

static int parse_params(struct pstate *p)
{
	struct { size_t off, len; } seen[GBA_DIGEST_PARAMS_MAX];
	unsigned int nparams = 0;

	for (;;) {
		size_t name_off, name_len, i;
		char *val;
		int rc;

		skip_ows(p);
		if (p->pos >= p->len)
			return 0;
		if (p->s[p->pos] == ',') {	/* empty list element */
			p->pos++;
			continue;
		}
		name_off = p->pos;
		while (p->pos < p->len && is_tchar(p->s[p->pos]))
			p->pos++;
		name_len = p->pos - name_off;
		if (!name_len)
			return fail(p, -EINVAL, "empty or invalid parameter name");
		skip_ows(p);
		if (p->pos >= p->len || p->s[p->pos] != '=')
			return fail(p, -EINVAL, "expected '=' after parameter name");
		p->pos++;
		skip_ows(p);
		for (i = 0; i < nparams; i++) {
			if (seen[i].len == name_len &&
			    !strncasecmp((const char *)p->s + seen[i].off,
					 (const char *)p->s + name_off, name_len)) {
				p->pos = name_off;
				return fail(p, -EINVAL, "duplicate parameter");
			}
		}
		if (nparams == GBA_DIGEST_PARAMS_MAX)
			return fail(p, -E2BIG, "too many parameters");
		seen[nparams].off = name_off;
		seen[nparams].len = name_len;
		nparams++;

		rc = parse_value(p, &val);
		if (rc)
			return rc;
		for (i = 0; i < sizeof(known_params) / sizeof(known_params[0]); i++) {
			const struct known_param *kp = &known_params[i];

			if (strlen(kp->name) == name_len &&
			    !strncasecmp(kp->name, (const char *)p->s + name_off, name_len)) {
				*field(p->d, kp) = val;
				break;
			}
		}

		skip_ows(p);
		if (p->pos >= p->len)
			return 0;
		if (p->s[p->pos] != ',')
			return fail(p, -EINVAL, "trailing garbage after parameter value");
		p->pos++;
	}
}

static int qop_value(const char *s, size_t n)
{
	if (n == 4 && !strncasecmp(s, "auth", 4))
		return GBA_QOP_AUTH;
	if (n == 8 && !strncasecmp(s, "auth-int", 8))
		return GBA_QOP_AUTH_INT;
	return -1;
}

/* Challenge qop: 1#token inside the quotes; unknown options are ignored (RFC 7616 3.3). */
static int parse_qop_list(struct gba_digest *d)
{
	const char *s = d->qop;
	unsigned int mask = 0;

	while (*s) {
		const char *t;
		int q;

		while (is_ows((unsigned char)*s) || *s == ',')
			s++;
		if (!*s)
			break;
		t = s;
		while (is_tchar((unsigned char)*s))
			s++;
		if (s == t) {
			snprintf(d->err, sizeof(d->err), "qop: invalid character in list");
			return -EINVAL;
		}
		q = qop_value(t, (size_t)(s - t));
		if (q > 0)
			mask |= 1u << q;
		while (is_ows((unsigned char)*s))
			s++;
		if (*s && *s != ',') {
			snprintf(d->err, sizeof(d->err), "qop: list items must be comma-separated");
			return -EINVAL;
		}
	}
	if (!mask) {
		snprintf(d->err, sizeof(d->err), "qop: offers neither auth nor auth-int");
		return -EINVAL;
	}
	d->qop_mask = mask;
	return 0;
}

static int missing(struct gba_digest *d, const char *name)
{
	snprintf(d->err, sizeof(d->err), "missing parameter %s", name);
	return -EINVAL;
}

static int check_params(struct gba_digest *d)
{
	d->qop_mask = 1u << GBA_QOP_NONE;
	if (d->nc && !is_nc(d->nc)) {
		snprintf(d->err, sizeof(d->err), "nc must be 8 hex digits");
		return -EINVAL;
	}
	if (d->qop) {
		if (d->kind == GBA_DIGEST_CHALLENGE) {
			int rc = parse_qop_list(d);

			if (rc)
				return rc;
		} else {
			int q = qop_value(d->qop, strlen(d->qop));

			if (q < 0) {
				snprintf(d->err, sizeof(d->err), "qop must be auth or auth-int");
				return -EINVAL;
			}
			d->qop_mask = 1u << q;
		}
	}
	d->stale_true = d->stale && !strcasecmp(d->stale, "true");

	switch (d->kind) {
	case GBA_DIGEST_CHALLENGE:
		if (!d->realm)
			return missing(d, "realm");
		if (!d->nonce)
			return missing(d, "nonce");
		break;
	case GBA_DIGEST_CREDENTIALS:
		if (!d->username)
			return missing(d, "username");
		if (!d->realm)
			return missing(d, "realm");
		if (!d->nonce)
			return missing(d, "nonce");
		if (!d->uri)
			return missing(d, "uri");
		if (!d->response)
			return missing(d, "response");
		if (d->qop && !d->nc)
			return missing(d, "nc (required with qop)");
		if (d->qop && !d->cnonce)
			return missing(d, "cnonce (required with qop)");
		break;
	case GBA_DIGEST_AUTH_INFO:
		break;
	}
	return 0;
}

int gba_digest_parse(struct gba_digest *d, enum gba_digest_kind kind, const char *hdr, size_t len)
{
	struct pstate p = { .d = d, .s = (const unsigned char *)hdr, .len = len };
	int rc;

	memset(d, 0, offsetof(struct gba_digest, buf));
	d->buf[0] = '\0';
	d->kind = kind;
	if (kind != GBA_DIGEST_CHALLENGE && kind != GBA_DIGEST_CREDENTIALS &&
	    kind != GBA_DIGEST_AUTH_INFO)
		return fail(&p, -EINVAL, "unknown header kind");
	if (!hdr && len)
		return fail(&p, -EINVAL, "no header");
	if (len > GBA_DIGEST_HDR_MAX)
		return fail(&p, -E2BIG, "header too long");
	rc = check_ctl(&p);
	if (rc)
		return rc;

	skip_ows(&p);
	if (kind != GBA_DIGEST_AUTH_INFO) {
		size_t start = p.pos;

		while (p.pos < p.len && is_tchar(p.s[p.pos]))
			p.pos++;
		if (p.pos - start != 6 || strncasecmp(hdr + start, "Digest", 6)) {
			p.pos = start;
			return fail(&p, -EINVAL, "scheme is not Digest");
		}
		if (p.pos < p.len && !is_ows(p.s[p.pos]))
			return fail(&p, -EINVAL, "expected space after Digest");
	}
	rc = parse_params(&p);
	if (!rc)
		rc = check_params(d);
	if (rc)
		GLOGP(GBA_LC_CORE, GBA_LL_DEBUG, "digest header rejected: %s\n", d->err);
	return rc;
}

/* ---------------------------------------------------------------- MD5 computation */

static EVP_MD *md5_alg;
static CRYPTO_ONCE md5_once = CRYPTO_ONCE_STATIC_INIT;

static void md5_fetch(void)
{
	/* MD5 lives in the default provider in OpenSSL 3; fetched once, kept for the process */
	md5_alg = EVP_MD_fetch(NULL, "MD5", "provider=default");
	if (!md5_alg)
		md5_alg = EVP_MD_fetch(NULL, "MD5", NULL);
}

struct part {
	const void *p;
	size_t len;
};

/* hex(MD5(parts[0] ":" parts[1] ":" ...)) */
static int md5_hex(char hex[GBA_DIGEST_HEX_LEN + 1], const struct part *parts, size_t n)
{
	uint8_t md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	EVP_MD_CTX *ctx;
	int ok;
	size_t i;

	if (!CRYPTO_THREAD_run_once(&md5_once, md5_fetch) || !md5_alg) {
		GLOGP(GBA_LC_CORE, GBA_LL_ERROR, "MD5 not available from OpenSSL\n");
		return -EIO;
	}
	ctx = EVP_MD_CTX_new();
	ok = ctx && EVP_DigestInit_ex(ctx, md5_alg, NULL);
	for (i = 0; ok && i < n; i++) {
		if (i)
			ok = EVP_DigestUpdate(ctx, ":", 1);
		if (ok && parts[i].len)
			ok = EVP_DigestUpdate(ctx, parts[i].p, parts[i].len);
	}
	ok = ok && EVP_DigestFinal_ex(ctx, md, &mdlen) && mdlen == 16;
	EVP_MD_CTX_free(ctx);
	if (ok)
		gba_hex_encode(hex, GBA_DIGEST_HEX_LEN + 1, md, 16);
	gba_zeroize(md, sizeof(md));
	return ok ? 0 : -EIO;
}

#define STR(s) { (s), strlen(s) }

int gba_digest_compute(char out[GBA_DIGEST_HEX_LEN + 1], const struct gba_digest_input *in)
{
	char ha1[GBA_DIGEST_HEX_LEN + 1], ha2[GBA_DIGEST_HEX_LEN + 1];
	char hbody[GBA_DIGEST_HEX_LEN + 1];
	const char *qop;
	int rc;

	if (!out || !in || !in->username || !in->realm || !in->method || !in->uri || !in->nonce ||
	    (!in->password && in->password_len) || (!in->body && in->body_len))
		return -EINVAL;
	if (in->qop != GBA_QOP_NONE && in->qop != GBA_QOP_AUTH && in->qop != GBA_QOP_AUTH_INT)
		return -EINVAL;
	if (in->qop != GBA_QOP_NONE && (!in->cnonce || !in->nc))
		return -EINVAL;
	qop = gba_digest_qop_name(in->qop);

	{
		const struct part a1[] = { STR(in->username), STR(in->realm),
					   { in->password, in->password_len } };

		rc = md5_hex(ha1, a1, 3);
	}
	if (rc)
		goto out;
	if (in->qop == GBA_QOP_AUTH_INT) {
		const struct part b[] = { { in->body, in->body_len } };
		rc = md5_hex(hbody, b, 1);
		if (!rc) {
			const struct part a2[] = { STR(in->method), STR(in->uri),
						   { hbody, GBA_DIGEST_HEX_LEN } };
			rc = md5_hex(ha2, a2, 3);
		}
	} else {
		const struct part a2[] = { STR(in->method), STR(in->uri) };
		rc = md5_hex(ha2, a2, 2);
	}
	if (rc)
		goto out;
	if (in->qop == GBA_QOP_NONE) {
		const struct part r[] = { { ha1, GBA_DIGEST_HEX_LEN }, STR(in->nonce),
					  { ha2, GBA_DIGEST_HEX_LEN } };
		rc = md5_hex(out, r, 3);
	} else {
		const struct part r[] = { { ha1, GBA_DIGEST_HEX_LEN }, STR(in->nonce),
					  STR(in->nc), STR(in->cnonce), STR(qop),
					  { ha2, GBA_DIGEST_HEX_LEN } };
		rc = md5_hex(out, r, 6);
	}
out:
	gba_zeroize(ha1, sizeof(ha1));	/* HA1 is a password equivalent (RES, Ks_NAF) */
	return rc;
}

int gba_digest_verify(const char *response, const struct gba_digest_input *in)
{
	char expect[GBA_DIGEST_HEX_LEN + 1], got[GBA_DIGEST_HEX_LEN + 1];
	size_t i;
	int rc;

	if (!response)
		return -EINVAL;
	for (i = 0; i < GBA_DIGEST_HEX_LEN; i++) {
		unsigned char c = (unsigned char)response[i];

		if (!is_hex(c))
			return -EINVAL;
		got[i] = (char)(c >= 'A' && c <= 'F' ? c - 'A' + 'a' : c);
	}
	if (response[GBA_DIGEST_HEX_LEN])
		return -EINVAL;
	got[GBA_DIGEST_HEX_LEN] = '\0';
	rc = gba_digest_compute(expect, in);
	if (!rc)
		rc = gba_ct_equal(expect, got, GBA_DIGEST_HEX_LEN) ? 0 : -EACCES;
	gba_zeroize(expect, sizeof(expect));
	return rc;
}

const char *gba_digest_qop_name(enum gba_digest_qop qop)
{
	switch (qop) {
	case GBA_QOP_AUTH:
		return "auth";
	case GBA_QOP_AUTH_INT:
		return "auth-int";
	default:
		return "";
	}
}

/* ---------------------------------------------------------------- AKA nonce */

int gba_aka_nonce_encode(char *out, size_t outlen, const uint8_t rand[GBA_RAND_LEN],
			 const uint8_t autn[GBA_AUTN_LEN], const uint8_t *server_data,
			 size_t sd_len)
{
	uint8_t raw[GBA_RAND_LEN + GBA_AUTN_LEN + GBA_AKA_NONCE_SD_MAX];

	if (!out || !rand || !autn || (!server_data && sd_len))
		return -EINVAL;
	if (sd_len > GBA_AKA_NONCE_SD_MAX)
		return -E2BIG;
	memcpy(raw, rand, GBA_RAND_LEN);
	memcpy(raw + GBA_RAND_LEN, autn, GBA_AUTN_LEN);
	if (sd_len)
		memcpy(raw + GBA_RAND_LEN + GBA_AUTN_LEN, server_data, sd_len);
	return gba_b64_encode(out, outlen, raw, GBA_RAND_LEN + GBA_AUTN_LEN + sd_len);
}

int gba_aka_nonce_decode(const char *nonce, uint8_t rand[GBA_RAND_LEN], uint8_t autn[GBA_AUTN_LEN])
{
	uint8_t raw[GBA_DIGEST_HDR_MAX / 4 * 3];
	int n;

	if (!nonce || !rand || !autn)
		return -EINVAL;
	n = gba_b64_decode(raw, sizeof(raw), nonce, strlen(nonce));
	if (n < GBA_RAND_LEN + GBA_AUTN_LEN)
		return -EINVAL;
	memcpy(rand, raw, GBA_RAND_LEN);
	memcpy(autn, raw + GBA_RAND_LEN, GBA_AUTN_LEN);
	return 0;
}

/* ---------------------------------------------------------------- builders */

struct obuf {
	char *s;
	size_t size, n;
	int rc;
};

static void put_raw(struct obuf *o, const char *s, size_t len)
{
	if (o->rc)
		return;
	if (o->n + len >= o->size) {
		o->rc = -ENOSPC;
		return;
	}
	memcpy(o->s + o->n, s, len);
	o->n += len;
	o->s[o->n] = '\0';
}

/* ", name=" (no comma before the first parameter) */
static void put_name(struct obuf *o, const char *name, bool *first)
{
	if (!*first)
		put_raw(o, ", ", 2);
	*first = false;
	put_raw(o, name, strlen(name));
	put_raw(o, "=", 1);
}

static void put_quoted(struct obuf *o, const char *name, const char *v, bool *first)
{
	const char *s;

	if (!v || o->rc)
		return;
	for (s = v; *s; s++) {
		if (!is_qchar((unsigned char)*s)) {
			o->rc = -EINVAL;
			return;
		}
	}
	put_name(o, name, first);
	put_raw(o, "\"", 1);
	for (s = v; *s; s++) {
		if (*s == '"' || *s == '\\')
			put_raw(o, "\\", 1);
		put_raw(o, s, 1);
	}
	put_raw(o, "\"", 1);
}

/* A token parameter, or a quoted one when the value is not a valid token. */
static void put_token(struct obuf *o, const char *name, const char *v, bool *first)
{
	if (!v || o->rc)
		return;
	if (!is_token(v)) {
		put_quoted(o, name, v, first);
		return;
	}
	put_name(o, name, first);
	put_raw(o, v, strlen(v));
}

static int obuf_init(struct obuf *o, char *out, size_t outlen)
{
	*o = (struct obuf) { .s = out, .size = outlen };
	if (!out || !outlen)
		return -ENOSPC;
	out[0] = '\0';
	return 0;
}

static int obuf_end(struct obuf *o)
{
	if (o->rc) {
		if (o->size)
			o->s[0] = '\0';
		return o->rc;
	}
	return (int)o->n;
}

int gba_digest_fmt_challenge(char *out, size_t outlen, const char *realm, const char *nonce,
			     const char *opaque, const char *algorithm, unsigned int qop_mask,
			     bool stale)
{
	bool first = true;
	struct obuf o;
	char qop[16] = "";

	if (!realm || !nonce)
		return -EINVAL;
	if (qop_mask & ~((1u << GBA_QOP_NONE) | (1u << GBA_QOP_AUTH) | (1u << GBA_QOP_AUTH_INT)))
		return -EINVAL;
	if (obuf_init(&o, out, outlen))
		return -ENOSPC;
	if (qop_mask & (1u << GBA_QOP_AUTH))
		strcat(qop, "auth");
	if (qop_mask & (1u << GBA_QOP_AUTH_INT))
		strcat(qop, qop[0] ? ",auth-int" : "auth-int");

	put_raw(&o, "Digest ", 7);
	put_quoted(&o, "realm", realm, &first);
	put_quoted(&o, "nonce", nonce, &first);
	put_quoted(&o, "opaque", opaque, &first);
	put_token(&o, "algorithm", algorithm, &first);
	if (qop[0])
		put_quoted(&o, "qop", qop, &first);
	if (stale)
		put_token(&o, "stale", "true", &first);
	return obuf_end(&o);
}

int gba_digest_fmt_credentials(char *out, size_t outlen, const struct gba_digest_input *in,
			       const char *response, const char *algorithm, const char *opaque,
			       const char *auts)
{
	bool first = true;
	struct obuf o;

	if (!in || !in->username || !in->realm || !in->nonce || !in->uri || !response)
		return -EINVAL;
	if (in->qop != GBA_QOP_NONE) {
		if (in->qop != GBA_QOP_AUTH && in->qop != GBA_QOP_AUTH_INT)
			return -EINVAL;
		if (!in->nc || !is_nc(in->nc) || !in->cnonce)
			return -EINVAL;
	}
	if (obuf_init(&o, out, outlen))
		return -ENOSPC;

	put_raw(&o, "Digest ", 7);
	put_quoted(&o, "username", in->username, &first);
	put_quoted(&o, "realm", in->realm, &first);
	put_quoted(&o, "nonce", in->nonce, &first);
	put_quoted(&o, "uri", in->uri, &first);
	if (in->qop != GBA_QOP_NONE) {
		put_token(&o, "qop", gba_digest_qop_name(in->qop), &first);
		put_token(&o, "nc", in->nc, &first);
		put_quoted(&o, "cnonce", in->cnonce, &first);
	}
	put_quoted(&o, "response", response, &first);
	put_token(&o, "algorithm", algorithm, &first);
	put_quoted(&o, "opaque", opaque, &first);
	put_quoted(&o, "auts", auts, &first);
	return obuf_end(&o);
}

int gba_digest_fmt_auth_info(char *out, size_t outlen, enum gba_digest_qop qop, const char *rspauth,
			     const char *cnonce, const char *nc, const char *nextnonce)
{
	bool first = true;
	struct obuf o;

	if (qop != GBA_QOP_NONE && qop != GBA_QOP_AUTH && qop != GBA_QOP_AUTH_INT)
		return -EINVAL;
	if (nc && !is_nc(nc))
		return -EINVAL;
	if (obuf_init(&o, out, outlen))
		return -ENOSPC;

	if (qop != GBA_QOP_NONE)
		put_token(&o, "qop", gba_digest_qop_name(qop), &first);
	put_quoted(&o, "rspauth", rspauth, &first);
	put_quoted(&o, "cnonce", cnonce, &first);
	put_token(&o, "nc", nc, &first);
	put_quoted(&o, "nextnonce", nextnonce, &first);
	return obuf_end(&o);
}
