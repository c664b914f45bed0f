/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Zn as a web service (TS 29.109 clause 5.3 / Annex D): the NAF asks the BSF
 * for the keys of a B-TID with a SOAP 1.1 requestBootstrappingInfo call. This
 * header holds the request, answer and fault models and their codecs (libxml2,
 * hardened like <gba/bsfxml.h>). The exact XML is documented in doc/zn-soap.md.
 *
 * Keys travel as xs:base64Binary, NAF_Id too; times as xs:dateTime in UTC.
 * Parsed keys land in fixed-size buffers; call gba_zn_answer_clear() when done.
 */
#ifndef GBA_ZN_H
#define GBA_ZN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <gba/identity.h>
#include <gba/keys.h>

/* Namespace of the Zn body elements: open question in 29.109 (notes 6.6, 9.5); our choice. */
#define GBA_ZN_NS		"urn:3gpp:gba:GBAService"
#define GBA_SOAP11_NS		"http://schemas.xmlsoap.org/soap/envelope/"
#define GBA_ZN_MEDIA_TYPE	"text/xml; charset=utf-8"
#define GBA_ZN_SOAP_ACTION	"\"urn:3gpp:gba:GBAService#requestBootstrappingInfo\""
#define GBA_ZN_PATH		"/bsf/requestBootstrappingInfo"	/* default POST target */
/* HTTP status: 200 with an answer, 500 with a SOAP fault (SOAP 1.1 clause 6.2). */

#define GBA_ZN_NAFID_MAX	(255 + GBA_UA_ID_LEN)	/* NAF FQDN || Ua security protocol id */
#define GBA_ZN_GSID_MAX		16			/* GSIDs per request */
#define GBA_ZN_REASON_MAX	255

/* Diameter-style Zn result codes carried in a fault (29.109; notes 6.3). */
#define GBA_ZN_ERR_IMPI_UNKNOWN		5401	/* identity unknown */
#define GBA_ZN_ERR_NOT_AUTHORIZED	5402	/* NAF not authorised */
#define GBA_ZN_ERR_BTID_INVALID		5403	/* unknown or expired B-TID */
#define GBA_ZN_ERR_UNABLE_TO_COMPLY	5012	/* anything else on the BSF side */

struct gba_zn_request {
	char btid[GBA_BTID_MAX + 1];
	uint8_t naf_id[GBA_ZN_NAFID_MAX];	/* NAF FQDN || 5-octet Ua id (raw octets) */
	size_t naf_id_len;			/* GBA_UA_ID_LEN+1 .. GBA_ZN_NAFID_MAX */
	bool gba_u_aware;			/* NAF can use Ks_int_NAF */
	unsigned int n_gsid;
	uint32_t gsid[GBA_ZN_GSID_MAX];		/* GSIDs: 0 unspecific, 1 PKI portal... */
};

enum gba_zn_gba_type {
	GBA_ZN_TYPE_3G = 0,	/* "3G" */
	GBA_ZN_TYPE_2G = 1,	/* "2G" */
};

enum gba_zn_uicc_me {
	GBA_ZN_UICC_ME_GBA_ME = 0,	/* "GBA_ME": me_key = Ks_NAF */
	GBA_ZN_UICC_ME_GBA_U = 1,	/* "GBA_U": me_key = Ks_ext_NAF, uicc_key = Ks_int_NAF */
};

struct gba_zn_answer {
	char impi[GBA_IMPI_MAX + 1];
	uint8_t me_key[GBA_KS_NAF_LEN];		/* Ks_NAF or Ks_ext_NAF */
	uint8_t uicc_key[GBA_KS_NAF_LEN];	/* Ks_int_NAF, valid when has_uicc_key */
	bool has_uicc_key;
	time_t key_expiry;			/* absolute, UTC */
	time_t creation_time;			/* bootstrappingInfoCreationTime */
	enum gba_zn_gba_type gba_type;
	enum gba_zn_uicc_me uicc_me;
	char *uss;	/* optional: the GUSS <ussList> element as XML text, malloc()ed, or NULL */
};

struct gba_zn_fault {
	unsigned int code;			/* 1000..5999, e.g. GBA_ZN_ERR_BTID_INVALID */
	char reason[GBA_ZN_REASON_MAX + 1];	/* faultstring, UTF-8 */
};

/*
 * Each build returns 0 with *out malloc()ed, NUL-terminated, *outlen its length
 * (caller frees; an answer holds keys: gba_zeroize(*out, *outlen) before free()),
 * -EINVAL for a model that cannot be sent (bad B-TID, empty NAF_Id, bad USS XML...),
 * -E2BIG when the body would exceed GBA_XML_MAX (a huge USS), -ENOMEM.
 */
int gba_zn_request_build(char **out, size_t *outlen, const struct gba_zn_request *req);
int gba_zn_answer_build(char **out, size_t *outlen, const struct gba_zn_answer *a);
int gba_zn_fault_build(char **out, size_t *outlen, const struct gba_zn_fault *f);

/*
 * Each parse returns 0; -E2BIG over GBA_XML_MAX; -EINVAL for anything else wrong
 * (not well-formed, DTD, wrong envelope/body/namespace, missing, duplicate or
 * unknown elements, bad base64/key size/dateTime/enumeration); -ENOMEM.
 * 'err' (may be NULL) receives a reason. On failure the model holds no key bytes.
 */
int gba_zn_request_parse(struct gba_zn_request *req, const char *xml, size_t len,
			 char *err, size_t errlen);

/*
 * Parse a BSF response body that is either an answer or a fault. *a and *f are
 * overwritten (clear a previous answer first). GBA_ZN_ANSWER (0) with *a filled,
 * GBA_ZN_FAULT (1) with *f filled (code 0 when the fault has no resultCode detail),
 * or a negative errno as above. Answers must be released with gba_zn_answer_clear().
 */
#define GBA_ZN_ANSWER	0
#define GBA_ZN_FAULT	1
int gba_zn_response_parse(struct gba_zn_answer *a, struct gba_zn_fault *f, const char *xml,
			  size_t len, char *err, size_t errlen);

/* Only an answer (a fault is -EINVAL) / only a fault (an answer is -EINVAL). */
int gba_zn_answer_parse(struct gba_zn_answer *a, const char *xml, size_t len,
			char *err, size_t errlen);
int gba_zn_fault_parse(struct gba_zn_fault *f, const char *xml, size_t len,
		       char *err, size_t errlen);

/* Zeroize the keys and free the USS of an answer (NULL allowed); it can be reused afterwards. */
void gba_zn_answer_clear(struct gba_zn_answer *a);

#endif /* GBA_ZN_H */
