/* clv_table — the tables cl-clv writes, through a struct csvout (CSV or a
 * workbook): the clients with their predictions, the holdout comparison
 * per calibration frequency, the tracking period by period; and the two
 * models fitted together. The models themselves are lib/clv.
 *
 * Layer: engines. Includes clv.h, csvout.h, table.h, l10n.h. */
#ifndef CL_CLV_TABLE_H
#define CL_CLV_TABLE_H

#include <stddef.h>

#include "clv.h"
#include "csvout.h"
#include "diag.h"
#include "l10n.h"
#include "table.h"

/* Fit the purchase model of kind model->kind (BG/NBD or Pareto/NBD) and
 * Gamma-Gamma to data, in units of model->unit_days, and set the model's
 * parameters from them. @return 0, or -1 with diag set (the file's name
 * not in it: the caller adds it). */
int clv_table_fit(const struct clv_data *data, struct clv_model *model, struct clv_fit *purchases,
                  struct clv_fit *gg, struct diag *diag);

/* The clients: the input's columns as written (less those cl-clv writes),
 * then frequency, recency, T, monetary_value, p_alive, expected_purchases,
 * avg_spend, expected_spend, clv; pred has data->n entries. @return 0, or
 * -1 with diag set (out of memory). */
int clv_table_clients(struct csvout *out, const struct table *t, const struct clv_data *data,
                      const struct clv_model *model, const struct clv_prediction *pred,
                      struct diag *diag);

/* The holdout comparison: per calibration frequency, clients, the mean
 * purchases predicted for the holdout and the mean observed (the clients
 * of holdout_data, keyed as in t, matched to those of data); both tables
 * need last_date and the holdout must end later, else an error in lang.
 * *newcomers: the holdout's clients not in the calibration (left out).
 * @return 0, or -1 with diag set (nothing written). */
int clv_table_holdout(struct csvout *out, const struct table *t, const struct clv_data *data,
                      const struct table *holdout, const struct clv_data *holdout_data,
                      const struct clv_model *model, enum l10n_lang lang, size_t *newcomers,
                      struct diag *diag);

/* The tracking: period, end_date, calibration, actual, predicted and the
 * cumulative sums of the last two. */
void clv_table_tracking(struct csvout *out, const struct clv_tracking *tracking);

#endif
