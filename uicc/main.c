/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * gba-uicc: the software UICC as a program. Loads one profile, opens (or creates) its
 * state file, connects to vsmartcard's vpcd (reconnecting with backoff) and serves the
 * card until SIGTERM/SIGINT. See doc/gba-uicc.1.
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <gba/log.h>
#include <gba/profile.h>
#include <gba/uicc.h>

#include "vpcd.h"

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: gba-uicc --profile FILE|DIR [--imsi IMSI | --iccid ICCID | --name NAME]\n"
		"                (--state FILE | --ephemeral) [--vpcd HOST:PORT] [--atr HEX]\n"
		"                [--no-gba-sw 9864|6a86] [--trace] [--debug-keys] [--log SPEC]\n"
		"                [--no-fsync] [--version] [--help]\n"
		"A software USIM/ISIM with GBA_U behind vsmartcard's vpcd (default %s:%u).\n",
		UICC_VPCD_DEFAULT_HOST, UICC_VPCD_DEFAULT_PORT);
}

static int parse_hostport(const char *s, char *host, size_t hl, uint16_t *port)
{
	const char *colon = strrchr(s, ':');
	char *end;
	unsigned long p;

	if (!colon || colon == s || (size_t)(colon - s) >= hl)
		return -EINVAL;
	p = strtoul(colon + 1, &end, 10);
	if (*end || p == 0 || p > 65535)
		return -EINVAL;
	memcpy(host, s, (size_t)(colon - s));
	host[colon - s] = '\0';
	if (host[0] == '[' && host[strlen(host) - 1] == ']') {
		memmove(host, host + 1, strlen(host));
		host[strlen(host) - 1] = '\0';
	}
	*port = (uint16_t)p;
	return 0;
}

/* Sleep 'ms' unless a signal arrives. */
static void nap(int ms, const sigset_t *waitmask)
{
	struct timespec ts = { .tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000L };

	ppoll(NULL, 0, &ts, waitmask);
}

int main(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "profile", required_argument, NULL, 'p' },
		{ "imsi", required_argument, NULL, 'I' },
		{ "iccid", required_argument, NULL, 'C' },
		{ "name", required_argument, NULL, 'n' },
		{ "state", required_argument, NULL, 's' },
		{ "ephemeral", no_argument, NULL, 'E' },
		{ "vpcd", required_argument, NULL, 'v' },
		{ "atr", required_argument, NULL, 'a' },
		{ "no-gba-sw", required_argument, NULL, 'G' },
		{ "trace", no_argument, NULL, 't' },
		{ "debug-keys", no_argument, NULL, 'K' },
		{ "log", required_argument, NULL, 'l' },
		{ "no-fsync", no_argument, NULL, 'F' },
		{ "version", no_argument, NULL, 'V' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const char *profile = NULL, *imsi = NULL, *iccid = NULL, *name = NULL, *atr_hex = NULL;
	struct gba_uicc_opts uo = { 0 };
	struct uicc_vpcd_opts vo = { 0 };
	struct gba_profile *profs = NULL, *pick = NULL;
	struct gba_uicc *card = NULL;
	struct sigaction sa = { .sa_handler = on_signal };
	sigset_t block, waitmask;
	char host[256] = UICC_VPCD_DEFAULT_HOST, err[512];
	uint16_t port = UICC_VPCD_DEFAULT_PORT;
	bool ephemeral = false, trace = false;
	size_t nprof = 0, i, matches = 0;
	int c, rc, backoff = 50;

	gba_log_init("gba-uicc", GBA_LOG_STDERR);
	while ((c = getopt_long(argc, argv, "p:s:v:th", lo, NULL)) != -1) {
		switch (c) {
		case 'p': profile = optarg; break;
		case 'I': imsi = optarg; break;
		case 'C': iccid = optarg; break;
		case 'n': name = optarg; break;
		case 's': uo.state_path = optarg; break;
		case 'E': ephemeral = true; break;
		case 'v':
			if (parse_hostport(optarg, host, sizeof(host), &port)) {
				fprintf(stderr, "gba-uicc: --vpcd wants HOST:PORT, not '%s'\n", optarg);
				return 1;
			}
			break;
		case 'a': atr_hex = optarg; break;
		case 'G':
			if (!strcasecmp(optarg, "9864"))
				uo.sw_no_gba = 0x9864;
			else if (!strcasecmp(optarg, "6a86"))
				uo.sw_no_gba = 0x6a86;
			else {
				fprintf(stderr, "gba-uicc: --no-gba-sw is 9864 or 6a86\n");
				return 1;
			}
			break;
		case 't': trace = true; break;
		case 'K': gba_log_set_key_debug(true); vo.show_keys = true; break;
		case 'l':
			if (gba_log_parse_spec(optarg)) {
				fprintf(stderr, "gba-uicc: bad --log spec '%s'\n", optarg);
				return 1;
			}
			break;
		case 'F': uo.no_fsync = true; break;
		case 'V': printf("gba-uicc %s\n", PACKAGE_VERSION); return 0;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 1;
		}
	}
	if (optind < argc || !profile || (!uo.state_path && !ephemeral) ||
	    (uo.state_path && ephemeral)) {
		usage(stderr);
		if (profile && !uo.state_path && !ephemeral)
			fprintf(stderr, "gba-uicc: give --state FILE (SQN and GBA keys survive "
				"restarts) or --ephemeral (nothing is kept)\n");
		return 1;
	}

	rc = gba_profiles_load(profile, &profs, &nprof, err, sizeof(err));
	if (rc) {
		fprintf(stderr, "gba-uicc: %s\n", rc == -EINVAL ? err : strerror(-rc));
		return 1;
	}
	for (i = 0; i < nprof; i++) {
		if ((imsi && strcmp(profs[i].imsi, imsi)) || (iccid && strcmp(profs[i].iccid, iccid)) ||
		    (name && strcmp(profs[i].name, name)))
			continue;
		if (!pick)
			pick = &profs[i];
		matches++;
	}
	if (!pick) {
		fprintf(stderr, "gba-uicc: no profile in %s matches\n", profile);
		gba_profiles_free(profs, nprof);
		return 1;
	}
	if (matches > 1)
		GLOGP(GBA_LC_MAIN, GBA_LL_NOTICE, "%zu profiles match, using '%s' (IMSI %s)", matches,
		      pick->name, pick->imsi);
	GLOGP(GBA_LC_MAIN, GBA_LL_NOTICE, "card '%s' ICCID %s IMSI %s, vpcd %s:%u%s", pick->name,
	      pick->iccid, pick->imsi, host, port, uo.state_path ? "" : " (ephemeral state)");
	rc = gba_uicc_new(&card, pick, &uo, err, sizeof(err));
	gba_profiles_free(profs, nprof);
	if (rc) {
		fprintf(stderr, "gba-uicc: %s\n", err[0] ? err : strerror(-rc));
		return 1;
	}
	if (atr_hex) {
		uint8_t atr[GBA_UICC_ATR_MAX];
		int n = gba_hex_decode_var(atr, sizeof(atr), atr_hex);

		if (n < 0 || gba_uicc_set_atr(card, atr, (size_t)n)) {
			fprintf(stderr, "gba-uicc: bad --atr '%s'\n", atr_hex);
			gba_uicc_free(card);
			return 1;
		}
	}

	/* signals are blocked except inside ppoll(): no lost wake-up */
	sigemptyset(&block);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGINT);
	sigprocmask(SIG_BLOCK, &block, &waitmask);
	sigdelset(&waitmask, SIGTERM);
	sigdelset(&waitmask, SIGINT);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	vo.stop = &stop;
	vo.waitmask = &waitmask;
	vo.trace = trace ? stderr : NULL;

	while (!stop) {
		int fd = uicc_vpcd_connect(host, port);

		if (fd < 0) {
			GLOGP(GBA_LC_MAIN, GBA_LL_DEBUG, "vpcd %s:%u: %s, retry in %d ms", host, port,
			      strerror(-fd), backoff);
			nap(backoff, &waitmask);
			backoff = backoff * 2 > 2000 ? 2000 : backoff * 2;
			continue;
		}
		backoff = 50;
		GLOGP(GBA_LC_MAIN, GBA_LL_NOTICE, "connected to vpcd %s:%u", host, port);
		rc = uicc_vpcd_serve(fd, card, &vo);
		close(fd);
		gba_uicc_reset(card);
		if (rc != -EINTR)
			GLOGP(GBA_LC_MAIN, GBA_LL_NOTICE, "vpcd connection closed (%s), reconnecting",
			      strerror(-rc));
	}
	GLOGP(GBA_LC_MAIN, GBA_LL_NOTICE, "stopping");
	gba_uicc_free(card);
	return 0;
}
