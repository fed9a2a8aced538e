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
#include "cli_xlsx.h"
#include "csvio.h"
#include "share.h"

struct options {
    const char *market;         /* market table path, "-" for stdin */
    const char *clients;        /* roll-up path, or NULL */
    const char *output;         /* -o */
    char delim;                 /* -d, 0: sniff */
    int summary;
    int excel, xlsx;
    struct share_options columns;
};

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
"Input:\n"
"      --market FILE          the market table (instead of the MARKET argument)\n"
"      --clients FILE         count the company's clients per segment from a\n"
"                             cl-rollup output ('-': standard input)\n"
"      --segment COL          the roll-up's segment column (needed with\n"
"                             --clients); also the market's, if it has one\n"
"      --customer COL         the roll-up's customer column (default: its first)\n"
"  -d, --delimiter CHAR       the market table's delimiter: , ; | tab\n"
"                             (default: sniffed)\n"
"      --encoding NAME        the inputs' encoding: any iconv name\n"
"                             (default: a UTF-16 BOM, else UTF-8 when valid,\n"
"                              else WINDOWS-1252, said on stderr)\n"
"      --decimal-comma        the market table's numbers use a decimal comma\n"
"      --decimal-point        the market table's numbers use a decimal point\n"
"                             (default: sniffed per column)\n"
"\n"
"Market table columns (default: found by their English or French names):\n"
"      --market-segment COL   segment\n"
"      --period COL           period (also looked up in the roll-up)\n"
"      --effective COL        actual consumers\n"
"      --ncr COL              relative non-consumers\n"
"      --nca COL              absolute non-consumers\n"
"      --population COL       population\n"
"      --clients-column COL   the company's clients (without --clients)\n"
"      --market-revenue COL   the market's revenue\n"
"      --revenue COL          the company's revenue (in the roll-up with\n"
"                             --clients; default there: 'revenue')\n"
"\n"
"Output:\n"
"      --summary              the totals as metric,value (with periods:\n"
"                             period,metric,value,change)\n"
"      --excel                spreadsheet CSV: ';', decimal comma, BOM\n"
"      --xlsx                 an Excel workbook (also when -o ends in .xlsx)\n"
"  -o, --output FILE          write to FILE (atomically) instead of stdout\n"
"  -h, --help                 show this help and exit\n"
"  -V, --version              show the version and exit\n"
"\n"
"Exit status: 0 success, 1 data error, 2 usage error.\n");
    exit(0);
}

enum {
    OPT_MARKET = 256, OPT_CLIENTS, OPT_SEGMENT, OPT_CUSTOMER, OPT_MARKET_SEGMENT, OPT_PERIOD,
    OPT_EFFECTIVE, OPT_NCR, OPT_NCA, OPT_POPULATION, OPT_CLIENTS_COLUMN, OPT_MARKET_REVENUE,
    OPT_REVENUE, OPT_DECIMAL_COMMA, OPT_DECIMAL_POINT, OPT_SUMMARY, OPT_EXCEL, OPT_XLSX
};

static void parse_options(int argc, char **argv, struct options *o)
{
    static const struct option long_options[] = {
        { "market", required_argument, NULL, OPT_MARKET },
        { "clients", required_argument, NULL, OPT_CLIENTS },
        { "segment", required_argument, NULL, OPT_SEGMENT },
        { "customer", required_argument, NULL, OPT_CUSTOMER },
        { "delimiter", required_argument, NULL, 'd' },
        { "encoding", required_argument, NULL, CLI_OPT_ENCODING },
        { "market-segment", required_argument, NULL, OPT_MARKET_SEGMENT },
        { "period", required_argument, NULL, OPT_PERIOD },
        { "effective", required_argument, NULL, OPT_EFFECTIVE },
        { "ncr", required_argument, NULL, OPT_NCR },
        { "nca", required_argument, NULL, OPT_NCA },
        { "population", required_argument, NULL, OPT_POPULATION },
        { "clients-column", required_argument, NULL, OPT_CLIENTS_COLUMN },
        { "market-revenue", required_argument, NULL, OPT_MARKET_REVENUE },
        { "revenue", required_argument, NULL, OPT_REVENUE },
        { "decimal-comma", no_argument, NULL, OPT_DECIMAL_COMMA },
        { "decimal-point", no_argument, NULL, OPT_DECIMAL_POINT },
        { "summary", no_argument, NULL, OPT_SUMMARY },
        { "excel", no_argument, NULL, OPT_EXCEL },
        { "xlsx", no_argument, NULL, OPT_XLSX },
        { "output", required_argument, NULL, 'o' },
        { "help", no_argument, NULL, 'h' },
        { "version", no_argument, NULL, 'V' },
        { NULL, 0, NULL, 0 }
    };
    struct share_options *c = &o->columns;
    int opt;
    opterr = 0;     /* one line of our own, not getopt's */
    while ((opt = getopt_long(argc, argv, ":d:o:hV", long_options, NULL)) != -1) {
        switch (opt) {
        case OPT_MARKET: o->market = optarg; break;
        case OPT_CLIENTS: o->clients = optarg; break;
        case OPT_SEGMENT: c->segment = optarg; break;
        case OPT_CUSTOMER: c->customer = optarg; break;
        case CLI_OPT_ENCODING: cli_set_encoding(optarg); break;
        case 'd':
            o->delim = cli_parse_delim(optarg);
            break;
        case OPT_MARKET_SEGMENT: c->market_segment = optarg; break;
        case OPT_PERIOD: c->period = optarg; break;
        case OPT_EFFECTIVE: c->effective = optarg; break;
        case OPT_NCR: c->ncr = optarg; break;
        case OPT_NCA: c->nca = optarg; break;
        case OPT_POPULATION: c->population = optarg; break;
        case OPT_CLIENTS_COLUMN: c->clients_column = optarg; break;
        case OPT_MARKET_REVENUE: c->market_revenue = optarg; break;
        case OPT_REVENUE: c->revenue = optarg; break;
        case OPT_SUMMARY: o->summary = 1; break;
        case OPT_EXCEL: o->excel = 1; break;
        case OPT_XLSX: o->xlsx = 1; break;
        case 'o': o->output = optarg; break;
        case OPT_DECIMAL_COMMA:
        case OPT_DECIMAL_POINT: {
            char mark = opt == OPT_DECIMAL_COMMA ? ',' : '.';
            if (c->decimal_mark && c->decimal_mark != mark)
                cli_usage("--decimal-comma and --decimal-point cannot be used together");
            c->decimal_mark = mark;
            break;
        }
        case 'h': usage(); break;
        case 'V': cli_version(); break;
        default: cli_bad_option(opt, argv);
        }
    }
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
    o.xlsx = cli_xlsx_wanted(o.output, o.xlsx, o.excel);

    cli_input(o.market);
    if (o.clients)
        cli_input(o.clients);
    FILE *fp = cli_output(o.output);
    share_init(&share);
    if (table_load(&market, o.market, o.delim, &diag))
        cli_die_diag(&diag);
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
    csvout_init(&out, fp, o.excel);
    xlsx_book *book = cli_xlsx_start(&out, o.output, o.xlsx);
    if (o.summary)
        share_write_summary(&share, &out);
    else
        share_write(&share, &out);
    share_free(&share);
    cli_xlsx_finish(book, fp);
    cli_output_commit();
    return 0;
}
