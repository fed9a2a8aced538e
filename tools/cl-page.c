/* cl-page — the report page (index.html) from a folder of CSVs.
 *
 * cl-report runs the programs and leaves their CSVs in a folder; this
 * program writes the page of that folder (lib/page.c: every figure a cell
 * of its CSVs, money from the programs' exact decimal strings, text from
 * the data escaped). The same page can be made again from any report
 * folder. Here: the options, the folder's files declared as inputs (none
 * may be the output), the call, the commit. --calendar and --label give
 * cl-report the period's days and the charts' subtitles (lib/page.c),
 * --derive the small tables it makes from the folder (lib/page_derive.c). */
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "cli_opts.h"
#include "page.h"

/* the common options cl-page takes (cli_opts.h), in its help and getopt;
 * its -o (the page, by default DIR/index.html) has help of its own */
#define COMMON (CLI_HELP_LANG | CLI_HELP_END)

_Noreturn static void usage(void)
{
    printf("Usage: cl-page [OPTION]... [DIR]\n"
           "Write the report page (index.html) of a cl-report folder DIR (default: .)\n"
           "from its CSVs: figures.csv, summary.csv, pareto.csv, stats.csv, ... and its\n"
           "charts' SVG files. Every figure on the page is a cell of these files.\n"
           "\n");
    cli_help_common(CLI_HELP_LANG);
    cli_help_line("--previous DIR", "the previous period's report folder: changes in the\n"
                  "key figures against its figures.csv");
    cli_help_line("-o, --output FILE", "write to FILE (default: DIR/index.html); no file of\n"
                  "DIR but index.html may be given");
    printf("\nThe report's calendar and words, for cl-report (one line on standard output):\n");
    cli_help_line("--calendar OP ARG", "OP: valid (ARG, a date YYYY-MM-DD), next-day,\n"
                  "month-end (of ARG's month) or month-before (YYYY-MM)");
    cli_help_line("--derive WHAT", "a table of DIR made from its CSVs, to -o FILE or\n"
                  "standard output: at-risk, clv-summary, stopped (with\n"
                  "--previous), retention, features, prescribed,\n"
                  "prescriber-partials or key-figures");
    cli_help_line("--copy neutral|raw|excel FILE...", "the CSV FILE to -o FILE or standard\n"
                  "output, its text cells made safe for spreadsheets\n"
                  "(neutral: '=x), read back as the programs wrote them\n"
                  "(raw), or in the programs' --excel dialect (excel);\n"
                  "with -o FOLDER, each FILE to FOLDER/ under its own name");
    cli_help_line("--if-changed", "with --copy: write a copy only when it differs from\n"
                  "its FILE; else none is left (an old one is removed);\n"
                  "standard output, a device, a FIFO or /dev/fd/N\n"
                  "always gets it");
    cli_help_line("--label WHAT ARG", "a chart's subtitle: period (ARG: 2011-11 or\n"
                  "FROM_TO) or history (ARG: its last day)");
    printf("\n");
    cli_help_common(CLI_HELP_END);
    printf("\nExit status: 0 success, 1 data error, 2 usage error.\n");
    exit(0);
}

/* DIR/NAME, a new string */
static char *path_in(const char *dir, const char *name)
{
    size_t n = strlen(dir) + strlen(name) + 2;
    char *p = malloc(n);
    if (!p)
        cli_die("out of memory");
    snprintf(p, n, "%s/%s", dir, name);
    return p;
}

/* the file of --previous read: figures.csv (the page), prescribers.csv */
static const char *previous_file = "figures.csv";

/* The paths given to cli_input, which keeps them: freed at the end. */
static char **kept;
static size_t kept_count;

static void input(char *path)
{
    char **grown = realloc(kept, (kept_count + 1) * sizeof *kept);
    if (!grown)
        cli_die("out of memory");
    kept = grown;
    kept[kept_count++] = path;
    cli_input(path);
}

static void free_inputs(void)
{
    for (size_t i = 0; i < kept_count; i++)
        free(kept[i]);
    free(kept);
}

/* Every file of the folder but the page may be read: none may be the
 * output (-o DIR/figures.csv is refused, not written over the figures). */
static void declare_inputs(const char *dir, const char *previous)
{
    DIR *d = opendir(dir);
    if (!d)
        cli_die("%s: %s", dir, strerror(errno));
    for (struct dirent *e; (e = readdir(d));) {
        struct stat st;
        char *path = path_in(dir, e->d_name);
        if (e->d_name[0] != '.' && strcmp(e->d_name, "index.html") != 0 &&
            stat(path, &st) == 0 && S_ISREG(st.st_mode))
            input(path);
        else
            free(path);
    }
    closedir(d);
    cli_verbose("%s: %zu files of the folder may be read", dir, kept_count);
    if (previous) {
        input(path_in(previous, previous_file));
        cli_verbose("%s: the previous report's %s", previous, previous_file);
    }
}

/* --copy of FILE: to -o OUTPUT (in it, under FILE's own name, when it is a
 * folder), or standard output; with --if-changed, only when the copy is
 * not FILE's bytes. Every FILE of the run is an input (none may be an
 * output). Each copy is committed before the next is made. */
static void copy_one(const char *copy, const char *file, const char *output, int to_folder,
                     int if_changed, char *const *files, int nfiles)
{
    char *target = NULL;
    if (to_folder) {
        const char *base = strrchr(file, '/');
        target = path_in(output, base ? base + 1 : file);
    }
    const char *to = target ? target : output ? output : "-";
    for (int i = 0; i < nfiles; i++)
        cli_input(files[i]);
    cli_verbose("%s: copied %s", file, *copy == 'n'
                ? "with its text cells made safe for spreadsheets"
                : *copy == 'e' ? "in the programs' --excel dialect"
                : "with its cells read back as the programs wrote them");
    /* no copy means a file left as it is: standard output, a device, a
     * FIFO (a reader waiting for the bytes) or a descriptor named as a file
     * (/dev/stdout, /dev/fd/N: never a name to remove) always gets the copy */
    FILE *out = cli_output(to);
    if (!cli_output_replaces(out))
        if_changed = 0;
    int neutralise = *copy == 'e' ? PAGE_COPY_EXCEL : *copy == 'n';
    struct diag d = { 0 };
    int written = if_changed ? page_csv_copy_changed(out, file, neutralise, &d)
                             : page_csv_copy(out, file, neutralise, &d) == 0 ? 1 : -1;
    if (written < 0)
        cli_die_diag(&d);
    if (written) {
        cli_output_commit();
    } else {
        /* the copy would be FILE's bytes: no file (nor an old one) left;
         * through a symlink, the old copy it names goes and the link stays,
         * as a copy written goes through it */
        cli_output_drop_old();
        cli_verbose("%s: the same bytes as %s: not written", to, file);
    }
    free(target);
}

int main(int argc, char **argv)
{
    const char *output = NULL, *previous = NULL, *calendar = NULL, *label = NULL;
    const char *derive = NULL, *copy = NULL;
    int if_changed = 0;
    struct cli_common common = { 0 };   /* --lang, --quiet, -v, -h, -V */
    static const struct option longs[] = {
        { "previous", required_argument, NULL, 'p' },
        { "output", required_argument, NULL, 'o' },
        { "calendar", required_argument, NULL, 'c' },
        { "label", required_argument, NULL, 'L' },
        { "derive", required_argument, NULL, 'D' },
        { "copy", required_argument, NULL, 'C' },
        { "if-changed", no_argument, NULL, 'I' },
        { NULL, 0, NULL, 0 },
    };
    cli_init(argv[0]);
    int c;
    while ((c = cli_getopt(argc, argv, "o:", longs, COMMON, &common)) != -1) {
        switch (c) {
        case 'p': previous = optarg; break;
        case 'o': output = optarg; break;
        case 'c': calendar = optarg; break;
        case 'L': label = optarg; break;
        case 'D': derive = optarg; break;
        case 'C': copy = optarg; break;
        case 'I': if_changed = 1; break;
        case 'h': usage();
        default: cli_bad_option(c, argv);
        }
    }
    int french = cli_lang(common.lang);
    if (derive && !page_derive_known(derive))
        cli_usage("--derive: '%s' is not %s", derive, page_derive_names);
    struct diag d = { 0 };
    if (if_changed && !copy)
        cli_usage("--if-changed goes with --copy");
    if (copy) {
        if (strcmp(copy, "neutral") != 0 && strcmp(copy, "raw") != 0
            && strcmp(copy, "excel") != 0)
            cli_usage("--copy: '%s' is not neutral, raw or excel", copy);
        struct stat st;
        int to_folder = output && stat(output, &st) == 0 && S_ISDIR(st.st_mode);
        if (argc - optind != 1 && !(to_folder && argc - optind > 1))
            cli_usage("--copy needs one FILE (got %d)", argc - optind);
        for (int i = optind; i < argc; i++)
            copy_one(copy, argv[i], output, to_folder, if_changed, argv + optind,
                     argc - optind);
        return 0;
    }
    if (calendar || label) {
        if (calendar && label)
            cli_usage("--calendar and --label: give one");
        if (argc - optind != 1)
            cli_usage("--%s needs one ARG (got %d)", calendar ? "calendar" : "label",
                      argc - optind);
        int rc = calendar ? page_calendar(stdout, calendar, argv[optind], &d)
                          : page_label(stdout, label, argv[optind], french, &d);
        if (rc != 0)
            cli_die_diag(&d);
        page_free();
        return 0;
    }
    if (argc - optind > 1)
        cli_usage("give one report folder (got %d)", argc - optind);
    const char *folder = optind < argc ? argv[optind] : ".";
    struct stat st;
    if (stat(folder, &st) != 0 || !S_ISDIR(st.st_mode))
        cli_die("%s: not a folder", folder);

    if (derive) {
        if (strcmp(derive, "stopped") == 0)
            previous_file = "prescribers.csv";
        declare_inputs(folder, previous);
        cli_verbose("%s: the table %s, in %s", folder, derive, french ? "French" : "English");
        if (page_derive(cli_output(output ? output : "-"), derive, folder, previous, french,
                        &d) != 0)
            cli_die_diag(&d);
        cli_output_commit();
        free_inputs();
        return 0;
    }
    char *figures = path_in(folder, "figures.csv");
    if (stat(figures, &st) != 0 || !S_ISREG(st.st_mode))
        cli_die("%s: not a cl-report folder (no figures.csv)", folder);
    free(figures);
    declare_inputs(folder, previous);
    if (page_load(folder, previous, french, &d) != 0)
        cli_die_diag(&d);
    cli_verbose("%s: the period %s, the page in %s", folder, page_period(),
                french ? "French" : "English");
    char *index = output ? NULL : path_in(folder, "index.html");
    FILE *out = cli_output(output ? output : index);
    if (page_write(out, cli_version_string(), &d) != 0)
        cli_die_diag(&d);
    cli_output_commit();
    cli_verbose("%s: its sections: %s", output ? output : index, page_sections());
    free(index);
    free_inputs();
    page_free();
    return 0;
}
