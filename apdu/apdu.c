/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ISO/IEC 7816-4 C-APDU encoding and decoding (cases 1-4, short and extended
 * length fields), R-APDU splitting and building, and the class byte's logical
 * channel coding. Written by hand: no library in the dependency set encodes
 * APDUs (libpcsclite only moves bytes). See include/gba/apdu.h.
 */
#include "config.h"

#include <errno.h>
#include <string.h>

#include <gba/apdu.h>

enum gba_apdu_case gba_capdu_case(const struct gba_capdu *c)
{
	if (c->nc == 0)
		return c->ne ? GBA_APDU_CASE_2 : GBA_APDU_CASE_1;
	return c->ne ? GBA_APDU_CASE_4 : GBA_APDU_CASE_3;
}

static bool capdu_extended(const struct gba_capdu *c)
{
	return c->extended || c->nc > GBA_APDU_SHORT_NC_MAX || c->ne > GBA_APDU_SHORT_NE_MAX;
}

int gba_capdu_len(const struct gba_capdu *c)
{
	bool ext;
	size_t n = GBA_APDU_HDR_LEN;

	if (c->nc > GBA_APDU_EXT_NC_MAX || c->ne > GBA_APDU_EXT_NE_MAX || (c->nc && !c->data))
		return -EINVAL;
	ext = capdu_extended(c);
	if (c->nc)
		n += (ext ? 3 : 1) + c->nc;
	if (c->ne) {
		if (ext)
			n += c->nc ? 2 : 3;	/* case 2E: 00 Le1 Le2; case 4E: Le1 Le2 */
		else
			n += 1;
	}
	return (int)n;
}

int gba_capdu_encode(uint8_t *out, size_t outlen, const struct gba_capdu *c)
{
	int len = gba_capdu_len(c);
	bool ext;
	size_t i = 0;

	if (len < 0)
		return len;
	if ((size_t)len > outlen)
		return -ENOSPC;
	ext = capdu_extended(c);
	out[i++] = c->cla;
	out[i++] = c->ins;
	out[i++] = c->p1;
	out[i++] = c->p2;
	if (c->nc) {
		if (ext) {
			out[i++] = 0;
			out[i++] = c->nc >> 8;
		}
		out[i++] = c->nc & 0xff;
		memmove(out + i, c->data, c->nc);
		i += c->nc;
	}
	if (c->ne) {
		uint32_t le = c->ne;

		if (ext) {
			if (!c->nc)
				out[i++] = 0;
			le &= 0xffff;		/* 65536 is coded 0000 */
			out[i++] = le >> 8;
			out[i++] = le & 0xff;
		} else {
			out[i++] = le & 0xff;	/* 256 is coded 00 */
		}
	}
	return (int)i;
}

#define SHORT_LC_SMALLER "short Lc smaller than the data that follows (more than one Le byte)"

static int capdu_bad(const char **why, const char *reason)
{
	if (why)
		*why = reason;
	return -EINVAL;
}

int gba_capdu_decode(struct gba_capdu *c, const uint8_t *in, size_t len, const char **why)
{
	size_t lc;

	memset(c, 0, sizeof(*c));
	if (why)
		*why = NULL;
	if (!in || len < GBA_APDU_HDR_LEN)
		return capdu_bad(why, "C-APDU shorter than its 4-byte header");
	c->cla = in[0];
	c->ins = in[1];
	c->p1 = in[2];
	c->p2 = in[3];
	if (c->cla == 0xff)
		return capdu_bad(why, "CLA FF is invalid (reserved for PPS)");
	if (len == 4)
		return 0;					/* case 1 */
	if (len == 5) {
		c->ne = in[4] ? in[4] : 256;			/* case 2S */
		return 0;
	}
	if (in[4] != 0) {
		lc = in[4];
		if (len == 5 + lc) {				/* case 3S */
			c->nc = lc;
			c->data = in + 5;
			return 0;
		}
		if (len == 6 + lc) {				/* case 4S */
			c->nc = lc;
			c->data = in + 5;
			c->ne = in[len - 1] ? in[len - 1] : 256;
			return 0;
		}
		if (len < 5 + lc)
			return capdu_bad(why, "short Lc larger than the data that follows");
		/* more than one byte after the data: not a short Le */
		return capdu_bad(why, SHORT_LC_SMALLER);
	}
	/* in[4] == 00: extended length fields, or a short Lc of 0 */
	c->extended = true;
	if (len == 6)
		return capdu_bad(why, "short Lc of 00, or an extended length field cut short");
	if (len == 7) {						/* case 2E */
		uint32_t le = (uint32_t)in[5] << 8 | in[6];

		c->ne = le ? le : 65536;
		return 0;
	}
	lc = (size_t)in[5] << 8 | in[6];
	if (lc == 0)
		return capdu_bad(why, "extended Lc of 0000 followed by more bytes");
	if (len == 7 + lc) {					/* case 3E */
		c->nc = lc;
		c->data = in + 7;
		return 0;
	}
	if (len == 9 + lc) {					/* case 4E */
		uint32_t le = (uint32_t)in[len - 2] << 8 | in[len - 1];

		c->nc = lc;
		c->data = in + 7;
		c->ne = le ? le : 65536;
		return 0;
	}
	if (len == 8 + lc)
		return capdu_bad(why, "extended Lc with a one-byte (short) Le");
	return capdu_bad(why, len < 7 + lc ? "extended Lc larger than the data that follows" :
			 "extended Lc smaller than the data that follows");
}

static bool sw1_valid(uint8_t sw1)
{
	return (sw1 >= 0x61 && sw1 <= 0x6f) || (sw1 >= 0x90 && sw1 <= 0x9f);
}

int gba_rapdu_split(struct gba_rapdu *r, const uint8_t *in, size_t len)
{
	memset(r, 0, sizeof(*r));
	if (!in || len < 2 || !sw1_valid(in[len - 2]))
		return -EINVAL;
	r->data = in;
	r->len = len - 2;
	r->sw = (uint16_t)(in[len - 2] << 8 | in[len - 1]);
	return 0;
}

int gba_rapdu_build(uint8_t *out, size_t outlen, const uint8_t *data, size_t len, uint16_t sw)
{
	if (len > GBA_APDU_EXT_NE_MAX)
		return -E2BIG;
	if (len && !data)
		return -EINVAL;
	if (outlen < len + 2)
		return -ENOSPC;
	if (len && data != out)
		memmove(out, data, len);
	out[len] = sw >> 8;
	out[len + 1] = sw & 0xff;
	return (int)(len + 2);
}

int gba_cla_make(uint8_t base, unsigned int chan)
{
	if ((base != GBA_CLA_ISO && base != GBA_CLA_UICC) || chan > GBA_CHANNEL_MAX)
		return -EINVAL;
	if (chan < 4)
		return base | chan;
	return base | 0x40 | (chan - 4);
}

int gba_cla_channel(uint8_t cla)
{
	if (cla == 0xff || (cla & 0x60) == 0x20)	/* RFU, and A0 (GSM) / 2X-3X */
		return -EINVAL;
	if (cla & 0x40)
		return (cla & 0x0f) + 4;
	return cla & 0x03;
}

uint8_t gba_cla_to_iso(uint8_t cla)
{
	if ((cla & 0xf0) == GBA_CLA_GSM)
		return cla;
	return cla & ~0x90;	/* clear b8 (proprietary) and b5 (command chaining) */
}
