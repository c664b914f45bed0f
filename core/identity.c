/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Identities and times: IMSI checks, the IMPI and BSF FQDN derived from an IMSI
 * (TS 23.003 clauses 2.2/13.3 and 16.2), B-TID = base64(RAND)@BSF (TS 33.220
 * 4.5.2), xs:dateTime in UTC for lifetimes and the RFC 7231 IMF-fixdate for the
 * Expires header. The date formats are written by hand with fixed English names
 * because strftime()/strptime() depend on the locale and accept too much.
 */
#include "config.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <gba/identity.h>
#include <gba/keys.h>

#define FQDN_MAX	255
#define DATETIME_LAST	253402300799LL	/* 9999-12-31T23:59:59Z */

int gba_imsi_valid(const char *imsi)
{
	size_t n;

	if (!imsi)
		return -EINVAL;
	n = strlen(imsi);
	if (n < 6 || n > GBA_IMSI_MAX || strspn(imsi, "0123456789") != n)
		return -EINVAL;
	return 0;
}

/* MCC and the MNC padded to 3 digits (23.003: a 2-digit MNC gets a leading 0). */
static int split_imsi(const char *imsi, unsigned int mnc_len, char mcc[4], char mnc[4])
{
	if (gba_imsi_valid(imsi) < 0 || (mnc_len != 2 && mnc_len != 3))
		return -EINVAL;
	memcpy(mcc, imsi, 3);
	mcc[3] = '\0';
	if (mnc_len == 2) {
		mnc[0] = '0';
		memcpy(mnc + 1, imsi + 3, 2);
	} else {
		memcpy(mnc, imsi + 3, 3);
	}
	mnc[3] = '\0';
	return 0;
}

static int print_checked(char *out, size_t outlen, int n)
{
	if (n < 0)
		return -EINVAL;
	if ((size_t)n >= outlen) {
		if (outlen)
			out[0] = '\0';
		return -ENOSPC;
	}
	return n;
}

/* The IMPI or the BSF FQDN of an IMSI (they differ only in the format). */
static int name_from_imsi(char *out, size_t outlen, const char *imsi, unsigned int mnc_len,
			  bool impi)
{
	char mcc[4], mnc[4];
	int rc = split_imsi(imsi, mnc_len, mcc, mnc);

	if (rc < 0)
		return rc;
	if (impi)
		rc = snprintf(out, outlen, "%s@ims.mnc%s.mcc%s.3gppnetwork.org", imsi, mnc, mcc);
	else
		rc = snprintf(out, outlen, "bsf.mnc%s.mcc%s.pub.3gppnetwork.org", mnc, mcc);
	return print_checked(out, outlen, rc);
}

int gba_impi_from_imsi(char *out, size_t outlen, const char *imsi, unsigned int mnc_len)
{
	return name_from_imsi(out, outlen, imsi, mnc_len, true);
}

int gba_bsf_fqdn_from_imsi(char *out, size_t outlen, const char *imsi, unsigned int mnc_len)
{
	return name_from_imsi(out, outlen, imsi, mnc_len, false);
}

/* A DNS name as text: letters, digits, '-', '.', not empty, at most 255 characters. */
static bool fqdn_ok(const char *s)
{
	size_t n = strlen(s);

	return n > 0 && n <= FQDN_MAX &&
	       strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-.") == n;
}

int gba_btid_make(char *out, size_t outlen, const uint8_t rand[GBA_RAND_LEN], const char *bsf_fqdn)
{
	char b64[GBA_B64_LEN(GBA_RAND_LEN) + 1];

	if (!rand || !bsf_fqdn || !fqdn_ok(bsf_fqdn))
		return -EINVAL;
	if (gba_b64_encode(b64, sizeof(b64), rand, GBA_RAND_LEN) < 0)
		return -EINVAL;
	return print_checked(out, outlen, snprintf(out, outlen, "%s@%s", b64, bsf_fqdn));
}

int gba_btid_parse(const char *btid, uint8_t rand[GBA_RAND_LEN], const char **domain)
{
	const size_t b64len = GBA_B64_LEN(GBA_RAND_LEN);
	uint8_t tmp[GBA_RAND_LEN];

	if (!btid || strlen(btid) > GBA_BTID_MAX || strlen(btid) < b64len + 2 ||
	    btid[b64len] != '@')
		return -EINVAL;
	if (!fqdn_ok(btid + b64len + 1))
		return -EINVAL;
	if (gba_b64_decode(tmp, sizeof(tmp), btid, b64len) != GBA_RAND_LEN)
		return -EINVAL;
	if (rand)
		memcpy(rand, tmp, GBA_RAND_LEN);
	if (domain)
		*domain = btid + b64len + 1;
	return 0;
}

static bool leap(long y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int mdays(long y, int m)
{
	static const int d[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	return m == 2 && leap(y) ? 29 : d[m - 1];
}

int gba_datetime_format(char *out, size_t outlen, time_t t)
{
	struct tm tm;

	if (!gmtime_r(&t, &tm) || tm.tm_year + 1900L < 1970 || tm.tm_year + 1900L > 9999)
		return -EINVAL;
	return print_checked(out, outlen, snprintf(out, outlen, "%04d-%02d-%02dT%02d:%02d:%02dZ",
						   tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
						   tm.tm_hour, tm.tm_min, tm.tm_sec));
}

/* Exactly 'n' decimal digits at *p; advances *p. -1 if not. */
static long digits(const char **p, int n)
{
	long v = 0;
	int i;

	for (i = 0; i < n; i++) {
		char c = (*p)[i];

		if (c < '0' || c > '9')
			return -1;
		v = v * 10 + (c - '0');
	}
	*p += n;
	return v;
}

static bool expect(const char **p, char c)
{
	if (**p != c)
		return false;
	(*p)++;
	return true;
}

int gba_datetime_parse(const char *s, time_t *t)
{
	const char *p = s;
	long year, mon, day, hour, min, sec, oh = 0, om = 0;
	int sign = 0;
	struct tm tm;
	time_t v;

	if (!s || !t)
		return -EINVAL;
	/* xs:dateTime restricted to years 1970..9999 (no sign, no 5-digit years) */
	year = digits(&p, 4);
	if (year < 1970 || !expect(&p, '-'))
		return -EINVAL;
	mon = digits(&p, 2);
	if (mon < 1 || mon > 12 || !expect(&p, '-'))
		return -EINVAL;
	day = digits(&p, 2);
	if (day < 1 || day > mdays(year, (int)mon) || !expect(&p, 'T'))
		return -EINVAL;
	hour = digits(&p, 2);
	if (hour < 0 || hour > 23 || !expect(&p, ':'))
		return -EINVAL;
	min = digits(&p, 2);
	if (min < 0 || min > 59 || !expect(&p, ':'))
		return -EINVAL;
	sec = digits(&p, 2);
	if (sec < 0 || sec > 59)
		return -EINVAL;
	if (expect(&p, '.')) {
		/* fractional seconds: at least one digit, truncated */
		if (*p < '0' || *p > '9')
			return -EINVAL;
		while (*p >= '0' && *p <= '9')
			p++;
	}
	if (expect(&p, 'Z')) {
		sign = 0;
	} else if (*p == '+' || *p == '-') {
		sign = *p++ == '+' ? 1 : -1;
		oh = digits(&p, 2);
		if (oh < 0 || !expect(&p, ':'))
			return -EINVAL;
		om = digits(&p, 2);
		if (om < 0 || om > 59 || oh > 14 || (oh == 14 && om != 0))
			return -EINVAL;
	} else {
		return -EINVAL;	/* no time zone */
	}
	if (*p != '\0')
		return -EINVAL;

	memset(&tm, 0, sizeof(tm));
	tm.tm_year = (int)(year - 1900);
	tm.tm_mon = (int)(mon - 1);
	tm.tm_mday = (int)day;
	tm.tm_hour = (int)hour;
	tm.tm_min = (int)min;
	tm.tm_sec = (int)sec;
	v = timegm(&tm);	/* years 1970..9999: never -1 with a 64-bit time_t */
	if (v == (time_t)-1)
		return -EINVAL;
	/* local time = UTC + offset; the UTC result must stay in 1970..9999 too */
	v -= sign * (oh * 3600 + om * 60);
	if (v < 0 || v > DATETIME_LAST)
		return -EINVAL;
	*t = v;
	return 0;
}

int gba_httpdate_format(char *out, size_t outlen, time_t t)
{
	static const char wday[7][4] = { "Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat" };
	static const char month[12][4] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
					   "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	struct tm tm;

	if (!gmtime_r(&t, &tm) || tm.tm_year + 1900L < 1 || tm.tm_year + 1900L > 9999)
		return -EINVAL;
	return print_checked(out, outlen,
			     snprintf(out, outlen, "%s, %02d %s %04d %02d:%02d:%02d GMT",
				      wday[tm.tm_wday], tm.tm_mday, month[tm.tm_mon],
				      tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec));
}
