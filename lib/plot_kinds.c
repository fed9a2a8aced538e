/* plot_kinds.c — the chart kinds of cl-plot, one builder each, made on the
 * skeleton of plot_chart.h, and their registry plot_kinds[] (at the end). */
#include "plot_chart.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "columns.h"
#include "parse.h"
#include "plot_clv.h"
#include "utf8.h"

/* ====================================================================== */
/* pareto                                                                  */

int chart_prow_cmp(const void *a, const void *b)
{
    const struct prow *x = a, *y = b;
    int xp = strcmp(x->cls, "-") != 0, yp = strcmp(y->cls, "-") != 0;
    if (xp != yp)
        return yp - xp;
    if (x->rank != y->rank)
        return x->rank < y->rank ? -1 : 1;
    return x->order < y->order ? -1 : x->order > y->order;
}

/* Distinct class names of positive rows, sorted; counts and value shares. */
struct classes {
    const char *name[26];
    size_t clients[26];
    double value_share[26];
    size_t n;
};

static size_t class_index(struct classes *k, const char *name)
{
    for (size_t i = 0; i < k->n; i++)
        if (strcmp(k->name[i], name) == 0)
            return i;
    if (k->n < 26) {
        k->name[k->n] = name;
        return k->n++;
    }
    return 25;
}

static int chart_str_cmp(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Read the cl-pareto rows into prows sorted by rank, positive first.
 * value_col: the column the ranking was made on, found when -1. The rows
 * are read once for every image of the chart (plot_scripts): kept in
 * c->prows, which the chart frees. */
static int read_pareto_rows(struct chart *c, struct prow **out, size_t *npos, long *value_col,
                            struct diag *diag)
{
    if (c->prows) {
        *out = c->prows;
        *npos = c->prows_npos;
        *value_col = c->prows_vcol;
        return 0;
    }
    long rank = chart_need_column(c, "rank", diag), share, cum, cumc, cls;
    if (rank < 0 || (share = chart_need_column(c, "share", diag)) < 0
        || (cum = chart_need_column(c, "cum_share", diag)) < 0
        || (cumc = chart_need_column(c, "cum_clients_share", diag)) < 0
        || (cls = chart_need_column(c, "class", diag)) < 0)
        return -1;
    struct prow *p = calloc(c->nrows ? c->nrows : 1, sizeof *p);
    if (!p)
        return diag_set(diag, "out of memory");
    size_t ones = 0;
    for (size_t r = 0; r < c->nrows; r++) {
        p[r].key = chart_cell(c, r, 0);
        p[r].cls = chart_cell(c, r, cls);
        p[r].order = r;
        /* cl-pareto writes no share for the clients it leaves out, class "-" */
        int empty = strcmp(p[r].cls, "-") == 0 ? 1 : CHART_GAP;
        if (chart_number(c, r, rank, 0, &p[r].rank, diag) != 0
            || chart_number(c, r, share, empty, &p[r].share, diag) != 0
            || chart_number(c, r, cum, empty, &p[r].cum, diag) != 0
            || chart_number(c, r, cumc, empty, &p[r].cum_clients, diag) != 0) {
            free(p);
            return -1;
        }
        ones += p[r].rank == 1;
    }
    if (ones > 1) {
        free(p);
        long g = chart_find_column(c->t, "group");
        return diag_set(diag, "%s: several rankings in one file (cl-pareto --group): choose one "
                        "with --where %s=VALUE", c->t->name,
                        g >= 0 ? c->t->header[g] : "COLUMN");
    }
    /* The value column: given, or the numeric input column whose values
     * divided by their positive total are the share column. */
    long vcol = -1;
    if (c->o->value_column) {
        vcol = chart_find_column(c->t, c->o->value_column);
        if (vcol < 0) {
            free(p);
            return diag_set(diag, "%s: no column \"%s\" (--value)", c->t->name,
                            c->o->value_column);
        }
    } else {
        for (long col = 1; col < rank && vcol < 0; col++) {
            /* each value read once, kept in p[r].value: the column found
             * keeps them (chart_number reads a number parse_double took
             * the same way) */
            double total = 0;
            char col_mark;
            int ok = chart_column_mark(c, col, &col_mark, NULL) == 0;
            for (size_t r = 0; r < c->nrows && ok; r++) {
                char mark = col_mark;
                const char *s = chart_cell(c, r, col);
                if (!chart_plain_number(s, mark, &p[r].value)
                    && parse_double(s, strlen(s), &mark, &p[r].value) != PARSE_OK)
                    ok = 0;
                else if (strcmp(p[r].cls, "-") != 0)
                    total += p[r].value;
            }
            for (size_t r = 0; r < c->nrows && ok && total > 0; r++)
                if (strcmp(p[r].cls, "-") != 0
                    && fabs(p[r].value / total - p[r].share) > 1e-9 * fmax(1, fabs(p[r].share)))
                    ok = 0;
            if (ok && total > 0)
                vcol = col;
        }
    }
    for (size_t r = 0; r < c->nrows && !(vcol >= 0 && !c->o->value_column); r++) {
        if (vcol >= 0) {
            if (chart_number(c, r, vcol, 0, &p[r].value, diag) != 0) {
                free(p);
                return -1;
            }
        } else {
            p[r].value = p[r].share;
        }
    }
    size_t sorted = 1;      /* cl-pareto writes its rows in this order: no sort then */
    while (sorted < c->nrows && chart_prow_cmp(&p[sorted - 1], &p[sorted]) < 0)
        sorted++;
    if (sorted < c->nrows)
        qsort(p, c->nrows, sizeof *p, chart_prow_cmp);
    size_t pos = 0;
    while (pos < c->nrows && strcmp(p[pos].cls, "-") != 0)
        pos++;
    *out = c->prows = p;
    *npos = c->prows_npos = pos;
    *value_col = c->prows_vcol = vcol;
    return 0;
}

/* The classes' key, inside the curve's panel at its bottom right (under
 * the curve, where the fill says nothing), on a white box: one line per
 * class with its colour, its clients and its share of the value. */
static void pareto_class_key(struct chart *c, const struct classes *k,
                             const struct chart_measure *m)
{
    struct buf *b = &c->sb;
    char lines[26][200], n1[64], n2[64];
    size_t widest = 0;
    for (size_t i = 0; i < k->n; i++) {
        snprintf(lines[i], sizeof lines[i],
                 chart_tr(c, "class %s: %s, %s %s", "classe %s : %s, %s %s"),
                 k->name[i], chart_count(c, (double)k->clients[i], "client", "clients", n1),
                 chart_pct(c, k->value_share[i], chart_percent_decimals(k->value_share[i]), n2),
                 m->of);
        size_t w = chart_text_width(lines[i]);
        widest = w > widest ? w : widest;
    }
    int size = chart_font(c, PT.label);
    /* in screen fractions of the image: the panel spans 0.08..0.60 */
    const struct chart_layout *L = &chart_layout;
    double char_w = c->text ? 1.0 / c->o->width : L->char_px_per_pt * size / c->o->width;
    double row_h = c->text ? 1.0 / c->o->height : L->row_px_per_pt * size / c->o->height;
    double swatch = c->text ? 2.0 / c->o->width : 22.0 * c->fs / 14 / c->o->width;
    double width = swatch + char_w * (double)(widest + 2);
    double x1 = c->text ? 0.575 : 0.59, x0 = x1 - width - (c->text ? 0.0 : 0.01);
    double y0 = c->text ? 0.20 : 0.18, y1 = y0 + row_h * (double)k->n + (c->text ? 0 : 0.02);
    if (!c->text)
        sbuf_printf(b, "set object 60 rect from screen %.4f, screen %.4f to screen %.4f, "
                       "screen %.4f fc rgb '#ffffff' fs solid 1.0 noborder front\n",
                    x0, y0, x1, y1);
    for (size_t i = 0; i < k->n; i++) {
        double y = y1 - (c->text ? 0.5 : 0.01 * 1.0) * (c->text ? 1.0 / c->o->height : 1.0)
                 - row_h * ((double)i + 0.5);
        double x = x0 + (c->text ? 0 : 0.006);
        if (!c->text)
            sbuf_printf(b, "set object %zu rect from screen %.4f, screen %.4f to screen %.4f, "
                           "screen %.4f fc rgb '#%06x' fs solid 1.0 noborder front\n", 61 + i,
                        x, y - row_h * 0.3, x + swatch, y + row_h * 0.3, chart_class_colour(i));
        char where[120], opts[160];
        snprintf(where, sizeof where, "screen %.4f, screen %.4f", x + swatch + char_w * 0.6, y);
        snprintf(opts, sizeof opts, "left front font '" FONT ",%d' tc rgb '#1a1a1a'", size);
        chart_label(c, lines[i], 0, where, opts);
    }
}

/* The left edge of a chart whose y axis is in percent. French ticks are
 * wider ("100 %": a space before the sign), and the axis title beside them
 * was cut at the image's left edge. */
static double percent_plot_left(const struct chart *c)
{
    return c->text ? 0.10 : c->o->lang == L10N_FR ? 0.095 : 0.08;
}

/* The pareto chart, in two panels. Left, the cumulative share of the value
 * against the share of clients, both on a true scale (0 to 100%), the
 * area under the curve coloured by class, and the point where it reaches
 * 80%; right, the --top largest clients by name, as bars with their value.
 * One panel per scale: no axis is broken. */
int chart_pareto(struct chart *c, struct diag *diag)
{
    struct prow *p;
    size_t npos;
    long vcol;
    if (read_pareto_rows(c, &p, &npos, &vcol, diag) != 0)
        return -1;
    if (npos == 0) {
        return diag_set(diag, "%s: no client with a positive value to plot", c->t->name);
    }
    struct buf *b = &c->sb;
    struct chart_measure m;
    chart_measure(c, vcol >= 0 ? c->t->header[vcol] : NULL, &m);
    char title[200], text[400], n1[64], n2[64], opts[200], where[120];
    snprintf(title, sizeof title, chart_tr(c, "Pareto: %s by client", "Pareto : %s par client"),
             m.word);
    chart_capitalise(title);
    double top = chart_head(c, title);

    /* classes of the positive clients, sorted by name */
    struct classes k = { 0 };
    for (size_t i = 0; i < npos; i++)
        class_index(&k, p[i].cls);
    qsort(k.name, k.n, sizeof k.name[0], chart_str_cmp);
    size_t *cls = malloc(npos * sizeof *cls);
    if (!cls) {
        return diag_set(diag, "out of memory");
    }
    for (size_t i = 0; i < npos; i++) {
        cls[i] = class_index(&k, p[i].cls);
        k.clients[cls[i]]++;
        k.value_share[cls[i]] += p[i].share;
    }
    /* where the curve reaches 80%: the fewest clients making 80% (a gap,
     * a client drawn with no cumulative share, is not where it does) */
    size_t k80 = 0;
    while (k80 + 1 < npos && !(p[k80].cum >= 0.8 - 1e-12))
        k80++;
    double x80 = (double)(k80 + 1) / (double)npos, y80 = p[k80].cum;

    /* The curve, one point per client up to CHART_CURVE_WHOLE points, else
     * thinned by the rule of plot_chart.h, keeping every class boundary and
     * the 80% point. Each run of one class is a block of its own, starting
     * where the last ended, filled down to the axis in its colour. */
    double tolerance = chart_curve_tolerance(c, npos);
    struct chart_curve cv;
    sbuf_add(b, "$curve << EOD\n");
    chart_curve_init(&cv, b, tolerance, 0);
    chart_curve_add(&cv, 0, 0, 0, 1);
    for (size_t i = 0; i < npos; i++)
        chart_curve_add(&cv, (double)(i + 1) / (double)npos, p[i].cum, 0,
                        i + 1 == npos || i == k80 || cls[i] != cls[i + 1]);
    chart_curve_end(&cv);
    sbuf_add(b, "EOD\n$fill << EOD\n");
    size_t runs = 0;
    double last_x = 0, last_y = 0;
    for (size_t i = 0; i < npos; i++) {
        if (i == 0 || cls[i] != cls[i - 1]) {
            if (i > 0)
                sbuf_add(b, "\n\n");
            chart_curve_init(&cv, b, tolerance, 1);
            chart_curve_add(&cv, last_x, last_y, chart_class_colour(cls[i]), 1);
            runs++;
        }
        int end_of_run = i + 1 == npos || cls[i + 1] != cls[i];
        double x = (double)(i + 1) / (double)npos;
        chart_curve_add(&cv, x, p[i].cum, chart_class_colour(cls[i]), end_of_run || i == k80);
        if (end_of_run) {
            last_x = x;
            last_y = p[i].cum;
        }
    }
    sbuf_printf(b, "EOD\n$reach80 << EOD\n%.17g %.17g\nEOD\n", x80, y80);
    /* the 80% line up to the point (no line down from it: class A ends
     * there, and the key's box may sit under it) */
    sbuf_printf(b, "$guides << EOD\n0 0.8\n%.17g 0.8\nEOD\n", x80);

    /* The top clients: rank, value, colour. */
    size_t named = (size_t)(c->o->top > 0 ? c->o->top : 20);
    if (named > npos)
        named = npos;
    double max_value = 0, top_share = 0;
    sbuf_add(b, "$top << EOD\n");
    for (size_t i = 0; i < named; i++) {
        sbuf_printf(b, "%zu %.17g %u\n", i + 1, p[i].value, chart_class_colour(cls[i]));
        max_value = fmax(max_value, p[i].value);
        top_share += p[i].share;
    }
    sbuf_add(b, "EOD\n");

    /* The headline, then the class legend, above both panels. */
    const char *headline = k80 == 0
        ? chart_tr(c, "%s (%s of clients) makes 80%% %s",
                   "%s (%s des clients) fait 80" NARROW_NBSP "%% %s")
        : chart_tr(c, "%s (%s of clients) make 80%% %s",
                   "%s (%s des clients) font 80" NARROW_NBSP "%% %s");
    snprintf(text, sizeof text, headline,
             chart_count(c, (double)(k80 + 1), "client", "clients", n1), chart_pct(c, x80,
                         chart_percent_decimals(x80), n2),
             m.of);
    snprintf(opts, sizeof opts, "center font '" FONT ":Bold,%d' tc rgb '#1a1a1a'", chart_font(c,
             17));
    snprintf(where, sizeof where, "screen %.3f, screen %.3f", c->text ? 0.34 : 0.34,
             top - (c->text ? 0.04 : 0.03));
    chart_label(c, text, 0, where, opts);
    double panel_top = top - (c->text ? 0.10 : 0.075);
    double panel_bottom = c->text ? 0.16 : 0.15;
    if (npos < c->nrows) {
        int one = c->nrows - npos == 1;
        snprintf(text, sizeof text, one ? chart_tr(c, "%s with no %s %s is left out.",
                                                   "%s sans %s %s est exclu.")
                                        : chart_tr(c, "%s with no %s %s are left out.",
                                                   "%s sans %s %s sont exclus."),
                 chart_count(c, (double)(c->nrows - npos), "client", "clients", n1),
                 c->o->lang == L10N_FR ? m.word : m.positive,
                 c->o->lang == L10N_FR ? m.positive : m.word);
        chart_note(c, 0, text);
    }

    /* ---- left panel: the curve on a true scale ---- */
    sbuf_add(b, "set multiplot\n");
    chart_plot_area(c, panel_top, panel_bottom, percent_plot_left(c), c->text ? 0.58 : 0.60);
    chart_percent_tics(c, "x", 1);
    chart_percent_tics(c, "y", 1);
    if (!c->text)
        sbuf_add(b, "set grid xtics front lt 1 lc rgb '#ffffff' lw 1 dt 1\n");
    snprintf(text, sizeof text, chart_tr(c, "Share of clients, ranked by %s, largest first",
                                         "Part des clients, class\xc3\xa9s par %s %s"),
             m.word, m.decreasing);
    chart_axis_label(c, "x", text);
    snprintf(text, sizeof text, chart_tr(c, "Cumulative share %s", "Part cumul\xc3\xa9""e %s"),
             m.of);
    chart_axis_label(c, "y", text);
    /* the point, named with what it shows, on a white box over the fill */
    snprintf(text, sizeof text, chart_tr(c, "%s (%s): 80%%", "%s (%s) : 80" NARROW_NBSP "%%"),
             chart_count(c, (double)(k80 + 1), "client", "clients", n1), chart_pct(c, x80,
                         chart_percent_decimals(x80), n2));
    snprintf(where, sizeof where, "%.17g, %.17g", x80, y80);
    snprintf(opts, sizeof opts, "left offset 1.2,-1.1 %s font '" FONT ":Bold,%d' tc rgb '%s' front",
             c->text ? "" : "boxed", chart_font(c, PT.callout), ACCENT);
    if (!c->text)
        sbuf_add(b, "set style textbox opaque fc rgb '#ffffff' noborder margins 3,2\n");
    chart_label(c, text, 0, where, opts);
    pareto_class_key(c, &k, &m);
    sbuf_add(b, "plot ");
    for (size_t r = 0; r < runs; r++)
        sbuf_printf(b, "%s$fill index %zu using 1:2:3 with filledcurves x1 fc rgb variable "
                       "fs solid 1.0 noborder", r ? ", \\\n     " : "", r);
    /* the guide to the 80% point */
    sbuf_printf(b, ", \\\n     $guides using 1:2 with lines dt 2 lw 1.5 lc rgb '%s'", ACCENT);
    sbuf_printf(b, ", \\\n     $curve using 1:2 with lines lw 3 lc rgb '#1a1a1a'");
    sbuf_printf(b, ", \\\n     $reach80 using 1:2 with points pt 7 ps %.1f lc rgb '%s'\n",
                c->text ? 1.0 : 2.0, ACCENT);

    /* ---- right panel: the top clients by name ---- */
    sbuf_add(b, "unset label\nunset arrow\nunset object\nunset grid\nunset xlabel\nunset ylabel\n");
    size_t widest = 0;
    for (size_t i = 0; i < named; i++) {
        size_t w = chart_text_width(p[i].key);
        widest = w > widest ? w : widest;
    }
    if (widest > 18)
        widest = 19;
    int name_size = chart_font(c, named > 25 ? 9 : named > 20 ? 10 : 12);
    double names_w = c->text ? (double)(widest + 2) / c->o->width
                   : (0.62 * name_size * (double)(widest + 1) + 10) / c->o->width;
    double left = (c->text ? 0.62 : 0.665) + names_w;
    sbuf_printf(b, "set lmargin at screen %.3f\nset rmargin at screen %.3f\n", left,
                c->text ? 0.98 : 0.975);
    sbuf_printf(b, "set xrange [0:%.17g]\nset yrange [%.1f:0.4]\nunset xtics\nunset x2tics\n"
                   "unset y2tics\nset border 1 lw 1 lc rgb '#555555'\n",
                max_value * (c->text ? 1.6 : 1.45), named + 0.6);
    /* names and values while a row has room for them (30 rows) */
    if (named <= 30) {
        sbuf_printf(b, "set ytics scale 0 font '" FONT ",%d' (", name_size);
        for (size_t i = 0; i < named; i++) {
            sbuf_add(b, i ? ", " : "");
            sbuf_tic(b, p[i].key, 18);
            sbuf_printf(b, " %zu", i + 1);
        }
        sbuf_add(b, ")\n");
    } else {
        sbuf_add(b, "unset ytics\n");
    }
    for (size_t i = 0; i < named && named <= 30; i++) {
        char value[64];
        if (vcol >= 0)
            chart_num(c, p[i].value, fabs(p[i].value) >= 100 ? 0 : 2, value);
        else
            chart_pct(c, p[i].value, chart_percent_decimals(p[i].value), value);
        snprintf(where, sizeof where, "%.17g, %zu", p[i].value, i + 1);
        snprintf(opts, sizeof opts, "left offset 0.5,0 front font '" FONT ",%d' tc rgb '#333333'",
                 name_size);
        chart_label(c, value, 0, where, opts);
    }
    snprintf(text, sizeof text, chart_tr(c, "The %s largest clients", "Les %s plus gros clients"),
             chart_num(c, (double)named, 0, n1));
    chart_panel_title(c, text, c->text ? 0.62 : 0.665, panel_top + (c->text ? 0.025 : 0.05));
    if (!c->text) {   /* the preview has one row above the panel */
        snprintf(text, sizeof text, chart_tr(c, "together: %s %s", "ensemble : %s %s"),
                 chart_pct(c, top_share, 1, n1), m.of);
        snprintf(where, sizeof where, "screen %.3f, screen %.3f", c->text ? 0.62 : 0.665,
                 panel_top + (c->text ? 0.02 : 0.018));
        snprintf(opts, sizeof opts, "left font '" FONT ",%d' tc rgb '%s'", chart_font(c, PT.small),
                 chart_layout.ink.subtitle);
        chart_label(c, text, 0, where, opts);
    }
    sbuf_add(b, "plot $top using 2:1:(0):2:($1-0.38):($1+0.38):3 with boxxyerror "
                "fc rgb variable fs solid 1.0 noborder\nunset multiplot\n");
    free(cls);
    return 0;
}

/* ====================================================================== */
/* lorenz                                                                  */

struct point { double x, y; };

static int point_cmp(const void *a, const void *b)
{
    const struct point *p = a, *q = b;
    return (p->x > q->x) - (p->x < q->x);
}

/* y at x on the polyline (points sorted by x). */
static double interpolate(const struct point *pt, size_t n, double x)
{
    for (size_t i = 1; i < n; i++)
        if (pt[i].x >= x) {
            double dx = pt[i].x - pt[i - 1].x;
            if (!(dx > 0))
                return pt[i].y;
            return pt[i - 1].y + (pt[i].y - pt[i - 1].y) * (x - pt[i - 1].x) / dx;
        }
    return n ? pt[n - 1].y : NAN;
}

/* The Lorenz curve in a square on the left, its point at 20% of clients
 * named with what it shows; on the right, the message, the share of the
 * value made by each fifth of the clients, and the Gini index. */
int chart_lorenz(struct chart *c, struct diag *diag)
{
    long xcol = chart_need_column(c, "cum_clients_share", diag);
    if (xcol < 0)
        return -1;
    long ycol = chart_need_column(c, "cum_share", diag);
    if (ycol < 0)
        return -1;
    long cls = chart_find_column(c->t, "class");
    long vcol = -1;
    struct point *read = NULL;  /* the two columns as read_pareto_rows read them, by row */
    unsigned char *dash = NULL; /* and each row's class "-" (so the cells are not read) */
    if (cls >= 0) {    /* the rows of cl-pareto: the value column names the measure */
        struct prow *p;
        size_t npos;
        if (read_pareto_rows(c, &p, &npos, &vcol, diag) != 0)
            return -1;
        read = malloc((c->nrows + 1) * sizeof *read);
        dash = malloc(c->nrows + 1);
        for (size_t i = 0; read && dash && i < c->nrows; i++) {
            read[p[i].order] = (struct point){ p[i].cum_clients, p[i].cum };
            dash[p[i].order] = strcmp(p[i].cls, "-") == 0;
        }
        if (!read || !dash) {
            free(read);
            free(dash);
            return diag_set(diag, "out of memory");
        }
    }
    struct point *pt = malloc((c->nrows + 1) * sizeof *pt);
    if (!pt) {
        free(read);
        free(dash);
        return diag_set(diag, "out of memory");
    }
    size_t n = 0;
    pt[n++] = (struct point){ 0, 0 };
    for (size_t r = 0; r < c->nrows; r++) {
        if (dash && dash[r])
            continue;
        struct point q;
        if (read && isfinite(read[r].x) && isfinite(read[r].y))
            q = read[r];        /* the same numbers: not parsed again */
        else if (chart_number(c, r, xcol, 0, &q.x, diag) != 0
                 || chart_number(c, r, ycol, 0, &q.y, diag) != 0) {
            free(pt);
            free(read);
            free(dash);
            return -1;
        }
        if (q.x == 0 && q.y == 0)
            continue;
        pt[n++] = q;
    }
    free(read);
    free(dash);
    if (n < 2) {
        free(pt);
        return diag_set(diag, "%s: no point to plot", c->t->name);
    }
    size_t sorted = 1;      /* cl-pareto writes the rows in order: no sort then */
    while (sorted < n && point_cmp(&pt[sorted - 1], &pt[sorted]) <= 0)
        sorted++;
    if (sorted < n)
        qsort(pt, n, sizeof *pt, point_cmp);
    /* Gini from the curve: |2·area − 1|, the area by trapezoids. It is
     * exact on a curve with one point per client (cl-pareto's formula);
     * on a thinned curve it is within its step. */
    double area = 0;
    for (size_t i = 1; i < n; i++)
        area += (pt[i].x - pt[i - 1].x) * (pt[i].y + pt[i - 1].y) / 2;
    double gini = fabs(2 * area - 1);
    int largest_first = area >= 0.5;
    /* A curve with one point per client (x = i/n) cuts its fifths at
     * ⌈0.2·j·n⌉ clients, as cl-pareto's share_top20; a thinned curve is
     * read off the line at 20%, 40%... */
    double first = pt[1].x;
    double clients = round(1 / first);
    int per_client = clients >= 1 && fabs(first * clients - 1) < 1e-9 && (double)(n - 1) == clients;
    double cut[6], fifth[5];     /* cut[j]: the share of clients of the top j fifths */
    for (int j = 0; j <= 5; j++)
        cut[j] = per_client ? ceil(0.2 * j * clients - 1e-9) / clients : 0.2 * j;
    double prev = 0;
    for (int j = 1; j <= 5; j++) {  /* the value made by the largest cut[j] of clients */
        double made = largest_first ? interpolate(pt, n, cut[j]) : 1 - interpolate(pt, n,
                                                  1 - cut[j]);
        fifth[j - 1] = made - prev;
        prev = made;
    }
    double top20 = fifth[0];
    double mark_x = largest_first ? cut[1] : 1 - cut[1];
    double mark_y = interpolate(pt, n, mark_x);

    struct buf *b = &c->sb;
    struct chart_measure m;
    chart_measure(c, vcol >= 0 ? c->t->header[vcol] : NULL, &m);
    char title[300], text[400], n1[64], n2[64], opts[200], where[120];
    snprintf(title, sizeof title, chart_tr(c, "Concentration %s (Lorenz curve)",
                                           "Concentration %s (courbe de Lorenz)"), m.of);
    double top = chart_head(c, title);
    /* the curve thinned by the rule of plot_chart.h past CHART_CURVE_WHOLE
     * points, keeping its ends and the points on either side of the mark */
    struct chart_curve cv;
    chart_curve_init(&cv, b, chart_curve_tolerance(c, n - 1), 0);     /* n - 1 clients */
    sbuf_add(b, "$curve << EOD\n");
    for (size_t i = 0; i < n; i++)
        chart_curve_add(&cv, pt[i].x, pt[i].y, 0, i == 0 || i + 1 == n
                        || (pt[i].x >= mark_x && pt[i - 1].x < mark_x)
                        || (i + 1 < n && pt[i].x < mark_x && pt[i + 1].x >= mark_x));
    chart_curve_end(&cv);
    sbuf_printf(b, "EOD\n$equality << EOD\n0 0\n1 1\nEOD\n$mark << EOD\n%.17g %.17g\nEOD\n",
                mark_x, mark_y);
    sbuf_add(b, "$fifths << EOD\n");
    for (int j = 0; j < 5; j++)
        sbuf_printf(b, "%d %.17g\n", j + 1, fifth[j]);
    sbuf_add(b, "EOD\n");
    free(pt);

    /* ---- left: the square ---- */
    double bottom = c->text ? 0.14 : 0.13;
    sbuf_add(b, "set multiplot\nset size ratio 1\n");
    chart_plot_area(c, top - 0.02, bottom, percent_plot_left(c), c->text ? 0.50 : 0.54);
    chart_percent_tics(c, "x", 1);
    chart_percent_tics(c, "y", 1);
    if (!c->text)
        sbuf_add(b, "set grid xtics ytics lt 1 lc rgb '#d9d9d9' lw 1 dt 1\n");
    chart_axis_label(c, "x", largest_first
                     ? chart_tr(c, "Share of clients, largest first",
                                "Part des clients, les plus gros d" APOSTROPHE "abord")
                     : chart_tr(c, "Share of clients, smallest first",
                                "Part des clients, les plus petits d" APOSTROPHE "abord"));
    snprintf(text, sizeof text, chart_tr(c, "Cumulative share %s", "Part cumul\xc3\xa9""e %s"),
             m.of);
    chart_axis_label(c, "y", text);
    if (!c->text)
        sbuf_add(b, "set style textbox opaque fc rgb '#ffffff' noborder margins 3,2\n");
    /* guide lines to the marked point, and the point named */
    sbuf_printf(b, "set arrow 1 from %.17g, 0 to %.17g, %.17g nohead dt 2 lw 1.5 lc rgb '%s'\n",
                mark_x, mark_x, mark_y, ACCENT);
    sbuf_printf(b, "set arrow 2 from 0, %.17g to %.17g, %.17g nohead dt 2 lw 1.5 lc rgb '%s'\n",
                mark_y, mark_x, mark_y, ACCENT);
    snprintf(where, sizeof where, "%.17g, %.17g", mark_x, mark_y);
    if (largest_first) {
        snprintf(text, sizeof text, chart_tr(c, "the top %s of clients: %s",
                                             "les %s plus gros clients : %s"),
                 chart_pct(c, cut[1], 0, n1), chart_pct(c, mark_y, 1, n2));
        snprintf(opts, sizeof opts, "left offset 1.5,-0.9 %s font '" FONT ":Bold,%d' tc rgb '%s' "
                                                                          "front",
                 c->text ? "" : "boxed", chart_font(c, PT.label), ACCENT);
        chart_label(c, text, 0, where, opts);
    } else {
        /* the point is the smallest 80%; the top 20% is the rest, up to 100% */
        snprintf(text, sizeof text, chart_tr(c, "the smallest %s of clients: %s",
                                             "les %s plus petits clients : %s"),
                 chart_pct(c, 1 - cut[1], 0, n1), chart_pct(c, mark_y, 1, n2));
        snprintf(opts, sizeof opts, "right offset -1.2,0 %s font '" FONT ",%d' tc rgb '#333333' "
                                                                         "front",
                 c->text ? "" : "boxed", chart_font(c, PT.small));
        chart_label(c, text, 0, where, opts);
        sbuf_printf(b, "set arrow 3 from %.17g, %.17g to %.17g, 1 heads size screen 0.008,30 "
                       "lw 2 lc rgb '%s' front\n", mark_x, mark_y, mark_x, ACCENT);
        snprintf(text, sizeof text, chart_tr(c, "the top %s: %s", "les %s plus gros : %s"),
                 chart_pct(c, cut[1], 0, n1), chart_pct(c, top20, 1, n2));
        snprintf(where, sizeof where, "%.17g, %.17g", mark_x, (mark_y + 1) / 2);
        snprintf(opts, sizeof opts, "right offset -1,0 %s font '" FONT ":Bold,%d' tc rgb '%s' "
                                                                       "front",
                 c->text ? "" : "boxed", chart_font(c, PT.label), ACCENT);
        chart_label(c, text, 0, where, opts);
    }
    /* the key in the corner the curve leaves empty: under the diagonal
     * when the largest come first, above it otherwise */
    sbuf_printf(b, "set key at graph %s, graph %s %s vertical reverse Left samplen 2 "
                   "spacing 1.3 %s font '" FONT ",%d'\n",
                largest_first ? "0.97" : "0.03", largest_first ? "0.03" : "0.97",
                largest_first ? "right bottom" : "left top",
                c->text ? "" : "opaque box lc rgb '#ffffff'", chart_font(c, PT.small));
    sbuf_printf(b, "plot $curve using 1:2:1 with filledcurves fs transparent solid 0.6 "
                   "lc rgb '#b9d3ea', \\\n"
                   "     $equality using 1:2 with lines dt 2 lw 2 lc rgb '#888888' title ");
    sbuf_str(b, chart_tr(c, "perfect equality", "\xc3\xa9galit\xc3\xa9 parfaite"), 0);
    sbuf_printf(b, ", \\\n     $curve using 1:2 with lines lw 3 lc rgb '#1f4e79' title ");
    sbuf_str(b, chart_tr(c, "Lorenz curve", "courbe de Lorenz"), 0);
    sbuf_printf(b, ", \\\n     $mark using 1:2 with points pt 7 ps %.1f lc rgb '%s'\n",
                c->text ? 1.0 : 2.0, ACCENT);

    /* ---- right: the message, the fifths, the Gini ---- */
    sbuf_add(b, "unset label\nunset arrow\nunset object\nunset grid\nunset key\nunset xlabel\n"
                "unset ylabel\nset size noratio\n");
    double x0 = c->text ? 0.54 : 0.60;
    snprintf(text, sizeof text, chart_tr(c, "make %s %s.", "font %s %s."),
             chart_pct(c, top20, 1, n1), m.of);
    char first_line[200];      /* ⌈0.2·n⌉ clients: 20% on any real file, 22% of 9 */
    snprintf(first_line, sizeof first_line, chart_tr(c, "The top %s of clients",
                                                     "Les %s plus gros clients"),
             chart_pct(c, cut[1], 0, n2));
    const char *message[] = { first_line, text };
    snprintf(opts, sizeof opts, "left font '" FONT ":Bold,%d' tc rgb '#1a1a1a'", chart_font(c, 18));
    snprintf(where, sizeof where, "screen %.3f, screen %.3f", x0, top - 0.05);
    chart_lines(c, message, 2, where, opts);
    snprintf(text, sizeof text, chart_tr(c, "Share %s by fifth of the clients",
                                         "Part %s par cinqui\xc3\xa8me des clients"),
             m.of);
    snprintf(opts, sizeof opts, "left font '" FONT ",%d' tc rgb '%s'", chart_font(c, PT.label),
             chart_layout.ink.axis);
    snprintf(where, sizeof where, "screen %.3f, screen %.3f", x0, top - 0.18);
    chart_label(c, text, 0, where, opts);
    double panel_top = top - 0.21, panel_bottom = c->text ? 0.30 : 0.27;
    chart_plot_area(c, panel_top, panel_bottom, x0 + (c->text ? 0.13 : 0.12), 0.93);
    double fmax5 = 0;
    for (int j = 0; j < 5; j++)
        fmax5 = fmax(fmax5, fifth[j]);
    sbuf_printf(b, "set xrange [0:%.17g]\nset yrange [5.6:0.4]\nunset xtics\n"
                   "set border 0\nset ytics scale 0 font '" FONT ",%d' (",
                fmax(fmax5, 0.01) * 1.3, chart_font(c, PT.label));
    static const char *const fifth_en[5] = { "top 20%", "next 20%", "middle 20%", "next 20%",
                                             "bottom 20%" };
    static const char *const fifth_fr[5] = { "20" NARROW_NBSP "% plus gros",
                                             "20" NARROW_NBSP "% suivants",
                                             "20" NARROW_NBSP "% du milieu",
                                             "20" NARROW_NBSP "% suivants",
                                             "20" NARROW_NBSP "% plus petits" };
    for (int j = 0; j < 5; j++) {
        sbuf_add(b, j ? ", " : "");
        sbuf_tic(b, chart_tr(c, fifth_en[j], fifth_fr[j]), 0);
        sbuf_printf(b, " %d", j + 1);
    }
    sbuf_add(b, ")\n");
    for (int j = 0; j < 5; j++) {
        snprintf(where, sizeof where, "%.17g, %d", fmax(fifth[j], 0), j + 1);
        snprintf(opts, sizeof opts, "left offset 0.5,0 front font '" FONT "%s,%d' tc rgb '#1a1a1a'",
                 j == 0 ? ":Bold" : "", chart_font(c, PT.label));
        chart_label(c, chart_pct(c, fifth[j], 1, n1), 0, where, opts);
    }
    snprintf(text, sizeof text, chart_tr(c, "Gini index: %s", "Indice de Gini : %s"),
             chart_num(c, gini, 2, n2));
    const char *gini_lines[] = { text, chart_tr(c, "(0: all clients equal; 1: one client makes "
                                                   "all)",
                                                "(0 : clients tous \xc3\xa9gaux ; "
                                                "1 : un seul fait tout)") };
    snprintf(opts, sizeof opts, "left font '" FONT ",%d' tc rgb '%s'", chart_font(c, PT.label),
             chart_layout.ink.axis);
    snprintf(where, sizeof where, "screen %.3f, screen %.3f", x0, c->text ? 0.20 : 0.19);
    chart_lines(c, gini_lines, 2, where, opts);
    sbuf_add(b, "plot $fifths using 2:1:(0):2:($1-0.36):($1+0.36) with boxxyerror "
                "fc rgb '#1f4e79' fs solid 1.0 noborder\nunset multiplot\n");
    return 0;
}

/* ====================================================================== */
/* abc                                                                     */

/* The ABC classes from cl-pareto's summary, or from its rows (which also
 * say what was ranked: the value column). */
struct abc_class {
    char name[48];
    double clients, clients_share, value_share;
};

static int abc_from_rows(struct chart *c, struct abc_class *k, size_t *nclass, double *clients,
                         double *nonpositive, long *vcol, struct diag *diag)
{
    struct prow *p;
    size_t npos;
    if (read_pareto_rows(c, &p, &npos, vcol, diag) != 0)
        return -1;
    struct classes found = { 0 };
    for (size_t i = 0; i < npos; i++) {
        size_t j = class_index(&found, p[i].cls);
        found.clients[j]++;
        found.value_share[j] += p[i].share;
    }
    for (size_t j = 0; j < found.n; j++) {
        snprintf(k[j].name, sizeof k[j].name, "%s", found.name[j]);
        k[j].clients = (double)found.clients[j];
        k[j].clients_share = (double)found.clients[j] / (double)npos;
        k[j].value_share = found.value_share[j];
    }
    *nclass = found.n;
    *clients = (double)c->nrows;
    *nonpositive = (double)(c->nrows - npos);
    return 0;
}

static int abc_from_summary(struct chart *c, struct abc_class *k, size_t *nclass,
                            double *clients, double *nonpositive, struct diag *diag)
{
    struct chart_metrics m = { 0 };
    if (chart_metrics_read(c, &m, diag) != 0) {
        chart_metrics_free(&m);
        return -1;
    }
    /* classes from the metric names class_<X>_clients_share */
    const char *suffix = "_clients_share";
    size_t sl = strlen(suffix), n = 0;
    for (size_t i = 0; i < m.n && n < 26; i++) {
        const char *s = m.names[i];
        size_t len = strlen(s);
        if (strncmp(s, "class_", 6) == 0 && len > 6 + sl && strcmp(s + len - sl, suffix) == 0) {
            size_t name_len = len - 6 - sl;
            snprintf(k[n].name, sizeof k[n].name, "%.*s", (int)(name_len < 40 ? name_len : 40),
                     s + 6);
            char key[160];
            k[n].clients_share = m.values[i];
            snprintf(key, sizeof key, "class_%s_value_share", k[n].name);
            k[n].value_share = chart_metric(&m, key);
            snprintf(key, sizeof key, "class_%s_clients", k[n].name);
            k[n].clients = chart_metric(&m, key);
            n++;
        }
    }
    *nclass = n;
    *clients = chart_metric(&m, "clients");
    *nonpositive = chart_metric(&m, "nonpositive");
    chart_metrics_free(&m);
    if (n == 0)
        return diag_set(diag, "%s: no class_X_clients_share metric: the abc chart reads %s",
                        c->t->name, c->o->kind->reads);
    return 0;
}

static int abc_class_cmp(const void *a, const void *b)
{
    return strcmp(((const struct abc_class *)a)->name, ((const struct abc_class *)b)->name);
}

int chart_abc(struct chart *c, struct diag *diag)
{
    struct abc_class k[26];
    size_t nclass = 0;
    double clients = NAN, nonpositive = NAN;
    long vcol = -1;
    int from_rows = chart_find_column(c->t, "class") >= 0 && chart_find_column(c->t, "share") >= 0;
    if (from_rows ? abc_from_rows(c, k, &nclass, &clients, &nonpositive, &vcol, diag)
                  : abc_from_summary(c, k, &nclass, &clients, &nonpositive, diag))
        return -1;
    if (nclass == 0)
        return diag_set(diag, "%s: no client with a positive value to plot", c->t->name);
    qsort(k, nclass, sizeof k[0], abc_class_cmp);
    struct buf *b = &c->sb;
    struct chart_measure m;
    chart_measure(c, vcol >= 0 ? c->t->header[vcol] : NULL, &m);
    char title[300], text[400], n1[64], n2[64], cname[64];
    snprintf(title, sizeof title, chart_tr(c, "ABC classes: share of clients and %s",
                                           "Classes ABC : part des clients et %s"), m.of);
    double top = chart_head(c, title);
    double ymax = 0;
    for (size_t i = 0; i < nclass; i++)
        ymax = fmax(ymax, fmax(isfinite(k[i].clients_share) ? k[i].clients_share : 0,
                               isfinite(k[i].value_share) ? k[i].value_share : 0));
    sbuf_add(b, "$shares << EOD\n");
    for (size_t i = 0; i < nclass; i++) {
        sbuf_printf(b, "%zu ", i + 1);
        if (isfinite(k[i].clients_share))
            sbuf_printf(b, "%.17g ", k[i].clients_share);
        else
            sbuf_add(b, "? ");
        if (isfinite(k[i].value_share))
            sbuf_printf(b, "%.17g\n", k[i].value_share);
        else
            sbuf_add(b, "?\n");
    }
    sbuf_add(b, "EOD\n");
    sbuf_printf(b, "set xrange [0.4:%.1f]\n", nclass + 0.6);
    sbuf_printf(b, "set xtics scale 0 font '" FONT ",%d' (", chart_font(c, PT.axis));
    for (size_t i = 0; i < nclass; i++) {
        snprintf(cname, sizeof cname, chart_tr(c, "Class %s", "Classe %s"), k[i].name);
        sbuf_add(b, i ? ", " : "");
        sbuf_tic(b, cname, 30);
        if (isfinite(k[i].clients)) {
            chart_count(c, k[i].clients, "client", "clients", text);
            sbuf_add(b, " . \"\\n\" . ");
            sbuf_tic(b, text, 0);
        }
        sbuf_printf(b, " %zu", i + 1);
    }
    sbuf_add(b, ")\n");
    chart_percent_tics(c, "y", ymax * 1.15);
    if (!c->text)
        sbuf_add(b, "set grid ytics lt 1 lc rgb '#d9d9d9' lw 1 dt 1\n");
    sbuf_printf(b, "set tmargin at screen %.3f\nset bmargin %d\n", top - 0.03, c->text ? 4 : 7);
    /* value labels above the bars */
    int tag = 10;
    for (size_t i = 0; i < nclass; i++) {
        for (int s = 0; s < 2; s++) {
            double v = s ? k[i].value_share : k[i].clients_share;
            if (!isfinite(v))
                continue;
            char where[100], opts[120];
            snprintf(where, sizeof where, "%.3f, %.17g", i + 1 + (s ? 0.2 : -0.2), v);
            snprintf(opts, sizeof opts, "center offset 0,0.9 front font '" FONT ":Bold,%d' "
                     "tc rgb '#1a1a1a'", chart_font(c, PT.axis));
            sbuf_printf(b, "set label %d ", tag++);
            sbuf_str(b, chart_pct(c, v, chart_percent_decimals(v), n1), 0);
            sbuf_printf(b, " at %s %s\n", where, opts);
        }
    }
    sbuf_printf(b, "set key inside right top vertical reverse Left samplen 1.5 spacing 1.3 "
                   "font '" FONT ",%d'\n", chart_font(c, PT.key));
    /* The base of the percentages: the clients with a positive value. */
    double positive = isfinite(clients) && isfinite(nonpositive) ? clients - nonpositive : NAN;
    if (isfinite(positive) && nonpositive > 0) {
        char n3[64];
        if (c->o->lang == L10N_FR)
            snprintf(text, sizeof text, nonpositive == 1
                     ? "Parts des %s clients \xc3\xa0 %s %s ; l" APOSTROPHE "autre%.0s est exclu "
                       "(%s au total)."
                     : "Parts des %s clients \xc3\xa0 %s %s ; les %s autres sont exclus (%s au "
                       "total).",
                     chart_num(c, positive, 0, n1), m.word, m.positive,
                     chart_num(c, nonpositive, 0, n2), chart_num(c, clients, 0, n3));
        else
            snprintf(text, sizeof text, nonpositive == 1
                     ? "Shares of the %s clients with a positive %s; the other one%.0s is left out "
                       "(%s in all)."
                     : "Shares of the %s clients with a positive %s; the other %s are left out "
                       "(%s in all).", chart_num(c, positive, 0, n1), m.word,
                     chart_num(c, nonpositive, 0, n2), chart_num(c, clients, 0, n3));
        chart_note(c, 0, text);
    } else if (isfinite(clients)) {
        snprintf(text, sizeof text, chart_tr(c, "Shares of the %s clients.",
                                             "Parts des %s clients."), chart_num(c, clients, 0,
                                                 n1));
        chart_note(c, 0, text);
    }
    sbuf_add(b, "plot $shares using 1:2:($1-0.38):($1-0.02):(0):2 with boxxyerror "
                "lc rgb '#a9cbe8' title ");
    sbuf_str(b, chart_tr(c, "share of clients", "part des clients"), 0);
    snprintf(text, sizeof text, chart_tr(c, "share %s", "part %s"), m.of);
    sbuf_add(b, ", \\\n     $shares using 1:3:($1+0.02):($1+0.38):(0):3 with boxxyerror "
                "lc rgb '#1f4e79' title ");
    sbuf_str(b, text, 0);
    sbuf_add(b, "\n");
    return 0;
}

/* ====================================================================== */
/* migration                                                               */

static const char *class_label(const struct chart *c, const char *name)
{
    if (strcmp(name, "-") == 0)
        return chart_tr(c, "none (\xe2\x89\xa4 0)", "aucune (\xe2\x89\xa4 0)");
    if (strcmp(name, "new") == 0)
        return chart_tr(c, "new", "nouveaux");
    if (strcmp(name, "lost") == 0)
        return chart_tr(c, "lost", "perdus");
    return name;
}

/* Where the clients of cell (row i, column j) went: 0 kept their class,
 * 1 up (to a better class, or new: the last row), 2 down (to a worse
 * class or none, or lost: the last column). Rows and columns hold the
 * classes best first, then none; the last row is new, the last column
 * lost. */
static int migration_direction(size_t i, size_t j, size_t nr, size_t nc)
{
    if (i + 1 == nr)
        return 1;
    if (j + 1 == nc)
        return 2;
    return i == j ? 0 : j < i ? 1 : 2;
}

/* A cell's colour: the direction's colour, deeper with more clients. */
static unsigned migration_rgb(double count, double max, unsigned direction_rgb)
{
    if (!isfinite(count))
        return 0xeeeeee;
    return chart_mix_rgb(0xf4f8fb, direction_rgb, max > 0 ? 0.12 + 0.88 * log1p(count) / log1p(max)
                                                          : 0);
}

/* A row or column name as a tic label; "none (≤ 0)" on two lines above
 * the columns, where a long name would run into its neighbour. */
static void migration_tic(struct chart *c, const char *name, int column)
{
    if (column && strcmp(name, "-") == 0 && c->text) {
        sbuf_tic(&c->sb, "\xe2\x89\xa4 0", 0);
        return;
    }
    if (column && strcmp(name, "-") == 0) {
        sbuf_tic(&c->sb, chart_tr(c, "none", "aucune"), 0);
        sbuf_add(&c->sb, " . \"\\n\" . ");
        sbuf_tic(&c->sb, "(\xe2\x89\xa4 0)", 0);
        return;
    }
    sbuf_tic(&c->sb, class_label(c, name), 20);
}

int chart_migration(struct chart *c, struct diag *diag)
{
    struct chart_metrics m = { 0 };
    if (chart_metrics_read(c, &m, diag) != 0) {
        chart_metrics_free(&m);
        return -1;
    }
    /* migrate_<from>_<to>: class names have no '_' */
    char *classes[32];
    size_t nclass = 0, found = 0;
    char from[64], to[64];
    for (size_t i = 0; i < m.n; i++) {
        if (strncmp(m.names[i], "migrate_", 8) != 0)
            continue;
        const char *s = m.names[i] + 8, *us = strchr(s, '_');
        if (!us || strchr(us + 1, '_') || us == s || !us[1])
            continue;
        snprintf(from, sizeof from, "%.*s", (int)(us - s < 60 ? us - s : 60), s);
        snprintf(to, sizeof to, "%s", us + 1);
        found++;
        const char *ends[2] = { from, to };
        for (int e = 0; e < 2; e++) {
            const char *name = ends[e];
            if (!strcmp(name, "new") || !strcmp(name, "lost") || !strcmp(name, "-"))
                continue;
            size_t j = 0;
            while (j < nclass && strcmp(classes[j], name) != 0)
                j++;
            if (j == nclass && nclass < 30) {
                char *copy = strdup(name);
                if (!copy) {
                    for (size_t q = 0; q < nclass; q++)
                        free(classes[q]);
                    chart_metrics_free(&m);
                    return diag_set(diag, "out of memory");
                }
                classes[nclass++] = copy;
            }
        }
    }
    if (found == 0) {
        chart_metrics_free(&m);
        return diag_set(diag, "%s: no migrate_FROM_TO metric: the migration chart reads %s",
                        c->t->name, c->o->kind->reads);
    }
    qsort(classes, nclass, sizeof classes[0], chart_str_cmp);
    const char *rows[34], *cols[34];
    size_t nr = 0, nc = 0;
    for (size_t i = 0; i < nclass; i++)
        rows[nr++] = cols[nc++] = classes[i];
    rows[nr++] = "-";
    cols[nc++] = "-";
    rows[nr++] = "new";
    cols[nc++] = "lost";
    double counts[34][34], max = 0;
    for (size_t i = 0; i < nr; i++)
        for (size_t j = 0; j < nc; j++) {
            char name[160];
            snprintf(name, sizeof name, "migrate_%s_%s", rows[i], cols[j]);
            counts[i][j] = chart_metric(&m, name);
            if (isfinite(counts[i][j]))
                max = fmax(max, counts[i][j]);
        }
    struct buf *b = &c->sb;
    char n1[64];
    double top = chart_head(c, chart_tr(c, "Class migrations since the previous period",
                                        "Migrations de classe depuis la p\xc3\xa9riode "
                                        "pr\xc3\xa9""c\xc3\xa9""dente"));
    /* The colour says where the clients went, its depth how many: kept
     * their class (blue, the diagonal), up to a better class or new
     * (green), down to a worse one or lost (red). Rows and columns are in
     * the order of the classes, best first, then none, then new or lost. */
    static const unsigned direction_rgb[3] = { 0x1f4e79, 0x1a7f4b, 0xb2182b };
    sbuf_add(b, "$cells << EOD\n");
    for (size_t i = 0; i < nr; i++)
        for (size_t j = 0; j < nc; j++)
            sbuf_printf(b, "%zu %zu %u\n", j + 1, i + 1,
                        migration_rgb(counts[i][j], max, direction_rgb[migration_direction(i, j,
                                      nr, nc)]));
    sbuf_add(b, "EOD\n");
    int tag = 10;
    for (size_t i = 0; i < nr; i++)
        for (size_t j = 0; j < nc; j++) {
            double v = counts[i][j];
            if (!isfinite(v))
                continue;
            unsigned rgb = migration_rgb(v, max, direction_rgb[migration_direction(i, j, nr, nc)]);
            sbuf_printf(b, "set label %d ", tag++);
            sbuf_str(b, chart_num(c, v, 0, n1), 0);
            sbuf_printf(b, " at %zu, %zu center front font '" FONT "%s,%d' tc rgb '%s'\n",
                        j + 1, i + 1, i == j ? ":Bold" : "", chart_font(c, 16), chart_ink_on(rgb));
        }
    /* the diagonal framed: it reads in every format, bold or not */
    for (size_t i = 0; i < nr && i < nc && i < nclass + 1; i++)
        sbuf_printf(b, "set object %zu rect from %.2f, %.2f to %.2f, %.2f fs empty border "
                       "lc rgb '#1a1a1a' lw %d front\n", 40 + i, i + 0.5, i + 0.5, i + 1.5,
                    i + 1.5, c->text ? 1 : 3);
    sbuf_printf(b, "set xrange [0.5:%.1f]\nset yrange [%.1f:0.5]\n", nc + 0.5, nr + 0.5);
    sbuf_printf(b, "set x2range [0.5:%.1f]\nunset xtics\nset x2tics scale 0 font '" FONT ",%d' (",
                nc + 0.5, chart_font(c, PT.axis));
    for (size_t j = 0; j < nc; j++) {
        sbuf_add(b, j ? ", " : "");
        migration_tic(c, cols[j], 1);
        sbuf_printf(b, " %zu", j + 1);
    }
    sbuf_printf(b, ")\nset ytics scale 0 font '" FONT ",%d' (", chart_font(c, PT.axis));
    for (size_t i = 0; i < nr; i++) {
        sbuf_add(b, i ? ", " : "");
        migration_tic(c, rows[i], 0);
        sbuf_printf(b, " %zu", i + 1);
    }
    sbuf_add(b, ")\nset border 0\n");
    chart_axis_label(c, "x2", chart_tr(c, "Class now", "Classe actuelle"));
    if (!c->text)   /* above the two-line "none (≤ 0)" */
        sbuf_add(b, "set x2label offset 0,0.9\n");
    chart_axis_label(c, "y", chart_tr(c, "Class in the previous period",
                                      "Classe \xc3\xa0 la p\xc3\xa9riode "
                                      "pr\xc3\xa9""c\xc3\xa9""dente"));
    sbuf_printf(b, "set size ratio %.4f\nset tmargin at screen %.3f\nset bmargin at screen %.3f\n",
                (double)nr / (double)nc, top - 0.12, c->text ? 0.16 : 0.15);
    const char *key[3] = {
        chart_tr(c, "kept their class (framed)", "ont gard\xc3\xa9 leur classe (encadr\xc3\xa9)"),
        chart_tr(c, "moved up, or new", "mont\xc3\xa9s, ou nouveaux"),
        chart_tr(c, "moved down, or lost", "descendus, ou perdus"),
    };
    unsigned key_rgb[3] = { chart_mix_rgb(0xf4f8fb, direction_rgb[0], 0.75),
                            chart_mix_rgb(0xf4f8fb, direction_rgb[1], 0.75),
                            chart_mix_rgb(0xf4f8fb, direction_rgb[2], 0.75) };
    int key_line[3] = { 0, 0, 0 };
    if (!c->text)
        chart_legend(c, 0.09, 3, key, key_rgb, key_line);
    chart_note(c, 0, chart_tr(c, "Each cell counts the clients that moved from the row" APOSTROPHE
                                 "s class to the column" APOSTROPHE "s class; the deeper the "
                                 "colour, the more clients.",
                              "Chaque case compte les clients pass\xc3\xa9s de la classe de la "
                              "ligne \xc3\xa0 celle de la colonne ; plus la couleur est "
                              "fonc\xc3\xa9""e, plus ils sont nombreux."));
    sbuf_add(b, "plot $cells using 1:2:($1-0.48):($1+0.48):($2-0.48):($2+0.48):3 with boxxyerror "
                "lc rgb variable\n");
    for (size_t i = 0; i < nclass; i++)
        free(classes[i]);
    chart_metrics_free(&m);
    return 0;
}

/* ====================================================================== */
/* rfm                                                                     */

static const struct { const char *key, *en, *fr; } rfm_segments[] = {
    { "champions", "Champions", "Champions" },
    { "loyal", "Loyal", "Fid\xc3\xa8les" },
    { "loyalcustomers", "Loyal", "Fid\xc3\xa8les" },
    { "potentialloyalists", "Potential loyalists", "Fid\xc3\xa8les potentiels" },
    { "potentialloyalist", "Potential loyalists", "Fid\xc3\xa8les potentiels" },
    { "new", "New", "Nouveaux" },
    { "newcustomers", "New", "Nouveaux" },
    { "recent", "New", "Nouveaux" },
    { "promising", "Promising", "Prometteurs" },
    { "needattention", "Need attention", "\xc3\x80 surveiller" },
    { "needsattention", "Need attention", "\xc3\x80 surveiller" },
    { "abouttosleep", "About to sleep", "Bient\xc3\xb4t endormis" },
    { "atrisk", "At risk", "\xc3\x80 risque" },
    { "cannotlosethem", "Cannot lose them", "\xc3\x80 ne pas perdre" },
    { "cantlosethem", "Cannot lose them", "\xc3\x80 ne pas perdre" },
    { "hibernating", "Hibernating", "En hibernation" },
    { "lost", "Lost", "Perdus" },
};
#define RFM_SEGMENTS (sizeof rfm_segments / sizeof rfm_segments[0])

static int segment_cmp(const void *a, const void *b)
{
    const struct segment *x = a, *y = b;
    if (x->order != y->order)
        return x->order < y->order ? -1 : 1;
    if (x->clients != y->clients)
        return x->clients > y->clients ? -1 : 1;
    return strcmp(x->name, y->name);
}

static const char *segment_label(const struct chart *c, const char *name, size_t *order)
{
    char folded[128];
    columns_fold(name, folded, sizeof folded);
    for (size_t i = 0; i < RFM_SEGMENTS; i++)
        if (strcmp(folded, rfm_segments[i].key) == 0) {
            *order = i;
            return chart_tr(c, rfm_segments[i].en, rfm_segments[i].fr);
        }
    *order = RFM_SEGMENTS;
    return name;
}

long chart_rfm_value_column(const struct table *t, const struct plot_options *o)
{
    if (o->value_column)
        return chart_find_column(t, o->value_column);
    static const char *const names[] = { "revenue", "monetary", "chiffre_affaires", "ca",
        "montant", "amount" };
    long vcol = -1;
    for (size_t i = 0; i < sizeof names / sizeof names[0] && vcol < 0; i++)
        vcol = chart_find_column(t, names[i]);
    return vcol;
}

int chart_rfm(struct chart *c, struct diag *diag)
{
    long scol = chart_need_column(c, "segment", diag);
    if (scol < 0)
        return -1;
    long vcol = chart_rfm_value_column(c->t, c->o);
    if (vcol < 0 && c->o->value_column)
        return diag_set(diag, "%s: no column \"%s\" (--value)", c->t->name, c->o->value_column);
    size_t nseg = 0;
    double total = 0;
    struct segment *seg = calloc((c->segs ? c->nsegs : c->nrows) + 1, sizeof *seg);
    if (!seg)
        return diag_set(diag, "out of memory");
    if (c->segs) {      /* counted by a streamed read, as below */
        nseg = c->nsegs;
        total = c->segs_total;
        memcpy(seg, c->segs, nseg * sizeof *seg);
        for (size_t i = 0; i < nseg; i++)
            segment_label(c, seg[i].name, &seg[i].order);
    }
    for (size_t r = 0; r < c->nrows && !c->segs; r++) {
        const char *name = chart_cell(c, r, scol);
        size_t i = 0;
        while (i < nseg && strcmp(seg[i].name, name) != 0)
            i++;
        if (i == nseg) {
            seg[nseg].name = name;
            segment_label(c, name, &seg[nseg].order);
            nseg++;
        }
        seg[i].clients++;
        if (vcol >= 0) {
            double v;
            if (chart_number(c, r, vcol, CHART_GAP, &v, diag) != 0) {
                free(seg);
                return -1;
            }
            if (isfinite(v)) {
                seg[i].value += v;
                total += v;
            }
        }
    }
    if (nseg == 0) {
        free(seg);
        return diag_set(diag, "%s: no rows to plot", c->t->name);
    }
    qsort(seg, nseg, sizeof *seg, segment_cmp);
    int with_value = vcol >= 0 && total > 0;
    struct buf *b = &c->sb;
    struct chart_measure m;
    chart_measure(c, vcol >= 0 ? c->t->header[vcol] : "revenue", &m);
    char title[200], text[300], n1[64], n2[64];
    if (with_value)
        snprintf(title, sizeof title, chart_tr(c, "RFM segments: clients and %s",
                                                "Segments RFM : clients et %s"),
                 m.word);
    else
        snprintf(title, sizeof title, "%s", chart_tr(c, "RFM segments: clients", "Segments RFM : "
                                                                                 "clients"));
    double top = chart_head(c, title);
    double max = 0;
    sbuf_add(b, "$segments << EOD\n");
    for (size_t i = 0; i < nseg; i++) {
        double cs = (double)seg[i].clients / (double)c->nrows;
        double vs = with_value ? seg[i].value / total : NAN;
        max = fmax(max, fmax(cs, with_value ? vs : 0));
        sbuf_printf(b, "%zu %.17g ", i + 1, cs);
        if (with_value) sbuf_printf(b, "%.17g\n", vs); else sbuf_add(b, "?\n");
    }
    sbuf_add(b, "EOD\n");
    double h = with_value ? 0.19 : 0.3;
    int tag = 10;
    for (size_t i = 0; i < nseg; i++) {
        double cs = (double)seg[i].clients / (double)c->nrows;
        char where[100], opts[120];
        snprintf(opts, sizeof opts, "left offset 0.6,0 front font '" FONT ",%d' tc rgb '#1a1a1a'",
                 chart_font(c, nseg > 9 ? 12 : 13));
        snprintf(where, sizeof where, "%.17g, %.3f", cs, i + 1 - (with_value ? h : 0));
        sbuf_printf(b, "set label %d ", tag++);
        sbuf_str(b, chart_pct(c, cs, chart_percent_decimals(cs), n1), 0);
        sbuf_printf(b, " at %s %s\n", where, opts);
        if (with_value) {
            double vs = seg[i].value / total;
            snprintf(where, sizeof where, "%.17g, %.3f", fmax(vs, 0), i + 1 + h);
            sbuf_printf(b, "set label %d ", tag++);
            sbuf_str(b, chart_pct(c, vs, chart_percent_decimals(vs), n1), 0);
            sbuf_printf(b, " at %s %s\n", where, opts);
        }
    }
    sbuf_printf(b, "set yrange [%.1f:0.4]\nset ytics scale 0 font '" FONT ",%d' (", nseg + 0.6,
                chart_font(c, nseg > 12 ? 11 : 13));
    for (size_t i = 0; i < nseg; i++) {
        size_t order;
        const char *label = segment_label(c, seg[i].name, &order);
        char shown[200];
        snprintf(shown, sizeof shown, "%.60s (%s)", label, chart_num(c, (double)seg[i].clients, 0,
                 n2));
        sbuf_add(b, i ? ", " : "");
        sbuf_tic(b, shown, 40);
        sbuf_printf(b, " %zu", i + 1);
    }
    sbuf_add(b, ")\n");
    chart_percent_tics(c, "x", max * 1.15);
    if (!c->text)
        sbuf_add(b, "set grid xtics lt 1 lc rgb '#d9d9d9' lw 1 dt 1\n");
    if (with_value)
        snprintf(text, sizeof text, chart_tr(c, "Share of clients and %s", "Part des clients et "
                                                                           "%s"), m.of);
    else
        snprintf(text, sizeof text, "%s", chart_tr(c, "Share of clients", "Part des clients"));
    chart_axis_label(c, "x", text);
    sbuf_printf(b, "set tmargin at screen %.3f\nset bmargin %d\nset rmargin %d\n",
                top - (with_value ? (c->text ? 0.10 : 0.06) : 0.02),
              c->text ? 4 : 5, c->text ? 4 : 6);
    snprintf(text, sizeof text,
             chart_tr(c, "%s clients in all; in brackets, each segment’s clients.",
                      "%s clients au total ; entre parenthèses, ceux de chaque segment."),
             chart_num(c, (double)c->nrows, 0, n1));
    chart_note(c, 0, text);
    if (with_value)
        sbuf_printf(b, "set key at screen 0.5, screen %.3f center center horizontal reverse Left "
                       "samplen 1.5 width 2 font '" FONT ",%d'\n",
                  top - 0.03, chart_font(c, PT.label));
    sbuf_printf(b, "plot $segments using 2:1:(0):2:($1-%.2f):($1%+.2f) with boxxyerror lc rgb "
                   "'%s' title ",
              with_value ? 2 * h : h, with_value ? 0.0 : h, with_value ? "#a9cbe8" : "#4a90c8");
    sbuf_str(b, chart_tr(c, "share of clients", "part des clients"), 0);
    if (with_value) {
        snprintf(text, sizeof text, chart_tr(c, "share %s", "part %s"), m.of);
        sbuf_printf(b, ", \\\n     $segments using 3:1:(0):3:($1):($1+%.2f) with boxxyerror lc "
                       "rgb '#1f4e79' title ", 2 * h);
        sbuf_str(b, text, 0);
    }
    sbuf_add(b, "\n");
    free(seg);
    return 0;
}

/* ====================================================================== */
/* share                                                                   */

/* A share as a percentage with the digits it needs: one decimal, or two
 * significant digits below 1% (0.045% is not "0.0%"). */
static char *share_pct(const struct chart *c, double v, char *out)
{
    double p = fabs(v) * 100;
    int decimals = 1;
    if (p > 0 && p < 1) {
        decimals = (int)ceil(-log10(p) - 1e-9) + 1;
        if (decimals > 4)
            decimals = 4;
    }
    return chart_pct(c, v, decimals, out);
}

/* Market share in two panels, one row per segment: left, the potential
 * clientele (our clients, the competitors', the relative non-consumers)
 * in people; right, our share of the effective and of the potential
 * demand, in percent, where our clients show however few they are. */
int chart_share(struct chart *c, struct diag *diag)
{
    long scol = chart_find_column(c->t, "segment");
    if (scol < 0)
        scol = 0;
    long clients = chart_need_column(c, "clients", diag), eff, ncr, se, sp;
    if (clients < 0 || (eff = chart_need_column(c, "effective", diag)) < 0
        || (ncr = chart_need_column(c, "ncr", diag)) < 0
        || (se = chart_need_column(c, "share_effective", diag)) < 0
        || (sp = chart_need_column(c, "share_potential", diag)) < 0)
        return -1;
    if (chart_single_value(c, "period", diag) != 0)
        return -1;
    struct buf *b = &c->sb;
    char text[400], n1[64], n2[64], where[120], opts[200];
    double top = chart_head(c, chart_tr(c, "Market share by segment",
                                        "Part de march\xc3\xa9 par segment"));
    size_t n = 0;
    double max_people = 0, max_share = 0, total_se = NAN, total_sp = NAN;
    size_t *seg = malloc((c->nrows + 1) * sizeof *seg);
    double (*v)[5] = malloc((c->nrows + 1) * sizeof *v);
    if (!seg || !v) {
        free(seg);
        free(v);
        return diag_set(diag, "out of memory");
    }
    for (size_t r = 0; r < c->nrows; r++) {
        double x[5];
        long cols[5] = { clients, eff, ncr, se, sp };
        for (int i = 0; i < 5; i++)
            if (chart_number(c, r, cols[i], i >= 3, &x[i], diag) != 0) {
                free(seg);
                free(v);
                return -1;
            }
        if (strcmp(chart_cell(c, r, scol), "TOTAL") == 0) {
            total_se = x[3];
            total_sp = x[4];
            continue;
        }
        memcpy(v[n], x, sizeof x);
        seg[n++] = r;
        max_people = fmax(max_people, x[1] + x[2]);
        max_share = fmax(max_share, fmax(isfinite(x[3]) ? x[3] : 0, isfinite(x[4]) ? x[4] : 0));
    }
    if (n == 0) {
        free(seg);
        free(v);
        return diag_set(diag, "%s: no segment to plot", c->t->name);
    }
    /* row, clients, competitors' clients, NCR, share effective, share potential */
    sbuf_add(b, "$segments << EOD\n");
    for (size_t i = 0; i < n; i++) {
        sbuf_printf(b, "%zu %.17g %.17g %.17g ", i + 1, v[i][0], v[i][1] - v[i][0], v[i][2]);
        if (isfinite(v[i][3])) sbuf_printf(b, "%.17g ", v[i][3]); else sbuf_add(b, "? ");
        if (isfinite(v[i][4])) sbuf_printf(b, "%.17g\n", v[i][4]); else sbuf_add(b, "?\n");
    }
    sbuf_add(b, "EOD\n");
    int names_size = chart_font(c, n > 12 ? 11 : 13);
    size_t widest = 0;
    for (size_t i = 0; i < n; i++) {
        size_t w = chart_text_width(chart_cell(c, seg[i], scol));
        widest = w > widest ? w : widest;
    }
    if (widest > 24)
        widest = 25;
    double names_w = c->text ? (double)(widest + 2) / c->o->width
                   : (0.68 * names_size * (double)(widest + 1) + 12) / c->o->width;
    double panel_top = top - (c->text ? 0.20 : 0.17), panel_bottom = c->text ? 0.18 : 0.17;
    double left0 = 0.02 + names_w, left1 = c->text ? 0.55 : 0.56;
    double right0 = c->text ? 0.60 : 0.62, right1 = c->text ? 0.97 : 0.96;
    int key_size = chart_font(c, PT.small);

    /* ---- left: the people ---- */
    sbuf_add(b, "set multiplot\n");
    chart_plot_area(c, panel_top, panel_bottom, left0, left1);
    sbuf_printf(b, "set yrange [%.1f:0.4]\nset ytics scale 0 font '" FONT ",%d' (", n + 0.6,
                names_size);
    for (size_t i = 0; i < n; i++) {
        sbuf_add(b, i ? ", " : "");
        sbuf_tic(b, chart_cell(c, seg[i], scol), 24);
        sbuf_printf(b, " %zu", i + 1);
    }
    sbuf_add(b, ")\n");
    chart_value_tics(c, "x", max_people * 1.3);
    if (!c->text)
        sbuf_add(b, "set grid xtics lt 1 lc rgb '#d9d9d9' lw 1 dt 1\n");
    chart_axis_label(c, "x", chart_tr(c, "People (potential clientele)",
                                      "Personnes (client\xc3\xa8le potentielle)"));
    chart_panel_title(c, chart_tr(c, "Who the potential clients are",
                                  "Qui sont les clients potentiels"), left0, top - 0.04);
    sbuf_printf(b, "set key at screen %.3f, screen %.3f left top vertical Left reverse samplen 1.2 "
                   "spacing 1.1 font '" FONT ",%d'\n", left0, top - 0.06, key_size);
    chart_note(c, 0, chart_tr(c, "eff. = our clients / actual consumers; pot. = our clients / "
                                 "(actual consumers + relative non-consumers).",
                              "eff. = nos clients / consommateurs effectifs ; "
                              "pot. = nos clients / "
                              "(consommateurs effectifs + non-consommateurs relatifs)."));
    if (isfinite(total_se) || isfinite(total_sp)) {
        snprintf(text, sizeof text,
                 chart_tr(c, "All segments: %s of effective demand, %s of potential demand.",
                          "Tous segments : %s de la demande effective, %s de la demande "
                          "potentielle."),
                 share_pct(c, total_se, n1), share_pct(c, total_sp, n2));
        chart_note(c, 1, text);
    }
    /* our clients named at the end of each bar: a few are still there */
    for (size_t i = 0; i < n; i++) {
        snprintf(text, sizeof text, chart_tr(c, "our clients: %s", "nos clients : %s"),
                 chart_num(c, v[i][0], 0, n1));
        snprintf(where, sizeof where, "%.17g, %zu", v[i][1] + v[i][2], i + 1);
        snprintf(opts, sizeof opts, "left offset 0.5,0 front font '" FONT ",%d' tc rgb '#1f4e79'",
                 chart_font(c, PT.small));
        chart_label(c, text, 0, where, opts);
    }
    sbuf_add(b, "plot $segments using 2:1:(0):2:($1-0.36):($1+0.36) with boxxyerror "
                "fc rgb '#1f4e79' fs solid 1.0 noborder title ");
    sbuf_str(b, chart_tr(c, "our clients", "nos clients"), 0);
    sbuf_add(b, ", \\\n     $segments using ($2+$3):1:2:($2+$3):($1-0.36):($1+0.36) with "
                "boxxyerror "
                "fc rgb '#f28e2b' fs solid 1.0 noborder title ");
    sbuf_str(b, chart_tr(c, "competitors" APOSTROPHE " clients", "clients des concurrents"), 0);
    sbuf_add(b, ", \\\n     $segments using ($2+$3+$4):1:($2+$3):($2+$3+$4):($1-0.36):($1+0.36) "
                "with boxxyerror fs pattern 4 lc rgb '#8a8a8a' title ");
    sbuf_str(b, chart_tr(c, "relative non-consumers (not consuming yet)",
                         "non-consommateurs relatifs (pas encore consommateurs)"), 0);
    sbuf_add(b, "\n");

    /* ---- right: our shares ---- */
    sbuf_add(b, "unset label\nunset arrow\nunset object\nunset grid\nunset xlabel\n");
    sbuf_printf(b, "set lmargin at screen %.3f\nset rmargin at screen %.3f\nset ytics format ''\n"
                   "set ytics scale 0 ()\n", right0, right1);
    for (size_t i = 0; i < n; i++)
        sbuf_printf(b, "set ytics add ('' %zu)\n", i + 1);
    chart_percent_tics(c, "x", max_share * 1.3);
    if (!c->text)
        sbuf_add(b, "set grid xtics lt 1 lc rgb '#d9d9d9' lw 1 dt 1\n");
    chart_axis_label(c, "x", chart_tr(c, "Our share of the demand", "Notre part de la demande"));
    chart_panel_title(c, chart_tr(c, "Our share", "Notre part"), right0, top - 0.04);
    int tag = 10;
    for (size_t i = 0; i < n; i++)
        for (int s = 0; s < 2; s++) {
            double x = v[i][3 + s];
            if (!isfinite(x))
                continue;
            snprintf(where, sizeof where, "%.17g, %.3f", x, i + 1 + (s ? 0.18 : -0.18));
            snprintf(opts, sizeof opts, "left offset 0.4,0 front font '" FONT "%s,%d' tc rgb '%s'",
                     s ? "" : ":Bold", chart_font(c, PT.small), s ? "#333333" : "#1f4e79");
            sbuf_printf(b, "set label %d ", tag++);
            sbuf_str(b, share_pct(c, x, n1), 0);
            sbuf_printf(b, " at %s %s\n", where, opts);
        }
    sbuf_printf(b, "set key at screen %.3f, screen %.3f left top vertical Left reverse samplen 1.2 "
                   "spacing 1.1 font '" FONT ",%d'\n", right0, top - 0.06, key_size);
    sbuf_add(b, "plot $segments using 5:1:(0):5:($1-0.34):($1-0.02) with boxxyerror "
                "fc rgb '#1f4e79' fs solid 1.0 noborder title ");
    sbuf_str(b, chart_tr(c, "eff.: share of the effective demand", "eff. : part de la demande "
                                                                   "effective"), 0);
    sbuf_add(b, ", \\\n     $segments using 6:1:(0):6:($1+0.02):($1+0.34) with boxxyerror "
                "fc rgb '#a9cbe8' fs solid 1.0 noborder title ");
    sbuf_str(b, chart_tr(c, "pot.: share of the potential demand",
                         "pot. : part de la demande potentielle"), 0);
    sbuf_add(b, "\nunset multiplot\n");
    free(seg);
    free(v);
    return 0;
}

/* ====================================================================== */
/* clusters                                                                */

struct cluster {
    double id;
    const char *label;
    size_t size;
    double centre[2];   /* the cluster's median client on the two axes */
};

static int cluster_cmp(const void *a, const void *b)
{
    const struct cluster *x = a, *y = b;
    return (x->id > y->id) - (x->id < y->id);
}

static int double_cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

struct ranked { double value; size_t row; };

static int ranked_cmp(const void *a, const void *b)
{
    const struct ranked *x = a, *y = b;
    return (x->value > y->value) - (x->value < y->value);
}

/* Ranks of values (ties share their mean rank) into rank[]. */
static int rank_values(const double *values, size_t n, double *rank)
{
    struct ranked *r = malloc((n ? n : 1) * sizeof *r);
    if (!r)
        return -1;
    for (size_t i = 0; i < n; i++)
        r[i] = (struct ranked){ values[i], i };
    qsort(r, n, sizeof *r, ranked_cmp);
    for (size_t i = 0; i < n;) {
        size_t j = i;
        while (j + 1 < n && r[j + 1].value == r[i].value)
            j++;
        for (size_t q = i; q <= j; q++)
            rank[r[q].row] = (double)(i + j) / 2 + 1;
        i = j + 1;
    }
    free(r);
    return 0;
}

/* How much of a feature's spread lies between the clusters: the share of
 * the ranks' sum of squares that the cluster means explain (eta squared on
 * ranks, the idea of Kruskal-Wallis: no unit, no outlier weighs more). */
static double separation(const double *rank, const size_t *which, size_t n, size_t nk)
{
    double *sum = calloc(nk, sizeof *sum), *count = calloc(nk, sizeof *count);
    if (!sum || !count) {
        free(sum);
        free(count);
        return -1;
    }
    double mean = 0, total = 0, between = 0;
    for (size_t i = 0; i < n; i++) {
        sum[which[i]] += rank[i];
        count[which[i]]++;
        mean += rank[i];
    }
    mean /= (double)n;
    for (size_t i = 0; i < n; i++)
        total += (rank[i] - mean) * (rank[i] - mean);
    for (size_t k = 0; k < nk; k++)
        if (count[k] > 0)
            between += count[k] * (sum[k] / count[k] - mean) * (sum[k] / count[k] - mean);
    free(sum);
    free(count);
    return total > 0 ? between / total : 0;
}

static double rank_correlation(const double *a, const double *b, size_t n)
{
    double ma = 0, mb = 0, sab = 0, saa = 0, sbb = 0;
    for (size_t i = 0; i < n; i++) {
        ma += a[i];
        mb += b[i];
    }
    ma /= (double)n;
    mb /= (double)n;
    for (size_t i = 0; i < n; i++) {
        sab += (a[i] - ma) * (b[i] - mb);
        saa += (a[i] - ma) * (a[i] - ma);
        sbb += (b[i] - mb) * (b[i] - mb);
    }
    return saa > 0 && sbb > 0 ? sab / sqrt(saa * sbb) : 0;
}

/* Tics over [lo, hi] on an axis in the chart's number format (the minus
 * sign, the decimal comma); on a log axis 1, 2, 5 times powers of ten. */
static void range_tics(struct chart *c, const char *axis, double lo, double hi, int log_scale)
{
    struct buf *b = &c->sb;
    if (!isfinite(lo) || !isfinite(hi) || !isfinite(hi - lo)) {
        sbuf_printf(b, "set autoscale %s\n", axis);     /* gnuplot's own tics */
        return;
    }
    if (!(hi - lo > fabs(hi) * 1e-12)) {    /* one value: a unit around it */
        lo -= 1;
        hi += 1;
    }
    sbuf_printf(b, "set %srange [%.17g:%.17g]\n", axis, lo, hi);
    if (log_scale)
        sbuf_printf(b, "set logscale %s\n", axis);
    sbuf_printf(b, "set %stics (", axis);
    char text[80];
    int first = 1;
    if (log_scale) {
        for (double p = pow(10, floor(log10(lo))); p <= hi * 1.0001; p *= 10)
            for (int m = 0; m < 3; m++) {
                double t = p * (m == 0 ? 1 : m == 1 ? 2 : 5);
                if (t < lo * 0.9999 || t > hi * 1.0001)
                    continue;
                chart_num(c, t, t >= 1 ? 0 : chart_step_decimals(t), text);
                sbuf_add(b, first ? "" : ", ");
                sbuf_tic(b, text, 0);
                sbuf_printf(b, " %.17g", t);
                first = 0;
            }
    } else {
        double step = chart_nice_step(hi - lo, 6);
        int decimals = chart_step_decimals(step);
        for (double t = ceil(lo / step - 1e-9) * step; t <= hi + step * 1e-9; t += step) {
            chart_num(c, fabs(t) < step * 1e-9 ? 0 : t, decimals, text);
            sbuf_add(b, first ? "" : ", ");
            sbuf_tic(b, text, 0);
            sbuf_printf(b, " %.17g", t);
            first = 0;
        }
    }
    sbuf_add(b, ")\n");
}

static const char *feature_label(const struct chart *c, const char *name, char *out, size_t size);

/* A scatter plot of more than CLUSTER_SAMPLE clients draws a sample of
 * them: a client is drawn when a hash of its key (FNV-1a then the
 * splitmix64 finaliser, fixed: the same clients every run, whatever the
 * order of the file) falls under its persona's rate, CLUSTER_SAMPLE / n,
 * raised for a small persona to keep CLUSTER_SAMPLE_MIN of its clients
 * (or all of them). docs/plot.md states the rule. */
#define CLUSTER_SAMPLE_MIN  200

unsigned long long chart_sample_hash(const char *key)
{
    unsigned long long h = 0xcbf29ce484222325ULL;
    for (const unsigned char *p = (const unsigned char *)key; *p; p++)
        h = (h ^ *p) * 0x100000001b3ULL;
    h ^= h >> 30;
    h *= 0xbf58476d1ce4e5b9ULL;
    h ^= h >> 27;
    h *= 0x94d049bb133111ebULL;
    return h ^ (h >> 31);
}

/* The median of values[0..n) (n > 0), reordered: the middle one, or the
 * mean of the two middle ones, found by selection in linear time. */
static double median_of(double *values, size_t n)
{
    size_t want = n / 2;
    size_t lo = 0, hi = n - 1;
    while (lo < hi) {       /* Hoare's selection: values[want] in its sorted place */
        double pivot = values[lo + (hi - lo) / 2];
        size_t i = lo, j = hi;
        while (i <= j) {
            while (values[i] < pivot)
                i++;
            while (values[j] > pivot)
                j--;
            if (i <= j) {
                double t = values[i];
                values[i] = values[j];
                values[j] = t;
                i++;
                if (j == 0)
                    break;
                j--;
            }
        }
        if (want <= j)
            hi = j;
        else if (want >= i)
            lo = i;
        else
            break;
    }
    double upper = values[want];
    if (n % 2)
        return upper;
    double lower = values[0];       /* the largest of the lower half */
    for (size_t i = 1; i < want; i++)
        lower = fmax(lower, values[i]);
    return (lower + upper) / 2;
}

/* The clients in the two features that set the personas apart most (in
 * their own units: a manager reads "age" and "spending score", not
 * "principal component 1"); the principal components only when the file
 * has no feature column. Past CLUSTER_SAMPLE clients, the axes are chosen
 * on the sample drawn, and the sizes and medians are the whole file's. */
int chart_clusters(struct chart *c, struct diag *diag)
{
    long kcol = chart_need_column(c, "cluster", diag);
    if (kcol < 0)
        return -1;
    long lcol = chart_find_column(c->t, "label");
    long pc1 = chart_find_column(c->t, "pc1"), pc2 = chart_find_column(c->t, "pc2");
    size_t total = c->nrows;
    struct cluster *k = calloc(total + 1, sizeof *k);
    size_t *which_all = malloc((total + 1) * sizeof *which_all);
    size_t *drawn = malloc((total + 1) * sizeof *drawn);     /* the rows drawn */
    size_t *which = malloc((total + 1) * sizeof *which);     /* their clusters */
    double *ids = malloc((total + 1) * sizeof *ids);
    double *full[2] = { NULL, NULL };   /* sampled: the axes over every row, for the medians */
    /* candidate features: the numeric columns before "cluster", the key
     * (the first column) apart */
    size_t ncand = 0;
    long cand[64];
    double *values[64] = { 0 }, *ranks[64] = { 0 };
    int rc = -1;
    if (!k || !which_all || !drawn || !which || !ids) {
        diag_set(diag, "out of memory");
        goto done;
    }
    size_t nk = 0;
    struct cluster_rows *cr = c->clusters;     /* a streamed read's, else the table's rows */
    const struct table *dt = NULL;              /* cr: the rows drawn, in a table of their own */
    if (cr) {
        size_t map[100];
        nk = cr->nk;
        for (size_t i = 0; i < nk; i++)
            k[i] = (struct cluster){ cr->id[i], cr->label[i], cr->size[i], { 0, 0 } };
        qsort(k, nk, sizeof *k, cluster_cmp);
        for (size_t i = 0; i < nk; i++)
            for (size_t j = 0; j < nk; j++)
                if (k[j].id == cr->id[i])
                    map[i] = j;
        for (size_t r = 0; r < total; r++)
            which_all[r] = map[cr->first[r]];
    }
    for (size_t r = 0; r < total && !cr; r++) {
        if (chart_number(c, r, kcol, 0, &ids[r], diag) != 0)
            goto done;
        size_t i = 0;
        while (i < nk && k[i].id != ids[r])
            i++;
        if (i == nk) {
            if (nk == 100) {
                diag_set(diag, "%s: more than 100 clusters: too many to draw", c->t->name);
                goto done;
            }
            k[nk].id = ids[r];
            k[nk].label = lcol >= 0 ? chart_cell(c, r, lcol) : "";
            nk++;
        }
        k[i].size++;
    }
    if (nk == 0) {
        diag_set(diag, "%s: no rows to plot", c->t->name);
        goto done;
    }
    if (!cr)
        qsort(k, nk, sizeof *k, cluster_cmp);
    for (size_t r = 0; r < total && !cr; r++) {
        size_t i = 0;
        while (k[i].id != ids[r])
            i++;
        which_all[r] = i;
    }
    /* the rows drawn: all of them, or the sample */
    size_t n = 0;
    int sampled = total > CLUSTER_SAMPLE;
    double rate[100];
    for (size_t i = 0; i < nk; i++) {
        double want = fmax((double)CLUSTER_SAMPLE * (double)k[i].size / (double)total,
                           fmin((double)k[i].size, CLUSTER_SAMPLE_MIN));
        rate[i] = fmin(1, want / (double)k[i].size);
    }
    if (cr) {           /* the same rule, on the file's rows (plot_stream.c) */
        const size_t *rows;
        if (!sampled || cr->draw(cr, rate, which_all, &dt, &rows) != 0) {
            diag_set(diag, "%s: not read here", c->t->name);
            goto done;
        }
        for (n = 0; n < dt->rows; n++) {
            drawn[n] = rows[n];
            which[n] = which_all[rows[n]];
        }
    }
    for (size_t r = 0; r < total && !cr; r++) {
        double rate_r = rate[which_all[r]];
        if (sampled && rate_r < 1
            && (double)chart_sample_hash(chart_cell(c, r, 0)) >= rate_r * 18446744073709551616.0)
            continue;
        drawn[n] = r;
        which[n++] = which_all[r];
    }
    for (long col = 1; col < kcol && ncand < 64; col++) {
        double *v = malloc((n + 1) * sizeof *v);
        if (!v) {
            diag_set(diag, "out of memory");
            goto done;
        }
        char col_mark;
        int numeric = chart_column_mark(c, col, &col_mark, NULL) == 0;
        double lo = INFINITY, hi = -INFINITY;
        for (size_t r = 0; r < n && numeric; r++) {
            const char *s = dt ? table_cell(dt, r, (size_t)col) : chart_cell(c, drawn[r], col);
            char mark = col_mark;
            if ((!chart_plain_number(s, mark, &v[r])
                 && parse_double(s, strlen(s), &mark, &v[r]) != PARSE_OK) || !isfinite(v[r]))
                numeric = 0;
            else {
                lo = fmin(lo, v[r]);
                hi = fmax(hi, v[r]);
            }
        }
        if (!numeric || !(hi > lo)) {
            free(v);
            continue;
        }
        values[ncand] = v;
        cand[ncand++] = col;
    }
    /* the axes: the feature that separates most, then the best one that
     * does not merely repeat it (rank correlation under 0.8) */
    long axis_col[2] = { pc1, pc2 };
    double *axis_v[2] = { NULL, NULL };
    int components = 1;
    for (int a = 0; a < 2 && sampled; a++)
        if (!(full[a] = malloc((total + 1) * sizeof *full[a]))) {
            diag_set(diag, "out of memory");
            goto done;
        }
    while (ncand >= 2) {
        double score[64];
        for (size_t f = 0; f < ncand; f++) {
            if (!ranks[f])
                ranks[f] = malloc((n + 1) * sizeof *ranks[f]);
            if (!ranks[f] || rank_values(values[f], n, ranks[f]) != 0) {
                diag_set(diag, "out of memory");
                goto done;
            }
            score[f] = separation(ranks[f], which, n, nk);
        }
        /* the second axis: separation discounted by what the first axis
         * already tells (1 − r², r the rank correlation with it) */
        size_t best = 0, second = best == 0 ? 1 : 0;
        for (size_t f = 1; f < ncand; f++)
            if (score[f] > score[best])
                best = f;
        double second_score = -1;
        for (size_t f = 0; f < ncand; f++) {
            if (f == best)
                continue;
            double r = rank_correlation(ranks[best], ranks[f], n);
            if (score[f] * (1 - r * r) > second_score) {
                second_score = score[f] * (1 - r * r);
                second = f;
            }
        }
        /* A sample's axis must be a number on every row, as the whole
         * column was checked when nothing is sampled: else it is no
         * candidate, and the axes are chosen again without it. */
        size_t bad = ncand;
        if (cr) {       /* both axes in one read of the file */
            int got = cr->full(cr, cand[best], cand[second], full[0], full[1]);
            if (got < 0) {
                diag_set(diag, "%s: not read here", c->t->name);
                goto done;
            }
            bad = got == 1 ? best : got == 2 ? second : ncand;
        }
        for (int a = 0; a < 2 && sampled && bad == ncand && !cr; a++) {
            size_t f = a ? second : best;
            char col_mark;
            if (chart_column_mark(c, cand[f], &col_mark, NULL) != 0)
                bad = f;
            for (size_t r = 0; r < total && bad == ncand; r++) {
                const char *s = chart_cell(c, r, cand[f]);
                char mark = col_mark;
                if ((!chart_plain_number(s, mark, &full[a][r])
                     && parse_double(s, strlen(s), &mark, &full[a][r]) != PARSE_OK)
                    || !isfinite(full[a][r]))
                    bad = f;
            }
        }
        if (bad < ncand) {
            free(values[bad]);
            free(ranks[bad]);
            memmove(&values[bad], &values[bad + 1], (ncand - bad - 1) * sizeof values[0]);
            memmove(&ranks[bad], &ranks[bad + 1], (ncand - bad - 1) * sizeof ranks[0]);
            memmove(&cand[bad], &cand[bad + 1], (ncand - bad - 1) * sizeof cand[0]);
            ncand--;
            values[ncand] = ranks[ncand] = NULL;
            continue;
        }
        axis_col[0] = cand[best];
        axis_col[1] = cand[second];
        axis_v[0] = values[best];
        axis_v[1] = values[second];
        components = 0;
        break;
    }
    if (components && cr) {
        diag_set(diag, "%s: not read here", c->t->name);
        goto done;
    } else if (components && (pc1 < 0 || pc2 < 0)) {
        diag_set(diag, "%s: no two feature columns and no pc1, pc2: the clusters chart reads %s",
                 c->t->name, c->o->kind->reads);
        goto done;
    } else if (components) {
        for (int a = 0; a < 2 && sampled; a++)     /* every row checked, as unsampled */
            for (size_t r = 0; r < total; r++)
                if (chart_number(c, r, axis_col[a], 0, &full[a][r], diag) != 0)
                    goto done;
        for (int a = 0; a < 2; a++) {
            double *v = malloc((n + 1) * sizeof *v);
            if (!v) {
                diag_set(diag, "out of memory");
                goto done;
            }
            values[ncand++] = v;
            axis_v[a] = v;
            for (size_t r = 0; r < n; r++)
                if (sampled)
                    v[r] = full[a][drawn[r]];
                else if (chart_number(c, r, axis_col[a], 0, &v[r], diag) != 0)
                    goto done;
        }
    }
    /* A log axis for a positive feature whose bulk would be squeezed into
     * the bottom tenth of a linear one (orders, revenue): the median under
     * a tenth of the range, the range over 50 times. */
    int log_axis[2];
    double lo[2], hi[2];
    /* (over every client, not the sample: the axes span them all, as the
     * discs and the key speak of them all) */
    double *sorted = malloc((total + 1) * sizeof *sorted);
    if (!sorted) {
        diag_set(diag, "out of memory");
        goto done;
    }
    for (int a = 0; a < 2; a++) {
        double median;
        if (sampled) {
            lo[a] = INFINITY;
            hi[a] = -INFINITY;
            for (size_t r = 0; r < total; r++) {
                lo[a] = fmin(lo[a], full[a][r]);
                hi[a] = fmax(hi[a], full[a][r]);
            }
            memcpy(sorted, full[a], total * sizeof *sorted);
            median = median_of(sorted, total);
        } else {
            memcpy(sorted, axis_v[a], n * sizeof *sorted);
            qsort(sorted, n, sizeof *sorted, double_cmp);
            lo[a] = sorted[0];
            hi[a] = sorted[n - 1];
            median = n % 2 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
        }
        log_axis[a] = !components && lo[a] > 0 && hi[a] / lo[a] > 50
                      && median < lo[a] + (hi[a] - lo[a]) / 10;
    }
    free(sorted);
    /* the centres: each cluster's median on each axis, over every row */
    {
        double *tmp = malloc((total + 1) * sizeof *tmp);
        if (!tmp) {
            diag_set(diag, "out of memory");
            goto done;
        }
        for (int a = 0; a < 2; a++) {
            const double *axis = sampled ? full[a] : axis_v[a];
            for (size_t i = 0; i < nk; i++) {
                size_t m = 0;
                for (size_t r = 0; r < total; r++)
                    if (which_all[r] == i)
                        tmp[m++] = axis[r];
                if (sampled) {
                    k[i].centre[a] = median_of(tmp, m);
                } else {
                    qsort(tmp, m, sizeof *tmp, double_cmp);
                    k[i].centre[a] = m % 2 ? tmp[m / 2] : (tmp[m / 2 - 1] + tmp[m / 2]) / 2;
                }
            }
        }
        free(tmp);
    }

    struct buf *b = &c->sb;
    char text[400], n1[64], n2[64], fname[2][420], where[120], opts[200];
    double top = chart_head(c, chart_tr(c, "Client personas: the clusters",
                                        "Personas clients : les groupes"));
    /* one datablock per cluster, of the rows drawn */
    for (size_t i = 0; i < nk; i++) {
        sbuf_printf(b, "$cluster%zu << EOD\n", i + 1);
        for (size_t r = 0; r < n; r++)
            if (which[r] == i)
                sbuf_printf(b, "%.17g %.17g\n", axis_v[0][r], axis_v[1][r]);
        sbuf_add(b, "EOD\n");
    }
    sbuf_add(b, "$centres << EOD\n");
    for (size_t i = 0; i < nk; i++)
        sbuf_printf(b, "%.17g %.17g %u\n", k[i].centre[0], k[i].centre[1],
                    chart_category_colour(i));
    sbuf_add(b, "EOD\n");
    int tag = 10;
    for (size_t i = 0; i < nk; i++) {
        snprintf(where, sizeof where, "%.17g, %.17g", k[i].centre[0], k[i].centre[1]);
        sbuf_printf(b, "set label %d ", tag++);
        sbuf_str(b, chart_num(c, k[i].id, k[i].id == floor(k[i].id) ? 0 : 2, n1), 0);
        sbuf_printf(b, " at %s center front font '" FONT ":Bold,%d' tc rgb '%s'\n", where,
                    chart_font(c, PT.label),
                    c->text ? "black" : chart_ink_on(chart_category_colour(i)));
    }
    const char *axes[2] = { "x", "y" };
    for (int a = 0; a < 2; a++) {
        double l = lo[a], h = hi[a];
        if (log_axis[a]) {
            l /= 1.15;
            h *= 1.15;
        } else {
            double pad = (h - l) * 0.04;
            l -= pad;
            h += pad;
        }
        range_tics(c, axes[a], l, h, log_axis[a]);
        const char *name;
        if (components) {
            name = a ? chart_tr(c, "Principal component 2", "Composante principale 2")
                     : chart_tr(c, "Principal component 1", "Composante principale 1");
        } else {
            name = feature_label(c, c->t->header[axis_col[a]], fname[a], sizeof fname[a]);
            if (log_axis[a]) {
                snprintf(text, sizeof text, chart_tr(c, "%s (log scale)",
                         "%s (\xc3\xa9""chelle log)"),
                         name);
                snprintf(fname[a], sizeof fname[a], "%s", text);
                name = fname[a];
            }
        }
        chart_axis_label(c, axes[a], name);
    }
    if (!c->text)
        sbuf_add(b, "set grid xtics ytics lt 1 lc rgb '#e6e6e6' lw 1 dt 1\n");
    /* the plot on the left two thirds; the key in a column on the right */
    double key_x = c->text ? 0.70 : 0.71;
    chart_plot_area(c, top - 0.02, c->text ? 0.16 : 0.15, c->text ? 0.12 : 0.11, key_x - 0.04);
    if (components)    /* both axes in the same unit: equal aspect */
        sbuf_add(b, "set size ratio -1\n");
    int key_size = chart_font(c, PT.label);
    double line = c->text ? 1.0 / c->o->height : 1.45 * key_size / c->o->height;
    double y = top - 0.05;
    chart_panel_title(c, chart_tr(c, "Personas", "Personas"), key_x, y);
    y -= line * 1.8;
    double text_x = key_x + (c->text ? 0 : 0.024);
    double key_end = sampled ? 0.12 + 4 * line : 0.12;  /* room for the sample's words */
    for (size_t i = 0; i < nk && y > key_end; i++) {
        char idtext[64], label[200];
        chart_num(c, k[i].id, k[i].id == floor(k[i].id) ? 0 : 2, idtext);
        snprintf(label, sizeof label, "%s%s%s", idtext, k[i].label[0] ? " \xc2\xb7 " : "",
                 k[i].label);
        if (!c->text)
            sbuf_printf(b, "set object %zu circle at screen %.4f, screen %.4f size screen 0.009 "
                           "fc rgb '#%06x' fs solid 1.0 noborder front\n", 100 + i, key_x + 0.009,
                        y, chart_category_colour(i));
        /* a long label on two lines, broken at a space: never cut */
        char line2[200] = "";
        if (chart_text_width(label) > 30) {
            size_t cut = 0, chars = 0;
            for (size_t p = 0; label[p] && chars <= 30; p++) {
                if (label[p] == ' ' && p > 0)
                    cut = p;
                chars += !utf8_continuation((unsigned char)label[p]);
            }
            if (cut > 0) {
                snprintf(line2, sizeof line2, "%s", label + cut + 1);
                label[cut] = '\0';
            }
        }
        snprintf(opts, sizeof opts, "left font '" FONT ",%d' tc rgb '#1a1a1a'", key_size);
        snprintf(where, sizeof where, "screen %.4f, screen %.4f", text_x, y);
        chart_label(c, label, 40, where, opts);
        if (line2[0]) {
            y -= line;
            snprintf(where, sizeof where, "screen %.4f, screen %.4f", text_x, y);
            chart_label(c, line2, 40, where, opts);
        }
        y -= line;
        snprintf(text, sizeof text, "%s, %s", chart_count(c, (double)k[i].size, "client",
                 "clients", n1),
                 chart_pct(c, (double)k[i].size / (double)total, 0, n2));
        snprintf(where, sizeof where, "screen %.4f, screen %.4f", text_x, y);
        snprintf(opts, sizeof opts, "left font '" FONT ",%d' tc rgb '%s'", chart_font(c, PT.small),
                 chart_layout.ink.subtitle);
        chart_label(c, text, 0, where, opts);
        y -= line * 1.7;
    }
    if (components)
        chart_note(c, 0, chart_tr(c, "Each point is a client, placed by the two main directions of "
                                     "the scaled features; the numbered discs are each "
                                     "persona" APOSTROPHE "s median client.",
                                  "Chaque point est un client, plac\xc3\xa9 selon les deux axes "
                                  "principaux "
                                  "des variables centr\xc3\xa9""es r\xc3\xa9""duites ; "
                                  "les disques "
                                  "num\xc3\xa9rot\xc3\xa9s sont le client m\xc3\xa9""dian de "
                                  "chaque persona."));
    else
        chart_note(c, 0, chart_tr(c, "Each point is a client, on the two features that set the "
                                     "personas "
                                     "apart most; the numbered discs are each persona" APOSTROPHE
                                     "s median client.",
                                  "Chaque point est un client, sur les deux variables qui "
                                  "distinguent "
                                  "le plus les personas ; les disques num\xc3\xa9rot\xc3\xa9s "
                                  "sont le "
                                  "client m\xc3\xa9""dian de chaque persona."));
    if (sampled) {      /* said under the key, where there is room for it */
        char sample_lines[4][160], n3[64];
        snprintf(sample_lines[0], sizeof sample_lines[0],
                 chart_tr(c, "A sample of %s", "Un \xc3\xa9""chantillon de %s"),
                 chart_num(c, (double)n, 0, n1));
        snprintf(sample_lines[1], sizeof sample_lines[1],
                 chart_tr(c, "of the %s clients,", "des %s clients,"),
                 chart_num(c, (double)total, 0, n2));
        snprintf(sample_lines[2], sizeof sample_lines[2], "%s",
                 chart_tr(c, "each persona in proportion", "chaque persona en proportion"));
        snprintf(sample_lines[3], sizeof sample_lines[3],
                 chart_tr(c, "(at least %s of each, or all).", "(au moins %s de chacun, ou tous)."),
                 chart_num(c, CLUSTER_SAMPLE_MIN, 0, n3));
        const char *shown[4] = { sample_lines[0], sample_lines[1], sample_lines[2],
                                 sample_lines[3] };
        snprintf(where, sizeof where, "screen %.4f, screen %.4f", key_x, y);
        snprintf(opts, sizeof opts, "left front font '" FONT ",%d' tc rgb '%s'",
                 chart_font(c, PT.small), chart_layout.ink.subtitle);
        chart_lines(c, shown, 4, where, opts);
    }
    double alpha = n > 2000 ? 0.55 : n > 300 ? 0.3 : 0;
    double ps = n > 2000 ? 0.6 : n > 300 ? 0.9 : 1.3;
    sbuf_add(b, "plot ");
    for (size_t i = 0; i < nk; i++)
        sbuf_printf(b, "%s$cluster%zu using 1:2 with points pt 7 ps %.1f lc rgb '#%02x%06x'",
                    i ? ", \\\n     " : "", i + 1, ps, (unsigned)lround(alpha * 255),
                    chart_category_colour(i));
    sbuf_printf(b, ", \\\n     $centres using 1:2:3 with points pt 7 ps %.1f lc rgb variable, \\\n"
                   "     $centres using 1:2 with points pt 6 ps %.1f lw 2 lc rgb '#1a1a1a'\n",
                c->text ? 1.0 : 4.2, c->text ? 1.0 : 4.2);
    rc = 0;
done:
    for (size_t f = 0; f < 64; f++) {
        free(values[f]);
        free(ranks[f]);
    }
    free(full[0]);
    free(full[1]);
    free(k);
    free(which_all);
    free(drawn);
    free(which);
    free(ids);
    return rc;
}

/* ====================================================================== */
/* select                                                                  */

int chart_select(struct chart *c, struct diag *diag)
{
    long kcol = chart_need_column(c, "k", diag), icol, scol;
    if (kcol < 0 || (icol = chart_need_column(c, "inertia",
        diag)) < 0 || (scol = chart_need_column(c, "silhouette", diag)) < 0)
        return -1;
    long ccol = chart_find_column(c->t, "chosen");
    struct buf *b = &c->sb;
    char text[300], n1[64];
    double top = chart_head(c, chart_tr(c, "How many personas? Choosing k", "Combien de personas "
                                                                            "? Le choix de k"));
    double kmin = INFINITY, kmax = -INFINITY, imax = 0, chosen = NAN, chosen_sil = NAN;
    double sil_min = 0, sil_max = 0;
    sbuf_add(b, "$select << EOD\n");
    for (size_t r = 0; r < c->nrows; r++) {
        double k, inertia, sil, ch = 0;
        if (chart_number(c, r, kcol, 0, &k, diag) != 0 || chart_number(c, r, icol, 1, &inertia,
            diag) != 0
            || chart_number(c, r, scol, 1, &sil, diag) != 0
            || (ccol >= 0 && chart_number(c, r, ccol, 1, &ch, diag) != 0))
            return -1;
        kmin = fmin(kmin, k);
        kmax = fmax(kmax, k);
        if (isfinite(inertia))
            imax = fmax(imax, inertia);
        if (isfinite(sil)) {
            sil_min = fmin(sil_min, sil);
            sil_max = fmax(sil_max, sil);
        }
        if (ch == 1) {
            chosen = k;
            chosen_sil = sil;
        }
        sbuf_printf(b, "%.17g ", k);
        if (isfinite(inertia)) sbuf_printf(b, "%.17g ", inertia); else sbuf_add(b, "? ");
        if (isfinite(sil)) sbuf_printf(b, "%.17g\n", sil); else sbuf_add(b, "?\n");
    }
    sbuf_add(b, "EOD\n");
    if (c->nrows == 0)
        return diag_set(diag, "%s: no rows to plot", c->t->name);
    sbuf_printf(b, "set xrange [%.17g:%.17g]\nset xtics 1 font ',14'\n", kmin - 0.5, kmax + 0.5);
    chart_value_tics(c, "y", imax * 1.08);
    /* The silhouette from 0 (or below, when negative), not from its
     * lowest value: a range of 0.33 to 0.43 makes small differences look
     * large. */
    range_tics(c, "y2", sil_min < 0 ? floor(sil_min * 10) / 10 : 0,
               fmax(0.1, ceil(sil_max * 10 - 1e-9) / 10), 0);
    sbuf_add(b, "set y2tics nomirror out font ',13'\nset border 11 lw 1 lc rgb '#555555'\n");
    if (!c->text)
        sbuf_add(b, "set grid xtics ytics lt 1 lc rgb '#e6e6e6' lw 1 dt 1\n");
    chart_axis_label(c, "x", chart_tr(c, "Number of clusters k", "Nombre de groupes k"));
    chart_axis_label(c, "y", chart_tr(c, "Inertia (lower: tighter clusters)", "Inertie (plus bas "
                                                                              ": groupes plus "
                                                                              "serr\xc3\xa9s)"));
    if (!c->text)   /* the preview has no room beside its right tics */
        chart_axis_label(c, "y2", chart_tr(c, "Mean silhouette (higher: better separated)",
                                           "Silhouette moyenne (plus haut : mieux "
                                           "s\xc3\xa9par\xc3\xa9s)"));
    if (isfinite(chosen)) {
        sbuf_printf(b, "set arrow 1 from %.17g, graph 0 to %.17g, graph 1 nohead dt 2 lw 2 lc rgb "
                       "'%s' back\n",
                  chosen, chosen, ACCENT);
        snprintf(text, sizeof text, chart_tr(c, "chosen: k = %s", "retenu : k = %s"), chart_num(c,
                 chosen, 0, n1));
        char where[100], opts[160];
        snprintf(where, sizeof where, "%.17g, graph 0.05", chosen);
        snprintf(opts, sizeof opts, "center boxed font '" FONT ":Bold,%d' tc rgb '%s' front",
                 chart_font(c, PT.callout), ACCENT);
        sbuf_add(b, "set style textbox opaque noborder margins 4,3\n");
        chart_label(c, text, 0, where, opts);
        (void)chosen_sil;
    }
    sbuf_printf(b, "set tmargin at screen %.3f\nset bmargin %d\nset lmargin %d\nset rmargin %d\n",
              top - 0.07, c->text ? 3 : 4, c->text ? 10 : 14, c->text ? 10 : 12);
    sbuf_printf(b, "set key at screen 0.5, screen %.3f center center horizontal reverse Left "
                   "samplen 2 width 2 font '" FONT ",%d'\n",
              top - 0.035, chart_font(c, PT.label));
    sbuf_add(b, "plot $select using 1:2 with linespoints lw 3 pt 7 ps 1.5 lc rgb '#1f4e79' title ");
    sbuf_str(b, chart_tr(c, "inertia (left axis)", "inertie (axe de gauche)"), 0);
    sbuf_printf(b, ", \\\n     $select using 1:3 axes x1y2 with linespoints lw 3 pt 5 ps 1.5 lc "
                   "rgb '%s' title ", "#f28e2b");
    sbuf_str(b, chart_tr(c, "silhouette (right axis)", "silhouette (axe de droite)"), 0);
    sbuf_add(b, "\n");
    return 0;
}

/* ====================================================================== */
/* personas                                                                */

static const char *feature_label(const struct chart *c, const char *name, char *out, size_t size)
{
    static const struct { const char *key, *en, *fr; } known[] = {
        { "revenue", "Revenue", "Chiffre d" APOSTROPHE "affaires" },
        { "margin", "Margin", "Marge" },
        { "quantity", "Quantity", "Quantit\xc3\xa9" },
        { "lines", "Lines", "Lignes" },
        { "orders", "Orders", "Commandes" },
        { "recencydays", "Recency (days)", "R\xc3\xa9""cence (jours)" },
        { "tenuredays", "Tenure (days)", "Anciennet\xc3\xa9 (jours)" },
        { "avgorder", "Average order", "Panier moyen" },
        { "age", "Age", "\xc3\x82ge" },
        { "annualincomek", "Annual income (k$)", "Revenu annuel (k$)" },
        /* the Mall Customers data (samples/) count incomes in thousands of dollars */
        { "annualincomethousands", "Annual income (k$)", "Revenu annuel (k$)" },
        { "income", "Income", "Revenu" },
        { "spendingscore1100", "Spending score", "Score de d\xc3\xa9pense" },
        { "spendingscore", "Spending score", "Score de d\xc3\xa9pense" },
        { "frequency", "Frequency", "Fr\xc3\xa9quence" },
        { "recency", "Recency", "R\xc3\xa9""cence" },
        { "monetary", "Monetary", "Montant" },
    };
    char folded[128];
    columns_fold(name, folded, sizeof folded);
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
        if (strcmp(folded, known[i].key) == 0)
            return chart_tr(c, known[i].en, known[i].fr);
    snprintf(out, size, "%s", name);
    for (char *p = out; *p; p++)
        if (*p == '_')
            *p = ' ';
    chart_capitalise(out);
    return out;
}

int chart_personas(struct chart *c, struct diag *diag)
{
    long kcol = chart_need_column(c, "cluster", diag);
    if (kcol < 0)
        return -1;
    long share = chart_find_column(c->t, "share"), size = chart_find_column(c->t, "size");
    long lcol = chart_find_column(c->t, "label");
    long zcols[64];
    size_t nz = 0;
    for (size_t i = 0; i < c->t->columns && nz < 64; i++) {
        size_t len = strlen(c->t->header[i]);
        if (len > 2 && strcmp(c->t->header[i] + len - 2, "_z") == 0)
            zcols[nz++] = (long)i;
    }
    long mean_cols[64];
    for (size_t j = 0; j < nz; j++) {
        char name[300];
        size_t len = strlen(c->t->header[zcols[j]]) - 2;
        snprintf(name, sizeof name, "%.*s_mean", (int)(len < 280 ? len : 280),
                 c->t->header[zcols[j]]);
        mean_cols[j] = table_find(c->t, name);
    }
    if (nz == 0)
        return diag_set(diag, "%s: no <feature>_z column: the personas chart reads %s",
                        c->t->name, c->o->kind->reads);
    if (c->nrows == 0)
        return diag_set(diag, "%s: no rows to plot", c->t->name);
    struct buf *b = &c->sb;
    char text[400], n1[64], n2[64], fname[200];
    double top = chart_head(c, chart_tr(c, "Personas: what sets each group apart",
                                 "Personas : ce qui distingue chaque groupe"));
    sbuf_add(b, "$cells << EOD\n");
    int tag = 10;
    for (size_t r = 0; r < c->nrows; r++)
        for (size_t j = 0; j < nz; j++) {
            double z;
            if (chart_number(c, r, zcols[j], 1, &z, diag) != 0)
                return -1;
            unsigned rgb = !isfinite(z) ? 0xeeeeee
                         : z >= 0 ? chart_mix_rgb(0xf7f7f7, 0xb2182b,
                                                  z / 2) : chart_mix_rgb(0xf7f7f7, 0x2166ac,
                                                      -z / 2);
            sbuf_printf(b, "%zu %zu %u\n", j + 1, r + 1, rgb);
        }
    sbuf_add(b, "EOD\n");
    for (size_t r = 0; r < c->nrows; r++)
        for (size_t j = 0; j < nz; j++) {
            double z;
            chart_number(c, r, zcols[j], 1, &z, diag);
            if (!isfinite(z))
                continue;
            unsigned rgb = z >= 0 ? chart_mix_rgb(0xf7f7f7, 0xb2182b,
                                                  z / 2) : chart_mix_rgb(0xf7f7f7, 0x2166ac,
                                                      -z / 2);
            chart_num(c, z, 1, n1);
            snprintf(text, sizeof text, "%s%s", z > 0 && strcmp(n1, "0.0") && strcmp(n1,
                     "0,0") ? "+" : "", n1);
            double mean = NAN;
            if (mean_cols[j] >= 0)
                chart_number(c, r, mean_cols[j], 1, &mean, diag);
            int two = isfinite(mean) && c->nrows <= 12;
            if (two && c->text) {
                /* a character cell is too tall for two lines: one line */
                int decimals = fabs(mean) >= 100 ? 0 : fabs(mean) >= 10 ? 1 : 2;
                char mean_text[64];
                size_t len = strlen(text);
                snprintf(text + len, sizeof text - len, chart_tr(c, " (mean %s)", " (moy. %s)"),
                         chart_num(c, mean, decimals, mean_text));
                two = 0;
            }
            sbuf_printf(b, "set label %d ", tag++);
            sbuf_str(b, text, 0);
            sbuf_printf(b, " at %zu, %zu center offset 0,%s front font '" FONT ":Bold,%d' tc rgb "
                                                                               "'%s'\n", j + 1,
                                                                                   r + 1,
                      two ? "0.55" : "0", chart_font(c, nz > 8 ? 12 : 15), chart_ink_on(rgb));
            if (two) {
                /* the mean in real units, 3 significant digits */
                int decimals = fabs(mean) >= 100 ? 0 : fabs(mean) >= 10 ? 1 : 2;
                snprintf(text, sizeof text, chart_tr(c, "mean %s", "moy. %s"), chart_num(c, mean,
                         decimals, n1));
                sbuf_printf(b, "set label %d ", tag++);
                sbuf_str(b, text, 0);
                sbuf_printf(b,
                            " at %zu, %zu center offset 0,-0.75 front font '" FONT ",%d' tc rgb "
                                                                                   "'%s'\n", j + 1,
                                                                                       r + 1,
                          chart_font(c, nz > 8 ? 10 : 12), chart_ink_on(rgb));
            }
        }
    sbuf_printf(b, "set xrange [0.5:%.1f]\nset yrange [%.1f:0.5]\n", nz + 0.5, c->nrows + 0.5);
    sbuf_printf(b,
                "set x2range [0.5:%.1f]\nunset xtics\nset x2tics scale 0 %s font '" FONT ",%d' (",
              nz + 0.5, nz > 6 ? "rotate by 30 left" : "", chart_font(c, nz > 8 ? 11 : 14));
    size_t last_chars = 0;      /* the last column's name, rotated, reaches past the plot */
    for (size_t j = 0; j < nz; j++) {
        char base[200];
        size_t len = strlen(c->t->header[zcols[j]]) - 2;
        snprintf(base, sizeof base, "%.*s", (int)(len < 190 ? len : 190), c->t->header[zcols[j]]);
        sbuf_add(b, j ? ", " : "");
        const char *name = feature_label(c, base, fname, sizeof fname);
        last_chars = chart_text_width(name);
        sbuf_tic(b, name, nz > 6 ? 20 : 30);
        sbuf_printf(b, " %zu", j + 1);
    }
    if (last_chars > 20)
        last_chars = 20;
    /* Row names as labels, not tics: a tic label is a format, and
     * gnuplot cuts a formatted one at 49 bytes. */
    sbuf_add(b, ")\nunset ytics\nset border 0\n");
    size_t widest = 0;
    for (size_t r = 0; r < c->nrows; r++) {
        double sh = NAN, sz = NAN;
        if (share >= 0)
            chart_number(c, r, share, 1, &sh, diag);
        if (size >= 0)
            chart_number(c, r, size, 1, &sz, diag);
        const char *label = lcol >= 0 ? chart_cell(c, r, lcol) : "";
        char head[300];
        snprintf(head, sizeof head, "%.40s%s%.200s", chart_cell(c, r, kcol),
                 label[0] ? " \xc2\xb7 " : "", label);
        text[0] = '\0';
        if (isfinite(sh))
            snprintf(text, sizeof text, " (%s)", chart_pct(c, sh, 0, n2));
        else if (isfinite(sz))
            snprintf(text, sizeof text, " (%s)", chart_num(c, sz, 0, n2));
        /* a long name on two lines, broken at a space: never cut short
         * of what a reader needs (beyond 80 characters, an ellipsis) */
        char first[300], rest[300] = "";
        snprintf(first, sizeof first, "%s", head);
        if (chart_text_width(head) > 34) {
            size_t cut = 0, chars = 0;
            for (size_t p = 0; head[p] && chars <= 34; p++) {
                if (head[p] == ' ' && p > 0)
                    cut = p;
                chars += !utf8_continuation((unsigned char)head[p]);
            }
            if (cut > 0) {
                first[cut] = '\0';
                snprintf(rest, sizeof rest, "%s", head + cut + 1);
            }
        }
        size_t w1 = chart_text_width(first), w2 = chart_text_width(rest);
        if (w2 > 40)
            w2 = 41;
        size_t tail = (rest[0] ? w2 : w1) + chart_text_width(text);
        size_t chars = rest[0] && w1 > tail ? w1 : tail;
        widest = chars > widest ? chars : widest;
        /* the label is data: quote it, then add the share */
        sbuf_add(b, "set label ");
        sbuf_str(b, first, 40);
        if (rest[0]) {
            sbuf_add(b, " . \"\\n\" . ");
            sbuf_str(b, rest, 40);
        }
        if (text[0]) {
            sbuf_add(b, " . ");
            sbuf_str(b, text, 0);
        }
        sbuf_printf(b, " at graph 0, first %zu right offset -1,0 font '" FONT ",%d' tc rgb "
                                                                              "'#333333'\n", r + 1,
                  chart_font(c, c->nrows > 10 ? 11 : 13));
    }
    sbuf_printf(b, "set lmargin %d\n", c->text ? (int)widest + 3 : (int)(widest * 0.9) + 3);
    sbuf_printf(b, "set tmargin at screen %.3f\nset bmargin at screen %.3f\nset rmargin %d\n",
              top - (nz > 6 ? 0.16 : 0.08), c->text ? 0.12 : 0.09,
              c->text ? 2 : nz > 6 ? (int)((double)last_chars * 0.55) + 1 : 4);
    chart_note(c, 0, chart_tr(c, "Each cell: how far the group" APOSTROPHE "s mean is from all "
                                 "clients" APOSTROPHE ", in standard deviations (red above, blue "
                                 "below), and the group" APOSTROPHE "s mean.",
                              "Chaque case : \xc3\xa9""cart de la moyenne du groupe "
                              "\xc3\xa0 celle "
                              "de tous les clients, en \xc3\xa9""carts-types (rouge au-dessus, "
                              "bleu en dessous), et la moyenne du groupe."));
    sbuf_add(b, "plot $cells using 1:2:($1-0.49):($1+0.49):($2-0.47):($2+0.47):3 with boxxyerror "
                "lc rgb variable\n");
    return 0;
}

/* ====================================================================== */
/* The chart kinds: one row each. A new kind is a builder (plot_chart.h)
 * and a row here; cl-plot's help and messages are made from this table. */

const struct plot_kind plot_kinds[] = {
    { "pareto", "the rows of cl-pareto",
      "cl-pareto's rows: clients by decreasing value, cumulative share", chart_pareto },
    { "lorenz", "cl-pareto --lorenz (or the rows of cl-pareto)",
      "cl-pareto's Lorenz points (or its rows): the curve and the Gini", chart_lorenz },
    { "abc", "the rows of cl-pareto or cl-pareto --summary",
      "cl-pareto's rows or summary: share of clients and of value by class", chart_abc },
    { "migration", "cl-pareto --summary --previous",
      "cl-pareto's summary with a previous period: class moves", chart_migration },
    { "rfm", "cl-score --rfm",
      "cl-score's RFM rows: clients and revenue per segment", chart_rfm },
    { "share", "cl-share",
      "cl-share: the potential clientele and our share of the demand", chart_share },
    { "clusters", "the assignments of cl-kmeans",
      "cl-kmeans' assignments: clients on the features that separate them", chart_clusters },
    { "select", "cl-kmeans --select",
      "cl-kmeans' k-selection table: inertia and silhouette against k", chart_select },
    { "personas", "cl-kmeans --profiles",
      "cl-kmeans' profiles: each persona's z-deviation per feature", chart_personas },
    { "cohort", "cl-cohort",
      "cl-cohort: the retention heat map, cohorts down, periods across", chart_cohort },
    { "retention", "cl-cohort (or cl-cohort --summary)",
      "cl-cohort: retention curves per cohort, or its summary's mean and range",
      chart_retention },
    { "alive", "the rows of cl-clv",
      "cl-clv's rows: mean p_alive per frequency and recency", chart_alive },
    { "holdout", "the holdout table of cl-clv",
      "cl-clv's holdout table: predicted and observed purchases", chart_holdout },
    { "tracking", "cl-clv --tracking",
      "cl-clv's tracking: cumulative repeat purchases, observed and predicted", chart_tracking },
    { "value", "the rows of cl-clv",
      "cl-clv's rows (through cl-pareto for the classes): ranked by clv", chart_value },
};
const size_t plot_kind_count = sizeof plot_kinds / sizeof plot_kinds[0];

const struct plot_kind *plot_kind_find(const char *name)
{
    for (size_t i = 0; i < plot_kind_count; i++)
        if (strcmp(name, plot_kinds[i].name) == 0)
            return &plot_kinds[i];
    return NULL;
}

char *plot_kind_list(char *out, size_t size)
{
    size_t o = 0;
    out[0] = '\0';
    for (size_t i = 0; i < plot_kind_count && o < size; i++) {
        const char *sep = i == 0 ? "" : i + 1 == plot_kind_count ? " or " : ", ";
        int n = snprintf(out + o, size - o, "%s%s", sep, plot_kinds[i].name);
        if (n < 0)
            break;
        o += (size_t)n;
    }
    return out;
}
