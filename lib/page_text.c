/* page_text.c — the page's text: words, strings, escaping, numbers, dates.
 *
 * Everything the page's modules write goes through here: the words of
 * page_words.c in the page's language, strings made on the fly (kept in a
 * ring until 1024 later ones, so that a section never frees what it
 * prints), text from the data escaped for HTML, numbers grouped with the
 * language's marks and the minus sign U+2212, money from the programs'
 * exact decimal strings, dates in words. A failure (out of memory, a word
 * missing) jumps back to the call of page.c that set text_fail_jump. */
#include <ctype.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "page_text.h"
#include "page_words.h"
#include "parse.h"

/* ---- failure: back to page_load or page_write -------------------------- */

jmp_buf text_fail_jump;
struct diag *text_fail_diag;

_Noreturn void text_fail(const char *format, ...)
{
    char text[DIAG_MAX];
    va_list ap;
    va_start(ap, format);
    vsnprintf(text, sizeof text, format, ap);
    va_end(ap);
    diag_set(text_fail_diag, "%s", text);
    longjmp(text_fail_jump, 1);
}

/* ---- words ------------------------------------------------------------ */

int text_french;

const char *text_word(const char *key)
{
    for (size_t i = 0; i < page_words_count; i++)
        if (strcmp(page_words[i].key, key) == 0)
            return text_french ? page_words[i].fr : page_words[i].en;
    text_fail("no word '%s' (a bug)", key);
}

const char *text_feature(const char *feature)
{
    const char *w = strcmp(feature, "recency_days") == 0 ? text_word("recency")
                  : strcmp(feature, "orders") == 0 ? text_word("orders") : text_word("revenue");
    /* lower case of the first letter (the words start with ASCII or É) */
    char *s = strdup(w);
    if (!s)
        text_fail("out of memory");
    if (isupper((unsigned char)s[0]))
        s[0] = (char)tolower((unsigned char)s[0]);
    return text_keep(s);
}

/* ---- strings that live until 1024 later ones -------------------------- */

#define RING 1024
static char *ring[RING];
static unsigned ring_at;

const char *text_keep(char *s)
{
    if (!s)
        text_fail("out of memory");
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
    return text_keep(s);
}

const char *text_fmt(const char *format, ...)
{
    va_list ap;
    va_start(ap, format);
    const char *s = vformat(format, ap);
    va_end(ap);
    return s;
}

/* fmt for the words used as formats (not literals) */
const char *text_wfmt(const char *format, ...)
{
    va_list ap;
    va_start(ap, format);
    const char *s = vformat(format, ap);
    va_end(ap);
    return s;
}

/* Text from the data, for HTML: & < > " ' escaped. */
const char *text_esc(const char *s)
{
    size_t n = 0;
    for (const char *p = s; *p; p++)
        n += strchr("&<>\"'", *p) ? 6 : 1;
    char *o = malloc(n + 1), *w = o;
    if (!o)
        text_fail("out of memory");
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
    return text_keep(o);
}

/* Escaped prose typeset as the page's words are: an apostrophe between
 * two letters is ’; in French, the space before a : ; ? or ! that ends a
 * word is a narrow no-break space (U+202F). */
const char *text_typeset(const char *escaped)
{
    size_t n = strlen(escaped);
    char *o = malloc(3 * n + 1), *w = o;
    if (!o)
        text_fail("out of memory");
    for (const char *p = escaped; *p; p++) {
        int letter_before = w > o && (isalpha((unsigned char)w[-1]) || (w[-1] & 0x80));
        if (strncmp(p, "&#39;", 5) == 0 && letter_before && (isalpha((unsigned char)p[5])
                                                             || (p[5] & 0x80))) {
            w = stpcpy(w, "\xe2\x80\x99");
            p += 4;
        } else if (text_french && strchr(":;?!", *p) && (p[1] == ' ' || !p[1]) && w > o
                   && w[-1] == ' ') {
            w--;
            w = stpcpy(w, "\xe2\x80\xaf");
            *w++ = *p;
        } else
            *w++ = *p;
    }
    *w = '\0';
    return text_keep(o);
}

/* S cut to max characters (UTF-8) with an ellipsis, then escaped: a name
 * of a megabyte is a line on the page, as the charts cut their labels. */
const char *text_esc_short(const char *s, size_t max)
{
    size_t chars = 0, i = 0;
    for (; s[i]; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80 && ++chars > max)
            break;
    if (!s[i])
        return text_esc(s);
    char *cut = strndup(s, i);
    if (!cut)
        text_fail("out of memory");
    const char *e = text_fmt("%s\xe2\x80\xa6", text_esc(cut));
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
    const char *sep = text_french ? "\xe2\x80\xaf" : ",";
    char *o = malloc(strlen(plain) * 4 + 8), *w = o;
    if (!o)
        text_fail("out of memory");
    if (negative && strspn(digits, "0.") != strlen(digits))
        w = stpcpy(w, "\xe2\x88\x92");
    for (size_t i = 0; i < int_len; i++) {
        if (i > 0 && (int_len - i) % 3 == 0)
            w = stpcpy(w, sep);
        *w++ = digits[i];
    }
    if (dot) {
        *w++ = text_french ? ',' : '.';
        w = stpcpy(w, dot + 1);
    }
    *w = '\0';
    return text_keep(o);
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

int text_double(const char *s, double *x)
{
    if (!s || !*s)
        return 0;
    char *end;
    *x = strtod(s, &end);
    return *end == '\0' && isfinite(*x);
}

/* x rounded to d decimals, for the page. */
const char *text_num_d(double x, int d)
{
    char buf[64];
    format_fixed(x, d, '.', buf);
    return group(buf);
}

/* A cell with d decimals ("–" when empty or not a number). */
const char *text_num(const char *s, int d)
{
    double x;
    return text_double(s, &x) ? text_num_d(x, d) : "\xe2\x80\x93";
}

/* Money as the program wrote it: every decimal kept (110.281 stays
 * 110.281), at least two (12.5 is 12.50); never through a float. */
const char *text_money(const char *s)
{
    if (!s || !*s)
        return "\xe2\x80\x93";
    if (!plain_decimal(s))
        return text_num(s, 2);
    char *plain = malloc(strlen(s) + 4);
    if (!plain)
        text_fail("out of memory");
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
    text_keep(plain);
    return group(plain);
}

const char *text_percent(void)
{
    return text_french ? "\xe2\x80\xaf%" : "%";
}

const char *text_pct_d(double x, int d)
{
    return text_fmt("%s%s", text_num_d(x * 100, d), text_percent());
}

const char *text_pct(const char *s, int d)
{
    double x;
    return text_double(s, &x) ? text_pct_d(x, d) : "\xe2\x80\x93";
}

/* A market share: 2 decimals below 1%. */
const char *text_share(const char *s)
{
    double x;
    return text_double(s, &x) ? text_pct_d(x, fabs(x) < 0.01 ? 2 : 1) : "\xe2\x80\x93";
}

/* A change: "+" before a rise, the minus sign before a fall. */
const char *text_signed(double x, int d)
{
    const char *s = text_num_d(x, d);
    return (x > 0 && strpbrk(s, "123456789")) ? text_fmt("+%s", s) : s;
}

/* ---- dates ---------------------------------------------------------------- */

static const char *const months_en[13] = { "", "January", "February", "March", "April", "May",
    "June", "July", "August", "September", "October", "November", "December" };
static const char *const months_fr[13] = { "", "janvier", "f\xc3\xa9vrier", "mars", "avril", "mai",
    "juin", "juillet", "ao\xc3\xbbt", "septembre", "octobre", "novembre", "d\xc3\xa9" "cembre" };

const char *text_month(int m)
{
    size_t i = m >= 1 && m <= 12 ? (size_t)m : 0;
    return text_french ? months_fr[i] : months_en[i];
}

/* YYYY-MM-DD as "9 December 2011" / "9 décembre 2011" ("1er" in French). */
const char *text_date(const char *s)
{
    int y, m, d;
    char rest;
    if (!s || sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &rest) < 3 || m < 1 || m > 12)
        return text_esc(s ? s : "");
    return text_fmt("%d%s %s %d", d, text_french && d == 1 ? "er" : "", text_month(m), y);
}

/* A period's name: "2011-11" as "November 2011", "FROM_TO" as two dates. */
const char *text_period(const char *p)
{
    int y, m;
    char rest;
    if (strlen(p) == 7 && sscanf(p, "%4d-%2d%c", &y, &m, &rest) == 2 && m >= 1 && m <= 12)
        return text_fmt("%s %d", text_month(m), y);
    if (strlen(p) == 21 && p[10] == '_') {
        char a[11];
        memcpy(a, p, 10);
        a[10] = '\0';
        return text_fmt("%s \xe2\x80\x93 %s", text_date(a), text_date(p + 11));
    }
    return text_esc(p);
}

/* replace every `from` by `to` in line (a new string) */
const char *text_replace_all(const char *line, const char *from, const char *to)
{
    size_t fl = strlen(from), tl = strlen(to), n = 0;
    for (const char *p = strstr(line, from); p; p = strstr(p + fl, from))
        n++;
    if (n == 0)
        return line;
    char *o = malloc(strlen(line) + n * tl + 1), *w = o;
    if (!o)
        text_fail("out of memory");
    const char *p = line, *q;
    while ((q = strstr(p, from))) {
        memcpy(w, p, (size_t)(q - p));
        w += q - p;
        w = stpcpy(w, to);
        p = q + fl;
    }
    strcpy(w, p);
    return text_keep(o);
}

void text_free(void)
{
    for (size_t i = 0; i < RING; i++) {
        free(ring[i]);
        ring[i] = NULL;
    }
}
