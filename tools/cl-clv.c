/* cl-clv — customer lifetime value and churn from a cl-rollup table: fits
 * BG/NBD and Gamma-Gamma (or reads a saved fit) and writes, per client,
 * the probability of being alive, the expected purchases, spend and value;
 * or the parameters; or the holdout check. The models live in lib/clv. */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cli_opts.h"
#include "cli_xlsx.h"
#include "clv.h"
#include "clv_table.h"
#include "csvio.h"
#include "parse.h"

struct options {
    const char *input;          /* file or "-" */
    struct cli_common common;       /* -o, -d, --strict, the marks, --excel, --xlsx, --lang */
    const char *unit;           /* --unit, or NULL: week (or the model's) */
    double horizon;             /* --horizon in units; NaN: one year */
    double discount;            /* --discount per unit */
    int by_margin;              /* --by margin */
    int params;                 /* --params */
    const char *save_model, *model, *holdout, *tracking;
    enum l10n_lang lang;        /* --lang: of the messages */
    enum clv_kind kind;         /* --model-kind */
    int kind_given;
};

/* the common options cl-clv takes (cli_opts.h), in its help and getopt */
#define COMMON (CLI_HELP_TABLE_IN | CLI_HELP_TABLE_OUT | CLI_HELP_LANG | CLI_HELP_END)

_Noreturn static void usage(void)
{
    printf("Usage: cl-clv [OPTION]... [FILE]\n"
           "Fit BG/NBD (purchases, drop-out) and Gamma-Gamma (spend per purchase) to a\n"
           "cl-rollup table of the calibration period and write, per client, its columns\n"
           "then p_alive, expected_purchases, avg_spend, expected_spend and clv.\n"
           "With no FILE, or when FILE is -, read standard input.\n"
           "\n"
           "  -u, --unit UNIT        time unit: day, week (default) or month (365.25/12 days)\n"
           "  -H, --horizon N        prediction horizon in units (default: one year)\n"
           "      --discount D       discount rate per unit for clv, 0.01 or 1%% (default: 0)\n"
           "      --value WHAT       money of the spend model: revenue (default) or margin\n"
           "      --params           write the parameters, standard errors and fit instead\n"
           "      --save-model FILE  also write the parameters to FILE (for --model)\n"
           "  -m, --model FILE       use the parameters of FILE instead of fitting\n"
           "      --holdout FILE     compare with the cl-rollup table of the holdout period:\n"
           "                         predicted and actual purchases per frequency\n"
           "      --tracking FILE    with FILE the orders of cl-rollup --partial over the\n"
           "                         calibration and after: repeat purchases per period,\n"
           "                         actual and predicted, and their cumulative sums\n"
           "      --model-kind KIND  purchase model: bgnbd (default) or pnbd (Pareto/NBD)\n");
    cli_help_common(COMMON);
    printf("\n"
           "A fit that does not converge is an error, never a NaN.\n"
           "Exit status: 0 success, 1 data error, 2 usage error.\n");
    exit(0);
}

static double parse_number_option(const char *option, const char *arg, double min)
{
    double value;
    char mark = '.';
    if (parse_double(arg, strlen(arg), &mark, &value) != PARSE_OK || !(value >= min))
        cli_usage("%s: \"%s\" is not a number >= %g", option, arg, min);
    return value;
}

/* --discount is a rate: "0.2%" is 0.002 (parse.h, a fraction place) */
static double parse_rate_option(const char *option, const char *arg)
{
    double value;
    char mark = '.';
    if (parse_share(arg, strlen(arg), PARSE_IN_FRACTION, &mark, &value, NULL) != PARSE_OK ||
        !(value >= 0))
        cli_usage("%s: \"%s\" is not a rate >= 0 (0.01, or 1%%)", option, arg);
    return value;
}

static double unit_days_of(const char *unit)
{
    if (strcmp(unit, "day") == 0)
        return 1;
    if (strcmp(unit, "week") == 0)
        return 7;
    if (strcmp(unit, "month") == 0)
        return 365.25 / 12;
    cli_usage("--unit: \"%s\" is not day, week or month", unit);
}

static void parse_options(int argc, char **argv, struct options *o)
{
    enum { OPT_DISCOUNT = 256, OPT_BY, OPT_SAVE, OPT_HOLDOUT, OPT_VALUE, OPT_PARAMS,
           OPT_TRACKING, OPT_KIND };
    static const struct option longs[] = {
        { "unit", required_argument, NULL, 'u' },
        { "horizon", required_argument, NULL, 'H' },
        { "discount", required_argument, NULL, OPT_DISCOUNT },
        { "value", required_argument, NULL, OPT_VALUE },
        { "params", no_argument, NULL, OPT_PARAMS },
        { "save-model", required_argument, NULL, OPT_SAVE },
        { "model", required_argument, NULL, 'm' },
        { "holdout", required_argument, NULL, OPT_HOLDOUT },
        { "tracking", required_argument, NULL, OPT_TRACKING },
        { "model-kind", required_argument, NULL, OPT_KIND },
        /* old spellings, for one release (NEWS) */
        { "by", required_argument, NULL, OPT_BY },
        { NULL, 0, NULL, 0 },
    };
    memset(o, 0, sizeof *o);
    o->horizon = NAN;
    int c;
    while ((c = cli_getopt(argc, argv, "u:H:pm:", longs, COMMON, &o->common)) != -1) {
        switch (c) {
        case 'u': o->unit = optarg; unit_days_of(optarg); break;
        case 'H': o->horizon = parse_number_option("--horizon", optarg, 0); break;
        case OPT_DISCOUNT: o->discount = parse_rate_option("--discount", optarg); break;
        case OPT_BY:
            cli_deprecated("--by", "--value");
            /* fall through */
        case OPT_VALUE:
            if (strcmp(optarg, "margin") == 0)
                o->by_margin = 1;
            else if (strcmp(optarg, "revenue") != 0)
                cli_usage("--value: \"%s\" is not revenue or margin", optarg);
            break;
        case 'p':
            cli_deprecated("-p", "--params (-p is --previous in the suite)");
            /* fall through */
        case OPT_PARAMS: o->params = 1; break;
        case OPT_SAVE: o->save_model = optarg; break;
        case 'm': o->model = optarg; break;
        case OPT_HOLDOUT: o->holdout = optarg; break;
        case OPT_TRACKING: o->tracking = optarg; break;
        case OPT_KIND:
            if (strcmp(optarg, "bgnbd") == 0)
                o->kind = CLV_BGNBD;
            else if (strcmp(optarg, "pnbd") == 0)
                o->kind = CLV_PNBD;
            else
                cli_usage("--model-kind: \"%s\" is not bgnbd or pnbd", optarg);
            o->kind_given = 1;
            break;
        case 'h': usage();
        default: cli_bad_option(c, argv);
        }
    }
    o->lang = cli_lang(o->common.lang) ? L10N_FR : L10N_EN;
    o->input = cli_one_input(argc, argv);
    if (o->model && o->save_model)
        cli_usage("--model reads a fit and --save-model writes one: give one");
    if (!!o->params + !!o->holdout + !!o->tracking > 1)
        cli_usage("--params, --holdout and --tracking are three outputs: give one");
    if (o->model && o->by_margin)
        cli_usage("--value is fixed by the fit: not with --model");
    if (o->model && o->kind_given)
        cli_usage("--model-kind is fixed by the fit: not with --model");
}

static void load_table(struct table *t, const char *path, char delim, enum l10n_lang lang)
{
    struct diag diag;
    if (table_load(t, path, delim, &diag) != 0)
        cli_die_diag(&diag);
    cli_verbose_dialect(t->name, t->delim, delim != 0);
    if (t->rows == 0)
        cli_die(L10N(lang, "%s: no data after the header",
                     "%s : aucune donnée après l’en-tête"), t->name);
}

/* --save-model's file comes from the output registry (cli_output: a
 * mkstemp temporary, put in place with -o by cli_output_commit). */
static void write_model_file(FILE *fp, const struct clv_model *model,
                             const struct clv_fit *bgnbd, const struct clv_fit *gg)
{
    struct csvout out;
    csvout_init(&out, fp, 0);
    clv_write_params(&out, model, bgnbd, gg);
}

/* Fit both models (the spend model when some client has a repeat value). */
static void fit_models(const struct options *o, const char *name, const struct clv_data *data,
                       struct clv_model *model, struct clv_fit *bgnbd, struct clv_fit *gg)
{
    struct diag diag;
    model->unit_days = unit_days_of(o->unit ? o->unit : "week");
    model->kind = o->kind;
    if (clv_table_fit(data, model, bgnbd, gg, &diag) != 0)
        cli_die(L10N(o->lang, "%s: %s", "%s : %s"), name, diag.message);
    if (data->nonpositive)
        cli_warn(L10N(o->lang, "%zu clients with repeat purchases worth <= 0 left out of "
                      "Gamma-Gamma; they get no value", "%zu clients dont les achats répétés "
                      "valent <= 0 laissés hors de Gamma-Gamma ; ils n’ont pas de valeur"),
                 data->nonpositive);
}

static void read_model(const struct options *o, struct clv_model *model)
{
    struct table t;
    struct diag diag;
    load_table(&t, o->model, 0, o->lang);
    if (clv_read_params(model, &t, &diag) != 0)
        cli_die_diag(&diag);
    table_free(&t);
    if (o->unit && fabs(unit_days_of(o->unit) - model->unit_days) > 1e-9)
        cli_usage("--unit %s: the model %s is in units of %g days", o->unit, o->model,
                  model->unit_days);
}

/* The holdout table (lib/clv_table.c), the newcomers left out said. */
static void write_holdout(const struct options *o, struct csvout *out, const struct table *t,
                          const struct clv_data *data, const struct clv_model *model)
{
    struct diag diag;
    struct table h;
    struct clv_data hd;
    size_t newcomers;
    load_table(&h, o->holdout, o->common.delim, o->lang);
    if (clv_data_read(&hd, &h, CLV_REVENUE, o->common.mark, o->lang, &diag) != 0 ||
        clv_table_holdout(out, t, data, &h, &hd, model, o->lang, &newcomers, &diag) != 0)
        cli_die_diag(&diag);
    if (newcomers)
        cli_warn(L10N(o->lang, "%zu clients of %s first bought in the holdout: left out",
                      "%zu clients de %s ont acheté pour la première fois pendant la période "
                      "de contrôle : laissés de côté"), newcomers, h.name);
    clv_data_free(&hd);
    table_free(&h);
}

/* The tracking table (lib/clv_table.c), the newcomers left out said. */
static void write_tracking(const struct options *o, struct csvout *out, const struct table *t,
                           const struct clv_data *data, const struct clv_model *model)
{
    struct diag diag;
    struct table orders;
    struct clv_tracking tr;
    load_table(&orders, o->tracking, o->common.delim, o->lang);
    if (clv_tracking(data, t, &orders, model, &tr, &diag) != 0)
        cli_die_diag(&diag);
    if (tr.newcomers)
        cli_warn(L10N(o->lang, "%zu clients of %s first bought after the calibration: left out",
                      "%zu clients de %s ont acheté pour la première fois après la calibration "
                      ": laissés de côté"), tr.newcomers, orders.name);
    clv_table_tracking(out, &tr);
    clv_tracking_free(&tr);
    table_free(&orders);
}

int main(int argc, char **argv)
{
    struct options o;
    struct diag diag;
    cli_init(argv[0]);
    parse_options(argc, argv, &o);
    o.common.xlsx = cli_xlsx_wanted(o.common.output, o.common.xlsx, o.common.excel);

    if (o.model)
        cli_input(o.model);
    if (o.holdout)
        cli_input(o.holdout);
    if (o.tracking)
        cli_input(o.tracking);
    FILE *out_fp = cli_output(o.common.output);
    FILE *model_fp = o.save_model ? cli_output(o.save_model) : NULL;
    struct table t;
    struct clv_data data;
    load_table(&t, o.input, o.common.delim, o.lang);
    if (clv_data_read(&data, &t, o.by_margin ? CLV_MARGIN : CLV_REVENUE, o.common.mark, o.lang,
                      &diag) != 0)
        cli_die_diag(&diag);
    if (o.common.strict && data.nonpositive) {
        clv_data_left_out(&data, &t, &diag);
        cli_die_diag(&diag);
    }

    struct clv_model model;
    struct clv_fit bgnbd, gg;
    memset(&model, 0, sizeof model);
    if (o.model)
        read_model(&o, &model);
    else
        fit_models(&o, t.name, &data, &model, &bgnbd, &gg);
    if (model_fp)
        write_model_file(model_fp, &model, &bgnbd, &gg);

    struct csvout out;
    csvout_init(&out, out_fp, o.common.excel);
    xlsx_book *book = cli_xlsx_start(&out, o.common.output, o.common.xlsx);
    if (o.params) {
        clv_write_params(&out, &model, o.model ? NULL : &bgnbd, o.model ? NULL : &gg);
    } else if (o.holdout) {
        write_holdout(&o, &out, &t, &data, &model);
    } else if (o.tracking) {
        write_tracking(&o, &out, &t, &data, &model);
    } else {
        double year = 365.0 / model.unit_days;
        double horizon = isnan(o.horizon) ? (model.unit_days == 7 ? 52 : round(year))
                                          : o.horizon;
        struct clv_prediction *pred = malloc(data.n * sizeof *pred);
        if (!pred)
            cli_die("out of memory");
        if (clv_predict(&data, &model, horizon, o.discount, pred, &diag) != 0)
            cli_die_diag(&diag);
        if (clv_table_clients(&out, &t, &data, &model, pred, &diag) != 0)
            cli_die_diag(&diag);
        free(pred);
    }
    cli_xlsx_finish(book, out_fp);
    cli_output_commit();
    clv_data_free(&data);
    table_free(&t);
    return 0;
}
