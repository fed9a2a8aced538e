#include "plot.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "columns.h"
#include "parse.h"
#include "plot_chart.h"

#define SCRIPT_MAX   (512u << 20)   /* bytes of script: a ceiling, not a goal */
#define MESSAGES_MAX (64u << 10)    /* bytes of gnuplot's stderr kept */
#define NARROW_NBSP  "\xe2\x80\xaf" /* U+202F, the French thousands separator */
#define MINUS_SIGN   "\xe2\x88\x92" /* U+2212 */
#define ELLIPSIS     "\xe2\x80\xa6" /* U+2026 */
#define FONT         PLOT_FONT

/* ====================================================================== */
/* Kinds                                                                   */

static const char *const kind_names[PLOT_KIND_COUNT] = {
    "pareto", "lorenz", "abc", "migration", "rfm", "share", "clusters",
    "select", "personas", "cohort", "retention",
};

int plot_kind_parse(const char *name, enum plot_kind *kind)
{
    for (int i = 0; i < PLOT_KIND_COUNT; i++)
        if (strcmp(name, kind_names[i]) == 0) {
            *kind = (enum plot_kind)i;
            return 0;
        }
    return -1;
}

const char *plot_kind_name(enum plot_kind kind)
{
    return (unsigned)kind < PLOT_KIND_COUNT ? kind_names[kind] : "?";
}

/* ====================================================================== */
/* Growing script buffer: a failed allocation or the ceiling sets failed */

/* struct sbuf: plot_chart.h */

static int sb_reserve(struct sbuf *b, size_t more)
{
    if (b->failed)
        return -1;
    if (b->len + more + 1 <= b->cap)
        return 0;
    size_t cap = b->cap ? b->cap : 4096;
    while (cap < b->len + more + 1)
        cap *= 2;
    if (cap > SCRIPT_MAX) {
        b->failed = 1;
        return -1;
    }
    char *data = realloc(b->data, cap);
    if (!data) {
        b->failed = 1;
        return -1;
    }
    b->data = data;
    b->cap = cap;
    return 0;
}

static void sb_add(struct sbuf *b, const char *text)
{
    size_t n = strlen(text);
    if (sb_reserve(b, n) == 0) {
        memcpy(b->data + b->len, text, n + 1);
        b->len += n;
    }
}

__attribute__((format(printf, 2, 3)))
static void sb_printf(struct sbuf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0 || sb_reserve(b, (size_t)n) != 0)
        return;
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

/* ====================================================================== */
/* Quoting text for gnuplot                                                */

/* Length of the UTF-8 sequence at s (1..4) and its code point, or 0 when
 * the bytes there are not valid UTF-8. */
static int utf8_decode(const unsigned char *s, uint32_t *cp)
{
    if (s[0] < 0x80) {
        *cp = s[0];
        return 1;
    }
    int n;
    uint32_t c;
    if ((s[0] & 0xE0) == 0xC0) { n = 2; c = s[0] & 0x1F; }
    else if ((s[0] & 0xF0) == 0xE0) { n = 3; c = s[0] & 0x0F; }
    else if ((s[0] & 0xF8) == 0xF0) { n = 4; c = s[0] & 0x07; }
    else return 0;
    for (int i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        c = (c << 6) | (s[i] & 0x3F);
    }
    static const uint32_t min[5] = { 0, 0, 0x80, 0x800, 0x10000 };
    if (c < min[n] || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
        return 0;
    *cp = c;
    return n;
}

char *plot_quote(const char *text, size_t max_chars, char *out, size_t out_size)
{
    /* A run of text goes in '...'; each single quote as "'" (gnuplot's
     * '' escape fails at the start of a string and on two quotes in a
     * row); the pieces joined with gnuplot's "." operator. Room kept at
     * the end: an ellipsis (3), a closing quote, the NUL. */
    const size_t tail = 3 + 1 + 1;
    if (out_size < 16) {
        if (out_size >= 3)
            strcpy(out, "''");
        else if (out_size)
            out[0] = '\0';
        return out;
    }
    size_t o = 0, chars = 0;
    int in_run = 0, pieces = 0;
    const unsigned char *s = (const unsigned char *)(text ? text : "");
    int cut = 0;
    while (*s) {
        if (max_chars && chars == max_chars) {
            cut = 1;
            break;
        }
        uint32_t cp = 0;
        int n = utf8_decode(s, &cp);
        char piece[4];
        size_t plen;
        if (n == 0) {
            piece[0] = '?';
            plen = 1;
            n = 1;
        } else if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F)
                   || cp == 0x2028 || cp == 0x2029) {
            piece[0] = ' ';
            plen = 1;
        } else {
            memcpy(piece, s, (size_t)n);
            plen = (size_t)n;
        }
        if (cp == '\'' && n == 1) {
            /* close the run, then . "'" */
            size_t need = (in_run ? 1 : 0) + (pieces ? 3 : 0) + 3;
            if (o + need + tail + 6 > out_size) {
                cut = 1;
                break;
            }
            if (in_run)
                out[o++] = '\'';
            if (pieces)
                memcpy(out + o, " . ", 3), o += 3;
            memcpy(out + o, "\"'\"", 3);
            o += 3;
            in_run = 0;
            pieces++;
        } else {
            size_t need = (in_run ? 0 : (pieces ? 4 : 1)) + plen;
            if (o + need + tail + 6 > out_size) {
                cut = 1;
                break;
            }
            if (!in_run) {
                if (pieces)
                    memcpy(out + o, " . ", 3), o += 3;
                out[o++] = '\'';
                in_run = 1;
                pieces++;
            }
            memcpy(out + o, piece, plen);
            o += plen;
        }
        s += n;
        chars++;
    }
    if (cut) {
        if (!in_run) {
            if (pieces)
                memcpy(out + o, " . ", 3), o += 3;
            out[o++] = '\'';
            in_run = 1;
            pieces++;
        }
        memcpy(out + o, ELLIPSIS, 3);
        o += 3;
    }
    if (in_run)
        out[o++] = '\'';
    if (pieces == 0) {
        out[o++] = '\'';
        out[o++] = '\'';
    }
    out[o] = '\0';
    return out;
}

/* Append text as a quoted gnuplot string, cut to max_chars (0: whole). */
static void sb_str(struct sbuf *b, const char *text, size_t max_chars)
{
    size_t n = strlen(text ? text : "");
    size_t size = 8 * n + 32;   /* a quote alone takes 7 bytes: ' . "'" */
    if (sb_reserve(b, size) != 0)
        return;
    plot_quote(text, max_chars, b->data + b->len, size);
    b->len += strlen(b->data + b->len);
}

/* Append text as a quoted tic label: gnuplot reads a tic label as a
 * format (the position fills a %-spec), so every '%' is doubled. */
static void sb_tic(struct sbuf *b, const char *text, size_t max_chars)
{
    size_t start = b->len;
    char cut[48];
    if (text && strchr(text, '%') && strlen(text) > 40) {
        /* gnuplot cuts a formatted tic label at 49 bytes: cut it first,
         * at a character boundary, leaving room for the ellipsis */
        size_t n = 40;
        while (n > 0 && ((unsigned char)text[n] & 0xC0) == 0x80)
            n--;
        memcpy(cut, text, n);
        memcpy(cut + n, ELLIPSIS, 4);
        text = cut;
    }
    sb_str(b, text, max_chars);
    if (b->failed)
        return;
    size_t percents = 0;
    for (size_t i = start; i < b->len; i++)
        percents += b->data[i] == '%';
    if (percents == 0 || sb_reserve(b, percents) != 0)
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

/* ====================================================================== */
/* Numbers for people                                                      */

char *plot_format_number(double value, int decimals, enum plot_lang lang, char *out)
{
    if (!isfinite(value)) {
        strcpy(out, "\xe2\x80\x93");   /* en dash: no value */
        return out;
    }
    if (decimals < 0)
        decimals = 0;
    if (decimals > 6)
        decimals = 6;
    char digits[48];
    if (fabs(value) >= 1e30) {
        snprintf(out, 64, "%.3g", value);
        return out;
    }
    snprintf(digits, sizeof digits, "%.*f", decimals, fabs(value));
    /* the integer part ends at the first byte that is not a digit */
    size_t int_len = strspn(digits, "0123456789");
    int zero = strspn(digits, "0.,") == strlen(digits);
    size_t o = 0;
    if (value < 0 && !zero) {
        memcpy(out, MINUS_SIGN, 3);
        o = 3;
    }
    const char *group = lang == PLOT_FR ? NARROW_NBSP : ",";
    for (size_t i = 0; i < int_len; i++) {
        if (i > 0 && (int_len - i) % 3 == 0) {
            size_t g = strlen(group);
            memcpy(out + o, group, g);
            o += g;
        }
        out[o++] = digits[i];
    }
    if (decimals > 0) {
        out[o++] = lang == PLOT_FR ? ',' : '.';
        size_t d = strlen(digits + int_len + 1);
        memcpy(out + o, digits + int_len + 1, d);
        o += d;
    }
    out[o] = '\0';
    return out;
}

char *plot_format_percent(double fraction, int decimals, enum plot_lang lang, char *out)
{
    plot_format_number(fraction * 100.0, decimals, lang, out);
    if (isfinite(fraction))
        strcat(out, lang == PLOT_FR ? NARROW_NBSP "%" : "%");
    return out;
}

/* Decimals that show a percentage honestly: 1 below 10%, else none. */
static int percent_decimals(double fraction)
{
    double p = fabs(fraction) * 100.0;
    return p > 0 && p < 9.95 ? 1 : 0;
}

/* A tick step of 1, 2, 2.5 or 5 times a power of ten giving about
 * `target` steps over range. */
static double nice_step(double range, int target)
{
    if (!(range > 0))
        return 1;
    double raw = range / target;
    double mag = pow(10, floor(log10(raw)));
    double f = raw / mag;
    double nice = f <= 1 ? 1 : f <= 2 ? 2 : f <= 2.5 ? 2.5 : f <= 5 ? 5 : 10;
    return nice * mag;
}

static int step_decimals(double step)
{
    int d = 0;
    while (d < 6 && fabs(step * pow(10, d) - round(step * pow(10, d))) > 1e-9 * pow(10, d))
        d++;
    return d;
}

/* ====================================================================== */
/* The chart being built                                                   */

/* struct chart: plot_chart.h, shared with the builders of other files */

static const char *tr(const struct chart *c, const char *en, const char *fr)
{
    return c->o->lang == PLOT_FR ? fr : en;
}

static char *num(const struct chart *c, double v, int decimals, char *out)
{
    return plot_format_number(v, decimals, c->o->lang, out);
}

static char *pct(const struct chart *c, double v, int decimals, char *out)
{
    return plot_format_percent(v, decimals, c->o->lang, out);
}

static int font_size(const struct chart *c, double points)
{
    int size = (int)lround(points * c->fs / 14.0);
    return size < 6 ? 6 : size;
}

/* A column by exact name, else by folded name; -1 when absent. */
static long find_column(const struct table *t, const char *name)
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

static const char *const kind_reads[PLOT_KIND_COUNT] = {
    "the rows of cl-pareto",
    "cl-pareto --lorenz (or the rows of cl-pareto)",
    "cl-pareto --summary",
    "cl-pareto --summary --previous",
    "cl-score --rfm",
    "cl-share",
    "the assignments of cl-kmeans",
    "cl-kmeans --select",
    "cl-kmeans --profiles",
    "cl-cohort",
    "cl-cohort (or cl-cohort --summary)",
};

static long need_column(const struct chart *c, const char *name, struct diag *diag)
{
    long col = find_column(c->t, name);
    if (col < 0)
        diag_set(diag, "%s: no column \"%s\": the %s chart reads %s",
                 c->t->name, name, plot_kind_name(c->o->kind), kind_reads[c->o->kind]);
    return col;
}

static const char *cell(const struct chart *c, size_t r, long col)
{
    return table_cell(c->t, c->rows[r], (size_t)col);
}

/* The number in row r, column col. Empty: NaN when allow_empty, else an
 * error. @return 0, or -1 with diag set. */
static int cell_number(const struct chart *c, size_t r, long col, int allow_empty,
                       double *value, struct diag *diag)
{
    const char *s = cell(c, r, col);
    size_t len = strlen(s);
    char mark = c->mark;
    enum parse_status st = parse_double(s, len, &mark, value);
    if (st == PARSE_OK && isfinite(*value))
        return 0;
    if (st == PARSE_EMPTY && allow_empty) {
        *value = NAN;
        return 0;
    }
    char quoted[64];
    return diag_set(diag, "%s:%ld: %s \"%s\" %s", c->t->name, c->t->lines[c->rows[r]],
                    c->t->header[col], diag_quote(s, len, quoted, sizeof quoted),
                    st == PARSE_OK ? "is not a finite number" : parse_status_text(st));
}

/* ---- script pieces --------------------------------------------------- */

/* Terminal, style and the title block. top_screen: where the plot area
 * may start from the top, returned as a screen fraction. */
static double emit_head(struct chart *c, const char *default_title)
{
    const struct plot_options *o = c->o;
    struct sbuf *b = &c->sb;
    static const char *const ext[] = { "png", "svg", "pdf", "txt" };
    sb_printf(b, "# %s chart made by cl-plot (clientele). Restyle it freely, then run:\n"
                 "#   gnuplot -d THIS_FILE%s\n", plot_kind_name(o->kind),
              o->output_name ? "" : (o->format == PLOT_PNG ? " > chart.png"
                                     : o->format == PLOT_SVG ? " > chart.svg"
                                     : o->format == PLOT_PDF ? " > chart.pdf" : ""));
    (void)ext;
    sb_add(b, "# Text from the data is in single-quoted strings: gnuplot runs nothing in them.\n");
    char font[64];
    snprintf(font, sizeof font, FONT ",%d", c->fs);
    switch (o->format) {
    case PLOT_PNG:
        sb_printf(b, "set terminal pngcairo size %d,%d noenhanced font '%s' background rgb 'white'\n",
                  o->width, o->height, font);
        break;
    case PLOT_SVG:
        sb_printf(b, "set terminal svg size %d,%d noenhanced font '%s' background rgb 'white'\n",
                  o->width, o->height, font);
        break;
    case PLOT_PDF:
        sb_printf(b, "set terminal pdfcairo size %.4fin,%.4fin noenhanced font '%s'\n",
                  o->width / 72.0, o->height / 72.0, font);
        break;
    case PLOT_TEXT:
        sb_printf(b, "set terminal dumb size %d,%d noenhanced\n", o->width, o->height);
        break;
    }
    if (o->output_name) {
        sb_add(b, "set output ");
        sb_str(b, o->output_name, 0);
        sb_add(b, "\n");
    }
    if (o->lang == PLOT_FR)
        sb_add(b, "set decimalsign ','\n");
    sb_add(b, "set datafile missing '?'\n"
              "set style fill solid 1.0 noborder\n"
              "set border 3 lw 1 lc rgb '#555555'\n"
              "set tics nomirror out\n"
              "set key noautotitle\n");
    const char *title = o->title ? o->title : default_title;
    double top = 0.985;
    double title_y = c->text ? 0.97 : 0.955;
    sb_add(b, "set label 901 ");
    sb_str(b, title, 90);
    sb_printf(b, " at screen 0.5, screen %.3f center font '" FONT ":Bold,%d' tc rgb '#1a1a1a'\n",
              title_y, font_size(c, 21));
    top = c->text ? 0.90 : 0.915;
    if (o->subtitle) {
        sb_add(b, "set label 902 ");
        sb_str(b, o->subtitle, 120);
        sb_printf(b, " at screen 0.5, screen %.3f center font '" FONT ",%d' tc rgb '#555555'\n",
                  c->text ? 0.90 : 0.905, font_size(c, 15));
        top = c->text ? 0.84 : 0.87;
    }
    return top;
}

/* A footnote line at the bottom left (line 0 is the lowest). */
static void emit_note(struct chart *c, int line, const char *text)
{
    if (c->text)    /* the preview has no room under its tic labels */
        return;
    sb_printf(&c->sb, "set label %d ", 910 + line);
    sb_str(&c->sb, text, 200);
    double y = c->text ? 0.02 + 0.05 * line : 0.018 + 0.032 * line;
    sb_printf(&c->sb, " at screen 0.012, screen %.3f left font '" FONT ",%d' tc rgb '#666666'\n",
              y, font_size(c, 11));
}

/* Ticks 0..top on an axis ("y", "x", "y2"), values grouped for reading;
 * sets the range too. @return the top of the range. */
static double emit_value_tics(struct chart *c, const char *axis, double max)
{
    struct sbuf *b = &c->sb;
    if (!(max > 0))
        max = 1;
    double step = nice_step(max, 5);
    int n = (int)ceil(max / step - 1e-9);
    double top = n * step;
    double scale = 1;
    const char *suffix = "";
    if (top >= 1e6) {
        scale = 1e6;
        suffix = c->o->lang == PLOT_FR ? NARROW_NBSP "M" : "M";
    }
    int decimals = step_decimals(step / scale);
    sb_printf(b, "set %srange [0:%.17g]\nset %stics (", axis, top, axis);
    for (int i = 0; i <= n; i++) {
        char text[80];
        num(c, i * step / scale, decimals, text);
        if (i > 0)
            strcat(text, suffix);
        sb_add(b, i ? ", " : "");
        sb_tic(b, text, 0);
        sb_printf(b, " %.17g", i * step);
    }
    sb_add(b, ")\n");
    return top;
}

/* Percentage ticks 0..top (top a fraction, at most 1 unless data exceed). */
static double emit_percent_tics(struct chart *c, const char *axis, double max)
{
    struct sbuf *b = &c->sb;
    if (!(max > 0))
        max = 1;
    double step = nice_step(max * 100, 5) / 100;
    int n = (int)ceil(max / step - 1e-9);
    double top = n * step;
    int decimals = step_decimals(step * 100);
    sb_printf(b, "set %srange [0:%.17g]\nset %stics (", axis, top, axis);
    for (int i = 0; i <= n; i++) {
        char text[80];
        pct(c, i * step, decimals, text);
        sb_add(b, i ? ", " : "");
        sb_tic(b, text, 0);
        sb_printf(b, " %.17g", i * step);
    }
    sb_add(b, ")\n");
    return top;
}

static void emit_axis_label(struct chart *c, const char *axis, const char *text)
{
    sb_printf(&c->sb, "set %slabel ", axis);
    sb_str(&c->sb, text, 0);
    sb_printf(&c->sb, " font '" FONT ",%d' tc rgb '#333333'\n", font_size(c, 15));
}

/* A text label at (x, y) in the given coordinate words. */
static void emit_label(struct chart *c, const char *text, size_t max_chars, const char *where,
                       const char *options)
{
    sb_add(&c->sb, "set label ");
    sb_str(&c->sb, text, max_chars);
    sb_printf(&c->sb, " at %s %s\n", where, options);
}

/* A label of several lines (each quoted, joined with gnuplot's "\n"). */
static void emit_lines(struct chart *c, const char *const *lines, size_t n, const char *where,
                       const char *options)
{
    sb_add(&c->sb, "set label ");
    for (size_t i = 0; i < n; i++) {
        if (i)
            sb_add(&c->sb, " . \"\\n\" . ");
        sb_str(&c->sb, lines[i], 0);
    }
    sb_printf(&c->sb, " at %s %s\n", where, options);
}

/* Display width of UTF-8 text in characters. */
static size_t text_chars(const char *text)
{
    size_t n = 0;
    for (const unsigned char *p = (const unsigned char *)text; *p; p++)
        n += (*p & 0xC0) != 0x80;
    return n;
}

/* A legend of n entries centred at screen height y (the first row; more
 * rows go below when one is too wide), drawn with objects and labels so
 * that its layout does not depend on gnuplot's estimate of text widths.
 * line[i]: a line sample, else a box. */
static int emit_legend(struct chart *c, double y, size_t n, const char *const *texts,
                       const unsigned *rgb, const int *line)
{
    int rows = 0;
    struct sbuf *b = &c->sb;
    int size = font_size(c, 13);
    double w = c->o->width, h = c->o->height;
    double char_w = c->text ? 1.0 / w : 0.72 * size / w;
    double swatch = c->text ? 3.0 / w : 24.0 * c->fs / 14 / w;
    double gap = c->text ? 4.0 / w : 36.0 * c->fs / 14 / w;
    double half = c->text ? 0.5 / h : 7.0 * c->fs / 14 / h;
    double row_h = c->text ? 1.0 / h : 1.7 * size / h;
    size_t i = 0;
    while (i < n) {
        /* as many entries as fit in 94% of the width */
        size_t end = i;
        double total = 0;
        while (end < n) {
            double add = swatch + char_w * (double)(text_chars(texts[end]) + 1) + (end > i ? gap : 0);
            if (end > i && total + add > 0.94)
                break;
            total += add;
            end++;
        }
        double x = 0.5 - total / 2;
        if (x < 0.01)
            x = 0.01;
        for (; i < end; i++) {
            if (line[i])
                sb_printf(b, "set arrow %zu from screen %.4f, screen %.4f to screen %.4f, screen %.4f nohead lw 3 lc rgb '#%06x'\n",
                          80 + i, x, y, x + swatch, y, rgb[i]);
            else
                sb_printf(b, "set object %zu rect from screen %.4f, screen %.4f to screen %.4f, screen %.4f fc rgb '#%06x' fs solid 1.0 noborder front\n",
                          80 + i, x, y - half, x + swatch, y + half, rgb[i]);
            x += swatch + char_w * 0.6;
            sb_printf(b, "set label %zu ", 80 + i);
            sb_str(b, texts[i], 0);
            sb_printf(b, " at screen %.4f, screen %.4f left font '" FONT ",%d' tc rgb '#1a1a1a'\n", x, y, size);
            x += char_w * (double)(text_chars(texts[i]) + 0.4) + gap;
        }
        y -= row_h;
        rows++;
    }
    return rows;
}

/* ---- shared reading -------------------------------------------------- */

/* When the rows carry several values of `column` (several groups or
 * periods in one file), the chart would mix them: ask for --where. */
static int single_value(const struct chart *c, const char *column, struct diag *diag)
{
    long col = find_column(c->t, column);
    if (col < 0 || c->nrows == 0)
        return 0;
    const char *first = cell(c, 0, col);
    for (size_t r = 1; r < c->nrows; r++)
        if (strcmp(cell(c, r, col), first) != 0) {
            char q1[64], q2[64];
            return diag_set(diag, "%s: several %s values (\"%s\", \"%s\"...): choose one with "
                            "--where %s=VALUE", c->t->name, c->t->header[col],
                            diag_quote(first, strlen(first), q1, sizeof q1),
                            diag_quote(cell(c, r, col), strlen(cell(c, r, col)), q2, sizeof q2),
                            c->t->header[col]);
        }
    return 0;
}

/* The value of metric `name` in a metric,value table; NAN when absent. */
struct metrics {
    const char **names;
    double *values;
    size_t n;
};

static int read_metrics(struct chart *c, struct metrics *m, struct diag *diag)
{
    long mcol = need_column(c, "metric", diag);
    if (mcol < 0)
        return -1;
    long vcol = need_column(c, "value", diag);
    if (vcol < 0)
        return -1;
    if (single_value(c, "group", diag) != 0)
        return -1;
    m->names = calloc(c->nrows + 1, sizeof *m->names);
    m->values = calloc(c->nrows + 1, sizeof *m->values);
    if (!m->names || !m->values)
        return diag_set(diag, "out of memory");
    for (size_t r = 0; r < c->nrows; r++) {
        m->names[r] = cell(c, r, mcol);
        if (cell_number(c, r, vcol, 1, &m->values[r], diag) != 0)
            return -1;
    }
    m->n = c->nrows;
    return 0;
}

static void metrics_free(struct metrics *m)
{
    free(m->names);
    free(m->values);
}

static double metric(const struct metrics *m, const char *name)
{
    for (size_t i = 0; i < m->n; i++)
        if (strcmp(m->names[i], name) == 0)
            return m->values[i];
    return NAN;
}

/* A human name for what the values are: the value column's name, or
 * --measure; known names translated. */
static const char *measure_name(const struct chart *c, const char *column)
{
    const char *name = c->o->measure ? c->o->measure : column ? column : "revenue";
    static const struct { const char *key, *en, *fr; } known[] = {
        { "revenue", "revenue", "chiffre d'affaires" },
        { "ca", "revenue", "chiffre d'affaires" },
        { "chiffreaffaires", "revenue", "chiffre d'affaires" },
        { "montant", "revenue", "chiffre d'affaires" },
        { "amount", "revenue", "chiffre d'affaires" },
        { "margin", "margin", "marge" },
        { "marge", "margin", "marge" },
        { "score", "score", "score" },
        { "quantity", "quantity", "quantit\xc3\xa9" },
        { "orders", "orders", "commandes" },
    };
    char folded[128];
    columns_fold(name, folded, sizeof folded);
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
        if (strcmp(folded, known[i].key) == 0)
            return tr(c, known[i].en, known[i].fr);
    return name;
}

/* "Revenue" from "revenue": capitalise an ASCII first letter in place. */
static void capitalise(char *text)
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

static unsigned class_colour(size_t index)
{
    size_t n = sizeof class_rgb / sizeof class_rgb[0];
    return class_rgb[index < n ? index : n - 1];
}

static unsigned mix_rgb(unsigned a, unsigned b, double t)
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
static const char *ink_on(unsigned rgb)
{
    double lum = 0.299 * ((rgb >> 16) & 0xff) + 0.587 * ((rgb >> 8) & 0xff) + 0.114 * (rgb & 0xff);
    return lum < 140 ? "#ffffff" : "#1a1a1a";
}

/* ====================================================================== */
/* pareto                                                                  */

struct prow {
    double rank, value, share, cum, cum_clients;
    const char *key, *cls;
    size_t order;
};

static int prow_cmp(const void *a, const void *b)
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

static int str_ptr_cmp(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Read the cl-pareto rows into prows sorted by rank, positive first.
 * value_col: the column the ranking was made on, found when -1. */
static int read_pareto_rows(struct chart *c, struct prow **out, size_t *npos, long *value_col,
                            struct diag *diag)
{
    long rank = need_column(c, "rank", diag), share, cum, cumc, cls;
    if (rank < 0 || (share = need_column(c, "share", diag)) < 0
        || (cum = need_column(c, "cum_share", diag)) < 0
        || (cumc = need_column(c, "cum_clients_share", diag)) < 0
        || (cls = need_column(c, "class", diag)) < 0)
        return -1;
    struct prow *p = calloc(c->nrows ? c->nrows : 1, sizeof *p);
    if (!p)
        return diag_set(diag, "out of memory");
    size_t ones = 0;
    for (size_t r = 0; r < c->nrows; r++) {
        p[r].key = cell(c, r, 0);
        p[r].cls = cell(c, r, cls);
        p[r].order = r;
        if (cell_number(c, r, rank, 0, &p[r].rank, diag) != 0
            || cell_number(c, r, share, 1, &p[r].share, diag) != 0
            || cell_number(c, r, cum, 1, &p[r].cum, diag) != 0
            || cell_number(c, r, cumc, 1, &p[r].cum_clients, diag) != 0) {
            free(p);
            return -1;
        }
        ones += p[r].rank == 1;
    }
    if (ones > 1) {
        free(p);
        long g = find_column(c->t, "group");
        return diag_set(diag, "%s: several rankings in one file (cl-pareto --group): choose one "
                        "with --where %s=VALUE", c->t->name,
                        g >= 0 ? c->t->header[g] : "COLUMN");
    }
    /* The value column: given, or the numeric input column whose values
     * divided by their positive total are the share column. */
    long vcol = -1;
    if (c->o->value_column) {
        vcol = find_column(c->t, c->o->value_column);
        if (vcol < 0) {
            free(p);
            return diag_set(diag, "%s: no column \"%s\" (--value)", c->t->name,
                            c->o->value_column);
        }
    } else {
        for (long col = 1; col < rank && vcol < 0; col++) {
            double total = 0, v;
            int ok = 1;
            for (size_t r = 0; r < c->nrows && ok; r++) {
                char mark = c->mark;
                const char *s = cell(c, r, col);
                if (parse_double(s, strlen(s), &mark, &v) != PARSE_OK)
                    ok = 0;
                else if (strcmp(p[r].cls, "-") != 0)
                    total += v;
            }
            for (size_t r = 0; r < c->nrows && ok && total > 0; r++) {
                char mark = c->mark;
                const char *s = cell(c, r, col);
                parse_double(s, strlen(s), &mark, &v);
                if (strcmp(p[r].cls, "-") != 0
                    && fabs(v / total - p[r].share) > 1e-9 * fmax(1, fabs(p[r].share)))
                    ok = 0;
            }
            if (ok && total > 0)
                vcol = col;
        }
    }
    for (size_t r = 0; r < c->nrows; r++) {
        if (vcol >= 0) {
            if (cell_number(c, r, vcol, 0, &p[r].value, diag) != 0) {
                free(p);
                return -1;
            }
        } else {
            p[r].value = p[r].share;
        }
    }
    qsort(p, c->nrows, sizeof *p, prow_cmp);
    size_t pos = 0;
    while (pos < c->nrows && strcmp(p[pos].cls, "-") != 0)
        pos++;
    *out = p;
    *npos = pos;
    *value_col = vcol;
    return 0;
}

static int chart_pareto(struct chart *c, struct diag *diag)
{
    struct prow *p;
    size_t npos;
    long vcol;
    if (read_pareto_rows(c, &p, &npos, &vcol, diag) != 0)
        return -1;
    if (npos == 0) {
        free(p);
        return diag_set(diag, "%s: no client with a positive value to plot", c->t->name);
    }
    struct sbuf *b = &c->sb;
    const char *measure = measure_name(c, vcol >= 0 ? c->t->header[vcol] : NULL);
    char title[200], cap[160], text[400], n1[64], n2[64], n3[64];
    snprintf(title, sizeof title, tr(c, "Pareto: %s by client", "Pareto : %s par client"), measure);
    capitalise(title);
    double top = emit_head(c, title);

    /* classes of the positive clients, sorted by name */
    struct classes k = { 0 };
    for (size_t i = 0; i < npos; i++)
        class_index(&k, p[i].cls);
    qsort(k.name, k.n, sizeof k.name[0], str_ptr_cmp);
    size_t *cls = malloc(npos * sizeof *cls);
    if (!cls) {
        free(p);
        return diag_set(diag, "out of memory");
    }
    for (size_t i = 0; i < npos; i++) {
        cls[i] = class_index(&k, p[i].cls);
        k.clients[cls[i]]++;
        k.value_share[cls[i]] += p[i].share;
    }

    size_t named = (size_t)(c->o->top > 0 ? c->o->top : 20);
    if (named > npos)
        named = npos;
    size_t rest = npos - named;
    double tail_x0 = named + 0.7;
    double tail_w = rest ? fmax(5.0, 0.8 * named) : 0;
    double max_value = 0;
    for (size_t i = 0; i < npos; i++)
        max_value = fmax(max_value, p[i].value);

    /* bars: x half_width value colour */
    sb_add(b, "$bars << EOD\n");
    for (size_t i = 0; i < named; i++)
        sb_printf(b, "%zu 0.38 %.17g %u\n", i + 1, p[i].value, class_colour(cls[i]));
    size_t samples = rest < 600 ? rest : 600;
    for (size_t s = 0; s < samples; s++) {
        size_t j = named + s * rest / samples;
        double w = tail_w / samples;
        sb_printf(b, "%.17g %.17g %.17g %u\n", tail_x0 + (s + 0.5) * w, w / 2, p[j].value,
                  class_colour(cls[j]));
    }
    sb_add(b, "EOD\n$cumulative << EOD\n");
    for (size_t i = 0; i < named; i++)
        sb_printf(b, "%zu %.17g\n", i + 1, p[i].cum);
    for (size_t s = 0; s < samples; s++) {
        size_t e = named + (s + 1) * rest / samples - 1;
        sb_printf(b, "%.17g %.17g\n", tail_x0 + (s + 1) * tail_w / samples, p[e].cum);
    }
    /* where the curve reaches 80%: the fewest clients making 80% */
    size_t k80 = 0;
    while (k80 + 1 < npos && p[k80].cum < 0.8 - 1e-12)
        k80++;
    double x80 = k80 < named ? (double)(k80 + 1)
               : tail_x0 + tail_w * (double)(k80 + 1 - named) / (double)rest;
    sb_printf(b, "EOD\n$reach80 << EOD\n%.17g %.17g\nEOD\n", x80, p[k80].cum);

    /* axes */
    double xmax = rest ? tail_x0 + tail_w + 0.3 : named + 0.6;
    sb_printf(b, "set xrange [0.4:%.17g]\n", xmax);
    sb_printf(b, "set xtics rotate by 40 right font '" FONT ",%d' scale 0 (", font_size(c, named > 30 ? 10 : 12));
    for (size_t i = 0; i < named && !c->text; i++) {   /* a text preview cannot turn names */
        sb_add(b, i ? ", " : "");
        sb_tic(b, p[i].key, 22);
        sb_printf(b, " %zu", i + 1);
    }
    if (rest) {
        snprintf(text, sizeof text, tr(c, "other %s clients", "%s autres clients"),
                 num(c, (double)rest, 0, n1));
        sb_add(b, named && !c->text ? ", " : "");
        sb_tic(b, text, 0);
        sb_printf(b, " %.17g", tail_x0 + tail_w / 2);
    }
    sb_add(b, ")\n");
    if (rest)   /* the tail, drawn compressed, on a grey ground */
        sb_printf(b, "set object 1 rect from %.17g, graph 0 to %.17g, graph 1 fc rgb '#f2f2f2' fs solid 1.0 noborder behind\n",
                  tail_x0 - 0.35, xmax);
    if (vcol >= 0)
        emit_value_tics(c, "y", max_value * 1.05);
    else
        emit_percent_tics(c, "y", max_value * 1.05);
    if (!c->text)
        sb_add(b, "set grid ytics lt 1 lc rgb '#d9d9d9' lw 1 dt 1\n");
    emit_percent_tics(c, "y2", 1.0);
    sb_add(b, "set border 11 lw 1 lc rgb '#555555'\nset y2tics nomirror out\n");
    if (vcol < 0)
        snprintf(text, sizeof text, "%s", tr(c, "Share of the total", "Part du total"));
    else
        snprintf(text, sizeof text, tr(c, "%s per client", "%s par client"), measure);
    capitalise(text);
    emit_axis_label(c, "y", text);
    snprintf(text, sizeof text, tr(c, "Cumulative share of %s", "Part cumul\xc3\xa9""e du %s"), measure);
    if (!c->text)
        emit_axis_label(c, "y2", text);
    snprintf(text, sizeof text, tr(c, "Clients ranked by %s, largest first",
                                   "Clients class\xc3\xa9s par %s d\xc3\xa9""croissant"), measure);
    emit_axis_label(c, "x", text);
    sb_printf(b, "set arrow 1 from graph 0, second 0.8 to graph 1, second 0.8 nohead dt 2 lw 1.5 lc rgb '%s' front\n", ACCENT);
    sb_printf(b, "set label 2 '80%s' at graph 1, second 0.8 right offset -0.5,0.7 tc rgb '%s' font '" FONT ",%d'\n",
              c->o->lang == PLOT_FR ? NARROW_NBSP "%" : "%", ACCENT, font_size(c, 12));
    /* the message of the chart, beside the 80% point */
    snprintf(text, sizeof text, tr(c, "%s clients (%s) make 80%% of %s",
                                   "%s clients (%s) font 80" NARROW_NBSP "%% du %s"),
             num(c, (double)(k80 + 1), 0, n1), pct(c, (double)(k80 + 1) / (double)npos, percent_decimals((double)(k80 + 1) / (double)npos), n2), measure);
    (void)n3;
    int right_side = x80 > (xmax + 0.4) * 0.6;
    char where[160];
    snprintf(where, sizeof where, "%.17g, second 0.8", x80);
    snprintf(cap, sizeof cap, "%s offset %s,-1.2 tc rgb '#1a1a1a' font '" FONT ":Bold,%d' front",
             right_side ? "right" : "left", right_side ? "-1" : "1", font_size(c, 14));
    emit_label(c, text, 0, where, cap);
    /* the legend above the plot; names, then the axis name, under it */
    sb_printf(b, "set tmargin at screen %.3f\nset rmargin %d\nset lmargin %d\n",
              top - (c->text ? 0.12 : 0.09), c->text ? 8 : 12, c->text ? 8 : 14);
    /* the legend: classes (clients, share of the value), then the curve */
    char legend_text[27][120];
    const char *legend[27];
    unsigned legend_rgb[27];
    int legend_line[27];
    for (size_t i = 0; i < k.n; i++) {
        snprintf(legend_text[i], sizeof legend_text[i], tr(c, "%s: %s clients, %s of %s", "%s : %s clients, %s du %s"),
                 k.name[i], num(c, (double)k.clients[i], 0, n1),
                 pct(c, k.value_share[i], percent_decimals(k.value_share[i]), n2), measure);
        legend[i] = legend_text[i];
        legend_rgb[i] = class_colour(i);
        legend_line[i] = 0;
    }
    legend[k.n] = tr(c, "cumulative share", "part cumul\xc3\xa9""e");
    legend_rgb[k.n] = 0xc0392b;
    legend_line[k.n] = 1;
    int rows = emit_legend(c, top - (c->text ? 0.04 : 0.03), k.n + 1, legend, legend_rgb, legend_line);
    if (rows > 1)
        sb_printf(b, "set tmargin at screen %.3f\n", top - (c->text ? 0.12 : 0.09) - (rows - 1) * (c->text ? 0.05 : 0.04));
    if (npos < c->nrows) {
        snprintf(text, sizeof text, tr(c, "%s clients with no positive %s are left out.",
                                       "%s clients sans %s positif sont exclus."),
                 num(c, (double)(c->nrows - npos), 0, n1), measure);
        emit_note(c, 0, text);
    }
    /* plot: bars, class legend entries, the curve and its 80% point */
    sb_add(b, "plot $bars using 1:3:($1-$2):($1+$2):(0):3:4 with boxxyerror lc rgb variable");
    sb_printf(b, ", \\\n     $cumulative using 1:2 axes x1y2 with lines lw 3 lc rgb '%s'", ACCENT);
    sb_printf(b, ", \\\n     $reach80 using 1:2 axes x1y2 with points pt 7 ps %.1f lc rgb '%s'\n",
              c->text ? 1.0 : 2.0, ACCENT);
    free(cls);
    free(p);
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
            return dx > 0 ? pt[i - 1].y + (pt[i].y - pt[i - 1].y) * (x - pt[i - 1].x) / dx : pt[i].y;
        }
    return n ? pt[n - 1].y : NAN;
}

static int chart_lorenz(struct chart *c, struct diag *diag)
{
    long xcol = need_column(c, "cum_clients_share", diag);
    if (xcol < 0)
        return -1;
    long ycol = need_column(c, "cum_share", diag);
    if (ycol < 0)
        return -1;
    long cls = find_column(c->t, "class");
    long vcol = -1;
    if (cls >= 0) {    /* the rows of cl-pareto: the value column names the measure */
        struct prow *p;
        size_t npos;
        if (read_pareto_rows(c, &p, &npos, &vcol, diag) != 0)
            return -1;
        free(p);
    }
    struct point *pt = malloc((c->nrows + 1) * sizeof *pt);
    if (!pt)
        return diag_set(diag, "out of memory");
    size_t n = 0;
    pt[n++] = (struct point){ 0, 0 };
    for (size_t r = 0; r < c->nrows; r++) {
        if (cls >= 0 && strcmp(cell(c, r, cls), "-") == 0)
            continue;
        struct point q;
        if (cell_number(c, r, xcol, 0, &q.x, diag) != 0 || cell_number(c, r, ycol, 0, &q.y, diag) != 0) {
            free(pt);
            return -1;
        }
        if (q.x == 0 && q.y == 0)
            continue;
        pt[n++] = q;
    }
    if (n < 2) {
        free(pt);
        return diag_set(diag, "%s: no point to plot", c->t->name);
    }
    qsort(pt, n, sizeof *pt, point_cmp);
    /* Gini from the curve: |2·area − 1|, the area by trapezoids. It is
     * exact on a curve with one point per client (cl-pareto's formula);
     * on a thinned curve it is within its step. */
    double area = 0;
    for (size_t i = 1; i < n; i++)
        area += (pt[i].x - pt[i - 1].x) * (pt[i].y + pt[i - 1].y) / 2;
    double gini = fabs(2 * area - 1);
    int largest_first = area >= 0.5;
    /* The "top 20%" point. On a curve with one point per client (x = i/n)
     * it is ⌈0.2·n⌉ clients, as cl-pareto's share_top20; on a thinned
     * curve, 20% read off the line. */
    double x20 = 0.2;
    double first = pt[1].x;
    double clients = round(1 / first);
    if (clients >= 1 && fabs(first * clients - 1) < 1e-9 && (double)(n - 1) == clients)
        x20 = ceil(0.2 * clients - 1e-9) / clients;
    double mark_x = largest_first ? x20 : 1 - x20;
    double mark_y = interpolate(pt, n, mark_x);
    double top20 = largest_first ? mark_y : 1 - mark_y;

    struct sbuf *b = &c->sb;
    const char *measure = measure_name(c, vcol >= 0 ? c->t->header[vcol] : NULL);
    char title[200], text[400], n1[64], n2[64];
    snprintf(title, sizeof title, tr(c, "Concentration of %s (Lorenz curve)",
                                     "Concentration du %s (courbe de Lorenz)"), measure);
    double top = emit_head(c, title);
    sb_add(b, "$curve << EOD\n");
    for (size_t i = 0; i < n; i++)
        sb_printf(b, "%.17g %.17g\n", pt[i].x, pt[i].y);
    sb_printf(b, "EOD\n$equality << EOD\n0 0\n1 1\nEOD\n$mark << EOD\n%.17g %.17g\nEOD\n", mark_x, mark_y);
    free(pt);
    /* the square on the left, the words on the right */
    sb_printf(b, "set size ratio 1\nset tmargin at screen %.3f\nset bmargin at screen %.3f\n"
                 "set lmargin at screen %.3f\nset rmargin at screen %.3f\n",
              top - 0.02, c->text ? 0.14 : 0.13, c->text ? 0.12 : 0.09, 0.60);
    emit_percent_tics(c, "x", 1);
    emit_percent_tics(c, "y", 1);
    if (!c->text)
        sb_add(b, "set grid xtics ytics lt 1 lc rgb '#d9d9d9' lw 1 dt 1\n");
    emit_axis_label(c, "x", largest_first ? tr(c, "Share of clients, largest first",
                                               "Part des clients, les plus gros d'abord")
                                          : tr(c, "Share of clients, smallest first",
                                               "Part des clients, les plus petits d'abord"));
    snprintf(text, sizeof text, tr(c, "Cumulative share of %s", "Part cumul\xc3\xa9""e du %s"), measure);
    emit_axis_label(c, "y", text);
    /* guide lines to the marked point and the message */
    sb_printf(b, "set arrow 1 from %.17g, 0 to %.17g, %.17g nohead dt 2 lw 1.5 lc rgb '%s'\n",
              mark_x, mark_x, mark_y, ACCENT);
    sb_printf(b, "set arrow 2 from 0, %.17g to %.17g, %.17g nohead dt 2 lw 1.5 lc rgb '%s'\n",
              mark_y, mark_x, mark_y, ACCENT);
    char opts[160], line2[300], line3[300];
    snprintf(line2, sizeof line2, tr(c, "make %s of %s.", "font %s du %s."), pct(c, top20, 1, n1), measure);
    const char *message[] = { tr(c, "The top 20% of clients", "Les 20" NARROW_NBSP "% premiers clients"), line2 };
    snprintf(opts, sizeof opts, "left font '" FONT ":Bold,%d' tc rgb '#1a1a1a'", font_size(c, 18));
    emit_lines(c, message, 2, "screen 0.64, screen 0.66", opts);
    snprintf(text, sizeof text, tr(c, "Gini index: %s", "Indice de Gini : %s"), num(c, gini, 2, n2));
    snprintf(line3, sizeof line3, "%s", tr(c, "(0: all clients equal; 1: one client makes all)",
                                             "(0 : clients tous \xc3\xa9gaux ; 1 : un seul fait tout)"));
    const char *gini_lines[] = { text, line3 };
    snprintf(opts, sizeof opts, "left font '" FONT ",%d' tc rgb '#333333'", font_size(c, 14));
    emit_lines(c, gini_lines, 2, "screen 0.64, screen 0.52", opts);
    sb_printf(b, "set key at screen 0.64, screen 0.42 left top vertical reverse Left samplen 2 spacing 1.3 font '" FONT ",%d'\n",
              font_size(c, 14));
    sb_printf(b, "plot $curve using 1:2:1 with filledcurves fs transparent solid 0.6 lc rgb '#b9d3ea', \\\n"
                 "     $equality using 1:2 with lines dt 2 lw 2 lc rgb '#888888' title ");
    sb_str(b, tr(c, "perfect equality", "\xc3\xa9galit\xc3\xa9 parfaite"), 0);
    snprintf(text, sizeof text, tr(c, "Lorenz curve (Gini %s)", "courbe de Lorenz (Gini %s)"),
             num(c, gini, 2, n2));
    sb_printf(b, ", \\\n     $curve using 1:2 with lines lw 3 lc rgb '#1f4e79' title ");
    sb_str(b, text, 0);
    sb_printf(b, ", \\\n     $mark using 1:2 with points pt 7 ps %.1f lc rgb '%s'\n", c->text ? 1.0 : 2.0, ACCENT);
    return 0;
}

/* ====================================================================== */
/* abc                                                                     */

static int chart_abc(struct chart *c, struct diag *diag)
{
    struct metrics m = { 0 };
    if (read_metrics(c, &m, diag) != 0) {
        metrics_free(&m);
        return -1;
    }
    /* classes from the metric names class_<X>_clients_share */
    const char *names[26];
    size_t nclass = 0;
    for (size_t i = 0; i < m.n && nclass < 26; i++) {
        const char *s = m.names[i];
        size_t len = strlen(s);
        const char *suffix = "_clients_share";
        size_t sl = strlen(suffix);
        if (strncmp(s, "class_", 6) == 0 && len > 6 + sl && strcmp(s + len - sl, suffix) == 0)
            names[nclass++] = s;
    }
    if (nclass == 0) {
        metrics_free(&m);
        return diag_set(diag, "%s: no class_X_clients_share metric: the abc chart reads %s",
                        c->t->name, kind_reads[PLOT_ABC]);
    }
    qsort(names, nclass, sizeof names[0], str_ptr_cmp);
    struct sbuf *b = &c->sb;
    const char *measure = measure_name(c, NULL);
    char title[200], text[400], n1[64], key[160], cname[64];
    snprintf(title, sizeof title, tr(c, "ABC classes: share of clients and of %s",
                                     "Classes ABC : part des clients et du %s"), measure);
    double top = emit_head(c, title);
    double ymax = 0;
    double cs[26], vs[26], cn[26];
    char cls[26][48];
    for (size_t i = 0; i < nclass; i++) {
        size_t len = strlen(names[i]) - 6 - strlen("_clients_share");
        snprintf(cls[i], sizeof cls[i], "%.*s", (int)(len < 40 ? len : 40), names[i] + 6);
        snprintf(key, sizeof key, "class_%.40s_clients_share", cls[i]);
        cs[i] = metric(&m, key);
        snprintf(key, sizeof key, "class_%.40s_value_share", cls[i]);
        vs[i] = metric(&m, key);
        snprintf(key, sizeof key, "class_%.40s_clients", cls[i]);
        cn[i] = metric(&m, key);
        ymax = fmax(ymax, fmax(isfinite(cs[i]) ? cs[i] : 0, isfinite(vs[i]) ? vs[i] : 0));
    }
    sb_add(b, "$shares << EOD\n");
    for (size_t i = 0; i < nclass; i++) {
        sb_printf(b, "%zu ", i + 1);
        if (isfinite(cs[i])) sb_printf(b, "%.17g ", cs[i]); else sb_add(b, "? ");
        if (isfinite(vs[i])) sb_printf(b, "%.17g\n", vs[i]); else sb_add(b, "?\n");
    }
    sb_add(b, "EOD\n");
    sb_printf(b, "set xrange [0.4:%.1f]\n", nclass + 0.6);
    sb_printf(b, "set xtics scale 0 font '" FONT ",%d' (", font_size(c, 15));
    for (size_t i = 0; i < nclass; i++) {
        snprintf(cname, sizeof cname, tr(c, "Class %s", "Classe %s"), cls[i]);
        sb_add(b, i ? ", " : "");
        sb_tic(b, cname, 30);
        if (isfinite(cn[i])) {
            snprintf(text, sizeof text, tr(c, "%s clients", "%s clients"), num(c, cn[i], 0, n1));
            sb_add(b, " . \"\\n\" . ");
            sb_tic(b, text, 0);
        }
        sb_printf(b, " %zu", i + 1);
    }
    sb_add(b, ")\n");
    emit_percent_tics(c, "y", ymax * 1.15);
    if (!c->text)
        sb_add(b, "set grid ytics lt 1 lc rgb '#d9d9d9' lw 1 dt 1\n");
    sb_printf(b, "set tmargin at screen %.3f\nset bmargin %d\n", top - 0.03, c->text ? 4 : 6);
    /* value labels above the bars */
    int tag = 10;
    for (size_t i = 0; i < nclass; i++) {
        for (int s = 0; s < 2; s++) {
            double v = s ? vs[i] : cs[i];
            if (!isfinite(v))
                continue;
            char where[100], opts[120];
            snprintf(where, sizeof where, "%.3f, %.17g", i + 1 + (s ? 0.2 : -0.2), v);
            snprintf(opts, sizeof opts, "center offset 0,0.9 front font '" FONT ":Bold,%d' tc rgb '#1a1a1a'",
                     font_size(c, 15));
            sb_printf(b, "set label %d ", tag++);
            sb_str(b, pct(c, v, percent_decimals(v), n1), 0);
            sb_printf(b, " at %s %s\n", where, opts);
        }
    }
    sb_printf(b, "set key inside right top vertical reverse Left samplen 1.5 spacing 1.3 font '" FONT ",%d'\n", font_size(c, 14));
    double clients = metric(&m, "clients"), nonpositive = metric(&m, "nonpositive");
    int note = 0;
    if (isfinite(nonpositive) && nonpositive > 0) {
        snprintf(text, sizeof text, tr(c, "%s clients with no positive %s are left out.",
                                       "%s clients sans %s positif sont exclus."),
                 num(c, nonpositive, 0, n1), measure);
        emit_note(c, note++, text);
    }
    if (isfinite(clients)) {
        snprintf(text, sizeof text, tr(c, "%s clients in all.", "%s clients au total."), num(c, clients, 0, n1));
        emit_note(c, note++, text);
    }
    sb_add(b, "plot $shares using 1:2:($1-0.38):($1-0.02):(0):2 with boxxyerror lc rgb '#a9cbe8' title ");
    sb_str(b, tr(c, "share of clients", "part des clients"), 0);
    snprintf(text, sizeof text, tr(c, "share of %s", "part du %s"), measure);
    sb_add(b, ", \\\n     $shares using 1:3:($1+0.02):($1+0.38):(0):3 with boxxyerror lc rgb '#1f4e79' title ");
    sb_str(b, text, 0);
    sb_add(b, "\n");
    metrics_free(&m);
    return 0;
}

/* ====================================================================== */
/* migration                                                               */

static const char *class_label(const struct chart *c, const char *name)
{
    if (strcmp(name, "-") == 0)
        return tr(c, "none (\xe2\x89\xa4 0)", "aucune (\xe2\x89\xa4 0)");
    if (strcmp(name, "new") == 0)
        return tr(c, "new", "nouveaux");
    if (strcmp(name, "lost") == 0)
        return tr(c, "lost", "perdus");
    return name;
}

static int chart_migration(struct chart *c, struct diag *diag)
{
    struct metrics m = { 0 };
    if (read_metrics(c, &m, diag) != 0) {
        metrics_free(&m);
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
                    metrics_free(&m);
                    return diag_set(diag, "out of memory");
                }
                classes[nclass++] = copy;
            }
        }
    }
    if (found == 0) {
        metrics_free(&m);
        return diag_set(diag, "%s: no migrate_FROM_TO metric: the migration chart reads %s",
                        c->t->name, kind_reads[PLOT_MIGRATION]);
    }
    qsort(classes, nclass, sizeof classes[0], str_ptr_cmp);
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
            counts[i][j] = metric(&m, name);
            if (isfinite(counts[i][j]))
                max = fmax(max, counts[i][j]);
        }
    struct sbuf *b = &c->sb;
    char text[300], n1[64];
    double top = emit_head(c, tr(c, "Class migrations since the previous period",
                                 "Migrations de classe depuis la p\xc3\xa9riode pr\xc3\xa9""c\xc3\xa9""dente"));
    sb_add(b, "$cells << EOD\n");
    for (size_t i = 0; i < nr; i++)
        for (size_t j = 0; j < nc; j++) {
            double v = counts[i][j];
            unsigned rgb = !isfinite(v) ? 0xeeeeee
                         : mix_rgb(0xf4f8fb, 0x1f4e79, max > 0 ? log1p(v) / log1p(max) : 0);
            sb_printf(b, "%zu %zu %u\n", j + 1, i + 1, rgb);
        }
    sb_add(b, "EOD\n");
    int tag = 10;
    for (size_t i = 0; i < nr; i++)
        for (size_t j = 0; j < nc; j++) {
            double v = counts[i][j];
            if (!isfinite(v))
                continue;
            unsigned rgb = mix_rgb(0xf4f8fb, 0x1f4e79, max > 0 ? log1p(v) / log1p(max) : 0);
            sb_printf(b, "set label %d ", tag++);
            sb_str(b, num(c, v, 0, n1), 0);
            sb_printf(b, " at %zu, %zu center front font '" FONT "%s,%d' tc rgb '%s'\n", j + 1, i + 1,
                      i == j ? ":Bold" : "", font_size(c, 16), ink_on(rgb));
        }
    sb_printf(b, "set xrange [0.5:%.1f]\nset yrange [%.1f:0.5]\n", nc + 0.5, nr + 0.5);
    sb_printf(b, "set x2range [0.5:%.1f]\nunset xtics\nset x2tics scale 0 font '" FONT ",%d' (", nc + 0.5, font_size(c, 15));
    for (size_t j = 0; j < nc; j++) {
        sb_add(b, j ? ", " : "");
        sb_tic(b, class_label(c, cols[j]), 20);
        sb_printf(b, " %zu", j + 1);
    }
    sb_printf(b, ")\nset ytics scale 0 font '" FONT ",%d' (", font_size(c, 15));
    for (size_t i = 0; i < nr; i++) {
        sb_add(b, i ? ", " : "");
        sb_tic(b, class_label(c, rows[i]), 20);
        sb_printf(b, " %zu", i + 1);
    }
    sb_add(b, ")\nset border 0\n");
    emit_axis_label(c, "x2", tr(c, "Class now", "Classe actuelle"));
    emit_axis_label(c, "y", tr(c, "Class in the previous period", "Classe \xc3\xa0 la p\xc3\xa9riode pr\xc3\xa9""c\xc3\xa9""dente"));
    sb_printf(b, "set size ratio %.4f\nset tmargin at screen %.3f\nset bmargin at screen %.3f\n",
              (double)nr / (double)nc, top - 0.10, 0.09);
    emit_note(c, 0, tr(c, "Each cell counts the clients that moved from the row's class to the column's class; the diagonal kept their class.",
                       "Chaque case compte les clients pass\xc3\xa9s de la classe de la ligne \xc3\xa0 celle de la colonne ; la diagonale a gard\xc3\xa9 sa classe."));
    (void)text;
    sb_add(b, "plot $cells using 1:2:($1-0.48):($1+0.48):($2-0.48):($2+0.48):3 with boxxyerror lc rgb variable\n");
    for (size_t i = 0; i < nclass; i++)
        free(classes[i]);
    metrics_free(&m);
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

struct segment {
    const char *name;
    size_t clients;
    double value;
    size_t order;       /* position in the usual list, or beyond */
};

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
            return tr(c, rfm_segments[i].en, rfm_segments[i].fr);
        }
    *order = RFM_SEGMENTS;
    return name;
}

static int chart_rfm(struct chart *c, struct diag *diag)
{
    long scol = need_column(c, "segment", diag);
    if (scol < 0)
        return -1;
    long vcol = -1;
    if (c->o->value_column) {
        vcol = find_column(c->t, c->o->value_column);
        if (vcol < 0)
            return diag_set(diag, "%s: no column \"%s\" (--value)", c->t->name, c->o->value_column);
    } else {
        static const char *const names[] = { "revenue", "monetary", "chiffre_affaires", "ca", "montant", "amount" };
        for (size_t i = 0; i < sizeof names / sizeof names[0] && vcol < 0; i++)
            vcol = find_column(c->t, names[i]);
    }
    struct segment *seg = calloc(c->nrows + 1, sizeof *seg);
    if (!seg)
        return diag_set(diag, "out of memory");
    size_t nseg = 0;
    double total = 0;
    for (size_t r = 0; r < c->nrows; r++) {
        const char *name = cell(c, r, scol);
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
            if (cell_number(c, r, vcol, 1, &v, diag) != 0) {
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
    struct sbuf *b = &c->sb;
    const char *measure = measure_name(c, vcol >= 0 ? c->t->header[vcol] : NULL);
    char title[200], text[300], n1[64], n2[64];
    if (with_value)
        snprintf(title, sizeof title, tr(c, "RFM segments: clients and %s", "Segments RFM : clients et %s"), measure);
    else
        snprintf(title, sizeof title, "%s", tr(c, "RFM segments: clients", "Segments RFM : clients"));
    double top = emit_head(c, title);
    double max = 0;
    sb_add(b, "$segments << EOD\n");
    for (size_t i = 0; i < nseg; i++) {
        double cs = (double)seg[i].clients / (double)c->nrows;
        double vs = with_value ? seg[i].value / total : NAN;
        max = fmax(max, fmax(cs, with_value ? vs : 0));
        sb_printf(b, "%zu %.17g ", i + 1, cs);
        if (with_value) sb_printf(b, "%.17g\n", vs); else sb_add(b, "?\n");
    }
    sb_add(b, "EOD\n");
    double h = with_value ? 0.19 : 0.3;
    int tag = 10;
    for (size_t i = 0; i < nseg; i++) {
        double cs = (double)seg[i].clients / (double)c->nrows;
        char where[100], opts[120];
        snprintf(opts, sizeof opts, "left offset 0.6,0 front font '" FONT ",%d' tc rgb '#1a1a1a'", font_size(c, 13));
        snprintf(where, sizeof where, "%.17g, %.3f", cs, i + 1 - (with_value ? h : 0));
        sb_printf(b, "set label %d ", tag++);
        sb_str(b, pct(c, cs, percent_decimals(cs), n1), 0);
        sb_printf(b, " at %s %s\n", where, opts);
        if (with_value) {
            double vs = seg[i].value / total;
            snprintf(where, sizeof where, "%.17g, %.3f", fmax(vs, 0), i + 1 + h);
            sb_printf(b, "set label %d ", tag++);
            sb_str(b, pct(c, vs, percent_decimals(vs), n1), 0);
            sb_printf(b, " at %s %s\n", where, opts);
        }
    }
    sb_printf(b, "set yrange [%.1f:0.4]\nset ytics scale 0 font '" FONT ",%d' (", nseg + 0.6, font_size(c, nseg > 12 ? 11 : 13));
    for (size_t i = 0; i < nseg; i++) {
        size_t order;
        const char *label = segment_label(c, seg[i].name, &order);
        char shown[200];
        snprintf(shown, sizeof shown, "%.60s (%s)", label, num(c, (double)seg[i].clients, 0, n2));
        sb_add(b, i ? ", " : "");
        sb_tic(b, shown, 40);
        sb_printf(b, " %zu", i + 1);
    }
    sb_add(b, ")\n");
    emit_percent_tics(c, "x", max * 1.15);
    if (!c->text)
        sb_add(b, "set grid xtics lt 1 lc rgb '#d9d9d9' lw 1 dt 1\n");
    if (with_value)
        snprintf(text, sizeof text, tr(c, "Share of clients and of %s", "Part des clients et du %s"), measure);
    else
        snprintf(text, sizeof text, "%s", tr(c, "Share of clients", "Part des clients"));
    emit_axis_label(c, "x", text);
    sb_printf(b, "set tmargin at screen %.3f\nset bmargin %d\nset rmargin %d\n", top - (with_value ? 0.06 : 0.02),
              c->text ? 4 : 5, c->text ? 4 : 6);
    snprintf(text, sizeof text, tr(c, "%s clients in all; segment (clients).", "%s clients au total ; segment (clients)."),
             num(c, (double)c->nrows, 0, n1));
    emit_note(c, 0, text);
    if (with_value)
        sb_printf(b, "set key at screen 0.5, screen %.3f center center horizontal reverse Left samplen 1.5 width 2 font '" FONT ",%d'\n",
                  top - 0.03, font_size(c, 13));
    sb_printf(b, "plot $segments using 2:1:(0):2:($1-%.2f):($1%+.2f) with boxxyerror lc rgb '%s' title ",
              with_value ? 2 * h : h, with_value ? 0.0 : h, with_value ? "#a9cbe8" : "#4a90c8");
    sb_str(b, tr(c, "share of clients", "part des clients"), 0);
    if (with_value) {
        snprintf(text, sizeof text, tr(c, "share of %s", "part du %s"), measure);
        sb_printf(b, ", \\\n     $segments using 3:1:(0):3:($1):($1+%.2f) with boxxyerror lc rgb '#1f4e79' title ", 2 * h);
        sb_str(b, text, 0);
    }
    sb_add(b, "\n");
    free(seg);
    return 0;
}

/* ====================================================================== */
/* share                                                                   */

static int chart_share(struct chart *c, struct diag *diag)
{
    long scol = find_column(c->t, "segment");
    if (scol < 0)
        scol = 0;
    long clients = need_column(c, "clients", diag), eff, ncr, se, sp;
    if (clients < 0 || (eff = need_column(c, "effective", diag)) < 0
        || (ncr = need_column(c, "ncr", diag)) < 0
        || (se = need_column(c, "share_effective", diag)) < 0
        || (sp = need_column(c, "share_potential", diag)) < 0)
        return -1;
    if (single_value(c, "period", diag) != 0)
        return -1;
    struct sbuf *b = &c->sb;
    char text[300], n1[64], n2[64];
    double top = emit_head(c, tr(c, "Market share by segment", "Part de march\xc3\xa9 par segment"));
    size_t n = 0;
    double max = 0, total_se = NAN, total_sp = NAN;
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
            if (cell_number(c, r, cols[i], i >= 3, &x[i], diag) != 0) {
                free(seg);
                free(v);
                return -1;
            }
        if (strcmp(cell(c, r, scol), "TOTAL") == 0) {
            total_se = x[3];
            total_sp = x[4];
            continue;
        }
        memcpy(v[n], x, sizeof x);
        seg[n++] = r;
        max = fmax(max, x[1] + x[2]);
    }
    if (n == 0) {
        free(seg);
        free(v);
        return diag_set(diag, "%s: no segment to plot", c->t->name);
    }
    /* x, clients, competitors' clients, NCR */
    sb_add(b, "$segments << EOD\n");
    for (size_t i = 0; i < n; i++)
        sb_printf(b, "%zu %.17g %.17g %.17g\n", i + 1, v[i][0], v[i][1] - v[i][0], v[i][2]);
    sb_add(b, "EOD\n");
    int tag = 10;
    for (size_t i = 0; i < n; i++) {
        char where[100], opts[160];
        snprintf(where, sizeof where, "%zu, %.17g", i + 1, v[i][1] + v[i][2]);
        snprintf(text, sizeof text, tr(c, "eff. %s", "eff. %s"), pct(c, v[i][3], 1, n1));
        snprintf(opts, sizeof opts, "center offset 0,%s front font '" FONT ":Bold,%d' tc rgb '#1f4e79'",
                 c->text ? "2" : "2.1", font_size(c, 13));
        sb_printf(b, "set label %d ", tag++);
        sb_str(b, text, 0);
        sb_printf(b, " at %s %s\n", where, opts);
        snprintf(text, sizeof text, tr(c, "pot. %s", "pot. %s"), pct(c, v[i][4], 1, n1));
        snprintf(opts, sizeof opts, "center offset 0,%s front font '" FONT ",%d' tc rgb '#333333'",
                 c->text ? "1" : "0.9", font_size(c, 13));
        sb_printf(b, "set label %d ", tag++);
        sb_str(b, text, 0);
        sb_printf(b, " at %s %s\n", where, opts);
    }
    sb_printf(b, "set xrange [0.4:%.1f]\n", n + 0.6);
    int rotate = n > 7;
    sb_printf(b, "set xtics scale 0 %s font '" FONT ",%d' (", rotate ? "rotate by 30 right" : "",
              font_size(c, n > 12 ? 11 : 14));
    for (size_t i = 0; i < n; i++) {
        sb_add(b, i ? ", " : "");
        sb_tic(b, cell(c, seg[i], scol), rotate ? 24 : 18);
        sb_printf(b, " %zu", i + 1);
    }
    sb_add(b, ")\n");
    emit_value_tics(c, "y", max * 1.2);
    if (!c->text)
        sb_add(b, "set grid ytics lt 1 lc rgb '#d9d9d9' lw 1 dt 1\n");
    emit_axis_label(c, "y", tr(c, "People (potential clientele)", "Personnes (client\xc3\xa8le potentielle)"));
    sb_printf(b, "set tmargin at screen %.3f\nset bmargin %d\n", top - 0.07, c->text ? 6 : (rotate ? 9 : 7));
    sb_printf(b, "set key at screen 0.5, screen %.3f center center horizontal reverse Left samplen 1.5 width 2 font '" FONT ",%d'\n",
              top - 0.035, font_size(c, 13));
    if (isfinite(total_se) || isfinite(total_sp)) {
        snprintf(text, sizeof text, tr(c, "All segments: %s of effective demand, %s of potential demand.",
                                       "Tous segments : %s de la demande effective, %s de la demande potentielle."),
                 pct(c, total_se, 1, n1), pct(c, total_sp, 1, n2));
        emit_note(c, 1, text);
    }
    emit_note(c, 0, tr(c, "eff. = our clients / actual consumers;  pot. = our clients / (actual consumers + relative non-consumers).",
                       "eff. = nos clients / consommateurs effectifs ;  pot. = nos clients / (consommateurs effectifs + non-consommateurs relatifs)."));
    sb_add(b, "plot $segments using 1:2:($1-0.36):($1+0.36):(0):2 with boxxyerror lc rgb '#1f4e79' title ");
    sb_str(b, tr(c, "our clients", "nos clients"), 0);
    sb_add(b, ", \\\n     $segments using 1:($2+$3):($1-0.36):($1+0.36):2:($2+$3) with boxxyerror lc rgb '#f28e2b' title ");
    sb_str(b, tr(c, "competitors' clients", "clients des concurrents"), 0);
    sb_add(b, ", \\\n     $segments using 1:($2+$3+$4):($1-0.36):($1+0.36):($2+$3):($2+$3+$4) with boxxyerror fs pattern 4 lc rgb '#8a8a8a' title ");
    sb_str(b, tr(c, "not consuming yet (relative non-consumers)", "non-consommateurs relatifs"), 0);
    sb_add(b, "\n");
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
    double sum1, sum2;
};

static int cluster_cmp(const void *a, const void *b)
{
    const struct cluster *x = a, *y = b;
    return (x->id > y->id) - (x->id < y->id);
}

static unsigned category_colour(size_t i)
{
    return category_rgb[i % (sizeof category_rgb / sizeof category_rgb[0])];
}

static int chart_clusters(struct chart *c, struct diag *diag)
{
    long kcol = need_column(c, "cluster", diag), x, y;
    if (kcol < 0 || (x = need_column(c, "pc1", diag)) < 0 || (y = need_column(c, "pc2", diag)) < 0)
        return -1;
    long lcol = find_column(c->t, "label");
    struct cluster *k = calloc(c->nrows + 1, sizeof *k);
    size_t *which = malloc((c->nrows + 1) * sizeof *which);
    double (*xy)[2] = malloc((c->nrows + 1) * sizeof *xy);
    if (!k || !which || !xy) {
        free(k); free(which); free(xy);
        return diag_set(diag, "out of memory");
    }
    size_t nk = 0;
    for (size_t r = 0; r < c->nrows; r++) {
        double id;
        if (cell_number(c, r, kcol, 0, &id, diag) != 0 || cell_number(c, r, x, 0, &xy[r][0], diag) != 0
            || cell_number(c, r, y, 0, &xy[r][1], diag) != 0) {
            free(k); free(which); free(xy);
            return -1;
        }
        size_t i = 0;
        while (i < nk && k[i].id != id)
            i++;
        if (i == nk) {
            if (nk == 100) {
                free(k); free(which); free(xy);
                return diag_set(diag, "%s: more than 100 clusters: too many to draw", c->t->name);
            }
            k[nk].id = id;
            k[nk].label = lcol >= 0 ? cell(c, r, lcol) : "";
            nk++;
        }
        k[i].size++;
        k[i].sum1 += xy[r][0];
        k[i].sum2 += xy[r][1];
    }
    if (nk == 0) {
        free(k); free(which); free(xy);
        return diag_set(diag, "%s: no rows to plot", c->t->name);
    }
    qsort(k, nk, sizeof *k, cluster_cmp);
    for (size_t r = 0; r < c->nrows; r++) {
        double id;
        cell_number(c, r, kcol, 0, &id, diag);
        size_t i = 0;
        while (k[i].id != id)
            i++;
        which[r] = i;
    }
    struct sbuf *b = &c->sb;
    char text[300], n1[64], n2[64];
    double top = emit_head(c, tr(c, "Client personas: the clusters", "Personas clients : les groupes"));
    /* one datablock per cluster; a large table is thinned evenly */
    size_t stride = c->nrows > 30000 ? (c->nrows + 29999) / 30000 : 1;
    for (size_t i = 0; i < nk; i++) {
        sb_printf(b, "$cluster%zu << EOD\n", i + 1);
        size_t seen = 0;
        for (size_t r = 0; r < c->nrows; r++)
            if (which[r] == i && seen++ % stride == 0)
                sb_printf(b, "%.17g %.17g\n", xy[r][0], xy[r][1]);
        sb_add(b, "EOD\n");
    }
    sb_add(b, "$centroids << EOD\n");
    for (size_t i = 0; i < nk; i++)
        sb_printf(b, "%.17g %.17g %u\n", k[i].sum1 / k[i].size, k[i].sum2 / k[i].size, category_colour(i));
    sb_add(b, "EOD\n");
    int tag = 10;
    for (size_t i = 0; i < nk; i++) {
        char where[100];
        snprintf(where, sizeof where, "%.17g, %.17g", k[i].sum1 / k[i].size, k[i].sum2 / k[i].size);
        sb_printf(b, "set label %d ", tag++);
        sb_str(b, num(c, k[i].id, k[i].id == floor(k[i].id) ? 0 : 2, n1), 0);
        sb_printf(b, " at %s center front font '" FONT ":Bold,%d' tc rgb '%s'\n", where, font_size(c, 13),
                  c->text ? "black" : ink_on(category_colour(i)));
    }
    sb_add(b, "set grid xtics ytics lt 1 lc rgb '#e6e6e6' lw 1 dt 1\nset xtics font ',12'\nset ytics font ',12'\n"
              "set format x '%.1f'\nset format y '%.1f'\nset xzeroaxis lc rgb '#bbbbbb'\nset yzeroaxis lc rgb '#bbbbbb'\n");
    emit_axis_label(c, "x", tr(c, "Principal component 1", "Composante principale 1"));
    emit_axis_label(c, "y", tr(c, "Principal component 2", "Composante principale 2"));
    sb_printf(b, "set tmargin at screen %.3f\nset bmargin %d\nset offsets graph 0.03, graph 0.03, graph 0.03, graph 0.03\n",
              top - 0.02, c->text ? 4 : 5);
    sb_printf(b, "set key outside right top vertical Left reverse samplen 0.5 spacing 1.6 width 1 font '" FONT ",%d'\n",
              font_size(c, 13));
    emit_note(c, 0, tr(c, "Each point is a client, placed by the two main directions of the scaled features; the numbered discs are the cluster centres.",
                       "Chaque point est un client, plac\xc3\xa9 selon les deux axes principaux des variables centr\xc3\xa9""es r\xc3\xa9""duites ; les disques num\xc3\xa9rot\xc3\xa9s sont les centres."));
    double alpha = c->nrows > 2000 ? 0.55 : c->nrows > 300 ? 0.3 : 0;
    double ps = c->nrows > 2000 ? 0.6 : c->nrows > 300 ? 0.9 : 1.3;
    sb_add(b, "plot ");
    for (size_t i = 0; i < nk; i++) {
        char idtext[64];
        num(c, k[i].id, k[i].id == floor(k[i].id) ? 0 : 2, idtext);
        char label[120];
        snprintf(label, sizeof label, "%.100s", k[i].label);
        if (strlen(k[i].label) > 46) {
            /* cut at a character boundary, leaving room for the ellipsis */
            size_t cutp = 46;
            while (cutp > 0 && ((unsigned char)label[cutp] & 0xC0) == 0x80)
                cutp--;
            strcpy(label + cutp, ELLIPSIS);
        }
        snprintf(text, sizeof text, tr(c, "%s%s%s (%s clients, %s)", "%s%s%s (%s clients, %s)"), idtext, label[0] ? " \xc2\xb7 " : "", label,
                 num(c, (double)k[i].size, 0, n1), pct(c, (double)k[i].size / (double)c->nrows, 0, n2));
        sb_printf(b, "%s$cluster%zu using 1:2 with points pt 7 ps %.1f lc rgb '#%02x%06x' title ",
                  i ? ", \\\n     " : "", i + 1, ps, (unsigned)lround(alpha * 255), category_colour(i));
        sb_str(b, text, 0);
    }
    sb_printf(b, ", \\\n     $centroids using 1:2:3 with points pt 7 ps %.1f lc rgb variable, \\\n"
                 "     $centroids using 1:2 with points pt 6 ps %.1f lw 2 lc rgb '#1a1a1a'\n",
              c->text ? 1.0 : 4.2, c->text ? 1.0 : 4.2);
    free(k);
    free(which);
    free(xy);
    return 0;
}

/* ====================================================================== */
/* select                                                                  */

static int chart_select(struct chart *c, struct diag *diag)
{
    long kcol = need_column(c, "k", diag), icol, scol;
    if (kcol < 0 || (icol = need_column(c, "inertia", diag)) < 0 || (scol = need_column(c, "silhouette", diag)) < 0)
        return -1;
    long ccol = find_column(c->t, "chosen");
    struct sbuf *b = &c->sb;
    char text[300], n1[64];
    double top = emit_head(c, tr(c, "How many personas? Choosing k", "Combien de personas ? Le choix de k"));
    double kmin = INFINITY, kmax = -INFINITY, imax = 0, chosen = NAN, chosen_sil = NAN;
    sb_add(b, "$select << EOD\n");
    for (size_t r = 0; r < c->nrows; r++) {
        double k, inertia, sil, ch = 0;
        if (cell_number(c, r, kcol, 0, &k, diag) != 0 || cell_number(c, r, icol, 1, &inertia, diag) != 0
            || cell_number(c, r, scol, 1, &sil, diag) != 0
            || (ccol >= 0 && cell_number(c, r, ccol, 1, &ch, diag) != 0))
            return -1;
        kmin = fmin(kmin, k);
        kmax = fmax(kmax, k);
        if (isfinite(inertia))
            imax = fmax(imax, inertia);
        if (ch == 1) {
            chosen = k;
            chosen_sil = sil;
        }
        sb_printf(b, "%.17g ", k);
        if (isfinite(inertia)) sb_printf(b, "%.17g ", inertia); else sb_add(b, "? ");
        if (isfinite(sil)) sb_printf(b, "%.17g\n", sil); else sb_add(b, "?\n");
    }
    sb_add(b, "EOD\n");
    if (c->nrows == 0)
        return diag_set(diag, "%s: no rows to plot", c->t->name);
    sb_printf(b, "set xrange [%.17g:%.17g]\nset xtics 1 font ',14'\n", kmin - 0.5, kmax + 0.5);
    emit_value_tics(c, "y", imax * 1.08);
    sb_add(b, "set y2range [*:*]\nset y2tics nomirror out font ',13'\nset format y2 '%.2f'\nset border 11 lw 1 lc rgb '#555555'\n"
              "set grid xtics ytics lt 1 lc rgb '#e6e6e6' lw 1 dt 1\n");
    emit_axis_label(c, "x", tr(c, "Number of clusters k", "Nombre de groupes k"));
    emit_axis_label(c, "y", tr(c, "Inertia (lower: tighter clusters)", "Inertie (plus bas : groupes plus serr\xc3\xa9s)"));
    emit_axis_label(c, "y2", tr(c, "Mean silhouette (higher: better separated)", "Silhouette moyenne (plus haut : mieux s\xc3\xa9par\xc3\xa9s)"));
    if (isfinite(chosen)) {
        sb_printf(b, "set arrow 1 from %.17g, graph 0 to %.17g, graph 1 nohead dt 2 lw 2 lc rgb '%s' back\n",
                  chosen, chosen, ACCENT);
        snprintf(text, sizeof text, tr(c, "chosen: k = %s", "retenu : k = %s"), num(c, chosen, 0, n1));
        char where[100], opts[160];
        snprintf(where, sizeof where, "%.17g, graph 0.05", chosen);
        snprintf(opts, sizeof opts, "center boxed font '" FONT ":Bold,%d' tc rgb '%s' front", font_size(c, 14), ACCENT);
        sb_add(b, "set style textbox opaque noborder margins 4,3\n");
        emit_label(c, text, 0, where, opts);
        (void)chosen_sil;
    }
    sb_printf(b, "set tmargin at screen %.3f\nset bmargin %d\nset lmargin %d\nset rmargin %d\n",
              top - 0.07, c->text ? 3 : 4, c->text ? 10 : 14, c->text ? 10 : 12);
    sb_printf(b, "set key at screen 0.5, screen %.3f center center horizontal reverse Left samplen 2 width 2 font '" FONT ",%d'\n",
              top - 0.035, font_size(c, 13));
    sb_add(b, "plot $select using 1:2 with linespoints lw 3 pt 7 ps 1.5 lc rgb '#1f4e79' title ");
    sb_str(b, tr(c, "inertia (left axis)", "inertie (axe de gauche)"), 0);
    sb_printf(b, ", \\\n     $select using 1:3 axes x1y2 with linespoints lw 3 pt 5 ps 1.5 lc rgb '%s' title ", "#f28e2b");
    sb_str(b, tr(c, "silhouette (right axis)", "silhouette (axe de droite)"), 0);
    sb_add(b, "\n");
    return 0;
}

/* ====================================================================== */
/* personas                                                                */

static const char *feature_label(const struct chart *c, const char *name, char *out, size_t size)
{
    static const struct { const char *key, *en, *fr; } known[] = {
        { "revenue", "Revenue", "Chiffre d'affaires" },
        { "margin", "Margin", "Marge" },
        { "quantity", "Quantity", "Quantit\xc3\xa9" },
        { "lines", "Lines", "Lignes" },
        { "orders", "Orders", "Commandes" },
        { "recencydays", "Recency (days)", "R\xc3\xa9""cence (jours)" },
        { "tenuredays", "Tenure (days)", "Anciennet\xc3\xa9 (jours)" },
        { "avgorder", "Average order", "Panier moyen" },
        { "age", "Age", "\xc3\x82ge" },
        { "annualincomek", "Annual income (k$)", "Revenu annuel (k$)" },
        { "annualincomethousands", "Annual income (thousands)", "Revenu annuel (milliers)" },
        { "income", "Income", "Revenu" },
        { "spendingscore1100", "Spending score", "Score de d\xc3\xa9penses" },
        { "spendingscore", "Spending score", "Score de d\xc3\xa9penses" },
        { "frequency", "Frequency", "Fr\xc3\xa9quence" },
        { "recency", "Recency", "R\xc3\xa9""cence" },
        { "monetary", "Monetary", "Montant" },
    };
    char folded[128];
    columns_fold(name, folded, sizeof folded);
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
        if (strcmp(folded, known[i].key) == 0)
            return tr(c, known[i].en, known[i].fr);
    snprintf(out, size, "%s", name);
    for (char *p = out; *p; p++)
        if (*p == '_')
            *p = ' ';
    capitalise(out);
    return out;
}

static int chart_personas(struct chart *c, struct diag *diag)
{
    long kcol = need_column(c, "cluster", diag);
    if (kcol < 0)
        return -1;
    long share = find_column(c->t, "share"), size = find_column(c->t, "size");
    long lcol = find_column(c->t, "label");
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
        snprintf(name, sizeof name, "%.*s_mean", (int)(len < 280 ? len : 280), c->t->header[zcols[j]]);
        mean_cols[j] = table_find(c->t, name);
    }
    if (nz == 0)
        return diag_set(diag, "%s: no <feature>_z column: the personas chart reads %s",
                        c->t->name, kind_reads[PLOT_PERSONAS]);
    if (c->nrows == 0)
        return diag_set(diag, "%s: no rows to plot", c->t->name);
    struct sbuf *b = &c->sb;
    char text[400], n1[64], n2[64], fname[200];
    double top = emit_head(c, tr(c, "Personas: what sets each group apart",
                                 "Personas : ce qui distingue chaque groupe"));
    sb_add(b, "$cells << EOD\n");
    int tag = 10;
    for (size_t r = 0; r < c->nrows; r++)
        for (size_t j = 0; j < nz; j++) {
            double z;
            if (cell_number(c, r, zcols[j], 1, &z, diag) != 0)
                return -1;
            unsigned rgb = !isfinite(z) ? 0xeeeeee
                         : z >= 0 ? mix_rgb(0xf7f7f7, 0xb2182b, z / 2) : mix_rgb(0xf7f7f7, 0x2166ac, -z / 2);
            sb_printf(b, "%zu %zu %u\n", j + 1, r + 1, rgb);
        }
    sb_add(b, "EOD\n");
    for (size_t r = 0; r < c->nrows; r++)
        for (size_t j = 0; j < nz; j++) {
            double z;
            cell_number(c, r, zcols[j], 1, &z, diag);
            if (!isfinite(z))
                continue;
            unsigned rgb = z >= 0 ? mix_rgb(0xf7f7f7, 0xb2182b, z / 2) : mix_rgb(0xf7f7f7, 0x2166ac, -z / 2);
            num(c, z, 1, n1);
            snprintf(text, sizeof text, "%s%s", z > 0 && strcmp(n1, "0.0") && strcmp(n1, "0,0") ? "+" : "", n1);
            double mean = NAN;
            if (mean_cols[j] >= 0)
                cell_number(c, r, mean_cols[j], 1, &mean, diag);
            int two = isfinite(mean) && c->nrows <= 12;
            sb_printf(b, "set label %d ", tag++);
            sb_str(b, text, 0);
            sb_printf(b, " at %zu, %zu center offset 0,%s front font '" FONT ":Bold,%d' tc rgb '%s'\n", j + 1, r + 1,
                      two ? "0.55" : "0", font_size(c, nz > 8 ? 12 : 15), ink_on(rgb));
            if (two) {
                /* the mean in real units, 3 significant digits */
                int decimals = fabs(mean) >= 100 ? 0 : fabs(mean) >= 10 ? 1 : 2;
                snprintf(text, sizeof text, tr(c, "mean %s", "moy. %s"), num(c, mean, decimals, n1));
                sb_printf(b, "set label %d ", tag++);
                sb_str(b, text, 0);
                sb_printf(b, " at %zu, %zu center offset 0,-0.75 front font '" FONT ",%d' tc rgb '%s'\n", j + 1, r + 1,
                          font_size(c, nz > 8 ? 10 : 12), ink_on(rgb));
            }
        }
    sb_printf(b, "set xrange [0.5:%.1f]\nset yrange [%.1f:0.5]\n", nz + 0.5, c->nrows + 0.5);
    sb_printf(b, "set x2range [0.5:%.1f]\nunset xtics\nset x2tics scale 0 %s font '" FONT ",%d' (",
              nz + 0.5, nz > 6 ? "rotate by 30 left" : "", font_size(c, nz > 8 ? 11 : 14));
    size_t last_chars = 0;      /* the last column's name, rotated, reaches past the plot */
    for (size_t j = 0; j < nz; j++) {
        char base[200];
        size_t len = strlen(c->t->header[zcols[j]]) - 2;
        snprintf(base, sizeof base, "%.*s", (int)(len < 190 ? len : 190), c->t->header[zcols[j]]);
        sb_add(b, j ? ", " : "");
        const char *name = feature_label(c, base, fname, sizeof fname);
        last_chars = text_chars(name);
        sb_tic(b, name, nz > 6 ? 20 : 30);
        sb_printf(b, " %zu", j + 1);
    }
    if (last_chars > 20)
        last_chars = 20;
    /* Row names as labels, not tics: a tic label is a format, and
     * gnuplot cuts a formatted one at 49 bytes. */
    sb_add(b, ")\nunset ytics\nset border 0\n");
    size_t widest = 0;
    for (size_t r = 0; r < c->nrows; r++) {
        double sh = NAN, sz = NAN;
        if (share >= 0)
            cell_number(c, r, share, 1, &sh, diag);
        if (size >= 0)
            cell_number(c, r, size, 1, &sz, diag);
        const char *label = lcol >= 0 ? cell(c, r, lcol) : "";
        char head[300];
        snprintf(head, sizeof head, "%.40s%s%.200s", cell(c, r, kcol), label[0] ? " \xc2\xb7 " : "", label);
        text[0] = '\0';
        if (isfinite(sh))
            snprintf(text, sizeof text, " (%s)", pct(c, sh, 0, n2));
        else if (isfinite(sz))
            snprintf(text, sizeof text, " (%s)", num(c, sz, 0, n2));
        size_t chars = text_chars(head);
        chars = (chars > 44 ? 45 : chars) + text_chars(text);
        widest = chars > widest ? chars : widest;
        /* the label is data: quote it cut, then add the share */
        sb_add(b, "set label ");
        sb_str(b, head, 44);
        if (text[0]) {
            sb_add(b, " . ");
            sb_str(b, text, 0);
        }
        sb_printf(b, " at graph 0, first %zu right offset -1,0 font '" FONT ",%d' tc rgb '#333333'\n", r + 1,
                  font_size(c, c->nrows > 10 ? 11 : 13));
    }
    sb_printf(b, "set lmargin %d\n", c->text ? (int)widest + 3 : (int)(widest * 0.85) + 3);
    sb_printf(b, "set tmargin at screen %.3f\nset bmargin at screen %.3f\nset rmargin %d\n",
              top - (nz > 6 ? 0.16 : 0.08), c->text ? 0.12 : 0.09,
              c->text ? 2 : nz > 6 ? (int)((double)last_chars * 0.55) + 1 : 4);
    emit_note(c, 0, tr(c, "Each cell: how far the group's mean is from all clients', in standard deviations (red above, blue below), and the group's mean.",
                       "Chaque case : \xc3\xa9""cart de la moyenne du groupe \xc3\xa0 celle de tous les clients, en \xc3\xa9""carts-types (rouge au-dessus, bleu en dessous), et la moyenne du groupe."));
    sb_add(b, "plot $cells using 1:2:($1-0.49):($1+0.49):($2-0.47):($2+0.47):3 with boxxyerror lc rgb variable\n");
    return 0;
}

/* ====================================================================== */

int plot_script(const struct table *table, const struct plot_options *options,
                char **script, struct diag *diag)
{
    *script = NULL;
    struct chart c = { 0 };
    c.o = options;
    c.t = table;
    c.text = options->format == PLOT_TEXT;
    c.mark = table->delim == ';' ? ',' : table->delim == ',' ? '.' : 0;
    double scale = fmin(options->width / 1280.0, options->height / 720.0);
    c.fs = c.text ? 14 : (int)lround(14 * (scale < 0.4 ? 0.4 : scale));
    c.rows = malloc((table->rows + 1) * sizeof *c.rows);
    if (!c.rows)
        return diag_set(diag, "out of memory");
    long where = -1;
    if (options->where_column) {
        where = find_column(table, options->where_column);
        if (where < 0) {
            free(c.rows);
            return diag_set(diag, "%s: no column \"%s\" (--where)", table->name, options->where_column);
        }
    }
    for (size_t r = 0; r < table->rows; r++)
        if (where < 0 || strcmp(table_cell(table, r, (size_t)where), options->where_value) == 0)
            c.rows[c.nrows++] = r;
    if (c.nrows == 0) {
        free(c.rows);
        return diag_set(diag, "%s: no rows to plot%s", table->name, where >= 0 ? " (--where kept none)" : "");
    }
    int rc;
    switch (options->kind) {
    case PLOT_PARETO:    rc = chart_pareto(&c, diag); break;
    case PLOT_LORENZ:    rc = chart_lorenz(&c, diag); break;
    case PLOT_ABC:       rc = chart_abc(&c, diag); break;
    case PLOT_MIGRATION: rc = chart_migration(&c, diag); break;
    case PLOT_RFM:       rc = chart_rfm(&c, diag); break;
    case PLOT_SHARE:     rc = chart_share(&c, diag); break;
    case PLOT_CLUSTERS:  rc = chart_clusters(&c, diag); break;
    case PLOT_SELECT:    rc = chart_select(&c, diag); break;
    case PLOT_PERSONAS:  rc = chart_personas(&c, diag); break;
    case PLOT_COHORT:    rc = plot_cohort_heatmap(&c, diag); break;
    case PLOT_RETENTION: rc = plot_cohort_curves(&c, diag); break;
    default:             rc = diag_set(diag, "unknown chart kind"); break;
    }
    free(c.rows);
    if (rc == 0 && c.sb.failed)
        rc = diag_set(diag, "%s: the chart script would pass %u MiB: too much data to draw",
                      table->name, SCRIPT_MAX >> 20);
    if (rc != 0) {
        free(c.sb.data);
        return -1;
    }
    *script = c.sb.data;
    return 0;
}

/* ====================================================================== */
/* The helpers above, for the builders of other files (plot_chart.h)      */

void plot_chart_add(struct chart *c, const char *text) { sb_add(&c->sb, text); }
void plot_chart_str(struct chart *c, const char *text, size_t max_chars)
{
    sb_str(&c->sb, text, max_chars);
}
void plot_chart_tic(struct chart *c, const char *text, size_t max_chars)
{
    sb_tic(&c->sb, text, max_chars);
}
void plot_chart_printf(struct chart *c, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0 || sb_reserve(&c->sb, (size_t)n) != 0)
        return;
    va_start(ap, fmt);
    vsnprintf(c->sb.data + c->sb.len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    c->sb.len += (size_t)n;
}
const char *plot_chart_tr(const struct chart *c, const char *en, const char *fr)
{
    return tr(c, en, fr);
}
int plot_chart_font(const struct chart *c, double points) { return font_size(c, points); }
double plot_chart_head(struct chart *c, const char *title) { return emit_head(c, title); }
void plot_chart_note(struct chart *c, int line, const char *text) { emit_note(c, line, text); }
double plot_chart_percent_tics(struct chart *c, const char *axis, double max)
{
    return emit_percent_tics(c, axis, max);
}
void plot_chart_axis_label(struct chart *c, const char *axis, const char *text)
{
    emit_axis_label(c, axis, text);
}
int plot_chart_legend(struct chart *c, double y, size_t n, const char *const *texts,
                      const unsigned *rgb, const int *line)
{
    return emit_legend(c, y, n, texts, rgb, line);
}
long plot_chart_need_column(const struct chart *c, const char *name, struct diag *diag)
{
    return need_column(c, name, diag);
}
long plot_chart_find_column(const struct chart *c, const char *name)
{
    return find_column(c->t, name);
}
const char *plot_chart_cell(const struct chart *c, size_t r, long col) { return cell(c, r, col); }
int plot_chart_number(const struct chart *c, size_t r, long col, int allow_empty,
                      double *value, struct diag *diag)
{
    return cell_number(c, r, col, allow_empty, value, diag);
}
unsigned plot_chart_mix(unsigned a, unsigned b, double t) { return mix_rgb(a, b, t); }
const char *plot_chart_ink(unsigned rgb) { return ink_on(rgb); }
unsigned plot_chart_category(size_t i) { return category_colour(i); }

/* ====================================================================== */
/* Running gnuplot                                                         */

static int set_cloexec(int fd)
{
    int flags = fcntl(fd, F_GETFD);
    return flags < 0 ? -1 : fcntl(fd, F_SETFD, flags | FD_CLOEXEC);
}

/* Read the whole of fp (from its start) into a new string, at most
 * MESSAGES_MAX bytes. */
static char *slurp(FILE *fp)
{
    char *text = malloc(MESSAGES_MAX + 1);
    if (!text)
        return NULL;
    size_t n = 0;
    if (fseek(fp, 0, SEEK_SET) == 0)
        n = fread(text, 1, MESSAGES_MAX, fp);
    text[n] = '\0';
    return text;
}

int plot_run(const char *program, const char *script, size_t length, int out_fd,
             char **messages, struct diag *diag)
{
    *messages = NULL;
    FILE *errors = tmpfile();
    if (!errors)
        return diag_set(diag, "cannot make a temporary file: %s", strerror(errno));
    int in[2], report[2];
    if (pipe(in) != 0) {
        fclose(errors);
        return diag_set(diag, "cannot make a pipe: %s", strerror(errno));
    }
    if (pipe(report) != 0) {
        close(in[0]); close(in[1]);
        fclose(errors);
        return diag_set(diag, "cannot make a pipe: %s", strerror(errno));
    }
    set_cloexec(in[1]);
    set_cloexec(report[0]);
    set_cloexec(report[1]);
    char *program_copy = strdup(program);   /* execvp wants it writable */
    pid_t pid = program_copy ? fork() : -1;
    if (pid < 0) {
        int e = program_copy ? errno : ENOMEM;
        free(program_copy);
        close(in[0]); close(in[1]); close(report[0]); close(report[1]);
        fclose(errors);
        return diag_set(diag, "cannot start %s: %s", program, strerror(e));
    }
    if (pid == 0) {
        /* the child: stdin the script, stdout the chart, stderr collected */
        if (dup2(in[0], 0) < 0 || dup2(out_fd, 1) < 0 || dup2(fileno(errors), 2) < 0)
            _exit(126);
        close(in[0]);
        char flag[] = "--default-settings";
        char *const argv[] = { program_copy, flag, NULL };
        execvp(program_copy, argv);
        int e = errno;
        ssize_t w = write(report[1], &e, sizeof e);
        (void)w;
        _exit(127);
    }
    free(program_copy);
    close(in[0]);
    close(report[1]);
    int exec_errno = 0;
    ssize_t got;
    do
        got = read(report[0], &exec_errno, sizeof exec_errno);
    while (got < 0 && errno == EINTR);
    close(report[0]);

    /* Feed the script. A gnuplot that stops early closes the pipe: keep
     * SIGPIPE from killing us, and clear it if it came. */
    sigset_t pipe_set, old_set;
    sigemptyset(&pipe_set);
    sigaddset(&pipe_set, SIGPIPE);
    sigprocmask(SIG_BLOCK, &pipe_set, &old_set);
    int write_errno = 0;
    if (got <= 0) {
        size_t done = 0;
        while (done < length) {
            ssize_t w = write(in[1], script + done, length - done);
            if (w < 0) {
                if (errno == EINTR)
                    continue;
                write_errno = errno;
                break;
            }
            done += (size_t)w;
        }
    }
    close(in[1]);
    sigset_t pending;
    if (sigpending(&pending) == 0 && sigismember(&pending, SIGPIPE)) {
        struct timespec zero = { 0, 0 };
        sigtimedwait(&pipe_set, NULL, &zero);
    }
    sigprocmask(SIG_SETMASK, &old_set, NULL);

    int status = 0;
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR) {
            status = -1;
            break;
        }
    *messages = slurp(errors);
    fclose(errors);
    if (!*messages)
        return diag_set(diag, "out of memory");
    if (got > 0)
        return diag_set(diag, "cannot run %s: %s (install the Debian package gnuplot-nox, "
                        "or set GNUPLOT to the gnuplot program)", program, strerror(exec_errno));
    if (status == -1)
        return diag_set(diag, "lost track of %s: %s", program, strerror(errno));
    if (WIFSIGNALED(status))
        return diag_set(diag, "%s was killed by signal %d", program, WTERMSIG(status));
    if (WEXITSTATUS(status) != 0)
        return diag_set(diag, "%s failed (exit status %d)", program, WEXITSTATUS(status));
    if (write_errno)
        return diag_set(diag, "cannot send the script to %s: %s", program, strerror(write_errno));
    return 0;
}

int plot_output_complete(int fd, enum plot_format format, struct diag *diag)
{
    char tail[64];
    off_t size = lseek(fd, 0, SEEK_END);
    if (format != PLOT_PNG && format != PLOT_SVG && format != PLOT_PDF)
        return 0;
    if (size <= 0)
        return diag_set(diag, "gnuplot wrote nothing (a full disk?)");
    size_t want = size < (off_t)sizeof tail ? (size_t)size : sizeof tail;
    ssize_t got = pread(fd, tail, want, size - (off_t)want);
    if (got != (ssize_t)want)
        return diag_set(diag, "cannot read the chart back: %s", strerror(errno));
    int complete;
    if (format == PLOT_PNG) {
        static const char iend[] = "\0\0\0\0IEND\xAE\x42\x60\x82";
        complete = want >= 12 && memcmp(tail + want - 12, iend, 12) == 0;
    } else {
        const char *mark = format == PLOT_SVG ? "</svg>" : "%%EOF";
        size_t n = strlen(mark);
        complete = 0;
        for (size_t i = 0; i + n <= want; i++)
            if (memcmp(tail + i, mark, n) == 0)
                complete = 1;
    }
    return complete ? 0 : diag_set(diag, "the chart was cut short (a full disk, or a file "
                                          "size limit?)");
}
