/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * libgba-ue internals: the struct behind the public struct gba_ue (card session state with
 * every file read once, Ub client settings, the current bootstrap) and the functions the
 * files of ue/ call across each other: card.c (APDUs), ub.c (BSF client), cache.c (GBA_ME
 * bootstrap file), naf.c (NAF keys), ua_tls.c / ua_digest.c (Ua clients).
 */
#ifndef GBA_UE_PRIV_H
#define GBA_UE_PRIV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <gba/ue.h>
#include <gba/keys.h>
#include <gba/identity.h>
#include <gba/transport.h>

/* One card application found in EF_DIR. */
struct ue_app {
	bool present;
	uint8_t aid[16];
	size_t aid_len;
};

/* The bootstrap in force (GBA_ME: Ks in memory; GBA_U: Ks on the card). */
struct ue_boot {
	bool valid;
	bool gba_u;
	char btid[GBA_UE_BTID_MAX + 1];
	char impi[GBA_UE_IMPI_MAX + 1];
	uint8_t rand[GBA_RAND_LEN];
	uint8_t ks[GBA_KS_LEN];		/* GBA_ME only */
	time_t expiry;
	bool from_cache;
	bool resynced;
};

struct gba_ue {
	struct gba_transport *t;	/* counting wrapper around the real transport */
	struct gba_transport *inner;
	unsigned int apdus;
	char reader[128];
	char err[256];

	/* options, copied */
	char *bsf_url_opt;
	char *pin;
	char *cache_dir;
	char *product;
	bool no_cache;
	bool force_gba_me;
	long http_timeout_ms;

	/* card session: each application selected and each file read once */
	bool identified;
	struct ue_app usim, isim;
	int cur_app;			/* enum gba_app_type of the selected ADF */
	int gba_app;			/* the application GBA runs on */
	char iccid[21];
	char imsi[16];
	unsigned int mnc_len;
	char impi[GBA_UE_IMPI_MAX + 1];
	bool impi_from_isim;
	bool gba_u_capable;
	bool gba_u_fallback;		/* the card refused the GBA context (6A86 / 9864) */
	bool pin_enabled;
	bool no_sfi;			/* the card refuses READ BINARY by short file id */
	enum gba_ue_pin_state pin_state;
	int pin_retries;
	bool gbabp_read;
	uint8_t gbabp[256];
	size_t gbabp_len;		/* bytes read */
	size_t gbabp_size;		/* file size from the FCP */

	struct ue_boot boot;
};

/* Record an error: message into ue->err, returns 'rc'. */
int ue_err(struct gba_ue *ue, int rc, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* True when GBA_U is to be used. */
bool ue_gba_u(const struct gba_ue *ue);

/* ---- card.c */

/* Wrap 't' in the APDU-counting transport and identify the card. 0 or negative errno. */
int ue_card_attach(struct gba_ue *ue, struct gba_transport *t);
int ue_card_identify(struct gba_ue *ue);
int ue_card_verify_pin(struct gba_ue *ue, const char *pin);

/* Outcome of an AKA run on the card. */
struct ue_aka {
	bool sync;			/* AUTS returned */
	uint8_t res[GBA_RES_MAX_LEN];
	size_t res_len;
	uint8_t ks[GBA_KS_LEN];		/* GBA_ME: CK || IK */
	uint8_t auts[GBA_AUTS_LEN];
};

/*
 * AUTHENTICATE in the GBA context (gba_u, mode DD) or the 3G context. 0 (check a->sync);
 * -EBADMSG MAC failure (9862); -EOPNOTSUPP the card refused the GBA context (6A86 / 9864);
 * -EACCES PIN needed; transport errors.
 */
int ue_card_aka(struct gba_ue *ue, bool gba_u, const uint8_t rand[GBA_RAND_LEN],
		const uint8_t autn[GBA_AUTN_LEN], struct ue_aka *a);

/* GBA_U NAF derivation (mode DE): Ks_ext_NAF. 0; -ENOKEY no Ks on the card (6985). */
int ue_card_naf(struct gba_ue *ue, const uint8_t *naf_id, size_t naf_id_len, const char *impi,
		uint8_t key[GBA_KS_NAF_LEN]);

/* EF_GBABP of the GBA application, read once per session. 0, -ENOENT when erased. */
int ue_card_gbabp(struct gba_ue *ue, const uint8_t **buf, size_t *len);

/* Write RAND, B-TID and lifetime to EF_GBABP. 0 or negative errno. */
int ue_card_gbabp_write(struct gba_ue *ue, const uint8_t rand[GBA_RAND_LEN], const char *btid,
			const char *lifetime);

/* GBA_U: take the card's EF_GBABP bootstrap when its lifetime ends after 'now'.
 * 0; -ENOENT none; -ESTALE expired. */
int ue_card_boot_load(struct gba_ue *ue, time_t now);

/* "USIM" / "ISIM" / "unknown": the application GBA runs on. */
const char *ue_card_app_name(const struct gba_ue *ue);

/* ---- ub.c */

/* The BSF URL in force (option, or derived from the IMSI). 0 or negative errno. */
int ue_bsf_url(struct gba_ue *ue, char *out, size_t outlen);

/* Run Ub against the BSF and fill ue->boot. 0 or negative errno (ue->err set). */
int ue_ub_bootstrap(struct gba_ue *ue, const char *bsf_url, bool gba_u);

/* ---- cache.c */

/* Cache file path for (impi, bsf_url) into 'out'. 0 or negative errno. */
int ue_cache_path(const struct gba_ue *ue, const char *bsf_url, char *out, size_t outlen);

/* Load the bootstrap from 'path' into 'b' if it is for 'impi' and still valid at 'now'.
 * 0; -ENOENT absent; -ESTALE expired; -EINVAL corrupt. */
int ue_cache_load(const char *path, const char *impi, time_t now, struct ue_boot *b);

/* Store 'b' atomically (temp file 0600 + rename), creating the directory 0700. */
int ue_cache_store(const char *path, const struct ue_boot *b);

/* Remove the cache file (a NAF refused the key). */
void ue_cache_drop(const char *path);

/* ---- ua_tls.c, ua_digest.c */
int ue_tls_get(struct gba_ue *ue, const char *url, unsigned int flags,
	       struct gba_ue_response *resp);
int ue_digest_get(struct gba_ue *ue, const char *url, struct gba_ue_response *resp);

/* URL pieces: scheme (http/https), host, port, path (with query). 0 or -EINVAL. */
struct ue_url {
	bool https;
	char host[256];
	unsigned int port;
	char path[GBA_UE_URL_MAX];
};
int ue_url_parse(struct ue_url *u, const char *url);

#endif /* GBA_UE_PRIV_H */
