/* cl-kmeans — personas from k-means clusters of clients.
 *
 * Reads one row per client, clusters the chosen numeric features (after
 * optional log transforms and scaling) and writes either every row with
 * its cluster, distance and 2-D projection (default), one profile per
 * cluster (--profiles), or the k-selection table (--select). A saved
 * model assigns new rows (--model) or seeds a refit (--init-from). */
#include <getopt.h>
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
#include "parse.h"
#include "persona.h"
#include "persona_fit.h"
#include "persona_run.h"
#include "persona_table.h"

#define K_LIMIT 100000      /* largest k accepted */
#define K_RANGE_LIMIT 200   /* most values of k in one range */

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
    int strict, excel, xlsx;
    char delim;
    char mark;          /* --decimal-comma ',', --decimal-point '.', 0: learnt */
    const char *output;
    const char *input;
};

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
           "                         a column named revenue, amount, montant, ca...)\n"
           "\n"
           "Models:\n"
           "      --save-model FILE  write the features, scaling and centroids\n"
           "  -m, --model FILE       assign rows with a saved model (no refit)\n"
           "      --init-from FILE   refit starting from a saved model's centroids\n"
           "\n"
           "Input and output:\n");
    cli_help_common(CLI_HELP_DELIMITER | CLI_HELP_ENCODING | CLI_HELP_DECIMAL |
                    CLI_HELP_STRICT | CLI_HELP_OUTPUT |
                    CLI_HELP_EXCEL | CLI_HELP_XLSX | CLI_HELP_LANG | CLI_HELP_END);
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

static void parse_options(int argc, char **argv, struct options *o)
{
    enum {
        OPT_LOG = 256, OPT_SCALE, OPT_STRICT, OPT_CHOOSE, OPT_N_INIT, OPT_MAX_ITER, OPT_TOL,
        OPT_SEED, OPT_THREADS, OPT_SIL, OPT_PROFILES, OPT_SELECT, OPT_DESCRIBE, OPT_REVENUE,
        OPT_VALUE, OPT_LANG, OPT_SAVE, OPT_MODEL, OPT_INIT_FROM, OPT_EXCEL, OPT_XLSX
    };
    static const struct option long_options[] = {
        { "features", required_argument, NULL, 'f' },
        { "log", required_argument, NULL, OPT_LOG },
        { "scale", required_argument, NULL, OPT_SCALE },
        { "strict", no_argument, NULL, OPT_STRICT },
        { "k", required_argument, NULL, 'k' },
        { "choose", required_argument, NULL, OPT_CHOOSE },
        { "n-init", required_argument, NULL, OPT_N_INIT },
        { "max-iter", required_argument, NULL, OPT_MAX_ITER },
        { "tol", required_argument, NULL, OPT_TOL },
        { "seed", required_argument, NULL, OPT_SEED },
        { "threads", required_argument, NULL, OPT_THREADS },
        { "silhouette-sample", required_argument, NULL, OPT_SIL },
        { "profiles", no_argument, NULL, OPT_PROFILES },
        { "select", no_argument, NULL, OPT_SELECT },
        { "describe", required_argument, NULL, OPT_DESCRIBE },
        { "value", required_argument, NULL, OPT_VALUE },
        { "lang", required_argument, NULL, OPT_LANG },
        { "quiet", no_argument, NULL, CLI_OPT_QUIET },
        { "verbose", no_argument, NULL, 'v' },
        /* old spellings, for one release (NEWS) */
        { "revenue", required_argument, NULL, OPT_REVENUE },
        { "save-model", required_argument, NULL, OPT_SAVE },
        { "model", required_argument, NULL, 'm' },
        { "init-from", required_argument, NULL, OPT_INIT_FROM },
        { "delimiter", required_argument, NULL, 'd' },
        { "encoding", required_argument, NULL, CLI_OPT_ENCODING },
        { "decimal-comma", no_argument, NULL, CLI_OPT_DECIMAL_COMMA },
        { "decimal-point", no_argument, NULL, CLI_OPT_DECIMAL_POINT },
        { "output", required_argument, NULL, 'o' },
        { "excel", no_argument, NULL, OPT_EXCEL },
        { "output-delimiter", required_argument, NULL, CLI_OPT_OUTPUT_DELIMITER },
        { "xlsx", no_argument, NULL, OPT_XLSX },
        { "help", no_argument, NULL, 'h' },
        { "version", no_argument, NULL, 'V' },
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
    int c;
    opterr = 0;     /* one line of our own, not getopt's */
    const char *lang = NULL;
    while ((c = getopt_long(argc, argv, ":f:k:m:d:o:vhV", long_options, NULL)) != -1) {
        switch (c) {
        case 'f': split_list("features", optarg, &o->features); break;
        case OPT_LOG: split_list("log", optarg, &o->logs); break;
        case OPT_SCALE:
            if (dataset_scale_parse(optarg, &o->scale) < 0)
                cli_usage("--scale: \"%s\" is not z, robust, minmax or none", optarg);
            o->scale_given = 1;
            break;
        case OPT_STRICT: o->strict = 1; break;
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
        case OPT_PROFILES: profiles = 1; o->mode = PERSONA_PROFILES; break;
        case OPT_SELECT: select = 1; o->mode = PERSONA_SELECT; break;
        case OPT_DESCRIBE: split_list("describe", optarg, &o->describe); break;
        case OPT_REVENUE:
            cli_deprecated("--revenue", "--value");
            /* fall through */
        case OPT_VALUE: o->revenue = optarg; break;
        case OPT_LANG: lang = optarg; break;
        case CLI_OPT_QUIET: cli_set_quiet(); break;
        case 'v': cli_set_verbose(); break;
        case OPT_SAVE: o->save_model = optarg; break;
        case 'm': o->model = optarg; break;
        case OPT_INIT_FROM: o->init_from = optarg; break;
        case CLI_OPT_ENCODING: cli_set_encoding(optarg); break;
        case CLI_OPT_DECIMAL_COMMA:
        case CLI_OPT_DECIMAL_POINT:
            cli_set_decimal_mark(&o->mark, c == CLI_OPT_DECIMAL_COMMA);
            break;
        case 'd':
            o->delim = cli_parse_delim(optarg);
            break;
        case 'o': o->output = optarg; break;
        case OPT_EXCEL: o->excel = 1; break;
        case CLI_OPT_OUTPUT_DELIMITER: cli_set_output_delimiter(optarg); break;
        case OPT_XLSX: o->xlsx = 1; break;
        case 'h': usage();
        case 'V': cli_version();
        default: cli_bad_option(c, argv);
        }
    }
    o->input = cli_one_input(argc, argv);
    o->lang = cli_lang(lang) ? L10N_FR : L10N_EN;

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
    if (o->describe.count && o->mode != PERSONA_PROFILES)
        cli_usage("--describe only applies to --profiles");
    if (o->revenue && o->mode != PERSONA_PROFILES)
        cli_usage("--value only applies to --profiles");
}

static void warn_line(void *context, const char *message)
{
    (void)context;
    cli_warn("%s", message);
}

/* What the reader keeps for the output asked for. */
static struct dataset_read_options read_options(const struct options *o)
{
    struct dataset_read_options ro = {
        .delim = o->delim, .mark = o->mark, .strict = o->strict, .warn = warn_line,
        .warn_max = 10, .keep_fields = o->mode == PERSONA_ASSIGN,
        .text = (const char *const *)o->describe.items, .text_count = o->describe.count,
        .revenue = o->mode == PERSONA_PROFILES ? o->revenue : NULL,
        .revenue_aliases = o->mode == PERSONA_PROFILES && !o->revenue ? columns_amount : NULL,
    };
    return ro;
}

/* ---- --model: the saved model's clusters, no refit ----------------------- */

static void apply_model(const struct options *o, struct csvout *out)
{
    struct persona_model model;
    struct diag diag;
    if (persona_model_read(&model, o->model, &diag) < 0)
        cli_die_diag(&diag);
    struct dataset_read_options ro = read_options(o);
    ro.features = (const char *const *)model.names;
    ro.feature_count = model.scaling.dims;
    struct persona_run run = { .output = o->mode, .lang = o->lang, .threads = o->km.threads };
    if (persona_run_model(&model, o->input, &run, &ro, out, &diag) != 0)
        cli_die_diag(&diag);
    persona_model_free(&model);
}

/* --save-model's file, opened with the other outputs (cli_output: a
 * temporary made by mkstemp, put in place by cli_output_commit). */
static FILE *model_fp;

static void fit_and_write(const struct options *o, struct csvout *out)
{
    struct persona_fit f;
    struct diag diag;
    struct persona_model model, *init = NULL;
    memset(&model, 0, sizeof model);
    if (o->init_from) {
        if (persona_model_read(&model, o->init_from, &diag) < 0)
            cli_die_diag(&diag);
        init = &model;
    }
    struct dataset_read_options ro = read_options(o);
    if (init) {
        ro.features = (const char *const *)init->names;
        ro.feature_count = init->scaling.dims;
    } else if (o->features.count) {
        ro.features = (const char *const *)o->features.items;
        ro.feature_count = o->features.count;
    }
    if (persona_fit_read(&f, o->input, &ro, init, o->init_from, &diag) != 0)
        cli_die_diag(&diag);
    cli_verbose_dialect(o->input, f.data.delim, o->delim != 0);
    for (size_t j = 0; j < f.data.dims; j++)
        cli_verbose("feature %zu: %s", j + 1, f.data.names[j]);
    int *log = NULL;
    if (!init && persona_fit_log_flags(&f, (const char *const *)o->logs.items, o->logs.count,
                                       &log, &diag) != 0)
        cli_usage("--log: %s", diag.message);     /* an unknown name is a usage error */
    if (persona_fit_scale(&f, o->input, o->scale, log, init, &ro, &diag) != 0)
        cli_die_diag(&diag);
    free(log);
    struct persona_fit_options fo = {
        .k_min = o->k_min, .k_max = o->k_max, .km = &o->km, .choose = o->choose,
        .silhouette_sample = o->silhouette_sample, .init = init,
    };
    struct persona_run run = {
        .output = o->mode, .fit = &fo, .lang = o->lang, .threads = o->km.threads,
        .model_fp = model_fp, .model_name = o->save_model,
    };
    if (persona_run_write(&f, &run, &ro, out, &diag) != 0)
        cli_die_diag(&diag);
    persona_fit_free(&f);
    persona_model_free(&model);
}

int main(int argc, char **argv)
{
    struct options o;
    cli_init(argv[0]);
    gsl_set_error_handler_off();
    parse_options(argc, argv, &o);
    o.xlsx = cli_xlsx_wanted(o.output, o.xlsx, o.excel);

    if (o.model)
        cli_input(o.model);
    if (o.init_from)
        cli_input(o.init_from);
    FILE *fp = cli_output(o.output);
    model_fp = o.save_model ? cli_output(o.save_model) : NULL;
    struct csvout out;
    csvout_init(&out, fp, o.excel);
    xlsx_book *book = cli_xlsx_start_lang(&out, o.output, o.xlsx, o.lang);
    if (o.model)
        apply_model(&o, &out);
    else
        fit_and_write(&o, &out);
    cli_xlsx_finish(book, fp);
    cli_output_commit();
    columns_list_free(&o.features);
    columns_list_free(&o.logs);
    columns_list_free(&o.describe);
    return 0;
}
