/* Unit tests of lib/clv: the log-likelihoods against published and hand
 * values, the predictions against lifetimes' test vectors and against
 * second methods (the distribution of X(t) summed; GSL's own 2F1). */
#include <math.h>
#include <stdlib.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_sf_hyperg.h>

#include "clv.h"
#include "parse.h"
#include "t.h"

static int close_rel(double got, double want, double tol)
{
    return fabs(got - want) <= tol * fabs(want);
}

/* The textbook E[X(t) | x, tx, T] with GSL's 2F1, no transformation. */
static double expected_textbook(const struct clv_bgnbd *m, double t, double x, double tx,
                                double T)
{
    double r = m->r, al = m->alpha, a = m->a, b = m->b;
    double z = t / (al + T + t);
    double f = gsl_sf_hyperg_2F1(r + x, b + x, a + b + x - 1, z);
    double num = (a + b + x - 1) / (a - 1) * (1 - pow((al + T) / (al + T + t), r + x) * f);
    double den = 1;
    if (x > 0)
        den += a / (b + x - 1) * pow((al + T) / (al + tx), r + x);
    return num / den;
}

int main(void)
{
    gsl_set_error_handler_off();
    /* Hardie's note: a = 0.8, b = 2.5, r = 0.25, alpha = 4, T = 40. By
     * hand, x = 0: r log(alpha) − r log(alpha + T) = 0.25 log(4/44). */
    struct clv_bgnbd h = { .r = 0.25, .alpha = 4, .a = 0.8, .b = 2.5 };
    double ll0 = clv_bgnbd_ll(&h, 0, 0, 40);
    T_CHECK(fabs(ll0 - 0.25 * log(4.0 / 44.0)) < 1e-14, "x=0 log-likelihood = r log(a/(a+T))");
    T_CHECK(fabs(ll0 - -0.59947382) < 5e-9, "x=0, tx=0: -0.59947382 (got %.10f)", ll0);
    double ll200 = clv_bgnbd_ll(&h, 200, 38, 40);
    T_CHECK(fabs(ll200 - 100.7957) < 5e-5, "x=200, tx=38: 100.7957 (got %.7f)", ll200);
    T_CHECK(isfinite(clv_bgnbd_ll(&h, 5000, 39.9, 40)), "x=5000 stays finite");

    /* The published CDNOW fit and lifetimes' test vectors. */
    struct clv_bgnbd cd = { .r = 0.243, .alpha = 4.414, .a = 0.793, .b = 2.426 };
    double e39 = clv_bgnbd_expected(&cd, 39, 2, 30.43, 38.86);
    T_CHECK(fabs(e39 - 1.226) < 5e-4, "E[X(39) | x=2, tx=30.43, T=38.86] = 1.226 (got %.5f)",
            e39);
    double p0 = clv_bgnbd_p_count(&cd, 39, 0);
    T_CHECK(fabs(p0 - 0.5738) < 5e-5, "P(X(39)=0) = 0.5738 (got %.6f)", p0);

    /* A second method: E[X(t)] of a new client is the mean of P(X(t)=n). */
    double sum_p = 0, mean = 0;
    for (int n = 0; n < 2000; n++) {
        double p = clv_bgnbd_p_count(&cd, 39, n);
        sum_p += p;
        mean += n * p;
    }
    T_CHECK(fabs(sum_p - 1) < 1e-9, "P(X(39)=n) sums to 1 (%.12f)", sum_p);
    double e_new = clv_bgnbd_expected(&cd, 39, 0, 0, 0);
    T_CHECK(close_rel(e_new, mean, 1e-8), "E[X(39)] of a new client = sum n P(X=n) (%.10f %.10f)",
            e_new, mean);

    /* The transformed series against the textbook formula with GSL's 2F1,
     * where that one works (small x). */
    static const double cases[][4] = {
        { 0, 0, 38.86, 39 }, { 1, 10, 38.86, 52 }, { 2, 30.43, 38.86, 39 },
        { 7, 35, 38, 10 }, { 3, 5, 20, 100 },
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        const double *c = cases[i];
        double mine = clv_bgnbd_expected(&cd, c[3], c[0], c[1], c[2]);
        double book = expected_textbook(&cd, c[3], c[0], c[1], c[2]);
        T_CHECK(close_rel(mine, book, 1e-10), "E[X(%g) | x=%g, tx=%g, T=%g]: %.12f = %.12f "
                "(GSL 2F1)", c[3], c[0], c[1], c[2], mine, book);
    }
    /* a = 1 is no special case: continuous on both sides */
    struct clv_bgnbd one = cd, below = cd, above = cd;
    one.a = 1;
    below.a = 1 - 1e-7;
    above.a = 1 + 1e-7;
    double e1 = clv_bgnbd_expected(&one, 39, 2, 30, 38);
    T_CHECK(isfinite(e1) && close_rel(e1, clv_bgnbd_expected(&below, 39, 2, 30, 38), 1e-6) &&
            close_rel(e1, clv_bgnbd_expected(&above, 39, 2, 30, 38), 1e-6),
            "a = 1: E[X] continuous (%.9f)", e1);
    /* large x: finite, and a client who stopped long ago is dead */
    double big = clv_bgnbd_expected(&cd, 52, 300, 38, 38.5);
    T_CHECK(isfinite(big) && big > 100, "x=300 still buying: E[X(52)] large and finite (%g)",
            big);
    T_CHECK(clv_bgnbd_p_alive(&cd, 300, 1, 38.5) < 1e-100, "x=300 then silent: p_alive ~ 0");
    T_CHECK(clv_bgnbd_p_alive(&cd, 0, 0, 38) == 1, "no repeat purchase: p_alive = 1");
    /* p_alive by hand: 1 / (1 + a/(b+x-1) ((alpha+T)/(alpha+tx))^(r+x)) */
    double hand = 1 / (1 + 0.793 / (2.426 + 1) * pow((4.414 + 38.86) / (4.414 + 30.43), 2.243));
    T_CHECK(close_rel(clv_bgnbd_p_alive(&cd, 2, 30.43, 38.86), hand, 1e-13), "p_alive by hand");

    /* Gamma-Gamma */
    struct clv_gg gg = { .p = 6.25, .q = 3.74, .gamma = 15.44 };
    T_CHECK(close_rel(clv_gg_expected(&gg, 0, NAN), 6.25 * 15.44 / 2.74, 1e-14),
            "E[M] of a client without repeat purchase = p gamma / (q - 1)");
    T_CHECK(close_rel(clv_gg_expected(&gg, 2, 20), 6.25 * (15.44 + 40) / (12.5 + 2.74), 1e-14),
            "E[M | x=2, m=20] = p (gamma + m x) / (p x + q - 1)");
    struct clv_gg heavy = { .p = 1, .q = 0.5, .gamma = 1 };
    T_CHECK(isnan(clv_gg_expected(&heavy, 0, NAN)), "q <= 1: infinite mean is NaN, not a number");
    /* the Gamma-Gamma density integrates to 1 over the mean value (x = 3) */
    double integral = 0, step = 0.01;
    for (double v = step / 2; v < 2000; v += step)
        integral += exp(clv_gg_ll(&gg, 3, v)) * step;
    T_CHECK(fabs(integral - 1) < 1e-4, "Gamma-Gamma density of the mean integrates to 1 (%.6f)",
            integral);

    /* the analytic gradient against differences of the log-likelihood */
    struct clv_client clients[] = {
        { 0, 0, 272, NAN, -1 }, { 2, 213, 272, 20, -1 }, { 5, 100, 250, 10, -1 }, { 1, 3, 200, 5, -1 },
        { 0, 0, 190, NAN, -1 }, { 12, 260, 270, 30, -1 },
    };
    struct clv_data data = { .n = 6, .client = clients, .asof = -1 };
    double g[4], gu[4];
    double base[4] = { 0.3, 5, 0.7, 2.2 };
    struct clv_bgnbd m = { base[0], base[1], base[2], base[3] };
    clv_bgnbd_total_ll(&data, 7, &m, g);
    for (int j = 0; j < 4; j++) {
        double p[4], hstep = 1e-6 * base[j];
        for (int i = 0; i < 4; i++)
            p[i] = base[i];
        p[j] += hstep;
        struct clv_bgnbd up = { p[0], p[1], p[2], p[3] };
        p[j] -= 2 * hstep;
        struct clv_bgnbd down = { p[0], p[1], p[2], p[3] };
        double fd = (clv_bgnbd_total_ll(&data, 7, &up, gu) -
                     clv_bgnbd_total_ll(&data, 7, &down, gu)) / (2 * hstep);
        T_CHECK(fabs(fd - g[j]) < 1e-6 * (1 + fabs(g[j])), "gradient %d: analytic %.9f, "
                "differences %.9f", j, g[j], fd);
    }
    double direct = 0;
    for (int i = 0; i < 6; i++)
        direct += clv_bgnbd_ll(&m, clients[i].x, clients[i].tx_days / 7.0,
                               clients[i].T_days / 7.0);
    T_CHECK(close_rel(clv_bgnbd_total_ll(&data, 7, &m, NULL), direct, 1e-13),
            "the fit's sum over triples = the sum of the clients' log-likelihoods");

    /* format_fixed's fast path (written for cl-clv's millions of rows)
     * against printf, on values near every kind of edge */
    {
        unsigned long long state = 88172645463325252ull;
        int mismatches = 0;
        char fast[64], slow[64];
        for (int i = 0; i < 300000 && mismatches < 5; i++) {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            double u = (double)(state >> 11) / 9007199254740992.0;
            int decimals = (int)(state % 7);
            double v = (u - 0.3) * pow(10, (double)((state >> 40) % 12) - 4);
            if (i % 3 == 0)     /* exact halves and their neighbours */
                v = nextafter(round(v * 1000) / 1000 + 0.0005, (i & 8) ? 1e300 : -1e300);
            format_fixed(v, decimals, '.', fast);
            snprintf(slow, sizeof slow, "%.*f", decimals, v);
            if (strcmp(slow, "-0") == 0 || (slow[0] == '-' &&
                                            strspn(slow + 1, "0.") == strlen(slow + 1)))
                memmove(slow, slow + 1, strlen(slow));
            if (strcmp(fast, slow) != 0) {
                printf("# %.17g at %d decimals: %s, printf %s\n", v, decimals, fast, slow);
                mismatches++;
            }
        }
        T_CHECK(mismatches == 0, "format_fixed = printf %%.*f on 300,000 values");
    }
    T_DONE();
}
