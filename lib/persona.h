/* persona — what a cluster of clients looks like, in numbers and in words,
 * and the saved model that keeps personas stable from month to month.
 *
 * A profile gives each cluster its size, share, the mean and median of
 * every feature in real units (as read), its z-deviation and, when there
 * is one, its share of revenue and the most frequent value of each
 * described column. The z-deviation of a feature is (cluster mean −
 * population mean) / population standard deviation (divided by n), both
 * on the transformed feature (after --log, before scaling).
 *
 * A label names the strongest deviations: up to three features with
 * |z| >= 0.5, strongest first, in words for the names cl-rollup writes
 * (revenue → "high monetary", orders → "frequent", recency_days low →
 * "recent"...) and "high <feature>" / "low <feature>" otherwise; "average"
 * when nothing stands out. English or French. */
#ifndef CL_PERSONA_H
#define CL_PERSONA_H

#include <stddef.h>
#include <stdio.h>

#include "diag.h"
#include "dataset.h"
#include "l10n.h"

#define PERSONA_THRESHOLD 0.5   /* |z| that makes a feature part of a label */
#define PERSONA_WORDS 3         /* features named at most */
#define PERSONA_LABEL_MAX 256   /* bytes of a persona's label */

/* Write the label of a cluster with z-deviations z[0..dims) into out.
 * @return out. */
char *persona_label(const char *const *names, const double *z, size_t dims,
                    enum l10n_lang lang, char *out, size_t size);

struct persona_profiles {
    size_t k, dims, texts;
    size_t *size;           /* k */
    double *share;          /* k: size / rows */
    double *mean;           /* k × dims, real units */
    double *median;         /* k × dims, real units */
    double *z;              /* k × dims */
    double *revenue_share;  /* k, or NULL without a revenue column */
    const char **mode;      /* k × texts, pointing into the features' text
                               (NULL for an empty cluster) */
};

/* Profiles of the k clusters given by labels (rows, 0..k-1) over the
 * features f transformed with the log flags of scaling.
 * @return 0, or -1 with diag set; free with persona_profiles_free. */
int persona_profiles(struct persona_profiles *p, const struct dataset *f, const int *log,
                     const int *labels, size_t k, struct diag *diag);
void persona_profiles_free(struct persona_profiles *p);   /* accepts zeroed */

/* ---- the model file ----------------------------------------------------- */

/* A CSV text file, first line "clientele_kmeans_model,1" (format version
 * 1), then one record per line:
 *   scale,<z|robust|minmax|none>
 *   feature,<name>,<log|none>,<center>,<scale>     (dims lines, in order)
 *   centroid,<cluster from 1>,<dims values in scaled units>
 *   z,<cluster from 1>,<dims z-deviations, for the labels>
 *   pca_mean,<dims values>
 *   pca_axis,<1|2>,<dims values>
 * Numbers are written so that they read back exactly. */
struct persona_model {
    struct dataset_scaling scaling;
    char **names;           /* dims, owned */
    size_t k;
    double *centers;        /* k × dims, scaled units, owned */
    double *z;              /* k × dims, owned */
    double *pca_mean;       /* dims, owned */
    double *pca_axes;       /* 2 × dims, owned */
};

/* Allocate a model for dims features and k clusters (zeros, scale 1).
 * @return 0, or -1 with diag set (out of memory). */
int persona_model_init(struct persona_model *m, size_t dims, size_t k, struct diag *diag);
void persona_model_free(struct persona_model *m);   /* accepts zeroed */

/* Write the model to fp, a file named name (for the message).
 * @return 0, or -1 with diag set ("cannot write NAME": a write error). */
int persona_model_write(const struct persona_model *m, FILE *fp, const char *name,
                        struct diag *diag);

/* Read and check a model file. @return 0, or -1 with diag set
 * ("file:line: problem"); free with persona_model_free. */
int persona_model_read(struct persona_model *m, const char *path, struct diag *diag);

#endif
