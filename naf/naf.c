/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The NAF context of libgba-naf: its FQDNs and Zn settings, gba_naf_get_key() (the cache
 * first, then Zn; negative results remembered briefly; cached keys served while the BSF is
 * down until they expire), error strings and key fingerprints.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>
#include <openssl/sha.h>

#include <gba/identity.h>
#include <gba/log.h>

#include "naf_priv.h"

const uint8_t gba_naf_ua_http_digest[GBA_NAF_UA_ID_LEN] = { 0x01, 0x00, 0x00, 0x00, 0x02 };
const uint8_t gba_naf_ua_tls13[GBA_NAF_UA_ID_LEN] = { 0x01, 0x00, 0x00, 0x00, 0x07 };

void gba_naf_ua_tls12(uint8_t out[GBA_NAF_UA_ID_LEN], uint16_t suite)
{
	gba_ua_id_tls12(out, suite);
}

int gba_naf_log_setup(const char *spec)
{
	gba_log_init("gba-naf", GBA_LOG_STDERR);
	return spec ? gba_log_parse_spec(spec) : 0;
}

const char *gba_naf_strerror(int rc)
{
	switch (rc) {
	case 0:
		return "success";
	case -ENOENT:
		return "the BSF does not know this B-TID (the UE must bootstrap again)";
	case -EKEYEXPIRED:
		return "the key lifetime is over (the UE must bootstrap again)";
	case -EACCES:
		return "refused (NAF not authorised for this key, or wrong credentials)";
	case -ESTALE:
		return "the Digest nonce is too old";
	case -ECONNREFUSED:
		return "the BSF refused the Zn connection";
	case -ETIMEDOUT:
		return "the BSF did not answer in time";
	case -EHOSTUNREACH:
		return "the BSF cannot be reached (name or route)";
	case -EPROTO:
		return "the BSF answered something malformed";
	case -EINVAL:
		return "invalid argument";
	case -ENOMEM:
		return "out of memory";
	case -ENOSPC:
		return "buffer too small";
	default:
		return "I/O or crypto failure";
	}
}

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;

static void curl_init_once(void)
{
	curl_global_init(CURL_GLOBAL_DEFAULT);
}

static int dup_opt(char **dst, const char *s)
{
	if (!s)
		return 0;
	*dst = strdup(s);
	return *dst ? 0 : -ENOMEM;
}

/* FQDN syntax: 1..255 of [A-Za-z0-9.-]. */
static bool fqdn_ok(const char *s)
{
	size_t n = s ? strlen(s) : 0;

	if (!n || n > GBA_NAF_FQDN_MAX)
		return false;
	return strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-") == n;
}

int gba_naf_new(struct gba_naf **out, const char *const *fqdns, const struct gba_naf_opts *o)
{
	struct gba_naf *naf;
	const char *url;
	size_t ulen;
	int rc = 0;

	if (!out || !fqdns || !fqdns[0] || !o || !o->bsf_url)
		return -EINVAL;
	*out = NULL;
	url = o->bsf_url;
	if (!strncmp(url, "diameter:", 9)) {
		/* Zn over Diameter (zn_dia.c) */
	} else if (!strncasecmp(url, "http://", 7)) {
		if (!o->allow_plain_http) {
			GLOGP(GBA_LC_NAF, GBA_LL_ERROR,
			      "Zn URL %s is plain HTTP: refused without allow_plain_http", url);
			return -EINVAL;
		}
	} else if (strncasecmp(url, "https://", 8)) {
		GLOGP(GBA_LC_NAF, GBA_LL_ERROR, "Zn URL %s: not http(s)://", url);
		return -EINVAL;
	}
	pthread_once(&curl_once, curl_init_once);
	naf = calloc(1, sizeof(*naf));
	if (!naf)
		return -ENOMEM;
	for (; fqdns[naf->n_fqdn]; naf->n_fqdn++) {
		if (naf->n_fqdn == GBA_NAF_FQDNS_MAX || !fqdn_ok(fqdns[naf->n_fqdn])) {
			GLOGP(GBA_LC_NAF, GBA_LL_ERROR, "bad or too many NAF FQDNs");
			rc = -EINVAL;
			goto fail;
		}
		naf->fqdns[naf->n_fqdn] = strdup(fqdns[naf->n_fqdn]);
		if (!naf->fqdns[naf->n_fqdn]) {
			rc = -ENOMEM;
			goto fail;
		}
	}
	/* diameter:...; https://host[:port] without a path: the default Zn path */
	ulen = strlen(url);
	if (!strncmp(url, "diameter:", 9)) {
		naf->zn_url = strdup(url);
		rc = naf->zn_url ? naf_zn_dia_open(naf, url + 9) : -ENOMEM;
		if (rc)
			goto fail;
	} else if (!strchr(strstr(url, "://") + 3, '/')) {
		naf->zn_url = malloc(ulen + sizeof(GBA_ZN_PATH));
		if (naf->zn_url)
			snprintf(naf->zn_url, ulen + sizeof(GBA_ZN_PATH), "%s%s", url, GBA_ZN_PATH);
	} else {
		naf->zn_url = strdup(url);
	}
	if (!naf->zn_url || dup_opt(&naf->client_cert, o->client_cert) ||
	    dup_opt(&naf->client_key, o->client_key) || dup_opt(&naf->ca_file, o->ca_file)) {
		rc = -ENOMEM;
		goto fail;
	}
	naf->gba_u_aware = !o->not_gba_u_aware;
	naf->timeout_ms = o->timeout_ms ? o->timeout_ms : 5000;
	naf->negative_ttl = o->negative_ttl ? o->negative_ttl : 5;
	if (gba_random(naf->nonce_key, sizeof(naf->nonce_key))) {
		rc = -EIO;
		goto fail;
	}
	pthread_mutex_init(&naf->pool_lock, NULL);
	rc = naf_cache_init(&naf->cache, o->cache_size ? o->cache_size : 1024);
	if (rc)
		goto fail;
	GLOGP(GBA_LC_NAF, GBA_LL_INFO, "NAF %s (%u FQDN%s), Zn %s, cache %u", naf->fqdns[0],
	      naf->n_fqdn, naf->n_fqdn > 1 ? "s" : "", naf->zn_url, naf->cache.max);
	*out = naf;
	return 0;
fail:
	naf->cache.buckets = NULL;
	gba_naf_free(naf);
	return rc;
}

void gba_naf_free(struct gba_naf *naf)
{
	unsigned int i;

	if (!naf)
		return;
	if (naf->cache.buckets) {
		naf_cache_destroy(&naf->cache);
		naf_zn_pool_free(naf);
		pthread_mutex_destroy(&naf->pool_lock);
	}
	for (i = 0; i < naf->n_fqdn; i++)
		free(naf->fqdns[i]);
	naf_zn_dia_close(naf);
	free(naf->zn_url);
	free(naf->client_cert);
	free(naf->client_key);
	free(naf->ca_file);
	gba_zeroize(naf, sizeof(*naf));
	free(naf);
}

const char *gba_naf_fqdn_match(const struct gba_naf *naf, const char *name)
{
	unsigned int i;

	if (!naf || !name)
		return NULL;
	for (i = 0; i < naf->n_fqdn; i++)
		if (!strcasecmp(naf->fqdns[i], name))
			return naf->fqdns[i];
	return NULL;
}

const char *gba_naf_fqdn_default(const struct gba_naf *naf)
{
	return naf ? naf->fqdns[0] : NULL;
}

void gba_naf_key_fingerprint(uint8_t fp[GBA_NAF_FP_LEN], const uint8_t key[GBA_NAF_KEY_LEN])
{
	uint8_t h[SHA256_DIGEST_LENGTH];

	SHA256(key, GBA_NAF_KEY_LEN, h);
	memcpy(fp, h, GBA_NAF_FP_LEN);
	gba_zeroize(h, sizeof(h));
}

void gba_naf_key_wipe(struct gba_naf_key *k)
{
	if (!k)
		return;
	free(k->uss);
	gba_zeroize(k, sizeof(*k));
}

void naf_peer_from_key(struct gba_naf_peer *p, const struct gba_naf_key *k,
		       enum gba_naf_key_use use)
{
	memset(p, 0, sizeof(*p));
	snprintf(p->btid, sizeof(p->btid), "%s", k->btid);
	snprintf(p->impi, sizeof(p->impi), "%s", k->impi);
	snprintf(p->fqdn, sizeof(p->fqdn), "%s", k->fqdn);
	memcpy(p->ua_id, k->ua_id, GBA_NAF_UA_ID_LEN);
	p->expiry = k->expiry;
	p->gba_u = k->gba_u;
	p->use = use;
	gba_naf_key_fingerprint(p->fp, k->key);
}

/* Copy the wanted key out of an answer. 0 or -EACCES/-EKEYEXPIRED/-ENOMEM. */
static int key_from_answer(struct gba_naf_key *out, const struct gba_zn_answer *a,
			   enum gba_naf_key_use use, unsigned int flags, time_t now)
{
	if (a->key_expiry <= now)
		return -EKEYEXPIRED;
	if (use == GBA_NAF_KEY_UICC) {
		if (a->uicc_me != GBA_ZN_UICC_ME_GBA_U || !a->has_uicc_key)
			return -EACCES;
		memcpy(out->key, a->uicc_key, GBA_NAF_KEY_LEN);
	} else {
		memcpy(out->key, a->me_key, GBA_NAF_KEY_LEN);
	}
	snprintf(out->impi, sizeof(out->impi), "%s", a->impi);
	out->expiry = a->key_expiry;
	out->created = a->creation_time;
	out->gba_u = a->uicc_me == GBA_ZN_UICC_ME_GBA_U;
	if (a->uss && !(flags & GBA_NAF_GET_NO_USS)) {
		out->uss = strdup(a->uss);
		if (!out->uss)
			return -ENOMEM;
	}
	return 0;
}

int gba_naf_get_key(struct gba_naf *naf, const char *btid, const char *fqdn,
		    const uint8_t ua_id[GBA_NAF_UA_ID_LEN], enum gba_naf_key_use use,
		    unsigned int flags, struct gba_naf_key *out)
{
	uint8_t naf_id[GBA_NAF_ID_MAX];
	struct naf_zn_result r;
	const char *f;
	time_t now = time(NULL);
	int n, rc;

	if (!out)
		return -EINVAL;
	memset(out, 0, sizeof(*out));
	if (!naf || !btid || !ua_id || strlen(btid) > GBA_NAF_BTID_MAX ||
	    gba_btid_parse(btid, NULL, NULL))
		return -EINVAL;
	f = fqdn ? gba_naf_fqdn_match(naf, fqdn) : naf->fqdns[0];
	if (!f) {
		GLOGP(GBA_LC_NAF, GBA_LL_NOTICE, "key for %s asked for foreign FQDN %s", btid, fqdn);
		return -EINVAL;
	}
	n = gba_naf_id(naf_id, sizeof(naf_id), f, ua_id);
	if (n < 0)
		return n;
	snprintf(out->btid, sizeof(out->btid), "%s", btid);
	snprintf(out->fqdn, sizeof(out->fqdn), "%s", f);
	memcpy(out->ua_id, ua_id, GBA_NAF_UA_ID_LEN);

	memset(&r, 0, sizeof(r));
	rc = (flags & GBA_NAF_GET_NO_CACHE) ? 0 :
		naf_cache_get(&naf->cache, btid, naf_id, n, now, &r.a);
	if (rc < 0) {
		GLOGP(GBA_LC_NAF, GBA_LL_INFO, "B-TID %s: remembered as unknown (%s)", btid,
		      gba_naf_strerror(rc));
		return rc;
	}
	if (rc == 1) {
		out->from_cache = true;
	} else {
		rc = naf_zn_fetch(naf, btid, naf_id, n, &r);
		if (rc == -ENOENT || rc == -EACCES) {
			naf_cache_put(&naf->cache, btid, naf_id, n, NULL, rc,
				      now + naf->negative_ttl);
			return rc;
		}
		if (rc) {
			/* BSF down and the key not cached (a cached one was served above) */
			GLOGP(GBA_LC_NAF, GBA_LL_ERROR, "B-TID %s: Zn failed: %s", btid,
			      gba_naf_strerror(rc));
			return rc;
		}
		if (r.a.key_expiry > now)
			naf_cache_put(&naf->cache, btid, naf_id, n, &r.a, 0, r.a.key_expiry);
	}
	rc = key_from_answer(out, &r.a, use, flags, now);
	gba_zn_answer_clear(&r.a);
	if (rc) {
		GLOGP(GBA_LC_NAF, GBA_LL_NOTICE, "B-TID %s for %s: %s", btid, f,
		      gba_naf_strerror(rc));
		gba_naf_key_wipe(out);
		return rc;
	}
	GLOGP(GBA_LC_NAF, GBA_LL_DEBUG, "B-TID %s for %s: IMPI %s (%s)", btid, f, out->impi,
	      out->from_cache ? "cached" : "Zn");
	return 0;
}

void gba_naf_cache_flush(struct gba_naf *naf, const char *btid)
{
	if (naf)
		naf_cache_flush(&naf->cache, btid);
}

void gba_naf_stats(struct gba_naf *naf, struct gba_naf_stats *out)
{
	if (!naf || !out)
		return;
	pthread_mutex_lock(&naf->cache.lock);
	*out = naf->cache.st;
	out->entries = naf->cache.count;
	pthread_mutex_unlock(&naf->cache.lock);
}

const char *naf_strip_btid_prefix(const char *id, size_t len, char *buf, size_t buflen,
				  bool *uicc)
{
	static const char pfx[] = "3GPP-bootstrapping.";
	static const char pfx_u[] = "3GPP-bootstrapping-uicc.";

	*uicc = false;
	if (len >= sizeof(pfx) - 1 && !strncmp(id, pfx, sizeof(pfx) - 1)) {
		id += sizeof(pfx) - 1;
		len -= sizeof(pfx) - 1;
	} else if (len >= sizeof(pfx_u) - 1 && !strncmp(id, pfx_u, sizeof(pfx_u) - 1)) {
		id += sizeof(pfx_u) - 1;
		len -= sizeof(pfx_u) - 1;
		*uicc = true;
	}
	if (len >= buflen || memchr(id, '\0', len))
		return NULL;
	memcpy(buf, id, len);
	buf[len] = '\0';
	return buf;
}
