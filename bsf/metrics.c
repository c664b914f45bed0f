/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * BSF metrics (metrics.h): relaxed atomic counters per Ub reason, Zn result and resync
 * outcome, cumulative latency histograms, and their Prometheus text rendering
 * (open_memstream). Written by hand: the format is a few lines and no C client library
 * is packaged in Debian 12.
 */
#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "metrics.h"

static const double buckets[] = { 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25,
				  0.5, 1, 2.5 };
#define N_BUCKETS (sizeof(buckets) / sizeof(buckets[0]))

struct histo {
	uint64_t count[N_BUCKETS + 1];	/* last: +Inf */
	uint64_t sum_us;
};

static const struct {
	unsigned int status;
	const char *name;
} ub_reasons[_UB_R_COUNT] = {
	[UB_R_OK] = { 200, "ok" },
	[UB_R_CHALLENGE] = { 401, "challenge" },
	[UB_R_RESYNC] = { 401, "resync" },
	[UB_R_STALE] = { 401, "stale_nonce" },
	[UB_R_FOREIGN] = { 401, "foreign_nonce" },
	[UB_R_WRONG_RES] = { 401, "wrong_res" },
	[UB_R_MISMATCH] = { 401, "challenge_mismatch" },
	[UB_R_TOO_MANY] = { 403, "too_many_failures" },
	[UB_R_MAC_FAILURE] = { 403, "mac_failure" },
	[UB_R_RESYNC_REFUSED] = { 403, "resync_refused" },
	[UB_R_UNKNOWN] = { 403, "unknown_impi" },
	[UB_R_MALFORMED] = { 400, "malformed" },
	[UB_R_UNAVAILABLE] = { 503, "zh_unavailable" },
	[UB_R_INTERNAL] = { 500, "internal" },
	[UB_R_LIMITED] = { 429, "rate_limited" },
};

static const char *const zn_names[_ZN_R_COUNT] = {
	[ZN_R_OK] = "ok",
	[ZN_R_UNAUTHORIZED] = "naf_not_authorized",
	[ZN_R_UNKNOWN_BTID] = "btid_unknown",
	[ZN_R_FOREIGN_BTID] = "btid_foreign",
	[ZN_R_MALFORMED] = "malformed",
	[ZN_R_ERROR] = "error",
};

static uint64_t ub_count[_UB_R_COUNT];
static uint64_t zn_count[_ZN_R_COUNT];
static uint64_t resyncs[2];
static long sessions = -1;
static uint64_t rl_count[2][2];	/* [by_addr][refused] */
static long rl_entries[2];
static struct histo ub_hist, zn_hist;

unsigned int bsf_ub_reason_status(enum bsf_ub_reason r)
{
	return r < _UB_R_COUNT ? ub_reasons[r].status : 500;
}

const char *bsf_ub_reason_name(enum bsf_ub_reason r)
{
	return r < _UB_R_COUNT ? ub_reasons[r].name : "internal";
}

static void inc(uint64_t *p, uint64_t v)
{
	__atomic_fetch_add(p, v, __ATOMIC_RELAXED);
}

static uint64_t get(const uint64_t *p)
{
	return __atomic_load_n(p, __ATOMIC_RELAXED);
}

static void observe(struct histo *h, double s)
{
	size_t i;

	for (i = 0; i < N_BUCKETS && s > buckets[i]; i++)
		;
	inc(&h->count[i], 1);
	inc(&h->sum_us, s > 0 ? (uint64_t)(s * 1e6) : 0);
}

void bsf_metrics_ub(enum bsf_ub_reason r, double seconds)
{
	if (r >= _UB_R_COUNT)
		r = UB_R_INTERNAL;
	inc(&ub_count[r], 1);
	observe(&ub_hist, seconds);
}

void bsf_metrics_zn(enum bsf_zn_result r, double seconds)
{
	if (r >= _ZN_R_COUNT)
		r = ZN_R_ERROR;
	inc(&zn_count[r], 1);
	observe(&zn_hist, seconds);
}

void bsf_metrics_resync(bool ok)
{
	inc(&resyncs[ok], 1);
}

void bsf_metrics_set_sessions(long n)
{
	__atomic_store_n(&sessions, n, __ATOMIC_RELAXED);
}

void bsf_metrics_ratelimit(bool by_addr, bool refused)
{
	inc(&rl_count[by_addr][refused], 1);
}

void bsf_metrics_ratelimit_entries(bool by_addr, long n)
{
	__atomic_store_n(&rl_entries[by_addr], n, __ATOMIC_RELAXED);
}

static void render_histo(FILE *f, const char *name, const char *help, const struct histo *h)
{
	uint64_t cum = 0;

	fprintf(f, "# HELP %s %s\n# TYPE %s histogram\n", name, help, name);
	for (size_t i = 0; i < N_BUCKETS; i++) {
		cum += get(&h->count[i]);
		fprintf(f, "%s_bucket{le=\"%g\"} %llu\n", name, buckets[i], (unsigned long long)cum);
	}
	cum += get(&h->count[N_BUCKETS]);
	fprintf(f, "%s_bucket{le=\"+Inf\"} %llu\n", name, (unsigned long long)cum);
	fprintf(f, "%s_sum %.6f\n%s_count %llu\n", name, get(&h->sum_us) / 1e6, name,
		(unsigned long long)cum);
}

int bsf_metrics_render(char **out)
{
	size_t len = 0;
	FILE *f = open_memstream(out, &len);
	long n;

	if (!f)
		return -ENOMEM;
	fputs("# HELP gba_bsf_bootstraps_total Ub requests by HTTP status and reason.\n"
	      "# TYPE gba_bsf_bootstraps_total counter\n", f);
	for (int r = 0; r < _UB_R_COUNT; r++)
		fprintf(f, "gba_bsf_bootstraps_total{status=\"%u\",reason=\"%s\"} %llu\n",
			ub_reasons[r].status, ub_reasons[r].name,
			(unsigned long long)get(&ub_count[r]));
	fputs("# HELP gba_bsf_resyncs_total SQN resynchronisations by result.\n"
	      "# TYPE gba_bsf_resyncs_total counter\n", f);
	fprintf(f, "gba_bsf_resyncs_total{result=\"ok\"} %llu\n",
		(unsigned long long)get(&resyncs[1]));
	fprintf(f, "gba_bsf_resyncs_total{result=\"refused\"} %llu\n",
		(unsigned long long)get(&resyncs[0]));
	fputs("# HELP gba_bsf_zn_lookups_total Zn requests by result.\n"
	      "# TYPE gba_bsf_zn_lookups_total counter\n", f);
	for (int r = 0; r < _ZN_R_COUNT; r++)
		fprintf(f, "gba_bsf_zn_lookups_total{result=\"%s\"} %llu\n", zn_names[r],
			(unsigned long long)get(&zn_count[r]));
	fputs("# HELP gba_bsf_ub_rate_limited_total Ub requests refused with 429, and blocks "
	      "started, by key.\n# TYPE gba_bsf_ub_rate_limited_total counter\n", f);
	fputs("# HELP gba_bsf_ratelimit_entries Keys the Ub limiter tracks.\n"
	      "# TYPE gba_bsf_ratelimit_entries gauge\n", f);
	for (int a = 0; a < 2; a++) {
		const char *key = a ? "address" : "impi";

		fprintf(f, "gba_bsf_ub_rate_limited_total{key=\"%s\",event=\"refused\"} %llu\n"
			"gba_bsf_ub_rate_limited_total{key=\"%s\",event=\"blocked\"} %llu\n"
			"gba_bsf_ratelimit_entries{key=\"%s\"} %ld\n", key,
			(unsigned long long)get(&rl_count[a][1]), key,
			(unsigned long long)get(&rl_count[a][0]), key,
			__atomic_load_n(&rl_entries[a], __ATOMIC_RELAXED));
	}
	n = __atomic_load_n(&sessions, __ATOMIC_RELAXED);
	if (n >= 0)
		fprintf(f, "# HELP gba_bsf_sessions Bootstrapping sessions stored.\n"
			"# TYPE gba_bsf_sessions gauge\ngba_bsf_sessions %ld\n", n);
	render_histo(f, "gba_bsf_ub_duration_seconds", "Ub request latency.", &ub_hist);
	render_histo(f, "gba_bsf_zn_duration_seconds", "Zn request latency.", &zn_hist);
	if (fclose(f)) {
		free(*out);
		*out = NULL;
		return -ENOMEM;
	}
	return (int)len;
}
