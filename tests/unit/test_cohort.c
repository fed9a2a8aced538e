/* Unit tests of lib/cohort: period arithmetic and labels (ISO weeks at year
 * ends, from the ISO 8601 rule: week 1 holds January 4), every day of eight
 * centuries in exactly one period, and the table's mergeability: the same
 * lines split between tables, in any order, give the same cells. */
#include <stdio.h>
#include <string.h>

#include "cohort.h"
#include "parse.h"
#include "t.h"

static int32_t day(int y, int m, int d)
{
    return date_from_civil(y, m, d);
}

static const char *label_of(enum cohort_period p, int32_t when, char *out)
{
    return cohort_period_label(p, cohort_period_of(p, when), out);
}

static void test_labels(void)
{
    char out[COHORT_LABEL_MAX];
    /* ISO 8601: 2020 has 53 weeks (it starts on a Wednesday of a leap year);
     * 2021-01-03 (Sunday) is still in 2020-W53; 2021-01-04 (Monday) starts W01;
     * 2019-12-30 (Monday) is 2020-W01; 2010-01-03 is 2009-W53. */
    T_STR(label_of(COHORT_WEEK, day(2020, 12, 31), out), "2020-W53", "week: 2020-12-31");
    T_STR(label_of(COHORT_WEEK, day(2021, 1, 3), out), "2020-W53", "week: 2021-01-03");
    T_STR(label_of(COHORT_WEEK, day(2021, 1, 4), out), "2021-W01", "week: 2021-01-04");
    T_STR(label_of(COHORT_WEEK, day(2019, 12, 30), out), "2020-W01", "week: 2019-12-30");
    T_STR(label_of(COHORT_WEEK, day(2010, 1, 3), out), "2009-W53", "week: 2010-01-03");
    T_STR(label_of(COHORT_WEEK, day(1969, 12, 29), out), "1970-W01", "week: 1969-12-29");
    T_STR(label_of(COHORT_WEEK, day(1, 1, 1), out), "0001-W01", "week: 0001-01-01, a Monday");
    T_STR(label_of(COHORT_MONTH, day(2011, 12, 31), out), "2011-12", "month: 2011-12-31");
    T_STR(label_of(COHORT_MONTH, day(1960, 2, 29), out), "1960-02", "month before 1970");
    T_STR(label_of(COHORT_QUARTER, day(2011, 3, 31), out), "2011-Q1", "quarter: 2011-03-31");
    T_STR(label_of(COHORT_QUARTER, day(2011, 4, 1), out), "2011-Q2", "quarter: 2011-04-01");
    T_STR(label_of(COHORT_QUARTER, day(1950, 12, 1), out), "1950-Q4", "quarter before 1970");
    T_CHECK(cohort_period_start(COHORT_WEEK, cohort_period_of(COHORT_WEEK, day(2024, 6, 15)))
            == day(2024, 6, 10), "week: 2024-06-15 (Saturday) starts on Monday 2024-06-10");

    int32_t index;
    T_CHECK(cohort_period_read(COHORT_WEEK, "2020-W53", &index) == 0 &&
            index == cohort_period_of(COHORT_WEEK, day(2020, 12, 28)), "read 2020-W53");
    T_CHECK(cohort_period_read(COHORT_WEEK, "2021-W53", &index) != 0,
            "2021-W53 does not exist (2021 has 52 weeks)");
    T_CHECK(cohort_period_read(COHORT_MONTH, "2011-12-09", &index) == 0 &&
            index == cohort_period_of(COHORT_MONTH, day(2011, 12, 1)), "a date reads as its month");
    T_CHECK(cohort_period_read(COHORT_QUARTER, "2011-Q5", &index) != 0, "2011-Q5 is refused");
    T_CHECK(cohort_period_read(COHORT_MONTH, "2011-1", &index) != 0, "2011-1 is refused");
    T_CHECK(cohort_period_read(COHORT_MONTH, "2011-01x", &index) != 0, "2011-01x is refused");
}

/* Every day from 1600 to 2400 lies in exactly one period of each kind:
 * start(of(d)) <= d < start(of(d) + 1), periods follow each other, and each
 * label reads back as its period. */
static void test_every_day(void)
{
    static const char *const names[] = { "week", "month", "quarter" };
    for (int p = COHORT_WEEK; p <= COHORT_QUARTER; p++) {
        int32_t from = day(1600, 1, 1), to = day(2400, 12, 31);
        int32_t previous = cohort_period_of((enum cohort_period)p, from);
        long bad = 0, periods = 1;
        for (int32_t d = from; d <= to; d++) {
            int32_t i = cohort_period_of((enum cohort_period)p, d);
            if (cohort_period_start((enum cohort_period)p, i) > d ||
                cohort_period_start((enum cohort_period)p, i + 1) <= d ||
                (i != previous && i != previous + 1))
                bad++;
            if (i != previous) {
                periods++;
                char label[COHORT_LABEL_MAX];
                int32_t back;
                cohort_period_label((enum cohort_period)p, i, label);
                if (cohort_period_read((enum cohort_period)p, label, &back) != 0 || back != i)
                    bad++;
            }
            previous = i;
        }
        T_CHECK(bad == 0, "%s: every day 1600..2400 in one period, labels read back (%ld periods)",
                names[p], periods);
    }
}

struct line {
    const char *client;
    int y, m, d;
    int64_t amount;     /* cents, scaled below */
};

/* The hand case of tests/cli/cohort.sh, by month. */
static const struct line lines[] = {
    { "A", 2024, 1, 5, 10000 }, { "A", 2024, 1, 20, 5000 }, { "B", 2024, 1, 15, 4000 },
    { "C", 2023, 12, 20, -1500 }, { "A", 2024, 2, 10, -3000 }, { "C", 2024, 2, 1, 6000 },
    { "E", 2024, 2, 28, 2550 }, { "F", 2024, 1, 10, 0 }, { "F", 2024, 2, 5, 1000 },
    { "B", 2024, 3, 3, 1000 }, { "B", 2024, 3, 4, -500 }, { "D", 2024, 3, 1, -1000 },
    { "E", 2024, 4, 30, 450 }, { "A", 2024, 6, 2, 2000 }, { "E", 2024, 6, 15, 0 },
};
#define NLINES (sizeof lines / sizeof lines[0])

static int add(struct cohort_lines *t, size_t i)
{
    struct diag diag;
    return cohort_lines_add(t, lines[i].client, strlen(lines[i].client),
                            day(lines[i].y, lines[i].m, lines[i].d),
                            lines[i].amount * (MONEY_SCALE / 100), 2, &diag);
}

static int same_tables(const struct cohort_table *a, const struct cohort_table *b)
{
    if (a->count != b->count || a->last_period != b->last_period ||
        a->last_partial != b->last_partial || a->early_cells != b->early_cells ||
        a->early_revenue != b->early_revenue || a->clients_no_purchase != b->clients_no_purchase)
        return 0;
    for (size_t r = 0; r < a->count; r++) {
        const struct cohort *x = &a->cohorts[r], *y = &b->cohorts[r];
        if (x->index != y->index || x->size != y->size || x->periods != y->periods)
            return 0;
        for (size_t k = 0; k < x->periods; k++)
            if (memcmp(&x->cells[k], &y->cells[k], sizeof x->cells[k]) != 0)
                return 0;
    }
    return 1;
}

static void test_table(void)
{
    struct diag diag;
    struct cohort_lines whole, part[3];
    struct cohort_options bounded = { 0 }, unbounded = { .unbounded = 1 };
    cohort_lines_init(&whole, COHORT_MONTH, &diag);
    for (size_t i = 0; i < NLINES; i++)
        add(&whole, i);
    struct cohort_table t, u;
    T_CHECK(cohort_table_build(&t, &whole, &bounded, &diag) == 0, "build the hand case");
    /* by hand: cohorts Jan {A, B} and Feb {C, E, F}; D never bought; C's
     * December return and F's January zero are before their first purchase */
    T_CHECK(t.count == 2 && t.cohorts[0].size == 2 && t.cohorts[1].size == 3,
            "two cohorts of 2 and 3 clients");
    T_CHECK(t.cohorts[0].periods == 6 && t.cohorts[1].periods == 5, "Jan..Jun and Feb..Jun");
    T_CHECK(t.clients_no_purchase == 1 && t.early_cells == 2 &&
            t.early_revenue == -15 * MONEY_SCALE, "D left out; two early cells, net -15");
    T_CHECK(t.last_partial == 1, "June is partial (the data end on the 15th)");
    static const int64_t active_jan[] = { 2, 0, 1, 0, 0, 1 };
    static const int64_t revenue_jan[] = { 19000, -3000, 500, 0, 0, 2000 };   /* cents */
    int good = 1;
    for (size_t k = 0; k < 6; k++)
        good &= t.cohorts[0].cells[k].active == active_jan[k] &&
                t.cohorts[0].cells[k].revenue == revenue_jan[k] * (MONEY_SCALE / 100);
    T_CHECK(good, "January cohort: active 2 0 1 0 0 1, revenue 190 -30 5 0 0 20");
    T_CHECK(t.cohorts[0].cells[5].cumulative == 185 * MONEY_SCALE, "January cumulative 185");
    T_CHECK(cohort_table_build(&u, &whole, &unbounded, &diag) == 0, "build unbounded");
    static const int64_t unbounded_feb[] = { 3, 1, 1, 0, 0 };  /* C, F stop at 0, E at 2 */
    good = 1;
    for (size_t k = 0; k < 5; k++)
        good &= u.cohorts[1].cells[k].active == unbounded_feb[k];
    T_CHECK(good, "February cohort unbounded: 3 1 1 0 0");
    cohort_table_free(&u);

    /* the lines dealt to three tables in a scrambled order, then merged in
     * two different orders: the same cells */
    for (int round = 0; round < 2; round++) {
        for (int i = 0; i < 3; i++)
            cohort_lines_init(&part[i], COHORT_MONTH, &diag);
        for (size_t n = 0; n < NLINES; n++) {
            size_t i = (n * 7 + 3) % NLINES;
            add(&part[(i + (size_t)round) % 3], i);
        }
        struct cohort_lines merged;
        cohort_lines_init(&merged, COHORT_MONTH, &diag);
        for (int i = 0; i < 3; i++)
            cohort_lines_merge(&merged, &part[round ? 2 - i : i], &diag);
        struct cohort_table m;
        T_CHECK(cohort_table_build(&m, &merged, &bounded, &diag) == 0 && same_tables(&t, &m),
                "split in three and merged (round %d): the same table", round);
        cohort_table_free(&m);
        /* absorbed (a thread's cells dropped after): the first taken as it
         * is, the others merged; the same cells, index for index */
        struct cohort_lines absorbed;
        cohort_lines_init(&absorbed, COHORT_MONTH, &diag);
        int rc = 0;
        for (int i = 0; i < 3; i++)
            rc |= cohort_lines_absorb(&absorbed, &part[round ? 2 - i : i], &diag);
        int same = rc == 0 && absorbed.ncells == merged.ncells &&
                   absorbed.clients.count == merged.clients.count &&
                   absorbed.min_day == merged.min_day && absorbed.max_day == merged.max_day &&
                   absorbed.revenue_decimals == merged.revenue_decimals;
        for (size_t c = 0; same && c < merged.ncells; c++)
            same = absorbed.cell_client[c] == merged.cell_client[c] &&
                   absorbed.cell_period[c] == merged.cell_period[c] &&
                   absorbed.cell_revenue[c] == merged.cell_revenue[c] &&
                   absorbed.cell_bought[c] == merged.cell_bought[c];
        for (size_t k = 0; same && k < merged.clients.count; k++) {
            size_t la, lb;
            const char *a = hashtab_key(&absorbed.clients, k, &la);
            const char *b = hashtab_key(&merged.clients, k, &lb);
            same = la == lb && memcmp(a, b, la) == 0;
        }
        T_CHECK(same, "absorbed (round %d): the merge's clients and cells, index for index",
                round);
        T_CHECK(part[round ? 2 : 0].ncells == 0 && part[round ? 2 : 0].clients.count == 0,
                "the part taken over is left empty (round %d)", round);
        T_CHECK(cohort_table_build(&m, &absorbed, &bounded, &diag) == 0 && same_tables(&t, &m),
                "absorbed (round %d): the same table", round);
        cohort_table_free(&m);
        cohort_lines_free(&absorbed);
        cohort_lines_free(&merged);
        for (int i = 0; i < 3; i++)
            cohort_lines_free(&part[i]);
    }

    /* --from/--to keep cohorts, not purchases: from February, A and B are
     * out although they bought in March and June */
    struct cohort_options feb = { .has_from = 1, .from = cohort_period_of(COHORT_MONTH,
                                                                          day(2024, 2, 1)) };
    T_CHECK(cohort_table_build(&u, &whole, &feb, &diag) == 0 && u.count == 1 &&
            u.cohorts[0].size == 3 && u.clients_outside == 2, "--from Feb: 3 kept, 2 outside");
    cohort_table_free(&u);
    cohort_table_free(&t);
    cohort_lines_free(&whole);

    /* overflow of one client's month is an error, not a wrapped sum */
    struct cohort_lines big;
    cohort_lines_init(&big, COHORT_MONTH, &diag);
    int rc = cohort_lines_add(&big, "Z", 1, day(2024, 1, 1), INT64_MAX - 5, 0, &diag);
    rc |= cohort_lines_add(&big, "Z", 1, day(2024, 1, 2), 10, 0, &diag);
    T_CHECK(rc != 0 && strstr(diag.message, "\"Z\"") != NULL, "overflow is an error naming Z");
    cohort_lines_free(&big);
    /* the same month's lines apart (another client's between): two cells of
     * the log, made one by the build, whose sum overflows there */
    cohort_lines_init(&big, COHORT_MONTH, &diag);
    rc = cohort_lines_add(&big, "Z", 1, day(2024, 1, 1), INT64_MAX - 5, 0, &diag);
    rc |= cohort_lines_add(&big, "Y", 1, day(2024, 1, 1), 7, 0, &diag);
    rc |= cohort_lines_add(&big, "Z", 1, day(2024, 1, 2), 10, 0, &diag);
    struct cohort_table o;
    struct cohort_options plain = { 0 };
    T_CHECK(rc == 0 && big.ncells == 3, "lines of one month apart: a cell each in the log");
    T_CHECK(cohort_table_build(&o, &big, &plain, &diag) != 0 &&
            strstr(diag.message, "\"Z\"") != NULL && strstr(diag.message, "one period") != NULL,
            "... their sum overflows at the build: an error naming Z");
    cohort_lines_free(&big);
}

int main(void)
{
    test_labels();
    test_every_day();
    test_table();
    T_DONE();
}
