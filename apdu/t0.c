/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * gba_apdu_exchange(): one command/response pair with the T=0 procedure done
 * above the raw transport (ISO 7816-3 12.2, ISO 7816-4 5.3.4, TS 102 221 7.3):
 * 61xx (and 9Fxx of GSM SIMs) -> GET RESPONSE until a final status word,
 * accumulating the data;
 * 6Cxx -> the same command again with Le = xx; Le dropped from case 4 commands
 * on T=0, and a 62xx/63xx warning to such a command followed by GET RESPONSE
 * Le = 00 (ISO 7816-3 12.2.4, case 4S.3) so its data is not lost; logical
 * channel of the class byte kept; bounded round trips.
 * See include/gba/transport.h.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <gba/apdu.h>
#include <gba/keys.h>
#include <gba/log.h>
#include <gba/transport.h>
#include <gba/uicc_cmd.h>

struct xchg {
	struct gba_transport *t;
	uint8_t *rx;
	size_t rxcap;
	uint8_t *cmd;		/* re-issued command / GET RESPONSE */
	size_t cmdcap;
};

static int xchg_step(struct xchg *x, const uint8_t *cmd, size_t clen, struct gba_rapdu *r)
{
	size_t rlen = x->rxcap;
	int rc;

	if (gba_log_enabled(GBA_LC_APDU, GBA_LL_DEBUG))
		GLOGP(GBA_LC_APDU, GBA_LL_DEBUG, "%s: -> %02X %02X %02X %02X (%zu bytes)",
		      gba_transport_name(x->t), cmd[0], cmd[1], cmd[2], cmd[3], clen);
	rc = gba_transport_transmit(x->t, cmd, clen, x->rx, &rlen);
	if (rc < 0) {
		GLOGP(GBA_LC_APDU, GBA_LL_ERROR, "%s: transmit failed: %s",
		      gba_transport_name(x->t), gba_transport_strerror(rc));
		return rc;
	}
	if (rlen > x->rxcap || gba_rapdu_split(r, x->rx, rlen) < 0) {
		GLOGP(GBA_LC_APDU, GBA_LL_ERROR, "%s: malformed R-APDU of %zu bytes",
		      gba_transport_name(x->t), rlen);
		return -EPROTO;
	}
	GLOGP(GBA_LC_APDU, GBA_LL_DEBUG, "%s: <- %zu bytes, SW %04X (%s)",
	      gba_transport_name(x->t), r->len, r->sw, gba_sw_name(r->sw));
	return 0;
}

/* What goes on the wire for 'c': on T=0 a short case 4 loses its Le byte. */
static int wire_encode(struct xchg *x, const struct gba_capdu *c, bool t0)
{
	struct gba_capdu w = *c;

	if (t0 && w.nc)
		w.ne = 0;
	return gba_capdu_encode(x->cmd, x->cmdcap, &w);
}

int gba_apdu_exchange(struct gba_transport *t, const uint8_t *capdu, size_t clen,
		      uint8_t *resp, size_t resp_max, uint16_t *sw)
{
	uint8_t small_rx[GBA_RAPDU_SHORT_MAX_LEN], small_cmd[GBA_CAPDU_SHORT_MAX_LEN];
	struct xchg x = { .t = t };
	struct gba_capdu c;
	struct gba_rapdu r;
	const char *why = NULL;
	unsigned int iter, max;
	size_t total = 0;
	bool t0, is_get_response = false;
	uint16_t warning = 0;
	int rc, n;

	if (!t || !sw || (!resp && resp_max))
		return -EINVAL;
	*sw = 0;
	rc = gba_capdu_decode(&c, capdu, clen, &why);
	if (rc < 0) {
		GLOGP(GBA_LC_APDU, GBA_LL_ERROR, "refusing to send a malformed C-APDU: %s", why);
		return rc;
	}
	t0 = gba_transport_protocol(t) == GBA_PROTO_T0;
	if (t0 && c.extended) {
		GLOGP(GBA_LC_APDU, GBA_LL_ERROR, "%s: extended-length APDU on T=0",
		      gba_transport_name(t));
		return -EOPNOTSUPP;
	}
	if (c.extended) {
		x.rxcap = GBA_RAPDU_MAX_LEN;
		x.cmdcap = GBA_CAPDU_MAX_LEN;
		x.rx = malloc(x.rxcap);
		x.cmd = malloc(x.cmdcap);
		if (!x.rx || !x.cmd) {
			rc = -ENOMEM;
			goto out;
		}
	} else {
		x.rx = small_rx;
		x.rxcap = sizeof(small_rx);
		x.cmd = small_cmd;
		x.cmdcap = sizeof(small_cmd);
	}
	max = t->max_iter ? t->max_iter : GBA_APDU_MAX_ITER;

	n = wire_encode(&x, &c, t0);
	if (n < 0) {
		rc = n;
		goto out;
	}
	for (iter = 0; iter < max; iter++) {
		rc = xchg_step(&x, x.cmd, (size_t)n, &r);
		if (rc < 0)
			goto out;
		if (gba_sw1(r.sw) == GBA_SW1_WRONG_LE && (is_get_response || c.nc == 0 || !t0)) {
			/* wrong Le: the same command again with Le = SW2 (data is discarded) */
			uint32_t le = gba_sw2(r.sw) ? gba_sw2(r.sw) : 256;

			if (is_get_response) {
				n = gba_cmd_get_response(x.cmd, x.cmdcap, c.cla, le);
			} else {
				struct gba_capdu again = c;

				again.ne = le;
				n = gba_capdu_encode(x.cmd, x.cmdcap, &again);
			}
			if (n < 0) {
				rc = n;
				goto out;
			}
			continue;
		}
		if (r.len > resp_max - total) {
			GLOGP(GBA_LC_APDU, GBA_LL_ERROR, "%s: response larger than %zu bytes",
			      gba_transport_name(t), resp_max);
			rc = -ENOSPC;
			goto out;
		}
		if (r.len)
			memcpy(resp + total, r.data, r.len);
		total += r.len;
		if (t0 && c.nc && c.ne && !is_get_response && r.len == 0 &&
		    (gba_sw1(r.sw) == 0x62 || gba_sw1(r.sw) == 0x63)) {
			/* case 4S.3: a warning; the data (if any) comes with GET RESPONSE */
			warning = r.sw;
			n = gba_cmd_get_response(x.cmd, x.cmdcap, c.cla, 256);
			if (n < 0) {
				rc = n;
				goto out;
			}
			is_get_response = true;
			continue;
		}
		if (gba_sw1(r.sw) == GBA_SW1_BYTES_AVAILABLE ||
		    gba_sw1(r.sw) == GBA_SW1_GSM_AVAILABLE) {
			n = gba_cmd_get_response(x.cmd, x.cmdcap, c.cla,
						 gba_sw2(r.sw) ? gba_sw2(r.sw) : 256);
			if (n < 0) {
				rc = n;
				goto out;
			}
			is_get_response = true;
			continue;
		}
		*sw = r.sw;
		if (warning) {
			/* the command's status is the warning; a failed GET RESPONSE: no data */
			if (!gba_sw_is_ok(r.sw))
				total = 0;
			*sw = warning;
		}
		rc = (int)total;
		goto out;
	}
	GLOGP(GBA_LC_APDU, GBA_LL_ERROR, "%s: no final status word after %u round trips",
	      gba_transport_name(t), max);
	rc = -EPROTO;
out:
	/* the buffers held card answers (RES, CK, IK...) */
	gba_zeroize(x.rx, x.rxcap);
	if (x.rx != small_rx) {
		free(x.rx);
		free(x.cmd);
	}
	if (rc < 0 && resp)
		gba_zeroize(resp, total);
	return rc;
}
