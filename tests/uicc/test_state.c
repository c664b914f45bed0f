/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit tests of the soft UICC's state file: everything survives a restart (SQN array, GBA_U
 * Ks/RAND/EF_GBABP/EF_GBANL, EF updates, PIN counters and values), the file is 0600 and
 * locked, a corrupt, truncated, foreign or world-readable file is refused with a message and
 * left alone, and kill -9 at every step of a state write (and at random moments) never lets
 * a replayed AUTN pass nor leaves an unreadable file.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <gba/aka.h>

#include "card.h"
#include "fixture.h"

static struct gba_profile prof;
static char *dir;
static char path[512];

static void setup(void)
{
	fx_profile(&prof);
	dir = fx_tmpdir();
	snprintf(path, sizeof(path), "%s/card.state", dir);
}

static void teardown(void)
{
	fx_rmdir(dir);
}

static struct gba_uicc *open_card(void)
{
	struct gba_uicc *c = fx_card(&prof, path);

	fx_expect(c, APDU_SELECT_USIM, 0x9000, NULL);
	return c;
}

static int try_open(char *err, size_t errlen)
{
	struct gba_uicc_opts o = { .state_path = path, .no_fsync = true };
	struct gba_uicc *c = NULL;
	int rc = gba_uicc_new(&c, &prof, &o, err, errlen);

	gba_uicc_free(c);
	return rc;
}

START_TEST(survives_restart)
{
	struct gba_uicc *c = open_card();
	struct stat st;
	char h[600];

	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_uint_eq(st.st_mode & 0777, 0600);
	fx_expect(c, APDU_AUTH_3G, 0x9000, NULL);
	fx_expect(c, APDU_SELECT_ISIM, 0x9000, NULL);
	/* the ISIM bootstraps GBA_U with a fresh vector */
	{
		struct gba_auc_sub sub = { .cred = prof.cred, .sqn = SET1_SQN };
		struct gba_av av;
		uint8_t rand[16];
		char r[40], a[40], apdu[200];

		memcpy(sub.amf, prof.amf, 2);
		gba_hex_decode(rand, 16, SET1_RAND);
		ck_assert_int_eq(gba_auc_gen_vector(&av, &sub, rand), 0);
		gba_hex_encode(r, sizeof(r), av.rand, 16);
		gba_hex_encode(a, sizeof(a), av.autn, 16);
		snprintf(apdu, sizeof(apdu), "0088008423dd" "10%s10%s00", r, a);
		fx_expect(c, apdu, 0x9000, NULL);
	}
	fx_expect(c, "00a4000c026fd5", 0x9000, NULL);
	fx_expect(c, "00d6001102" "0141", 0x9000, NULL);		/* B-TID "A" */
	fx_expect(c, APDU_GBA_NAF, 0x9000, NULL);
	ck_assert_uint_eq(fx_tx(c, APDU_GBA_NAF, h, sizeof(h)), 0x9000);
	fx_expect(c, APDU_SELECT_USIM, 0x9000, NULL);
	fx_expect(c, "00a4000c026f7e", 0x9000, NULL);			/* EF_LOCI update */
	fx_expect(c, "00d6000002abcd", 0x9000, NULL);
	fx_expect(c, "002000010830303030ffffffff", 0x63c2, NULL);	/* a wrong PIN */
	gba_uicc_free(c);

	/* a new process with the same state file */
	c = open_card();
	ck_assert_uint_eq(fx_tx(c, APDU_AUTH_3G, h, sizeof(h)), 0x9000);
	ck_assert(!strncmp(h, "dc0e", 4));				/* replay refused */
	fx_expect(c, "00a4000c026f7e", 0x9000, NULL);
	fx_expect(c, "00b0000002", 0x9000, "abcd");
	fx_expect(c, "0020000100", 0x63c2, NULL);
	fx_expect(c, APDU_SELECT_ISIM, 0x9000, NULL);
	ck_assert(c->gba[APP_ISIM].ks_valid);
	ck_assert(c->gba[APP_ISIM].nl[0].valid);
	ck_assert_uint_eq(c->gba[APP_ISIM].lru_clock, 2);
	fx_expect(c, "00a4000c026fd5", 0x9000, NULL);
	fx_expect(c, "00b0001102", 0x9000, "0141");
	ck_assert_uint_eq(fx_tx(c, APDU_GBA_NAF, NULL, 0), 0x9000);
	/* a correct PIN resets the counter, on disk too */
	fx_expect(c, "002000010831323334ffffffff", 0x9000, NULL);
	gba_uicc_free(c);
	c = open_card();
	fx_expect(c, "0020000100", 0x63c3, NULL);
	gba_uicc_free(c);
}
END_TEST

START_TEST(locked)
{
	struct gba_uicc *c = open_card();
	char err[512];

	ck_assert_int_eq(try_open(err, sizeof(err)), -EBUSY);
	ck_assert_ptr_nonnull(strstr(err, "in use"));
	gba_uicc_free(c);
	ck_assert_int_eq(try_open(err, sizeof(err)), 0);
}
END_TEST

static void corrupt_at(long off, int xor_byte)
{
	int fd = open(path, O_RDWR);
	uint8_t b;

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(pread(fd, &b, 1, off), 1);
	b ^= (uint8_t)xor_byte;
	ck_assert_int_eq(pwrite(fd, &b, 1, off), 1);
	close(fd);
}

START_TEST(corrupt_refused)
{
	struct gba_uicc *c = open_card();
	char err[512];
	struct stat st, st2;

	fx_expect(c, APDU_AUTH_3G, 0x9000, NULL);
	gba_uicc_free(c);
	ck_assert_int_eq(stat(path, &st), 0);

	/* one flipped bit anywhere: refused, message, file left as it is */
	corrupt_at(st.st_size / 2, 0x01);
	ck_assert_int_eq(try_open(err, sizeof(err)), -EBADMSG);
	ck_assert_ptr_nonnull(strstr(err, "checksum"));
	ck_assert_ptr_nonnull(strstr(err, path));
	ck_assert_int_eq(stat(path, &st2), 0);
	ck_assert_int_eq(st2.st_size, st.st_size);
	corrupt_at(st.st_size / 2, 0x01);
	ck_assert_int_eq(try_open(err, sizeof(err)), 0);
	/* bad magic, bad version */
	corrupt_at(0, 0x20);
	ck_assert_int_eq(try_open(err, sizeof(err)), -EBADMSG);
	ck_assert_ptr_nonnull(strstr(err, "magic"));
	corrupt_at(0, 0x20);
	corrupt_at(11, 0x02);
	ck_assert_int_eq(try_open(err, sizeof(err)), -EBADMSG);
	ck_assert_ptr_nonnull(strstr(err, "version"));
	corrupt_at(11, 0x02);
	/* truncated */
	ck_assert_int_eq(truncate(path, st.st_size - 1), 0);
	ck_assert_int_eq(try_open(err, sizeof(err)), -EBADMSG);
	ck_assert_int_eq(truncate(path, 10), 0);
	ck_assert_int_eq(try_open(err, sizeof(err)), -EBADMSG);
	ck_assert_int_eq(truncate(path, 0), 0);
	ck_assert_int_eq(try_open(err, sizeof(err)), -EBADMSG);
}
END_TEST

START_TEST(foreign_and_mode_refused)
{
	struct gba_uicc *c = open_card();
	char err[512];

	gba_uicc_free(c);
	ck_assert_int_eq(chmod(path, 0644), 0);
	ck_assert_int_eq(try_open(err, sizeof(err)), -EACCES);
	ck_assert_ptr_nonnull(strstr(err, "chmod 600"));
	ck_assert_int_eq(chmod(path, 0600), 0);
	/* another card's state */
	strcpy(prof.iccid, "8988211000000000002");
	ck_assert_int_eq(try_open(err, sizeof(err)), -EBADMSG);
	ck_assert_ptr_nonnull(strstr(err, "ICCID"));
	/* the same card with another IND bit length */
	fx_profile(&prof);
	prof.ind_bitlen = 5;
	ck_assert_int_eq(try_open(err, sizeof(err)), -EBADMSG);
	ck_assert_ptr_nonnull(strstr(err, "IND"));
	/* a directory that cannot take the file */
	snprintf(path, sizeof(path), "%s/nodir/card.state", dir);
	fx_profile(&prof);
	ck_assert_int_eq(try_open(err, sizeof(err)), -ENOENT);
}
END_TEST

/* ---- kill -9 */

static int hook_pipe = -1;
static int hook_at = -1;

static void pause_hook(enum gba_uicc_hook_point pt, void *arg)
{
	(void)arg;
	if ((int)pt == hook_at) {
		char b = (char)('0' + pt);

		if (write(hook_pipe, &b, 1) != 1)
			_exit(3);
		for (;;)
			pause();
	}
}

/* Child: open the card, send one AUTHENTICATE, report its SW on the pipe, then wait. */
static pid_t child_auth(const char *apdu, int point, int *rfd)
{
	int p[2];
	pid_t pid;

	ck_assert_int_eq(pipe(p), 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		struct gba_uicc_opts o = { .state_path = path };	/* real fsync */
		struct gba_uicc *c = NULL;
		char err[300];
		unsigned int sw;
		char b[8];

		close(p[0]);
		if (gba_uicc_new(&c, &prof, &o, err, sizeof(err)))
			_exit(2);
		fx_tx(c, APDU_SELECT_USIM, NULL, 0);
		hook_pipe = p[1];
		hook_at = point;
		gba_uicc_set_hook(c, pause_hook, NULL);
		sw = fx_tx(c, apdu, NULL, 0);
		snprintf(b, sizeof(b), "R%04x", sw);
		if (write(p[1], b, 5) != 5)
			_exit(3);
		for (;;)
			pause();
	}
	close(p[1]);
	*rfd = p[0];
	return pid;
}

static void kill_child(pid_t pid)
{
	int st;

	ck_assert_int_eq(kill(pid, SIGKILL), 0);
	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	ck_assert(WIFSIGNALED(st));
}

START_TEST(kill9_at_each_step)
{
	int point;

	for (point = GBA_UICC_HOOK_BEFORE_WRITE; point <= GBA_UICC_HOOK_COMMITTED; point++) {
		struct gba_uicc *c;
		char b[8] = { 0 }, h[300];
		int rfd;
		pid_t pid;

		/* a fresh card each round */
		unlink(path);
		c = open_card();
		gba_uicc_free(c);
		pid = child_auth(APDU_AUTH_3G, point, &rfd);
		ck_assert_int_eq(read(rfd, b, 1), 1);
		ck_assert_int_eq(b[0], '0' + point);
		kill_child(pid);
		close(rfd);
		/* the state file is whole, and the card after the kill: */
		c = open_card();
		ck_assert_uint_eq(fx_tx(c, APDU_AUTH_3G, h, sizeof(h)), 0x9000);
		if (point == GBA_UICC_HOOK_COMMITTED)
			/* SQN on disk before the answer: the replay is refused */
			ck_assert_msg(!strncmp(h, "dc0e", 4), "point %d: replay accepted", point);
		else
			/* killed before the commit: no answer ever left, the vector is unused */
			ck_assert_msg(!strncmp(h, "db08", 4), "point %d: %s", point, h);
		gba_uicc_free(c);
	}
}
END_TEST

START_TEST(kill9_random)
{
	/* answered vectors must never pass again, whenever the card dies */
	struct gba_auc_sub sub = { .cred = prof.cred };
	struct gba_av av[12];
	bool answered[12] = { false };
	unsigned int i, j;
	struct timespec ts;

	memcpy(sub.amf, prof.amf, 2);
	srand((unsigned int)getpid());
	for (i = 0; i < 12; i++) {
		uint8_t rand_[16] = { (uint8_t)i, 0x55 };
		char r[40], a[40], apdu[200], b[8] = { 0 };
		int rfd;
		pid_t pid;

		ck_assert_int_eq(gba_auc_gen_vector(&av[i], &sub, rand_), 0);
		gba_hex_encode(r, sizeof(r), av[i].rand, 16);
		gba_hex_encode(a, sizeof(a), av[i].autn, 16);
		snprintf(apdu, sizeof(apdu), "0088008122" "10%s10%s00", r, a);
		pid = child_auth(apdu, -1, &rfd);
		ts.tv_sec = 0;
		ts.tv_nsec = (long)(rand() % 3000) * 1000;	/* 0..3 ms */
		nanosleep(&ts, NULL);
		fcntl(rfd, F_SETFL, O_NONBLOCK);
		kill_child(pid);
		if (read(rfd, b, 5) == 5 && !strcmp(b, "R9000"))
			answered[i] = true;
		close(rfd);
		/* every answered vector so far is refused now */
		{
			struct gba_uicc *c = open_card();

			for (j = 0; j <= i; j++) {
				char h[300];

				if (!answered[j])
					continue;
				gba_hex_encode(r, sizeof(r), av[j].rand, 16);
				gba_hex_encode(a, sizeof(a), av[j].autn, 16);
				snprintf(apdu, sizeof(apdu), "0088008122" "10%s10%s00", r, a);
				ck_assert_uint_eq(fx_tx(c, apdu, h, sizeof(h)), 0x9000);
				ck_assert_msg(!strncmp(h, "dc0e", 4), "vector %u replayed", j);
			}
			gba_uicc_free(c);
		}
	}
}
END_TEST

START_TEST(write_failure_answers_6581)
{
	struct gba_uicc *c = open_card();

	/* the directory goes read-only: the card cannot persist, so it does not answer RES */
	ck_assert_int_eq(chmod(dir, 0500), 0);
	if (access(dir, W_OK) == 0) {
		/* root ignores the mode: make the temporary name a directory instead */
		char tmp[600];

		chmod(dir, 0700);
		snprintf(tmp, sizeof(tmp), "%s.tmp", path);
		ck_assert_int_eq(mkdir(tmp, 0700), 0);
		fx_expect(c, APDU_AUTH_3G, 0x6581, NULL);
		rmdir(tmp);
	} else {
		fx_expect(c, APDU_AUTH_3G, 0x6581, NULL);
		chmod(dir, 0700);
	}
	gba_uicc_free(c);
}
END_TEST

int main(void)
{
	TCase *tc = tcase_create("persistence");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, survives_restart);
	tcase_add_test(tc, locked);
	tcase_add_test(tc, corrupt_refused);
	tcase_add_test(tc, foreign_and_mode_refused);
	tcase_add_test(tc, kill9_at_each_step);
	tcase_add_test(tc, kill9_random);
	tcase_add_test(tc, write_failure_answers_6581);
	return fx_run("uicc_state", tc);
}
