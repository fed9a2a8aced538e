/* plot_cohort — the two charts of cl-cohort's tables: the cohort heat map
 * (cohorts down, periods since acquisition across, the retention in each
 * cell) and the retention curves (one line per cohort, or the weighted
 * mean of --summary with the range of the cohorts). Built on the chart
 * skeleton (plot_chart.h), in English or French; registered in plot_kinds[]. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plot_chart.h"

#define LIGHT 0xf4f8fbu     /* retention 0 */
#define DARK  0x1f4e79u     /* the highest retention after period 0 */
#define ACQUIRED 0xe4e4e4u  /* period 0: everyone, by definition */
#define PARTIAL_INK "#c0392b"

struct grid {
    size_t cohorts, periods;
    const char **label;     /* per cohort: its label (a cell of the table) */
    double *size;           /* per cohort */
    double *value;          /* cohorts x periods; NaN: no row */
    unsigned char *partial; /* cohorts x periods */
};

static void grid_free(struct grid *g)
{
    free(g->label);
    free(g->size);
    free(g->value);
    free(g->partial);
}

/* What a period is, from the labels: 2011-W05, 2011-Q1, 2011-01. */
static const char *period_words(const struct chart *c, const char *label, int plural)
{
    const char *dash = strchr(label, '-');
    if (dash && dash[1] == 'W')
        return plural ? chart_tr(c, "Weeks", "Semaines") : chart_tr(c, "week", "semaine");
    if (dash && dash[1] == 'Q')
        return plural ? chart_tr(c, "Quarters", "Trimestres")
                      : chart_tr(c, "quarter", "trimestre");
    return plural ? chart_tr(c, "Months", "Mois") : chart_tr(c, "month", "mois");
}

/* Read cl-cohort's table into a grid (cohorts in the order of the file). */
static int read_grid(struct chart *c, struct grid *g, struct diag *diag)
{
    memset(g, 0, sizeof *g);
    long ccol = chart_need_column(c, "cohort", diag), pcol, scol, rcol;
    if (ccol < 0 || (pcol = chart_need_column(c, "period", diag)) < 0 ||
        (scol = chart_need_column(c, "cohort_size", diag)) < 0 ||
        (rcol = chart_need_column(c, "retention", diag)) < 0)
        return -1;
    long partial_col = chart_find_column(c->t, "partial");
    size_t n = c->nrows;
    g->label = calloc(n, sizeof *g->label);
    g->size = calloc(n, sizeof *g->size);
    size_t *row_cohort = calloc(n, sizeof *row_cohort);
    double *row_period = calloc(n, sizeof *row_period);
    if (!g->label || !g->size || !row_cohort || !row_period) {
        free(row_cohort);
        free(row_period);
        return diag_set(diag, "out of memory");
    }
    double longest = 0;
    for (size_t r = 0; r < n; r++) {
        const char *name = chart_cell(c, r, ccol);
        double period, size;
        if (chart_number(c, r, pcol, 0, &period, diag) != 0 ||
            chart_number(c, r, scol, 0, &size, diag) != 0) {
            free(row_cohort);
            free(row_period);
            return -1;
        }
        if (period < 0 || period != floor(period) || period > 100000) {
            free(row_cohort);
            free(row_period);
            return diag_set(diag, "%s:%ld: period \"%s\" is not a whole number of periods",
                            c->t->name, c->t->lines[c->rows[r]], chart_cell(c, r, pcol));
        }
        size_t k = 0;
        while (k < g->cohorts && strcmp(g->label[k], name) != 0)
            k++;
        if (k == g->cohorts) {
            g->label[k] = name;
            g->size[k] = size;
            g->cohorts++;
        }
        row_cohort[r] = k;
        row_period[r] = period;
        longest = fmax(longest, period);
    }
    g->periods = (size_t)longest + 1;
    if (g->cohorts * g->periods > 4000000) {
        free(row_cohort);
        free(row_period);
        return diag_set(diag, "%s: %zu cohorts by %zu periods: too many cells to draw "
                        "(choose cohorts with cl-cohort --from/--to)", c->t->name, g->cohorts,
                        g->periods);
    }
    g->value = malloc(g->cohorts * g->periods * sizeof *g->value);
    g->partial = calloc(g->cohorts * g->periods, 1);
    if (!g->value || !g->partial) {
        free(row_cohort);
        free(row_period);
        return diag_set(diag, "out of memory");
    }
    for (size_t i = 0; i < g->cohorts * g->periods; i++)
        g->value[i] = NAN;
    int rc = 0;
    for (size_t r = 0; r < n && rc == 0; r++) {
        size_t at = row_cohort[r] * g->periods + (size_t)row_period[r];
        double partial = 0;
        rc = chart_number(c, r, rcol, 1, &g->value[at], diag);
        if (rc == 0 && partial_col >= 0)
            rc = chart_number(c, r, partial_col, 1, &partial, diag);
        g->partial[at] = partial == 1;
    }
    free(row_cohort);
    free(row_period);
    return rc;
}

/* "2010-12 (885)": a cohort and its size for a tic. */
static void cohort_tic(const struct chart *c, const struct grid *g, size_t k, char *out,
                       size_t size)
{
    char n[64];
    snprintf(out, size, "%.20s (%s)", g->label[k],
             l10n_number(g->size[k], 0, c->o->lang, n));
}

/* ---- the heat map ----------------------------------------------------- */

int chart_cohort(struct chart *c, struct diag *diag)
{
    struct grid g;
    if (read_grid(c, &g, diag) != 0) {
        grid_free(&g);
        return -1;
    }
    double high = 0;        /* the colour scale's top: the best retention after period 0 */
    int any_partial = 0;
    for (size_t k = 0; k < g.cohorts; k++)
        for (size_t p = 0; p < g.periods; p++) {
            double v = g.value[k * g.periods + p];
            if (p > 0 && isfinite(v))
                high = fmax(high, v);
            any_partial |= g.partial[k * g.periods + p];
        }
    if (!(high > 0))
        high = 1;
    double top = chart_head(c, chart_tr(c, "Retention by acquisition cohort",
                                                  "R\xc3\xa9tention par cohorte d\xe2\x80\x99"
                                                  "acquisition"));
    /* the plot area in screen fractions, then a cell's size in pixels */
    double left = c->text ? 0.22 : 0.15, right = c->text ? 0.86 : 0.885;
    double area_top = top - (c->text ? 0.10 : 0.085), bottom = c->text ? 0.04 : 0.085;
    double cell_w = (right - left) * c->o->width / (double)g.periods;
    double cell_h = (area_top - bottom) * c->o->height / (double)g.cohorts;
    /* a label fits when "100%" fits across and a line of text down */
    int label_pt = chart_font(c, g.periods < 8 ? 15 : 12);
    if (cell_h / 1.9 < label_pt)
        label_pt = (int)floor(cell_h / 1.9);
    if (cell_w / 3.4 < label_pt)
        label_pt = (int)floor(cell_w / 3.4);
    int labelled = !c->text && label_pt >= 8;

    sbuf_add(&c->sb, "$cells << EOD\n");
    for (size_t k = 0; k < g.cohorts; k++)
        for (size_t p = 0; p < g.periods; p++) {
            double v = g.value[k * g.periods + p];
            if (!isfinite(v))
                continue;
            unsigned rgb = p == 0 ? ACQUIRED : chart_mix_rgb(LIGHT, DARK, v / high);
            sbuf_printf(&c->sb, "%zu %zu %u\n", p, k, rgb);
        }
    sbuf_add(&c->sb, "EOD\n");
    int tag = 1000;
    char text[96], where[96], options[160];
    for (size_t k = 0; k < g.cohorts && labelled; k++)
        for (size_t p = 0; p < g.periods; p++) {
            double v = g.value[k * g.periods + p];
            if (!isfinite(v))
                continue;
            unsigned rgb = p == 0 ? ACQUIRED : chart_mix_rgb(LIGHT, DARK, v / high);
            l10n_percent(v, 0, c->o->lang, text);
            if (g.partial[k * g.periods + p])
                strcat(text, "*");
            sbuf_printf(&c->sb, "set label %d ", tag++);
            sbuf_str(&c->sb, text, 0);
            sbuf_printf(&c->sb, " at %zu, %zu center front font '" FONT ",%d' tc rgb '%s'\n",
                              p, k, label_pt, chart_ink_on(rgb));
        }
    /* partial cells: a dashed frame in the accent colour */
    int object = 200;
    for (size_t k = 0; k < g.cohorts; k++)
        for (size_t p = 0; p < g.periods; p++)
            if (g.partial[k * g.periods + p] && isfinite(g.value[k * g.periods + p]) && !c->text)
                sbuf_printf(&c->sb, "set object %d rect from %.2f, %.2f to %.2f, %.2f front "
                                  "fs empty border lc rgb '%s' lw %.1f dt 2\n", object++,
                                  p - 0.46, k - 0.46, p + 0.46, k + 0.46, PARTIAL_INK,
                                  cell_h > 20 ? 2.0 : 1.0);

    /* axes: periods along the top, cohorts (with their sizes) down the left */
    sbuf_printf(&c->sb, "set xrange [-0.5:%zu.5]\nset yrange [%zu.5:-0.5]\n"
                         "unset xtics\nset x2range [-0.5:%zu.5]\n",
                      g.periods - 1, g.cohorts - 1, g.periods - 1);
    size_t xstep = (size_t)ceil(g.periods / (((right - left) * c->o->width) / 34.0));
    if (xstep < 1)
        xstep = 1;
    sbuf_printf(&c->sb, "set x2tics scale 0 font '" FONT ",%d' (", chart_font(c, PT.label));
    for (size_t p = 0; p < g.periods; p += xstep) {
        char n[32];
        snprintf(n, sizeof n, "%zu", p);
        sbuf_add(&c->sb, p ? ", " : "");
        sbuf_tic(&c->sb, n, 0);
        sbuf_printf(&c->sb, " %zu", p);
    }
    int ytic_pt = chart_font(c, PT.small);
    size_t ystep = (size_t)ceil(g.cohorts * (ytic_pt * 1.5) / ((area_top - bottom) *
                                                               c->o->height));
    if (ystep < 1)
        ystep = 1;
    sbuf_printf(&c->sb, ")\nset ytics scale 0 font '" FONT ",%d' (", ytic_pt);
    for (size_t k = 0; k < g.cohorts; k += ystep) {
        char tic[96];
        cohort_tic(c, &g, k, tic, sizeof tic);
        sbuf_add(&c->sb, k ? ", " : "");
        sbuf_tic(&c->sb, tic, 24);
        sbuf_printf(&c->sb, " %zu", k);
    }
    sbuf_add(&c->sb, ")\nset border 0\n");
    snprintf(text, sizeof text, "%s %s", period_words(c, g.label[0], 1),
             chart_tr(c, "since the first purchase", "depuis le premier achat"));
    chart_axis_label(c, "x2", text);
    /* the cohorts' heading stands above their tics, where a rotated axis
     * label would be cut at the left edge */
    snprintf(where, sizeof where, "screen %.4f, screen %.4f", left - 0.008,
             area_top + (c->text ? 0.03 : 0.035));
    snprintf(options, sizeof options, "right font '" FONT ",%d' tc rgb '#333333'",
             chart_font(c, PT.label));
    sbuf_add(&c->sb, "set label ");
    sbuf_str(&c->sb, chart_tr(c, "Cohort (clients)", "Cohorte (clients)"), 0);
    sbuf_printf(&c->sb, " at %s %s\n", where, options);
    sbuf_printf(&c->sb, "set lmargin at screen %.3f\nset rmargin at screen %.3f\n"
                         "set tmargin at screen %.3f\nset bmargin at screen %.3f\n",
                      left, right, area_top, bottom);

    /* the colour key: a strip of 20 shades from 0 to the top, right of the plot */
    if (!c->text) {
        double x0 = right + 0.03, x1 = right + 0.048, y0 = bottom + 0.05, y1 = area_top - 0.05;
        for (int i = 0; i < 20; i++)
            sbuf_printf(&c->sb, "set object %d rect from screen %.4f, screen %.4f to screen "
                              "%.4f, screen %.4f fc rgb '#%06x' fs solid 1.0 noborder\n", 100 + i,
                              x0, y0 + (y1 - y0) * i / 20, x1, y0 + (y1 - y0) * (i + 1) / 20,
                              chart_mix_rgb(LIGHT, DARK, (i + 0.5) / 20));
        double marks[3] = { 0, high / 2, high };
        for (int i = 0; i < 3; i++) {
            l10n_percent(marks[i], 0, c->o->lang, text);
            snprintf(where, sizeof where, "screen %.4f, screen %.4f", x1 + 0.006,
                     y0 + (y1 - y0) * marks[i] / high);
            snprintf(options, sizeof options, "left font '" FONT ",%d' tc rgb '#333333'",
                     chart_font(c, 11));
            sbuf_add(&c->sb, "set label ");
            sbuf_str(&c->sb, text, 0);
            sbuf_printf(&c->sb, " at %s %s\n", where, options);
        }
    }
    chart_note(c, any_partial, chart_tr(c,
        "Each cell: the share of the cohort\xe2\x80\x99s clients active in that period "
        "(period 0: all of them, grey). Colour: darker = more retained.",
        "Chaque case : la part des clients de la cohorte actifs sur la p\xc3\xa9riode "
        "(p\xc3\xa9riode 0 : tous, en gris). Couleur : plus fonc\xc3\xa9 = "
        "plus fid\xc3\xa8le."));
    if (any_partial)
        chart_note(c, 0, labelled ? chart_tr(c,
            "Dashed frame (and *): the last period, partial: the data end before it does.",
            "Cadre en tirets (et *) : la derni\xc3\xa8re p\xc3\xa9riode, incompl\xc3\xa8te : "
            "les donn\xc3\xa9""es s\xe2\x80\x99""arr\xc3\xaatent avant sa fin.")
            : chart_tr(c,
            "Dashed frame: the last period, partial: the data end before it does.",
            "Cadre en tirets : la derni\xc3\xa8re p\xc3\xa9riode, incompl\xc3\xa8te : "
            "les donn\xc3\xa9""es s\xe2\x80\x99""arr\xc3\xaatent avant sa fin."));
    sbuf_add(&c->sb, "plot $cells using 1:2:($1-0.48):($1+0.48):($2-0.48):($2+0.48):3 "
                      "with boxxyerror lc rgb variable\n");
    grid_free(&g);
    return 0;
}

/* ---- retention curves --------------------------------------------------- */

/* --summary: the weighted mean, with the band from the lowest to the
 * highest cohort. */
static int curves_summary(struct chart *c, struct diag *diag)
{
    long pcol = chart_need_column(c, "period", diag), rcol, lo, hi;
    if (pcol < 0 || (rcol = chart_need_column(c, "retention", diag)) < 0 ||
        (lo = chart_need_column(c, "retention_min", diag)) < 0 ||
        (hi = chart_need_column(c, "retention_max", diag)) < 0)
        return -1;
    double top = chart_head(c, chart_tr(c, "Retention after the first purchase",
                                                  "R\xc3\xa9tention apr\xc3\xa8s le premier "
                                                  "achat"));
    double last = 0;
    sbuf_add(&c->sb, "$mean << EOD\n");
    for (size_t r = 0; r < c->nrows; r++) {
        double p, v, a, b;
        if (chart_number(c, r, pcol, 0, &p, diag) != 0 ||
            chart_number(c, r, rcol, 0, &v, diag) != 0 ||
            chart_number(c, r, lo, 0, &a, diag) != 0 ||
            chart_number(c, r, hi, 0, &b, diag) != 0)
            return -1;
        sbuf_printf(&c->sb, "%.17g %.17g %.17g %.17g\n", p, v, a, b);
        last = fmax(last, p);
    }
    sbuf_add(&c->sb, "EOD\n");
    if (c->nrows <= 16 && !c->text) {
        double previous = INFINITY;
        for (size_t r = 0; r < c->nrows; r++) {
            double p, v;
            char text[64];
            chart_number(c, r, pcol, 0, &p, diag);
            chart_number(c, r, rcol, 0, &v, diag);
            l10n_percent(v, v < 0.1 ? 1 : 0, c->o->lang, text);
            /* above the point, unless the line comes down steeply into it */
            double dy = r > 0 && previous - v > 0.15 ? -1.3 : 1.1;
            sbuf_add(&c->sb, "set label ");
            sbuf_str(&c->sb, text, 0);
            sbuf_printf(&c->sb, " at %.17g, %.17g center offset 0, %.1f front font '" FONT
                              ":Bold,%d' tc rgb '#1f4e79'\n", p, v, dy, chart_font(c, PT.small));
            previous = v;
        }
    }
    sbuf_printf(&c->sb, "set xrange [-0.3:%.17g]\nset xtics 1 font '" FONT ",%d'\n",
                      last + 0.3, chart_font(c, PT.label));
    if (last > 24)
        sbuf_printf(&c->sb, "set xtics %d\n", (int)ceil(last / 12));
    chart_percent_tics(c, "y", 1.0);
    sbuf_add(&c->sb, "set grid ytics lt 1 lc rgb '#e6e6e6' lw 1\n");
    chart_axis_label(c, "x", chart_tr(c, "Periods since the first purchase",
                                                "P\xc3\xa9riodes depuis le premier achat"));
    chart_axis_label(c, "y", chart_tr(c, "Clients active", "Clients actifs"));
    const char *texts[2] = {
        chart_tr(c, "weighted mean of the cohorts",
                      "moyenne des cohortes, pond\xc3\xa9r\xc3\xa9""e"),
        chart_tr(c, "range: lowest to highest cohort", "\xc3\xa9""tendue : de la plus basse "
                      "\xc3\xa0 la plus haute cohorte"),
    };
    const unsigned rgb[2] = { DARK, 0xc6dbef };
    const int line[2] = { 1, 0 };
    chart_legend(c, top - 0.03, 2, texts, rgb, line);
    sbuf_printf(&c->sb, "set tmargin at screen %.3f\nset bmargin %d\n"
                         "set lmargin %d\nset rmargin %d\n",
                      top - 0.10, c->text ? 3 : 5, c->text ? 10 : 14, c->text ? 4 : 6);
    chart_note(c, 0, chart_tr(c,
        "Each period counts the cohorts that completed it; the last, partial period is left out.",
        "Chaque p\xc3\xa9riode compte les cohortes qui l\xe2\x80\x99ont achev\xc3\xa9""e ; "
        "la derni\xc3\xa8re, incompl\xc3\xa8te, est laiss\xc3\xa9""e de c\xc3\xb4t\xc3\xa9."));
    sbuf_add(&c->sb, "plot $mean using 1:3:4 with filledcurves lc rgb '#c6dbef', \\\n"
                      "     $mean using 1:2 with linespoints lw 3 pt 7 ps 1.3 lc rgb '#1f4e79'\n");
    return 0;
}

/* The table: one line per cohort (partial periods left out). */
static int curves_cohorts(struct chart *c, struct diag *diag)
{
    struct grid g;
    if (read_grid(c, &g, diag) != 0) {
        grid_free(&g);
        return -1;
    }
    double top = chart_head(c, chart_tr(c, "Retention curves by acquisition cohort",
                                                  "Courbes de r\xc3\xa9tention par cohorte"));
    /* the cohorts drawn: those with a complete period (the newest may only
     * have its partial period 0) */
    size_t *drawn = malloc(g.cohorts * sizeof *drawn), ndrawn = 0, last = 0;
    unsigned *colour = malloc(g.cohorts * sizeof *colour);
    if (!drawn || !colour) {
        free(drawn);
        free(colour);
        grid_free(&g);
        return diag_set(diag, "out of memory");
    }
    for (size_t k = 0; k < g.cohorts; k++) {
        int any = 0;
        for (size_t p = 0; p < g.periods; p++)
            if (isfinite(g.value[k * g.periods + p]) && !g.partial[k * g.periods + p]) {
                any = 1;
                last = p > last ? p : last;
            }
        if (any)
            drawn[ndrawn++] = k;
    }
    if (ndrawn == 0) {
        free(drawn);
        free(colour);
        grid_free(&g);
        return diag_set(diag, "%s: no complete period to draw (only the partial last one)",
                        c->t->name);
    }
    /* up to 10 cohorts: one colour each and a legend; more: a ramp from
     * light (oldest) to dark (newest), with three of them named */
    int ramp = ndrawn > 10;
    for (size_t i = 0; i < ndrawn; i++)
        colour[i] = ramp ? chart_mix_rgb(0xa9cbe8, 0x08306b,
                                          ndrawn > 1 ? (double)i / (double)(ndrawn - 1) : 1)
                         : chart_category_colour(i);
    for (size_t i = 0; i < ndrawn; i++) {
        size_t k = drawn[i];
        sbuf_printf(&c->sb, "$c%zu << EOD\n", i);
        for (size_t p = 0; p < g.periods; p++) {
            double v = g.value[k * g.periods + p];
            if (isfinite(v) && !g.partial[k * g.periods + p])
                sbuf_printf(&c->sb, "%zu %.17g\n", p, v);
        }
        sbuf_add(&c->sb, "EOD\n");
    }
    const char *texts[10];
    char names[10][96];
    unsigned rgb[10];
    int line[10];
    size_t n = 0;
    size_t pick[3] = { 0, ndrawn / 2, ndrawn - 1 };
    for (size_t i = 0; i < (ramp ? 3 : ndrawn); i++, n++) {
        size_t at = ramp ? pick[i] : i;
        cohort_tic(c, &g, drawn[at], names[n], sizeof names[n]);
        texts[n] = names[n];
        rgb[n] = colour[at];
        line[n] = 1;
    }
    int rows = chart_legend(c, top - 0.03, n, texts, rgb, line);
    sbuf_printf(&c->sb, "set xrange [-0.3:%zu.3]\nset xtics %zu font '" FONT ",%d'\n",
                      last, last > 24 ? (last + 12) / 12 : 1,
                      chart_font(c, PT.label));
    chart_percent_tics(c, "y", 1.0);
    sbuf_add(&c->sb, "set grid ytics lt 1 lc rgb '#e6e6e6' lw 1\n");
    char text[160];
    snprintf(text, sizeof text, "%s %s", period_words(c, g.label[0], 1),
             chart_tr(c, "since the first purchase", "depuis le premier achat"));
    chart_axis_label(c, "x", text);
    chart_axis_label(c, "y", chart_tr(c, "Clients of the cohort active",
                                                "Clients de la cohorte actifs"));
    sbuf_printf(&c->sb, "set tmargin at screen %.3f\nset bmargin %d\n"
                         "set lmargin %d\nset rmargin %d\n",
                      top - 0.06 - 0.045 * rows, c->text ? 3 : 5, c->text ? 10 : 14,
                      c->text ? 4 : 6);
    chart_note(c, 0, ramp ? chart_tr(c,
        "One line per cohort, lighter for older ones; the last, partial period is left out.",
        "Une ligne par cohorte, plus claire pour les plus anciennes ; la derni\xc3\xa8re "
        "p\xc3\xa9riode, incompl\xc3\xa8te, est laiss\xc3\xa9""e de c\xc3\xb4t\xc3\xa9.")
        : chart_tr(c, "One line per cohort; the last, partial period is left out.",
        "Une ligne par cohorte ; la derni\xc3\xa8re p\xc3\xa9riode, incompl\xc3\xa8te, est "
        "laiss\xc3\xa9""e de c\xc3\xb4t\xc3\xa9."));
    sbuf_add(&c->sb, "plot ");
    double width = ndrawn > 20 ? 1.5 : 2.5;
    for (size_t i = 0; i < ndrawn; i++)     /* many: lines without points */
        sbuf_printf(&c->sb, "%s$c%zu using 1:2 with %s lw %.1f lc rgb '#%06x'",
                          i ? ", \\\n     " : "", i,
                          ndrawn > 20 ? "lines" : "linespoints pt 7 ps 0.9", width, colour[i]);
    sbuf_add(&c->sb, "\n");
    free(colour);
    free(drawn);
    grid_free(&g);
    return 0;
}

int chart_retention(struct chart *c, struct diag *diag)
{
    if (chart_find_column(c->t, "cohort") < 0 && chart_find_column(c->t, "retention_min") >= 0)
        return curves_summary(c, diag);
    return curves_cohorts(c, diag);
}
