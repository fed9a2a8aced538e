/* cl-pareto — rank clients by value: Pareto 20/80, ABC classes, Gini,
 * the Lorenz curve, and the migration between last period's classes and
 * this one's. The analytics live in lib/pareto. */
#include <getopt.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>

#include "buf.h"
#include "cli.h"
#include "cli_opts.h"
#include "cli_xlsx.h"
#include "csvio.h"
#include "pareto.h"
#include "pareto_table.h"
#include "parse.h"


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

    /* one row per key, checked on a second thread while the values are
     * read; its verdict first, then the column's, then the rows left out */
    struct pareto_unique_check unique;
    pareto_unique_start(&unique, &t, (size_t)key, group, "cl-pareto");
    struct pareto_column values;
    if (pareto_column_read_mark(&values, &t, (size_t)by, o.common.mark, &diag) != 0) {
        struct diag first;
        if (pareto_unique_finish(&unique, &first) != 0)
            cli_die_diag(&first);
        cli_die_diag(&diag);
    }
    /* one group without a previous period: ranked from the column itself
     * (pareto_rank_column), without the items (5 M clients: 400 MB) */
    int by_column = !o.previous && group < 0 && t.rows <= UINT32_MAX;
    struct pareto_item *items = NULL;
    size_t n = 0;       /* the usable rows */
    if (by_column) {
        for (size_t i = 0; i < t.rows; i++)
            n += pareto_row_usable(&values, &t, i, (size_t)key);
    } else {
        items = buf_huge(calloc(t.rows ? t.rows : 1, sizeof *items),
                         (t.rows ? t.rows : 1) * sizeof *items);
        if (!items) {
            pareto_unique_finish(&unique, NULL);
            cli_die("out of memory");
        }
        /* their pages faulted in from the end on another thread while
         * this one fills them from the start */
        struct buf_prefault prefault;
        buf_prefault_start(&prefault, (void *[]){ items }, (size_t[]){ t.rows * sizeof *items },
                           1);
        for (size_t i = 0; i < t.rows; i++) {
            if (pareto_row_usable(&values, &t, i, (size_t)key))
                items[n++] = (struct pareto_item){
                    .row = i, .key = table_cell(&t, i, (size_t)key),
                    .group = group >= 0 ? table_cell(&t, i, (size_t)group) : "",
                    .value = values.value[i], .scaled = values.scaled[i],
                };
        }
        buf_prefault_finish(&prefault);
    }
    if (pareto_unique_finish(&unique, &diag) != 0)
        cli_die_diag(&diag);
    cli_verbose_dialect(t.name, t.delim, o.common.delim != 0);
    cli_verbose("%s: customer: %s (column %ld%s); value: %s (column %ld); group: %s", t.name,
                t.header[key], key + 1, o.key ? "" : ", the first", t.header[by], by + 1,
                group >= 0 ? t.header[group] : "none");
    struct cli_left_out left_out = { .strict = o.common.strict };
    for (size_t i = 0; n < t.rows && i < t.rows; i++) {
        const char *cell = table_cell(&t, i, (size_t)by);
        const char *key_text = table_cell(&t, i, (size_t)key);
        char problem[200];
        if (values.status[i] != PARSE_OK)
            parse_value_problem(t.header[by], cell, values.status[i], problem, sizeof problem);
        else if (key_text[0] == '\0')
            snprintf(problem, sizeof problem, "%s (the key) is empty", t.header[key]);
        else
            continue;
        cli_left_out(&left_out, t.name, t.lines[i], problem);
    }
    cli_left_out_done(&left_out, t.name, t.rows);
    table_forget_lines(&t);     /* no row is named again */
    /* the items hold the values now (ranked by column: once ranked) */
    int exact = values.exact, decimals = values.decimals;
    if (!by_column)
        pareto_column_free(&values);

    struct table previous_table;
    struct pareto_previous previous = { 0 };
    memset(&previous_table, 0, sizeof previous_table);
    if (o.previous && pareto_table_previous(&previous_table, &previous, o.previous, o.common.delim,
                                            t.header[key], o.group, &diag) != 0)
        cli_die_diag(&diag);

    if (group >= 0)
        pareto_sort_groups(items, n);
    size_t group_count;
    struct pareto_group *groups = pareto_table_groups(items, by_column ? 0 : n,
                                                      o.previous ? &previous : NULL,
                                                      group >= 0, &group_count, &diag);
    if (!groups)
        cli_die_diag(&diag);
    /* each group's rank order, as indexes into items */
    size_t *order = by_column ? NULL : buf_huge(malloc((n ? n : 1) * sizeof *order),
                                                (n ? n : 1) * sizeof *order);
    if (!by_column && !order)
        cli_die("out of memory");
    /* their figures in rank order, for the rows' writer (none: it reads
     * the items, in the same order) */
    struct pareto_ranked *ranked = NULL;
    if (!o.summary && !o.lorenz && !o.previous && t.rows <= UINT32_MAX)
        ranked = buf_huge(malloc((n ? n : 1) * sizeof *ranked), (n ? n : 1) * sizeof *ranked);
    /* its Lorenz curve, made while its sorted values are there */
    double curve_x[PARETO_LORENZ_SEGMENTS + 1], curve_y[PARETO_LORENZ_SEGMENTS + 1];
    struct pareto_curve curve = { PARETO_LORENZ_SEGMENTS, curve_x, curve_y, 0 };
    int with_curve = o.lorenz || o.also_lorenz;
    if (by_column) {
        size_t ranked_rows;
        if ((!ranked && !o.summary && !o.lorenz) ||
            pareto_rank_column(&t, (size_t)key, &values, &classes, ranked,
                               with_curve ? &curve : NULL, &ranked_rows,
                               &groups[0].summary) != 0)
            cli_die("out of memory");
        groups[0].count = ranked_rows;
        pareto_column_free(&values);
    }
    for (size_t g = 0; !by_column && g < group_count; g++) {
        struct pareto_group *gr = &groups[g];
        pareto_rank_ranked(items + gr->first, gr->count, exact, decimals, &classes,
                           order + gr->first, ranked ? ranked + gr->first : NULL, &gr->summary);
        for (size_t i = gr->first; gr->first && i < gr->first + gr->count; i++)
            order[i] += gr->first;
        if (o.previous)
            pareto_previous_match(&previous, gr->name, items + gr->first, gr->count,
                                  &gr->summary);
    }

    if (o.previous) {
        /* keys written differently in the two periods ("12437" here,
         * "12437.0" there) would make every client new and every old one lost */
        size_t matched = pareto_previous_matched(&previous);
        if (pareto_overlap_suspect(matched, n, previous.count)) {
            char here[64], there[64];
            cli_warn("%s: only %zu of its %zu clients are among the %zu here: are the keys "
                     "written the same way (\"%s\" there, \"%s\" here)?", previous_table.name,
                     matched, previous.count, n,
                     diag_quote(previous.entries[0].key, strlen(previous.entries[0].key),
                                there, sizeof there),
                     n ? diag_quote(items[order[0]].key, strlen(items[order[0]].key), here,
                                    sizeof here) : "");
        }
    }

    /* the input's mark, given, else a sibling's --excel output's */
    char source_mark = o.common.mark ? o.common.mark : csvio_source_mark(t.delim);
    const char *group_column = group >= 0 ? t.header[group] : NULL;  /* as the rows name it */
    struct csvout out;
    xlsx_book *book;
    if (o.summary || o.also_summary) {
        FILE *to = o.summary ? fp : summary_fp;
        book = start_output(&out, to, o.summary ? o.common.output : o.also_summary,
                            o.summary ? o.common.xlsx : summary_xlsx, &o.common, source_mark);
        pareto_table_summary(&out, groups, group_count, group_column, o.previous != NULL);
        cli_xlsx_finish(book, to);
    }
    if (o.lorenz || o.also_lorenz) {
        FILE *to = o.lorenz ? fp : lorenz_fp;
        book = start_output(&out, to, o.lorenz ? o.common.output : o.also_lorenz,
                            o.lorenz ? o.common.xlsx : lorenz_xlsx, &o.common, source_mark);
        if (pareto_table_lorenz(&out, items, order, exact, by_column ? &curve : NULL,
                                groups, group_count,
                                group_column, &diag) != 0)
            cli_die_diag(&diag);
        cli_xlsx_finish(book, to);
    }
    if (!o.summary && !o.lorenz) {
        /* with ranked, the rows need neither the items nor their order:
         * their 440 MB (5 M clients) go back before the rows' buffers
         * and the output's pages are taken */
        if (ranked) {
            free(items);
            free(order);
            items = NULL;
            order = NULL;
        }
        book = start_output(&out, fp, o.common.output, o.common.xlsx, &o.common, source_mark);
        out.threads = o.threads;
        if (pareto_table_rows(&out, &t, items, order, ranked, groups, group_count, key, group,
                              o.previous != NULL, &diag) != 0)
            cli_die_diag(&diag);
        cli_xlsx_finish(book, fp);
    }
    cli_output_commit();
    free(groups);
    free(order);
    free(ranked);
    free(items);
    free(previous.entries);
    table_free(&previous_table);
    table_free(&t);
    return 0;
}
