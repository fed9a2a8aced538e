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
 * Where the return is a value and not a status, on purpose (the header of
 * each says so; these are all of them):
 *
 *   long x_find / an index       table_find, csvin_find, hashtab_find,
 *                                chart_find_column, sales_layout_role,
 *                                dataset_reader_text_column, kmeans_choose:
 *                                the index, or -1 "none", which is an answer,
 *                                not a failure (no diag).
 *   long columns_find            the index; -1 not found (diag set when the
 *                                role is required), -2 two candidates (diag
 *                                set): a caller with an optional role must
 *                                tell "absent" (go on) from "ambiguous" (an
 *                                error), hence two values.
 *   long / int: a count or index hashtab_intern (an index), kmeans_run (the
 *                                iterations), sales_key (a length): -1 is out
 *                                of memory, no diag; the caller, which knows
 *                                the file, writes "out of memory".
 *   int x_parse(name, &value)    the names an option takes (l10n_lang_parse,
 *                                dataset_scale_parse, cohort_period_parse and
 *                                _read, parse_date_format_valid): 0, or -1 for
 *                                a name outside the list, no diag: the tool
 *                                words the usage error, naming its option.
 *   int amount_plain             1 rewritten, 0 nothing to rewrite, -1 not a
 *                                number that way: a verdict on a value, like
 *                                enum parse_status, worded by the caller.
 *   int parse_percent_column_note  -1: the column now mixes "5%" and "0.05";
 *                                parse_percent_mixed words it.
 *   int x_parallel               salesread_parallel, salesrollup_parallel,
 *                                cohort_read_parallel, csvscan_open...: 1 done,
 *                                0 "not this way" (the caller reads the file
 *                                in sequence: not a failure), -1 failed (diag;
 *                                csvscan_open never fails: its 0 covers it).
 *   buf_*                        -1 with the buffer's `failed` set, tested once
 *                                when the text is complete (buf.h).
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
