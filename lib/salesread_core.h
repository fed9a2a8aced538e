/* salesread_core — what the readers of salesread.h share, for its parts
 * only (salesread_seq.c, salesread_range.c, salesread_spool.c,
 * salesread_decide.c): not for callers.
 *
 * Layer: engines. Includes salesread.h. */
#ifndef CL_SALESREAD_CORE_H
#define CL_SALESREAD_CORE_H

#include "salesread.h"

#define WORK_BUFFER (1u << 20)  /* a reader's buffer: a longer record goes to libcsv */
#define SEGMENT (4ll << 20)     /* a pipe is read in ranges of about 4 MiB */
#define CHUNK_BUFFER ((size_t)SEGMENT + WORK_BUFFER)   /* such a range and its last line */

/* The layout the lines are judged on when other periods are read too: the
 * caller's, its period widened to hold every period. */
void salesread_core_hull(const struct sales_layout *layout, const struct salesread_period *also,
                         size_t nalso, struct sales_layout *hull);
/* A line's result for one period from its result on the hull. */
enum sales_result salesread_core_result(int has_from, int32_t from, int has_to, int32_t to,
                                        enum sales_result got, enum sales_reason why,
                                        const struct sales_line *line);
/* Count a line for another period and add it to its sink when usable
 * there. @return 0, -1 with diag set (the sink failed), or 1: rejected
 * there (for --strict). */
int salesread_core_tally(const struct salesread_period *p, void *sink,
                         struct salesread_counts *counts, struct date_spread *spread,
                         const struct sales_layout *layout, const struct csvfield *fields,
                         enum sales_result got, enum sales_reason why,
                         const struct sales_line *line, long long where, int source,
                         struct diag *diag);
/* The rejects file's header (the input's columns, line, reason), once. */
void salesread_core_rejects_header(struct salesread_rejects *rejects, const csvin *in);

/* A line number's digits, kept from one rejected row to the next of a
 * worker: the next line is a few more, so its digits are the last ones
 * plus the difference, carried digit by digit, where each digit took a
 * division (a third of the time spent formatting the bench file's 2.7 M
 * rejected rows). */
struct salesread_digits {
    long long n;                /* -1: none yet */
    int len;
    char d[24];
};
#define SALESREAD_DIGITS_INIT { -1, 0, { 0 } }
/* Make dg hold the digits of n (>= 0): dg->d[0, dg->len). */
void salesread_digits_set_full(struct salesread_digits *dg, long long n);
/* The same; the usual step (0 to 9 lines on, the last digit not carried:
 * most rejected rows of the bench file) inline, without the call and the
 * loop of salesread_digits_set_full. */
static inline void salesread_digits_set(struct salesread_digits *dg, long long n)
{
    long long delta = n - dg->n;
    if (dg->n >= 0 && delta >= 0 && delta <= 9 && dg->d[dg->len - 1] - '0' + delta <= 9) {
        dg->d[dg->len - 1] = (char)(dg->d[dg->len - 1] + delta);
        dg->n = n;
        return;
    }
    salesread_digits_set_full(dg, n);
}

/* The line ends in p[0, len); the bytes equal to byte. */
long long salesread_core_count_lf(const char *p, size_t len);
/* The physical line where the record starting at offset of fd begins
 * (blank lines before it skipped, as the scanner does). */
long salesread_core_line_at(int fd, long long offset);
/* After a parallel read of fd merged into spread, the years first seen in
 * this file (source) hold byte offsets: those outside the fence so far get
 * their line (the others 0: a later file seldom makes them outlying, and
 * then no line is named). Used for the run's dates and the cohorts' alike. */
void salesread_core_spread_lines(struct date_spread *spread, int source, int fd);

/* The spool's side of the parallel ranges (salesread_spool.c): start the
 * ranges at the data; hand out no more (a worker failed); the next range
 * that has arrived, of `bytes` or more up to the next place where a range
 * may end (a line end outside quotes, one a MiB), or the rest once the
 * input ended: 1 a range, 0 none left, -1 the pipe could not be read. */
void salesread_spool_restart(struct salesread_spool *spool, long long data);
void salesread_spool_stop(struct salesread_spool *spool);
int salesread_spool_claim(struct salesread_spool *spool, long long bytes, long long *start,
                          long long *end);

#endif
