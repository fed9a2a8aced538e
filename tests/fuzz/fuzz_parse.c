/* Number and date parsers on any bytes; what they accept must print and
 * read back to the same value. */
#include <string.h>

#include "amount.h"
#include "fuzz.h"
#include "parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *s = (const char *)data;
    static const char marks[] = { 0, '.', ',' };
    char mark = marks[size ? data[0] % 3 : 0];
    int64_t scaled;
    int decimals;
    char m = mark;
    if (parse_decimal(s, size, &m, &scaled, &decimals) == PARSE_OK) {
        char buf[32];
        format_money(scaled, decimals, '.', buf);
        int64_t again;
        int d2;
        char point = '.';
        if (parse_decimal(buf, strlen(buf), &point, &again, &d2) != PARSE_OK || again != scaled)
            __builtin_trap();
    }
    double value;
    m = mark;
    if (parse_double(s, size, &m, &value) == PARSE_OK) {
        char buf[32];
        format_double(value, '.', buf);
        double again;
        char point = '.';
        if (parse_double(buf, strlen(buf), &point, &again) != PARSE_OK || again != value)
            __builtin_trap();
    }
    struct datetime dt;
    if (parse_date(s, size, NULL, size && data[size - 1] % 2 ? DATE_MDY : DATE_DMY, &dt) == PARSE_OK) {
        char buf[16];
        struct datetime again;
        format_date(dt.days, buf);
        if (parse_date(buf, 10, NULL, DATE_DMY, &again) != PARSE_OK || again.days != dt.days)
            __builtin_trap();
    }
    /* the export forms of money (amount.h): what is accepted reads back */
    int rounded;
    m = mark;
    if (amount_parse(s, size, &m, &scaled, &decimals, &rounded) == PARSE_OK) {
        char buf[32];
        format_money(scaled, decimals, '.', buf);
        int64_t again;
        int d2;
        char point = '.';
        if (parse_decimal(buf, strlen(buf), &point, &again, &d2) != PARSE_OK || again != scaled)
            __builtin_trap();
    }
    /* amount_parse_mark's fast path reads as its general path, in a column
     * undecided, given a mark, or told one */
    for (int k = 0; k < 5; k++) {
        struct parse_mark fast, general;
        parse_mark_init(&fast, k == 1 ? '.' : k == 2 ? ',' : 0);
        if (k >= 3)
            fast.mark = k == 3 ? '.' : ',';
        general = fast;
        int64_t v1 = 0, v2 = 0;
        int d1 = 0, d2 = 0, r1 = 0, r2 = 0;
        enum parse_status s1 = amount_parse_mark(&fast, 2, s, size, &v1, &d1, &r1);
        enum parse_status s2 = amount_parse_mark_general(&general, 2, s, size, &v2, &d2, &r2);
        if (s1 != s2 || r1 != r2 || fast.mark != general.mark ||
            fast.presumed != general.presumed || fast.wanted != general.wanted ||
            (s1 == PARSE_OK && (v1 != v2 || d1 != d2)))
            __builtin_trap();
    }
    if (parse_date(s, size, "excel", DATE_DMY, &dt) == PARSE_OK) {
        char buf[16];
        struct datetime again;
        format_date(dt.days, buf);
        if (parse_date(buf, 10, NULL, DATE_DMY, &again) != PARSE_OK || again.days != dt.days)
            __builtin_trap();
    }
    int dmy, mdy, same;
    if (parse_date_slash_orders(s, size, &dmy, &mdy, &same)) {
        char format[32];
        parse_date_mdy_format(s, size, format, sizeof format);
        if (parse_date_format_valid(format) != 0)
            __builtin_trap();
    }
    if (size > 2 && parse_date_format_valid("%d.%m.%Y %H:%M") == 0)
        (void)parse_date(s, size, "%d.%m.%Y %H:%M", DATE_DMY, &dt);
    return 0;
}
