/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * HTTP Digest (RFC 7616 / RFC 2617) with AKAv1-MD5 (RFC 3310), for Ub and Ua.
 *
 * Written by hand because no library here speaks it: libcurl refuses
 * algorithm=AKAv1-MD5 and libmicrohttpd cannot send an AKA nonce or use a
 * binary password (shared/reference/components.md section 7). MD5 comes from OpenSSL.
 *
 * One parser serves WWW-Authenticate, Authorization and Authentication-Info:
 * quoted strings with commas and backslash escapes, parameters in any order,
 * case-insensitive names, duplicates rejected, size limits enforced.
 */
#ifndef GBA_DIGEST_H
#define GBA_DIGEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <gba/keys.h>

#define GBA_DIGEST_HDR_MAX	4096	/* longest header value accepted */
#define GBA_DIGEST_PARAMS_MAX	24	/* most parameters accepted in one header */
#define GBA_DIGEST_HEX_LEN	32	/* MD5 in hex */
#define GBA_AKA_NONCE_SD_MAX	256	/* most server-specific data in an AKA nonce */

enum gba_digest_kind {
	GBA_DIGEST_CHALLENGE,	/* WWW-Authenticate: "Digest" scheme + params */
	GBA_DIGEST_CREDENTIALS,	/* Authorization: "Digest" scheme + params */
	GBA_DIGEST_AUTH_INFO,	/* Authentication-Info: params only, no scheme */
};

enum gba_digest_qop {
	GBA_QOP_NONE = 0,	/* no qop (RFC 2069 compatibility) */
	GBA_QOP_AUTH = 1,
	GBA_QOP_AUTH_INT = 2,
};

/*
 * A parsed header. Each string points into the struct's own storage ('buf', values unescaped)
 * and is NULL when the parameter was absent. 'qop' in a challenge may list several values;
 * 'qop_mask' has a bit (1 << enum gba_digest_qop) for each one offered/used, and is
 * (1 << GBA_QOP_NONE) when qop was absent. The struct holds no pointer into the parsed input,
 * but its strings point into its own 'buf': do not copy it by assignment, parse again.
 */
struct gba_digest {
	enum gba_digest_kind kind;
	const char *username;
	const char *realm;
	const char *nonce;
	const char *uri;
	const char *response;
	const char *algorithm;
	const char *cnonce;
	const char *opaque;
	const char *qop;	/* raw value as sent */
	const char *nc;		/* 8 hex digits */
	const char *auts;	/* RFC 3310: base64(AUTS) */
	const char *rspauth;
	const char *nextnonce;
	const char *domain;
	const char *stale;	/* "true"/"false" as sent */
	unsigned int qop_mask;
	bool stale_true;
	char err[128];		/* after a failed parse: why, for logs and 400 bodies */
	char buf[GBA_DIGEST_HDR_MAX + 1];
};

/*
 * Parse header value 'hdr' ('len' bytes, need not be NUL-terminated) as 'kind'.
 * Unknown parameters are accepted and ignored; empty list elements (",,") are ignored
 * (RFC 9110 5.6.1). Only one challenge per header value is understood.
 * Required: realm and nonce in a challenge; username, realm, nonce, uri and response in
 * credentials, plus nc and cnonce when qop is present. Authentication-Info needs nothing.
 * Challenge qop: list of tokens, unknown ones ignored, at least one of auth/auth-int.
 * Credentials / Authentication-Info qop: exactly auth or auth-int (case-insensitive).
 * stale: "true" in any case sets stale_true, anything else means false (RFC 7616 3.3).
 * Returns 0; -EINVAL for a malformed header (bad syntax, wrong scheme, duplicate or
 * empty-named parameter, control character, bad nc or qop, missing parameter; d->err says
 * which and where); -E2BIG for a header longer than GBA_DIGEST_HDR_MAX or with more than
 * GBA_DIGEST_PARAMS_MAX parameters. After a failure only d->err is meaningful.
 */
int gba_digest_parse(struct gba_digest *d, enum gba_digest_kind kind, const char *hdr, size_t len);

/* The inputs of a response/rspauth computation. */
struct gba_digest_input {
	const uint8_t *password;	/* RES (binary), empty (AUTS, MAC failure), base64 text */
	size_t password_len;
	const char *username;
	const char *realm;
	const char *method;		/* "GET"; "" for rspauth */
	const char *uri;
	const char *nonce;
	const char *nc;			/* "00000001"; ignored without qop */
	const char *cnonce;		/* ignored without qop */
	enum gba_digest_qop qop;
	const uint8_t *body;		/* entity body for auth-int (NULL allowed if body_len 0) */
	size_t body_len;
};

/*
 * Compute the request-digest ("response", or "rspauth" with method "") as 32 lower-case hex
 * digits plus NUL into 'out'. algorithm=MD5 and AKAv1-MD5 compute the same way (the AKA part is
 * the password: raw RES octets, RFC 3310 3.1). HA1 is wiped after use.
 * Returns 0 or -EINVAL (missing input, e.g. no cnonce with qop) / -EIO.
 */
int gba_digest_compute(char out[GBA_DIGEST_HEX_LEN + 1], const struct gba_digest_input *in);

/*
 * Check a received response (32 hex digits, any case) in constant time. 0 when it matches,
 * -EACCES when not, -EINVAL if malformed or the input is incomplete, -EIO on crypto failure.
 */
int gba_digest_verify(const char *response, const struct gba_digest_input *in);

/*
 * nonce = base64(RAND || AUTN || server_data) (RFC 3310 3.2). Returns the text length,
 * -E2BIG when sd_len > GBA_AKA_NONCE_SD_MAX, -ENOSPC when 'out' is too small, -EINVAL for NULL.
 */
int gba_aka_nonce_encode(char *out, size_t outlen, const uint8_t rand[GBA_RAND_LEN],
			 const uint8_t autn[GBA_AUTN_LEN], const uint8_t *server_data,
			 size_t sd_len);

/* Decode an AKA nonce; server data after RAND || AUTN is ignored. 0, or -EINVAL if malformed. */
int gba_aka_nonce_decode(const char *nonce, uint8_t rand[GBA_RAND_LEN], uint8_t autn[GBA_AUTN_LEN]);

/*
 * Header builders. Each writes a complete header value (without the header name) and returns its
 * length, -ENOSPC when 'out' is too small, or -EINVAL when a required argument is NULL, a value
 * holds a control character (no header injection), nc is not 8 hex digits or qop is unknown.
 * Quoted values are escaped. NULL optional arguments are left out. An algorithm that is not
 * a token is sent quoted.
 */
/* WWW-Authenticate: Digest realm=, nonce=, [opaque=], [algorithm=], [qop="..."], [stale=true] */
int gba_digest_fmt_challenge(char *out, size_t outlen, const char *realm, const char *nonce,
			     const char *opaque, const char *algorithm, unsigned int qop_mask,
			     bool stale);
/*
 * Authorization: Digest username=, realm=, nonce=, uri=, [qop=, nc=, cnonce=], response=,
 * [algorithm=], [opaque=], [auts=]. Takes username, realm, nonce, uri, qop, nc, cnonce from 'in'.
 */
int gba_digest_fmt_credentials(char *out, size_t outlen, const struct gba_digest_input *in,
			       const char *response, const char *algorithm, const char *opaque,
			       const char *auts);
/* Authentication-Info: [qop=, rspauth=, cnonce=, nc=, nextnonce=] (qop GBA_QOP_NONE: left out) */
int gba_digest_fmt_auth_info(char *out, size_t outlen, enum gba_digest_qop qop, const char *rspauth,
			     const char *cnonce, const char *nc, const char *nextnonce);

/* "auth" / "auth-int" / "" */
const char *gba_digest_qop_name(enum gba_digest_qop qop);

#endif /* GBA_DIGEST_H */
