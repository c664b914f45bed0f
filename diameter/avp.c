/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Diameter message helpers (dia.h) over libfdproto: the common head of a Zh/Zn request and
 * answer, typed AVP setters and getters (OctetString, Unsigned32/Enumerated, Time), the
 * result of an answer, and parsing raw bytes against the dictionary and the command rules.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <gba/keys.h>

#include "dia.h"

/* RFC 6733 4.3.1 Time: seconds since 1900-01-01 (NTP era 0). */
#define NTP_UNIX_OFFSET	2208988800UL

static int fd_err(int rc)
{
	return rc == ENOMEM ? -ENOMEM : rc == ENOENT ? -ENOENT : rc == EBADMSG ? -EBADMSG :
	       -EINVAL;
}

static int add_avp(void *parent, struct dict_object *model, union avp_value *v,
		   struct avp **out)
{
	struct avp *a = NULL;
	int rc;

	if (!parent || !model)
		return -EINVAL;
	rc = fd_msg_avp_new(model, 0, &a);
	if (!rc && v)
		rc = fd_msg_avp_setvalue(a, v);
	if (!rc)
		rc = fd_msg_avp_add(parent, MSG_BRW_LAST_CHILD, a);
	if (rc) {
		if (a)
			fd_msg_free(a);
		return fd_err(rc);
	}
	if (out)
		*out = a;
	return 0;
}

int gba_dia_add_os(void *parent, struct dict_object *model, const void *data, size_t len)
{
	union avp_value v = { .os = { .data = (uint8_t *)data, .len = len } };

	return add_avp(parent, model, &v, NULL);
}

int gba_dia_add_u32(void *parent, struct dict_object *model, uint32_t val)
{
	union avp_value v = { .u32 = val };

	return add_avp(parent, model, &v, NULL);
}

int gba_dia_add_time(void *parent, struct dict_object *model, time_t t)
{
	uint32_t ntp = (uint32_t)((uint64_t)t + NTP_UNIX_OFFSET);
	uint8_t b[4] = { ntp >> 24, ntp >> 16, ntp >> 8, ntp };

	return gba_dia_add_os(parent, model, b, sizeof(b));
}

int gba_dia_add_group(void *parent, struct dict_object *model, struct avp **out)
{
	return add_avp(parent, model, NULL, out);
}

/* Vendor-Specific-Application-Id { Vendor-Id 10415, Auth-Application-Id app }. */
static int add_vsai(struct msg *m, uint32_t app)
{
	struct avp *g;
	int rc;

	rc = gba_dia_add_group(m, gba_dia_dict.vsai, &g);
	rc = rc ?: gba_dia_add_u32(g, gba_dia_dict.vendor_id, GBA_DIA_VENDOR_3GPP);
	return rc ?: gba_dia_add_u32(g, gba_dia_dict.auth_app_id, app);
}

/* Auth-Session-State NO_STATE_MAINTAINED (RFC 6733 8.11; 29.109 6.1). */
#define NO_STATE_MAINTAINED	1

int gba_dia_request(struct msg **out, struct dict_object *cmd, uint32_t app, const char *realm,
		    const char *host)
{
	struct msg *m = NULL;
	struct msg_hdr *h;
	int rc;

	if (!fd_g_config || !fd_g_config->cnf_diamid || !cmd)
		return -EINVAL;
	if (!realm)
		realm = fd_g_config->cnf_diamrlm;
	rc = fd_msg_new(cmd, MSGFL_ALLOC_ETEID, &m);
	if (rc)
		return fd_err(rc);
	rc = fd_msg_hdr(m, &h);
	if (!rc) {
		h->msg_appl = app;
		rc = fd_msg_new_session(m, (os0_t)"gba", 3);
	}
	rc = rc ? fd_err(rc) : add_vsai(m, app);
	rc = rc ?: gba_dia_add_u32(m, gba_dia_dict.auth_session_state, NO_STATE_MAINTAINED);
	if (!rc && (rc = fd_msg_add_origin(m, 0)))
		rc = fd_err(rc);
	rc = rc ?: gba_dia_add_os(m, gba_dia_dict.dest_realm, realm, strlen(realm));
	if (!rc && host)
		rc = gba_dia_add_os(m, gba_dia_dict.dest_host, host, strlen(host));
	if (rc) {
		fd_msg_free(m);
		return rc;
	}
	*out = m;
	return 0;
}

int gba_dia_answer(struct msg **req, uint32_t app, uint32_t code, bool experimental)
{
	struct msg *m;
	int rc;

	rc = fd_msg_new_answer_from_req(fd_g_config->cnf_dict, req, 0);
	if (rc)
		return fd_err(rc);
	m = *req;
	rc = add_vsai(m, app);
	if (!rc && experimental) {
		struct avp *g;

		rc = gba_dia_add_group(m, gba_dia_dict.exp_result, &g);
		rc = rc ?: gba_dia_add_u32(g, gba_dia_dict.vendor_id, GBA_DIA_VENDOR_3GPP);
		rc = rc ?: gba_dia_add_u32(g, gba_dia_dict.exp_result_code, code);
	} else if (!rc) {
		rc = gba_dia_add_u32(m, gba_dia_dict.result_code, code);
	}
	rc = rc ?: gba_dia_add_u32(m, gba_dia_dict.auth_session_state, NO_STATE_MAINTAINED);
	if (!rc && (rc = fd_msg_add_origin(m, 0)))
		rc = fd_err(rc);
	return rc;
}

struct avp *gba_dia_find(void *parent, struct dict_object *model)
{
	struct avp *a = NULL;

	if (!parent || !model || fd_msg_browse(parent, MSG_BRW_FIRST_CHILD, &a, NULL))
		return NULL;
	while (a) {
		struct dict_object *m = NULL;

		if (fd_msg_model(a, &m) == 0 && m == model)
			return a;
		if (fd_msg_browse(a, MSG_BRW_NEXT, &a, NULL))
			return NULL;
	}
	return NULL;
}

/* The value of the first 'model' AVP of 'parent', whose base type must be 'base'. */
static int get_value(void *parent, struct dict_object *model, enum dict_avp_basetype base,
		     union avp_value **v)
{
	struct avp *a = gba_dia_find(parent, model);
	struct dict_avp_data d;
	struct avp_hdr *h;

	if (!a)
		return -ENOENT;
	if (fd_dict_getval(model, &d) || d.avp_basetype != base || fd_msg_avp_hdr(a, &h) ||
	    !h->avp_value)
		return -EBADMSG;
	*v = h->avp_value;
	return 0;
}

int gba_dia_get_os(void *parent, struct dict_object *model, const uint8_t **data, size_t *len)
{
	union avp_value *v;
	int rc = get_value(parent, model, AVP_TYPE_OCTETSTRING, &v);

	if (rc)
		return rc;
	*data = v->os.data;
	*len = v->os.len;
	return 0;
}

int gba_dia_get_u32(void *parent, struct dict_object *model, uint32_t *val)
{
	union avp_value *v;
	int rc = get_value(parent, model, AVP_TYPE_UNSIGNED32, &v);

	if (rc == -EBADMSG)
		rc = get_value(parent, model, AVP_TYPE_INTEGER32, &v);
	if (rc)
		return rc;
	*val = v->u32;
	return 0;
}

int gba_dia_get_time(void *parent, struct dict_object *model, time_t *t)
{
	const uint8_t *b;
	size_t len;
	uint64_t ntp;
	int rc = gba_dia_get_os(parent, model, &b, &len);

	if (rc)
		return rc;
	if (len != 4)
		return -EBADMSG;
	ntp = (uint64_t)b[0] << 24 | b[1] << 16 | b[2] << 8 | b[3];
	/* RFC 6733 4.3.1: values below the 1968 pivot are in the next era (after 2036) */
	if (ntp < 0x80000000UL)
		ntp += 1ULL << 32;
	*t = (time_t)(ntp - NTP_UNIX_OFFSET);
	return 0;
}

void gba_dia_wipe_keys(struct msg *m)
{
	struct dict_object *models[] = { gba_dia_dict.me_key, gba_dia_dict.uicc_key };

	for (size_t i = 0; i < 2; i++) {
		struct avp *a = gba_dia_find(m, models[i]);
		struct avp_hdr *h;

		if (a && !fd_msg_avp_hdr(a, &h) && h->avp_value && h->avp_value->os.data)
			gba_zeroize(h->avp_value->os.data, h->avp_value->os.len);
	}
}

int gba_dia_result(struct msg *ans, uint32_t *code, bool *experimental)
{
	struct avp *g;

	*experimental = false;
	if (gba_dia_get_u32(ans, gba_dia_dict.result_code, code) == 0)
		return 0;
	g = gba_dia_find(ans, gba_dia_dict.exp_result);
	if (g && gba_dia_get_u32(g, gba_dia_dict.exp_result_code, code) == 0) {
		*experimental = true;
		return 0;
	}
	return -EBADMSG;
}

int gba_dia_parse(const uint8_t *buf, size_t len, struct msg **out)
{
	struct fd_pei pei;
	struct msg *m = NULL;
	uint8_t *copy;
	size_t mlen;
	int rc;

	if (!fd_g_config || !fd_g_config->cnf_dict)
		return -EINVAL;
	/* the header's length must cover the buffer exactly: no trailing bytes parsed as AVPs */
	if (len < 20 || (mlen = (size_t)buf[1] << 16 | buf[2] << 8 | buf[3]) != len)
		return -EBADMSG;
	copy = malloc(len);
	if (!copy)
		return -ENOMEM;
	memcpy(copy, buf, len);
	rc = fd_msg_parse_buffer(&copy, len, &m);
	if (rc) {
		gba_zeroize(copy, len);
		free(copy);
		return rc == ENOMEM ? -ENOMEM : -EBADMSG;
	}
	memset(&pei, 0, sizeof(pei));
	rc = fd_msg_parse_rules(m, fd_g_config->cnf_dict, &pei);
	if (rc) {
		/* a missing AVP is reported as a new AVP that is ours to free */
		if (pei.pei_avp_free && pei.pei_avp)
			fd_msg_free(pei.pei_avp);
		fd_msg_free(m);
		return rc == ENOMEM ? -ENOMEM : -EBADMSG;
	}
	*out = m;
	return 0;
}
