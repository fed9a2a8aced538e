/* cl-rollup — sales lines in, one row per customer out: the options, the
 * files opened, the run (lib/salesrun.c) and its outputs written. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cli_opts.h"
#include "cli_xlsx.h"
#include "cli_sales.h"
#include "encoding.h"
#include "csvio.h"
#include "parse.h"
#include "salesrollup.h"
#include "salesrun.h"

/* --also: another period rolled up in the same pass, its output and
 * stats as a run with that period alone would write them. */
struct also {
    char *text;                 /* the period as given (pairs --also and --also-stats), owned */
    struct salesrollup_period days;
    const char *output, *stats; /* NULL: not written */
    int xlsx;                   /* output is a workbook (its name) */
};

struct options {
    struct cli_common common;   /* -d, --strict, -o, --excel, --xlsx */
    struct sales_request sales;
    struct also also[SALESRUN_MAX_ALSO];
    size_t nalso;
    const char *cohorts;        /* --also cohorts=FILE (NULL: not written) */
    const char *summary_file;   /* --also summary=FILE (NULL: not written) */
    int has_asof;
    int32_t asof;
    const char *rejects;
    const char *stats;
    long threads;               /* 0: one per processor */
    int partial, merge;
    int per_prescriber;         /* --per-prescriber */
    int summary;                /* --summary: the run's counts are the output */
};

static int32_t parse_date_option(const char *option, const char *arg)
{
    struct datetime dt;
    if (parse_date(arg, strlen(arg), NULL, DATE_DMY, &dt) != PARSE_OK)
        cli_usage("%s: \"%s\" is not a date (YYYY-MM-DD)", option, arg);
    return dt.days;
}

/* --month YYYY-MM: a period as salesrollup_period_parse reads it, a month only. */
static void parse_month(struct options *opt, const char *arg)
{
    struct salesrollup_period p;
    struct diag diag;
    if (strstr(arg, "..") || salesrollup_period_parse(arg, strlen(arg), &p, &diag) != 0)
        cli_usage("--month: \"%s\" is not a month (YYYY-MM)", arg);
    opt->sales.from = p.from;
    opt->sales.to = p.to;
    opt->sales.has_from = opt->sales.has_to = 1;
}

/* --also PERIOD=FILE: PERIOD is YYYY-MM, FROM..TO, FROM.. or ..TO. */
static void parse_also(struct options *opt, const char *option, const char *arg, int stats)
{
    const char *eq = strchr(arg, '=');
    if (!eq || eq == arg || !eq[1])
        cli_usage("%s: \"%s\" is not PERIOD=FILE", option, arg);
    size_t len = (size_t)(eq - arg);
    if (!stats && len == 7 && memcmp(arg, "cohorts", 7) == 0) {
        if (opt->cohorts)
            cli_usage("%s: cohorts is given twice", option);
        opt->cohorts = eq + 1;
        return;
    }
    if (!stats && len == 7 && memcmp(arg, "summary", 7) == 0) {
        if (opt->summary_file)
            cli_usage("%s: summary is given twice", option);
        opt->summary_file = eq + 1;
        return;
    }
    struct also *a = NULL;
    for (size_t i = 0; i < opt->nalso && !a; i++)
        if (strlen(opt->also[i].text) == len && memcmp(opt->also[i].text, arg, len) == 0)
            a = &opt->also[i];
    if (!a) {
        if (opt->nalso == SALESRUN_MAX_ALSO)
            cli_usage("%s: at most %d periods", option, SALESRUN_MAX_ALSO);
        a = &opt->also[opt->nalso++];
        struct diag diag;
        if (salesrollup_period_parse(arg, len, &a->days, &diag) != 0)
            cli_usage("%s: %s", option, diag.message);
        if (!(a->text = strndup(arg, len)))
            cli_die("out of memory");
    }
    const char **file = stats ? &a->stats : &a->output;
    if (*file)
        cli_usage("%s: the period %s is given twice", option, a->text);
    *file = eq + 1;
}

_Noreturn static void usage(void)
{
    fputs("Usage: cl-rollup [OPTION]... [FILE]...\n"
          "Roll sales lines (one row per invoice line) up into one row per customer:\n"
          "revenue, margin, quantity, lines, orders, first and last date, recency,\n"
          "tenure, average order. FILE is a CSV file, or - for standard input.\n"
          "\n"
          "Columns (found by name; without a flag, by a known English or French alias):\n",
          stdout);
    cli_sales_help(CLI_SALES_HELP_COLUMNS);
    cli_help_line("--order COL", "order or invoice id (without it: distinct days)");
    cli_help_line("--cost COL", "unit cost (margin = amount - quantity x cost)");
    cli_help_line("--margin COL", "line margin");
    cli_help_line("-g, --group COL[,COL]", "group by these columns too, after the customer");
    cli_sales_help(CLI_SALES_HELP_FILTERS);
    cli_help_line("--prescriber COL", "who prescribed the sale (doctor, architect, referrer);\n"
                  "when there is one, each customer gets prescribers,\n"
                  "prescription_share and prescribed_revenue");
    fputs("\n"
          "Prescribers:\n", stdout);
    cli_help_line("--per-prescriber", "one row per prescriber instead of per customer:\n"
                  "prescribed revenue, margin, lines, orders, dates,\n"
                  "recency and the clients brought; sales without a\n"
                  "prescriber are direct, counted on stderr");
    fputs("\n"
          "Period:\n", stdout);
    cli_help_line("--from DATE", "first day included");
    cli_help_line("--to DATE", "last day included");
    cli_help_line("--month YYYY-MM", "one calendar month");
    cli_help_line("--asof DATE", "measure recency from DATE (default: the day after\n"
                  "the last sale in the data)");
    cli_help_line("--also PERIOD=FILE", "also roll another period up into FILE, in the same\n"
                  "pass (PERIOD: YYYY-MM, FROM..TO, FROM.. or ..TO);\n"
                  "repeat it for more periods; cohorts=FILE: the monthly\n"
                  "cohorts of the lines up to --to (all of them without\n"
                  "it), as cl-cohort writes them up to that day;\n"
                  "summary=FILE: the whole file's counts, as --summary\n"
                  "without --from, --to or --month writes them");
    cli_help_line("--also-stats PERIOD=FILE", "that period's --stats into FILE");
    fputs("\n"
          "Input:\n", stdout);
    cli_sales_help(CLI_SALES_HELP_INPUT);
    fputs("\n"
          "Scale:\n", stdout);
    cli_help_line("--partial", "write exact partial aggregates (customer and order)");
    cli_help_line("--merge", "read partial aggregates and finish the roll-up");
    fputs("\n"
          "Output:\n", stdout);
    cli_help_common(CLI_HELP_OUTPUT | CLI_HELP_EXCEL | CLI_HELP_XLSX);
    cli_help_line("-s, --summary", "write the counts of --stats instead of the customers\n"
                  "(no roll-up formatted; --also periods still are)");
    cli_help_line("--stats FILE", "write counts (lines read, used, rejected by reason)\n"
                  "and the column taken for each role");
    cli_help_line("--threads N", "threads for a regular file (default: one per processor)");
    cli_help_common(CLI_HELP_END);
    fputs("\nExit status: 0 success, 1 data or runtime error, 2 usage error.\n", stdout);
    exit(0);
}

static void parse_options(struct options *opt, int argc, char **argv)
{
    enum {
        O_COST = 256, O_MARGIN, O_BY, O_FROM, O_TO, O_MONTH, O_ASOF, O_REJECTS, O_PARTIAL,
        O_MERGE, O_STATS, O_THREADS, O_PRESCRIBER, O_PER_PRESCRIBER, O_ALSO, O_ALSO_STATS
    };
    static const struct option longopts[] = {
        CLI_SALES_LONGOPTS,
        { "cost", required_argument, NULL, O_COST },
        { "margin", required_argument, NULL, O_MARGIN },
        { "group", required_argument, NULL, 'g' },
        { "from", required_argument, NULL, O_FROM },
        { "to", required_argument, NULL, O_TO },
        { "month", required_argument, NULL, O_MONTH },
        { "asof", required_argument, NULL, O_ASOF },
        { "also", required_argument, NULL, O_ALSO },
        { "also-stats", required_argument, NULL, O_ALSO_STATS },
        { "rejects", required_argument, NULL, O_REJECTS },
        { "partial", no_argument, NULL, O_PARTIAL },
        { "merge", no_argument, NULL, O_MERGE },
        { "stats", required_argument, NULL, O_STATS },
        { "summary", no_argument, NULL, 's' },
        { "threads", required_argument, NULL, O_THREADS },
        { "prescriber", required_argument, NULL, O_PRESCRIBER },
        { "per-prescriber", no_argument, NULL, O_PER_PRESCRIBER },
        /* old spellings, for one release (NEWS) */
        { "by", required_argument, NULL, O_BY },
        { NULL, 0, NULL, 0 }
    };
    struct sales_request *r = &opt->sales;
    int c, month = 0, period = 0;
    while ((c = cli_getopt(argc, argv, "c:g:s", longopts, CLI_SALES_COMMON, &opt->common)) != -1) {
        switch (c) {
        case O_COST: r->cost = optarg; break;
        case O_MARGIN: r->margin = optarg; break;
        case O_BY:
            cli_deprecated("--by", "--group");
            /* fall through */
        case 'g': r->by = optarg; break;
        case O_FROM:
            r->from = parse_date_option("--from", optarg);
            r->has_from = 1;
            period = 1;
            break;
        case O_TO: r->to = parse_date_option("--to", optarg); r->has_to = 1; period = 1; break;
        case O_MONTH: parse_month(opt, optarg); month = 1; break;
        case O_ASOF: opt->asof = parse_date_option("--asof", optarg); opt->has_asof = 1; break;
        case O_ALSO: parse_also(opt, "--also", optarg, 0); break;
        case O_ALSO_STATS: parse_also(opt, "--also-stats", optarg, 1); break;
        case O_REJECTS: opt->rejects = optarg; break;
        case O_PARTIAL: opt->partial = 1; break;
        case O_MERGE: opt->merge = 1; break;
        case O_STATS: opt->stats = optarg; break;
        case 's': opt->summary = 1; break;
        case O_THREADS: opt->threads = cli_parse_long("--threads", optarg, 1, 256); break;
        case O_PRESCRIBER: r->prescriber = optarg; break;
        case O_PER_PRESCRIBER: opt->per_prescriber = 1; r->prescriber_required = 1; break;
        case 'h': usage();
        default:
            if (!cli_sales_option(c, optarg, r))
                cli_bad_option(c, argv);
        }
    }
    r->mark = opt->common.mark;     /* --decimal-comma, --decimal-point */
    if (month && period)
        cli_usage("--month cannot be combined with --from or --to");
    if (r->amount && r->price)
        cli_usage("give --amount, or --quantity with --price, not both");
    if (r->cost && r->margin)
        cli_usage("give --cost or --margin, not both");
    if (opt->partial && opt->merge)
        cli_usage("--partial and --merge cannot be combined");
    if (opt->summary && opt->stats)
        cli_usage("--summary writes the counts of --stats as the output: give one");
    if (opt->summary && opt->partial)
        cli_usage("--summary and --partial are two outputs: give one");
    if (opt->partial && opt->per_prescriber)
        cli_usage("--per-prescriber goes with --merge: --partial writes the same partials "
                  "for both roll-ups");
    if (opt->merge && (r->amount || r->quantity || r->price || r->cost || r->order ||
                       r->date || r->margin || r->customer || r->by || opt->rejects ||
                       r->keep_spaces || r->credit_prefix || r->where_count ||
                       r->prescriber))
        cli_usage("--merge reads cl-rollup --partial output: column options do not apply");
    if (r->has_from && r->has_to && r->from > r->to)
        cli_usage("the period is empty: --from is after --to");
    if (opt->cohorts && (opt->partial || opt->merge || opt->per_prescriber))
        cli_usage("--also cohorts=FILE goes with a roll-up of sales lines, not with "
                  "--partial, --merge or --per-prescriber");
    if (opt->cohorts && r->by)
        cli_usage("--also cohorts=FILE: the cohorts are of clients, not of --group values");
    if (opt->summary_file && (opt->partial || opt->merge || opt->per_prescriber))
        cli_usage("--also summary=FILE goes with a roll-up of sales lines, not with "
                  "--partial, --merge or --per-prescriber");
    if (opt->nalso && (opt->partial || opt->merge || opt->per_prescriber))
        cli_usage("--also and --also-stats go with a roll-up of sales lines, not with "
                  "--partial, --merge or --per-prescriber");
    size_t files = 1 + (opt->rejects != NULL) + (opt->stats != NULL) + (opt->cohorts != NULL) +
                   (opt->summary_file != NULL);
    for (size_t i = 0; i < opt->nalso; i++)
        files += (opt->also[i].output != NULL) + (opt->also[i].stats != NULL);
    if (files > 8)
        cli_usage("too many output files (%zu): at most 8 with --also and --also-stats", files);
}


/* ---- what the run says ------------------------------------------------- */

static struct options opt;

static void warn_message(const char *message)
{
    cli_warn("%s", message);
}

static void say_encoding(const char *name, const struct encoding_result *enc)
{
    cli_say_encoding(name, enc);    /* as every program */
}

static void date_order(csvin *in, struct sales_layout *layout)
{
    cli_sales_date_order(in, layout, cli_is_verbose(), opt.common.strict, opt.partial);
}

static void progress(unsigned long long lines)
{
    cli_progress("lines", lines);
}

static void notes(const struct salesread_counts *counts)
{
    cli_sales_notes(counts, opt.rejects != NULL);
}

/* What the cohorts left out, said as theirs. */
static void cohort_note(const char *message)
{
    cli_warn("--also cohorts: %s", message);
}

/* What the whole file's dates say, as a run without a period says it. */
static void summary_note(const char *message)
{
    cli_warn("--also summary: %s", message);
}

/* --also summary=FILE: the whole file's counts into fp (before any roll-up
 * is written: see salesrun_write_summary). */
static void write_summary(struct salesrun *run, FILE *fp, int xlsx)
{
    struct diag diag;
    struct csvout out;
    csvout_init(&out, fp, opt.common.excel);
    xlsx_book *book = cli_xlsx_start(&out, opt.summary_file, xlsx);
    if (salesrun_write_summary(run, &out, &diag) != 0)
        cli_die_diag(&diag);
    cli_xlsx_finish(book, fp);
}

/* --also cohorts=FILE: the table of the run's cohort cells into fp, and
 * what it left out (its lines' outlying dates, the clients who never
 * bought, returns before a first purchase), said as cl-cohort says it. */
static void write_cohorts(struct salesrun *run, FILE *fp, int xlsx)
{
    struct cohort_table table;
    struct diag diag;
    if (salesrun_cohort_table(run, &table, &diag) != 0)
        cli_die("--also cohorts: %s", diag.message);
    struct csvout out;
    csvout_init(&out, fp, opt.common.excel);
    xlsx_book *book = cli_xlsx_start(&out, opt.cohorts, xlsx);
    cohort_write(&table, &out);
    cli_xlsx_finish(book, fp);
    int n = run->source < SALESRUN_MAX_SOURCES ? run->source : SALESRUN_MAX_SOURCES;
    salesread_outlying_dates(&run->cohort_spread, run->sources, n,
                             "correct it in the data; --to leaves later lines out", cohort_note);
    cohort_table_notes(&table, cohort_note);
    cohort_table_free(&table);
}

int main(int argc, char **argv)
{
    static struct salesrun run;
    static struct salesread_rejects rejects;
    static struct csvout rejects_out;
    struct diag diag;
    cli_init(argv[0]);
    parse_options(&opt, argc, argv);
    opt.common.xlsx = cli_xlsx_wanted(opt.common.output, opt.common.xlsx, opt.common.excel);
    for (size_t i = 0; i < opt.nalso; i++)
        opt.also[i].xlsx = cli_xlsx_wanted(opt.also[i].output, 0, opt.common.excel);

    int nfiles = argc - optind;
    struct salesrun_config cfg = {
        .sales = opt.sales, .delim = opt.common.delim, .encoding = encoding_input_name(),
        .threads = opt.threads, .strict = opt.common.strict, .partial = opt.partial,
        .merge = opt.merge, .per_prescriber = opt.per_prescriber, .verbose = cli_is_verbose(),
        .has_asof = opt.has_asof, .asof = opt.asof, .nalso = opt.nalso,
        .cohorts = opt.cohorts != NULL, .summary = opt.summary_file != NULL,
        .nfiles = (size_t)nfiles, .rejects = &rejects, .rejects_name = opt.rejects,
        .hooks = { warn_message, say_encoding, date_order, progress, notes },
    };
    /* each period's output (NULL: not written; the run's own: stdout) and stats */
    FILE *out_fp[1 + SALESRUN_MAX_ALSO], *stats_fp[1 + SALESRUN_MAX_ALSO];
    const char *out_name[1 + SALESRUN_MAX_ALSO] = { opt.common.output };
    int xlsx[1 + SALESRUN_MAX_ALSO] = { opt.common.xlsx };
    out_fp[0] = cli_sales_open(nfiles, argv + optind, opt.common.output, opt.rejects,
                               opt.common.strict, &rejects, &rejects_out, &cfg.rejects_fp);
    stats_fp[0] = opt.stats ? cli_output(opt.stats) : NULL;
    for (size_t i = 0; i < opt.nalso; i++) {
        struct also *a = &opt.also[i];
        cfg.also[i] = a->days;
        cfg.also_text[i] = a->text;
        out_name[i + 1] = a->output;
        xlsx[i + 1] = a->xlsx;
        out_fp[i + 1] = a->output ? cli_output(a->output) : NULL;
        stats_fp[i + 1] = a->stats ? cli_output(a->stats) : NULL;
    }
    FILE *cohorts_fp = opt.cohorts ? cli_output(opt.cohorts) : NULL;
    FILE *summary_fp = opt.summary_file ? cli_output(opt.summary_file) : NULL;
    if (salesrun_init(&run, &cfg, &diag) != 0)
        cli_die_diag(&diag);
    if (nfiles == 0 && salesrun_read(&run, "-", &diag) != 0)
        cli_die_diag(&diag);
    for (int i = optind; i < argc; i++)
        if (salesrun_read(&run, argv[i], &diag) != 0)
            cli_die_diag(&diag);
    cli_progress_done();
    if (salesrun_finish(&run, cli_sales_input_name(nfiles, argv + optind), &diag) != 0)
        cli_die_diag(&diag);
    /* the cohorts' table built beside the roll-ups' outputs (their
     * settling and sorts are on one thread), taken where it is written */
    if (cohorts_fp)
        salesrun_cohort_start(&run, opt.threads != 1);
    /* with --also summary, written first (it settles the widest period's
     * pairs), the roll-ups' keys sorted for their rows beside it and the
     * outputs before them; without it, each roll-up's keys are sorted after
     * its settling, as their memory is not held at once (a large roll-up
     * alone: the peak of its writing) */
    if (summary_fp && opt.threads != 1)
        for (size_t i = 0; i < salesrun_periods(&run); i++)
            if (out_fp[i] && !(i == 0 && opt.summary))
                salesrun_write_ahead(&run, i);

    if (summary_fp)
        write_summary(&run, summary_fp, cli_xlsx_wanted(opt.summary_file, 0, opt.common.excel));
    for (size_t i = 0; i < salesrun_periods(&run); i++) {
        if (out_fp[i]) {
            struct csvout out;
            csvout_init(&out, out_fp[i], opt.common.excel);
            out.threads = opt.threads == 1;     /* the rows formatted on one thread */
            xlsx_book *book = cli_xlsx_start(&out, out_name[i], xlsx[i]);
            int rc = i == 0 && opt.summary ? salesrun_write_stats(&run, i, &out, &diag)
                                           : salesrun_write(&run, i, &out, &diag);
            if (rc != 0)
                cli_die_diag(&diag);
            cli_xlsx_finish(book, out_fp[i]);
        }
        if (stats_fp[i]) {
            struct csvout out;
            csvout_init(&out, stats_fp[i], 0);
            if (salesrun_write_stats(&run, i, &out, &diag) != 0)
                cli_die_diag(&diag);
        }
    }
    if (cohorts_fp)
        write_cohorts(&run, cohorts_fp, cli_xlsx_wanted(opt.cohorts, 0, opt.common.excel));
    if (summary_fp) {
        int n = run.source < SALESRUN_MAX_SOURCES ? run.source : SALESRUN_MAX_SOURCES;
        salesread_outlying_dates(&run.summary.spread, run.sources, n,
                                 "--from and --to leave such lines out", summary_note);
    }
    const struct salesread_counts *counts = &run.period[0].counts;
    cli_sales_notes(counts, opt.rejects != NULL);
    if (counts->ids_trimmed > 0)
        cli_warn("%llu of %llu lines had spaces around the customer id or a --group value, "
                 "trimmed (--keep-spaces keeps them)", counts->ids_trimmed, counts->lines_used);
    cli_output_commit();
    salesrun_free(&run);
    for (size_t i = 0; i < opt.nalso; i++)
        free(opt.also[i].text);
    return 0;
}
