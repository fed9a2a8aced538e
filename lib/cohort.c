/* cohort — the retention table by acquisition cohort: period arithmetic
 * and labels, the per-(client, period) cells that sales lines add into,
 * the table built from them and its two CSV forms. */
#include "cohort.h"

#include <assert.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "parse.h"
#include "radix.h"

/* A table over this many cells is refused: a placeholder date such as
 * 1900-01-01 would otherwise ask for a century of weekly cohorts. */
#define COHORT_MAX_CELLS 20000000

/* ---- periods ---------------------------------------------------------- */

static const char *const period_names[] = { "week", "month", "quarter" };

int cohort_period_parse(const char *name, enum cohort_period *period)
{
    for (int i = 0; i < 3; i++)
        if (strcmp(name, period_names[i]) == 0) {
            *period = (enum cohort_period)i;
            return 0;
        }
    return -1;
}

const char *cohort_period_name(enum cohort_period period)
{
    return period_names[period];
}

static int32_t floor_div(int32_t a, int32_t b)
{
    int32_t q = a / b;
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

int32_t cohort_period_of(enum cohort_period period, int32_t day)
{
    int y, m, d;
    switch (period) {
    case COHORT_WEEK:
        return floor_div(day + 3, 7);   /* 1970-01-01 is a Thursday: week 0 starts 1969-12-29 */
    case COHORT_MONTH:
        date_to_civil(day, &y, &m, &d);
        return y * 12 + (m - 1);
    case COHORT_QUARTER:
        date_to_civil(day, &y, &m, &d);
        return y * 4 + (m - 1) / 3;
    }
    return 0;
}

int32_t cohort_period_start(enum cohort_period period, int32_t index)
{
    switch (period) {
    case COHORT_WEEK:
        return index * 7 - 3;
    case COHORT_MONTH:
        return date_from_civil(floor_div(index, 12), index - floor_div(index, 12) * 12 + 1, 1);
    case COHORT_QUARTER:
        return date_from_civil(floor_div(index, 4), (index - floor_div(index, 4) * 4) * 3 + 1, 1);
    }
    return 0;
}

char *cohort_period_label(enum cohort_period period, int32_t index, char *out)
{
    int y, m, d;
    switch (period) {
    case COHORT_WEEK: {
        /* the ISO week belongs to the year of its Thursday */
        int32_t thursday = cohort_period_start(COHORT_WEEK, index) + 3;
        date_to_civil(thursday, &y, &m, &d);
        int week = (thursday - date_from_civil(y, 1, 1)) / 7 + 1;
        snprintf(out, COHORT_LABEL_MAX, "%04d-W%02d", y, week);
        break;
    }
    case COHORT_MONTH:
        date_to_civil(cohort_period_start(period, index), &y, &m, &d);
        snprintf(out, COHORT_LABEL_MAX, "%04d-%02d", y, m);
        break;
    case COHORT_QUARTER:
        date_to_civil(cohort_period_start(period, index), &y, &m, &d);
        snprintf(out, COHORT_LABEL_MAX, "%04d-Q%d", y, (m - 1) / 3 + 1);
        break;
    }
    return out;
}

int cohort_period_read(enum cohort_period period, const char *text, int32_t *index)
{
    struct datetime dt;
    size_t len = strlen(text);
    if (len == 10 && parse_date(text, len, "%Y-%m-%d", DATE_DMY, &dt) == PARSE_OK) {
        *index = cohort_period_of(period, dt.days);
        return 0;
    }
    int y, n, used = 0;
    switch (period) {
    case COHORT_MONTH:
        if (sscanf(text, "%4d-%2d%n", &y, &n, &used) == 2 && used == 7 && (size_t)used == len &&
            y >= 1 && n >= 1 && n <= 12) {
            *index = y * 12 + n - 1;
            return 0;
        }
        break;
    case COHORT_QUARTER:
        if (sscanf(text, "%4d-Q%1d%n", &y, &n, &used) == 2 && used == 7 && (size_t)used == len &&
            y >= 1 && n >= 1 && n <= 4) {
            *index = y * 4 + n - 1;
            return 0;
        }
        break;
    case COHORT_WEEK:
        if (sscanf(text, "%4d-W%2d%n", &y, &n, &used) == 2 && used == 8 && (size_t)used == len &&
            y >= 1 && y <= 9999 && n >= 1 && n <= 53) {
            /* week 1 is the week holding January 4 */
            int32_t first = cohort_period_of(COHORT_WEEK, date_from_civil(y, 1, 4));
            char check[COHORT_LABEL_MAX];
            *index = first + n - 1;
            cohort_period_label(COHORT_WEEK, *index, check);
            return strcmp(check, text) == 0 ? 0 : -1;   /* W53 of a 52-week year */
        }
        break;
    }
    return -1;
}

/* ---- accumulating lines ----------------------------------------------- */

int cohort_lines_init(struct cohort_lines *lines, enum cohort_period period,
                      struct diag *diag)
{
    memset(lines, 0, sizeof *lines);
    lines->period = period;
    lines->min_day = INT32_MAX;
    lines->max_day = INT32_MIN;
    lines->last_cell = -1;
    if (hashtab_init(&lines->clients, 1024) != 0) {
        cohort_lines_free(lines);
        return diag_set(diag, "out of memory");
    }
    return 0;
}

void cohort_lines_free(struct cohort_lines *lines)
{
    if (!lines)
        return;
    hashtab_free(&lines->clients);
    free(lines->cell_client);
    free(lines->cell_period);
    free(lines->cell_revenue);
    free(lines->cell_bought);
    memset(lines, 0, sizeof *lines);
}

static int cell_slot(struct cohort_lines *lines, size_t cell, uint32_t client, int32_t period)
{
    if (cell >= lines->cell_cap) {
        struct buf_array columns[] = {
            { lines->cell_client, sizeof *lines->cell_client },
            { lines->cell_period, sizeof *lines->cell_period },
            { lines->cell_revenue, sizeof *lines->cell_revenue },
            { lines->cell_bought, sizeof *lines->cell_bought },
        };
        int rc = buf_grow_arrays(columns, 4, cell + 1, &lines->cell_cap, 4096);
        lines->cell_client = columns[0].data;
        lines->cell_period = columns[1].data;
        lines->cell_revenue = columns[2].data;
        lines->cell_bought = columns[3].data;
        if (rc != 0)
            return -1;
    }
    lines->cell_client[cell] = client;
    lines->cell_period[cell] = period;
    lines->cell_revenue[cell] = 0;
    lines->cell_bought[cell] = 0;
    return 0;
}

/* A new cell of (client index, period) at the log's end; -1 out of memory. */
static long new_cell(struct cohort_lines *lines, uint32_t client, int32_t period)
{
    size_t cell = lines->ncells;
    if (cell >= (size_t)LONG_MAX || cell_slot(lines, cell, client, period) != 0)
        return -1;
    lines->ncells++;
    return (long)cell;
}

static int overflow(struct diag *diag, const struct cohort_lines *lines, uint32_t client)
{
    char q[64];
    size_t len;
    const char *id = hashtab_key(&lines->clients, client, &len);
    return diag_set(diag, "the revenue of client \"%s\" in one period overflows (over 9.2e12)",
                    diag_quote(id, len, q, sizeof q));
}

int cohort_lines_add(struct cohort_lines *lines, const char *client, size_t client_len,
                     int32_t day, int64_t amount, int decimals, struct diag *diag)
{
    int32_t period = cohort_period_of(lines->period, day);
    long cell = -1;
    if (lines->last_cell >= 0 && period == lines->last_period &&
        client_len == lines->last_client_len &&
        memcmp(client, lines->last_client, client_len) == 0) {
        cell = lines->last_cell;
    } else {
        int is_new;
        long k = hashtab_intern(&lines->clients, client, client_len,
                                hashtab_hash(client, client_len), &is_new);
        if (k < 0 || (cell = new_cell(lines, (uint32_t)k, period)) < 0)
            return diag_set(diag, "out of memory");
        if (client_len <= sizeof lines->last_client) {
            memcpy(lines->last_client, client, client_len);
            lines->last_client_len = client_len;
            lines->last_period = period;
            lines->last_cell = cell;
        } else {
            lines->last_cell = -1;
        }
    }
    if (__builtin_add_overflow(lines->cell_revenue[cell], amount, &lines->cell_revenue[cell]))
        return overflow(diag, lines, lines->cell_client[cell]);
    if (amount > 0)
        lines->cell_bought[cell] = 1;
    if (decimals > lines->revenue_decimals)
        lines->revenue_decimals = decimals;
    if (day < lines->min_day)
        lines->min_day = day;
    if (day > lines->max_day)
        lines->max_day = day;
    return 0;
}

#define MERGE_AHEAD 8   /* keys hashed and prefetched ahead in a merge */

/* into's decimals and days widened to cover from's */
static void widen(struct cohort_lines *into, const struct cohort_lines *from)
{
    if (from->revenue_decimals > into->revenue_decimals)
        into->revenue_decimals = from->revenue_decimals;
    if (from->min_day < into->min_day)
        into->min_day = from->min_day;
    if (from->max_day > into->max_day)
        into->max_day = from->max_day;
}

int cohort_lines_merge(struct cohort_lines *into, const struct cohort_lines *from,
                       struct diag *diag)
{
    assert(into->period == from->period);
    size_t n = from->clients.count;
    uint32_t *map = malloc((n ? n : 1) * sizeof *map);
    if (!map)
        return diag_set(diag, "out of memory");
    into->last_cell = -1;
    /* the keys' hashes MERGE_AHEAD keys ahead, their slots prefetched: the
     * lookups in a table of millions are cache misses, which then overlap */
    uint64_t ahead[MERGE_AHEAD];
    for (size_t k = 0; k < n; k++) {
        size_t len;
        const char *id;
        for (size_t j = k ? k + MERGE_AHEAD - 1 : 0; j < k + MERGE_AHEAD && j < n; j++) {
            id = hashtab_key(&from->clients, j, &len);
            ahead[j % MERGE_AHEAD] = hashtab_hash(id, len);
            hashtab_prefetch(&into->clients, ahead[j % MERGE_AHEAD]);
        }
        id = hashtab_key(&from->clients, k, &len);
        int is_new;
        long m = hashtab_intern(&into->clients, id, len, ahead[k % MERGE_AHEAD], &is_new);
        if (m < 0) {
            free(map);
            return diag_set(diag, "out of memory");
        }
        map[k] = (uint32_t)m;
    }
    /* from's cells after into's, their clients renumbered (the build
     * groups a client's cells, wherever they are) */
    size_t ncells = from->ncells, base = into->ncells;
    if (ncells > (size_t)LONG_MAX - base ||
        (ncells && cell_slot(into, base + ncells - 1, 0, 0) != 0)) {
        free(map);
        return diag_set(diag, "out of memory");
    }
    for (size_t c = 0; c < ncells; c++)
        into->cell_client[base + c] = map[from->cell_client[c]];
    if (ncells) {   /* (a thread with no cell has no arrays: memcpy wants them) */
        memcpy(into->cell_period + base, from->cell_period, ncells * sizeof *from->cell_period);
        memcpy(into->cell_revenue + base, from->cell_revenue,
               ncells * sizeof *from->cell_revenue);
        memcpy(into->cell_bought + base, from->cell_bought, ncells * sizeof *from->cell_bought);
    }
    into->ncells = base + ncells;
    free(map);
    widen(into, from);
    return 0;
}

int cohort_lines_absorb(struct cohort_lines *into, struct cohort_lines *from,
                        struct diag *diag)
{
    assert(into->period == from->period);
    if (into->clients.count != 0 || into->ncells != 0)
        return cohort_lines_merge(into, from, diag);
    /* a merge into an empty table interns from's clients in their index
     * order and copies its cells: the same indexes and cells */
    struct cohort_lines empty = *into;
    *into = *from;
    *from = empty;
    into->last_cell = -1;
    widen(into, from);
    return 0;
}

/* ---- the table ---------------------------------------------------------- */

void cohort_table_free(struct cohort_table *table)
{
    if (!table)
        return;
    free(table->cohorts);
    free(table->cells);
    memset(table, 0, sizeof *table);
}

int cohort_is_partial(const struct cohort_table *table, const struct cohort *c, size_t k)
{
    return table->last_partial && c->index + (int32_t)k == table->last_period;
}

static int table_overflow(struct cohort_table *table, struct diag *diag, int32_t cohort)
{
    char label[COHORT_LABEL_MAX];
    cohort_period_label(table->period, cohort, label);
    cohort_table_free(table);
    return diag_set(diag, "the revenue of the %s cohort overflows (over 9.2e12)", label);
}

/* One cell of a client, grouped (group_cells). */
struct client_cell {
    int64_t revenue;
    int32_t period;
    unsigned char bought;
};

static int cell_period_cmp(const void *a, const void *b)
{
    const struct client_cell *x = a, *y = b;
    return (x->period > y->period) - (x->period < y->period);
}

/* The log's cells by client (radix.h's grouping: client k's are
 * (*grouped)[(*from)[k] .. (*from)[k + 1]]), each client's by period.
 * @return 0, or -1 out of memory. */
static int group_cells(const struct cohort_lines *lines, struct client_cell **grouped,
                       size_t **from)
{
    size_t nclients = lines->clients.count, ncells = lines->ncells;
    size_t *at = calloc(nclients + 1, sizeof *at);
    struct client_cell *g = malloc((ncells ? ncells : 1) * sizeof *g);
    if (!at || !g) {
        free(at);
        free(g);
        return -1;
    }
    for (size_t c = 0; c < ncells; c++)
        at[lines->cell_client[c]]++;
    radix_group_offsets(at, at, nclients);
    for (size_t c = 0; c < ncells; c++) {
        struct client_cell *x = &g[at[lines->cell_client[c]]++];
        x->revenue = lines->cell_revenue[c];
        x->period = lines->cell_period[c];
        x->bought = lines->cell_bought[c];
    }
    radix_group_restore(at, nclients);
    for (size_t k = 0; k < nclients; k++) {
        struct client_cell *run = g + at[k];
        size_t n = at[k + 1] - at[k];
        if (n > 16) {
            qsort(run, n, sizeof *run, cell_period_cmp);
        } else {
            for (size_t i = 1; i < n; i++) {   /* insertion: most clients have a few */
                struct client_cell x = run[i];
                size_t j = i;
                for (; j > 0 && run[j - 1].period > x.period; j--)
                    run[j] = run[j - 1];
                run[j] = x;
            }
        }
    }
    *grouped = g;
    *from = at;
    return 0;
}

int cohort_table_build(struct cohort_table *table, const struct cohort_lines *lines,
                       const struct cohort_options *options, struct diag *diag)
{
    memset(table, 0, sizeof *table);
    table->period = lines->period;
    table->unbounded = options->unbounded;
    table->revenue_decimals = lines->revenue_decimals;
    size_t nclients = lines->clients.count, ncells = lines->ncells;
    if (ncells == 0)
        return diag_set(diag, "no sales line to build cohorts from");
    /* the data end on the last line, or on the day the caller says they
     * cover (never before the last line) */
    table->last_day = lines->max_day;
    if (options->has_end && options->end > table->last_day)
        table->last_day = options->end;
    table->last_period = cohort_period_of(lines->period, table->last_day);
    table->last_partial =
        table->last_day < cohort_period_start(lines->period, table->last_period + 1) - 1;

    /* each client's first and last purchase */
    int32_t *first = malloc(nclients * sizeof *first), *last = malloc(nclients * sizeof *last);
    if (!first || !last) {
        free(first);
        free(last);
        return diag_set(diag, "out of memory");
    }
    for (size_t k = 0; k < nclients; k++) {
        first[k] = INT32_MAX;
        last[k] = INT32_MIN;
    }
    for (size_t c = 0; c < ncells; c++) {
        if (!lines->cell_bought[c])
            continue;
        uint32_t k = lines->cell_client[c];
        int32_t p = lines->cell_period[c];
        if (p < first[k])
            first[k] = p;
        if (p > last[k])
            last[k] = p;
    }
    /* the cohorts present and kept, and their sizes, indexed from the earliest */
    int32_t lo = INT32_MAX;
    for (size_t k = 0; k < nclients; k++) {
        if (first[k] == INT32_MAX) {
            table->clients_no_purchase++;
        } else if ((options->has_from && first[k] < options->from) ||
                   (options->has_to && first[k] > options->to)) {
            table->clients_outside++;
            first[k] = INT32_MIN;           /* left out */
        } else if (first[k] < lo) {
            lo = first[k];
        }
    }
    if (lo == INT32_MAX) {
        free(first);
        free(last);
        return diag_set(diag, table->clients_outside ? "no client was acquired in the "
                        "cohorts chosen (--from, --to)" : "no purchase: every line is a return "
                        "or zero");
    }
    size_t span = (size_t)(table->last_period - lo) + 1;
    int64_t *sizes = calloc(span, sizeof *sizes);
    size_t *at = calloc(span, sizeof *at);
    if (!sizes || !at)
        goto oom;
    for (size_t k = 0; k < nclients; k++)
        if (first[k] != INT32_MAX && first[k] != INT32_MIN)
            sizes[first[k] - lo]++;
    size_t total_cells = 0;
    for (size_t i = 0; i < span; i++)
        if (sizes[i]) {
            table->count++;
            at[i] = total_cells;
            total_cells += span - i;
        }
    if (total_cells > COHORT_MAX_CELLS) {
        char d1[16], d2[16];
        free(first);
        free(last);
        free(sizes);
        free(at);
        return diag_set(diag, "the cohorts run from %s to %s: %zu %ss, too many for a table "
                        "(a placeholder date? choose cohorts with --from and --to, or a longer "
                        "--period)", format_date(cohort_period_start(table->period, lo), d1),
                        format_date(table->last_day, d2), span, period_names[table->period]);
    }
    table->cohorts = calloc(table->count, sizeof *table->cohorts);
    table->cells = calloc(total_cells, sizeof *table->cells);
    if (!table->cohorts || !table->cells)
        goto oom;
    size_t row = 0;
    for (size_t i = 0; i < span; i++)
        if (sizes[i]) {
            struct cohort *c = &table->cohorts[row++];
            c->index = lo + (int32_t)i;
            c->size = sizes[i];
            c->periods = span - i;
            c->cells = table->cells + at[i];
        }

    /* cells: revenue of every (client, period) from the acquisition on;
     * bounded activity from the purchase flags. The log's cells grouped by
     * client, each client's by period, those of one (client, period) made
     * one. */
    struct client_cell *grouped = NULL;
    size_t *from = NULL;
    if (group_cells(lines, &grouped, &from) != 0)
        goto oom;
    /* an overflow: a client's sum in one period, the cells before first
     * purchases, or a cohort's cell (the same messages as the table of
     * cells said at the line) */
    enum { FINE, OVER_CLIENT, OVER_EARLY, OVER_COHORT } over = FINE;
    uint32_t over_client = 0;
    int32_t over_cohort = 0;
    for (size_t k = 0; k < nclients && over == FINE; k++) {
        if (first[k] == INT32_MIN)
            continue;                       /* outside --from/--to */
        struct client_cell *g = grouped + from[k], *end = grouped + from[k + 1];
        while (g < end && over == FINE) {
            int32_t p = g->period;
            int64_t revenue = g->revenue;
            unsigned char bought = g->bought;
            for (g++; g < end && g->period == p; g++) {
                if (__builtin_add_overflow(revenue, g->revenue, &revenue)) {
                    over = OVER_CLIENT;
                    over_client = (uint32_t)k;
                }
                bought |= g->bought;
            }
            if (over != FINE)
                break;
            if (first[k] == INT32_MAX || p < first[k]) {
                table->early_cells += first[k] != INT32_MAX;
                if (first[k] != INT32_MAX &&
                    __builtin_add_overflow(table->early_revenue, revenue, &table->early_revenue))
                    over = OVER_EARLY;
                continue;
            }
            size_t i = (size_t)(first[k] - lo);
            struct cohort_cell *x = &table->cells[at[i] + (size_t)(p - first[k])];
            if (__builtin_add_overflow(x->revenue, revenue, &x->revenue)) {
                over = OVER_COHORT;
                over_cohort = lo + (int32_t)i;
            }
            if (!options->unbounded && bought)
                x->active++;
        }
    }
    free(grouped);
    free(from);
    if (over == OVER_EARLY)
        goto overflow;
    if (over != FINE) {
        free(first);
        free(last);
        free(sizes);
        free(at);
        if (over == OVER_COHORT)
            return table_overflow(table, diag, over_cohort);
        cohort_table_free(table);
        return overflow(diag, lines, over_client);
    }
    /* unbounded: a client counts in every period up to the last purchase;
     * `active` first holds how many clients stop after each period */
    if (options->unbounded)
        for (size_t k = 0; k < nclients; k++)
            if (first[k] != INT32_MAX && first[k] != INT32_MIN)
                table->cells[at[first[k] - lo] + (size_t)(last[k] - first[k])].active++;
    for (size_t r = 0; r < table->count; r++) {
        struct cohort *c = &table->cohorts[r];
        int64_t cumulative = 0, remaining = c->size;
        for (size_t j = 0; j < c->periods; j++) {
            struct cohort_cell *x = &c->cells[j];
            if (__builtin_add_overflow(cumulative, x->revenue, &cumulative)) {
                free(first);
                free(last);
                free(sizes);
                free(at);
                return table_overflow(table, diag, c->index);
            }
            x->cumulative = cumulative;
            if (options->unbounded) {
                int64_t stopping = x->active;
                x->active = remaining;
                remaining -= stopping;
            }
        }
    }
    free(first);
    free(last);
    free(sizes);
    free(at);
    return 0;
overflow:
    free(first);
    free(last);
    free(sizes);
    free(at);
    cohort_table_free(table);
    return diag_set(diag, "the revenue before first purchases overflows (over 9.2e12)");
oom:
    free(first);
    free(last);
    free(sizes);
    free(at);
    cohort_table_free(table);
    return diag_set(diag, "out of memory");
}

/* ---- writing ------------------------------------------------------------ */

static int per_client_decimals(const struct cohort_table *table)
{
    return table->revenue_decimals < 2 ? 2 : table->revenue_decimals;
}

/* total / count (count > 0) rounded half away from zero to `decimals`
 * decimals, in scaled units: format_money cuts, it does not round. */
static int64_t divide_rounded(__int128 total, int64_t count, int decimals)
{
    __int128 unit = 1;
    for (int d = decimals; d < MONEY_DECIMALS; d++)
        unit *= 10;
    __int128 divisor = (__int128)count * unit;
    __int128 q = total / divisor, rem = total % divisor;
    if (2 * (rem < 0 ? -rem : rem) >= divisor)
        q += total < 0 ? -1 : 1;
    return (int64_t)(q * unit);
}

void cohort_write(const struct cohort_table *table, struct csvout *out)
{
    static const char *const header[] = {
        "cohort", "period", "cohort_size", "active", "retention", "revenue",
        "revenue_retention", "cumulative_revenue_per_client", "partial"
    };
    for (size_t i = 0; i < sizeof header / sizeof *header; i++)
        csvout_text(out, header[i]);
    csvout_end_row(out);
    for (size_t r = 0; r < table->count; r++) {
        const struct cohort *c = &table->cohorts[r];
        char label[COHORT_LABEL_MAX];
        cohort_period_label(table->period, c->index, label);
        int64_t base = c->cells[0].revenue;
        for (size_t k = 0; k < c->periods; k++) {
            const struct cohort_cell *x = &c->cells[k];
            csvout_text(out, label);
            csvout_long(out, (long long)k);
            csvout_long(out, c->size);
            csvout_long(out, x->active);
            csvout_double(out, (double)x->active / (double)c->size);
            csvout_money(out, x->revenue, table->revenue_decimals);
            if (base > 0)
                csvout_double(out, (double)x->revenue / (double)base);
            else
                csvout_empty(out);
            int decimals = per_client_decimals(table);
            csvout_money(out, divide_rounded(x->cumulative, c->size, decimals), decimals);
            csvout_long(out, cohort_is_partial(table, c, k));
            csvout_end_row(out);
        }
    }
}

void cohort_write_summary(const struct cohort_table *table, struct csvout *out)
{
    static const char *const header[] = {
        "period", "cohorts", "clients", "active", "retention", "retention_min",
        "retention_max", "cumulative_revenue_per_client"
    };
    for (size_t i = 0; i < sizeof header / sizeof *header; i++)
        csvout_text(out, header[i]);
    csvout_end_row(out);
    size_t longest = 0;
    for (size_t r = 0; r < table->count; r++)
        if (table->cohorts[r].periods > longest)
            longest = table->cohorts[r].periods;
    for (size_t k = 0; k < longest; k++) {
        int64_t cohorts = 0, clients = 0, active = 0;
        __int128 cumulative = 0;
        double low = 2, high = -1;
        for (size_t r = 0; r < table->count; r++) {
            const struct cohort *c = &table->cohorts[r];
            if (k >= c->periods || cohort_is_partial(table, c, k))
                continue;
            double retention = (double)c->cells[k].active / (double)c->size;
            cohorts++;
            clients += c->size;
            active += c->cells[k].active;
            cumulative += c->cells[k].cumulative;
            if (retention < low)
                low = retention;
            if (retention > high)
                high = retention;
        }
        if (cohorts == 0)
            continue;
        csvout_long(out, (long long)k);
        csvout_long(out, cohorts);
        csvout_long(out, clients);
        csvout_long(out, active);
        csvout_double(out, (double)active / (double)clients);
        csvout_double(out, low);
        csvout_double(out, high);
        int decimals = per_client_decimals(table);
        csvout_money(out, divide_rounded(cumulative, clients, decimals), decimals);
        csvout_end_row(out);
    }
}

void cohort_table_notes(const struct cohort_table *table, void (*say)(const char *message))
{
    char message[256], money[32];
    if (table->clients_no_purchase) {
        snprintf(message, sizeof message, "%lld clients left out: they never bought (only "
                 "returns or zero amounts)", (long long)table->clients_no_purchase);
        say(message);
    }
    if (table->early_cells) {
        snprintf(message, sizeof message, "%lld client periods before the client's first "
                 "purchase left out (returns of earlier purchases, net %s)",
                 (long long)table->early_cells,
                 format_money(table->early_revenue, table->revenue_decimals, '.', money));
        say(message);
    }
}
