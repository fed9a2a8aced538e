/* plot_chart — the skeleton of a chart: the script buffer, reading the
 * table, words and numbers in the chart's language, and the pieces every
 * chart kind is made of (see plot_chart.h). */
#include "plot_chart.h"

#include <assert.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "columns.h"
#include "parse.h"
#include "utf8.h"

const struct chart_layout chart_layout = {
    .ref_width = 1280, .ref_height = 720,
    .min_scale = 0.4,
    .base_pt = 14,
    .min_pt = 6,
    .px_per_pt = 4.0 / 3.0,
    .char_px_per_pt = 0.72,     /* DejaVu Sans: about 0.54 em a character */
    .row_px_per_pt = 1.7,
    .pt = { .title = 21, .subtitle = 15, .axis = 15, .panel = 14, .callout = 14, .key = 14,
            .label = 13, .small = 12, .note = 11 },
    .image = { .title_y = 0.955, .subtitle_y = 0.905, .top = 0.915, .top_subtitle = 0.87,
               .note_x = 0.012, .note_y = 0.018, .note_step = 0.032 },
    .text = { .title_y = 0.97, .subtitle_y = 0.90, .top = 0.90, .top_subtitle = 0.84,
              .note_x = 0.012, .note_y = 0.02, .note_step = 0.05 },
    .ink = { .title = "#1a1a1a", .subtitle = "#555555", .axis = "#333333", .label = "#1a1a1a",
             .note = "#666666" },
};

/* ====================================================================== */
/* The script buffer                                                       */

/* Append text as a quoted gnuplot string, cut to max_chars (0: whole). */
void sbuf_str(struct buf *b, const char *text, size_t max_chars)
{
    size_t n = strlen(text ? text : "");
    size_t size = 8 * n + 32;   /* a quote alone takes 7 bytes: ' . "'" */
    if (buf_reserve(b, size) != 0)
        return;
    plot_quote(text, max_chars, b->data + b->len, size);
    b->len += strlen(b->data + b->len);
}

/* Append text as a quoted tic label: gnuplot reads a tic label as a
 * format (the position fills a %-spec), so every '%' is doubled. */
void sbuf_tic(struct buf *b, const char *text, size_t max_chars)
{
    size_t start = b->len;
    char cut[48];
    if (text && strchr(text, '%') && strlen(text) > 40) {
        /* gnuplot cuts a formatted tic label at 49 bytes: cut it first,
         * at a character boundary, leaving room for the ellipsis */
        size_t n = 40;
        while (n > 0 && utf8_continuation((unsigned char)text[n]))
            n--;
        memcpy(cut, text, n);
        memcpy(cut + n, ELLIPSIS, 4);
        text = cut;
    }
    sbuf_str(b, text, max_chars);
    if (b->failed)
        return;
    size_t percents = 0;
    for (size_t i = start; i < b->len; i++)
        percents += b->data[i] == '%';
    if (percents == 0 || buf_reserve(b, percents) != 0)
        return;
    /* spread from the end so that each byte moves once */
    size_t from = b->len, to = b->len + percents;
    b->data[to] = '\0';
    while (from > start) {
        char ch = b->data[--from];
        b->data[--to] = ch;
        if (ch == '%')
            b->data[--to] = '%';
    }
    b->len += percents;
}

/* Decimals that show a percentage honestly: 1 below 10%, else none. */
int chart_percent_decimals(double fraction)
{
    double p = fabs(fraction) * 100.0;
    return p > 0 && p < 9.95 ? 1 : 0;
}

/* A tick step of 1, 2, 2.5 or 5 times a power of ten giving about
 * `target` steps over range. */
double chart_nice_step(double range, int target)
{
    if (!(range > 0))
        return 1;
    double raw = range / target;
    double mag = pow(10, floor(log10(raw)));
    double f = raw / mag;
    double nice = f <= 1 ? 1 : f <= 2 ? 2 : f <= 2.5 ? 2.5 : f <= 5 ? 5 : 10;
    return nice * mag;
}

int chart_step_decimals(double step)
{
    int d = 0;
    while (d < 6 && fabs(step * pow(10, d) - round(step * pow(10, d))) > 1e-9 * pow(10, d))
        d++;
    return d;
}

/* ====================================================================== */
/* The chart being built                                                   */

const char *chart_tr(const struct chart *c, const char *en, const char *fr)
{
    return c->o->lang == L10N_FR ? fr : en;
}

char *chart_num(const struct chart *c, double v, int decimals, char *out)
{
    return l10n_number(v, decimals, c->o->lang, out);
}

char *chart_count(const struct chart *c, double n, const char *one, const char *many, char *out)
{
    chart_num(c, n, 0, out);
    size_t len = strlen(out);
    snprintf(out + len, 64 - len, " %s", n == 1 ? one : many);
    return out;
}

char *chart_pct(const struct chart *c, double v, int decimals, char *out)
{
    return l10n_percent(v, decimals, c->o->lang, out);
}

int chart_font(const struct chart *c, double points)
{
    const struct chart_layout *L = &chart_layout;
    int size = (int)lround(points * c->fs / L->base_pt);
    return size < L->min_pt ? L->min_pt : size;
}

/* A column by exact name, else by folded name; -1 when absent. */
long chart_find_column(const struct table *t, const char *name)
{
    long col = table_find(t, name);
    if (col >= 0)
        return col;
    char want[256], have[256];
    columns_fold(name, want, sizeof want);
    for (size_t i = 0; i < t->columns; i++)
        if (strcmp(columns_fold(t->header[i], have, sizeof have), want) == 0)
            return (long)i;
    return -1;
}

long chart_need_column(const struct chart *c, const char *name, struct diag *diag)
{
    long col = chart_find_column(c->t, name);
    if (col < 0)
        diag_set(diag, "%s: no column \"%s\": the %s chart reads %s",
                 c->t->name, name, c->o->kind->name, c->o->kind->reads);
    return col;
}

const char *chart_cell(const struct chart *c, size_t r, long col)
{
    return table_cell(c->t, c->rows[r], (size_t)col);
}

int chart_column_mark(const struct chart *c, long col, char *mark, struct diag *diag)
{
    *mark = c->mark;
    if (c->mark || !c->col_mark)
        return 0;
    if (c->col_mark[col] != 2) {
        *mark = c->col_mark[col];
        return 0;
    }
    struct parse_mark pm;
    parse_mark_init(&pm, 0);
    for (size_t r = 0; r < c->t->rows; r++) {
        const char *s = table_cell(c->t, r, (size_t)col);
        double v;
        if (parse_double_mark(&pm, c->t->lines[r], s, strlen(s), &v) == PARSE_MARK_CONFLICT) {
            char text[DIAG_MAX], role[200];
            const char *name = c->t->header[col];
            diag_quote(name, strlen(name), role, sizeof role);
            return diag_set(diag, "%s:%ld: %s", c->t->name, c->t->lines[r],
                            parse_mark_conflict(&pm, role, s, strlen(s), text, sizeof text));
        }
    }
    c->col_mark[col] = pm.mark;
    *mark = pm.mark;
    return 0;
}

/* A column with a percent sign somewhere: every value has one, or none
 * has (checked once per column). @return 0, or -1 with diag set. */
static int chart_percent_column(const struct chart *c, long col, struct diag *diag)
{
    struct parse_percent_column signs;
    parse_percent_column_init(&signs);
    for (size_t r = 0; r < c->nrows; r++) {
        const char *s = chart_cell(c, r, col);
        size_t len = strlen(s), n = len;
        while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
            n--;
        if (n == 0)
            continue;           /* an empty cell says nothing */
        if (parse_percent_column_note(&signs, c->t->lines[c->rows[r]], s, len) != 0) {
            char text[DIAG_MAX], role[200];
            const char *name = c->t->header[col];
            diag_quote(name, strlen(name), role, sizeof role);
            return diag_set(diag, "%s: %s", c->t->name,
                            parse_percent_mixed(&signs, role, text, sizeof text));
        }
    }
    c->col_percent[col] = 1;
    return 0;
}

/* ---- plain decimals read exactly without strtod (plot_chart.h) -------- */

/* The bits of q above its leading zeros. */
static int bit_length(unsigned __int128 q)
{
    uint64_t high = (uint64_t)(q >> 64), low = (uint64_t)q;
    return high ? 128 - __builtin_clzll(high) : low ? 64 - __builtin_clzll(low) : 0;
}

/* (q + a fraction, non-zero when sticky) × 2^exp2, rounded once to the
 * nearest double, ties to even. q > 0, and q has more than 53 bits when
 * sticky; the result is a normal double (callers keep exp2 small). */
static double round_to_double(unsigned __int128 q, int sticky, int exp2)
{
    int bits = bit_length(q);
    assert(bits > 0 && (!sticky || bits > 53));
    uint64_t mantissa = (uint64_t)q;
    if (bits > 53) {
        int shift = bits - 53;
        unsigned __int128 one = 1, rest = q & ((one << shift) - 1), half = one << (shift - 1);
        mantissa = (uint64_t)(q >> shift);
        if (rest > half || (rest == half && (sticky || (mantissa & 1))))
            mantissa++;         /* 2^53 at most: still exact in a double */
        exp2 += shift;
    }
    return ldexp((double)mantissa, exp2);
}

int chart_plain_number(const char *s, char mark, double *out)
{
    static const double pow10[] = {
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22
    };
    const unsigned char *p = (const unsigned char *)s;
    int negative = *p == '-';
    p += *p == '-' || *p == '+';
    uint64_t digits = 0;        /* the significant digits, 19 at most */
    int significant = 0, seen = 0, exp10 = 0;
    for (; *p >= '0' && *p <= '9'; p++, seen = 1) {
        if (significant == 0 && *p == '0')
            continue;
        if (++significant > 19)
            return 0;
        digits = digits * 10 + (uint64_t)(*p - '0');
    }
    if (*p == '.' && mark != ',') {
        for (p++; *p >= '0' && *p <= '9'; p++, seen = 1) {
            exp10--;
            if (significant == 0 && *p == '0')
                continue;
            if (++significant > 19)
                return 0;
            digits = digits * 10 + (uint64_t)(*p - '0');
        }
    }
    if (!seen)
        return 0;
    if (*p == 'e' || *p == 'E') {
        p++;
        int exp_negative = *p == '-', e = 0, n = 0;
        p += *p == '-' || *p == '+';
        for (; *p >= '0' && *p <= '9'; p++) {
            if (++n > 4)
                return 0;
            e = e * 10 + (*p - '0');
        }
        if (n == 0)
            return 0;
        exp10 += exp_negative ? -e : e;
    }
    if (*p != '\0')
        return 0;
    double value;
    if (digits == 0) {
        value = 0;
    } else if (digits <= (uint64_t)1 << 53 && exp10 >= -22 && exp10 <= 22) {
        /* both exact in a double: one correctly rounded operation */
        value = exp10 < 0 ? (double)digits / pow10[-exp10] : (double)digits * pow10[exp10];
    } else if (exp10 >= -27 && exp10 <= 27) {
        /* 10^k = 5^k 2^k, 5^27 < 2^63 */
        int k = exp10 < 0 ? -exp10 : exp10;
        uint64_t pow5 = 1;
        for (int i = 0; i < k; i++)
            pow5 *= 5;
        if (exp10 >= 0) {
            value = round_to_double((unsigned __int128)digits * pow5, 0, k);
        } else {
            /* the digits' top bit at bit 127: a quotient of 65 bits or more */
            int lead = __builtin_clzll(digits);
            unsigned __int128 num = (unsigned __int128)(digits << lead) << 64;
            unsigned __int128 q = num / pow5;
            value = round_to_double(q, num - q * pow5 != 0, -64 - lead - k);
        }
    } else {
        return 0;
    }
    *out = negative ? -value : value;
    return 1;
}

/* The number in row r, column col. Empty: NaN when allow_empty, else an
 * error. @return 0, or -1 with diag set. */
int chart_number(const struct chart *c, size_t r, long col, int allow_empty,
                       double *value, struct diag *diag)
{
    const char *s = chart_cell(c, r, col);
    char mark;
    if (chart_column_mark(c, col, &mark, diag) != 0)
        return -1;
    if (chart_plain_number(s, mark, value))    /* what parse_share reads it as */
        return 0;
    size_t len = strlen(s);
    int percent;
    enum parse_status st = parse_share(s, len, PARSE_IN_FRACTION, &mark, value, &percent);
    if (st == PARSE_OK && percent && !c->col_percent[col] &&
        chart_percent_column(c, col, diag) != 0)
        return -1;
    if (st == PARSE_OK && isfinite(*value))
        return 0;
    if (st == PARSE_EMPTY && allow_empty == CHART_GAP && c->o->strict)
        return diag_set(diag, "%s:%ld: %s is empty (--strict)", c->t->name,
                        c->t->lines[c->rows[r]], c->t->header[col]);
    if (st == PARSE_EMPTY && allow_empty) {
        struct plot_gaps *gaps = allow_empty == CHART_GAP ? c->o->gaps : NULL;
        if (gaps && gaps->count++ == 0) {
            gaps->first_line = c->t->lines[c->rows[r]];
            snprintf(gaps->column, sizeof gaps->column, "%s", c->t->header[col]);
        }
        *value = NAN;
        return 0;
    }
    char quoted[64];
    return diag_set(diag, "%s:%ld: %s \"%s\" %s", c->t->name, c->t->lines[c->rows[r]],
                    c->t->header[col], diag_quote(s, len, quoted, sizeof quoted),
                    st == PARSE_OK ? "is not a finite number" : parse_status_text(st));
}

/* ---- curves of many points (plot_chart.h states the rule) ------------ */

double chart_curve_tolerance(const struct chart *c, size_t n)
{
    if (n <= CHART_CURVE_WHOLE)
        return 0;
    int side = c->o->width > c->o->height ? c->o->width : c->o->height;
    return 0.25 / (side > 0 ? side : 1);
}

void chart_curve_init(struct chart_curve *cv, struct buf *b, double tolerance, int extra)
{
    *cv = (struct chart_curve){ .b = b, .tolerance = tolerance, .extra = extra };
}

static void curve_write(struct chart_curve *cv, double x, double y, unsigned extra)
{
    if (cv->extra)
        sbuf_printf(cv->b, "%.17g %.17g %u\n", x, y, extra);
    else
        sbuf_printf(cv->b, "%.17g %.17g\n", x, y);
    cv->last_x = x;
    cv->last_y = y;
    cv->written = 1;
    cv->count++;
}

void chart_curve_add(struct chart_curve *cv, double x, double y, unsigned extra, int keep)
{
    if (!cv->written || cv->tolerance <= 0) {
        curve_write(cv, x, y, extra);
        return;
    }
    int leaves = fabs(x - cv->last_x) > cv->tolerance || fabs(y - cv->last_y) > cv->tolerance;
    if (cv->held && (leaves || keep)) {
        curve_write(cv, cv->held_x, cv->held_y, cv->held_extra);
        cv->held = 0;
    }
    if (keep) {
        curve_write(cv, x, y, extra);
        return;
    }
    cv->held_x = x;
    cv->held_y = y;
    cv->held_extra = extra;
    cv->held = 1;
}

void chart_curve_end(struct chart_curve *cv)
{
    if (cv->held)
        curve_write(cv, cv->held_x, cv->held_y, cv->held_extra);
    cv->held = 0;
}

/* ---- script pieces --------------------------------------------------- */

/* Terminal, style and the title block. top_screen: where the plot area
 * may start from the top, returned as a screen fraction. */
double chart_head(struct chart *c, const char *default_title)
{
    const struct plot_options *o = c->o;
    struct buf *b = &c->sb;
    static const char *const ext[] = { "png", "svg", "pdf", "txt" };
    sbuf_printf(b, "# %s chart made by cl-plot (clientele). Restyle it freely, then run:\n"
                 "#   gnuplot -d THIS_FILE%s\n", o->kind->name,
              o->output_name ? "" : (o->format == PLOT_PNG ? " > chart.png"
                                     : o->format == PLOT_SVG ? " > chart.svg"
                                     : o->format == PLOT_PDF ? " > chart.pdf" : ""));
    (void)ext;
    sbuf_add(b, "# Text from the data is in single-quoted strings: gnuplot runs nothing in "
                "them.\n");
    char font[64];
    snprintf(font, sizeof font, FONT ",%d", c->fs);
    switch (o->format) {
    case PLOT_PNG:
        sbuf_printf(b, "set terminal pngcairo size %d,%d noenhanced font '%s' background rgb "
                       "'white'\n",
                  o->width, o->height, font);
        break;
    case PLOT_SVG:
        /* the SVG terminal draws a point as a pixel: scaled as cairo draws it */
        sbuf_printf(b, "set terminal svg size %d,%d noenhanced font '%s' fontscale %.4f "
                       "background rgb 'white'\n",
                    o->width, o->height, font, chart_layout.px_per_pt);
        break;
    case PLOT_PDF:
        sbuf_printf(b, "set terminal pdfcairo size %.4fin,%.4fin noenhanced font '%s'\n",
                  o->width / 72.0, o->height / 72.0, font);
        break;
    case PLOT_TEXT:
        sbuf_printf(b, "set terminal dumb size %d,%d noenhanced\n", o->width, o->height);
        break;
    }
    if (o->output_name) {
        sbuf_add(b, "set output ");
        sbuf_str(b, o->output_name, 0);
        sbuf_add(b, "\n");
    }
    /* UTF-8 text: gnuplot then counts characters, not bytes, where it
     * lays text out (plot_run gives it a UTF-8 locale, C.UTF-8). Counted
     * as bytes, a French tick label "100 %" with its narrow no-break space
     * is 7 wide, not 5, and pushes the y axis label off the left edge,
     * where gnuplot drops it (French Pareto and Lorenz charts had none). */
    sbuf_add(b, "set encoding utf8\n");
    if (o->lang == L10N_FR)
        sbuf_add(b, "set decimalsign ','\n");
    sbuf_add(b, "set datafile missing '?'\n"
              "set style fill solid 1.0 noborder\n"
              "set border 3 lw 1 lc rgb '#555555'\n"
              "set tics nomirror out\n"
              "set key noautotitle\n");
    const char *title = o->title ? o->title : default_title;
    const struct chart_layout *L = &chart_layout;
    const struct chart_place *at = c->text ? &L->text : &L->image;
    sbuf_add(b, "set label 901 ");
    sbuf_str(b, title, 90);
    sbuf_printf(b, " at screen 0.5, screen %.3f center font '" FONT ":Bold,%d' tc rgb '%s'\n",
                at->title_y, chart_font(c, L->pt.title), L->ink.title);
    if (!o->subtitle)
        return at->top;
    sbuf_add(b, "set label 902 ");
    sbuf_str(b, o->subtitle, 120);
    sbuf_printf(b, " at screen 0.5, screen %.3f center font '" FONT ",%d' tc rgb '%s'\n",
                at->subtitle_y, chart_font(c, L->pt.subtitle), L->ink.subtitle);
    return at->top_subtitle;
}

void chart_plot_area(struct chart *c, double top, double bottom, double left, double right)
{
    sbuf_printf(&c->sb, "set tmargin at screen %.3f\nset bmargin at screen %.3f\n"
                        "set lmargin at screen %.3f\nset rmargin at screen %.3f\n",
                top, bottom, left, right);
}

/* A footnote line at the bottom left (line 0 is the lowest). */
void chart_note(struct chart *c, int line, const char *text)
{
    if (c->text)    /* the preview has no room under its tic labels */
        return;
    const struct chart_layout *L = &chart_layout;
    sbuf_printf(&c->sb, "set label %d ", 910 + line);
    sbuf_str(&c->sb, text, 200);
    double y = L->image.note_y + L->image.note_step * line;
    sbuf_printf(&c->sb, " at screen %.3f, screen %.3f left font '" FONT ",%d' tc rgb '%s'\n",
                L->image.note_x, y, chart_font(c, L->pt.note), L->ink.note);
}

/* Ticks 0..top on an axis ("y", "x", "y2"), values grouped for reading;
 * sets the range too. @return the top of the range. */
double chart_value_tics(struct chart *c, const char *axis, double max)
{
    struct buf *b = &c->sb;
    if (!(max > 0))
        max = 1;
    double step = chart_nice_step(max, 5);
    int n = (int)ceil(max / step - 1e-9);
    double top = n * step;
    double scale = 1;
    const char *suffix = "";
    if (top >= 1e6) {
        scale = 1e6;
        suffix = c->o->lang == L10N_FR ? NARROW_NBSP "M" : "M";
    }
    int decimals = chart_step_decimals(step / scale);
    sbuf_printf(b, "set %srange [0:%.17g]\nset %stics (", axis, top, axis);
    for (int i = 0; i <= n; i++) {
        char text[80];
        chart_num(c, i * step / scale, decimals, text);
        if (i > 0)
            strcat(text, suffix);
        sbuf_add(b, i ? ", " : "");
        sbuf_tic(b, text, 0);
        sbuf_printf(b, " %.17g", i * step);
    }
    sbuf_add(b, ")\n");
    return top;
}

/* Percentage ticks 0..top (top a fraction, at most 1 unless data exceed). */
double chart_percent_tics(struct chart *c, const char *axis, double max)
{
    struct buf *b = &c->sb;
    if (!(max > 0))
        max = 1;
    double step = chart_nice_step(max * 100, 5) / 100;
    int n = (int)ceil(max / step - 1e-9);
    double top = n * step;
    int decimals = chart_step_decimals(step * 100);
    sbuf_printf(b, "set %srange [0:%.17g]\nset %stics (", axis, top, axis);
    for (int i = 0; i <= n; i++) {
        char text[80];
        chart_pct(c, i * step, decimals, text);
        sbuf_add(b, i ? ", " : "");
        sbuf_tic(b, text, 0);
        sbuf_printf(b, " %.17g", i * step);
    }
    sbuf_add(b, ")\n");
    return top;
}

void chart_axis_label(struct chart *c, const char *axis, const char *text)
{
    sbuf_printf(&c->sb, "set %slabel ", axis);
    sbuf_str(&c->sb, text, 0);
    sbuf_printf(&c->sb, " font '" FONT ",%d' tc rgb '%s'\n", chart_font(c, chart_layout.pt.axis),
                chart_layout.ink.axis);
}

/* A text label at (x, y) in the given coordinate words. */
void chart_label(struct chart *c, const char *text, size_t max_chars, const char *where,
                       const char *options)
{
    sbuf_add(&c->sb, "set label ");
    sbuf_str(&c->sb, text, max_chars);
    sbuf_printf(&c->sb, " at %s %s\n", where, options);
}

void chart_panel_title(struct chart *c, const char *text, double x, double y)
{
    sbuf_add(&c->sb, "set label ");
    sbuf_str(&c->sb, text, 0);
    sbuf_printf(&c->sb, " at screen %.3f, screen %.3f left font '" FONT ":Bold,%d' tc rgb '%s'\n",
                x, y, chart_font(c, PT.panel), chart_layout.ink.title);
}

/* A label of several lines (each quoted, joined with gnuplot's "\n"). */
void chart_lines(struct chart *c, const char *const *lines, size_t n, const char *where,
                       const char *options)
{
    sbuf_add(&c->sb, "set label ");
    for (size_t i = 0; i < n; i++) {
        if (i)
            sbuf_add(&c->sb, " . \"\\n\" . ");
        sbuf_str(&c->sb, lines[i], 0);
    }
    sbuf_printf(&c->sb, " at %s %s\n", where, options);
}

/* Display width of UTF-8 text in characters. */
size_t chart_text_width(const char *text)
{
    return utf8_chars(text, strlen(text));
}

/* A legend of n entries centred at screen height y (the first row; more
 * rows go below when one is too wide), drawn with objects and labels so
 * that its layout does not depend on gnuplot's estimate of text widths.
 * line[i]: a line sample, else a box. */
int chart_legend(struct chart *c, double y, size_t n, const char *const *texts,
                       const unsigned *rgb, const int *line)
{
    int rows = 0;
    struct buf *b = &c->sb;
    const struct chart_layout *L = &chart_layout;
    int size = chart_font(c, L->pt.label);
    double w = c->o->width, h = c->o->height;
    double char_w = c->text ? 1.0 / w : L->char_px_per_pt * size / w;
    double swatch = c->text ? 3.0 / w : 24.0 * c->fs / L->base_pt / w;
    double gap = c->text ? 4.0 / w : 36.0 * c->fs / L->base_pt / w;
    double half = c->text ? 0.5 / h : 7.0 * c->fs / L->base_pt / h;
    double row_h = c->text ? 1.0 / h : L->row_px_per_pt * size / h;
    /* The rows that the entries need in 94% of the width, then as many
     * entries on each row (a last row of one under a row of three reads
     * as a mistake). */
    size_t need = 0;
    for (size_t i = 0; i < n; need++) {
        double total = 0;
        size_t end = i;
        while (end < n) {
            double add = swatch + char_w * (double)(chart_text_width(texts[end]) + 1)
                       + (end > i ? gap : 0);
            if (end > i && total + add > 0.94)
                break;
            total += add;
            end++;
        }
        i = end;
    }
    size_t per_row = need ? (n + need - 1) / need : n;
    size_t i = 0;
    while (i < n) {
        size_t end = i + per_row < n ? i + per_row : n;
        double total = 0;
        for (size_t e = i; e < end; e++)
            total += swatch + char_w * (double)(chart_text_width(texts[e]) + 1) + (e > i ? gap : 0);
        double x = 0.5 - total / 2;
        if (x < 0.01)
            x = 0.01;
        for (; i < end; i++) {
            if (line[i])
                sbuf_printf(b, "set arrow %zu from screen %.4f, screen %.4f to screen %.4f, "
                               "screen %.4f nohead lw 3 lc rgb '#%06x'\n",
                          80 + i, x, y, x + swatch, y, rgb[i]);
            else
                sbuf_printf(b, "set object %zu rect from screen %.4f, screen %.4f to screen %.4f, "
                               "screen %.4f fc rgb '#%06x' fs solid 1.0 noborder front\n",
                          80 + i, x, y - half, x + swatch, y + half, rgb[i]);
            x += swatch + char_w * 0.6;
            sbuf_printf(b, "set label %zu ", 80 + i);
            sbuf_str(b, texts[i], 0);
            sbuf_printf(b, " at screen %.4f, screen %.4f left font '" FONT ",%d' tc rgb '%s'\n",
                        x, y, size, L->ink.label);
            x += char_w * (double)(chart_text_width(texts[i]) + 0.4) + gap;
        }
        y -= row_h;
        rows++;
    }
    return rows;
}

/* ---- shared reading -------------------------------------------------- */

/* When the rows carry several values of `column` (several groups or
 * periods in one file), the chart would mix them: ask for --where. */
int chart_single_value(const struct chart *c, const char *column, struct diag *diag)
{
    long col = chart_find_column(c->t, column);
    if (col < 0 || c->nrows == 0)
        return 0;
    const char *first = chart_cell(c, 0, col);
    for (size_t r = 1; r < c->nrows; r++)
        if (strcmp(chart_cell(c, r, col), first) != 0) {
            char q1[64], q2[64];
            return diag_set(diag, "%s: several %s values (\"%s\", \"%s\"...): choose one with "
                            "--where %s=VALUE", c->t->name, c->t->header[col],
                            diag_quote(first, strlen(first), q1, sizeof q1),
                            diag_quote(chart_cell(c, r, col), strlen(chart_cell(c, r, col)), q2,
                                       sizeof q2),
                            c->t->header[col]);
        }
    return 0;
}

int chart_metrics_read(struct chart *c, struct chart_metrics *m, struct diag *diag)
{
    long mcol = chart_need_column(c, "metric", diag);
    if (mcol < 0)
        return -1;
    long vcol = chart_need_column(c, "value", diag);
    if (vcol < 0)
        return -1;
    /* a grouped summary (cl-pareto --group COL) has COL before metric */
    for (long col = 0; col < mcol; col++)
        if (chart_single_value(c, c->t->header[col], diag) != 0)
            return -1;
    m->names = calloc(c->nrows + 1, sizeof *m->names);
    m->values = calloc(c->nrows + 1, sizeof *m->values);
    if (!m->names || !m->values)
        return diag_set(diag, "out of memory");
    for (size_t r = 0; r < c->nrows; r++) {
        m->names[r] = chart_cell(c, r, mcol);
        if (chart_number(c, r, vcol, 1, &m->values[r], diag) != 0)
            return -1;
    }
    m->n = c->nrows;
    return 0;
}

void chart_metrics_free(struct chart_metrics *m)
{
    free(m->names);
    free(m->values);
}

double chart_metric(const struct chart_metrics *m, const char *name)
{
    for (size_t i = 0; i < m->n; i++)
        if (strcmp(m->names[i], name) == 0)
            return m->values[i];
    return NAN;
}

/* What the values are, with the words French agrees with it. A name
 * that is not known is used as it is, as a masculine noun in French. */
void chart_measure(const struct chart *c, const char *column, struct chart_measure *m)
{
    static const struct { const char *key, *en, *fr; int feminine, plural; } known[] = {
        { "revenue", "revenue", "chiffre d" APOSTROPHE "affaires", 0, 0 },
        { "ca", "revenue", "chiffre d" APOSTROPHE "affaires", 0, 0 },
        { "chiffreaffaires", "revenue", "chiffre d" APOSTROPHE "affaires", 0, 0 },
        { "montant", "revenue", "chiffre d" APOSTROPHE "affaires", 0, 0 },
        { "amount", "revenue", "chiffre d" APOSTROPHE "affaires", 0, 0 },
        { "monetary", "revenue", "chiffre d" APOSTROPHE "affaires", 0, 0 },
        { "margin", "margin", "marge", 1, 0 },
        { "marge", "margin", "marge", 1, 0 },
        { "grossmargin", "gross margin", "marge brute", 1, 0 },
        { "score", "score", "score", 0, 0 },
        { "quantity", "quantity", "quantit\xc3\xa9", 1, 0 },
        { "quantite", "quantity", "quantit\xc3\xa9", 1, 0 },
        { "orders", "orders", "commandes", 1, 1 },
        { "commandes", "orders", "commandes", 1, 1 },
        { "value", "value", "valeur", 1, 0 },
        { "valeur", "value", "valeur", 1, 0 },
    };
    const char *name = c->o->measure ? c->o->measure : column ? column : "value";
    char folded[128];
    columns_fold(name, folded, sizeof folded);
    m->word = name;
    m->feminine = 0;
    m->plural = 0;
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
        if (strcmp(folded, known[i].key) == 0) {
            m->word = chart_tr(c, known[i].en, known[i].fr);
            m->feminine = known[i].feminine;
            m->plural = known[i].plural;
            break;
        }
    /* "of revenue" / "du chiffre d’affaires", "de la marge", "de l’encours",
     * "des commandes" */
    if (c->o->lang != L10N_FR) {
        /* "of revenue", "of margin", but "of the value" */
        snprintf(m->of, sizeof m->of, "of %s%s", strcmp(m->word, "value") ? "" : "the ", m->word);
    } else {
        const unsigned char *w = (const unsigned char *)m->word;
        int vowel = strchr("aeiouyhAEIOUYH", w[0]) != NULL
                    || (w[0] == 0xc3 && (w[1] == 0xa9 || w[1] == 0xa8 || w[1] == 0xaa
                                          || w[1] == 0x89));
        const char *article = m->plural ? "des " : vowel ? "de l" APOSTROPHE
                            : m->feminine ? "de la " : "du ";
        snprintf(m->of, sizeof m->of, "%s%s", article, m->word);
    }
    static const char *const positive[2][2] = { { "positif", "positifs" },
                                                 { "positive", "positives" } };
    static const char *const decreasing[2][2] = {
        { "d\xc3\xa9" "croissant", "d\xc3\xa9" "croissants" },
        { "d\xc3\xa9" "croissante", "d\xc3\xa9" "croissantes" } };
    m->positive = chart_tr(c, "positive", positive[m->feminine][m->plural]);
    m->decreasing = chart_tr(c, "decreasing", decreasing[m->feminine][m->plural]);
}

/* "Revenue" from "revenue": capitalise an ASCII first letter in place. */
void chart_capitalise(char *text)
{
    if (text[0] >= 'a' && text[0] <= 'z')
        text[0] = (char)(text[0] - 'a' + 'A');
}

/* Colours, strongest first (classes A, B, C...), and a categorical set. */
static const unsigned class_rgb[] = { 0x1f4e79, 0x4a90c8, 0xa9cbe8, 0xd3e3f1, 0xe9f1f8 };
static const unsigned category_rgb[] = {
    0x4e79a7, 0xf28e2b, 0xe15759, 0x76b7b2, 0x59a14f,
    0xedc948, 0xb07aa1, 0xff9da7, 0x9c755f, 0x79706e,
};
#define ACCENT "#c0392b"

unsigned chart_class_colour(size_t index)
{
    size_t n = sizeof class_rgb / sizeof class_rgb[0];
    return class_rgb[index < n ? index : n - 1];
}

unsigned chart_mix_rgb(unsigned a, unsigned b, double t)
{
    if (t < 0) t = 0;
    if (t > 1) t = 1;
    unsigned out = 0;
    for (int shift = 16; shift >= 0; shift -= 8) {
        double x = ((a >> shift) & 0xff) * (1 - t) + ((b >> shift) & 0xff) * t;
        out |= (unsigned)lround(x) << shift;
    }
    return out;
}

/* Text colour readable on a background. */
const char *chart_ink_on(unsigned rgb)
{
    double lum = 0.299 * ((rgb >> 16) & 0xff) + 0.587 * ((rgb >> 8) & 0xff) + 0.114 * (rgb & 0xff);
    return lum < 140 ? "#ffffff" : "#1a1a1a";
}

unsigned chart_category_colour(size_t index)
{
    return category_rgb[index % (sizeof category_rgb / sizeof category_rgb[0])];
}

/* ====================================================================== */
/* A chart kind run on the skeleton                                        */

int plot_script(const struct table *table, const struct plot_options *options,
                char **script, struct diag *diag)
{
    return plot_scripts(table, options, 1, script, diag);
}

/* One script of the chart c has read the table for, under o. */
static int chart_build(struct chart *c, const struct plot_options *o, char **script,
                       struct diag *diag)
{
    buf_init(&c->sb, SCRIPT_MAX);
    c->o = o;
    c->text = o->format == PLOT_TEXT;
    const struct chart_layout *L = &chart_layout;
    double scale = fmin(o->width / (double)L->ref_width, o->height / (double)L->ref_height);
    c->fs = c->text ? L->base_pt : (int)lround(L->base_pt * (scale < L->min_scale ? L->min_scale
                                                                                   : scale));
    int rc = o->kind->build(c, diag);
    if (rc == 0 && c->sb.failed)
        rc = diag_set(diag, "%s: the chart script would pass %u MiB: too much data to draw",
                      c->t->name, SCRIPT_MAX >> 20);
    if (rc != 0) {
        buf_free(&c->sb);
        return -1;
    }
    *script = buf_take(&c->sb);
    return 0;
}

int plot_scripts(const struct table *table, const struct plot_options *options, size_t n,
                 char **scripts, struct diag *diag)
{
    for (size_t i = 0; i < n; i++)
        scripts[i] = NULL;
    if (n == 0 || !options->kind)
        return diag_set(diag, "no chart kind");
    struct chart c = { 0 };
    c.t = table;
    c.rows = malloc((table->rows + 1) * sizeof *c.rows);
    if (!c.rows)
        return diag_set(diag, "out of memory");
    long where = -1;
    if (options->where_column) {
        where = chart_find_column(table, options->where_column);
        if (where < 0) {
            free(c.rows);
            return diag_set(diag, "%s: no column \"%s\" (--where)", table->name,
                            options->where_column);
        }
    }
    for (size_t r = 0; r < table->rows; r++)
        if (where < 0 || strcmp(table_cell(table, r, (size_t)where), options->where_value) == 0)
            c.rows[c.nrows++] = r;
    if (c.nrows == 0) {
        free(c.rows);
        return diag_set(diag, "%s: no rows to plot%s", table->name, where >= 0 ? " (--where kept "
                                                                                 "none)" : "");
    }
    return chart_scripts(&c, options, n, scripts, diag);
}

int chart_scripts(struct chart *c0, const struct plot_options *options, size_t n,
                  char **scripts, struct diag *diag)
{
    struct chart c = *c0;
    const struct table *table = c.t;
    for (size_t i = 0; i < n; i++)
        scripts[i] = NULL;
    /* a ';' file's decimal comma (parse_mark_of_delim); a ',' file's numbers
     * cannot hold an unquoted comma: a point; tab and '|': per column */
    c.mark = table->delim == ',' ? '.' : parse_mark_of_delim(table->delim);
    if (c.mark == 0) {
        if (!(c.col_mark = malloc(table->columns + 1))) {
            free(c.rows);
            free(c.prows);
            return diag_set(diag, "out of memory");
        }
        memset(c.col_mark, 2, table->columns + 1);
    }
    if (!(c.col_percent = calloc(table->columns + 1, 1))) {
        free(c.rows);
        free(c.col_mark);
        free(c.prows);
        return diag_set(diag, "out of memory");
    }
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0; i++) {
        /* the chart of options[i]'s kind (options[0]'s when none) in its
         * image, under options[0]; gaps counted by each kind's first image
         * only (the kinds over cl-pareto's rows read them once: c.prows) */
        struct plot_options o = *options;
        o.kind = options[i].kind ? options[i].kind : options->kind;
        o.format = options[i].format;
        o.width = options[i].width;
        o.height = options[i].height;
        o.output_name = options[i].output_name;
        for (size_t j = 0; j < i && o.gaps; j++)
            if ((options[j].kind ? options[j].kind : options->kind) == o.kind)
                o.gaps = NULL;
        rc = chart_build(&c, &o, &scripts[i], diag);
    }
    free(c.rows);
    free(c.col_mark);
    free(c.col_percent);
    free(c.prows);
    if (rc != 0) {
        for (size_t i = 0; i < n; i++) {
            free(scripts[i]);
            scripts[i] = NULL;
        }
        return -1;
    }
    return 0;
}
