/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The UICC commands and file contents gbakit speaks (TS 102 221, TS 31.102 USIM,
 * TS 31.103 ISIM): builders of C-APDUs for the ME side, parsers of the same
 * commands for the card side, and both directions of AUTHENTICATE (3G context
 * P2=81, GBA context P2=84 in bootstrapping mode DD and NAF derivation mode DE),
 * FCP templates, EF_DIR records, EF_GBABP, EF_GBANL, EF_IMPI and service tables.
 *
 * Builders write a complete short C-APDU into 'out' (GBA_CAPDU_SHORT_MAX_LEN is
 * always enough) and return its length, -EINVAL for bad arguments, -ENOSPC when
 * 'out' is too small. 'chan' is the logical channel (0..19) put into the CLA.
 * Card-side parsers take a decoded struct gba_capdu (<gba/apdu.h>) and return 0,
 * -EINVAL for a malformed command (the card answers 6700 / 6A80 / 6A86 as the
 * comment says), -EOPNOTSUPP for a well-formed variant gbakit does not implement.
 * Response builders write response DATA only (no SW: append it with
 * gba_rapdu_build()). Pointers in parsed structs point into the parsed buffer.
 *
 * Structures that can hold RES, CK, IK, Kc or Ks_ext_NAF must be wiped with
 * gba_zeroize() by their owner after use.
 */
#ifndef GBA_UICC_CMD_H
#define GBA_UICC_CMD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <gba/apdu.h>
#include <gba/keys.h>

/* Instruction bytes. */
#define GBA_INS_SELECT		0xA4
#define GBA_INS_STATUS		0xF2	/* CLA 8X */
#define GBA_INS_READ_BINARY	0xB0
#define GBA_INS_UPDATE_BINARY	0xD6
#define GBA_INS_READ_RECORD	0xB2
#define GBA_INS_UPDATE_RECORD	0xDC
#define GBA_INS_VERIFY		0x20
#define GBA_INS_CHANGE_PIN	0x24
#define GBA_INS_UNBLOCK_PIN	0x2C
#define GBA_INS_AUTHENTICATE	0x88
#define GBA_INS_GET_RESPONSE	0xC0
#define GBA_INS_MANAGE_CHANNEL	0x70

/* File identifiers. */
#define GBA_FID_MF		0x3F00
#define GBA_FID_EF_DIR		0x2F00
#define GBA_FID_EF_ICCID	0x2FE2
#define GBA_FID_ADF_CURRENT	0x7FFF	/* the current application's ADF */
#define GBA_FID_USIM_EF_IMSI	0x6F07
#define GBA_FID_USIM_EF_AD	0x6FAD
#define GBA_FID_USIM_EF_UST	0x6F38
#define GBA_FID_USIM_EF_GBABP	0x6FD6
#define GBA_FID_USIM_EF_GBANL	0x6FDA
#define GBA_FID_USIM_EF_NAFKCA	0x6FDD
#define GBA_FID_ISIM_EF_IMPI	0x6F02
#define GBA_FID_ISIM_EF_DOMAIN	0x6F03
#define GBA_FID_ISIM_EF_IMPU	0x6F04
#define GBA_FID_ISIM_EF_IST	0x6F07
#define GBA_FID_ISIM_EF_GBABP	0x6FD5
#define GBA_FID_ISIM_EF_GBANL	0x6FD7

/* Service numbers (EF_UST / EF_IST). */
#define GBA_UST_GBA		68
#define GBA_IST_GBA		2

/* AIDs: RID + application code, the prefix a card's full AID starts with. */
#define GBA_AID_MAX		16
#define GBA_AID_PREFIX_LEN	7
extern const uint8_t gba_aid_usim_prefix[GBA_AID_PREFIX_LEN];	/* A0 00 00 00 87 10 02 */
extern const uint8_t gba_aid_isim_prefix[GBA_AID_PREFIX_LEN];	/* A0 00 00 00 87 10 04 */

enum gba_app_type {
	GBA_APP_UNKNOWN = 0,
	GBA_APP_USIM,
	GBA_APP_ISIM,
};

/* USIM or ISIM from an AID's first 7 bytes; GBA_APP_UNKNOWN otherwise (and for len < 7). */
enum gba_app_type gba_aid_app_type(const uint8_t *aid, size_t len);

/* "USIM", "ISIM" or "unknown". */
const char *gba_app_type_name(enum gba_app_type t);

/*
 * Any short command: CLA = gba_cla_make(base, chan) ('base' GBA_CLA_ISO or
 * GBA_CLA_UICC), data 'nc' bytes (0..255), 'ne' 0..256. The builders below use it.
 */
int gba_cmd_build(uint8_t *out, size_t outlen, uint8_t base, unsigned int chan, uint8_t ins,
		  uint8_t p1, uint8_t p2, const uint8_t *data, size_t nc, uint32_t ne);

/* ------------------------------------------------------------------ SELECT */

/* P1 of SELECT (TS 102 221 11.1.1.2). */
enum gba_select_by {
	GBA_SELECT_FID = 0x00,		/* MF, DF or EF by file id */
	GBA_SELECT_CHILD_DF = 0x01,
	GBA_SELECT_PARENT_DF = 0x03,
	GBA_SELECT_AID = 0x04,		/* DF name (ADF by full or partial AID) */
	GBA_SELECT_PATH_MF = 0x08,	/* path from the MF (MF id not included) */
	GBA_SELECT_PATH_DF = 0x09,	/* path from the current DF */
};

/* P2 of SELECT: what to return (b4..b3), with the "first or only occurrence" b2b1 = 00. */
#define GBA_SELECT_RET_FCP	0x04
#define GBA_SELECT_RET_NONE	0x0C

#define GBA_SELECT_PATH_MAX	8	/* file ids in one path */

/* SELECT by file id: 00 A4 00 P2 02 FID [00 when fcp]. */
int gba_cmd_select_fid(uint8_t *out, size_t outlen, unsigned int chan, uint16_t fid, bool fcp);

/*
 * SELECT by path: 00 A4 08|09 P2 2n FID1..FIDn [00]. 'from_mf' picks P1 08 (the path
 * must not start with 3F00) or 09. n = 1..GBA_SELECT_PATH_MAX.
 */
int gba_cmd_select_path(uint8_t *out, size_t outlen, unsigned int chan, const uint16_t *path,
			size_t n, bool from_mf, bool fcp);

/*
 * SELECT by DF name: 00 A4 04 04|0C Lc AID [00]. A partial AID (e.g. the 7-byte USIM
 * prefix) is allowed; aid_len 1..16.
 */
int gba_cmd_select_aid(uint8_t *out, size_t outlen, unsigned int chan, const uint8_t *aid,
		       size_t aid_len, bool fcp);

/* A parsed SELECT (card side). */
struct gba_select_cmd {
	enum gba_select_by by;
	uint8_t p2;			/* as sent */
	bool fcp;			/* P2 asks for the FCP template (04) */
	uint16_t fid;			/* GBA_SELECT_FID / CHILD_DF */
	uint16_t path[GBA_SELECT_PATH_MAX];	/* GBA_SELECT_PATH_MF / PATH_DF */
	size_t path_len;
	const uint8_t *aid;		/* GBA_SELECT_AID, 1..16 bytes */
	size_t aid_len;
	uint8_t occurrence;		/* P2 b2..b1 for AID selection: 0 first, 2 next... */
};

/*
 * Parse a SELECT. Returns 0; -EINVAL for wrong INS, Lc not matching P1 (FID with
 * Lc != 2, odd path, AID longer than 16) (card: 6700), P1/P2 not of TS 102 221
 * (card: 6A86); -EOPNOTSUPP for P2 = FCI/FMD (card: 6A86).
 */
int gba_select_cmd_parse(struct gba_select_cmd *s, const struct gba_capdu *c);

/* --------------------------------------------------- READ/UPDATE BINARY/RECORD */

/* READ BINARY 00 B0 offset(15 bits) Le; ne 1..256. */
int gba_cmd_read_binary(uint8_t *out, size_t outlen, unsigned int chan, uint16_t offset,
			uint32_t ne);

/* UPDATE BINARY 00 D6 offset(15 bits) Lc data; len 1..255. */
int gba_cmd_update_binary(uint8_t *out, size_t outlen, unsigned int chan, uint16_t offset,
			  const uint8_t *data, size_t len);

/* Record mode (P2 b3..b1 of READ/UPDATE RECORD). */
enum gba_rec_mode {
	GBA_REC_NEXT = 0x02,
	GBA_REC_PREVIOUS = 0x03,
	GBA_REC_ABSOLUTE = 0x04,	/* absolute record number, or current record when rec = 0 */
};

/* READ RECORD 00 B2 rec P2 Le with P2 = sfi << 3 | mode (sfi 0 = current EF, 1..30); ne 1..256. */
int gba_cmd_read_record(uint8_t *out, size_t outlen, unsigned int chan, uint8_t rec,
			enum gba_rec_mode mode, uint8_t sfi, uint32_t ne);

/* UPDATE RECORD 00 DC rec P2 Lc data; len 1..255. */
int gba_cmd_update_record(uint8_t *out, size_t outlen, unsigned int chan, uint8_t rec,
			  enum gba_rec_mode mode, uint8_t sfi, const uint8_t *data, size_t len);

/* A parsed READ/UPDATE BINARY or READ/UPDATE RECORD (card side). */
struct gba_file_cmd {
	uint8_t ins;		/* B0, D6, B2 or DC */
	uint8_t sfi;		/* 0: current EF; 1..30 short file id */
	uint16_t offset;	/* BINARY: offset (0..7FFF, or 0..FF with an SFI) */
	uint8_t rec;		/* RECORD: record number (P1) */
	enum gba_rec_mode mode;	/* RECORD */
	const uint8_t *data;	/* UPDATE: the new bytes */
	size_t len;		/* UPDATE: Nc; READ: Ne (256 for Le = 00) */
};

/*
 * Parse one of B0/D6/B2/DC. Returns 0; -EINVAL for a READ with data or without Le,
 * an UPDATE without data (card: 6700), bad P1/P2 such as SFI 0 or 31 or an RFU record
 * mode (card: 6A86).
 */
int gba_file_cmd_parse(struct gba_file_cmd *f, const struct gba_capdu *c);

/* -------------------------------------------------------------- STATUS, GET RESPONSE */

/* STATUS 80 F2 P1 P2 [Le]: P1 00/01/02 (application state), P2 00 FCP, 01 AID, 0C nothing. */
#define GBA_STATUS_RET_FCP	0x00
#define GBA_STATUS_RET_AID	0x01
#define GBA_STATUS_RET_NONE	0x0C
int gba_cmd_status(uint8_t *out, size_t outlen, unsigned int chan, uint8_t p1, uint8_t p2,
		   uint32_t ne);

/* GET RESPONSE 0X C0 00 00 Le; ne 1..256. 'cla' is the class byte of the original command
 * (its channel is kept, see gba_cla_to_iso()). */
int gba_cmd_get_response(uint8_t *out, size_t outlen, uint8_t cla, uint32_t ne);

/* ------------------------------------------------------------------ PINs */

#define GBA_PIN_MIN		4
#define GBA_PIN_MAX		8
#define GBA_PIN_BLOCK_LEN	8	/* PIN digits padded with FF */
#define GBA_PIN_APPL1		0x01	/* PIN1 / application PIN of the first application */
#define GBA_PIN_UNIVERSAL	0x11
#define GBA_PIN_SECOND_APPL1	0x81	/* PIN2 (local) */

/*
 * VERIFY PIN 00 20 00 ref 08 PIN||FF..; 'pin' NULL: 00 20 00 ref (asks the number of
 * retries, answered 63Cx). 'pin' must be 4..8 decimal digits (else -EINVAL).
 */
int gba_cmd_verify_pin(uint8_t *out, size_t outlen, unsigned int chan, uint8_t ref,
		       const char *pin);

/* UNBLOCK PIN 00 2C 00 ref 10 PUK||newPIN (each padded to 8); both NULL: retry query. */
int gba_cmd_unblock_pin(uint8_t *out, size_t outlen, unsigned int chan, uint8_t ref,
			const char *puk, const char *new_pin);

/* A parsed VERIFY / CHANGE / UNBLOCK PIN (card side); digits NUL-terminated. */
struct gba_pin_cmd {
	uint8_t ins;		/* 20, 24 or 2C */
	uint8_t ref;		/* P2 */
	bool query;		/* no data: retry counter query */
	char pin[GBA_PIN_MAX + 1];	/* VERIFY: PIN; CHANGE: old PIN; UNBLOCK: PUK */
	char new_pin[GBA_PIN_MAX + 1];	/* CHANGE / UNBLOCK */
};

/*
 * Parse a PIN command. Returns 0; -EINVAL for P1 != 00, Lc other than 0/8/16, a PIN
 * block that is not 4..8 ASCII digits padded with FF (card: 6A80 or 6700).
 * Wipe the struct after use.
 */
int gba_pin_cmd_parse(struct gba_pin_cmd *p, const struct gba_capdu *c);

/* ------------------------------------------------------------------ AUTHENTICATE */

#define GBA_AUTH_P2_3G		0x81
#define GBA_AUTH_P2_GBA		0x84
#define GBA_AUTH_TAG_OK		0xDB	/* successful: RES... or Ks_ext_NAF */
#define GBA_AUTH_TAG_SYNC	0xDC	/* synchronisation failure: AUTS */
#define GBA_AUTH_MODE_BOOT	0xDD	/* GBA bootstrapping mode */
#define GBA_AUTH_MODE_NAF	0xDE	/* GBA NAF derivation mode */
#define GBA_KC_LEN		8
#define GBA_AUTH_NAF_ID_MAX	255	/* NAF_Id in AUTHENTICATE: one length byte */
#define GBA_IMPI_MAX		255

enum gba_auth_mode {
	GBA_AUTH_3G = 1,	/* P2 81: RAND, AUTN -> RES CK IK [Kc] | AUTS */
	GBA_AUTH_GBA_BOOT,	/* P2 84, DD: RAND, AUTN -> RES | AUTS */
	GBA_AUTH_GBA_NAF,	/* P2 84, DE: NAF_Id, IMPI -> Ks_ext_NAF */
};

/* AUTHENTICATE 3G: 00 88 00 81 22 10 RAND 10 AUTN 00. */
int gba_cmd_auth_3g(uint8_t *out, size_t outlen, unsigned int chan,
		    const uint8_t rand[GBA_RAND_LEN], const uint8_t autn[GBA_AUTN_LEN]);

/* AUTHENTICATE GBA bootstrapping: 00 88 00 84 23 DD 10 RAND 10 AUTN 00. */
int gba_cmd_auth_gba_boot(uint8_t *out, size_t outlen, unsigned int chan,
			  const uint8_t rand[GBA_RAND_LEN], const uint8_t autn[GBA_AUTN_LEN]);

/*
 * AUTHENTICATE GBA NAF derivation: 00 88 00 84 Lc DE L NAF_Id L IMPI 00. NAF_Id is the
 * NAF FQDN followed by the 5-byte Ua security protocol id; 1..255 bytes each, and
 * Lc = 3 + both lengths must fit 255 (else -E2BIG).
 */
int gba_cmd_auth_gba_naf(uint8_t *out, size_t outlen, unsigned int chan,
			 const uint8_t *naf_id, size_t naf_id_len,
			 const uint8_t *impi, size_t impi_len);

/* A parsed AUTHENTICATE command (card side). */
struct gba_auth_cmd {
	enum gba_auth_mode mode;
	const uint8_t *rand;		/* 3G, GBA_BOOT: 16 bytes */
	const uint8_t *autn;		/* 3G, GBA_BOOT: 16 bytes */
	const uint8_t *naf_id;		/* GBA_NAF */
	size_t naf_id_len;
	const uint8_t *impi;		/* GBA_NAF */
	size_t impi_len;
};

/*
 * Parse AUTHENTICATE (INS 88). Returns 0; -EINVAL for P1 != 00, no data, an L
 * byte that is not 10 for RAND/AUTN, lengths disagreeing with Lc, an empty NAF_Id
 * or IMPI (card: 6A80, or 6700 for Lc problems); -EOPNOTSUPP for another P2 or
 * a first data byte other than DD/DE with P2 84 (card: 6A86 or 9864).
 */
int gba_auth_cmd_parse(struct gba_auth_cmd *a, const struct gba_capdu *c);

/* A parsed AUTHENTICATE response (ME side). Wipe after use. */
struct gba_auth_rsp {
	uint8_t tag;			/* GBA_AUTH_TAG_OK or GBA_AUTH_TAG_SYNC */
	uint8_t res[GBA_RES_MAX_LEN];	/* OK (3G, GBA_BOOT) */
	size_t res_len;			/* 4..16 */
	uint8_t ck[GBA_CK_LEN];		/* OK (3G) */
	uint8_t ik[GBA_IK_LEN];		/* OK (3G) */
	uint8_t kc[GBA_KC_LEN];		/* OK (3G), when has_kc */
	bool has_kc;
	uint8_t auts[GBA_AUTS_LEN];	/* SYNC */
	uint8_t ks_ext_naf[GBA_KS_NAF_LEN];	/* OK (GBA_NAF) */
};

/*
 * Parse the response data (without SW) of an AUTHENTICATE sent in 'mode':
 *  3G:       DB L RES 10 CK 10 IK [08 Kc]  |  DC 0E AUTS
 *  GBA_BOOT: DB L RES                      |  DC 0E AUTS
 *  GBA_NAF:  DB 20 Ks_ext_NAF
 * Returns 0; -EINVAL for an unknown first tag, RES length outside 4..16, CK/IK
 * length != 16, Kc length != 8, AUTS length != 14, Ks_ext_NAF length != 32,
 * truncated data or trailing bytes. 'r' is wiped on failure.
 */
int gba_auth_rsp_parse(struct gba_auth_rsp *r, enum gba_auth_mode mode,
		       const uint8_t *data, size_t len);

/* Card side: DB L RES 10 CK 10 IK [08 Kc] ('kc' NULL: none). Returns the length. */
int gba_auth_rsp_build_3g(uint8_t *out, size_t outlen, const uint8_t *res, size_t res_len,
			  const uint8_t ck[GBA_CK_LEN], const uint8_t ik[GBA_IK_LEN],
			  const uint8_t *kc);

/* Card side: DB L RES (GBA bootstrapping). Returns the length. */
int gba_auth_rsp_build_gba_boot(uint8_t *out, size_t outlen, const uint8_t *res,
				size_t res_len);

/* Card side: DB 20 Ks_ext_NAF (GBA NAF derivation). Returns 34. */
int gba_auth_rsp_build_gba_naf(uint8_t *out, size_t outlen,
			       const uint8_t ks_ext_naf[GBA_KS_NAF_LEN]);

/* Card side: DC 0E AUTS (synchronisation failure, 3G or GBA). Returns 16. */
int gba_auth_rsp_build_sync(uint8_t *out, size_t outlen, const uint8_t auts[GBA_AUTS_LEN]);

/* ------------------------------------------------------------------ FCP */

#define GBA_FCP_TAG		0x62

/* File descriptor byte (TS 102 221 11.1.1.4.3): b6 shareable, b3..b1 structure. */
enum gba_file_structure {
	GBA_EF_NO_INFO = 0,
	GBA_EF_TRANSPARENT = 1,
	GBA_EF_LINEAR_FIXED = 2,
	GBA_EF_CYCLIC = 6,
	GBA_DF = 7,			/* the whole byte is 38 (or 78) for MF/DF/ADF */
	GBA_EF_BER_TLV = 9,		/* the whole byte is 39 */
};

/* Life cycle status integer (tag 8A) values. */
#define GBA_LCSI_CREATION	0x01
#define GBA_LCSI_INIT		0x03
#define GBA_LCSI_ACTIVATED	0x05	/* (and 07) */
#define GBA_LCSI_DEACTIVATED	0x04	/* (and 06) */
#define GBA_LCSI_TERMINATED	0x0C

struct gba_fcp {
	uint8_t fdb;			/* 82, first byte */
	enum gba_file_structure structure;
	bool shareable;
	uint16_t rec_len;		/* 82 with record info (linear fixed / cyclic) */
	uint8_t rec_count;
	bool has_fid;
	uint16_t fid;			/* 83 */
	uint8_t aid[GBA_AID_MAX];	/* 84 DF name (ADF) */
	size_t aid_len;
	bool has_lcsi;
	uint8_t lcsi;			/* 8A */
	size_t size;			/* 80 file size (EF); 0 when absent */
	bool has_size;
	size_t total_size;		/* 81 total file size */
	bool has_sfi;
	uint8_t sfi;			/* 88 (0 when the TLV is empty: no SFI) */
	uint8_t sec_tag;		/* 8B, 8C or AB: security attributes; 0 none */
	const uint8_t *sec_attr;	/* its value, inside the parsed buffer / for the builder */
	size_t sec_attr_len;
	const uint8_t *pin_do;		/* C6 PIN status template value (DF only) */
	size_t pin_do_len;
	const uint8_t *prop;		/* A5 proprietary information value */
	size_t prop_len;
};

/*
 * Parse an FCP template (62 L ... as returned by SELECT/STATUS). Unknown tags
 * inside are skipped. Returns 0; -EINVAL when not a 62 template, malformed
 * BER-TLV, 82 of length other than 2 or 5, 83 not 2 bytes, 84 longer than 16,
 * 8A/88 not 1 byte (88 may be empty), 80/81 longer than 4 bytes, or no 82.
 */
int gba_fcp_parse(struct gba_fcp *f, const uint8_t *buf, size_t len);

/*
 * Card side: build an FCP template from 'f': 82, 83 (when has_fid), 84 (aid_len > 0),
 * A5 (prop), 8A (has_lcsi), security attributes (sec_tag), C6 (pin_do), 80 (has_size),
 * 81 (total_size > 0), 88 (has_sfi). 'fdb' is written as given; rec_len/rec_count are
 * added for linear fixed and cyclic EFs. Returns the length.
 */
int gba_fcp_build(uint8_t *out, size_t outlen, const struct gba_fcp *f);

/* ------------------------------------------------------------------ EF_DIR */

#define GBA_DIR_LABEL_MAX	32

/* One application template of EF_DIR: 61 L 4F L AID [50 L label] ... */
struct gba_dir_rec {
	uint8_t aid[GBA_AID_MAX];
	size_t aid_len;		/* 1..16 */
	char label[GBA_DIR_LABEL_MAX + 1];	/* NUL-terminated, "" when absent */
};

/*
 * Parse an EF_DIR record. Returns 0; -ENOENT for an erased record (all FF);
 * -EINVAL when it is not a 61 template, has no 4F, an AID of 0 or > 16 bytes, a label
 * longer than 32 bytes or containing NUL, or bad BER-TLV.
 */
int gba_dir_rec_parse(struct gba_dir_rec *d, const uint8_t *rec, size_t len);

/* Build an EF_DIR record of exactly 'rec_len' bytes (padded with FF). Returns rec_len. */
int gba_dir_rec_build(uint8_t *out, size_t rec_len, const struct gba_dir_rec *d);

/* ------------------------------------------------------------------ EF_GBABP / EF_GBANL */

/* EF_GBABP (31.102 4.2.79): L RAND || L B-TID || L key lifetime. Pointers into the buffer. */
struct gba_gbabp {
	const uint8_t *rand;
	size_t rand_len;	/* 0 or 16 */
	const uint8_t *btid;
	size_t btid_len;
	const uint8_t *lifetime;
	size_t lifetime_len;
};

/*
 * Parse EF_GBABP content. Missing trailing LVs (content ending after RAND, as left
 * by the card after bootstrapping) are empty; bytes after the third LV are ignored
 * (a shorter write leaves old bytes behind). Returns 0; -ENOENT when the content is
 * erased (all FF, or the first byte FF); -EINVAL when an L runs past the end or RAND
 * is neither 0 nor 16 bytes.
 */
int gba_gbabp_parse(struct gba_gbabp *g, const uint8_t *buf, size_t len);

/* Build EF_GBABP content (each field 0..255 bytes). Returns the length written. */
int gba_gbabp_build(uint8_t *out, size_t outlen, const struct gba_gbabp *g);

/* One EF_GBANL record (31.102 4.2.83): 80 L NAF_Id || 81 L B-TID, padded with FF. */
struct gba_gbanl_rec {
	const uint8_t *naf_id;	/* FQDN || 5-byte Ua security protocol id */
	size_t naf_id_len;
	const uint8_t *btid;
	size_t btid_len;
};

/*
 * Parse an EF_GBANL record. Returns 0; -ENOENT for an erased record; -EINVAL for bad
 * BER-TLV, a missing or empty 80 or 81, or a NAF_Id shorter than 6 bytes (FQDN + Ua id).
 */
int gba_gbanl_rec_parse(struct gba_gbanl_rec *n, const uint8_t *rec, size_t len);

/* Build an EF_GBANL record of exactly 'rec_len' bytes (FF padded). Returns rec_len. */
int gba_gbanl_rec_build(uint8_t *out, size_t rec_len, const struct gba_gbanl_rec *n);

/* ------------------------------------------------------------------ ISIM NAI files */

/*
 * EF_IMPI, EF_DOMAIN, an EF_IMPU record (31.103 4.2.2-4.2.4): 80 L value. Returns 0
 * and the value (not NUL-terminated) in *val and *vlen; -ENOENT when erased or empty;
 * -EINVAL for bad BER-TLV or a first tag other than 80.
 */
int gba_isim_nai_parse(const uint8_t **val, size_t *vlen, const uint8_t *buf, size_t len);

/* Build 80 L value padded with FF up to 'outlen' (pad 0: exactly the TLV). Returns the length. */
int gba_isim_nai_build(uint8_t *out, size_t outlen, const char *value, bool pad);

/* ------------------------------------------------------------------ USIM files */

/*
 * Service n (1-based) of a service table (EF_UST, EF_IST, EF_1M2MST): byte (n-1)/8,
 * bit (n-1)%8. False when the table is too short or n is 0.
 */
bool gba_service_available(const uint8_t *table, size_t len, unsigned int n);

/*
 * IMSI from EF_IMSI (31.102 4.2.2: length byte, then BCD with the parity nibble).
 * Writes 6..15 digits and a NUL. Returns the number of digits; -EINVAL for a bad
 * length byte or a non-decimal digit; -ENOSPC.
 */
int gba_ef_imsi_decode(char *out, size_t outlen, const uint8_t *buf, size_t len);

/* Card side: EF_IMSI content (9 bytes, FF padded) from 6..15 digits. Returns 9. */
int gba_ef_imsi_encode(uint8_t *out, size_t outlen, const char *imsi);

/* MNC length (2 or 3) from EF_AD byte 4; -ENOENT when absent or not 2/3. */
int gba_ef_ad_mnc_len(const uint8_t *buf, size_t len);

#endif /* GBA_UICC_CMD_H */
