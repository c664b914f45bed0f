/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * gba-ue: the command-line UE on libgba-ue. Lists PC/SC readers, identifies the card,
 * bootstraps against a BSF, prints NAF keys (key bytes only with --show-key) and sends one
 * GET to a NAF over TLS-PSK or HTTP Digest. Text or JSON output; the exit codes are listed
 * in usage() and gba-ue(1).
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <gba/ue.h>

enum exit_code {
	EX_OK_ = 0,
	EX_USAGE_ = 1,	/* bad command line */
	EX_CARD = 2,	/* pcscd, reader or card problem */
	EX_PIN = 3,	/* PIN needed, wrong or blocked */
	EX_AUTH = 4,	/* authentication refused: BSF 403/401, MAC failure, bad rspauth, TLS */
	EX_NET = 5,	/* BSF/NAF unreachable or unavailable (503) */
	EX_PROTO = 6,	/* malformed answer from the BSF/NAF/card */
	EX_OTHER = 7,
};

struct cli {
	struct gba_ue_opts o;
	bool force, json, show_key, btid_prefix;
	unsigned int tls_flags;
	const char *ua_hex, *tls_suite, *log;
};

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: gba-ue [options] COMMAND [ARG]\n"
		"Commands:\n"
		"  readers               list PC/SC readers\n"
		"  info                  identify the card (ICCID, IMSI, IMPI, GBA_U, PIN state)\n"
		"  bootstrap             make sure a valid bootstrap exists (Ub run if needed)\n"
		"  naf-key FQDN          print B-TID and NAF key for FQDN\n"
		"  connect URL           GET URL: https:// over TLS-PSK, http:// with Digest\n"
		"Options:\n"
		"  -r, --reader NAME     reader name substring (default: first with a card)\n"
		"  -b, --bsf URL         BSF URL (default from the IMSI, TS 23.003)\n"
		"  -p, --pin PIN         verify PIN1 when the card needs it\n"
		"  -f, --force           bootstrap again even when a valid key exists\n"
		"  -m, --gba-me          do not use the card's GBA_U context\n"
		"  -u, --ua HEX          naf-key: Ua protocol id, 5 bytes (default 0100000002)\n"
		"  -s, --tls-suite NAME  naf-key: Ua id 010001yyzz for this TLS 1.2 suite\n"
		"      --tls12, --tls13  connect: only this TLS version\n"
		"      --btid-prefix     connect: psk_identity \"3GPP-bootstrapping.\" B-TID\n"
		"  -j, --json            JSON output\n"
		"  -k, --show-key        print key bytes (naf-key)\n"
		"  -c, --cache-dir DIR   GBA_ME cache directory (default $XDG_STATE_HOME/gbakit)\n"
		"      --no-cache        neither read nor write the GBA_ME cache\n"
		"  -w, --wait MS         wait for a card\n"
		"  -t, --timeout MS      HTTP timeout (default 10000)\n"
		"  -l, --log SPEC        log levels, e.g. debug or ue=debug,apdu=debug\n"
		"  -V, --version, -h, --help\n"
		"Exit codes: 0 ok, 1 usage, 2 pcscd/reader/card, 3 PIN, 4 authentication refused,\n"
		"  5 network or server unavailable, 6 malformed answer, 7 other.\n");
}

static int exit_for(int rc)
{
	switch (rc) {
	case -EHOSTDOWN:
	case -ENODEV:
	case -ENOMEDIUM:
	case -EBUSY:
	case -ECONNRESET:
	case -ECOMM:
	case -ETIMEDOUT:
	case -EOPNOTSUPP:
		return rc == -ETIMEDOUT ? EX_NET : EX_CARD;
	case -EACCES:
		return EX_AUTH;
	case -EPERM:
	case -EBADMSG:
		return EX_AUTH;
	case -EAGAIN:
	case -ECONNREFUSED:
		return EX_NET;
	case -EPROTO:
		return EX_PROTO;
	case -EINVAL:
		return EX_USAGE_;
	default:
		return EX_OTHER;
	}
}

/* JSON string body: escape quotes, backslashes and control characters. */
static void jstr(const char *s)
{
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			printf("\\%c", *s);
		else if ((unsigned char)*s < 0x20)
			printf("\\u%04x", *s);
		else
			putchar(*s);
	}
}

/* PIN problems are reported by the card layer with -EACCES / -EPERM and "PIN" in the text. */
static int fail(struct gba_ue *ue, int rc, bool json)
{
	const char *m = ue ? gba_ue_errmsg(ue) : "";
	int ex = exit_for(rc);

	if (!m[0])
		m = strerror(-rc);
	if ((rc == -EACCES || rc == -EPERM) && strstr(m, "PIN"))
		ex = EX_PIN;
	if (json) {
		printf("{\"error\":%d,\"exit\":%d,\"message\":\"", rc, ex);
		jstr(m);
		printf("\"}\n");
	} else
		fprintf(stderr, "gba-ue: %s\n", m);
	return ex;
}

static void hex(char *out, const uint8_t *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		sprintf(out + 2 * i, "%02x", b[i]);
}

static void when(char *out, size_t len, time_t t)
{
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(out, len, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static void reader_cb(void *arg, const char *reader, bool card)
{
	bool json = *(bool *)arg;

	if (json) {
		printf("%s{\"reader\":\"", ((bool *)arg)[1] ? "," : "");
		jstr(reader);
		printf("\",\"card\":%s}", card ? "true" : "false");
		((bool *)arg)[1] = true;
	} else {
		printf("%s%s\n", reader, card ? "  (card present)" : "");
	}
}

static int cmd_readers(struct cli *c)
{
	bool arg[2] = { c->json, false };
	int n;

	if (c->json)
		printf("[");
	n = gba_ue_list_readers(reader_cb, arg);
	if (c->json)
		printf("]\n");
	if (n < 0) {
		fprintf(stderr, "gba-ue: %s\n", n == -EHOSTDOWN ?
			"PC/SC service not reachable (pcscd not running?)" : strerror(-n));
		return exit_for(n);
	}
	if (!n && !c->json)
		printf("no readers\n");
	return EX_OK_;
}

static int cmd_info(struct cli *c, struct gba_ue *ue)
{
	struct gba_ue_card_info i;
	int rc = gba_ue_card_info(ue, &i);

	if (rc < 0 && !i.iccid[0])
		return fail(ue, rc, c->json);
	if (c->json) {
		printf("{\"reader\":\"");
		jstr(i.reader);
		printf("\",\"iccid\":\"%s\",\"imsi\":\"%s\",\"mnc_len\":%u,\"impi\":\"", i.iccid,
		       i.imsi, i.mnc_len);
		jstr(i.impi);
		printf("\",\"impi_source\":\"%s\",\"usim\":%s,\"isim\":%s,\"gba_app\":\"%s\","
		       "\"gba_u_capable\":%s,\"mode\":\"%s\",\"pin\":\"%s\",\"pin_retries\":%d,"
		       "\"bsf\":\"", i.impi_from_isim ? "EF_IMPI" : "IMSI",
		       i.has_usim ? "true" : "false", i.has_isim ? "true" : "false", i.app,
		       i.gba_u ? "true" : "false", i.gba_u_used ? "GBA_U" : "GBA_ME",
		       gba_ue_pin_state_name(i.pin_state), i.pin_retries);
		jstr(i.bsf_url);
		printf("\",\"apdus\":%u}\n", i.apdus);
	} else {
		printf("reader:       %s\n", i.reader);
		printf("ICCID:        %s\n", i.iccid);
		printf("IMSI:         %s (MNC %u digits)\n", i.imsi[0] ? i.imsi : "-", i.mnc_len);
		printf("IMPI:         %s (%s)\n", i.impi[0] ? i.impi : "-",
		       i.impi_from_isim ? "ISIM EF_IMPI" : "from the IMSI");
		printf("applications: %s%s, GBA on %s\n", i.has_usim ? "USIM " : "",
		       i.has_isim ? "ISIM" : "", i.app);
		printf("GBA_U:        %s (using %s)\n", i.gba_u ? "yes" : "no",
		       i.gba_u_used ? "GBA_U" : "GBA_ME");
		if (i.pin_retries >= 0)
			printf("PIN1:         %s, %d tries left\n",
			       gba_ue_pin_state_name(i.pin_state), i.pin_retries);
		else
			printf("PIN1:         %s\n", gba_ue_pin_state_name(i.pin_state));
		printf("BSF:          %s\n", i.bsf_url[0] ? i.bsf_url : "-");
		printf("APDUs:        %u\n", i.apdus);
	}
	return rc < 0 ? fail(ue, rc, false) : EX_OK_;
}

static int cmd_bootstrap(struct cli *c, struct gba_ue *ue)
{
	struct gba_ue_bootstrap b;
	char exp[32];
	int rc = gba_ue_bootstrap(ue, c->force, &b);

	if (rc < 0)
		return fail(ue, rc, c->json);
	when(exp, sizeof(exp), b.expiry);
	if (c->json) {
		printf("{\"btid\":\"");
		jstr(b.btid);
		printf("\",\"lifetime\":\"%s\",\"mode\":\"%s\",\"cached\":%s,\"resynced\":%s,"
		       "\"impi\":\"", exp, b.gba_u ? "GBA_U" : "GBA_ME",
		       b.from_cache ? "true" : "false", b.resynced ? "true" : "false");
		jstr(b.impi);
		printf("\",\"apdus\":%u}\n", gba_ue_apdu_count(ue));
	} else {
		printf("B-TID:    %s\nlifetime: %s\nmode:     %s%s%s\nAPDUs:    %u\n", b.btid, exp,
		       b.gba_u ? "GBA_U" : "GBA_ME", b.from_cache ? " (cached)" : "",
		       b.resynced ? " (after resync)" : "", gba_ue_apdu_count(ue));
	}
	return EX_OK_;
}

static int parse_ua(struct cli *c, uint8_t ua[GBA_UE_UA_ID_LEN])
{
	int id;

	memcpy(ua, gba_ue_ua_http_digest, GBA_UE_UA_ID_LEN);
	if (c->ua_hex) {
		unsigned int v[GBA_UE_UA_ID_LEN];
		char tail;

		if (strlen(c->ua_hex) != 2 * GBA_UE_UA_ID_LEN ||
		    sscanf(c->ua_hex, "%2x%2x%2x%2x%2x%c", &v[0], &v[1], &v[2], &v[3], &v[4],
			   &tail) != 5) {
			fprintf(stderr, "gba-ue: --ua needs 10 hex digits\n");
			return -EINVAL;
		}
		for (int i = 0; i < GBA_UE_UA_ID_LEN; i++)
			ua[i] = (uint8_t)v[i];
	} else if (c->tls_suite) {
		id = gba_ue_tls_suite_id(c->tls_suite);
		if (id < 0 && sscanf(c->tls_suite, "0x%x", (unsigned int *)&id) != 1) {
			fprintf(stderr, "gba-ue: unknown TLS suite '%s'\n", c->tls_suite);
			return -EINVAL;
		}
		gba_ue_ua_tls12(ua, (uint16_t)id);
	}
	return 0;
}

static int cmd_naf_key(struct cli *c, struct gba_ue *ue, const char *fqdn)
{
	uint8_t ua[GBA_UE_UA_ID_LEN];
	struct gba_ue_naf_key k;
	char kh[2 * GBA_UE_KEY_LEN + 1], uh[2 * GBA_UE_UA_ID_LEN + 1], exp[32];
	int rc;

	if (parse_ua(c, ua))
		return EX_USAGE_;
	rc = gba_ue_naf_key(ue, fqdn, ua, c->force, &k);
	if (rc < 0)
		return fail(ue, rc, c->json);
	hex(uh, ua, sizeof(ua));
	when(exp, sizeof(exp), k.expiry);
	if (c->show_key)
		hex(kh, k.key, sizeof(k.key));
	if (c->json) {
		printf("{\"naf\":\"");
		jstr(fqdn);
		printf("\",\"ua\":\"%s\",\"btid\":\"", uh);
		jstr(k.btid);
		printf("\",\"lifetime\":\"%s\",\"key_type\":\"%s\"", exp,
		       k.gba_u ? "Ks_ext_NAF" : "Ks_NAF");
		if (c->show_key)
			printf(",\"key\":\"%s\"", kh);
		printf(",\"apdus\":%u}\n", gba_ue_apdu_count(ue));
	} else {
		printf("NAF:      %s\nUa id:    %s\nB-TID:    %s\nlifetime: %s\nkey:      %s\n"
		       "APDUs:    %u\n", fqdn, uh, k.btid, exp,
		       c->show_key ? kh : (k.gba_u ? "Ks_ext_NAF (use --show-key)" :
					   "Ks_NAF (use --show-key)"), gba_ue_apdu_count(ue));
	}
	gba_ue_key_wipe(&k);
	memset(kh, 0, sizeof(kh));
	return EX_OK_;
}

static int cmd_connect(struct cli *c, struct gba_ue *ue, const char *url)
{
	struct gba_ue_response r;
	int rc = gba_ue_get(ue, url, c->tls_flags, &r);

	if (rc < 0)
		return fail(ue, rc, c->json);
	if (c->json) {
		printf("{\"status\":%ld,\"tls\":\"%s\",\"cipher\":\"%s\",\"rebootstrapped\":%s,"
		       "\"body\":\"", r.status, r.tls_version, r.cipher,
		       r.rebootstrapped ? "true" : "false");
		jstr(r.body ? r.body : "");
		printf("\"}\n");
	} else {
		if (r.tls_version[0])
			fprintf(stderr, "gba-ue: %s %s\n", r.tls_version, r.cipher);
		fprintf(stderr, "gba-ue: HTTP %ld\n", r.status);
		fwrite(r.body, 1, r.body_len, stdout);
	}
	gba_ue_response_free(&r);
	return r.status >= 200 && r.status < 300 ? EX_OK_ : EX_AUTH;
}

int main(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "reader", required_argument, NULL, 'r' },
		{ "bsf", required_argument, NULL, 'b' },
		{ "pin", required_argument, NULL, 'p' },
		{ "force", no_argument, NULL, 'f' },
		{ "gba-me", no_argument, NULL, 'm' },
		{ "ua", required_argument, NULL, 'u' },
		{ "tls-suite", required_argument, NULL, 's' },
		{ "tls12", no_argument, NULL, '2' },
		{ "tls13", no_argument, NULL, '3' },
		{ "btid-prefix", no_argument, NULL, 'P' },
		{ "json", no_argument, NULL, 'j' },
		{ "show-key", no_argument, NULL, 'k' },
		{ "cache-dir", required_argument, NULL, 'c' },
		{ "no-cache", no_argument, NULL, 'N' },
		{ "wait", required_argument, NULL, 'w' },
		{ "timeout", required_argument, NULL, 't' },
		{ "log", required_argument, NULL, 'l' },
		{ "version", no_argument, NULL, 'V' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct cli c = { 0 };
	struct gba_ue *ue = NULL;
	const char *cmd, *arg = NULL;
	int o, rc, ex;

	while ((o = getopt_long(argc, argv, "r:b:p:fmu:s:jkc:w:t:l:Vh", lo, NULL)) != -1) {
		switch (o) {
		case 'r': c.o.reader = optarg; break;
		case 'b': c.o.bsf_url = optarg; break;
		case 'p': c.o.pin = optarg; break;
		case 'f': c.force = true; break;
		case 'm': c.o.force_gba_me = true; break;
		case 'u': c.ua_hex = optarg; break;
		case 's': c.tls_suite = optarg; break;
		case '2': c.tls_flags |= GBA_UE_TLS_12_ONLY; break;
		case '3': c.tls_flags |= GBA_UE_TLS_13_ONLY; break;
		case 'P': c.tls_flags |= GBA_UE_TLS_BTID_PREFIX; break;
		case 'j': c.json = true; break;
		case 'k': c.show_key = true; break;
		case 'c': c.o.cache_dir = optarg; break;
		case 'N': c.o.no_cache = true; break;
		case 'w': c.o.card_wait_ms = atoi(optarg); break;
		case 't': c.o.http_timeout_ms = atol(optarg); break;
		case 'l': c.log = optarg; break;
		case 'V': printf("gba-ue %s\n", PACKAGE_VERSION); return EX_OK_;
		case 'h': usage(stdout); return EX_OK_;
		default: usage(stderr); return EX_USAGE_;
		}
	}
	if (optind >= argc) {
		usage(stderr);
		return EX_USAGE_;
	}
	if (gba_ue_log_setup(c.log ? c.log : "notice")) {
		fprintf(stderr, "gba-ue: bad --log '%s'\n", c.log);
		return EX_USAGE_;
	}
	if ((c.tls_flags & GBA_UE_TLS_12_ONLY) && (c.tls_flags & GBA_UE_TLS_13_ONLY)) {
		fprintf(stderr, "gba-ue: --tls12 and --tls13 exclude each other\n");
		return EX_USAGE_;
	}
	cmd = argv[optind];
	if (!strcmp(cmd, "naf-key") || !strcmp(cmd, "connect")) {
		if (optind + 2 != argc) {
			fprintf(stderr, "gba-ue: %s needs one argument\n", cmd);
			return EX_USAGE_;
		}
		arg = argv[optind + 1];
	} else if (optind + 1 != argc) {
		usage(stderr);
		return EX_USAGE_;
	}
	if (!strcmp(cmd, "readers"))
		return cmd_readers(&c);
	if (strcmp(cmd, "info") && strcmp(cmd, "bootstrap") && strcmp(cmd, "naf-key") &&
	    strcmp(cmd, "connect")) {
		fprintf(stderr, "gba-ue: unknown command '%s'\n", cmd);
		return EX_USAGE_;
	}
	rc = gba_ue_open(&ue, &c.o);
	if (rc < 0 && !(rc == -EACCES && !strcmp(cmd, "info"))) {
		ex = fail(ue, rc, c.json);
		gba_ue_free(ue);
		return ex;
	}
	if (!strcmp(cmd, "info"))
		ex = cmd_info(&c, ue);
	else if (!strcmp(cmd, "bootstrap"))
		ex = cmd_bootstrap(&c, ue);
	else if (!strcmp(cmd, "naf-key"))
		ex = cmd_naf_key(&c, ue, arg);
	else
		ex = cmd_connect(&c, ue, arg);
	gba_ue_free(ue);
	return ex;
}
