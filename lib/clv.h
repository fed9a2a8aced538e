/* clv — customer lifetime value from a purchase log summary: the BG/NBD
 * model of repeat purchases and drop-out (Fader, Hardie & Lee 2005) and the
 * Gamma-Gamma model of spend per purchase (Fader & Hardie 2013), fitted by
 * maximum likelihood with GSL, and the predictions built on them.
 *
 * Definitions (those of the literature and of the lifetimes package):
 * purchases on the same day are one purchase day; frequency x = repeat
 * purchase days (all days but the first); recency tx = time from the first
 * to the last purchase day; T = time from the first purchase day to the
 * end of the calibration period; the monetary value = mean value of the
 * repeat purchase days. Times are in a unit of unit_days days.
 *
 * Fits work on the distinct (x, tx, T) triples with their counts (and the
 * distinct (x, value) pairs for Gamma-Gamma), so their cost grows with the
 * number of distinct triples, not of clients. Log-likelihoods are written
 * in logs throughout (lgamma, lbeta, log-add-exp), so they stay finite
 * where the textbook formula overflows (x in the hundreds). */
#ifndef CL_CLV_H
#define CL_CLV_H

#include <stddef.h>
#include <stdint.h>

#include "csvout.h"
#include "table.h"
#include "diag.h"
#include "l10n.h"

#define CLV_MAX_PARAMS 4

/* ---- the clients ------------------------------------------------------ */

/* One client of the calibration period, in whole days. */
struct clv_client {
    int32_t x;              /* repeat purchase days */
    int32_t tx_days;        /* first to last purchase day */
    int32_t T_days;         /* first purchase day to the end of the calibration */
    double value;           /* mean value of the repeat purchase days; NaN when x == 0 */
    int32_t first_day;      /* days since 1970, -1 when the table has no first_date */
};

/* Which money the monetary value is made of. */
enum clv_money { CLV_REVENUE, CLV_MARGIN };

/* The clients of a cl-rollup table: the key is the first column;
 * purchase_days, tenure_days, recency_days and revenue, first_day_revenue
 * (or margin, first_day_margin) are found by name. */
struct clv_data {
    size_t n;
    struct clv_client *client;  /* owned, n */
    size_t key_col;             /* column of the key in the table */
    int32_t asof;               /* end of the calibration (days since 1970), -1 unknown */
    size_t nonpositive;         /* clients with x > 0 and repeat value <= 0 */
    size_t first_nonpositive;   /* the row of the first of them (when nonpositive > 0) */
    enum l10n_lang lang;        /* of the messages of every call on these data */
};

/* Read every row of a cl-rollup table. A bad cell is an error naming the
 * file, the line, the column and the value. mark is the decimal mark of the
 * money columns: 0 for the suite's rule of the table's delimiter (a ';'
 * table has a decimal comma), else ',' or '.' (--decimal-comma/-point). asof is last_date +
 * recency_days when a last_date column is there; it must agree on every row.
 * Messages (of this call and of the later ones on data) are in lang.
 * @return 0, or -1 with diag set. */
int clv_data_read(struct clv_data *data, const struct table *table, enum clv_money money,
                  char mark, enum l10n_lang lang, struct diag *diag);
void clv_data_free(struct clv_data *data);   /* accepts a zeroed one */

/* The first client of data (read from table) left out of Gamma-Gamma, its
 * repeat purchases worth <= 0, as an error (cl-clv --strict).
 * @return -1 with diag set (data->nonpositive > 0). */
int clv_data_left_out(const struct clv_data *data, const struct table *table,
                      struct diag *diag);

/* ---- the models ------------------------------------------------------- */

struct clv_bgnbd { double r, alpha, a, b; };
struct clv_gg { double p, q, gamma; };
/* Pareto/NBD: purchases at a gamma(r, alpha) rate while alive, an
 * exponential lifetime of gamma(s, beta) rate (lib/clv_pnbd.c). */
struct clv_pnbd { double r, alpha, s, beta; };

/* The purchase model: BG/NBD (the default) or Pareto/NBD. */
enum clv_kind { CLV_BGNBD, CLV_PNBD };

/* One client's BG/NBD log-likelihood (times in the model's unit). */
double clv_bgnbd_ll(const struct clv_bgnbd *m, double x, double tx, double T);
/* One client's Gamma-Gamma log-likelihood for x >= 1 repeat purchases of
 * mean value m > 0. */
double clv_gg_ll(const struct clv_gg *m, double x, double value);

/* E[X(t) | x, tx, T]: the expected purchases in the next t. NaN when the
 * series does not converge (it always does for finite parameters and t). */
double clv_bgnbd_expected(const struct clv_bgnbd *m, double t, double x, double tx, double T);
/* P(alive | x, tx, T). */
double clv_bgnbd_p_alive(const struct clv_bgnbd *m, double x, double tx, double T);
/* P(X(t) = n) for a client just acquired. */
double clv_bgnbd_p_count(const struct clv_bgnbd *m, double t, int n);
/* 1 / (1 + e^log_ratio), without overflow either way: P(alive) from the log
 * of the odds of having left (both models write P(alive) so). */
double clv_alive_from_log_ratio(double log_ratio);
/* The same three for Pareto/NBD (NaN where a series does not settle). */
double clv_pnbd_ll(const struct clv_pnbd *m, double x, double tx, double T);
double clv_pnbd_p_alive(const struct clv_pnbd *m, double x, double tx, double T);
double clv_pnbd_expected(const struct clv_pnbd *m, double t, double x, double tx, double T);
/* E[M | x, value]: the expected mean value of a purchase (x = 0: the
 * population mean p·gamma/(q − 1)). NaN when p·x + q <= 1 (infinite mean). */
double clv_gg_expected(const struct clv_gg *m, double x, double value);

/* ---- fitting ---------------------------------------------------------- */

struct clv_fit {
    int params;                     /* 4 (BG/NBD) or 3 (Gamma-Gamma) */
    double value[CLV_MAX_PARAMS];   /* the estimates */
    double std_error[CLV_MAX_PARAMS]; /* from the inverse of the observed information */
    double log_likelihood;
    size_t n;                       /* clients in the fit */
    size_t distinct;                /* distinct triples (pairs) */
    int starts;                     /* starting points tried */
    int starts_agreeing;            /* starts that reached the best maximum */
    int converged;                  /* 1: gradient test passed at the best maximum */
    double gradient_norm;           /* of the mean log-likelihood, log parameters */
};

/* Fit BG/NBD to the clients (times divided by unit_days). A fit that does
 * not converge, or a maximum whose information matrix is not positive
 * definite, is an error (-1, diag says which); the fit is filled anyway.
 * @return 0 or -1. */
int clv_fit_bgnbd(const struct clv_data *data, double unit_days, struct clv_fit *fit,
                  struct diag *diag);
/* Fit Pareto/NBD the same way (the gradient by central differences). */
int clv_fit_pnbd(const struct clv_data *data, double unit_days, struct clv_fit *fit,
                 struct diag *diag);
/* Fit Gamma-Gamma to the clients with x >= 1 and a value > 0. */
int clv_fit_gg(const struct clv_data *data, struct clv_fit *fit, struct diag *diag);

/* The log-likelihood and its gradient (in the natural parameters) of a
 * model over the data, as the fits use it; for tests. */
double clv_bgnbd_total_ll(const struct clv_data *data, double unit_days,
                          const struct clv_bgnbd *m, double gradient[4]);

/* ---- prediction ------------------------------------------------------- */

struct clv_model {
    enum clv_kind kind;         /* which of bgnbd and pnbd is the purchase model */
    struct clv_bgnbd bgnbd;
    struct clv_pnbd pnbd;
    struct clv_gg gg;
    int has_gg;
    double unit_days;
};

/* P(alive | x, tx, T) and E[X(t) | x, tx, T] of the model's purchase model
 * (x = tx = T = 0: a client just acquired). */
double clv_model_p_alive(const struct clv_model *model, double x, double tx, double T);
double clv_model_expected(const struct clv_model *model, double t, double x, double tx,
                          double T);

struct clv_prediction {
    double p_alive;
    double expected_purchases;  /* over the horizon */
    double avg_spend;           /* E[M]; NaN when the client gets no value */
    double expected_spend;      /* expected_purchases × avg_spend */
    double clv;                 /* discounted */
};

/* Predict every client: horizon in units, discount per unit (0 = none).
 * Work is done once per distinct triple. out has data->n entries.
 * @return 0, or -1 (a prediction is not finite) with diag set. */
int clv_predict(const struct clv_data *data, const struct clv_model *model, double horizon,
                double discount, struct clv_prediction *out, struct diag *diag);

/* ---- model files ------------------------------------------------------ */

/* Write the parameters as CSV rows parameter,value,std_error: r, alpha, a,
 * b, bgnbd_log_likelihood, bgnbd_n, ... (Pareto/NBD: r, alpha, s, beta,
 * pnbd_...) then p, q, gamma, gg_... and unit_days. A fit may be NULL
 * (parameters of a loaded model). */
void clv_write_params(struct csvout *out, const struct clv_model *model,
                      const struct clv_fit *purchases, const struct clv_fit *gg);
/* Read what clv_write_params wrote (the kind: s and beta without a and b
 * is Pareto/NBD). @return 0, or -1 with diag set. */
int clv_read_params(struct clv_model *model, const struct table *table, struct diag *diag);

/* ---- holdout ---------------------------------------------------------- */

#define CLV_HOLDOUT_GROUPS 8    /* frequencies 0..6 and 7+ */

struct clv_holdout_row {
    size_t clients;
    double predicted;           /* sum of E[X(holdout) | calibration] */
    double actual;              /* sum of the repeat purchase days in the holdout */
};

/* Sum the predictions and the actual purchases per calibration frequency
 * (the last group is 7 and more; rows[CLV_HOLDOUT_GROUPS] is every client).
 * actual[i] = purchase days of client i in the holdout.
 * @return 0, or -1 (a prediction not finite) with diag set. */
int clv_holdout(const struct clv_data *data, const struct clv_model *model,
                double holdout_units, const double *actual,
                struct clv_holdout_row rows[CLV_HOLDOUT_GROUPS + 1], struct diag *diag);

/* ---- tracking: repeat purchases period by period (lib/clv_track.c) ------ */

struct clv_track_row {
    int32_t end_day;            /* last day of the period (days since 1970) */
    int calibration;            /* 1: the period ends on or before the calibration's end */
    double actual;              /* repeat purchase days of the clients in the period */
    double predicted;           /* Σ E[X(age at the end)] − the same at the previous end */
};

struct clv_tracking {
    size_t periods;
    struct clv_track_row *row;  /* owned, periods */
    int32_t origin;             /* the first client's first purchase day */
    size_t newcomers;           /* clients of the orders who first bought after the calibration */
};

/* The tracking of Fader, Hardie & Lee (2005, figure 2): the clients of the
 * calibration roll-up (table, read into data, with first_date and
 * last_date), their purchase days read from orders (the output of
 * cl-rollup --partial over the calibration and after it: customer first,
 * first_date), counted period by period (one period = one unit, the
 * first one starting on the earliest first purchase, the last one ending
 * on the last day of the orders or of the calibration); predicted: each
 * client's E[X(t)] from his first purchase day, unconditional (BG/NBD as
 * fitted), summed. A client's purchase days up to the calibration's end
 * must be those of the roll-up (the same data), else an error names him;
 * clients of orders absent from the roll-up who first bought after the
 * calibration are left out and counted.
 * @return 0, or -1 with diag set (out->row NULL). */
int clv_tracking(const struct clv_data *data, const struct table *table,
                 const struct table *orders, const struct clv_model *model,
                 struct clv_tracking *out, struct diag *diag);
void clv_tracking_free(struct clv_tracking *tracking);  /* accepts a zeroed one */

#endif
