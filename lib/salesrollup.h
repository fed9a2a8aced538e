/* salesrollup — sales lines into a roll-up: the sink salesread hands
 * usable lines to (a roll-up, with the prescriber book when the sales have
 * a prescriber column), and the parallel read of a regular file, one
 * roll-up and book per thread merged into the caller's at the end.
 *
 * Layer: engines. Includes prescriber.h, rollup.h, salesread.h. */
#ifndef CL_SALESROLLUP_H
#define CL_SALESROLLUP_H

#include <stddef.h>

#include "diag.h"
#include "prescriber.h"
#include "rollup.h"
#include "salesread.h"

/* Where lines are added: a roll-up, with the prescriber book when the
 * sales have a prescriber column, and a key buffer (one per thread). */
struct salesrollup_sink {
    struct rollup *rollup;
    struct prescriber_book *book;   /* NULL: no prescriber column */
    char *key;                      /* owned: free it when done */
    size_t key_cap;
};

/* A usable line (or a partial aggregate) into the sink's roll-up, and into
 * its prescriber book when there is one. prescriber: the line's prescriber
 * id (NULL: a direct sale). @return 0, or -1 with diag set. */
int salesrollup_add_line(struct salesrollup_sink *sink, const struct sales_layout *layout,
                         const struct csvfield *fields, const struct sales_line *line,
                         const char *prescriber, size_t prescriber_len, struct diag *diag);

/* salesread_add_fn: a usable sales line, with the prescriber of its record
 * when the sales have a prescriber column. sink: a struct salesrollup_sink. */
int salesrollup_add_sale(void *sink, const struct sales_layout *layout,
                         const struct csvfield *fields, const struct sales_line *line,
                         struct diag *diag);

/* Another period rolled up in the same pass (cl-rollup --also): the
 * caller's roll-up, book (used when the layout has a prescriber column),
 * counts and dates (spread NULL: not counted), as a read of the file with
 * that period alone would give them (salesread_period). rollup NULL: the
 * period's lines are only counted (book unused). Two periods may share a
 * roll-up and book (lines of both added to one table). */
struct salesrollup_period {
    int has_from, has_to;
    int32_t from, to;
    struct rollup *rollup;
    struct prescriber_book *book;
    struct salesread_counts *counts;
    struct date_spread *spread;
};

/* A period as cl-rollup's options write it into *period's days:
 * "YYYY-MM" (a calendar month), "FROM..TO", "FROM.." or "..TO" (dates
 * YYYY-MM-DD, inclusive; ".." alone: every day). len: the text's length.
 * @return 0, or -1 with diag set ("\"2012-13\" is not a period ..."). */
int salesrollup_period_parse(const char *text, size_t len, struct salesrollup_period *period,
                             struct diag *diag);

/* Read the rest of a regular file in `threads` parallel ranges
 * (salesread_parallel), one roll-up and prescriber book per thread, then
 * merged into rollup and book (book used when the layout has a prescriber
 * column), the counts added into counts, the dates into spread; unusable
 * lines as salesread_parallel_rejects says (rejects NULL: counted only).
 * @return 1 done; 0 fall back to the sequential reader (nothing was
 *         added); -1 with diag set (out of memory, a sum overflows). */
int salesrollup_parallel(csvin *in, const struct sales_layout *layout,
                         const struct sales_marks *marks, long threads, struct rollup *rollup,
                         struct prescriber_book *book, struct salesread_counts *counts,
                         struct date_spread *spread, int source,
                         struct salesread_rejects *rejects, struct diag *diag);

/* The same, with `nalso` other periods (NULL, 0: none) merged into theirs,
 * and `extra` (NULL: none), another reader of the same lines with its own
 * period, sinks and counts (one per thread: a cohort table, cl-rollup
 * --also cohorts), which the caller merges when done (1). */
int salesrollup_parallel_also(csvin *in, const struct sales_layout *layout,
                              const struct sales_marks *marks, long threads,
                              struct rollup *rollup, struct prescriber_book *book,
                              struct salesread_counts *counts, struct date_spread *spread,
                              int source, struct salesread_rejects *rejects,
                              const struct salesrollup_period *also, size_t nalso,
                              const struct salesread_period *extra, struct diag *diag);

/* The same, with `merge_extra` (NULL: none) called once the read is done
 * (1), on a thread of its own beside the merge of the roll-ups (the
 * extra reader's sinks into the caller's: disjoint from the roll-ups),
 * with merge_arg and a diag of its own. A failure of the roll-ups' merge
 * is said first, as when the two ran one after the other; else one of
 * merge_extra (-1), its diag copied into diag. */
int salesrollup_parallel_merge(csvin *in, const struct sales_layout *layout,
                               const struct sales_marks *marks, long threads,
                               struct rollup *rollup, struct prescriber_book *book,
                               struct salesread_counts *counts, struct date_spread *spread,
                               int source, struct salesread_rejects *rejects,
                               const struct salesrollup_period *also, size_t nalso,
                               const struct salesread_period *extra,
                               int (*merge_extra)(void *merge_arg, struct diag *diag),
                               void *merge_arg, struct diag *diag);

/* Read the rest of the file record by record (salesread_sequential_also)
 * into sink, each of the `nalso` other periods into its own roll-up, and
 * `extra` (NULL: none) into its sinks[0] and counts[0].
 * @return 0, or -1 with diag set ("file:line: problem"). */
int salesrollup_sequential(csvin *in, const struct sales_layout *layout,
                           struct sales_marks *marks, struct salesrollup_sink *sink,
                           struct salesread_rejects *rejects,
                           void (*progress)(unsigned long long lines),
                           struct salesread_counts *counts, struct date_spread *spread,
                           int source, const struct salesrollup_period *also, size_t nalso,
                           const struct salesread_period *extra, struct diag *diag);

/* --merge: the rest of a cl-rollup --partial output (its layout found by
 * salesread_partial_layout) into the sink, each row counted as the lines
 * it stands for; headers repeated (outputs concatenated) are skipped.
 * @return 0, or -1 with diag set ("FILE:LINE: ..."). */
int salesrollup_read_partials(csvin *in, const struct salesread_partial *partial,
                              struct salesrollup_sink *sink, struct salesread_counts *counts,
                              struct diag *diag);

/* What --stats reports of a run: metric,value rows (lines read, used,
 * left out and rejected by reason, customers, first and last date, the
 * the exact totals revenue, margin, orders and margin_rate (not for
 * partials), the direct sales with a prescriber book, the column taken for
 * each role). */
struct salesrollup_stats {
    const struct salesread_counts *counts;
    unsigned long long dates_outlying;      /* lines dated far outside the others */
    const struct rollup *rollup;
    const struct prescriber_book *book;     /* NULL: no prescriber column */
    const char *const *role_column;         /* SALES_ROLES names (NULL: one none);
                                               NULL: roles not known */
    int with_margin;                        /* the roll-up has a margin column */
    int partial;                            /* --partial: no totals (rows are not
                                               yet the customers') */
    /* NULL, or a table of other lines (no prescriber book): the keys,
     * totals, orders and dates are those of rollup and outside together,
     * both settled (rollup_settle), as if merged (rollup_keys_beyond,
     * rollup_orders_with), neither changed */
    const struct rollup *outside;
};
void salesrollup_write_stats(struct csvout *out, const struct salesrollup_stats *stats);

#endif
