/* Unit tests of lib/score: every expected figure is worked out by hand in
 * the comment next to it. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "score.h"

static int failures;

static void check(int ok, const char *name)
{
    printf("%s - %s\n", ok ? "ok" : "not ok", name);
    if (!ok)
        failures++;
}

static int same_scores(const unsigned char *got, const char *expected, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (got[i] != expected[i] - '0')
            return 0;
    return 1;
}

static void test_quintiles(void)
{
    struct diag diag;
    unsigned char q[16];
    /* 1..10: midrank r, score 1 + floor(5 (r - .5) / 10): two per quintile */
    double ten[] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 };
    check(score_quintiles(ten, NULL, 10, 0, q, &diag) == 0 && same_scores(q, "1122334455", 10),
          "quintiles: 1..10 give 1122334455");
    /* lower is better: 1 day ago is best */
    check(score_quintiles(ten, NULL, 10, 1, q, &diag) == 0 && same_scores(q, "5544332211", 10),
          "quintiles: lower is better reverses them");
    /* shuffled input: the same score per value */
    double shuffled[] = { 7, 2, 10, 5, 1, 9, 3, 8, 6, 4 };
    check(score_quintiles(shuffled, NULL, 10, 0, q, &diag) == 0 &&
          same_scores(q, "4153152432", 10), "quintiles: input order does not matter");
    /* five tied 1s take ranks 1..5, midrank 3: 1 + floor(5 × 2.5 / 10) = 2;
     * 2 (rank 6): 1 + floor(27.5/10) = 3; 3: 1 + 3 = 4; 4: 4; 5: 5; 6: 5 */
    double tied[] = { 1, 2, 1, 3, 1, 4, 1, 5, 1, 6 };
    check(score_quintiles(tied, NULL, 10, 0, q, &diag) == 0 &&
          same_scores(q, "2324242525", 10), "quintiles: ties share one score (midrank)");
    /* a tie straddling a quintile edge is never split: 1 2 2 3 3 */
    double edge[] = { 3, 2, 3, 1, 2 };
    /* ranks: 1 → 1; 2,2 → 2,3 (mid 2.5): 1 + floor(5 × 2 / 5) = 3;
     * 3,3 → 4,5 (mid 4.5): 1 + floor(5 × 4 / 5) = 5; 1: 1 + floor(.5) = 1 */
    check(score_quintiles(edge, NULL, 5, 0, q, &diag) == 0 && same_scores(q, "53513", 5),
          "quintiles: a tie across an edge gets one score");
    double equal[] = { 4, 4, 4, 4, 4, 4, 4 };
    check(score_quintiles(equal, NULL, 7, 0, q, &diag) == 0 && same_scores(q, "3333333", 7),
          "quintiles: all equal give 3");
    double single[] = { 42 };
    check(score_quintiles(single, NULL, 1, 0, q, &diag) == 0 && q[0] == 3,
          "quintiles: a single client gets 3");
    /* exact values decide equality: 2 distinct values that are one double */
    double near[] = { 9007199254.740991, 9007199254.740992 };
    int64_t scaled[] = { 9007199254740991, 9007199254740992 };
    check(near[0] == near[1], "quintiles: (the two doubles are equal)");
    check(score_quintiles(near, scaled, 2, 0, q, &diag) == 0 && q[0] == 2 && q[1] == 4,
          "quintiles: scaled money tells them apart (2 and 4)");
    check(score_quintiles(near, NULL, 2, 0, q, &diag) == 0 && q[0] == 3 && q[1] == 3,
          "quintiles: doubles alone tie them (3 and 3)");
}

static void test_normalize(void)
{
    struct diag diag;
    double out[8];
    double v[] = { 30, 10, 40, 20 };
    /* ranks 3 1 4 2: (r - .5) / 4 */
    check(score_normalize(v, NULL, 4, SCORE_RANK, 0, out, &diag) == 0 && out[0] == 0.625 &&
          out[1] == 0.125 && out[2] == 0.875 && out[3] == 0.375, "normalize rank: (r - .5) / n");
    check(score_normalize(v, NULL, 4, SCORE_RANK, 1, out, &diag) == 0 && out[0] == 0.375 &&
          out[1] == 0.875 && out[2] == 0.125 && out[3] == 0.625,
          "normalize rank, lower better: 1 - that");
    double tied[] = { 5, 5, 9 };
    /* 5,5: ranks 1,2, midrank 1.5: 1/3; 9: 2.5/3 */
    check(score_normalize(tied, NULL, 3, SCORE_RANK, 0, out, &diag) == 0 &&
          fabs(out[0] - 1.0 / 3) < 1e-15 && out[0] == out[1] && fabs(out[2] - 2.5 / 3) < 1e-15,
          "normalize rank: ties share the midrank");
    check(score_normalize(v, NULL, 4, SCORE_MINMAX, 0, out, &diag) == 0 &&
          fabs(out[0] - 2.0 / 3) < 1e-15 && out[1] == 0 && out[2] == 1 &&
          fabs(out[3] - 1.0 / 3) < 1e-15, "normalize minmax: (x - min) / (max - min)");
    check(score_normalize(v, NULL, 4, SCORE_MINMAX, 1, out, &diag) == 0 && out[1] == 1 &&
          out[2] == 0, "normalize minmax, lower better: (max - x) / (max - min)");
    double equal[] = { 2, 2 };
    check(score_normalize(equal, NULL, 2, SCORE_MINMAX, 0, out, &diag) == 0 && out[0] == 0.5 &&
          out[1] == 0.5, "normalize minmax: all equal give 0.5");
    check(score_normalize(equal, NULL, 2, SCORE_RANK, 0, out, &diag) == 0 && out[0] == 0.5,
          "normalize rank: all equal give 0.5");
    check(score_normalize(equal, NULL, 0, SCORE_RANK, 0, out, &diag) == 0,
          "normalize: no value at all");
}

static void test_segments(void)
{
    static const struct { int r, f, m; const char *segment; } cases[] = {
        { 5, 5, 5, "champions" }, { 4, 4, 4, "loyal" }, { 4, 5, 4, "loyal" },
        { 5, 4, 4, "champions" }, { 5, 1, 1, "new" }, { 4, 1, 1, "promising" },
        { 5, 2, 3, "potential loyalists" },  /* fm = (2+3+1)/2 = 3 */
        { 4, 1, 2, "potential loyalists" },  /* fm = 2 */
        { 3, 3, 3, "need attention" }, { 3, 1, 2, "about to sleep" },
        { 3, 5, 3, "loyal" },                /* fm = 4 */
        { 2, 3, 4, "at risk" },              /* fm = 4 */
        { 1, 3, 3, "at risk" }, { 2, 5, 5, "cannot lose them" }, { 1, 5, 4, "cannot lose them" },
        { 2, 1, 1, "hibernating" }, { 2, 2, 2, "hibernating" }, { 1, 1, 2, "lost" },
        { 1, 2, 2, "lost" },
    };
    int ok = 1;
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
        if (strcmp(score_segment(cases[i].r, cases[i].f, cases[i].m), cases[i].segment) != 0) {
            printf("# %d%d%d: %s\n", cases[i].r, cases[i].f, cases[i].m,
                   score_segment(cases[i].r, cases[i].f, cases[i].m));
            ok = 0;
        }
    check(ok, "segments: the rule table, case by case");
    /* every cell has one of the 11 names */
    static const char *const names[] = { "champions", "loyal", "potential loyalists", "new",
                                         "promising", "need attention", "about to sleep",
                                         "at risk", "cannot lose them", "hibernating", "lost" };
    int seen[11] = { 0 }, all = 1;
    for (int r = 1; r <= 5; r++)
        for (int f = 1; f <= 5; f++)
            for (int m = 1; m <= 5; m++) {
                const char *s = score_segment(r, f, m);
                int found = 0;
                for (int k = 0; k < 11; k++)
                    if (strcmp(s, names[k]) == 0)
                        seen[k] = found = 1;
                all &= found;
            }
    for (int k = 0; k < 11; k++)
        all &= seen[k];
    check(all, "segments: all 125 scores named, all 11 segments used");
    check(strcmp(score_segment(0, 1, 1), "") == 0, "segments: out of range gives \"\"");
}

static void test_grid(void)
{
    struct score_grid g;
    struct diag diag;
    check(score_grid_parse(&g, "margin=0.5,potential=0.3,relation=0.2", &diag) == 0 &&
          g.count == 3 && !g.weights_normalized && strcmp(g.criteria[1].name, "potential") == 0 &&
          fabs(g.criteria[0].normalized - 0.5) < 1e-15, "grid: weights that sum to 1");
    score_grid_free(&g);
    check(score_grid_parse(&g, "a=2,recency_days=-1", &diag) == 0 && g.weights_normalized &&
          g.weight_sum == 3 && g.criteria[1].lower_better && !g.criteria[0].lower_better &&
          fabs(g.criteria[0].normalized - 2.0 / 3) < 1e-15,
          "grid: weights 2 and -1 normalised to 2/3 and 1/3, lower better");
    /* n = (1, .5): 100 × (2/3 × 1 + 1/3 × .5) = 83.33... */
    double n[] = { 1, 0.5 };
    check(fabs(score_grid_score(&g, n) - 250.0 / 3) < 1e-12, "grid: score 100 × Σ w n");
    score_grid_free(&g);
    check(score_grid_parse(&g, "a=0.5,b=0.3,c=-0.2", &diag) == 0 && !g.weights_normalized,
          "grid: |weights| summing to 1 need no note");
    score_grid_free(&g);
    static const struct { const char *spec, *message; } bad[] = {
        { "margin", "\"margin\" is not NAME=WEIGHT" },
        { "=1", "\"=1\" is not NAME=WEIGHT" },
        { "a=0", "weight \"0\" of \"a\" is not a non-zero number" },
        { "a=x", "weight \"x\" of \"a\" is not a non-zero number" },
        { "a=1,,b=1", "\"\" is not NAME=WEIGHT" },
        { "a=1,a=2", "criterion \"a\" given twice" },
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        char name[100];
        int failed = score_grid_parse(&g, bad[i].spec, &diag) != 0;
        snprintf(name, sizeof name, "grid: \"%s\" refused", bad[i].spec);
        check(failed && strcmp(diag.message, bad[i].message) == 0, name);
        if (!failed || strcmp(diag.message, bad[i].message) != 0)
            printf("# %s\n", diag.message);
        score_grid_free(&g);
    }
}

/* Ranks by the radix sort against a direct count: m2 = 2 x (values below)
 * + (values equal), on 3,000 values with many ties, negatives, and -0
 * beside +0 (equal as numbers), both as doubles and as scaled integers. */
static void test_ranks_counted(void)
{
    enum { N = 3000 };
    static double v[N], out[N];
    static int64_t sc[N];
    static unsigned char q[N];
    unsigned long long state = 99;
    for (int i = 0; i < N; i++) {
        state = state * 6364136223846793005ull + 1442695040888963407ull;
        long x = (long)((state >> 33) % 401) - 200;     /* -200..200: ties */
        sc[i] = (int64_t)x * 1000000;
        v[i] = x == 0 ? (i % 2 ? -0.0 : 0.0) : (double)x / 7;
        if (i % 97 == 0) {
            v[i] = (double)x * 1e300;                   /* far apart, both signs */
            sc[i] = (int64_t)x * 40000000000000000;
        }
    }
    struct diag diag;
    int ok_d = 1, ok_s = 1, ok_q = 1;
    for (int lower = 0; lower <= 1; lower++) {
        int ok_call = score_normalize(v, NULL, N, SCORE_RANK, lower, out, &diag) == 0;
        for (int i = 0; ok_call && i < N; i++) {
            long below = 0, equal = 0;
            for (int j = 0; j < N; j++) {
                below += v[j] < v[i];
                equal += v[j] == v[i];
            }
            long m2 = 2 * below + equal;
            double want = (double)(lower ? 2 * N - m2 : m2) / (2.0 * N);
            ok_d = ok_d && out[i] == want;
        }
        ok_d = ok_d && ok_call;
        ok_call = score_quintiles(NULL, sc, N, lower, q, &diag) == 0;
        int ok_call2 = score_normalize(NULL, sc, N, SCORE_RANK, lower, out, &diag) == 0;
        for (int i = 0; ok_call && ok_call2 && i < N; i++) {
            long below = 0, equal = 0;
            for (int j = 0; j < N; j++) {
                below += sc[j] < sc[i];
                equal += sc[j] == sc[i];
            }
            long m2 = 2 * below + equal, m = lower ? 2 * N - m2 : m2;
            ok_s = ok_s && out[i] == (double)m / (2.0 * N);
            ok_q = ok_q && q[i] == 1 + 5 * m / (2 * N);
        }
        ok_s = ok_s && ok_call && ok_call2;
        ok_q = ok_q && ok_call;
    }
    check(ok_d, "ranks: doubles (ties, negatives, -0 = +0) as counted directly");
    check(ok_s, "ranks: scaled integers (ties, both signs) as counted directly");
    check(ok_q, "ranks: quintiles of scaled integers as counted directly");
}

/* Quintiles from the column itself (score_quintile_cuts, then
 * score_quintile_of for each value) against the direct count: 1 +
 * floor(5 x m2 / 2n), m2 = 2 x (values below) + (values equal), over the
 * usable rows only, on 3,001 rows (one in 7 not usable) with runs of
 * ties that straddle the cuts, negatives, -0 beside +0, values apart in
 * every 16 bits of their keys, as doubles and as scaled integers, both
 * directions; and against score_quintiles on every row; then n = 0, 1, 2,
 * all equal and 1..10 lower-better by hand. */
static unsigned char direct_quintile(const double *v, const int64_t *sc,
                                     const unsigned char *usable, int n_rows, int i,
                                     int lower)
{
    long below = 0, equal = 0, n = 0;
    for (int j = 0; j < n_rows; j++) {
        if (usable && !usable[j])
            continue;
        n++;
        below += sc ? sc[j] < sc[i] : v[j] < v[i];
        equal += sc ? sc[j] == sc[i] : v[j] == v[i];
    }
    long m2 = 2 * below + equal, m = lower ? 2 * n - m2 : m2;
    return (unsigned char)(1 + 5 * m / (2 * n));
}

static void test_quintile_cuts(void)
{
    enum { N = 3001 };
    static double v[N];
    static int64_t sc[N];
    static unsigned char q[N], usable[N];
    unsigned long long state = 7;
    for (int i = 0; i < N; i++) {
        state = state * 6364136223846793005ull + 1442695040888963407ull;
        long x = (long)((state >> 33) % 23) - 11;        /* -11..11: long runs of ties */
        sc[i] = (int64_t)x * 1000000;
        v[i] = x == 0 ? (i % 2 ? -0.0 : 0.0) : (double)x / 3;
        if (i % 5 == 0) {       /* and scattered values, apart in high and low bits */
            long y = (long)((state >> 20) % 2001) - 1000;
            sc[i] = (int64_t)y * 1000003 + (int64_t)(state % 3) * ((int64_t)1 << 50);
            v[i] = (double)y * 1e-3 * (i % 3 ? 1 : 1e200);
        }
        usable[i] = i % 7 != 3;
    }
    struct diag diag;
    int ok_direct = 1, ok_same = 1, counts_ok = 1;
    for (int exact = 0; exact <= 1; exact++)
        for (int lower = 0; lower <= 1; lower++)
            for (int masked = 0; masked <= 1; masked++) {
                const double *values = exact ? NULL : v;
                const int64_t *scaled = exact ? sc : NULL;
                const unsigned char *mask = masked ? usable : NULL;
                struct score_cuts cuts;
                int ok_call = score_quintile_cuts(values, scaled, mask, N, lower, &cuts,
                                                  &diag) == 0;
                counts_ok = counts_ok && ok_call && cuts.count == 4;
                if (!masked)
                    ok_call = ok_call && score_quintiles(values, scaled, N, lower, q, &diag) == 0;
                for (int i = 0; ok_call && i < N; i++) {
                    if (masked && !usable[i])
                        continue;
                    unsigned char got = score_quintile_of(&cuts, score_key(values, scaled, i));
                    ok_direct = ok_direct &&
                                got == direct_quintile(values, scaled, mask, N, i, lower);
                    ok_same = ok_same && (masked || got == q[i]);
                }
                ok_direct = ok_direct && ok_call;
            }
    check(ok_direct, "quintile cuts: every usable value's score as counted directly (doubles "
          "with -0 and +0, scaled integers, both directions, rows left out)");
    check(ok_same && counts_ok, "quintile cuts: score_quintiles' scores, four cuts");
    /* by hand: n = 0 (no cut); one value (3: m2 = 1 of 2n = 2); two (2 and
     * 4); seven equal (3); 1..10 lower-better (5544332211); and a key that
     * is not usable ranks nothing */
    struct score_cuts cuts;
    double d[10];
    int64_t k[10];
    unsigned char none[2] = { 0, 0 }, second[2] = { 0, 1 };
    d[0] = 42;
    int ok = score_quintile_cuts(d, NULL, none, 1, 0, &cuts, &diag) == 0 && cuts.count == 0 &&
             score_quintile_cuts(d, NULL, NULL, 1, 0, &cuts, &diag) == 0 &&
             score_quintile_of(&cuts, score_key(d, NULL, 0)) == 3;
    k[0] = 5;
    k[1] = -5;
    ok = ok && score_quintile_cuts(NULL, k, NULL, 2, 0, &cuts, &diag) == 0 &&
         score_quintile_of(&cuts, score_key(NULL, k, 1)) == 2 &&
         score_quintile_of(&cuts, score_key(NULL, k, 0)) == 4 &&
         score_quintile_cuts(NULL, k, second, 2, 0, &cuts, &diag) == 0 &&
         score_quintile_of(&cuts, score_key(NULL, k, 1)) == 3;
    for (int i = 0; i < 7; i++)
        d[i] = i % 2 ? -0.0 : 0.0;
    ok = ok && score_quintile_cuts(d, NULL, NULL, 7, 1, &cuts, &diag) == 0 &&
         score_quintile_of(&cuts, score_key(d, NULL, 1)) == 3 &&
         score_quintile_of(&cuts, score_key(d, NULL, 2)) == 3;
    for (int i = 0; i < 10; i++)
        d[i] = 10 - i;
    ok = ok && score_quintile_cuts(d, NULL, NULL, 10, 1, &cuts, &diag) == 0;
    for (int i = 0; ok && i < 10; i++)
        ok = score_quintile_of(&cuts, score_key(d, NULL, (size_t)i)) == "1122334455"[i] - '0';
    check(ok, "quintile cuts: none, one value, two, all equal, 1..10 lower-better, a row "
          "left out");
    /* every n from 1 to 60 of runs of 1 to 3 ties, both directions, against
     * the direct count: runs whose m2 is exactly 2nt / 5 (n = 10: 1, 2 2,
     * 3 3 ... gives m2 = 4), where a cut one off scores them wrong */
    double runs[60];
    for (int i = 0, x = 0; i < 60; x++)
        for (int r = 0; r < 1 + x % 3 && i < 60; r++)
            runs[i++] = x;
    ok = 1;
    for (int n = 1; n <= 60; n++)
        for (int lower = 0; lower <= 1; lower++) {
            ok = ok && score_quintile_cuts(runs, NULL, NULL, (size_t)n, lower, &cuts, &diag) == 0;
            for (int i = 0; ok && i < n; i++)
                ok = score_quintile_of(&cuts, score_key(runs, NULL, (size_t)i)) ==
                     direct_quintile(runs, NULL, NULL, n, i, lower);
        }
    check(ok, "quintile cuts: n = 1..60 of runs of 1 to 3 ties, both directions, as counted "
          "directly");
}

int main(void)
{
    test_quintiles();
    test_normalize();
    test_segments();
    test_grid();
    test_ranks_counted();
    test_quintile_cuts();
    return 0;   /* failures are the "not ok" lines */
}
