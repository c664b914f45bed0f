/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * libFuzzer target for the record decoding of gba-bsf's Redis store (bsf/store_redis.c):
 * what another BSF, an old version or a tampered redis-server left under gba:sess:*,
 * gba:chal:* and gba:sqn:*. The decoders are static, so this file includes store_redis.c
 * itself (no Redis server is involved). Input: one byte choosing the record kind (0 session,
 * 1 challenge, 2 SQN bound), then the stored value. A value that decodes must encode again
 * into a value that decodes to the same record, with every string NUL-terminated in its
 * field; a refused one gives -EIO (records) or -EBADMSG (SQN).
 */
#include "../../bsf/store_redis.c"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void str_ok(const char *s, size_t size)
{
	if (!memchr(s, '\0', size))
		abort();
}

static void session(const uint8_t *p, size_t len)
{
	static struct bsf_session a, b;
	uint8_t rec[RS_SESS_MAX];
	size_t n;
	int rc;

	memset(&a, 0, sizeof(a));
	rc = sess_decode(p, len, &a);
	if (rc) {
		if (rc != -EIO)
			abort();
		return;
	}
	str_ok(a.impi, sizeof(a.impi));
	n = sess_encode(rec, &a);
	if (n > sizeof(rec) || n != len)
		abort();
	memset(&b, 0, sizeof(b));
	if (sess_decode(rec, n, &b) || strcmp(a.impi, b.impi) || a.gba_u != b.gba_u ||
	    a.created != b.created || a.expires != b.expires || memcmp(a.rand, b.rand, 16) ||
	    memcmp(a.ks_blob, b.ks_blob, sizeof(a.ks_blob)))
		abort();
}

static void challenge(const uint8_t *p, size_t len)
{
	static struct bsf_challenge a, b;
	uint8_t rec[RS_CHAL_MAX];
	size_t n;
	int rc;

	memset(&a, 0, sizeof(a));
	rc = chal_decode(p, len, &a);
	if (rc) {
		if (rc != -EIO)
			abort();
		return;
	}
	str_ok(a.impi, sizeof(a.impi));
	str_ok(a.opaque, sizeof(a.opaque));
	str_ok(a.uri, sizeof(a.uri));
	if (a.xres_len > GBA_RES_MAX_LEN)
		abort();
	n = chal_encode(rec, &a);
	if (n > sizeof(rec) || n != len)
		abort();
	memset(&b, 0, sizeof(b));
	if (chal_decode(rec, n, &b) || strcmp(a.impi, b.impi) || strcmp(a.opaque, b.opaque) ||
	    strcmp(a.uri, b.uri) || a.xres_len != b.xres_len ||
	    memcmp(a.xres, b.xres, a.xres_len) || memcmp(a.ck, b.ck, 16) ||
	    memcmp(a.ik, b.ik, 16) || memcmp(a.rand, b.rand, 16) || a.gba_u != b.gba_u ||
	    a.key_lifetime != b.key_lifetime || a.failures != b.failures ||
	    a.expires != b.expires)
		abort();
	gba_zeroize(&a, sizeof(a));
	gba_zeroize(&b, sizeof(b));
}

static void sqn(const uint8_t *p, size_t len)
{
	uint64_t v = 0;
	int rc = sqn_decode((const char *)p, len, &v);

	if (rc && rc != -EBADMSG)
		abort();
	if (rc == 0 && (len == 0 || memchr(p, '-', len)))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	switch (data[0] % 3) {
	case 0:
		session(data + 1, size - 1);
		break;
	case 1:
		challenge(data + 1, size - 1);
		break;
	default:
		sqn(data + 1, size - 1);
		break;
	}
	return 0;
}
