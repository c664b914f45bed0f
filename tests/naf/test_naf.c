/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * libgba-naf unit tests against the real gba-bsf (bsf_fixture.h: sessions bootstrapped
 * over Ub, keys derived independently on the UE side, Zn counts from the BSF's /metrics):
 * the key cache (hits, negative entries, expiry, eviction, BSF down, concurrent callers),
 * GBA_U keys, the
 * TLS-PSK helper in memory (TLS 1.2 with TLS_PSK_WITH_AES_128_CBC_SHA256, TLS 1.3, identity
 * prefixes, SNI, wrong/unknown keys), DTLS-PSK with AES_128_CCM_8 over loopback UDP, and
 * the HTTP Digest helper (challenge, verify, rspauth, refusals), and the server_name reader
 * of the ClientHello callback (naf_sni_parse) on malformed extension bodies.
 */
#include "config.h"

#include <arpa/inet.h>
#include <check.h>
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/ssl.h>

#include <gba/digest.h>
#include <gba/kdf.h>
#include <gba/log.h>
#include <gba/naf.h>

#include "bsf_fixture.h"
#include "naf_priv.h"

#define FQDN	"naf.example.org"
#define FQDN2	"cse.example.org"

static struct bsf_fx zn;
static struct gba_naf *naf;
static struct bsf_fx_sess *me, *gu, *shortlived;

static void setup_opts(unsigned int cache, unsigned int neg)
{
	static const char *const acl[] = { FQDN, FQDN2, NULL };
	static const char *const fqdns[] = { FQDN, FQDN2, BSF_FX_FORBIDDEN, NULL };
	struct gba_naf_opts o = { .allow_plain_http = true, .timeout_ms = 2000,
				  .cache_size = cache, .negative_ttl = neg };

	ck_assert_int_eq(bsf_fx_start(&zn, acl), 0);
	o.bsf_url = zn.zn_url;
	me = &zn.me;
	gu = &zn.gu;
	shortlived = &zn.shortlived;
	ck_assert_int_eq(gba_naf_new(&naf, fqdns, &o), 0);
}

static void setup(void)
{
	setup_opts(0, 0);
}

static void teardown(void)
{
	gba_naf_free(naf);
	naf = NULL;
	bsf_fx_free(&zn);
}

static void expect_key(const struct bsf_fx_sess *s, const char *fqdn, const uint8_t ua[5],
		       bool uicc, const struct gba_naf_key *k)
{
	uint8_t want[32];

	ck_assert_int_eq(bsf_fx_key(s, fqdn, ua, uicc, want), 0);
	ck_assert(memcmp(want, k->key, 32) == 0);
	ck_assert_str_eq(k->impi, s->impi);
}

START_TEST(test_new_args)
{
	static const char *const one[] = { FQDN, NULL }, *const bad[] = { "a b", NULL };
	struct gba_naf_opts o = { .bsf_url = "http://127.0.0.1:1" };
	struct gba_naf *n = NULL;

	ck_assert_int_eq(gba_naf_new(&n, one, &o), -EINVAL);	/* plain HTTP not allowed */
	o.bsf_url = "ftp://x";
	ck_assert_int_eq(gba_naf_new(&n, one, &o), -EINVAL);
	o.bsf_url = "https://bsf.example.org:8443";
	ck_assert_int_eq(gba_naf_new(&n, bad, &o), -EINVAL);
	ck_assert_int_eq(gba_naf_new(&n, one, NULL), -EINVAL);
	ck_assert_int_eq(gba_naf_new(&n, one, &o), 0);
	ck_assert_str_eq(gba_naf_fqdn_default(n), FQDN);
	ck_assert_ptr_nonnull(gba_naf_fqdn_match(n, "NAF.example.ORG"));
	ck_assert_ptr_null(gba_naf_fqdn_match(n, "other.example.org"));
	gba_naf_free(n);
	ck_assert_str_ne(gba_naf_strerror(-ENOENT), gba_naf_strerror(-ECONNREFUSED));
}
END_TEST

START_TEST(test_cache_hit)
{
	struct gba_naf_key k;
	struct gba_naf_stats st;
	uint8_t ua[5];

	gba_naf_ua_tls12(ua, 0x00ae);
	ck_assert_int_eq(gba_naf_get_key(naf, me->btid, FQDN, ua, GBA_NAF_KEY_ME, 0, &k), 0);
	ck_assert(!k.from_cache);
	ck_assert(!k.gba_u);
	expect_key(me, FQDN, ua, false, &k);
	ck_assert_str_eq(k.btid, me->btid);
	gba_naf_key_wipe(&k);
	ck_assert_int_eq(gba_naf_get_key(naf, me->btid, FQDN, ua, GBA_NAF_KEY_ME, 0, &k), 0);
	ck_assert(k.from_cache);
	expect_key(me, FQDN, ua, false, &k);
	gba_naf_key_wipe(&k);
	ck_assert_uint_eq(bsf_fx_zn_count(&zn, "ok"), 1);
	/* another Ua id and another FQDN are other cache entries */
	ck_assert_int_eq(gba_naf_get_key(naf, me->btid, FQDN, gba_naf_ua_tls13, GBA_NAF_KEY_ME,
					 0, &k), 0);
	expect_key(me, FQDN, gba_naf_ua_tls13, false, &k);
	gba_naf_key_wipe(&k);
	ck_assert_int_eq(gba_naf_get_key(naf, me->btid, FQDN2, ua, GBA_NAF_KEY_ME, 0, &k), 0);
	expect_key(me, FQDN2, ua, false, &k);
	gba_naf_key_wipe(&k);
	ck_assert_uint_eq(bsf_fx_zn_count(&zn, "ok"), 3);
	/* NO_CACHE asks again */
	ck_assert_int_eq(gba_naf_get_key(naf, me->btid, FQDN, ua, GBA_NAF_KEY_ME,
					 GBA_NAF_GET_NO_CACHE, &k), 0);
	gba_naf_key_wipe(&k);
	ck_assert_uint_eq(bsf_fx_zn_count(&zn, "ok"), 4);
	gba_naf_stats(naf, &st);
	ck_assert_uint_eq(st.hits, 1);
	ck_assert_uint_eq(st.zn_requests, 4);
	ck_assert_uint_eq(st.entries, 3);
	/* a foreign FQDN or a malformed B-TID never reach Zn */
	ck_assert_int_eq(gba_naf_get_key(naf, me->btid, "evil.example.org", ua, GBA_NAF_KEY_ME,
					 0, &k), -EINVAL);
	ck_assert_int_eq(gba_naf_get_key(naf, "not-a-btid", FQDN, ua, GBA_NAF_KEY_ME, 0, &k),
			 -EINVAL);
	ck_assert_uint_eq(bsf_fx_zn_count(&zn, NULL), 4);
}
END_TEST

START_TEST(test_unknown_negative)
{
	static const char btid[] = "AAAAAAAAAAAAAAAAAAAAAA==@bsf.example.org";
	struct gba_naf_key k;
	struct gba_naf_stats st;

	ck_assert_int_eq(gba_naf_get_key(naf, btid, FQDN, gba_naf_ua_tls13, GBA_NAF_KEY_ME, 0,
					 &k), -ENOENT);
	ck_assert_int_eq(gba_naf_get_key(naf, btid, FQDN, gba_naf_ua_tls13, GBA_NAF_KEY_ME, 0,
					 &k), -ENOENT);
	ck_assert_uint_eq(bsf_fx_zn_count(&zn, NULL), 1);	/* the second one from the negative cache */
	gba_naf_stats(naf, &st);
	ck_assert_uint_eq(st.negative_hits, 1);
	ck_assert_uint_eq(st.zn_errors, 0);
	/* NAF not authorised (5402) */
	ck_assert_int_eq(gba_naf_get_key(naf, me->btid, BSF_FX_FORBIDDEN, gba_naf_ua_tls13,
					 GBA_NAF_KEY_ME, 0, &k), -EACCES);
}
END_TEST

START_TEST(test_negative_ttl)
{
	static const char btid[] = "AAAAAAAAAAAAAAAAAAAAAA==@bsf.example.org";
	struct gba_naf_key k;

	teardown();
	setup_opts(0, 1);
	ck_assert_int_eq(gba_naf_get_key(naf, btid, FQDN, gba_naf_ua_tls13, GBA_NAF_KEY_ME, 0,
					 &k), -ENOENT);
	sleep(2);
	ck_assert_int_eq(gba_naf_get_key(naf, btid, FQDN, gba_naf_ua_tls13, GBA_NAF_KEY_ME, 0,
					 &k), -ENOENT);
	ck_assert_uint_eq(bsf_fx_zn_count(&zn, NULL), 2);
}
END_TEST

START_TEST(test_expiry)
{
	struct gba_naf_key k;

	ck_assert_int_eq(gba_naf_get_key(naf, shortlived->btid, FQDN, gba_naf_ua_tls13,
					 GBA_NAF_KEY_ME, 0, &k), 0);
	ck_assert(k.expiry <= time(NULL) + 4);
	gba_naf_key_wipe(&k);
	ck_assert_int_eq(gba_naf_get_key(naf, shortlived->btid, FQDN, gba_naf_ua_tls13,
					 GBA_NAF_KEY_ME, 0, &k), 0);
	ck_assert(k.from_cache);
	gba_naf_key_wipe(&k);
	sleep(5);
	/* dropped from the cache; the BSF says expired */
	ck_assert_int_eq(gba_naf_get_key(naf, shortlived->btid, FQDN, gba_naf_ua_tls13,
					 GBA_NAF_KEY_ME, 0, &k), -ENOENT);
	ck_assert_uint_eq(bsf_fx_zn_count(&zn, NULL), 2);
}
END_TEST

START_TEST(test_eviction)
{
	struct gba_naf_key k;
	struct gba_naf_stats st;

	teardown();
	setup_opts(2, 0);
	ck_assert_int_eq(gba_naf_get_key(naf, me->btid, FQDN, gba_naf_ua_tls13, 0, 0, &k), 0);
	gba_naf_key_wipe(&k);
	ck_assert_int_eq(gba_naf_get_key(naf, gu->btid, FQDN, gba_naf_ua_tls13, 0, 0, &k), 0);
	gba_naf_key_wipe(&k);
	/* me is the most recent now; the third entry evicts gu */
	ck_assert_int_eq(gba_naf_get_key(naf, me->btid, FQDN, gba_naf_ua_tls13, 0, 0, &k), 0);
	gba_naf_key_wipe(&k);
	ck_assert_int_eq(gba_naf_get_key(naf, shortlived->btid, FQDN, gba_naf_ua_tls13, 0, 0, &k),
			 0);
	gba_naf_key_wipe(&k);
	gba_naf_stats(naf, &st);
	ck_assert_uint_eq(st.evictions, 1);
	ck_assert_uint_eq(st.entries, 2);
	ck_assert_int_eq(gba_naf_get_key(naf, me->btid, FQDN, gba_naf_ua_tls13, 0, 0, &k), 0);
	ck_assert(k.from_cache);
	gba_naf_key_wipe(&k);
	ck_assert_int_eq(gba_naf_get_key(naf, gu->btid, FQDN, gba_naf_ua_tls13, 0, 0, &k), 0);
	ck_assert(!k.from_cache);
	gba_naf_key_wipe(&k);
	gba_naf_cache_flush(naf, NULL);
	gba_naf_stats(naf, &st);
	ck_assert_uint_eq(st.entries, 0);
}
END_TEST

START_TEST(test_bsf_down)
{
	char b_me[GBA_BTID_MAX + 1], b_gu[GBA_BTID_MAX + 1];
	struct gba_naf_key k;

	ck_assert_int_eq(gba_naf_get_key(naf, me->btid, FQDN, gba_naf_ua_tls13, 0, 0, &k), 0);
	gba_naf_key_wipe(&k);
	strcpy(b_me, me->btid);
	strcpy(b_gu, gu->btid);
	bsf_fx_stop(&zn);
	/* cached: still served */
	ck_assert_int_eq(gba_naf_get_key(naf, b_me, FQDN, gba_naf_ua_tls13, 0, 0, &k), 0);
	ck_assert(k.from_cache);
	gba_naf_key_wipe(&k);
	/* not cached: a clear error, not remembered as unknown */
	ck_assert_int_eq(gba_naf_get_key(naf, b_gu, FQDN, gba_naf_ua_tls13, 0, 0, &k),
			 -ECONNREFUSED);
	ck_assert_int_eq(gba_naf_get_key(naf, b_gu, FQDN, gba_naf_ua_tls13, 0, 0, &k),
			 -ECONNREFUSED);
}
END_TEST

START_TEST(test_gba_u)
{
	struct gba_naf_key k;

	ck_assert_int_eq(gba_naf_get_key(naf, gu->btid, FQDN, gba_naf_ua_tls13, GBA_NAF_KEY_ME, 0,
					 &k), 0);
	ck_assert(k.gba_u);
	expect_key(gu, FQDN, gba_naf_ua_tls13, false, &k);	/* Ks_ext_NAF */
	gba_naf_key_wipe(&k);
	ck_assert_int_eq(gba_naf_get_key(naf, gu->btid, FQDN, gba_naf_ua_tls13, GBA_NAF_KEY_UICC,
					 0, &k), 0);
	ck_assert(k.from_cache);
	expect_key(gu, FQDN, gba_naf_ua_tls13, true, &k);	/* Ks_int_NAF */
	gba_naf_key_wipe(&k);
	/* no Ks_int_NAF for a GBA_ME bootstrap */
	ck_assert_int_eq(gba_naf_get_key(naf, me->btid, FQDN, gba_naf_ua_tls13, GBA_NAF_KEY_UICC,
					 0, &k), -EACCES);
}
END_TEST

struct thr {
	int fails;
};

static void *getter(void *arg)
{
	struct thr *t = arg;
	struct bsf_fx_sess *ss[3] = { me, gu, me };
	struct gba_naf_key k;
	uint8_t want[32];
	int i;

	for (i = 0; i < 300; i++) {
		struct bsf_fx_sess *s = ss[i % 3];
		const char *f = (i & 4) ? FQDN2 : FQDN;

		if (gba_naf_get_key(naf, s->btid, f, gba_naf_ua_http_digest, 0, 0, &k) ||
		    bsf_fx_key(s, f, gba_naf_ua_http_digest, false, want) ||
		    memcmp(want, k.key, 32))
			t->fails++;
		gba_naf_key_wipe(&k);
		if (i % 50 == 49)
			gba_naf_cache_flush(naf, me->btid);
	}
	return NULL;
}

START_TEST(test_threads)
{
	pthread_t th[8];
	struct thr t[8];
	struct gba_naf_stats st;
	int i;

	memset(t, 0, sizeof(t));
	for (i = 0; i < 8; i++)
		ck_assert_int_eq(pthread_create(&th[i], NULL, getter, &t[i]), 0);
	for (i = 0; i < 8; i++) {
		pthread_join(th[i], NULL);
		ck_assert_int_eq(t[i].fails, 0);
	}
	gba_naf_stats(naf, &st);
	ck_assert_uint_ge(st.hits, 2000);
	ck_assert_uint_lt(st.zn_requests, 400);
}
END_TEST

/* ------------------------------------------------------------------ TLS-PSK */

struct cli {
	const struct bsf_fx_sess *s;
	const char *fqdn;
	const char *prefix;
	bool uicc, wrong;
	char hint[64];
	char identity[400];
};

static struct cli cli;

static void cli_key(const uint8_t ua[5], uint8_t key[32])
{
	ck_assert_int_eq(bsf_fx_key(cli.s, cli.fqdn, ua, cli.uicc, key), 0);
	if (cli.wrong)
		key[0] ^= 1;
	snprintf(cli.identity, sizeof(cli.identity), "%s%s", cli.prefix ? cli.prefix : "",
		 cli.s->btid);
}

static unsigned int cli_psk_cb(SSL *ssl, const char *hint, char *id, unsigned int max_id,
			       unsigned char *psk, unsigned int max_psk)
{
	const SSL_CIPHER *c = SSL_get_pending_cipher(ssl);
	uint8_t ua[5];

	snprintf(cli.hint, sizeof(cli.hint), "%s", hint ? hint : "");
	gba_ua_id_tls12(ua, SSL_CIPHER_get_protocol_id(c) & 0xffff);
	cli_key(ua, psk);
	snprintf(id, max_id, "%s", cli.identity);
	return 32;
}

static int cli_sess_cb(SSL *ssl, const EVP_MD *md, const unsigned char **id, size_t *idlen,
		       SSL_SESSION **sess)
{
	static const unsigned char aes128gcm[2] = { 0x13, 0x01 };
	const SSL_CIPHER *c = SSL_CIPHER_find(ssl, aes128gcm);
	uint8_t key[32];
	SSL_SESSION *s = SSL_SESSION_new();

	cli_key(GBA_UA_ID_TLS13, key);
	SSL_SESSION_set1_master_key(s, key, 32);
	SSL_SESSION_set_cipher(s, c);
	SSL_SESSION_set_protocol_version(s, TLS1_3_VERSION);
	*sess = s;
	*id = (const unsigned char *)cli.identity;
	*idlen = strlen(cli.identity);
	return 1;
}

static SSL_CTX *server_ctx(unsigned int flags)
{
	SSL_CTX *ctx = SSL_CTX_new(TLS_server_method());

	ck_assert_ptr_nonnull(ctx);
	ck_assert_int_eq(gba_naf_tls_setup(naf, ctx, flags), 0);
	return ctx;
}

static SSL_CTX *client_ctx(int version, const char *ciphers)
{
	SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());

	SSL_CTX_set_min_proto_version(ctx, version);
	SSL_CTX_set_max_proto_version(ctx, version);
	if (ciphers)
		ck_assert_int_eq(SSL_CTX_set_cipher_list(ctx, ciphers), 1);
	ck_assert_int_eq(SSL_CTX_set_ciphersuites(ctx, "TLS_AES_128_GCM_SHA256"), 1);
	SSL_CTX_set_psk_client_callback(ctx, cli_psk_cb);
	SSL_CTX_set_psk_use_session_callback(ctx, cli_sess_cb);
	return ctx;
}

/* Handshake in memory; 1 on success with *srv left for inspection (caller frees). */
static int handshake(SSL_CTX *sctx, SSL_CTX *cctx, const char *sni, SSL **srv)
{
	SSL *s = SSL_new(sctx), *c = SSL_new(cctx);
	BIO *b1, *b2;
	int i, rs = 0, rc = 0, ok = 0;

	BIO_new_bio_pair(&b1, 0, &b2, 0);
	SSL_set_bio(s, b1, b1);
	SSL_set_bio(c, b2, b2);
	SSL_set_accept_state(s);
	SSL_set_connect_state(c);
	if (sni)
		SSL_set_tlsext_host_name(c, sni);
	for (i = 0; i < 50; i++) {
		if (rc != 1)
			rc = SSL_do_handshake(c);
		if (rs != 1)
			rs = SSL_do_handshake(s);
		if (rc == 1 && rs == 1) {
			ok = 1;
			break;
		}
		if ((rc <= 0 && SSL_get_error(c, rc) != SSL_ERROR_WANT_READ &&
		     SSL_get_error(c, rc) != SSL_ERROR_WANT_WRITE) ||
		    (rs <= 0 && SSL_get_error(s, rs) != SSL_ERROR_WANT_READ &&
		     SSL_get_error(s, rs) != SSL_ERROR_WANT_WRITE))
			break;
	}
	if (ok) {
		char buf[8];

		/* application data both ways proves the keys match */
		ck_assert_int_eq(SSL_write(c, "ping", 4), 4);
		ck_assert_int_eq(SSL_read(s, buf, sizeof(buf)), 4);
		ck_assert(!memcmp(buf, "ping", 4));
	}
	ERR_clear_error();
	SSL_free(c);
	*srv = s;
	return ok;
}

static void tls_case(int version, const char *ciphers, unsigned int sflags, const char *sni,
		     int expect_ok, const char *expect_cipher)
{
	SSL_CTX *sctx = server_ctx(sflags), *cctx = client_ctx(version, ciphers);
	struct gba_naf_peer p;
	SSL *s = NULL;
	int ok = handshake(sctx, cctx, sni, &s);

	ck_assert_int_eq(ok, expect_ok);
	if (ok) {
		ck_assert_int_eq(gba_naf_tls_peer(s, &p), 0);
		ck_assert_str_eq(p.impi, cli.s->impi);
		ck_assert_str_eq(p.btid, cli.s->btid);
		ck_assert_str_eq(p.fqdn, cli.fqdn);
		ck_assert_int_eq(p.use, cli.uicc ? GBA_NAF_KEY_UICC : GBA_NAF_KEY_ME);
		if (expect_cipher)
			ck_assert_str_eq(SSL_get_cipher_name(s), expect_cipher);
	} else {
		ck_assert_int_ne(gba_naf_tls_peer(s, &p), 0);
	}
	SSL_free(s);
	SSL_CTX_free(sctx);
	SSL_CTX_free(cctx);
}

START_TEST(test_tls12_cbc_sha256)
{
	memset(&cli, 0, sizeof(cli));
	cli.s = me;
	cli.fqdn = FQDN;
	tls_case(TLS1_2_VERSION, "PSK-AES128-CBC-SHA256", 0, FQDN, 1, "PSK-AES128-CBC-SHA256");
	ck_assert_str_eq(cli.hint, "3GPP-bootstrapping");
	/* 33.222 prefix, SNI picks the second FQDN, another suite (other Ua id) */
	cli.prefix = "3GPP-bootstrapping.";
	cli.fqdn = FQDN2;
	tls_case(TLS1_2_VERSION, "PSK-AES128-GCM-SHA256", 0, FQDN2, 1, "PSK-AES128-GCM-SHA256");
	/* no SNI: the default FQDN, unless SNI is required */
	cli.prefix = NULL;
	cli.fqdn = FQDN;
	tls_case(TLS1_2_VERSION, "PSK-AES128-CBC-SHA256", 0, NULL, 1, NULL);
	tls_case(TLS1_2_VERSION, "PSK-AES128-CBC-SHA256", GBA_NAF_TLS_REQUIRE_SNI, NULL, 0, NULL);
	/* an unknown server name */
	tls_case(TLS1_2_VERSION, "PSK-AES128-CBC-SHA256", 0, "other.example.org", 0, NULL);
}
END_TEST

START_TEST(test_tls12_refused)
{
	static struct bsf_fx_sess ghost;
	SSL_CTX *sctx, *cctx;
	SSL *s;

	memset(&cli, 0, sizeof(cli));
	cli.s = me;
	cli.fqdn = FQDN;
	cli.wrong = true;
	tls_case(TLS1_2_VERSION, "PSK-AES128-CBC-SHA256", 0, FQDN, 0, NULL);
	cli.wrong = false;
	ghost = *me;
	memcpy(ghost.btid, "AAAAAAAAAAAAAAAAAAAAAA==", 24);
	cli.s = &ghost;
	sctx = server_ctx(0);
	cctx = client_ctx(TLS1_2_VERSION, "PSK-AES128-CBC-SHA256");
	ck_assert_int_eq(handshake(sctx, cctx, FQDN, &s), 0);
	ck_assert_int_eq(gba_naf_tls_error(s), -ENOENT);
	SSL_free(s);
	SSL_CTX_free(sctx);
	SSL_CTX_free(cctx);
	/* GBA_ME key asked for by a -uicc identity */
	cli.s = me;
	cli.prefix = "3GPP-bootstrapping-uicc.";
	cli.uicc = true;
	tls_case(TLS1_2_VERSION, "PSK-AES128-CBC-SHA256", 0, FQDN, 0, NULL);
}
END_TEST

START_TEST(test_tls13)
{
	memset(&cli, 0, sizeof(cli));
	cli.s = me;
	cli.fqdn = FQDN;
	tls_case(TLS1_3_VERSION, NULL, 0, FQDN, 1, "TLS_AES_128_GCM_SHA256");
	/* SNI picks the second FQDN in TLS 1.3 too (its key differs) */
	cli.fqdn = FQDN2;
	tls_case(TLS1_3_VERSION, NULL, 0, FQDN2, 1, NULL);
	cli.fqdn = FQDN;
	cli.prefix = "3GPP-bootstrapping.";
	tls_case(TLS1_3_VERSION, NULL, 0, FQDN, 1, NULL);
	cli.wrong = true;
	tls_case(TLS1_3_VERSION, NULL, 0, FQDN, 0, NULL);
	cli.wrong = false;
	tls_case(TLS1_3_VERSION, NULL, 0, "other.example.org", 0, NULL);
}
END_TEST

START_TEST(test_tls_uicc)
{
	SSL_CTX *sctx, *cctx;
	SSL *s;

	memset(&cli, 0, sizeof(cli));
	cli.s = gu;
	cli.fqdn = FQDN;
	cli.uicc = true;
	tls_case(TLS1_2_VERSION, "PSK-AES128-CBC-SHA256", GBA_NAF_TLS_UICC, FQDN, 1, NULL);
	ck_assert_str_eq(cli.hint, "3GPP-bootstrapping-uicc");
	tls_case(TLS1_3_VERSION, NULL, GBA_NAF_TLS_UICC, FQDN, 1, NULL);
	/* the same key by identity prefix on a GBA_ME-style listener */
	cli.prefix = "3GPP-bootstrapping-uicc.";
	tls_case(TLS1_2_VERSION, "PSK-AES128-CBC-SHA256", 0, FQDN, 1, NULL);
	/* Ks_ext_NAF offered where Ks_int_NAF is required */
	cli.prefix = NULL;
	cli.uicc = false;
	sctx = server_ctx(GBA_NAF_TLS_UICC);
	cctx = client_ctx(TLS1_2_VERSION, "PSK-AES128-CBC-SHA256");
	ck_assert_int_eq(handshake(sctx, cctx, FQDN, &s), 0);
	SSL_free(s);
	SSL_CTX_free(sctx);
	SSL_CTX_free(cctx);
}
END_TEST

/* ------------------------------------------------------------------ DTLS */

/* A datagram BIO on connected UDP socket 'fd' (OpenSSL must know the peer to send). */
static BIO *dgram_bio(int fd)
{
	struct sockaddr_storage peer;
	socklen_t l = sizeof(peer);
	BIO *b = BIO_new_dgram(fd, BIO_NOCLOSE);

	ck_assert_int_eq(getpeername(fd, (struct sockaddr *)&peer, &l), 0);
	BIO_ctrl(b, BIO_CTRL_DGRAM_SET_CONNECTED, 0, &peer);
	return b;
}

struct dtls_srv {
	int fd;
	SSL_CTX *ctx;
	int ok;
	struct gba_naf_peer peer;
	char cipher[64];
};

static void *dtls_server(void *arg)
{
	struct dtls_srv *d = arg;
	SSL *s = SSL_new(d->ctx);
	BIO *b = dgram_bio(d->fd);
	char buf[16];

	SSL_set_bio(s, b, b);
	if (SSL_accept(s) != 1) {
		if (getenv("DTLS_DEBUG"))
			ERR_print_errors_fp(stderr);
	} else if (SSL_read(s, buf, sizeof(buf)) == 4 && SSL_write(s, "pong", 4) == 4) {
		d->ok = !gba_naf_tls_peer(s, &d->peer);
		snprintf(d->cipher, sizeof(d->cipher), "%s", SSL_get_cipher_name(s));
	}
	SSL_shutdown(s);
	SSL_free(s);
	ERR_clear_error();
	return NULL;
}

/* Two UDP sockets on 127.0.0.1 connected to each other. */
static void udp_pair(int fd[2])
{
	struct sockaddr_in a[2];
	socklen_t l = sizeof(a[0]);
	struct timeval tv = { .tv_sec = 5 };
	int i;

	for (i = 0; i < 2; i++) {
		fd[i] = socket(AF_INET, SOCK_DGRAM, 0);
		memset(&a[i], 0, sizeof(a[i]));
		a[i].sin_family = AF_INET;
		a[i].sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		ck_assert_int_eq(bind(fd[i], (struct sockaddr *)&a[i], sizeof(a[i])), 0);
		getsockname(fd[i], (struct sockaddr *)&a[i], &l);
		setsockopt(fd[i], SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	}
	ck_assert_int_eq(connect(fd[0], (struct sockaddr *)&a[1], sizeof(a[1])), 0);
	ck_assert_int_eq(connect(fd[1], (struct sockaddr *)&a[0], sizeof(a[0])), 0);
}

static int dtls_case(bool wrong, struct dtls_srv *d)
{
	SSL_CTX *cctx = SSL_CTX_new(DTLS_client_method());
	pthread_t th;
	SSL *c;
	BIO *b;
	int fd[2], ok = 0;
	char buf[16];

	memset(d, 0, sizeof(*d));
	memset(&cli, 0, sizeof(cli));
	cli.s = me;
	cli.fqdn = FQDN;
	cli.wrong = wrong;
	udp_pair(fd);
	d->fd = fd[0];
	d->ctx = SSL_CTX_new(DTLS_server_method());
	ck_assert_int_eq(gba_naf_tls_setup(naf, d->ctx, 0), 0);
	ck_assert_int_eq(SSL_CTX_set_cipher_list(cctx, "PSK-AES128-CCM8"), 1);
	SSL_CTX_set_psk_client_callback(cctx, cli_psk_cb);
	ck_assert_int_eq(pthread_create(&th, NULL, dtls_server, d), 0);
	c = SSL_new(cctx);
	b = dgram_bio(fd[1]);
	SSL_set_bio(c, b, b);
	SSL_set_tlsext_host_name(c, FQDN);
	if (SSL_connect(c) == 1 && SSL_write(c, "ping", 4) == 4 &&
	    SSL_read(c, buf, sizeof(buf)) == 4)
		ok = 1;
	if (!ok && getenv("DTLS_DEBUG"))
		ERR_print_errors_fp(stderr);
	pthread_join(th, NULL);
	SSL_free(c);
	ERR_clear_error();
	SSL_CTX_free(cctx);
	SSL_CTX_free(d->ctx);
	close(fd[0]);
	close(fd[1]);
	return ok;
}

START_TEST(test_dtls_ccm8)
{
	struct dtls_srv d;

	ck_assert_int_eq(dtls_case(false, &d), 1);
	ck_assert_int_eq(d.ok, 1);
	ck_assert_str_eq(d.cipher, "PSK-AES128-CCM8");
	ck_assert_str_eq(d.peer.impi, me->impi);
	ck_assert_uint_eq(d.peer.ua_id[3], 0xc0);
	ck_assert_uint_eq(d.peer.ua_id[4], 0xa8);
	ck_assert_int_eq(dtls_case(true, &d), 0);
	ck_assert_int_eq(d.ok, 0);
}
END_TEST

/* ------------------------------------------------------------------ Digest */

/* The UE's Authorization for a challenge, as TS 24.109 5.2 says. */
static void ue_answer(const char *chal, const struct bsf_fx_sess *s, bool uicc, bool wrong,
		      const char *method, const char *uri, const char *body, char *authz,
		      size_t alen)
{
	struct gba_digest *d = malloc(sizeof(*d));
	struct gba_digest_input in = { 0 };
	uint8_t key[32];
	char pw[64], rsp[33];

	ck_assert_int_eq(gba_digest_parse(d, GBA_DIGEST_CHALLENGE, chal, strlen(chal)), 0);
	ck_assert(d->qop_mask & (1u << GBA_QOP_AUTH_INT));
	ck_assert_int_eq(bsf_fx_key(s, FQDN, gba_naf_ua_http_digest, uicc, key), 0);
	if (wrong)
		key[3] ^= 0x40;
	gba_b64_encode(pw, sizeof(pw), key, 32);
	in.password = (const uint8_t *)pw;
	in.password_len = strlen(pw);
	in.username = s->btid;
	in.realm = d->realm;
	in.method = method;
	in.uri = uri;
	in.nonce = d->nonce;
	in.nc = "00000001";
	in.cnonce = "0a4f113b";
	in.qop = GBA_QOP_AUTH_INT;
	in.body = (const uint8_t *)body;
	in.body_len = strlen(body);
	ck_assert_int_eq(gba_digest_compute(rsp, &in), 0);
	ck_assert_int_gt(gba_digest_fmt_credentials(authz, alen, &in, rsp, "MD5", NULL, NULL), 0);
	free(d);
}

START_TEST(test_digest)
{
	char chal[1024], authz[2048], ai[1024];
	struct gba_naf_peer p;
	struct gba_digest *d = malloc(sizeof(*d));
	static struct bsf_fx_sess ghost;

	ck_assert_int_gt(gba_naf_digest_challenge(naf, FQDN, false, false, chal, sizeof(chal)), 0);
	ck_assert_ptr_nonnull(strstr(chal, "realm=\"3GPP-bootstrapping@" FQDN "\""));
	ck_assert_int_eq(gba_naf_digest_challenge(naf, "evil.example.org", false, false, chal,
						  sizeof(chal)), -EINVAL);
	ck_assert_int_gt(gba_naf_digest_challenge(naf, FQDN, false, false, chal, sizeof(chal)), 0);
	ue_answer(chal, me, false, false, "POST", "/cse", "{\"a\":1}", authz, sizeof(authz));
	ck_assert_int_eq(gba_naf_digest_verify(naf, FQDN, authz, strlen(authz), "POST", "/cse",
					       (const uint8_t *)"{\"a\":1}", 7, &p), 0);
	ck_assert_str_eq(p.impi, me->impi);
	ck_assert_uint_eq(p.ua_id[4], 0x02);
	/* rspauth over the answer's body, as the UE checks it */
	ck_assert_int_gt(gba_naf_digest_auth_info(naf, FQDN, authz, strlen(authz),
						  (const uint8_t *)"ok", 2, ai, sizeof(ai)), 0);
	ck_assert_int_eq(gba_digest_parse(d, GBA_DIGEST_AUTH_INFO, ai, strlen(ai)), 0);
	ck_assert_ptr_nonnull(d->rspauth);
	/* a changed body, method or uri (auth-int) */
	ck_assert_int_eq(gba_naf_digest_verify(naf, FQDN, authz, strlen(authz), "POST", "/cse",
					       (const uint8_t *)"{\"a\":2}", 7, &p), -EACCES);
	ck_assert_int_eq(gba_naf_digest_verify(naf, FQDN, authz, strlen(authz), "PUT", "/cse",
					       (const uint8_t *)"{\"a\":1}", 7, &p), -EACCES);
	ck_assert_int_eq(gba_naf_digest_verify(naf, FQDN, authz, strlen(authz), "POST", "/x",
					       (const uint8_t *)"{\"a\":1}", 7, &p), -EACCES);
	/* the realm of another FQDN */
	ck_assert_int_eq(gba_naf_digest_verify(naf, FQDN2, authz, strlen(authz), "POST", "/cse",
					       (const uint8_t *)"{\"a\":1}", 7, &p), -EACCES);
	/* a wrong key */
	ue_answer(chal, me, false, true, "GET", "/", "", authz, sizeof(authz));
	ck_assert_int_eq(gba_naf_digest_verify(naf, FQDN, authz, strlen(authz), "GET", "/",
					       NULL, 0, &p), -EACCES);
	/* an unknown B-TID: -ENOENT, the server sends a fresh 401 */
	ghost = *me;
	memcpy(ghost.btid, "AAAAAAAAAAAAAAAAAAAAAA==", 24);
	ue_answer(chal, &ghost, false, false, "GET", "/", "", authz, sizeof(authz));
	ck_assert_int_eq(gba_naf_digest_verify(naf, FQDN, authz, strlen(authz), "GET", "/",
					       NULL, 0, &p), -ENOENT);
	/* a nonce we did not make */
	ck_assert_int_gt(gba_digest_fmt_challenge(chal, sizeof(chal), "3GPP-bootstrapping@" FQDN,
						  "bm90IG91cnM=", NULL, "MD5", 1u << GBA_QOP_AUTH_INT,
						  false), 0);
	ue_answer(chal, me, false, false, "GET", "/", "", authz, sizeof(authz));
	ck_assert_int_eq(gba_naf_digest_verify(naf, FQDN, authz, strlen(authz), "GET", "/",
					       NULL, 0, &p), -EACCES);
	/* GBA_U with the -uicc realm: Ks_int_NAF */
	ck_assert_int_gt(gba_naf_digest_challenge(naf, FQDN, true, false, chal, sizeof(chal)), 0);
	ck_assert_ptr_nonnull(strstr(chal, "3GPP-bootstrapping-uicc@"));
	ue_answer(chal, gu, true, false, "GET", "/", "", authz, sizeof(authz));
	ck_assert_int_eq(gba_naf_digest_verify(naf, FQDN, authz, strlen(authz), "GET", "/",
					       NULL, 0, &p), 0);
	ck_assert_int_eq(p.use, GBA_NAF_KEY_UICC);
	/* garbage */
	ck_assert_int_eq(gba_naf_digest_verify(naf, FQDN, "Basic abc", 9, "GET", "/", NULL, 0, &p),
			 -EINVAL);
	free(d);
}
END_TEST

/* naf_sni_parse on server_name extension bodies (RFC 6066 3) */
#define SNI(s)	((const unsigned char *)(s)), (sizeof(s) - 1)
START_TEST(test_sni_parse)
{
	char out[GBA_NAF_FQDN_MAX + 1], small[4];
	unsigned char big[2 + 3 + GBA_NAF_FQDN_MAX + 1];
	size_t n = GBA_NAF_FQDN_MAX + 1;

	ck_assert_int_eq(naf_sni_parse(SNI("\x00\x12\x00\x00\x0f" FQDN), out, sizeof(out)), 15);
	ck_assert_str_eq(out, FQDN);
	/* another name type before the host_name is skipped */
	ck_assert_int_eq(naf_sni_parse(SNI("\x00\x0a\x07\x00\x02zz\x00\x00\x02" "ab"), out,
				       sizeof(out)), 2);
	ck_assert_str_eq(out, "ab");
	/* empty, truncated, list length off by one either way */
	ck_assert_int_eq(naf_sni_parse(SNI(""), out, sizeof(out)), -EINVAL);
	ck_assert_int_eq(naf_sni_parse(SNI("\x00"), out, sizeof(out)), -EINVAL);
	ck_assert_int_eq(naf_sni_parse(SNI("\x00\x00"), out, sizeof(out)), -EINVAL);
	ck_assert_int_eq(naf_sni_parse(SNI("\x00\x12\x00\x00\x0f" "naf.example.or"), out,
				       sizeof(out)), -EINVAL);
	ck_assert_int_eq(naf_sni_parse(SNI("\x00\x13\x00\x00\x0f" FQDN), out, sizeof(out)),
			 -EINVAL);
	ck_assert_int_eq(naf_sni_parse(SNI("\x00\x11\x00\x00\x0f" FQDN), out, sizeof(out)),
			 -EINVAL);
	/* name length past the list, entry header cut short, bytes left over */
	ck_assert_int_eq(naf_sni_parse(SNI("\x00\x05\x00\x00\x03" "ab"), out, sizeof(out)), -EINVAL);
	ck_assert_int_eq(naf_sni_parse(SNI("\x00\x02\x00\x00"), out, sizeof(out)), -EINVAL);
	ck_assert_int_eq(naf_sni_parse(SNI("\x00\x06\x00\x00\x02" "ab\x00"), out, sizeof(out)),
			 -EINVAL);
	/* empty name, NUL inside */
	ck_assert_int_eq(naf_sni_parse(SNI("\x00\x03\x00\x00\x00"), out, sizeof(out)), -EINVAL);
	ck_assert_int_eq(naf_sni_parse(SNI("\x00\x06\x00\x00\x03" "a\0b"), out, sizeof(out)),
			 -EINVAL);
	/* duplicate host_name (RFC 6066: at most one name per type) */
	ck_assert_int_eq(naf_sni_parse(SNI("\x00\x0a\x00\x00\x02" "ab\x00\x00\x02" "cd"), out,
				       sizeof(out)), -EINVAL);
	/* no host_name at all */
	ck_assert_int_eq(naf_sni_parse(SNI("\x00\x05\x07\x00\x02zz"), out, sizeof(out)), -ENOENT);
	/* too long for the buffer / for a NAF FQDN */
	ck_assert_int_eq(naf_sni_parse(SNI("\x00\x07\x00\x00\x04" "abcd"), small, sizeof(small)),
			 -E2BIG);
	big[0] = (3 + n) >> 8;
	big[1] = (3 + n) & 0xff;
	big[2] = 0;
	big[3] = n >> 8;
	big[4] = n & 0xff;
	memset(big + 5, 'a', n);
	ck_assert_int_eq(naf_sni_parse(big, sizeof(big), out, sizeof(out)), -E2BIG);
	ck_assert_int_eq(naf_sni_parse(big, sizeof(big) - 1, out, sizeof(out)), -EINVAL);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("naf");
	TCase *tc = tcase_create("naf");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_new_args);
	tcase_add_test(tc, test_cache_hit);
	tcase_add_test(tc, test_unknown_negative);
	tcase_add_test(tc, test_negative_ttl);
	tcase_add_test(tc, test_expiry);
	tcase_add_test(tc, test_eviction);
	tcase_add_test(tc, test_bsf_down);
	tcase_add_test(tc, test_gba_u);
	tcase_add_test(tc, test_threads);
	tcase_add_test(tc, test_tls12_cbc_sha256);
	tcase_add_test(tc, test_tls12_refused);
	tcase_add_test(tc, test_tls13);
	tcase_add_test(tc, test_tls_uicc);
	tcase_add_test(tc, test_dtls_ccm8);
	tcase_add_test(tc, test_digest);
	suite_add_tcase(s, tc);
	tc = tcase_create("sni");
	tcase_add_test(tc, test_sni_parse);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(suite());
	int failed;

	gba_log_init("test_naf", GBA_LOG_STDERR);
	gba_log_set_level(GBA_LL_FATAL);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
