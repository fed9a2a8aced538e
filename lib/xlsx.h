/* xlsx — Excel workbooks (.xlsx), written with libxlsxwriter.
 *
 * A workbook holds sheets; a sheet is a table written row by row, the
 * first row its header (bold, frozen, with an autofilter), column widths
 * fitted to what the cells show. Each cell is typed from the call that
 * wrote it (csvio.h's typed calls) and from its column's name
 * (docs/columns.md): money as a number with its decimals, shares and rates
 * as percentages, counts as integers, dates as Excel dates, ids and any
 * other text as text. Text is never a formula: a name "=cmd|..." is a
 * string cell. In a metric,value table, the metric's name types the value
 * (and the change or previous columns beside it).
 *
 * Rows go to disk as they are written (libxlsxwriter's constant_memory
 * mode): memory does not grow with the rows. The workbook is assembled in
 * an unnamed temporary file and copied to the caller's stream at the end,
 * so that the caller's atomic output keeps it or drops it whole. Its parts
 * are deflated at zlib's level 1, not libxlsxwriter's 6 (xlsx.c says how):
 * two thirds of the CPU time on large tables, a third more bytes, the same
 * parts once unzipped. Unless props->threads is 1, each sheet's rows are
 * deflated on a second thread as they are written (into an unnamed
 * temporary file, not memory) and spliced into the zip: the same parts.
 *
 * Excel's limits are errors, never a silent cut: 1,048,576 rows and 16,384
 * columns per sheet, 32,767 characters per cell. Excel keeps 15
 * significant digits: money and counts with more are written as text, so
 * that they stay exact; real numbers (ratios) are written to 16. */
#ifndef CL_XLSX_H
#define CL_XLSX_H

#include <stdio.h>

#include "csvout.h"
#include "table.h"
#include "diag.h"
#include "l10n.h"

struct xlsx_props {
    const char *title;      /* the document's title, or NULL */
    const char *subject;    /* the period, or NULL */
    enum l10n_lang lang;    /* date and percentage formats */
    int threads;            /* 1: everything on the caller's thread; else (0, the
                             * default) the sheets' rows deflated on a second */
};

/* What a column's name says of its cells (docs/columns.md). */
enum xlsx_role {
    XLSX_PLAIN,     /* numbers as they come, text as text */
    XLSX_ID,        /* always text: an id 0001 or 12346.0 stays as written */
    XLSX_RATIO,     /* a fraction shown as a percentage */
    XLSX_MONEY,     /* thousands separators and the value's decimals */
    XLSX_DATE,      /* YYYY-MM-DD becomes an Excel date */
    XLSX_COUNT      /* a whole number */
};
enum xlsx_role xlsx_role_of(const char *column_name);

typedef struct xlsx_book xlsx_book;
typedef struct xlsx_sheet xlsx_sheet;

/* @return a new workbook (free with xlsx_book_free, or finish with
 *         xlsx_book_write), or NULL with diag set. props may be NULL. */
xlsx_book *xlsx_book_new(const struct xlsx_props *props, struct diag *diag);

/* A new sheet at the end. The name is made acceptable to Excel: []:*?/\
 * become '_', at most 31 characters, "(2)" added when taken.
 * @return the sheet (owned by the book), or NULL with diag set. */
xlsx_sheet *xlsx_sheet_add(xlsx_book *book, const char *name, struct diag *diag);

/* One cell or the end of a row, in the order of a CSV: the csvout sink. */
void xlsx_sheet_put(xlsx_sheet *sheet, const struct csvout_value *value);

/* Make every later call on `out` write a new sheet of `book`.
 * @return 0, or -1 with diag set. */
int xlsx_csvout(xlsx_book *book, const char *sheet_name, struct csvout *out, struct diag *diag);

/* A whole CSV table as a new sheet. A cell is a number when it is a plain
 * decimal and its column is not an id: a column named like an id
 * (customer, client, order...) or the first column, unless its name says
 * it is a number (k, cluster, rank, a ratio, money or a date).
 * @return the sheet, or NULL with diag set. */
xlsx_sheet *xlsx_sheet_table(xlsx_book *book, const char *name, const struct table *table,
                             struct diag *diag);

/* From a cl-pareto --summary table (metric,value): a sheet "name" with one
 * row per class (class, clients, clients_share, value_share), the values
 * copied from the class_X_* metrics, and a native clustered column chart
 * of the two shares. @return 0, or -1 with diag set (no class metric). */
int xlsx_sheet_abc(xlsx_book *book, const char *name, const struct table *summary,
                   struct diag *diag);

/* A native line chart of cum_share (Excel's own, restylable) for the first
 * `top` rows of a sheet written from a cl-pareto table, beside the table.
 * @return 0, or -1 with diag set (no cum_share column, no row). */
int xlsx_chart_pareto(xlsx_sheet *sheet, size_t top, struct diag *diag);

/* A PNG beside the sheet's table (below what is already there), at half
 * size. @return 0, or -1 with diag set. */
int xlsx_image(xlsx_sheet *sheet, const char *png_path, struct diag *diag);

/* The name a sheet was given (after Excel's rules). */
const char *xlsx_sheet_name(const xlsx_sheet *sheet);

/* The sheet called `name` (exactly as added), or NULL. */
xlsx_sheet *xlsx_sheet_find(xlsx_book *book, const char *name);

/* The text printf("%.16G") gives v (how libxlsxwriter writes a number
 * cell), made without printf, when it has no exponent (1e-5 <= |v| < 1e16,
 * or 0). @return its length, not terminated; 0 for another number. */
#define XLSX_G16_MAX 32
size_t xlsx_g16(double v, char out[XLSX_G16_MAX]);

/* Finish the sheets (widths, filters), assemble the workbook and copy it
 * to dest; the book is freed in every case.
 * @return 0, or -1 with diag set (the first error of any sheet). */
int xlsx_book_write(xlsx_book *book, FILE *dest, struct diag *diag);
void xlsx_book_free(xlsx_book *book);      /* accepts NULL; writes nothing */

/* Does the path end in ".xlsx" (any case)? */
int xlsx_path(const char *path);

#endif
