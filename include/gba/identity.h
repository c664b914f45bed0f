/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Identities and times: IMPI and BSF FQDN from IMSI (TS 23.003), B-TID
 * (TS 33.220 4.5.2), and key lifetimes as xs:dateTime in UTC.
 */
#ifndef GBA_IDENTITY_H
#define GBA_IDENTITY_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <gba/keys.h>

#define GBA_IMSI_MAX	15
#define GBA_IMPI_MAX	255
#define GBA_BTID_MAX	(GBA_B64_LEN(GBA_RAND_LEN) + 1 + 255)
#define GBA_DATETIME_LEN 20	/* "2030-01-01T00:00:00Z" */

/* Check an IMSI (6..15 decimal digits). 0 or -EINVAL. */
int gba_imsi_valid(const char *imsi);

/*
 * "<IMSI>@ims.mnc<MNC3>.mcc<MCC>.3gppnetwork.org"; mnc_len is 2 or 3 (EF_AD).
 * Length, -EINVAL (bad IMSI or mnc_len) or -ENOSPC.
 */
int gba_impi_from_imsi(char *out, size_t outlen, const char *imsi, unsigned int mnc_len);

/* "bsf.mnc<MNC3>.mcc<MCC>.pub.3gppnetwork.org". Length, -EINVAL or -ENOSPC. */
int gba_bsf_fqdn_from_imsi(char *out, size_t outlen, const char *imsi, unsigned int mnc_len);

/* B-TID = base64(RAND) "@" bsf_fqdn. Length, -EINVAL (bad FQDN characters/length) or -ENOSPC. */
int gba_btid_make(char *out, size_t outlen, const uint8_t rand[GBA_RAND_LEN], const char *bsf_fqdn);

/*
 * Split a B-TID into RAND and the BSF domain (pointer into 'btid').
 * 0, or -EINVAL when it is not base64(16 octets) "@" a domain of 1..255 characters
 * [A-Za-z0-9.-]. 'rand' and 'domain' may be NULL (validation only).
 */
int gba_btid_parse(const char *btid, uint8_t rand[GBA_RAND_LEN], const char **domain);

/*
 * Format 't' as xs:dateTime UTC "YYYY-MM-DDThh:mm:ssZ" (needs GBA_DATETIME_LEN+1).
 * Length, -ENOSPC, or -EINVAL for a year outside 1970..9999 (what the parser accepts).
 */
int gba_datetime_format(char *out, size_t outlen, time_t t);

/*
 * Parse an xs:dateTime with "Z" or a "+hh:mm"/"-hh:mm" offset (at most 14:00), optional
 * fractional seconds (truncated). 0 or -EINVAL. A value without a time zone is rejected
 * (lifetimes are absolute), and so are times outside 1970..9999 UTC, out-of-range fields
 * (month 13, 31 April, 29 February of a common year, hour 24, second 60) and white space.
 */
int gba_datetime_parse(const char *s, time_t *t);

/* RFC 7231 IMF-fixdate ("Sun, 06 Nov 1994 08:49:37 GMT") for the Expires header.
 * Length, -ENOSPC, or -EINVAL for a year outside 1..9999. */
int gba_httpdate_format(char *out, size_t outlen, time_t t);

#endif /* GBA_IDENTITY_H */
