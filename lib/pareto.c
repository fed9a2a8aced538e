/* pareto.c — ranking clients by value, A/B/C classes by cumulative value
 * or by quota, Gini and the Lorenz curve, class migrations (see pareto.h). */
#include "pareto.h"

#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "parse.h"
#include "radix.h"

/* Sums of scaled money: 128 bits hold n × INT64_MAX for any n that fits
 * in memory, so totals and the Gini numerator are exact. */
typedef __int128 wide;

/* ---- a column of numbers --------------------------------------------- */

/* Does a cell of the column end with a percent sign? */
static int has_percent(const struct table *t, size_t col)
{
    for (size_t i = 0; i < t->rows; i++) {
        const char *s = table_cell(t, i, col);
        size_t len = strlen(s);
        if (parse_percent_sign(s, &len))
            return 1;
    }
    return 0;
}

/* A column a spreadsheet saved as percent ("12.5%", "12,5 %"): each value
 * the fraction it shows (parse.h), every value with the sign or none, the
 * decimal mark decided on the whole column as below. Read as doubles. */
static int read_percent_column(struct pareto_column *c, const struct table *t, size_t col,
                               const char *role, struct diag *diag)
{
    struct parse_percent_column signs;
    struct parse_mark pm;
    parse_percent_column_init(&signs);
    parse_mark_init(&pm, 0);
    for (size_t i = 0; i < t->rows; i++) {
        const char *s = table_cell(t, i, col);
        size_t len = strlen(s), n = len;
        char text[DIAG_MAX];
        while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
            n--;
        if (n == 0)
            continue;
        if (parse_percent_column_note(&signs, t->lines[i], s, len) != 0)
            return diag_set(diag, "%s: %s", t->name,
                            parse_percent_mixed(&signs, role, text, sizeof text));
        parse_percent_sign(s, &n);
        double value;
        if (!pm.mark && parse_double_mark(&pm, t->lines[i], s, n, &value) == PARSE_MARK_CONFLICT)
            return diag_set(diag, "%s:%ld: %s", t->name, t->lines[i],
                            parse_mark_conflict(&pm, role, s, len, text, sizeof text));
    }
    if (pm.mark == 0 && t->delim == ';')
        pm.mark = ',';
    c->mark = pm.mark;
    c->exact = 1;
    c->decimals = 0;
    for (size_t i = 0; i < t->rows; i++) {
        const char *s = table_cell(t, i, col);
        size_t len = strlen(s), n = len;
        char mark = pm.mark;
        c->scaled[i] = 0;
        enum parse_status st = parse_share(s, len, PARSE_IN_FRACTION, &mark, &c->value[i], NULL);
        c->status[i] = (unsigned char)st;
        if (st != PARSE_OK) {
            c->value[i] = NAN;
            continue;
        }
        /* exact as the fraction when the percent has at most 4 decimals
         * (12.5% is 0.125: 6 decimals kept) */
        int64_t scaled;
        int decimals;
        mark = pm.mark;
        parse_percent_sign(s, &n);
        if (parse_decimal(s, n, &mark, &scaled, &decimals) == PARSE_OK && scaled % 100 == 0) {
            c->scaled[i] = scaled / 100;
            if (decimals + 2 > c->decimals)
                c->decimals = decimals + 2;
        } else {
            c->exact = 0;
        }
    }
    if (!c->exact)
        c->decimals = 0;
    return 0;
}

int pareto_column_read(struct pareto_column *c, const struct table *t, size_t col,
                       struct diag *diag)
{
    return pareto_column_read_mark(c, t, col, 0, diag);
}

int pareto_column_read_mark(struct pareto_column *c, const struct table *t, size_t col,
                            char given_mark, struct diag *diag)
{
    memset(c, 0, sizeof *c);
    size_t rows = t->rows ? t->rows : 1;
    c->count = t->rows;
    c->value = buf_huge(malloc(rows * sizeof *c->value), rows * sizeof *c->value);
    c->scaled = buf_huge(malloc(rows * sizeof *c->scaled), rows * sizeof *c->scaled);
    c->status = buf_huge(malloc(rows * sizeof *c->status), rows * sizeof *c->status);
    if (!c->value || !c->scaled || !c->status) {
        pareto_column_free(c);
        return diag_set(diag, "out of memory");
    }
    if (has_percent(t, col)) {
        char role[200];
        const char *name = t->header[col];
        diag_quote(name, strlen(name), role, sizeof role);
        if (read_percent_column(c, t, col, role, diag) != 0) {
            pareto_column_free(c);
            return -1;
        }
        return 0;
    }
    /* The mark is decided on the whole column: the first value that tells
     * decides it, unless an earlier value was read on a presumed point
     * that it contradicts ("1.234", then "1.234,56"); a later value only
     * the other mark reads contradicts it too. Both are errors naming the
     * two lines. A ';' file where nothing tells is presumed French, as in
     * cl-rollup. */
    char role[200];
    const char *name = t->header[col];
    diag_quote(name, strlen(name), role, sizeof role);
    struct parse_mark pm;
    parse_mark_init(&pm, given_mark);
    for (size_t i = 0; i < t->rows && pm.mark == 0; i++) {
        const char *s = table_cell(t, i, col);
        size_t len = strlen(s);
        int64_t scaled;
        int decimals;
        double value;
        enum parse_status st = parse_decimal_mark(&pm, t->lines[i], s, len, &scaled, &decimals);
        /* only a value the decimal reader refuses (an exponent) can tell
         * parse_double more */
        if (st != PARSE_OK && st != PARSE_MARK_CONFLICT && pm.mark == 0)
            st = parse_double_mark(&pm, t->lines[i], s, len, &value);
        if (st == PARSE_MARK_CONFLICT) {
            char text[DIAG_MAX];
            pareto_column_free(c);
            return diag_set(diag, "%s:%ld: %s", t->name, t->lines[i],
                            parse_mark_conflict(&pm, role, s, len, text, sizeof text));
        }
    }
    if (pm.mark == 0 && parse_mark_of_delim(t->delim))
        parse_mark_init(&pm, parse_mark_of_delim(t->delim));
    char mark = pm.mark;
    c->mark = mark;
    c->exact = 1;
    for (size_t i = 0; i < t->rows; i++) {
        const char *s = table_cell(t, i, col);
        size_t len = strlen(s);
        char m = mark;
        int decimals;
        c->scaled[i] = 0;
        if (parse_decimal(s, len, &m, &c->scaled[i], &decimals) == PARSE_OK &&
            c->scaled[i] < (INT64_C(1) << 53) && c->scaled[i] > -(INT64_C(1) << 53)) {
            /* exact below 2^53, and one correctly rounded division: the
             * double strtod would give, without strtod */
            c->value[i] = (double)c->scaled[i] / MONEY_SCALE;
            c->status[i] = PARSE_OK;
            if (decimals > c->decimals)
                c->decimals = decimals;
            continue;
        }
        enum parse_status st = parse_double_mark(&pm, t->lines[i], s, len, &c->value[i]);
        if (st == PARSE_MARK_CONFLICT) {
            char text[DIAG_MAX];
            pareto_column_free(c);
            return diag_set(diag, "%s:%ld: %s", t->name, t->lines[i],
                            parse_mark_conflict(&pm, role, s, len, text, sizeof text));
        }
        c->status[i] = (unsigned char)st;
        c->scaled[i] = 0;
        if (st != PARSE_OK) {
            c->value[i] = NAN;
            continue;
        }
        m = mark;
        if (parse_decimal(s, len, &m, &c->scaled[i], &decimals) == PARSE_OK) {
            if (decimals > c->decimals)
                c->decimals = decimals;
        } else {
            c->exact = 0;       /* an exponent, > 6 decimals, or too large */
        }
    }
    if (!c->exact)
        c->decimals = 0;
    /* Totals, shares and scores add the values up: a column whose sum
     * passes the largest double (values near 1.8e308) would print empty
     * totals and NaN shares. An error naming the line where it passes. */
    double running = 0;
    for (size_t i = 0; i < t->rows && !c->exact; i++) {
        if (c->status[i] != PARSE_OK)
            continue;
        running += fabs(c->value[i]);
        if (!isfinite(running)) {
            const char *s = table_cell(t, i, col);
            char quoted[64];
            diag_set(diag, "%s:%ld: %s \"%s\" is too large: the column's sum passes the "
                     "largest number (1.8e308)", t->name, t->lines[i], role,
                     diag_quote(s, strlen(s), quoted, sizeof quoted));
            pareto_column_free(c);
            return -1;
        }
    }
    return 0;
}

void pareto_column_free(struct pareto_column *c)
{
    if (!c)
        return;
    free(c->value);
    free(c->scaled);
    free(c->status);
    memset(c, 0, sizeof *c);
}

/* ---- classes --------------------------------------------------------- */

int pareto_classes_parse(struct pareto_classes *classes, enum pareto_rule rule,
                         const char *list, struct diag *diag)
{
    memset(classes, 0, sizeof *classes);
    classes->rule = rule;
    int64_t previous = 0;
    const char *p = list;
    int any_sign = 0, any_over = 0, any_under = 0;  /* a % sign; a bound over 1, under 1 */
    for (;;) {
        const char *end = strchr(p, ',');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        char quoted[64];
        char mark = '.';
        int64_t scaled;
        int decimals;
        /* the list is in percent: "80%" is 80, as "80" (parse.h) */
        size_t number_len = len;
        any_sign |= parse_percent_sign(p, &number_len);
        if (parse_decimal(p, number_len, &mark, &scaled, &decimals) != PARSE_OK || scaled <= 0
            || scaled > 100 * (int64_t)MONEY_SCALE)
            return diag_set(diag, "\"%s\" is not a percent above 0 and at most 100",
                            diag_quote(p, len, quoted, sizeof quoted));
        if (classes->bounds == PARETO_MAX_CLASSES - 1)
            return diag_set(diag, "more than %d classes", PARETO_MAX_CLASSES);
        if (rule == PARETO_CUT) {
            if (scaled <= previous)
                return diag_set(diag, "cumulative percents must increase (%s)", list);
        } else {
            scaled += previous;
            if (scaled > 100 * (int64_t)MONEY_SCALE)
                return diag_set(diag, "quotas add up to more than 100 (%s)", list);
        }
        any_over |= scaled > MONEY_SCALE;
        any_under |= scaled < MONEY_SCALE;
        classes->bound[classes->bounds++] = scaled;
        previous = scaled;
        if (!end)
            break;
        p = end + 1;
    }
    /* "0.8,0.95" reads as 0.8 % and 0.95 %: far more likely fractions
     * meant as 80 and 95. Bounds all at most 1, one under, and no percent
     * sign to say so: refused ("1" alone is 1 %: no fraction means it). */
    if (!any_sign && !any_over && any_under)
        return diag_set(diag, "\"%s\" reads as percents under 1: write %s in percent "
                        "(%s), or with %% signs if they are meant (0.8%%)", list,
                        rule == PARETO_CUT ? "cumulative shares" : "quotas",
                        rule == PARETO_CUT ? "80 for 80 %" : "20 for 20 %");
    return 0;
}

/* ---- ranking --------------------------------------------------------- */

static int tie_break(const struct pareto_item *x, const struct pareto_item *y)
{
    int c = strcmp(x->key, y->key);
    if (c != 0)
        return c;
    return (x->row > y->row) - (x->row < y->row);
}

static int compare_group(const void *a, const void *b)
{
    const struct pareto_item *x = a, *y = b;
    int c = strcmp(x->group, y->group);
    if (c != 0)
        return c;
    return (x->row > y->row) - (x->row < y->row);
}

/* The rank order of the items, into order[0..n): value descending (exact
 * values scaled, else doubles), ties by key then row, as qsort with a
 * comparison of (value, tie_break) would give. A radix sort on the values
 * (the sort was an eighth of cl-pareto's time on 87k clients), then the
 * runs of equal values by tie_break. Each entry carries the first 8 bytes
 * of its key (big-endian, zeros past the end: their order is strcmp's), so
 * that ties compare two words in the entries themselves, not two strings
 * somewhere in the table (the 5 M-client roll-up has runs of thousands of
 * ties). The items are not moved: moving 5 M items of 80 bytes into place,
 * one dependent read at random each, was most of the ranking's time. */
struct radix_entry {
    uint64_t key;       /* descending value as an ascending unsigned */
    uint64_t prefix;    /* the key's first 8 bytes */
    uint32_t index;     /* the item's */
    uint32_t row;       /* its row (low 32 bits): for pareto_rank_ranked */
};

/* What the entries of one ranking stand for: the items (an entry's index
 * is an item's), or a table's usable rows (its index is the row, the key
 * in key_col). Where a qsort of ties reads the keys (one ranking at a time
 * per thread). */
struct rank_source {
    const struct pareto_item *items;
    const struct table *t;
    size_t key_col;
};
static _Thread_local const struct rank_source *tie_source;

static const char *source_key(const struct rank_source *src, uint32_t index)
{
    return src->items ? src->items[index].key : table_cell(src->t, index, src->key_col);
}

static size_t source_row(const struct rank_source *src, uint32_t index)
{
    return src->items ? src->items[index].row : index;
}

static uint64_t key_prefix(const char *key)
{
    uint64_t p = 0;
    int i = 0;
    for (; i < 8 && key[i]; i++)
        p = p << 8 | (unsigned char)key[i];
    return i == 0 ? 0 : i == 8 ? p : p << (8 * (8 - i));
}

static int compare_entries(const void *a, const void *b)
{
    const struct radix_entry *x = a, *y = b;
    if (x->prefix != y->prefix)
        return x->prefix < y->prefix ? -1 : 1;
    if ((x->prefix & 0xff) != 0) {      /* both keys go on past 8 bytes */
        int c = strcmp(source_key(tie_source, x->index) + 8, source_key(tie_source, y->index) + 8);
        if (c != 0)
            return c;
    }
    size_t rx = source_row(tie_source, x->index), ry = source_row(tie_source, y->index);
    return (rx > ry) - (rx < ry);
}

static int compare_keys(const void *a, const void *b)
{
    const struct radix_entry *x = a, *y = b;
    return (x->key > y->key) - (x->key < y->key);
}

/* A value as an unsigned whose ascending order is the values' descending
 * one: scaled integers by their sign bit flipped; doubles by their bits
 * (negatives all flipped), -0 as 0 (they are equal: ties), NaN last. */
static uint64_t descending_key(double value, int64_t scaled, int exact)
{
    if (!exact && isnan(value))
        return UINT64_MAX;
    return ~(exact ? radix_key_i64(scaled) : radix_key_double(value));
}

/* qsort of pointers, where memory is short for the radix entries */
static int compare_pointers(const void *a, const void *b, int exact)
{
    const struct pareto_item *x = *(const struct pareto_item *const *)a;
    const struct pareto_item *y = *(const struct pareto_item *const *)b;
    uint64_t kx = descending_key(x->value, x->scaled, exact);
    uint64_t ky = descending_key(y->value, y->scaled, exact);
    if (kx != ky)
        return kx < ky ? -1 : 1;
    return tie_break(x, y);
}

static int compare_pointers_exact(const void *a, const void *b)
{
    return compare_pointers(a, b, 1);
}

static int compare_pointers_double(const void *a, const void *b)
{
    return compare_pointers(a, b, 0);
}

/* Without the memory for the radix entries: order as pointers (the same
 * size as an index), qsorted, then made indexes. */
static void rank_order_qsort(const struct pareto_item *items, size_t n, int exact,
                             size_t *order)
{
    const struct pareto_item **ptr = (const struct pareto_item **)(void *)order;
    _Static_assert(sizeof *ptr == sizeof *order, "a pointer in an index's place");
    for (size_t i = 0; i < n; i++)
        ptr[i] = &items[i];
    qsort(ptr, n, sizeof *ptr, exact ? compare_pointers_exact : compare_pointers_double);
    for (size_t i = 0; i < n; i++)
        order[i] = (size_t)(ptr[i] - items);
}

static void entries_sort(struct radix_entry **e, struct radix_entry **tmp, size_t n,
                         const struct rank_source *src);

/* Room for n entries (their index 32 bits: n < 2^32), and as many in *tmp
 * for the sort: both, or NULL (neither). */
static struct radix_entry *entries_new(size_t n, struct radix_entry **tmp)
{
    size_t bytes = (n ? n : 1) * sizeof **tmp;
    struct radix_entry *e = NULL;
    *tmp = NULL;
    if (n <= UINT32_MAX) {
        e = buf_huge(malloc(bytes), bytes);
        *tmp = buf_huge(malloc(bytes), bytes);
    }
    if (!e || !*tmp) {
        free(e);
        free(*tmp);
        *tmp = NULL;
        return NULL;
    }
    return e;
}

/* The rank order into order[0..n), and the entries in that order (the
 * caller frees them), or NULL when they could not be had (then qsort). */
static struct radix_entry *rank_order(const struct pareto_item *items, size_t n, int exact,
                                      size_t *order)
{
    struct radix_entry *tmp, *e = entries_new(n, &tmp);
    if (!e) {
        rank_order_qsort(items, n, exact, order);
        return NULL;
    }
    /* the sort's second buffer and the order faulted in on another thread
     * while this one fills the entries (the peak stays: both are written
     * before the entries are freed; the ranked figures are not, they are
     * written once tmp is gone) */
    struct buf_prefault prefault;
    buf_prefault_start(&prefault, (void *[]){ tmp, order },
                       (size_t[]){ n * sizeof *tmp, n * sizeof *order }, 2);
    for (size_t i = 0; i < n; i++) {
        e[i].key = descending_key(items[i].value, items[i].scaled, exact);
        e[i].prefix = key_prefix(items[i].key);
        e[i].index = (uint32_t)i;
        e[i].row = (uint32_t)items[i].row;
    }
    struct rank_source src = { .items = items };
    entries_sort(&e, &tmp, n, &src);
    for (size_t i = 0; i < n; i++)
        order[i] = e[i].index;
    buf_prefault_finish(&prefault);
    free(tmp);
    return e;
}

/* Sort the n filled entries *e (*tmp: room for as many) into rank order: a
 * radix sort on their keys, then each run of ties by compare_entries, the
 * keys and rows of src. The sorted ones end in *e, the other buffer in
 * *tmp. */
static void entries_sort(struct radix_entry **ep, struct radix_entry **tmpp, size_t n,
                         const struct rank_source *src)
{
    struct radix_entry *e = *ep, *tmp = *tmpp;
    _Static_assert(offsetof(struct radix_entry, key) == 0, "radix.h: the key first");
    struct radix_entry *sorted = radix_sort_u64(e, tmp, n, sizeof *e);
    if (!sorted) {      /* (no memory for its counts: by comparisons) */
        qsort(e, n, sizeof *e, compare_keys);
    } else if (sorted == tmp) {
        tmp = e;
        e = sorted;
    }
    /* runs of equal values, in tie_break order */
    tie_source = src;
    for (size_t i = 0; i < n;) {
        size_t j = i + 1;
        while (j < n && e[j].key == e[i].key)
            j++;
        if (j - i > 1)
            qsort(e + i, j - i, sizeof *e, compare_entries);
        i = j;
    }
    tie_source = NULL;
    *ep = e;
    *tmpp = tmp;
}

/* The value of a sorted entry, from its key (descending_key backwards),
 * without reading the item: scaled when exact, else the double (-0 comes
 * back as 0, equal to it; a NaN, never parsed, from the item). */
static int64_t entry_scaled(const struct radix_entry *e)
{
    return (int64_t)(~e->key ^ UINT64_C(0x8000000000000000));
}

static double entry_value(const struct radix_entry *e, const struct rank_source *src)
{
    if (e->key == UINT64_MAX)
        return src->items ? src->items[e->index].value : NAN;     /* (a column has none) */
    uint64_t u = ~e->key;
    u = (u >> 63) ? u ^ UINT64_C(0x8000000000000000) : ~u;
    double v;
    memcpy(&v, &u, sizeof v);
    return v;
}

/* The value ranked i-th: from the sorted entries e when there are (read
 * one after the other), else from src's items through order (at random):
 * what rank_figures and lorenz_points read. */
static int64_t ranked_scaled(const struct rank_source *src, const size_t *order,
                             const struct radix_entry *e, size_t i)
{
    return e ? entry_scaled(&e[i]) : src->items[order[i]].scaled;
}

static double ranked_value(const struct rank_source *src, const size_t *order,
                           const struct radix_entry *e, size_t i)
{
    return e ? entry_value(&e[i], src) : src->items[order[i]].value;
}

void pareto_sort_groups(struct pareto_item *items, size_t n)
{
    if (n > 1)
        qsort(items, n, sizeof *items, compare_group);
}

void pareto_rank(struct pareto_item *items, size_t n, int exact, int decimals,
                 const struct pareto_classes *classes, size_t *order,
                 struct pareto_summary *s)
{
    pareto_rank_ranked(items, n, exact, decimals, classes, order, NULL, s);
}

/* The figures of a ranking: e (NULL: none) its entries sorted, else the
 * items in order's order; into ranked when given, else into the items
 * when given (neither: the summary alone). */
static void rank_figures(const struct rank_source *src, struct pareto_item *items,
                         const size_t *order, const struct radix_entry *e, size_t n, int exact,
                         int decimals, const struct pareto_classes *classes,
                         struct pareto_ranked *ranked, struct pareto_summary *s);

static size_t lorenz_points(const struct rank_source *src, const size_t *order,
                            const struct radix_entry *e, int exact,
                            const struct pareto_summary *s, size_t max_segments,
                            double *x, double *y);

void pareto_rank_ranked(struct pareto_item *items, size_t n, int exact, int decimals,
                        const struct pareto_classes *classes, size_t *order,
                        struct pareto_ranked *ranked, struct pareto_summary *s)
{
    /* the sorted entries give each value in rank order, read one after the
     * other; without them (one item, or no memory), the items at random */
    struct radix_entry *e = n > 1 ? rank_order(items, n, exact, order) : NULL;
    if (n == 1)
        order[0] = 0;
    struct rank_source src = { .items = items };
    rank_figures(&src, items, order, e, n, exact, decimals, classes, ranked, s);
    free(e);
}

int pareto_rank_column(const struct table *t, size_t key_col, struct pareto_column *column,
                       const struct pareto_classes *classes, struct pareto_ranked *ranked,
                       struct pareto_curve *curve, size_t *count, struct pareto_summary *s,
                       struct diag *diag)
{
    size_t rows = t->rows;
    if (rows > UINT32_MAX)
        return diag_set(diag, "a ranking by column takes at most %lu rows, not %zu",
                        (unsigned long)UINT32_MAX, rows);
    struct radix_entry *tmp, *e = entries_new(rows, &tmp);
    if (!e)
        return diag_set(diag, "out of memory");
    /* the sort's second buffer faulted in on another thread while this
     * one fills the entries */
    struct buf_prefault prefault;
    buf_prefault_start(&prefault, (void *[]){ tmp }, (size_t[]){ rows * sizeof *tmp }, 1);
    int exact = column->exact;
    size_t n = 0;
    for (size_t r = 0; r < rows; r++) {
        if (!pareto_row_usable(column, t, r, key_col))
            continue;
        e[n].key = descending_key(column->value[r], column->scaled[r], exact);
        e[n].prefix = key_prefix(table_cell(t, r, key_col));
        e[n].index = (uint32_t)r;
        e[n].row = (uint32_t)r;
        n++;
    }
    /* the entries hold the values now (a usable one is never NaN, the
     * only value entry_value reads back from them) */
    int decimals = column->decimals;
    pareto_column_free(column);
    struct rank_source src = { .t = t, .key_col = key_col };
    entries_sort(&e, &tmp, n, &src);
    buf_prefault_finish(&prefault);
    free(tmp);
    rank_figures(&src, NULL, NULL, n ? e : NULL, n, exact, decimals, classes, ranked, s);
    if (curve)
        curve->points = lorenz_points(&src, NULL, e, exact, s, curve->max_segments, curve->x,
                                      curve->y);
    free(e);
    *count = n;
    return 0;
}

static void rank_figures(const struct rank_source *src, struct pareto_item *items,
                         const size_t *order, const struct radix_entry *e, size_t n, int exact,
                         int decimals, const struct pareto_classes *classes,
                         struct pareto_ranked *ranked, struct pareto_summary *s)
{
    memset(s, 0, sizeof *s);
    s->exact = exact;
    s->decimals = exact ? decimals : 0;
    s->classes = classes->bounds + 1;
    s->migrate_classes = s->classes;
    s->clients = n;
    s->share_top20 = NAN;
    s->gini = NAN;
#define SCALED(i) ranked_scaled(src, order, e, i)
#define VALUE(i) ranked_value(src, order, e, i)
#define AHEAD(i) do { if (!e && (i) + 16 < n) \
        __builtin_prefetch(&items[order[(i) + 16]]), \
        __builtin_prefetch((const char *)&items[order[(i) + 16]] + 64); } while (0)

    /* value descending puts every positive value first */
    size_t np = 0;
    while (np < n && (exact ? SCALED(np) > 0 : VALUE(np) > 0))
        np++;
    s->positive = np;
    s->nonpositive = n - np;

    wide total_w = 0, negative_w = 0;
    long double total_l = 0, negative_l = 0;
    for (size_t i = 0; i < n; i++) {
        AHEAD(i);
        if (exact)
            *(i < np ? &total_w : &negative_w) += SCALED(i);
        else
            *(i < np ? &total_l : &negative_l) += VALUE(i);
    }
    if (exact) {
        s->totals_fit = total_w <= INT64_MAX && negative_w >= INT64_MIN;
        /* through int64 when it fits: the same value, and Valgrind's x87
         * emulation gets the 128-bit conversion wrong for negatives */
        total_l = s->totals_fit ? (long double)(int64_t)total_w : (long double)total_w;
        negative_l = s->totals_fit ? (long double)(int64_t)negative_w : (long double)negative_w;
        total_l /= MONEY_SCALE;
        negative_l /= MONEY_SCALE;
        if (s->totals_fit) {
            s->total_scaled = (int64_t)total_w;
            s->nonpositive_total_scaled = (int64_t)negative_w;
        }
    }
    s->total = total_l;
    s->nonpositive_total = negative_l;

    /* quota bounds as client counts: ceil(np × percent / 100) */
    size_t quota_end[PARETO_MAX_CLASSES];
    for (size_t k = 0; k < classes->bounds; k++) {
        wide scale = (wide)100 * MONEY_SCALE;
        quota_end[k] = (size_t)(((wide)np * classes->bound[k] + scale - 1) / scale);
    }

    size_t top20 = (np + 4) / 5;
    wide cum_w = 0, gini_w = 0;
    long double cum_l = 0, gini_l = 0;
    wide class_w[PARETO_MAX_CLASSES] = {0};
    size_t position_class = 0, before_cls = 0;
    int64_t before_scaled = 0;      /* the value of the one ranked just above */
    double before_value = 0;
    /* with ranked, the figures go there, one after the other, and the
     * items are not written: no item is read or written at random */
    for (size_t i = 0; i < n; i++) {
        struct pareto_item *it = ranked || !items ? NULL : &items[order[i]];
        uint32_t row = ranked ? (e ? e[i].row : (uint32_t)items[order[i]].row) : 0;
        if (it && i + 16 < n)
            __builtin_prefetch(&items[order[i + 16]]),
                __builtin_prefetch((const char *)&items[order[i + 16]] + 64);
        if (it) {
            it->rank = i + 1;
            it->previous_class = 0;
        }
        if (i >= np) {
            if (it) {
                it->share = it->cum_share = it->cum_clients_share = NAN;
                it->class_letter = '-';
            } else if (ranked) {
                ranked[i] = (struct pareto_ranked){ NAN, NAN, NAN, row, '-' };
            }
            continue;
        }
        int64_t scaled = exact ? SCALED(i) : 0;
        double value = exact ? 0 : VALUE(i);
        /* the class by position: bounds reached before this client */
        while (position_class < classes->bounds) {
            int reached;
            if (classes->rule == PARETO_QUOTA)
                reached = i >= quota_end[position_class];
            else if (exact)
                reached = cum_w * 100 * MONEY_SCALE
                          >= (wide)classes->bound[position_class] * total_w;
            else
                reached = cum_l * 100 * MONEY_SCALE
                          >= (long double)classes->bound[position_class] * total_l;
            if (!reached)
                break;
            position_class++;
        }
        size_t cls = position_class;
        if (i > 0 && (exact ? before_scaled == scaled : before_value == value))
            cls = before_cls;       /* ties share one class */
        before_cls = cls;
        before_scaled = scaled;
        before_value = value;
        s->class_clients[cls]++;

        /* coefficient of x in Σ(2j−n−1)·x₍ⱼ₎ with j ascending = np + 1 − rank */
        long long coefficient = (long long)np + 1 - 2 * (long long)(i + 1);
        long double share, cum_share;
        if (exact) {
            cum_w += scaled;
            gini_w += (wide)coefficient * scaled;
            class_w[cls] += scaled;
            share = (long double)scaled / (long double)total_w;
            cum_share = (long double)cum_w / (long double)total_w;
            if (s->clients_for_80 == 0 && 5 * cum_w >= 4 * total_w)
                s->clients_for_80 = i + 1;
        } else {
            cum_l += value;
            gini_l += (long double)coefficient * value;
            s->class_value[cls] += value;
            share = value / total_l;
            cum_share = cum_l / total_l;
            if (s->clients_for_80 == 0 && 5 * cum_l >= 4 * total_l)
                s->clients_for_80 = i + 1;
        }
        if (i + 1 == top20)
            s->share_top20 = (double)cum_share;
        double cum_clients_share = (double)(i + 1) / (double)np;
        if (it) {
            it->class_letter = (char)('A' + cls);
            it->share = (double)share;
            it->cum_share = (double)cum_share;
            it->cum_clients_share = cum_clients_share;
        } else if (ranked) {
            ranked[i] = (struct pareto_ranked){ (double)share, (double)cum_share,
                                                cum_clients_share, row, (char)('A' + cls) };
        }
    }
#undef SCALED
#undef VALUE
#undef AHEAD
    if (np > 0) {
        if (exact) {
            gini_l = (long double)gini_w;
            total_l = (long double)total_w;
            for (size_t k = 0; k < s->classes; k++)
                s->class_value[k] = (long double)class_w[k] / MONEY_SCALE;
        }
        s->gini = (double)(gini_l / ((long double)np * total_l));
    }
}

/* ---- Lorenz curve ---------------------------------------------------- */

size_t pareto_lorenz_points(const struct pareto_summary *s, size_t max_segments)
{
    if (s->positive == 0)
        return 0;
    return (s->positive <= max_segments ? s->positive : max_segments) + 1;
}

size_t pareto_lorenz(const struct pareto_item *items, const size_t *order, int exact,
                     const struct pareto_summary *s, size_t max_segments,
                     double *x, double *y)
{
    struct rank_source src = { .items = items };
    return lorenz_points(&src, order, NULL, exact, s, max_segments, x, y);
}

/* pareto_lorenz on src's items in order's order, or on the sorted entries
 * e when given: the same values, summed in the same order. */
static size_t lorenz_points(const struct rank_source *src, const size_t *order,
                            const struct radix_entry *e, int exact,
                            const struct pareto_summary *s, size_t max_segments,
                            double *x, double *y)
{
    size_t np = s->positive;
    size_t points = pareto_lorenz_points(s, max_segments);
    if (points == 0)
        return 0;
    size_t segments = points - 1;
    wide total_w = 0, acc_w = 0;
    long double acc_l = 0;
    for (size_t i = 0; exact && i < np; i++)
        total_w += ranked_scaled(src, order, e, i);
    size_t k = 0;   /* clients taken, smallest first */
    for (size_t j = 0; j <= segments; j++) {
        /* evenly spaced client counts, rounded: distinct as np >= segments */
        size_t target = (size_t)(((wide)j * np + segments / 2) / segments);
        for (; k < target; k++) {
            if (exact)
                acc_w += ranked_scaled(src, order, e, np - 1 - k);
            else
                acc_l += ranked_value(src, order, e, np - 1 - k);
        }
        x[j] = (double)target / (double)np;
        if (j == segments)
            y[j] = 1;   /* exact anyway with money; no rounding drift otherwise */
        else if (exact)
            y[j] = (double)((long double)acc_w / (long double)total_w);
        else
            y[j] = (double)(acc_l / s->total);
    }
    return points;
}

/* ---- the previous period --------------------------------------------- */

char pareto_class_parse(const char *text)
{
    if (text[0] != '\0' && text[1] == '\0' &&
        ((text[0] >= 'A' && text[0] <= 'Z') || text[0] == '-'))
        return text[0];
    return 0;
}

static int compare_entry(const void *a, const void *b)
{
    const struct pareto_previous_entry *x = a, *y = b;
    int c = strcmp(x->group, y->group);
    if (c != 0)
        return c;
    c = strcmp(x->key, y->key);
    if (c != 0)
        return c;
    return (x->line > y->line) - (x->line < y->line);
}

int pareto_previous_index(struct pareto_previous *p, const char *file, struct diag *diag)
{
    if (p->count > 1)
        qsort(p->entries, p->count, sizeof *p->entries, compare_entry);
    p->classes = 0;
    for (size_t i = 0; i < p->count; i++) {
        struct pareto_previous_entry *e = &p->entries[i];
        e->matched = 0;
        if (e->class_letter != '-' && (size_t)(e->class_letter - 'A') + 1 > p->classes)
            p->classes = (size_t)(e->class_letter - 'A') + 1;
        if (i > 0 && strcmp(e->group, e[-1].group) == 0 && strcmp(e->key, e[-1].key) == 0) {
            char quoted[64];
            return diag_set(diag, "%s:%ld: key \"%s\" appears twice (also line %ld)", file,
                            e->line, diag_quote(e->key, strlen(e->key), quoted, sizeof quoted),
                            e[-1].line);
        }
    }
    return 0;
}

static size_t class_index(char letter)
{
    return letter == '-' ? PARETO_DASH : (size_t)(letter - 'A');
}

void pareto_previous_match(struct pareto_previous *p, const char *group,
                           struct pareto_item *items, size_t n,
                           struct pareto_summary *s)
{
    if (p->classes > s->migrate_classes)
        s->migrate_classes = p->classes;
    for (size_t i = 0; i < n; i++) {
        /* binary search on (group, key): the first entry not below it */
        size_t lo = 0, hi = p->count;
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            int c = strcmp(p->entries[mid].group, group);
            if (c == 0)
                c = strcmp(p->entries[mid].key, items[i].key);
            if (c < 0)
                lo = mid + 1;
            else
                hi = mid;
        }
        size_t from = PARETO_NONE;
        items[i].previous_class = 0;
        if (lo < p->count && strcmp(p->entries[lo].group, group) == 0 &&
            strcmp(p->entries[lo].key, items[i].key) == 0) {
            p->entries[lo].matched = 1;
            items[i].previous_class = p->entries[lo].class_letter;
            from = class_index(p->entries[lo].class_letter);
        }
        s->migrate[from][class_index(items[i].class_letter)]++;
    }
    /* previous clients of this group that are not here now: lost */
    size_t lo = 0, hi = p->count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(p->entries[mid].group, group) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (size_t i = lo; i < p->count && strcmp(p->entries[i].group, group) == 0; i++)
        if (!p->entries[i].matched)
            s->migrate[class_index(p->entries[i].class_letter)][PARETO_NONE]++;
}

size_t pareto_previous_matched(const struct pareto_previous *p)
{
    size_t matched = 0;
    for (size_t i = 0; i < p->count; i++)
        matched += p->entries[i].matched != 0;
    return matched;
}

int pareto_overlap_suspect(size_t matched, size_t now, size_t before)
{
    size_t smaller = now < before ? now : before;
    if (smaller == 0)
        return 0;
    return matched == 0 || (smaller >= 20 && matched * 20 < smaller);
}
