/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fault_ue: the load client and the checker of the fault-injection tests (tests/faults/).
 * It is the test UE of tests/bsf/tue.c (USIM side of core/aka.c with the test K/OPc, plain
 * SQN check: a card accepts SQN > the highest it saw) driving one or more gba-bsf, and it
 * writes everything it receives to a log, one flushed line per event, so that a test can
 * kill any component at any moment and still know what reached the UE:
 *   T CHAL IMPI SQN AUTN          a 401 whose AUTN the card accepted (SQN recovered by the card)
 *   T RESYNC IMPI SQN             the card refused the AUTN: SQN not above what it saw
 *   T MACFAIL IMPI                AUTN MAC wrong
 *   T OK IMPI B-TID RAND KS       a 200 with a correct rspauth and BootstrappingInfo
 *   T ERR IMPI STATUS RETRY-AFTER a failed step (status 0: no HTTP answer)
 * T is the wall clock in ms. Commands:
 *   fault_ue load LOG UB[,UB2...] IMPI-FMT FIRST COUNT [PAUSE-MS]
 *        bootstrap IMPIs sprintf(IMPI-FMT, FIRST..FIRST+COUNT-1) round robin (the Ub URLs
 *        round robin too) until SIGTERM, one card per IMPI; after a failure wait PAUSE-MS
 *        (default 20)
 *   fault_ue check ZN[,ZN2...] NAF-FQDN LOG...
 *        every IMPI's last OK session must resolve over Zn at every ZN with the Ks_NAF the
 *        UE derives (or be gone, 404, when a later answer of that IMPI may have replaced it
 *        unseen), every earlier OK session of that IMPI must be gone (404); no B-TID
 *        twice in all the logs; per IMPI every CHAL SQN above the previous one, no RESYNC,
 *        no MACFAIL. Prints the counts; exit 0 when all holds, 1 otherwise.
 *        FAULT_UE_LOSSY_FS=1 (after a file-system error): commits not yet synced may be lost
 *        (synchronous=NORMAL), so a last session may be gone (404) and a session it replaced
 *        may answer again, with its own key; both are counted, not failed.
 *   fault_ue zn ZN B-TID NAF-FQDN
 *        Zn lookup (Ua id HTTP Digest): prints "IMPI KS-NAF-HEX", exit 1 when not found
 * The realm is bsf.test.example (tue_cli's); exit 2 for usage errors.
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include <gba/bsfxml.h>
#include <gba/kdf.h>

#include "tue.h"

#define K1	"465b5ce8b199b49faa5f0a2ee238a6bc"
#define OPC1	"cd63cb71954a9f4e48a5994e37a02baf"
#define REALM	"bsf.test.example"
#define MAX_URL	8

static volatile sig_atomic_t stop;
static struct tue_resp resp;	/* large: keep it off the stack */

static void on_term(int sig)
{
	(void)sig;
	stop = 1;
}

static long long now_ms(void)
{
	struct timeval tv;

	gettimeofday(&tv, NULL);
	return (long long)tv.tv_sec * 1000 + tv.tv_usec / 1000;
}

/* Split "a,b,c" in place into at most MAX_URL strings. */
static int split(char *s, char **out)
{
	int n = 0;

	for (char *p = strtok(s, ","); p && n < MAX_URL; p = strtok(NULL, ","))
		out[n++] = p;
	return n;
}

static void hex(char *out, size_t outlen, const uint8_t *b, size_t n)
{
	if (gba_hex_encode(out, outlen, b, n))
		snprintf(out, outlen, "-");
}

/* One bootstrap of 'u' at its base URL; logs what happened. 0 on a 200. */
static int boot_once(FILE *log, struct tue *u)
{
	struct tue_chal c;
	struct tue_keys k;
	struct gba_bootinfo bi;
	char a[64], r[64], ks[2 * GBA_KS_LEN + 1], why[256], authz[1024];
	int rc = -1;

	snprintf(authz, sizeof(authz), "Digest username=\"%s\", realm=\"%s\", nonce=\"\","
		 " uri=\"/\", response=\"\"", u->impi, u->realm);
	if (tue_get(u, "/", authz, &resp))
		resp.status = 0;
	if (resp.status != 401 || tue_parse_chal(&resp, &c)) {
		fprintf(log, "%lld ERR %s %ld %s\n", now_ms(), u->impi, resp.status,
			resp.retry_after[0] ? resp.retry_after : "-");
		return -1;
	}
	tue_card(u, &c, &k);
	hex(a, sizeof(a), c.autn, GBA_AUTN_LEN);
	if (k.card == 2) {
		fprintf(log, "%lld MACFAIL %s\n", now_ms(), u->impi);
		goto out;
	}
	if (k.card == 1) {
		fprintf(log, "%lld RESYNC %s %" PRIu64 "\n", now_ms(), u->impi, u->last_sqn);
		goto out;
	}
	fprintf(log, "%lld CHAL %s %" PRIu64 " %s\n", now_ms(), u->impi, u->last_sqn, a);
	if (tue_send_answer(u, &c, &k, NULL, &resp) || resp.status != 200) {
		fprintf(log, "%lld ERR %s %ld %s\n", now_ms(), u->impi, resp.status,
			resp.retry_after[0] ? resp.retry_after : "-");
		goto out;
	}
	if (tue_check_rspauth(u, &c, &k, GBA_QOP_AUTH_INT, &resp) ||
	    gba_bootinfo_parse(&bi, resp.body, resp.body_len, why, sizeof(why))) {
		fprintf(log, "%lld ERR %s 200 bad-answer\n", now_ms(), u->impi);
		goto out;
	}
	hex(r, sizeof(r), c.rand, GBA_RAND_LEN);
	hex(ks, sizeof(ks), k.ks, GBA_KS_LEN);
	fprintf(log, "%lld OK %s %s %s %s\n", now_ms(), u->impi, bi.btid, r, ks);
	gba_zeroize(ks, sizeof(ks));
	rc = 0;
out:
	gba_zeroize(&k, sizeof(k));
	return rc;
}

static int load(int argc, char **argv)
{
	char *urls[MAX_URL], impi[GBA_IMPI_MAX + 1];
	struct sigaction sa = { .sa_handler = on_term };
	struct tue *u;
	FILE *log;
	long first, count, pause_ms = argc > 7 ? atol(argv[7]) : 20;
	int nurl;

	if (argc < 7)
		return 2;
	nurl = split(argv[3], urls);
	first = atol(argv[5]);
	count = atol(argv[6]);
	if (!nurl || count <= 0 || count > 10000)
		return 2;
	log = fopen(argv[2], "a");
	if (!log)
		return 2;
	setvbuf(log, NULL, _IOLBF, 0);
	u = calloc((size_t)count, sizeof(*u));
	if (!u)
		return 2;
	for (long i = 0; i < count; i++) {
		snprintf(impi, sizeof(impi), argv[4], first + i);
		if (tue_init(&u[i], urls[0], REALM, impi, K1, OPC1, GBA_AKA_MILENAGE))
			return 2;
		/* one keep-alive connection per client, whatever the number of cards */
		if (i) {
			curl_easy_cleanup(u[i].curl);
			u[i].curl = u[0].curl;
		}
	}
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	for (unsigned long n = 0; !stop; n++) {
		struct tue *t = &u[n % (unsigned long)count];

		snprintf(t->base, sizeof(t->base), "%s", urls[n % (unsigned long)nurl]);
		if (boot_once(log, t) && !stop)
			usleep((useconds_t)pause_ms * 1000);
	}
	for (long i = count - 1; i >= 0; i--) {
		if (i)
			u[i].curl = NULL;
		tue_free(&u[i]);
	}
	free(u);
	fclose(log);
	return 0;
}

/* ---- check */

struct rec {
	char impi[GBA_IMPI_MAX + 1];
	char btid[GBA_BTID_MAX + 1];
	uint8_t rand[GBA_RAND_LEN];
	uint8_t ks[GBA_KS_LEN];
	bool last;		/* the IMPI's last OK session */
	bool maybe;		/* ... with an answer sent after it: may have been replaced */
};

struct sub {
	char impi[GBA_IMPI_MAX + 1];
	uint64_t sqn;		/* highest CHAL SQN so far */
	size_t last;		/* index of its last OK record + 1 */
	bool chal_after;	/* a CHAL after that OK */
};

static struct sub *sub_find(struct sub **subs, size_t *n, const char *impi)
{
	struct sub *s;

	for (size_t i = 0; i < *n; i++)
		if (!strcmp((*subs)[i].impi, impi))
			return &(*subs)[i];
	s = realloc(*subs, (*n + 1) * sizeof(**subs));
	if (!s)
		abort();
	*subs = s;
	s = &s[(*n)++];
	memset(s, 0, sizeof(*s));
	snprintf(s->impi, sizeof(s->impi), "%s", impi);
	return s;
}

static int cmp_btid(const void *a, const void *b)
{
	return strcmp(((const struct rec *)a)->btid, ((const struct rec *)b)->btid);
}

/* Zn lookup of 'r' at 'url': 0 when it behaves as expected (found with the right key). */
static int zn_check(struct tnaf *naf, const char *fqdn, const struct rec *r, long *status)
{
	struct gba_zn_answer a;
	struct gba_zn_fault f;
	uint8_t nid[GBA_NAF_ID_MAX], me[GBA_KS_NAF_LEN];
	bool is_fault = false;
	int n, rc = 1;

	memset(&a, 0, sizeof(a));
	memset(&f, 0, sizeof(f));
	*status = tnaf_lookup(naf, r->btid, fqdn, false, &a, &f, &is_fault);
	if (*status != 200 || is_fault)
		goto out;
	n = gba_naf_id(nid, sizeof(nid), fqdn, GBA_UA_ID_HTTP_DIGEST);
	if (n > 0 && !gba_ks_naf(me, r->ks, r->rand, r->impi, nid, (size_t)n) &&
	    !strcmp(a.impi, r->impi) && gba_ct_equal(me, a.me_key, sizeof(me)))
		rc = 0;
	else
		*status = -1;	/* found, but not with the UE's key */
	gba_zeroize(me, sizeof(me));
out:
	gba_zn_answer_clear(&a);
	return rc;
}

static int check(int argc, char **argv)
{
	char *zns[MAX_URL], line[512], impi[GBA_IMPI_MAX + 1], w[4][160];
	struct rec *recs = NULL;
	struct sub *subs = NULL;
	size_t nrec = 0, nsub = 0, dup = 0, sqn_bad = 0, resync = 0, macfail = 0, chal = 0;
	size_t err = 0, err503 = 0, bad_ok = 0, gone_bad = 0, live_bad = 0, lost = 0;
	size_t resurrected = 0;
	const char *lf = getenv("FAULT_UE_LOSSY_FS");
	bool lossy = lf && !strcmp(lf, "1");
	int nzn, fails = 0;

	if (argc < 5)
		return 2;
	nzn = split(argv[2], zns);
	for (int i = 4; i < argc; i++) {
		FILE *f = fopen(argv[i], "r");

		if (!f) {
			fprintf(stderr, "fault_ue: cannot open %s\n", argv[i]);
			return 2;
		}
		while (fgets(line, sizeof(line), f)) {
			long long t;
			char ev[16];
			int n = sscanf(line, "%lld %15s %255s %159s %159s %159s", &t, ev, impi,
				       w[0], w[1], w[2]);
			struct sub *s;

			if (n < 3)
				continue;
			s = sub_find(&subs, &nsub, impi);
			if (!strcmp(ev, "CHAL") && n >= 4) {
				uint64_t q = strtoull(w[0], NULL, 10);

				chal++;
				if (q <= s->sqn) {
					sqn_bad++;
					fprintf(stderr, "%s: SQN %" PRIu64 " after %" PRIu64 "\n",
						impi, q, s->sqn);
				}
				if (q > s->sqn)
					s->sqn = q;
				s->chal_after = true;
			} else if (!strcmp(ev, "RESYNC")) {
				resync++;
			} else if (!strcmp(ev, "MACFAIL")) {
				macfail++;
			} else if (!strcmp(ev, "ERR")) {
				err++;
				if (n >= 5 && !strcmp(w[0], "503") && strcmp(w[1], "-"))
					err503++;
			} else if (!strcmp(ev, "OK") && n == 6) {
				struct rec *r;

				recs = realloc(recs, (nrec + 1) * sizeof(*recs));
				if (!recs)
					abort();
				r = &recs[nrec];
				memset(r, 0, sizeof(*r));
				snprintf(r->impi, sizeof(r->impi), "%s", impi);
				snprintf(r->btid, sizeof(r->btid), "%s", w[0]);
				if (gba_hex_decode(r->rand, GBA_RAND_LEN, w[1]) ||
				    gba_hex_decode(r->ks, GBA_KS_LEN, w[2])) {
					bad_ok++;
					continue;
				}
				s->last = ++nrec;
				s->chal_after = false;
			}
		}
		fclose(f);
	}
	for (size_t i = 0; i < nsub; i++)
		if (subs[i].last) {
			recs[subs[i].last - 1].last = true;
			recs[subs[i].last - 1].maybe = subs[i].chal_after;
		}
	/* Zn: every IMPI's last session found with the UE's key, the older ones gone */
	for (int z = 0; z < nzn; z++) {
		struct tnaf naf;
		char url[256];

		snprintf(url, sizeof(url), "%s" GBA_ZN_PATH, zns[z]);
		if (tnaf_init(&naf, url, NULL, NULL, NULL))
			return 2;
		for (size_t i = 0; i < nrec; i++) {
			long st;
			int rc = zn_check(&naf, argv[3], &recs[i], &st);

			if (lossy && recs[i].last && rc && st == 404) {
				lost++;
			} else if (recs[i].last && rc && !(recs[i].maybe && st == 404)) {
				live_bad++;
				fprintf(stderr, "%s: %s not resolved (%ld)\n", zns[z], recs[i].btid,
					st);
			} else if (lossy && !recs[i].last && !rc) {
				resurrected++;
			} else if (!recs[i].last && st != 404) {
				gone_bad++;
				fprintf(stderr, "%s: replaced %s answered %ld\n", zns[z],
					recs[i].btid, st);
			}
		}
		tnaf_free(&naf);
	}
	qsort(recs, nrec, sizeof(*recs), cmp_btid);
	for (size_t i = 1; i < nrec; i++)
		if (!strcmp(recs[i].btid, recs[i - 1].btid)) {
			dup++;
			fprintf(stderr, "B-TID %s twice\n", recs[i].btid);
		}
	printf("sessions %zu imsis %zu challenges %zu errors %zu (503+Retry-After %zu)\n", nrec,
	       nsub, chal, err, err503);
	if (lossy)
		printf("lossy-fs: lost %zu resurrected %zu\n", lost, resurrected);
	printf("zn-live-bad %zu zn-replaced-bad %zu dup-btid %zu sqn-not-increasing %zu resync %zu "
	       "macfail %zu bad-ok %zu\n", live_bad, gone_bad, dup, sqn_bad, resync, macfail,
	       bad_ok);
	fails = live_bad || gone_bad || dup || sqn_bad || resync || macfail || bad_ok || !nrec;
	if (recs)
		gba_zeroize(recs, nrec * sizeof(*recs));
	free(recs);
	free(subs);
	return fails ? 1 : 0;
}

/* The BSF's answer for a B-TID, as a NAF sees it (to compare with gba-ue's key). */
static int zn(int argc, char **argv)
{
	struct tnaf naf;
	struct gba_zn_answer a;
	struct gba_zn_fault f;
	char url[256], k[2 * GBA_KS_NAF_LEN + 1];
	bool is_fault = false;
	long st;

	if (argc != 5)
		return 2;
	snprintf(url, sizeof(url), "%s" GBA_ZN_PATH, argv[2]);
	if (tnaf_init(&naf, url, NULL, NULL, NULL))
		return 2;
	memset(&a, 0, sizeof(a));
	memset(&f, 0, sizeof(f));
	st = tnaf_lookup(&naf, argv[3], argv[4], false, &a, &f, &is_fault);
	if (st == 200 && !is_fault) {
		hex(k, sizeof(k), a.me_key, GBA_KS_NAF_LEN);
		printf("%s %s\n", a.impi, k);
		gba_zeroize(k, sizeof(k));
	} else {
		fprintf(stderr, "fault_ue: Zn answered %ld (fault %u)\n", st,
			is_fault ? f.code : 0);
	}
	gba_zn_answer_clear(&a);
	tnaf_free(&naf);
	return st == 200 && !is_fault ? 0 : 1;
}

int main(int argc, char **argv)
{
	int rc = 2;

	curl_global_init(CURL_GLOBAL_DEFAULT);
	if (argc > 1 && !strcmp(argv[1], "load"))
		rc = load(argc, argv);
	else if (argc > 1 && !strcmp(argv[1], "check"))
		rc = check(argc, argv);
	else if (argc > 1 && !strcmp(argv[1], "zn"))
		rc = zn(argc, argv);
	if (rc == 2)
		fprintf(stderr,
			"usage: fault_ue load LOG UB[,UB...] IMPI-FMT FIRST COUNT [PAUSE-MS]\n"
			"       fault_ue check ZN[,ZN...] NAF-FQDN LOG...\n"
			"       fault_ue zn ZN B-TID NAF-FQDN\n");
	curl_global_cleanup();
	return rc;
}
