/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * libgba-naf throughput against a real gba-bsf (started here: built-in AuC, SQLite store,
 * Zn on plain HTTP so that the baseline compares like with like; one real Ub bootstrap by
 * tests/bsf's test UE):
 *  - TLS-PSK handshakes per second (TLS 1.2, TLS_PSK_WITH_AES_128_CBC_SHA256, key cached)
 *    of a one-thread accept loop using gba_naf_tls_setup(), against stock `openssl s_server
 *    -psk` with the same static key, same client, same run. Target ratio >= 0.9.
 *  - Zn lookups per second through gba_naf_get_key() with the cache bypassed, against a
 *    raw libcurl POST of the same prebuilt request on one keep-alive handle with the answer
 *    parsed by the same codec. Target >= 0.8.
 * Best of ROUNDS interleaved runs of SECONDS each: the machines are shared and noisy.
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

#include <curl/curl.h>
#include <openssl/err.h>
#include <openssl/ssl.h>

#include <gba/kdf.h>
#include <gba/log.h>
#include <gba/naf.h>
#include <gba/zn.h>

#include "tue.h"

#define SECONDS	2
#define ROUNDS	3
#define K1	"465b5ce8b199b49faa5f0a2ee238a6bc"
#define OPC1	"cd63cb71954a9f4e48a5994e37a02baf"
#define IMPI	"001010000000001@ims.mnc001.mcc001.3gppnetwork.org"
#define FQDN	"naf.bench.example"

static struct tue_boot boot;
static uint8_t psk[32];
static struct gba_naf *naf;
static volatile int stop_srv;

static int tcp_connect(int port)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
	int s = socket(AF_INET, SOCK_STREAM, 0);

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (connect(s, (struct sockaddr *)&a, sizeof(a))) {
		close(s);
		return -1;
	}
	return s;
}

static bool port_open(int port)
{
	int s = tcp_connect(port);

	if (s < 0)
		return false;
	close(s);
	return true;
}

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* ---------------------------------------------------------------- TLS-PSK */

static unsigned int cli_psk(SSL *ssl, const char *hint, char *id, unsigned int max_id,
			    unsigned char *out, unsigned int max_psk)
{
	snprintf(id, max_id, "%s", boot.btid);
	memcpy(out, psk, 32);
	return 32;
}

/* Handshakes per second for SECONDS against 127.0.0.1:port (handshake, close_notify, close). */
static double handshakes(int port)
{
	SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());
	unsigned long n = 0;
	double t0;

	SSL_CTX_set_max_proto_version(ctx, TLS1_2_VERSION);
	SSL_CTX_set_cipher_list(ctx, "PSK-AES128-CBC-SHA256");
	SSL_CTX_set_psk_client_callback(ctx, cli_psk);
	t0 = now();
	while (now() - t0 < SECONDS) {
		int fd = tcp_connect(port);
		SSL *s = SSL_new(ctx);

		SSL_set_fd(s, fd);
		SSL_set_tlsext_host_name(s, FQDN);
		if (SSL_connect(s) == 1)
			n++;
		SSL_shutdown(s);
		SSL_free(s);
		close(fd);
		ERR_clear_error();
	}
	SSL_CTX_free(ctx);
	return n / (now() - t0);
}

struct srv {
	int fd;
	SSL_CTX *ctx;
	unsigned long ok;
};

/* One-thread accept loop of an OpenSSL server using libgba-naf (like s_server's loop). */
static void *naf_server(void *arg)
{
	struct srv *v = arg;
	char buf[64];

	while (!stop_srv) {
		int c = accept(v->fd, NULL, NULL);
		SSL *s;

		if (c < 0)
			continue;
		s = SSL_new(v->ctx);
		SSL_set_fd(s, c);
		if (SSL_accept(s) == 1) {
			v->ok++;
			while (SSL_read(s, buf, sizeof(buf)) > 0)
				;
			SSL_shutdown(s);
		}
		SSL_free(s);
		ERR_clear_error();
		close(c);
	}
	return NULL;
}

/* ---------------------------------------------------------------- Zn */

static double zn_library(void)
{
	struct gba_naf_key k;
	unsigned long n = 0;
	double t0 = now();

	while (now() - t0 < SECONDS) {
		if (!gba_naf_get_key(naf, boot.btid, FQDN, gba_naf_ua_http_digest, GBA_NAF_KEY_ME,
				     GBA_NAF_GET_NO_CACHE, &k))
			n++;
		gba_naf_key_wipe(&k);
	}
	return n / (now() - t0);
}

struct rbuf {
	char b[65536];
	size_t len;
};

static size_t sink(char *p, size_t sz, size_t n, void *arg)
{
	struct rbuf *r = arg;

	if (r->len + sz * n > sizeof(r->b))
		return 0;
	memcpy(r->b + r->len, p, sz * n);
	r->len += sz * n;
	return sz * n;
}

/*
 * The essential work without the library: the same prebuilt request POSTed on one keep-alive
 * libcurl handle, the answer parsed with the same codec.
 */
static double zn_raw(const char *url)
{
	struct gba_zn_request req;
	static struct rbuf rb;
	struct curl_slist *h = NULL;
	unsigned long ok = 0;
	double t0, rate;
	char *xml, full[128];
	size_t len;
	CURL *c = curl_easy_init();
	int n;

	memset(&req, 0, sizeof(req));
	snprintf(req.btid, sizeof(req.btid), "%s", boot.btid);
	n = gba_naf_id(req.naf_id, sizeof(req.naf_id), FQDN, GBA_UA_ID_HTTP_DIGEST);
	req.naf_id_len = (size_t)n;
	req.gba_u_aware = true;
	if (gba_zn_request_build(&xml, &len, &req))
		abort();
	h = curl_slist_append(h, "Content-Type: " GBA_ZN_MEDIA_TYPE);
	h = curl_slist_append(h, "SOAPAction: " GBA_ZN_SOAP_ACTION);
	snprintf(full, sizeof(full), "%s%s", url, GBA_ZN_PATH);
	curl_easy_setopt(c, CURLOPT_URL, full);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
	curl_easy_setopt(c, CURLOPT_POSTFIELDS, xml);
	curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, (long)len);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, sink);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &rb);
	t0 = now();
	while (now() - t0 < SECONDS) {
		struct gba_zn_answer a;
		struct gba_zn_fault f;
		long st = 0;

		rb.len = 0;
		memset(&a, 0, sizeof(a));
		if (curl_easy_perform(c) == CURLE_OK &&
		    !curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &st) && st == 200 &&
		    gba_zn_response_parse(&a, &f, rb.b, rb.len, NULL, 0) == GBA_ZN_ANSWER)
			ok++;
		gba_zn_answer_clear(&a);
	}
	rate = ok / (now() - t0);
	curl_slist_free_all(h);
	curl_easy_cleanup(c);
	free(xml);
	return rate;
}

/* ---------------------------------------------------------------- set-up */

static pid_t spawn(char *const argv[], int stdin_fd)
{
	pid_t p = fork();

	if (p == 0) {
		int null = open("/dev/null", O_WRONLY);

		dup2(stdin_fd, 0);
		dup2(null, 1);
		dup2(null, 2);
		execvp(argv[0], argv);
		_exit(127);
	}
	return p;
}

static void reap(pid_t p)
{
	if (p > 0) {
		kill(p, SIGTERM);
		waitpid(p, NULL, 0);
	}
}

int main(int argc, char **argv)
{
	char dir[] = "/tmp/bench_naf.XXXXXX", conf[300], base[64], zn_url[64], pskhex[65], why[256];
	const char *top = getenv("top_builddir");
	char bsf_path[512];
	const char *bsf_bin = getenv("GBA_BSF");
	const char *const fqdns[] = { FQDN, NULL };
	int ub_port = tue_free_port(), zn_port = tue_free_port(), tls_port, ssl_port, pfd[2], fails = 0;
	uint8_t nid[GBA_NAF_ID_MAX], ua[5];
	struct gba_naf_opts o = { .allow_plain_http = true };
	struct gba_naf_key k;
	struct srv v = { 0 };
	pthread_t th;
	pid_t bsf, sserv;
	struct tue u;
	double a, b, z, zr;
	FILE *f;
	int n;

	if (!bsf_bin) {
		snprintf(bsf_path, sizeof(bsf_path), "%s/bsf/gba-bsf", top ? top : "../..");
		bsf_bin = bsf_path;
	}
	gba_log_init("bench_naf", GBA_LOG_STDERR);
	gba_log_set_level(GBA_LL_ERROR);
	signal(SIGPIPE, SIG_IGN);
	if (access(bsf_bin, X_OK) || !mkdtemp(dir)) {
		printf("bench_naf: %s not built: skipped\n", bsf_bin);
		return 0;
	}
	snprintf(conf, sizeof(conf), "%s/subs.conf", dir);
	f = fopen(conf, "w");
	fprintf(f, "cards = ( { name = \"b\"; iccid = \"8988211000000000001\"; imsi = "
		"\"001010000000001\"; mnc_length = 2; algorithm = \"milenage\"; k = \"" K1 "\"; "
		"opc = \"" OPC1 "\"; amf = \"8000\"; sqn = 0; ind_bitlen = 0; gba = true; } );\n");
	fclose(f);
	snprintf(conf, sizeof(conf), "%s/bsf.conf", dir);
	f = fopen(conf, "w");
	fprintf(f, "fqdn = \"bsf.bench.example\";\nub_listen = \"127.0.0.1:%d\";\n"
		"zn_listen = \"127.0.0.1:%d\";\nadmin_listen = \"127.0.0.1:%d\";\n"
		"subscribers = \"%s/subs.conf\";\nstore = \"sqlite:%s/bsf.db\";\nlog = \"error\";\n"
		"zn: { allow_plain_http = true; nafs = ( { id = \"plain\"; fqdns = [ \"" FQDN
		"\" ]; } ); };\n", ub_port, zn_port, tue_free_port(), dir, dir);
	fclose(f);
	{
		char *av[] = { (char *)bsf_bin, "--config", conf, NULL };

		bsf = spawn(av, 0);
	}
	for (n = 0; n < 400 && !(port_open(ub_port) && port_open(zn_port)); n++)
		usleep(25000);
	curl_global_init(CURL_GLOBAL_DEFAULT);
	snprintf(base, sizeof(base), "http://127.0.0.1:%d", ub_port);
	if (tue_init(&u, base, "bsf.bench.example", IMPI, K1, OPC1, GBA_AKA_MILENAGE) ||
	    tue_bootstrap(&u, GBA_QOP_AUTH_INT, &boot, why, sizeof(why))) {
		fprintf(stderr, "bench_naf: bootstrap at gba-bsf failed: %s\n", why);
		reap(bsf);
		return 1;
	}
	tue_free(&u);
	snprintf(zn_url, sizeof(zn_url), "http://127.0.0.1:%d", zn_port);
	o.bsf_url = zn_url;
	if (gba_naf_new(&naf, fqdns, &o))
		return 1;

	/* the PSK: Ks_NAF for NAF_Id = FQDN || 01 00 01 00 ae, as the UE derives it */
	gba_ua_id_tls12(ua, GBA_TLS_PSK_WITH_AES_128_CBC_SHA256);
	n = gba_naf_id(nid, sizeof(nid), FQDN, ua);
	gba_ks_naf(psk, boot.ks, boot.rand, IMPI, nid, (size_t)n);
	gba_hex_encode(pskhex, sizeof(pskhex), psk, 32);
	if (gba_naf_get_key(naf, boot.btid, FQDN, ua, GBA_NAF_KEY_ME, 0, &k) ||
	    memcmp(k.key, psk, 32)) {
		fprintf(stderr, "bench_naf: Zn key differs from the UE's\n");
		return 1;
	}
	gba_naf_key_wipe(&k);

	/* libgba-naf server */
	tls_port = tue_free_port();
	{
		struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(tls_port) };
		int one = 1;

		sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		v.fd = socket(AF_INET, SOCK_STREAM, 0);
		setsockopt(v.fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
		if (bind(v.fd, (struct sockaddr *)&sa, sizeof(sa)) || listen(v.fd, 64))
			return 1;
	}
	v.ctx = SSL_CTX_new(TLS_server_method());
	gba_naf_tls_setup(naf, v.ctx, 0);
	pthread_create(&th, NULL, naf_server, &v);

	/* openssl s_server with the same static PSK; stdin a pipe that stays open */
	ssl_port = tue_free_port();
	if (pipe(pfd))
		return 1;
	{
		char acc[32];
		char *av[] = { "openssl", "s_server", "-accept", acc, "-nocert", "-psk", pskhex,
			       "-psk_identity", boot.btid, "-cipher", "PSK-AES128-CBC-SHA256",
			       "-no_tls1_3", "-quiet", NULL };

		snprintf(acc, sizeof(acc), "127.0.0.1:%d", ssl_port);
		sserv = spawn(av, pfd[0]);
	}
	for (n = 0; n < 200 && !port_open(ssl_port); n++)
		usleep(25000);

	a = b = z = zr = 0;
	for (n = 0; n < ROUNDS; n++) {
		double x = handshakes(ssl_port), y = handshakes(tls_port);

		b = x > b ? x : b;
		a = y > a ? y : a;
	}
	printf("tls_psk_handshakes: %.0f/s (libgba-naf, key cached) vs openssl s_server static PSK "
	       "%.0f/s: ratio %.2f (target >= 0.9)\n", a, b, b > 0 ? a / b : 0);
	printf("TABLE|TLS-PSK handshakes/s (libgba-naf)|%.0f/s|openssl s_server %.0f/s|%.2f|>= 0.9\n",
	       a, b, b > 0 ? a / b : 0);
	fails += !(b > 0 && a / b >= 0.9);
	for (n = 0; n < ROUNDS; n++) {
		double x = zn_raw(zn_url), y = zn_library();

		zr = x > zr ? x : zr;
		z = y > z ? y : z;
	}
	printf("zn_lookups: %.0f/s (gba_naf_get_key, cache bypassed, gba-bsf) vs raw libcurl "
	       "POST + parse %.0f/s: ratio %.2f (target >= 0.8)\n", z, zr, zr > 0 ? z / zr : 0);
	printf("TABLE|Zn lookups/s (gba_naf_get_key, no cache)|%.0f/s|raw libcurl POST + parse "
	       "%.0f/s|%.2f|>= 0.8\n", z, zr, zr > 0 ? z / zr : 0);
	fails += !(zr > 0 && z / zr >= 0.8);

	stop_srv = 1;
	close(tcp_connect(tls_port));
	pthread_join(th, NULL);
	close(v.fd);
	SSL_CTX_free(v.ctx);
	reap(sserv);
	close(pfd[1]);
	reap(bsf);
	gba_naf_free(naf);
	gba_zeroize(psk, sizeof(psk));
	gba_zeroize(&boot, sizeof(boot));
	{
		char cmd[300];

		snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
		if (system(cmd))
			fprintf(stderr, "bench_naf: could not remove %s\n", dir);
	}
	return fails ? 1 : 0;
}
