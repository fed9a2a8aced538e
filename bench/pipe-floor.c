/* pipe-floor — what reading a pipe costs before any work (issue 21's rows
 * "from a pipe"): standard input read as cl-rollup reads a pipe (a 1 MiB
 * pipe asked for, reads of up to 128 KiB) and its bytes counted, and with
 * --spool each read also written into an unlinked file in TMPDIR, the copy
 * a pipe needs to be read again. Nothing is looked at: `cat FILE |
 * pipe-floor` is the least any reader of a pipe of FILE costs, and with
 * --spool the least cl-rollup's way of reading it costs.
 *   cat FILE | pipe-floor [--spool]   (prints the bytes read)
 * A bench tool, not part of the suite. */
#define _GNU_SOURCE /* F_SETPIPE_SZ */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define BUFFER (128 << 10)

int main(int argc, char **argv)
{
    int spool = argc > 1 && strcmp(argv[1], "--spool") == 0;
    if (argc > 2 || (argc == 2 && !spool)) {
        fprintf(stderr, "usage: cat FILE | pipe-floor [--spool]\n");
        return 2;
    }
#ifdef F_SETPIPE_SZ
    (void)fcntl(0, F_SETPIPE_SZ, 1 << 20);
#endif
    int out = -1;
    if (spool) {
        const char *dir = getenv("TMPDIR");
        char path[4096];
        snprintf(path, sizeof path, "%s/pipe-floor-XXXXXX", dir && *dir ? dir : "/tmp");
        out = mkstemp(path);
        if (out < 0) {
            perror(path);
            return 1;
        }
        unlink(path);
    }
    char *buf = malloc(BUFFER);
    if (!buf)
        return 1;
    off_t at = 0;
    for (;;) {
        ssize_t got = read(0, buf, BUFFER);
        if (got < 0) {
            perror("pipe-floor: read");
            return 1;
        }
        if (got == 0)
            break;
        if (out >= 0 && pwrite(out, buf, (size_t)got, at) != got) {
            perror("pipe-floor: write");
            return 1;
        }
        at += got;
    }
    printf("%lld\n", (long long)at);
    free(buf);
    if (out >= 0)
        close(out);
    return 0;
}
