/* rollup — per-customer accumulators, exact and mergeable.
 *
 * Lines are added one by one (or partial aggregates, which are the same
 * thing with more than one line); money and quantities are scaled
 * integers (parse.h), so sums are exact and the order of addition never
 * changes a result. Two grains:
 *   ROLLUP_CUSTOMER  totals per key, distinct orders counted from a log of
 *                    the (key, order) pairs deduplicated by sorting;
 *   ROLLUP_ORDER     totals per (key, order): what --partial writes and
 *                    --merge reads; rolled up to keys at the end.
 * A key is the customer id and the --by values joined by '\x1f'. */
#ifndef CL_ROLLUP_H
#define CL_ROLLUP_H

#include <stddef.h>
#include <stdint.h>

#include "csvout.h"
#include "diag.h"
#include "hashtab.h"

#define ROLLUP_KEY_SEP '\x1f'

enum rollup_grain { ROLLUP_CUSTOMER, ROLLUP_ORDER };

struct rollup_totals {
    int64_t revenue;        /* scaled money */
    int64_t margin;         /* scaled money */
    int64_t quantity;       /* scaled */
    int64_t lines;
    int32_t first_day;      /* days since 1970-01-01 */
    int32_t last_day;
    int64_t first_day_revenue; /* scaled: revenue of the lines on first_day (an added
                                  line or partial row counts wholly on its first day) */
    int64_t first_day_margin;  /* scaled: the same for the margin */
    int64_t returns;        /* scaled money returned (>= 0 for returns): revenue is net */
    int64_t return_lines;   /* lines that were returns; an order with only such
                               lines is a credit note, not counted in orders */
};

/* One run of lines of a (key, order) pair (ROLLUP_CUSTOMER). */
struct rollup_pair {
    uint64_t key;           /* key index << 1 | a purchase line was seen (it is
                               one of the orders); first: radix.h sorts on it */
    uint64_t order;         /* an id of up to 8 bytes, zero-padded; longer: its
                               offset in pair_ids */
    int32_t day;            /* the day of its first line */
    uint32_t len;           /* the id's length */
};

struct rollup {
    enum rollup_grain grain;
    struct hashtab keys;
    struct rollup_totals *key_totals;   /* per key */
    int64_t *key_orders;                /* per key: distinct orders (ROLLUP_CUSTOMER:
                                           exact once settled, see rollup_settle) */
    int64_t *key_days;                  /* per key: distinct days of its orders (output) */
    size_t key_cap;
    /* ROLLUP_CUSTOMER: the (key, order) pairs as a log, one record per run
     * of lines of one pair, deduplicated by sorting (rollup_settle) when
     * it has doubled since and at the end, instead of a hash table: adding
     * writes in order instead of at random in a table of millions. */
    struct rollup_pair *pairs;
    size_t pairs_len, pairs_cap;        /* records; allocated (bytes: cap * size) */
    size_t pairs_limit;                 /* settle when pairs_len reaches it */
    size_t pairs_floor;                 /* the least limit (tests lower it) */
    char *pair_ids;                     /* order ids longer than 8 bytes */
    size_t ids_len, ids_cap;
    int settled;                        /* key_orders exact (ROLLUP_ORDER: and key_totals) */
    struct hashtab orders;              /* ROLLUP_ORDER: (key index, order id) pairs */
    struct rollup_totals *order_totals; /* per pair, ROLLUP_ORDER only */
    uint32_t *order_key;                /* per pair (ROLLUP_ORDER): its key index */
    int32_t *order_day;                 /* per pair: the day of its first line */
    size_t order_cap;
    /* each array's own capacity (they grow one by one; usable: the caps above) */
    size_t key_caps[3], order_caps[3];
    int revenue_decimals, margin_decimals, quantity_decimals; /* most seen */
    int32_t min_day, max_day;           /* over everything added */
    /* the last (key, order) added: consecutive lines of one order skip
     * both hash lookups */
    long last_key, last_pair;
    size_t last_key_len, last_order_len;
    char last_key_bytes[64], last_order_bytes[64];
    struct rollup_ahead *ahead;         /* rollup_write_ahead's sort, or NULL */
};

int rollup_init(struct rollup *r, enum rollup_grain grain, struct diag *diag);
void rollup_free(struct rollup *r);     /* accepts a zeroed rollup */

/* Add one line (lines = 1) or one partial aggregate. The key and order
 * bytes are copied. @return 0, or -1 (out of memory, a sum overflows). */
int rollup_add(struct rollup *r, const char *key, size_t key_len,
               const char *order, size_t order_len,
               const struct rollup_totals *add, struct diag *diag);

/* Add everything of `from` (same grain) into `into`; distinct orders stay
 * exact (the (key, order) pairs are united). `from` is used up: its memory
 * is given back as it is merged (its keys, then its pairs as they are
 * read), so that the two are not held whole at once; rollup_free it after.
 * @return 0, or -1 (out of memory, overflow). */
int rollup_merge(struct rollup *into, struct rollup *from, struct diag *diag);

/* ROLLUP_CUSTOMER: deduplicate the (key, order) pairs and count each
 * key's distinct orders into key_orders; ROLLUP_ORDER: roll the (key,
 * order) totals up into key_totals and key_orders. rollup_write does it
 * first; a caller that reads key_totals or key_orders before writing calls
 * it. Adding or merging after it is allowed (call it again).
 * @return 0, or -1 (out of memory, a sum overflows). */
int rollup_settle(struct rollup *r, struct diag *diag);

/* The distinct orders of all keys, settled or not (a settled copy of the
 * log when it is not). @return them, or -1 (out of memory, overflow). */
long long rollup_orders(const struct rollup *r);

/* The keys of `extra` that `base` does not hold: with rollup_keys(base),
 * the keys of the two tables together, without merging them. */
size_t rollup_keys_beyond(const struct rollup *base, const struct rollup *extra);

/* The distinct orders of `base` and `extra` together (ROLLUP_CUSTOMER,
 * both settled (rollup_settle) or empty), as rollup_orders would count them on the
 * two merged: base's, and each pair of extra with a purchase line that
 * base does not hold as an order. Neither table changes.
 * @return them, or -1 (overflow). */
long long rollup_orders_with(const struct rollup *base, const struct rollup *extra);

/* Note how many decimals a value had, for printing. */
static inline void rollup_decimals(int *have, int seen)
{
    if (seen > *have)
        *have = seen;
}

struct rollup_output {
    size_t by_count;            /* --by columns in the key after the customer */
    const char *const *header;  /* customer name + by names (by_count + 1) */
    int with_margin;
    int32_t asof;               /* recency is asof - last_day */
    /* A caller's own columns after the roll-up's (NULL: none): their names,
     * then each row's cells from the key's index and totals. */
    void (*extra_header)(struct csvout *out, const void *context);
    void (*extra_row)(struct csvout *out, size_t key, const struct rollup_totals *totals,
                      const void *context);
    const void *extra_context;
    /* Partials only: the key has one part more than by_count + 1, written
     * as the last column under this name (NULL: none). */
    const char *last_part;
};

/* Write the per-customer table, sorted by key (byte order):
 * customer,<by>,revenue,[margin],quantity,lines,orders,first_date,
 * last_date,recency_days,tenure_days,avg_order,purchase_days,
 * first_day_revenue,[first_day_margin], and when any line was a return:
 * gross_revenue,returns,return_rate. orders counts the orders with at
 * least one purchase line (a credit note is not an order); purchase_days
 * counts the days of every order, credit notes included, like the dates.
 * ROLLUP_ORDER tables are rolled up first. The (key, order) pairs are
 * given back once counted: after it, only the keys and their totals
 * remain to be read. @return 0 or -1. */
int rollup_write(struct rollup *r, struct csvout *out, const struct rollup_output *how,
                 struct diag *diag);

/* Start sorting the keys into rollup_write's order on a thread of its own,
 * beside what the caller does before writing (settling, other outputs);
 * rollup_write takes it (rollup_free waits for it). Nothing may be added
 * or merged in between. @return 0 started, -1 not (rollup_write sorts the
 * keys itself). */
int rollup_write_ahead(struct rollup *r);

/* Write the (key, order) partial aggregates of a ROLLUP_ORDER table:
 * customer,<by>,order,revenue,[margin],quantity,lines,first_date,last_date,
 * returns,return_lines, sorted by key then order. */
int rollup_write_partial(struct rollup *r, struct csvout *out,
                         const struct rollup_output *how, struct diag *diag);

/* Number of keys so far. */
static inline size_t rollup_keys(const struct rollup *r) { return r->keys.count; }

#endif
