/* cl-share — market share against effective and potential demand.
 *
 * Reads a market table (one row per segment: effective consumers, relative
 * non-consumers, ...), the company's clients from the table or counted
 * from a cl-rollup output, and writes per segment and in total the share
 * of effective and of potential demand, competitors, headroom,
 * penetration and share in value. The work lives in lib/share.c. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cli_opts.h"
#include "cli_xlsx.h"
#include "csvio.h"
#include "share.h"

struct options {
    const char *market;         /* market table path, "-" for stdin */
    const char *clients;        /* roll-up path, or NULL */
    struct cli_common common;   /* -o, -d, --strict, the marks, --excel, --xlsx */
    int summary;
    int negative_as_zero;       /* --negative-as-zero */
    struct share_options columns;
};

/* the common options cl-share takes (cli_opts.h), in its help and getopt */
#define COMMON_IN CLI_HELP_TABLE_IN
#define COMMON_OUT (CLI_HELP_TABLE_OUT | CLI_HELP_END)

static void usage(void)
{
    printf(
"Usage: cl-share [OPTION]... [MARKET.csv]\n"
"Market share per segment against effective and potential demand.\n"
"\n"
"MARKET.csv has one row per segment: segment, effective (actual consumers),\n"
"ncr (relative non-consumers) and optionally nca, population, clients,\n"
"market_revenue, revenue, period (French headers accepted). Without a file,\n"
"or with '-', it is read from standard input.\n"
"\n"
"Output: [period,]segment,clients,effective,ncr,potential,share_effective,\n"
"share_potential,competitors,headroom[,nca,population,penetration]\n"
"[,revenue,market_revenue,share_value], then a TOTAL row (per period).\n"
"\n"
"Input:\n");
    cli_help_line("--market FILE", "the market table (instead of the MARKET argument)");
    cli_help_line("--clients FILE", "count the company's clients per segment from a\n"
                  "cl-rollup output ('-': standard input)");
    cli_help_line("--segment COL", "the roll-up's segment column (needed with\n"
                  "--clients); also the market's, if it has one");
    cli_help_line("-c, --customer COL", "the roll-up's customer column (default: its first)");
    cli_help_line("--negative-as-zero", "a segment whose clients' net revenue (--clients)\n"
                  "adds up to less than 0 counts 0, with a warning\n"
                  "(default: an error)");
    cli_help_common(COMMON_IN);
    printf("  (--strict: a roll-up row whose segment is not in the market table; the\n"
           "  market table's unusable rows are always errors. -d and the decimal mark\n"
           "  are the market table's; the roll-up's are sniffed)\n"
           "\n"
           "Market table columns (default: found by their English or French names):\n");
    cli_help_line("--market-segment COL", "segment");
    cli_help_line("--period COL", "period (also looked up in the roll-up)");
    cli_help_line("--effective COL", "actual consumers");
    cli_help_line("--ncr COL", "relative non-consumers");
    cli_help_line("--nca COL", "absolute non-consumers");
    cli_help_line("--population COL", "population");
    cli_help_line("--clients-column COL", "the company's clients (without --clients)");
    cli_help_line("--market-revenue COL", "the market's revenue");
    cli_help_line("--value COL", "the company's revenue (in the roll-up with\n"
                  "--clients; default there: 'revenue')");
    printf("\nOutput:\n");
    cli_help_line("-s, --summary", "the totals as metric,value (with periods:\n"
                  "period,metric,value,change)");
    cli_help_common(COMMON_OUT);
    printf("\nExit status: 0 success, 1 data error, 2 usage error.\n");
    exit(0);
}

enum {
    OPT_MARKET = 256, OPT_CLIENTS, OPT_SEGMENT, OPT_MARKET_SEGMENT, OPT_PERIOD,
    OPT_EFFECTIVE, OPT_NCR, OPT_NCA, OPT_POPULATION, OPT_CLIENTS_COLUMN, OPT_MARKET_REVENUE,
    OPT_REVENUE, OPT_VALUE, OPT_NEGATIVE_AS_ZERO
};

static void parse_options(int argc, char **argv, struct options *o)
{
    static const struct option long_options[] = {
        { "market", required_argument, NULL, OPT_MARKET },
        { "clients", required_argument, NULL, OPT_CLIENTS },
        { "segment", required_argument, NULL, OPT_SEGMENT },
        { "customer", required_argument, NULL, 'c' },
        { "negative-as-zero", no_argument, NULL, OPT_NEGATIVE_AS_ZERO },
        { "market-segment", required_argument, NULL, OPT_MARKET_SEGMENT },
        { "period", required_argument, NULL, OPT_PERIOD },
        { "effective", required_argument, NULL, OPT_EFFECTIVE },
        { "ncr", required_argument, NULL, OPT_NCR },
        { "nca", required_argument, NULL, OPT_NCA },
        { "population", required_argument, NULL, OPT_POPULATION },
        { "clients-column", required_argument, NULL, OPT_CLIENTS_COLUMN },
        { "market-revenue", required_argument, NULL, OPT_MARKET_REVENUE },
        { "value", required_argument, NULL, OPT_VALUE },
        { "summary", no_argument, NULL, 's' },
        /* old spellings, for one release (NEWS) */
        { "revenue", required_argument, NULL, OPT_REVENUE },
        { NULL, 0, NULL, 0 }
    };
    struct share_options *c = &o->columns;
    int opt;
    while ((opt = cli_getopt(argc, argv, "c:s", long_options, COMMON_IN | COMMON_OUT,
                             &o->common)) != -1) {
        switch (opt) {
        case OPT_MARKET: o->market = optarg; break;
        case OPT_CLIENTS: o->clients = optarg; break;
        case OPT_SEGMENT: c->segment = optarg; break;
        case 'c': c->customer = optarg; break;
        case OPT_NEGATIVE_AS_ZERO: o->negative_as_zero = 1; break;
        case OPT_MARKET_SEGMENT: c->market_segment = optarg; break;
        case OPT_PERIOD: c->period = optarg; break;
        case OPT_EFFECTIVE: c->effective = optarg; break;
        case OPT_NCR: c->ncr = optarg; break;
        case OPT_NCA: c->nca = optarg; break;
        case OPT_POPULATION: c->population = optarg; break;
        case OPT_CLIENTS_COLUMN: c->clients_column = optarg; break;
        case OPT_MARKET_REVENUE: c->market_revenue = optarg; break;
        case OPT_REVENUE:
            cli_deprecated("--revenue", "--value");
            /* fall through */
        case OPT_VALUE: c->revenue = optarg; break;
        case 's': o->summary = 1; break;
        case 'h': usage(); break;
        default: cli_bad_option(opt, argv);
        }
    }
    c->decimal_mark = o->common.mark;
    if (optind < argc) {
        if (o->market)
            cli_usage("the market table is given twice (--market and %s)", argv[optind]);
        o->market = argv[optind++];
    }
    if (optind < argc)
        cli_usage("one market table only (extra argument \"%s\")", argv[optind]);
    if (!o->market)
        o->market = "-";
    c->from_rollup = o->clients != NULL;
    if (o->clients && !c->segment)
        cli_usage("--clients needs --segment COL (the roll-up's segment column)");
    if (o->clients && c->clients_column)
        cli_usage("--clients-column and --clients cannot be used together");
    if (!o->clients && c->customer)
        cli_usage("--customer is for the roll-up: it needs --clients");
    if (!o->clients && o->negative_as_zero)
        cli_usage("--negative-as-zero is for the revenue counted from --clients");
    if (o->clients && strcmp(o->clients, "-") == 0 && strcmp(o->market, "-") == 0)
        cli_usage("the market table and the roll-up cannot both be standard input");
}

int main(int argc, char **argv)
{
    struct options o;
    struct table market;
    struct share share;
    struct diag diag;

    cli_init(argv[0]);
    memset(&o, 0, sizeof o);
    parse_options(argc, argv, &o);
    o.common.xlsx = cli_xlsx_wanted(o.common.output, o.common.xlsx, o.common.excel);

    cli_input(o.market);
    if (o.clients)
        cli_input(o.clients);
    FILE *fp = cli_output(o.common.output);
    share_init(&share);
    share.negative_as_zero = o.negative_as_zero;
    share.strict = o.common.strict;
    if (table_load(&market, o.market, o.common.delim, &diag))
        cli_die_diag(&diag);
    cli_verbose_dialect(market.name, market.delim, o.common.delim != 0);
    int failed = share_load_market(&share, &market, &o.columns, &diag);
    table_free(&market);
    if (!failed && o.clients)
        failed = share_count_clients(&share, o.clients, 0, &o.columns, &diag);
    if (!failed)
        failed = share_finish(&share, &diag);
    for (size_t i = 0; i < share.warning_count; i++)
        cli_warn("%s", share.warnings[i]);
    if (failed) {
        share_free(&share);
        cli_die_diag(&diag);
    }

    struct csvout out;
    csvout_init(&out, fp, o.common.excel);
    xlsx_book *book = cli_xlsx_start(&out, o.common.output, o.common.xlsx);
    if (o.summary)
        share_write_summary(&share, &out);
    else
        share_write(&share, &out);
    share_free(&share);
    cli_xlsx_finish(book, fp);
    cli_output_commit();
    return 0;
}
