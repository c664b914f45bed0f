/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * libFuzzer target for core/profile.c: the input (as a C string) goes through
 * gba_profiles_parse(). An accepted profile must satisfy what the parser promises its
 * consumers (digits where digits are due, ranges, a derived IMPI); a refused one must come
 * with an empty result and a "NAME:LINE: reason" message.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <gba/profile.h>

static void check(const struct gba_profile *p)
{
	size_t i;

	if (strlen(p->imsi) < 6 || strspn(p->imsi, "0123456789") != strlen(p->imsi))
		abort();
	if (strlen(p->iccid) < 19 || strspn(p->iccid, "0123456789") != strlen(p->iccid))
		abort();
	if ((p->mnc_len != 2 && p->mnc_len != 3) || p->ind_bitlen > 10 || !p->impi[0])
		abort();
	if (p->sqn > 0xffffffffffffULL || (p->gba_u && !p->gba) || p->n_impu > GBA_PROFILE_IMPU_MAX)
		abort();
	if (p->isim && (!p->n_impu || !p->domain[0]))
		abort();
	for (i = 0; i < p->n_impu; i++)
		if (strncmp(p->impu[i], "sip:", 4) && strncmp(p->impu[i], "tel:", 4))
			abort();
}

/*
 * libconfig 1.5 leaks on some syntax errors: the scanner's string buffer when the text ends
 * inside a string literal (strbuf_append()), and token values the scanner allocated when
 * the parser gives up (libconfig_yylex()). Not ours to fix (config_destroy() is called on
 * every path): tell LeakSanitizer to ignore exactly those allocation sites.
 */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
	return "leak:strbuf_append\nleak:libconfig_yylex\n";
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct gba_profile *p = NULL;
	char err[512];
	char *text;
	size_t n = 0, i;
	int rc;

	if (size > 1 << 16)
		return 0;
	text = malloc(size + 1);
	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	rc = gba_profiles_parse(text, "f", &p, &n, err, sizeof(err));
	if (rc == 0) {
		for (i = 0; i < n; i++)
			check(&p[i]);
		gba_profiles_free(p, n);
	} else if (rc != -EINVAL || p || n || strncmp(err, "f:", 2)) {
		abort();
	}
	free(text);
	return 0;
}
