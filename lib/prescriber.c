/* prescriber — the book of (client, prescriber) pairs and what it adds to
 * the roll-up: the per-client prescriber columns, the per-prescriber
 * roll-up and the prescriber part of --partial keys. See prescriber.h. */
#include "prescriber.h"

#include <stdlib.h>
#include <string.h>

#include "csvout.h"

int prescriber_init(struct prescriber_book *b, enum prescriber_mode mode, size_t by_count,
                    struct diag *diag)
{
    memset(b, 0, sizeof *b);
    b->mode = mode;
    b->by_count = by_count;
    b->direct_first_day = INT32_MAX;
    b->direct_last_day = INT32_MIN;
    b->last_pair = -1;
    if (hashtab_init(&b->pairs, 1024) != 0)
        return diag_set(diag, "out of memory");
    return 0;
}

void prescriber_free(struct prescriber_book *b)
{
    if (!b)
        return;
    hashtab_free(&b->pairs);
    free(b->pair_revenue);
    free(b->scratch);
    free(b->count);
    free(b->prescription);
    free(b->prescribed);
    memset(b, 0, sizeof *b);
}

static int reserve(struct prescriber_book *b, size_t need)
{
    if (need <= b->scratch_cap)
        return 0;
    char *s = realloc(b->scratch, need * 2);
    if (!s)
        return -1;
    b->scratch = s;
    b->scratch_cap = need * 2;
    return 0;
}

/* The --by values of a client key, with their leading separator ("" when
 * there are none): a prescriber key is the prescriber id followed by them. */
static size_t by_suffix(const struct prescriber_book *b, const char *key, size_t len)
{
    if (b->by_count == 0)
        return len;
    size_t at = 0;
    while (at < len && key[at] != ROLLUP_KEY_SEP)
        at++;
    return at;
}

/* Add revenue to the (client key, prescriber) pair. */
static int add_pair(struct prescriber_book *b, const char *key, size_t key_len,
                    const char *prescriber, size_t prescriber_len, int64_t revenue,
                    struct diag *diag)
{
    uint32_t client_len = (uint32_t)key_len;
    size_t len = sizeof client_len + key_len + prescriber_len;
    if (key_len > UINT32_MAX || reserve(b, len) != 0)
        return diag_set(diag, "out of memory");
    memcpy(b->scratch, &client_len, sizeof client_len);
    memcpy(b->scratch + sizeof client_len, key, key_len);
    memcpy(b->scratch + sizeof client_len + key_len, prescriber, prescriber_len);
    int is_new = 0;
    long p;
    if (b->last_pair >= 0 && len == b->last_pair_len &&
        memcmp(b->scratch, b->last_pair_bytes, len) == 0) {
        p = b->last_pair;       /* the lines of one order: the same pair */
    } else {
        p = hashtab_intern(&b->pairs, b->scratch, len, hashtab_hash(b->scratch, len), &is_new);
        if (p < 0)
            return diag_set(diag, "out of memory");
        b->last_pair = -1;
        if (len <= sizeof b->last_pair_bytes) {
            memcpy(b->last_pair_bytes, b->scratch, len);
            b->last_pair_len = len;
            b->last_pair = p;
        }
    }
    if ((size_t)p >= b->pair_cap) {
        size_t cap = b->pair_cap ? b->pair_cap * 2 : 1024;
        int64_t *r = realloc(b->pair_revenue, cap * sizeof *r);
        if (!r)
            return diag_set(diag, "out of memory");
        b->pair_revenue = r;
        b->pair_cap = cap;
    }
    if (is_new)
        b->pair_revenue[p] = 0;
    if (__builtin_add_overflow(b->pair_revenue[p], revenue, &b->pair_revenue[p]))
        return diag_set(diag, "the revenue prescribed overflows (over 9.2e12)");
    return 0;
}

static int add_direct(struct prescriber_book *b, const struct rollup_totals *add,
                      struct diag *diag)
{
    if (__builtin_add_overflow(b->direct_lines, add->lines, &b->direct_lines) ||
        __builtin_add_overflow(b->direct_revenue, add->revenue, &b->direct_revenue))
        return diag_set(diag, "the direct revenue overflows (over 9.2e12)");
    if (add->first_day < b->direct_first_day)
        b->direct_first_day = add->first_day;
    if (add->last_day > b->direct_last_day)
        b->direct_last_day = add->last_day;
    return 0;
}

/* PRESCRIBER_ROLLUP: key = prescriber + the --by values, order = customer,
 * separator, order (the same order id of two clients is two orders, and
 * without an order column a client's day stays one order). */
static int add_to_prescriber(struct prescriber_book *b, struct rollup *r,
                             const char *key, size_t key_len, const char *prescriber,
                             size_t prescriber_len, const char *order, size_t order_len,
                             const struct rollup_totals *add, struct diag *diag)
{
    size_t customer_len = by_suffix(b, key, key_len);
    size_t suffix_len = key_len - customer_len;
    size_t new_key_len = prescriber_len + suffix_len;
    size_t new_order_len = customer_len + 1 + order_len;
    char small[512];
    char *buf = small;
    if (new_key_len + new_order_len > sizeof small &&
        !(buf = malloc(new_key_len + new_order_len)))
        return diag_set(diag, "out of memory");
    memcpy(buf, prescriber, prescriber_len);
    memcpy(buf + prescriber_len, key + customer_len, suffix_len);
    char *new_order = buf + new_key_len;
    memcpy(new_order, key, customer_len);
    new_order[customer_len] = ROLLUP_KEY_SEP;
    memcpy(new_order + customer_len + 1, order, order_len);
    int rc = rollup_add(r, buf, new_key_len, new_order, new_order_len, add, diag);
    if (buf != small)
        free(buf);
    return rc;
}

/* PRESCRIBER_PARTIAL: the prescriber (or nothing) as the key's last part. */
static int add_partial(struct prescriber_book *b, struct rollup *r,
                       const char *key, size_t key_len, const char *prescriber,
                       size_t prescriber_len, const char *order, size_t order_len,
                       const struct rollup_totals *add, struct diag *diag)
{
    size_t len = key_len + 1 + prescriber_len;
    if (reserve(b, len) != 0)
        return diag_set(diag, "out of memory");
    memcpy(b->scratch, key, key_len);
    b->scratch[key_len] = ROLLUP_KEY_SEP;
    if (prescriber_len)
        memcpy(b->scratch + key_len + 1, prescriber, prescriber_len);
    return rollup_add(r, b->scratch, len, order, order_len, add, diag);
}

int prescriber_add(struct prescriber_book *b, struct rollup *r,
                   const char *key, size_t key_len, const char *prescriber,
                   size_t prescriber_len, const char *order, size_t order_len,
                   const struct rollup_totals *add, struct diag *diag)
{
    if (!prescriber)
        prescriber_len = 0;
    if (prescriber_len == 0 && add_direct(b, add, diag) != 0)
        return -1;
    switch (b->mode) {
    case PRESCRIBER_PARTIAL:
        return add_partial(b, r, key, key_len, prescriber, prescriber_len, order, order_len,
                           add, diag);
    case PRESCRIBER_ROLLUP:
        if (prescriber_len == 0)
            return 0;   /* direct: counted above, nobody's prescription */
        if (add_to_prescriber(b, r, key, key_len, prescriber, prescriber_len, order,
                              order_len, add, diag) != 0)
            return -1;
        break;
    case PRESCRIBER_CLIENTS:
        if (rollup_add(r, key, key_len, order, order_len, add, diag) != 0)
            return -1;
        break;
    }
    if (prescriber_len == 0)
        return 0;
    return add_pair(b, key, key_len, prescriber, prescriber_len, add->revenue, diag);
}

int prescriber_merge(struct prescriber_book *into, const struct prescriber_book *from,
                     struct diag *diag)
{
    for (size_t p = 0; p < from->pairs.count; p++) {
        size_t len;
        const char *pair = hashtab_key(&from->pairs, p, &len);
        uint32_t client_len;
        memcpy(&client_len, pair, sizeof client_len);
        const char *key = pair + sizeof client_len;
        if (add_pair(into, key, client_len, key + client_len,
                     len - sizeof client_len - client_len, from->pair_revenue[p], diag) != 0)
            return -1;
    }
    struct rollup_totals direct = {
        .revenue = from->direct_revenue, .lines = from->direct_lines,
        .first_day = from->direct_first_day, .last_day = from->direct_last_day,
    };
    return add_direct(into, &direct, diag);
}

int32_t prescriber_first_day(const struct prescriber_book *b, const struct rollup *r)
{
    return b->direct_first_day < r->min_day ? b->direct_first_day : r->min_day;
}

int32_t prescriber_last_day(const struct prescriber_book *b, const struct rollup *r)
{
    return b->direct_last_day > r->max_day ? b->direct_last_day : r->max_day;
}

/* ---- the columns ------------------------------------------------------ */

static void clients_header(struct csvout *out, const void *context)
{
    (void)context;
    csvout_text(out, "prescribers");
    csvout_text(out, "prescription_share");
    csvout_text(out, "prescribed_revenue");
}

static void clients_row(struct csvout *out, size_t k, const struct rollup_totals *t,
                        const void *context)
{
    const struct prescriber_book *b = context;
    csvout_long(out, b->count[k]);
    /* a share of a net revenue of zero or less means nothing: empty */
    if (t->revenue > 0)
        csvout_double(out, (double)b->prescription[k] / (double)t->revenue);
    else
        csvout_empty(out);
    csvout_money(out, b->prescribed[k], b->revenue_decimals);
}

static void prescribers_header(struct csvout *out, const void *context)
{
    (void)context;
    csvout_text(out, "clients");
}

static void prescribers_row(struct csvout *out, size_t k, const struct rollup_totals *t,
                            const void *context)
{
    const struct prescriber_book *b = context;
    (void)t;
    csvout_long(out, b->count[k]);
}

/* The roll-up key of the pair's prescriber: its id, then the client key's
 * --by values. @return its index in the roll-up, -1 when not there. */
static long prescriber_key(struct prescriber_book *b, const struct rollup *r,
                           const char *key, size_t key_len, const char *id, size_t id_len)
{
    size_t customer_len = by_suffix(b, key, key_len);
    size_t len = id_len + key_len - customer_len;
    if (reserve(b, len) != 0)
        return -2;
    memcpy(b->scratch, id, id_len);
    memcpy(b->scratch + id_len, key + customer_len, key_len - customer_len);
    return hashtab_find(&r->keys, b->scratch, len, hashtab_hash(b->scratch, len));
}

int prescriber_columns(struct prescriber_book *b, const struct rollup *r,
                       struct rollup_output *how, struct diag *diag)
{
    if (b->mode == PRESCRIBER_PARTIAL) {
        how->last_part = "prescriber";
        return 0;
    }
    size_t n = r->keys.count ? r->keys.count : 1;
    b->count = calloc(n, sizeof *b->count);
    b->prescription = calloc(n, sizeof *b->prescription);
    b->prescribed = calloc(n, sizeof *b->prescribed);
    if (!b->count || !b->prescription || !b->prescribed)
        return diag_set(diag, "out of memory");
    for (size_t p = 0; p < b->pairs.count; p++) {
        size_t len;
        const char *pair = hashtab_key(&b->pairs, p, &len);
        uint32_t client_len;
        memcpy(&client_len, pair, sizeof client_len);
        const char *key = pair + sizeof client_len;
        const char *id = key + client_len;
        size_t id_len = len - sizeof client_len - client_len;
        int64_t revenue = b->pair_revenue[p];
        long k;
        if (b->mode == PRESCRIBER_ROLLUP) {
            /* every pair's prescriber was added to the roll-up */
            k = prescriber_key(b, r, key, client_len, id, id_len);
            if (k == -2)
                return diag_set(diag, "out of memory");
            if (k >= 0)
                b->count[k]++;
            continue;
        }
        k = hashtab_find(&r->keys, key, client_len, hashtab_hash(key, client_len));
        if (k >= 0) {
            b->count[k]++;
            if (__builtin_add_overflow(b->prescription[k], revenue, &b->prescription[k]))
                return diag_set(diag, "the revenue through prescribers overflows");
        }
        k = prescriber_key(b, r, key, client_len, id, id_len);
        if (k == -2)
            return diag_set(diag, "out of memory");
        if (k >= 0 && __builtin_add_overflow(b->prescribed[k], revenue, &b->prescribed[k]))
            return diag_set(diag, "the revenue prescribed overflows");
    }
    b->revenue_decimals = r->revenue_decimals;
    if (b->mode == PRESCRIBER_ROLLUP) {
        how->extra_header = prescribers_header;
        how->extra_row = prescribers_row;
    } else {
        how->extra_header = clients_header;
        how->extra_row = clients_row;
    }
    how->extra_context = b;
    return 0;
}
