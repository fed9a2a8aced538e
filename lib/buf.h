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

#include <stddef.h>

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
int buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Empty it for reuse, keeping the memory (and the ceiling); clears failed. */
void buf_reset(struct buf *b);

/* The bytes, now the caller's (free them); the buffer is left empty.
 * NULL when nothing was appended. */
char *buf_take(struct buf *b);

void buf_free(struct buf *b);       /* accepts NULL; the buffer is left empty */

#endif
