/* page_folder.c — the report folder's files, as the page reads them.
 *
 * The folder named by folder_dir: its CSVs loaded whole (a file absent is
 * a table of no rows, so that a section without its program's output is
 * left out), their cells read back as the programs wrote them, the
 * metric,value files (figures.csv, stats.csv, summary.csv) by metric, and
 * its text files line by line. A file that cannot be read is a failure
 * (text_fail). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "diag.h"
#include "page_folder.h"
#include "page_text.h"
#include "table.h"

/* ---- the folder's CSVs ------------------------------------------------------ */

const char *folder_dir;

const char *folder_path(const char *name)
{
    return text_fmt("%s/%s", folder_dir, name);
}

int folder_exists(const char *name)
{
    struct stat st;
    return stat(folder_path(name), &st) == 0 && S_ISREG(st.st_mode);
}

/* Load NAME of the folder (or PATH when dir is NULL); absent: not loaded. */
void folder_load_path(struct folder_tab *tb, const char *path)
{
    struct stat st;
    memset(tb, 0, sizeof *tb);
    if (stat(path, &st) != 0)
        return;
    struct diag d = { 0 };
    if (table_load(&tb->t, path, ',', &d) != 0)
        text_fail("%s", d.message);
    tb->loaded = 1;
}

void folder_load_rows(struct folder_tab *tb, const char *name, table_keep_fn keep, void *ctx)
{
    struct stat st;
    const char *path = folder_path(name);
    memset(tb, 0, sizeof *tb);
    if (stat(path, &st) != 0)
        return;
    struct diag d = { 0 };
    if (table_load_rows(&tb->t, path, ',', keep, ctx, &d) != 0)
        text_fail("%s", d.message);
    tb->loaded = 1;
}

void folder_load(struct folder_tab *tb, const char *name)
{
    folder_load_path(tb, folder_path(name));
}

size_t folder_rows(const struct folder_tab *tb)
{
    return tb->loaded ? tb->t.rows : 0;
}

long folder_col(const struct folder_tab *tb, const char *name)
{
    return tb->loaded ? table_find(&tb->t, name) : -1;
}

/* A cell as the program wrote it: cl-report neutralises the folder's text
 * cells for spreadsheets ('=x), read back here without the apostrophe. */
const char *folder_raw(const char *cell)
{
    if (cell[0] == '\'' && cell[1] && strchr("-+=@\t\r", cell[1]))
        return cell + 1;
    return cell;
}

const char *folder_cell(const struct folder_tab *tb, size_t row, long c)
{
    if (c < 0 || row >= folder_rows(tb))
        return "";
    return folder_raw(table_cell(&tb->t, row, (size_t)c));
}

const char *folder_get(const struct folder_tab *tb, size_t row, const char *name)
{
    return folder_cell(tb, row, folder_col(tb, name));
}

/* metric,value files: the value of a metric ("" when absent). */
const char *folder_metric(const struct folder_tab *tb, const char *name)
{
    for (size_t r = 0; r < folder_rows(tb) && tb->t.columns >= 2; r++)
        if (strcmp(table_cell(&tb->t, r, 0), name) == 0)
            return folder_raw(table_cell(&tb->t, r, 1));
    return "";
}

double folder_metric_d(const struct folder_tab *tb, const char *name)
{
    double x;
    return text_double(folder_metric(tb, name), &x) ? x : 0;
}

/* Lines of a text file of the folder, each passed to fn. */
void folder_each_line(const char *name, void (*fn)(const char *line, void *ctx),
                      void *ctx)
{
    FILE *fp = fopen(folder_path(name), "r");
    if (!fp)
        return;
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    while ((n = getline(&line, &cap, fp)) > 0) {
        while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
            line[--n] = '\0';
        fn(line, ctx);
    }
    free(line);
    fclose(fp);
}
