/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * mock_zn for the naf/ integration scripts:
 *   mock_zn serve --port P --session IMPI:LIFETIME[:u] ...   serve Zn on 127.0.0.1:P, print
 *       "session BTID IMPI KS_HEX GBA_ME|GBA_U" per session, then "ready"; stop on SIGTERM
 *   mock_zn key --ks HEX --btid B --impi I --naf FQDN --ua HEX [--uicc] [--b64]
 *       print the NAF key the BSF derives (hex, or base64: the Digest password)
 */
#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <gba/identity.h>
#include <gba/keys.h>

#include "mock_zn.h"

static volatile sig_atomic_t stop;

static void on_sig(int s)
{
	stop = 1;
}

static const char *arg(int argc, char **argv, const char *name)
{
	int i;

	for (i = 2; i < argc - 1; i++)
		if (!strcmp(argv[i], name))
			return argv[i + 1];
	return NULL;
}

static int key(int argc, char **argv)
{
	const char *ks = arg(argc, argv, "--ks"), *btid = arg(argc, argv, "--btid");
	const char *impi = arg(argc, argv, "--impi"), *naf = arg(argc, argv, "--naf");
	const char *ua = arg(argc, argv, "--ua");
	struct mock_zn_sess s;
	uint8_t u[5], out[32];
	char hex[65];
	bool uicc = false, b64 = false;
	int i;

	for (i = 2; i < argc; i++) {
		uicc |= !strcmp(argv[i], "--uicc");
		b64 |= !strcmp(argv[i], "--b64");
	}

	memset(&s, 0, sizeof(s));
	if (!ks || !btid || !impi || !naf || !ua || gba_hex_decode(s.ks, 32, ks) ||
	    gba_hex_decode(u, 5, ua) || gba_btid_parse(btid, s.rand, NULL))
		return 2;
	snprintf(s.impi, sizeof(s.impi), "%s", impi);
	if (mock_zn_key(&s, naf, u, uicc, out))
		return 1;
	if (b64)
		gba_b64_encode(hex, sizeof(hex), out, 32);
	else
		gba_hex_encode(hex, sizeof(hex), out, 32);
	printf("%s\n", hex);
	return 0;
}

int main(int argc, char **argv)
{
	static struct mock_zn m;
	struct sigaction sa = { .sa_handler = on_sig };
	const char *port;
	char hex[65];
	int i;

	if (argc > 1 && !strcmp(argv[1], "key"))
		return key(argc, argv);
	if (argc < 2 || strcmp(argv[1], "serve"))
		return 2;
	port = arg(argc, argv, "--port");
	if (mock_zn_start(&m, port ? (unsigned int)atoi(port) : 0)) {
		fprintf(stderr, "mock_zn: cannot listen\n");
		return 1;
	}
	for (i = 2; i < argc - 1; i++) {
		char impi[256];
		long life;
		char u = 0;
		struct mock_zn_sess *s;

		if (strcmp(argv[i], "--session"))
			continue;
		if (sscanf(argv[i + 1], "%255[^:]:%ld:%c", impi, &life, &u) < 2)
			return 2;
		s = mock_zn_add(&m, impi, NULL, life, u == 'u');
		if (!s)
			return 1;
		gba_hex_encode(hex, sizeof(hex), s->ks, 32);
		printf("session %s %s %s %s\n", s->btid, s->impi, hex, s->gba_u ? "GBA_U" : "GBA_ME");
	}
	printf("ready %u\n", m.port);
	fflush(stdout);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	while (!stop)
		pause();
	mock_zn_stop(&m);
	return 0;
}
