/* buf — the one growable byte buffer, with a ceiling (curl's dynbuf is the
 * model). A chart script, the rows a thread formats for cl-kmeans, any
 * text built piece by piece grows here; passing the ceiling or running out
 * of memory is a state the caller tests once at the end (`failed`), not a
 * crash and not a check after every append.
 *
 * The bytes are kept NUL-terminated, so `data` reads as a string when no
 * NUL was added. The buffer owns `data`; buf_take hands it over. */
#ifndef CL_BUF_H
#define CL_BUF_H

#include <pthread.h>
#include <stddef.h>
#include <string.h>

struct buf {
    char *data;         /* owned; NULL until the first append */
    size_t len;         /* bytes used, the terminating NUL not counted */
    size_t cap;         /* bytes allocated */
    size_t max;         /* ceiling on cap in bytes; 0: BUF_MAX */
    int failed;         /* the ceiling was passed or an allocation failed:
                         * every later append does nothing */
};

#define BUF_MAX ((size_t)1 << 30)   /* 1 GiB when the owner names no ceiling */

/* An empty buffer of at most max bytes (0: BUF_MAX). Allocates nothing. */
void buf_init(struct buf *b, size_t max);

/* Room for `more` bytes (and the NUL) past len.
 * @return 0, or -1 with failed set (the ceiling, or out of memory). */
int buf_reserve(struct buf *b, size_t more);

/* Append bytes, a NUL-terminated text, one byte, a formatted text.
 * @return 0, or -1 with failed set (nothing appended). */
int buf_add(struct buf *b, const void *bytes, size_t len);
int buf_adds(struct buf *b, const char *text);
int buf_addc(struct buf *b, char c);
/* buf_add and buf_addc, the common case (room already there) inline: for
 * writers that append a few bytes at a time (csvout's memory sink). */
static inline int buf_add_inline(struct buf *b, const void *bytes, size_t len)
{
    if (b->data && b->len + len + 1 <= b->cap && !b->failed) {
        memcpy(b->data + b->len, bytes, len);
        b->len += len;
        b->data[b->len] = '\0';
        return 0;
    }
    return buf_add(b, bytes, len);
}
static inline int buf_addc_inline(struct buf *b, char c)
{
    if (b->data && b->len + 2 <= b->cap && !b->failed) {
        b->data[b->len++] = c;
        b->data[b->len] = '\0';
        return 0;
    }
    return buf_add(b, &c, 1);
}
int buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Empty it for reuse, keeping the memory (and the ceiling); clears failed. */
void buf_reset(struct buf *b);

/* The bytes, now the caller's (free them); the buffer is left empty.
 * NULL when nothing was appended. */
char *buf_take(struct buf *b);

void buf_free(struct buf *b);       /* accepts NULL; the buffer is left empty */

/* Ask for 2 MiB pages for a large block just allocated (malloc, calloc,
 * realloc; not yet written), before it is written: the whole pages it
 * lies in, from BUF_HUGE_FROM bytes. Advice only (nothing happens where
 * it is refused); the block is freed as usual. On the VM the suite is
 * measured on, a fresh 4 KiB page costs about 3.5 s a GiB to fault in,
 * a 2 MiB page about 0.6-1.2 s. @return p. */
#define BUF_HUGE_FROM ((size_t)4 << 20)
void *buf_huge(void *p, size_t bytes);

/* Large scratch blocks handed back and reused: a block of BUF_HUGE_FROM
 * bytes or more is mapped on its own (2 MiB pages asked for) and, when
 * freed, kept (up to 8) for the next buf_block_alloc it is large enough
 * for, its part past that size given back, so that a program whose steps
 * each take a few hundred MB (a sort's buffers per column) faults and
 * zeroes its pages once, not at every step. A kept block stays resident:
 * for scratch freed and taken again, not for an array freed for good.
 * Smaller blocks are malloc's. The contents of a new block are
 * unspecified (buf_block_zalloc: zeros); free it with buf_block_free
 * only (NULL is accepted). Thread-safe. @return the block, or NULL. */
void *buf_block_alloc(size_t bytes);
void *buf_block_zalloc(size_t bytes);
void buf_block_free(void *p);
/* Give back every kept block: once the steps that reuse them are done. */
void buf_block_release(void);

/* Fault in the pages of large blocks just allocated (not yet written) on
 * a second thread, while this one does something else: where this one
 * then writes, the pages are there (zeroed by the kernel, the slow part
 * on the VM the suite is measured on). Each block is faulted in from its
 * end down, so that a block this thread fills from its start meets the
 * helper in the middle. The contents are never changed; this thread may
 * write the blocks meanwhile. Nothing happens where the system cannot
 * (no thread, no MADV_POPULATE_WRITE). buf_prefault_finish stops the
 * helper (what is faulted in stays) and must follow before the blocks are
 * freed. */
#define BUF_PREFAULT_MAX 4
struct buf_prefault {
    char *from[BUF_PREFAULT_MAX], *to[BUF_PREFAULT_MAX];   /* page-aligned ranges */
    int count;
    int stop;                   /* atomic: finish asked */
    int running;
    pthread_t thread;
};
void buf_prefault_start(struct buf_prefault *pf, void *const *blocks, const size_t *bytes,
                        int count);
void buf_prefault_finish(struct buf_prefault *pf);

/* ---- parallel arrays ---------------------------------------------------
 * Several arrays indexed alike (a column each: the cells' clients, periods,
 * amounts...), grown together so that one capacity serves them all. */
struct buf_array {
    void *data;         /* in: the array, or NULL; out: the array, grown */
    size_t size;        /* bytes of one element */
};

/* Grow each of arrays[0..n) to hold at least `need` elements: *cap doubled
 * (from `first` when 0) until it does; the new elements are not set. Every
 * arrays[i].data is updated, also on failure (those grown stay valid, with
 * their contents), so the caller stores them all back; *cap changes only
 * on success. @return 0, or -1 (out of memory, or a size beyond size_t). */
int buf_grow_arrays(struct buf_array *arrays, size_t n, size_t need, size_t *cap,
                    size_t first);

/* ---- memory a thread writes, apart from the others' --------------------
 * Two threads writing to one cache line take it from each other at every
 * write (false sharing): a reader thread's counts allocated just after the
 * pointers every thread reads at each line doubled the time of a pass
 * with --also cohorts. State a thread writes as it reads, allocated by
 * another thread (where small allocations lie side by side), goes on
 * lines of its own: BUF_LINES bytes (two lines: the pair the adjacent-line
 * prefetcher fetches), aligned on them and its size rounded up to them. A
 * struct of one thread's state declared _Alignas(BUF_LINES) has a size of
 * whole lines, so that an array of them from buf_lines_calloc keeps each
 * thread's on its own. */
#define BUF_LINES 128
/* n zeroed elements of `size` bytes, on lines of their own; free() frees
 * them. @return NULL out of memory (or a size beyond size_t). */
void *buf_lines_calloc(size_t n, size_t size);

#endif
