/* pareto — clients ranked by value: Pareto 20/80, ABC classes, Gini, the
 * Lorenz curve, and how clients moved between two periods' classes.
 *
 * Works on plain arrays of items (one per client) that the caller fills
 * from a table; it owns no strings. Values are compared and summed exactly
 * when the whole column is money (decimals that fit MONEY_SCALE: scaled
 * int64, sums in 128 bits), in long double otherwise. A client whose value
 * is <= 0 (net returns) is ranked after every positive one, gets class '-',
 * and is left out of the shares, of the Gini and of the Lorenz curve.
 *
 * Rank: value descending; ties broken by key (byte order), then by the
 * caller's row number, so a result never depends on input order.
 * Classes: by cumulative value (PARETO_CUT: a client is in the first class
 * whose bound the cumulative share *before* it has not reached, so the
 * client that crosses 80% is still A) or by quota of clients (PARETO_QUOTA:
 * the first ceil(n·q1) clients are A, up to ceil(n·(q1+q2)) B...). Then
 * ties: a run of equal values takes the class of its best-ranked member. */
#ifndef CL_PARETO_H
#define CL_PARETO_H

#include <stddef.h>
#include <stdint.h>

#include "diag.h"
#include "parse.h"
#include "table.h"

#define PARETO_MAX_CLASSES 26   /* A..Z */
#define PARETO_DASH 26          /* index of class '-' in a migration matrix */
#define PARETO_NONE 27          /* index of "not there": new (from) or lost (to) */

/* ---- a column of numbers --------------------------------------------- */

/* One column of a table read as numbers. A value is usable when its status
 * is PARSE_OK. */
struct pareto_column {
    size_t count;           /* rows of the table */
    double *value;          /* per row (parse_double); NaN when not usable */
    int64_t *scaled;        /* per row, value × MONEY_SCALE (parse_decimal) */
    unsigned char *status;  /* per row: enum parse_status */
    int exact;              /* 1: every usable value is in scaled exactly */
    int decimals;           /* most decimals written in a usable value (exact only) */
    char mark;              /* decimal mark: sniffed over the whole column, or 0 */
};

/* Read column `col` of every row. The decimal mark is decided once for the
 * whole column, so "1,5" and "2,25" agree ("1,234" alone is ambiguous, but
 * a ';' file where no value tells is presumed to use the decimal comma);
 * values that contradict each other ("1.234" read with a point, then
 * "1.234,56") are an error naming both lines, and so is a column whose sum
 * passes the largest double. A column a spreadsheet saved as percent
 * ("12.5%") is read as the fractions it shows (0.125), exactly when the
 * percents have at most 4 decimals; one
 * mixing values with and without the sign is an error naming both lines.
 * Unusable cells are not an error here (see status). @return 0, or -1 (out
 * of memory, the mark contradicted, a percent mix, the sum overflows) with
 * diag set. */
int pareto_column_read(struct pareto_column *column, const struct table *table,
                       size_t col, struct diag *diag);
/* The same with the decimal mark given ('.' or ',': --decimal-point,
 * --decimal-comma), not sniffed; 0 sniffs as pareto_column_read. */
int pareto_column_read_mark(struct pareto_column *column, const struct table *table,
                            size_t col, char given_mark, struct diag *diag);
void pareto_column_free(struct pareto_column *column);   /* accepts a zeroed one */

/* Is row `row` of table t one that is ranked: its value in column usable,
 * its key (column key_col) not empty? The others are left out. */
static inline int pareto_row_usable(const struct pareto_column *column, const struct table *t,
                                    size_t row, size_t key_col)
{
    return column->status[row] == PARSE_OK && table_cell(t, row, key_col)[0] != '\0';
}

/* ---- classes --------------------------------------------------------- */

enum pareto_rule {
    PARETO_CUT = 0,     /* bounds on the cumulative share of value */
    PARETO_QUOTA        /* bounds on the cumulative share of clients */
};

struct pareto_classes {
    enum pareto_rule rule;
    size_t bounds;      /* number of classes - 1 */
    int64_t bound[PARETO_MAX_CLASSES - 1]; /* cumulative percent × MONEY_SCALE, increasing */
};

/* Parse "80,95" (cut: cumulative percents, increasing, in (0,100]) or
 * "20,30" (quota: percents of clients per class, each > 0, sum <= 100).
 * A value may carry a percent sign ("80%,95%": the same). Bounds that are
 * all at most 1 with one under 1 and no sign ("0.8,0.95": fractions?) are
 * refused as ambiguous; "0.5%,2%" says they are meant.
 * @return 0, or -1 with diag set to the problem (no file name). */
int pareto_classes_parse(struct pareto_classes *classes, enum pareto_rule rule,
                         const char *list, struct diag *diag);

/* ---- ranking --------------------------------------------------------- */

struct pareto_item {
    /* filled by the caller */
    size_t row;                 /* caller's row number: last tie-break, and a handle */
    const char *key;            /* not owned */
    const char *group;          /* not owned; "" when there are no groups */
    double value;               /* used when the column is not exact */
    int64_t scaled;             /* used when it is */
    /* filled by pareto_rank */
    size_t rank;                /* 1 = largest value */
    double share;               /* value / positive total; NaN when value <= 0 */
    double cum_share;           /* NaN when value <= 0 */
    double cum_clients_share;   /* rank / positive clients; NaN when value <= 0 */
    char class_letter;          /* 'A'... or '-' */
    /* filled by pareto_previous_match */
    char previous_class;        /* 'A'..., '-', or 0 when not in the previous period */
};

struct pareto_summary {
    size_t clients, positive, nonpositive;
    int exact;                  /* totals below were summed exactly */
    int decimals;               /* decimals to print money with (exact only) */
    long double total;          /* sum of positive values */
    long double nonpositive_total;
    int64_t total_scaled;       /* exact sums, when exact and they fit in int64 */
    int64_t nonpositive_total_scaled;
    int totals_fit;             /* the two scaled totals are valid */
    double share_top20;         /* of the ceil(0.2·n) largest; NaN when no positive */
    size_t clients_for_80;      /* fewest top clients reaching 80%; 0 when no positive */
    double gini;                /* NaN when no positive */
    size_t classes;             /* number of classes (bounds + 1) */
    size_t class_clients[PARETO_MAX_CLASSES];
    long double class_value[PARETO_MAX_CLASSES];
    /* migration, filled by pareto_previous_match: [from][to], indexes 0..25
     * classes A..Z, PARETO_DASH, PARETO_NONE (from: new; to: lost) */
    size_t migrate[PARETO_NONE + 1][PARETO_NONE + 1];
    size_t migrate_classes;     /* classes to report: max of ours and the previous' */
};

/* Rank the items of one group: order[0..n) gets their indexes in rank order
 * (order[0] the largest value), and each item its rank, shares and class,
 * and the summary its figures (migration left zero). The items are not
 * moved (they are large: the caller reads them through order). n may be 0.
 * A NaN value (never one parse_double reads) is ranked last. */
void pareto_rank(struct pareto_item *items, size_t n, int exact, int decimals,
                 const struct pareto_classes *classes, size_t *order,
                 struct pareto_summary *summary);

/* What a writer of the ranked rows needs of one item, in rank order: the
 * items are read at random in that order (each one a TLB miss among
 * millions), this one after the other. 32 bytes: the row as 32 bits. */
struct pareto_ranked {
    double share, cum_share, cum_clients_share;     /* as in the item */
    uint32_t row;                                   /* the item's row */
    char class_letter;
};

/* pareto_rank, but with ranked (NULL: none) the figures go to ranked[0..n)
 * in rank order instead of into the items (whose rank, shares, class and
 * previous_class are then left as they were): ranked[i] holds what
 * items[order[i]] would. Neither the items nor the ranking's entries are
 * then read at random: the values come back from the sorted entries. Every
 * row must be below 2^32. */
void pareto_rank_ranked(struct pareto_item *items, size_t n, int exact, int decimals,
                        const struct pareto_classes *classes, size_t *order,
                        struct pareto_ranked *ranked, struct pareto_summary *summary);

/* pareto_rank_ranked of the usable rows of table t as one group, without
 * items: a row whose value in column has status PARSE_OK and whose key
 * (column key_col) is not empty, its row as the item's row and key. The
 * same ranked figures and summary as items of those rows would give, in
 * a third of the memory (5 M clients: the items were 400 MB). *count gets
 * the rows ranked; ranked may be NULL (the summary alone); curve, when
 * not NULL, gets the Lorenz curve (pareto_lorenz's points). The column is
 * freed (pareto_column_free) once its values are in the ranking's entries.
 * @return 0, or -1 with diag set when the entries cannot be had (out of
 * memory, 2^32 rows or more): nothing is written and the column is kept
 * then. */
struct pareto_curve;
int pareto_rank_column(const struct table *t, size_t key_col, struct pareto_column *column,
                       const struct pareto_classes *classes, struct pareto_ranked *ranked,
                       struct pareto_curve *curve, size_t *count,
                       struct pareto_summary *summary, struct diag *diag);

/* Sort items by group (byte order), keeping row order inside a group, so
 * that each group is one run for pareto_rank. */
void pareto_sort_groups(struct pareto_item *items, size_t n);

/* Points of the Lorenz curve of a ranked group (its items and the order
 * pareto_rank gave; positive clients, smallest first): x = share of
 * clients, y = share of value, from (0,0) to (1,1).
 * With n positive clients, n+1 points when n <= max_segments, else
 * max_segments+1 points at evenly spaced client counts. x and y must hold
 * pareto_lorenz_points(summary, max_segments) values.
 * @return the number of points written (0 when no positive client). */
size_t pareto_lorenz_points(const struct pareto_summary *summary, size_t max_segments);
/* A Lorenz curve's points, for pareto_rank_column: x and y hold
 * max_segments + 1 values each; points is set to those written. */
struct pareto_curve {
    size_t max_segments;
    double *x, *y;
    size_t points;
};
size_t pareto_lorenz(const struct pareto_item *items, const size_t *order, int exact,
                     const struct pareto_summary *summary, size_t max_segments,
                     double *x, double *y);

/* ---- the previous period --------------------------------------------- */

struct pareto_previous_entry {
    const char *group;          /* not owned; "" when there are no groups */
    const char *key;            /* not owned */
    char class_letter;          /* 'A'..'Z' or '-' */
    long line;                  /* for messages */
    int matched;                /* internal */
};

struct pareto_previous {
    struct pareto_previous_entry *entries;  /* caller fills, then pareto_previous_index */
    size_t count;
    size_t classes;             /* internal: letters used (highest + 1) */
};

/* How many entries pareto_previous_match found a client for, so far. */
size_t pareto_previous_matched(const struct pareto_previous *previous);

/* Is an overlap of `matched` clients between periods of `now` and `before`
 * clients too small to be believed (keys written differently, such as
 * "12437" and "12437.0")? None at all when both have clients, or under 5%
 * of the smaller period when it has 20 clients or more. */
int pareto_overlap_suspect(size_t matched, size_t now, size_t before);

/* Check a class cell of a previous output: "A".."Z" or "-".
 * @return the letter, or 0 when it is not a class. */
char pareto_class_parse(const char *text);

/* Sort the entries by (group, key) for lookups. Two entries with the same
 * group and key are an error: "file:line: key "x" appears twice (lines a
 * and b)". @return 0 or -1 with diag set. */
int pareto_previous_index(struct pareto_previous *previous, const char *file,
                          struct diag *diag);

/* For the ranked items of group `group` (all sharing it): set their
 * previous_class, count the migration matrix into summary, and count the
 * previous clients of that group that are not among the items as lost. */
void pareto_previous_match(struct pareto_previous *previous, const char *group,
                           struct pareto_item *items, size_t n,
                           struct pareto_summary *summary);

#endif
