/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The card's sequence-number freshness check, TS 33.102 Annex C.3.2: SQN = SEQ || IND with
 * IND the 'ind_bitlen' low bits; the card keeps an array SEQ_MS(i) of the highest SEQ
 * accepted in each IND slot and accepts SEQ only when SEQ > SEQ_MS(IND). Optional limits:
 * C.2.1 (delta: SEQ may be at most delta above the highest SEQ_MS) and C.2.2 (L: SEQ must
 * be less than L below the highest SEQ_MS). ind_bitlen 5 matches osmo-hlr, 0 a plain
 * counter AuC. Written by hand: no library offers the USIM side of Annex C.
 */
#include "config.h"

#include <errno.h>
#include <string.h>

#include "card.h"

#define SQN_MASK	((1ULL << 48) - 1)

void uicc_sqn_init(struct uicc_sqn *s, unsigned int ind_bitlen, uint64_t initial, uint64_t delta,
		   uint64_t age_limit)
{
	uint64_t seq, ind, i, n;

	if (ind_bitlen > UICC_IND_BITLEN_MAX)
		ind_bitlen = UICC_IND_BITLEN_MAX;
	memset(s, 0, sizeof(*s));
	s->ind_bitlen = ind_bitlen;
	s->delta = delta;
	s->age_limit = age_limit;
	initial &= SQN_MASK;
	seq = initial >> ind_bitlen;
	ind = initial & ((1ULL << ind_bitlen) - 1);
	n = 1ULL << ind_bitlen;
	/* every SQN <= 'initial' counts as used: slot i holds the highest SEQ with SEQ||i <= initial */
	for (i = 0; i < n; i++)
		s->seq[i] = i <= ind ? seq : (seq ? seq - 1 : 0);
}

static uint64_t seq_max(const struct uicc_sqn *s, uint64_t *ind_of_max)
{
	uint64_t i, n = 1ULL << s->ind_bitlen, m = 0, mi = 0;

	for (i = 0; i < n; i++) {
		if (s->seq[i] >= m) {
			m = s->seq[i];
			mi = i;
		}
	}
	if (ind_of_max)
		*ind_of_max = mi;
	return m;
}

int uicc_sqn_check(const struct uicc_sqn *s, uint64_t sqn)
{
	uint64_t seq = (sqn & SQN_MASK) >> s->ind_bitlen;
	uint64_t ind = sqn & ((1ULL << s->ind_bitlen) - 1);
	uint64_t max = seq_max(s, NULL);

	if (seq <= s->seq[ind])
		return -EALREADY;
	if (s->delta && seq > max && seq - max > s->delta)
		return -ERANGE;
	if (s->age_limit && max > seq && max - seq >= s->age_limit)
		return -ESTALE;
	return 0;
}

void uicc_sqn_accept(struct uicc_sqn *s, uint64_t sqn)
{
	uint64_t ind = sqn & ((1ULL << s->ind_bitlen) - 1);

	s->seq[ind] = (sqn & SQN_MASK) >> s->ind_bitlen;
}

uint64_t uicc_sqn_ms(const struct uicc_sqn *s)
{
	uint64_t ind, seq = seq_max(s, &ind);

	return ((seq << s->ind_bitlen) | ind) & SQN_MASK;
}
