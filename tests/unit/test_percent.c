/* parse_share and the percent column rule (issue 14: percent signs where a
 * share is read). Expected values by hand: in a percent place "80%" is 80;
 * in a fraction place it is 0.8, the double nearest to the decimal (the
 * same double as strtod("0.8")). */
#include <stdint.h>
#include <stdlib.h>

#include "parse.h"
#include "t.h"

static enum parse_status share(const char *s, enum parse_share_unit unit, char mark, double *v,
                               int *percent)
{
    return parse_share(s, strlen(s), unit, &mark, v, percent);
}

int main(void)
{
    double v;
    int pc;
    char msg[256];

    size_t len = 4;
    T_CHECK(parse_percent_sign("80 %", &len) == 1 && len == 2, "sign: \"80 %%\" is 80 and a sign");
    len = 3;
    T_CHECK(parse_percent_sign("80%", &len) == 1 && len == 2, "sign: \"80%%\"");
    len = strlen("80\xC2\xA0%");
    T_CHECK(parse_percent_sign("80\xC2\xA0%", &len) == 1 && len == 2,
            "sign: a no-break space before the sign");
    len = strlen("80\xE2\x80\xAF%");
    T_CHECK(parse_percent_sign("80\xE2\x80\xAF%", &len) == 1 && len == 2,
            "sign: a narrow no-break space before the sign (French Excel)");
    len = 2;
    T_CHECK(parse_percent_sign("80", &len) == 0 && len == 2, "sign: none in \"80\"");

    /* a percent place: the number as written */
    T_CHECK(share("80%", PARSE_IN_PERCENT, '.', &v, &pc) == PARSE_OK && v == 80 && pc == 1,
            "percent place: 80%% is 80");
    T_CHECK(share("80", PARSE_IN_PERCENT, '.', &v, &pc) == PARSE_OK && v == 80 && pc == 0,
            "percent place: 80 is 80");
    T_CHECK(share("0.5 %", PARSE_IN_PERCENT, '.', &v, &pc) == PARSE_OK && v == 0.5,
            "percent place: 0.5 %% is 0.5");

    /* a fraction place: the sign divides by 100, exactly */
    T_CHECK(share("80%", PARSE_IN_FRACTION, '.', &v, &pc) == PARSE_OK && v == strtod("0.8", NULL),
            "fraction place: 80%% is 0.8");
    T_CHECK(share("0.8", PARSE_IN_FRACTION, '.', &v, &pc) == PARSE_OK && v == strtod("0.8", NULL)
            && pc == 0, "fraction place: 0.8 is 0.8");
    T_CHECK(share("12.5%", PARSE_IN_FRACTION, '.', &v, NULL) == PARSE_OK && v == 0.125,
            "fraction place: 12.5%% is 0.125");
    T_CHECK(share("33.33%", PARSE_IN_FRACTION, '.', &v, NULL) == PARSE_OK &&
            v == strtod("0.3333", NULL), "fraction place: 33.33%% is the double nearest 0.3333");
    T_CHECK(share("7%", PARSE_IN_FRACTION, '.', &v, NULL) == PARSE_OK &&
            v == strtod("0.07", NULL), "fraction place: 7%% is the double nearest 0.07");
    T_CHECK(share("0.07%", PARSE_IN_FRACTION, '.', &v, NULL) == PARSE_OK &&
            v == strtod("0.0007", NULL) && v != strtod("0.07", NULL) / 100,
            "fraction place: 0.07%% is the double nearest 0.0007, which strtod(0.07) / 100 "
            "misses by one unit in the last place");
    T_CHECK(share("12,5\xC2\xA0%", PARSE_IN_FRACTION, ',', &v, NULL) == PARSE_OK && v == 0.125,
            "fraction place: \"12,5 %%\" with a decimal comma is 0.125");
    T_CHECK(share("-0.2%", PARSE_IN_FRACTION, '.', &v, NULL) == PARSE_OK &&
            v == strtod("-0.002", NULL), "fraction place: -0.2%% is -0.002");
    T_CHECK(share("%", PARSE_IN_FRACTION, '.', &v, NULL) == PARSE_INVALID, "a lone %% is invalid");
    T_CHECK(share("80%%", PARSE_IN_FRACTION, '.', &v, NULL) == PARSE_INVALID,
            "80%%%% is invalid");
    T_CHECK(share("%80", PARSE_IN_FRACTION, '.', &v, NULL) == PARSE_INVALID,
            "a leading %% is invalid");
    T_CHECK(share("", PARSE_IN_FRACTION, '.', &v, NULL) == PARSE_EMPTY, "empty is empty");

    /* a column: all with the sign or none */
    struct parse_percent_column c;
    parse_percent_column_init(&c);
    T_CHECK(parse_percent_column_note(&c, 2, "12%", 3) == 0, "column: 12%% alone is fine");
    T_CHECK(parse_percent_column_note(&c, 3, "7 %", 3) == 0, "column: then 7 %% too");
    T_CHECK(parse_percent_column_note(&c, 5, "0.3", 3) == -1, "column: then 0.3 is a mix");
    T_STR(parse_percent_mixed(&c, "share", msg, sizeof msg),
          "share \"0.3\" at line 5 has no percent sign, but \"12%\" at line 2 has one: write "
          "every value with % or none", "column: the mix names both lines");
    parse_percent_column_init(&c);
    T_CHECK(parse_percent_column_note(&c, 0, "0.5", 3) == 0 &&
            parse_percent_column_note(&c, 0, "30%", 3) == -1, "list: 0.5 then 30%% is a mix");
    T_STR(parse_percent_mixed(&c, "weight", msg, sizeof msg),
          "weight \"0.5\" has no percent sign, but \"30%\" has one: write every value with % or "
          "none", "list: the mix without lines");
    T_DONE();
}
