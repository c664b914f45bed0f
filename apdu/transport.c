/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The transport interface: thin wrappers around a transport's ops and the text
 * of the errno values every transport uses. See include/gba/transport.h.
 */
#include "config.h"

#include <errno.h>
#include <string.h>

#include <gba/transport.h>

int gba_transport_transmit(struct gba_transport *t, const uint8_t *capdu, size_t clen,
			   uint8_t *rapdu, size_t *rlen)
{
	if (!t || !t->ops->transmit || !capdu || !rapdu || !rlen)
		return -EINVAL;
	return t->ops->transmit(t, capdu, clen, rapdu, rlen);
}

int gba_transport_reset(struct gba_transport *t, bool cold, uint8_t *atr, size_t *atr_len)
{
	if (!t)
		return -EINVAL;
	if (!t->ops->reset)
		return -EOPNOTSUPP;
	return t->ops->reset(t, cold, atr, atr_len);
}

void gba_transport_close(struct gba_transport *t)
{
	if (t && t->ops->close)
		t->ops->close(t);
}

const char *gba_transport_name(struct gba_transport *t)
{
	if (!t)
		return "(none)";
	return t->ops->name ? t->ops->name(t) : t->ops->kind;
}

enum gba_proto gba_transport_protocol(struct gba_transport *t)
{
	if (!t || !t->ops->protocol)
		return GBA_PROTO_RAW;
	return t->ops->protocol(t);
}

const char *gba_proto_name(enum gba_proto p)
{
	switch (p) {
	case GBA_PROTO_T0:
		return "T=0";
	case GBA_PROTO_T1:
		return "T=1";
	default:
		return "raw";
	}
}

const char *gba_transport_strerror(int err)
{
	switch (err) {
	case -EHOSTDOWN:
		return "PC/SC service not reachable (pcscd not running?)";
	case -ENODEV:
		return "no smart card reader (or none matching the name)";
	case -ENOMEDIUM:
		return "no card in the reader, or the card was removed";
	case -ETIMEDOUT:
		return "timed out waiting for a card";
	case -EBUSY:
		return "card in exclusive use by another process";
	case -ECONNRESET:
		return "card reset by another process";
	case -EPROTO:
		return "malformed card response or endless GET RESPONSE loop";
	case -EOPNOTSUPP:
		return "extended-length APDU not possible on T=0";
	case -ENOSPC:
		return "card response larger than the buffer";
	case -EIO:
		return "reader or card communication failure";
	}
	return strerror(err < 0 ? -err : err);
}
