/* cl-score — add a score to each client: the weighted multi-criteria grid
 * (--grid) or RFM quintiles with named segments (--rfm). The analytics
 * live in lib/score. */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>

#include "cli.h"
#include "cli_opts.h"
#include "cli_xlsx.h"
#include "columns.h"
#include "csvio.h"
#include "pareto.h"
#include "parse.h"
#include "score.h"


struct options {
    const char *input;          /* file or "-" */
    const char *output;         /* -o, or NULL for stdout */
    const char *grid;           /* --grid spec, or NULL */
    int rfm;
    const char *normalize;      /* --normalize, or NULL */
    const char *recency, *frequency, *monetary;     /* NULL: defaults */
    const char *segments;       /* --segments FILE, or NULL */
    int strict, excel, xlsx;
    char delim;
    char mark;                  /* --decimal-comma ',', --decimal-point '.', 0: sniffed */
};

_Noreturn static void usage(void)
{
    printf("Usage: cl-score (--grid SPEC | --rfm) [OPTION]... [FILE]\n"
           "Add a score to each client (one row each, e.g. a cl-rollup output).\n"
           "With no FILE, or when FILE is -, read standard input.\n"
           "\n");
    cli_help_line("--grid SPEC", "weighted criteria, e.g. 'margin=0.5,potential=0.3,\n"
                  "relation=0.2'; a negative weight means lower is\n"
                  "better; 50% is 0.5; adds n_<column>... and score\n"
                  "(0-100)");
    cli_help_line("-n, --normalize HOW", "grid normalisation: rank (default) or minmax");
    cli_help_line("-r, --rfm", "RFM quintiles: adds r, f, m, rfm, segment");
    cli_help_line("--recency COL", "RFM recency column (default: recency_days)");
    cli_help_line("--frequency COL", "RFM frequency column (default: orders)");
    cli_help_line("--value COL", "RFM monetary column (default: revenue)");
    cli_help_line("--segments FILE", "with --rfm, also write one row per segment to FILE:\n"
                  "clients, monetary total (exact) and shares, means");
    cli_help_common(CLI_HELP_STRICT | CLI_HELP_DELIMITER | CLI_HELP_ENCODING | CLI_HELP_DECIMAL |
                    CLI_HELP_OUTPUT |
                    CLI_HELP_EXCEL | CLI_HELP_XLSX | CLI_HELP_END);
    printf("\n"
           "Ties share their average rank: the result never depends on input order.\n"
           "Exit status: 0 success, 1 data error, 2 usage error.\n");
    exit(0);
}

static void parse_options(int argc, char **argv, struct options *o)
{
    enum { OPT_STRICT = 256, OPT_EXCEL, OPT_RECENCY, OPT_FREQUENCY, OPT_MONETARY,
           OPT_XLSX, OPT_GRID, OPT_VALUE, OPT_SEGMENTS };
    static const struct option longs[] = {
        { "grid", required_argument, NULL, OPT_GRID },
        { "normalize", required_argument, NULL, 'n' },
        { "rfm", no_argument, NULL, 'r' },
        { "recency", required_argument, NULL, OPT_RECENCY },
        { "frequency", required_argument, NULL, OPT_FREQUENCY },
        { "value", required_argument, NULL, OPT_VALUE },
        { "segments", required_argument, NULL, OPT_SEGMENTS },
        { "strict", no_argument, NULL, OPT_STRICT },
        { "delimiter", required_argument, NULL, 'd' },
        { "encoding", required_argument, NULL, CLI_OPT_ENCODING },
        { "decimal-comma", no_argument, NULL, CLI_OPT_DECIMAL_COMMA },
        { "decimal-point", no_argument, NULL, CLI_OPT_DECIMAL_POINT },
        { "output", required_argument, NULL, 'o' },
        { "excel", no_argument, NULL, OPT_EXCEL },
        { "output-delimiter", required_argument, NULL, CLI_OPT_OUTPUT_DELIMITER },
        { "xlsx", no_argument, NULL, OPT_XLSX },
        { "quiet", no_argument, NULL, CLI_OPT_QUIET },
        { "verbose", no_argument, NULL, 'v' },
        { "help", no_argument, NULL, 'h' },
        { "version", no_argument, NULL, 'V' },
        /* old spellings, for one release (NEWS) */
        { "monetary", required_argument, NULL, OPT_MONETARY },
        { NULL, 0, NULL, 0 },
    };
    memset(o, 0, sizeof *o);
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, ":g:n:rd:o:vhV", longs, NULL)) != -1) {
        switch (c) {
        case 'g':
            cli_deprecated("-g", "--grid (-g is --group in the suite)");
            /* fall through */
        case OPT_GRID: o->grid = optarg; break;
        case 'n': o->normalize = optarg; break;
        case 'r': o->rfm = 1; break;
        case OPT_RECENCY: o->recency = optarg; break;
        case OPT_FREQUENCY: o->frequency = optarg; break;
        case OPT_SEGMENTS: o->segments = optarg; break;
        case OPT_MONETARY:
            cli_deprecated("--monetary", "--value");
            /* fall through */
        case OPT_VALUE: o->monetary = optarg; break;
        case OPT_STRICT: o->strict = 1; break;
        case OPT_EXCEL: o->excel = 1; break;
        case CLI_OPT_OUTPUT_DELIMITER: cli_set_output_delimiter(optarg); break;
        case OPT_XLSX: o->xlsx = 1; break;
        case CLI_OPT_ENCODING: cli_set_encoding(optarg); break;
        case CLI_OPT_DECIMAL_COMMA:
        case CLI_OPT_DECIMAL_POINT:
            cli_set_decimal_mark(&o->mark, c == CLI_OPT_DECIMAL_COMMA);
            break;
        case 'd':
            o->delim = cli_parse_delim(optarg);
            break;
        case 'o': o->output = optarg; break;
        case CLI_OPT_QUIET: cli_set_quiet(); break;
        case 'v': cli_set_verbose(); break;
        case 'h': usage();
        case 'V': cli_version();
        default: cli_bad_option(c, argv);
        }
    }
    o->input = cli_one_input(argc, argv);
    if (!o->grid && !o->rfm)
        cli_usage("say which score: --grid SPEC or --rfm");
    if (o->grid && o->rfm)
        cli_usage("--grid and --rfm are two scores: give one (run cl-score twice for both)");
    if (o->normalize && !o->grid)
        cli_usage("--normalize is for --grid");
    if (o->normalize && strcmp(o->normalize, "rank") != 0 && strcmp(o->normalize, "minmax") != 0)
        cli_usage("--normalize: \"%s\" is not rank or minmax", o->normalize);
    if (!o->rfm && (o->recency || o->frequency || o->monetary))
        cli_usage("--recency, --frequency and --value are for --rfm");
    if (!o->rfm && o->segments)
        cli_usage("--segments is for --rfm");
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

/* The criteria columns, read; rows where one is unusable are reported
 * (fatal with --strict) and marked in `usable`. @return usable rows. */
static size_t read_criteria(const struct options *o, const struct table *t, size_t count,
                            const long *cols, struct pareto_column *values,
                            unsigned char *usable)
{
    struct diag diag;
    for (size_t k = 0; k < count; k++)
        if (pareto_column_read_mark(&values[k], t, (size_t)cols[k], o->mark, &diag) != 0)
            cli_die_diag(&diag);
    size_t n = 0;
    struct cli_left_out left_out = { .strict = o->strict };
    for (size_t i = 0; i < t->rows; i++) {
        usable[i] = 1;
        for (size_t k = 0; k < count && usable[i]; k++) {
            enum parse_status st = values[k].status[i];
            if (st == PARSE_OK)
                continue;
            usable[i] = 0;
            char problem[200];
            parse_value_problem(t->header[cols[k]], table_cell(t, i, (size_t)cols[k]), st,
                                problem, sizeof problem);
            cli_left_out(&left_out, t->name, t->lines[i], problem);
        }
        n += usable[i];
    }
    cli_left_out_done(&left_out, t->name, t->rows);
    return n;
}

/* The usable values of one column, packed: doubles, and scaled integers
 * when the column is exact money (then *scaled_out is set, else NULL). */
static void pack(const struct pareto_column *c, const unsigned char *usable, size_t rows,
                 double *values, int64_t *scaled, const int64_t **scaled_out)
{
    size_t j = 0;
    for (size_t i = 0; i < rows; i++)
        if (usable[i]) {
            values[j] = c->value[i];
            scaled[j] = c->scaled[i];
            j++;
        }
    *scaled_out = c->exact ? scaled : NULL;
}

static void check_new_columns(const struct table *t, const char *const *names, size_t count)
{
    for (size_t i = 0; i < count; i++)
        if (table_find(t, names[i]) >= 0)
            cli_die("%s: the input has a column \"%s\" already", t->name, names[i]);
}

/* Per RFM segment: its clients, its monetary total (exact when the column
 * is), and the sums behind the recency and frequency means. */
struct segment_totals {
    size_t clients;
    int64_t scaled;
    double value, recency, frequency;
};

/* The segment table, in the usual order from champions to lost. */
static void write_segments(FILE *fp, const struct table *t, const long *cols,
                           const struct pareto_column *monetary,
                           const struct segment_totals *seg, size_t segments)
{
    struct csvout out;
    csvout_init(&out, fp, 0);
    size_t clients = 0;
    int64_t scaled = 0;
    double value = 0;
    for (size_t s = 0; s < segments; s++) {
        clients += seg[s].clients;
        value += seg[s].value;
        if (__builtin_add_overflow(scaled, seg[s].scaled, &scaled))
            cli_die("%s: the monetary total goes beyond 64 bits", t->name);
    }
    double total = monetary->exact ? (double)scaled / MONEY_SCALE : value;
    char name[3][256];
    snprintf(name[0], sizeof name[0], "%s_mean", t->header[cols[0]]);
    snprintf(name[1], sizeof name[1], "%s_mean", t->header[cols[1]]);
    snprintf(name[2], sizeof name[2], "%s_share", t->header[cols[2]]);
    const char *header[] = { "segment", "clients", "clients_share", t->header[cols[2]], name[2],
                             name[0], name[1] };
    for (size_t c = 0; c < 7; c++)
        csvout_text(&out, header[c]);
    csvout_end_row(&out);
    for (size_t s = 0; s < segments; s++) {
        const struct segment_totals *g = &seg[s];
        if (g->clients == 0)
            continue;
        double part = monetary->exact ? (double)g->scaled / MONEY_SCALE : g->value;
        csvout_text(&out, score_segment_name(s));
        csvout_long(&out, (long long)g->clients);
        csvout_double(&out, (double)g->clients / (double)clients);
        if (monetary->exact)
            csvout_money(&out, g->scaled, monetary->decimals < 2 ? 2 : monetary->decimals);
        else
            csvout_double(&out, g->value);
        if (total > 0)
            csvout_double(&out, part / total);
        else
            csvout_empty(&out);
        csvout_double(&out, g->recency / (double)g->clients);
        csvout_double(&out, g->frequency / (double)g->clients);
        csvout_end_row(&out);
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

    struct score_grid grid;
    memset(&grid, 0, sizeof grid);
    if (o.grid && score_grid_parse(&grid, o.grid, &diag) != 0)
        cli_usage("--grid: %s", diag.message);

    FILE *fp = cli_output(o.output);
    struct table t;
    if (table_load(&t, o.input, o.delim, &diag) != 0)
        cli_die_diag(&diag);
    if (t.rows == 0)
        cli_die("%s: no data after the header", t.name);
    /* one row per client: the first column is the key */
    if (table_check_unique(&t, 0, -1, "cl-score", &diag) != 0)
        cli_die_diag(&diag);

    /* the criteria: the grid's, or recency, frequency, monetary */
    size_t count = o.grid ? grid.count : 3;
    long cols[SCORE_MAX_CRITERIA];
    char *added[SCORE_MAX_CRITERIA + 1];
    size_t added_count = 0;
    static const char *const rfm_added[] = { "r", "f", "m", "rfm", "segment" };
    if (o.grid) {
        for (size_t k = 0; k < count; k++) {
            cols[k] = find_column(&t, grid.criteria[k].name, "criterion");
            const char *header = t.header[cols[k]];
            if (!(added[k] = malloc(strlen(header) + 3)))
                cli_die("out of memory");
            sprintf(added[k], "n_%s", header);
            for (size_t j = 0; j < k; j++)
                if (cols[j] == cols[k])
                    cli_usage("--grid: \"%s\" and \"%s\" are one column", grid.criteria[j].name,
                              grid.criteria[k].name);
        }
        added[count] = strdup("score");
        if (!added[count])
            cli_die("out of memory");
        added_count = count + 1;
        check_new_columns(&t, (const char *const *)added, added_count);
        if (grid.weights_normalized) {
            char sum[32];
            cli_warn("note: the weights add up to %s, not 1: each is divided by it",
                     format_double(grid.weight_sum, '.', sum));
        }
    } else {
        cols[0] = find_column(&t, o.recency ? o.recency : "recency_days", "recency");
        cols[1] = find_column(&t, o.frequency ? o.frequency : "orders", "frequency");
        cols[2] = find_column(&t, o.monetary ? o.monetary : "revenue", "monetary");
        check_new_columns(&t, rfm_added, 5);
    }
    static const char *const rfm_roles[] = { "recency", "frequency", "value" };
    cli_verbose_dialect(t.name, t.delim, o.delim != 0);
    for (size_t k = 0; k < count; k++)
        cli_verbose("%s: %s: %s (column %ld)", t.name,
                    o.grid ? grid.criteria[k].name : rfm_roles[k], t.header[cols[k]],
                    cols[k] + 1);

    struct pareto_column values[SCORE_MAX_CRITERIA];
    unsigned char *usable = malloc(t.rows ? t.rows : 1);
    if (!usable)
        cli_die("out of memory");
    size_t n = read_criteria(&o, &t, count, cols, values, usable);

    /* per criterion, the packed values and their result (n_k, or r/f/m) */
    size_t alloc = n ? n : 1;
    double *packed = malloc(alloc * sizeof *packed);
    int64_t *scaled = malloc(alloc * sizeof *scaled);
    double *normalized = malloc(alloc * count * sizeof *normalized);
    unsigned char *quintile = malloc(alloc * 3);
    if (!packed || !scaled || !normalized || !quintile)
        cli_die("out of memory");
    for (size_t k = 0; k < count; k++) {
        const int64_t *exact;
        pack(&values[k], usable, t.rows, packed, scaled, &exact);
        int status;
        if (o.grid)
            status = score_normalize(packed, exact, n,
                                     o.normalize && strcmp(o.normalize, "minmax") == 0
                                         ? SCORE_MINMAX : SCORE_RANK,
                                     grid.criteria[k].lower_better, normalized + k * alloc,
                                     &diag);
        else
            status = score_quintiles(packed, exact, n, k == 0, quintile + k * alloc, &diag);
        if (status != 0)
            cli_die_diag(&diag);
    }

    FILE *segments_fp = o.segments ? cli_output(o.segments) : NULL;
    struct segment_totals seg[SCORE_SEGMENTS];
    memset(seg, 0, sizeof seg);
    struct csvout out;
    csvout_init(&out, fp, o.excel);
    /* the input's mark, given, else a sibling's --excel output's */
    csvout_source_mark(&out, o.mark ? o.mark : csvio_source_mark(t.delim));
    xlsx_book *book = cli_xlsx_start(&out, o.output, o.xlsx);
    for (size_t c = 0; c < t.columns; c++)
        csvout_text(&out, t.header[c]);
    for (size_t k = 0; k < (o.grid ? added_count : 5); k++)
        csvout_text(&out, o.grid ? added[k] : rfm_added[k]);
    csvout_end_row(&out);
    double row_normalized[SCORE_MAX_CRITERIA];
    for (size_t i = 0, j = 0; i < t.rows; i++) {
        if (!usable[i])
            continue;
        for (size_t c = 0; c < t.columns; c++)
            csvout_cell(&out, table_cell(&t, i, c), c != 0);
        if (o.grid) {
            for (size_t k = 0; k < count; k++) {
                row_normalized[k] = normalized[k * alloc + j];
                csvout_double(&out, row_normalized[k]);
            }
            csvout_double(&out, score_grid_score(&grid, row_normalized));
        } else {
            int r = quintile[j], f = quintile[alloc + j], m = quintile[2 * alloc + j];
            char rfm[4] = { (char)('0' + r), (char)('0' + f), (char)('0' + m), '\0' };
            csvout_long(&out, r);
            csvout_long(&out, f);
            csvout_long(&out, m);
            csvout_text(&out, rfm);
            const char *name = score_segment(r, f, m);
            csvout_text(&out, name);
            struct segment_totals *g = &seg[score_segment_rank(name)];
            g->clients++;
            g->value += values[2].value[i];
            if (__builtin_add_overflow(g->scaled, values[2].scaled[i], &g->scaled))
                cli_die("%s: the monetary total goes beyond 64 bits", t.name);
            g->recency += values[0].value[i];
            g->frequency += values[1].value[i];
        }
        csvout_end_row(&out);
        j++;
    }
    cli_xlsx_finish(book, fp);
    if (segments_fp)
        write_segments(segments_fp, &t, cols, &values[2], seg, SCORE_SEGMENTS);
    cli_output_commit();

    for (size_t k = 0; k < count; k++)
        pareto_column_free(&values[k]);
    for (size_t k = 0; k < added_count; k++)
        free(added[k]);
    free(packed);
    free(scaled);
    free(normalized);
    free(quintile);
    free(usable);
    score_grid_free(&grid);
    table_free(&t);
    return 0;
}
