/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * BootstrappingInfo (TS 24.109 Annex C.1, application/vnd.3gpp.bsf+xml,
 * namespace uri:3gpp-gba), built and parsed with libxml2: no DTD, no
 * external entities, no network, size-limited.
 *
 * libxml2 is set up on first use through pthread_once (gba_xml_init() in
 * <gba/xmlutil.h>, which threaded programs may also call at start-up); its freed
 * blocks are wiped. Never call xmlCleanupParser() while gbakit codecs may run.
 */
#ifndef GBA_BSFXML_H
#define GBA_BSFXML_H

#include <stddef.h>
#include <time.h>

#include <gba/identity.h>

#define GBA_BSF_XML_MEDIA_TYPE	"application/vnd.3gpp.bsf+xml"
#define GBA_BSF_XML_NS		"uri:3gpp-gba"
#define GBA_XML_MAX		65536	/* largest XML body accepted anywhere */

struct gba_bootinfo {
	char btid[GBA_BTID_MAX + 1];
	time_t lifetime;		/* absolute, UTC */
};

/*
 * Build the 200 OK body (XML declaration, one element per line, no indentation: the
 * 219-byte body of gba-spec-notes.md 3.5). *out is malloc()ed and NUL-terminated, the
 * caller frees it. 0; -EINVAL for a bad B-TID or a lifetime outside 1970..9999; -ENOMEM.
 */
int gba_bootinfo_build(char **out, size_t *outlen, const struct gba_bootinfo *bi);

/*
 * Parse a body. 0; -E2BIG over GBA_XML_MAX; -EINVAL for anything else wrong
 * (not well-formed, DTD/entities present, wrong root or namespace, missing or
 * duplicate btid/lifetime, bad dateTime). 'err' (may be NULL) receives a reason.
 */
int gba_bootinfo_parse(struct gba_bootinfo *bi, const char *xml, size_t len,
		       char *err, size_t errlen);

#endif /* GBA_BSFXML_H */
