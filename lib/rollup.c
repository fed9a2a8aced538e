/* rollup.c — the per-customer accumulators: adding a line or a partial,
 * merging, and the rows written for a customer (see rollup.h). */
#include "rollup.h"

#include <assert.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "parse.h"
#include "radix.h"

/* The pairs' log is settled when it reaches twice the records it had
 * after the last settling, and at least this many (24 MiB). */
#define PAIRS_FLOOR ((size_t)1 << 20)

static const struct rollup_totals empty_totals = {
    0, 0, 0, 0, INT32_MAX, INT32_MIN, 0, 0, 0, 0
};

int rollup_init(struct rollup *r, enum rollup_grain grain, struct diag *diag)
{
    memset(r, 0, sizeof *r);
    r->grain = grain;
    r->min_day = INT32_MAX;
    r->max_day = INT32_MIN;
    r->last_key = r->last_pair = -1;
    r->pairs_floor = r->pairs_limit = PAIRS_FLOOR;
    if (hashtab_init(&r->keys, 1024) != 0 ||
        hashtab_init(&r->orders, grain == ROLLUP_ORDER ? 4096 : 0) != 0) {
        rollup_free(r);
        return diag_set(diag, "out of memory");
    }
    return 0;
}

static void ahead_free(struct rollup *r);

void rollup_free(struct rollup *r)
{
    if (!r)
        return;
    ahead_free(r);
    hashtab_free(&r->keys);
    hashtab_free(&r->orders);
    hashtab_array_free(r->key_totals, r->key_caps[0] * sizeof *r->key_totals);
    hashtab_array_free(r->key_orders, r->key_caps[1] * sizeof *r->key_orders);
    hashtab_array_free(r->key_days, r->key_caps[2] * sizeof *r->key_days);
    hashtab_array_free(r->order_key, r->order_caps[0] * sizeof *r->order_key);
    hashtab_array_free(r->order_day, r->order_caps[1] * sizeof *r->order_day);
    hashtab_array_free(r->order_totals, r->order_caps[2] * sizeof *r->order_totals);
    hashtab_array_free(r->pairs, r->pairs_cap * sizeof *r->pairs);
    hashtab_array_free(r->pair_ids, r->ids_cap);
    memset(r, 0, sizeof *r);
}

/* Grow one per-entry array of `size`-byte entries to `want` entries, from
 * *cap (hashtab_array_grow: no copy, no slack in memory once large).
 * @return 0, or -1 out of memory (the array unchanged). */
static int grow(void *array, size_t size, size_t *cap, size_t want)
{
    void **p = array;
    if (*cap >= want)
        return 0;
    void *q = hashtab_array_grow(*p, *cap * size, want * size);
    if (!q)
        return -1;
    *p = q;
    *cap = want;
    return 0;
}

/* Make room for key index k in the per-key arrays, zeroing the new entry. */
static int key_slot(struct rollup *r, size_t k)
{
    if (k >= r->key_cap) {
        size_t cap = r->key_cap ? r->key_cap * 2 : 1024;
        if (grow(&r->key_totals, sizeof *r->key_totals, &r->key_caps[0], cap) != 0 ||
            grow(&r->key_orders, sizeof *r->key_orders, &r->key_caps[1], cap) != 0)
            return -1;
        r->key_cap = cap;
        /* a key's totals are read at random, when adding and when written */
        hashtab_array_random(r->key_totals, r->key_caps[0] * sizeof *r->key_totals);
    }
    r->key_totals[k] = empty_totals;
    r->key_orders[k] = 0;
    return 0;
}

static int order_slot(struct rollup *r, size_t p, uint32_t key)
{
    if (p >= r->order_cap) {
        size_t cap = r->order_cap ? r->order_cap * 2 : 4096;
        if (grow(&r->order_key, sizeof *r->order_key, &r->order_caps[0], cap) != 0 ||
            grow(&r->order_day, sizeof *r->order_day, &r->order_caps[1], cap) != 0 ||
            grow(&r->order_totals, sizeof *r->order_totals, &r->order_caps[2], cap) != 0)
            return -1;
        r->order_cap = cap;
    }
    r->order_key[p] = key;
    r->order_day[p] = INT32_MAX;
    r->order_totals[p] = empty_totals;
    return 0;
}

/* Append a record of the pair (key k, order) to the log, settling it
 * first when it is full. @return the record's index, or -1 out of memory. */
static long append_pair(struct rollup *r, uint32_t k, const char *order, size_t order_len,
                        int32_t day, int counted)
{
    if (r->pairs_len >= r->pairs_limit) {
        struct diag ignored;
        if (rollup_settle(r, &ignored) != 0)
            return -1;
        r->last_key = -1;   /* the record of the last pair has moved */
        r->pairs_limit = 2 * r->pairs_len > r->pairs_floor ? 2 * r->pairs_len : r->pairs_floor;
    }
    if (r->pairs_len == r->pairs_cap) {
        size_t cap = r->pairs_cap ? 2 * r->pairs_cap : 4096;
        if (grow(&r->pairs, sizeof *r->pairs, &r->pairs_cap, cap) != 0)
            return -1;
    }
    if (order_len > UINT32_MAX)
        return -1;
    struct rollup_pair *rec = &r->pairs[r->pairs_len];
    rec->key = (uint64_t)k << 1 | (counted != 0);
    rec->order = 0;
    rec->day = day;
    rec->len = (uint32_t)order_len;
    if (order_len <= sizeof rec->order) {
        memcpy(&rec->order, order, order_len);
    } else {
        if (r->ids_len + order_len > r->ids_cap) {
            size_t cap = r->ids_cap ? r->ids_cap : 4096;
            while (cap < r->ids_len + order_len)
                cap *= 2;
            char *ids = hashtab_array_grow(r->pair_ids, r->ids_cap, cap);
            if (!ids)
                return -1;
            r->pair_ids = ids;
            r->ids_cap = cap;
        }
        memcpy(r->pair_ids + r->ids_len, order, order_len);
        rec->order = r->ids_len;
        r->ids_len += order_len;
    }
    r->settled = 0;
    return (long)r->pairs_len++;
}

/* Intern the (key, order) pair: the key's index, then the order bytes.
 * @return the pair's index, or -1 out of memory. */
static long intern_pair(struct rollup *r, uint32_t k, const char *order, size_t order_len,
                        int *is_new)
{
    char small[256];
    char *pair = small;
    size_t pair_len = sizeof k + order_len;
    if (pair_len > sizeof small && !(pair = malloc(pair_len)))
        return -1;
    memcpy(pair, &k, sizeof k);
    memcpy(pair + sizeof k, order, order_len);
    long p = hashtab_intern(&r->orders, pair, pair_len, hashtab_hash(pair, pair_len), is_new);
    if (pair != small)
        free(pair);
    if (p < 0 || (*is_new && order_slot(r, (size_t)p, k) != 0))
        return -1;
    return p;
}

/* totals += add; -1 when a sum overflows. The first day's money is the
 * earlier one's, or both summed when they share the first day. */
static int accumulate(struct rollup_totals *t, const struct rollup_totals *add)
{
    if (add->first_day < t->first_day) {
        t->first_day_revenue = add->first_day_revenue;
        t->first_day_margin = add->first_day_margin;
    } else if (add->first_day == t->first_day &&
               (__builtin_add_overflow(t->first_day_revenue, add->first_day_revenue,
                                       &t->first_day_revenue) ||
                __builtin_add_overflow(t->first_day_margin, add->first_day_margin,
                                       &t->first_day_margin))) {
        return -1;
    }
    if (__builtin_add_overflow(t->revenue, add->revenue, &t->revenue) ||
        __builtin_add_overflow(t->margin, add->margin, &t->margin) ||
        __builtin_add_overflow(t->quantity, add->quantity, &t->quantity) ||
        __builtin_add_overflow(t->lines, add->lines, &t->lines) ||
        __builtin_add_overflow(t->returns, add->returns, &t->returns) ||
        __builtin_add_overflow(t->return_lines, add->return_lines, &t->return_lines))
        return -1;
    if (add->first_day < t->first_day)
        t->first_day = add->first_day;
    if (add->last_day > t->last_day)
        t->last_day = add->last_day;
    return 0;
}

static int overflow(struct diag *diag, const char *key, size_t len)
{
    char q[64];
    size_t shown = 0;
    while (shown < len && key[shown] != ROLLUP_KEY_SEP)
        shown++;
    return diag_set(diag, "the totals of customer \"%s\" overflow (over 9.2e12)",
                    diag_quote(key, shown, q, sizeof q));
}

/* Whether n bytes at a and b are equal: two loads of each for up to 16
 * bytes (overlapping, within the n bytes), memcmp past that. A line's
 * client and order are compared with the last line's: a call to memcmp
 * for a few bytes cost more than the compare. */
static inline int same_bytes(const char *a, const char *b, size_t n)
{
    uint64_t x, y, u, v;
    if (n >= 8 && n <= 16) {
        memcpy(&x, a, 8);
        memcpy(&y, b, 8);
        memcpy(&u, a + n - 8, 8);
        memcpy(&v, b + n - 8, 8);
        return ((x ^ y) | (u ^ v)) == 0;
    }
    if (n >= 4 && n < 8) {
        uint32_t x4, y4, u4, v4;
        memcpy(&x4, a, 4);
        memcpy(&y4, b, 4);
        memcpy(&u4, a + n - 4, 4);
        memcpy(&v4, b + n - 4, 4);
        return ((x4 ^ y4) | (u4 ^ v4)) == 0;
    }
    if (n < 4) {
        for (size_t i = 0; i < n; i++)
            if (a[i] != b[i])
                return 0;
        return 1;
    }
    return memcmp(a, b, n) == 0;
}

int rollup_add(struct rollup *r, const char *key, size_t key_len,
               const char *order, size_t order_len,
               const struct rollup_totals *add, struct diag *diag)
{
    int is_new;
    long k, p;
    if (r->last_key >= 0 && key_len == r->last_key_len &&
        same_bytes(key, r->last_key_bytes, key_len)) {
        k = r->last_key;
        if (order_len == r->last_order_len && same_bytes(order, r->last_order_bytes, order_len)) {
            p = r->last_pair;
            is_new = 0;
            goto add;
        }
    } else {
        k = hashtab_intern(&r->keys, key, key_len, hashtab_hash(key, key_len), &is_new);
        if (k < 0 || (is_new && key_slot(r, (size_t)k) != 0))
            return diag_set(diag, "out of memory");
    }
    p = r->grain == ROLLUP_ORDER ? intern_pair(r, (uint32_t)k, order, order_len, &is_new)
                                 : append_pair(r, (uint32_t)k, order, order_len, INT32_MAX, 0);
    if (p < 0)
        return diag_set(diag, "out of memory");
    if (key_len <= sizeof r->last_key_bytes && order_len <= sizeof r->last_order_bytes) {
        memcpy(r->last_key_bytes, key, key_len);
        memcpy(r->last_order_bytes, order, order_len);
        r->last_key_len = key_len;
        r->last_order_len = order_len;
        r->last_key = k;
        r->last_pair = p;
    } else {
        r->last_key = -1;
    }
add:;
    /* what is added counts wholly on its first day (a line has one day) */
    struct rollup_totals one = *add;
    one.first_day_revenue = add->revenue;
    one.first_day_margin = add->margin;
    if (r->grain == ROLLUP_ORDER) {
        r->settled = 0;     /* the keys' totals are rolled up again */
        if (add->first_day < r->order_day[p])
            r->order_day[p] = add->first_day;
        if (accumulate(&r->order_totals[p], &one) != 0)
            return overflow(diag, key, key_len);
    } else {
        struct rollup_pair *rec = &r->pairs[p];
        if (add->first_day < rec->day)
            rec->day = add->first_day;
        if (add->lines > add->return_lines)
            rec->key |= 1;      /* a purchase line: the pair is one of the orders */
        if (accumulate(&r->key_totals[k], &one) != 0)
            return overflow(diag, key, key_len);
    }
    if (add->first_day < r->min_day)
        r->min_day = add->first_day;
    if (add->last_day > r->max_day)
        r->max_day = add->last_day;
    return 0;
}

/* Give back the per-key arrays and key table of a roll-up being merged. */
static void release_keys(struct rollup *r)
{
    hashtab_free(&r->keys);
    hashtab_array_free(r->key_totals, r->key_caps[0] * sizeof *r->key_totals);
    hashtab_array_free(r->key_orders, r->key_caps[1] * sizeof *r->key_orders);
    hashtab_array_free(r->key_days, r->key_caps[2] * sizeof *r->key_days);
    r->key_totals = NULL;
    r->key_orders = NULL;
    r->key_days = NULL;
    memset(r->key_caps, 0, sizeof r->key_caps);
    r->key_cap = 0;
}

/* Give back the (key, order) pairs: their table and arrays. */
static void release_pairs(struct rollup *r)
{
    hashtab_free(&r->orders);
    hashtab_array_free(r->order_key, r->order_caps[0] * sizeof *r->order_key);
    hashtab_array_free(r->order_day, r->order_caps[1] * sizeof *r->order_day);
    hashtab_array_free(r->order_totals, r->order_caps[2] * sizeof *r->order_totals);
    hashtab_array_free(r->pairs, r->pairs_cap * sizeof *r->pairs);
    hashtab_array_free(r->pair_ids, r->ids_cap);
    r->order_key = NULL;
    r->order_day = NULL;
    r->order_totals = NULL;
    r->pairs = NULL;
    r->pair_ids = NULL;
    r->pairs_len = r->pairs_cap = r->ids_len = r->ids_cap = 0;
    memset(r->order_caps, 0, sizeof r->order_caps);
    r->order_cap = 0;
    r->last_key = r->last_pair = -1;
}

#define MERGE_AHEAD 8   /* keys hashed and prefetched ahead in a merge */

int rollup_merge(struct rollup *into, struct rollup *from, struct diag *diag)
{
    assert(into->grain == from->grain);     /* partials of one grain merge */
    size_t nkeys = from->keys.count;
    uint32_t *map = malloc((nkeys ? nkeys : 1) * sizeof *map);
    if (!map)
        return diag_set(diag, "out of memory");
    into->last_key = -1;
    /* the keys' hashes MERGE_AHEAD keys ahead, their slots prefetched: the
     * lookups in a table of millions are cache misses, which then overlap */
    uint64_t ahead[MERGE_AHEAD];
    for (size_t k = 0; k < nkeys; k++) {
        for (size_t j = k ? k + MERGE_AHEAD - 1 : 0; j < k + MERGE_AHEAD && j < nkeys; j++) {
            size_t ahead_len;
            const char *ahead_key = hashtab_key(&from->keys, j, &ahead_len);
            ahead[j % MERGE_AHEAD] = hashtab_hash(ahead_key, ahead_len);
            hashtab_prefetch(&into->keys, ahead[j % MERGE_AHEAD]);
        }
        if (k % 65536 == 0) {   /* what is read of `from`'s arrays is given back */
            hashtab_array_release(from->key_totals, from->key_caps[0] * sizeof *from->key_totals,
                                  k * sizeof *from->key_totals);
            hashtab_array_release(from->key_orders, from->key_caps[1] * sizeof *from->key_orders,
                                  k * sizeof *from->key_orders);
            hashtab_release_before(&from->keys, k);
        }
        size_t len;
        const char *key = hashtab_key(&from->keys, k, &len);
        int is_new;
        long m = hashtab_intern(&into->keys, key, len, ahead[k % MERGE_AHEAD], &is_new);
        if (m < 0 || (is_new && key_slot(into, (size_t)m) != 0)) {
            free(map);
            return diag_set(diag, "out of memory");
        }
        map[k] = (uint32_t)m;
        if (from->grain == ROLLUP_CUSTOMER &&
            accumulate(&into->key_totals[m], &from->key_totals[k]) != 0) {
            free(map);
            return overflow(diag, key, len);
        }
    }
    release_keys(from);
    /* ROLLUP_CUSTOMER: the log's records, their keys renumbered, appended
     * to `into`'s (what is read is given back as the merge goes), without
     * settling it on the way: the two logs are held whole already, so that
     * a settling in the middle bounds nothing, and the log is settled
     * after anyway (it took half the time of the 5 M pass's last settling) */
    if (into->pairs_limit < into->pairs_len + from->pairs_len)
        into->pairs_limit = into->pairs_len + from->pairs_len;
    for (size_t i = 0; i < from->pairs_len; i++) {
        if (i % 65536 == 0)
            hashtab_array_release(from->pairs, from->pairs_cap * sizeof *from->pairs,
                                  i * sizeof *from->pairs);
        const struct rollup_pair *rec = &from->pairs[i];
        const char *id = rec->len <= sizeof rec->order ? (const char *)&rec->order
                                                        : from->pair_ids + rec->order;
        if (append_pair(into, map[rec->key >> 1], id, rec->len, rec->day,
                        (int)(rec->key & 1)) < 0) {
            free(map);
            return diag_set(diag, "out of memory");
        }
    }
    if (from->grain == ROLLUP_CUSTOMER)
        release_pairs(from);
    if (from->grain == ROLLUP_ORDER)
        into->settled = 0;  /* the keys' totals are rolled up again */
    /* ROLLUP_ORDER: the pairs in slot order: the slots read are given back as the merge
     * goes (the order of the pairs' indexes in `into` changes nothing
     * written: outputs are sorted by key and order) */
    for (size_t slot = 0; from->grain == ROLLUP_ORDER && slot < hashtab_slots(&from->orders);
         slot++) {
        if (slot % 65536 == 0)
            hashtab_release_slots_before(&from->orders, slot);
        size_t len;
        const char *pair;
        long entry = hashtab_slot_entry(&from->orders, slot, &pair, &len);
        if (entry < 0)
            continue;
        size_t p = (size_t)entry;
        uint32_t m = map[from->order_key[p]];
        int is_new;
        long q = intern_pair(into, m, pair + sizeof(uint32_t), len - sizeof(uint32_t), &is_new);
        if (q < 0) {
            free(map);
            return diag_set(diag, "out of memory");
        }
        if (from->order_day[p] < into->order_day[q])
            into->order_day[q] = from->order_day[p];
        if (accumulate(&into->order_totals[q], &from->order_totals[p]) != 0) {
            size_t klen;
            const char *key = hashtab_key(&into->keys, m, &klen);
            free(map);
            return overflow(diag, key, klen);
        }
    }
    free(map);
    rollup_decimals(&into->revenue_decimals, from->revenue_decimals);
    rollup_decimals(&into->margin_decimals, from->margin_decimals);
    rollup_decimals(&into->quantity_decimals, from->quantity_decimals);
    if (from->min_day < into->min_day)
        into->min_day = from->min_day;
    if (from->max_day > into->max_day)
        into->max_day = from->max_day;
    return 0;
}

/* Roll (key, order) totals up into the per-key totals (from scratch). */
static int roll_orders_up(struct rollup *r, struct diag *diag)
{
    if (r->grain != ROLLUP_ORDER)
        return 0;
    for (size_t k = 0; k < r->keys.count; k++) {
        r->key_totals[k] = empty_totals;
        r->key_orders[k] = 0;
    }
    for (size_t p = 0; p < r->orders.count; p++) {
        uint32_t k = r->order_key[p];
        if (accumulate(&r->key_totals[k], &r->order_totals[p]) != 0) {
            size_t len;
            const char *key = hashtab_key(&r->keys, k, &len);
            return overflow(diag, key, len);
        }
        if (r->order_totals[p].lines > r->order_totals[p].return_lines)
            r->key_orders[k]++;     /* a credit note alone is not an order */
    }
    return 0;
}

static int compare_u64(const void *pa, const void *pb)
{
    uint64_t a = *(const uint64_t *)pa, b = *(const uint64_t *)pb;
    return a < b ? -1 : a > b;
}

/* Sort a[0..n) ascending (radix.h). @return 0, or -1 out of memory (a
 * unchanged). */
static int sort_u64(uint64_t *a, size_t n)
{
    uint64_t *b = malloc((n ? n : 1) * sizeof *b);
    uint64_t *sorted = b ? radix_sort_u64(a, b, n, sizeof *a) : NULL;
    if (!sorted) {
        free(b);
        return -1;
    }
    if (sorted != a)
        memcpy(a, sorted, n * sizeof *a);
    free(b);
    return 0;
}

/* key_days: the distinct days of each key's orders, from the (key, day of
 * the order) pairs of days[0..n), which it sorts and frees. Credit notes
 * count here (unlike in `orders`): the days stay consistent with
 * first_date and last_date, which are those of every line, so that
 * cl-clv's purchase days fit within the tenure. */
static int count_days(struct rollup *r, uint64_t *days, size_t n, struct diag *diag)
{
    if (sort_u64(days, n) != 0)
        qsort(days, n, sizeof *days, compare_u64);    /* no memory for the radix sort */
    if (grow(&r->key_days, sizeof *r->key_days, &r->key_caps[2], r->keys.count) != 0) {
        free(days);
        return diag_set(diag, "out of memory");
    }
    for (size_t k = 0; k < r->keys.count; k++)
        r->key_days[k] = 0;
    for (size_t p = 0; p < n; p++)
        if (p == 0 || days[p] != days[p - 1])
            r->key_days[days[p] >> 32]++;
    free(days);
    return 0;
}

static uint64_t key_day(uint32_t k, int32_t day)
{
    return (uint64_t)k << 32 | (uint32_t)((int64_t)day - INT32_MIN);
}

/* Two records of one key in an order of their ids (any order in which
 * equal ids are next to each other). */
static int compare_ids(const struct rollup *r, const struct rollup_pair *a,
                       const struct rollup_pair *b)
{
    if (a->len != b->len)
        return a->len < b->len ? -1 : 1;
    if (a->len <= sizeof a->order)
        return a->order < b->order ? -1 : a->order > b->order;
    return memcmp(r->pair_ids + a->order, r->pair_ids + b->order, a->len);
}

/* Sort a[0..n) by compare_ids, tmp[0..n) the room to merge in. */
static void sort_ids(const struct rollup *r, struct rollup_pair *a, struct rollup_pair *tmp,
                     size_t n)
{
    if (n <= 16) {
        for (size_t i = 1; i < n; i++) {
            struct rollup_pair x = a[i];
            size_t j = i;
            for (; j > 0 && compare_ids(r, &a[j - 1], &x) > 0; j--)
                a[j] = a[j - 1];
            a[j] = x;
        }
        return;
    }
    size_t h = n / 2, i = 0, j = h, t = 0;
    sort_ids(r, a, tmp, h);
    sort_ids(r, a + h, tmp + h, n - h);
    while (i < h && j < n)
        tmp[t++] = compare_ids(r, &a[j], &a[i]) < 0 ? a[j++] : a[i++];
    while (i < h)
        tmp[t++] = a[i++];
    while (j < n)
        tmp[t++] = a[j++];
    memcpy(a, tmp, n * sizeof *a);
}

/* Keep the long ids of the log's records only (after duplicates went). */
static void compact_ids(struct rollup *r)
{
    size_t need = 0;
    for (size_t i = 0; i < r->pairs_len; i++)
        if (r->pairs[i].len > sizeof r->pairs[i].order)
            need += r->pairs[i].len;
    if (need >= r->ids_len / 2)
        return;
    char *ids = hashtab_array_grow(NULL, 0, need ? need : 1);
    if (!ids)
        return;     /* kept as they are */
    size_t at = 0;
    for (size_t i = 0; i < r->pairs_len; i++) {
        struct rollup_pair *rec = &r->pairs[i];
        if (rec->len > sizeof rec->order) {
            memcpy(ids + at, r->pair_ids + rec->order, rec->len);
            rec->order = at;
            at += rec->len;
        }
    }
    hashtab_array_free(r->pair_ids, r->ids_cap);
    r->pair_ids = ids;
    r->ids_len = at;
    r->ids_cap = need ? need : 1;
}

/* a[0..n) sorted by key: each key's records by id (spare: room for n),
 * the records of one pair made one: the earliest day, an order when any
 * run had a purchase line. @return the records left, at the start of a. */
static size_t merge_equal(const struct rollup *r, struct rollup_pair *a,
                          struct rollup_pair *spare, size_t n)
{
    size_t out = 0;
    for (size_t i = 0; i < n;) {
        size_t j = i + 1;
        while (j < n && a[j].key >> 1 == a[i].key >> 1)
            j++;
        if (j - i > 1)
            sort_ids(r, a + i, spare, j - i);
        for (size_t t = i; t < j; t++) {
            if (t > i && compare_ids(r, &a[out - 1], &a[t]) == 0) {
                a[out - 1].key |= a[t].key & 1;
                if (a[t].day < a[out - 1].day)
                    a[out - 1].day = a[t].day;
            } else {
                a[out++] = a[t];
            }
        }
        i = j;
    }
    return out;
}

int rollup_settle(struct rollup *r, struct diag *diag)
{
    if (r->settled)
        return 0;
    if (r->grain == ROLLUP_ORDER) {
        if (roll_orders_up(r, diag) != 0)
            return -1;
        r->settled = 1;
        return 0;
    }
    size_t n = r->pairs_len;
    r->last_key = -1;   /* the records move */
    size_t spare_bytes = (n ? n : 1) * sizeof(struct rollup_pair);
    struct rollup_pair *spare = hashtab_array_grow(NULL, 0, spare_bytes);
    struct rollup_pair *sorted = spare ? radix_sort_u64(r->pairs, spare, n, sizeof *spare) : NULL;
    if (!sorted) {
        if (spare)
            hashtab_array_free(spare, spare_bytes);
        return diag_set(diag, "out of memory");
    }
    if (sorted == spare) {      /* the sorted records become the log, the log the spare */
        spare = r->pairs;
        r->pairs = sorted;
        size_t cap = r->pairs_cap;
        r->pairs_cap = spare_bytes / sizeof *spare;
        spare_bytes = cap * sizeof *spare;
    }
    struct rollup_pair *a = r->pairs;
    for (size_t k = 0; k < r->keys.count; k++)
        r->key_orders[k] = 0;
    size_t out = merge_equal(r, a, spare, n);
    for (size_t i = 0; i < out; i++)
        r->key_orders[a[i].key >> 1] += (int64_t)(a[i].key & 1);
    hashtab_array_free(spare, spare_bytes);
    r->pairs_len = out;
    compact_ids(r);
    r->settled = 1;
    return 0;
}

long long rollup_orders(const struct rollup *r)
{
    long long orders = 0;
    if (r->grain == ROLLUP_ORDER || r->settled) {
        for (size_t k = 0; k < r->keys.count; k++)
            if (__builtin_add_overflow(orders, r->key_orders[k], &orders))
                return -1;
        return orders;
    }
    /* a settled copy of the log */
    size_t n = r->pairs_len, bytes = (n ? n : 1) * sizeof(struct rollup_pair);
    struct rollup_pair *a = hashtab_array_grow(NULL, 0, bytes);
    struct rollup_pair *b = a ? hashtab_array_grow(NULL, 0, bytes) : NULL;
    struct rollup_pair *sorted = NULL;
    if (b) {
        memcpy(a, r->pairs, n * sizeof *a);
        sorted = radix_sort_u64(a, b, n, sizeof *a);
    }
    if (sorted) {
        size_t out = merge_equal(r, sorted, sorted == a ? b : a, n);
        for (size_t i = 0; i < out; i++)
            orders += (long long)(sorted[i].key & 1);
    }
    if (a)
        hashtab_array_free(a, bytes);
    if (b)
        hashtab_array_free(b, bytes);
    return sorted ? orders : -1;
}

size_t rollup_keys_beyond(const struct rollup *base, const struct rollup *extra)
{
    size_t beyond = 0;
    for (size_t k = 0; k < extra->keys.count; k++) {
        size_t len;
        const char *key = hashtab_key(&extra->keys, k, &len);
        beyond += hashtab_find(&base->keys, key, len, hashtab_hash(key, len)) < 0;
    }
    return beyond;
}

/* The id of a settled record, its bytes and length. */
static const char *pair_id(const struct rollup *r, const struct rollup_pair *rec)
{
    return rec->len <= sizeof rec->order ? (const char *)&rec->order : r->pair_ids + rec->order;
}

/* compare_ids across two tables: a record of a, one of b. */
static int compare_ids_across(const struct rollup *a, const struct rollup_pair *x,
                              const struct rollup *b, const struct rollup_pair *y)
{
    if (x->len != y->len)
        return x->len < y->len ? -1 : 1;
    if (x->len <= sizeof x->order)
        return x->order < y->order ? -1 : x->order > y->order;
    return memcmp(pair_id(a, x), pair_id(b, y), x->len);
}

/* The settled record of base's key k with rec's id (rec: one of extra's),
 * or NULL. A settled log is sorted by key, each key's records by
 * compare_ids (merge_equal). */
static const struct rollup_pair *find_pair(const struct rollup *base, uint64_t k,
                                           const struct rollup *extra,
                                           const struct rollup_pair *rec)
{
    size_t lo = 0, hi = base->pairs_len;
    while (lo < hi) {       /* the key's first record */
        size_t mid = lo + (hi - lo) / 2;
        if (base->pairs[mid].key >> 1 < k)
            lo = mid + 1;
        else
            hi = mid;
    }
    size_t end = lo;
    while (end < base->pairs_len && base->pairs[end].key >> 1 == k)
        end++;
    while (lo < end) {
        size_t mid = lo + (end - lo) / 2;
        int c = compare_ids_across(base, &base->pairs[mid], extra, rec);
        if (c == 0)
            return &base->pairs[mid];
        if (c < 0)
            lo = mid + 1;
        else
            end = mid;
    }
    return NULL;
}

long long rollup_orders_with(const struct rollup *base, const struct rollup *extra)
{
    assert(base->grain == ROLLUP_CUSTOMER && extra->grain == ROLLUP_CUSTOMER);
    /* (an empty table is not settled: it holds no order) */
    assert((base->settled || base->keys.count == 0) &&
           (extra->settled || extra->keys.count == 0));
    long long orders = base->keys.count ? rollup_orders(base) : 0;
    if (orders < 0)
        return -1;
    for (size_t i = 0; i < extra->pairs_len; i++) {
        const struct rollup_pair *rec = &extra->pairs[i];
        if (!(rec->key & 1))
            continue;       /* a credit note alone is not an order */
        size_t len;
        const char *key = hashtab_key(&extra->keys, (size_t)(rec->key >> 1), &len);
        long k = hashtab_find(&base->keys, key, len, hashtab_hash(key, len));
        const struct rollup_pair *same = k < 0 ? NULL : find_pair(base, (uint64_t)k, extra, rec);
        if ((!same || !(same->key & 1)) && __builtin_add_overflow(orders, 1, &orders))
            return -1;
    }
    return orders;
}

/* Sorting keys: qsort with a context pointer through a file-level variable
 * is not thread-safe, so the keys are sorted as (pointer, length) pairs. */
struct sort_item {
    const char *bytes;
    size_t len;
    size_t index;
    const char *second;     /* the order id, for partials */
    size_t second_len;
};

static int compare_bytes(const char *a, size_t alen, const char *b, size_t blen)
{
    int c = memcmp(a, b, alen < blen ? alen : blen);
    if (c)
        return c;
    return alen < blen ? -1 : alen > blen;
}

static int compare_items(const void *pa, const void *pb)
{
    const struct sort_item *a = pa, *b = pb;
    int c = compare_bytes(a->bytes, a->len, b->bytes, b->len);
    if (c)
        return c;
    return compare_bytes(a->second, a->second_len, b->second, b->second_len);
}

/* The output order: positions 0..n-1 sorted by compare_items on the items
 * `get` describes. An LSD radix sort (8-bit digits, stable) on the first 8
 * bytes of the key read big-endian and zero-padded, which orders as memcmp
 * does wherever two prefixes differ; then each run of equal prefixes (a
 * longer key, or a customer's orders) by comparisons. Digits that every
 * key shares (a fixed-width id's padding, its leading digits) are skipped.
 * `fill` gives each position its prefix, in any order.
 * @return the sorted array, or NULL out of memory. */
struct radix_key {
    uint64_t prefix;    /* first: radix.h sorts on it */
    uint32_t index;
    uint32_t len;       /* the key's length: up to 8, the prefix is the key */
};

typedef void item_fn(const struct rollup *r, size_t i, struct sort_item *item);
typedef void fill_fn(const struct rollup *r, struct radix_key *a);

static uint64_t prefix_of(const char *key, size_t len)
{
    unsigned char bytes[8] = { 0 };
    memcpy(bytes, key, len < 8 ? len : 8);
    uint64_t prefix = 0;
    for (int j = 0; j < 8; j++)
        prefix = prefix << 8 | bytes[j];
    return prefix;
}

static struct radix_key *sorted_order(const struct rollup *r, size_t n, fill_fn *fill,
                                      item_fn *get)
{
    struct radix_key *a = malloc((n ? n : 1) * sizeof *a), *b = malloc((n ? n : 1) * sizeof *b);
    if (!a || !b) {
        free(a);
        free(b);
        return NULL;
    }
    fill(r, a);
    struct radix_key *sorted = radix_sort_u64(a, b, n, sizeof *a);
    if (!sorted) {
        free(a);
        free(b);
        return NULL;
    }
    if (sorted != a) {      /* a: the sorted keys, b: the spare */
        b = a;
        a = sorted;
    }
    struct sort_item *run = NULL;
    size_t run_cap = 0;
    for (size_t i = 0; i < n;) {
        size_t j = i + 1;
        while (j < n && a[j].prefix == a[i].prefix)
            j++;
        if (j - i > 1) {
            if (j - i > run_cap) {
                struct sort_item *grown = realloc(run, (j - i) * sizeof *run);
                if (!grown) {
                    free(run);
                    free(a);
                    free(b);
                    return NULL;
                }
                run = grown;
                run_cap = j - i;
            }
            for (size_t t = i; t < j; t++)
                get(r, a[t].index, &run[t - i]);
            qsort(run, j - i, sizeof *run, compare_items);
            for (size_t t = i; t < j; t++) {
                a[t].index = (uint32_t)run[t - i].index;
                a[t].len = (uint32_t)(run[t - i].len < UINT32_MAX ? run[t - i].len : UINT32_MAX);
            }
        }
        i = j;
    }
    free(run);
    free(b);
    return a;
}

static void key_item(const struct rollup *r, size_t k, struct sort_item *item)
{
    item->bytes = hashtab_key(&r->keys, k, &item->len);
    item->index = k;
    item->second = NULL;
    item->second_len = 0;
}

/* the keys in slot order: one pass through the table, no random reads */
static void key_fill(const struct rollup *r, struct radix_key *a)
{
    size_t at = 0;
    for (size_t i = 0; i < hashtab_slots(&r->keys); i++) {
        const char *key;
        size_t len;
        long k = hashtab_slot_entry(&r->keys, i, &key, &len);
        if (k < 0)
            continue;
        a[at].prefix = prefix_of(key, len);
        a[at].index = (uint32_t)k;
        a[at].len = (uint32_t)(len < UINT32_MAX ? len : UINT32_MAX);
        at++;
    }
}

static void pair_item(const struct rollup *r, size_t p, struct sort_item *item)
{
    size_t len;
    const char *pair = hashtab_key(&r->orders, p, &len);
    item->bytes = hashtab_key(&r->keys, r->order_key[p], &item->len);
    item->second = pair + sizeof(uint32_t);
    item->second_len = len - sizeof(uint32_t);
    item->index = p;
}

static void pair_fill(const struct rollup *r, struct radix_key *a)
{
    for (size_t p = 0; p < r->orders.count; p++) {
        struct sort_item item;
        pair_item(r, p, &item);
        a[p].prefix = prefix_of(item.bytes, item.len);
        a[p].index = (uint32_t)p;
        a[p].len = (uint32_t)(item.len < UINT32_MAX ? item.len : UINT32_MAX);
    }
}

/* Write the key's parts (customer, then the --by values). */
static void write_key(struct csvout *out, const char *key, size_t len, size_t parts)
{
    size_t start = 0;
    for (size_t part = 0; part < parts; part++) {
        size_t end = start;
        while (end < len && key[end] != ROLLUP_KEY_SEP)
            end++;
        csvout_text_len(out, key + start, end - start);
        start = end + 1;
    }
}

/* Write the key's last part (what follows its last separator). */
static void write_last_part(struct csvout *out, const char *key, size_t len)
{
    size_t start = len;
    while (start > 0 && key[start - 1] != ROLLUP_KEY_SEP)
        start--;
    csvout_text_len(out, key + start, len - start);
}

/* The dates of the roll-up's span, each formatted once (millions of rows
 * have two dates each, out of a few hundred days). */
struct dates {
    int32_t first;      /* the day of text[0] */
    size_t n;           /* 0: none kept, each date formatted when written */
    char (*text)[12];   /* format_date's text, its length in the last byte */
};

#define DATES_MAX 100000    /* days kept: 1.2 MB */

static void dates_init(struct dates *d, int32_t first, int32_t last)
{
    d->n = 0;
    d->first = first;
    d->text = NULL;
    if (first > last || (int64_t)last - first >= DATES_MAX ||
        !(d->text = malloc(((size_t)(last - first) + 1) * sizeof *d->text)))
        return;
    d->n = (size_t)(last - first) + 1;
    for (size_t i = 0; i < d->n; i++) {
        format_date(first + (int32_t)i, d->text[i]);
        d->text[i][11] = (char)strlen(d->text[i]);
    }
}

static void write_date(struct csvout *out, const struct dates *d, int32_t day)
{
    if ((int64_t)day - d->first >= 0 && (uint64_t)((int64_t)day - d->first) < d->n) {
        const char *text = d->text[day - d->first];
        csvout_text_len(out, text, (size_t)text[11]);
        return;
    }
    char buf[16];
    csvout_text(out, format_date(day, buf));
}

/* total / count rounded half away from zero at the printed scale (`decimals`
 * decimals), in scaled units: 2.00 over 3 is 0.67, not 0.666667 cut to 0.66. */
static int64_t average(int64_t total, int64_t count, int decimals)
{
    if (count == 0)
        return 0;
    int64_t unit = 1;
    for (int i = decimals; i < MONEY_DECIMALS; i++)
        unit *= 10;
    __int128 divisor = (__int128)count * unit;
    __int128 q = total / divisor, rem = total % divisor;
    if (2 * (rem < 0 ? -rem : rem) >= divisor)
        q += total < 0 ? -1 : 1;
    return (int64_t)(q * unit);
}

/* returns / gross as a ratio, rounded half away from zero to 4 decimals,
 * in scaled units; -1 when gross is not positive (the rate is undefined). */
static int64_t return_rate(int64_t returns, int64_t gross)
{
    if (gross <= 0)
        return -1;
    __int128 num = (__int128)returns * 10000, q = num / gross, rem = num % gross;
    if (2 * (rem < 0 ? -rem : rem) >= gross)
        q += num < 0 ? -1 : 1;
    return (int64_t)(q * (MONEY_SCALE / 10000));
}

static int compare_i32(const void *pa, const void *pb)
{
    int32_t a = *(const int32_t *)pa, b = *(const int32_t *)pb;
    return a < b ? -1 : a > b;
}

/* The distinct days among d[0..n) (n >= 1), d sorted on the way: by
 * insertion when few (a client's orders mostly are), else by qsort. */
static int64_t distinct_days(int32_t *d, size_t n)
{
    if (n > 64) {
        qsort(d, n, sizeof *d, compare_i32);
    } else {
        for (size_t i = 1; i < n; i++) {
            int32_t x = d[i];
            size_t j = i;
            for (; j > 0 && d[j - 1] > x; j--)
                d[j] = d[j - 1];
            d[j] = x;
        }
    }
    int64_t count = 1;
    for (size_t i = 1; i < n; i++)
        count += d[i] != d[i - 1];
    return count;
}

/* rollup_write's first step: the pairs settled, the distinct days of each
 * key's orders counted into key_days, then the pairs given back (nothing
 * after reads them). ROLLUP_CUSTOMER: from the settled log, whose records
 * are in key order (each key's days sorted apart, no sort of every pair);
 * ROLLUP_ORDER: by count_days. @return 0, or -1 with diag set. */
static int pair_days(struct rollup *r, struct diag *diag)
{
    if (rollup_settle(r, diag) != 0)
        return -1;
    if (r->grain == ROLLUP_ORDER) {
        size_t pairs = r->orders.count;
        uint64_t *days = malloc((pairs ? pairs : 1) * sizeof *days);
        if (!days)
            return diag_set(diag, "out of memory");
        for (size_t p = 0; p < pairs; p++)
            days[p] = key_day(r->order_key[p], r->order_day[p]);
        release_pairs(r);
        return count_days(r, days, pairs, diag);
    }
    if (grow(&r->key_days, sizeof *r->key_days, &r->key_caps[2], r->keys.count) != 0)
        return diag_set(diag, "out of memory");
    for (size_t k = 0; k < r->keys.count; k++)
        r->key_days[k] = 0;
    int32_t small[64], *run = small;
    size_t run_cap = sizeof small / sizeof *small;
    for (size_t i = 0; i < r->pairs_len;) {
        uint64_t k = r->pairs[i].key >> 1;
        size_t j = i + 1;
        while (j < r->pairs_len && r->pairs[j].key >> 1 == k)
            j++;
        if (j - i > run_cap) {
            int32_t *grown = malloc((j - i) * sizeof *grown);
            if (!grown) {
                if (run != small)
                    free(run);
                return diag_set(diag, "out of memory");
            }
            if (run != small)
                free(run);
            run = grown;
            run_cap = j - i;
        }
        for (size_t t = i; t < j; t++)
            run[t - i] = r->pairs[t].day;
        r->key_days[k] = distinct_days(run, j - i);
        i = j;
    }
    if (run != small)
        free(run);
    release_pairs(r);
    return 0;
}

/* rollup_write's sort of the keys into output order, on a thread. */
struct key_sort {
    const struct rollup *r;
    size_t n;
    struct radix_key *order;    /* NULL: out of memory */
};

static void *run_key_sort(void *arg)
{
    struct key_sort *job = arg;
    job->order = sorted_order(job->r, job->n, key_fill, key_item);
    return NULL;
}

/* rollup_write_ahead's sort and its thread. */
struct rollup_ahead {
    struct key_sort job;
    pthread_t thread;
};

int rollup_write_ahead(struct rollup *r)
{
    if (r->ahead || r->keys.count < 65536)
        return -1;
    struct rollup_ahead *a = calloc(1, sizeof *a);
    if (!a)
        return -1;
    a->job.r = r;
    a->job.n = r->keys.count;
    if (pthread_create(&a->thread, NULL, run_key_sort, &a->job) != 0) {
        free(a);
        return -1;
    }
    r->ahead = a;
    return 0;
}

/* Wait for rollup_write_ahead's sort. @return its order (NULL: out of
 * memory, or no sort ahead: *had 0), the keys' count it sorted in *n. */
static struct radix_key *ahead_take(struct rollup *r, int *had, size_t *n)
{
    struct rollup_ahead *a = r->ahead;
    *had = a != NULL;
    if (!a)
        return NULL;
    pthread_join(a->thread, NULL);
    struct radix_key *order = a->job.order;
    *n = a->job.n;
    free(a);
    r->ahead = NULL;
    return order;
}

static void ahead_free(struct rollup *r)
{
    int had;
    size_t n;
    free(ahead_take(r, &had, &n));
}

/* What rollup_write's rows are made of: each row depends on its number
 * only, so that two threads may format blocks of them. */
struct write_rows {
    const struct rollup *r;
    const struct rollup_output *how;
    const struct radix_key *order;  /* the rows' keys in output order */
    size_t n;
    int with_returns, avg_decimals;
    struct dates dates;
};

/* Row i's key: from its prefix when that is the whole key (short[8]). */
static const char *row_key(const struct write_rows *w, size_t i, char *short_key, size_t *len)
{
    const struct radix_key *o = &w->order[i];
    if (o->len <= 8) {      /* the prefix is the key */
        for (int j = 0; j < 8; j++)
            short_key[j] = (char)(o->prefix >> (56 - 8 * j));
        *len = o->len;
        return short_key;
    }
    return hashtab_key(&w->r->keys, o->index, len);
}

/* Row i of the table. @return 0, or -1 when its gross revenue overflows
 * (the cells before it written). */
static int write_row(const struct write_rows *w, struct csvout *out, size_t i)
{
    const struct rollup *r = w->r;
    const struct rollup_output *how = w->how;
    /* rows are read in key order, at random: ask for them ahead */
    if (i + 16 < w->n) {
        size_t ahead = w->order[i + 16].index;
        __builtin_prefetch(&r->key_totals[ahead]);
        __builtin_prefetch((const char *)&r->key_totals[ahead + 1] - 1);
        __builtin_prefetch(&r->key_orders[ahead]);
        __builtin_prefetch(&r->key_days[ahead]);
    }
    size_t k = w->order[i].index, key_len;
    char short_key[8];
    const char *key = row_key(w, i, short_key, &key_len);
    const struct rollup_totals *t = &r->key_totals[k];
    write_key(out, key, key_len, how->by_count + 1);
    csvout_money(out, t->revenue, r->revenue_decimals);
    if (how->with_margin)
        csvout_money(out, t->margin, r->margin_decimals);
    csvout_money(out, t->quantity, r->quantity_decimals);
    csvout_long(out, t->lines);
    csvout_long(out, r->key_orders[k]);
    write_date(out, &w->dates, t->first_day);
    write_date(out, &w->dates, t->last_day);
    csvout_long(out, (long long)how->asof - t->last_day);
    csvout_long(out, (long long)t->last_day - t->first_day);
    if (r->key_orders[k] > 0)
        csvout_money(out, average(t->revenue, r->key_orders[k], w->avg_decimals),
                     w->avg_decimals);
    else
        csvout_empty(out);      /* returns only: no order to average over */
    csvout_long(out, r->key_days[k]);
    csvout_money(out, t->first_day_revenue, r->revenue_decimals);
    if (how->with_margin)
        csvout_money(out, t->first_day_margin, r->margin_decimals);
    if (w->with_returns) {
        int64_t gross;
        if (__builtin_add_overflow(t->revenue, t->returns, &gross))
            return -1;
        csvout_money(out, gross, r->revenue_decimals);
        csvout_money(out, t->returns, r->revenue_decimals);
        int64_t rate = return_rate(t->returns, gross);
        if (rate >= 0)
            csvout_money(out, rate, 4);
        else
            csvout_empty(out);
    }
    if (how->extra_row)
        how->extra_row(out, k, t, how->extra_context);
    csvout_end_row(out);
    return 0;
}

/* csvout_rows_fn: rows [from, to) into a block's writer; at a row that
 * overflows, the block is marked failed (csvout_rows_parallel then writes
 * nothing from it on, and rollup_write writes the rest itself). */
static void write_rows_block(void *arg, struct csvout *writer, size_t from, size_t to)
{
    for (size_t i = from; i < to; i++)
        if (write_row(arg, writer, i) != 0) {
            writer->mem->failed = 1;
            return;
        }
}

int rollup_write(struct rollup *r, struct csvout *out, const struct rollup_output *how,
                 struct diag *diag)
{
    /* the pairs settled, the purchase days counted, the pairs given back;
     * then the keys sorted into the output's order, unless a sort started
     * ahead (rollup_write_ahead) did it beside what came before: one after
     * the other here, so that the sort's memory is not held beside the
     * settling's (the 4.3 M-client roll-up's peak) */
    size_t n = r->keys.count;
    struct key_sort job = { .r = r, .n = n };
    int rc = pair_days(r, diag);
    int had = 0;
    size_t sorted_n = 0;
    if ((job.order = ahead_take(r, &had, &sorted_n)) != NULL && sorted_n != n) {
        free(job.order);    /* (keys added since: not expected) sorted again */
        job.order = NULL;
        had = 0;
    }
    if (!had && rc == 0)
        run_key_sort(&job);
    if (rc != 0) {
        free(job.order);
        return -1;
    }
    struct radix_key *order = job.order;
    if (!order)
        return diag_set(diag, "out of memory");
    int with_returns = 0;       /* the return columns appear when any line was a return */
    for (size_t k = 0; k < n && !with_returns; k++)
        with_returns = r->key_totals[k].return_lines > 0;

    for (size_t i = 0; i <= how->by_count; i++)
        csvout_text(out, how->header[i]);
    csvout_text(out, "revenue");
    if (how->with_margin)
        csvout_text(out, "margin");
    static const char *const rest[] = {
        "quantity", "lines", "orders", "first_date", "last_date",
        "recency_days", "tenure_days", "avg_order", "purchase_days", "first_day_revenue"
    };
    for (size_t i = 0; i < sizeof rest / sizeof *rest; i++)
        csvout_text(out, rest[i]);
    if (how->with_margin)
        csvout_text(out, "first_day_margin");
    if (with_returns) {
        csvout_text(out, "gross_revenue");
        csvout_text(out, "returns");
        csvout_text(out, "return_rate");
    }
    if (how->extra_header)
        how->extra_header(out, how->extra_context);
    csvout_end_row(out);

    struct write_rows rows = {
        .r = r, .how = how, .order = order, .n = n, .with_returns = with_returns,
        .avg_decimals = r->revenue_decimals < 2 ? 2 : r->revenue_decimals,
    };
    dates_init(&rows.dates, r->min_day, r->max_day);
    /* two threads format blocks of rows (csvout_rows_parallel); a block
     * with a row that overflows is not written, and the rows from it on
     * are written here, as one thread writes them */
    size_t i = csvout_rows_parallel(out, n, write_rows_block, &rows);
    for (; i < n; i++)
        if (write_row(&rows, out, i) != 0) {
            size_t key_len;
            char short_key[8];
            const char *key = row_key(&rows, i, short_key, &key_len);
            rc = overflow(diag, key, key_len);
            free(rows.dates.text);
            free(order);
            return rc;
        }
    free(rows.dates.text);
    free(order);
    return 0;
}

int rollup_write_partial(struct rollup *r, struct csvout *out,
                         const struct rollup_output *how, struct diag *diag)
{
    size_t n = r->orders.count;
    struct radix_key *order = sorted_order(r, n, pair_fill, pair_item);
    if (!order)
        return diag_set(diag, "out of memory");

    for (size_t i = 0; i <= how->by_count; i++)
        csvout_text(out, how->header[i]);
    csvout_text(out, "order");
    csvout_text(out, "revenue");
    if (how->with_margin)
        csvout_text(out, "margin");
    csvout_text(out, "quantity");
    csvout_text(out, "lines");
    csvout_text(out, "first_date");
    csvout_text(out, "last_date");
    csvout_text(out, "returns");
    csvout_text(out, "return_lines");
    if (how->last_part)
        csvout_text(out, how->last_part);
    csvout_end_row(out);
    struct dates dates;
    dates_init(&dates, r->min_day, r->max_day);
    for (size_t i = 0; i < n; i++) {
        struct sort_item item;
        pair_item(r, order[i].index, &item);
        const struct rollup_totals *t = &r->order_totals[item.index];
        write_key(out, item.bytes, item.len, how->by_count + 1);
        csvout_text_len(out, item.second, item.second_len);
        csvout_money(out, t->revenue, r->revenue_decimals);
        if (how->with_margin)
            csvout_money(out, t->margin, r->margin_decimals);
        csvout_money(out, t->quantity, r->quantity_decimals);
        csvout_long(out, t->lines);
        write_date(out, &dates, t->first_day);
        write_date(out, &dates, t->last_day);
        csvout_money(out, t->returns, r->revenue_decimals);
        csvout_long(out, t->return_lines);
        if (how->last_part)
            write_last_part(out, item.bytes, item.len);
        csvout_end_row(out);
    }
    free(dates.text);
    free(order);
    return 0;
}
