/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Zn web service (TS 29.109 clause 5.3 / Annex D): SOAP 1.1 codec of the
 * requestBootstrappingInfo request, its answer and the SOAP fault a BSF sends
 * instead, on libxml2 through the hardened helpers of core/xml.c. The wire
 * format (namespace, element names, encodings) is our reading of the open
 * points of 29.109 and is documented in doc/zn-soap.md. Parsing is strict:
 * every mandatory element exactly once, no unknown element, key sizes checked.
 * Key text only lives in stack buffers wiped after use and in libxml2 blocks,
 * which the allocator hooks of core/xml.c wipe on free.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/tree.h>
#include <libxml/xmlstring.h>

#include <gba/bsfxml.h>
#include <gba/identity.h>
#include <gba/keys.h>
#include <gba/xmlutil.h>
#include <gba/zn.h>

#define SOAP_PREFIX	"soapenv"
#define ZN_PREFIX	"gba"
#define ZN_REQ		"requestBootstrappingInfoRequest"
#define ZN_RSP		"requestBootstrappingInfoResponse"
#define ZN_FAULT	"bootstrappingInfoFault"
#define USS_LIST	"ussList"

/* ---- helpers ---------------------------------------------------------------------------- */

/* A printable ASCII identity (IMPI): 1..GBA_IMPI_MAX characters 0x21..0x7e. */
static int impi_ok(const char *s)
{
	size_t i, n = strnlen(s, GBA_IMPI_MAX + 1);

	if (n == 0 || n > GBA_IMPI_MAX)
		return 0;
	for (i = 0; i < n; i++)
		if (s[i] < 0x21 || s[i] > 0x7e)
			return 0;
	return 1;
}

/* Text that XML 1.0 can carry: valid UTF-8 without control characters other than TAB/LF/CR. */
static int xml_text_ok(const char *s)
{
	const unsigned char *p;

	if (!xmlCheckUTF8(BAD_CAST s))
		return 0;
	for (p = (const unsigned char *)s; *p; p++)
		if (*p < 0x20 && *p != '\t' && *p != '\n' && *p != '\r')
			return 0;
	return 1;
}

/* Envelope with an empty Body; returns the Body. */
static xmlNodePtr new_envelope(xmlDocPtr *doc, xmlNsPtr *soap)
{
	xmlNodePtr env = gba_xml_new_root(doc, GBA_SOAP11_NS, SOAP_PREFIX, "Envelope", soap);
	xmlNodePtr body;

	if (!env)
		return NULL;
	body = gba_xml_add(env, *soap, "Body", NULL);
	if (!body || gba_xml_add_nl(env) < 0) {
		xmlFreeDoc(*doc);
		*doc = NULL;
		return NULL;
	}
	return body;
}

/* New line, <prefix:name xmlns:prefix=href>, new line under 'parent'. */
static xmlNodePtr add_ns_elem(xmlNodePtr parent, const char *href, const char *prefix,
			      const char *name, xmlNsPtr *ns)
{
	xmlNodePtr e = gba_xml_add(parent, NULL, name, NULL);

	if (!e)
		return NULL;
	*ns = xmlNewNs(e, BAD_CAST href, BAD_CAST prefix);
	if (!*ns || gba_xml_add_nl(parent) < 0)
		return NULL;
	xmlSetNs(e, *ns);
	return e;
}

static int add_time(xmlNodePtr parent, xmlNsPtr ns, const char *name, time_t t)
{
	char s[GBA_DATETIME_LEN + 1];

	if (gba_datetime_format(s, sizeof(s), t) < 0)
		return -EINVAL;
	return gba_xml_add(parent, ns, name, s) ? 0 : -ENOMEM;
}

static int add_key(xmlNodePtr parent, xmlNsPtr ns, const char *name, const uint8_t *key)
{
	char b64[GBA_B64_LEN(GBA_KS_NAF_LEN) + 1];
	xmlNodePtr n;

	if (gba_b64_encode(b64, sizeof(b64), key, GBA_KS_NAF_LEN) < 0)
		return -EINVAL;
	n = gba_xml_add(parent, ns, name, b64);
	gba_zeroize(b64, sizeof(b64));
	return n ? 0 : -ENOMEM;
}

/* Serialise and free 'doc'; a body the peer would refuse as too large is not returned. */
static int finish(xmlDocPtr doc, int rc, char **out, size_t *outlen)
{
	size_t len = 0;

	if (rc == 0)
		rc = gba_xml_dump(doc, out, &len);
	xmlFreeDoc(doc);
	if (rc == 0 && len > GBA_XML_MAX) {
		gba_zeroize(*out, len);
		free(*out);
		*out = NULL;
		return -E2BIG;
	}
	if (rc == 0 && outlen)
		*outlen = len;
	return rc;
}

/* xs:base64Binary of exactly GBA_KS_NAF_LEN octets into 'key'; the text is wiped. */
static int get_key(const xmlNode *n, const char *what, uint8_t *key, char *err, size_t errlen)
{
	char b64[GBA_B64_LEN(GBA_KS_NAF_LEN) + 8];
	int rc = gba_xml_text(n, b64, sizeof(b64), 1);

	if (rc >= 0)
		rc = gba_b64_decode(key, GBA_KS_NAF_LEN, b64, (size_t)rc);
	gba_zeroize(b64, sizeof(b64));
	if (rc != GBA_KS_NAF_LEN) {
		gba_zeroize(key, GBA_KS_NAF_LEN);
		gba_xml_err(err, errlen, "%s is not base64 of %d octets", what, GBA_KS_NAF_LEN);
		return -EINVAL;
	}
	return 0;
}

/* One of 'names' (NULL-terminated); index or -EINVAL. */
static int get_enum(const xmlNode *n, const char *what, const char *const *names,
		    char *err, size_t errlen)
{
	char s[16];
	int i;

	if (gba_xml_text(n, s, sizeof(s), 0) >= 0)
		for (i = 0; names[i]; i++)
			if (!strcmp(s, names[i]))
				return i;
	gba_xml_err(err, errlen, "bad %s value", what);
	return -EINVAL;
}

/* Unsigned decimal of 1..digits digits, at most 'max'. */
static int get_uint(const xmlNode *n, unsigned int digits, unsigned long max, unsigned long *v)
{
	char s[16];
	int len = gba_xml_text(n, s, sizeof(s), 0);

	if (len < 1 || (unsigned int)len > digits || strspn(s, "0123456789") != (size_t)len)
		return -EINVAL;
	*v = strtoul(s, NULL, 10);
	return *v <= max ? 0 : -EINVAL;
}

static const char *const gba_type_names[] = { "3G", "2G", NULL };
static const char *const uicc_me_names[] = { "GBA_ME", "GBA_U", NULL };
static const char *const bool_names[] = { "false", "true", "0", "1", NULL };

/* ---- SOAP envelope ----------------------------------------------------------------------- */

/* A header entry the BSF or NAF must understand cannot be honoured: refuse (SOAP 1.1 4.2.3). */
static int header_ok(const xmlNode *hdr, char *err, size_t errlen)
{
	const xmlNode *c;

	for (c = hdr->children; c; c = c->next) {
		xmlChar *mu;
		int bad;

		if (c->type != XML_ELEMENT_NODE)
			continue;
		mu = xmlGetNsProp(c, BAD_CAST "mustUnderstand", BAD_CAST GBA_SOAP11_NS);
		bad = mu && (xmlStrEqual(mu, BAD_CAST "1") || xmlStrEqual(mu, BAD_CAST "true"));
		xmlFree(mu);
		if (bad) {
			gba_xml_err(err, errlen, "mandatory header <%.40s> not understood",
				    (const char *)c->name);
			return -EINVAL;
		}
	}
	return 0;
}

/* Parse a SOAP 1.1 envelope and return the single element of its Body. */
static int open_envelope(xmlDocPtr *doc, xmlNodePtr *payload, const char *xml, size_t len,
			 char *err, size_t errlen)
{
	struct gba_xml_field f[] = {
		GBA_XML_FIELD("Header", 0, 1),
		GBA_XML_FIELD("Body", 1, 1),
	};
	xmlNodePtr root;
	int rc;

	rc = gba_xml_parse(doc, xml, len, err, errlen);
	if (rc < 0)
		return rc;
	root = xmlDocGetRootElement(*doc);
	if (!gba_xml_is(root, GBA_SOAP11_NS, "Envelope")) {
		gba_xml_err(err, errlen, "root is not a SOAP 1.1 Envelope");
		goto fail;
	}
	/* SOAP 1.1 4.1.2: namespace-qualified elements may follow the Body */
	if (gba_xml_children(root, GBA_SOAP11_NS, f, 2, 1, err, errlen) < 0)
		goto fail;
	if (f[0].node && header_ok(f[0].node, err, errlen) < 0)
		goto fail;
	if (gba_xml_only_child(f[1].node, payload, err, errlen) < 0)
		goto fail;
	return 0;
fail:
	xmlFreeDoc(*doc);
	*doc = NULL;
	return -EINVAL;
}

/* ---- request ----------------------------------------------------------------------------- */

int gba_zn_request_build(char **out, size_t *outlen, const struct gba_zn_request *req)
{
	char nafid[GBA_B64_LEN(GBA_ZN_NAFID_MAX) + 1], gsid[16];
	xmlNodePtr body, r;
	xmlNsPtr soap, ns;
	xmlDocPtr doc;
	unsigned int i;
	int rc = -ENOMEM;

	*out = NULL;
	if (!req || !memchr(req->btid, '\0', sizeof(req->btid)) ||
	    gba_btid_parse(req->btid, NULL, NULL) < 0 || req->naf_id_len <= GBA_UA_ID_LEN ||
	    req->naf_id_len > GBA_ZN_NAFID_MAX || req->n_gsid > GBA_ZN_GSID_MAX)
		return -EINVAL;
	if (gba_b64_encode(nafid, sizeof(nafid), req->naf_id, req->naf_id_len) < 0)
		return -EINVAL;
	body = new_envelope(&doc, &soap);
	if (!body)
		return -ENOMEM;
	r = add_ns_elem(body, GBA_ZN_NS, ZN_PREFIX, ZN_REQ, &ns);
	if (!r || !gba_xml_add(r, ns, "btid", req->btid) || !gba_xml_add(r, ns, "nafid", nafid))
		goto out;
	for (i = 0; i < req->n_gsid; i++) {
		snprintf(gsid, sizeof(gsid), "%u", (unsigned int)req->gsid[i]);
		if (!gba_xml_add(r, ns, "gsid", gsid))
			goto out;
	}
	if (!gba_xml_add(r, ns, "gbaUAware", req->gba_u_aware ? "true" : "false") ||
	    gba_xml_add_nl(r) < 0)
		goto out;
	rc = 0;
out:
	return finish(doc, rc, out, outlen);
}

int gba_zn_request_parse(struct gba_zn_request *req, const char *xml, size_t len,
			 char *err, size_t errlen)
{
	struct gba_xml_field f[] = {
		GBA_XML_FIELD("btid", 1, 1),
		GBA_XML_FIELD("nafid", 1, 1),
		GBA_XML_FIELD("gsid", 0, GBA_ZN_GSID_MAX),
		GBA_XML_FIELD("gbaUAware", 0, 1),
	};
	char nafid[GBA_B64_LEN(GBA_ZN_NAFID_MAX) + 8];
	xmlNodePtr r, c;
	xmlDocPtr doc;
	int rc, n;

	memset(req, 0, sizeof(*req));
	rc = open_envelope(&doc, &r, xml, len, err, errlen);
	if (rc < 0)
		return rc;
	rc = -EINVAL;
	if (!gba_xml_is(r, GBA_ZN_NS, ZN_REQ)) {
		gba_xml_err(err, errlen, "Body does not hold {%s}%s", GBA_ZN_NS, ZN_REQ);
		goto out;
	}
	if (gba_xml_children(r, GBA_ZN_NS, f, 4, 0, err, errlen) < 0)
		goto out;
	if (gba_xml_btid(f[0].node, req->btid, sizeof(req->btid), err, errlen) < 0)
		goto out;
	n = gba_xml_text(f[1].node, nafid, sizeof(nafid), 1);
	if (n >= 0)
		n = gba_b64_decode(req->naf_id, sizeof(req->naf_id), nafid, (size_t)n);
	if (n <= GBA_UA_ID_LEN) {
		gba_xml_err(err, errlen, "nafid is not base64 of FQDN || Ua id (%d..%d octets)",
			    GBA_UA_ID_LEN + 1, GBA_ZN_NAFID_MAX);
		goto out;
	}
	req->naf_id_len = (size_t)n;
	for (c = r->children; c; c = c->next) {
		unsigned long v;

		if (!gba_xml_is(c, GBA_ZN_NS, "gsid"))
			continue;
		if (get_uint(c, 10, UINT32_MAX, &v) < 0) {
			gba_xml_err(err, errlen, "gsid is not a 32-bit unsigned decimal");
			goto out;
		}
		req->gsid[req->n_gsid++] = (uint32_t)v;
	}
	if (f[3].node) {
		n = get_enum(f[3].node, "gbaUAware", bool_names, err, errlen);
		if (n < 0)
			goto out;
		req->gba_u_aware = n % 2;
	}
	rc = 0;
out:
	xmlFreeDoc(doc);
	if (rc < 0)
		memset(req, 0, sizeof(*req));
	return rc;
}

/* ---- answer ------------------------------------------------------------------------------ */

/* Import the caller's <ussList> text (parsed with the same hardening) under 'parent'. */
static int add_uss(xmlNodePtr parent, const char *uss)
{
	xmlNodePtr root, copy;
	xmlDocPtr udoc;
	int rc;

	rc = gba_xml_parse(&udoc, uss, strlen(uss), NULL, 0);
	if (rc < 0)
		return -EINVAL;
	root = xmlDocGetRootElement(udoc);
	rc = -EINVAL;
	if (!xmlStrEqual(root->name, BAD_CAST USS_LIST))
		goto out;
	rc = -ENOMEM;
	copy = xmlDocCopyNode(root, parent->doc, 1);
	if (!copy)
		goto out;
	if (gba_xml_add_nl(parent) < 0 || !xmlAddChild(parent, copy)) {
		xmlFreeNode(copy);
		goto out;
	}
	rc = 0;
out:
	xmlFreeDoc(udoc);
	return rc;
}

int gba_zn_answer_build(char **out, size_t *outlen, const struct gba_zn_answer *a)
{
	xmlNodePtr body, r;
	xmlNsPtr soap, ns;
	xmlDocPtr doc;
	int rc;

	*out = NULL;
	if (!a || !impi_ok(a->impi) ||
	    (a->gba_type != GBA_ZN_TYPE_3G && a->gba_type != GBA_ZN_TYPE_2G) ||
	    (a->uicc_me != GBA_ZN_UICC_ME_GBA_ME && a->uicc_me != GBA_ZN_UICC_ME_GBA_U) ||
	    (a->has_uicc_key && a->uicc_me != GBA_ZN_UICC_ME_GBA_U) || (a->uss && !a->uss[0]))
		return -EINVAL;
	body = new_envelope(&doc, &soap);
	if (!body)
		return -ENOMEM;
	rc = -ENOMEM;
	r = add_ns_elem(body, GBA_ZN_NS, ZN_PREFIX, ZN_RSP, &ns);
	if (!r || !gba_xml_add(r, ns, "impi", a->impi))
		goto out;
	rc = add_key(r, ns, "meKeyMaterial", a->me_key);
	if (rc == 0 && a->has_uicc_key)
		rc = add_key(r, ns, "uiccKeyMaterial", a->uicc_key);
	if (rc == 0)
		rc = add_time(r, ns, "keyExpiryTime", a->key_expiry);
	if (rc == 0)
		rc = add_time(r, ns, "bootstrappingInfoCreationTime", a->creation_time);
	if (rc < 0)
		goto out;
	rc = -ENOMEM;
	if (!gba_xml_add(r, ns, "gbaType", gba_type_names[a->gba_type]) ||
	    !gba_xml_add(r, ns, "uiccMe", uicc_me_names[a->uicc_me]))
		goto out;
	if (a->uss) {
		rc = add_uss(r, a->uss);
		if (rc < 0)
			goto out;
	}
	rc = gba_xml_add_nl(r);
out:
	return finish(doc, rc, out, outlen);
}

/* The <ussList> element as a stand-alone XML text (namespaces declared on it). */
static int uss_text(const xmlNode *uss, char **out)
{
	xmlBufferPtr buf = NULL;
	xmlNodePtr copy;
	xmlDocPtr d;
	int rc = -ENOMEM;

	d = xmlNewDoc(BAD_CAST "1.0");
	if (!d)
		return -ENOMEM;
	copy = xmlDocCopyNode((xmlNodePtr)uss, d, 1);
	if (!copy)
		goto out;
	xmlDocSetRootElement(d, copy);
	buf = xmlBufferCreate();
	if (!buf || xmlNodeDump(buf, d, copy, 0, 0) < 0)
		goto out;
	*out = strdup((const char *)xmlBufferContent(buf));
	if (*out)
		rc = 0;
out:
	xmlBufferFree(buf);
	xmlFreeDoc(d);
	return rc;
}

static int parse_answer(struct gba_zn_answer *a, const xmlNode *r, char *err, size_t errlen)
{
	struct gba_xml_field f[] = {
		GBA_XML_FIELD("impi", 1, 1),
		GBA_XML_FIELD("meKeyMaterial", 1, 1),
		GBA_XML_FIELD("uiccKeyMaterial", 0, 1),
		GBA_XML_FIELD("keyExpiryTime", 1, 1),
		GBA_XML_FIELD("bootstrappingInfoCreationTime", 1, 1),
		GBA_XML_FIELD("gbaType", 1, 1),
		GBA_XML_FIELD("uiccMe", 1, 1),
		GBA_XML_FIELD(USS_LIST, 0, 1),
	};
	const xmlNode *c, *uss;
	int n;

	/* the GUSS namespace is not settled (notes 6.5): <ussList> may come in any namespace */
	if (gba_xml_children(r, GBA_ZN_NS, f, 8, 1, err, errlen) < 0)
		return -EINVAL;
	uss = f[7].node;
	for (c = r->children; c; c = c->next) {
		if (c->type != XML_ELEMENT_NODE ||
		    (c->ns && xmlStrEqual(c->ns->href, BAD_CAST GBA_ZN_NS)))
			continue;
		if (!xmlStrEqual(c->name, BAD_CAST USS_LIST) || uss) {
			gba_xml_err(err, errlen, "unexpected element <%.40s> in the answer",
				    (const char *)c->name);
			return -EINVAL;
		}
		uss = c;
	}
	if (gba_xml_text(f[0].node, a->impi, sizeof(a->impi), 0) < 0 || !impi_ok(a->impi)) {
		gba_xml_err(err, errlen, "impi is empty, too long or not printable");
		return -EINVAL;
	}
	if (get_key(f[1].node, "meKeyMaterial", a->me_key, err, errlen) < 0)
		return -EINVAL;
	if (f[2].node) {
		if (get_key(f[2].node, "uiccKeyMaterial", a->uicc_key, err, errlen) < 0)
			return -EINVAL;
		a->has_uicc_key = true;
	}
	if (gba_xml_datetime(f[3].node, "keyExpiryTime", &a->key_expiry, err, errlen) < 0 ||
	    gba_xml_datetime(f[4].node, "bootstrappingInfoCreationTime", &a->creation_time,
			     err, errlen) < 0)
		return -EINVAL;
	n = get_enum(f[5].node, "gbaType", gba_type_names, err, errlen);
	if (n < 0)
		return -EINVAL;
	a->gba_type = (enum gba_zn_gba_type)n;
	n = get_enum(f[6].node, "uiccMe", uicc_me_names, err, errlen);
	if (n < 0)
		return -EINVAL;
	a->uicc_me = (enum gba_zn_uicc_me)n;
	if (a->has_uicc_key && a->uicc_me != GBA_ZN_UICC_ME_GBA_U) {
		gba_xml_err(err, errlen, "uiccKeyMaterial with uiccMe GBA_ME");
		return -EINVAL;
	}
	if (uss && uss_text(uss, &a->uss) < 0)
		return -ENOMEM;
	return 0;
}

void gba_zn_answer_clear(struct gba_zn_answer *a)
{
	if (!a)
		return;
	free(a->uss);
	gba_zeroize(a, sizeof(*a));
}

/* ---- fault ------------------------------------------------------------------------------- */

/* 540x: the NAF asked for something the BSF refuses; anything else is the BSF's problem. */
static const char *fault_code(unsigned int code)
{
	return code >= 5401 && code <= 5403 ? SOAP_PREFIX ":Client" : SOAP_PREFIX ":Server";
}

int gba_zn_fault_build(char **out, size_t *outlen, const struct gba_zn_fault *f)
{
	xmlNodePtr body, fault, detail, zf;
	char code[8];
	xmlNsPtr soap, ns;
	xmlDocPtr doc;
	int rc = -ENOMEM;

	*out = NULL;
	if (!f || f->code < 1000 || f->code > 5999 || !memchr(f->reason, '\0', sizeof(f->reason)) ||
	    !xml_text_ok(f->reason))
		return -EINVAL;
	snprintf(code, sizeof(code), "%u", f->code);
	body = new_envelope(&doc, &soap);
	if (!body)
		return -ENOMEM;
	fault = gba_xml_add(body, soap, "Fault", NULL);
	if (!fault || gba_xml_add_nl(body) < 0)
		goto out;
	/* SOAP 1.1 4.4: the Fault's children are unqualified */
	if (!gba_xml_add(fault, NULL, "faultcode", fault_code(f->code)) ||
	    !gba_xml_add(fault, NULL, "faultstring", f->reason))
		goto out;
	detail = gba_xml_add(fault, NULL, "detail", NULL);
	if (!detail || gba_xml_add_nl(fault) < 0)
		goto out;
	zf = add_ns_elem(detail, GBA_ZN_NS, ZN_PREFIX, ZN_FAULT, &ns);
	if (!zf || !gba_xml_add(zf, ns, "resultCode", code) || gba_xml_add_nl(zf) < 0)
		goto out;
	rc = 0;
out:
	return finish(doc, rc, out, outlen);
}

/* faultcode is a QName in the SOAP namespace: VersionMismatch, MustUnderstand, Client, Server. */
static int faultcode_ok(const xmlNode *n)
{
	static const char *const codes[] = {
		"VersionMismatch", "MustUnderstand", "Client", "Server",
	};
	char s[64], *local;
	xmlNsPtr ns;
	size_t i, l;

	if (gba_xml_text(n, s, sizeof(s), 0) < 1)
		return 0;
	local = strchr(s, ':');
	if (local) {
		*local++ = '\0';
		ns = xmlSearchNs(n->doc, (xmlNodePtr)n, BAD_CAST s);
	} else {
		local = s;
		ns = xmlSearchNs(n->doc, (xmlNodePtr)n, NULL);
	}
	if (!ns || !xmlStrEqual(ns->href, BAD_CAST GBA_SOAP11_NS))
		return 0;
	for (i = 0; i < sizeof(codes) / sizeof(codes[0]); i++) {
		l = strlen(codes[i]);
		/* dotted refinements such as "Client.Auth" are allowed (SOAP 1.1 4.4.1) */
		if (!strncmp(local, codes[i], l) && (local[l] == '\0' || local[l] == '.'))
			return 1;
	}
	return 0;
}

static int parse_fault(struct gba_zn_fault *flt, const xmlNode *r, char *err, size_t errlen)
{
	struct gba_xml_field f[] = {
		GBA_XML_FIELD("faultcode", 1, 1),
		GBA_XML_FIELD("faultstring", 1, 1),
		GBA_XML_FIELD("faultactor", 0, 1),
		GBA_XML_FIELD("detail", 0, 1),
	};
	struct gba_xml_field d[] = { GBA_XML_FIELD(ZN_FAULT, 0, 1) };
	struct gba_xml_field z[] = { GBA_XML_FIELD("resultCode", 1, 1) };
	unsigned long code;

	if (gba_xml_children(r, NULL, f, 4, 0, err, errlen) < 0)
		return -EINVAL;
	if (!faultcode_ok(f[0].node)) {
		gba_xml_err(err, errlen, "faultcode is not a SOAP 1.1 fault code");
		return -EINVAL;
	}
	if (gba_xml_text(f[1].node, flt->reason, sizeof(flt->reason), 0) < 0) {
		gba_xml_err(err, errlen, "faultstring longer than %d", GBA_ZN_REASON_MAX);
		return -EINVAL;
	}
	/* detail may carry other applications' entries: only ours is checked */
	if (!f[3].node || gba_xml_children(f[3].node, GBA_ZN_NS, d, 1, 1, err, errlen) < 0)
		return f[3].node ? -EINVAL : 0;
	if (!d[0].node)
		return 0;
	if (gba_xml_children(d[0].node, GBA_ZN_NS, z, 1, 0, err, errlen) < 0)
		return -EINVAL;
	if (get_uint(z[0].node, 4, 5999, &code) < 0 || code < 1000) {
		gba_xml_err(err, errlen, "resultCode is not a Diameter result code");
		return -EINVAL;
	}
	flt->code = (unsigned int)code;
	return 0;
}

/* ---- responses --------------------------------------------------------------------------- */

int gba_zn_response_parse(struct gba_zn_answer *a, struct gba_zn_fault *f, const char *xml,
			  size_t len, char *err, size_t errlen)
{
	xmlNodePtr r;
	xmlDocPtr doc;
	int rc;

	memset(a, 0, sizeof(*a));
	memset(f, 0, sizeof(*f));
	rc = open_envelope(&doc, &r, xml, len, err, errlen);
	if (rc < 0)
		return rc;
	if (gba_xml_is(r, GBA_ZN_NS, ZN_RSP)) {
		rc = parse_answer(a, r, err, errlen);
		if (rc < 0)
			gba_zn_answer_clear(a);
		else
			rc = GBA_ZN_ANSWER;
	} else if (gba_xml_is(r, GBA_SOAP11_NS, "Fault")) {
		rc = parse_fault(f, r, err, errlen);
		if (rc < 0)
			memset(f, 0, sizeof(*f));
		else
			rc = GBA_ZN_FAULT;
	} else {
		gba_xml_err(err, errlen, "Body holds neither {%s}%s nor a SOAP Fault",
			    GBA_ZN_NS, ZN_RSP);
		rc = -EINVAL;
	}
	xmlFreeDoc(doc);
	return rc;
}

int gba_zn_answer_parse(struct gba_zn_answer *a, const char *xml, size_t len,
			char *err, size_t errlen)
{
	struct gba_zn_fault f;
	int rc = gba_zn_response_parse(a, &f, xml, len, err, errlen);

	if (rc == GBA_ZN_FAULT) {
		gba_xml_err(err, errlen, "SOAP fault %u: %s", f.code, f.reason);
		return -EINVAL;
	}
	return rc;
}

int gba_zn_fault_parse(struct gba_zn_fault *f, const char *xml, size_t len,
		       char *err, size_t errlen)
{
	struct gba_zn_answer a;
	int rc = gba_zn_response_parse(&a, f, xml, len, err, errlen);

	if (rc == GBA_ZN_ANSWER) {
		gba_zn_answer_clear(&a);
		gba_xml_err(err, errlen, "an answer, not a fault");
		return -EINVAL;
	}
	return rc < 0 ? rc : 0;
}
