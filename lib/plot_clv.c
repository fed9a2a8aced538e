/* plot_clv — the bodies of the alive, holdout and value charts (see
 * plot_clv.h): read the cl-clv tables, reduce them to a few hundred numbers
 * and write the gnuplot commands that draw them. */
#include "plot_clv.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parse.h"

#define FONT "DejaVu Sans"
#define VALUE_BOXES 500     /* the value curve drawn as at most this many boxes */
#define ALIVE_BINS 20       /* recency bins of the alive matrix */

/* Today's classes, strongest first: the colours of plot.c's class charts. */
static const unsigned class_rgb[] = { 0x1f4e79, 0x4a90c8, 0xa9cbe8, 0xd3e3f1, 0xe9f1f8 };

int plot_clv_kind(enum plot_kind kind)
{
    return kind == PLOT_ALIVE || kind == PLOT_HOLDOUT || kind == PLOT_VALUE;
}

static const char *tr(enum plot_lang lang, const char *en, const char *fr)
{
    return lang == PLOT_FR ? fr : en;
}

const char *plot_clv_title(enum plot_kind kind, enum plot_lang lang)
{
    switch (kind) {
    case PLOT_ALIVE:
        return tr(lang, "How likely is each client to be still buying?",
                  "Quelle chance que chaque client achète encore ?");
    case PLOT_HOLDOUT:
        return tr(lang, "Purchases predicted and observed in the holdout period",
                  "Achats prévus et observés sur la période de contrôle");
    default:
        return tr(lang, "Who carries the future business: clients ranked by expected value",
                  "Qui fera le chiffre de demain : clients classés par valeur attendue");
    }
}

/* ---- reading ---------------------------------------------------------- */

static long need(const struct table *t, const char *name, const char *kind, struct diag *diag)
{
    long col = table_find(t, name);
    if (col < 0)
        diag_set(diag, "%s: no column \"%s\" (the %s chart reads %s)", t->name, name, kind,
                 strcmp(kind, "holdout") == 0 ? "cl-clv --holdout" : "the rows of cl-clv");
    return col;
}

/* The number in row r, column col; NaN for an empty cell when allowed. */
static int number(const struct table *t, size_t r, long col, int allow_empty, double *out,
                  struct diag *diag)
{
    const char *cell = table_cell(t, r, (size_t)col);
    char mark = t->delim == ';' ? ',' : '.', q[64];
    if (*cell == '\0' && allow_empty) {
        *out = NAN;
        return 0;
    }
    if (parse_double(cell, strlen(cell), &mark, out) != PARSE_OK)
        return diag_set(diag, "%s:%ld: %s \"%s\" is not a number", t->name, t->lines[r],
                        t->header[col], diag_quote(cell, strlen(cell), q, sizeof q));
    return 0;
}

static void quoted(FILE *fp, const char *text, size_t max_chars)
{
    char q[1024];
    fputs(plot_quote(text, max_chars, q, sizeof q), fp);
}

/* A tic label: gnuplot reads it as a format, so '%' is doubled. */
static void tic(FILE *fp, const char *text, size_t max_chars)
{
    char doubled[256];
    size_t o = 0;
    for (const char *p = text; *p && o + 3 < sizeof doubled; p++) {
        doubled[o++] = *p;
        if (*p == '%')
            doubled[o++] = '%';
    }
    doubled[o] = '\0';
    quoted(fp, doubled, max_chars);
}

/* ---- alive ------------------------------------------------------------ */

static int alive(FILE *fp, const struct table *t, const struct plot_options *o,
                 const size_t *rows, size_t n, double top, struct diag *diag)
{
    long fcol = need(t, "frequency", "alive", diag), rcol = fcol < 0 ? -1 :
        need(t, "recency", "alive", diag), pcol = rcol < 0 ? -1 : need(t, "p_alive", "alive", diag);
    if (pcol < 0)
        return -1;
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
        if (number(t, rows[i], fcol, 0, &f[i], diag) != 0 ||
            number(t, rows[i], rcol, 0, &rec[i], diag) != 0 ||
            number(t, rows[i], pcol, 0, &p[i], diag) != 0)
            goto done;
        if (!(f[i] >= 0) || f[i] > 1e6 || !(rec[i] >= 0) || !(p[i] >= 0 && p[i] <= 1)) {
            diag_set(diag, "%s:%ld: not a cl-clv row (frequency, recency, p_alive out of range)",
                     t->name, t->lines[rows[i]]);
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
    fputs("$cells << EOD\n", fp);
    for (int row = 0; row <= cap; row++)
        for (int bin = 0; bin < bins; bin++) {
            size_t k = (size_t)row * (size_t)bins + (size_t)bin;
            if (count[k])
                fprintf(fp, "%.6g %d %.6g %.6g %.6g %.6g %.6g\n", (bin + 0.5) * width, row,
                        bin * width, (bin + 1) * width, row - 0.5, row + 0.5,
                        sum[k] / (double)count[k]);
        }
    fputs("EOD\n", fp);
    fprintf(fp, "set lmargin at screen 0.09\nset rmargin at screen 0.84\n"
                "set tmargin at screen %.3f\nset bmargin at screen 0.13\n", top - 0.02);
    fprintf(fp, "set xrange [0:%.6g]\nset yrange [-0.5:%.1f]\n", bins * width, cap + 0.5);
    fputs("set ytics (", fp);
    int step = cap > 20 ? 5 : cap > 10 ? 2 : 1;
    for (int row = 0; row <= cap; row += step) {
        char label[32];
        snprintf(label, sizeof label, "%d%s", row, row == cap && fmax > cap ? "+" : "");
        fprintf(fp, "%s'%s' %d", row ? ", " : "", label, row);
    }
    if (cap % step && cap > 0)
        fprintf(fp, ", '%d%s' %d", cap, fmax > cap ? "+" : "", cap);
    fputs(")\n", fp);
    fputs("set xlabel ", fp);
    quoted(fp, tr(o->lang, "Recency: time from the first to the last purchase",
                  "Récence : temps du premier au dernier achat"), 0);
    fputs("\nset ylabel ", fp);
    quoted(fp, tr(o->lang, "Frequency: repeat purchases", "Fréquence : achats répétés"), 0);
    fputs("\nset cbrange [0:1]\n"
          "set palette defined (0 '#b42318', 0.5 '#f2c94c', 1 '#1a7f37')\n"
          "set colorbox user origin screen 0.87, screen 0.2 size screen 0.025, screen 0.55\n"
          "set cbtics (", fp);
    for (int k = 0; k <= 4; k++) {
        char pct[64];
        fprintf(fp, "%s", k ? ", " : "");
        tic(fp, plot_format_percent(k / 4.0, 0, o->lang, pct), 0);
        fprintf(fp, " %.2f", k / 4.0);
    }
    fputs(")\nset cblabel ", fp);
    quoted(fp, tr(o->lang, "P(alive), mean of the clients of the cell",
                  "P(actif), moyenne des clients de la case"), 0);
    fputs("\nset grid front lc rgb '#ffffff' lw 0.5\n"
          "plot $cells using 1:2:3:4:5:6:7 with boxxyerror fs solid 1.0 lc palette\n", fp);
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

static int holdout(FILE *fp, const struct table *t, const struct plot_options *o,
                   const size_t *rows, size_t n, double top, struct diag *diag)
{
    long fcol = need(t, "frequency", "holdout", diag), pcol = fcol < 0 ? -1 :
        need(t, "predicted", "holdout", diag), acol = pcol < 0 ? -1 :
        need(t, "actual", "holdout", diag);
    if (acol < 0)
        return -1;
    long ucol = table_find(t, "holdout_units");
    double ymax = 0, units = NAN;
    size_t groups = 0;
    fputs("$groups << EOD\n", fp);
    for (size_t i = 0; i < n; i++) {
        const char *label = table_cell(t, rows[i], (size_t)fcol);
        if (strcmp(label, "all") == 0)
            continue;
        double pred, act;
        if (number(t, rows[i], pcol, 1, &pred, diag) != 0 ||
            number(t, rows[i], acol, 1, &act, diag) != 0)
            return -1;
        if (ucol >= 0 && isnan(units) && number(t, rows[i], ucol, 1, &units, diag) != 0)
            return -1;
        fprintf(fp, "%zu %.6g %.6g\n", groups, isnan(pred) ? 0 : pred, isnan(act) ? 0 : act);
        ymax = fmax(ymax, fmax(isnan(pred) ? 0 : pred, isnan(act) ? 0 : act));
        groups++;
    }
    fputs("EOD\n", fp);
    if (groups == 0)
        return diag_set(diag, "%s: no frequency row to draw (the holdout chart reads "
                        "cl-clv --holdout)", t->name);
    fprintf(fp, "set lmargin at screen 0.09\nset rmargin at screen 0.97\n"
                "set tmargin at screen %.3f\nset bmargin at screen 0.15\n", top - 0.06);
    fprintf(fp, "set xrange [-0.6:%.1f]\nset yrange [0:%.6g]\n", groups - 0.4,
            ymax > 0 ? ymax * 1.12 : 1);
    fputs("set xtics (", fp);
    size_t g = 0;
    for (size_t i = 0; i < n; i++) {
        const char *label = table_cell(t, rows[i], (size_t)fcol);
        if (strcmp(label, "all") == 0)
            continue;
        fprintf(fp, "%s", g ? ", " : "");
        tic(fp, label, 12);
        fprintf(fp, " %zu", g++);
    }
    fputs(")\nset xlabel ", fp);
    quoted(fp, tr(o->lang, "Repeat purchases in the calibration period",
                  "Achats répétés sur la période de calibrage"), 0);
    fputs("\nset ylabel ", fp);
    if (isnan(units)) {
        quoted(fp, tr(o->lang, "Mean purchases per client in the holdout",
                      "Achats moyens par client sur la période de contrôle"), 0);
    } else {
        char text[200], num[64];
        snprintf(text, sizeof text, tr(o->lang, "Mean purchases per client over %s periods",
                                       "Achats moyens par client sur %s périodes"),
                 plot_format_number(units, units == floor(units) ? 0 : 1, o->lang, num));
        quoted(fp, text, 0);
    }
    fputs("\nset key top left reverse Left samplen 1.5\n"
          "set grid ytics lc rgb '#dddddd'\n"
          "plot $groups using 1:2:($1-0.38):($1-0.02):(0):2 with boxxyerror "
          "lc rgb '#a9cbe8' title ", fp);
    quoted(fp, tr(o->lang, "predicted (BG/NBD)", "prévus (BG/NBD)"), 0);
    fputs(", \\\n     $groups using 1:3:($1+0.02):($1+0.38):(0):3 with boxxyerror "
          "lc rgb '#1f4e79' title ", fp);
    quoted(fp, tr(o->lang, "observed", "observés"), 0);
    fputs("\n", fp);
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

static int value(FILE *fp, const struct table *t, const struct plot_options *o,
                 const size_t *rows, size_t n, double top, struct diag *diag)
{
    long vcol = need(t, "clv", "value", diag);
    if (vcol < 0)
        return -1;
    long ccol = table_find(t, "class");
    struct ranked *items = malloc((n ? n : 1) * sizeof *items);
    if (!items)
        return diag_set(diag, "out of memory");
    /* classes by name, in byte order ("A" < "B" < ... < "-" last) */
    const char *names[6] = { 0 };
    size_t nclasses = 0, m = 0, no_value = 0;
    double total = 0;
    for (size_t i = 0; i < n; i++) {
        double v;
        if (number(t, rows[i], vcol, 1, &v, diag) != 0) {
            free(items);
            return -1;
        }
        if (isnan(v)) {
            no_value++;
            continue;
        }
        size_t cls = 0;
        if (ccol >= 0) {
            const char *name = table_cell(t, rows[i], (size_t)ccol);
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
        for (size_t b = a; b > 0; b--) {
            const char *x = names[order[b - 1]], *y = names[order[b]];
            int swap = strcmp(x, "-") == 0 ? strcmp(y, "-") != 0 : strcmp(y, "-") != 0 &&
                       strcmp(x, y) > 0;
            if (!swap)
                break;
            size_t keep = order[b];
            order[b] = order[b - 1];
            order[b - 1] = keep;
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
    fputs("$curve << EOD\n", fp);
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
        fprintf(fp, "%.6g %.6g %.6g %u\n", from, (double)end / (double)m, cum / total,
                class_rgb[cls < 5 ? cls : 4]);
    }
    fputs("EOD\n", fp);
    free(items);
    fprintf(fp, "set lmargin at screen 0.09\nset rmargin at screen 0.70\n"
                "set tmargin at screen %.3f\nset bmargin at screen 0.13\n", top - 0.02);
    fputs("set xrange [0:1]\nset yrange [0:1.02]\nset xtics (", fp);
    for (int k = 0; k <= 5; k++) {
        char pct[64];
        fprintf(fp, "%s", k ? ", " : "");
        tic(fp, plot_format_percent(k / 5.0, 0, o->lang, pct), 0);
        fprintf(fp, " %.1f", k / 5.0);
    }
    fputs(")\nset ytics (", fp);
    for (int k = 0; k <= 5; k++) {
        char pct[64];
        fprintf(fp, "%s", k ? ", " : "");
        tic(fp, plot_format_percent(k / 5.0, 0, o->lang, pct), 0);
        fprintf(fp, " %.1f", k / 5.0);
    }
    fputs(")\nset xlabel ", fp);
    quoted(fp, tr(o->lang, "Share of the clients, ranked by expected value",
                  "Part des clients, classés par valeur attendue"), 0);
    fputs("\nset ylabel ", fp);
    quoted(fp, tr(o->lang, "Cumulative share of the expected value",
                  "Part cumulée de la valeur attendue"), 0);
    fputs("\nset grid lc rgb '#dddddd'\n", fp);
    /* what each of today's classes carries, beside the chart */
    double y = top - 0.10;
    if (ccol >= 0) {
        fputs("set label 801 ", fp);
        quoted(fp, tr(o->lang, "Today's classes: their share", "Classes actuelles : leur part"), 0);
        fprintf(fp, " at screen 0.72, screen %.3f left font '" FONT ":Bold'\n", y);
        y -= 0.045;
        fputs("set label 802 ", fp);
        quoted(fp, tr(o->lang, "of the expected value", "de la valeur attendue"), 0);
        fprintf(fp, " at screen 0.72, screen %.3f left font '" FONT ":Bold'\n", y);
        for (size_t k = 0; k < nclasses; k++) {
            char text[256], pct[64], cnt[64];
            const char *name = names[order[k]];
            snprintf(text, sizeof text, "%s: %s, %s %s", name,
                     plot_format_percent(carried[k] / total, 1, o->lang, pct),
                     plot_format_number((double)members[k], 0, o->lang, cnt),
                     tr(o->lang, "clients", "clients"));
            y -= 0.06;
            fprintf(fp, "set object %zu rect from screen 0.72, screen %.3f to screen 0.74, "
                        "screen %.3f fc rgb '#%06x' fs solid 1.0 noborder\n",
                    810 + k, y - 0.015, y + 0.015, class_rgb[k < 5 ? k : 4]);
            fprintf(fp, "set label %zu ", 810 + k);
            quoted(fp, text, 40);
            fprintf(fp, " at screen 0.75, screen %.3f left\n", y);
        }
    }
    if (no_value) {
        char text[200], cnt[64];
        snprintf(text, sizeof text, tr(o->lang, "%s clients without a value (repeat spend <= 0) "
                                       "left out", "%s clients sans valeur (achats répétés "
                                       "<= 0) écartés"),
                 plot_format_number((double)no_value, 0, o->lang, cnt));
        fputs("set label 899 ", fp);
        quoted(fp, text, 0);
        fputs(" at screen 0.01, screen 0.02 left tc rgb '#555555'\n", fp);
    }
    fputs("plot $curve using (($1+$2)/2):3:1:2:(0):3:4 with boxxyerror lc rgb variable\n", fp);
    return 0;
}

int plot_clv_body(enum plot_kind kind, const struct table *t, const struct plot_options *o,
                  const size_t *rows, size_t nrows, double top, int font_size, char **body,
                  struct diag *diag)
{
    (void)font_size;
    char *text = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&text, &len);
    if (!fp)
        return diag_set(diag, "out of memory");
    int rc = kind == PLOT_ALIVE ? alive(fp, t, o, rows, nrows, top, diag)
           : kind == PLOT_HOLDOUT ? holdout(fp, t, o, rows, nrows, top, diag)
           : value(fp, t, o, rows, nrows, top, diag);
    if (fclose(fp) != 0 && rc == 0)
        rc = diag_set(diag, "out of memory");
    if (rc != 0) {
        free(text);
        return -1;
    }
    *body = text;
    return 0;
}
