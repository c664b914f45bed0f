/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * attack: the attacker's side of the tests/attacks scripts, on top of the BSF tests' test
 * UE and test NAF (tests/bsf/tue.c). Every subscriber has the K/OPc of the test profiles.
 *   attack fail UB IMPI wrongres|macfail   one failed authentication: first request, then
 *                                          a wrong RES or an empty-password (MAC failure)
 *                                          answer; prints "STATUS RETRY-AFTER" of the last
 *   attack first UB IMPI                   first request only (unknown IMPI probes)
 *   attack boot UB IMPI                    a full bootstrap; prints "200 B-TID" (rspauth
 *                                          checked) or "STATUS RETRY-AFTER"
 *   attack lookup ZN CERT KEY CA BTID NAF  one Zn lookup (CERT "-": none); prints
 *                                          "STATUS FAULT-CODE"
 *   attack guess ZN CERT KEY CA BTID NAF N  N Zn lookups of B-TIDs near BTID (one character
 *                                          changed near the start or the end of the RAND,
 *                                          other or near-miss BSF FQDN, random RANDs):
 *                                          every answer must be the 5403
 *                                          fault; prints mean times of early and late
 *                                          mismatches; BTID itself must answer 200
 *   attack slowloris PORT N SECS SRC       N connections from source address SRC sending
 *                                          one header byte per second for SECS seconds;
 *                                          prints "OPENED CLOSED-BY-SERVER"
 *   attack idle PORT MAXSECS               a connection that sends nothing: prints the
 *                                          milliseconds until the server closed it (or
 *                                          -1 after MAXSECS)
 * Exit 0 when the step ran as described, 1 otherwise (reason on stderr), 2 for usage.
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <gba/bsfxml.h>

#include "tue.h"

#define K1	"465b5ce8b199b49faa5f0a2ee238a6bc"
#define OPC1	"cd63cb71954a9f4e48a5994e37a02baf"
#define REALM	"bsf.test.example"

static struct tue_resp resp;	/* large: keep it off the stack */

static void print_status(const struct tue_resp *r)
{
	printf("%ld %s\n", r->status, r->retry_after[0] ? r->retry_after : "-");
}

static int first(struct tue *u, struct tue_chal *c)
{
	char authz[1024];

	snprintf(authz, sizeof(authz),
		 "Digest username=\"%s\", realm=\"%s\", nonce=\"\", uri=\"/\", response=\"\"",
		 u->impi, u->realm);
	if (tue_get(u, "/", authz, &resp))
		return -EIO;
	if (resp.status != 401)
		return 1;
	return tue_parse_chal(&resp, c) ? -EPROTO : 0;
}

/* first request, then answer as 'a' says; prints the last status */
static int exchange(struct tue *u, const struct tue_answer *a, bool check_200)
{
	struct tue_chal c;
	struct tue_keys k;
	struct gba_bootinfo bi;
	int rc = first(u, &c);

	if (rc < 0) {
		fprintf(stderr, "attack: first request failed (%d)\n", rc);
		return 1;
	}
	if (rc == 0) {
		tue_card(u, &c, &k);
		rc = k.card == 0 ? tue_send_answer(u, &c, &k, a, &resp) : -EPROTO;
		if (!rc && check_200 && resp.status == 200 &&
		    (tue_check_rspauth(u, &c, &k, GBA_QOP_AUTH_INT, &resp) ||
		     gba_bootinfo_parse(&bi, resp.body, resp.body_len, NULL, 0)))
			rc = -EACCES;
		gba_zeroize(&k, sizeof(k));
		if (rc) {
			fprintf(stderr, "attack: answer failed (%d)\n", rc);
			return 1;
		}
	}
	if (check_200 && resp.status == 200)
		printf("200 %s\n", bi.btid);
	else
		print_status(&resp);
	return 0;
}

static double now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static const char b64[] =
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/* one lookup that must be refused with 5403; returns its time in ms, or -1 */
static double refused(struct tnaf *n, const char *btid, const char *fqdn)
{
	struct gba_zn_answer a;
	struct gba_zn_fault f;
	bool is_fault = false;
	double t0 = now_ms();
	long st;

	memset(&a, 0, sizeof(a));
	memset(&f, 0, sizeof(f));
	st = tnaf_lookup(n, btid, fqdn, true, &a, &f, &is_fault);
	t0 = now_ms() - t0;
	if (st != 404 || !is_fault || f.code != GBA_ZN_ERR_BTID_INVALID || a.impi[0]) {
		fprintf(stderr, "attack: B-TID '%s' answered %ld fault %u impi '%s'\n", btid, st,
			f.code, a.impi);
		gba_zn_answer_clear(&a);
		return -1;
	}
	gba_zn_answer_clear(&a);
	return t0;
}

static int guess(char **argv, int count)
{
	const char *btid = argv[6], *fqdn = argv[7];
	const char *at = strchr(btid, '@');
	struct tnaf n;
	struct gba_zn_answer a;
	struct gba_zn_fault f;
	char g[GBA_BTID_MAX + 64];
	size_t rl = at ? (size_t)(at - btid) : 0;
	double early = 0, late = 0, t;
	unsigned int n_early = 0, n_late = 0, done = 0;
	bool is_fault;
	int rc = 1;

	if (!at || rl < 4 || strlen(btid) >= GBA_BTID_MAX)
		return 2;
	if (tnaf_init(&n, argv[2], argv[3], argv[4], argv[5]))
		return 1;
	srand((unsigned int)time(NULL));
	/* warm-up: the TLS session is set up once */
	if (refused(&n, "AAAAAAAAAAAAAAAAAAAAAA==@" REALM, fqdn) < 0)
		goto out;
	while ((int)done < count) {
		unsigned int kind = done % 8;
		size_t pos;

		strcpy(g, btid);
		if (kind < 3) {		/* early mismatch: one of the first 3 characters */
			pos = done / 8 % 3;
		} else if (kind < 6) {	/* late: the last RAND character */
			pos = rl - 3 + done / 8 % 3;
			if (g[pos] == '=')
				pos = rl - 5;
		} else {
			pos = SIZE_MAX;
		}
		if (pos != SIZE_MAX) {
			char c = b64[rand() % 64];

			g[pos] = c == g[pos] ? (c == 'A' ? 'B' : 'A') : c;
		} else if (kind == 6) {	/* the same RAND under another or a near-miss domain */
			static const char *const dom[] = { "bsf.other.example", "BSF.TEST.EXAMPLE",
							   "bsf.test.exampl", "bsf.test.example.org" };

			snprintf(g, sizeof(g), "%.*s@%s", (int)rl, btid, dom[done / 8 % 4]);
		} else {		/* random RAND */
			for (size_t i = 0; i < 22; i++)
				g[i] = b64[rand() % 64];
			strcpy(g + 22, "==");
			strcat(g, at);
		}
		t = refused(&n, g, fqdn);
		if (t < 0)
			goto out;
		if (kind < 3) {
			early += t;
			n_early++;
		} else if (kind < 6) {
			late += t;
			n_late++;
		}
		done++;
	}
	memset(&a, 0, sizeof(a));
	if (tnaf_lookup(&n, btid, fqdn, false, &a, &f, &is_fault) != 200 || is_fault) {
		fprintf(stderr, "attack: the real B-TID was refused\n");
		goto out;
	}
	gba_zn_answer_clear(&a);
	printf("%u %.3f %.3f\n", done, early / n_early, late / n_late);
	rc = 0;
out:
	tnaf_free(&n);
	return rc;
}

static int lookup(char **argv)
{
	struct tnaf n;
	struct gba_zn_answer a;
	struct gba_zn_fault f;
	bool is_fault = false;
	bool cert = strcmp(argv[3], "-");
	long st;

	if (tnaf_init(&n, argv[2], cert ? argv[3] : NULL, cert ? argv[4] : NULL, argv[5]))
		return 1;
	memset(&a, 0, sizeof(a));
	memset(&f, 0, sizeof(f));
	st = tnaf_lookup(&n, argv[6], argv[7], false, &a, &f, &is_fault);
	printf("%ld %u\n", st, is_fault ? f.code : 0);
	gba_zn_answer_clear(&a);
	tnaf_free(&n);
	return 0;
}

static int tcp_from(const char *src, int port)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port) };
	struct sockaddr_in s = { .sin_family = AF_INET };
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd < 0)
		return -1;
	if (src && (inet_pton(AF_INET, src, &s.sin_addr) != 1 ||
		    bind(fd, (struct sockaddr *)&s, sizeof(s)))) {
		close(fd);
		return -1;
	}
	if (connect(fd, (struct sockaddr *)&a, sizeof(a))) {
		close(fd);
		return -1;
	}
	return fd;
}

/* closed by the peer (EOF, reset or an answer) without blocking? */
static bool peer_closed(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	char b[512];

	if (poll(&p, 1, 0) <= 0)
		return false;
	return recv(fd, b, sizeof(b), MSG_DONTWAIT) <= 0 || (p.revents & (POLLHUP | POLLERR));
}

static int slowloris(int port, int n, int secs, const char *src)
{
	static const char req[] = "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: aaaaaaaaaaaaaaaa"
				  "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
	int *fd = calloc((size_t)n, sizeof(int));
	int opened = 0, closed = 0;

	if (!fd)
		return 1;
	for (int i = 0; i < n; i++) {
		fd[i] = tcp_from(src, port);
		if (fd[i] >= 0)
			opened++;
	}
	for (int s = 0; s < secs && s < (int)sizeof(req) - 1; s++) {
		for (int i = 0; i < n; i++) {
			if (fd[i] < 0)
				continue;
			if (peer_closed(fd[i]) ||
			    send(fd[i], req + s, 1, MSG_NOSIGNAL | MSG_DONTWAIT) != 1) {
				close(fd[i]);
				fd[i] = -1;
				closed++;
			}
		}
		sleep(1);
	}
	for (int i = 0; i < n; i++) {
		if (fd[i] >= 0 && peer_closed(fd[i]))
			closed++;
		if (fd[i] >= 0)
			close(fd[i]);
	}
	free(fd);
	printf("%d %d\n", opened, closed);
	return 0;
}

static int idle(int port, int max)
{
	int fd = tcp_from(NULL, port);
	struct pollfd p = { .fd = fd, .events = POLLIN };
	double t0 = now_ms();
	char b[256];

	if (fd < 0)
		return 1;
	while (now_ms() - t0 < max * 1e3) {
		if (poll(&p, 1, 100) > 0 && recv(fd, b, sizeof(b), 0) <= 0) {
			printf("%.0f\n", now_ms() - t0);
			close(fd);
			return 0;
		}
	}
	printf("-1\n");
	close(fd);
	return 0;
}

int main(int argc, char **argv)
{
	struct tue u;
	const char *cmd = argc > 1 ? argv[1] : "";
	int rc = 2;

	curl_global_init(CURL_GLOBAL_DEFAULT);
	if (!strcmp(cmd, "guess") && argc == 9) {
		rc = guess(argv, atoi(argv[8]));
	} else if (!strcmp(cmd, "lookup") && argc == 8) {
		rc = lookup(argv);
	} else if (!strcmp(cmd, "slowloris") && argc == 6) {
		rc = slowloris(atoi(argv[2]), atoi(argv[3]), atoi(argv[4]), argv[5]);
	} else if (!strcmp(cmd, "idle") && argc == 4) {
		rc = idle(atoi(argv[2]), atoi(argv[3]));
	} else if ((!strcmp(cmd, "fail") && argc == 5) ||
		   ((!strcmp(cmd, "first") || !strcmp(cmd, "boot")) && argc == 4)) {
		if (tue_init(&u, argv[2], REALM, argv[3], K1, OPC1, GBA_AKA_MILENAGE) == 0) {
			struct tue_answer a = { .wrong_res = argc == 5 && !strcmp(argv[4], "wrongres"),
						.empty_password = argc == 5 &&
								  !strcmp(argv[4], "macfail") };
			struct tue_chal c;

			if (!strcmp(cmd, "first")) {
				rc = first(&u, &c) < 0 ? 1 : 0;
				if (!rc)
					print_status(&resp);
			} else {
				rc = exchange(&u, &a, !strcmp(cmd, "boot"));
			}
			tue_free(&u);
		}
	}
	if (rc == 2)
		fprintf(stderr, "usage: attack fail|first|boot|lookup|guess|slowloris|idle ARGS\n");
	curl_global_cleanup();
	return rc;
}
