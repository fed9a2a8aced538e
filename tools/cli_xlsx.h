/* cli_xlsx — the tools' side of writing a table as an Excel workbook
 * (lib/xlsx.h): when to (-o NAME.xlsx, or --xlsx on a standard output that
 * is not a terminal), and the workbook's start and end around the
 * program's csvout. Errors print and exit like cli.h's. */
#ifndef CL_CLI_XLSX_H
#define CL_CLI_XLSX_H

#include <stdio.h>

#include "csvio.h"
#include "xlsx.h"

/* The --help line every table-writing program shows. */
/* Is the output a workbook? -o NAME.xlsx or --xlsx (flag). A usage error
 * (exit 2) for --xlsx on a terminal, or with --excel. Call it with the
 * other option checks, before any work. */
int cli_xlsx_wanted(const char *path, int flag, int excel);

/* When wanted, make `out` write one sheet of a new workbook (named from
 * the output file, else from the program) and return the book; else NULL. */
xlsx_book *cli_xlsx_start(struct csvout *out, const char *path, int wanted);
/* The same, with the date and percentage formats of a language (--lang). */
xlsx_book *cli_xlsx_start_lang(struct csvout *out, const char *path, int wanted,
                               enum l10n_lang lang);

/* Write the book (NULL: nothing to do) into fp, the output of cli_output;
 * an error (a table over Excel's limits...) is fatal, exit 1. */
void cli_xlsx_finish(xlsx_book *book, FILE *fp);

#endif
