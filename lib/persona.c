/* persona.c — cluster profiles in real units, their labels in words, and
 * the saved model that keeps personas stable month to month (see
 * persona.h). */
#include "persona.h"

#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "columns.h"
#include "csvin.h"
#include "csvout.h"
#include "parse.h"

/* ---- labels ------------------------------------------------------------- */

struct words {
    const char *names;      /* folded names, '|'-separated; a leading '*'
                               matches a name containing the word */
    const char *high_en, *low_en, *high_fr, *low_fr;
};

static const struct words vocabulary[] = {
    { "spendingscore|scoredepense",
      "high spending score", "low spending score",
      "score de dépense élevé", "score de dépense faible" },
    { "revenue|monetary|ca|chiffredaffaires|montant|amount|sales|spend|spending|depense|depenses"
      "|totalspent",
      "high monetary", "low monetary", "dépense élevée", "dépense faible" },
    { "margin|marge|profit",
      "high margin", "low margin", "marge élevée", "marge faible" },
    { "orders|order|frequency|frequence|commandes|nborders|invoices|factures|purchases|achats",
      "frequent", "infrequent", "fréquent", "occasionnel" },
    { "recency|recencydays|recence|recencejours|dayssincelastpurchase",
      "lapsed", "recent", "inactif", "récent" },
    { "tenure|tenuredays|anciennete|ancienneteejours|seniority",
      "long-standing", "new", "ancien", "nouveau" },
    { "avgorder|averageorder|aov|paniermoyen|panier|basket",
      "big baskets", "small baskets", "gros panier", "petit panier" },
    { "quantity|quantite|qty|qte|units|unites",
      "large quantities", "small quantities", "gros volumes", "petits volumes" },
    { "lines|lignes",
      "many lines", "few lines", "nombreuses lignes", "peu de lignes" },
    { "age|ages",
      "older", "young", "âgé", "jeune" },
    { "*income|*revenu|*salary|*salaire",
      "high income", "low income", "revenu élevé", "revenu modeste" },
};

static int name_matches(const char *folded, const char *list)
{
    const char *p = list;
    while (*p) {
        const char *end = strchr(p, '|');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        char word[64];
        int contains = *p == '*';
        size_t wlen = len - (size_t)contains;
        if (wlen < sizeof word) {
            memcpy(word, p + contains, wlen);
            word[wlen] = '\0';
            if (contains ? strstr(folded, word) != NULL : strcmp(folded, word) == 0) {
                /* "revenu" inside "revenue" is sales, not income */
                if (!(contains && strcmp(word, "revenu") == 0 && strstr(folded, "revenue")))
                    return 1;
            }
        }
        p += len;
        if (*p == '|')
            p++;
    }
    return 0;
}

/* Append text to out (size bytes), truncating safely. */
static void append(char *out, size_t size, const char *text)
{
    size_t used = strlen(out);
    if (used + 1 < size)
        snprintf(out + used, size - used, "%s", text);
}

static void feature_words(const char *name, int high, enum l10n_lang lang, char *out,
                          size_t size)
{
    char folded[256];
    columns_fold(name, folded, sizeof folded);
    for (size_t i = 0; i < sizeof vocabulary / sizeof vocabulary[0]; i++) {
        const struct words *w = &vocabulary[i];
        if (!name_matches(folded, w->names))
            continue;
        const char *text = lang == L10N_FR ? (high ? w->high_fr : w->low_fr)
                                              : (high ? w->high_en : w->low_en);
        append(out, size, text);
        return;
    }
    /* "high <feature>" with underscores as spaces; French puts the
     * adjective after */
    char plain[256];
    size_t n = 0;
    for (const char *p = name; *p && n + 1 < sizeof plain; p++)
        plain[n++] = *p == '_' ? ' ' : *p;
    plain[n] = '\0';
    char text[300];
    if (lang == L10N_FR)
        snprintf(text, sizeof text, "%s %s", plain, high ? "élevé" : "faible");
    else
        snprintf(text, sizeof text, "%s %s", high ? "high" : "low", plain);
    append(out, size, text);
}

char *persona_label(const char *const *names, const double *z, size_t dims,
                    enum l10n_lang lang, char *out, size_t size)
{
    int used[PERSONA_WORDS];
    int count = 0;
    out[0] = '\0';
    while (count < PERSONA_WORDS) {
        long best = -1;
        for (size_t j = 0; j < dims; j++) {
            int taken = 0;
            for (int u = 0; u < count; u++)
                taken |= used[u] == (int)j;
            if (taken || !(fabs(z[j]) >= PERSONA_THRESHOLD))
                continue;
            if (best < 0 || fabs(z[j]) > fabs(z[best]))
                best = (long)j;
        }
        if (best < 0)
            break;
        if (count > 0)
            append(out, size, ", ");
        feature_words(names[best], z[best] > 0, lang, out, size);
        used[count++] = (int)best;
    }
    if (count == 0)
        append(out, size, lang == L10N_FR ? "dans la moyenne" : "average");
    return out;
}

/* ---- profiles ------------------------------------------------------------ */

void persona_profiles_free(struct persona_profiles *p)
{
    if (!p)
        return;
    free(p->size);
    free(p->share);
    free(p->mean);
    free(p->median);
    free(p->z);
    free(p->revenue_share);
    free(p->mode);
    memset(p, 0, sizeof *p);
}

struct text_key {
    int cluster;
    const char *text;
};

static int compare_keys(const void *a, const void *b)
{
    const struct text_key *x = a, *y = b;
    if (x->cluster != y->cluster)
        return x->cluster < y->cluster ? -1 : 1;
    return strcmp(x->text, y->text);
}

/* The field of text column t in a row's kept fields. */
static const char *kept_field(const struct dataset *f, size_t row, size_t t, int all_fields)
{
    const char *s = dataset_row_text(f, row);
    size_t skip = all_fields ? (size_t)f->text_columns[t] : t;
    while (skip--)
        s += strlen(s) + 1;
    return s;
}

int persona_profiles(struct persona_profiles *p, const struct dataset *f, const int *log,
                     const int *labels, size_t k, struct diag *diag)
{
    size_t n = f->rows, d = f->dims;
    size_t texts = f->texts;
    memset(p, 0, sizeof *p);
    p->k = k;
    p->dims = d;
    size_t *order = malloc((n + 1) * sizeof *order);
    size_t *start = calloc(k + 1, sizeof *start);
    double *values = malloc((n + 1) * sizeof *values);
    double *pop_mean = calloc(d + 1, sizeof *pop_mean), *pop_sd = calloc(d + 1, sizeof *pop_sd);
    p->size = calloc(k, sizeof *p->size);
    p->share = calloc(k, sizeof *p->share);
    p->mean = calloc(k * d + 1, sizeof *p->mean);
    p->median = calloc(k * d + 1, sizeof *p->median);
    p->z = calloc(k * d + 1, sizeof *p->z);
    if (!order || !start || !values || !pop_mean || !pop_sd || !p->size || !p->share ||
        !p->mean || !p->median || !p->z)
        goto oom;

    /* rows grouped by cluster, in row order within a cluster */
    for (size_t i = 0; i < n; i++)
        p->size[labels[i]]++;
    for (size_t j = 0; j < k; j++)
        start[j + 1] = start[j] + p->size[j];
    {
        size_t *next = calloc(k, sizeof *next);
        if (!next)
            goto oom;
        for (size_t i = 0; i < n; i++) {
            size_t j = (size_t)labels[i];
            order[start[j] + next[j]++] = i;
        }
        free(next);
    }
    for (size_t j = 0; j < k; j++)
        p->share[j] = n ? (double)p->size[j] / (double)n : 0;

    for (size_t t = 0; t < d; t++) {
        double sum = 0, squares = 0;
        for (size_t i = 0; i < n; i++) {
            values[i] = dataset_transform(log ? log[t] : 0, f->values[i * d + t]);
            sum += values[i];
        }
        pop_mean[t] = sum / (double)n;
        for (size_t i = 0; i < n; i++)
            squares += (values[i] - pop_mean[t]) * (values[i] - pop_mean[t]);
        pop_sd[t] = sqrt(squares / (double)n);
        for (size_t j = 0; j < k; j++) {
            size_t m = p->size[j];
            if (m == 0) {
                p->mean[j * d + t] = p->median[j * d + t] = p->z[j * d + t] = NAN;
                continue;
            }
            double tmean = 0;
            for (size_t r = 0; r < m; r++)
                tmean += values[order[start[j] + r]];
            tmean /= (double)m;
            p->z[j * d + t] = pop_sd[t] > 0 ? (tmean - pop_mean[t]) / pop_sd[t] : 0;
        }
        /* real units */
        for (size_t j = 0; j < k; j++) {
            size_t m = p->size[j];
            if (m == 0)
                continue;
            double total = 0;
            for (size_t r = 0; r < m; r++) {
                values[r] = f->values[order[start[j] + r] * d + t];
                total += values[r];
            }
            p->mean[j * d + t] = total / (double)m;
            p->median[j * d + t] = gsl_stats_median(values, 1, m);
        }
    }

    if (f->revenue) {
        p->revenue_share = calloc(k, sizeof *p->revenue_share);
        if (!p->revenue_share)
            goto oom;
        double total = 0;
        for (size_t i = 0; i < n; i++)
            total += f->revenue[i];
        for (size_t j = 0; j < k; j++) {
            double sum = 0;
            for (size_t r = 0; r < p->size[j]; r++)
                sum += f->revenue[order[start[j] + r]];
            p->revenue_share[j] = total != 0 ? sum / total : NAN;
        }
    }

    p->texts = texts;
    if (texts) {
        p->mode = calloc(k * texts, sizeof *p->mode);
        struct text_key *keys = malloc((n + 1) * sizeof *keys);
        if (!p->mode || !keys) {
            free(keys);
            goto oom;
        }
        for (size_t t = 0; t < texts; t++) {
            for (size_t i = 0; i < n; i++) {
                keys[i].cluster = labels[i];
                keys[i].text = kept_field(f, i, t, f->all_fields);
            }
            qsort(keys, n, sizeof *keys, compare_keys);
            size_t best_run = 0;
            for (size_t i = 0; i < n; ) {
                size_t e = i + 1;
                while (e < n && compare_keys(&keys[i], &keys[e]) == 0)
                    e++;
                size_t j = (size_t)keys[i].cluster;
                if (i == 0 || keys[i - 1].cluster != keys[i].cluster)
                    best_run = 0;
                /* the most frequent value; ties to the first in byte order */
                if (e - i > best_run) {
                    best_run = e - i;
                    p->mode[j * texts + t] = keys[i].text;
                }
                i = e;
            }
        }
        free(keys);
    }
    free(order);
    free(start);
    free(values);
    free(pop_mean);
    free(pop_sd);
    return 0;

oom:
    free(order);
    free(start);
    free(values);
    free(pop_mean);
    free(pop_sd);
    persona_profiles_free(p);
    return diag_set(diag, "out of memory");
}

/* ---- the model file ------------------------------------------------------ */

int persona_model_init(struct persona_model *m, size_t dims, size_t k, struct diag *diag)
{
    memset(m, 0, sizeof *m);
    if (dataset_scaling_init(&m->scaling, dims) < 0)
        return diag_set(diag, "out of memory");
    m->k = k;
    m->names = calloc(dims + 1, sizeof *m->names);
    m->centers = calloc(k * dims + 1, sizeof *m->centers);
    m->z = calloc(k * dims + 1, sizeof *m->z);
    m->pca_mean = calloc(dims + 1, sizeof *m->pca_mean);
    m->pca_axes = calloc(2 * dims + 1, sizeof *m->pca_axes);
    if (!m->names || !m->centers || !m->z || !m->pca_mean || !m->pca_axes) {
        persona_model_free(m);
        return diag_set(diag, "out of memory");
    }
    return 0;
}

void persona_model_free(struct persona_model *m)
{
    if (!m)
        return;
    for (size_t j = 0; m->names && j < m->scaling.dims; j++)
        free(m->names[j]);
    free(m->names);
    dataset_scaling_free(&m->scaling);
    free(m->centers);
    free(m->z);
    free(m->pca_mean);
    free(m->pca_axes);
    memset(m, 0, sizeof *m);
}

static void write_values(struct csvout *out, const double *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        csvout_double(out, v[i]);
    csvout_end_row(out);
}

int persona_model_write(const struct persona_model *m, FILE *fp, const char *name,
                        struct diag *diag)
{
    struct csvout out;
    size_t d = m->scaling.dims;
    csvout_init(&out, fp, 0);
    csvout_text(&out, "clientele_kmeans_model");
    csvout_long(&out, 1);
    csvout_end_row(&out);
    csvout_text(&out, "scale");
    csvout_text(&out, dataset_scale_name(m->scaling.kind));
    csvout_end_row(&out);
    for (size_t j = 0; j < d; j++) {
        csvout_text(&out, "feature");
        csvout_text(&out, m->names[j]);
        csvout_text(&out, m->scaling.log[j] ? "log" : "none");
        csvout_double(&out, m->scaling.center[j]);
        csvout_double(&out, m->scaling.scale[j]);
        csvout_end_row(&out);
    }
    for (size_t c = 0; c < m->k; c++) {
        csvout_text(&out, "centroid");
        csvout_long(&out, (long long)c + 1);
        write_values(&out, m->centers + c * d, d);
    }
    for (size_t c = 0; c < m->k; c++) {
        csvout_text(&out, "z");
        csvout_long(&out, (long long)c + 1);
        write_values(&out, m->z + c * d, d);
    }
    csvout_text(&out, "pca_mean");
    write_values(&out, m->pca_mean, d);
    for (size_t a = 0; a < 2; a++) {
        csvout_text(&out, "pca_axis");
        csvout_long(&out, (long long)a + 1);
        write_values(&out, m->pca_axes + a * d, d);
    }
    return ferror(fp) ? diag_set(diag, "cannot write %s", name) : 0;
}

/* Read `count` numbers from fields first.. of the current record. */
static int read_values(csvin *in, size_t first, double *out, size_t count, struct diag *diag)
{
    if (csvin_fields(in) != first + count)
        return diag_set(diag, "%s:%ld: %zu values expected, found %zu", csvin_name(in),
                        csvin_line(in), count,
                        csvin_fields(in) > first ? csvin_fields(in) - first : 0);
    for (size_t i = 0; i < count; i++) {
        size_t len;
        const char *s = csvin_field(in, first + i, &len);
        char mark = '.';
        enum parse_status st = parse_double(s, len, &mark, &out[i]);
        if (st != PARSE_OK) {
            char q[64];
            return diag_set(diag, "%s:%ld: \"%s\" %s", csvin_name(in), csvin_line(in),
                            diag_quote(s, len, q, sizeof q), parse_status_text(st));
        }
    }
    return 0;
}

/* Read the cluster or axis number in field 1: 1..max. */
static long read_index(csvin *in, size_t max, struct diag *diag)
{
    const char *s = csvin_field(in, 1, NULL);
    char *end;
    long v = strtol(s, &end, 10);
    if (*s == '\0' || *end != '\0' || v < 1 || (size_t)v > max)
        return diag_set(diag, "%s:%ld: bad number \"%s\" (1 to %zu expected)", csvin_name(in),
                        csvin_line(in), s, max), -1;
    return v - 1;
}

int persona_model_read(struct persona_model *m, const char *path, struct diag *diag)
{
    memset(m, 0, sizeof *m);
    csvin *in = csvin_open(path, ',', diag);
    if (!in)
        return -1;
    if (csvin_columns(in) != 2 || strcmp(csvin_column_name(in, 0), "clientele_kmeans_model") != 0) {
        diag_set(diag, "%s:1: not a cl-kmeans model (it starts \"clientele_kmeans_model,1\")",
                 csvin_name(in));
        goto fail;
    }
    if (strcmp(csvin_column_name(in, 1), "1") != 0) {
        diag_set(diag, "%s:1: model format version %s is not supported (this is version 1)",
                 csvin_name(in), csvin_column_name(in, 1));
        goto fail;
    }

    /* a first pass counts features and centroids */
    size_t dims = 0, k = 0;
    char scale_kind[16] = "";
    struct {
        char *name;
        int log;
        double center, scale;
    } *feat = NULL;
    size_t feat_cap = 0;
    double *centers = NULL, *zs = NULL, *pca_mean = NULL, *pca_axes = NULL;
    size_t centers_cap = 0;
    int have_mean = 0, have_axis[2] = { 0, 0 };
    long zs_seen = 0;
    int got;
    /* records arrive in a fixed order: scale, features, centroids, z, pca */
    while ((got = csvin_next(in, diag)) > 0) {
        const char *kind = csvin_field(in, 0, NULL);
        if (strcmp(kind, "scale") == 0) {
            enum dataset_scale sk;
            if (csvin_fields(in) != 2 || dataset_scale_parse(csvin_field(in, 1, NULL), &sk) < 0) {
                diag_set(diag, "%s:%ld: bad scale record", csvin_name(in), csvin_line(in));
                goto fail_parts;
            }
            snprintf(scale_kind, sizeof scale_kind, "%s", csvin_field(in, 1, NULL));
        } else if (strcmp(kind, "feature") == 0) {
            if (k > 0 || csvin_fields(in) != 5) {
                diag_set(diag, "%s:%ld: bad feature record", csvin_name(in), csvin_line(in));
                goto fail_parts;
            }
            if (dims == feat_cap) {
                size_t cap = feat_cap ? feat_cap * 2 : 8;
                void *p2 = realloc(feat, cap * sizeof *feat);
                if (!p2) {
                    diag_set(diag, "out of memory");
                    goto fail_parts;
                }
                feat = p2;
                feat_cap = cap;
            }
            const char *lg = csvin_field(in, 2, NULL);
            if (strcmp(lg, "log") != 0 && strcmp(lg, "none") != 0) {
                diag_set(diag, "%s:%ld: transform \"%s\" is not log or none", csvin_name(in),
                         csvin_line(in), lg);
                goto fail_parts;
            }
            double cs[2];
            if (read_values(in, 3, cs, 2, diag) < 0)
                goto fail_parts;
            if (!(cs[1] > 0) || !isfinite(cs[1])) {
                diag_set(diag, "%s:%ld: the scale must be positive", csvin_name(in),
                         csvin_line(in));
                goto fail_parts;
            }
            feat[dims].name = strdup(csvin_field(in, 1, NULL));
            if (!feat[dims].name) {
                diag_set(diag, "out of memory");
                goto fail_parts;
            }
            feat[dims].log = strcmp(lg, "log") == 0;
            feat[dims].center = cs[0];
            feat[dims].scale = cs[1];
            dims++;
        } else if (strcmp(kind, "centroid") == 0) {
            if (dims == 0 || csvin_fields(in) < 2 || zs_seen) {
                diag_set(diag, "%s:%ld: centroid before the features", csvin_name(in),
                         csvin_line(in));
                goto fail_parts;
            }
            if (read_index(in, k + 1, diag) != (long)k) {
                diag_set(diag, "%s:%ld: centroid %zu expected", csvin_name(in), csvin_line(in),
                         k + 1);
                goto fail_parts;
            }
            if (k == centers_cap) {
                size_t cap = centers_cap ? centers_cap * 2 : 8;
                void *p2 = realloc(centers, cap * dims * sizeof *centers);
                if (!p2) {
                    diag_set(diag, "out of memory");
                    goto fail_parts;
                }
                centers = p2;
                centers_cap = cap;
            }
            if (read_values(in, 2, centers + k * dims, dims, diag) < 0)
                goto fail_parts;
            k++;
        } else if (strcmp(kind, "z") == 0) {
            if (k == 0) {
                diag_set(diag, "%s:%ld: z before the centroids", csvin_name(in), csvin_line(in));
                goto fail_parts;
            }
            if (!zs && !(zs = calloc(k * dims, sizeof *zs))) {
                diag_set(diag, "out of memory");
                goto fail_parts;
            }
            if (read_index(in, k, diag) != zs_seen) {
                diag_set(diag, "%s:%ld: z of cluster %ld expected", csvin_name(in), csvin_line(in),
                         zs_seen + 1);
                goto fail_parts;
            }
            if (read_values(in, 2, zs + (size_t)zs_seen * dims, dims, diag) < 0)
                goto fail_parts;
            zs_seen++;
        } else if (strcmp(kind, "pca_mean") == 0) {
            if (dims == 0 || (!pca_mean && !(pca_mean = calloc(dims, sizeof *pca_mean)))) {
                diag_set(diag, "%s:%ld: pca_mean before the features", csvin_name(in),
                         csvin_line(in));
                goto fail_parts;
            }
            if (read_values(in, 1, pca_mean, dims, diag) < 0)
                goto fail_parts;
            have_mean = 1;
        } else if (strcmp(kind, "pca_axis") == 0) {
            if (dims == 0 || (!pca_axes && !(pca_axes = calloc(2 * dims, sizeof *pca_axes)))) {
                diag_set(diag, "%s:%ld: pca_axis before the features", csvin_name(in),
                         csvin_line(in));
                goto fail_parts;
            }
            long a = read_index(in, 2, diag);
            if (a < 0 || read_values(in, 2, pca_axes + (size_t)a * dims, dims, diag) < 0)
                goto fail_parts;
            have_axis[a] = 1;
        } else {
            char q[64];
            diag_set(diag, "%s:%ld: unknown record \"%s\"", csvin_name(in), csvin_line(in),
                     diag_quote(kind, strlen(kind), q, sizeof q));
            goto fail_parts;
        }
    }
    if (got < 0)
        goto fail_parts;
    if (!scale_kind[0] || dims == 0 || k == 0 || (size_t)zs_seen != k || !have_mean ||
        !have_axis[0] || !have_axis[1]) {
        diag_set(diag,
                 "%s: incomplete model (scale, features, centroids, z and pca records needed)",
                 csvin_name(in));
        goto fail_parts;
    }
    if (persona_model_init(m, dims, k, diag) < 0)
        goto fail_parts;
    dataset_scale_parse(scale_kind, &m->scaling.kind);
    for (size_t j = 0; j < dims; j++) {
        m->names[j] = feat[j].name;
        feat[j].name = NULL;
        m->scaling.log[j] = feat[j].log;
        m->scaling.center[j] = feat[j].center;
        m->scaling.scale[j] = feat[j].scale;
    }
    memcpy(m->centers, centers, k * dims * sizeof *centers);
    memcpy(m->z, zs, k * dims * sizeof *zs);
    memcpy(m->pca_mean, pca_mean, dims * sizeof *pca_mean);
    memcpy(m->pca_axes, pca_axes, 2 * dims * sizeof *pca_axes);
    free(feat);
    free(centers);
    free(zs);
    free(pca_mean);
    free(pca_axes);
    csvin_close(in);
    return 0;

fail_parts:
    for (size_t j = 0; j < dims; j++)
        free(feat[j].name);
    free(feat);
    free(centers);
    free(zs);
    free(pca_mean);
    free(pca_axes);
fail:
    csvin_close(in);
    return -1;
}
