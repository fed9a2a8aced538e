/* plot — presentation charts through gnuplot.
 *
 * This module turns the CSV that a clientele program wrote (a struct table)
 * into a self-contained gnuplot script, and runs gnuplot on it as a
 * separate process. The script carries its numbers in inline datablocks
 * (numbers only, so that no data line can end a block) and every text that
 * comes from the data or the command line as a single-quoted gnuplot
 * string (plot_quote): gnuplot expands neither backquotes nor macros there,
 * and control characters are replaced, so a client named
 * `system("rm -rf ~")` or "x'; set output 'y" is drawn, never run. The
 * terminal is set `noenhanced`, so no text is read as markup either. */
#ifndef CL_PLOT_H
#define CL_PLOT_H

#include <stddef.h>
#include <stdio.h>

#include "table.h"
#include "diag.h"
#include "l10n.h"

struct chart;       /* the chart being built: plot_chart.h */

/* A chart kind: one row of plot_kinds[] (plot_kinds.c). */
struct plot_kind {
    const char *name;   /* the word on the command line: "pareto" */
    const char *reads;  /* what it reads, for messages: "the rows of cl-pareto" */
    const char *help;   /* one line of cl-plot --help: what it reads, what it draws */
    int (*build)(struct chart *chart, struct diag *diag);  /* appends the script */
};

extern const struct plot_kind plot_kinds[];
extern const size_t plot_kind_count;

enum plot_format {
    PLOT_PNG,        /* pngcairo */
    PLOT_SVG,        /* svg */
    PLOT_PDF,        /* pdfcairo, width/72 × height/72 inches: a W×H point page */
    PLOT_TEXT        /* dumb terminal: width × height characters */
};

/* Gaps: empty values that a chart draws as no value (no bar, no point)
 * where the program that wrote the table always writes a number (an RFM
 * row's revenue, a ranked client's share, a holdout group's purchases).
 * Counted here, the first one named; an error under strict. */
struct plot_gaps {
    size_t count;
    long first_line;            /* its line in the file */
    char column[64];            /* its column's name, cut to size */
};

struct plot_options {
    const struct plot_kind *kind;   /* a row of plot_kinds[] */
    enum plot_format format;
    enum l10n_lang lang;
    int width, height;          /* pixels (points for PDF, characters for text) */
    const char *title;          /* NULL: a title that says what the chart is */
    const char *subtitle;       /* NULL: none */
    int top;                    /* clients named by the pareto chart (0: 20) */
    const char *value_column;   /* pareto, rfm: the value column; NULL: found */
    const char *measure;        /* what the value is ("revenue"); NULL: found */
    const char *where_column;   /* keep only rows where this column... */
    const char *where_value;    /* ...equals this; NULL: all rows */
    const char *output_name;    /* written as `set output` in the script; NULL: stdout */
    int strict;                 /* a gap is an error (file:line) */
    struct plot_gaps *gaps;     /* NULL, or where the gaps are counted */
};

/* The chart kind named `name` ("pareto"...). @return it, NULL when unknown. */
const struct plot_kind *plot_kind_find(const char *name);
/* The kinds' names as a list for a message: "pareto, lorenz, ... or personas".
 * @return out, cut to size. */
char *plot_kind_list(char *out, size_t size);

/* Write `text` into out as a gnuplot string expression: runs of text in
 * single quotes (no backquote or macro expansion there), each single
 * quote as "'" joined with the "." operator; control characters (and
 * U+0085, U+2028, U+2029) replaced by a space, invalid UTF-8 bytes by
 * '?'; cut to max_chars characters with "…" (0: no limit), and cut short
 * rather than overflow out (out_size at least 16).
 * @return out, always NUL-terminated. */
char *plot_quote(const char *text, size_t max_chars, char *out, size_t out_size);

/* Build the gnuplot script for the table (rows already read, header
 * included) under the options.
 * @return 0 with *script a NUL-terminated string (caller frees), or -1
 *         with diag set ("file: no column \"share\"...",
 *         "file:12: share \"x\" is not a number"). */
int plot_script(const struct table *table, const struct plot_options *options,
                char **script, struct diag *diag);
/* The charts of one table as n scripts, one per options[i] (an image in
 * each format: they differ only in kind, format, size and output_name;
 * the rest is options[0]'s; a NULL kind is options[0]'s), from one reading
 * of the table: what a kind parses from the rows is parsed once (the
 * pareto, lorenz and abc kinds share cl-pareto's rows), and gaps are
 * counted into options[0].gaps by the first image of each kind.
 * @return 0 with scripts[0..n-1] set (caller frees each), or -1 with diag
 *         set and no script. */
int plot_scripts(const struct table *table, const struct plot_options *options, size_t n,
                 char **scripts, struct diag *diag);
/* The same scripts from path read in blocks, without the table in memory,
 * when the kinds and the rows allow it (plot_stream.c: the pareto, lorenz
 * and abc kinds over cl-pareto's rows, the rfm kind; a ',' regular file
 * of plain numbers, no gap, no --where): head gets the table's name,
 * delimiter and header (table_free frees it).
 * @return 1 with scripts[0..n-1] set (caller frees each); 0 not done here,
 *         nothing kept: plot_scripts on the table makes them, or says why
 *         not (no message is ever made here). */
int plot_scripts_stream(struct table *head, const char *path, char delim,
                        const struct plot_options *options, size_t n, char **scripts);

/* Run gnuplot (`program`: a path or a name looked up on PATH) with
 * `--default-settings`, the script on a pipe given as the file to load
 * (/dev/fd/N; its standard input when there is no /dev/fd), its
 * standard output on out_fd. Its standard error is collected into
 * *messages (caller frees; "" when silent). No shell is involved.
 * @return 0 when gnuplot exited with status 0; -1 otherwise, with diag
 *         saying why (not found: names the Debian package gnuplot-nox;
 *         exit status; signal). *messages is set in both cases. */
int plot_run(const char *program, const char *script, size_t length, int out_fd,
             char **messages, struct diag *diag);

/* Is the image in fd complete? gnuplot's cairo terminals do not report a
 * failed write (a full disk, a file size limit): check that the file ends
 * as its format must (PNG: the IEND chunk; SVG: </svg>; PDF: %%EOF).
 * @return 0 when complete, -1 with diag set. */
int plot_output_complete(int fd, enum plot_format format, struct diag *diag);

/* Copy gnuplot's SVG from in to out, fixed for a browser and for a page
 * that holds several charts: a bold font, which gnuplot names as the
 * family "DejaVu Sans:Bold" that no browser knows, becomes font-family=
 * "DejaVu Sans" font-weight="bold" (":Italic": font-style="italic"); the
 * plots' ids, numbered anew in each panel of a multiplot, are numbered
 * once through the file; the plots' tooltips ("gnuplot_plot_1a", or a
 * tic label with a literal "\n") are dropped.
 * @return 0, or -1 with diag set when in cannot be read (out's errors
 * are the caller's). */
int plot_svg_fix(FILE *in, FILE *out, struct diag *diag);

#endif
