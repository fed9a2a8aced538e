/* amount — the forms money takes in real exports (currency signs and
 * codes, accounting and trailing negatives, U+2212, too many decimals),
 * brought back to what parse_decimal reads. See amount.h. */
#include "amount.h"

#include <string.h>

#include "l10n.h"   /* MINUS_SIGN, as the charts write it */

/* Length of a space at s: ASCII space or tab, U+00A0, U+202F; 0 if none. */
static size_t space_at(const unsigned char *s, size_t left)
{
    if (left >= 1 && s[0] == '\t')
        return 1;
    return parse_space_len((const char *)s, left);
}

/* Length of a space ending at s + len (looking back); 0 if none. */
static size_t space_before(const unsigned char *s, size_t len)
{
    if (len >= 1 && (s[len - 1] == ' ' || s[len - 1] == '\t'))
        return 1;
    if (len >= 2 && s[len - 2] == 0xC2 && s[len - 1] == 0xA0)
        return 2;
    if (len >= 3 && s[len - 3] == 0xE2 && s[len - 2] == 0x80 && s[len - 1] == 0xAF)
        return 3;
    return 0;
}

static void trim(const unsigned char **s, size_t *len)
{
    size_t k;
    while (*len > 0 && (k = space_at(*s, *len)) > 0) {
        *s += k;
        *len -= k;
    }
    while (*len > 0 && (k = space_before(*s, *len)) > 0)
        *len -= k;
}

/* Currency symbols, in UTF-8. */
static const char *const symbols[] = {
    "\xE2\x82\xAC",     /* € */
    "$", "\xC2\xA3",    /* £ */
    "\xC2\xA5",         /* ¥ */
    "\xE2\x82\xA3",     /* ₣ */
    "\xE2\x82\xB9",     /* ₹ */
    NULL
};

static int upper(unsigned char c)
{
    return c >= 'A' && c <= 'Z';
}

/* Length of a currency symbol or ISO 4217-like code (three capitals) at
 * the start of s; 0 if none. */
static size_t currency_at(const unsigned char *s, size_t len)
{
    for (const char *const *sym = symbols; *sym; sym++) {
        size_t n = strlen(*sym);
        if (len >= n && memcmp(s, *sym, n) == 0)
            return n;
    }
    if (len >= 3 && upper(s[0]) && upper(s[1]) && upper(s[2]) && (len == 3 || !upper(s[3])))
        return 3;
    return 0;
}

/* The same, ending at s + len. */
static size_t currency_before(const unsigned char *s, size_t len)
{
    for (const char *const *sym = symbols; *sym; sym++) {
        size_t n = strlen(*sym);
        if (len >= n && memcmp(s + len - n, *sym, n) == 0)
            return n;
    }
    if (len >= 3 && upper(s[len - 1]) && upper(s[len - 2]) && upper(s[len - 3]) &&
        (len == 3 || !upper(s[len - 4])))
        return 3;
    return 0;
}

/* A leading sign: '-', '+' or U+2212. @return its length (0: none). */
static size_t sign_at(const unsigned char *s, size_t len, int *negative)
{
    if (len >= 1 && (s[0] == '-' || s[0] == '+')) {
        *negative = s[0] == '-';
        return 1;
    }
    if (len >= 3 && memcmp(s, MINUS_SIGN, 3) == 0) {
        *negative = 1;
        return 3;
    }
    return 0;
}

int amount_plain(const char *text, size_t length, char *out, size_t out_size)
{
    const unsigned char *s = (const unsigned char *)text;
    size_t len = length, k;
    int negatives = 0, changed = 0, neg;

    trim(&s, &len);
    if (len >= 2 && s[0] == '(' && s[len - 1] == ')') {         /* (12.50) */
        s++;
        len -= 2;
        trim(&s, &len);
        negatives++;
        changed = 1;
    }
    if (len >= 3 && memcmp(s, MINUS_SIGN, 3) == 0)
        changed = 1;
    neg = 0;
    if ((k = sign_at(s, len, &neg)) > 0) {                     /* -€12.50 */
        s += k;
        len -= k;
        negatives += neg;
    }
    if ((k = currency_at(s, len)) > 0) {                        /* €12.50, EUR 12.50 */
        s += k;
        len -= k;
        trim(&s, &len);
        changed = 1;
        neg = 0;
        if ((k = sign_at(s, len, &neg)) > 0) {                 /* €-12.50 */
            s += k;
            len -= k;
            negatives += neg;
        }
    }
    if ((k = currency_before(s, len)) > 0) {                    /* 12,50 €, 12.50 EUR */
        len -= k;
        trim(&s, &len);
        changed = 1;
    }
    if (len >= 1 && s[len - 1] == '-') {                        /* 12.50- */
        len--;
        trim(&s, &len);
        negatives++;
        changed = 1;
        if ((k = currency_before(s, len)) > 0) {                /* 12.50 €- */
            len -= k;
            trim(&s, &len);
        }
    }
    if (!changed)
        return 0;
    if (negatives > 1 || len == 0 || !(s[0] >= '0' && s[0] <= '9') || len + 2 > out_size)
        return -1;
    size_t o = 0;
    if (negatives)
        out[o++] = '-';
    memcpy(out + o, s, len);
    out[o + len] = '\0';
    return 1;
}

/* Round a value with more than 6 decimals half away from zero to 6: the
 * text up to the 6th decimal is read, then the 7th digit decides. */
static enum parse_status round_to_scale(const char *s, size_t len, char *mark, int64_t *scaled,
                                        int *decimals, int *rounded)
{
    while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t'))
        len--;
    size_t point = len;
    while (point > 0 && s[point - 1] >= '0' && s[point - 1] <= '9')
        point--;
    if (point == 0 || (s[point - 1] != '.' && s[point - 1] != ',') ||
        len - point <= MONEY_DECIMALS)
        return PARSE_PRECISION;
    size_t cut = point + MONEY_DECIMALS;
    char local = s[point - 1];     /* with more than 3 digits after it, it is the decimal mark */
    if (*mark && *mark != local)
        return PARSE_INVALID;
    int64_t value;
    int dec;
    enum parse_status st = parse_decimal(s, cut, &local, &value, &dec);
    if (st != PARSE_OK)
        return st;
    int negative = memchr(s, '-', point) != NULL;
    if (s[cut] >= '5') {
        if (negative ? __builtin_sub_overflow(value, 1, &value)
                     : __builtin_add_overflow(value, 1, &value))
            return PARSE_RANGE;
    }
    *scaled = value;
    *decimals = MONEY_DECIMALS;
    *mark = local;
    *rounded = 1;
    return PARSE_OK;
}

enum parse_status amount_parse(const char *s, size_t len, char *mark, int64_t *scaled,
                               int *decimals, int *rounded)
{
    *rounded = 0;
    enum parse_status st = parse_decimal(s, len, mark, scaled, decimals);
    if (st != PARSE_INVALID && st != PARSE_PRECISION)
        return st;
    char plain[96];
    if (st == PARSE_INVALID) {
        int form = amount_plain(s, len, plain, sizeof plain);
        if (form <= 0)
            return PARSE_INVALID;
        s = plain;
        len = strlen(plain);
        st = parse_decimal(s, len, mark, scaled, decimals);
        if (st != PARSE_PRECISION)
            return st;
    }
    return round_to_scale(s, len, mark, scaled, decimals, rounded);
}

static enum parse_status amount_reader(const char *s, size_t len, char *mark, int64_t *scaled,
                                       int *decimals, void *context)
{
    int rounded;
    enum parse_status st = amount_parse(s, len, mark, scaled, decimals, &rounded);
    if (context)
        *(int *)context = rounded;
    return st;
}

enum parse_status amount_parse_mark_general(struct parse_mark *m, long line, const char *s,
                                            size_t len, int64_t *scaled, int *decimals,
                                            int *rounded)
{
    *rounded = 0;
    return parse_decimal_mark_with(m, line, s, len, scaled, decimals, amount_reader, rounded);
}

enum parse_status amount_parse_mark(struct parse_mark *m, long line, const char *s, size_t len,
                                    int64_t *scaled, int *decimals, int *rounded)
{
    if (amount_read_plain(m, s, len, scaled, decimals)) {
        *rounded = 0;
        return PARSE_OK;
    }
    return amount_parse_mark_general(m, line, s, len, scaled, decimals, rounded);
}
