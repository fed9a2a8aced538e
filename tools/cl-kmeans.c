/* cl-kmeans — personas from k-means clusters of clients.
 *
 * Reads one row per client, clusters the chosen numeric features (after
 * optional log transforms and scaling) and writes either every row with
 * its cluster, distance and 2-D projection (default), one profile per
 * cluster (--profiles), or the k-selection table (--select). A saved
 * model assigns new rows (--model) or seeds a refit (--init-from). */
#include <getopt.h>
#include <malloc.h>
#include <gsl/gsl_errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "cli_opts.h"
#include "cli_xlsx.h"
#include "columns.h"
#include "csvio.h"
#include "dataset.h"
#include "kmeans.h"
#include "persona_run.h"

#define K_LIMIT 100000      /* largest k accepted */
#define K_RANGE_LIMIT 200   /* most values of k in one range */
#define RESTART_SAMPLE 100000   /* default --restart-sample */

struct options {
    size_t k_min, k_max;
    int k_given;
    struct columns_list features, logs, describe;
    enum dataset_scale scale;
    int scale_given;
    struct kmeans_options km;
    enum kmeans_choice choose;
    size_t silhouette_sample;
    enum persona_output mode;
    const char *revenue;
    enum l10n_lang lang;
    const char *save_model, *model, *init_from;
    const char *also_profiles;      /* --also profiles=FILE */
    struct cli_common common;   /* -o, -d, --strict, the marks, --excel, --xlsx, --lang */
    const char *input;
};

/* the common options cl-kmeans takes (cli_opts.h), in its help and getopt */
#define COMMON (CLI_HELP_TABLE_IN | CLI_HELP_TABLE_OUT | CLI_HELP_LANG | CLI_HELP_END)

_Noreturn static void usage(void)
{
    printf("Usage: cl-kmeans [OPTION]... [FILE]\n"
           "Group clients into personas with k-means on numeric features.\n"
           "Reads one row per client (FILE or standard input; '-' is standard input).\n"
           "\n"
           "Features:\n"
           "  -f, --features LIST    numeric columns to cluster, comma-separated\n"
           "                         (default: every column but the first that holds a\n"
           "                         number on the first data row)\n"
           "      --log LIST         apply sign(x)*log(1+|x|) to these features first\n"
           "      --scale KIND       z (default), robust (median/IQR), minmax or none\n"
           "\n"
           "Clustering:\n"
           "  -k, --k N|A..B         number of clusters, or a range to choose from\n"
           "                         (default 2..10)\n"
           "      --choose HOW       silhouette (default), elbow or ch\n"
           "      --n-init N         k-means++ restarts, the best kept (default 10)\n"
           "      --max-iter N       iterations per restart (default 300)\n"
           "      --tol X            relative tolerance on centre shifts (default 1e-4)\n"
           "      --seed N           random seed (default 1)\n"
           "      --restart-sample N the restarts on a seeded sample of N rows when\n"
           "                         there are more, the best then refined on every\n"
           "                         row (default 100000; 0: on every row)\n"
           "      --threads N        threads (default: the number of processors)\n"
           "      --silhouette-sample N  exact silhouette up to N rows, else on a\n"
           "                         seeded sample of N rows (default 10000)\n"
           "\n"
           "Output (one of them):\n"
           "      --profiles         one row per cluster: size, share, means, medians,\n"
           "                         z-deviations, revenue share, modes, label\n"
           "      --select           the k-selection table\n"
           "                         (default: every row with cluster, distance, pc1,\n"
           "                         pc2, label)\n"
           "      --describe LIST    text columns whose most frequent value each\n"
           "                         profile shows\n"
           "      --value COL        revenue column for the revenue share (default:\n"
           "                         a column named revenue, amount, montant, ca...)\n");
    cli_help_line("--also profiles=FILE", "with --model, also write the profiles into FILE,\n"
                  "as a run with --profiles would, from the same read of\n"
                  "the rows (--describe and --value apply to them)");
    printf(           "\n"
           "Models:\n"
           "      --save-model FILE  write the features, scaling and centroids\n"
           "  -m, --model FILE       assign rows with a saved model (no refit)\n"
           "      --init-from FILE   refit starting from a saved model's centroids\n"
           "\n"
           "Input and output:\n");
    cli_help_common(COMMON);
    printf("\n"
           "Exit status: 0 success, 1 data error, 2 usage error.\n");
    exit(0);
}

/* Split a comma-separated list (an empty name is a usage error). */
static void split_list(const char *option, const char *arg, struct columns_list *list)
{
    struct diag diag;
    if (columns_list_parse(list, arg, &diag) != 0)
        cli_usage("--%s: %s", option, diag.message);
}

static void parse_k(const char *arg, struct options *o)
{
    const char *dots = strstr(arg, "..");
    if (!dots) {
        o->k_min = o->k_max = (size_t)cli_parse_long("--k", arg, 1, K_LIMIT);
        return;
    }
    char first[32];
    size_t len = (size_t)(dots - arg);
    if (len == 0 || len >= sizeof first)
        cli_usage("--k: \"%s\" is not N or A..B", arg);
    memcpy(first, arg, len);
    first[len] = '\0';
    o->k_min = (size_t)cli_parse_long("--k", first, 1, K_LIMIT);
    o->k_max = (size_t)cli_parse_long("--k", dots + 2, 1, K_LIMIT);
    if (o->k_max < o->k_min)
        cli_usage("--k: the range %s is empty", arg);
    if (o->k_max - o->k_min + 1 > K_RANGE_LIMIT)
        cli_usage("--k: at most %d values of k in a range", K_RANGE_LIMIT);
}

static double parse_nonnegative_double(const char *option, const char *arg)
{
    char *end;
    double v = strtod(arg, &end);
    if (*arg == '\0' || *end != '\0' || !(v >= 0) || !isfinite(v))
        cli_usage("%s: \"%s\" is not a non-negative number", option, arg);
    return v;
}

/* --also OUTPUT=FILE: profiles=FILE, once. */
static void parse_also(struct options *o, const char *arg)
{
    if (strncmp(arg, "profiles=", 9) != 0)
        cli_usage("--also %s: give profiles=FILE", arg);
    const char *file = arg + 9;
    if (*file == '\0')
        cli_usage("--also %s: the file name is empty", arg);
    if (o->also_profiles)
        cli_usage("--also profiles= given twice");
    o->also_profiles = file;
}

static void parse_options(int argc, char **argv, struct options *o)
{
    enum {
        OPT_LOG = 256, OPT_SCALE, OPT_CHOOSE, OPT_N_INIT, OPT_MAX_ITER, OPT_TOL, OPT_SEED,
        OPT_THREADS, OPT_SIL, OPT_PROFILES, OPT_SELECT, OPT_DESCRIBE, OPT_REVENUE, OPT_VALUE,
        OPT_SAVE, OPT_INIT_FROM, OPT_RESTART_SAMPLE, OPT_ALSO
    };
    static const struct option long_options[] = {
        { "features", required_argument, NULL, 'f' },
        { "log", required_argument, NULL, OPT_LOG },
        { "scale", required_argument, NULL, OPT_SCALE },
        { "k", required_argument, NULL, 'k' },
        { "choose", required_argument, NULL, OPT_CHOOSE },
        { "n-init", required_argument, NULL, OPT_N_INIT },
        { "max-iter", required_argument, NULL, OPT_MAX_ITER },
        { "tol", required_argument, NULL, OPT_TOL },
        { "seed", required_argument, NULL, OPT_SEED },
        { "threads", required_argument, NULL, OPT_THREADS },
        { "silhouette-sample", required_argument, NULL, OPT_SIL },
        { "restart-sample", required_argument, NULL, OPT_RESTART_SAMPLE },
        { "profiles", no_argument, NULL, OPT_PROFILES },
        { "select", no_argument, NULL, OPT_SELECT },
        { "describe", required_argument, NULL, OPT_DESCRIBE },
        { "value", required_argument, NULL, OPT_VALUE },
        /* old spellings, for one release (NEWS) */
        { "revenue", required_argument, NULL, OPT_REVENUE },
        { "save-model", required_argument, NULL, OPT_SAVE },
        { "model", required_argument, NULL, 'm' },
        { "init-from", required_argument, NULL, OPT_INIT_FROM },
        { "also", required_argument, NULL, OPT_ALSO },
        { NULL, 0, NULL, 0 }
    };
    int profiles = 0, select = 0;
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    memset(o, 0, sizeof *o);
    kmeans_options_init(&o->km);
    o->km.threads = cpus < 1 ? 1 : cpus > 64 ? 64 : (int)cpus;
    o->k_min = 2;
    o->k_max = 10;
    o->silhouette_sample = 10000;
    o->km.sample = RESTART_SAMPLE;
    int c;
    opterr = 0;     /* one line of our own, not getopt's */
    while ((c = cli_getopt(argc, argv, "f:k:m:", long_options, COMMON, &o->common)) != -1) {
        switch (c) {
        case 'f': split_list("features", optarg, &o->features); break;
        case OPT_LOG: split_list("log", optarg, &o->logs); break;
        case OPT_SCALE:
            if (dataset_scale_parse(optarg, &o->scale) < 0)
                cli_usage("--scale: \"%s\" is not z, robust, minmax or none", optarg);
            o->scale_given = 1;
            break;
        case 'k': parse_k(optarg, o); o->k_given = 1; break;
        case OPT_CHOOSE:
            if (strcmp(optarg, "silhouette") == 0) o->choose = KMEANS_SILHOUETTE;
            else if (strcmp(optarg, "elbow") == 0) o->choose = KMEANS_ELBOW;
            else if (strcmp(optarg, "ch") == 0) o->choose = KMEANS_CH;
            else cli_usage("--choose: \"%s\" is not silhouette, elbow or ch", optarg);
            break;
        case OPT_N_INIT: o->km.n_init = (int)cli_parse_long("--n-init", optarg, 1, 10000); break;
        case OPT_MAX_ITER:
            o->km.max_iter = (int)cli_parse_long("--max-iter", optarg, 1, 1000000);
            break;
        case OPT_TOL: o->km.tol = parse_nonnegative_double("--tol", optarg); break;
        case OPT_SEED:
            o->km.seed = (unsigned long)cli_parse_long("--seed", optarg, 0, 4294967295L);
            break;
        case OPT_THREADS: o->km.threads = (int)cli_parse_long("--threads", optarg, 1, 64); break;
        case OPT_SIL:
            o->silhouette_sample = (size_t)cli_parse_long("--silhouette-sample", optarg, 2,
                                                          1000000);
            break;
        case OPT_RESTART_SAMPLE:
            o->km.sample = (size_t)cli_parse_long("--restart-sample", optarg, 0, 1000000000L);
            break;
        case OPT_PROFILES: profiles = 1; o->mode = PERSONA_PROFILES; break;
        case OPT_SELECT: select = 1; o->mode = PERSONA_SELECT; break;
        case OPT_DESCRIBE: split_list("describe", optarg, &o->describe); break;
        case OPT_REVENUE:
            cli_deprecated("--revenue", "--value");
            /* fall through */
        case OPT_VALUE: o->revenue = optarg; break;
        case OPT_SAVE: o->save_model = optarg; break;
        case 'm': o->model = optarg; break;
        case OPT_INIT_FROM: o->init_from = optarg; break;
        case OPT_ALSO: parse_also(o, optarg); break;
        case 'h': usage();
        default: cli_bad_option(c, argv);
        }
    }
    o->input = cli_one_input(argc, argv);
    o->lang = cli_lang(o->common.lang) ? L10N_FR : L10N_EN;

    if (profiles && select)
        cli_usage("--profiles and --select are two outputs: choose one");
    if (o->model && o->init_from)
        cli_usage("--model assigns, --init-from refits: choose one");
    if (o->model && select)
        cli_usage("--model has no choice of k: --select is for a fit");
    if (o->model && o->save_model)
        cli_usage("--model does not refit: there is no new model to save");
    if ((o->model || o->init_from) && (o->k_given || o->features.count || o->logs.count ||
                                      o->scale_given))
        cli_usage("--%s takes k, the features, --log and --scale from the model",
                  o->model ? "model" : "init-from");
    if (o->also_profiles && o->mode == PERSONA_PROFILES)
        cli_usage("--also profiles=FILE: --profiles is the main output already");
    if (o->also_profiles && o->mode == PERSONA_SELECT)
        cli_usage("--also profiles=FILE goes with the rows, not with --select");
    if (o->also_profiles && !o->model)
        cli_usage("--also profiles=FILE goes with --model (one read for both)");
    int profiles_written = o->mode == PERSONA_PROFILES || o->also_profiles;
    if (o->describe.count && !profiles_written)
        cli_usage("--describe only applies to --profiles");
    if (o->revenue && !profiles_written)
        cli_usage("--value only applies to --profiles");
}

static void warn_line(void *context, const char *message)
{
    (void)context;
    cli_warn("%s", message);
}

/* --verbose: how the input was read, which features were taken. */
static void said_read(const void *context, const struct dataset *data)
{
    const struct options *o = context;
    cli_verbose_dialect(o->input, data->delim, o->common.delim != 0);
    for (size_t j = 0; j < data->dims; j++)
        cli_verbose("feature %zu: %s", j + 1, data->names[j]);
}

/* Fit (or assign with --model) and write; model_fp: --save-model's file;
 * also: --also profiles' output, or NULL. */
static void run(const struct options *o, struct csvout *out, FILE *model_fp,
                struct csvout *also)
{
    int profiles = o->mode == PERSONA_PROFILES || also;
    struct dataset_read_options ro = {
        .delim = o->common.delim, .mark = o->common.mark, .strict = o->common.strict,
        .warn = warn_line, .warn_max = 10, .keep_fields = o->mode == PERSONA_ASSIGN,
        .features = (const char *const *)o->features.items, .feature_count = o->features.count,
        .text = (const char *const *)o->describe.items, .text_count = o->describe.count,
        .revenue = profiles ? o->revenue : NULL,
        .revenue_aliases = profiles && !o->revenue ? columns_amount : NULL,
        /* one read for both: a row without a revenue is assigned, and left
         * out of the profiles as --profiles would skip it */
        .revenue_note = also ? "left out of the profiles" : NULL,
    };
    struct persona_request req = {
        .input = o->input, .model = o->model, .init_from = o->init_from,
        .logs = (const char *const *)o->logs.items, .log_count = o->logs.count,
        .scale = o->scale, .on_read = said_read, .context = o,
    };
    struct persona_fit_options fo = {
        .k_min = o->k_min, .k_max = o->k_max, .km = &o->km, .choose = o->choose,
        .silhouette_sample = o->silhouette_sample,
    };
    struct persona_run pr = {
        .output = o->mode, .fit = &fo, .lang = o->lang, .threads = o->km.threads,
        .model_fp = model_fp, .model_name = o->save_model, .also_profiles = also,
    };
    struct diag diag;
    int bad_option;
    if (persona_run_request(&req, &pr, &ro, out, &bad_option, &diag) != 0) {
        if (bad_option)
            cli_usage("--log: %s", diag.message);   /* an unknown name: a usage error */
        cli_die_diag(&diag);
    }
}

int main(int argc, char **argv)
{
    struct options o;
    cli_init(argv[0]);
    gsl_set_error_handler_off();
    /* The rows' arrays (40 MB a column on 5 M clients) are allocated and
     * freed again for each k, restart and measure. Above 32 MiB malloc maps
     * each afresh, whose pages are then faulted in and zeroed every time: a
     * third of the choice's CPU on 5 M clients. Taken from the heap instead,
     * and kept there when freed, they are reused (the peak grows by about a
     * tenth; what is computed is the same: nothing relies on fresh pages). */
    mallopt(M_MMAP_MAX, 0);
    mallopt(M_TRIM_THRESHOLD, 1 << 30);
    parse_options(argc, argv, &o);
    o.common.xlsx = cli_xlsx_wanted(o.common.output, o.common.xlsx, o.common.excel);

    if (o.model)
        cli_input(o.model);
    if (o.init_from)
        cli_input(o.init_from);
    FILE *fp = cli_output(o.common.output);
    /* --save-model's file, opened with the other outputs (cli_output: a
     * temporary made by mkstemp, put in place by cli_output_commit) */
    FILE *model_fp = o.save_model ? cli_output(o.save_model) : NULL;
    /* --also profiles=FILE: the profiles beside the rows, from the same read */
    FILE *also_fp = o.also_profiles ? cli_output(o.also_profiles) : NULL;
    struct csvout out, also;
    csvout_init(&out, fp, o.common.excel);
    xlsx_book *book = cli_xlsx_start_lang(&out, o.common.output, o.common.xlsx, o.lang);
    xlsx_book *also_book = NULL;
    if (also_fp) {
        csvout_init(&also, also_fp, o.common.excel);
        also_book = cli_xlsx_start_lang(&also, o.also_profiles,
                                        cli_xlsx_wanted(o.also_profiles, 0, o.common.excel),
                                        o.lang);
    }
    run(&o, &out, model_fp, also_fp ? &also : NULL);
    cli_xlsx_finish(book, fp);
    if (also_fp)
        cli_xlsx_finish(also_book, also_fp);
    cli_output_commit();
    columns_list_free(&o.features);
    columns_list_free(&o.logs);
    columns_list_free(&o.describe);
    return 0;
}
