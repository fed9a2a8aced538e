/* cohort — retention by acquisition cohort.
 *
 * A client's cohort is the period (week, month or quarter) of the client's
 * first purchase; the table has one row per cohort and period since
 * acquisition (0 = the acquisition period): how many of the cohort's
 * clients bought in that period, and for how much. Definitions:
 *   purchase   a line whose amount is above zero; a period where a client
 *              only returned goods (amounts below zero) or bought nothing
 *              for money does not make the client active; its amounts
 *              still count in the period's net revenue;
 *   bounded    (the default) active in period k = bought in exactly that
 *              period; unbounded: bought in that period or any later one;
 *   partial    the last period of the data, when the data end before it
 *              does (the last sale, or the end day given, is before the
 *              period's last day);
 *   selection  cohorts_from/cohorts_to choose cohorts, never purchases: a
 *              client acquired before them stays out even if active later.
 * Lines of a client dated before the client's first purchase (returns of
 * goods bought before the data start) and clients who never bought are
 * left out of the table and counted (struct cohort_table).
 *
 * Money is scaled integers (parse.h): every sum is exact. Lines are added
 * into a struct cohort_lines (one per thread, merged exactly), which keeps
 * a log of cells: one per run of consecutive lines of a (client, period),
 * its net amount and whether it holds a purchase. A (client, period) may
 * have several cells (its lines apart in the file, or in two threads'
 * logs): the table's build groups them by client. (A table of (client,
 * period) cells, hashed at every line, was a random access per line into
 * hundreds of MB on millions of clients, and as many again in a merge.) */
#ifndef CL_COHORT_H
#define CL_COHORT_H

#include <stddef.h>
#include <stdint.h>

#include "csvout.h"
#include "diag.h"
#include "hashtab.h"

enum cohort_period { COHORT_WEEK, COHORT_MONTH, COHORT_QUARTER };

#define COHORT_LABEL_MAX 32

/* "week", "month", "quarter" -> the period. @return 0, or -1 unknown. */
int cohort_period_parse(const char *name, enum cohort_period *period);
const char *cohort_period_name(enum cohort_period period);

/* The index of the period holding `day` (days since 1970-01-01): periods
 * are consecutive integers. Weeks run Monday to Sunday (ISO 8601). */
int32_t cohort_period_of(enum cohort_period period, int32_t day);
/* The first day of period `index`. */
int32_t cohort_period_start(enum cohort_period period, int32_t index);
/* The label of period `index`: "2011-03", "2011-Q1", "2011-W09" (ISO
 * week-numbering year). out needs COHORT_LABEL_MAX bytes. @return out. */
char *cohort_period_label(enum cohort_period period, int32_t index, char *out);
/* Read a period given on the command line: its label as written by
 * cohort_period_label, or a date YYYY-MM-DD (the period holding it).
 * @return 0, or -1 when it is neither. */
int cohort_period_read(enum cohort_period period, const char *text, int32_t *index);

/* ---- accumulating lines ----------------------------------------------- */

struct cohort_lines {
    enum cohort_period period;
    struct hashtab clients;     /* client ids -> dense index */
    size_t ncells;              /* cells in the log, in the order made */
    uint32_t *cell_client;      /* per cell */
    int32_t *cell_period;       /* per cell */
    int64_t *cell_revenue;      /* per cell: net amount, scaled */
    unsigned char *cell_bought; /* per cell: 1 when it holds a purchase */
    size_t cell_cap;
    int revenue_decimals;       /* most decimals seen in an amount */
    int32_t min_day, max_day;   /* over every line added */
    /* the last (client, period): consecutive lines of one invoice skip
     * the client's lookup and add into the last cell */
    long last_cell;
    int32_t last_period;
    size_t last_client_len;
    char last_client[64];
};

int cohort_lines_init(struct cohort_lines *lines, enum cohort_period period,
                      struct diag *diag);
void cohort_lines_free(struct cohort_lines *lines);    /* accepts a zeroed one */

/* Add one sales line: the client id's bytes (copied), the day, the amount
 * (scaled) and the decimals it was written with. A purchase is an amount
 * above zero. @return 0, or -1 with diag set (out of memory, a sum overflows). */
int cohort_lines_add(struct cohort_lines *lines, const char *client, size_t client_len,
                     int32_t day, int64_t amount, int decimals, struct diag *diag);

/* Add everything of `from` (same period) into `into`; `from` unchanged.
 * @return 0, or -1 with diag set (out of memory, overflow). */
int cohort_lines_merge(struct cohort_lines *into, const struct cohort_lines *from,
                       struct diag *diag);

/* The same, for a `from` that is dropped after (a thread's cells): when
 * `into` holds nothing yet, it takes `from`'s clients and cells as they
 * are (the same client indexes and cells a merge gives, without hashing
 * each client again) and `from` is left empty (free it as before); else
 * cohort_lines_merge.
 * @return 0, or -1 with diag set. */
int cohort_lines_absorb(struct cohort_lines *into, struct cohort_lines *from,
                        struct diag *diag);

/* ---- the table ---------------------------------------------------------- */

struct cohort_options {
    int unbounded;              /* active = bought then or later */
    int has_from, has_to;       /* cohorts kept: from..to (period indexes) */
    int32_t from, to;
    int has_end;                /* the data cover up to this day (the caller left */
    int32_t end;                /* later lines out): it decides what is partial */
};

struct cohort_cell {
    int64_t active;             /* clients active in the period */
    int64_t revenue;            /* the cohort's net revenue in it, scaled */
    int64_t cumulative;         /* the cohort's net revenue up to it, scaled */
};

struct cohort {
    int32_t index;              /* the acquisition period */
    int64_t size;               /* clients acquired in it */
    size_t periods;             /* cells: periods 0 .. periods-1 */
    struct cohort_cell *cells;  /* points into the table's cell array */
};

struct cohort_table {
    enum cohort_period period;
    int unbounded;
    struct cohort *cohorts;     /* by acquisition period; owned */
    size_t count;
    struct cohort_cell *cells;  /* owned */
    int32_t last_period;        /* the period of the last line */
    int32_t last_day;           /* the day of the last line */
    int last_partial;           /* the data end before last_period does */
    int revenue_decimals;
    /* left out, and said so */
    int64_t clients_no_purchase;        /* never bought, only returned */
    int64_t clients_outside;            /* acquired outside --from/--to */
    int64_t early_cells;                /* (client, period) before the first purchase */
    int64_t early_revenue;              /* their net amount, scaled */
};

/* Build the table. Fails when no client bought (diag says so), on an
 * overflow, or when the data span too many periods for a table (the
 * message says which dates and what to do).
 * @return 0, or -1 with diag set; the table is freed with cohort_table_free. */
int cohort_table_build(struct cohort_table *table, const struct cohort_lines *lines,
                       const struct cohort_options *options, struct diag *diag);
void cohort_table_free(struct cohort_table *table);    /* accepts a zeroed one */

/* What the table left out, one sentence each through say (none: nothing
 * said): the clients who never bought, the client periods before a first
 * purchase (cl-cohort's notes, and cl-rollup --also cohorts'). */
void cohort_table_notes(const struct cohort_table *table, void (*say)(const char *message));

/* Is period k of cohort c the partial last period? */
int cohort_is_partial(const struct cohort_table *table, const struct cohort *c, size_t k);

/* Write the table: cohort,period,cohort_size,active,retention,revenue,
 * revenue_retention,cumulative_revenue_per_client,partial; cohorts in
 * order, periods in order. revenue_retention is empty when the cohort's
 * revenue in period 0 is not above zero. */
void cohort_write(const struct cohort_table *table, struct csvout *out);

/* Write the summary: per period since acquisition, over the cohorts whose
 * period is complete (the partial last period is left out):
 * period,cohorts,clients,active,retention (size-weighted mean: active /
 * clients),retention_min,retention_max,cumulative_revenue_per_client. */
void cohort_write_summary(const struct cohort_table *table, struct csvout *out);

#endif
