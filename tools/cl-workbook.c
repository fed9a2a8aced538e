/* cl-workbook — CSV tables in, one Excel workbook out.
 *
 * Each CSV becomes a sheet, its cells typed from their column's name and
 * their value (lib/xlsx.h): money, percentages, counts, dates, ids as
 * text. A cl-pareto summary can add an ABC sheet with its native chart, a
 * cl-pareto table a native Pareto chart, and any sheet the PNG charts of
 * cl-plot. cl-report builds its report.xlsx with it. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "cli_opts.h"
#include "cli_xlsx.h"
#include "csvio.h"
#include "xlsx.h"

#define MAX_ITEMS 64

struct image {
    const char *sheet, *png;
};

struct options {
    const char *output;                 /* -o: the workbook (its own help) */
    struct cli_common common;           /* -d */
    const char *title, *period;
    enum l10n_lang lang;
    const char *abc;                    /* --abc: the summary sheet */
    const char *pareto;                 /* --pareto-chart: the Pareto sheet */
    long top;
    int threads;                        /* --threads: 1, or 0 (two) */
    struct image images[MAX_ITEMS];
    size_t image_count;
    const char *images_from;            /* --images-from: more, read after the tables */
    char *lines[MAX_ITEMS + 1];         /* its lines, which those images point into */
    size_t line_count;
};

/* the common options cl-workbook takes (cli_opts.h), in its help and getopt;
 * its -o and --lang have help of their own */
#define COMMON (CLI_HELP_DELIMITER | CLI_HELP_ENCODING | CLI_HELP_END)

static void usage(void)
{
    printf("Usage: cl-workbook [OPTION]... [NAME=]FILE.csv...\n"
           "Write CSV tables as the sheets of one Excel workbook (.xlsx), each cell\n"
           "typed: money, percentages, counts, dates as numbers Excel can sum and\n"
           "sort; ids and other text as text (never a formula).\n"
           "A sheet is named NAME, else after its file (pareto.csv: pareto).\n"
           "\n"
           "  -o, --output FILE      the workbook (default: standard output, which must\n"
           "                         not be a terminal)\n"
           "      --title TEXT       the workbook's title (its properties)\n"
           "      --period TEXT      the period, as the workbook's subject\n"
           "      --lang LANG        en or fr: date and percentage formats (default:\n"
           "                         $CLIENTELE_LANG, else en)\n"
           "      --abc SHEET        after SHEET, a cl-pareto --summary table, an ABC\n"
           "                         sheet: one row per class and a native chart\n"
           "      --pareto-chart SHEET  a native Pareto chart (cumulative share) beside\n"
           "                         SHEET, a cl-pareto table\n"
           "      --top N            clients in the Pareto chart (default 30)\n"
           "      --image SHEET=PNG  a picture beside SHEET's table (a new sheet when\n"
           "                         there is no such sheet); may be repeated\n"
           "      --images-from FILE  more SHEET=PNG, a line each, up to an empty line or\n"
           "                         the end, read once the tables are written (a FIFO\n"
           "                         can hand over charts still being drawn)\n"
           "      --threads N        1: write everything on one thread; 2 (the default):\n"
           "                         the sheets' rows deflated on a second, the same\n"
           "                         workbook\n");
    cli_help_common(COMMON);
    printf("\n"
           "Exit status: 0 success, 1 data error, 2 usage error.\n");
    exit(0);
}

/* SHEET=PNG (its '=' cut) into the images. @return 0, or -1 not SHEET=PNG
 * (the caller says where); a 65th image is a usage error (read_images
 * says it of its list's line first). */
static int add_image(struct options *o, char *arg)
{
    char *eq = strchr(arg, '=');
    if (!eq || eq == arg || !eq[1])
        return -1;
    if (o->image_count == MAX_ITEMS)
        cli_usage("--image, --images-from: %d images at most", MAX_ITEMS);
    *eq = '\0';
    o->images[o->image_count++] = (struct image){ arg, eq + 1 };
    return 0;
}

/* --images-from: SHEET=PNG a line up to an empty line or the end of the
 * file, after the --image ones (their lines kept: the images point into
 * them). Read only now, once the tables are written: a recipe can start
 * the workbook while its charts are drawn, and write their names to a
 * FIFO once they are. @return 0, or -1 with the diag (the file's line). */
static int read_images(struct options *o, struct diag *diag)
{
    int from_stdin = strcmp(o->images_from, "-") == 0;
    const char *name = from_stdin ? "stdin" : o->images_from;
    FILE *fp = from_stdin ? stdin : fopen(o->images_from, "r");
    if (!fp)
        return diag_set(diag, "%s: %s", name, strerror(errno));
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    int rc = 0;
    for (long n = 1; (len = getline(&line, &cap, fp)) > 0; n++) {
        if (line[len - 1] == '\n')
            line[--len] = '\0';
        if (len > 0 && line[len - 1] == '\r')
            line[--len] = '\0';
        if (len == 0)
            break;                      /* the end of the list */
        if (o->image_count == MAX_ITEMS) {  /* the file's, not the command line's */
            rc = diag_set(diag, "%s:%ld: more than %d images in all", name, n, MAX_ITEMS);
            break;
        }
        char *copy = strdup(line);
        if (!copy) {
            rc = diag_set(diag, "out of memory");
            break;
        }
        o->lines[o->line_count++] = copy;   /* (one more than images: add_image stops) */
        if (add_image(o, copy) != 0) {
            rc = diag_set(diag, "%s:%ld: \"%s\" is not SHEET=FILE.png", name, n, copy);
            break;
        }
    }
    if (rc == 0 && ferror(fp))
        rc = diag_set(diag, "%s: %s", name, strerror(errno));
    free(line);
    if (!from_stdin)
        fclose(fp);
    return rc;
}

static void parse_options(int argc, char **argv, struct options *o)
{
    enum { OPT_TITLE = 256, OPT_PERIOD, OPT_LANG, OPT_ABC, OPT_PARETO, OPT_TOP, OPT_IMAGE,
           OPT_IMAGES_FROM, OPT_THREADS };
    static const struct option longs[] = {
        { "output", required_argument, NULL, 'o' },
        { "title", required_argument, NULL, OPT_TITLE },
        { "period", required_argument, NULL, OPT_PERIOD },
        { "lang", required_argument, NULL, OPT_LANG },
        { "abc", required_argument, NULL, OPT_ABC },
        { "pareto-chart", required_argument, NULL, OPT_PARETO },
        { "top", required_argument, NULL, OPT_TOP },
        { "image", required_argument, NULL, OPT_IMAGE },
        { "images-from", required_argument, NULL, OPT_IMAGES_FROM },
        { "threads", required_argument, NULL, OPT_THREADS },
        { NULL, 0, NULL, 0 }
    };
    memset(o, 0, sizeof *o);
    o->top = 30;
    const char *lang = NULL;
    int c;
    while ((c = cli_getopt(argc, argv, "o:", longs, COMMON, &o->common)) != -1) {
        switch (c) {
        case 'o': o->output = optarg; break;
        case OPT_TITLE: o->title = optarg; break;
        case OPT_PERIOD: o->period = optarg; break;
        case OPT_LANG: lang = optarg; break;
        case OPT_ABC: o->abc = optarg; break;
        case OPT_PARETO: o->pareto = optarg; break;
        case OPT_TOP: o->top = cli_parse_long("--top", optarg, 1, 1000); break;
        case OPT_THREADS:
            o->threads = cli_parse_long("--threads", optarg, 1, 256) == 1 ? 1 : 0;
            break;
        case OPT_IMAGE:
            if (add_image(o, optarg) != 0)
                cli_usage("--image: \"%s\" is not SHEET=FILE.png", optarg);
            break;
        case OPT_IMAGES_FROM: o->images_from = optarg; break;
        case 'h': usage(); break;
        default: cli_bad_option(c, argv);
        }
    }
    o->lang = cli_lang(lang) ? L10N_FR : L10N_EN;
    if (optind == argc)
        cli_usage("no table: give one or more CSV files");
    int stdin_seen = o->images_from && strcmp(o->images_from, "-") == 0;
    for (int i = optind; i < argc; i++) {
        const char *eq = strchr(argv[i], '=');
        const char *file = eq && eq != argv[i] ? eq + 1 : argv[i];
        if (strcmp(file, "-") == 0 && stdin_seen++)
            cli_usage("standard input can be read once only");
    }
    cli_xlsx_wanted(o->output, 1, 0);
}

/* NAME=FILE, or FILE (the sheet named after it without .csv); a file
 * whose own name holds '=' is taken whole when it exists. */
static void split_argument(char *arg, const char **name, const char **file, char *buf,
                           size_t size)
{
    struct stat st;
    char *eq = strchr(arg, '=');
    if (eq && eq != arg && stat(arg, &st) != 0) {
        *eq = '\0';
        *name = arg;
        *file = eq + 1;
        return;
    }
    *file = arg;
    const char *base = strrchr(arg, '/') ? strrchr(arg, '/') + 1 : arg;
    if (strcmp(arg, "-") == 0)
        base = "stdin";
    size_t len = strlen(base);
    if (len > 4 && strcmp(base + len - 4, ".csv") == 0)
        len -= 4;
    snprintf(buf, size, "%.*s", (int)(len < size ? len : size - 1), base);
    *name = buf;
}

int main(int argc, char **argv)
{
    struct options o;
    struct diag diag;
    cli_init(argv[0]);
    parse_options(argc, argv, &o);

    if (o.images_from)
        cli_input(o.images_from);   /* -o onto the list too is refused, untouched */
    FILE *fp = cli_output(o.output);
    struct xlsx_props props = { .title = o.title, .subject = o.period, .lang = o.lang,
                                .threads = o.threads };
    xlsx_book *book = xlsx_book_new(&props, &diag);
    if (!book)
        cli_die_diag(&diag);
    int abc_done = 0;
    for (int i = optind; i < argc; i++) {
        const char *name, *file;
        char buf[256];
        split_argument(argv[i], &name, &file, buf, sizeof buf);
        cli_input(file);        /* an input named by -o too is refused, untouched */
        struct table t;
        if (table_load(&t, file, o.common.delim, &diag) != 0) {
            xlsx_book_free(book);
            cli_die_diag(&diag);
        }
        cli_verbose_dialect(t.name, t.delim, o.common.delim != 0);
        cli_verbose("sheet \"%s\": %s, %zu rows", name, t.name, t.rows);
        xlsx_sheet *sheet = xlsx_sheet_table(book, name, &t, &diag);
        int failed = !sheet;
        if (!failed && o.abc && strcmp(o.abc, name) == 0) {
            failed = xlsx_sheet_abc(book, "ABC", &t, &diag) != 0;
            abc_done = 1;
        }
        table_free(&t);
        if (failed) {
            xlsx_book_free(book);
            cli_die_diag(&diag);
        }
    }
    if (o.abc && !abc_done) {
        xlsx_book_free(book);
        cli_usage("--abc: no sheet named \"%s\"", o.abc);
    }
    if (o.pareto) {
        xlsx_sheet *sheet = xlsx_sheet_find(book, o.pareto);
        if (!sheet) {
            xlsx_book_free(book);
            cli_usage("--pareto-chart: no sheet named \"%s\"", o.pareto);
        }
        if (xlsx_chart_pareto(sheet, (size_t)o.top, &diag) != 0) {
            xlsx_book_free(book);
            cli_die_diag(&diag);
        }
    }
    if (o.images_from && read_images(&o, &diag) != 0) {
        xlsx_book_free(book);
        cli_die_diag(&diag);
    }
    for (size_t i = 0; i < o.image_count; i++) {
        cli_input(o.images[i].png);
        xlsx_sheet *sheet = xlsx_sheet_find(book, o.images[i].sheet);
        if (!sheet && !(sheet = xlsx_sheet_add(book, o.images[i].sheet, &diag))) {
            xlsx_book_free(book);
            cli_die_diag(&diag);
        }
        if (xlsx_image(sheet, o.images[i].png, &diag) != 0) {
            xlsx_book_free(book);
            cli_die_diag(&diag);
        }
    }
    cli_xlsx_finish(book, fp);
    cli_output_commit();
    for (size_t i = 0; i < o.line_count; i++)
        free(o.lines[i]);
    return 0;
}
