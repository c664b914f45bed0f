/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * tue_cli: the test UE and test NAF of tue.c as a command-line tool, for the shell
 * integration tests that run several gba-bsf processes (tests/bsf/redis.sh). Every
 * subscriber has the K/OPc of the test profiles; a fresh card per run accepts any SQN.
 *   tue_cli boot UB IMPI [ZN NAF-FQDN]  bootstrap; with ZN (http://HOST:PORT), look the
 *                                      B-TID up there and compare Ks_NAF with the UE's
 *                                      own; prints the B-TID
 *   tue_cli cross UB-A UB-B IMPI        401 from A, answered at B; prints the B-TID
 *   tue_cli replay UB-A UB-B IMPI       answer at A (200), the same answer at B: must be
 *                                      refused with a stale 401
 *   tue_cli first UB IMPI               first request; prints "STATUS RETRY-AFTER"
 *   tue_cli lookup ZN B-TID NAF-FQDN    Zn lookup; prints "STATUS FAULT-CODE"
 * Exit 0 when the step behaved as described, 1 otherwise (reason on stderr), 2 for usage.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gba/bsfxml.h>
#include <gba/kdf.h>

#include "tue.h"

#define K1	"465b5ce8b199b49faa5f0a2ee238a6bc"
#define OPC1	"cd63cb71954a9f4e48a5994e37a02baf"
#define REALM	"bsf.test.example"

static struct tue_resp resp;	/* large: keep it off the stack */

static int fail(const char *what)
{
	fprintf(stderr, "tue_cli: %s\n", what);
	return 1;
}

static void set_base(struct tue *u, const char *base)
{
	snprintf(u->base, sizeof(u->base), "%s", base);
}

/* 401 from 'a', card, answer at 'b'; checks rspauth and the body; fills 'bt'. */
static int answer_at(struct tue *u, const char *a, const char *b, struct tue_boot *bt)
{
	struct tue_chal c;
	struct tue_keys k;
	struct gba_bootinfo bi;
	char why[256];
	int rc = 1;

	set_base(u, a);
	if (tue_first(u, &c))
		return fail("first request: no valid 401");
	tue_card(u, &c, &k);
	if (k.card)
		return fail("card refused AUTN");
	set_base(u, b);
	if (tue_send_answer(u, &c, &k, NULL, &resp) || resp.status != 200) {
		fprintf(stderr, "tue_cli: answer: status %ld %s\n", resp.status, resp.body);
		goto out;
	}
	if (tue_check_rspauth(u, &c, &k, GBA_QOP_AUTH_INT, &resp)) {
		fail("rspauth wrong");
		goto out;
	}
	if (gba_bootinfo_parse(&bi, resp.body, resp.body_len, why, sizeof(why))) {
		fail(why);
		goto out;
	}
	snprintf(bt->btid, sizeof(bt->btid), "%s", bi.btid);
	memcpy(bt->ks, k.ks, GBA_KS_LEN);
	memcpy(bt->rand, c.rand, GBA_RAND_LEN);
	rc = 0;
out:
	gba_zeroize(&k, sizeof(k));
	return rc;
}

/* Zn lookup of 'btid' at 'zn'; with 'bt', compare Ks_NAF with the UE's derivation. */
static int lookup(const char *zn, const char *btid, const char *fqdn, const char *impi,
		  const struct tue_boot *bt)
{
	struct tnaf naf;
	struct gba_zn_answer a;
	struct gba_zn_fault f;
	uint8_t nid[GBA_NAF_ID_MAX], me[GBA_KS_NAF_LEN];
	bool is_fault = false;
	long st;
	int n, rc = 1;
	char url[256];

	snprintf(url, sizeof(url), "%s" GBA_ZN_PATH, zn);
	if (tnaf_init(&naf, url, NULL, NULL, NULL))
		return fail("tnaf_init");
	memset(&a, 0, sizeof(a));
	memset(&f, 0, sizeof(f));
	st = tnaf_lookup(&naf, btid, fqdn, false, &a, &f, &is_fault);
	printf("%ld %u\n", st, is_fault ? f.code : 0);
	if (!bt) {
		rc = st == 200 && !is_fault ? 0 : 1;
		goto out;
	}
	if (st != 200 || is_fault) {
		fail("Zn lookup failed");
		goto out;
	}
	n = gba_naf_id(nid, sizeof(nid), fqdn, GBA_UA_ID_HTTP_DIGEST);
	if (n <= 0 || gba_ks_naf(me, bt->ks, bt->rand, impi, nid, (size_t)n)) {
		fail("cannot derive Ks_NAF");
		goto out;
	}
	if (strcmp(a.impi, impi) || !gba_ct_equal(me, a.me_key, sizeof(me)))
		fail("Zn answer differs from the UE's Ks_NAF or IMPI");
	else
		rc = 0;
	gba_zeroize(me, sizeof(me));
out:
	gba_zn_answer_clear(&a);
	tnaf_free(&naf);
	return rc;
}

/* Answer at A (200), then the very same Authorization at B: a stale 401 is the pass. */
static int replay(struct tue *u, const char *a, const char *b)
{
	struct tue_chal c, c2;
	struct tue_keys k;
	char authz[4200];
	int rc = 1;

	set_base(u, a);
	if (tue_first(u, &c))
		return fail("first request: no valid 401");
	tue_card(u, &c, &k);
	if (k.card || tue_authz(u, &c, &k, NULL, authz, sizeof(authz)))
		goto out;
	if (tue_get(u, "/", authz, &resp) || resp.status != 200) {
		fail("first use of the nonce refused");
		goto out;
	}
	set_base(u, b);
	if (tue_get(u, "/", authz, &resp)) {
		fail("replay: no answer");
		goto out;
	}
	if (resp.status == 401 && tue_parse_chal(&resp, &c2) == 0 && c2.stale)
		rc = 0;
	else
		fprintf(stderr, "tue_cli: replay answered %ld (stale 401 expected)\n", resp.status);
out:
	gba_zeroize(&k, sizeof(k));
	gba_zeroize(authz, sizeof(authz));
	return rc;
}

static int first(struct tue *u)
{
	char authz[1024];

	snprintf(authz, sizeof(authz),
		 "Digest username=\"%s\", realm=\"%s\", nonce=\"\", uri=\"/\", response=\"\"",
		 u->impi, u->realm);
	if (tue_get(u, "/", authz, &resp)) {
		printf("0 -\n");
		return 1;
	}
	printf("%ld %s\n", resp.status, resp.retry_after[0] ? resp.retry_after : "-");
	return 0;
}

int main(int argc, char **argv)
{
	struct tue u;
	struct tue_boot bt;
	const char *cmd = argc > 1 ? argv[1] : "";
	const char *impi = argc > 3 ? argv[3] : "";
	int rc;

	if (argc < 4 || (strcmp(cmd, "boot") && strcmp(cmd, "cross") && strcmp(cmd, "replay") &&
			 strcmp(cmd, "first") && strcmp(cmd, "lookup"))) {
		fprintf(stderr, "usage: tue_cli boot|cross|replay|first|lookup ARGS\n");
		return 2;
	}
	curl_global_init(CURL_GLOBAL_DEFAULT);
	if (!strcmp(cmd, "lookup")) {
		rc = argc == 5 ? lookup(argv[2], argv[3], argv[4], NULL, NULL) : 2;
		curl_global_cleanup();
		return rc;
	}
	if (!strcmp(cmd, "cross") || !strcmp(cmd, "replay"))
		impi = argc == 5 ? argv[4] : "";
	if (!*impi || tue_init(&u, argv[2], REALM, impi, K1, OPC1, GBA_AKA_MILENAGE)) {
		curl_global_cleanup();
		return 2;
	}
	memset(&bt, 0, sizeof(bt));
	if (!strcmp(cmd, "first")) {
		rc = first(&u);
	} else if (!strcmp(cmd, "replay")) {
		rc = replay(&u, argv[2], argv[3]);
	} else {
		rc = answer_at(&u, argv[2], !strcmp(cmd, "cross") ? argv[3] : argv[2], &bt);
		if (!rc)
			printf("%s\n", bt.btid);
		if (!rc && !strcmp(cmd, "boot") && argc == 6)
			rc = lookup(argv[4], bt.btid, argv[5], impi, &bt);
	}
	gba_zeroize(&bt, sizeof(bt));
	tue_free(&u);
	curl_global_cleanup();
	return rc;
}
