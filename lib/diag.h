/* diag — the error description every library call fills on failure.
 *
 * The library never prints and never exits: a failing call returns a
 * non-zero status and writes one line of text into a struct diag, already
 * shaped "file:line: problem" when a position is known. The tools print it
 * behind their own name (tools/cli.h). */
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
