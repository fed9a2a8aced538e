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
#include "parse.h"

#define LORENZ_SEGMENTS 1000    /* at most 1,001 points per group */
#define MESSAGES_SHOWN 10       /* unusable rows reported one by one */

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

/* One group to report: its items are items[first .. first+count). */
struct group {
    const char *name;
    size_t first, count;
    struct pareto_summary summary;
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

static void write_ratio(struct csvout *out, double value)
{
    if (isnan(value))
        csvout_empty(out);
    else
        csvout_double(out, value);
}

static void write_class(struct csvout *out, char letter)
{
    char text[2] = { letter, '\0' };
    csvout_text(out, text);
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

/* ---- the previous period --------------------------------------------- */

static void load_previous(const struct options *o, const char *key_name,
                          struct table *t, struct pareto_previous *previous)
{
    struct diag diag;
    if (table_load(t, o->previous, o->delim, &diag) != 0)
        cli_die_diag(&diag);
    long key = find_column(t, key_name, "key");
    long class_col = find_column(t, "class", "class");
    long group = o->group ? find_column(t, o->group, "group") : -1;
    previous->count = t->rows;
    previous->entries = calloc(t->rows ? t->rows : 1, sizeof *previous->entries);
    if (!previous->entries)
        cli_die("out of memory");
    for (size_t i = 0; i < t->rows; i++) {
        struct pareto_previous_entry *e = &previous->entries[i];
        const char *cls = table_cell(t, i, (size_t)class_col);
        char quoted[64];
        e->key = table_cell(t, i, (size_t)key);
        e->group = group >= 0 ? table_cell(t, i, (size_t)group) : "";
        e->line = t->lines[i];
        if (!(e->class_letter = pareto_class_parse(cls)))
            cli_die("%s:%ld: class \"%s\" is not a class (A to Z, or -)", t->name, e->line,
                    diag_quote(cls, strlen(cls), quoted, sizeof quoted));
        if (e->key[0] == '\0')
            cli_die("%s:%ld: the key is empty", t->name, e->line);
    }
    if (pareto_previous_index(previous, t->name, &diag) != 0)
        cli_die_diag(&diag);
}

/* ---- groups ---------------------------------------------------------- */

static int compare_group_name(const void *a, const void *b)
{
    return strcmp(((const struct group *)a)->name, ((const struct group *)b)->name);
}

/* The groups of this period (runs of the sorted items), plus those only
 * the previous period had (no client now: all lost), in byte order. */
static struct group *find_groups(struct pareto_item *items, size_t n,
                                 const struct pareto_previous *previous, int grouped,
                                 size_t *count)
{
    size_t cap = 1 + (previous ? previous->count : 0);
    for (size_t i = 1; i < n; i++)
        if (strcmp(items[i].group, items[i - 1].group) != 0)
            cap++;
    struct group *groups = calloc(cap, sizeof *groups);
    if (!groups)
        cli_die("out of memory");
    size_t g = 0;
    for (size_t i = 0; i < n; i++) {
        if (i == 0 || strcmp(items[i].group, items[i - 1].group) != 0)
            groups[g++] = (struct group){ .name = items[i].group, .first = i };
        groups[g - 1].count++;
    }
    if (!grouped && g == 0)
        groups[g++] = (struct group){ .name = "" };
    size_t current = g;
    for (size_t i = 0; grouped && previous && i < previous->count; i++) {
        const char *name = previous->entries[i].group;
        if (i > 0 && strcmp(name, previous->entries[i - 1].group) == 0)
            continue;
        struct group want = { .name = name };
        if (!bsearch(&want, groups, current, sizeof *groups, compare_group_name))
            groups[g++] = (struct group){ .name = name, .first = n };
    }
    qsort(groups, g, sizeof *groups, compare_group_name);
    *count = g;
    return groups;
}

/* ---- output ---------------------------------------------------------- */

static void write_money(struct csvout *out, const struct pareto_summary *s,
                        int64_t scaled, long double value)
{
    if (s->exact && s->totals_fit)
        csvout_money(out, scaled, s->decimals);
    else
        csvout_double(out, (double)value);
}

static void write_summary(struct csvout *out, const struct group *g, int grouped,
                          int with_previous)
{
    const struct pareto_summary *s = &g->summary;
    char name[64];
#define START(...) do { if (grouped) csvout_text(out, g->name); \
        snprintf(name, sizeof name, __VA_ARGS__); csvout_text(out, name); } while (0)
    START("clients");           csvout_long(out, (long long)s->clients); csvout_end_row(out);
    START("positive");          csvout_long(out, (long long)s->positive); csvout_end_row(out);
    START("nonpositive");       csvout_long(out, (long long)s->nonpositive); csvout_end_row(out);
    START("total");
    write_money(out, s, s->total_scaled, s->total);
    csvout_end_row(out);
    START("nonpositive_total");
    write_money(out, s, s->nonpositive_total_scaled, s->nonpositive_total);
    csvout_end_row(out);
    START("share_top20");       write_ratio(out, s->share_top20); csvout_end_row(out);
    START("clients_for_80");
    if (s->positive)
        csvout_long(out, (long long)s->clients_for_80);
    else
        csvout_empty(out);
    csvout_end_row(out);
    START("clients_for_80_share");
    write_ratio(out, s->positive ? (double)s->clients_for_80 / (double)s->positive : NAN);
    csvout_end_row(out);
    START("gini");              write_ratio(out, s->gini); csvout_end_row(out);
    for (size_t k = 0; k < s->classes; k++) {
        char letter = (char)('A' + k);
        START("class_%c_clients", letter);
        csvout_long(out, (long long)s->class_clients[k]);
        csvout_end_row(out);
        START("class_%c_clients_share", letter);
        write_ratio(out, s->positive ? (double)s->class_clients[k] / (double)s->positive : NAN);
        csvout_end_row(out);
        START("class_%c_value_share", letter);
        write_ratio(out, s->positive ? (double)(s->class_value[k] / s->total) : NAN);
        csvout_end_row(out);
    }
    if (with_previous) {
        /* classes of either period, then '-' */
        size_t order[PARETO_MAX_CLASSES + 1], count = 0;
        for (size_t k = 0; k < s->migrate_classes; k++)
            order[count++] = k;
        order[count++] = PARETO_DASH;
        for (size_t i = 0; i < count; i++)
            for (size_t j = 0; j < count; j++) {
                char from = order[i] == PARETO_DASH ? '-' : (char)('A' + order[i]);
                char to = order[j] == PARETO_DASH ? '-' : (char)('A' + order[j]);
                START("migrate_%c_%c", from, to);
                csvout_long(out, (long long)s->migrate[order[i]][order[j]]);
                csvout_end_row(out);
            }
        for (size_t j = 0; j < count; j++) {
            START("migrate_new_%c", order[j] == PARETO_DASH ? '-' : (char)('A' + order[j]));
            csvout_long(out, (long long)s->migrate[PARETO_NONE][order[j]]);
            csvout_end_row(out);
        }
        for (size_t i = 0; i < count; i++) {
            START("migrate_%c_lost", order[i] == PARETO_DASH ? '-' : (char)('A' + order[i]));
            csvout_long(out, (long long)s->migrate[order[i]][PARETO_NONE]);
            csvout_end_row(out);
        }
    }
#undef START
}

/* One row per client (per group): a key seen twice means sales lines were
 * given where a roll-up was expected, and every share would be wrong. */
static void check_unique(const struct table *t, long key, long group)
{
    size_t first, second;
    int found = table_find_duplicate(t, (size_t)key, group, &first, &second);
    if (found < 0)
        cli_die("out of memory");
    if (found) {
        const char *k = table_cell(t, second, (size_t)key);
        char quoted[64];
        cli_die("%s:%ld: client \"%s\" appears again (first on line %ld)%s: cl-pareto wants "
                "one row per client; roll sales lines up with cl-rollup first", t->name,
                t->lines[second], diag_quote(k, strlen(k), quoted, sizeof quoted),
                t->lines[first], group >= 0 ? " in the same group" : "");
    }
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
    static const char *const added[] = { "rank", "share", "cum_share", "cum_clients_share",
                                         "class", "previous_class" };
    for (size_t i = 0; !o.summary && !o.lorenz && i < sizeof added / sizeof *added; i++)
        if ((i < 5 || o.previous) && table_find(&t, added[i]) >= 0)
            cli_die("%s: the input has a column \"%s\" already (a cl-pareto output?)",
                    t.name, added[i]);

    check_unique(&t, key, group);

    /* the usable rows */
    struct pareto_column values;
    if (pareto_column_read(&values, &t, (size_t)by, &diag) != 0)
        cli_die_diag(&diag);
    struct pareto_item *items = calloc(t.rows ? t.rows : 1, sizeof *items);
    if (!items)
        cli_die("out of memory");
    size_t n = 0, left_out = 0;
    for (size_t i = 0; i < t.rows; i++) {
        const char *cell = table_cell(&t, i, (size_t)by);
        const char *key_text = table_cell(&t, i, (size_t)key);
        char problem[200], quoted[64];
        if (values.status[i] == PARSE_EMPTY)
            snprintf(problem, sizeof problem, "%s is empty", t.header[by]);
        else if (values.status[i] != PARSE_OK)
            snprintf(problem, sizeof problem, "%s \"%s\" %s", t.header[by],
                     diag_quote(cell, strlen(cell), quoted, sizeof quoted),
                     parse_status_text(values.status[i]));
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
        if (o.strict)
            cli_die("%s:%ld: %s", t.name, t.lines[i], problem);
        if (++left_out <= MESSAGES_SHOWN)
            cli_warn("%s:%ld: %s (row left out)", t.name, t.lines[i], problem);
    }
    if (left_out > 0)
        cli_warn("%s: %zu row%s left out of %zu (--strict makes this an error)", t.name,
                 left_out, left_out == 1 ? "" : "s", t.rows);


    struct table previous_table;
    struct pareto_previous previous = { 0 };
    memset(&previous_table, 0, sizeof previous_table);
    if (o.previous)
        load_previous(&o, t.header[key], &previous_table, &previous);

    if (group >= 0)
        pareto_sort_groups(items, n);
    size_t group_count;
    struct group *groups = find_groups(items, n, o.previous ? &previous : NULL, group >= 0,
                                       &group_count);
    for (size_t g = 0; g < group_count; g++) {
        struct group *gr = &groups[g];
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
    if (o.summary) {
        if (group >= 0)
            csvout_text(&out, "group");
        csvout_text(&out, "metric");
        csvout_text(&out, "value");
        csvout_end_row(&out);
        for (size_t g = 0; g < group_count; g++)
            write_summary(&out, &groups[g], group >= 0, o.previous != NULL);
    } else if (o.lorenz) {
        if (group >= 0)
            csvout_text(&out, "group");
        csvout_text(&out, "cum_clients_share");
        csvout_text(&out, "cum_share");
        csvout_end_row(&out);
        double *x = malloc((LORENZ_SEGMENTS + 1) * sizeof *x);
        double *y = malloc((LORENZ_SEGMENTS + 1) * sizeof *y);
        if (!x || !y)
            cli_die("out of memory");
        for (size_t g = 0; g < group_count; g++) {
            size_t points = pareto_lorenz(items + groups[g].first, values.exact,
                                          &groups[g].summary, LORENZ_SEGMENTS, x, y);
            for (size_t i = 0; i < points; i++) {
                if (group >= 0)
                    csvout_text(&out, groups[g].name);
                csvout_double(&out, x[i]);
                csvout_double(&out, y[i]);
                csvout_end_row(&out);
            }
        }
        free(x);
        free(y);
    } else {
        for (size_t c = 0; c < t.columns; c++)
            csvout_text(&out, t.header[c]);
        for (size_t i = 0; i < 5; i++)
            csvout_text(&out, added[i]);
        if (o.previous)
            csvout_text(&out, "previous_class");
        csvout_end_row(&out);
        for (size_t g = 0; g < group_count; g++)
            for (size_t i = groups[g].first; i < groups[g].first + groups[g].count; i++) {
                const struct pareto_item *it = &items[i];
                for (size_t c = 0; c < t.columns; c++)
                    csvout_cell(&out, table_cell(&t, it->row, c),
                               (long)c != key && (long)c != group);
                csvout_long(&out, (long long)it->rank);
                write_ratio(&out, it->share);
                write_ratio(&out, it->cum_share);
                write_ratio(&out, it->cum_clients_share);
                write_class(&out, it->class_letter);
                if (o.previous) {
                    if (it->previous_class)
                        write_class(&out, it->previous_class);
                    else
                        csvout_empty(&out);
                }
                csvout_end_row(&out);
            }
    }
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
