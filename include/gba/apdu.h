/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ISO/IEC 7816-4 command and response APDUs: encoding and decoding of C-APDUs
 * (cases 1 to 4, short and extended lengths), splitting of R-APDUs into data
 * and status word, the class byte's logical-channel bits, and the named status
 * words of ISO 7816-4 / TS 102 221 10.2 with gba_sw_name() for logs.
 *
 * Both ends use this module: the ME (ue/) encodes and the soft card (uicc/)
 * decodes the same bytes. Nc and Ne follow ISO 7816-4: Nc is the number of
 * command data bytes (the Lc field's value), Ne the maximum number of response
 * data bytes expected (the Le field's value; 0 = no Le field, 256 = short "00",
 * 65536 = extended "0000").
 */
#ifndef GBA_APDU_H
#define GBA_APDU_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define GBA_APDU_HDR_LEN	4		/* CLA INS P1 P2 */
#define GBA_APDU_SHORT_NC_MAX	255
#define GBA_APDU_SHORT_NE_MAX	256
#define GBA_APDU_EXT_NC_MAX	65535
#define GBA_APDU_EXT_NE_MAX	65536
/* Longest C-APDU: header, 00 Lc1 Lc2, 65535 data bytes, Le1 Le2. */
#define GBA_CAPDU_MAX_LEN	(GBA_APDU_HDR_LEN + 3 + GBA_APDU_EXT_NC_MAX + 2)
/* Longest short C-APDU (what every builder of uicc_cmd.h produces). */
#define GBA_CAPDU_SHORT_MAX_LEN	(GBA_APDU_HDR_LEN + 1 + GBA_APDU_SHORT_NC_MAX + 1)
/* Longest R-APDU: 65536 data bytes and SW1 SW2. */
#define GBA_RAPDU_MAX_LEN	(GBA_APDU_EXT_NE_MAX + 2)
/* Longest short R-APDU: 256 data bytes and SW1 SW2. */
#define GBA_RAPDU_SHORT_MAX_LEN	(GBA_APDU_SHORT_NE_MAX + 2)

enum gba_apdu_case {
	GBA_APDU_CASE_1 = 1,	/* header only */
	GBA_APDU_CASE_2,	/* header, Le */
	GBA_APDU_CASE_3,	/* header, Lc, data */
	GBA_APDU_CASE_4,	/* header, Lc, data, Le */
};

/* A decoded C-APDU. 'data' points into the caller's buffer (no copy). */
struct gba_capdu {
	uint8_t cla;
	uint8_t ins;
	uint8_t p1;
	uint8_t p2;
	const uint8_t *data;	/* Nc bytes; NULL when nc == 0 */
	size_t nc;		/* 0 .. 65535 */
	uint32_t ne;		/* 0 (no Le) .. 65536 */
	bool extended;		/* decode: extended length fields were used; encode: force them */
};

/* A split R-APDU. 'data' points into the caller's buffer. */
struct gba_rapdu {
	const uint8_t *data;	/* response data (may be empty) */
	size_t len;
	uint16_t sw;		/* SW1 << 8 | SW2 */
};

/* ISO 7816-4 case of a C-APDU: from nc and ne. */
enum gba_apdu_case gba_capdu_case(const struct gba_capdu *c);

/*
 * Encoded length of 'c': short form unless c->extended is set or nc > 255 or ne > 256.
 * Returns the length, or -EINVAL when nc > 65535, ne > 65536 or data is NULL with nc > 0.
 */
int gba_capdu_len(const struct gba_capdu *c);

/*
 * Encode 'c' into 'out'. Returns the number of bytes written, -EINVAL for the
 * cases of gba_capdu_len(), -ENOSPC when 'outlen' is too small.
 */
int gba_capdu_encode(uint8_t *out, size_t outlen, const struct gba_capdu *c);

/*
 * Decode a C-APDU of exactly 'len' bytes (ISO 7816-4 5.1/5.2, every case, short and
 * extended). c->data points into 'in'. Returns 0, or -EINVAL with a precise reason
 * in *why (a static string; 'why' may be NULL): shorter than 4 bytes, Lc = 0 in the
 * short form, Lc disagreeing with the bytes that follow, an extended Lc with a short
 * Le (or the reverse), trailing bytes, extended Lc = 0000.
 */
int gba_capdu_decode(struct gba_capdu *c, const uint8_t *in, size_t len, const char **why);

/*
 * Split an R-APDU into data and SW. Returns 0, or -EINVAL when shorter than 2 bytes
 * or when SW1 is not a valid status byte (6X or 9X, except 60).
 */
int gba_rapdu_split(struct gba_rapdu *r, const uint8_t *in, size_t len);

/*
 * Build an R-APDU: 'len' bytes of data (may be 0, 'data' may then be NULL) followed
 * by SW1 SW2. 'data' may alias 'out'. Returns the total length, -E2BIG when
 * len > 65536, -ENOSPC when 'outlen' < len + 2.
 */
int gba_rapdu_build(uint8_t *out, size_t outlen, const uint8_t *data, size_t len, uint16_t sw);

/* Class byte and logical channels (ISO 7816-4 5.4.1, TS 102 221 10.1.1). */
#define GBA_CLA_ISO	0x00	/* interindustry commands (SELECT, READ BINARY, AUTHENTICATE...) */
#define GBA_CLA_UICC	0x80	/* TS 102 221 proprietary commands (STATUS...) */
#define GBA_CLA_GSM	0xA0	/* GSM 11.11 SIM: no logical channels */
#define GBA_CHANNEL_MAX	19

/*
 * Class byte for 'base' (GBA_CLA_ISO or GBA_CLA_UICC) on logical channel 'chan':
 * channels 0-3 in b2..b1 (first interindustry values), 4-19 in b4..b1 + 0x40
 * (further interindustry values). Returns the CLA, or -EINVAL for chan > 19 or
 * another base.
 */
int gba_cla_make(uint8_t base, unsigned int chan);

/* Logical channel (0..19) coded in 'cla', or -EINVAL for an RFU / GSM class byte. */
int gba_cla_channel(uint8_t cla);

/*
 * The same logical channel with the interindustry base: the class byte for GET
 * RESPONSE after a command sent with 'cla' (80/C0/E0 → 00/40/60 family; A0 kept).
 */
uint8_t gba_cla_to_iso(uint8_t cla);

/* Status words (ISO 7816-4 5.6, TS 102 221 10.2.1). */
#define GBA_SW_OK			0x9000
#define GBA_SW1_BYTES_AVAILABLE		0x61	/* 61xx: xx bytes for GET RESPONSE (00 = 256) */
#define GBA_SW1_WRONG_LE		0x6C	/* 6Cxx: reissue with Le = xx */
#define GBA_SW1_GSM_AVAILABLE		0x9F	/* 9Fxx: GSM 11.11 SIM, xx bytes for GET RESPONSE */
#define GBA_SW1_PROACTIVE		0x91	/* 91xx: OK, proactive command pending */
#define GBA_SW1_RETRY			0x92	/* 92xx: OK after xx internal retries */
#define GBA_SW_SIM_BUSY			0x9300
#define GBA_SW_WARN_NO_INFO		0x6200
#define GBA_SW_WARN_EOF			0x6282	/* end of file/record reached before Le bytes */
#define GBA_SW_WARN_DEACTIVATED		0x6283	/* selected file invalidated */
#define GBA_SW_VERIFY_FAILED		0x6300
#define GBA_SW1_VERIFY_RETRIES		0x63	/* 63Cx: verification failed, x retries left */
#define GBA_SW_MEMORY_PROBLEM		0x6581
#define GBA_SW_WRONG_LENGTH		0x6700
#define GBA_SW_CLA_FUNC_UNSUPP		0x6800
#define GBA_SW_CHANNEL_UNSUPP		0x6881
#define GBA_SW_SM_UNSUPP		0x6882
#define GBA_SW_CMD_NOT_ALLOWED		0x6900
#define GBA_SW_INCOMPATIBLE_FILE	0x6981
#define GBA_SW_SECURITY_NOT_SATISFIED	0x6982
#define GBA_SW_AUTH_METHOD_BLOCKED	0x6983
#define GBA_SW_REF_DATA_INVALIDATED	0x6984
#define GBA_SW_CONDITIONS_NOT_SATISFIED	0x6985
#define GBA_SW_NO_CURRENT_EF		0x6986
#define GBA_SW_WRONG_DATA		0x6A80
#define GBA_SW_FUNC_UNSUPP		0x6A81
#define GBA_SW_FILE_NOT_FOUND		0x6A82
#define GBA_SW_RECORD_NOT_FOUND		0x6A83
#define GBA_SW_NO_MEMORY		0x6A84
#define GBA_SW_LC_INCONSISTENT_P1P2	0x6A85
#define GBA_SW_WRONG_P1P2		0x6A86
#define GBA_SW_LC_INCONSISTENT		0x6A87
#define GBA_SW_REF_DATA_NOT_FOUND	0x6A88
#define GBA_SW_WRONG_P1P2_OFFSET	0x6B00	/* wrong parameters (offset outside the EF) */
#define GBA_SW_INS_UNSUPP		0x6D00
#define GBA_SW_CLA_UNSUPP		0x6E00
#define GBA_SW_UNKNOWN			0x6F00
#define GBA_SW_AUTH_MAC_FAILURE		0x9862	/* AUTHENTICATE: incorrect MAC (AUTN) */
#define GBA_SW_AUTH_CTX_UNSUPP		0x9864	/* AUTHENTICATE: security context not supported */
#define GBA_SW_AUTH_KEY_FRESHNESS	0x9865	/* AUTHENTICATE: key freshness failure */
#define GBA_SW_AUTH_NO_MEMORY		0x9866
#define GBA_SW_AUTH_NO_MEMORY_MUK	0x9867

static inline uint8_t gba_sw1(uint16_t sw)
{
	return sw >> 8;
}

static inline uint8_t gba_sw2(uint16_t sw)
{
	return sw & 0xff;
}

/* True for normal processing: 9000, 91xx, 92xx. */
bool gba_sw_is_ok(uint16_t sw);

/*
 * Short English meaning of a status word for logs, e.g. "security status not
 * satisfied" for 6982 or "wrong length, Le must be xx" (a family name) for 6Cxx.
 * Never NULL; "unknown status word" when not known.
 */
const char *gba_sw_name(uint16_t sw);

/*
 * Same as gba_sw_name() with the hex SW and the xx of 61xx/6Cxx/63Cx/92xx filled in,
 * e.g. "63C2 verification failed, 2 retries left". Returns the length that
 * snprintf() would write.
 */
int gba_sw_describe(char *out, size_t outlen, uint16_t sw);

/*
 * Map a final status word to a negative errno for callers that only branch:
 * 0 for 9000/91xx/92xx; -ENOENT 6A82/6A83/6A88; -EACCES 6982, 63Cx, 6300;
 * -EPERM 6983/6984 (blocked); -ENOKEY 6985 (conditions of use not satisfied, e.g.
 * GBA NAF derivation without a bootstrapped Ks); -EBADMSG 9862; -EOPNOTSUPP
 * 6A81/6A86/6D00/6E00/9864/6881; -EINVAL 6700/6Cxx/6A80/6A87/6B00;
 * -ENOSPC 6A84/9866/9867; -ESTALE 9865; -EIO for anything else.
 */
int gba_sw_to_errno(uint16_t sw);

#endif /* GBA_APDU_H */
