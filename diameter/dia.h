/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * gbakit's Diameter base (libgbadia, a convenience library over freeDiameter's libfdcore):
 * one freeDiameter core per process, started from a freeDiameter configuration file
 * (doc/diameter.md), the TS 29.109 Zh/Zn and TS 29.229 Cx dictionary objects that Debian's
 * freeDiameter 1.2.1 lacks (defined at start-up, reused when an extension already has them),
 * and small AVP helpers shared by the Zh client/test HSS and the Zn client/server.
 *
 * Usage (any component):
 *   gba_dia_start(conf, GBA_DIA_ZH, 2000)      core + dictionary + peers (or one more ref)
 *   fd_disp_register(...)                       servers: a handler per command (gba_dia_dict.*)
 *   gba_dia_request(&m, gba_dia_dict.cmd_mar, GBA_DIA_APP_ZH, realm, host) + AVPs,
 *   fd_msg_send_timeout(&m, answer_cb, arg, expire_cb, &deadline)
 *   in answer_cb: gba_dia_result(), gba_dia_get_os(), ...; fd_msg_free()
 *   gba_dia_stop()                              drops the reference, the last one shuts down
 * freeDiameter's log goes through GLOGP(GBA_LC_DIA, ...); its message dumps (which would show
 * CK, IK or NAF keys) are replaced by one summary line without AVP values.
 * libfdcore can be initialised once per process only: after the last gba_dia_stop() the
 * core cannot be started again (-EALREADY).
 */
#ifndef GBA_DIAMETER_DIA_H
#define GBA_DIAMETER_DIA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

/* freeDiameter-host.h must come first (feature macros for libfdproto.h) */
#include <freeDiameter/freeDiameter-host.h>
#include <freeDiameter/libfdcore.h>

#define GBA_DIA_VENDOR_3GPP	10415
#define GBA_DIA_APP_ZN		16777220	/* TS 29.109 Zn */
#define GBA_DIA_APP_ZH		16777221	/* TS 29.109 Zh */
#define GBA_DIA_CMD_MA		303		/* Multimedia-Auth-Request/Answer (Zh, Cx) */
#define GBA_DIA_CMD_BI		310		/* Bootstrapping-Info-Request/Answer (Zn) */

/* Applications to advertise in the CER (gba_dia_start 'apps'). */
#define GBA_DIA_ZH		0x1
#define GBA_DIA_ZN		0x2

/* Result codes (RFC 6733 Result-Code; TS 29.229 / 29.109 Experimental-Result-Code). */
#define GBA_DIA_SUCCESS			2001
#define GBA_DIA_UNABLE_TO_DELIVER	3002
#define GBA_DIA_TOO_BUSY		3004
#define GBA_DIA_UNABLE_TO_COMPLY	5012
#define GBA_DIA_ERROR_USER_UNKNOWN	5001	/* 29.229 Cx, used on Zh */
#define GBA_DIA_ERROR_AUTH_SCHEME	5006	/* 29.229 AUTH_SCHEME_NOT_SUPPORTED */
#define GBA_DIA_ERROR_IMPI_UNKNOWN	5401	/* 29.109 Zn */
#define GBA_DIA_ERROR_NOT_AUTHORIZED	5402
#define GBA_DIA_ERROR_BTID_INVALID	5403	/* TRANSACTION_IDENTIFIER_INVALID */

/* The SIP-Authentication-Scheme of GBA (TS 29.109 6.3.1, 24.109). */
#define GBA_DIA_SCHEME_AKA	"Digest-AKAv1-MD5"

/*
 * Dictionary objects, resolved by gba_dia_dict_init(). Base protocol objects come from
 * libfdcore's own dictionary; the rest are the 3GPP (vendor 10415) ones.
 */
struct gba_dia_dict {
	struct dict_object *vendor, *app_zh, *app_zn;
	struct dict_object *cmd_mar, *cmd_maa, *cmd_bir, *cmd_bia;
	/* RFC 6733 */
	struct dict_object *session_id, *origin_host, *origin_realm, *dest_host, *dest_realm;
	struct dict_object *user_name, *vsai, *vendor_id, *auth_app_id, *auth_session_state;
	struct dict_object *result_code, *exp_result, *exp_result_code;
	/* TS 29.109 */
	struct dict_object *guss, *btid, *naf_id, *gsid, *key_expiry, *me_key, *uicc_key;
	struct dict_object *gba_u_aware, *boot_time, *guss_ts, *gba_type, *ue_id, *ue_id_type;
	struct dict_object *uicc_app_label, *uicc_me, *req_key_lifetime, *priv_id_req;
	struct dict_object *push_info, *naf_sa_id, *sec_feat_req, *sec_feat_resp;
	/* TS 29.229 (Cx AVPs reused on Zh) */
	struct dict_object *public_identity, *server_name, *sip_num_items, *sip_auth_scheme;
	struct dict_object *sip_authenticate, *sip_authorization, *sip_auth_context;
	struct dict_object *sip_auth_data_item, *sip_item_number, *ck, *ik;
};

extern struct gba_dia_dict gba_dia_dict;

/*
 * Define (where missing) and resolve every object of gba_dia_dict in freeDiameter's
 * dictionary, with the command rules of MAR/MAA and BIR/BIA. Needs fd_core_initialize();
 * idempotent. 0, or -EINVAL when an existing definition conflicts, -ENOMEM.
 */
int gba_dia_dict_init(void);

/*
 * Start the process's freeDiameter core from 'conf_path' (fd_core_initialize, parseconf,
 * gba_dia_dict_init, advertise 'apps' (GBA_DIA_ZH | GBA_DIA_ZN), fd_core_start) and wait up
 * to 'wait_ms' for every configured peer to be open; a later call with the same path takes
 * one more reference and adds 'apps' (to later CERs). Peers that do not come up are not an
 * error (freeDiameter keeps retrying). Returns 0; -ENOENT/-EACCES unreadable file; -EINVAL
 * bad configuration or another path than the running core's; -EALREADY the core was stopped
 * (or failed to start) in this process; -EIO.
 */
int gba_dia_start(const char *conf_path, unsigned int apps, unsigned int wait_ms);

/* Drop one reference; the last one shuts the core down (waits for its threads). */
void gba_dia_stop(void);

/* Number of peers in state OPEN that advertised application 'app' (0 when not started). */
unsigned int gba_dia_peers_open(uint32_t app);

/* Our own Diameter identity and realm (NULL when not started). */
const char *gba_dia_identity(void);
const char *gba_dia_realm(void);

/*
 * A new request of command 'cmd' for application 'app' with Session-Id, Origin-Host/Realm,
 * Vendor-Specific-Application-Id {10415, app}, Auth-Session-State NO_STATE_MAINTAINED,
 * Destination-Realm 'realm' (NULL: ours) and Destination-Host 'host' (NULL: none).
 * 0 with *out set, -ENOMEM / -EINVAL.
 */
int gba_dia_request(struct msg **out, struct dict_object *cmd, uint32_t app, const char *realm,
		    const char *host);

/*
 * Turn request *req into its answer (the request stays attached), with Origin-Host/Realm,
 * Vendor-Specific-Application-Id {10415, app}, Auth-Session-State and the result: 'code'
 * as Result-Code, or as Experimental-Result {10415, code} when 'experimental'. 0 or -errno.
 */
int gba_dia_answer(struct msg **req, uint32_t app, uint32_t code, bool experimental);

/* Append an OctetString/UTF8String AVP of 'model' to 'parent' (msg or grouped avp). 0/-errno. */
int gba_dia_add_os(void *parent, struct dict_object *model, const void *data, size_t len);
/* Same for Unsigned32, Integer32 and Enumerated AVPs. */
int gba_dia_add_u32(void *parent, struct dict_object *model, uint32_t v);
/* Same for Time AVPs (RFC 6733 4.3.1: seconds since 1900, 32 bits). */
int gba_dia_add_time(void *parent, struct dict_object *model, time_t t);
/* Append an empty grouped AVP of 'model' to 'parent'; 0 with *out set, -errno. */
int gba_dia_add_group(void *parent, struct dict_object *model, struct avp **out);

/*
 * First AVP of 'model' among the direct children of 'parent' (a msg or a grouped avp,
 * already dictionary-parsed, as freeDiameter delivers them). The *_os/_u32/_time getters give
 * its value: 0, -ENOENT absent, -EBADMSG wrong size. Octet pointers point into the message.
 */
struct avp *gba_dia_find(void *parent, struct dict_object *model);
int gba_dia_get_os(void *parent, struct dict_object *model, const uint8_t **data, size_t *len);
int gba_dia_get_u32(void *parent, struct dict_object *model, uint32_t *v);
int gba_dia_get_time(void *parent, struct dict_object *model, time_t *t);

/* Zeroize the values of ME-Key-Material and UICC-Key-Material in 'm' (before fd_msg_free). */
void gba_dia_wipe_keys(struct msg *m);

/*
 * The result of an answer: Result-Code, or Experimental-Result-Code inside Experimental-Result
 * (*experimental set to true). 0, or -EBADMSG when the answer has neither.
 */
int gba_dia_result(struct msg *ans, uint32_t *code, bool *experimental);

/*
 * Parse raw Diameter bytes into a message checked against the dictionary and the command
 * rules (as freeDiameter does with what it receives). Needs the dictionary (gba_dia_start()
 * or, for tests and fuzzers, gba_dia_init_offline()). 0 with *out set, -EBADMSG, -ENOMEM.
 */
int gba_dia_parse(const uint8_t *buf, size_t len, struct msg **out);

/*
 * libfdcore initialised with the dictionary but no configuration, no peers and no threads
 * started beyond libfdcore's own: for unit tests and fuzzers that build and parse messages.
 * Idempotent. 0 or -EIO.
 */
int gba_dia_init_offline(void);

/* What the BSF takes from a GUSS (TS 29.109 Annex A bsfInfo). */
struct gba_guss {
	bool gba_u;			/* uiccType GBA_U (default GBA) */
	unsigned int key_lifetime;	/* lifeTime in seconds, 0 = absent */
};

/*
 * Parse GUSS XML (root <guss>, any namespace, unknown elements skipped). 0; -E2BIG, -EINVAL
 * (reason in 'err'), -ENOMEM. A missing bsfInfo gives GBA and no lifetime.
 */
int gba_guss_parse(const uint8_t *xml, size_t len, struct gba_guss *out, char *err,
		   size_t errlen);

/* A GUSS for 'impi' with bsfInfo from 'g' (namespace uri:3gpp-gaa), malloc()ed. 0/-ENOMEM. */
int gba_guss_build(const char *impi, const struct gba_guss *g, char **xml, size_t *len);

#endif /* GBA_DIAMETER_DIA_H */
