/* rollup: the claim --partial and --merge rest on. The same lines, split
 * into any number of parts, in any order, added at either grain and
 * merged in any order or as a tree, give the table of one pass, byte for
 * byte; and that table's totals are those of a plain independent count
 * (sums of integers, a set of orders with a purchase line). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "csvout.h"
#include "parse.h"
#include "rollup.h"
#include "t.h"

#define LINES 600
#define KEYS 23
#define ORDERS 70

struct line {
    char key[16], order[16];
    struct rollup_totals totals;
};

static uint64_t rng_state = 0x9E3779B97F4A7C15ull;

static uint64_t next_random(void)       /* xorshift64*: the same lines every run */
{
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 0x2545F4914F6CDD1Dull;
}

static size_t below(size_t n)
{
    return (size_t)(next_random() % n);
}

static void make_lines(struct line *lines)
{
    for (size_t i = 0; i < LINES; i++) {
        struct line *l = &lines[i];
        size_t k = below(KEYS);
        /* an order belongs to one customer, as in an export */
        snprintf(l->key, sizeof l->key, "C%02zu", k);
        /* ids of up to 8 bytes and longer ones (kept apart by the roll-up) */
        snprintf(l->order, sizeof l->order, k % 2 ? "O%zu-%zu" : "Olonger%zu-%zu", k,
                 below(ORDERS / 10 + 1));
        memset(&l->totals, 0, sizeof l->totals);
        int64_t cents = (int64_t)below(200000) - 20000;     /* about 1 in 11 a return */
        int32_t day = 15000 + (int32_t)below(400);
        l->totals.revenue = cents * (MONEY_SCALE / 100);
        l->totals.margin = l->totals.revenue / 4;
        l->totals.quantity = (int64_t)(1 + below(20)) * MONEY_SCALE;
        l->totals.lines = 1;
        l->totals.first_day = l->totals.last_day = day;
        l->totals.first_day_revenue = l->totals.revenue;
        l->totals.first_day_margin = l->totals.margin;
        if (cents < 0) {            /* sales.c's returns policy */
            l->totals.returns = -l->totals.revenue;
            l->totals.return_lines = 1;
        }
    }
}

/* The written table of a rollup, as text (caller frees). */
static char *table_text(struct rollup *r)
{
    struct csvout like, out;
    struct buf text;
    struct diag diag;
    static const char *const header[] = { "customer" };
    struct rollup_output how = { .header = header, .with_margin = 1, .asof = 15500 };
    buf_init(&text, 0);
    csvout_init(&like, stdout, 0);      /* not written to: the dialect only */
    csvout_init_mem(&out, &text, &like);
    if (rollup_write(r, &out, &how, &diag) != 0 || text.failed) {
        printf("# rollup_write: %s\n", diag.message);
        buf_free(&text);
        return strdup("(failed)");
    }
    return buf_take(&text);
}

static int add_lines(struct rollup *r, const struct line *lines, const size_t *order,
                     size_t from, size_t to)
{
    struct diag diag;
    for (size_t i = from; i < to; i++) {
        const struct line *l = &lines[order[i]];
        if (rollup_add(r, l->key, strlen(l->key), l->order, strlen(l->order), &l->totals,
                       &diag) != 0)
            return -1;
    }
    return 0;
}

static void shuffle(size_t *a, size_t n)
{
    for (size_t i = n; i > 1; i--) {
        size_t j = below(i);
        size_t t = a[i - 1];
        a[i - 1] = a[j];
        a[j] = t;
    }
}

/* The lines in a random order, cut into `parts` at random places, each part
 * a rollup of `part_grain`, merged into a `merge_grain` one in a random
 * order (tree: pairwise first). @return the written table. */
static char *split_and_merge(const struct line *lines, size_t parts, enum rollup_grain part_grain,
                             enum rollup_grain merge_grain, int tree, size_t floor)
{
    size_t order[LINES], cuts[16];
    struct rollup part[16], whole;
    struct diag diag;
    for (size_t i = 0; i < LINES; i++)
        order[i] = i;
    shuffle(order, LINES);
    cuts[0] = 0;
    cuts[parts] = LINES;
    for (size_t p = 1; p < parts; p++)      /* sorted random cuts; empty parts allowed */
        cuts[p] = below(LINES + 1);
    for (size_t p = 1; p < parts; p++)
        for (size_t q = p + 1; q < parts; q++)
            if (cuts[q] < cuts[p]) {
                size_t t = cuts[p];
                cuts[p] = cuts[q];
                cuts[q] = t;
            }
    for (size_t p = 0; p < parts; p++)
    {
        if (rollup_init(&part[p], part_grain, &diag) != 0)
            return strdup("(init failed)");
        if (floor)      /* the pairs' log settled every few records */
            part[p].pairs_floor = part[p].pairs_limit = floor;
        if (add_lines(&part[p], lines, order, cuts[p], cuts[p + 1]) != 0)
            return strdup("(add failed)");
    }
    size_t merge_order[16];
    for (size_t p = 0; p < parts; p++)
        merge_order[p] = p;
    shuffle(merge_order, parts);
    if (rollup_init(&whole, merge_grain, &diag) != 0)
        return strdup("(init failed)");
    if (floor)
        whole.pairs_floor = whole.pairs_limit = floor;
    int failed = 0;
    if (tree && parts >= 2) {
        /* (a + b) + (c + d)...: pairs merged into the first of each pair */
        for (size_t p = 0; p + 1 < parts; p += 2)
            failed |= rollup_merge(&part[merge_order[p]], &part[merge_order[p + 1]], &diag);
        for (size_t p = 0; p < parts; p += 2)
            failed |= rollup_merge(&whole, &part[merge_order[p]], &diag);
    } else {
        for (size_t p = 0; p < parts; p++)
            failed |= rollup_merge(&whole, &part[merge_order[p]], &diag);
    }
    char *text = failed ? strdup("(merge failed)") : table_text(&whole);
    for (size_t p = 0; p < parts; p++)
        rollup_free(&part[p]);
    rollup_free(&whole);
    return text;
}

int main(void)
{
    static struct line lines[LINES];
    make_lines(lines);
    size_t in_file_order[LINES];
    for (size_t i = 0; i < LINES; i++)
        in_file_order[i] = i;

    struct diag diag;
    struct rollup one;
    if (rollup_init(&one, ROLLUP_CUSTOMER, &diag) != 0 ||
        add_lines(&one, lines, in_file_order, 0, LINES) != 0) {
        T_CHECK(0, "rollup: one pass over the lines");
        T_DONE();
    }
    long long orders_unsettled = rollup_orders(&one);     /* before writing: the log as added */
    char *reference = table_text(&one);

    /* the one pass against an independent count, key by key */
    int64_t revenue[KEYS] = { 0 }, returns[KEYS] = { 0 }, lines_of[KEYS] = { 0 };
    int32_t first[KEYS], last[KEYS];
    char bought[KEYS][ORDERS / 10 + 1] = { { 0 } };
    for (size_t k = 0; k < KEYS; k++)
        first[k] = INT32_MAX, last[k] = INT32_MIN;
    for (size_t i = 0; i < LINES; i++) {
        const struct line *l = &lines[i];
        size_t k = (size_t)atoi(l->key + 1), o = (size_t)atoi(strchr(l->order, '-') + 1);
        revenue[k] += l->totals.revenue;
        returns[k] += l->totals.returns;
        lines_of[k]++;
        if (l->totals.first_day < first[k]) first[k] = l->totals.first_day;
        if (l->totals.last_day > last[k]) last[k] = l->totals.last_day;
        if (!l->totals.return_lines)
            bought[k][o] = 1;       /* an order with a purchase line counts */
    }
    int same = 1;
    size_t keys_seen = 0;
    long long all_orders = 0;
    for (size_t k = 0; k < KEYS; k++) {
        char key[16];
        snprintf(key, sizeof key, "C%02zu", k);
        long index = hashtab_find(&one.keys, key, strlen(key), hashtab_hash(key, strlen(key)));
        if (lines_of[k] == 0) {
            same &= index < 0;
            continue;
        }
        keys_seen++;
        int64_t orders = 0;
        for (size_t o = 0; o <= ORDERS / 10; o++)
            orders += bought[k][o];
        all_orders += orders;
        const struct rollup_totals *t = index >= 0 ? &one.key_totals[index] : NULL;
        if (!t || t->revenue != revenue[k] || t->returns != returns[k] ||
            t->lines != lines_of[k] || t->first_day != first[k] || t->last_day != last[k] ||
            one.key_orders[index] != orders) {
            printf("# key %s differs from the independent count\n", key);
            same = 0;
        }
    }
    T_CHECK(same && keys_seen == rollup_keys(&one),
            "rollup: one pass = an independent count (revenue, returns, lines, dates, orders "
            "with a purchase line) for each of %zu customers", keys_seen);
    T_CHECK(orders_unsettled == all_orders && rollup_orders(&one) == all_orders,
            "rollup: the distinct orders of all customers, before writing (%lld) and after "
            "(%lld) = the independent count (%lld)", orders_unsettled, rollup_orders(&one),
            all_orders);
    T_CHECK(strchr(reference, '\n') != NULL && strncmp(reference, "customer,revenue,", 17) == 0,
            "rollup: the one-pass table is written");

    /* two tables of the lines split by day (a period and the days outside
     * it, as cl-rollup --also summary does), counted together without a
     * merge: the keys and the orders of the one pass. Orders fall on both
     * sides (their lines' days are drawn apart), a credit note on one side
     * and a purchase on the other among them. */
    static const int32_t windows[][2] = { { 15100, 15250 }, { 15000, 15399 }, { 15390, 15500 },
                                          { 14000, 14001 } };
    for (size_t w = 0; w < sizeof windows / sizeof windows[0]; w++) {
        struct rollup inside, outside;
        int ok = rollup_init(&inside, ROLLUP_CUSTOMER, &diag) == 0 &&
                 rollup_init(&outside, ROLLUP_CUSTOMER, &diag) == 0;
        for (size_t i = 0; ok && i < LINES; i++) {
            const struct line *l = &lines[i];
            int32_t day = l->totals.first_day;
            struct rollup *r = day >= windows[w][0] && day <= windows[w][1] ? &inside : &outside;
            ok = rollup_add(r, l->key, strlen(l->key), l->order, strlen(l->order), &l->totals,
                            &diag) == 0;
        }
        ok = ok && (rollup_keys(&inside) == 0 || rollup_settle(&inside, &diag) == 0) &&
             (rollup_keys(&outside) == 0 || rollup_settle(&outside, &diag) == 0);
        size_t keys = rollup_keys(&inside) + rollup_keys_beyond(&inside, &outside);
        long long orders = rollup_orders_with(&inside, &outside);
        T_CHECK(ok && keys == keys_seen && orders == all_orders,
                "rollup: a period's table and the days outside it, counted together: %zu keys "
                "(%zu + %zu beyond), %lld orders = the one pass's %zu and %lld", keys,
                rollup_keys(&inside), keys - rollup_keys(&inside), orders, keys_seen, all_orders);
        rollup_free(&inside);
        rollup_free(&outside);
    }

    /* any split, any order, either grain, flat or tree: the same bytes */
    static const struct {
        enum rollup_grain part, merge;
        size_t floor;
        const char *name;
    } grains[] = {
        { ROLLUP_ORDER, ROLLUP_ORDER, 0, "order-grain parts (--partial) merged (--merge)" },
        { ROLLUP_CUSTOMER, ROLLUP_CUSTOMER, 0, "customer-grain parts merged" },
        { ROLLUP_CUSTOMER, ROLLUP_CUSTOMER, 3,
          "customer-grain parts merged, their (key, order) logs settled every few records" },
    };
    for (size_t g = 0; g < sizeof grains / sizeof *grains; g++)
        for (size_t parts = 1; parts <= 7; parts += 2)
            for (int tree = 0; tree <= 1; tree++)
                for (int trial = 0; trial < 3; trial++) {
                    char *text = split_and_merge(lines, parts, grains[g].part, grains[g].merge,
                                                 tree, grains[g].floor);
                    T_CHECK(strcmp(text, reference) == 0,
                            "rollup: %s, %zu part%s, %s, shuffle %d = one pass", grains[g].name,
                            parts, parts == 1 ? "" : "s", tree ? "as a tree" : "one by one",
                            trial + 1);
                    free(text);
                }

    /* the check can fail: a line lost in a part shows */
    {
        size_t order[LINES];
        for (size_t i = 0; i < LINES; i++)
            order[i] = i;
        struct rollup lost;
        rollup_init(&lost, ROLLUP_ORDER, &diag);
        add_lines(&lost, lines, order, 1, LINES);
        char *text = table_text(&lost);
        T_CHECK(strcmp(text, reference) != 0, "rollup: a line left out changes the table");
        free(text);
        rollup_free(&lost);
    }
    free(reference);
    rollup_free(&one);
    T_DONE();
}
