/* clv_table — cl-clv's outputs: the two models fitted together, the
 * clients with their predictions, the holdout comparison and the tracking
 * table, written through a struct csvout. */
#include "clv_table.h"

#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hashtab.h"
#include "parse.h"

int clv_table_fit(const struct clv_data *data, struct clv_model *model, struct clv_fit *purchases,
                  struct clv_fit *gg, struct diag *diag)
{
    int rc = model->kind == CLV_PNBD ? clv_fit_pnbd(data, model->unit_days, purchases, diag)
                                     : clv_fit_bgnbd(data, model->unit_days, purchases, diag);
    if (rc != 0)
        return -1;
    const double *v = purchases->value;
    if (model->kind == CLV_PNBD)
        model->pnbd = (struct clv_pnbd){ v[0], v[1], v[2], v[3] };
    else
        model->bgnbd = (struct clv_bgnbd){ v[0], v[1], v[2], v[3] };
    if (clv_fit_gg(data, gg, diag) != 0)
        return -1;
    model->gg = (struct clv_gg){ gg->value[0], gg->value[1], gg->value[2] };
    model->has_gg = 1;
    return 0;
}

/* A number with its decimals, or an empty cell when it is not finite. */
static void put(struct csvout *out, double value, int decimals)
{
    if (isfinite(value))
        csvout_fixed(out, value, decimals);
    else
        csvout_empty(out);
}

int clv_table_clients(struct csvout *out, const struct table *t, const struct clv_data *data,
                      const struct clv_model *model, const struct clv_prediction *pred,
                      struct diag *diag)
{
    static const char *const header[] = {
        "frequency", "recency", "T", "monetary_value", "p_alive", "expected_purchases",
        "avg_spend", "expected_spend", "clv"
    };
    size_t ours = sizeof header / sizeof *header;
    unsigned char *keep = malloc(t->columns ? t->columns : 1);
    if (!keep)
        return diag_set(diag, "out of memory");
    for (size_t c = 0; c < t->columns; c++) {
        keep[c] = 1;
        for (size_t j = 0; j < ours; j++)
            if (strcmp(t->header[c], header[j]) == 0)
                keep[c] = 0;
        if (keep[c])
            csvout_text(out, t->header[c]);
    }
    for (size_t j = 0; j < ours; j++)
        csvout_text(out, header[j]);
    csvout_end_row(out);
    assert(data->n == t->rows);
    for (size_t i = 0; i < data->n; i++) {
        const struct clv_client *c = &data->client[i];
        const struct clv_prediction *p = &pred[i];
        for (size_t col = 0; col < t->columns; col++)
            if (keep[col])
                csvout_cell(out, table_cell(t, i, col), col != data->key_col);
        csvout_long(out, c->x);
        put(out, c->tx_days / model->unit_days, 4);
        put(out, c->T_days / model->unit_days, 4);
        put(out, c->value, 2);
        put(out, p->p_alive, 6);
        put(out, p->expected_purchases, 6);
        put(out, p->avg_spend, 2);
        put(out, p->expected_spend, 2);
        put(out, p->clv, 2);
        csvout_end_row(out);
    }
    free(keep);
    return 0;
}

/* actual[i]: the purchase days in the holdout of the i-th client of t,
 * matched by key; *newcomers: the holdout's clients not in t. */
static int holdout_actual(const struct table *t, const struct clv_data *data,
                          const struct table *h, const struct clv_data *hd, double *actual,
                          size_t *newcomers, struct diag *diag)
{
    struct hashtab keys;
    if (hashtab_init(&keys, t->rows) != 0)
        return diag_set(diag, "out of memory");
    int rc = 0;
    for (size_t i = 0; i < t->rows && rc == 0; i++) {
        const char *key = table_cell(t, i, data->key_col);
        int is_new;
        if (hashtab_intern(&keys, key, strlen(key), hashtab_hash(key, strlen(key)), &is_new) < 0)
            rc = diag_set(diag, "out of memory");
    }
    *newcomers = 0;
    for (size_t i = 0; i < h->rows && rc == 0; i++) {
        const char *key = table_cell(h, i, hd->key_col);
        int is_new;
        size_t before = keys.count;
        long k = hashtab_intern(&keys, key, strlen(key), hashtab_hash(key, strlen(key)),
                                &is_new);
        if (k < 0)
            rc = diag_set(diag, "out of memory");
        else if ((size_t)k >= before)
            (*newcomers)++;     /* first bought in the holdout: not in the model's sample */
        else
            actual[k] += hd->client[i].x + 1;
    }
    hashtab_free(&keys);
    return rc;
}

int clv_table_holdout(struct csvout *out, const struct table *t, const struct clv_data *data,
                      const struct table *holdout, const struct clv_data *holdout_data,
                      const struct clv_model *model, enum l10n_lang lang, size_t *newcomers,
                      struct diag *diag)
{
    const struct clv_data *hd = holdout_data;
    if (data->asof < 0 || hd->asof < 0)
        return diag_set(diag, "%s", L10N(lang, "--holdout needs the last_date column in both "
                                         "roll-ups", "--holdout demande la colonne last_date "
                                         "dans les deux roll-ups"));
    if (hd->asof <= data->asof) {
        char d1[16], d2[16];
        return diag_set(diag, L10N(lang, "%s: the holdout ends on %s, not after the calibration "
                                   "(%s)", "%s : la période de contrôle finit le %s, pas après "
                                   "la calibration (%s)"),
                        holdout->name, format_date(hd->asof, d1), format_date(data->asof, d2));
    }
    double *actual = calloc(t->rows ? t->rows : 1, sizeof *actual);
    if (!actual)
        return diag_set(diag, "out of memory");
    double holdout_units = (hd->asof - data->asof) / model->unit_days;
    struct clv_holdout_row rows[CLV_HOLDOUT_GROUPS + 1];
    if (holdout_actual(t, data, holdout, hd, actual, newcomers, diag) != 0 ||
        clv_holdout(data, model, holdout_units, actual, rows, diag) != 0) {
        free(actual);
        return -1;
    }
    free(actual);
    static const char *const header[] = {
        "frequency", "clients", "predicted", "actual", "holdout_units"
    };
    for (size_t j = 0; j < sizeof header / sizeof *header; j++)
        csvout_text(out, header[j]);
    csvout_end_row(out);
    for (int g = 0; g <= CLV_HOLDOUT_GROUPS; g++) {
        char label[16];
        if (g == CLV_HOLDOUT_GROUPS)
            snprintf(label, sizeof label, "all");
        else if (g == CLV_HOLDOUT_GROUPS - 1)
            snprintf(label, sizeof label, "%d+", g);
        else
            snprintf(label, sizeof label, "%d", g);
        csvout_text(out, label);
        csvout_long(out, (long long)rows[g].clients);
        double n = (double)rows[g].clients;
        put(out, n > 0 ? rows[g].predicted / n : NAN, 6);
        put(out, n > 0 ? rows[g].actual / n : NAN, 6);
        put(out, holdout_units, 4);
        csvout_end_row(out);
    }
    return 0;
}

void clv_table_tracking(struct csvout *out, const struct clv_tracking *tracking)
{
    static const char *const header[] = {
        "period", "end_date", "calibration", "actual", "predicted", "cumulative_actual",
        "cumulative_predicted"
    };
    for (size_t j = 0; j < sizeof header / sizeof *header; j++)
        csvout_text(out, header[j]);
    csvout_end_row(out);
    double actual = 0, predicted = 0;
    for (size_t k = 0; k < tracking->periods; k++) {
        const struct clv_track_row *row = &tracking->row[k];
        char date[16];
        actual += row->actual;
        predicted += row->predicted;
        csvout_long(out, (long long)k + 1);
        csvout_text(out, format_date(row->end_day, date));
        csvout_long(out, row->calibration);
        csvout_long(out, (long long)row->actual);
        put(out, row->predicted, 4);
        csvout_long(out, (long long)actual);
        put(out, predicted, 4);
        csvout_end_row(out);
    }
}
