/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Benchmark of the in-process APDU path: gba_apdu_exchange() over the
 * in-process transport to a minimal card callback (READ BINARY answering 16
 * bytes), per-call median and p99, as a ratio against calling the same
 * callback directly (the bare function call baseline), plus the T=0 path with
 * a 61xx / GET RESPONSE round.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <gba/apdu.h>
#include <gba/transport.h>
#include <gba/uicc_cmd.h>

#define N	20000	/* samples */
#define B	32	/* calls per sample, so the clock read does not dominate */

struct card {
	bool t0;	/* answer 6110 first, data only to GET RESPONSE */
};

static int card_cb(void *ctx, const uint8_t *capdu, size_t len, uint8_t *rapdu, size_t *rlen)
{
	struct card *c = ctx;

	if (*rlen < 18 || len < 4)
		return -1;
	if (c->t0 && capdu[1] != GBA_INS_GET_RESPONSE) {
		rapdu[0] = 0x61;
		rapdu[1] = 0x10;
		*rlen = 2;
		return 0;
	}
	memset(rapdu, 0x5a, 16);
	rapdu[16] = 0x90;
	rapdu[17] = 0x00;
	*rlen = 18;
	return 0;
}

static inline uint64_t ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static void stats(uint64_t *v, size_t n, uint64_t *median, uint64_t *p99)
{
	qsort(v, n, sizeof(*v), cmp_u64);
	*median = v[n / 2];
	*p99 = v[n * 99 / 100];
}

int main(void)
{
	static uint64_t t_bare[N], t_x[N], t_t0[N];
	int (*volatile cb)(void *, const uint8_t *, size_t, uint8_t *, size_t *) = card_cb;
	struct card plain = { .t0 = false }, t0 = { .t0 = true };
	struct gba_transport *tp, *tt;
	uint8_t cmd[8], resp[GBA_RAPDU_SHORT_MAX_LEN];
	uint64_t bm, b99, xm, x99, tm, t99, t;
	uint16_t sw;
	size_t rl;
	int n, i, j, rc = 0;

	n = gba_cmd_read_binary(cmd, sizeof(cmd), 0, 0, 16);
	if (n < 0 || gba_transport_inproc_open(&tp, card_cb, NULL, &plain, GBA_PROTO_T1, NULL) ||
	    gba_transport_inproc_open(&tt, card_cb, NULL, &t0, GBA_PROTO_T0, NULL))
		return 1;
	for (i = 0; i < N; i++) {
		t = ns();
		for (j = 0; j < B; j++) {
			rl = sizeof(resp);
			cb(&plain, cmd, (size_t)n, resp, &rl);
		}
		t_bare[i] = ns() - t;

		t = ns();
		for (j = 0; j < B; j++)
			if (gba_apdu_exchange(tp, cmd, (size_t)n, resp, sizeof(resp), &sw) != 16)
				rc = 1;
		t_x[i] = ns() - t;

		t = ns();
		for (j = 0; j < B; j++)
			if (gba_apdu_exchange(tt, cmd, (size_t)n, resp, sizeof(resp), &sw) != 16)
				rc = 1;
		t_t0[i] = ns() - t;
	}
	stats(t_bare, N, &bm, &b99);
	stats(t_x, N, &xm, &x99);
	stats(t_t0, N, &tm, &t99);
	/* per call, in ns (samples of B calls); ratios are of medians */
	printf("apdu_exchange (inproc, 1 round): median %.1f ns p99 %.1f ns per call vs bare call "
	       "median %.1f ns p99 %.1f ns: ratio %.1f (target <= 30)\n", (double)xm / B,
	       (double)x99 / B, (double)bm / B, (double)b99 / B,
	       bm ? (double)xm / (double)bm : 0.0);
	printf("apdu_exchange (inproc, T=0 61xx + GET RESPONSE): median %.1f ns p99 %.1f ns per "
	       "call vs bare call median %.1f ns: ratio %.1f (target <= 60)\n", (double)tm / B,
	       (double)t99 / B, (double)bm / B, bm ? (double)tm / (double)bm : 0.0);
	printf("TABLE|APDU exchange, in process (median)|%.1f ns|bare call %.1f ns|%.1f|<= 30\n",
	       (double)xm / B, (double)bm / B, bm ? (double)xm / (double)bm : 0.0);
	gba_transport_close(tp);
	gba_transport_close(tt);
	return rc;
}
