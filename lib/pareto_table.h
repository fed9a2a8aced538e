/* pareto_table — the tables cl-pareto writes, through a struct csvout
 * (CSV or a workbook): the clients ranked with their Pareto columns, the
 * metric,value summary, the Lorenz curve; the groups the ranking is done
 * in; a previous period's output read back for the class migrations; and
 * the run from the table to those outputs, which chooses how the table is
 * ranked (struct pareto_ranking).
 *
 * Layer: engines. Includes csvout.h, pareto.h, table.h. */
#ifndef CL_PARETO_TABLE_H
#define CL_PARETO_TABLE_H

#include <pthread.h>
#include <stddef.h>

#include "csvout.h"
#include "diag.h"
#include "pareto.h"
#include "table.h"

#define PARETO_LORENZ_SEGMENTS 1000     /* at most 1,001 points per group */

/* The columns the ranked rows add, in order (the last one with a previous
 * period only), NULL-terminated. */
extern const char *const pareto_table_added[];

/* One group to report: its items are items[first .. first+count), in rank
 * order at order[first .. first+count) (indexes into items, as they are
 * after pareto_rank's, plus first). */
struct pareto_group {
    const char *name;
    size_t first, count;
    struct pareto_summary summary;
};

/* The groups of this period (runs of the sorted items), plus those only the
 * previous period had (no client now: all lost), in byte order; one group
 * named "" when not grouped. @return the groups (caller frees) and *count,
 * or NULL with diag set (out of memory). */
struct pareto_group *pareto_table_groups(const struct pareto_item *items, size_t n,
                                         const struct pareto_previous *previous, int grouped,
                                         size_t *count, struct diag *diag);

/* table_check_unique on a second thread, beside the caller's reading of
 * the columns: start it, then finish it before anything is said about the
 * rows (its verdict comes first, as when it ran first). Without a thread,
 * finish does the check itself; a second finish gives the first verdict.
 * The table must not change in between. */
struct pareto_unique_check {
    const struct table *t;
    size_t key_col;
    long group_col;
    const char *program;
    int started, finished, status;
    pthread_t thread;
    struct diag diag;
};
void pareto_unique_start(struct pareto_unique_check *check, const struct table *t,
                         size_t key_col, long group_col, const char *program);
/* @return 0 (one row per key), or -1 with diag set */
int pareto_unique_finish(struct pareto_unique_check *check, struct diag *diag);

/* Read a previous cl-pareto output (path) into t and previous: its key
 * column named key_name, its class column, its group column group_name
 * (NULL: none). @return 0, or -1 with diag set. */
int pareto_table_previous(struct table *t, struct pareto_previous *previous, const char *path,
                          char delim, const char *key_name, const char *group_name,
                          struct diag *diag);

/* The ranked rows: the input's columns (key_col and group_col as text, the
 * others numbers when plain), then rank, share, cum_share,
 * cum_clients_share, class[, previous_class]. ranked (pareto_rank_ranked's,
 * at each group's first; NULL: none, the items hold them) gives the
 * figures in rank order, so that only the table rows are read at random
 * (each row's bytes found ahead as one span, in row order, when it can be
 * copied as one); the same bytes either way. With ranked and without
 * with_previous, items and order are not read (they may be NULL).
 * @return 0, or -1 with diag set (out of memory, before any row). */
int pareto_table_rows(struct csvout *out, const struct table *t,
                      const struct pareto_item *items, const size_t *order,
                      const struct pareto_ranked *ranked,
                      const struct pareto_group *groups,
                      size_t group_count, long key_col, long group_col, int with_previous,
                      struct diag *diag);

/* The summary, metric,value rows; when grouped, the group first, in a
 * column named as the input's grouping column (group_column; NULL: not
 * grouped), as the ranked rows name it. */
void pareto_table_summary(struct csvout *out, const struct pareto_group *groups,
                          size_t group_count, const char *group_column, int with_previous);

/* The Lorenz curve of each group: cum_clients_share,cum_share (when
 * grouped, the group first, its column named group_column as in the
 * summary); with curve (one group, not grouped), its points, made by
 * pareto_rank_column (items and order are not read then).
 * @return 0, or -1 with diag set (out of memory). */
int pareto_table_lorenz(struct csvout *out, const struct pareto_item *items,
                        const size_t *order, int exact, const struct pareto_curve *curve,
                        const struct pareto_group *groups, size_t group_count,
                        const char *group_column, struct diag *diag);

/* ---- cl-pareto's run: the table read, ranked and written ----------------
 * Which way a table is ranked is chosen here, not by the program: one group
 * without a previous period is ranked straight from its value column
 * (pareto_rank_column: no items, a third of the memory; 5 M clients: the
 * items were 400 MB); groups, a previous period to match, or 2^32 rows or
 * more take items (pareto_rank_ranked per group). The same bytes either
 * way. In order: pareto_table_read, the rows left out said by the caller
 * (pareto_table_left_out), pareto_table_rank, then any of the writers,
 * and pareto_table_ranking_free. */

struct pareto_table_how {
    size_t key_col, value_col;
    long group_col;             /* -1: one group */
    char mark;                  /* the values' decimal mark given, or 0: sniffed */
    const char *previous;       /* last period's output (--previous), or NULL */
    char previous_delim;        /* its delimiter, or 0: sniffed */
    const char *previous_group; /* its group column, as given (NULL: none) */
    const char *program;        /* named by the check of one row per key */
};

#define PARETO_WANT_ROWS 1      /* the ranked rows will be written */
#define PARETO_WANT_CURVE 2     /* the Lorenz curve will be */

struct pareto_ranking {
    const struct table *t;              /* not owned; must outlive the ranking */
    struct pareto_table_how how;
    int by_column;                      /* ranked from the column, without items */
    struct pareto_column values;        /* the value column, until ranked */
    int exact, decimals;                /* the column's (pareto_column) */
    size_t usable;                      /* the rows ranked (pareto_row_usable) */
    struct pareto_item *items;          /* the usable rows, or NULL (by column) */
    size_t *order;                      /* each group's rank order in items, or NULL */
    struct pareto_ranked *ranked;       /* the figures in rank order for the rows, or NULL */
    struct pareto_group *groups;        /* from pareto_table_rank */
    size_t group_count;
    struct table previous_table;        /* how.previous read back */
    struct pareto_previous previous;
    size_t curve_points;                /* by column: the Lorenz curve made while ranking */
    double curve_x[PARETO_LORENZ_SEGMENTS + 1], curve_y[PARETO_LORENZ_SEGMENTS + 1];
};

/* Read t's value column (how->value_col) while one row per key is checked
 * on a second thread, and, when the ranking takes items, the items of the
 * usable rows. Errors: the check's verdict first, then the column's, then
 * out of memory. @return 0, or -1 with diag set (nothing kept then). */
int pareto_table_read(struct pareto_ranking *ranking, const struct table *t,
                      const struct pareto_table_how *how, struct diag *diag);

/* Is table row `row` left out of the ranking? @return 1 with the reason
 * in problem (its value, or its empty key; no file or line), 0 when it is
 * ranked. Only between pareto_table_read and pareto_table_rank. */
int pareto_table_left_out(const struct pareto_ranking *ranking, size_t row, char *problem,
                          size_t size);

/* Read the previous period (how->previous), make the groups and rank each
 * one, with what `want` (PARETO_WANT_*) will be written: the figures in
 * rank order for the rows when they can be had, the Lorenz curve.
 * @return 0, or -1 with diag set (the previous output, out of memory). */
int pareto_table_rank(struct pareto_ranking *ranking, const struct pareto_classes *classes,
                      int want, struct diag *diag);

/* Are the keys of the two periods too few in common to be believed
 * ("12437" here, "12437.0" there: every client new, every old one lost)?
 * @return 1 with the warning in *warning (a diag as the text's carrier),
 * or 0. */
int pareto_table_overlap(const struct pareto_ranking *ranking, struct diag *warning);

/* The outputs, as pareto_table_summary, pareto_table_lorenz and
 * pareto_table_rows write them from the ranking (the group column named as
 * the input names it). The rows, when they have the figures in rank order,
 * first free the items and their order, which they do not read (440 MB on
 * 5 M clients, back before the rows' buffers are taken): write them last.
 * @return 0, or -1 with diag set (out of memory). */
void pareto_table_write_summary(struct csvout *out, const struct pareto_ranking *ranking);
int pareto_table_write_lorenz(struct csvout *out, struct pareto_ranking *ranking,
                              struct diag *diag);
int pareto_table_write_rows(struct csvout *out, struct pareto_ranking *ranking,
                            struct diag *diag);

/* Free what the ranking holds (not the table); accepts a zeroed one. */
void pareto_table_ranking_free(struct pareto_ranking *ranking);

#endif
