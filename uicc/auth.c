/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * AUTHENTICATE (TS 31.102 7.1.2, TS 31.103 7.1.2) on the card side:
 *  - 3G / IMS AKA context (P2 81): RES, CK, IK (and Kc on USIMs with service 27), AUTS on a
 *    sequence-number failure (TS 33.102 Annex C.3.2, uicc/sqn.c), 9862 on a MAC failure;
 *  - GBA context (P2 84), GBA_U per TS 33.220 G.1/G.2: bootstrapping mode (DD) keeps
 *    Ks = CK || IK on the card, writes RAND into EF_GBABP and answers RES only; NAF
 *    derivation mode (DE) answers Ks_ext_NAF only, keeps Ks_int_NAF and records NAF_Id and
 *    B-TID in EF_GBANL (least recently used record replaced).
 * Refusals: GBA context on a card without GBA_U -> sw_no_gba (9864 by default, 6A86 on
 * request); NAF derivation without a bootstrapped Ks, or with no B-TID (or another RAND)
 * in EF_GBABP -> 6985; a NAF_Id/B-TID pair too long for an EF_GBANL record -> 9866.
 */
#include "config.h"

#include <errno.h>
#include <string.h>

#include <gba/aka.h>
#include <gba/log.h>
#include <gba/tlv.h>
#include <gba/uicc_cmd.h>
#include <gba/kdf.h>

#include "card.h"

/* Result of the common AKA part. */
struct aka_out {
	uint8_t res[GBA_RES_MAX_LEN];
	size_t res_len;
	uint8_t ck[GBA_CK_LEN], ik[GBA_IK_LEN];
	uint8_t auts[GBA_AUTS_LEN];
};

static uint16_t sync_failure(const struct aka_out *o, uint8_t *out, size_t *outlen)
{
	int n = gba_auth_rsp_build_sync(out, GBA_UICC_RAPDU_MAX, o->auts);

	if (n < 0)
		return GBA_SW_UNKNOWN;
	*outlen = (size_t)n;
	return GBA_SW_OK;
}

/*
 * Check AUTN and the SQN. Returns true when authenticated (SQN accepted in memory, RES/CK/IK
 * in 'o'); false when the answer is final: *sw is 9862 or 6F00, or 9000 with the DC AUTS
 * answer in 'out'.
 */
static bool aka_run(struct gba_uicc *c, const uint8_t *rand, const uint8_t *autn, struct aka_out *o,
		    uint8_t *out, size_t *outlen, uint16_t *sw)
{
	uint64_t sqn;
	uint8_t amf[GBA_AMF_LEN];
	int rc;

	*sw = GBA_SW_UNKNOWN;
	rc = gba_usim_check_autn(&c->prof.cred, rand, autn, &sqn, amf);
	if (rc == -EBADMSG) {
		GLOGP(GBA_LC_CARD, GBA_LL_NOTICE, "AUTHENTICATE: MAC failure");
		*sw = GBA_SW_AUTH_MAC_FAILURE;
		return false;
	}
	if (rc)
		return false;
	rc = uicc_sqn_check(&c->sqn, sqn);
	if (rc) {
		GLOGP(GBA_LC_CARD, GBA_LL_NOTICE,
		      "AUTHENTICATE: SQN %012llx refused (%s), SQN_MS %012llx: AUTS",
		      (unsigned long long)sqn, rc == -EALREADY ? "replay" :
		      rc == -ERANGE ? "beyond delta" : "older than L",
		      (unsigned long long)uicc_sqn_ms(&c->sqn));
		if (gba_usim_auts(&c->prof.cred, rand, uicc_sqn_ms(&c->sqn), o->auts) == 0)
			*sw = sync_failure(o, out, outlen);
		return false;
	}
	if (gba_usim_compute(&c->prof.cred, rand, o->res, &o->res_len, o->ck, o->ik))
		return false;
	uicc_sqn_accept(&c->sqn, sqn);
	GLOGP(GBA_LC_CARD, GBA_LL_INFO, "AUTHENTICATE: SQN %012llx accepted", (unsigned long long)sqn);
	*sw = GBA_SW_OK;
	return true;
}

static uint16_t auth_3g(struct gba_uicc *c, enum uicc_app app, const struct gba_auth_cmd *a,
			uint8_t *out, size_t *outlen)
{
	uint8_t kc[GBA_KC_LEN];
	struct aka_out o;
	uint16_t sw = GBA_SW_OK;
	bool with_kc = app == APP_USIM && c->prof.gsm_access;
	int n;

	if (!aka_run(c, a->rand, a->autn, &o, out, outlen, &sw))
		goto out;
	if (uicc_state_save(c)) {
		sw = GBA_SW_MEMORY_PROBLEM;
		goto out;
	}
	if (with_kc)
		gba_aka_c3(kc, o.ck, o.ik);
	n = gba_auth_rsp_build_3g(out, GBA_UICC_RAPDU_MAX, o.res, o.res_len, o.ck, o.ik,
				  with_kc ? kc : NULL);
	if (n < 0)
		sw = GBA_SW_UNKNOWN;
	else
		*outlen = (size_t)n;
out:
	gba_zeroize(kc, sizeof(kc));
	gba_zeroize(&o, sizeof(o));
	return sw;
}

static void gbanl_clear(struct gba_uicc *c, enum uicc_app app)
{
	struct uicc_file *nl = uicc_app_ef(c, app, app == APP_USIM ? 0x6fda : 0x6fd7);
	struct uicc_gba *g = &c->gba[app];

	if (nl) {
		memset(nl->data, 0xff, nl->size);
		nl->dirty = true;
	}
	gba_zeroize(g->nl, sizeof(g->nl));
	g->lru_clock = 0;
}

static struct uicc_file *gbabp_ef(const struct gba_uicc *c, enum uicc_app app)
{
	return uicc_app_ef(c, app, app == APP_USIM ? 0x6fd6 : 0x6fd5);
}

static uint16_t gba_bootstrap(struct gba_uicc *c, enum uicc_app app, const struct gba_auth_cmd *a,
			      uint8_t *out, size_t *outlen)
{
	struct uicc_gba *g = &c->gba[app];
	struct uicc_file *bp = gbabp_ef(c, app);
	const uint8_t *rand = a->rand;
	struct gba_gbabp v = { .rand = rand, .rand_len = GBA_RAND_LEN };
	struct aka_out o;
	uint16_t sw = GBA_SW_OK;
	int rc;

	if (!bp)
		return GBA_SW_UNKNOWN;
	if (!aka_run(c, rand, a->autn, &o, out, outlen, &sw))
		goto out;
	/* G.1: Ks = CK || IK stays here; RAND goes to EF_GBABP, B-TID/lifetime await the ME */
	memcpy(g->ks, o.ck, GBA_CK_LEN);
	memcpy(g->ks + GBA_CK_LEN, o.ik, GBA_IK_LEN);
	memcpy(g->rand, rand, GBA_RAND_LEN);
	g->ks_valid = true;
	memset(bp->data, 0xff, bp->size);
	if (gba_gbabp_build(bp->data, bp->size, &v) < 0) {	/* L RAND, empty B-TID and lifetime */
		sw = GBA_SW_UNKNOWN;
		goto out;
	}
	bp->dirty = true;
	gbanl_clear(c, app);			/* a new Ks invalidates every NAF key */
	if (uicc_state_save(c)) {
		sw = GBA_SW_MEMORY_PROBLEM;
		goto out;
	}
	GLOGP(GBA_LC_CARD, GBA_LL_INFO, "GBA_U bootstrap: Ks stored on the card");
	rc = gba_auth_rsp_build_gba_boot(out, GBA_UICC_RAPDU_MAX, o.res, o.res_len);
	if (rc < 0)
		sw = GBA_SW_UNKNOWN;
	else
		*outlen = (size_t)rc;
out:
	gba_zeroize(&o, sizeof(o));
	return sw;
}

/*
 * The B-TID of EF_GBABP (L RAND | L B-TID | L lifetime), only when its RAND is the RAND of the
 * Ks on the card. The lifetime is not looked at: its coding is the ME's business.
 * Returns true with *btid / *len set (len may be 0: not written yet).
 */
static bool gbabp_btid(const struct gba_uicc *c, enum uicc_app app, const uint8_t **btid,
		       size_t *len)
{
	const struct uicc_file *bp = gbabp_ef(c, app);
	const uint8_t *p, *rand;
	size_t left, rl;

	if (!bp)
		return false;
	p = bp->data;
	left = bp->size;
	return gba_lv_next(&p, &left, &rand, &rl) == 1 && rl == GBA_RAND_LEN &&
	       !memcmp(rand, c->gba[app].rand, GBA_RAND_LEN) &&
	       gba_lv_next(&p, &left, btid, len) == 1;
}

static uint16_t gba_naf(struct gba_uicc *c, enum uicc_app app, const struct gba_auth_cmd *a,
			uint8_t *out, size_t *outlen)
{
	struct uicc_gba *g = &c->gba[app];
	struct uicc_file *nl = uicc_app_ef(c, app, app == APP_USIM ? 0x6fda : 0x6fd7);
	uint8_t rec[UICC_GBANL_REC_LEN], ks_ext[GBA_KS_NAF_LEN], ks_int[GBA_KS_NAF_LEN];
	struct gba_gbanl_rec r;
	const uint8_t *btid = NULL;
	size_t btid_len = 0;
	char impi[256];
	size_t i, slot;
	uint16_t sw = GBA_SW_OK;
	int n;

	if (a->naf_id_len < 1 + GBA_UA_ID_LEN || a->impi_len >= sizeof(impi) ||
	    memchr(a->impi, 0, a->impi_len))
		return GBA_SW_WRONG_DATA;
	if (!nl)
		return GBA_SW_UNKNOWN;
	if (!g->ks_valid) {
		GLOGP(GBA_LC_CARD, GBA_LL_NOTICE, "GBA NAF derivation refused: no bootstrapped Ks");
		return GBA_SW_CONDITIONS_NOT_SATISFIED;
	}
	if (!gbabp_btid(c, app, &btid, &btid_len) || btid_len == 0) {
		GLOGP(GBA_LC_CARD, GBA_LL_NOTICE,
		      "GBA NAF derivation refused: no B-TID for the current RAND in EF_GBABP");
		return GBA_SW_CONDITIONS_NOT_SATISFIED;
	}
	r.naf_id = a->naf_id;
	r.naf_id_len = a->naf_id_len;
	r.btid = btid;
	r.btid_len = btid_len;
	if (gba_gbanl_rec_build(rec, sizeof(rec), &r) < 0)
		return GBA_SW_AUTH_NO_MEMORY;	/* NAF_Id and B-TID do not fit one record */

	memcpy(impi, a->impi, a->impi_len);
	impi[a->impi_len] = '\0';
	if (gba_ks_naf(ks_ext, g->ks, g->rand, impi, a->naf_id, a->naf_id_len) ||
	    gba_ks_int_naf(ks_int, g->ks, g->rand, impi, a->naf_id, a->naf_id_len)) {
		sw = GBA_SW_UNKNOWN;
		goto out;
	}
	/* the same NAF_Id/B-TID pair keeps its record, else an empty one, else the LRU one */
	slot = UICC_GBANL_RECS;
	for (i = 0; i < UICC_GBANL_RECS && slot == UICC_GBANL_RECS; i++)
		if (g->nl[i].valid && !memcmp(nl->data + i * UICC_GBANL_REC_LEN, rec, sizeof(rec)))
			slot = i;
	for (i = 0; i < UICC_GBANL_RECS && slot == UICC_GBANL_RECS; i++)
		if (!g->nl[i].valid)
			slot = i;
	if (slot == UICC_GBANL_RECS) {
		slot = 0;
		for (i = 1; i < UICC_GBANL_RECS; i++)
			if (g->nl[i].used < g->nl[slot].used)
				slot = i;
	}
	memcpy(nl->data + slot * UICC_GBANL_REC_LEN, rec, sizeof(rec));
	nl->dirty = true;
	memcpy(g->nl[slot].ks_int_naf, ks_int, GBA_KS_NAF_LEN);
	g->nl[slot].valid = true;
	g->nl[slot].used = ++g->lru_clock;
	if (uicc_state_save(c)) {
		sw = GBA_SW_MEMORY_PROBLEM;
		goto out;
	}
	GLOGP(GBA_LC_CARD, GBA_LL_INFO, "GBA_U NAF derivation for %.*s (EF_GBANL record %zu)",
	      (int)(a->naf_id_len - GBA_UA_ID_LEN), (const char *)a->naf_id, slot + 1);
	n = gba_auth_rsp_build_gba_naf(out, GBA_UICC_RAPDU_MAX, ks_ext);
	if (n < 0)
		sw = GBA_SW_UNKNOWN;
	else
		*outlen = (size_t)n;
out:
	gba_zeroize(ks_ext, sizeof(ks_ext));
	gba_zeroize(ks_int, sizeof(ks_int));
	return sw;
}

uint16_t uicc_authenticate(struct gba_uicc *c, const struct gba_capdu *cmd, uint8_t *out,
			   size_t *outlen)
{
	enum uicc_app app = c->cur_adf ? (enum uicc_app)c->cur_adf->app : APP_NONE;
	struct gba_auth_cmd a;
	int rc;

	*outlen = 0;
	if (cmd->p1 != 0x00)
		return GBA_SW_WRONG_P1P2;
	if (cmd->p2 != GBA_AUTH_P2_3G && cmd->p2 != GBA_AUTH_P2_GBA)
		return GBA_SW_WRONG_P1P2;
	if (app == APP_NONE)
		return GBA_SW_CONDITIONS_NOT_SATISFIED;
	if (!uicc_acc_ok(c, ACC_PIN1))
		return GBA_SW_SECURITY_NOT_SATISFIED;
	if (cmd->p2 == GBA_AUTH_P2_GBA && (!c->prof.gba || !c->prof.gba_u))
		return c->sw_no_gba;	/* a card without the GBA context */
	rc = gba_auth_cmd_parse(&a, cmd);
	if (rc == -EOPNOTSUPP)
		return GBA_SW_WRONG_DATA;	/* P2 84 with a mode byte other than DD/DE */
	if (rc)
		return cmd->nc == 0 ? GBA_SW_WRONG_LENGTH : GBA_SW_WRONG_DATA;
	switch (a.mode) {
	case GBA_AUTH_3G:
		return auth_3g(c, app, &a, out, outlen);
	case GBA_AUTH_GBA_BOOT:
		return gba_bootstrap(c, app, &a, out, outlen);
	case GBA_AUTH_GBA_NAF:
		return gba_naf(c, app, &a, out, outlen);
	}
	return GBA_SW_WRONG_P1P2;
}

uint16_t uicc_gbabp_update_ok(const struct gba_uicc *c, enum uicc_app app, const uint8_t *newbody,
			      size_t len)
{
	const struct uicc_gba *g = &c->gba[app];
	const uint8_t *rand;
	size_t rl;

	if (c->adm1.verified)
		return GBA_SW_OK;
	/* the ME writes B-TID and lifetime after the card wrote RAND: the RAND part must stay */
	if (!g->ks_valid)
		return GBA_SW_CONDITIONS_NOT_SATISFIED;
	if (gba_lv_next(&newbody, &len, &rand, &rl) != 1 || rl != GBA_RAND_LEN ||
	    memcmp(rand, g->rand, GBA_RAND_LEN))
		return GBA_SW_CONDITIONS_NOT_SATISFIED;
	return GBA_SW_OK;
}
