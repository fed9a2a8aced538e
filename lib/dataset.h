/* dataset — numeric features read from a CSV, their transforms and their
 * scaling, for clustering.
 *
 * Reading streams the CSV (a regular file through the lean scanner, else
 * csvin) and converts each feature field straight
 * into a contiguous row-major array of doubles; the other fields of a row
 * are kept as text only when asked (for output that repeats the input).
 * A row whose feature (or revenue) value is missing or not a number is an
 * error with --strict, else skipped and counted, each skip reported
 * through the warn callback ("file:line: ..."), never silently.
 *
 * Transform: --log applies sign(x)·log(1 + |x|), which is log1p for x >= 0
 * and stays defined for returns (negative money). Scaling maps each
 * transformed feature t to (t - center) / scale:
 *   z       center = mean, scale = standard deviation (divided by n)
 *   robust  center = median, scale = interquartile range (Q3 - Q1)
 *   minmax  center = minimum, scale = maximum - minimum
 *   none    center = 0, scale = 1 */
#ifndef CL_DATASET_H
#define CL_DATASET_H

#include <stddef.h>

#include "csvin.h"
#include "diag.h"

enum dataset_scale { DATASET_Z, DATASET_ROBUST, DATASET_MINMAX, DATASET_NONE };

/* "z", "robust", "minmax", "none". */
const char *dataset_scale_name(enum dataset_scale scale);
/* @return 0 and *scale, or -1 for an unknown name. */
int dataset_scale_parse(const char *name, enum dataset_scale *scale);

/* Warnings from the library: one line, "file:line: ..." when placed. */
typedef void dataset_warn_fn(void *context, const char *message);

struct dataset_read_options {
    char delim;                     /* 0: sniffed */
    char mark;                      /* decimal mark of every column: ',' or '.';
                                       0: each column's learnt from its values */
    const char *const *features;    /* column names; NULL: every column but the
                                       first whose first data row is a number */
    size_t feature_count;
    const char *const *text;        /* columns kept as text (e.g. --describe) */
    size_t text_count;
    const char *revenue;            /* a money column for shares; NULL: none */
    const char *const *revenue_aliases; /* when revenue is NULL: a column with one
                                       of these names, if any, is the revenue */
    int keep_fields;                /* keep every field of every row */
    const char *revenue_note;       /* non-NULL: a bad revenue does not skip the
                                       row (unless strict): it comes with its
                                       revenue NaN, its warning ends with
                                       "(row NOTE)" (cl-kmeans --also profiles) */
    int strict;                     /* a bad value is an error, not a skip */
    dataset_warn_fn *warn;         /* may be NULL */
    void *warn_context;
    size_t warn_max;                /* skips reported one by one (then counted) */
};

/* ---- streaming ------------------------------------------------------- */

typedef struct dataset_reader dataset_reader;

/* Open the CSV and find the columns. @return the reader (close with
 * dataset_reader_close) or NULL with diag set. */
dataset_reader *dataset_reader_open(const char *path, const struct dataset_read_options *options,
                                      struct diag *diag);
size_t dataset_reader_dims(const dataset_reader *reader);
const char *dataset_reader_name(const dataset_reader *reader, size_t feature);
/* The underlying CSV: its name, delimiter and header. */
const csvin *dataset_reader_csv(const dataset_reader *reader);
/* Field c of the row just read (not NUL-terminated: *len bytes), and its
 * first physical line: the reader's own, whether libcsv or the lean
 * scanner read the row. */
const char *dataset_reader_field(const dataset_reader *reader, size_t c, size_t *len);
long dataset_reader_line(const dataset_reader *reader);
long dataset_reader_text_column(const dataset_reader *reader, size_t i);  /* or -1 */
int dataset_reader_has_revenue(const dataset_reader *reader);

/* Read the next usable row: its features (dims values, as read) and its
 * revenue (when there is a revenue column; may be NULL).
 * @return 1 a row, 0 end of input, -1 error (diag set). */
int dataset_reader_next(dataset_reader *reader, double *values, double *revenue,
                         struct diag *diag);
size_t dataset_reader_skipped(const dataset_reader *reader);   /* rows skipped so far */
/* Rows given with a NaN revenue so far (options.revenue_note). */
size_t dataset_reader_revenue_skipped(const dataset_reader *reader);
void dataset_reader_close(dataset_reader *reader);             /* accepts NULL */

/* ---- a whole table ---------------------------------------------------- */

struct dataset {
    size_t rows, dims;
    char **names;           /* dims feature names, owned */
    double *values;         /* rows × dims, row-major, as read, owned */
    double *revenue;        /* rows, or NULL */
    long *lines;            /* physical line of each row, owned */
    size_t columns;         /* input header */
    char **header;          /* columns names, owned */
    size_t kept;            /* fields kept per row: columns (keep_fields),
                               else text_count */
    char *text;             /* the kept fields, each NUL-terminated, row after
                               row in the input's order with nothing between */
    size_t *text_start;     /* rows: where each row's kept fields start */
    size_t texts;           /* text columns asked for (options.text_count) */
    long *text_columns;     /* texts: input column of each text column */
    int all_fields;         /* the kept fields are all the columns */
    size_t skipped;         /* rows skipped for a bad value */
    char delim;             /* the input's delimiter (';': cells with a decimal comma) */
    char mark;              /* the decimal mark the options gave, or 0 */
};

/* Read a whole CSV. @return 0, or -1 with diag set; free with
 * features_free (also after a failure). */
int dataset_read(struct dataset *dataset, const char *path,
                  const struct dataset_read_options *options, struct diag *diag);
void dataset_free(struct dataset *dataset);   /* accepts a zeroed struct */

/* A table filled row by row from a reader the caller reads (one read for
 * two uses: cl-kmeans --model --also profiles): the rows dataset_read
 * would give under the reader's options but keep_fields 0 (only the text
 * columns kept), from the rows the caller adds. */
struct dataset_builder {
    struct dataset *dataset;
    size_t cap_text, text_len, cap_values, cap_lines, cap_starts, cap_revenue;
};
/* Start an empty table of reader's columns. @return 0, or -1 with diag set
 * (free the dataset with dataset_free). */
int dataset_builder_start(struct dataset_builder *builder, struct dataset *dataset,
                          const dataset_reader *reader, struct diag *diag);
/* Add the row the reader has just read, values its features. @return 0,
 * or -1 out of memory. */
int dataset_builder_add(struct dataset_builder *builder, const dataset_reader *reader,
                        const double *values, double revenue);

/* The kept fields of a row, one after the other, each NUL-terminated. */
static inline const char *dataset_row_text(const struct dataset *f, size_t row)
{
    return f->text + f->text_start[row];
}

/* Put the rows in an order of their content alone: by feature values, then
 * revenue, then kept fields (byte order), so that every result computed
 * from the rows (k-means++ picks, sums, samples, ties) is the same however
 * the input was ordered. input_row[p] (owned by the caller) receives the
 * new index of the p-th row read, to write rows back in the input's order.
 * @return 0, or -1 out of memory (nothing changed). */
int dataset_sort_rows(struct dataset *dataset, size_t **input_row);

/* Drop the features whose keep[j] is 0 (values compacted in place). */
void dataset_drop(struct dataset *dataset, const int *keep);

/* ---- transforms and scaling -------------------------------------------- */

/* sign(x)·log(1 + |x|) when log, else x. */
double dataset_transform(int log, double x);

struct dataset_scaling {
    size_t dims;
    enum dataset_scale kind;
    int *log;               /* dims: 1 when --log applies, owned */
    double *center;         /* dims, owned */
    double *scale;          /* dims, owned; never 0 */
};

int dataset_scaling_init(struct dataset_scaling *scaling, size_t dims);   /* -1: out of memory */
void dataset_scaling_free(struct dataset_scaling *scaling);             /* accepts zeroed */

/* Is feature j constant after its transform? */
int dataset_constant(const double *values, size_t rows, size_t dims, size_t j);

/* The first row where a sum the fit or the profiles make (of the raw
 * values, of the transformed ones, their range, their squared deviations)
 * passes the largest double, *feature its feature; -1 when none does.
 * Values near 1.8e308 would otherwise give NaN centres and distances. */
long dataset_overflow_row(const struct dataset_scaling *scaling, const double *values,
                          size_t rows, size_t *feature);

/* Fit the centers and scales of the (already set) log flags and kind on
 * rows × dims raw values. A feature whose robust scale (IQR) is 0 while
 * the feature is not constant falls back to its standard deviation and
 * sets fallback[j] (fallback may be NULL).
 * @return 0, or -1 with diag set (a constant feature, out of memory). */
int dataset_scaling_fit(struct dataset_scaling *scaling, const double *values, size_t rows,
                         int *fallback, struct diag *diag);

/* Transform and scale one row (dims values) into out. */
void dataset_scaling_apply(const struct dataset_scaling *scaling, const double *row,
                            double *out);



/* The warning for rows skipped while reading `input` ("-" or NULL:
 * stdin): "FILE: N rows skipped (a missing or non-numeric value; --strict
 * makes it an error)". @return out. */
char *dataset_skipped_text(size_t skipped, const char *input, char *out, size_t size);

#endif
