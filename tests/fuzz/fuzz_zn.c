/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * libFuzzer target for the Zn web-service codec (core/zn_soap.c): the input goes
 * through the request parser and the response (answer or fault) parser; every
 * accepted message is built again and must parse back to the same model.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <gba/keys.h>
#include <gba/zn.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void request(const char *xml, size_t size)
{
	struct gba_zn_request r, back;
	size_t len;
	char *out;

	if (gba_zn_request_parse(&r, xml, size, NULL, 0) < 0)
		return;
	if (gba_zn_request_build(&out, &len, &r) < 0)
		abort();
	if (gba_zn_request_parse(&back, out, len, NULL, 0) < 0 || strcmp(back.btid, r.btid) ||
	    back.naf_id_len != r.naf_id_len || memcmp(back.naf_id, r.naf_id, r.naf_id_len) ||
	    back.gba_u_aware != r.gba_u_aware || back.n_gsid != r.n_gsid ||
	    memcmp(back.gsid, r.gsid, sizeof(r.gsid)))
		abort();
	free(out);
}

static void answer(const struct gba_zn_answer *a)
{
	struct gba_zn_answer back;
	size_t len;
	char *out;

	if (gba_zn_answer_build(&out, &len, a) < 0)
		abort();
	if (gba_zn_answer_parse(&back, out, len, NULL, 0) < 0)
		abort();
	if (strcmp(back.impi, a->impi) || !gba_ct_equal(back.me_key, a->me_key, GBA_KS_NAF_LEN) ||
	    back.has_uicc_key != a->has_uicc_key ||
	    (a->has_uicc_key && !gba_ct_equal(back.uicc_key, a->uicc_key, GBA_KS_NAF_LEN)) ||
	    back.key_expiry != a->key_expiry || back.creation_time != a->creation_time ||
	    back.gba_type != a->gba_type || back.uicc_me != a->uicc_me ||
	    !back.uss != !a->uss || (a->uss && strcmp(back.uss, a->uss)))
		abort();
	gba_zn_answer_clear(&back);
	gba_zeroize(out, len);
	free(out);
}

static void fault(const struct gba_zn_fault *f)
{
	struct gba_zn_fault back;
	size_t len;
	char *out;

	if (f->code == 0)
		return;	/* a plain SOAP fault: we always send a resultCode */
	if (gba_zn_fault_build(&out, &len, f) < 0)
		abort();
	if (gba_zn_fault_parse(&back, out, len, NULL, 0) < 0 || back.code != f->code ||
	    strcmp(back.reason, f->reason))
		abort();
	free(out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *xml = (const char *)data;
	struct gba_zn_answer a;
	struct gba_zn_fault f;
	char err[128];
	int rc;

	request(xml, size);
	rc = gba_zn_response_parse(&a, &f, xml, size, err, sizeof(err));
	if (rc == GBA_ZN_ANSWER) {
		answer(&a);
		gba_zn_answer_clear(&a);
	} else if (rc == GBA_ZN_FAULT) {
		fault(&f);
	}
	return 0;
}
