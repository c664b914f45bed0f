/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * libFuzzer target for gba-naf's HTTP/1.1 request reader (naf/http.c), which sees what
 * devices send to `gba-naf serve` and `gba-naf proxy` (before authentication on the Digest
 * listener): request line, headers, Content-Length body, limits. The input reaches it
 * through a pipe, as from a socket.
 */
#include "../../naf/http.c"

#include <stdint.h>

#define FUZZ_MAX	32768	/* fits in a pipe without a reader */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct http_req r;
	struct http_io io = { .fd = -1 };
	int p[2];

	if (size > FUZZ_MAX)
		size = FUZZ_MAX;
	if (pipe(p))
		return 0;
	if (size && write(p[1], data, size) != (ssize_t)size) {
		close(p[0]);
		close(p[1]);
		return 0;
	}
	close(p[1]);
	io.fd = p[0];
	if (http_read_request(&io, &r) == 0) {
		const char *h = http_hdr(&r, "Content-Length");

		if (r.body_len && !r.body)
			abort();
		if (h && (size_t)strtoul(h, NULL, 10) != r.body_len)
			abort();
		if (!*r.method || !*r.target || strncmp(r.version, "HTTP/1.", 7))
			abort();
	}
	http_req_free(&r);
	close(p[0]);
	return 0;
}
