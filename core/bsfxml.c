/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * BootstrappingInfo, the body of the Ub 200 OK (TS 24.109 Annex C.1): built and
 * parsed with libxml2 through the hardened helpers of core/xml.c. The built body
 * has the XML declaration and one element per line without indentation, exactly
 * as in gba-spec-notes.md 3.5 (the rspauth vector hashes that body). The parser
 * takes btid and lifetime in any order, ignores an optional Extension and
 * elements of other namespaces (the schema's xs:any ##other), tolerates comments
 * and processing instructions, and refuses everything else.
 */
#include "config.h"

#include <errno.h>
#include <string.h>

#include <libxml/tree.h>

#include <gba/bsfxml.h>
#include <gba/identity.h>
#include <gba/xmlutil.h>

int gba_bootinfo_build(char **out, size_t *outlen, const struct gba_bootinfo *bi)
{
	char lifetime[GBA_DATETIME_LEN + 1];
	xmlNodePtr root;
	xmlDocPtr doc;
	xmlNsPtr ns;
	int rc;

	*out = NULL;
	if (!bi || memchr(bi->btid, '\0', sizeof(bi->btid)) == NULL ||
	    gba_btid_parse(bi->btid, NULL, NULL) < 0)
		return -EINVAL;
	rc = gba_datetime_format(lifetime, sizeof(lifetime), bi->lifetime);
	if (rc < 0)
		return -EINVAL;
	root = gba_xml_new_root(&doc, GBA_BSF_XML_NS, NULL, "BootstrappingInfo", &ns);
	if (!root)
		return -ENOMEM;
	rc = -ENOMEM;
	if (!gba_xml_add(root, ns, "btid", bi->btid) ||
	    !gba_xml_add(root, ns, "lifetime", lifetime) || gba_xml_add_nl(root) < 0)
		goto out;
	rc = gba_xml_dump(doc, out, outlen);
out:
	xmlFreeDoc(doc);
	return rc;
}

int gba_bootinfo_parse(struct gba_bootinfo *bi, const char *xml, size_t len,
		       char *err, size_t errlen)
{
	struct gba_xml_field f[] = {
		GBA_XML_FIELD("btid", 1, 1),
		GBA_XML_FIELD("lifetime", 1, 1),
		GBA_XML_FIELD("Extension", 0, 1),
	};
	xmlNodePtr root;
	xmlDocPtr doc;
	int rc;

	memset(bi, 0, sizeof(*bi));
	rc = gba_xml_parse(&doc, xml, len, err, errlen);
	if (rc < 0)
		return rc;
	rc = -EINVAL;
	root = xmlDocGetRootElement(doc);
	if (!gba_xml_is(root, GBA_BSF_XML_NS, "BootstrappingInfo")) {
		gba_xml_err(err, errlen, "root is not {%s}BootstrappingInfo", GBA_BSF_XML_NS);
		goto out;
	}
	if (gba_xml_children(root, GBA_BSF_XML_NS, f, 3, 1, err, errlen) < 0)
		goto out;
	if (gba_xml_btid(f[0].node, bi->btid, sizeof(bi->btid), err, errlen) < 0 ||
	    gba_xml_datetime(f[1].node, "lifetime", &bi->lifetime, err, errlen) < 0)
		goto out;
	rc = 0;
out:
	xmlFreeDoc(doc);
	if (rc < 0)
		memset(bi, 0, sizeof(*bi));
	return rc;
}
