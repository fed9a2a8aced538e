/* cli_opts — the options every clientele program shares, in one place:
 * their help lines (printed from one table, as curl's tool_listhelp.c and
 * datamash's shared help pieces), the getopt ids of the common options,
 * --quiet and --verbose, --lang with its CLIENTELE_LANG default, and the
 * deprecation line of a renamed option. docs/options.md is the table of
 * every option of the suite; tests/cli/options.sh checks every --help
 * against it. */
#ifndef CL_CLI_OPTS_H
#define CL_CLI_OPTS_H

#include <stddef.h>

/* Which common help lines to print (cli_help_common), in this order. */
enum {
    CLI_HELP_DELIMITER = 1u << 0,   /* -d, --delimiter C */
    CLI_HELP_DECIMAL = 1u << 1,     /* --decimal-comma, --decimal-point */
    CLI_HELP_STRICT = 1u << 2,      /* --strict */
    CLI_HELP_OUTPUT = 1u << 3,      /* -o, --output FILE */
    CLI_HELP_EXCEL = 1u << 4,       /* --excel and --output-delimiter C: the CSV's dialect */
    CLI_HELP_XLSX = 1u << 5,        /* --xlsx */
    CLI_HELP_LANG = 1u << 6,        /* --lang LANG */
    CLI_HELP_QUIET = 1u << 7,       /* --quiet */
    CLI_HELP_VERBOSE = 1u << 8,     /* -v, --verbose */
    CLI_HELP_HELP = 1u << 9,        /* -h, --help and -V, --version */
    CLI_HELP_ENCODING = 1u << 10,   /* --encoding NAME (cli.h's CLI_OPT_ENCODING) */
    /* what every program ends its option list with */
    CLI_HELP_END = CLI_HELP_QUIET | CLI_HELP_VERBOSE | CLI_HELP_HELP,
    /* how a program reads a table of clients (cl-pareto, cl-score, cl-share,
     * cl-clv, cl-kmeans), and how it writes its own */
    CLI_HELP_TABLE_IN = CLI_HELP_DELIMITER | CLI_HELP_ENCODING | CLI_HELP_DECIMAL |
                        CLI_HELP_STRICT,
    CLI_HELP_TABLE_OUT = CLI_HELP_OUTPUT | CLI_HELP_EXCEL | CLI_HELP_XLSX,
};

/* getopt_long ids of the common long options without a short flag (above
 * any program's own enum, which starts at 256). */
enum {
    CLI_OPT_QUIET = 0x4000, CLI_OPT_LANG, CLI_OPT_OUTPUT_DELIMITER,
    CLI_OPT_DECIMAL_COMMA, CLI_OPT_DECIMAL_POINT,   /* cli_set_decimal_mark */
    CLI_OPT_STRICT, CLI_OPT_EXCEL, CLI_OPT_XLSX
};

struct option;

/* What the common options say, filled by cli_getopt. */
struct cli_common {
    const char *output;     /* -o FILE, or NULL */
    const char *lang;       /* --lang's argument, or NULL (cli_lang decides) */
    char delim;             /* -d: the input's delimiter, 0 when sniffed */
    char mark;              /* --decimal-comma ',', --decimal-point '.', 0 */
    int strict;             /* --strict */
    int excel, xlsx;        /* --excel, --xlsx */
};

/* getopt_long over a program's own options and the common options of the
 * CLI_HELP_* groups WHICH (the groups its help prints): each common option
 * is taken here, the one way the suite reads it (-d, --encoding, the
 * decimal marks, --strict, -o, --excel, --output-delimiter, --xlsx,
 * --lang, --quiet, -v, -V print the version), and the next option of the
 * program's own is returned. SHORTS are the program's own short flags
 * (getopt's syntax, without the leading ':'), LONGS its own long options
 * ending with a zero row; one program calls it with the same arguments
 * until it returns -1.
 * @return the program's option, 'h' for -h/--help (the program prints its
 *         help), ':' or '?' as getopt_long (for cli_bad_option), -1 at the
 *         end. */
int cli_getopt(int argc, char **argv, const char *shorts, const struct option *longs,
               unsigned which, struct cli_common *common);

/* The column where every help text starts (two spaces, the flags, padding). */
#define CLI_HELP_COLUMN 25

/* Print the help lines of the common options WHICH (CLI_HELP_* bits), in
 * the table's order, aligned at CLI_HELP_COLUMN. */
void cli_help_common(unsigned which);
/* One help line of a program's own option, in the same layout: FLAGS such
 * as "-k, --k N|A..B" or "--log LIST"; TEXT may hold newlines (each further
 * line is indented to the column). */
void cli_help_line(const char *flags, const char *text);

/* --quiet: cli_warn() prints nothing (errors still do). --verbose: lines
 * of cli_verbose() are printed. Given both: a usage error. */
void cli_set_quiet(void);
void cli_set_verbose(void);
/* cli_is_quiet() is declared in cli.h (cli.c asks it). */
int cli_is_verbose(void);
/* "program: message" on stderr when --verbose was given. */
void cli_verbose(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* With --verbose, how FILE was read: "FILE: delimiter ',' (sniffed)". */
void cli_verbose_dialect(const char *file, char delim, int given);

/* --decimal-comma (comma 1) or --decimal-point (0) into *mark (',' or
 * '.'); the other one given before is a usage error. */
void cli_set_decimal_mark(char *mark, int comma);

/* --output-delimiter C, in every program that writes CSV (one row of its
 * getopt_long table and one case):
 *   { "output-delimiter", required_argument, NULL, CLI_OPT_OUTPUT_DELIMITER },
 *   case CLI_OPT_OUTPUT_DELIMITER: cli_set_output_delimiter(optarg); break;
 * The argument is read as -d's (cli_parse_delim). cli_xlsx_wanted() refuses
 * it with a workbook, or ',' with --excel; cli_xlsx_start() applies it to
 * the program's main output (csvout_set_delimiter); files on the side
 * (--rejects, --stats, --segments, models) stay plain CSV.
 * @return cli_output_delimiter(): the delimiter given, 0 when not given. */
void cli_set_output_delimiter(const char *arg);
char cli_output_delimiter(void);

/* The language of the words a program writes: 0 English, 1 French.
 * GIVEN is --lang's argument (NULL when not given); without it,
 * $CLIENTELE_LANG; without it, English. LANG and LC_MESSAGES are not read:
 * see docs/options.md. Anything but en or fr is a usage error. */
int cli_lang(const char *given);

/* A renamed option given in its old spelling: one line on stderr (even
 * with --quiet: whoever keeps the script must see it), then carry on.
 * "cl-pareto: --by is deprecated: use --value (see NEWS)". */
void cli_deprecated(const char *old, const char *now);

#endif
