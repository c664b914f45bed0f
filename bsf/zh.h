/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The Zh interface of the BSF: ask the subscriber's home (HSS, HLR or the built-in AuC)
 * for one authentication vector, optionally resynchronising first (RAND || AUTS, RFC 3310
 * 3.4 / TS 29.109 SIP-Authorization). Asynchronous by contract: the answer arrives through
 * a callback, from the calling thread (built-in AuC) or a backend thread (GSUP, Diameter
 * backends to come), so the Ub event loop never waits for the HSS.
 */
#ifndef BSF_ZH_H
#define BSF_ZH_H

#include <stdbool.h>
#include <stdint.h>

#include <gba/aka.h>
#include <gba/keys.h>

#include "store.h"

#define ZH_RESYNC_LEN	(GBA_RAND_LEN + GBA_AUTS_LEN)

/* One Zh answer (MAA): a vector and the subscriber's GUSS essentials. */
struct zh_result {
	/*
	 * 0 with 'av' filled; -ENOENT unknown IMPI; -EBADMSG resync refused (MAC-S wrong);
	 * -EAGAIN backend unavailable (Ub answers 503); -EIO any other failure.
	 */
	int rc;
	struct gba_av av;
	bool gba_u;			/* GUSS uiccType GBA_U */
	unsigned int key_lifetime;	/* GUSS lifetime in seconds, 0 = BSF default */
};

/* Called exactly once per request; 'res' is wiped by the backend after the call returns. */
typedef void (*zh_cb)(void *arg, const struct zh_result *res);

struct zh;

struct zh_ops {
	/*
	 * Ask for a vector for 'impi'; 'resync' is RAND || AUTS or NULL. The callback may run
	 * before this function returns (built-in AuC) or later from another thread.
	 */
	void (*request_av)(struct zh *zh, const char *impi, const uint8_t *resync, zh_cb cb,
			   void *arg);
	/* Reload the subscriber data (SIGHUP). 0 or negative errno; old data kept on error. */
	int (*reload)(struct zh *zh);
	void (*close)(struct zh *zh);
};

struct zh {
	const struct zh_ops *ops;
};

/*
 * The built-in AuC: profiles from 'path' (gba_profiles_load(): a file or a directory), SQN
 * reserved ahead by 'reserve' steps in 'store'. Returns 0 with *out set, or the errno of
 * gba_profiles_load() / -EIO (error already logged).
 */
int zh_auc_open(struct zh **out, const char *path, struct bsf_store *store, unsigned int reserve);

/* Built-in AuC only: number of subscribers loaded. */
size_t zh_auc_count(struct zh *zh);

/*
 * Zh over GSUP to osmo-hlr (zh_gsup.c): SendAuthInfo from a client thread. 'addr' is
 * "HOST[:PORT]" (default port 4222), 'unit_name' the IPA unit name (NULL: "GBA-BSF"),
 * 'profiles' optional sim-profiles for GBA_U, key lifetime and IMPI -> IMSI (NULL, "" or a
 * missing path: none; IMPIs must then be TS 23.003 "<IMSI>@ims.mnc..."). Waits up to 1 s
 * for the link, never fails for a down HLR. 0 with *out set, -EINVAL bad address or name,
 * the errno of gba_profiles_load(), -ENOMEM or -EIO (thread or libosmocore set-up).
 */
int zh_gsup_open(struct zh **out, const char *addr, const char *unit_name, const char *profiles);

static inline void zh_close(struct zh *zh)
{
	if (zh)
		zh->ops->close(zh);
}

#endif /* BSF_ZH_H */
