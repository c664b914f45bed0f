/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The GBA User Security Settings (GUSS) XML of the Zh GBA-UserSecSettings AVP (TS 29.109
 * Annex A, namespace "uri:3gpp-gaa"): what the BSF needs from it (bsfInfo/uiccType and
 * bsfInfo/lifeTime), read leniently (any namespace, unknown elements skipped, as later
 * releases add some), and a minimal GUSS built for the test HSS. Parsing goes through the
 * hardened libxml2 helpers of core/ (no DTD, no entities, size limit).
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/tree.h>

#include <gba/xmlutil.h>

#include "dia.h"

#define GUSS_NS		"uri:3gpp-gaa"
#define LIFETIME_MAX	(10U * 365 * 24 * 3600)

/* First element child of 'parent' named 'name' in the namespace of 'parent'. */
static xmlNodePtr child(const xmlNode *parent, const char *name)
{
	const char *ns = parent->ns ? (const char *)parent->ns->href : NULL;

	for (xmlNodePtr c = parent->children; c; c = c->next)
		if (gba_xml_is(c, ns, name))
			return c;
	return NULL;
}

int gba_guss_parse(const uint8_t *xml, size_t len, struct gba_guss *out, char *err,
		   size_t errlen)
{
	xmlDocPtr doc = NULL;
	xmlNodePtr root, info, n;
	char text[32];
	int rc;

	memset(out, 0, sizeof(*out));
	rc = gba_xml_parse(&doc, (const char *)xml, len, err, errlen);
	if (rc)
		return rc;
	rc = -EINVAL;
	root = xmlDocGetRootElement(doc);
	if (!root || !xmlStrEqual(root->name, BAD_CAST "guss")) {
		gba_xml_err(err, errlen, "root element is not <guss>");
		goto out;
	}
	info = child(root, "bsfInfo");
	if (info && (n = child(info, "uiccType"))) {
		if (gba_xml_text(n, text, sizeof(text), 0) < 0 ||
		    (strcmp(text, "GBA") && strcmp(text, "GBA_U"))) {
			gba_xml_err(err, errlen, "bad <uiccType>");
			goto out;
		}
		out->gba_u = !strcmp(text, "GBA_U");
	}
	if (info && (n = child(info, "lifeTime"))) {
		char *end;
		unsigned long v;

		if (gba_xml_text(n, text, sizeof(text), 0) < 0 || text[0] < '0' || text[0] > '9' ||
		    (errno = 0, v = strtoul(text, &end, 10), errno) || *end || !v ||
		    v > LIFETIME_MAX) {
			gba_xml_err(err, errlen, "bad <lifeTime>");
			goto out;
		}
		out->key_lifetime = (unsigned int)v;
	}
	rc = 0;
out:
	xmlFreeDoc(doc);
	return rc;
}

int gba_guss_build(const char *impi, const struct gba_guss *g, char **xml, size_t *len)
{
	xmlDocPtr doc = NULL;
	xmlNsPtr ns;
	xmlNodePtr root, info;
	char lt[16];
	int rc = -ENOMEM;

	root = gba_xml_new_root(&doc, GUSS_NS, NULL, "guss", &ns);
	if (!root || !xmlNewProp(root, BAD_CAST "id", BAD_CAST impi) || gba_xml_add_nl(root))
		goto out;
	info = gba_xml_add(root, ns, "bsfInfo", NULL);
	if (!info || !gba_xml_add(info, ns, "uiccType", g->gba_u ? "GBA_U" : "GBA"))
		goto out;
	if (g->key_lifetime) {
		snprintf(lt, sizeof(lt), "%u", g->key_lifetime);
		if (!gba_xml_add(info, ns, "lifeTime", lt))
			goto out;
	}
	if (gba_xml_add_nl(info) || gba_xml_add_nl(root))
		goto out;
	rc = gba_xml_dump(doc, xml, len);
out:
	xmlFreeDoc(doc);
	return rc;
}
