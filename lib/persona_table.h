/* persona_table — the tables cl-kmeans writes, through a struct csvout (so
 * the same code writes CSV and workbooks): the k-selection table, the
 * persona profiles, and the assignments (each input row with its cluster,
 * its distance, its 2-D projection and its persona's label), the latter
 * formatted on several threads into memory and written in row order.
 *
 * Layer: engines. Includes csvout.h, dataset.h, kmeans.h, persona.h. */
#ifndef CL_PERSONA_TABLE_H
#define CL_PERSONA_TABLE_H

#include <stddef.h>

#include "csvout.h"
#include "dataset.h"
#include "diag.h"
#include "kmeans.h"
#include "persona.h"

/* The columns an assignment adds, in order (NULL-terminated): an input
 * column of one of these names is left out of the assignments. */
extern const char *const persona_table_added[];
int persona_table_is_added(const char *name);

/* The assignments' header: the input's columns but the added ones, then
 * the added ones. */
void persona_table_header(struct csvout *out, const char *const *header, size_t columns);
/* The end of an assignment row: cluster (0-based here, written from 1),
 * distance, pc1, pc2, label; and the end of the row. */
void persona_table_tail(struct csvout *out, int cluster, double distance, double pc1,
                        double pc2, const char *label);

/* The k-selection table: one row per k tried, the measures of each, which
 * was chosen (chosen: index into ks, -1 none). */
struct persona_selection {
    size_t count;                       /* values of k tried */
    const size_t *ks;
    const struct kmeans_result *results;
    const double *silhouette, *ch, *db;
    size_t silhouette_rows;             /* rows the silhouette was measured on */
    long chosen;
};
void persona_table_select(struct csvout *out, const struct persona_selection *s);

/* The profiles: per cluster its size, share, each feature's mean, median
 * and z, the revenue share, each text column's mode, and its label. */
void persona_table_profiles(struct csvout *out, const struct dataset *data,
                            const struct persona_profiles *p,
                            char (*labels)[PERSONA_LABEL_MAX]);

/* The assignments of a fit, rows in the input's order (input_row[p]: the
 * p-th input row's row in data). With a sink (a workbook) the rows go as
 * typed calls one after the other; else they are formatted on `threads`
 * threads into memory, block by block, and written in order: the bytes do
 * not depend on the number of threads.
 * @return 0, or -1 with diag set (out of memory). */
struct persona_assignments {
    const struct dataset *data;
    const size_t *input_row;
    const double *x;                    /* scaled rows × dims */
    const struct kmeans_result *result;
    const double *pca_mean, *pca_axes;
    char (*labels)[PERSONA_LABEL_MAX];
    int threads;
};
int persona_table_assignments(struct csvout *out, const struct persona_assignments *a,
                              struct diag *diag);

/* The assignments of a saved model (--model), streamed: each row of
 * `input` read under ro (its features named by the model) is scaled as the
 * model says, given its nearest centroid, projected and labelled in lang.
 * *skipped: the rows the reader skipped. With keep (NULL: none), each row
 * read whose revenue is a number (ro->revenue_note) is also added to the
 * table (keep: its builder, started here), as dataset_read
 * would have read it for the profiles. @return 0, or -1 with diag set. */
int persona_table_assign_model(struct csvout *out, const struct persona_model *model,
                               const char *input, const struct dataset_read_options *ro,
                               enum l10n_lang lang, struct dataset_builder *keep,
                               struct dataset *table, size_t *skipped, struct diag *diag);

#endif
