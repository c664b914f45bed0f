/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * libgba-ue's public entry points (<gba/ue.h>): opening a card (PC/SC, a callback, a
 * transport), card information and PIN, the bootstrap policy (reuse the GBA_ME cache file or
 * the card's EF_GBABP until the key expires, else run Ub; GBA_U with the fallback to GBA_ME
 * for cards that refuse the GBA context) and NAF keys (Ks_NAF in the ME, Ks_ext_NAF from
 * the card).
 */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gba/kdf.h>
#include <gba/log.h>

#include "ue_priv.h"

/* A key this close to its expiry is treated as expired (the NAF would refuse it soon). */
#define UE_EXPIRY_MARGIN	30

const uint8_t gba_ue_ua_http_digest[GBA_UE_UA_ID_LEN] = { 0x01, 0x00, 0x00, 0x00, 0x02 };
const uint8_t gba_ue_ua_tls13[GBA_UE_UA_ID_LEN] = { 0x01, 0x00, 0x00, 0x00, 0x07 };

void gba_ue_ua_tls12(uint8_t out[GBA_UE_UA_ID_LEN], uint16_t suite)
{
	gba_ua_id_tls12(out, suite);
}

int ue_err(struct gba_ue *ue, int rc, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(ue->err, sizeof(ue->err), fmt, ap);
	va_end(ap);
	GLOGP(GBA_LC_UE, GBA_LL_INFO, "%s", ue->err);
	return rc;
}

const char *gba_ue_errmsg(const struct gba_ue *ue)
{
	return ue ? ue->err : "out of memory";
}

int gba_ue_log_setup(const char *spec)
{
	gba_log_init("gba-ue", GBA_LOG_STDERR);
	return spec ? gba_log_parse_spec(spec) : 0;
}

int gba_ue_list_readers(void (*cb)(void *arg, const char *reader, bool card_present), void *arg)
{
	return gba_pcsc_list_readers(cb, arg);
}

static char *dup_opt(const char *s, int *rc)
{
	char *d;

	if (!s)
		return NULL;
	d = strdup(s);
	if (!d)
		*rc = -ENOMEM;
	return d;
}

static int ue_new(struct gba_ue **out, const struct gba_ue_opts *o)
{
	struct gba_ue_opts none = { 0 };
	struct gba_ue *ue;
	int rc = 0;

	*out = NULL;
	if (!o)
		o = &none;
	ue = calloc(1, sizeof(*ue));
	if (!ue)
		return -ENOMEM;
	ue->bsf_url_opt = dup_opt(o->bsf_url, &rc);
	ue->pin = dup_opt(o->pin, &rc);
	ue->cache_dir = dup_opt(o->cache_dir, &rc);
	ue->product = dup_opt(o->product ? o->product : "gbakit/" PACKAGE_VERSION, &rc);
	ue->no_cache = o->no_cache;
	ue->force_gba_me = o->force_gba_me;
	ue->http_timeout_ms = o->http_timeout_ms > 0 ? o->http_timeout_ms : 10000;
	ue->cur_app = 0;	/* GBA_APP_UNKNOWN */
	ue->pin_retries = -1;
	if (rc) {
		gba_ue_free(ue);
		return rc;
	}
	*out = ue;
	return 0;
}

int gba_ue_open_transport(struct gba_ue **out, struct gba_transport *t,
			  const struct gba_ue_opts *o)
{
	struct gba_ue *ue;
	int rc;

	if (!out || !t) {
		gba_transport_close(t);
		return -EINVAL;
	}
	rc = ue_new(&ue, o);
	if (rc) {
		gba_transport_close(t);
		return rc;
	}
	*out = ue;
	rc = ue_card_attach(ue, t);
	if (rc)
		return ue_err(ue, rc, "out of memory");
	return ue_card_identify(ue);
}

int gba_ue_open_apdu(struct gba_ue **out, gba_ue_apdu_fn apdu, void *ctx,
		     const struct gba_ue_opts *o)
{
	struct gba_transport *t;
	int rc;

	if (!out)
		return -EINVAL;
	*out = NULL;
	rc = gba_transport_inproc_open(&t, apdu, NULL, ctx, GBA_PROTO_RAW, "apdu callback");
	if (rc)
		return rc;
	return gba_ue_open_transport(out, t, o);
}

int gba_ue_open(struct gba_ue **out, const struct gba_ue_opts *o)
{
	struct gba_pcsc_opts po = { 0 };
	struct gba_transport *t;
	struct gba_ue *ue;
	int rc;

	if (!out)
		return -EINVAL;
	*out = NULL;
	if (o) {
		po.reader = o->reader;
		po.wait_ms = o->card_wait_ms;
	}
	rc = gba_transport_pcsc_open(&t, &po);
	if (rc) {
		if (ue_new(&ue, o) == 0) {
			*out = ue;
			ue_err(ue, rc, "%s%s%s", gba_transport_strerror(rc),
			       o && o->reader ? ": " : "", o && o->reader ? o->reader : "");
		}
		return rc;
	}
	return gba_ue_open_transport(out, t, o);
}

void gba_ue_free(struct gba_ue *ue)
{
	if (!ue)
		return;
	gba_transport_close(ue->t ? ue->t : ue->inner);
	if (ue->pin)
		gba_zeroize(ue->pin, strlen(ue->pin));
	free(ue->pin);
	free(ue->bsf_url_opt);
	free(ue->cache_dir);
	free(ue->product);
	gba_zeroize(ue, sizeof(*ue));
	free(ue);
}

unsigned int gba_ue_apdu_count(const struct gba_ue *ue)
{
	return ue ? ue->apdus : 0;
}

bool ue_gba_u(const struct gba_ue *ue)
{
	return ue->gba_u_capable && !ue->force_gba_me && !ue->gba_u_fallback;
}

const char *gba_ue_pin_state_name(enum gba_ue_pin_state s)
{
	switch (s) {
	case GBA_UE_PIN_DISABLED:
		return "disabled";
	case GBA_UE_PIN_VERIFIED:
		return "verified";
	case GBA_UE_PIN_REQUIRED:
		return "required";
	case GBA_UE_PIN_BLOCKED:
		return "blocked";
	default:
		return "unknown";
	}
}

int gba_ue_card_info(struct gba_ue *ue, struct gba_ue_card_info *info)
{
	int rc;

	if (!ue || !info)
		return -EINVAL;
	rc = ue->t ? ue_card_identify(ue) : -ENODEV;
	memset(info, 0, sizeof(*info));
	snprintf(info->reader, sizeof(info->reader), "%s", ue->reader);
	snprintf(info->iccid, sizeof(info->iccid), "%s", ue->iccid);
	snprintf(info->imsi, sizeof(info->imsi), "%s", ue->imsi);
	snprintf(info->impi, sizeof(info->impi), "%s", ue->impi);
	snprintf(info->app, sizeof(info->app), "%s", ue_card_app_name(ue));
	info->mnc_len = ue->mnc_len;
	info->impi_from_isim = ue->impi_from_isim;
	info->has_usim = ue->usim.present;
	info->has_isim = ue->isim.present;
	info->gba_u = ue->gba_u_capable;
	info->gba_u_used = ue_gba_u(ue);
	info->pin_state = ue->pin_state;
	info->pin_retries = ue->pin_retries;
	if (rc == 0 && ue_bsf_url(ue, info->bsf_url, sizeof(info->bsf_url)) < 0)
		info->bsf_url[0] = '\0';
	info->apdus = ue->apdus;
	return rc;
}

int gba_ue_verify_pin(struct gba_ue *ue, const char *pin)
{
	int rc;

	if (!ue || !pin || !ue->t)
		return -EINVAL;
	rc = ue_card_verify_pin(ue, pin);
	if (rc == 0 && !ue->identified)
		rc = ue_card_identify(ue);
	return rc;
}

static void boot_out(const struct gba_ue *ue, struct gba_ue_bootstrap *out)
{
	if (!out)
		return;
	memset(out, 0, sizeof(*out));
	snprintf(out->btid, sizeof(out->btid), "%s", ue->boot.btid);
	snprintf(out->impi, sizeof(out->impi), "%s", ue->boot.impi);
	out->expiry = ue->boot.expiry;
	out->gba_u = ue->boot.gba_u;
	out->from_cache = ue->boot.from_cache;
	out->resynced = ue->boot.resynced;
}

int gba_ue_bootstrap(struct gba_ue *ue, bool force, struct gba_ue_bootstrap *out)
{
	char url[GBA_UE_URL_MAX], path[1024], lt[GBA_DATETIME_LEN + 1];
	time_t now = time(NULL);
	bool gba_u;
	int rc;

	if (!ue)
		return -EINVAL;
	if (!ue->t)
		return ue_err(ue, -ENODEV, "no card");
	rc = ue_card_identify(ue);
	if (rc < 0)
		return rc;
	rc = ue_bsf_url(ue, url, sizeof(url));
	if (rc < 0)
		return rc;
	path[0] = '\0';
	if (!ue->no_cache && ue_cache_path(ue, url, path, sizeof(path)) < 0)
		path[0] = '\0';
	gba_u = ue_gba_u(ue);

	if (!force && ue->boot.valid && ue->boot.gba_u == gba_u &&
	    ue->boot.expiry > now + UE_EXPIRY_MARGIN) {
		boot_out(ue, out);
		return 0;
	}
	if (!force && gba_u && ue_card_boot_load(ue, now + UE_EXPIRY_MARGIN) == 0) {
		GLOGP(GBA_LC_UE, GBA_LL_INFO, "GBA_U bootstrap %s from EF_GBABP", ue->boot.btid);
		boot_out(ue, out);
		return 0;
	}
	if (!force && !gba_u && path[0]) {
		rc = ue_cache_load(path, ue->impi, now + UE_EXPIRY_MARGIN, &ue->boot);
		if (rc == 0) {
			GLOGP(GBA_LC_UE, GBA_LL_INFO, "GBA_ME bootstrap %s from %s", ue->boot.btid,
			      path);
			boot_out(ue, out);
			return 0;
		}
		GLOGP(GBA_LC_UE, GBA_LL_INFO, "no usable cache (%s): bootstrapping",
		      rc == -ESTALE ? "expired" : rc == -ENOENT ? "none" : "corrupt");
	}

	gba_zeroize(&ue->boot, sizeof(ue->boot));
	rc = ue_ub_bootstrap(ue, url, gba_u);
	if (rc < 0)
		return rc;
	if (ue->boot.gba_u) {
		rc = gba_datetime_format(lt, sizeof(lt), ue->boot.expiry);
		if (rc < 0)
			return ue_err(ue, rc, "lifetime out of range");
		rc = ue_card_gbabp_write(ue, ue->boot.rand, ue->boot.btid, lt);
		if (rc < 0) {
			ue->boot.valid = false;
			return rc;
		}
	} else if (path[0]) {
		rc = ue_cache_store(path, &ue->boot);
		if (rc < 0)
			GLOGP(GBA_LC_UE, GBA_LL_NOTICE, "cannot write cache %s: %s", path,
			      strerror(-rc));
	}
	boot_out(ue, out);
	return 0;
}

int gba_ue_naf_key(struct gba_ue *ue, const char *naf_fqdn, const uint8_t ua_id[GBA_UE_UA_ID_LEN],
		   bool force, struct gba_ue_naf_key *out)
{
	uint8_t naf_id[GBA_NAF_ID_MAX];
	int n, rc, tries;

	if (!ue || !naf_fqdn || !ua_id || !out)
		return -EINVAL;
	memset(out, 0, sizeof(*out));
	n = gba_naf_id(naf_id, sizeof(naf_id), naf_fqdn, ua_id);
	if (n < 0)
		return ue_err(ue, -EINVAL, "bad NAF FQDN '%s'", naf_fqdn);
	for (tries = 0; tries < 2; tries++) {
		rc = gba_ue_bootstrap(ue, force, NULL);
		if (rc < 0)
			return rc;
		if (ue->boot.gba_u)
			rc = ue_card_naf(ue, naf_id, (size_t)n, ue->boot.impi, out->key);
		else
			rc = gba_ks_naf(out->key, ue->boot.ks, ue->boot.rand, ue->boot.impi, naf_id,
					(size_t)n);
		/* the card lost its Ks (another ME bootstrapped it, or it was reset) */
		if (rc == -ENOKEY && !force) {
			force = true;
			continue;
		}
		break;
	}
	if (rc < 0) {
		gba_zeroize(out->key, sizeof(out->key));
		return rc == -EIO ? ue_err(ue, rc, "key derivation failed") : rc;
	}
	snprintf(out->btid, sizeof(out->btid), "%s", ue->boot.btid);
	out->expiry = ue->boot.expiry;
	out->gba_u = ue->boot.gba_u;
	memcpy(out->ua_id, ua_id, GBA_UE_UA_ID_LEN);
	GLOGP(GBA_LC_UE, GBA_LL_INFO, "%s for %s (Ua %02x%02x%02x%02x%02x), %u APDUs so far",
	      out->gba_u ? "Ks_ext_NAF" : "Ks_NAF", naf_fqdn, ua_id[0], ua_id[1], ua_id[2],
	      ua_id[3], ua_id[4], ue->apdus);
	gba_log_key(GBA_LC_UE, "NAF key", out->key, sizeof(out->key));
	return 0;
}

void gba_ue_key_wipe(struct gba_ue_naf_key *k)
{
	if (k)
		gba_zeroize(k, sizeof(*k));
}

void gba_ue_response_free(struct gba_ue_response *r)
{
	if (!r)
		return;
	free(r->body);
	r->body = NULL;
	r->body_len = 0;
}

int gba_ue_get(struct gba_ue *ue, const char *url, unsigned int flags,
	       struct gba_ue_response *resp)
{
	struct ue_url u;

	if (!ue || !url || !resp)
		return -EINVAL;
	memset(resp, 0, sizeof(*resp));
	if (ue_url_parse(&u, url))
		return ue_err(ue, -EINVAL, "bad URL '%s'", url);
	return u.https ? ue_tls_get(ue, url, flags, resp) : ue_digest_get(ue, url, resp);
}
