/* kmeans.c — k-means (k-means++ seeding, Lloyd's iterations on threads),
 * the measures that judge a clustering, and the 2-D projection (see
 * kmeans.h). */
#include "kmeans.h"

#include <gsl/gsl_linalg.h>
#include <gsl/gsl_matrix.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "radix.h"

void kmeans_options_init(struct kmeans_options *options)
{
    options->n_init = 10;
    options->max_iter = 300;
    options->tol = 1e-4;
    options->seed = 1;
    options->threads = 1;
    options->local_trials = 0;
    options->sample = 0;
}

void kmeans_result_free(struct kmeans_result *result)
{
    if (!result)
        return;
    free(result->centers);
    free(result->labels);
    free(result->distance);
    free(result->sizes);
    memset(result, 0, sizeof *result);
}

/* Squared Euclidean distance. Four partial sums: the order of the
 * additions is fixed, so results are the same on every run. */
static inline double sqdist(const double *a, const double *b, size_t d)
{
    double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    size_t j = 0;
    for (; j + 4 <= d; j += 4) {
        double e0 = a[j] - b[j], e1 = a[j + 1] - b[j + 1];
        double e2 = a[j + 2] - b[j + 2], e3 = a[j + 3] - b[j + 3];
        s0 += e0 * e0;
        s1 += e1 * e1;
        s2 += e2 * e2;
        s3 += e3 * e3;
    }
    for (; j < d; j++) {
        double e = a[j] - b[j];
        s0 += e * e;
    }
    return (s0 + s1) + (s2 + s3);
}

/* The sum of the squared distances of the n rows of x to their centres. */
static double inertia_of(const double *x, size_t n, size_t d, const double *c, const int *a)
{
    double total = 0;
    for (size_t i = 0; i < n; i++)
        total += sqdist(x + i * d, c + (size_t)a[i] * d, d);
    return total;
}

/* Nearest and second nearest centre (squared distances); ties go to the
 * lowest index. */
static inline int nearest2(const double *row, const double *c, size_t k, size_t d,
                           double *best_sq, double *second_sq)
{
    int best = 0;
    double d1 = sqdist(row, c, d), d2 = HUGE_VAL;
    for (size_t j = 1; j < k; j++) {
        double dd = sqdist(row, c + j * d, d);
        if (dd < d1) {
            d2 = d1;
            d1 = dd;
            best = (int)j;
        } else if (dd < d2) {
            d2 = dd;
        }
    }
    *best_sq = d1;
    *second_sq = d2;
    return best;
}

int kmeans_nearest(const double *row, size_t dims, const double *centers, size_t k,
                   double *distance)
{
    double d1, d2;
    int best = nearest2(row, centers, k, dims, &d1, &d2);
    *distance = sqrt(d1);
    return best;
}

/* Column means of a row-major matrix, in one pass over the rows. */
static void column_means(const double *x, size_t rows, size_t dims, double *mean)
{
    for (size_t t = 0; t < dims; t++)
        mean[t] = 0;
    for (size_t i = 0; i < rows; i++)
        for (size_t t = 0; t < dims; t++)
            mean[t] += x[i * dims + t];
    for (size_t t = 0; t < dims; t++)
        mean[t] /= (double)rows;
}

double kmeans_tolerance(const double *x, size_t rows, size_t dims, double tol)
{
    if (rows == 0 || dims == 0)
        return 0;
    double *mean = malloc(dims * sizeof *mean);
    if (!mean)
        return 0;
    column_means(x, rows, dims, mean);
    double total = 0;
    for (size_t i = 0; i < rows; i++)
        total += sqdist(x + i * dims, mean, dims);
    free(mean);
    return tol * total / (double)rows / (double)dims;
}

/* ---- Hamerly's algorithm --------------------------------------------- */

/* Give each empty cluster the point farthest from its centre among the
 * clusters that keep at least one point. u receives exact distances. */
static void fill_empty(const double *x, size_t n, size_t d, size_t k, const double *c,
                       int *a, double *u, double *l, double *sums, size_t *counts)
{
    int exact = 0;
    for (size_t j = 0; j < k; j++) {
        if (counts[j] > 0)
            continue;
        if (!exact) {
            for (size_t i = 0; i < n; i++)
                u[i] = sqrt(sqdist(x + i * d, c + (size_t)a[i] * d, d));
            exact = 1;
        }
        size_t far = n;
        for (size_t i = 0; i < n; i++)
            if (counts[a[i]] > 1 && (far == n || u[i] > u[far]))
                far = i;
        if (far == n)
            return;     /* cannot happen when n >= k */
        const double *row = x + far * d;
        double *from = sums + (size_t)a[far] * d;
        for (size_t t = 0; t < d; t++) {
            from[t] -= row[t];
            sums[j * d + t] = row[t];
        }
        counts[a[far]]--;
        counts[j] = 1;
        a[far] = (int)j;
        u[far] = 0;
        l[far] = 0;
    }
}

/* Hamerly's iterations. With `started`, a[i] already holds the nearest
 * centre of each row and u[i] the distance to it (from the seeding); the
 * lower bounds start at 0. u and l are work buffers of n values. */
static int hamerly(const double *x, size_t n, size_t d, size_t k, double *c, int *a,
                   double *u, double *l, int started, int max_iter, double tol_abs,
                   double *inertia, int *fixed)
{
    double *sums = calloc(k * d, sizeof *sums);
    double *newc = malloc(k * d * sizeof *newc);
    double *p = malloc(k * sizeof *p);
    double *s = malloc(k * sizeof *s);
    size_t *counts = calloc(k, sizeof *counts);
    int iterations = -1;
    if (!sums || !newc || !p || !s || !counts)
        goto done;

    for (size_t i = 0; i < n; i++) {
        const double *row = x + i * d;
        int best;
        if (started) {
            best = a[i];
            l[i] = k > 1 ? 0 : HUGE_VAL;
        } else {
            double d1, d2;
            best = nearest2(row, c, k, d, &d1, &d2);
            a[i] = best;
            u[i] = sqrt(d1);
            l[i] = k > 1 ? sqrt(d2) : HUGE_VAL;
        }
        double *sum = sums + (size_t)best * d;
        for (size_t t = 0; t < d; t++)
            sum[t] += row[t];
        counts[best]++;
    }

    iterations = 0;
    while (iterations < max_iter) {
        fill_empty(x, n, d, k, c, a, u, l, sums, counts);

        /* move the centres to the means */
        double shift = 0, p1 = 0, p2 = 0;
        size_t r1 = 0;
        for (size_t j = 0; j < k; j++) {
            for (size_t t = 0; t < d; t++)
                newc[j * d + t] = counts[j] ? sums[j * d + t] / (double)counts[j] : c[j * d + t];
            double moved = sqdist(c + j * d, newc + j * d, d);
            shift += moved;
            p[j] = sqrt(moved);
            if (p[j] > p1) {
                p2 = p1;
                p1 = p[j];
                r1 = j;
            } else if (p[j] > p2) {
                p2 = p[j];
            }
        }
        memcpy(c, newc, k * d * sizeof *c);
        iterations++;

        /* half the distance from each centre to its nearest other centre */
        for (size_t j = 0; j < k; j++) {
            double m = HUGE_VAL;
            for (size_t j2 = 0; j2 < k; j2++)
                if (j2 != j) {
                    double dd = sqdist(c + j * d, c + j2 * d, d);
                    if (dd < m)
                        m = dd;
                }
            s[j] = 0.5 * sqrt(m);
        }

        /* bounds follow the centres; points whose bounds do not prove
         * their centre nearest are checked */
        size_t changed = 0;
        for (size_t i = 0; i < n; i++) {
            size_t ai = (size_t)a[i];
            u[i] += p[ai];
            l[i] -= ai == r1 ? p2 : p1;
            double m = s[ai] > l[i] ? s[ai] : l[i];
            if (u[i] <= m)
                continue;
            const double *row = x + i * d;
            u[i] = sqrt(sqdist(row, c + ai * d, d));
            if (u[i] <= m)
                continue;
            double d1, d2;
            int best = nearest2(row, c, k, d, &d1, &d2);
            u[i] = sqrt(d1);
            l[i] = sqrt(d2);
            if ((size_t)best != ai) {
                double *from = sums + ai * d, *to = sums + (size_t)best * d;
                for (size_t t = 0; t < d; t++) {
                    from[t] -= row[t];
                    to[t] += row[t];
                }
                counts[ai]--;
                counts[best]++;
                a[i] = best;
                changed++;
            }
        }
        if (fixed)
            *fixed = changed == 0;
        if (changed == 0 || shift <= tol_abs)
            break;
    }

    *inertia = inertia_of(x, n, d, c, a);

done:
    free(sums);
    free(newc);
    free(p);
    free(s);
    free(counts);
    return iterations;
}

int kmeans_run(const double *x, size_t n, size_t d, size_t k, double *c, int *a,
               int max_iter, double tol_abs, double *inertia)
{
    double *u = malloc(n * sizeof *u);
    double *l = malloc(n * sizeof *l);
    int iterations = -1;
    if (u && l)
        iterations = hamerly(x, n, d, k, c, a, u, l, 0, max_iter, tol_abs, inertia, NULL);
    free(u);
    free(l);
    return iterations;
}

/* ---- seeding ---------------------------------------------------------- */

/* Greedy k-means++: the first centre is a uniform draw; each next one is
 * the best (lowest potential) of `trials` candidates drawn with
 * probability proportional to D², the squared distance to the nearest
 * centre chosen so far. When every point already sits on a centre, the
 * draw is uniform.
 *
 * The triangle inequality skips most distances: a candidate cannot come
 * nearer to a point than its nearest centre q when the candidate is at
 * least twice that distance from q, i.e. when D² <= d(candidate, q)² / 4.
 * On return near[i] is the nearest centre of row i (ties: the lowest
 * index) and closest[i] the squared distance to it. Work buffers: cum
 * (n), cand and pot (trials), quarter (trials × k). */
#define TRIALS_BLOCK 8     /* candidates whose potentials are summed together */

static void seed_plusplus(const double *x, size_t n, size_t d, size_t k, int trials,
                          gsl_rng *rng, double *c, int *near, double *closest, double *cum,
                          size_t *cand, double *pot, double *quarter)
{
    size_t first = (size_t)gsl_rng_uniform_int(rng, n);
    memcpy(c, x + first * d, d * sizeof *c);
    double total = 0;
    for (size_t i = 0; i < n; i++) {
        closest[i] = sqdist(x + i * d, c, d);
        near[i] = 0;
        total += closest[i];
        cum[i] = total;
    }
    for (size_t j = 1; j < k; j++) {
        for (int t = 0; t < trials; t++) {
            if (total > 0) {
                double r = gsl_rng_uniform(rng) * total;
                size_t lo = 0, hi = n - 1;     /* first i with cum[i] > r */
                while (lo < hi) {
                    size_t mid = lo + (hi - lo) / 2;
                    if (cum[mid] > r)
                        hi = mid;
                    else
                        lo = mid + 1;
                }
                cand[t] = lo;
            } else {
                cand[t] = (size_t)gsl_rng_uniform_int(rng, n);
            }
            pot[t] = 0;
            for (size_t q = 0; q < j; q++)
                quarter[(size_t)t * k + q] = 0.25 * sqdist(x + cand[t] * d, c + q * d, d);
        }
        /* the potentials summed row by row, in a local array (no store to
         * pot, which may alias, at every step): the same additions in the
         * same order, so the same bits */
        for (int t0 = 0; t0 < trials; t0 += TRIALS_BLOCK) {
            int tn = trials - t0 < TRIALS_BLOCK ? trials - t0 : TRIALS_BLOCK;
            double acc[TRIALS_BLOCK] = { 0 };
            const double *cp[TRIALS_BLOCK];
            for (int t = 0; t < tn; t++)
                cp[t] = x + cand[t0 + t] * d;
            for (size_t i = 0; i < n; i++) {
                const double *row = x + i * d;
                const double *qrow = quarter + (size_t)t0 * k + (size_t)near[i];
                double best = closest[i];
                for (int t = 0; t < tn; t++) {
                    double add = best;
                    if (best > qrow[(size_t)t * k]) {
                        double dd = sqdist(row, cp[t], d);
                        add = dd < best ? dd : best;
                    }
                    acc[t] += add;
                }
            }
            for (int t = 0; t < tn; t++)
                pot[t0 + t] = acc[t];
        }
        int best = 0;
        for (int t = 1; t < trials; t++)
            if (pot[t] < pot[best])
                best = t;
        const double *chosen = x + cand[best] * d;
        const double *bquarter = quarter + (size_t)best * k;
        memcpy(c + j * d, chosen, d * sizeof *c);
        /* nearest centres, and the cumulative D² of the next draw */
        total = 0;
        for (size_t i = 0; i < n; i++) {
            if (closest[i] > bquarter[near[i]]) {
                double dd = sqdist(x + i * d, chosen, d);
                if (dd < closest[i]) {
                    closest[i] = dd;
                    near[i] = (int)j;
                }
            }
            total += closest[i];
            cum[i] = total;
        }
    }
}

static uint64_t splitmix64(uint64_t z)
{
    z += 0x9E3779B97F4A7C15ull;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

/* The seed of one restart's generator: a hash of (seed, k, restart). */
static unsigned long restart_seed(unsigned long seed, size_t k, int restart)
{
    uint64_t h = splitmix64((uint64_t)seed);
    h = splitmix64(h ^ (uint64_t)k);
    h = splitmix64(h ^ (uint64_t)restart);
    return (unsigned long)(h & 0xFFFFFFFFu);
}

/* ---- the restart kept, to a fixed point -------------------------------- */

/* Lloyd's iterations from the kept restart until they change nothing:
 * Hamerly's with no tolerance, then exact steps (each centre the mean of
 * its rows summed afresh in row order, each row given its nearest centre)
 * until a step moves no row. Inertia never rises along Lloyd's steps, so
 * the result is no worse than the restart's. At most `budget` (>= 1)
 * iterations in all (the rest of --max-iter; a step that moves nothing is
 * the check, not an iteration); *fixed is 1 when the end is a fixed point.
 * @return the iterations made, or -1 out of memory. */
static int polish(const double *x, size_t n, size_t d, size_t k, double *c, int *a,
                  int budget, double *inertia, int *fixed)
{
    double *u = malloc(n * sizeof *u), *l = malloc(n * sizeof *l);
    double *sums = malloc(k * d * sizeof *sums);
    size_t *counts = malloc(k * sizeof *counts);
    int made = -1;
    *fixed = 0;
    if (!u || !l || !sums || !counts)
        goto done;
    made = hamerly(x, n, d, k, c, a, u, l, 0, budget, 0, inertia, NULL);
    while (made >= 0 && made < budget) {
        memset(sums, 0, k * d * sizeof *sums);
        memset(counts, 0, k * sizeof *counts);
        for (size_t i = 0; i < n; i++) {
            double *sum = sums + (size_t)a[i] * d;
            for (size_t t = 0; t < d; t++)
                sum[t] += x[i * d + t];
            counts[a[i]]++;
        }
        for (size_t j = 0; j < k; j++)
            for (size_t t = 0; t < d; t++)
                if (counts[j])
                    c[j * d + t] = sums[j * d + t] / (double)counts[j];
        /* a row moves only to a strictly nearer centre (a tie stays) */
        size_t changed = 0;
        double total = 0;
        memset(counts, 0, k * sizeof *counts);
        for (size_t i = 0; i < n; i++) {
            const double *row = x + i * d;
            double d1, d2, own = sqdist(row, c + (size_t)a[i] * d, d);
            int best = nearest2(row, c, k, d, &d1, &d2);
            if (d1 < own) {
                a[i] = best;
                changed++;
            }
            counts[a[i]]++;
            total += d1;
        }
        *inertia = total;
        for (size_t j = 0; j < k && changed; j++)
            if (counts[j] == 0) {
                /* fill_empty on the sums of the new labels; the next
                 * step sums them afresh */
                memset(sums, 0, k * d * sizeof *sums);
                for (size_t i = 0; i < n; i++)
                    for (size_t t = 0; t < d; t++)
                        sums[(size_t)a[i] * d + t] += x[i * d + t];
                fill_empty(x, n, d, k, c, a, u, l, sums, counts);
                break;
            }
        if (changed == 0) {
            *fixed = 1;
            break;
        }
        made++;
    }
    if (made >= 0 && !*fixed)
        *inertia = inertia_of(x, n, d, c, a);
done:
    free(u);
    free(l);
    free(sums);
    free(counts);
    return made;
}

/* ---- restarts on threads --------------------------------------------- */

struct fit_job {
    const double *x;
    size_t n, d;
    const size_t *ks;
    size_t count;
    const double *init;
    const struct kmeans_options *options;
    double tol_abs;
    struct kmeans_result *results;
    size_t tasks, next;
    int failed;
    pthread_mutex_t lock;
};

static void *fit_worker(void *arg)
{
    struct fit_job *job = arg;
    size_t n = job->n, d = job->d, kmax = 0;
    for (size_t i = 0; i < job->count; i++)
        if (job->ks[i] > kmax)
            kmax = job->ks[i];
    int trials_max = job->options->local_trials > 0 ? job->options->local_trials
                                                    : 2 + (int)log((double)kmax);
    double *c = malloc(kmax * d * sizeof *c);
    int *labels = malloc(n * sizeof *labels);
    double *u = malloc(n * sizeof *u), *l = malloc(n * sizeof *l);
    double *closest = job->init ? NULL : malloc(n * sizeof *closest);
    double *cum = job->init ? NULL : malloc(n * sizeof *cum);
    size_t *cand = malloc((size_t)trials_max * sizeof *cand);
    double *pot = malloc((size_t)trials_max * sizeof *pot);
    double *half = malloc((size_t)trials_max * kmax * sizeof *half);
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    int ok = c && labels && u && l && cand && pot && half && rng &&
             (job->init || (closest && cum));

    for (;;) {
        pthread_mutex_lock(&job->lock);
        if (!ok)
            job->failed = 1;
        size_t task = job->next < job->tasks && !job->failed ? job->next++ : job->tasks;
        pthread_mutex_unlock(&job->lock);
        if (task == job->tasks)
            break;

        int n_init = job->init ? 1 : job->options->n_init;
        size_t which = task / (size_t)n_init;
        int restart = (int)(task % (size_t)n_init);
        size_t k = job->ks[which];
        if (job->init) {
            memcpy(c, job->init, k * d * sizeof *c);
        } else {
            int trials = job->options->local_trials > 0 ? job->options->local_trials
                                                        : 2 + (int)log((double)k);
            gsl_rng_set(rng, restart_seed(job->options->seed, k, restart));
            seed_plusplus(job->x, n, d, k, trials, rng, c, labels, closest, cum, cand, pot,
                          half);
            for (size_t i = 0; i < n; i++)
                u[i] = sqrt(closest[i]);
        }
        double inertia;
        int fixed = 0;
        int iterations = hamerly(job->x, n, d, k, c, labels, u, l, !job->init,
                                 job->options->max_iter, job->tol_abs, &inertia, &fixed);
        if (iterations < 0) {
            ok = 0;
            continue;
        }

        pthread_mutex_lock(&job->lock);
        struct kmeans_result *r = &job->results[which];
        if (r->labels == NULL || inertia < r->inertia ||
            (inertia == r->inertia && restart < r->restart)) {
            int *old = r->labels;
            r->labels = labels;
            labels = old;
            memcpy(r->centers, c, k * d * sizeof *c);
            r->inertia = inertia;
            r->iterations = iterations;
            r->converged = iterations < job->options->max_iter;
            r->fixed = fixed;
            r->restart = restart;
        }
        pthread_mutex_unlock(&job->lock);
        if (labels == NULL && (labels = malloc(n * sizeof *labels)) == NULL)
            ok = 0;
    }
    if (!ok) {
        pthread_mutex_lock(&job->lock);
        job->failed = 1;
        pthread_mutex_unlock(&job->lock);
    }
    free(c);
    free(labels);
    free(u);
    free(l);
    free(half);
    free(closest);
    free(cum);
    free(cand);
    free(pot);
    gsl_rng_free(rng);
    return NULL;
}

/* Run fn(arg) on `threads` threads (the calling one included). */
static int run_threads(int threads, void *(*fn)(void *), void *arg)
{
    pthread_t ids[64];
    int started = 0;
    if (threads > 64)
        threads = 64;
    for (int t = 1; t < threads; t++) {
        if (pthread_create(&ids[started], NULL, fn, arg) != 0)
            break;      /* fewer threads: same result, only slower */
        started++;
    }
    fn(arg);
    for (int t = 0; t < started; t++)
        pthread_join(ids[t], NULL);
    return 0;
}

struct polish_job {
    const double *x;
    size_t n, d, count;
    struct kmeans_result *results;
    int max_iter;
    int sampled;            /* the restarts ran on a sample: labels of all rows */
    size_t next;
    int failed;
    pthread_mutex_t lock;
};

/* The kept restart of each k to a fixed point on every row: when the
 * restarts ran on all rows, one that the tolerance stopped while rows
 * still moved, with what is left of --max-iter (one that stopped because
 * no row moved is a fixed point already, and stays as it is); after a
 * sample, from its centres, with --max-iter iterations. */
static void *polish_worker(void *arg)
{
    struct polish_job *job = arg;
    for (;;) {
        pthread_mutex_lock(&job->lock);
        size_t i = job->failed ? job->count : job->next;
        if (i < job->count)
            job->next++;
        pthread_mutex_unlock(&job->lock);
        if (i >= job->count)
            break;
        struct kmeans_result *r = &job->results[i];
        int budget = job->max_iter;
        if (job->sampled) {
            int *labels = malloc(job->n * sizeof *labels);
            if (!labels) {
                pthread_mutex_lock(&job->lock);
                job->failed = 1;
                pthread_mutex_unlock(&job->lock);
                break;
            }
            free(r->labels);
            r->labels = labels;
        } else if (r->converged && !r->fixed && r->iterations < job->max_iter) {
            budget -= r->iterations;
        } else {
            continue;
        }
        /* the restart as it was: kept when the fixed point's inertia is no
         * lower (the same partition, its means summed in another order) */
        size_t kd = r->k * job->d;
        int *labels0 = job->sampled ? NULL : malloc(job->n * sizeof *labels0);
        double *centers0 = malloc(kd * sizeof *centers0);
        double inertia0 = r->inertia;
        int fixed = 0, made = -1;
        if (centers0 && (job->sampled || labels0)) {
            memcpy(centers0, r->centers, kd * sizeof *centers0);
            if (labels0)
                memcpy(labels0, r->labels, job->n * sizeof *labels0);
            made = polish(job->x, job->n, job->d, r->k, r->centers, r->labels, budget,
                          &r->inertia, &fixed);
        }
        if (made >= 0 && labels0 && !(r->inertia < inertia0)) {
            memcpy(r->centers, centers0, kd * sizeof *centers0);
            memcpy(r->labels, labels0, job->n * sizeof *labels0);
            r->inertia = inertia0;
        }
        free(labels0);
        free(centers0);
        if (made < 0) {
            pthread_mutex_lock(&job->lock);
            job->failed = 1;
            pthread_mutex_unlock(&job->lock);
            break;
        }
        r->iterations += made;
        r->converged = r->fixed = fixed;
    }
    return NULL;
}

int kmeans_fit(const double *x, size_t rows, size_t dims, const size_t *ks, size_t count,
               const double *init_centers, const struct kmeans_options *options,
               struct kmeans_result *results, struct diag *diag)
{
    if (rows == 0)
        return diag_set(diag, "no rows to cluster");
    if (init_centers && count != 1)
        return diag_set(diag, "starting centres need a single k");
    for (size_t i = 0; i < count; i++) {
        if (ks[i] == 0)
            return diag_set(diag, "k must be at least 1");
        if (ks[i] > rows)
            return diag_set(diag, "k = %zu is more than the %zu rows to cluster", ks[i], rows);
    }
    for (size_t i = 0; i < count; i++) {
        struct kmeans_result *r = &results[i];
        memset(r, 0, sizeof *r);
        r->k = ks[i];
        r->dims = dims;
        r->rows = rows;
        r->centers = malloc(ks[i] * dims * sizeof *r->centers);
        r->sizes = calloc(ks[i], sizeof *r->sizes);
        r->distance = malloc(rows * sizeof *r->distance);
        if (!r->centers || !r->sizes || !r->distance)
            goto oom;
    }

    /* with more rows than options->sample, the restarts run on a seeded
     * sample of them (sorted, drawn without replacement) */
    size_t m = rows;
    double *xs = NULL;
    size_t kmax = 0;
    for (size_t i = 0; i < count; i++)
        if (ks[i] > kmax)
            kmax = ks[i];
    size_t want = options->sample > kmax ? options->sample : kmax;
    if (!init_centers && options->sample > 0 && rows > want) {
        m = want;
        xs = malloc(m * dims * sizeof *xs);
        gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
        if (!xs || !rng) {
            free(xs);
            gsl_rng_free(rng);
            goto oom;
        }
        gsl_rng_set(rng, restart_seed(options->seed, 0, -2));
        size_t chosen = 0;
        for (size_t i = 0; i < rows && chosen < m; i++)
            if ((double)(rows - i) * gsl_rng_uniform(rng) < (double)(m - chosen))
                memcpy(xs + chosen++ * dims, x + i * dims, dims * sizeof *xs);
        gsl_rng_free(rng);
    }

    struct fit_job job = {
        .x = xs ? xs : x, .n = m, .d = dims, .ks = ks, .count = count, .init = init_centers,
        .options = options, .results = results,
        .tol_abs = kmeans_tolerance(x, rows, dims, options->tol),
    };
    job.tasks = count * (size_t)(init_centers ? 1 : options->n_init);
    pthread_mutex_init(&job.lock, NULL);
    int threads = options->threads < 1 ? 1 : options->threads;
    run_threads((size_t)threads > job.tasks ? (int)job.tasks : threads, fit_worker, &job);
    pthread_mutex_destroy(&job.lock);
    free(xs);
    if (job.failed)
        goto oom;

    /* the restart kept, on every row, to a fixed point: each k on a thread */
    struct polish_job pj = {
        .x = x, .n = rows, .d = dims, .count = count, .results = results,
        .max_iter = options->max_iter, .sampled = xs != NULL,
    };
    pthread_mutex_init(&pj.lock, NULL);
    run_threads((size_t)threads > count ? (int)count : threads, polish_worker, &pj);
    pthread_mutex_destroy(&pj.lock);
    if (pj.failed)
        goto oom;

    for (size_t i = 0; i < count; i++) {
        struct kmeans_result *r = &results[i];
        for (size_t row = 0; row < rows; row++) {
            size_t j = (size_t)r->labels[row];
            r->sizes[j]++;
            r->distance[row] = sqrt(sqdist(x + row * dims, r->centers + j * dims, dims));
        }
    }
    return 0;

oom:
    for (size_t i = 0; i < count; i++)
        kmeans_result_free(&results[i]);
    return diag_set(diag, "out of memory");
}

/* ---- measures ----------------------------------------------------------- */

struct silhouette_job {
    const double *points;   /* m × d, the rows used */
    const double *cols;     /* d × m: the same, by column */
    size_t m, d, count, kmax;
    const int *labels;      /* count × m */
    const size_t *sizes;    /* count × kmax: cluster sizes among the rows used */
    const size_t *ks;
    const uint32_t *members;    /* count × m: each clustering's rows, by cluster, each
                                 * cluster's in the rows' order */
    const size_t *first;        /* count × (kmax + 1): where each cluster's begin there */
    double *scores;         /* count × m */
    size_t next;
    int failed;
    pthread_mutex_t lock;
};

#define SILHOUETTE_CHUNK 64
#define SILHOUETTE_ROWS 4       /* rows whose sums are made in one pass over the points */

/* Row i's score in clustering c from its sums of distances to each cluster. */
static double silhouette_score(const struct silhouette_job *job, const double *sums, size_t c,
                               size_t i)
{
    size_t own = (size_t)job->labels[c * job->m + i], k = job->ks[c];
    const size_t *sizes = job->sizes + c * job->kmax;
    if (k <= 1 || sizes[own] <= 1)
        return 0;
    double a = sums[own] / (double)(sizes[own] - 1);
    double b = HUGE_VAL;
    for (size_t j = 0; j < k; j++)
        if (j != own && sizes[j] > 0) {
            double mean = sums[j] / (double)sizes[j];
            if (mean < b)
                b = mean;
        }
    double top = a > b ? a : b;
    return top > 0 && isfinite(b) ? (b - a) / top : 0;
}

/* out[j]: row i's distance to every row j, each the bits of
 * sqrt(sqdist(row i, row j)): two rows j at a time with SSE2 (x86-64's
 * base), lane by lane the same operations in the same order as sqdist. */
static void distances(const struct silhouette_job *job, size_t i, double *out)
{
    size_t m = job->m, d = job->d, j = 0;
    const double *pi = job->points + i * d;
#if defined(__SSE2__)
    const double *cols = job->cols;
    for (; j + 2 <= m; j += 2) {
        __m128d s0 = _mm_setzero_pd(), s1 = s0, s2 = s0, s3 = s0;
        size_t k = 0;
        for (; k + 4 <= d; k += 4) {
            __m128d e0 = _mm_sub_pd(_mm_set1_pd(pi[k]), _mm_loadu_pd(cols + k * m + j));
            __m128d e1 = _mm_sub_pd(_mm_set1_pd(pi[k + 1]), _mm_loadu_pd(cols + (k + 1) * m + j));
            __m128d e2 = _mm_sub_pd(_mm_set1_pd(pi[k + 2]), _mm_loadu_pd(cols + (k + 2) * m + j));
            __m128d e3 = _mm_sub_pd(_mm_set1_pd(pi[k + 3]), _mm_loadu_pd(cols + (k + 3) * m + j));
            s0 = _mm_add_pd(s0, _mm_mul_pd(e0, e0));
            s1 = _mm_add_pd(s1, _mm_mul_pd(e1, e1));
            s2 = _mm_add_pd(s2, _mm_mul_pd(e2, e2));
            s3 = _mm_add_pd(s3, _mm_mul_pd(e3, e3));
        }
        for (; k < d; k++) {
            __m128d e = _mm_sub_pd(_mm_set1_pd(pi[k]), _mm_loadu_pd(cols + k * m + j));
            s0 = _mm_add_pd(s0, _mm_mul_pd(e, e));
        }
        _mm_storeu_pd(out + j, _mm_sqrt_pd(_mm_add_pd(_mm_add_pd(s0, s1), _mm_add_pd(s2, s3))));
    }
#endif
    for (; j < m; j++)
        out[j] = sqrt(sqdist(pi, job->points + j * d, d));
}

/* sums[r * kmax] for r < rows (1 to 4): row r's distances (dist + r * m)
 * to the members at..stop summed in their order, one running sum a row,
 * side by side. Inlined where rows is a constant (SILHOUETTE_ROWS), the
 * tests of rows fold away and the four sums stay in registers; a chunk's
 * last rows, fewer, take the same additions in the same order. (An array
 * of sums indexed by the row, unrolled, was kept in memory by GCC 12 and
 * took 1.5 times as long.) */
static inline void member_sums(const double *dist, size_t m, const uint32_t *at,
                               const uint32_t *stop, size_t rows, double *sums, size_t kmax)
{
    _Static_assert(SILHOUETTE_ROWS == 4, "member_sums keeps four sums");
    double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    for (; at < stop; at++) {
        size_t j = *at;
        s0 += dist[j];
        if (rows > 1)
            s1 += dist[m + j];
        if (rows > 2)
            s2 += dist[2 * m + j];
        if (rows > 3)
            s3 += dist[3 * m + j];
    }
    sums[0] = s0;
    if (rows > 1)
        sums[kmax] = s1;
    if (rows > 2)
        sums[2 * kmax] = s2;
    if (rows > 3)
        sums[3 * kmax] = s3;
}

/* Each row's sum over a cluster adds its distances in the order of the
 * points, as the plain loop (every point, its distance added to its
 * cluster's sum) does: the scores are the same bits. SILHOUETTE_ROWS rows'
 * distances to every point are made first; then each cluster's sums walk
 * its members with one running sum a row, in registers, side by side. (The
 * plain loop stored a sum at every point and clustering: the stores
 * bounded it.) A row's distance to itself is left out as a 0, which adds
 * nothing to a sum of distances (never -0). */
static void *silhouette_worker(void *arg)
{
    struct silhouette_job *job = arg;
    size_t m = job->m, count = job->count, kmax = job->kmax;
    double *dist = malloc(SILHOUETTE_ROWS * m * sizeof *dist);
    double *sums = malloc(SILHOUETTE_ROWS * kmax * sizeof *sums);
    if (!dist || !sums) {
        free(dist);
        free(sums);
        pthread_mutex_lock(&job->lock);
        job->failed = 1;
        pthread_mutex_unlock(&job->lock);
        return NULL;
    }
    for (;;) {
        pthread_mutex_lock(&job->lock);
        size_t start = job->failed ? m : job->next;
        if (start < m)
            job->next += SILHOUETTE_CHUNK;
        pthread_mutex_unlock(&job->lock);
        if (start >= m)
            break;
        size_t end = start + SILHOUETTE_CHUNK < m ? start + SILHOUETTE_CHUNK : m;
        for (size_t i = start; i < end; i += SILHOUETTE_ROWS) {
            size_t rows = end - i < SILHOUETTE_ROWS ? end - i : SILHOUETTE_ROWS;
            for (size_t r = 0; r < rows; r++) {
                distances(job, i + r, dist + r * m);
                dist[r * m + i + r] = 0;
            }
            for (size_t c = 0; c < count; c++) {
                const uint32_t *mem = job->members + c * m;
                const size_t *first = job->first + c * (kmax + 1);
                for (size_t l = 0; l < job->ks[c]; l++) {
                    const uint32_t *at = mem + first[l], *stop = mem + first[l + 1];
                    /* one call; with the constant, the tests of rows fold away */
                    if (rows == SILHOUETTE_ROWS)
                        member_sums(dist, m, at, stop, SILHOUETTE_ROWS, sums + l, kmax);
                    else
                        member_sums(dist, m, at, stop, rows, sums + l, kmax);
                }
                for (size_t r = 0; r < rows; r++)
                    job->scores[c * m + i + r] = silhouette_score(job, sums + r * kmax, c, i + r);
            }
        }
    }
    free(dist);
    free(sums);
    return NULL;
}

int kmeans_silhouette(const double *x, size_t rows, size_t dims, const int *const *labels,
                      const size_t *ks, size_t count, size_t sample, unsigned long seed,
                      int threads, double *out, size_t *used, struct diag *diag)
{
    size_t m = rows <= sample || sample == 0 ? rows : sample;
    if (m > KMEANS_SILHOUETTE_MAX_ROWS)
        return diag_set(diag, "the silhouette takes at most %zu rows, not %zu: take a sample",
                        (size_t)KMEANS_SILHOUETTE_MAX_ROWS, m);
    size_t kmax = 1;
    for (size_t c = 0; c < count; c++)
        if (ks[c] > kmax)
            kmax = ks[c];
    size_t *pick = malloc(m * sizeof *pick);
    double *points = malloc(m * dims * sizeof *points);
    double *cols = malloc(m * dims * sizeof *cols);
    int *lab = malloc(count * m * sizeof *lab);
    size_t *sizes = calloc(count * kmax, sizeof *sizes);
    double *scores = malloc(count * m * sizeof *scores);
    uint32_t *members = malloc((count * m + 1) * sizeof *members);
    size_t *first = malloc(count * (kmax + 1) * sizeof *first);
    int status = -1;
    if (!pick || !points || !cols || !lab || !sizes || !scores || !members || !first) {
        diag_set(diag, "out of memory");
        goto done;
    }
    if (m == rows) {
        for (size_t i = 0; i < m; i++)
            pick[i] = i;
    } else {
        /* a sorted sample without replacement (Knuth's selection sampling) */
        gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
        if (!rng) {
            diag_set(diag, "out of memory");
            goto done;
        }
        gsl_rng_set(rng, restart_seed(seed, 0, -1));
        size_t chosen = 0;
        for (size_t i = 0; i < rows && chosen < m; i++)
            if ((double)(rows - i) * gsl_rng_uniform(rng) < (double)(m - chosen))
                pick[chosen++] = i;
        gsl_rng_free(rng);
    }
    for (size_t i = 0; i < m; i++) {
        memcpy(points + i * dims, x + pick[i] * dims, dims * sizeof *points);
        for (size_t c = 0; c < count; c++) {
            int l = labels[c][pick[i]];
            lab[c * m + i] = l;
            sizes[c * kmax + (size_t)l]++;
        }
    }
    for (size_t i = 0; i < m; i++)
        for (size_t k = 0; k < dims; k++)
            cols[k * m + i] = points[i * dims + k];
    /* each clustering's rows by cluster, in their order (radix.h's grouping) */
    for (size_t c = 0; c < count; c++) {
        size_t *f = first + c * (kmax + 1);
        radix_group_offsets(f, sizes + c * kmax, kmax);
        for (size_t i = 0; i < m; i++)
            members[c * m + f[lab[c * m + i]]++] = (uint32_t)i;
        radix_group_restore(f, kmax);
    }
    struct silhouette_job job = {
        .points = points, .cols = cols, .m = m, .d = dims, .count = count, .kmax = kmax,
        .labels = lab, .sizes = sizes, .ks = ks, .members = members, .first = first,
        .scores = scores,
    };
    int any = 0;
    for (size_t c = 0; c < count; c++)
        any |= ks[c] > 1;
    if (!any)
        job.next = m;       /* one cluster has no silhouette: nothing to compute */
    pthread_mutex_init(&job.lock, NULL);
    run_threads(threads < 1 ? 1 : threads, silhouette_worker, &job);
    pthread_mutex_destroy(&job.lock);
    if (job.failed) {
        diag_set(diag, "out of memory");
        goto done;
    }
    for (size_t c = 0; c < count; c++) {
        double total = 0;
        for (size_t i = 0; any && i < m; i++)
            total += scores[c * m + i];
        out[c] = ks[c] > 1 && m > 0 ? total / (double)m : NAN;
    }
    *used = m;
    status = 0;
done:
    free(pick);
    free(points);
    free(cols);
    free(lab);
    free(sizes);
    free(scores);
    free(members);
    free(first);
    return status;
}

/* Means of the clusters of the labels (k × dims) and their sizes. */
static int label_means(const double *x, size_t rows, size_t dims, const int *labels, size_t k,
                       double *means, size_t *sizes)
{
    memset(means, 0, k * dims * sizeof *means);
    memset(sizes, 0, k * sizeof *sizes);
    for (size_t i = 0; i < rows; i++) {
        size_t j = (size_t)labels[i];
        sizes[j]++;
        for (size_t t = 0; t < dims; t++)
            means[j * dims + t] += x[i * dims + t];
    }
    for (size_t j = 0; j < k; j++)
        for (size_t t = 0; t < dims; t++)
            means[j * dims + t] = sizes[j] ? means[j * dims + t] / (double)sizes[j] : 0;
    return 0;
}

double kmeans_calinski_harabasz(const double *x, size_t rows, size_t dims,
                                const struct kmeans_result *r)
{
    size_t k = r->k;
    if (k < 2 || k >= rows)
        return NAN;
    double *mean = malloc(dims * sizeof *mean), *means = malloc(k * dims * sizeof *means);
    size_t *sizes = malloc(k * sizeof *sizes);
    double value = NAN;
    if (!mean || !means || !sizes)
        goto done;
    column_means(x, rows, dims, mean);
    label_means(x, rows, dims, r->labels, k, means, sizes);
    double between = 0, within = 0;
    for (size_t j = 0; j < k; j++)
        between += (double)sizes[j] * sqdist(means + j * dims, mean, dims);
    for (size_t i = 0; i < rows; i++)
        within += sqdist(x + i * dims, means + (size_t)r->labels[i] * dims, dims);
    if (within > 0)
        value = (between / (double)(k - 1)) / (within / (double)(rows - k));
done:
    free(mean);
    free(means);
    free(sizes);
    return value;
}

double kmeans_davies_bouldin(const double *x, size_t rows, size_t dims,
                             const struct kmeans_result *r)
{
    size_t k = r->k, d = dims;
    if (k < 2)
        return NAN;
    double *spread = calloc(k, sizeof *spread), *means = malloc(k * d * sizeof *means);
    size_t *sizes = malloc(k * sizeof *sizes);
    double total = NAN;
    if (!spread || !means || !sizes)
        goto done;
    label_means(x, rows, d, r->labels, k, means, sizes);
    for (size_t i = 0; i < rows; i++)
        spread[r->labels[i]] += sqrt(sqdist(x + i * d, means + (size_t)r->labels[i] * d, d));
    for (size_t j = 0; j < k; j++)
        spread[j] = sizes[j] ? spread[j] / (double)sizes[j] : 0;
    total = 0;
    for (size_t i = 0; i < k; i++) {
        double worst = 0;
        for (size_t j = 0; j < k; j++) {
            if (j == i)
                continue;
            double dist = sqrt(sqdist(means + i * d, means + j * d, d));
            double ratio = dist > 0 ? (spread[i] + spread[j]) / dist : 0;
            if (ratio > worst)
                worst = ratio;
        }
        total += worst;
    }
    total /= (double)k;
done:
    free(spread);
    free(means);
    free(sizes);
    return total;
}

long kmeans_choose(enum kmeans_choice choice, const size_t *ks, const double *inertia,
                   const double *silhouette, const double *ch, size_t count)
{
    long best = -1;
    if (choice == KMEANS_ELBOW) {
        if (count == 0)
            return -1;
        double lo = inertia[0], hi = inertia[0];
        for (size_t i = 1; i < count; i++) {
            if (inertia[i] < lo) lo = inertia[i];
            if (inertia[i] > hi) hi = inertia[i];
        }
        double kspan = (double)(ks[count - 1] - ks[0]);
        double yspan = hi - lo;
        if (count < 3 || kspan <= 0 || yspan <= 0)
            return 0;
        double y0 = (inertia[0] - lo) / yspan, y1 = (inertia[count - 1] - lo) / yspan;
        double best_gap = -HUGE_VAL;
        for (size_t i = 0; i < count; i++) {
            double t = (double)(ks[i] - ks[0]) / kspan;
            double gap = (y0 + (y1 - y0) * t) - (inertia[i] - lo) / yspan;
            if (gap > best_gap) {
                best_gap = gap;
                best = (long)i;
            }
        }
        return best;
    }
    const double *v = choice == KMEANS_CH ? ch : silhouette;
    for (size_t i = 0; i < count; i++)
        if (!isnan(v[i]) && (best < 0 || v[i] > v[best]))
            best = (long)i;
    return best;
}

/* ---- projection ---------------------------------------------------------- */

int kmeans_pca(const double *x, size_t rows, size_t dims, double *mean, double *axes,
               struct diag *diag)
{
    if (rows == 0 || dims == 0)
        return diag_set(diag, "no data to project");
    column_means(x, rows, dims, mean);
    gsl_matrix *cov = gsl_matrix_calloc(dims, dims);
    gsl_matrix *v = gsl_matrix_alloc(dims, dims);
    gsl_vector *sv = gsl_vector_alloc(dims);
    gsl_vector *work = gsl_vector_alloc(dims);
    double *centred = malloc(dims * sizeof *centred);
    int status = -1;
    if (!cov || !v || !sv || !work || !centred) {
        diag_set(diag, "out of memory");
        goto done;
    }
    for (size_t i = 0; i < rows; i++) {
        const double *row = x + i * dims;
        for (size_t a = 0; a < dims; a++)
            centred[a] = row[a] - mean[a];
        for (size_t a = 0; a < dims; a++) {
            double *line = cov->data + a * cov->tda;
            for (size_t b = a; b < dims; b++)
                line[b] += centred[a] * centred[b];
        }
    }
    for (size_t a = 0; a < dims; a++)
        for (size_t b = a; b < dims; b++) {
            double value = gsl_matrix_get(cov, a, b) / (double)rows;
            gsl_matrix_set(cov, a, b, value);
            gsl_matrix_set(cov, b, a, value);
        }
    /* the covariance is symmetric positive semi-definite: its singular
     * vectors are its eigenvectors, by decreasing variance */
    if (gsl_linalg_SV_decomp(cov, v, sv, work) != 0) {
        diag_set(diag, "the singular value decomposition failed");
        goto done;
    }
    memset(axes, 0, 2 * dims * sizeof *axes);
    for (size_t c = 0; c < 2 && c < dims; c++) {
        size_t top = 0;
        for (size_t a = 0; a < dims; a++) {
            axes[c * dims + a] = gsl_matrix_get(v, a, c);
            if (fabs(axes[c * dims + a]) > fabs(axes[c * dims + top]) + 1e-12)
                top = a;
        }
        if (axes[c * dims + top] < 0)
            for (size_t a = 0; a < dims; a++)
                axes[c * dims + a] = -axes[c * dims + a] + 0.0;
    }
    status = 0;
done:
    gsl_matrix_free(cov);
    gsl_matrix_free(v);
    gsl_vector_free(sv);
    gsl_vector_free(work);
    free(centred);
    return status;
}

void kmeans_project(const double *row, size_t dims, const double *mean, const double *axes,
                    double *pc1, double *pc2)
{
    double a = 0, b = 0;
    for (size_t t = 0; t < dims; t++) {
        double e = row[t] - mean[t];
        a += e * axes[t];
        b += e * axes[dims + t];
    }
    *pc1 = a + 0.0;
    *pc2 = b + 0.0;
}

int kmeans_renumber_by_size(struct kmeans_result *r)
{
    size_t k = r->k, d = r->dims;
    size_t *first = malloc(k * sizeof *first), *order = malloc(k * sizeof *order);
    int *rank = malloc(k * sizeof *rank);
    double *centers = malloc(k * d * sizeof *centers);
    size_t *sizes = malloc(k * sizeof *sizes);
    int rc = 0;
    if (!first || !order || !rank || !centers || !sizes) {
        rc = -1;
        goto done;
    }
    for (size_t j = 0; j < k; j++) {
        first[j] = r->rows;
        order[j] = j;
    }
    for (size_t i = r->rows; i-- > 0;)
        first[r->labels[i]] = i;
    /* insertion sort: k is small */
    for (size_t a = 1; a < k; a++) {
        size_t v = order[a], b = a;
        while (b > 0) {
            size_t u = order[b - 1];
            int before = r->sizes[v] > r->sizes[u] ||
                         (r->sizes[v] == r->sizes[u] && first[v] < first[u]);
            if (!before)
                break;
            order[b] = u;
            b--;
        }
        order[b] = v;
    }
    for (size_t j = 0; j < k; j++) {
        rank[order[j]] = (int)j;
        memcpy(centers + j * d, r->centers + order[j] * d, d * sizeof *centers);
        sizes[j] = r->sizes[order[j]];
    }
    memcpy(r->centers, centers, k * d * sizeof *centers);
    memcpy(r->sizes, sizes, k * sizeof *sizes);
    for (size_t i = 0; i < r->rows; i++)
        r->labels[i] = rank[r->labels[i]];
done:
    free(first);
    free(order);
    free(rank);
    free(centers);
    free(sizes);
    return rc;
}
