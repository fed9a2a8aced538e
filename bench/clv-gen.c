/* clv-gen — a cl-rollup table of N clients drawn from the BG/NBD and
 * Gamma-Gamma models with known parameters, for `make bench`: the fit of
 * cl-clv on it must find the parameters back. Seeded: the same file on
 * every machine with the same GSL.
 *
 *   clv-gen N > rollup.csv
 *
 * Clients first buy on a day of the first 84 (a quarter) of 1997; the
 * calibration ends on day 273 (1997-09-30 is day 272 after 1997-01-01).
 * Weekly purchase rate ~ Gamma(r, 1/alpha), drop-out after each repeat
 * purchase with probability ~ Beta(a, b); a purchase's value ~ Gamma(p, 1/nu) with
 * nu ~ Gamma(q, 1/gamma). Purchases on one day merge, as in cl-rollup. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#define R 0.243
#define ALPHA 4.414
#define A 0.793
#define B 2.426
#define P 6.25
#define Q 3.74
#define GAMMA 15.44
#define END_DAY 272     /* 1997-09-30, days after 1997-01-01 */
#define JAN1 9862       /* 1997-01-01, days since 1970-01-01 */

static void date(int day, char *out)
{
    /* civil from days (Howard Hinnant's algorithm) */
    long z = day + JAN1 + 719468, era = z / 146097, doe = z - era * 146097;
    long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long y = yoe + era * 400, doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153, d = doy - (153 * mp + 2) / 5 + 1;
    long m = mp < 10 ? mp + 3 : mp - 9;
    sprintf(out, "%04ld-%02ld-%02ld", y + (m <= 2), m, d);
}

int main(int argc, char **argv)
{
    long n = argc > 1 ? atol(argv[1]) : 100000;
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(rng, 20260101);
    printf("customer,revenue,first_date,last_date,recency_days,tenure_days,"
           "purchase_days,first_day_revenue\n");
    for (long i = 0; i < n; i++) {
        double rate = gsl_ran_gamma(rng, R, 1 / ALPHA) / 7;     /* per day */
        double drop = gsl_ran_beta(rng, A, B);
        double nu = gsl_ran_gamma(rng, Q, 1 / GAMMA);
        int first = (int)gsl_rng_uniform_int(rng, 84);
        int last = first, days = 1;
        double t = first;
        double first_value = gsl_ran_gamma(rng, P, 1 / nu), total = first_value;
        for (;;) {      /* alive for sure until the first repeat purchase */
            t += gsl_ran_exponential(rng, 1 / rate);
            if (t >= END_DAY + 1)
                break;
            double value = gsl_ran_gamma(rng, P, 1 / nu);
            total += value;
            if ((int)t == first)
                first_value += value;
            else if ((int)t != last)
                days++;
            last = (int)t;
            if (gsl_rng_uniform(rng) < drop)
                break;
        }
        char d1[16], d2[16];
        date(first, d1);
        date(last, d2);
        printf("C%08ld,%.2f,%s,%s,%d,%d,%d,%.2f\n", i, round(total * 100) / 100, d1, d2,
               END_DAY - last, last - first, days, round(first_value * 100) / 100);
    }
    gsl_rng_free(rng);
    return 0;
}
