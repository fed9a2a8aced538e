/* plot_chart — the skeleton every chart kind is built on (internal to plot).
 *
 * A chart kind is one function `int chart_KIND(struct chart *c, struct
 * diag *diag)` that reads c->t (the rows kept by --where are c->rows) and
 * appends a gnuplot script to c->sb; it is registered by one row of
 * plot_kinds[] in plot_kinds.c. This header gives it what every kind shares:
 *
 *   sbuf_*   the growing script, a struct buf (buf.h) of at most SCRIPT_MAX
 *            bytes (a failed allocation or the ceiling sets `failed`,
 *            checked once at the end by plot_script)
 *   chart_*  reading the table (columns by name, numbers with the input's
 *            decimal mark, metric,value tables), words and numbers in the
 *            chart's language, and the pieces of a chart (title block,
 *            tics, axis labels, labels, notes, legend, colours).
 *
 * Every text that comes from the data goes through sbuf_str / sbuf_tic
 * (plot_quote): never printf it into the script. */
#ifndef CL_PLOT_CHART_H
#define CL_PLOT_CHART_H

#include <stddef.h>

#include "buf.h"
#include "diag.h"
#include "plot.h"
#include "table.h"

#define FONT         "DejaVu Sans"
#define ACCENT       "#c0392b"      /* the red of the message: 80% line, marked point */
#define SCRIPT_MAX   (512u << 20)   /* bytes of script: a ceiling, not a goal */

/* ---- the layout every kind shares ------------------------------------- */

/* The numbers of a chart's layout that more than one piece or kind uses,
 * named once. Font sizes are points at the reference image (ref_width ×
 * ref_height) and go through chart_font, which scales them with the
 * image; positions are screen fractions (0 bottom or left, 1 top or
 * right), `.text` the dumb terminal's where it differs. A kind's own
 * geometry (a panel's split, a heat map's cells) stays in its builder. */
struct chart_layout {
    int ref_width, ref_height;  /* the image the sizes are for */
    double min_scale;           /* fonts shrink with the image down to this */
    int base_pt;                /* the terminal's font: tics, keys */
    int min_pt;                 /* no text smaller */
    double px_per_pt;           /* cairo draws a point as 4/3 px (96 dpi); the SVG
                                 * terminal, which draws it as 1 px, gets this as
                                 * its fontscale, so both images look the same */
    double char_px_per_pt;      /* the mean advance of a character, in px per point */
    double row_px_per_pt;       /* a row of text, in px per point */
    struct {
        int title;              /* the chart's title, bold */
        int subtitle;           /* the line under it (--subtitle) */
        int axis;               /* axis labels */
        int panel;              /* a panel's title, bold */
        int callout;            /* the marked point's words, bold, in the accent colour */
        int key;                /* gnuplot's own key */
        int label;              /* labels in the plot, legend entries */
        int small;              /* dense labels */
        int note;               /* footnotes */
    } pt;
    struct chart_place {
        double title_y;         /* the title's baseline */
        double subtitle_y;      /* the subtitle's */
        double top;             /* where the plot area may start, without subtitle */
        double top_subtitle;    /* and with one */
        double note_x;          /* footnotes: left edge */
        double note_y;          /* the lowest footnote's height */
        double note_step;       /* between footnotes */
    } image, text;
    struct {
        const char *title, *subtitle, *axis, *label, *note;
    } ink;
};
extern const struct chart_layout chart_layout;
#define PT chart_layout.pt      /* chart_font(c, PT.label) */

/* ---- the script buffer ------------------------------------------------ */

/* The script is a struct buf; sbuf_add and sbuf_printf are buf.h's
 * appends under the names every chart builder uses. */
#define sbuf_add    buf_adds
#define sbuf_printf buf_printf
/* Text as a quoted gnuplot string (plot_quote), cut to max_chars (0: whole). */
void sbuf_str(struct buf *b, const char *text, size_t max_chars);
/* The same for a tic label, which gnuplot reads as a format: '%' doubled. */
void sbuf_tic(struct buf *b, const char *text, size_t max_chars);

/* ---- the chart being built -------------------------------------------- */

/* A row of cl-pareto's table as the pareto, lorenz and abc kinds read it
 * (plot_kinds.c's read_pareto_rows, plot_stream.c's streamed read). */
struct prow {
    double rank, value, share, cum, cum_clients;
    const char *key, *cls;
    size_t order;       /* its row among the kept rows */
};
/* Positive classes first, then by rank, then in file order. */
int chart_prow_cmp(const void *a, const void *b);

/* An RFM segment as the rfm kind counts it. */
struct segment {
    const char *name;
    size_t clients;
    double value;
    size_t order;       /* position in the usual list, or beyond */
};

/* cl-kmeans' assignments as a streamed read gives them to the clusters
 * kind (plot_stream.c), past its sample's size: the clusters in the order
 * first met, each row's, and the rows the kind asks for, read again. */
struct cluster_rows {
    size_t nk;
    double id[100];
    const char *label[100];     /* the label of its first row */
    size_t size[100];
    const unsigned char *first; /* each row's cluster, by the order first met */
    /* The rows drawn by the sample's rule (rate and which by the kind's
     * sorted clusters), in a table of their own (every column) and their
     * rows in the file. @return 0, or -1 not here. */
    int (*draw)(struct cluster_rows *cr, const double *rate, const size_t *which,
                const struct table **drawn, const size_t **rows);
    /* Columns a and b of every row as numbers, as the kind reads a
     * sample's axes. @return 0; 1 a value of a is not one, else 2 one of
     * b is not; -1 not here. */
    int (*full)(struct cluster_rows *cr, long a, long b, double *full_a, double *full_b);
};

/* The sample's hash of a client's key (plot_kinds.c, docs/plot.md). */
unsigned long long chart_sample_hash(const char *key);
/* A scatter plot of more clients than this draws a sample of them. */
#define CLUSTER_SAMPLE      20000

struct chart {
    struct buf sb;
    const struct plot_options *o;
    const struct table *t;
    size_t *rows;       /* the rows kept by --where, in file order */
    size_t nrows;
    char mark;          /* decimal mark of the input's numbers, 0: per column */
    char *col_mark;     /* when mark is 0: each column's, decided on the whole
                         * column on first use (2: not yet) */
    char *col_percent;  /* 1: the column's percent signs checked (all or none) */
    int fs;             /* base font size in points */
    int text;           /* dumb terminal */
    /* What a kind read from the rows, kept for the next image of the same
     * chart (plot_scripts): cl-pareto's rows, sorted (plot_kinds.c) */
    struct prow *prows;
    size_t prows_npos;
    long prows_vcol;
    /* The rfm kind's segments in the order first met, with their clients
     * and values, when a streamed read counted them (plot_stream.c); NULL:
     * counted from the table's rows */
    struct segment *segs;
    size_t nsegs;
    double segs_total;  /* the values' sum, row after row */
    struct cluster_rows *clusters;  /* the clusters kind's rows, streamed; NULL: the table's */
};

/* The scripts of options[0..n-1] (plot_scripts) on the chart c, whose
 * table and rows are set (c->t, c->nrows, c->rows or what a streamed read
 * kept: c->prows, c->segs), its marks not: plot_scripts' second half.
 * Frees what the kinds kept in c. */
int chart_scripts(struct chart *c, const struct plot_options *options, size_t n,
                  char **scripts, struct diag *diag);

/* The decimal mark of column col: the file's (',' or ';' delimited), else
 * decided over the whole column once (parse.h: values read on a presumed
 * point that a later value contradicts are an error naming both lines).
 * @return 0, or -1 with diag set (diag may be NULL). */
int chart_column_mark(const struct chart *c, long col, char *mark, struct diag *diag);

/* Words: en or fr by the chart's language. French words are typeset as
 * the page's: a narrow no-break space (U+202F, written as the character in
 * the sources, one column wide) before : ; ? and !, the apostrophe ’. */
const char *chart_tr(const struct chart *c, const char *en, const char *fr);
/* Numbers and percentages in the chart's language (out: 64 bytes). */
char *chart_num(const struct chart *c, double v, int decimals, char *out);
char *chart_pct(const struct chart *c, double v, int decimals, char *out);
/* A count and its noun, singular for 1: "1 client", "1,178 clients"
 * (out: 64 bytes, the noun short). */
char *chart_count(const struct chart *c, double n, const char *one, const char *many, char *out);
/* Decimals that show a percentage honestly: 1 below 10%, else none. */
int chart_percent_decimals(double fraction);
/* A tick step of 1, 2, 2.5 or 5 times a power of ten, about `target` steps. */
double chart_nice_step(double range, int target);
int chart_step_decimals(double step);
/* A font size scaled from `points` at the reference image (chart_layout). */
int chart_font(const struct chart *c, double points);

/* Columns: by exact name, else folded (-1 when absent); need_column sets
 * diag naming what the kind reads. */
long chart_find_column(const struct table *t, const char *name);
long chart_need_column(const struct chart *c, const char *name, struct diag *diag);
const char *chart_cell(const struct chart *c, size_t r, long col);
/* The double strtod gives for a plain decimal, "[-+]digits[.digits]" with
 * an optional exponent "e[-+]digits" (a point only where the column's mark
 * is not ','), without strtod: at most 19 significant digits and a power
 * of ten within 10^±27 of them, the digits' integer times or over the
 * power of five in 128-bit integers, rounded once to nearest-even (cl-pareto's
 * 17-digit shares, "2.4607464031889971e-06", took strtod's multi-precision
 * path). @return 1 with *out, or 0: anything else, left to parse_double. */
int chart_plain_number(const char *s, char mark, double *out);
/* allow_empty for chart_number: an empty value is a gap (struct plot_gaps):
 * NaN, counted, an error under --strict. Plain 1: empty by design, NaN. */
#define CHART_GAP 2
/* The number in kept row r. Empty: NaN when allow_empty, else an error.
 * A value with a percent sign ("80%", "80 %") is read as a fraction, 0.8,
 * as a spreadsheet saves a share column formatted as percent; a column
 * mixing values with and without the sign is an error naming both lines.
 * @return 0, or -1 with diag set naming the file, the line and the column. */
int chart_number(const struct chart *c, size_t r, long col, int allow_empty,
                 double *value, struct diag *diag);
/* Several values of `column` in the kept rows: an error asking for --where. */
int chart_single_value(const struct chart *c, const char *column, struct diag *diag);

/* A metric,value table (cl-pareto --summary...). */
struct chart_metrics {
    const char **names;
    double *values;
    size_t n;
};
int chart_metrics_read(struct chart *c, struct chart_metrics *m, struct diag *diag);
void chart_metrics_free(struct chart_metrics *m);
/* The value of metric `name`; NAN when absent. */
double chart_metric(const struct chart_metrics *m, const char *name);

/* What the values are, for the words: --measure, else the value column's
 * name, else "value" (a summary does not say what was ranked); known names
 * translated, with their gender and number for French. */
struct chart_measure {
    const char *word;   /* "revenue", "chiffre d’affaires", "marge" */
    char of[160];       /* "of revenue", "du chiffre d’affaires", "de la marge" */
    const char *positive;   /* "positive", "positif", "positive", "positives" */
    const char *decreasing; /* "decreasing", "décroissant", "décroissante"... */
    int feminine, plural;
};
void chart_measure(const struct chart *c, const char *column, struct chart_measure *m);
void chart_capitalise(char *text);

/* ---- curves of many points ------------------------------------------- */

/* A curve of more than CHART_CURVE_WHOLE points (one per client: millions)
 * is thinned for gnuplot, which would otherwise take minutes to draw what
 * a few thousand points draw the same. The rule, on the curve in the
 * order of its points, its coordinates in axis units (0 to 1 here): a
 * point is dropped while it stays within `tolerance` of the last point
 * written, in x and in y; the point before the first that leaves that box
 * is written, and so are the first point, the last, and every point given
 * as kept (class boundaries, a marked point). Every point dropped, and the
 * drawn segment over it, lie in the box of the point written before them:
 * the drawn line is within tolerance (in x and in y) of the line through
 * every point. cl-plot's tolerance is chart_curve_tolerance: a quarter of
 * a pixel of the image's larger side, so a monotone curve (the cumulative
 * ones) keeps at most 16 points per pixel of that side. */
#define CHART_CURVE_WHOLE 4000
struct chart_curve {
    struct buf *b;          /* where "x y[ extra]" lines go */
    double tolerance;       /* axis units; 0: every point written */
    double last_x, last_y;  /* the last point written */
    double held_x, held_y;  /* the last point seen, not written yet */
    unsigned held_extra;
    int written, held;      /* a point written yet; one held */
    int extra;              /* a third column (a colour) is written */
    size_t count;           /* points written */
};
/* The tolerance for a curve of n points: 0 (keep all) up to
 * CHART_CURVE_WHOLE, else a quarter pixel of the image's larger side. */
double chart_curve_tolerance(const struct chart *c, size_t n);
void chart_curve_init(struct chart_curve *cv, struct buf *b, double tolerance, int extra);
/* One point of the curve; keep: written whatever the rule (with the one
 * held before it). extra: the third column when the curve has one. */
void chart_curve_add(struct chart_curve *cv, double x, double y, unsigned extra, int keep);
/* Write the point held, the curve's last. */
void chart_curve_end(struct chart_curve *cv);

/* ---- pieces of the script --------------------------------------------- */

/* Terminal, style and the title block. @return where the plot area may
 * start from the top, as a screen fraction. */
double chart_head(struct chart *c, const char *default_title);
/* The plot area, its four edges at screen fractions. */
void chart_plot_area(struct chart *c, double top, double bottom, double left, double right);
/* A footnote at the bottom left (line 0 is the lowest). */
void chart_note(struct chart *c, int line, const char *text);
/* Tics 0..max on an axis ("x", "y", "y2"), grouped numbers or percentages;
 * set the range too. @return the top of the range. */
double chart_value_tics(struct chart *c, const char *axis, double max);
double chart_percent_tics(struct chart *c, const char *axis, double max);
void chart_axis_label(struct chart *c, const char *axis, const char *text);
/* A label at `where` ("x, y" in gnuplot coordinates) with gnuplot options. */
void chart_label(struct chart *c, const char *text, size_t max_chars, const char *where,
                 const char *options);
/* A panel's title, bold, its left end at (x, y) on the screen. */
void chart_panel_title(struct chart *c, const char *text, double x, double y);
/* A label of several lines. */
void chart_lines(struct chart *c, const char *const *lines, size_t n, const char *where,
                 const char *options);
/* Display width of UTF-8 text in characters. */
size_t chart_text_width(const char *text);
/* A legend of n entries centred at screen height y (more rows below when
 * one is too wide); line[i]: a line sample, else a box. @return rows. */
int chart_legend(struct chart *c, double y, size_t n, const char *const *texts,
                 const unsigned *rgb, const int *line);

/* Colours: classes strongest first, categories, mixing, ink on a fill. */
unsigned chart_class_colour(size_t index);
unsigned chart_category_colour(size_t index);
unsigned chart_mix_rgb(unsigned a, unsigned b, double t);
const char *chart_ink_on(unsigned rgb);

/* ---- the chart kinds (one row each in plot_kinds[], plot_kinds.c) ---- */

int chart_pareto(struct chart *c, struct diag *diag);
int chart_lorenz(struct chart *c, struct diag *diag);
int chart_abc(struct chart *c, struct diag *diag);
int chart_migration(struct chart *c, struct diag *diag);
int chart_rfm(struct chart *c, struct diag *diag);
/* The rfm kind's value column: --value's (-1 when absent), else the first
 * of its usual names there is, else -1. */
long chart_rfm_value_column(const struct table *t, const struct plot_options *o);
int chart_share(struct chart *c, struct diag *diag);
int chart_clusters(struct chart *c, struct diag *diag);
int chart_select(struct chart *c, struct diag *diag);
int chart_personas(struct chart *c, struct diag *diag);
/* plot_cohort.c: cl-cohort's heat map and retention curves */
int chart_cohort(struct chart *c, struct diag *diag);
int chart_retention(struct chart *c, struct diag *diag);

#endif
