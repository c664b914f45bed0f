/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * AUTHENTICATE (TS 31.102 7.1.2, TS 31.103 5.1.1.2) in both directions: the ME
 * builds the command and parses the response, the card parses the command and
 * builds the response. Contexts: 3G (P2 81) and GBA (P2 84) in bootstrapping
 * (DD) and NAF derivation (DE) modes. See include/gba/uicc_cmd.h.
 */
#include "config.h"

#include <errno.h>
#include <string.h>

#include <gba/keys.h>
#include <gba/tlv.h>
#include <gba/uicc_cmd.h>

/* 10 RAND 10 AUTN after an optional mode byte. */
static size_t put_rand_autn(uint8_t *d, const uint8_t *rand, const uint8_t *autn)
{
	d[0] = GBA_RAND_LEN;
	memcpy(d + 1, rand, GBA_RAND_LEN);
	d[1 + GBA_RAND_LEN] = GBA_AUTN_LEN;
	memcpy(d + 2 + GBA_RAND_LEN, autn, GBA_AUTN_LEN);
	return 2 + GBA_RAND_LEN + GBA_AUTN_LEN;
}

int gba_cmd_auth_3g(uint8_t *out, size_t outlen, unsigned int chan,
		    const uint8_t rand[GBA_RAND_LEN], const uint8_t autn[GBA_AUTN_LEN])
{
	uint8_t d[2 + GBA_RAND_LEN + GBA_AUTN_LEN];

	if (!rand || !autn)
		return -EINVAL;
	put_rand_autn(d, rand, autn);
	return gba_cmd_build(out, outlen, GBA_CLA_ISO, chan, GBA_INS_AUTHENTICATE, 0,
			     GBA_AUTH_P2_3G, d, sizeof(d), 256);
}

int gba_cmd_auth_gba_boot(uint8_t *out, size_t outlen, unsigned int chan,
			  const uint8_t rand[GBA_RAND_LEN], const uint8_t autn[GBA_AUTN_LEN])
{
	uint8_t d[3 + GBA_RAND_LEN + GBA_AUTN_LEN];

	if (!rand || !autn)
		return -EINVAL;
	d[0] = GBA_AUTH_MODE_BOOT;
	put_rand_autn(d + 1, rand, autn);
	return gba_cmd_build(out, outlen, GBA_CLA_ISO, chan, GBA_INS_AUTHENTICATE, 0,
			     GBA_AUTH_P2_GBA, d, sizeof(d), 256);
}

int gba_cmd_auth_gba_naf(uint8_t *out, size_t outlen, unsigned int chan,
			 const uint8_t *naf_id, size_t naf_id_len,
			 const uint8_t *impi, size_t impi_len)
{
	uint8_t d[GBA_APDU_SHORT_NC_MAX];
	size_t n = 0;

	if (!naf_id || !impi || naf_id_len == 0 || impi_len == 0)
		return -EINVAL;
	if (naf_id_len > GBA_AUTH_NAF_ID_MAX || impi_len > GBA_IMPI_MAX ||
	    3 + naf_id_len + impi_len > sizeof(d))
		return -E2BIG;
	d[n++] = GBA_AUTH_MODE_NAF;
	d[n++] = (uint8_t)naf_id_len;
	memcpy(d + n, naf_id, naf_id_len);
	n += naf_id_len;
	d[n++] = (uint8_t)impi_len;
	memcpy(d + n, impi, impi_len);
	n += impi_len;
	return gba_cmd_build(out, outlen, GBA_CLA_ISO, chan, GBA_INS_AUTHENTICATE, 0,
			     GBA_AUTH_P2_GBA, d, n, 256);
}

/* 10 RAND 10 AUTN, exactly: -EINVAL otherwise. */
static int get_rand_autn(struct gba_auth_cmd *a, const uint8_t *d, size_t len)
{
	if (len != 2 + GBA_RAND_LEN + GBA_AUTN_LEN || d[0] != GBA_RAND_LEN ||
	    d[1 + GBA_RAND_LEN] != GBA_AUTN_LEN)
		return -EINVAL;
	a->rand = d + 1;
	a->autn = d + 2 + GBA_RAND_LEN;
	return 0;
}

static int get_naf(struct gba_auth_cmd *a, const uint8_t *d, size_t len)
{
	size_t l1, l2;

	/* d: L NAF_Id L IMPI */
	if (len < 4)
		return -EINVAL;
	l1 = d[0];
	if (l1 == 0 || 1 + l1 >= len)
		return -EINVAL;
	l2 = d[1 + l1];
	if (l2 == 0 || 2 + l1 + l2 != len)
		return -EINVAL;
	a->naf_id = d + 1;
	a->naf_id_len = l1;
	a->impi = d + 2 + l1;
	a->impi_len = l2;
	return 0;
}

int gba_auth_cmd_parse(struct gba_auth_cmd *a, const struct gba_capdu *c)
{
	memset(a, 0, sizeof(*a));
	if (c->ins != GBA_INS_AUTHENTICATE || c->p1 != 0)
		return -EINVAL;
	if (c->p2 != GBA_AUTH_P2_3G && c->p2 != GBA_AUTH_P2_GBA)
		return -EOPNOTSUPP;
	if (c->nc == 0)
		return -EINVAL;
	if (c->p2 == GBA_AUTH_P2_3G) {
		a->mode = GBA_AUTH_3G;
		return get_rand_autn(a, c->data, c->nc);
	}
	switch (c->data[0]) {
	case GBA_AUTH_MODE_BOOT:
		a->mode = GBA_AUTH_GBA_BOOT;
		return get_rand_autn(a, c->data + 1, c->nc - 1);
	case GBA_AUTH_MODE_NAF:
		a->mode = GBA_AUTH_GBA_NAF;
		return get_naf(a, c->data + 1, c->nc - 1);
	}
	return -EOPNOTSUPP;
}

/* Read one "L value" with L in [min, max] into 'dst' (gba_lv_next() advances p/left). */
static int get_lv(uint8_t *dst, size_t *dlen, size_t min, size_t max,
		  const uint8_t **p, size_t *left)
{
	const uint8_t *v;
	size_t l;

	if (gba_lv_next(p, left, &v, &l) != 1 || l < min || l > max)
		return -EINVAL;
	memcpy(dst, v, l);
	if (dlen)
		*dlen = l;
	return 0;
}

static int auth_rsp_ok(struct gba_auth_rsp *r, enum gba_auth_mode mode, const uint8_t *p,
		       size_t left)
{
	if (mode == GBA_AUTH_GBA_NAF) {
		if (get_lv(r->ks_ext_naf, NULL, GBA_KS_NAF_LEN, GBA_KS_NAF_LEN, &p, &left) < 0)
			return -EINVAL;
		return left == 0 ? 0 : -EINVAL;
	}
	if (get_lv(r->res, &r->res_len, GBA_RES_MIN_LEN, GBA_RES_MAX_LEN, &p, &left) < 0)
		return -EINVAL;
	if (mode == GBA_AUTH_3G) {
		if (get_lv(r->ck, NULL, GBA_CK_LEN, GBA_CK_LEN, &p, &left) < 0 ||
		    get_lv(r->ik, NULL, GBA_IK_LEN, GBA_IK_LEN, &p, &left) < 0)
			return -EINVAL;
		if (left) {
			if (get_lv(r->kc, NULL, GBA_KC_LEN, GBA_KC_LEN, &p, &left) < 0)
				return -EINVAL;
			r->has_kc = true;
		}
	}
	return left == 0 ? 0 : -EINVAL;
}

int gba_auth_rsp_parse(struct gba_auth_rsp *r, enum gba_auth_mode mode,
		       const uint8_t *data, size_t len)
{
	const uint8_t *p;
	size_t left;
	int rc = -EINVAL;

	memset(r, 0, sizeof(*r));
	if (!data || len < 2 || mode < GBA_AUTH_3G || mode > GBA_AUTH_GBA_NAF)
		return -EINVAL;
	p = data + 1;
	left = len - 1;
	r->tag = data[0];
	if (data[0] == GBA_AUTH_TAG_OK) {
		rc = auth_rsp_ok(r, mode, p, left);
	} else if (data[0] == GBA_AUTH_TAG_SYNC && mode != GBA_AUTH_GBA_NAF) {
		rc = get_lv(r->auts, NULL, GBA_AUTS_LEN, GBA_AUTS_LEN, &p, &left);
		if (rc == 0 && left)
			rc = -EINVAL;
	}
	if (rc < 0)
		gba_zeroize(r, sizeof(*r));
	return rc;
}

/* Append "L value" at out + *i. */
static int put_lv(uint8_t *out, size_t outlen, size_t *i, const uint8_t *v, size_t l)
{
	int n;

	if (*i > outlen)
		return -ENOSPC;
	n = gba_lv_put(out + *i, outlen - *i, v, l);

	if (n < 0)
		return n;
	*i += (size_t)n;
	return 0;
}

/* tag, then one "L value": the shape of every AUTHENTICATE answer's first object. */
static int put_tag_lv(uint8_t *out, size_t outlen, uint8_t tag, const uint8_t *v, size_t l)
{
	size_t i = 1;

	if (outlen < 1)
		return -ENOSPC;
	out[0] = tag;
	if (put_lv(out, outlen, &i, v, l) < 0)
		return -ENOSPC;
	return (int)i;
}

int gba_auth_rsp_build_3g(uint8_t *out, size_t outlen, const uint8_t *res, size_t res_len,
			  const uint8_t ck[GBA_CK_LEN], const uint8_t ik[GBA_IK_LEN],
			  const uint8_t *kc)
{
	size_t i;
	int n;

	if (!res || !ck || !ik || res_len < GBA_RES_MIN_LEN || res_len > GBA_RES_MAX_LEN)
		return -EINVAL;
	n = put_tag_lv(out, outlen, GBA_AUTH_TAG_OK, res, res_len);
	if (n < 0)
		return n;
	i = (size_t)n;
	if (put_lv(out, outlen, &i, ck, GBA_CK_LEN) < 0 ||
	    put_lv(out, outlen, &i, ik, GBA_IK_LEN) < 0 ||
	    (kc && put_lv(out, outlen, &i, kc, GBA_KC_LEN) < 0))
		return -ENOSPC;
	return (int)i;
}

int gba_auth_rsp_build_gba_boot(uint8_t *out, size_t outlen, const uint8_t *res,
				size_t res_len)
{
	if (!res || res_len < GBA_RES_MIN_LEN || res_len > GBA_RES_MAX_LEN)
		return -EINVAL;
	return put_tag_lv(out, outlen, GBA_AUTH_TAG_OK, res, res_len);
}

int gba_auth_rsp_build_gba_naf(uint8_t *out, size_t outlen,
			       const uint8_t ks_ext_naf[GBA_KS_NAF_LEN])
{
	if (!ks_ext_naf)
		return -EINVAL;
	return put_tag_lv(out, outlen, GBA_AUTH_TAG_OK, ks_ext_naf, GBA_KS_NAF_LEN);
}

int gba_auth_rsp_build_sync(uint8_t *out, size_t outlen, const uint8_t auts[GBA_AUTS_LEN])
{
	if (!auts)
		return -EINVAL;
	return put_tag_lv(out, outlen, GBA_AUTH_TAG_SYNC, auts, GBA_AUTS_LEN);
}
