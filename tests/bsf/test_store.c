/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit tests of bsf/: the SQLite store (sessions replaced per IMPI, expiry, single-use
 * challenges, SQN bounds that only grow, survival across reopen), the in-memory challenge
 * table under many entries (bound, purge, wipe on free), commits that survive SIGKILL, the
 * KEK (seal/open, wrong B-TID refused, key file created 0600) and the built-in AuC's SQN
 * reservation.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <check.h>

#include <gba/log.h>

#include "chal_table.h"
#include "kek.h"
#include "store.h"
#include "zh.h"

static char dir[64];

static void tmpdir_setup(void)
{
	strcpy(dir, "/tmp/gba-bsf-store.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
}

static void tmpdir_teardown(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	ck_assert_int_eq(system(cmd), 0);
}

static struct bsf_store *open_store(void)
{
	char uri[128];
	struct bsf_store *st = NULL;

	snprintf(uri, sizeof(uri), "sqlite:%s/s.db", dir);
	ck_assert_int_eq(bsf_store_open(&st, uri), 0);
	return st;
}

static void session(struct bsf_session *s, const char *btid, const char *impi, time_t exp)
{
	memset(s, 0, sizeof(*s));
	strcpy(s->btid, btid);
	strcpy(s->impi, impi);
	memset(s->ks_blob, 0x5a, sizeof(s->ks_blob));
	s->created = 100;
	s->expires = exp;
	s->gba_u = true;
}

START_TEST(sessions)
{
	struct bsf_store *st = open_store();
	struct bsf_session s, o;
	char path[128];
	struct stat sb;

	session(&s, "AAAA@bsf", "impi1", 1000);
	ck_assert_int_eq(st->ops->put_session(st, &s), 0);
	ck_assert_int_eq(st->ops->get_session(st, "AAAA@bsf", 500, &o), 0);
	ck_assert_str_eq(o.impi, "impi1");
	ck_assert(o.gba_u);
	ck_assert_int_eq(o.expires, 1000);
	ck_assert(!memcmp(o.ks_blob, s.ks_blob, sizeof(s.ks_blob)));
	ck_assert_int_eq(st->ops->get_session(st, "AAAA@bsf", 1000, &o), -ENOENT);
	/* a second bootstrap of the IMPI replaces the first */
	session(&s, "BBBB@bsf", "impi1", 2000);
	ck_assert_int_eq(st->ops->put_session(st, &s), 0);
	ck_assert_int_eq(st->ops->get_session(st, "AAAA@bsf", 500, &o), -ENOENT);
	ck_assert_int_eq(st->ops->get_session(st, "BBBB@bsf", 500, &o), 0);
	ck_assert_int_eq(st->ops->count_sessions(st, 500), 1);
	ck_assert_int_eq(st->ops->purge(st, 3000), 1);
	ck_assert_int_eq(st->ops->get_session(st, "BBBB@bsf", 500, &o), -ENOENT);
	bsf_store_close(st);
	snprintf(path, sizeof(path), "%s/s.db", dir);
	ck_assert_int_eq(stat(path, &sb), 0);
	ck_assert_int_eq(sb.st_mode & 0777, 0600);
}
END_TEST

START_TEST(challenges)
{
	struct bsf_store *st = open_store();
	struct bsf_challenge c, o;

	memset(&c, 0, sizeof(c));
	strcpy(c.nonce, "nonce1");
	strcpy(c.impi, "impi");
	strcpy(c.opaque, "op");
	strcpy(c.uri, "/");
	c.xres_len = 8;
	memset(c.xres, 7, 8);
	c.failures = 2;
	c.key_lifetime = 77;
	c.expires = 1000;
	ck_assert_int_eq(st->ops->put_challenge(st, &c), 0);
	ck_assert_int_eq(st->ops->put_challenge(st, &c), -EEXIST);
	ck_assert_int_eq(st->ops->take_challenge(st, "nonce1", 500, &o), 0);
	ck_assert_str_eq(o.opaque, "op");
	ck_assert_uint_eq(o.xres_len, 8);
	ck_assert_uint_eq(o.failures, 2);
	ck_assert_uint_eq(o.key_lifetime, 77);
	/* single use */
	ck_assert_int_eq(st->ops->take_challenge(st, "nonce1", 500, &o), -ENOENT);
	strcpy(c.nonce, "nonce2");
	ck_assert_int_eq(st->ops->put_challenge(st, &c), 0);
	ck_assert_int_eq(st->ops->take_challenge(st, "nonce2", 1000, &o), -ETIME);
	ck_assert_int_eq(st->ops->take_challenge(st, "nonce2", 500, &o), -ENOENT);
	bsf_store_close(st);
}
END_TEST

/*
 * Every commit is in the kernel when put_session() returns (store_sqlite_wal.c gathers a
 * commit's WAL writes): a child writes sessions and SIGKILLs itself without closing the
 * store; all of them are there after reopening, and so are the ones written before.
 */
START_TEST(commit_survives_kill)
{
	struct bsf_store *st = open_store();
	struct bsf_session s, o;
	int status;
	pid_t pid;

	session(&s, "OLD@bsf", "impi-old", 5000);
	ck_assert_int_eq(st->ops->put_session(st, &s), 0);
	bsf_store_close(st);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		char btid[32], impi[32];

		st = open_store();
		for (int i = 0; i < 300; i++) {
			snprintf(btid, sizeof(btid), "B%d@bsf", i);
			snprintf(impi, sizeof(impi), "impi%d", i % 100);
			session(&s, btid, impi, 5000);
			if (st->ops->put_session(st, &s))
				_exit(3);
		}
		kill(getpid(), SIGKILL);
		_exit(4);
	}
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
	st = open_store();
	ck_assert_int_eq(st->ops->get_session(st, "OLD@bsf", 500, &o), 0);
	for (int i = 200; i < 300; i++) {
		char btid[32];

		snprintf(btid, sizeof(btid), "B%d@bsf", i);
		ck_assert_int_eq(st->ops->get_session(st, btid, 500, &o), 0);
	}
	ck_assert_int_eq(st->ops->get_session(st, "B199@bsf", 500, &o), -ENOENT);
	ck_assert_int_eq(st->ops->count_sessions(st, 500), 101);
	bsf_store_close(st);
}
END_TEST

/* Many challenges: every one found once, the bound kept, purge by expiry, free with entries. */
START_TEST(chal_table)
{
	enum { N = 4000 };
	struct bsf_chal_table *t = bsf_chal_table_new(N);
	struct bsf_challenge c, o;
	char too_long[BSF_NONCE_MAX + 8];

	ck_assert_ptr_nonnull(t);
	memset(&c, 0, sizeof(c));
	for (int i = 0; i < N; i++) {
		snprintf(c.nonce, sizeof(c.nonce), "n%d", i);
		c.expires = 100 + i % 2;
		c.ck[0] = (uint8_t)i;
		ck_assert_int_eq(bsf_chal_table_put(t, &c), 0);
	}
	ck_assert_uint_eq(bsf_chal_table_count(t), N);
	strcpy(c.nonce, "one more");
	ck_assert_int_eq(bsf_chal_table_put(t, &c), -ENOSPC);
	strcpy(c.nonce, "n5");
	ck_assert_int_eq(bsf_chal_table_put(t, &c), -EEXIST);
	for (int i = 0; i < N; i += 4) {
		char n[16];

		snprintf(n, sizeof(n), "n%d", i);
		ck_assert_int_eq(bsf_chal_table_take(t, n, 50, &o), 0);
		ck_assert_str_eq(o.nonce, n);
		ck_assert_uint_eq(o.ck[0], (uint8_t)i);
		ck_assert_int_eq(bsf_chal_table_take(t, n, 50, &o), -ENOENT);
		ck_assert_uint_eq(o.ck[0], 0);
	}
	ck_assert_uint_eq(bsf_chal_table_count(t), N - N / 4);
	memset(too_long, 'a', sizeof(too_long) - 1);
	too_long[sizeof(too_long) - 1] = '\0';
	ck_assert_int_eq(bsf_chal_table_take(t, too_long, 50, &o), -ENOENT);
	ck_assert_int_eq(bsf_chal_table_take(t, "n1", 101, &o), -ETIME);
	ck_assert_str_eq(o.nonce, "n1");
	/* the even ones expire at 100, the odd ones at 101 */
	ck_assert_int_eq(bsf_chal_table_purge(t, 100), N / 4);
	ck_assert_uint_eq(bsf_chal_table_count(t), N / 2 - 1);
	ck_assert_int_eq(bsf_chal_table_take(t, "n2", 50, &o), -ENOENT);
	ck_assert_int_eq(bsf_chal_table_take(t, "n3", 50, &o), 0);
	bsf_chal_table_free(t);
	bsf_chal_table_free(NULL);
}
END_TEST

START_TEST(sqn_bounds)
{
	struct bsf_store *st = open_store();
	uint64_t v = 0;

	ck_assert_int_eq(st->ops->sqn_get(st, "001010000000001", &v), -ENOENT);
	ck_assert_int_eq(st->ops->sqn_reserve(st, "001010000000001", 2048), 0);
	ck_assert_int_eq(st->ops->sqn_reserve(st, "001010000000001", 1024), 0);
	ck_assert_int_eq(st->ops->sqn_get(st, "001010000000001", &v), 0);
	ck_assert_uint_eq(v, 2048);	/* never moves back */
	bsf_store_close(st);
	st = open_store();
	ck_assert_int_eq(st->ops->sqn_get(st, "001010000000001", &v), 0);
	ck_assert_uint_eq(v, 2048);
	bsf_store_close(st);
	ck_assert_int_eq(bsf_store_open(&st, "memcached://x"), -EINVAL);
}
END_TEST

START_TEST(kek)
{
	struct bsf_kek k, k2;
	uint8_t ks[32], out[32], blob[BSF_KS_BLOB_LEN], t1[8], t2[8];
	char path[128];
	struct stat sb;

	snprintf(path, sizeof(path), "%s/kek", dir);
	ck_assert_int_eq(bsf_kek_load(&k, NULL, path, false), -ENOENT);
	ck_assert_int_eq(bsf_kek_load(&k, NULL, path, true), 0);
	ck_assert_int_eq(stat(path, &sb), 0);
	ck_assert_int_eq(sb.st_mode & 0777, 0600);
	ck_assert_int_eq(bsf_kek_load(&k2, NULL, path, false), 0);
	ck_assert(!memcmp(k.key, k2.key, 32));
	for (int i = 0; i < 32; i++)
		ks[i] = (uint8_t)i;
	ck_assert_int_eq(bsf_kek_seal(&k, blob, ks, "btid1@x"), 0);
	ck_assert(memcmp(blob + 12, ks, 32));
	ck_assert_int_eq(bsf_kek_open(&k2, out, blob, "btid1@x"), 0);
	ck_assert(!memcmp(out, ks, 32));
	ck_assert_int_eq(bsf_kek_open(&k2, out, blob, "btid2@x"), -EBADMSG);
	blob[20] ^= 1;
	ck_assert_int_eq(bsf_kek_open(&k2, out, blob, "btid1@x"), -EBADMSG);
	ck_assert_int_eq(bsf_kek_tag(&k, t1, (const uint8_t *)"abc", 3), 0);
	ck_assert_int_eq(bsf_kek_tag(&k2, t2, (const uint8_t *)"abc", 3), 0);
	ck_assert(!memcmp(t1, t2, 8));
	ck_assert_int_eq(bsf_kek_load(&k, "00112233", NULL, false), -EINVAL);
	ck_assert_int_eq(bsf_kek_load(&k, "000102030405060708090a0b0c0d0e0f"
					  "000102030405060708090a0b0c0d0e0f", NULL, false), 0);
	bsf_kek_clear(&k);
	bsf_kek_clear(&k2);
}
END_TEST

static struct zh_result last;
static int calls;

static void cb(void *arg, const struct zh_result *res)
{
	last = *res;
	calls++;
}

static void write_profile(const char *path, const char *imsi)
{
	FILE *f = fopen(path, "w");

	fprintf(f, "cards = ( { name = \"a\"; iccid = \"8988211000000000001\"; imsi = \"%s\";"
		" mnc_length = 2; algorithm = \"milenage\";"
		" k = \"465b5ce8b199b49faa5f0a2ee238a6bc\";"
		" opc = \"cd63cb71954a9f4e48a5994e37a02baf\"; amf = \"8000\"; sqn = 0;"
		" ind_bitlen = 0; gba_u = true; key_lifetime = 60; } );\n", imsi);
	fclose(f);
}

START_TEST(auc_reserve)
{
	struct bsf_store *st = open_store();
	struct zh *zh;
	struct gba_aka_cred cred = { .alg = GBA_AKA_MILENAGE };
	char path[128];
	const char *impi = "001010000000001@ims.mnc001.mcc001.3gppnetwork.org";
	uint64_t v = 0, sqn = 0, last_sqn = 0;

	gba_hex_decode(cred.k, 16, "465b5ce8b199b49faa5f0a2ee238a6bc");
	gba_hex_decode(cred.opc, 16, "cd63cb71954a9f4e48a5994e37a02baf");
	snprintf(path, sizeof(path), "%s/p.conf", dir);
	write_profile(path, "001010000000001");
	ck_assert_int_eq(zh_auc_open(&zh, path, st, 4), 0);
	ck_assert_uint_eq(zh_auc_count(zh), 1);
	zh->ops->request_av(zh, "nobody@x", NULL, cb, NULL);
	ck_assert_int_eq(last.rc, -ENOENT);
	for (int i = 1; i <= 10; i++) {
		zh->ops->request_av(zh, impi, NULL, cb, NULL);
		ck_assert_int_eq(last.rc, 0);
		ck_assert(last.gba_u);
		ck_assert_uint_eq(last.key_lifetime, 60);
		ck_assert_int_eq(gba_usim_check_autn(&cred, last.av.rand, last.av.autn, &sqn, NULL),
				 0);
		ck_assert_uint_eq(sqn, (uint64_t)i);
		ck_assert_int_eq(st->ops->sqn_get(st, "001010000000001", &v), 0);
		ck_assert_uint_ge(v, sqn);	/* durable bound covers every vector handed out */
	}
	ck_assert_uint_eq(v, 10);	/* reserved 4 ahead: 1+4, 6+4 */
	ck_assert_int_eq(calls, 11);
	zh_close(zh);
	/* "crash": a new AuC continues after the reserved bound */
	ck_assert_int_eq(zh_auc_open(&zh, path, st, 4), 0);
	zh->ops->request_av(zh, impi, NULL, cb, NULL);
	ck_assert_int_eq(gba_usim_check_autn(&cred, last.av.rand, last.av.autn, &sqn, NULL), 0);
	ck_assert_uint_eq(sqn, 11);
	/* resync: the card is at 1000 */
	{
		uint8_t rs[ZH_RESYNC_LEN];

		last_sqn = 1000;
		memcpy(rs, last.av.rand, 16);
		ck_assert_int_eq(gba_usim_auts(&cred, last.av.rand, last_sqn, rs + 16), 0);
		zh->ops->request_av(zh, impi, rs, cb, NULL);
		ck_assert_int_eq(last.rc, 0);
		ck_assert_int_eq(gba_usim_check_autn(&cred, last.av.rand, last.av.autn, &sqn, NULL),
				 0);
		ck_assert_uint_gt(sqn, last_sqn);
		ck_assert_int_eq(st->ops->sqn_get(st, "001010000000001", &v), 0);
		ck_assert_uint_ge(v, sqn);
		rs[29] ^= 1;
		zh->ops->request_av(zh, impi, rs, cb, NULL);
		ck_assert_int_eq(last.rc, -EBADMSG);
	}
	/* reload keeps the SQN */
	ck_assert_int_eq(zh->ops->reload(zh), 0);
	zh->ops->request_av(zh, impi, NULL, cb, NULL);
	ck_assert_int_eq(gba_usim_check_autn(&cred, last.av.rand, last.av.autn, &last_sqn, NULL),
			 0);
	ck_assert_uint_eq(last_sqn, sqn + 1);
	/* the IMSI-derived IMPI finds the subscriber too (here the same string) */
	zh_close(zh);
	ck_assert_int_eq(zh_auc_open(&zh, "/nonexistent/profiles", st, 4), -ENOENT);
	bsf_store_close(st);
	gba_zeroize(&last, sizeof(last));
}
END_TEST

int main(void)
{
	Suite *s = suite_create("bsf-store");
	TCase *tc = tcase_create("store");
	SRunner *sr;
	int failed;

	gba_log_set_level(GBA_LL_NONE);
	tcase_add_checked_fixture(tc, tmpdir_setup, tmpdir_teardown);
	tcase_add_test(tc, sessions);
	tcase_add_test(tc, challenges);
	tcase_add_test(tc, chal_table);
	tcase_add_test(tc, commit_survives_kill);
	tcase_add_test(tc, sqn_bounds);
	tcase_add_test(tc, kek);
	tcase_add_test(tc, auc_reserve);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
