/* split-loop — the physical floor of reading a CSV file on every core
 * (issue 21's "two-process quote-aware split loop"): the file cut into one
 * range per worker at line ends, each range read with pread in 1 MiB blocks
 * and its records counted, a line end inside quotes not counted. Nothing is
 * parsed or kept: any program that reads every byte costs at least this.
 *   split-loop FILE [WORKERS]   (default 2; prints the records, header included)
 * A bench tool, not part of the suite. */
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#define BLOCK (1 << 20)

struct range {
    int fd;
    off_t from, to;
    long records;
};

/* The offset just past the first line end at or after `at` (or the end). */
static off_t after_line_end(int fd, off_t at, off_t size)
{
    char buf[4096];
    while (at < size) {
        ssize_t got = pread(fd, buf, sizeof buf, at);
        if (got <= 0)
            return size;
        for (ssize_t i = 0; i < got; i++)
            if (buf[i] == '\n')
                return at + i + 1;
        at += got;
    }
    return size;
}

static void *count(void *arg)
{
    struct range *r = arg;
    char *buf = malloc(BLOCK);
    int quoted = 0;
    long records = 0;
    if (!buf)
        return NULL;
    for (off_t at = r->from; at < r->to;) {
        size_t want = r->to - at < BLOCK ? (size_t)(r->to - at) : BLOCK;
        ssize_t got = pread(r->fd, buf, want, at);
        if (got <= 0)
            break;
        for (ssize_t i = 0; i < got; i++) {
            char c = buf[i];
            quoted ^= c == '"';
            records += c == '\n' && !quoted;
        }
        at += got;
    }
    free(buf);
    r->records = records;
    return NULL;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: split-loop FILE [WORKERS]\n");
        return 2;
    }
    int workers = argc > 2 ? atoi(argv[2]) : 2;
    if (workers < 1 || workers > 64)
        workers = 2;
    int fd = open(argv[1], O_RDONLY);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0) {
        perror(argv[1]);
        return 1;
    }
    struct range r[64];
    pthread_t th[64];
    off_t start = 0;
    for (int w = 0; w < workers; w++) {
        off_t end = w + 1 == workers ? st.st_size
                                     : after_line_end(fd, st.st_size / workers * (w + 1),
                                                      st.st_size);
        r[w] = (struct range){ fd, start, end < start ? start : end, 0 };
        start = r[w].to;
        pthread_create(&th[w], NULL, count, &r[w]);
    }
    long total = 0;
    for (int w = 0; w < workers; w++) {
        pthread_join(th[w], NULL);
        total += r[w].records;
    }
    printf("%ld\n", total);
    close(fd);
    return 0;
}
