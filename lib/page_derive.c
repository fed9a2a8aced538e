/* page_derive.c — the report's small tables made from the folder's CSVs.
 *
 * What the page shows beside the programs' own outputs, each a table of
 * the folder (for the page, the workbook and the reader): the class A
 * clients most at risk (at-risk.csv, clv-summary.csv, from pareto.csv and
 * cl-clv's clv.csv), the previous report's prescribers who prescribed
 * nothing this period (prescribers-stopped.csv) and the retention of the
 * last complete cohorts beside a year before (cohort-retention.csv, from
 * cl-cohort's cohorts.csv). Cells are copied as the programs wrote them:
 * nothing is summed, so money stays exact; a previous report's cells are
 * read back without their spreadsheet apostrophe (page_raw). */
#define _GNU_SOURCE     /* copy_file_range */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "csvin.h"
#include "csvout.h"
#include "diag.h"
#include "page.h"
#include "page_words.h"
#include "table.h"

struct derive {
    const char *folder, *previous;
    struct table a, b;
    struct diag *diag;
};

static int load(struct table *t, const char *dir, const char *name, struct diag *diag)
{
    size_t n = strlen(dir) + strlen(name) + 2;
    char *path = malloc(n);
    if (!path)
        return diag_set(diag, "out of memory");
    snprintf(path, n, "%s/%s", dir, name);
    int rc = table_load(t, path, ',', diag);
    free(path);
    return rc;
}

/* the column NAME of t, or -1 with the diag */
static long need(const struct table *t, const char *file, const char *name, struct diag *diag)
{
    long c = table_find(t, name);
    if (c < 0)
        diag_set(diag, "%s: no column %s", file, name);
    return c;
}

static const char *at(const struct table *t, size_t row, long c)
{
    return page_raw(table_cell(t, row, (size_t)c));
}

/* ---- a table's rows one at a time ---------------------------------------------- */

/* What --copy and the counting tables read: every row of a CSV file once,
 * without holding the file. A regular file is cut by the lean scanner
 * (scan.h) over blocks, as csvscan does over the whole file; where the
 * scanner does not take the bytes (a stray quote, invalid UTF-8, a record
 * longer than the ceiling below) or the input is not a regular file, csvin
 * (libcsv) reads on from the first record not yet handed out, so the rows
 * and the diagnostic are those of table_load, which reads the same file
 * either way. Each row's cells are NUL-terminated copies, valid until the
 * next row. */
#define ROWS_BLOCK ((size_t)1 << 20)
#define ROWS_MAX_BUF ((size_t)64 << 20)    /* a longer record: csvin's way */

struct rows {
    csvin *in;
    const char *name;
    char delim;
    size_t columns;
    long line;                  /* physical line of the row handed out */
    const char **cell;          /* the row's cells (count of them) */
    size_t count;               /* the cells of the row handed out: columns, or
                                 * with any_width its own number */
    size_t cell_cap;
    int any_width;              /* rows of any width handed out (a rejects file) */
    /* the scanner's way */
    int scanning, eof;
    int fd;
    long long at;               /* file offset of buf[len] */
    char *buf;
    size_t len, pos, cap;
    long next_line;             /* physical line at buf[pos] */
    size_t handed;              /* rows handed out */
    struct scan_record rec;
    const char *raw;            /* the scanner's row as the file has it, its line end
                                 * left out (NULL: csvin's way), valid until the next row */
    size_t raw_len;
    char *bytes;                /* the row's cells, each NUL-terminated */
    size_t bytes_cap;
    int lazy;                   /* the scanner's rows not copied to cell until rows_cells */
    int copied;                 /* cell holds the row handed out */
};

static void rows_close(struct rows *r)
{
    csvin_close(r->in);
    free(r->buf);
    free(r->cell);
    free(r->bytes);
    scan_record_free(&r->rec);
    memset(r, 0, sizeof *r);
}

/* @return 0, or -1 with the diag (csvin's: no file, a bad header...) */
static int rows_open(struct rows *r, const char *path, struct diag *diag)
{
    memset(r, 0, sizeof *r);
    if (!(r->in = csvin_open(path, ',', diag)))
        return -1;
    r->name = csvin_name(r->in);
    r->delim = csvin_delim(r->in);
    r->columns = csvin_columns(r->in);
    r->count = r->columns;
    r->cell_cap = r->columns + 1;
    if (!(r->cell = calloc(r->cell_cap, sizeof *r->cell))
        || !(r->buf = malloc(ROWS_BLOCK))) {
        rows_close(r);
        return diag_set(diag, "out of memory");
    }
    struct stat st;
    r->fd = csvin_fd(r->in);
    r->at = csvin_offset(r->in);
    if (fstat(r->fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size < r->at)
        return 0;                   /* csvin's way from the start */
    /* the physical line where the data start: one past the header's lines */
    r->next_line = 1;
    char chunk[65536];
    for (long long at = 0; at < r->at;) {
        size_t want = r->at - at < (long long)sizeof chunk ? (size_t)(r->at - at) : sizeof chunk;
        ssize_t n = pread(r->fd, chunk, want, at);
        if (n <= 0)
            return 0;
        for (ssize_t i = 0; i < n; i++)
            r->next_line += chunk[i] == '\n';
        at += n;
    }
    r->cap = ROWS_BLOCK;
    r->scanning = 1;
    return 0;
}

/* Can the row of COUNT cells be handed out? Yes when it has the header's
 * number, or any with any_width (r->cell then made to hold them).
 * @return 1 yes (r->count set), 0 no, -1 out of memory */
static int rows_width(struct rows *r, size_t count)
{
    if (count != r->columns && !r->any_width)
        return 0;
    if (count + 1 > r->cell_cap) {
        const char **cell = realloc(r->cell, (count + 1) * sizeof *cell);
        if (!cell)
            return -1;
        r->cell = cell;
        r->cell_cap = count + 1;
    }
    r->count = count;
    return 1;
}

/* the cells of a record as NUL-terminated copies in r->cell */
static int rows_keep(struct rows *r, const struct csvfield *f, size_t n, struct diag *diag)
{
    size_t need = n;
    for (size_t i = 0; i < n; i++)
        need += f[i].len;
    if (need > r->bytes_cap) {
        size_t cap = need * 2 + 256;
        char *b = realloc(r->bytes, cap);
        if (!b)
            return diag_set(diag, "out of memory");
        r->bytes = b;
        r->bytes_cap = cap;
    }
    char *p = r->bytes;
    for (size_t i = 0; i < n; i++) {
        memcpy(p, f[i].ptr, f[i].len);
        p[f[i].len] = '\0';
        r->cell[i] = p;
        /* a ';' table's cells as table_load reads them back (unneutralise) */
        if (r->delim == ';' && p[0] == '\'' && p[1] && strchr("=+-@\t\r", p[1]))
            r->cell[i] = p + 1;
        p += f[i].len + 1;
    }
    return 0;
}

/* More bytes after buf[pos]: the rest moved to the front, the buffer grown
 * when a record fills it. @return 1 read, 0 the file's end, -1 give up the
 * scanner (a record over ROWS_MAX_BUF, out of memory, a read error: csvin
 * reads it and says what it finds). */
static int rows_fill(struct rows *r)
{
    memmove(r->buf, r->buf + r->pos, r->len - r->pos);
    r->len -= r->pos;
    r->pos = 0;
    if (r->cap - r->len < ROWS_BLOCK / 2) {
        size_t cap = r->cap ? r->cap * 2 : ROWS_BLOCK;
        if (cap > ROWS_MAX_BUF)
            return -1;
        char *b = realloc(r->buf, cap);
        if (!b)
            return -1;
        r->buf = b;
        r->cap = cap;
    }
    ssize_t n = pread(r->fd, r->buf + r->len, r->cap - r->len, r->at);
    if (n < 0)
        return -1;
    r->len += (size_t)n;
    r->at += n;
    return n > 0;
}

/* The scanner's next record. @return 1 a record, 0 the end, 2 give it up */
static int rows_scan(struct rows *r)
{
    for (;;) {
        size_t consumed;
        enum scan_status status = scan_next(r->buf + r->pos, r->len - r->pos, r->eof, r->delim,
                                            &r->rec, &consumed);
        if (status == SCAN_END)
            return 0;
        if (status == SCAN_FALLBACK)
            return 2;
        if (status == SCAN_NEED_MORE) {
            int got = r->eof ? -1 : rows_fill(r);
            if (got < 0)
                return 2;
            r->eof = got == 0;
            continue;
        }
        /* the record's first line, after the blank lines it skipped */
        const char *p = r->buf + r->pos, *end = p + consumed;
        for (; p < end && (*p == '\n' || *p == '\r'); p++)
            r->next_line += *p == '\n';
        r->line = r->next_line;
        r->raw = p;
        r->raw_len = (size_t)(end - p) - (end > p && end[-1] == '\n');
        while ((p = memchr(p, '\n', (size_t)(end - p))) != NULL) {
            r->next_line++;
            p++;
        }
        r->pos += consumed;
        return 1;
    }
}

/* @return 1 a row in r->cell (r->line its line), 0 the end, -1 error (diag
 * set: the file's line and problem, as table_load says it) */
static int rows_next(struct rows *r, struct diag *diag)
{
    size_t count = 0;
    r->raw = NULL;
    if (r->scanning) {
        int got = rows_scan(r);
        if (got == 0)
            return 0;
        if (got == 1) {
            count = r->rec.count;
            int fits = rows_width(r, count);
            if (fits < 0)
                return diag_set(diag, "out of memory");
            if (fits) {
                r->copied = !r->lazy;
                if (!r->lazy && rows_keep(r, r->rec.fields, count, diag) != 0)
                    return -1;
                r->handed++;
                return 1;
            }
        } else {
            /* csvin from the first record not handed out (the ones before
             * were well-formed for the scanner, so they are for csvin) */
            r->scanning = 0;
            for (size_t i = 0; i < r->handed; i++)
                if (csvin_next(r->in, diag) <= 0)
                    return diag_set(diag, "%s: changed while it was read", r->name);
        }
    }
    if (!r->scanning) {
        r->raw = NULL;
        int got = csvin_next(r->in, diag);
        if (got <= 0)
            return got;
        r->line = csvin_line(r->in);
        count = csvin_fields(r->in);
        int fits = rows_width(r, count);
        if (fits < 0)
            return diag_set(diag, "out of memory");
        if (fits) {
            struct csvfield *f = csvin_record_fields(r->in);
            if (!f || rows_keep(r, f, count, diag) != 0)
                return diag_set(diag, "out of memory");
            r->copied = 1;
            r->handed++;
            return 1;
        }
    }
    return diag_set(diag, "%s:%ld: %zu field%s where the header has %zu", r->name, r->line,
                    count, count == 1 ? "" : "s", r->columns);
}

/* The row handed out by rows_next in r->cell, for a lazy reader (a row is
 * copied there at once otherwise). @return 0, or -1 out of memory. */
static int rows_cells(struct rows *r, struct diag *diag)
{
    if (r->copied)
        return 0;
    if (rows_keep(r, r->rec.fields, r->rec.count, diag) != 0)
        return -1;
    r->copied = 1;
    return 0;
}

/* ---- class A clients at risk ------------------------------------------------ */

struct risk {
    size_t clv_row, pareto_row;
    double p, revenue;
};

/* lowest p_alive first; ties: the larger revenue, then clv.csv's order */
static int risk_cmp(const void *x, const void *y)
{
    const struct risk *a = x, *b = y;
    if (a->p != b->p)
        return a->p < b->p ? -1 : 1;
    if (a->revenue != b->revenue)
        return a->revenue > b->revenue ? -1 : 1;
    return a->clv_row < b->clv_row ? -1 : a->clv_row > b->clv_row;
}

static int cmp_str(const void *x, const void *y)
{
    const char *const *a = x, *const *b = y;
    return strcmp(*a, *b);
}

static int at_risk(struct derive *d, struct csvout *out, int summary)
{
    if (load(&d->a, d->folder, "pareto.csv", d->diag) != 0
        || load(&d->b, d->folder, "clv.csv", d->diag) != 0)
        return -1;
    long class = need(&d->a, "pareto.csv", "class", d->diag);
    long revenue = class < 0 ? -1 : need(&d->a, "pareto.csv", "revenue", d->diag);
    long p = revenue < 0 ? -1 : need(&d->b, "clv.csv", "p_alive", d->diag);
    long e = p < 0 ? -1 : need(&d->b, "clv.csv", "expected_purchases", d->diag);
    long v = e < 0 ? -1 : need(&d->b, "clv.csv", "clv", d->diag);
    if (v < 0 || d->a.columns == 0)
        return -1;
    /* the class A clients of pareto.csv, sorted by id (rows: id, then row) */
    size_t na = 0;
    const char **ids = malloc((d->a.rows + 1) * 2 * sizeof *ids);
    struct risk *r = malloc((d->b.rows + 1) * sizeof *r);
    if (!ids || !r) {
        free(ids);
        free(r);
        return diag_set(d->diag, "out of memory");
    }
    for (size_t i = 0; i < d->a.rows; i++)
        if (strcmp(at(&d->a, i, class), "A") == 0) {
            ids[2 * na] = at(&d->a, i, 0);
            ids[2 * na + 1] = (const char *)(uintptr_t)i;
            na++;
        }
    qsort(ids, na, 2 * sizeof *ids, cmp_str);
    size_t n = 0, low = 0;
    for (size_t i = 0; i < d->b.rows; i++) {
        const char *id = at(&d->b, i, 0);
        const char **hit = bsearch(&id, ids, na, 2 * sizeof *ids, cmp_str);
        if (!hit)
            continue;
        r[n].clv_row = i;
        r[n].pareto_row = (size_t)(uintptr_t)hit[1];
        r[n].p = strtod(at(&d->b, i, p), NULL);
        r[n].revenue = strtod(at(&d->a, r[n].pareto_row, revenue), NULL);
        low += r[n].p < 0.5;
        n++;
    }
    if (summary) {
        csvout_text(out, "metric");
        csvout_text(out, "value");
        csvout_end_row(out);
        const char *names[3] = { "a_clients", "a_in_history", "a_below_half" };
        size_t counts[3] = { na, n, low };
        for (size_t i = 0; i < 3; i++) {
            csvout_text(out, names[i]);
            csvout_long(out, (long long)counts[i]);
            csvout_end_row(out);
        }
    } else {
        qsort(r, n, sizeof *r, risk_cmp);
        csvout_text(out, d->a.header[0]);
        const char *head[4] = { "revenue", "p_alive", "expected_purchases", "clv" };
        for (size_t i = 0; i < 4; i++)
            csvout_text(out, head[i]);
        csvout_end_row(out);
        for (size_t k = 0; k < n && k < 10; k++) {
            csvout_text(out, at(&d->b, r[k].clv_row, 0));
            csvout_text(out, at(&d->a, r[k].pareto_row, revenue));
            csvout_text(out, at(&d->b, r[k].clv_row, p));
            csvout_text(out, at(&d->b, r[k].clv_row, e));
            csvout_text(out, at(&d->b, r[k].clv_row, v));
            csvout_end_row(out);
        }
    }
    free(ids);
    free(r);
    return 0;
}

/* ---- prescribers who stopped ----------------------------------------------- */

struct gone {
    size_t row;
    double revenue;
};

/* the larger previous revenue first; ties: the previous file's order */
static int gone_cmp(const void *x, const void *y)
{
    const struct gone *a = x, *b = y;
    if (a->revenue != b->revenue)
        return a->revenue > b->revenue ? -1 : 1;
    return a->row < b->row ? -1 : a->row > b->row;
}

static int stopped(struct derive *d, struct csvout *out)
{
    if (!d->previous)
        return diag_set(d->diag, "stopped: give --previous DIR");
    struct stat st;
    size_t plen = strlen(d->folder) + 20;
    char *now = malloc(plen);
    if (!now)
        return diag_set(d->diag, "out of memory");
    snprintf(now, plen, "%s/prescribers.csv", d->folder);
    int have_now = stat(now, &st) == 0;
    free(now);
    if ((have_now && load(&d->a, d->folder, "prescribers.csv", d->diag) != 0)
        || load(&d->b, d->previous, "prescribers.csv", d->diag) != 0)
        return -1;
    long rev = need(&d->b, "prescribers.csv", "revenue", d->diag);
    long cl = rev < 0 ? -1 : need(&d->b, "prescribers.csv", "clients", d->diag);
    long last = cl < 0 ? -1 : need(&d->b, "prescribers.csv", "last_date", d->diag);
    if (last < 0)
        return -1;
    const char **here = malloc((d->a.rows + 1) * sizeof *here);
    struct gone *g = malloc((d->b.rows + 1) * sizeof *g);
    if (!here || !g) {
        free(here);
        free(g);
        return diag_set(d->diag, "out of memory");
    }
    for (size_t i = 0; i < d->a.rows; i++)
        here[i] = at(&d->a, i, 0);
    qsort(here, d->a.rows, sizeof *here, cmp_str);
    size_t n = 0;
    for (size_t i = 0; i < d->b.rows; i++) {
        const char *id = at(&d->b, i, 0);
        if (bsearch(&id, here, d->a.rows, sizeof *here, cmp_str))
            continue;
        g[n].row = i;
        g[n].revenue = strtod(at(&d->b, i, rev), NULL);
        n++;
    }
    qsort(g, n, sizeof *g, gone_cmp);
    const char *head[4] = { "prescriber", "previous_revenue", "previous_clients", "last_date" };
    for (size_t i = 0; i < 4; i++)
        csvout_text(out, head[i]);
    csvout_end_row(out);
    for (size_t k = 0; k < n; k++) {
        csvout_text(out, at(&d->b, g[k].row, 0));
        csvout_text(out, at(&d->b, g[k].row, rev));
        csvout_text(out, at(&d->b, g[k].row, cl));
        csvout_text(out, at(&d->b, g[k].row, last));
        csvout_end_row(out);
    }
    free(here);
    free(g);
    return 0;
}

/* ---- cohort retention ------------------------------------------------------- */

/* For months 1, 3 and 6: the latest cohort whose month is complete, its
 * size and retention, and the cohort twelve months before it (its size and
 * retention when cohorts.csv has it). */
static int retention(struct derive *d, struct csvout *out)
{
    if (load(&d->a, d->folder, "cohorts.csv", d->diag) != 0)
        return -1;
    const struct table *t = &d->a;
    long co = need(t, "cohorts.csv", "cohort", d->diag);
    long pe = co < 0 ? -1 : need(t, "cohorts.csv", "period", d->diag);
    long sz = pe < 0 ? -1 : need(t, "cohorts.csv", "cohort_size", d->diag);
    long re = sz < 0 ? -1 : need(t, "cohorts.csv", "retention", d->diag);
    long pa = re < 0 ? -1 : need(t, "cohorts.csv", "partial", d->diag);
    if (pa < 0)
        return -1;
    const char *head[7] = { "months", "cohort", "cohort_size", "retention",
                            "year_before_cohort", "year_before_size", "year_before_retention" };
    for (size_t i = 0; i < 7; i++)
        csvout_text(out, head[i]);
    csvout_end_row(out);
    static const char *const ks[3] = { "1", "3", "6" };
    for (size_t i = 0; i < 3; i++) {
        long last = -1;
        for (size_t r = 0; r < t->rows; r++)
            if (strcmp(at(t, r, pe), ks[i]) == 0 && strcmp(at(t, r, pa), "0") == 0
                && (last < 0 || strcmp(at(t, r, co), at(t, (size_t)last, co)) > 0))
                last = (long)r;
        csvout_text(out, ks[i]);
        if (last < 0) {
            for (size_t j = 0; j < 6; j++)
                csvout_empty(out);
            csvout_end_row(out);
            continue;
        }
        const char *c = at(t, (size_t)last, co);
        char before[64];
        snprintf(before, sizeof before, "%04d%s", atoi(c) - 1, strlen(c) >= 4 ? c + 4 : "");
        long b = -1;
        for (size_t r = 0; r < t->rows && b < 0; r++)
            if (strcmp(at(t, r, pe), ks[i]) == 0 && strcmp(at(t, r, co), before) == 0)
                b = (long)r;
        csvout_text(out, c);
        csvout_text(out, at(t, (size_t)last, sz));
        csvout_text(out, at(t, (size_t)last, re));
        csvout_text(out, before);
        csvout_text(out, b < 0 ? "" : at(t, (size_t)b, sz));
        csvout_text(out, b < 0 ? "" : at(t, (size_t)b, re));
        csvout_end_row(out);
    }
    return 0;
}

/* ---- what the recipe asks of the roll-ups -------------------------------------- */

/* FILE of the folder, opened for one pass */
static int open_rows(struct rows *r, const struct derive *d, const char *name)
{
    size_t n = strlen(d->folder) + strlen(name) + 2;
    char *path = malloc(n);
    if (!path)
        return diag_set(d->diag, "out of memory");
    snprintf(path, n, "%s/%s", d->folder, name);
    int rc = rows_open(r, path, d->diag);
    free(path);
    return rc;
}

/* history.csv's clients, and the features of the personas that have the
 * same value for every client (they tell no one apart): metric,value rows
 * "clients" and, for each such feature, its name and the value. One pass:
 * each feature's first value, and whether a row differs from it. */
static int features(struct derive *d, struct csvout *out)
{
    static const char *const names[3] = { "recency_days", "orders", "revenue" };
    struct rows r;
    if (open_rows(&r, d, "history.csv") != 0)
        return -1;
    long col[3];
    double first[3] = { 0 };
    char *first_cell[3] = { NULL };
    int same[3] = { 1, 1, 1 }, got;
    size_t rows = 0;
    int open = 0;               /* features still the same on every row read */
    for (size_t j = 0; j < 3; j++)
        open += (col[j] = csvin_find(r.in, names[j])) >= 0;
    /* the cells copied only while a feature may be the same for all: then
     * the rows are only counted (on 5 M clients, most of the pass) */
    r.lazy = 1;
    while ((got = rows_next(&r, d->diag)) > 0) {
        if (open == 0) {
            rows++;
            continue;
        }
        if (rows_cells(&r, d->diag) != 0) {
            got = -1;
            break;
        }
        for (size_t j = 0; j < 3; j++) {
            if (col[j] < 0 || !same[j])
                continue;
            const char *x = page_raw(r.cell[col[j]]);
            if (rows == 0) {
                first[j] = strtod(x, NULL);
                if (!(first_cell[j] = strdup(x)))
                    got = diag_set(d->diag, "out of memory");
            } else if (strtod(x, NULL) != first[j]) {
                same[j] = 0;
                open--;
            }
        }
        if (got < 0)
            break;
        rows++;
    }
    rows_close(&r);
    if (got == 0) {
        csvout_text(out, "metric");
        csvout_text(out, "value");
        csvout_end_row(out);
        csvout_text(out, "clients");
        csvout_long(out, (long long)rows);
        csvout_end_row(out);
        for (size_t j = 0; j < 3 && got == 0; j++) {
            if (col[j] < 0)
                got = diag_set(d->diag, "history.csv: no column %s", names[j]);
            else if (rows > 0 && same[j]) {
                csvout_text(out, names[j]);
                csvout_text(out, first_cell[j]);
                csvout_end_row(out);
            }
        }
    }
    for (size_t j = 0; j < 3; j++)
        free(first_cell[j]);
    return got;
}

/* rollup.csv's clients who bought through a prescriber at least once
 * (metric,value "prescribed_clients"); no row when it has no prescribers
 * column (the sales have no prescriber column): then only the header is
 * read (on 5 M clients the pass was 0.9 s of the report's critical path,
 * for nothing). Else one pass, counting. */
static int prescribed(struct derive *d, struct csvout *out)
{
    struct rows r;
    if (open_rows(&r, d, "rollup.csv") != 0)
        return -1;
    long c = csvin_find(r.in, "prescribers");
    size_t n = 0;
    int got = 0;
    while (c >= 0 && (got = rows_next(&r, d->diag)) > 0)
        n += strtod(page_raw(r.cell[c]), NULL) > 0;
    rows_close(&r);
    if (got < 0)
        return -1;
    csvout_text(out, "metric");
    csvout_text(out, "value");
    csvout_end_row(out);
    if (c < 0)
        return 0;
    csvout_text(out, "prescribed_clients");
    csvout_long(out, (long long)n);
    csvout_end_row(out);
    return 0;
}

/* cl-rollup --partial's rows (customer, order, ..., prescriber) of
 * prescribed-partials.csv with the prescriber moved first and the direct
 * rows (no prescriber) left out: partials keyed by prescriber then
 * customer, which cl-rollup --merge rolls up into each prescriber's
 * clients, exactly. One pass, a row at a time. */
static int prescriber_partials(struct derive *d, struct csvout *out)
{
    struct rows r;
    if (open_rows(&r, d, "prescribed-partials.csv") != 0)
        return -1;
    size_t last = r.columns - 1;
    if (r.columns < 2 || strcmp(csvin_column_name(r.in, last), "prescriber") != 0) {
        /* the whole file read first, as before: a bad line is said first */
        int got;
        while ((got = rows_next(&r, d->diag)) > 0)
            ;
        rows_close(&r);
        return got < 0 ? -1
                       : diag_set(d->diag,
                                  "prescribed-partials.csv: its last column is not prescriber");
    }
    csvout_text(out, "prescriber");
    for (size_t c = 0; c < last; c++)
        csvout_text(out, csvin_column_name(r.in, c));
    csvout_end_row(out);
    int got;
    while ((got = rows_next(&r, d->diag)) > 0) {
        if (!*r.cell[last])
            continue;
        csvout_text(out, r.cell[last]);
        for (size_t c = 0; c < last; c++)
            csvout_text(out, r.cell[c]);
        csvout_end_row(out);
    }
    rows_close(&r);
    return got;
}

/* ---- cells for spreadsheets ---------------------------------------------------- */

/* The digits at s, up to end. */
static size_t digits_span(const char *s, const char *end)
{
    const char *p = s;
    while (p < end && *p >= '0' && *p <= '9')
        p++;
    return (size_t)(p - s);
}

/* Are the n bytes at s a number a spreadsheet reads as one:
 * [-+]?(D+.?D*|.D+)([eE][-+]?D+)? */
static int is_number_n(const char *s, size_t n)
{
    const char *end = s + n, *p = s + (n > 0 && (*s == '-' || *s == '+'));
    size_t whole = digits_span(p, end), frac = 0;
    p += whole;
    if (p < end && *p == '.') {
        frac = digits_span(p + 1, end);
        p += 1 + frac;
    }
    if (whole == 0 && frac == 0)
        return 0;
    if (p < end && (*p == 'e' || *p == 'E')) {
        p++;
        p += p < end && (*p == '-' || *p == '+');
        size_t exp = digits_span(p, end);
        if (exp == 0)
            return 0;
        p += exp;
    }
    return p == end;
}

static int is_number(const char *s)
{
    return is_number_n(s, strlen(s));
}

/* One field, appended to b: quoted when it holds , " CR or LF, or when
 * forced (then behind prefix), its quotes doubled. */
static void field(struct buf *b, const char *prefix, const char *s, int force)
{
    if (!force && !strpbrk(s, ",\"\r\n")) {
        buf_adds(b, s);
        return;
    }
    buf_addc(b, '"');
    buf_adds(b, prefix);
    for (const char *q; (q = strchr(s, '"')) != NULL; s = q + 1) {
        buf_add(b, s, (size_t)(q + 1 - s));
        buf_addc(b, '"');
    }
    buf_adds(b, s);
    buf_addc(b, '"');
}

/* Does the neutral copy write cell x as something else than x? */
static int neutralised(const char *x)
{
    switch (x[0]) {     /* = + - @ tab CR: what a spreadsheet could run (a switch: every cell) */
    case '=': case '+': case '-': case '@': case '\t': case '\r':
        return strcmp(x, "-") != 0 && strcmp(x, "+") != 0 && !is_number(x);
    default:
        return 0;
    }
}

/* Is the neutral copy of the row r handed out its bytes in the file? Yes
 * when the scanner read it from a ',' file with no CR in it and no cell is
 * neutralised. The scanner hands out only well-formed RFC 4180 rows (every
 * quoted cell closed, its quotes doubled, no quote in an unquoted one:
 * anything else goes to csvin, which keeps no raw bytes), so the row's
 * bytes are its cells for any reader, quoted as the file quoted them:
 * a row with nothing to neutralise is copied as it is, its quotes, needed
 * or not, kept (a rejected line stays the line of the sales file). */
static int plain_row(const struct rows *r)
{
    if (!r->raw || r->delim != ',' || memchr(r->raw, '\r', r->raw_len))
        return 0;
    for (size_t c = 0; c < r->count; c++)
        if (neutralised(r->cell[c]))
            return 0;
    return 1;
}

/* Is the copy of the scanner's row its bytes, known before its cells are
 * copied? 1 when it is for certain: no CR, and no cell neutralised() would
 * change (none starts with = @ tab or CR, one that starts with - or + is
 * the sign alone or a number; plain_row says why the quotes are kept); 0
 * when rows_cells and the cell by cell copy must say. */
static int plain_fields(const struct rows *r)
{
    if (!r->raw || r->copied || r->delim != ',' || memchr(r->raw, '\r', r->raw_len))
        return 0;
    for (size_t c = 0; c < r->count; c++) {
        const struct csvfield *f = &r->rec.fields[c];
        if (f->len == 0)
            continue;
        switch (f->ptr[0]) {
        case '+': case '-':     /* a lone sign, a number: never neutralised */
            if (f->len > 1 && !is_number_n(f->ptr, f->len))
                return 0;
            break;
        case '=': case '@': case '\t': case '\r':
            return 0;
        default:
            break;
        }
    }
    return 1;
}

/* The copy's bytes are gathered into blocks of COPY_BLOCK: one write of a
 * MiB where stdio's buffer of the file's block size (4 KiB) made 256. */
#define COPY_BLOCK ((size_t)1 << 20)

/* Where the copy goes. With if_changed (page_csv_copy_changed), nowhere
 * while its bytes are the input file's own (same: the copy's first same
 * bytes are the file's): each piece is compared with the file as it comes
 * (a row the scanner hands out at the offset reached, followed there by
 * its line end, without reading it again), and at the first piece that
 * differs the file's bytes before it go to fp in one copy in the kernel
 * (copy_file_range: not read, not scanned again), then everything as
 * without if_changed. */
struct copy_out {
    FILE *fp;
    char *buf;
    size_t len;
    struct buf row;             /* a row written cell by cell */
    int comparing;              /* nothing written yet: the bytes so far are the file's */
    int fd;                     /* the input file itself, opened again (-1: none) */
    int rows_same;              /* the scanner reads fd's file: a row's offset says it */
    long long same;             /* the copy's bytes so far, all the file's */
    long long size;             /* the file's size when opened */
    char *cmp;                  /* the file's bytes read to compare a piece */
    int failed;                 /* a write or read failed: said by the caller's commit */
};

static void copy_flush(struct copy_out *o)
{
    if (o->len && !o->comparing)
        fwrite(o->buf, 1, o->len, o->fp);     /* an error: the caller's commit says it */
    o->len = 0;
}

/* The file's first o->same bytes to fp (the copy so far), and from now on
 * the copy itself. */
static void copy_diverge(struct copy_out *o)
{
    o->comparing = 0;
    fflush(o->fp);
    int out = fileno(o->fp);
    long long at = 0;
    while (at < o->same) {      /* in the kernel, where it can */
        loff_t in_at = at;
        ssize_t n = copy_file_range(o->fd, &in_at, out, NULL, (size_t)(o->same - at), 0);
        if (n <= 0)
            break;              /* EXDEV, a pipe, an old kernel...: read and written below */
        at += n;
    }
    while (at < o->same) {
        size_t want = o->same - at < (long long)COPY_BLOCK ? (size_t)(o->same - at) : COPY_BLOCK;
        ssize_t n = pread(o->fd, o->cmp, want, at);
        if (n <= 0) {
            o->failed = 1;      /* the file shrank under us */
            break;
        }
        fwrite(o->cmp, 1, (size_t)n, o->fp);
        at += n;
    }
}

/* Are the n bytes at p the file's, at o->same? */
static int copy_same(struct copy_out *o, const char *p, size_t n)
{
    long long at = o->same;
    while (n > 0) {
        size_t want = n < COPY_BLOCK ? n : COPY_BLOCK;
        ssize_t got = pread(o->fd, o->cmp, want, at);
        if (got <= 0 || memcmp(o->cmp, p, (size_t)got) != 0)
            return 0;
        p += got;
        n -= (size_t)got;
        at += got;
    }
    return 1;
}

/* n bytes of the copy */
static void copy_bytes(struct copy_out *o, const char *p, size_t n)
{
    if (o->comparing) {
        if (copy_same(o, p, n)) {
            o->same += (long long)n;
            return;
        }
        copy_diverge(o);
    }
    if (n > COPY_BLOCK) {
        copy_flush(o);
        fwrite(p, 1, n, o->fp);
        return;
    }
    if (o->len + n > COPY_BLOCK)
        copy_flush(o);
    memcpy(o->buf + o->len, p, n);
    o->len += n;
}

/* the scanner's row (its bytes as the file has them) and a line end */
static void copy_row(struct copy_out *o, const struct rows *r)
{
    const char *raw = r->raw;
    size_t len = r->raw_len;
    if (o->comparing && o->rows_same
        && r->at - (long long)r->len + (raw - r->buf) == o->same
        && raw + len < r->buf + r->len && raw[len] == '\n') {
        o->same += (long long)len + 1;      /* the file's own bytes, at this offset */
        return;
    }
    if (!o->comparing && len + 1 <= COPY_BLOCK) {
        if (o->len + len + 1 > COPY_BLOCK)
            copy_flush(o);
        memcpy(o->buf + o->len, raw, len);
        o->buf[o->len + len] = '\n';
        o->len += len + 1;
        return;
    }
    copy_bytes(o, raw, len);
    copy_bytes(o, "\n", 1);
}

/* One pass, one row at a time: the copy never holds the file (its memory is
 * the reader's block and the copy's, whatever the file's size). */
/* Is r's file a rejects file (cl-rollup --rejects: the sales' columns, then
 * line and reason)? Its rows are the rejected lines' fields as they were,
 * and a line rejected for its number of fields keeps that number: the copy
 * hands out rows of any width there, and only there. */
static int rejects_header(const struct rows *r)
{
    return r->columns >= 2 && strcmp(csvin_column_name(r->in, r->columns - 2), "line") == 0
           && strcmp(csvin_column_name(r->in, r->columns - 1), "reason") == 0;
}

/* the programs' --excel dialect (lib/csvout.c): a number takes its decimal
 * comma, a text cell is neutralised there; the key of the suite's roll-ups
 * (customer, prescriber) is an id, text as the programs write it, even when
 * it looks like a number (12437.0) */
static int copy_excel(FILE *out, struct rows *r, struct diag *diag)
{
    struct csvout o;
    csvout_init(&o, out, 1);
    char *key = calloc(r->columns + 1, 1);
    if (!key)
        return diag_set(diag, "out of memory");
    for (size_t c = 0; c < r->columns; c++) {
        const char *h = csvin_column_name(r->in, c);
        key[c] = strcmp(h, "customer") == 0 || strcmp(h, "prescriber") == 0;
        csvout_text(&o, h);
    }
    csvout_end_row(&o);
    int got;
    while ((got = rows_next(r, diag)) > 0) {
        for (size_t c = 0; c < r->count; c++)
            csvout_cell(&o, r->cell[c], !(c < r->columns && key[c]));
        csvout_end_row(&o);
    }
    free(key);
    return got;
}

/* page_csv_copy, and with if_changed page_csv_copy_changed: @return 1 the
 * copy written, 0 not (it is the file's bytes), -1 error (diag). */
static int copy_csv(FILE *out, const char *path, int neutralise, int if_changed,
                    struct diag *diag)
{
    struct stat st;
    if (stat(path, &st) == 0 && S_ISREG(st.st_mode) && st.st_size == 0)
        return !if_changed ? 1 : 0;     /* an empty file (no rejected line) stays empty */
    struct rows r;
    if (rows_open(&r, path, diag) != 0)
        return -1;
    r.any_width = rejects_header(&r);
    if (neutralise == PAGE_COPY_EXCEL) {
        int got = copy_excel(out, &r, diag);
        rows_close(&r);
        return got < 0 ? -1 : 1;
    }
    struct copy_out o = { .fp = out, .fd = -1 };
    buf_init(&o.row, 0);
    if (!(o.buf = malloc(COPY_BLOCK))) {
        rows_close(&r);
        return diag_set(diag, "out of memory");
    }
    if (if_changed) {
        /* the file's own bytes (the reader's may be a transcoded copy) */
        struct stat in_st, rows_st;
        o.fd = open(path, O_RDONLY | O_CLOEXEC);
        if (o.fd >= 0 && fstat(o.fd, &in_st) == 0 && S_ISREG(in_st.st_mode)
            && (o.cmp = malloc(COPY_BLOCK)) != NULL) {
            o.comparing = 1;
            o.size = in_st.st_size;
            o.rows_same = r.scanning && fstat(r.fd, &rows_st) == 0
                          && rows_st.st_dev == in_st.st_dev && rows_st.st_ino == in_st.st_ino;
        }
    }
    for (size_t c = 0; c < r.columns; c++)
        r.cell[c] = csvin_column_name(r.in, c);
    r.copied = 1;                           /* the header's names */
    r.lazy = neutralise != 0;               /* most rows are never copied to cells */
    int got = 1;
    do {
        if (neutralise && plain_fields(&r)) {  /* most rows: their bytes as they are */
            copy_row(&o, &r);
            continue;
        }
        if (rows_cells(&r, diag) != 0) {
            got = -1;
            break;
        }
        if (neutralise && plain_row(&r)) {
            copy_row(&o, &r);
            continue;
        }
        o.row.len = 0;
        for (size_t c = 0; c < r.count; c++) {
            const char *x = r.cell[c];
            if (c)
                buf_addc(&o.row, ',');
            if (!neutralise)
                field(&o.row, "", page_raw(x), 0);
            else if (neutralised(x))
                field(&o.row, "'", x, 1);
            else
                field(&o.row, "", x, 0);
        }
        buf_addc(&o.row, '\n');
        if (o.row.failed) {
            got = diag_set(diag, "out of memory");
            break;
        }
        copy_bytes(&o, o.row.data, o.row.len);
    } while ((got = rows_next(&r, diag)) > 0);
    if (got == 0 && o.comparing && o.same != o.size)
        copy_diverge(&o);       /* the copy is shorter: the file's bytes up to where it ends */
    int written = !o.comparing;
    copy_flush(&o);     /* before an error too: the rows read so far, as before */
    if (o.failed && got >= 0)
        got = diag_set(diag, "%s: changed while it was read", r.name);
    free(o.buf);
    free(o.cmp);
    buf_free(&o.row);
    if (o.fd >= 0)
        close(o.fd);
    rows_close(&r);
    return got < 0 ? -1 : written;
}

int page_csv_copy(FILE *out, const char *path, int neutralise, struct diag *diag)
{
    return copy_csv(out, path, neutralise, 0, diag) < 0 ? -1 : 0;
}

int page_csv_copy_changed(FILE *out, const char *path, int neutralise, struct diag *diag)
{
    return copy_csv(out, path, neutralise, 1, diag);
}

/* ---- the key figures for the workbook -------------------------------------------- */

/* what the page says about the report itself: not key figures */
static int not_key(const char *m)
{
    static const char *const skip[] = { "asof", "persona_features", "sales_file", "market_file",
                                        "segment_column", "partial_to" };
    for (size_t i = 0; i < sizeof skip / sizeof skip[0]; i++)
        if (strcmp(m, skip[i]) == 0)
            return 1;
    return strncmp(m, "same_days_", 10) == 0;
}

static int key_figures(struct derive *d, FILE *out, int french)
{
    if (load(&d->a, d->folder, "figures.csv", d->diag) != 0
        || (d->previous && load(&d->b, d->previous, "figures.csv", d->diag) != 0))
        return -1;
    if (d->a.columns < 2 || (d->previous && d->b.columns < 2))
        return diag_set(d->diag, "figures.csv: not metric,value");
    struct buf b;
    buf_init(&b, 0);
    buf_adds(&b, d->previous ? "metric,label,value,previous\n" : "metric,label,value\n");
    for (size_t r = 0; r < d->a.rows; r++) {
        const char *m = at(&d->a, r, 0), *label = m;
        if (not_key(m))
            continue;
        for (size_t i = 0; i < page_key_labels_count; i++)
            if (strcmp(page_key_labels[i].key, m) == 0)
                label = french ? page_key_labels[i].fr : page_key_labels[i].en;
        field(&b, "", m, 0);
        buf_addc(&b, ',');
        field(&b, "", label, 1);
        buf_addc(&b, ',');
        field(&b, "", at(&d->a, r, 1), 0);
        if (d->previous) {
            const char *before = "";
            for (size_t p = 0; p < d->b.rows; p++)
                if (strcmp(at(&d->b, p, 0), m) == 0) {
                    before = at(&d->b, p, 1);
                    break;
                }
            buf_addc(&b, ',');
            field(&b, "", before, 0);
        }
        buf_addc(&b, '\n');
    }
    int failed = b.failed;
    if (!failed && b.len)
        fwrite(b.data, 1, b.len, out);  /* an error: the caller's commit says it */
    buf_free(&b);
    return failed ? diag_set(d->diag, "out of memory") : 0;
}

/* The tables --derive knows, one row each: its name, how it is made. */
enum derive_how { AT_RISK, CLV_SUMMARY, STOPPED, RETENTION, FEATURES, PRESCRIBED,
                  PRESCRIBER_PARTIALS, KEY_FIGURES };
static const struct {
    const char *name;
    enum derive_how how;
} derive_tables[] = {
    { "at-risk", AT_RISK }, { "clv-summary", CLV_SUMMARY }, { "stopped", STOPPED },
    { "retention", RETENTION }, { "features", FEATURES }, { "prescribed", PRESCRIBED },
    { "prescriber-partials", PRESCRIBER_PARTIALS }, { "key-figures", KEY_FIGURES },
};
enum { DERIVE_TABLES = sizeof derive_tables / sizeof derive_tables[0] };

const char *const page_derive_names =
    "at-risk, clv-summary, stopped, retention, features, prescribed, prescriber-partials "
    "or key-figures";

/* the row of WHAT in derive_tables, or -1 */
static int derive_index(const char *what)
{
    for (int i = 0; i < DERIVE_TABLES; i++)
        if (strcmp(derive_tables[i].name, what) == 0)
            return i;
    return -1;
}

int page_derive_known(const char *what)
{
    return derive_index(what) >= 0;
}

int page_derive(FILE *fp, const char *what, const char *folder, const char *previous,
                int french, struct diag *diag)
{
    int i = derive_index(what);
    if (i < 0)
        return diag_set(diag, "'%s' is not %s", what, page_derive_names);
    struct derive d = { .folder = folder, .previous = previous, .diag = diag };
    struct csvout out;
    csvout_init(&out, fp, 0);
    int rc = -1;
    switch (derive_tables[i].how) {
    case AT_RISK: rc = at_risk(&d, &out, 0); break;
    case CLV_SUMMARY: rc = at_risk(&d, &out, 1); break;
    case STOPPED: rc = stopped(&d, &out); break;
    case RETENTION: rc = retention(&d, &out); break;
    case FEATURES: rc = features(&d, &out); break;
    case PRESCRIBED: rc = prescribed(&d, &out); break;
    case PRESCRIBER_PARTIALS: rc = prescriber_partials(&d, &out); break;
    case KEY_FIGURES: rc = key_figures(&d, fp, french); break;
    }
    table_free(&d.a);
    table_free(&d.b);
    return rc;
}
