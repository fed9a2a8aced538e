/* persona_table.c — writing cl-kmeans' tables (see persona_table.h): the
 * selection, the profiles, and the assignments on threads, each thread
 * formatting blocks of rows through its own csvout into memory. */
#include "persona_table.h"

#include <assert.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "parse.h"

#define BLOCK_ROWS 8192     /* rows a thread formats at a time */

const char *const persona_table_added[] = {
    "cluster", "distance", "pc1", "pc2", "label", NULL
};

int persona_table_is_added(const char *name)
{
    for (const char *const *r = persona_table_added; *r; r++)
        if (strcmp(name, *r) == 0)
            return 1;
    return 0;
}

void persona_table_header(struct csvout *out, const char *const *header, size_t columns)
{
    for (size_t c = 0; c < columns; c++)
        if (!persona_table_is_added(header[c]))
            csvout_text(out, header[c]);
    for (const char *const *r = persona_table_added; *r; r++)
        csvout_text(out, *r);
    csvout_end_row(out);
}

/* A real number handed on as an already formatted one: in CSV, the bytes
 * csvout_double writes; a workbook sink gets it as CSVOUT_NUMBER (a cell
 * whose decimals follow the text), as these tables always had. */
static void put_double(struct csvout *out, double value)
{
    char text[32];
    csvout_number(out, format_double(value, '.', text));
}

void persona_table_tail(struct csvout *out, int cluster, double distance, double pc1,
                        double pc2, const char *label)
{
    csvout_long(out, cluster + 1);
    put_double(out, distance);
    put_double(out, pc1);
    put_double(out, pc2);
    csvout_text(out, label);
    csvout_end_row(out);
}

void persona_table_select(struct csvout *out, const struct persona_selection *s)
{
    static const char *const header[] = {
        "k", "inertia", "silhouette", "calinski_harabasz", "davies_bouldin", "chosen",
        "silhouette_rows", NULL
    };
    for (const char *const *h = header; *h; h++)
        csvout_text(out, *h);
    csvout_end_row(out);
    for (size_t i = 0; i < s->count; i++) {
        csvout_long(out, (long long)s->ks[i]);
        put_double(out, s->results[i].inertia);
        put_double(out, s->silhouette[i]);
        put_double(out, s->ch[i]);
        put_double(out, s->db[i]);
        csvout_long(out, (long)i == s->chosen);
        csvout_long(out, (long long)s->silhouette_rows);
        csvout_end_row(out);
    }
}

void persona_table_profiles(struct csvout *out, const struct dataset *data,
                            const struct persona_profiles *p,
                            char (*labels)[PERSONA_LABEL_MAX])
{
    size_t d = data->dims;
    char name[600];
    assert(p->dims == d);
    csvout_text(out, "cluster");
    csvout_text(out, "size");
    csvout_text(out, "share");
    for (size_t j = 0; j < d; j++) {
        static const char *const suffix[] = { "mean", "median", "z" };
        for (int s = 0; s < 3; s++) {
            snprintf(name, sizeof name, "%s_%s", data->names[j], suffix[s]);
            csvout_text(out, name);
        }
    }
    if (p->revenue_share)
        csvout_text(out, "revenue_share");
    for (size_t t = 0; t < p->texts; t++) {
        snprintf(name, sizeof name, "%s_mode", data->header[data->text_columns[t]]);
        csvout_text(out, name);
    }
    csvout_text(out, "label");
    csvout_end_row(out);
    for (size_t c = 0; c < p->k; c++) {
        csvout_long(out, (long long)c + 1);
        csvout_long(out, (long long)p->size[c]);
        put_double(out, p->share[c]);
        for (size_t j = 0; j < d; j++) {
            put_double(out, p->mean[c * d + j]);
            put_double(out, p->median[c * d + j]);
            put_double(out, p->z[c * d + j]);
        }
        if (p->revenue_share)
            put_double(out, p->revenue_share[c]);
        for (size_t t = 0; t < p->texts; t++) {
            const char *mode = p->mode[c * p->texts + t];
            csvout_text(out, mode ? mode : "");
        }
        csvout_text(out, labels[c]);
        csvout_end_row(out);
    }
}

/* ---- the assignments ----------------------------------------------------- */

/* What an assignment row adds, computed in the rows' order (the fit's) and
 * kept together: the writer, in the input's order, reads one place per
 * row instead of the row's features, its label and its distance. */
struct row_tail {
    double distance, pc1, pc2;
    int cluster;
};

/* A block of rows one thread formats, appended to at each cell: on cache
 * lines of its own (buf.h), not on the line of the next block, which the
 * other thread may be formatting. */
struct block {
    _Alignas(BUF_LINES) struct buf rows;
};

struct assign_job {
    const struct persona_assignments *a;
    const struct row_tail *tails;   /* data->rows, in data's order */
    const int *skip;            /* input columns left out (their name is an added one) */
    const struct csvout *like;  /* the output: its dialect */
    char source_mark;           /* decimal mark of the input's cells */
    size_t first, blocks, next;
    struct block *out;          /* blocks */
    pthread_mutex_t lock;
};

/* Input row i as an assignment row: its cells (the key as text, the others
 * as numbers when they are plain ones), then the tail. *text: its fields;
 * on return, the next input row's (the rows' fields are kept one after the
 * other in the input's order: read in that order, they are read in turn). */
static void assignment_row(struct csvout *out, const struct assign_job *job, size_t i,
                           const char **text)
{
    const struct persona_assignments *a = job->a;
    const struct dataset *data = a->data;
    const char *s = *text;
    for (size_t c = 0; c < data->columns; c++, s += strlen(s) + 1)
        if (!job->skip[c])
            csvout_cell(out, s, c != 0);
    *text = s;
    const struct row_tail *t = &job->tails[i];
    persona_table_tail(out, t->cluster, t->distance, t->pc1, t->pc2, a->labels[t->cluster]);
}

static void *assign_worker(void *arg)
{
    struct assign_job *job = arg;
    const struct dataset *data = job->a->data;
    for (;;) {
        pthread_mutex_lock(&job->lock);
        size_t blk = job->next < job->blocks ? job->next++ : job->blocks;
        pthread_mutex_unlock(&job->lock);
        if (blk == job->blocks)
            return NULL;
        struct buf *b = &job->out[blk].rows;
        struct csvout out;
        buf_reset(b);
        csvout_init_mem(&out, b, job->like);
        csvout_source_mark(&out, job->source_mark);
        size_t start = job->first + blk * BLOCK_ROWS;
        size_t end = start + BLOCK_ROWS < data->rows ? start + BLOCK_ROWS : data->rows;
        const char *text = dataset_row_text(data, job->a->input_row[start]);
        for (size_t p = start; p < end; p++)
            assignment_row(&out, job, job->a->input_row[p], &text);
    }
}

int persona_table_assignments(struct csvout *out, const struct persona_assignments *a,
                              struct diag *diag)
{
    const struct dataset *data = a->data;
    int threads = a->threads > 0 ? a->threads : 1;
    size_t per_round = (size_t)threads * 4;
    int *skip = calloc(data->columns + 1, sizeof *skip);
    struct block *blocks = buf_lines_calloc(per_round, sizeof *blocks);
    pthread_t *ids = malloc((size_t)threads * sizeof *ids);
    struct row_tail *tails = malloc((data->rows + 1) * sizeof *tails);
    int rc = 0;
    if (!skip || !blocks || !ids || !tails) {
        rc = diag_set(diag, "out of memory");
        goto done;
    }
    for (size_t c = 0; c < data->columns; c++)
        skip[c] = persona_table_is_added(data->header[c]);
    for (size_t i = 0; i < data->rows; i++) {
        struct row_tail *t = &tails[i];
        kmeans_project(a->x + i * data->dims, data->dims, a->pca_mean, a->pca_axes, &t->pc1,
                       &t->pc2);
        t->distance = a->result->distance[i];
        t->cluster = a->result->labels[i];
    }
    for (size_t b = 0; b < per_round; b++)
        buf_init(&blocks[b].rows, 0);
    persona_table_header(out, (const char *const *)data->header, data->columns);
    struct assign_job job = {
        .a = a, .tails = tails, .skip = skip, .like = out, .out = blocks,
        .source_mark = data->mark ? data->mark : csvio_source_mark(data->delim),
    };
    if (out->sink_fn) {
        /* a workbook takes typed calls, not bytes: one row after the other,
         * in the input's order as the CSV */
        const char *text = data->rows ? dataset_row_text(data, a->input_row[0]) : NULL;
        for (size_t p = 0; p < data->rows; p++)
            assignment_row(out, &job, a->input_row[p], &text);
        goto done;
    }
    pthread_mutex_init(&job.lock, NULL);
    for (size_t first = 0; first < data->rows && rc == 0; first += per_round * BLOCK_ROWS) {
        size_t left = data->rows - first;
        job.first = first;
        job.blocks = (left + BLOCK_ROWS - 1) / BLOCK_ROWS;
        if (job.blocks > per_round)
            job.blocks = per_round;
        job.next = 0;
        int started = 0;
        for (int t = 1; t < threads && (size_t)t < job.blocks; t++)
            if (pthread_create(&ids[started], NULL, assign_worker, &job) == 0)
                started++;
        assign_worker(&job);
        for (int t = 0; t < started; t++)
            pthread_join(ids[t], NULL);
        for (size_t b = 0; b < job.blocks && rc == 0; b++) {
            if (blocks[b].rows.failed)
                rc = diag_set(diag, "out of memory");
            else
                fwrite(blocks[b].rows.data, 1, blocks[b].rows.len, out->fp);
        }
    }
    pthread_mutex_destroy(&job.lock);
done:
    for (size_t b = 0; blocks && b < per_round; b++)
        buf_free(&blocks[b].rows);
    free(blocks);
    free(skip);
    free(ids);
    free(tails);
    return rc;
}

/* ---- a saved model's assignments ------------------------------------------ */

#define MODEL_BATCH 262144  /* rows read before they are formatted, on two threads */

/* Rows of a saved model's assignments read and not yet written: their
 * kept cells (NUL-ended, one after the other) and their tails. */
struct model_rows {
    char *text;
    size_t len, cap;
    size_t *start;              /* MODEL_BATCH: where each row's cells start */
    struct row_tail *tails;     /* MODEL_BATCH */
    size_t rows;
    size_t cells;               /* cells kept per row */
    const int *as_number;       /* cells: copied as a number when plain */
    char (*labels)[PERSONA_LABEL_MAX];
};

/* Rows [from, to) of the batch to out (csvout_rows_fn): the cells as one
 * span when csvout_span can, else one by one, then the tail. */
static void model_rows_write(void *arg, struct csvout *out, size_t from, size_t to)
{
    const struct model_rows *b = arg;
    const char **cells = malloc((b->cells + 1) * sizeof *cells);
    for (size_t i = from; i < to; i++) {
        const char *s = b->text + b->start[i];
        for (size_t c = 0; c < b->cells; c++, s += strlen(s) + 1) {
            if (cells)
                cells[c] = s;
            else
                csvout_cell(out, s, b->as_number[c]);
        }
        if (cells && !csvout_span(out, cells, b->cells))
            for (size_t c = 0; c < b->cells; c++)
                csvout_cell(out, cells[c], b->as_number[c]);
        const struct row_tail *t = &b->tails[i];
        persona_table_tail(out, t->cluster, t->distance, t->pc1, t->pc2,
                           b->labels[t->cluster]);
    }
    free(cells);
}

/* Write the rows of the batch, in order, and empty it. */
static void model_rows_flush(struct csvout *out, struct model_rows *b)
{
    size_t done = csvout_rows_parallel(out, b->rows, model_rows_write, b);
    model_rows_write(b, out, done, b->rows);
    b->rows = 0;
    b->len = 0;
}

int persona_table_assign_model(struct csvout *out, const struct persona_model *model,
                               const char *input, const struct dataset_read_options *ro,
                               enum l10n_lang lang, struct dataset_builder *keep,
                               struct dataset *table, size_t *skipped, struct diag *diag)
{
    size_t d = model->scaling.dims, k = model->k;
    *skipped = 0;
    dataset_reader *reader = dataset_reader_open(input, ro, diag);
    if (!reader)
        return -1;
    if (keep && dataset_builder_start(keep, table, reader, diag) != 0) {
        dataset_reader_close(reader);
        return -1;
    }
    const csvin *in = dataset_reader_csv(reader);
    size_t columns = csvin_columns(in);
    struct model_rows b;
    memset(&b, 0, sizeof b);
    b.labels = malloc(k * sizeof *b.labels);
    b.start = malloc(MODEL_BATCH * sizeof *b.start);
    b.tails = malloc(MODEL_BATCH * sizeof *b.tails);
    double *raw = malloc(d * sizeof *raw), *scaled = malloc(d * sizeof *scaled);
    const char **header = malloc(columns * sizeof *header);
    size_t *kept = malloc((columns + 1) * sizeof *kept);     /* input column of each cell */
    int *as_number = malloc((columns + 1) * sizeof *as_number);
    int rc = 0, got = 0;
    if (!b.labels || !b.start || !b.tails || !raw || !scaled || !header || !kept ||
        !as_number) {
        rc = diag_set(diag, "out of memory");
        goto done;
    }
    for (size_t j = 0; j < k; j++)
        persona_label((const char *const *)model->names, model->z + j * d, d, lang,
                      b.labels[j], PERSONA_LABEL_MAX);
    for (size_t c = 0; c < columns; c++) {
        header[c] = csvin_column_name(in, c);
        if (!persona_table_is_added(header[c])) {
            kept[b.cells] = c;
            as_number[b.cells++] = c != 0;      /* the key as text */
        }
    }
    b.as_number = as_number;
    persona_table_header(out, header, columns);
    csvout_source_mark(out, ro->mark ? ro->mark : csvio_source_mark(csvin_delim(in)));
    double revenue = 0;
    while ((got = dataset_reader_next(reader, raw, &revenue, diag)) > 0) {
        dataset_scaling_apply(&model->scaling, raw, scaled);
        struct row_tail *t = &b.tails[b.rows];
        t->cluster = kmeans_nearest(scaled, d, model->centers, k, &t->distance);
        kmeans_project(scaled, d, model->pca_mean, model->pca_axes, &t->pc1, &t->pc2);
        if (!isfinite(t->distance) || !isfinite(t->pc1) || !isfinite(t->pc2)) {
            rc = diag_set(diag, "%s:%ld: a feature is too large: its distance to the centres "
                          "passes the largest number (1.8e308)", csvin_name(in),
                          dataset_reader_line(reader));
            goto done;
        }
        if (keep && !isnan(revenue) && dataset_builder_add(keep, reader, raw, revenue) != 0) {
            rc = diag_set(diag, "out of memory");
            goto done;
        }
        b.start[b.rows] = b.len;
        for (size_t c = 0; c < b.cells; c++) {
            size_t len;
            const char *field = dataset_reader_field(reader, kept[c], &len);
            if (b.len + len + 1 > b.cap) {
                size_t cap = b.cap ? b.cap * 2 : 1 << 20;
                while (cap < b.len + len + 1)
                    cap *= 2;
                char *p = realloc(b.text, cap);
                if (!p) {
                    rc = diag_set(diag, "out of memory");
                    goto done;
                }
                b.text = p;
                b.cap = cap;
            }
            memcpy(b.text + b.len, field, len);
            b.len += len;
            b.text[b.len++] = '\0';
        }
        if (++b.rows == MODEL_BATCH)
            model_rows_flush(out, &b);
    }
    if (got < 0)
        rc = -1;
    *skipped = dataset_reader_skipped(reader);
    if (keep)
        table->skipped = *skipped + dataset_reader_revenue_skipped(reader);
done:
    /* the rows before an error too, as when each was written once read */
    if (b.start && b.tails)
        model_rows_flush(out, &b);
    free(header);
    free(kept);
    free(as_number);
    free(b.labels);
    free(b.start);
    free(b.tails);
    free(b.text);
    free(raw);
    free(scaled);
    dataset_reader_close(reader);
    return rc;
}
