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

struct bsf {
	struct bsf_config *cfg;
	struct bsf_store *store;
	struct zh *zh;
	struct bsf_kek kek;
};

#endif /* BSF_BSF_H */
