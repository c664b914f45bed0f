/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * load_gba: load generator against a running gba-bsf. N soft UEs (threads of tests/bsf's
 * test UE: libcurl keep-alive, the USIM algorithm in software, Digest AKA with auth-int,
 * rspauth and body checked) bootstrap with random subscribers of a profile file (the one
 * the BSF serves, e.g. from contrib/gba-profile-gen), and M NAFs (threads with a Zn client,
 * HTTPS with a client certificate or plain HTTP) look up the keys of subscribers that
 * have bootstrapped and compare Ks_NAF with the one the UE derived. A subscriber is held by
 * one thread at a time (no two bootstraps of one IMPI race, no lookup of a B-TID that a
 * concurrent bootstrap is replacing), so every failure is a real one. Runs for a warm-up,
 * then D seconds measured: operations per second, p50/p99 latency of bootstraps and
 * lookups, errors by kind, and the BSF's VmRSS (/proc/PID/status) after the warm-up, every
 * --rss-every seconds and at the end. The last line is machine-readable:
 *   SUMMARY|key=value|...
 * Exit 0 when nothing failed, 1 when something did, 2 for a usage or set-up error.
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <gba/kdf.h>
#include <gba/log.h>
#include <gba/profile.h>
#include <gba/zn.h>

#include "tue.h"

enum boot_err { BE_FIRST, BE_RESYNC, BE_CARD, BE_STATUS, BE_RSPAUTH, BE_BODY, BE_OTHER, BE_N };
static const char *const boot_err_name[BE_N] = {
	"no-401", "resync", "card", "status", "rspauth", "body", "other"
};
enum zn_err { ZE_TRANSPORT, ZE_STATUS, ZE_FAULT, ZE_KEY, ZE_N };
static const char *const zn_err_name[ZE_N] = { "transport", "status", "fault", "key" };
_Static_assert((int)BE_N >= (int)ZE_N, "worker.errs holds both kinds");

struct sub {
	atomic_int busy;
	bool has_session;
	uint64_t sqn_ms;		/* the card's highest accepted SQN */
	char btid[GBA_BTID_MAX + 1];
	uint8_t ks[GBA_KS_LEN];
	uint8_t rand[GBA_RAND_LEN];
};

struct samples {
	float *v;			/* latencies in ms */
	size_t n, cap;
};

struct worker {
	pthread_t th;
	unsigned int seed;
	bool naf;
	unsigned long ok, errs[BE_N];	/* BE_N > ZE_N */
	struct samples lat;
	char last_err[600];
};

static struct {
	const char *ub, *zn, *realm, *profiles, *naf_fqdn, *cert, *key, *ca;
	int ues, nafs, seconds, warmup, rss_every, bsf_pid;
	bool quiet;
} opt = { .realm = "bsf.test", .naf_fqdn = "naf.test", .ues = 8, .nafs = 1, .seconds = 10,
	  .warmup = 2, .rss_every = 0, .bsf_pid = 0 };

static struct gba_profile *profs;
static size_t n_profs;
static struct sub *subs;
static atomic_size_t n_booted;
static size_t *booted;			/* indices of subscribers with a session, append-only */
static atomic_int phase;		/* 0 warm-up, 1 measuring, 2 stop */
static uint8_t naf_id[GBA_NAF_ID_MAX];
static size_t naf_id_len;

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void sample_add(struct samples *s, double ms)
{
	if (s->n == s->cap) {
		size_t cap = s->cap ? 2 * s->cap : 4096;
		float *v = realloc(s->v, cap * sizeof(*v));

		if (!v)
			return;
		s->v = v;
		s->cap = cap;
	}
	s->v[s->n++] = (float)ms;
}

/* Hold subscriber i exclusively; false when another thread has it. */
static bool claim(size_t i)
{
	int z = 0;

	return atomic_compare_exchange_strong(&subs[i].busy, &z, 1);
}

static void release(size_t i)
{
	atomic_store(&subs[i].busy, 0);
}

static enum boot_err classify(const char *why)
{
	static const struct {
		const char *prefix;
		enum boot_err e;
	} k[] = {
		{ "first request", BE_FIRST }, { "resync", BE_RESYNC }, { "card", BE_CARD },
		{ "answer", BE_STATUS }, { "rspauth", BE_RSPAUTH }, { "bad 200", BE_BODY },
	};

	for (size_t i = 0; i < sizeof(k) / sizeof(k[0]); i++)
		if (!strncmp(why, k[i].prefix, strlen(k[i].prefix)))
			return k[i].e;
	return BE_OTHER;
}

static void one_bootstrap(struct worker *w, struct tue *u)
{
	struct tue_boot b;
	struct sub *s;
	char why[256] = "";
	size_t i;
	double t0;
	int rc;

	do
		i = (size_t)rand_r(&w->seed) % n_profs;
	while (!claim(i));
	s = &subs[i];
	snprintf(u->impi, sizeof(u->impi), "%s", profs[i].impi);
	u->cred = profs[i].cred;
	u->sqn_ms = s->sqn_ms;
	t0 = now();
	rc = tue_bootstrap(u, GBA_QOP_AUTH_INT, &b, why, sizeof(why));
	s->sqn_ms = u->sqn_ms;
	/* failures count from the start, successes only while measuring */
	if (rc) {
		w->errs[classify(why)]++;
		snprintf(w->last_err, sizeof(w->last_err), "%s: %s", profs[i].impi, why);
	} else if (atomic_load(&phase) == 1) {
		w->ok++;
		sample_add(&w->lat, (now() - t0) * 1e3);
	}
	if (rc == 0) {
		snprintf(s->btid, sizeof(s->btid), "%s", b.btid);
		memcpy(s->ks, b.ks, GBA_KS_LEN);
		memcpy(s->rand, b.rand, GBA_RAND_LEN);
		if (!s->has_session) {
			s->has_session = true;
			booted[atomic_fetch_add(&n_booted, 1)] = i;
		}
	}
	gba_zeroize(&b, sizeof(b));
	gba_zeroize(&u->cred, sizeof(u->cred));
	release(i);
}

static void one_lookup(struct worker *w, struct tnaf *n)
{
	struct gba_zn_answer a;
	struct gba_zn_fault f;
	uint8_t want[GBA_KS_NAF_LEN];
	size_t nb = atomic_load(&n_booted), i;
	bool fault = false;
	double t0;
	long st;
	int e = -1;

	if (!nb) {
		usleep(1000);
		return;
	}
	i = booted[(size_t)rand_r(&w->seed) % nb];
	if (!claim(i))
		return;
	if (!subs[i].has_session) {	/* its booted[] slot was read before it was written */
		release(i);
		return;
	}
	memset(&a, 0, sizeof(a));
	t0 = now();
	st = tnaf_lookup(n, subs[i].btid, opt.naf_fqdn, false, &a, &f, &fault);
	if (st < 0)
		e = ZE_TRANSPORT;
	else if (st != 200)
		e = fault ? ZE_FAULT : ZE_STATUS;
	else if (gba_ks_naf(want, subs[i].ks, subs[i].rand, profs[i].impi, naf_id, naf_id_len) ||
		 !gba_ct_equal(want, a.me_key, sizeof(want)))
		e = ZE_KEY;
	if (e >= 0) {
		w->errs[e]++;
		snprintf(w->last_err, sizeof(w->last_err), "%s: Zn %s, HTTP %ld%s%s",
			 subs[i].btid, zn_err_name[e], st, fault ? ", fault " : "",
			 fault ? f.reason : "");
	} else if (atomic_load(&phase) == 1) {
		w->ok++;
		sample_add(&w->lat, (now() - t0) * 1e3);
	}
	gba_zeroize(want, sizeof(want));
	gba_zn_answer_clear(&a);
	release(i);
}

static void *run(void *arg)
{
	struct worker *w = arg;
	struct tue u;
	struct tnaf n;
	char url[300];

	if (w->naf) {
		snprintf(url, sizeof(url), "%s%s", opt.zn, GBA_ZN_PATH);
		tnaf_init(&n, url, opt.cert, opt.key, opt.ca);
		while (atomic_load(&phase) < 2)
			one_lookup(w, &n);
		tnaf_free(&n);
	} else {
		tue_init(&u, opt.ub, opt.realm, "x", "00000000000000000000000000000000", NULL,
			 GBA_AKA_MILENAGE);
		while (atomic_load(&phase) < 2)
			one_bootstrap(w, &u);
		tue_free(&u);
	}
	return NULL;
}

static long rss_kb(int pid)
{
	char path[64], line[256];
	long kb = -1;
	FILE *f;

	if (pid <= 0)
		return -1;
	snprintf(path, sizeof(path), "/proc/%d/status", pid);
	f = fopen(path, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "VmRSS: %ld kB", &kb) == 1)
			break;
	fclose(f);
	return kb;
}

static int cmp_float(const void *a, const void *b)
{
	float x = *(const float *)a, y = *(const float *)b;

	return x < y ? -1 : x > y;
}

/* Merge the samples of workers [from, to) and report; returns the failures. */
static unsigned long report(const char *what, struct worker *w, int from, int to, int nerr,
			    const char *const *names, double secs, char *sum, size_t sumlen)
{
	struct samples all = { 0 };
	unsigned long ok = 0, errs[BE_N] = { 0 }, fails = 0;
	double p50 = 0, p99 = 0;
	const char *last = NULL;
	char eb[256] = "";
	size_t el = 0;

	for (int i = from; i < to; i++) {
		ok += w[i].ok;
		for (int e = 0; e < nerr; e++)
			errs[e] += w[i].errs[e];
		for (size_t j = 0; j < w[i].lat.n; j++)
			sample_add(&all, w[i].lat.v[j]);
		if (w[i].last_err[0])
			last = w[i].last_err;
	}
	if (all.n) {
		qsort(all.v, all.n, sizeof(float), cmp_float);
		p50 = all.v[all.n / 2];
		p99 = all.v[(size_t)((double)all.n * 0.99) < all.n ? (size_t)((double)all.n * 0.99) :
			    all.n - 1];
	}
	for (int e = 0; e < nerr; e++) {
		fails += errs[e];
		el += (size_t)snprintf(eb + el, sizeof(eb) - el, "%s%s %lu", e ? ", " : "",
				       names[e], errs[e]);
	}
	printf("%s: %lu ok (%.1f/s), p50 %.2f ms, p99 %.2f ms; failed %lu (%s)\n", what, ok,
	       ok / secs, p50, p99, fails, eb);
	if (last)
		printf("  last failure: %s\n", last);
	snprintf(sum + strlen(sum), sumlen - strlen(sum),
		 "|%s_ok=%lu|%s_fail=%lu|%s_rate=%.1f|%s_p50_ms=%.3f|%s_p99_ms=%.3f", what, ok,
		 what, fails, what, ok / secs, what, p50, what, p99);
	free(all.v);
	return fails;
}

static void usage(void)
{
	fprintf(stderr,
		"Usage: load_gba --ub URL --profiles FILE [--zn URL] [--ues N] [--nafs M]\n"
		"                [--seconds D] [--warmup W] [--realm R] [--naf-fqdn F]\n"
		"                [--cert PEM --key PEM --ca PEM] [--bsf-pid PID] [--rss-every S]\n"
		"  --ub URL        the BSF's Ub, e.g. http://127.0.0.1:8080\n"
		"  --zn URL        the BSF's Zn base, e.g. https://127.0.0.1:8443 (needed with --nafs)\n"
		"  --profiles FILE the subscribers the BSF serves (gba-profile-gen output)\n"
		"  --bsf-pid PID   report the BSF's VmRSS after the warm-up and at the end\n");
}

int main(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "ub", 1, NULL, 'u' }, { "zn", 1, NULL, 'z' }, { "realm", 1, NULL, 'r' },
		{ "profiles", 1, NULL, 'p' }, { "naf-fqdn", 1, NULL, 'f' },
		{ "cert", 1, NULL, 'C' }, { "key", 1, NULL, 'K' }, { "ca", 1, NULL, 'A' },
		{ "ues", 1, NULL, 'n' }, { "nafs", 1, NULL, 'm' }, { "seconds", 1, NULL, 'd' },
		{ "warmup", 1, NULL, 'w' }, { "bsf-pid", 1, NULL, 'P' },
		{ "rss-every", 1, NULL, 'R' }, { "quiet", 0, NULL, 'q' }, { NULL, 0, NULL, 0 },
	};
	char ub[256], err[512], sum[1024];
	struct worker *w;
	unsigned long fails = 0;
	long rss0 = -1, rss1 = -1, rss_max = -1;
	double t0, t1;
	int o, nw;

	while ((o = getopt_long(argc, argv, "", lo, NULL)) != -1) {
		switch (o) {
		case 'u': opt.ub = optarg; break;
		case 'z': opt.zn = optarg; break;
		case 'r': opt.realm = optarg; break;
		case 'p': opt.profiles = optarg; break;
		case 'f': opt.naf_fqdn = optarg; break;
		case 'C': opt.cert = optarg; break;
		case 'K': opt.key = optarg; break;
		case 'A': opt.ca = optarg; break;
		case 'n': opt.ues = atoi(optarg); break;
		case 'm': opt.nafs = atoi(optarg); break;
		case 'd': opt.seconds = atoi(optarg); break;
		case 'w': opt.warmup = atoi(optarg); break;
		case 'P': opt.bsf_pid = atoi(optarg); break;
		case 'R': opt.rss_every = atoi(optarg); break;
		case 'q': opt.quiet = true; break;
		default: usage(); return 2;
		}
	}
	if (!opt.ub || !opt.profiles || opt.ues < 0 || opt.nafs < 0 || opt.ues + opt.nafs < 1 ||
	    (opt.nafs && (!opt.zn || opt.ues < 1)) || opt.seconds < 1 || opt.warmup < 0) {
		usage();
		return 2;
	}
	/* tue wants "http://host:port" without the trailing slash */
	snprintf(ub, sizeof(ub), "%s", opt.ub);
	if (ub[0] && ub[strlen(ub) - 1] == '/')
		ub[strlen(ub) - 1] = '\0';
	opt.ub = ub;
	gba_log_init("load_gba", GBA_LOG_STDERR);
	gba_log_set_level(GBA_LL_ERROR);
	if (gba_profiles_load(opt.profiles, &profs, &n_profs, err, sizeof(err))) {
		fprintf(stderr, "load_gba: %s\n", err);
		return 2;
	}
	if (n_profs < (size_t)(opt.ues + opt.nafs) * 2) {
		fprintf(stderr, "load_gba: %zu subscribers are too few for %d threads\n", n_profs,
			opt.ues + opt.nafs);
		return 2;
	}
	subs = calloc(n_profs, sizeof(*subs));
	booted = calloc(n_profs, sizeof(*booted));
	nw = opt.ues + opt.nafs;
	w = calloc((size_t)nw, sizeof(*w));
	if (!subs || !booted || !w)
		return 2;
	for (size_t i = 0; i < n_profs; i++)
		subs[i].sqn_ms = profs[i].sqn;
	{
		int rc = gba_naf_id(naf_id, sizeof(naf_id), opt.naf_fqdn, GBA_UA_ID_HTTP_DIGEST);

		if (rc < 0)
			return 2;
		naf_id_len = (size_t)rc;
	}
	curl_global_init(CURL_GLOBAL_DEFAULT);
	for (int i = 0; i < nw; i++) {
		w[i].naf = i >= opt.ues;
		w[i].seed = (unsigned int)time(NULL) ^ (unsigned int)(i * 2654435761u);
		pthread_create(&w[i].th, NULL, run, &w[i]);
	}
	sleep((unsigned int)opt.warmup);
	atomic_store(&phase, 1);
	rss0 = rss_max = rss_kb(opt.bsf_pid);
	t0 = now();
	if (!opt.quiet)
		printf("load_gba: %d UEs, %d NAFs, %zu subscribers, warm-up %d s, measuring %d s%s\n",
		       opt.ues, opt.nafs, n_profs, opt.warmup, opt.seconds,
		       opt.bsf_pid > 0 ? "" : " (no --bsf-pid: no RSS)");
	for (int s = 1; s <= opt.seconds; s++) {
		long r;

		sleep(1);
		r = rss_kb(opt.bsf_pid);
		if (r > rss_max)
			rss_max = r;
		if (opt.rss_every > 0 && s % opt.rss_every == 0 && !opt.quiet) {
			unsigned long ok = 0;

			for (int i = 0; i < opt.ues; i++)
				ok += w[i].ok;
			printf("  t=%4d s: %lu bootstraps, %zu subscribers bootstrapped, BSF VmRSS %ld kB\n",
			       s, ok, atomic_load(&n_booted), r);
			fflush(stdout);
		}
	}
	atomic_store(&phase, 2);
	t1 = now();
	rss1 = rss_kb(opt.bsf_pid);
	for (int i = 0; i < nw; i++)
		pthread_join(w[i].th, NULL);
	snprintf(sum, sizeof(sum), "SUMMARY|ues=%d|nafs=%d|seconds=%d|subscribers=%zu", opt.ues,
		 opt.nafs, opt.seconds, n_profs);
	fails += report("bootstraps", w, 0, opt.ues, BE_N, boot_err_name, t1 - t0, sum,
			sizeof(sum));
	if (opt.nafs)
		fails += report("lookups", w, opt.ues, nw, ZE_N, zn_err_name, t1 - t0, sum,
				sizeof(sum));
	if (opt.bsf_pid > 0)
		printf("BSF VmRSS: %ld kB after warm-up, %ld kB at the end (max %ld kB): %+ld kB\n",
		       rss0, rss1, rss_max, rss1 - rss0);
	printf("%s|rss_start_kb=%ld|rss_end_kb=%ld|rss_max_kb=%ld|booted=%zu\n", sum, rss0, rss1,
	       rss_max, atomic_load(&n_booted));
	for (int i = 0; i < nw; i++)
		free(w[i].lat.v);
	free(w);
	gba_zeroize(subs, n_profs * sizeof(*subs));
	free(subs);
	free(booted);
	gba_profiles_free(profs, n_profs);
	curl_global_cleanup();
	return fails ? 1 : 0;
}
