/* persona_fit — cl-kmeans' whole fit, in three steps the tool calls in
 * turn: read the rows (sorted by content, so that nothing depends on the
 * input's order; constant features dropped), scale them (the --log
 * features named by index, so that the tool can refuse an unknown name as
 * a usage error), then fit every k, measure and choose. The model of a
 * fit for --save-model. Warnings go through the read options' callback.
 *
 * Layer: engines. Includes dataset.h, kmeans.h, persona.h. */
#ifndef CL_PERSONA_FIT_H
#define CL_PERSONA_FIT_H

#include <stddef.h>

#include "dataset.h"
#include "diag.h"
#include "kmeans.h"
#include "persona.h"

struct persona_fit {
    struct dataset data;            /* rows in content order (dataset_sort_rows) */
    size_t *input_row;              /* p-th input row -> its row in data */
    struct dataset_scaling scaling;
    double *x;                      /* scaled rows × dims */
    size_t *ks;                     /* the values of k tried */
    size_t count;
    struct kmeans_result *results;  /* count */
    double *silhouette, *ch, *db;   /* count; measured when there is a choice */
    size_t silhouette_rows;         /* rows the silhouette was measured on */
    long chosen;                    /* index into ks */
};

/* Read the rows of `input` ("-": standard input) under ro, report the rows
 * skipped through ro->warn and sort them by content: persona_fit_read
 * without its check of the features (a saved model's rows).
 * @return 0, or -1 with diag set (no rows, a read error). */
int persona_fit_read_rows(struct persona_fit *f, const char *input,
                          const struct dataset_read_options *ro, struct diag *diag);

/* Read the rows of `input` ("-": standard input) under ro, report the rows
 * skipped through ro->warn, sort them by content, drop constant features
 * (a warning each; an error when init, the --init-from model named
 * init_name, needs them). @return 0, or -1 with diag set. */
int persona_fit_read(struct persona_fit *f, const char *input,
                     const struct dataset_read_options *ro, const struct persona_model *init,
                     const char *init_name, struct diag *diag);

/* Scale the rows: init's scaling kind and --log flags when init is not
 * NULL, else `scale` and log[j] for feature j (NULL: none). Warns (ro's
 * callback) of a robust scale that fell back to the standard deviation.
 * @return 0, or -1 with diag set (a value too large to sum). */
int persona_fit_scale(struct persona_fit *f, const char *input, enum dataset_scale scale,
                      const int *log, const struct persona_model *init,
                      const struct dataset_read_options *ro, struct diag *diag);

/* The --log flags of the features read: log[j] = 1 when names[0..count)
 * has feature j. @return 0 and *log (dims entries, caller frees), or -1
 * with diag set ("\"x\" is not one of the features", or out of memory). */
int persona_fit_log_flags(const struct persona_fit *f, const char *const *names, size_t count,
                          int **log, struct diag *diag);

/* What persona_fit_ks needs beyond the rows. */
struct persona_fit_options {
    size_t k_min, k_max;            /* the range of k (init: its k) */
    const struct kmeans_options *km;
    enum kmeans_choice choose;
    size_t silhouette_sample;
    int measure;                    /* measure even a single k (the selection table) */
    const struct persona_model *init;   /* refit from its centroids, or NULL */
};

/* Fit every k (or refit from init's centroids), measure, choose.
 * @return 0, or -1 with diag set (k over the rows, out of memory...). */
int persona_fit_ks(struct persona_fit *f, const struct persona_fit_options *o,
                   const struct dataset_read_options *ro, struct diag *diag);

/* The model of the fitted clustering r: scaling, centroids, the
 * z-deviations behind the labels, the projection. m is initialised here
 * (free with persona_model_free). @return 0, or -1 with diag set (out of memory). */
int persona_fit_model(const struct persona_fit *f, const struct kmeans_result *r,
                      const double *z, const double *pca_mean, const double *pca_axes,
                      struct persona_model *m, struct diag *diag);

void persona_fit_free(struct persona_fit *f);      /* accepts a zeroed fit */

/* The chosen clustering described: renumbered by size (unless refitted
 * from a model, whose numbers stay), projected on its first two principal
 * axes, profiled and labelled. */
struct persona_description {
    struct kmeans_result *result;       /* f's chosen result (not owned) */
    double *pca_mean, *pca_axes;        /* dims, 2 × dims; owned */
    struct persona_profiles profiles;
    char (*labels)[PERSONA_LABEL_MAX];  /* k; owned */
};

/* Describe f's chosen clustering; warns (ro's callback) of clusters that
 * share a centre. @return 0, or -1 with diag set. */
int persona_fit_describe(struct persona_fit *f, int renumber, enum l10n_lang lang,
                         const struct dataset_read_options *ro,
                         struct persona_description *desc, struct diag *diag);
void persona_description_free(struct persona_description *desc);    /* accepts zeroed */

#endif
