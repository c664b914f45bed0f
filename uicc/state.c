/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The card's state file: everything a real card keeps in EEPROM and the profile does not
 * give (the SQN array, GBA_U Ks/RAND/Ks_int_NAF, EFs the ME or ADM updated, PIN values and
 * retry counters). Written atomically before an answer leaves the card: temporary file
 * (0600), fsync, rename over the old file, fsync of the directory; so a kill -9 leaves
 * either the old or the new complete file. Loaded once at start; a file with a bad magic,
 * version, length or SHA-256 checksum, or one written for another card, is refused with a
 * message, never silently replaced.
 *
 * Layout (hand-written binary: small, fixed, and no library stores this better):
 *   "GBAUICC\0" | u32 version | u32 payload length | payload | SHA-256 of all before it
 *   payload = records "u8 tag | u16 length | value", integers big-endian.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/evp.h>

#include <gba/log.h>

#include "card.h"

#define STATE_MAGIC	"GBAUICC"	/* 8 bytes with the NUL */
#define STATE_VERSION	1
#define STATE_HDR	16
#define STATE_SUM	32
#define STATE_MAX	(1u << 20)

enum { T_ICCID = 1, T_SQN, T_PIN, T_GBA, T_EF };

struct wbuf {
	uint8_t *p;
	size_t len, cap;
	bool fail;
};

static void w_bytes(struct wbuf *w, const void *v, size_t n)
{
	if (w->fail)
		return;
	if (w->len + n > w->cap) {
		size_t cap = (w->len + n) * 2;
		uint8_t *np = malloc(cap);

		if (!np) {
			w->fail = true;
			return;
		}
		if (w->p) {
			memcpy(np, w->p, w->len);
			gba_zeroize(w->p, w->cap);	/* holds keys */
			free(w->p);
		}
		w->p = np;
		w->cap = cap;
	}
	memcpy(w->p + w->len, v, n);
	w->len += n;
}

static void w_be(struct wbuf *w, uint64_t v, size_t n)
{
	uint8_t b[8];
	size_t i;

	for (i = 0; i < n; i++)
		b[i] = (uint8_t)(v >> (8 * (n - 1 - i)));
	w_bytes(w, b, n);
}

static uint64_t r_be(const uint8_t *p, size_t n)
{
	uint64_t v = 0;
	size_t i;

	for (i = 0; i < n; i++)
		v = v << 8 | p[i];
	return v;
}

static void w_rec(struct wbuf *w, uint8_t tag, size_t len)
{
	w_be(w, tag, 1);
	w_be(w, len, 2);
}

static int sha256(const uint8_t *d, size_t n, uint8_t out[STATE_SUM])
{
	unsigned int ol = 0;

	return EVP_Digest(d, n, out, &ol, EVP_sha256(), NULL) == 1 ? 0 : -EIO;
}

static void serialize(const struct gba_uicc *c, struct wbuf *w)
{
	const struct uicc_pin *pins[3] = { &c->pin1, &c->puk1, &c->adm1 };
	size_t i, j, n = 1u << c->sqn.ind_bitlen, plen_at;
	uint8_t sum[STATE_SUM];

	w_bytes(w, STATE_MAGIC, 8);
	w_be(w, STATE_VERSION, 4);
	plen_at = w->len;
	w_be(w, 0, 4);

	w_rec(w, T_ICCID, strlen(c->prof.iccid));
	w_bytes(w, c->prof.iccid, strlen(c->prof.iccid));
	w_rec(w, T_SQN, 1 + 8 * n);
	w_be(w, c->sqn.ind_bitlen, 1);
	for (i = 0; i < n; i++)
		w_be(w, c->sqn.seq[i], 8);
	for (i = 0; i < 3; i++) {
		w_rec(w, T_PIN, 3 + UICC_PIN_LEN);
		w_be(w, i + 1, 1);
		w_be(w, pins[i]->tries, 1);
		w_be(w, pins[i]->enabled, 1);
		w_bytes(w, pins[i]->val, UICC_PIN_LEN);
	}
	for (i = APP_USIM; i < _APP_COUNT; i++) {
		const struct uicc_gba *g = &c->gba[i];

		if (!g->ks_valid)
			continue;
		w_rec(w, T_GBA, 2 + GBA_KS_LEN + GBA_RAND_LEN + 4 +
		      UICC_GBANL_RECS * (1 + 4 + GBA_KS_NAF_LEN));
		w_be(w, i, 1);
		w_be(w, g->ks_valid, 1);
		w_bytes(w, g->ks, GBA_KS_LEN);
		w_bytes(w, g->rand, GBA_RAND_LEN);
		w_be(w, g->lru_clock, 4);
		for (j = 0; j < UICC_GBANL_RECS; j++) {
			w_be(w, g->nl[j].valid, 1);
			w_be(w, g->nl[j].used, 4);
			w_bytes(w, g->nl[j].ks_int_naf, GBA_KS_NAF_LEN);
		}
	}
	for (i = 0; i < c->n_all; i++) {
		const struct uicc_file *f = c->all[i];

		if (!f->dirty)
			continue;
		w_rec(w, T_EF, 3 + f->size);
		w_be(w, f->app, 1);
		w_be(w, f->fid, 2);
		w_bytes(w, f->data, f->size);
	}
	if (w->fail)
		return;
	n = w->len - STATE_HDR;
	for (i = 0; i < 4; i++)
		w->p[plen_at + i] = (uint8_t)(n >> (8 * (3 - i)));
	if (sha256(w->p, w->len, sum)) {
		w->fail = true;
		return;
	}
	w_bytes(w, sum, STATE_SUM);
}

static void hook(struct gba_uicc *c, enum gba_uicc_hook_point pt)
{
	if (c->hook)
		c->hook(pt, c->hook_arg);
}

static int write_all(int fd, const uint8_t *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -EIO;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

static int fsync_dir(const char *path)
{
	char *dup = strdup(path);
	int fd, rc = 0;

	if (!dup)
		return -ENOMEM;
	fd = open(dirname(dup), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0 || fsync(fd))
		rc = -errno;
	if (fd >= 0)
		close(fd);
	free(dup);
	return rc;
}

int uicc_state_save(struct gba_uicc *c)
{
	struct wbuf w = { 0 };
	char tmp[4096];
	int fd, rc = 0;

	if (!c->state_path)
		return 0;
	hook(c, GBA_UICC_HOOK_BEFORE_WRITE);
	serialize(c, &w);
	if (w.fail) {
		rc = -ENOMEM;
		goto out;
	}
	if ((size_t)snprintf(tmp, sizeof(tmp), "%s.tmp", c->state_path) >= sizeof(tmp)) {
		rc = -ENAMETOOLONG;
		goto out;
	}
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0) {
		rc = -errno;
		goto out;
	}
	if (fchmod(fd, 0600) || write_all(fd, w.p, w.len) || (!c->no_fsync && fsync(fd))) {
		rc = -EIO;
		close(fd);
		unlink(tmp);
		goto out;
	}
	if (close(fd)) {
		rc = -EIO;
		unlink(tmp);
		goto out;
	}
	hook(c, GBA_UICC_HOOK_TMP_WRITTEN);
	if (rename(tmp, c->state_path)) {
		rc = -errno;
		unlink(tmp);
		goto out;
	}
	if (!c->no_fsync)
		rc = fsync_dir(c->state_path);
	if (rc == 0)
		hook(c, GBA_UICC_HOOK_COMMITTED);
out:
	if (rc)
		GLOGP(GBA_LC_CARD, GBA_LL_ERROR, "cannot write state file %s: %s", c->state_path,
		      strerror(-rc));
	if (w.p) {
		gba_zeroize(w.p, w.cap);
		free(w.p);
	}
	return rc;
}

int uicc_state_lock(struct gba_uicc *c, char *err, size_t errlen)
{
	char lk[4096];

	if ((size_t)snprintf(lk, sizeof(lk), "%s.lock", c->state_path) >= sizeof(lk)) {
		snprintf(err, errlen, "%s: path too long", c->state_path);
		return -ENAMETOOLONG;
	}
	c->lock_fd = open(lk, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (c->lock_fd < 0) {
		snprintf(err, errlen, "%s: %s", lk, strerror(errno));
		return -errno;
	}
	if (flock(c->lock_fd, LOCK_EX | LOCK_NB)) {
		snprintf(err, errlen, "%s: state file in use by another gba-uicc", c->state_path);
		return -EBUSY;
	}
	return 0;
}

static struct uicc_file *find_ef(const struct gba_uicc *c, uint8_t app, uint16_t fid)
{
	size_t i;

	for (i = 0; i < c->n_all; i++)
		if (c->all[i]->app == app && c->all[i]->fid == fid && c->all[i]->data)
			return c->all[i];
	return NULL;
}

/* Apply one record. 0 or -EBADMSG with 'why' set. */
static int apply(struct gba_uicc *c, uint8_t tag, const uint8_t *v, size_t len, const char **why)
{
	struct uicc_pin *pins[3] = { &c->pin1, &c->puk1, &c->adm1 };
	struct uicc_file *f;
	size_t i, n;

	switch (tag) {
	case T_ICCID:
		if (len != strlen(c->prof.iccid) || memcmp(v, c->prof.iccid, len)) {
			*why = "it was written for a card with another ICCID";
			return -EBADMSG;
		}
		return 0;
	case T_SQN:
		if (len < 1 || v[0] != c->sqn.ind_bitlen) {
			*why = "its SQN array has another IND bit length than the profile";
			return -EBADMSG;
		}
		n = 1u << v[0];
		if (len != 1 + 8 * n) {
			*why = "bad SQN record";
			return -EBADMSG;
		}
		for (i = 0; i < n; i++)
			c->sqn.seq[i] = r_be(v + 1 + 8 * i, 8);
		return 0;
	case T_PIN:
		if (len != 3 + UICC_PIN_LEN || v[0] < 1 || v[0] > 3 || v[1] > pins[v[0] - 1]->max) {
			*why = "bad PIN record";
			return -EBADMSG;
		}
		pins[v[0] - 1]->tries = v[1];
		pins[v[0] - 1]->enabled = v[2];
		memcpy(pins[v[0] - 1]->val, v + 3, UICC_PIN_LEN);
		return 0;
	case T_GBA: {
		struct uicc_gba *g;

		if (len != 2 + GBA_KS_LEN + GBA_RAND_LEN + 4 +
		    UICC_GBANL_RECS * (1 + 4 + GBA_KS_NAF_LEN) || v[0] < APP_USIM ||
		    v[0] >= _APP_COUNT) {
			*why = "bad GBA record";
			return -EBADMSG;
		}
		g = &c->gba[v[0]];
		g->ks_valid = v[1];
		memcpy(g->ks, v + 2, GBA_KS_LEN);
		memcpy(g->rand, v + 2 + GBA_KS_LEN, GBA_RAND_LEN);
		v += 2 + GBA_KS_LEN + GBA_RAND_LEN;
		g->lru_clock = (uint32_t)r_be(v, 4);
		v += 4;
		for (i = 0; i < UICC_GBANL_RECS; i++, v += 1 + 4 + GBA_KS_NAF_LEN) {
			g->nl[i].valid = v[0];
			g->nl[i].used = (uint32_t)r_be(v + 1, 4);
			memcpy(g->nl[i].ks_int_naf, v + 5, GBA_KS_NAF_LEN);
		}
		return 0;
	}
	case T_EF:
		if (len < 3) {
			*why = "bad EF record";
			return -EBADMSG;
		}
		f = find_ef(c, v[0], (uint16_t)r_be(v + 1, 2));
		if (!f || f->size != len - 3) {
			*why = "it holds a file this profile does not have (or of another size)";
			return -EBADMSG;
		}
		memcpy(f->data, v + 3, len - 3);
		f->dirty = true;
		return 0;
	}
	*why = "unknown record";
	return -EBADMSG;
}

int uicc_state_load(struct gba_uicc *c, char *err, size_t errlen)
{
	const char *why = NULL;
	uint8_t *buf = NULL, sum[STATE_SUM];
	struct stat st;
	size_t len = 0, off, plen;
	int fd, rc;

	fd = open(c->state_path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0) {
		rc = -errno;
		if (rc != -ENOENT)
			snprintf(err, errlen, "%s: %s", c->state_path, strerror(errno));
		return rc;
	}
	if (fstat(fd, &st)) {
		rc = -errno;
		snprintf(err, errlen, "%s: %s", c->state_path, strerror(errno));
		goto out;
	}
	if (st.st_mode & 077) {
		rc = -EACCES;
		snprintf(err, errlen, "%s: mode %03o, but a card state file holds keys: "
			 "chmod 600 it", c->state_path, (unsigned int)(st.st_mode & 0777));
		goto out;
	}
	if (!S_ISREG(st.st_mode) || st.st_size > STATE_MAX) {
		rc = -EBADMSG;
		why = "not a regular file of a plausible size";
		goto bad;
	}
	buf = malloc((size_t)st.st_size + 1);
	if (!buf) {
		rc = -ENOMEM;
		goto out;
	}
	while (len < (size_t)st.st_size) {
		ssize_t r = read(fd, buf + len, (size_t)st.st_size - len);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		len += (size_t)r;
	}
	rc = -EBADMSG;
	if (len < STATE_HDR + STATE_SUM || memcmp(buf, STATE_MAGIC, 8)) {
		why = "not a gba-uicc state file (bad magic or truncated)";
		goto bad;
	}
	if (r_be(buf + 8, 4) != STATE_VERSION) {
		why = "unsupported state file version";
		goto bad;
	}
	plen = r_be(buf + 12, 4);
	if (plen != len - STATE_HDR - STATE_SUM) {
		why = "length field does not match the file size (truncated?)";
		goto bad;
	}
	if (sha256(buf, len - STATE_SUM, sum) || !gba_ct_equal(sum, buf + len - STATE_SUM, STATE_SUM)) {
		why = "checksum mismatch (corrupt)";
		goto bad;
	}
	for (off = STATE_HDR; off < len - STATE_SUM;) {
		size_t rl;

		if (off + 3 > len - STATE_SUM) {
			why = "truncated record";
			goto bad;
		}
		rl = r_be(buf + off + 1, 2);
		if (off + 3 + rl > len - STATE_SUM) {
			why = "truncated record";
			goto bad;
		}
		if (apply(c, buf[off], buf + off + 3, rl, &why))
			goto bad;
		off += 3 + rl;
	}
	rc = 0;
	goto out;
bad:
	snprintf(err, errlen, "%s: refusing the card state file: %s. It is not reset "
		 "automatically: restore it, or remove it to start the card afresh (the SQN "
		 "array and GBA keys are then lost)", c->state_path, why);
out:
	if (buf) {
		gba_zeroize(buf, len);
		free(buf);
	}
	close(fd);
	return rc;
}
