/* csvio — CSV in and out.
 *
 * Reading is built on libcsv, strict (a stray quote, an unterminated quoted
 * field are errors), with what libcsv leaves out: no trimming of spaces,
 * physical line numbers for messages, the UTF-8 BOM, delimiter sniffing,
 * NUL bytes and invalid UTF-8 refused, and a ceiling on every buffer.
 * Writing quotes what must be, in the dialect asked for (plain RFC 4180,
 * or the spreadsheet dialect: ';', decimal comma, BOM, CRLF, and text that
 * a spreadsheet would take for a formula neutralised). */
#ifndef CL_CSVIO_H
#define CL_CSVIO_H

#include <stdint.h>
#include <stdio.h>

#include "diag.h"
#include "scan.h"

#define CSVIN_MAX_FIELD   (1u << 20)    /* bytes in one field: 1 MiB */
#define CSVIN_MAX_FIELDS  10000         /* fields in one record */

typedef struct csvin csvin;

/* Is s valid UTF-8 without NUL bytes? */
int csvio_text_valid(const unsigned char *s, size_t len);

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
size_t      csvin_fields(const csvin *in);                  /* in this record */
/* Field i of this record, NUL-terminated (len optional); "" when i is
 * beyond the record's end. */
const char *csvin_field(const csvin *in, size_t i, size_t *len);
long        csvin_line(const csvin *in);   /* physical line where the record starts */
long        csvin_record(const csvin *in); /* 1 = header */
const char *csvin_name(const csvin *in);   /* file name for messages ("-" shown as "stdin") */
char        csvin_delim(const csvin *in);
void        csvin_close(csvin *in);        /* accepts NULL */
/* Input bytes consumed up to the end of the last record returned (BOM
 * included): where the data start after the header, for a reader that
 * goes on by itself (the parallel scanner). */
long long   csvin_offset(const csvin *in);
int         csvin_fd(const csvin *in);
/* Was the error csvin_next returned invalid UTF-8 (a file in another
 * encoding)? */
int         csvin_bad_utf8(const csvin *in);

/* Index of the column named exactly `name`, or -1. */
long csvin_find(const csvin *in, const char *name);

/* ---- the fast way through a regular file ------------------------------ */

/* The rest of a regular file (after the header csvin read), in memory, cut
 * into records by the lean scanner (scan.h), with physical line numbers.
 * When csvscan_next says SCAN_FALLBACK, the caller drops what it read and
 * goes on with csvin_next, which reads from the header's end again and
 * gives the exact diagnostic. */
struct csvscan {
    char *buf;                  /* owned */
    size_t len, pos;
    long line;                  /* physical line at pos */
    char delim;
    struct scan_record record;  /* the fields of the last record */
};

/* @return 1 ready; 0 not possible (a pipe, a file over 2 GiB, out of
 * memory): read with csvin_next instead. */
int csvscan_open(struct csvscan *scan, csvin *in);
/* The next record: SCAN_RECORD (fields in scan->record, *line its first
 * physical line), SCAN_END, or SCAN_FALLBACK. */
enum scan_status csvscan_next(struct csvscan *scan, long *line);
void csvscan_close(struct csvscan *scan);      /* accepts a zeroed one */

/* ---- writing --------------------------------------------------------- */

/* What a typed call hands to a sink (below): the kind of cell and its
 * text, numbers always written with '.' as the CSV would have them. */
enum csvout_kind {
    CSVOUT_TEXT,        /* csvout_text: text, never a number */
    CSVOUT_CELL,        /* csvout_cell with as_number: a number when it is a plain one */
    CSVOUT_NUMBER,      /* csvout_number: a number already formatted */
    CSVOUT_INTEGER,     /* csvout_long */
    CSVOUT_REAL,        /* csvout_double (decimals -1), csvout_fixed */
    CSVOUT_MONEY,       /* csvout_money: an exact decimal with `decimals` decimals */
    CSVOUT_EMPTY,
    CSVOUT_END_ROW
};
struct csvout_value {
    enum csvout_kind kind;
    const char *text;   /* not NUL-terminated when it is a csvout_text_len's */
    size_t len;
    int decimals;       /* MONEY, REAL: decimals written; -1 shortest exact */
};
/* A sink receives every call instead of fp (the workbook writer: xlsx.h). */
typedef void csvout_sink_fn(void *sink, const struct csvout_value *value);

struct csvout {
    FILE *fp;
    char delim;      /* ',' by default, ';' for spreadsheets */
    char mark;       /* decimal mark of numbers written: '.' or ',' */
    int excel;       /* neutralise formulas, CRLF line ends */
    int row_started; /* internal: a field was written on this row */
    char source_mark; /* decimal mark of the cells copied by csvout_cell ('.' by default) */
    csvout_sink_fn *sink_fn;    /* NULL: write CSV to fp */
    void *sink;
};

/* Plain CSV: ',' and '.', LF. With excel: ';', ',', CRLF, and a BOM
 * written now. */
void csvout_init(struct csvout *out, FILE *fp, int excel);

void csvout_text(struct csvout *out, const char *text);                /* any text */
void csvout_text_len(struct csvout *out, const char *text, size_t len);
void csvout_number(struct csvout *out, const char *number); /* already formatted with '.' */
/* A cell copied from the input: with as_number, a plain number ("-12.5")
 * is written as a number (the spreadsheet dialect gives it its decimal
 * comma); anything else is text. */
void csvout_cell(struct csvout *out, const char *text, int as_number);
/* The decimal mark of the table whose cells csvout_cell copies: ',' when it
 * is a spreadsheet export (csvio_source_mark), so that "12,5" copied from
 * a sibling's --excel output is written as the number 12.5 in this output's
 * own dialect. */
void csvout_source_mark(struct csvout *out, char mark);
/* The decimal mark presumed for the cells of a table by its delimiter: ','
 * for ';' (what --excel writes, and a decimal-comma locale's export), '.'
 * otherwise. */
char csvio_source_mark(char delim);
/* Is s (len bytes) a plain number written with `mark` ("-12,5" for ',')?
 * @return 1 with its '.' form in out (out_size bytes), else 0. */
int csvio_plain_number(const char *s, size_t len, char mark, char *out, size_t out_size);
void csvout_double(struct csvout *out, double value);       /* exact round trip; NaN: empty */
void csvout_fixed(struct csvout *out, double value, int decimals);
void csvout_long(struct csvout *out, long long value);
void csvout_money(struct csvout *out, int64_t scaled, int decimals);
void csvout_empty(struct csvout *out);
void csvout_end_row(struct csvout *out);
/* Send every later call to fn(sink, ...) instead of fp. */
void csvout_set_sink(struct csvout *out, csvout_sink_fn *fn, void *sink);

/* ---- whole tables ---------------------------------------------------- */

/* A whole CSV file in memory, for the per-customer tables (thousands to
 * millions of rows, a few columns). Ragged rows are an error. */
struct table {
    char *name;           /* file name for messages */
    char delim;
    size_t columns, rows;
    char **header;        /* columns names */
    char **cells;         /* rows × columns, row-major, into `arena`; read-only */
    long *lines;          /* physical line of each row */
    char *arena;          /* the cells' bytes, NUL-terminated: the file's own
                             bytes when read by the scanner, else a copy */
    void *blocks;         /* unescaped quoted cells of the scanner's way */
};

/* @return 0, or -1 with diag set. The table is freed with table_free. */
int table_load(struct table *table, const char *path, char delim, struct diag *diag);
void table_free(struct table *table);  /* accepts a zeroed table */
static inline const char *table_cell(const struct table *t, size_t row, size_t col)
{
    return t->cells[row * t->columns + col];
}
long table_find(const struct table *t, const char *name);   /* exact name, or -1 */

/* Look for two rows with the same key (and the same group, when group_col
 * is not -1). @return 1 with the rows (first < second in the file) when
 * found, 0 when every key is unique, -1 out of memory. */
int table_find_duplicate(const struct table *t, size_t key_col, long group_col,
                         size_t *first, size_t *second);

#endif
