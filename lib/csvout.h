/* csvout — writing CSV: quoting what must be quoted, in the dialect asked
 * for (plain RFC 4180, or the spreadsheet dialect: ';', decimal comma, BOM,
 * CRLF, and text a spreadsheet would take for a formula neutralised),
 * numbers in their exact shortest form (parse.h's formatters).
 *
 * Three destinations, one code: a FILE, a memory buffer (buf.h: threads
 * format rows apart and the caller writes the blocks in order), or a sink
 * that receives typed calls (the workbook writer, xlsx.h).
 *
 * Layer: csv. Includes buf.h (and parse.h in the .c). */
#ifndef CL_CSVOUT_H
#define CL_CSVOUT_H

#include <stdint.h>
#include <stdio.h>

#include "buf.h"

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
    FILE *fp;        /* where the CSV goes, unless mem or sink_fn */
    struct buf *mem; /* not NULL: the CSV is appended here instead (not owned) */
    char delim;      /* ',' by default, ';' for spreadsheets */
    char mark;       /* decimal mark of numbers written: '.' or ',' */
    int excel;       /* neutralise formulas, CRLF line ends */
    int row_started; /* internal: a field was written on this row */
    char source_mark; /* decimal mark of the cells copied by csvout_cell ('.' by default) */
    csvout_sink_fn *sink_fn;    /* NULL: write CSV to fp */
    void *sink;
    FILE *spill;     /* internal: a batch's FILE (csvout_batch_start), or NULL */
    int threads;     /* csvout_rows_parallel: 1 formats in this thread only; 0 (the
                        default) or more: two threads */
};

/* Plain CSV: ',' and '.', LF. With excel: ';', ',', CRLF, and a BOM
 * written now. */
void csvout_init(struct csvout *out, FILE *fp, int excel);
/* Write fields separated by delim (',' ';' '|' or tab) instead of the
 * dialect's own, after csvout_init and before any row. The decimal mark
 * follows the suite's rule of a table's delimiter (parse_mark_of_delim), so
 * that every sibling reads the numbers back: a decimal comma with ';' (and
 * always in the spreadsheet dialect), a point otherwise.
 * @return 0, or -1 (nothing changed) for ',' in the spreadsheet dialect,
 * whose decimal comma would then need a quote around every number. */
int csvout_set_delimiter(struct csvout *out, char delim);
/* A writer of the same dialect as `like` (delimiter, marks, excel) that
 * appends to mem instead: no BOM, a row of its own. Threads each format
 * their rows through one of these, and the caller writes the buffers in
 * order: the same bytes as one writer would have written. A failure to
 * grow is mem->failed, for the caller to test. */
void csvout_init_mem(struct csvout *out, struct buf *mem, const struct csvout *like);

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
/* The decimal mark of the cells of a table by its delimiter, for
 * csvout_source_mark: parse_mark_of_delim's rule, '.' when it leaves the
 * values to decide. */
char csvio_source_mark(char delim);
void csvout_double(struct csvout *out, double value);       /* exact round trip; NaN: empty */
void csvout_fixed(struct csvout *out, double value, int decimals);
void csvout_long(struct csvout *out, long long value);
void csvout_money(struct csvout *out, int64_t scaled, int decimals);
void csvout_empty(struct csvout *out);
void csvout_end_row(struct csvout *out);
/* The rest of a row and its end as bytes already in the writer's dialect,
 * each field's delimiter before it and the line end included: for a
 * writer that formats its own fields (cl-pareto's figures) where
 * csvout_plain says the bytes would be those of the calls. Not for a
 * sink. */
void csvout_end_row_with(struct csvout *out, const char *bytes, size_t len);
/* Whether the writer is plain CSV to a FILE or memory: no sink, no
 * spreadsheet dialect, '.' for numbers, LF line ends; a number is then
 * written as its text and a field of text as itself when none of its
 * bytes is the delimiter, a quote, CR or LF, and it neither starts nor
 * ends with a space. */
int csvout_plain(const struct csvout *out);
/* A row's cells copied from a table as one span of bytes, when that writes
 * what csvout_cell would write for each (as text or as a number alike):
 * the cells lie one after the other, each ended by a NUL (a table's way),
 * the output is plain CSV whose numbers keep the source's '.', and no cell
 * holds a byte that would need quotes (the delimiter, a quote, CR, LF, or
 * any space). @return 1 written; 0 nothing written (the caller writes the
 * cells one by one). */
int csvout_span(struct csvout *out, const char *const *cells, size_t n);
/* csvout_span in two steps, for a writer that finds the rows' spans ahead
 * (in row order) and copies them later (in another order):
 * csvout_span_len says whether csvout_span would write the cells as one
 * span (@return 1, with its length in *len: from the first cell to the
 * end of the last, the NULs between them included) or not (0), and
 * csvout_span_copy(out, cells[0], len) writes it, each NUL as the
 * delimiter: the bytes csvout_span writes. */
int csvout_span_len(const struct csvout *out, const char *const *cells, size_t n, size_t *len);
void csvout_span_copy(struct csvout *out, const char *start, size_t len);

/* Rows in bulk: between csvout_batch_start and csvout_batch_end, the calls
 * on the writer it returns are formatted into memory and written to out's
 * FILE in blocks of about 1 MiB (one fwrite a block instead of one a
 * cell); csvout_batch_row after each row. The same bytes as writing to out
 * itself. A writer to memory or to a sink is returned as it is. Should the
 * buffer fail to grow, what it holds is written and the rest goes straight
 * to the FILE. */
struct csvout_batch {
    struct csvout *out;     /* the writer the batch is for */
    struct csvout writer;   /* its memory writer, when batched */
    struct buf mem;
};
struct csvout *csvout_batch_start(struct csvout_batch *batch, struct csvout *out);
void csvout_batch_row(struct csvout_batch *batch);
void csvout_batch_end(struct csvout_batch *batch);

/* Rows [0, rows) formatted by fn(arg, writer, from, to) (rows [from, to)
 * to writer, a memory writer of out's dialect), by two threads each taking
 * the next block of rows and writing it to out's FILE when the blocks
 * before it are written: the bytes of one writer, in order, when fn's rows
 * depend on nothing but their numbers (fn runs on both threads). Only to a
 * FILE (not a sink, not memory), for many rows and unless out->threads is
 * 1. @return the rows written: all, none (not worth it here, or one
 * thread asked for), or those before a block that ran out of memory; the
 * caller writes the rest itself. */
typedef void csvout_rows_fn(void *arg, struct csvout *writer, size_t from, size_t to);
size_t csvout_rows_parallel(struct csvout *out, size_t rows, csvout_rows_fn *fn, void *arg);

/* Send every later call to fn(sink, ...) instead of fp. */
void csvout_set_sink(struct csvout *out, csvout_sink_fn *fn, void *sink);

#endif
