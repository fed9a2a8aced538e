/* salesrun — one cl-rollup run from the files to the outputs (salesrun.h):
 * the header and the prescriber column set up on the first file, each file
 * read (parallel ranges, else record by record; --merge's partials), the
 * restart when the only input turns out not to be UTF-8, and the checks
 * and outputs of each period. */
#include "salesrun.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "parse.h"
#include "salesread_core.h"

/* A note through the warn hook. */
static void say(const struct salesrun *run, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void say(const struct salesrun *run, const char *fmt, ...)
{
    char text[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    run->cfg.hooks.warn(text);
}

/* ---- the header ------------------------------------------------------- */

/* The output's key columns come from the first file; later files must
 * agree on the margin and the number of --by columns. */
static int setup_header(struct salesrun *run, csvin *in, int with_margin, size_t by_count,
                        const long *by, long customer, struct diag *diag)
{
    if (run->have_header) {
        if (with_margin != run->with_margin || by_count != run->by_count)
            return diag_set(diag, "%s: its columns do not match the first file's "
                            "(margin or --group)", csvin_name(in));
        return 0;
    }
    run->header_names[0] = "customer";
    if (run->cfg.merge && customer >= 0) {
        if (!(run->header_store[0] = strdup(csvin_column_name(in, (size_t)customer))))
            return diag_set(diag, "out of memory");
        run->header_names[0] = run->header_store[0];
    }
    for (size_t i = 0; i < by_count; i++) {
        if (!(run->header_store[i + 1] = strdup(csvin_column_name(in, (size_t)by[i]))))
            return diag_set(diag, "out of memory");
        run->header_names[i + 1] = run->header_store[i + 1];
    }
    run->by_count = by_count;
    run->with_margin = with_margin;
    run->have_header = 1;
    return 0;
}

/* The first file decides whether there is a prescriber column; the others
 * must agree, so that every row of the output means the same thing. */
static int setup_prescriber(struct salesrun *run, csvin *in, int present, struct diag *diag)
{
    if (run->prescribed < 0) {
        run->prescribed = present;
        for (size_t i = 0; i < salesrun_periods(run); i++)
            run->period[i].book.by_count = run->by_count;
        run->summary.book.by_count = run->by_count;
        if (run->cfg.per_prescriber)
            run->header_names[0] = "prescriber";
        return 0;
    }
    if (present != run->prescribed)
        return diag_set(diag, "%s: %s prescriber column, unlike the first file", csvin_name(in),
                        present ? "has a" : "has no");
    return 0;
}

/* ---- sales lines ------------------------------------------------------ */

/* The --also periods, for the readers. */
static void also_periods(struct salesrun *run, struct salesrollup_period *periods)
{
    for (size_t i = 0; i < run->cfg.nalso; i++) {
        struct salesrun_period *p = &run->period[i + 1];
        periods[i] = run->cfg.also[i];
        periods[i].rollup = &p->rollup;
        periods[i].book = &p->book;
        periods[i].counts = &p->counts;
        periods[i].spread = &p->spread;
    }
}

/* The days of period i (0: the run's own). */
static struct salesrollup_period period_days(const struct salesrun *run, size_t i)
{
    struct salesrollup_period days = { 0 };
    if (i > 0)
        return run->cfg.also[i - 1];
    days.has_from = run->cfg.sales.has_from;
    days.from = run->cfg.sales.from;
    days.has_to = run->cfg.sales.has_to;
    days.to = run->cfg.sales.to;
    return days;
}

/* --also summary: the period of widest span, whose table the whole
 * file's extends. */
static size_t summary_base(const struct salesrun *run)
{
    size_t best = 0;
    int64_t best_span = -1;
    for (size_t i = 0; i < salesrun_periods(run); i++) {
        struct salesrollup_period d = period_days(run, i);
        int64_t from = d.has_from ? d.from : INT64_MIN / 4;
        int64_t to = d.has_to ? d.to : INT64_MAX / 4;
        if (to - from > best_span) {
            best_span = to - from;
            best = i;
        }
    }
    return best;
}

/* --also summary's periods for the readers, after the --also ones: every
 * line counted (into the table too with a prescriber column), and without
 * one the lines before and after the base period into the table.
 * @return how many. */
static size_t summary_periods(struct salesrun *run, struct salesrollup_period *periods)
{
    struct salesrun_summary *s = &run->summary;
    if (!run->cfg.summary)
        return 0;
    s->whole = run->prescribed > 0;
    size_t n = 0;
    periods[n++] = (struct salesrollup_period){
        .rollup = s->whole ? &s->table : NULL, .book = &s->book, .counts = &s->counts,
        .spread = &s->spread,
    };
    if (s->whole)
        return n;
    struct salesrollup_period base = period_days(run, s->base);
    if (base.has_from)
        periods[n++] = (struct salesrollup_period){
            .has_to = 1, .to = base.from - 1, .rollup = &s->table, .book = &s->book,
            .counts = &s->outside_counts[0],
        };
    if (base.has_to)
        periods[n++] = (struct salesrollup_period){
            .has_from = 1, .from = base.to + 1, .rollup = &s->table, .book = &s->book,
            .counts = &s->outside_counts[1],
        };
    return n;
}

/* Which column each role took: a note with verbose (per file), the first
 * file's in --stats. */
static int note_roles(struct salesrun *run, csvin *in, const struct sales_layout *lay,
                      struct diag *diag)
{
    const char *const *names = csvin_column_names(in);
    if (run->cfg.verbose) {
        char line[1024];
        say(run, "%s: columns: %s", csvin_name(in),
            sales_layout_describe(lay, names, line, sizeof line));
    }
    if (!run->roles_known) {
        for (int i = 0; i < SALES_ROLES; i++) {
            long col = sales_layout_role(lay, i);
            if (col >= 0 && !(run->role_column[i] = strdup(names[col])))
                return diag_set(diag, "out of memory");
        }
        run->roles_known = 1;
    }
    return 0;
}

/* The cohort sinks of a parallel read into the run's, with their counts
 * (salesrollup_parallel_merge's merge_extra, beside the roll-ups'). */
struct cohort_merge {
    struct salesrun *run;
    csvin *in;
    struct cohort_sink_own *sinks;
    struct salesread_counts *counts;
    long n;
};

static int merge_cohorts(void *job_ptr, struct diag *diag)
{
    struct cohort_merge *job = job_ptr;
    for (long i = 0; i < job->n; i++) {
        if (cohort_lines_absorb(&job->run->cohort.lines, &job->sinks[i].sink.lines, diag) != 0) {
            char problem[DIAG_MAX];
            memcpy(problem, diag->message, sizeof problem);
            return diag_set(diag, "%s: %s", csvin_name(job->in), problem);
        }
        cohort_sink_free(&job->sinks[i].sink);    /* (freed again below: emptied) */
        salesread_counts_add(&job->run->cohort_counts, &job->counts[i]);
    }
    return 0;
}

/* The parallel read (salesrollup_parallel_merge), with `cohorts` (NULL:
 * none) given a cohort sink per thread, merged into the run's when done,
 * beside the merge of the roll-ups.
 * @return 1 done, 0 fall back (nothing added), -1 with diag set. */
static int read_parallel(struct salesrun *run, csvin *in, const struct sales_layout *lay,
                         const struct sales_marks *marks, long n,
                         const struct salesrollup_period *periods, size_t nperiods,
                         struct salesread_period *cohorts, struct diag *diag)
{
    struct salesrun_period *own = &run->period[0];
    struct cohort_sink_own *sinks = NULL;
    void **sink_ptrs = NULL;
    struct salesread_counts *counts = NULL;
    int done = -1;
    if (cohorts) {      /* each thread's apart from the others' (buf.h) */
        sinks = buf_lines_calloc((size_t)n, sizeof *sinks);
        sink_ptrs = buf_lines_calloc((size_t)n, sizeof *sink_ptrs);
        counts = buf_lines_calloc((size_t)n, sizeof *counts);
        if (!sinks || !sink_ptrs || !counts) {
            diag_set(diag, "out of memory");
            goto done;
        }
        for (long i = 0; i < n; i++) {
            if (cohort_sink_init(&sinks[i].sink, run->cohort.lines.period, diag) != 0)
                goto done;
            sink_ptrs[i] = &sinks[i].sink;
        }
        cohorts->sinks = sink_ptrs;
        cohorts->counts = counts;
    }
    struct cohort_merge job = { .run = run, .in = in, .sinks = sinks, .counts = counts, .n = n };
    done = salesrollup_parallel_merge(in, lay, marks, n, &own->rollup, &own->book, &own->counts,
                                      &own->spread, run->source, run->cfg.rejects, periods,
                                      nperiods, cohorts, cohorts ? merge_cohorts : NULL, &job,
                                      diag);
    if (cohorts && done == 1)
        salesread_core_spread_lines(&run->cohort_spread, run->source, csvin_fd(in));
    if (run->cfg.summary && done == 1)  /* its outlying dates are named with their line */
        salesread_core_spread_lines(&run->summary.spread, run->source, csvin_fd(in));
done:
    for (long i = 0; sinks && i < n; i++)
        cohort_sink_free(&sinks[i].sink);
    free(sinks);
    free(sink_ptrs);
    free(counts);
    return done;
}

/* @return 0 done; 1 the file turned out not to be UTF-8 after its first
 * MiB (only when run->quick_utf8): start again with the file transcoded;
 * -1 with diag set. */
static int read_sales(struct salesrun *run, csvin *in, struct diag *diag)
{
    struct sales_layout lay;
    struct sales_marks marks;
    struct salesrun_period *own = &run->period[0];
    if (salesread_layout(in, &run->cfg.sales, &lay, &marks, diag) != 0 ||
        note_roles(run, in, &lay, diag) != 0)
        return -1;
    run->cfg.hooks.date_order(in, &lay);
    if (setup_header(run, in, lay.with_margin, lay.by_count, lay.by, -1, diag) != 0 ||
        setup_prescriber(run, in, lay.prescriber >= 0, diag) != 0)
        return -1;
    struct salesrollup_period periods[SALESRUN_MAX_ALSO + 3];
    also_periods(run, periods);
    size_t nperiods = run->cfg.nalso + summary_periods(run, periods + run->cfg.nalso);
    /* --also cohorts: the same lines into the cohort cells, from the first
     * day to the run's last */
    struct salesread_period cohorts = {
        .has_to = run->cfg.sales.has_to, .to = run->cfg.sales.to, .add = cohort_read_add,
        .spread = &run->cohort_spread,
    };
    const struct salesread_period *extra = run->cfg.cohorts ? &cohorts : NULL;
    /* a regular file in parallel ranges, one roll-up (and book) per thread */
    long n = salesread_threads(in, run->cfg.threads);
    if (n > 0) {
        int done = read_parallel(run, in, &lay, &marks, n, periods, nperiods,
                                 extra ? &cohorts : NULL, diag);
        if (done != 0)
            return done < 0 ? -1 : 0;
    }
    run->sink.rollup = &own->rollup;
    run->sink.book = run->prescribed > 0 ? &own->book : NULL;
    void *cohort_sink = &run->cohort;
    cohorts.sinks = &cohort_sink;
    cohorts.counts = &run->cohort_counts;
    if (salesrollup_sequential(in, &lay, &marks, &run->sink, run->cfg.rejects,
                               run->cfg.hooks.progress, &own->counts, &own->spread, run->source,
                               periods, nperiods, extra, diag) != 0)
        return run->quick_utf8 && csvin_bad_utf8(in) ? 1 : -1;
    return 0;
}

/* ---- --merge: partial aggregates --------------------------------------- */

static int read_partials(struct salesrun *run, csvin *in, struct diag *diag)
{
    struct salesread_partial partial;
    if (salesread_partial_layout(&partial, in, diag) != 0)
        return -1;
    long by[SALES_MAX_BY];
    for (size_t i = 0; i < partial.by_count; i++)
        by[i] = (long)i + 1;
    if (setup_header(run, in, partial.margin >= 0, partial.by_count, by, 0, diag) != 0)
        return -1;
    if (partial.prescriber < 0 && run->cfg.per_prescriber)
        return diag_set(diag, "%s: no \"prescriber\" column: --per-prescriber needs partials "
                        "of sales with a prescriber column", csvin_name(in));
    if (setup_prescriber(run, in, partial.prescriber >= 0, diag) != 0)
        return -1;
    run->sink.rollup = &run->period[0].rollup;
    run->sink.book = run->prescribed > 0 ? &run->period[0].book : NULL;
    return salesrollup_read_partials(in, &partial, &run->sink, &run->period[0].counts, diag);
}

/* ---- start, start again, free ------------------------------------------ */

/* The roll-ups and prescriber books, empty, in the mode the options ask
 * for; whether there is a prescriber column is not known yet (the first
 * file says). */
static int start(struct salesrun *run, struct diag *diag)
{
    const struct salesrun_config *cfg = &run->cfg;
    enum rollup_grain grain = cfg->partial || cfg->merge ? ROLLUP_ORDER : ROLLUP_CUSTOMER;
    if (rollup_init(&run->period[0].rollup, grain, diag) != 0)
        return -1;
    enum prescriber_mode mode = cfg->partial ? PRESCRIBER_PARTIAL
                              : cfg->per_prescriber ? PRESCRIBER_ROLLUP : PRESCRIBER_CLIENTS;
    run->prescribed = -1;
    for (size_t i = 0; i < salesrun_periods(run); i++)
        if (prescriber_init(&run->period[i].book, mode, 0, diag) != 0)
            return -1;
    for (size_t i = 1; i < salesrun_periods(run); i++) {
        if (rollup_init(&run->period[i].rollup, ROLLUP_CUSTOMER, diag) != 0)
            return -1;
        if (date_spread_init(&run->period[i].spread) != 0)
            return diag_set(diag, "out of memory");
    }
    if (cfg->summary) {
        struct salesrun_summary *sum = &run->summary;
        sum->base = summary_base(run);
        if (rollup_init(&sum->table, ROLLUP_CUSTOMER, diag) != 0 ||
            prescriber_init(&sum->book, mode, 0, diag) != 0)
            return -1;
        if (date_spread_init(&sum->spread) != 0)
            return diag_set(diag, "out of memory");
    }
    if (cfg->cohorts) {     /* cl-cohort's default unit */
        if (cohort_sink_init(&run->cohort, COHORT_MONTH, diag) != 0)
            return -1;
        if (date_spread_init(&run->cohort_spread) != 0)
            return diag_set(diag, "out of memory");
    }
    return 0;
}

int salesrun_init(struct salesrun *run, const struct salesrun_config *config,
                  struct diag *diag)
{
    memset(run, 0, sizeof *run);
    run->cfg = *config;
    /* one sales file (the usual case) is taken as UTF-8 from its first MiB */
    run->quick_utf8 = !config->merge && !config->encoding && config->nfiles <= 1;
    if (date_spread_init(&run->period[0].spread) != 0)
        return diag_set(diag, "out of memory");
    return start(run, diag);
}

static void free_state(struct salesrun *run)
{
    for (size_t i = 0; i < salesrun_periods(run); i++) {
        rollup_free(&run->period[i].rollup);
        prescriber_free(&run->period[i].book);
        if (i > 0)
            date_spread_free(&run->period[i].spread);
    }
    free(run->sink.key);
    rollup_free(&run->summary.table);
    prescriber_free(&run->summary.book);
    date_spread_free(&run->summary.spread);
    cohort_sink_free(&run->cohort);
    date_spread_free(&run->cohort_spread);
    for (size_t i = 0; i <= SALES_MAX_BY; i++)
        free(run->header_store[i]);
    for (int i = 0; i < SALES_ROLES; i++)
        free(run->role_column[i]);
}

static void cohort_join(struct salesrun *run);

void salesrun_free(struct salesrun *run)
{
    if (run->cohort_build.state != 0) {     /* started, not handed over */
        cohort_join(run);
        cohort_table_free(&run->cohort_build.table);
        run->cohort_build.state = 0;
    }
    free_state(run);
    date_spread_free(&run->period[0].spread);
    memset(run, 0, sizeof *run);
}

/* The run as it was before the first file, to start again from when a
 * file taken as UTF-8 turns out not to be (see salesrun_read). */
static int restart(struct salesrun *run, struct diag *diag)
{
    free_state(run);
    struct salesrun_config cfg = run->cfg;
    struct date_spread spread = run->period[0].spread;
    memset(run, 0, sizeof *run);
    run->cfg = cfg;
    if (run->cfg.rejects)
        run->cfg.rejects->header_done = 0;
    /* the dates counted so far are counted again */
    run->period[0].spread = spread;
    memset(spread.years, 0, DATE_SPREAD_YEARS * sizeof *spread.years);
    run->period[0].spread.lines = 0;
    run->period[0].spread.last_day = INT32_MIN;
    if (start(run, diag) != 0)
        return -1;
    FILE *fp = cfg.rejects_fp;
    if (fp && (fflush(fp) != 0 || ftruncate(fileno(fp), 0) != 0 || fseek(fp, 0, SEEK_SET) != 0))
        return diag_set(diag, "cannot write %s: %s", cfg.rejects_name, strerror(errno));
    return 0;
}

/* ---- reading ---------------------------------------------------------- */

static void say_encoding(const struct salesrun *run, const char *path,
                         const struct encoding_result *enc)
{
    const char *name = strcmp(path, "-") ? path : "stdin";
    if (enc->guessed)
        run->cfg.hooks.encoding(name, enc);
    else if (run->cfg.verbose && enc->transcoded)
        say(run, "%s: read as %s", name, enc->from);
}

int salesrun_read(struct salesrun *run, const char *path, struct diag *diag)
{
    csvin *in;
    if (run->cfg.merge) {
        if (!(in = csvin_open(path, run->cfg.delim, diag)))
            return -1;
        int rc = read_partials(run, in, diag);
        csvin_close(in);
        return rc;
    }
    /* Sales exports come in any encoding: read them as UTF-8. The whole
     * file is checked first, except for a single input whose first MiB is
     * UTF-8: the reader checks every byte anyway, and should a later one
     * not be UTF-8, the run starts again with the file transcoded. */
    struct encoding_result enc;
    int checked_all = 1, fd;
    struct salesread_spool *spool = NULL;
    if (run->quick_utf8)
        fd = salesread_open_quick(path, &enc, &checked_all, &spool, diag);
    else
        fd = encoding_open(path, run->cfg.encoding, &enc, diag);
    if (fd < 0)
        return -1;
    say_encoding(run, path, &enc);
    run->quick_utf8 = !checked_all;
    int keep = run->quick_utf8 ? dup(fd) : -1;      /* to read it again */
    if (run->quick_utf8 && keep < 0)
        return diag_set(diag, "%s: %s", path, strerror(errno));
    if (!(in = csvin_open_fd(fd, path, run->cfg.delim, diag)))
        return -1;
    int spooled = spool != NULL;
    if (spool)
        salesread_spool_attach(spool, in);
    if (run->source < SALESRUN_MAX_SOURCES)
        run->sources[run->source] = path;
    int again = read_sales(run, in, diag);
    csvin_close(in);
    if (again < 0)
        return -1;
    if (salesread_spool_close(spool, diag) != 0)
        return -1;
    if (again) {
        if (restart(run, diag) != 0)
            return -1;
        run->quick_utf8 = 0;
        fd = encoding_recheck(keep, strcmp(path, "-") ? path : "stdin", &enc, diag);
        if (fd < 0)
            return -1;
        say_encoding(run, path, &enc);
        if (!(in = csvin_open_fd(fd, path, run->cfg.delim, diag)))
            return -1;
        if (run->source < SALESRUN_MAX_SOURCES)
            run->sources[run->source] = path;
        int rc = read_sales(run, in, diag);
        csvin_close(in);
        if (rc != 0)
            return -1;
    }
    if (keep >= 0 && spooled)
        salesread_close_later(keep);    /* the last descriptor of a pipe's copy */
    else if (keep >= 0)
        close(keep);
    run->source++;
    return 0;
}

/* ---- the checks -------------------------------------------------------- */

/* "--also PERIOD: " before a message on period i, nothing for the run's own. */
static void period_name(const struct salesrun *run, size_t i, char *name, size_t size)
{
    if (i == 0)
        name[0] = 0;
    else
        snprintf(name, size, "--also %s: ", run->cfg.also_text[i - 1]);
}

/* A period without a usable line is an error (a cron job must notice),
 * except for a partial run: a chunk of a split file may hold no usable line. */
static int check_used(const struct salesrun *run, size_t i, const char *input,
                      struct diag *diag)
{
    const struct salesread_counts *c = &run->period[i].counts;
    if (c->lines_used > 0 || run->cfg.partial)
        return 0;
    char name[128];
    period_name(run, i, name, sizeof name);
    if (i == 0)
        run->cfg.hooks.notes(c);
    if (c->lines_read == 0)
        return diag_set(diag, "%s: no data after the header", input);
    if (c->out_of_period > 0)
        return diag_set(diag, "%sno line in the period (%llu lines outside it)", name,
                        c->out_of_period);
    if (c->filtered > 0)
        return diag_set(diag, "%sno line meets --where", name);
    return diag_set(diag, "%sno usable line", name);
}

/* --per-prescriber: the sales without a prescriber are in no row; say how
 * many, and stop when no sale had one (an empty table must be noticed). */
static int report_direct(const struct salesrun *run, struct diag *diag)
{
    const struct salesrun_period *own = &run->period[0];
    if (!run->cfg.per_prescriber || own->book.direct_lines == 0)
        return 0;
    char revenue[64];
    format_money(own->book.direct_revenue, own->rollup.revenue_decimals, '.', revenue);
    if (rollup_keys(&own->rollup) == 0)
        return diag_set(diag, "no sale has a prescriber (%lld direct lines)",
                        (long long)own->book.direct_lines);
    say(run, "note: %lld lines without a prescriber (direct sales, revenue %s) are in no row",
        (long long)own->book.direct_lines, revenue);
    return 0;
}

/* The last sale, direct ones included when they are in no row. */
static int32_t last_sale(const struct salesrun *run, const struct salesrun_period *p)
{
    return run->prescribed > 0 ? prescriber_last_day(&p->book, &p->rollup) : p->rollup.max_day;
}

/* A recency measured from before the last sale would be negative: say
 * so rather than write it (--to leaves the later lines out). */
static int check_asof(const struct salesrun *run, size_t i, struct diag *diag)
{
    int32_t last_day = last_sale(run, &run->period[i]);
    if (run->cfg.has_asof && last_day != INT32_MIN && run->cfg.asof < last_day) {
        char name[128], asof[16], last[16], before[16];
        period_name(run, i, name, sizeof name);
        return diag_set(diag, "%s--asof %s is before the last sale kept (%s): recencies would "
                        "be negative; give a later --asof, or --to %s to leave the later "
                        "sales out", name, format_date(run->cfg.asof, asof),
                        format_date(last_day, last), format_date(run->cfg.asof - 1, before));
    }
    return 0;
}

static void say_nothing(const char *message)
{
    (void)message;
}

int salesrun_finish(struct salesrun *run, const char *input, struct diag *diag)
{
    for (size_t i = 0; i < salesrun_periods(run); i++)
        if (check_used(run, i, input, diag) != 0)
            return -1;
    if (report_direct(run, diag) != 0)
        return -1;
    int nsources = run->source < SALESRUN_MAX_SOURCES ? run->source : SALESRUN_MAX_SOURCES;
    for (size_t i = 0; i < salesrun_periods(run); i++)  /* named once, for the run's own */
        run->period[i].dates_outlying =
            salesread_outlying_dates(&run->period[i].spread, run->sources, nsources,
                                     i ? "" : "--from and --to leave such lines out",
                                     i ? say_nothing : run->cfg.hooks.warn);
    for (size_t i = 0; i < salesrun_periods(run); i++)
        if (check_asof(run, i, diag) != 0)
            return -1;
    if (run->cfg.summary)   /* counted here; the caller names them (salesread_outlying_dates) */
        run->summary.dates_outlying =
            salesread_outlying_dates(&run->summary.spread, run->sources, nsources, "",
                                     say_nothing);
    return 0;
}

/* ---- the outputs -------------------------------------------------------- */

void salesrun_write_ahead(struct salesrun *run, size_t i)
{
    if (!run->cfg.partial)
        (void)rollup_write_ahead(&run->period[i].rollup);
}

int salesrun_write(struct salesrun *run, size_t i, struct csvout *out, struct diag *diag)
{
    struct salesrun_period *p = &run->period[i];
    int32_t last_day = last_sale(run, p);
    struct rollup_output how = {
        .by_count = run->by_count,
        .header = run->header_names,
        .with_margin = run->with_margin,
        .asof = run->cfg.has_asof ? run->cfg.asof : last_day == INT32_MIN ? 0 : last_day + 1,
    };
    if (run->prescribed > 0 && prescriber_columns(&p->book, &p->rollup, &how, diag) != 0)
        return -1;
    return run->cfg.partial ? rollup_write_partial(&p->rollup, out, &how, diag)
                            : rollup_write(&p->rollup, out, &how, diag);
}

int salesrun_write_stats(struct salesrun *run, size_t i, struct csvout *out, struct diag *diag)
{
    struct salesrun_period *p = &run->period[i];
    /* the totals of the keys (--merge's partials rolled up) and their
     * distinct orders counted in place, as rollup_write does first: without
     * it the orders are counted on a copy of the (key, order) log, twice
     * its memory (partials have no totals in the stats) */
    if (!run->cfg.partial && rollup_settle(&p->rollup, diag) != 0)
        return -1;
    struct salesrollup_stats stats = {
        .counts = &p->counts, .dates_outlying = p->dates_outlying,
        .rollup = &p->rollup, .book = run->prescribed > 0 ? &p->book : NULL,
        .role_column = run->roles_known ? (const char *const *)run->role_column : NULL,
        .with_margin = run->with_margin, .partial = run->cfg.partial,
    };
    salesrollup_write_stats(out, &stats);
    return 0;
}

int salesrun_write_summary(struct salesrun *run, struct csvout *out, struct diag *diag)
{
    struct salesrun_summary *sum = &run->summary;
    struct salesrun_period *base = &run->period[sum->base];
    const struct rollup *rollup = sum->whole ? &sum->table : &base->rollup;
    /* (an empty table is not sorted: nothing to settle) */
    if ((rollup_keys(&sum->table) > 0 && rollup_settle(&sum->table, diag) != 0) ||
        (!sum->whole && rollup_settle(&base->rollup, diag) != 0))
        return -1;
    struct salesrollup_stats stats = {
        .counts = &sum->counts, .dates_outlying = sum->dates_outlying,
        .rollup = rollup, .book = run->prescribed > 0 ? &sum->book : NULL,
        .role_column = run->roles_known ? (const char *const *)run->role_column : NULL,
        .with_margin = run->with_margin,
        .outside = sum->whole || rollup_keys(&sum->table) == 0 ? NULL : &sum->table,
    };
    salesrollup_write_stats(out, &stats);
    return 0;
}

static int cohort_table_of(struct salesrun *run, struct cohort_table *table, struct diag *diag)
{
    memset(table, 0, sizeof *table);
    /* the run's own lines are among them: not expected, but said */
    if (run->cohort_counts.lines_used == 0)
        return diag_set(diag, "no usable line for the cohorts");
    struct cohort_options options = {
        .has_end = run->cfg.sales.has_to, .end = run->cfg.sales.to,
    };
    return cohort_table_build(table, &run->cohort.lines, &options, diag);
}

static void *build_cohorts(void *arg)
{
    struct salesrun *run = arg;
    run->cohort_build.rc = cohort_table_of(run, &run->cohort_build.table,
                                           &run->cohort_build.diag);
    cohort_lines_free(&run->cohort.lines);          /* read no more */
    return NULL;
}

void salesrun_cohort_start(struct salesrun *run, int threaded)
{
    if (run->cohort_build.state != 0)
        return;
    if (threaded && pthread_create(&run->cohort_build.thread, NULL, build_cohorts, run) == 0) {
        run->cohort_build.state = 2;
        return;
    }
    build_cohorts(run);
    run->cohort_build.state = 1;
}

/* salesrun_cohort_start's table, waited for when on its thread */
static void cohort_join(struct salesrun *run)
{
    if (run->cohort_build.state == 2) {
        pthread_join(run->cohort_build.thread, NULL);
        run->cohort_build.state = 1;
    }
}

int salesrun_cohort_table(struct salesrun *run, struct cohort_table *table, struct diag *diag)
{
    if (run->cohort_build.state == 0)
        return cohort_table_of(run, table, diag);
    cohort_join(run);
    run->cohort_build.state = 0;
    *table = run->cohort_build.table;
    memset(&run->cohort_build.table, 0, sizeof run->cohort_build.table);
    if (run->cohort_build.rc != 0) {
        *diag = run->cohort_build.diag;
        return -1;
    }
    return 0;
}
