/* plot_clv — the chart kinds of cl-clv's tables (internal to plot; one row
 * each in plot_kinds[], plot_kinds.c):
 *   alive    the probability-alive matrix: frequency × recency of the
 *            clients of a per-client table, each cell the mean p_alive;
 *   holdout  predicted and actual purchases in the holdout period, per
 *            calibration frequency (the holdout table of cl-clv);
 *   tracking the cumulative repeat purchases period by period, observed and
 *            predicted, over the calibration and after (cl-clv --tracking);
 *   value    clients ranked by expected value (clv), the cumulative share
 *            of the future business, coloured by today's A/B/C class when
 *            the table has cl-pareto's class column.
 * Numbers only in datablocks; text through sbuf_str / sbuf_tic. */
#ifndef CL_PLOT_CLV_H
#define CL_PLOT_CLV_H

#include "diag.h"

struct chart;

int chart_alive(struct chart *c, struct diag *diag);
int chart_holdout(struct chart *c, struct diag *diag);
int chart_tracking(struct chart *c, struct diag *diag);
int chart_value(struct chart *c, struct diag *diag);

#endif
