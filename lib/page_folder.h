/* page_folder — the report folder's files, as the page reads them
 * (page_folder.c). Failures go through text_fail (page_text.h). */
#ifndef CL_PAGE_FOLDER_H
#define CL_PAGE_FOLDER_H

#include <stddef.h>

#include "table.h"

extern const char *folder_dir;  /* the report folder, set by page_load */

/* A CSV of the folder: absent, it has no rows and no columns. */
struct folder_tab {
    struct table t;     /* the whole file, when loaded */
    int loaded;         /* 0: the file was absent */
};

/* DIR/NAME (a kept string); is it a regular file? */
const char *folder_path(const char *name);
int folder_exists(const char *name);
/* Load NAME of the folder, or the file PATH; absent: not loaded; a file
 * that is not CSV: a failure. Free with table_free(&tb->t). */
void folder_load(struct folder_tab *tb, const char *name);
void folder_load_path(struct folder_tab *tb, const char *path);
/* The same with only the rows keep() keeps read into memory (table_load_rows:
 * the caller filters again, the whole file may be there). */
void folder_load_rows(struct folder_tab *tb, const char *name, table_keep_fn keep, void *ctx);
/* Rows (0 when absent); a column's index by name (-1 when absent). */
size_t folder_rows(const struct folder_tab *tb);
long folder_col(const struct folder_tab *tb, const char *name);
/* A cell as the program wrote it: cl-report neutralises the folder's text
 * cells for spreadsheets ('=x), read back without the apostrophe. */
const char *folder_raw(const char *cell);
/* The cell at ROW of column C, or of the column named NAME ("" outside). */
const char *folder_cell(const struct folder_tab *tb, size_t row, long c);
const char *folder_get(const struct folder_tab *tb, size_t row, const char *name);
/* metric,value files: the value of a metric ("" when absent; 0 as a number). */
const char *folder_metric(const struct folder_tab *tb, const char *name);
double folder_metric_d(const struct folder_tab *tb, const char *name);
/* Each line of the text file NAME of the folder, without its end, to FN
 * (nothing when the file is absent). */
void folder_each_line(const char *name, void (*fn)(const char *line, void *ctx),
                      void *ctx);

#endif
