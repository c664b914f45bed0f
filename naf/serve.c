/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * gba-naf serve: a minimal oneM2M CSE behind GBA (TS-0003 8.3.2.3 GBA-based RSPF, the
 * Enrolment Target; SAEF with the resulting Kpsa). Each authenticated peer is recorded as
 * an enrolee (KmID = B-TID, IMPI, key expiry) and a retrieve (GET) of any resource gets the
 * CSEBase (m2m:cb, JSON, X-M2M-RI echoed, X-M2M-RSC 2000); other operations get 4005.
 */
#include "config.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gba/identity.h>
#include <gba/log.h>

#include "tool.h"

#define ENROLEES_MAX	1024
#define RI_MAX		128

struct enrolee {
	char kmid[GBA_NAF_BTID_MAX + 1];
	char impi[GBA_NAF_IMPI_MAX + 1];
	time_t expiry;
	unsigned long requests;
};

static struct enrolee enrolees[ENROLEES_MAX];
static unsigned int n_enrolees;
static pthread_mutex_t enrol_lock = PTHREAD_MUTEX_INITIALIZER;

/* Record or refresh the enrolee of a peer (oldest slot reused when full). */
static void enrol(const struct gba_naf_peer *p)
{
	struct enrolee *e = NULL;
	unsigned int i;
	bool fresh = false;

	pthread_mutex_lock(&enrol_lock);
	for (i = 0; i < n_enrolees && !e; i++)
		if (!strcmp(enrolees[i].kmid, p->btid))
			e = &enrolees[i];
	if (!e) {
		fresh = true;
		if (n_enrolees < ENROLEES_MAX) {
			e = &enrolees[n_enrolees++];
		} else {
			e = &enrolees[0];
			for (i = 1; i < ENROLEES_MAX; i++)
				if (enrolees[i].expiry < e->expiry)
					e = &enrolees[i];
		}
		memset(e, 0, sizeof(*e));
		snprintf(e->kmid, sizeof(e->kmid), "%s", p->btid);
	}
	snprintf(e->impi, sizeof(e->impi), "%s", p->impi);
	e->expiry = p->expiry;
	e->requests++;
	pthread_mutex_unlock(&enrol_lock);
	if (fresh)
		GLOGP(GBA_LC_NAF, GBA_LL_INFO, "enrolee KmID=%s IMPI=%s recorded", p->btid, p->impi);
}

/* X-M2M-RI as sent, if it is a short printable token; else empty. */
static void request_id(const struct http_req *r, char ri[RI_MAX + 1])
{
	const char *v = http_hdr(r, "X-M2M-RI");
	size_t i, n = v ? strlen(v) : 0;

	ri[0] = '\0';
	if (!n || n > RI_MAX)
		return;
	for (i = 0; i < n; i++)
		if (v[i] < 0x21 || v[i] > 0x7e || v[i] == '"' || v[i] == '\\')
			return;
	memcpy(ri, v, n + 1);
}

void serve_app(struct srv *s, struct http_io *io, struct http_req *r,
	       const struct gba_naf_peer *peer, const char *fqdn, const char *authz)
{
	const char *cse_id = s->arg;
	char ri[RI_MAX + 1], ct[GBA_DATETIME_LEN + 1] = "", body[1024];
	char hdr[GBA_NAF_DIGEST_HDR_MAX + 256], ai[GBA_NAF_DIGEST_HDR_MAX];
	unsigned int status = 200;
	int n, h;

	enrol(peer);
	request_id(r, ri);
	gba_datetime_format(ct, sizeof(ct), time(NULL));
	if (!strcmp(r->method, "GET")) {
		/* oneM2M timestamps are basic format; the CSE's creation time is "now" */
		n = snprintf(body, sizeof(body),
			     "{\"m2m:cb\":{\"rn\":\"cse-base\",\"ri\":\"%s\",\"ty\":5,"
			     "\"csi\":\"/%s\",\"cst\":1,\"srt\":[1,2,3,4,5,9,16,23],"
			     "\"poa\":[\"https://%s\"],\"ct\":\"%s\"}}", cse_id, cse_id, fqdn, ct);
	} else {
		status = 405;
		n = snprintf(body, sizeof(body), "{\"m2m:dbg\":\"operation not allowed\"}");
	}
	h = snprintf(hdr, sizeof(hdr), "X-M2M-RSC: %s\r\n%s%s%s",
		     status == 200 ? "2000" : "4005", ri[0] ? "X-M2M-RI: " : "", ri,
		     ri[0] ? "\r\n" : "");
	if (authz && gba_naf_digest_auth_info(s->naf, fqdn, authz, strlen(authz),
					      (const uint8_t *)body, (size_t)n, ai,
					      sizeof(ai)) > 0)
		snprintf(hdr + h, sizeof(hdr) - (size_t)h, "Authentication-Info: %s\r\n", ai);
	http_respond(io, status, hdr, "application/json", body, (size_t)n);
}
