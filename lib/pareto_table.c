/* pareto_table.c — writing cl-pareto's tables (see pareto_table.h), its
 * groups, and reading a previous period's output back. */
#include "pareto_table.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "columns.h"
#include "hashtab.h"
#include "parse.h"

const char *const pareto_table_added[] = {
    "rank", "share", "cum_share", "cum_clients_share", "class", "previous_class", NULL
};

static long find_column(const struct table *t, const char *name, const char *role,
                        struct diag *diag)
{
    return columns_find((const char *const *)t->header, t->columns, name, NULL, role, 1,
                        t->name, diag);
}

static void write_ratio(struct csvout *out, double value)
{
    if (isnan(value))
        csvout_empty(out);
    else
        csvout_double(out, value);
}

static void write_class(struct csvout *out, char letter)
{
    char text[2] = { letter, '\0' };
    csvout_text(out, text);
}

/* ---- one row per key, checked beside the reading ----------------------- */

static void *unique_thread(void *arg)
{
    struct pareto_unique_check *check = arg;
    check->status = table_check_unique(check->t, check->key_col, check->group_col,
                                       check->program, &check->diag);
    return NULL;
}

void pareto_unique_start(struct pareto_unique_check *check, const struct table *t,
                         size_t key_col, long group_col, const char *program)
{
    *check = (struct pareto_unique_check){ .t = t, .key_col = key_col, .group_col = group_col,
                                           .program = program };
    check->started = pthread_create(&check->thread, NULL, unique_thread, check) == 0;
}

int pareto_unique_finish(struct pareto_unique_check *check, struct diag *diag)
{
    if (check->started)
        pthread_join(check->thread, NULL);
    else if (!check->finished)
        unique_thread(check);
    check->started = 0;
    check->finished = 1;
    if (check->status != 0 && diag)
        *diag = check->diag;
    return check->status;
}

/* ---- the previous period --------------------------------------------- */

int pareto_table_previous(struct table *t, struct pareto_previous *previous, const char *path,
                          char delim, const char *key_name, const char *group_name,
                          struct diag *diag)
{
    if (table_load(t, path, delim, diag) != 0)
        return -1;
    long key = find_column(t, key_name, "key", diag);
    long class_col = key < 0 ? -1 : find_column(t, "class", "class", diag);
    long group = class_col < 0 || !group_name ? -1 : find_column(t, group_name, "group", diag);
    if (key < 0 || class_col < 0 || (group_name && group < 0))
        return -1;
    previous->count = t->rows;
    previous->entries = calloc(t->rows ? t->rows : 1, sizeof *previous->entries);
    if (!previous->entries)
        return diag_set(diag, "out of memory");
    for (size_t i = 0; i < t->rows; i++) {
        struct pareto_previous_entry *e = &previous->entries[i];
        const char *cls = table_cell(t, i, (size_t)class_col);
        char quoted[64];
        e->key = table_cell(t, i, (size_t)key);
        e->group = group >= 0 ? table_cell(t, i, (size_t)group) : "";
        e->line = t->lines[i];
        e->class_letter = pareto_class_parse(cls);
        if (!e->class_letter)
            return diag_set(diag, "%s:%ld: class \"%s\" is not a class (A to Z, or -)",
                            t->name, e->line, diag_quote(cls, strlen(cls), quoted, sizeof quoted));
        if (e->key[0] == '\0')
            return diag_set(diag, "%s:%ld: the key is empty", t->name, e->line);
    }
    return pareto_previous_index(previous, t->name, diag);
}

/* ---- groups ---------------------------------------------------------- */

static int compare_group_name(const void *a, const void *b)
{
    return strcmp(((const struct pareto_group *)a)->name, ((const struct pareto_group *)b)->name);
}

struct pareto_group *pareto_table_groups(const struct pareto_item *items, size_t n,
                                         const struct pareto_previous *previous, int grouped,
                                         size_t *count, struct diag *diag)
{
    size_t cap = 1 + (previous ? previous->count : 0);
    for (size_t i = 1; i < n; i++)
        if (strcmp(items[i].group, items[i - 1].group) != 0)
            cap++;
    struct pareto_group *groups = calloc(cap, sizeof *groups);
    if (!groups) {
        diag_set(diag, "out of memory");
        return NULL;
    }
    size_t g = 0;
    for (size_t i = 0; i < n; i++) {
        if (i == 0 || strcmp(items[i].group, items[i - 1].group) != 0)
            groups[g++] = (struct pareto_group){ .name = items[i].group, .first = i };
        groups[g - 1].count++;
    }
    if (!grouped && g == 0)
        groups[g++] = (struct pareto_group){ .name = "" };
    size_t current = g;
    for (size_t i = 0; grouped && previous && i < previous->count; i++) {
        const char *name = previous->entries[i].group;
        if (i > 0 && strcmp(name, previous->entries[i - 1].group) == 0)
            continue;
        struct pareto_group want = { .name = name };
        if (!bsearch(&want, groups, current, sizeof *groups, compare_group_name))
            groups[g++] = (struct pareto_group){ .name = name, .first = n };
    }
    qsort(groups, g, sizeof *groups, compare_group_name);
    *count = g;
    return groups;
}

/* ---- output ---------------------------------------------------------- */

static void write_money(struct csvout *out, const struct pareto_summary *s,
                        int64_t scaled, long double value)
{
    if (s->exact && s->totals_fit)
        csvout_money(out, scaled, s->decimals);
    else
        csvout_double(out, (double)value);
}

static void write_summary(struct csvout *out, const struct pareto_group *g, int grouped,
                          int with_previous)
{
    const struct pareto_summary *s = &g->summary;
    char name[64];
#define START(...) do { if (grouped) csvout_text(out, g->name); \
        snprintf(name, sizeof name, __VA_ARGS__); csvout_text(out, name); } while (0)
    START("clients");           csvout_long(out, (long long)s->clients); csvout_end_row(out);
    START("positive");          csvout_long(out, (long long)s->positive); csvout_end_row(out);
    START("nonpositive");       csvout_long(out, (long long)s->nonpositive); csvout_end_row(out);
    START("total");
    write_money(out, s, s->total_scaled, s->total);
    csvout_end_row(out);
    START("nonpositive_total");
    write_money(out, s, s->nonpositive_total_scaled, s->nonpositive_total);
    csvout_end_row(out);
    START("share_top20");       write_ratio(out, s->share_top20); csvout_end_row(out);
    START("clients_for_80");
    if (s->positive)
        csvout_long(out, (long long)s->clients_for_80);
    else
        csvout_empty(out);
    csvout_end_row(out);
    START("clients_for_80_share");
    write_ratio(out, s->positive ? (double)s->clients_for_80 / (double)s->positive : NAN);
    csvout_end_row(out);
    START("gini");              write_ratio(out, s->gini); csvout_end_row(out);
    for (size_t k = 0; k < s->classes; k++) {
        char letter = (char)('A' + k);
        START("class_%c_clients", letter);
        csvout_long(out, (long long)s->class_clients[k]);
        csvout_end_row(out);
        START("class_%c_clients_share", letter);
        write_ratio(out, s->positive ? (double)s->class_clients[k] / (double)s->positive : NAN);
        csvout_end_row(out);
        START("class_%c_value_share", letter);
        write_ratio(out, s->positive ? (double)(s->class_value[k] / s->total) : NAN);
        csvout_end_row(out);
    }
    if (with_previous) {
        /* classes of either period, then '-' */
        size_t order[PARETO_MAX_CLASSES + 1], count = 0;
        for (size_t k = 0; k < s->migrate_classes; k++)
            order[count++] = k;
        order[count++] = PARETO_DASH;
        for (size_t i = 0; i < count; i++)
            for (size_t j = 0; j < count; j++) {
                char from = order[i] == PARETO_DASH ? '-' : (char)('A' + order[i]);
                char to = order[j] == PARETO_DASH ? '-' : (char)('A' + order[j]);
                START("migrate_%c_%c", from, to);
                csvout_long(out, (long long)s->migrate[order[i]][order[j]]);
                csvout_end_row(out);
            }
        for (size_t j = 0; j < count; j++) {
            START("migrate_new_%c", order[j] == PARETO_DASH ? '-' : (char)('A' + order[j]));
            csvout_long(out, (long long)s->migrate[PARETO_NONE][order[j]]);
            csvout_end_row(out);
        }
        for (size_t i = 0; i < count; i++) {
            START("migrate_%c_lost", order[i] == PARETO_DASH ? '-' : (char)('A' + order[i]));
            csvout_long(out, (long long)s->migrate[order[i]][PARETO_NONE]);
            csvout_end_row(out);
        }
    }
#undef START
}

void pareto_table_summary(struct csvout *out, const struct pareto_group *groups,
                          size_t group_count, const char *group_column, int with_previous)
{
    int grouped = group_column != NULL;
    if (grouped)
        csvout_text(out, group_column);
    csvout_text(out, "metric");
    csvout_text(out, "value");
    csvout_end_row(out);
    for (size_t g = 0; g < group_count; g++)
        write_summary(out, &groups[g], grouped, with_previous);
}

int pareto_table_lorenz(struct csvout *out, const struct pareto_item *items,
                        const size_t *order, int exact, const struct pareto_curve *curve,
                        const struct pareto_group *groups, size_t group_count,
                        const char *group_column, struct diag *diag)
{
    int grouped = group_column != NULL;
    if (grouped)
        csvout_text(out, group_column);
    csvout_text(out, "cum_clients_share");
    csvout_text(out, "cum_share");
    csvout_end_row(out);
    double *x = curve ? NULL : malloc((PARETO_LORENZ_SEGMENTS + 1) * sizeof *x);
    double *y = curve ? NULL : malloc((PARETO_LORENZ_SEGMENTS + 1) * sizeof *y);
    if (!curve && (!x || !y)) {
        free(x);
        free(y);
        return diag_set(diag, "out of memory");
    }
    for (size_t g = 0; g < group_count; g++) {
        size_t points = curve ? curve->points
                        : pareto_lorenz(items, order + groups[g].first, exact,
                                        &groups[g].summary, PARETO_LORENZ_SEGMENTS, x, y);
        const double *px = curve ? curve->x : x, *py = curve ? curve->y : y;
        for (size_t i = 0; i < points; i++) {
            if (grouped)
                csvout_text(out, groups[g].name);
            csvout_double(out, px[i]);
            csvout_double(out, py[i]);
            csvout_end_row(out);
        }
    }
    free(x);
    free(y);
    return 0;
}

/* The rows of items[from, to) in rank order (their groups' order). */
struct rows_job {
    const struct table *t;
    const struct pareto_item *items;
    const size_t *order;
    const struct pareto_ranked *ranked;     /* or NULL */
    const size_t *starts;   /* with ranked: the first row of each group with rows */
    size_t start_count;
    size_t n;
    long key_col, group_col;
    int with_previous;
    const uint64_t *spans;  /* with ranked, or NULL: each table row's span (row_spans) */
};

static int compare_size(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    return (x > y) - (x < y);
}

/* The start of the group holding position i (its rank is i - start + 1):
 * the last start at or before i. starts[0] is 0. */
static size_t start_index(const struct rows_job *job, size_t i)
{
    size_t lo = 0, hi = job->start_count;
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (job->starts[mid] <= i)
            lo = mid;
        else
            hi = mid;
    }
    return lo;
}

/* ---- each row's bytes as one span ------------------------------------ */

/* The rows go out in rank order, each one's cells read at random: its
 * cell offsets (240 MB on 5 M rows), then its bytes, two dependent misses,
 * and the bytes checked for quotes. Instead each row's span (what
 * csvout_span would copy) is found ahead, in row order, on two threads:
 * its offset in the arena << SPAN_BITS | its length, or SPAN_NONE (the
 * row's cells go one by one, as before); on one thread when the writer
 * has one (--threads 1). The writer reads one word a row at random and
 * then the bytes. */
#define SPAN_BITS 24
#define SPAN_LEN(word) ((word) & ((UINT64_C(1) << SPAN_BITS) - 1))
#define SPAN_NONE UINT64_MAX
#define SPANS_THREAD_FROM 65536     /* rows for a second thread to find half the spans */

struct spans_job {
    const struct table *t;
    const struct csvout *out;
    uint64_t *spans;
    size_t from, to;
};

static void *find_spans(void *arg)
{
    const struct spans_job *job = arg;
    const struct table *t = job->t;
    const char **cells = malloc(t->columns * sizeof *cells);
    for (size_t r = job->from; r < job->to; r++) {
        size_t len;
        job->spans[r] = SPAN_NONE;
        if (!cells)
            continue;
        table_row(t, r, cells);
        if (csvout_span_len(job->out, cells, t->columns, &len) && len < (1u << SPAN_BITS))
            job->spans[r] = (uint64_t)(cells[0] - t->arena) << SPAN_BITS | len;
    }
    free(cells);
    return NULL;
}

/* The spans of t's rows for out (hashtab_array_free(spans, *bytes)), or
 * NULL (out of memory: the rows are written as before). */
static uint64_t *row_spans(const struct table *t, const struct csvout *out, size_t *bytes)
{
    *bytes = (t->rows ? t->rows : 1) * sizeof(uint64_t);
    uint64_t *spans = hashtab_array_grow(NULL, 0, *bytes);
    if (!spans)
        return NULL;
    hashtab_array_random(spans, *bytes);    /* read at random, 2 MiB pages fault in faster */
    struct spans_job half[2] = {
        { t, out, spans, 0, t->rows / 2 }, { t, out, spans, t->rows / 2, t->rows },
    };
    pthread_t thread;
    int running = t->rows >= SPANS_THREAD_FROM && out->threads != 1 &&
                  pthread_create(&thread, NULL, find_spans, &half[1]) == 0;
    find_spans(&half[0]);
    if (running)
        pthread_join(thread, NULL);
    else
        find_spans(&half[1]);
    return spans;
}

/* Table row ROW's cells as the file has them: its bytes when csvout_span
 * can copy them (ROW_CELLS: a scratch of the table's columns, or NULL),
 * else cell by cell, the key and group columns as ids */
static void write_table_row(const struct rows_job *job, struct csvout *out, size_t row,
                            const char **row_cells)
{
    const struct table *t = job->t;
    if (row_cells)
        table_row(t, row, row_cells);
    if (!row_cells || !csvout_span(out, row_cells, t->columns))
        for (size_t c = 0; c < t->columns; c++)
            csvout_cell(out, table_cell(t, row, c),
                        (long)c != job->key_col && (long)c != job->group_col);
}

/* A ranked row's figures as write_ranked_rows writes them through the
 * calls (rank, the three ratios, the class, the row's end), formatted
 * here into one run of bytes for a plain writer (csvout_plain, and a
 * delimiter that cannot quote a class letter): the same bytes, one copy
 * instead of a call a field. The share repeats whenever the value does
 * (ties: on 5 M clients, 187 k values), so its text is kept. */
struct figures_text {
    double share;           /* the last share formatted, and its text */
    char share_text[32];
    size_t share_len;
    int have_share;
};

static size_t put_ratio(char *p, double value)
{
    if (isnan(value))
        return 0;
    char text[32];
    const char *s = format_double(value, '.', text);
    size_t len = strlen(s);
    memcpy(p, s, len);
    return len;
}

static size_t figures_bytes(struct figures_text *ft, char delim, size_t rank,
                            const struct pareto_ranked *r, char *line)
{
    char *p = line;
    *p++ = delim;
    char digits[24], *d = digits + sizeof digits;
    do {
        *--d = (char)('0' + rank % 10);
        rank /= 10;
    } while (rank);
    memcpy(p, d, (size_t)(digits + sizeof digits - d));
    p += digits + sizeof digits - d;
    *p++ = delim;
    if (!isnan(r->share)) {
        if (!ft->have_share || memcmp(&ft->share, &r->share, sizeof r->share) != 0) {
            ft->share = r->share;
            ft->share_len = put_ratio(ft->share_text, r->share);
            ft->have_share = 1;
        }
        memcpy(p, ft->share_text, ft->share_len);
        p += ft->share_len;
    }
    *p++ = delim;
    p += put_ratio(p, r->cum_share);
    *p++ = delim;
    p += put_ratio(p, r->cum_clients_share);
    *p++ = delim;
    *p++ = r->class_letter;
    *p++ = '\n';
    return (size_t)(p - line);
}

/* The rows of ranked[from, to): the figures read one after the other, the
 * table rows at random (asked for ahead) */
static void write_ranked_rows(const struct rows_job *job, struct csvout *out, size_t from,
                              size_t to, struct csvout_batch *batch, const char **row)
{
    const struct table *t = job->t;
    const struct pareto_ranked *ranked = job->ranked;
    if (from >= to)
        return;
    size_t g = start_index(job, from);
    size_t first = job->starts[g];
    size_t end = g + 1 < job->start_count ? job->starts[g + 1] : job->n;
    const uint64_t *spans = job->spans;
    /* the figures as one run of bytes: a plain writer, a delimiter that
     * never quotes a class (A-Z, -) */
    struct figures_text ft = { 0 };
    int fast = !job->with_previous && csvout_plain(out) && out->delim != '\0' &&
               out->delim != '-' && !(out->delim >= 'A' && out->delim <= 'Z') &&
               out->delim != '"' && out->delim != '\n' && out->delim != '\r';
    for (size_t i = from; i < to; i++) {
        const struct pareto_ranked *r = &ranked[i];
        if (spans) {
            /* the span's word, then (once it has come) its bytes */
            if (i + 16 < to)
                __builtin_prefetch(&spans[ranked[i + 16].row]);
            uint64_t ahead = i + 8 < to ? spans[ranked[i + 8].row] : SPAN_NONE;
            if (ahead != SPAN_NONE) {
                const char *bytes = t->arena + (ahead >> SPAN_BITS);
                __builtin_prefetch(bytes);
                __builtin_prefetch(bytes + SPAN_LEN(ahead));
            }
        } else {
            if (i + 8 < to) {
                size_t row_ahead = ranked[i + 8].row;
                __builtin_prefetch(&t->cells[row_ahead * t->columns]);
                __builtin_prefetch(&t->cells[row_ahead * t->columns + t->columns - 1]);
            }
            if (i + 4 < to) {
                const char *ahead = table_cell(t, ranked[i + 4].row, 0);
                __builtin_prefetch(ahead);
                __builtin_prefetch(ahead + 64);
            }
        }
        if (i >= end) {         /* the next group (each has rows) */
            g++;
            first = job->starts[g];
            end = g + 1 < job->start_count ? job->starts[g + 1] : job->n;
        }
        uint64_t span = spans ? spans[r->row] : SPAN_NONE;
        if (span != SPAN_NONE) {
            csvout_span_copy(out, t->arena + (span >> SPAN_BITS), SPAN_LEN(span));
        } else {
            write_table_row(job, out, r->row, row);
        }
        if (fast) {
            char line[128];     /* 3 × 24 digits and exponents, a rank, 7 bytes more */
            csvout_end_row_with(out, line, figures_bytes(&ft, out->delim, i - first + 1, r, line));
            if (batch)
                csvout_batch_row(batch);
            continue;
        }
        csvout_long(out, (long long)(i - first + 1));
        write_ratio(out, r->share);
        write_ratio(out, r->cum_share);
        write_ratio(out, r->cum_clients_share);
        write_class(out, r->class_letter);
        if (job->with_previous) {
            char previous = job->items[job->order[i]].previous_class;
            if (previous)
                write_class(out, previous);
            else
                csvout_empty(out);
        }
        csvout_end_row(out);
        if (batch)
            csvout_batch_row(batch);
    }
}

static void write_rows(const struct rows_job *job, struct csvout *out, size_t from, size_t to,
                       struct csvout_batch *batch)
{
    const struct table *t = job->t;
    const struct pareto_item *items = job->items;
    const size_t *order = job->order;
    size_t n = job->n;
    /* a row's cell pointers (NULL: out of memory, the cells one by one) */
    const char **row = malloc(t->columns * sizeof *row);
    if (job->ranked) {
        write_ranked_rows(job, out, from, to, batch, row);
        free(row);
        return;
    }
    for (size_t i = from; i < to; i++) {
        const struct pareto_item *it = &items[order[i]];
        /* items and rows go out in rank order, read at random: ask for
         * them ahead, each step once the one before it has come */
        if (i + 16 < n) {
            __builtin_prefetch(&items[order[i + 16]]);
            __builtin_prefetch((const char *)&items[order[i + 16]] + 64);
        }
        if (i + 8 < n) {
            size_t row_ahead = items[order[i + 8]].row;
            __builtin_prefetch(&t->cells[row_ahead * t->columns]);
            __builtin_prefetch(&t->cells[row_ahead * t->columns + t->columns - 1]);
        }
        if (i + 4 < n) {
            const char *ahead = table_cell(t, items[order[i + 4]].row, 0);
            __builtin_prefetch(ahead);
            __builtin_prefetch(ahead + 64);
        }
        write_table_row(job, out, it->row, row);
        csvout_long(out, (long long)it->rank);
        write_ratio(out, it->share);
        write_ratio(out, it->cum_share);
        write_ratio(out, it->cum_clients_share);
        write_class(out, it->class_letter);
        if (job->with_previous) {
            if (it->previous_class)
                write_class(out, it->previous_class);
            else
                csvout_empty(out);
        }
        csvout_end_row(out);
        if (batch)
            csvout_batch_row(batch);
    }
    free(row);
}

static void write_rows_block(void *arg, struct csvout *out, size_t from, size_t to)
{
    write_rows(arg, out, from, to, NULL);
}

int pareto_table_rows(struct csvout *out_, const struct table *t,
                      const struct pareto_item *items, const size_t *order,
                      const struct pareto_ranked *ranked,
                      const struct pareto_group *groups,
                      size_t group_count, long key_col, long group_col, int with_previous,
                      struct diag *diag)
{
    /* with ranked, each row's rank from its group's start (the starts in
     * increasing order; only ranked holds the figures then) */
    size_t *starts = ranked ? malloc((group_count + 1) * sizeof *starts) : NULL;
    size_t start_count = 0;
    if (ranked && !starts)
        return diag_set(diag, "out of memory");
    for (size_t g = 0; starts && g < group_count; g++)
        if (groups[g].count)
            starts[start_count++] = groups[g].first;
    if (starts && start_count == 0)
        starts[start_count++] = 0;
    if (starts)     /* (they increase already when the groups are contiguous) */
        qsort(starts, start_count, sizeof *starts, compare_size);
    struct csvout_batch batch;
    struct csvout *out = csvout_batch_start(&batch, out_);
    for (size_t c = 0; c < t->columns; c++)
        csvout_text(out, t->header[c]);
    for (size_t i = 0; i < 5; i++)
        csvout_text(out, pareto_table_added[i]);
    if (with_previous)
        csvout_text(out, "previous_class");
    csvout_end_row(out);
    size_t n = group_count ? groups[group_count - 1].first + groups[group_count - 1].count : 0;
    /* the groups' rows one after the other, as they are when ranked */
    int contiguous = 1;
    for (size_t g = 0, next = 0; g < group_count; g++) {
        if (groups[g].count && groups[g].first != next)
            contiguous = 0;
        if (groups[g].count)
            next = groups[g].first + groups[g].count;
    }
    size_t spans_bytes = 0;
    uint64_t *spans = ranked ? row_spans(t, out, &spans_bytes) : NULL;
    struct rows_job job = { t, items, order, ranked, starts, start_count, n, key_col, group_col,
                            with_previous, spans };
    size_t done = 0;    /* rows written by two threads (only to a FILE) */
    if (contiguous && out != out_) {
        csvout_batch_end(&batch);       /* the header */
        done = csvout_rows_parallel(out_, n, write_rows_block, &job);
        out = csvout_batch_start(&batch, out_);
    }
    for (size_t g = 0; g < group_count; g++) {
        size_t from = groups[g].first > done ? groups[g].first : done;
        if (from < groups[g].first + groups[g].count)
            write_rows(&job, out, from, groups[g].first + groups[g].count, &batch);
    }
    csvout_batch_end(&batch);
    free(starts);
    if (spans)
        hashtab_array_free(spans, spans_bytes);
    return 0;
}

/* ---- cl-pareto's run ----------------------------------------------------- */

int pareto_table_read(struct pareto_ranking *ranking, const struct table *t,
                      const struct pareto_table_how *how, struct diag *diag)
{
    struct pareto_ranking *rk = ranking;
    memset(rk, 0, sizeof *rk);
    rk->t = t;
    rk->how = *how;
    size_t key = how->key_col;
    /* one row per key, checked on a second thread while the values are
     * read; its verdict first, then the column's, then the rows left out */
    struct pareto_unique_check unique;
    pareto_unique_start(&unique, t, key, how->group_col, how->program);
    if (pareto_column_read_mark(&rk->values, t, how->value_col, how->mark, diag) != 0) {
        pareto_unique_finish(&unique, diag);    /* (its verdict, when it has one) */
        return -1;
    }
    rk->exact = rk->values.exact;
    rk->decimals = rk->values.decimals;
    /* one group without a previous period: ranked from the column itself
     * (pareto_rank_column), without the items (5 M clients: 400 MB) */
    rk->by_column = !how->previous && how->group_col < 0 && t->rows <= UINT32_MAX;
    if (rk->by_column) {
        for (size_t i = 0; i < t->rows; i++)
            rk->usable += pareto_row_usable(&rk->values, t, i, key);
    } else {
        size_t slots = t->rows ? t->rows : 1;
        rk->items = buf_huge(calloc(slots, sizeof *rk->items), slots * sizeof *rk->items);
        if (!rk->items) {
            pareto_unique_finish(&unique, NULL);
            pareto_column_free(&rk->values);
            return diag_set(diag, "out of memory");
        }
        /* their pages faulted in from the end on another thread while
         * this one fills them from the start */
        struct buf_prefault prefault;
        buf_prefault_start(&prefault, (void *[]){ rk->items },
                           (size_t[]){ t->rows * sizeof *rk->items }, 1);
        size_t n = 0;
        for (size_t i = 0; i < t->rows; i++) {
            if (pareto_row_usable(&rk->values, t, i, key))
                rk->items[n++] = (struct pareto_item){
                    .row = i, .key = table_cell(t, i, key),
                    .group = how->group_col >= 0 ? table_cell(t, i, (size_t)how->group_col) : "",
                    .value = rk->values.value[i], .scaled = rk->values.scaled[i],
                };
        }
        buf_prefault_finish(&prefault);
        rk->usable = n;
    }
    if (pareto_unique_finish(&unique, diag) != 0) {
        pareto_table_ranking_free(rk);
        return -1;
    }
    return 0;
}

int pareto_table_left_out(const struct pareto_ranking *ranking, size_t row, char *problem,
                          size_t size)
{
    const struct table *t = ranking->t;
    size_t key = ranking->how.key_col, value = ranking->how.value_col;
    unsigned char status = ranking->values.status[row];
    if (status != PARSE_OK)
        parse_value_problem(t->header[value], table_cell(t, row, value), status, problem, size);
    else if (table_cell(t, row, key)[0] == '\0')
        snprintf(problem, size, "%s (the key) is empty", t->header[key]);
    else
        return 0;
    return 1;
}

int pareto_table_rank(struct pareto_ranking *ranking, const struct pareto_classes *classes,
                      int want, struct diag *diag)
{
    struct pareto_ranking *rk = ranking;
    const struct table *t = rk->t;
    const struct pareto_table_how *how = &rk->how;
    size_t n = rk->usable;
    /* the items hold the values now (ranked by column: once ranked) */
    if (!rk->by_column)
        pareto_column_free(&rk->values);
    if (how->previous &&
        pareto_table_previous(&rk->previous_table, &rk->previous, how->previous,
                              how->previous_delim, t->header[how->key_col],
                              how->previous_group, diag) != 0)
        return -1;
    if (how->group_col >= 0)
        pareto_sort_groups(rk->items, n);
    rk->groups = pareto_table_groups(rk->items, rk->by_column ? 0 : n,
                                     how->previous ? &rk->previous : NULL, how->group_col >= 0,
                                     &rk->group_count, diag);
    if (!rk->groups)
        return -1;
    size_t slots = n ? n : 1;
    /* each group's rank order, as indexes into items */
    if (!rk->by_column) {
        rk->order = buf_huge(malloc(slots * sizeof *rk->order), slots * sizeof *rk->order);
        if (!rk->order)
            return diag_set(diag, "out of memory");
    }
    /* their figures in rank order, for the rows' writer (none: it reads
     * the items, in the same order) */
    if ((want & PARETO_WANT_ROWS) && !how->previous && t->rows <= UINT32_MAX)
        rk->ranked = buf_huge(malloc(slots * sizeof *rk->ranked), slots * sizeof *rk->ranked);
    if (rk->by_column) {
        /* its Lorenz curve, made while its sorted values are there */
        struct pareto_curve curve = { PARETO_LORENZ_SEGMENTS, rk->curve_x, rk->curve_y, 0 };
        size_t ranked_rows;
        if (!rk->ranked && (want & PARETO_WANT_ROWS))
            return diag_set(diag, "out of memory");
        if (pareto_rank_column(t, how->key_col, &rk->values, classes, rk->ranked,
                               want & PARETO_WANT_CURVE ? &curve : NULL, &ranked_rows,
                               &rk->groups[0].summary, diag) != 0)
            return -1;
        rk->groups[0].count = ranked_rows;
        rk->curve_points = curve.points;
        return 0;
    }
    for (size_t g = 0; g < rk->group_count; g++) {
        struct pareto_group *gr = &rk->groups[g];
        pareto_rank_ranked(rk->items + gr->first, gr->count, rk->exact, rk->decimals, classes,
                           rk->order + gr->first, rk->ranked ? rk->ranked + gr->first : NULL,
                           &gr->summary);
        for (size_t i = gr->first; gr->first && i < gr->first + gr->count; i++)
            rk->order[i] += gr->first;
        if (how->previous)
            pareto_previous_match(&rk->previous, gr->name, rk->items + gr->first, gr->count,
                                  &gr->summary);
    }
    return 0;
}

int pareto_table_overlap(const struct pareto_ranking *ranking, struct diag *warning)
{
    const struct pareto_previous *previous = &ranking->previous;
    size_t n = ranking->usable;
    if (!ranking->how.previous)
        return 0;
    size_t matched = pareto_previous_matched(previous);
    if (!pareto_overlap_suspect(matched, n, previous->count))
        return 0;
    char here[64], there[64];
    const char *first_here = n ? ranking->items[ranking->order[0]].key : "";
    diag_set(warning, "%s: only %zu of its %zu clients are among the %zu here: are the keys "
             "written the same way (\"%s\" there, \"%s\" here)?", ranking->previous_table.name,
             matched, previous->count, n,
             diag_quote(previous->entries[0].key, strlen(previous->entries[0].key), there,
                        sizeof there),
             n ? diag_quote(first_here, strlen(first_here), here, sizeof here) : "");
    return 1;
}

/* the input's grouping column, as the rows name it, or NULL */
static const char *group_column(const struct pareto_ranking *ranking)
{
    long group = ranking->how.group_col;
    return group >= 0 ? ranking->t->header[group] : NULL;
}

void pareto_table_write_summary(struct csvout *out, const struct pareto_ranking *ranking)
{
    pareto_table_summary(out, ranking->groups, ranking->group_count, group_column(ranking),
                         ranking->how.previous != NULL);
}

int pareto_table_write_lorenz(struct csvout *out, struct pareto_ranking *ranking,
                              struct diag *diag)
{
    struct pareto_curve curve = { PARETO_LORENZ_SEGMENTS, ranking->curve_x, ranking->curve_y,
                                  ranking->curve_points };
    return pareto_table_lorenz(out, ranking->items, ranking->order, ranking->exact,
                               ranking->by_column ? &curve : NULL, ranking->groups,
                               ranking->group_count, group_column(ranking), diag);
}

int pareto_table_write_rows(struct csvout *out, struct pareto_ranking *ranking,
                            struct diag *diag)
{
    /* with ranked, the rows need neither the items nor their order: their
     * 440 MB (5 M clients) go back before the rows' buffers and the
     * output's pages are taken */
    if (ranking->ranked) {
        free(ranking->items);
        free(ranking->order);
        ranking->items = NULL;
        ranking->order = NULL;
    }
    return pareto_table_rows(out, ranking->t, ranking->items, ranking->order, ranking->ranked,
                             ranking->groups, ranking->group_count, (long)ranking->how.key_col,
                             ranking->how.group_col, ranking->how.previous != NULL, diag);
}

void pareto_table_ranking_free(struct pareto_ranking *ranking)
{
    if (!ranking)
        return;
    pareto_column_free(&ranking->values);
    free(ranking->groups);
    free(ranking->order);
    free(ranking->ranked);
    free(ranking->items);
    free(ranking->previous.entries);
    table_free(&ranking->previous_table);
    ranking->groups = NULL;
    ranking->order = NULL;
    ranking->ranked = NULL;
    ranking->items = NULL;
    ranking->previous.entries = NULL;
    ranking->group_count = 0;
}
