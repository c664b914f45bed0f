/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Corpus replay for the libFuzzer targets when built without libFuzzer: every
 * file of $FUZZ_CORPUS_DIR/NAME (NAME = program name without "fuzz_") and every
 * file named on the command line goes through LLVMFuzzerTestOneInput() once.
 * A crash or sanitizer report fails the test; an empty corpus fails it too.
 */
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv) __attribute__((weak));

static int run_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf;
	long n;

	if (!f) {
		fprintf(stderr, "%s: %s\n", path, strerror(errno));
		return -1;
	}
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	buf = malloc(n > 0 ? (size_t)n : 1);
	if (!buf || fread(buf, 1, (size_t)n, f) != (size_t)n) {
		fclose(f);
		free(buf);
		return -1;
	}
	fclose(f);
	LLVMFuzzerTestOneInput(buf, (size_t)n);
	free(buf);
	return 0;
}

int main(int argc, char **argv)
{
	const char *base = strrchr(argv[0], '/'), *cdir = getenv("FUZZ_CORPUS_DIR");
	char dir[4096], path[8192];
	struct dirent *de;
	DIR *d;
	int n = 0;

	if (LLVMFuzzerInitialize)
		LLVMFuzzerInitialize(&argc, &argv);
	if (argc > 1) {
		for (int i = 1; i < argc; i++)
			if (run_file(argv[i]) == 0)
				n++;
		printf("%d inputs replayed\n", n);
		return n == argc - 1 ? 0 : 1;
	}
	base = base ? base + 1 : argv[0];
	if (!strncmp(base, "lt-", 3))
		base += 3;
	if (!strncmp(base, "fuzz_", 5))
		base += 5;
	snprintf(dir, sizeof(dir), "%s/%s", cdir ? cdir : "corpus", base);
	d = opendir(dir);
	if (!d) {
		fprintf(stderr, "corpus %s: %s\n", dir, strerror(errno));
		return 1;
	}
	while ((de = readdir(d))) {
		struct stat st;

		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		if (stat(path, &st) || !S_ISREG(st.st_mode))
			continue;
		if (run_file(path))
			return 1;
		n++;
	}
	closedir(d);
	printf("%s: %d corpus inputs replayed\n", base, n);
	return n > 0 ? 0 : 1;
}
