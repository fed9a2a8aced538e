/* salesrun — one cl-rollup run, from the files to the outputs: the key
 * columns and the prescriber column decided on the first file (the others
 * must agree), each file read in parallel ranges or record by record, the
 * run started again when a file taken as UTF-8 from its first MiB turns out
 * not to be, the --also periods rolled up in the same pass, --merge's
 * partials, the monthly cohorts of the lines up to the run's last day
 * (--also cohorts) and the whole file's counts (--also summary) in the
 * same pass, then the checks of each period (a usable line, --asof after
 * the last sale) and its outputs (the roll-up, its --stats, the cohort
 * table, the whole file's --summary).
 *
 * The run says nothing itself: notes go through the hooks, failures are
 * a diag (diag.h).
 *
 * Layer: engines. Includes salesrollup.h (prescriber, rollup, salesread),
 * cohort_read.h (cohort). */
#ifndef CL_SALESRUN_H
#define CL_SALESRUN_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "cohort.h"
#include "cohort_read.h"
#include "csvout.h"
#include "datespread.h"
#include "diag.h"
#include "prescriber.h"
#include "rollup.h"
#include "sales.h"
#include "salesread.h"
#include "salesrollup.h"

#define SALESRUN_MAX_ALSO 6     /* --also periods */
#define SALESRUN_MAX_SOURCES 64 /* the files whose outlying dates are named */

/* What the run tells its caller, as it goes. Every hook is required. */
struct salesrun_hooks {
    /* A note for standard error (one line, no newline). */
    void (*warn)(const char *message);
    /* An input whose encoding was guessed (name: the path, "stdin" for -). */
    void (*encoding)(const char *name, const struct encoding_result *enc);
    /* The whole date column decides DD/MM or MM/DD (salesread_date_order):
     * say it, or refuse it (the caller may exit). */
    void (*date_order)(csvin *in, struct sales_layout *layout);
    /* Lines read so far (for a progress line). */
    void (*progress)(unsigned long long lines);
    /* The notes on the reading (rounded values, lines left out), said
     * before the error of a run whose own period has no usable line. */
    void (*notes)(const struct salesread_counts *counts);
};

/* What the options ask. */
struct salesrun_config {
    struct sales_request sales;     /* the columns, filters and the run's period */
    char delim;                     /* 0: sniffed */
    const char *encoding;           /* NULL: detected */
    long threads;                   /* 0: one per processor */
    int strict, partial, merge, per_prescriber, verbose;
    int has_asof;
    int32_t asof;
    struct salesrollup_period also[SALESRUN_MAX_ALSO];  /* their days only */
    const char *also_text[SALESRUN_MAX_ALSO];   /* each as given, for messages */
    size_t nalso;
    size_t nfiles;                  /* the inputs given (0: standard input) */
    struct salesread_rejects *rejects;  /* strict and its writer (NULL, out NULL: none) */
    FILE *rejects_fp;               /* the writer's file, emptied on a restart */
    const char *rejects_name;       /* its name, for a message */
    /* --also cohorts: every usable line up to sales.to (all of them without
     * it), whatever sales.from, into monthly cohorts, as cl-cohort --until
     * would read them; not with --group, --partial, --merge, --per-prescriber */
    int cohorts;
    /* --also summary: the whole file's --stats (every period's lines and
     * the others, as a run without --from, --to or --month would count
     * them), from the same pass: see salesrun_write_summary */
    int summary;
    struct salesrun_hooks hooks;
};

/* --also summary's state. Without a prescriber column the whole file's
 * table is the largest period's (`base`, the one of widest span) and
 * `table`, the lines dated outside it, counted together (no line hashed
 * twice; nothing more when the base holds every day); with one, `table`
 * holds every line (its prescriber book too). */
struct salesrun_summary {
    size_t base;                    /* the period whose table is extended */
    int whole;                      /* table holds every line (a prescriber column) */
    struct rollup table;
    struct prescriber_book book;
    struct salesread_counts counts; /* every line's, as a run without a period */
    struct salesread_counts outside_counts[2];  /* before and after the base (unused) */
    struct date_spread spread;      /* the years of every line used */
    unsigned long long dates_outlying;
};

/* One period's state: the run's own, or an --also period's. */
struct salesrun_period {
    struct rollup rollup;
    struct prescriber_book book;
    struct salesread_counts counts;
    struct date_spread spread;      /* the years of the lines used */
    unsigned long long dates_outlying;  /* lines dated far outside the others */
};

/* A run; opaque but for the counts (period[0].counts: the run's own). */
struct salesrun {
    struct salesrun_config cfg;
    struct salesrun_period period[1 + SALESRUN_MAX_ALSO];  /* [0] the run's own */
    const char *header_names[SALES_MAX_BY + 1];
    char *header_store[SALES_MAX_BY + 1];
    size_t by_count;
    int with_margin;
    int have_header;
    int quick_utf8;             /* the only input is taken as UTF-8 from its first MiB */
    char *role_column[SALES_ROLES]; /* the first file's column per role (NULL: none) */
    int roles_known;
    struct salesrollup_sink sink;   /* the sequential path's */
    const char *sources[SALESRUN_MAX_SOURCES]; /* the files read, for the date warnings */
    int source;                 /* the file being read (index in sources) */
    int prescribed;             /* -1 not known yet, 0 no prescriber column, 1 one */
    /* cfg.cohorts: the cohort cells, and the counts and dates of their lines */
    struct cohort_sink cohort;
    struct salesread_counts cohort_counts;
    struct date_spread cohort_spread;
    struct salesrun_summary summary;    /* cfg.summary */
    struct {                    /* salesrun_cohort_start's table */
        int state;              /* 0 not started, 1 built, 2 building on thread */
        int rc;
        pthread_t thread;
        struct cohort_table table;
        struct diag diag;
    } cohort_build;
};

/* Start a run (run zeroed or freed) as config asks. @return 0, or -1 with
 * diag set (out of memory). */
int salesrun_init(struct salesrun *run, const struct salesrun_config *config,
                  struct diag *diag);

/* Read one input (path, or "-" for standard input) into the run: sales
 * lines, or with merge a cl-rollup --partial output.
 * @return 0, or -1 with diag set ("FILE:LINE: problem", columns unlike
 *         the first file's, ...). */
int salesrun_read(struct salesrun *run, const char *path, struct diag *diag);

/* After the last input: each period must have a usable line (but with
 * partial), --per-prescriber must have sales with a prescriber (the
 * direct ones are noted), the outlying dates are noted, and --asof must
 * not be before a period's last sale. input names the inputs in a message
 * ("data.csv", "stdin", "the files").
 * @return 0, or -1 with diag set (the message is the error). */
int salesrun_finish(struct salesrun *run, const char *input, struct diag *diag);

/* The periods: 0 the run's own, i the --also period i - 1. */
static inline size_t salesrun_periods(const struct salesrun *run)
{
    return 1 + run->cfg.nalso;
}

/* Period i's roll-up is to be written (salesrun_write) after other
 * outputs: its keys are sorted into the output's order from now on, on a
 * thread of its own (rollup_write_ahead; nothing for --partial). */
void salesrun_write_ahead(struct salesrun *run, size_t i);

/* Write period i's roll-up (or its partials) to out.
 * @return 0, or -1 with diag set. */
int salesrun_write(struct salesrun *run, size_t i, struct csvout *out, struct diag *diag);
/* Write period i's --stats to out (its (key, order) pairs settled first:
 * see rollup_settle). @return 0, or -1 with diag set (out of memory). */
int salesrun_write_stats(struct salesrun *run, size_t i, struct csvout *out, struct diag *diag);

/* cfg.summary: the whole file's --stats to out, the bytes of cl-rollup
 * --summary given the same inputs and options but the period. Call it
 * before salesrun_write of any period (which gives their (key, order)
 * pairs back). @return 0, or -1 with diag set (out of memory). */
int salesrun_write_summary(struct salesrun *run, struct csvout *out, struct diag *diag);

/* cfg.cohorts: the cohort table of the lines read (cohort_table_build, the
 * data ending on sales.to when there is one), the bytes of cl-cohort
 * --until TO given the same columns. Fails with no usable line, no client
 * who bought, too many periods (cohort_table_build's messages).
 * @return 0, or -1 with diag set; free the table with cohort_table_free. */
int salesrun_cohort_table(struct salesrun *run, struct cohort_table *table, struct diag *diag);

/* cfg.cohorts, after salesrun_finish: the cohort table built from now on,
 * on a thread of its own (in line when threaded is 0 or no thread can
 * start), beside the roll-ups' outputs, and the cells it is built from
 * freed once it is; salesrun_cohort_table then hands it over (the same
 * table, the same failure). */
void salesrun_cohort_start(struct salesrun *run, int threaded);

void salesrun_free(struct salesrun *run);

#endif
