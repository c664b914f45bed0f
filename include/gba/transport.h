/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * APDU transports: how the ME reaches a card. A transport moves one C-APDU out
 * and one R-APDU (data || SW1 SW2) back (raw exchange); gba_apdu_exchange() sits
 * above it and does the T=0 procedure a real card needs (ISO 7816-3/-4, TS 102
 * 221 7.3): 61xx -> GET RESPONSE loop with the data accumulated, 6Cxx -> the same
 * command again with Le = xx, the class byte's logical channel kept, at most
 * GBA_APDU_MAX_ITER round trips.
 *
 * Two implementations: PC/SC (libpcsclite, any reader known to pcscd, including
 * vsmartcard's vpcd driven by gba-uicc) and in-process (a callback, so tests and
 * tools plug the soft card in without apdu/ including uicc/).
 *
 * Errors are negative errno values, the same for every transport:
 *   -EHOSTDOWN   the PC/SC service is not reachable (pcscd not running,
 *                SCARD_E_NO_SERVICE / SCARD_E_SERVICE_STOPPED)
 *   -ENODEV      no reader, or no reader matching the requested name
 *   -ENOMEDIUM   no card in the reader, or the card was removed
 *   -ETIMEDOUT   no card arrived within the wait time
 *   -EBUSY       the card is held exclusively by another process
 *   -ECONNRESET  the card was reset by another process and reconnecting failed
 *   -EPROTO      malformed R-APDU, or the T=0 loop did not end
 *   -EOPNOTSUPP  extended-length APDU on T=0
 *   -ENOSPC      the response does not fit the caller's buffer
 *   -EIO         any other reader / card communication failure
 * gba_transport_strerror() gives the text of each.
 */
#ifndef GBA_TRANSPORT_H
#define GBA_TRANSPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define GBA_ATR_MAX		33
#define GBA_APDU_MAX_ITER	16	/* round trips of one gba_apdu_exchange() */

enum gba_proto {
	GBA_PROTO_T0 = 0,
	GBA_PROTO_T1 = 1,
	GBA_PROTO_RAW = 2,	/* in-process / unknown: no T=0 specific mapping */
};

struct gba_transport;

struct gba_transport_ops {
	const char *kind;	/* "pcsc", "inproc" */
	/*
	 * Raw exchange: send 'clen' bytes, receive the R-APDU into 'rapdu' whose size is
	 * *rlen; set *rlen to the received length (>= 2 on success). Returns 0 or a
	 * negative errno from the list above.
	 */
	int (*transmit)(struct gba_transport *t, const uint8_t *capdu, size_t clen,
			uint8_t *rapdu, size_t *rlen);
	/* Warm reset (cold: power cycle). ATR into 'atr' (GBA_ATR_MAX), length into *atr_len. */
	int (*reset)(struct gba_transport *t, bool cold, uint8_t *atr, size_t *atr_len);
	/* Release everything, including 't' itself. */
	void (*close)(struct gba_transport *t);
	/* Reader or card name, for logs. Never NULL. */
	const char *(*name)(struct gba_transport *t);
	/* Active protocol. */
	enum gba_proto (*protocol)(struct gba_transport *t);
};

struct gba_transport {
	const struct gba_transport_ops *ops;
	void *priv;		/* implementation data */
	unsigned int max_iter;	/* T=0 loop bound; 0 = GBA_APDU_MAX_ITER */
};

/* Thin wrappers around the ops; NULL-safe where it makes sense (close(NULL) is a no-op). */
int gba_transport_transmit(struct gba_transport *t, const uint8_t *capdu, size_t clen,
			   uint8_t *rapdu, size_t *rlen);
int gba_transport_reset(struct gba_transport *t, bool cold, uint8_t *atr, size_t *atr_len);
void gba_transport_close(struct gba_transport *t);
const char *gba_transport_name(struct gba_transport *t);
enum gba_proto gba_transport_protocol(struct gba_transport *t);

/* "T=0", "T=1", "raw". */
const char *gba_proto_name(enum gba_proto p);

/* English text for the negative errno values listed above (and strerror() for others). */
const char *gba_transport_strerror(int err);

/*
 * Send one C-APDU and return the final response with the T=0 procedure done:
 * 61xx (9Fxx from a GSM SIM) -> GET RESPONSE (Le = xx) until a final SW, the data of every step
 * appended; 6Cxx -> the command again with Le = xx (also for GET RESPONSE). On
 * T=0 a short case 4 command is sent without its Le byte (ISO 7816-3 12.2.4) and
 * an extended one is refused with -EOPNOTSUPP. On T=0, a 62xx/63xx warning to such a
 * case 4 command is followed by GET RESPONSE Le = 00 (ISO 7816-3 case 4S.3): its data is
 * returned with the warning as *sw. A 6Cxx answer to a command with data on T=0 is final.
 * The response data goes to 'resp' (capacity 'resp_max'), the final status word
 * to *sw. Returns the data length (>= 0) whatever the SW (callers check *sw), or
 * a negative errno: -EINVAL for a malformed 'capdu', -ENOSPC when the data does not
 * fit, -EPROTO for a malformed response or more than max_iter round trips,
 * transport errors as they are. Logs headers and SWs at DEBUG, never data.
 */
int gba_apdu_exchange(struct gba_transport *t, const uint8_t *capdu, size_t clen,
		      uint8_t *resp, size_t resp_max, uint16_t *sw);

/* ------------------------------------------------------------------ in-process */

/*
 * A card in the same process. 'handler' gets one C-APDU and writes the R-APDU
 * (data || SW1 SW2) into 'rapdu', whose size is *rlen on entry; it sets *rlen to the
 * R-APDU length and returns 0, or returns a negative errno (passed on).
 */
typedef int (*gba_inproc_handler)(void *ctx, const uint8_t *capdu, size_t len,
				  uint8_t *rapdu, size_t *rlen);
/* Reset callback: writes the ATR, sets *atr_len (buffer GBA_ATR_MAX). May be NULL. */
typedef int (*gba_inproc_reset)(void *ctx, bool cold, uint8_t *atr, size_t *atr_len);

/*
 * Open an in-process transport around 'handler'/'ctx'. 'proto' is what
 * gba_transport_protocol() reports (GBA_PROTO_T0 makes gba_apdu_exchange() strip Le
 * from case 4 commands, like a real T=0 reader). 'name' may be NULL ("inproc").
 * Returns 0 and *out; -EINVAL for a NULL handler; -ENOMEM.
 */
int gba_transport_inproc_open(struct gba_transport **out, gba_inproc_handler handler,
			      gba_inproc_reset reset, void *ctx, enum gba_proto proto,
			      const char *name);

/* ------------------------------------------------------------------ PC/SC */

struct gba_pcsc_opts {
	const char *reader;	/* case-sensitive substring of the reader name; NULL: first
				 * reader with a card */
	int wait_ms;		/* wait for a card: 0 = do not wait, < 0 = forever */
	bool exclusive;		/* SCARD_SHARE_EXCLUSIVE instead of SHARED */
	bool t0_only;		/* offer only T=0 (default T=0|T=1) */
};

/*
 * Connect to a card through pcscd (the socket comes from PCSCLITE_CSOCK_NAME when
 * set, read by libpcsclite itself). Lists readers, picks one by opts->reader or the
 * first with a card, optionally waits for a card (SCardGetStatusChange), connects
 * with T=0|T=1. Every failure is logged once with a clear reason (e.g. "pcscd not
 * running"). 'opts' may be NULL (defaults). Returns 0 and *out, or a negative errno
 * of the list above.
 */
int gba_transport_pcsc_open(struct gba_transport **out, const struct gba_pcsc_opts *opts);

/*
 * Call 'cb' for each reader pcscd knows, with whether a card is present.
 * Returns the number of readers (0 is not an error), or -EHOSTDOWN / -EIO.
 */
int gba_pcsc_list_readers(void (*cb)(void *arg, const char *reader, bool card_present),
			  void *arg);

/* Negative errno for a PC/SC return code (LONG from <winscard.h>); 0 for SCARD_S_SUCCESS. */
int gba_pcsc_errno(long rv);

/* ATR of a PC/SC transport's card. Returns its length, -EINVAL for another kind, -ENOSPC. */
int gba_transport_pcsc_atr(struct gba_transport *t, uint8_t *atr, size_t atr_max);

#endif /* GBA_TRANSPORT_H */
