/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * libgba-ue: the UE side of GBA (TS 33.220) for device makers and card hackers.
 *
 * One struct gba_ue is one card session (a PC/SC reader, or a card reached through a
 * callback such as an in-process soft UICC) plus a BSF client (Ub, TS 24.109, HTTP Digest
 * AKAv1-MD5 over libcurl), a bootstrap cache and the Ua clients (TLS-PSK with OpenSSL, HTTP
 * Digest). GBA_U is used when the card offers it (EF_UST service 68 / EF_IST service 2):
 * CK and IK then never leave the card and Ks_ext_NAF comes from the card; otherwise GBA_ME
 * computes Ks = CK || IK in the ME and caches it in a 0600 file.
 *
 * Every function returns 0 (or a length) on success and a negative errno on failure;
 * gba_ue_errmsg() then says what went wrong in one English line. The errno values are:
 *   -EHOSTDOWN   pcscd not running              -ENODEV     no (matching) reader
 *   -ENOMEDIUM   no card / card removed         -EACCES     PIN needed or wrong PIN
 *   -ECOMM       card communication failed (e.g. the card went away mid-command)
 *   -EPERM       PIN blocked, or the BSF refused (403)
 *   -EBADMSG     the card rejected the BSF's AUTN (MAC failure), or a bad rspauth
 *   -EAGAIN      the BSF is unavailable (503)   -ECONNREFUSED / -ETIMEDOUT  network
 *   -EPROTO      the BSF/NAF answered something malformed
 *   -EOPNOTSUPP  the card has no USIM/ISIM or cannot do what was asked
 *   -EINVAL      bad argument                   -EIO        anything else
 * Key bytes are never logged; callers wipe struct gba_ue_naf_key with gba_ue_key_wipe().
 */
#ifndef GBA_UE_H
#define GBA_UE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#ifdef __cplusplus
extern "C" {
#endif

#define GBA_UE_KEY_LEN		32	/* Ks_NAF, Ks_ext_NAF */
#define GBA_UE_UA_ID_LEN	5	/* Ua security protocol identifier (TS 33.220 Annex H) */
#define GBA_UE_BTID_MAX		300
#define GBA_UE_IMPI_MAX		255
#define GBA_UE_URL_MAX		512

struct gba_ue;
struct gba_transport;	/* gbakit's APDU transport (in-tree users only) */
struct ssl_st;		/* OpenSSL's SSL */

/* Ua security protocol ids (TS 33.220 H.3). */
extern const uint8_t gba_ue_ua_http_digest[GBA_UE_UA_ID_LEN];	/* 01 00 00 00 02 */
extern const uint8_t gba_ue_ua_tls13[GBA_UE_UA_ID_LEN];	/* 01 00 00 00 07 */

/* Ua id 01 00 01 yy zz for a TLS 1.2 cipher suite (TS 33.222 5.3/5.4). */
void gba_ue_ua_tls12(uint8_t out[GBA_UE_UA_ID_LEN], uint16_t suite);

struct gba_ue_opts {
	const char *reader;	/* PC/SC reader name substring; NULL: first reader with a card */
	int card_wait_ms;	/* wait for a card: 0 = no wait */
	const char *bsf_url;	/* NULL: http://bsf.mncXXX.mccYYY.pub.3gppnetwork.org (TS 23.003) */
	const char *pin;	/* verified when the card asks for it; NULL: never sent */
	const char *cache_dir;	/* NULL: $XDG_STATE_HOME/gbakit or ~/.local/state/gbakit */
	bool no_cache;		/* GBA_ME: neither read nor write the cache file */
	bool force_gba_me;	/* never use the card's GBA context */
	const char *product;	/* User-Agent product; NULL: "gbakit/<version>" */
	long http_timeout_ms;	/* 0: 10 s */
};

/*
 * Open the card in a PC/SC reader and identify it (EF_DIR, EF_ICCID, the USIM/ISIM files).
 * 'o' may be NULL. Returns 0 and *out, or the errors above (a PIN-protected card opens
 * fine: the PIN state is reported by gba_ue_card_info()). On failure *out is still set
 * when the error is about the card (so gba_ue_errmsg() works); free it with gba_ue_free().
 */
int gba_ue_open(struct gba_ue **out, const struct gba_ue_opts *o);

/*
 * The same with a card reached through 'apdu' (a whole C-APDU in, a whole R-APDU out, the
 * shape of gba_uicc_transmit()), e.g. the in-process soft UICC. 'ctx' is passed through.
 */
typedef int (*gba_ue_apdu_fn)(void *ctx, const uint8_t *capdu, size_t clen, uint8_t *rapdu,
			      size_t *rlen);
int gba_ue_open_apdu(struct gba_ue **out, gba_ue_apdu_fn apdu, void *ctx,
		     const struct gba_ue_opts *o);

/* The same with a transport from gbakit's apdu/ (taken over: gba_ue_free() closes it). */
int gba_ue_open_transport(struct gba_ue **out, struct gba_transport *t,
			  const struct gba_ue_opts *o);

/* Wipe every key and close the card. NULL is allowed. */
void gba_ue_free(struct gba_ue *ue);

/* The last error's text (never NULL; "" when none). */
const char *gba_ue_errmsg(const struct gba_ue *ue);

/* Logging: a level spec such as "info" or "ue=debug,apdu=debug" to stderr. 0 or -EINVAL. */
int gba_ue_log_setup(const char *spec);

/* List PC/SC readers: 'cb' per reader. Returns the count, -EHOSTDOWN, -EIO. */
int gba_ue_list_readers(void (*cb)(void *arg, const char *reader, bool card_present), void *arg);

enum gba_ue_pin_state {
	GBA_UE_PIN_UNKNOWN = 0,
	GBA_UE_PIN_DISABLED,	/* no PIN needed */
	GBA_UE_PIN_VERIFIED,	/* enabled and verified in this session */
	GBA_UE_PIN_REQUIRED,	/* enabled, not verified: pin_retries tells how many tries left */
	GBA_UE_PIN_BLOCKED,	/* PUK needed */
};

/* "unknown", "disabled", "verified", "required", "blocked". */
const char *gba_ue_pin_state_name(enum gba_ue_pin_state s);

struct gba_ue_card_info {
	char reader[128];
	char iccid[21];
	char imsi[16];
	unsigned int mnc_len;			/* 2 or 3 */
	char impi[GBA_UE_IMPI_MAX + 1];	/* ISIM EF_IMPI, else derived from the IMSI */
	bool impi_from_isim;
	bool has_usim;
	bool has_isim;
	char app[8];			/* "USIM" or "ISIM": the application used for GBA */
	bool gba_u;			/* the card offers GBA_U (UST 68 / IST 2) */
	bool gba_u_used;		/* GBA_U will be used (not forced off, no fallback) */
	enum gba_ue_pin_state pin_state;
	int pin_retries;		/* -1 unknown */
	char bsf_url[GBA_UE_URL_MAX];	/* what bootstrap will use */
	unsigned int apdus;		/* APDUs exchanged so far in this session */
};

/* What the card is. Returns 0, or -EACCES when the card's files need the PIN first. */
int gba_ue_card_info(struct gba_ue *ue, struct gba_ue_card_info *info);

/* VERIFY PIN1 now. 0; -EACCES wrong (retries in errmsg); -EPERM blocked; -EINVAL bad PIN. */
int gba_ue_verify_pin(struct gba_ue *ue, const char *pin);

/* Number of APDUs exchanged with the card so far. */
unsigned int gba_ue_apdu_count(const struct gba_ue *ue);

struct gba_ue_bootstrap {
	char btid[GBA_UE_BTID_MAX + 1];
	time_t expiry;			/* key lifetime, absolute UTC */
	bool gba_u;			/* Ks lives on the card */
	bool from_cache;		/* no Ub run: cache (GBA_ME) or EF_GBABP (GBA_U) */
	bool resynced;			/* an AUTS resynchronisation happened */
	char impi[GBA_UE_IMPI_MAX + 1];
};

/*
 * Make sure a valid Ks exists: reuse the cache / EF_GBABP unless 'force' or expired, else
 * run Ub against the BSF. 'out' may be NULL. Returns 0 or the errors above.
 */
int gba_ue_bootstrap(struct gba_ue *ue, bool force, struct gba_ue_bootstrap *out);

struct gba_ue_naf_key {
	uint8_t key[GBA_UE_KEY_LEN];	/* Ks_NAF (GBA_ME) or Ks_ext_NAF (GBA_U) */
	char btid[GBA_UE_BTID_MAX + 1];
	time_t expiry;
	bool gba_u;			/* key is Ks_ext_NAF */
	uint8_t ua_id[GBA_UE_UA_ID_LEN];
};

/*
 * The NAF key for (naf_fqdn, ua_id); bootstraps first when needed or when 'force'.
 * Returns 0, -EINVAL for a bad FQDN, or the errors above.
 */
int gba_ue_naf_key(struct gba_ue *ue, const char *naf_fqdn, const uint8_t ua_id[GBA_UE_UA_ID_LEN],
		   bool force, struct gba_ue_naf_key *out);

/* Wipe a NAF key. */
void gba_ue_key_wipe(struct gba_ue_naf_key *k);

/* TLS-PSK (Ua, TS 33.222 5.4 / oneM2M TS-0003 10.2). */
#define GBA_UE_TLS_BTID_PREFIX	0x01	/* psk_identity "3GPP-bootstrapping" "." B-TID */
#define GBA_UE_TLS_12_ONLY	0x02
#define GBA_UE_TLS_13_ONLY	0x04

/*
 * Make 'ssl' (an OpenSSL client SSL, not yet connected) use GBA keys: SNI = naf_fqdn,
 * psk_identity = B-TID; TLS 1.2 keys are derived after ServerHello with the Ua id of the
 * suite the server chose, TLS 1.3 with 01 00 00 00 07. The ue must outlive 'ssl'.
 * Bootstraps first when no valid Ks exists. Returns 0 or the errors above.
 */
int gba_ue_tls_psk_attach(struct gba_ue *ue, struct ssl_st *ssl, const char *naf_fqdn,
			  unsigned int flags);

/* TLS 1.2 cipher suite id for an OpenSSL or IANA suite name; -ENOENT when unknown. */
int gba_ue_tls_suite_id(const char *name);

struct gba_ue_response {
	long status;		/* HTTP status */
	char *body;		/* malloc()ed, NUL-terminated; free with gba_ue_response_free() */
	size_t body_len;
	char tls_version[16];	/* "TLSv1.2", "TLSv1.3"; "" without TLS */
	char cipher[64];	/* negotiated suite name */
	bool rebootstrapped;	/* a NAF 401 made us bootstrap again */
};
void gba_ue_response_free(struct gba_ue_response *r);

/*
 * Send one GET to 'url' and collect the answer. https://: TLS-PSK with GBA keys (flags as
 * above), plain HTTP/1.1 inside. http://: HTTP Digest with username B-TID and password
 * base64(Ks_(ext)_NAF) when the NAF challenges with realm 3GPP-bootstrapping[-uicc]@FQDN;
 * a second 401 after that makes one new bootstrap and retry. Returns 0 (any HTTP status)
 * or the errors above (-EACCES: the TLS handshake or the NAF refused our key).
 */
int gba_ue_get(struct gba_ue *ue, const char *url, unsigned int flags,
	       struct gba_ue_response *resp);

#ifdef __cplusplus
}
#endif

#endif /* GBA_UE_H */
