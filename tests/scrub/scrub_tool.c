/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * scrub_tool: the helper of tests/scrub/scrub.sh, which checks that no key material stays
 * in the memory of gba-bsf and gba-naf once a session is over, nor in any log.
 *   scrub_tool boot UB REALM IMPI K OPC ZN CERT KEY CA FQDN
 *       bootstrap with the test UE of tests/bsf (tue.c: the USIM computed from K/OPc and
 *       the RAND seen on the wire), look the B-TID up over Zn (mutual TLS) as NAF FQDN, and
 *       print "btid B-TID" then one "NAME HEX" line per secret of the session: RES, CK, IK,
 *       Ks and Ks_NAF for FQDN with the Ua ids HTTP Digest, TLS 1.2 PSK-AES128-CBC-SHA256
 *       and TLS 1.3 (what gba-naf and the BSF derive)
 *   scrub_tool keys K OPC B-TID IMPI FQDN
 *       the same lines for a bootstrap someone else ran (a card's MILENAGE on the RAND in
 *       the B-TID): what gba-uicc, gba-ue, gba-bsf and gba-naf held for it
 *   scrub_tool scan PID NAME=HEX...
 *       read every writable mapping of process PID (heap, anonymous, stacks, .data/.bss)
 *       through /proc/PID/mem and report each secret found there
 *   scrub_tool grep FILE NAME=HEX...
 *       the same over a file (a log)
 * A secret is looked for as raw bytes, lower- and upper-case hex and base64 (the Zn SOAP
 * and HTTP Digest forms). Exit: 0 none found (or boot done), 1 found / failed, 2 usage.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <gba/aka.h>
#include <gba/bsfxml.h>
#include <gba/kdf.h>

#include "tue.h"

#define MAX_SECRETS	32
#define SECRET_MAX	64

struct secret {
	char name[32];
	uint8_t raw[SECRET_MAX];
	size_t len;
	char lhex[2 * SECRET_MAX + 1], uhex[2 * SECRET_MAX + 1];
	char b64[SECRET_MAX * 2];
};

static struct secret sec[MAX_SECRETS];
static size_t n_sec;
static unsigned int found;

static void print_secret(const char *name, const uint8_t *p, size_t len)
{
	char hex[2 * SECRET_MAX + 1];

	gba_hex_encode(hex, sizeof(hex), p, len);
	printf("%s %s\n", name, hex);
	gba_zeroize(hex, sizeof(hex));
}

static const struct {
	const char *name;
	uint8_t ua[GBA_UA_ID_LEN];
} uas[] = {
	{ "Ks_NAF_digest", { 1, 0, 0, 0, 2 } },
	{ "Ks_NAF_tls12", { 1, 0, 1, 0, 0xae } },
	{ "Ks_NAF_tls13", { 1, 0, 0, 0, 7 } },
};

/* Print RES, CK, IK, Ks and the Ks_NAFs; 0 or 1. */
static int print_session(const uint8_t *res, size_t res_len, const uint8_t ks[GBA_KS_LEN],
			 const uint8_t rand[GBA_RAND_LEN], const char *impi, const char *fqdn)
{
	uint8_t nid[GBA_NAF_ID_MAX], ksnaf[GBA_KS_NAF_LEN];
	int n, rc = 0;

	print_secret("RES", res, res_len);
	print_secret("CK", ks, GBA_KS_LEN / 2);
	print_secret("IK", ks + GBA_KS_LEN / 2, GBA_KS_LEN / 2);
	print_secret("Ks", ks, GBA_KS_LEN);
	for (size_t i = 0; i < sizeof(uas) / sizeof(uas[0]) && !rc; i++) {
		n = gba_naf_id(nid, sizeof(nid), fqdn, uas[i].ua);
		if (n <= 0 || gba_ks_naf(ksnaf, ks, rand, impi, nid, (size_t)n))
			rc = 1;
		else
			print_secret(uas[i].name, ksnaf, sizeof(ksnaf));
	}
	gba_zeroize(ksnaf, sizeof(ksnaf));
	fflush(stdout);
	return rc;
}

static int keys(char **argv)
{
	uint8_t k[16], opc[16], rand[GBA_RAND_LEN], res[8], ks[GBA_KS_LEN], ak[6], akstar[6];
	int rc = 1;

	if (gba_hex_decode(k, sizeof(k), argv[2]) || gba_hex_decode(opc, sizeof(opc), argv[3]) ||
	    gba_btid_parse(argv[4], rand, NULL))
		return 2;
	if (!gba_milenage_f2345(opc, k, rand, res, ks, ks + 16, ak, akstar)) {
		printf("btid %s\n", argv[4]);
		rc = print_session(res, sizeof(res), ks, rand, argv[5], argv[6]);
	}
	gba_zeroize(k, sizeof(k));
	gba_zeroize(opc, sizeof(opc));
	gba_zeroize(res, sizeof(res));
	gba_zeroize(ks, sizeof(ks));
	return rc;
}

static int boot(char **argv)
{
	static struct tue u;
	static struct tue_resp resp;
	struct tue_chal c;
	struct tue_keys k;
	struct tnaf naf;
	struct gba_bootinfo bi;
	struct gba_zn_answer a;
	struct gba_zn_fault f;
	char url[300], why[256];
	bool is_fault = false;
	int rc = 1;
	long st;

	if (tue_init(&u, argv[2], argv[3], argv[4], argv[5], argv[6], GBA_AKA_MILENAGE))
		return 2;
	memset(&k, 0, sizeof(k));
	if (tue_first(&u, &c)) {
		fprintf(stderr, "scrub_tool: no valid 401\n");
		goto out;
	}
	tue_card(&u, &c, &k);
	if (k.card || tue_send_answer(&u, &c, &k, NULL, &resp) || resp.status != 200 ||
	    tue_check_rspauth(&u, &c, &k, GBA_QOP_AUTH_INT, &resp) ||
	    gba_bootinfo_parse(&bi, resp.body, resp.body_len, why, sizeof(why))) {
		fprintf(stderr, "scrub_tool: bootstrap failed (card %d, status %ld)\n", k.card,
			resp.status);
		goto out;
	}
	printf("btid %s\n", bi.btid);
	if (print_session(k.res, k.res_len, k.ks, c.rand, argv[4], argv[11]))
		goto out;
	/* the BSF derives Ks_NAF (HTTP Digest Ua id) for this Zn lookup */
	snprintf(url, sizeof(url), "%s" GBA_ZN_PATH, argv[7]);
	if (tnaf_init(&naf, url, argv[8], argv[9], argv[10]))
		goto out;
	memset(&a, 0, sizeof(a));
	memset(&f, 0, sizeof(f));
	st = tnaf_lookup(&naf, bi.btid, argv[11], false, &a, &f, &is_fault);
	if (st != 200 || is_fault)
		fprintf(stderr, "scrub_tool: Zn lookup: status %ld fault %u\n", st, f.code);
	else
		rc = 0;
	gba_zn_answer_clear(&a);
	tnaf_free(&naf);
out:
	fflush(stdout);
	gba_zeroize(&k, sizeof(k));
	gba_zeroize(&resp, sizeof(resp));
	tue_free(&u);
	return rc;
}

static int add_secrets(int argc, char **argv)
{
	for (int i = 3; i < argc && n_sec < MAX_SECRETS; i++) {
		struct secret *s = &sec[n_sec];
		const char *eq = strchr(argv[i], '=');
		int len;

		if (!eq || (size_t)(eq - argv[i]) >= sizeof(s->name))
			return -EINVAL;
		len = (int)strlen(eq + 1) / 2;
		if (len < 8 || len > SECRET_MAX || gba_hex_decode(s->raw, (size_t)len, eq + 1))
			return -EINVAL;
		memcpy(s->name, argv[i], (size_t)(eq - argv[i]));
		s->len = (size_t)len;
		gba_hex_encode(s->lhex, sizeof(s->lhex), s->raw, s->len);
		for (size_t j = 0; s->lhex[j]; j++)
			s->uhex[j] = (char)toupper((unsigned char)s->lhex[j]);
		if (gba_b64_encode(s->b64, sizeof(s->b64), s->raw, s->len) < 0)
			return -EINVAL;
		n_sec++;
	}
	return n_sec ? 0 : -EINVAL;
}

static void search(const uint8_t *buf, size_t len, unsigned long base, const char *where)
{
	for (size_t i = 0; i < n_sec; i++) {
		const struct secret *s = &sec[i];
		const struct {
			const char *form;
			const void *p;
			size_t len;
		} forms[] = {
			{ "raw", s->raw, s->len },
			{ "hex", s->lhex, 2 * s->len },
			{ "HEX", s->uhex, 2 * s->len },
			/* without the padding: a prefix match is enough */
			{ "base64", s->b64, strcspn(s->b64, "=") },
		};

		for (size_t j = 0; j < sizeof(forms) / sizeof(forms[0]); j++) {
			const uint8_t *p = buf, *end = buf + len;

			while ((p = memmem(p, (size_t)(end - p), forms[j].p, forms[j].len))) {
				printf("FOUND %s (%s) at 0x%lx in %s\n", s->name, forms[j].form,
				       base + (unsigned long)(p - buf), where);
				found++;
				p++;
			}
		}
	}
}

static int scan(const char *pid)
{
	char path[64], line[512];
	FILE *maps;
	int mem;
	uint8_t *buf = NULL;

	snprintf(path, sizeof(path), "/proc/%s/maps", pid);
	maps = fopen(path, "r");
	snprintf(path, sizeof(path), "/proc/%s/mem", pid);
	mem = open(path, O_RDONLY);
	if (!maps || mem < 0) {
		fprintf(stderr, "scrub_tool: %s: %s\n", path, strerror(errno));
		if (maps)
			fclose(maps);
		return 2;
	}
	while (fgets(line, sizeof(line), maps)) {
		unsigned long lo, hi;
		char perms[8], name[400] = "";
		size_t len;
		ssize_t got;

		if (sscanf(line, "%lx-%lx %7s %*s %*s %*s %399[^\n]", &lo, &hi, perms, name) < 3 ||
		    perms[0] != 'r' || perms[1] != 'w' || !strcmp(name, "[vvar]") ||
		    !strcmp(name, "[vsyscall]"))
			continue;
		len = hi - lo;
		buf = realloc(buf, len);
		if (!buf)
			return 2;
		got = pread(mem, buf, len, (off_t)lo);
		if (got <= 0)
			continue;
		search(buf, (size_t)got, lo, name[0] ? name : "[anon]");
	}
	free(buf);
	close(mem);
	fclose(maps);
	return found ? 1 : 0;
}

static int grep(const char *file)
{
	FILE *fp = fopen(file, "r");
	uint8_t *buf;
	long len;

	if (!fp || fseek(fp, 0, SEEK_END) || (len = ftell(fp)) < 0 || fseek(fp, 0, SEEK_SET)) {
		fprintf(stderr, "scrub_tool: %s: %s\n", file, strerror(errno));
		if (fp)
			fclose(fp);
		return 2;
	}
	buf = malloc((size_t)len + 1);
	if (!buf || fread(buf, 1, (size_t)len, fp) != (size_t)len) {
		free(buf);
		fclose(fp);
		return 2;
	}
	fclose(fp);
	search(buf, (size_t)len, 0, file);
	free(buf);
	return found ? 1 : 0;
}

int main(int argc, char **argv)
{
	const char *cmd = argc > 1 ? argv[1] : "";
	int rc;

	if (!strcmp(cmd, "boot") && argc == 12) {
		curl_global_init(CURL_GLOBAL_DEFAULT);
		rc = boot(argv);
		curl_global_cleanup();
		return rc;
	}
	if (!strcmp(cmd, "keys") && argc == 7)
		return keys(argv);
	if ((!strcmp(cmd, "scan") || !strcmp(cmd, "grep")) && argc > 3) {
		if (add_secrets(argc, argv)) {
			fprintf(stderr, "scrub_tool: bad NAME=HEX\n");
			return 2;
		}
		rc = !strcmp(cmd, "scan") ? scan(argv[2]) : grep(argv[2]);
		gba_zeroize(sec, sizeof(sec));
		return rc;
	}
	fprintf(stderr, "usage: scrub_tool boot|scan|grep ...\n");
	return 2;
}
