/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * libFuzzer target for gba-bsf's configuration file parser (bsf/config.c): the input is
 * written to a private temporary file and loaded with bsf_config_load(--config FILE). An
 * accepted configuration must hold what check() promises (an FQDN of allowed characters,
 * a realm, a valid Zh setting, Zn TLS files or plain HTTP, a KEK source, numbers in their
 * ranges, every NAF with an id or a diameter_host); a refused one returns -EINVAL.
 * bsf_config_free() runs on every path, so a half-built NAF list must free cleanly too.
 * The parser reports each refusal on stderr: run with -close_fd_mask=2 for a quiet fuzzer
 * (tests/fuzz/long.sh does).
 */
#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bsfcfg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

static char path[64];

/* libconfig 1.5 leaks on some syntax errors (see fuzz_profile.c): not ours to fix. */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
	return "leak:strbuf_append\nleak:libconfig_yylex\n";
}

static void cleanup(void)
{
	unlink(path);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	int fd;

	snprintf(path, sizeof(path), "/tmp/fuzz_bsf_config.XXXXXX");
	fd = mkstemp(path);
	if (fd < 0)
		abort();
	close(fd);
	atexit(cleanup);
	return 0;
}

static void check(const struct bsf_config *c)
{
	if (!c->fqdn[0] || strspn(c->fqdn, "abcdefghijklmnopqrstuvwxyz"
			     "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-") != strlen(c->fqdn))
		abort();
	if (!c->realm[0] || (strcmp(c->zh, "auc") && strncmp(c->zh, "gsup:", 5)))
		abort();
	if (!c->zn_allow_plain_http && (!c->zn_cert[0] || !c->zn_key[0] || !c->zn_client_ca[0]))
		abort();
	if (!c->kek_hex[0] && !c->kek_file[0])
		abort();
	if (c->threads < 1 || c->threads > 256 || c->key_lifetime < 1 ||
	    c->challenge_lifetime < 1 || c->challenge_lifetime > 3600)
		abort();
	for (size_t i = 0; i < c->n_nafs; i++) {
		if (!c->nafs[i].id && !c->nafs[i].dia_host)
			abort();
		for (size_t j = 0; j < c->nafs[i].n_fqdns; j++)
			if (!c->nafs[i].fqdns[j])
				abort();
		if (c->nafs[i].id && bsf_config_naf(c, c->nafs[i].id) == NULL)
			abort();
		if (c->nafs[i].dia_host && bsf_config_naf_dia(c, c->nafs[i].dia_host) == NULL)
			abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct bsf_config cfg;
	char *argv[] = { "gba-bsf", "--config", path, NULL };
	FILE *f;
	int rc;

	if (size > 1 << 16)
		return 0;
	f = fopen(path, "w");
	if (!f)
		abort();
	if (size && fwrite(data, 1, size, f) != size)
		abort();
	fclose(f);
	rc = bsf_config_load(&cfg, 3, argv);
	if (rc == 0)
		check(&cfg);
	else if (rc != -EINVAL && rc != -ENOMEM)
		abort();
	bsf_config_free(&cfg);
	return 0;
}
