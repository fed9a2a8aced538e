/* parse_mark: the decimal mark of a column, decided by its values, and no
 * reading that a later line contradicts left standing (issue 13). The
 * expected values are written by hand. */
#include <stdint.h>

#include "parse.h"
#include "t.h"

static enum parse_status dec(struct parse_mark *m, long line, const char *s, int64_t *v)
{
    int d;
    return parse_decimal_mark(m, line, s, strlen(s), v, &d);
}

int main(void)
{
    struct parse_mark m;
    int64_t v;
    double x;
    char msg[256];

    /* the review's case: 1.234, then 1.234,56 */
    parse_mark_init(&m, 0);
    T_CHECK(dec(&m, 2, "1.234", &v) == PARSE_OK && v == 1234000,
            "mark: 1.234 read undecided is 1.234");
    T_CHECK(dec(&m, 3, "1.234,56", &v) == PARSE_MARK_CONFLICT,
            "mark: 1.234,56 after 1.234 read with a point is a conflict");
    T_STR(parse_mark_conflict(&m, "amount", "1.234,56", 8, msg, sizeof msg),
          "amount \"1.234,56\" has a decimal comma, but line 2 read \"1.234\" with a decimal "
          "point (give --decimal-comma or --decimal-point)", "mark: the conflict names both lines");

    /* a told point, then a comma */
    parse_mark_init(&m, 0);
    T_CHECK(dec(&m, 2, "12.50", &v) == PARSE_OK && v == 12500000 && m.mark == '.',
            "mark: 12.50 tells a point");
    T_CHECK(dec(&m, 3, "1,234", &v) == PARSE_OK && v == 1234000000,
            "mark: then 1,234 is 1234 (thousands), not ambiguous");
    T_CHECK(dec(&m, 4, "1,5", &v) == PARSE_MARK_CONFLICT, "mark: then 1,5 is a conflict");
    T_STR(parse_mark_conflict(&m, "amount", "1,5", 3, msg, sizeof msg),
          "amount \"1,5\" has a decimal comma, but line 2 (\"12.50\") has a decimal point "
          "(give --decimal-comma or --decimal-point)", "mark: ... naming the line that told");

    /* a told comma: 1.234 is then 1234, no conflict */
    parse_mark_init(&m, 0);
    T_CHECK(dec(&m, 2, "1,5", &v) == PARSE_OK && v == 1500000 && m.mark == ',',
            "mark: 1,5 tells a comma");
    T_CHECK(dec(&m, 3, "1.234", &v) == PARSE_OK && v == 1234000000, "mark: then 1.234 is 1234");
    T_CHECK(dec(&m, 4, "1.234,56", &v) == PARSE_OK && v == 1234560000,
            "mark: and 1.234,56 is 1234.56");
    T_CHECK(dec(&m, 5, "12.50", &v) == PARSE_MARK_CONFLICT, "mark: and 12.50 is a conflict");

    /* a presumption the told mark confirms */
    parse_mark_init(&m, 0);
    T_CHECK(dec(&m, 2, "1.234", &v) == PARSE_OK && dec(&m, 3, "2.345", &v) == PARSE_OK &&
            dec(&m, 4, "12.5", &v) == PARSE_OK && v == 12500000 && m.mark == '.',
            "mark: 1.234, 2.345 then 12.5: a point throughout");
    T_CHECK(dec(&m, 5, "1.234,5", &v) == PARSE_MARK_CONFLICT,
            "mark: ... and 1.234,5 contradicts it");

    /* integers tell nothing; 1,234 undecided is still ambiguous */
    parse_mark_init(&m, 0);
    T_CHECK(dec(&m, 2, "12", &v) == PARSE_OK && dec(&m, 3, "1 234", &v) == PARSE_OK &&
            v == 1234000000 && m.mark == 0 && m.presumed == 0, "mark: integers tell nothing");
    T_CHECK(dec(&m, 4, "1,234", &v) == PARSE_AMBIGUOUS, "mark: 1,234 undecided is ambiguous");
    T_CHECK(dec(&m, 5, "", &v) == PARSE_EMPTY, "mark: empty is empty");
    T_CHECK(dec(&m, 6, "1.234.567", &v) == PARSE_OK && v == 1234567000000 && m.mark == ',',
            "mark: 1.234.567 tells a comma (points group thousands)");

    /* a given mark is fixed: a value against it is just not a number */
    parse_mark_init(&m, ',');
    T_CHECK(dec(&m, 2, "12.50", &v) == PARSE_INVALID, "mark: 12.50 under a given comma is invalid");
    T_CHECK(dec(&m, 3, "1.234", &v) == PARSE_OK && v == 1234000000,
            "mark: 1.234 under a given comma");

    /* the same rules for real numbers */
    parse_mark_init(&m, 0);
    T_CHECK(parse_double_mark(&m, 2, "1.234", 5, &x) == PARSE_OK && x == 1.234,
            "mark: double 1.234 undecided");
    T_CHECK(parse_double_mark(&m, 3, "2,5e3", 5, &x) == PARSE_MARK_CONFLICT,
            "mark: double 2,5e3 after it is a conflict");
    parse_mark_init(&m, 0);
    T_CHECK(parse_double_mark(&m, 2, "1.5e3", 5, &x) == PARSE_OK && x == 1500 && m.mark == '.',
            "mark: double 1.5e3 tells a point");
    T_CHECK(parse_double_mark(&m, 3, "7,25", 4, &x) == PARSE_MARK_CONFLICT,
            "mark: double 7,25 after it is a conflict");
    T_DONE();
}
