/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Zn over Diameter on the BSF (zn_dia.h): the Bootstrapping-Info-Request handler that
 * freeDiameter calls in its dispatch threads. The NAF is the peer the request came from
 * (fd_msg_source_get: the identity freeDiameter checked in the capabilities exchange, and TLS
 * when the configuration asks for it); its Origin-Host must be that peer (relayed BIRs are
 * refused with 5402, since a relay could name any NAF) and the ACL entry with that
 * diameter_host lists the FQDNs it may ask for. The lookup and key derivation are zn.c's,
 * shared with the SOAP transport; the message helpers are diameter/'s.
 */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <gba/log.h>

#include "metrics.h"
#include "zn_dia.h"

static struct disp_hdl *bir_hdl;

/* Octets that may appear in a B-TID or a host name on the wire (printable ASCII). */
static bool printable(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] < 0x21 || p[i] > 0x7e)
			return false;
	return true;
}

/* A GAA-Service-Identifier: decimal digits, 0..4294967295. */
static int gsid_value(const uint8_t *p, size_t n, uint32_t *v)
{
	uint64_t x = 0;

	if (!n || n > 10)
		return -EINVAL;
	for (size_t i = 0; i < n; i++) {
		if (p[i] < '0' || p[i] > '9')
			return -EINVAL;
		x = x * 10 + (p[i] - '0');
	}
	if (x > UINT32_MAX)
		return -EINVAL;
	*v = (uint32_t)x;
	return 0;
}

/* Every GAA-Service-Identifier of the request, in order. */
static int decode_gsids(struct msg *m, struct gba_zn_request *q, const char **why)
{
	struct avp *a = NULL, *next;

	if (fd_msg_browse(m, MSG_BRW_FIRST_CHILD, &a, NULL))
		return -EINVAL;
	for (; a; a = next) {
		struct dict_object *model = NULL;
		struct avp_hdr *h;

		if (fd_msg_browse(a, MSG_BRW_NEXT, &next, NULL))
			next = NULL;
		if (fd_msg_model(a, &model) || model != gba_dia_dict.gsid)
			continue;
		if (fd_msg_avp_hdr(a, &h) || !h->avp_value) {
			*why = "GAA-Service-Identifier without a value";
			return -EINVAL;
		}
		if (q->n_gsid == GBA_ZN_GSID_MAX) {
			*why = "too many GAA-Service-Identifiers";
			return -EINVAL;
		}
		if (gsid_value(h->avp_value->os.data, h->avp_value->os.len,
			       &q->gsid[q->n_gsid++])) {
			*why = "GAA-Service-Identifier is not a decimal number";
			return -EINVAL;
		}
	}
	return 0;
}

int zn_dia_bir_decode(struct msg *m, struct gba_zn_request *q, char origin[256],
		      const char **why)
{
	const uint8_t *p;
	size_t n;
	uint32_t aware = 0;
	int rc;

	memset(q, 0, sizeof(*q));
	origin[0] = '\0';
	*why = NULL;
	if (gba_dia_get_os(m, gba_dia_dict.origin_host, &p, &n) || !n || n > 255 ||
	    !printable(p, n)) {
		*why = "Origin-Host missing or not a host name";
		return -EINVAL;
	}
	memcpy(origin, p, n);
	origin[n] = '\0';
	if (gba_dia_get_os(m, gba_dia_dict.btid, &p, &n) || !n || n > GBA_BTID_MAX ||
	    !printable(p, n)) {
		*why = "Transaction-Identifier missing or not 1..300 printable octets";
		return -EINVAL;
	}
	memcpy(q->btid, p, n);
	q->btid[n] = '\0';
	if (gba_dia_get_os(m, gba_dia_dict.naf_id, &p, &n) || n <= GBA_UA_ID_LEN ||
	    n > GBA_ZN_NAFID_MAX) {
		*why = "NAF-Id missing or not FQDN || 5-octet Ua security protocol id";
		return -EINVAL;
	}
	memcpy(q->naf_id, p, n);
	q->naf_id_len = n;
	rc = gba_dia_get_u32(m, gba_dia_dict.gba_u_aware, &aware);
	if ((rc && rc != -ENOENT) || aware > 1) {
		*why = "GBA_U-Awareness-Indicator is not NO (0) or YES (1)";
		return -EINVAL;
	}
	q->gba_u_aware = aware == 1;
	return decode_gsids(m, q, why);
}

int zn_dia_bia_build(struct msg **req, const struct zn_result *res)
{
	const struct gba_zn_answer *a = &res->a;
	struct msg *m;
	uint32_t code = res->code;
	bool exp = false;
	int rc;

	switch (res->result) {
	case ZN_R_OK:
		code = GBA_DIA_SUCCESS;
		break;
	case ZN_R_UNAUTHORIZED:
	case ZN_R_UNKNOWN_BTID:
	case ZN_R_FOREIGN_BTID:
		exp = true;	/* 5402 / 5403: TS 29.109 6.3.2 Experimental-Result-Code */
		break;
	case ZN_R_MALFORMED:
		code = 5004;	/* DIAMETER_INVALID_AVP_VALUE (RFC 6733 7.1.5) */
		break;
	default:
		code = GBA_DIA_UNABLE_TO_COMPLY;
		break;
	}
	rc = gba_dia_answer(req, GBA_DIA_APP_ZN, code, exp);
	if (rc || res->result != ZN_R_OK)
		return rc;
	m = *req;
	rc = gba_dia_add_os(m, gba_dia_dict.user_name, a->impi, strlen(a->impi));
	rc = rc ?: gba_dia_add_os(m, gba_dia_dict.me_key, a->me_key, sizeof(a->me_key));
	if (!rc && a->has_uicc_key)
		rc = gba_dia_add_os(m, gba_dia_dict.uicc_key, a->uicc_key, sizeof(a->uicc_key));
	rc = rc ?: gba_dia_add_time(m, gba_dia_dict.key_expiry, a->key_expiry);
	rc = rc ?: gba_dia_add_time(m, gba_dia_dict.boot_time, a->creation_time);
	rc = rc ?: gba_dia_add_u32(m, gba_dia_dict.gba_type, a->gba_type);
	rc = rc ?: gba_dia_add_u32(m, gba_dia_dict.uicc_me, a->uicc_me);
	if (!rc && a->uss)
		rc = gba_dia_add_os(m, gba_dia_dict.guss, a->uss, strlen(a->uss));
	return rc;
}

/*
 * A BIR from a NAF: the Zn lookup, answered with a BIA whose ME-/UICC-Key-Material copies
 * (freeDiameter's) are wiped in place before the message is freed.
 */
static int on_bir(struct msg **msg, struct avp *avp, struct session *sess, void *opaque,
		  enum disp_action *act)
{
	struct bsf *bsf = opaque;
	const struct bsf_naf_acl *acl = NULL;
	struct gba_zn_request q;
	struct zn_result res;
	struct timespec t0, t;
	char origin[256], who[300];
	const char *why;
	DiamId_t src = NULL;
	size_t srclen = 0;
	int rc;

	(void)avp;
	(void)sess;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	memset(&res, 0, sizeof(res));
	fd_msg_source_get(*msg, &src, &srclen);
	if (zn_dia_bir_decode(*msg, &q, origin, &why)) {
		GLOGP(GBA_LC_ZN, GBA_LL_NOTICE, "BIR from peer %.*s: %s", (int)srclen,
		      src ? (char *)src : "?", why);
		res.result = ZN_R_MALFORMED;
	} else if (!src || srclen != strlen(origin) || strncasecmp((char *)src, origin, srclen)) {
		/* a relay or proxy in between: its peer identity says nothing about the NAF */
		GLOGP(GBA_LC_ZN, GBA_LL_NOTICE, "BIR from %s relayed by peer %.*s: refused",
		      origin, (int)srclen, src ? (char *)src : "?");
		res.result = ZN_R_UNAUTHORIZED;
		res.code = GBA_DIA_ERROR_NOT_AUTHORIZED;
	} else {
		acl = bsf_config_naf_dia(bsf->cfg, origin);
		snprintf(who, sizeof(who), "diameter:%s", origin);
		zn_lookup(bsf, &acl, 1, who, &q, &res);
	}
	rc = zn_dia_bia_build(msg, &res);
	zn_result_clear(&res);
	gba_zeroize(&q, sizeof(q));
	/*
	 * fd_msg_send() takes the answer (and frees its serialised copy unwiped: libfdproto has
	 * no hook for that); an answer left to us is wiped before it is freed
	 */
	if (!rc)
		rc = -fd_msg_send(msg, NULL, NULL);
	if (*msg) {
		gba_dia_wipe_keys(*msg);
		fd_msg_free(*msg);
		*msg = NULL;
	}
	clock_gettime(CLOCK_MONOTONIC, &t);
	bsf_metrics_zn(rc ? ZN_R_ERROR : res.result,
		       (double)(t.tv_sec - t0.tv_sec) + (t.tv_nsec - t0.tv_nsec) / 1e9);
	if (rc)
		GLOGP(GBA_LC_ZN, GBA_LL_ERROR, "BIA to %s not sent: %s", origin, strerror(-rc));
	*act = DISP_ACT_CONT;
	return 0;
}

/* The path of a "diameter:FDCONF[,REALM[,HOST]]" Zh setting equals 'conf'. */
static bool zh_same_core(const char *zh, const char *conf)
{
	size_t n;

	if (strncmp(zh, "diameter:", 9))
		return false;
	zh += 9;
	n = strcspn(zh, ",");
	return n == strlen(conf) && !strncmp(zh, conf, n);
}

int zn_dia_start(struct bsf *bsf)
{
	struct disp_when w = { 0 };
	unsigned int apps = GBA_DIA_ZN;
	int rc;

	/* started before Zh: the first CER already names both applications of a shared core */
	if (zh_same_core(bsf->cfg->zh, bsf->cfg->zn_diameter))
		apps |= GBA_DIA_ZH;
	rc = gba_dia_start(bsf->cfg->zn_diameter, apps, 2000);
	if (rc) {
		GLOGP(GBA_LC_ZN, GBA_LL_FATAL, "Zn over Diameter (%s): %s", bsf->cfg->zn_diameter,
		      strerror(-rc));
		return rc;
	}
	w.app = gba_dia_dict.app_zn;
	w.command = gba_dia_dict.cmd_bir;
	rc = fd_disp_register(on_bir, DISP_HOW_CC, &w, bsf, &bir_hdl);
	if (rc) {
		GLOGP(GBA_LC_ZN, GBA_LL_FATAL, "fd_disp_register: %s", strerror(rc));
		gba_dia_stop();
		return -EIO;
	}
	GLOGP(GBA_LC_ZN, GBA_LL_NOTICE, "Zn over Diameter as %s (realm %s)", gba_dia_identity(),
	      gba_dia_realm());
	return 0;
}

void zn_dia_stop(void)
{
	if (!bir_hdl)
		return;
	fd_disp_unregister(&bir_hdl, NULL);
	bir_hdl = NULL;
	gba_dia_stop();
}
