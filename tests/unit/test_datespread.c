/* datespread: the quartiles of the lines' years and the fence around them,
 * checked on small cases worked by hand. */
#include "datespread.h"
#include "parse.h"
#include "t.h"

static void add_year(struct date_spread *s, int year, int lines, long long where)
{
    for (int i = 0; i < lines; i++)
        date_spread_add(s, date_from_civil(year, 6, 1), where + i, 0);
}

int main(void)
{
    struct date_spread s, part;
    int q1, q3, low, high;
    T_CHECK(date_spread_init(&s) == 0 && date_spread_init(&part) == 0, "spread: init");
    T_CHECK(date_spread_fence(&s, &q1, &q3, &low, &high) == -1, "spread: no lines, no fence");

    /* 3 lines in 2010, 3 in 2011, 2 in 2012: ranks 0..7; q1 at rank
     * 7/4 = 1 (2010), q3 at rank 21/4 = 5 (2011); fence 20 years out */
    add_year(&s, 2010, 3, 2);
    add_year(&s, 2011, 3, 5);
    add_year(&s, 2012, 2, 8);
    T_CHECK(date_spread_fence(&s, &q1, &q3, &low, &high) == 0 && q1 == 2010 && q3 == 2011 &&
            low == 1990 && high == 2031,
            "spread: quartiles 2010, 2011, fence 1990..2031 (got %d %d %d %d)",
            q1, q3, low, high);

    /* a 9999 line: ranks 0..8, q1 at 2 (2010), q3 at 6 (2012) */
    add_year(&s, 9999, 1, 10);
    T_CHECK(date_spread_fence(&s, &q1, &q3, &low, &high) == 0 && q1 == 2010 && q3 == 2012 &&
            high == 2032 && date_spread_outside(9999, low, high) &&
            !date_spread_outside(2012, low, high), "spread: 9999 is outside, 2012 inside");
    T_CHECK(s.years[9999].lines == 1 && s.years[9999].first == 10 &&
            s.years[2011].first == 5 && s.years[2011].lines == 3, "spread: first lines kept");

    /* a wide history: 3 x IQR beats 20 years */
    struct date_spread w;
    date_spread_init(&w);
    for (int y = 1980; y < 2020; y++)
        add_year(&w, y, 1, y);
    /* 40 lines: q1 rank 39/4 = 9 (1989), q3 rank 117/4 = 29 (2009): margin 60 */
    T_CHECK(date_spread_fence(&w, &q1, &q3, &low, &high) == 0 && q1 == 1989 && q3 == 2009 &&
            low == 1929 && high == 2069, "spread: wide history, fence 1929..2069");

    /* merging parts in order keeps the first part's first line */
    add_year(&part, 2011, 2, 100);
    add_year(&part, 2101, 1, 200);
    date_spread_merge(&s, &part);
    T_CHECK(s.years[2011].lines == 5 && s.years[2011].first == 5 && s.years[2101].first == 200 &&
            s.lines == 12, "spread: merge adds counts, keeps the earliest first");
    date_spread_free(&s);
    date_spread_free(&part);
    date_spread_free(&w);
    T_DONE();
}
