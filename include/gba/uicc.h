/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The software UICC (uicc/, libgbauicc): a TS 102 221 card with a USIM (TS 31.102) and an
 * ISIM (TS 31.103) built from a profile (<gba/profile.h>), with MILENAGE/XOR AKA, the
 * TS 33.102 Annex C.3.2 SQN array, correct GBA_U (TS 33.220 G.1/G.2) and a state file
 * written atomically before any answer leaves the card.
 *
 * The card sees whole C-APDUs and returns whole R-APDUs (data || SW1 SW2). It is driven by
 * gba-uicc behind vsmartcard's vpcd, or called in-process by tests (the apdu/ in-process
 * transport takes gba_uicc_transmit() as its callback). Nothing here includes ue/ code.
 */
#ifndef GBA_UICC_H
#define GBA_UICC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <gba/profile.h>

struct gba_uicc;

/* Largest R-APDU the card produces (256 data bytes + SW). */
#define GBA_UICC_RAPDU_MAX	258
#define GBA_UICC_ATR_MAX	33

/* Status word a card without GBA context answers to AUTHENTICATE P2=84 (see gba-uicc(1)). */
#define GBA_UICC_SW_NO_GBA_DEFAULT	0x9864

struct gba_uicc_opts {
	/*
	 * State file (SQN array, GBA_U Ks/RAND, updated EFs, PIN counters). NULL: the state
	 * lives in memory only (fuzzing, throw-away tests). The file is created 0600 when absent.
	 */
	const char *state_path;
	bool no_fsync;			/* tests only: skip fsync() (the file is still renamed) */
	uint16_t sw_no_gba;		/* 0 = GBA_UICC_SW_NO_GBA_DEFAULT (9864); or 0x6a86 */
};

/*
 * Build a card from profile 'p' and load (or create) its state file.
 * Returns 0 and *out; -EBADMSG for a corrupt or foreign state file, -EACCES when the state
 * file is readable by others than its owner, -EBUSY when another process holds it,
 * -EINVAL for a profile the card cannot hold, -EIO/-ENOMEM otherwise. 'err' gets a
 * one-line reason naming the file.
 */
int gba_uicc_new(struct gba_uicc **out, const struct gba_profile *p, const struct gba_uicc_opts *o,
		 char *err, size_t errlen);

/* Wipe every key and free the card. NULL is allowed. */
void gba_uicc_free(struct gba_uicc *card);

/* Power off, power on or reset: forget volatile state (selection, PIN verification). */
void gba_uicc_reset(struct gba_uicc *card);

/* The ATR. Returns its length. */
size_t gba_uicc_atr(const struct gba_uicc *card, uint8_t atr[GBA_UICC_ATR_MAX]);

/* Replace the ATR (from --atr). Returns 0 or -EINVAL when longer than GBA_UICC_ATR_MAX. */
int gba_uicc_set_atr(struct gba_uicc *card, const uint8_t *atr, size_t len);

/*
 * Process one C-APDU and write the R-APDU (data || SW1 SW2) into 'rapdu' (at least
 * GBA_UICC_RAPDU_MAX bytes). Every state change is on disk before this returns.
 * Returns the R-APDU length (>= 2). Malformed commands get a status word, not an error.
 */
size_t gba_uicc_apdu(struct gba_uicc *card, const uint8_t *capdu, size_t clen, uint8_t *rapdu);

/*
 * The same with the shape of apdu/'s in-process transport handler (gba_inproc_handler):
 * 'ctx' is the card, *rlen the size of 'rapdu' on entry and the R-APDU length on return.
 * Returns 0, or -ENOSPC when *rlen < GBA_UICC_RAPDU_MAX.
 */
int gba_uicc_transmit(void *ctx, const uint8_t *capdu, size_t clen, uint8_t *rapdu, size_t *rlen);

/* apdu/'s in-process reset callback (gba_inproc_reset): reset and return the ATR. Returns 0. */
int gba_uicc_reset_cb(void *ctx, bool cold, uint8_t *atr, size_t *atr_len);

/* True when the last R-APDU carried key material (RES, CK, IK, Kc, Ks_ext_NAF) or the
 * last C-APDU a PIN: the trace masks those bytes. */
bool gba_uicc_last_secret(const struct gba_uicc *card);

/*
 * Print one trace line pair for a command/response to 'f', with PINs and key material
 * replaced by "**" unless 'show_keys'.
 */
void gba_uicc_trace(FILE *f, const uint8_t *capdu, size_t clen, const uint8_t *rapdu, size_t rlen,
		    bool secret, bool show_keys);

/*
 * Test hook: called at each step of a state write (see enum) so a test can stop or kill the
 * process there. NULL removes it.
 */
enum gba_uicc_hook_point {
	GBA_UICC_HOOK_BEFORE_WRITE,	/* state changed in memory, nothing written */
	GBA_UICC_HOOK_TMP_WRITTEN,	/* temporary file written and synced, not renamed */
	GBA_UICC_HOOK_COMMITTED,	/* renamed and directory synced, response not yet sent */
};
void gba_uicc_set_hook(struct gba_uicc *card, void (*hook)(enum gba_uicc_hook_point, void *),
		       void *arg);

#endif /* GBA_UICC_H */
