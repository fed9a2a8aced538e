/* buf.c — the growable buffer with a ceiling (see buf.h): doubling from
 * 4 KiB, never past the owner's ceiling, a failure remembered in the
 * buffer so that a long run of appends is checked once. */
#include "buf.h"

#include <assert.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define FIRST_CAP 4096

void buf_init(struct buf *b, size_t max)
{
    memset(b, 0, sizeof *b);
    b->max = max ? max : BUF_MAX;
}

int buf_reserve(struct buf *b, size_t more)
{
    size_t max = b->max ? b->max : BUF_MAX;
    if (b->failed)
        return -1;
    assert(b->len <= b->cap);
    if (b->data && b->len + more + 1 <= b->cap)
        return 0;
    if (more >= max || b->len + more + 1 > max) {
        b->failed = 1;
        return -1;
    }
    size_t cap = b->cap ? b->cap : FIRST_CAP;
    while (cap < b->len + more + 1)
        cap *= 2;
    if (cap > max)
        cap = max;
    char *data = realloc(b->data, cap);
    if (!data) {
        b->failed = 1;
        return -1;
    }
    b->data = data;
    b->cap = cap;
    return 0;
}

int buf_add(struct buf *b, const void *bytes, size_t len)
{
    if (buf_reserve(b, len) != 0)
        return -1;
    if (len)
        memcpy(b->data + b->len, bytes, len);
    b->len += len;
    b->data[b->len] = '\0';
    return 0;
}

int buf_adds(struct buf *b, const char *text)
{
    return buf_add(b, text, strlen(text));
}

int buf_addc(struct buf *b, char c)
{
    return buf_addc_inline(b, c);
}

int buf_printf(struct buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0) {
        b->failed = 1;
        return -1;
    }
    if (buf_reserve(b, (size_t)n) != 0)
        return -1;
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
    return 0;
}

void buf_reset(struct buf *b)
{
    b->len = 0;
    b->failed = 0;
    if (b->data)
        b->data[0] = '\0';
}

char *buf_take(struct buf *b)
{
    char *data = b->data;
    size_t max = b->max;
    buf_init(b, max);
    return data;
}

void buf_free(struct buf *b)
{
    if (!b)
        return;
    size_t max = b->max;
    free(b->data);
    buf_init(b, max);
}

int buf_grow_arrays(struct buf_array *arrays, size_t n, size_t need, size_t *cap,
                    size_t first)
{
    assert(first > 0);
    size_t want = *cap ? *cap : first;
    while (want < need) {
        if (want > SIZE_MAX / 2)
            return -1;
        want *= 2;
    }
    if (want == *cap)
        return 0;
    for (size_t i = 0; i < n; i++) {
        assert(arrays[i].size > 0);
        if (want > SIZE_MAX / arrays[i].size)
            return -1;
        void *grown = realloc(arrays[i].data, want * arrays[i].size);
        if (!grown)
            return -1;
        arrays[i].data = grown;
    }
    *cap = want;
    return 0;
}

void *buf_huge(void *p, size_t bytes)
{
#ifdef MADV_HUGEPAGE
    if (p && bytes >= BUF_HUGE_FROM) {
        long size = sysconf(_SC_PAGESIZE);
        uintptr_t page = size > 0 ? (uintptr_t)size : 4096;
        uintptr_t from = (uintptr_t)p & ~(page - 1);
        uintptr_t to = ((uintptr_t)p + bytes + page - 1) & ~(page - 1);
        madvise((void *)from, to - from, MADV_HUGEPAGE);
    }
#else
    (void)bytes;
#endif
    return p;
}

/* ---- reused large blocks ------------------------------------------------ */

/* A mapped block starts with its header (the mapping's size), the caller's
 * bytes BLOCK_HEADER after it; a malloc'd one has a header too (size 0). */
#define BLOCK_HEADER ((size_t)64)
#define BLOCK_CACHE 8
#define BLOCK_ROUND ((size_t)2 << 20)

static pthread_mutex_t block_lock = PTHREAD_MUTEX_INITIALIZER;
static struct { char *base; size_t size; } block_cache[BLOCK_CACHE];

static void *block_alloc(size_t bytes, int zero)
{
    if (bytes > SIZE_MAX - BLOCK_HEADER - BLOCK_ROUND)
        return NULL;
    size_t need = bytes + BLOCK_HEADER;
    if (bytes < BUF_HUGE_FROM) {
        char *p = zero ? calloc(1, need) : malloc(need);
        if (!p)
            return NULL;
        memset(p, 0, sizeof(size_t));
        return p + BLOCK_HEADER;
    }
    size_t size = (need + BLOCK_ROUND - 1) / BLOCK_ROUND * BLOCK_ROUND;
    /* the smallest kept block that is large enough */
    char *base = NULL;
    size_t have = 0;
    pthread_mutex_lock(&block_lock);
    int best = -1;
    for (int i = 0; i < BLOCK_CACHE; i++)
        if (block_cache[i].base && block_cache[i].size >= size &&
            (best < 0 || block_cache[i].size < block_cache[best].size))
            best = i;
    if (best >= 0) {
        base = block_cache[best].base;
        have = block_cache[best].size;
        block_cache[best].base = NULL;
    }
    pthread_mutex_unlock(&block_lock);
    if (base) {
        /* the part past what is asked for given back: what stays
         * resident is what a new block would hold */
        if (have > size && munmap(base + size, have - size) == 0)
            memcpy(base, &size, sizeof size);
        if (zero)
            memset(base + BLOCK_HEADER, 0, bytes);
        return base + BLOCK_HEADER;
    }
    base = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (base == MAP_FAILED)
        return NULL;
#ifdef MADV_HUGEPAGE
    madvise(base, size, MADV_HUGEPAGE);
#endif
    have = size;
    memcpy(base, &have, sizeof have);
    return base + BLOCK_HEADER;     /* fresh pages are zeros */
}

void *buf_block_alloc(size_t bytes)
{
    return block_alloc(bytes, 0);
}

void *buf_block_zalloc(size_t bytes)
{
    return block_alloc(bytes, 1);
}

void buf_block_free(void *p)
{
    if (!p)
        return;
    char *base = (char *)p - BLOCK_HEADER;
    size_t size;
    memcpy(&size, base, sizeof size);
    if (size == 0) {
        free(base);
        return;
    }
    pthread_mutex_lock(&block_lock);
    int slot = -1;
    for (int i = 0; i < BLOCK_CACHE && slot < 0; i++)
        if (!block_cache[i].base)
            slot = i;
    if (slot >= 0) {
        block_cache[slot].base = base;
        block_cache[slot].size = size;
    }
    pthread_mutex_unlock(&block_lock);
    if (slot < 0)
        munmap(base, size);
}

void buf_block_release(void)
{
    for (int i = 0; i < BLOCK_CACHE; i++) {
        pthread_mutex_lock(&block_lock);
        char *base = block_cache[i].base;
        size_t size = block_cache[i].size;
        block_cache[i].base = NULL;
        pthread_mutex_unlock(&block_lock);
        if (base)
            munmap(base, size);
    }
}

/* ---- pages faulted in ahead ------------------------------------------- */

#define PREFAULT_STEP ((size_t)8 << 20)

static void *prefault_thread(void *arg)
{
    struct buf_prefault *pf = arg;
#ifdef MADV_POPULATE_WRITE
    for (int i = 0; i < pf->count; i++)
        for (char *end = pf->to[i]; end > pf->from[i];) {
            if (__atomic_load_n(&pf->stop, __ATOMIC_RELAXED))
                return NULL;
            char *start = (size_t)(end - pf->from[i]) > PREFAULT_STEP ? end - PREFAULT_STEP
                                                                      : pf->from[i];
            if (madvise(start, (size_t)(end - start), MADV_POPULATE_WRITE) != 0)
                break;      /* not here, or no memory: this thread's writes will say */
            end = start;
        }
#endif
    return NULL;
}

void buf_prefault_start(struct buf_prefault *pf, void *const *blocks, const size_t *bytes,
                        int count)
{
    memset(pf, 0, sizeof *pf);
#ifdef MADV_POPULATE_WRITE
    long size = sysconf(_SC_PAGESIZE);
    uintptr_t page = size > 0 ? (uintptr_t)size : 4096;
    for (int i = 0; i < count && pf->count < BUF_PREFAULT_MAX; i++) {
        if (!blocks[i] || bytes[i] < BUF_HUGE_FROM)
            continue;
        /* the whole pages inside the block only: never a neighbour's */
        uintptr_t from = ((uintptr_t)blocks[i] + page - 1) & ~(page - 1);
        uintptr_t to = ((uintptr_t)blocks[i] + bytes[i]) & ~(page - 1);
        if (to > from) {
            pf->from[pf->count] = (char *)from;
            pf->to[pf->count] = (char *)to;
            pf->count++;
        }
    }
    if (pf->count)
        pf->running = pthread_create(&pf->thread, NULL, prefault_thread, pf) == 0;
#else
    (void)blocks;
    (void)bytes;
    (void)count;
#endif
}

void buf_prefault_finish(struct buf_prefault *pf)
{
    if (!pf->running)
        return;
    __atomic_store_n(&pf->stop, 1, __ATOMIC_RELAXED);
    pthread_join(pf->thread, NULL);
    pf->running = 0;
}

void *buf_lines_calloc(size_t n, size_t size)
{
    size_t bytes;
    if (__builtin_mul_overflow(n ? n : 1, size ? size : 1, &bytes) ||
        bytes > SIZE_MAX - (BUF_LINES - 1))
        return NULL;
    bytes = (bytes + BUF_LINES - 1) / BUF_LINES * BUF_LINES;
    void *p = aligned_alloc(BUF_LINES, bytes);
    if (p)
        memset(p, 0, bytes);
    return p;
}
