/* cohort_read — cl-cohort's consumer of sales lines: each usable line into
 * the cohort cells of a sink, and the parallel read of a regular file with
 * one sink per thread, merged. */
#include "cohort_read.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

int cohort_sink_init(struct cohort_sink *sink, enum cohort_period period, struct diag *diag)
{
    memset(sink, 0, sizeof *sink);
    return cohort_lines_init(&sink->lines, period, diag);
}

void cohort_sink_free(struct cohort_sink *sink)
{
    if (!sink)
        return;
    cohort_lines_free(&sink->lines);
    free(sink->key);
    sink->key = NULL;
    sink->key_cap = 0;
}

int cohort_read_add(void *sink_ptr, const struct sales_layout *layout,
                    const struct csvfield *fields, const struct sales_line *line,
                    struct diag *diag)
{
    struct cohort_sink *sink = sink_ptr;
    long len = sales_key(layout, fields, &sink->key, &sink->key_cap);
    if (len < 0)
        return diag_set(diag, "out of memory");
    return cohort_lines_add(&sink->lines, sink->key, (size_t)len, line->totals.first_day,
                            line->totals.revenue, line->amount_decimals, diag);
}

int cohort_read_parallel(csvin *in, const struct sales_layout *layout,
                         const struct sales_marks *marks, long threads, struct cohort_sink *into,
                         struct salesread_counts *counts, struct date_spread *spread, int source,
                         struct diag *diag)
{
    assert(threads > 0);
    size_t n = (size_t)threads;
    /* each thread's apart from the others' (buf.h) */
    struct cohort_sink_own *sinks = buf_lines_calloc(n, sizeof *sinks);
    void **sink_ptrs = buf_lines_calloc(n, sizeof *sink_ptrs);
    struct salesread_counts *thread_counts = buf_lines_calloc(n, sizeof *thread_counts);
    int rc = 0;
    if (!sinks || !sink_ptrs || !thread_counts)
        rc = diag_set(diag, "out of memory");
    for (size_t i = 0; i < n && rc == 0; i++) {
        rc = cohort_sink_init(&sinks[i].sink, into->lines.period, diag);
        sink_ptrs[i] = &sinks[i].sink;
    }
    int done = rc == 0 && salesread_parallel(in, layout, marks, threads, cohort_read_add,
                                             sink_ptrs, thread_counts, spread, source);
    for (size_t i = 0; i < n && sinks; i++) {
        if (done && rc == 0 && cohort_lines_absorb(&into->lines, &sinks[i].sink.lines, diag) != 0) {
            char problem[DIAG_MAX];
            memcpy(problem, diag->message, sizeof problem);
            rc = diag_set(diag, "%s: %s", csvin_name(in), problem);
        }
        if (done && rc == 0)
            salesread_counts_add(counts, &thread_counts[i]);
        cohort_sink_free(&sinks[i].sink);
    }
    free(sinks);
    free(sink_ptrs);
    free(thread_counts);
    return rc < 0 ? -1 : done;
}
