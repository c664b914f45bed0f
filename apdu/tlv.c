/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * BER-TLV parsing and writing for card data (ISO 7816-4 5.2.2, TS 102 221
 * annex D): 1-2 byte tags, short/81/82 lengths, bounded iteration with FF
 * padding, path lookup through constructed objects, and one-byte LV strings.
 * Written by hand: OpenSSL's ASN.1 code is DER-only and rejects the padding
 * and tag forms found in card files. See include/gba/tlv.h.
 */
#include "config.h"

#include <errno.h>
#include <string.h>

#include <gba/tlv.h>

#define TLV_PATH_MAX	8

bool gba_tlv_is_constructed(uint16_t tag)
{
	uint8_t first = tag > 0xff ? tag >> 8 : tag;

	return first & 0x20;
}

int gba_tlv_parse(struct gba_tlv *t, const uint8_t *buf, size_t len)
{
	size_t i = 0, vlen;
	uint16_t tag;

	memset(t, 0, sizeof(*t));
	if (!buf || len == 0 || buf[0] == 0x00 || buf[0] == 0xff)
		return -EINVAL;
	tag = buf[i++];
	if ((tag & 0x1f) == 0x1f) {
		/* subsequent tag byte: b8 = 1 would announce a third byte (not used on UICCs) */
		if (i >= len || (buf[i] & 0x80) || buf[i] < 0x1f)
			return -EINVAL;
		tag = (uint16_t)(tag << 8 | buf[i++]);
	}
	if (i >= len)
		return -EINVAL;
	if (buf[i] < 0x80) {
		vlen = buf[i++];
	} else if (buf[i] == 0x81) {
		if (i + 1 >= len)
			return -EINVAL;
		vlen = buf[i + 1];
		i += 2;
	} else if (buf[i] == 0x82) {
		if (i + 2 >= len)
			return -EINVAL;
		vlen = (size_t)buf[i + 1] << 8 | buf[i + 2];
		i += 3;
	} else {
		return -EINVAL;		/* 80 indefinite, 83+ longer than we accept */
	}
	if (vlen > len - i)
		return -EINVAL;
	t->tag = tag;
	t->len = vlen;
	t->val = buf + i;
	t->hdr_len = i;
	return (int)(i + vlen);
}

void gba_tlv_iter_init(struct gba_tlv_iter *it, const uint8_t *buf, size_t len)
{
	it->p = buf;
	it->left = buf ? len : 0;
}

void gba_tlv_iter_init_nested(struct gba_tlv_iter *it, const struct gba_tlv *t)
{
	gba_tlv_iter_init(it, t->val, t->len);
}

int gba_tlv_next(struct gba_tlv_iter *it, struct gba_tlv *t)
{
	int n;

	while (it->left && it->p[0] == 0x00) {
		it->p++;
		it->left--;
	}
	if (!it->left || it->p[0] == 0xff) {
		it->left = 0;
		return 0;
	}
	n = gba_tlv_parse(t, it->p, it->left);
	if (n < 0) {
		it->left = 0;
		return n;
	}
	it->p += n;
	it->left -= (size_t)n;
	return 1;
}

int gba_tlv_find(struct gba_tlv *t, const uint8_t *buf, size_t len, uint16_t tag)
{
	struct gba_tlv_iter it;
	int rc;

	gba_tlv_iter_init(&it, buf, len);
	while ((rc = gba_tlv_next(&it, t)) > 0)
		if (t->tag == tag)
			return 0;
	memset(t, 0, sizeof(*t));
	return rc < 0 ? rc : -ENOENT;
}

int gba_tlv_find_path(struct gba_tlv *t, const uint8_t *buf, size_t len,
		      const uint16_t *path, size_t depth)
{
	size_t d;
	int rc;

	if (!path || depth == 0 || depth > TLV_PATH_MAX)
		return -EINVAL;
	for (d = 0; d < depth; d++) {
		rc = gba_tlv_find(t, buf, len, path[d]);
		if (rc < 0)
			return rc;
		if (d + 1 < depth) {
			if (!gba_tlv_is_constructed(t->tag))
				return -EINVAL;
			buf = t->val;
			len = t->len;
		}
	}
	return 0;
}

size_t gba_tlv_hdr_len(uint16_t tag, size_t len)
{
	return (tag > 0xff ? 2 : 1) + (len < 0x80 ? 1 : len <= 0xff ? 2 : 3);
}

int gba_tlv_put_hdr(uint8_t *out, size_t outlen, uint16_t tag, size_t len)
{
	uint8_t first = tag > 0xff ? tag >> 8 : tag;
	size_t n, i = 0;

	if (first == 0x00 || first == 0xff || ((tag > 0xff) != ((first & 0x1f) == 0x1f)))
		return -EINVAL;
	if (tag > 0xff && ((tag & 0xff) < 0x1f || (tag & 0x80)))
		return -EINVAL;	/* second byte must need two bytes and end the tag */
	if (len > GBA_TLV_LEN_MAX)
		return -E2BIG;
	n = gba_tlv_hdr_len(tag, len);
	if (n > outlen)
		return -ENOSPC;
	if (tag > 0xff)
		out[i++] = first;
	out[i++] = tag & 0xff;
	if (len >= 0x100) {
		out[i++] = 0x82;
		out[i++] = len >> 8;
	} else if (len >= 0x80) {
		out[i++] = 0x81;
	}
	out[i++] = len & 0xff;
	return (int)i;
}

int gba_tlv_put(uint8_t *out, size_t outlen, uint16_t tag, const uint8_t *val, size_t len)
{
	int n = gba_tlv_put_hdr(out, outlen, tag, len);

	if (n < 0)
		return n;
	if (len > outlen - (size_t)n)
		return -ENOSPC;
	if (len && !val)
		return -EINVAL;
	if (len)
		memmove(out + n, val, len);
	return n + (int)len;
}

int gba_lv_next(const uint8_t **p, size_t *left, const uint8_t **val, size_t *vlen)
{
	size_t l;

	if (*left == 0)
		return 0;
	l = (*p)[0];
	if (l > *left - 1)
		return -EINVAL;
	*val = *p + 1;
	*vlen = l;
	*p += 1 + l;
	*left -= 1 + l;
	return 1;
}

int gba_lv_put(uint8_t *out, size_t outlen, const uint8_t *val, size_t len)
{
	if (len > 0xff)
		return -E2BIG;
	if (outlen < len + 1)
		return -ENOSPC;
	if (len && !val)
		return -EINVAL;
	out[0] = (uint8_t)len;
	if (len)
		memmove(out + 1, val, len);
	return (int)len + 1;
}

bool gba_is_erased(const uint8_t *buf, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (buf[i] != 0xff)
			return false;
	return true;
}
