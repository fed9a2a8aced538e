/* cl-pareto — rank clients by value: Pareto 20/80, ABC classes, Gini,
 * the Lorenz curve, and the migration between last period's classes and
 * this one's. The analytics live in lib/pareto. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>

#include "cli.h"
#include "cli_opts.h"
#include "cli_xlsx.h"
#include "csvio.h"
#include "pareto.h"
#include "pareto_table.h"


struct options {
    const char *input;      /* file or "-" */
    struct cli_common common;   /* -o, -d, --strict, the marks, --excel, --xlsx */
    const char *by;         /* value column */
    const char *key;        /* key column, NULL: the first */
    const char *group;      /* --group column, or NULL */
    const char *previous;   /* --previous file, or NULL */
    const char *cut, *quota;
    int summary, lorenz;
    const char *also_summary, *also_lorenz;    /* --also summary=FILE, lorenz=FILE */
    int threads;            /* --threads, 0: the writer's default */
};

/* the common options cl-pareto takes (cli_opts.h), in its help and getopt */
#define COMMON (CLI_HELP_TABLE_IN | CLI_HELP_TABLE_OUT | CLI_HELP_END)

_Noreturn static void usage(void)
{
    printf("Usage: cl-pareto [OPTION]... [FILE]\n"
           "Rank clients (one row each, e.g. a cl-rollup output) by value and add the\n"
           "Pareto columns: rank, share, cum_share, cum_clients_share, class.\n"
           "With no FILE, or when FILE is -, read standard input.\n"
           "\n");
    cli_help_line("--value COL", "value to rank on (default: revenue)");
    cli_help_line("-c, --customer COL", "client key, the last tie-break (default: first\n"
                  "column)");
    cli_help_line("--cut LIST", "classes by cumulative value percents: 80,95 (the\n"
                  "default; 80%,95% is the same) is A up to 80% of the\n"
                  "value, B up to 95%");
    cli_help_line("-q, --quota LIST", "classes by percents of clients, each class its own:\n"
                  "20,30 (or 20%,30%) is A the top 20%, B the next 30%\n"
                  "(50% in A+B)");
    cli_help_line("-g, --group COL", "the whole analysis per value of COL");
    cli_help_line("-s, --summary", "write metric,value rows instead of the clients");
    cli_help_line("-l, --lorenz", "write the Lorenz curve: cum_clients_share,cum_share");
    cli_help_line("--also OUTPUT=FILE", "also write the summary (summary=FILE) or the\n"
                  "Lorenz curve (lorenz=FILE) into FILE, as a run with\n"
                  "--summary or --lorenz would, from the same ranking");
    cli_help_line("-p, --previous FILE", "last period's cl-pareto output: add previous_class\n"
                  "and, in the summary, the migration counts");
    cli_help_line("--threads N", "threads that format the rows: 1, or 2 (the default,\n"
                  "for a table of many rows)");
    cli_help_common(COMMON);
    printf("\n"
           "Clients with a value <= 0 are ranked last, get class '-', and are left out of\n"
           "the shares, the Gini and the Lorenz curve. Ties in value share one class.\n"
           "Exit status: 0 success, 1 data error, 2 usage error.\n");
    exit(0);
}

/* -c was --cut before it was --customer: a list of numbers (80,95 or
 * 80%,95%) is still a cut. */
static int is_number_list(const char *arg)
{
    return strpbrk(arg, "0123456789") && strspn(arg, "0123456789.,%") == strlen(arg);
}

/* --also OUTPUT=FILE: summary=FILE or lorenz=FILE, each once. */
static void parse_also(struct options *o, const char *arg)
{
    const char **to = strncmp(arg, "summary=", 8) == 0 ? &o->also_summary
                      : strncmp(arg, "lorenz=", 7) == 0 ? &o->also_lorenz : NULL;
    if (!to)
        cli_usage("--also %s: give summary=FILE or lorenz=FILE", arg);
    const char *file = strchr(arg, '=') + 1;
    if (*file == '\0')
        cli_usage("--also %s: the file name is empty", arg);
    if (*to)
        cli_usage("--also %.*s= given twice", (int)(file - 1 - arg), arg);
    *to = file;
}

static void parse_options(int argc, char **argv, struct options *o)
{
    enum { OPT_VALUE = 256, OPT_CUT, OPT_BY, OPT_KEY, OPT_THREADS, OPT_ALSO };
    static const struct option longs[] = {
        { "value", required_argument, NULL, OPT_VALUE },
        { "customer", required_argument, NULL, 'c' },
        { "cut", required_argument, NULL, OPT_CUT },
        { "quota", required_argument, NULL, 'q' },
        { "group", required_argument, NULL, 'g' },
        { "summary", no_argument, NULL, 's' },
        { "lorenz", no_argument, NULL, 'l' },
        { "previous", required_argument, NULL, 'p' },
        { "threads", required_argument, NULL, OPT_THREADS },
        { "also", required_argument, NULL, OPT_ALSO },
        /* old spellings, for one release (NEWS) */
        { "by", required_argument, NULL, OPT_BY },
        { "key", required_argument, NULL, OPT_KEY },
        { NULL, 0, NULL, 0 },
    };
    memset(o, 0, sizeof *o);
    o->by = "revenue";
    int c;
    while ((c = cli_getopt(argc, argv, "b:k:c:q:g:slp:", longs, COMMON, &o->common)) != -1) {
        switch (c) {
        case OPT_VALUE: o->by = optarg; break;
        case 'b':
        case OPT_BY:
            cli_deprecated(c == 'b' ? "-b" : "--by", "--value");
            o->by = optarg;
            break;
        case 'k':
        case OPT_KEY:
            cli_deprecated(c == 'k' ? "-k" : "--key", "--customer (-c)");
            o->key = optarg;
            break;
        case 'c':
            if (is_number_list(optarg)) {
                cli_deprecated("-c LIST", "--cut LIST (-c is now --customer)");
                o->cut = optarg;
            } else {
                o->key = optarg;
            }
            break;
        case OPT_CUT: o->cut = optarg; break;
        case 'q': o->quota = optarg; break;
        case 'g': o->group = optarg; break;
        case 's': o->summary = 1; break;
        case 'l': o->lorenz = 1; break;
        case 'p': o->previous = optarg; break;
        case OPT_THREADS: o->threads = (int)cli_parse_long("--threads", optarg, 1, 256); break;
        case OPT_ALSO: parse_also(o, optarg); break;
        case 'h': usage();
        default: cli_bad_option(c, argv);
        }
    }
    o->input = cli_one_input(argc, argv);
    if (o->cut && o->quota)
        cli_usage("--cut and --quota are two conventions: give one");
    if (o->summary && o->lorenz)
        cli_usage("--summary and --lorenz are two outputs: give one");
    if (o->previous && o->lorenz)
        cli_usage("--previous has nothing to add to --lorenz");
    if ((o->summary && o->also_summary) || (o->lorenz && o->also_lorenz))
        cli_usage("--also %s=FILE: %s is the main output already",
                  o->summary ? "summary" : "lorenz", o->summary ? "--summary" : "--lorenz");
}

/* One of the outputs (the main one, or an --also file) set up for writing:
 * its dialect, its source mark, and its workbook when it is one. */
static xlsx_book *start_output(struct csvout *out, FILE *to, const char *path, int xlsx,
                               const struct cli_common *common, char source_mark)
{
    csvout_init(out, to, common->excel);
    csvout_source_mark(out, source_mark);
    return cli_xlsx_start(out, path, xlsx);
}

int main(int argc, char **argv)
{
    struct options o;
    struct diag diag;
    cli_init(argv[0]);
    gsl_set_error_handler_off();
    parse_options(argc, argv, &o);
    o.common.xlsx = cli_xlsx_wanted(o.common.output, o.common.xlsx, o.common.excel);

    struct pareto_classes classes;
    const char *list = o.quota ? o.quota : o.cut ? o.cut : "80,95";
    if (pareto_classes_parse(&classes, o.quota ? PARETO_QUOTA : PARETO_CUT, list, &diag) != 0)
        cli_usage("%s: %s", o.quota ? "--quota" : "--cut", diag.message);

    if (o.previous)
        cli_input(o.previous);
    FILE *fp = cli_output(o.common.output);
    /* --also: the summary and the Lorenz curve beside the main output */
    FILE *summary_fp = o.also_summary ? cli_output(o.also_summary) : NULL;
    FILE *lorenz_fp = o.also_lorenz ? cli_output(o.also_lorenz) : NULL;
    int summary_xlsx = o.also_summary && cli_xlsx_wanted(o.also_summary, 0, o.common.excel);
    int lorenz_xlsx = o.also_lorenz && cli_xlsx_wanted(o.also_lorenz, 0, o.common.excel);
    struct table t;
    if (table_load(&t, o.input, o.common.delim, &diag) != 0)
        cli_die_diag(&diag);
    if (t.rows == 0)
        cli_die("%s: no data after the header", t.name);
    long key = o.key ? cli_column(&t, o.key, "key") : 0;
    long by = cli_column(&t, o.by, "value");
    long group = o.group ? cli_column(&t, o.group, "group") : -1;
    for (size_t i = 0; !o.summary && !o.lorenz && pareto_table_added[i]; i++)
        if ((i < 5 || o.previous) && table_find(&t, pareto_table_added[i]) >= 0)
            cli_die("%s: the input has a column \"%s\" already (a cl-pareto output?)",
                    t.name, pareto_table_added[i]);

    struct pareto_table_how how = {
        .key_col = (size_t)key, .value_col = (size_t)by, .group_col = group,
        .mark = o.common.mark, .previous = o.previous, .previous_delim = o.common.delim,
        .previous_group = o.group, .program = "cl-pareto",
    };
    struct pareto_ranking ranking;
    if (pareto_table_read(&ranking, &t, &how, &diag) != 0)
        cli_die_diag(&diag);
    cli_verbose_dialect(t.name, t.delim, o.common.delim != 0);
    cli_verbose("%s: customer: %s (column %ld%s); value: %s (column %ld); group: %s", t.name,
                t.header[key], key + 1, o.key ? "" : ", the first", t.header[by], by + 1,
                group >= 0 ? t.header[group] : "none");
    struct cli_left_out left_out = { .strict = o.common.strict };
    for (size_t i = 0; ranking.usable < t.rows && i < t.rows; i++) {
        char problem[200];
        if (pareto_table_left_out(&ranking, i, problem, sizeof problem))
            cli_left_out(&left_out, t.name, t.lines[i], problem);
    }
    cli_left_out_done(&left_out, t.name, t.rows);
    table_forget_lines(&t);     /* no row is named again */

    int want = (!o.summary && !o.lorenz ? PARETO_WANT_ROWS : 0) |
               (o.lorenz || o.also_lorenz ? PARETO_WANT_CURVE : 0);
    if (pareto_table_rank(&ranking, &classes, want, &diag) != 0)
        cli_die_diag(&diag);
    if (pareto_table_overlap(&ranking, &diag))
        cli_warn("%s", diag.message);

    /* the input's mark, given, else a sibling's --excel output's */
    char source_mark = o.common.mark ? o.common.mark : csvio_source_mark(t.delim);
    struct csvout out;
    xlsx_book *book;
    if (o.summary || o.also_summary) {
        FILE *to = o.summary ? fp : summary_fp;
        book = start_output(&out, to, o.summary ? o.common.output : o.also_summary,
                            o.summary ? o.common.xlsx : summary_xlsx, &o.common, source_mark);
        pareto_table_write_summary(&out, &ranking);
        cli_xlsx_finish(book, to);
    }
    if (o.lorenz || o.also_lorenz) {
        FILE *to = o.lorenz ? fp : lorenz_fp;
        book = start_output(&out, to, o.lorenz ? o.common.output : o.also_lorenz,
                            o.lorenz ? o.common.xlsx : lorenz_xlsx, &o.common, source_mark);
        if (pareto_table_write_lorenz(&out, &ranking, &diag) != 0)
            cli_die_diag(&diag);
        cli_xlsx_finish(book, to);
    }
    if (!o.summary && !o.lorenz) {     /* the rows last: they may free the items */
        book = start_output(&out, fp, o.common.output, o.common.xlsx, &o.common, source_mark);
        out.threads = o.threads;
        if (pareto_table_write_rows(&out, &ranking, &diag) != 0)
            cli_die_diag(&diag);
        cli_xlsx_finish(book, fp);
    }
    cli_output_commit();
    pareto_table_ranking_free(&ranking);
    table_free(&t);
    return 0;
}
