/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * APDUs per GBA_U bootstrap + first NAF key: what `gba-ue naf-key` costs a card, counted
 * by libgba-ue (gba_ue_apdu_count(): card identification, AUTHENTICATE in the GBA context,
 * EF_GBABP, the NAF derivation) on a fresh session, with the soft UICC in process (TS 35.208
 * set 1 card, GBA_U, as tests/ue/pcsc.sh uses) behind apdu/'s in-process transport speaking
 * T=0 as pcscd + vpcd does (so GET RESPONSE after 61xx counts, like there), and gba-bsf in
 * process (libgbabsf, built-in AuC, SQLite store). The count without T=0 (a T=1 or raw
 * link) is printed too. The baseline is the count tests/ue/pcsc.sh recorded for the same
 * operation through pcscd + vpcd when the UE was written: 19 APDUs (357 ms wall there; the
 * wall time printed here is in process and not comparable). Target: no more than those 19.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <gba/log.h>
#include <gba/profile.h>
#include <gba/transport.h>
#include <gba/uicc.h>
#include <gba/ue.h>
#include <gba/xmlutil.h>

#include "bsf.h"
#include "http.h"
#include "tue.h"

#define BASELINE_APDUS	19
#define CARD	"cards = ( { name = \"bench\"; iccid = \"8988211000000000001\";" \
		" imsi = \"001010000000001\"; mnc_length = 2; algorithm = \"milenage\";" \
		" k = \"465b5ce8b199b49faa5f0a2ee238a6bc\"; opc = \"cd63cb71954a9f4e48a5994e37a02baf\";" \
		" amf = \"8000\"; sqn = 0; ind_bitlen = 0; gba = true; gba_u = true; } );\n"

int main(void)
{
	char dir[] = "/tmp/bench_apdu_count.XXXXXX", path[256], store[300], ub[64], zn[64];
	char url[96], err[256];
	static struct bsf_config cfg;
	static struct bsf bsf = { .cfg = &cfg };
	static char *fq[] = { "*" };
	static struct bsf_naf_acl acl = { .id = BSF_PLAIN_NAF, .fqdns = fq, .n_fqdns = 1 };
	struct gba_uicc_opts co = { .no_fsync = true };
	struct gba_ue_opts uo = { .no_cache = true, .http_timeout_ms = 5000 };
	struct gba_ue_naf_key k;
	struct gba_profile *p = NULL;
	struct gba_uicc *card = NULL;
	struct gba_ue *ue = NULL;
	struct gba_transport *t = NULL;
	struct bsf_http *http;
	struct timespec t0, t1;
	unsigned int n, n_raw;
	size_t np;
	double ms;
	FILE *f;
	int rc;

	gba_log_init("bench_apdu_count", GBA_LOG_STDERR);
	gba_log_set_level(GBA_LL_ERROR);
	if (!mkdtemp(dir))
		return 1;
	snprintf(path, sizeof(path), "%s/subs.conf", dir);
	f = fopen(path, "w");
	if (!f)
		return 1;
	fputs(CARD, f);
	fclose(f);
	snprintf(store, sizeof(store), "sqlite:%s/bsf.db", dir);
	snprintf(ub, sizeof(ub), "127.0.0.1:%d", tue_free_port());
	snprintf(zn, sizeof(zn), "127.0.0.1:%d", tue_free_port());
	{
		char *argv[] = { "bench", "--fqdn", "bsf.bench.example", "--ub-listen", ub,
				 "--zn-listen", zn, "--subscribers", path, "--store", store,
				 "--zn-allow-plain-http", "--log", "error", NULL };

		if (bsf_config_load(&cfg, (int)(sizeof(argv) / sizeof(argv[0])) - 1, argv))
			return 1;
	}
	cfg.nafs = &acl;
	cfg.n_nafs = 1;
	gba_xml_init();
	if (bsf_kek_load(&bsf.kek, NULL, cfg.kek_file, true) ||
	    bsf_store_open(&bsf.store, cfg.store) ||
	    zh_auc_open(&bsf.zh, cfg.subscribers, bsf.store, cfg.sqn_reserve) ||
	    bsf_http_start(&http, &bsf))
		return 1;
	if (gba_profiles_parse(CARD, "card", &p, &np, err, sizeof(err)) ||
	    gba_uicc_new(&card, &p[0], &co, err, sizeof(err))) {
		fprintf(stderr, "bench_apdu_count: card: %s\n", err);
		return 1;
	}
	snprintf(url, sizeof(url), "http://%s/", ub);
	uo.bsf_url = url;
	/* raw link first, then a fresh card (EF_GBABP empty again) behind T=0 */
	rc = gba_ue_open_apdu(&ue, gba_uicc_transmit, card, &uo);
	if (rc == 0)
		rc = gba_ue_naf_key(ue, "naf.bench.example", gba_ue_ua_http_digest, false, &k);
	n_raw = rc ? 0 : gba_ue_apdu_count(ue);
	gba_ue_free(ue);
	ue = NULL;
	gba_uicc_free(card);
	card = NULL;
	if (gba_uicc_new(&card, &p[0], &co, err, sizeof(err)))
		return 1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	rc = rc ?: gba_transport_inproc_open(&t, gba_uicc_transmit, gba_uicc_reset_cb, card,
					     GBA_PROTO_T0, "bench T=0");
	rc = rc ?: gba_ue_open_transport(&ue, t, &uo);
	if (rc == 0)
		rc = gba_ue_naf_key(ue, "naf.bench.example", gba_ue_ua_http_digest, false, &k);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	ms = (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
	if (rc) {
		fprintf(stderr, "bench_apdu_count: naf-key failed (%d): %s\n", rc,
			ue ? gba_ue_errmsg(ue) : "");
		return 1;
	}
	n = gba_ue_apdu_count(ue);
	gba_ue_key_wipe(&k);
	printf("apdus per GBA_U bootstrap + first NAF key: %u APDUs on T=0 (%u on a raw link; "
	       "%.1f ms in process) vs %u recorded through pcscd+vpcd (357 ms): ratio %.2f "
	       "(target <= 1)\n", n, n_raw, ms, BASELINE_APDUS, (double)n / BASELINE_APDUS);
	printf("TABLE|APDUs per GBA_U bootstrap + first NAF key|%u APDUs, T=0 (%.0f ms in process)|"
	       "%u APDUs, 357 ms via pcscd (tests/ue/pcsc.sh)|%.2f|<= 1\n", n, ms,
	       BASELINE_APDUS, (double)n / BASELINE_APDUS);
	gba_ue_free(ue);
	gba_uicc_free(card);
	gba_profiles_free(p, np);
	bsf_http_stop(http, 1000);
	zh_close(bsf.zh);
	bsf_store_close(bsf.store);
	bsf_kek_clear(&bsf.kek);
	cfg.nafs = NULL;
	cfg.n_nafs = 0;
	bsf_config_free(&cfg);
	snprintf(path, sizeof(path), "rm -rf '%s'", dir);
	if (system(path))
		return 1;
	return n > BASELINE_APDUS;
}
