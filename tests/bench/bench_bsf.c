/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * gba-bsf throughput: full bootstraps per second (both Ub round trips, the client runs the
 * USIM algorithm, computes the digest response and checks rspauth and the XML body) and Zn
 * lookups per second, each against a minimal libmicrohttpd handler (same MHD flags and
 * thread pool) measured in the same run with the same libcurl client, at 1 and 64
 * concurrent keep-alive clients. The BSF runs in this process (libgbabsf, SQLite store on
 * disk, built-in AuC); Zn on plain HTTP so that the baseline compares like with like.
 * Targets: bootstraps/s >= 0.4 x (minimal/s / 2); Zn lookups/s >= 0.5 x minimal/s.
 */
#include "config.h"

#include <arpa/inet.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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
#define SECONDS		2
#define ROUNDS		3	/* best of: the machines are shared and noisy */
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

static double measure_once(enum op op, int n_clients, unsigned long *errors)
{
	static struct client cl[MAX_CLIENTS];
	struct timespec t0, t1;
	unsigned long total = 0;

	stop = 0;
	*errors = 0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (int i = 0; i < n_clients; i++) {
		cl[i] = (struct client){ .op = op, .idx = i };
		pthread_create(&cl[i].th, NULL, run, &cl[i]);
	}
	sleep(SECONDS);
	stop = 1;
	for (int i = 0; i < n_clients; i++) {
		pthread_join(cl[i].th, NULL);
		total += cl[i].n;
		*errors += cl[i].errors;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	return total / ((t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9);
}

static double measure(enum op op, int n_clients, unsigned long *errors)
{
	double best = 0;
	unsigned long e;

	*errors = 0;
	for (int i = 0; i < ROUNDS; i++) {
		double v = measure_once(op, n_clients, &e);

		*errors += e;
		if (v > best)
			best = v;
	}
	return best;
}

int main(void)
{
	char dir[] = "/tmp/bench_bsf.XXXXXX", path[256], store[300], ub[64], zn[64];
	static struct bsf_config cfg;
	static struct bsf bsf = { .cfg = &cfg };
	static char *fq[] = { "*" };
	static struct bsf_naf_acl acl = { BSF_PLAIN_NAF, fq, 1 };
	struct bsf_http *http;
	struct MHD_Daemon *d;
	FILE *f;
	int fails = 0;

	gba_log_init("bench_bsf", GBA_LOG_STDERR);
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
	{
		char *argv[] = { "bench", "--fqdn", "bsf.bench.example", "--ub-listen", ub,
				 "--zn-listen", zn, "--subscribers", path, "--store", store,
				 "--zn-allow-plain-http", "--log", "error", "--threads", "2", NULL };

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
	d = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL |
			     MHD_ALLOW_SUSPEND_RESUME, (uint16_t)min_port, NULL, NULL, minimal, NULL,
			     MHD_OPTION_THREAD_POOL_SIZE, cfg.threads,
			     MHD_OPTION_CONNECTION_LIMIT, cfg.max_connections,
			     MHD_OPTION_CONNECTION_TIMEOUT, cfg.connection_timeout, MHD_OPTION_END);
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
	for (int c = 1; c <= MAX_CLIENTS; c *= 64) {
		unsigned long e0, e1, e2;
		double m = measure(OP_MIN, c, &e0);
		double z = measure(OP_ZN, c, &e2);
		double bs = measure(OP_BOOT, c, &e1);

		if (getenv("BENCH_BSF_FIRST"))
			printf("first requests (401), %2d clients: %.0f/s\n", c,
			       measure(OP_FIRST, c, &e0));
		double rb = bs / (m / 2), rz = z / m;

		printf("bsf bootstraps, %2d clients: %.0f/s vs minimal MHD %.0f req/s / 2: ratio %.2f"
		       " (target >= 0.4)%s\n", c, bs, m, rb, e1 ? " ERRORS" : "");
		printf("bsf Zn lookups, %2d clients: %.0f/s vs minimal MHD %.0f req/s: ratio %.2f"
		       " (target >= 0.5)%s\n", c, z, m, rz, e2 ? " ERRORS" : "");
		if (e0 || e1 || e2)
			printf("  errors: minimal %lu, bootstraps %lu, Zn %lu\n", e0, e1, e2);
		fails += (rb < 0.4) + (rz < 0.5) + (e0 || e1 || e2);
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
