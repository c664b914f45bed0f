/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Key-encryption key of the BSF (kek.h): loading/creating it, AES-256-GCM sealing of Ks
 * with the B-TID as AAD (OpenSSL EVP), and the nonce MAC derived through the GBA KDF.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <openssl/evp.h>

#include <gba/kdf.h>
#include <gba/keys.h>
#include <gba/log.h>

#include "kek.h"

#define GCM_IV_LEN	12
#define GCM_TAG_LEN	16
#define KDF_FC_BSF	0xf0	/* private FC for gbakit-internal derivations */

static int derive(struct bsf_kek *kek)
{
	static const char label[] = "gbakit-bsf-nonce";
	struct gba_kdf_param p = { (const uint8_t *)label, sizeof(label) - 1 };

	return gba_kdf(kek->mac_key, kek->key, BSF_KEK_LEN, KDF_FC_BSF, &p, 1);
}

static int read_file(const char *file, char *buf, size_t buflen, size_t *n)
{
	int fd = open(file, O_RDONLY | O_CLOEXEC);
	ssize_t r;

	if (fd < 0)
		return errno == ENOENT ? -ENOENT : -EIO;
	r = read(fd, buf, buflen);
	close(fd);
	if (r < 0)
		return -EIO;
	*n = (size_t)r;
	return 0;
}

static int create_file(const char *file, uint8_t key[BSF_KEK_LEN])
{
	int fd, rc = 0;

	if (gba_random(key, BSF_KEK_LEN))
		return -EIO;
	fd = open(file, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0)
		return -EIO;
	if (write(fd, key, BSF_KEK_LEN) != BSF_KEK_LEN || fsync(fd))
		rc = -EIO;
	close(fd);
	if (rc)
		unlink(file);
	else
		GLOGP(GBA_LC_MAIN, GBA_LL_NOTICE, "created key-encryption key file %s", file);
	return rc;
}

int bsf_kek_load(struct bsf_kek *kek, const char *hex, const char *file, bool create)
{
	char buf[2 * BSF_KEK_LEN + 2];
	size_t n = 0;
	int rc;

	memset(kek, 0, sizeof(*kek));
	if (hex && *hex) {
		rc = gba_hex_decode(kek->key, BSF_KEK_LEN, hex);
	} else if (file && *file) {
		rc = read_file(file, buf, sizeof(buf), &n);
		if (rc == -ENOENT && create)
			rc = create_file(file, kek->key);
		else if (rc == 0 && n == BSF_KEK_LEN)
			memcpy(kek->key, buf, BSF_KEK_LEN);
		else if (rc == 0) {
			while (n && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
				n--;
			buf[n < sizeof(buf) ? n : sizeof(buf) - 1] = '\0';
			rc = n == 2 * BSF_KEK_LEN ? gba_hex_decode(kek->key, BSF_KEK_LEN, buf)
						  : -EINVAL;
		}
		gba_zeroize(buf, sizeof(buf));
	} else {
		rc = -ENOENT;
	}
	if (!rc)
		rc = derive(kek);
	if (rc)
		bsf_kek_clear(kek);
	return rc;
}

/* fetched once: an implicit fetch per EVP_aes_256_gcm() call costs more than the cipher */
static EVP_CIPHER *aes_gcm;
static pthread_once_t aes_once = PTHREAD_ONCE_INIT;

static void aes_fetch(void)
{
	aes_gcm = EVP_CIPHER_fetch(NULL, "AES-256-GCM", NULL);
}

static int gcm(const struct bsf_kek *kek, bool enc, const uint8_t iv[GCM_IV_LEN], uint8_t *out,
	       const uint8_t *in, uint8_t tag[GCM_TAG_LEN], const char *aad)
{
	EVP_CIPHER_CTX *ctx;
	int len, ok;

	pthread_once(&aes_once, aes_fetch);
	if (!aes_gcm || !(ctx = EVP_CIPHER_CTX_new()))
		return -EIO;
	ok = EVP_CipherInit_ex2(ctx, aes_gcm, kek->key, iv, enc, NULL) &&
	     EVP_CipherUpdate(ctx, NULL, &len, (const uint8_t *)aad, (int)strlen(aad)) &&
	     EVP_CipherUpdate(ctx, out, &len, in, GBA_KS_LEN);
	if (ok && !enc)
		ok = EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_TAG, GCM_TAG_LEN, tag);
	if (ok)
		ok = EVP_CipherFinal_ex(ctx, out + len, &len);
	if (ok && enc)
		ok = EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, GCM_TAG_LEN, tag);
	EVP_CIPHER_CTX_free(ctx);
	if (!ok)
		return enc ? -EIO : -EBADMSG;
	return 0;
}

int bsf_kek_seal(const struct bsf_kek *kek, uint8_t blob[BSF_KS_BLOB_LEN],
		 const uint8_t ks[GBA_KS_LEN], const char *btid)
{
	if (gba_random(blob, GCM_IV_LEN))
		return -EIO;
	return gcm(kek, true, blob, blob + GCM_IV_LEN, ks, blob + GCM_IV_LEN + GBA_KS_LEN, btid);
}

int bsf_kek_open(const struct bsf_kek *kek, uint8_t ks[GBA_KS_LEN],
		 const uint8_t blob[BSF_KS_BLOB_LEN], const char *btid)
{
	uint8_t tag[GCM_TAG_LEN];
	int rc;

	memcpy(tag, blob + GCM_IV_LEN + GBA_KS_LEN, GCM_TAG_LEN);
	rc = gcm(kek, false, blob, ks, blob + GCM_IV_LEN, tag, btid);
	if (rc)
		gba_zeroize(ks, GBA_KS_LEN);
	return rc;
}

int bsf_kek_tag(const struct bsf_kek *kek, uint8_t tag[BSF_TAG_LEN], const uint8_t *data,
		size_t len)
{
	struct gba_kdf_param p = { data, len };
	uint8_t full[GBA_KDF_OUT_LEN];
	int rc;

	rc = gba_kdf(full, kek->mac_key, BSF_KEK_LEN, KDF_FC_BSF, &p, 1);
	memcpy(tag, full, BSF_TAG_LEN);
	gba_zeroize(full, sizeof(full));
	return rc;
}

void bsf_kek_clear(struct bsf_kek *kek)
{
	gba_zeroize(kek, sizeof(*kek));
}
