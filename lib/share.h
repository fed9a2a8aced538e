/* share — market share against effective and potential demand.
 *
 * A market table gives, per segment (a zone, an age band, a product
 * line...), the actual consumers (effective), the relative non-consumers
 * (ncr: not yet, could), and optionally the absolute non-consumers (nca),
 * the population, the company's clients, the market's revenue and the
 * company's. The company's clients per segment may instead be counted from
 * a cl-rollup output (distinct customers per segment value).
 *
 * Counts are exact 64-bit integers; money is read into scaled integers
 * (parse.h) so that sums are exact. Every ratio is a fraction computed from
 * integers at the end: totals are sums first, then ratios of the sums. The
 * library never prints: warnings are collected in `warnings` for the tool
 * to print, errors go into a struct diag. */
#ifndef CL_SHARE_H
#define CL_SHARE_H

#include <stddef.h>
#include <stdint.h>

#include "csvout.h"
#include "table.h"
#include "diag.h"
#include "parse.h"

/* The figures read (or counted) per segment. */
enum share_field {
    SHARE_CLIENTS,          /* the company's clients (count) */
    SHARE_EFFECTIVE,        /* actual consumers, all suppliers (count) */
    SHARE_NCR,              /* relative non-consumers (count) */
    SHARE_NCA,              /* absolute non-consumers (count) */
    SHARE_POPULATION,       /* everyone in the segment (count) */
    SHARE_REVENUE,          /* the company's revenue (money, scaled) */
    SHARE_MARKET_REVENUE,   /* the whole market's revenue (money, scaled) */
    SHARE_FIELDS
};

/* The column names the user gave (NULL: found by alias). */
struct share_options {
    const char *segment;        /* segment column (roll-up; market too unless market_segment) */
    const char *market_segment; /* segment column of the market table */
    const char *period;         /* period column */
    const char *clients_column; /* the market table's clients column */
    const char *effective, *ncr, *nca, *population, *market_revenue;
    const char *revenue;        /* the company's revenue: market table, or roll-up
                                 * with from_rollup */
    const char *customer;       /* the roll-up's customer column (default: its first) */
    int from_rollup;            /* the clients are counted by share_count_clients */
    char decimal_mark;          /* the market table's decimal mark: '.', ',' or 0 to sniff */
};

struct share_row {
    char *segment;                      /* owned; "TOTAL" on a total row */
    size_t period;                      /* index into share.periods; 0 without periods */
    long line;                          /* physical line in the market table; 0 for TOTAL */
    int64_t value[SHARE_FIELDS];        /* counts; money × MONEY_SCALE */
    unsigned char known[SHARE_FIELDS];  /* 1 when value[f] is known */
    long low_line;                      /* counted: the roll-up line of the lowest revenue
                                           of the segment's clients (0: none) */
    int64_t low_revenue;                /* that revenue */
};

/* What is computed from a row. Ratios are NaN when unknown or when their
 * denominator is zero (an empty cell in the output). */
struct share_figures {
    int64_t potential;          /* effective + ncr */
    int64_t competitors;        /* effective - clients */
    int64_t headroom;           /* potential - clients */
    double share_effective;     /* clients / effective */
    double share_potential;     /* clients / potential */
    double penetration;         /* effective / population */
    double share_value;         /* revenue / market_revenue */
};

struct share {
    char *market_name;          /* file name for messages; owned */
    char *period_column;        /* the market's period column name, or NULL; owned */
    char **periods;             /* period values in order of first appearance; owned */
    size_t period_count;        /* 1 (an unnamed period "") when there is no period column */
    struct share_row *rows;     /* market segments in table order; owned */
    size_t row_count;
    struct share_row *totals;   /* one TOTAL per period, after share_finish; owned */
    int has[SHARE_FIELDS];      /* the figure is in the data (read, derived or counted) */
    int decimals[SHARE_FIELDS]; /* decimals printed for money fields */
    char *clients_source;       /* roll-up file name when counted; owned */
    int negative_as_zero;       /* share_finish counts a negative revenue summed from
                                   the roll-up as 0, with a warning, instead of failing */
    int strict;                 /* share_count_clients fails on the first roll-up row whose
                                   segment is not in the market table (--strict), instead of
                                   leaving its client out with a warning */
    char **warnings;            /* one line each, "file:line: ..."; owned */
    size_t warning_count;
};

void share_init(struct share *share);
void share_free(struct share *share);   /* accepts a zeroed or NULL share */

/* Read the market table: find its columns, read every row, check it.
 * Errors (diag "file:line: segment "X": ..."): a missing required column
 * (segment, effective, ncr, and clients unless from_rollup), an unreadable
 * or non-whole count, a negative figure, a segment listed twice in one
 * period, a segment named TOTAL, a population smaller than effective +
 * ncr + nca. nca and population derive from each other when only one is
 * given (population = effective + ncr + nca).
 * @return 0, or -1 with diag set. */
int share_load_market(struct share *share, const struct table *market,
                      const struct share_options *options, struct diag *diag);

/* Count the company's clients per segment from a cl-rollup output (path,
 * "-" for standard input; delim 0 to sniff): distinct customers per
 * segment value (and period, when the market table has periods), revenue
 * summed exactly. Segments of the roll-up missing from the market table
 * and market segments without clients become warnings.
 * @return 0, or -1 with diag set. */
int share_count_clients(struct share *share, const char *path, char delim,
                        const struct share_options *options, struct diag *diag);

/* Check the clients against the market (clients <= effective, revenue <=
 * market revenue), compute one TOTAL row per period, and add a warning
 * for every ratio left empty by a zero denominator.
 * @return 0, or -1 with diag set. */
int share_finish(struct share *share, struct diag *diag);

/* The derived figures of a row (a segment or a TOTAL). */
void share_figures(const struct share_row *row, struct share_figures *figures);

/* Write the table: [period,]segment,clients,effective,ncr,potential,
 * share_effective,share_potential,competitors,headroom[,nca,population,
 * penetration][,revenue,market_revenue,share_value], a TOTAL row after the
 * segments of each period. */
void share_write(const struct share *share, struct csvout *out);

/* Write the totals as metric,value; with periods as
 * period,metric,value,change (change = value - the previous period's). */
void share_write_summary(const struct share *share, struct csvout *out);

/* The alias lists of the market roles (NULL-terminated). */
extern const char *const share_segment_aliases[];
extern const char *const share_period_aliases[];
extern const char *const share_effective_aliases[];
extern const char *const share_ncr_aliases[];
extern const char *const share_nca_aliases[];
extern const char *const share_clients_aliases[];
extern const char *const share_population_aliases[];
extern const char *const share_market_revenue_aliases[];
extern const char *const share_revenue_aliases[];

#endif
