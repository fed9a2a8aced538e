/* dataset.c — reading the numeric features of a per-client table for
 * clustering (the scanner's way over a regular file, else csvin), their
 * transforms and their scaling (see dataset.h). */
#include "dataset.h"

#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "columns.h"
#include "parse.h"
#include "radix.h"
#include "scan.h"

const char *dataset_scale_name(enum dataset_scale scale)
{
    switch (scale) {
    case DATASET_Z:      return "z";
    case DATASET_ROBUST: return "robust";
    case DATASET_MINMAX: return "minmax";
    case DATASET_NONE:   return "none";
    }
    return "z";
}

int dataset_scale_parse(const char *name, enum dataset_scale *scale)
{
    static const enum dataset_scale all[] = {
        DATASET_Z, DATASET_ROBUST, DATASET_MINMAX, DATASET_NONE
    };
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
        if (strcmp(name, dataset_scale_name(all[i])) == 0) {
            *scale = all[i];
            return 0;
        }
    return -1;
}

/* ---- streaming --------------------------------------------------------- */

struct dataset_reader {
    csvin *in;
    struct dataset_read_options options;
    size_t dims;
    long *columns;          /* dims: input column of each feature */
    struct parse_mark *marks;   /* per input column: its decimal mark (parse.h) */
    struct parse_percent_column *signs; /* per input column: percent signs, all or none */
    long mixed_col;             /* a column found mixing them (+1), 0 none: an error */
    long revenue;           /* input column or -1 */
    long *text;             /* text_count input columns */
    int pending;            /* a record was read ahead by open */
    int scanning;           /* 0 not tried yet, 1 the lean scanner reads (scan), -1 csvin */
    struct csvscan scan;    /* the rest of a regular file, when scanning */
    size_t skipped;
    size_t revenue_skipped; /* rows given with a NaN revenue (options.revenue_note) */
    /* the record being read, from csvin or from the lean scanner */
    struct csvfield *cur;   /* fields (not NUL-terminated): own, or the scanner's */
    size_t cur_count, cur_cap;
    struct csvfield *own;   /* the array take_csvin_record fills */
    size_t own_cap;
    long cur_line;
};

/* A value with a percent sign ("12.5%"): a feature a spreadsheet saved as
 * percent, read as the fraction it shows (parse.h); a column mixing values
 * with and without the sign is an error (r->mixed_col). */
static enum parse_status read_percent(dataset_reader *r, long col, const char *s, size_t len,
                                      size_t number_len, double *out)
{
    struct parse_mark *m = &r->marks[col];
    if (parse_percent_column_note(&r->signs[col], r->cur_line, s, len) != 0) {
        r->mixed_col = col + 1;
        return PARSE_INVALID;
    }
    double as_written;
    enum parse_status st = parse_double_mark(m, r->cur_line, s, number_len, &as_written);
    if (st != PARSE_OK)
        return st;
    char mark = m->mark;
    return parse_share(s, len, PARSE_IN_FRACTION, &mark, out, NULL);
}

static enum parse_status read_number(dataset_reader *r, long col, double *out)
{
    const char *s = r->cur[col].ptr;
    size_t len = r->cur[col].len;
    struct parse_mark *m = &r->marks[col];
    struct parse_percent_column *signs = &r->signs[col];
    /* the fast reader presumes a point: only once the column has told its
     * mark, or for a value without one */
    if ((m->mark || !memchr(s, '.', len)) && parse_double_fast(s, len, m->mark, out)) {
        if (!signs->without_line && parse_percent_column_note(signs, r->cur_line, s, len))
            return r->mixed_col = col + 1, PARSE_INVALID;
        return PARSE_OK;
    }
    size_t number_len = len;
    if (parse_percent_sign(s, &number_len))
        return read_percent(r, col, s, len, number_len, out);
    enum parse_status st = parse_double_mark(m, r->cur_line, s, len, out);
    if (st == PARSE_OK && !signs->without_line &&
        parse_percent_column_note(signs, r->cur_line, s, len))
        return r->mixed_col = col + 1, PARSE_INVALID;
    return st;
}

/* Every column's mark as the options give it (0: learnt from its values). */
static void reset_marks(dataset_reader *r, size_t ncols)
{
    for (size_t c = 0; c < ncols; c++) {
        parse_mark_init(&r->marks[c], r->options.mark);
        parse_percent_column_init(&r->signs[c]);
    }
    r->mixed_col = 0;
}

/* Make the csvin record just read the current record. @return 0 or -1. */
static int take_csvin_record(dataset_reader *r)
{
    size_t n = csvin_fields(r->in);
    if (n > r->own_cap) {
        struct csvfield *p = realloc(r->own, n * sizeof *p);
        if (!p)
            return -1;
        r->own = p;
        r->own_cap = n;
    }
    r->cur = r->own;
    for (size_t i = 0; i < n; i++)
        r->cur[i].ptr = csvin_field(r->in, i, &r->cur[i].len);
    r->cur_count = n;
    r->cur_line = csvin_line(r->in);
    return 0;
}

static long find_column(const csvin *in, const char *const *names, const char *given,
                        const char *role, struct diag *diag)
{
    return columns_find(names, csvin_columns(in), given, NULL, role, 1, csvin_name(in), diag);
}

dataset_reader *dataset_reader_open(const char *path, const struct dataset_read_options *options,
                                      struct diag *diag)
{
    dataset_reader *r = calloc(1, sizeof *r);
    const char **names = NULL;
    if (!r) {
        diag_set(diag, "out of memory");
        return NULL;
    }
    r->options = *options;
    r->revenue = -1;
    r->in = csvin_open(path, options->delim, diag);
    if (!r->in)
        goto fail;
    size_t ncols = csvin_columns(r->in);
    names = malloc(ncols * sizeof *names);
    r->marks = calloc(ncols ? ncols : 1, sizeof *r->marks);
    r->signs = calloc(ncols ? ncols : 1, sizeof *r->signs);
    r->columns = malloc((ncols + options->feature_count + 1) * sizeof *r->columns);
    r->text = malloc((options->text_count + 1) * sizeof *r->text);
    if (!names || !r->marks || !r->signs || !r->columns || !r->text) {
        diag_set(diag, "out of memory");
        goto fail;
    }
    reset_marks(r, ncols);
    for (size_t i = 0; i < ncols; i++)
        names[i] = csvin_column_name(r->in, i);

    if (options->features) {
        for (size_t j = 0; j < options->feature_count; j++) {
            long col = find_column(r->in, names, options->features[j], "feature", diag);
            if (col < 0)
                goto fail;
            for (size_t i = 0; i < j; i++)
                if (r->columns[i] == col) {
                    diag_set(diag, "%s: feature \"%s\" is given twice", csvin_name(r->in),
                             names[col]);
                    goto fail;
                }
            r->columns[j] = col;
        }
        r->dims = options->feature_count;
    } else {
        /* every column but the first (the key) that holds a number on the
         * first data row */
        int got = csvin_next(r->in, diag);
        if (got < 0)
            goto fail;
        if (got == 0) {
            diag_set(diag, "%s: no data rows", csvin_name(r->in));
            goto fail;
        }
        r->pending = 1;
        if (take_csvin_record(r) < 0) {
            diag_set(diag, "out of memory");
            goto fail;
        }
        if (r->cur_count != ncols) {
            diag_set(diag, "%s:%ld: %zu field%s where the header has %zu", csvin_name(r->in),
                     r->cur_line, r->cur_count, r->cur_count == 1 ? "" : "s", ncols);
            goto fail;
        }
        for (size_t c = 1; c < ncols; c++) {
            double v;
            if (read_number(r, (long)c, &v) == PARSE_OK)
                r->columns[r->dims++] = (long)c;
        }
        reset_marks(r, ncols);
        if (r->dims == 0) {
            diag_set(diag, "%s: no numeric column to cluster (name them with --features)",
                     csvin_name(r->in));
            goto fail;
        }
    }
    if (options->revenue) {
        r->revenue = find_column(r->in, names, options->revenue, "revenue", diag);
        if (r->revenue < 0)
            goto fail;
    } else if (options->revenue_aliases) {
        r->revenue = columns_find(names, ncols, NULL, options->revenue_aliases, "revenue", 0,
                                  csvin_name(r->in), diag);
        if (r->revenue == -2)
            goto fail;
    }
    for (size_t i = 0; i < options->text_count; i++) {
        r->text[i] = find_column(r->in, names, options->text[i], "describe", diag);
        if (r->text[i] < 0)
            goto fail;
    }
    free(names);
    return r;

fail:
    free(names);
    dataset_reader_close(r);
    return NULL;
}

size_t dataset_reader_dims(const dataset_reader *r) { return r->dims; }
const csvin *dataset_reader_csv(const dataset_reader *r) { return r->in; }
size_t dataset_reader_skipped(const dataset_reader *r) { return r->skipped; }
size_t dataset_reader_revenue_skipped(const dataset_reader *r) { return r->revenue_skipped; }
long dataset_reader_line(const dataset_reader *r) { return r->cur_line; }

const char *dataset_reader_field(const dataset_reader *r, size_t c, size_t *len)
{
    *len = r->cur[c].len;
    return r->cur[c].ptr;
}
int dataset_reader_has_revenue(const dataset_reader *r) { return r->revenue >= 0; }

const char *dataset_reader_name(const dataset_reader *r, size_t j)
{
    return csvin_column_name(r->in, (size_t)r->columns[j]);
}

long dataset_reader_text_column(const dataset_reader *r, size_t i)
{
    return i < r->options.text_count ? r->text[i] : -1;
}

/* A bad value: an error with strict, else a counted, reported skip (or,
 * a revenue with options.revenue_note, a counted, reported NaN).
 * @return -1 (error), 0 (skip) or 1 (kept). */
static int bad_value(dataset_reader *r, long col, int is_revenue, enum parse_status status,
                     struct diag *diag)
{
    const char *s = r->cur[col].ptr;
    size_t len = r->cur[col].len;
    char quoted[64], message[DIAG_MAX];
    const char *name = csvin_column_name(r->in, (size_t)col);
    if (r->mixed_col == col + 1) {
        /* never a skip: which reading the rows before need is unknown */
        char role[200];
        diag_quote(name, strlen(name), role, sizeof role);
        return diag_set(diag, "%s: %s", csvin_name(r->in),
                        parse_percent_mixed(&r->signs[col], role, message, sizeof message));
    }
    if (status == PARSE_MARK_CONFLICT) {
        /* never a skip: the rows read before may be the wrong ones */
        char role[200];
        diag_quote(name, strlen(name), role, sizeof role);
        return diag_set(diag, "%s:%ld: %s", csvin_name(r->in), r->cur_line,
                        parse_mark_conflict(&r->marks[col], role, s, len, message,
                                            sizeof message));
    }
    if (status == PARSE_EMPTY)
        snprintf(message, sizeof message, "%s:%ld: %s is empty", csvin_name(r->in),
                 r->cur_line, name);
    else
        snprintf(message, sizeof message, "%s:%ld: %s \"%s\" %s", csvin_name(r->in),
                 r->cur_line, name, diag_quote(s, len, quoted, sizeof quoted),
                 parse_status_text(status));
    if (r->options.strict)
        return diag_set(diag, "%s", message);
    int kept = is_revenue && r->options.revenue_note;
    if (r->options.warn && r->skipped + r->revenue_skipped < r->options.warn_max) {
        size_t used = strlen(message);
        snprintf(message + used, sizeof message - used, " (row %s)",
                 kept ? r->options.revenue_note : "skipped");
        r->options.warn(r->options.warn_context, message);
    }
    if (kept) {
        r->revenue_skipped++;
        return 1;
    }
    r->skipped++;
    return 0;
}

/* Check and convert the current record. @return 1 usable, 0 skipped,
 * -1 error. */
static int use_record(dataset_reader *r, double *values, double *revenue, struct diag *diag)
{
    if (r->cur_count != csvin_columns(r->in))
        return diag_set(diag, "%s:%ld: %zu field%s where the header has %zu",
                        csvin_name(r->in), r->cur_line, r->cur_count,
                        r->cur_count == 1 ? "" : "s", csvin_columns(r->in));
    for (size_t j = 0; j < r->dims; j++) {
        enum parse_status st = read_number(r, r->columns[j], &values[j]);
        if (st != PARSE_OK)
            return bad_value(r, r->columns[j], 0, st, diag);
    }
    if (r->revenue >= 0) {
        double v;
        enum parse_status st = read_number(r, r->revenue, &v);
        if (st != PARSE_OK) {
            int kept = bad_value(r, r->revenue, 1, st, diag);
            if (kept != 1)
                return kept;
            v = NAN;
        }
        if (revenue)
            *revenue = v;
    }
    return 1;
}

/* The next record through the lean scanner, the rest of a regular file
 * being validated by csvscan_open the first time (scan.h: several times
 * faster than libcsv; when the scanner declines, nothing has been read
 * and libcsv reads, with its exact diagnostics).
 * @return 1 a record, 0 end of input, -1 not scanning. */
static int next_scanned(dataset_reader *r)
{
    if (r->scanning == 0)
        r->scanning = csvscan_open(&r->scan, r->in) ? 1 : -1;
    if (r->scanning < 0)
        return -1;
    long line;
    if (csvscan_next(&r->scan, &line) != SCAN_RECORD)
        return 0;
    r->cur = r->scan.record.fields;
    r->cur_count = r->scan.record.count;
    r->cur_line = line;
    return 1;
}

int dataset_reader_next(dataset_reader *r, double *values, double *revenue, struct diag *diag)
{
    for (;;) {
        int scanned;
        if (r->pending) {
            r->pending = 0;
        } else if ((scanned = next_scanned(r)) >= 0) {
            if (scanned == 0)
                return 0;
        } else {
            int got = csvin_next(r->in, diag);
            if (got <= 0)
                return got;
            if (take_csvin_record(r) < 0)
                return diag_set(diag, "out of memory");
        }
        int used = use_record(r, values, revenue, diag);
        if (used != 0)
            return used;
    }
}

void dataset_reader_close(dataset_reader *r)
{
    if (!r)
        return;
    csvscan_close(&r->scan);
    csvin_close(r->in);
    free(r->columns);
    free(r->marks);
    free(r->signs);
    free(r->text);
    free(r->own);
    free(r);
}

/* ---- a whole table ------------------------------------------------------ */

static int grow(void **buffer, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap)
        return 0;
    size_t cap2 = *cap ? *cap : 1024;
    while (cap2 < need)
        cap2 *= 2;
    void *p = realloc(*buffer, cap2 * size);
    if (!p)
        return -1;
    *buffer = p;
    *cap = cap2;
    return 0;
}

/* Growing arrays of dataset_read and of a builder. */

/* Append the current record (already checked and converted into the
 * values of the next row) to the table. @return 0 or -1 out of memory. */
static int store_row(struct dataset *f, struct dataset_builder *st, const dataset_reader *r,
                     const struct dataset_read_options *options, double revenue)
{
    size_t row = f->rows;
    if (grow((void **)&f->lines, &st->cap_lines, row + 1, sizeof *f->lines) < 0)
        return -1;
    f->lines[row] = r->cur_line;
    if (r->revenue >= 0) {
        if (grow((void **)&f->revenue, &st->cap_revenue, row + 1, sizeof *f->revenue) < 0)
            return -1;
        f->revenue[row] = revenue;
    }
    if (f->kept) {
        if (grow((void **)&f->text_start, &st->cap_starts, row + 1, sizeof *f->text_start) < 0)
            return -1;
        f->text_start[row] = st->text_len;
        for (size_t i = 0; i < f->kept; i++) {
            size_t col = options->keep_fields ? i : (size_t)f->text_columns[i];
            const struct csvfield *field = &r->cur[col];
            if (grow((void **)&f->text, &st->cap_text, st->text_len + field->len + 1, 1) < 0)
                return -1;
            memcpy(f->text + st->text_len, field->ptr, field->len);
            st->text_len += field->len;
            f->text[st->text_len++] = '\0';
        }
    }
    f->rows++;
    return 0;
}

/* The table's columns, from the reader (options: its own). */
static int table_start(struct dataset *f, const dataset_reader *r,
                       const struct dataset_read_options *options)
{
    const csvin *in = dataset_reader_csv(r);
    size_t d = dataset_reader_dims(r);
    f->dims = d;
    f->columns = csvin_columns(in);
    f->delim = csvin_delim(in);
    f->mark = options->mark;
    f->names = calloc(d, sizeof *f->names);
    f->header = calloc(f->columns, sizeof *f->header);
    f->text_columns = malloc((options->text_count + 1) * sizeof *f->text_columns);
    if (!f->names || !f->header || !f->text_columns)
        return -1;
    for (size_t j = 0; j < d; j++)
        if (!(f->names[j] = strdup(dataset_reader_name(r, j))))
            return -1;
    for (size_t c = 0; c < f->columns; c++)
        if (!(f->header[c] = strdup(csvin_column_name(in, c))))
            return -1;
    for (size_t i = 0; i < options->text_count; i++)
        f->text_columns[i] = dataset_reader_text_column(r, i);
    f->texts = options->text_count;
    f->all_fields = options->keep_fields != 0;
    f->kept = options->keep_fields ? f->columns : options->text_count;
    return 0;
}

int dataset_read(struct dataset *f, const char *path,
                 const struct dataset_read_options *options, struct diag *diag)
{
    memset(f, 0, sizeof *f);
    dataset_reader *r = dataset_reader_open(path, options, diag);
    if (!r)
        return -1;
    size_t d = dataset_reader_dims(r);
    if (table_start(f, r, options) < 0)
        goto oom;

    struct dataset_builder st = { 0 };
    double revenue = 0;
    for (;;) {
        if (grow((void **)&f->values, &st.cap_values, (f->rows + 1) * d, sizeof *f->values) < 0)
            goto oom;
        int got = dataset_reader_next(r, f->values + f->rows * d, &revenue, diag);
        if (got < 0)
            goto fail;
        if (got == 0)
            break;
        if (store_row(f, &st, r, options, revenue) < 0)
            goto oom;
    }
    f->skipped = dataset_reader_skipped(r);
    dataset_reader_close(r);
    return 0;

oom:
    diag_set(diag, "out of memory");
fail:
    dataset_reader_close(r);
    return -1;
}

int dataset_builder_start(struct dataset_builder *b, struct dataset *f,
                          const dataset_reader *r, struct diag *diag)
{
    memset(b, 0, sizeof *b);
    memset(f, 0, sizeof *f);
    b->dataset = f;
    struct dataset_read_options options = r->options;
    options.keep_fields = 0;
    if (table_start(f, r, &options) < 0)
        return diag_set(diag, "out of memory");
    return 0;
}

int dataset_builder_add(struct dataset_builder *b, const dataset_reader *r,
                        const double *values, double revenue)
{
    struct dataset *f = b->dataset;
    size_t d = f->dims;
    if (grow((void **)&f->values, &b->cap_values, (f->rows + 1) * d, sizeof *f->values) < 0)
        return -1;
    memcpy(f->values + f->rows * d, values, d * sizeof *values);
    struct dataset_read_options options = r->options;
    options.keep_fields = 0;
    return store_row(f, b, r, &options, revenue);
}

void dataset_free(struct dataset *f)
{
    if (!f)
        return;
    for (size_t j = 0; f->names && j < f->dims; j++)
        free(f->names[j]);
    for (size_t c = 0; f->header && c < f->columns; c++)
        free(f->header[c]);
    free(f->names);
    free(f->header);
    free(f->values);
    free(f->revenue);
    free(f->lines);
    free(f->text);
    free(f->text_start);
    free(f->text_columns);
    memset(f, 0, sizeof *f);
}

void dataset_drop(struct dataset *f, const int *keep)
{
    size_t d = f->dims, kept = 0;
    size_t *from = malloc(d * sizeof *from);
    if (!from)
        return;
    for (size_t j = 0; j < d; j++) {
        if (keep[j])
            from[kept++] = j;
        else
            free(f->names[j]);
    }
    for (size_t j = 0; j < kept; j++)
        f->names[j] = f->names[from[j]];
    for (size_t i = 0; i < f->rows; i++)
        for (size_t j = 0; j < kept; j++)
            f->values[i * kept + j] = f->values[i * d + from[j]];
    f->dims = kept;
    free(from);
}

/* ---- transforms and scaling -------------------------------------------- */

double dataset_transform(int log, double x)
{
    if (!log)
        return x;
    return x < 0 ? -log1p(-x) : log1p(x);
}

int dataset_scaling_init(struct dataset_scaling *s, size_t dims)
{
    memset(s, 0, sizeof *s);
    s->dims = dims;
    s->log = calloc(dims ? dims : 1, sizeof *s->log);
    s->center = calloc(dims ? dims : 1, sizeof *s->center);
    s->scale = malloc((dims ? dims : 1) * sizeof *s->scale);
    if (!s->log || !s->center || !s->scale) {
        dataset_scaling_free(s);
        return -1;
    }
    for (size_t j = 0; j < dims; j++)
        s->scale[j] = 1;
    return 0;
}

void dataset_scaling_free(struct dataset_scaling *s)
{
    if (!s)
        return;
    free(s->log);
    free(s->center);
    free(s->scale);
    memset(s, 0, sizeof *s);
}

int dataset_constant(const double *values, size_t rows, size_t dims, size_t j)
{
    for (size_t i = 1; i < rows; i++)
        if (values[i * dims + j] != values[j])
            return 0;
    return 1;
}

static int compare_rows(const struct dataset *f, size_t i, size_t j)
{
    size_t d = f->dims;
    for (size_t t = 0; t < d; t++) {
        double x = f->values[i * d + t], y = f->values[j * d + t];
        if (x != y)
            return x < y ? -1 : 1;
    }
    if (f->revenue && f->revenue[i] != f->revenue[j])
        return f->revenue[i] < f->revenue[j] ? -1 : 1;
    if (f->kept) {
        /* the kept fields, NUL-separated: compare them field by field */
        const char *s = dataset_row_text(f, i), *u = dataset_row_text(f, j);
        for (size_t k = 0; k < f->kept; k++) {
            int c = strcmp(s, u);
            if (c != 0)
                return c;
            s += strlen(s) + 1;
            u += strlen(u) + 1;
        }
    }
    return i < j ? -1 : i > j;     /* identical rows: any order gives the same results */
}

/* A bottom-up merge sort of row indices by compare_rows (qsort has no
 * context argument in C11): stable, n log n. Used for the rows whose
 * numbers all tie (their kept text decides), and for every row when a
 * value is NaN (no integer key orders it as the comparisons do).
 * @return the sorted array, rows or spare. */
static size_t *merge_sort_rows(const struct dataset *f, size_t *rows, size_t *spare, size_t n)
{
    size_t *from = rows, *to = spare;
    for (size_t width = 1; width < n; width *= 2) {
        for (size_t lo = 0; lo < n; lo += 2 * width) {
            size_t mid = lo + width < n ? lo + width : n;
            size_t hi = lo + 2 * width < n ? lo + 2 * width : n;
            size_t a = lo, b = mid, o = lo;
            while (a < mid && b < hi)
                to[o++] = compare_rows(f, from[b], from[a]) < 0 ? from[b++] : from[a++];
            while (a < mid)
                to[o++] = from[a++];
            while (b < hi)
                to[o++] = from[b++];
        }
        size_t *swap = from;
        from = to;
        to = swap;
    }
    return from;
}

/* The number a sort key of row i compares: feature t, or the revenue
 * after the features. */
static double key_value(const struct dataset *f, size_t i, size_t t)
{
    return t < f->dims ? f->values[i * f->dims + t] : f->revenue[i];
}

/* x as an unsigned integer in the order of the doubles (not NaN): -0 is
 * +0, as x != y says; a negative number's bits reversed, a positive one's
 * sign bit set. */
static uint64_t order_key(double x)
{
    uint64_t u;
    if (x == 0)
        x = 0;
    memcpy(&u, &x, sizeof u);
    return u >> 63 ? ~u : u | (uint64_t)1 << 63;
}

/* Key t of every row as integers in the order and equality of the
 * numbers: when they are all whole and within 2^52, each one's distance
 * from the least (few digits differ: fewer radix passes), else
 * order_key. */
static void fill_keys(const struct dataset *f, size_t t, uint64_t *keys)
{
    size_t n = f->rows;
    double lo = HUGE_VAL;
    int whole = 1;
    for (size_t i = 0; i < n && whole; i++) {
        double x = key_value(f, i, t);
        whole = x == floor(x) && fabs(x) <= 4503599627370496.0;   /* 2^52: x - lo exact */
        if (x < lo)
            lo = x;
    }
    for (size_t i = 0; i < n; i++) {
        double x = key_value(f, i, t);
        keys[i] = whole ? (uint64_t)(x - lo) : order_key(x);
    }
}

/* Does the revenue equal a feature in every row? Then it never decides
 * (compare_rows reaches it only when that feature ties). */
static int revenue_is_feature(const struct dataset *f)
{
    for (size_t t = 0; f->revenue && t < f->dims; t++) {
        size_t i = 0;
        while (i < f->rows && f->revenue[i] == f->values[i * f->dims + t])
            i++;
        if (i == f->rows)
            return 1;
    }
    return 0;
}

/* An element of the radix sort: one key at a time, then the row. */
struct radix_item {
    uint64_t key;
    size_t row;
};

/* The order of compare_rows into order[0..n) (spare: n more): radix sorts
 * of the numbers, least significant key first, each stable so that rows
 * whose numbers all tie stay in the input's order, as compare_rows' last
 * resort puts them; then, when there is kept text, each run of such rows
 * merge-sorted by compare_rows (the text, then the index). Falls back to
 * the merge sort of every row when a number is NaN.
 * @return the array that holds the order (order or spare), NULL out of
 *         memory. */
static size_t *order_rows(const struct dataset *f, size_t *order, size_t *spare)
{
    size_t n = f->rows, keys = f->dims + (f->revenue != NULL);
    for (size_t i = 0; i < n; i++)
        order[i] = i;
    for (size_t i = 0; i < n * f->dims; i++)
        if (isnan(f->values[i]))
            return merge_sort_rows(f, order, spare, n);
    for (size_t i = 0; f->revenue && i < n; i++)
        if (isnan(f->revenue[i]))
            return merge_sort_rows(f, order, spare, n);
    struct radix_item *items = malloc((n ? n : 1) * sizeof *items);
    struct radix_item *tmp = malloc((n ? n : 1) * sizeof *tmp);
    uint64_t *key = malloc((n ? n : 1) * sizeof *key);
    if (!items || !tmp || !key) {
        free(items);
        free(tmp);
        free(key);
        return NULL;
    }
    struct radix_item *cur = items, *other = tmp;
    for (size_t i = 0; i < n; i++)
        cur[i].row = i;
    for (size_t t = keys - (keys > f->dims && revenue_is_feature(f)); t-- > 0;) {
        fill_keys(f, t, key);
        for (size_t i = 0; i < n; i++)
            cur[i].key = key[cur[i].row];
        struct radix_item *sorted = radix_sort_u64(cur, other, n, sizeof *cur);
        if (!sorted) {
            free(items);
            free(tmp);
            free(key);
            return NULL;
        }
        if (sorted != cur) {
            other = cur;
            cur = sorted;
        }
    }
    for (size_t i = 0; i < n; i++)
        order[i] = cur[i].row;
    free(items);
    free(tmp);
    free(key);
    if (!f->kept)
        return order;
    /* runs of rows equal in every number: their text decides */
    for (size_t lo = 0, hi; lo < n; lo = hi) {
        for (hi = lo + 1; hi < n; hi++) {
            size_t t = 0;
            while (t < keys && key_value(f, order[lo], t) == key_value(f, order[hi], t))
                t++;
            if (t < keys)
                break;
        }
        if (hi - lo > 1) {
            size_t *run = merge_sort_rows(f, order + lo, spare + lo, hi - lo);
            if (run != order + lo)
                memcpy(order + lo, run, (hi - lo) * sizeof *order);
        }
    }
    return order;
}

int dataset_sort_rows(struct dataset *f, size_t **input_row)
{
    size_t n = f->rows, d = f->dims;
    size_t *order = malloc((n ? n : 1) * sizeof *order);
    size_t *spare = malloc((n ? n : 1) * sizeof *spare);
    size_t *where = malloc((n ? n : 1) * sizeof *where);
    double *values = malloc((n * d > 0 ? n * d : 1) * sizeof *values);
    long *lines = malloc((n ? n : 1) * sizeof *lines);
    double *revenue = f->revenue ? malloc((n ? n : 1) * sizeof *revenue) : NULL;
    size_t *starts = f->text_start ? malloc((n ? n : 1) * sizeof *starts) : NULL;
    const size_t *sorted = order && spare ? order_rows(f, order, spare) : NULL;
    if (!sorted || !where || !values || !lines || (f->revenue && !revenue) ||
        (f->text_start && !starts)) {
        free(order); free(spare); free(where); free(values); free(lines); free(revenue);
        free(starts);
        return -1;
    }
    for (size_t r = 0; r < n; r++) {
        size_t old = sorted[r];
        where[old] = r;
        memcpy(values + r * d, f->values + old * d, d * sizeof *values);
        lines[r] = f->lines[old];
        if (revenue)
            revenue[r] = f->revenue[old];
        if (starts)
            starts[r] = f->text_start[old];
    }
    free(f->values);
    free(f->lines);
    f->values = values;
    f->lines = lines;
    if (revenue) {
        free(f->revenue);
        f->revenue = revenue;
    }
    if (starts) {
        free(f->text_start);
        f->text_start = starts;
    }
    free(order);
    free(spare);
    *input_row = where;
    return 0;
}

long dataset_overflow_row(const struct dataset_scaling *s, const double *values, size_t rows,
                          size_t *feature)
{
    size_t d = s->dims;
    long found = -1;
    for (size_t j = 0; j < d; j++) {
        double raw = 0, sum = 0, lo = HUGE_VAL, hi = -HUGE_VAL;
        long at = -1;
        for (size_t i = 0; i < rows && at < 0; i++) {
            double v = values[i * d + j], t = dataset_transform(s->log[j], v);
            raw += v;
            sum += t;
            if (t < lo) lo = t;
            if (t > hi) hi = t;
            if (!isfinite(raw) || !isfinite(sum) || !isfinite(hi - lo))
                at = (long)i;
        }
        double mean = sum / (double)(rows ? rows : 1), squares = 0;
        for (size_t i = 0; i < rows && at < 0; i++) {
            double e = dataset_transform(s->log[j], values[i * d + j]) - mean;
            squares += e * e;
            if (!isfinite(squares))
                at = (long)i;
        }
        if (at >= 0 && (found < 0 || at < found)) {
            found = at;
            *feature = j;
        }
    }
    return found;
}

int dataset_scaling_fit(struct dataset_scaling *s, const double *values, size_t rows,
                        int *fallback, struct diag *diag)
{
    size_t d = s->dims;
    if (rows == 0)
        return diag_set(diag, "no rows to scale");
    double *lo = malloc(d * sizeof *lo), *hi = malloc(d * sizeof *hi);
    double *mean = calloc(d, sizeof *mean), *var = calloc(d, sizeof *var);
    double *t = s->kind == DATASET_ROBUST ? malloc(rows * sizeof *t) : NULL;
    int status = -1;
    if (!lo || !hi || !mean || !var || (s->kind == DATASET_ROBUST && !t)) {
        diag_set(diag, "out of memory");
        goto done;
    }
    /* row-major passes: the range and mean, then the variance (divided
     * by n) about the mean */
    for (size_t j = 0; j < d; j++) {
        lo[j] = HUGE_VAL;
        hi[j] = -HUGE_VAL;
    }
    for (size_t i = 0; i < rows; i++)
        for (size_t j = 0; j < d; j++) {
            double v = dataset_transform(s->log[j], values[i * d + j]);
            if (v < lo[j]) lo[j] = v;
            if (v > hi[j]) hi[j] = v;
            mean[j] += v;
        }
    for (size_t j = 0; j < d; j++)
        mean[j] /= (double)rows;
    for (size_t i = 0; i < rows; i++)
        for (size_t j = 0; j < d; j++) {
            double e = dataset_transform(s->log[j], values[i * d + j]) - mean[j];
            var[j] += e * e;
        }
    for (size_t j = 0; j < d; j++) {
        double sd = sqrt(var[j] / (double)rows);
        if (fallback)
            fallback[j] = 0;
        if (!(hi[j] > lo[j])) {
            diag_set(diag, "feature %zu is constant", j + 1);
            goto done;
        }
        switch (s->kind) {
        case DATASET_Z:
            s->center[j] = mean[j];
            s->scale[j] = sd > 0 ? sd : hi[j] - lo[j];
            break;
        case DATASET_ROBUST:
            for (size_t i = 0; i < rows; i++)
                t[i] = dataset_transform(s->log[j], values[i * d + j]);
            gsl_sort(t, 1, rows);
            s->center[j] = gsl_stats_median_from_sorted_data(t, 1, rows);
            s->scale[j] = gsl_stats_quantile_from_sorted_data(t, 1, rows, 0.75) -
                          gsl_stats_quantile_from_sorted_data(t, 1, rows, 0.25);
            if (!(s->scale[j] > 0)) {
                s->scale[j] = sd > 0 ? sd : hi[j] - lo[j];
                if (fallback)
                    fallback[j] = 1;
            }
            break;
        case DATASET_MINMAX:
            s->center[j] = lo[j];
            s->scale[j] = hi[j] - lo[j];
            break;
        case DATASET_NONE:
            s->center[j] = 0;
            s->scale[j] = 1;
            break;
        }
    }
    status = 0;
done:
    free(lo);
    free(hi);
    free(mean);
    free(var);
    free(t);
    return status;
}

void dataset_scaling_apply(const struct dataset_scaling *s, const double *row, double *out)
{
    for (size_t j = 0; j < s->dims; j++)
        out[j] = (dataset_transform(s->log[j], row[j]) - s->center[j]) / s->scale[j];
}

char *dataset_skipped_text(size_t skipped, const char *input, char *out, size_t size)
{
    snprintf(out, size, "%s: %zu row%s skipped (a missing or non-numeric value; "
             "--strict makes it an error)", input && strcmp(input, "-") ? input : "stdin",
             skipped, skipped == 1 ? "" : "s");
    return out;
}
