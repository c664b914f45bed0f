/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Status words: names for logs (ISO 7816-4 5.6, TS 102 221 10.2.1, TS 31.102
 * 7.3) and the mapping of a final SW to a negative errno. See include/gba/apdu.h.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>

#include <gba/apdu.h>

struct sw_name {
	uint16_t sw;
	uint16_t mask;		/* bits of sw that must match */
	const char *name;
};

static const struct sw_name sw_names[] = {
	{ 0x9000, 0xffff, "normal ending" },
	{ 0x9100, 0xff00, "normal ending, proactive command pending" },
	{ 0x9200, 0xff00, "normal ending after internal retries" },
	{ 0x9300, 0xffff, "SIM application toolkit busy" },
	{ 0x6100, 0xff00, "response bytes available (GET RESPONSE)" },
	{ 0x9f00, 0xff00, "response bytes available (GSM SIM, GET RESPONSE)" },
	{ 0x6200, 0xffff, "warning: no information given, non-volatile memory unchanged" },
	{ 0x6281, 0xffff, "warning: part of returned data may be corrupted" },
	{ 0x6282, 0xffff, "warning: end of file/record reached before reading Le bytes" },
	{ 0x6283, 0xffff, "warning: selected file invalidated" },
	{ 0x6285, 0xffff, "warning: selected file in termination state" },
	{ 0x62f1, 0xffff, "warning: more data available" },
	{ 0x62f3, 0xffff, "warning: response data available (GET RESPONSE)" },
	{ 0x6300, 0xffff, "verification failed" },
	{ 0x63c0, 0xfff0, "verification failed, retries left" },
	{ 0x6400, 0xffff, "execution error, non-volatile memory unchanged" },
	{ 0x6500, 0xffff, "execution error, non-volatile memory changed" },
	{ 0x6581, 0xffff, "memory problem" },
	{ 0x6700, 0xffff, "wrong length" },
	{ 0x6800, 0xffff, "functions in CLA not supported" },
	{ 0x6881, 0xffff, "logical channel not supported" },
	{ 0x6882, 0xffff, "secure messaging not supported" },
	{ 0x6900, 0xffff, "command not allowed" },
	{ 0x6981, 0xffff, "command incompatible with file structure" },
	{ 0x6982, 0xffff, "security status not satisfied" },
	{ 0x6983, 0xffff, "authentication/PIN method blocked" },
	{ 0x6984, 0xffff, "referenced data invalidated" },
	{ 0x6985, 0xffff, "conditions of use not satisfied" },
	{ 0x6986, 0xffff, "command not allowed (no EF selected)" },
	{ 0x6989, 0xffff, "command not allowed, secure channel security not satisfied" },
	{ 0x6a80, 0xffff, "incorrect parameters in the data field" },
	{ 0x6a81, 0xffff, "function not supported" },
	{ 0x6a82, 0xffff, "file or application not found" },
	{ 0x6a83, 0xffff, "record not found" },
	{ 0x6a84, 0xffff, "not enough memory space" },
	{ 0x6a86, 0xffff, "incorrect parameters P1 to P2" },
	{ 0x6a87, 0xffff, "Lc inconsistent with P1 to P2" },
	{ 0x6a88, 0xffff, "referenced data not found" },
	{ 0x6b00, 0xffff, "wrong parameters P1-P2 (offset outside the EF)" },
	{ 0x6c00, 0xff00, "wrong length, reissue with Le = SW2" },
	{ 0x6d00, 0xffff, "instruction code not supported or invalid" },
	{ 0x6e00, 0xffff, "class not supported" },
	{ 0x6f00, 0xffff, "technical problem, no precise diagnosis" },
	{ 0x9862, 0xffff, "authentication error, incorrect MAC" },
	{ 0x9864, 0xffff, "authentication error, security context not supported" },
	{ 0x9865, 0xffff, "key freshness failure" },
	{ 0x9866, 0xffff, "authentication error, no memory space available" },
	{ 0x9867, 0xffff, "authentication error, no memory space available in EF_MUK" },
};

const char *gba_sw_name(uint16_t sw)
{
	size_t i;

	for (i = 0; i < sizeof(sw_names) / sizeof(sw_names[0]); i++)
		if ((sw & sw_names[i].mask) == sw_names[i].sw)
			return sw_names[i].name;
	switch (sw >> 8) {
	case 0x62:
	case 0x63:
		return "warning";
	case 0x64:
	case 0x65:
	case 0x66:
		return "execution error";
	case 0x67:
		return "wrong length";
	case 0x68:
		return "functions in CLA not supported";
	case 0x69:
		return "command not allowed";
	case 0x6a:
		return "wrong parameters";
	}
	return "unknown status word";
}

int gba_sw_describe(char *out, size_t outlen, uint16_t sw)
{
	uint8_t sw1 = sw >> 8, sw2 = sw & 0xff;

	switch (sw1) {
	case 0x61:
		return snprintf(out, outlen, "%04X response bytes available, %u bytes", sw,
				sw2 ? sw2 : 256);
	case 0x6c:
		return snprintf(out, outlen, "%04X wrong length, Le must be %u", sw,
				sw2 ? sw2 : 256);
	case 0x92:
		return snprintf(out, outlen, "%04X normal ending after %u internal retries", sw,
				sw2 & 0x0f);
	case 0x63:
		if ((sw2 & 0xf0) == 0xc0)
			return snprintf(out, outlen, "%04X verification failed, %u retries left",
					sw, sw2 & 0x0f);
		break;
	}
	return snprintf(out, outlen, "%04X %s", sw, gba_sw_name(sw));
}

bool gba_sw_is_ok(uint16_t sw)
{
	uint8_t sw1 = sw >> 8;

	return sw == GBA_SW_OK || sw1 == GBA_SW1_PROACTIVE || sw1 == GBA_SW1_RETRY;
}

int gba_sw_to_errno(uint16_t sw)
{
	if (gba_sw_is_ok(sw))
		return 0;
	if ((sw & 0xfff0) == 0x63c0)
		return -EACCES;
	if ((sw >> 8) == GBA_SW1_WRONG_LE)
		return -EINVAL;
	switch (sw) {
	case GBA_SW_FILE_NOT_FOUND:
	case GBA_SW_RECORD_NOT_FOUND:
	case GBA_SW_REF_DATA_NOT_FOUND:
		return -ENOENT;
	case GBA_SW_SECURITY_NOT_SATISFIED:
	case GBA_SW_VERIFY_FAILED:
		return -EACCES;
	case GBA_SW_AUTH_METHOD_BLOCKED:
	case GBA_SW_REF_DATA_INVALIDATED:
		return -EPERM;
	case GBA_SW_CONDITIONS_NOT_SATISFIED:
		return -ENOKEY;
	case GBA_SW_AUTH_MAC_FAILURE:
		return -EBADMSG;
	case GBA_SW_FUNC_UNSUPP:
	case GBA_SW_WRONG_P1P2:
	case GBA_SW_INS_UNSUPP:
	case GBA_SW_CLA_UNSUPP:
	case GBA_SW_AUTH_CTX_UNSUPP:
	case GBA_SW_CHANNEL_UNSUPP:
		return -EOPNOTSUPP;
	case GBA_SW_WRONG_LENGTH:
	case GBA_SW_WRONG_DATA:
	case GBA_SW_LC_INCONSISTENT:
	case GBA_SW_WRONG_P1P2_OFFSET:
		return -EINVAL;
	case GBA_SW_NO_MEMORY:
	case GBA_SW_AUTH_NO_MEMORY:
	case GBA_SW_AUTH_NO_MEMORY_MUK:
		return -ENOSPC;
	case GBA_SW_AUTH_KEY_FRESHNESS:
		return -ESTALE;
	}
	return -EIO;
}
