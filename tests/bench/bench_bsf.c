/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * gba-bsf throughput: full bootstraps per second (both Ub round trips, the client runs the
 * USIM algorithm, computes the digest response and checks rspauth and the XML body) and Zn
 * lookups per second (the answer parsed in full), each against a minimal libmicrohttpd
 * handler measured in the same run with the same libcurl client, at 1 and 64 concurrent
 * keep-alive clients (one thread and one curl handle each). The minimal daemon is started by
 * bsf_http_daemon(), the very function that starts the BSF's listeners, so both run the same
 * MHD flags and options (printed at start): the ratio measures our handler, not the daemon.
 * The BSF runs in this process (libgbabsf, SQLite store on disk, built-in AuC); Zn on plain
 * HTTP so that the baseline compares like with like.
 *
 * Ratios, as in the issue: a bootstrap costs two requests, so
 *   bootstraps ratio = bootstraps/s / (minimal req/s / 2)   target >= 0.4
 *   Zn ratio         = Zn lookups/s / minimal req/s          target >= 0.5
 * Each round measures minimal, Zn and bootstraps back to back (SECONDS each) and computes
 * its ratios from those three figures; the median round of ROUNDS is printed, since other
 * work on the machine disturbs single rounds. CPU time per operation (getrusage of this
 * process: client and server together) is printed too; it is what noise disturbs least.
 * BENCH_BSF_SECONDS, BENCH_BSF_ROUNDS, BENCH_BSF_CLIENTS (one count), BENCH_BSF_THREADS
 * (MHD pool of both daemons) and BENCH_BSF_ONLY (min, zn or boot: for perf record) override
 * the defaults.
 *
 * Where the time goes (perf record -e cpu-clock, 64 clients): kernel TCP and wake-ups and
 * libcurl take most of every operation; a Zn lookup adds the XML parse of the request and
 * the build of the answer (core/zn_soap.c, libxml2, ~12-15 us each) and the client's parse
 * of the answer (~20 us); a bootstrap adds the session commit (SQLite WAL pwrites, ~40-60
 * us), Milenage on both sides, digests and the BootstrappingInfo XML. On a machine shared
 * with other work the BSF rounds also get less CPU than the minimal one (fewer runnable
 * threads while the clients wait), so the CPU-per-operation line is the steadier figure:
 * ratio ~= minimal us / lookup us, resp. 2 x minimal us / bootstrap us.
 */
#include "config.h"

#include <arpa/inet.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <microhttpd.h>

#include <gba/kdf.h>
#include <gba/log.h>
#include <gba/xmlutil.h>
#include <gba/zn.h>

#include "bsf.h"
#include "http.h"
#include "tue.h"

#define MAX_CLIENTS	64
#define SECONDS		3
#define ROUNDS		3	/* median of: the machines are shared and noisy */
#define ROUNDS_MAX	15
#define THREADS		2	/* MHD thread pool of every daemon (gba-bsf's default) */
#define K1	"465b5ce8b199b49faa5f0a2ee238a6bc"
#define OPC1	"cd63cb71954a9f4e48a5994e37a02baf"

enum op { OP_MIN, OP_BOOT, OP_ZN, OP_FIRST };

static int min_port, ub_port, zn_port;
static volatile int stop;
static char btids[MAX_CLIENTS][GBA_BTID_MAX + 1];

struct client {
	pthread_t th;
	enum op op;
	int idx;
	unsigned long n, errors;
};

static enum MHD_Result minimal(void *cls, struct MHD_Connection *c, const char *url,
			       const char *method, const char *version, const char *upload,
			       size_t *upload_size, void **con_cls)
{
	static const char body[] = "<?xml version=\"1.0\"?><ok/>\n";
	struct MHD_Response *r;
	enum MHD_Result ret;

	if (!*con_cls) {
		*con_cls = (void *)1;
		return MHD_YES;
	}
	r = MHD_create_response_from_buffer(sizeof(body) - 1, (void *)body, MHD_RESPMEM_PERSISTENT);
	ret = MHD_queue_response(c, 200, r);
	MHD_destroy_response(r);
	return ret;
}

static void impi_of(int i, char *buf, size_t len)
{
	snprintf(buf, len, "0010100000%05d@ims.mnc001.mcc001.3gppnetwork.org", 100 + i);
}

static void *run(void *arg)
{
	struct client *cl = arg;
	static __thread struct tue_resp r;
	struct gba_zn_answer a;
	struct gba_zn_fault f;
	struct tue u;
	struct tnaf naf;
	struct tue_boot b;
	char base[64], url[128], impi[128], why[256];
	char *zn_body = NULL;
	size_t zn_len = 0;

	snprintf(base, sizeof(base), "http://127.0.0.1:%d", cl->op == OP_MIN ? min_port : ub_port);
	/* bootstraps use their own subscribers: the Zn B-TIDs stay valid */
	impi_of(cl->op == OP_BOOT ? MAX_CLIENTS + cl->idx : cl->idx, impi, sizeof(impi));
	tue_init(&u, base, "bsf.bench.example", impi, K1, OPC1, GBA_AKA_MILENAGE);
	snprintf(url, sizeof(url), "http://127.0.0.1:%d" GBA_ZN_PATH, zn_port);
	tnaf_init(&naf, url, NULL, NULL, NULL);
	if (cl->op == OP_ZN) {
		/* a NAF asks the same question each time: the request body is built once */
		struct gba_zn_request q = { .gba_u_aware = false };
		int rc;

		snprintf(q.btid, sizeof(q.btid), "%s", btids[cl->idx]);
		rc = gba_naf_id(q.naf_id, sizeof(q.naf_id), "naf.bench.example",
				GBA_UA_ID_HTTP_DIGEST);
		q.naf_id_len = rc > 0 ? (size_t)rc : 0;
		if (rc < 0 || gba_zn_request_build(&zn_body, &zn_len, &q))
			abort();
	}
	while (!stop) {
		long st;

		switch (cl->op) {
		case OP_MIN:
			st = tue_get(&u, "/", NULL, &r) ? 0 : r.status;
			break;
		case OP_FIRST: {
			struct tue_chal c;

			st = tue_first(&u, &c) ? 0 : 200;
			break;
		}
		case OP_BOOT:
			st = tue_bootstrap(&u, GBA_QOP_AUTH_INT, &b, why, sizeof(why)) ? 0 : 200;
			gba_zeroize(&b, sizeof(b));
			break;
		default:
			/* the answer is still parsed and checked in full */
			memset(&a, 0, sizeof(a));
			st = tnaf_post_raw(&naf, zn_body, zn_len, &r);
			if (st == 200 &&
			    gba_zn_response_parse(&a, &f, r.body, r.body_len, NULL, 0) != GBA_ZN_ANSWER)
				st = 0;
			gba_zn_answer_clear(&a);
			break;
		}
		if (st == 200)
			cl->n++;
		else
			cl->errors++;
	}
	tue_free(&u);
	tnaf_free(&naf);
	free(zn_body);
	return NULL;
}

static unsigned int seconds = SECONDS, rounds = ROUNDS;

struct figure {
	double rate;		/* operations per second */
	double cpu_us;		/* CPU time of the process per operation */
	unsigned long errors;
};

static double now_s(clockid_t clk)
{
	struct timespec t;

	clock_gettime(clk, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

static double cpu_s(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 + ru.ru_stime.tv_sec +
	       ru.ru_stime.tv_usec / 1e6;
}

static struct figure measure(enum op op, int n_clients)
{
	static struct client cl[MAX_CLIENTS];
	struct figure f = { 0 };
	unsigned long total = 0;
	double t0, c0;

	stop = 0;
	t0 = now_s(CLOCK_MONOTONIC);
	c0 = cpu_s();
	for (int i = 0; i < n_clients; i++) {
		cl[i] = (struct client){ .op = op, .idx = i };
		pthread_create(&cl[i].th, NULL, run, &cl[i]);
	}
	sleep(seconds);
	stop = 1;
	for (int i = 0; i < n_clients; i++) {
		pthread_join(cl[i].th, NULL);
		total += cl[i].n;
		f.errors += cl[i].errors;
	}
	f.rate = total / (now_s(CLOCK_MONOTONIC) - t0);
	f.cpu_us = total ? (cpu_s() - c0) * 1e6 / total : 0;
	return f;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double median(double *v, unsigned int n)
{
	qsort(v, n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static unsigned int env_uint(const char *name, unsigned int def, unsigned int max)
{
	const char *v = getenv(name);
	unsigned long n = v ? strtoul(v, NULL, 10) : 0;

	return n && n <= max ? (unsigned int)n : def;
}

/* Rounds at 'c' clients; prints the medians. Returns the number of missed targets. */
static int run_rounds(int c, const char *only)
{
	enum { M, Z, B, N_OPS };
	static const enum op ops[N_OPS] = { OP_MIN, OP_ZN, OP_BOOT };
	static const char *const names[N_OPS] = { "min", "zn", "boot" };
	double rate[N_OPS][ROUNDS_MAX], cpu[N_OPS][ROUNDS_MAX], rb[ROUNDS_MAX], rz[ROUNDS_MAX];
	double mr[N_OPS], mc[N_OPS], mrb, mrz;
	unsigned long errors[N_OPS] = { 0 };
	int fails = 0;

	for (unsigned int r = 0; r < rounds; r++) {
		for (int o = 0; o < N_OPS; o++) {
			struct figure f = { 0 };

			if (!only || !strcmp(only, names[o]))
				f = measure(ops[o], c);
			rate[o][r] = f.rate;
			cpu[o][r] = f.cpu_us;
			errors[o] += f.errors;
		}
		rb[r] = rate[M][r] ? rate[B][r] / (rate[M][r] / 2) : 0;
		rz[r] = rate[M][r] ? rate[Z][r] / rate[M][r] : 0;
		printf("  round %u @%d: minimal %.0f/s (%.0f us CPU each), Zn %.0f/s (%.0f us), "
		       "bootstraps %.0f/s (%.0f us): ratios %.2f, %.2f\n", r + 1, c, rate[M][r],
		       cpu[M][r], rate[Z][r], cpu[Z][r], rate[B][r], cpu[B][r], rb[r], rz[r]);
	}
	for (int o = 0; o < N_OPS; o++) {
		mr[o] = median(rate[o], rounds);
		mc[o] = median(cpu[o], rounds);
	}
	mrb = median(rb, rounds);
	mrz = median(rz, rounds);
	if (only)
		return 0;
	printf("bootstraps/s @%d: %.0f vs minimal %.0f req/s: ratio %.2f = bootstraps/s / "
	       "(minimal/s / 2) (target >= 0.4 x M/2 => ratio >= 0.4)%s\n", c, mr[B], mr[M], mrb,
	       errors[B] ? " ERRORS" : "");
	printf("Zn lookups/s @%d: %.0f vs minimal %.0f req/s: ratio %.2f = lookups/s / minimal/s "
	       "(target >= 0.5 x M => ratio >= 0.5)%s\n", c, mr[Z], mr[M], mrz,
	       errors[Z] ? " ERRORS" : "");
	printf("TABLE|bootstraps/s, %d clients|%.0f/s|minimal MHD handler %.0f req/s / 2|%.2f|"
	       ">= 0.4\n", c, mr[B], mr[M], mrb);
	printf("TABLE|Zn lookups/s, %d clients|%.0f/s|minimal MHD handler %.0f req/s|%.2f|>= 0.5\n",
	       c, mr[Z], mr[M], mrz);
	printf("  CPU per operation @%d (medians, client + server): minimal request %.0f us, "
	       "Zn lookup %.0f us, bootstrap %.0f us\n", c, mc[M], mc[Z], mc[B]);
	if (errors[M] || errors[Z] || errors[B])
		printf("  errors: minimal %lu, Zn %lu, bootstraps %lu\n", errors[M], errors[Z],
		       errors[B]);
	fails += (mrb < 0.4) + (mrz < 0.5) + (errors[M] || errors[Z] || errors[B]);
	return fails;
}

int main(void)
{
	char dir[] = "/tmp/bench_bsf.XXXXXX", path[256], store[300], ub[64], zn[64];
	static struct bsf_config cfg;
	static struct bsf bsf = { .cfg = &cfg };
	static char *fq[] = { "*" };
	static struct bsf_naf_acl acl = { .id = BSF_PLAIN_NAF, .fqdns = fq, .n_fqdns = 1 };
	struct bsf_http *http;
	struct MHD_Daemon *d;
	char mina[64], desc[512], threads[16];
	const char *only;
	FILE *f;
	int fails = 0, n_c;

	gba_log_init("bench_bsf", GBA_LOG_STDERR);
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (!mkdtemp(dir))
		return 1;
	snprintf(path, sizeof(path), "%s/subs.conf", dir);
	f = fopen(path, "w");
	fprintf(f, "cards = (\n");
	for (int i = 0; i < 2 * MAX_CLIENTS; i++)
		fprintf(f, "%s{ name = \"b%d\"; iccid = \"89882110000000%05d\"; imsi = \"0010100000%05d\";"
			" mnc_length = 2; algorithm = \"milenage\"; k = \"" K1 "\"; opc = \"" OPC1 "\";"
			" amf = \"8000\"; sqn = 0; ind_bitlen = 0; }\n", i ? "," : "", i, 100 + i,
			100 + i);
	fprintf(f, ");\n");
	fclose(f);
	min_port = tue_free_port();
	ub_port = tue_free_port();
	zn_port = tue_free_port();
	snprintf(store, sizeof(store), "sqlite:%s/bsf.db", dir);
	snprintf(ub, sizeof(ub), "127.0.0.1:%d", ub_port);
	snprintf(zn, sizeof(zn), "127.0.0.1:%d", zn_port);
	snprintf(threads, sizeof(threads), "%u", env_uint("BENCH_BSF_THREADS", THREADS, 256));
	{
		char *argv[] = { "bench", "--fqdn", "bsf.bench.example", "--ub-listen", ub,
				 "--zn-listen", zn, "--subscribers", path, "--store", store,
				 "--zn-allow-plain-http", "--log", "error", "--threads", threads, NULL };

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
	/* the same start-up as the BSF's Ub and Zn listeners: same flags, options, pool */
	snprintf(mina, sizeof(mina), "127.0.0.1:%d", min_port);
	d = bsf_http_daemon(&cfg, mina, false, NULL, minimal, NULL, NULL, NULL);
	if (!d)
		return 1;
	curl_global_init(CURL_GLOBAL_DEFAULT);
	/* one B-TID per client for the Zn runs */
	for (int i = 0; i < MAX_CLIENTS; i++) {
		char base[64], impi[128], why[256];
		struct tue u;
		struct tue_boot b;

		snprintf(base, sizeof(base), "http://127.0.0.1:%d", ub_port);
		impi_of(i, impi, sizeof(impi));
		tue_init(&u, base, "bsf.bench.example", impi, K1, OPC1, GBA_AKA_MILENAGE);
		if (tue_bootstrap(&u, GBA_QOP_AUTH_INT, &b, why, sizeof(why))) {
			fprintf(stderr, "bootstrap %d: %s\n", i, why);
			return 1;
		}
		snprintf(btids[i], sizeof(btids[i]), "%s", b.btid);
		tue_free(&u);
	}
	seconds = env_uint("BENCH_BSF_SECONDS", SECONDS, 600);
	rounds = env_uint("BENCH_BSF_ROUNDS", ROUNDS, ROUNDS_MAX);
	only = getenv("BENCH_BSF_ONLY");
	{
		double la[3] = { 0 };

		if (getloadavg(la, 3) < 1)
			la[0] = -1;
		printf("bench_bsf: %u s per figure, median of %u rounds; load average %.1f on %ld "
		       "CPUs at start (other work on the machine lowers every figure)\n", seconds,
		       rounds, la[0], sysconf(_SC_NPROCESSORS_ONLN));
		printf("bench_bsf: both daemons (gba-bsf Ub/Zn and minimal): %s\n",
		       bsf_http_daemon_describe(&cfg, desc, sizeof(desc)));
	}
	n_c = (int)env_uint("BENCH_BSF_CLIENTS", 0, MAX_CLIENTS);
	if (n_c) {
		fails += run_rounds(n_c, only);
	} else {
		fails += run_rounds(1, only);
		fails += run_rounds(MAX_CLIENTS, only);
	}
	MHD_stop_daemon(d);
	bsf_http_stop(http, 1000);
	zh_close(bsf.zh);
	bsf_store_close(bsf.store);
	curl_global_cleanup();
	{
		char cmd[128];

		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
		if (system(cmd))
			fails++;
	}
	return fails ? 1 : 0;
}
