/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Subscriber/card profiles: the libconfig reader behind gba_profiles_load() and
 * gba_profiles_parse(). A file holds `cards = ( { ... }, ... );`; every field is
 * type- and range-checked, unknown field names are refused, OP is turned into OPc,
 * the IMPI is derived from the IMSI when absent, and duplicate IMSIs/ICCIDs within
 * one load are refused. Errors read "FILE:LINE: reason" (doc/profiles.md has the format).
 *
 * Secrets: our copies (the text buffer read from disk, the profile array, the OP) are
 * wiped with gba_zeroize(); before config_destroy() every string value libconfig holds is
 * wiped in place too. What libconfig keeps out of our reach: config_read_string() copies
 * the text into a flex scan buffer and collects each string literal in a growing scanner
 * buffer; both are free()d without wiping. @include is refused (libconfig 1.5 has no
 * include hook), so no other file is ever read.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libconfig.h>

#include <gba/aka.h>
#include <gba/identity.h>
#include <gba/keys.h>
#include <gba/log.h>
#include <gba/profile.h>

#define SQN_MAX		0xffffffffffffULL
#define IND_BITLEN_MAX	10
#define FILE_MAX	(512u << 20)	/* a 100,000-card file is ~45 MB */
#define DEFAULT_IND_BITLEN 5		/* osmo-hlr's VTY default */

/* One load: the growing array, plus where each profile came from (for duplicate errors). */
struct load {
	struct gba_profile *p;
	int *line;
	const char **file;
	size_t n, cap;
	char *err;
	size_t errlen;
	const char *name;	/* file being parsed */
};

static int fail(struct load *l, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fail(struct load *l, int line, const char *fmt, ...)
{
	char why[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	if (l->err && l->errlen)
		snprintf(l->err, l->errlen, "%s:%d: %s", l->name, line, why);
	return -EINVAL;
}

static int sline(const config_setting_t *s)
{
	return s ? config_setting_source_line(s) : 0;
}

static bool all_digits(const char *s, size_t min, size_t max)
{
	size_t n = strlen(s);

	return n >= min && n <= max && strspn(s, "0123456789") == n;
}

/* A string field: NULL when absent, -EINVAL via *rc when of another type. */
static const char *get_str(struct load *l, const config_setting_t *g, const char *key, int *rc)
{
	config_setting_t *s = config_setting_get_member(g, key);

	if (!s)
		return NULL;
	if (config_setting_type(s) != CONFIG_TYPE_STRING) {
		*rc = fail(l, sline(s), "'%s' must be a string", key);
		return NULL;
	}
	return config_setting_get_string(s);
}

/* Copy a string field into 'dst' (size 'dstlen'); absent leaves dst unchanged. */
static int copy_str(struct load *l, const config_setting_t *g, const char *key, char *dst,
		    size_t dstlen)
{
	int rc = 0;
	const char *v = get_str(l, g, key, &rc);

	if (rc || !v)
		return rc;
	if (strlen(v) >= dstlen)
		return fail(l, sline(config_setting_get_member(g, key)),
			    "'%s' is too long (at most %zu characters)", key, dstlen - 1);
	memcpy(dst, v, strlen(v) + 1);
	return 0;
}

static int get_bool(struct load *l, const config_setting_t *g, const char *key, bool *out)
{
	config_setting_t *s = config_setting_get_member(g, key);

	if (!s)
		return 0;
	if (config_setting_type(s) != CONFIG_TYPE_BOOL)
		return fail(l, sline(s), "'%s' must be true or false", key);
	*out = config_setting_get_bool(s);
	return 0;
}

/* An integer field in [min, max]. */
static int get_int(struct load *l, const config_setting_t *g, const char *key, int64_t min,
		   int64_t max, uint64_t *out)
{
	config_setting_t *s = config_setting_get_member(g, key);
	int64_t v;

	if (!s)
		return 0;
	if (config_setting_type(s) == CONFIG_TYPE_INT)
		v = config_setting_get_int(s);
	else if (config_setting_type(s) == CONFIG_TYPE_INT64)
		v = config_setting_get_int64(s);
	else
		return fail(l, sline(s), "'%s' must be an integer", key);
	if (v < min || v > max)
		return fail(l, sline(s), "'%s' must be %" PRId64 "..%" PRId64, key, min, max);
	*out = (uint64_t)v;
	return 0;
}

/* A hex field of exactly 'len' bytes. */
static int get_hex(struct load *l, const config_setting_t *g, const char *key, uint8_t *out,
		   size_t len, bool *present)
{
	int rc = 0;
	const char *v = get_str(l, g, key, &rc);

	if (present)
		*present = v != NULL;
	if (rc || !v)
		return rc;
	if (gba_hex_decode(out, len, v) < 0)
		return fail(l, sline(config_setting_get_member(g, key)),
			    "'%s' must be %zu hex digits", key, 2 * len);
	return 0;
}

/* Refuse members of 'g' whose names are not in the NULL-terminated 'known' list. */
static int check_names(struct load *l, const config_setting_t *g, const char *const *known,
		       const char *where)
{
	int i, n = config_setting_length(g);

	for (i = 0; i < n; i++) {
		config_setting_t *s = config_setting_get_elem(g, i);
		const char *nm = config_setting_name(s);
		const char *const *k;

		for (k = known; *k; k++)
			if (nm && !strcmp(nm, *k))
				break;
		if (!*k)
			return fail(l, sline(s), "unknown field '%s' in %s", nm ? nm : "?", where);
	}
	return 0;
}

static const char *const card_fields[] = {
	"name", "iccid", "imsi", "mnc_length", "msisdn", "algorithm", "k", "opc", "op", "amf",
	"sqn", "ind_bitlen", "sqn_delta", "sqn_age_limit", "isim", "gba_u", "gba", "gsm_access",
	"key_lifetime", "pin1", "puk1", "adm1", NULL
};
static const char *const isim_fields[] = { "impi", "domain", "impu", NULL };
static const char *const pin_fields[] = { "code", "enabled", NULL };

static int parse_keys(struct load *l, const config_setting_t *g, struct gba_profile *p)
{
	uint8_t op[16];
	bool has_k, has_op, has_opc;
	const char *alg;
	int rc = 0, a;

	alg = get_str(l, g, "algorithm", &rc);
	if (rc)
		return rc;
	a = alg ? gba_aka_alg_parse(alg) : GBA_AKA_MILENAGE;
	if (a < 0)
		return fail(l, sline(config_setting_get_member(g, "algorithm")),
			    "unknown algorithm '%s' (milenage or xor)", alg);
	p->cred.alg = a;
	rc = get_hex(l, g, "k", p->cred.k, GBA_K_LEN, &has_k);
	if (!rc)
		rc = get_hex(l, g, "opc", p->cred.opc, GBA_OPC_LEN, &has_opc);
	if (!rc)
		rc = get_hex(l, g, "op", op, sizeof(op), &has_op);
	if (rc)
		goto out;
	if (!has_k)
		rc = fail(l, sline(g), "missing 'k'");
	else if (has_op && has_opc)
		rc = fail(l, sline(config_setting_get_member(g, "op")), "give 'op' or 'opc', not both");
	else if (a == GBA_AKA_XOR && (has_op || has_opc))
		rc = fail(l, sline(config_setting_get_member(g, has_op ? "op" : "opc")),
			  "the xor algorithm takes no OP/OPc");
	else if (a == GBA_AKA_MILENAGE && !has_op && !has_opc)
		rc = fail(l, sline(g), "milenage needs 'opc' or 'op'");
	else if (has_op && gba_milenage_opc(p->cred.opc, p->cred.k, op) < 0)
		rc = fail(l, sline(config_setting_get_member(g, "op")), "cannot compute OPc from OP");
out:
	gba_zeroize(op, sizeof(op));
	return rc;
}

static int parse_sqn(struct load *l, const config_setting_t *g, struct gba_profile *p)
{
	config_setting_t *s = config_setting_get_member(g, "sqn");
	uint8_t b[GBA_SQN_LEN];
	int i;

	if (!s || config_setting_type(s) != CONFIG_TYPE_STRING)
		return get_int(l, g, "sqn", 0, (int64_t)SQN_MAX, &p->sqn);
	if (gba_hex_decode(b, sizeof(b), config_setting_get_string(s)) < 0)
		return fail(l, sline(s), "'sqn' must be 12 hex digits or an integer");
	p->sqn = 0;
	for (i = 0; i < GBA_SQN_LEN; i++)
		p->sqn = p->sqn << 8 | b[i];
	return 0;
}

static int parse_isim(struct load *l, const config_setting_t *g, struct gba_profile *p)
{
	config_setting_t *is = config_setting_get_member(g, "isim"), *lst;
	int rc, i, n;

	if (!is)
		return 0;
	if (config_setting_type(is) != CONFIG_TYPE_GROUP)
		return fail(l, sline(is), "'isim' must be a group { impi, domain, impu }");
	p->isim = true;
	rc = check_names(l, is, isim_fields, "isim");
	if (!rc)
		rc = copy_str(l, is, "impi", p->impi, sizeof(p->impi));
	if (!rc)
		rc = copy_str(l, is, "domain", p->domain, sizeof(p->domain));
	if (rc)
		return rc;
	if (config_setting_get_member(is, "impi") && (!strchr(p->impi, '@') || p->impi[0] == '@'))
		return fail(l, sline(config_setting_get_member(is, "impi")),
			    "'impi' must be user@realm");
	lst = config_setting_get_member(is, "impu");
	if (!lst)
		return 0;
	if (config_setting_type(lst) != CONFIG_TYPE_ARRAY && config_setting_type(lst) != CONFIG_TYPE_LIST)
		return fail(l, sline(lst), "'impu' must be a list of strings [ \"sip:...\", ... ]");
	n = config_setting_length(lst);
	if (n > GBA_PROFILE_IMPU_MAX)
		return fail(l, sline(lst), "at most %d IMPUs", GBA_PROFILE_IMPU_MAX);
	for (i = 0; i < n; i++) {
		config_setting_t *e = config_setting_get_elem(lst, i);
		const char *v = config_setting_get_string(e);

		if (!v)
			return fail(l, sline(lst), "IMPU %d is not a string", i + 1);
		if (!*v || strlen(v) >= sizeof(p->impu[0]))
			return fail(l, sline(lst), "IMPU %d must be 1..%zu characters", i + 1,
				    sizeof(p->impu[0]) - 1);
		if (strncmp(v, "sip:", 4) && strncmp(v, "tel:", 4))
			return fail(l, sline(lst), "IMPU %d must be a sip: or tel: URI", i + 1);
		strcpy(p->impu[i], v);
	}
	p->n_impu = n;
	return 0;
}

static int parse_pins(struct load *l, const config_setting_t *g, struct gba_profile *p)
{
	config_setting_t *pin = config_setting_get_member(g, "pin1"), *s;
	int rc;

	if (pin) {
		if (config_setting_type(pin) != CONFIG_TYPE_GROUP)
			return fail(l, sline(pin), "'pin1' must be a group { code, enabled }");
		rc = check_names(l, pin, pin_fields, "pin1");
		if (!rc)
			rc = copy_str(l, pin, "code", p->pin1, sizeof(p->pin1));
		if (rc)
			return rc;
		if (!config_setting_get_member(pin, "code"))
			return fail(l, sline(pin), "'pin1' needs a 'code'");
		if (!all_digits(p->pin1, 4, 8))
			return fail(l, sline(config_setting_get_member(pin, "code")),
				    "PIN1 must be 4 to 8 digits");
		p->pin1_enabled = true;
		rc = get_bool(l, pin, "enabled", &p->pin1_enabled);
		if (rc)
			return rc;
	}
	rc = copy_str(l, g, "puk1", p->puk1, sizeof(p->puk1));
	if (rc)
		return rc;
	s = config_setting_get_member(g, "puk1");
	if (s && !all_digits(p->puk1, 8, 8))
		return fail(l, sline(s), "PUK1 must be 8 digits");
	rc = copy_str(l, g, "adm1", p->adm1, sizeof(p->adm1));
	if (rc)
		return rc;
	s = config_setting_get_member(g, "adm1");
	if (s && !all_digits(p->adm1, 4, 8) &&
	    !(strlen(p->adm1) == 16 && strspn(p->adm1, "0123456789abcdefABCDEF") == 16))
		return fail(l, sline(s), "ADM1 must be 16 hex digits or 4 to 8 digits");
	return 0;
}

static int parse_card(struct load *l, const config_setting_t *g, struct gba_profile *p)
{
	config_setting_t *s;
	uint64_t v;
	int rc;

	memset(p, 0, sizeof(*p));
	p->mnc_len = 2;
	p->ind_bitlen = DEFAULT_IND_BITLEN;
	p->gba = true;
	p->gsm_access = true;

	if (config_setting_type(g) != CONFIG_TYPE_GROUP)
		return fail(l, sline(g), "each card must be a group { ... }");
	rc = check_names(l, g, card_fields, "a card");
	if (!rc)
		rc = copy_str(l, g, "name", p->name, sizeof(p->name));
	if (!rc)
		rc = copy_str(l, g, "iccid", p->iccid, sizeof(p->iccid));
	if (!rc)
		rc = copy_str(l, g, "imsi", p->imsi, sizeof(p->imsi));
	if (!rc)
		rc = copy_str(l, g, "msisdn", p->msisdn, sizeof(p->msisdn));
	if (rc)
		return rc;

	s = config_setting_get_member(g, "iccid");
	if (!s)
		return fail(l, sline(g), "missing 'iccid'");
	if (!all_digits(p->iccid, 19, 20))
		return fail(l, sline(s), "ICCID must be 19 or 20 digits");
	s = config_setting_get_member(g, "imsi");
	if (!s)
		return fail(l, sline(g), "missing 'imsi'");
	if (gba_imsi_valid(p->imsi) < 0)
		return fail(l, sline(s), "IMSI must be 6 to 15 digits");
	s = config_setting_get_member(g, "msisdn");
	if (s && !all_digits(p->msisdn, 1, 15))
		return fail(l, sline(s), "MSISDN must be 1 to 15 digits");
	if (!p->name[0])
		snprintf(p->name, sizeof(p->name), "%s", p->imsi);

	v = p->mnc_len;
	rc = get_int(l, g, "mnc_length", 2, 3, &v);
	if (rc)
		return rc;
	p->mnc_len = v;
	if (strlen(p->imsi) < 3 + p->mnc_len + 1)
		return fail(l, sline(config_setting_get_member(g, "imsi")),
			    "IMSI too short for MCC + MNC + MSIN");

	rc = parse_keys(l, g, p);
	if (!rc) {
		memset(p->amf, 0, sizeof(p->amf));
		rc = get_hex(l, g, "amf", p->amf, GBA_AMF_LEN, NULL);
	}
	if (!rc)
		rc = parse_sqn(l, g, p);
	v = p->ind_bitlen;
	if (!rc)
		rc = get_int(l, g, "ind_bitlen", 0, IND_BITLEN_MAX, &v);
	p->ind_bitlen = v;
	if (!rc)
		rc = get_int(l, g, "sqn_delta", 0, (int64_t)SQN_MAX, &p->sqn_delta);
	if (!rc)
		rc = get_int(l, g, "sqn_age_limit", 0, (int64_t)SQN_MAX, &p->sqn_age_limit);
	v = 0;
	if (!rc)
		rc = get_int(l, g, "key_lifetime", 0, INT32_MAX, &v);
	p->key_lifetime = v;
	if (!rc)
		rc = get_bool(l, g, "gba_u", &p->gba_u);
	if (!rc)
		rc = get_bool(l, g, "gba", &p->gba);
	if (!rc)
		rc = get_bool(l, g, "gsm_access", &p->gsm_access);
	if (!rc && p->gba_u && !p->gba)
		rc = fail(l, sline(config_setting_get_member(g, "gba_u")),
			  "'gba_u = true' contradicts 'gba = false'");
	if (!rc)
		rc = parse_isim(l, g, p);
	if (!rc)
		rc = parse_pins(l, g, p);
	if (rc)
		return rc;

	/* TS 33.220 / TS 23.003 13.3: a card without ISIM (or an ISIM without EF_IMPI) uses
	 * the IMPI derived from the IMSI. */
	if (!p->impi[0] && gba_impi_from_imsi(p->impi, sizeof(p->impi), p->imsi, p->mnc_len) < 0)
		return fail(l, sline(g), "cannot derive the IMPI from IMSI %s", p->imsi);
	if (p->isim && !p->domain[0]) {
		const char *at = strchr(p->impi, '@');

		snprintf(p->domain, sizeof(p->domain), "%s", at ? at + 1 : "");
	}
	if (p->isim && !p->n_impu) {
		/* TS 23.003 13.4B temporary public user identity: "sip:" IMPI */
		if (strlen(p->impi) + 4 >= sizeof(p->impu[0]))
			return fail(l, sline(g), "IMPI too long to derive an IMPU");
		memcpy(p->impu[0], "sip:", 4);
		memcpy(p->impu[0] + 4, p->impi, strlen(p->impi) + 1);
		p->n_impu = 1;
	}
	return 0;
}

/* Wipe every string value libconfig holds (K, OPc, OP, PINs...) before config_destroy(). */
static void wipe_strings(config_setting_t *s)
{
	int i, n;

	switch (config_setting_type(s)) {
	case CONFIG_TYPE_STRING: {
		char *v = (char *)config_setting_get_string(s);

		if (v)
			gba_zeroize(v, strlen(v));
		break;
	}
	case CONFIG_TYPE_GROUP:
	case CONFIG_TYPE_ARRAY:
	case CONFIG_TYPE_LIST:
		n = config_setting_length(s);
		for (i = 0; i < n; i++)
			wipe_strings(config_setting_get_elem(s, i));
		break;
	default:
		break;
	}
}

/* libconfig 1.5 would open any file named by "@include": refuse the directive. */
static int check_no_include(struct load *l, const char *text)
{
	const char *p = text;
	int line = 1;

	while (*p) {
		p += strspn(p, " \t");
		if (!strncmp(p, "@include", 8))
			return fail(l, line, "@include is not allowed in profiles");
		p = strchr(p, '\n');
		if (!p)
			break;
		p++;
		line++;
	}
	return 0;
}

/* Room for 'more' profiles: one allocation per file, as a 100,000-card array is ~180 MB. */
static int reserve(struct load *l, size_t more)
{
	size_t cap;
	struct gba_profile *np;
	int *nl;
	const char **nf;

	if (l->cap - l->n >= more)
		return 0;
	cap = l->n + more;
	/* never realloc() the profile array: the old block would keep keys unwiped */
	np = calloc(cap, sizeof(*np));
	nl = realloc(l->line, cap * sizeof(*nl));
	if (nl)
		l->line = nl;
	nf = realloc(l->file, cap * sizeof(*nf));
	if (nf)
		l->file = nf;
	if (!np || !nl || !nf) {
		free(np);
		return -ENOMEM;
	}
	if (l->n) {
		memcpy(np, l->p, l->n * sizeof(*np));
		gba_zeroize(l->p, l->n * sizeof(*np));
	}
	free(l->p);
	l->p = np;
	l->cap = cap;
	return 0;
}

/* Parse one text into l->p; 'fname' must outlive the load (used by duplicate errors). */
static int parse_text(struct load *l, const char *text, const char *fname)
{
	config_t cfg;
	config_setting_t *root, *cards;
	int rc, i, n;

	l->name = fname;
	rc = check_no_include(l, text);
	if (rc)
		return rc;
	config_init(&cfg);
	if (config_read_string(&cfg, text) != CONFIG_TRUE) {
		rc = fail(l, config_error_line(&cfg), "syntax error: %s", config_error_text(&cfg));
		goto out;
	}
	root = config_root_setting(&cfg);
	for (i = 0; i < config_setting_length(root); i++) {
		config_setting_t *s = config_setting_get_elem(root, i);

		if (strcmp(config_setting_name(s), "cards")) {
			rc = fail(l, sline(s), "unknown top-level setting '%s' (expected 'cards')",
				  config_setting_name(s));
			goto out;
		}
	}
	cards = config_setting_get_member(root, "cards");
	if (!cards) {
		rc = fail(l, 1, "no 'cards = ( { ... } );' list");
		goto out;
	}
	if (config_setting_type(cards) != CONFIG_TYPE_LIST) {
		rc = fail(l, sline(cards), "'cards' must be a list ( { ... }, { ... } )");
		goto out;
	}
	n = config_setting_length(cards);
	rc = reserve(l, n);
	if (rc)
		goto out;
	for (i = 0; i < n; i++) {
		config_setting_t *g = config_setting_get_elem(cards, i);

		rc = parse_card(l, g, &l->p[l->n]);
		if (rc) {
			gba_zeroize(&l->p[l->n], sizeof(l->p[0]));
			goto out;
		}
		l->line[l->n] = sline(g);
		l->file[l->n] = fname;
		l->n++;
	}
	rc = 0;
out:
	wipe_strings(config_root_setting(&cfg));
	config_destroy(&cfg);
	return rc;
}

static const struct gba_profile *sort_base;

static int cmp_imsi(const void *a, const void *b)
{
	return strcmp(sort_base[*(const size_t *)a].imsi, sort_base[*(const size_t *)b].imsi);
}

static int cmp_iccid(const void *a, const void *b)
{
	return strcmp(sort_base[*(const size_t *)a].iccid, sort_base[*(const size_t *)b].iccid);
}

/* Refuse a second card with the same IMSI or ICCID; the error names the later one. */
static int check_dups(struct load *l)
{
	size_t *idx, i, pass;
	int rc = 0;

	if (l->n < 2)
		return 0;
	idx = malloc(l->n * sizeof(*idx));
	if (!idx)
		return -ENOMEM;
	sort_base = l->p;
	for (pass = 0; pass < 2 && !rc; pass++) {
		for (i = 0; i < l->n; i++)
			idx[i] = i;
		qsort(idx, l->n, sizeof(*idx), pass ? cmp_iccid : cmp_imsi);
		for (i = 1; i < l->n; i++) {
			size_t a = idx[i - 1], b = idx[i];
			const struct gba_profile *pa = &l->p[a], *pb = &l->p[b];

			if (strcmp(pass ? pa->iccid : pa->imsi, pass ? pb->iccid : pb->imsi))
				continue;
			if (a > b) {
				size_t t = a;

				a = b;
				b = t;
			}
			l->name = l->file[b];
			rc = fail(l, l->line[b], "duplicate %s %s (first at %s:%d)",
				  pass ? "ICCID" : "IMSI", pass ? l->p[b].iccid : l->p[b].imsi,
				  l->file[a], l->line[a]);
			break;
		}
	}
	free(idx);
	return rc;
}

static int finish(struct load *l, int rc, struct gba_profile **out, size_t *n)
{
	if (!rc)
		rc = check_dups(l);
	free(l->line);
	free(l->file);
	if (rc) {
		gba_profiles_free(l->p, l->cap);
		*out = NULL;
		*n = 0;
		return rc;
	}
	*out = l->p;
	*n = l->n;
	return 0;
}

int gba_profiles_parse(const char *text, const char *name, struct gba_profile **out, size_t *n,
		       char *err, size_t errlen)
{
	struct load l = { .err = err, .errlen = errlen };

	if (!name)
		name = "(string)";
	if (err && errlen)
		err[0] = '\0';
	if (!text || !out || !n) {
		l.name = name;
		return fail(&l, 0, "no text");
	}
	return finish(&l, parse_text(&l, text, name), out, n);
}

/* Read a whole file into a NUL-terminated buffer (wiped by the caller). */
static int read_file(struct load *l, const char *path, char **buf)
{
	struct stat st;
	size_t got = 0;
	ssize_t r;
	char *b;
	int fd;

	l->name = path;
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);	/* a FIFO must not block us */
	if (fd < 0) {
		int e = errno;

		if (l->err && l->errlen)
			snprintf(l->err, l->errlen, "%s: %s", path, strerror(e));
		return e == ENOENT ? -ENOENT : -EIO;
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || (uint64_t)st.st_size > FILE_MAX) {
		close(fd);
		if (l->err && l->errlen)
			snprintf(l->err, l->errlen, "%s: not a regular file of at most %u bytes", path,
				 FILE_MAX);
		return -EINVAL;
	}
	if (st.st_mode & 077)
		GLOGP(GBA_LC_MAIN, GBA_LL_INFO, "%s holds keys but is readable by others "
		      "(chmod 600)", path);
	b = malloc((size_t)st.st_size + 1);
	if (!b) {
		close(fd);
		return -ENOMEM;
	}
	while (got < (size_t)st.st_size) {
		r = read(fd, b + got, (size_t)st.st_size - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		got += r;
	}
	close(fd);
	b[got] = '\0';
	if (strlen(b) != got) {
		gba_zeroize(b, got);
		free(b);
		return fail(l, 0, "file contains a NUL byte");
	}
	*buf = b;
	return 0;
}

static int load_file(struct load *l, const char *path)
{
	char *text = NULL;
	size_t len;
	int rc;

	rc = read_file(l, path, &text);
	if (rc)
		return rc;
	len = strlen(text);
	rc = parse_text(l, text, path);
	gba_zeroize(text, len);
	free(text);
	return rc;
}

static int conf_filter(const struct dirent *d)
{
	size_t n = strlen(d->d_name);

	return d->d_name[0] != '.' && n > 5 && !strcmp(d->d_name + n - 5, ".conf");
}

int gba_profiles_load(const char *path, struct gba_profile **out, size_t *n, char *err,
		      size_t errlen)
{
	struct load l = { .err = err, .errlen = errlen };
	struct dirent **ents = NULL;
	char **names = NULL;
	struct stat st;
	int rc = 0, i, ne;

	if (err && errlen)
		err[0] = '\0';
	if (!path || !out || !n)
		return -EINVAL;
	if (stat(path, &st) < 0) {
		if (err && errlen)
			snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return errno == ENOENT ? -ENOENT : -EIO;
	}
	if (!S_ISDIR(st.st_mode))
		return finish(&l, load_file(&l, path), out, n);

	ne = scandir(path, &ents, conf_filter, alphasort);
	if (ne < 0) {
		if (err && errlen)
			snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -EIO;
	}
	names = calloc(ne ? ne : 1, sizeof(*names));
	if (!names)
		rc = -ENOMEM;
	for (i = 0; i < ne && !rc; i++) {
		if (asprintf(&names[i], "%s/%s", path, ents[i]->d_name) < 0) {
			names[i] = NULL;
			rc = -ENOMEM;
			break;
		}
		rc = load_file(&l, names[i]);
	}
	if (!rc && !l.n) {
		l.name = path;
		rc = fail(&l, 0, "no card in any *.conf file");
	}
	rc = finish(&l, rc, out, n);	/* the duplicate errors still need 'names' */
	for (i = 0; i < ne; i++) {
		if (names)
			free(names[i]);
		free(ents[i]);
	}
	free(names);
	free(ents);
	return rc;
}

void gba_profiles_free(struct gba_profile *p, size_t n)
{
	if (!p)
		return;
	gba_zeroize(p, n * sizeof(*p));
	free(p);
}
