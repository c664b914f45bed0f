/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Zh over Diameter (TS 29.109 6.1.1/6.1.2, bsf/zh_dia.c): Multimedia-Auth-Request to the HSS
 * through the process's freeDiameter core (diameter/dia.h), the answer turned into a
 * zh_result (zh.h).
 */
#ifndef BSF_ZH_DIA_H
#define BSF_ZH_DIA_H

#include <stdbool.h>

#include "zh.h"

struct msg;

/*
 * Zh over Diameter. 'spec' is "FDCONF[,DEST-REALM[,DEST-HOST]]": the freeDiameter
 * configuration file (doc/diameter.md), the HSS realm (default: our own realm) and
 * optionally the HSS identity. Starts (or shares) the Diameter core and waits up to 2 s for
 * its peers; an HSS that is down is not an error (requests fail with -EAGAIN until it is
 * up). 0 with *out set; -EINVAL bad spec or configuration; the errno of gba_dia_start().
 */
int zh_dia_open(struct zh **out, const char *spec);

/*
 * Turn a Multimedia-Auth-Answer into 'res' (rc and, on success, the vector and the GUSS
 * essentials). 'resync' tells whether the request carried RAND || AUTS. res->rc: 0;
 * -ENOENT user unknown (5001); -EBADMSG resync refused (5003 on a resync); -EAGAIN
 * unable to deliver / too busy / transient; -EIO anything else (malformed answer,
 * scheme not supported, bad GUSS). The caller owns and frees 'ans'.
 */
void zh_dia_maa_parse(struct msg *ans, bool resync, struct zh_result *res);

#endif /* BSF_ZH_DIA_H */
