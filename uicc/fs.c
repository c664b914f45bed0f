/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The card's file system (TS 102 221 clause 8): a tree of MF, DFs, ADFs and transparent or
 * linear-fixed EFs with their access conditions, the MF-level files (EF.DIR, EF.ICCID,
 * EF.PL), look-ups by FID and SFI, and the FCP template returned by SELECT and STATUS
 * (TS 102 221 11.1.1.3).
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <gba/log.h>
#include <gba/uicc_cmd.h>

#include "card.h"

struct uicc_file *uicc_fs_add(struct gba_uicc *c, struct uicc_file *parent, uint16_t fid,
			      enum uicc_ftype type, uint8_t sfi, enum uicc_acc rd, enum uicc_acc upd,
			      const char *name, size_t size, uint8_t rec_len)
{
	struct uicc_file *f, **pp;

	if (c->n_all >= sizeof(c->all) / sizeof(c->all[0]))
		return NULL;
	f = calloc(1, sizeof(*f));
	if (!f)
		return NULL;
	f->fid = fid;
	f->type = type;
	f->sfi = sfi;
	f->acc_read = rd;
	f->acc_update = upd;
	f->name = name;
	f->parent = parent;
	f->app = parent ? parent->app : APP_NONE;
	if (type == UF_EF_T || type == UF_EF_LF) {
		f->rec_len = rec_len;
		f->n_rec = rec_len ? (uint8_t)(size / rec_len) : 0;
		f->size = size;
		f->data = malloc(size ? size : 1);
		if (!f->data) {
			free(f);
			return NULL;
		}
		memset(f->data, 0xff, size);
	}
	if (parent) {
		for (pp = &parent->child; *pp; pp = &(*pp)->next)
			;
		*pp = f;
	}
	c->all[c->n_all++] = f;
	return f;
}

struct uicc_file *uicc_fs_child(const struct uicc_file *df, uint16_t fid)
{
	struct uicc_file *f;

	for (f = df ? df->child : NULL; f; f = f->next)
		if (f->fid == fid)
			return f;
	return NULL;
}

struct uicc_file *uicc_fs_by_sfi(const struct uicc_file *df, uint8_t sfi)
{
	struct uicc_file *f;

	for (f = df ? df->child : NULL; f; f = f->next)
		if (sfi && f->sfi == sfi && (f->type == UF_EF_T || f->type == UF_EF_LF))
			return f;
	return NULL;
}

struct uicc_file *uicc_app_ef(const struct gba_uicc *c, enum uicc_app app, uint16_t fid)
{
	return c->adf[app] ? uicc_fs_child(c->adf[app], fid) : NULL;
}

void uicc_ef_set(struct uicc_file *f, const void *data, size_t len)
{
	if (len > f->size)
		len = f->size;
	memcpy(f->data, data, len);
}

void uicc_bcd_swapped(uint8_t *out, size_t len, const char *digits)
{
	size_t i, n = strlen(digits);

	memset(out, 0xff, len);
	for (i = 0; i < n && i / 2 < len; i++) {
		uint8_t d = (uint8_t)(digits[i] - '0') & 0x0f;

		if (i % 2)
			out[i / 2] = (uint8_t)((out[i / 2] & 0x0f) | d << 4);
		else
			out[i / 2] = (uint8_t)(0xf0 | d);
	}
}

static void fs_free_tree(struct uicc_file *f)
{
	struct uicc_file *ch, *nx;

	for (ch = f->child; ch; ch = nx) {
		nx = ch->next;
		fs_free_tree(ch);
	}
	if (f->data) {
		/* EF_KEYS and similar may hold session keys written by the ME */
		gba_zeroize(f->data, f->size);
		free(f->data);
	}
	free(f);
}

void uicc_fs_free(struct gba_uicc *c)
{
	if (c->mf)
		fs_free_tree(c->mf);
	c->mf = NULL;
	c->n_all = 0;
	memset(c->adf, 0, sizeof(c->adf));
}

static int dir_record(uint8_t *rec, size_t rl, const uint8_t *aid, size_t aid_len, const char *label)
{
	struct gba_dir_rec d = { .aid_len = aid_len };

	memcpy(d.aid, aid, aid_len);
	strcpy(d.label, label);
	return gba_dir_rec_build(rec, rl, &d) < 0 ? -EINVAL : 0;
}

int uicc_fs_build(struct gba_uicc *c)
{
	struct uicc_file *f;
	int rc;

	c->mf = uicc_fs_add(c, NULL, 0x3f00, UF_MF, 0, ACC_ALW, ACC_ADM, "MF", 0, 0);
	if (!c->mf)
		return -ENOMEM;
	f = uicc_fs_add(c, c->mf, 0x2fe2, UF_EF_T, 0x02, ACC_ALW, ACC_NEV, "EF.ICCID", 10, 0);
	if (!f)
		return -ENOMEM;
	uicc_bcd_swapped(f->data, 10, c->prof.iccid);
	f = uicc_fs_add(c, c->mf, 0x2f05, UF_EF_T, 0x05, ACC_ALW, ACC_PIN1, "EF.PL", 4, 0);
	if (!f)
		return -ENOMEM;
	uicc_ef_set(f, "en", 2);
	f = uicc_fs_add(c, c->mf, 0x2f00, UF_EF_LF, 0x1e, ACC_ALW, ACC_ADM, "EF.DIR", 2 * 32, 32);
	if (!f)
		return -ENOMEM;
	rc = dir_record(f->data, 32, uicc_usim_aid, sizeof(uicc_usim_aid), "USIM");
	if (rc == 0 && c->prof.isim)
		rc = dir_record(f->data + 32, 32, uicc_isim_aid, sizeof(uicc_isim_aid), "ISIM");
	if (rc == 0)
		rc = uicc_usim_build(c);
	if (rc == 0 && c->prof.isim)
		rc = uicc_isim_build(c);
	return rc;
}

/* Compact security attributes (ISO 7816-4 8C): AM byte b2 = UPDATE, b1 = READ, one SC byte
 * each: 00 always, 01 PIN1 (key reference 01), 0A ADM1 (key reference 0A), FF never. */
static uint8_t sc_byte(uint8_t acc)
{
	switch (acc) {
	case ACC_ALW: return 0x00;
	case ACC_PIN1: return 0x01;
	case ACC_ADM: return 0x0a;
	default: return 0xff;
	}
}

size_t uicc_fs_fcp(const struct gba_uicc *c, const struct uicc_file *f, uint8_t *out, size_t max)
{
	uint8_t sec[3] = { 0x03, sc_byte(f->acc_update), sc_byte(f->acc_read) };
	/* PIN status template DO: PS_DO (b8 = PIN1 enabled, b7 = ADM1), key references 01, 0A */
	uint8_t pin_do[] = { 0x90, 0x01, 0x40, 0x83, 0x01, 0x01, 0x83, 0x01, 0x0a };
	struct gba_fcp fcp = {
		.has_fid = true, .fid = f->fid, .has_lcsi = true, .lcsi = GBA_LCSI_ACTIVATED,
		.sec_tag = 0x8c, .sec_attr = sec, .sec_attr_len = sizeof(sec),
	};
	int n;

	switch (f->type) {
	case UF_EF_T:
	case UF_EF_LF:
		fcp.fdb = f->type == UF_EF_T ? 0x41 : 0x42;
		fcp.structure = f->type == UF_EF_T ? GBA_EF_TRANSPARENT : GBA_EF_LINEAR_FIXED;
		fcp.shareable = true;
		fcp.rec_len = f->rec_len;
		fcp.rec_count = f->n_rec;
		fcp.has_size = true;
		fcp.size = f->size;
		fcp.has_sfi = true;
		fcp.sfi = f->sfi;
		break;
	default:
		fcp.fdb = 0x78;
		fcp.structure = GBA_DF;
		fcp.shareable = true;
		if (f->type == UF_ADF) {
			memcpy(fcp.aid, f->aid, f->aid_len);
			fcp.aid_len = f->aid_len;
		}
		if (c->pin1.set && c->pin1.enabled)
			pin_do[2] |= 0x80;
		fcp.pin_do = pin_do;
		fcp.pin_do_len = sizeof(pin_do);
		break;
	}
	n = gba_fcp_build(out, max, &fcp);
	return n < 0 ? 0 : (size_t)n;
}
