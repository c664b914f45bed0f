/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * libFuzzer target for the ME-side parsers of card answers (apdu/): R-APDU
 * split, AUTHENTICATE responses in every mode, FCP templates, EF_DIR records,
 * EF_GBABP, EF_GBANL records, ISIM NAI files, EF_IMSI. Every input goes through
 * every parser; what parses is built again and must parse to the same values.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <gba/apdu.h>
#include <gba/keys.h>
#include <gba/uicc_cmd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_auth(const uint8_t *data, size_t size)
{
	uint8_t out[64];
	struct gba_auth_rsp r, r2;
	int mode, n;

	for (mode = GBA_AUTH_3G; mode <= GBA_AUTH_GBA_NAF; mode++) {
		if (gba_auth_rsp_parse(&r, mode, data, size) < 0)
			continue;
		if (r.tag == GBA_AUTH_TAG_SYNC)
			n = gba_auth_rsp_build_sync(out, sizeof(out), r.auts);
		else if (mode == GBA_AUTH_3G)
			n = gba_auth_rsp_build_3g(out, sizeof(out), r.res, r.res_len, r.ck, r.ik,
						  r.has_kc ? r.kc : NULL);
		else if (mode == GBA_AUTH_GBA_BOOT)
			n = gba_auth_rsp_build_gba_boot(out, sizeof(out), r.res, r.res_len);
		else
			n = gba_auth_rsp_build_gba_naf(out, sizeof(out), r.ks_ext_naf);
		/* a parsed answer is canonical: rebuilding gives the same bytes */
		if (n != (int)size || memcmp(out, data, size) ||
		    gba_auth_rsp_parse(&r2, mode, out, (size_t)n) < 0)
			abort();
		gba_zeroize(&r, sizeof(r));
		gba_zeroize(&r2, sizeof(r2));
	}
}

static void check_fcp(const uint8_t *data, size_t size)
{
	static uint8_t out[4 * 65536];
	struct gba_fcp f, g;
	int n;

	if (gba_fcp_parse(&f, data, size) < 0)
		return;
	n = gba_fcp_build(out, sizeof(out), &f);
	if (n < 0)
		return;		/* e.g. an SFI above 30 cannot be written back */
	if (gba_fcp_parse(&g, out, (size_t)n) < 0 || g.fid != f.fid || g.size != f.size ||
	    g.aid_len != f.aid_len || g.lcsi != f.lcsi || g.fdb != f.fdb)
		abort();
}

static void check_dir(const uint8_t *data, size_t size)
{
	uint8_t out[64];
	struct gba_dir_rec d, e;

	if (gba_dir_rec_parse(&d, data, size) < 0)
		return;
	if (gba_dir_rec_build(out, sizeof(out), &d) != (int)sizeof(out) ||
	    gba_dir_rec_parse(&e, out, sizeof(out)) < 0 || e.aid_len != d.aid_len ||
	    memcmp(e.aid, d.aid, d.aid_len) || strcmp(e.label, d.label))
		abort();
}

static void check_gba_files(const uint8_t *data, size_t size)
{
	static uint8_t out[1024];
	struct gba_gbabp g, h;
	struct gba_gbanl_rec nl, nm;
	const uint8_t *v;
	size_t vl;
	char imsi[16];
	int n;

	if (gba_gbabp_parse(&g, data, size) == 0) {
		n = gba_gbabp_build(out, sizeof(out), &g);
		if (n < 0 || gba_gbabp_parse(&h, out, (size_t)n) < 0 || h.btid_len != g.btid_len ||
		    h.lifetime_len != g.lifetime_len)
			abort();
	}
	if (gba_gbanl_rec_parse(&nl, data, size) == 0) {
		n = gba_gbanl_rec_build(out, sizeof(out), &nl);
		if (n == (int)sizeof(out) &&
		    (gba_gbanl_rec_parse(&nm, out, sizeof(out)) < 0 ||
		     nm.naf_id_len != nl.naf_id_len || memcmp(nm.btid, nl.btid, nl.btid_len)))
			abort();
	}
	if (gba_isim_nai_parse(&v, &vl, data, size) == 0 && (v < data || v + vl > data + size))
		abort();
	n = gba_ef_imsi_decode(imsi, sizeof(imsi), data, size);
	if (n > 0 && strlen(imsi) != (size_t)n)
		abort();
	gba_ef_ad_mnc_len(data, size);
	gba_service_available(data, size, GBA_UST_GBA);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct gba_rapdu r;

	if (gba_rapdu_split(&r, data, size) == 0) {
		/* the data part of an R-APDU is what the parsers see */
		check_auth(r.data, r.len);
		gba_sw_name(r.sw);
	}
	check_auth(data, size);
	check_fcp(data, size);
	check_dir(data, size);
	check_gba_files(data, size);
	return 0;
}
