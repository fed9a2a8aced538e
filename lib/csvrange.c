/* csvrange.c — the parallel range reader of csvrange.h: a regular file cut
 * at line ends, each range read into the caller's buffer and its line ends
 * counted on a thread of its own, then (once the caller has sized what the
 * records go to) its records cut by the scanner, again one thread a range.
 * Nothing is guessed: a range that does not end exactly at its cut fails
 * the read, and the caller reads in sequence. */
#include "csvrange.h"

#ifdef __SSE2__
#include <emmintrin.h>
#endif
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Sixteen bytes at a time where SSE2 is there, 32 where the processor has
 * AVX2 (asked at run time: the build stays generic): each compare adds one
 * to the bytes of a counter where the byte is, summed every 255 blocks (one
 * byte counts at most 255 before it would wrap). Two bytes are counted in
 * the same pass when asked (b_count not NULL): a chunk's quotes and line
 * ends from one load of each block. */
#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#define COUNT_AVX2 1

__attribute__((target("avx2"))) static long long sum_bytes_avx2(__m256i counts)
{
    __m256i sums = _mm256_sad_epu8(counts, _mm256_setzero_si256());
    return _mm256_extract_epi64(sums, 0) + _mm256_extract_epi64(sums, 1) +
           _mm256_extract_epi64(sums, 2) + _mm256_extract_epi64(sums, 3);
}

/* [0, *done) of p counted; the rest is the caller's. */
__attribute__((target("avx2"))) static long long count_avx2(const char *p, size_t len, char a,
                                                              char b, long long *b_count,
                                                              size_t *done)
{
    long long na = 0, nb = 0;
    size_t i = 0;
    const __m256i va = _mm256_set1_epi8(a), vb = _mm256_set1_epi8(b);
    /* 128 bytes a turn: the four compares of a byte summed (-4 to 0) before
     * one subtraction from its counter, so the loop carries one dependency
     * per counter and loads each block once (a quarter of the instructions
     * of a block a turn); 63 turns add at most 252 to a counter byte. */
    while (i + 128 <= len) {
        __m256i ca = _mm256_setzero_si256(), cb = _mm256_setzero_si256();
        for (int k = 0; k < 63 && i + 128 <= len; k++, i += 128) {
            const __m256i *at = (const __m256i *)(const void *)(p + i);
            __m256i v0 = _mm256_loadu_si256(at), v1 = _mm256_loadu_si256(at + 1);
            __m256i v2 = _mm256_loadu_si256(at + 2), v3 = _mm256_loadu_si256(at + 3);
            __m256i sa = _mm256_add_epi8(
                _mm256_add_epi8(_mm256_cmpeq_epi8(v0, va), _mm256_cmpeq_epi8(v1, va)),
                _mm256_add_epi8(_mm256_cmpeq_epi8(v2, va), _mm256_cmpeq_epi8(v3, va)));
            ca = _mm256_sub_epi8(ca, sa);
            if (b_count) {
                __m256i sb = _mm256_add_epi8(
                    _mm256_add_epi8(_mm256_cmpeq_epi8(v0, vb), _mm256_cmpeq_epi8(v1, vb)),
                    _mm256_add_epi8(_mm256_cmpeq_epi8(v2, vb), _mm256_cmpeq_epi8(v3, vb)));
                cb = _mm256_sub_epi8(cb, sb);
            }
        }
        na += sum_bytes_avx2(ca);
        if (b_count)
            nb += sum_bytes_avx2(cb);
    }
    while (i + 32 <= len) {
        __m256i ca = _mm256_setzero_si256(), cb = _mm256_setzero_si256();
        if (b_count) {
            for (int k = 0; k < 255 && i + 32 <= len; k++, i += 32) {
                __m256i v = _mm256_loadu_si256((const __m256i *)(const void *)(p + i));
                ca = _mm256_sub_epi8(ca, _mm256_cmpeq_epi8(v, va));
                cb = _mm256_sub_epi8(cb, _mm256_cmpeq_epi8(v, vb));
            }
            nb += sum_bytes_avx2(cb);
        } else {
            for (int k = 0; k < 255 && i + 32 <= len; k++, i += 32) {
                __m256i v = _mm256_loadu_si256((const __m256i *)(const void *)(p + i));
                ca = _mm256_sub_epi8(ca, _mm256_cmpeq_epi8(v, va));
            }
        }
        na += sum_bytes_avx2(ca);
    }
    if (b_count)
        *b_count = nb;
    *done = i;
    return na;
}
#endif

/* The count from i on, sixteen bytes at a time where SSE2 is there. */
static long long count_rest(const char *p, size_t len, char a, char b, long long *b_count,
                            size_t i)
{
    long long na = 0, nb = 0;
#ifdef __SSE2__
    const __m128i va = _mm_set1_epi8(a), vb = _mm_set1_epi8(b);
    while (i + 16 <= len) {
        __m128i ca = _mm_setzero_si128(), cb = _mm_setzero_si128();
        for (int k = 0; k < 255 && i + 16 <= len; k++, i += 16) {
            __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(p + i));
            ca = _mm_sub_epi8(ca, _mm_cmpeq_epi8(v, va));
            if (b_count)
                cb = _mm_sub_epi8(cb, _mm_cmpeq_epi8(v, vb));
        }
        __m128i sums = _mm_sad_epu8(ca, _mm_setzero_si128());
        na += _mm_cvtsi128_si32(sums) + _mm_cvtsi128_si32(_mm_srli_si128(sums, 8));
        sums = _mm_sad_epu8(cb, _mm_setzero_si128());
        nb += _mm_cvtsi128_si32(sums) + _mm_cvtsi128_si32(_mm_srli_si128(sums, 8));
    }
#endif
    for (; i < len; i++) {
        na += p[i] == a;
        nb += p[i] == b;
    }
    if (b_count)
        *b_count = nb;
    return na;
}

long long csvrange_count_two_generic(const char *p, size_t len, char a, char b,
                                     long long *b_count)
{
    return count_rest(p, len, a, b, b_count, 0);
}

long long csvrange_count_two(const char *p, size_t len, char a, char b, long long *b_count)
{
#ifdef COUNT_AVX2
    if (__builtin_cpu_supports("avx2")) {
        size_t done;
        long long nb = 0, rest_b = 0;
        long long na = count_avx2(p, len, a, b, b_count ? &nb : NULL, &done);
        na += count_rest(p, len, a, b, b_count ? &rest_b : NULL, done);
        if (b_count)
            *b_count = nb + rest_b;
        return na;
    }
#endif
    return count_rest(p, len, a, b, b_count, 0);
}

long long csvrange_count(const char *p, size_t len, char byte)
{
    return csvrange_count_two(p, len, byte, byte, NULL);
}

long long csvrange_line_end(int fd, long long at, long long limit)
{
    char buf[65536];
    while (at < limit) {
        size_t want = limit - at < (long long)sizeof buf ? (size_t)(limit - at) : sizeof buf;
        ssize_t n = pread(fd, buf, want, at);
        if (n <= 0)
            return -1;
        char *nl = memchr(buf, '\n', (size_t)n);
        if (nl)
            return at + (nl - buf) + 1;
        at += n;
    }
    return -1;
}

long csvrange_line_at(int fd, long long offset)
{
    char buf[65536];
    long line = 1;
    for (long long at = 0; at < offset;) {
        size_t want = offset - at < (long long)sizeof buf ? (size_t)(offset - at) : sizeof buf;
        ssize_t n = pread(fd, buf, want, at);
        if (n <= 0)
            break;
        line += (long)csvrange_count(buf, (size_t)n, '\n');
        /* a CR not followed by LF ends a line too, as for csvin (libcsv):
         * the byte after the chunk read when a CR is its last */
        for (const char *cr = memchr(buf, '\r', (size_t)n); cr;
             cr = memchr(cr + 1, '\r', (size_t)(buf + n - cr - 1))) {
            char next = 0;
            if (cr + 1 < buf + n)
                next = cr[1];
            else if (pread(fd, &next, 1, at + n) != 1)
                next = 0;
            line += next != '\n';
        }
        at += n;
    }
    return line;
}

void csvrange_cut(int fd, long long data, long long size, long n, long long *ends)
{
    long long at = data;
    for (long i = 0; i < n; i++) {
        /* a tentative boundary moved to just past the next line end */
        ends[i] = i == n - 1 ? size
                             : csvrange_line_end(fd, data + (size - data) * (i + 1) / n, size);
        if (ends[i] < 0)
            ends[i] = size;
        if (ends[i] < at)
            ends[i] = at;
        at = ends[i];
    }
}

long csvrange_threads(long long bytes, long requested)
{
    long n = requested ? requested : sysconf(_SC_NPROCESSORS_ONLN);
    if (n < 1)
        n = 1;
    if (n > 64)
        n = 64;
    if (requested)
        return n;
    long most = (long)(bytes / (8 << 20)) + 1;     /* at least 8 MiB each */
    return n < most ? n : most;
}

/* ---- the two phases, one thread a range --------------------------------- */

struct job {
    struct csvrange_part *part;
    int fd;
    char *buf;                  /* the buffer's byte for the file's `data` */
    long long data, size;
    char delim;
    csvrange_record_fn record;
    int phase;                  /* 1: read and count; 2: records */
    int failed;
};

/* Phase 1: the range's bytes into the buffer, its line ends counted. */
static void fill(struct job *j)
{
    struct csvrange_part *p = j->part;
    char *at = j->buf + (p->start - j->data);
    for (long long done = 0; done < p->end - p->start;) {
        ssize_t n = pread(j->fd, at + done, (size_t)(p->end - p->start - done), p->start + done);
        if (n <= 0) {
            j->failed = 1;      /* a read error, or the file shrank: read in sequence */
            return;
        }
        done += n;
    }
    p->lines = csvrange_count(at, (size_t)(p->end - p->start), '\n');
}

/* Phase 2: the range's records. The last range ends the file (a record
 * without a line end is whole there); any other must end exactly at its
 * cut, which is just past a line end: a record still open there (in
 * quotes) is SCAN_NEED_MORE, and only blank lines may be left. */
static void records(struct job *j)
{
    struct csvrange_part *p = j->part;
    char *buf = j->buf + (p->start - j->data);
    size_t len = (size_t)(p->end - p->start), pos = 0;
    int at_end = p->end == j->size;
    long line = p->first_line;
    struct scan_record rec = { 0 };
    while (pos < len) {
        size_t consumed;
        enum scan_status st = scan_next(buf + pos, len - pos, at_end, j->delim, &rec, &consumed);
        if (st == SCAN_END)
            break;
        if (st == SCAN_NEED_MORE) {
            for (; pos < len && (buf[pos] == '\n' || buf[pos] == '\r'); pos++)
                ;
            j->failed = pos < len;      /* blank lines only, or a cut inside quotes */
            break;
        }
        if (st != SCAN_RECORD) {
            j->failed = 1;
            break;
        }
        char *raw = buf + pos, *end = raw + consumed;
        for (; raw < end && (*raw == '\n' || *raw == '\r'); raw++)   /* blank lines */
            line += *raw == '\n';
        long record_line = line;
        line += (long)csvrange_count(raw, (size_t)(end - raw), '\n');
        pos += consumed;
        if (j->record(p, &rec, raw, (size_t)(end - raw), record_line) != 0) {
            j->failed = 1;
            break;
        }
    }
    scan_record_free(&rec);
}

static void *run(void *arg)
{
    struct job *j = arg;
    if (j->phase == 1)
        fill(j);
    else
        records(j);
    return NULL;
}

/* Run one phase over every range: threads for all but the last, which the
 * calling thread reads. @return 0, or -1 (a range failed, or a thread
 * could not start). */
static int run_phase(struct job *jobs, pthread_t *ids, long n, int phase)
{
    long started = 0;
    int failed = 0;
    for (long i = 0; i < n; i++)
        jobs[i].phase = phase;
    for (; started < n - 1; started++)
        if (pthread_create(&ids[started], NULL, run, &jobs[started]) != 0) {
            failed = 1;
            break;
        }
    if (!failed)
        run(&jobs[n - 1]);
    for (long i = 0; i < started; i++)
        pthread_join(ids[i], NULL);
    for (long i = 0; i < n; i++)
        failed |= jobs[i].failed;
    return failed ? -1 : 0;
}

int csvrange_read(int fd, long long data, long long size, long first_line, char *buf,
                  char delim, long n, struct csvrange_part *parts,
                  csvrange_prepare_fn prepare, void *ctx, csvrange_record_fn record)
{
    if (n < 1 || n > 64 || size < data)
        return 0;
    long long ends[64];
    struct job jobs[64];
    pthread_t ids[64];
    csvrange_cut(fd, data, size, n, ends);
    for (long i = 0; i < n; i++) {
        parts[i].start = i == 0 ? data : ends[i - 1];
        parts[i].end = ends[i];
        parts[i].lines = 0;
        jobs[i] = (struct job){ &parts[i], fd, buf, data, size, delim, record, 1, 0 };
    }
    if (run_phase(jobs, ids, n, 1) != 0)
        return 0;
    long line = first_line;
    for (long i = 0; i < n; i++) {
        parts[i].first_line = line;
        line += (long)parts[i].lines;
    }
    if (prepare && prepare(ctx, parts, n) != 0)
        return 0;
    return run_phase(jobs, ids, n, 2) == 0;
}
