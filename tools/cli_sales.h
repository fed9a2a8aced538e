/* cli_sales — what the programs that read sales lines (cl-rollup,
 * cl-cohort) say and accept alike: the options naming the columns and the
 * way values are written, the order of slash dates decided on the column,
 * and the notes on standard error about the lines left out or rounded. */
#ifndef CL_CLI_SALES_H
#define CL_CLI_SALES_H

#include <getopt.h>
#include <stdio.h>

#include "cli_opts.h"
#include "csvio.h"
#include "sales.h"
#include "salesread.h"

/* getopt_long values of the shared options (a tool's own start at 256). */
enum {
    CLI_SALES_DATE = 1024, CLI_SALES_AMOUNT, CLI_SALES_QUANTITY, CLI_SALES_PRICE,
    CLI_SALES_ORDER, CLI_SALES_CREDIT_PREFIX, CLI_SALES_WHERE, CLI_SALES_DATE_FORMAT,
    CLI_SALES_KEEP_SPACES
};

/* The common options (cli_getopt) of the programs that read sales lines:
 * -d, --encoding, the decimal marks, --strict, -o, --excel,
 * --output-delimiter, --xlsx, --quiet, -v, -h, -V. After the options, the
 * decimal mark is in struct cli_common's mark and the encoding in
 * encoding_input_name(), as in every program. */
#define CLI_SALES_COMMON (CLI_HELP_DELIMITER | CLI_HELP_DECIMAL | CLI_HELP_ENCODING |    \
                          CLI_HELP_STRICT | CLI_HELP_OUTPUT | CLI_HELP_EXCEL |           \
                          CLI_HELP_XLSX | CLI_HELP_END)

/* The shared options, to be listed in a tool's struct option table. */
#define CLI_SALES_LONGOPTS                                                          \
    { "customer", required_argument, NULL, 'c' },                                 \
    { "date", required_argument, NULL, CLI_SALES_DATE },                          \
    { "amount", required_argument, NULL, CLI_SALES_AMOUNT },                      \
    { "quantity", required_argument, NULL, CLI_SALES_QUANTITY },                  \
    { "price", required_argument, NULL, CLI_SALES_PRICE },                        \
    { "order", required_argument, NULL, CLI_SALES_ORDER },                        \
    { "credit-prefix", required_argument, NULL, CLI_SALES_CREDIT_PREFIX },        \
    { "where", required_argument, NULL, CLI_SALES_WHERE },                        \
    { "date-format", required_argument, NULL, CLI_SALES_DATE_FORMAT },            \
    { "keep-spaces", no_argument, NULL, CLI_SALES_KEEP_SPACES }

/* The inputs and the files of a run that reads sales lines: each input
 * registered (cli_input; none is standard input), the output opened
 * (cli_output; NULL: standard output), then the rejects file when a path
 * is given, with its writer in *out and rejects->out (rejects->strict:
 * strict). @return the output; *rejects_fp the rejects file, or NULL. */
FILE *cli_sales_open(int nfiles, char **files, const char *output, const char *rejects_path,
                     int strict, struct salesread_rejects *rejects, struct csvout *out,
                     FILE **rejects_fp);

/* The inputs named in a message: the file, "stdin", or "the files". */
const char *cli_sales_input_name(int nfiles, char **files);

/* The help lines of the shared options, written once (cl-rollup and
 * cl-cohort print them; each program adds its own between the groups). */
enum {
    CLI_SALES_HELP_COLUMNS = 1u << 0,   /* -c, --date, --amount, --quantity, --price */
    CLI_SALES_HELP_FILTERS = 1u << 1,   /* --credit-prefix, --where */
    CLI_SALES_HELP_INPUT = 1u << 2,     /* -d, decimal marks, --date-format, --encoding,
                                           --keep-spaces, --rejects, --strict */
};
void cli_sales_help(unsigned which);

/* Take option c (getopt's value, arg its argument) when it is a shared one.
 * A bad argument is a usage error (exit 2).
 * @return 1 taken, 0 not a shared option. */
int cli_sales_option(int c, const char *arg, struct sales_request *request);

/* Decide DD/MM or MM/DD on the whole date column (salesread_date_order):
 * MM/DD said with verbose; a column that reads both ways is said and read
 * DD/MM, an error with strict, and an error when partial (a chunk cannot
 * speak for the column). */
void cli_sales_date_order(csvin *in, struct sales_layout *layout, int verbose, int strict,
                          int partial);

/* The notes on the reading: values rounded, repeated headers, lines left
 * out by --where, lines rejected by reason (with the --rejects hint unless
 * rejects_kept). */
void cli_sales_notes(const struct salesread_counts *counts, int rejects_kept);

#endif
