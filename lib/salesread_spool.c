/* salesread_spool — a pipe copied by a thread into an unlinked temporary
 * file, so that the parallel ranges read what has arrived while the rest
 * arrives (salesread.h), and the quick opening of a sales input. */
#define _GNU_SOURCE     /* F_SETPIPE_SZ */

#include "salesread_core.h"

#include "csvrange.h"
#include "encoding.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- a pipe, copied while it is read ---------------------------------- */

struct salesread_spool {
    int in_fd;                  /* the pipe (owned) */
    int fd;                     /* the copy, written with pwrite (owned) */
    char *name;                 /* for messages */
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t arrived;     /* written or done changed, or stopped */
    long long written;          /* bytes in the copy */
    int done;                   /* the input ended, or could not be read */
    int read_errno;             /* a read failed (0: no) */
    int write_errno;            /* a write of the copy failed (0: no) */
    long long next;             /* the ranges handed out end here */
    int stopped;                /* a worker failed: hand out no more */
    long long *cuts;            /* where ranges may end, increasing (see find_cut) */
    size_t ncuts, cuts_cap, cut_index;  /* cut_index: the first past next, for claims */
};

#define SPOOL_BUFFER (128u << 10)   /* read and written at a time: stays in the cache */
#define SPOOL_PUBLISH (1ll << 20)   /* the workers are told of each MiB, not of each read */
#define PIPE_SIZE (1 << 20)         /* the pipe's buffer we ask for (Linux's default most) */
#define CUT_SPACING (1ll << 20)     /* a place to end a range after each MiB (find_cut) */

/* Publish what the copy holds (at: its bytes), a cut in it (cut >= 0),
 * and when done, why. @return 0, or -1: no memory for the cut. */
static int copy_publish(struct salesread_spool *spool, long long at, long long cut, int done,
                        int read_errno, int write_errno)
{
    int rc = 0;
    pthread_mutex_lock(&spool->lock);
    if (cut >= 0 && spool->ncuts == spool->cuts_cap) {
        size_t cap = spool->cuts_cap ? 2 * spool->cuts_cap : 256;
        long long *cuts = realloc(spool->cuts, cap * sizeof *cuts);
        if (cuts) {
            spool->cuts = cuts;
            spool->cuts_cap = cap;
        }
    }
    if (cut >= 0 && spool->ncuts < spool->cuts_cap)
        spool->cuts[spool->ncuts++] = cut;
    else if (cut >= 0)
        rc = -1;
    spool->written = at;
    if (done) {
        spool->read_errno = read_errno;
        spool->write_errno = write_errno;
        spool->done = 1;
    }
    pthread_cond_broadcast(&spool->arrived);
    pthread_mutex_unlock(&spool->lock);
    return rc;
}

/* Where the ranges of a pipe may end: a line end outside quotes, the first
 * at or past `target`, CUT_SPACING bytes after the last cut. The quotes are
 * counted from the input's start by the copy, on the bytes it has just
 * read: in well-formed CSV a quote opens or closes a quoted field or is
 * one of a doubled pair, so a line end after an even number of them ends
 * a record, and a quoted field with line ends never straddles two ranges
 * (cut at any line end, such a range failed and the whole input was read
 * again in sequence). On input that is not well-formed the count may be
 * wrong: a range then does not end on its cut, or the scanner refuses a
 * record, and the read falls back as before. */
struct cut_finder {
    int quoted;                 /* odd quotes so far */
    long long target;           /* look for a cut from here */
};

/* The cut in buf (n bytes at offset at), if any. @return it, or -1. */
static long long find_cut(struct cut_finder *finder, const char *buf, size_t n, long long at)
{
    long long found = -1;
    size_t i = 0;
    while (i < n) {
        if (at + (long long)i < finder->target) {
            size_t upto = finder->target - at < (long long)n ? (size_t)(finder->target - at) : n;
            finder->quoted ^= (int)(csvrange_count(buf + i, upto - i, '"') & 1);
            i = upto;
            continue;
        }
        for (; i < n; i++) {
            if (buf[i] == '"') {
                finder->quoted ^= 1;
            } else if (buf[i] == '\n' && !finder->quoted) {
                found = at + (long long)++i;
                finder->target = found + CUT_SPACING;
                break;
            }
        }
    }
    return found;
}

/* The copy: each read of the pipe (what is in it, up to 128 KiB) written
 * at once, while it is in the cache (1 MiB at a time was read back from
 * memory: the write's copy took half as long again); the workers are woken
 * once per MiB (once per read, 64 KiB by default, they woke 16,000 times
 * on the bench file, each time to wait again). */
static void *copy_in(void *arg)
{
    struct salesread_spool *spool = arg;
    char *buf = malloc(SPOOL_BUFFER);
    long long at = 0, published = 0;
    int read_errno = buf ? 0 : ENOMEM, write_errno = 0;
    struct cut_finder finder = { 0, CUT_SPACING };
    while (buf) {
        ssize_t n = read(spool->in_fd, buf, SPOOL_BUFFER);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            read_errno = n < 0 ? errno : 0;
            break;
        }
        for (ssize_t done = 0; done < n;) {
            ssize_t m = pwrite(spool->fd, buf + done, (size_t)(n - done), at + done);
            if (m < 0 && errno == EINTR)
                continue;
            if (m <= 0) {
                write_errno = m < 0 ? errno : ENOSPC;
                break;
            }
            done += m;
        }
        if (write_errno)
            break;
        /* a cut per CUT_SPACING at most: one per read at most */
        long long cut = find_cut(&finder, buf, (size_t)n, at);
        at += n;
        if (cut >= 0 || at - published >= SPOOL_PUBLISH) {
            if (copy_publish(spool, at, cut, 0, 0, 0) != 0) {
                read_errno = ENOMEM;
                break;
            }
            published = at;
        }
    }
    free(buf);
    copy_publish(spool, at, -1, 1, read_errno, write_errno);
    return NULL;
}

struct salesread_spool *salesread_spool_start(int in_fd, const char *name, struct diag *diag)
{
    struct salesread_spool *spool = calloc(1, sizeof *spool);
    if (!spool || !(spool->name = strdup(name))) {
        free(spool);
        close(in_fd);
        diag_set(diag, "out of memory");
        return NULL;
    }
    spool->in_fd = in_fd;
#ifdef F_SETPIPE_SZ
    /* A larger pipe lets the writer (cat, zcat) fill it while this copy
     * writes: with the default 64 KiB the two took turns, each waking the
     * other every 64 KiB. Refused (a user's pipe quota), it stays as it is. */
    int pipe_size = fcntl(in_fd, F_GETPIPE_SZ);
    if (pipe_size > 0 && pipe_size < PIPE_SIZE)
        (void)fcntl(in_fd, F_SETPIPE_SZ, PIPE_SIZE);
#endif
    spool->fd = encoding_temporary(diag);
    if (spool->fd < 0) {
        close(in_fd);
        free(spool->name);
        free(spool);
        return NULL;
    }
    pthread_mutex_init(&spool->lock, NULL);
    pthread_cond_init(&spool->arrived, NULL);
    if (pthread_create(&spool->thread, NULL, copy_in, spool) != 0) {
        diag_set(diag, "%s: cannot start a thread", name);
        close(in_fd);
        close(spool->fd);
        pthread_mutex_destroy(&spool->lock);
        pthread_cond_destroy(&spool->arrived);
        free(spool->name);
        free(spool);
        return NULL;
    }
    return spool;
}

int salesread_spool_wait(struct salesread_spool *spool, long long bytes)
{
    pthread_mutex_lock(&spool->lock);
    while (!spool->done && spool->written <= bytes)
        pthread_cond_wait(&spool->arrived, &spool->lock);
    int more = spool->written > bytes && !spool->read_errno && !spool->write_errno;
    pthread_mutex_unlock(&spool->lock);
    return more;
}

int salesread_spool_fd(const struct salesread_spool *spool)
{
    return dup(spool->fd);
}

/* Wait for the end of the input; the error of the copy, as encoding_open
 * words it. */
static int spool_complete(void *ctx, struct diag *diag)
{
    struct salesread_spool *spool = ctx;
    pthread_mutex_lock(&spool->lock);
    while (!spool->done)
        pthread_cond_wait(&spool->arrived, &spool->lock);
    pthread_mutex_unlock(&spool->lock);
    if (spool->write_errno)
        return diag_set(diag, "%s: cannot write a temporary copy: %s", spool->name,
                        strerror(spool->write_errno));
    if (spool->read_errno)
        return diag_set(diag, "%s: %s", spool->name, strerror(spool->read_errno));
    return 0;
}

void salesread_spool_attach(struct salesread_spool *spool, csvin *in)
{
    csvin_set_growing(in, spool_complete, spool);
}

int salesread_spool_close(struct salesread_spool *spool, struct diag *diag)
{
    if (!spool)
        return 0;
    int rc = spool_complete(spool, diag);
    pthread_join(spool->thread, NULL);
    close(spool->in_fd);
    close(spool->fd);
    pthread_mutex_destroy(&spool->lock);
    pthread_cond_destroy(&spool->arrived);
    free(spool->cuts);
    free(spool->name);
    free(spool);
    return rc;
}

/* Closing the last descriptor of a pipe's copy frees its page cache (1 GB
 * of pages for the bench file: 45 ms on one core, after the read and
 * before the roll-up is settled and written, with the other core idle). */
static void *close_fd(void *arg)
{
    close((int)(intptr_t)arg);
    return NULL;
}

/* An fsync waits for the disk and the journal (0.05 to 0.2 s for the bench
 * file's 293 MB of rejected rows), not for the processor. */
static void *sync_fd(void *arg)
{
    (void)fsync((int)(intptr_t)arg);
    close((int)(intptr_t)arg);
    return NULL;
}

/* Run fn(fd) on a detached thread. @return 0, or -1 (not started). */
static int detach(void *(*fn)(void *), int fd)
{
    pthread_t thread;
    pthread_attr_t attr;
    if (pthread_attr_init(&attr) != 0)
        return -1;
    int rc = pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED) == 0 &&
             pthread_create(&thread, &attr, fn, (void *)(intptr_t)fd) == 0 ? 0 : -1;
    pthread_attr_destroy(&attr);
    return rc;
}

void salesread_close_later(int fd)
{
    if (detach(close_fd, fd) != 0)
        close(fd);
}

void salesread_sync_later(int fd)
{
    if (detach(sync_fd, fd) != 0)
        close(fd);      /* not needed: the file's own fsync still commits it */
}

int salesread_open_quick(const char *path, struct encoding_result *enc, int *checked_all,
                      struct salesread_spool **spool, struct diag *diag)
{
    struct stat st;
    int from_stdin = strcmp(path, "-") == 0;
    const char *name = from_stdin ? "stdin" : path;
    int in_fd = from_stdin ? dup(0) : open(path, O_RDONLY);
    if (in_fd < 0 || fstat(in_fd, &st) != 0 || !S_ISFIFO(st.st_mode)) {
        if (in_fd >= 0)
            close(in_fd);
        return encoding_open_quick(path, NULL, enc, checked_all, diag);
    }
    if (!(*spool = salesread_spool_start(in_fd, name, diag)))
        return -1;
    int more = salesread_spool_wait(*spool, 2ll << 20);
    int fd = salesread_spool_fd(*spool);
    char head[65536];
    ssize_t n = fd >= 0 ? pread(fd, head, sizeof head, 0) : -1;
    const char *first = n > 0 ? memchr(head, '\n', (size_t)n) : NULL;
    int two_lines = first && memchr(first + 1, '\n', (size_t)(head + n - first - 1));
    if (!more || !two_lines || !encoding_quick_utf8(fd)) {
        int rc = salesread_spool_close(*spool, diag);
        *spool = NULL;
        if (rc != 0 || fd < 0) {
            if (fd >= 0)
                close(fd);
            return fd < 0 ? diag_set(diag, "%s: %s", name, strerror(errno)) : -1;
        }
    }
    return encoding_open_copy(fd, name, NULL, 1, enc, checked_all, diag);
}

/* The ranges of a parallel read start at the data. */
void salesread_spool_restart(struct salesread_spool *spool, long long data)
{
    pthread_mutex_lock(&spool->lock);
    spool->next = data;
    spool->cut_index = 0;
    spool->stopped = 0;
    pthread_mutex_unlock(&spool->lock);
}

void salesread_spool_stop(struct salesread_spool *spool)
{
    pthread_mutex_lock(&spool->lock);
    spool->stopped = 1;
    pthread_cond_broadcast(&spool->arrived);
    pthread_mutex_unlock(&spool->lock);
}

int salesread_spool_claim(struct salesread_spool *spool, long long bytes, long long *start,
                          long long *end)
{
    int got = 0;
    pthread_mutex_lock(&spool->lock);
    for (;;) {
        long long from = spool->next;
        if (spool->stopped || (spool->done && from >= spool->written))
            break;
        if (spool->done && (spool->read_errno || spool->write_errno)) {
            got = -1;
            break;
        }
        while (spool->cut_index < spool->ncuts && spool->cuts[spool->cut_index] <= from)
            spool->cut_index++;
        size_t k = spool->cut_index;
        while (k < spool->ncuts && spool->cuts[k] < from + bytes)
            k++;
        if (k < spool->ncuts) {
            *end = spool->cuts[k];
            got = 1;
        } else if (spool->done) {
            *end = spool->written;
            got = 1;
        }
        if (got) {
            *start = from;
            spool->next = *end;
            break;
        }
        pthread_cond_wait(&spool->arrived, &spool->lock);
    }
    pthread_mutex_unlock(&spool->lock);
    return got;
}
