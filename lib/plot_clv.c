/* plot_clv — the alive, holdout, tracking and value charts of cl-plot (see
 * plot_clv.h): read the cl-clv tables, reduce them to a few hundred numbers
 * and write the gnuplot commands that draw them, on plot_chart's skeleton. */
#include "plot_clv.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plot_chart.h"

#define VALUE_BOXES 500     /* the value curve drawn as at most this many boxes */
#define ALIVE_BINS 20       /* recency bins of the alive matrix */

/* ---- reading ---------------------------------------------------------- */

/* ---- alive ------------------------------------------------------------ */

int chart_alive(struct chart *c, struct diag *diag)
{
    const struct table *t = c->t;
    const struct plot_options *o = c->o;
    struct buf *b = &c->sb;
    size_t n = c->nrows;
    long fcol = chart_need_column(c, "frequency", diag), rcol = fcol < 0 ? -1 :
        chart_need_column(c, "recency", diag), pcol = rcol < 0 ? -1 :
        chart_need_column(c, "p_alive", diag);
    if (pcol < 0)
        return -1;
    double top = chart_head(c, chart_tr(c, "How likely is each client to be still buying?",
                                        "Quelle chance que chaque client achète encore ?"));
    double *f = malloc(n * sizeof *f), *rec = malloc(n * sizeof *rec), *p = malloc(n * sizeof *p);
    size_t *count = NULL;
    double *sum = NULL;
    int rc = -1;
    if (!f || !rec || !p) {
        diag_set(diag, "out of memory");
        goto done;
    }
    double rmax = 0;
    int fmax = 0;
    for (size_t i = 0; i < n; i++) {
        if (chart_number(c, i, fcol, 0, &f[i], diag) != 0 ||
            chart_number(c, i, rcol, 0, &rec[i], diag) != 0 ||
            chart_number(c, i, pcol, 0, &p[i], diag) != 0)
            goto done;
        if (!(f[i] >= 0) || f[i] > 1e6 || !(rec[i] >= 0) || !(p[i] >= 0 && p[i] <= 1)) {
            diag_set(diag, "%s:%ld: not a cl-clv row (frequency, recency, p_alive out of range)",
                     t->name, t->lines[c->rows[i]]);
            goto done;
        }
        if (rec[i] > rmax)
            rmax = rec[i];
        if (f[i] > fmax)
            fmax = (int)f[i];
    }
    /* the frequencies of 99% of the clients, at least 5; the rest on the top row */
    size_t *by_f = calloc((size_t)fmax + 2, sizeof *by_f);
    if (!by_f) {
        diag_set(diag, "out of memory");
        goto done;
    }
    for (size_t i = 0; i < n; i++)
        by_f[(size_t)f[i]]++;
    int cap = 0;
    for (size_t below = 0; cap < fmax && below + by_f[cap] < 0.99 * (double)n; cap++)
        below += by_f[cap];
    free(by_f);
    if (cap < 5)
        cap = fmax < 5 ? fmax : 5;
    int bins = o->format == PLOT_TEXT ? ALIVE_BINS / 2 : ALIVE_BINS;
    double width = rmax > 0 ? rmax / bins : 1;
    count = calloc((size_t)(cap + 1) * (size_t)bins, sizeof *count);
    sum = calloc((size_t)(cap + 1) * (size_t)bins, sizeof *sum);
    if (!count || !sum) {
        diag_set(diag, "out of memory");
        goto done;
    }
    for (size_t i = 0; i < n; i++) {
        int row = f[i] > cap ? cap : (int)f[i];
        int bin = (int)(rec[i] / width);
        if (bin >= bins)
            bin = bins - 1;
        count[(size_t)row * (size_t)bins + (size_t)bin]++;
        sum[(size_t)row * (size_t)bins + (size_t)bin] += p[i];
    }
    sbuf_add(b, "$cells << EOD\n");
    for (int row = 0; row <= cap; row++)
        for (int bin = 0; bin < bins; bin++) {
            size_t k = (size_t)row * (size_t)bins + (size_t)bin;
            if (count[k])
                sbuf_printf(b, "%.6g %d %.6g %.6g %.6g %.6g %.6g\n", (bin + 0.5) * width, row,
                        bin * width, (bin + 1) * width, row - 0.5, row + 0.5,
                        sum[k] / (double)count[k]);
        }
    sbuf_add(b, "EOD\n");
    sbuf_printf(b, "set lmargin at screen 0.09\nset rmargin at screen 0.84\n"
                "set tmargin at screen %.3f\nset bmargin at screen 0.13\n", top - 0.02);
    sbuf_printf(b, "set xrange [0:%.6g]\nset yrange [-0.5:%.1f]\n", bins * width, cap + 0.5);
    sbuf_add(b, "set ytics (");
    int step = cap > 20 ? 5 : cap > 10 ? 2 : 1;
    for (int row = 0; row <= cap; row += step) {
        char label[32];
        snprintf(label, sizeof label, "%d%s", row, row == cap && fmax > cap ? "+" : "");
        sbuf_printf(b, "%s'%s' %d", row ? ", " : "", label, row);
    }
    if (cap % step && cap > 0)
        sbuf_printf(b, ", '%d%s' %d", cap, fmax > cap ? "+" : "", cap);
    sbuf_add(b, ")\n");
    sbuf_add(b, "set xlabel ");
    sbuf_str(b, chart_tr(c, "Recency: time from the first to the last purchase",
                  "Récence : temps du premier au dernier achat"), 0);
    sbuf_add(b, "\nset ylabel ");
    sbuf_str(b, chart_tr(c, "Frequency: repeat purchases", "Fréquence : achats répétés"), 0);
    sbuf_add(b, "\nset cbrange [0:1]\n"
          "set palette defined (0 '#b42318', 0.5 '#f2c94c', 1 '#1a7f37')\n"
          "set colorbox user origin screen 0.87, screen 0.2 size screen 0.025, screen 0.55\n"
          "set cbtics (");
    for (int k = 0; k <= 4; k++) {
        char pct[64];
        sbuf_printf(b, "%s", k ? ", " : "");
        sbuf_tic(b, chart_pct(c, k / 4.0, 0, pct), 0);
        sbuf_printf(b, " %.2f", k / 4.0);
    }
    sbuf_add(b, ")\nset cblabel ");
    sbuf_str(b, chart_tr(c, "P(alive), mean of the clients of the cell",
                  "P(actif), moyenne des clients de la case"), 0);
    sbuf_add(b, "\nset grid front lc rgb '#ffffff' lw 0.5\n"
          "plot $cells using 1:2:3:4:5:6:7 with boxxyerror fs solid 1.0 lc palette\n");
    rc = 0;
done:
    free(f);
    free(rec);
    free(p);
    free(count);
    free(sum);
    return rc;
}

/* ---- holdout ---------------------------------------------------------- */

int chart_holdout(struct chart *c, struct diag *diag)
{
    const struct table *t = c->t;
    const struct plot_options *o = c->o;
    struct buf *b = &c->sb;
    size_t n = c->nrows;
    long fcol = chart_need_column(c, "frequency", diag), pcol = fcol < 0 ? -1 :
        chart_need_column(c, "predicted", diag), acol = pcol < 0 ? -1 :
        chart_need_column(c, "actual", diag);
    if (acol < 0)
        return -1;
    long ucol = chart_find_column(t, "holdout_units");
    double top = chart_head(c,
                            chart_tr(c, "Purchases predicted and observed in the holdout period",
                                     "Achats prévus et observés sur la période de contrôle"));
    double ymax = 0, units = NAN;
    size_t groups = 0;
    sbuf_add(b, "$groups << EOD\n");
    for (size_t i = 0; i < n; i++) {
        const char *label = chart_cell(c, i, fcol);
        if (strcmp(label, "all") == 0)
            continue;
        double pred, act;
        if (chart_number(c, i, pcol, CHART_GAP, &pred, diag) != 0 ||
            chart_number(c, i, acol, CHART_GAP, &act, diag) != 0)
            return -1;
        if (ucol >= 0 && isnan(units) && chart_number(c, i, ucol, 1, &units, diag) != 0)
            return -1;
        sbuf_printf(b, "%zu %.6g %.6g\n", groups, isnan(pred) ? 0 : pred, isnan(act) ? 0 : act);
        ymax = fmax(ymax, fmax(isnan(pred) ? 0 : pred, isnan(act) ? 0 : act));
        groups++;
    }
    sbuf_add(b, "EOD\n");
    if (groups == 0)
        return diag_set(diag, "%s: no frequency row to draw (the holdout chart reads "
                        "cl-clv --holdout)", t->name);
    sbuf_printf(b, "set lmargin at screen 0.09\nset rmargin at screen 0.97\n"
                "set tmargin at screen %.3f\nset bmargin at screen 0.15\n", top - 0.06);
    sbuf_printf(b, "set xrange [-0.6:%.1f]\nset yrange [0:%.6g]\n", groups - 0.4,
            ymax > 0 ? ymax * 1.12 : 1);
    sbuf_add(b, "set xtics (");
    size_t g = 0;
    for (size_t i = 0; i < n; i++) {
        const char *label = chart_cell(c, i, fcol);
        if (strcmp(label, "all") == 0)
            continue;
        sbuf_printf(b, "%s", g ? ", " : "");
        sbuf_tic(b, label, 12);
        sbuf_printf(b, " %zu", g++);
    }
    sbuf_add(b, ")\nset xlabel ");
    sbuf_str(b, chart_tr(c, "Repeat purchases in the calibration period",
                  "Achats répétés sur la période de calibrage"), 0);
    sbuf_add(b, "\nset ylabel ");
    if (isnan(units)) {
        sbuf_str(b, chart_tr(c, "Mean purchases per client in the holdout",
                      "Achats moyens par client sur la période de contrôle"), 0);
    } else {
        char text[200], num[64];
        snprintf(text, sizeof text, chart_tr(c, "Mean purchases per client over %s periods",
                                       "Achats moyens par client sur %s périodes"),
                 l10n_number(units, units == floor(units) ? 0 : 1, o->lang, num));
        sbuf_str(b, text, 0);
    }
    sbuf_add(b, "\nset key top left reverse Left samplen 1.5\n"
          "set grid ytics lc rgb '#dddddd'\n"
          "plot $groups using 1:2:($1-0.38):($1-0.02):(0):2 with boxxyerror "
          "lc rgb '#a9cbe8' title ");
    sbuf_str(b, chart_tr(c, "predicted by the model", "prévus par le modèle"), 0);
    sbuf_add(b, ", \\\n     $groups using 1:3:($1+0.02):($1+0.38):(0):3 with boxxyerror "
          "lc rgb '#1f4e79' title ");
    sbuf_str(b, chart_tr(c, "observed", "observés"), 0);
    sbuf_add(b, "\n");
    return 0;
}

/* ---- tracking --------------------------------------------------------- */

int chart_tracking(struct chart *c, struct diag *diag)
{
    const struct table *t = c->t;
    struct buf *b = &c->sb;
    size_t n = c->nrows;
    long kcol = chart_need_column(c, "period", diag), ccol = kcol < 0 ? -1 :
        chart_need_column(c, "calibration", diag), acol = ccol < 0 ? -1 :
        chart_need_column(c, "cumulative_actual", diag), pcol = acol < 0 ? -1 :
        chart_need_column(c, "cumulative_predicted", diag);
    if (pcol < 0)
        return -1;
    if (n == 0)
        return diag_set(diag, "%s: no period to draw (the tracking chart reads "
                        "cl-clv --tracking)", t->name);
    double top = chart_head(c, chart_tr(c, "Repeat purchases, cumulative: predicted and observed",
                                        "Achats répétés cumulés : prévus et observés"));
    double ymax = 0, xmax = 0, cal_end = NAN;
    sbuf_add(b, "$track << EOD\n");
    for (size_t i = 0; i < n; i++) {
        double k, cal, act, pred;
        if (chart_number(c, i, kcol, 0, &k, diag) != 0 ||
            chart_number(c, i, ccol, 0, &cal, diag) != 0 ||
            chart_number(c, i, acol, 0, &act, diag) != 0 ||
            chart_number(c, i, pcol, 0, &pred, diag) != 0)
            return -1;
        if (cal == 1)
            cal_end = k;
        sbuf_printf(b, "%.17g %.17g %.17g\n", k, act, pred);
        ymax = fmax(ymax, fmax(act, pred));
        xmax = fmax(xmax, k);
    }
    sbuf_add(b, "EOD\n");
    sbuf_printf(b, "set lmargin at screen 0.11\nset rmargin at screen 0.96\n"
                "set tmargin at screen %.3f\nset bmargin at screen 0.15\n", top - 0.06);
    double ytop = chart_value_tics(c, "y", ymax * 1.05);
    sbuf_printf(b, "set xrange [0:%.17g]\n", xmax);
    if (!c->text)
        sbuf_add(b, "set grid ytics lc rgb '#dddddd'\n");
    chart_axis_label(c, "x", chart_tr(c, "Period since the first client" APOSTROPHE
                                         "s first purchase",
                                      "Période depuis le premier achat du premier client"));
    chart_axis_label(c, "y", chart_tr(c, "Repeat purchases, cumulative",
                                      "Achats répétés cumulés"));
    if (!isnan(cal_end) && cal_end < xmax) {
        char where[80];
        sbuf_printf(b, "set arrow 1 from %.17g, 0 to %.17g, %.17g nohead dt 2 lw 1.5 "
                       "lc rgb '#888888'\n", cal_end, cal_end, ytop);
        snprintf(where, sizeof where, "%.17g, %.17g", cal_end, ytop * 0.97);
        chart_label(c, chart_tr(c, "end of calibration ", "fin de la calibration "), 0, where,
                    "right tc rgb '#555555'");
    }
    sbuf_add(b, "set key top left reverse Left samplen 2\n"
                "plot $track using 1:2 with lines lw 3 lc rgb '#1f4e79' title ");
    sbuf_str(b, chart_tr(c, "observed", "observés"), 0);
    sbuf_add(b, ", \\\n     $track using 1:3 with lines lw 2.5 dt 2 lc rgb '#d9822b' title ");
    sbuf_str(b, chart_tr(c, "predicted by the model", "prévus par le modèle"), 0);
    sbuf_add(b, "\n");
    return 0;
}

/* ---- value ------------------------------------------------------------ */

struct ranked { double value; size_t cls; };

static int ranked_desc(const void *pa, const void *pb)
{
    const struct ranked *a = pa, *b = pb;
    return a->value < b->value ? 1 : a->value > b->value ? -1 :
           a->cls < b->cls ? -1 : a->cls > b->cls;
}

int chart_value(struct chart *c, struct diag *diag)
{
    const struct table *t = c->t;
    const struct plot_options *o = c->o;
    struct buf *b = &c->sb;
    size_t n = c->nrows;
    long vcol = chart_need_column(c, "clv", diag);
    if (vcol < 0)
        return -1;
    long ccol = chart_find_column(t, "class");
    double top = chart_head(c, chart_tr(c, "Who carries the future business: clients ranked by "
                                        "expected value", "Qui fera le chiffre de demain : "
                                        "clients classés par valeur attendue"));
    struct ranked *items = malloc((n ? n : 1) * sizeof *items);
    if (!items)
        return diag_set(diag, "out of memory");
    /* classes by name, in byte order ("A" < "B" < ... < "-" last) */
    const char *names[6] = { 0 };
    size_t nclasses = 0, m = 0, no_value = 0;
    double total = 0;
    for (size_t i = 0; i < n; i++) {
        double v;
        if (chart_number(c, i, vcol, 1, &v, diag) != 0) {
            free(items);
            return -1;
        }
        if (isnan(v)) {
            no_value++;
            continue;
        }
        size_t cls = 0;
        if (ccol >= 0) {
            const char *name = chart_cell(c, i, ccol);
            for (cls = 0; cls < nclasses && strcmp(names[cls], name) != 0; cls++)
                ;
            if (cls == nclasses) {
                if (nclasses == 5) {
                    free(items);
                    return diag_set(diag, "%s: more than 5 classes in \"class\"", t->name);
                }
                names[nclasses++] = name;
            }
        }
        items[m].value = v < 0 ? 0 : v;
        items[m].cls = cls;
        total += items[m].value;
        m++;
    }
    if (m == 0 || !(total > 0)) {
        free(items);
        return diag_set(diag, "%s: no client with an expected value above 0 to rank", t->name);
    }
    /* classes in order of name, '-' (no positive value today) last */
    size_t order[6];
    for (size_t k = 0; k < nclasses; k++)
        order[k] = k;
    for (size_t a = 1; a < nclasses; a++)
        for (size_t j = a; j > 0; j--) {
            const char *x = names[order[j - 1]], *y = names[order[j]];
            int swap = strcmp(x, "-") == 0 ? strcmp(y, "-") != 0 : strcmp(y, "-") != 0 &&
                       strcmp(x, y) > 0;
            if (!swap)
                break;
            size_t keep = order[j];
            order[j] = order[j - 1];
            order[j - 1] = keep;
        }
    size_t rank_of[6];
    for (size_t k = 0; k < nclasses; k++)
        rank_of[order[k]] = k;
    for (size_t i = 0; i < m; i++)
        items[i].cls = ccol >= 0 ? rank_of[items[i].cls] : 0;
    qsort(items, m, sizeof *items, ranked_desc);

    double carried[6] = { 0 };
    size_t members[6] = { 0 };
    size_t boxes = m < VALUE_BOXES ? m : VALUE_BOXES;
    sbuf_add(b, "$curve << EOD\n");
    double cum = 0;
    size_t i = 0;
    for (size_t box = 0; box < boxes; box++) {
        size_t end = (box + 1) * m / boxes;
        size_t cls = items[i].cls;
        double from = (double)i / (double)m;
        for (; i < end; i++) {
            cum += items[i].value;
            carried[items[i].cls] += items[i].value;
            members[items[i].cls]++;
        }
        sbuf_printf(b, "%.6g %.6g %.6g %u\n", from, (double)end / (double)m, cum / total,
                chart_class_colour(cls));
    }
    sbuf_add(b, "EOD\n");
    free(items);
    sbuf_printf(b, "set lmargin at screen 0.09\nset rmargin at screen 0.70\n"
                "set tmargin at screen %.3f\nset bmargin at screen 0.13\n", top - 0.02);
    sbuf_add(b, "set xrange [0:1]\nset yrange [0:1.02]\nset xtics (");
    for (int k = 0; k <= 5; k++) {
        char pct[64];
        sbuf_printf(b, "%s", k ? ", " : "");
        sbuf_tic(b, chart_pct(c, k / 5.0, 0, pct), 0);
        sbuf_printf(b, " %.1f", k / 5.0);
    }
    sbuf_add(b, ")\nset ytics (");
    for (int k = 0; k <= 5; k++) {
        char pct[64];
        sbuf_printf(b, "%s", k ? ", " : "");
        sbuf_tic(b, chart_pct(c, k / 5.0, 0, pct), 0);
        sbuf_printf(b, " %.1f", k / 5.0);
    }
    sbuf_add(b, ")\nset xlabel ");
    sbuf_str(b, chart_tr(c, "Share of the clients, ranked by expected value",
                  "Part des clients, classés par valeur attendue"), 0);
    sbuf_add(b, "\nset ylabel ");
    sbuf_str(b, chart_tr(c, "Cumulative share of the expected value",
                  "Part cumulée de la valeur attendue"), 0);
    sbuf_add(b, "\nset grid lc rgb '#dddddd'\n");
    /* what each of today's classes carries, beside the chart */
    double y = top - 0.10;
    if (ccol >= 0) {
        sbuf_add(b, "set label 801 ");
        sbuf_str(b, chart_tr(c, "Today" APOSTROPHE "s classes: their share",
                             "Classes actuelles : leur part"), 0);
        sbuf_printf(b, " at screen 0.72, screen %.3f left font '" FONT ":Bold'\n", y);
        y -= 0.045;
        sbuf_add(b, "set label 802 ");
        sbuf_str(b, chart_tr(c, "of the expected value", "de la valeur attendue"), 0);
        sbuf_printf(b, " at screen 0.72, screen %.3f left font '" FONT ":Bold'\n", y);
        for (size_t k = 0; k < nclasses; k++) {
            char text[256], pct[64], cnt[64];
            const char *name = names[order[k]];
            snprintf(text, sizeof text, "%s: %s, %s %s", name,
                     l10n_percent(carried[k] / total, 1, o->lang, pct),
                     l10n_number((double)members[k], 0, o->lang, cnt),
                     chart_tr(c, "clients", "clients"));
            y -= 0.06;
            sbuf_printf(b, "set object %zu rect from screen 0.72, screen %.3f to screen 0.74, "
                        "screen %.3f fc rgb '#%06x' fs solid 1.0 noborder\n",
                    810 + k, y - 0.015, y + 0.015, chart_class_colour(k));
            sbuf_printf(b, "set label %zu ", 810 + k);
            sbuf_str(b, text, 40);
            sbuf_printf(b, " at screen 0.75, screen %.3f left\n", y);
        }
    }
    if (no_value) {
        char text[200], cnt[64];
        snprintf(text, sizeof text, chart_tr(c, "%s clients without a value (repeat spend <= 0) "
                                       "left out", "%s clients sans valeur (achats répétés "
                                       "<= 0) écartés"),
                 l10n_number((double)no_value, 0, o->lang, cnt));
        sbuf_add(b, "set label 899 ");
        sbuf_str(b, text, 0);
        sbuf_add(b, " at screen 0.01, screen 0.02 left tc rgb '#555555'\n");
    }
    sbuf_add(b, "plot $curve using (($1+$2)/2):3:1:2:(0):3:4 with boxxyerror lc rgb variable\n");
    return 0;
}
