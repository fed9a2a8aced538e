/* share.c — market share per segment against effective and potential
 * demand: reading the market table, the company's clients counted from a
 * roll-up, the totals (see share.h). */
#include "share.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "columns.h"
#include "csvin.h"
#include "hashtab.h"
#include "parse.h"

/* ---- aliases ---------------------------------------------------------- */

const char *const share_segment_aliases[] = {
    "segment", "zone", "region", "secteur", "territory", "territoire", NULL
};
const char *const share_period_aliases[] = {
    "period", "periode", "mois", "month", "year", "annee", NULL
};
const char *const share_effective_aliases[] = {
    "effective", "effective consumers", "actual consumers", "consumers",
    "consommateurs", "consommateurs effectifs", "consommateurs reels", NULL
};
const char *const share_ncr_aliases[] = {
    "ncr", "non consommateurs relatifs", "relative non consumers", NULL
};
const char *const share_nca_aliases[] = {
    "nca", "non consommateurs absolus", "absolute non consumers", NULL
};
const char *const share_clients_aliases[] = {
    "clients", "nos clients", "our clients", "customers", NULL
};
const char *const share_population_aliases[] = {
    "population", "total population", "population totale", NULL
};
const char *const share_market_revenue_aliases[] = {
    "market_revenue", "market revenue", "market sales", "ca marche", "marche",
    "chiffre d'affaires marche", "chiffre d'affaires du marche", NULL
};
const char *const share_revenue_aliases[] = {
    "revenue", "ca", "chiffre d'affaires", "notre ca", "our revenue", NULL
};

/* The name of each field in messages and in the output header. */
static const char *const field_name[SHARE_FIELDS] = {
    "clients", "effective", "ncr", "nca", "population", "revenue", "market_revenue"
};

static int is_money(int field)
{
    return field == SHARE_REVENUE || field == SHARE_MARKET_REVENUE;
}

/* Beyond this many roll-up rows the counting stops with an error rather
 * than exhausting memory. */
#define SHARE_MAX_ROLLUP_ROWS 200000000u
/* Unmatched segments reported one by one before a single "and N more". */
#define SHARE_MAX_LISTED 20

/* ---- life cycle and small helpers ------------------------------------ */

void share_init(struct share *share)
{
    memset(share, 0, sizeof *share);
}

static void free_rows(struct share_row *rows, size_t count)
{
    for (size_t i = 0; rows && i < count; i++)
        free(rows[i].segment);
    free(rows);
}

void share_free(struct share *share)
{
    if (!share)
        return;
    free(share->market_name);
    free(share->period_column);
    for (size_t i = 0; share->periods && i < share->period_count; i++)
        free(share->periods[i]);
    free(share->periods);
    free_rows(share->rows, share->row_count);
    free_rows(share->totals, share->totals ? share->period_count : 0);
    free(share->clients_source);
    for (size_t i = 0; i < share->warning_count; i++)
        free(share->warnings[i]);
    free(share->warnings);
    memset(share, 0, sizeof *share);
}

static int warn(struct share *share, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Add a warning line. @return 0, -1 when out of memory. */
static int warn(struct share *share, const char *fmt, ...)
{
    char text[DIAG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    char **grown = realloc(share->warnings, (share->warning_count + 1) * sizeof *grown);
    if (!grown)
        return -1;
    share->warnings = grown;
    if (!(grown[share->warning_count] = strdup(text)))
        return -1;
    share->warning_count++;
    return 0;
}

static const char *quote(const char *text, char *out, size_t size)
{
    return diag_quote(text, strlen(text), out, size);
}

/* `segment "Nord"`, or `segment "Nord" of period "2024"`, for messages. */
static const char *segment_label(const struct share *share, const char *segment,
                                 size_t period, char *out, size_t size)
{
    char s[200], p[200];
    quote(segment, s, sizeof s);
    if (share->period_column)
        snprintf(out, size, "segment \"%s\" of period \"%s\"", s,
                 quote(share->periods[period], p, sizeof p));
    else
        snprintf(out, size, "segment \"%s\"", s);
    return out;
}

/* "TOTAL" or `TOTAL of period "2024"`. */
static const char *total_label(const struct share *share, size_t period, char *out, size_t size)
{
    char p[200];
    if (share->period_column)
        snprintf(out, size, "TOTAL of period \"%s\"", quote(share->periods[period], p, sizeof p));
    else
        snprintf(out, size, "TOTAL");
    return out;
}

/* A value for a message: a count, or money with the field's decimals. */
static const char *value_text(const struct share *share, int field, int64_t value,
                              char *out, size_t size)
{
    if (is_money(field)) {
        char buf[32];
        snprintf(out, size, "%s", format_money(value, share->decimals[field], '.', buf));
    } else {
        snprintf(out, size, "%lld", (long long)value);
    }
    return out;
}

static void trim_span(const char **s, size_t *len)
{
    while (*len > 0 && (**s == ' ' || **s == '\t')) { (*s)++; (*len)--; }
    while (*len > 0 && ((*s)[*len - 1] == ' ' || (*s)[*len - 1] == '\t')) (*len)--;
}

/* ---- the market table ------------------------------------------------ */

static long find_column(const struct table *t, const char *given, const char *const *aliases,
                        const char *role, int required, struct diag *diag)
{
    return columns_find((const char *const *)t->header, t->columns, given, aliases, role,
                        given ? 1 : required, t->name, diag);
}

static int folded_equal(const char *a, const char *b)
{
    char fa[256], fb[256];
    return strcmp(columns_fold(a, fa, sizeof fa), columns_fold(b, fb, sizeof fb)) == 0;
}

/* @return the index of period `name`, adding it when new; (size_t)-1 when
 * out of memory. */
static size_t period_index(struct share *share, const char *name)
{
    for (size_t i = 0; i < share->period_count; i++)
        if (strcmp(share->periods[i], name) == 0)
            return i;
    char **grown = realloc(share->periods, (share->period_count + 1) * sizeof *grown);
    if (!grown)
        return (size_t)-1;
    share->periods = grown;
    if (!(grown[share->period_count] = strdup(name)))
        return (size_t)-1;
    return share->period_count++;
}

static const struct share *sort_share;  /* context of compare_rows (qsort has none) */

static int compare_rows(const void *a, const void *b)
{
    const struct share_row *x = &sort_share->rows[*(const size_t *)a];
    const struct share_row *y = &sort_share->rows[*(const size_t *)b];
    if (x->period != y->period)
        return x->period < y->period ? -1 : 1;
    int c = strcmp(x->segment, y->segment);
    if (c)
        return c;
    return x->line < y->line ? -1 : x->line > y->line;
}

/* A segment listed twice in one period is an error naming both lines. */
static int check_duplicates(struct share *share, struct diag *diag)
{
    if (share->row_count < 2)
        return 0;
    size_t *order = malloc(share->row_count * sizeof *order);
    if (!order)
        return diag_set(diag, "out of memory");
    for (size_t i = 0; i < share->row_count; i++)
        order[i] = i;
    sort_share = share;
    qsort(order, share->row_count, sizeof *order, compare_rows);
    int status = 0;
    for (size_t i = 1; i < share->row_count; i++) {
        const struct share_row *a = &share->rows[order[i - 1]], *b = &share->rows[order[i]];
        if (a->period == b->period && strcmp(a->segment, b->segment) == 0) {
            char label[512];
            status = diag_set(diag, "%s:%ld: %s is listed twice (lines %ld and %ld)",
                              share->market_name, b->line,
                              segment_label(share, b->segment, b->period, label, sizeof label),
                              a->line, b->line);
            break;
        }
    }
    free(order);
    return status;
}

/* Checks within one row, and nca/population derived from each other. */
static int check_row(struct share *share, struct share_row *row, struct diag *diag)
{
    char label[512], number[40];
    segment_label(share, row->segment, row->period, label, sizeof label);
    for (int f = 0; f < SHARE_FIELDS; f++)
        if (row->known[f] && row->value[f] < 0)
            return diag_set(diag, "%s:%ld: %s: negative %s (%s)", share->market_name, row->line,
                            label, field_name[f],
                            value_text(share, f, row->value[f], number, sizeof number));
    int64_t effective = row->value[SHARE_EFFECTIVE], ncr = row->value[SHARE_NCR];
    int64_t potential, reachable;
    if (__builtin_add_overflow(effective, ncr, &potential))
        return diag_set(diag, "%s:%ld: %s: effective + ncr is too large", share->market_name,
                        row->line, label);
    int64_t *nca = &row->value[SHARE_NCA], *population = &row->value[SHARE_POPULATION];
    if (row->known[SHARE_NCA]) {
        if (__builtin_add_overflow(potential, *nca, &reachable))
            return diag_set(diag, "%s:%ld: %s: effective + ncr + nca is too large",
                            share->market_name, row->line, label);
        if (row->known[SHARE_POPULATION] && *population < reachable)
            return diag_set(diag, "%s:%ld: %s: population %lld is smaller than effective + ncr "
                            "+ nca (%lld + %lld + %lld = %lld)", share->market_name, row->line,
                            label, (long long)*population, (long long)effective, (long long)ncr,
                            (long long)*nca, (long long)reachable);
        if (!row->known[SHARE_POPULATION]) {
            *population = reachable;
            row->known[SHARE_POPULATION] = 1;
        }
    } else if (row->known[SHARE_POPULATION]) {
        if (*population < potential)
            return diag_set(diag, "%s:%ld: %s: population %lld is smaller than effective + ncr "
                            "(%lld + %lld = %lld)", share->market_name, row->line, label,
                            (long long)*population, (long long)effective, (long long)ncr,
                            (long long)potential);
        *nca = *population - potential;
        row->known[SHARE_NCA] = 1;
    }
    return 0;
}

int share_load_market(struct share *share, const struct table *market,
                      const struct share_options *o, struct diag *diag)
{
    struct diag scratch;
    long column[SHARE_FIELDS];
    long segment_col, period_col;

    if (!(share->market_name = strdup(market->name)))
        return diag_set(diag, "out of memory");

    /* the segment column: --market-segment, else the roll-up's --segment
     * name when the market table has it, else an alias */
    if (o->market_segment) {
        segment_col = find_column(market, o->market_segment, NULL, "segment", 1, diag);
    } else {
        segment_col = -1;
        if (o->segment) {
            segment_col = columns_find((const char *const *)market->header, market->columns,
                                       o->segment, NULL, "segment", 0, market->name, &scratch);
            if (segment_col == -2) {
                *diag = scratch;
                return -1;
            }
        }
        if (segment_col < 0)
            segment_col = find_column(market, NULL, share_segment_aliases, "segment", 1, diag);
    }
    if (segment_col < 0)
        return -1;
    period_col = find_column(market, o->period, share_period_aliases, "period", 0, diag);
    if (period_col == -2 || (o->period && period_col < 0))
        return -1;

    static const char *const *const aliases[SHARE_FIELDS] = {
        share_clients_aliases, share_effective_aliases, share_ncr_aliases, share_nca_aliases,
        share_population_aliases, share_revenue_aliases, share_market_revenue_aliases
    };
    static const char *const role[SHARE_FIELDS] = {
        "clients-column", "effective", "ncr", "nca", "population", "revenue", "market-revenue"
    };
    const char *given[SHARE_FIELDS] = {
        o->clients_column, o->effective, o->ncr, o->nca, o->population,
        o->from_rollup ? NULL : o->revenue, o->market_revenue
    };
    for (int f = 0; f < SHARE_FIELDS; f++) {
        int required = f == SHARE_EFFECTIVE || f == SHARE_NCR;
        column[f] = find_column(market, given[f], aliases[f], role[f], required, diag);
        if (column[f] == -2 || (column[f] == -1 && (required || given[f])))
            return -1;
    }
    if (o->from_rollup && column[SHARE_CLIENTS] >= 0) {
        char name[200];
        if (warn(share, "%s: column \"%s\" ignored: the clients are counted from the roll-up",
                 market->name, quote(market->header[column[SHARE_CLIENTS]], name, sizeof name)))
            return diag_set(diag, "out of memory");
        column[SHARE_CLIENTS] = -1;
    }
    if (!o->from_rollup && column[SHARE_CLIENTS] < 0)
        return diag_set(diag, "%s: no clients column found (name it with --clients-column, or "
                        "count the clients from a roll-up with --clients FILE --segment COL)",
                        market->name);

    /* one column, one role */
    long used[SHARE_FIELDS + 2];
    const char *used_role[SHARE_FIELDS + 2];
    size_t n_used = 0;
    used[n_used] = segment_col; used_role[n_used++] = "segment";
    if (period_col >= 0) { used[n_used] = period_col; used_role[n_used++] = "period"; }
    for (int f = 0; f < SHARE_FIELDS; f++)
        if (column[f] >= 0) { used[n_used] = column[f]; used_role[n_used++] = field_name[f]; }
    for (size_t i = 0; i < n_used; i++)
        for (size_t k = i + 1; k < n_used; k++)
            if (used[i] == used[k])
                return diag_set(diag, "%s: column \"%s\" cannot be both the %s and the %s",
                                market->name, market->header[used[i]], used_role[i], used_role[k]);

    if (period_col >= 0 && !(share->period_column = strdup(market->header[period_col])))
        return diag_set(diag, "out of memory");
    for (int f = 0; f < SHARE_FIELDS; f++)
        share->has[f] = column[f] >= 0;
    if (share->has[SHARE_NCA] || share->has[SHARE_POPULATION])
        share->has[SHARE_NCA] = share->has[SHARE_POPULATION] = 1;
    if (period_col < 0 && period_index(share, "") == (size_t)-1)
        return diag_set(diag, "out of memory");

    if (market->rows == 0)
        return diag_set(diag, "%s: no segments (the table has a header only)", market->name);
    share->rows = calloc(market->rows, sizeof *share->rows);
    if (!share->rows)
        return diag_set(diag, "out of memory");

    /* one decimal mark per column, counts as money: given, else a ';'
     * file's decimal comma (as every program presumes), else decided by
     * the values, a contradiction being an error naming both lines */
    struct parse_mark mark[SHARE_FIELDS];
    for (int f = 0; f < SHARE_FIELDS; f++)
        parse_mark_init(&mark[f], o->decimal_mark ? o->decimal_mark
                                  : parse_mark_of_delim(market->delim));
    for (size_t r = 0; r < market->rows; r++) {
        struct share_row *row = &share->rows[r];
        long line = market->lines[r];
        char label[512], shown[200];
        const char *segment = table_cell(market, r, (size_t)segment_col);
        size_t seg_len = strlen(segment);
        const char *seg_start = segment;
        trim_span(&seg_start, &seg_len);
        if (seg_len == 0)
            return diag_set(diag, "%s:%ld: empty segment", market->name, line);
        if (folded_equal(segment, "total"))
            return diag_set(diag, "%s:%ld: a segment is named \"%s\": remove the table's own "
                            "total row, cl-share computes the TOTAL", market->name, line,
                            quote(segment, shown, sizeof shown));
        if (!(row->segment = strdup(segment)))
            return diag_set(diag, "out of memory");
        share->row_count = r + 1;
        row->line = line;
        if (period_col >= 0) {
            const char *period = table_cell(market, r, (size_t)period_col);
            size_t p_len = strlen(period);
            trim_span(&period, &p_len);
            if (p_len == 0)
                return diag_set(diag, "%s:%ld: segment \"%s\": empty period", market->name, line,
                                quote(segment, shown, sizeof shown));
            row->period = period_index(share, table_cell(market, r, (size_t)period_col));
            if (row->period == (size_t)-1)
                return diag_set(diag, "out of memory");
        }
        segment_label(share, row->segment, row->period, label, sizeof label);
        for (int f = 0; f < SHARE_FIELDS; f++) {
            if (column[f] < 0)
                continue;
            const char *cell = table_cell(market, r, (size_t)column[f]);
            const char *problem = NULL;
            const char *span = cell;
            size_t span_len = strlen(cell);
            trim_span(&span, &span_len);
            if (span_len == 0) {
                if (f == SHARE_CLIENTS || f == SHARE_EFFECTIVE || f == SHARE_NCR)
                    problem = "is empty";
                else
                    continue;   /* unknown here: empty derived cells */
            } else if (is_money(f)) {
                int decimals;
                enum parse_status st = parse_decimal_mark(&mark[f], line, cell, strlen(cell),
                                                          &row->value[f], &decimals);
                if (st != PARSE_OK)
                    problem = parse_status_text(st);
                else if (decimals > share->decimals[f])
                    share->decimals[f] = decimals;
            } else {
                enum parse_status st = parse_count_mark(&mark[f], line, cell, &row->value[f]);
                if (st != PARSE_OK)
                    problem = parse_status_text(st);
            }
            if (problem && mark[f].wanted) {
                char text[DIAG_MAX];
                return diag_set(diag, "%s:%ld: %s: %s", market->name, line, label,
                                parse_mark_conflict(&mark[f], field_name[f], cell, strlen(cell),
                                                    text, sizeof text));
            }
            if (problem)
                return diag_set(diag, "%s:%ld: %s: %s \"%s\" %s", market->name, line, label,
                                field_name[f], quote(cell, shown, sizeof shown), problem);
            row->known[f] = 1;
        }
    }
    for (size_t r = 0; r < share->row_count; r++)
        if (check_row(share, &share->rows[r], diag))
            return -1;
    return check_duplicates(share, diag);
}

/* ---- counting the clients from a roll-up ------------------------------ */

/* A string -> id map (open addressing, the keyed hashtab_hash) for the
 * segment keys. */
struct key_map {
    char **keys;        /* owned */
    size_t *ids;
    size_t size, used;  /* size: a power of two */
};

static uint64_t hash_key(const char *key)
{
    return hashtab_hash(key, strlen(key));
}

static void key_map_free(struct key_map *map)
{
    for (size_t i = 0; map->keys && i < map->size; i++)
        free(map->keys[i]);
    free(map->keys);
    free(map->ids);
    memset(map, 0, sizeof *map);
}

/* @return the slot of key: where it is, or the empty slot for it. */
static size_t key_map_slot(const struct key_map *map, const char *key)
{
    size_t i = (size_t)hash_key(key) & (map->size - 1);
    while (map->keys[i] && strcmp(map->keys[i], key) != 0)
        i = (i + 1) & (map->size - 1);
    return i;
}

static int key_map_grow(struct key_map *map)
{
    struct key_map bigger = { 0 };
    bigger.size = map->size ? map->size * 2 : 64;
    bigger.keys = calloc(bigger.size, sizeof *bigger.keys);
    bigger.ids = calloc(bigger.size, sizeof *bigger.ids);
    if (!bigger.keys || !bigger.ids) {
        key_map_free(&bigger);
        return -1;
    }
    for (size_t i = 0; i < map->size; i++) {
        if (!map->keys[i])
            continue;
        size_t slot = key_map_slot(&bigger, map->keys[i]);
        bigger.keys[slot] = map->keys[i];
        bigger.ids[slot] = map->ids[i];
    }
    bigger.used = map->used;
    free(map->keys);
    free(map->ids);
    *map = bigger;
    return 0;
}

/* @return 1 found (*id set), 0 added with id `fresh`, -1 out of memory. */
static int key_map_get(struct key_map *map, const char *key, size_t fresh, size_t *id)
{
    if ((map->used + 1) * 2 > map->size && key_map_grow(map))
        return -1;
    size_t slot = key_map_slot(map, key);
    if (map->keys[slot]) {
        *id = map->ids[slot];
        return 1;
    }
    if (!(map->keys[slot] = strdup(key)))
        return -1;
    map->ids[slot] = *id = fresh;
    map->used++;
    return 0;
}

/* "period \x1f segment": the period part is empty without periods. */
static char *make_key(const char *period, const char *segment)
{
    size_t lp = strlen(period), ls = strlen(segment);
    char *key = malloc(lp + ls + 2);
    if (key) {
        memcpy(key, period, lp);
        key[lp] = '\x1f';
        memcpy(key + lp + 1, segment, ls + 1);
    }
    return key;
}

struct pair {            /* one roll-up row: a customer under a segment key */
    size_t id;
    char *customer;      /* owned */
};

struct stray {           /* a roll-up segment not in the market table */
    char *segment, *period;     /* owned */
    int64_t clients, revenue;
};

static int compare_pairs(const void *a, const void *b)
{
    const struct pair *x = a, *y = b;
    if (x->id != y->id)
        return x->id < y->id ? -1 : 1;
    return strcmp(x->customer, y->customer);
}

struct counting {
    struct key_map map;
    struct pair *pairs;
    size_t pair_count, pair_cap;
    struct stray *strays;
    size_t stray_count, stray_cap;
};

static void counting_free(struct counting *c)
{
    key_map_free(&c->map);
    for (size_t i = 0; i < c->pair_count; i++)
        free(c->pairs[i].customer);
    free(c->pairs);
    for (size_t i = 0; i < c->stray_count; i++) {
        free(c->strays[i].segment);
        free(c->strays[i].period);
    }
    free(c->strays);
}

/* The roll-up's period column: --period, else the market's period column
 * name, else an alias. */
static long rollup_period_column(const struct share *share, const csvin *in, const char **names,
                                 size_t count, const struct share_options *o, struct diag *diag)
{
    struct diag scratch;
    const char *given = o->period ? o->period : share->period_column;
    long col = columns_find(names, count, given, NULL, "period", 0, csvin_name(in), &scratch);
    if (col == -2) {
        *diag = scratch;
        return -2;
    }
    if (col < 0)
        col = columns_find(names, count, NULL, share_period_aliases, "period", 0,
                           csvin_name(in), diag);
    char shown[200];
    if (col == -1)
        diag_set(diag, "%s: no period column (the market table has one, \"%s\")",
                 csvin_name(in), quote(share->period_column, shown, sizeof shown));
    return col;
}

/* Warnings for the segments that do not match, both ways. */
static int report_unmatched(struct share *share, const struct counting *c, const char *source,
                            int with_revenue, const int64_t *pairs_per_row)
{
    char label[512], number[40], hint[300];
    size_t listed = 0;
    for (size_t i = 0; i < c->stray_count; i++) {
        const struct stray *s = &c->strays[i];
        if (listed == SHARE_MAX_LISTED) {
            if (warn(share, "%s: and %zu more segments not in %s", source,
                     c->stray_count - i, share->market_name))
                return -1;
            break;
        }
        char shown[200], period[200];
        if (share->period_column)
            snprintf(label, sizeof label, "segment \"%s\" of period \"%s\"",
                     quote(s->segment, shown, sizeof shown),
                     quote(s->period, period, sizeof period));
        else
            snprintf(label, sizeof label, "segment \"%s\"", quote(s->segment, shown, sizeof shown));
        hint[0] = '\0';
        for (size_t r = 0; r < share->row_count; r++) {
            const struct share_row *row = &share->rows[r];
            if (strcmp(share->periods[row->period], s->period) == 0 &&
                folded_equal(row->segment, s->segment)) {
                snprintf(hint, sizeof hint, " (%s:%ld has \"%s\")", share->market_name,
                         row->line, quote(row->segment, shown, sizeof shown));
                break;
            }
        }
        char money[60] = "";
        if (with_revenue)
            snprintf(money, sizeof money, ", revenue %s",
                     value_text(share, SHARE_REVENUE, s->revenue, number, sizeof number));
        if (warn(share, "%s: %s is not in %s%s: %lld client%s%s left out", source, label,
                 share->market_name, hint, (long long)s->clients, s->clients == 1 ? "" : "s",
                 money))
            return -1;
        listed++;
    }
    listed = 0;
    for (size_t r = 0; r < share->row_count; r++) {
        const struct share_row *row = &share->rows[r];
        if (pairs_per_row[r] > 0)
            continue;
        if (warn(share, "%s:%ld: %s has no clients in %s", share->market_name, row->line,
                 segment_label(share, row->segment, row->period, label, sizeof label), source))
            return -1;
    }
    return 0;
}

int share_count_clients(struct share *share, const char *path, char delim,
                        const struct share_options *o, struct diag *diag)
{
    struct counting c = { 0 };
    int status = -1;
    int64_t *rows_seen = NULL;
    char *key = NULL;
    csvin *in = csvin_open(path, delim, diag);
    if (!in)
        return -1;
    if (!(share->clients_source = strdup(csvin_name(in))))
        goto nomem;
    const char *source = share->clients_source;

    size_t count = csvin_columns(in);
    const char **names = malloc(count * sizeof *names);
    if (!names)
        goto nomem;
    for (size_t i = 0; i < count; i++)
        names[i] = csvin_column_name(in, i);
    long customer_col = 0, segment_col, revenue_col, period_col = -1;
    if (o->customer)
        customer_col = columns_find(names, count, o->customer, NULL, "customer", 1, source, diag);
    segment_col = columns_find(names, count, o->segment, NULL, "segment", 1, source, diag);
    revenue_col = columns_find(names, count, o->revenue,
                               (const char *const[]){ "revenue", NULL }, "revenue", 0, source,
                               diag);
    if (share->period_column && customer_col >= 0 && segment_col >= 0 && revenue_col != -2)
        period_col = rollup_period_column(share, in, names, count, o, diag);
    free(names);
    if (customer_col < 0 || segment_col < 0 || revenue_col == -2 || (o->revenue && revenue_col < 0)
        || (share->period_column && period_col < 0))
        goto done;

    /* the market segments are ids 0 .. row_count-1 */
    for (size_t r = 0; r < share->row_count; r++) {
        size_t id;
        key = make_key(share->periods[share->rows[r].period], share->rows[r].segment);
        if (!key || key_map_get(&c.map, key, r, &id) < 0)
            goto nomem;
        free(key);
        key = NULL;
    }
    int with_revenue = revenue_col >= 0;
    if (with_revenue) {
        if (share->has[SHARE_REVENUE]) {
            if (warn(share, "%s: its revenue column is ignored: the company's revenue is summed "
                     "from %s", share->market_name, source))
                goto nomem;
        }
        share->decimals[SHARE_REVENUE] = 0;
        for (size_t r = 0; r < share->row_count; r++) {
            share->rows[r].value[SHARE_REVENUE] = 0;
            share->rows[r].known[SHARE_REVENUE] = 1;
        }
        share->has[SHARE_REVENUE] = 1;
    }

    struct parse_mark mark;     /* as cl-rollup wrote it: '.', or ',' with --excel */
    parse_mark_init(&mark, parse_mark_of_delim(csvin_delim(in)));
    int got;
    while ((got = csvin_next(in, diag)) > 0) {
        long line = csvin_line(in);
        char shown[200];
        const char *customer = csvin_field(in, (size_t)customer_col, NULL);
        const char *segment = csvin_field(in, (size_t)segment_col, NULL);
        const char *period = period_col >= 0 ? csvin_field(in, (size_t)period_col, NULL) : "";
        if (customer[0] == '\0') {
            diag_set(diag, "%s:%ld: empty customer", source, line);
            goto done;
        }
        int64_t revenue = 0;
        if (with_revenue) {
            size_t len;
            const char *cell = csvin_field(in, (size_t)revenue_col, &len);
            int decimals;
            enum parse_status st = parse_decimal_mark(&mark, line, cell, len, &revenue,
                                                      &decimals);
            if (st == PARSE_MARK_CONFLICT) {
                char text[DIAG_MAX];
                diag_set(diag, "%s:%ld: %s", source, line,
                         parse_mark_conflict(&mark, "revenue", cell, len, text, sizeof text));
                goto done;
            }
            if (st != PARSE_OK) {
                diag_set(diag, "%s:%ld: revenue \"%s\" %s", source, line,
                         diag_quote(cell, len, shown, sizeof shown), parse_status_text(st));
                goto done;
            }
            if (decimals > share->decimals[SHARE_REVENUE])
                share->decimals[SHARE_REVENUE] = decimals;
        }
        if (!(key = make_key(period, segment)))
            goto nomem;
        size_t id;
        int found = key_map_get(&c.map, key, share->row_count + c.stray_count, &id);
        free(key);
        key = NULL;
        if (found < 0)
            goto nomem;
        if (found == 0) {
            if (c.stray_count == c.stray_cap) {
                size_t cap = c.stray_cap ? c.stray_cap * 2 : 16;
                struct stray *grown = realloc(c.strays, cap * sizeof *grown);
                if (!grown)
                    goto nomem;
                c.strays = grown;
                c.stray_cap = cap;
            }
            struct stray *s = &c.strays[c.stray_count];
            memset(s, 0, sizeof *s);
            s->segment = strdup(segment);
            s->period = strdup(period);
            c.stray_count++;
            if (!s->segment || !s->period)
                goto nomem;
        }
        int64_t *sum = id < share->row_count ? &share->rows[id].value[SHARE_REVENUE]
                                             : &c.strays[id - share->row_count].revenue;
        if (with_revenue && id < share->row_count) {
            struct share_row *row = &share->rows[id];
            if (row->low_line == 0 || revenue < row->low_revenue) {
                row->low_line = line;
                row->low_revenue = revenue;
            }
        }
        if (with_revenue && __builtin_add_overflow(*sum, revenue, sum)) {
            diag_set(diag, "%s:%ld: the revenue of segment \"%s\" is too large", source, line,
                     quote(segment, shown, sizeof shown));
            goto done;
        }
        if (c.pair_count == SHARE_MAX_ROLLUP_ROWS) {
            diag_set(diag, "%s:%ld: more than %u rows", source, line, SHARE_MAX_ROLLUP_ROWS);
            goto done;
        }
        if (c.pair_count == c.pair_cap) {
            size_t cap = c.pair_cap ? c.pair_cap * 2 : 1024;
            struct pair *grown = realloc(c.pairs, cap * sizeof *grown);
            if (!grown)
                goto nomem;
            c.pairs = grown;
            c.pair_cap = cap;
        }
        if (!(c.pairs[c.pair_count].customer = strdup(customer)))
            goto nomem;
        c.pairs[c.pair_count++].id = id;
    }
    if (got < 0)
        goto done;

    /* distinct customers per segment key */
    qsort(c.pairs, c.pair_count, sizeof *c.pairs, compare_pairs);
    rows_seen = calloc(share->row_count, sizeof *rows_seen);
    if (!rows_seen)
        goto nomem;
    for (size_t r = 0; r < share->row_count; r++) {
        share->rows[r].value[SHARE_CLIENTS] = 0;
        share->rows[r].known[SHARE_CLIENTS] = 1;
    }
    for (size_t i = 0; i < c.pair_count; i++) {
        size_t id = c.pairs[i].id;
        int fresh = i == 0 || id != c.pairs[i - 1].id ||
                    strcmp(c.pairs[i].customer, c.pairs[i - 1].customer) != 0;
        if (id < share->row_count) {
            rows_seen[id]++;
            share->rows[id].value[SHARE_CLIENTS] += fresh;
        } else {
            c.strays[id - share->row_count].clients += fresh;
        }
    }
    share->has[SHARE_CLIENTS] = 1;
    if (report_unmatched(share, &c, source, with_revenue, rows_seen))
        goto nomem;
    status = 0;
    goto done;
nomem:
    status = diag_set(diag, "out of memory");
done:
    free(key);
    free(rows_seen);
    counting_free(&c);
    csvin_close(in);
    return status;
}

/* ---- checks, totals, figures ----------------------------------------- */

void share_figures(const struct share_row *row, struct share_figures *f)
{
    const int64_t *v = row->value;
    const unsigned char *k = row->known;
    f->potential = v[SHARE_EFFECTIVE] + v[SHARE_NCR];
    f->competitors = v[SHARE_EFFECTIVE] - v[SHARE_CLIENTS];
    f->headroom = f->potential - v[SHARE_CLIENTS];
    f->share_effective = k[SHARE_CLIENTS] && v[SHARE_EFFECTIVE] > 0
        ? (double)v[SHARE_CLIENTS] / (double)v[SHARE_EFFECTIVE] : NAN;
    f->share_potential = k[SHARE_CLIENTS] && f->potential > 0
        ? (double)v[SHARE_CLIENTS] / (double)f->potential : NAN;
    f->penetration = k[SHARE_POPULATION] && v[SHARE_POPULATION] > 0
        ? (double)v[SHARE_EFFECTIVE] / (double)v[SHARE_POPULATION] : NAN;
    f->share_value = k[SHARE_REVENUE] && k[SHARE_MARKET_REVENUE] && v[SHARE_MARKET_REVENUE] > 0
        ? (double)v[SHARE_REVENUE] / (double)v[SHARE_MARKET_REVENUE] : NAN;
}

/* Warnings for the ratios of a row left empty by a zero denominator.
 * where: "market.csv:4: segment "Sud"" or "market.csv: TOTAL". */
static int warn_zero(struct share *share, const struct share_row *row, const char *where)
{
    const int64_t *v = row->value;
    const unsigned char *k = row->known;
    if (v[SHARE_EFFECTIVE] == 0 &&
        warn(share, "%s: share_effective left empty: 0 effective consumers", where))
        return -1;
    if (v[SHARE_EFFECTIVE] + v[SHARE_NCR] == 0 &&
        warn(share, "%s: share_potential left empty: potential (effective + ncr) is 0", where))
        return -1;
    if (k[SHARE_POPULATION] && v[SHARE_POPULATION] == 0 &&
        warn(share, "%s: penetration left empty: population is 0", where))
        return -1;
    if (k[SHARE_REVENUE] && k[SHARE_MARKET_REVENUE] && v[SHARE_MARKET_REVENUE] == 0 &&
        warn(share, "%s: share_value left empty: market revenue is 0", where))
        return -1;
    return 0;
}

int share_finish(struct share *share, struct diag *diag)
{
    char label[512], a[40], b[40];
    for (size_t r = 0; r < share->row_count; r++) {
        const struct share_row *row = &share->rows[r];
        segment_label(share, row->segment, row->period, label, sizeof label);
        char counted[300] = "", summed[300] = "";
        if (share->clients_source) {
            snprintf(counted, sizeof counted, " (counted in %s)", share->clients_source);
            snprintf(summed, sizeof summed, " (summed in %s)", share->clients_source);
        }
        if (row->value[SHARE_CLIENTS] > row->value[SHARE_EFFECTIVE])
            return diag_set(diag, "%s:%ld: %s: %lld clients%s but only %lld effective consumers",
                            share->market_name, row->line, label,
                            (long long)row->value[SHARE_CLIENTS], counted,
                            (long long)row->value[SHARE_EFFECTIVE]);
        if (row->known[SHARE_REVENUE] && row->value[SHARE_REVENUE] < 0 && row->low_line) {
            /* summed from the roll-up: its line says where to look */
            char low[40];
            value_text(share, SHARE_REVENUE, row->value[SHARE_REVENUE], a, sizeof a);
            value_text(share, SHARE_REVENUE, row->low_revenue, low, sizeof low);
            if (!share->negative_as_zero)
                return diag_set(diag, "%s:%ld: %s: the net revenue of its clients adds up to "
                                "%s, below 0 (this line's client: %s, the lowest); "
                                "--negative-as-zero counts it as 0", share->clients_source,
                                row->low_line, label, a, low);
            if (warn(share, "%s:%ld: %s: the net revenue of its clients adds up to %s, "
                     "counted as 0 (--negative-as-zero; this line's client: %s, the lowest)",
                     share->clients_source, row->low_line, label, a, low))
                return diag_set(diag, "out of memory");
            share->rows[r].value[SHARE_REVENUE] = 0;
        }
        if (row->known[SHARE_REVENUE] && row->value[SHARE_REVENUE] < 0)
            return diag_set(diag, "%s:%ld: %s: negative revenue (%s)%s", share->market_name,
                            row->line, label,
                            value_text(share, SHARE_REVENUE, row->value[SHARE_REVENUE], a,
                                       sizeof a),
                            summed);
        if (row->known[SHARE_REVENUE] && row->known[SHARE_MARKET_REVENUE] &&
            row->value[SHARE_REVENUE] > row->value[SHARE_MARKET_REVENUE])
            return diag_set(diag, "%s:%ld: %s: revenue %s%s but market revenue only %s",
                            share->market_name, row->line, label,
                            value_text(share, SHARE_REVENUE, row->value[SHARE_REVENUE], a,
                                       sizeof a),
                            summed,
                            value_text(share, SHARE_MARKET_REVENUE,
                                       row->value[SHARE_MARKET_REVENUE], b, sizeof b));
    }

    share->totals = calloc(share->period_count, sizeof *share->totals);
    if (!share->totals)
        return diag_set(diag, "out of memory");
    for (size_t p = 0; p < share->period_count; p++) {
        struct share_row *total = &share->totals[p];
        if (!(total->segment = strdup("TOTAL")))
            return diag_set(diag, "out of memory");
        total->period = p;
        size_t unknown[SHARE_FIELDS] = { 0 };
        for (int f = 0; f < SHARE_FIELDS; f++)
            total->known[f] = (unsigned char)share->has[f];
        for (size_t r = 0; r < share->row_count; r++) {
            const struct share_row *row = &share->rows[r];
            if (row->period != p)
                continue;
            for (int f = 0; f < SHARE_FIELDS; f++) {
                if (!share->has[f])
                    continue;
                if (!row->known[f]) {
                    unknown[f]++;
                    total->known[f] = 0;
                } else if (__builtin_add_overflow(total->value[f], row->value[f],
                                                  &total->value[f])) {
                    return diag_set(diag, "%s: %s: the sum of %s is too large",
                                    share->market_name,
                                    total_label(share, p, label, sizeof label), field_name[f]);
                }
            }
        }
        int64_t potential;
        if (__builtin_add_overflow(total->value[SHARE_EFFECTIVE], total->value[SHARE_NCR],
                                   &potential))
            return diag_set(diag, "%s: %s: effective + ncr is too large", share->market_name,
                            total_label(share, p, label, sizeof label));
        for (int f = 0; f < SHARE_FIELDS; f++) {
            if (!unknown[f])
                continue;
            total->value[f] = 0;
            if (warn(share, "%s: %s: %s left empty: unknown for %zu segment%s",
                     share->market_name, total_label(share, p, label, sizeof label),
                     field_name[f], unknown[f], unknown[f] > 1 ? "s" : ""))
                return diag_set(diag, "out of memory");
        }
    }

    /* zero denominators, in output order */
    for (size_t p = 0; p < share->period_count; p++) {
        char where[700];
        for (size_t r = 0; r < share->row_count; r++) {
            const struct share_row *row = &share->rows[r];
            if (row->period != p)
                continue;
            snprintf(where, sizeof where, "%s:%ld: %s", share->market_name, row->line,
                     segment_label(share, row->segment, row->period, label, sizeof label));
            if (warn_zero(share, row, where))
                return diag_set(diag, "out of memory");
        }
        snprintf(where, sizeof where, "%s: %s", share->market_name,
                 total_label(share, p, label, sizeof label));
        if (warn_zero(share, &share->totals[p], where))
            return diag_set(diag, "out of memory");
    }
    return 0;
}

/* ---- output ------------------------------------------------------------ */

static int has_population_group(const struct share *share)
{
    return share->has[SHARE_NCA] || share->has[SHARE_POPULATION];
}

static int has_value_group(const struct share *share)
{
    return share->has[SHARE_REVENUE] || share->has[SHARE_MARKET_REVENUE];
}

static void write_count(struct csvout *out, const struct share_row *row, int field)
{
    if (row->known[field])
        csvout_long(out, row->value[field]);
    else
        csvout_empty(out);
}

static void write_money(const struct share *share, struct csvout *out,
                        const struct share_row *row, int field)
{
    if (row->known[field])
        csvout_money(out, row->value[field], share->decimals[field]);
    else
        csvout_empty(out);
}

static void write_row(const struct share *share, struct csvout *out, const struct share_row *row)
{
    struct share_figures f;
    share_figures(row, &f);
    if (share->period_column)
        csvout_text(out, share->periods[row->period]);
    csvout_text(out, row->segment);
    write_count(out, row, SHARE_CLIENTS);
    write_count(out, row, SHARE_EFFECTIVE);
    write_count(out, row, SHARE_NCR);
    csvout_long(out, f.potential);
    csvout_double(out, f.share_effective);
    csvout_double(out, f.share_potential);
    csvout_long(out, f.competitors);
    csvout_long(out, f.headroom);
    if (has_population_group(share)) {
        write_count(out, row, SHARE_NCA);
        write_count(out, row, SHARE_POPULATION);
        csvout_double(out, f.penetration);
    }
    if (has_value_group(share)) {
        write_money(share, out, row, SHARE_REVENUE);
        write_money(share, out, row, SHARE_MARKET_REVENUE);
        csvout_double(out, f.share_value);
    }
    csvout_end_row(out);
}

void share_write(const struct share *share, struct csvout *out)
{
    static const char *const base[] = {
        "segment", "clients", "effective", "ncr", "potential", "share_effective",
        "share_potential", "competitors", "headroom"
    };
    if (share->period_column)
        csvout_text(out, "period");
    for (size_t i = 0; i < sizeof base / sizeof *base; i++)
        csvout_text(out, base[i]);
    if (has_population_group(share)) {
        csvout_text(out, "nca");
        csvout_text(out, "population");
        csvout_text(out, "penetration");
    }
    if (has_value_group(share)) {
        csvout_text(out, "revenue");
        csvout_text(out, "market_revenue");
        csvout_text(out, "share_value");
    }
    csvout_end_row(out);
    for (size_t p = 0; p < share->period_count; p++) {
        for (size_t r = 0; r < share->row_count; r++)
            if (share->rows[r].period == p)
                write_row(share, out, &share->rows[r]);
        write_row(share, out, &share->totals[p]);
    }
}

enum metric_kind { METRIC_COUNT, METRIC_MONEY, METRIC_RATIO };

struct metric {
    const char *name;
    enum metric_kind kind;
    int known;          /* a RATIO is known when its denominator is > 0 */
    int64_t count;      /* COUNT and MONEY (scaled); a RATIO's numerator */
    int64_t denominator;/* RATIO */
    int decimals;       /* MONEY */
};

#define SHARE_MAX_METRICS 16

/* The summary figures of one period's TOTAL. @return how many. */
static size_t period_metrics(const struct share *share, size_t period, struct metric *m)
{
    const struct share_row *t = &share->totals[period];
    const int64_t *v = t->value;
    const unsigned char *k = t->known;
    struct share_figures f;
    share_figures(t, &f);
    size_t n = 0, segments = 0;
    for (size_t r = 0; r < share->row_count; r++)
        segments += share->rows[r].period == period;
#define COUNT(label, known_, value) \
    m[n++] = (struct metric){ label, METRIC_COUNT, known_, value, 0, 0 }
#define RATIO(label, known_, num, den) \
    m[n++] = (struct metric){ label, METRIC_RATIO, (known_) && (den) > 0, num, den, 0 }
#define MONEY(label, field) \
    m[n++] = (struct metric){ label, METRIC_MONEY, k[field], v[field], 0, share->decimals[field] }
    COUNT("segments", 1, (int64_t)segments);
    COUNT("clients", k[SHARE_CLIENTS], v[SHARE_CLIENTS]);
    COUNT("effective", 1, v[SHARE_EFFECTIVE]);
    COUNT("ncr", 1, v[SHARE_NCR]);
    COUNT("potential", 1, f.potential);
    RATIO("share_effective", k[SHARE_CLIENTS], v[SHARE_CLIENTS], v[SHARE_EFFECTIVE]);
    RATIO("share_potential", k[SHARE_CLIENTS], v[SHARE_CLIENTS], f.potential);
    COUNT("competitors", k[SHARE_CLIENTS], f.competitors);
    COUNT("headroom", k[SHARE_CLIENTS], f.headroom);
    if (has_population_group(share)) {
        COUNT("nca", k[SHARE_NCA], v[SHARE_NCA]);
        COUNT("population", k[SHARE_POPULATION], v[SHARE_POPULATION]);
        RATIO("penetration", k[SHARE_POPULATION], v[SHARE_EFFECTIVE], v[SHARE_POPULATION]);
    }
    if (has_value_group(share)) {
        MONEY("revenue", SHARE_REVENUE);
        MONEY("market_revenue", SHARE_MARKET_REVENUE);
        RATIO("share_value", k[SHARE_REVENUE] && k[SHARE_MARKET_REVENUE], v[SHARE_REVENUE],
              v[SHARE_MARKET_REVENUE]);
    }
#undef COUNT
#undef RATIO
#undef MONEY
    return n;
}

static void write_metric(struct csvout *out, const struct metric *m)
{
    if (!m->known)
        csvout_empty(out);
    else if (m->kind == METRIC_COUNT)
        csvout_long(out, m->count);
    else if (m->kind == METRIC_MONEY)
        csvout_money(out, m->count, m->decimals);
    else
        csvout_double(out, (double)m->count / (double)m->denominator);
}

/* value - previous; empty when either is unknown. The change of a ratio
 * a/b - c/d is computed as (ad - cb) / bd in 128-bit integers, so that
 * 0.1 - 0.08 prints 0.02 and not the binary rounding residue. */
static void write_change(struct csvout *out, const struct metric *now, const struct metric *before)
{
    if (!before || !now->known || !before->known) {
        csvout_empty(out);
        return;
    }
    if (now->kind == METRIC_RATIO) {
        __int128 num = (__int128)now->count * before->denominator -
                       (__int128)before->count * now->denominator;
        __int128 den = (__int128)now->denominator * before->denominator;
        csvout_double(out, (double)((long double)num / (long double)den));
        return;
    }
    int64_t change;
    if (__builtin_sub_overflow(now->count, before->count, &change))
        csvout_empty(out);
    else if (now->kind == METRIC_MONEY)
        csvout_money(out, change, now->decimals);
    else
        csvout_long(out, change);
}

void share_write_summary(const struct share *share, struct csvout *out)
{
    struct metric now[SHARE_MAX_METRICS], before[SHARE_MAX_METRICS];
    if (share->period_column)
        csvout_text(out, "period");
    csvout_text(out, "metric");
    csvout_text(out, "value");
    if (share->period_column)
        csvout_text(out, "change");
    csvout_end_row(out);
    for (size_t p = 0; p < share->period_count; p++) {
        size_t n = period_metrics(share, p, now);
        for (size_t i = 0; i < n; i++) {
            if (share->period_column)
                csvout_text(out, share->periods[p]);
            csvout_text(out, now[i].name);
            write_metric(out, &now[i]);
            if (share->period_column)
                write_change(out, &now[i], p > 0 ? &before[i] : NULL);
            csvout_end_row(out);
        }
        memcpy(before, now, n * sizeof *now);
    }
}
