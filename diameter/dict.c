/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The Zh/Zn dictionary (dia.h): vendor 3GPP, applications Zh 16777221 and Zn 16777220,
 * commands MAR/MAA 303 and BIR/BIA 310 with their TS 29.109 6.1 rules, the TS 29.109 AVPs
 * 400-420 (table 6.3.1) and the TS 29.229 Cx AVPs Zh reuses. Debian 12's freeDiameter 1.2.1
 * has no 29.109 object at all and has the Cx AVPs only when dict_dcca_3gpp is loaded, so
 * each object is looked up first (by code and vendor) and defined only when absent. Written
 * by hand because freeDiameter has no loader for dictionary files in this version.
 */
#include "config.h"

#include <errno.h>
#include <string.h>

#include <gba/log.h>

#include "dia.h"

struct gba_dia_dict gba_dia_dict;

#define V	AVP_FLAG_VENDOR
#define M	AVP_FLAG_MANDATORY

/* Base type names of libfdcore's dictionary used as derived types. */
#define T_TIME	"Time"
#define T_UTF8	"UTF8String"

struct avp_def {
	struct dict_object **obj;
	avp_code_t code;
	const char *name;
	enum dict_avp_basetype base;
	const char *type;	/* derived type, or NULL */
	uint8_t flags;		/* flags that must be set (mask V|M: M is checked only if set) */
};

#define D (&gba_dia_dict)
static const struct avp_def avps_3gpp[] = {
	/* TS 29.109 table 6.3.1 (V and M "must"; GUSS-Timestamp and the later ones M "must not") */
	{ &D->guss, 400, "GBA-UserSecSettings", AVP_TYPE_OCTETSTRING, NULL, V | M },
	{ &D->btid, 401, "Transaction-Identifier", AVP_TYPE_OCTETSTRING, NULL, V | M },
	{ &D->naf_id, 402, "NAF-Id", AVP_TYPE_OCTETSTRING, NULL, V | M },
	{ &D->gsid, 403, "GAA-Service-Identifier", AVP_TYPE_OCTETSTRING, NULL, V | M },
	{ &D->key_expiry, 404, "Key-ExpiryTime", AVP_TYPE_OCTETSTRING, T_TIME, V | M },
	{ &D->me_key, 405, "ME-Key-Material", AVP_TYPE_OCTETSTRING, NULL, V | M },
	{ &D->uicc_key, 406, "UICC-Key-Material", AVP_TYPE_OCTETSTRING, NULL, V | M },
	{ &D->gba_u_aware, 407, "GBA_U-Awareness-Indicator", AVP_TYPE_INTEGER32, NULL, V | M },
	{ &D->boot_time, 408, "BootstrapInfoCreationTime", AVP_TYPE_OCTETSTRING, T_TIME, V | M },
	{ &D->guss_ts, 409, "GUSS-Timestamp", AVP_TYPE_OCTETSTRING, T_TIME, V },
	{ &D->gba_type, 410, "GBA-Type", AVP_TYPE_INTEGER32, NULL, V | M },
	{ &D->ue_id, 411, "UE-Id", AVP_TYPE_OCTETSTRING, NULL, V },
	{ &D->ue_id_type, 412, "UE-Id-Type", AVP_TYPE_INTEGER32, NULL, V },
	{ &D->uicc_app_label, 413, "UICC-App-Label", AVP_TYPE_OCTETSTRING, NULL, V },
	{ &D->uicc_me, 414, "UICC-ME", AVP_TYPE_INTEGER32, NULL, V },
	{ &D->req_key_lifetime, 415, "Requested-Key-Lifetime", AVP_TYPE_OCTETSTRING, T_TIME, V },
	{ &D->priv_id_req, 416, "Private-Identity-Request", AVP_TYPE_INTEGER32, NULL, V },
	{ &D->push_info, 417, "GBA-Push-Info", AVP_TYPE_OCTETSTRING, NULL, V },
	{ &D->naf_sa_id, 418, "NAF-SA-Identifier", AVP_TYPE_OCTETSTRING, NULL, V },
	{ &D->sec_feat_req, 419, "Security-Feature-Request", AVP_TYPE_OCTETSTRING, NULL, V },
	{ &D->sec_feat_resp, 420, "Security-Feature-Response", AVP_TYPE_OCTETSTRING, NULL, V },
	/* TS 29.229 6.3 */
	{ &D->public_identity, 601, "Public-Identity", AVP_TYPE_OCTETSTRING, T_UTF8, V | M },
	{ &D->server_name, 602, "Server-Name", AVP_TYPE_OCTETSTRING, T_UTF8, V | M },
	{ &D->sip_num_items, 607, "SIP-Number-Auth-Items", AVP_TYPE_UNSIGNED32, NULL, V | M },
	{ &D->sip_auth_scheme, 608, "SIP-Authentication-Scheme", AVP_TYPE_OCTETSTRING, T_UTF8,
	  V | M },
	{ &D->sip_authenticate, 609, "SIP-Authenticate", AVP_TYPE_OCTETSTRING, NULL, V | M },
	{ &D->sip_authorization, 610, "SIP-Authorization", AVP_TYPE_OCTETSTRING, NULL, V | M },
	{ &D->sip_auth_context, 611, "SIP-Authentication-Context", AVP_TYPE_OCTETSTRING, NULL,
	  V | M },
	{ &D->sip_auth_data_item, 612, "SIP-Auth-Data-Item", AVP_TYPE_GROUPED, NULL, V | M },
	{ &D->sip_item_number, 613, "SIP-Item-Number", AVP_TYPE_UNSIGNED32, NULL, V | M },
	{ &D->ck, 625, "Confidentiality-Key", AVP_TYPE_OCTETSTRING, NULL, V | M },
	{ &D->ik, 626, "Integrity-Key", AVP_TYPE_OCTETSTRING, NULL, V | M },
};

/* RFC 6733 objects of libfdcore's base dictionary. */
static const struct {
	struct dict_object **obj;
	const char *name;
} avps_base[] = {
	{ &D->session_id, "Session-Id" }, { &D->origin_host, "Origin-Host" },
	{ &D->origin_realm, "Origin-Realm" }, { &D->dest_host, "Destination-Host" },
	{ &D->dest_realm, "Destination-Realm" }, { &D->user_name, "User-Name" },
	{ &D->vsai, "Vendor-Specific-Application-Id" }, { &D->vendor_id, "Vendor-Id" },
	{ &D->auth_app_id, "Auth-Application-Id" },
	{ &D->auth_session_state, "Auth-Session-State" }, { &D->result_code, "Result-Code" },
	{ &D->exp_result, "Experimental-Result" },
	{ &D->exp_result_code, "Experimental-Result-Code" },
};

/* A rule: 'avp' in position 'pos' (1 = fixed head), 'min'..'max' times (-1: no maximum). */
struct rule_def {
	struct dict_object **avp;
	enum rule_position pos;
	int min, max;
};

#define HEAD(a)		{ &D->a, RULE_FIXED_HEAD, 1, 1 }
#define REQ(a)		{ &D->a, RULE_REQUIRED, 1, 1 }
#define OPT(a)		{ &D->a, RULE_OPTIONAL, 0, 1 }
#define ANY(a)		{ &D->a, RULE_OPTIONAL, 0, -1 }
#define END		{ NULL, 0, 0, 0 }

/*
 * TS 29.109 6.1.1-6.1.4. Requests are checked as the spec writes them; answers only for what
 * this code relies on, so that an answer with an error result (which may lack the rest) still
 * reaches the application instead of being dropped by freeDiameter.
 */
static const struct rule_def rules_mar[] = {
	HEAD(session_id), REQ(vsai), REQ(auth_session_state), REQ(origin_host),
	REQ(origin_realm), REQ(dest_realm), OPT(dest_host), OPT(user_name), OPT(public_identity),
	OPT(sip_num_items), OPT(sip_auth_data_item), OPT(server_name), OPT(guss_ts),
	OPT(uicc_app_label), OPT(uicc_me), OPT(ue_id), OPT(ue_id_type), END
};
static const struct rule_def rules_maa[] = {
	HEAD(session_id), OPT(vsai), OPT(result_code), OPT(exp_result), REQ(origin_host),
	REQ(origin_realm), OPT(auth_session_state), OPT(user_name), OPT(public_identity),
	OPT(sip_num_items), ANY(sip_auth_data_item), OPT(guss), END
};
static const struct rule_def rules_bir[] = {
	HEAD(session_id), REQ(vsai), REQ(auth_session_state), REQ(origin_host),
	REQ(origin_realm), REQ(dest_realm), OPT(dest_host), REQ(btid), REQ(naf_id), ANY(gsid),
	OPT(gba_u_aware), OPT(priv_id_req), OPT(sec_feat_req), END
};
static const struct rule_def rules_bia[] = {
	HEAD(session_id), OPT(vsai), OPT(result_code), OPT(exp_result), REQ(origin_host),
	REQ(origin_realm), OPT(auth_session_state), OPT(user_name), OPT(me_key), OPT(uicc_key),
	OPT(key_expiry), OPT(boot_time), OPT(guss), OPT(gba_type), OPT(uicc_me),
	OPT(sec_feat_resp), END
};
static const struct rule_def rules_sip_item[] = {
	OPT(sip_item_number), OPT(sip_auth_scheme), OPT(sip_authenticate), OPT(sip_authorization),
	OPT(sip_auth_context), OPT(ck), OPT(ik), END
};

static int err(int rc, const char *what)
{
	GLOGP(GBA_LC_DIA, GBA_LL_ERROR, "Diameter dictionary: %s: %s", what, strerror(rc));
	return rc == ENOMEM ? -ENOMEM : -EINVAL;
}

static int add_rules(struct dictionary *d, struct dict_object *parent, const struct rule_def *r)
{
	unsigned int order = 0;

	for (; r->avp; r++) {
		struct dict_rule_data rd = {
			.rule_avp = *r->avp, .rule_position = r->pos,
			.rule_order = r->pos == RULE_FIXED_HEAD ? ++order : 0,
			.rule_min = r->min, .rule_max = r->max,
		};
		int rc = fd_dict_new(d, DICT_RULE, &rd, parent, NULL);

		if (rc && rc != EEXIST)
			return err(rc, "rule");
	}
	return 0;
}

static int define_avp(struct dictionary *d, const struct avp_def *a)
{
	struct dict_avp_request_ex req = {
		.avp_vendor.vendor_id = GBA_DIA_VENDOR_3GPP,
		.avp_data.avp_code = a->code,
	};
	struct dict_avp_data ad = {
		.avp_code = a->code, .avp_vendor = GBA_DIA_VENDOR_3GPP, .avp_name = (char *)a->name,
		.avp_flag_mask = a->flags, .avp_flag_val = a->flags, .avp_basetype = a->base,
	};
	struct dict_object *type = NULL;
	int rc;

	rc = fd_dict_search(d, DICT_AVP, AVP_BY_STRUCT, &req, a->obj, ENOENT);
	if (rc == 0)
		return 0;		/* an extension (dict_dcca_3gpp) has it */
	if (a->type && (rc = fd_dict_search(d, DICT_TYPE, TYPE_BY_NAME, a->type, &type, ENOENT)))
		return err(rc, a->type);
	rc = fd_dict_new(d, DICT_AVP, &ad, type, a->obj);
	return rc ? err(rc, a->name) : 0;
}

/* Find or define command 'code' (request or answer); rules only on a command we define. */
static int define_cmd(struct dictionary *d, struct dict_object **obj, command_code_t code,
		      bool request, const char *name, struct dict_object *app,
		      const struct rule_def *rules)
{
	struct dict_cmd_data cd = {
		.cmd_code = code, .cmd_name = (char *)name,
		.cmd_flag_mask = CMD_FLAG_REQUEST | (request ? CMD_FLAG_ERROR : 0),
		.cmd_flag_val = request ? CMD_FLAG_REQUEST : 0,
	};
	int rc;

	rc = fd_dict_search(d, DICT_COMMAND, request ? CMD_BY_CODE_R : CMD_BY_CODE_A, &code, obj,
			    ENOENT);
	if (rc == 0)
		return 0;
	rc = fd_dict_new(d, DICT_COMMAND, &cd, app, obj);
	return rc ? err(rc, name) : add_rules(d, *obj, rules);
}

static int define_app(struct dictionary *d, struct dict_object **obj, application_id_t id,
		      const char *name)
{
	struct dict_application_data ad = { .application_id = id,
					    .application_name = (char *)name };
	int rc;

	rc = fd_dict_search(d, DICT_APPLICATION, APPLICATION_BY_ID, &id, obj, ENOENT);
	if (rc == 0)
		return 0;
	rc = fd_dict_new(d, DICT_APPLICATION, &ad, gba_dia_dict.vendor, obj);
	return rc ? err(rc, name) : 0;
}

int gba_dia_dict_init(void)
{
	static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
	static bool done;
	struct dictionary *d = fd_g_config ? fd_g_config->cnf_dict : NULL;
	struct dict_vendor_data vd = { .vendor_id = GBA_DIA_VENDOR_3GPP, .vendor_name = "3GPP" };
	vendor_id_t vid = GBA_DIA_VENDOR_3GPP;
	bool new_item = false;
	int rc = 0;

	if (!d)
		return -EINVAL;
	pthread_mutex_lock(&lock);
	if (done)
		goto out;
	for (size_t i = 0; i < sizeof(avps_base) / sizeof(avps_base[0]) && !rc; i++) {
		rc = fd_dict_search(d, DICT_AVP, AVP_BY_NAME, avps_base[i].name, avps_base[i].obj,
				    ENOENT);
		if (rc)
			rc = err(rc, avps_base[i].name);
	}
	if (rc)
		goto out;
	if (fd_dict_search(d, DICT_VENDOR, VENDOR_BY_ID, &vid, &gba_dia_dict.vendor, ENOENT) &&
	    (rc = fd_dict_new(d, DICT_VENDOR, &vd, NULL, &gba_dia_dict.vendor))) {
		rc = err(rc, "vendor 3GPP");
		goto out;
	}
	rc = define_app(d, &gba_dia_dict.app_zh, GBA_DIA_APP_ZH, "3GPP Zh");
	rc = rc ?: define_app(d, &gba_dia_dict.app_zn, GBA_DIA_APP_ZN, "3GPP Zn");
	if (!rc) {
		struct dict_avp_request_ex q = { .avp_vendor.vendor_id = GBA_DIA_VENDOR_3GPP,
						 .avp_data.avp_code = 612 };

		new_item = fd_dict_search(d, DICT_AVP, AVP_BY_STRUCT, &q, NULL, ENOENT) != 0;
	}
	for (size_t i = 0; i < sizeof(avps_3gpp) / sizeof(avps_3gpp[0]) && !rc; i++)
		rc = define_avp(d, &avps_3gpp[i]);
	if (!rc && new_item)
		rc = add_rules(d, gba_dia_dict.sip_auth_data_item, rules_sip_item);
	rc = rc ?: define_cmd(d, &gba_dia_dict.cmd_mar, GBA_DIA_CMD_MA, true,
			      "Multimedia-Auth-Request", gba_dia_dict.app_zh, rules_mar);
	rc = rc ?: define_cmd(d, &gba_dia_dict.cmd_maa, GBA_DIA_CMD_MA, false,
			      "Multimedia-Auth-Answer", gba_dia_dict.app_zh, rules_maa);
	rc = rc ?: define_cmd(d, &gba_dia_dict.cmd_bir, GBA_DIA_CMD_BI, true,
			      "Bootstrapping-Info-Request", gba_dia_dict.app_zn, rules_bir);
	rc = rc ?: define_cmd(d, &gba_dia_dict.cmd_bia, GBA_DIA_CMD_BI, false,
			      "Bootstrapping-Info-Answer", gba_dia_dict.app_zn, rules_bia);
	done = rc == 0;
out:
	pthread_mutex_unlock(&lock);
	return rc;
}
