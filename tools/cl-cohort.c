/* cl-cohort — sales lines in, retention by acquisition cohort out: one row
 * per (cohort, period since acquisition), or with --summary one row per
 * period since acquisition. The lines are read as cl-rollup reads them
 * (lib/salesread.c); the table is lib/cohort.c. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cli_opts.h"
#include "cli_sales.h"
#include "cli_xlsx.h"
#include "cohort.h"
#include "cohort_read.h"
#include "csvio.h"
#include "encoding.h"
#include "parse.h"
#include "sales.h"
#include "salesread.h"

_Noreturn static void usage(void)
{
    fputs("Usage: cl-cohort [OPTION]... [FILE]...\n"
          "Retention by acquisition cohort: clients grouped by the period of their first\n"
          "purchase, and for each cohort and each period since, how many bought and for\n"
          "how much. FILE is a CSV of sales lines (one row per invoice line), or - for\n"
          "standard input.\n"
          "\n"
          "Columns (found by name; without a flag, by a known English or French alias):\n",
          stdout);
    cli_sales_help(CLI_SALES_HELP_COLUMNS);
    cli_help_line("--order COL", "order id (only for --credit-prefix)");
    cli_sales_help(CLI_SALES_HELP_FILTERS);
    fputs("\n"
          "Cohorts:\n",
          stdout);
    cli_help_line("-u, --unit UNIT", "the cohorts' period: week, month (default) or\n"
                  "quarter");
    cli_help_line("--unbounded", "active in a period = bought then or in any later period\n"
                  "(default: bought in exactly that period)");
    cli_help_line("--from PERIOD", "first cohort kept: its label (2011-01, 2011-Q1, 2011-W05)\n"
                  "or a date in it (YYYY-MM-DD)");
    cli_help_line("--to PERIOD", "last cohort kept");
    cli_help_line("--until DATE", "read the sales up to DATE included (later lines are\n"
                  "left out and counted): the data end on DATE");
    cli_help_line("-s, --summary", "one row per period since acquisition: the retention\n"
                  "averaged over the cohorts, weighted by their size");
    fputs("\n"
          "Input:\n",
          stdout);
    cli_sales_help(CLI_SALES_HELP_INPUT);
    fputs("\n"
          "Output:\n",
          stdout);
    cli_help_common(CLI_HELP_OUTPUT | CLI_HELP_EXCEL | CLI_HELP_XLSX);
    cli_help_line("--threads N", "threads for a regular file (default: one per processor)");
    cli_help_common(CLI_HELP_END);
    fputs("\nExit status: 0 success, 1 data or runtime error, 2 usage error.\n", stdout);
    exit(0);
}

struct options {
    struct cli_common common;   /* -d, --strict, -o, --excel, --xlsx */
    struct sales_request sales;
    enum cohort_period period;
    struct cohort_options cohorts;
    const char *from, *to;      /* as given, read once the period is known */
    const char *rejects;
    long threads;               /* 0: one per processor */
    int summary;
};

/* The files whose lines date_spread remembers (more are read, but their
 * outlying dates are only counted). */
#define MAX_SOURCES 64

struct run {
    struct options opt;
    struct cohort_sink sink;    /* the result, and the sequential path's sink */
    struct salesread_counts counts;
    struct date_spread spread;  /* the years of the lines used */
    const char *sources[MAX_SOURCES]; /* the files read, for the date warnings */
    int source;                 /* the file being read (index in sources) */
    FILE *rejects_fp;
    struct csvout rejects_out;
    struct salesread_rejects rejects;
};

static void parse_options(struct options *opt, int argc, char **argv)
{
    enum {
        O_PERIOD = 256, O_UNBOUNDED, O_FROM, O_TO, O_REJECTS, O_THREADS, O_UNTIL
    };
    static const struct option longopts[] = {
        CLI_SALES_LONGOPTS,
        { "unit", required_argument, NULL, 'u' },
        { "unbounded", no_argument, NULL, O_UNBOUNDED },
        { "from", required_argument, NULL, O_FROM },
        { "to", required_argument, NULL, O_TO },
        { "summary", no_argument, NULL, 's' },
        { "until", required_argument, NULL, O_UNTIL },
        { "rejects", required_argument, NULL, O_REJECTS },
        { "threads", required_argument, NULL, O_THREADS },
        /* old spellings, for one release (NEWS) */
        { "period", required_argument, NULL, O_PERIOD },
        { NULL, 0, NULL, 0 }
    };
    struct sales_request *r = &opt->sales;
    opt->period = COHORT_MONTH;
    int c;
    while ((c = cli_getopt(argc, argv, "c:u:s", longopts, CLI_SALES_COMMON, &opt->common)) != -1) {
        switch (c) {
        case O_PERIOD:
            cli_deprecated("--period", "--unit (-u)");
            /* fall through */
        case 'u':
            if (cohort_period_parse(optarg, &opt->period) != 0)
                cli_usage("--unit: \"%s\" is not week, month or quarter", optarg);
            break;
        case O_UNBOUNDED: opt->cohorts.unbounded = 1; break;
        case O_FROM: opt->from = optarg; break;
        case O_TO: opt->to = optarg; break;
        case 's': opt->summary = 1; break;
        case O_UNTIL: {
            struct datetime dt;
            if (parse_date(optarg, strlen(optarg), "%Y-%m-%d", DATE_DMY, &dt) != PARSE_OK)
                cli_usage("--until: \"%s\" is not a date (YYYY-MM-DD)", optarg);
            r->has_to = opt->cohorts.has_end = 1;
            r->to = opt->cohorts.end = dt.days;
            break;
        }
        case O_REJECTS: opt->rejects = optarg; break;
        case O_THREADS: opt->threads = cli_parse_long("--threads", optarg, 1, 256); break;
        case 'h': usage();
        default:
            if (!cli_sales_option(c, optarg, r))
                cli_bad_option(c, argv);
        }
    }
    r->mark = opt->common.mark;     /* --decimal-comma, --decimal-point */
    if (r->amount && r->price)
        cli_usage("give --amount, or --quantity with --price, not both");
    static const char *const forms[] = { "2011-W05", "2011-01", "2011-Q1" };
    const char *given[2] = { opt->from, opt->to };
    int32_t *index[2] = { &opt->cohorts.from, &opt->cohorts.to };
    int *has[2] = { &opt->cohorts.has_from, &opt->cohorts.has_to };
    for (int i = 0; i < 2; i++) {
        if (!given[i])
            continue;
        if (cohort_period_read(opt->period, given[i], index[i]) != 0)
            cli_usage("--%s: \"%s\" is not a %s (%s) nor a date (YYYY-MM-DD)",
                      i ? "to" : "from", given[i], cohort_period_name(opt->period),
                      forms[opt->period]);
        *has[i] = 1;
    }
    if (opt->cohorts.has_from && opt->cohorts.has_to && opt->cohorts.from > opt->cohorts.to)
        cli_usage("no cohort to keep: --from is after --to");
}

/* ---- reading ---------------------------------------------------------- */

/* Read a regular file in parallel ranges, one sink per thread.
 * @return 1 done, 0 fall back to the sequential reader (nothing was added). */
static int read_parallel(struct run *run, csvin *in, const struct sales_layout *lay,
                         const struct sales_marks *marks)
{
    if (run->opt.rejects || run->opt.common.strict)
        return 0;
    long n = salesread_threads(in, run->opt.threads);
    if (n == 0)
        return 0;
    struct diag diag;
    int done = cohort_read_parallel(in, lay, marks, n, &run->sink, &run->counts, &run->spread,
                                    run->source, &diag);
    if (done < 0)
        cli_die_diag(&diag);
    return done;
}

static void progress(unsigned long long lines)
{
    cli_progress("lines", lines);
}

/* --verbose: the delimiter and the column each role took. */
static void verbose_roles(csvin *in, const struct sales_layout *lay, char delim_given)
{
    char line[1024];
    cli_verbose_dialect(csvin_name(in), csvin_delim(in), delim_given != 0);
    cli_verbose("%s: columns: %s", csvin_name(in),
                sales_layout_describe(lay, csvin_column_names(in), line, sizeof line));
}

static void read_file(struct run *run, const char *path)
{
    struct diag diag;
    struct sales_layout lay;
    struct sales_marks marks;
    /* sales exports come in any encoding: read them as UTF-8, by --encoding
     * or detected, and said as every program says it */
    int fd = encoding_open_input(path, &diag);
    if (fd < 0)
        cli_die_diag(&diag);
    csvin *in = csvin_open_fd(fd, path, run->opt.common.delim, &diag);
    if (run->source < MAX_SOURCES)
        run->sources[run->source] = path;
    if (!in || salesread_layout(in, &run->opt.sales, &lay, &marks, &diag) != 0)
        cli_die_diag(&diag);
    if (cli_is_verbose())
        verbose_roles(in, &lay, run->opt.common.delim);
    cli_sales_date_order(in, &lay, cli_is_verbose(), run->opt.common.strict, 0);
    if (!read_parallel(run, in, &lay, &marks) &&
        salesread_sequential(in, &lay, &marks, cohort_read_add, &run->sink, &run->rejects,
                             progress, &run->counts, &run->spread, run->source, &diag) != 0)
        cli_die_diag(&diag);
    csvin_close(in);
    run->source++;
}

/* ---- what was left out ------------------------------------------------ */

static void warn_message(const char *message)
{
    cli_warn("%s", message);
}

static void report(const struct run *run, const struct cohort_table *table)
{
    /* a placeholder date makes a cohort or a period of its own */
    salesread_outlying_dates(&run->spread, run->sources,
                             run->source < MAX_SOURCES ? run->source : MAX_SOURCES,
                             "correct it in the data; --until leaves later lines out",
                             warn_message);
    cli_sales_notes(&run->counts, run->opt.rejects != NULL);
    if (run->counts.ids_trimmed > 0)
        cli_warn("%llu of %llu lines had spaces around the customer id, trimmed "
                 "(--keep-spaces keeps them)", run->counts.ids_trimmed, run->counts.lines_used);
    if (run->counts.out_of_period > 0)
        cli_warn("%llu lines after --until left out", run->counts.out_of_period);
    if (!table)
        return;
    cohort_table_notes(table, warn_message);
}

int main(int argc, char **argv)
{
    static struct run run;
    struct diag diag;
    cli_init(argv[0]);
    parse_options(&run.opt, argc, argv);
    struct cli_common *co = &run.opt.common;
    co->xlsx = cli_xlsx_wanted(co->output, co->xlsx, co->excel);
    FILE *out_fp = cli_sales_open(argc - optind, argv + optind, co->output, run.opt.rejects,
                                  co->strict, &run.rejects, &run.rejects_out, &run.rejects_fp);
    if (cohort_sink_init(&run.sink, run.opt.period, &diag) != 0 ||
        (date_spread_init(&run.spread) != 0 && diag_set(&diag, "out of memory")))
        cli_die_diag(&diag);
    if (optind == argc)
        read_file(&run, "-");
    for (int i = optind; i < argc; i++)
        read_file(&run, argv[i]);
    cli_progress_done();
    if (run.counts.lines_used == 0) {
        report(&run, NULL);
        if (run.counts.lines_read == 0)
            cli_die("%s: no data after the header",
                    cli_sales_input_name(argc - optind, argv + optind));
        if (run.counts.out_of_period > 0)
            cli_die("no line up to --until (%llu lines after it)", run.counts.out_of_period);
        if (run.counts.filtered > 0)
            cli_die("no line meets --where");
        cli_die("no usable line");
    }

    struct cohort_table table;
    if (cohort_table_build(&table, &run.sink.lines, &run.opt.cohorts, &diag) != 0) {
        report(&run, NULL);
        cli_die_diag(&diag);
    }
    struct csvout out;
    csvout_init(&out, out_fp, co->excel);
    xlsx_book *book = cli_xlsx_start(&out, co->output, co->xlsx);
    if (run.opt.summary)
        cohort_write_summary(&table, &out);
    else
        cohort_write(&table, &out);
    report(&run, &table);
    cli_xlsx_finish(book, out_fp);
    cli_output_commit();
    cohort_table_free(&table);
    cohort_sink_free(&run.sink);
    date_spread_free(&run.spread);
    return 0;
}
