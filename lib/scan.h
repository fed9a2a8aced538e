/* scan — a lean CSV tokenizer for the parallel path over regular files.
 *
 * It reads well-formed RFC 4180 records from a memory buffer without
 * allocating per field, and answers SCAN_FALLBACK on anything else (a
 * stray quote, a NUL byte, invalid UTF-8, a lone CR (a line end for
 * csvin's line numbers, even inside quotes), too many
 * fields, a field over the ceiling): then the libcsv reader (csvio) takes
 * the file over and reports the problem with its line.
 *
 * Layer: csv. Includes nothing of the project's (utf8.h in the .c). */
#ifndef CL_SCAN_H
#define CL_SCAN_H

#include <stddef.h>

/* The limits of every CSV reader (this tokenizer and csvin). */
#define CSVIN_MAX_FIELD   (1u << 20)    /* bytes in one field: 1 MiB */
#define CSVIN_MAX_FIELDS  10000         /* fields in one record */

/* A field as bytes: not NUL-terminated in general. */
struct csvfield {
    const char *ptr;
    size_t len;
};

enum scan_status {
    SCAN_RECORD,        /* a record; *consumed bytes used, line end included */
    SCAN_NEED_MORE,     /* no complete record in the buffer */
    SCAN_END,           /* only blank lines left, at the end of the input */
    SCAN_FALLBACK       /* not plain well-formed CSV here */
};

struct scan_record {
    struct csvfield *fields;    /* owned */
    size_t count, cap;
    char *scratch;              /* unescaped quoted fields; owned */
    size_t scratch_cap;
    size_t blank_lines;         /* line ends of the blank lines skipped before it */
    size_t lines;               /* line ends in its consumed bytes, those included */
    size_t quoted;              /* its quoted fields (in scratch); 0: no quote in its bytes
                                 * (a quote inside an unquoted field is a fall back), and
                                 * every field points into them */
};

void scan_record_free(struct scan_record *rec);     /* accepts a zeroed record */

/* Read the record at buf (blank lines before it are skipped and counted in
 * *consumed). at_end: the buffer ends the input, so a last record without
 * a line end is complete. */
enum scan_status scan_next(const char *buf, size_t len, int at_end, char delim,
                           struct scan_record *rec, size_t *consumed);

/* scan_next without the cutter of whole 16-byte blocks (each field found
 * by its own search): the reference that cutter is tested against, the
 * same status, fields and counts on every buffer. */
enum scan_status scan_next_by_field(const char *buf, size_t len, int at_end, char delim,
                                    struct scan_record *rec, size_t *consumed);

#endif
