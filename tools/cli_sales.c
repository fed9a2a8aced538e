/* cli_sales — the options and notes shared by the programs that read
 * sales lines (cli_sales.h). */
#include "cli_sales.h"

#include <string.h>

#include "cli.h"
#include "cli_opts.h"
#include "encoding.h"
#include "parse.h"

void cli_sales_help(unsigned which)
{
    if (which & CLI_SALES_HELP_COLUMNS) {
        cli_help_line("-c, --customer COL", "customer id");
        cli_help_line("--date COL", "date of the line");
        cli_help_line("--amount COL", "line amount, or:");
        cli_help_line("--quantity COL", "quantity, with");
        cli_help_line("--price COL", "unit price (amount = quantity x price)");
    }
    if (which & CLI_SALES_HELP_FILTERS) {
        cli_help_line("--credit-prefix P", "order ids starting with P are credit notes (returns)");
        cli_help_line("--where COL=VALUE", "keep only the lines whose COL is VALUE (COL=A|B: one\n"
                      "of them; COL!=VALUE: not it); repeatable, all must hold");
    }
    if (which & CLI_SALES_HELP_INPUT) {
        cli_help_common(CLI_HELP_DELIMITER | CLI_HELP_DECIMAL);
        cli_help_line("--date-format FMT", "dates as FMT (%Y %m %d %H %M %S), e.g. %m/%d/%Y");
        cli_help_common(CLI_HELP_ENCODING);
        cli_help_line("--keep-spaces", "keep the spaces around ids and other keys (default:\n"
                      "trimmed, no-break spaces included, and counted)");
        cli_help_line("--rejects FILE", "write unusable lines there, with a reason column");
        cli_help_common(CLI_HELP_STRICT);
    }
}

int cli_sales_option(int c, const char *arg, struct sales_request *r)
{
    switch (c) {
    case 'c': r->customer = arg; return 1;
    case CLI_SALES_DATE: r->date = arg; return 1;
    case CLI_SALES_AMOUNT: r->amount = arg; return 1;
    case CLI_SALES_QUANTITY: r->quantity = arg; return 1;
    case CLI_SALES_PRICE: r->price = arg; return 1;
    case CLI_SALES_ORDER: r->order = arg; return 1;
    case CLI_SALES_CREDIT_PREFIX:
        if (!*arg)
            cli_usage("--credit-prefix: the prefix is empty");
        r->credit_prefix = arg;
        return 1;
    case CLI_SALES_WHERE:
        if (r->where_count == SALES_MAX_WHERE)
            cli_usage("--where: at most %d conditions", SALES_MAX_WHERE);
        if (sales_where_parse(arg, &r->where[r->where_count]) != 0)
            cli_usage("--where: \"%s\" is not COL=VALUE, COL=A|B or COL!=VALUE", arg);
        r->where_count++;
        return 1;
    case CLI_SALES_DATE_FORMAT:
        if (parse_date_format_valid(arg) != 0)
            cli_usage("--date-format: \"%s\" needs %%Y, %%m and %%d once each "
                      "(and only %%H %%M %%S besides)", arg);
        r->date_format = arg;
        return 1;
    case CLI_SALES_KEEP_SPACES: r->keep_spaces = 1; return 1;
    default: return 0;
    }
}

void cli_sales_date_order(csvin *in, struct sales_layout *lay, int verbose, int strict,
                          int partial)
{
    struct salesread_date_order order;
    salesread_date_order(in, lay, &order);
    const char *name = csvin_name(in);
    if (order.found == SALESREAD_DATES_MDY) {
        if (verbose)
            cli_warn("%s: dates read as MM/DD (no other order fits \"%s\")", name,
                     order.example);
    } else if (order.found == SALESREAD_DATES_EITHER) {
        if (strict)
            cli_die("%s: every slash date reads both as DD/MM and as MM/DD (\"%s\"): give "
                    "--date-format %%d/%%m/%%Y or %%m/%%d/%%Y", name, order.example);
        if (partial)
            cli_die("%s: every slash date of this chunk reads both as DD/MM and as MM/DD "
                    "(\"%s\"): a --partial run sees only its chunk, give --date-format "
                    "%%d/%%m/%%Y or %%m/%%d/%%Y", name, order.example);
        cli_warn("%s: every slash date reads both as DD/MM and as MM/DD (\"%s\"): read as "
                 "DD/MM; give --date-format %%m/%%d/%%Y if the month comes first", name,
                 order.example);
    }
}

void cli_sales_notes(const struct salesread_counts *c, int rejects_kept)
{
    if (c->rounded)
        cli_warn("%llu value%s with more than 6 decimals rounded to 6 (first: line %ld, \"%s\")",
                 c->rounded, c->rounded == 1 ? "" : "s", c->rounded_line, c->rounded_example);
    if (c->headers)
        cli_warn("%llu repeated header line%s skipped (files concatenated)", c->headers,
                 c->headers == 1 ? "" : "s");
    if (c->filtered)
        cli_warn("%llu of %llu lines left out by --where", c->filtered, c->lines_read);
    char list[1024];
    unsigned long long total = salesread_rejected(c, list, sizeof list);
    if (total)
        cli_warn("%llu of %llu lines rejected: %s%s", total, c->lines_read, list,
                 rejects_kept ? "" : " (--rejects FILE keeps them)");
}

FILE *cli_sales_open(int nfiles, char **files, const char *output, const char *rejects_path,
                     int strict, struct salesread_rejects *rejects, struct csvout *out,
                     FILE **rejects_fp)
{
    if (nfiles == 0)
        cli_input("-");
    for (int i = 0; i < nfiles; i++)
        cli_input(files[i]);
    FILE *fp = cli_output(output);
    rejects->strict = strict;
    *rejects_fp = NULL;
    if (rejects_path) {
        *rejects_fp = cli_output(rejects_path);
        csvout_init(out, *rejects_fp, 0);
        rejects->out = out;
    }
    return fp;
}

const char *cli_sales_input_name(int nfiles, char **files)
{
    return nfiles == 1 ? files[0] : nfiles == 0 ? "stdin" : "the files";
}
