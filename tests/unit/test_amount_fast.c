/* amount_parse_mark's fast path for the plain forms against the general
 * path (amount_parse_mark_general): on every string here, under every state
 * of a column's decimal mark, the same status, value, decimals, rounding
 * flag and mark state afterwards. The strings: edge cases written out, every
 * string of up to 5 characters over a small alphabet, and seeded random
 * ones (plain numbers, plain numbers with one byte changed, and any bytes). */
#include <inttypes.h>
#include <stdint.h>
#include <string.h>

#include "amount.h"
#include "diag.h"
#include "parse.h"
#include "t.h"

#define STATES 8

/* The states a column's mark can be in when a value is read. */
static void state(int k, struct parse_mark *m)
{
    switch (k) {
    case 0: parse_mark_init(m, 0); break;               /* undecided */
    case 1: parse_mark_init(m, '.'); break;             /* --decimal-point */
    case 2: parse_mark_init(m, ','); break;             /* --decimal-comma, a ';' file */
    case 3:                                             /* told a point by line 7 */
        parse_mark_init(m, 0);
        m->mark = '.';
        m->told_line = 7;
        strcpy(m->told_text, "12.50");
        break;
    case 4:                                             /* told a comma */
        parse_mark_init(m, 0);
        m->mark = ',';
        m->told_line = 7;
        strcpy(m->told_text, "12,50");
        break;
    case 5:                                             /* undecided, "1.234" read as 1.234 */
        parse_mark_init(m, 0);
        m->presumed = '.';
        m->presumed_line = 3;
        strcpy(m->presumed_text, "1.234");
        break;
    case 6:                                             /* undecided, "1,234" read as 1.234 */
        parse_mark_init(m, 0);
        m->presumed = ',';
        m->presumed_line = 3;
        strcpy(m->presumed_text, "1,234");
        break;
    default:                                            /* told a point, then a conflict */
        parse_mark_init(m, 0);
        m->mark = '.';
        m->told_line = 2;
        m->wanted = ',';
        break;
    }
}

static int same_mark(const struct parse_mark *a, const struct parse_mark *b)
{
    return a->mark == b->mark && a->fixed == b->fixed && a->presumed == b->presumed &&
           a->wanted == b->wanted && a->told_line == b->told_line &&
           a->presumed_line == b->presumed_line &&
           memcmp(a->told_text, b->told_text, sizeof a->told_text) == 0 &&
           memcmp(a->presumed_text, b->presumed_text, sizeof a->presumed_text) == 0;
}

static long compared, read_ok, mismatches;
static char first_bad[128];

/* Both paths on s under every state; a difference is counted and the first
 * one kept for the message. */
static void compare(const char *s, size_t len)
{
    for (int k = 0; k < STATES; k++) {
        struct parse_mark fast, general;
        state(k, &fast);
        state(k, &general);
        int64_t fast_value = 0, general_value = 0;
        int fast_decimals = 0, general_decimals = 0, fast_rounded = -1, general_rounded = -1;
        enum parse_status fast_status = amount_parse_mark(&fast, 9, s, len, &fast_value,
                                                          &fast_decimals, &fast_rounded);
        enum parse_status general_status =
            amount_parse_mark_general(&general, 9, s, len, &general_value, &general_decimals,
                                      &general_rounded);
        int same = fast_status == general_status && fast_rounded == general_rounded &&
                   same_mark(&fast, &general);
        if (same && fast_status == PARSE_OK)
            same = fast_value == general_value && fast_decimals == general_decimals;
        compared++;
        read_ok += fast_status == PARSE_OK;
        if (!same && mismatches++ == 0) {
            char q[64];
            snprintf(first_bad, sizeof first_bad, "\"%s\" (state %d): %d %" PRId64 " %d "
                     "against %d %" PRId64 " %d", diag_quote(s, len, q, sizeof q), k,
                     (int)fast_status, fast_value, fast_decimals, (int)general_status,
                     general_value, general_decimals);
        }
    }
}

static void compare_text(const char *s)
{
    compare(s, strlen(s));
}

static uint64_t seed = 0x9E3779B97F4A7C15u;

static uint64_t next_random(void)     /* the same strings on every run */
{
    return t_random(&seed);
}

/* A plain number: '-' or not, int_digits digits (leading zeros possible),
 * and a '.' with frac_digits digits when frac_digits >= 0. */
static size_t plain(char *out, int negative, int int_digits, int frac_digits)
{
    size_t o = 0;
    if (negative)
        out[o++] = '-';
    for (int i = 0; i < int_digits; i++)
        out[o++] = (char)('0' + next_random() % 10);
    if (frac_digits >= 0) {
        out[o++] = '.';
        for (int i = 0; i < frac_digits; i++)
            out[o++] = (char)('0' + next_random() % 10);
    }
    out[o] = '\0';
    return o;
}

int main(void)
{
    static const char *const edges[] = {
        "", "-", "0", "-0", "00", "-00", "0.0", "-0.0", "5.", "-5.", ".5", "-.5", "+5",
        "+5.5", "--5", "5-", "-5-", "5..", "1.2.3", "1.", ".", "-.", "1.000", "1,000",
        "1,5", "1.234,5", "1,234.5", "1 234", "1 234.5", " 5", "5 ", "\t5", "5\t", " -5",
        "1e5", "1.5e3", "1E5", "$5", "5$", "-$5", "$-5", "(5)", "(5.5)", "5.5-",
        "\xE2\x88\x92" "5", "\xE2\x82\xAC" "5", "5 EUR", "EUR 5", "1\xC2\xA0" "234",
        "1\xE2\x80\xAF" "234", "nan", "inf", "0x10", "5\n", "5\r",
        "1.1", "1.12", "1.123", "1.1234", "1.12345", "1.123456", "1.1234567", "1.1234560",
        "1.12345649", "1.12345650", "-8.5794000000001", "0.0000005", "-0.0000005",
        "999999999999", "9999999999999", "99999999999999", "1000000000000",
        "999999999999.999999", "9999999999999.999999", "-9999999999999.999999",
        "9223372036854", "9223372036855", "-9223372036854", "9223372036854.775807",
        "9223372036854.775808", "-9223372036854.775807", "-9223372036854.775808",
        "9223372036854.7758", "9223372036854.77581", "0000000000000", "00000000000000",
        "00000000000001", "00000000000001.5", "0000000000000000000000000000001",
        "18446744073709551616", "18446744073709551617.5", "-18446744073709551616",
        "12.50", "-12.50", "2.55", "1.25", "12", "-1", "80995", "-80995", "0.001",
    };
    for (size_t i = 0; i < sizeof edges / sizeof edges[0]; i++)
        compare_text(edges[i]);
    compare("5\0", 2);
    compare("1.5\0", 4);
    T_CHECK(mismatches == 0, "edge cases: the fast path reads as the general path");

    long before = mismatches;
    /* every string of up to 5 characters over this alphabet */
    static const char alphabet[] = "019-.,+ e";
    size_t letters = sizeof alphabet - 1;
    char s[64];
    for (int len = 1; len <= 5; len++) {
        size_t total = 1;
        for (int i = 0; i < len; i++)
            total *= letters;
        for (size_t n = 0; n < total; n++) {
            size_t v = n;
            for (int i = 0; i < len; i++, v /= letters)
                s[i] = alphabet[v % letters];
            compare(s, (size_t)len);
        }
    }
    T_CHECK(mismatches == before, "every string of 1 to 5 of \"%s\": the same", alphabet);

    before = mismatches;
    /* seeded random strings */
    static const char bytes[] = "0123456789-.,+ eE$()\t\xC2\xA0\xE2\x82\xAC";
    for (int n = 0; n < 40000; n++) {
        size_t len = plain(s, next_random() % 3 == 0, (int)(next_random() % 16),
                           (int)(next_random() % 10) - 2);
        if (n % 2 == 1 && len > 0)          /* one byte changed or inserted */
            s[next_random() % len] = bytes[next_random() % (sizeof bytes - 1)];
        compare(s, strlen(s));
    }
    for (int n = 0; n < 20000; n++) {
        size_t len = next_random() % 24;
        for (size_t i = 0; i < len; i++)
            s[i] = n % 2 ? bytes[next_random() % (sizeof bytes - 1)]
                         : (char)(next_random() % 256);
        compare(s, len);
    }
    T_CHECK(mismatches == before, "seeded random strings: the same");
    T_CHECK(mismatches == 0, "%ld readings in all: the same status, value, decimals, "
            "rounding and mark (%ld read)", compared, read_ok);
    if (mismatches)
        printf("# %ld differ, the first: %s\n", mismatches, first_bad);
    /* the comparison is not empty: plain values and failures both met */
    T_CHECK(read_ok > compared / 10 && read_ok < compared - compared / 10,
            "both readings and refusals compared (%ld of %ld read)", read_ok, compared);
    T_DONE();
}
