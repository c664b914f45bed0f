/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * BER-TLV as used on the UICC (ISO 7816-4 5.2.2, TS 102 221 annex D): tags of
 * one or two bytes, lengths in the short form (00-7F) and the 81 xx / 82 xx xx
 * forms; bounded iteration over a buffer and into constructed objects; and the
 * one-byte-length LV strings of EF_GBABP (TS 31.102 4.2.79).
 *
 * Written by hand: OpenSSL's ASN.1 parser is DER-only and does not accept the
 * FF padding and two-byte application tags that card files use.
 * Every value pointer points into the caller's buffer; nothing is allocated.
 */
#ifndef GBA_TLV_H
#define GBA_TLV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define GBA_TLV_LEN_MAX	0xffff	/* longest value we accept (82 xx xx) */

struct gba_tlv {
	uint16_t tag;		/* 1-byte tags as 0x00XX, 2-byte tags as 0xXXYY (e.g. 0x9F70) */
	size_t len;		/* value length */
	const uint8_t *val;	/* value, inside the parsed buffer */
	size_t hdr_len;		/* tag + length bytes */
};

/* Iterator over consecutive BER-TLV objects of one buffer (one nesting level). */
struct gba_tlv_iter {
	const uint8_t *p;
	size_t left;
};

/* True when 'tag' is a constructed data object (b6 of its first byte set). */
bool gba_tlv_is_constructed(uint16_t tag);

/*
 * Parse one BER-TLV object at the start of 'buf'. Returns the number of bytes it
 * takes (header + value), or -EINVAL for: empty buffer, tag byte 00 or FF, a tag
 * longer than two bytes, indefinite length (80), a length form longer than 82,
 * a value running past 'len'.
 */
int gba_tlv_parse(struct gba_tlv *t, const uint8_t *buf, size_t len);

void gba_tlv_iter_init(struct gba_tlv_iter *it, const uint8_t *buf, size_t len);

/* Iterate over the value of a constructed object 't'. */
void gba_tlv_iter_init_nested(struct gba_tlv_iter *it, const struct gba_tlv *t);

/*
 * Next object. Returns 1 and fills 't', 0 at the end, -EINVAL when malformed
 * (the iterator then stays at the end). The end is the end of the buffer or a
 * byte FF where a tag would start (records and files are padded with FF);
 * 00 bytes between objects are skipped (ISO 7816-4 5.2.2.1).
 */
int gba_tlv_next(struct gba_tlv_iter *it, struct gba_tlv *t);

/*
 * First object with 'tag' at the top level of 'buf'. Returns 0, -ENOENT when
 * absent, -EINVAL when the buffer is malformed before it was found.
 */
int gba_tlv_find(struct gba_tlv *t, const uint8_t *buf, size_t len, uint16_t tag);

/*
 * Follow 'depth' tags down through constructed objects (path[0] at the top
 * level, path[depth-1] the wanted object). depth 1..8. Returns 0, -ENOENT,
 * -EINVAL (malformed, or an intermediate object is primitive, or bad depth).
 */
int gba_tlv_find_path(struct gba_tlv *t, const uint8_t *buf, size_t len,
		      const uint16_t *path, size_t depth);

/* Number of bytes of the tag and length fields for 'tag' and a value of 'len' bytes. */
size_t gba_tlv_hdr_len(uint16_t tag, size_t len);

/*
 * Write the tag and length fields. Returns their length, -EINVAL for a tag
 * whose first byte is 00/FF or a 2-byte tag whose first byte does not announce
 * it (low 5 bits 1F), -E2BIG for len > 65535, -ENOSPC.
 */
int gba_tlv_put_hdr(uint8_t *out, size_t outlen, uint16_t tag, size_t len);

/*
 * Write a complete object (header and 'len' value bytes). 'val' may be NULL when
 * len is 0. Returns the total length or the errors of gba_tlv_put_hdr().
 */
int gba_tlv_put(uint8_t *out, size_t outlen, uint16_t tag, const uint8_t *val, size_t len);

/*
 * LV strings (one length byte, then the value). gba_lv_next() reads the next one
 * from *p / *left and advances them: returns 1 with *val and *vlen set, 0 when
 * *left is 0, -EINVAL when the length runs past the buffer.
 */
int gba_lv_next(const uint8_t **p, size_t *left, const uint8_t **val, size_t *vlen);

/* Write one LV string. Returns 1 + len, -E2BIG when len > 255, -ENOSPC. */
int gba_lv_put(uint8_t *out, size_t outlen, const uint8_t *val, size_t len);

/* True when every one of 'len' bytes is FF (an erased record or file); true for len 0. */
bool gba_is_erased(const uint8_t *buf, size_t len);

#endif /* GBA_TLV_H */
