/* persona_fit.c — cl-kmeans' fit (see persona_fit.h): reading and
 * preparing the rows, scaling them, fitting every k and choosing, and the
 * model of the result. */
#include "persona_fit.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "columns.h"
#include "parse.h"

static void warn(const struct dataset_read_options *ro, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* A warning through the reader's callback (none: not shown). */
static void warn(const struct dataset_read_options *ro, const char *fmt, ...)
{
    char message[DIAG_MAX];
    va_list ap;
    if (!ro->warn)
        return;
    va_start(ap, fmt);
    vsnprintf(message, sizeof message, fmt, ap);
    va_end(ap);
    ro->warn(ro->warn_context, message);
}

static const char *shown_name(const char *input)
{
    return input && strcmp(input, "-") ? input : "stdin";
}

int persona_fit_read_rows(struct persona_fit *f, const char *input,
                          const struct dataset_read_options *ro, struct diag *diag)
{
    memset(f, 0, sizeof *f);
    if (dataset_read(&f->data, input, ro, diag) < 0)
        return -1;
    struct dataset *data = &f->data;
    if (data->skipped) {
        char message[DIAG_MAX];
        warn(ro, "%s", dataset_skipped_text(data->skipped, input, message, sizeof message));
    }
    if (data->rows == 0)
        return diag_set(diag, "%s: no rows to cluster", shown_name(input));
    /* the rows in an order of their content: the fit, the samples and the
     * profiles never depend on the order of the input (written back in it) */
    if (dataset_sort_rows(data, &f->input_row) != 0)
        return diag_set(diag, "out of memory");
    return 0;
}

int persona_fit_read(struct persona_fit *f, const char *input,
                     const struct dataset_read_options *ro, const struct persona_model *init,
                     const char *init_name, struct diag *diag)
{
    if (persona_fit_read_rows(f, input, ro, diag) != 0)
        return -1;
    struct dataset *data = &f->data;

    /* constant features carry no information: dropped, with a warning */
    int *keep = malloc(data->dims * sizeof *keep);
    if (!keep)
        return diag_set(diag, "out of memory");
    size_t kept = 0;
    for (size_t j = 0; j < data->dims; j++) {
        keep[j] = !dataset_constant(data->values, data->rows, data->dims, j);
        if (!keep[j]) {
            if (init) {
                diag_set(diag, "feature \"%s\" is constant in this data: cannot refit the "
                         "model of %s", data->names[j], init_name);
                free(keep);
                return -1;
            }
            warn(ro, "feature \"%s\" is constant (%s): dropped", data->names[j],
                 "same value in every row");
        }
        kept += (size_t)keep[j];
    }
    if (kept == 0) {
        free(keep);
        return diag_set(diag, "every feature is constant: nothing to cluster");
    }
    if (kept < data->dims)
        dataset_drop(data, keep);
    free(keep);
    return 0;
}

int persona_fit_log_flags(const struct persona_fit *f, const char *const *names, size_t count,
                          int **log, struct diag *diag)
{
    const struct dataset *data = &f->data;
    *log = calloc(data->dims + 1, sizeof **log);
    if (!*log)
        return diag_set(diag, "out of memory");
    for (size_t i = 0; i < count; i++) {
        long j = columns_find((const char *const *)data->names, data->dims, names[i], NULL,
                              "feature", 1, "--log", diag);
        if (j < 0) {
            free(*log);
            *log = NULL;
            return diag_set(diag, "\"%s\" is not one of the features", names[i]);
        }
        (*log)[j] = 1;
    }
    return 0;
}

int persona_fit_scale(struct persona_fit *f, const char *input, enum dataset_scale scale,
                      const int *log, const struct persona_model *init,
                      const struct dataset_read_options *ro, struct diag *diag)
{
    struct dataset *data = &f->data;
    size_t n = data->rows, d = data->dims;
    if (dataset_scaling_init(&f->scaling, d) < 0)
        return diag_set(diag, "out of memory");
    if (init) {
        f->scaling.kind = init->scaling.kind;
        memcpy(f->scaling.log, init->scaling.log, d * sizeof *f->scaling.log);
    } else {
        f->scaling.kind = scale;
        for (size_t j = 0; log && j < d; j++)
            f->scaling.log[j] = log[j];
    }
    size_t too_large;
    long overflow = dataset_overflow_row(&f->scaling, data->values, n, &too_large);
    if (overflow >= 0) {
        char value[32];
        return diag_set(diag, "%s:%ld: %s %s is too large: a sum of the feature passes the "
                        "largest number (1.8e308)", shown_name(input), data->lines[overflow],
                        data->names[too_large],
                        format_double(data->values[(size_t)overflow * d + too_large], '.',
                                      value));
    }
    int *fallback = calloc(d, sizeof *fallback);
    if (!fallback)
        return diag_set(diag, "out of memory");
    if (dataset_scaling_fit(&f->scaling, data->values, n, fallback, diag) < 0) {
        free(fallback);
        return -1;
    }
    for (size_t j = 0; j < d; j++)
        if (fallback[j])
            warn(ro, "feature \"%s\" has an interquartile range of 0: "
                 "scaled by its standard deviation", data->names[j]);
    free(fallback);
    f->x = malloc(n * d * sizeof *f->x);
    if (!f->x)
        return diag_set(diag, "out of memory");
    for (size_t i = 0; i < n; i++)
        dataset_scaling_apply(&f->scaling, data->values + i * d, f->x + i * d);
    return 0;
}

/* Measure every k tried and choose one: f->silhouette, ch, db, chosen. */
static int measure(struct persona_fit *f, const struct persona_fit_options *o,
                   const struct dataset_read_options *ro, struct diag *diag)
{
    size_t n = f->data.rows, d = f->data.dims;
    const int **labels = malloc(f->count * sizeof *labels);
    double *inertia = malloc(f->count * sizeof *inertia);
    if (!labels || !inertia) {
        free(labels);
        free(inertia);
        return diag_set(diag, "out of memory");
    }
    for (size_t i = 0; i < f->count; i++)
        labels[i] = f->results[i].labels;
    int rc = kmeans_silhouette(f->x, n, d, labels, f->ks, f->count, o->silhouette_sample,
                               o->km->seed, o->km->threads, f->silhouette, &f->silhouette_rows,
                               diag);
    free(labels);
    if (rc < 0) {
        free(inertia);
        return -1;
    }
    for (size_t i = 0; i < f->count; i++) {
        f->ch[i] = kmeans_calinski_harabasz(f->x, n, d, &f->results[i]);
        f->db[i] = kmeans_davies_bouldin(f->x, n, d, &f->results[i]);
        inertia[i] = f->results[i].inertia;
    }
    f->chosen = kmeans_choose(o->choose, f->ks, inertia, f->silhouette, f->ch, f->count);
    free(inertia);
    if (f->chosen < 0)
        f->chosen = 0;
    if (f->silhouette_rows < n && o->choose == KMEANS_SILHOUETTE)
        warn(ro, "silhouette computed on a seeded sample of %zu of the %zu rows "
             "(--silhouette-sample)", f->silhouette_rows, n);
    return 0;
}

int persona_fit_ks(struct persona_fit *f, const struct persona_fit_options *o,
                   const struct dataset_read_options *ro, struct diag *diag)
{
    size_t n = f->data.rows, d = f->data.dims;
    const struct persona_model *init = o->init;
    double *init_centers = NULL;
    size_t k_min = o->k_min, k_max = o->k_max;
    if (init) {
        k_min = k_max = init->k;
        init_centers = malloc(init->k * d * sizeof *init_centers);
        if (!init_centers)
            return diag_set(diag, "out of memory");
        /* last month's centroids in this month's scaled units */
        for (size_t c = 0; c < init->k; c++)
            for (size_t j = 0; j < d; j++) {
                double t = init->centers[c * d + j] * init->scaling.scale[j] +
                           init->scaling.center[j];
                init_centers[c * d + j] = (t - f->scaling.center[j]) / f->scaling.scale[j];
            }
    }
    if (k_max > n) {
        free(init_centers);
        return diag_set(diag, "k = %zu is more than the %zu rows to cluster", k_max, n);
    }
    f->count = k_max - k_min + 1;
    f->ks = malloc(f->count * sizeof *f->ks);
    f->results = calloc(f->count, sizeof *f->results);
    f->silhouette = malloc(f->count * sizeof *f->silhouette);
    f->ch = malloc(f->count * sizeof *f->ch);
    f->db = malloc(f->count * sizeof *f->db);
    if (!f->ks || !f->results || !f->silhouette || !f->ch || !f->db) {
        free(init_centers);
        return diag_set(diag, "out of memory");
    }
    for (size_t i = 0; i < f->count; i++)
        f->ks[i] = k_min + i;
    int rc = kmeans_fit(f->x, n, d, f->ks, f->count, init_centers, o->km, f->results, diag);
    free(init_centers);
    if (rc < 0)
        return -1;
    f->chosen = 0;
    if (f->count > 1 || o->measure)
        return measure(f, o, ro, diag);
    return 0;
}

int persona_fit_model(const struct persona_fit *f, const struct kmeans_result *r,
                      const double *z, const double *pca_mean, const double *pca_axes,
                      struct persona_model *m, struct diag *diag)
{
    size_t d = f->data.dims;
    if (persona_model_init(m, d, r->k, diag) < 0)
        return -1;
    m->scaling.kind = f->scaling.kind;
    for (size_t j = 0; j < d; j++) {
        m->names[j] = strdup(f->data.names[j]);
        if (!m->names[j]) {
            persona_model_free(m);
            return diag_set(diag, "out of memory");
        }
        m->scaling.log[j] = f->scaling.log[j];
        m->scaling.center[j] = f->scaling.center[j];
        m->scaling.scale[j] = f->scaling.scale[j];
    }
    memcpy(m->centers, r->centers, r->k * d * sizeof *m->centers);
    memcpy(m->z, z, r->k * d * sizeof *m->z);
    memcpy(m->pca_mean, pca_mean, d * sizeof *pca_mean);
    memcpy(m->pca_axes, pca_axes, 2 * d * sizeof *pca_axes);
    return 0;
}

int persona_fit_describe(struct persona_fit *f, int renumber, enum l10n_lang lang,
                         const struct dataset_read_options *ro,
                         struct persona_description *desc, struct diag *diag)
{
    const struct dataset *data = &f->data;
    size_t n = data->rows, d = data->dims;
    struct kmeans_result *r = &f->results[f->chosen];
    memset(desc, 0, sizeof *desc);
    desc->result = r;
    if (renumber && kmeans_renumber_by_size(r) != 0)
        return diag_set(diag, "out of memory");
    for (size_t a = 0; a < r->k; a++)
        for (size_t b = a + 1; b < r->k; b++)
            if (memcmp(r->centers + a * d, r->centers + b * d, d * sizeof *r->centers) == 0)
                warn(ro, "clusters %zu and %zu have the same centre: the data have fewer "
                     "than %zu distinct points", a + 1, b + 1, r->k);
    desc->pca_mean = malloc(d * sizeof *desc->pca_mean);
    desc->pca_axes = malloc(2 * d * sizeof *desc->pca_axes);
    desc->labels = malloc(r->k * sizeof *desc->labels);
    if (!desc->pca_mean || !desc->pca_axes || !desc->labels)
        return diag_set(diag, "out of memory");
    if (kmeans_pca(f->x, n, d, desc->pca_mean, desc->pca_axes, diag) < 0)
        return -1;
    if (persona_profiles(&desc->profiles, data, f->scaling.log, r->labels, r->k, diag) < 0)
        return -1;
    for (size_t c = 0; c < r->k; c++)
        persona_label((const char *const *)data->names, desc->profiles.z + c * d, d, lang,
                      desc->labels[c], PERSONA_LABEL_MAX);
    return 0;
}

void persona_description_free(struct persona_description *desc)
{
    if (!desc)
        return;
    free(desc->pca_mean);
    free(desc->pca_axes);
    free(desc->labels);
    persona_profiles_free(&desc->profiles);
    memset(desc, 0, sizeof *desc);
}

void persona_fit_free(struct persona_fit *f)
{
    if (!f)
        return;
    for (size_t i = 0; f->results && i < f->count; i++)
        kmeans_result_free(&f->results[i]);
    free(f->results);
    free(f->ks);
    free(f->silhouette);
    free(f->ch);
    free(f->db);
    free(f->x);
    free(f->input_row);
    dataset_scaling_free(&f->scaling);
    dataset_free(&f->data);
    memset(f, 0, sizeof *f);
}
