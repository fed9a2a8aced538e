/* score_table — cl-score's tables: the criteria read, the usable rows, the
 * normalized values or quintiles per criterion, the scored rows and the
 * RFM segment table, written through a struct csvout. */
#include "score_table.h"

#include <assert.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "parse.h"

static const char *const rfm_added[] = { "r", "f", "m", "rfm", "segment" };

int score_table_init(struct score_table *s, const struct table *t,
                     const struct score_grid *grid, const long *cols, size_t count,
                     struct diag *diag)
{
    memset(s, 0, sizeof *s);
    assert(count <= SCORE_MAX_CRITERIA && (grid || count == SCORE_RFM_CRITERIA));
    s->t = t;
    s->grid = grid;
    s->count = count;
    memcpy(s->cols, cols, count * sizeof *cols);
    size_t added = grid ? count + 1 : sizeof rfm_added / sizeof *rfm_added;
    for (size_t k = 0; k < added; k++) {
        const char *name = grid ? (k < count ? t->header[cols[k]] : "score") : rfm_added[k];
        int prefix = grid && k < count;
        s->added[k] = malloc(strlen(name) + 3);
        if (!s->added[k])
            return diag_set(diag, "out of memory");
        sprintf(s->added[k], "%s%s", prefix ? "n_" : "", name);
        s->added_count++;
    }
    for (size_t k = 0; k < s->added_count; k++)
        if (table_find(t, s->added[k]) >= 0)
            return diag_set(diag, "%s: the input has a column \"%s\" already", t->name,
                            s->added[k]);
    return 0;
}

/* ---- the criteria on two threads ------------------------------------- */

/* One criterion's work: read its column, or rank it (scratch: the packed
 * values of n usable rows, and their scaled ones, for the grid). */
typedef int (*criterion_fn)(struct score_table *s, size_t k, double *packed, int64_t *scaled,
                            struct diag *diag);
struct criteria_job {
    struct score_table *s;
    criterion_fn fn;
    size_t first, step;                     /* this thread's: first, first + step... */
    int scratch;                            /* fn wants packed and scaled */
    int rc[SCORE_MAX_CRITERIA];
    struct diag diag[SCORE_MAX_CRITERIA];
};

static void *criteria_some(void *arg)
{
    struct criteria_job *job = arg;
    struct score_table *s = job->s;
    size_t first = job->first, stride = s->stride ? s->stride : 1;
    double *packed = NULL;
    int64_t *scaled = NULL;
    if (job->scratch) {     /* of its own, for n usable rows */
        packed = buf_block_alloc(stride * sizeof *packed);
        scaled = buf_block_alloc(stride * sizeof *scaled);
    }
    for (size_t k = first; k < s->count; k += job->step) {
        if (job->scratch && (!packed || !scaled))
            job->rc[k] = diag_set(&job->diag[k], "out of memory");
        else
            job->rc[k] = job->fn(s, k, packed, scaled, &job->diag[k]);
        if (job->rc[k] != 0)
            break;      /* the later ones are not needed */
    }
    buf_block_free(packed);
    buf_block_free(scaled);
    return NULL;
}

/* fn for every criterion: the even ones here, the odd ones on a second
 * thread (with threads != 1 and two criteria or more; scratch: each thread
 * has its own packed values). @return 0, or -1 with the diag of the first
 * criterion that failed (as in sequence). */
static int for_each_criterion(struct score_table *s, criterion_fn fn, int scratch,
                              struct diag *diag)
{
    struct criteria_job *jobs = calloc(2, sizeof *jobs);
    if (!jobs)
        return diag_set(diag, "out of memory");
    int two = s->threads != 1 && s->count > 1;
    pthread_t thread;
    for (int j = 0; j < 2; j++)
        jobs[j] = (struct criteria_job){ .s = s, .fn = fn, .first = two ? (size_t)j : 0,
                                         .step = two ? 2 : 1, .scratch = scratch };
    int running = two && pthread_create(&thread, NULL, criteria_some, &jobs[1]) == 0;
    criteria_some(&jobs[0]);
    if (running)
        pthread_join(thread, NULL);
    else if (two)
        criteria_some(&jobs[1]);
    int rc = 0;
    for (size_t k = 0; k < s->count && rc == 0; k++) {
        const struct criteria_job *job = &jobs[two ? k % 2 : 0];
        if (job->rc[k] != 0) {
            *diag = job->diag[k];
            rc = -1;
        }
    }
    free(jobs);
    return rc;
}

static int read_criterion(struct score_table *s, size_t k, double *packed, int64_t *scaled,
                          struct diag *diag)
{
    (void)packed;
    (void)scaled;
    return pareto_column_read_mark(&s->values[k], s->t, (size_t)s->cols[k], s->mark, diag);
}

int score_table_read(struct score_table *s, struct diag *diag)
{
    const struct table *t = s->t;
    if (for_each_criterion(s, read_criterion, 0, diag) != 0)
        return -1;
    s->usable = buf_huge(malloc(t->rows ? t->rows : 1), t->rows ? t->rows : 1);
    if (!s->usable)
        return diag_set(diag, "out of memory");
    s->n = 0;
    for (size_t i = 0; i < t->rows; i++) {
        s->usable[i] = 1;
        for (size_t k = 0; k < s->count; k++)
            if (s->values[k].status[i] != PARSE_OK)
                s->usable[i] = 0;
        s->n += s->usable[i];
    }
    return 0;
}

const char *score_table_problem(const struct score_table *s, size_t i, char *problem,
                                size_t size)
{
    assert(i < s->t->rows && !s->usable[i]);
    for (size_t k = 0; k < s->count; k++) {
        enum parse_status st = s->values[k].status[i];
        if (st == PARSE_OK)
            continue;
        size_t col = (size_t)s->cols[k];
        return parse_value_problem(s->t->header[col], table_cell(s->t, i, col), st, problem,
                                   size);
    }
    return problem;     /* not reached: the row is not usable */
}

/* The usable values of one column, packed: doubles, and scaled integers
 * when the column is exact money (then *scaled_out is set, else NULL). */
static void pack(const struct pareto_column *c, const unsigned char *usable, size_t rows,
                 double *values, int64_t *scaled, const int64_t **scaled_out)
{
    size_t j = 0;
    for (size_t i = 0; i < rows; i++)
        if (usable[i]) {
            values[j] = c->value[i];
            scaled[j] = c->scaled[i];
            j++;
        }
    *scaled_out = c->exact ? scaled : NULL;
}

/* The grid's criterion k normalized. */
static int normalize_criterion(struct score_table *s, size_t k, double *packed, int64_t *scaled,
                               struct diag *diag)
{
    const int64_t *exact;
    pack(&s->values[k], s->usable, s->t->rows, packed, scaled, &exact);
    return score_normalize(packed, exact, s->n, s->method, s->grid->criteria[k].lower_better,
                           s->normalized + k * s->stride, diag);
}

/* RFM's criterion k cut into quintiles: score_quintiles' scores from the
 * column itself, without a packed copy of its usable values, their sort
 * entries or midranks (5 M clients: 280 MB a thread). */
static int quintile_criterion(struct score_table *s, size_t k, double *packed,
                              int64_t *scratch_scaled, struct diag *diag)
{
    (void)packed;
    (void)scratch_scaled;
    const struct pareto_column *c = &s->values[k];
    const unsigned char *usable = s->usable;
    const int64_t *scaled = c->exact ? c->scaled : NULL;
    size_t rows = s->t->rows;
    struct score_cuts cuts;
    if (score_quintile_cuts(c->value, scaled, usable, rows, k == 0, &cuts, diag) != 0)
        return -1;
    unsigned char *out = s->quintile + k * s->stride;
    size_t j = 0;
    for (size_t i = 0; i < rows; i++)
        if (usable[i])
            out[j++] = score_quintile_of(&cuts, score_key(c->value, scaled, i));
    assert(j == s->n);
    return 0;
}

int score_table_compute(struct score_table *s, enum score_normalize method, struct diag *diag)
{
    s->stride = s->n ? s->n : 1;
    size_t stride = s->stride;
    s->method = method;
    /* the grid's normalized values, or RFM's quintiles: the other is not used */
    if (s->grid)
        s->normalized = buf_huge(malloc(stride * s->count * sizeof *s->normalized),
                                 stride * s->count * sizeof *s->normalized);
    else
        s->quintile = buf_huge(malloc(stride * s->count), stride * s->count);
    if (s->grid ? !s->normalized : !s->quintile)
        return diag_set(diag, "out of memory");
    int rc = s->grid ? for_each_criterion(s, normalize_criterion, 1, diag)
                     : for_each_criterion(s, quintile_criterion, 0, diag);
    buf_block_release();    /* the sorts' scratch, kept from one criterion to the next */
    return rc;
}

/* Row i (the j-th usable one) into its segment's totals. */
static int add_to_segment(struct score_table *s, const char *segment, size_t i,
                          struct diag *diag)
{
    struct score_segment_totals *g = &s->segment[score_segment_rank(segment)];
    g->clients++;
    g->value += s->values[2].value[i];
    if (__builtin_add_overflow(g->scaled, s->values[2].scaled[i], &g->scaled))
        return diag_set(diag, "%s: the monetary total goes beyond 64 bits", s->t->name);
    g->recency += s->values[0].value[i];
    g->frequency += s->values[1].value[i];
    return 0;
}

/* The scored rows of the usable rows [from, to) (j counts usable rows;
 * row_of[j] is its row of t, or NULL: j is i). */
struct score_rows {
    const struct score_table *s;
    const size_t *row_of;
};

/* cells: room for a row's cell pointers (t->columns), or NULL (out of
 * memory: the cells are written one by one). */
static void write_row(const struct score_table *s, struct csvout *out, size_t i, size_t j,
                      const char **cells)
{
    const struct table *t = s->t;
    size_t stride = s->stride;
    double row_normalized[SCORE_MAX_CRITERIA];
    if (cells)
        table_row(t, i, cells);
    if (!cells || !csvout_span(out, cells, t->columns))
        for (size_t c = 0; c < t->columns; c++)
            csvout_cell(out, table_cell(t, i, c), c != 0);
    if (s->grid) {
        for (size_t k = 0; k < s->count; k++) {
            row_normalized[k] = s->normalized[k * stride + j];
            csvout_double(out, row_normalized[k]);
        }
        csvout_double(out, score_grid_score(s->grid, row_normalized));
    } else {
        int r = s->quintile[j], f = s->quintile[stride + j];
        int m = s->quintile[2 * stride + j];
        char rfm[4] = { (char)('0' + r), (char)('0' + f), (char)('0' + m), '\0' };
        csvout_long(out, r);
        csvout_long(out, f);
        csvout_long(out, m);
        csvout_text(out, rfm);
        csvout_text(out, score_segment(r, f, m));
    }
    csvout_end_row(out);
}

static void write_rows_block(void *arg, struct csvout *out, size_t from, size_t to)
{
    const struct score_rows *rows = arg;
    const char **cells = malloc(rows->s->t->columns * sizeof *cells);
    for (size_t j = from; j < to; j++)
        write_row(rows->s, out, rows->row_of ? rows->row_of[j] : j, j, cells);
    free(cells);
}

/* The segments' totals first, in row order (their sums are the same), then
 * the rows, by two threads when they go to a FILE and are many. */
int score_table_write(struct score_table *s, struct csvout *out_, struct diag *diag)
{
    const struct table *t = s->t;
    struct csvout_batch batch;
    struct csvout *out = csvout_batch_start(&batch, out_);
    for (size_t c = 0; c < t->columns; c++)
        csvout_text(out, t->header[c]);
    for (size_t k = 0; k < s->added_count; k++)
        csvout_text(out, s->added[k]);
    csvout_end_row(out);
    memset(s->segment, 0, sizeof s->segment);
    size_t *row_of = s->n < t->rows ? buf_huge(malloc(s->n * sizeof *row_of),
                                               s->n * sizeof *row_of) : NULL;
    for (size_t i = 0, j = 0; i < t->rows; i++) {
        if (!s->usable[i])
            continue;
        assert(j < s->n);
        if (row_of)
            row_of[j] = i;
        if (!s->grid) {
            size_t stride = s->stride;
            const char *name = score_segment(s->quintile[j], s->quintile[stride + j],
                                             s->quintile[2 * stride + j]);
            if (add_to_segment(s, name, i, diag) != 0) {
                free(row_of);
                csvout_batch_end(&batch);
                return -1;
            }
        }
        j++;
    }
    size_t done = 0;    /* usable rows written by two threads */
    if (out != out_ && (row_of || s->n == t->rows)) {
        csvout_batch_end(&batch);       /* the header */
        struct score_rows rows = { s, row_of };
        done = csvout_rows_parallel(out_, s->n, write_rows_block, &rows);
        out = csvout_batch_start(&batch, out_);
    }
    const char **cells = malloc(t->columns * sizeof *cells);
    for (size_t i = 0, j = 0; i < t->rows; i++) {
        if (!s->usable[i])
            continue;
        if (j >= done) {
            write_row(s, out, i, j, cells);
            csvout_batch_row(&batch);
        }
        j++;
    }
    free(cells);
    free(row_of);
    csvout_batch_end(&batch);
    return 0;
}

int score_table_segments(const struct score_table *s, struct csvout *out, struct diag *diag)
{
    const struct table *t = s->t;
    const struct pareto_column *monetary = &s->values[2];
    const struct score_segment_totals *seg = s->segment;
    assert(!s->grid);
    size_t clients = 0;
    int64_t scaled = 0;
    double value = 0;
    for (size_t g = 0; g < SCORE_SEGMENTS; g++) {
        clients += seg[g].clients;
        value += seg[g].value;
        if (__builtin_add_overflow(scaled, seg[g].scaled, &scaled))
            return diag_set(diag, "%s: the monetary total goes beyond 64 bits", t->name);
    }
    double total = monetary->exact ? (double)scaled / MONEY_SCALE : value;
    char name[3][256];
    snprintf(name[0], sizeof name[0], "%s_mean", t->header[s->cols[0]]);
    snprintf(name[1], sizeof name[1], "%s_mean", t->header[s->cols[1]]);
    snprintf(name[2], sizeof name[2], "%s_share", t->header[s->cols[2]]);
    const char *header[] = { "segment", "clients", "clients_share", t->header[s->cols[2]],
                             name[2], name[0], name[1] };
    for (size_t c = 0; c < sizeof header / sizeof *header; c++)
        csvout_text(out, header[c]);
    csvout_end_row(out);
    for (size_t g = 0; g < SCORE_SEGMENTS; g++) {
        const struct score_segment_totals *row = &seg[g];
        if (row->clients == 0)
            continue;
        double part = monetary->exact ? (double)row->scaled / MONEY_SCALE : row->value;
        csvout_text(out, score_segment_name((int)g));
        csvout_long(out, (long long)row->clients);
        csvout_double(out, (double)row->clients / (double)clients);
        if (monetary->exact)
            csvout_money(out, row->scaled, monetary->decimals < 2 ? 2 : monetary->decimals);
        else
            csvout_double(out, row->value);
        if (total > 0)
            csvout_double(out, part / total);
        else
            csvout_empty(out);
        csvout_double(out, row->recency / (double)row->clients);
        csvout_double(out, row->frequency / (double)row->clients);
        csvout_end_row(out);
    }
    return 0;
}

void score_table_free(struct score_table *s)
{
    if (!s)
        return;
    for (size_t k = 0; k < s->count; k++)
        pareto_column_free(&s->values[k]);
    for (size_t k = 0; k < s->added_count; k++)
        free(s->added[k]);
    free(s->usable);
    free(s->normalized);
    free(s->quintile);
    memset(s, 0, sizeof *s);
}
