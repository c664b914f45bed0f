/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A tiny HTTP backend for proxy.sh: listens on 127.0.0.1:PORT, appends each request it
 * receives (request line, headers, body) verbatim to a record file, and answers
 * 201 with a fixed body and a header the test looks for. One request per connection.
 *   http_backend PORT RECORD_FILE
 */
#include "config.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define REQ_MAX	(256 * 1024)

static const char answer[] = "HTTP/1.1 201 Created\r\nX-Backend: yes\r\n"
			     "Content-Type: application/json\r\nContent-Length: 19\r\n"
			     "Connection: close\r\n\r\n{\"m2m:rsp\":\"done\"}\n";

int main(int argc, char **argv)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	static char buf[REQ_MAX + 1];
	int lfd, one = 1;

	if (argc != 3)
		return 2;
	signal(SIGPIPE, SIG_IGN);
	sa.sin_port = htons((uint16_t)atoi(argv[1]));
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	lfd = socket(AF_INET, SOCK_STREAM, 0);
	setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(lfd, (struct sockaddr *)&sa, sizeof(sa)) || listen(lfd, 8)) {
		perror("http_backend");
		return 1;
	}
	for (;;) {
		int fd = accept(lfd, NULL, NULL);
		size_t have = 0, want = 0;
		char *eoh;
		FILE *f;

		if (fd < 0)
			continue;
		/* read the head, then Content-Length bytes of body */
		while (have < REQ_MAX) {
			ssize_t n = read(fd, buf + have, REQ_MAX - have);

			if (n <= 0)
				break;
			have += (size_t)n;
			buf[have] = '\0';
			eoh = strstr(buf, "\r\n\r\n");
			if (eoh && !want) {
				char *cl = strcasestr(buf, "\r\nContent-Length:");

				want = (size_t)(eoh + 4 - buf) + (cl && cl < eoh ? strtoul(cl + 17, NULL,
										       10) : 0);
			}
			if (want && have >= want)
				break;
		}
		f = fopen(argv[2], "a");
		if (f) {
			fwrite(buf, 1, have, f);
			fputs("\n--END--\n", f);
			fclose(f);
		}
		if (write(fd, answer, sizeof(answer) - 1) < 0)
			perror("http_backend: write");
		close(fd);
	}
}
