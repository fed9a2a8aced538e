/* clv_track — the tracking check of BG/NBD (Fader, Hardie & Lee 2005,
 * figure 2): the cohort of a calibration roll-up, its repeat purchase days
 * counted period by period over the calibration and after it, against the
 * sum of each client's unconditional E[X(t)] from his first purchase day.
 * The purchase days come from cl-rollup --partial (one row per order, with
 * the day of its first line); see clv.h. */
#include "clv.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "hashtab.h"
#include "parse.h"

/* One purchase day of one client of the cohort. */
struct client_day {
    uint32_t client;
    int32_t day;
};

static int client_day_cmp(const void *pa, const void *pb)
{
    const struct client_day *a = pa, *b = pb;
    if (a->client != b->client)
        return a->client < b->client ? -1 : 1;
    return (a->day > b->day) - (a->day < b->day);
}

void clv_tracking_free(struct clv_tracking *tracking)
{
    if (!tracking)
        return;
    free(tracking->row);
    memset(tracking, 0, sizeof *tracking);
}

/* Intern the roll-up's keys: entry i is client i (a key twice is an error). */
static int intern_cohort(struct hashtab *keys, const struct clv_data *data,
                         const struct table *t, struct diag *diag)
{
    enum l10n_lang lang = data->lang;
    if (hashtab_init(keys, data->n) != 0)
        return diag_set(diag, L10N(lang, "out of memory", "mémoire épuisée"));
    for (size_t i = 0; i < data->n; i++) {
        const char *key = table_cell(t, i, data->key_col);
        size_t len = strlen(key);
        int is_new;
        long k = hashtab_intern(keys, key, len, hashtab_hash(key, len), &is_new);
        if (k < 0)
            return diag_set(diag, L10N(lang, "out of memory", "mémoire épuisée"));
        if (!is_new) {
            char q[64];
            return diag_set(diag, L10N(lang, "%s:%ld: client \"%s\" appears twice",
                                       "%s:%ld : le client « %s » apparaît deux fois"),
                            t->name, t->lines[i], diag_quote(key, len, q, sizeof q));
        }
    }
    return 0;
}

/* The purchase days of the cohort from the orders, sorted, each once;
 * *last_day = the last day of the orders. */
static int read_days(const struct clv_data *data, const struct table *orders,
                     struct hashtab *keys, struct client_day **out, size_t *n_out,
                     int32_t *last_day, size_t *newcomers, struct diag *diag)
{
    enum l10n_lang lang = data->lang;
    long day_col = table_find(orders, "first_date");
    if (day_col < 0 || table_find(orders, "order") < 0)
        return diag_set(diag, L10N(lang, "%s: no \"order\" and \"first_date\" columns: the "
                                   "tracking reads the output of cl-rollup --partial",
                                   "%s : pas de colonnes « order » et « first_date » : le "
                                   "suivi lit la sortie de cl-rollup --partial"), orders->name);
    struct client_day *days = malloc((orders->rows ? orders->rows : 1) * sizeof *days);
    if (!days)
        return diag_set(diag, L10N(lang, "out of memory", "mémoire épuisée"));
    size_t n = 0;
    *last_day = INT32_MIN;
    for (size_t i = 0; i < orders->rows; i++) {
        const char *key = table_cell(orders, i, 0), *cell = table_cell(orders, i, (size_t)day_col);
        size_t len = strlen(key);
        struct datetime dt;
        char q[64], d1[16], d2[16];
        if (parse_date(cell, strlen(cell), "%Y-%m-%d", DATE_DMY, &dt) != PARSE_OK) {
            free(days);
            return diag_set(diag, L10N(lang, "%s:%ld: first_date \"%s\" is not a date",
                                       "%s:%ld : first_date « %s » n’est pas une date"),
                            orders->name, orders->lines[i],
                            diag_quote(cell, strlen(cell), q, sizeof q));
        }
        if (dt.days > *last_day)
            *last_day = dt.days;
        int is_new;
        long k = hashtab_intern(keys, key, len, hashtab_hash(key, len), &is_new);
        if (k < 0) {
            free(days);
            return diag_set(diag, L10N(lang, "out of memory", "mémoire épuisée"));
        }
        if ((size_t)k >= data->n) {
            /* not in the roll-up: a client who first bought after it, or the
             * two files are not of the same data */
            if (data->asof >= 0 && dt.days <= data->asof) {
                free(days);
                return diag_set(diag, L10N(lang, "%s:%ld: client \"%s\" bought on %s, within "
                                           "the calibration (to %s), but is not in the "
                                           "calibration roll-up: not the same data",
                                           "%s:%ld : le client « %s » a acheté le %s, dans la "
                                           "calibration (jusqu’au %s), mais n’est pas dans le "
                                           "roll-up de calibration : pas les mêmes données"),
                                orders->name, orders->lines[i], diag_quote(key, len, q, sizeof q),
                                format_date(dt.days, d1), format_date(data->asof, d2));
            }
            continue;
        }
        days[n].client = (uint32_t)k;
        days[n].day = dt.days;
        n++;
    }
    *newcomers = keys->count - data->n;
    qsort(days, n, sizeof *days, client_day_cmp);
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (m == 0 || days[i].client != days[m - 1].client || days[i].day != days[m - 1].day)
            days[m++] = days[i];
    *out = days;
    *n_out = m;
    return 0;
}

/* Every client of the cohort: the first day and the days up to the
 * calibration's end as the roll-up says. */
static int check_cohort(const struct clv_data *data, const struct table *t,
                        const struct table *orders, const struct client_day *days, size_t n,
                        struct diag *diag)
{
    enum l10n_lang lang = data->lang;
    size_t j = 0;
    for (size_t i = 0; i < data->n; i++) {
        const struct clv_client *c = &data->client[i];
        const char *key = table_cell(t, i, data->key_col);
        char q[64], d1[16], d2[16];
        if (j >= n || days[j].client != i)
            return diag_set(diag, L10N(lang, "%s: client \"%s\" of %s has no order",
                                       "%s : le client « %s » de %s n’a aucune commande"),
                            orders->name, diag_quote(key, strlen(key), q, sizeof q), t->name);
        if (days[j].day != c->first_day)
            return diag_set(diag, L10N(lang, "%s: client \"%s\" first bought on %s, but on %s "
                                       "in %s: not the same data",
                                       "%s : le client « %s » a acheté pour la première "
                                       "fois le %s, mais le %s dans %s : pas les mêmes "
                                       "données"),
                            orders->name, diag_quote(key, strlen(key), q, sizeof q),
                            format_date(days[j].day, d1), format_date(c->first_day, d2),
                            t->name);
        long within = 0;
        for (; j < n && days[j].client == i; j++)
            within += days[j].day <= data->asof;
        if (within != (long)c->x + 1)
            return diag_set(diag, L10N(lang, "%s: client \"%s\" bought on %ld days up to %s, "
                                       "but on %ld in %s: not the same data",
                                       "%s : le client « %s » a acheté %ld jours jusqu’au %s, "
                                       "mais %ld dans %s : pas les mêmes données"),
                            orders->name, diag_quote(key, strlen(key), q, sizeof q), within,
                            format_date(data->asof, d1), (long)c->x + 1, t->name);
    }
    return 0;
}

/* The last day of period k (1-based): days before origin + ceil(k × unit). */
static int32_t period_end(int32_t origin, size_t k, double unit_days, int32_t last)
{
    double end = origin + ceil((double)k * unit_days - 1e-9) - 1;
    return end < last ? (int32_t)end : last;
}

int clv_tracking(const struct clv_data *data, const struct table *t,
                 const struct table *orders, const struct clv_model *model,
                 struct clv_tracking *out, struct diag *diag)
{
    enum l10n_lang lang = data->lang;
    memset(out, 0, sizeof *out);
    if (data->n == 0)
        return diag_set(diag, L10N(lang, "no client to track", "aucun client à suivre"));
    if (data->asof < 0 || data->client[0].first_day < 0)
        return diag_set(diag, L10N(lang, "%s: the tracking needs the first_date and last_date "
                                   "columns of cl-rollup",
                                   "%s : le suivi demande les colonnes first_date et last_date "
                                   "de cl-rollup"), t->name);
    struct hashtab keys = { 0 };
    struct client_day *days = NULL;
    double *expected = NULL, *born = NULL;
    size_t n = 0;
    int32_t last = INT32_MIN;
    int rc = -1;
    if (intern_cohort(&keys, data, t, diag) != 0 ||
        read_days(data, orders, &keys, &days, &n, &last, &out->newcomers, diag) != 0 ||
        check_cohort(data, t, orders, days, n, diag) != 0)
        goto done;
    int32_t origin = INT32_MAX;
    for (size_t i = 0; i < data->n; i++)
        if (data->client[i].first_day < origin)
            origin = data->client[i].first_day;
    if (last < data->asof)
        last = data->asof;
    double u = model->unit_days;
    size_t span = (size_t)(last - origin) + 1;
    size_t periods = (size_t)ceil(span / u - 1e-9);
    out->origin = origin;
    out->row = calloc(periods, sizeof *out->row);
    expected = malloc(span * sizeof *expected);
    born = calloc(span, sizeof *born);
    if (!out->row || !expected || !born) {
        diag_set(diag, L10N(lang, "out of memory", "mémoire épuisée"));
        goto done;
    }
    out->periods = periods;
    /* E[X(t)] of a client just acquired, for every age in days, and the
     * clients acquired on each day */
    for (size_t age = 0; age < span; age++) {
        expected[age] = clv_model_expected(model, (double)age / u, 0, 0, 0);
        if (!isfinite(expected[age])) {
            diag_set(diag, L10N(lang, "the expected purchases at %g units are not finite",
                                "les achats attendus à %g unités ne sont pas finis"),
                     (double)age / u);
            goto done;
        }
    }
    for (size_t i = 0; i < data->n; i++)
        born[data->client[i].first_day - origin] += 1;
    double before = 0;
    for (size_t k = 1; k <= periods; k++) {
        struct clv_track_row *row = &out->row[k - 1];
        row->end_day = period_end(origin, k, u, last);
        row->calibration = row->end_day <= data->asof;
        size_t end = (size_t)(row->end_day - origin);
        double cumulative = 0;
        for (size_t j = 0; j <= end; j++)
            cumulative += born[j] * expected[end - j];
        row->predicted = cumulative - before;
        before = cumulative;
    }
    /* the repeat days: every day of a client but his first */
    for (size_t i = 0; i < n; i++) {
        if (i > 0 && days[i - 1].client == days[i].client) {
            size_t k = (size_t)floor((days[i].day - origin) / u) + 1;
            out->row[(k < periods ? k : periods) - 1].actual += 1;
        }
    }
    rc = 0;
done:
    if (rc != 0)
        clv_tracking_free(out);
    free(expected);
    free(born);
    free(days);
    hashtab_free(&keys);
    return rc;
}
