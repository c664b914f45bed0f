/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * gba-bsf configuration (bsfcfg.h): built-in defaults, then the libconfig file given with
 * --config, then the command-line flags, which win. Values are checked here so that the
 * daemon refuses a bad setting at start instead of failing later.
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libconfig.h>

#include <gba/keys.h>
#include <gba/log.h>

#include "bsfcfg.h"

enum {
	OPT_UB = 256, OPT_ZN, OPT_ADMIN, OPT_FQDN, OPT_SUBS, OPT_STORE, OPT_LIFETIME, OPT_PLAIN,
	OPT_LOG, OPT_DEBUG_KEYS, OPT_KEK_FILE, OPT_SYSLOG, OPT_CHAL, OPT_THREADS, OPT_REALM,
	OPT_ZH, OPT_GSUP_NAME, OPT_RL_FAIL, OPT_RL_ADDR, OPT_RL_WINDOW, OPT_RL_MAX, OPT_PER_IP,
	OPT_ZN_DIA,
};

static const struct option opts[] = {
	{ "config", required_argument, NULL, 'c' },
	{ "ub-listen", required_argument, NULL, OPT_UB },
	{ "zn-listen", required_argument, NULL, OPT_ZN },
	{ "admin-listen", required_argument, NULL, OPT_ADMIN },
	{ "fqdn", required_argument, NULL, OPT_FQDN },
	{ "realm", required_argument, NULL, OPT_REALM },
	{ "zh", required_argument, NULL, OPT_ZH },
	{ "gsup-name", required_argument, NULL, OPT_GSUP_NAME },
	{ "subscribers", required_argument, NULL, OPT_SUBS },
	{ "store", required_argument, NULL, OPT_STORE },
	{ "key-lifetime", required_argument, NULL, OPT_LIFETIME },
	{ "challenge-lifetime", required_argument, NULL, OPT_CHAL },
	{ "kek-file", required_argument, NULL, OPT_KEK_FILE },
	{ "threads", required_argument, NULL, OPT_THREADS },
	{ "zn-allow-plain-http", no_argument, NULL, OPT_PLAIN },
	{ "zn-diameter", required_argument, NULL, OPT_ZN_DIA },
	{ "limit-failures", required_argument, NULL, OPT_RL_FAIL },
	{ "limit-address-failures", required_argument, NULL, OPT_RL_ADDR },
	{ "limit-window", required_argument, NULL, OPT_RL_WINDOW },
	{ "limit-max-backoff", required_argument, NULL, OPT_RL_MAX },
	{ "per-ip-connections", required_argument, NULL, OPT_PER_IP },
	{ "log", required_argument, NULL, OPT_LOG },
	{ "syslog", no_argument, NULL, OPT_SYSLOG },
	{ "debug-keys", no_argument, NULL, OPT_DEBUG_KEYS },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 },
};

static void usage(void)
{
	printf("Usage: gba-bsf [OPTION]...\n"
	       "GBA Bootstrapping Server Function (TS 33.220): Ub, built-in AuC, Zn over HTTP(S).\n\n"
	       "  -c, --config FILE            configuration file (gba-bsf.conf(5))\n"
	       "      --ub-listen ADDR:PORT    Ub listener (default 127.0.0.1:8080)\n"
	       "      --zn-listen ADDR:PORT    Zn listener (default 127.0.0.1:8443)\n"
	       "      --admin-listen ADDR:PORT /metrics listener (default: none)\n"
	       "      --fqdn NAME              BSF FQDN, the domain of every B-TID\n"
	       "      --realm NAME             Digest realm (default: the FQDN)\n"
	       "      --zh auc|gsup:HOST[:PORT]|diameter:FDCONF[,REALM[,HOST]]\n"
	       "                               Zh backend: built-in AuC (default), osmo-hlr, or an\n"
	       "                               HSS over Diameter (freeDiameter configuration file)\n"
	       "      --gsup-name NAME         IPA unit name towards osmo-hlr (default GBA-BSF)\n"
	       "      --subscribers PATH       sim-profiles for the built-in AuC\n"
	       "      --store URI              session store: sqlite:PATH or redis://HOST:PORT[/DB]\n"
	       "      --key-lifetime SECONDS   default Ks lifetime\n"
	       "      --challenge-lifetime S   how long a 401 nonce is valid\n"
	       "      --kek-file PATH          key-encryption key (created if missing)\n"
	       "      --threads N              HTTP worker threads per listener\n"
	       "      --zn-allow-plain-http    serve Zn without TLS (testing only)\n"
	       "      --zn-diameter FDCONF     serve Zn over Diameter too (BIR/BIA, freeDiameter conf)\n"
	       "      --limit-failures N       failed Ub authentications per IMPI before 429\n"
	       "                               (default 5, 0: off)\n"
	       "      --limit-address-failures N  the same per client address (default 100)\n"
	       "      --limit-window S         window of those counts and quiet time (300)\n"
	       "      --limit-max-backoff S    longest 429 block (default 300)\n"
	       "      --per-ip-connections N   connections per client address (default 0: any)\n"
	       "      --log SPEC               log levels, e.g. notice,ub=debug\n"
	       "      --syslog                 log to syslog instead of stderr\n"
	       "      --debug-keys             print key material in debug logs (never in production)\n"
	       "  -h, --help, -V, --version\n");
}

static int set_str(char *dst, size_t len, const char *src, const char *what)
{
	if (strlen(src) >= len) {
		fprintf(stderr, "gba-bsf: %s too long\n", what);
		return -EINVAL;
	}
	strcpy(dst, src);
	return 0;
}

static int set_uint(unsigned int *dst, const char *src, unsigned int min, unsigned int max,
		    const char *what)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(src, &end, 10);
	if (errno || end == src || *end || *src == '-' || v < min || v > max) {
		fprintf(stderr, "gba-bsf: %s: '%s' is not a number in %u..%u\n", what, src, min,
			max);
		return -EINVAL;
	}
	*dst = (unsigned int)v;
	return 0;
}

static void acl_free(struct bsf_naf_acl *a)
{
	for (size_t i = 0; i < a->n_fqdns; i++)
		free(a->fqdns[i]);
	free(a->fqdns);
	free(a->id);
	free(a->dia_host);
}

static int file_str(config_t *c, const char *path, char *dst, size_t len)
{
	const char *v;

	if (!config_lookup_string(c, path, &v))
		return 0;
	return set_str(dst, len, v, path);
}

static int file_uint(config_t *c, const char *path, unsigned int *dst, unsigned int min,
		     unsigned int max)
{
	long long v;

	if (!config_lookup_int64(c, path, &v))
		return 0;
	if (v < min || v > max) {
		fprintf(stderr, "gba-bsf: %s: %lld not in %u..%u\n", path, v, min, max);
		return -EINVAL;
	}
	*dst = (unsigned int)v;
	return 0;
}

/* ub_rate_limit: { failures; address_failures; window; backoff; max_backoff; entries; } */
static int file_rl(config_t *c, struct bsf_config *cfg)
{
	int rc = 0;

	rc = rc ?: file_uint(c, "ub_rate_limit.failures", &cfg->rl_impi.failures, 0, 1000000);
	rc = rc ?: file_uint(c, "ub_rate_limit.address_failures", &cfg->rl_addr.failures, 0,
			     1000000);
	rc = rc ?: file_uint(c, "ub_rate_limit.window", &cfg->rl_impi.window, 1, 86400);
	rc = rc ?: file_uint(c, "ub_rate_limit.backoff", &cfg->rl_impi.backoff, 1, 86400);
	rc = rc ?: file_uint(c, "ub_rate_limit.max_backoff", &cfg->rl_impi.max_backoff, 1, 86400);
	rc = rc ?: file_uint(c, "ub_rate_limit.entries", &cfg->rl_impi.entries, 16, 1 << 24);
	return rc;
}

static int file_nafs(config_t *c, struct bsf_config *cfg)
{
	config_setting_t *list = config_lookup(c, "zn.nafs");
	int n;

	if (!list)
		return 0;
	n = config_setting_length(list);
	cfg->nafs = calloc(n ? n : 1, sizeof(*cfg->nafs));
	if (!cfg->nafs)
		return -ENOMEM;
	for (int i = 0; i < n; i++) {
		config_setting_t *e = config_setting_get_elem(list, i), *f;
		struct bsf_naf_acl *a = &cfg->nafs[i];
		const char *id = NULL, *dia = NULL;
		int nf;

		cfg->n_nafs++;
		config_setting_lookup_string(e, "id", &id);
		config_setting_lookup_string(e, "diameter_host", &dia);
		if ((!id && !dia) ||
		    !(f = config_setting_get_member(e, "fqdns")) || !config_setting_is_array(f)) {
			fprintf(stderr, "gba-bsf: %s:%d: a NAF needs id and/or diameter_host and "
				"fqdns = [ ... ]\n", cfg->config_file, config_setting_source_line(e));
			return -EINVAL;
		}
		nf = config_setting_length(f);
		a->id = id ? strdup(id) : NULL;
		a->dia_host = dia ? strdup(dia) : NULL;
		a->fqdns = calloc(nf ? nf : 1, sizeof(char *));
		if ((id && !a->id) || (dia && !a->dia_host) || !a->fqdns)
			return -ENOMEM;
		for (int j = 0; j < nf; j++) {
			const char *s = config_setting_get_string_elem(f, j);

			if (!s) {
				fprintf(stderr, "gba-bsf: %s:%d: fqdns holds strings\n",
					cfg->config_file, config_setting_source_line(f));
				return -EINVAL;
			}
			if (!(a->fqdns[j] = strdup(s)))
				return -ENOMEM;
			a->n_fqdns++;
		}
	}
	return 0;
}

static int load_file(struct bsf_config *cfg)
{
	config_t c;
	int b, rc = 0;

	config_init(&c);
	if (!config_read_file(&c, cfg->config_file)) {
		if (config_error_type(&c) == CONFIG_ERR_FILE_IO)
			fprintf(stderr, "gba-bsf: cannot read %s\n", cfg->config_file);
		else
			fprintf(stderr, "gba-bsf: %s:%d: %s\n", cfg->config_file,
				config_error_line(&c), config_error_text(&c));
		config_destroy(&c);
		return -EINVAL;
	}
	rc = rc ?: file_str(&c, "ub_listen", cfg->ub_listen, sizeof(cfg->ub_listen));
	rc = rc ?: file_str(&c, "zn_listen", cfg->zn_listen, sizeof(cfg->zn_listen));
	rc = rc ?: file_str(&c, "admin_listen", cfg->admin_listen, sizeof(cfg->admin_listen));
	rc = rc ?: file_str(&c, "fqdn", cfg->fqdn, sizeof(cfg->fqdn));
	rc = rc ?: file_str(&c, "realm", cfg->realm, sizeof(cfg->realm));
	rc = rc ?: file_str(&c, "zh", cfg->zh, sizeof(cfg->zh));
	rc = rc ?: file_str(&c, "gsup_name", cfg->gsup_name, sizeof(cfg->gsup_name));
	rc = rc ?: file_str(&c, "subscribers", cfg->subscribers, sizeof(cfg->subscribers));
	rc = rc ?: file_str(&c, "store", cfg->store, sizeof(cfg->store));
	rc = rc ?: file_str(&c, "kek", cfg->kek_hex, sizeof(cfg->kek_hex));
	rc = rc ?: file_str(&c, "kek_file", cfg->kek_file, sizeof(cfg->kek_file));
	rc = rc ?: file_str(&c, "log", cfg->log, sizeof(cfg->log));
	rc = rc ?: file_uint(&c, "key_lifetime", &cfg->key_lifetime, 1, 365 * 86400);
	rc = rc ?: file_uint(&c, "challenge_lifetime", &cfg->challenge_lifetime, 1, 3600);
	rc = rc ?: file_uint(&c, "max_auth_failures", &cfg->max_auth_failures, 1, 100);
	rc = rc ?: file_uint(&c, "sqn_reserve", &cfg->sqn_reserve, 1, 1 << 20);
	rc = rc ?: file_uint(&c, "threads", &cfg->threads, 1, 256);
	rc = rc ?: file_uint(&c, "max_connections", &cfg->max_connections, 1, 1 << 20);
	rc = rc ?: file_uint(&c, "connection_timeout", &cfg->connection_timeout, 1, 3600);
	rc = rc ?: file_uint(&c, "purge_interval", &cfg->purge_interval, 1, 86400);
	rc = rc ?: file_uint(&c, "retry_after", &cfg->retry_after, 1, 3600);
	rc = rc ?: file_uint(&c, "per_ip_connections", &cfg->per_ip_connections, 0, 1 << 20);
	rc = rc ?: file_rl(&c, cfg);
	rc = rc ?: file_str(&c, "zn.cert", cfg->zn_cert, sizeof(cfg->zn_cert));
	rc = rc ?: file_str(&c, "zn.key", cfg->zn_key, sizeof(cfg->zn_key));
	rc = rc ?: file_str(&c, "zn.client_ca", cfg->zn_client_ca, sizeof(cfg->zn_client_ca));
	rc = rc ?: file_str(&c, "zn.diameter", cfg->zn_diameter, sizeof(cfg->zn_diameter));
	if (config_lookup_bool(&c, "zn.allow_plain_http", &b))
		cfg->zn_allow_plain_http = b;
	if (config_lookup_bool(&c, "syslog", &b))
		cfg->syslog = b;
	rc = rc ?: file_nafs(&c, cfg);
	config_destroy(&c);
	return rc;
}

static void defaults(struct bsf_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	strcpy(cfg->ub_listen, "127.0.0.1:8080");
	strcpy(cfg->zn_listen, "127.0.0.1:8443");
	strcpy(cfg->subscribers, "/etc/gbakit/sim-profiles");
	strcpy(cfg->store, "sqlite:/var/lib/gbakit/bsf.db");
	strcpy(cfg->log, "notice");
	strcpy(cfg->zh, "auc");
	strcpy(cfg->gsup_name, "GBA-BSF");
	cfg->key_lifetime = 86400;
	cfg->challenge_lifetime = 60;
	cfg->max_auth_failures = 3;
	cfg->sqn_reserve = 1024;
	cfg->threads = 2;
	cfg->max_connections = 1024;
	cfg->connection_timeout = 30;
	cfg->purge_interval = 60;
	cfg->retry_after = 5;
	cfg->rl_impi = (struct bsf_rl_params){ .failures = 5, .window = 300, .backoff = 1,
					       .max_backoff = 300, .entries = 4096 };
	cfg->rl_addr.failures = 100;
}

static int apply_opt(struct bsf_config *cfg, int o, const char *a)
{
	switch (o) {
	case OPT_UB: return set_str(cfg->ub_listen, sizeof(cfg->ub_listen), a, "--ub-listen");
	case OPT_ZN: return set_str(cfg->zn_listen, sizeof(cfg->zn_listen), a, "--zn-listen");
	case OPT_ADMIN:
		return set_str(cfg->admin_listen, sizeof(cfg->admin_listen), a, "--admin-listen");
	case OPT_FQDN: return set_str(cfg->fqdn, sizeof(cfg->fqdn), a, "--fqdn");
	case OPT_REALM: return set_str(cfg->realm, sizeof(cfg->realm), a, "--realm");
	case OPT_ZH: return set_str(cfg->zh, sizeof(cfg->zh), a, "--zh");
	case OPT_GSUP_NAME:
		return set_str(cfg->gsup_name, sizeof(cfg->gsup_name), a, "--gsup-name");
	case OPT_SUBS: return set_str(cfg->subscribers, sizeof(cfg->subscribers), a, "--subscribers");
	case OPT_STORE: return set_str(cfg->store, sizeof(cfg->store), a, "--store");
	case OPT_KEK_FILE: return set_str(cfg->kek_file, sizeof(cfg->kek_file), a, "--kek-file");
	case OPT_LOG: return set_str(cfg->log, sizeof(cfg->log), a, "--log");
	case OPT_LIFETIME:
		return set_uint(&cfg->key_lifetime, a, 1, 365 * 86400, "--key-lifetime");
	case OPT_CHAL:
		return set_uint(&cfg->challenge_lifetime, a, 1, 3600, "--challenge-lifetime");
	case OPT_THREADS: return set_uint(&cfg->threads, a, 1, 256, "--threads");
	case OPT_RL_FAIL:
		return set_uint(&cfg->rl_impi.failures, a, 0, 1000000, "--limit-failures");
	case OPT_RL_ADDR:
		return set_uint(&cfg->rl_addr.failures, a, 0, 1000000, "--limit-address-failures");
	case OPT_RL_WINDOW: return set_uint(&cfg->rl_impi.window, a, 1, 86400, "--limit-window");
	case OPT_RL_MAX:
		return set_uint(&cfg->rl_impi.max_backoff, a, 1, 86400, "--limit-max-backoff");
	case OPT_PER_IP:
		return set_uint(&cfg->per_ip_connections, a, 0, 1 << 20, "--per-ip-connections");
	case OPT_PLAIN: cfg->zn_allow_plain_http = true; return 0;
	case OPT_ZN_DIA:
		return set_str(cfg->zn_diameter, sizeof(cfg->zn_diameter), a, "--zn-diameter");
	case OPT_DEBUG_KEYS: cfg->debug_keys = true; return 0;
	case OPT_SYSLOG: cfg->syslog = true; return 0;
	}
	return -EINVAL;
}

static int check(struct bsf_config *cfg)
{
	if (!cfg->fqdn[0]) {
		fprintf(stderr, "gba-bsf: no BSF FQDN (--fqdn or fqdn = \"...\")\n");
		return -EINVAL;
	}
	for (const char *p = cfg->fqdn; *p; p++)
		if (!(*p == '.' || *p == '-' || (*p >= '0' && *p <= '9') ||
		      ((*p | 0x20) >= 'a' && (*p | 0x20) <= 'z'))) {
			fprintf(stderr, "gba-bsf: FQDN '%s' has a bad character\n", cfg->fqdn);
			return -EINVAL;
		}
	if (strcmp(cfg->zh, "auc") && (strncmp(cfg->zh, "gsup:", 5) || !cfg->zh[5] ||
				       !cfg->gsup_name[0]) &&
	    (strncmp(cfg->zh, "diameter:", 9) || !cfg->zh[9])) {
		fprintf(stderr, "gba-bsf: zh must be \"auc\", \"gsup:HOST[:PORT]\" (with a "
			"non-empty gsup_name) or \"diameter:FDCONF[,REALM[,HOST]]\", not '%s'\n",
			cfg->zh);
		return -EINVAL;
	}
	if (!cfg->realm[0])
		strcpy(cfg->realm, cfg->fqdn);
	if (cfg->rl_impi.max_backoff < cfg->rl_impi.backoff) {
		fprintf(stderr, "gba-bsf: ub_rate_limit: max_backoff below backoff\n");
		return -EINVAL;
	}
	/* both tables share the timing and the size; only the thresholds differ */
	cfg->rl_addr = (struct bsf_rl_params){ cfg->rl_addr.failures, cfg->rl_impi.window,
					       cfg->rl_impi.backoff, cfg->rl_impi.max_backoff,
					       cfg->rl_impi.entries };
	if (!cfg->zn_allow_plain_http && (!cfg->zn_cert[0] || !cfg->zn_key[0] ||
					  !cfg->zn_client_ca[0])) {
		fprintf(stderr, "gba-bsf: Zn needs zn.cert, zn.key and zn.client_ca "
			"(or --zn-allow-plain-http)\n");
		return -EINVAL;
	}
	if (!cfg->kek_hex[0] && !cfg->kek_file[0]) {
		if (strncmp(cfg->store, "sqlite:", 7) || !strcmp(cfg->store, "sqlite::memory:")) {
			fprintf(stderr, "gba-bsf: no key-encryption key (kek or kek_file)\n");
			return -EINVAL;
		}
		if (snprintf(cfg->kek_file, sizeof(cfg->kek_file), "%s.kek", cfg->store + 7) >=
		    (int)sizeof(cfg->kek_file))
			return -EINVAL;
	}
	if (gba_log_parse_spec(cfg->log)) {
		fprintf(stderr, "gba-bsf: bad log spec '%s'\n", cfg->log);
		return -EINVAL;
	}
	return 0;
}

int bsf_config_load(struct bsf_config *cfg, int argc, char **argv)
{
	int o, rc;

	defaults(cfg);
	/* pass 1: --config, --help, --version */
	opterr = 1;
	optind = 1;
	while ((o = getopt_long(argc, argv, "c:hV", opts, NULL)) != -1) {
		if (o == 'h') {
			usage();
			return 1;
		}
		if (o == 'V') {
			printf("gba-bsf (%s) %s\n", PACKAGE_NAME, PACKAGE_VERSION);
			return 1;
		}
		if (o == '?')
			return -EINVAL;
		if (o == 'c' && set_str(cfg->config_file, sizeof(cfg->config_file), optarg,
					"--config"))
			return -EINVAL;
	}
	if (optind < argc) {
		fprintf(stderr, "gba-bsf: unexpected argument '%s'\n", argv[optind]);
		return -EINVAL;
	}
	if (cfg->config_file[0] && (rc = load_file(cfg)))
		return rc;
	/* pass 2: flags override the file */
	optind = 1;
	while ((o = getopt_long(argc, argv, "c:hV", opts, NULL)) != -1)
		if (o != 'c' && (rc = apply_opt(cfg, o, optarg)))
			return rc;
	return check(cfg);
}

const struct bsf_naf_acl *bsf_config_naf(const struct bsf_config *cfg, const char *id)
{
	for (size_t i = 0; i < cfg->n_nafs; i++)
		if (cfg->nafs[i].id && !strcasecmp(cfg->nafs[i].id, id))
			return &cfg->nafs[i];
	return NULL;
}

const struct bsf_naf_acl *bsf_config_naf_dia(const struct bsf_config *cfg, const char *host)
{
	for (size_t i = 0; i < cfg->n_nafs; i++)
		if (cfg->nafs[i].dia_host && !strcasecmp(cfg->nafs[i].dia_host, host))
			return &cfg->nafs[i];
	return NULL;
}

bool bsf_naf_acl_allows(const struct bsf_naf_acl *acl, const char *fqdn)
{
	if (!acl)
		return false;
	for (size_t i = 0; i < acl->n_fqdns; i++)
		if (!strcmp(acl->fqdns[i], "*") || !strcasecmp(acl->fqdns[i], fqdn))
			return true;
	return false;
}

void bsf_config_free(struct bsf_config *cfg)
{
	for (size_t i = 0; i < cfg->n_nafs; i++)
		acl_free(&cfg->nafs[i]);
	free(cfg->nafs);
	cfg->nafs = NULL;
	cfg->n_nafs = 0;
	gba_zeroize(cfg->kek_hex, sizeof(cfg->kek_hex));
}
