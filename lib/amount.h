/* amount — money as real exports write it, read exactly.
 *
 * parse_decimal (parse.h) reads the plain forms: a sign, digits with
 * thousands separators, a decimal part. Exports add currency symbols and
 * codes before or after the number ("€12.50", "12,50 €", "EUR 12.50",
 * "$1,234.56"), accounting negatives "(12.50)", a trailing minus "12.50-",
 * the minus sign U+2212, and float artefacts with more than 6 decimals
 * ("-8.5794000000001"). This module turns the first into the plain form and
 * rounds the last to the 6 decimals kept, saying that it did. */
#ifndef CL_AMOUNT_H
#define CL_AMOUNT_H

#include <stddef.h>
#include <stdint.h>

#include "parse.h"

/* The plain form of an exported amount into out (NUL-terminated): the
 * currency symbol or code dropped, an accounting or trailing negative
 * turned into a leading '-'.
 * @return 1 when s had such a form, 0 when it has none (read s as it is),
 *         -1 when it has one but is not a number that way ("(-12)", "€"). */
int amount_plain(const char *s, size_t len, char *out, size_t out_size);

/* Read an amount: parse_decimal on s, else on its plain form; a value
 * with more than 6 decimals is rounded half away from zero to 6, and
 * *rounded set to 1 (0 otherwise). Arguments and result as parse_decimal. */
enum parse_status amount_parse(const char *s, size_t len, char *mark, int64_t *scaled,
                               int *decimals, int *rounded);

/* amount_parse under a column's decimal mark (parse.h: a reading that a
 * later line contradicts is PARSE_MARK_CONFLICT). */
enum parse_status amount_parse_mark(struct parse_mark *m, long line, const char *s, size_t len,
                                    int64_t *scaled, int *decimals, int *rounded);

/* The plain forms nearly every export writes, read in one pass: an
 * optional '-', 1 to 13 digits, and a '.' with 1 to 6 digits only when the
 * column's mark is the point (given or told), the value within int64. For
 * these amount_parse_mark_general reads the value at once and learns
 * nothing (an integer tells no mark, "12.50" under a point agrees with it)
 * and *rounded is 0. Anything else (a '+', spaces, separators, a comma, an
 * exponent, a currency, "5." or ".5", 7 decimals and more, 14 digits and
 * more, a point while the mark is undecided) is left to that general path.
 * Inline: the line readers call it before amount_parse_mark, without a call
 * for the usual value. @return 1 with *scaled and *decimals, 0 when the
 * general path must read s. */
static inline int amount_read_plain(const struct parse_mark *m, const char *s, size_t len,
                                    int64_t *scaled, int *decimals)
{
    static const uint64_t pow10[] = { 1000000, 100000, 10000, 1000, 100, 10, 1 };
    size_t i = len > 0 && s[0] == '-';
    size_t start = i;
    uint64_t units = 0, frac = 0;
    unsigned digit;
    while (i < len && (digit = (unsigned)((unsigned char)s[i] - '0')) < 10) {
        units = units * 10 + digit;     /* wraps past 19 digits: refused below */
        i++;
    }
    if (i == start || i - start > 13)
        return 0;
    size_t dec = 0;
    if (i < len) {
        if (s[i] != '.' || m->mark != '.')
            return 0;
        size_t point = ++i;
        while (i < len && (digit = (unsigned)((unsigned char)s[i] - '0')) < 10) {
            frac = frac * 10 + digit;
            i++;
        }
        dec = i - point;
        if (i != len || dec == 0 || dec > MONEY_DECIMALS)
            return 0;
    }
    uint64_t value = units * MONEY_SCALE + frac * pow10[dec];   /* < 10^19 < 2^64 */
    if (value > (uint64_t)INT64_MAX)
        return 0;
    *scaled = start ? -(int64_t)value : (int64_t)value;
    *decimals = (int)dec;
    return 1;
}

/* amount_parse_mark without its fast path for the plain forms ("-12",
 * "12.50" in a column whose mark is the point): the reference that fast
 * path is tested against, giving the same status, value, decimals,
 * *rounded and column mark on every input. */
enum parse_status amount_parse_mark_general(struct parse_mark *m, long line, const char *s,
                                            size_t len, int64_t *scaled, int *decimals,
                                            int *rounded);

#endif
