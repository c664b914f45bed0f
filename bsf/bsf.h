/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The BSF instance shared by its interfaces: configuration, store, Zh backend and
 * key-encryption key. Ub (ub.c) and Zn (zn_http.c) read it; main.c owns it.
 */
#ifndef BSF_BSF_H
#define BSF_BSF_H

#include "bsfcfg.h"
#include "kek.h"
#include "store.h"
#include "zh.h"

struct bsf_ratelimit;

struct bsf {
	struct bsf_config *cfg;
	struct bsf_store *store;
	struct zh *zh;
	struct bsf_kek kek;
	struct bsf_ratelimit *rl;	/* Ub limiter (ratelimit.h), from bsf_http_start(); may be NULL */
};

#endif /* BSF_BSF_H */
