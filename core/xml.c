/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Hardened libxml2 helpers for the XML codecs of core/: one-time set-up with
 * wiping allocator hooks, safe parsing of untrusted bodies (no DTD, no entity
 * declarations, no network, size limit, errors captured instead of printed),
 * namespace-aware child checks, leaf text and serialisation. See <gba/xmlutil.h>.
 * libxml2 2.9 has no XML_PARSE_NO_XXE: the DOCTYPE is refused from the SAX
 * internalSubset callback, which stops the parser before any declaration is read.
 */
#include "config.h"

#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>

#include <gba/bsfxml.h>
#include <gba/identity.h>
#include <gba/keys.h>
#include <gba/xmlutil.h>

static pthread_once_t xml_once = PTHREAD_ONCE_INIT;

static char *plain_strdup(const char *s)
{
	return strdup(s);
}

static void xml_init_once(void)
{
	/* every block libxml2 frees is wiped first: parsed and serialised key text passes there */
	xmlMemSetup(gba_free_wipe, malloc, gba_realloc_wipe, plain_strdup);
	xmlInitParser();
}

void gba_xml_init(void)
{
	pthread_once(&xml_once, xml_init_once);
}

void gba_xml_err(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (!err || !errlen)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

struct parse_state {
	int dtd;
	char msg[128];
};

static void on_doctype(void *ctx, const xmlChar *name, const xmlChar *ext, const xmlChar *sys)
{
	xmlParserCtxtPtr ctxt = ctx;
	struct parse_state *st = ctxt->_private;

	(void)name;
	(void)ext;
	(void)sys;
	st->dtd = 1;
	xmlStopParser(ctxt);
}

/* Structured error handler: keeps the first message, prints nothing. */
static void on_error(void *ctx, xmlErrorPtr e)
{
	xmlParserCtxtPtr ctxt = ctx;
	struct parse_state *st = ctxt ? ctxt->_private : NULL;
	size_t n;

	if (!st || st->msg[0] || !e || !e->message)
		return;
	snprintf(st->msg, sizeof(st->msg), "line %d: %s", e->line, e->message);
	n = strlen(st->msg);
	if (n && st->msg[n - 1] == '\n')
		st->msg[n - 1] = '\0';
}

int gba_xml_parse(xmlDocPtr *doc, const char *xml, size_t len, char *err, size_t errlen)
{
	struct parse_state st = { 0 };
	xmlParserCtxtPtr ctxt;
	xmlDocPtr d;
	int rc = 0;

	*doc = NULL;
	gba_xml_init();
	if (len > GBA_XML_MAX) {
		gba_xml_err(err, errlen, "body of %zu bytes exceeds %d", len, GBA_XML_MAX);
		return -E2BIG;
	}
	if (!xml || len == 0) {
		gba_xml_err(err, errlen, "empty body");
		return -EINVAL;
	}
	if (memchr(xml, '\0', len)) {
		gba_xml_err(err, errlen, "NUL byte in body");
		return -EINVAL;
	}
	/*
	 * libxml2 2.9 checks an element's attributes for duplicates pairwise, O(n^2): 7000
	 * attributes in 64 KB cost ~300 ms of CPU. Every attribute has an '=', our documents
	 * have a handful (namespace declarations, base64 padding): bound them before parsing.
	 */
	{
		size_t eq = 0;

		for (size_t i = 0; i < len; i++)
			eq += xml[i] == '=';
		if (eq > GBA_XML_EQ_MAX) {
			gba_xml_err(err, errlen, "more than %d '=' (attributes)", GBA_XML_EQ_MAX);
			return -EINVAL;
		}
	}
	ctxt = xmlCreateMemoryParserCtxt(xml, (int)len);
	if (!ctxt)
		return -ENOMEM;
	ctxt->_private = &st;
	ctxt->sax->internalSubset = on_doctype;
	ctxt->sax->externalSubset = NULL;
	ctxt->sax->serror = on_error;
	/* no NOENT, DTDLOAD, DTDATTR, XINCLUDE or HUGE: entities stay unexpanded, limits stay on */
	xmlCtxtUseOptions(ctxt, XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	xmlParseDocument(ctxt);
	d = ctxt->myDoc;
	ctxt->myDoc = NULL;
	if (st.dtd || (d && (d->intSubset || d->extSubset))) {
		gba_xml_err(err, errlen, "DOCTYPE not allowed");
		rc = -EINVAL;
	} else if (!ctxt->wellFormed || !d || !xmlDocGetRootElement(d)) {
		if (ctxt->errNo == XML_ERR_NO_MEMORY) {
			rc = -ENOMEM;
		} else {
			gba_xml_err(err, errlen, "not well-formed: %s",
				    st.msg[0] ? st.msg : "parse error");
			rc = -EINVAL;
		}
	}
	xmlFreeParserCtxt(ctxt);
	if (rc < 0) {
		xmlFreeDoc(d);
		return rc;
	}
	*doc = d;
	return 0;
}

int gba_xml_is(const xmlNode *node, const char *ns, const char *name)
{
	if (!node || node->type != XML_ELEMENT_NODE || !xmlStrEqual(node->name, BAD_CAST name))
		return 0;
	if (!ns)
		return node->ns == NULL;
	return node->ns && xmlStrEqual(node->ns->href, BAD_CAST ns);
}

static int in_ns(const xmlNode *node, const char *ns)
{
	if (!ns)
		return node->ns == NULL;
	return node->ns && xmlStrEqual(node->ns->href, BAD_CAST ns);
}

static int blank(const xmlChar *s)
{
	for (; s && *s; s++)
		if (!IS_BLANK_CH(*s))
			return 0;
	return 1;
}

/* Text, CDATA, comments and PIs are the only non-element children we tolerate. */
static int check_other(const xmlNode *c, const xmlNode *parent, char *err, size_t errlen)
{
	switch (c->type) {
	case XML_TEXT_NODE:
	case XML_CDATA_SECTION_NODE:
		if (blank(c->content))
			return 0;
		gba_xml_err(err, errlen, "unexpected text in <%.40s>", (const char *)parent->name);
		return -EINVAL;
	case XML_COMMENT_NODE:
	case XML_PI_NODE:
		return 0;
	default:
		gba_xml_err(err, errlen, "unexpected node in <%.40s>", (const char *)parent->name);
		return -EINVAL;
	}
}

int gba_xml_children(const xmlNode *parent, const char *ns, struct gba_xml_field *f, size_t nf,
		     int other_ok, char *err, size_t errlen)
{
	const xmlNode *c;
	size_t i;

	for (i = 0; i < nf; i++) {
		f[i].count = 0;
		f[i].node = NULL;
	}
	for (c = parent->children; c; c = c->next) {
		if (c->type != XML_ELEMENT_NODE) {
			if (check_other(c, parent, err, errlen) < 0)
				return -EINVAL;
			continue;
		}
		if (!in_ns(c, ns)) {
			if (other_ok)
				continue;
			gba_xml_err(err, errlen, "foreign element <%.40s> in <%.40s>",
				    (const char *)c->name, (const char *)parent->name);
			return -EINVAL;
		}
		for (i = 0; i < nf; i++)
			if (xmlStrEqual(c->name, BAD_CAST f[i].name))
				break;
		if (i == nf) {
			gba_xml_err(err, errlen, "unexpected element <%.40s> in <%.40s>",
				    (const char *)c->name, (const char *)parent->name);
			return -EINVAL;
		}
		if (++f[i].count > f[i].max) {
			gba_xml_err(err, errlen, "too many <%s> in <%.40s>", f[i].name,
				    (const char *)parent->name);
			return -EINVAL;
		}
		if (!f[i].node)
			f[i].node = (xmlNodePtr)c;
	}
	for (i = 0; i < nf; i++) {
		if (f[i].count < f[i].min) {
			gba_xml_err(err, errlen, "missing <%s> in <%.40s>", f[i].name,
				    (const char *)parent->name);
			return -EINVAL;
		}
	}
	return 0;
}

int gba_xml_only_child(const xmlNode *parent, xmlNodePtr *child, char *err, size_t errlen)
{
	const xmlNode *c;

	*child = NULL;
	for (c = parent->children; c; c = c->next) {
		if (c->type != XML_ELEMENT_NODE) {
			if (check_other(c, parent, err, errlen) < 0)
				return -EINVAL;
			continue;
		}
		if (*child) {
			gba_xml_err(err, errlen, "more than one element in <%.40s>",
				    (const char *)parent->name);
			*child = NULL;
			return -EINVAL;
		}
		*child = (xmlNodePtr)c;
	}
	if (!*child) {
		gba_xml_err(err, errlen, "empty <%.40s>", (const char *)parent->name);
		return -EINVAL;
	}
	return 0;
}

int gba_xml_text(const xmlNode *node, char *out, size_t outlen, int collapse)
{
	const xmlNode *c;
	size_t n = 0, start = 0;
	const xmlChar *s;

	if (!outlen)
		return -E2BIG;
	for (c = node->children; c; c = c->next) {
		if (c->type == XML_COMMENT_NODE || c->type == XML_PI_NODE)
			continue;
		if (c->type != XML_TEXT_NODE && c->type != XML_CDATA_SECTION_NODE) {
			gba_zeroize(out, n);
			out[0] = '\0';
			return -EINVAL;
		}
		for (s = c->content; s && *s; s++) {
			if (collapse && IS_BLANK_CH(*s))
				continue;
			if (n + 1 >= outlen) {
				gba_zeroize(out, n);
				out[0] = '\0';
				return -E2BIG;
			}
			out[n++] = (char)*s;
		}
	}
	while (n && IS_BLANK_CH(out[n - 1]))
		n--;
	while (start < n && IS_BLANK_CH(out[start]))
		start++;
	if (start) {
		memmove(out, out + start, n - start);
		gba_zeroize(out + n - start, start);
		n -= start;
	}
	out[n] = '\0';
	return (int)n;
}

int gba_xml_btid(const xmlNode *node, char *out, size_t outlen, char *err, size_t errlen)
{
	if (gba_xml_text(node, out, outlen, 0) < 0 || gba_btid_parse(out, NULL, NULL) < 0) {
		gba_xml_err(err, errlen, "btid is not base64(RAND)@domain");
		return -EINVAL;
	}
	return 0;
}

int gba_xml_datetime(const xmlNode *node, const char *what, time_t *t, char *err, size_t errlen)
{
	char s[64];

	if (gba_xml_text(node, s, sizeof(s), 0) < 0 || gba_datetime_parse(s, t) < 0) {
		gba_xml_err(err, errlen, "%s is not an xs:dateTime with a time zone", what);
		return -EINVAL;
	}
	return 0;
}

xmlNodePtr gba_xml_new_root(xmlDocPtr *doc, const char *href, const char *prefix,
			    const char *name, xmlNsPtr *ns)
{
	xmlNodePtr root;

	gba_xml_init();
	*doc = xmlNewDoc(BAD_CAST "1.0");
	if (!*doc)
		return NULL;
	root = xmlNewDocNode(*doc, NULL, BAD_CAST name, NULL);
	if (!root)
		goto fail;
	xmlDocSetRootElement(*doc, root);
	*ns = xmlNewNs(root, BAD_CAST href, BAD_CAST prefix);
	if (!*ns)
		goto fail;
	xmlSetNs(root, *ns);
	return root;
fail:
	xmlFreeDoc(*doc);
	*doc = NULL;
	return NULL;
}

int gba_xml_add_nl(xmlNodePtr parent)
{
	xmlNodePtr t = xmlNewDocText(parent->doc, BAD_CAST "\n");

	if (!t)
		return -ENOMEM;
	if (!xmlAddChild(parent, t)) {
		xmlFreeNode(t);
		return -ENOMEM;
	}
	return 0;
}

xmlNodePtr gba_xml_add(xmlNodePtr parent, xmlNsPtr ns, const char *name, const char *text)
{
	xmlNodePtr e, t = NULL;

	/* not xmlNewTextChild(): with ns NULL it would inherit the parent's namespace */
	if (gba_xml_add_nl(parent) < 0)
		return NULL;
	e = xmlNewDocNode(parent->doc, ns, BAD_CAST name, NULL);
	if (!e)
		return NULL;
	if (text && text[0]) {
		t = xmlNewDocText(parent->doc, BAD_CAST text);	/* escaped when written */
		if (!t || !xmlAddChild(e, t)) {
			xmlFreeNode(t);
			xmlFreeNode(e);
			return NULL;
		}
	}
	if (!xmlAddChild(parent, e)) {
		xmlFreeNode(e);
		return NULL;
	}
	return e;
}

int gba_xml_dump(const xmlDoc *doc, char **out, size_t *outlen)
{
	xmlChar *mem = NULL;
	int size = 0;
	char *copy;

	*out = NULL;
	xmlDocDumpFormatMemoryEnc((xmlDocPtr)doc, &mem, &size, "UTF-8", 0);
	if (!mem || size <= 0) {
		xmlFree(mem);
		return -ENOMEM;
	}
	copy = malloc((size_t)size + 1);
	if (copy) {
		memcpy(copy, mem, (size_t)size);
		copy[size] = '\0';
	}
	gba_zeroize(mem, (size_t)size);
	xmlFree(mem);
	if (!copy)
		return -ENOMEM;
	*out = copy;
	if (outlen)
		*outlen = (size_t)size;
	return 0;
}
