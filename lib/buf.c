/* buf.c — the growable buffer with a ceiling (see buf.h): doubling from
 * 4 KiB, never past the owner's ceiling, a failure remembered in the
 * buffer so that a long run of appends is checked once. */
#include "buf.h"

#include <assert.h>
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
