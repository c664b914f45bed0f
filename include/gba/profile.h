/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Subscriber/card profiles (sim-profiles/, format in doc/profiles.md), read by
 * the soft UICC, the BSF's built-in AuC and the osmo-hlr provisioning tool.
 * Parsed with libconfig; errors carry the file name and line number.
 */
#ifndef GBA_PROFILE_H
#define GBA_PROFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <gba/aka.h>
#include <gba/identity.h>

#define GBA_PROFILE_IMPU_MAX	4

struct gba_profile {
	char name[64];			/* free text label */
	char iccid[21];			/* 19-20 digits */
	char imsi[GBA_IMSI_MAX + 1];
	unsigned int mnc_len;		/* 2 or 3, EF_AD byte 4 */
	char msisdn[21];		/* may be empty */
	struct gba_aka_cred cred;	/* algorithm, K, OPc (OP is converted on load) */
	uint8_t amf[GBA_AMF_LEN];	/* AMF the AuC puts in AUTN */
	uint64_t sqn;			/* AuC: last SQN used; card: initial highest accepted SQN */
	unsigned int ind_bitlen;	/* TS 33.102 Annex C IND bits (0..10); 5 matches osmo-hlr */
	uint64_t sqn_delta;		/* Annex C.2.1 delta (0 = no limit) */
	uint64_t sqn_age_limit;		/* Annex C.2.2 L (0 = no limit) */
	char impi[GBA_IMPI_MAX + 1];	/* ISIM EF_IMPI; derived from the IMSI when not given */
	char domain[256];		/* ISIM EF_DOMAIN */
	char impu[GBA_PROFILE_IMPU_MAX][256];
	unsigned int n_impu;
	bool isim;			/* card has an ISIM */
	bool gba_u;			/* UST service 68 / IST service 2: GBA_U capable card, GUSS uiccType GBA_U */
	bool gba;			/* false: the card knows no GBA context at all */
	bool gsm_access;		/* UST service 27: AUTHENTICATE 3G also returns Kc */
	unsigned int key_lifetime;	/* GUSS bsfInfo/lifeTime in seconds; 0 = BSF default */
	char pin1[9];			/* digits; empty = no PIN */
	bool pin1_enabled;
	char puk1[9];
	char adm1[17];			/* ADM key, 8 bytes hex */
};

/*
 * Load every profile from 'path' (a file, or a directory whose *.conf files are read in
 * name order). *out is a malloc()ed array of *n profiles; free with gba_profiles_free().
 * Unknown field names, duplicate IMSIs/ICCIDs within the load and @include are refused.
 * Returns 0; -ENOENT when the path does not exist; -EIO when it cannot be read; -EINVAL for
 * a bad profile (or a directory without cards), with "FILE:LINE: reason" in 'err'; -ENOMEM.
 */
int gba_profiles_load(const char *path, struct gba_profile **out, size_t *n, char *err, size_t errlen);

/* Parse profiles from a text buffer ('name' is used in error messages). Same returns as above. */
int gba_profiles_parse(const char *text, const char *name, struct gba_profile **out, size_t *n,
		       char *err, size_t errlen);

/* Zeroize and free an array from gba_profiles_load(). */
void gba_profiles_free(struct gba_profile *p, size_t n);

#endif /* GBA_PROFILE_H */
