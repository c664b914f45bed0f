/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The NAF's Zn client over Diameter (TS 29.109 6.1.3/6.1.4, application 16777220), chosen by
 * a bsf_url "diameter:FDCONF[,REALM[,HOST]]": one Bootstrapping-Info-Request per cache miss
 * on the process's freeDiameter core (diameter/dia.h), answered into the same naf_zn_result
 * as the SOAP client, so the cache and gba_naf_get_key() do not know the transport. The
 * caller blocks until the answer or freeDiameter's expiry (timeout_ms); the waiter lives on
 * the heap with two references so that a late callback never touches a returned caller.
 * Key AVPs of the answer are wiped in the received buffer before it is freed.
 */
#include "config.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <gba/bsfxml.h>	/* GBA_XML_MAX */
#include <gba/log.h>

#include "dia.h"
#include "naf_priv.h"

#define SAFETY_MS	2000	/* beyond freeDiameter's own expiry, before giving up */

int naf_zn_dia_open(struct gba_naf *naf, const char *spec)
{
	char *conf = strdup(spec), *realm, *host = NULL;
	int rc = -EINVAL;

	if (!conf)
		return -ENOMEM;
	realm = strchr(conf, ',');
	if (realm) {
		*realm++ = '\0';
		host = strchr(realm, ',');
		if (host)
			*host++ = '\0';
		if (!*realm || (host && (!*host || strchr(host, ',')))) {
			GLOGP(GBA_LC_ZN, GBA_LL_ERROR, "Zn diameter:%s: FDCONF[,REALM[,HOST]]",
			      spec);
			goto out;
		}
	}
	if (!*conf)
		goto out;
	if ((realm && !(naf->dia_realm = strdup(realm))) ||
	    (host && !(naf->dia_host = strdup(host)))) {
		rc = -ENOMEM;
		goto out;
	}
	rc = gba_dia_start(conf, GBA_DIA_ZN, 2000);
	if (rc) {
		GLOGP(GBA_LC_ZN, GBA_LL_ERROR, "Zn over Diameter (%s): %s", conf, strerror(-rc));
		goto out;
	}
	naf->dia = true;
	GLOGP(GBA_LC_ZN, GBA_LL_INFO, "Zn over Diameter as %s towards realm %s%s%s",
	      gba_dia_identity(), naf->dia_realm ? naf->dia_realm : gba_dia_realm(),
	      host ? ", host " : "", host ? host : "");
out:
	free(conf);
	return rc;
}

void naf_zn_dia_close(struct gba_naf *naf)
{
	if (!naf)
		return;
	if (naf->dia)
		gba_dia_stop();
	naf->dia = false;
	free(naf->dia_realm);
	free(naf->dia_host);
	naf->dia_realm = naf->dia_host = NULL;
}

/* Printable ASCII, no NUL: an IMPI. */
static bool printable(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] < 0x20 || p[i] > 0x7e)
			return false;
	return true;
}

/* Optional Enumerated 0/1 AVP: 0 (absent: 'def'), or -EPROTO for another value. */
static int get_bit(struct msg *m, struct dict_object *model, uint32_t def, uint32_t *v)
{
	int rc = gba_dia_get_u32(m, model, v);

	if (rc == -ENOENT)
		*v = def;
	else if (rc || *v > 1)
		return -EPROTO;
	return 0;
}

/* The answer of a successful BIA; -EPROTO (reason in *why) when it is unusable. */
static int decode_keys(struct msg *m, struct gba_zn_answer *a, const char **why)
{
	const uint8_t *p;
	size_t n;
	uint32_t v;
	int rc;

	rc = gba_dia_get_os(m, gba_dia_dict.user_name, &p, &n);
	if (rc == 0 && (n > GBA_IMPI_MAX || !printable(p, n))) {
		*why = "User-Name is not an IMPI";
		return -EPROTO;
	}
	if (rc == 0)
		memcpy(a->impi, p, n);	/* absent: the BSF keeps the IMPI private */
	if (gba_dia_get_os(m, gba_dia_dict.me_key, &p, &n) || n != GBA_KS_NAF_LEN) {
		*why = "ME-Key-Material missing or not 32 octets";
		return -EPROTO;
	}
	memcpy(a->me_key, p, n);
	rc = gba_dia_get_os(m, gba_dia_dict.uicc_key, &p, &n);
	if (rc == 0 && n == GBA_KS_NAF_LEN) {
		memcpy(a->uicc_key, p, n);
		a->has_uicc_key = true;
	} else if (rc != -ENOENT) {
		*why = "UICC-Key-Material not 32 octets";
		return -EPROTO;
	}
	if (gba_dia_get_time(m, gba_dia_dict.key_expiry, &a->key_expiry)) {
		*why = "Key-ExpiryTime missing or not a Time";
		return -EPROTO;
	}
	rc = gba_dia_get_time(m, gba_dia_dict.boot_time, &a->creation_time);
	if (rc && rc != -ENOENT) {
		*why = "BootstrapInfoCreationTime not a Time";
		return -EPROTO;
	}
	if (get_bit(m, gba_dia_dict.gba_type, GBA_ZN_TYPE_3G, &v)) {
		*why = "GBA-Type neither 3G_GBA (0) nor 2G_GBA (1)";
		return -EPROTO;
	}
	a->gba_type = v;
	/* no UICC-ME (an older BSF): GBA_U exactly when Ks_int_NAF came along */
	if (get_bit(m, gba_dia_dict.uicc_me, a->has_uicc_key, &v)) {
		*why = "UICC-ME neither GBA_ME (0) nor GBA_U (1)";
		return -EPROTO;
	}
	a->uicc_me = v;
	rc = gba_dia_get_os(m, gba_dia_dict.guss, &p, &n);
	if (rc == 0 && (!n || n > GBA_XML_MAX || memchr(p, '\0', n))) {
		*why = "GBA-UserSecSettings empty, too large or not text";
		return -EPROTO;
	}
	if (rc == 0 && !(a->uss = strndup((const char *)p, n))) {
		*why = "out of memory";
		return -ENOMEM;
	}
	return 0;
}

int naf_zn_dia_decode(struct msg *ans, struct naf_zn_result *r)
{
	const char *why = NULL;
	uint32_t code;
	bool exp;

	memset(r, 0, sizeof(*r));
	if (gba_dia_result(ans, &code, &exp)) {
		GLOGP(GBA_LC_ZN, GBA_LL_ERROR,
		      "Zn: BIA without Result-Code or Experimental-Result");
		return r->rc = -EPROTO;
	}
	if (code != GBA_DIA_SUCCESS || exp) {
		r->rc = code == GBA_DIA_UNABLE_TO_DELIVER ? -EHOSTUNREACH :
			exp ? naf_zn_fault_errno(code) : -EIO;
		GLOGP(GBA_LC_ZN, r->rc == -ENOENT ? GBA_LL_INFO : GBA_LL_ERROR,
		      "Zn: BIA %s %u", exp ? "Experimental-Result-Code" : "Result-Code", code);
		return r->rc;
	}
	r->rc = decode_keys(ans, &r->a, &why);
	if (r->rc) {
		GLOGP(GBA_LC_ZN, GBA_LL_ERROR, "Zn: malformed BIA: %s", why);
		gba_zn_answer_clear(&r->a);
	}
	return r->rc;
}

/* One exchange in flight: the caller and freeDiameter's callback each hold a reference. */
struct waiter {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	unsigned int refs;
	bool done;
	struct naf_zn_result r;
};

static void waiter_put(struct waiter *w)
{
	bool last;

	pthread_mutex_lock(&w->lock);
	last = !--w->refs;
	pthread_mutex_unlock(&w->lock);
	if (!last)
		return;
	gba_zn_answer_clear(&w->r.a);
	pthread_cond_destroy(&w->cond);
	pthread_mutex_destroy(&w->lock);
	gba_zeroize(w, sizeof(*w));
	free(w);
}

static void finish(struct waiter *w)
{
	pthread_mutex_lock(&w->lock);
	w->done = true;
	pthread_cond_signal(&w->cond);
	pthread_mutex_unlock(&w->lock);
	waiter_put(w);
}

/* A BIA arrived: decoded, then its ME-/UICC-Key-Material wiped where they lie, in its buffer. */
static void on_answer(void *data, struct msg **ans)
{
	struct waiter *w = data;

	naf_zn_dia_decode(*ans, &w->r);
	gba_dia_wipe_keys(*ans);
	fd_msg_free(*ans);
	*ans = NULL;
	finish(w);
}

static void on_expiry(void *data, DiamId_t sentto, size_t len, struct msg **req)
{
	struct waiter *w = data;

	GLOGP(GBA_LC_ZN, GBA_LL_ERROR, "Zn: no BIA from %.*s in time", (int)len,
	      sentto ? (char *)sentto : "?");
	w->r.rc = -ETIMEDOUT;
	fd_msg_free(*req);
	*req = NULL;
	finish(w);
}

/* The BIR for 'btid' / 'naf_id', Destination-Realm/-Host as configured. 0 or -errno. */
static int build_bir(struct gba_naf *naf, const char *btid, const uint8_t *naf_id,
		     size_t naf_id_len, struct msg **out)
{
	struct msg *m;
	int rc;

	rc = gba_dia_request(&m, gba_dia_dict.cmd_bir, GBA_DIA_APP_ZN, naf->dia_realm,
			     naf->dia_host);
	if (rc)
		return rc;
	rc = gba_dia_add_os(m, gba_dia_dict.btid, btid, strlen(btid));
	rc = rc ?: gba_dia_add_os(m, gba_dia_dict.naf_id, naf_id, naf_id_len);
	rc = rc ?: gba_dia_add_u32(m, gba_dia_dict.gba_u_aware, naf->gba_u_aware ? 1 : 0);
	if (rc) {
		fd_msg_free(m);
		return rc;
	}
	*out = m;
	return 0;
}

int naf_zn_dia_fetch(struct gba_naf *naf, const char *btid, const uint8_t *naf_id,
		     size_t naf_id_len, struct naf_zn_result *r)
{
	struct waiter *w;
	struct msg *m = NULL;
	struct timespec expiry, until;
	int rc;

	memset(r, 0, sizeof(*r));
	w = calloc(1, sizeof(*w));
	if (!w)
		return r->rc = -ENOMEM;
	pthread_mutex_init(&w->lock, NULL);
	pthread_cond_init(&w->cond, NULL);
	w->refs = 2;
	rc = build_bir(naf, btid, naf_id, naf_id_len, &m);
	clock_gettime(CLOCK_REALTIME, &expiry);
	expiry.tv_sec += naf->timeout_ms / 1000;
	expiry.tv_nsec += (naf->timeout_ms % 1000) * 1000000L;
	if (expiry.tv_nsec >= 1000000000L) {
		expiry.tv_sec++;
		expiry.tv_nsec -= 1000000000L;
	}
	if (!rc && (rc = fd_msg_send_timeout(&m, on_answer, w, on_expiry, &expiry))) {
		GLOGP(GBA_LC_ZN, GBA_LL_ERROR, "Zn: BIR not sent: %s", strerror(rc));
		rc = -EIO;
	}
	if (rc) {
		if (m)
			fd_msg_free(m);
		w->refs = 1;	/* no callback will come */
		waiter_put(w);
		return r->rc = rc == -ENOMEM ? rc : -EIO;
	}
	until = expiry;
	until.tv_sec += SAFETY_MS / 1000;
	pthread_mutex_lock(&w->lock);
	while (!w->done && pthread_cond_timedwait(&w->cond, &w->lock, &until) != ETIMEDOUT)
		;
	if (w->done) {
		*r = w->r;	/* moves the answer (keys, USS) to the caller */
		memset(&w->r, 0, sizeof(w->r));
	} else {
		r->rc = -ETIMEDOUT;	/* the callback, if it ever comes, frees w */
	}
	pthread_mutex_unlock(&w->lock);
	waiter_put(w);
	if (!r->rc)
		GLOGP(GBA_LC_ZN, GBA_LL_INFO, "Zn: B-TID %s -> IMPI %s (%s, Diameter)", btid,
		      r->a.impi, r->a.uicc_me == GBA_ZN_UICC_ME_GBA_U ? "GBA_U" : "GBA_ME");
	return r->rc;
}
