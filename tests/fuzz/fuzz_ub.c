/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * libFuzzer target for the Ub request handler of gba-bsf below HTTP (bsf/ub.c) with an
 * in-memory SQLite store and the built-in AuC. Input: method '\n' URI '\n' Authorization
 * '\n' User-Agent '\n' body; an empty Authorization line means no header. "%N" and "%O" in
 * the Authorization are replaced by the nonce and opaque of a live challenge taken just
 * before, so the fuzzer reaches the answer paths (nonce checks, digest verification,
 * resync with AUTS, MAC-failure reports) and not only the parser. Every decision must
 * carry a status the issue allows, and a 401 a WWW-Authenticate header.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <gba/digest.h>
#include <gba/log.h>

#include "bsf.h"
#include "ub.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define IMPI "001010000000001@ims.mnc001.mcc001.3gppnetwork.org"

static struct bsf_config cfg;
static struct bsf bsf = { .cfg = &cfg };
static unsigned long runs;

static void done(struct ub_txn *t)
{
	(*(int *)t->priv)++;
}

static void setup(void)
{
	char path[] = "/tmp/fuzz_ub.XXXXXX";
	int fd = mkstemp(path);
	static const char prof[] =
		"cards = ( { name = \"f\"; iccid = \"8988211000000000001\";"
		" imsi = \"001010000000001\"; mnc_length = 2; algorithm = \"milenage\";"
		" k = \"465b5ce8b199b49faa5f0a2ee238a6bc\";"
		" opc = \"cd63cb71954a9f4e48a5994e37a02baf\"; amf = \"8000\"; sqn = 0;"
		" ind_bitlen = 0; gba_u = true; },"
		" { name = \"x\"; iccid = \"8988211000000000002\"; imsi = \"001010000000002\";"
		" mnc_length = 2; algorithm = \"xor\"; k = \"000102030405060708090a0b0c0d0e0f\";"
		" amf = \"0000\"; sqn = 0; ind_bitlen = 5; } );\n";

	gba_log_set_level(GBA_LL_NONE);
	if (fd < 0 || write(fd, prof, sizeof(prof) - 1) != sizeof(prof) - 1)
		abort();
	close(fd);
	strcpy(cfg.fqdn, "bsf.fuzz.example");
	strcpy(cfg.realm, cfg.fqdn);
	cfg.key_lifetime = 3600;
	cfg.challenge_lifetime = 60;
	cfg.max_auth_failures = 3;
	cfg.retry_after = 5;
	if (bsf_kek_load(&bsf.kek, "000102030405060708090a0b0c0d0e0f"
				   "101112131415161718191a1b1c1d1e1f", NULL, false) ||
	    bsf_store_open(&bsf.store, "sqlite::memory:") ||
	    zh_auc_open(&bsf.zh, path, bsf.store, 1024))
		abort();
	unlink(path);
}

/* Copy 'in' replacing %N / %O by the live challenge's nonce / opaque. */
static char *expand(const char *in, size_t len, const char *nonce, const char *opaque)
{
	char *out = malloc(len * 64 + 1), *p = out;

	for (size_t i = 0; i < len; i++) {
		if (in[i] == '%' && i + 1 < len && (in[i + 1] == 'N' || in[i + 1] == 'O')) {
			const char *v = in[i + 1] == 'N' ? nonce : opaque;

			memcpy(p, v, strlen(v));
			p += strlen(v);
			i++;
		} else {
			*p++ = in[i];
		}
	}
	*p = '\0';
	return out;
}

static void check(const struct ub_txn *t, int calls)
{
	if (calls != 1)
		abort();
	switch (t->status) {
	case 200: case 400: case 403: case 503:
		break;
	case 401:
		if (!t->www_authenticate[0])
			abort();
		break;
	default:
		abort();
	}
}

/* A live challenge for the IMPI named by the fuzz input (or the default one). */
static void live(const char *impi, char *nonce, size_t nlen, char *opaque, size_t olen)
{
	struct ub_txn t;
	char authz[600];
	struct gba_digest *d = malloc(sizeof(*d));
	int calls = 0;

	nonce[0] = opaque[0] = '\0';
	snprintf(authz, sizeof(authz), "Digest username=\"%s\", realm=\"r\", nonce=\"\", uri=\"/\","
		 " response=\"\"", impi);
	memset(&t, 0, sizeof(t));
	t.method = "GET";
	t.uri = "/";
	t.authorization = authz;
	t.n_authorization = 1;
	t.done = done;
	t.priv = &calls;
	ub_handle(&bsf, &t);
	if (t.status == 401 && gba_digest_parse(d, GBA_DIGEST_CHALLENGE, t.www_authenticate,
						strlen(t.www_authenticate)) == 0) {
		snprintf(nonce, nlen, "%s", d->nonce);
		snprintf(opaque, olen, "%s", d->opaque ? d->opaque : "");
	}
	ub_txn_release(&t);
	free(d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf, *f[5] = { NULL }, *authz = NULL, nonce[200], opaque[80];
	struct ub_txn t;
	int calls = 0, n = 0;

	if (!bsf.store)
		setup();
	if (size > 8192)
		return 0;
	buf = malloc(size + 1);
	memcpy(buf, data, size);
	buf[size] = '\0';
	f[n++] = buf;
	for (char *p = buf; n < 5 && (p = memchr(p, '\n', size - (size_t)(p - buf))); p++) {
		*p = '\0';
		f[n++] = p + 1;
	}
	memset(&t, 0, sizeof(t));
	t.method = f[0];
	t.uri = f[1];
	if (f[2] && *f[2]) {
		live(strstr(f[2], "001010000000002") ? "001010000000002@ims.mnc001.mcc001."
			"3gppnetwork.org" : IMPI, nonce, sizeof(nonce), opaque, sizeof(opaque));
		authz = expand(f[2], strlen(f[2]), nonce, opaque);
		t.authorization = authz;
		t.n_authorization = 1;
	}
	t.user_agent = f[3];
	if (f[4]) {
		t.body = (const uint8_t *)f[4];
		t.body_len = size - (size_t)(f[4] - buf);
	}
	t.done = done;
	t.priv = &calls;
	ub_handle(&bsf, &t);
	check(&t, calls);
	ub_txn_release(&t);
	free(authz);
	free(buf);
	if (++runs % 4096 == 0)
		bsf.store->ops->purge(bsf.store, time(NULL) + 100000);
	return 0;
}
