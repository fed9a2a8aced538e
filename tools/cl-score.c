/* cl-score — add a score to each client: the weighted multi-criteria grid
 * (--grid) or RFM quintiles with named segments (--rfm). The analytics
 * live in lib/score. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>

#include "cli.h"
#include "cli_opts.h"
#include "cli_xlsx.h"
#include "columns.h"
#include "csvio.h"
#include "pareto_table.h"
#include "parse.h"
#include "score.h"
#include "score_table.h"

struct options {
    const char *input;          /* file or "-" */
    struct cli_common common;       /* -o, -d, --strict, the marks, --excel, --xlsx */
    const char *grid;           /* --grid spec, or NULL */
    int rfm;
    const char *normalize;      /* --normalize, or NULL */
    const char *recency, *frequency, *monetary;     /* NULL: defaults */
    const char *segments;       /* --segments FILE, or NULL */
    int threads;                /* --threads, 0: the writer's default */
};

/* the common options cl-score takes (cli_opts.h), in its help and getopt */
#define COMMON (CLI_HELP_TABLE_IN | CLI_HELP_TABLE_OUT | CLI_HELP_END)

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
    cli_help_line("--threads N", "threads that format the rows: 1, or 2 (the default,\n"
                  "for a table of many rows)");
    cli_help_common(COMMON);
    printf("\n"
           "Ties share their average rank: the result never depends on input order.\n"
           "Exit status: 0 success, 1 data error, 2 usage error.\n");
    exit(0);
}

static void parse_options(int argc, char **argv, struct options *o)
{
    enum { OPT_RECENCY = 256, OPT_FREQUENCY, OPT_MONETARY, OPT_GRID, OPT_VALUE, OPT_SEGMENTS,
           OPT_THREADS };
    static const struct option longs[] = {
        { "grid", required_argument, NULL, OPT_GRID },
        { "normalize", required_argument, NULL, 'n' },
        { "rfm", no_argument, NULL, 'r' },
        { "recency", required_argument, NULL, OPT_RECENCY },
        { "frequency", required_argument, NULL, OPT_FREQUENCY },
        { "value", required_argument, NULL, OPT_VALUE },
        { "segments", required_argument, NULL, OPT_SEGMENTS },
        { "threads", required_argument, NULL, OPT_THREADS },
        /* old spellings, for one release (NEWS) */
        { "monetary", required_argument, NULL, OPT_MONETARY },
        { NULL, 0, NULL, 0 },
    };
    memset(o, 0, sizeof *o);
    int c;
    while ((c = cli_getopt(argc, argv, "g:n:r", longs, COMMON, &o->common)) != -1) {
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
        case OPT_THREADS: o->threads = (int)cli_parse_long("--threads", optarg, 1, 256); break;
        case OPT_MONETARY:
            cli_deprecated("--monetary", "--value");
            /* fall through */
        case OPT_VALUE: o->monetary = optarg; break;
        case 'h': usage();
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

/* The criteria's columns: the grid's (two names for one column is a usage
 * error), or recency, frequency and value. @return their count. */
static size_t criteria_columns(const struct options *o, const struct table *t,
                               const struct score_grid *grid, long *cols)
{
    if (!o->grid) {
        cols[0] = cli_column(t, o->recency ? o->recency : "recency_days", "recency");
        cols[1] = cli_column(t, o->frequency ? o->frequency : "orders", "frequency");
        cols[2] = cli_column(t, o->monetary ? o->monetary : "revenue", "monetary");
        return SCORE_RFM_CRITERIA;
    }
    for (size_t k = 0; k < grid->count; k++) {
        cols[k] = cli_column(t, grid->criteria[k].name, "criterion");
        for (size_t j = 0; j < k; j++)
            if (cols[j] == cols[k])
                cli_usage("--grid: \"%s\" and \"%s\" are one column", grid->criteria[j].name,
                          grid->criteria[k].name);
    }
    return grid->count;
}

/* Would criteria_columns find every column, each once, without a word? */
static int criteria_found(const struct options *o, const struct table *t,
                          const struct score_grid *grid)
{
    const char *names[SCORE_MAX_CRITERIA];
    size_t count = 0;
    if (!o->grid) {
        names[count++] = o->recency ? o->recency : "recency_days";
        names[count++] = o->frequency ? o->frequency : "orders";
        names[count++] = o->monetary ? o->monetary : "revenue";
    } else {
        for (size_t k = 0; k < grid->count && k < SCORE_MAX_CRITERIA; k++)
            names[count++] = grid->criteria[k].name;
    }
    long cols[SCORE_MAX_CRITERIA];
    for (size_t k = 0; k < count; k++) {
        struct diag diag;
        cols[k] = columns_find((const char *const *)t->header, t->columns, names[k], NULL,
                               "criterion", 1, t->name, &diag);
        if (cols[k] < 0)
            return 0;
        for (size_t j = 0; j < k; j++)
            if (cols[j] == cols[k])
                return 0;
    }
    return 1;
}

/* The check of one row per client, on its thread since the table was read:
 * its verdict, fatal, before anything else is said about the table. */
static void unique_verdict(struct pareto_unique_check *unique)
{
    struct diag diag;
    if (pareto_unique_finish(unique, &diag) != 0)
        cli_die_diag(&diag);
}

int main(int argc, char **argv)
{
    struct options o;
    struct diag diag;
    cli_init(argv[0]);
    gsl_set_error_handler_off();
    parse_options(argc, argv, &o);
    o.common.xlsx = cli_xlsx_wanted(o.common.output, o.common.xlsx, o.common.excel);

    struct score_grid grid;
    memset(&grid, 0, sizeof grid);
    if (o.grid && score_grid_parse(&grid, o.grid, &diag) != 0)
        cli_usage("--grid: %s", diag.message);

    FILE *fp = cli_output(o.common.output);
    struct table t;
    if (table_load(&t, o.input, o.common.delim, &diag) != 0)
        cli_die_diag(&diag);
    if (t.rows == 0)
        cli_die("%s: no data after the header", t.name);
    /* one row per client (the first column is the key), checked on a
     * second thread while the criteria are read; its verdict comes first */
    struct pareto_unique_check unique;
    pareto_unique_start(&unique, &t, 0, -1, "cl-score");
    if (!criteria_found(&o, &t, &grid))
        unique_verdict(&unique);    /* then criteria_columns says what is wrong */

    long cols[SCORE_MAX_CRITERIA];
    size_t count = criteria_columns(&o, &t, &grid, cols);
    struct score_table s;
    if (score_table_init(&s, &t, o.grid ? &grid : NULL, cols, count, &diag) != 0) {
        unique_verdict(&unique);
        cli_die_diag(&diag);
    }
    s.mark = o.common.mark;
    /* rows where a criterion is not a number: reported, fatal with --strict */
    int read_failed = score_table_read(&s, &diag) != 0;
    unique_verdict(&unique);
    if (o.grid && grid.weights_normalized) {
        char sum[32];
        cli_warn("note: the weights add up to %s, not 1: each is divided by it",
                 format_double(grid.weight_sum, '.', sum));
    }
    static const char *const rfm_roles[] = { "recency", "frequency", "value" };
    cli_verbose_dialect(t.name, t.delim, o.common.delim != 0);
    for (size_t k = 0; k < count; k++)
        cli_verbose("%s: %s: %s (column %ld)", t.name,
                    o.grid ? grid.criteria[k].name : rfm_roles[k], t.header[cols[k]],
                    cols[k] + 1);
    if (read_failed)
        cli_die_diag(&diag);
    struct cli_left_out left_out = { .strict = o.common.strict };
    for (size_t i = 0; i < t.rows; i++) {
        char problem[200];
        if (!s.usable[i])
            cli_left_out(&left_out, t.name, t.lines[i],
                         score_table_problem(&s, i, problem, sizeof problem));
    }
    cli_left_out_done(&left_out, t.name, t.rows);
    table_forget_lines(&t);     /* no row is named again */
    int minmax = o.normalize && strcmp(o.normalize, "minmax") == 0;
    if (score_table_compute(&s, minmax ? SCORE_MINMAX : SCORE_RANK, &diag) != 0)
        cli_die_diag(&diag);

    FILE *segments_fp = o.segments ? cli_output(o.segments) : NULL;
    struct csvout out;
    csvout_init(&out, fp, o.common.excel);
    out.threads = o.threads;
    /* the input's mark, given, else a sibling's --excel output's */
    csvout_source_mark(&out, o.common.mark ? o.common.mark : csvio_source_mark(t.delim));
    xlsx_book *book = cli_xlsx_start(&out, o.common.output, o.common.xlsx);
    if (score_table_write(&s, &out, &diag) != 0)
        cli_die_diag(&diag);
    cli_xlsx_finish(book, fp);
    if (segments_fp) {
        struct csvout segments;
        csvout_init(&segments, segments_fp, 0);
        if (score_table_segments(&s, &segments, &diag) != 0)
            cli_die_diag(&diag);
    }
    cli_output_commit();

    score_table_free(&s);
    score_grid_free(&grid);
    table_free(&t);
    return 0;
}
