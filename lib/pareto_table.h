/* pareto_table — the tables cl-pareto writes, through a struct csvout
 * (CSV or a workbook): the clients ranked with their Pareto columns, the
 * metric,value summary, the Lorenz curve; the groups the ranking is done
 * in; a previous period's output read back for the class migrations.
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

#endif
