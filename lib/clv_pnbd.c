/* clv_pnbd — the Pareto/NBD model (Schmittlein, Morrison & Colombo 1987),
 * in the form of Fader, Hardie & Lee's note "A note on deriving the
 * Pareto/NBD model and related expressions" (2005): the log-likelihood of
 * one client, P(alive) and E[X(t) | x, tx, T], all in logarithms. While
 * alive, a client buys at a gamma(r, alpha)-distributed rate; his lifetime
 * is exponential with a gamma(s, beta)-distributed rate. See clv.h. */
#include "clv.h"

#include <math.h>

/* log 2F1(A, B; A + 1; z) for 0 <= z < 1 (A, B > 0): its series has
 * positive terms, their ratio (A+k)(B+k)/((A+1+k)(k+1)) z tends to z.
 * NaN when it does not settle within a million terms (z very near 1). */
static double log_hyp2f1_c_a1(double A, double B, double z)
{
    double term = 1, sum = 1;
    for (long k = 0; k < 1000000; k++) {
        term *= (A + k) * (B + k) / ((A + 1 + k) * (k + 1)) * z;
        sum += term;
        if (term <= 1e-17 * sum)
            return log(sum);
    }
    return NAN;
}

/* log A0 of the note: the difference of the two hypergeometric terms at
 * tx and at T, the series taken in the variable that stays below 1
 * (alpha >= beta: (alpha - beta)/(alpha + t); else (beta - alpha)/(beta + t)).
 * -INFINITY when tx == T (the terms cancel). */
static double log_a0(const struct clv_pnbd *m, double x, double tx, double T)
{
    double r = m->r, al = m->alpha, s = m->s, be = m->beta, rsx = r + s + x;
    double big = al >= be ? al : be, b_arg = al >= be ? s + 1 : r + x;
    double diff = fabs(al - be);
    double u = log_hyp2f1_c_a1(rsx, b_arg, diff / (big + tx)) - rsx * log(big + tx);
    double v = log_hyp2f1_c_a1(rsx, b_arg, diff / (big + T)) - rsx * log(big + T);
    if (!(u > v))
        return u == v ? -INFINITY : NAN;
    return u + log1p(-exp(v - u));
}

double clv_pnbd_ll(const struct clv_pnbd *m, double x, double tx, double T)
{
    double r = m->r, al = m->alpha, s = m->s, be = m->beta;
    double head = lgamma(r + x) - lgamma(r) + r * log(al) + s * log(be);
    double alive = -(r + x) * log(al + T) - s * log(be + T);
    double gone = log(s) - log(r + s + x) + log_a0(m, x, tx, T);
    double top = alive > gone ? alive : gone;
    if (isnan(gone))
        return NAN;
    return head + top + log1p(exp(-fabs(alive - gone)));
}

double clv_pnbd_p_alive(const struct clv_pnbd *m, double x, double tx, double T)
{
    double r = m->r, al = m->alpha, s = m->s, be = m->beta;
    double ld = log(s) - log(r + s + x) + (r + x) * log(al + T) + s * log(be + T) +
                log_a0(m, x, tx, T);
    if (isnan(ld))
        return NAN;
    return clv_alive_from_log_ratio(ld);
}

/* E[X(t) | x, tx, T] = (r+x)(beta+T) / ((alpha+T)(s-1)) ·
 * [1 − ((beta+T)/(beta+T+t))^(s−1)] · P(alive); the bracket over (s − 1)
 * taken as −expm1((s−1)L)/(s−1), L = log((beta+T)/(beta+T+t)), so that
 * s = 1 (the limit −L) is not a special case. */
double clv_pnbd_expected(const struct clv_pnbd *m, double t, double x, double tx, double T)
{
    double r = m->r, al = m->alpha, s = m->s, be = m->beta;
    if (t <= 0)
        return 0;
    double L = log((be + T) / (be + T + t)), sm1 = s - 1;
    double g = fabs(sm1 * L) > 1e-8 ? -expm1(sm1 * L) / sm1 : -L * (1 + sm1 * L / 2);
    return (r + x) * (be + T) / (al + T) * g * clv_pnbd_p_alive(m, x, tx, T);
}
