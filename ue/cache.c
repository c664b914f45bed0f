/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The GBA_ME bootstrap cache: one 0600 file per (IMPI, BSF) under $XDG_STATE_HOME/gbakit
 * (or ~/.local/state/gbakit, or the configured directory), named after SHA-256(IMPI, BSF),
 * holding B-TID, Ks, RAND, IMPI, BSF and the expiry as "name=value" lines. Written
 * atomically (temporary file, fsync, rename). GBA_U needs no file: EF_GBABP is its cache.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/evp.h>

#include <gba/identity.h>
#include <gba/keys.h>
#include <gba/log.h>

#include "ue_priv.h"

#define CACHE_MAGIC	"gbakit-ue-boot 1"
#define CACHE_MAX	4096

static int cache_dir(const struct gba_ue *ue, char *out, size_t outlen)
{
	const char *x = getenv("XDG_STATE_HOME"), *home = getenv("HOME");
	int n;

	if (ue->cache_dir)
		n = snprintf(out, outlen, "%s", ue->cache_dir);
	else if (x && x[0] == '/')
		n = snprintf(out, outlen, "%s/gbakit", x);
	else if (home && home[0])
		n = snprintf(out, outlen, "%s/.local/state/gbakit", home);
	else
		return -ENOENT;
	return n < 0 || (size_t)n >= outlen ? -ENOSPC : 0;
}

int ue_cache_path(const struct gba_ue *ue, const char *bsf_url, char *out, size_t outlen)
{
	uint8_t md[32];
	char dir[768], hex[33];
	unsigned int mdlen = 0;
	EVP_MD_CTX *c;
	int n, ok;

	n = cache_dir(ue, dir, sizeof(dir));
	if (n)
		return n;
	c = EVP_MD_CTX_new();
	if (!c)
		return -ENOMEM;
	ok = EVP_DigestInit_ex(c, EVP_sha256(), NULL) &&
	     EVP_DigestUpdate(c, ue->impi, strlen(ue->impi) + 1) &&
	     EVP_DigestUpdate(c, bsf_url, strlen(bsf_url)) &&
	     EVP_DigestFinal_ex(c, md, &mdlen);
	EVP_MD_CTX_free(c);
	if (!ok || gba_hex_encode(hex, sizeof(hex), md, 16))
		return -EIO;
	n = snprintf(out, outlen, "%s/%s.boot", dir, hex);
	return n < 0 || (size_t)n >= outlen ? -ENOSPC : 0;
}

/* Value of "name=" in the text, copied to out (NUL-terminated). 0 or -EINVAL. */
static int field(const char *text, const char *name, char *out, size_t outlen)
{
	size_t nl = strlen(name);
	const char *p = text, *e;

	while (p && *p) {
		if (!strncmp(p, name, nl) && p[nl] == '=') {
			p += nl + 1;
			e = strchr(p, '\n');
			if (!e || (size_t)(e - p) >= outlen)
				return -EINVAL;
			memcpy(out, p, (size_t)(e - p));
			out[e - p] = '\0';
			return 0;
		}
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	return -EINVAL;
}

int ue_cache_load(const char *path, const char *impi, time_t now, struct ue_boot *b)
{
	char text[CACHE_MAX + 1], v[512];
	struct ue_boot nb;
	struct stat st;
	ssize_t n;
	int fd, rc = -EINVAL;

	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return errno == ENOENT ? -ENOENT : -EIO;
	if (fstat(fd, &st) || !S_ISREG(st.st_mode) || (st.st_mode & 077) ||
	    st.st_uid != geteuid()) {
		close(fd);
		GLOGP(GBA_LC_UE, GBA_LL_NOTICE, "ignoring %s: not a private file of ours", path);
		return -EINVAL;
	}
	n = read(fd, text, CACHE_MAX);
	close(fd);
	if (n <= 0 || n == CACHE_MAX)
		goto out;
	text[n] = '\0';
	memset(&nb, 0, sizeof(nb));
	if (strncmp(text, CACHE_MAGIC "\n", sizeof(CACHE_MAGIC)))
		goto out;
	if (field(text, "impi", nb.impi, sizeof(nb.impi)) || strcmp(nb.impi, impi) ||
	    field(text, "btid", nb.btid, sizeof(nb.btid)) || gba_btid_parse(nb.btid, NULL, NULL) ||
	    field(text, "rand", v, sizeof(v)) || gba_hex_decode(nb.rand, GBA_RAND_LEN, v) ||
	    field(text, "ks", v, sizeof(v)) || gba_hex_decode(nb.ks, GBA_KS_LEN, v) ||
	    field(text, "expiry", v, sizeof(v)) || gba_datetime_parse(v, &nb.expiry))
		goto out;
	if (nb.expiry <= now) {
		rc = -ESTALE;
		goto out;
	}
	nb.valid = true;
	nb.from_cache = true;
	*b = nb;
	rc = 0;
out:
	gba_zeroize(text, sizeof(text));
	gba_zeroize(v, sizeof(v));
	gba_zeroize(&nb, sizeof(nb));
	return rc;
}

/* mkdir -p with 0700 for the directories we create. */
static int mkdirs(const char *file)
{
	char d[1024];
	char *p;

	if (snprintf(d, sizeof(d), "%s", file) >= (int)sizeof(d))
		return -ENAMETOOLONG;
	p = strrchr(d, '/');
	if (!p || p == d)
		return 0;
	*p = '\0';
	for (p = d + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(d, 0700) && errno != EEXIST)
			return -errno;
		*p = '/';
	}
	if (mkdir(d, 0700) && errno != EEXIST)
		return -errno;
	return 0;
}

int ue_cache_store(const char *path, const struct ue_boot *b)
{
	char text[CACHE_MAX], tmp[1100], rand[2 * GBA_RAND_LEN + 1], ks[2 * GBA_KS_LEN + 1];
	char exp[GBA_DATETIME_LEN + 1];
	int fd, n, rc;

	rc = mkdirs(path);
	if (rc)
		return rc;
	if (gba_hex_encode(rand, sizeof(rand), b->rand, GBA_RAND_LEN) ||
	    gba_hex_encode(ks, sizeof(ks), b->ks, GBA_KS_LEN) ||
	    gba_datetime_format(exp, sizeof(exp), b->expiry) < 0)
		return -EINVAL;
	n = snprintf(text, sizeof(text), CACHE_MAGIC "\nimpi=%s\nbtid=%s\nrand=%s\nks=%s\n"
		     "expiry=%s\n", b->impi, b->btid, rand, ks, exp);
	gba_zeroize(ks, sizeof(ks));
	if (n < 0 || (size_t)n >= sizeof(text)) {
		rc = -ENOSPC;
		goto out;
	}
	snprintf(tmp, sizeof(tmp), "%s.XXXXXX", path);
	fd = mkostemp(tmp, O_CLOEXEC);	/* mode 0600 */
	if (fd < 0) {
		rc = -errno;
		goto out;
	}
	if (fchmod(fd, 0600) || write(fd, text, (size_t)n) != n || fsync(fd)) {
		rc = -EIO;
		close(fd);
		unlink(tmp);
		goto out;
	}
	close(fd);
	if (rename(tmp, path)) {
		rc = -errno;
		unlink(tmp);
		goto out;
	}
	GLOGP(GBA_LC_UE, GBA_LL_DEBUG, "bootstrap cached in %s", path);
	rc = 0;
out:
	gba_zeroize(text, sizeof(text));
	return rc;
}

void ue_cache_drop(const char *path)
{
	if (unlink(path) == 0)
		GLOGP(GBA_LC_UE, GBA_LL_DEBUG, "removed %s", path);
}
