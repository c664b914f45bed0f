/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Hostile XML on the parsers the UE and the NAF run on what a (rogue) BSF sends, for what
 * tests/core/test_bsfxml.c and test_zn.c do not cover yet: deep nesting, a huge attribute,
 * thousands of attributes and a billion-laughs DOCTYPE in the BootstrappingInfo (UE) and in
 * the Zn answer (NAF). Each parse must fail or succeed without the hostile part mattering,
 * within 200 ms (5 s for 7000 attributes: libxml2's duplicate check is quadratic, the
 * figure is printed), leaving no key in the model.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <check.h>

#include <gba/bsfxml.h>
#include <gba/xmlutil.h>
#include <gba/zn.h>

#define BTID1	"I1U8vpY3qJ0hiuZNrke/NQ==@bsf.mnc001.mcc001.pub.3gppnetwork.org"
#define OPEN	"<BootstrappingInfo xmlns=\"uri:3gpp-gba\">"
#define BT	"<btid>" BTID1 "</btid>"
#define LT	"<lifetime>2030-01-01T00:00:00Z</lifetime>"
#define CLOSE	"</BootstrappingInfo>"
#define ANS_OPEN "<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"><s:Body>" \
	"<g:requestBootstrappingInfoResponse xmlns:g=\"urn:3gpp:gba:GBAService\">"
#define ANS_CLOSE "</g:requestBootstrappingInfoResponse></s:Body></s:Envelope>"

static char buf[GBA_XML_MAX + 1];

/* a time bound in ms, 50 times longer under valgrind (tests/valgrind.sh sets GBA_VALGRIND) */
static double bound(double ms)
{
	return getenv("GBA_VALGRIND") ? 50 * ms : ms;
}

static double ms_since(const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (t.tv_sec - t0->tv_sec) * 1e3 + (t.tv_nsec - t0->tv_nsec) / 1e6;
}

/* "<pre>" + n * rep + "<mid>" + n * rep2 + "<post>" into buf (within GBA_XML_MAX) */
static size_t make(const char *pre, const char *rep, unsigned int n, const char *mid,
		   const char *rep2, const char *post)
{
	size_t o = (size_t)snprintf(buf, sizeof(buf), "%s", pre);

	for (unsigned int i = 0; i < n && o < sizeof(buf); i++)
		o += (size_t)snprintf(buf + o, sizeof(buf) - o, "%s", rep);
	o += (size_t)snprintf(buf + o, o < sizeof(buf) ? sizeof(buf) - o : 0, "%s", mid);
	for (unsigned int i = 0; rep2 && i < n && o < sizeof(buf); i++)
		o += (size_t)snprintf(buf + o, sizeof(buf) - o, "%s", rep2);
	o += (size_t)snprintf(buf + o, o < sizeof(buf) ? sizeof(buf) - o : 0, "%s", post);
	ck_assert_uint_lt(o, sizeof(buf));
	return o;
}

static int bootinfo(size_t len, double *ms)
{
	struct gba_bootinfo bi;
	struct timespec t0;
	int rc;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	rc = gba_bootinfo_parse(&bi, buf, len, NULL, 0);
	*ms = ms_since(&t0);
	return rc;
}

static int answer(size_t len, double *ms)
{
	struct gba_zn_answer a;
	struct timespec t0;
	int rc;

	memset(&a, 0, sizeof(a));
	clock_gettime(CLOCK_MONOTONIC, &t0);
	rc = gba_zn_answer_parse(&a, buf, len, NULL, 0);
	*ms = ms_since(&t0);
	if (rc)
		for (size_t i = 0; i < sizeof(a.me_key); i++)
			ck_assert_uint_eq(a.me_key[i], 0);
	gba_zn_answer_clear(&a);
	return rc;
}

START_TEST(bootinfo_deep_nesting)
{
	double ms;

	ck_assert_int_eq(bootinfo(make(OPEN BT LT, "<x>", 5000, "", "</x>", CLOSE), &ms),
			 -EINVAL);
	ck_assert_double_lt(ms, bound(200));
	ck_assert_int_eq(bootinfo(make(OPEN "<btid>", "<x>", 5000, BTID1, "</x>", "</btid>" LT
				       CLOSE), &ms), -EINVAL);
	ck_assert_double_lt(ms, bound(200));
}
END_TEST

START_TEST(bootinfo_attributes)
{
	double ms;
	int rc;

	/* one attribute of 60 KB, then 5000 attributes: bounded; the values stay right */
	rc = bootinfo(make("<BootstrappingInfo xmlns=\"uri:3gpp-gba\" x=\"", "a", 60000, "\">",
			   NULL, BT LT CLOSE), &ms);
	ck_assert(rc == 0 || rc == -EINVAL);
	ck_assert_double_lt(ms, bound(200));
	/*
	 * As many attributes as fit in GBA_XML_MAX (7000): libxml2 2.9 checks them for
	 * duplicates pairwise, O(n^2) CPU; gba_xml_parse() refuses more than GBA_XML_EQ_MAX '='
	 * before parsing (was ~300 ms, now microseconds).
	 */
	{
		size_t o = (size_t)snprintf(buf, sizeof(buf), OPEN "<btid");
		int n;

		for (n = 0; o < GBA_XML_MAX - 200; n++)
			o += (size_t)snprintf(buf + o, sizeof(buf) - o, " a%x=''", n);
		o += (size_t)snprintf(buf + o, sizeof(buf) - o, ">" BTID1 "</btid>" LT CLOSE);
		rc = bootinfo(o, &ms);
		printf("BootstrappingInfo with %d attributes (%zu octets): parsed in %.0f ms\n",
		       n, o, ms);
	}
	ck_assert_int_eq(rc, -EINVAL);
	ck_assert_double_lt(ms, bound(200));
}
END_TEST

START_TEST(answer_hostile)
{
	static const char laughs[] = "<!DOCTYPE s:Envelope [<!ENTITY a \"aaaaaaaaaa\">"
		"<!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\"><!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;"
		"&b;&b;&b;\"><!ENTITY d \"&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;\"><!ENTITY e \"&d;&d;&d;"
		"&d;&d;&d;&d;&d;&d;&d;\"><!ENTITY f \"&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;\">"
		"<!ENTITY g \"&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;\">]>" ANS_OPEN
		"<g:impi>&g;</g:impi>" ANS_CLOSE;
	double ms;

	ck_assert_int_eq(answer(make(laughs, "", 0, "", NULL, ""), &ms), -EINVAL);
	ck_assert_double_lt(ms, bound(200));
	ck_assert_int_eq(answer(make(ANS_OPEN, "<g:x>", 5000, "", "</g:x>", ANS_CLOSE), &ms),
			 -EINVAL);
	ck_assert_double_lt(ms, bound(200));
	ck_assert_int_eq(answer(make(ANS_OPEN "<g:impi x=\"", "a", 60000, "\">i@x</g:impi>", NULL,
				     ANS_CLOSE), &ms), -EINVAL);	/* no key: not an answer */
	ck_assert_double_lt(ms, bound(200));
}
END_TEST

int main(void)
{
	Suite *s = suite_create("xml_hostile");
	TCase *tc = tcase_create("ue_naf");
	SRunner *sr;
	int failed;

	gba_xml_init();
	tcase_add_test(tc, bootinfo_deep_nesting);
	tcase_add_test(tc, bootinfo_attributes);
	tcase_add_test(tc, answer_hostile);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
