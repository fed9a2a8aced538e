/* cl-plot — draw the CSV of a clientele program as a presentation chart,
 * through gnuplot run as a separate program. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "cli_opts.h"
#include "csvio.h"
#include "plot.h"

#define ALSO_MAX 7       /* --also images in one run (cli_output: 8 files with -o) */

struct options {
    struct plot_options plot;
    const char *input;          /* "-": standard input */
    const char *output;         /* -o; NULL: standard output */
    /* --also [KIND=]FILE: one more image, of the same chart or of KIND */
    struct also {
        const char *file;
        const struct plot_kind *kind;   /* NULL: the chart of KIND on the command line */
        enum plot_format format;
    } also[ALSO_MAX];
    size_t nalso;
    const char *format_name;    /* --format */
    struct cli_common common;   /* -d, --strict, --lang (its -o is a chart: its own) */
    int script;                 /* --script */
    int size_given;
};

/* the common options cl-plot takes (cli_opts.h), in its help and getopt */
#define COMMON (CLI_HELP_DELIMITER | CLI_HELP_ENCODING | CLI_HELP_STRICT | CLI_HELP_LANG | \
                CLI_HELP_END)

static void usage(void)
{
    printf("Usage: cl-plot KIND [-o FILE] [OPTION]... [INPUT]\n"
           "Draw the CSV written by a clientele program as a chart, through gnuplot.\n"
           "\n"
           "Kinds (and what they read):\n");
    for (size_t i = 0; i < plot_kind_count; i++)
        printf("  %-10s %s\n", plot_kinds[i].name, plot_kinds[i].help);
    printf("\n"
           "Options:\n"
           "  -o, --output FILE      write the chart to FILE (.png, .svg or .pdf); without it,\n"
           "                         a text preview on standard output (a quick look)\n"
           "      --format FORMAT    png, svg, pdf or text, whatever the name of FILE\n"
           "      --also FILE        also draw the chart into FILE (.png, .svg or .pdf) in the\n"
           "                         same run, as a run with -o FILE would\n"
           "      --also KIND=FILE   also draw the chart KIND of this input into FILE, as\n"
           "                         cl-plot KIND -o FILE would (the input read once;\n"
           "                         --also up to 7 times)\n"
           "      --script           print the gnuplot script instead of running it\n"
           "      --title TEXT       the chart's title (default: what the chart shows)\n"
           "      --subtitle TEXT    a line under the title, e.g. the period\n"
           "      --size WxH         image size in pixels (default 1280x720)\n"
           "      --top N            clients named on the pareto chart (default 20)\n"
           "      --value COL        the value column (pareto, rfm; default: found)\n"
           "      --measure NAME     what the values are, for the words (default: the\n"
           "                         value column's name; for a summary, value)\n"
           "      --where COL=VALUE  draw only the rows where COL is VALUE\n"
           );
    cli_help_common(COMMON);
    printf("  (--lang also sets the number formatting of the chart; a value that is not a\n"
           "  number is always an error; --strict makes an empty value where the program\n"
           "  always writes one an error too, else it is drawn as none and counted)\n"
           "\n"
           "gnuplot is $GNUPLOT, else gnuplot on the PATH (Debian package gnuplot-nox).\n"
           "Exit status: 0 success, 1 data or gnuplot error, 2 usage error.\n");
    exit(0);
}

enum { OPT_FORMAT = 256, OPT_ALSO, OPT_SCRIPT, OPT_TITLE, OPT_SUBTITLE, OPT_SIZE, OPT_TOP,
       OPT_VALUE, OPT_MEASURE, OPT_WHERE };

static int format_from_name(const char *name, enum plot_format *format)
{
    static const struct { const char *name; enum plot_format format; } formats[] = {
        { "png", PLOT_PNG }, { "svg", PLOT_SVG }, { "pdf", PLOT_PDF }, { "text", PLOT_TEXT },
        { "txt", PLOT_TEXT },
    };
    for (size_t i = 0; i < sizeof formats / sizeof formats[0]; i++)
        if (strcasecmp(name, formats[i].name) == 0) {
            *format = formats[i].format;
            return 0;
        }
    return -1;
}

/* The image format named by FILE's extension (.png, .svg, .pdf).
 * @return 0, or -1 when it names none. */
static int image_format(const char *file, enum plot_format *format)
{
    const char *dot = strrchr(file, '.');
    const char *slash = strrchr(file, '/');
    if (!dot || (slash && dot < slash) || format_from_name(dot + 1, format) != 0
        || *format == PLOT_TEXT)
        return -1;
    return 0;
}

static void parse_size(const char *arg, struct plot_options *plot)
{
    char *end;
    errno = 0;
    long w = strtol(arg, &end, 10), h = 0;
    if (!errno && end != arg && (*end == 'x' || *end == 'X')) {
        const char *hs = end + 1;
        h = strtol(hs, &end, 10);
        if (errno || end == hs || *end)
            h = 0;
    }
    if (w < 100 || w > 10000 || h < 100 || h > 10000)
        cli_usage("--size: \"%s\" is not WIDTHxHEIGHT in pixels, each from 100 to 10000", arg);
    plot->width = (int)w;
    plot->height = (int)h;
}

/* The text preview fills the terminal when there is one. */
static void text_size(struct plot_options *plot)
{
    struct winsize ws;
    int cols = 100, rows = 30;
    if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col >= 40 && ws.ws_row >= 15) {
        cols = ws.ws_col;
        rows = ws.ws_row - 1;
    }
    plot->width = cols;
    plot->height = rows;
}

static void parse_options(int argc, char **argv, struct options *o)
{
    static const struct option longopts[] = {
        { "output", required_argument, NULL, 'o' },
        { "format", required_argument, NULL, OPT_FORMAT },
        { "also", required_argument, NULL, OPT_ALSO },
        { "script", no_argument, NULL, OPT_SCRIPT },
        { "title", required_argument, NULL, OPT_TITLE },
        { "subtitle", required_argument, NULL, OPT_SUBTITLE },
        { "size", required_argument, NULL, OPT_SIZE },
        { "top", required_argument, NULL, OPT_TOP },
        { "value", required_argument, NULL, OPT_VALUE },
        { "measure", required_argument, NULL, OPT_MEASURE },
        { "where", required_argument, NULL, OPT_WHERE },
        { NULL, 0, NULL, 0 },
    };
    int ch;
    while ((ch = cli_getopt(argc, argv, "o:", longopts, COMMON, &o->common)) != -1) {
        switch (ch) {
        case 'o': o->output = optarg; break;
        case OPT_FORMAT:
            if (format_from_name(optarg, &o->plot.format) != 0)
                cli_usage("--format: \"%s\" is not png, svg, pdf or text", optarg);
            o->format_name = optarg;
            break;
        case OPT_ALSO:
            if (o->nalso == ALSO_MAX)
                cli_usage("--also: %d images at most in one run", ALSO_MAX);
            o->also[o->nalso++].file = optarg;
            break;
        case OPT_SCRIPT: o->script = 1; break;
        case OPT_TITLE: o->plot.title = optarg; break;
        case OPT_SUBTITLE: o->plot.subtitle = optarg; break;
        case OPT_SIZE: parse_size(optarg, &o->plot); o->size_given = 1; break;
        case OPT_TOP: o->plot.top = (int)cli_parse_long("--top", optarg, 1, 200); break;
        case OPT_VALUE: o->plot.value_column = optarg; break;
        case OPT_MEASURE: o->plot.measure = optarg; break;
        case OPT_WHERE: {
            char *eq = strchr(optarg, '=');
            if (!eq || eq == optarg)
                cli_usage("--where: \"%s\" is not COLUMN=VALUE", optarg);
            *eq = '\0';
            o->plot.where_column = optarg;
            o->plot.where_value = eq + 1;
            break;
        }
        case 'h': usage(); break;
        default: cli_bad_option(ch, argv);
        }
    }
    o->plot.lang = cli_lang(o->common.lang) ? L10N_FR : L10N_EN;
    o->plot.strict = o->common.strict;
    char kinds[256];
    plot_kind_list(kinds, sizeof kinds);
    if (optind >= argc)
        cli_usage("no chart kind: %s", kinds);
    o->plot.kind = plot_kind_find(argv[optind]);
    if (!o->plot.kind)
        cli_usage("\"%s\" is not a chart kind: %s", argv[optind], kinds);
    optind++;
    if (optind < argc)
        o->input = argv[optind++];
    if (optind < argc)
        cli_usage("one input at most (\"%s\" is extra)", argv[optind]);

    if (o->output && strcmp(o->output, "-") == 0)
        o->output = NULL;
    /* The format: --format, else the output's name, else text (png for --script). */
    if (!o->format_name) {
        if (o->output) {
            if (image_format(o->output, &o->plot.format) != 0)
                cli_usage("%s: name the chart .png, .svg or .pdf, or give --format", o->output);
        } else {
            o->plot.format = o->script ? PLOT_PNG : PLOT_TEXT;
        }
    }
    /* --also: another image, of the same chart or of KIND= (a chart kind's
     * name before the first '='; ./ before a file so named), its format
     * from its name */
    for (size_t i = 0; i < o->nalso; i++) {
        struct also *a = &o->also[i];
        const char *arg = a->file, *eq = strchr(arg, '=');
        if (o->script)
            cli_usage("--also draws a second image: --script prints one script");
        if (!o->output || o->plot.format == PLOT_TEXT)
            cli_usage("--also draws a second image beside -o FILE: give -o with an image");
        if (eq) {
            char name[32];
            if ((size_t)(eq - arg) < sizeof name) {
                memcpy(name, arg, (size_t)(eq - arg));
                name[eq - arg] = '\0';
                a->kind = plot_kind_find(name);
            }
            if (a->kind)
                a->file = eq + 1;
        }
        if (strcmp(a->file, "-") == 0 || image_format(a->file, &a->format) != 0)
            cli_usage("--also %s: name the chart .png, .svg or .pdf", arg);
        if (strcmp(a->file, o->output) == 0)
            cli_usage("--also %s: the same file as -o", arg);
        for (size_t j = 0; j < i; j++)
            if (strcmp(a->file, o->also[j].file) == 0)
                cli_usage("--also %s: the same file as another --also", arg);
    }
    if (o->plot.format == PLOT_TEXT) {
        if (o->size_given)
            cli_usage("--size is for images: the text preview takes the terminal's size");
        text_size(&o->plot);
    }
    if (!o->output && !o->script && o->plot.format != PLOT_TEXT && isatty(STDOUT_FILENO))
        cli_usage("will not write a %s image to a terminal: give -o FILE", o->format_name);
    if (o->script && o->output) {
        for (const unsigned char *p = (const unsigned char *)o->output; *p; p++)
            if (*p < 0x20 || *p == 0x7f)
                cli_usage("--script: an output name with control characters cannot go in a script");
        o->plot.output_name = o->output;
    }
}

/* Run gnuplot on script into output (NULL: standard output), in format;
 * committed with the other outputs by cli_output_commit. */
static void draw(const char *output, enum plot_format format, char *script)
{
    struct diag diag;
    const char *gnuplot = getenv("GNUPLOT");
    if (!gnuplot || !*gnuplot)
        gnuplot = "gnuplot";
    FILE *out = cli_output(output);     /* a temporary beside the chart, renamed at the end */
    fflush(out);
    /* An SVG goes through a temporary file first, to be fixed (plot_svg_fix) */
    FILE *svg = format == PLOT_SVG ? tmpfile() : NULL;
    if (format == PLOT_SVG && !svg)
        cli_die("cannot make a temporary file: %s", strerror(errno));
    char *messages;
    int rc = plot_run(gnuplot, script, strlen(script), fileno(svg ? svg : out), &messages, &diag);
    /* gnuplot's own words, line by line, behind our name */
    for (char *line = messages; line && *line;) {
        char *end = strchr(line, '\n');
        if (end)
            *end = '\0';
        if (strspn(line, " \t") != strlen(line))
            cli_warn("gnuplot: %s", line);
        line = end ? end + 1 : line + strlen(line);
    }
    free(messages);
    struct stat st;     /* a chart written through to a device or FIFO cannot be read back */
    int regular = fstat(fileno(out), &st) == 0 && S_ISREG(st.st_mode);
    /* an SVG is checked in its temporary file, before it is fixed */
    if (rc != 0 || (svg && plot_output_complete(fileno(svg), format, &diag) != 0)
        || (!svg && output && regular && plot_output_complete(fileno(out), format, &diag) != 0))
        cli_die_diag(&diag);
    if (svg) {
        rewind(svg);
        if (plot_svg_fix(svg, out, &diag) != 0)
            cli_die_diag(&diag);
        fclose(svg);
    }
}

int main(int argc, char **argv)
{
    cli_init(argv[0]);
    struct options o = { .input = "-" };
    o.plot.width = 1280;
    o.plot.height = 720;
    o.plot.lang = L10N_EN;
    parse_options(argc, argv, &o);

    struct diag diag;
    struct table table = { 0 };
    cli_input(o.input);
    /* the chart's script for -o, and for each --also its chart in its format */
    struct plot_options images[1 + ALSO_MAX];
    char *scripts[1 + ALSO_MAX];
    images[0] = o.plot;
    for (size_t i = 0; i < o.nalso; i++) {
        images[1 + i] = o.plot;
        images[1 + i].format = o.also[i].format;
        if (o.also[i].kind)
            images[1 + i].kind = o.also[i].kind;
    }
    struct plot_gaps gaps = { 0 };
    images[0].gaps = &gaps;
    /* the rows read in blocks where the kinds allow it, else the table */
    if (plot_scripts_stream(&table, o.input, o.common.delim, images, 1 + o.nalso, scripts)) {
        cli_verbose_dialect(table.name, table.delim, o.common.delim != 0);
    } else {
        if (table_load(&table, o.input, o.common.delim, &diag) != 0)
            cli_die_diag(&diag);
        cli_verbose_dialect(table.name, table.delim, o.common.delim != 0);
        if (plot_scripts(&table, images, 1 + o.nalso, scripts, &diag) != 0) {
            table_free(&table);
            cli_die_diag(&diag);
        }
    }
    if (gaps.count > 0)
        cli_warn("%s:%ld: %s is empty, drawn as no value (%zu empty value%s where the program "
                 "writes a number; --strict makes this an error)", table.name, gaps.first_line,
                 gaps.column, gaps.count, gaps.count == 1 ? "" : "s");
    table_free(&table);

    if (o.script) {
        FILE *out = cli_output(NULL);
        fputs(scripts[0], out);
        free(scripts[0]);
        cli_output_commit();
        return 0;
    }
    draw(o.output, o.plot.format, scripts[0]);
    free(scripts[0]);
    for (size_t i = 0; i < o.nalso; i++) {
        draw(o.also[i].file, o.also[i].format, scripts[1 + i]);
        free(scripts[1 + i]);
    }
    cli_output_commit();    /* every image, or none */
    return 0;
}
