/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Two BSFs on Redis against one BSF on SQLite, same run, same client: full bootstraps per
 * second (both Ub round trips; the client of tue.c runs the USIM algorithm and checks
 * rspauth and the body, as bench_bsf does). Three BSF instances run in this process
 * (libgbabsf, built-in AuC, 2 HTTP threads each): one on an SQLite file, two sharing a
 * private redis-server (random loopback port, AOF appendfsync everysec in a temporary
 * directory) that this benchmark starts and stops by PID. The Redis run splits the clients
 * across both BSFs, half of them taking their 401 from one and answering at the other.
 * Prints "bootstraps: two BSFs on Redis N/s vs one BSF on SQLite M/s: ratio R" at 2 and 32
 * clients; target ratio >= 0.5 on this 2-core machine, where both setups share the same
 * two cores (so the ratio measures the store's cost, not the gain of a second host).
 * Skipped (a message, exit 0) when redis-server is not installed.
 */
#include "config.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <gba/bsfxml.h>
#include <gba/log.h>
#include <gba/xmlutil.h>

#include "bsf.h"
#include "http.h"
#include "tue.h"

#define MAX_CLIENTS	32
#define SECONDS		2
#define N_SUBS		MAX_CLIENTS
#define FQDN		"bsf.bench.example"
#define K1		"465b5ce8b199b49faa5f0a2ee238a6bc"
#define OPC1		"cd63cb71954a9f4e48a5994e37a02baf"
#define REDIS_BIN	"/usr/bin/redis-server"

struct inst {
	struct bsf_config cfg;
	struct bsf bsf;
	struct bsf_http *http;
	int ub_port;
};

struct client {
	pthread_t th;
	int idx;
	int first_port, answer_port;	/* where the 401 comes from, where it is answered */
	unsigned long n, errors;
};

static volatile int stop;
static char dir[] = "/tmp/bench_bsf_redis.XXXXXX";
static pid_t redis_pid;

static bool port_open(int port)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port) };
	int s = socket(AF_INET, SOCK_STREAM, 0);
	bool ok;

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ok = connect(s, (struct sockaddr *)&a, sizeof(a)) == 0;
	close(s);
	return ok;
}

static void impi_of(int i, char *buf, size_t len)
{
	snprintf(buf, len, "0010100000%05d@ims.mnc001.mcc001.3gppnetwork.org", 100 + i);
}

/* One bootstrap: 401 from first_port, answer at answer_port (the same for most). */
static int bootstrap(struct tue *u, const struct client *cl)
{
	static __thread struct tue_resp r;
	char base[64], why[256];
	struct tue_boot b;
	struct tue_chal c;
	struct tue_keys k;
	int rc;

	snprintf(u->base, sizeof(u->base), "http://127.0.0.1:%d", cl->first_port);
	if (cl->first_port == cl->answer_port) {
		rc = tue_bootstrap(u, GBA_QOP_AUTH_INT, &b, why, sizeof(why));
		gba_zeroize(&b, sizeof(b));
		return rc;
	}
	if (tue_first(u, &c))
		return -1;
	tue_card(u, &c, &k);
	snprintf(base, sizeof(base), "http://127.0.0.1:%d", cl->answer_port);
	snprintf(u->base, sizeof(u->base), "%s", base);
	rc = k.card || tue_send_answer(u, &c, &k, NULL, &r) || r.status != 200 ||
	     tue_check_rspauth(u, &c, &k, GBA_QOP_AUTH_INT, &r) ? -1 : 0;
	gba_zeroize(&k, sizeof(k));
	return rc;
}

static void *run(void *arg)
{
	struct client *cl = arg;
	struct tue u;
	char impi[128];

	impi_of(cl->idx, impi, sizeof(impi));
	tue_init(&u, "http://127.0.0.1:1", FQDN, impi, K1, OPC1, GBA_AKA_MILENAGE);
	while (!stop) {
		if (bootstrap(&u, cl) == 0)
			cl->n++;
		else
			cl->errors++;
	}
	tue_free(&u);
	return NULL;
}

/* Bootstraps/s with n clients over the BSFs in 'ports' (1 or 2). */
static double measure(const int *ports, int n_ports, int n, unsigned long *errors)
{
	static struct client cl[MAX_CLIENTS];
	struct timespec t0, t1;
	unsigned long total = 0;

	stop = 0;
	*errors = 0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (int i = 0; i < n; i++) {
		cl[i] = (struct client){ .idx = i, .first_port = ports[i % n_ports],
					 .answer_port = ports[i % n_ports] };
		/* one client in four takes its 401 from one BSF and answers at the other */
		if (n_ports == 2 && i % 4 == 3)
			cl[i].answer_port = ports[(i + 1) % 2];
		pthread_create(&cl[i].th, NULL, run, &cl[i]);
	}
	sleep(SECONDS);
	stop = 1;
	for (int i = 0; i < n; i++) {
		pthread_join(cl[i].th, NULL);
		total += cl[i].n;
		*errors += cl[i].errors;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	return total / ((t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9);
}

static int start_redis(int port)
{
	char path[300];
	FILE *f;

	snprintf(path, sizeof(path), "%s/redis.conf", dir);
	f = fopen(path, "w");
	if (!f)
		return -1;
	fprintf(f, "bind 127.0.0.1\nport %d\ndir %s\nsave \"\"\nappendonly yes\n"
		"appendfsync everysec\ndaemonize no\nlogfile \"%s/redis.log\"\n", port, dir, dir);
	fclose(f);
	redis_pid = fork();
	if (redis_pid == 0) {
		execl(REDIS_BIN, "redis-server", path, (char *)NULL);
		_exit(127);
	}
	for (int i = 0; i < 200 && !port_open(port); i++)
		usleep(25000);
	return port_open(port) ? 0 : -1;
}

static int start_inst(struct inst *in, const char *store, const char *kek)
{
	char ub[64], zn[64], subs[300];
	static char *fq[] = { "*" };
	static struct bsf_naf_acl acl = { .id = BSF_PLAIN_NAF, .fqdns = fq, .n_fqdns = 1 };

	in->ub_port = tue_free_port();
	snprintf(ub, sizeof(ub), "127.0.0.1:%d", in->ub_port);
	snprintf(zn, sizeof(zn), "127.0.0.1:%d", tue_free_port());
	snprintf(subs, sizeof(subs), "%s/subs.conf", dir);
	char *argv[] = { "bench", "--fqdn", FQDN, "--ub-listen", ub, "--zn-listen", zn,
			 "--subscribers", subs, "--store", (char *)store, "--kek-file",
			 (char *)kek, "--zn-allow-plain-http", "--log", "error", "--threads", "2",
			 NULL };

	if (bsf_config_load(&in->cfg, (int)(sizeof(argv) / sizeof(argv[0])) - 1, argv))
		return -1;
	in->cfg.nafs = &acl;
	in->cfg.n_nafs = 1;
	in->bsf.cfg = &in->cfg;
	if (bsf_kek_load(&in->bsf.kek, NULL, in->cfg.kek_file, true) ||
	    bsf_store_open(&in->bsf.store, in->cfg.store) ||
	    zh_auc_open(&in->bsf.zh, in->cfg.subscribers, in->bsf.store, in->cfg.sqn_reserve) ||
	    bsf_http_start(&in->http, &in->bsf))
		return -1;
	return 0;
}

static void stop_inst(struct inst *in)
{
	bsf_http_stop(in->http, 1000);
	zh_close(in->bsf.zh);
	bsf_store_close(in->bsf.store);
	bsf_kek_clear(&in->bsf.kek);
	in->cfg.nafs = NULL;
	in->cfg.n_nafs = 0;
	bsf_config_free(&in->cfg);
}

int main(void)
{
	static struct inst sq, ra, rb;
	char path[300], store[300], kek[300];
	int redis_port, fails = 0, ports[2];
	FILE *f;

	if (access(REDIS_BIN, X_OK)) {
		printf("bench_bsf_redis: %s not installed, skipped\n", REDIS_BIN);
		return 0;
	}
	gba_log_init("bench_bsf_redis", GBA_LOG_STDERR);
	if (!mkdtemp(dir))
		return 1;
	snprintf(path, sizeof(path), "%s/subs.conf", dir);
	f = fopen(path, "w");
	if (!f)
		return 1;
	fprintf(f, "cards = (\n");
	for (int i = 0; i < N_SUBS; i++)
		fprintf(f, "%s{ name = \"b%d\"; iccid = \"89882110000000%05d\";"
			" imsi = \"0010100000%05d\"; mnc_length = 2; algorithm = \"milenage\";"
			" k = \"" K1 "\"; opc = \"" OPC1 "\";"
			" amf = \"8000\"; sqn = 0; ind_bitlen = 0; }\n", i ? "," : "", i, 100 + i,
			100 + i);
	fprintf(f, ");\n");
	fclose(f);
	signal(SIGPIPE, SIG_IGN);
	gba_xml_init();
	curl_global_init(CURL_GLOBAL_DEFAULT);
	redis_port = tue_free_port();
	snprintf(kek, sizeof(kek), "%s/kek", dir);
	snprintf(store, sizeof(store), "sqlite:%s/bsf.db", dir);
	if (start_redis(redis_port) || start_inst(&sq, store, kek)) {
		fprintf(stderr, "bench_bsf_redis: cannot start redis-server or the SQLite BSF\n");
		fails++;
		goto out;
	}
	snprintf(store, sizeof(store), "redis://127.0.0.1:%d/0", redis_port);
	if (start_inst(&ra, store, kek) || start_inst(&rb, store, kek)) {
		fprintf(stderr, "bench_bsf_redis: cannot start the Redis BSFs\n");
		fails++;
		goto out;
	}
	ports[0] = ra.ub_port;
	ports[1] = rb.ub_port;
	for (int c = 2; c <= MAX_CLIENTS; c *= 16) {
		unsigned long e1, e2;
		double s = measure(&sq.ub_port, 1, c, &e1);
		double r = measure(ports, 2, c, &e2);
		double ratio = s > 0 ? r / s : 0;

		printf("bootstraps, %2d clients: two BSFs on Redis %.0f/s vs one BSF on SQLite"
		       " %.0f/s: ratio %.2f (target >= 0.5)%s\n", c, r, s, ratio,
		       e1 || e2 ? " ERRORS" : "");
		printf("TABLE|bootstraps/s, two BSFs on Redis, %d clients|%.0f/s|one BSF on SQLite "
		       "%.0f/s|%.2f|>= 0.5\n", c, r, s, ratio);
		fails += ratio < 0.5 || e1 || e2;
	}
out:
	if (rb.http)
		stop_inst(&rb);
	if (ra.http)
		stop_inst(&ra);
	if (sq.http)
		stop_inst(&sq);
	if (redis_pid > 0) {
		kill(redis_pid, SIGTERM);
		waitpid(redis_pid, NULL, 0);
	}
	curl_global_cleanup();
	snprintf(path, sizeof(path), "rm -rf '%s'", dir);
	if (system(path))
		fails++;
	return fails ? 1 : 0;
}
