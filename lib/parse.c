/* parse.c — every number and date the programs read, locale-free and
 * strict, and the formatters that write them back exactly (see parse.h). */
#include "parse.h"

#include <assert.h>
#include <errno.h>
#include <locale.h>
#include <pthread.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"

/* The "C" locale, for strtod and snprintf: a program that calls
 * setlocale() (or a library that does) must not change how numbers read or
 * print. uselocale() switches only the calling thread, briefly. */
static locale_t c_locale;
static pthread_once_t c_locale_once = PTHREAD_ONCE_INIT;

static void make_c_locale(void)
{
    c_locale = newlocale(LC_ALL_MASK, "C", (locale_t)0);
}

static locale_t enter_c_locale(void)
{
    pthread_once(&c_locale_once, make_c_locale);
    return c_locale ? uselocale(c_locale) : (locale_t)0;
}

static void leave_c_locale(locale_t previous)
{
    if (previous)
        uselocale(previous);
}

const char *parse_status_text(enum parse_status status)
{
    switch (status) {
    case PARSE_OK:        return "is valid";
    case PARSE_EMPTY:     return "is empty";
    case PARSE_INVALID:   return "is not a number";
    case PARSE_RANGE:     return "is out of range";
    case PARSE_AMBIGUOUS: return "is ambiguous (decimal comma or thousands separator?)";
    case PARSE_PRECISION: return "has more than 6 decimals";
    case PARSE_MARK_CONFLICT: return "contradicts the decimal mark of an earlier line";
    case PARSE_NOT_WHOLE: return "is not a whole number";
    }
    return "is invalid";
}

size_t parse_space_len(const char *text, size_t left)
{
    const unsigned char *s = (const unsigned char *)text;
    if (left >= 1 && s[0] == ' ')
        return 1;
    if (left >= 2 && s[0] == 0xC2 && s[1] == 0xA0)
        return 2;
    if (left >= 3 && s[0] == 0xE2 && s[1] == 0x80 && s[2] == 0xAF)
        return 3;
    return 0;
}

static void trim(const char **s, size_t *len)
{
    const unsigned char *p = (const unsigned char *)*s;
    size_t n = *len, k;
    while (n > 0 && (k = parse_space_len((const char *)p, n)) > 0) { p += k; n -= k; }
    while (n > 0 && (p[n - 1] == ' ' || p[n - 1] == '\t'))
        n--;
    while (n >= 2 && p[n - 2] == 0xC2 && p[n - 1] == 0xA0)
        n -= 2;
    *s = (const char *)p;
    *len = n;
}

/* The shared front end of the number readers: checks the shape, decides the
 * decimal mark, and copies the number as plain ASCII ("-1234.56") into
 * out. *rest_at is where an exponent may start (only parse_double uses it).
 * Digits are only checked here; the readers convert. */
static enum parse_status normalize_number(const char *s, size_t len, char *mark,
                                          char *out, size_t out_size,
                                          size_t *int_digits, size_t *frac_digits,
                                          size_t *rest_at)
{
    const unsigned char *p;
    size_t i = 0, o = 0;
    int seen_digit = 0;

    trim(&s, &len);
    if (len == 0)
        return PARSE_EMPTY;
    p = (const unsigned char *)s;

    if (p[0] == '+' || p[0] == '-') {
        if (p[0] == '-')
            out[o++] = '-';
        i++;
    }
    /* Find the extent of the mantissa: digits, marks, separator spaces. */
    size_t end = i, commas = 0, points = 0, last_comma = 0, last_point = 0;
    while (end < len) {
        size_t k;
        if (p[end] >= '0' && p[end] <= '9') { end++; seen_digit = 1; continue; }
        if (p[end] == ',') { commas++; last_comma = end++; continue; }
        if (p[end] == '.') { points++; last_point = end++; continue; }
        if ((k = parse_space_len(s + end, len - end)) > 0 && end > i) { end += k; continue; }
        break;
    }
    if (!seen_digit)
        return PARSE_INVALID;
    *rest_at = end;

    /* Decide which character is the decimal mark. */
    char decimal = *mark;
    if (decimal == 0) {
        if (commas && points) {
            decimal = last_comma > last_point ? ',' : '.';
            *mark = decimal;
        } else if (commas == 1) {
            size_t after = 0;
            for (size_t j = last_comma + 1; j < end && p[j] >= '0' && p[j] <= '9'; j++)
                after++;
            if (after == 3 && last_comma + 4 == end)
                return PARSE_AMBIGUOUS;
            decimal = ',';
            *mark = ',';
        } else if (commas > 1) {
            decimal = '.';          /* "1,234,567": commas group thousands */
        } else if (points == 1) {
            decimal = '.';          /* a lone point is a decimal point */
        } else {
            decimal = points > 1 ? ',' : '.';   /* "1.234.567" groups */
        }
    }
    char thousands = decimal == '.' ? ',' : '.';

    /* Copy, checking that separators group digits by three. */
    size_t group = 0, groups = 0, intd = 0, fracd = 0;
    int in_frac = 0, sep_pending = 0;
    for (; i < end; ) {
        unsigned char c = p[i];
        size_t k;
        if (c >= '0' && c <= '9') {
            if (o + 2 >= out_size)
                return PARSE_RANGE;
            out[o++] = (char)c;
            if (in_frac) fracd++; else { intd++; group++; }
            sep_pending = 0;
            i++;
        } else if (c == (unsigned char)decimal) {
            if (in_frac || sep_pending || (groups > 0 && group != 3))
                return PARSE_INVALID;
            in_frac = 1;
            out[o++] = '.';
            i++;
        } else {
            if (c == (unsigned char)thousands) k = 1;
            else k = parse_space_len(s + i, end - i);
            if (k == 0 || in_frac || sep_pending || group == 0 || group > 3 ||
                (groups > 0 && group != 3))
                return PARSE_INVALID;
            groups++;
            group = 0;
            sep_pending = 1;
            i += k;
        }
    }
    if (sep_pending || (groups > 0 && !in_frac && group != 3))
        return PARSE_INVALID;
    if (groups > 0 && in_frac) {
        /* the last group before the decimal mark was checked at the mark */
    }
    if (intd == 0 && fracd == 0)
        return PARSE_INVALID;
    out[o] = '\0';
    *int_digits = intd;
    *frac_digits = fracd;
    return PARSE_OK;
}

enum parse_status parse_decimal(const char *s, size_t len, char *mark,
                                int64_t *scaled, int *decimals)
{
    /* The common case first: [-]digits[.digits], at most 12 + 6 digits and
     * no comma, so that nothing about the mark is learnt. Anything else
     * takes the general path below. */
    if (*mark != ',' && len > 0 && len <= 20) {
        size_t i = s[0] == '-';
        int64_t units = 0;
        size_t start = i;
        while (i < len && s[i] >= '0' && s[i] <= '9' && i - start < 12)
            units = units * 10 + (s[i++] - '0');
        if (i > start && (i == len || s[i] == '.')) {
            int dec = 0;
            int64_t frac = 0;
            if (i < len) {
                i++;
                while (i < len && s[i] >= '0' && s[i] <= '9' && dec < MONEY_DECIMALS) {
                    frac = frac * 10 + (s[i++] - '0');
                    dec++;
                }
            }
            if (i == len && (dec > 0 || s[len - 1] != '.')) {
                static const int64_t pow10[] = { 1000000, 100000, 10000, 1000, 100, 10, 1 };
                int64_t v = units * MONEY_SCALE + frac * pow10[dec];
                *scaled = s[0] == '-' ? -v : v;
                *decimals = dec;
                return PARSE_OK;
            }
        }
    }
    char buf[80];
    size_t intd, fracd, rest;
    char local_mark = *mark;
    enum parse_status st = normalize_number(s, len, &local_mark, buf, sizeof buf,
                                            &intd, &fracd, &rest);
    if (st != PARSE_OK)
        return st;
    trim(&s, &len);
    if (rest != len)
        return PARSE_INVALID;

    const char *q = buf;
    int negative = 0;
    if (*q == '-') { negative = 1; q++; }
    uint64_t value = 0;
    for (; *q && *q != '.'; q++) {
        if (value > (UINT64_MAX - 9) / 10)
            return PARSE_RANGE;
        value = value * 10 + (uint64_t)(*q - '0');
    }
    if (value > (uint64_t)INT64_MAX / MONEY_SCALE)
        return PARSE_RANGE;
    value *= MONEY_SCALE;
    int dec = 0;
    uint64_t frac_scale = MONEY_SCALE / 10;
    if (*q == '.') {
        for (q++; *q; q++) {
            if (dec >= MONEY_DECIMALS) {
                if (*q != '0')
                    return PARSE_PRECISION;
                continue;
            }
            value += (uint64_t)(*q - '0') * frac_scale;
            frac_scale /= 10;
            dec++;
        }
    }
    if (value > (uint64_t)INT64_MAX)
        return PARSE_RANGE;
    *scaled = negative ? -(int64_t)value : (int64_t)value;
    *decimals = dec;
    *mark = local_mark;
    return PARSE_OK;
}

enum parse_status parse_double(const char *s, size_t len, char *mark, double *out)
{
    char buf[96];
    size_t intd, fracd, rest;
    char local_mark = *mark;
    enum parse_status st = normalize_number(s, len, &local_mark, buf, sizeof buf - 16,
                                            &intd, &fracd, &rest);
    if (st != PARSE_OK)
        return st;
    trim(&s, &len);
    if (rest < len) {
        /* an exponent: e[+-]digits */
        size_t o = strlen(buf), i = rest;
        if (s[i] != 'e' && s[i] != 'E')
            return PARSE_INVALID;
        buf[o++] = 'e';
        i++;
        if (i < len && (s[i] == '+' || s[i] == '-'))
            buf[o++] = s[i++];
        size_t digits = 0;
        for (; i < len && s[i] >= '0' && s[i] <= '9'; i++) {
            if (digits < 6)
                buf[o++] = s[i];
            else
                return PARSE_RANGE;
            digits++;
        }
        if (digits == 0 || i != len)
            return PARSE_INVALID;
        buf[o] = '\0';
    }
    errno = 0;
    char *end;
    locale_t previous = enter_c_locale();
    double value = strtod(buf, &end);
    leave_c_locale(previous);
    if (*end != '\0')
        return PARSE_INVALID;
    if (!isfinite(value) || (errno == ERANGE && fabs(value) > 1.0))
        return PARSE_RANGE;
    *out = value;
    *mark = local_mark;
    return PARSE_OK;
}

/* ---- percent signs --------------------------------------------------- */

int parse_percent_sign(const char *s, size_t *len)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t n = *len;
    while (n > 0 && (p[n - 1] == ' ' || p[n - 1] == '\t'))
        n--;
    if (n == 0 || p[n - 1] != '%')
        return 0;
    n--;
    for (;;) {
        if (n >= 1 && p[n - 1] == ' ')
            n -= 1;
        else if (n >= 2 && p[n - 2] == 0xC2 && p[n - 1] == 0xA0)
            n -= 2;
        else if (n >= 3 && p[n - 3] == 0xE2 && p[n - 2] == 0x80 && p[n - 1] == 0xAF)
            n -= 3;
        else
            break;
    }
    *len = n;
    return 1;
}

enum parse_status parse_share(const char *s, size_t len, enum parse_share_unit unit,
                              char *mark, double *out, int *percent)
{
    int sign = parse_percent_sign(s, &len);
    if (percent)
        *percent = sign;
    if (sign) {
        /* "%" alone, or "12%%": not a number */
        size_t k = len;
        if (parse_percent_sign(s, &k))
            return PARSE_INVALID;
        const char *t = s;
        size_t n = len;
        trim(&t, &n);
        if (n == 0)
            return PARSE_INVALID;
    }
    char local_mark = *mark;
    double value;
    enum parse_status st = parse_double(s, len, &local_mark, &value);
    if (st != PARSE_OK)
        return st;
    if (sign && unit == PARSE_IN_FRACTION) {
        /* the exact decimal divided once, when it has at most 6 decimals:
         * 12.5% is then the double nearest to 0.125 */
        char m = local_mark;
        int64_t scaled;
        int decimals;
        if (parse_decimal(s, len, &m, &scaled, &decimals) == PARSE_OK)
            value = (double)scaled / (100.0 * MONEY_SCALE);
        else
            value /= 100;
    }
    *out = value;
    *mark = local_mark;
    return PARSE_OK;
}

void parse_percent_column_init(struct parse_percent_column *c)
{
    memset(c, 0, sizeof *c);
}

static void keep_text(char *out, size_t size, const char *s, size_t len);

int parse_percent_column_note(struct parse_percent_column *c, long line, const char *s,
                              size_t len)
{
    size_t n = len;
    int sign = parse_percent_sign(s, &n);
    long *at = sign ? &c->with_line : &c->without_line;
    if (*at == 0) {
        *at = line > 0 ? line : -1;
        keep_text(sign ? c->with_text : c->without_text, sizeof c->with_text, s, len);
    }
    return c->with_line != 0 && c->without_line != 0 ? -1 : 0;
}

char *parse_percent_mixed(const struct parse_percent_column *c, const char *role, char *out,
                          size_t size)
{
    char without_at[32] = "", with_at[32] = "";
    if (c->without_line > 0)
        snprintf(without_at, sizeof without_at, " at line %ld", c->without_line);
    if (c->with_line > 0)
        snprintf(with_at, sizeof with_at, " at line %ld", c->with_line);
    snprintf(out, size, "%s \"%s\"%s has no percent sign, but \"%s\"%s has one: write "
             "every value with %% or none", role, c->without_text, without_at, c->with_text,
             with_at);
    return out;
}

/* ---- the decimal mark of a column ------------------------------------ */

void parse_mark_init(struct parse_mark *m, char mark)
{
    memset(m, 0, sizeof *m);
    m->mark = mark;
    m->fixed = mark != 0;
}

/* Keep a value for messages, shortened: control bytes, quotes and
 * backslashes as '?', UTF-8 kept (a character cut short is dropped). */
static void keep_text(char *out, size_t size, const char *s, size_t len)
{
    size_t o = 0, i = 0;
    for (; i < len && o + 2 < size; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x20 || c == 0x7f || c == '"' || c == '\\')
            c = '?';
        out[o++] = (char)c;
    }
    if (i < len) {
        while (o > 0 && ((unsigned char)out[o - 1] & 0xC0) == 0x80)
            o--;
        if (o > 0 && ((unsigned char)out[o - 1] & 0x80))
            o--;
    }
    out[o] = '\0';
}

static int has_mark_char(const char *s, size_t len)
{
    return memchr(s, '.', len) != NULL || memchr(s, ',', len) != NULL;
}

/* The value read as `want` while the column says otherwise. */
static enum parse_status conflict(struct parse_mark *m, char want)
{
    m->wanted = want;
    return PARSE_MARK_CONFLICT;
}

/* What a value read undecided (as `got`, the mark it set, or 0) says, given
 * which of the two marks read it: tells a mark, or was read on a presumed
 * one. @return PARSE_OK or PARSE_MARK_CONFLICT. */
static enum parse_status learn(struct parse_mark *m, long line, const char *s, size_t len,
                               char got, int point_ok, int comma_ok, int same_value,
                               char used)
{
    char tells = got;
    if (!tells && point_ok && !comma_ok)
        tells = '.';
    else if (!tells && comma_ok && !point_ok)
        tells = ',';
    if (tells) {
        if (m->presumed && m->presumed != tells)
            return conflict(m, tells);
        m->mark = tells;
        m->told_line = line;
        keep_text(m->told_text, sizeof m->told_text, s, len);
        return PARSE_OK;
    }
    if (point_ok && comma_ok && !same_value && !m->presumed) {
        m->presumed = used;
        m->presumed_line = line;
        keep_text(m->presumed_text, sizeof m->presumed_text, s, len);
    }
    return PARSE_OK;
}

enum parse_status parse_decimal_mark_with(struct parse_mark *m, long line, const char *s,
                                          size_t len, int64_t *scaled, int *decimals,
                                          parse_decimal_reader read, void *context)
{
    char mark = m->mark;
    enum parse_status st = read(s, len, &mark, scaled, decimals, context);
    if (m->fixed || st == PARSE_EMPTY)
        return st;
    int64_t other_value;
    int other_decimals;
    if (m->mark) {
        /* decided: a value only the other mark reads contradicts it */
        char other = m->mark == '.' ? ',' : '.';
        if (st != PARSE_OK && st != PARSE_AMBIGUOUS &&
            read(s, len, &other, &other_value, &other_decimals, NULL) == PARSE_OK)
            return conflict(m, other);
        return st;
    }
    if (st != PARSE_OK || (!mark && !has_mark_char(s, len)))
        return st;
    char point = '.', comma = ',';
    int64_t point_value = 0, comma_value = 0;
    int d;
    int point_ok = read(s, len, &point, &point_value, &d, NULL) == PARSE_OK;
    int comma_ok = read(s, len, &comma, &comma_value, &d, NULL) == PARSE_OK;
    return learn(m, line, s, len, mark, point_ok, comma_ok, point_value == comma_value,
                 *scaled == point_value ? '.' : ',');
}

static enum parse_status plain_reader(const char *s, size_t len, char *mark, int64_t *scaled,
                                      int *decimals, void *context)
{
    (void)context;
    return parse_decimal(s, len, mark, scaled, decimals);
}

enum parse_status parse_decimal_mark(struct parse_mark *m, long line, const char *s,
                                     size_t len, int64_t *scaled, int *decimals)
{
    return parse_decimal_mark_with(m, line, s, len, scaled, decimals, plain_reader, NULL);
}

enum parse_status parse_double_mark(struct parse_mark *m, long line, const char *s,
                                    size_t len, double *out)
{
    char mark = m->mark;
    enum parse_status st = parse_double(s, len, &mark, out);
    if (m->fixed || st == PARSE_EMPTY)
        return st;
    double other_value;
    if (m->mark) {
        char other = m->mark == '.' ? ',' : '.';
        if (st != PARSE_OK && st != PARSE_AMBIGUOUS &&
            parse_double(s, len, &other, &other_value) == PARSE_OK)
            return conflict(m, other);
        return st;
    }
    if (st != PARSE_OK || (!mark && !has_mark_char(s, len)))
        return st;
    char point = '.', comma = ',';
    double point_value = 0, comma_value = 0;
    int point_ok = parse_double(s, len, &point, &point_value) == PARSE_OK;
    int comma_ok = parse_double(s, len, &comma, &comma_value) == PARSE_OK;
    return learn(m, line, s, len, mark, point_ok, comma_ok, point_value == comma_value,
                 *out == point_value ? '.' : ',');
}

static const char *mark_name(char mark)
{
    return mark == ',' ? "a decimal comma" : "a decimal point";
}

char *parse_mark_conflict(const struct parse_mark *m, const char *role, const char *s,
                          size_t len, char *out, size_t size)
{
    char value[24], earlier[96];
    keep_text(value, sizeof value, s, len);
    if (m->mark && m->mark != m->wanted)
        snprintf(earlier, sizeof earlier, "line %ld (\"%s\") has %s", m->told_line,
                 m->told_text, mark_name(m->mark));
    else
        snprintf(earlier, sizeof earlier, "line %ld read \"%s\" with %s", m->presumed_line,
                 m->presumed_text, mark_name(m->presumed));
    snprintf(out, size, "%s \"%s\" has %s, but %s (give --decimal-comma or "
             "--decimal-point)", role, value, mark_name(m->wanted), earlier);
    return out;
}

/* ---- dates ---------------------------------------------------------- */

/* Days from civil, after Howard Hinnant's public-domain algorithm. */
int32_t date_from_civil(int year, int month, int day)
{
    int y = year - (month <= 2);
    int era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (unsigned)((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1);
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return (int32_t)(era * 146097 + (int)doe - 719468);
}

void date_to_civil(int32_t days, int *year, int *month, int *day)
{
    int z = days + 719468;
    int era = (z >= 0 ? z : z - 146096) / 146097;
    unsigned doe = (unsigned)(z - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int y = (int)yoe + era * 400;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153;
    unsigned d = doy - (153 * mp + 2) / 5 + 1;
    unsigned m = mp < 10 ? mp + 3 : mp - 9;
    *year = y + (m <= 2);
    *month = (int)m;
    *day = (int)d;
}

static int days_in_month(int year, int month)
{
    static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    if (month == 2 && ((year % 4 == 0 && year % 100 != 0) || year % 400 == 0))
        return 29;
    return days[month - 1];
}

/* Read 1..max digits at s[*i]; exactly `max` when exact. -1 if none. */
static int read_digits(const char *s, size_t len, size_t *i, int min, int max)
{
    int value = 0, n = 0;
    while (*i < len && n < max && s[*i] >= '0' && s[*i] <= '9') {
        value = value * 10 + (s[*i] - '0');
        (*i)++;
        n++;
    }
    return n >= min ? value : -1;
}

static enum parse_status finish_date(int y, int m, int d, int hh, int mm, int ss,
                                     struct datetime *out)
{
    if (y < 1 || y > 9999 || m < 1 || m > 12 || d < 1)
        return PARSE_RANGE;
    if (d > days_in_month(y, m))
        return PARSE_RANGE;
    if (hh > 23 || mm > 59 || ss > 60)
        return PARSE_RANGE;
    out->days = date_from_civil(y, m, d);
    out->seconds = hh * 3600 + mm * 60 + ss;
    return PARSE_OK;
}

/* Length of an ISO 8601 zone after a time: Z, or [ ]+HH[[:]MM] / -HH[[:]MM];
 * 0 when there is none. The date is kept as written (the local day of the
 * sale), not moved to UTC. */
static size_t utc_offset(const char *s, size_t len)
{
    if (len >= 1 && s[0] == 'Z')
        return 1;
    size_t i = len > 0 && s[0] == ' ' ? 1 : 0;
    if (i >= len || (s[i] != '+' && s[i] != '-'))
        return 0;
    i++;
    size_t digits = 0;
    while (i < len && digits < 4) {
        if (s[i] == ':' && digits == 2) {
            i++;
            continue;
        }
        if (s[i] < '0' || s[i] > '9')
            break;
        digits++;
        i++;
    }
    return digits == 2 || digits == 4 ? i : 0;
}

/* A two-digit year, as POSIX strptime's %y reads it: 69..99 are 1969..1999,
 * 00..68 are 2000..2068. */
static int full_year(int yy)
{
    return yy >= 69 ? 1900 + yy : 2000 + yy;
}

/* Optional time after a date: [ T]HH:MM[:SS[.fff]][zone]. */
static enum parse_status read_time(const char *s, size_t len, size_t i,
                                   int *hh, int *mm, int *ss)
{
    *hh = *mm = *ss = 0;
    if (i == len)
        return PARSE_OK;
    if (s[i] != ' ' && s[i] != 'T')
        return PARSE_INVALID;
    i++;
    if ((*hh = read_digits(s, len, &i, 1, 2)) < 0 || i >= len || s[i++] != ':')
        return PARSE_INVALID;
    if ((*mm = read_digits(s, len, &i, 2, 2)) < 0)
        return PARSE_INVALID;
    if (i < len && s[i] == ':') {
        i++;
        if ((*ss = read_digits(s, len, &i, 2, 2)) < 0)
            return PARSE_INVALID;
        if (i < len && s[i] == '.') {           /* fractions of a second */
            i++;
            while (i < len && s[i] >= '0' && s[i] <= '9')
                i++;
        }
    }
    return i + utc_offset(s + i, len - i) == len ? PARSE_OK : PARSE_INVALID;
}

static enum parse_status parse_with_format(const char *s, size_t len, const char *format,
                                           struct datetime *out)
{
    int y = -1, m = -1, d = -1, hh = 0, mm = 0, ss = 0;
    size_t i = 0;
    for (const char *f = format; *f; f++) {
        if (*f != '%') {
            if (i >= len || s[i] != *f)
                return PARSE_INVALID;
            i++;
            continue;
        }
        f++;
        int v;
        switch (*f) {
        case 'Y': v = y = read_digits(s, len, &i, 4, 4); break;
        case 'y':
            v = y = read_digits(s, len, &i, 2, 2);
            if (y >= 0)
                y = full_year(y);
            break;
        case 'm': v = m = read_digits(s, len, &i, 1, 2); break;
        case 'd': v = d = read_digits(s, len, &i, 1, 2); break;
        case 'H': v = hh = read_digits(s, len, &i, 1, 2); break;
        case 'M': v = mm = read_digits(s, len, &i, 1, 2); break;
        case 'S': v = ss = read_digits(s, len, &i, 1, 2); break;
        case '%':
            if (i >= len || s[i] != '%')
                return PARSE_INVALID;
            i++;
            v = 0;
            break;
        default:
            return PARSE_INVALID;
        }
        if (v < 0)
            return PARSE_INVALID;
    }
    if (i != len || y < 0 || m < 0 || d < 0)
        return PARSE_INVALID;
    return finish_date(y, m, d, hh, mm, ss, out);
}

/* Excel's serial day numbers: 1 is 1900-01-01, 61 is 1900-03-01 (Excel
 * counts a 1900-02-29 that never was: serial 60 is refused); a fraction is
 * the time of day. */
static enum parse_status parse_excel_serial(const char *s, size_t len, struct datetime *out)
{
    size_t i = 0;
    long serial = 0;
    while (i < len && s[i] >= '0' && s[i] <= '9') {
        if (serial > 10000000)
            return PARSE_RANGE;
        serial = serial * 10 + (s[i++] - '0');
    }
    if (i == 0)
        return PARSE_INVALID;
    double fraction = 0, scale = 0.1;
    if (i < len && (s[i] == '.' || s[i] == ',')) {
        for (i++; i < len && s[i] >= '0' && s[i] <= '9'; i++, scale /= 10)
            fraction += (s[i] - '0') * scale;
    }
    if (i != len)
        return PARSE_INVALID;
    if (serial < 1 || serial == 60 || serial > 2958465)    /* 9999-12-31 */
        return PARSE_RANGE;
    out->days = (int32_t)(serial < 60 ? serial - 25568 : serial - 25569);
    out->seconds = (int32_t)(fraction * 86400 + 0.5);
    if (out->seconds >= 86400)
        out->seconds = 86399;
    return PARSE_OK;
}

int parse_date_format_valid(const char *format)
{
    if (strcmp(format, "excel") == 0)
        return 0;
    int y = 0, m = 0, d = 0;
    for (const char *f = format; *f; f++) {
        if (*f != '%')
            continue;
        f++;
        switch (*f) {
        case 'Y': case 'y': y++; break;
        case 'm': m++; break;
        case 'd': d++; break;
        case 'H': case 'M': case 'S': case '%': break;
        default: return -1;
        }
    }
    return y == 1 && m == 1 && d == 1 ? 0 : -1;
}

enum parse_status parse_date(const char *s, size_t len, const char *format,
                             enum date_order order, struct datetime *out)
{
    trim(&s, &len);
    if (len == 0)
        return PARSE_EMPTY;
    if (format != NULL)
        return strcmp(format, "excel") == 0 ? parse_excel_serial(s, len, out)
                                            : parse_with_format(s, len, format, out);

    size_t i = 0;
    int a, b, c, hh, mm, ss;
    size_t lead = 0;        /* s is not NUL-terminated: count digits within len */
    while (lead < len && lead < 9 && s[lead] >= '0' && s[lead] <= '9')
        lead++;
    if (lead == 8 && (len == 8 || s[8] == ' ' || s[8] == 'T')) {
        /* YYYYMMDD (CDNOW, many ERPs), optionally with a time */
        a = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
        b = (s[4] - '0') * 10 + (s[5] - '0');
        c = (s[6] - '0') * 10 + (s[7] - '0');
        enum parse_status st = read_time(s, len, 8, &hh, &mm, &ss);
        if (st != PARSE_OK)
            return st;
        return finish_date(a, b, c, hh, mm, ss, out);
    }
    if ((a = read_digits(s, len, &i, 1, 4)) < 0 || i >= len)
        return PARSE_INVALID;
    if (i == 4 && s[i] == '-') {                        /* YYYY-MM-DD */
        i++;
        if ((b = read_digits(s, len, &i, 2, 2)) < 0 || i >= len || s[i++] != '-')
            return PARSE_INVALID;
        if ((c = read_digits(s, len, &i, 2, 2)) < 0)
            return PARSE_INVALID;
        enum parse_status st = read_time(s, len, i, &hh, &mm, &ss);
        if (st != PARSE_OK)
            return st;
        return finish_date(a, b, c, hh, mm, ss, out);
    }
    if (i <= 2 && s[i] == '/') {                        /* DD/MM/YYYY */
        i++;
        if ((b = read_digits(s, len, &i, 1, 2)) < 0 || i >= len || s[i++] != '/')
            return PARSE_INVALID;
        size_t start = i;
        if ((c = read_digits(s, len, &i, 2, 4)) < 0 || (i - start != 4 && i - start != 2))
            return PARSE_INVALID;
        if (i - start == 2)
            c = full_year(c);           /* DD/MM/YY */
        enum parse_status st = read_time(s, len, i, &hh, &mm, &ss);
        if (st != PARSE_OK)
            return st;
        if (order == DATE_MDY)
            return finish_date(c, a, b, hh, mm, ss, out);
        if (b > 12 && a <= 12)
            return PARSE_AMBIGUOUS;     /* reads as MM/DD: the order was not stated */
        return finish_date(c, b, a, hh, mm, ss, out);
    }
    return PARSE_INVALID;
}

int parse_date_slash_orders(const char *s, size_t len, int *dmy, int *mdy, int *same)
{
    struct datetime dt;
    trim(&s, &len);
    size_t i = 0;
    int a = read_digits(s, len, &i, 1, 2);
    if (a < 0 || i >= len || s[i] != '/')
        return 0;
    i++;
    int b = read_digits(s, len, &i, 1, 2);
    if (b < 0 || i >= len || s[i] != '/')
        return 0;
    *dmy = parse_date(s, len, NULL, DATE_DMY, &dt) == PARSE_OK;
    *mdy = parse_date(s, len, NULL, DATE_MDY, &dt) == PARSE_OK;
    *same = a == b;
    return 1;
}

char *parse_date_mdy_format(const char *s, size_t len, char *out, size_t size)
{
    trim(&s, &len);
    size_t i = 0, year = 0;
    while (i < len && s[i] != '/') i++;
    i++;
    while (i < len && s[i] != '/') i++;
    for (i++; i < len && s[i] >= '0' && s[i] <= '9'; i++)
        year++;
    const char *time = "";
    if (i < len && (s[i] == ' ' || s[i] == 'T')) {
        size_t colons = 0;
        for (size_t j = i; j < len; j++)
            colons += s[j] == ':';
        time = s[i] == 'T' ? (colons >= 2 ? "T%H:%M:%S" : "T%H:%M")
                           : (colons >= 2 ? " %H:%M:%S" : " %H:%M");
    }
    snprintf(out, size, "%%m/%%d/%s%s", year == 2 ? "%y" : "%Y", time);
    return out;
}

char *format_date(int32_t days, char *out)
{
    int y, m, d;
    date_to_civil(days, &y, &m, &d);
    snprintf(out, 11, "%04d-%02d-%02d", y, m, d);
    return out;
}

char *format_money(int64_t scaled, int decimals, char mark, char *out)
{
    assert(decimals >= 0 && decimals <= 6);     /* the header's range: digits[] holds 6 */
    uint64_t magnitude = scaled < 0 ? (uint64_t)0 - (uint64_t)scaled : (uint64_t)scaled;
    uint64_t units = magnitude / MONEY_SCALE, frac = magnitude % MONEY_SCALE;
    /* the digits from the end, without printf (roll-ups write millions) */
    char digits[24], *p = digits + sizeof digits;
    do {
        *--p = (char)('0' + units % 10);
        units /= 10;
    } while (units);
    int n = 0;
    if (scaled < 0)
        out[n++] = '-';
    memcpy(out + n, p, (size_t)(digits + sizeof digits - p));
    n += (int)(digits + sizeof digits - p);
    if (decimals > 0) {
        out[n++] = mark;
        for (int i = MONEY_DECIMALS - 1; i >= 0; i--) {     /* six digits, zero-padded */
            if (i < decimals)
                out[n + i] = (char)('0' + frac % 10);
            frac /= 10;
        }
        n += decimals;
    }
    out[n] = '\0';
    return out;
}

static void swap_mark(char *out, char mark)
{
    if (mark != '.')
        for (char *p = out; *p; p++)
            if (*p == '.')
                *p = mark;
}

char *format_double_printf(double value, char mark, char *out)
{
    if (!isfinite(value)) {
        out[0] = '\0';
        return out;
    }
    if (value == 0)
        value = 0;      /* no "-0" */
    locale_t previous = enter_c_locale();
    snprintf(out, 32, "%.15g", value);
    if (strtod(out, NULL) != value)
        snprintf(out, 32, "%.17g", value);
    leave_c_locale(previous);
    swap_mark(out, mark);
    return out;
}

/* ---- fast shortest output of doubles ------------------------------------ */

/* Round the n digits of d (most significant first) given the exact rest
 * as rem / 2^q of one unit of the last digit: half up, ties to even, as
 * printf rounds. @return 1 when a carry went out of the first digit (d
 * then holds 1 followed by zeros, n digits). */
static int round_digits(char *d, int n, unsigned __int128 rem, int q)
{
    unsigned __int128 half = (unsigned __int128)1 << (q - 1);
    int up = rem > half || (rem == half && (d[n - 1] - '0') % 2 == 1);
    if (!up)
        return 0;
    for (int i = n - 1; i >= 0; i--) {
        if (d[i] != '9') {
            d[i]++;
            return 0;
        }
        d[i] = '0';
    }
    d[0] = '1';
    return 1;
}

/* Significant digits of |v| (1e-20 <= |v| < 1e15), correctly rounded to
 * 15 and to 17 digits from one pass over the exact binary value: d15 and
 * d17 receive them, exp15 and exp17 the decimal exponent of the first, ok15
 * and ok17 whether they could be had (not when rounding carried into a new
 * power of ten: the caller falls back to printf); dist15 the distance from
 * |v| to the 15 digits, in units of their last digit times 2^-q, q = 53 -
 * |v|'s binary exponent (so that |v|'s ulp is 2^-q). */
struct exact_digits {
    char d15[15], d17[17];
    int exp15, exp17, ok15, ok17;
    unsigned __int128 dist15;
};

static void exact_digits(double v, struct exact_digits *x)
{
    int e2;
    double f = frexp(fabs(v), &e2);                  /* |v| = f · 2^e2, f in [0.5, 1) */
    uint64_t m = (uint64_t)ldexp(f, 53);             /* exact: 53 bits */
    int q = 53 - e2;                                 /* |v| = m / 2^q, 3 <= q <= 120 */
    unsigned __int128 mask = ((unsigned __int128)1 << q) - 1;
    uint64_t whole = q < 64 ? m >> q : 0;      /* the integer part */
    unsigned __int128 rem = (unsigned __int128)m & mask, rem15 = 0;
    char digits[40];
    int n = 0, exp = -1;
    x->ok15 = x->ok17 = 0;
    if (whole > 0) {
        char tmp[24];
        int t = 0;
        while (whole > 0) {
            tmp[t++] = (char)('0' + whole % 10);
            whole /= 10;
        }
        exp = t - 1;
        if (t > 15)
            return;         /* more integer digits than the precision */
        while (t > 0)
            digits[n++] = tmp[--t];
    } else {
        /* leading zeros of the fraction */
        for (;;) {
            rem *= 10;
            int digit = (int)(rem >> q);
            rem &= mask;
            if (digit != 0) {
                digits[n++] = (char)('0' + digit);
                break;
            }
            exp--;
        }
    }
    if (n == 15)
        rem15 = rem;
    if (q <= 100) {
        /* up to 8 digits a step: rem · 10^8 < 2^(q+27) fits in 128 bits
         * (one digit a step was most of the time of formatting a share) */
        static const uint32_t power[] = { 1, 10, 100, 1000, 10000, 100000, 1000000,
                                          10000000, 100000000 };
        while (n < 17) {
            int k = n < 15 ? 15 - n : 17 - n;
            if (k > 8)
                k = 8;
            rem *= power[k];
            uint32_t chunk = (uint32_t)(rem >> q);
            rem &= mask;
            for (int j = k - 1; j >= 0; j--) {
                digits[n + j] = (char)('0' + chunk % 10);
                chunk /= 10;
            }
            n += k;
            if (n == 15)
                rem15 = rem;
        }
    }
    while (n < 17) {
        rem *= 10;
        digits[n++] = (char)('0' + (int)(rem >> q));
        rem &= mask;
        if (n == 15)
            rem15 = rem;
    }
    memcpy(x->d15, digits, 15);
    memcpy(x->d17, digits, 17);
    x->exp15 = x->exp17 = exp;
    char last = x->d15[14];
    if (!round_digits(x->d15, 15, rem15, q)) {
        x->ok15 = 1;
        /* rounded up when the last digit changed (a carry changes it too) */
        x->dist15 = x->d15[14] != last ? ((unsigned __int128)1 << q) - rem15 : rem15;
    }
    x->ok17 = !round_digits(x->d17, 17, rem, q);
}

/* Write precision digits with exponent exp10 in %g's fixed notation,
 * trailing zeros dropped. */
static char *fixed_notation(int negative, const char *d, int precision, int exp10, char *out)
{
    char *p = out;
    if (negative)
        *p++ = '-';
    int last = precision - 1;
    int point = exp10;          /* digits before the point: exp10 + 1 */
    while (last > point && last >= 0 && d[last] == '0')
        last--;
    if (point < 0) {
        *p++ = '0';
        *p++ = '.';
        for (int z = -1; z > point; z--)
            *p++ = '0';
        for (int i = 0; i <= last; i++)
            *p++ = d[i];
    } else {
        for (int i = 0; i <= point; i++)
            *p++ = i < precision ? d[i] : '0';
        if (last > point) {
            *p++ = '.';
            for (int i = point + 1; i <= last; i++)
                *p++ = d[i];
        }
    }
    *p = '\0';
    return out;
}

/* The digits in %g's exponent notation (d.ddde-XX), trailing zeros
 * dropped: what %.15g and %.17g write below 1e-4. */
static char *exponent_notation(int negative, const char *d, int precision, int exp10, char *out)
{
    char *p = out;
    if (negative)
        *p++ = '-';
    int last = precision - 1;
    while (last > 0 && d[last] == '0')
        last--;
    *p++ = d[0];
    if (last > 0) {
        *p++ = '.';
        for (int i = 1; i <= last; i++)
            *p++ = d[i];
    }
    *p++ = 'e';
    *p++ = exp10 < 0 ? '-' : '+';
    int e = exp10 < 0 ? -exp10 : exp10;
    if (e >= 100)
        *p++ = (char)('0' + e / 100);
    *p++ = (char)('0' + e / 10 % 10);
    *p++ = (char)('0' + e % 10);
    *p = '\0';
    return out;
}

/* Does the decimal of exact_digits (15 digits, exponent exp10, at `dist`
 * from |v|) read back as v? Read back means within half an ulp. @return 1
 * sure, 0 sure not, -1 unsure (a tie; a distance between a quarter and a
 * half of an ulp below a power of two, where the gap below is narrower):
 * strtod decides. */
static int reads_back(double v, int exp10, unsigned __int128 dist)
{
    int scale = 14 - exp10;     /* the last digit's unit is 10^-scale */
    if (scale < 0 || scale > 36)
        return -1;
    static const uint64_t power[] = {
        1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000, 1000000000,
        10000000000u, 100000000000u, 1000000000000u, 10000000000000u, 100000000000000u,
        1000000000000000u, 10000000000000000u, 100000000000000000u, 1000000000000000000u
    };
    /* 10^scale as 10^a · 10^b, each at most 10^18 */
    int a = scale < 18 ? scale : 18;
    unsigned __int128 unit = (unsigned __int128)power[a] * power[scale - a];
    /* within half an ulp: dist · 10^-scale · 2^-q < 2^-q / 2 */
    int e2;
    int power_of_two = frexp(fabs(v), &e2) == 0.5;
    if (2 * dist > unit)
        return 0;
    if (2 * dist == unit || (power_of_two && 4 * dist >= unit))
        return -1;
    return 1;
}

/* format_double without printf for the common range: the 15 significant
 * digits %.15g would print, computed exactly from the binary value, and
 * the 17 when those do not read back; anything else goes to printf.
 * Tested against format_double_printf on hundreds of thousands of values. */
static char *format_double_fast(double value, char *out)
{
    static const double pow10[] = {
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22
    };
    double a = fabs(value);
    struct exact_digits x;
    if (!(a >= 1e-20 && a < 1e15))
        return format_double_printf(value, '.', out);
    exact_digits(value, &x);
    if (!x.ok15)
        return format_double_printf(value, '.', out);
    int back15;
    if (a >= 1e-4) {
        /* does the 15-digit decimal read back as the value? M < 10^15 and
         * a power of ten up to 10^22 are exact doubles, so one division or
         * product is correctly rounded: what strtod returns */
        uint64_t mant = 0;
        for (int i = 0; i < 15; i++)
            mant = mant * 10 + (uint64_t)(x.d15[i] - '0');
        int scale = 14 - x.exp15;   /* value = mant / 10^scale */
        double back = scale >= 0 ? (double)mant / pow10[scale] : (double)mant * pow10[-scale];
        back15 = back == a;
    } else if ((back15 = reads_back(value, x.exp15, x.dist15)) < 0) {
        /* not sure it reads back: strtod decides, as printf's way does */
        char text[40];
        exponent_notation(0, x.d15, 15, x.exp15, text);
        locale_t previous = enter_c_locale();
        back15 = strtod(text, NULL) == a;
        leave_c_locale(previous);
    }
    if (back15)
        return (x.exp15 < -4 ? exponent_notation : fixed_notation)(value < 0, x.d15, 15,
                                                                     x.exp15, out);
    if (!x.ok17 || x.exp17 >= 17)
        return format_double_printf(value, '.', out);
    return (x.exp17 < -4 ? exponent_notation : fixed_notation)(value < 0, x.d17, 17, x.exp17,
                                                                 out);
}

char *format_double(double value, char mark, char *out)
{
    if (!isfinite(value)) {
        out[0] = '\0';
        return out;
    }
    if (value == 0)
        value = 0;      /* no "-0" */
    format_double_fast(value, out);
    swap_mark(out, mark);
    return out;
}

/* value rounded to `decimals` (0..6) as printf's %.*f writes it, without
 * printf, when that is sure: |value| × 10^decimals under 1e9 (the product
 * is then exact to 1e-7) and not within 1e-6 of a half (no tie to break).
 * @return 1 written, 0 leave it to printf. */
static int format_fixed_fast(double value, int decimals, char *out)
{
    static const double power[] = { 1, 10, 100, 1e3, 1e4, 1e5, 1e6 };
    if (decimals < 0 || decimals > 6)
        return 0;
    double scaled = fabs(value) * power[decimals];
    if (!(scaled < 1e9))
        return 0;
    double whole = floor(scaled), frac = scaled - whole;
    if (fabs(frac - 0.5) <= 1e-6)
        return 0;
    uint64_t n = (uint64_t)whole + (frac > 0.5);
    char digits[24];
    int len = 0;
    do {
        digits[len++] = (char)('0' + n % 10);
        n /= 10;
    } while (n > 0 || len <= decimals);
    int o = 0, nonzero = 0;
    for (int i = 0; i < len; i++)
        nonzero |= digits[i] != '0';
    if (value < 0 && nonzero)
        out[o++] = '-';
    for (int i = len - 1; i >= 0; i--) {
        out[o++] = digits[i];
        if (i == decimals && decimals > 0)
            out[o++] = '.';
    }
    out[o] = '\0';
    return 1;
}

char *format_fixed(double value, int decimals, char mark, char *out)
{
    if (!isfinite(value)) {
        out[0] = '\0';
        return out;
    }
    if (format_fixed_fast(value, decimals, out)) {
        swap_mark(out, mark);
        return out;
    }
    locale_t previous = enter_c_locale();
    snprintf(out, 32, "%.*f", decimals, value);
    leave_c_locale(previous);
    if (strcmp(out, "-0") == 0 || (out[0] == '-' && strspn(out + 1, "0.") == strlen(out + 1)))
        memmove(out, out + 1, strlen(out));
    swap_mark(out, mark);
    return out;
}

/* ---- the decimal mark of a table, numbers in their plain forms ---------- */

char parse_mark_of_delim(char delim)
{
    return delim == ';' ? ',' : 0;
}

/* Copy the digits at s[*i..len) to out[*o...]. @return how many. */
static size_t copy_digits(const char *s, size_t len, size_t *i, char *out, size_t *o)
{
    size_t n = 0;
    for (; *i < len && s[*i] >= '0' && s[*i] <= '9'; n++)
        out[(*o)++] = s[(*i)++];
    return n;
}

int parse_plain_number(const char *s, size_t len, char mark, char *out, size_t out_size)
{
    size_t i = 0, o = 0;
    if (len + 1 > out_size || len == 0)
        return 0;
    if (s[0] == '-')
        out[o++] = s[i++];
    if (copy_digits(s, len, &i, out, &o) == 0)
        return 0;
    if (i < len && s[i] == mark) {
        out[o++] = '.';
        i++;
        if (copy_digits(s, len, &i, out, &o) == 0)
            return 0;
    }
    if (i != len)
        return 0;
    out[o] = '\0';
    return 1;
}

int parse_double_fast(const char *s, size_t len, char mark, double *out)
{
    static const double pow10[] = {
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15
    };
    size_t i = 0;
    int negative = 0, point = 0, digits = 0, decimals = 0;
    uint64_t mantissa = 0;
    if (len > 0 && s[0] == '-') {
        negative = 1;
        i = 1;
    }
    for (; i < len; i++) {
        char c = s[i];
        if (c >= '0' && c <= '9') {
            if (++digits > 15)
                return 0;
            mantissa = mantissa * 10 + (uint64_t)(c - '0');
            decimals += point;
        } else if (c == '.' && !point && mark != ',') {
            point = 1;
        } else {
            return 0;
        }
    }
    if (digits == 0)
        return 0;
    double value = (double)mantissa / pow10[decimals];
    *out = negative ? -value : value;
    return 1;
}

/* ---- counts ------------------------------------------------------------ */

enum parse_status parse_count_mark(struct parse_mark *pm, long line, const char *text,
                                   int64_t *count)
{
    const char *s = text;
    size_t len = strlen(text);
    /* spaces and tabs around; other white space is parse_decimal's */
    while (len > 0 && (*s == ' ' || *s == '\t')) {
        s++;
        len--;
    }
    while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t'))
        len--;
    if (len == 0)
        return PARSE_EMPTY;

    /* plain digits: the whole int64 range */
    size_t i = 0;
    int negative = 0;
    if (s[0] == '+' || s[0] == '-') {
        negative = s[0] == '-';
        i = 1;
    }
    if (i < len) {
        size_t k = i;
        uint64_t value = 0;
        int overflow = 0;
        for (; k < len && s[k] >= '0' && s[k] <= '9'; k++) {
            if (value > (UINT64_MAX - 9) / 10)
                overflow = 1;
            else
                value = value * 10 + (uint64_t)(s[k] - '0');
        }
        if (k == len) {
            if (overflow || value > (uint64_t)INT64_MAX)
                return PARSE_RANGE;
            *count = negative ? -(int64_t)value : (int64_t)value;
            return PARSE_OK;
        }
    }

    /* thousands separators, or a zero decimal part: through the column's
     * mark, as money is read (a ';' file's decimal comma makes "8.000"
     * eight thousand, never 8) */
    int64_t scaled;
    int decimals;
    enum parse_status st = parse_decimal_mark(pm, line, s, len, &scaled, &decimals);
    if (st == PARSE_AMBIGUOUS) {
        char point = '.';   /* "1,234": a count has no decimals, so a separator; */
        st = parse_decimal(s, len, &point, &scaled, &decimals);     /* nothing learnt */
    }
    if (st == PARSE_PRECISION)
        return PARSE_NOT_WHOLE;
    if (st != PARSE_OK)
        return st;
    if (scaled % MONEY_SCALE != 0)
        return PARSE_NOT_WHOLE;
    *count = scaled / MONEY_SCALE;
    return PARSE_OK;
}

enum parse_status parse_count(const char *text, char *mark, int64_t *count)
{
    struct parse_mark pm;
    parse_mark_init(&pm, *mark);
    pm.fixed = 0;       /* a mark given here may still be contradicted */
    enum parse_status st = parse_count_mark(&pm, 0, text, count);
    if (st == PARSE_OK)
        *mark = pm.mark;
    return st;
}

char *parse_value_problem(const char *column, const char *cell, enum parse_status status,
                          char *out, size_t size)
{
    char quoted[64];
    if (status == PARSE_EMPTY)
        snprintf(out, size, "%s is empty", column);
    else
        snprintf(out, size, "%s \"%s\" %s", column,
                 diag_quote(cell, strlen(cell), quoted, sizeof quoted), parse_status_text(status));
    return out;
}
