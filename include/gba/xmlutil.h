/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Hardened libxml2 helpers shared by the XML codecs of core/ (bsfxml.c, zn_soap.c):
 * one-time library set-up, safe parsing of untrusted bodies (size limit, no DTD,
 * no entities, no network, errors captured instead of printed), namespace-aware
 * child lookup with occurrence checks, leaf text extraction and serialisation.
 * Private to core/; needs the libxml2 include flags.
 */
#ifndef GBA_XMLUTIL_H
#define GBA_XMLUTIL_H

#include <stddef.h>
#include <time.h>

#include <libxml/tree.h>

/*
 * Set libxml2 up once per process (pthread_once; every helper below calls it, so
 * programs need not, but a threaded program may call it at start-up). It installs
 * allocator hooks that wipe every block libxml2 frees, so key text that passed
 * through the parser or serialiser does not linger in freed heap memory, and calls
 * xmlInitParser().
 */
void gba_xml_init(void);

#define GBA_XML_EQ_MAX	256	/* '=' characters in a body to parse (attributes, base64) */

/*
 * Parse an untrusted body into *doc (free with xmlFreeDoc). 0; -E2BIG over GBA_XML_MAX;
 * -EINVAL when not well-formed, containing NUL bytes, more than GBA_XML_EQ_MAX '='
 * (attributes: libxml2's duplicate check is quadratic) or a DOCTYPE (internal or external
 * subset; parsing stops at the DOCTYPE, so entity declarations are never processed);
 * -ENOMEM. 'err' (may be NULL) receives a reason.
 */
int gba_xml_parse(xmlDocPtr *doc, const char *xml, size_t len, char *err, size_t errlen);

/* True if 'node' is an element named 'name' in namespace 'ns' (NULL: no namespace). */
int gba_xml_is(const xmlNode *node, const char *ns, const char *name);

/* One expected child element of a parent: name in the parent's check namespace. */
struct gba_xml_field {
	const char *name;
	unsigned int min, max;		/* occurrences allowed */
	unsigned int count;		/* out */
	xmlNodePtr node;		/* out: first occurrence or NULL */
};
#define GBA_XML_FIELD(n, lo, hi)	{ .name = (n), .min = (lo), .max = (hi) }

/*
 * Check the element children of 'parent' against 'f' (all in namespace 'ns').
 * Children in 'ns' not listed, or any child in another namespace when 'other_ok'
 * is 0, are errors; comments and processing instructions are ignored; text other
 * than white space is an error. 0 or -EINVAL with a reason in 'err'.
 */
int gba_xml_children(const xmlNode *parent, const char *ns, struct gba_xml_field *f, size_t nf,
		     int other_ok, char *err, size_t errlen);

/*
 * Copy the text of a leaf element into 'out' (NUL-terminated), with leading and
 * trailing XML white space removed; 'collapse' also removes inner white space
 * (for xs:base64Binary). No intermediate copies are made. Length; -EINVAL when the
 * element has element children; -E2BIG when it does not fit.
 */
int gba_xml_text(const xmlNode *node, char *out, size_t outlen, int collapse);

/* Leaf element holding a B-TID (checked with gba_btid_parse()) into 'out'. 0 or -EINVAL. */
int gba_xml_btid(const xmlNode *node, char *out, size_t outlen, char *err, size_t errlen);

/* Leaf element holding an xs:dateTime with a time zone ('what' names it in 'err'). 0 or -EINVAL. */
int gba_xml_datetime(const xmlNode *node, const char *what, time_t *t, char *err, size_t errlen);

/*
 * Exactly one element child of 'parent' (any namespace) into *child; comments and
 * processing instructions ignored, text other than white space refused. 0 or -EINVAL.
 */
int gba_xml_only_child(const xmlNode *parent, xmlNodePtr *child, char *err, size_t errlen);

/* New document whose root element 'name' declares namespace 'href' with 'prefix' (NULL:
 * default namespace). *ns receives the namespace. The root, or NULL when out of memory. */
xmlNodePtr gba_xml_new_root(xmlDocPtr *doc, const char *href, const char *prefix,
			    const char *name, xmlNsPtr *ns);

/* Append a new line, then <name>text</name> (escaped; text NULL: empty element to fill)
 * in namespace 'ns' under 'parent'. The new element, or NULL when out of memory. */
xmlNodePtr gba_xml_add(xmlNodePtr parent, xmlNsPtr ns, const char *name, const char *text);

/* Append a new line (before a closing tag). 0 or -ENOMEM. */
int gba_xml_add_nl(xmlNodePtr parent);

/*
 * Serialise 'doc' as UTF-8 with the XML declaration and no added indentation into a
 * malloc()ed, NUL-terminated copy. 0 or -ENOMEM.
 */
int gba_xml_dump(const xmlDoc *doc, char **out, size_t *outlen);

/* Format the reason for 'err' (NULL allowed). */
void gba_xml_err(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif /* GBA_XMLUTIL_H */
