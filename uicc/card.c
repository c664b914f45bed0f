/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The card: construction from a profile, power/reset, the ATR, and the command
 * dispatcher (TS 102 221 clause 11) for SELECT, STATUS, READ/UPDATE BINARY,
 * READ/UPDATE RECORD, the PIN commands, AUTHENTICATE, GET RESPONSE and TERMINAL
 * PROFILE. C-APDUs are decoded and most commands parsed with apdu/ (<gba/apdu.h>,
 * <gba/uicc_cmd.h>), the same code the ME side uses. Only the basic logical channel
 * is supported (others: 6881).
 *
 * Response data: with Le present it is returned directly (6Cxx when Le is shorter, for
 * commands without side effects); without Le (T=0 style case 3/4) it is kept for GET
 * RESPONSE and 61xx is returned, as a T=0 card does.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <gba/log.h>
#include <gba/uicc_cmd.h>

#include "card.h"

/* A T=0 UICC ATR (3B 9F 96 80 1F C7 80 31 A0 73 BE 21 13 67 43 20 07 18 00 00 01 A5),
 * the one components.md measured behind vpcd. */
static const uint8_t default_atr[] = {
	0x3b, 0x9f, 0x96, 0x80, 0x1f, 0xc7, 0x80, 0x31, 0xa0, 0x73, 0xbe, 0x21,
	0x13, 0x67, 0x43, 0x20, 0x07, 0x18, 0x00, 0x00, 0x01, 0xa5
};

static bool digits_ok(const char *s, size_t min, size_t max)
{
	size_t n = strlen(s), i;

	for (i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return n >= min && n <= max;
}

static int check_profile(const struct gba_profile *p, char *err, size_t errlen)
{
	const char *why = NULL;

	if (!digits_ok(p->iccid, 19, 20))
		why = "ICCID must be 19 or 20 digits";
	else if (!digits_ok(p->imsi, 6, 15))
		why = "IMSI must be 6 to 15 digits";
	else if (p->mnc_len != 2 && p->mnc_len != 3)
		why = "MNC length must be 2 or 3";
	else if (p->ind_bitlen > UICC_IND_BITLEN_MAX)
		why = "ind_bitlen must be 0..10";
	else if (p->isim && !p->impi[0])
		why = "an ISIM needs an IMPI";
	if (!why)
		return 0;
	snprintf(err, errlen, "profile '%s': %s", p->name, why);
	return -EINVAL;
}

int gba_uicc_new(struct gba_uicc **out, const struct gba_profile *p, const struct gba_uicc_opts *o,
		 char *err, size_t errlen)
{
	struct gba_uicc *c;
	int rc;

	*out = NULL;
	if (errlen)
		err[0] = '\0';
	rc = check_profile(p, err, errlen);
	if (rc)
		return rc;
	c = calloc(1, sizeof(*c));
	if (!c)
		return -ENOMEM;
	c->lock_fd = -1;
	c->prof = *p;
	c->sw_no_gba = o && o->sw_no_gba ? o->sw_no_gba : GBA_UICC_SW_NO_GBA_DEFAULT;
	c->no_fsync = o && o->no_fsync;
	memcpy(c->atr, default_atr, sizeof(default_atr));
	c->atr_len = sizeof(default_atr);
	uicc_pins_init(c);
	uicc_sqn_init(&c->sqn, p->ind_bitlen, p->sqn, p->sqn_delta, p->sqn_age_limit);
	rc = uicc_fs_build(c);
	if (rc) {
		snprintf(err, errlen, "profile '%s': cannot build the card's files (%s)", p->name,
			 strerror(-rc));
		goto fail;
	}
	if (o && o->state_path) {
		c->state_path = strdup(o->state_path);
		if (!c->state_path) {
			rc = -ENOMEM;
			goto fail;
		}
		rc = uicc_state_lock(c, err, errlen);
		if (rc)
			goto fail;
		rc = uicc_state_load(c, err, errlen);
		if (rc == -ENOENT) {
			GLOGP(GBA_LC_CARD, GBA_LL_NOTICE, "%s: new card state file", c->state_path);
			rc = uicc_state_save(c);
			if (rc)
				snprintf(err, errlen, "%s: cannot create the state file: %s",
					 c->state_path, strerror(-rc));
		}
		if (rc)
			goto fail;
	}
	gba_uicc_reset(c);
	*out = c;
	return 0;
fail:
	gba_uicc_free(c);
	return rc;
}

void gba_uicc_free(struct gba_uicc *c)
{
	if (!c)
		return;
	uicc_fs_free(c);
	if (c->lock_fd >= 0)
		close(c->lock_fd);
	free(c->state_path);
	gba_zeroize(c, sizeof(*c));
	free(c);
}

void gba_uicc_reset(struct gba_uicc *c)
{
	c->cur_df = c->mf;
	c->cur_ef = NULL;
	c->cur_adf = NULL;
	c->cur_rec = 0;
	gba_zeroize(c->resp, sizeof(c->resp));
	c->resp_len = 0;
	c->pin1.verified = c->puk1.verified = c->adm1.verified = false;
}

size_t gba_uicc_atr(const struct gba_uicc *c, uint8_t atr[GBA_UICC_ATR_MAX])
{
	memcpy(atr, c->atr, c->atr_len);
	return c->atr_len;
}

int gba_uicc_set_atr(struct gba_uicc *c, const uint8_t *atr, size_t len)
{
	if (len < 2 || len > GBA_UICC_ATR_MAX)
		return -EINVAL;
	memcpy(c->atr, atr, len);
	c->atr_len = len;
	return 0;
}

void gba_uicc_set_hook(struct gba_uicc *c, void (*hook)(enum gba_uicc_hook_point, void *), void *arg)
{
	c->hook = hook;
	c->hook_arg = arg;
}

bool gba_uicc_last_secret(const struct gba_uicc *c)
{
	return c->last_secret;
}

/* ---- selection (TS 102 221 8.4.1) */

static void select_file(struct gba_uicc *c, struct uicc_file *f)
{
	c->cur_rec = 0;
	if (f->type == UF_EF_T || f->type == UF_EF_LF) {
		c->cur_ef = f;
		c->cur_df = f->parent;
		return;
	}
	c->cur_ef = NULL;
	c->cur_df = f;
	if (f->type == UF_ADF)
		c->cur_adf = f;
}

/* A file id reachable from the current DF: MF, current ADF (7FFF), the current DF, its
 * children (ADFs excepted: they are selected by AID), its parent, and the parent's children. */
static struct uicc_file *by_fid(struct gba_uicc *c, uint16_t fid)
{
	struct uicc_file *df = c->cur_df, *f;

	if (fid == GBA_FID_MF)
		return c->mf;
	if (fid == GBA_FID_ADF_CURRENT)
		return c->cur_adf;
	if (df->fid == fid && df->type != UF_ADF)
		return df;
	f = uicc_fs_child(df, fid);
	if (f && f->type != UF_ADF)
		return f;
	if (df->parent) {
		if (df->parent->fid == fid)
			return df->parent;
		f = uicc_fs_child(df->parent, fid);
		if (f && f->type != UF_ADF && f->type != UF_EF_T && f->type != UF_EF_LF)
			return f;
	}
	return NULL;
}

static struct uicc_file *by_aid(struct gba_uicc *c, const uint8_t *aid, size_t len)
{
	size_t i;

	for (i = APP_USIM; i < _APP_COUNT; i++)
		if (c->adf[i] && len <= c->adf[i]->aid_len && !memcmp(c->adf[i]->aid, aid, len))
			return c->adf[i];
	return NULL;
}

static uint16_t cmd_select(struct gba_uicc *c, const struct gba_capdu *cmd, uint8_t *out,
			   size_t *outlen)
{
	struct gba_select_cmd s;
	struct uicc_file *f = NULL, *df;
	size_t i;
	int rc;

	rc = gba_select_cmd_parse(&s, cmd);
	if (rc == -EOPNOTSUPP)
		return GBA_SW_WRONG_P1P2;
	if (rc)
		return cmd->p1 == 0x00 || cmd->p1 == 0x04 || cmd->p1 == 0x08 || cmd->p1 == 0x09 ?
		       GBA_SW_WRONG_LENGTH : GBA_SW_WRONG_P1P2;
	switch (s.by) {
	case GBA_SELECT_FID:
		f = by_fid(c, s.fid);
		break;
	case GBA_SELECT_AID:
		if (s.occurrence != 0)
			return GBA_SW_FILE_NOT_FOUND;	/* one application of each kind */
		f = by_aid(c, s.aid, s.aid_len);
		break;
	case GBA_SELECT_PATH_MF:
	case GBA_SELECT_PATH_DF:
		df = s.by == GBA_SELECT_PATH_MF ? c->mf : c->cur_df;
		for (i = 0; i < s.path_len && df; i++) {
			if (s.path[i] == GBA_FID_ADF_CURRENT)
				f = c->cur_adf;
			else
				f = uicc_fs_child(df, s.path[i]);
			if (f && f->type == UF_ADF && s.path[i] != GBA_FID_ADF_CURRENT)
				f = NULL;
			if (!f)
				break;
			df = (f->type == UF_EF_T || f->type == UF_EF_LF) ? NULL : f;
			if (!df && i + 1 < s.path_len)
				f = NULL;
		}
		break;
	default:
		return GBA_SW_WRONG_P1P2;
	}
	if (!f)
		return GBA_SW_FILE_NOT_FOUND;
	select_file(c, f);
	if (s.fcp)
		*outlen = uicc_fs_fcp(c, f, out, GBA_UICC_RAPDU_MAX);
	return GBA_SW_OK;
}

static uint16_t cmd_status(struct gba_uicc *c, const struct gba_capdu *cmd, uint8_t *out,
			   size_t *outlen)
{
	struct uicc_file *df = c->cur_adf ? c->cur_adf : c->cur_df;

	if (cmd->p1 > 0x02)
		return GBA_SW_WRONG_P1P2;
	switch (cmd->p2) {
	case GBA_STATUS_RET_FCP:
		*outlen = uicc_fs_fcp(c, c->cur_df, out, GBA_UICC_RAPDU_MAX);
		return GBA_SW_OK;
	case GBA_STATUS_RET_AID:
		if (!c->cur_adf)
			return GBA_SW_OK;
		out[0] = 0x84;
		out[1] = df->aid_len;
		memcpy(out + 2, df->aid, df->aid_len);
		*outlen = 2u + df->aid_len;
		return GBA_SW_OK;
	case GBA_STATUS_RET_NONE:
		return GBA_SW_OK;
	}
	return GBA_SW_WRONG_P1P2;
}

/* ---- READ/UPDATE BINARY/RECORD (TS 102 221 11.1.3-11.1.6) */

static uint16_t target_ef(struct gba_uicc *c, uint8_t sfi, uint8_t want, struct uicc_file **out)
{
	struct uicc_file *f;

	if (sfi) {
		f = uicc_fs_by_sfi(c->cur_df, sfi);
		if (!f)
			return GBA_SW_FILE_NOT_FOUND;
		select_file(c, f);
	}
	f = c->cur_ef;
	if (!f)
		return GBA_SW_NO_CURRENT_EF;
	if (f->type != want)
		return GBA_SW_INCOMPATIBLE_FILE;
	*out = f;
	return GBA_SW_OK;
}

/* Status word for a READ/UPDATE the apdu/ parser refused: length problems or P1/P2. */
static uint16_t file_parse_sw(const struct gba_capdu *cmd)
{
	bool rd = cmd->ins == GBA_INS_READ_BINARY || cmd->ins == GBA_INS_READ_RECORD;

	if (rd ? (cmd->nc || !cmd->ne) : !cmd->nc)
		return GBA_SW_WRONG_LENGTH;
	return GBA_SW_WRONG_P1P2;
}

/* Parse a READ/UPDATE, find its EF of structure 'want' and check the access condition. */
static uint16_t file_cmd_start(struct gba_uicc *c, const struct gba_capdu *cmd, uint8_t want,
			       struct gba_file_cmd *fc, struct uicc_file **f)
{
	bool rd = cmd->ins == GBA_INS_READ_BINARY || cmd->ins == GBA_INS_READ_RECORD;
	uint16_t sw;

	if (gba_file_cmd_parse(fc, cmd))
		return file_parse_sw(cmd);
	sw = target_ef(c, fc->sfi, want, f);
	if (sw != GBA_SW_OK)
		return sw;
	if (!uicc_acc_ok(c, rd ? (*f)->acc_read : (*f)->acc_update))
		return GBA_SW_SECURITY_NOT_SATISFIED;
	return GBA_SW_OK;
}

static uint16_t commit(struct gba_uicc *c, struct uicc_file *f)
{
	f->dirty = true;
	return uicc_state_save(c) ? GBA_SW_MEMORY_PROBLEM : GBA_SW_OK;
}

static uint16_t cmd_binary(struct gba_uicc *c, const struct gba_capdu *cmd, uint8_t *out,
			   size_t *outlen)
{
	struct gba_file_cmd fc;
	struct uicc_file *f;
	uint8_t body[UICC_GBABP_SIZE];
	uint16_t sw;

	sw = file_cmd_start(c, cmd, UF_EF_T, &fc, &f);
	if (sw != GBA_SW_OK)
		return sw;
	if (fc.offset >= f->size)
		return GBA_SW_WRONG_P1P2_OFFSET;
	if (fc.ins == GBA_INS_READ_BINARY) {
		size_t avail = f->size - fc.offset;

		if (fc.len > avail) {
			if (cmd->ne == GBA_APDU_SHORT_NE_MAX && avail <= GBA_APDU_SHORT_NE_MAX)
				fc.len = avail;		/* Le 00: up to the end */
			else
				return (uint16_t)(0x6c00 | (avail > 255 ? 0 : avail));
		}
		memcpy(out, f->data + fc.offset, fc.len);
		*outlen = fc.len;
		return GBA_SW_OK;
	}
	if (fc.offset + fc.len > f->size)
		return GBA_SW_WRONG_LENGTH;
	if ((f->fid == GBA_FID_USIM_EF_GBABP && f->app == APP_USIM) ||
	    (f->fid == GBA_FID_ISIM_EF_GBABP && f->app == APP_ISIM)) {
		memcpy(body, f->data, f->size);
		memcpy(body + fc.offset, fc.data, fc.len);
		sw = uicc_gbabp_update_ok(c, (enum uicc_app)f->app, body, f->size);
		if (sw != GBA_SW_OK)
			return sw;
	}
	memcpy(f->data + fc.offset, fc.data, fc.len);
	return commit(c, f);
}

static uint16_t cmd_record(struct gba_uicc *c, const struct gba_capdu *cmd, uint8_t *out,
			   size_t *outlen)
{
	struct gba_file_cmd fc;
	struct uicc_file *f;
	uint16_t sw;
	int rec;

	sw = file_cmd_start(c, cmd, UF_EF_LF, &fc, &f);
	if (sw != GBA_SW_OK)
		return sw;
	switch (fc.mode) {
	case GBA_REC_ABSOLUTE:
		rec = fc.rec ? fc.rec : c->cur_rec;
		break;
	case GBA_REC_NEXT:
		rec = fc.rec ? -1 : c->cur_rec + 1;
		break;
	case GBA_REC_PREVIOUS:
		rec = fc.rec ? -1 : (c->cur_rec ? c->cur_rec - 1 : f->n_rec);
		break;
	default:
		return GBA_SW_WRONG_P1P2;
	}
	if (rec < 0)
		return GBA_SW_WRONG_P1P2;
	if (rec < 1 || rec > f->n_rec)
		return GBA_SW_RECORD_NOT_FOUND;
	if (fc.ins == GBA_INS_READ_RECORD) {
		if (fc.len != f->rec_len && cmd->ne != GBA_APDU_SHORT_NE_MAX)
			return (uint16_t)(0x6c00 | f->rec_len);
		c->cur_rec = rec;
		memcpy(out, f->data + (size_t)(rec - 1) * f->rec_len, f->rec_len);
		*outlen = f->rec_len;
		return GBA_SW_OK;
	}
	if (fc.len != f->rec_len)
		return GBA_SW_WRONG_LENGTH;
	c->cur_rec = rec;
	memcpy(f->data + (size_t)(rec - 1) * f->rec_len, fc.data, fc.len);
	return commit(c, f);
}

/* ---- GET RESPONSE and the dispatcher */

static size_t finish(uint8_t *r, const uint8_t *data, size_t n, uint16_t sw)
{
	int len = gba_rapdu_build(r, GBA_UICC_RAPDU_MAX, data, n, sw);

	return len < 0 ? 0 : (size_t)len;
}

static size_t cmd_get_response(struct gba_uicc *c, const struct gba_capdu *cmd, uint8_t *r)
{
	size_t n = c->resp_len, ne = cmd->ne;
	uint8_t sw2;

	if (cmd->p1 || cmd->p2)
		return finish(r, NULL, 0, GBA_SW_WRONG_P1P2);
	if (!n)
		return finish(r, NULL, 0, GBA_SW_CONDITIONS_NOT_SATISFIED);
	c->last_secret = c->resp_secret;
	if (ne == 0 || ne >= n) {
		memcpy(r, c->resp, n);
		gba_zeroize(c->resp, sizeof(c->resp));
		c->resp_len = 0;
		return finish(r, r, n, GBA_SW_OK);
	}
	/* part of it now, the rest with the next GET RESPONSE */
	memcpy(r, c->resp, ne);
	memmove(c->resp, c->resp + ne, n - ne);
	c->resp_len = n - ne;
	sw2 = (uint8_t)(c->resp_len > 255 ? 0 : c->resp_len);
	return finish(r, r, ne, (uint16_t)(0x6100 | sw2));
}

/* Classes: interindustry 0X/4X/6X for ISO commands, 8X/CX/EX for TS 102 221 ones. */
static uint16_t check_cla(const struct gba_capdu *cmd)
{
	bool uicc_ins = cmd->ins == GBA_INS_STATUS || cmd->ins == 0x10 /* TERMINAL PROFILE */ ||
			cmd->ins == 0x12 /* FETCH */ || cmd->ins == 0x14 /* TERMINAL RESPONSE */ ||
			cmd->ins == 0xc2 /* ENVELOPE */;
	int chan = gba_cla_channel(cmd->cla);

	if (chan < 0 || cmd->cla == GBA_CLA_GSM)
		return GBA_SW_CLA_UNSUPP;
	if (((cmd->cla & 0x80) != 0) != uicc_ins)
		return GBA_SW_CLA_UNSUPP;
	if (chan != 0 || cmd->ins == GBA_INS_MANAGE_CHANNEL)
		return GBA_SW_CHANNEL_UNSUPP;
	if ((cmd->cla & 0x40) == 0 && (cmd->cla & 0x0c))
		return GBA_SW_SM_UNSUPP;
	return GBA_SW_OK;
}

size_t gba_uicc_apdu(struct gba_uicc *c, const uint8_t *capdu, size_t clen, uint8_t *r)
{
	struct gba_capdu cmd;
	uint8_t out[GBA_UICC_RAPDU_MAX];
	size_t n = 0;
	uint16_t sw;
	bool side_effect = false;

	c->last_secret = false;
	if (gba_capdu_decode(&cmd, capdu, clen, NULL)) {
		c->resp_len = 0;
		return finish(r, NULL, 0, GBA_SW_WRONG_LENGTH);
	}
	sw = check_cla(&cmd);
	if (sw != GBA_SW_OK)
		return finish(r, NULL, 0, sw);
	if (cmd.ins == GBA_INS_GET_RESPONSE)
		return cmd_get_response(c, &cmd, r);
	gba_zeroize(c->resp, c->resp_len);
	c->resp_len = 0;

	switch (cmd.ins) {
	case GBA_INS_SELECT:
		sw = cmd_select(c, &cmd, out, &n);
		break;
	case GBA_INS_STATUS:
		sw = cmd_status(c, &cmd, out, &n);
		break;
	case GBA_INS_READ_BINARY:
	case GBA_INS_UPDATE_BINARY:
		sw = cmd_binary(c, &cmd, out, &n);
		break;
	case GBA_INS_READ_RECORD:
	case GBA_INS_UPDATE_RECORD:
		sw = cmd_record(c, &cmd, out, &n);
		break;
	case GBA_INS_VERIFY:
	case GBA_INS_CHANGE_PIN:
	case 0x26:		/* DISABLE PIN */
	case 0x28:		/* ENABLE PIN */
	case GBA_INS_UNBLOCK_PIN:
		c->last_secret = cmd.nc > 0;
		sw = uicc_pin_cmd(c, &cmd);
		break;
	case GBA_INS_AUTHENTICATE:
		sw = uicc_authenticate(c, &cmd, out, &n);
		side_effect = true;
		c->last_secret = n > 0 && out[0] == GBA_AUTH_TAG_OK;
		break;
	case 0x10:		/* TERMINAL PROFILE: accepted, no proactive commands follow */
		sw = GBA_SW_OK;
		break;
	default:
		sw = GBA_SW_INS_UNSUPP;
		break;
	}
	if (sw != GBA_SW_OK || n == 0) {
		gba_zeroize(out, sizeof(out));
		return finish(r, NULL, 0, sw);
	}
	if (cmd.ne == 0 || (cmd.ne < n && side_effect)) {
		/* T=0 style: the data waits for GET RESPONSE */
		memcpy(c->resp, out, n);
		c->resp_len = n;
		c->resp_secret = c->last_secret;
		c->last_secret = false;
		gba_zeroize(out, sizeof(out));
		return finish(r, NULL, 0, (uint16_t)(0x6100 | (n > 255 ? 0 : n)));
	}
	if (cmd.ne < n) {
		gba_zeroize(out, sizeof(out));
		return finish(r, NULL, 0, (uint16_t)(0x6c00 | (n > 255 ? 0 : n)));
	}
	n = finish(r, out, n, sw);
	gba_zeroize(out, sizeof(out));
	return n;
}

int gba_uicc_transmit(void *ctx, const uint8_t *capdu, size_t clen, uint8_t *rapdu, size_t *rlen)
{
	if (*rlen < GBA_UICC_RAPDU_MAX)
		return -ENOSPC;
	*rlen = gba_uicc_apdu(ctx, capdu, clen, rapdu);
	return 0;
}

int gba_uicc_reset_cb(void *ctx, bool cold, uint8_t *atr, size_t *atr_len)
{
	gba_uicc_reset(ctx);
	*atr_len = gba_uicc_atr(ctx, atr);
	return 0;
}
