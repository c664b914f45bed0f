/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * TS 102 221 file and PIN commands, both directions: C-APDU builders for the ME
 * (SELECT by FID / path / AID, READ/UPDATE BINARY, READ/UPDATE RECORD, STATUS,
 * GET RESPONSE, VERIFY / UNBLOCK PIN) and the matching parsers for the card.
 * AUTHENTICATE is in uicc_auth.c, file contents in uicc_files.c.
 * See include/gba/uicc_cmd.h.
 */
#include "config.h"

#include <errno.h>
#include <string.h>

#include <gba/keys.h>
#include <gba/uicc_cmd.h>

int gba_cmd_build(uint8_t *out, size_t outlen, uint8_t base, unsigned int chan, uint8_t ins,
		  uint8_t p1, uint8_t p2, const uint8_t *data, size_t nc, uint32_t ne)
{
	struct gba_capdu c = {
		.ins = ins, .p1 = p1, .p2 = p2, .data = data, .nc = nc, .ne = ne,
	};
	int cla = gba_cla_make(base, chan);

	if (cla < 0 || nc > GBA_APDU_SHORT_NC_MAX || ne > GBA_APDU_SHORT_NE_MAX)
		return -EINVAL;
	c.cla = (uint8_t)cla;
	return gba_capdu_encode(out, outlen, &c);
}

/* ------------------------------------------------------------------ SELECT */

static uint8_t select_p2(bool fcp)
{
	return fcp ? GBA_SELECT_RET_FCP : GBA_SELECT_RET_NONE;
}

int gba_cmd_select_fid(uint8_t *out, size_t outlen, unsigned int chan, uint16_t fid, bool fcp)
{
	uint8_t d[2] = { fid >> 8, fid & 0xff };

	return gba_cmd_build(out, outlen, GBA_CLA_ISO, chan, GBA_INS_SELECT, GBA_SELECT_FID,
			     select_p2(fcp), d, 2, fcp ? 256 : 0);
}

int gba_cmd_select_path(uint8_t *out, size_t outlen, unsigned int chan, const uint16_t *path,
			size_t n, bool from_mf, bool fcp)
{
	uint8_t d[2 * GBA_SELECT_PATH_MAX];
	size_t i;

	if (!path || n == 0 || n > GBA_SELECT_PATH_MAX || (from_mf && path[0] == GBA_FID_MF))
		return -EINVAL;
	for (i = 0; i < n; i++) {
		d[2 * i] = path[i] >> 8;
		d[2 * i + 1] = path[i] & 0xff;
	}
	return gba_cmd_build(out, outlen, GBA_CLA_ISO, chan, GBA_INS_SELECT,
			     from_mf ? GBA_SELECT_PATH_MF : GBA_SELECT_PATH_DF, select_p2(fcp),
			     d, 2 * n, fcp ? 256 : 0);
}

int gba_cmd_select_aid(uint8_t *out, size_t outlen, unsigned int chan, const uint8_t *aid,
		       size_t aid_len, bool fcp)
{
	if (!aid || aid_len == 0 || aid_len > GBA_AID_MAX)
		return -EINVAL;
	return gba_cmd_build(out, outlen, GBA_CLA_ISO, chan, GBA_INS_SELECT, GBA_SELECT_AID,
			     select_p2(fcp), aid, aid_len, fcp ? 256 : 0);
}

int gba_select_cmd_parse(struct gba_select_cmd *s, const struct gba_capdu *c)
{
	size_t i;

	memset(s, 0, sizeof(*s));
	if (c->ins != GBA_INS_SELECT || (c->p2 & 0x80))
		return -EINVAL;
	s->by = c->p1;
	s->p2 = c->p2;
	switch (c->p2 & 0x0c) {
	case GBA_SELECT_RET_FCP:
		s->fcp = true;
		break;
	case GBA_SELECT_RET_NONE:
		break;
	default:
		return -EOPNOTSUPP;	/* FCI (00) or FMD (08) templates */
	}
	switch (c->p1) {
	case GBA_SELECT_FID:
	case GBA_SELECT_CHILD_DF:
		if (c->nc != 2)
			return -EINVAL;
		s->fid = (uint16_t)(c->data[0] << 8 | c->data[1]);
		return 0;
	case GBA_SELECT_PARENT_DF:
		return c->nc ? -EINVAL : 0;
	case GBA_SELECT_AID:
		if (c->nc == 0 || c->nc > GBA_AID_MAX)
			return -EINVAL;
		s->aid = c->data;
		s->aid_len = c->nc;
		s->occurrence = c->p2 & 0x03;
		return 0;
	case GBA_SELECT_PATH_MF:
	case GBA_SELECT_PATH_DF:
		if (c->nc == 0 || (c->nc & 1) || c->nc > 2 * GBA_SELECT_PATH_MAX)
			return -EINVAL;
		s->path_len = c->nc / 2;
		for (i = 0; i < s->path_len; i++)
			s->path[i] = (uint16_t)(c->data[2 * i] << 8 | c->data[2 * i + 1]);
		return 0;
	}
	return -EINVAL;
}

/* --------------------------------------------------- READ/UPDATE BINARY/RECORD */

int gba_cmd_read_binary(uint8_t *out, size_t outlen, unsigned int chan, uint16_t offset,
			uint32_t ne)
{
	if (offset > 0x7fff || ne == 0)
		return -EINVAL;
	return gba_cmd_build(out, outlen, GBA_CLA_ISO, chan, GBA_INS_READ_BINARY, offset >> 8,
			     offset & 0xff, NULL, 0, ne);
}

int gba_cmd_update_binary(uint8_t *out, size_t outlen, unsigned int chan, uint16_t offset,
			  const uint8_t *data, size_t len)
{
	if (offset > 0x7fff || len == 0)
		return -EINVAL;
	return gba_cmd_build(out, outlen, GBA_CLA_ISO, chan, GBA_INS_UPDATE_BINARY, offset >> 8,
			     offset & 0xff, data, len, 0);
}

static int record_p2(enum gba_rec_mode mode, uint8_t sfi)
{
	if (sfi > 30 || (mode != GBA_REC_NEXT && mode != GBA_REC_PREVIOUS &&
			 mode != GBA_REC_ABSOLUTE))
		return -EINVAL;
	return sfi << 3 | mode;
}

int gba_cmd_read_record(uint8_t *out, size_t outlen, unsigned int chan, uint8_t rec,
			enum gba_rec_mode mode, uint8_t sfi, uint32_t ne)
{
	int p2 = record_p2(mode, sfi);

	if (p2 < 0 || ne == 0)
		return -EINVAL;
	return gba_cmd_build(out, outlen, GBA_CLA_ISO, chan, GBA_INS_READ_RECORD, rec,
			     (uint8_t)p2, NULL, 0, ne);
}

int gba_cmd_update_record(uint8_t *out, size_t outlen, unsigned int chan, uint8_t rec,
			  enum gba_rec_mode mode, uint8_t sfi, const uint8_t *data, size_t len)
{
	int p2 = record_p2(mode, sfi);

	if (p2 < 0 || mode == GBA_REC_NEXT || len == 0)
		return -EINVAL;
	return gba_cmd_build(out, outlen, GBA_CLA_ISO, chan, GBA_INS_UPDATE_RECORD, rec,
			     (uint8_t)p2, data, len, 0);
}

static int binary_p1p2(struct gba_file_cmd *f, const struct gba_capdu *c)
{
	if (c->p1 & 0x80) {
		if (c->p1 & 0x60)
			return -EINVAL;
		f->sfi = c->p1 & 0x1f;
		if (f->sfi == 0 || f->sfi > 30)
			return -EINVAL;
		f->offset = c->p2;
	} else {
		f->offset = (uint16_t)(c->p1 << 8 | c->p2);
	}
	return 0;
}

static int record_p1p2(struct gba_file_cmd *f, const struct gba_capdu *c)
{
	f->rec = c->p1;
	f->sfi = c->p2 >> 3;
	f->mode = c->p2 & 0x07;
	if (f->sfi > 30)
		return -EINVAL;
	if (f->mode == GBA_REC_ABSOLUTE || f->mode == GBA_REC_PREVIOUS)
		return 0;
	if (f->mode == GBA_REC_NEXT && c->ins == GBA_INS_READ_RECORD)
		return 0;
	return -EINVAL;
}

int gba_file_cmd_parse(struct gba_file_cmd *f, const struct gba_capdu *c)
{
	bool update;
	int rc;

	memset(f, 0, sizeof(*f));
	f->ins = c->ins;
	switch (c->ins) {
	case GBA_INS_READ_BINARY:
	case GBA_INS_UPDATE_BINARY:
		rc = binary_p1p2(f, c);
		update = c->ins == GBA_INS_UPDATE_BINARY;
		break;
	case GBA_INS_READ_RECORD:
	case GBA_INS_UPDATE_RECORD:
		rc = record_p1p2(f, c);
		update = c->ins == GBA_INS_UPDATE_RECORD;
		break;
	default:
		return -EINVAL;
	}
	if (rc < 0)
		return rc;
	if (update) {
		if (c->nc == 0)
			return -EINVAL;
		f->data = c->data;
		f->len = c->nc;
	} else {
		if (c->nc != 0 || c->ne == 0)
			return -EINVAL;
		f->len = c->ne;
	}
	return 0;
}

/* -------------------------------------------------------------- STATUS, GET RESPONSE */

int gba_cmd_status(uint8_t *out, size_t outlen, unsigned int chan, uint8_t p1, uint8_t p2,
		   uint32_t ne)
{
	if (p1 > 2 || (p2 != GBA_STATUS_RET_FCP && p2 != GBA_STATUS_RET_AID &&
		       p2 != GBA_STATUS_RET_NONE))
		return -EINVAL;
	if ((p2 == GBA_STATUS_RET_NONE) != (ne == 0))
		return -EINVAL;
	return gba_cmd_build(out, outlen, GBA_CLA_UICC, chan, GBA_INS_STATUS, p1, p2, NULL, 0, ne);
}

int gba_cmd_get_response(uint8_t *out, size_t outlen, uint8_t cla, uint32_t ne)
{
	struct gba_capdu c = {
		.cla = gba_cla_to_iso(cla), .ins = GBA_INS_GET_RESPONSE, .ne = ne,
	};

	if (ne == 0 || ne > GBA_APDU_SHORT_NE_MAX)
		return -EINVAL;
	return gba_capdu_encode(out, outlen, &c);
}

/* ------------------------------------------------------------------ PINs */

/* PIN digits into an 8-byte FF-padded block. */
static int pin_block(uint8_t block[GBA_PIN_BLOCK_LEN], const char *pin)
{
	size_t i, n = strnlen(pin, GBA_PIN_MAX + 1);

	if (n < GBA_PIN_MIN || n > GBA_PIN_MAX)
		return -EINVAL;
	memset(block, 0xff, GBA_PIN_BLOCK_LEN);
	for (i = 0; i < n; i++) {
		if (pin[i] < '0' || pin[i] > '9')
			return -EINVAL;
		block[i] = (uint8_t)pin[i];
	}
	return 0;
}

/* An FF-padded PIN block back into digits; -EINVAL unless 4..8 digits then only FF. */
static int pin_unblock(char out[GBA_PIN_MAX + 1], const uint8_t *block)
{
	size_t i, n = 0;

	while (n < GBA_PIN_BLOCK_LEN && block[n] >= '0' && block[n] <= '9')
		n++;
	for (i = n; i < GBA_PIN_BLOCK_LEN; i++)
		if (block[i] != 0xff)
			return -EINVAL;
	if (n < GBA_PIN_MIN)
		return -EINVAL;
	memcpy(out, block, n);
	out[n] = '\0';
	return 0;
}

int gba_cmd_verify_pin(uint8_t *out, size_t outlen, unsigned int chan, uint8_t ref,
		       const char *pin)
{
	uint8_t block[GBA_PIN_BLOCK_LEN];
	int rc;

	if (ref == 0)
		return -EINVAL;
	if (!pin)
		return gba_cmd_build(out, outlen, GBA_CLA_ISO, chan, GBA_INS_VERIFY, 0, ref,
				     NULL, 0, 0);
	rc = pin_block(block, pin);
	if (rc == 0)
		rc = gba_cmd_build(out, outlen, GBA_CLA_ISO, chan, GBA_INS_VERIFY, 0, ref, block,
				   sizeof(block), 0);
	gba_zeroize(block, sizeof(block));
	return rc;
}

int gba_cmd_unblock_pin(uint8_t *out, size_t outlen, unsigned int chan, uint8_t ref,
			const char *puk, const char *new_pin)
{
	uint8_t block[2 * GBA_PIN_BLOCK_LEN];
	int rc;

	if (ref == 0 || (!puk) != (!new_pin))
		return -EINVAL;
	if (!puk)
		return gba_cmd_build(out, outlen, GBA_CLA_ISO, chan, GBA_INS_UNBLOCK_PIN, 0, ref,
				     NULL, 0, 0);
	rc = pin_block(block, puk);
	if (rc == 0)
		rc = pin_block(block + GBA_PIN_BLOCK_LEN, new_pin);
	if (rc == 0)
		rc = gba_cmd_build(out, outlen, GBA_CLA_ISO, chan, GBA_INS_UNBLOCK_PIN, 0, ref,
				   block, sizeof(block), 0);
	gba_zeroize(block, sizeof(block));
	return rc;
}

int gba_pin_cmd_parse(struct gba_pin_cmd *p, const struct gba_capdu *c)
{
	size_t want;
	int rc;

	memset(p, 0, sizeof(*p));
	if (c->ins != GBA_INS_VERIFY && c->ins != GBA_INS_CHANGE_PIN &&
	    c->ins != GBA_INS_UNBLOCK_PIN)
		return -EINVAL;
	if (c->p1 != 0 || c->p2 == 0)
		return -EINVAL;
	p->ins = c->ins;
	p->ref = c->p2;
	if (c->nc == 0) {
		if (c->ins == GBA_INS_CHANGE_PIN)
			return -EINVAL;
		p->query = true;
		return 0;
	}
	want = c->ins == GBA_INS_VERIFY ? GBA_PIN_BLOCK_LEN : 2 * GBA_PIN_BLOCK_LEN;
	if (c->nc != want)
		return -EINVAL;
	rc = pin_unblock(p->pin, c->data);
	if (rc == 0 && want > GBA_PIN_BLOCK_LEN)
		rc = pin_unblock(p->new_pin, c->data + GBA_PIN_BLOCK_LEN);
	if (rc < 0)
		gba_zeroize(p, sizeof(*p));
	return rc;
}
