/* salesread — every line of a sales file, handed to a consumer.
 *
 * The reading that cl-rollup and cl-cohort share: the columns found in the
 * header (sales.h), then each record read, judged by sales_read and given
 * to the consumer's `add` function when usable, or counted (and written to
 * a rejects file, or made an error with strict) when not. A regular file
 * is read by the lean scanner (scan.h) in one byte range per thread, each
 * thread adding into a sink of its own that the caller merges; anything
 * the scanner cannot judge makes the caller fall back to the sequential
 * reader (libcsv), which gives the exact diagnostic with its line. */
#ifndef CL_SALESREAD_H
#define CL_SALESREAD_H

#include "csvin.h"
#include "csvout.h"
#include "datespread.h"
#include "diag.h"
#include "encoding.h"
#include "sales.h"

struct salesread_counts {
    unsigned long long lines_read, lines_used, out_of_period;
    unsigned long long rejected[SALES_REASONS];
    unsigned long long ids_trimmed;     /* used lines whose id or --by value was trimmed */
    unsigned long long filtered;        /* left out by --where */
    unsigned long long headers;         /* header lines repeated in the data, skipped (not
                                           in lines_read) */
    unsigned long long rounded;         /* values with more than 6 decimals, rounded */
    char rounded_example[64];           /* the first of them, quoted ... */
    long rounded_line;                  /* ... and its line */
    char first_detail[SALES_REASONS][96];   /* per reason: the first line's detail */
    long first_line[SALES_REASONS];         /* ... and its line (0: unknown) */
};

/* Add counts into a total; the total keeps its first examples, else takes
 * add's. */
void salesread_counts_add(struct salesread_counts *total, const struct salesread_counts *add);

/* The rejected lines as "12 no customer id, 3 unusable date (first: line
 * 7, "31/02/2011": no such date)" into list: an unusable value's reason
 * names the first one, its line, and what may help.
 * @return how many lines were rejected in all. */
unsigned long long salesread_rejected(const struct salesread_counts *counts, char *list,
                                      size_t size);

/* A usable line: the record's fields (layout->columns of them) and what
 * they mean. @return 0, or -1 with diag set (no file or line in it). */
typedef int (*salesread_add_fn)(void *sink, const struct sales_layout *layout,
                                const struct csvfield *fields, const struct sales_line *line,
                                struct diag *diag);

/* What to do with an unusable line on the sequential path. */
struct salesread_rejects {
    int strict;                 /* the first one is an error */
    struct csvout *out;         /* NULL, or where each is written with its line and reason */
    int header_done;            /* internal: the rejects file's header is written */
};

/* Find the columns in the header csvin read. @return 0, or -1 with diag set. */
int salesread_layout(csvin *in, const struct sales_request *request,
                     struct sales_layout *layout, struct sales_marks *marks, struct diag *diag);

/* What the whole date column says about the order of slash dates. */
struct salesread_date_order {
    enum { SALESREAD_DATES_KEPT, SALESREAD_DATES_MDY, SALESREAD_DATES_EITHER } found;
    char example[64];           /* a date that only MM/DD fits, or one both fit */
};

/* Decide DD/MM or MM/DD on the rest of a regular file (nothing when the
 * layout has a date format, or the input is not a regular file): when only
 * MM/DD fits every date, layout->date_order becomes DATE_MDY (found: MDY);
 * when both orders fit every date, DD/MM is kept (found: EITHER, for the
 * caller to warn or refuse). The input is not moved. */
void salesread_date_order(csvin *in, struct sales_layout *layout,
                          struct salesread_date_order *result);

/* After a number that is ambiguous where it is read ("12,345", its
 * column's mark undecided: sales_line.ambiguous), decide the marks of the
 * undecided number columns on the rest of a regular file, from the end of
 * the record just read: the first value that tells a mark decides its
 * column (sales.h, sales_mark_vote). The input is not moved.
 * @return the number of columns decided (0: the ambiguity stands). */
int salesread_decide_marks(csvin *in, const struct sales_layout *layout,
                           struct sales_marks *marks);

/* How many threads the parallel path would use on this input: 0 when it
 * cannot be used (not a regular file). requested: 0 for one per processor,
 * else the user's number; without it a thread gets at least 8 MiB (not
 * known of a pipe being copied: one per processor). */
long salesread_threads(csvin *in, long requested);

/* Other periods read in the same pass as the caller's (cl-rollup --also):
 * each line is judged once, on the hull of all the periods (the layout's
 * and these), then counted for each period as a read of that period alone
 * would count it: a line dated outside a period is out of it, whether its
 * numbers are usable or not (as sales_read checks the period before the
 * numbers). Only the layout's period writes rejected rows and names lines
 * in messages; a period's counts and dates are numbers only. */
struct salesread_period {
    int has_from, has_to;
    int32_t from, to;           /* days, inclusive */
    salesread_add_fn add;
    void *const *sinks;         /* one per thread; the sequential reader uses sinks[0] */
    struct salesread_counts *counts;    /* one per thread (the parallel reader zeroes
                                           them); the sequential reader adds to counts[0] */
    struct date_spread *spread; /* the years of its lines used; NULL: not counted */
};

/* Read the rest of the file in `threads` ranges, thread i adding into
 * sinks[i] and counting into counts[i]. The dates of the lines used are
 * counted into spread (NULL: not counted) as from file number `source`,
 * the years outside its fence with their line.
 * @return 1 done; 0 fall back: the sinks hold part of the data and must be
 *         discarded, and the file read again with salesread_sequential. */
int salesread_parallel(csvin *in, const struct sales_layout *layout,
                       const struct sales_marks *marks, long threads,
                       salesread_add_fn add, void *const *sinks,
                       struct salesread_counts *counts, struct date_spread *spread,
                       int source);

/* The same, with the policy for unusable lines: rejects->strict makes the
 * first one fall back (the sequential reader then names it); with
 * rejects->out, a writer to a FILE, the rejected rows are written there in
 * file order, with their lines, as the chunks before them are done (on a
 * fall back the file is cut back to where it was; one that cannot be is
 * written only when the read succeeds). rejects NULL: counted only. */
int salesread_parallel_rejects(csvin *in, const struct sales_layout *layout,
                               const struct sales_marks *marks, long threads,
                               salesread_add_fn add, void *const *sinks,
                               struct salesread_counts *counts, struct date_spread *spread,
                               int source, struct salesread_rejects *rejects);

/* The same, with `nalso` other periods (NULL, 0: none) read in the same
 * pass; rejects->strict makes a rejected line of any period fall back. */
int salesread_parallel_also(csvin *in, const struct sales_layout *layout,
                            const struct sales_marks *marks, long threads,
                            salesread_add_fn add, void *const *sinks,
                            struct salesread_counts *counts, struct date_spread *spread,
                            int source, struct salesread_rejects *rejects,
                            struct salesread_period *also, size_t nalso);

/* Read the rest of the file record by record through libcsv. progress,
 * when not NULL, is called every 65,536 lines with the lines read; spread
 * and source as for salesread_parallel.
 * @return 0, or -1 with diag set ("file:line: problem"). */
int salesread_sequential(csvin *in, const struct sales_layout *layout,
                         struct sales_marks *marks, salesread_add_fn add, void *sink,
                         struct salesread_rejects *rejects,
                         void (*progress)(unsigned long long lines),
                         struct salesread_counts *counts, struct date_spread *spread,
                         int source, struct diag *diag);

/* The same, with `nalso` other periods read in the same pass (NULL, 0:
 * none); with rejects->strict, a rejected line of any period is the error. */
int salesread_sequential_also(csvin *in, const struct sales_layout *layout,
                              struct sales_marks *marks, salesread_add_fn add, void *sink,
                              struct salesread_rejects *rejects,
                              void (*progress)(unsigned long long lines),
                              struct salesread_counts *counts, struct date_spread *spread,
                              int source, struct salesread_period *also, size_t nalso,
                              struct diag *diag);

/* ---- a pipe, read while it arrives -------------------------------------- */

/* A pipe copied by a thread into an unlinked temporary file (TMPDIR), so
 * that the parallel ranges read what has arrived while the rest arrives,
 * and every reader that needs more (the sequential reader, the whole-column
 * decisions, a restart in another encoding) waits for the whole copy and
 * reads it as a regular file: the same results and messages as a pipe
 * copied first. */
struct salesread_spool;

/* Start copying in_fd (taken over); name ("stdin") for messages.
 * @return the spool, or NULL with diag set. */
struct salesread_spool *salesread_spool_start(int in_fd, const char *name, struct diag *diag);
/* Wait until more than `bytes` bytes have arrived, or the input ended.
 * @return 1 more arrived, 0 the copy is complete (or the input failed). */
int salesread_spool_wait(struct salesread_spool *spool, long long bytes);
/* A new descriptor of the copy, at its start (the caller closes it). */
int salesread_spool_fd(const struct salesread_spool *spool);
/* The reader of the copy: its parallel ranges follow the copy, and
 * whatever reads further waits for the whole (csvin_set_growing). */
void salesread_spool_attach(struct salesread_spool *spool, csvin *in);
/* Wait for the end of the input, then free (NULL: nothing). @return 0, or
 * -1 with diag set ("stdin: ...": the input or the copy failed). */
int salesread_spool_close(struct salesread_spool *spool, struct diag *diag);

/* Close fd, the last descriptor of a pipe's copy, on a thread of its own
 * (the kernel frees the copy's pages there while the caller goes on);
 * inline when no thread can be started. */
void salesread_close_later(int fd);

/* fsync fd, then close it, on a thread of its own: a file written whole
 * reaches the disk while the caller goes on, and the fsync that commits
 * it finds little left to wait for. Not started, fd is closed. */
void salesread_sync_later(int fd);

/* encoding_open_quick (encoding.h, no encoding named), except that a pipe
 * is read while it arrives (*spool set: attach it to the reader, close it
 * after) when its first MiB is plain UTF-8 and its first two lines (a
 * "sep=" line, the header) are in its first 64 KiB; any other pipe is
 * copied whole first and opened as encoding_open_quick opens a pipe
 * (*spool NULL). @return the descriptor, or -1 with diag set. */
int salesread_open_quick(const char *path, struct encoding_result *enc, int *checked_all,
                         struct salesread_spool **spool, struct diag *diag);

/* ---- --merge: cl-rollup --partial outputs read back ---------------------- */

/* Where the columns of a --partial output are (rollup_write_partial writes
 * them): the key's parts first (customer, the --by values), then order,
 * revenue, [margin], quantity, lines, first_date, last_date, returns,
 * return_lines[, prescriber]. -1: absent. */
struct salesread_partial {
    long order, revenue, quantity, lines, first_date, last_date;
    long margin, returns, return_lines, prescriber;
    size_t by_count;            /* --by values after the customer */
};

/* Find them in the header csvin read. @return 0, or -1 with diag set
 * ("FILE: no "lines" column: --merge reads what cl-rollup --partial
 * writes"). */
int salesread_partial_layout(struct salesread_partial *partial, const csvin *in,
                             struct diag *diag);

/* Is the record just read the header again (partial outputs concatenated)? */
int salesread_header_again(const csvin *in);

/* The partial row just read (its fields in f, which may be moved past the
 * apostrophe a --excel output put before text a spreadsheet would take for
 * a formula) as a line of the roll-up: its order, totals and decimals.
 * @return 0, or -1 with diag "FILE:LINE: not a cl-rollup --partial row". */
int salesread_partial_row(const struct salesread_partial *partial, const csvin *in,
                          struct csvfield *f, struct sales_line *line, struct diag *diag);

/* Give say() one message per year of spread far outside the bulk of the
 * dates (datespread.h), for the first ten such years, then one for the
 * rest: "FILE:LINE: date 9999-12-31 is far outside the other dates (...):
 * 3 lines in 9999; a placeholder or a typo? (HINT)". sources[i] names
 * file i (beyond nsources, "the files"; "-" is stdin).
 * @return the lines in those years. */
unsigned long long salesread_outlying_dates(const struct date_spread *spread,
                                            const char *const *sources, int nsources,
                                            const char *hint, void (*say)(const char *message));

#endif
