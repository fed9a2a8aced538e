/* cohort_read — the usable lines of a sales file into cohort cells: the
 * consumer cl-cohort gives salesread, and the file read in parallel ranges
 * (one set of cells per thread, merged exactly) when it can be.
 *
 * Layer: engines. Includes buf.h, cohort.h, salesread.h. */
#ifndef CL_COHORT_READ_H
#define CL_COHORT_READ_H

#include <stddef.h>

#include "buf.h"
#include "cohort.h"
#include "csvin.h"
#include "datespread.h"
#include "diag.h"
#include "salesread.h"

/* Where lines are added: one per thread. */
struct cohort_sink {
    struct cohort_lines lines;
    char *key;                  /* the client id, trimmed as cl-rollup trims it; owned */
    size_t key_cap;
};

/* One thread's sink in a parallel read, on cache lines of its own (an
 * array of them from buf_lines_calloc: buf.h says why). */
struct cohort_sink_own {
    _Alignas(BUF_LINES) struct cohort_sink sink;
};

/* @return 0, or -1 with diag set. */
int cohort_sink_init(struct cohort_sink *sink, enum cohort_period period, struct diag *diag);
void cohort_sink_free(struct cohort_sink *sink);    /* accepts a zeroed one */

/* salesread_add_fn: a usable line into the cohort_sink's cells. */
int cohort_read_add(void *sink, const struct sales_layout *layout,
                    const struct csvfield *fields, const struct sales_line *line,
                    struct diag *diag);

/* Read the rest of `in` in `threads` ranges (salesread_parallel), each
 * thread into a sink of its own, merged into `into` and its counts into
 * `counts` when done.
 * @return 1 done; 0 fall back to salesread_sequential (nothing was added);
 *         -1 with diag set ("file: problem"). */
int cohort_read_parallel(csvin *in, const struct sales_layout *layout,
                         const struct sales_marks *marks, long threads, struct cohort_sink *into,
                         struct salesread_counts *counts, struct date_spread *spread, int source,
                         struct diag *diag);

#endif
