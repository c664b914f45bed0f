/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The SQLite backend of the BSF store (store.h). One database file (0600) in WAL mode on
 * one connection in exclusive locking mode: gba-bsf is its only user, so no file lock is
 * taken or dropped per statement and the WAL index lives in heap memory instead of a
 * shared -shm mapping (a second gba-bsf on the same file is refused: SQLITE_BUSY at open).
 * Sessions are written with synchronous=NORMAL (a committed row survives kill -9, fsync only
 * at checkpoints: the purge timer runs them, and SQLite itself once the WAL passes its
 * autocheckpoint of 20000 frames); an SQN reservation switches the connection to
 * synchronous=FULL for its own commit, so that it is on disk (WAL fsync) before the AuC
 * hands out an SQN from it. New files use 1 KiB pages: a session commit writes about five
 * pages to the WAL, and 4 KiB pages made those writes a third of a bootstrap's store cost;
 * the VFS of store_sqlite_wal.c writes each commit's frames with one system call instead of
 * two per page. Pending challenges are not in SQLite but in the process's challenge table
 * (chal_table.c): they are valid for seconds, a restart only costs the UE a fresh 401, and
 * XRES, CK and IK never reach SQLite's pages and buffers, which cannot all be wiped.
 * Statements are prepared once; a mutex serialises the callers.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sqlite3.h>

#include <gba/keys.h>
#include <gba/log.h>

#include "chal_table.h"
#include "store.h"

enum {
	S_PUT_SESSION,
	S_GET_SESSION,
	S_PURGE_SESSIONS,
	S_COUNT_SESSIONS,
	_S_COUNT
};

enum {
	Q_GET,
	Q_PUT,
	_Q_COUNT
};

static const char *const sql_main[_S_COUNT] = {
	[S_PUT_SESSION] = "INSERT OR REPLACE INTO sessions"
		"(btid, impi, rand, ks, created, expires, gba_u) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
	[S_GET_SESSION] = "SELECT impi, rand, ks, created, expires, gba_u FROM sessions"
		" WHERE btid = ?1 AND expires > ?2",
	[S_PURGE_SESSIONS] = "DELETE FROM sessions WHERE expires <= ?1",
	[S_COUNT_SESSIONS] = "SELECT count(*) FROM sessions WHERE expires > ?1",
};

static const char *const sql_sqn[_Q_COUNT] = {
	[Q_GET] = "SELECT reserved FROM sqn WHERE key = ?1",
	[Q_PUT] = "INSERT INTO sqn(key, reserved) VALUES (?1, ?2)"
		" ON CONFLICT(key) DO UPDATE SET reserved = max(reserved, excluded.reserved)",
};

static const char schema[] =
	"CREATE TABLE IF NOT EXISTS sessions(btid TEXT PRIMARY KEY, impi TEXT NOT NULL UNIQUE,"
	" rand BLOB NOT NULL, ks BLOB NOT NULL, created INTEGER NOT NULL,"
	" expires INTEGER NOT NULL, gba_u INTEGER NOT NULL) WITHOUT ROWID;"
	"CREATE TABLE IF NOT EXISTS sqn(key TEXT PRIMARY KEY, reserved INTEGER NOT NULL);";

struct store_sqlite {
	struct bsf_store base;
	sqlite3 *db;
	sqlite3_stmt *st[_S_COUNT];
	sqlite3_stmt *sq[_Q_COUNT];
	pthread_mutex_t lock;
	struct bsf_chal_table *chal;
};

#define SS(st) ((struct store_sqlite *)(st))

static int db_err(sqlite3 *db, const char *what)
{
	GLOGP(GBA_LC_STORE, GBA_LL_ERROR, "sqlite %s: %s", what, sqlite3_errmsg(db));
	return -EIO;
}

/* Copy a BLOB column of exactly 'len' bytes. */
static int col_blob(sqlite3_stmt *s, int col, uint8_t *out, size_t len)
{
	const void *p = sqlite3_column_blob(s, col);

	if ((size_t)sqlite3_column_bytes(s, col) != len || !p)
		return -EIO;
	memcpy(out, p, len);
	return 0;
}

static int col_text(sqlite3_stmt *s, int col, char *out, size_t outlen)
{
	const unsigned char *p = sqlite3_column_text(s, col);
	size_t n = (size_t)sqlite3_column_bytes(s, col);

	if (!p || n >= outlen)
		return -EIO;
	memcpy(out, p, n);
	out[n] = '\0';
	return 0;
}

static int put_session(struct bsf_store *bst, const struct bsf_session *s)
{
	struct store_sqlite *st = SS(bst);
	sqlite3_stmt *q = st->st[S_PUT_SESSION];
	int rc;

	pthread_mutex_lock(&st->lock);
	sqlite3_bind_text(q, 1, s->btid, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, s->impi, -1, SQLITE_STATIC);
	sqlite3_bind_blob(q, 3, s->rand, GBA_RAND_LEN, SQLITE_STATIC);
	sqlite3_bind_blob(q, 4, s->ks_blob, BSF_KS_BLOB_LEN, SQLITE_STATIC);
	sqlite3_bind_int64(q, 5, s->created);
	sqlite3_bind_int64(q, 6, s->expires);
	sqlite3_bind_int(q, 7, s->gba_u);
	rc = sqlite3_step(q) == SQLITE_DONE ? 0 : db_err(st->db, "put session");
	sqlite3_reset(q);
	sqlite3_clear_bindings(q);
	pthread_mutex_unlock(&st->lock);
	return rc;
}

static int get_session(struct bsf_store *bst, const char *btid, time_t now, struct bsf_session *out)
{
	struct store_sqlite *st = SS(bst);
	sqlite3_stmt *q = st->st[S_GET_SESSION];
	int rc;

	memset(out, 0, sizeof(*out));
	if (strlen(btid) > GBA_BTID_MAX)
		return -ENOENT;
	pthread_mutex_lock(&st->lock);
	sqlite3_bind_text(q, 1, btid, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 2, now);
	rc = sqlite3_step(q);
	if (rc == SQLITE_ROW) {
		strcpy(out->btid, btid);
		rc = col_text(q, 0, out->impi, sizeof(out->impi));
		if (!rc)
			rc = col_blob(q, 1, out->rand, GBA_RAND_LEN);
		if (!rc)
			rc = col_blob(q, 2, out->ks_blob, BSF_KS_BLOB_LEN);
		out->created = sqlite3_column_int64(q, 3);
		out->expires = sqlite3_column_int64(q, 4);
		out->gba_u = sqlite3_column_int(q, 5);
		if (rc)
			GLOGP(GBA_LC_STORE, GBA_LL_ERROR, "session %s: corrupt row", btid);
	} else if (rc == SQLITE_DONE) {
		rc = -ENOENT;
	} else {
		rc = db_err(st->db, "get session");
	}
	sqlite3_reset(q);
	sqlite3_clear_bindings(q);
	pthread_mutex_unlock(&st->lock);
	if (rc)
		gba_zeroize(out, sizeof(*out));
	return rc;
}

static int put_challenge(struct bsf_store *bst, const struct bsf_challenge *c)
{
	return bsf_chal_table_put(SS(bst)->chal, c);
}

static int take_challenge(struct bsf_store *bst, const char *nonce, time_t now,
			  struct bsf_challenge *out)
{
	return bsf_chal_table_take(SS(bst)->chal, nonce, now, out);
}

/*
 * Set synchronous for the next commits (not prepared once: SQLite applies this PRAGMA when
 * it compiles it). Runs once per 'sqn_reserve' vectors of a subscriber. 0 or -EIO.
 */
static int set_sync(struct store_sqlite *st, bool full)
{
	return sqlite3_exec(st->db, full ? "PRAGMA main.synchronous=FULL" :
			    "PRAGMA main.synchronous=NORMAL", NULL, NULL, NULL) == SQLITE_OK ? 0 :
	       db_err(st->db, "synchronous");
}

static int sqn_get(struct bsf_store *bst, const char *key, uint64_t *reserved)
{
	struct store_sqlite *st = SS(bst);
	sqlite3_stmt *q = st->sq[Q_GET];
	int rc;

	pthread_mutex_lock(&st->lock);
	sqlite3_bind_text(q, 1, key, -1, SQLITE_STATIC);
	rc = sqlite3_step(q);
	if (rc == SQLITE_ROW) {
		*reserved = (uint64_t)sqlite3_column_int64(q, 0);
		rc = 0;
	} else if (rc == SQLITE_DONE) {
		rc = -ENOENT;
	} else {
		rc = db_err(st->db, "get sqn");
	}
	sqlite3_reset(q);
	sqlite3_clear_bindings(q);
	pthread_mutex_unlock(&st->lock);
	return rc;
}

static int sqn_reserve(struct bsf_store *bst, const char *key, uint64_t reserved)
{
	struct store_sqlite *st = SS(bst);
	sqlite3_stmt *q = st->sq[Q_PUT];
	int rc;

	pthread_mutex_lock(&st->lock);
	/* this commit, and every one before it, on disk before an SQN from it leaves */
	rc = set_sync(st, true);
	if (!rc) {
		sqlite3_bind_text(q, 1, key, -1, SQLITE_STATIC);
		sqlite3_bind_int64(q, 2, (sqlite3_int64)reserved);
		rc = sqlite3_step(q) == SQLITE_DONE ? 0 : db_err(st->db, "reserve sqn");
		sqlite3_reset(q);
		sqlite3_clear_bindings(q);
	}
	/* should this fail, FULL stays: slower, never less durable */
	set_sync(st, false);
	pthread_mutex_unlock(&st->lock);
	return rc;
}

static int run_purge(struct store_sqlite *st, int idx, time_t now)
{
	sqlite3_stmt *q = st->st[idx];
	int rc;

	sqlite3_bind_int64(q, 1, now);
	rc = sqlite3_step(q) == SQLITE_DONE ? sqlite3_changes(st->db) : db_err(st->db, "purge");
	sqlite3_reset(q);
	return rc;
}

static int purge(struct bsf_store *bst, time_t now)
{
	struct store_sqlite *st = SS(bst);
	int a, b;

	b = bsf_chal_table_purge(st->chal, now);
	pthread_mutex_lock(&st->lock);
	a = run_purge(st, S_PURGE_SESSIONS, now);
	/* WAL checkpoints (and their fsync) happen here, not in a request */
	sqlite3_wal_checkpoint_v2(st->db, "main", SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
	pthread_mutex_unlock(&st->lock);
	if (a < 0)
		return -EIO;
	return a + b;
}

static int count_sessions(struct bsf_store *bst, time_t now)
{
	struct store_sqlite *st = SS(bst);
	sqlite3_stmt *q = st->st[S_COUNT_SESSIONS];
	int rc;

	pthread_mutex_lock(&st->lock);
	sqlite3_bind_int64(q, 1, now);
	rc = sqlite3_step(q) == SQLITE_ROW ? sqlite3_column_int(q, 0) : db_err(st->db, "count");
	sqlite3_reset(q);
	pthread_mutex_unlock(&st->lock);
	return rc;
}

static void store_close(struct bsf_store *bst)
{
	struct store_sqlite *st = SS(bst);

	for (int i = 0; i < _S_COUNT; i++)
		sqlite3_finalize(st->st[i]);
	for (int i = 0; i < _Q_COUNT; i++)
		sqlite3_finalize(st->sq[i]);
	sqlite3_close(st->db);
	bsf_chal_table_free(st->chal);
	pthread_mutex_destroy(&st->lock);
	free(st);
}

static const struct bsf_store_ops sqlite_ops = {
	.put_session = put_session,
	.get_session = get_session,
	.put_challenge = put_challenge,
	.take_challenge = take_challenge,
	.sqn_get = sqn_get,
	.sqn_reserve = sqn_reserve,
	.purge = purge,
	.count_sessions = count_sessions,
	.close = store_close,
};

static int open_conn(sqlite3 **db, const char *path)
{
	int rc;

	rc = sqlite3_open_v2(path, db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
			     SQLITE_OPEN_NOMUTEX, bsf_sqlite_wal_vfs());
	if (rc != SQLITE_OK) {
		GLOGP(GBA_LC_STORE, GBA_LL_ERROR, "cannot open %s: %s", path,
		      *db ? sqlite3_errmsg(*db) : sqlite3_errstr(rc));
		return -EIO;
	}
	sqlite3_busy_timeout(*db, 5000);
	/* exclusive before the first access: no -shm, no per-transaction file locks */
	if (sqlite3_exec(*db, "PRAGMA locking_mode=EXCLUSIVE; PRAGMA page_size=1024;"
			 " PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
			 " PRAGMA wal_autocheckpoint=20000;",
			 NULL, NULL, NULL) != SQLITE_OK)
		return db_err(*db, "pragma");
	return 0;
}

int bsf_store_sqlite_open(struct bsf_store **out, const char *path)
{
	struct store_sqlite *st;
	bool mem = strcmp(path, ":memory:") == 0;
	int rc = -EIO;

	if (!*path)
		return -EINVAL;
	if (!mem) {
		/* create the file 0600 ourselves: SQLite gives -wal/-shm the same mode */
		int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);

		if (fd < 0) {
			GLOGP(GBA_LC_STORE, GBA_LL_ERROR, "cannot create %s: %s", path,
			      strerror(errno));
			return -EIO;
		}
		fchmod(fd, 0600);
		close(fd);
	}
	st = calloc(1, sizeof(*st));
	if (!st)
		return -ENOMEM;
	st->base.ops = &sqlite_ops;
	pthread_mutex_init(&st->lock, NULL);
	st->chal = bsf_chal_table_new(0);
	if (!st->chal || open_conn(&st->db, path))
		goto fail;
	if (sqlite3_exec(st->db, schema, NULL, NULL, NULL) != SQLITE_OK) {
		db_err(st->db, "schema");
		goto fail;
	}
	for (int i = 0; i < _S_COUNT; i++)
		if (sqlite3_prepare_v3(st->db, sql_main[i], -1, SQLITE_PREPARE_PERSISTENT,
				       &st->st[i], NULL) != SQLITE_OK) {
			db_err(st->db, "prepare");
			goto fail;
		}
	for (int i = 0; i < _Q_COUNT; i++)
		if (sqlite3_prepare_v3(st->db, sql_sqn[i], -1, SQLITE_PREPARE_PERSISTENT,
				       &st->sq[i], NULL) != SQLITE_OK) {
			db_err(st->db, "prepare");
			goto fail;
		}
	GLOGP(GBA_LC_STORE, GBA_LL_INFO, "store sqlite:%s open", path);
	*out = &st->base;
	return 0;
fail:
	store_close(&st->base);
	return rc;
}

int bsf_store_open(struct bsf_store **out, const char *uri)
{
	if (!uri || !out)
		return -EINVAL;
	if (strncmp(uri, "sqlite:", 7) == 0)
		return bsf_store_sqlite_open(out, uri + 7);
	if (strncmp(uri, "redis://", 8) == 0)
		return bsf_store_redis_open(out, uri);
	GLOGP(GBA_LC_STORE, GBA_LL_ERROR, "unknown store URI (expected sqlite:PATH or "
	      "redis://HOST:PORT[/DB])");
	return -EINVAL;
}
