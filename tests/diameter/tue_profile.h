/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The test UE (tests/bsf/tue.h) set up from a sim-profiles file. */
#ifndef TESTS_DIAMETER_TUE_PROFILE_H
#define TESTS_DIAMETER_TUE_PROFILE_H

#include <stdbool.h>

#include "tue.h"

/*
 * tue_init() with the IMPI, K/OPc and algorithm of the first card in 'path'; *gba_u (may
 * be NULL) says whether it is a GBA_U card. 0; 2 when the profile file is unusable, 1 when
 * tue_init() failed (reason on stderr, prefixed with 'prog').
 */
int tue_init_profile(struct tue *u, const char *ub, const char *realm, const char *path,
		     bool *gba_u, const char *prog);

#endif /* TESTS_DIAMETER_TUE_PROFILE_H */
