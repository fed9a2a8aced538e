/* cl-pareto — rank clients by value: Pareto 20/80, ABC classes, Gini,
 * the Lorenz curve, and the migration between last period's classes and
 * this one's. The analytics live in lib/pareto. */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>

#include "cli.h"
#include "cli_xlsx.h"
#include "columns.h"
#include "csvio.h"
#include "pareto.h"
#include "pareto_table.h"
#include "parse.h"


struct options {
    const char *input;      /* file or "-" */
    const char *output;     /* -o, or NULL for stdout */
    const char *by;         /* value column */
    const char *key;        /* key column, NULL: the first */
    const char *group;      /* --group column, or NULL */
    const char *previous;   /* --previous file, or NULL */
    const char *cut, *quota;
    int summary, lorenz, strict, excel, xlsx;
    char delim;             /* 0: sniffed */
};

_Noreturn static void usage(void)
{
    printf("Usage: cl-pareto [OPTION]... [FILE]\n"
           "Rank clients (one row each, e.g. a cl-rollup output) by value and add the\n"
           "Pareto columns: rank, share, cum_share, cum_clients_share, class.\n"
           "With no FILE, or when FILE is -, read standard input.\n"
           "\n"
           "  -b, --by COL         value to rank on (default: revenue)\n"
           "  -k, --key COL        client key, the last tie-break (default: first column)\n"
           "  -c, --cut LIST       classes by cumulative value percents (default: 80,95;\n"
           "                       80%%,95%% is the same)\n"
           "  -q, --quota LIST     classes by percents of clients, e.g. 20,30 or 20%%,30%%\n"
           "  -g, --group COL      the whole analysis per value of COL\n"
           "  -s, --summary        write metric,value rows instead of the clients\n"
           "  -l, --lorenz         write the Lorenz curve: cum_clients_share,cum_share\n"
           "  -p, --previous FILE  last period's cl-pareto output: add previous_class and,\n"
           "                       in the summary, the migration counts\n"
           "      --strict         a row with a missing or bad value is an error\n"
           "  -d, --delimiter D    input delimiter: , ; | or tab (default: sniffed)\n"
           "      --encoding NAME  the input's encoding: any iconv name\n"
           "                       (default: a UTF-16 BOM, else UTF-8 when valid,\n"
           "                        else WINDOWS-1252, said on stderr)\n"
           "  -o, --output FILE    write FILE (atomically) instead of standard output\n"
           "      --excel          write for a spreadsheet: ';', decimal comma, BOM\n"
           "      --xlsx           an Excel workbook (also when -o ends in .xlsx)\n"
           "  -h, --help           show this help and exit\n"
           "  -V, --version        show the version and exit\n"
           "\n"
           "Clients with a value <= 0 are ranked last, get class '-', and are left out of\n"
           "the shares, the Gini and the Lorenz curve. Ties in value share one class.\n"
           "Exit status: 0 success, 1 data error, 2 usage error.\n");
    exit(0);
}

static void parse_options(int argc, char **argv, struct options *o)
{
    enum { OPT_STRICT = 256, OPT_EXCEL, OPT_XLSX };
    static const struct option longs[] = {
        { "by", required_argument, NULL, 'b' },
        { "key", required_argument, NULL, 'k' },
        { "cut", required_argument, NULL, 'c' },
        { "quota", required_argument, NULL, 'q' },
        { "group", required_argument, NULL, 'g' },
        { "summary", no_argument, NULL, 's' },
        { "lorenz", no_argument, NULL, 'l' },
        { "previous", required_argument, NULL, 'p' },
        { "strict", no_argument, NULL, OPT_STRICT },
        { "delimiter", required_argument, NULL, 'd' },
        { "encoding", required_argument, NULL, CLI_OPT_ENCODING },
        { "output", required_argument, NULL, 'o' },
        { "excel", no_argument, NULL, OPT_EXCEL },
        { "xlsx", no_argument, NULL, OPT_XLSX },
        { "help", no_argument, NULL, 'h' },
        { "version", no_argument, NULL, 'V' },
        { NULL, 0, NULL, 0 },
    };
    memset(o, 0, sizeof *o);
    o->by = "revenue";
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, ":b:k:c:q:g:slp:d:o:hV", longs, NULL)) != -1) {
        switch (c) {
        case 'b': o->by = optarg; break;
        case 'k': o->key = optarg; break;
        case 'c': o->cut = optarg; break;
        case 'q': o->quota = optarg; break;
        case 'g': o->group = optarg; break;
        case 's': o->summary = 1; break;
        case 'l': o->lorenz = 1; break;
        case 'p': o->previous = optarg; break;
        case OPT_STRICT: o->strict = 1; break;
        case OPT_EXCEL: o->excel = 1; break;
        case OPT_XLSX: o->xlsx = 1; break;
        case CLI_OPT_ENCODING: cli_set_encoding(optarg); break;
        case 'd':
            o->delim = cli_parse_delim(optarg);
            break;
        case 'o': o->output = optarg; break;
        case 'h': usage();
        case 'V': cli_version();
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
}

static long find_column(const struct table *t, const char *name, const char *role)
{
    struct diag diag;
    long col = columns_find((const char *const *)t->header, t->columns, name, NULL, role, 1,
                            t->name, &diag);
    if (col < 0)
        cli_die_diag(&diag);
    return col;
}

int main(int argc, char **argv)
{
    struct options o;
    struct diag diag;
    cli_init(argv[0]);
    gsl_set_error_handler_off();
    parse_options(argc, argv, &o);
    o.xlsx = cli_xlsx_wanted(o.output, o.xlsx, o.excel);

    struct pareto_classes classes;
    const char *list = o.quota ? o.quota : o.cut ? o.cut : "80,95";
    if (pareto_classes_parse(&classes, o.quota ? PARETO_QUOTA : PARETO_CUT, list, &diag) != 0)
        cli_usage("%s: %s", o.quota ? "--quota" : "--cut", diag.message);

    if (o.previous)
        cli_input(o.previous);
    FILE *fp = cli_output(o.output);
    struct table t;
    if (table_load(&t, o.input, o.delim, &diag) != 0)
        cli_die_diag(&diag);
    if (t.rows == 0)
        cli_die("%s: no data after the header", t.name);
    long key = o.key ? find_column(&t, o.key, "key") : 0;
    long by = find_column(&t, o.by, "value");
    long group = o.group ? find_column(&t, o.group, "group") : -1;
    for (size_t i = 0; !o.summary && !o.lorenz && pareto_table_added[i]; i++)
        if ((i < 5 || o.previous) && table_find(&t, pareto_table_added[i]) >= 0)
            cli_die("%s: the input has a column \"%s\" already (a cl-pareto output?)",
                    t.name, pareto_table_added[i]);

    if (table_check_unique(&t, (size_t)key, group, "cl-pareto", &diag) != 0)
        cli_die_diag(&diag);

    /* the usable rows */
    struct pareto_column values;
    if (pareto_column_read(&values, &t, (size_t)by, &diag) != 0)
        cli_die_diag(&diag);
    struct pareto_item *items = calloc(t.rows ? t.rows : 1, sizeof *items);
    if (!items)
        cli_die("out of memory");
    size_t n = 0;
    struct cli_left_out left_out = { .strict = o.strict };
    for (size_t i = 0; i < t.rows; i++) {
        const char *cell = table_cell(&t, i, (size_t)by);
        const char *key_text = table_cell(&t, i, (size_t)key);
        char problem[200];
        if (values.status[i] != PARSE_OK)
            parse_value_problem(t.header[by], cell, values.status[i], problem, sizeof problem);
        else if (key_text[0] == '\0')
            snprintf(problem, sizeof problem, "%s (the key) is empty", t.header[key]);
        else {
            items[n++] = (struct pareto_item){
                .row = i, .key = key_text,
                .group = group >= 0 ? table_cell(&t, i, (size_t)group) : "",
                .value = values.value[i], .scaled = values.scaled[i],
            };
            continue;
        }
        cli_left_out(&left_out, t.name, t.lines[i], problem);
    }
    cli_left_out_done(&left_out, t.name, t.rows);

    struct table previous_table;
    struct pareto_previous previous = { 0 };
    memset(&previous_table, 0, sizeof previous_table);
    if (o.previous && pareto_table_previous(&previous_table, &previous, o.previous, o.delim,
                                            t.header[key], o.group, &diag) != 0)
        cli_die_diag(&diag);

    if (group >= 0)
        pareto_sort_groups(items, n);
    size_t group_count;
    struct pareto_group *groups = pareto_table_groups(items, n, o.previous ? &previous : NULL,
                                                      group >= 0, &group_count, &diag);
    if (!groups)
        cli_die_diag(&diag);
    for (size_t g = 0; g < group_count; g++) {
        struct pareto_group *gr = &groups[g];
        pareto_rank(items + gr->first, gr->count, values.exact, values.decimals, &classes,
                    &gr->summary);
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
                     n ? diag_quote(items[0].key, strlen(items[0].key), here, sizeof here) : "");
        }
    }

    struct csvout out;
    csvout_init(&out, fp, o.excel);
    csvout_source_mark(&out, csvio_source_mark(t.delim));   /* a sibling's --excel output */
    xlsx_book *book = cli_xlsx_start(&out, o.output, o.xlsx);
    if (o.summary)
        pareto_table_summary(&out, groups, group_count, group >= 0, o.previous != NULL);
    else if (o.lorenz) {
        if (pareto_table_lorenz(&out, items, values.exact, groups, group_count, group >= 0,
                                &diag) != 0)
            cli_die_diag(&diag);
    } else
        pareto_table_rows(&out, &t, items, groups, group_count, key, group, o.previous != NULL);
    cli_xlsx_finish(book, fp);
    cli_output_commit();
    free(groups);
    free(items);
    free(previous.entries);
    pareto_column_free(&values);
    table_free(&previous_table);
    table_free(&t);
    return 0;
}
