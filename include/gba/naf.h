/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * libgba-naf: the NAF side of GBA (TS 33.220) for oneM2M CSEs, MAFs and any TLS or HTTP
 * server that wants to authenticate devices with their SIM (oneM2M TS-0003 8.3.2.3).
 *
 * One struct gba_naf holds the NAF's FQDN(s), a Zn client towards the BSF (SOAP over
 * HTTPS with a client certificate, libcurl; doc/zn-soap.md; or Diameter BIR/BIA over
 * freeDiameter, doc/diameter.md) and a bounded, expiry-aware,
 * thread-safe key cache keyed by B-TID and NAF_Id. On top of it: the Ua server helpers,
 * TLS-PSK / DTLS-PSK for OpenSSL (TS 33.222 5.4, TS-0003 10.2) and HTTP Digest
 * (TS 24.109 5.2). Every function is safe to call from several threads on one gba_naf.
 *
 * Functions return 0 (or a length) on success and a negative errno on failure:
 *   -ENOENT      the BSF does not know the B-TID (or it expired there)
 *   -EKEYEXPIRED the key's lifetime is over        -EACCES  refused (NAF not authorised,
 *                                                           wrong Digest response)
 *   -ECONNREFUSED / -ETIMEDOUT / -EHOSTUNREACH  the BSF cannot be reached
 *   -EPROTO      the BSF answered something malformed       -EIO  anything else
 *   -EINVAL      bad argument                                -ENOMEM
 * gba_naf_strerror() turns them into one English line. Key bytes are never logged; wipe
 * struct gba_naf_key with gba_naf_key_wipe().
 */
#ifndef GBA_NAF_H
#define GBA_NAF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#ifdef __cplusplus
extern "C" {
#endif

#define GBA_NAF_KEY_LEN		32	/* Ks_NAF, Ks_ext_NAF, Ks_int_NAF */
#define GBA_NAF_UA_ID_LEN	5	/* Ua security protocol identifier (TS 33.220 Annex H) */
#define GBA_NAF_BTID_MAX	300
#define GBA_NAF_IMPI_MAX	255
#define GBA_NAF_FQDN_MAX	255
#define GBA_NAF_FQDNS_MAX	16	/* NAF FQDNs one gba_naf serves */
#define GBA_NAF_FP_LEN		8	/* key fingerprint: first octets of SHA-256(key) */

struct gba_naf;
struct ssl_ctx_st;	/* OpenSSL's SSL_CTX */
struct ssl_st;		/* OpenSSL's SSL */

/* Ua security protocol ids (TS 33.220 H.3). */
extern const uint8_t gba_naf_ua_http_digest[GBA_NAF_UA_ID_LEN];	/* 01 00 00 00 02 */
extern const uint8_t gba_naf_ua_tls13[GBA_NAF_UA_ID_LEN];		/* 01 00 00 00 07 */

/* Ua id 01 00 01 yy zz for a TLS 1.2 cipher suite (TS 33.222 5.3/5.4). */
void gba_naf_ua_tls12(uint8_t out[GBA_NAF_UA_ID_LEN], uint16_t suite);

struct gba_naf_opts {
	const char *bsf_url;	/* Zn endpoint, https://host:port[/path]; no path: the
				 * default /bsf/requestBootstrappingInfo. Or Zn over
				 * Diameter (TS 29.109 BIR/BIA): "diameter:FDCONF[,REALM
				 * [,HOST]]", a freeDiameter configuration file and the
				 * BSF's realm (default ours) and identity (default any);
				 * one freeDiameter core per process, not restartable */
	const char *client_cert; /* PEM client certificate (and key) for the Zn TLS */
	const char *client_key;	/* PEM key; NULL: in client_cert */
	const char *ca_file;	/* PEM CA bundle for the BSF certificate; NULL: system */
	bool allow_plain_http;	/* accept an http:// bsf_url (tests; never in production) */
	bool not_gba_u_aware;	/* do not ask the BSF for Ks_int_NAF */
	unsigned int timeout_ms;	/* Zn connect + answer; 0: 5000 */
	unsigned int cache_size;	/* keys kept; 0: 1024 */
	unsigned int negative_ttl;	/* seconds an unknown B-TID is remembered; 0: 5 */
};

/*
 * A NAF for the FQDNs 'fqdns' (NULL-terminated, at least one; the first is the default
 * when a client sends no SNI). 0, -EINVAL (no/bad FQDN, no bsf_url, http:// without
 * allow_plain_http, a bad diameter: configuration), -EIO (the freeDiameter core does not
 * start), -EALREADY (it was stopped before in this process), -ENOMEM.
 */
int gba_naf_new(struct gba_naf **out, const char *const *fqdns, const struct gba_naf_opts *o);

/* Free the NAF; every cached key is wiped. NULL allowed. */
void gba_naf_free(struct gba_naf *naf);

/* One English line for a return code of this library. */
const char *gba_naf_strerror(int rc);

/* Set the log level spec ("info", "notice,zn=debug"; see gba-naf(1)). 0 or -EINVAL. */
int gba_naf_log_setup(const char *spec);

/* The configured FQDN equal (case-insensitively) to 'name', or NULL. */
const char *gba_naf_fqdn_match(const struct gba_naf *naf, const char *name);

/* The default (first) FQDN. */
const char *gba_naf_fqdn_default(const struct gba_naf *naf);

/* Which key the caller wants. */
enum gba_naf_key_use {
	GBA_NAF_KEY_ME = 0,	/* Ks_NAF (GBA_ME) or Ks_ext_NAF (GBA_U): the ME runs Ua */
	GBA_NAF_KEY_UICC = 1,	/* Ks_int_NAF: the UICC runs Ua (GBA_U only, else -EACCES) */
};

struct gba_naf_key {
	uint8_t key[GBA_NAF_KEY_LEN];	/* the key asked for */
	char btid[GBA_NAF_BTID_MAX + 1];
	char impi[GBA_NAF_IMPI_MAX + 1];
	char fqdn[GBA_NAF_FQDN_MAX + 1];
	uint8_t ua_id[GBA_NAF_UA_ID_LEN];
	time_t expiry;			/* absolute, UTC */
	time_t created;			/* bootstrapping time at the BSF */
	bool gba_u;			/* the bootstrap was GBA_U */
	bool from_cache;
	char *uss;			/* the GUSS ussList XML or NULL; freed by key_wipe */
};

#define GBA_NAF_GET_NO_CACHE	0x1	/* ask the BSF even when the cache has the key */
#define GBA_NAF_GET_NO_USS	0x2	/* do not copy the USS into the answer */

/*
 * The key of 'btid' for NAF_Id = fqdn || ua_id: from the cache, or over Zn (and cached).
 * 'fqdn' must be one of the NAF's. Returns 0 with *out filled; -ENOENT unknown B-TID
 * (remembered negative_ttl seconds), -EKEYEXPIRED, -EACCES (NAF not authorised for it,
 * or GBA_NAF_KEY_UICC for a GBA_ME bootstrap), a network error when the BSF is down and the
 * key is not cached, -EINVAL.
 */
int gba_naf_get_key(struct gba_naf *naf, const char *btid, const char *fqdn,
		    const uint8_t ua_id[GBA_NAF_UA_ID_LEN], enum gba_naf_key_use use,
		    unsigned int flags, struct gba_naf_key *out);

/* Wipe the key and free the USS. NULL allowed. */
void gba_naf_key_wipe(struct gba_naf_key *k);

/* Fingerprint of a key: the first 8 octets of its SHA-256. */
void gba_naf_key_fingerprint(uint8_t fp[GBA_NAF_FP_LEN], const uint8_t key[GBA_NAF_KEY_LEN]);

/* Forget every cached key of 'btid' (NULL: every key). */
void gba_naf_cache_flush(struct gba_naf *naf, const char *btid);

struct gba_naf_stats {
	unsigned long hits, misses, negative_hits, zn_requests, zn_errors, evictions;
	unsigned int entries;
};
void gba_naf_stats(struct gba_naf *naf, struct gba_naf_stats *out);

/* ------------------------------------------------------------------ Ua peers */

/* Who authenticated on a Ua connection or request (no key bytes). */
struct gba_naf_peer {
	char btid[GBA_NAF_BTID_MAX + 1];	/* KmID / KpsaID in oneM2M terms */
	char impi[GBA_NAF_IMPI_MAX + 1];
	char fqdn[GBA_NAF_FQDN_MAX + 1];	/* the NAF FQDN the key was made for */
	uint8_t ua_id[GBA_NAF_UA_ID_LEN];
	time_t expiry;
	bool gba_u;
	enum gba_naf_key_use use;
	uint8_t fp[GBA_NAF_FP_LEN];		/* fingerprint of the key used */
};

/* ------------------------------------------------------------------ TLS-PSK */

#define GBA_NAF_TLS_UICC	0x1	/* Ks_int_NAF; hint "3GPP-bootstrapping-uicc" */
#define GBA_NAF_TLS_REQUIRE_SNI	0x2	/* refuse a ClientHello without server_name */
#define GBA_NAF_TLS_KEEP_CIPHERS 0x4	/* do not set the PSK cipher list on the SSL_CTX */

/*
 * Make a TLS or DTLS server SSL_CTX authenticate clients with GBA keys: the PSK callbacks
 * (TLS 1.2 with Ua id 01 00 01 yy zz from the chosen suite and psk_identity_hint
 * "3GPP-bootstrapping[-uicc]"; TLS 1.3 with an external PSK, Ua id 01 00 00 00 07), a
 * servername callback (SNI picks the NAF FQDN; an unknown name is refused), the PSK cipher
 * list (TLS_PSK_WITH_AES_128_CBC_SHA256 first; AES_128_CCM_8 for DTLS) and no session
 * resumption (each connection is checked against the key's lifetime). psk_identity is the
 * bare B-TID or "3GPP-bootstrapping." / "3GPP-bootstrapping-uicc." B-TID (the latter selects
 * Ks_int_NAF). 'naf' must outlive the SSL_CTX. 0, -EINVAL, -EIO (OpenSSL refused).
 */
int gba_naf_tls_setup(struct gba_naf *naf, struct ssl_ctx_st *ctx, unsigned int flags);

/* The peer of an SSL after a successful handshake. 0, or -ENOENT (no GBA key was used). */
int gba_naf_tls_peer(struct ssl_st *ssl, struct gba_naf_peer *out);

/* Why the last handshake on 'ssl' found no key (0 if it did): -ENOENT, -EKEYEXPIRED... */
int gba_naf_tls_error(struct ssl_st *ssl);

/* ------------------------------------------------------------------ HTTP Digest */

#define GBA_NAF_DIGEST_HDR_MAX	4096

/*
 * A WWW-Authenticate value for a 401 (TS 24.109 5.2.4): realm "3GPP-bootstrapping@fqdn"
 * ("-uicc" with 'uicc'), a fresh nonce bound to the FQDN and the time (valid 300 s),
 * qop="auth-int,auth", algorithm=MD5; 'stale' after an outdated nonce.
 * Returns the length, -ENOSPC, -EINVAL (unknown FQDN), -EIO.
 */
int gba_naf_digest_challenge(struct gba_naf *naf, const char *fqdn, bool uicc, bool stale,
			     char *out, size_t outlen);

/*
 * Check an Authorization header ('authz', 'len' bytes) of a request 'method' for 'uri' on
 * 'fqdn' with entity 'body' (auth-int): username = B-TID, password = base64(key) for
 * NAF_Id = fqdn || 01 00 00 00 02 (Ks_(ext)_NAF; Ks_int_NAF for the "-uicc" realm).
 * 'uri' NULL: the Digest uri is not compared with the request's. Returns 0 with *peer
 * filled; -EACCES (wrong response, foreign realm, uri or nonce), -ESTALE (nonce older than
 * 300 s: challenge again with stale=true), -ENOENT / -EKEYEXPIRED (send a fresh 401 so
 * that the UE bootstraps again), -EINVAL (malformed), or a Zn error (answer 503).
 */
int gba_naf_digest_verify(struct gba_naf *naf, const char *fqdn, const char *authz, size_t len,
			  const char *method, const char *uri, const uint8_t *body,
			  size_t body_len, struct gba_naf_peer *peer);

/*
 * The Authentication-Info value (qop, rspauth over the answer's body 'rbody', cnonce, nc)
 * for a request whose 'authz' gba_naf_digest_verify() accepted. Length, -ENOSPC, or an
 * error of gba_naf_digest_verify().
 */
int gba_naf_digest_auth_info(struct gba_naf *naf, const char *fqdn, const char *authz,
			     size_t len, const uint8_t *rbody, size_t rbody_len, char *out,
			     size_t outlen);

#ifdef __cplusplus
}
#endif

#endif /* GBA_NAF_H */
