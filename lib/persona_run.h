/* persona_run — the second half of cl-kmeans' fit, after the rows are
 * read and scaled (persona_fit.h): every k fitted, then the output asked
 * for written (the k-selection table, the profiles or every row with its
 * cluster) and the fitted model saved.
 *
 * Layer: engines. Includes persona_fit.h, persona_table.h. */
#ifndef CL_PERSONA_RUN_H
#define CL_PERSONA_RUN_H

#include <stdio.h>

#include "csvout.h"
#include "dataset.h"
#include "diag.h"
#include "l10n.h"
#include "persona_fit.h"

enum persona_output {
    PERSONA_ASSIGN,     /* every row with cluster, distance, pc1, pc2, label */
    PERSONA_PROFILES,   /* one row per cluster */
    PERSONA_SELECT      /* the k-selection table */
};

struct persona_run {
    enum persona_output output;
    const struct persona_fit_options *fit;  /* its measure is set from output */
    enum l10n_lang lang;                    /* of the labels */
    int threads;                            /* of the assignments' formatting */
    FILE *model_fp;                         /* the model written there, or NULL */
    const char *model_name;                 /* its name, for a message */
};

/* Fit f (read and scaled) for every k, choose, then write run->output to
 * out and the model to run->model_fp. @return 0, or -1 with diag set. */
int persona_run_write(struct persona_fit *f, const struct persona_run *run,
                      const struct dataset_read_options *ro, struct csvout *out,
                      struct diag *diag);

/* The rows of `input` read under ro (its features: the model's) given the
 * nearest centroid of a saved model (ties: the lowest number), with the
 * model's scaling and projection, labelled with the model's words, then
 * run->output written to out: the assignments, streamed one row at a time
 * (any number of rows), or the profiles of the model's clusters on these
 * rows (the whole table read, in the order of its content as the fit reads
 * it: on the rows the model was fitted on, the bytes of the fit's own
 * profiles). Not the selection table. Skipped rows are reported through
 * ro->warn. @return 0, or -1 with diag set. */
int persona_run_model(const struct persona_model *model, const char *input,
                      const struct persona_run *run, const struct dataset_read_options *ro,
                      struct csvout *out, struct diag *diag);

#endif
