/* clv — BG/NBD and Gamma-Gamma: reading the roll-up, the log-likelihoods
 * and their gradients, maximum-likelihood fits with gsl_multimin (BFGS on
 * the logs of the parameters, several starts), standard errors from a
 * Hessian of differences of the analytic gradient, and the predictions.
 * See clv.h for the definitions. */
#include "clv.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_blas.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_linalg.h>
#include <gsl/gsl_multimin.h>
#include <gsl/gsl_sf_psi.h>

#include "hashtab.h"
#include "parse.h"

/* ---- reading the roll-up ------------------------------------------------ */

static long need_column(const struct table *t, const char *name, enum l10n_lang lang,
                        struct diag *diag)
{
    long col = table_find(t, name);
    if (col < 0)
        diag_set(diag, L10N(lang, "%s: no \"%s\" column: cl-clv reads the output of cl-rollup "
                            "(with purchase_days and first_day_revenue)",
                            "%s : pas de colonne « %s » : cl-clv lit la sortie de cl-rollup "
                            "(avec purchase_days et first_day_revenue)"), t->name, name);
    return col;
}

/* Why a cell is refused, in each language. */
enum cell_problem { NOT_COUNT0, NOT_COUNT1, NOT_AMOUNT, OUT_OF_RANGE, NOT_DATE };

static int bad_cell(const struct table *t, size_t row, long col, enum cell_problem why,
                    enum l10n_lang lang, struct diag *diag)
{
    static const char *const en[] = {
        "is not a whole number >= 0", "is not a whole number >= 1", "is not an amount",
        "is out of range", "is not a date"
    };
    static const char *const fr[] = {
        "n’est pas un nombre entier >= 0", "n’est pas un nombre entier >= 1",
        "n’est pas un montant", "est hors limites", "n’est pas une date"
    };
    char q[64];
    const char *cell = table_cell(t, row, (size_t)col);
    return diag_set(diag, L10N(lang, "%s:%ld: %s \"%s\" %s", "%s:%ld : %s « %s » %s"), t->name,
                    t->lines[row], t->header[col], diag_quote(cell, strlen(cell), q, sizeof q),
                    L10N(lang, en[why], fr[why]));
}

/* A whole number >= min (0 or 1) in a cell. */
static int read_count(const struct table *t, size_t row, long col, long min, int32_t *out,
                      enum l10n_lang lang, struct diag *diag)
{
    const char *cell = table_cell(t, row, (size_t)col);
    char mark = '.';
    int64_t scaled;
    int decimals;
    if (parse_decimal(cell, strlen(cell), &mark, &scaled, &decimals) != PARSE_OK ||
        scaled % MONEY_SCALE != 0 || scaled / MONEY_SCALE < min ||
        scaled / MONEY_SCALE > INT32_MAX)
        return bad_cell(t, row, col, min > 0 ? NOT_COUNT1 : NOT_COUNT0, lang, diag);
    *out = (int32_t)(scaled / MONEY_SCALE);
    return 0;
}

static int read_money(const struct table *t, size_t row, long col, char mark, int64_t *out,
                      enum l10n_lang lang, struct diag *diag)
{
    const char *cell = table_cell(t, row, (size_t)col);
    int decimals;
    if (parse_decimal(cell, strlen(cell), &mark, out, &decimals) != PARSE_OK)
        return bad_cell(t, row, col, NOT_AMOUNT, lang, diag);
    return 0;
}

static int read_date(const struct table *t, size_t row, long col, int32_t *out,
                     enum l10n_lang lang, struct diag *diag)
{
    const char *cell = table_cell(t, row, (size_t)col);
    struct datetime dt;
    if (parse_date(cell, strlen(cell), "%Y-%m-%d", DATE_DMY, &dt) != PARSE_OK)
        return bad_cell(t, row, col, NOT_DATE, lang, diag);
    *out = dt.days;
    return 0;
}

int clv_data_read(struct clv_data *data, const struct table *t, enum clv_money money,
                  char mark, enum l10n_lang lang, struct diag *diag)
{
    if (!mark)
        mark = parse_mark_of_delim(t->delim);   /* ',' in --excel's ';' roll-up */
    if (!mark)
        mark = '.';
    memset(data, 0, sizeof *data);
    data->asof = -1;
    data->lang = lang;
    const char *total_name = money == CLV_MARGIN ? "margin" : "revenue";
    const char *first_name = money == CLV_MARGIN ? "first_day_margin" : "first_day_revenue";
    long days = need_column(t, "purchase_days", lang, diag);
    long tenure = days < 0 ? -1 : need_column(t, "tenure_days", lang, diag);
    long recency = tenure < 0 ? -1 : need_column(t, "recency_days", lang, diag);
    long total = recency < 0 ? -1 : need_column(t, total_name, lang, diag);
    long first = total < 0 ? -1 : need_column(t, first_name, lang, diag);
    if (first < 0)
        return -1;
    long last_date = table_find(t, "last_date"), first_date = table_find(t, "first_date");
    if (t->columns < 1)
        return diag_set(diag, L10N(lang, "%s: no columns", "%s : aucune colonne"), t->name);
    data->client = malloc((t->rows ? t->rows : 1) * sizeof *data->client);
    if (!data->client)
        return diag_set(diag, L10N(lang, "out of memory", "mémoire épuisée"));
    data->n = t->rows;
    data->lang = lang;
    long asof_row = -1;
    for (size_t i = 0; i < t->rows; i++) {
        struct clv_client *c = &data->client[i];
        int32_t purchase_days, tenure_days, recency_days;
        int64_t all_value, first_value;
        if (read_count(t, i, days, 1, &purchase_days, lang, diag) != 0 ||
            read_count(t, i, tenure, 0, &tenure_days, lang, diag) != 0 ||
            read_count(t, i, recency, 0, &recency_days, lang, diag) != 0 ||
            read_money(t, i, total, mark, &all_value, lang, diag) != 0 ||
            read_money(t, i, first, mark, &first_value, lang, diag) != 0)
            goto fail;
        c->x = purchase_days - 1;
        c->tx_days = tenure_days;
        c->first_day = -1;
        if (__builtin_add_overflow(tenure_days, recency_days, &c->T_days))
            { bad_cell(t, i, recency, OUT_OF_RANGE, lang, diag); goto fail; }
        if (c->x == 0 && tenure_days != 0) {
            diag_set(diag, L10N(lang, "%s:%ld: one purchase day but tenure_days %ld: "
                                "not a cl-rollup row", "%s:%ld : un seul jour d’achat mais "
                                "tenure_days %ld : pas une ligne de cl-rollup"),
                     t->name, t->lines[i], (long)tenure_days);
            goto fail;
        }
        if (c->x > tenure_days) {
            diag_set(diag, L10N(lang, "%s:%ld: %ld purchase days within %ld days: "
                                "not a cl-rollup row", "%s:%ld : %ld jours d’achat en %ld "
                                "jours : pas une ligne de cl-rollup"),
                     t->name, t->lines[i], (long)purchase_days, (long)tenure_days);
            goto fail;
        }
        if (c->x == 0) {
            c->value = NAN;
        } else {
            c->value = ((double)all_value - (double)first_value) / MONEY_SCALE / c->x;
            if (!(c->value > 0) && data->nonpositive++ == 0)
                data->first_nonpositive = i;
        }
        if (first_date >= 0 && read_date(t, i, first_date, &c->first_day, lang, diag) != 0)
            goto fail;
        if (last_date >= 0) {
            int32_t day;
            if (read_date(t, i, last_date, &day, lang, diag) != 0)
                goto fail;
            int32_t asof = day + recency_days;
            if (data->asof >= 0 && asof != data->asof) {
                char d1[16], d2[16];
                diag_set(diag, L10N(lang, "%s:%ld: recency measured from %s, but from %s on "
                                    "line %ld: one roll-up has one --asof",
                                    "%s:%ld : récence mesurée depuis le %s, mais depuis le %s "
                                    "ligne %ld : un roll-up n’a qu’un --asof"),
                         t->name, t->lines[i], format_date(asof, d1), format_date(data->asof, d2),
                         t->lines[asof_row]);
                goto fail;
            }
            data->asof = asof;
            asof_row = (long)i;
        }
    }
    data->key_col = 0;
    return 0;
fail:
    clv_data_free(data);
    return -1;
}

int clv_data_left_out(const struct clv_data *data, const struct table *t, struct diag *diag)
{
    size_t row = data->first_nonpositive;
    const char *key = table_cell(t, row, data->key_col);
    char q[64];
    return diag_set(diag, L10N(data->lang, "%s:%ld: client \"%s\": repeat purchases worth <= 0, "
                               "left out of Gamma-Gamma (--strict makes this an error)",
                               "%s:%ld : client « %s » : achats répétés valant <= 0, laissé "
                               "hors de Gamma-Gamma (--strict en fait une erreur)"),
                    t->name, t->lines[row], diag_quote(key, strlen(key), q, sizeof q));
}

void clv_data_free(struct clv_data *data)
{
    if (!data)
        return;
    free(data->client);
    memset(data, 0, sizeof *data);
}

/* ---- distinct triples --------------------------------------------------- */

/* The distinct (x, tx, T) of the clients (or (x, value) pairs), with their
 * counts, and each client's index among them. */
struct distinct {
    size_t n;
    int32_t *x;
    double *tx, *T;         /* days (BG/NBD); T unused for pairs */
    double *value;          /* pairs */
    double *log_value;      /* pairs: log(value), once */
    double *count;
    uint32_t *of_client;    /* per client; UINT32_MAX when left out */
    int32_t x_max;
    int32_t T_max;          /* days */
};

static void distinct_free(struct distinct *d)
{
    free(d->x);
    free(d->tx);
    free(d->T);
    free(d->value);
    free(d->log_value);
    free(d->count);
    free(d->of_client);
    memset(d, 0, sizeof *d);
}

/* Room for cap distinct triples or pairs (not of_client).
 * @return 0, or -1 out of memory (free with distinct_free). */
static int distinct_alloc(struct distinct *d, size_t cap)
{
    d->x = malloc(cap * sizeof *d->x);
    d->tx = malloc(cap * sizeof *d->tx);
    d->T = malloc(cap * sizeof *d->T);
    d->value = malloc(cap * sizeof *d->value);
    d->log_value = malloc(cap * sizeof *d->log_value);
    d->count = malloc(cap * sizeof *d->count);
    return d->x && d->tx && d->T && d->value && d->log_value && d->count ? 0 : -1;
}

/* pairs = 0: triples of every client; 1: (x, value) of the clients with
 * x >= 1 and value > 0. */
static int distinct_build(struct distinct *d, const struct clv_data *data, int pairs,
                          struct diag *diag)
{
    memset(d, 0, sizeof *d);
    struct hashtab seen;
    size_t cap = data->n ? data->n : 1;
    if (hashtab_init(&seen, 1024) != 0)
        return diag_set(diag, "out of memory");
    if (distinct_alloc(d, cap) != 0)
        goto oom;
    d->of_client = malloc(cap * sizeof *d->of_client);
    if (!d->of_client)
        goto oom;
    for (size_t i = 0; i < data->n; i++) {
        const struct clv_client *c = &data->client[i];
        unsigned char key[16];
        size_t len;
        if (pairs) {
            if (c->x < 1 || !(c->value > 0)) {
                d->of_client[i] = UINT32_MAX;
                continue;
            }
            memcpy(key, &c->x, 4);
            memcpy(key + 4, &c->value, 8);
            len = 12;
        } else {
            memcpy(key, &c->x, 4);
            memcpy(key + 4, &c->tx_days, 4);
            memcpy(key + 8, &c->T_days, 4);
            len = 12;
        }
        int is_new;
        long k = hashtab_intern(&seen, key, len, hashtab_hash(key, len), &is_new);
        if (k < 0)
            goto oom;
        if (is_new) {
            d->x[k] = c->x;
            d->tx[k] = c->tx_days;
            d->T[k] = c->T_days;
            d->value[k] = c->value;
            d->log_value[k] = pairs ? log(c->value) : 0;
            d->count[k] = 0;
            d->n++;
            if (c->x > d->x_max)
                d->x_max = c->x;
            if (c->T_days > d->T_max)
                d->T_max = c->T_days;
        }
        d->count[k] += 1;
        d->of_client[i] = (uint32_t)k;
    }
    hashtab_free(&seen);
    return 0;
oom:
    hashtab_free(&seen);
    distinct_free(d);
    return diag_set(diag, "out of memory");
}

/* Every step-th entry of d with its count: the starting points of a large
 * fit are tried on this, and the best one finished on everything. */
static int distinct_sample(const struct distinct *d, size_t step, struct distinct *out)
{
    memset(out, 0, sizeof *out);
    size_t n = (d->n + step - 1) / step;
    if (distinct_alloc(out, n) != 0) {
        distinct_free(out);
        return -1;
    }
    for (size_t i = 0; i < d->n; i += step, out->n++) {
        out->x[out->n] = d->x[i];
        out->tx[out->n] = d->tx[i];
        out->T[out->n] = d->T[i];
        out->value[out->n] = d->value[i];
        out->log_value[out->n] = d->log_value[i];
        out->count[out->n] = d->count[i];
    }
    out->x_max = d->x_max;     /* the work buffers are the whole data's */
    out->T_max = d->T_max;
    return 0;
}

/* ---- BG/NBD ----------------------------------------------------------- */

static double log_add_exp(double u, double v)
{
    double m = u > v ? u : v;
    if (m == -INFINITY)
        return m;
    return m + log1p(exp(-fabs(u - v)));
}

static double lbeta(double u, double v)
{
    return lgamma(u) + lgamma(v) - lgamma(u + v);
}

double clv_bgnbd_ll(const struct clv_bgnbd *m, double x, double tx, double T)
{
    double r = m->r, al = m->alpha, a = m->a, b = m->b;
    double a1 = lgamma(r + x) - lgamma(r) + r * log(al);
    double a2 = lbeta(a, b + x) - lbeta(a, b) - (r + x) * log(al + T);
    if (x == 0)
        return a1 + a2;
    double a3 = lbeta(a + 1, b + x - 1) - lbeta(a, b) - (r + x) * log(al + tx);
    return a1 + log_add_exp(a2, a3);
}

/* What depends on x only, for the current parameters. */
struct bgnbd_by_x {
    double l1, b2, b3;              /* log terms */
    double dr1, da2, db2, da3, db3; /* their derivatives */
};

static void bgnbd_by_x(const struct clv_bgnbd *m, int32_t x_max, struct bgnbd_by_x *out)
{
    double r = m->r, a = m->a, b = m->b;
    double lg_r = lgamma(r), lb_ab = lbeta(a, b);
    double psi_r = gsl_sf_psi(r), psi_a = gsl_sf_psi(a), psi_b = gsl_sf_psi(b);
    double psi_ab = gsl_sf_psi(a + b);
    for (int32_t x = 0; x <= x_max; x++) {
        struct bgnbd_by_x *o = &out[x];
        double psi_abx = gsl_sf_psi(a + b + x);
        o->l1 = lgamma(r + x) - lg_r;
        o->dr1 = gsl_sf_psi(r + x) - psi_r;
        o->b2 = lbeta(a, b + x) - lb_ab;
        o->da2 = psi_ab - psi_abx;
        o->db2 = gsl_sf_psi(b + x) - psi_abx - psi_b + psi_ab;
        if (x > 0) {
            o->b3 = lbeta(a + 1, b + x - 1) - lb_ab;
            o->da3 = gsl_sf_psi(a + 1) - psi_abx - psi_a + psi_ab;
            o->db3 = gsl_sf_psi(b + x - 1) - psi_abx - psi_b + psi_ab;
        } else {
            o->b3 = o->da3 = o->db3 = 0;
        }
    }
}

/* What one evaluation needs beside the triples: the terms of each x, and
 * log(alpha + t) and 1/(alpha + t) for each whole day t (recency and T are
 * whole days), so that a triple costs one exp and one log1p. */
struct bgnbd_work {
    struct bgnbd_by_x *by_x;    /* x_max + 1 */
    double *log_day, *inv_day;  /* T_max + 1 */
};

static void bgnbd_work_free(struct bgnbd_work *w)
{
    free(w->by_x);
    free(w->log_day);
    free(w->inv_day);
}

static int bgnbd_work_alloc(struct bgnbd_work *w, const struct distinct *d)
{
    w->by_x = malloc(((size_t)d->x_max + 1) * sizeof *w->by_x);
    w->log_day = malloc(((size_t)d->T_max + 1) * sizeof *w->log_day);
    w->inv_day = malloc(((size_t)d->T_max + 1) * sizeof *w->inv_day);
    if (!w->by_x || !w->log_day || !w->inv_day) {
        bgnbd_work_free(w);
        return -1;
    }
    return 0;
}

/* Sum of count × log-likelihood over the triples (times in units), and its
 * gradient in the natural parameters (r, alpha, a, b) when grad != NULL. */
static double bgnbd_sum(const struct distinct *d, double unit_days, const struct clv_bgnbd *m,
                        struct bgnbd_work *w, double grad[4])
{
    bgnbd_by_x(m, d->x_max, w->by_x);
    double r = m->r, al = m->alpha, log_al = log(al);
    for (int32_t t = 0; t <= d->T_max; t++) {
        double at = al + t / unit_days;
        w->log_day[t] = log(at);
        w->inv_day[t] = 1 / at;
    }
    double sum = 0, gr = 0, gal = 0, ga = 0, gb = 0;
    for (size_t i = 0; i < d->n; i++) {
        const struct bgnbd_by_x *o = &w->by_x[d->x[i]];
        int32_t T_day = (int32_t)d->T[i], tx_day = (int32_t)d->tx[i];
        double x = d->x[i], wt = d->count[i];
        double rx = r + x, log_T = w->log_day[T_day];
        double a1 = o->l1 + r * log_al;
        double a2 = o->b2 - rx * log_T;
        if (d->x[i] == 0) {
            sum += wt * (a1 + a2);
            if (grad) {
                gr += wt * (o->dr1 + log_al - log_T);
                gal += wt * (r / al - rx * w->inv_day[T_day]);
                ga += wt * o->da2;
                gb += wt * o->db2;
            }
            continue;
        }
        double log_tx = w->log_day[tx_day];
        double a3 = o->b3 - rx * log_tx;
        /* log(e^a2 + e^a3) and the weight of each term, from one exp */
        double diff = a2 - a3, e = exp(-fabs(diff));
        sum += wt * (a1 + (diff > 0 ? a2 : a3) + log1p(e));
        if (grad) {
            double w3 = diff > 0 ? e / (1 + e) : 1 / (1 + e), w2 = 1 - w3;
            gr += wt * (o->dr1 + log_al - w2 * log_T - w3 * log_tx);
            gal += wt * (r / al - rx * (w2 * w->inv_day[T_day] + w3 * w->inv_day[tx_day]));
            ga += wt * (w2 * o->da2 + w3 * o->da3);
            gb += wt * (w2 * o->db2 + w3 * o->db3);
        }
    }
    if (grad) {
        grad[0] = gr;
        grad[1] = gal;
        grad[2] = ga;
        grad[3] = gb;
    }
    return sum;
}

/* ---- Gamma-Gamma ------------------------------------------------------ */

double clv_gg_ll(const struct clv_gg *m, double x, double value)
{
    double p = m->p, q = m->q, g = m->gamma, px = p * x;
    return lgamma(px + q) - lgamma(px) - lgamma(q) + q * log(g) + (px - 1) * log(value) +
           px * log(x) - (px + q) * log(g + value * x);
}

struct gg_by_x { double lg, dp, dq, log_x; };

static double gg_sum(const struct distinct *d, const struct clv_gg *m, struct gg_by_x *by_x,
                     double grad[3])
{
    double p = m->p, q = m->q, g = m->gamma;
    double lg_q = lgamma(q), psi_q = gsl_sf_psi(q), log_g = log(g);
    for (int32_t x = 1; x <= d->x_max; x++) {
        double px = p * x;
        by_x[x].lg = lgamma(px + q) - lgamma(px) - lg_q;
        double psi_pxq = gsl_sf_psi(px + q);
        by_x[x].dp = psi_pxq - gsl_sf_psi(px);
        by_x[x].dq = psi_pxq - psi_q;
        by_x[x].log_x = log(x);
    }
    double sum = 0, gp = 0, gq = 0, gg = 0;
    for (size_t i = 0; i < d->n; i++) {
        const struct gg_by_x *o = &by_x[d->x[i]];
        double x = d->x[i], v = d->value[i], w = d->count[i], px = p * x;
        double log_v = d->log_value[i], log_x = o->log_x, log_gvx = log(g + v * x);
        sum += w * (o->lg + q * log_g + (px - 1) * log_v + px * log_x - (px + q) * log_gvx);
        if (grad) {
            gp += w * x * (o->dp + log_v + log_x - log_gvx);
            gq += w * (o->dq + log_g - log_gvx);
            gg += w * (q / g - (px + q) / (g + v * x));
        }
    }
    if (grad) {
        grad[0] = gp;
        grad[1] = gq;
        grad[2] = gg;
    }
    return sum;
}

/* ---- the optimiser ---------------------------------------------------- */

struct objective {
    int k;                      /* parameters */
    const struct distinct *d;
    double unit_days;
    double total;               /* clients: the mean log-likelihood is minimised */
    void *by_x;
    int is_gg;
    int is_pnbd;                /* Pareto/NBD: gradient by central differences */
    double se_step;             /* relative step of the Hessian for the standard
                                   errors (0: 1e-5, for analytic gradients) */
    enum l10n_lang lang;        /* of the messages */
};

/* Pareto/NBD: sum of count × log-likelihood over the triples. */
static double pnbd_sum(const struct distinct *d, double unit_days, const double *theta)
{
    struct clv_pnbd m = { theta[0], theta[1], theta[2], theta[3] };
    double sum = 0;
    for (size_t i = 0; i < d->n; i++)
        sum += d->count[i] * clv_pnbd_ll(&m, d->x[i], d->tx[i] / unit_days,
                                         d->T[i] / unit_days);
    return sum;
}

/* Its gradient in the natural parameters by central differences in the
 * logs of the parameters, steps of 1e-4: the truncation error (~h²) and
 * the rounding error (~1e-16 × |sum| / h) both stay far below what the
 * convergence test and the Hessians ask. */
static double pnbd_sum_grad(const struct distinct *d, double unit_days, const double *theta,
                            double grad[4])
{
    double sum = pnbd_sum(d, unit_days, theta);
    for (int j = 0; j < 4 && grad; j++) {
        double up[4], down[4], h = 1e-4;
        for (int i = 0; i < 4; i++)
            up[i] = down[i] = theta[i];
        up[j] = theta[j] * exp(h);
        down[j] = theta[j] * exp(-h);
        grad[j] = (pnbd_sum(d, unit_days, up) - pnbd_sum(d, unit_days, down)) /
                  (2 * h * theta[j]);
    }
    return sum;
}

/* Log-likelihood sum and natural gradient at the natural parameters theta. */
static double objective_ll(const struct objective *o, const double *theta, double *grad)
{
    if (o->is_gg) {
        struct clv_gg m = { theta[0], theta[1], theta[2] };
        return gg_sum(o->d, &m, o->by_x, grad);
    }
    if (o->is_pnbd)
        return pnbd_sum_grad(o->d, o->unit_days, theta, grad);
    struct clv_bgnbd m = { theta[0], theta[1], theta[2], theta[3] };
    return bgnbd_sum(o->d, o->unit_days, &m, o->by_x, grad);
}

#define LOG_BOUND 30.0  /* |log parameter| beyond this is refused: e^30 ~ 1e13 */

/* f = −mean log-likelihood, at the logs of the parameters. */
static void objective_fdf(const gsl_vector *v, void *params, double *f, gsl_vector *df)
{
    const struct objective *o = params;
    double theta[CLV_MAX_PARAMS], grad[CLV_MAX_PARAMS];
    int outside = 0;
    for (int j = 0; j < o->k; j++) {
        double u = gsl_vector_get(v, (size_t)j);
        outside |= !(fabs(u) <= LOG_BOUND);
        theta[j] = exp(u);
    }
    double ll = outside ? NAN : objective_ll(o, theta, df ? grad : NULL);
    int finite = isfinite(ll);
    for (int j = 0; j < o->k && df && finite; j++)
        finite = isfinite(grad[j]);
    if (!finite) {
        /* a wall the line search backs away from */
        if (f)
            *f = 1e300;
        if (df)
            gsl_vector_set_zero(df);
        return;
    }
    if (f)
        *f = -ll / o->total;
    if (df)
        for (int j = 0; j < o->k; j++)
            gsl_vector_set(df, (size_t)j, -grad[j] * theta[j] / o->total);
}

static double objective_f(const gsl_vector *v, void *params)
{
    double f;
    objective_fdf(v, params, &f, NULL);
    return f;
}

static void objective_df(const gsl_vector *v, void *params, gsl_vector *df)
{
    objective_fdf(v, params, NULL, df);
}

#define GRADIENT_TOL 1e-7   /* of the mean log-likelihood, log parameters */
#define MAX_ITER 2000
#define MAX_RESTARTS 3
#define NEWTON_STEPS 20
#define NEWTON_FROM 1e-5    /* BFGS hands over to Newton at this gradient */

/* Gradient of the objective (−mean log-likelihood) at the logs u.
 * @return its norm, or INFINITY outside the model. */
static double log_gradient(struct objective *o, const double *u, double *g)
{
    gsl_vector_const_view uv = gsl_vector_const_view_array(u, (size_t)o->k);
    gsl_vector_view gv = gsl_vector_view_array(g, (size_t)o->k);
    double f;
    objective_fdf(&uv.vector, o, &f, &gv.vector);
    if (!(f < 1e299))
        return INFINITY;
    return gsl_blas_dnrm2(&gv.vector);
}

/* Newton's method on the gradient, from u: the Hessian by central
 * differences of the analytic gradient, a step taken only when it makes
 * the gradient smaller. Where BFGS stops because the function no longer
 * changes in double precision (a flat, correlated ridge, as in
 * Gamma-Gamma), the gradient still says where the maximum is.
 * @return the gradient norm reached (u updated). */
static double newton_polish(struct objective *o, double *u, double gnorm)
{
    int k = o->k;
    double g[CLV_MAX_PARAMS], trial[CLV_MAX_PARAMS], g_trial[CLV_MAX_PARAMS];
    double h_data[CLV_MAX_PARAMS * CLV_MAX_PARAMS], step[CLV_MAX_PARAMS];
    log_gradient(o, u, g);
    for (int it = 0; it < NEWTON_STEPS && gnorm > GRADIENT_TOL / 100; it++) {
        for (int j = 0; j < k; j++) {
            double up[CLV_MAX_PARAMS], down[CLV_MAX_PARAMS], gu[CLV_MAX_PARAMS],
                gd[CLV_MAX_PARAMS], hstep = 1e-4;
            memcpy(up, u, sizeof up);
            memcpy(down, u, sizeof down);
            up[j] += hstep;
            down[j] -= hstep;
            if (!isfinite(log_gradient(o, up, gu)) || !isfinite(log_gradient(o, down, gd)))
                return gnorm;
            for (int i = 0; i < k; i++)
                h_data[i * k + j] = (gu[i] - gd[i]) / (2 * hstep);
        }
        for (int i = 0; i < k; i++)
            for (int j = 0; j < i; j++)
                h_data[i * k + j] = h_data[j * k + i] = (h_data[i * k + j] + h_data[j * k + i]) / 2;
        gsl_matrix_view h = gsl_matrix_view_array(h_data, (size_t)k, (size_t)k);
        gsl_vector_view gv = gsl_vector_view_array(g, (size_t)k);
        gsl_vector_view sv = gsl_vector_view_array(step, (size_t)k);
        if (gsl_linalg_cholesky_decomp1(&h.matrix) != GSL_SUCCESS ||
            gsl_linalg_cholesky_solve(&h.matrix, &gv.vector, &sv.vector) != GSL_SUCCESS)
            return gnorm;   /* not near a maximum: leave it to BFGS's answer */
        double shrink = 1;
        int taken = 0;
        for (int half = 0; half < 10 && !taken; half++, shrink /= 2) {
            for (int j = 0; j < k; j++)
                trial[j] = u[j] - shrink * step[j];
            double norm = log_gradient(o, trial, g_trial);
            if (norm < gnorm) {
                memcpy(u, trial, (size_t)k * sizeof *u);
                memcpy(g, g_trial, (size_t)k * sizeof *g);
                gnorm = norm;
                taken = 1;
            }
        }
        if (!taken)
            break;
    }
    return gnorm;
}

/* Minimise from log_start: BFGS, then Newton steps.
 * @return 1 converged, 0 not; *f_out, log_out, *gnorm_out. */
static int minimise(struct objective *o, const double *log_start, double *log_out,
                    double *f_out, double *gnorm_out)
{
    gsl_multimin_function_fdf fn = {
        .f = objective_f, .df = objective_df, .fdf = objective_fdf,
        .n = (size_t)o->k, .params = o
    };
    gsl_vector *v = gsl_vector_alloc((size_t)o->k);
    gsl_multimin_fdfminimizer *s =
        gsl_multimin_fdfminimizer_alloc(gsl_multimin_fdfminimizer_vector_bfgs2, (size_t)o->k);
    int converged = 0;
    *f_out = INFINITY;
    *gnorm_out = INFINITY;
    if (!v || !s)
        goto done;
    for (int j = 0; j < o->k; j++)
        gsl_vector_set(v, (size_t)j, log_start[j]);
    int usable = 0;
    for (int restart = 0; restart < MAX_RESTARTS && !converged; restart++) {
        if (gsl_multimin_fdfminimizer_set(s, &fn, v, 0.05, 0.1) != GSL_SUCCESS)
            break;
        if (!(gsl_multimin_fdfminimizer_minimum(s) < 1e299))
            break;  /* the start itself is outside the model */
        usable = 1;
        for (int iter = 0; iter < MAX_ITER; iter++) {
            if (gsl_multimin_test_gradient(gsl_multimin_fdfminimizer_gradient(s),
                                           NEWTON_FROM) == GSL_SUCCESS)
                break;
            if (gsl_multimin_fdfminimizer_iterate(s) != GSL_SUCCESS)
                break;  /* no progress: restart the quasi-Newton memory */
        }
        gsl_vector_memcpy(v, gsl_multimin_fdfminimizer_x(s));
        if (gsl_blas_dnrm2(gsl_multimin_fdfminimizer_gradient(s)) < 1e-3)
            break;  /* close: Newton finishes faster than BFGS restarts */
    }
    if (!usable)
        goto done;
    double u[CLV_MAX_PARAMS], g[CLV_MAX_PARAMS];
    for (int j = 0; j < o->k; j++)
        u[j] = gsl_vector_get(v, (size_t)j);
    double gnorm = newton_polish(o, u, log_gradient(o, u, g));
    gsl_vector_const_view uv = gsl_vector_const_view_array(u, (size_t)o->k);
    double f = objective_f(&uv.vector, o);
    if (f < 1e299) {
        *f_out = f;
        *gnorm_out = gnorm;
        memcpy(log_out, u, (size_t)o->k * sizeof *u);
        converged = gnorm <= GRADIENT_TOL;
    } else {
        converged = 0;
    }
done:
    gsl_multimin_fdfminimizer_free(s);
    gsl_vector_free(v);
    return converged;
}

/* Standard errors: the inverse of minus the Hessian of the log-likelihood
 * in the natural parameters, the Hessian by central differences of the
 * analytic gradient. @return 0, or -1 when not positive definite. */
static int standard_errors(const struct objective *o, const double *theta, double *se)
{
    int k = o->k;
    gsl_matrix *h = gsl_matrix_alloc((size_t)k, (size_t)k);
    if (!h)
        return -1;
    for (int j = 0; j < k; j++) {
        double up[CLV_MAX_PARAMS], down[CLV_MAX_PARAMS], g_up[CLV_MAX_PARAMS],
            g_down[CLV_MAX_PARAMS];
        memcpy(up, theta, sizeof up);
        memcpy(down, theta, sizeof down);
        double step = (o->se_step > 0 ? o->se_step : 1e-5) * theta[j];
        up[j] += step;
        down[j] -= step;
        objective_ll(o, up, g_up);
        objective_ll(o, down, g_down);
        for (int i = 0; i < k; i++)
            gsl_matrix_set(h, (size_t)i, (size_t)j, -(g_up[i] - g_down[i]) / (2 * step));
    }
    for (int i = 0; i < k; i++)
        for (int j = 0; j < i; j++) {
            double mean = (gsl_matrix_get(h, (size_t)i, (size_t)j) +
                           gsl_matrix_get(h, (size_t)j, (size_t)i)) / 2;
            gsl_matrix_set(h, (size_t)i, (size_t)j, mean);
            gsl_matrix_set(h, (size_t)j, (size_t)i, mean);
        }
    int rc = gsl_linalg_cholesky_decomp1(h) == GSL_SUCCESS &&
             gsl_linalg_cholesky_invert(h) == GSL_SUCCESS ? 0 : -1;
    for (int j = 0; j < k; j++) {
        double var = rc == 0 ? gsl_matrix_get(h, (size_t)j, (size_t)j) : NAN;
        if (!(var > 0) || !isfinite(var))
            rc = -1;
        se[j] = rc == 0 ? sqrt(var) : NAN;
    }
    gsl_matrix_free(h);
    return rc;
}

/* Fit from each start; keep the best maximum. */
#define SAMPLE_ABOVE 20000  /* distinct entries: starts tried on a sample above this */

static int fit_run(struct objective *o, const double (*starts)[CLV_MAX_PARAMS], int nstarts,
                   const char *model, struct clv_fit *fit, struct diag *diag)
{
    double best_f = INFINITY, best[CLV_MAX_PARAMS] = { 0 }, best_gnorm = INFINITY;
    double f_of[8];
    int conv_of[8], best_converged = 0;
    gsl_error_handler_t *old = gsl_set_error_handler_off();
    int tried = 0;
    struct objective whole = *o, sample_o = *o;
    struct distinct sample = { 0 };
    if (o->d->n > SAMPLE_ABOVE) {
        if (distinct_sample(o->d, (o->d->n + SAMPLE_ABOVE - 1) / SAMPLE_ABOVE, &sample) != 0) {
            gsl_set_error_handler(old);
            return diag_set(diag, "out of memory");
        }
        sample_o.d = &sample;
        sample_o.total = 0;
        for (size_t i = 0; i < sample.n; i++)
            sample_o.total += sample.count[i];
        o = &sample_o;
    }
    for (int s = 0; s < nstarts; s++) {
        double log_start[CLV_MAX_PARAMS], log_out[CLV_MAX_PARAMS], f, gnorm;
        /* two converged starts at the same maximum: enough */
        int agreeing = 0;
        for (int t = 0; t < s; t++)
            agreeing += conv_of[t] && fabs(f_of[t] - best_f) <= 1e-10 * fabs(best_f);
        if (agreeing >= 2)
            break;
        tried++;
        for (int j = 0; j < o->k; j++)
            log_start[j] = log(starts[s][j]);
        conv_of[s] = minimise(o, log_start, log_out, &f, &gnorm);
        f_of[s] = f;
        if (f < best_f || (conv_of[s] && !best_converged && f <= best_f + 1e-12)) {
            best_f = f;
            best_gnorm = gnorm;
            best_converged = conv_of[s];
            memcpy(best, log_out, sizeof best);
        }
    }
    fit->starts = tried;
    fit->starts_agreeing = 0;
    for (int s = 0; s < tried; s++)
        if (conv_of[s] && fabs(f_of[s] - best_f) <= 1e-10 * fabs(best_f))
            fit->starts_agreeing++;
    if (o == &sample_o) {
        /* the sample's best maximum, finished on all the data */
        double log_out[CLV_MAX_PARAMS];
        o = &whole;
        best_converged = isfinite(best_f) &&
                         minimise(o, best, log_out, &best_f, &best_gnorm);
        if (isfinite(best_f))
            memcpy(best, log_out, sizeof best);
        distinct_free(&sample);
    }
    fit->params = o->k;
    fit->converged = best_converged;
    fit->gradient_norm = best_gnorm;
    fit->log_likelihood = -best_f * o->total;
    for (int j = 0; j < o->k; j++) {
        fit->value[j] = exp(best[j]);
        fit->std_error[j] = NAN;
    }
    int rc = 0;
    enum l10n_lang lang = o->lang;
    if (!isfinite(best_f))
        rc = diag_set(diag, L10N(lang, "the %s fit found no finite likelihood from %d starts",
                                 "l’ajustement %s n’a trouvé aucune vraisemblance finie "
                                 "en %d départs"), model, tried);
    else if (!best_converged && o->k == 4 && !o->is_pnbd &&
             fit->value[2] / (fit->value[2] + fit->value[3]) < 1e-3)
        /* no interior maximum: the supremum is the limit with no drop-out
         * (a / (a + b) -> 0), which cannot say who has left */
        rc = diag_set(diag, L10N(lang,
                      "the BG/NBD model cannot be fitted to these %.0f clients, followed for "
                      "%ld days at most: they show no sign of leaving (the likelihood keeps "
                      "rising towards a drop-out probability of 0, where no client ever "
                      "leaves: a/(a + b) = %.2g with a = %.3g, b = %.3g after %d starts), so "
                      "the model cannot tell who has left; a longer history is needed",
                      "le modèle BG/NBD ne peut pas être ajusté à ces %.0f clients, suivis "
                      "%ld jours au plus : ils ne montrent aucun signe de départ (la "
                      "vraisemblance croît encore vers une probabilité de départ nulle, où "
                      "aucun client ne part jamais : a/(a + b) = %.2g avec a = %.3g, "
                      "b = %.3g après %d départs), le modèle ne peut donc pas dire qui est "
                      "parti ; il faut un historique plus long"),
                      whole.total, (long)whole.d->T_max,
                      fit->value[2] / (fit->value[2] + fit->value[3]), fit->value[2],
                      fit->value[3], tried);
    else if (!best_converged)
        rc = diag_set(diag, L10N(lang, "the %s fit did not converge (gradient %.3g after %d "
                                 "starts)", "l’ajustement %s n’a pas convergé (gradient %.3g "
                                 "après %d départs)"), model, best_gnorm, tried);
    else if (standard_errors(o, fit->value, fit->std_error) != 0)
        rc = diag_set(diag, L10N(lang, "the %s fit is not at a maximum (the information matrix "
                                 "is not positive definite): the model does not fit these data",
                                 "l’ajustement %s n’est pas à un maximum (la matrice "
                                 "d’information n’est pas définie positive) : le modèle ne "
                                 "convient pas à ces données"), model);
    else /* recomputed at the estimates, a sum rather than a mean scaled back */
        fit->log_likelihood = objective_ll(o, fit->value, NULL);
    gsl_set_error_handler(old);
    return rc;
}

/* The clients' mean T in units (1 when there is none): the time
 * parameters' starting points scale with it. */
static double mean_age(const struct distinct *d, size_t clients, double unit_days)
{
    double mean = 0;
    for (size_t i = 0; i < d->n; i++)
        mean += d->count[i] * d->T[i] / unit_days;
    mean /= (double)clients;
    return mean > 0 ? mean : 1;
}

/* The fit of a purchase model, BG/NBD or Pareto/NBD: the distinct
 * triples, four starting points (the time parameters' scaled by the
 * clients' mean age), the objective of the kind, the fit. */
static int fit_purchases(const struct clv_data *data, double unit_days, enum clv_kind kind,
                         struct clv_fit *fit, struct diag *diag)
{
    memset(fit, 0, sizeof *fit);
    if (data->n == 0)
        return diag_set(diag, L10N(data->lang, "no client to fit", "aucun client à ajuster"));
    int pnbd = kind == CLV_PNBD;
    struct distinct d;
    if (distinct_build(&d, data, 0, diag) != 0)
        return -1;
    struct bgnbd_work work;     /* BG/NBD's per-frequency terms */
    if (!pnbd && bgnbd_work_alloc(&work, &d) != 0) {
        distinct_free(&d);
        return diag_set(diag, "out of memory");
    }
    double mean_T = mean_age(&d, data->n, unit_days);
    const double starts[2][4][CLV_MAX_PARAMS] = {
        {   /* BG/NBD r, alpha, a, b: alpha is a time */
            { 1, 1, 1, 1 },
            { 0.3, 0.1 * mean_T, 0.8, 2.5 },
            { 2, mean_T, 2, 5 },
            { 0.5, 0.5 * mean_T, 0.3, 1 },
        },
        {   /* Pareto/NBD r, alpha, s, beta: alpha and beta are times */
            { 1, 1, 1, 1 },
            { 0.5, 0.3 * mean_T, 0.5, 0.3 * mean_T },
            { 1, mean_T, 1, mean_T },
            { 0.3, 0.1 * mean_T, 2, mean_T },
        },
    };
    struct objective o = { .k = 4, .d = &d, .unit_days = unit_days,
                           .total = (double)data->n, .lang = data->lang };
    if (pnbd) {
        o.is_pnbd = 1;
        o.se_step = 1e-3;
    } else {
        o.by_x = &work;
    }
    int rc = fit_run(&o, starts[pnbd], 4, pnbd ? "Pareto/NBD" : "BG/NBD", fit, diag);
    fit->n = data->n;
    fit->distinct = d.n;
    if (!pnbd)
        bgnbd_work_free(&work);
    distinct_free(&d);
    return rc;
}

int clv_fit_bgnbd(const struct clv_data *data, double unit_days, struct clv_fit *fit,
                  struct diag *diag)
{
    return fit_purchases(data, unit_days, CLV_BGNBD, fit, diag);
}

int clv_fit_pnbd(const struct clv_data *data, double unit_days, struct clv_fit *fit,
                 struct diag *diag)
{
    return fit_purchases(data, unit_days, CLV_PNBD, fit, diag);
}

int clv_fit_gg(const struct clv_data *data, struct clv_fit *fit, struct diag *diag)
{
    memset(fit, 0, sizeof *fit);
    struct distinct d;
    if (distinct_build(&d, data, 1, diag) != 0)
        return -1;
    double n = 0, mean = 0;
    for (size_t i = 0; i < d.n; i++) {
        n += d.count[i];
        mean += d.count[i] * d.value[i];
    }
    if (n < 2) {
        distinct_free(&d);
        return diag_set(diag, L10N(data->lang, "Gamma-Gamma needs at least 2 clients with "
                                   "repeat purchases of positive value (there are %.0f)",
                                   "Gamma-Gamma demande au moins 2 clients avec des achats "
                                   "répétés de valeur positive (il y en a %.0f)"), n);
    }
    mean /= n;
    struct gg_by_x *by_x = malloc(((size_t)d.x_max + 1) * sizeof *by_x);
    if (!by_x) {
        distinct_free(&d);
        return diag_set(diag, "out of memory");
    }
    /* p, q, gamma: gamma is money, so its starts scale with the mean value */
    const double starts[4][CLV_MAX_PARAMS] = {
        { 1, 1, 1 },
        { 5, 3, mean },
        { 1, 2, mean / 2 },
        { 10, 5, 2 * mean },
    };
    struct objective o = { .k = 3, .d = &d, .total = n, .by_x = by_x, .is_gg = 1,
                           .lang = data->lang };
    int rc = fit_run(&o, starts, 4, "Gamma-Gamma", fit, diag);
    fit->n = (size_t)n;
    fit->distinct = d.n;
    free(by_x);
    distinct_free(&d);
    return rc;
}

double clv_bgnbd_total_ll(const struct clv_data *data, double unit_days,
                          const struct clv_bgnbd *m, double gradient[4])
{
    struct diag diag;
    struct distinct d;
    if (distinct_build(&d, data, 0, &diag) != 0)
        return NAN;
    struct bgnbd_work work;
    double ll = bgnbd_work_alloc(&work, &d) == 0 ? bgnbd_sum(&d, unit_days, m, &work, gradient)
                                                  : NAN;
    if (!isnan(ll))
        bgnbd_work_free(&work);
    distinct_free(&d);
    return ll;
}

/* ---- prediction ------------------------------------------------------- */

/* The tail Σ_{k>=1} of the Gauss series 2F1(A, B; C; z) divided by B, for
 * 0 <= z < 1: (A)_k (B+1)_{k-1} / ((C)_k k!) z^k. NaN when it does not
 * settle within a million terms. */
static double hyp2f1_tail_over_b(double A, double B, double C, double z)
{
    double term = A * z / C, sum = 0;
    for (long k = 1; k < 1000000; k++) {
        sum += term;
        if (fabs(term) <= 1e-17 * fabs(sum) || term == 0)
            return sum;
        term *= (A + k) * (B + k) / ((C + k) * (k + 1)) * z;
    }
    return NAN;
}

double clv_bgnbd_p_alive(const struct clv_bgnbd *m, double x, double tx, double T)
{
    if (x == 0)
        return 1;
    double ld = log(m->a / (m->b + x - 1)) + (m->r + x) * log((m->alpha + T) / (m->alpha + tx));
    return clv_alive_from_log_ratio(ld);
}

double clv_alive_from_log_ratio(double log_ratio)
{
    if (log_ratio > 0) {
        double e = exp(-log_ratio);
        return e / (1 + e);
    }
    return 1 / (1 + exp(log_ratio));
}

/* E[X(t) | x, tx, T] = (a+b+x−1)/(a−1) · [1 − ((α+T)/(α+T+t))^(r+x)
 * 2F1(r+x, b+x; a+b+x−1; z)] / (1 + δ a/(b+x−1) ((α+T)/(α+tx))^(r+x)),
 * z = t/(α+T+t). Euler's transformation turns the bracket into
 * 1 − (1−z)^(a−1) 2F1(a+b−1−r, a−1; a+b+x−1; z), whose series has
 * bounded terms for any x, and a factor (a − 1) comes out of it, so that
 * a = 1 is not a special case. */
double clv_bgnbd_expected(const struct clv_bgnbd *m, double t, double x, double tx, double T)
{
    double r = m->r, al = m->alpha, a = m->a, b = m->b;
    if (t <= 0)
        return 0;
    double z = t / (al + T + t);
    double L = log((al + T) / (al + T + t));    /* log(1 − z) < 0 */
    double am1 = a - 1;
    double g1 = fabs(am1 * L) > 1e-8 ? expm1(am1 * L) / am1 : L * (1 + am1 * L / 2);
    double tail = hyp2f1_tail_over_b(a + b - 1 - r, am1, a + b + x - 1, z);
    double bracket = -g1 - exp(am1 * L) * tail;     /* the bracket / (a − 1) */
    double expected = (a + b + x - 1) * bracket;
    if (x > 0)
        expected *= clv_bgnbd_p_alive(m, x, tx, T);
    return expected;
}

double clv_bgnbd_p_count(const struct clv_bgnbd *m, double t, int n)
{
    double r = m->r, al = m->alpha, a = m->a, b = m->b;
    double lb_ab = lbeta(a, b), l_keep = r * log(al / (al + t)), l_buy = log(t / (al + t));
    double first = exp(lbeta(a, b + n) - lb_ab + lgamma(r + n) - lgamma(r) - lgamma(n + 1.0) +
                       l_keep + n * l_buy);
    if (n == 0)
        return first;
    double below = 0;
    for (int j = 0; j < n; j++)
        below += exp(lgamma(r + j) - lgamma(r) - lgamma(j + 1.0) + l_keep + j * l_buy);
    return first + exp(lbeta(a + 1, b + n - 1) - lb_ab) * (1 - below);
}

double clv_gg_expected(const struct clv_gg *m, double x, double value)
{
    double den = m->p * x + m->q - 1;
    if (!(den > 0))
        return NAN;
    return m->p * (m->gamma + (x > 0 ? value * x : 0)) / den;
}

double clv_model_p_alive(const struct clv_model *model, double x, double tx, double T)
{
    return model->kind == CLV_PNBD ? clv_pnbd_p_alive(&model->pnbd, x, tx, T)
                                   : clv_bgnbd_p_alive(&model->bgnbd, x, tx, T);
}

double clv_model_expected(const struct clv_model *model, double t, double x, double tx,
                          double T)
{
    return model->kind == CLV_PNBD ? clv_pnbd_expected(&model->pnbd, t, x, tx, T)
                                   : clv_bgnbd_expected(&model->bgnbd, t, x, tx, T);
}

/* The discounted expected purchases over the horizon: Σ over the periods
 * i = 1..⌈H⌉ of (E[X(tᵢ)] − E[X(tᵢ₋₁)]) / (1 + d)^tᵢ, tᵢ = min(i, H). */
static double discounted_purchases(const struct clv_model *m, double horizon, double discount,
                                   double x, double tx, double T)
{
    if (discount == 0)
        return clv_model_expected(m, horizon, x, tx, T);
    double sum = 0, before = 0;
    for (double i = 1; i - 1 < horizon; i++) {
        double t = i < horizon ? i : horizon;
        double now = clv_model_expected(m, t, x, tx, T);
        sum += (now - before) / pow(1 + discount, t);
        before = now;
    }
    return sum;
}

int clv_predict(const struct clv_data *data, const struct clv_model *model, double horizon,
                double discount, struct clv_prediction *out, struct diag *diag)
{
    struct distinct d;
    if (distinct_build(&d, data, 0, diag) != 0)
        return -1;
    double *per = malloc((d.n ? d.n : 1) * 3 * sizeof *per);
    if (!per) {
        distinct_free(&d);
        return diag_set(diag, "out of memory");
    }
    double u = model->unit_days;
    for (size_t k = 0; k < d.n; k++) {
        double x = d.x[k], tx = d.tx[k] / u, T = d.T[k] / u;
        per[3 * k] = clv_model_p_alive(model, x, tx, T);
        per[3 * k + 1] = clv_model_expected(model, horizon, x, tx, T);
        per[3 * k + 2] = discounted_purchases(model, horizon, discount, x, tx, T);
        if (!isfinite(per[3 * k]) || !isfinite(per[3 * k + 1]) || !isfinite(per[3 * k + 2])) {
            free(per);
            distinct_free(&d);
            return diag_set(diag, L10N(data->lang, "the expected purchases of a client with "
                                       "frequency %g, recency %g, T %g are not finite",
                                       "les achats attendus d’un client de fréquence %g, "
                                       "récence %g, T %g ne sont pas finis"), x, tx, T);
        }
    }
    for (size_t i = 0; i < data->n; i++) {
        const struct clv_client *c = &data->client[i];
        const double *p = &per[3 * (size_t)d.of_client[i]];
        struct clv_prediction *o = &out[i];
        o->p_alive = p[0];
        o->expected_purchases = p[1];
        o->avg_spend = o->expected_spend = o->clv = NAN;
        if (model->has_gg && (c->x == 0 || c->value > 0)) {
            o->avg_spend = clv_gg_expected(&model->gg, c->x, c->value);
            o->expected_spend = o->expected_purchases * o->avg_spend;
            o->clv = p[2] * o->avg_spend;
        }
    }
    free(per);
    distinct_free(&d);
    return 0;
}

/* ---- model files ------------------------------------------------------ */

static void param_row(struct csvout *out, const char *name, double value, double se)
{
    csvout_text(out, name);
    csvout_double(out, value);
    if (isfinite(se))
        csvout_double(out, se);
    else
        csvout_empty(out);
    csvout_end_row(out);
}

static void fit_rows(struct csvout *out, const char *prefix, const struct clv_fit *fit)
{
    static const char *const names[] = {
        "log_likelihood", "n", "distinct", "starts", "starts_agreeing", "converged"
    };
    double values[] = {
        fit->log_likelihood, (double)fit->n, (double)fit->distinct, fit->starts,
        fit->starts_agreeing, fit->converged
    };
    for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
        char name[64];
        snprintf(name, sizeof name, "%s_%s", prefix, names[i]);
        param_row(out, name, values[i], NAN);
    }
}

void clv_write_params(struct csvout *out, const struct clv_model *model,
                      const struct clv_fit *purchases, const struct clv_fit *gg)
{
    csvout_text(out, "parameter");
    csvout_text(out, "value");
    csvout_text(out, "std_error");
    csvout_end_row(out);
    int pnbd = model->kind == CLV_PNBD;
    const struct clv_bgnbd *m = &model->bgnbd;
    const struct clv_pnbd *pm = &model->pnbd;
    double bg[4] = { m->r, m->alpha, m->a, m->b }, pn[4] = { pm->r, pm->alpha, pm->s, pm->beta };
    static const char *const bg_names[4] = { "r", "alpha", "a", "b" };
    static const char *const pn_names[4] = { "r", "alpha", "s", "beta" };
    for (int j = 0; j < 4; j++)
        param_row(out, pnbd ? pn_names[j] : bg_names[j], pnbd ? pn[j] : bg[j],
                  purchases ? purchases->std_error[j] : NAN);
    if (purchases)
        fit_rows(out, pnbd ? "pnbd" : "bgnbd", purchases);
    if (model->has_gg) {
        double gv[3] = { model->gg.p, model->gg.q, model->gg.gamma };
        static const char *const gg_names[3] = { "p", "q", "gamma" };
        for (int j = 0; j < 3; j++)
            param_row(out, gg_names[j], gv[j], gg ? gg->std_error[j] : NAN);
        if (gg)
            fit_rows(out, "gg", gg);
    }
    param_row(out, "unit_days", model->unit_days, NAN);
}

int clv_read_params(struct clv_model *model, const struct table *t, struct diag *diag)
{
    enum { R, ALPHA, A, B, S, BETA, P, Q, GAMMA, UNIT, NAMES };
    static const char *const names[NAMES] = {
        "r", "alpha", "a", "b", "s", "beta", "p", "q", "gamma", "unit_days"
    };
    double value[NAMES] = { 0 };
    int seen[NAMES] = { 0 };
    long name_col = table_find(t, "parameter"), value_col = table_find(t, "value");
    if (name_col < 0 || value_col < 0)
        return diag_set(diag, "%s: not a cl-clv model (no parameter,value columns)", t->name);
    for (size_t i = 0; i < t->rows; i++) {
        const char *name = table_cell(t, i, (size_t)name_col);
        for (int j = 0; j < NAMES; j++) {
            if (strcmp(name, names[j]) != 0)
                continue;
            const char *cell = table_cell(t, i, (size_t)value_col);
            char mark = '.', q[64];
            if (parse_double(cell, strlen(cell), &mark, &value[j]) != PARSE_OK ||
                !(value[j] > 0))
                return diag_set(diag, "%s:%ld: %s \"%s\" is not a positive number", t->name,
                                t->lines[i], name, diag_quote(cell, strlen(cell), q, sizeof q));
            seen[j] = 1;
        }
    }
    /* BG/NBD has a and b, Pareto/NBD s and beta */
    model->kind = !seen[A] && !seen[B] && (seen[S] || seen[BETA]) ? CLV_PNBD : CLV_BGNBD;
    const int need[4] = { R, ALPHA, model->kind == CLV_PNBD ? S : A,
                          model->kind == CLV_PNBD ? BETA : B };
    for (int j = 0; j < 4; j++)
        if (!seen[need[j]])
            return diag_set(diag, "%s: the model has no \"%s\"", t->name, names[need[j]]);
    if (!seen[UNIT])
        return diag_set(diag, "%s: the model has no \"unit_days\"", t->name);
    model->bgnbd = (struct clv_bgnbd){ value[R], value[ALPHA], value[A], value[B] };
    if (model->kind == CLV_PNBD)
        model->pnbd = (struct clv_pnbd){ value[R], value[ALPHA], value[S], value[BETA] };
    model->has_gg = seen[P] && seen[Q] && seen[GAMMA];
    if ((seen[P] || seen[Q] || seen[GAMMA]) && !model->has_gg)
        return diag_set(diag, "%s: the Gamma-Gamma model needs p, q and gamma", t->name);
    if (model->has_gg)
        model->gg = (struct clv_gg){ value[P], value[Q], value[GAMMA] };
    model->unit_days = value[UNIT];
    return 0;
}

/* ---- holdout ---------------------------------------------------------- */

int clv_holdout(const struct clv_data *data, const struct clv_model *model,
                double holdout_units, const double *actual,
                struct clv_holdout_row rows[CLV_HOLDOUT_GROUPS + 1], struct diag *diag)
{
    struct distinct d;
    if (distinct_build(&d, data, 0, diag) != 0)
        return -1;
    double *expected = malloc((d.n ? d.n : 1) * sizeof *expected);
    if (!expected) {
        distinct_free(&d);
        return diag_set(diag, "out of memory");
    }
    double u = model->unit_days;
    for (size_t k = 0; k < d.n; k++) {
        expected[k] = clv_model_expected(model, holdout_units, d.x[k], d.tx[k] / u,
                                         d.T[k] / u);
        if (!isfinite(expected[k])) {
            free(expected);
            distinct_free(&d);
            return diag_set(diag, L10N(data->lang, "a holdout prediction is not finite",
                                       "une prévision de la période de contrôle n’est pas "
                                       "finie"));
        }
    }
    memset(rows, 0, (CLV_HOLDOUT_GROUPS + 1) * sizeof *rows);
    for (size_t i = 0; i < data->n; i++) {
        int32_t x = data->client[i].x;
        int g = x < CLV_HOLDOUT_GROUPS - 1 ? (int)x : CLV_HOLDOUT_GROUPS - 1;
        double e = expected[d.of_client[i]];
        rows[g].clients++;
        rows[g].predicted += e;
        rows[g].actual += actual[i];
        rows[CLV_HOLDOUT_GROUPS].clients++;
        rows[CLV_HOLDOUT_GROUPS].predicted += e;
        rows[CLV_HOLDOUT_GROUPS].actual += actual[i];
    }
    free(expected);
    distinct_free(&d);
    return 0;
}
