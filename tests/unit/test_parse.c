/* Numbers and dates: every accepted form, every refusal. */
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>

#include "parse.h"
#include "t.h"

static void decimal(const char *s, char mark, enum parse_status want_status,
                    int64_t want, int want_dec, char want_mark)
{
    int64_t v = 0;
    int dec = -1;
    char m = mark;
    enum parse_status st = parse_decimal(s, strlen(s), &m, &v, &dec);
    if (want_status != PARSE_OK) {
        T_CHECK(st == want_status, "decimal \"%s\" (mark '%c') is refused: %s", s,
                mark ? mark : '?', parse_status_text(want_status));
        return;
    }
    T_CHECK(st == PARSE_OK && v == want && dec == want_dec && m == want_mark,
            "decimal \"%s\" (mark '%c') = %lld/1e6, %d decimals, mark '%c'", s,
            mark ? mark : '?', (long long)want, want_dec, want_mark ? want_mark : '?');
}

static void date(const char *s, const char *fmt, enum date_order order,
                 enum parse_status want_status, const char *want)
{
    struct datetime dt;
    char buf[16];
    enum parse_status st = parse_date(s, strlen(s), fmt, order, &dt);
    if (want_status != PARSE_OK) {
        T_CHECK(st == want_status, "date \"%s\" refused (%d, got %d)", s, want_status, st);
        return;
    }
    T_CHECK(st == PARSE_OK && strcmp(format_date(dt.days, buf), want) == 0,
            "date \"%s\" is %s", s, want);
}

int main(void)
{
    /* the decimal point, the comma, separators */
    decimal("1234.56", 0, PARSE_OK, 1234560000, 2, 0);
    decimal("1234,56", 0, PARSE_OK, 1234560000, 2, ',');
    decimal("1 234,56", 0, PARSE_OK, 1234560000, 2, ',');
    decimal("1\xC2\xA0" "234,56", 0, PARSE_OK, 1234560000, 2, ',');
    decimal("1\xE2\x80\xAF" "234,5", 0, PARSE_OK, 1234500000, 1, ',');
    decimal("1.234,56", 0, PARSE_OK, 1234560000, 2, ',');
    decimal("1,234.56", 0, PARSE_OK, 1234560000, 2, '.');
    decimal("-12", 0, PARSE_OK, -12000000, 0, 0);
    decimal("+7.5", 0, PARSE_OK, 7500000, 1, 0);
    decimal("  42  ", 0, PARSE_OK, 42000000, 0, 0);
    decimal(".5", 0, PARSE_OK, 500000, 1, 0);
    decimal("0.001", 0, PARSE_OK, 1000, 3, 0);
    decimal("1,234", 0, PARSE_AMBIGUOUS, 0, 0, 0);
    decimal("1,234", ',', PARSE_OK, 1234000, 3, ',');
    decimal("1,234", '.', PARSE_OK, 1234000000, 0, '.');
    decimal("1,234,567", 0, PARSE_OK, 1234567000000, 0, 0);
    decimal("1.5000000", 0, PARSE_OK, 1500000, 6, 0);
    decimal("1.0000001", 0, PARSE_PRECISION, 0, 0, 0);
    decimal("", 0, PARSE_EMPTY, 0, 0, 0);
    decimal("   ", 0, PARSE_EMPTY, 0, 0, 0);
    decimal("--", 0, PARSE_INVALID, 0, 0, 0);
    decimal("-", 0, PARSE_INVALID, 0, 0, 0);
    decimal("NaN", 0, PARSE_INVALID, 0, 0, 0);
    decimal("inf", 0, PARSE_INVALID, 0, 0, 0);
    decimal("1e400", 0, PARSE_INVALID, 0, 0, 0);
    decimal("12,3,4", 0, PARSE_INVALID, 0, 0, 0);
    decimal("1 23,4", 0, PARSE_INVALID, 0, 0, 0);
    decimal("12a", 0, PARSE_INVALID, 0, 0, 0);
    decimal("123456789012345678901234567890", 0, PARSE_RANGE, 0, 0, 0);
    decimal("9223372036855", 0, PARSE_RANGE, 0, 0, 0);
    decimal("9223372036853.775807", 0, PARSE_OK, INT64_C(9223372036853775807), 6, 0);

    /* doubles: exponents, refusals */
    double d;
    char m = 0;
    T_CHECK(parse_double("1.5e3", 5, &m, &d) == PARSE_OK && d == 1500.0, "double 1.5e3");
    m = 0;
    T_CHECK(parse_double("2,5", 3, &m, &d) == PARSE_OK && d == 2.5 && m == ',', "double 2,5");
    m = 0;
    T_CHECK(parse_double("1e400", 5, &m, &d) == PARSE_RANGE, "double 1e400 overflows");
    m = 0;
    T_CHECK(parse_double("nan", 3, &m, &d) == PARSE_INVALID, "double nan refused");
    m = 0;
    T_CHECK(parse_double("-inf", 4, &m, &d) == PARSE_INVALID, "double -inf refused");

    /* the locale never changes a result */
    if (setlocale(LC_ALL, "fr_FR.UTF-8") || setlocale(LC_ALL, "de_DE.UTF-8")) {
        m = 0;
        T_CHECK(parse_double("3.25", 4, &m, &d) == PARSE_OK && d == 3.25,
                "double 3.25 under a decimal-comma locale");
        char buf[32];
        T_STR(format_double(0.1, '.', buf), "0.1", "format 0.1 under a decimal-comma locale");
        setlocale(LC_ALL, "C");
    } else {
        T_CHECK(1, "no French locale installed: locale case skipped");
    }

    /* dates */
    date("2024-02-29", NULL, DATE_DMY, PARSE_OK, "2024-02-29");
    date("2010-12-01 08:26:00", NULL, DATE_DMY, PARSE_OK, "2010-12-01");
    date("2010-12-01T08:26:00", NULL, DATE_DMY, PARSE_OK, "2010-12-01");
    date("2010-12-01 08:26", NULL, DATE_DMY, PARSE_OK, "2010-12-01");
    date("01/12/2010", NULL, DATE_DMY, PARSE_OK, "2010-12-01");
    date("1/2/2010 8:26", NULL, DATE_DMY, PARSE_OK, "2010-02-01");
    date("12/01/2010", NULL, DATE_MDY, PARSE_OK, "2010-12-01");
    date("12/13/2024", NULL, DATE_DMY, PARSE_AMBIGUOUS, NULL);
    date("31/02/2024", NULL, DATE_DMY, PARSE_RANGE, NULL);
    date("2023-02-29", NULL, DATE_DMY, PARSE_RANGE, NULL);
    date("2024-13-01", NULL, DATE_DMY, PARSE_RANGE, NULL);
    date("0000-01-01", NULL, DATE_DMY, PARSE_RANGE, NULL);
    date("2024-1-01", NULL, DATE_DMY, PARSE_INVALID, NULL);
    date("yesterday", NULL, DATE_DMY, PARSE_INVALID, NULL);
    date("", NULL, DATE_DMY, PARSE_EMPTY, NULL);
    date("2024.03.05", "%Y.%m.%d", DATE_DMY, PARSE_OK, "2024-03-05");
    date("03/05/2024 10:00", "%m/%d/%Y %H:%M", DATE_DMY, PARSE_OK, "2024-03-05");
    T_CHECK(parse_date_format_valid("%Y-%m") != 0, "a date format without %%d is refused");

    /* civil days round trip, over the whole range, against a day-by-day walk */
    int ok = 1, y = 1, mo = 1, da = 1;
    static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    for (int32_t n = date_from_civil(1, 1, 1); y < 9999; n++) {
        int yy, mm, dd;
        date_to_civil(n, &yy, &mm, &dd);
        if (yy != y || mm != mo || dd != da || date_from_civil(y, mo, da) != n) { ok = 0; break; }
        int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
        if (++da > mdays[mo - 1] + (mo == 2 && leap)) { da = 1; if (++mo > 12) { mo = 1; y++; } }
    }
    T_CHECK(ok, "day numbers agree with a day-by-day calendar walk from 0001 to 9999");
    T_CHECK(date_from_civil(1970, 1, 1) == 0, "1970-01-01 is day 0");

    /* formatting */
    char buf[48];
    T_STR(format_money(-1234560000, 2, '.', buf), "-1234.56", "money -1234.56");
    T_STR(format_money(0, 3, ',', buf), "0,000", "money 0 with decimal comma");
    T_STR(format_money(-500000, 1, '.', buf), "-0.5", "money -0.5");
    {
        /* the digits without printf: printf's own bytes (the units as %llu,
         * the six decimals as %06llu cut to `decimals`), on both ends of the
         * range, around powers of ten and at random, for 0 to 6 decimals */
        int same = 1;
        uint64_t seed = 88172645463325252ull;
        for (int i = 0; i < 200000 && same; i++) {
            int64_t v;
            if (i < 64) {
                static const int64_t edge[] = { 0, 1, -1, 999999, 1000000, -1000000, 1000001,
                                                INT64_MAX, INT64_MIN, INT64_MIN + 1,
                                                INT64_MAX - 999999 };
                v = i < 11 ? edge[i] : (i % 2 ? -1 : 1) * (int64_t)(1ull << (i - 11 < 62 ? i - 11 : 62));
            } else {
                seed ^= seed << 13, seed ^= seed >> 7, seed ^= seed << 17;
                v = (int64_t)(seed >> (seed % 63));     /* every magnitude */
                if (seed & 1ull << 62)
                    v = -v;
            }
            int decimals = i % 7;
            char want[48], frac[16], got[48];
            uint64_t mag = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
            int n = snprintf(want, sizeof want, "%s%llu", v < 0 ? "-" : "",
                             (unsigned long long)(mag / MONEY_SCALE));
            snprintf(frac, sizeof frac, "%06llu", (unsigned long long)(mag % MONEY_SCALE));
            if (decimals > 0)
                snprintf(want + n, sizeof want - (size_t)n, "%c%.*s", i % 2 ? ',' : '.',
                         decimals, frac);
            format_money(v, decimals, i % 2 ? ',' : '.', got);
            same = strcmp(got, want) == 0;
            if (!same)
                fprintf(stderr, "format_money(%lld, %d): %s, printf %s\n", (long long)v,
                        decimals, got, want);
        }
        T_CHECK(same, "format_money gives printf's bytes on 200,000 values, 0 to 6 decimals");
    }
    T_STR(format_double(0.1 + 0.2, '.', buf), "0.30000000000000004", "double round trip");
    T_STR(format_double(0.25, ',', buf), "0,25", "double with decimal comma");
    T_STR(format_fixed(-0.0001, 2, '.', buf), "0.00", "no negative zero");

    /* below 1e-4 (a share of one client in millions): exponent notation,
     * the bytes of printf's way on random mantissas over every exponent
     * down to 1e-21, on k/n shares, on neighbours of powers of ten and of
     * two, and on the shortest decimals (ties of the read-back test) */
    char want[48];
    int same = 1, tried = 0;
    uint64_t st = 88172645463325252ull;
    for (int i = 0; i < 400000 && same; i++) {
        st ^= st << 13;
        st ^= st >> 7;
        st ^= st << 17;
        double v;
        switch (i % 4) {
        case 0: v = (double)(st >> 11) / 9007199254740992.0 * pow(10, -(double)(i % 18) - 4); break;
        case 1: v = (double)(1 + st % 5000) / (double)(1000000 + (st >> 32) % 9000000); break;
        case 2: v = nextafter(pow(10, -(double)(i % 19) - 2), (st & 1) ? 1 : 0); break;
        default: v = ldexp(1, -(int)(14 + i % 55)) * ((st & 2) ? 1 : -1); break;
        }
        if (i % 7 == 0)
            v = -v;
        if (i % 11 == 0) {      /* a shortest decimal of 15 digits or fewer */
            snprintf(want, sizeof want, "%.*ge-%d", 1 + (int)(st % 15),
                     (double)(st >> 11) / 9007199254740992.0 * 9 + 1, 5 + (int)(st % 15));
            v = strtod(want, NULL);
        }
        tried++;
        if (strcmp(format_double(v, '.', buf), format_double_printf(v, '.', want)) != 0) {
            same = 0;
            printf("# %.17g: %s, printf %s\n", v, buf, want);
        }
    }
    T_CHECK(same && tried == 400000,
            "format_double below 1e-4 writes printf's bytes on 400000 values");
    T_STR(format_double(2.4607464031889971e-06, '.', buf), "2.4607464031889971e-06",
          "a share of 5 M clients: 17 digits in exponent notation");
    T_STR(format_double(1e-7, ',', buf), "1e-07", "1e-7");
    T_STR(format_double(-1.5e-10, ',', buf), "-1,5e-10", "-1.5e-10 with a decimal comma");
    T_DONE();
}
