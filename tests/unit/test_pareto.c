/* Unit tests of lib/pareto: every expected figure is worked out by hand in
 * the comment next to it. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "parse.h"
#include "pareto.h"
#include "pareto_table.h"

static int failures;

static void check(int ok, const char *name)
{
    printf("%s - %s\n", ok ? "ok" : "not ok", name);
    if (!ok)
        failures++;
}

static int close_to(double a, double b)
{
    return fabs(a - b) <= 1e-12;
}

/* Items from keys and values given as money (exact) in whole units. */
static size_t make(struct pareto_item *items, const char *const *keys, const double *values,
                   size_t n)
{
    for (size_t i = 0; i < n; i++) {
        memset(&items[i], 0, sizeof items[i]);
        items[i].row = i;
        items[i].key = keys[i];
        items[i].group = "";
        items[i].value = values[i];
        items[i].scaled = (int64_t)llround(values[i] * MONEY_SCALE);
    }
    return n;
}

static struct pareto_classes classes_of(enum pareto_rule rule, const char *list)
{
    struct pareto_classes c;
    struct diag diag;
    if (pareto_classes_parse(&c, rule, list, &diag) != 0) {
        printf("# %s\n", diag.message);
        abort();
    }
    return c;
}

static void class_string(const struct pareto_item *items, size_t n, char *out)
{
    for (size_t i = 0; i < n; i++)
        out[i] = items[i].class_letter;
    out[n] = '\0';
}

static void key_string(const struct pareto_item *items, size_t n, char *out)
{
    for (size_t i = 0; i < n; i++)
        out[i] = items[i].key[0];
    out[n] = '\0';
}

/* Does ranked[0..n) hold the figures pareto_rank gave items[order[i]]
 * (bit for bit, NaN included), and do the two summaries agree? */
static int ranked_matches(const struct pareto_item *items, const size_t *order,
                          const struct pareto_ranked *ranked, size_t n,
                          const struct pareto_summary *a, const struct pareto_summary *b)
{
    for (size_t i = 0; i < n; i++) {
        const struct pareto_item *it = &items[order[i]];
        const struct pareto_ranked *r = &ranked[i];
        if (r->row != it->row || r->class_letter != it->class_letter ||
            it->rank != i + 1 || memcmp(&r->share, &it->share, sizeof r->share) != 0 ||
            memcmp(&r->cum_share, &it->cum_share, sizeof r->cum_share) != 0 ||
            memcmp(&r->cum_clients_share, &it->cum_clients_share,
                   sizeof r->cum_clients_share) != 0)
            return 0;
    }
    int same = a->clients == b->clients && a->positive == b->positive &&
               a->total == b->total && a->nonpositive_total == b->nonpositive_total &&
               a->totals_fit == b->totals_fit && a->total_scaled == b->total_scaled &&
               a->clients_for_80 == b->clients_for_80 &&
               memcmp(&a->share_top20, &b->share_top20, sizeof a->share_top20) == 0 &&
               memcmp(&a->gini, &b->gini, sizeof a->gini) == 0;
    for (size_t k = 0; k < PARETO_MAX_CLASSES; k++)
        same &= a->class_clients[k] == b->class_clients[k] &&
                a->class_value[k] == b->class_value[k];
    return same;
}

/* pareto_rank_ranked on a copy of items (pareto_rank's already): the same
 * order and figures, in ranked, the copy's figures untouched. */
static int check_ranked(const struct pareto_item *items, size_t n, int exact, int decimals,
                        const struct pareto_classes *classes, const size_t *order,
                        const struct pareto_summary *s)
{
    struct pareto_item *copy = malloc((n ? n : 1) * sizeof *copy);
    size_t *order2 = malloc((n ? n : 1) * sizeof *order2);
    struct pareto_ranked *ranked = malloc((n ? n : 1) * sizeof *ranked);
    if (!copy || !order2 || !ranked)
        abort();
    memcpy(copy, items, n * sizeof *copy);
    for (size_t i = 0; i < n; i++) {
        copy[i].rank = 0;
        copy[i].class_letter = 'z';
    }
    struct pareto_summary s2;
    pareto_rank_ranked(copy, n, exact, decimals, classes, order2, ranked, &s2);
    int same = ranked_matches(items, order, ranked, n, s, &s2);
    for (size_t i = 0; i < n; i++)
        same &= order2[i] == order[i] && copy[i].rank == 0 && copy[i].class_letter == 'z';
    free(copy);
    free(order2);
    free(ranked);
    return same;
}

/* pareto_rank, then the items gathered into its rank order, for checks
 * that read the ranked items one after the other. pareto_rank must leave
 * them where they were (each item's row still its place). */
static void rank_in_order(struct pareto_item *items, size_t n, int exact, int decimals,
                          const struct pareto_classes *classes, struct pareto_summary *s)
{
    size_t order[16], rows[16];
    struct pareto_item ranked[16];
    if (n > 16)
        abort();
    for (size_t i = 0; i < n; i++)
        rows[i] = items[i].row;
    pareto_rank(items, n, exact, decimals, classes, order, s);
    int in_place = 1, each_once = 1;
    unsigned seen = 0;
    for (size_t i = 0; i < n; i++) {
        in_place &= items[i].row == rows[i];
        each_once &= order[i] < n && !(seen >> order[i] & 1);
        if (order[i] < n)
            seen |= 1u << order[i];
    }
    check(in_place && each_once, "pareto_rank leaves the items in place; order has each once");
    check(check_ranked(items, n, exact, decimals, classes, order, s),
          "pareto_rank_ranked: the same order and summary, the figures in rank order, the "
          "items not written");
    for (size_t i = 0; i < n; i++)
        ranked[i] = items[order[i]];
    memcpy(items, ranked, n * sizeof *items);
}

static void test_small_case(int exact)
{
    /* given out of order; positive total 100; F = 0 and G = -3 nonpositive */
    static const char *const keys[] = { "E", "G", "B", "D", "A", "F", "C" };
    static const double values[] = { 5, -3, 30, 5, 50, 0, 10 };
    struct pareto_item items[7];
    struct pareto_summary s;
    struct pareto_classes cut = classes_of(PARETO_CUT, "80,95");
    char got[16], name[120];
    const char *mode = exact ? "exact" : "double";
    make(items, keys, values, 7);
    rank_in_order(items, 7, exact, 0, &cut, &s);

    key_string(items, 7, got);
    /* 50 30 10 5(D) 5(E) 0 -3: the tie D/E broken by key */
    snprintf(name, sizeof name, "%s: rank order by value, ties by key, <= 0 last", mode);
    check(strcmp(got, "ABCDEFG") == 0, name);
    snprintf(name, sizeof name, "%s: ranks 1..7", mode);
    check(items[0].rank == 1 && items[6].rank == 7, name);
    snprintf(name, sizeof name, "%s: counts 7 clients, 5 positive, 2 nonpositive", mode);
    check(s.clients == 7 && s.positive == 5 && s.nonpositive == 2, name);
    snprintf(name, sizeof name, "%s: total 100, nonpositive total -3", mode);
    check(s.total == 100 && s.nonpositive_total == -3, name);
    if (exact) {
        check(s.totals_fit && s.total_scaled == 100 * (int64_t)MONEY_SCALE &&
              s.nonpositive_total_scaled == -3 * (int64_t)MONEY_SCALE,
              "exact: scaled totals 100 and -3");
    }
    /* shares .5 .3 .1 .05 .05, cum .5 .8 .9 .95 1, clients 1/5..5/5 */
    snprintf(name, sizeof name, "%s: shares, cumulative shares, cumulative client shares", mode);
    check(close_to(items[0].share, 0.5) && close_to(items[1].cum_share, 0.8) &&
          close_to(items[3].cum_share, 0.95) && items[4].cum_share == 1 &&
          close_to(items[2].cum_clients_share, 0.6) && items[4].cum_clients_share == 1, name);
    snprintf(name, sizeof name, "%s: nonpositive rows have no shares", mode);
    check(isnan(items[5].share) && isnan(items[6].cum_share) &&
          isnan(items[6].cum_clients_share), name);
    /* cut 80,95: A while the share before the client is < 80%: A (0), B (.5);
     * C starts at .8: B; D at .9: B; E at .95: C by position, but E ties
     * with D, so B */
    class_string(items, 7, got);
    snprintf(name, sizeof name, "%s: classes AABBB--, a tie takes its best member's class",
             mode);
    check(strcmp(got, "AABBB--") == 0, name);
    snprintf(name, sizeof name, "%s: class counts A 2, B 3, C 0 and value shares .8 .2 0",
             mode);
    check(s.classes == 3 && s.class_clients[0] == 2 && s.class_clients[1] == 3 &&
          s.class_clients[2] == 0 && close_to((double)(s.class_value[0] / s.total), 0.8) &&
          close_to((double)(s.class_value[1] / s.total), 0.2) && s.class_value[2] == 0, name);
    /* top ceil(5/5) = 1 client: 50/100 */
    snprintf(name, sizeof name, "%s: share_top20 = 0.5", mode);
    check(close_to(s.share_top20, 0.5), name);
    /* cum reaches .8 at the 2nd client */
    snprintf(name, sizeof name, "%s: clients_for_80 = 2", mode);
    check(s.clients_for_80 == 2, name);
    /* ascending 5 5 10 30 50, weights 2i-n-1 = -4 -2 0 2 4:
     * -20 -10 + 0 + 60 + 200 = 230; 230 / (5 × 100) = 0.46 */
    snprintf(name, sizeof name, "%s: gini = 0.46", mode);
    check(close_to(s.gini, 0.46), name);

    /* quota 20,30 of 5: A = ceil(1) = 1 client, B up to ceil(2.5) = 3 */
    struct pareto_classes quota = classes_of(PARETO_QUOTA, "20,30");
    make(items, keys, values, 7);
    rank_in_order(items, 7, exact, 0, &quota, &s);
    class_string(items, 7, got);
    snprintf(name, sizeof name, "%s: quota 20,30 gives ABBCC--", mode);
    check(strcmp(got, "ABBCC--") == 0, name);
}

static void test_edges(void)
{
    struct pareto_item items[8];
    struct pareto_summary s;
    struct pareto_classes cut = classes_of(PARETO_CUT, "80,95");
    char got[16];

    /* all equal: 4 × 7. Shares before: 0 .25 .5 .75, all < .8: AAAA */
    static const char *const k4[] = { "d", "c", "b", "a" };
    static const double equal[] = { 7, 7, 7, 7 };
    make(items, k4, equal, 4);
    rank_in_order(items, 4, 1, 0, &cut, &s);
    class_string(items, 4, got);
    check(strcmp(got, "AAAA") == 0, "all equal: all class A");
    key_string(items, 4, got);
    check(strcmp(got, "abcd") == 0, "all equal: ranked by key");
    check(s.gini == 0, "all equal: gini 0");
    check(close_to(s.share_top20, 0.25), "all equal: share_top20 = 1/4 (top ceil(0.8) = 1)");
    check(s.clients_for_80 == 4, "all equal: clients_for_80 = 4 (cum .25 .5 .75 1)");
    /* quota 20 of 4 equal: A = ceil(0.8) = 1 client, the rest tie with it */
    struct pareto_classes quota = classes_of(PARETO_QUOTA, "20,30");
    make(items, k4, equal, 4);
    rank_in_order(items, 4, 1, 0, &quota, &s);
    class_string(items, 4, got);
    check(strcmp(got, "AAAA") == 0 && s.class_clients[0] == 4,
          "all equal, quota: ties pull everyone into A");

    /* a single client */
    static const char *const k1[] = { "only" };
    static const double one[] = { 12.5 };
    make(items, k1, one, 1);
    rank_in_order(items, 1, 1, 1, &cut, &s);
    check(items[0].rank == 1 && items[0].share == 1 && items[0].cum_share == 1 &&
          items[0].cum_clients_share == 1 && items[0].class_letter == 'A',
          "single client: rank 1, shares 1, class A");
    check(s.gini == 0 && s.share_top20 == 1 && s.clients_for_80 == 1,
          "single client: gini 0, share_top20 1, clients_for_80 1");

    /* all nonpositive */
    static const char *const k2[] = { "x", "y" };
    static const double none[] = { -1, 0 };
    make(items, k2, none, 2);
    rank_in_order(items, 2, 1, 0, &cut, &s);
    key_string(items, 2, got);
    check(strcmp(got, "yx") == 0 && items[0].class_letter == '-' &&
          items[1].class_letter == '-', "all nonpositive: 0 before -1, class -");
    check(s.positive == 0 && s.nonpositive == 2 && isnan(s.gini) && isnan(s.share_top20) &&
          s.clients_for_80 == 0 && s.total == 0, "all nonpositive: no figures, counted");
    check(pareto_lorenz_points(&s, 1000) == 0, "all nonpositive: no Lorenz points");

    /* no client at all */
    rank_in_order(items, 0, 1, 0, &cut, &s);
    check(s.clients == 0 && s.positive == 0 && isnan(s.gini), "no client: empty summary");

    /* the client that crosses 80% is A: 60 30 10, shares before 0 .6 .9 */
    static const char *const k3[] = { "a", "b", "c" };
    static const double cross[] = { 60, 30, 10 };
    make(items, k3, cross, 3);
    rank_in_order(items, 3, 1, 0, &cut, &s);
    class_string(items, 3, got);
    check(strcmp(got, "AAB") == 0, "cut: the client crossing 80% is still A (60 30 10: AAB)");

    /* --cut 50,80,95 gives four classes: 40 20 19 11 6 4,
     * shares before 0 .4 .6 .79 .9 .96: A A B B C D */
    static const char *const k6[] = { "a", "b", "c", "d", "e", "f" };
    static const double six[] = { 40, 20, 19, 11, 6, 4 };
    struct pareto_classes four = classes_of(PARETO_CUT, "50,80,95");
    make(items, k6, six, 6);
    rank_in_order(items, 6, 1, 0, &four, &s);
    class_string(items, 6, got);
    check(strcmp(got, "AABBCD") == 0 && s.classes == 4, "cut 50,80,95: four classes AABBCD");
    /* 40 20 20 10 6 4: c (before .6) ties with b (A), so A; B stays empty */
    static const double six_tied[] = { 40, 20, 20, 10, 6, 4 };
    make(items, k6, six_tied, 6);
    rank_in_order(items, 6, 1, 0, &four, &s);
    class_string(items, 6, got);
    check(strcmp(got, "AAACCD") == 0 && s.class_clients[1] == 0,
          "cut 50,80,95 with a tie across 50%: AAACCD, B empty");

    /* exact money decides: 0.7 + 0.1 is 80% of 1.0 exactly (in doubles,
     * 0.7 + 0.1 = 0.7999999999999999) */
    static const double tenths[] = { 0.1, 0.7, 0.1, 0.1 };
    static const char *const kt[] = { "b", "a", "c", "d" };
    make(items, kt, tenths, 4);
    rank_in_order(items, 4, 1, 1, &cut, &s);
    check(s.clients_for_80 == 2, "exact: 0.7 + 0.1 reach 80% of 1.0, clients_for_80 = 2");
    check(close_to(s.share_top20, 0.7), "exact: share_top20 of 0.7 0.1 0.1 0.1 = 0.7");
}

static void test_lorenz(void)
{
    /* ascending 5 5 10 30 50 of 100: (0,0) (.2,.05) (.4,.1) (.6,.2) (.8,.5) (1,1);
     * given out of order: the curve reads them through pareto_rank's order */
    static const char *const keys[] = { "d", "z", "a", "e", "b", "c" };
    static const double values[] = { 5, -1, 50, 5, 30, 10 };
    struct pareto_item items[6];
    size_t order[6];
    struct pareto_summary s;
    struct pareto_classes cut = classes_of(PARETO_CUT, "80,95");
    double x[8], y[8];
    for (int exact = 0; exact <= 1; exact++) {
        make(items, keys, values, 6);
        pareto_rank(items, 6, exact, 0, &cut, order, &s);
        size_t n = pareto_lorenz(items, order, exact, &s, 1000, x, y);
        static const double ex[] = { 0, .2, .4, .6, .8, 1 }, ey[] = { 0, .05, .1, .2, .5, 1 };
        int ok = n == 6;
        for (size_t i = 0; ok && i < 6; i++)
            ok = close_to(x[i], ex[i]) && close_to(y[i], ey[i]);
        check(ok, exact ? "lorenz exact: every point, the -1 client left out"
                        : "lorenz double: every point, the -1 client left out");
        /* 2 segments of 5 clients: counts round(0), round(2.5) = 3, 5 */
        n = pareto_lorenz(items, order, exact, &s, 2, x, y);
        check(n == 3 && x[0] == 0 && y[0] == 0 && close_to(x[1], 0.6) && close_to(y[1], 0.2) &&
              x[2] == 1 && y[2] == 1, "lorenz: 2 segments give (0,0) (.6,.2) (1,1)");
    }
    /* the area under the curve gives the Gini back: 1 - Σ (x1-x0)(y0+y1) */
    double area = 0;
    make(items, keys, values, 6);
    pareto_rank(items, 6, 1, 0, &cut, order, &s);
    size_t n = pareto_lorenz(items, order, 1, &s, 1000, x, y);
    for (size_t i = 1; i < n; i++)
        area += (x[i] - x[i - 1]) * (y[i] + y[i - 1]);
    check(close_to(1 - area, s.gini), "lorenz: 1 - 2 × area = gini (0.46)");
}

static void test_classes_parse(void)
{
    struct pareto_classes c;
    struct diag diag;
    check(pareto_classes_parse(&c, PARETO_CUT, "80,95", &diag) == 0 && c.bounds == 2 &&
          c.bound[0] == 80 * (int64_t)MONEY_SCALE && c.bound[1] == 95 * (int64_t)MONEY_SCALE,
          "classes: cut 80,95");
    check(pareto_classes_parse(&c, PARETO_QUOTA, "20,30", &diag) == 0 && c.bounds == 2 &&
          c.bound[1] == 50 * (int64_t)MONEY_SCALE, "classes: quota 20,30 is cumulative 20,50");
    check(pareto_classes_parse(&c, PARETO_CUT, "62.5", &diag) == 0 &&
          c.bound[0] == 62500000, "classes: a decimal percent");
    check(pareto_classes_parse(&c, PARETO_CUT, "95,80", &diag) != 0 &&
          strstr(diag.message, "must increase"), "classes: cut must increase");
    check(pareto_classes_parse(&c, PARETO_CUT, "0,80", &diag) != 0, "classes: 0 refused");
    check(pareto_classes_parse(&c, PARETO_CUT, "101", &diag) != 0, "classes: 101 refused");
    check(pareto_classes_parse(&c, PARETO_CUT, "80,", &diag) != 0, "classes: empty item refused");
    check(pareto_classes_parse(&c, PARETO_CUT, "x", &diag) != 0 &&
          strcmp(diag.message, "\"x\" is not a percent above 0 and at most 100") == 0,
          "classes: the message names the bad item");
    check(pareto_classes_parse(&c, PARETO_QUOTA, "60,50", &diag) != 0 &&
          strstr(diag.message, "more than 100"), "classes: quotas over 100 refused");
    char many[200] = "1";
    for (int i = 2; i <= 26; i++)
        snprintf(many + strlen(many), sizeof many - strlen(many), ",%d", i);
    check(pareto_classes_parse(&c, PARETO_CUT, many, &diag) != 0, "classes: 27 classes refused");
    many[strlen(many) - 3] = '\0';  /* 1..25: 26 classes */
    check(pareto_classes_parse(&c, PARETO_CUT, many, &diag) == 0 && c.bounds == 25,
          "classes: 26 classes (A-Z) accepted");
}

static void test_migration(void)
{
    /* last period: a A, b B, c C, d -, x A (gone now)
     * now: a 50 (A), b 30 (A), c 15 (B), d 5 (C), n 0 (-) new */
    struct pareto_previous_entry entries[] = {
        { "", "x", 'A', 2, 0 }, { "", "c", 'C', 3, 0 }, { "", "a", 'A', 4, 0 },
        { "", "d", '-', 5, 0 }, { "", "b", 'B', 6, 0 },
    };
    struct pareto_previous p = { entries, 5, 0 };
    struct diag diag;
    check(pareto_previous_index(&p, "prev.csv", &diag) == 0, "previous: index");
    static const char *const keys[] = { "a", "b", "c", "d", "n" };
    static const double values[] = { 50, 30, 15, 5, 0 };
    struct pareto_item items[5];
    struct pareto_summary s;
    struct pareto_classes cut = classes_of(PARETO_CUT, "80,95");
    make(items, keys, values, 5);
    rank_in_order(items, 5, 1, 0, &cut, &s);
    char got[8];
    class_string(items, 5, got);
    /* shares before: 0 .5 .8 .95: A A B C - */
    check(strcmp(got, "AABC-") == 0, "migration: classes now AABC-");
    pareto_previous_match(&p, "", items, 5, &s);
    check(items[0].previous_class == 'A' && items[1].previous_class == 'B' &&
          items[2].previous_class == 'C' && items[3].previous_class == '-' &&
          items[4].previous_class == 0, "migration: previous classes A B C - and none");
    enum { A = 0, B = 1, C = 2 };
    size_t total = 0;
    for (int i = 0; i <= PARETO_NONE; i++)
        for (int j = 0; j <= PARETO_NONE; j++)
            total += s.migrate[i][j];
    check(s.migrate[A][A] == 1 && s.migrate[B][A] == 1 && s.migrate[C][B] == 1 &&
          s.migrate[PARETO_DASH][C] == 1 && s.migrate[PARETO_NONE][PARETO_DASH] == 1 &&
          s.migrate[A][PARETO_NONE] == 1 && total == 6,
          "migration: A>A, B>A, C>B, ->C, new>-, A lost, nothing else");
    check(s.migrate_classes == 3, "migration: 3 classes to report");

    /* duplicates in the previous file */
    struct pareto_previous_entry dup[] = { { "", "k", 'A', 2, 0 }, { "", "k", 'B', 7, 0 } };
    struct pareto_previous pd = { dup, 2, 0 };
    check(pareto_previous_index(&pd, "prev.csv", &diag) != 0 &&
          strcmp(diag.message, "prev.csv:7: key \"k\" appears twice (also line 2)") == 0,
          "previous: a key twice is an error naming both lines");
    /* the same key in two groups is fine, and groups match separately */
    struct pareto_previous_entry grouped[] = {
        { "FR", "k", 'A', 2, 0 }, { "DE", "k", 'B', 3, 0 }, { "DE", "z", 'E', 4, 0 },
    };
    struct pareto_previous pg = { grouped, 3, 0 };
    check(pareto_previous_index(&pg, "prev.csv", &diag) == 0, "previous: one key in two groups");
    static const char *const gk[] = { "k" };
    static const double gv[] = { 1 };
    make(items, gk, gv, 1);
    items[0].group = "DE";
    rank_in_order(items, 1, 1, 0, &cut, &s);
    pareto_previous_match(&pg, "DE", items, 1, &s);
    check(items[0].previous_class == 'B' && s.migrate[B][A] == 1 &&
          s.migrate[4][PARETO_NONE] == 1 && s.migrate_classes == 5,
          "previous: per group, B>A in DE, z (E) lost, classes A..E reported");
    check(pareto_class_parse("A") == 'A' && pareto_class_parse("-") == '-' &&
          pareto_class_parse("a") == 0 && pareto_class_parse("AB") == 0 &&
          pareto_class_parse("") == 0, "previous: class cells A..Z or -");
}

static void test_groups(void)
{
    static const char *const keys[] = { "a", "b", "c", "d" };
    static const double values[] = { 1, 2, 3, 4 };
    struct pareto_item items[4];
    make(items, keys, values, 4);
    items[0].group = "UK";
    items[1].group = "FR";
    items[2].group = "UK";
    items[3].group = "FR";
    pareto_sort_groups(items, 4);
    check(strcmp(items[0].group, "FR") == 0 && items[0].key[0] == 'b' &&
          items[1].key[0] == 'd' && items[2].key[0] == 'a' && items[3].key[0] == 'c',
          "groups: sorted by group, input order kept inside");
}

static void test_column(void)
{
    char path[] = "/tmp/test_pareto_XXXXXX";
    int fd = mkstemp(path);
    FILE *fp = fd >= 0 ? fdopen(fd, "w") : NULL;
    if (!fp) {
        check(0, "column: temporary file");
        return;
    }
    /* ';' file with decimal commas; "1,500" would be ambiguous alone */
    fputs("k;v;w\na;1,500;1e3\nb;2,25;2\nc;;x\nd;-0,5;3\n", fp);
    fclose(fp);
    struct table t;
    struct diag diag;
    struct pareto_column c;
    check(table_load(&t, path, 0, &diag) == 0, "column: load");
    check(pareto_column_read(&c, &t, 1, &diag) == 0, "column: read v");
    check(c.mark == ',' && c.exact && c.decimals == 3 && c.scaled[0] == 1500000 &&
          c.scaled[1] == 2250000 && c.status[2] == PARSE_EMPTY && c.scaled[3] == -500000 &&
          c.value[3] == -0.5, "column: decimal comma sniffed over the column, exact money");
    pareto_column_free(&c);
    check(pareto_column_read(&c, &t, 2, &diag) == 0 && !c.exact && c.value[0] == 1000 &&
          c.status[2] == PARSE_INVALID, "column: an exponent makes the column inexact");
    pareto_column_free(&c);
    pareto_column_free(&c);  /* twice: a freed column is zeroed */
    table_free(&t);
    /* nothing tells the mark: ',' in a ';' file, "1,500" ambiguous in a ',' file */
    fp = fopen(path, "w");
    fputs("k;v\na;1,500\n", fp);
    fclose(fp);
    check(table_load(&t, path, 0, &diag) == 0 && pareto_column_read(&c, &t, 1, &diag) == 0 &&
          c.mark == ',' && c.status[0] == PARSE_OK && c.scaled[0] == 1500000,
          "column: a ';' file is presumed to use the decimal comma");
    pareto_column_free(&c);
    table_free(&t);
    fp = fopen(path, "w");
    fputs("k,v\na,\"1,500\"\n", fp);
    fclose(fp);
    check(table_load(&t, path, 0, &diag) == 0 && pareto_column_read(&c, &t, 1, &diag) == 0 &&
          c.mark == 0 && c.status[0] == PARSE_AMBIGUOUS, "column: \"1,500\" alone is ambiguous");
    pareto_column_free(&c);
    table_free(&t);
    unlink(path);
}

/* The order of rank: value descending, ties by key (strcmp), then by row,
 * checked against qsort with that comparison written out here, on 20,000
 * items whose values take 40 levels (runs of hundreds of ties) and whose
 * keys of 0 to 20 bytes share long prefixes, repeat (the same key on two
 * rows), and hold high bytes. */
static int compare_reference(const void *a, const void *b)
{
    const struct pareto_item *x = a, *y = b;
    if (x->scaled != y->scaled)
        return x->scaled > y->scaled ? -1 : 1;
    int c = strcmp(x->key, y->key);
    if (c != 0)
        return c;
    return (x->row > y->row) - (x->row < y->row);
}

static int compare_reference_double(const void *a, const void *b)
{
    const struct pareto_item *x = a, *y = b;
    if (x->value != y->value)
        return x->value > y->value ? -1 : 1;
    int c = strcmp(x->key, y->key);
    if (c != 0)
        return c;
    return (x->row > y->row) - (x->row < y->row);
}

static void test_tie_order(void)
{
    enum { N = 20000 };
    static char keys[N][24];
    struct pareto_item *items = calloc(N, sizeof *items), *want = calloc(N, sizeof *want);
    if (!items || !want)
        abort();
    uint64_t st = 0x9E3779B97F4A7C15ull;
    for (size_t i = 0; i < N; i++) {
        st ^= st << 13;
        st ^= st >> 7;
        st ^= st << 17;
        size_t len = st % 21;
        for (size_t k = 0; k < len; k++) {
            static const char alphabet[] = { 'a', 'b', '0', '\xC3', '\xA9', 'z' };
            /* the first 9 bytes mostly alike: ties past the 8-byte prefix */
            keys[i][k] = k < 9 && (st >> (k + 8)) % 4 ? 'a' : alphabet[(st >> (2 * k + 20)) % 6];
        }
        keys[i][len] = '\0';
        if (i > 0 && st % 17 == 0)
            memcpy(keys[i], keys[i - 1], sizeof keys[i]);
        items[i].row = i;
        items[i].key = keys[i];
        items[i].group = "";
        items[i].scaled = ((int64_t)((st >> 40) % 40) - 5) * MONEY_SCALE;
        items[i].value = (double)items[i].scaled / MONEY_SCALE;
    }
    struct pareto_classes classes = classes_of(PARETO_CUT, "80,95");
    struct pareto_summary summary;
    size_t *order = calloc(N, sizeof *order);
    if (!order)
        abort();
    for (int exact = 1; exact >= 0; exact--) {
        if (!exact)     /* doubles: zeros of either sign are equal, ties by key */
            for (size_t i = 0; i < N; i++)
                if (items[i].scaled == 0 && i % 2)
                    items[i].value = -0.0;
        memcpy(want, items, N * sizeof *items);
        qsort(want, N, sizeof *want, exact ? compare_reference : compare_reference_double);
        pareto_rank(items, N, exact, 2, &classes, order, &summary);
        int same = 1;
        for (size_t i = 0; i < N && same; i++)
            same = items[order[i]].row == want[i].row && items[i].row == i;
        check(same, exact ? "rank order of 20000 items with runs of ties and keys alike in 9 "
                            "bytes: that of qsort by value, key, row; the items not moved"
                          : "the same with the values as doubles, -0 and 0 among them");
        /* the figures in rank order are the items' (NaN for the nonpositive) */
        size_t nans = 0;
        for (size_t i = 0; i < N; i++)
            nans += isnan(items[i].share) != 0;
        check(check_ranked(items, N, exact, 2, &classes, order, &summary) && nans > 0 &&
              nans < N, exact ? "pareto_rank_ranked: the same order and summary on 20000 "
                                "items with ties, ranked[i] the figures of items[order[i]]"
                              : "the same with doubles");
    }
    free(order);
    free(items);
    free(want);
}

/* The bytes of pareto_table_rows to a FILE (threads: its writer's; 0 the
 * default, two threads for many rows) or to memory (threads < 0), in *len;
 * NULL when something failed. */
struct rows_case {
    const struct table *t;
    const struct pareto_item *items;
    const size_t *order;
    const struct pareto_group *groups;
    size_t count;
    long group_col;
    int semicolon, with_previous;
};

static char *rows_bytes(const struct rows_case *c, const struct pareto_ranked *ranked,
                        int threads, size_t *len)
{
    struct csvout out;
    struct buf mem;
    buf_init(&mem, 0);
    FILE *file = threads >= 0 ? tmpfile() : NULL;
    if (threads >= 0 && !file)
        return NULL;
    csvout_init(&out, file, 0);
    if (c->semicolon)
        csvout_set_delimiter(&out, ';');
    if (threads < 0) {
        struct csvout like = out;
        csvout_init_mem(&out, &mem, &like);
    }
    out.threads = threads > 0 ? threads : 0;
    struct diag diag;
    if (pareto_table_rows(&out, c->t, c->items, c->order, ranked, c->groups, c->count, 0,
                          c->group_col, c->with_previous, &diag) != 0) {
        if (file)
            fclose(file);
        buf_free(&mem);
        return NULL;
    }
    if (threads < 0) {
        *len = mem.len;
        if (mem.failed) {
            buf_free(&mem);
            return NULL;
        }
        return mem.data;    /* the buffer's, freed by the caller */
    }
    long size = ftell(file);
    char *bytes = size > 0 ? malloc((size_t)size) : NULL;
    rewind(file);
    if (bytes && fread(bytes, 1, (size_t)size, file) != (size_t)size) {
        free(bytes);
        bytes = NULL;
    }
    fclose(file);
    *len = (size_t)size;
    return bytes;
}

/* cl-pareto's rows of a large table to a FILE (two threads formatting
 * blocks of rows by turns, or one) and to memory (one writer, row after
 * row), from the items or from pareto_rank_ranked's figures in rank order:
 * the same bytes; for the ';' dialect too, and with groups, one of them
 * only in the previous period (no rows, between two that have some) and
 * previous classes. 150,000 rows, a quoted cell with a space or a
 * delimiter every 7th row, tiny shares. The reference is one writer to
 * memory from the items. */
static void test_rows_parallel(void)
{
    enum { N = 150000 };
    char path[] = "/tmp/test_pareto_rows_XXXXXX";
    int fd = mkstemp(path);
    FILE *fp = fd >= 0 ? fdopen(fd, "w") : NULL;
    if (!fp) {
        check(0, "rows: temporary file");
        return;
    }
    fputs("customer,revenue,note,region\n", fp);
    for (int i = 0; i < N; i++)
        fprintf(fp, "c%d,%d.%02d,%s,%s\n", i * 7919 % N, i % 977, i % 100,
                i % 7 == 0 ? "\"a b\"" : i % 7 == 1 ? "\"x,y\"" : "n", i % 3 ? "EU" : "US");
    fclose(fp);
    struct table t;
    struct diag diag;
    struct pareto_column c;
    int ok = table_load(&t, path, 0, &diag) == 0 && pareto_column_read(&c, &t, 1, &diag) == 0;
    unlink(path);
    check(ok, "rows: load the table");
    if (!ok)
        return;
    struct pareto_item *items = calloc(N, sizeof *items);
    size_t *order = calloc(N, sizeof *order);
    struct pareto_ranked *ranked = calloc(N, sizeof *ranked);
    /* last period: a few clients of EU and US, and FR, gone since */
    static const struct pareto_previous_entry before[] = {
        { "EU", "c1", 'B', 2, 0 }, { "US", "c0", 'A', 3, 0 }, { "FR", "c5", 'A', 4, 0 },
        { "EU", "c7919", '-', 5, 0 }, { "US", "c15838", 'C', 6, 0 },
    };
    struct pareto_previous_entry entries[5];
    struct pareto_previous previous = { entries, 5, 0 };
    struct pareto_classes classes = classes_of(PARETO_CUT, "80,95");
    int same = items && order && ranked, variants = 0, empty_group = 0;
    for (int grouped = 0; grouped <= 1 && same; grouped++)
        for (int semicolon = 0; semicolon <= 1 && same; semicolon++) {
            for (size_t i = 0; i < N; i++)
                items[i] = (struct pareto_item){ .row = i, .key = table_cell(&t, i, 0),
                    .group = grouped ? table_cell(&t, i, 3) : "", .value = c.value[i],
                    .scaled = c.scaled[i] };
            if (grouped)
                pareto_sort_groups(items, N);
            memcpy(entries, before, sizeof entries);
            if (grouped && pareto_previous_index(&previous, "before", &diag) != 0)
                same = 0;
            size_t count;
            struct pareto_group *groups = pareto_table_groups(items, N, grouped ? &previous : NULL,
                                                              grouped, &count, &diag);
            for (size_t g = 0; groups && g < count; g++) {
                /* the figures in rank order first, then into the items */
                pareto_rank_ranked(items + groups[g].first, groups[g].count, c.exact,
                                   c.decimals, &classes, order + groups[g].first,
                                   ranked + groups[g].first, &groups[g].summary);
                pareto_rank(items + groups[g].first, groups[g].count, c.exact, c.decimals,
                            &classes, order + groups[g].first, &groups[g].summary);
                for (size_t i = 0; i < groups[g].count; i++)
                    order[groups[g].first + i] += groups[g].first;
                if (grouped)
                    pareto_previous_match(&previous, groups[g].name, items + groups[g].first,
                                          groups[g].count, &groups[g].summary);
                empty_group |= groups[g].count == 0 && g + 1 < count;
            }
            if (!groups) {
                same = 0;
                break;
            }
            struct rows_case rc = { &t, items, order, groups, count, grouped ? 3 : -1,
                                    semicolon, grouped };
            size_t want_len, len;
            char *want = rows_bytes(&rc, NULL, -1, &want_len);
            /* the FILE with the default threads, then one; from the items
             * and from ranked; memory from ranked */
            static const int threads[] = { 0, 1, 0, 1, -1 };
            for (int v = 0; v < 5 && want && same; v++) {
                char *got = rows_bytes(&rc, v < 2 ? NULL : ranked, threads[v], &len);
                same = got && len == want_len && memcmp(got, want, len) == 0;
                if (!same)
                    printf("# grouped %d, ';' %d, case %d: %zu bytes, %zu wanted\n", grouped,
                           semicolon, v, got ? len : 0, want_len);
                variants += same;
                free(got);
            }
            same = same && want && want_len > 0;
            free(want);
            free(groups);
        }
    check(same && variants == 20 && empty_group,
          "rows: 150000 rows to a FILE by two threads or one, from the items or from the "
          "figures in rank order, are the bytes of one writer to memory from the items (',' "
          "and ';', with and without groups, a group with no rows, previous classes)");
    free(items);
    free(order);
    free(ranked);
    pareto_column_free(&c);
    table_free(&t);
}

/* cl-pareto's way since the rows are made from spans: the figures in rank
 * order, the items and their order freed (NULL), at one and two threads,
 * against one writer to memory from the items; tables of 1, 2 and 3 rows
 * and around the writer's block boundaries (two threads from 16,384 rows,
 * blocks of an eighth of the rows up to 32,768), values with long runs of ties, a cell needing
 * quotes every 11th row (its row not one span), an empty cell. */
static void test_rows_sizes(void)
{
    static const size_t sizes[] = { 1, 2, 3, 16383, 16384, 20001, 131071, 131072, 131073,
                                    196613 };
    int all = 1, cases = 0;
    for (size_t z = 0; z < sizeof sizes / sizeof *sizes; z++) {
        size_t n = sizes[z];
        char path[] = "/tmp/test_pareto_sizes_XXXXXX";
        int fd = mkstemp(path);
        FILE *fp = fd >= 0 ? fdopen(fd, "w") : NULL;
        if (!fp) {
            all = 0;
            break;
        }
        fputs("customer,revenue,note\n", fp);
        for (size_t i = 0; i < n; i++)
            fprintf(fp, "k%zu,%zu.%02zu,%s\n", (i * 7919) % (n + 13), i % 40, (i % 3) * 25,
                    i % 11 == 5 ? "\"p q\"" : i % 11 == 6 ? "" : "text-of-the-row");
        fclose(fp);
        struct table t;
        struct diag diag;
        struct pareto_column c;
        int ok = table_load(&t, path, 0, &diag) == 0 && pareto_column_read(&c, &t, 1, &diag) == 0;
        unlink(path);
        if (!ok) {
            all = 0;
            break;
        }
        struct pareto_item *items = calloc(n, sizeof *items);
        size_t *order = calloc(n, sizeof *order);
        struct pareto_ranked *ranked = calloc(n, sizeof *ranked);
        struct pareto_classes classes = classes_of(PARETO_QUOTA, "20,30");
        for (size_t i = 0; items && i < n; i++)
            items[i] = (struct pareto_item){ .row = i, .key = table_cell(&t, i, 0), .group = "",
                                             .value = c.value[i], .scaled = c.scaled[i] };
        size_t count;
        struct pareto_group *groups = items ? pareto_table_groups(items, n, NULL, 0, &count, &diag)
                                            : NULL;
        if (!groups || !order || !ranked) {
            all = 0;
        } else {
            pareto_rank_ranked(items, n, c.exact, c.decimals, &classes, order, ranked,
                               &groups[0].summary);
            pareto_rank(items, n, c.exact, c.decimals, &classes, order, &groups[0].summary);
            struct rows_case from_items = { &t, items, order, groups, count, -1, 0, 0 };
            struct rows_case from_ranked = { &t, NULL, NULL, groups, count, -1, 0, 0 };
            size_t want_len, len;
            char *want = rows_bytes(&from_items, NULL, -1, &want_len);
            for (int threads = 0; threads <= 1 && want; threads++) {
                char *got = rows_bytes(&from_ranked, ranked, threads, &len);
                int same = got && len == want_len && memcmp(got, want, len) == 0;
                if (!same)
                    printf("# %zu rows, threads %d: %zu bytes, %zu wanted\n", n, threads,
                           got ? len : 0, want_len);
                all &= same;
                cases += same;
                free(got);
            }
            all &= want != NULL;
            free(want);
        }
        free(groups);
        free(items);
        free(order);
        free(ranked);
        pareto_column_free(&c);
        table_free(&t);
    }
    check(all && cases == 2 * (int)(sizeof sizes / sizeof *sizes), "rows from the figures in rank order, the items freed: 1 to "
          "196613 rows around the blocks, ties, quoted cells, at one and two threads, are the "
          "bytes of one writer from the items");
}

/* pareto_rank_column: a table's usable rows ranked without items, against
 * items of the same rows ranked by pareto_rank_ranked (whose order
 * test_tie_order checks against qsort), bit for bit, on 3,000 rows with
 * runs of ties, keys past 8 bytes, a repeated key, and rows left out (an
 * empty value or key, text); then a small case worked by hand. */
static int rank_column_matches(const char *path, const struct pareto_classes *classes)
{
    struct table t;
    struct diag diag;
    struct pareto_column c;
    if (table_load(&t, path, 0, &diag) != 0 || pareto_column_read(&c, &t, 1, &diag) != 0)
        return 0;
    size_t rows = t.rows, n = 0, count = 0;
    struct pareto_item *items = calloc(rows, sizeof *items);
    size_t *order = calloc(rows, sizeof *order);
    struct pareto_ranked *want = calloc(rows, sizeof *want), *got = calloc(rows, sizeof *got);
    if (!items || !order || !want || !got)
        abort();
    for (size_t i = 0; i < rows; i++)
        if (c.status[i] == PARSE_OK && table_cell(&t, i, 0)[0] != '\0')
            items[n++] = (struct pareto_item){ .row = i, .key = table_cell(&t, i, 0), .group = "",
                                               .value = c.value[i], .scaled = c.scaled[i] };
    struct pareto_summary a, b;
    pareto_rank_ranked(items, n, c.exact, c.decimals, classes, order, want, &a);
    int ok = pareto_rank_column(&t, 0, &c, classes, got, NULL, &count, &b, &diag) == 0 &&
             count == n && n < rows && memcmp(want, got, n * sizeof *got) == 0 &&
             memcmp(&a, &b, sizeof a) == 0 && c.value == NULL;
    /* the summary alone (no ranked rows), with the Lorenz curve sampled
     * (50 segments) and whole (more segments than clients): the same
     * summary, and the points pareto_lorenz gives from the items */
    static double x[4001], y[4001], cx[4001], cy[4001];
    for (size_t segments = 50; segments <= 4000; segments += 3950) {
        struct pareto_curve curve = { segments, cx, cy, 0 };
        memset(&b, 0xff, sizeof b);
        ok = ok && pareto_column_read(&c, &t, 1, &diag) == 0 &&
             pareto_rank_column(&t, 0, &c, classes, NULL, &curve, &count, &b, &diag) == 0 &&
             count == n && memcmp(&a, &b, sizeof a) == 0;
        size_t points = pareto_lorenz(items, order, a.exact, &a, segments, x, y);
        ok = ok && points > 2 && curve.points == points &&
             (segments > n || points == segments + 1) &&
             memcmp(x, cx, points * sizeof *x) == 0 && memcmp(y, cy, points * sizeof *y) == 0;
    }
    free(items);
    free(order);
    free(want);
    free(got);
    pareto_column_free(&c);
    table_free(&t);
    return ok;
}

static void test_rank_column(void)
{
    char path[] = "/tmp/test_pareto_XXXXXX";
    int fd = mkstemp(path);
    struct pareto_classes cut = classes_of(PARETO_CUT, "80,95");
    struct pareto_classes quota = classes_of(PARETO_QUOTA, "20,30");
    for (int exact = 1; exact >= 0; exact--) {
        FILE *fp = fd >= 0 ? fopen(path, "w") : NULL;
        if (!fp) {
            check(0, "rank by column: temporary file");
            return;
        }
        fputs("key,value\n", fp);
        uint64_t st = 0x2545F4914F6CDD1Dull;
        for (int i = 0; i < 3000; i++) {
            st ^= st << 13;
            st ^= st >> 7;
            st ^= st << 17;
            /* keys of 1 to 12 bytes, the first 9 mostly alike */
            char key[16];
            size_t len = 1 + st % 12;
            for (size_t k = 0; k < len; k++)
                key[k] = (char)((st >> (k + 5)) % 5 ? 'a' : 'b' + (st >> (3 * k)) % 3);
            key[len] = '\0';
            long units = (long)((st >> 33) % 30) - 4;    /* runs of ties, some <= 0 */
            if (st % 97 == 0)
                fprintf(fp, ",%ld\n", units);           /* an empty key: left out */
            else if (st % 89 == 0)
                fprintf(fp, "%s,\n", key);              /* an empty value */
            else if (st % 83 == 0)
                fprintf(fp, "%s,n/a\n", key);           /* text */
            else if (!exact && i == 1)
                fprintf(fp, "%s,3e1\n", key);           /* an exponent: doubles */
            else
                fprintf(fp, "%s,%ld.%02d\n", i % 50 ? key : "aaaa", units, (int)(st % 2) * 50);
        }
        fclose(fp);
        check(rank_column_matches(path, &cut), exact ? "rank by column: as items, exact money"
                                                     : "rank by column: as items, doubles");
        check(rank_column_matches(path, &quota), exact ? "rank by column: as items, quota"
                                                       : "rank by column: as items, quota, doubles");
    }
    /* by hand: usable b 5 (row 0), a 5 (row 1), d 10 (row 4), e -1 (row 5);
     * d first, the tie a before b by key, e last; total 20: shares 0.5,
     * 0.25, 0.25; cut 80,95: d A (0% before it), a A (50% before), b A
     * (a's tie), e '-' */
    FILE *fp = fopen(path, "w");
    if (fp) {
        fputs("k,v\nb,5\na,5\n,9\nc,x\nd,10\ne,-1\n", fp);
        fclose(fp);
    }
    struct table t;
    struct diag diag;
    struct pareto_column c;
    struct pareto_ranked r[6];
    struct pareto_summary s;
    size_t count = 0;
    int ok = fp && table_load(&t, path, 0, &diag) == 0 &&
             pareto_column_read(&c, &t, 1, &diag) == 0 &&
             pareto_rank_column(&t, 0, &c, &cut, r, NULL, &count, &s, &diag) == 0;
    check(ok && count == 4 && r[0].row == 4 && r[1].row == 1 && r[2].row == 0 && r[3].row == 5 &&
          r[0].share == 0.5 && r[1].share == 0.25 && r[2].cum_share == 1 &&
          r[0].class_letter == 'A' && r[1].class_letter == 'A' && r[2].class_letter == 'A' &&
          r[3].class_letter == '-' && isnan(r[3].share) && s.positive == 3 &&
          s.nonpositive == 1 && s.total_scaled == 20 * MONEY_SCALE,
          "rank by column: a small case by hand");
    if (ok) {
        pareto_column_free(&c);
        table_free(&t);
    }
    if (fd >= 0) {
        close(fd);
        unlink(path);
    }
}

int main(void)
{
    test_rows_parallel();
    test_rows_sizes();
    test_tie_order();
    test_small_case(1);
    test_small_case(0);
    test_edges();
    test_lorenz();
    test_classes_parse();
    test_migration();
    test_groups();
    test_column();
    test_rank_column();
    return 0;
}
