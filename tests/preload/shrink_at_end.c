/* shrink_at_end — an LD_PRELOAD shim for the tests: the file named by
 * SHRINK_FILE is emptied when a pread of it reaches its end for the
 * SHRINK_AT_END-th time (1 when unset), as if another program had rewritten
 * it just after it was read through. A writer in the background would race
 * the reader; this happens at one known point (tests/cli/page_copy_changed.sh:
 * "changed while it was read"). Without SHRINK_FILE, every pread is the
 * system's, and nothing else is changed. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

typedef ssize_t pread_fn(int, void *, size_t, off_t);
typedef ssize_t pread64_fn(int, void *, size_t, off64_t);

static long ends_seen;   /* the preads of SHRINK_FILE that found its end so far */

/* after a pread of WANT bytes on FD that got GOT: empty SHRINK_FILE if FD is
 * that file and this is the SHRINK_AT_END-th read to find its end; GOT */
static ssize_t shrink_at_end(int fd, ssize_t got, size_t want)
{
    const char *path = getenv("SHRINK_FILE"), *at_end = getenv("SHRINK_AT_END");
    struct stat named, read_st;
    if (got != 0 || want == 0 || !path)
        return got;
    if (stat(path, &named) != 0 || fstat(fd, &read_st) != 0
        || named.st_dev != read_st.st_dev || named.st_ino != read_st.st_ino)
        return got;
    if (++ends_seen != (at_end ? atol(at_end) : 1))
        return got;
    int saved = errno;
    if (truncate(path, 0) != 0)
        abort();        /* a test that believes the file changed would check nothing */
    errno = saved;
    return got;
}

/* the next library's NAME: the system's */
static void *next_symbol(const char *name)
{
    void *real = dlsym(RTLD_NEXT, name);
    if (!real)
        abort();
    return real;
}

ssize_t pread(int fd, void *buf, size_t n, off_t at)
{
    static pread_fn *real;
    real = real ? real : (pread_fn *)next_symbol("pread");
    return shrink_at_end(fd, real(fd, buf, n, at), n);
}

/* the same call where off_t is 32 bits and the program asked for 64 */
ssize_t pread64(int fd, void *buf, size_t n, off64_t at)
{
    static pread64_fn *real;
    real = real ? real : (pread64_fn *)next_symbol("pread64");
    return shrink_at_end(fd, real(fd, buf, n, at), n);
}
