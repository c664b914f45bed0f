/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fault_card READER LOG: the card driver of tests/faults/uicc_kill.sh. Through pcscd (the
 * apdu/ PC/SC transport) it drives a GBA_U card with TS 35.208 set 1 K/OPc and IND bits 0
 * as fast as it can, each step changing the card's state file: AUTHENTICATE in the GBA
 * bootstrapping context with the next SQN (SQN, Ks and RAND saved by the card), then
 * UPDATE BINARY of EF_GBABP with a counter as B-TID. Every acknowledged step goes to LOG at
 * once ("ACK SQN AUTN RAND", "UPD N"), so the card can be killed at any moment.
 * When LOG already holds steps (a restart on the same state file), it first verifies:
 * the highest acknowledged AUTN is refused with AUTS, and the SQN_MS recovered from AUTS
 * is that SQN or the one in flight (SQN + 1), never less (no SQN accepted twice); EF_GBABP
 * holds the last acknowledged counter or the one in flight. Prints "VERIFY ..." and goes on
 * from SQN_MS. Exit 0 when the card went away (killed) after a successful verification,
 * 1 when the verification failed, 3 when no card could be reached.
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gba/aka.h>
#include <gba/apdu.h>
#include <gba/keys.h>
#include <gba/log.h>
#include <gba/transport.h>
#include <gba/uicc_cmd.h>

#define SET1_K		"465b5ce8b199b49faa5f0a2ee238a6bc"
#define SET1_OPC	"cd63cb71954a9f4e48a5994e37a02baf"
#define LIFETIME	"2030-01-01T00:00:00Z"

static struct gba_transport *t;
static uint8_t c[GBA_CAPDU_SHORT_MAX_LEN], r[GBA_RAPDU_SHORT_MAX_LEN];

/* Exchange a built C-APDU. Data length with SW in *sw, or a negative errno. */
static int xchg(int clen, uint16_t *sw)
{
	if (clen < 0)
		return clen;
	return gba_apdu_exchange(t, c, (size_t)clen, r, sizeof(r), sw);
}

/* SELECT ADF.USIM, then EF_GBABP under it. 0 or negative. */
static int select_gbabp(void)
{
	uint16_t sw;
	int n = xchg(gba_cmd_select_aid(c, sizeof(c), 0, gba_aid_usim_prefix, GBA_AID_PREFIX_LEN,
					true), &sw);

	if (n < 0 || sw != GBA_SW_OK)
		return n < 0 ? n : -EIO;
	n = xchg(gba_cmd_select_fid(c, sizeof(c), 0, GBA_FID_USIM_EF_GBABP, false), &sw);
	return n < 0 ? n : (sw == GBA_SW_OK || (sw >> 8) == 0x61 ? 0 : -EIO);
}

/*
 * AUTHENTICATE (GBA bootstrapping); 0 with 'rsp' parsed, 1 when the card answered something
 * else, negative when no answer came (the card went away).
 */
static int auth(const uint8_t *rand, const uint8_t *autn, struct gba_auth_rsp *rsp)
{
	uint16_t sw;
	int n = xchg(gba_cmd_auth_gba_boot(c, sizeof(c), 0, rand, autn), &sw);

	if (n < 0)
		return n;
	if (sw != GBA_SW_OK || gba_auth_rsp_parse(rsp, GBA_AUTH_GBA_BOOT, r, (size_t)n)) {
		fprintf(stderr, "fault_card: AUTHENTICATE answered SW %04x\n", sw);
		return 1;
	}
	return 0;
}

/* EF_GBABP: write counter 'k' as B-TID; or read it back (*k). */
static int gbabp_write(unsigned long k, const uint8_t *rand)
{
	char btid[32];
	uint8_t body[128];
	uint16_t sw;
	struct gba_gbabp bp = { .rand = rand, .rand_len = GBA_RAND_LEN,
				.lifetime = (const uint8_t *)LIFETIME,
				.lifetime_len = strlen(LIFETIME) };
	int bl, n;

	snprintf(btid, sizeof(btid), "F%lu@faults", k);
	bp.btid = (const uint8_t *)btid;
	bp.btid_len = strlen(btid);
	bl = gba_gbabp_build(body, sizeof(body), &bp);
	if (bl < 0)
		return bl;
	n = xchg(gba_cmd_update_binary(c, sizeof(c), 0, 0, body, (size_t)bl), &sw);
	if (n >= 0 && sw != GBA_SW_OK)
		fprintf(stderr, "fault_card: UPDATE BINARY answered SW %04x\n", sw);
	return n < 0 ? n : sw == GBA_SW_OK ? 0 : 1;
}

#define GBABP_NO_BTID	((unsigned long)-1)

/* EF_GBABP's counter in *k; GBABP_NO_BTID when it holds a RAND only (after AUTHENTICATE). */
static int gbabp_read(unsigned long *k)
{
	struct gba_gbabp bp;
	char btid[32];
	uint16_t sw = 0;
	int n = xchg(gba_cmd_read_binary(c, sizeof(c), 0, 0, 256), &sw);

	if (n < 0 || sw != GBA_SW_OK || gba_gbabp_parse(&bp, r, (size_t)n) ||
	    bp.btid_len >= sizeof(btid)) {
		fprintf(stderr, "fault_card: READ BINARY EF_GBABP: %d, SW %04x\n", n, sw);
		return n < 0 ? n : -EIO;
	}
	*k = GBABP_NO_BTID;
	if (!bp.btid_len)
		return 0;
	memcpy(btid, bp.btid, bp.btid_len);
	btid[bp.btid_len] = '\0';
	return sscanf(btid, "F%lu@faults", k) == 1 ? 0 : -EIO;
}

/* What the log says: highest ACK (SQN, AUTN, RAND) and highest UPD. */
struct last {
	uint64_t sqn;
	uint8_t autn[GBA_AUTN_LEN], rand[GBA_RAND_LEN];
	unsigned long upd;
	bool any;
	bool auth_last;		/* the last step logged is an AUTHENTICATE (its UPDATE not) */
};

static void read_log(const char *path, struct last *l)
{
	char line[256], a[64], rh[64];
	uint64_t s;
	unsigned long u;
	FILE *f = fopen(path, "r");

	memset(l, 0, sizeof(*l));
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "ACK %" SCNu64 " %63s %63s", &s, a, rh) == 3 && s > l->sqn &&
		    !gba_hex_decode(l->autn, GBA_AUTN_LEN, a) &&
		    !gba_hex_decode(l->rand, GBA_RAND_LEN, rh)) {
			l->sqn = s;
			l->any = true;
			l->auth_last = true;
		} else if (sscanf(line, "UPD %lu", &u) == 1 && u > l->upd) {
			l->upd = u;
			l->auth_last = false;
		}
	}
	fclose(f);
}

/* After a restart: the card's SQN_MS and EF_GBABP against the log. 0 when they agree. */
static int verify(struct gba_auc_sub *sub, const struct last *l, unsigned long *next_upd)
{
	struct gba_auth_rsp rsp;
	struct gba_av av;
	uint8_t nrand[GBA_RAND_LEN];
	uint64_t sqn_ms = 0;
	unsigned long k = 0;
	int rc = auth(l->rand, l->autn, &rsp), ok;

	if (rc || rsp.tag != GBA_AUTH_TAG_SYNC) {
		printf("VERIFY FAIL: the last acknowledged AUTN (SQN %" PRIu64 ") was %s\n", l->sqn,
		       rc ? "not answered" : "accepted again");
		return 1;
	}
	gba_random(nrand, sizeof(nrand));
	if (gba_auc_resync(&av, sub, l->rand, rsp.auts, nrand)) {
		printf("VERIFY FAIL: AUTS does not verify\n");
		return 1;
	}
	sqn_ms = sub->sqn - 1;	/* resync moved the AuC to SQN_MS + 1 (IND bits 0) */
	sub->sqn = sqn_ms;
	/*
	 * EF_GBABP: the last acknowledged counter, the one in flight, or RAND only when an
	 * AUTHENTICATE came last (acknowledged without its UPDATE, or in flight and committed:
	 * the card resets EF_GBABP to the new RAND, TS 31.102 7.1.2.1)
	 */
	if (select_gbabp() || gbabp_read(&k)) {
		ok = 0;
		k = 0;
	} else if (k == GBABP_NO_BTID) {
		ok = l->auth_last || sqn_ms == l->sqn + 1;
	} else {
		/* after an acknowledged AUTHENTICATE, the old B-TID would be a torn state */
		ok = (k == l->upd && !l->auth_last && sqn_ms == l->sqn) || k == l->upd + 1;
	}
	ok = ok && sqn_ms >= l->sqn && sqn_ms <= l->sqn + 1;
	printf("VERIFY %s: SQN_MS %" PRIu64 " (last acknowledged %" PRIu64 "), EF_GBABP %s%lu "
	       "(last acknowledged %lu)\n", ok ? "ok" : "FAIL", sqn_ms, l->sqn,
	       k == GBABP_NO_BTID ? "RAND only, after " : "", k == GBABP_NO_BTID ? l->upd : k,
	       l->upd);
	*next_upd = (k == GBABP_NO_BTID ? l->upd : k) + 1;
	gba_zeroize(&av, sizeof(av));
	return ok ? 0 : 1;
}

int main(int argc, char **argv)
{
	struct gba_pcsc_opts po = { .wait_ms = 10000 };
	struct gba_auc_sub sub = { 0 };
	struct gba_auth_rsp rsp;
	struct gba_av av;
	struct last l;
	unsigned long upd = 1;
	FILE *log;
	int rc = 0, n;

	if (argc != 3) {
		fprintf(stderr, "usage: fault_card READER LOG\n");
		return 2;
	}
	po.reader = argv[1];
	gba_log_init("fault_card", GBA_LOG_STDERR);
	sub.cred.alg = GBA_AKA_MILENAGE;
	gba_hex_decode(sub.cred.k, GBA_K_LEN, SET1_K);
	gba_hex_decode(sub.cred.opc, GBA_OPC_LEN, SET1_OPC);
	sub.amf[0] = 0x80;
	read_log(argv[2], &l);
	n = gba_transport_pcsc_open(&t, &po);
	if (n) {
		fprintf(stderr, "fault_card: %s\n", gba_transport_strerror(n));
		return 3;
	}
	if (select_gbabp()) {
		fprintf(stderr, "fault_card: cannot select ADF.USIM / EF_GBABP\n");
		gba_transport_close(t);
		return 3;
	}
	sub.sqn = l.sqn;
	if (l.any)
		rc = verify(&sub, &l, &upd);
	fflush(stdout);
	log = fopen(argv[2], "a");
	if (!log)
		return 2;
	setvbuf(log, NULL, _IOLBF, 0);
	/* until the card goes away */
	for (;;) {
		char a[64], rh[64];
		uint8_t rand[GBA_RAND_LEN];

		gba_random(rand, sizeof(rand));
		if (gba_auc_gen_vector(&av, &sub, rand))
			break;
		n = auth(av.rand, av.autn, &rsp);
		if (n == 1 || (!n && rsp.tag != GBA_AUTH_TAG_OK)) {
			printf("FAIL: SQN %" PRIu64 " refused (%s)\n", sub.sqn,
			       n ? "bad answer" : "AUTS");
			rc = 1;
			break;
		}
		if (n)
			break;
		gba_hex_encode(a, sizeof(a), av.autn, GBA_AUTN_LEN);
		gba_hex_encode(rh, sizeof(rh), av.rand, GBA_RAND_LEN);
		fprintf(log, "ACK %" PRIu64 " %s %s\n", sub.sqn, a, rh);
		n = gbabp_write(upd, av.rand);
		if (n == 1) {
			printf("FAIL: UPDATE BINARY EF_GBABP refused\n");
			rc = 1;
			break;
		}
		if (n)
			break;
		fprintf(log, "UPD %lu\n", upd++);
	}
	fclose(log);
	gba_zeroize(&av, sizeof(av));
	gba_zeroize(&sub, sizeof(sub));
	gba_transport_close(t);
	return rc;
}
