/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit tests for core/bsfxml.c: the exact 219-byte body of gba-spec-notes.md 3.5,
 * round trips, and malformed or hostile bodies (entity expansion, external
 * entities, DTDs, wrong namespace or root, duplicates, oversize, NUL bytes...).
 */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include <gba/bsfxml.h>

#define BTID1 "I1U8vpY3qJ0hiuZNrke/NQ==@bsf.mnc001.mcc001.pub.3gppnetwork.org"
#define BODY1 "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" \
	"<BootstrappingInfo xmlns=\"uri:3gpp-gba\">\n" \
	"<btid>" BTID1 "</btid>\n" \
	"<lifetime>2030-01-01T00:00:00Z</lifetime>\n" \
	"</BootstrappingInfo>\n"
#define HEAD "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
#define OPEN "<BootstrappingInfo xmlns=\"uri:3gpp-gba\">"
#define BT "<btid>" BTID1 "</btid>"
#define LT "<lifetime>2030-01-01T00:00:00Z</lifetime>"
#define CLOSE "</BootstrappingInfo>"

static int parse(const char *xml, size_t len)
{
	struct gba_bootinfo bi;
	char err[160] = "";
	int rc = gba_bootinfo_parse(&bi, xml, len, err, sizeof(err));

	if (rc < 0) {
		ck_assert_msg(err[0] != '\0', "no reason given");
		ck_assert_str_eq(bi.btid, "");	/* nothing half-filled */
	}
	return rc;
}

static int parse_str(const char *xml)
{
	return parse(xml, strlen(xml));
}

START_TEST(build_exact)
{
	struct gba_bootinfo bi = { .btid = BTID1, .lifetime = 1893456000 };
	unsigned char md[16];
	unsigned int mdlen;
	char hex[33];
	size_t len, i;
	char *out;

	ck_assert_int_eq(gba_bootinfo_build(&out, &len, &bi), 0);
	ck_assert_uint_eq(len, 219);
	ck_assert_uint_eq(strlen(out), 219);
	ck_assert_str_eq(out, BODY1);
	/* the MD5 the rspauth vector of notes 3.5 hashes */
	ck_assert(EVP_Digest(out, len, md, &mdlen, EVP_md5(), NULL));
	for (i = 0; i < 16; i++)
		snprintf(hex + 2 * i, 3, "%02x", md[i]);
	ck_assert_str_eq(hex, "e6b7d2f53d4532482464824c08b9cf90");
	free(out);
}
END_TEST

START_TEST(build_negative)
{
	struct gba_bootinfo bi = { .btid = "not-a-btid", .lifetime = 1893456000 };
	char *out = (char *)1;
	size_t len;

	ck_assert_int_eq(gba_bootinfo_build(&out, &len, &bi), -EINVAL);
	ck_assert_ptr_null(out);
	strcpy(bi.btid, BTID1);
	bi.lifetime = -10;
	ck_assert_int_eq(gba_bootinfo_build(&out, &len, &bi), -EINVAL);
	ck_assert_int_eq(gba_bootinfo_build(&out, &len, NULL), -EINVAL);
}
END_TEST

START_TEST(parse_roundtrip)
{
	struct gba_bootinfo bi = { .btid = BTID1, .lifetime = 1700000000 }, back;
	size_t len;
	char *out;

	ck_assert_int_eq(gba_bootinfo_build(&out, &len, &bi), 0);
	ck_assert_int_eq(gba_bootinfo_parse(&back, out, len, NULL, 0), 0);
	ck_assert_str_eq(back.btid, BTID1);
	ck_assert_int_eq((long long)back.lifetime, 1700000000LL);
	free(out);
	ck_assert_int_eq(gba_bootinfo_parse(&back, BODY1, strlen(BODY1), NULL, 0), 0);
	ck_assert_int_eq((long long)back.lifetime, 1893456000LL);
}
END_TEST

START_TEST(parse_variants)
{
	struct gba_bootinfo bi;
	static const char ref[] = OPEN "<btid>I1U8vpY3qJ0hiuZNrke&#x2F;NQ&#61;&#x3D;@bsf.x.org"
				  "</btid>" LT CLOSE;

	/* no declaration, other order, prefix, offset, white space, Extension, foreign element,
	 * comments and PIs: all fine */
	ck_assert_int_eq(parse_str(OPEN LT BT CLOSE), 0);
	ck_assert_int_eq(parse_str("<g:BootstrappingInfo xmlns:g=\"uri:3gpp-gba\"><g:btid>" BTID1
				   "</g:btid><g:lifetime>2030-01-01T01:00:00+01:00</g:lifetime>"
				   "</g:BootstrappingInfo>"), 0);
	ck_assert_int_eq(parse_str(HEAD OPEN "\n  " BT "\n  <lifetime> 2030-01-01T00:00:00Z\n"
				   "</lifetime>\n  <Extension><currenttime>x</currenttime>"
				   "</Extension>"
				   "<x:y xmlns:x=\"urn:other\">z</x:y>" CLOSE), 0);
	ck_assert_int_eq(parse_str(HEAD "<!-- c -->" OPEN "<?pi x?>" BT "<!-- c -->" LT CLOSE), 0);
	ck_assert_int_eq(parse_str(OPEN "<btid><![CDATA[" BTID1 "]]></btid>" LT CLOSE), 0);
	ck_assert_int_eq(gba_bootinfo_parse(&bi, ref, strlen(ref), NULL, 0), 0);
	ck_assert_str_eq(bi.btid, "I1U8vpY3qJ0hiuZNrke/NQ==@bsf.x.org");
}
END_TEST

START_TEST(hostile)
{
	static const char *const bad[] = {
		/* billion laughs */
		"<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\">"
		"<!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">"
		"<!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">"
		"<!ENTITY lol4 \"&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;\">]>"
		OPEN "<btid>&lol4;</btid>" LT CLOSE,
		/* external entity */
		"<?xml version=\"1.0\"?><!DOCTYPE b [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>"
		OPEN "<btid>&xxe;</btid>" LT CLOSE,
		/* external DTD, no entities */
		"<!DOCTYPE BootstrappingInfo SYSTEM \"http://127.0.0.1:1/x.dtd\">" OPEN BT LT CLOSE,
		/* harmless internal DTD is still refused */
		"<!DOCTYPE BootstrappingInfo []>" OPEN BT LT CLOSE,
		/* parameter entity */
		"<!DOCTYPE b [<!ENTITY % p SYSTEM \"file:///etc/passwd\"> %p;]>" OPEN BT LT CLOSE,
		/* undeclared entity */
		OPEN "<btid>&foo;</btid>" LT CLOSE,
		/* wrong namespace, no namespace, wrong root */
		"<BootstrappingInfo xmlns=\"uri:3gpp-gba2\">" BT LT CLOSE,
		"<BootstrappingInfo>" BT LT CLOSE,
		"<BootstrapInfo xmlns=\"uri:3gpp-gba\">" BT LT "</BootstrapInfo>",
		/* children in no namespace */
		"<g:BootstrappingInfo xmlns:g=\"uri:3gpp-gba\">" BT LT "</g:BootstrappingInfo>",
		/* missing btid / lifetime, duplicates, unknown element */
		OPEN LT CLOSE,
		OPEN BT CLOSE,
		OPEN BT LT LT CLOSE,
		OPEN BT BT LT CLOSE,
		OPEN BT LT "<foo/>" CLOSE,
		OPEN BT LT "<Extension/><Extension/>" CLOSE,
		/* bad values */
		OPEN BT "<lifetime>2030-01-01T00:00:00</lifetime>" CLOSE,
		OPEN BT "<lifetime>2030-02-30T00:00:00Z</lifetime>" CLOSE,
		OPEN BT "<lifetime>tomorrow</lifetime>" CLOSE,
		OPEN "<btid></btid>" LT CLOSE,
		OPEN "<btid>abc@bsf</btid>" LT CLOSE,
		OPEN "<btid>I1U8vpY3qJ0hiuZNrke/NQ==@bsf<b/>x</btid>" LT CLOSE,
		OPEN "<btid>I1U8vpY3qJ0hiuZNrke/NQ== @bsf.x.org</btid>" LT CLOSE,
		/* text in the root */
		OPEN "junk" BT LT CLOSE,
		/* not well-formed */
		OPEN BT LT,
		OPEN BT LT "</bootstrappinginfo>",
		"<BootstrappingInfo xmlns=\"uri:3gpp-gba\" a=\"1\" a=\"2\">" BT LT CLOSE,
		OPEN BT LT CLOSE "<second/>",
		"just text",
		"<",
		/* not UTF-8 */
		OPEN "<btid>\xff\xfe</btid>" LT CLOSE,
	};
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(parse_str(bad[i]) == -EINVAL, "accepted case %zu", i);
	ck_assert_int_eq(parse("", 0), -EINVAL);
	ck_assert_int_eq(parse(NULL, 0), -EINVAL);
}
END_TEST

START_TEST(nul_and_size)
{
	static const char body[] = OPEN BT LT CLOSE;
	char *big, *p;
	size_t n, i;

	/* NUL byte inside, and a trailing NUL counted in the length */
	char withnul[sizeof(body)];

	memcpy(withnul, body, sizeof(body));
	withnul[10] = '\0';
	ck_assert_int_eq(parse(withnul, sizeof(body) - 1), -EINVAL);
	ck_assert_int_eq(parse(body, sizeof(body)), -EINVAL);

	/* oversized: a comment pads it past GBA_XML_MAX */
	big = malloc(2 * GBA_XML_MAX);
	ck_assert_ptr_nonnull(big);
	p = big + sprintf(big, "%s<!--", OPEN BT LT);
	memset(p, 'x', GBA_XML_MAX);
	strcpy(big + GBA_XML_MAX - strlen("-->" CLOSE), "-->" CLOSE);
	n = strlen(big);
	ck_assert_uint_eq(n, GBA_XML_MAX);
	ck_assert_int_eq(parse(big, n), 0);		/* exactly at the limit */
	memmove(big + 1, big, n + 1);
	big[0] = ' ';
	ck_assert_int_eq(parse(big, n + 1), -E2BIG);
	free(big);

	/* deeply nested inside Extension */
	big = malloc(GBA_XML_MAX);
	ck_assert_ptr_nonnull(big);
	p = big + sprintf(big, "%s<Extension>", OPEN BT LT);
	for (i = 0; i < 3000; i++)
		p += sprintf(p, "<a>");
	for (i = 0; i < 3000; i++)
		p += sprintf(p, "</a>");
	sprintf(p, "</Extension>%s", CLOSE);
	ck_assert_int_eq(parse_str(big), -EINVAL);
	free(big);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("bsfxml");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, build_exact);
	tcase_add_test(tc, build_negative);
	tcase_add_test(tc, parse_roundtrip);
	tcase_add_test(tc, parse_variants);
	tcase_add_test(tc, hostile);
	tcase_add_test(tc, nul_and_size);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
