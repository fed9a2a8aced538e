/* page — the report page (index.html) from a folder of CSVs.
 *
 * cl-report runs the programs and leaves their CSVs in a folder; page_load
 * reads that folder and page_write writes the page: key figures, Pareto,
 * A/B/C, migrations, margin, RFM, lifetime value, personas, cohorts,
 * market, prescribers, data quality and the list of files, in English or
 * French. Nothing is computed here that a program computes: every figure is
 * a cell of a CSV, and money is printed from the programs' exact decimal
 * strings (grouped, never through a float). Text from the data is escaped;
 * the charts' SVG files are inlined with their ids prefixed.
 *
 * One page at a time: the state is the modules' own (page_load, then
 * page_write, then page_free). The page's modules: page_text (words,
 * escaping, numbers, dates), page_folder (the folder's files), page_notes
 * (what the programs said), page_html (the HTML pieces), page_sections (the
 * sections), page_words (the words), page_derive (the small tables). */
#ifndef CL_PAGE_H
#define CL_PAGE_H

#include <stddef.h>
#include <stdio.h>

#include "diag.h"

/* Read the report folder FOLDER (its figures.csv, summary.csv, stats.csv,
 * stats-all.csv, pareto.csv, notes.txt) and, when PREVIOUS is not NULL, the
 * previous report's figures.csv. french: the page's language.
 * @return 0, or -1 with the diag (not a report folder, a file unreadable). */
int page_load(const char *folder, const char *previous, int french, struct diag *diag);

/* Write the page of the loaded folder to OUT; VERSION goes in its footer.
 * @return 0, or -1 with the diag (a file of the folder unreadable, out of
 * memory); what was written to OUT is then to be thrown away. */
int page_write(FILE *out, const char *version, struct diag *diag);

/* The report's calendar, one line to OUT: op "valid" (ARG, a date
 * YYYY-MM-DD, as it is), "next-day" (the day after ARG), "month-end" (the
 * last day of ARG's month; ARG YYYY-MM or a day), "month-before" (the month
 * before ARG's, YYYY-MM). Proleptic Gregorian, no locale.
 * @return 0, or -1 with the diag (ARG not a date or month, OP unknown). */
int page_calendar(FILE *out, const char *op, const char *arg, struct diag *diag);

/* A chart's subtitle, one line to OUT, in the page's words: what "period"
 * (ARG: a period's name, "2011-11" as "November 2011", "FROM_TO" as two
 * dates) or "history" (ARG: its last day, "clients up to 30 November 2011").
 * @return 0, or -1 with the diag. */
int page_label(FILE *out, const char *what, const char *arg, int french, struct diag *diag);

/* A small table of the report made from the folder's CSVs, as CSV to OUT
 * (page_derive.c): WHAT "at-risk" (the 10 class A clients of pareto.csv
 * least likely to be active in clv.csv), "clv-summary" (their counts),
 * "stopped" (PREVIOUS's prescribers.csv rows absent from FOLDER's, the
 * largest first), "retention" (cohorts.csv's months 1, 3, 6 beside a year
 * before), "features" (history.csv's clients and the persona features the
 * same for all), "prescribed" (rollup.csv's clients who bought through a
 * prescriber), "prescriber-partials" (prescribed-partials.csv's rows keyed
 * by prescriber, for cl-rollup --merge), "key-figures" (figures.csv's key
 * figures named in the language, beside PREVIOUS's, for the workbook).
 * @return 0, or -1 with the diag (a file or a column missing). */
int page_derive(FILE *out, const char *what, const char *folder, const char *previous,
                int french, struct diag *diag);
/* Is WHAT a table page_derive knows? (1 / 0; cl-page checks its option
 * with it.) page_derive_names: their names, "a, b ... or z". */
int page_derive_known(const char *what);
extern const char *const page_derive_names;

/* The CSV file PATH copied to OUT, each cell either made safe for
 * spreadsheets (neutralise: a text cell that starts with = + - @, a tab or
 * a CR, other than a number or a lone - or +, written quoted behind an
 * apostrophe, so that no cell runs as a formula; a row with no such cell
 * and no CR is copied as the file has it, its quotes kept) or read back as
 * the programs wrote it (page_raw). @return 0, or -1 with the diag. */
/* PAGE_COPY_EXCEL as neutralise: the programs' --excel dialect instead (';',
 * decimal comma, BOM, CRLF, text cells neutralised as lib/csvout.c does). */
enum { PAGE_COPY_EXCEL = 2 };
int page_csv_copy(FILE *out, const char *path, int neutralise, struct diag *diag);
/* The same copy, written to OUT only when it differs from PATH's bytes:
 * while it is the same, nothing is written (the file's own rows compared as
 * they are read, not read again); at the first byte that differs, the
 * file's bytes before it are copied to OUT in the kernel, then the rest.
 * The excel dialect (a BOM, CRLF) is always written.
 * @return 1 written, 0 nothing written (the copy is PATH's bytes), -1 with
 * the diag. */
int page_csv_copy_changed(FILE *out, const char *path, int neutralise, struct diag *diag);

/* A cell of a report folder as the program wrote it: the folder's text
 * cells are neutralised for spreadsheets ('=x), read back without it. */
const char *page_raw(const char *cell);

/* After page_load: the period of the folder ("2011-11", "" before). After
 * page_write: the ids of the sections written, "key pareto abc ..." (for
 * cl-page --verbose). Both owned by the module. */
const char *page_period(void);
const char *page_sections(void);

/* Free what page_load and page_write kept. */
void page_free(void);

#endif
