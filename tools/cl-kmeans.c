/* cl-kmeans — personas from k-means clusters of clients.
 *
 * Reads one row per client, clusters the chosen numeric features (after
 * optional log transforms and scaling) and writes either every row with
 * its cluster, distance and 2-D projection (default), one profile per
 * cluster (--profiles), or the k-selection table (--select). A saved
 * model assigns new rows (--model) or seeds a refit (--init-from). */
#include <errno.h>
#include <getopt.h>
#include <gsl/gsl_errno.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "cli_xlsx.h"
#include "columns.h"
#include "csvio.h"
#include "dataset.h"
#include "kmeans.h"
#include "parse.h"
#include "persona.h"

#define LABEL_MAX 256
#define K_LIMIT 100000      /* largest k accepted */
#define K_RANGE_LIMIT 200   /* most values of k in one range */

enum mode { MODE_ASSIGN, MODE_PROFILES, MODE_SELECT };

struct list {
    char **items;
    size_t count;
    char *storage;
};

struct options {
    size_t k_min, k_max;
    int k_given;
    struct list features, logs, describe;
    enum dataset_scale scale;
    int scale_given;
    struct kmeans_options km;
    enum kmeans_choice choose;
    size_t silhouette_sample;
    enum mode mode;
    const char *revenue;
    enum persona_lang lang;
    const char *save_model, *model, *init_from;
    int strict, excel, xlsx;
    char delim;
    const char *output;
    const char *input;
};

static const char *const reserved[] = { "cluster", "distance", "pc1", "pc2", "label", NULL };

_Noreturn static void usage(void)
{
    printf("Usage: cl-kmeans [OPTION]... [FILE]\n"
           "Group clients into personas with k-means on numeric features.\n"
           "Reads one row per client (FILE or standard input; '-' is standard input).\n"
           "\n"
           "Features:\n"
           "  -f, --features LIST      numeric columns to cluster, comma-separated\n"
           "                           (default: every column but the first that holds a\n"
           "                           number on the first data row)\n"
           "      --log LIST           apply sign(x)*log(1+|x|) to these features first\n"
           "      --scale KIND         z (default), robust (median/IQR), minmax or none\n"
           "      --strict             a missing or non-numeric value is an error\n"
           "                           (default: the row is skipped and counted)\n"
           "\n"
           "Clustering:\n"
           "  -k, --k N|A..B           number of clusters, or a range to choose from\n"
           "                           (default 2..10)\n"
           "      --choose HOW         silhouette (default), elbow or ch\n"
           "      --n-init N           k-means++ restarts, the best kept (default 10)\n"
           "      --max-iter N         iterations per restart (default 300)\n"
           "      --tol X              relative tolerance on centre shifts (default 1e-4)\n"
           "      --seed N             random seed (default 1)\n"
           "      --threads N          threads (default: the number of processors)\n"
           "      --silhouette-sample N  exact silhouette up to N rows, else on a\n"
           "                           seeded sample of N rows (default 10000)\n"
           "\n"
           "Output (one of them):\n"
           "      --profiles           one row per cluster: size, share, means, medians,\n"
           "                           z-deviations, revenue share, modes, label\n"
           "      --select             the k-selection table\n"
           "                           (default: every row with cluster, distance, pc1,\n"
           "                           pc2, label)\n"
           "      --describe LIST      text columns whose most frequent value each\n"
           "                           profile shows\n"
           "      --revenue COL        revenue column for the revenue share (default:\n"
           "                           a column named revenue, amount, montant, ca...)\n"
           "      --lang LANG          labels in en (default) or fr\n"
           "\n"
           "Models:\n"
           "      --save-model FILE    write the features, scaling and centroids\n"
           "      --model FILE         assign rows with a saved model (no refit)\n"
           "      --init-from FILE     refit starting from a saved model's centroids\n"
           "\n"
           "Input and output:\n"
           "  -d, --delimiter C        input delimiter: , ; | or tab (default: sniffed)\n"
           "      --encoding NAME      the input's encoding: any iconv name\n"
           "                           (default: a UTF-16 BOM, else UTF-8 when valid,\n"
           "                            else WINDOWS-1252, said on stderr)\n"
           "  -o, --output FILE        write to FILE (default: standard output)\n"
           "      --excel              spreadsheet CSV: ';', decimal comma, BOM, CRLF\n"
           "      --xlsx               an Excel workbook (also when -o ends in .xlsx)\n"
           "  -h, --help               show this help and exit\n"
           "  -V, --version            show the version and exit\n"
           "\n"
           "Exit status: 0 success, 1 data error, 2 usage error.\n");
    exit(0);
}

/* Split a comma-separated list (empty items are a usage error). */
static void split_list(const char *option, const char *arg, struct list *list)
{
    free(list->items);
    free(list->storage);
    list->storage = strdup(arg);
    list->items = calloc(strlen(arg) + 1, sizeof *list->items);
    list->count = 0;
    if (!list->storage || !list->items)
        cli_die("out of memory");
    char *p = list->storage;
    for (;;) {
        char *comma = strchr(p, ',');
        if (comma)
            *comma = '\0';
        if (*p == '\0')
            cli_usage("--%s: empty name in \"%s\"", option, arg);
        list->items[list->count++] = p;
        if (!comma)
            break;
        p = comma + 1;
    }
}

static void list_free(struct list *list)
{
    free(list->items);
    free(list->storage);
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
        OPT_LANG, OPT_SAVE, OPT_MODEL, OPT_INIT_FROM, OPT_EXCEL, OPT_XLSX
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
        { "revenue", required_argument, NULL, OPT_REVENUE },
        { "lang", required_argument, NULL, OPT_LANG },
        { "save-model", required_argument, NULL, OPT_SAVE },
        { "model", required_argument, NULL, OPT_MODEL },
        { "init-from", required_argument, NULL, OPT_INIT_FROM },
        { "delimiter", required_argument, NULL, 'd' },
        { "encoding", required_argument, NULL, CLI_OPT_ENCODING },
        { "output", required_argument, NULL, 'o' },
        { "excel", no_argument, NULL, OPT_EXCEL },
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
    while ((c = getopt_long(argc, argv, ":f:k:d:o:hV", long_options, NULL)) != -1) {
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
            o->silhouette_sample = (size_t)cli_parse_long("--silhouette-sample", optarg, 2, 1000000);
            break;
        case OPT_PROFILES: profiles = 1; o->mode = MODE_PROFILES; break;
        case OPT_SELECT: select = 1; o->mode = MODE_SELECT; break;
        case OPT_DESCRIBE: split_list("describe", optarg, &o->describe); break;
        case OPT_REVENUE: o->revenue = optarg; break;
        case OPT_LANG:
            if (strcmp(optarg, "en") == 0) o->lang = PERSONA_EN;
            else if (strcmp(optarg, "fr") == 0) o->lang = PERSONA_FR;
            else cli_usage("--lang: \"%s\" is not en or fr", optarg);
            break;
        case OPT_SAVE: o->save_model = optarg; break;
        case OPT_MODEL: o->model = optarg; break;
        case OPT_INIT_FROM: o->init_from = optarg; break;
        case CLI_OPT_ENCODING: cli_set_encoding(optarg); break;
        case 'd':
            o->delim = cli_parse_delim(optarg);
            break;
        case 'o': o->output = optarg; break;
        case OPT_EXCEL: o->excel = 1; break;
        case OPT_XLSX: o->xlsx = 1; break;
        case 'h': usage();
        case 'V': cli_version();
        default: cli_bad_option(c, argv);
        }
    }
    o->input = cli_one_input(argc, argv);

    if (profiles && select)
        cli_usage("--profiles and --select are two outputs: choose one");
    if (o->model && o->init_from)
        cli_usage("--model assigns, --init-from refits: choose one");
    if (o->model && (profiles || select))
        cli_usage("--model writes the assignments only (no --profiles or --select)");
    if (o->model && o->save_model)
        cli_usage("--model does not refit: there is no new model to save");
    if ((o->model || o->init_from) && (o->k_given || o->features.count || o->logs.count ||
                                      o->scale_given))
        cli_usage("--%s takes k, the features, --log and --scale from the model",
                  o->model ? "model" : "init-from");
    if (o->describe.count && o->mode != MODE_PROFILES)
        cli_usage("--describe only applies to --profiles");
    if (o->revenue && o->mode != MODE_PROFILES)
        cli_usage("--revenue only applies to --profiles");
    if (o->save_model && o->k_min != o->k_max && o->mode == MODE_SELECT)
        cli_usage("--save-model needs a fitted model: not with --select over a range");
}

static void warn_line(void *context, const char *message)
{
    (void)context;
    cli_warn("%s", message);
}

static void report_skipped(size_t skipped, const char *input)
{
    if (skipped)
        cli_warn("%s: %zu row%s skipped (a missing or non-numeric value; --strict makes it an error)",
                 input && strcmp(input, "-") ? input : "stdin", skipped, skipped == 1 ? "" : "s");
}

static int is_reserved(const char *name)
{
    for (const char *const *r = reserved; *r; r++)
        if (strcmp(name, *r) == 0)
            return 1;
    return 0;
}

/* ---- output ------------------------------------------------------------ */

static void assignment_header(struct csvout *out, const char *const *header, size_t columns)
{
    for (size_t c = 0; c < columns; c++)
        if (!is_reserved(header[c]))
            csvout_text(out, header[c]);
    for (const char *const *r = reserved; *r; r++)
        csvout_text(out, *r);
    csvout_end_row(out);
}

/* A number as csvout_double writes it. */
static void put_double(struct csvout *out, double value)
{
    char buf[32];
    csvout_number(out, format_double(value, '.', buf));
}

static void assignment_tail(struct csvout *out, int cluster, double distance, double pc1,
                            double pc2, const char *label)
{
    csvout_long(out, cluster + 1);
    put_double(out, distance);
    put_double(out, pc1);
    put_double(out, pc2);
    csvout_text(out, label);
    csvout_end_row(out);
}

/* ---- --model: streaming assignment --------------------------------------- */

static void assign_with_model(const struct options *o, struct csvout *out)
{
    struct persona_model model;
    struct diag diag;
    if (persona_model_read(&model, o->model, &diag) < 0)
        cli_die_diag(&diag);
    size_t d = model.scaling.dims, k = model.k;
    struct dataset_read_options ro = {
        .delim = o->delim, .features = (const char *const *)model.names, .feature_count = d,
        .strict = o->strict, .warn = warn_line, .warn_max = 10,
    };
    dataset_reader *reader = dataset_reader_open(o->input, &ro, &diag);
    if (!reader)
        cli_die_diag(&diag);
    char (*labels)[LABEL_MAX] = malloc(k * sizeof *labels);
    double *raw = malloc(d * sizeof *raw), *scaled = malloc(d * sizeof *scaled);
    if (!labels || !raw || !scaled)
        cli_die("out of memory");
    for (size_t j = 0; j < k; j++)
        persona_label((const char *const *)model.names, model.z + j * d, d, o->lang, labels[j],
                      LABEL_MAX);

    const csvin *in = dataset_reader_csv(reader);
    size_t columns = csvin_columns(in);
    const char **header = malloc(columns * sizeof *header);
    if (!header)
        cli_die("out of memory");
    for (size_t c = 0; c < columns; c++)
        header[c] = csvin_column_name(in, c);
    assignment_header(out, header, columns);
    csvout_source_mark(out, csvio_source_mark(csvin_delim(in)));
    int got;
    while ((got = dataset_reader_next(reader, raw, NULL, &diag)) > 0) {
        dataset_scaling_apply(&model.scaling, raw, scaled);
        double distance, pc1, pc2;
        int cluster = kmeans_nearest(scaled, d, model.centers, k, &distance);
        kmeans_project(scaled, d, model.pca_mean, model.pca_axes, &pc1, &pc2);
        if (!isfinite(distance) || !isfinite(pc1) || !isfinite(pc2))
            cli_die("%s:%ld: a feature is too large: its distance to the centres passes the "
                    "largest number (1.8e308)", csvin_name(in), csvin_line(in));
        for (size_t c = 0; c < columns; c++)
            if (!is_reserved(header[c])) {
                size_t len;
                const char *s = csvin_field(in, c, &len);
                csvout_cell(out, s, c != 0);    /* numbers in this output's dialect */
            }
        assignment_tail(out, cluster, distance, pc1, pc2, labels[cluster]);
    }
    if (got < 0)
        cli_die_diag(&diag);
    report_skipped(dataset_reader_skipped(reader), o->input);
    free((void *)header);
    free(labels);
    free(raw);
    free(scaled);
    dataset_reader_close(reader);
    persona_model_free(&model);
}

/* ---- fitting ------------------------------------------------------------- */

struct fit {
    struct dataset data;            /* rows in content order (dataset_sort_rows) */
    size_t *input_row;              /* p-th input row -> its row in data */
    struct dataset_scaling scaling;
    double *x;                      /* scaled rows × dims */
    size_t *ks;
    size_t count;
    struct kmeans_result *results;
    double *silhouette, *ch, *db;
    size_t silhouette_rows;
    long chosen;
};

/* Renumber the clusters by decreasing size (ties: the cluster of the
 * earliest row first), so that cluster 1 is the largest persona. */
static void renumber_by_size(struct kmeans_result *r)
{
    size_t k = r->k, d = r->dims;
    size_t *first = malloc(k * sizeof *first), *order = malloc(k * sizeof *order);
    int *rank = malloc(k * sizeof *rank);
    double *centers = malloc(k * d * sizeof *centers);
    size_t *sizes = malloc(k * sizeof *sizes);
    if (!first || !order || !rank || !centers || !sizes)
        cli_die("out of memory");
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
    free(first);
    free(order);
    free(rank);
    free(centers);
    free(sizes);
}

static long find_feature(struct dataset *data, const char *name)
{
    struct diag diag;
    long j = columns_find((const char *const *)data->names, data->dims, name, NULL, "feature", 1,
                          "--log", &diag);
    if (j < 0)
        cli_usage("--log: \"%s\" is not one of the features", name);
    return j;
}

/* --save-model's file, opened with the other outputs (cli_output: a
 * temporary made by mkstemp, put in place by cli_output_commit). */
static FILE *model_fp;

static void write_model(const char *path, const struct persona_model *model)
{
    if (persona_model_write(model, model_fp) < 0)
        cli_die("cannot write %s", path);
}

static void write_select(const struct fit *f, struct csvout *out)
{
    static const char *const header[] = {
        "k", "inertia", "silhouette", "calinski_harabasz", "davies_bouldin", "chosen",
        "silhouette_rows", NULL
    };
    for (const char *const *h = header; *h; h++)
        csvout_text(out, *h);
    csvout_end_row(out);
    for (size_t i = 0; i < f->count; i++) {
        csvout_long(out, (long long)f->ks[i]);
        put_double(out, f->results[i].inertia);
        put_double(out, f->silhouette[i]);
        put_double(out, f->ch[i]);
        put_double(out, f->db[i]);
        csvout_long(out, (long)i == f->chosen);
        csvout_long(out, (long long)f->silhouette_rows);
        csvout_end_row(out);
    }
}

static void write_profiles(const struct options *o, const struct fit *f,
                           const struct persona_profiles *p, char (*labels)[LABEL_MAX],
                           struct csvout *out)
{
    const struct dataset *data = &f->data;
    size_t d = data->dims;
    char name[600];
    csvout_text(out, "cluster");
    csvout_text(out, "size");
    csvout_text(out, "share");
    for (size_t j = 0; j < d; j++) {
        static const char *const suffix[] = { "mean", "median", "z" };
        for (int s = 0; s < 3; s++) {
            snprintf(name, sizeof name, "%s_%s", data->names[j], suffix[s]);
            csvout_text(out, name);
        }
    }
    if (p->revenue_share)
        csvout_text(out, "revenue_share");
    for (size_t t = 0; t < o->describe.count; t++) {
        snprintf(name, sizeof name, "%s_mode", data->header[data->text_columns[t]]);
        csvout_text(out, name);
    }
    csvout_text(out, "label");
    csvout_end_row(out);
    for (size_t c = 0; c < p->k; c++) {
        csvout_long(out, (long long)c + 1);
        csvout_long(out, (long long)p->size[c]);
        put_double(out, p->share[c]);
        for (size_t j = 0; j < d; j++) {
            put_double(out, p->mean[c * d + j]);
            put_double(out, p->median[c * d + j]);
            put_double(out, p->z[c * d + j]);
        }
        if (p->revenue_share)
            put_double(out, p->revenue_share[c]);
        for (size_t t = 0; t < p->texts; t++) {
            const char *mode = p->mode[c * p->texts + t];
            csvout_text(out, mode ? mode : "");
        }
        csvout_text(out, labels[c]);
        csvout_end_row(out);
    }
}

/* ---- the assignments of a fit ------------------------------------------ */

/* Rows are formatted in blocks on every thread, each block into its own
 * byte buffer, and written in row order: the bytes do not depend on the
 * number of threads. The buffer writes what csvout writes (same quoting,
 * same numbers); the --model path goes through csvout itself, and the
 * tests compare the two outputs byte for byte. */
#define BLOCK_ROWS 8192

struct bytes {
    char *data;
    size_t len, cap;
    int failed;
};

static void bytes_put(struct bytes *b, const char *s, size_t len)
{
    if (b->len + len > b->cap) {
        size_t cap = b->cap ? b->cap : 1 << 16;
        while (cap < b->len + len)
            cap *= 2;
        char *p = realloc(b->data, cap);
        if (!p) {
            b->failed = 1;
            return;
        }
        b->data = p;
        b->cap = cap;
    }
    memcpy(b->data + b->len, s, len);
    b->len += len;
}

/* A text field as csvout_text_len quotes it: when it holds the delimiter,
 * a quote, a line end, or starts or ends with a space; with excel, text a
 * spreadsheet would take for a formula is quoted and prefixed with '. */
static void bytes_text(struct bytes *b, const char *s, size_t len, char delim, int excel)
{
    int formula = excel && len > 0 &&
                  (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@' || s[0] == '\t' ||
                   s[0] == '\r');
    int quote = formula || (len > 0 && (s[0] == ' ' || s[len - 1] == ' '));
    for (size_t i = 0; i < len && !quote; i++)
        quote = s[i] == delim || s[i] == '"' || s[i] == '\n' || s[i] == '\r';
    if (!quote) {
        bytes_put(b, s, len);
        return;
    }
    bytes_put(b, formula ? "\"'" : "\"", formula ? 2 : 1);
    size_t from = 0;
    for (size_t i = 0; i < len; i++)
        if (s[i] == '"') {
            bytes_put(b, s + from, i + 1 - from);     /* the quote, then its double */
            from = i;
        }
    bytes_put(b, s + from, len - from);
    bytes_put(b, "\"", 1);
}

/* A number formatted with '.', written with the output's decimal mark. */
static void bytes_number(struct bytes *b, char *number, char mark)
{
    if (mark != '.')
        for (char *p = number; *p; p++)
            if (*p == '.')
                *p = mark;
    bytes_put(b, number, strlen(number));
}

struct assign_job {
    const struct fit *f;
    const struct kmeans_result *r;
    const double *pca_mean, *pca_axes;
    const struct bytes *tails;  /* per cluster: ",<cluster>" ... */
    const struct bytes *labels; /* per cluster: ",<label>" and the line end */
    const int *skip;            /* input columns left out */
    char delim, mark;
    char source_mark;           /* decimal mark of the input's cells */
    size_t first, blocks, next;
    struct bytes *out;          /* blocks */
    pthread_mutex_t lock;
};

static void *assign_worker(void *arg)
{
    struct assign_job *job = arg;
    const struct dataset *data = &job->f->data;
    size_t d = data->dims;
    char sep = job->delim;
    for (;;) {
        pthread_mutex_lock(&job->lock);
        size_t blk = job->next < job->blocks ? job->next++ : job->blocks;
        pthread_mutex_unlock(&job->lock);
        if (blk == job->blocks)
            return NULL;
        struct bytes *b = &job->out[blk];
        b->len = 0;
        size_t start = job->first + blk * BLOCK_ROWS;
        size_t end = start + BLOCK_ROWS < data->rows ? start + BLOCK_ROWS : data->rows;
        for (size_t p = start; p < end; p++) {
            size_t i = job->f->input_row[p];
            const char *s = dataset_row_text(data, i);
            int first = 1;
            for (size_t c = 0; c < data->columns; c++) {
                size_t len = strlen(s);
                if (!job->skip[c]) {
                    if (!first)
                        bytes_put(b, &sep, 1);
                    char number[64];
                    if (c != 0 && (job->mark != '.' || job->source_mark != '.') &&
                        csvio_plain_number(s, len, job->source_mark, number, sizeof number))
                        bytes_number(b, number, job->mark);     /* this output's dialect */
                    else
                        bytes_text(b, s, len, job->delim, job->mark == ',');
                    first = 0;
                }
                s += len + 1;
            }
            int cluster = job->r->labels[i];
            if (!first)
                bytes_put(b, &sep, 1);
            bytes_put(b, job->tails[cluster].data, job->tails[cluster].len);
            double pc1, pc2;
            char number[32];
            kmeans_project(job->f->x + i * d, d, job->pca_mean, job->pca_axes, &pc1, &pc2);
            bytes_put(b, &sep, 1);
            bytes_number(b, format_double(job->r->distance[i], '.', number), job->mark);
            bytes_put(b, &sep, 1);
            bytes_number(b, format_double(pc1, '.', number), job->mark);
            bytes_put(b, &sep, 1);
            bytes_number(b, format_double(pc2, '.', number), job->mark);
            bytes_put(b, job->labels[cluster].data, job->labels[cluster].len);
        }
    }
}

static void write_assignments(const struct options *o, const struct fit *f,
                              const struct kmeans_result *r, const double *pca_mean,
                              const double *pca_axes, char (*labels)[LABEL_MAX],
                              struct csvout *out)
{
    const struct dataset *data = &f->data;
    int threads = o->km.threads;
    size_t per_round = (size_t)threads * 4;
    int *skip = calloc(data->columns + 1, sizeof *skip);
    struct bytes *blocks = calloc(per_round, sizeof *blocks);
    struct bytes *tails = calloc(r->k, sizeof *tails), *ends = calloc(r->k, sizeof *ends);
    pthread_t *ids = malloc((size_t)threads * sizeof *ids);
    if (!skip || !blocks || !tails || !ends || !ids)
        cli_die("out of memory");
    for (size_t c = 0; c < data->columns; c++)
        skip[c] = is_reserved(data->header[c]);
    assignment_header(out, (const char *const *)data->header, data->columns);
    if (out->sink_fn) {
        /* a workbook takes typed calls, not the threads' CSV bytes: the key
         * (first column) as text, the other input columns as numbers when
         * they are plain ones */
        for (size_t p = 0; p < data->rows; p++) {
            size_t i = f->input_row[p];         /* in the input's order, as the CSV */
            const char *s = dataset_row_text(data, i);
            for (size_t c = 0; c < data->columns; c++, s += strlen(s) + 1)
                if (!skip[c])
                    csvout_cell(out, s, c != 0);
            double pc1, pc2;
            kmeans_project(f->x + i * data->dims, data->dims, pca_mean, pca_axes, &pc1, &pc2);
            int cluster = r->labels[i];
            assignment_tail(out, cluster, r->distance[i], pc1, pc2, labels[cluster]);
        }
    }
    for (size_t c = 0; c < r->k; c++) {
        char number[32];
        snprintf(number, sizeof number, "%zu", c + 1);
        bytes_put(&tails[c], number, strlen(number));
        bytes_put(&ends[c], &out->delim, 1);
        bytes_text(&ends[c], labels[c], strlen(labels[c]), out->delim, out->excel);
        bytes_put(&ends[c], out->excel ? "\r\n" : "\n", out->excel ? 2 : 1);
    }
    struct assign_job job = {
        .f = f, .r = r, .pca_mean = pca_mean, .pca_axes = pca_axes, .tails = tails,
        .labels = ends, .skip = skip, .delim = out->delim, .mark = out->mark, .out = blocks,
        .source_mark = csvio_source_mark(data->delim),
    };
    pthread_mutex_init(&job.lock, NULL);
    size_t from = out->sink_fn ? data->rows : 0;     /* the workbook's rows are written */
    for (size_t first = from; first < data->rows; first += per_round * BLOCK_ROWS) {
        size_t left = data->rows - first;
        job.first = first;
        job.blocks = (left + BLOCK_ROWS - 1) / BLOCK_ROWS;
        if (job.blocks > per_round)
            job.blocks = per_round;
        job.next = 0;
        int started = 0;
        for (int t = 1; t < threads && (size_t)t < job.blocks; t++)
            if (pthread_create(&ids[started], NULL, assign_worker, &job) == 0)
                started++;
        assign_worker(&job);
        for (int t = 0; t < started; t++)
            pthread_join(ids[t], NULL);
        for (size_t b = 0; b < job.blocks; b++) {
            if (blocks[b].failed)
                cli_die("out of memory");
            fwrite(blocks[b].data, 1, blocks[b].len, out->fp);
        }
    }
    pthread_mutex_destroy(&job.lock);
    for (size_t b = 0; b < per_round; b++)
        free(blocks[b].data);
    for (size_t c = 0; c < r->k; c++) {
        free(tails[c].data);
        free(ends[c].data);
    }
    free(blocks);
    free(tails);
    free(ends);
    free(skip);
    free(ids);
}

/* Read the rows, drop constant features, fit the scaling and scale:
 * f->data, f->scaling and f->x. init: the model of --init-from, or NULL. */
static void read_and_scale(const struct options *o, const struct persona_model *init,
                           struct fit *f)
{
    struct diag diag;
    struct dataset_read_options ro = {
        .delim = o->delim, .strict = o->strict, .warn = warn_line, .warn_max = 10,
        .keep_fields = o->mode == MODE_ASSIGN,
        .text = (const char *const *)o->describe.items, .text_count = o->describe.count,
        .revenue = o->revenue, .revenue_aliases = o->revenue ? NULL : columns_amount,
    };
    if (o->init_from) {
        ro.features = (const char *const *)init->names;
        ro.feature_count = init->scaling.dims;
    } else if (o->features.count) {
        ro.features = (const char *const *)o->features.items;
        ro.feature_count = o->features.count;
    }
    if (o->mode != MODE_PROFILES)
        ro.revenue_aliases = NULL, ro.revenue = NULL;
    if (dataset_read(&f->data, o->input, &ro, &diag) < 0)
        cli_die_diag(&diag);
    struct dataset *data = &f->data;
    report_skipped(data->skipped, o->input);
    if (data->rows == 0)
        cli_die("%s: no rows to cluster", o->input && strcmp(o->input, "-") ? o->input : "stdin");
    /* the rows in an order of their content: the fit, the samples and the
     * profiles never depend on the order of the input (written back in it) */
    if (dataset_sort_rows(data, &f->input_row) != 0)
        cli_die("out of memory");

    /* constant features carry no information: dropped, with a warning */
    int *keep = malloc(data->dims * sizeof *keep);
    if (!keep)
        cli_die("out of memory");
    size_t kept = 0;
    for (size_t j = 0; j < data->dims; j++) {
        keep[j] = !dataset_constant(data->values, data->rows, data->dims, j);
        if (!keep[j]) {
            if (o->init_from)
                cli_die("feature \"%s\" is constant in this data: cannot refit the model of %s",
                        data->names[j], o->init_from);
            cli_warn("feature \"%s\" is constant (%s): dropped", data->names[j], "same value in every row");
        }
        kept += (size_t)keep[j];
    }
    if (kept == 0)
        cli_die("every feature is constant: nothing to cluster");
    if (kept < data->dims)
        dataset_drop(data, keep);
    free(keep);
    size_t n = data->rows, d = data->dims;

    if (dataset_scaling_init(&f->scaling, d) < 0)
        cli_die("out of memory");
    if (o->init_from) {
        f->scaling.kind = init->scaling.kind;
        memcpy(f->scaling.log, init->scaling.log, d * sizeof *f->scaling.log);
    } else {
        f->scaling.kind = o->scale;
        for (size_t i = 0; i < o->logs.count; i++)
            f->scaling.log[find_feature(data, o->logs.items[i])] = 1;
    }
    size_t too_large;
    long overflow = dataset_overflow_row(&f->scaling, data->values, n, &too_large);
    if (overflow >= 0) {
        char value[32];
        cli_die("%s:%ld: %s %s is too large: a sum of the feature passes the largest "
                "number (1.8e308)", strcmp(o->input, "-") == 0 ? "stdin" : o->input,
                data->lines[overflow], data->names[too_large],
                format_double(data->values[(size_t)overflow * d + too_large], '.', value));
    }
    int *fallback = calloc(d, sizeof *fallback);
    if (!fallback)
        cli_die("out of memory");
    if (dataset_scaling_fit(&f->scaling, data->values, n, fallback, &diag) < 0)
        cli_die_diag(&diag);
    for (size_t j = 0; j < d; j++)
        if (fallback[j])
            cli_warn("feature \"%s\" has an interquartile range of 0: scaled by its standard deviation",
                     data->names[j]);
    free(fallback);
    f->x = malloc(n * d * sizeof *f->x);
    if (!f->x)
        cli_die("out of memory");
    for (size_t i = 0; i < n; i++)
        dataset_scaling_apply(&f->scaling, data->values + i * d, f->x + i * d);

}

/* Fit every k (or refit from init's centroids), then measure and choose:
 * f->ks, f->results, the measures and f->chosen. */
static void fit_ks(const struct options *o, const struct persona_model *init, struct fit *f)
{
    struct diag diag;
    size_t n = f->data.rows, d = f->data.dims;
    /* the values of k */
    double *init_centers = NULL;
    size_t k_min = o->k_min, k_max = o->k_max;
    if (o->init_from) {
        k_min = k_max = init->k;
        init_centers = malloc(init->k * d * sizeof *init_centers);
        if (!init_centers)
            cli_die("out of memory");
        /* last month's centroids in this month's scaled units */
        for (size_t c = 0; c < init->k; c++)
            for (size_t j = 0; j < d; j++) {
                double t = init->centers[c * d + j] * init->scaling.scale[j] + init->scaling.center[j];
                init_centers[c * d + j] = (t - f->scaling.center[j]) / f->scaling.scale[j];
            }
    }
    if (k_max > n)
        cli_die("k = %zu is more than the %zu rows to cluster", k_max, n);
    f->count = k_max - k_min + 1;
    f->ks = malloc(f->count * sizeof *f->ks);
    f->results = calloc(f->count, sizeof *f->results);
    f->silhouette = malloc(f->count * sizeof *f->silhouette);
    f->ch = malloc(f->count * sizeof *f->ch);
    f->db = malloc(f->count * sizeof *f->db);
    if (!f->ks || !f->results || !f->silhouette || !f->ch || !f->db)
        cli_die("out of memory");
    for (size_t i = 0; i < f->count; i++)
        f->ks[i] = k_min + i;

    if (kmeans_fit(f->x, n, d, f->ks, f->count, init_centers, &o->km, f->results, &diag) < 0)
        cli_die_diag(&diag);
    free(init_centers);

    f->chosen = 0;
    if (f->count > 1 || o->mode == MODE_SELECT) {
        const int **labels = malloc(f->count * sizeof *labels);
        if (!labels)
            cli_die("out of memory");
        for (size_t i = 0; i < f->count; i++)
            labels[i] = f->results[i].labels;
        if (kmeans_silhouette(f->x, n, d, labels, f->ks, f->count, o->silhouette_sample, o->km.seed,
                              o->km.threads, f->silhouette, &f->silhouette_rows, &diag) < 0)
            cli_die_diag(&diag);
        free(labels);
        for (size_t i = 0; i < f->count; i++) {
            f->ch[i] = kmeans_calinski_harabasz(f->x, n, d, &f->results[i]);
            f->db[i] = kmeans_davies_bouldin(f->x, n, d, &f->results[i]);
        }
        double *inertia = malloc(f->count * sizeof *inertia);
        if (!inertia)
            cli_die("out of memory");
        for (size_t i = 0; i < f->count; i++)
            inertia[i] = f->results[i].inertia;
        f->chosen = kmeans_choose(o->choose, f->ks, inertia, f->silhouette, f->ch, f->count);
        free(inertia);
        if (f->chosen < 0)
            f->chosen = 0;
        if (f->silhouette_rows < n && o->choose == KMEANS_SILHOUETTE)
            cli_warn("silhouette computed on a seeded sample of %zu of the %zu rows "
                     "(--silhouette-sample)", f->silhouette_rows, n);
    }
}

/* Save the model of a fit: scaling, centroids, the z-deviations behind
 * the labels, the projection. */
static void save_fitted(const char *path, const struct fit *f, const struct kmeans_result *r,
                        const double *z, const double *pca_mean, const double *pca_axes)
{
    size_t d = f->data.dims;
    struct persona_model m;
    if (persona_model_init(&m, d, r->k) < 0)
        cli_die("out of memory");
    m.scaling.kind = f->scaling.kind;
    for (size_t j = 0; j < d; j++) {
        m.names[j] = strdup(f->data.names[j]);
        if (!m.names[j])
            cli_die("out of memory");
        m.scaling.log[j] = f->scaling.log[j];
        m.scaling.center[j] = f->scaling.center[j];
        m.scaling.scale[j] = f->scaling.scale[j];
    }
    memcpy(m.centers, r->centers, r->k * d * sizeof *m.centers);
    memcpy(m.z, z, r->k * d * sizeof *m.z);
    memcpy(m.pca_mean, pca_mean, d * sizeof *pca_mean);
    memcpy(m.pca_axes, pca_axes, 2 * d * sizeof *pca_axes);
    write_model(path, &m);
    persona_model_free(&m);
}

static void fit_free(struct fit *f)
{
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
}

static void fit_and_write(const struct options *o, struct csvout *out)
{
    struct fit f;
    struct diag diag;
    struct persona_model init;
    memset(&f, 0, sizeof f);
    memset(&init, 0, sizeof init);
    if (o->init_from && persona_model_read(&init, o->init_from, &diag) < 0)
        cli_die_diag(&diag);
    read_and_scale(o, o->init_from ? &init : NULL, &f);
    fit_ks(o, o->init_from ? &init : NULL, &f);
    struct dataset *data = &f.data;
    size_t n = data->rows, d = data->dims;

    if (o->mode == MODE_SELECT)
        write_select(&f, out);
    /* the chosen clustering: numbered, projected, described */
    struct kmeans_result *r = &f.results[f.chosen];
    if (o->mode != MODE_SELECT || o->save_model) {
        if (!o->init_from)
            renumber_by_size(r);
        for (size_t a = 0; a < r->k; a++)
            for (size_t b = a + 1; b < r->k; b++)
                if (memcmp(r->centers + a * d, r->centers + b * d, d * sizeof *r->centers) == 0)
                    cli_warn("clusters %zu and %zu have the same centre: the data have fewer "
                             "than %zu distinct points", a + 1, b + 1, r->k);
        double *pca_mean = malloc(d * sizeof *pca_mean), *pca_axes = malloc(2 * d * sizeof *pca_axes);
        if (!pca_mean || !pca_axes)
            cli_die("out of memory");
        if (kmeans_pca(f.x, n, d, pca_mean, pca_axes, &diag) < 0)
            cli_die_diag(&diag);
        struct persona_profiles p;
        if (persona_profiles(&p, data, f.scaling.log, r->labels, r->k, &diag) < 0)
            cli_die_diag(&diag);
        char (*labels)[LABEL_MAX] = malloc(r->k * sizeof *labels);
        if (!labels)
            cli_die("out of memory");
        for (size_t c = 0; c < r->k; c++)
            persona_label((const char *const *)data->names, p.z + c * d, d, o->lang, labels[c],
                          LABEL_MAX);
        if (o->mode == MODE_PROFILES)
            write_profiles(o, &f, &p, labels, out);
        else if (o->mode == MODE_ASSIGN)
            write_assignments(o, &f, r, pca_mean, pca_axes, labels, out);
        if (o->save_model)
            save_fitted(o->save_model, &f, r, p.z, pca_mean, pca_axes);
        free(labels);
        persona_profiles_free(&p);
        free(pca_mean);
        free(pca_axes);
    }

    fit_free(&f);
    persona_model_free(&init);
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
    xlsx_book *book = cli_xlsx_start_lang(&out, o.output, o.xlsx,
                                          o.lang == PERSONA_FR ? XLSX_FR : XLSX_EN);
    if (o.model)
        assign_with_model(&o, &out);
    else
        fit_and_write(&o, &out);
    cli_xlsx_finish(book, fp);
    cli_output_commit();
    list_free(&o.features);
    list_free(&o.logs);
    list_free(&o.describe);
    return 0;
}
