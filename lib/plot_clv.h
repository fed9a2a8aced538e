/* plot_clv — the chart kinds of cl-clv's tables (internal to plot):
 *   alive    the probability-alive matrix: frequency × recency of the
 *            clients of a per-client table, each cell the mean p_alive;
 *   holdout  predicted and actual purchases in the holdout period, per
 *            calibration frequency (cl-clv --holdout);
 *   value    clients ranked by expected value (clv), the cumulative share
 *            of the future business, coloured by today's A/B/C class when
 *            the table has cl-pareto's class column.
 * plot.c writes the terminal and the title (plot_clv_title), then appends
 * the body built here. Numbers only in datablocks; text through plot_quote. */
#ifndef CL_PLOT_CLV_H
#define CL_PLOT_CLV_H

#include <stddef.h>

#include "csvio.h"
#include "diag.h"
#include "plot.h"

/* Is this one of the kinds above? */
int plot_clv_kind(enum plot_kind kind);
/* The default title of the kind, in the chart's language. */
const char *plot_clv_title(enum plot_kind kind, enum plot_lang lang);

/* The body of the script (after the head) for the kept rows of the table;
 * top is where the plot area may start (screen fraction), font_size the
 * base size in points. @return 0 with *body (caller frees), or -1 with
 * diag set (a missing column, a cell that is not a number: file:line). */
int plot_clv_body(enum plot_kind kind, const struct table *t, const struct plot_options *o,
                  const size_t *rows, size_t nrows, double top, int font_size, char **body,
                  struct diag *diag);

#endif
