/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * PIN handling (TS 102 221 9.5, 11.1.9-11.1.13): PIN1 (key reference 01) with its PUK and
 * ADM1 (key reference 0A), retry counters, blocking, VERIFY, CHANGE, DISABLE, ENABLE and
 * UNBLOCK PIN, and the access-condition check used by READ/UPDATE/AUTHENTICATE.
 * A try is counted on disk before the comparison (anti-tearing): killing the card after
 * a wrong PIN cannot give the attacker the try back.
 */
#include "config.h"

#include <errno.h>
#include <string.h>

#include <gba/log.h>
#include <gba/uicc_cmd.h>

#include "card.h"

#define KEYREF_PIN1	0x01
#define KEYREF_ADM1	0x0a

static void pin_from_digits(uint8_t out[UICC_PIN_LEN], const char *s)
{
	size_t n = strlen(s);

	memset(out, 0xff, UICC_PIN_LEN);
	memcpy(out, s, n > UICC_PIN_LEN ? UICC_PIN_LEN : n);
}

void uicc_pins_init(struct gba_uicc *c)
{
	const struct gba_profile *p = &c->prof;

	memset(&c->pin1, 0, sizeof(c->pin1));
	memset(&c->puk1, 0, sizeof(c->puk1));
	memset(&c->adm1, 0, sizeof(c->adm1));
	c->pin1.max = c->pin1.tries = 3;
	c->puk1.max = c->puk1.tries = 10;
	c->adm1.max = c->adm1.tries = 10;
	if (p->pin1[0]) {
		pin_from_digits(c->pin1.val, p->pin1);
		c->pin1.set = true;
		c->pin1.enabled = p->pin1_enabled;
	}
	if (p->puk1[0]) {
		pin_from_digits(c->puk1.val, p->puk1);
		c->puk1.set = true;
	}
	if (p->adm1[0]) {
		/* 16 hex digits are the 8 key bytes; anything else is taken as digits */
		if (strlen(p->adm1) != 16 || gba_hex_decode(c->adm1.val, UICC_PIN_LEN, p->adm1))
			pin_from_digits(c->adm1.val, p->adm1);
		c->adm1.set = true;
	}
}

bool uicc_acc_ok(const struct gba_uicc *c, enum uicc_acc acc)
{
	switch (acc) {
	case ACC_ALW:
		return true;
	case ACC_PIN1:
		return !c->pin1.set || !c->pin1.enabled || c->pin1.verified || c->adm1.verified;
	case ACC_ADM:
		return c->adm1.verified;
	default:
		return false;
	}
}

static uint16_t retries_sw(const struct uicc_pin *k)
{
	return k->tries ? (uint16_t)(0x63c0 | (k->tries & 0x0f)) : GBA_SW_AUTH_METHOD_BLOCKED;
}

/*
 * Compare 'v' with key 'k' with the try counted first. Returns GBA_SW_OK, 63Cx, 6983 or 6581.
 */
static uint16_t pin_try(struct gba_uicc *c, struct uicc_pin *k, const uint8_t *v)
{
	bool ok;

	if (!k->tries)
		return GBA_SW_AUTH_METHOD_BLOCKED;
	k->tries--;
	if (uicc_state_save(c))
		return GBA_SW_MEMORY_PROBLEM;
	ok = gba_ct_equal(k->val, v, UICC_PIN_LEN);
	if (!ok) {
		k->verified = false;
		GLOGP(GBA_LC_CARD, GBA_LL_NOTICE, "wrong PIN/key, %u tries left", k->tries);
		return retries_sw(k);
	}
	k->tries = k->max;
	if (uicc_state_save(c))
		return GBA_SW_MEMORY_PROBLEM;
	return GBA_SW_OK;
}

uint16_t uicc_pin_cmd(struct gba_uicc *c, const struct gba_capdu *cmd)
{
	struct uicc_pin *k;
	uint16_t sw;

	if (cmd->p1 != 0x00 && !(cmd->ins == 0x26 && cmd->p1 == 0x80))
		return GBA_SW_WRONG_P1P2;
	if (cmd->p2 == KEYREF_PIN1)
		k = &c->pin1;
	else if (cmd->p2 == KEYREF_ADM1 && cmd->ins == 0x20)
		k = &c->adm1;
	else
		return GBA_SW_REF_DATA_NOT_FOUND;
	if (!k->set)
		return GBA_SW_REF_DATA_NOT_FOUND;

	if (k == &c->pin1 && (cmd->ins == 0x20 || cmd->ins == 0x24 || cmd->ins == 0x2c)) {
		struct gba_pin_cmd pc;
		int rc = gba_pin_cmd_parse(&pc, cmd);

		gba_zeroize(&pc, sizeof(pc));
		if (rc)
			return (cmd->nc == 0 || cmd->nc == UICC_PIN_LEN || cmd->nc == 2 * UICC_PIN_LEN) ?
			       GBA_SW_WRONG_DATA : GBA_SW_WRONG_LENGTH;
	}
	switch (cmd->ins) {
	case 0x20:	/* VERIFY PIN */
		if (cmd->nc == 0)
			return k->verified ? GBA_SW_OK : retries_sw(k);
		if (cmd->nc != UICC_PIN_LEN)
			return GBA_SW_WRONG_LENGTH;
		sw = pin_try(c, k, cmd->data);
		if (sw == GBA_SW_OK)
			k->verified = true;
		return sw;
	case 0x24:	/* CHANGE PIN */
		if (cmd->nc != 2 * UICC_PIN_LEN)
			return GBA_SW_WRONG_LENGTH;
		if (!k->enabled)
			return GBA_SW_CONDITIONS_NOT_SATISFIED;
		sw = pin_try(c, k, cmd->data);
		if (sw != GBA_SW_OK)
			return sw;
		memcpy(k->val, cmd->data + UICC_PIN_LEN, UICC_PIN_LEN);
		k->verified = true;
		return uicc_state_save(c) ? GBA_SW_MEMORY_PROBLEM : GBA_SW_OK;
	case 0x26:	/* DISABLE PIN */
	case 0x28:	/* ENABLE PIN */
		if (cmd->nc != UICC_PIN_LEN)
			return GBA_SW_WRONG_LENGTH;
		if ((cmd->ins == 0x26) != k->enabled)
			return GBA_SW_CONDITIONS_NOT_SATISFIED;	/* already disabled / enabled */
		sw = pin_try(c, k, cmd->data);
		if (sw != GBA_SW_OK)
			return sw;
		k->enabled = cmd->ins == 0x28;
		k->verified = true;
		return uicc_state_save(c) ? GBA_SW_MEMORY_PROBLEM : GBA_SW_OK;
	case 0x2c:	/* UNBLOCK PIN */
		if (!c->puk1.set)
			return GBA_SW_REF_DATA_NOT_FOUND;
		if (cmd->nc == 0)
			return retries_sw(&c->puk1);
		if (cmd->nc != 2 * UICC_PIN_LEN)
			return GBA_SW_WRONG_LENGTH;
		sw = pin_try(c, &c->puk1, cmd->data);
		if (sw != GBA_SW_OK)
			return sw;
		memcpy(k->val, cmd->data + UICC_PIN_LEN, UICC_PIN_LEN);
		k->tries = k->max;
		k->verified = true;
		return uicc_state_save(c) ? GBA_SW_MEMORY_PROBLEM : GBA_SW_OK;
	}
	return GBA_SW_INS_UNSUPP;
}
