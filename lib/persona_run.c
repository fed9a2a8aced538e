/* persona_run — cl-kmeans from the scaled rows to its output: the fit of
 * every k, the selection table, the description of the chosen clustering
 * (profiles, projection, labels), the assignments and the saved model. */
#include "persona_run.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "persona.h"
#include "persona_table.h"

/* Write the model of the described clustering to run->model_fp. */
static int save_model(const struct persona_fit *f, const struct persona_description *desc,
                      const struct persona_run *run, struct diag *diag)
{
    struct persona_model fitted;
    if (persona_fit_model(f, desc->result, desc->profiles.z, desc->pca_mean, desc->pca_axes,
                          &fitted, diag) != 0)
        return -1;
    int rc = persona_model_write(&fitted, run->model_fp, run->model_name, diag);
    persona_model_free(&fitted);
    return rc;
}

int persona_run_write(struct persona_fit *f, const struct persona_run *run,
                      const struct dataset_read_options *ro, struct csvout *out,
                      struct diag *diag)
{
    struct persona_fit_options fo = *run->fit;
    fo.measure = run->output == PERSONA_SELECT;
    if (persona_fit_ks(f, &fo, ro, diag) != 0)
        return -1;
    if (run->output == PERSONA_SELECT) {
        struct persona_selection s = {
            .count = f->count, .ks = f->ks, .results = f->results, .silhouette = f->silhouette,
            .ch = f->ch, .db = f->db, .silhouette_rows = f->silhouette_rows,
            .chosen = f->chosen,
        };
        persona_table_select(out, &s);
        if (!run->model_fp)
            return 0;
    }
    struct persona_description desc;
    if (persona_fit_describe(f, !fo.init, run->lang, ro, &desc, diag) != 0)
        return -1;
    struct persona_assignments a = {
        .data = &f->data, .input_row = f->input_row, .x = f->x, .result = desc.result,
        .pca_mean = desc.pca_mean, .pca_axes = desc.pca_axes, .labels = desc.labels,
        .threads = run->threads,
    };
    int rc = 0;
    if (run->output == PERSONA_PROFILES)
        persona_table_profiles(out, &f->data, &desc.profiles, desc.labels);
    else if (run->output == PERSONA_ASSIGN)
        rc = persona_table_assignments(out, &a, diag);
    if (rc == 0 && run->model_fp)
        rc = save_model(f, &desc, run, diag);
    persona_description_free(&desc);
    return rc;
}

/* The count of skipped rows, through the reader's callback (none: not shown). */
static void warn_skipped(const struct dataset_read_options *ro, size_t skipped,
                         const char *input)
{
    char message[DIAG_MAX];
    if (skipped && ro->warn)
        ro->warn(ro->warn_context,
                 dataset_skipped_text(skipped, input, message, sizeof message));
}

/* The profiles of the model's clusters on the rows of f (read, sorted). */
static int model_profiles(const struct persona_model *model, struct persona_fit *f,
                          const char *input, const struct persona_run *run,
                          struct csvout *out, struct diag *diag)
{
    const struct dataset *data = &f->data;
    size_t n = data->rows, d = data->dims, k = model->k;
    int *labels = malloc(n * sizeof *labels);
    double *scaled = malloc(d * sizeof *scaled);
    char (*words)[PERSONA_LABEL_MAX] = malloc(k * sizeof *words);
    struct persona_profiles p;
    memset(&p, 0, sizeof p);
    int rc = 0;
    if (!labels || !scaled || !words) {
        rc = diag_set(diag, "out of memory");
        goto done;
    }
    for (size_t i = 0; i < n; i++) {
        double distance;
        dataset_scaling_apply(&model->scaling, data->values + i * d, scaled);
        labels[i] = kmeans_nearest(scaled, d, model->centers, k, &distance);
        if (!isfinite(distance)) {
            rc = diag_set(diag, "%s:%ld: a feature is too large: its distance to the "
                          "centres passes the largest number (1.8e308)",
                          input && strcmp(input, "-") ? input : "stdin", data->lines[i]);
            goto done;
        }
    }
    for (size_t c = 0; c < k; c++)
        persona_label((const char *const *)model->names, model->z + c * d, d, run->lang,
                      words[c], PERSONA_LABEL_MAX);
    if (persona_profiles(&p, data, model->scaling.log, labels, k, diag) != 0) {
        rc = -1;
        goto done;
    }
    persona_table_profiles(out, data, &p, words);
done:
    persona_profiles_free(&p);
    free(labels);
    free(scaled);
    free(words);
    return rc;
}

/* --also profiles: the assignments streamed to out while the rows the
 * profiles take are kept, then their profiles to run->also_profiles as
 * persona_fit_read_rows then model_profiles make them. */
static int assign_and_profiles(const struct persona_model *model, const char *input,
                               const struct persona_run *run,
                               const struct dataset_read_options *ro, struct csvout *out,
                               struct diag *diag)
{
    struct persona_fit f;
    struct dataset_builder keep;
    size_t skipped;
    memset(&f, 0, sizeof f);
    int rc = persona_table_assign_model(out, model, input, ro, run->lang, &keep, &f.data,
                                        &skipped, diag);
    if (rc == 0) {
        warn_skipped(ro, skipped, input);
        struct dataset *data = &f.data;
        char message[DIAG_MAX];
        if (data->skipped != skipped && ro->warn) {
            char line[DIAG_MAX + 32];
            snprintf(line, sizeof line, "--also profiles: %s",
                     dataset_skipped_text(data->skipped, input, message, sizeof message));
            ro->warn(ro->warn_context, line);
        }
        if (data->rows == 0)
            rc = diag_set(diag, "%s: no rows to cluster",
                          input && strcmp(input, "-") ? input : "stdin");
        else if (dataset_sort_rows(data, &f.input_row) != 0)
            rc = diag_set(diag, "out of memory");
        else
            rc = model_profiles(model, &f, input, run, run->also_profiles, diag);
    }
    persona_fit_free(&f);
    return rc;
}

int persona_run_model(const struct persona_model *model, const char *input,
                      const struct persona_run *run, const struct dataset_read_options *ro,
                      struct csvout *out, struct diag *diag)
{
    if (run->output == PERSONA_SELECT)
        return diag_set(diag, "a saved model has no choice of k to show");
    struct persona_fit f;
    if (run->output == PERSONA_ASSIGN && run->also_profiles)
        return assign_and_profiles(model, input, run, ro, out, diag);
    if (run->output == PERSONA_ASSIGN) {
        size_t skipped;
        if (persona_table_assign_model(out, model, input, ro, run->lang, NULL, NULL, &skipped,
                                       diag) != 0)
            return -1;
        warn_skipped(ro, skipped, input);
        return 0;
    }
    int rc = persona_fit_read_rows(&f, input, ro, diag);
    if (rc == 0)
        rc = model_profiles(model, &f, input, run, out, diag);
    persona_fit_free(&f);
    return rc;
}

/* A fit, from req->init_from's model (read here) when there is one. */
static int run_fit(const struct persona_request *req, const struct persona_run *run,
                   struct dataset_read_options *ro, struct csvout *out, int *bad_option,
                   struct diag *diag)
{
    struct persona_model model, *init = NULL;
    struct persona_fit f;
    int *log = NULL, rc = -1;
    memset(&model, 0, sizeof model);
    memset(&f, 0, sizeof f);
    if (req->init_from) {
        if (persona_model_read(&model, req->init_from, diag) != 0)
            return -1;
        init = &model;
        ro->features = (const char *const *)init->names;
        ro->feature_count = init->scaling.dims;
    }
    struct persona_fit_options fo = *run->fit;
    struct persona_run r = *run;
    fo.init = init;
    r.fit = &fo;
    if (persona_fit_read(&f, req->input, ro, init, req->init_from, diag) != 0)
        goto done;
    if (req->on_read)
        req->on_read(req->context, &f.data);
    if (!init && persona_fit_log_flags(&f, req->logs, req->log_count, &log, diag) != 0) {
        *bad_option = 1;
        goto done;
    }
    if (persona_fit_scale(&f, req->input, req->scale, log, init, ro, diag) != 0)
        goto done;
    rc = persona_run_write(&f, &r, ro, out, diag);
done:
    free(log);
    persona_fit_free(&f);
    persona_model_free(&model);
    return rc;
}

int persona_run_request(const struct persona_request *req, const struct persona_run *run,
                        struct dataset_read_options *ro, struct csvout *out, int *bad_option,
                        struct diag *diag)
{
    *bad_option = 0;
    if (!req->model)
        return run_fit(req, run, ro, out, bad_option, diag);
    struct persona_model model;
    if (persona_model_read(&model, req->model, diag) != 0)
        return -1;
    ro->features = (const char *const *)model.names;
    ro->feature_count = model.scaling.dims;
    int rc = persona_run_model(&model, req->input, run, ro, out, diag);
    persona_model_free(&model);
    return rc;
}
