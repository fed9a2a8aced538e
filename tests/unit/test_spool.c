/* Unit tests of a pipe read while it arrives (lib/salesread_spool.c): a
 * writer that delivers the input in short pieces; the copy equal to the
 * input; the ranges handed out contiguous, each ending at a line end
 * outside quotes although quoted fields with line ends straddle the place
 * of every cut; a small input without a last line end, in one-byte writes;
 * the pipe enlarged. */
#define _GNU_SOURCE     /* F_GETPIPE_SZ */

#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "salesread_core.h"
#include "t.h"

struct feed {
    int fd;                     /* the pipe's end to write (closed at the end) */
    const char *data;
    size_t len;
    size_t most;                /* each write is 1 to most bytes */
    uint64_t seed;
};

static void *feed_pipe(void *arg)
{
    struct feed *f = arg;
    for (size_t at = 0; at < f->len;) {
        size_t piece = 1 + (size_t)(t_random(&f->seed) % f->most);
        if (piece > f->len - at)
            piece = f->len - at;
        ssize_t n = write(f->fd, f->data + at, piece);
        if (n <= 0)
            break;
        at += (size_t)n;
    }
    close(f->fd);
    return NULL;
}

/* A header, then records whose second field is often quoted with line
 * ends inside, some of them kilobytes long (so that a cut looked for at a
 * fixed offset often falls inside one), doubled quotes; no last line end. */
static char *make_input(size_t want, size_t *len, size_t *header)
{
    size_t cap = want + 65536;
    char *s = malloc(cap);
    uint64_t seed = 21;
    size_t n = (size_t)sprintf(s, "customer,note,amount\n");
    *header = n;
    for (long i = 0; n < want; i++) {
        n += (size_t)sprintf(s + n, "c%ld,", i % 977);
        uint64_t kind = t_random(&seed) % 4;
        if (kind == 0) {
            n += (size_t)sprintf(s + n, "plain note");
        } else {
            size_t lines = 1 + (size_t)(t_random(&seed) % (kind == 3 ? 200 : 4));
            s[n++] = '"';
            for (size_t k = 0; k < lines; k++)
                n += (size_t)sprintf(s + n, "line %zu of a note, \"\"quoted\"\"\n", k);
            s[n++] = '"';
        }
        n += (size_t)sprintf(s + n, ",%ld.%02ld\n", i % 1000, i % 100);
    }
    *len = n - 1;               /* the last line end left out */
    return s;
}

static long long count_quotes(const char *s, long long len)
{
    long long q = 0;
    for (long long i = 0; i < len; i++)
        q += s[i] == '"';
    return q;
}

/* The input through a pipe written in pieces of 1 to most bytes: the
 * ranges claimed and the copy checked against it. */
static void check_pipe(const char *what, const char *data, size_t len, size_t header,
                       size_t most, long long bytes)
{
    int fds[2];
    if (pipe(fds) != 0) {
        T_CHECK(0, "%s: a pipe", what);
        return;
    }
    struct diag diag;
    struct salesread_spool *spool = salesread_spool_start(fds[0], "stdin", &diag);
    T_CHECK(spool != NULL, "%s: the spool starts", what);
    if (!spool)
        return;
#ifdef F_GETPIPE_SZ
    int probe[2], can = 0;
    if (pipe(probe) == 0) {
        can = fcntl(probe[1], F_SETPIPE_SZ, 1 << 20) >= 1 << 20;
        close(probe[0]);
        close(probe[1]);
    }
    int size = fcntl(fds[1], F_GETPIPE_SZ);
    T_CHECK(!can || size >= 1 << 20, "%s: the pipe holds 1 MiB (%d bytes)", what, size);
#endif
    struct feed f = { fds[1], data, len, most, 5 };
    pthread_t writer;
    pthread_create(&writer, NULL, feed_pipe, &f);

    salesread_spool_restart(spool, (long long)header);
    long long start, end, at = (long long)header;
    int ranges = 0, contiguous = 1, cut_outside = 1, sized = 1, inside = 0, rc;
    while ((rc = salesread_spool_claim(spool, bytes, &start, &end)) == 1) {
        contiguous &= start == at && end > start;
        if (end < (long long)len) {
            /* a record ends there: after a line end, an even number of quotes */
            cut_outside &= data[end - 1] == '\n' && count_quotes(data, end) % 2 == 0;
            /* bytes or more, and not a cut (one a MiB) more than needed */
            sized &= end - start >= bytes && end - start < bytes + (1 << 20) + 65536;
            /* the first line end past `bytes` is inside quotes: cut there,
             * as a pipe's ranges were, the range would have failed */
            const char *nl = memchr(data + start + bytes, '\n', len - (size_t)(start + bytes));
            inside += nl && count_quotes(data, nl - data) % 2 == 1;
        }
        at = end;
        ranges++;
    }
    pthread_join(writer, NULL);
    T_CHECK(rc == 0, "%s: the claims end without an error", what);
    T_CHECK(contiguous && at == (long long)len,
            "%s: %d ranges, one after the other, from the header to the end", what, ranges);
    T_CHECK(cut_outside, "%s: each range but the last ends a record (a line end, even quotes)",
            what);
    T_CHECK(sized, "%s: each range but the last of %lld bytes or a little more", what, bytes);
    if (len > 2 * (size_t)bytes)
        T_CHECK(ranges >= 2 && inside > 0,
                "%s: at %d of the %d places, a line end inside quotes came first", what,
                inside, ranges - 1);
    T_CHECK(salesread_spool_wait(spool, (long long)len - 1) == 1 &&
            salesread_spool_wait(spool, (long long)len) == 0,
            "%s: the copy holds exactly the input's bytes", what);
    int fd = salesread_spool_fd(spool);
    char *copy = malloc(len + 1);
    ssize_t got = fd >= 0 ? pread(fd, copy, len + 1, 0) : -1;
    T_CHECK(got == (ssize_t)len && memcmp(copy, data, len) == 0,
            "%s: the copy equals the input", what);
    free(copy);
    if (fd >= 0)
        close(fd);
    T_CHECK(salesread_spool_close(spool, &diag) == 0, "%s: the spool closes", what);
}

/* salesread_digits_set (its inline step and salesread_digits_set_full)
 * and salesread_digits_set_full alone against snprintf: walks of small
 * steps (0 to 11: carried or not, inline or not) and large ones over the
 * places where a number gains a digit (9, 99, ... 10^18 - 1), steps back,
 * and from each start fresh. */
static void check_digits(void)
{
    uint64_t seed = 7;
    int all = 1;
    long checked = 0;
    long long starts[] = { 0, 1, 8, 95, 990, 9999 - 3, 99990, 999999 - 50, 123456789,
                           999999999999999990LL, 9223372036854675807LL };
    for (size_t s = 0; s < sizeof starts / sizeof *starts && all; s++) {
        struct salesread_digits dg = SALESREAD_DIGITS_INIT, full = SALESREAD_DIGITS_INIT;
        long long n = starts[s];
        for (int step = 0; step < 20000 && all; step++) {
            salesread_digits_set(&dg, n);
            salesread_digits_set_full(&full, n);
            char want[32];
            snprintf(want, sizeof want, "%lld", n);
            all = dg.len == (int)strlen(want) && memcmp(dg.d, want, (size_t)dg.len) == 0 &&
                  dg.n == n && full.len == dg.len && memcmp(full.d, want, (size_t)dg.len) == 0 &&
                  full.n == n;
            if (!all)
                printf("# %lld: got \"%.*s\", \"%.*s\"\n", n, dg.len, dg.d, full.len, full.d);
            checked++;
            uint64_t r = t_random(&seed) % 100;
            long long by = r < 60 ? (long long)(r % 12) : r < 85 ? (long long)(t_random(&seed) % 2000)
                         : r < 95 ? 99990 + (long long)(t_random(&seed) % 20)
                                  : -(long long)(t_random(&seed) % 50);
            if (n > 9223372036854775807LL - 100000 || n + by < 0)
                by = -by;
            n += by;
            if (n < 0)
                n = 0;
        }
    }
    T_CHECK(all, "salesread_digits_set: %ld line numbers as snprintf writes them", checked);
}

int main(void)
{
    check_digits();
    size_t len, header;
    char *data = make_input((size_t)(2 * SEGMENT + SEGMENT / 2), &len, &header);
    check_pipe("10 MiB in writes of 1 to 3000 bytes, 4 MiB ranges", data, len, header, 3000,
               SEGMENT);
    check_pipe("10 MiB in writes of up to 300 KiB, 4 MiB ranges", data, len, header, 300 << 10,
               SEGMENT);
    check_pipe("10 MiB in writes of up to 300 KiB, 1 MiB ranges", data, len, header, 300 << 10,
               1 << 20);
    free(data);
    const char small[] = "customer,amount\n"
                         "a,1\n\"b\nwith a line end\",2\nc,3";   /* no last line end */
    check_pipe("a small input in one-byte writes", small, sizeof small - 1,
               strlen("customer,amount\n"), 1, 1 << 20);
    T_DONE();
}
