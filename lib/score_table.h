/* score_table — what cl-score writes, through a struct csvout (CSV or a
 * workbook): the input rows with the grid's normalized criteria and score,
 * or the RFM quintiles and segment; and the segment table (--segments).
 * The criteria are read, the usable rows found, the scores computed here;
 * lib/score holds the rules (ranks, quintiles, segments, the grid).
 *
 * Layer: engines. Includes csvout.h, pareto.h, score.h, table.h. */
#ifndef CL_SCORE_TABLE_H
#define CL_SCORE_TABLE_H

#include <stddef.h>
#include <stdint.h>

#include "csvout.h"
#include "diag.h"
#include "pareto.h"
#include "score.h"
#include "table.h"

/* The RFM criteria in their order in cols[]: recency, frequency, value. */
#define SCORE_RFM_CRITERIA 3

/* Per RFM segment: its clients, its monetary total (exact when the column
 * is), and the sums behind the recency and frequency means. */
struct score_segment_totals {
    size_t clients;
    int64_t scaled;
    double value, recency, frequency;
};

struct score_table {
    const struct table *t;          /* the input; not owned */
    const struct score_grid *grid;  /* the grid, or NULL for RFM; not owned */
    size_t count;                   /* criteria: grid->count, or 3 */
    long cols[SCORE_MAX_CRITERIA];  /* their columns in t */
    char *added[SCORE_MAX_CRITERIA + 1]; /* the names of the columns added; owned */
    size_t added_count;
    char mark;                      /* the criteria's decimal mark, given ('.' or ','),
                                       or 0 (score_table_init): decided per column */
    struct pareto_column values[SCORE_MAX_CRITERIA]; /* the criteria, read */
    unsigned char *usable;          /* per row of t: every criterion is a number */
    size_t n;                       /* usable rows */
    size_t stride;                  /* max(n, 1): one criterion's results */
    double *normalized;             /* grid: [k * stride + j], j the usable row; RFM: NULL */
    unsigned char *quintile;        /* RFM: [k * stride + j], 1..5; grid: NULL */
    struct score_segment_totals segment[SCORE_SEGMENTS]; /* RFM, by score_segment_rank */
    enum score_normalize method;    /* score_table_compute's */
    int threads;                    /* criteria read and ranked on 1 thread, or 2 (0:
                                       the default, 2); the same results */
};

/* Start a score of t on the criteria in cols[0..count) (grid NULL: RFM,
 * count 3, in SCORE_RFM_CRITERIA's order): the added columns are named and
 * must not be in t already. @return 0, or -1 with diag set (and the
 * object ready for score_table_free). */
int score_table_init(struct score_table *s, const struct table *t,
                     const struct score_grid *grid, const long *cols, size_t count,
                     struct diag *diag);

/* Read the criteria columns (pareto_column_read_mark with s->mark) and find the usable rows.
 * @return 0, or -1 with diag set. */
int score_table_read(struct score_table *s, struct diag *diag);

/* Why row i is not usable: its first criterion that is not a number, as
 * parse_value_problem words it. @return problem. */
const char *score_table_problem(const struct score_table *s, size_t i, char *problem,
                                size_t size);

/* Normalize each criterion over the usable rows (grid, by method) or cut
 * it into quintiles (RFM). @return 0, or -1 with diag set. */
int score_table_compute(struct score_table *s, enum score_normalize method, struct diag *diag);

/* The input's columns and the added ones, one row per usable row; sums
 * the segments for score_table_segments. @return 0, or -1 with diag set
 * (a monetary total beyond 64 bits). */
int score_table_write(struct score_table *s, struct csvout *out, struct diag *diag);

/* The segment table, from champions to lost: segment, clients,
 * clients_share, the monetary total and share, the recency and frequency
 * means. @return 0, or -1 with diag set. */
int score_table_segments(const struct score_table *s, struct csvout *out, struct diag *diag);

void score_table_free(struct score_table *s);   /* accepts a zeroed one */

#endif
