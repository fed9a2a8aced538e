/* cli_opts — the options every clientele program shares: one table of
 * their help lines, --quiet/--verbose, the language default and the line
 * of a deprecated spelling (see cli_opts.h and docs/options.md). */
#include "cli_opts.h"

#include <assert.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

struct common_help {
    unsigned group;         /* CLI_HELP_* bit */
    const char *flags;      /* as shown: "-d, --delimiter C" */
    const char *text;       /* newlines continue at the column */
};

/* The help of the common options: one row each, the only copy. */
static const struct common_help common_help[] = {
    { CLI_HELP_DELIMITER, "-d, --delimiter C",
      "input delimiter: , ; | or tab (default: sniffed)" },
    { CLI_HELP_ENCODING, "--encoding NAME",
      "the input's encoding: any iconv name (default: a\n"
      "UTF-16 BOM, else UTF-8 when valid, else\nWINDOWS-1252, said on stderr)" },
    { CLI_HELP_DECIMAL, "--decimal-comma", "numbers use a decimal comma" },
    { CLI_HELP_DECIMAL, "--decimal-point",
      "numbers use a decimal point (default: sniffed)" },
    { CLI_HELP_STRICT, "--strict",
      "an unusable row is an error (default: left out and\ncounted on stderr)" },
    { CLI_HELP_OUTPUT, "-o, --output FILE",
      "write FILE (atomically) instead of standard output" },
    { CLI_HELP_EXCEL, "--excel",
      "CSV for a spreadsheet: ';', decimal comma, BOM, CRLF,\n"
      "text cells starting with = + - @ neutralised" },
    { CLI_HELP_EXCEL, "--output-delimiter C",
      "the output's delimiter: , ; | or tab (default: ',';\n"
      "';' with --excel); with ';' numbers take a decimal comma" },
    { CLI_HELP_XLSX, "--xlsx", "an Excel workbook (also when -o ends in .xlsx)" },
    { CLI_HELP_LANG, "--lang LANG",
      "words in en or fr (default: $CLIENTELE_LANG, else en)" },
    { CLI_HELP_QUIET, "--quiet", "nothing on stderr but errors (for cron)" },
    { CLI_HELP_VERBOSE, "-v, --verbose",
      "say on stderr how each input was read and which\ncolumn was taken for each role" },
    { CLI_HELP_HELP, "-h, --help", "show this help and exit" },
    { CLI_HELP_HELP, "-V, --version", "show the version and exit" },
};

/* The common options, each in the help group that names it. */
static const struct common_option {
    unsigned group;
    struct option opt;
} common_options[] = {
    { CLI_HELP_DELIMITER, { "delimiter", required_argument, NULL, 'd' } },
    { CLI_HELP_ENCODING, { "encoding", required_argument, NULL, CLI_OPT_ENCODING } },
    { CLI_HELP_DECIMAL, { "decimal-comma", no_argument, NULL, CLI_OPT_DECIMAL_COMMA } },
    { CLI_HELP_DECIMAL, { "decimal-point", no_argument, NULL, CLI_OPT_DECIMAL_POINT } },
    { CLI_HELP_STRICT, { "strict", no_argument, NULL, CLI_OPT_STRICT } },
    { CLI_HELP_OUTPUT, { "output", required_argument, NULL, 'o' } },
    { CLI_HELP_EXCEL, { "excel", no_argument, NULL, CLI_OPT_EXCEL } },
    { CLI_HELP_EXCEL, { "output-delimiter", required_argument, NULL, CLI_OPT_OUTPUT_DELIMITER } },
    { CLI_HELP_XLSX, { "xlsx", no_argument, NULL, CLI_OPT_XLSX } },
    { CLI_HELP_LANG, { "lang", required_argument, NULL, CLI_OPT_LANG } },
    { CLI_HELP_QUIET, { "quiet", no_argument, NULL, CLI_OPT_QUIET } },
    { CLI_HELP_VERBOSE, { "verbose", no_argument, NULL, 'v' } },
    { CLI_HELP_HELP, { "help", no_argument, NULL, 'h' } },
    { CLI_HELP_HELP, { "version", no_argument, NULL, 'V' } },
};
#define N_COMMON (sizeof common_options / sizeof common_options[0])

/* The getopt_long table and short flags of one run: the program's own,
 * then the common groups it takes (built at the first call). */
static struct option *all_longs;
static char all_shorts[128];

static void build_tables(const char *shorts, const struct option *longs, unsigned which)
{
    size_t own = 0;
    while (longs[own].name)
        own++;
    all_longs = calloc(own + N_COMMON + 1, sizeof *all_longs);
    if (!all_longs)
        cli_die("out of memory");
    memcpy(all_longs, longs, own * sizeof *longs);
    size_t n = own;
    for (size_t i = 0; i < N_COMMON; i++)
        if (which & common_options[i].group)
            all_longs[n++] = common_options[i].opt;
    int len = snprintf(all_shorts, sizeof all_shorts, ":%s%s%s%s%s", shorts,
                       which & CLI_HELP_DELIMITER ? "d:" : "", which & CLI_HELP_OUTPUT ? "o:" : "",
                       which & CLI_HELP_VERBOSE ? "v" : "", which & CLI_HELP_HELP ? "hV" : "");
    assert(len > 0 && (size_t)len < sizeof all_shorts);    /* a program's flags all fit */
    (void)len;
    opterr = 0;
}

/* Take common option c of the groups which. @return 1 taken, 0 not common. */
static int take_common(int c, unsigned which, struct cli_common *co)
{
    switch (c) {
    case 'd':
        if (!(which & CLI_HELP_DELIMITER))
            return 0;
        co->delim = cli_parse_delim(optarg);
        return 1;
    case 'o':
        if (!(which & CLI_HELP_OUTPUT))
            return 0;
        co->output = optarg;
        return 1;
    case 'v':
        if (!(which & CLI_HELP_VERBOSE))
            return 0;
        cli_set_verbose();
        return 1;
    case 'V':
        if (!(which & CLI_HELP_HELP))
            return 0;
        cli_version();
    case CLI_OPT_ENCODING: cli_set_encoding(optarg); return 1;
    case CLI_OPT_DECIMAL_COMMA:
    case CLI_OPT_DECIMAL_POINT:
        cli_set_decimal_mark(&co->mark, c == CLI_OPT_DECIMAL_COMMA);
        return 1;
    case CLI_OPT_STRICT: co->strict = 1; return 1;
    case CLI_OPT_EXCEL: co->excel = 1; return 1;
    case CLI_OPT_OUTPUT_DELIMITER: cli_set_output_delimiter(optarg); return 1;
    case CLI_OPT_XLSX: co->xlsx = 1; return 1;
    case CLI_OPT_LANG: co->lang = optarg; return 1;
    case CLI_OPT_QUIET: cli_set_quiet(); return 1;
    default: return 0;
    }
}

int cli_getopt(int argc, char **argv, const char *shorts, const struct option *longs,
               unsigned which, struct cli_common *common)
{
    if (!all_longs)
        build_tables(shorts, longs, which);
    int c;
    while ((c = getopt_long(argc, argv, all_shorts, all_longs, NULL)) != -1)
        if (!take_common(c, which, common))
            return c;
    return -1;
}

void cli_help_line(const char *flags, const char *text)
{
    /* a short flag sits at column 2, a long-only option where the long
     * options of "-x, --long" sit */
    int width = printf("  %s%s", flags[1] == '-' ? "    " : "", flags);
    if (width + 2 > CLI_HELP_COLUMN) {
        putchar('\n');
        width = 0;
    }
    printf("%*s", CLI_HELP_COLUMN - width, "");
    for (const char *p = text; *p; p++) {
        putchar(*p);
        if (*p == '\n')
            printf("%*s", CLI_HELP_COLUMN, "");
    }
    putchar('\n');
}

void cli_help_common(unsigned which)
{
    for (size_t i = 0; i < sizeof common_help / sizeof common_help[0]; i++)
        if (which & common_help[i].group)
            cli_help_line(common_help[i].flags, common_help[i].text);
}

static int quiet, verbose;

void cli_set_quiet(void)
{
    if (verbose)
        cli_usage("--quiet and --verbose: give one");
    quiet = 1;
}

void cli_set_verbose(void)
{
    if (quiet)
        cli_usage("--quiet and --verbose: give one");
    verbose = 1;
}

int cli_is_quiet(void)
{
    return quiet;
}

int cli_is_verbose(void)
{
    return verbose;
}

void cli_verbose(const char *fmt, ...)
{
    if (!verbose)
        return;
    char text[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    cli_warn("%s", text);   /* cli_warn's escaping of control bytes; quiet is off */
}

void cli_verbose_dialect(const char *file, char delim, int given)
{
    const char *name = delim == '\t' ? "tab" : NULL;
    char one[4] = { '\'', delim, '\'', '\0' };
    cli_verbose("%s: delimiter %s (%s)", strcmp(file, "-") ? file : "standard input",
                name ? name : one, given ? "given" : "sniffed");
}

void cli_set_decimal_mark(char *mark, int comma)
{
    char given = comma ? ',' : '.';
    if (*mark && *mark != given)
        cli_usage("--decimal-comma and --decimal-point cannot be used together");
    *mark = given;
}

static char output_delimiter;

void cli_set_output_delimiter(const char *arg)
{
    output_delimiter = cli_parse_delim_of("--output-delimiter", arg);
}

char cli_output_delimiter(void)
{
    return output_delimiter;
}

int cli_lang(const char *given)
{
    const char *from = "--lang";
    const char *lang = given;
    if (!lang) {
        lang = getenv("CLIENTELE_LANG");
        from = "CLIENTELE_LANG";
        if (!lang || !*lang)
            return 0;
    }
    if (strcmp(lang, "en") == 0)
        return 0;
    if (strcmp(lang, "fr") == 0)
        return 1;
    cli_usage("%s: \"%s\" is not en or fr", from, lang);
}

void cli_deprecated(const char *old, const char *now)
{
    int was_quiet = quiet;
    quiet = 0;
    cli_warn("%s is deprecated: use %s (see NEWS)", old, now);
    quiet = was_quiet;
}
