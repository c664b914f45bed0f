/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The Zn server over Diameter (TS 29.109 6.1.3/6.1.4, application 16777220): a handler for
 * Bootstrapping-Info-Request (310) on the process's freeDiameter core (diameter/dia.h), which
 * answers only the peers the ACL names by diameter_host, only for their FQDNs, with the lookup
 * of zn.c. The decoder and the answer builder are separate for the fuzz target.
 */
#ifndef BSF_ZN_DIA_H
#define BSF_ZN_DIA_H

#include <stddef.h>

#include "dia.h"
#include "zn.h"

/*
 * Start (or join: same configuration as --zh diameter:) the freeDiameter core from
 * cfg->zn_diameter, advertise Zn and register the BIR handler. 0, or a negative errno of
 * gba_dia_start() (-EINVAL bad or different configuration, -EALREADY, -EIO).
 */
int zn_dia_start(struct bsf *bsf);

/* Unregister the handler and drop the core reference (NULL-safe: nothing when not started). */
void zn_dia_stop(void);

/*
 * A BIR (already dictionary-parsed, as freeDiameter delivers it) into 'q' and the NAF's
 * Origin-Host into 'origin' (256 bytes). 0; -EINVAL when an AVP is missing, of a bad size or
 * value (B-TID not 1..GBA_BTID_MAX printable octets, NAF-Id without FQDN or too long, a GSID
 * that is not a decimal number, more than GBA_ZN_GSID_MAX GSIDs, GBA_U-Awareness-Indicator
 * not 0/1); *why then names the problem.
 */
int zn_dia_bir_decode(struct msg *m, struct gba_zn_request *q, char origin[256],
		      const char **why);

/*
 * Turn request *req into its BIA for 'res': on ZN_R_OK Result-Code 2001, User-Name,
 * ME-Key-Material, UICC-Key-Material (if any), Key-ExpiryTime, BootstrapInfoCreationTime,
 * GBA-Type and UICC-ME; otherwise Experimental-Result 5402/5403 or Result-Code 5004 (malformed)
 * / 5012. 0, or a negative errno (*req may then hold a partial answer: free it).
 */
int zn_dia_bia_build(struct msg **req, const struct zn_result *res);

#endif /* BSF_ZN_DIA_H */
