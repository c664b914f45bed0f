/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The real gba-bsf as a libgba-naf test fixture (bsf_fixture.h): writes its configuration
 * and subscriber profiles to a private directory, starts it, waits for Zn, bootstraps with
 * tests/bsf/tue.c, reads its /metrics with libcurl.
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>

#include <gba/kdf.h>

#include "bsf_fixture.h"
#include "tue.h"

#define FX_K	"465b5ce8b199b49faa5f0a2ee238a6bc"
#define FX_OPC	"cd63cb71954a9f4e48a5994e37a02baf"
#define FX_BSF	"bsf.example.org"
#define FX_IMPI(n) "00101000000000" n "@ims.mnc001.mcc001.3gppnetwork.org"

static int write_file(const char *dir, const char *name, const char *text)
{
	char path[128];
	FILE *fp;
	int rc;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (!(fp = fopen(path, "w")))	/* umask 077 (bsf_fx_start): profiles hold K */
		return -1;
	rc = fputs(text, fp) < 0;
	return fclose(fp) || rc ? -1 : 0;
}

static int write_config(struct bsf_fx *f, const char *const *fqdns, unsigned int ub,
			unsigned int adm)
{
	static const char cards[] =
		"cards = (\n"
		"  { name = \"fx1\"; iccid = \"8988211000000000001\"; imsi = \"001010000000001\";\n"
		"    algorithm = \"milenage\"; k = \"" FX_K "\"; opc = \"" FX_OPC "\";\n"
		"    gba = true; },\n"
		"  { name = \"fx2\"; iccid = \"8988211000000000002\"; imsi = \"001010000000002\";\n"
		"    algorithm = \"milenage\"; k = \"" FX_K "\"; opc = \"" FX_OPC "\";\n"
		"    gba = true; gba_u = true; },\n"
		"  { name = \"fx3\"; iccid = \"8988211000000000003\"; imsi = \"001010000000003\";\n"
		"    algorithm = \"milenage\"; k = \"" FX_K "\"; opc = \"" FX_OPC "\";\n"
		"    gba = true; key_lifetime = 4; }\n"
		");\n";
	char conf[2048], list[512] = "";
	size_t n = 0;

	for (; *fqdns; fqdns++)
		n += snprintf(list + n, sizeof(list) - n, "%s\"%s\"", n ? ", " : "", *fqdns);
	snprintf(conf, sizeof(conf),
		 "fqdn = \"" FX_BSF "\";\n"
		 "ub_listen = \"127.0.0.1:%u\";\n"
		 "zn_listen = \"127.0.0.1:%u\";\n"
		 "admin_listen = \"127.0.0.1:%u\";\n"
		 "subscribers = \"%s/subscribers.conf\";\n"
		 "store = \"sqlite:%s/bsf.db\";\n"
		 "kek_file = \"%s/bsf.kek\";\n"
		 "log = \"notice\";\n"
		 "zn: { allow_plain_http = true;\n"
		 "      nafs = ( { id = \"plain\"; fqdns = [ %s ]; } ); };\n",
		 ub, f->zn_port, adm, f->dir, f->dir, f->dir, list);
	return write_file(f->dir, "subscribers.conf", cards) ||
	       write_file(f->dir, "bsf.conf", conf) ? -1 : 0;
}

static bool port_open(unsigned int port)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port) };
	int s = socket(AF_INET, SOCK_STREAM, 0);
	bool ok;

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ok = s >= 0 && !connect(s, (struct sockaddr *)&a, sizeof(a));
	if (s >= 0)
		close(s);
	return ok;
}

static int spawn(struct bsf_fx *f)
{
	const char *top = getenv("top_builddir");
	char bin[512], conf[128], log[128];
	int fd;

	snprintf(bin, sizeof(bin), "%s/bsf/gba-bsf", top ? top : "../..");
	snprintf(conf, sizeof(conf), "%s/bsf.conf", f->dir);
	snprintf(log, sizeof(log), "%s/bsf.log", f->dir);
	f->pid = fork();
	if (f->pid < 0)
		return -1;
	if (f->pid == 0) {
		fd = open(log, O_WRONLY | O_CREAT | O_APPEND, 0600);
		if (fd >= 0) {
			dup2(fd, 1);
			dup2(fd, 2);
		}
		execl(bin, "gba-bsf", "--config", conf, (char *)NULL);
		_exit(127);
	}
	for (int i = 0; i < 200; i++) {
		if (port_open(f->zn_port))
			return 0;
		if (waitpid(f->pid, NULL, WNOHANG) == f->pid) {
			f->pid = 0;
			break;
		}
		usleep(50000);
	}
	fprintf(stderr, "bsf_fixture: %s did not start (log %s)\n", bin, log);
	return -1;
}

static int boot(struct bsf_fx *f, struct bsf_fx_sess *s, const char *impi, bool gba_u)
{
	static struct tue u;	/* large */
	struct tue_boot b;
	char why[256];
	int rc;

	if (tue_init(&u, f->ub_url, FX_BSF, impi, FX_K, FX_OPC, GBA_AKA_MILENAGE))
		return -1;
	if (gba_u)	/* TS 24.109 5.2.1: the UE announces GBA_U in its User-Agent */
		snprintf(u.ua, sizeof(u.ua), "gbakit-test-ue/1.0 3gpp-gba-uicc");
	rc = tue_bootstrap(&u, GBA_QOP_AUTH_INT, &b, why, sizeof(why));
	tue_free(&u);
	if (rc) {
		fprintf(stderr, "bsf_fixture: bootstrap of %s: %s\n", impi, why);
		return -1;
	}
	memset(s, 0, sizeof(*s));
	snprintf(s->btid, sizeof(s->btid), "%s", b.btid);
	snprintf(s->impi, sizeof(s->impi), "%s", impi);
	memcpy(s->rand, b.rand, sizeof(s->rand));
	memcpy(s->ks, b.ks, sizeof(s->ks));
	s->gba_u = gba_u;
	gba_zeroize(&b, sizeof(b));
	return 0;
}

static struct bsf_fx *running;

/* A failed check assertion exits the test's process without its teardown. */
static void at_exit(void)
{
	if (running)
		bsf_fx_free(running);
}

int bsf_fx_start(struct bsf_fx *f, const char *const *fqdns)
{
	static bool registered;
	unsigned int ub, adm;

	memset(f, 0, sizeof(*f));
	if (!registered)
		registered = !atexit(at_exit);
	running = f;
	umask(077);
	snprintf(f->dir, sizeof(f->dir), "/tmp/gba-naf-fx.XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	ub = (unsigned int)tue_free_port();
	f->zn_port = (unsigned int)tue_free_port();
	adm = (unsigned int)tue_free_port();
	snprintf(f->ub_url, sizeof(f->ub_url), "http://127.0.0.1:%u", ub);
	snprintf(f->zn_url, sizeof(f->zn_url), "http://127.0.0.1:%u", f->zn_port);
	snprintf(f->metrics_url, sizeof(f->metrics_url), "http://127.0.0.1:%u/metrics", adm);
	if (write_config(f, fqdns, ub, adm) || spawn(f) ||
	    boot(f, &f->me, FX_IMPI("1"), false) || boot(f, &f->gu, FX_IMPI("2"), true) ||
	    boot(f, &f->shortlived, FX_IMPI("3"), false))
		return -1;
	return 0;
}

void bsf_fx_stop(struct bsf_fx *f)
{
	if (f->pid <= 0)
		return;
	kill(f->pid, SIGTERM);
	waitpid(f->pid, NULL, 0);
	f->pid = 0;
}

void bsf_fx_free(struct bsf_fx *f)
{
	static const char *const files[] = { "bsf.conf", "subscribers.conf", "bsf.db",
		"bsf.db-wal", "bsf.db-shm", "bsf.kek", "bsf.log", NULL };
	char path[128];

	bsf_fx_stop(f);
	if (running == f)
		running = NULL;
	if (!f->dir[0])
		return;
	for (const char *const *n = files; *n; n++) {
		snprintf(path, sizeof(path), "%s/%s", f->dir, *n);
		unlink(path);
	}
	rmdir(f->dir);
	gba_zeroize(f, sizeof(*f));
}

struct buf {
	char b[65536];
	size_t n;
};

static size_t collect(char *p, size_t sz, size_t nm, void *arg)
{
	struct buf *b = arg;
	size_t len = sz * nm;

	if (len > sizeof(b->b) - 1 - b->n)
		return 0;
	memcpy(b->b + b->n, p, len);
	b->n += len;
	b->b[b->n] = '\0';
	return len;
}

long bsf_fx_zn_count(struct bsf_fx *f, const char *result)
{
	static const char metric[] = "gba_bsf_zn_lookups_total{result=\"";
	static struct buf b;
	CURL *c = curl_easy_init();
	long sum = 0;
	char *p;

	b.n = 0;
	b.b[0] = '\0';
	if (!c)
		return -1;
	curl_easy_setopt(c, CURLOPT_URL, f->metrics_url);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, collect);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &b);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 5L);
	if (curl_easy_perform(c) != CURLE_OK) {
		curl_easy_cleanup(c);
		return -1;
	}
	curl_easy_cleanup(c);
	for (p = strstr(b.b, metric); p; p = strstr(p + 1, metric)) {
		const char *r = p + sizeof(metric) - 1, *q = strchr(r, '"');

		if (!q || q[1] != '}')
			return -1;
		if (!result || ((size_t)(q - r) == strlen(result) && !strncmp(r, result, q - r)))
			sum += strtol(q + 2, NULL, 10);
	}
	return sum;
}

int bsf_fx_key(const struct bsf_fx_sess *s, const char *fqdn, const uint8_t ua[5], bool uicc,
	       uint8_t out[32])
{
	uint8_t id[GBA_NAF_ID_MAX];
	int n = gba_naf_id(id, sizeof(id), fqdn, ua);

	if (n < 0)
		return n;
	return uicc ? gba_ks_int_naf(out, s->ks, s->rand, s->impi, id, (size_t)n) :
		      gba_ks_naf(out, s->ks, s->rand, s->impi, id, (size_t)n);
}
