/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * gba-bsf configuration: the libconfig file (gba-bsf.conf(5)) overlaid by the command-line
 * flags (gba-bsf(8)). Named bsfcfg.h because "config.h" is autoconf's.
 */
#ifndef BSF_BSFCFG_H
#define BSF_BSFCFG_H

#include <stdbool.h>
#include <stddef.h>

#include "ratelimit.h"

#define BSF_PATH_MAX	1024
#define BSF_ADDR_MAX	128
#define BSF_PLAIN_NAF	"plain"	/* NAF identity of every client on plain-HTTP Zn */

/*
 * One NAF allowed on Zn: its TLS identity (certificate CN or SAN dNSName) and/or its Diameter
 * identity (the Origin-Host of its BIRs, zn_dia.c), and its FQDNs. Either id may be NULL.
 */
struct bsf_naf_acl {
	char *id;
	char **fqdns;
	size_t n_fqdns;
	char *dia_host;
};

struct bsf_config {
	char config_file[BSF_PATH_MAX];
	char ub_listen[BSF_ADDR_MAX];
	char zn_listen[BSF_ADDR_MAX];
	char admin_listen[BSF_ADDR_MAX];	/* empty: no admin listener */
	char fqdn[256];
	char realm[256];			/* default: fqdn */
	char subscribers[BSF_PATH_MAX];
	char zh[BSF_PATH_MAX + 32];	/* "auc", "gsup:HOST[:PORT]", "diameter:FDCONF..." */
	char gsup_name[64];			/* IPA unit name towards osmo-hlr */
	char store[BSF_PATH_MAX];
	char kek_hex[2 * 32 + 1];
	char kek_file[BSF_PATH_MAX];		/* default: store path + ".kek" */
	char log[256];
	unsigned int key_lifetime;
	unsigned int challenge_lifetime;
	unsigned int max_auth_failures;
	unsigned int sqn_reserve;
	unsigned int threads;
	unsigned int max_connections;
	unsigned int connection_timeout;
	unsigned int purge_interval;
	unsigned int retry_after;
	unsigned int per_ip_connections;	/* per listener; 0: no limit */
	struct bsf_rl_params rl_impi, rl_addr;	/* Ub limiter; failures 0: off */
	bool zn_allow_plain_http;
	char zn_cert[BSF_PATH_MAX];
	char zn_key[BSF_PATH_MAX];
	char zn_client_ca[BSF_PATH_MAX];
	char zn_diameter[BSF_PATH_MAX];		/* freeDiameter conf of Zn over Diameter, or empty */
	struct bsf_naf_acl *nafs;
	size_t n_nafs;
	bool debug_keys;
	bool syslog;
	bool foreground;
};

/*
 * Fill 'cfg' from defaults, the file named by --config (if any) and the flags in argv.
 * Returns 0; 1 when --help or --version was handled (exit 0); -EINVAL for a bad flag, file or
 * value (the reason was printed to stderr).
 */
int bsf_config_load(struct bsf_config *cfg, int argc, char **argv);

/* The ACL entry for NAF identity 'id', or NULL. */
const struct bsf_naf_acl *bsf_config_naf(const struct bsf_config *cfg, const char *id);

/* The ACL entry for the NAF of Diameter identity 'host' (diameter_host), or NULL. */
const struct bsf_naf_acl *bsf_config_naf_dia(const struct bsf_config *cfg, const char *host);

/* True when 'acl' lists 'fqdn' (ASCII case-insensitive; "*" allows every FQDN). */
bool bsf_naf_acl_allows(const struct bsf_naf_acl *acl, const char *fqdn);

void bsf_config_free(struct bsf_config *cfg);

#endif /* BSF_BSFCFG_H */
