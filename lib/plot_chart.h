/* plot_chart — what a chart builder outside lib/plot.c needs: the chart
 * being built and plot.c's helpers to write its script (quoting, the head
 * and title, notes, tics, labels, legends, colours, reading cells).
 *
 * Internal to the plot module (plot.c and the plot_*.c builders); tools
 * use plot.h. Every text from the data goes through plot_chart_str or
 * plot_chart_tic, which quote it as plot.h says; numbers are printed with
 * plot_chart_printf. */
#ifndef CL_PLOT_CHART_H
#define CL_PLOT_CHART_H

#include <stddef.h>

#include "csvio.h"
#include "diag.h"
#include "plot.h"

#define PLOT_FONT "DejaVu Sans"

/* Growing script buffer: a failed allocation or the ceiling sets failed */
struct sbuf {
    char *data;
    size_t len, cap;
    int failed;
};

struct chart {
    struct sbuf sb;
    const struct plot_options *o;
    const struct table *t;
    size_t *rows;       /* the rows kept by --where, in file order */
    size_t nrows;
    char mark;          /* decimal mark of the input's numbers */
    int fs;             /* base font size in points */
    int text;           /* dumb terminal */
};

/* Script text as is; printf-style (numbers only: no text from the data). */
void plot_chart_add(struct chart *c, const char *text);
void plot_chart_printf(struct chart *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Text as a quoted gnuplot string (plot_quote), cut to max_chars (0: no limit). */
void plot_chart_str(struct chart *c, const char *text, size_t max_chars);
/* The same, for a tic label. */
void plot_chart_tic(struct chart *c, const char *text, size_t max_chars);

/* English or French. */
const char *plot_chart_tr(const struct chart *c, const char *en, const char *fr);
/* A font size in points scaled to the image. */
int plot_chart_font(const struct chart *c, double points);

/* Terminal, style and title. @return where the plot area may start from
 * the top, as a screen fraction. */
double plot_chart_head(struct chart *c, const char *default_title);
/* A footnote at the bottom left (line 0 is the lowest). */
void plot_chart_note(struct chart *c, int line, const char *text);
/* Percentage tics 0..max on an axis ("x", "y", "cb"...), range set.
 * @return the top of the range. */
double plot_chart_percent_tics(struct chart *c, const char *axis, double max);
void plot_chart_axis_label(struct chart *c, const char *axis, const char *text);
/* A legend of n entries drawn with objects at screen height y; line[i]: a
 * line sample, else a box. @return the rows it took. */
int plot_chart_legend(struct chart *c, double y, size_t n, const char *const *texts,
                      const unsigned *rgb, const int *line);

/* A column by name (exact, else folded); -1 with diag set when absent. */
long plot_chart_need_column(const struct chart *c, const char *name, struct diag *diag);
/* A column by name, or -1 (no diag). */
long plot_chart_find_column(const struct chart *c, const char *name);
/* Row r's text in column col (r indexes the kept rows). */
const char *plot_chart_cell(const struct chart *c, size_t r, long col);
/* Row r's number in column col; empty: NaN when allow_empty, else an
 * error. @return 0, or -1 with diag set naming the file and line. */
int plot_chart_number(const struct chart *c, size_t r, long col, int allow_empty,
                      double *value, struct diag *diag);

/* Colours: a mix of a and b (t in 0..1), a readable text colour on rgb,
 * the i-th categorical colour. */
unsigned plot_chart_mix(unsigned a, unsigned b, double t);
const char *plot_chart_ink(unsigned rgb);
unsigned plot_chart_category(size_t i);

/* ---- the builders of other files --------------------------------------- */

/* plot_cohort.c: the cohort heat map and the retention curves. */
int plot_cohort_heatmap(struct chart *c, struct diag *diag);
int plot_cohort_curves(struct chart *c, struct diag *diag);

#endif
