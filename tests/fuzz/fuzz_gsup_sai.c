/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * libFuzzer target for gba-bsf's handling of osmo-hlr's SendAuthInfo answers
 * (bsf/zh_gsup.c sai_decode(): a decoded GSUP message into a zh_result). sai_decode() is
 * static, so this file includes zh_gsup.c itself. Input: one mode byte, then
 *   mode even: a GSUP message on the wire, decoded by libosmocore's osmo_gsup_decode()
 *              as gsup_read_cb() does, and handed on when it is a SendAuthInfo result/error;
 *   mode odd:  the fields of a decoded message directly (type, cause, vector count, auth
 *              types, RES length, vector bytes), to reach values the wire decoder never
 *              produces (RES longer than 16 bytes, no UMTS type, zero vectors).
 * A result must be 0 with a RES of 4..16 bytes copied, -ENOENT or -EIO, never anything else.
 */
#include "../../bsf/zh_gsup.c"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(const struct osmo_gsup_message *m)
{
	struct zh_result res;
	int rc;

	memset(&res, 0xa5, sizeof(res));
	rc = sai_decode(m, &res);
	if (rc != res.rc || (rc && rc != -ENOENT && rc != -EIO))
		abort();
	if (rc == 0 && (res.av.xres_len < GBA_RES_MIN_LEN || res.av.xres_len > GBA_RES_MAX_LEN ||
			memcmp(res.av.xres, m->auth_vectors[0].res, res.av.xres_len) ||
			memcmp(res.av.ck, m->auth_vectors[0].ck, GBA_CK_LEN)))
		abort();
	if (rc == -ENOENT && m->message_type != OSMO_GSUP_MSGT_SEND_AUTH_INFO_ERROR)
		abort();
	gba_zeroize(&res, sizeof(res));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct osmo_gsup_message m;
	struct osmo_auth_vector *v = &m.auth_vectors[0];
	size_t n;

	if (size < 1)
		return 0;
	gba_log_set_level(GBA_LL_NONE);
	memset(&m, 0, sizeof(m));
	if (!(data[0] & 1)) {
		if (osmo_gsup_decode(data + 1, size - 1, &m) < 0)
			return 0;
		if (m.message_type == OSMO_GSUP_MSGT_SEND_AUTH_INFO_RESULT ||
		    m.message_type == OSMO_GSUP_MSGT_SEND_AUTH_INFO_ERROR)
			check(&m);
		gba_zeroize(&m, sizeof(m));
		return 0;
	}
	/* direct fields: type, cause, count, auth_types, res_len, then the vector bytes */
	if (size < 6)
		return 0;
	m.message_type = data[1] & 1 ? OSMO_GSUP_MSGT_SEND_AUTH_INFO_ERROR :
				       OSMO_GSUP_MSGT_SEND_AUTH_INFO_RESULT;
	m.cause = data[2];
	m.num_auth_vectors = data[3] % (OSMO_GSUP_MAX_NUM_AUTH_INFO + 1);
	n = size - 6 < offsetof(struct osmo_auth_vector, res_len) ?
	    size - 6 : offsetof(struct osmo_auth_vector, res_len);
	memcpy(v, data + 6, n);
	v->auth_types = data[4];
	v->res_len = data[5];	/* up to 255: past res[16] on purpose */
	strcpy(m.imsi, "001010000000001");
	check(&m);
	gba_zeroize(&m, sizeof(m));
	return 0;
}
