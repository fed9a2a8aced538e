/* cli_xlsx.c — deciding on and writing a program's table as a workbook;
 * the work is lib/xlsx.c's. */
#include "cli_xlsx.h"

#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "cli_opts.h"

int cli_xlsx_wanted(const char *path, int flag, int excel)
{
    int to_stdout = path == NULL || strcmp(path, "-") == 0;
    int wanted = flag || (!to_stdout && xlsx_path(path));
    if (wanted && excel)
        cli_usage("--excel writes CSV; a workbook (--xlsx, -o NAME.xlsx) is already for Excel");
    if (wanted && cli_output_delimiter())
        cli_usage("--output-delimiter is for CSV; a workbook (--xlsx, -o NAME.xlsx) has none");
    if (excel && cli_output_delimiter() == ',')
        cli_usage("--output-delimiter ',' with --excel: its decimal comma needs another "
                  "delimiter");
    if (wanted && to_stdout && isatty(STDOUT_FILENO))
        cli_usage("--xlsx: standard output is a terminal; use -o NAME.xlsx or a redirection");
    return wanted;
}

xlsx_book *cli_xlsx_start_lang(struct csvout *out, const char *path, int wanted,
                               enum l10n_lang lang)
{
    if (!wanted) {
        /* --output-delimiter: cli_xlsx_wanted refused what cannot be */
        if (cli_output_delimiter() && csvout_set_delimiter(out, cli_output_delimiter()) != 0)
            cli_usage("--output-delimiter ',' with --excel: give another delimiter");
        return NULL;
    }
    /* the sheet: the output's base name (pareto.xlsx: "pareto"), else the
     * program's (cl-pareto: "pareto") */
    char name[64];
    const char *program = cli_program();
    if (path && strcmp(path, "-") != 0) {
        const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
        size_t len = strlen(base) - (xlsx_path(base) ? 5 : 0);     /* without .xlsx */
        snprintf(name, sizeof name, "%.*s", (int)(len < sizeof name ? len : sizeof name - 1),
                 base);
    } else {
        snprintf(name, sizeof name, "%s", strncmp(program, "cl-", 3) == 0 ? program + 3 : program);
    }
    char title[128];
    snprintf(title, sizeof title, "%s (clientele)", program);
    struct xlsx_props props = { .title = title, .lang = lang };
    struct diag diag;
    xlsx_book *book = xlsx_book_new(&props, &diag);
    if (!book)
        cli_die_diag(&diag);
    if (xlsx_csvout(book, name, out, &diag) != 0) {
        xlsx_book_free(book);
        cli_die_diag(&diag);
    }
    return book;
}

void cli_xlsx_finish(xlsx_book *book, FILE *fp)
{
    struct diag diag;
    if (book && xlsx_book_write(book, fp, &diag) != 0)
        cli_die_diag(&diag);
}

xlsx_book *cli_xlsx_start(struct csvout *out, const char *path, int wanted)
{
    return cli_xlsx_start_lang(out, path, wanted, L10N_EN);
}
