/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Contents of the UICC files gbakit reads and writes, both directions: FCP
 * templates (TS 102 221 11.1.1.3), EF_DIR application templates, EF_GBABP and
 * EF_GBANL (TS 31.102 4.2.79/4.2.83), the ISIM NAI files (TS 31.103 4.2.2-4.2.4),
 * service tables, EF_IMSI and EF_AD, and the USIM/ISIM AID prefixes.
 * See include/gba/uicc_cmd.h.
 */
#include "config.h"

#include <errno.h>
#include <string.h>

#include <gba/tlv.h>
#include <gba/uicc_cmd.h>

const uint8_t gba_aid_usim_prefix[GBA_AID_PREFIX_LEN] = {
	0xa0, 0x00, 0x00, 0x00, 0x87, 0x10, 0x02
};
const uint8_t gba_aid_isim_prefix[GBA_AID_PREFIX_LEN] = {
	0xa0, 0x00, 0x00, 0x00, 0x87, 0x10, 0x04
};

enum gba_app_type gba_aid_app_type(const uint8_t *aid, size_t len)
{
	if (!aid || len < GBA_AID_PREFIX_LEN)
		return GBA_APP_UNKNOWN;
	if (!memcmp(aid, gba_aid_usim_prefix, GBA_AID_PREFIX_LEN))
		return GBA_APP_USIM;
	if (!memcmp(aid, gba_aid_isim_prefix, GBA_AID_PREFIX_LEN))
		return GBA_APP_ISIM;
	return GBA_APP_UNKNOWN;
}

const char *gba_app_type_name(enum gba_app_type t)
{
	switch (t) {
	case GBA_APP_USIM:
		return "USIM";
	case GBA_APP_ISIM:
		return "ISIM";
	default:
		return "unknown";
	}
}

/* ------------------------------------------------------------------ FCP */

/* Big-endian unsigned of 1..4 bytes. */
static int get_uint(size_t *out, const struct gba_tlv *t)
{
	size_t i, v = 0;

	if (t->len == 0 || t->len > 4)
		return -EINVAL;
	for (i = 0; i < t->len; i++)
		v = v << 8 | t->val[i];
	*out = v;
	return 0;
}

static int fcp_fdb(struct gba_fcp *f, const struct gba_tlv *t)
{
	if (t->len != 2 && t->len != 5)
		return -EINVAL;
	f->fdb = t->val[0];
	f->shareable = f->fdb & 0x40;
	if ((f->fdb & 0x38) == 0x38)
		f->structure = (f->fdb & 0x07) == 0x01 ? GBA_EF_BER_TLV : GBA_DF;
	else
		f->structure = f->fdb & 0x07;
	if (t->len == 5) {
		f->rec_len = (uint16_t)(t->val[2] << 8 | t->val[3]);
		f->rec_count = t->val[4];
	}
	return 0;
}

static int fcp_item(struct gba_fcp *f, const struct gba_tlv *t, bool *seen_fdb)
{
	switch (t->tag) {
	case 0x82:
		*seen_fdb = true;
		return fcp_fdb(f, t);
	case 0x83:
		if (t->len != 2)
			return -EINVAL;
		f->has_fid = true;
		f->fid = (uint16_t)(t->val[0] << 8 | t->val[1]);
		return 0;
	case 0x84:
		if (t->len == 0 || t->len > GBA_AID_MAX)
			return -EINVAL;
		memcpy(f->aid, t->val, t->len);
		f->aid_len = t->len;
		return 0;
	case 0x8a:
		if (t->len != 1)
			return -EINVAL;
		f->has_lcsi = true;
		f->lcsi = t->val[0];
		return 0;
	case 0x80:
		f->has_size = true;
		return get_uint(&f->size, t);
	case 0x81:
		return get_uint(&f->total_size, t);
	case 0x88:
		if (t->len > 1)
			return -EINVAL;
		f->has_sfi = true;
		f->sfi = t->len ? t->val[0] >> 3 : 0;
		return 0;
	case 0x8b:
	case 0x8c:
	case 0xab:
		f->sec_tag = (uint8_t)t->tag;
		f->sec_attr = t->val;
		f->sec_attr_len = t->len;
		return 0;
	case 0xc6:
		f->pin_do = t->val;
		f->pin_do_len = t->len;
		return 0;
	case 0xa5:
		f->prop = t->val;
		f->prop_len = t->len;
		return 0;
	}
	return 0;	/* other tags are skipped */
}

int gba_fcp_parse(struct gba_fcp *f, const uint8_t *buf, size_t len)
{
	struct gba_tlv tpl, t;
	struct gba_tlv_iter it;
	bool seen_fdb = false;
	int n, rc;

	memset(f, 0, sizeof(*f));
	n = gba_tlv_parse(&tpl, buf, len);
	if (n < 0 || tpl.tag != GBA_FCP_TAG || (size_t)n != len)
		return -EINVAL;
	gba_tlv_iter_init_nested(&it, &tpl);
	while ((rc = gba_tlv_next(&it, &t)) > 0) {
		rc = fcp_item(f, &t, &seen_fdb);
		if (rc < 0)
			break;
	}
	if (rc == 0 && !seen_fdb)
		rc = -EINVAL;
	if (rc < 0)
		memset(f, 0, sizeof(*f));
	return rc;
}

/* Append one TLV at out + *i. */
static int put_tlv(uint8_t *out, size_t outlen, size_t *i, uint16_t tag, const uint8_t *v,
		   size_t l)
{
	int n = gba_tlv_put(out + *i, outlen - *i, tag, v, l);

	if (n < 0)
		return n;
	*i += (size_t)n;
	return 0;
}

/* Minimal big-endian bytes of 'v' (at least 'min' bytes). */
static size_t be_bytes(uint8_t b[4], size_t v, size_t min)
{
	size_t n = min;

	while (n < 4 && (v >> (8 * n)))
		n++;
	for (size_t j = 0; j < n; j++)
		b[j] = (v >> (8 * (n - 1 - j))) & 0xff;
	return n;
}

int gba_fcp_build(uint8_t *out, size_t outlen, const struct gba_fcp *f)
{
	/* the inner objects are written after room for the longest 62 header (62 82 xx xx) */
	const size_t room = 4;
	uint8_t b[5];
	size_t i = room, inner, n;
	int rc = 0, h;

	if (outlen < room)
		return -ENOSPC;
	b[0] = f->fdb;
	b[1] = 0x21;	/* data coding byte (TS 102 221 11.1.1.4.3) */
	n = 2;
	if (f->structure == GBA_EF_LINEAR_FIXED || f->structure == GBA_EF_CYCLIC) {
		b[2] = f->rec_len >> 8;
		b[3] = f->rec_len & 0xff;
		b[4] = f->rec_count;
		n = 5;
	}
	rc = put_tlv(out, outlen, &i, 0x82, b, n);
	if (!rc && f->has_fid) {
		uint8_t fid[2] = { f->fid >> 8, f->fid & 0xff };

		rc = put_tlv(out, outlen, &i, 0x83, fid, 2);
	}
	if (!rc && f->aid_len)
		rc = f->aid_len > GBA_AID_MAX ? -EINVAL :
		     put_tlv(out, outlen, &i, 0x84, f->aid, f->aid_len);
	if (!rc && f->prop)
		rc = put_tlv(out, outlen, &i, 0xa5, f->prop, f->prop_len);
	if (!rc && f->has_lcsi)
		rc = put_tlv(out, outlen, &i, 0x8a, &f->lcsi, 1);
	if (!rc && f->sec_tag)
		rc = put_tlv(out, outlen, &i, f->sec_tag, f->sec_attr, f->sec_attr_len);
	if (!rc && f->pin_do)
		rc = put_tlv(out, outlen, &i, 0xc6, f->pin_do, f->pin_do_len);
	if (!rc && f->has_size)
		rc = put_tlv(out, outlen, &i, 0x80, b, be_bytes(b, f->size, 2));
	if (!rc && f->total_size)
		rc = put_tlv(out, outlen, &i, 0x81, b, be_bytes(b, f->total_size, 2));
	if (!rc && f->has_sfi) {
		uint8_t sfi = f->sfi << 3;

		rc = f->sfi > 30 ? -EINVAL : put_tlv(out, outlen, &i, 0x88, &sfi, f->sfi ? 1 : 0);
	}
	if (rc < 0)
		return rc;
	inner = i - room;
	h = gba_tlv_put_hdr(out, room, GBA_FCP_TAG, inner);
	if (h < 0)
		return h;
	memmove(out + h, out + room, inner);
	return h + (int)inner;
}

/* ------------------------------------------------------------------ EF_DIR */

int gba_dir_rec_parse(struct gba_dir_rec *d, const uint8_t *rec, size_t len)
{
	struct gba_tlv tpl, t;
	struct gba_tlv_iter it;
	int rc;

	memset(d, 0, sizeof(*d));
	if (!rec || gba_is_erased(rec, len))
		return -ENOENT;
	gba_tlv_iter_init(&it, rec, len);
	rc = gba_tlv_next(&it, &tpl);
	if (rc <= 0 || tpl.tag != 0x61)
		return -EINVAL;
	gba_tlv_iter_init_nested(&it, &tpl);
	while ((rc = gba_tlv_next(&it, &t)) > 0) {
		if (t.tag == 0x4f) {
			if (t.len == 0 || t.len > GBA_AID_MAX)
				goto bad;
			memcpy(d->aid, t.val, t.len);
			d->aid_len = t.len;
		} else if (t.tag == 0x50) {
			if (t.len > GBA_DIR_LABEL_MAX || memchr(t.val, 0, t.len))
				goto bad;
			memcpy(d->label, t.val, t.len);
			d->label[t.len] = '\0';
		}
	}
	if (rc < 0 || d->aid_len == 0)
		goto bad;
	return 0;
bad:
	memset(d, 0, sizeof(*d));
	return -EINVAL;
}

/* Pad a record with FF after 'used' bytes. */
static int pad_record(uint8_t *out, size_t used, size_t rec_len)
{
	memset(out + used, 0xff, rec_len - used);
	return (int)rec_len;
}

int gba_dir_rec_build(uint8_t *out, size_t rec_len, const struct gba_dir_rec *d)
{
	size_t label_len = strnlen(d->label, sizeof(d->label));
	size_t inner, i;
	int h, rc = 0;

	if (d->aid_len == 0 || d->aid_len > GBA_AID_MAX || label_len > GBA_DIR_LABEL_MAX)
		return -EINVAL;
	inner = 2 + d->aid_len + (label_len ? 2 + label_len : 0);
	h = gba_tlv_put_hdr(out, rec_len, 0x61, inner);
	if (h < 0)
		return h;
	i = (size_t)h;
	rc = put_tlv(out, rec_len, &i, 0x4f, d->aid, d->aid_len);
	if (!rc && label_len)
		rc = put_tlv(out, rec_len, &i, 0x50, (const uint8_t *)d->label, label_len);
	if (rc < 0)
		return rc;
	return pad_record(out, i, rec_len);
}

/* ------------------------------------------------------------------ EF_GBABP / EF_GBANL */

int gba_gbabp_parse(struct gba_gbabp *g, const uint8_t *buf, size_t len)
{
	const uint8_t *p = buf;
	size_t left = len;

	memset(g, 0, sizeof(*g));
	if (!buf || len == 0 || buf[0] == 0xff)
		return -ENOENT;
	if (gba_lv_next(&p, &left, &g->rand, &g->rand_len) < 0 ||
	    gba_lv_next(&p, &left, &g->btid, &g->btid_len) < 0 ||
	    gba_lv_next(&p, &left, &g->lifetime, &g->lifetime_len) < 0 ||
	    (g->rand_len != 0 && g->rand_len != GBA_RAND_LEN)) {
		memset(g, 0, sizeof(*g));
		return -EINVAL;
	}
	return 0;
}

int gba_gbabp_build(uint8_t *out, size_t outlen, const struct gba_gbabp *g)
{
	size_t i = 0;
	int n;

	if (g->rand_len != 0 && g->rand_len != GBA_RAND_LEN)
		return -EINVAL;
	n = gba_lv_put(out, outlen, g->rand, g->rand_len);
	if (n >= 0) {
		i += (size_t)n;
		n = gba_lv_put(out + i, outlen - i, g->btid, g->btid_len);
	}
	if (n >= 0) {
		i += (size_t)n;
		n = gba_lv_put(out + i, outlen - i, g->lifetime, g->lifetime_len);
	}
	if (n < 0)
		return n;
	return (int)(i + (size_t)n);
}

int gba_gbanl_rec_parse(struct gba_gbanl_rec *nl, const uint8_t *rec, size_t len)
{
	struct gba_tlv_iter it;
	struct gba_tlv t;
	int rc;

	memset(nl, 0, sizeof(*nl));
	if (!rec || gba_is_erased(rec, len))
		return -ENOENT;
	gba_tlv_iter_init(&it, rec, len);
	while ((rc = gba_tlv_next(&it, &t)) > 0) {
		if (t.tag == 0x80) {
			nl->naf_id = t.val;
			nl->naf_id_len = t.len;
		} else if (t.tag == 0x81) {
			nl->btid = t.val;
			nl->btid_len = t.len;
		}
	}
	if (rc < 0 || nl->naf_id_len < 1 + GBA_UA_ID_LEN || nl->btid_len == 0) {
		memset(nl, 0, sizeof(*nl));
		return -EINVAL;
	}
	return 0;
}

int gba_gbanl_rec_build(uint8_t *out, size_t rec_len, const struct gba_gbanl_rec *nl)
{
	size_t i = 0;
	int rc;

	if (nl->naf_id_len < 1 + GBA_UA_ID_LEN || nl->btid_len == 0)
		return -EINVAL;
	rc = put_tlv(out, rec_len, &i, 0x80, nl->naf_id, nl->naf_id_len);
	if (!rc)
		rc = put_tlv(out, rec_len, &i, 0x81, nl->btid, nl->btid_len);
	if (rc < 0)
		return rc;
	return pad_record(out, i, rec_len);
}

/* ------------------------------------------------------------------ ISIM NAI files */

int gba_isim_nai_parse(const uint8_t **val, size_t *vlen, const uint8_t *buf, size_t len)
{
	struct gba_tlv_iter it;
	struct gba_tlv t;
	int rc;

	*val = NULL;
	*vlen = 0;
	if (!buf || gba_is_erased(buf, len))
		return -ENOENT;
	gba_tlv_iter_init(&it, buf, len);
	rc = gba_tlv_next(&it, &t);
	if (rc < 0 || (rc > 0 && t.tag != 0x80))
		return -EINVAL;
	if (rc == 0 || t.len == 0)
		return -ENOENT;
	*val = t.val;
	*vlen = t.len;
	return 0;
}

int gba_isim_nai_build(uint8_t *out, size_t outlen, const char *value, bool pad)
{
	size_t i = 0;
	int rc;

	if (!value)
		return -EINVAL;
	rc = put_tlv(out, outlen, &i, 0x80, (const uint8_t *)value, strlen(value));
	if (rc < 0)
		return rc;
	return pad ? pad_record(out, i, outlen) : (int)i;
}

/* ------------------------------------------------------------------ USIM files */

bool gba_service_available(const uint8_t *table, size_t len, unsigned int n)
{
	if (!table || n == 0 || (n - 1) / 8 >= len)
		return false;
	return table[(n - 1) / 8] & (1u << ((n - 1) % 8));
}

#define EF_IMSI_LEN	9

int gba_ef_imsi_decode(char *out, size_t outlen, const uint8_t *buf, size_t len)
{
	size_t l, nib, n = 0;

	if (!buf || len < 2)
		return -EINVAL;
	l = buf[0];
	if (l < 1 || l > EF_IMSI_LEN - 1 || l > len - 1)
		return -EINVAL;
	/* nibbles after the low nibble of byte 1 (parity/type): 2*l - 1 digits at most */
	for (nib = 1; nib < 2 * l; nib++) {
		uint8_t b = buf[1 + nib / 2];
		uint8_t d = nib & 1 ? b >> 4 : b & 0x0f;

		if (d == 0x0f) {
			if (nib != 2 * l - 1)
				return -EINVAL;	/* filler only in the last nibble */
			break;
		}
		if (d > 9)
			return -EINVAL;
		if (n + 1 >= outlen)
			return -ENOSPC;
		out[n++] = (char)('0' + d);
	}
	if (n < 6 || n > 15)
		return -EINVAL;
	out[n] = '\0';
	return (int)n;
}

int gba_ef_imsi_encode(uint8_t *out, size_t outlen, const char *imsi)
{
	size_t n, i;

	if (!imsi)
		return -EINVAL;
	n = strnlen(imsi, 16);
	if (n < 6 || n > 15)
		return -EINVAL;
	for (i = 0; i < n; i++)
		if (imsi[i] < '0' || imsi[i] > '9')
			return -EINVAL;
	if (outlen < EF_IMSI_LEN)
		return -ENOSPC;
	memset(out, 0xff, EF_IMSI_LEN);
	out[0] = (uint8_t)((n + 2) / 2);
	/* byte 1: first digit high, low nibble 1 (IMSI) | 8 when the digit count is odd */
	out[1] = (uint8_t)((imsi[0] - '0') << 4 | (n & 1 ? 0x09 : 0x01));
	for (i = 1; i < n; i++) {
		uint8_t *b = &out[1 + (i + 1) / 2];
		uint8_t d = (uint8_t)(imsi[i] - '0');

		if (i & 1)
			*b = (*b & 0xf0) | d;		/* low nibble */
		else
			*b = (uint8_t)((d << 4) | (*b & 0x0f));
	}
	return EF_IMSI_LEN;
}

int gba_ef_ad_mnc_len(const uint8_t *buf, size_t len)
{
	uint8_t m;

	if (!buf || len < 4)
		return -ENOENT;
	m = buf[3] & 0x0f;
	return (m == 2 || m == 3) ? m : -ENOENT;
}
