/* csvin — reading CSV, the one way every program reads a table or a stream.
 *
 * Built on libcsv, strict (a stray quote, an unterminated quoted field are
 * errors), with what libcsv leaves out: no trimming of spaces, physical
 * line numbers for messages, the UTF-8 BOM, Excel's "sep=;" line,
 * delimiter sniffing, NUL bytes and invalid UTF-8 refused (utf8.h), and a
 * ceiling on every buffer (the limits are scan.h's). For a regular file,
 * csvscan reads the rest of the file with the lean tokenizer (scan.h).
 *
 * Layer: csv. Includes diag.h, scan.h (and utf8.h, csvrange.h in the .c). */
#ifndef CL_CSVIN_H
#define CL_CSVIN_H

#include <stdint.h>
#include <stdio.h>

#include "diag.h"
#include "scan.h"

typedef struct csvin csvin;

/* Open a CSV file ("-" or NULL: standard input) and read its header.
 * The bytes are read as UTF-8 by the program's encoding rule (encoding.h:
 * a UTF-16 BOM, UTF-8, else Windows-1252, or the encoding it names).
 * delim: ',', ';', '\t', '|', or 0 to sniff it from the header line.
 * @return the reader (caller frees with csvin_close), or NULL with diag
 *         set (no such file, empty file, bad header...). */
csvin *csvin_open(const char *path, char delim, struct diag *diag);
/* The same on an open descriptor (taken over: csvin_close closes it);
 * path names it in messages ("-": stdin). A first line "sep=;" (Excel)
 * is skipped and gives the delimiter when delim is 0. */
csvin *csvin_open_fd(int fd, const char *path, char delim, struct diag *diag);

/* Read the next record. Fields stay valid until the next call.
 * @return 1 a record, 0 end of input, -1 error (diag set, "file:line: ..."). */
int csvin_next(csvin *in, struct diag *diag);

size_t      csvin_columns(const csvin *in);                 /* header fields */
const char *csvin_column_name(const csvin *in, size_t col); /* NUL-terminated */
/* The csvin_columns() names of the header, the reader's (valid until it is closed). */
const char *const *csvin_column_names(const csvin *in);
size_t      csvin_fields(const csvin *in);                  /* in this record */
/* Field i of this record, NUL-terminated (len optional); "" when i is
 * beyond the record's end. */
const char *csvin_field(const csvin *in, size_t i, size_t *len);
/* This record's fields as an array (csvin_fields of them), valid until
 * the next call; the caller may move an entry's ptr and len, not the
 * bytes. @return NULL when out of memory. */
struct csvfield *csvin_record_fields(csvin *in);
long        csvin_line(const csvin *in);   /* physical line where the record starts */
long        csvin_record(const csvin *in); /* 1 = header */
const char *csvin_name(const csvin *in);   /* file name for messages ("-" shown as "stdin") */
char        csvin_delim(const csvin *in);
void        csvin_close(csvin *in);        /* accepts NULL */
/* Input bytes consumed up to the end of the last record returned (BOM
 * included): where the data start after the header, for a reader that
 * goes on by itself (the parallel scanner). */
long long   csvin_offset(const csvin *in);
/* The physical line of the byte at csvin_offset (the line after the
 * record returned last). */
long        csvin_offset_line(const csvin *in);
int         csvin_fd(const csvin *in);
/* Was the error csvin_next returned invalid UTF-8 (a file in another
 * encoding)? */
int         csvin_bad_utf8(const csvin *in);

/* A file still being written (a pipe copied by a thread, salesread.h): a
 * reader that goes past what has arrived calls csvin_wait_complete first,
 * which calls wait(ctx) once: it blocks until the copy is complete and
 * returns 0, or -1 with diag set (the input could not be read). Only what
 * has arrived is read before that: the header and the ranges the copier
 * hands out. */
void  csvin_set_growing(csvin *in, int (*wait)(void *ctx, struct diag *diag), void *ctx);
void *csvin_growing(const csvin *in);     /* ctx while the file grows, else NULL */
int   csvin_wait_complete(csvin *in, struct diag *diag);   /* 0 at once when not growing */

/* Index of the column named exactly `name`, or -1. */
long csvin_find(const csvin *in, const char *name);

/* ---- the fast way through a regular file ------------------------------ */

/* The rest of a regular file (after the header csvin read), in memory, cut
 * into records by the lean scanner (scan.h), with physical line numbers.
 * csvscan_open validates the whole rest of the file first: when it says
 * yes, every record is plain well-formed CSV and csvscan_next never falls
 * back, so a caller never has to undo what it read; when it says no, the
 * caller reads with csvin_next, which gives the exact diagnostic. */
struct csvscan {
    char *buf;                  /* owned */
    size_t len, pos;
    long line;                  /* physical line at pos */
    char delim;
    size_t records;             /* records in the rest of the file (validated) */
    struct scan_record record;  /* the fields of the last record */
};

/* @return 1 ready, every record validated; 0 not possible (a pipe, a file
 * over 2 GiB, out of memory, or anything the scanner does not take: a
 * stray quote, invalid UTF-8, a lone CR...): read with csvin_next. */
int csvscan_open(struct csvscan *scan, csvin *in);
/* The next record: SCAN_RECORD (fields in scan->record, *line its first
 * physical line) or SCAN_END; never SCAN_FALLBACK (csvscan_open
 * validated every record). */
enum scan_status csvscan_next(struct csvscan *scan, long *line);
void csvscan_close(struct csvscan *scan);      /* accepts a zeroed one */

#endif
