/* kmeans — k-means clustering on a row-major matrix of doubles, and the
 * measures that judge a clustering.
 *
 * Seeding is greedy k-means++ (each new centre is the best of a few
 * candidates drawn with probability proportional to D²); the iterations
 * follow Hamerly's algorithm: one upper and one lower bound per point skip
 * most distance computations and give the same assignments as Lloyd's.
 * Restarts run on threads; each restart draws from its own generator
 * (mt19937 seeded from the seed, k and the restart number) and the best
 * restart is the lowest inertia, ties to the lowest restart number, so the
 * result does not depend on the number of threads.
 *
 * An empty cluster (possible after an iteration) gets the point farthest
 * from its own centre among clusters of two points or more.
 *
 * The data x is `rows × dims`, row-major, contiguous (the layout of a
 * gsl_matrix with tda == dims). Nothing here prints or exits. */
#ifndef CL_KMEANS_H
#define CL_KMEANS_H

#include <stddef.h>
#include <stdint.h>

#include "diag.h"

struct kmeans_options {
    int n_init;             /* restarts, >= 1 (default 10) */
    int max_iter;           /* iterations per restart, >= 1 (default 300) */
    double tol;             /* stop when the squared centre shift, summed over
                               centres, is <= tol × the mean variance of the
                               features (default 1e-4, as scikit-learn) */
    unsigned long seed;     /* default 1 */
    int threads;            /* >= 1 (default 1) */
    int local_trials;       /* k-means++ candidates per centre; 0: 2 + ln k */
    size_t sample;          /* with more rows, the restarts run on a seeded sample
                               of this many, at least the largest k (0, the
                               default: on every row) */
};

void kmeans_options_init(struct kmeans_options *options);

struct kmeans_result {
    size_t k, dims, rows;
    double *centers;        /* k × dims, owned */
    int *labels;            /* rows, cluster of each row 0..k-1, owned */
    double *distance;       /* rows, distance of each row to its centre, owned */
    size_t *sizes;          /* k, rows per cluster, owned */
    double inertia;         /* sum of squared distances to the centres */
    int iterations;         /* of the restart kept */
    int converged;          /* 1 when it stopped before max_iter */
    int fixed;              /* 1 when its last step moved no row: a fixed point */
    int restart;            /* which restart was kept, from 0 */
};

void kmeans_result_free(struct kmeans_result *result);   /* accepts NULL */

/* Fit k-means for each k of ks[0..count) into results[0..count) (zeroed
 * by the caller; free each with kmeans_result_free). init_centers, when
 * not NULL, is the k × dims start of a single run (count must be 1 and no
 * seeding or restart happens). The restarts stop on the tolerance; the one
 * kept (lowest inertia) then goes on with Lloyd's iterations, on every row,
 * until they move no row (within max_iter): the result is a fixed point.
 * With options->sample > 0 and more rows than that, the restarts run on a
 * seeded sample of options->sample rows and the one kept goes on from its
 * centres on every row.
 * @return 0, or -1 with diag set (k = 0, k > rows, out of memory). */
int kmeans_fit(const double *x, size_t rows, size_t dims, const size_t *ks, size_t count,
               const double *init_centers, const struct kmeans_options *options,
               struct kmeans_result *results, struct diag *diag);

/* The absolute tolerance kmeans_fit uses: tol × mean of the column
 * variances (divided by rows). */
double kmeans_tolerance(const double *x, size_t rows, size_t dims, double tol);

/* One Hamerly run from the k × dims centres (updated in place), for tests
 * and for kmeans_fit. labels (rows) receive the clusters.
 * @return the number of iterations, or -1 when out of memory; *inertia
 *         gets the final sum of squared distances. */
int kmeans_run(const double *x, size_t rows, size_t dims, size_t k, double *centers,
               int *labels, int max_iter, double tol_abs, double *inertia);

/* Nearest centre of one row (ties: lowest index); *distance gets the
 * distance (not squared). */
int kmeans_nearest(const double *row, size_t dims, const double *centers, size_t k,
                   double *distance);

/* ---- measures ------------------------------------------------------- */

/* Mean silhouette of `count` clusterings (labels[c], ks[c] clusters) on the
 * same points: exact when rows <= sample (or sample is 0), else on
 * `sample` rows drawn without replacement by a generator seeded with seed
 * (the same rows for every clustering). A point alone in its cluster
 * scores 0; a clustering with one cluster gets NaN. *used receives the
 * number of rows used, at most KMEANS_SILHOUETTE_MAX_ROWS.
 * @return 0, or -1: more rows to use than that, or out of memory. */
#define KMEANS_SILHOUETTE_MAX_ROWS UINT32_MAX      /* the rows are numbered in 32 bits */
int kmeans_silhouette(const double *x, size_t rows, size_t dims, const int *const *labels,
                      const size_t *ks, size_t count, size_t sample, unsigned long seed,
                      int threads, double *out, size_t *used, struct diag *diag);

/* Calinski-Harabasz index (between / within dispersion of the clusters of
 * the labels about their means, each over its degrees of freedom); NaN
 * when k = 1, k = rows or the within dispersion is 0. */
double kmeans_calinski_harabasz(const double *x, size_t rows, size_t dims,
                                const struct kmeans_result *result);

/* Davies-Bouldin index (mean over clusters of the worst (s_i + s_j) /
 * d(c_i, c_j), c = the mean of a cluster's rows, s = their mean distance
 * to it; coinciding means count 0); NaN when k = 1. */
double kmeans_davies_bouldin(const double *x, size_t rows, size_t dims,
                             const struct kmeans_result *result);

enum kmeans_choice { KMEANS_SILHOUETTE, KMEANS_ELBOW, KMEANS_CH };

/* Index of the chosen k among count candidates (ks ascending): highest
 * silhouette, highest Calinski-Harabasz, or the elbow: the point of the
 * inertia curve farthest below the chord from the first to the last point,
 * both axes scaled to [0, 1]. NaN values are skipped; ties go to the
 * smallest k. @return the index, or -1 when no value is usable. */
long kmeans_choose(enum kmeans_choice choice, const size_t *ks, const double *inertia,
                   const double *silhouette, const double *ch, size_t count);

/* ---- projection ----------------------------------------------------- */

/* Principal axes of the rows: mean (dims) and the first two unit axes
 * (2 × dims) from the SVD of the dims × dims covariance matrix. The sign
 * of each axis makes its largest component positive. A missing second
 * axis (dims = 1) is all zeros. @return 0, or -1 with diag set. */
int kmeans_pca(const double *x, size_t rows, size_t dims, double *mean, double *axes,
               struct diag *diag);

/* Coordinates of one row on the two axes. */
void kmeans_project(const double *row, size_t dims, const double *mean, const double *axes,
                    double *pc1, double *pc2);

/* Renumber the clusters by decreasing size (ties: the cluster of the
 * earliest row first), so that cluster 1 is the largest persona: centres,
 * sizes and labels. @return 0, or -1 out of memory (r unchanged). */
int kmeans_renumber_by_size(struct kmeans_result *r);

#endif
