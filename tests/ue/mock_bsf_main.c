/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * mock_bsf: the ue/ tests' in-process BSF (mock_bsf.c) as a program, for the pcscd + vpcd
 * integration script when gba-bsf is not built: mock_bsf PORT K OPC [SQN [LIFETIME]].
 * Runs until SIGTERM. MOCK_DELAY_MS delays each 401 (a slow BSF). /zn?naf=FQDN&ua=HEX answers "B-TID hex(Ks_NAF)" of the last bootstrap.
 */
#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <gba/keys.h>

#include "mock_bsf.h"

static volatile sig_atomic_t stop;

static void on_term(int sig)
{
	stop = 1;
}

int main(int argc, char **argv)
{
	struct gba_aka_cred cred = { .alg = GBA_AKA_MILENAGE };
	struct mock_bsf m;

	if (argc < 4 || gba_hex_decode(cred.k, 16, argv[2]) || gba_hex_decode(cred.opc, 16, argv[3])) {
		fprintf(stderr, "usage: mock_bsf PORT K OPC [SQN [LIFETIME]]\n");
		return 1;
	}
	signal(SIGTERM, on_term);
	signal(SIGINT, on_term);
	if (mock_bsf_start_port(&m, &cred, argc > 4 ? strtoull(argv[4], NULL, 0) : 0,
				(unsigned int)atoi(argv[1]))) {
		fprintf(stderr, "mock_bsf: cannot listen on 127.0.0.1:%s\n", argv[1]);
		return 1;
	}
	if (argc > 5)
		m.lifetime = (unsigned int)atoi(argv[5]);
	if (getenv("MOCK_DELAY_MS"))
		m.delay_ms = (unsigned int)atoi(getenv("MOCK_DELAY_MS"));
	printf("mock_bsf on %s\n", m.url);
	fflush(stdout);
	while (!stop)
		pause();
	printf("requests %u challenges %u resyncs %u mac_failures %u successes %u\n", m.requests,
	       m.challenges, m.resyncs, m.mac_failures, m.successes);
	mock_bsf_stop(&m);
	gba_zeroize(&cred, sizeof(cred));
	return 0;
}
