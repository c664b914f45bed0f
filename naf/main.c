/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * gba-naf: the command line of libgba-naf. "serve" plays a oneM2M CSE behind TLS-PSK /
 * HTTP Digest keyed by GBA, "proxy" protects an unmodified HTTP server (TS 33.222
 * authentication proxy), "lookup" asks the BSF for one key over Zn (operators, scripts).
 * See gba-naf(1).
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/ssl.h>

#include <gba/identity.h>
#include <gba/keys.h>
#include <gba/log.h>

#include "tool.h"

struct cli {
	const char *fqdns[GBA_NAF_FQDNS_MAX + 1];
	unsigned int n_fqdn;
	struct gba_naf_opts o;
	const char *listen, *digest_listen, *backend, *cse_id, *naf, *ua, *log;
	bool uicc, require_sni, once, show_key, tls12_only;
};

static void usage(FILE *f)
{
	fprintf(f,
		"usage: gba-naf serve  --fqdn FQDN --bsf URL [--listen ADDR:PORT] [--digest-listen ADDR:PORT]\n"
		"                      [--cse-id ID] [--uicc] [--require-sni] [--tls12-only] [--once]\n"
		"       gba-naf proxy  --fqdn FQDN --bsf URL --backend HOST:PORT [--listen ADDR:PORT]\n"
		"                      [--digest-listen ADDR:PORT] [--uicc] [--require-sni] [--once]\n"
		"       gba-naf lookup B-TID --naf FQDN --ua HEX --bsf URL [--uicc] [--show-key]\n"
		"URL: https://HOST[:PORT][/PATH] (SOAP) or diameter:FDCONF[,REALM[,HOST]] (BIR/BIA)\n"
		"common: [--zn-cert PEM] [--zn-key PEM] [--zn-ca PEM] [--allow-plain-http]\n"
		"        [--gba-u-unaware]\n"
		"        [--timeout MS] [--cache N] [--negative-ttl S] [--log SPEC]\n");
}

enum { O_BSF = 256, O_CERT, O_KEY, O_CA, O_PLAIN, O_TIMEOUT, O_CACHE, O_NEG, O_LOG, O_LISTEN,
	O_DLISTEN, O_BACKEND, O_CSE, O_NAF, O_UA, O_UICC, O_SNI, O_ONCE, O_SHOW, O_FQDN,
	O_TLS12, O_UNAWARE };

static const struct option longopts[] = {
	{ "fqdn", required_argument, NULL, O_FQDN },
	{ "bsf", required_argument, NULL, O_BSF },
	{ "gba-u-unaware", no_argument, NULL, O_UNAWARE },
	{ "zn-cert", required_argument, NULL, O_CERT },
	{ "zn-key", required_argument, NULL, O_KEY },
	{ "zn-ca", required_argument, NULL, O_CA },
	{ "allow-plain-http", no_argument, NULL, O_PLAIN },
	{ "zn-allow-plain-http", no_argument, NULL, O_PLAIN },
	{ "timeout", required_argument, NULL, O_TIMEOUT },
	{ "cache", required_argument, NULL, O_CACHE },
	{ "negative-ttl", required_argument, NULL, O_NEG },
	{ "log", required_argument, NULL, O_LOG },
	{ "listen", required_argument, NULL, O_LISTEN },
	{ "digest-listen", required_argument, NULL, O_DLISTEN },
	{ "backend", required_argument, NULL, O_BACKEND },
	{ "cse-id", required_argument, NULL, O_CSE },
	{ "naf", required_argument, NULL, O_NAF },
	{ "ua", required_argument, NULL, O_UA },
	{ "uicc", no_argument, NULL, O_UICC },
	{ "require-sni", no_argument, NULL, O_SNI },
	{ "tls12-only", no_argument, NULL, O_TLS12 },
	{ "once", no_argument, NULL, O_ONCE },
	{ "show-key", no_argument, NULL, O_SHOW },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 }
};

static unsigned int num(const char *s, const char *what)
{
	char *end;
	unsigned long v = strtoul(s, &end, 10);

	if (!*s || *end || v > 100000000) {
		fprintf(stderr, "gba-naf: bad %s '%s'\n", what, s);
		exit(2);
	}
	return (unsigned int)v;
}

static void parse(struct cli *c, int argc, char **argv)
{
	int o;

	while ((o = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (o) {
		case O_FQDN:
			if (c->n_fqdn == GBA_NAF_FQDNS_MAX) {
				fprintf(stderr, "gba-naf: at most %d --fqdn\n", GBA_NAF_FQDNS_MAX);
				exit(2);
			}
			c->fqdns[c->n_fqdn++] = optarg;
			break;
		case O_BSF: c->o.bsf_url = optarg; break;
		case O_CERT: c->o.client_cert = optarg; break;
		case O_KEY: c->o.client_key = optarg; break;
		case O_CA: c->o.ca_file = optarg; break;
		case O_PLAIN: c->o.allow_plain_http = true; break;
		case O_UNAWARE: c->o.not_gba_u_aware = true; break;
		case O_TIMEOUT: c->o.timeout_ms = num(optarg, "timeout"); break;
		case O_CACHE: c->o.cache_size = num(optarg, "cache size"); break;
		case O_NEG: c->o.negative_ttl = num(optarg, "negative TTL"); break;
		case O_LOG: c->log = optarg; break;
		case O_LISTEN: c->listen = optarg; break;
		case O_DLISTEN: c->digest_listen = optarg; break;
		case O_BACKEND: c->backend = optarg; break;
		case O_CSE: c->cse_id = optarg; break;
		case O_NAF: c->naf = optarg; break;
		case O_UA: c->ua = optarg; break;
		case O_UICC: c->uicc = true; break;
		case O_SNI: c->require_sni = true; break;
		case O_TLS12: c->tls12_only = true; break;
		case O_ONCE: c->once = true; break;
		case O_SHOW: c->show_key = true; break;
		case 'h':
			usage(stdout);
			exit(0);
		default:
			usage(stderr);
			exit(2);
		}
	}
	if (gba_naf_log_setup(c->log ? c->log : "notice")) {
		fprintf(stderr, "gba-naf: bad --log '%s'\n", c->log);
		exit(2);
	}
	if (!c->o.bsf_url) {
		fprintf(stderr, "gba-naf: --bsf URL is required\n");
		exit(2);
	}
}

static void on_signal(int sig)
{
	tool_stop = 1;
}

static SSL_CTX *tls_ctx(struct gba_naf *naf, const struct cli *c)
{
	SSL_CTX *ctx = SSL_CTX_new(TLS_server_method());
	unsigned int fl = (c->uicc ? GBA_NAF_TLS_UICC : 0) |
			  (c->require_sni ? GBA_NAF_TLS_REQUIRE_SNI : 0);

	if (!ctx || !SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION) ||
	    (c->tls12_only && !SSL_CTX_set_max_proto_version(ctx, TLS1_2_VERSION)) ||
	    gba_naf_tls_setup(naf, ctx, fl)) {
		SSL_CTX_free(ctx);
		return NULL;
	}
	return ctx;
}

static int run_server(struct cli *c, bool proxy)
{
	struct srv s[2];
	struct gba_naf *naf = NULL;
	struct sigaction sa = { .sa_handler = on_signal };
	unsigned int n = 0, i;
	int rc;

	if (!c->n_fqdn || (!c->listen && !c->digest_listen) || (proxy && !c->backend)) {
		fprintf(stderr, "gba-naf: --fqdn, --listen or --digest-listen%s are required\n",
			proxy ? " and --backend" : "");
		return 2;
	}
	rc = gba_naf_new(&naf, c->fqdns, &c->o);
	if (rc) {
		fprintf(stderr, "gba-naf: %s\n", gba_naf_strerror(rc));
		return 1;
	}
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	memset(s, 0, sizeof(s));
	for (i = 0; i < 2; i++) {
		const char *addr = i ? c->digest_listen : c->listen;

		if (!addr)
			continue;
		s[n].naf = naf;
		s[n].uicc = c->uicc;
		s[n].app = proxy ? proxy_app : serve_app;
		s[n].arg = (void *)(proxy ? c->backend : c->cse_id ? c->cse_id : "gba-cse");
		if (!i && !(s[n].ctx = tls_ctx(naf, c))) {
			fprintf(stderr, "gba-naf: cannot set up TLS-PSK\n");
			rc = 1;
			goto out;
		}
		s[n].fd = srv_listen(addr);
		if (s[n].fd < 0) {
			fprintf(stderr, "gba-naf: cannot listen on %s: %s\n", addr,
				strerror(-s[n].fd));
			SSL_CTX_free(s[n].ctx);
			rc = 1;
			goto out;
		}
		GLOGP(GBA_LC_MAIN, GBA_LL_NOTICE, "%s listening on %s (%s) for %s",
		      proxy ? "proxy" : "CSE", addr, i ? "HTTP Digest" : "TLS-PSK", c->fqdns[0]);
		n++;
	}
	rc = srv_run(s, n, c->once) ? 1 : 0;
	GLOGP(GBA_LC_MAIN, GBA_LL_NOTICE, "stopped");
out:
	for (i = 0; i < n; i++) {
		close(s[i].fd);
		SSL_CTX_free(s[i].ctx);
	}
	gba_naf_free(naf);
	return rc;
}

static int lookup(struct cli *c, const char *btid)
{
	uint8_t ua[GBA_NAF_UA_ID_LEN];
	const char *fqdns[2] = { c->naf, NULL };
	char hex[2 * GBA_NAF_KEY_LEN + 1], exp[32] = "?";
	struct gba_naf_key k;
	struct gba_naf *naf = NULL;
	int rc;

	if (!c->naf || !c->ua || gba_hex_decode(ua, sizeof(ua), c->ua)) {
		fprintf(stderr, "gba-naf: lookup needs --naf FQDN and --ua with 10 hex digits\n");
		return 2;
	}
	rc = gba_naf_new(&naf, fqdns, &c->o);
	if (!rc)
		rc = gba_naf_get_key(naf, btid, c->naf, ua,
				     c->uicc ? GBA_NAF_KEY_UICC : GBA_NAF_KEY_ME, 0, &k);
	if (rc) {
		fprintf(stderr, "gba-naf: %s: %s\n", btid, gba_naf_strerror(rc));
		gba_naf_free(naf);
		return 1;
	}
	gba_datetime_format(exp, sizeof(exp), k.expiry);
	printf("B-TID:       %s\nIMPI:        %s\nNAF_Id:      %s || %s\n", k.btid, k.impi,
	       k.fqdn, c->ua);
	printf("mode:        %s\nkey:         %s\nexpiry:      %s\n", k.gba_u ? "GBA_U" : "GBA_ME",
	       c->uicc ? "Ks_int_NAF" : k.gba_u ? "Ks_ext_NAF" : "Ks_NAF", exp);
	{
		uint8_t fp[GBA_NAF_FP_LEN];

		gba_naf_key_fingerprint(fp, k.key);
		gba_hex_encode(hex, sizeof(hex), fp, sizeof(fp));
		printf("fingerprint: %s\n", hex);
	}
	printf("USS:         %s\n", k.uss ? "present" : "none");
	if (c->show_key) {
		gba_hex_encode(hex, sizeof(hex), k.key, GBA_NAF_KEY_LEN);
		printf("key-hex:     %s\n", hex);
	}
	gba_zeroize(hex, sizeof(hex));
	gba_naf_key_wipe(&k);
	/* the answer is out before a Diameter core stops (freeDiameter 1.2.1 may abort in
	 * fd_fifo_del() at shutdown on a loaded machine: doc/diameter.md) */
	fflush(stdout);
	gba_naf_free(naf);
	return 0;
}

int main(int argc, char **argv)
{
	struct cli c;
	const char *cmd;

	memset(&c, 0, sizeof(c));
	if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	cmd = argv[1];
	argv++;
	argc--;
	parse(&c, argc, argv);
	if (!strcmp(cmd, "serve"))
		return run_server(&c, false);
	if (!strcmp(cmd, "proxy"))
		return run_server(&c, true);
	if (!strcmp(cmd, "lookup")) {
		if (optind != argc - 1) {
			usage(stderr);
			return 2;
		}
		return lookup(&c, argv[optind]);
	}
	usage(stderr);
	return 2;
}
