/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The ME side of the card session (TS 102 221, TS 31.102, TS 31.103): identification with
 * as few APDUs as possible (EF_DIR records, EF_ICCID, EF_IMSI, EF_AD, EF_UST by short file
 * id, EF_IMPI and EF_IST of an ISIM; each application selected and each file read once),
 * PIN state from the FCP's PIN status template and a VERIFY without data, AUTHENTICATE in
 * the 3G and GBA contexts, and EF_GBABP. Every APDU goes through a counting wrapper around
 * the transport so the debug log and gba_ue_apdu_count() tell how many went to the card.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gba/apdu.h>
#include <gba/log.h>
#include <gba/tlv.h>
#include <gba/uicc_cmd.h>

#include "ue_priv.h"

/* ------------------------------------------------------------ counting transport */

static int count_transmit(struct gba_transport *t, const uint8_t *capdu, size_t clen,
			  uint8_t *rapdu, size_t *rlen)
{
	struct gba_ue *ue = t->priv;
	int rc;

	ue->apdus++;
	rc = gba_transport_transmit(ue->inner, capdu, clen, rapdu, rlen);
	if (rc == 0 && *rlen >= 2)
		GLOGP(GBA_LC_UE, GBA_LL_DEBUG, "APDU #%u %02X %02X %02X %02X -> SW %02X%02X",
		      ue->apdus, capdu[0], clen > 1 ? capdu[1] : 0, clen > 2 ? capdu[2] : 0,
		      clen > 3 ? capdu[3] : 0, rapdu[*rlen - 2], rapdu[*rlen - 1]);
	else
		GLOGP(GBA_LC_UE, GBA_LL_DEBUG, "APDU #%u failed: %s", ue->apdus,
		      gba_transport_strerror(rc));
	return rc;
}

static int count_reset(struct gba_transport *t, bool cold, uint8_t *atr, size_t *atr_len)
{
	struct gba_ue *ue = t->priv;

	return gba_transport_reset(ue->inner, cold, atr, atr_len);
}

static void count_close(struct gba_transport *t)
{
	struct gba_ue *ue = t->priv;

	gba_transport_close(ue->inner);
	ue->inner = NULL;
	free(t);
}

static const char *count_name(struct gba_transport *t)
{
	struct gba_ue *ue = t->priv;

	return gba_transport_name(ue->inner);
}

static enum gba_proto count_protocol(struct gba_transport *t)
{
	struct gba_ue *ue = t->priv;

	return gba_transport_protocol(ue->inner);
}

static const struct gba_transport_ops count_ops = {
	.kind = "counting",
	.transmit = count_transmit,
	.reset = count_reset,
	.close = count_close,
	.name = count_name,
	.protocol = count_protocol,
};

int ue_card_attach(struct gba_ue *ue, struct gba_transport *t)
{
	struct gba_transport *w = calloc(1, sizeof(*w));

	if (!w) {
		gba_transport_close(t);
		return -ENOMEM;
	}
	w->ops = &count_ops;
	w->priv = ue;
	w->max_iter = t->max_iter;
	ue->inner = t;
	ue->t = w;
	snprintf(ue->reader, sizeof(ue->reader), "%s", gba_transport_name(t));
	return 0;
}

/* ------------------------------------------------------------ APDU helpers */

/* Exchange a built command ('clen' < 0 is the builder's error). Data length or errno. */
static int xchg(struct gba_ue *ue, const uint8_t *capdu, int clen, uint8_t *resp, size_t max,
		uint16_t *sw)
{
	int n;

	if (clen < 0)
		return clen;
	n = gba_apdu_exchange(ue->t, capdu, (size_t)clen, resp, max, sw);
	if (n == -EIO)	/* e.g. the card went away in the middle of a command */
		return ue_err(ue, -ECOMM, "card: %s (card removed?)", gba_transport_strerror(n));
	if (n < 0)
		return ue_err(ue, n, "card: %s", gba_transport_strerror(n));
	return n;
}

static int sw_err(struct gba_ue *ue, const char *what, uint16_t sw)
{
	char d[96];

	gba_sw_describe(d, sizeof(d), sw);
	return ue_err(ue, gba_sw_to_errno(sw), "card: %s: %s", what, d);
}

/* SELECT an application by its AID (FCP wanted for the PIN status template). */
static int select_app(struct gba_ue *ue, int type, uint8_t *fcp, size_t max)
{
	const struct ue_app *a = type == GBA_APP_ISIM ? &ue->isim : &ue->usim;
	uint8_t c[GBA_CAPDU_SHORT_MAX_LEN], r[GBA_RAPDU_SHORT_MAX_LEN];
	uint16_t sw;
	int n;

	if (ue->cur_app == type && !fcp)
		return 0;
	n = xchg(ue, c, gba_cmd_select_aid(c, sizeof(c), 0, a->aid, a->aid_len, fcp != NULL),
		 fcp ? fcp : r, fcp ? max : sizeof(r), &sw);
	if (n < 0)
		return n;
	if (!gba_sw_is_ok(sw))
		return sw_err(ue, type == GBA_APP_ISIM ? "SELECT ADF.ISIM" : "SELECT ADF.USIM", sw);
	ue->cur_app = type;
	return n;
}

/* READ BINARY 'ne' bytes at offset 0 of the current EF ('sfi' 0) or of the EF with that SFI. */
static int read_binary(struct gba_ue *ue, uint8_t sfi, uint8_t *out, size_t ne, uint16_t *sw)
{
	uint8_t c[GBA_CAPDU_SHORT_MAX_LEN];

	return xchg(ue, c, gba_cmd_build(c, sizeof(c), GBA_CLA_ISO, 0, GBA_INS_READ_BINARY,
					 sfi ? 0x80 | sfi : 0, 0, NULL, 0, (uint32_t)ne),
		    out, ne, sw);
}

/*
 * Read a transparent EF of the current DF, 'ne' bytes at most: READ BINARY by short file
 * id (no SELECT needed); a card that refuses the SFI gets SELECT by file id and READ
 * BINARY. Returns the length read, -ENOENT when the card has no such file, or errno.
 */
static int read_ef(struct gba_ue *ue, const char *what, uint8_t sfi, uint16_t fid, uint8_t *out,
		   size_t ne)
{
	uint8_t c[GBA_CAPDU_SHORT_MAX_LEN], r[GBA_RAPDU_SHORT_MAX_LEN];
	uint16_t sw;
	int n;

	if (ue->no_sfi) {
		n = 0;
		sw = GBA_SW_WRONG_P1P2;
	} else {
		n = read_binary(ue, sfi, out, ne, &sw);
	}
	if (n >= 0 && (sw == GBA_SW_FILE_NOT_FOUND || sw == GBA_SW_WRONG_P1P2 ||
		       sw == GBA_SW_FUNC_UNSUPP || sw == GBA_SW_INCOMPATIBLE_FILE)) {
		GLOGP(GBA_LC_UE, GBA_LL_DEBUG, "%s: no READ BINARY by SFI (%04X), selecting it",
		      what, sw);
		/* a card that refuses SFIs refuses them for every file: ask once */
		if (sw != GBA_SW_FILE_NOT_FOUND)
			ue->no_sfi = true;
		n = xchg(ue, c, gba_cmd_select_fid(c, sizeof(c), 0, fid, false), r, sizeof(r), &sw);
		if (n >= 0 && gba_sw_is_ok(sw))
			n = read_binary(ue, 0, out, ne, &sw);
	}
	if (n < 0)
		return n;
	if (sw == GBA_SW_WARN_EOF)	/* shorter than asked: what is there is fine */
		return n;
	if (sw == GBA_SW_FILE_NOT_FOUND)
		return -ENOENT;
	if (!gba_sw_is_ok(sw))
		return sw_err(ue, what, sw);
	return n;
}

/* SELECT an EF of the current DF (or by path from the MF when 'mf'), returning its FCP. */
static int select_ef(struct gba_ue *ue, const char *what, uint16_t fid, bool mf,
		     struct gba_fcp *f, uint8_t *buf, size_t max)
{
	uint8_t c[GBA_CAPDU_SHORT_MAX_LEN];
	uint16_t sw;
	int n;

	if (mf)
		n = gba_cmd_select_path(c, sizeof(c), 0, &fid, 1, true, true);
	else
		n = gba_cmd_select_fid(c, sizeof(c), 0, fid, true);
	n = xchg(ue, c, n, buf, max, &sw);
	if (n < 0)
		return n;
	if (sw == GBA_SW_FILE_NOT_FOUND)
		return ue_err(ue, -ENOENT, "card: %s not found", what);
	if (!gba_sw_is_ok(sw))
		return sw_err(ue, what, sw);
	if (gba_fcp_parse(f, buf, (size_t)n))
		return ue_err(ue, -EPROTO, "card: malformed FCP for %s", what);
	return 0;
}

/* ------------------------------------------------------------ identification */

/* EF_DIR: every application record; USIM and ISIM picked by AID prefix. */
static int read_dir(struct gba_ue *ue)
{
	uint8_t c[GBA_CAPDU_SHORT_MAX_LEN], buf[GBA_RAPDU_SHORT_MAX_LEN];
	struct gba_dir_rec d;
	struct gba_fcp f;
	struct ue_app *a;
	uint16_t sw;
	unsigned int i;
	int n;

	n = select_ef(ue, "EF_DIR", GBA_FID_EF_DIR, true, &f, buf, sizeof(buf));
	if (n < 0)
		return n;
	if (f.structure != GBA_EF_LINEAR_FIXED || !f.rec_len || f.rec_len > 255)
		return ue_err(ue, -EPROTO, "card: EF_DIR is not a linear fixed file");
	for (i = 1; i <= f.rec_count; i++) {
		n = xchg(ue, c, gba_cmd_read_record(c, sizeof(c), 0, (uint8_t)i, GBA_REC_ABSOLUTE,
						    0, f.rec_len), buf, sizeof(buf), &sw);
		if (n < 0)
			return n;
		if (sw == GBA_SW_RECORD_NOT_FOUND)
			break;
		if (!gba_sw_is_ok(sw))
			return sw_err(ue, "READ RECORD EF_DIR", sw);
		if (gba_dir_rec_parse(&d, buf, (size_t)n))
			continue;	/* erased or foreign record */
		switch (gba_aid_app_type(d.aid, d.aid_len)) {
		case GBA_APP_USIM:
			a = &ue->usim;
			break;
		case GBA_APP_ISIM:
			a = &ue->isim;
			break;
		default:
			continue;
		}
		if (a->present)
			continue;	/* the first of each kind wins */
		a->present = true;
		memcpy(a->aid, d.aid, d.aid_len);
		a->aid_len = d.aid_len;
		GLOGP(GBA_LC_UE, GBA_LL_DEBUG, "EF_DIR record %u: %s", i,
		      gba_app_type_name(gba_aid_app_type(d.aid, d.aid_len)));
		if (ue->usim.present && ue->isim.present)
			break;
	}
	if (!ue->usim.present && !ue->isim.present)
		return ue_err(ue, -EOPNOTSUPP, "card: no USIM or ISIM application in EF_DIR");
	return 0;
}

/* ICCID: BCD with swapped nibbles, F padding. */
static void decode_iccid(char *out, size_t outlen, const uint8_t *b, size_t len)
{
	size_t i, o = 0;

	for (i = 0; i < len && o + 1 < outlen; i++) {
		uint8_t d[2] = { b[i] & 0x0f, b[i] >> 4 };

		for (int k = 0; k < 2 && o + 1 < outlen; k++)
			if (d[k] <= 9)
				out[o++] = (char)('0' + d[k]);
	}
	out[o] = '\0';
}

/* PIN1 enabled per the PIN status template DO (TS 102 221 9.5.2) of an ADF's FCP. */
static bool pin1_enabled(const uint8_t *fcpbuf, size_t len, bool *known)
{
	struct gba_fcp f;
	struct gba_tlv_iter it;
	struct gba_tlv t;
	const uint8_t *ps = NULL;
	size_t ps_len = 0, idx = 0;

	*known = false;
	if (gba_fcp_parse(&f, fcpbuf, len) || !f.pin_do)
		return false;
	gba_tlv_iter_init(&it, f.pin_do, f.pin_do_len);
	while (gba_tlv_next(&it, &t) == 1) {
		if (t.tag == 0x90) {
			ps = t.val;
			ps_len = t.len;
		} else if (t.tag == 0x83 && t.len == 1) {
			if ((t.val[0] == GBA_PIN_APPL1 || t.val[0] == GBA_PIN_UNIVERSAL) && ps &&
			    idx / 8 < ps_len) {
				*known = true;
				return ps[idx / 8] & (0x80 >> (idx % 8));
			}
			idx++;
		}
	}
	return false;
}

/* PIN state: VERIFY without data answers 9000 (verified) or 63Cx (x tries left). */
static int pin_query(struct gba_ue *ue)
{
	uint8_t c[GBA_CAPDU_SHORT_MAX_LEN], r[8];
	uint16_t sw;
	int n;

	n = xchg(ue, c, gba_cmd_verify_pin(c, sizeof(c), 0, GBA_PIN_APPL1, NULL), r, sizeof(r),
		 &sw);
	if (n < 0)
		return n;
	if (sw == GBA_SW_OK) {
		ue->pin_state = GBA_UE_PIN_VERIFIED;
	} else if (gba_sw1(sw) == GBA_SW1_VERIFY_RETRIES && (gba_sw2(sw) & 0xf0) == 0xc0) {
		ue->pin_retries = gba_sw2(sw) & 0x0f;
		ue->pin_state = ue->pin_retries ? GBA_UE_PIN_REQUIRED : GBA_UE_PIN_BLOCKED;
	} else if (sw == GBA_SW_AUTH_METHOD_BLOCKED) {
		ue->pin_retries = 0;
		ue->pin_state = GBA_UE_PIN_BLOCKED;
	} else {
		ue->pin_state = GBA_UE_PIN_UNKNOWN;
	}
	return 0;
}

int ue_card_verify_pin(struct gba_ue *ue, const char *pin)
{
	uint8_t c[GBA_CAPDU_SHORT_MAX_LEN], r[8];
	uint16_t sw;
	int n;

	n = gba_cmd_verify_pin(c, sizeof(c), 0, GBA_PIN_APPL1, pin);
	if (n < 0)
		return ue_err(ue, -EINVAL, "PIN must be 4 to 8 digits");
	if (ue->cur_app == GBA_APP_UNKNOWN) {
		int type = ue->usim.present ? GBA_APP_USIM : GBA_APP_ISIM;

		if (ue->usim.present || ue->isim.present) {
			int rc = select_app(ue, type, NULL, 0);

			if (rc < 0)
				return rc;
		}
	}
	n = xchg(ue, c, n, r, sizeof(r), &sw);
	gba_zeroize(c, sizeof(c));
	if (n < 0)
		return n;
	if (sw == GBA_SW_OK) {
		ue->pin_state = GBA_UE_PIN_VERIFIED;
		ue->pin_retries = -1;
		GLOGP(GBA_LC_UE, GBA_LL_INFO, "PIN1 verified");
		return 0;
	}
	if (gba_sw1(sw) == GBA_SW1_VERIFY_RETRIES && (gba_sw2(sw) & 0xf0) == 0xc0) {
		ue->pin_retries = gba_sw2(sw) & 0x0f;
		ue->pin_state = ue->pin_retries ? GBA_UE_PIN_REQUIRED : GBA_UE_PIN_BLOCKED;
		if (!ue->pin_retries)
			return ue_err(ue, -EPERM, "wrong PIN; PIN1 is now blocked (PUK needed)");
		return ue_err(ue, -EACCES, "wrong PIN, %d tries left", ue->pin_retries);
	}
	if (sw == GBA_SW_AUTH_METHOD_BLOCKED) {
		ue->pin_state = GBA_UE_PIN_BLOCKED;
		ue->pin_retries = 0;
		return ue_err(ue, -EPERM, "PIN1 is blocked (PUK needed)");
	}
	return sw_err(ue, "VERIFY PIN", sw);
}

/* Make sure PIN1 does not stand in the way: verify with the configured PIN when needed. */
static int pin_ready(struct gba_ue *ue)
{
	int rc;

	if (ue->pin_state != GBA_UE_PIN_REQUIRED && ue->pin_state != GBA_UE_PIN_BLOCKED)
		return 0;
	if (ue->pin_state == GBA_UE_PIN_BLOCKED)
		return ue_err(ue, -EPERM, "PIN1 is blocked (PUK needed)");
	if (!ue->pin)
		return ue_err(ue, -EACCES, "the card needs PIN1 (%d tries left): use --pin",
			      ue->pin_retries);
	rc = ue_card_verify_pin(ue, ue->pin);
	if (rc < 0) {
		/* never try a wrong PIN twice: each try costs one of the card's few */
		gba_zeroize(ue->pin, strlen(ue->pin));
		free(ue->pin);
		ue->pin = NULL;
	}
	return rc;
}

/* USIM: IMSI, MNC length, UST (services 1..72 are enough for GBA, service 68). */
static int read_usim(struct gba_ue *ue)
{
	uint8_t buf[GBA_RAPDU_SHORT_MAX_LEN];
	int n;

	n = read_ef(ue, "EF_IMSI", 0x07, GBA_FID_USIM_EF_IMSI, buf, 9);
	if (n < 0)
		return n == -ENOENT ? ue_err(ue, n, "card: USIM has no EF_IMSI") : n;
	if (gba_ef_imsi_decode(ue->imsi, sizeof(ue->imsi), buf, (size_t)n) < 0)
		return ue_err(ue, -EPROTO, "card: malformed EF_IMSI");
	n = read_ef(ue, "EF_AD", 0x03, GBA_FID_USIM_EF_AD, buf, 4);
	if (n < 0 && n != -ENOENT)
		return n;
	ue->mnc_len = 2;	/* TS 31.102 4.2.18: absent byte 4 means 2 digits (older cards) */
	if (n > 0) {
		int m = gba_ef_ad_mnc_len(buf, (size_t)n);

		if (m > 0)
			ue->mnc_len = (unsigned int)m;
	}
	if (ue->gba_app == GBA_APP_USIM) {
		n = read_ef(ue, "EF_UST", 0x04, GBA_FID_USIM_EF_UST, buf, 9);
		if (n < 0 && n != -ENOENT)
			return n;
		ue->gba_u_capable = n > 0 && gba_service_available(buf, (size_t)n, GBA_UST_GBA);
	}
	return 0;
}

/* ISIM: IMPI, and IST service 2 when the ISIM is the GBA application. */
static int read_isim(struct gba_ue *ue)
{
	uint8_t buf[GBA_RAPDU_SHORT_MAX_LEN];
	const uint8_t *v;
	size_t vl;
	int n;

	n = read_ef(ue, "EF_IMPI", 0x02, GBA_FID_ISIM_EF_IMPI, buf, 255);
	if (n < 0 && n != -ENOENT)
		return n;
	if (n > 0 && gba_isim_nai_parse(&v, &vl, buf, (size_t)n) == 0 && vl < sizeof(ue->impi) &&
	    !memchr(v, 0, vl)) {
		memcpy(ue->impi, v, vl);
		ue->impi[vl] = '\0';
		ue->impi_from_isim = true;
	}
	if (ue->gba_app == GBA_APP_ISIM) {
		n = read_ef(ue, "EF_IST", 0x07, GBA_FID_ISIM_EF_IST, buf, 1);
		if (n < 0 && n != -ENOENT)
			return n;
		ue->gba_u_capable = n > 0 && gba_service_available(buf, (size_t)n, GBA_IST_GBA);
	}
	return 0;
}

/* Select application 'type' (FCP: PIN state the first time) and read its files. */
static int visit_app(struct gba_ue *ue, int type)
{
	uint8_t fcp[GBA_RAPDU_SHORT_MAX_LEN];
	bool known;
	int n;

	n = select_app(ue, type, fcp, sizeof(fcp));
	if (n < 0)
		return n;
	if (ue->pin_state == GBA_UE_PIN_UNKNOWN) {
		ue->pin_enabled = pin1_enabled(fcp, (size_t)n, &known);
		if (known && !ue->pin_enabled) {
			ue->pin_state = GBA_UE_PIN_DISABLED;
		} else {
			n = pin_query(ue);
			if (n < 0)
				return n;
		}
	}
	n = pin_ready(ue);
	if (n < 0)
		return n;
	return type == GBA_APP_USIM ? read_usim(ue) : read_isim(ue);
}

int ue_card_identify(struct gba_ue *ue)
{
	uint8_t buf[16];
	int n;

	if (ue->identified)
		return 0;
	if (!ue->usim.present && !ue->isim.present) {
		n = read_dir(ue);
		if (n < 0)
			return n;
		n = read_ef(ue, "EF_ICCID", 0x02, GBA_FID_EF_ICCID, buf, 10);
		if (n > 0)
			decode_iccid(ue->iccid, sizeof(ue->iccid), buf, (size_t)n);
		else if (n < 0 && n != -ENOENT)
			return n;
		/* TS 33.220 4.4.8: the ISIM is preferred when the card has one */
		ue->gba_app = ue->isim.present ? GBA_APP_ISIM : GBA_APP_USIM;
	}
	/* the other application first, the GBA application last: it stays selected */
	if (ue->gba_app == GBA_APP_ISIM && ue->usim.present && !ue->imsi[0]) {
		n = visit_app(ue, GBA_APP_USIM);
		if (n < 0)
			return n;
	}
	if (ue->gba_app == GBA_APP_USIM && ue->isim.present && !ue->impi_from_isim) {
		n = visit_app(ue, GBA_APP_ISIM);
		if (n < 0)
			return n;
	}
	n = visit_app(ue, ue->gba_app);
	if (n < 0)
		return n;
	if (!ue->impi[0]) {
		if (!ue->imsi[0])
			return ue_err(ue, -EOPNOTSUPP, "card: neither an IMPI nor an IMSI");
		n = gba_impi_from_imsi(ue->impi, sizeof(ue->impi), ue->imsi, ue->mnc_len);
		if (n < 0)
			return ue_err(ue, n, "card: cannot derive the IMPI from IMSI %s", ue->imsi);
	}
	ue->identified = true;
	GLOGP(GBA_LC_UE, GBA_LL_INFO, "card %s: IMPI %s, %s, %s capable, %u APDUs", ue->iccid,
	      ue->impi, gba_app_type_name(ue->gba_app), ue->gba_u_capable ? "GBA_U" : "GBA_ME",
	      ue->apdus);
	return 0;
}

/* ------------------------------------------------------------ AKA and GBA_U */

/* The GBA application selected, PIN ready. */
static int gba_app_ready(struct gba_ue *ue)
{
	int rc = ue_card_identify(ue);

	if (rc < 0)
		return rc;
	rc = pin_ready(ue);
	if (rc < 0)
		return rc;
	return select_app(ue, ue->gba_app, NULL, 0) < 0 ? -EIO : 0;
}

int ue_card_aka(struct gba_ue *ue, bool gba_u, const uint8_t rand[GBA_RAND_LEN],
		const uint8_t autn[GBA_AUTN_LEN], struct ue_aka *a)
{
	enum gba_auth_mode mode = gba_u ? GBA_AUTH_GBA_BOOT : GBA_AUTH_3G;
	uint8_t c[GBA_CAPDU_SHORT_MAX_LEN], r[GBA_RAPDU_SHORT_MAX_LEN];
	struct gba_auth_rsp rsp;
	uint16_t sw;
	int n;

	memset(a, 0, sizeof(*a));
	n = gba_app_ready(ue);
	if (n < 0)
		return n;
	if (gba_u)
		n = gba_cmd_auth_gba_boot(c, sizeof(c), 0, rand, autn);
	else
		n = gba_cmd_auth_3g(c, sizeof(c), 0, rand, autn);
	n = xchg(ue, c, n, r, sizeof(r), &sw);
	if (n < 0)
		goto out;
	if (sw == GBA_SW_AUTH_MAC_FAILURE) {
		n = ue_err(ue, -EBADMSG, "card: AUTN rejected (MAC failure, 9862): "
			   "the challenge did not come from our home network");
		goto out;
	}
	if (gba_u && (sw == GBA_SW_WRONG_P1P2 || sw == GBA_SW_AUTH_CTX_UNSUPP)) {
		n = ue_err(ue, -EOPNOTSUPP, "card: no GBA security context (SW %04X)", sw);
		goto out;
	}
	if (sw == GBA_SW_SECURITY_NOT_SATISFIED) {
		n = ue_err(ue, -EACCES, "card: AUTHENTICATE needs PIN1");
		goto out;
	}
	if (!gba_sw_is_ok(sw)) {
		n = sw_err(ue, "AUTHENTICATE", sw);
		goto out;
	}
	if (gba_auth_rsp_parse(&rsp, mode, r, (size_t)n)) {
		n = ue_err(ue, -EPROTO, "card: malformed AUTHENTICATE response");
		goto out;
	}
	if (rsp.tag == GBA_AUTH_TAG_SYNC) {
		a->sync = true;
		memcpy(a->auts, rsp.auts, GBA_AUTS_LEN);
	} else {
		memcpy(a->res, rsp.res, rsp.res_len);
		a->res_len = rsp.res_len;
		if (!gba_u) {
			memcpy(a->ks, rsp.ck, GBA_CK_LEN);
			memcpy(a->ks + GBA_CK_LEN, rsp.ik, GBA_IK_LEN);
		}
		/* the card has a new RAND in EF_GBABP (GBA_U): our copy is stale */
		if (gba_u)
			ue->gbabp_read = false;
	}
	gba_zeroize(&rsp, sizeof(rsp));
	n = 0;
out:
	gba_zeroize(r, sizeof(r));
	return n;
}

int ue_card_naf(struct gba_ue *ue, const uint8_t *naf_id, size_t naf_id_len, const char *impi,
		uint8_t key[GBA_KS_NAF_LEN])
{
	uint8_t c[GBA_CAPDU_SHORT_MAX_LEN], r[GBA_RAPDU_SHORT_MAX_LEN];
	struct gba_auth_rsp rsp;
	uint16_t sw;
	int n;

	n = gba_app_ready(ue);
	if (n < 0)
		return n;
	n = gba_cmd_auth_gba_naf(c, sizeof(c), 0, naf_id, naf_id_len, (const uint8_t *)impi,
				 strlen(impi));
	if (n < 0)
		return ue_err(ue, n, "NAF_Id and IMPI do not fit one AUTHENTICATE command");
	n = xchg(ue, c, n, r, sizeof(r), &sw);
	if (n < 0)
		goto out;
	if (sw == GBA_SW_CONDITIONS_NOT_SATISFIED) {
		n = ue_err(ue, -ENOKEY, "card: no bootstrapped Ks for NAF derivation (6985)");
		goto out;
	}
	if (!gba_sw_is_ok(sw)) {
		n = sw_err(ue, "AUTHENTICATE (NAF derivation)", sw);
		goto out;
	}
	if (gba_auth_rsp_parse(&rsp, GBA_AUTH_GBA_NAF, r, (size_t)n) ||
	    rsp.tag != GBA_AUTH_TAG_OK) {
		n = ue_err(ue, -EPROTO, "card: malformed NAF derivation response");
		goto out;
	}
	memcpy(key, rsp.ks_ext_naf, GBA_KS_NAF_LEN);
	gba_zeroize(&rsp, sizeof(rsp));
	n = 0;
out:
	gba_zeroize(r, sizeof(r));
	return n;
}

static uint16_t gbabp_fid(const struct gba_ue *ue)
{
	return ue->gba_app == GBA_APP_ISIM ? GBA_FID_ISIM_EF_GBABP : GBA_FID_USIM_EF_GBABP;
}

int ue_card_gbabp(struct gba_ue *ue, const uint8_t **buf, size_t *len)
{
	uint8_t fcpbuf[GBA_RAPDU_SHORT_MAX_LEN];
	struct gba_fcp f;
	uint16_t sw;
	size_t ne;
	int n;

	if (!ue->gbabp_read) {
		n = gba_app_ready(ue);
		if (n < 0)
			return n;
		if (!ue->gbabp_size) {	/* selected once per session: the size stays known */
			n = select_ef(ue, "EF_GBABP", gbabp_fid(ue), false, &f, fcpbuf,
				      sizeof(fcpbuf));
			if (n < 0)
				return n;
			if (!f.has_size || !f.size)
				return ue_err(ue, -EPROTO, "card: EF_GBABP has no size");
			ue->gbabp_size = f.size;
		}
		ne = ue->gbabp_size > 256 ? 256 : ue->gbabp_size;
		/* EF_GBABP has no SFI: it is the current EF since its SELECT */
		n = read_binary(ue, 0, ue->gbabp, ne, &sw);
		if (n < 0)
			return n;
		if (!gba_sw_is_ok(sw))
			return sw_err(ue, "READ BINARY EF_GBABP", sw);
		ue->gbabp_len = (size_t)n;
		ue->gbabp_read = true;
	}
	*buf = ue->gbabp;
	*len = ue->gbabp_len;
	return gba_is_erased(ue->gbabp, ue->gbabp_len) || !ue->gbabp_len ? -ENOENT : 0;
}

int ue_card_gbabp_write(struct gba_ue *ue, const uint8_t rand[GBA_RAND_LEN], const char *btid,
			const char *lifetime)
{
	uint8_t c[GBA_CAPDU_SHORT_MAX_LEN], body[256], r[8];
	struct gba_gbabp g = {
		.rand = rand, .rand_len = GBA_RAND_LEN,
		.btid = (const uint8_t *)btid, .btid_len = strlen(btid),
		.lifetime = (const uint8_t *)lifetime, .lifetime_len = strlen(lifetime),
	};
	const uint8_t *cur;
	size_t curlen;
	struct gba_gbabp old;
	uint16_t sw;
	int n;

	/* read first: the card wrote its RAND; we write the very same RAND LV back */
	n = ue_card_gbabp(ue, &cur, &curlen);
	if (n < 0 && n != -ENOENT)
		return n;
	if (n == 0 && gba_gbabp_parse(&old, cur, curlen) == 0 && old.rand_len == GBA_RAND_LEN &&
	    memcmp(old.rand, rand, GBA_RAND_LEN))
		GLOGP(GBA_LC_UE, GBA_LL_NOTICE,
		      "EF_GBABP holds another RAND than the one just used; writing ours");
	n = gba_gbabp_build(body, sizeof(body), &g);
	if (n < 0 || (size_t)n > ue->gbabp_size || n > 255)
		return ue_err(ue, -ENOSPC, "card: B-TID and lifetime do not fit EF_GBABP (%zu bytes)",
			      ue->gbabp_size);
	n = xchg(ue, c, gba_cmd_update_binary(c, sizeof(c), 0, 0, body, (size_t)n), r, sizeof(r),
		 &sw);
	if (n < 0)
		return n;
	if (!gba_sw_is_ok(sw))
		return sw_err(ue, "UPDATE BINARY EF_GBABP", sw);
	n = gba_gbabp_build(ue->gbabp, sizeof(ue->gbabp), &g);
	ue->gbabp_len = n > 0 ? (size_t)n : 0;
	ue->gbabp_read = n > 0;
	return 0;
}

/* GBA_U: the bootstrap the card holds (EF_GBABP RAND, B-TID and lifetime), if valid at now. */
int ue_card_boot_load(struct gba_ue *ue, time_t now)
{
	char btid[GBA_UE_BTID_MAX + 1], lt[64];
	const uint8_t *buf;
	struct gba_gbabp g;
	time_t exp;
	size_t len;
	int rc;

	rc = ue_card_gbabp(ue, &buf, &len);
	if (rc < 0)
		return rc;
	if (gba_gbabp_parse(&g, buf, len) || g.rand_len != GBA_RAND_LEN || !g.btid_len ||
	    g.btid_len >= sizeof(btid) || !g.lifetime_len || g.lifetime_len >= sizeof(lt))
		return -ENOENT;
	memcpy(btid, g.btid, g.btid_len);
	btid[g.btid_len] = '\0';
	memcpy(lt, g.lifetime, g.lifetime_len);
	lt[g.lifetime_len] = '\0';
	if (gba_btid_parse(btid, NULL, NULL) || gba_datetime_parse(lt, &exp))
		return -ENOENT;
	if (exp <= now)
		return -ESTALE;
	memset(&ue->boot, 0, sizeof(ue->boot));
	ue->boot.valid = true;
	ue->boot.gba_u = true;
	ue->boot.from_cache = true;
	ue->boot.expiry = exp;
	memcpy(ue->boot.rand, g.rand, GBA_RAND_LEN);
	snprintf(ue->boot.btid, sizeof(ue->boot.btid), "%s", btid);
	snprintf(ue->boot.impi, sizeof(ue->boot.impi), "%s", ue->impi);
	return 0;
}

const char *ue_card_app_name(const struct gba_ue *ue)
{
	return gba_app_type_name(ue->gba_app);
}
