/* persona_run — cl-kmeans from its request to its output: the saved
 * models read, the rows read and scaled (persona_fit.h), every k fitted,
 * then the output asked for written (the k-selection table, the profiles
 * or every row with its cluster) and the fitted model saved; or, with a
 * saved model, its clusters of the rows (no refit).
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
    /* with a saved model and output PERSONA_ASSIGN: the profiles written
     * there too, from the same read (--also profiles), or NULL */
    struct csvout *also_profiles;
};

/* Fit f (read and scaled) for every k, choose, then write run->output to
 * out and the model to run->model_fp. @return 0, or -1 with diag set. */
int persona_run_write(struct persona_fit *f, const struct persona_run *run,
                      const struct dataset_read_options *ro, struct csvout *out,
                      struct diag *diag);

/* What cl-kmeans is asked for, beyond the reader's options and the output. */
struct persona_request {
    const char *input;                  /* a path, or "-": standard input */
    const char *model;                  /* --model: assign with this saved model */
    const char *init_from;              /* --init-from: refit from this one */
    const char *const *logs;            /* --log feature names */
    size_t log_count;
    enum dataset_scale scale;
    /* called once the rows of a fit are read, with them (--verbose), or NULL */
    void (*on_read)(const void *context, const struct dataset *data);
    const void *context;
};

/* The whole of cl-kmeans: with req->model, read it and persona_run_model;
 * else read req->input under ro (the features of req->init_from's model
 * when there is one), take the --log flags, scale, then persona_run_write.
 * An unknown --log name is the caller's mistake, not the data's:
 * *bad_option is then set to 1 (0 otherwise).
 * @return 0, or -1 with diag set. */
int persona_run_request(const struct persona_request *req, const struct persona_run *run,
                        struct dataset_read_options *ro, struct csvout *out, int *bad_option,
                        struct diag *diag);

/* The rows of `input` read under ro (its features: the model's) given the
 * nearest centroid of a saved model (ties: the lowest number), with the
 * model's scaling and projection, labelled with the model's words, then
 * run->output written to out: the assignments, streamed one row at a time
 * (any number of rows), or the profiles of the model's clusters on these
 * rows (the whole table read, in the order of its content as the fit reads
 * it: on the rows the model was fitted on, the bytes of the fit's own
 * profiles). Not the selection table. Skipped rows are reported through
 * ro->warn. With run->also_profiles, the assignments are written to out
 * and the profiles to run->also_profiles, from one read: ro is then the
 * reader's options of both (keep_fields, and the profiles' revenue and text
 * columns; with revenue_note a row whose revenue is not a number is
 * assigned but left out of the profiles, as a run with --profiles skips
 * it). @return 0, or -1 with diag set. */
int persona_run_model(const struct persona_model *model, const char *input,
                      const struct persona_run *run, const struct dataset_read_options *ro,
                      struct csvout *out, struct diag *diag);

#endif
