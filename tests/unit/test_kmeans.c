/* Unit tests of kmeans, dataset and persona: every figure is checked
 * against a second computation written here (plain Lloyd, naive
 * silhouette, formulas by hand) or a value worked out by hand. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <gsl/gsl_errno.h>

#include "dataset.h"
#include "kmeans.h"
#include "parse.h"
#include "persona.h"

static int failures;

static void check(int ok, const char *name)
{
    printf("%s - %s\n", ok ? "ok" : "not ok", name);
    if (!ok)
        failures++;
}

static int close_to(double a, double b, double tol)
{
    return fabs(a - b) <= tol * (1 + fabs(b));
}

/* ---- an independent reference: xorshift, plain k-means++, Lloyd ------ */

static uint64_t rng_state;

static double rnd(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return (double)(rng_state >> 11) / 9007199254740992.0;
}

static double gauss(void)
{
    double u = rnd() + 1e-300, v = rnd();
    return sqrt(-2 * log(u)) * cos(2 * M_PI * v);
}

static double dist2(const double *a, const double *b, size_t d)
{
    double s = 0;
    for (size_t j = 0; j < d; j++)
        s += (a[j] - b[j]) * (a[j] - b[j]);
    return s;
}

/* Lloyd's iterations until no label changes; returns the inertia. */
static double lloyd(const double *x, size_t n, size_t d, size_t k, double *c, int *lab)
{
    double *sum = malloc(k * d * sizeof *sum);
    size_t *cnt = malloc(k * sizeof *cnt);
    for (size_t i = 0; i < n; i++)
        lab[i] = -1;
    for (int it = 0; it < 1000; it++) {
        int changed = 0;
        for (size_t i = 0; i < n; i++) {
            int best = 0;
            double bd = dist2(x + i * d, c, d);
            for (size_t j = 1; j < k; j++) {
                double dd = dist2(x + i * d, c + j * d, d);
                if (dd < bd) {
                    bd = dd;
                    best = (int)j;
                }
            }
            if (lab[i] != best) {
                lab[i] = best;
                changed = 1;
            }
        }
        if (!changed)
            break;
        memset(sum, 0, k * d * sizeof *sum);
        memset(cnt, 0, k * sizeof *cnt);
        for (size_t i = 0; i < n; i++) {
            cnt[lab[i]]++;
            for (size_t t = 0; t < d; t++)
                sum[(size_t)lab[i] * d + t] += x[i * d + t];
        }
        for (size_t j = 0; j < k; j++)
            if (cnt[j])
                for (size_t t = 0; t < d; t++)
                    c[j * d + t] = sum[j * d + t] / (double)cnt[j];
    }
    double inertia = 0;
    for (size_t i = 0; i < n; i++)
        inertia += dist2(x + i * d, c + (size_t)lab[i] * d, d);
    free(sum);
    free(cnt);
    return inertia;
}

/* Best of `restarts` runs of plain k-means++ (one candidate) + Lloyd. */
static double reference_kmeans(const double *x, size_t n, size_t d, size_t k, int restarts,
                               uint64_t seed)
{
    double best = HUGE_VAL;
    double *c = malloc(k * d * sizeof *c), *dd = malloc(n * sizeof *dd);
    int *lab = malloc(n * sizeof *lab);
    rng_state = seed * 2654435761u + 88172645463325252ull;
    for (int r = 0; r < restarts; r++) {
        size_t first = (size_t)(rnd() * (double)n);
        memcpy(c, x + first * d, d * sizeof *c);
        for (size_t i = 0; i < n; i++)
            dd[i] = dist2(x + i * d, c, d);
        for (size_t j = 1; j < k; j++) {
            double total = 0;
            for (size_t i = 0; i < n; i++)
                total += dd[i];
            double target = rnd() * total, run = 0;
            size_t pick = n - 1;
            for (size_t i = 0; i < n; i++) {
                run += dd[i];
                if (run > target) {
                    pick = i;
                    break;
                }
            }
            memcpy(c + j * d, x + pick * d, d * sizeof *c);
            for (size_t i = 0; i < n; i++) {
                double v = dist2(x + i * d, c + j * d, d);
                if (v < dd[i])
                    dd[i] = v;
            }
        }
        double inertia = lloyd(x, n, d, k, c, lab);
        if (inertia < best)
            best = inertia;
    }
    free(c);
    free(dd);
    free(lab);
    return best;
}

/* n points around `blobs` centres drawn in [-spread, spread]^d. */
static double *make_blobs(size_t n, size_t d, size_t blobs, double spread, double sd,
                          uint64_t seed)
{
    double *x = malloc(n * d * sizeof *x), *centre = malloc(blobs * d * sizeof *centre);
    rng_state = seed;
    for (size_t b = 0; b < blobs * d; b++)
        centre[b] = (2 * rnd() - 1) * spread;
    for (size_t i = 0; i < n; i++)
        for (size_t t = 0; t < d; t++)
            x[i * d + t] = centre[(i % blobs) * d + t] + sd * gauss();
    free(centre);
    return x;
}

static struct kmeans_options opts(int n_init, unsigned long seed, int threads)
{
    struct kmeans_options o;
    kmeans_options_init(&o);
    o.n_init = n_init;
    o.seed = seed;
    o.threads = threads;
    return o;
}

/* ---- k-means ------------------------------------------------------------ */

static void test_hamerly_is_lloyd(void)
{
    size_t n = 3000, d = 3, k = 6;
    double *x = make_blobs(n, d, 5, 3, 1.2, 7);
    double *c1 = malloc(k * d * sizeof *c1), *c2 = malloc(k * d * sizeof *c2);
    int *l1 = malloc(n * sizeof *l1), *l2 = malloc(n * sizeof *l2);
    memcpy(c1, x, k * d * sizeof *c1);      /* the first k points as start */
    memcpy(c2, x, k * d * sizeof *c2);
    double in1;
    int it = kmeans_run(x, n, d, k, c1, l1, 1000, 0, &in1);
    double in2 = lloyd(x, n, d, k, c2, l2);
    check(it > 1, "hamerly: iterates");
    check(memcmp(l1, l2, n * sizeof *l1) == 0, "hamerly: same labels as a plain Lloyd");
    int centres_ok = 1;
    for (size_t j = 0; j < k * d; j++)
        centres_ok &= close_to(c1[j], c2[j], 1e-12);
    check(centres_ok, "hamerly: same centres as a plain Lloyd");
    check(close_to(in1, in2, 1e-12), "hamerly: same inertia as a plain Lloyd");
    free(x);
    free(c1);
    free(c2);
    free(l1);
    free(l2);
}

static void test_never_worse(void)
{
    /* three data sets: overlapping blobs, uniform noise, separated blobs */
    struct {
        size_t n, d, k, blobs;
        double spread, sd;
        const char *name;
    } sets[] = {
        { 2000, 4, 5, 5, 3, 1.5, "overlapping blobs" },
        { 1500, 2, 6, 1, 0, 0, "uniform square" },
        { 1200, 3, 4, 4, 10, 0.5, "separated blobs" },
    };
    for (size_t s = 0; s < 3; s++) {
        size_t n = sets[s].n, d = sets[s].d, k = sets[s].k;
        double *x;
        if (sets[s].blobs == 1) {
            x = malloc(n * d * sizeof *x);
            rng_state = 99;
            for (size_t i = 0; i < n * d; i++)
                x[i] = rnd();
        } else {
            x = make_blobs(n, d, sets[s].blobs, sets[s].spread, sets[s].sd, 11 + s);
        }
        /* the reference: best of 10 plain k-means++ + Lloyd, 20 seeds */
        double ref[20], ref_sum = 0, ref_sorted[20];
        for (int r = 0; r < 20; r++) {
            ref[r] = reference_kmeans(x, n, d, k, 10, (uint64_t)r + 1);
            ref_sum += ref[r];
            ref_sorted[r] = ref[r];
        }
        for (int a = 1; a < 20; a++)
            for (int b = a; b > 0 && ref_sorted[b] < ref_sorted[b - 1]; b--) {
                double t = ref_sorted[b];
                ref_sorted[b] = ref_sorted[b - 1];
                ref_sorted[b - 1] = t;
            }
        double median = (ref_sorted[9] + ref_sorted[10]) / 2;
        if (getenv("DEBUG_NEVER_WORSE"))
            for (int r = 0; r < 20; r++)
                printf("# ref %.9f\n", ref_sorted[r]);
        double ours_sum = 0, ours_max = 0;
        for (unsigned long seed = 1; seed <= 20; seed++) {
            struct kmeans_options o = opts(10, seed, 2);
            o.tol = 0;      /* the reference runs to convergence too */
            struct kmeans_result r;
            struct diag diag;
            if (kmeans_fit(x, n, d, &k, 1, NULL, &o, &r, &diag) != 0) {
                check(0, diag.message);
                continue;
            }
            ours_sum += r.inertia;
            if (getenv("DEBUG_NEVER_WORSE"))
                printf("# ours %.9f\n", r.inertia);
            if (r.inertia > ours_max)
                ours_max = r.inertia;
            kmeans_result_free(&r);
        }
        char name[200];
        snprintf(name, sizeof name, "never worse (%s): our worst seed %.6f <= reference worst %.6f",
                 sets[s].name, ours_max, ref_sorted[19]);
        check(ours_max <= ref_sorted[19] * (1 + 1e-12), name);
        snprintf(name, sizeof name, "never worse (%s): our mean %.6f <= reference mean %.6f "
                 "(median %.6f)", sets[s].name, ours_sum / 20, ref_sum / 20, median);
        check(ours_sum / 20 <= ref_sum / 20 * (1 + 1e-12), name);
        free(x);
    }
}

static void test_edge_cases(void)
{
    struct diag diag;
    double x[] = { 1, 2, 3, 4, 10, 12 };    /* 6 points, 1 dimension */
    size_t n = 6;
    struct kmeans_options o = opts(3, 1, 2);
    struct kmeans_result r;

    size_t k = 1;
    check(kmeans_fit(x, n, 1, &k, 1, NULL, &o, &r, &diag) == 0, "k=1: fits");
    /* mean 32/6; sum of squares about it = 274 - 32²/6 */
    check(close_to(r.centers[0], 32.0 / 6, 1e-15), "k=1: the centre is the mean");
    check(close_to(r.inertia, 274 - 1024.0 / 6, 1e-12), "k=1: inertia is the total sum of squares");
    kmeans_result_free(&r);

    k = 6;
    check(kmeans_fit(x, n, 1, &k, 1, NULL, &o, &r, &diag) == 0, "k=n: fits");
    int own = r.inertia == 0;
    for (size_t j = 0; j < k; j++)
        own &= r.sizes[j] == 1;
    check(own, "k=n: every point alone, inertia 0");
    kmeans_result_free(&r);

    k = 7;
    check(kmeans_fit(x, n, 1, &k, 1, NULL, &o, &r, &diag) == -1 &&
          strcmp(diag.message, "k = 7 is more than the 6 rows to cluster") == 0,
          "k>n: an error");

    k = 0;
    check(kmeans_fit(x, n, 1, &k, 1, NULL, &o, &r, &diag) == -1, "k=0: an error");

    /* 3 distinct points, each 5 times */
    double dup[30];
    for (int i = 0; i < 15; i++) {
        dup[2 * i] = (double)(i % 3) * 5;
        dup[2 * i + 1] = (double)(i % 3);
    }
    k = 3;
    check(kmeans_fit(dup, 15, 2, &k, 1, NULL, &o, &r, &diag) == 0 && r.inertia == 0 &&
          r.sizes[0] == 5 && r.sizes[1] == 5 && r.sizes[2] == 5,
          "duplicates: 3 clusters of 5, inertia 0");
    kmeans_result_free(&r);
    k = 4;
    int ok = kmeans_fit(dup, 15, 2, &k, 1, NULL, &o, &r, &diag) == 0 && r.inertia == 0;
    for (size_t j = 0; ok && j < k; j++)
        ok = r.sizes[j] > 0;
    check(ok, "duplicates: k above the distinct points fills every cluster, inertia 0");
    kmeans_result_free(&r);

    /* an empty cluster: centre 100 attracts nobody; the point farthest
     * from its centre (10, at 9 from 1) moves to it */
    double line[] = { 0, 1, 2, 10 }, c[] = { 1, 100 };
    int lab[4];
    double inertia;
    kmeans_run(line, 4, 1, 2, c, lab, 100, 0, &inertia);
    check(lab[0] == 0 && lab[1] == 0 && lab[2] == 0 && lab[3] == 1 && c[0] == 1 && c[1] == 10 &&
          inertia == 2, "empty cluster: reseeded with the farthest point");
}

static void test_determinism(void)
{
    size_t n = 4000, d = 5, ks[] = { 3, 4, 5 };
    double *x = make_blobs(n, d, 4, 4, 1.5, 3);
    struct kmeans_result a[3], b[3], c[3];
    struct diag diag;
    struct kmeans_options o1 = opts(6, 42, 1), o2 = opts(6, 42, 2), o3 = opts(6, 42, 5);
    int ok = kmeans_fit(x, n, d, ks, 3, NULL, &o1, a, &diag) == 0 &&
             kmeans_fit(x, n, d, ks, 3, NULL, &o2, b, &diag) == 0 &&
             kmeans_fit(x, n, d, ks, 3, NULL, &o3, c, &diag) == 0;
    for (int i = 0; ok && i < 3; i++) {
        ok = memcmp(a[i].labels, b[i].labels, n * sizeof(int)) == 0 &&
             memcmp(a[i].labels, c[i].labels, n * sizeof(int)) == 0 &&
             memcmp(a[i].centers, b[i].centers, ks[i] * d * sizeof(double)) == 0 &&
             memcmp(a[i].centers, c[i].centers, ks[i] * d * sizeof(double)) == 0 &&
             a[i].inertia == b[i].inertia && a[i].inertia == c[i].inertia &&
             a[i].restart == b[i].restart;
    }
    check(ok, "determinism: 1, 2 and 5 threads give the same bits");
    struct kmeans_options o4 = opts(6, 43, 2);
    struct kmeans_result e;
    kmeans_fit(x, n, d, &ks[1], 1, NULL, &o4, &e, &diag);
    check(e.labels != NULL, "another seed fits too");
    kmeans_result_free(&e);
    for (int i = 0; i < 3; i++) {
        kmeans_result_free(&a[i]);
        kmeans_result_free(&b[i]);
        kmeans_result_free(&c[i]);
    }
    free(x);
}

/* Whether r is a fixed point of Lloyd's step on x, checked naively: no
 * row has a centre strictly nearer than its own, each centre is the mean
 * of its rows, and the inertia is the sum of the squared distances. */
static int is_fixed_point(const double *x, size_t n, size_t d, const struct kmeans_result *r)
{
    size_t k = r->k;        /* at most 64 */
    double *mean = calloc(k * d, sizeof *mean);
    size_t *size = calloc(k, sizeof *size);
    double total = 0;
    int ok = 1;
    for (size_t i = 0; i < n; i++) {
        size_t own = (size_t)r->labels[i];
        double dist[64] = { 0 };
        for (size_t j = 0; j < k && j < 64; j++) {
            dist[j] = 0;
            for (size_t t = 0; t < d; t++) {
                double e = x[i * d + t] - r->centers[j * d + t];
                dist[j] += e * e;
            }
        }
        for (size_t j = 0; j < k; j++)
            ok &= !(dist[j] < dist[own] * (1 - 1e-12));
        total += dist[own];
        size[own]++;
        for (size_t t = 0; t < d; t++)
            mean[own * d + t] += x[i * d + t];
    }
    for (size_t j = 0; j < k; j++)
        for (size_t t = 0; t < d; t++)
            ok &= size[j] > 0 && close_to(mean[j * d + t] / (double)size[j],
                                          r->centers[j * d + t], 1e-9);
    ok &= close_to(total, r->inertia, 1e-9);
    free(mean);
    free(size);
    return ok;
}

static void test_fixed_point(void)
{
    size_t n = 6000, d = 4, ks[] = { 3, 5, 8 };
    double *x = make_blobs(n, d, 6, 2.5, 1.5, 17);
    struct diag diag;
    /* on every row (the tolerance stops the restarts early on such
     * overlapping blobs), then on samples of 500 rows with 1 and 2 threads */
    struct kmeans_options o[3] = { opts(10, 5, 2), opts(10, 5, 1), opts(10, 5, 2) };
    o[1].sample = o[2].sample = 500;
    struct kmeans_result r[3][3];
    int fitted = 1;
    for (int a = 0; a < 3; a++)
        fitted &= kmeans_fit(x, n, d, ks, 3, NULL, &o[a], r[a], &diag) == 0;
    check(fitted, "fixed point: fits");
    for (int a = 0; fitted && a < 3; a++)
        for (int i = 0; i < 3; i++) {
            char name[120];
            snprintf(name, sizeof name, "fixed point: k = %zu, %s, %d thread%s, checked naively",
                     ks[i], a ? "restarts on a sample of 500" : "restarts on every row",
                     o[a].threads, o[a].threads > 1 ? "s" : "");
            check(is_fixed_point(x, n, d, &r[a][i]), name);
        }
    int same = fitted;
    for (int i = 0; same && i < 3; i++)
        same = memcmp(r[1][i].labels, r[2][i].labels, n * sizeof(int)) == 0 &&
               memcmp(r[1][i].centers, r[2][i].centers, ks[i] * d * sizeof(double)) == 0 &&
               r[1][i].inertia == r[2][i].inertia;
    check(same, "fixed point: restarts on a sample, the same bits with 1 and 2 threads");
    /* a sample as large as the rows is no sample: the same bits as none */
    struct kmeans_options whole = opts(10, 5, 2);
    whole.sample = n;
    struct kmeans_result w;
    same = kmeans_fit(x, n, d, &ks[1], 1, NULL, &whole, &w, &diag) == 0 &&
           memcmp(w.labels, r[0][1].labels, n * sizeof(int)) == 0 && w.inertia == r[0][1].inertia;
    check(same, "fixed point: a sample of every row is the fit on every row");
    kmeans_result_free(&w);
    for (int a = 0; a < 3; a++)
        for (int i = 0; fitted && i < 3; i++)
            kmeans_result_free(&r[a][i]);
    free(x);
}

/* ---- measures ------------------------------------------------------------- */

static double naive_silhouette(const double *x, size_t n, size_t d, const int *lab, size_t k)
{
    double total = 0;
    for (size_t i = 0; i < n; i++) {
        double *sum = calloc(k, sizeof *sum);
        size_t *cnt = calloc(k, sizeof *cnt);
        for (size_t j = 0; j < n; j++) {
            cnt[lab[j]]++;
            if (j != i)
                sum[lab[j]] += sqrt(dist2(x + i * d, x + j * d, d));
        }
        double s = 0;
        if (cnt[lab[i]] > 1) {
            double a = sum[lab[i]] / (double)(cnt[lab[i]] - 1), b = HUGE_VAL;
            for (size_t c = 0; c < k; c++)
                if ((int)c != lab[i] && cnt[c] && sum[c] / (double)cnt[c] < b)
                    b = sum[c] / (double)cnt[c];
            s = (b - a) / (a > b ? a : b);
        }
        total += s;
        free(sum);
        free(cnt);
    }
    return total / (double)n;
}

/* The silhouette's blocks and tails (rows 4 at a time, points 2 at a
 * time, features 4 at a time): an odd number of rows in 5 dimensions,
 * against the naive computation. */
static void test_silhouette_tails(void)
{
    size_t n = 403, d = 5, ks[] = { 2, 3, 5 };
    double *x = malloc(n * d * sizeof *x);
    rng_state = 11;
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < d; j++)
            x[i * d + j] = (double)((i * 7 + j) % 3) * 4 + gauss();
    struct kmeans_result r[3];
    struct diag diag;
    struct kmeans_options o = opts(4, 1, 2);
    check(kmeans_fit(x, n, d, ks, 3, NULL, &o, r, &diag) == 0, "silhouette tails: fit");
    const int *labels[3] = { r[0].labels, r[1].labels, r[2].labels };
    double sil[3];
    size_t used;
    check(kmeans_silhouette(x, n, d, labels, ks, 3, 0, 1, 2, sil, &used, &diag) == 0 && used == n,
          "silhouette tails: every row");
    int same = 1;
    for (int i = 0; i < 3; i++)
        same &= close_to(sil[i], naive_silhouette(x, n, d, r[i].labels, ks[i]), 1e-12);
    check(same, "silhouette tails: 403 rows, 5 features: equals a naive computation");
#if SIZE_MAX > UINT32_MAX
    /* more rows than the members' 32-bit numbers: said before anything is read */
    check(kmeans_silhouette(NULL, (size_t)UINT32_MAX + 1, d, labels, ks, 3, 0, 1, 2, sil, &used,
                            &diag) == -1 &&
          strcmp(diag.message, "the silhouette takes at most 4294967295 rows, not 4294967296: "
                 "take a sample") == 0, "silhouette: 2^32 rows, not out of memory but the limit");
#endif
    for (int i = 0; i < 3; i++)
        kmeans_result_free(&r[i]);
    free(x);
}

static void test_measures(void)
{
    size_t n = 400, d = 2, ks[] = { 2, 3, 4, 5, 6, 7 };
    /* 4 well-separated blobs: sd 1 around (±10, ±10) */
    double *x = malloc(n * d * sizeof *x);
    rng_state = 5;
    for (size_t i = 0; i < n; i++) {
        x[2 * i] = (i % 2 ? 10 : -10) + gauss();
        x[2 * i + 1] = (i % 4 < 2 ? 10 : -10) + gauss();
    }
    struct kmeans_result r[6];
    struct diag diag;
    struct kmeans_options o = opts(10, 1, 2);
    check(kmeans_fit(x, n, d, ks, 6, NULL, &o, r, &diag) == 0, "measures: fit k=2..7");
    const int *labels[6];
    double sil[6], ch[6], db[6], inertia[6];
    size_t used;
    for (int i = 0; i < 6; i++)
        labels[i] = r[i].labels;
    check(kmeans_silhouette(x, n, d, labels, ks, 6, 10000, 1, 2, sil, &used, &diag) == 0 &&
          used == n, "silhouette: exact below the sample size");
    int same = 1;
    for (int i = 0; i < 6; i++) {
        same &= close_to(sil[i], naive_silhouette(x, n, d, r[i].labels, ks[i]), 1e-12);
        ch[i] = kmeans_calinski_harabasz(x, n, d, &r[i]);
        db[i] = kmeans_davies_bouldin(x, n, d, &r[i]);
        inertia[i] = r[i].inertia;
    }
    check(same, "silhouette: equals a naive computation");

    /* Calinski-Harabasz and Davies-Bouldin by their definitions */
    int ch_ok = 1, db_ok = 1;
    for (int i = 0; i < 6; i++) {
        size_t k = ks[i];
        double mean[2] = { 0, 0 }, between = 0, within = 0;
        for (size_t p = 0; p < n; p++)
            for (size_t t = 0; t < d; t++)
                mean[t] += x[p * d + t] / (double)n;
        double *cm = calloc(k * d, sizeof *cm), *sp = calloc(k, sizeof *sp);
        size_t *cnt = calloc(k, sizeof *cnt);
        for (size_t p = 0; p < n; p++) {
            cnt[labels[i][p]]++;
            for (size_t t = 0; t < d; t++)
                cm[(size_t)labels[i][p] * d + t] += x[p * d + t];
        }
        for (size_t j = 0; j < k; j++)
            for (size_t t = 0; t < d; t++)
                cm[j * d + t] /= (double)cnt[j];
        for (size_t p = 0; p < n; p++) {
            double dd = dist2(x + p * d, cm + (size_t)labels[i][p] * d, d);
            within += dd;
            sp[labels[i][p]] += sqrt(dd) / (double)cnt[labels[i][p]];
        }
        for (size_t j = 0; j < k; j++)
            between += (double)cnt[j] * dist2(cm + j * d, mean, d);
        ch_ok &= close_to(ch[i], (between / (double)(k - 1)) / (within / (double)(n - k)), 1e-9);
        double dbs = 0;
        for (size_t a = 0; a < k; a++) {
            double worst = 0;
            for (size_t b = 0; b < k; b++)
                if (a != b) {
                    double v = (sp[a] + sp[b]) / sqrt(dist2(cm + a * d, cm + b * d, d));
                    if (v > worst)
                        worst = v;
                }
            dbs += worst / (double)k;
        }
        db_ok &= close_to(db[i], dbs, 1e-9);
        free(cm);
        free(sp);
        free(cnt);
    }
    check(ch_ok, "calinski-harabasz: equals its definition");
    check(db_ok, "davies-bouldin: equals its definition");
    check(ks[kmeans_choose(KMEANS_SILHOUETTE, ks, inertia, sil, ch, 6)] == 4,
          "choose by silhouette: the 4 blobs");
    check(ks[kmeans_choose(KMEANS_CH, ks, inertia, sil, ch, 6)] == 4, "choose by CH: the 4 blobs");
    check(ks[kmeans_choose(KMEANS_ELBOW, ks, inertia, sil, ch, 6)] == 4,
          "choose by elbow: the 4 blobs");

    /* sampling: the rows used, and close to the exact value */
    double sil_s[6];
    check(kmeans_silhouette(x, n, d, labels, ks, 6, 150, 9, 2, sil_s, &used, &diag) == 0 &&
          used == 150 && fabs(sil_s[2] - sil[2]) < 0.05, "silhouette: a seeded sample of 150 rows");
    double sil_t[6];
    kmeans_silhouette(x, n, d, labels, ks, 6, 150, 9, 1, sil_t, &used, &diag);
    check(memcmp(sil_s, sil_t, sizeof sil_s) == 0, "silhouette: same bits on 1 and 2 threads");
    for (int i = 0; i < 6; i++)
        kmeans_result_free(&r[i]);
    free(x);

    /* elbow by hand: inertia 100, 40, 30, 25 for k 1..4 → the knee at 2 */
    size_t ek[] = { 1, 2, 3, 4 };
    double ei[] = { 100, 40, 30, 25 }, none[4] = { NAN, NAN, NAN, NAN };
    check(kmeans_choose(KMEANS_ELBOW, ek, ei, none, none, 4) == 1, "elbow: the knee by hand");
    check(kmeans_choose(KMEANS_SILHOUETTE, ek, ei, none, none, 4) == -1,
          "choose: no usable value gives -1");
}

static void test_pca(void)
{
    /* points along (1, 2)/sqrt(5) with a little noise across */
    size_t n = 500;
    double *x = malloc(n * 2 * sizeof *x), mean[2], axes[4];
    rng_state = 17;
    for (size_t i = 0; i < n; i++) {
        double t = 10 * gauss(), s = 0.1 * gauss();
        x[2 * i] = 3 + (t - 2 * s) / sqrt(5);
        x[2 * i + 1] = -1 + (2 * t + s) / sqrt(5);
    }
    struct diag diag;
    check(kmeans_pca(x, n, 2, mean, axes, &diag) == 0, "pca: runs");
    check(fabs(axes[0] - 1 / sqrt(5)) < 1e-3 && fabs(axes[1] - 2 / sqrt(5)) < 1e-3,
          "pca: first axis along (1,2)/sqrt(5), largest component positive");
    check(fabs(axes[0] * axes[2] + axes[1] * axes[3]) < 1e-12 &&
          close_to(axes[2] * axes[2] + axes[3] * axes[3], 1, 1e-12), "pca: axes orthonormal");
    double pc1, pc2, v1 = 0, v2 = 0;
    for (size_t i = 0; i < n; i++) {
        kmeans_project(x + 2 * i, 2, mean, axes, &pc1, &pc2);
        v1 += pc1 * pc1;
        v2 += pc2 * pc2;
    }
    check(v1 > 1000 * v2, "pca: the first axis carries the variance");
    double one[] = { 1, 2, 3 }, m1[1], a1[2];
    check(kmeans_pca(one, 3, 1, m1, a1, &diag) == 0 && a1[0] == 1 && a1[1] == 0,
          "pca: one feature: axis 1, second axis zero");
    free(x);
}

/* ---- dataset ------------------------------------------------------------- */

static void write_file(const char *path, const char *text)
{
    FILE *fp = fopen(path, "w");
    fputs(text, fp);
    fclose(fp);
}

static int warnings;
static char last_warning[DIAG_MAX];

static void on_warn(void *context, const char *message)
{
    (void)context;
    warnings++;
    snprintf(last_warning, sizeof last_warning, "%s", message);
}

static void test_dataset(void)
{
    char path[] = "/tmp/test_kmeans_XXXXXX";
    int fd = mkstemp(path);
    close(fd);
    /* column b has decimal commas (a column keeps one decimal mark) */
    write_file(path, "id,a,b,name\n"
                     "x1,1.5,\"-0,25\",ann\n"
                     "x2,1e3,\"2,5\",bob\n"
                     "x3,,7,cid\n"
                     "x4,0.1,abc,dan\n"
                     "x5,-12.345678901234,\"0,000123\",eve\n");
    struct dataset f;
    struct diag diag;
    const char *names[] = { "a", "B" }, *text[] = { "name" };
    struct dataset_read_options o = {
        .features = names, .feature_count = 2, .text = text, .text_count = 1,
        .warn = on_warn, .warn_max = 10,
    };
    int ok = dataset_read(&f, path, &o, &diag) == 0;
    check(ok && f.rows == 3 && f.dims == 2 && f.skipped == 2, "read: 3 rows kept, 2 skipped");
    check(ok && f.values[0] == 1.5 && f.values[1] == -0.25 && f.values[2] == 1000 &&
          f.values[3] == 2.5 && f.values[4] == strtod("-12.345678901234", NULL) &&
          f.values[5] == strtod("0.000123", NULL), "read: values as strtod reads them, decimal comma too");
    check(warnings == 2 && strstr(last_warning, ":5: b \"abc\" is not a number (row skipped)") != NULL,
          "read: each skip reported with file:line");
    check(ok && f.lines[2] == 6 && strcmp(dataset_row_text(&f, 1), "bob") == 0,
          "read: lines and text kept");
    dataset_free(&f);

    o.strict = 1;
    check(dataset_read(&f, path, &o, &diag) == -1 && strstr(diag.message, ":4: a is empty") != NULL,
          "read: --strict makes a missing value an error with file:line");
    dataset_free(&f);

    /* automatic features: numeric on the first data row, not the key */
    struct dataset_read_options auto_o = { .warn = on_warn, .warn_max = 0 };
    ok = dataset_read(&f, path, &auto_o, &diag) == 0;
    check(ok && f.dims == 2 && strcmp(f.names[0], "a") == 0 && strcmp(f.names[1], "b") == 0,
          "read: default features are the numeric columns after the first");
    dataset_free(&f);
    unlink(path);

    /* scaling: z, robust, minmax by hand on 1, 2, 3, 4, 10 */
    double v[] = { 1, 2, 3, 4, 10 };
    struct dataset_scaling s;
    dataset_scaling_init(&s, 1);
    s.kind = DATASET_Z;
    dataset_scaling_fit(&s, v, 5, NULL, &diag);
    /* mean 4, variance (9+4+1+0+36)/5 = 10 */
    check(s.center[0] == 4 && close_to(s.scale[0], sqrt(10), 1e-15), "scale z: mean 4, sd sqrt(10)");
    s.kind = DATASET_ROBUST;
    dataset_scaling_fit(&s, v, 5, NULL, &diag);
    check(s.center[0] == 3 && s.scale[0] == 2, "scale robust: median 3, IQR 4 - 2");
    s.kind = DATASET_MINMAX;
    dataset_scaling_fit(&s, v, 5, NULL, &diag);
    double out;
    dataset_scaling_apply(&s, &v[4], &out);
    check(s.center[0] == 1 && s.scale[0] == 9 && out == 1, "scale minmax: 10 maps to 1");
    s.log[0] = 1;
    s.kind = DATASET_NONE;
    dataset_scaling_fit(&s, v, 5, NULL, &diag);
    double neg = -3, got;
    dataset_scaling_apply(&s, &neg, &got);
    check(got == -log(4), "log: sign(x) log(1+|x|) keeps negatives");
    double flat[] = { 2, 2, 2 };
    check(dataset_constant(flat, 3, 1, 0) && !dataset_constant(v, 5, 1, 0),
          "constant feature detected");
    s.log[0] = 0;
    check(dataset_scaling_fit(&s, flat, 3, NULL, &diag) == -1, "scaling a constant feature is an error");
    double iqr0[] = { 0, 0, 0, 0, 0, 0, 5 };
    int fb = 0;
    s.kind = DATASET_ROBUST;
    check(dataset_scaling_fit(&s, iqr0, 7, &fb, &diag) == 0 && fb == 1 && s.scale[0] > 0,
          "robust with IQR 0 falls back to the standard deviation");
    dataset_scaling_free(&s);

    /* number output: byte for byte what format_double writes */
    uint64_t st = 12345;
    int same = 1;
    char a[32], b[32];
    for (int i = 0; i < 200000; i++) {
        st ^= st << 13;
        st ^= st >> 7;
        st ^= st << 17;
        double value;
        if (i % 3 == 0)
            value = (double)(st >> 11) / 9007199254740992.0 * pow(10, (double)(i % 24) - 8);
        else if (i % 3 == 1)
            value = (double)((st >> 20) % 1000000) / 100 - 5000;
        else {
            memcpy(&value, &st, sizeof value);
            if (!isfinite(value))
                continue;
        }
        if (strcmp(format_double(value, '.', a), format_double_printf(value, '.', b)) != 0) {
            same = 0;
            printf("# %s vs %s\n", a, b);
            break;
        }
    }
    /* below 2^-11 the integer part is a shift by 64 or more */
    for (int i = 0; i < 100000 && same; i++) {
        double value = 1e-4 + i * 3.91e-9;
        if (strcmp(format_double(value, '.', a), format_double_printf(value, '.', b)) != 0) {
            same = 0;
            printf("# %s vs %s\n", a, b);
        }
    }
    const double edge[] = { 0, -0.0, 0.1, 1e-4, 9.9999999999999995e-5, 999999999999999.9, 1e15,
                            0.30000000000000004, 123456789012345.6, -2.5, 5e-324, 1e300 };
    for (size_t i = 0; i < sizeof edge / sizeof edge[0]; i++)
        same &= strcmp(format_double(edge[i], '.', a), format_double_printf(edge[i], '.', b)) == 0;
    check(same, "format: the fast format_double writes the bytes of format_double_printf on 300000 values");
}

/* ---- the content order of the rows ----------------------------------------- */

/* The reference order, written here as the definition says: each feature
 * by < and >, then the revenue, then the kept fields by strcmp, then the
 * index. */
static const struct dataset *ref_data;

static int ref_compare(const void *pa, const void *pb)
{
    size_t i = *(const size_t *)pa, j = *(const size_t *)pb, d = ref_data->dims;
    for (size_t t = 0; t < d; t++) {
        double x = ref_data->values[i * d + t], y = ref_data->values[j * d + t];
        if (x < y || x > y)
            return x < y ? -1 : 1;
    }
    if (ref_data->revenue && ref_data->revenue[i] != ref_data->revenue[j])
        return ref_data->revenue[i] < ref_data->revenue[j] ? -1 : 1;
    const char *s = ref_data->kept ? dataset_row_text(ref_data, i) : NULL;
    const char *u = ref_data->kept ? dataset_row_text(ref_data, j) : NULL;
    for (size_t k = 0; k < ref_data->kept; k++) {
        int c = strcmp(s, u);
        if (c)
            return c;
        s += strlen(s) + 1;
        u += strlen(u) + 1;
    }
    return i < j ? -1 : i > j;
}

/* A table of n rows × d features drawn by kind (0: a few whole values
 * with -0 and +0, 1: fractions of both signs, 2: whole values about 2^52
 * and 2^53), with a revenue (a copy of feature 0 when copy) and kept
 * text (one field of two letters) when text. Sorted by dataset_sort_rows,
 * checked against qsort by ref_compare. @return 1 the same order. */
static int sort_case(size_t n, size_t d, int kind, int revenue, int copy, int text)
{
    struct dataset f;
    memset(&f, 0, sizeof f);
    f.rows = n;
    f.dims = d;
    f.values = malloc(n * d * sizeof *f.values);
    f.lines = malloc(n * sizeof *f.lines);
    f.revenue = revenue ? malloc(n * sizeof *f.revenue) : NULL;
    if (text) {
        f.kept = 1;
        f.text = malloc(n * 3);
        f.text_start = malloc(n * sizeof *f.text_start);
    }
    for (size_t i = 0; i < n; i++) {
        for (size_t t = 0; t < d; t++) {
            double x, r = rnd();
            if (kind == 0)
                x = r < 0.2 ? -0.0 : r < 0.4 ? 0.0 : floor(r * 4) - 1;
            else if (kind == 1)
                x = floor(r * 40) / 8 - 2.5;
            else
                x = (r < 0.5 ? 4503599627370496.0 : 9007199254740992.0) + floor(rnd() * 3) * 2 -
                    (r < 0.25 ? 9007199254740992.0 : 0);
            f.values[i * d + t] = x;
        }
        f.lines[i] = (long)i + 2;
        if (revenue)
            f.revenue[i] = copy ? f.values[i * d] : floor(rnd() * 3);
        if (text) {
            f.text_start[i] = i * 3;
            f.text[i * 3] = (char)('a' + (int)(rnd() * 2));
            f.text[i * 3 + 1] = (char)('a' + (int)(rnd() * 2));
            f.text[i * 3 + 2] = '\0';
        }
    }
    size_t *ref = malloc(n * sizeof *ref), *input_row = NULL;
    double *before = malloc(n * d * sizeof *before);
    memcpy(before, f.values, n * d * sizeof *before);
    for (size_t i = 0; i < n; i++)
        ref[i] = i;
    ref_data = &f;
    qsort(ref, n, sizeof *ref, ref_compare);
    /* the reference read the input's arrays: the row each place must get */
    size_t *ref_lines = malloc(n * sizeof *ref_lines);
    for (size_t r = 0; r < n; r++)
        ref_lines[r] = (size_t)f.lines[ref[r]];
    int same = dataset_sort_rows(&f, &input_row) == 0;
    for (size_t r = 0; same && r < n; r++) {
        same = (size_t)f.lines[r] == ref_lines[r] && input_row[ref[r]] == r &&
               memcmp(f.values + r * d, before + ref[r] * d, d * sizeof *before) == 0;
        if (!same)
            printf("# place %zu: line %ld, expected %zu\n", r, f.lines[r], ref_lines[r]);
    }
    free(ref);
    free(ref_lines);
    free(before);
    free(input_row);
    dataset_free(&f);
    return same;
}

static void test_sort_rows(void)
{
    rng_state = 777;
    check(sort_case(5000, 3, 0, 0, 0, 0), "sort: few whole values, -0 and +0 tie: the "
          "order of a comparison sort");
    check(sort_case(5000, 2, 0, 1, 0, 1), "sort: ties on every number broken by the revenue, "
          "the kept text, then the input's order");
    check(sort_case(5000, 3, 1, 1, 1, 0), "sort: fractions of both signs; a revenue that "
          "copies a feature");
    check(sort_case(3000, 2, 2, 1, 0, 1), "sort: whole values beyond 2^52 (keys from the bits)");
    check(sort_case(1, 1, 1, 0, 0, 1) && sort_case(2, 4, 0, 1, 0, 1), "sort: one and two rows");
}

/* ---- persona ------------------------------------------------------------- */

static void test_persona(void)
{
    const char *rollup[] = { "revenue", "orders", "recency_days" };
    double z1[] = { 1.2, 0.9, -0.7 };
    char out[256];
    persona_label(rollup, z1, 3, L10N_EN, out, sizeof out);
    check(strcmp(out, "high monetary, frequent, recent") == 0, "label: high monetary, frequent, recent");
    persona_label(rollup, z1, 3, L10N_FR, out, sizeof out);
    check(strcmp(out, "dépense élevée, fréquent, récent") == 0, "label fr: dépense élevée, fréquent, récent");
    const char *mall[] = { "age", "annual_income_thousands", "spending_score" };
    double z2[] = { -0.6, 0.2, 1.1 };
    persona_label(mall, z2, 3, L10N_EN, out, sizeof out);
    check(strcmp(out, "high spending score, young") == 0, "label: strongest first, |z| < 0.5 left out");
    double z3[] = { 0.1, -0.4, 0.3 };
    persona_label(mall, z3, 3, L10N_EN, out, sizeof out);
    check(strcmp(out, "average") == 0, "label: nothing stands out");
    double z4[] = { 0.8, -2, 0 };
    persona_label(mall, z4, 3, L10N_FR, out, sizeof out);
    check(strcmp(out, "revenu modeste, âgé") == 0, "label fr: income and age");
    const char *other[] = { "basket_items", "x" };
    double z5[] = { -1, 3 };
    persona_label(other, z5, 2, L10N_EN, out, sizeof out);
    check(strcmp(out, "high x, low basket items") == 0, "label: fallback high/low <feature>");
    persona_label(other, z5, 2, L10N_FR, out, sizeof out);
    check(strcmp(out, "x élevé, basket items faible") == 0, "label fr: fallback");

    /* profiles by hand: 6 rows, 2 clusters */
    struct dataset f;
    memset(&f, 0, sizeof f);
    double values[] = { 1, 10, 2, 20, 3, 30, 10, 5, 11, 5, 13, 5 };
    double revenue[] = { 1, 1, 2, 3, 3, 10 };
    char name_p[] = "p", name_q[] = "q";
    char *names[] = { name_p, name_q };
    char text[] = "F\0M\0M\0F\0F\0M";
    size_t starts[] = { 0, 2, 4, 6, 8, 10 };
    long textcol[] = { 0 };
    f.rows = 6;
    f.dims = 2;
    f.names = names;
    f.values = values;
    f.revenue = revenue;
    f.texts = 1;
    f.kept = 1;
    f.text = text;
    f.text_start = starts;
    f.text_columns = textcol;
    int labels[] = { 0, 0, 0, 1, 1, 1 };
    struct persona_profiles p;
    struct diag diag;
    check(persona_profiles(&p, &f, NULL, labels, 2, &diag) == 0, "profiles: computed");
    /* p: mean 40/6, population sd sqrt(Σ(p-m)²/6); cluster 0 mean 2 */
    double m = 40.0 / 6, var = 0;
    for (int i = 0; i < 6; i++)
        var += (values[2 * i] - m) * (values[2 * i] - m) / 6;
    check(p.size[0] == 3 && p.share[1] == 0.5 && p.mean[0] == 2 && p.median[0] == 2 &&
          p.mean[1] == 20 && p.median[3] == 5 && close_to(p.mean[2], 34.0 / 3, 1e-15),
          "profiles: sizes, means and medians");
    check(close_to(p.z[0], (2 - m) / sqrt(var), 1e-12), "profiles: z-deviation of a mean");
    check(close_to(p.revenue_share[0], 4.0 / 20, 1e-15), "profiles: revenue share (1+1+2 of 20)");
    check(strcmp(p.mode[0], "M") == 0 && strcmp(p.mode[1], "F") == 0, "profiles: modes");
    persona_profiles_free(&p);
}

static void test_model(void)
{
    struct persona_model m, back;
    struct diag diag;
    check(persona_model_init(&m, 2, 2, &diag) == 0, "model: allocated");
    m.names[0] = strdup("revenue");
    m.names[1] = strdup("odd, \"name\"");
    m.scaling.kind = DATASET_ROBUST;
    m.scaling.log[0] = 1;
    m.scaling.center[0] = 0.1;
    m.scaling.scale[0] = 1.0 / 3;
    m.scaling.center[1] = -2;
    m.scaling.scale[1] = 7;
    double centres[] = { 0.1, 0.2, -1e-7, 123456.789 }, z[] = { 1, -1, 0.5, 2.5 };
    memcpy(m.centers, centres, sizeof centres);
    memcpy(m.z, z, sizeof z);
    m.pca_mean[0] = 0.5;
    m.pca_axes[0] = 1;
    m.pca_axes[3] = -1;
    char path[] = "/tmp/test_kmeans_model_XXXXXX";
    int fd = mkstemp(path);
    FILE *fp = fdopen(fd, "w");
    check(persona_model_write(&m, fp, path, &diag) == 0, "model: written");
    fclose(fp);
    fp = fopen(path, "r");
    char first[64] = "";
    if (fp) {
        if (!fgets(first, sizeof first, fp))
            first[0] = '\0';
        fclose(fp);
    }
    check(strcmp(first, "clientele_kmeans_model,1\n") == 0, "model: versioned first line");
    int ok = persona_model_read(&back, path, &diag) == 0;
    check(ok && back.k == 2 && back.scaling.dims == 2 && back.scaling.kind == DATASET_ROBUST &&
          back.scaling.log[0] == 1 && back.scaling.log[1] == 0 &&
          back.scaling.scale[0] == 1.0 / 3 && memcmp(back.centers, centres, sizeof centres) == 0 &&
          memcmp(back.z, z, sizeof z) == 0 && back.pca_axes[3] == -1 &&
          strcmp(back.names[1], "odd, \"name\"") == 0, "model: read back exactly");
    persona_model_free(&back);

    write_file(path, "clientele_kmeans_model,1\nscale,z\nfeature,a,none,0,1\ncentroid,1,zz\n");
    check(persona_model_read(&back, path, &diag) == -1 &&
          strstr(diag.message, ":4: \"zz\" is not a number") != NULL, "model: a bad number with its line");
    write_file(path, "clientele_kmeans_model,2\n");
    check(persona_model_read(&back, path, &diag) == -1 && strstr(diag.message, "version 2") != NULL,
          "model: an unknown version is refused");
    write_file(path, "clientele_kmeans_model,1\nscale,z\nfeature,a,none,0,1\ncentroid,1,0\n");
    check(persona_model_read(&back, path, &diag) == -1 && strstr(diag.message, "incomplete") != NULL,
          "model: an incomplete model is refused");
    unlink(path);
    persona_model_free(&m);
}

int main(void)
{
    gsl_set_error_handler_off();
    test_hamerly_is_lloyd();
    test_never_worse();
    test_edge_cases();
    test_determinism();
    test_fixed_point();
    test_measures();
    test_silhouette_tails();
    test_pca();
    test_dataset();
    test_sort_rows();
    test_persona();
    test_model();
    return 0;
}
