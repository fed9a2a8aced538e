/* table — a whole CSV file in memory: the per-customer tables that
 * cl-pareto, cl-score, cl-share, cl-plot and cl-workbook read (thousands to
 * millions of rows, a few columns), their duplicate keys.
 *
 * Layer: csv. Includes diag.h (and csvin.h, csvrange.h, hashtab.h in the .c). */
#ifndef CL_TABLE_H
#define CL_TABLE_H

#include <assert.h>
#include <stddef.h>
#include <stdint.h>

#include "diag.h"

/* A whole CSV file in memory, for the per-customer tables (thousands to
 * millions of rows, a few columns). Ragged rows are an error. */
struct table {
    char *name;           /* file name for messages */
    char delim;
    size_t columns, rows;
    char **header;        /* columns names */
    uint32_t *cells;      /* rows × columns, row-major: each cell's offset in
                             `arena` (4 bytes a cell, not a pointer's 8) */
    long *lines;          /* physical line of each row */
    char *arena;          /* the cells' bytes, each NUL-terminated: the file's
                             own bytes when read by the scanner (a quoted cell
                             unescaped over its own bytes), else a copy;
                             under 4 GiB */
    long ranges;          /* the ranges it was read in (csvrange.h); 0: in sequence */
};

/* Read a regular file in ranges, one thread each (csvrange.h), else in
 * sequence; the table and every message are the same either way.
 * @return 0, or -1 with diag set. The table is freed with table_free. */
int table_load(struct table *table, const char *path, char delim, struct diag *diag);
/* The same with the number of ranges chosen: 0 as table_load (the
 * processors online, 8 MiB a range at least), 1 to 64 that many,
 * TABLE_SEQUENTIAL the sequential read alone (what the tests compare to). */
#define TABLE_SEQUENTIAL (-1)
int table_load_threads(struct table *table, const char *path, char delim, long threads,
                       struct diag *diag);
/* Some rows of a file: those keep() keeps (row: the row's index in the
 * file; fields: its cells, t->columns of them, not NUL-terminated; the
 * table's header is set when it is called), in file order, the others read
 * by the scanner in blocks and dropped, for a reader that wants a few rows
 * of a large file. A file the scanner cannot read plainly to its end (not
 * a regular file, a record it falls back on, a ragged row) is loaded whole
 * by table_load instead, with its diagnostics: keep() is a filter the
 * caller applies again, not a promise that the other rows are gone.
 * @return 0, or -1 with diag set. */
struct csvfield;
typedef int (*table_keep_fn)(void *ctx, const struct table *t, size_t row,
                             const struct csvfield *fields);
int table_load_rows(struct table *table, const char *path, char delim, table_keep_fn keep,
                    void *ctx, struct diag *diag);
void table_free(struct table *table);  /* accepts a zeroed table */
/* Give back the rows' line numbers (t->lines NULL after), for a reader
 * that will name no row again: 8 bytes a row (5 M clients: 40 MB). */
void table_forget_lines(struct table *table);
static inline const char *table_cell(const struct table *t, size_t row, size_t col)
{
    assert(row < t->rows && col < t->columns);
    return t->arena + t->cells[row * t->columns + col];
}
/* Row `row`'s cells as pointers, into cells (t->columns of them): one
 * after the other in the arena, each ended by its NUL, when the file's
 * bytes are kept (csvout_span copies such a row as one run). */
static inline void table_row(const struct table *t, size_t row, const char **cells)
{
    assert(row < t->rows);
    const uint32_t *at = t->cells + row * t->columns;
    for (size_t i = 0; i < t->columns; i++)
        cells[i] = t->arena + at[i];
}
long table_find(const struct table *t, const char *name);   /* exact name, or -1 */

/* Look for two rows with the same key (and the same group, when group_col
 * is not -1). @return 1 with the rows (first < second in the file) when
 * found, 0 when every key is unique, -1 out of memory. */
int table_find_duplicate(const struct table *t, size_t key_col, long group_col,
                         size_t *first, size_t *second);

/* One row per client, as the per-client programs want: every key unique
 * (within its group when group_col is not -1). @return 0; or -1 with diag
 * "file:12: client "C1" appears again (first on line 3)[ in the same
 * group]: PROGRAM wants one row per client; roll sales lines up with
 * cl-rollup first", or out of memory. */
int table_check_unique(const struct table *t, size_t key_col, long group_col,
                       const char *program, struct diag *diag);

#endif
