/* prescriber — who made the client buy: the per-client prescriber columns
 * and the per-prescriber roll-up, beside the roll-up (rollup.h) they extend.
 *
 * A sale may name a prescriber (the doctor, the architect, the builder who
 * chose the material, the client who brought a friend); a sale without one
 * is direct and stays in its client's revenue like any other. The book
 * keeps one entry per (client key, prescriber) with the revenue that went
 * through it: sums and a set, so books of split runs merge exactly, in any
 * order, and the output never depends on how the input was cut.
 *
 * The mode decides what a line adds to the roll-up:
 *   PRESCRIBER_CLIENTS  the client's roll-up as usual; the prescribers,
 *                       prescription_share and prescribed_revenue columns
 *                       come from the book;
 *   PRESCRIBER_ROLLUP   the roll-up is per prescriber (key: the prescriber,
 *                       then the --by values; an order is a client's order);
 *                       direct lines are counted, not added; the clients
 *                       column comes from the book;
 *   PRESCRIBER_PARTIAL  the key gets the prescriber as its last part (empty
 *                       for a direct line), which --partial writes last. */
#ifndef CL_PRESCRIBER_H
#define CL_PRESCRIBER_H

#include <stddef.h>
#include <stdint.h>

#include "diag.h"
#include "hashtab.h"
#include "rollup.h"

enum prescriber_mode { PRESCRIBER_CLIENTS, PRESCRIBER_ROLLUP, PRESCRIBER_PARTIAL };

struct prescriber_book {
    enum prescriber_mode mode;
    size_t by_count;            /* --by values after the customer in a key */
    struct hashtab pairs;       /* client key length (uint32), client key, prescriber */
    int64_t *pair_revenue;      /* per pair: the revenue prescribed */
    size_t pair_cap;
    int64_t direct_lines;       /* lines without a prescriber */
    int64_t direct_revenue;
    int32_t direct_first_day, direct_last_day;  /* INT32_MAX, INT32_MIN: none */
    char *scratch;              /* key and order buffers of prescriber_add */
    size_t scratch_cap;
    long last_pair;             /* the pair added last (-1: none), found again */
    size_t last_pair_len;       /* without a lookup when the next line has it */
    char last_pair_bytes[128];
    /* per roll-up key, filled by prescriber_columns (NULL before) */
    int64_t *count;             /* CLIENTS: distinct prescribers; ROLLUP: clients */
    int64_t *prescription;      /* CLIENTS: the client's revenue through a prescriber */
    int64_t *prescribed;        /* CLIENTS: revenue the client prescribed to others */
    int revenue_decimals;       /* for printing */
};

int prescriber_init(struct prescriber_book *book, enum prescriber_mode mode, size_t by_count,
                    struct diag *diag);
void prescriber_free(struct prescriber_book *book);   /* accepts a zeroed book */

/* Add one line (lines = 1) or one partial aggregate to the roll-up and the
 * book. key: the client's roll-up key (customer, then the --by values);
 * prescriber: its id, or NULL for a direct sale. Bytes are copied.
 * @return 0, or -1 (out of memory, a sum overflows). */
int prescriber_add(struct prescriber_book *book, struct rollup *rollup,
                   const char *key, size_t key_len, const char *prescriber,
                   size_t prescriber_len, const char *order, size_t order_len,
                   const struct rollup_totals *add, struct diag *diag);

/* Add everything of `from` (same mode) into `into`; `from` is unchanged.
 * @return 0, or -1 (out of memory, overflow). */
int prescriber_merge(struct prescriber_book *into, const struct prescriber_book *from,
                     struct diag *diag);

/* The first and last day of everything added, direct lines included (the
 * roll-up's own min_day and max_day miss those in PRESCRIBER_ROLLUP). */
int32_t prescriber_first_day(const struct prescriber_book *book, const struct rollup *rollup);
int32_t prescriber_last_day(const struct prescriber_book *book, const struct rollup *rollup);

/* Once everything is added: compute the columns of each roll-up key and
 * have `how` write them after the roll-up's own (CLIENTS: prescribers,
 * prescription_share, prescribed_revenue; ROLLUP: clients). Nothing for
 * PRESCRIBER_PARTIAL but the last key part. The book must outlive the
 * write. @return 0, or -1 (out of memory, overflow). */
int prescriber_columns(struct prescriber_book *book, const struct rollup *rollup,
                       struct rollup_output *how, struct diag *diag);

#endif
