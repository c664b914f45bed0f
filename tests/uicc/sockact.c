/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * sockact SOCKET CMD ARGS...: fake systemd socket activation, so that a test's private pcscd
 * listens on SOCKET instead of the compiled-in /run/pcscd/pcscd.comm (pcscd ignores
 * PCSCLITE_CSOCK_NAME; only clients read it). Binds and listens on an AF_UNIX socket, moves
 * it to fd 3, sets LISTEN_FDS=1 and LISTEN_PID to our pid (kept across exec) and execs CMD.
 * (components.md section 2, variant A.)
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	char pid[32];
	int fd;

	if (argc < 3 || strlen(argv[1]) >= sizeof(sa.sun_path)) {
		fprintf(stderr, "usage: sockact SOCKET CMD [ARGS...]\n");
		return 2;
	}
	strcpy(sa.sun_path, argv[1]);
	unlink(argv[1]);
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)) || listen(fd, 64) ||
	    chmod(argv[1], 0666)) {
		perror("sockact");
		return 1;
	}
	if (fd != 3) {
		if (dup2(fd, 3) < 0) {
			perror("sockact: dup2");
			return 1;
		}
		close(fd);
	}
	snprintf(pid, sizeof(pid), "%ld", (long)getpid());
	setenv("LISTEN_FDS", "1", 1);
	setenv("LISTEN_PID", pid, 1);
	execvp(argv[2], argv + 2);
	perror("sockact: exec");
	return 127;
}
