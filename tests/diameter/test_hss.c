/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test_hss: a small HSS for the Diameter tests. A freeDiameter peer (its own configuration
 * file) answering Zh Multimedia-Auth-Requests (TS 29.109 6.1.1/6.1.2) from sim-profiles with
 * the AuC of core/ (gba_auc_gen_vector, gba_auc_resync): User-Name = the profile's IMPI or
 * its IMSI-derived IMPI; SIP-Auth-Data-Item with RAND||AUTN, XRES, CK, IK; a GUSS whose
 * uiccType and lifeTime come from the profile. Resync from SIP-Authorization = RAND||AUTS
 * (Result-Code 5003 when MAC-S is wrong), Experimental-Result 5001 for an unknown user, 5006
 * for another authentication scheme. SQNs live in memory only. One NOTICE line per answer
 * ("MAR IMPI: vector|resync|unknown|...") for the scripts to count.
 *   test_hss FDCONF PROFILES [LOGSPEC]      runs until SIGTERM/SIGINT
 */
#include "config.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <gba/aka.h>
#include <gba/identity.h>
#include <gba/keys.h>
#include <gba/log.h>
#include <gba/profile.h>
#include <gba/xmlutil.h>

#include "dia.h"

#define AUTH_REJECTED	5003

struct sub {
	char impi[GBA_IMPI_MAX + 1];
	char impi_imsi[GBA_IMPI_MAX + 1];
	struct gba_auc_sub auc;
	struct gba_guss guss;
};

static struct {
	pthread_mutex_t lock;		/* the AuC state of every subscriber */
	struct sub *subs;
	size_t n;
} hss = { .lock = PTHREAD_MUTEX_INITIALIZER };

static struct sub *find(const uint8_t *name, size_t len)
{
	for (size_t i = 0; i < hss.n; i++) {
		struct sub *s = &hss.subs[i];

		if ((strlen(s->impi) == len && !strncasecmp(s->impi, (const char *)name, len)) ||
		    (strlen(s->impi_imsi) == len &&
		     !strncasecmp(s->impi_imsi, (const char *)name, len)))
			return s;
	}
	return NULL;
}

/* The vector (and GUSS) of a success answer. 0 or -errno. */
static int add_vector(struct msg *ans, const struct gba_av *av, const char *impi,
		      const struct gba_guss *g)
{
	uint8_t ra[GBA_RAND_LEN + GBA_AUTN_LEN];
	struct avp *item;
	char *xml = NULL;
	size_t xlen = 0;
	int rc;

	memcpy(ra, av->rand, GBA_RAND_LEN);
	memcpy(ra + GBA_RAND_LEN, av->autn, GBA_AUTN_LEN);
	rc = gba_dia_add_os(ans, gba_dia_dict.user_name, impi, strlen(impi));
	rc = rc ?: gba_dia_add_u32(ans, gba_dia_dict.sip_num_items, 1);
	rc = rc ?: gba_dia_add_group(ans, gba_dia_dict.sip_auth_data_item, &item);
	rc = rc ?: gba_dia_add_u32(item, gba_dia_dict.sip_item_number, 1);
	rc = rc ?: gba_dia_add_os(item, gba_dia_dict.sip_auth_scheme, GBA_DIA_SCHEME_AKA,
				  strlen(GBA_DIA_SCHEME_AKA));
	rc = rc ?: gba_dia_add_os(item, gba_dia_dict.sip_authenticate, ra, sizeof(ra));
	rc = rc ?: gba_dia_add_os(item, gba_dia_dict.sip_authorization, av->xres, av->xres_len);
	rc = rc ?: gba_dia_add_os(item, gba_dia_dict.ck, av->ck, GBA_CK_LEN);
	rc = rc ?: gba_dia_add_os(item, gba_dia_dict.ik, av->ik, GBA_IK_LEN);
	rc = rc ?: gba_guss_build(impi, g, &xml, &xlen);
	rc = rc ?: gba_dia_add_os(ans, gba_dia_dict.guss, xml, xlen);
	free(xml);
	return rc;
}

/* Dispatch callback of freeDiameter for MAR (one of its application threads). */
static int on_mar(struct msg **msg, struct avp *avp, struct session *sess, void *opaque,
		  enum disp_action *act)
{
	const uint8_t *name = NULL, *p, *rauts = NULL;
	size_t nlen = 0, len;
	struct avp *item;
	struct sub *s;
	struct gba_av av;
	struct gba_guss g = { 0 };
	uint8_t rand[GBA_RAND_LEN];
	char impi[GBA_IMPI_MAX + 1] = "?";
	uint32_t code = GBA_DIA_SUCCESS;
	bool exp = false;
	const char *what = "vector";
	int rc;

	(void)avp;
	(void)sess;
	(void)opaque;
	memset(&av, 0, sizeof(av));
	if (gba_dia_get_os(*msg, gba_dia_dict.user_name, &name, &nlen) == 0 && nlen < sizeof(impi))
		snprintf(impi, sizeof(impi), "%.*s", (int)nlen, (const char *)name);
	item = gba_dia_find(*msg, gba_dia_dict.sip_auth_data_item);
	if (item && gba_dia_get_os(item, gba_dia_dict.sip_auth_scheme, &p, &len) == 0 &&
	    (len != strlen(GBA_DIA_SCHEME_AKA) || strncasecmp((const char *)p, GBA_DIA_SCHEME_AKA,
							     len))) {
		code = GBA_DIA_ERROR_AUTH_SCHEME;
		exp = true;
		what = "scheme not supported";
	}
	if (code == GBA_DIA_SUCCESS && item &&
	    gba_dia_get_os(item, gba_dia_dict.sip_authorization, &p, &len) == 0) {
		if (len == GBA_RAND_LEN + GBA_AUTS_LEN) {
			rauts = p;
			what = "resync";
		} else {
			code = GBA_DIA_UNABLE_TO_COMPLY;
			what = "bad SIP-Authorization";
		}
	}
	pthread_mutex_lock(&hss.lock);
	s = name ? find(name, nlen) : NULL;
	if (code == GBA_DIA_SUCCESS && !s) {
		code = GBA_DIA_ERROR_USER_UNKNOWN;
		exp = true;
		what = "unknown";
	}
	if (code == GBA_DIA_SUCCESS) {
		if (gba_random(rand, sizeof(rand)))
			rc = -EIO;
		else if (rauts)
			rc = gba_auc_resync(&av, &s->auc, rauts, rauts + GBA_RAND_LEN, rand);
		else
			rc = gba_auc_gen_vector(&av, &s->auc, rand);
		if (rc) {
			code = rc == -EBADMSG ? AUTH_REJECTED : GBA_DIA_UNABLE_TO_COMPLY;
			what = rc == -EBADMSG ? "resync refused" : "AuC failure";
		}
		g = s->guss;
	}
	pthread_mutex_unlock(&hss.lock);
	rc = gba_dia_answer(msg, GBA_DIA_APP_ZH, code, exp);
	if (!rc && code == GBA_DIA_SUCCESS)
		rc = add_vector(*msg, &av, s->impi, &g);
	gba_zeroize(&av, sizeof(av));
	GLOGP(GBA_LC_ZH, GBA_LL_NOTICE, "MAR %s: %s (%u)%s", impi, what, code,
	      rc ? " - answer not built" : "");
	*act = DISP_ACT_SEND;
	return rc ? -rc : 0;
}

static int load(const char *path)
{
	struct gba_profile *p = NULL;
	size_t n = 0;
	char err[256] = "";
	int rc;

	rc = gba_profiles_load(path, &p, &n, err, sizeof(err));
	if (rc) {
		fprintf(stderr, "test_hss: %s: %s\n", path, err[0] ? err : strerror(-rc));
		return rc;
	}
	hss.subs = calloc(n ? n : 1, sizeof(*hss.subs));
	if (!hss.subs) {
		gba_profiles_free(p, n);
		return -ENOMEM;
	}
	for (size_t i = 0; i < n; i++) {
		struct sub *s = &hss.subs[i];

		snprintf(s->impi, sizeof(s->impi), "%s", p[i].impi);
		if (gba_impi_from_imsi(s->impi_imsi, sizeof(s->impi_imsi), p[i].imsi,
				       p[i].mnc_len) < 0)
			s->impi_imsi[0] = '\0';
		if (!s->impi[0])
			strcpy(s->impi, s->impi_imsi);
		s->auc.cred = p[i].cred;
		memcpy(s->auc.amf, p[i].amf, GBA_AMF_LEN);
		s->auc.sqn = p[i].sqn;
		s->auc.ind_bitlen = p[i].ind_bitlen;
		s->guss.gba_u = p[i].gba_u;
		s->guss.key_lifetime = p[i].key_lifetime;
	}
	hss.n = n;
	gba_profiles_free(p, n);
	return 0;
}

int main(int argc, char **argv)
{
	struct disp_when when = { 0 };
	struct disp_hdl *hdl = NULL;
	sigset_t set;
	int sig, rc;

	if (argc < 3 || argc > 4) {
		fprintf(stderr, "usage: test_hss FDCONF PROFILES [LOGSPEC]\n");
		return 2;
	}
	gba_log_init("test_hss", GBA_LOG_STDERR);
	if (argc == 4 && gba_log_parse_spec(argv[3])) {
		fprintf(stderr, "test_hss: bad log spec %s\n", argv[3]);
		return 2;
	}
	gba_xml_init();
	if (load(argv[2]))
		return 1;
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	rc = gba_dia_start(argv[1], GBA_DIA_ZH, 0);
	if (rc) {
		fprintf(stderr, "test_hss: cannot start Diameter from %s: %s\n", argv[1],
			strerror(-rc));
		return 1;
	}
	when.app = gba_dia_dict.app_zh;
	when.command = gba_dia_dict.cmd_mar;
	rc = fd_disp_register(on_mar, DISP_HOW_CC, &when, NULL, &hdl);
	if (rc) {
		fprintf(stderr, "test_hss: fd_disp_register: %s\n", strerror(rc));
		gba_dia_stop();
		return 1;
	}
	GLOGP(GBA_LC_MAIN, GBA_LL_NOTICE, "test HSS %s ready, %zu subscribers",
	      gba_dia_identity(), hss.n);
	do
		sig = sigwaitinfo(&set, NULL);
	while (sig < 0 && errno == EINTR);
	fd_disp_unregister(&hdl, NULL);
	gba_dia_stop();
	gba_zeroize(hss.subs, hss.n * sizeof(*hss.subs));
	free(hss.subs);
	GLOGP(GBA_LC_MAIN, GBA_LL_NOTICE, "test HSS stopped");
	return 0;
}
