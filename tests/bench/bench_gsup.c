/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Bootstraps per second through osmo-hlr against osmo-hlr's own SendAuthInfo rate, same
 * run, same number of requests in flight. A private osmo-hlr runs on a random 127.x.y.z
 * (GSUP's port 4222 is fixed) with subscribers put in by contrib/gba-hlr-provision. The
 * baseline is a minimal libosmo-gsup-client load client in this thread that keeps N
 * SendAuthInfo requests (one vector each, one IMSI per slot) in flight; the measured side
 * is gba-bsf in this process (libgbabsf, --zh gsup, SQLite store) with N test UEs (tue.c)
 * doing full Ub bootstraps: first request, 401, USIM algorithm, Digest AKA answer with
 * auth-int, rspauth and body checked. Target at 16 in flight: bootstraps/s >= 0.8 x
 * SendAuthInfo/s (the BSF must not be the bottleneck). One in flight is printed without a
 * target: it measures latency, and each bootstrap adds two HTTP round trips to the
 * SendAuthInfo. Skips (exit 0) when osmo-hlr is not installed.
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
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

#include <osmocom/core/application.h>
#include <osmocom/core/logging.h>
#include <osmocom/core/msgb.h>
#include <osmocom/core/select.h>
#include <osmocom/core/talloc.h>
#include <osmocom/core/timer.h>
#include <osmocom/gsm/gsup.h>
#include <osmocom/gsupclient/gsup_client.h>

#include <gba/log.h>
#include <gba/xmlutil.h>

#include "bsf.h"
#include "http.h"
#include "tue.h"

#define MAX_FLIGHT	16
#define SECONDS		3
#define K1	"465b5ce8b199b49faa5f0a2ee238a6bc"
#define OPC1	"cd63cb71954a9f4e48a5994e37a02baf"

static char hlr_addr[INET_ADDRSTRLEN];
static int ub_port;
static volatile int stop;

static void imsi_of(unsigned int i, char *buf, size_t len)
{
	snprintf(buf, len, "0010100000%05u", (300 + i) % 100000);
}

static double now_s(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

/* ---- osmo-hlr */

static bool hlr_listening(void)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(4222) };
	int s = socket(AF_INET, SOCK_STREAM, 0);
	bool ok;

	inet_pton(AF_INET, hlr_addr, &a.sin_addr);
	ok = s >= 0 && connect(s, (struct sockaddr *)&a, sizeof(a)) == 0;
	if (s >= 0)
		close(s);
	return ok;
}

static pid_t hlr_start(const char *dir)
{
	char cfg[512], db[512], log[512];
	FILE *f;
	pid_t pid;

	snprintf(cfg, sizeof(cfg), "%s/osmo-hlr.cfg", dir);
	snprintf(db, sizeof(db), "%s/hlr.db", dir);
	snprintf(log, sizeof(log), "%s/osmo-hlr.log", dir);
	f = fopen(cfg, "w");
	if (!f)
		return -1;
	fprintf(f, "log stderr\n logging filter all 1\n logging color 0\n logging level main notice\n"
		" logging level auc notice\nline vty\n bind %s 4258\nctrl\n bind %s\nhlr\n gsup\n"
		"  bind ip %s\n", hlr_addr, hlr_addr, hlr_addr);
	fclose(f);
	pid = fork();
	if (pid == 0) {
		int fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0600);

		dup2(fd, 1);
		dup2(fd, 2);
		execlp("osmo-hlr", "osmo-hlr", "-c", cfg, "-l", db, (char *)NULL);
		_exit(127);
	}
	for (int i = 0; pid > 0 && i < 250; i++) {
		int st;

		if (hlr_listening())
			return pid;
		if (waitpid(pid, &st, WNOHANG) == pid)
			return -1;
		usleep(20000);
	}
	return -1;
}

static int provision(const char *dir, int n)
{
	const char *src = getenv("top_srcdir"), *bld = getenv("top_builddir");
	char path[512], cmd[2048];
	FILE *f;

	snprintf(path, sizeof(path), "%s/subs.conf", dir);
	f = fopen(path, "w");
	if (!f)
		return -1;
	fprintf(f, "cards = (\n");
	for (int i = 0; i < n; i++) {
		char imsi[16];

		imsi_of(i, imsi, sizeof(imsi));
		fprintf(f, "%s{ name = \"g%d\"; iccid = \"89882110000000%05d\"; imsi = \"%s\";"
			" mnc_length = 2; algorithm = \"milenage\"; k = \"" K1 "\"; opc = \"" OPC1
			"\"; amf = \"8000\"; sqn = 0; ind_bitlen = 0; }\n", i ? "," : "", i, 300 + i,
			imsi);
	}
	fprintf(f, ");\n");
	fclose(f);
	snprintf(cmd, sizeof(cmd), "'%s/contrib/gba-hlr-provision' --host %s --gba-profile "
		 "'%s/contrib/gba-profile' '%s' > '%s/prov.log' 2>&1", src ? src : "../..",
		 hlr_addr, bld ? bld : "../..", path, dir);
	return system(cmd) == 0 ? 0 : -1;
}

/* ---- baseline: N SendAuthInfo requests in flight from a minimal GSUP client */

struct load {
	struct osmo_gsup_client *c;
	bool up, done;
	int flight;
	unsigned long n, errors;
};

static void load_send(struct load *l, const char *imsi)
{
	struct osmo_gsup_message m = {
		.message_type = OSMO_GSUP_MSGT_SEND_AUTH_INFO_REQUEST,
		.num_auth_vectors = 1,
	};

	OSMO_STRLCPY_ARRAY(m.imsi, imsi);
	if (osmo_gsup_client_enc_send(l->c, &m))
		l->errors++;
	else
		l->flight++;
}

static int load_read(struct osmo_gsup_client *c, struct msgb *msg)
{
	struct load *l = c->data;
	struct osmo_gsup_message m;

	l->flight--;
	if (osmo_gsup_decode(msgb_l2(msg), msgb_l2len(msg), &m) == 0 &&
	    m.message_type == OSMO_GSUP_MSGT_SEND_AUTH_INFO_RESULT && m.num_auth_vectors == 1)
		l->n++;
	else
		l->errors++;
	if (!stop)
		load_send(l, m.imsi);
	msgb_free(msg);
	return 0;
}

static bool load_updown(struct osmo_gsup_client *c, bool up)
{
	struct load *l = c->data;

	l->up = up;
	return true;
}

static void load_stop(void *arg)
{
	stop = 1;
}

static double measure_hlr(struct load *l, int flight, unsigned long *errors)
{
	struct osmo_timer_list t;
	double t0, t1;

	stop = 0;
	l->n = l->errors = 0;
	osmo_timer_setup(&t, load_stop, NULL);
	osmo_timer_schedule(&t, SECONDS, 0);
	t0 = now_s();
	for (int i = 0; i < flight; i++) {
		char imsi[16];

		imsi_of(i, imsi, sizeof(imsi));
		load_send(l, imsi);
	}
	while (!stop)
		osmo_select_main(0);
	t1 = now_s();
	/* let the last answers arrive before the BSF run */
	for (double end = t1 + 2; l->flight > 0 && now_s() < end;)
		osmo_select_main(1);
	*errors = l->errors;
	return l->n / (t1 - t0);
}

/* ---- measured: full bootstraps through gba-bsf --zh gsup */

struct client {
	pthread_t th;
	int idx;
	unsigned long n, errors;
};

static void *boot_loop(void *arg)
{
	struct client *cl = arg;
	char base[64], impi[128], imsi[16], why[256];
	struct tue_boot b;
	struct tue u;

	snprintf(base, sizeof(base), "http://127.0.0.1:%d", ub_port);
	imsi_of(cl->idx, imsi, sizeof(imsi));
	snprintf(impi, sizeof(impi), "%s@ims.mnc001.mcc001.3gppnetwork.org", imsi);
	tue_init(&u, base, "bsf.bench.example", impi, K1, OPC1, GBA_AKA_MILENAGE);
	while (!stop) {
		if (tue_bootstrap(&u, GBA_QOP_AUTH_INT, &b, why, sizeof(why)) == 0) {
			cl->n++;
		} else {
			if (!cl->errors)
				fprintf(stderr, "bootstrap %s: %s\n", impi, why);
			cl->errors++;
		}
		gba_zeroize(&b, sizeof(b));
	}
	tue_free(&u);
	return NULL;
}

static double measure_bsf(int flight, unsigned long *errors)
{
	static struct client cl[MAX_FLIGHT];
	unsigned long total = 0;
	double t0, t1;

	stop = 0;
	*errors = 0;
	t0 = now_s();
	for (int i = 0; i < flight; i++) {
		cl[i] = (struct client){ .idx = i };
		pthread_create(&cl[i].th, NULL, boot_loop, &cl[i]);
	}
	sleep(SECONDS);
	stop = 1;
	for (int i = 0; i < flight; i++) {
		pthread_join(cl[i].th, NULL);
		total += cl[i].n;
		*errors += cl[i].errors;
	}
	t1 = now_s();
	return total / (t1 - t0);
}

int main(void)
{
	static const struct log_info_cat cat[] = {
		[0] = { .name = "DBENCH", .enabled = 1, .loglevel = LOGL_FATAL },
	};
	static const struct log_info info = { .cat = cat, .num_cat = 1 };
	char dir[] = "/tmp/bench_gsup.XXXXXX", store[300], ub[64], zn[64], zh[64];
	static struct bsf_config cfg;
	static struct bsf bsf = { .cfg = &cfg };
	static struct ipaccess_unit ipa = { .unit_name = "GBA-BENCH-LOAD" };
	struct osmo_gsup_client_config gc = {
		.ipa_dev = &ipa, .tcp_port = 4222, .read_cb = load_read, .up_down_cb = load_updown,
	};
	struct load load = { 0 };
	struct bsf_http *http = NULL;
	unsigned int r;
	pid_t hlr;
	int fails = 0;

	gba_log_init("bench_gsup", GBA_LOG_STDERR);
	gba_log_parse_spec("error");
	osmo_init_logging2(NULL, &info);
	log_set_log_level(osmo_stderr_target, LOGL_FATAL);
	if (!mkdtemp(dir))
		return 1;
	if (gba_random((uint8_t *)&r, sizeof(r)))
		return 1;
	snprintf(hlr_addr, sizeof(hlr_addr), "127.%u.%u.%u", 2 + (r & 0xff) % 250,
		 2 + (r >> 8 & 0xff) % 250, 2 + (r >> 16 & 0xff) % 250);
	hlr = hlr_start(dir);
	if (hlr < 0) {
		printf("bench_gsup: osmo-hlr not installed or not starting: skipped\n");
		goto out;
	}
	if (provision(dir, MAX_FLIGHT)) {
		fprintf(stderr, "bench_gsup: gba-hlr-provision failed (see %s/prov.log)\n", dir);
		fails++;
		goto out;
	}

	/* the BSF, in this process */
	ub_port = tue_free_port();
	snprintf(store, sizeof(store), "sqlite:%s/bsf.db", dir);
	snprintf(ub, sizeof(ub), "127.0.0.1:%d", ub_port);
	snprintf(zn, sizeof(zn), "127.0.0.1:%d", tue_free_port());
	snprintf(zh, sizeof(zh), "gsup:%s", hlr_addr);
	{
		char *argv[] = { "bench", "--fqdn", "bsf.bench.example", "--ub-listen", ub,
				 "--zn-listen", zn, "--subscribers", "", "--store", store,
				 "--zn-allow-plain-http", "--log", "error", "--threads", "2",
				 "--zh", zh, "--gsup-name", "GBA-BSF-BENCH", NULL };

		if (bsf_config_load(&cfg, (int)(sizeof(argv) / sizeof(argv[0])) - 1, argv))
			return 1;
	}
	gba_xml_init();
	if (bsf_kek_load(&bsf.kek, NULL, cfg.kek_file, true) ||
	    bsf_store_open(&bsf.store, cfg.store) ||
	    zh_gsup_open(&bsf.zh, cfg.zh + 5, cfg.gsup_name, NULL) ||
	    bsf_http_start(&http, &bsf)) {
		fails++;
		goto out;
	}
	curl_global_init(CURL_GLOBAL_DEFAULT);

	/* the load client, in this thread's select loop */
	gc.ip_addr = hlr_addr;
	gc.data = &load;
	load.c = osmo_gsup_client_create3(NULL, &gc);
	for (double end = now_s() + 5; load.c && !load.up && now_s() < end;)
		osmo_select_main(1);
	/* up_down_cb fires before the IPA identity exchange: give it a moment */
	for (double end = now_s() + 0.2; now_s() < end;)
		osmo_select_main(1);
	if (!load.up) {
		fprintf(stderr, "bench_gsup: load client not connected\n");
		fails++;
		goto out;
	}

	for (int f = 1; f <= MAX_FLIGHT; f *= MAX_FLIGHT) {
		unsigned long e0, e1, e2;
		/* the baseline before and after, against drift of a shared machine */
		double h0 = measure_hlr(&load, f, &e0);
		double b = measure_bsf(f, &e1);
		double h1 = measure_hlr(&load, f, &e2);
		double h = (h0 + h1) / 2, ratio = b / h;

		/* one in flight is latency: two HTTP round trips on top of each SendAuthInfo */
		printf("gsup bootstraps, %2d in flight: %.0f/s vs osmo-hlr SendAuthInfo %.0f/s "
		       "(%.0f before, %.0f after): ratio %.2f (%s)%s\n", f, b, h, h0, h1, ratio,
		       f > 1 ? "target >= 0.8" : "latency, no target",
		       e0 || e1 || e2 ? " ERRORS" : "");
		printf("TABLE|bootstraps/s through osmo-hlr, %d in flight|%.0f/s|osmo-hlr "
		       "SendAuthInfo %.0f/s|%.2f|%s\n", f, b, h, ratio, f > 1 ? ">= 0.8" : "-");
		fails += (f > 1 && ratio < 0.8) + (e0 || e1 || e2);
	}
out:
	if (load.c)
		osmo_gsup_client_destroy(load.c);
	bsf_http_stop(http, 1000);
	zh_close(bsf.zh);
	bsf_store_close(bsf.store);
	bsf_kek_clear(&bsf.kek);
	bsf_config_free(&cfg);
	curl_global_cleanup();
	if (hlr > 0) {
		kill(hlr, SIGTERM);
		waitpid(hlr, NULL, 0);
	}
	{
		char cmd[128];

		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
		if (fails == 0 && system(cmd))
			fails++;
	}
	if (fails)
		fprintf(stderr, "bench_gsup: work directory kept: %s\n", dir);
	return fails ? 1 : 0;
}
