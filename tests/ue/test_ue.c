/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit tests of libgba-ue with the in-process soft UICC (libgbauicc) and an in-process BSF
 * (mock_bsf.c): card identification and its APDU budget, PIN handling, GBA_ME and GBA_U
 * bootstrap with keys checked against the BSF's, the 6A86 / 9864 fallback to GBA_ME, AUTS
 * resync, MAC failure, 403 / 503, a wrong rspauth, the GBA_ME cache (reuse, expiry, file
 * mode), EF_GBABP reuse, a card removed mid-bootstrap and the Digest Ua client.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <check.h>

#include <gba/log.h>
#include <gba/ue.h>
#include <gba/uicc.h>

#include "fixture.h"
#include "mock_bsf.h"
#include "mock_tls.h"
#include "ue_priv.h"

/* APDU filter between the UE and the soft card. */
struct filt {
	struct gba_uicc *card;
	uint16_t gba_sw;		/* answer AUTHENTICATE P2=84 with this SW (0: pass) */
	bool remove_at_auth;		/* the card "disappears" at AUTHENTICATE */
	bool no_sfi;			/* READ BINARY by SFI answered 6A86 */
	bool lose_ks;			/* the next NAF derivation (DE) is answered 6985 */
	unsigned int apdus;
	unsigned int auth_84, auth_81;
};

static int filt_tx(void *ctx, const uint8_t *c, size_t clen, uint8_t *r, size_t *rlen)
{
	struct filt *f = ctx;

	f->apdus++;
	if (f->no_sfi && clen >= 4 && c[1] == 0xb0 && (c[2] & 0x80)) {
		r[0] = 0x6a;
		r[1] = 0x86;
		*rlen = 2;
		return 0;
	}
	if (clen >= 4 && c[1] == 0x88) {
		if (f->remove_at_auth)
			return -ENOMEDIUM;
		if (c[3] == 0x84)
			f->auth_84++;
		else
			f->auth_81++;
		if (c[3] == 0x84 && clen > 5 && c[5] == 0xde && f->lose_ks) {
			f->lose_ks = false;
			r[0] = 0x69;
			r[1] = 0x85;
			*rlen = 2;
			return 0;
		}
		if (c[3] == 0x84 && f->gba_sw) {
			r[0] = f->gba_sw >> 8;
			r[1] = f->gba_sw & 0xff;
			*rlen = 2;
			return 0;
		}
	}
	return gba_uicc_transmit(f->card, c, clen, r, rlen);
}

static struct mock_bsf bsf;
static char *tmp;

static void setup(void)
{
	struct gba_profile p;

	fx_profile(&p);
	tmp = fx_tmpdir();
	ck_assert_int_eq(mock_bsf_start(&bsf, &p.cred, 0), 0);
}

static void teardown(void)
{
	mock_bsf_stop(&bsf);
	fx_rmdir(tmp);
}

static struct gba_ue_opts opts(void)
{
	struct gba_ue_opts o = { .bsf_url = bsf.url, .cache_dir = tmp, .http_timeout_ms = 5000 };

	return o;
}

static struct gba_ue *open_ue(struct filt *f, const struct gba_ue_opts *o)
{
	struct gba_ue *ue = NULL;
	int rc = gba_ue_open_apdu(&ue, filt_tx, f, o);

	ck_assert_msg(rc == 0, "open: %d %s", rc, gba_ue_errmsg(ue));
	return ue;
}

/* USIM-only GBA_ME card */
static void me_profile(struct gba_profile *p)
{
	fx_profile(p);
	p->isim = false;
	p->gba_u = false;
	p->impi[0] = '\0';
}

/* One test's card, filter, options and UE. */
struct env {
	struct gba_profile p;
	struct filt f;
	struct gba_ue_opts o;
	struct gba_ue *ue;
};

enum card_kind { CARD_ME, CARD_U, CARD_U_ISIM };

static void env_card(struct env *e, enum card_kind kind)
{
	memset(e, 0, sizeof(*e));
	if (kind == CARD_ME)
		me_profile(&e->p);
	else
		fx_profile(&e->p);
	if (kind == CARD_U)
		e->p.isim = false;
	e->o = opts();
}

/* Build the card from e->p and open the UE on it. */
static void env_open(struct env *e)
{
	e->f.card = fx_card(&e->p, NULL);
	e->ue = open_ue(&e->f, &e->o);
}

static void env_free(struct env *e)
{
	gba_ue_free(e->ue);
	gba_uicc_free(e->f.card);
}

START_TEST(t_info_usim_me)
{
	struct gba_ue_card_info i;
	struct env e;

	env_card(&e, CARD_ME);
	e.o.bsf_url = NULL;
	env_open(&e);
	ck_assert_int_eq(gba_ue_card_info(e.ue, &i), 0);
	ck_assert_str_eq(i.iccid, "8988211000000000001");
	ck_assert_str_eq(i.imsi, "001010000000001");
	ck_assert_uint_eq(i.mnc_len, 2);
	ck_assert_str_eq(i.impi, SET1_IMPI);
	ck_assert(!i.impi_from_isim);
	ck_assert(i.has_usim && !i.has_isim);
	ck_assert_str_eq(i.app, "USIM");
	ck_assert(!i.gba_u);
	ck_assert_int_eq(i.pin_state, GBA_UE_PIN_DISABLED);
	ck_assert_str_eq(i.bsf_url, "http://bsf.mnc001.mcc001.pub.3gppnetwork.org");
	/* SELECT EF_DIR, records, ICCID, SELECT ADF, IMSI, AD, UST */
	ck_assert_uint_le(i.apdus, 9);
	ck_assert_uint_eq(i.apdus, e.f.apdus);
	env_free(&e);
}
END_TEST

START_TEST(t_info_isim_u)
{
	struct gba_ue_card_info i;
	struct env e;

	env_card(&e, CARD_U_ISIM);
	strcpy(e.p.impi, "alice@ims.example.org");
	env_open(&e);
	ck_assert_int_eq(gba_ue_card_info(e.ue, &i), 0);
	ck_assert_str_eq(i.impi, "alice@ims.example.org");
	ck_assert(i.impi_from_isim);
	ck_assert(i.has_usim && i.has_isim);
	ck_assert_str_eq(i.app, "ISIM");
	ck_assert(i.gba_u && i.gba_u_used);
	ck_assert_uint_le(i.apdus, 13);
	env_free(&e);
}
END_TEST

START_TEST(t_pin)
{
	struct gba_profile p;
	struct filt f = { 0 };
	struct gba_ue_opts o = opts();
	struct gba_ue_card_info i;
	struct gba_ue *ue = NULL;

	me_profile(&p);
	p.pin1_enabled = true;
	f.card = fx_card(&p, NULL);
	ck_assert_int_eq(gba_ue_open_apdu(&ue, filt_tx, &f, &o), -EACCES);
	ck_assert_ptr_nonnull(strstr(gba_ue_errmsg(ue), "PIN1"));
	ck_assert_int_eq(gba_ue_card_info(ue, &i), -EACCES);
	ck_assert_int_eq(i.pin_state, GBA_UE_PIN_REQUIRED);
	ck_assert_int_eq(i.pin_retries, 3);
	ck_assert_int_eq(gba_ue_verify_pin(ue, "0000"), -EACCES);
	ck_assert_int_eq(gba_ue_card_info(ue, &i), -EACCES);
	ck_assert_int_eq(i.pin_retries, 2);
	ck_assert_int_eq(gba_ue_verify_pin(ue, "12x4"), -EINVAL);
	ck_assert_int_eq(gba_ue_verify_pin(ue, "1234"), 0);
	ck_assert_int_eq(gba_ue_card_info(ue, &i), 0);
	ck_assert_int_eq(i.pin_state, GBA_UE_PIN_VERIFIED);
	ck_assert_str_eq(i.imsi, "001010000000001");
	gba_ue_free(ue);

	/* the PIN given as an option is used when the card asks */
	gba_uicc_reset(f.card);
	o.pin = "1234";
	ue = open_ue(&f, &o);
	ck_assert_int_eq(gba_ue_card_info(ue, &i), 0);
	ck_assert_int_eq(i.pin_state, GBA_UE_PIN_VERIFIED);
	gba_ue_free(ue);
	gba_uicc_free(f.card);
}
END_TEST

/* Key of the UE for (fqdn, ua) equals the BSF's. */
static void check_key(struct gba_ue *ue, const char *fqdn, const uint8_t ua[5], bool gba_u)
{
	struct gba_ue_naf_key k;
	uint8_t want[32];
	int rc = gba_ue_naf_key(ue, fqdn, ua, false, &k);

	ck_assert_msg(rc == 0, "naf_key: %d %s", rc, gba_ue_errmsg(ue));
	ck_assert_int_eq(mock_bsf_ks_naf(&bsf, fqdn, ua, want), 0);
	ck_assert(gba_ct_equal(k.key, want, 32));
	ck_assert_str_eq(k.btid, bsf.btid);
	ck_assert(k.gba_u == gba_u);
	gba_ue_key_wipe(&k);
}

/* a card without READ BINARY by SFI: the UE selects the files instead */
START_TEST(t_no_sfi)
{
	struct gba_ue_card_info i;
	struct env e;

	env_card(&e, CARD_U_ISIM);
	e.f.no_sfi = true;
	env_open(&e);
	ck_assert_int_eq(gba_ue_card_info(e.ue, &i), 0);
	ck_assert_str_eq(i.iccid, "8988211000000000001");
	ck_assert_str_eq(i.imsi, "001010000000001");
	ck_assert_str_eq(i.impi, SET1_IMPI);
	ck_assert(i.gba_u_used);
	ck_assert_int_eq(gba_ue_bootstrap(e.ue, false, NULL), 0);
	check_key(e.ue, "naf.example.com", gba_ue_ua_http_digest, true);
	env_free(&e);
}
END_TEST

START_TEST(t_boot_me)
{
	struct gba_ue_bootstrap b;
	char path[1100];
	struct stat st;
	uint8_t ua12[5];
	struct env e;

	env_card(&e, CARD_ME);
	env_open(&e);
	ck_assert_int_eq(gba_ue_bootstrap(e.ue, false, &b), 0);
	ck_assert(!b.gba_u && !b.from_cache && !b.resynced);
	ck_assert_str_eq(b.btid, bsf.btid);
	ck_assert_str_eq(bsf.impi, SET1_IMPI);
	ck_assert_ptr_nonnull(strstr(bsf.user_agent, "3gpp-gba"));
	ck_assert_ptr_null(strstr(bsf.user_agent, "3gpp-gba-uicc"));
	ck_assert_uint_eq(e.f.auth_81, 1);
	ck_assert_uint_eq(e.f.auth_84, 0);
	check_key(e.ue, "naf.example.com", gba_ue_ua_http_digest, false);
	gba_ue_ua_tls12(ua12, 0x00ae);
	check_key(e.ue, "naf.example.com", ua12, false);
	check_key(e.ue, "naf.example.com", gba_ue_ua_tls13, false);
	ck_assert_uint_eq(bsf.successes, 1);
	/* the cache file: 0600 */
	ck_assert_int_eq(ue_cache_path(e.ue, bsf.url, path, sizeof(path)), 0);
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_uint_eq(st.st_mode & 0777, 0600);
	gba_ue_free(e.ue);

	/* a new session reuses the cache: no Ub run, no AUTHENTICATE */
	e.ue = open_ue(&e.f, &e.o);
	ck_assert_int_eq(gba_ue_bootstrap(e.ue, false, &b), 0);
	ck_assert(b.from_cache);
	check_key(e.ue, "naf.example.com", gba_ue_ua_http_digest, false);
	ck_assert_uint_eq(bsf.successes, 1);
	ck_assert_uint_eq(e.f.auth_81, 1);
	/* --force bootstraps again */
	ck_assert_int_eq(gba_ue_bootstrap(e.ue, true, &b), 0);
	ck_assert(!b.from_cache);
	ck_assert_uint_eq(bsf.successes, 2);
	check_key(e.ue, "naf.example.com", gba_ue_ua_http_digest, false);
	env_free(&e);
}
END_TEST

START_TEST(t_cache_expired)
{
	struct gba_ue_bootstrap b;
	struct env e;

	env_card(&e, CARD_ME);
	bsf.lifetime = 10;	/* inside the 30 s margin: expired for the next session */
	env_open(&e);
	ck_assert_int_eq(gba_ue_bootstrap(e.ue, false, &b), 0);
	gba_ue_free(e.ue);
	e.ue = open_ue(&e.f, &e.o);
	ck_assert_int_eq(gba_ue_bootstrap(e.ue, false, &b), 0);
	ck_assert(!b.from_cache);
	ck_assert_uint_eq(bsf.successes, 2);
	env_free(&e);
}
END_TEST

START_TEST(t_cache_corrupt)
{
	struct ue_boot b;
	char path[600];
	FILE *fp;

	snprintf(path, sizeof(path), "%s/x.boot", tmp);
	ck_assert_int_eq(ue_cache_load(path, "a@b", time(NULL), &b), -ENOENT);
	fp = fopen(path, "w");
	fputs("gbakit-ue-boot 1\nimpi=a@b\nbtid=zz\n", fp);
	fclose(fp);
	chmod(path, 0600);
	ck_assert_int_eq(ue_cache_load(path, "a@b", time(NULL), &b), -EINVAL);
	chmod(path, 0644);	/* readable by others: refused */
	ck_assert_int_eq(ue_cache_load(path, "a@b", time(NULL), &b), -EINVAL);
	memset(&b, 0, sizeof(b));
	strcpy(b.impi, "a@b");
	strcpy(b.btid, SET1_BTID);
	b.expiry = time(NULL) + 100;
	ck_assert_int_eq(ue_cache_store(path, &b), 0);
	ck_assert_int_eq(ue_cache_load(path, "a@b", time(NULL), &b), 0);
	ck_assert_int_eq(ue_cache_load(path, "other@b", time(NULL), &b), -EINVAL);
	ck_assert_int_eq(ue_cache_load(path, "a@b", time(NULL) + 200, &b), -ESTALE);
}
END_TEST

START_TEST(t_boot_u)
{
	struct gba_ue_bootstrap b;
	unsigned int before;
	uint8_t ua12[5];
	struct env e;

	env_card(&e, CARD_U);
	env_open(&e);
	ck_assert_int_eq(gba_ue_bootstrap(e.ue, false, &b), 0);
	ck_assert(b.gba_u && !b.from_cache);
	ck_assert_ptr_nonnull(strstr(bsf.user_agent, "3gpp-gba-uicc"));
	ck_assert_uint_eq(e.f.auth_84, 1);
	ck_assert_uint_eq(e.f.auth_81, 0);
	check_key(e.ue, "naf.example.com", gba_ue_ua_http_digest, true);
	/* GBA_U bootstrap + first NAF key: the APDU budget */
	ck_assert_uint_le(gba_ue_apdu_count(e.ue), 16);
	gba_ue_ua_tls12(ua12, 0x00ae);
	before = gba_ue_apdu_count(e.ue);
	check_key(e.ue, "naf.example.com", ua12, true);
	ck_assert_uint_eq(gba_ue_apdu_count(e.ue), before + 1);	/* one AUTHENTICATE DE */
	check_key(e.ue, "naf.example.com", gba_ue_ua_tls13, true);
	gba_ue_free(e.ue);

	/* a new session: EF_GBABP is the cache */
	gba_uicc_reset(e.f.card);
	e.ue = open_ue(&e.f, &e.o);
	ck_assert_int_eq(gba_ue_bootstrap(e.ue, false, &b), 0);
	ck_assert(b.gba_u && b.from_cache);
	ck_assert_str_eq(b.btid, bsf.btid);
	check_key(e.ue, "naf.example.com", gba_ue_ua_http_digest, true);
	ck_assert_uint_eq(bsf.successes, 1);
	ck_assert_uint_eq(e.f.auth_84, 5);	/* DD once, DE three + one times */
	env_free(&e);
}
END_TEST

/* the card lost its Ks (6985 to NAF derivation): one new bootstrap, then the key */
START_TEST(t_naf_no_ks)
{
	struct env e;

	env_card(&e, CARD_U);
	env_open(&e);
	ck_assert_int_eq(gba_ue_bootstrap(e.ue, false, NULL), 0);
	e.f.lose_ks = true;
	check_key(e.ue, "naf.example.com", gba_ue_ua_http_digest, true);
	ck_assert_uint_eq(bsf.successes, 2);
	ck_assert_uint_eq(e.f.auth_84, 4);	/* DD, DE (6985), DD, DE */
	env_free(&e);
}
END_TEST

static void fallback(uint16_t sw)
{
	struct gba_ue_bootstrap b;
	struct gba_ue_card_info i;
	struct env e;

	env_card(&e, CARD_U);
	e.f.gba_sw = sw;
	env_open(&e);
	ck_assert_int_eq(gba_ue_bootstrap(e.ue, false, &b), 0);
	ck_assert(!b.gba_u);
	ck_assert_uint_eq(e.f.auth_84, 1);
	ck_assert_uint_eq(e.f.auth_81, 1);
	ck_assert_uint_eq(bsf.challenges, 1);	/* the same challenge, answered by 3G AKA */
	ck_assert_int_eq(gba_ue_card_info(e.ue, &i), 0);
	ck_assert(i.gba_u && !i.gba_u_used);
	check_key(e.ue, "naf.example.com", gba_ue_ua_http_digest, false);
	env_free(&e);
}

START_TEST(t_fallback_6a86)
{
	fallback(0x6a86);
}
END_TEST

START_TEST(t_fallback_9864)
{
	fallback(0x9864);
}
END_TEST

START_TEST(t_force_me)
{
	struct gba_ue_bootstrap b;
	struct env e;

	env_card(&e, CARD_U_ISIM);
	e.o.force_gba_me = true;
	env_open(&e);
	ck_assert_int_eq(gba_ue_bootstrap(e.ue, false, &b), 0);
	ck_assert(!b.gba_u);
	ck_assert_uint_eq(e.f.auth_84, 0);
	check_key(e.ue, "naf.example.com", gba_ue_ua_http_digest, false);
	env_free(&e);
}
END_TEST

START_TEST(t_resync)
{
	struct gba_ue_bootstrap b;
	struct env e;

	env_card(&e, CARD_U);
	e.p.sqn = 5000;	/* the card is ahead of the AuC */
	env_open(&e);
	ck_assert_int_eq(gba_ue_bootstrap(e.ue, false, &b), 0);
	ck_assert(b.resynced);
	ck_assert_uint_eq(bsf.resyncs, 1);
	ck_assert_uint_eq(bsf.challenges, 2);
	check_key(e.ue, "naf.example.com", gba_ue_ua_http_digest, true);
	env_free(&e);
}
END_TEST

START_TEST(t_mac_failure)
{
	struct env e;

	env_card(&e, CARD_U_ISIM);
	e.p.cred.k[0] ^= 1;	/* the card has another K: the BSF's AUTN is foreign */
	env_open(&e);
	ck_assert_int_eq(gba_ue_bootstrap(e.ue, false, NULL), -EBADMSG);
	ck_assert_ptr_nonnull(strstr(gba_ue_errmsg(e.ue), "MAC"));
	ck_assert_uint_eq(bsf.mac_failures, 1);	/* reported to the BSF */
	ck_assert_uint_eq(bsf.successes, 0);
	env_free(&e);
}
END_TEST

/* Bootstrap against a BSF in 'mode' (or at 'url'): 'want' and an error message with 'text'. */
static void bsf_mode(enum mock_mode mode, const char *url, int want, const char *text)
{
	struct env e;

	env_card(&e, CARD_ME);
	if (url)
		e.o.bsf_url = url;
	bsf.mode = mode;
	env_open(&e);
	ck_assert_int_eq(gba_ue_bootstrap(e.ue, false, NULL), want);
	ck_assert_msg(!text || strstr(gba_ue_errmsg(e.ue), text), "%s", gba_ue_errmsg(e.ue));
	env_free(&e);
}

START_TEST(t_bsf_403)
{
	bsf_mode(MOCK_403, NULL, -EPERM, "403");
}
END_TEST

START_TEST(t_bsf_503)
{
	bsf_mode(MOCK_503, NULL, -EAGAIN, "503");
}
END_TEST

START_TEST(t_bad_rspauth)
{
	bsf_mode(MOCK_BAD_RSPAUTH, NULL, -EBADMSG, "rspauth");
}
END_TEST

START_TEST(t_no_auth_info)
{
	bsf_mode(MOCK_NO_AUTH_INFO, NULL, 0, NULL);
}
END_TEST

START_TEST(t_bsf_down)
{
	bsf_mode(MOCK_OK, "http://127.0.0.1:1/", -ECONNREFUSED, "127.0.0.1:1");
}
END_TEST

START_TEST(t_card_removed)
{
	struct env e;

	env_card(&e, CARD_ME);
	env_open(&e);
	e.f.remove_at_auth = true;
	ck_assert_int_eq(gba_ue_bootstrap(e.ue, false, NULL), -ENOMEDIUM);
	ck_assert_ptr_nonnull(strstr(gba_ue_errmsg(e.ue), "removed"));
	env_free(&e);
}
END_TEST

START_TEST(t_digest_naf)
{
	struct gba_ue_response r;
	struct gba_ue *ue;
	struct env e;
	char url[128];

	env_card(&e, CARD_ME);
	env_open(&e);
	ue = e.ue;
	snprintf(url, sizeof(url), "http://127.0.0.1:%u/naf/x", bsf.port);
	ck_assert_int_eq(gba_ue_get(ue, url, 0, &r), 0);
	ck_assert_int_eq(r.status, 200);
	ck_assert_str_eq(r.body, "hello from the NAF\n");
	ck_assert(!r.rebootstrapped);
	ck_assert_uint_eq(bsf.naf_ok, 1);
	gba_ue_response_free(&r);
	/* the NAF forgets the B-TID: one new bootstrap and retry */
	bsf.naf_forget = true;
	ck_assert_int_eq(gba_ue_get(ue, url, 0, &r), 0);
	ck_assert_int_eq(r.status, 200);
	ck_assert(r.rebootstrapped);
	ck_assert_uint_eq(bsf.successes, 2);
	gba_ue_response_free(&r);
	env_free(&e);
}
END_TEST

/* TLS-PSK towards the mock NAF: right key works, wrong key fails; identity and SNI as sent. */
static void tls(enum card_kind kind, int version, bool wrong, unsigned int flags)
{
	struct gba_ue_response r;
	struct mock_tls t;
	struct env e;
	char url[64];
	int rc;

	env_card(&e, kind);
	env_open(&e);
	ck_assert_int_eq(gba_ue_bootstrap(e.ue, false, NULL), 0);
	ck_assert_int_eq(mock_tls_start(&t, &bsf, "127.0.0.1", version, wrong), 0);
	snprintf(url, sizeof(url), "https://127.0.0.1:%u/x", t.port);
	rc = gba_ue_get(e.ue, url, flags, &r);
	mock_tls_stop(&t);
	if (wrong) {
		ck_assert_int_eq(rc, -EACCES);
		ck_assert_ptr_nonnull(strstr(gba_ue_errmsg(e.ue), "handshake"));
	} else {
		ck_assert_msg(rc == 0, "%d %s", rc, gba_ue_errmsg(e.ue));
		ck_assert_int_eq(r.status, 200);
		ck_assert_str_eq(r.body, "hello over TLS-PSK");
		ck_assert_str_eq(r.tls_version, version == TLS1_3_VERSION ? "TLSv1.3" : "TLSv1.2");
		ck_assert_uint_eq(t.handshakes, 1);
		ck_assert_str_eq(t.sni, "127.0.0.1");
		gba_ue_response_free(&r);
	}
	ck_assert_str_eq(t.identity, bsf.btid);
	env_free(&e);
}

/* card, TLS version of the NAF, NAF with a wrong key, client flags */
static const struct {
	enum card_kind kind;
	int version;
	bool wrong;
	unsigned int flags;
} tls_cases[] = {
	{ CARD_ME, TLS1_2_VERSION, false, 0 },
	{ CARD_U, TLS1_2_VERSION, false, GBA_UE_TLS_12_ONLY },
	{ CARD_U_ISIM, TLS1_3_VERSION, false, 0 },
	{ CARD_ME, TLS1_2_VERSION, true, GBA_UE_TLS_12_ONLY },
	{ CARD_ME, TLS1_3_VERSION, true, GBA_UE_TLS_13_ONLY },
};

START_TEST(t_tls)
{
	tls(tls_cases[_i].kind, tls_cases[_i].version, tls_cases[_i].wrong, tls_cases[_i].flags);
}
END_TEST

START_TEST(t_args)
{
	struct gba_ue *ue = NULL;
	struct gba_ue_naf_key k;
	struct gba_profile p;
	struct filt f = { 0 };
	struct gba_ue_opts o = opts();

	ck_assert_int_eq(gba_ue_open_apdu(NULL, filt_tx, &f, NULL), -EINVAL);
	ck_assert_int_eq(gba_ue_bootstrap(NULL, false, NULL), -EINVAL);
	ck_assert_str_eq(gba_ue_errmsg(NULL), "out of memory");
	gba_ue_free(NULL);
	me_profile(&p);
	f.card = fx_card(&p, NULL);
	ue = open_ue(&f, &o);
	ck_assert_int_eq(gba_ue_naf_key(ue, "", gba_ue_ua_http_digest, false, &k), -EINVAL);
	ck_assert_int_eq(gba_ue_tls_suite_id("PSK-AES128-CBC-SHA256"), 0x00ae);
	ck_assert_int_eq(gba_ue_tls_suite_id("TLS_PSK_WITH_AES_128_CBC_SHA256"), 0x00ae);
	ck_assert_int_eq(gba_ue_tls_suite_id("nonsense"), -ENOENT);
	gba_ue_free(ue);
	gba_uicc_free(f.card);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("ue");
	TCase *tc = tcase_create("ue");
	SRunner *sr;
	int failed;

	gba_log_init("test_ue", GBA_LOG_STDERR);
	gba_log_parse_spec(getenv("GBA_TEST_LOG") ? getenv("GBA_TEST_LOG") : "error");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, t_info_usim_me);
	tcase_add_test(tc, t_info_isim_u);
	tcase_add_test(tc, t_no_sfi);
	tcase_add_test(tc, t_pin);
	tcase_add_test(tc, t_boot_me);
	tcase_add_test(tc, t_cache_expired);
	tcase_add_test(tc, t_cache_corrupt);
	tcase_add_test(tc, t_boot_u);
	tcase_add_test(tc, t_naf_no_ks);
	tcase_add_test(tc, t_fallback_6a86);
	tcase_add_test(tc, t_fallback_9864);
	tcase_add_test(tc, t_force_me);
	tcase_add_test(tc, t_resync);
	tcase_add_test(tc, t_mac_failure);
	tcase_add_test(tc, t_bsf_403);
	tcase_add_test(tc, t_bsf_503);
	tcase_add_test(tc, t_bad_rspauth);
	tcase_add_test(tc, t_no_auth_info);
	tcase_add_test(tc, t_bsf_down);
	tcase_add_test(tc, t_card_removed);
	tcase_add_test(tc, t_digest_naf);
	tcase_add_loop_test(tc, t_tls, 0, sizeof(tls_cases) / sizeof(tls_cases[0]));
	tcase_add_test(tc, t_args);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
