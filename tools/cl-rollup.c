/* cl-rollup — sales lines in, one row per customer out. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "cli_opts.h"
#include "cli_xlsx.h"
#include "cli_sales.h"
#include "csvio.h"
#include "datespread.h"
#include "encoding.h"
#include "parse.h"
#include "prescriber.h"
#include "rollup.h"
#include "sales.h"
#include "salesread.h"
#include "salesrollup.h"

/* --also: another period rolled up in the same pass, its output and
 * stats as a run with that period alone would write them. */
#define MAX_ALSO 6
struct also {
    char *text;                 /* the period as given (pairs --also and --also-stats), owned */
    int has_from, has_to;
    int32_t from, to;
    const char *output, *stats; /* NULL: not written */
    int xlsx;                   /* output is a workbook (its name) */
    FILE *output_fp, *stats_fp;
    struct rollup rollup;
    struct prescriber_book book;
    struct salesread_counts counts;
    struct date_spread spread;
};

struct options {
    struct sales_request sales;
    struct also also[MAX_ALSO];
    size_t nalso;
    int has_asof;
    int32_t asof;
    char delim;
    const char *rejects;
    const char *output;
    const char *stats;
    const char *encoding;       /* NULL: detect */
    long threads;               /* 0: one per processor */
    int strict, partial, merge, excel, xlsx;
    int per_prescriber;         /* --per-prescriber */
    int verbose;
};

/* The files whose lines date_spread remembers (more are read, but their
 * outlying dates are only counted). */
#define MAX_SOURCES 64

struct run {
    struct options opt;
    struct rollup rollup;
    const char *header_names[SALES_MAX_BY + 1];
    char *header_store[SALES_MAX_BY + 1];
    size_t by_count;
    int with_margin;
    int have_header;
    int quick_utf8;             /* the only input was taken as UTF-8 from its first MiB */
    struct salesread_counts counts;
    unsigned long long dates_outlying;  /* lines dated far outside the others */
    char *role_column[SALES_ROLES]; /* the first file's column per role (NULL: none) */
    int roles_known;
    FILE *rejects_fp;
    struct csvout rejects_out;
    struct salesread_rejects rejects;
    struct salesrollup_sink sink;   /* the sequential path's */
    struct date_spread spread;  /* the years of the lines used */
    const char *sources[MAX_SOURCES]; /* the files read, for the date warnings */
    int source;                 /* the file being read (index in sources) */
    struct prescriber_book book;
    int prescribed;             /* -1 not known yet, 0 no prescriber column, 1 one */
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
    struct also *a = NULL;
    for (size_t i = 0; i < opt->nalso && !a; i++)
        if (strlen(opt->also[i].text) == len && memcmp(opt->also[i].text, arg, len) == 0)
            a = &opt->also[i];
    if (!a) {
        if (opt->nalso == MAX_ALSO)
            cli_usage("%s: at most %d periods", option, MAX_ALSO);
        a = &opt->also[opt->nalso++];
        struct salesrollup_period p;
        struct diag diag;
        if (salesrollup_period_parse(arg, len, &p, &diag) != 0)
            cli_usage("%s: %s", option, diag.message);
        a->has_from = p.has_from;
        a->has_to = p.has_to;
        a->from = p.from;
        a->to = p.to;
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
                  "repeat it for more periods");
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
        O_COST = 256, O_MARGIN, O_BY, O_FROM, O_TO, O_MONTH, O_ASOF, O_REJECTS, O_STRICT,
        O_PARTIAL, O_MERGE, O_EXCEL, O_STATS, O_THREADS, O_PRESCRIBER, O_PER_PRESCRIBER, O_XLSX,
        O_ALSO, O_ALSO_STATS
    };
    static const struct option longopts[] = {
        CLI_SALES_LONGOPTS,
        { "cost", required_argument, NULL, O_COST },
        { "margin", required_argument, NULL, O_MARGIN },
        { "group", required_argument, NULL, 'g' },
        { "verbose", no_argument, NULL, 'v' },
        { "from", required_argument, NULL, O_FROM },
        { "to", required_argument, NULL, O_TO },
        { "month", required_argument, NULL, O_MONTH },
        { "asof", required_argument, NULL, O_ASOF },
        { "also", required_argument, NULL, O_ALSO },
        { "also-stats", required_argument, NULL, O_ALSO_STATS },
        { "delimiter", required_argument, NULL, 'd' },
        { "rejects", required_argument, NULL, O_REJECTS },
        { "strict", no_argument, NULL, O_STRICT },
        { "partial", no_argument, NULL, O_PARTIAL },
        { "merge", no_argument, NULL, O_MERGE },
        { "output", required_argument, NULL, 'o' },
        { "excel", no_argument, NULL, O_EXCEL },
        { "output-delimiter", required_argument, NULL, CLI_OPT_OUTPUT_DELIMITER },
        { "xlsx", no_argument, NULL, O_XLSX },
        { "stats", required_argument, NULL, O_STATS },
        { "threads", required_argument, NULL, O_THREADS },
        { "prescriber", required_argument, NULL, O_PRESCRIBER },
        { "per-prescriber", no_argument, NULL, O_PER_PRESCRIBER },
        { "quiet", no_argument, NULL, CLI_OPT_QUIET },
        { "help", no_argument, NULL, 'h' },
        { "version", no_argument, NULL, 'V' },
        /* old spellings, for one release (NEWS) */
        { "by", required_argument, NULL, O_BY },
        { NULL, 0, NULL, 0 }
    };
    struct sales_request *r = &opt->sales;
    int c, month = 0, period = 0;
    opterr = 0;     /* one line of our own, not getopt's */
    while ((c = getopt_long(argc, argv, ":c:g:d:o:hvV", longopts, NULL)) != -1) {
        switch (c) {
        case O_COST: r->cost = optarg; break;
        case O_MARGIN: r->margin = optarg; break;
        case O_BY:
            cli_deprecated("--by", "--group");
            /* fall through */
        case 'g': r->by = optarg; break;
        case 'v': opt->verbose = 1; cli_set_verbose(); break;
        case CLI_OPT_QUIET: cli_set_quiet(); break;
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
        case 'd':
            opt->delim = cli_parse_delim(optarg);
            break;
        case O_REJECTS: opt->rejects = optarg; break;
        case O_STRICT: opt->strict = 1; break;
        case O_PARTIAL: opt->partial = 1; break;
        case O_MERGE: opt->merge = 1; break;
        case 'o': opt->output = optarg; break;
        case O_EXCEL: opt->excel = 1; break;
        case CLI_OPT_OUTPUT_DELIMITER: cli_set_output_delimiter(optarg); break;
        case O_XLSX: opt->xlsx = 1; break;
        case O_STATS: opt->stats = optarg; break;
        case O_THREADS: opt->threads = cli_parse_long("--threads", optarg, 1, 256); break;
        case O_PRESCRIBER: r->prescriber = optarg; break;
        case O_PER_PRESCRIBER: opt->per_prescriber = 1; r->prescriber_required = 1; break;
        case 'h': usage();
        case 'V': cli_version();
        default:
            if (!cli_sales_option(c, optarg, r, &opt->encoding))
                cli_bad_option(c, argv);
        }
    }
    if (month && period)
        cli_usage("--month cannot be combined with --from or --to");
    if (r->amount && r->price)
        cli_usage("give --amount, or --quantity with --price, not both");
    if (r->cost && r->margin)
        cli_usage("give --cost or --margin, not both");
    if (opt->partial && opt->merge)
        cli_usage("--partial and --merge cannot be combined");
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
    if (opt->nalso && (opt->partial || opt->merge || opt->per_prescriber))
        cli_usage("--also and --also-stats go with a roll-up of sales lines, not with "
                  "--partial, --merge or --per-prescriber");
    size_t files = 1 + (opt->rejects != NULL) + (opt->stats != NULL);
    for (size_t i = 0; i < opt->nalso; i++)
        files += (opt->also[i].output != NULL) + (opt->also[i].stats != NULL);
    if (files > 8)
        cli_usage("too many output files (%zu): at most 8 with --also and --also-stats", files);
}

/* ---- the header ------------------------------------------------------- */

/* The output's key columns come from the first file; later files must
 * agree on the margin and the number of --by columns. */
static void setup_header(struct run *run, csvin *in, int with_margin, size_t by_count,
                         const long *by, long customer)
{
    if (run->have_header) {
        if (with_margin != run->with_margin || by_count != run->by_count)
            cli_die("%s: its columns do not match the first file's (margin or --group)",
                    csvin_name(in));
        return;
    }
    run->header_names[0] = "customer";
    if (run->opt.merge && customer >= 0) {
        if (!(run->header_store[0] = strdup(csvin_column_name(in, (size_t)customer))))
            cli_die("out of memory");
        run->header_names[0] = run->header_store[0];
    }
    for (size_t i = 0; i < by_count; i++) {
        if (!(run->header_store[i + 1] = strdup(csvin_column_name(in, (size_t)by[i]))))
            cli_die("out of memory");
        run->header_names[i + 1] = run->header_store[i + 1];
    }
    run->by_count = by_count;
    run->with_margin = with_margin;
    run->have_header = 1;
}

/* The first file decides whether there is a prescriber column; the others
 * must agree, so that every row of the output means the same thing. */
static void setup_prescriber(struct run *run, csvin *in, int present)
{
    if (run->prescribed < 0) {
        run->prescribed = present;
        run->book.by_count = run->by_count;
        for (size_t i = 0; i < run->opt.nalso; i++)
            run->opt.also[i].book.by_count = run->by_count;
        if (run->opt.per_prescriber)
            run->header_names[0] = "prescriber";
        return;
    }
    if (present != run->prescribed)
        cli_die("%s: %s prescriber column, unlike the first file", csvin_name(in),
                present ? "has a" : "has no");
}

/* ---- sales lines ------------------------------------------------------ */

/* The --also periods, for the readers. */
static void also_periods(struct run *run, struct salesrollup_period *periods)
{
    for (size_t i = 0; i < run->opt.nalso; i++) {
        struct also *a = &run->opt.also[i];
        periods[i] = (struct salesrollup_period){
            .has_from = a->has_from, .has_to = a->has_to, .from = a->from, .to = a->to,
            .rollup = &a->rollup, .book = &a->book, .counts = &a->counts, .spread = &a->spread,
        };
    }
}

/* Read a regular file in parallel ranges, one roll-up (and prescriber
 * book) per thread.
 * @return 1 done, 0 fall back to the sequential reader (nothing was added). */
static int read_parallel(struct run *run, csvin *in, const struct sales_layout *lay,
                         const struct sales_marks *marks)
{
    long n = salesread_threads(in, run->opt.threads);
    if (n == 0)
        return 0;
    struct diag diag;
    struct salesrollup_period periods[MAX_ALSO];
    also_periods(run, periods);
    int done = salesrollup_parallel_also(in, lay, marks, n, &run->rollup, &run->book,
                                         &run->counts, &run->spread, run->source, &run->rejects,
                                         periods, run->opt.nalso, &diag);
    if (done < 0)
        cli_die_diag(&diag);
    return done;
}

static void progress(unsigned long long lines)
{
    cli_progress("lines", lines);
}

/* Which column each role took: one line on stderr with --verbose (per
 * file), the first file's in --stats. */
static void note_roles(struct run *run, csvin *in, const struct sales_layout *lay)
{
    size_t n = csvin_columns(in);
    const char **names = malloc((n ? n : 1) * sizeof *names);
    if (!names)
        cli_die("out of memory");
    for (size_t i = 0; i < n; i++)
        names[i] = csvin_column_name(in, i);
    if (run->opt.verbose) {
        char line[1024];
        cli_warn("%s: columns: %s", csvin_name(in),
                 sales_layout_describe(lay, names, line, sizeof line));
    }
    if (!run->roles_known) {
        for (int i = 0; i < SALES_ROLES; i++) {
            long col = sales_layout_role(lay, i);
            if (col >= 0 && !(run->role_column[i] = strdup(names[col])))
                cli_die("out of memory");
        }
        run->roles_known = 1;
    }
    free(names);
}

/* @return 0 done; 1 the file turned out not to be UTF-8 after its first
 * MiB (only when run->quick_utf8): start again with the file transcoded. */
static int read_sales(struct run *run, csvin *in)
{
    struct sales_layout lay;
    struct sales_marks marks;
    struct diag diag;
    if (salesread_layout(in, &run->opt.sales, &lay, &marks, &diag) != 0)
        cli_die_diag(&diag);
    note_roles(run, in, &lay);
    cli_sales_date_order(in, &lay, run->opt.verbose, run->opt.strict, run->opt.partial);
    setup_header(run, in, lay.with_margin, lay.by_count, lay.by, -1);
    setup_prescriber(run, in, lay.prescriber >= 0);
    if (read_parallel(run, in, &lay, &marks))
        return 0;
    run->sink.rollup = &run->rollup;
    run->sink.book = run->prescribed > 0 ? &run->book : NULL;
    struct salesrollup_period periods[MAX_ALSO];
    also_periods(run, periods);
    if (salesrollup_sequential(in, &lay, &marks, &run->sink, &run->rejects, progress,
                               &run->counts, &run->spread, run->source, periods, run->opt.nalso,
                               &diag) != 0) {
        if (run->quick_utf8 && csvin_bad_utf8(in))
            return 1;
        cli_die_diag(&diag);
    }
    return 0;
}

/* ---- --merge: partial aggregates --------------------------------------- */

static void read_partials(struct run *run, csvin *in)
{
    struct salesread_partial partial;
    struct diag diag;
    if (salesread_partial_layout(&partial, in, &diag) != 0)
        cli_die_diag(&diag);
    long by[SALES_MAX_BY];
    for (size_t i = 0; i < partial.by_count; i++)
        by[i] = (long)i + 1;
    setup_header(run, in, partial.margin >= 0, partial.by_count, by, 0);
    if (partial.prescriber < 0 && run->opt.per_prescriber)
        cli_die("%s: no \"prescriber\" column: --per-prescriber needs partials of sales "
                "with a prescriber column", csvin_name(in));
    setup_prescriber(run, in, partial.prescriber >= 0);
    run->sink.rollup = &run->rollup;
    run->sink.book = run->prescribed > 0 ? &run->book : NULL;
    if (salesrollup_read_partials(in, &partial, &run->sink, &run->counts, &diag) != 0)
        cli_die_diag(&diag);
}

/* The prescriber book, empty, in the mode the options ask for; whether
 * there is a prescriber column is not known yet (the first file says). */
static void start_prescriber(struct run *run)
{
    enum prescriber_mode mode = run->opt.partial ? PRESCRIBER_PARTIAL
                              : run->opt.per_prescriber ? PRESCRIBER_ROLLUP : PRESCRIBER_CLIENTS;
    struct diag diag;
    run->prescribed = -1;
    if (prescriber_init(&run->book, mode, 0, &diag) != 0)
        cli_die_diag(&diag);
    for (size_t i = 0; i < run->opt.nalso; i++)
        if (prescriber_init(&run->opt.also[i].book, mode, 0, &diag) != 0)
            cli_die_diag(&diag);
}

/* The --also periods' roll-ups and dates, empty. */
static void start_also(struct run *run)
{
    struct diag diag;
    for (size_t i = 0; i < run->opt.nalso; i++) {
        struct also *a = &run->opt.also[i];
        if (rollup_init(&a->rollup, ROLLUP_CUSTOMER, &diag) != 0)
            cli_die_diag(&diag);
        if (date_spread_init(&a->spread) != 0)
            cli_die("out of memory");
    }
}

static void free_also(struct run *run)
{
    for (size_t i = 0; i < run->opt.nalso; i++) {
        rollup_free(&run->opt.also[i].rollup);
        prescriber_free(&run->opt.also[i].book);
        date_spread_free(&run->opt.also[i].spread);
    }
}

/* The run as it was before the first file, to start again from when a
 * file taken as UTF-8 turns out not to be (see read_file). */
static struct run fresh_run;

static void restart(struct run *run)
{
    rollup_free(&run->rollup);
    prescriber_free(&run->book);
    free_also(run);
    free(run->sink.key);
    for (size_t i = 0; i <= SALES_MAX_BY; i++)
        free(run->header_store[i]);
    for (int i = 0; i < SALES_ROLES; i++)
        free(run->role_column[i]);
    struct date_spread spread = run->spread;
    *run = fresh_run;
    /* the dates counted so far are counted again */
    run->spread = spread;
    memset(run->spread.years, 0, DATE_SPREAD_YEARS * sizeof *run->spread.years);
    run->spread.lines = 0;
    run->spread.last_day = INT32_MIN;
    struct diag diag;
    if (rollup_init(&run->rollup, run->opt.partial ? ROLLUP_ORDER : ROLLUP_CUSTOMER, &diag) != 0)
        cli_die_diag(&diag);
    start_prescriber(run);
    start_also(run);
    if (run->rejects_fp && (fflush(run->rejects_fp) != 0 ||
                            ftruncate(fileno(run->rejects_fp), 0) != 0 ||
                            fseek(run->rejects_fp, 0, SEEK_SET) != 0))
        cli_die("cannot write %s: %s", run->opt.rejects, strerror(errno));
}

static void say_encoding(const struct run *run, const char *path,
                         const struct encoding_result *enc)
{
    if (enc->guessed)
        cli_say_encoding(strcmp(path, "-") ? path : "stdin", enc);   /* as every program */
    else if (run->opt.verbose && enc->transcoded)
        cli_warn("%s: read as %s", strcmp(path, "-") ? path : "stdin", enc->from);
}

static void read_file(struct run *run, const char *path)
{
    struct diag diag;
    csvin *in;
    if (run->opt.merge) {
        in = csvin_open(path, run->opt.delim, &diag);
        if (!in)
            cli_die_diag(&diag);
        read_partials(run, in);
        csvin_close(in);
        return;
    }
    /* Sales exports come in any encoding: read them as UTF-8. The whole
     * file is checked first, except for a single input whose first MiB is
     * UTF-8: the reader checks every byte anyway, and should a later one
     * not be UTF-8, the run starts again with the file transcoded. */
    struct encoding_result enc;
    int checked_all = 1, fd;
    struct salesread_spool *spool = NULL;
    if (run->quick_utf8)
        fd = salesread_open_quick(path, &enc, &checked_all, &spool, &diag);
    else
        fd = encoding_open(path, run->opt.encoding, &enc, &diag);
    if (fd < 0)
        cli_die_diag(&diag);
    say_encoding(run, path, &enc);
    run->quick_utf8 = !checked_all;
    int keep = run->quick_utf8 ? dup(fd) : -1;      /* to read it again */
    if (run->quick_utf8 && keep < 0)
        cli_die("%s: %s", path, strerror(errno));
    if (!(in = csvin_open_fd(fd, path, run->opt.delim, &diag)))
        cli_die_diag(&diag);
    if (spool)
        salesread_spool_attach(spool, in);
    if (run->source < MAX_SOURCES)
        run->sources[run->source] = path;
    int again = read_sales(run, in);
    csvin_close(in);
    if (salesread_spool_close(spool, &diag) != 0)
        cli_die_diag(&diag);
    if (again) {
        restart(run);
        run->quick_utf8 = 0;
        fd = encoding_recheck(keep, strcmp(path, "-") ? path : "stdin", &enc, &diag);
        if (fd < 0)
            cli_die_diag(&diag);
        say_encoding(run, path, &enc);
        if (!(in = csvin_open_fd(fd, path, run->opt.delim, &diag)))
            cli_die_diag(&diag);
        if (run->source < MAX_SOURCES)
            run->sources[run->source] = path;
        read_sales(run, in);
        csvin_close(in);
    }
    if (keep >= 0)
        close(keep);
    run->source++;
}

/* ---- reporting -------------------------------------------------------- */

static void warn_message(const char *message)
{
    cli_warn("%s", message);
}

/* --per-prescriber: the sales without a prescriber are in no row; say how
 * many, and stop when no sale had one (an empty table must be noticed). */
static void report_direct(const struct run *run)
{
    if (!run->opt.per_prescriber || run->book.direct_lines == 0)
        return;
    char revenue[64];
    format_money(run->book.direct_revenue, run->rollup.revenue_decimals, '.', revenue);
    if (rollup_keys(&run->rollup) == 0)
        cli_die("no sale has a prescriber (%lld direct lines)", (long long)run->book.direct_lines);
    cli_warn("note: %lld lines without a prescriber (direct sales, revenue %s) are in no row",
             (long long)run->book.direct_lines, revenue);
}

/* One period's outputs: the run's own, or an --also period's. */
struct period_out {
    char *name;                 /* "--also PERIOD" (owned), NULL: the run's own period */
    struct rollup *rollup;
    struct prescriber_book *book;
    const struct salesread_counts *counts;
    unsigned long long dates_outlying;
    const char *output;         /* the path (NULL: stdout) */
    int xlsx;                   /* a workbook */
    FILE *out_fp, *stats_fp;    /* NULL: not written */
};

/* A period without a usable line is an error (a cron job must notice),
 * except for a partial run: a chunk of a split file may hold no usable line. */
static void check_used(const struct run *run, const struct period_out *p, const char *input)
{
    const struct salesread_counts *c = p->counts;
    if (c->lines_used > 0 || run->opt.partial)
        return;
    const char *name = p->name ? p->name : "", *sep = p->name ? ": " : "";
    if (!p->name)
        cli_sales_notes(c, run->opt.rejects != NULL);
    if (c->lines_read == 0)
        cli_die("%s: no data after the header", input);
    if (c->out_of_period > 0)
        cli_die("%s%sno line in the period (%llu lines outside it)", name, sep,
                c->out_of_period);
    if (c->filtered > 0)
        cli_die("%s%sno line meets --where", name, sep);
    cli_die("%s%sno usable line", name, sep);
}

/* The last sale, direct ones included when they are in no row. */
static int32_t last_sale(const struct run *run, const struct period_out *p)
{
    return run->prescribed > 0 ? prescriber_last_day(p->book, p->rollup) : p->rollup->max_day;
}

/* A recency measured from before the last sale would be negative: say
 * so rather than write it (--to leaves the later lines out). */
static void check_asof(const struct run *run, const struct period_out *p)
{
    int32_t last_day = last_sale(run, p);
    if (run->opt.has_asof && last_day != INT32_MIN && run->opt.asof < last_day) {
        char asof[16], last[16], before[16];
        cli_die("%s%s--asof %s is before the last sale kept (%s): recencies would be "
                "negative; give a later --asof, or --to %s to leave the later sales out",
                p->name ? p->name : "", p->name ? ": " : "",
                format_date(run->opt.asof, asof), format_date(last_day, last),
                format_date(run->opt.asof - 1, before));
    }
}

static void write_period(const struct run *run, const struct period_out *p)
{
    struct diag diag;
    if (p->out_fp) {
        int32_t last_day = last_sale(run, p);
        struct csvout out;
        csvout_init(&out, p->out_fp, run->opt.excel);
        xlsx_book *book = cli_xlsx_start(&out, p->output, p->xlsx);
        struct rollup_output how = {
            .by_count = run->by_count,
            .header = run->header_names,
            .with_margin = run->with_margin,
            .asof = run->opt.has_asof ? run->opt.asof
                                      : last_day == INT32_MIN ? 0 : last_day + 1,
        };
        if (run->prescribed > 0 && prescriber_columns(p->book, p->rollup, &how, &diag) != 0)
            cli_die_diag(&diag);
        int rc = run->opt.partial ? rollup_write_partial(p->rollup, &out, &how, &diag)
                                  : rollup_write(p->rollup, &out, &how, &diag);
        if (rc != 0)
            cli_die_diag(&diag);
        cli_xlsx_finish(book, p->out_fp);
    }
    if (p->stats_fp) {
        struct csvout out;
        csvout_init(&out, p->stats_fp, 0);
        struct salesrollup_stats stats = {
            .counts = p->counts, .dates_outlying = p->dates_outlying,
            .rollup = p->rollup, .book = run->prescribed > 0 ? p->book : NULL,
            .role_column = run->roles_known ? (const char *const *)run->role_column : NULL,
            .with_margin = run->with_margin, .partial = run->opt.partial,
        };
        salesrollup_write_stats(&out, &stats);
    }
}

static void say_nothing(const char *message)
{
    (void)message;
}

int main(int argc, char **argv)
{
    static struct run run;
    cli_init(argv[0]);
    parse_options(&run.opt, argc, argv);
    run.rejects.strict = run.opt.strict;
    run.opt.xlsx = cli_xlsx_wanted(run.opt.output, run.opt.xlsx, run.opt.excel);
    for (size_t i = 0; i < run.opt.nalso; i++)
        run.opt.also[i].xlsx = cli_xlsx_wanted(run.opt.also[i].output, 0, run.opt.excel);

    if (optind == argc)
        cli_input("-");
    for (int i = optind; i < argc; i++)
        cli_input(argv[i]);
    struct period_out main_out = { .rollup = &run.rollup, .book = &run.book,
                                   .counts = &run.counts, .output = run.opt.output,
                                   .xlsx = run.opt.xlsx };
    main_out.out_fp = cli_output(run.opt.output);
    if (run.opt.rejects) {
        run.rejects_fp = cli_output(run.opt.rejects);
        csvout_init(&run.rejects_out, run.rejects_fp, 0);
        run.rejects.out = &run.rejects_out;
    }
    main_out.stats_fp = run.opt.stats ? cli_output(run.opt.stats) : NULL;
    for (size_t i = 0; i < run.opt.nalso; i++) {
        struct also *a = &run.opt.also[i];
        a->output_fp = a->output ? cli_output(a->output) : NULL;
        a->stats_fp = a->stats ? cli_output(a->stats) : NULL;
    }
    enum rollup_grain grain = run.opt.partial || run.opt.merge ? ROLLUP_ORDER : ROLLUP_CUSTOMER;
    /* one sales file (the usual case) is taken as UTF-8 from its first MiB */
    run.quick_utf8 = !run.opt.merge && !run.opt.encoding && argc - optind <= 1;
    fresh_run = run;
    struct diag diag;
    if (rollup_init(&run.rollup, grain, &diag) != 0)
        cli_die_diag(&diag);
    if (date_spread_init(&run.spread) != 0)
        cli_die("out of memory");
    start_prescriber(&run);
    start_also(&run);

    if (optind == argc)
        read_file(&run, "-");
    for (int i = optind; i < argc; i++)
        read_file(&run, argv[i]);
    cli_progress_done();
    struct period_out also_out[MAX_ALSO];
    for (size_t i = 0; i < run.opt.nalso; i++) {
        struct also *a = &run.opt.also[i];
        char *name = malloc(strlen(a->text) + 8);
        if (!name)
            cli_die("out of memory");
        sprintf(name, "--also %s", a->text);
        also_out[i] = (struct period_out){
            .name = name, .rollup = &a->rollup, .book = &a->book, .counts = &a->counts,
            .output = a->output, .out_fp = a->output_fp, .stats_fp = a->stats_fp,
            .xlsx = a->xlsx,
        };
    }
    const char *input = argc - optind == 1 ? argv[optind] : argc == optind ? "stdin"
                                                                          : "the files";
    check_used(&run, &main_out, input);
    for (size_t i = 0; i < run.opt.nalso; i++)
        check_used(&run, &also_out[i], input);
    report_direct(&run);

    int nsources = run.source < MAX_SOURCES ? run.source : MAX_SOURCES;
    main_out.dates_outlying = salesread_outlying_dates(&run.spread, run.sources, nsources,
                                                       "--from and --to leave such lines out",
                                                       warn_message);
    for (size_t i = 0; i < run.opt.nalso; i++)     /* named once, for the run's own period */
        also_out[i].dates_outlying = salesread_outlying_dates(&run.opt.also[i].spread,
                                                              run.sources, nsources, "",
                                                              say_nothing);
    check_asof(&run, &main_out);
    for (size_t i = 0; i < run.opt.nalso; i++)
        check_asof(&run, &also_out[i]);

    write_period(&run, &main_out);
    for (size_t i = 0; i < run.opt.nalso; i++)
        write_period(&run, &also_out[i]);
    cli_sales_notes(&run.counts, run.opt.rejects != NULL);
    if (run.counts.ids_trimmed > 0)
        cli_warn("%llu of %llu lines had spaces around the customer id or a --group value, "
                 "trimmed (--keep-spaces keeps them)", run.counts.ids_trimmed,
                 run.counts.lines_used);
    cli_output_commit();
    rollup_free(&run.rollup);
    date_spread_free(&run.spread);
    prescriber_free(&run.book);
    free_also(&run);
    for (size_t i = 0; i < run.opt.nalso; i++) {
        free(also_out[i].name);
        free(run.opt.also[i].text);
    }
    free(run.sink.key);
    for (size_t i = 0; i <= SALES_MAX_BY; i++)
        free(run.header_store[i]);
    for (int i = 0; i < SALES_ROLES; i++)
        free(run.role_column[i]);
    return 0;
}
