/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A thin SQLite VFS over the default one ("unix") that gathers the writes of one WAL commit
 * into one write. SQLite writes every WAL frame as two calls, the 24-byte frame header and
 * then the page: a session commit of about five 1 KiB pages took ten pwrite() calls, and on
 * a virtual machine each system call costs more than the copy. Here the writes that append
 * to the WAL file go to a buffer that is written out (one pwrite) as soon as the frame that
 * ends a commit is complete, so a commit is in the kernel, as before, when sqlite3_step()
 * returns: kill -9 loses nothing that was acknowledged. The end of a commit is read from the
 * frame header (https://sqlite.org/fileformat2.html#walformat: bytes 4-7, the database size
 * after a commit, are non-zero only in the last frame of a transaction). Anything else that
 * touches the WAL file (read, sync, size, truncate, close, locks, file controls) and any
 * write that is not an append writes the buffer out first. Database and other files pass
 * straight through. Written by hand: SQLite offers no write batching for WAL files.
 */
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "store.h"

#define WAL_HDR_LEN		32	/* the WAL file header, at offset 0 */
#define WAL_FRAME_HDR_LEN	24
#define BUF_LEN			(64 * 1024)

struct wal_file {
	sqlite3_file base;
	sqlite3_file *real;		/* the default VFS's file, right after this struct */
	unsigned char *buf;		/* WAL files only */
	size_t len;
	sqlite3_int64 off;		/* file offset of buf[0] */
	bool commit_frame;		/* the last header written ends a commit */
};

static sqlite3_vfs wal_vfs;
static sqlite3_vfs *base_vfs;
static sqlite3_io_methods wal_methods;

#define REAL(f) (((struct wal_file *)(f))->real)
#define RM(f) (REAL(f)->pMethods)

/* Write the buffer out. SQLite's result of the write (SQLITE_FULL, SQLITE_IOERR_WRITE...). */
static int flush(struct wal_file *w)
{
	int rc;

	if (!w->len)
		return SQLITE_OK;
	rc = w->real->pMethods->xWrite(w->real, w->buf, (int)w->len, w->off);
	w->len = 0;
	w->commit_frame = false;
	return rc;
}

static int x_write(sqlite3_file *f, const void *data, int amt, sqlite3_int64 off)
{
	struct wal_file *w = (struct wal_file *)f;
	int rc;

	if (!w->buf)
		return RM(f)->xWrite(REAL(f), data, amt, off);
	if (w->len && (off != w->off + (sqlite3_int64)w->len || w->len + (size_t)amt > BUF_LEN)) {
		rc = flush(w);
		if (rc != SQLITE_OK)
			return rc;
	}
	if (off < WAL_HDR_LEN || (size_t)amt > BUF_LEN) {
		rc = flush(w);
		return rc == SQLITE_OK ? RM(f)->xWrite(REAL(f), data, amt, off) : rc;
	}
	if (!w->len)
		w->off = off;
	memcpy(w->buf + w->len, data, (size_t)amt);
	w->len += (size_t)amt;
	if (amt == WAL_FRAME_HDR_LEN) {
		const unsigned char *h = data;

		w->commit_frame = (h[4] | h[5] | h[6] | h[7]) != 0;
		return SQLITE_OK;
	}
	/* the page after a commit header: the transaction is complete */
	return w->commit_frame ? flush(w) : SQLITE_OK;
}

static int x_close(sqlite3_file *f)
{
	struct wal_file *w = (struct wal_file *)f;
	int rc = flush(w), rc2 = RM(f)->xClose(REAL(f));

	free(w->buf);
	w->buf = NULL;
	return rc != SQLITE_OK ? rc : rc2;
}

/* The other methods write the buffer out first, then do what the default VFS does. */
#define FLUSH_OR_RETURN(f)						\
	do {								\
		int frc = flush((struct wal_file *)(f));		\
		if (frc != SQLITE_OK)					\
			return frc;					\
	} while (0)

static int x_read(sqlite3_file *f, void *p, int amt, sqlite3_int64 off)
{
	FLUSH_OR_RETURN(f);
	return RM(f)->xRead(REAL(f), p, amt, off);
}

static int x_truncate(sqlite3_file *f, sqlite3_int64 size)
{
	FLUSH_OR_RETURN(f);
	return RM(f)->xTruncate(REAL(f), size);
}

static int x_sync(sqlite3_file *f, int flags)
{
	FLUSH_OR_RETURN(f);
	return RM(f)->xSync(REAL(f), flags);
}

static int x_file_size(sqlite3_file *f, sqlite3_int64 *size)
{
	FLUSH_OR_RETURN(f);
	return RM(f)->xFileSize(REAL(f), size);
}

static int x_lock(sqlite3_file *f, int lock)
{
	FLUSH_OR_RETURN(f);
	return RM(f)->xLock(REAL(f), lock);
}

static int x_unlock(sqlite3_file *f, int lock)
{
	FLUSH_OR_RETURN(f);
	return RM(f)->xUnlock(REAL(f), lock);
}

static int x_check_reserved(sqlite3_file *f, int *out)
{
	return RM(f)->xCheckReservedLock(REAL(f), out);
}

static int x_file_control(sqlite3_file *f, int op, void *arg)
{
	FLUSH_OR_RETURN(f);
	return RM(f)->xFileControl(REAL(f), op, arg);
}

static int x_sector_size(sqlite3_file *f)
{
	return RM(f)->xSectorSize(REAL(f));
}

static int x_device_characteristics(sqlite3_file *f)
{
	return RM(f)->xDeviceCharacteristics(REAL(f));
}

static int x_shm_map(sqlite3_file *f, int pg, int pgsz, int extend, void volatile **pp)
{
	return RM(f)->xShmMap(REAL(f), pg, pgsz, extend, pp);
}

static int x_shm_lock(sqlite3_file *f, int offset, int n, int flags)
{
	return RM(f)->xShmLock(REAL(f), offset, n, flags);
}

static void x_shm_barrier(sqlite3_file *f)
{
	RM(f)->xShmBarrier(REAL(f));
}

static int x_shm_unmap(sqlite3_file *f, int delete_flag)
{
	return RM(f)->xShmUnmap(REAL(f), delete_flag);
}

static int x_fetch(sqlite3_file *f, sqlite3_int64 off, int amt, void **pp)
{
	FLUSH_OR_RETURN(f);
	return RM(f)->xFetch(REAL(f), off, amt, pp);
}

static int x_unfetch(sqlite3_file *f, sqlite3_int64 off, void *p)
{
	return RM(f)->xUnfetch(REAL(f), off, p);
}

static int x_open(sqlite3_vfs *vfs, sqlite3_filename name, sqlite3_file *f, int flags,
		  int *out_flags)
{
	struct wal_file *w = (struct wal_file *)f;
	int rc;

	memset(w, 0, sizeof(*w));
	w->real = (sqlite3_file *)(w + 1);
	if (flags & SQLITE_OPEN_WAL) {
		w->buf = malloc(BUF_LEN);
		if (!w->buf)
			return SQLITE_NOMEM;
	}
	rc = base_vfs->xOpen(base_vfs, name, w->real, flags, out_flags);
	if (rc != SQLITE_OK || !w->real->pMethods) {
		free(w->buf);
		w->buf = NULL;
		return rc != SQLITE_OK ? rc : SQLITE_CANTOPEN;
	}
	/* the methods of the version the default VFS gave */
	wal_methods.iVersion = w->real->pMethods->iVersion;
	w->base.pMethods = &wal_methods;
	return SQLITE_OK;
}

static pthread_once_t once = PTHREAD_ONCE_INIT;

static void setup(void)
{
	base_vfs = sqlite3_vfs_find(NULL);
	if (!base_vfs)
		return;
	wal_methods = (sqlite3_io_methods){
		.iVersion = 3, .xClose = x_close, .xRead = x_read, .xWrite = x_write,
		.xTruncate = x_truncate, .xSync = x_sync, .xFileSize = x_file_size,
		.xLock = x_lock, .xUnlock = x_unlock, .xCheckReservedLock = x_check_reserved,
		.xFileControl = x_file_control, .xSectorSize = x_sector_size,
		.xDeviceCharacteristics = x_device_characteristics, .xShmMap = x_shm_map,
		.xShmLock = x_shm_lock, .xShmBarrier = x_shm_barrier, .xShmUnmap = x_shm_unmap,
		.xFetch = x_fetch, .xUnfetch = x_unfetch,
	};
	/*
	 * Every other method is the default VFS's own: they only use the VFS object for its
	 * pAppData (copied) and limits, and xOpen passes the default VFS itself.
	 */
	wal_vfs = *base_vfs;
	wal_vfs.pNext = NULL;
	wal_vfs.zName = "gbakit-wal";
	wal_vfs.szOsFile = (int)sizeof(struct wal_file) + base_vfs->szOsFile;
	wal_vfs.xOpen = x_open;
	if (sqlite3_vfs_register(&wal_vfs, 0) != SQLITE_OK)
		base_vfs = NULL;
}

const char *bsf_sqlite_wal_vfs(void)
{
	pthread_once(&once, setup);
	return base_vfs ? wal_vfs.zName : NULL;
}
