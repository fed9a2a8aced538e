/* diag — the error description every library call fills on failure, and
 * the library's return convention.
 *
 * The library never prints and never exits: a failing call writes one line
 * of text into a struct diag, already shaped "file:line: problem" when a
 * position is known, and the tools print it behind their own name
 * (tools/cli.h). What a call returns:
 *
 *   int  f(..., struct diag *)   0 done; -1 failed, the diag filled. Always.
 *   int  x_next(...)             1 a record, 0 the end, -1 failed (diag).
 *   int  x_is / x_find...        1 yes, 0 no (and -1 failed, diag) for a
 *                                question; -1 alone for "not found" only
 *                                where the header says so (an index).
 *   T   *x_open / x_new(...)     the object, or NULL with the diag filled.
 *   enum parse_status            parse.h's readers: the value's verdict,
 *                                turned into a message by the caller,
 *                                which knows the file, line and column.
 *
 * assert() states what the code itself guarantees (an index in range, a
 * buffer's length within its capacity), never a property of the input:
 * bad input is a diag. */
#ifndef CL_DIAG_H
#define CL_DIAG_H

#include <stddef.h>

#define DIAG_MAX 1024

struct diag {
    char message[DIAG_MAX]; /* one line, no trailing newline */
};

/* Format the message (printf-style). Safe with diag == NULL (ignored).
 * @return always -1, so that `return diag_set(d, ...);` reads well. */
int diag_set(struct diag *diag, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Quote a field value for a message: at most 40 bytes, control bytes shown
 * as \xNN, so that hostile data cannot forge terminal output.
 * @return out, always NUL-terminated. */
const char *diag_quote(const char *value, size_t len, char *out, size_t out_size);

#endif
