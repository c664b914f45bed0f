/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Small client of the apdu/ PC/SC transport for tests/apdu/pcsc.sh:
 *   pcsc_probe list                 one line per reader: "NAME<TAB>card|empty"
 *   pcsc_probe open READER WAIT_MS  connect (READER "-" = first with a card), print
 *                                   "OK T=x ATR" and the SW of SELECT MF, or the errno name
 * Exit 0 on success, 2 with the errno name on stdout otherwise.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gba/apdu.h>
#include <gba/keys.h>
#include <gba/log.h>
#include <gba/transport.h>
#include <gba/uicc_cmd.h>

static const char *errname(int rc)
{
	switch (rc) {
	case -EHOSTDOWN: return "EHOSTDOWN";
	case -ENODEV: return "ENODEV";
	case -ENOMEDIUM: return "ENOMEDIUM";
	case -ETIMEDOUT: return "ETIMEDOUT";
	case -EBUSY: return "EBUSY";
	case -ECONNRESET: return "ECONNRESET";
	case -EPROTO: return "EPROTO";
	case -EIO: return "EIO";
	}
	return "other";
}

static void print_reader(void *arg, const char *reader, bool card)
{
	printf("%s\t%s\n", reader, card ? "card" : "empty");
}

int main(int argc, char **argv)
{
	struct gba_pcsc_opts o = { 0 };
	struct gba_transport *t;
	uint8_t cmd[16], rsp[258], atr[GBA_ATR_MAX];
	char hex[2 * GBA_ATR_MAX + 1];
	uint16_t sw;
	int rc, n;

	gba_log_init("pcsc_probe", GBA_LOG_STDERR);
	if (argc == 2 && !strcmp(argv[1], "list")) {
		rc = gba_pcsc_list_readers(print_reader, NULL);
		if (rc < 0) {
			printf("%s\n", errname(rc));
			return 2;
		}
		return 0;
	}
	if (argc != 4 || strcmp(argv[1], "open")) {
		fprintf(stderr, "usage: pcsc_probe list | open READER|- WAIT_MS\n");
		return 1;
	}
	o.reader = strcmp(argv[2], "-") ? argv[2] : NULL;
	o.wait_ms = atoi(argv[3]);
	rc = gba_transport_pcsc_open(&t, &o);
	if (rc < 0) {
		printf("%s\n", errname(rc));
		return 2;
	}
	n = gba_transport_pcsc_atr(t, atr, sizeof(atr));
	gba_hex_encode(hex, sizeof(hex), atr, n > 0 ? (size_t)n : 0);
	printf("OK %s %s\n", gba_proto_name(gba_transport_protocol(t)), hex);
	n = gba_cmd_select_fid(cmd, sizeof(cmd), 0, GBA_FID_MF, true);
	rc = gba_apdu_exchange(t, cmd, (size_t)n, rsp, sizeof(rsp), &sw);
	if (rc < 0) {
		printf("%s\n", errname(rc));
		gba_transport_close(t);
		return 2;
	}
	printf("SELECT MF: %d bytes SW %04X\n", rc, sw);
	gba_transport_close(t);
	return 0;
}
