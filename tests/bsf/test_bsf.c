/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Integration test of gba-bsf: starts the daemon on random 127.0.0.1 ports with a private
 * store, subscriber profiles and a test PKI (openssl req), and drives it with the test UE
 * and test NAFs of tue.c through every row of the issue's matrix: qop auth-int and auth,
 * wrong RES, wrong/foreign/stale/replayed nonce, wrong opaque/realm/uri, resync, MAC-failure
 * report, unknown IMPI, a second bootstrap replacing the first, expired B-TID on Zn, a B-TID
 * of another BSF, an unauthorised NAF, GBA_U-aware and unaware NAFs (keys compared with the
 * UE's own derivation), 40 malformed requests, SIGHUP reload, kill -9 restart with every
 * B-TID still resolving and no SQN reused, /metrics and SIGTERM.
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <check.h>

#include <gba/kdf.h>
#include <gba/log.h>

#include "tue.h"

#define FQDN	"bsf.test.example"
#define K1	"465b5ce8b199b49faa5f0a2ee238a6bc"
#define OPC1	"cd63cb71954a9f4e48a5994e37a02baf"
#define KX	"000102030405060708090a0b0c0d0e0f"
#define N_SUBS	40

static char dir[256], bsf_bin[512];
static int ub_port, zn_port, admin_port;
static pid_t bsf_pid;
static char ub_base[64], zn_url[128], cert_dir[300];
static struct tue ues[N_SUBS + 100];

/* ---------------------------------------------------------------- fixture */

/* check cannot report outside a test: set-up failures print and exit */
#define NEED(x) do { \
		if (!(x)) { \
			fprintf(stderr, "test_bsf: set-up failed: %s (line %d)\n", #x, __LINE__); \
			exit(1); \
		} \
	} while (0)

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

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	if (!f || fputs(text, f) < 0 || fclose(f))
		abort();
}

static const char *imsi_of(int i, char *buf)
{
	snprintf(buf, 16, "0010100000%05u", (unsigned int)(100 + i) % 100000);
	return buf;
}

static const char *impi_of(int i, char *buf)
{
	char imsi[16];

	sprintf(buf, "%s@ims.mnc001.mcc001.3gppnetwork.org", imsi_of(i, imsi));
	return buf;
}

/* Subscribers: 0..N_SUBS-1 MILENAGE GBA_ME; index 30 GBA_U; 31 XOR; 32 lifetime 2 s. */
static void write_profiles(const char *path, int first, int last)
{
	FILE *f = fopen(path, "w");
	char imsi[16];

	fprintf(f, "cards = (\n");
	for (int i = first; i <= last; i++) {
		fprintf(f, "%s{ name = \"t%d\"; iccid = \"89882110000000%05d\"; imsi = \"%s\";"
			" mnc_length = 2; algorithm = \"%s\"; k = \"%s\";", i > first ? "," : "",
			i, 100 + i, imsi_of(i, imsi), i == 31 ? "xor" : "milenage",
			i == 31 ? KX : K1);
		if (i != 31)
			fprintf(f, " opc = \"%s\";", OPC1);
		fprintf(f, " amf = \"8000\"; sqn = 0; ind_bitlen = %d; gba = true; gba_u = %s;",
			i == 31 ? 5 : 0, i == 30 ? "true" : "false");
		if (i == 32)
			fprintf(f, " key_lifetime = 2;");
		fprintf(f, " }\n");
	}
	fprintf(f, ");\n");
	fclose(f);
}

static void make_pki(void)
{
	char cmd[4096];
	static const char *const names[] = { "bsf", "naf1", "naf2" };
	static const char *const cns[] = { "127.0.0.1", "naf1.test", "naf2.test" };

	snprintf(cmd, sizeof(cmd), "cd %s && openssl req -x509 -newkey ec -pkeyopt "
		 "ec_paramgen_curve:prime256v1 -nodes -keyout ca.key -out ca.pem -subj /CN=test-ca "
		 "-days 2 >/dev/null 2>&1", cert_dir);
	NEED(system(cmd) == 0);
	for (int i = 0; i < 3; i++) {
		snprintf(cmd, sizeof(cmd), "cd %s && printf 'basicConstraints=CA:FALSE\\n"
			 "subjectAltName=DNS:%s\\n' > %s.ext && openssl req -newkey ec -pkeyopt "
			 "ec_paramgen_curve:prime256v1 -nodes -keyout %s.key -out %s.csr -subj /CN=%s "
			 ">/dev/null 2>&1 && openssl x509 -req -in %s.csr -CA ca.pem -CAkey ca.key "
			 "-CAcreateserial -out %s.pem -days 2 -extfile %s.ext >/dev/null 2>&1",
			 cert_dir, i ? cns[i] : "localhost", names[i], names[i], names[i], cns[i],
			 names[i], names[i], names[i]);
		NEED(system(cmd) == 0);
	}
}

static void write_config(void)
{
	char path[400], text[4096];

	snprintf(text, sizeof(text),
		 "fqdn = \"" FQDN "\";\n"
		 "ub_listen = \"127.0.0.1:%d\";\nzn_listen = \"127.0.0.1:%d\";\n"
		 "admin_listen = \"127.0.0.1:%d\";\n"
		 "subscribers = \"%s/profiles\";\nstore = \"sqlite:%s/bsf.db\";\n"
		 "challenge_lifetime = 2;\nmax_auth_failures = 3;\nthreads = 2;\n"
		 "log = \"info\";\n"
		 "zn: {\n cert = \"%s/bsf.pem\";\n key = \"%s/bsf.key\";\n"
		 " client_ca = \"%s/ca.pem\";\n"
		 " nafs = ( { id = \"naf1.test\"; fqdns = [ \"naf1.test\", \"naf1b.test\" ]; },\n"
		 "          { id = \"naf2.test\"; fqdns = [ \"naf2.test\" ]; } );\n};\n",
		 ub_port, zn_port, admin_port, dir, dir, cert_dir, cert_dir, cert_dir);
	snprintf(path, sizeof(path), "%s/bsf.conf", dir);
	write_file(path, text);
}

static void start_bsf(void)
{
	char conf[400], log[400];

	snprintf(conf, sizeof(conf), "%s/bsf.conf", dir);
	snprintf(log, sizeof(log), "%s/bsf.log", dir);
	bsf_pid = fork();
	if (bsf_pid == 0) {
		int fd = open(log, O_WRONLY | O_CREAT | O_APPEND, 0600);

		dup2(fd, 1);
		dup2(fd, 2);
		execl(bsf_bin, "gba-bsf", "--config", conf, (char *)NULL);
		_exit(127);
	}
	for (int i = 0; i < 400 && !(port_open(ub_port) && port_open(zn_port) &&
				     port_open(admin_port)); i++)
		usleep(25000);
	if (!port_open(ub_port) || !port_open(zn_port))
		fprintf(stderr, "gba-bsf did not start (see %s)\n", log);
	NEED(port_open(ub_port) && port_open(zn_port));
}

static int stop_bsf(int sig)
{
	int st = -1;

	kill(bsf_pid, sig);
	waitpid(bsf_pid, &st, 0);
	bsf_pid = 0;
	return st;
}

static struct tue *ue(int i)
{
	struct tue *u = &ues[i];
	char impi[128];

	if (!u->curl) {
		ck_assert_int_eq(tue_init(u, ub_base, FQDN, impi_of(i, impi), i == 31 ? KX : K1,
					  i == 31 ? NULL : OPC1,
					  i == 31 ? GBA_AKA_XOR : GBA_AKA_MILENAGE), 0);
	}
	return u;
}

static void boot(int i, enum gba_digest_qop qop, struct tue_boot *b)
{
	char why[256] = "";

	ck_assert_msg(tue_bootstrap(ue(i), qop, b, why, sizeof(why)) == 0, "bootstrap %d: %s", i,
		      why);
}

static struct tnaf naf1, naf2, nocert;

static long zn(struct tnaf *n, const char *btid, const char *fqdn, bool aware,
	       struct gba_zn_answer *a, struct gba_zn_fault *f, bool *is_fault)
{
	memset(a, 0, sizeof(*a));
	memset(f, 0, sizeof(*f));
	return tnaf_lookup(n, btid, fqdn, aware, a, f, is_fault);
}

/* The NAF keys the UE derives itself. */
static void ue_keys(const struct tue_boot *b, const char *impi, const char *fqdn,
		    uint8_t me[32], uint8_t uicc[32])
{
	uint8_t nid[GBA_NAF_ID_MAX];
	int n = gba_naf_id(nid, sizeof(nid), fqdn, GBA_UA_ID_HTTP_DIGEST);

	ck_assert_int_gt(n, 0);
	ck_assert_int_eq(gba_ks_naf(me, b->ks, b->rand, impi, nid, n), 0);
	ck_assert_int_eq(gba_ks_int_naf(uicc, b->ks, b->rand, impi, nid, n), 0);
}

/* ---------------------------------------------------------------- Ub rows */

START_TEST(qop_auth_int)
{
	struct tue_boot b;

	boot(0, GBA_QOP_AUTH_INT, &b);
	ck_assert_ptr_nonnull(strstr(b.btid, "@" FQDN));
	ck_assert_int_gt(b.lifetime, time(NULL) + 3600);
}
END_TEST

START_TEST(qop_auth)
{
	struct tue_boot b;

	boot(1, GBA_QOP_AUTH, &b);
	ck_assert_ptr_nonnull(strstr(b.btid, "@" FQDN));
}
END_TEST

START_TEST(xor_res16)
{
	struct tue_boot b;

	boot(31, GBA_QOP_AUTH_INT, &b);	/* RES of 16 octets */
}
END_TEST

static struct tue_resp r;

START_TEST(wrong_res)
{
	struct tue *u = ue(2);
	struct tue_chal c;
	struct tue_keys k;
	struct tue_answer a = { .wrong_res = true };

	ck_assert_int_eq(tue_first(u, &c), 0);
	for (int i = 1; i <= 3; i++) {
		tue_card(u, &c, &k);
		ck_assert_int_eq(k.card, 0);
		ck_assert_int_eq(tue_send_answer(u, &c, &k, &a, &r), 0);
		if (i < 3) {
			ck_assert_int_eq(r.status, 401);
			ck_assert_int_eq(tue_parse_chal(&r, &c), 0);
			ck_assert(!c.stale);
		} else {
			ck_assert_int_eq(r.status, 403);
		}
	}
	/* a fresh bootstrap still works */
	{
		struct tue_boot b;

		boot(2, GBA_QOP_AUTH_INT, &b);
	}
}
END_TEST

START_TEST(wrong_res_then_right)
{
	struct tue *u = ue(3);
	struct tue_chal c;
	struct tue_keys k;
	struct tue_answer a = { .wrong_res = true };

	ck_assert_int_eq(tue_first(u, &c), 0);
	tue_card(u, &c, &k);
	ck_assert_int_eq(tue_send_answer(u, &c, &k, &a, &r), 0);
	ck_assert_int_eq(r.status, 401);
	ck_assert_int_eq(tue_parse_chal(&r, &c), 0);
	tue_card(u, &c, &k);
	ck_assert_int_eq(tue_send_answer(u, &c, &k, NULL, &r), 0);
	ck_assert_int_eq(r.status, 200);
	ck_assert_int_eq(tue_check_rspauth(u, &c, &k, GBA_QOP_AUTH_INT, &r), 0);
}
END_TEST

START_TEST(foreign_nonce)
{
	struct tue *u = ue(4);
	struct tue_chal c, f;
	struct tue_keys k;
	uint8_t bin[44];
	char fake[80];

	ck_assert_int_eq(tue_first(u, &c), 0);
	tue_card(u, &c, &k);
	/* RAND || AUTN of ours, server data forged: not issued by this BSF */
	ck_assert_int_eq(gba_b64_decode(bin, sizeof(bin), c.nonce, strlen(c.nonce)), 44);
	bin[43] ^= 1;
	gba_b64_encode(fake, sizeof(fake), bin, sizeof(bin));
	f = c;
	snprintf(f.nonce, sizeof(f.nonce), "%s", fake);
	ck_assert_int_eq(tue_send_answer(u, &f, &k, NULL, &r), 0);
	ck_assert_int_eq(r.status, 401);
	ck_assert_int_eq(tue_parse_chal(&r, &f), 0);
	ck_assert(!f.stale);
	/* a nonce in some other BSF's format */
	gba_b64_encode(fake, sizeof(fake), bin, 32);
	snprintf(f.nonce, sizeof(f.nonce), "%s", fake);
	ck_assert_int_eq(tue_send_answer(u, &f, &k, NULL, &r), 0);
	ck_assert_int_eq(r.status, 401);
	ck_assert_int_eq(tue_parse_chal(&r, &f), 0);
	ck_assert(!f.stale);
}
END_TEST

START_TEST(wrong_nonce)
{
	struct tue *u = ue(4);
	struct tue_chal c;
	struct tue_keys k;
	struct tue_answer a = { .nonce = "bm90IGFuIEFLQSBub25jZQ==" };	/* 16 octets */

	ck_assert_int_eq(tue_first(u, &c), 0);
	tue_card(u, &c, &k);
	ck_assert_int_eq(tue_send_answer(u, &c, &k, &a, &r), 0);
	ck_assert_int_eq(r.status, 400);
}
END_TEST

START_TEST(replayed_nonce)
{
	struct tue *u = ue(5);
	struct tue_chal c, c2;
	struct tue_keys k;
	char authz[4200];

	ck_assert_int_eq(tue_first(u, &c), 0);
	tue_card(u, &c, &k);
	ck_assert_int_eq(tue_authz(u, &c, &k, NULL, authz, sizeof(authz)), 0);
	ck_assert_int_eq(tue_get(u, "/", authz, &r), 0);
	ck_assert_int_eq(r.status, 200);
	ck_assert_int_eq(tue_get(u, "/", authz, &r), 0);
	ck_assert_int_eq(r.status, 401);
	ck_assert_int_eq(tue_parse_chal(&r, &c2), 0);
	ck_assert(c2.stale);
}
END_TEST

START_TEST(stale_nonce)
{
	struct tue *u = ue(6);
	struct tue_chal c, c2;
	struct tue_keys k;

	ck_assert_int_eq(tue_first(u, &c), 0);
	tue_card(u, &c, &k);
	sleep(3);	/* challenge_lifetime = 2 */
	ck_assert_int_eq(tue_send_answer(u, &c, &k, NULL, &r), 0);
	ck_assert_int_eq(r.status, 401);
	ck_assert_int_eq(tue_parse_chal(&r, &c2), 0);
	ck_assert(c2.stale);
	/* the UE just answers the new challenge */
	tue_card(u, &c2, &k);
	ck_assert_int_eq(k.card, 0);
	ck_assert_int_eq(tue_send_answer(u, &c2, &k, NULL, &r), 0);
	ck_assert_int_eq(r.status, 200);
}
END_TEST

static void mismatch(int sub, const struct tue_answer *a, long want)
{
	struct tue *u = ue(sub);
	struct tue_chal c;
	struct tue_keys k;

	ck_assert_int_eq(tue_first(u, &c), 0);
	tue_card(u, &c, &k);
	ck_assert_int_eq(tue_send_answer(u, &c, &k, a, &r), 0);
	ck_assert_int_eq(r.status, want);
	if (want == 401) {
		ck_assert_int_eq(tue_parse_chal(&r, &c), 0);
		ck_assert(!c.stale);
	}
}

START_TEST(wrong_opaque)
{
	struct tue_answer a = { .opaque = "00112233445566778899aabbccddeeff" };

	mismatch(7, &a, 401);
}
END_TEST

START_TEST(wrong_realm)
{
	struct tue_answer a = { .realm = "other.realm.example" };

	mismatch(7, &a, 401);
}
END_TEST

START_TEST(wrong_uri)
{
	/* uri parameter differs from the request line: RFC 7616 3.4.6 -> 400 */
	struct tue_answer a = { .uri = "/elsewhere", .req_uri = "/" };
	/* consistent, but not the URI that was challenged -> new challenge */
	struct tue_answer b = { .uri = "/elsewhere" };

	mismatch(8, &a, 400);
	mismatch(8, &b, 401);
}
END_TEST

START_TEST(wrong_username)
{
	char other[128];
	struct tue_answer a = { .username = impi_of(9, other) };

	mismatch(7, &a, 401);
}
END_TEST

START_TEST(resync)
{
	struct tue *u = ue(10);
	struct tue_chal c;
	struct tue_keys k;
	struct tue_boot b;
	uint64_t ahead = 1000000;

	u->sqn_ms = ahead;	/* the card is far ahead of the AuC */
	ck_assert_int_eq(tue_first(u, &c), 0);
	tue_card(u, &c, &k);
	ck_assert_int_eq(k.card, 1);
	ck_assert_int_eq(tue_send_answer(u, &c, &k, NULL, &r), 0);
	ck_assert_int_eq(r.status, 401);
	ck_assert_int_eq(tue_parse_chal(&r, &c), 0);
	tue_card(u, &c, &k);
	ck_assert_int_eq(k.card, 0);
	ck_assert_uint_gt(u->sqn_ms, ahead);
	ck_assert_int_eq(tue_send_answer(u, &c, &k, NULL, &r), 0);
	ck_assert_int_eq(r.status, 200);
	/* and the AuC stays ahead */
	boot(10, GBA_QOP_AUTH_INT, &b);
}
END_TEST

START_TEST(resync_bad_auts)
{
	struct tue *u = ue(11);
	struct tue_chal c;
	struct tue_keys k;

	u->sqn_ms = 5000;
	ck_assert_int_eq(tue_first(u, &c), 0);
	tue_card(u, &c, &k);
	ck_assert_int_eq(k.card, 1);
	k.auts[13] ^= 1;	/* MAC-S wrong */
	ck_assert_int_eq(tue_send_answer(u, &c, &k, NULL, &r), 0);
	ck_assert_int_eq(r.status, 403);
	u->sqn_ms = 0;
}
END_TEST

START_TEST(mac_failure)
{
	struct tue *u = ue(12);
	struct tue_chal c;
	struct tue_keys k;
	struct tue_answer a = { .empty_password = true };

	ck_assert_int_eq(tue_first(u, &c), 0);
	tue_card(u, &c, &k);
	ck_assert_int_eq(tue_send_answer(u, &c, &k, &a, &r), 0);
	ck_assert_int_eq(r.status, 403);
}
END_TEST

START_TEST(unknown_impi)
{
	struct tue u;
	struct tue_chal c;

	ck_assert_int_eq(tue_init(&u, ub_base, FQDN, "999990000000001@ims.mnc999.mcc999.3gppnetwork.org",
				  K1, OPC1, GBA_AKA_MILENAGE), 0);
	ck_assert_int_eq(tue_first(&u, &c), -EPROTO);
	ck_assert_int_eq(c.status, 403);
	tue_free(&u);
}
END_TEST

/* ---------------------------------------------------------------- Zn rows */

static struct gba_zn_answer za;
static struct gba_zn_fault zf;

START_TEST(second_bootstrap_replaces)
{
	struct tue_boot b1, b2;
	bool fault;
	char impi[128];
	uint8_t me[32], uicc[32];

	boot(13, GBA_QOP_AUTH_INT, &b1);
	ck_assert_int_eq(zn(&naf1, b1.btid, "naf1.test", false, &za, &zf, &fault), 200);
	ck_assert(!fault);
	gba_zn_answer_clear(&za);
	boot(13, GBA_QOP_AUTH_INT, &b2);
	ck_assert_str_ne(b1.btid, b2.btid);
	ck_assert_int_eq(zn(&naf1, b1.btid, "naf1.test", false, &za, &zf, &fault), 404);
	ck_assert(fault);
	ck_assert_uint_eq(zf.code, GBA_ZN_ERR_BTID_INVALID);
	ck_assert_int_eq(zn(&naf1, b2.btid, "naf1.test", false, &za, &zf, &fault), 200);
	ue_keys(&b2, impi_of(13, impi), "naf1.test", me, uicc);
	ck_assert(!memcmp(za.me_key, me, 32));
	gba_zn_answer_clear(&za);
}
END_TEST

START_TEST(zn_gba_me)
{
	struct tue_boot b;
	bool fault;
	char impi[128];
	uint8_t me[32], uicc[32];

	boot(14, GBA_QOP_AUTH_INT, &b);
	for (int aware = 0; aware < 2; aware++) {
		ck_assert_int_eq(zn(&naf1, b.btid, "naf1b.test", aware, &za, &zf, &fault), 200);
		ue_keys(&b, impi_of(14, impi), "naf1b.test", me, uicc);
		ck_assert(!memcmp(za.me_key, me, 32));
		ck_assert(!za.has_uicc_key);
		ck_assert_int_eq(za.uicc_me, GBA_ZN_UICC_ME_GBA_ME);
		ck_assert_str_eq(za.impi, impi);
		ck_assert_int_eq(za.key_expiry, b.lifetime);
		gba_zn_answer_clear(&za);
	}
}
END_TEST

START_TEST(zn_gba_u)
{
	struct tue *u = ue(30);
	struct tue_boot b;
	bool fault;
	char impi[128];
	uint8_t me[32], uicc[32];

	snprintf(u->ua, sizeof(u->ua), "gbakit-test-ue/1.0 3gpp-gba-uicc");
	boot(30, GBA_QOP_AUTH_INT, &b);
	ue_keys(&b, impi_of(30, impi), "naf2.test", me, uicc);
	/* GBA_U-aware NAF: Ks_ext_NAF and Ks_int_NAF */
	ck_assert_int_eq(zn(&naf2, b.btid, "naf2.test", true, &za, &zf, &fault), 200);
	ck_assert_int_eq(za.uicc_me, GBA_ZN_UICC_ME_GBA_U);
	ck_assert(!memcmp(za.me_key, me, 32));
	ck_assert(za.has_uicc_key);
	ck_assert(!memcmp(za.uicc_key, uicc, 32));
	ck_assert(memcmp(za.uicc_key, za.me_key, 32));
	/* the profile's key_lifetime (7200 s default here: none) or the BSF default */
	gba_zn_answer_clear(&za);
	/* unaware NAF: Ks_ext_NAF only */
	ck_assert_int_eq(zn(&naf2, b.btid, "naf2.test", false, &za, &zf, &fault), 200);
	ck_assert_int_eq(za.uicc_me, GBA_ZN_UICC_ME_GBA_U);
	ck_assert(!memcmp(za.me_key, me, 32));
	ck_assert(!za.has_uicc_key);
	gba_zn_answer_clear(&za);
	/* the same subscriber with a UE without 3gpp-gba-uicc is GBA_ME */
	snprintf(u->ua, sizeof(u->ua), "gbakit-test-ue/1.0 3gpp-gba");
	boot(30, GBA_QOP_AUTH_INT, &b);
	ck_assert_int_eq(zn(&naf2, b.btid, "naf2.test", true, &za, &zf, &fault), 200);
	ck_assert_int_eq(za.uicc_me, GBA_ZN_UICC_ME_GBA_ME);
	ck_assert(!za.has_uicc_key);
	gba_zn_answer_clear(&za);
}
END_TEST

START_TEST(zn_expired)
{
	struct tue_boot b;
	bool fault;

	boot(32, GBA_QOP_AUTH_INT, &b);	/* key_lifetime = 2 */
	ck_assert_int_le(b.lifetime, time(NULL) + 2);
	ck_assert_int_eq(zn(&naf1, b.btid, "naf1.test", false, &za, &zf, &fault), 200);
	gba_zn_answer_clear(&za);
	sleep(3);
	ck_assert_int_eq(zn(&naf1, b.btid, "naf1.test", false, &za, &zf, &fault), 404);
	ck_assert(fault);
	ck_assert_uint_eq(zf.code, GBA_ZN_ERR_BTID_INVALID);
}
END_TEST

START_TEST(zn_unknown_and_foreign)
{
	struct tue_boot b;
	bool fault;
	char other[GBA_BTID_MAX + 1];

	ck_assert_int_eq(zn(&naf1, "AAAAAAAAAAAAAAAAAAAAAA==@" FQDN, "naf1.test", false, &za, &zf,
			    &fault), 404);
	ck_assert(fault);
	ck_assert_uint_eq(zf.code, GBA_ZN_ERR_BTID_INVALID);
	/* a B-TID of another BSF, even with the RAND of one of ours */
	boot(15, GBA_QOP_AUTH_INT, &b);
	snprintf(other, sizeof(other), "%.*s@bsf.other.example", (int)(strchr(b.btid, '@') - b.btid),
		 b.btid);
	ck_assert_int_eq(zn(&naf1, other, "naf1.test", false, &za, &zf, &fault), 404);
	ck_assert(fault);
	ck_assert_uint_eq(zf.code, GBA_ZN_ERR_BTID_INVALID);
}
END_TEST

START_TEST(zn_unauthorised)
{
	struct tue_boot b;
	bool fault;

	boot(16, GBA_QOP_AUTH_INT, &b);
	/* naf2 asks for naf1's key */
	ck_assert_int_eq(zn(&naf2, b.btid, "naf1.test", false, &za, &zf, &fault), 403);
	ck_assert(fault);
	ck_assert_uint_eq(zf.code, GBA_ZN_ERR_NOT_AUTHORIZED);
	/* an FQDN nobody may ask for */
	ck_assert_int_eq(zn(&naf1, b.btid, "evil.test", false, &za, &zf, &fault), 403);
	ck_assert_uint_eq(zf.code, GBA_ZN_ERR_NOT_AUTHORIZED);
	/* no client certificate */
	ck_assert_int_eq(zn(&nocert, b.btid, "naf1.test", false, &za, &zf, &fault), 403);
	ck_assert_uint_eq(zf.code, GBA_ZN_ERR_NOT_AUTHORIZED);
}
END_TEST

START_TEST(zn_malformed)
{
	ck_assert_int_eq(tnaf_post_raw(&naf1, "<x/>", 4, &r), 400);
	ck_assert_int_eq(tnaf_post_raw(&naf1, "not xml", 7, &r), 400);
}
END_TEST

/* ---------------------------------------------------------------- 40 malformed requests */

struct bad {
	const char *name;
	const char *req;	/* %A: a valid first-request Authorization; %N/%O: live nonce/opaque */
};

#define AUTHF "Authorization: Digest username=\"%I\", realm=\"" FQDN "\", nonce=\"\", uri=\"/\", response=\"\"\r\n"
#define LIVE(extra) "Authorization: Digest username=\"%I\", realm=\"" FQDN "\", nonce=\"%N\", " \
	"uri=\"/\", response=\"00112233445566778899aabbccddeeff\"" extra "\r\n"

static const struct bad bads[] = {
	{ "no Authorization", "GET / HTTP/1.1\r\n" },
	{ "two Authorization", "GET / HTTP/1.1\r\n" AUTHF AUTHF },
	{ "Basic scheme", "GET / HTTP/1.1\r\nAuthorization: Basic dXNlcjpwYXNz\r\n" },
	{ "Digest without params", "GET / HTTP/1.1\r\nAuthorization: Digest\r\n" },
	{ "no username", "GET / HTTP/1.1\r\nAuthorization: Digest realm=\"r\", nonce=\"\", uri=\"/\", response=\"\"\r\n" },
	{ "no uri", "GET / HTTP/1.1\r\nAuthorization: Digest username=\"%I\", realm=\"r\", nonce=\"\", response=\"\"\r\n" },
	{ "no realm", "GET / HTTP/1.1\r\nAuthorization: Digest username=\"%I\", nonce=\"\", uri=\"/\", response=\"\"\r\n" },
	{ "no nonce", "GET / HTTP/1.1\r\nAuthorization: Digest username=\"%I\", realm=\"r\", uri=\"/\", response=\"\"\r\n" },
	{ "no response", "GET / HTTP/1.1\r\nAuthorization: Digest username=\"%I\", realm=\"r\", nonce=\"\", uri=\"/\"\r\n" },
	{ "duplicate username", "GET / HTTP/1.1\r\nAuthorization: Digest username=\"%I\", username=\"%I\", realm=\"r\", nonce=\"\", uri=\"/\", response=\"\"\r\n" },
	{ "duplicate realm other case", "GET / HTTP/1.1\r\nAuthorization: Digest username=\"%I\", realm=\"r\", Realm=\"r\", nonce=\"\", uri=\"/\", response=\"\"\r\n" },
	{ "unterminated quote", "GET / HTTP/1.1\r\nAuthorization: Digest username=\"%I, realm=\"r\", nonce=\"\", uri=\"/\", response=\"\r\n" },
	{ "empty username", "GET / HTTP/1.1\r\nAuthorization: Digest username=\"\", realm=\"r\", nonce=\"\", uri=\"/\", response=\"\"\r\n" },
	{ "username with space", "GET / HTTP/1.1\r\nAuthorization: Digest username=\"a b@x\", realm=\"r\", nonce=\"\", uri=\"/\", response=\"\"\r\n" },
	{ "username too long", "GET / HTTP/1.1\r\nAuthorization: Digest username=\"%L\", realm=\"r\", nonce=\"\", uri=\"/\", response=\"\"\r\n" },
	{ "algorithm MD5", "GET / HTTP/1.1\r\nAuthorization: Digest username=\"%I\", realm=\"r\", nonce=\"\", uri=\"/\", response=\"\", algorithm=MD5\r\n" },
	{ "algorithm AKAv2", "GET / HTTP/1.1\r\nAuthorization: Digest username=\"%I\", realm=\"r\", nonce=\"\", uri=\"/\", response=\"\", algorithm=AKAv2-MD5\r\n" },
	{ "uri differs from request", "GET / HTTP/1.1\r\nAuthorization: Digest username=\"%I\", realm=\"r\", nonce=\"\", uri=\"/x\", response=\"\"\r\n" },
	{ "method POST", "POST / HTTP/1.1\r\nContent-Length: 0\r\n" AUTHF },
	{ "method PUT", "PUT / HTTP/1.1\r\nContent-Length: 0\r\n" AUTHF },
	{ "method DELETE", "DELETE / HTTP/1.1\r\n" AUTHF },
	{ "method OPTIONS", "OPTIONS / HTTP/1.1\r\n" AUTHF },
	{ "huge Authorization", "GET / HTTP/1.1\r\nAuthorization: Digest username=\"%I\", realm=\"r\", nonce=\"\", uri=\"/\", response=\"\", x=\"%H\"\r\n" },
	{ "too many params", "GET / HTTP/1.1\r\nAuthorization: Digest username=\"%I\", realm=\"r\", nonce=\"\", uri=\"/\", response=\"\", a=1, b=2, c=3, d=4, e=5, f=6, g=7, h=8, i=9, j=10, k=11, l=12, m=13, n=14, o=15, p=16, q=17, s=19, t=20, v=21\r\n" },
	{ "bad nc", LIVE(", qop=auth-int, nc=zz, cnonce=\"abc\", opaque=\"%O\"") },
	{ "nc too long", LIVE(", qop=auth-int, nc=000000001, cnonce=\"abc\", opaque=\"%O\"") },
	{ "qop without nc", LIVE(", qop=auth-int, cnonce=\"abc\", opaque=\"%O\"") },
	{ "qop without cnonce", LIVE(", qop=auth-int, nc=00000001, opaque=\"%O\"") },
	{ "unknown qop", LIVE(", qop=bogus, nc=00000001, cnonce=\"abc\", opaque=\"%O\"") },
	{ "no qop", LIVE(", opaque=\"%O\"") },
	{ "no opaque", LIVE(", qop=auth-int, nc=00000001, cnonce=\"abc\"") },
	{ "bad base64 nonce", "GET / HTTP/1.1\r\nAuthorization: Digest username=\"%I\", realm=\"r\", nonce=\"!!!!\", uri=\"/\", qop=auth-int, nc=00000001, cnonce=\"a\", response=\"00112233445566778899aabbccddeeff\", opaque=\"o\"\r\n" },
	{ "short nonce", "GET / HTTP/1.1\r\nAuthorization: Digest username=\"%I\", realm=\"r\", nonce=\"AAAAAAAAAAA=\", uri=\"/\", qop=auth-int, nc=00000001, cnonce=\"a\", response=\"00112233445566778899aabbccddeeff\", opaque=\"o\"\r\n" },
	{ "bad base64 auts", LIVE(", qop=auth-int, nc=00000001, cnonce=\"abc\", opaque=\"%O\", auts=\"@@@@\"") },
	{ "auts wrong length", LIVE(", qop=auth-int, nc=00000001, cnonce=\"abc\", opaque=\"%O\", auts=\"AAAAAAAAAAAAAA==\"") },
	{ "response not hex", "GET / HTTP/1.1\r\nAuthorization: Digest username=\"%I\", realm=\"" FQDN "\", nonce=\"%N\", uri=\"/\", response=\"not-hex-at-all-not-hex-at-all-zz\", qop=auth-int, nc=00000001, cnonce=\"abc\", opaque=\"%O\"\r\n" },
	{ "control character", "GET / HTTP/1.1\r\nAuthorization: Digest username=\"%I\x01\", realm=\"r\", nonce=\"\", uri=\"/\", response=\"\"\r\n" },
	{ "param without value", "GET / HTTP/1.1\r\nAuthorization: Digest username, realm=\"r\", nonce=\"\", uri=\"/\", response=\"\"\r\n" },
	{ "body too large", "GET / HTTP/1.1\r\nContent-Length: 70000\r\n" AUTHF },
	{ "garbage after params", "GET / HTTP/1.1\r\nAuthorization: Digest username=\"%I\" realm=\"r\" nonce=\"\"\r\n" },
};

static int raw_request(const char *req, size_t len, char *resp, size_t resplen)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(ub_port) };
	int s = socket(AF_INET, SOCK_STREAM, 0);
	size_t o = 0;
	ssize_t n;

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (connect(s, (struct sockaddr *)&a, sizeof(a))) {
		close(s);
		return -1;
	}
	for (size_t w = 0; w < len; w += (size_t)n) {
		n = write(s, req + w, len - w);
		if (n <= 0)
			break;
	}
	shutdown(s, SHUT_WR);
	while (o + 1 < resplen && (n = read(s, resp + o, resplen - 1 - o)) > 0)
		o += (size_t)n;
	resp[o] = '\0';
	close(s);
	return atoi(resp + 9 < resp + o ? resp + 9 : "0");
}

static char *expand(const char *tpl, const char *impi, const struct tue_chal *c)
{
	size_t cap = strlen(tpl) + 8192 + 200000;
	char *out = malloc(cap), *p = out;

	for (const char *t = tpl; *t; t++) {
		if (*t != '%') {
			*p++ = *t;
			continue;
		}
		t++;
		if (*t == 'I')
			p += sprintf(p, "%s", impi);
		else if (*t == 'N')
			p += sprintf(p, "%s", c->nonce);
		else if (*t == 'O')
			p += sprintf(p, "%s", c->opaque);
		else if (*t == 'L')
			p += sprintf(p, "%0300d@x", 1);
		else if (*t == 'H') {
			memset(p, 'h', 5000);
			p += 5000;
		}
	}
	p += sprintf(p, "Host: 127.0.0.1\r\nUser-Agent: t 3gpp-gba\r\nConnection: close\r\n\r\n");
	*p = '\0';
	return out;
}

START_TEST(malformed)
{
	char impi[128], resp[8192];
	struct tue_chal c;
	struct tue_boot b;
	int n_rows = (int)(sizeof(bads) / sizeof(bads[0]));

	ck_assert_int_ge(n_rows, 40);
	impi_of(17, impi);
	for (int i = 0; i < n_rows; i++) {
		char *req;
		size_t len;
		int st;

		memset(&c, 0, sizeof(c));
		if (strstr(bads[i].req, "%N"))
			ck_assert_int_eq(tue_first(ue(17), &c), 0);
		req = expand(bads[i].req, impi, &c);
		len = strlen(req);
		if (strstr(bads[i].name, "body too large")) {
			req = realloc(req, len + 70000);
			memset(req + len, 'b', 70000);
			len += 70000;
		}
		st = raw_request(req, len, resp, sizeof(resp));
		free(req);
		ck_assert_msg(st == 400, "row %d (%s): status %d, want 400: %.200s", i,
			      bads[i].name, st, resp);
	}
	/* still serving */
	boot(17, GBA_QOP_AUTH_INT, &b);
}
END_TEST

/* ---------------------------------------------------------------- operations */

START_TEST(metrics)
{
	char resp[65536];
	const char req[] = "GET /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
	int port = ub_port, st;

	ub_port = admin_port;
	st = raw_request(req, sizeof(req) - 1, resp, sizeof(resp));
	ub_port = port;
	ck_assert_int_eq(st, 200);
	ck_assert_ptr_nonnull(strstr(resp, "gba_bsf_bootstraps_total{status=\"200\",reason=\"ok\"}"));
	ck_assert_ptr_null(strstr(resp, "reason=\"ok\"} 0\n"));
	ck_assert_ptr_nonnull(strstr(resp, "gba_bsf_zn_lookups_total{result=\"ok\"}"));
	ck_assert_ptr_nonnull(strstr(resp, "gba_bsf_resyncs_total{result=\"ok\"} "));
	ck_assert_ptr_nonnull(strstr(resp, "gba_bsf_ub_duration_seconds_bucket{le=\"+Inf\"}"));
}
END_TEST

START_TEST(sighup_reload)
{
	char path[400];
	struct tue_chal c;
	struct tue_boot b;

	/* subscriber 33 is not provisioned yet */
	ck_assert_int_eq(tue_first(ue(33), &c), -EPROTO);
	ck_assert_int_eq(c.status, 403);
	snprintf(path, sizeof(path), "%s/profiles/more.conf", dir);
	write_profiles(path, 33, 35);
	kill(bsf_pid, SIGHUP);
	for (int i = 0; i < 100; i++) {
		usleep(50000);
		if (tue_first(ue(33), &c) == 0)
			break;
	}
	ck_assert_int_eq(c.status, 401);
	boot(33, GBA_QOP_AUTH_INT, &b);
	/* old subscribers keep their SQN: the card accepts the next vector without resync */
	boot(0, GBA_QOP_AUTH_INT, &b);
}
END_TEST

START_TEST(restart)
{
	struct tue_boot b[8];
	uint8_t keys[8][32];
	uint64_t sqn_before[8];
	bool fault;
	int subs[8] = { 18, 19, 20, 21, 22, 23, 24, 25 };

	for (int i = 0; i < 8; i++) {
		/* several vectors each, so the reserved SQN ranges are in use */
		for (int j = 0; j < 3; j++)
			boot(subs[i], GBA_QOP_AUTH_INT, &b[i]);
		ck_assert_int_eq(zn(&naf1, b[i].btid, "naf1.test", false, &za, &zf, &fault), 200);
		memcpy(keys[i], za.me_key, 32);
		gba_zn_answer_clear(&za);
		sqn_before[i] = ue(subs[i])->sqn_ms;
	}
	ck_assert_int_eq(WIFSIGNALED(stop_bsf(SIGKILL)), 1);
	start_bsf();
	for (int i = 0; i < 8; i++) {
		struct tue_boot nb;

		ck_assert_int_eq(zn(&naf1, b[i].btid, "naf1.test", false, &za, &zf, &fault), 200);
		ck_assert_msg(!memcmp(za.me_key, keys[i], 32), "B-TID %s: other key after restart",
			      b[i].btid);
		gba_zn_answer_clear(&za);
		/* new vectors: SQN past everything handed out before, no resync needed */
		{
			struct tue_chal c;
			struct tue_keys k;

			ck_assert_int_eq(tue_first(ue(subs[i]), &c), 0);
			tue_card(ue(subs[i]), &c, &k);
			ck_assert_int_eq(k.card, 0);
			ck_assert_uint_gt(ue(subs[i])->last_sqn, sqn_before[i]);
			ck_assert_int_eq(tue_send_answer(ue(subs[i]), &c, &k, NULL, &r), 0);
			ck_assert_int_eq(r.status, 200);
		}
		boot(subs[i], GBA_QOP_AUTH, &nb);
	}
	/* the XOR subscriber with IND bits too */
	boot(31, GBA_QOP_AUTH_INT, &b[0]);
}
END_TEST

START_TEST(sigterm)
{
	int st = stop_bsf(SIGTERM);

	ck_assert(WIFEXITED(st));
	ck_assert_int_eq(WEXITSTATUS(st), 0);
}
END_TEST

static void setup_all(void)
{
	char tmpl[] = "/tmp/gba-bsf-test.XXXXXX", path[400];
	const char *b = getenv("top_builddir");

	NEED(mkdtemp(tmpl));
	snprintf(dir, sizeof(dir), "%s", tmpl);
	snprintf(cert_dir, sizeof(cert_dir), "%s", dir);
	snprintf(bsf_bin, sizeof(bsf_bin), "%s/bsf/gba-bsf", b ? b : "../..");
	snprintf(path, sizeof(path), "%s/profiles", dir);
	mkdir(path, 0700);
	snprintf(path, sizeof(path), "%s/profiles/test.conf", dir);
	write_profiles(path, 0, 32);
	make_pki();
	ub_port = tue_free_port();
	zn_port = tue_free_port();
	admin_port = tue_free_port();
	write_config();
	snprintf(ub_base, sizeof(ub_base), "http://127.0.0.1:%d", ub_port);
	snprintf(zn_url, sizeof(zn_url), "https://127.0.0.1:%d" GBA_ZN_PATH, zn_port);
	start_bsf();
	{
		char c1[400], k1[400], c2[400], k2[400], ca[400];

		snprintf(ca, sizeof(ca), "%s/ca.pem", cert_dir);
		snprintf(c1, sizeof(c1), "%s/naf1.pem", cert_dir);
		snprintf(k1, sizeof(k1), "%s/naf1.key", cert_dir);
		snprintf(c2, sizeof(c2), "%s/naf2.pem", cert_dir);
		snprintf(k2, sizeof(k2), "%s/naf2.key", cert_dir);
		NEED(tnaf_init(&naf1, zn_url, c1, k1, ca) == 0);
		NEED(tnaf_init(&naf2, zn_url, c2, k2, ca) == 0);
		NEED(tnaf_init(&nocert, zn_url, NULL, NULL, ca) == 0);
	}
}

int main(void)
{
	Suite *s = suite_create("gba-bsf");
	TCase *tc = tcase_create("matrix");
	SRunner *sr;
	int failed;
	char cmd[600];

	if (system("openssl version >/dev/null 2>&1")) {
		printf("SKIP: openssl not installed\n");
		return 77;
	}
	curl_global_init(CURL_GLOBAL_DEFAULT);
	setup_all();
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, qop_auth_int);
	tcase_add_test(tc, qop_auth);
	tcase_add_test(tc, xor_res16);
	tcase_add_test(tc, wrong_res);
	tcase_add_test(tc, wrong_res_then_right);
	tcase_add_test(tc, foreign_nonce);
	tcase_add_test(tc, wrong_nonce);
	tcase_add_test(tc, replayed_nonce);
	tcase_add_test(tc, stale_nonce);
	tcase_add_test(tc, wrong_opaque);
	tcase_add_test(tc, wrong_realm);
	tcase_add_test(tc, wrong_uri);
	tcase_add_test(tc, wrong_username);
	tcase_add_test(tc, resync);
	tcase_add_test(tc, resync_bad_auts);
	tcase_add_test(tc, mac_failure);
	tcase_add_test(tc, unknown_impi);
	tcase_add_test(tc, second_bootstrap_replaces);
	tcase_add_test(tc, zn_gba_me);
	tcase_add_test(tc, zn_gba_u);
	tcase_add_test(tc, zn_expired);
	tcase_add_test(tc, zn_unknown_and_foreign);
	tcase_add_test(tc, zn_unauthorised);
	tcase_add_test(tc, zn_malformed);
	tcase_add_test(tc, malformed);
	tcase_add_test(tc, metrics);
	tcase_add_test(tc, sighup_reload);
	tcase_add_test(tc, restart);
	tcase_add_test(tc, sigterm);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_set_fork_status(sr, CK_NOFORK);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	if (bsf_pid)
		stop_bsf(SIGKILL);
	for (int i = 0; i < (int)(sizeof(ues) / sizeof(ues[0])); i++)
		tue_free(&ues[i]);
	tnaf_free(&naf1);
	tnaf_free(&naf2);
	tnaf_free(&nocert);
	if (failed) {
		printf("work directory kept: %s (bsf.log)\n", dir);
	} else {
		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
		if (system(cmd))
			return 1;
	}
	curl_global_cleanup();
	return failed ? 1 : 0;
}
