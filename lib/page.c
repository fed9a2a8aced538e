/* page.c — the report page (index.html) from a folder of CSVs.
 *
 * What page.h says: every figure is a cell of the folder's CSVs, money is
 * printed from the programs' exact decimal strings, text from the data is
 * escaped, the charts' SVGs are inlined. The words are page_words.c's.
 * A failure anywhere below (out of memory, a file unreadable) goes back to
 * page_load or page_write through page_fail, which fills their diag. */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "diag.h"
#include "page.h"
#include "parse.h"
#include "score.h"
#include "table.h"

/* ---- failure: back to page_load or page_write -------------------------- */

static jmp_buf fail_jump;
static struct diag *fail_diag;

_Noreturn static void page_fail(const char *format, ...) __attribute__((format(printf, 1, 2)));
_Noreturn static void page_fail(const char *format, ...)
{
    char text[DIAG_MAX];
    va_list ap;
    va_start(ap, format);
    vsnprintf(text, sizeof text, format, ap);
    va_end(ap);
    diag_set(fail_diag, "%s", text);
    longjmp(fail_jump, 1);
}

/* ---- words ------------------------------------------------------------ */

#define NAME_MAX_CHARS 60       /* characters of a client or segment name shown */

static int french;              /* the page's language */
static FILE *page;              /* index.html being written */
static const char *version;     /* the suite version, for the footer */

static const char *T(const char *key)
{
    for (size_t i = 0; i < page_words_count; i++)
        if (strcmp(page_words[i].key, key) == 0)
            return french ? page_words[i].fr : page_words[i].en;
    page_fail("no word '%s' (a bug)", key);
}

/* ---- strings that live until 1024 later ones -------------------------- */

#define RING 1024
static char *ring[RING];
static unsigned ring_at;

static const char *keep(char *s)
{
    if (!s)
        page_fail("out of memory");
    free(ring[ring_at]);
    ring[ring_at] = s;
    ring_at = (ring_at + 1) % RING;
    return s;
}

static const char *vformat(const char *format, va_list ap)
{
    va_list again;
    va_copy(again, ap);
    int n = vsnprintf(NULL, 0, format, ap);
    char *s = n < 0 ? NULL : malloc((size_t)n + 1);
    if (s)
        vsnprintf(s, (size_t)n + 1, format, again);
    va_end(again);
    return keep(s);
}

static const char *fmt(const char *format, ...) __attribute__((format(printf, 1, 2)));
static const char *fmt(const char *format, ...)
{
    va_list ap;
    va_start(ap, format);
    const char *s = vformat(format, ap);
    va_end(ap);
    return s;
}

/* fmt for the words used as formats (not literals) */
static const char *wfmt(const char *format, ...)
{
    va_list ap;
    va_start(ap, format);
    const char *s = vformat(format, ap);
    va_end(ap);
    return s;
}

/* Text from the data, for HTML: & < > " ' escaped. */
static const char *esc(const char *s)
{
    size_t n = 0;
    for (const char *p = s; *p; p++)
        n += strchr("&<>\"'", *p) ? 6 : 1;
    char *o = malloc(n + 1), *w = o;
    if (!o)
        page_fail("out of memory");
    for (const char *p = s; *p; p++) {
        switch (*p) {
        case '&': w = stpcpy(w, "&amp;"); break;
        case '<': w = stpcpy(w, "&lt;"); break;
        case '>': w = stpcpy(w, "&gt;"); break;
        case '"': w = stpcpy(w, "&quot;"); break;
        case '\'': w = stpcpy(w, "&#39;"); break;
        default: *w++ = *p;
        }
    }
    *w = '\0';
    return keep(o);
}

/* S cut to max characters (UTF-8) with an ellipsis, then escaped: a name
 * of a megabyte is a line on the page, as the charts cut their labels. */
static const char *esc_short(const char *s, size_t max)
{
    size_t chars = 0, i = 0;
    for (; s[i]; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80 && ++chars > max)
            break;
    if (!s[i])
        return esc(s);
    char *cut = strndup(s, i);
    if (!cut)
        page_fail("out of memory");
    const char *e = fmt("%s\xe2\x80\xa6", esc(cut));
    free(cut);
    return e;
}

/* ---- numbers ------------------------------------------------------------ */

/* A plain number "-1234.5" written for the page: the minus sign U+2212,
 * digits grouped by threes (a comma, or a narrow no-break space in French),
 * the decimal mark of the language. "-0.0" is written without a sign. */
static const char *group(const char *plain)
{
    int negative = plain[0] == '-';
    const char *digits = plain + negative;
    const char *dot = strchr(digits, '.');
    size_t int_len = dot ? (size_t)(dot - digits) : strlen(digits);
    const char *sep = french ? "\xe2\x80\xaf" : ",";
    char *o = malloc(strlen(plain) * 4 + 8), *w = o;
    if (!o)
        page_fail("out of memory");
    if (negative && strspn(digits, "0.") != strlen(digits))
        w = stpcpy(w, "\xe2\x88\x92");
    for (size_t i = 0; i < int_len; i++) {
        if (i > 0 && (int_len - i) % 3 == 0)
            w = stpcpy(w, sep);
        *w++ = digits[i];
    }
    if (dot) {
        *w++ = french ? ',' : '.';
        w = stpcpy(w, dot + 1);
    }
    *w = '\0';
    return keep(o);
}

/* Is s a plain decimal: -?digits(.digits)? */
static int plain_decimal(const char *s)
{
    const char *p = s + (*s == '-');
    size_t n = strspn(p, "0123456789");
    if (n == 0)
        return 0;
    p += n;
    if (*p == '.') {
        n = strspn(p + 1, "0123456789");
        if (n == 0)
            return 0;
        p += 1 + n;
    }
    return *p == '\0';
}

static int to_double(const char *s, double *x)
{
    if (!s || !*s)
        return 0;
    char *end;
    *x = strtod(s, &end);
    return *end == '\0' && isfinite(*x);
}

/* x rounded to d decimals, for the page. */
static const char *num_d(double x, int d)
{
    char buf[64];
    format_fixed(x, d, '.', buf);
    return group(buf);
}

/* A cell with d decimals ("–" when empty or not a number). */
static const char *num(const char *s, int d)
{
    double x;
    return to_double(s, &x) ? num_d(x, d) : "\xe2\x80\x93";
}

/* Money as the program wrote it: every decimal kept (110.281 stays
 * 110.281), at least two (12.5 is 12.50); never through a float. */
static const char *money(const char *s)
{
    if (!s || !*s)
        return "\xe2\x80\x93";
    if (!plain_decimal(s))
        return num(s, 2);
    char *plain = malloc(strlen(s) + 4);
    if (!plain)
        page_fail("out of memory");
    strcpy(plain, s);
    char *dot = strchr(plain, '.');
    if (!dot)
        strcat(plain, ".00");
    else {
        size_t decimals = strlen(dot + 1);
        while (decimals > 2 && dot[decimals] == '0')
            dot[decimals--] = '\0';
        if (decimals == 1)
            strcat(plain, "0");
    }
    keep(plain);
    return group(plain);
}

static const char *percent_sign(void)
{
    return french ? "\xe2\x80\xaf%" : "%";
}

static const char *pct_d(double x, int d)
{
    return fmt("%s%s", num_d(x * 100, d), percent_sign());
}

static const char *pct(const char *s, int d)
{
    double x;
    return to_double(s, &x) ? pct_d(x, d) : "\xe2\x80\x93";
}

/* A market share: 2 decimals below 1%. */
static const char *share(const char *s)
{
    double x;
    return to_double(s, &x) ? pct_d(x, fabs(x) < 0.01 ? 2 : 1) : "\xe2\x80\x93";
}

/* A change: "+" before a rise, the minus sign before a fall. */
static const char *signed_d(double x, int d)
{
    const char *s = num_d(x, d);
    return (x > 0 && strpbrk(s, "123456789")) ? fmt("+%s", s) : s;
}

/* ---- dates ---------------------------------------------------------------- */

static const char *const months_en[13] = { "", "January", "February", "March", "April", "May",
    "June", "July", "August", "September", "October", "November", "December" };
static const char *const months_fr[13] = { "", "janvier", "f\xc3\xa9vrier", "mars", "avril", "mai",
    "juin", "juillet", "ao\xc3\xbbt", "septembre", "octobre", "novembre", "d\xc3\xa9" "cembre" };

static const char *month_name(int m)
{
    size_t i = m >= 1 && m <= 12 ? (size_t)m : 0;
    return french ? months_fr[i] : months_en[i];
}

/* YYYY-MM-DD as "9 December 2011" / "9 décembre 2011" ("1er" in French). */
static const char *fdate(const char *s)
{
    int y, m, d;
    char rest;
    if (!s || sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &rest) < 3 || m < 1 || m > 12)
        return esc(s ? s : "");
    return fmt("%d%s %s %d", d, french && d == 1 ? "er" : "", month_name(m), y);
}

/* A period's name: "2011-11" as "November 2011", "FROM_TO" as two dates. */
static const char *plabel(const char *p)
{
    int y, m;
    char rest;
    if (strlen(p) == 7 && sscanf(p, "%4d-%2d%c", &y, &m, &rest) == 2 && m >= 1 && m <= 12)
        return fmt("%s %d", month_name(m), y);
    if (strlen(p) == 21 && p[10] == '_') {
        char a[11];
        memcpy(a, p, 10);
        a[10] = '\0';
        return fmt("%s \xe2\x80\x93 %s", fdate(a), fdate(p + 11));
    }
    return esc(p);
}

/* ---- the folder's CSVs ------------------------------------------------------ */

static const char *folder;

static const char *in_folder(const char *name)
{
    return fmt("%s/%s", folder, name);
}

static int exists(const char *name)
{
    struct stat st;
    return stat(in_folder(name), &st) == 0 && S_ISREG(st.st_mode);
}

struct tab {
    struct table t;
    int loaded;
};

/* Load NAME of the folder (or PATH when dir is NULL); absent: not loaded. */
static void tab_load_path(struct tab *tb, const char *path)
{
    struct stat st;
    memset(tb, 0, sizeof *tb);
    if (stat(path, &st) != 0)
        return;
    struct diag d = { 0 };
    if (table_load(&tb->t, path, ',', &d) != 0)
        page_fail("%s", d.message);
    tb->loaded = 1;
}

static void tab_load(struct tab *tb, const char *name)
{
    tab_load_path(tb, in_folder(name));
}

static size_t rows(const struct tab *tb)
{
    return tb->loaded ? tb->t.rows : 0;
}

static long col(const struct tab *tb, const char *name)
{
    return tb->loaded ? table_find(&tb->t, name) : -1;
}

/* A cell as the program wrote it: cl-report neutralises the folder's text
 * cells for spreadsheets ('=x), read back here without the apostrophe. */
const char *page_raw(const char *cell)
{
    if (cell[0] == '\'' && cell[1] && strchr("-+=@\t\r", cell[1]))
        return cell + 1;
    return cell;
}

static const char *cell(const struct tab *tb, size_t row, long c)
{
    if (c < 0 || row >= rows(tb))
        return "";
    return page_raw(table_cell(&tb->t, row, (size_t)c));
}

static const char *get(const struct tab *tb, size_t row, const char *name)
{
    return cell(tb, row, col(tb, name));
}

/* metric,value files: the value of a metric ("" when absent). */
static const char *metric(const struct tab *tb, const char *name)
{
    for (size_t r = 0; r < rows(tb) && tb->t.columns >= 2; r++)
        if (strcmp(table_cell(&tb->t, r, 0), name) == 0)
            return page_raw(table_cell(&tb->t, r, 1));
    return "";
}

static double metric_d(const struct tab *tb, const char *name)
{
    double x;
    return to_double(metric(tb, name), &x) ? x : 0;
}

/* Lines of a text file of the folder, each passed to fn. */
static void each_line(const char *name, void (*fn)(const char *line, void *ctx), void *ctx)
{
    FILE *fp = fopen(in_folder(name), "r");
    if (!fp)
        return;
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    while ((n = getline(&line, &cap, fp)) > 0) {
        while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
            line[--n] = '\0';
        fn(line, ctx);
    }
    free(line);
    fclose(fp);
}

/* ---- the report's state -------------------------------------------------- */

static struct tab fig, prev_fig, summary, stats, stats_all;
static const char *period, *date_from, *date_to, *asof, *prevname;

/* notes.txt: SECTION \t KEY [\t VALUE...], what the data did not allow */
#define MAX_NOTES 64
static char *notes_text[MAX_NOTES];
static size_t notes_count;

static void add_note(const char *line, void *ctx)
{
    (void)ctx;
    if (notes_count < MAX_NOTES && *line)
        notes_text[notes_count++] = strdup(line);
}

/* split a note into fields (at most 8); the note's copy is cut in place */
static size_t note_fields(const char *note, char **field, char **copy)
{
    *copy = strdup(note);
    if (!*copy)
        page_fail("out of memory");
    size_t n = 0;
    for (char *p = *copy; n < 8;) {
        field[n++] = p;
        p = strchr(p, '\t');
        if (!p)
            break;
        *p++ = '\0';
    }
    return n;
}

static int noted(const char *section)
{
    size_t len = strlen(section);
    for (size_t i = 0; i < notes_count; i++)
        if (strncmp(notes_text[i], section, len) == 0 && notes_text[i][len] == '\t')
            return 1;
    return 0;
}

static const char *feature_word(const char *feature)
{
    const char *w = strcmp(feature, "recency_days") == 0 ? T("recency")
                  : strcmp(feature, "orders") == 0 ? T("orders") : T("revenue");
    /* lower case of the first letter (the words start with ASCII or É) */
    char *s = strdup(w);
    if (!s)
        page_fail("out of memory");
    if (isupper((unsigned char)s[0]))
        s[0] = (char)tolower((unsigned char)s[0]);
    return keep(s);
}

/* ---- the programs' messages, as a manager reads them ------------------------- */

/* LINE with "PREFIX%dSUFFIX" read: the number in *n. @return 1 when it fits. */
static int count_of(const char *line, const char *suffix, long *n)
{
    char *end;
    *n = strtol(line, &end, 10);
    return end != line && strcmp(end, suffix) == 0;
}

/* A program's message for the page, escaped: neither the program's name nor
 * a file of the work folder (history.csv: ..., market.csv:7: ...) means
 * anything to the reader, nor cl-clv's technical parenthesis; the messages
 * the page knows are said in its language. */
static const char *said(const char *line)
{
    int clv = strncmp(line, "cl-clv: ", 8) == 0;
    if (strncmp(line, "cl-", 3) == 0) {
        const char *colon = strstr(line, ": ");
        if (colon && (size_t)(colon - line) < 16 && !memchr(line, ' ', (size_t)(colon - line)))
            line = colon + 2;
    }
    /* FILE.csv: or FILE.csv:LINE: of the folder, or the French FILE.csv : */
    const char *dot = strstr(line, ".csv");
    if (dot && !memchr(line, ' ', (size_t)(dot - line))) {
        const char *after = dot + 4;
        if (after[0] == ':' && after[1] >= '0' && after[1] <= '9')
            after += 1 + strspn(after + 1, "0123456789");
        size_t colon = strncmp(after, ": ", 2) == 0                 ? 2
                       : strncmp(after, " : ", 3) == 0              ? 3
                       : strncmp(after, "\xc2\xa0: ", 4) == 0     ? 4
                       : strncmp(after, "\xe2\x80\xaf: ", 5) == 0 ? 5
                                                                    : 0;
        if (colon) {
            char *name = strndup(line, (size_t)(dot - line) + 4);
            if (!name)
                page_fail("out of memory");
            if (exists(name))
                line = after + colon;
            free(name);
        }
    }
    /* cl-share: segment "X" has no clients in FILE */
    const char *none = strstr(line, "\" has no clients in ");
    if (strncmp(line, "segment \"", 9) == 0 && none) {
        char *name = strndup(line + 9, (size_t)(none - line - 9));
        if (!name)
            page_fail("out of memory");
        const char *text = wfmt(T("w_seg_none"), esc_short(name, NAME_MAX_CHARS));
        free(name);
        return text;
    }
    /* cl-cohort's counts of what it left out */
    long n;
    if (count_of(line, " clients left out: they never bought (only returns or zero amounts)", &n))
        return wfmt(T("w_coh_never"), num_d((double)n, 0));
    const char *net = strstr(line, " client periods before the client's first purchase left out "
                                   "(returns of earlier purchases, net ");
    if (net && strtol(line, NULL, 10) >= 0 && strspn(line, "0123456789") == (size_t)(net - line)) {
        const char *v = net + strlen(" client periods before the client's first purchase left "
                                     "out (returns of earlier purchases, net ");
        char *value = strndup(v, strcspn(v, ")"));
        if (!value)
            page_fail("out of memory");
        const char *text = wfmt(T("w_coh_before"), num_d(strtod(line, NULL), 0), money(value));
        free(value);
        return text;
    }
    /* cl-clv: the words without the parenthesis of figures */
    const char *open = clv ? strstr(line, " (") : NULL, *close = NULL;
    for (int depth = 0, i = 1; open && !close && open[i]; i++)
        if (open[i] == '(')
            depth++;
        else if (open[i] == ')' && --depth == 0)
            close = open + i;
    if (close)
        return fmt("%s%s", esc_short(fmt("%.*s", (int)(open - line), line), 400),
                   esc_short(close + 1, 400));
    return esc_short(line, 400);
}

/* The notes of SECTION: what could not be computed there, and why. */
static void notes(const char *section)
{
    size_t len = strlen(section), shown = 0;
    for (size_t i = 0; i < notes_count; i++) {
        if (strncmp(notes_text[i], section, len) != 0 || notes_text[i][len] != '\t')
            continue;
        char *f[8], *copy;
        size_t n = note_fields(notes_text[i], f, &copy);
        const char *key = n >= 2 ? f[1] : "";
        const char *text;
        if (strcmp(key, "nc_constant") == 0 && n >= 4)
            text = wfmt(T(key), feature_word(f[2]),
                        strcmp(f[2], "revenue") == 0 ? money(f[3]) : num(f[3], 0));
        else if (strcmp(key, "nc_krange") == 0 && n >= 5)
            text = wfmt(T(key), esc(f[2]), esc(f[3]), esc(f[4]));
        else if (strcmp(key, "nc_clv") == 0)
            text = wfmt(T(key), n >= 3 ? said(fmt("cl-clv: %s", f[2])) : "");
        else if (strcmp(key, "nc_failed") == 0)
            text = wfmt(T(key), n >= 3 ? esc(f[2]) : "");
        else if (strcmp(key, "nc_few") == 0)
            text = wfmt(T(key), n >= 3 ? num(f[2], 0) : "");
        else
            text = T(key);
        fprintf(page, "<p class=\"note nc\" id=\"nc-%s-%zu\">%s</p>\n", section, ++shown, text);
        free(copy);
    }
}

/* ---- pieces of the page ---------------------------------------------------- */

/* the ids of the sections written, "key pareto ...", for page_sections */
static char sections_written[256];

/* <section id="ID" class="CLASS"> and its heading; the id kept */
static void open_section(const char *id, const char *class, const char *heading)
{
    fprintf(page, "<section id=\"%s\"%s%s%s>\n<h2>%s</h2>\n", id, *class ? " class=\"" : "",
            class, *class ? "\"" : "", heading);
    size_t at = strlen(sections_written);
    snprintf(sections_written + at, sizeof sections_written - at, "%s%s", at ? " " : "", id);
}

const char *page_sections(void)
{
    return sections_written;
}

const char *page_period(void)
{
    return period ? period : "";
}

enum change { CHANGE_PCT, CHANGE_PTS, CHANGE_GINI, CHANGE_ABS };

/* "1 – 9 November 2011": the same days of the month before */
static const char *same_days_label(void)
{
    return fmt("%s \xe2\x80\x93 %s", fdate(metric(&fig, "same_days_from")),
               fdate(metric(&fig, "same_days_to")));
}

/* The change against the previous report, as a div ("" without one). */
static const char *delta(const char *metric_name, enum change how, int good)
{
    double cur, prev;
    const char *against = prevname ? plabel(prevname) : NULL;
    if (*metric(&fig, "partial_to")) {
        /* a partial month against the same days of the month before, or
         * against nothing: a whole month is not like with like */
        const char *same = metric(&fig, fmt("same_days_%s", metric_name));
        if (!*same || !to_double(metric(&fig, metric_name), &cur) || !to_double(same, &prev))
            return "";
        against = wfmt(T("same_days"), same_days_label());
    } else if (!prevname || !to_double(metric(&fig, metric_name), &cur)
               || !to_double(metric(&prev_fig, metric_name), &prev))
        return "";
    double d;
    const char *txt;
    switch (how) {
    case CHANGE_PCT:
        if (prev == 0)
            return "";
        d = (cur - prev) / fabs(prev);
        txt = fmt("%s%s", signed_d(d * 100, 1), percent_sign());
        break;
    case CHANGE_PTS:
        d = cur - prev;
        txt = fmt("%s %s", signed_d(d * 100, 1), T("pts"));
        break;
    case CHANGE_GINI:
        d = cur - prev;
        txt = signed_d(d, 2);
        break;
    default:
        d = cur - prev;
        txt = signed_d(d, 0);
    }
    const char *cls = !good ? "flat" : d > 0 ? "up" : d < 0 ? "down" : "flat";
    return fmt("<div class=\"d %s\">%s %s %s</div>", cls, txt, T("vs"), against);
}

static void kpi(const char *id, const char *label, const char *value, const char *sub,
                const char *change)
{
    fprintf(page, "<div class=\"kpi\"><div class=\"l\">%s</div><div class=\"v\" "
                  "id=\"kf-%s\">%s</div>",
            label, id, value);
    if (sub && *sub)
        fprintf(page, "<div class=\"s\">%s</div>", sub);
    fprintf(page, "%s</div>\n", change);
}

/* replace every `from` by `to` in line (a new string) */
static const char *replace_all(const char *line, const char *from, const char *to)
{
    size_t fl = strlen(from), tl = strlen(to), n = 0;
    for (const char *p = strstr(line, from); p; p = strstr(p + fl, from))
        n++;
    if (n == 0)
        return line;
    char *o = malloc(strlen(line) + n * tl + 1), *w = o;
    if (!o)
        page_fail("out of memory");
    const char *p = line, *q;
    while ((q = strstr(p, from))) {
        memcpy(w, p, (size_t)(q - p));
        w += q - p;
        w = stpcpy(w, to);
        p = q + fl;
    }
    strcpy(w, p);
    return keep(o);
}

/* A chart's SVG inlined: ids prefixed so that two charts never share one,
 * its title the caption, gnuplot's tooltips (<title>gnuplot_plot_1</title>)
 * and description left out. */
static void figure(const char *kind, const char *caption)
{
    const char *file = fmt("%s.svg", kind);
    if (!exists(file))
        return;
    FILE *fp = fopen(in_folder(file), "r");
    if (!fp)
        page_fail("%s: %s", in_folder(file), strerror(errno));
    /* the prefixed forms, in buffers of their own (the ring turns over
     * within a chart) */
    char id1[64], id2[64], href1[64], href2[64], url[64];
    snprintf(id1, sizeof id1, " id='c-%s-", kind);
    snprintf(id2, sizeof id2, " id=\"c-%s-", kind);
    snprintf(href1, sizeof href1, "href='#c-%s-", kind);
    snprintf(href2, sizeof href2, "href=\"#c-%s-", kind);
    snprintf(url, sizeof url, "url(#c-%s-", kind);
    fprintf(page, "<figure class=\"chart\" id=\"fig-%s\">\n", kind);
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    while ((n = getline(&line, &cap, fp)) > 0) {
        if (line[n - 1] == '\n')
            line[--n] = '\0';
        if (strncmp(line, "<?xml", 5) == 0 || strncmp(line, "<desc>", 6) == 0)
            continue;
        const char *l = line;
        l = replace_all(l, " id='", id1);
        l = replace_all(l, " id=\"", id2);
        l = replace_all(l, "href='#", href1);
        l = replace_all(l, "href=\"#", href2);
        l = replace_all(l, "url(#", url);
        const char *tip = strstr(l, "<title>gnuplot_plot_");
        if (tip) {
            const char *end = strstr(tip, "</title>");
            if (end)
                l = fmt("%.*s%s", (int)(tip - l), l, end + 8);
        }
        if (strcmp(l, "<title>Gnuplot</title>") == 0)
            l = fmt("<title>%s</title>", caption);
        if (strncmp(l, "<svg ", 5) == 0)
            l = fmt("<svg class=\"chart\" role=\"img\" aria-label=\"%s\" %s", caption, l + 5);
        fprintf(page, "%s\n", l);
    }
    free(line);
    fclose(fp);
    fprintf(page, "<figcaption>%s \xc2\xb7 <a href=\"%s.svg\">SVG</a> \xc2\xb7 "
            "<a href=\"%s.png\">PNG</a></figcaption>\n</figure>\n", caption, kind, kind);
}

/* A header row; align: 'l' or 'n' per column (NULL: l, then n). */
static void th(const char *const *labels, size_t n, const char *align)
{
    fputs("<tr>", page);
    for (size_t i = 0; i < n; i++) {
        int numeric = align ? align[i] == 'n' : i > 0;
        fprintf(page, "<th%s>%s</th>", numeric ? " class=\"n\"" : "", labels[i]);
    }
    fputs("</tr>\n", page);
}
#define TH(align, ...) do { const char *const h_[] = { __VA_ARGS__ }; \
        th(h_, sizeof h_ / sizeof h_[0], align); } while (0)

static const char *cls(const char *c)
{
    return strcmp(c, "-") == 0 ? T("none") : *c == '\0' ? T("new") : esc(c);
}

static const char *segname(const char *s)
{
    const char *w = score_segment_label(s, french);
    return w ? w : esc_short(s, NAME_MAX_CHARS);
}

/* ---- sections ---------------------------------------------------------------- */

static void head(void)
{
    fprintf(page, "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
            "<title>%s \xe2\x80\x94 %s</title>\n", french ? "fr" : "en", T("title"),
                plabel(period));
    fputs("<style>\n"
"body { font-family: \"DejaVu Sans\", \"Liberation Sans\", Arial, Helvetica, sans-serif; "
"color: #222; max-width: 1000px; margin: 0 auto; padding: 24px; line-height: 1.45; "
"font-size: 15px; }\n"
"h1 { font-size: 26px; margin: 0 0 4px; } h2 { font-size: 20px; margin: 36px 0 10px; "
"border-bottom: 2px solid #4472c4; padding-bottom: 4px; } h3 { font-size: 16px; "
"margin: 20px 0 8px; }\n"
".meta { color: #555; margin: 0 0 16px; } .note { color: #555; font-size: 13px; }\n"
".partial { background: #fff4e5; border-left: 4px solid #e8a33d; padding: 8px 14px; }\n"
".brief { font-size: 16px; background: #f3f6fb; border-radius: 6px; padding: 10px 14px; }\n"
".kpis { display: grid; grid-template-columns: repeat(auto-fill, minmax(220px, 1fr)); "
"gap: 10px; }\n"
".kpi { border: 1px solid #d0d7e2; border-radius: 6px; padding: 10px 12px; "
"break-inside: avoid; }\n"
".kpi .l { font-size: 13px; color: #444; font-weight: bold; } .kpi .v { font-size: 26px; "
"font-weight: bold; margin: 2px 0; white-space: nowrap; }\n"
".kpi .s { font-size: 12px; color: #666; } .kpi .d { font-size: 13px; margin-top: 4px; }\n"
".up { color: #1a7f37; } .down { color: #b42318; } .flat { color: #555; }\n"
"figure.chart { margin: 14px 0; break-inside: avoid; } svg.chart { width: 100%; "
"height: auto; display: block; border: 1px solid #e4e4e4; }\n"
"figcaption { font-size: 13px; color: #555; margin-top: 4px; }\n"
"table { border-collapse: collapse; margin: 8px 0; font-size: 14px; } th, td { "
"padding: 4px 10px; border-bottom: 1px solid #e2e2e2; text-align: left; "
"vertical-align: top; }\n"
"th { background: #f3f6fb; font-weight: bold; } .n { text-align: right; "
"font-variant-numeric: tabular-nums; } td.n { white-space: nowrap; } table.wide { "
"font-size: 13px; } table.wide th, table.wide td { padding: 4px 6px; } tr.total td { "
"font-weight: bold; border-top: 2px solid #999; }\n"
"td.id { max-width: 360px; overflow-wrap: anywhere; } td.diag { font-weight: bold; }\n"
".quality { background: #f7f7f7; border-left: 4px solid #888; padding: 6px 16px; } "
".quality ul { margin: 4px 0; } .warn { font-size: 13px; overflow-wrap: anywhere; }\n"
".files { font-size: 13px; } .files li { break-inside: avoid; } footer { margin-top: 30px; "
"font-size: 12px; color: #777; }\n"
"@media print { body { max-width: none; padding: 0; font-size: 11pt; } h2 { "
"break-after: avoid; } .kpi, table, figure.chart, .quality { break-inside: avoid; }\n"
"  a { color: inherit; text-decoration: none; } .brief { background: none; "
"border: 1px solid #ccc; } }\n"
"@page { size: A4; margin: 14mm; }\n"
"</style>\n</head>\n<body>\n", page);
}

static void title_and_brief(void)
{
    fprintf(page, "<header>\n<h1>%s \xe2\x80\x94 %s</h1>\n", T("title"), plabel(period));
    fprintf(page, "<p class=\"meta\">%s%s %s \xc2\xb7 %s%s %s \xe2\x80\x93 %s", T("sales"), T(":"),
            esc(metric(&fig, "sales_file")), T("period"), T(":"), fdate(date_from), fdate(date_to));
    const char *partial_to = metric(&fig, "partial_to");
    if (*partial_to)
        fprintf(page, " (%s)", wfmt(T("sales_up_to"), fdate(partial_to)));
    if (prevname && !*partial_to)
        fprintf(page, " \xc2\xb7 %s %s", T("compared"), plabel(prevname));
    fputs("</p>\n</header>\n", page);
    if (*partial_to) {
        /* the days covered: from the first day to the last sale */
        int y1, m1, d1, y2, m2, d2, y3, m3, d3;
        const char *days = "";
        if (sscanf(date_from, "%d-%d-%d", &y1, &m1, &d1) == 3
            && sscanf(partial_to, "%d-%d-%d", &y2, &m2, &d2) == 3
            && sscanf(date_to, "%d-%d-%d", &y3, &m3, &d3) == 3) {
            long covered = (long)date_from_civil(y2, m2, d2) - date_from_civil(y1, m1, d1) + 1;
            long all = (long)date_from_civil(y3, m3, d3) - date_from_civil(y1, m1, d1) + 1;
            days = wfmt(T("partial_days"), num_d((double)covered, 0), num_d((double)all, 0));
        }
        fprintf(page, "<p class=\"partial\" id=\"partial\">%s%s ", wfmt(T("partial"),
                fdate(partial_to), plabel(period)), days);
        if (*metric(&fig, "same_days_from"))
            fprintf(page, "%s</p>\n", wfmt(T("partial_same"), same_days_label()));
        else
            fprintf(page, "%s</p>\n", T("partial_none"));
    }

    const char *revenue = metric(&fig, "revenue"), *clients = metric(&fig, "clients");
    fputs("<p class=\"brief\" id=\"brief\">", page);
    if (*partial_to)
        fprintf(page, T("brief1r"), num(clients, 0), money(revenue),
                fmt("%s \xe2\x80\x93 %s", fdate(date_from), fdate(partial_to)));
    else if (strlen(period) == 7)
        fprintf(page, T("brief1"), num(clients, 0), money(revenue), plabel(period));
    else
        fprintf(page, T("brief1r"), num(clients, 0), money(revenue),
                fmt("%s \xe2\x80\x93 %s", fdate(date_from), fdate(date_to)));
    if (noted("pareto"))
        fprintf(page, " %s", T("nc_pareto"));
    else {
        fputc(' ', page);
        fprintf(page, T("brief2"), pct(metric(&fig, "share_top20"), 1),
                num(metric(&fig, "clients_for_80"), 0), pct(metric(&fig, "clients_for_80_share"),
                                                            1));
    }
    double prev_revenue;
    if (*partial_to) {
        if (to_double(metric(&fig, "same_days_revenue"), &prev_revenue) && prev_revenue != 0) {
            fputc(' ', page);
            fprintf(page, T("brief3"),
                    fmt("%s%s", signed_d((metric_d(&fig, "revenue") - prev_revenue)
                                         / fabs(prev_revenue) * 100, 1), percent_sign()),
                    wfmt(T("same_days"), same_days_label()));
        }
    } else if (prevname && to_double(metric(&prev_fig, "revenue"), &prev_revenue)
               && prev_revenue != 0) {
        fputc(' ', page);
        fprintf(page, T("brief3"),
                fmt("%s%s", signed_d((metric_d(&fig, "revenue") - prev_revenue)
                                     / fabs(prev_revenue) * 100, 1), percent_sign()),
                plabel(prevname));
    }
    if (*metric(&fig, "market_share_effective")) {
        fputc(' ', page);
        fprintf(page, T("brief4"), share(metric(&fig, "market_share_effective")));
    }
    fputs("</p>\n", page);
}

static void key_figures(void)
{
    open_section("key", "", T("key"));
    fputs("<div class=\"kpis\">\n", page);
    kpi("revenue", T("revenue"), money(metric(&fig, "revenue")), T("revenue_sub"),
        delta("revenue", CHANGE_PCT, 1));
    if (*metric(&fig, "margin")) {
        kpi("margin", T("margin"), money(metric(&fig, "margin")), "", delta("margin", CHANGE_PCT,
            1));
        if (*metric(&fig, "margin_rate"))
            kpi("margin-rate", T("margin_rate"), pct(metric(&fig, "margin_rate"), 1),
                T("margin_rate_sub"), delta("margin_rate", CHANGE_PTS, 1));
    }
    kpi("clients", T("clients"), num(metric(&fig, "clients"), 0),
        wfmt(T("clients_sub"), num(metric(&fig, "positive"), 0)), delta("clients", CHANGE_ABS, 1));
    kpi("top20", T("top20"), pct(metric(&fig, "share_top20"), 1), T("top20_sub"),
        delta("share_top20", CHANGE_PTS, 0));
    kpi("for80", T("for80"), num(metric(&fig, "clients_for_80"), 0),
        wfmt(T("for80_sub"), pct(metric(&fig, "clients_for_80_share"), 1)),
        delta("clients_for_80", CHANGE_ABS, 0));
    kpi("gini", T("gini"), num(metric(&fig, "gini"), 2), T("gini_sub"), delta("gini", CHANGE_GINI,
        0));
    static const struct { const char *id, *metric, *label, *sub; } market[] = {
        { "share-effective", "market_share_effective", "share_eff", "share_eff_sub" },
        { "share-potential", "market_share_potential", "share_pot", "share_pot_sub" },
        { "share-value", "market_share_value", "share_val", "share_val_sub" },
    };
    for (size_t i = 0; i < 3; i++)
        if (*metric(&fig, market[i].metric))
            kpi(market[i].id, T(market[i].label), share(metric(&fig, market[i].metric)),
                T(market[i].sub), delta(market[i].metric, CHANGE_PTS, 1));
    fputs("</div>\n</section>\n", page);
}

/* the ten first rows of a ranking (pareto.csv, pareto-margin.csv) */
static void top_table(const struct tab *par, const char *id, const char *heading,
                      const char *value_label, const char *value_col)
{
    size_t n = rows(par) < 10 ? rows(par) : 10;
    int prev = col(par, "previous_class") >= 0;
    fprintf(page, "<h3>%s</h3>\n<table id=\"%s\">\n", wfmt(T(heading), fmt("%zu", n)), id);
    if (prev)
        TH("nlnnnnn", T("rank"), T("client"), value_label, T("share"), T("cum"), T("class"),
           T("prev_class"));
    else
        TH("nlnnnn", T("rank"), T("client"), value_label, T("share"), T("cum"), T("class"));
    for (size_t r = 0; r < n; r++) {
        fprintf(page, "<tr><td class=\"n\">%s</td><td class=\"id\">%s</td><td class=\"n\">%s</td>"
                "<td class=\"n\">%s</td><td class=\"n\">%s</td><td class=\"n\">%s</td>",
                esc(get(par, r, "rank")), esc_short(cell(par, r, 0), NAME_MAX_CHARS),
                money(get(par, r, value_col)), pct(get(par, r, "share"), 1),
                pct(get(par, r, "cum_share"), 1), cls(get(par, r, "class")));
        if (prev)
            fprintf(page, "<td class=\"n\">%s</td>", cls(get(par, r, "previous_class")));
        fputs("</tr>\n", page);
    }
    fputs("</table>\n", page);
}

static struct tab pareto_t;

static void pareto_section(void)
{
    open_section("pareto", "", T("pareto_h"));
    figure("pareto", T("pareto_cap"));
    figure("lorenz", T("lorenz_cap"));
    notes("pareto");
    if (!noted("pareto"))
        top_table(&pareto_t, "top-clients", "top_h", T("revenue"), "revenue");
    fputs("</section>\n", page);
}

/* the class table of a cl-pareto summary */
static size_t abc_table(const struct tab *s, const char *id, const char *value_label,
                        char *classes)
{
    size_t n = 0;
    fprintf(page, "<table id=\"%s\">\n", id);
    TH(NULL, T("class"), T("clients"), T("clients_share"), value_label);
    for (char c = 'A'; c <= 'Z'; c++) {
        if (!*metric(s, fmt("class_%c_clients", c)))
            break;
        if (classes)
            classes[n] = c;
        n++;
        fprintf(page, "<tr><td>%c</td><td class=\"n\">%s</td><td class=\"n\">%s</td>"
                "<td class=\"n\">%s</td></tr>\n", c, num(metric(s, fmt("class_%c_clients", c)), 0),
                pct(metric(s, fmt("class_%c_clients_share", c)), 1),
                pct(metric(s, fmt("class_%c_value_share", c)), 1));
    }
    fputs("</table>\n", page);
    return n;
}

static void abc_section(void)
{
    char classes[26];
    size_t nclass = 0;
    open_section("abc", "", T("abc_h"));
    if (!noted("pareto")) {
        nclass = abc_table(&summary, "abc-table", T("revenue_share"), classes);
        fprintf(page, "<p class=\"note\">%s</p>\n", T("abc_note"));
    } else
        fprintf(page, "<p class=\"note nc\" id=\"nc-abc\">%s</p>\n", T("nc_abc"));
    figure("abc", T("abc_cap"));
    if (prevname && *metric(&summary, "migrate_A_A")) {
        fprintf(page, "<h3>%s</h3>\n<table id=\"migrations\">\n", wfmt(T("mig_h"),
            plabel(prevname)));
        /* rows: the classes then, "-" and new; columns: the classes now, "-" and lost */
        const char *keys[28];
        size_t nk = 0;
        for (size_t i = 0; i < nclass; i++)
            keys[nk++] = fmt("%c", classes[i]);
        keys[nk++] = "-";
        fprintf(page, "<tr><th>%s</th>", T("from_to"));
        for (size_t j = 0; j < nk; j++)
            fprintf(page, "<th class=\"n\">%s</th>", cls(keys[j]));
        fprintf(page, "<th class=\"n\">%s</th></tr>\n", T("lost"));
        for (size_t i = 0; i <= nk; i++) {
            int is_new = i == nk;
            fprintf(page, "<tr><th>%s</th>", is_new ? T("new") : cls(keys[i]));
            for (size_t j = 0; j <= nk; j++) {
                int is_lost = j == nk;
                if (is_new && is_lost) {
                    fputs("<td class=\"n\"></td>", page);
                    continue;
                }
                const char *key = is_new ? fmt("migrate_new_%s", keys[j])
                                : is_lost ? fmt("migrate_%s_lost", keys[i])
                                : fmt("migrate_%s_%s", keys[i], keys[j]);
                const char *v = metric(&summary, key);
                fprintf(page, "<td class=\"n%s\" id=\"%s\">%s</td>", !is_new && !is_lost && i == j
                        ? " diag" : "", key, *v ? num(v, 0) : "");
            }
            fputs("</tr>\n", page);
        }
        fputs("</table>\n", page);
        fprintf(page, "<p class=\"note\">%s</p>\n", wfmt(T("mig_note"), plabel(prevname)));
        figure("migration", T("mig_cap"));
        /* the class A clients of last period who are now below A */
        long pc = col(&pareto_t, "previous_class"), cc = col(&pareto_t, "class");
        size_t shown = 0;
        for (size_t r = 0; r < rows(&pareto_t) && shown < 15; r++) {
            if (strcmp(cell(&pareto_t, r, pc), "A") != 0 || strcmp(cell(&pareto_t, r, cc),
                                                                   "A") == 0)
                continue;
            if (shown++ == 0)
                fprintf(page, "<h3>%s</h3>\n<p id=\"dropped\">", T("down_h"));
            else
                fputs(", ", page);
            fprintf(page, "%s \xe2\x86\x92 %s", esc_short(cell(&pareto_t, r, 0), NAME_MAX_CHARS),
                    cls(cell(&pareto_t, r, cc)));
        }
        if (shown)
            fputs("</p>\n", page);
    } else if (!noted("pareto"))
        fprintf(page, "<p class=\"note\">%s</p>\n", T("no_prev"));
    fputs("</section>\n", page);
}

/* ---- margin ---------------------------------------------------------------- */

static struct tab margin_t;     /* pareto-margin.csv, sorted by customer in margin_index */
static size_t *margin_index;

static int margin_key_cmp(const void *key, const void *row)
{
    return strcmp(key, cell(&margin_t, *(const size_t *)row, 0));
}

static int margin_row_cmp(const void *a, const void *b)
{
    return strcmp(cell(&margin_t, *(const size_t *)a, 0), cell(&margin_t, *(const size_t *)b, 0));
}

/* The clients of class A by revenue who are C (or below: margin 0 or less)
 * by margin: a big client can be unprofitable. */
static void a_revenue_c_margin(void)
{
    size_t n = rows(&margin_t), named = 0, count = 0;
    margin_index = malloc((n ? n : 1) * sizeof *margin_index);
    if (!margin_index)
        page_fail("out of memory");
    for (size_t i = 0; i < n; i++)
        margin_index[i] = i;
    qsort(margin_index, n, sizeof *margin_index, margin_row_cmp);
    long rc = col(&pareto_t, "class"), mc = col(&margin_t, "class");
    const char *rows_html = "";
    for (size_t r = 0; r < rows(&pareto_t); r++) {
        if (strcmp(cell(&pareto_t, r, rc), "A") != 0)
            continue;
        const size_t *m = bsearch(cell(&pareto_t, r, 0), margin_index, n, sizeof *margin_index,
                                  margin_key_cmp);
        if (!m)
            continue;
        const char *mclass = cell(&margin_t, *m, mc);
        if (strcmp(mclass, "A") == 0 || strcmp(mclass, "B") == 0)
            continue;
        count++;
        if (named++ < 15)
            rows_html = fmt("%s<tr><td class=\"id\">%s</td><td class=\"n\">%s</td>"
                            "<td class=\"n\">%s</td><td class=\"n\">%s</td></tr>\n", rows_html,
                            esc_short(cell(&pareto_t, r, 0), NAME_MAX_CHARS),
                            money(get(&pareto_t, r, "revenue")), money(get(&margin_t, *m,
                                "margin")),
                            cls(mclass));
    }
    fprintf(page, "<h3>%s</h3>\n", T("arc_h"));
    if (count == 0) {
        fprintf(page, "<p class=\"note\" id=\"a-revenue-c-margin\">%s</p>\n", T("arc_none"));
        return;
    }
    fprintf(page, "<p class=\"note\">%s</p>\n", wfmt(T("arc_note"), num_d((double)count, 0)));
    fputs("<table id=\"a-revenue-c-margin\">\n", page);
    TH(NULL, T("client"), T("revenue"), T("margin"), T("margin_class"));
    fprintf(page, "%s</table>\n", rows_html);
}

static void margin_section(void)
{
    struct tab sm;
    if (!exists("pareto-margin.csv"))
        return;
    tab_load(&margin_t, "pareto-margin.csv");
    tab_load(&sm, "summary-margin.csv");
    open_section("margin", "", T("margin_h"));
    fputs("<p class=\"brief\" id=\"margin-brief\">", page);
    fprintf(page, T("margin_brief"), money(metric(&fig, "margin")), money(metric(&fig, "revenue")),
            pct(metric(&fig, "margin_rate"), 1));
    if (*metric(&sm, "share_top20")) {
        fputc(' ', page);
        fprintf(page, T("margin_pareto"), pct(metric(&sm, "share_top20"), 1),
                num(metric(&sm, "clients_for_80"), 0), pct(metric(&sm, "clients_for_80_share"), 1));
    }
    if (metric_d(&sm, "nonpositive") > 0) {
        fputc(' ', page);
        fprintf(page, T("margin_nonpos"), num(metric(&sm, "nonpositive"), 0),
                money(metric(&sm, "nonpositive_total")));
    }
    fputs("</p>\n", page);
    figure("pareto-margin", T("pareto_margin_cap"));
    if (*metric(&sm, "class_A_clients")) {
        fprintf(page, "<h3>%s</h3>\n", T("abc_margin_h"));
        abc_table(&sm, "abc-margin-table", T("margin_share"), NULL);
        fprintf(page, "<p class=\"note\">%s</p>\n", T("abc_margin_note"));
    }
    top_table(&margin_t, "top-margin", "top_margin_h", T("margin"), "margin");
    a_revenue_c_margin();
    fputs("</section>\n", page);
    free(margin_index);
    table_free(&margin_t.t);
    table_free(&sm.t);
}

static void rfm_section(void)
{
    struct tab seg;
    tab_load(&seg, "rfm-segments.csv");
    open_section("rfm", "", T("rfm_h"));
    fprintf(page, "<p class=\"note\">%s</p>\n", wfmt(T("rfm_note"),
            num(metric(&fig, "history_clients"), 0), fdate(date_to), fdate(asof)));
    fputs("<table id=\"rfm-table\">\n", page);
    TH(NULL, T("segment"), T("clients"), T("clients_share"), T("revenue"), T("revenue_share"),
       T("recency"), T("orders"));
    for (size_t r = 0; r < rows(&seg); r++)
        fprintf(page, "<tr><td>%s</td><td class=\"n\">%s</td><td class=\"n\">%s</td>"
                "<td class=\"n\">%s</td><td class=\"n\">%s</td><td class=\"n\">%s</td>"
                "<td class=\"n\">%s</td></tr>\n", segname(get(&seg, r, "segment")),
                num(get(&seg, r, "clients"), 0), pct(get(&seg, r, "clients_share"), 1),
                money(get(&seg, r, "revenue")), pct(get(&seg, r, "revenue_share"), 1),
                num(get(&seg, r, "recency_days_mean"), 0), num(get(&seg, r, "orders_mean"), 1));
    fputs("</table>\n", page);
    figure("rfm", T("rfm_cap"));
    fputs("</section>\n", page);
    table_free(&seg.t);
}

static void clv_section(void)
{
    struct tab risk, cs;
    if (!exists("at-risk.csv") && !noted("clv"))
        return;
    tab_load(&risk, "at-risk.csv");
    tab_load(&cs, "clv-summary.csv");
    open_section("clv", "", T("clv_h"));
    notes("clv");
    size_t n = rows(&risk) < 10 ? rows(&risk) : 10;
    if (risk.loaded && n == 0)
        fprintf(page, "<p class=\"note\">%s</p>\n", T("nc_noa"));
    if (n > 0) {
        fprintf(page, "<p class=\"note\">%s</p>\n", wfmt(T("clv_note"),
                num(metric(&fig, "history_clients"), 0), fdate(date_to),
                num(metric(&cs, "a_below_half"), 0), num(metric(&cs, "a_clients"), 0),
                fmt("%zu", n)));
        fputs("<table id=\"at-risk\">\n", page);
        TH(NULL, T("client"), T("period_revenue"), T("p_alive"), T("exp_purchases"),
           T("exp_value"));
        for (size_t r = 0; r < n; r++)
            fprintf(page, "<tr><td class=\"id\">%s</td><td class=\"n\">%s</td><td "
                          "class=\"n\">%s</td>"
                    "<td class=\"n\">%s</td><td class=\"n\">%s</td></tr>\n",
                    esc_short(cell(&risk, r, 0), NAME_MAX_CHARS), money(get(&risk, r, "revenue")),
                    pct(get(&risk, r, "p_alive"), 1), num(get(&risk, r, "expected_purchases"), 1),
                    num(get(&risk, r, "clv"), 2));
        fputs("</table>\n", page);
    }
    fputs("</section>\n", page);
    table_free(&risk.t);
    table_free(&cs.t);
}

static void personas_section(void)
{
    struct tab pro;
    tab_load(&pro, "profiles.csv");
    open_section("personas", "", T("personas_h"));
    notes("personas");
    if (rows(&pro) > 0) {
        const char *features = metric(&fig, "persona_features");
        if (strcmp(features, "recency_days,orders,revenue") == 0 || !*features)
            fprintf(page, "<p class=\"note\">%s</p>\n",
                    wfmt(T("personas_note"), fmt("%zu", rows(&pro))));
        else {
            /* "a, b and c" */
            char *list = strdup(features), *save = NULL;
            const char *said = "", *parts[3];
            size_t np = 0;
            for (char *f = strtok_r(list, ",", &save); f && np < 3; f = strtok_r(NULL, ",", &save))
                parts[np++] = feature_word(f);
            for (size_t i = 0; i < np; i++)
                said = fmt("%s%s%s", said, i == 0 ? "" : i + 1 == np ? T("and") : ", ", parts[i]);
            free(list);
            fprintf(page, "<p class=\"note\">%s</p>\n",
                    wfmt(T("personas_note_some"), fmt("%zu", rows(&pro)), said));
        }
        fputs("<table id=\"personas-table\">\n", page);
        TH(NULL, T("persona"), T("size"), T("clients_share"), T("revenue_share"), T("mean_recency"),
           T("mean_orders"), T("mean_revenue"));
        for (size_t r = 0; r < rows(&pro); r++)
            fprintf(page, "<tr><td>%s. %s</td><td class=\"n\">%s</td><td class=\"n\">%s</td>"
                    "<td class=\"n\">%s</td><td class=\"n\">%s</td><td class=\"n\">%s</td>"
                    "<td class=\"n\">%s</td></tr>\n", esc(get(&pro, r, "cluster")),
                    esc(get(&pro, r, "label")), num(get(&pro, r, "size"), 0),
                    pct(get(&pro, r, "share"), 1), pct(get(&pro, r, "revenue_share"), 1),
                    num(get(&pro, r, "recency_days_mean"), 0), num(get(&pro, r, "orders_mean"), 1),
                    num(get(&pro, r, "revenue_mean"), 2));
        fputs("</table>\n", page);
    }
    figure("personas", T("personas_cap"));
    figure("clusters", T("clusters_cap"));
    fputs("</section>\n", page);
    table_free(&pro.t);
}

static void cohort_note(const char *line, void *ctx)
{
    (void)ctx;
    fprintf(page, "<p class=\"note\">%s%s</p>\n", T("coh_left"), said(line));
}

static void cohort_section(void)
{
    struct tab coh;
    if (!exists("cohort-retention.csv"))
        return;
    tab_load(&coh, "cohort-retention.csv");
    open_section("cohorts", "", T("coh_h"));
    fprintf(page, "<p class=\"note\">%s</p>\n", wfmt(T("coh_note"), fdate(date_to)));
    fputs("<table id=\"cohort-table\">\n", page);
    TH("nlnnlnn", T("coh_k"), T("coh_c"), T("clients"), T("coh_r"), T("coh_y"), T("coh_r"),
       T("coh_d"));
    for (size_t r = 0; r < rows(&coh); r++) {
        const char *ret = get(&coh, r, "retention"), *before = get(&coh, r,
                                                                   "year_before_retention");
        const char *cohort = get(&coh, r, "cohort");
        double a, b;
        fprintf(page, "<tr><td class=\"n\">%s</td><td>%s</td><td class=\"n\">%s</td>"
                "<td class=\"n\">%s</td>", esc(get(&coh, r, "months")),
                *cohort ? plabel(cohort) : "\xe2\x80\x93", num(get(&coh, r, "cohort_size"), 0),
                pct(ret, 1));
        fprintf(page, "<td>%s</td><td class=\"n\">%s</td><td class=\"n\">%s</td></tr>\n",
                *before ? fmt("%s (%s)", plabel(get(&coh, r, "year_before_cohort")),
                              num(get(&coh, r, "year_before_size"), 0)) : "\xe2\x80\x93",
                pct(before, 1), to_double(ret, &a) && to_double(before, &b)
                ? fmt("%s %s", signed_d((a - b) * 100, 1), T("pts")) : "\xe2\x80\x93");
    }
    fputs("</table>\n", page);
    each_line("cohort-notes.txt", cohort_note, NULL);
    figure("cohort", T("coh_cap"));
    fputs("</section>\n", page);
    table_free(&coh.t);
}

/* cl-share --negative-as-zero's warning, in warnings.txt:
 *   cl-share: FILE:LINE: segment "NAME": the net revenue of its clients adds
 *   up to VALUE, counted as 0 (...)
 * NAME and VALUE put in the page's sentence; NULL for any other line. */
static const char NEG_HEAD[] = "cl-share: ", NEG_SEG[] = ": segment \"",
                  NEG_SUM[] = "\": the net revenue of its clients adds up to ",
                  NEG_ZERO[] = ", counted as 0";

static const char *negative_sentence(const char *line)
{
    if (strncmp(line, NEG_HEAD, sizeof NEG_HEAD - 1) != 0)
        return NULL;
    const char *seg = strstr(line, NEG_SEG), *sum = seg ? strstr(seg, NEG_SUM) : NULL;
    const char *zero = sum ? strstr(sum, NEG_ZERO) : NULL;
    if (!zero)
        return NULL;
    seg += sizeof NEG_SEG - 1;
    sum += sizeof NEG_SUM - 1;
    char *name = strndup(seg, (size_t)(sum - (sizeof NEG_SUM - 1) - seg));
    char *value = strndup(sum, (size_t)(zero - sum));
    if (!name || !value)
        page_fail("out of memory");
    const char *text = wfmt(T("negative"), esc_short(name, NAME_MAX_CHARS), money(value));
    free(name);
    free(value);
    return text;
}

static void negative_segment(const char *line, void *ctx)
{
    (void)ctx;
    const char *text = negative_sentence(line);
    if (text)
        fprintf(page, "<p class=\"note\">%s</p>\n", text);
}

static void market_section(void)
{
    struct tab sh;
    tab_load(&sh, "share.csv");
    if (rows(&sh) == 0) {
        table_free(&sh.t);
        return;
    }
    open_section("market", "", T("market_h"));
    const char *segment = metric(&fig, "segment_column");
    if (*segment)
        fprintf(page, "<p class=\"note\">%s</p>\n", wfmt(T("market_note"),
                esc(metric(&fig, "market_file")), esc(segment)));
    else
        fprintf(page, "<p class=\"note\">%s</p>\n", wfmt(T("market_note2"),
                esc(metric(&fig, "market_file"))));
    int value = col(&sh, "share_value") >= 0;
    fputs("<table id=\"share-table\" class=\"wide\">\n", page);
    if (value)
        TH(NULL, T("segment"), T("clients"), T("effective"), T("share_e"), T("potential"),
           T("share_p"), T("our_revenue"), T("market_revenue"), T("share_v"));
    else
        TH(NULL, T("segment"), T("clients"), T("effective"), T("share_e"), T("potential"),
           T("share_p"));
    for (size_t r = 0; r < rows(&sh); r++) {
        const char *seg = get(&sh, r, "segment");
        int total = strcmp(seg, "TOTAL") == 0;
        fprintf(page, "<tr%s><td>%s</td><td class=\"n\">%s</td><td class=\"n\">%s</td>"
                "<td class=\"n\">%s</td><td class=\"n\">%s</td><td class=\"n\">%s</td>",
                total ? " class=\"total\"" : "", total ? T("total") : esc_short(seg,
                    NAME_MAX_CHARS),
                num(get(&sh, r, "clients"), 0), num(get(&sh, r, "effective"), 0),
                share(get(&sh, r, "share_effective")), num(get(&sh, r, "potential"), 0),
                share(get(&sh, r, "share_potential")));
        if (value)
            fprintf(page, "<td class=\"n\">%s</td><td class=\"n\">%s</td><td class=\"n\">%s</td>",
                    money(get(&sh, r, "revenue")), money(get(&sh, r, "market_revenue")),
                    share(get(&sh, r, "share_value")));
        fputs("</tr>\n", page);
    }
    fputs("</table>\n", page);
    each_line("warnings.txt", negative_segment, NULL);
    figure("share", T("share_cap"));
    fputs("</section>\n", page);
    table_free(&sh.t);
}

static void prescribers_section(void)
{
    struct tab pp, pc, ps, psum;
    open_section("prescribers", "", T("presc_h"));
    tab_load(&psum, "prescribers-summary.csv");
    if (metric_d(&fig, "prescribers") == 0)
        fprintf(page, "<p class=\"note\" id=\"prescribers-brief\">%s</p>\n", T("presc_none"));
    else {
        double revenue = metric_d(&fig, "revenue");
        fputs("<p class=\"brief\" id=\"prescribers-brief\">", page);
        fprintf(page, T("presc_brief"), num(metric(&fig, "prescribers"), 0),
                money(metric(&fig, "prescribed_revenue")),
                revenue > 0 ? pct_d(metric_d(&fig, "prescribed_revenue") / revenue,
                                    1) : "\xe2\x80\x93",
                num(metric(&fig, "prescribed_clients"), 0), num(metric(&fig, "clients"), 0));
        if (*metric(&psum, "share_top20")) {
            fputc(' ', page);
            fprintf(page, T("presc_pareto"), pct(metric(&psum, "share_top20"), 1),
                    num(metric(&psum, "clients_for_80"), 0),
                    pct(metric(&psum, "clients_for_80_share"), 1));
        }
        fputs("</p>\n", page);
        tab_load(&pp, "prescribers-pareto.csv");
        tab_load(&pc, "prescriber-clients.csv");
        size_t n = rows(&pp) < 10 ? rows(&pp) : 10;
        /* each top prescriber's three largest clients (ties: the first read) */
        size_t best[10][3], count[10] = { 0 };
        for (size_t r = 0; r < rows(&pc) && pc.t.columns >= 3; r++) {
            size_t k;
            for (k = 0; k < n && strcmp(cell(&pp, k, 0), cell(&pc, r, 0)) != 0; k++)
                ;
            if (k == n)
                continue;
            double v = atof(cell(&pc, r, 2));
            size_t have = count[k] < 3 ? count[k] : 3, j;
            count[k]++;
            for (j = 0; j < have && atof(cell(&pc, best[k][j], 2)) >= v; j++)
                ;
            if (j >= 3)
                continue;
            for (size_t m = (have < 3 ? have : 2); m > j; m--)
                best[k][m] = best[k][m - 1];
            best[k][j] = r;
        }
        fprintf(page, "<h3>%s</h3>\n<table id=\"top-prescribers\" class=\"wide\">\n",
                wfmt(T("presc_top"), fmt("%zu", n)));
        TH("nlnnnnnl", T("rank"), T("prescriber"), T("prescribed"), T("share"), T("cum"),
           T("class"), T("brought"), T("their_clients"));
        for (size_t r = 0; r < n; r++) {
            const char *line = "";
            for (size_t j = 0; j < 3 && j < count[r]; j++)
                line = fmt("%s%s%s (%s)", line, j ? ", " : "",
                           esc_short(cell(&pc, best[r][j], 1), NAME_MAX_CHARS),
                           money(cell(&pc, best[r][j], 2)));
            if (count[r] > 3)
                line = fmt("%s, %s", line, wfmt(T("more"), num_d((double)(count[r] - 3), 0)));
            fprintf(page, "<tr><td class=\"n\">%s</td><td class=\"id\">%s</td><td "
                          "class=\"n\">%s</td>"
                    "<td class=\"n\">%s</td><td class=\"n\">%s</td><td class=\"n\">%s</td>"
                    "<td class=\"n\">%s</td><td class=\"id\">%s</td></tr>\n",
                    esc(get(&pp, r, "rank")), esc_short(cell(&pp, r, 0), NAME_MAX_CHARS),
                    money(get(&pp, r, "revenue")), pct(get(&pp, r, "share"), 1),
                    pct(get(&pp, r, "cum_share"), 1), cls(get(&pp, r, "class")),
                    num(get(&pp, r, "clients"), 0), line);
        }
        fputs("</table>\n", page);
        table_free(&pp.t);
        table_free(&pc.t);
    }
    table_free(&psum.t);
    if (!prevname)
        fprintf(page, "<p class=\"note\">%s</p>\n", T("stopped_noprev"));
    else if (exists("prescribers-stopped.csv")) {
        tab_load(&ps, "prescribers-stopped.csv");
        fprintf(page, "<h3>%s</h3>\n", wfmt(T("stopped_h"), plabel(prevname)));
        size_t n = rows(&ps);
        if (n == 0)
            fprintf(page, "<p class=\"note\" id=\"stopped\">%s</p>\n",
                    wfmt(T("stopped_none"), plabel(prevname)));
        else {
            fprintf(page, "<p class=\"note\">%s</p>\n<p id=\"stopped\">",
                    wfmt(T("stopped_note"), plabel(prevname)));
            size_t shown = n < 15 ? n : 15;
            for (size_t r = 0; r < shown; r++)
                fprintf(page, "%s%s (%s)", r ? ", " : "", esc_short(cell(&ps, r, 0),
                                                                    NAME_MAX_CHARS),
                        money(get(&ps, r, "previous_revenue")));
            if (n > shown)
                fprintf(page, " %s", wfmt(T("stopped_more"), num_d((double)(n - shown), 0)));
            fputs("</p>\n", page);
        }
        table_free(&ps.t);
    }
    fputs("</section>\n", page);
}

/* ---- data quality ---------------------------------------------------------- */


struct warnings {
    size_t count;       /* messages listed */
    size_t elsewhere;   /* messages said in their section instead */
};

/* Is LINE cl-clv's message that the lifetime value section says already
 * (its note nc_clv holds the same words)? */
static int clv_said(const char *line)
{
    if (strncmp(line, "cl-clv: ", 8) != 0)
        return 0;
    for (size_t i = 0; i < notes_count; i++) {
        if (strncmp(notes_text[i], "clv\tnc_clv\t", 11) != 0)
            continue;
        char *f[8], *copy;
        size_t n = note_fields(notes_text[i], f, &copy);
        int same = n >= 3 && strcmp(f[2], line + 8) == 0;
        free(copy);
        if (same)
            return 1;
    }
    return 0;
}

static void warning_line(const char *line, void *ctx)
{
    struct warnings *w = ctx;
    if (!*line)
        return;
    /* the rejected lines are said above, by reason, in the page's language */
    if (strstr(line, " lines rejected: ") && strncmp(line, "cl-rollup: ", 11) == 0)
        return;
    /* a segment counted as 0 is said in the market section, cl-clv's
     * failure in the lifetime value section: once on the page */
    if (negative_sentence(line) || clv_said(line)) {
        w->elsewhere++;
        return;
    }
    if (w->count++ == 0)
        fprintf(page, "<li>%s<ul class=\"warn\" id=\"warnings\">\n", T("q_warn"));
    fprintf(page, "<li>%s</li>\n", said(line));
}

static void quality_section(void)
{
    open_section("quality", "quality", T("quality_h"));
    fputs("<ul>\n", page);
    fputs("<li>", page);
    fprintf(page, T("q_file"), esc(metric(&fig, "sales_file")),
            num(metric(&stats_all, "lines_read"), 0), num(metric(&stats_all, "lines_used"), 0),
            fdate(metric(&stats_all, "first_date")), fdate(metric(&stats_all, "last_date")));
    fputs("</li>\n<li id=\"q-period\">", page);
    fprintf(page, T("q_period"), num(metric(&stats, "lines_used"), 0),
            num(metric(&stats, "lines_out_of_period"), 0), num(metric(&stats, "lines_rejected"),
                                                               0));
    fputs("</li>\n", page);
    if (metric_d(&stats, "lines_rejected") > 0) {
        fprintf(page, "<li>%s<ul>", T("q_reasons"));
        for (size_t i = 0; i < page_reasons_count; i++) {
            const char *v = metric(&stats, fmt("rejected_%s", page_reasons[i].key));
            double x;
            if (to_double(v, &x) && x > 0)
                fprintf(page, "<li>%s%s %s</li>",
                        french ? page_reasons[i].fr : page_reasons[i].en,
                        T(":"), num(v, 0));
        }
        fputs("</ul></li>\n", page);
    }
    if (metric_d(&summary, "nonpositive") > 0) {
        fputs("<li>", page);
        fprintf(page, T("q_nonpos"), num(metric(&summary, "nonpositive"), 0));
        fputs("</li>\n", page);
    }
    struct warnings w = { 0 };
    each_line("warnings.txt", warning_line, &w);
    if (w.count)
        fputs("</ul></li>\n", page);
    else
        fprintf(page, "<li>%s</li>\n", T(w.elsewhere ? "q_nowarn_other" : "q_nowarn"));
    fputs("</ul>\n</section>\n", page);
}

/* ---- method and files ------------------------------------------------------ */


/* What NAME is, in the page's language ("" when unknown). */
static const char *file_word(const char *name)
{
    for (size_t i = 0; i < page_files_count; i++)
        if (strcmp(page_files[i].key, name) == 0)
            return french ? page_files[i].fr : page_files[i].en;
    const char *dot = strrchr(name, '.');
    if (dot && (strcmp(dot, ".svg") == 0 || strcmp(dot, ".png") == 0))
        for (size_t i = 0; i < page_charts_count; i++)
            if (strlen(page_charts[i].key) == (size_t)(dot - name)
                && strncmp(page_charts[i].key, name, (size_t)(dot - name)) == 0)
                return fmt("%s%s", french ? page_charts[i].fr : page_charts[i].en,
                           strcmp(dot, ".svg") == 0 ? T("svg_for") : T("png_for"));
    return "";
}

static int name_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void method_section(void)
{
    open_section("method", "", T("method_h"));
    figure("select", T("select_cap"));
    fprintf(page, "<p>%s</p>\n<ul class=\"files\">\n", T("files"));
    DIR *d = opendir(folder);
    if (!d)
        page_fail("%s: %s", folder, strerror(errno));
    char **names = NULL;
    size_t n = 0, cap = 0;
    for (struct dirent *e; (e = readdir(d));) {
        /* not the page itself, nor its temporary (index.html.XXXXXX) */
        if (e->d_name[0] == '.' || strncmp(e->d_name, "index.html", 10) == 0
            || strstr(e->d_name, ".tmp") || strstr(e->d_name, ".err"))
            continue;
        if (n == cap) {
            cap = cap ? 2 * cap : 64;
            names = realloc(names, cap * sizeof *names);
            if (!names)
                page_fail("out of memory");
        }
        names[n++] = strdup(e->d_name);
    }
    closedir(d);
    qsort(names, n, sizeof *names, name_cmp);
    for (size_t i = 0; i < n; i++) {
        const char *what = file_word(names[i]);
        fprintf(page, "<li><a href=\"%s\">%s</a>%s%s</li>\n", esc(names[i]), esc(names[i]),
                *what ? " \xe2\x80\x94 " : "", what);
        free(names[i]);
    }
    free(names);
    fputs("</ul>\n</section>\n", page);
    fprintf(page, "<footer>%s cl-report (clientele) %s</footer>\n</body>\n</html>\n",
            T("made_by"), version);
}

/* ---- the calls ------------------------------------------------------------- */

int page_load(const char *dir, const char *previous, int fr, struct diag *diag)
{
    fail_diag = diag;
    if (setjmp(fail_jump))
        return -1;
    french = fr;
    folder = dir;
    if (!exists("figures.csv"))
        return diag_set(diag, "%s: not a cl-report folder (no figures.csv)", folder);
    tab_load(&fig, "figures.csv");
    tab_load(&summary, "summary.csv");
    tab_load(&stats, "stats.csv");
    tab_load(&stats_all, "stats-all.csv");
    tab_load(&pareto_t, "pareto.csv");
    if (previous) {
        struct stat st;
        const char *p = fmt("%s/figures.csv", previous);
        if (stat(p, &st) != 0)
            return diag_set(diag, "%s: not a cl-report folder (no figures.csv)", previous);
        tab_load_path(&prev_fig, p);
        prevname = metric(&prev_fig, "period");
        if (!*prevname)
            return diag_set(diag, "%s: no period in its figures.csv", p);
    }
    period = metric(&fig, "period");
    date_from = metric(&fig, "from");
    date_to = metric(&fig, "to");
    asof = metric(&fig, "asof");
    if (!*period || !*date_from || !*date_to)
        return diag_set(diag, "%s/figures.csv: no period, from or to", folder);
    each_line("notes.txt", add_note, NULL);
    return 0;
}

int page_write(FILE *out, const char *version_text, struct diag *diag)
{
    fail_diag = diag;
    if (setjmp(fail_jump))
        return -1;
    page = out;
    version = version_text;
    sections_written[0] = '\0';
    head();
    title_and_brief();
    key_figures();
    pareto_section();
    abc_section();
    margin_section();
    rfm_section();
    clv_section();
    personas_section();
    cohort_section();
    market_section();
    if (*metric(&fig, "prescribed_clients"))
        prescribers_section();
    quality_section();
    method_section();
    return 0;
}

void page_free(void)
{
    table_free(&fig.t);
    table_free(&prev_fig.t);
    table_free(&summary.t);
    table_free(&stats.t);
    table_free(&stats_all.t);
    table_free(&pareto_t.t);
    for (size_t i = 0; i < notes_count; i++)
        free(notes_text[i]);
    notes_count = 0;
    for (size_t i = 0; i < RING; i++) {
        free(ring[i]);
        ring[i] = NULL;
    }
}

/* ---- the report's calendar and the charts' subtitles ------------------------ */

/* YYYY-MM-DD (or YYYY-MM when month is set, the day taken as 1) read into
 * y, m, d. @return 1 when it is one, 0 otherwise. */
static int read_day(const char *s, int month, int *y, int *m, int *d)
{
    size_t n = strlen(s);
    if (n != (month ? 7u : 10u) || strspn(s, "0123456789-") != n || s[4] != '-'
        || (!month && s[7] != '-'))
        return 0;
    *y = atoi(s);
    *m = atoi(s + 5);
    *d = month ? 1 : atoi(s + 8);
    if (*m < 1 || *m > 12 || *d < 1 || !isdigit((unsigned char)s[5]))
        return 0;
    int32_t day = date_from_civil(*y, *m, *d);
    int y2, m2, d2;
    date_to_civil(day, &y2, &m2, &d2);
    return y2 == *y && m2 == *m && d2 == *d;
}

static int month_days(int y, int m)
{
    int y2 = m == 12 ? y + 1 : y, m2 = m == 12 ? 1 : m + 1;
    return (int)(date_from_civil(y2, m2, 1) - date_from_civil(y, m, 1));
}

int page_calendar(FILE *out, const char *op, const char *arg, struct diag *diag)
{
    int y, m, d;
    if (strcmp(op, "valid") == 0 || strcmp(op, "next-day") == 0) {
        if (!read_day(arg, 0, &y, &m, &d))
            return diag_set(diag, "'%s' is not a date YYYY-MM-DD", arg);
        if (*op == 'v') {
            fprintf(out, "%s\n", arg);
            return 0;
        }
        if (y == 9999 && m == 12 && d == 31)
            return diag_set(diag, "'%s': the day after is past the year 9999", arg);
        char text[32];
        fprintf(out, "%s\n", format_date(date_from_civil(y, m, d) + 1, text));
        return 0;
    }
    if (strcmp(op, "month-end") == 0 || strcmp(op, "month-before") == 0) {
        char ym[8];
        snprintf(ym, sizeof ym, "%.7s", arg);
        /* a month, or a day whose month is meant */
        if (!read_day(arg, strlen(arg) == 7, &y, &m, &d) || !read_day(ym, 1, &y, &m, &d))
            return diag_set(diag, "'%s' is not a month YYYY-MM", arg);
        if (op[6] != 'e' && y == 0 && m == 1)
            return diag_set(diag, "'%s': the month before is before the year 0", arg);
        if (op[6] == 'e')
            fprintf(out, "%04d-%02d-%02d\n", y, m, month_days(y, m));
        else
            fprintf(out, "%04d-%02d\n", m == 1 ? y - 1 : y, m == 1 ? 12 : m - 1);
        return 0;
    }
    return diag_set(diag, "'%s' is not valid, next-day, month-end or month-before", op);
}

int page_label(FILE *out, const char *what, const char *arg, int fr, struct diag *diag)
{
    int y, m, d;
    fail_diag = diag;
    if (setjmp(fail_jump))
        return -1;
    french = fr;
    if (strcmp(what, "history") == 0) {
        if (!read_day(arg, 0, &y, &m, &d))
            return diag_set(diag, "'%s' is not a date YYYY-MM-DD", arg);
        fprintf(out, "%s\n", wfmt(T("clients_up_to"), fdate(arg)));
    } else if (strcmp(what, "period") == 0) {
        char a[11];
        snprintf(a, sizeof a, "%.10s", arg);
        if (!read_day(arg, 1, &y, &m, &d)
            && !(strlen(arg) == 21 && arg[10] == '_' && read_day(a, 0, &y, &m, &d)
                 && read_day(arg + 11, 0, &y, &m, &d)))
            return diag_set(diag, "'%s' is not a period YYYY-MM or FROM_TO", arg);
        fprintf(out, "%s\n", plabel(arg));
    } else
        return diag_set(diag, "'%s' is not period or history", what);
    return 0;
}
