/* persona_run — cl-kmeans from the scaled rows to its output: the fit of
 * every k, the selection table, the description of the chosen clustering
 * (profiles, projection, labels), the assignments and the saved model. */
#include "persona_run.h"

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
