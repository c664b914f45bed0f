/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Internals of the software UICC shared by the files of uicc/: the file-system model,
 * the card structure with its volatile and persistent state, the SQN array of
 * TS 33.102 Annex C.3.2, and the functions each file provides. Not installed.
 */
#ifndef GBA_UICC_CARD_H
#define GBA_UICC_CARD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <gba/apdu.h>
#include <gba/keys.h>
#include <gba/profile.h>
#include <gba/uicc.h>

/* ---- file system (TS 102 221 clause 8) */
enum uicc_ftype { UF_MF, UF_DF, UF_ADF, UF_EF_T, UF_EF_LF };
enum uicc_acc { ACC_ALW, ACC_PIN1, ACC_ADM, ACC_NEV };
enum uicc_app { APP_NONE, APP_USIM, APP_ISIM, _APP_COUNT };

struct uicc_file {
	uint16_t fid;
	uint8_t type;			/* enum uicc_ftype */
	uint8_t sfi;			/* 0 = none */
	uint8_t acc_read, acc_update;	/* enum uicc_acc */
	uint8_t app;			/* enum uicc_app of the ADF above it */
	uint8_t rec_len, n_rec;		/* linear fixed EFs */
	size_t size;			/* body size (rec_len * n_rec for records) */
	uint8_t *data;
	uint8_t aid[16];		/* ADF only */
	uint8_t aid_len;
	bool dirty;			/* body differs from the profile: goes to the state file */
	const char *name;
	struct uicc_file *parent, *child, *next;
};

/* ---- SQN array (TS 33.102 Annex C.3.2) */
#define UICC_IND_BITLEN_MAX	10

struct uicc_sqn {
	unsigned int ind_bitlen;
	uint64_t delta;			/* C.2.1; 0 = no limit */
	uint64_t age_limit;		/* C.2.2 L; 0 = no limit */
	uint64_t seq[1u << UICC_IND_BITLEN_MAX];	/* SEQ_MS(i), highest SEQ accepted in slot i */
};

/* Set every slot from the highest SQN already accepted ('initial', 48 bits). */
void uicc_sqn_init(struct uicc_sqn *s, unsigned int ind_bitlen, uint64_t initial, uint64_t delta,
		   uint64_t age_limit);
/*
 * Annex C.3.2 check of a received SQN. Returns 0 when fresh, -EALREADY when SEQ <= SEQ_MS(IND)
 * (replay), -ESTALE when older than the age limit L, -ERANGE when more than delta ahead.
 */
int uicc_sqn_check(const struct uicc_sqn *s, uint64_t sqn);
/* Record an accepted SQN: SEQ_MS(IND) := SEQ. */
void uicc_sqn_accept(struct uicc_sqn *s, uint64_t sqn);
/* SQN_MS for AUTS: the highest SQN accepted so far (SEQ || IND of that slot). */
uint64_t uicc_sqn_ms(const struct uicc_sqn *s);

/* ---- PINs (TS 102 221 9.5) */
#define UICC_PIN_LEN	8
struct uicc_pin {
	uint8_t val[UICC_PIN_LEN];	/* ASCII digits padded with FF; ADM: 8 raw bytes */
	uint8_t tries, max;
	bool set;			/* the profile defines this key */
	bool enabled;			/* PIN1 only: verification required */
	bool verified;			/* volatile */
};

/* ---- GBA_U state of one application (TS 33.220 G.1/G.2) */
#define UICC_GBANL_RECS		5
#define UICC_GBANL_REC_LEN	250
#define UICC_GBABP_SIZE		200

struct uicc_gba {
	bool ks_valid;
	uint8_t ks[GBA_KS_LEN];
	uint8_t rand[GBA_RAND_LEN];
	uint32_t lru_clock;
	struct {
		bool valid;
		uint32_t used;		/* lru_clock value of the last use */
		uint8_t ks_int_naf[GBA_KS_NAF_LEN];	/* kept on the card, never output */
	} nl[UICC_GBANL_RECS];
};

struct gba_uicc {
	struct gba_profile prof;	/* a copy, K/OPc included: zeroized on free */
	struct uicc_file *mf;
	struct uicc_file *adf[_APP_COUNT];
	struct uicc_file *all[64];	/* every file, for lookups by the state code */
	size_t n_all;

	/* volatile */
	struct uicc_file *cur_df, *cur_ef, *cur_adf;
	int cur_rec;			/* 1-based, 0 = none */
	uint8_t resp[GBA_UICC_RAPDU_MAX];	/* pending GET RESPONSE data */
	size_t resp_len;
	bool resp_secret, last_secret;

	/* persistent */
	struct uicc_pin pin1, puk1, adm1;
	struct uicc_sqn sqn;
	struct uicc_gba gba[_APP_COUNT];

	/* options */
	char *state_path;
	int lock_fd;
	bool no_fsync;
	uint16_t sw_no_gba;
	void (*hook)(enum gba_uicc_hook_point, void *);
	void *hook_arg;
	uint8_t atr[GBA_UICC_ATR_MAX];
	size_t atr_len;
};

/* fs.c */
struct uicc_file *uicc_fs_add(struct gba_uicc *c, struct uicc_file *parent, uint16_t fid,
			      enum uicc_ftype type, uint8_t sfi, enum uicc_acc rd, enum uicc_acc upd,
			      const char *name, size_t size, uint8_t rec_len);
struct uicc_file *uicc_fs_child(const struct uicc_file *df, uint16_t fid);
struct uicc_file *uicc_fs_by_sfi(const struct uicc_file *df, uint8_t sfi);
int uicc_fs_build(struct gba_uicc *c);
void uicc_fs_free(struct gba_uicc *c);
/* FCP template (TS 102 221 11.1.1.3) of 'f' into out; returns its length. */
size_t uicc_fs_fcp(const struct gba_uicc *c, const struct uicc_file *f, uint8_t *out, size_t max);
/* TS 102 221 swapped BCD of a digit string into out (len bytes, F padded). */
void uicc_bcd_swapped(uint8_t *out, size_t len, const char *digits);
struct uicc_file *uicc_app_ef(const struct gba_uicc *c, enum uicc_app app, uint16_t fid);
void uicc_ef_set(struct uicc_file *f, const void *data, size_t len);

/* usim.c / isim.c: the ADFs and their EFs from the profile. 0 or -EINVAL. */
int uicc_usim_build(struct gba_uicc *c);
int uicc_isim_build(struct gba_uicc *c);
extern const uint8_t uicc_usim_aid[16];
extern const uint8_t uicc_isim_aid[16];

/* pin.c: VERIFY/CHANGE/DISABLE/ENABLE/UNBLOCK PIN. Returns the status word. */
uint16_t uicc_pin_cmd(struct gba_uicc *c, const struct gba_capdu *cmd);
void uicc_pins_init(struct gba_uicc *c);
bool uicc_acc_ok(const struct gba_uicc *c, enum uicc_acc acc);

/* auth.c: AUTHENTICATE (INS 88). Writes response data; returns the status word. */
uint16_t uicc_authenticate(struct gba_uicc *c, const struct gba_capdu *cmd, uint8_t *out,
			   size_t *outlen);
/* EF_GBABP UPDATE rule: may 'newbody' replace the EF of 'app'? Returns the status word. */
uint16_t uicc_gbabp_update_ok(const struct gba_uicc *c, enum uicc_app app, const uint8_t *newbody,
			      size_t len);

/* state.c */
/* Persist everything now (atomic). 0, or negative errno (the card then answers 6581). */
int uicc_state_save(struct gba_uicc *c);
/* Load c->state_path over the profile defaults. 0, -ENOENT when absent, -EBADMSG, -EACCES... */
int uicc_state_load(struct gba_uicc *c, char *err, size_t errlen);
int uicc_state_lock(struct gba_uicc *c, char *err, size_t errlen);

#endif /* GBA_UICC_CARD_H */
