/* amount: the export forms of money, and the dates of real exports, each
 * read to the exact value written by hand. */
#include <stdint.h>
#include <string.h>

#include "amount.h"
#include "parse.h"
#include "t.h"

static void amount_is(const char *s, char mark, int64_t want, int want_rounded)
{
    int64_t got = 0;
    int decimals, rounded = -1;
    char m = mark;
    enum parse_status st = amount_parse(s, strlen(s), &m, &got, &decimals, &rounded);
    T_CHECK(st == PARSE_OK && got == want && rounded == want_rounded,
            "amount \"%s\" = %lld millionths (rounded %d)", s, (long long)want, want_rounded);
}

static void amount_bad(const char *s)
{
    int64_t got;
    int decimals, rounded;
    char m = 0;
    T_CHECK(amount_parse(s, strlen(s), &m, &got, &decimals, &rounded) != PARSE_OK,
            "amount \"%s\" is refused", s);
}

static void date_is(const char *s, const char *format, enum date_order order, const char *want,
                    int seconds)
{
    struct datetime dt;
    char buf[16] = "";
    enum parse_status st = parse_date(s, strlen(s), format, order, &dt);
    if (st == PARSE_OK)
        format_date(dt.days, buf);
    T_CHECK(st == PARSE_OK && strcmp(buf, want) == 0 && dt.seconds == seconds,
            "date \"%s\" (%s) = %s +%ds", s, format ? format : "default", want, seconds);
}

int main(void)
{
    amount_is("(12.50)", 0, -12500000, 0);
    amount_is("12.50-", 0, -12500000, 0);
    amount_is("\xE2\x88\x92" "12.50", 0, -12500000, 0);
    amount_is("\xE2\x82\xAC" "12.50", 0, 12500000, 0);
    amount_is("12,50 \xE2\x82\xAC", ',', 12500000, 0);
    amount_is("EUR 12.50", 0, 12500000, 0);
    amount_is("12.50 USD", 0, 12500000, 0);
    amount_is("$1,234.56", 0, 1234560000, 0);
    amount_is("-$5", 0, -5000000, 0);
    amount_is("$-5", 0, -5000000, 0);
    amount_is("(\xE2\x82\xAC" "1 000,00)", ',', -1000000000, 0);
    amount_is("1\xE2\x80\xAF" "234,56\xC2\xA0\xE2\x82\xAC", ',', 1234560000, 0);
    amount_is("-8.5794000000001", 0, -8579400, 1);
    amount_is("0.0000005", 0, 1, 1);
    amount_is("-0.0000005", 0, -1, 1);
    amount_is("0.00000049", 0, 0, 1);
    amount_is("1,2345675", ',', 1234568, 1);
    amount_is("12.5", 0, 12500000, 0);
    amount_bad("(-12)");
    amount_bad("EUR");
    amount_bad("12 EURO");
    amount_bad("--12");
    amount_bad("(12");

    date_is("20240131", NULL, DATE_DMY, "2024-01-31", 0);
    date_is("20240131 10:15", NULL, DATE_DMY, "2024-01-31", 36900);
    date_is("2024-01-31T23:30:00-05:00", NULL, DATE_DMY, "2024-01-31", 84600);
    date_is("2024-01-31T10:00:00.5Z", NULL, DATE_DMY, "2024-01-31", 36000);
    date_is("2024-01-31 10:00:00 +0100", NULL, DATE_DMY, "2024-01-31", 36000);
    date_is("2/24/2003 0:00", NULL, DATE_MDY, "2003-02-24", 0);
    date_is("24/2/03", NULL, DATE_DMY, "2003-02-24", 0);
    date_is("1/1/69", NULL, DATE_DMY, "1969-01-01", 0);
    date_is("31/12/68", NULL, DATE_DMY, "2068-12-31", 0);
    date_is("12/31/99", "%m/%d/%y", DATE_DMY, "1999-12-31", 0);
    date_is("45123", "excel", DATE_DMY, "2023-07-16", 0);
    date_is("45123.25", "excel", DATE_DMY, "2023-07-16", 21600);
    date_is("1", "excel", DATE_DMY, "1900-01-01", 0);
    date_is("61", "excel", DATE_DMY, "1900-03-01", 0);
    struct datetime dt;
    T_CHECK(parse_date("60", 2, "excel", DATE_DMY, &dt) == PARSE_RANGE,
            "Excel serial 60 (1900-02-29, which never was) is refused");
    T_CHECK(parse_date("2024013", 7, NULL, DATE_DMY, &dt) != PARSE_OK, "7 digits are no date");

    int dmy, mdy, same;
    T_CHECK(parse_date_slash_orders("05/06/2024", 10, &dmy, &mdy, &same) && dmy && mdy && !same,
            "05/06/2024 fits both orders");
    T_CHECK(parse_date_slash_orders("2/24/2003 0:00", 14, &dmy, &mdy, &same) && !dmy && mdy,
            "2/24/2003 fits month first only");
    T_CHECK(parse_date_slash_orders("13/01/2024", 10, &dmy, &mdy, &same) && dmy && !mdy,
            "13/01/2024 fits day first only");
    T_CHECK(!parse_date_slash_orders("2024-01-13", 10, &dmy, &mdy, &same), "ISO is no slash date");
    char format[32];
    T_STR(parse_date_mdy_format("2/24/2003 0:00", 14, format, sizeof format), "%m/%d/%Y %H:%M",
          "the month-first format of 2/24/2003 0:00 keeps the time");
    T_STR(parse_date_mdy_format("2/24/03", 7, format, sizeof format), "%m/%d/%y",
          "... of 2/24/03 has a two-digit year");
    T_STR(parse_date_mdy_format("2/24/2003 10:00:05", 18, format, sizeof format),
          "%m/%d/%Y %H:%M:%S", "... with seconds");
    T_DONE();
}
