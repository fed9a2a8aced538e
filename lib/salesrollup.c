/* salesrollup.c — sales lines into a roll-up (see salesrollup.h): the sink
 * that adds a line to the roll-up and the prescriber book, and the
 * parallel read that merges one roll-up per thread. */
#include "salesrollup.h"

#include <assert.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "parse.h"

int salesrollup_add_line(struct salesrollup_sink *sink, const struct sales_layout *lay,
                         const struct csvfield *fields, const struct sales_line *line,
                         const char *prescriber, size_t prescriber_len, struct diag *diag)
{
    struct rollup *rollup = sink->rollup;
    long key_len = sales_key(lay, fields, &sink->key, &sink->key_cap);
    if (key_len < 0)
        return diag_set(diag, "out of memory");
    int rc = sink->book
        ? prescriber_add(sink->book, rollup, sink->key, (size_t)key_len, prescriber,
                         prescriber_len, line->order, line->order_len, &line->totals, diag)
        : rollup_add(rollup, sink->key, (size_t)key_len, line->order, line->order_len,
                     &line->totals, diag);
    if (rc != 0)
        return -1;
    rollup_decimals(&rollup->revenue_decimals, line->amount_decimals);
    rollup_decimals(&rollup->margin_decimals, line->margin_decimals);
    rollup_decimals(&rollup->quantity_decimals, line->quantity_decimals);
    return 0;
}

int salesrollup_add_sale(void *sink_ptr, const struct sales_layout *lay,
                         const struct csvfield *fields, const struct sales_line *line,
                         struct diag *diag)
{
    const char *prescriber = NULL;
    size_t prescriber_len = 0;
    sales_prescriber(lay, fields, &prescriber, &prescriber_len);
    return salesrollup_add_line(sink_ptr, lay, fields, line, prescriber, prescriber_len, diag);
}

/* One thread's roll-up, prescriber book and sink for one period, on cache
 * lines of its own (buf.h says why). */
struct part_own {
    _Alignas(BUF_LINES) struct rollup rollup;
    struct prescriber_book book;
    struct salesrollup_sink sink;
};

/* One roll-up, prescriber book and sink per thread, for one period. */
struct part {
    struct part_own *own;       /* per thread; NULL: counted only */
    void **sink_ptrs;
    struct salesread_counts *counts;
};

static int part_init(struct part *part, long n, const struct sales_layout *lay,
                     const struct rollup *like, const struct prescriber_book *book,
                     struct diag *diag)
{
    /* every thread reads the pointers at each line, and writes its counts */
    part->sink_ptrs = buf_lines_calloc((size_t)n, sizeof *part->sink_ptrs);
    part->counts = buf_lines_calloc((size_t)n, sizeof *part->counts);
    if (!part->sink_ptrs || !part->counts)
        return diag_set(diag, "out of memory");
    if (!like)
        return 0;       /* counted only: no table, the sinks NULL */
    if (!(part->own = buf_lines_calloc((size_t)n, sizeof *part->own)))
        return diag_set(diag, "out of memory");
    for (long i = 0; i < n; i++) {
        struct part_own *own = &part->own[i];
        if (rollup_init(&own->rollup, like->grain, diag) != 0 ||
            prescriber_init(&own->book, book->mode, book->by_count, diag) != 0)
            return -1;
        own->sink.rollup = &own->rollup;
        own->sink.book = lay->prescriber >= 0 ? &own->book : NULL;
        part->sink_ptrs[i] = &own->sink;
    }
    return 0;
}

/* The threads' tables into rollup and book, their counts into total.
 * @return 0, or -1 with diag set. */
static int part_merge(struct part *part, long n, const csvin *in, struct rollup *rollup,
                      struct prescriber_book *book, struct salesread_counts *total,
                      struct diag *diag)
{
    /* The first worker's tables become the result when there is none
     * yet; the others are merged in and freed one by one, so that the
     * peak holds each (key, order) pair about once. */
    long first = 0;
    int rc = 0;
    if (!part->own) {       /* counted only */
        for (long i = 0; i < n; i++)
            salesread_counts_add(total, &part->counts[i]);
        return 0;
    }
    if (rollup_keys(rollup) == 0) {
        /* with --per-prescriber, direct lines before may have left their
         * decimals and days in an otherwise empty roll-up */
        struct rollup empty = *rollup;
        *rollup = part->own[0].rollup;
        memset(&part->own[0].rollup, 0, sizeof part->own[0].rollup);
        rollup_decimals(&rollup->revenue_decimals, empty.revenue_decimals);
        rollup_decimals(&rollup->margin_decimals, empty.margin_decimals);
        rollup_decimals(&rollup->quantity_decimals, empty.quantity_decimals);
        if (empty.min_day < rollup->min_day)
            rollup->min_day = empty.min_day;
        if (empty.max_day > rollup->max_day)
            rollup->max_day = empty.max_day;
        rollup_free(&empty);
        first = 1;
    }
    for (long i = 0; i < n && rc == 0; i++) {
        struct diag why;
        if ((i >= first && rollup_merge(rollup, &part->own[i].rollup, &why) != 0) ||
            prescriber_merge(book, &part->own[i].book, &why) != 0)
            rc = diag_set(diag, "%s: %s", csvin_name(in), why.message);
        rollup_free(&part->own[i].rollup);
        salesread_counts_add(total, &part->counts[i]);
    }
    return rc;
}

static void part_free(struct part *part, long n)
{
    for (long i = 0; part->own && i < n; i++) {
        rollup_free(&part->own[i].rollup);
        prescriber_free(&part->own[i].book);
        free(part->own[i].sink.key);
    }
    free(part->own);
    free(part->sink_ptrs);
    free(part->counts);
}

/* salesread_add_fn of a period whose lines are only counted. */
static int add_nothing(void *sink, const struct sales_layout *layout,
                       const struct csvfield *fields, const struct sales_line *line,
                       struct diag *diag)
{
    (void)sink, (void)layout, (void)fields, (void)line, (void)diag;
    return 0;
}

int salesrollup_parallel(csvin *in, const struct sales_layout *lay,
                         const struct sales_marks *marks, long n, struct rollup *rollup,
                         struct prescriber_book *book, struct salesread_counts *total,
                         struct date_spread *spread, int source,
                         struct salesread_rejects *rejects, struct diag *diag)
{
    return salesrollup_parallel_also(in, lay, marks, n, rollup, book, total, spread, source,
                                     rejects, NULL, 0, NULL, diag);
}

int salesrollup_parallel_also(csvin *in, const struct sales_layout *lay,
                              const struct sales_marks *marks, long n, struct rollup *rollup,
                              struct prescriber_book *book, struct salesread_counts *total,
                              struct date_spread *spread, int source,
                              struct salesread_rejects *rejects,
                              const struct salesrollup_period *also, size_t nalso,
                              const struct salesread_period *extra, struct diag *diag)
{
    return salesrollup_parallel_merge(in, lay, marks, n, rollup, book, total, spread, source,
                                      rejects, also, nalso, extra, NULL, NULL, diag);
}

/* merge_extra's run, on its thread or in line */
struct extra_merge {
    int (*fn)(void *arg, struct diag *diag);
    void *arg;
    struct diag diag;
    int rc;
};

static void *run_extra_merge(void *job_ptr)
{
    struct extra_merge *job = job_ptr;
    job->rc = job->fn(job->arg, &job->diag);
    return NULL;
}

int salesrollup_parallel_merge(csvin *in, const struct sales_layout *lay,
                               const struct sales_marks *marks, long n, struct rollup *rollup,
                               struct prescriber_book *book, struct salesread_counts *total,
                               struct date_spread *spread, int source,
                               struct salesread_rejects *rejects,
                               const struct salesrollup_period *also, size_t nalso,
                               const struct salesread_period *extra,
                               int (*merge_extra)(void *merge_arg, struct diag *diag),
                               void *merge_arg, struct diag *diag)
{
    assert(n > 0);
    /* part 0 is the caller's period, part 1 + p the other period p; the
     * extra reader's period after theirs */
    struct part *parts = calloc(nalso + 1, sizeof *parts);
    struct salesread_period *periods = calloc(nalso + 1, sizeof *periods);
    int done = -1;
    if (!parts || !periods) {
        diag_set(diag, "out of memory");
        goto free_all;
    }
    if (part_init(&parts[0], n, lay, rollup, book, diag) != 0)
        goto free_all;
    for (size_t p = 0; p < nalso; p++) {
        if (part_init(&parts[p + 1], n, lay, also[p].rollup, also[p].book, diag) != 0)
            goto free_all;
        periods[p] = (struct salesread_period){
            .has_from = also[p].has_from, .has_to = also[p].has_to,
            .from = also[p].from, .to = also[p].to,
            .add = also[p].rollup ? salesrollup_add_sale : add_nothing,
            .sinks = parts[p + 1].sink_ptrs, .counts = parts[p + 1].counts,
            .spread = also[p].spread,
        };
    }
    if (extra)
        periods[nalso] = *extra;
    done = salesread_parallel_also(in, lay, marks, n, salesrollup_add_sale,
                                   parts[0].sink_ptrs, parts[0].counts, spread, source, rejects,
                                   periods, nalso + (extra != NULL));
    /* the extra reader's merge beside the roll-ups' (in line when no
     * thread can be started) */
    struct extra_merge job = { .fn = merge_extra, .arg = merge_arg, .rc = 0 };
    pthread_t thread;
    int threaded = done == 1 && merge_extra &&
                   pthread_create(&thread, NULL, run_extra_merge, &job) == 0;
    if (done && part_merge(&parts[0], n, in, rollup, book, total, diag) != 0)
        done = -1;
    for (size_t p = 0; p < nalso && done == 1; p++)
        if (part_merge(&parts[p + 1], n, in, also[p].rollup, also[p].book, also[p].counts,
                       diag) != 0)
            done = -1;
    if (threaded)
        pthread_join(thread, NULL);
    else if (done == 1 && merge_extra)
        run_extra_merge(&job);
    if (done == 1 && merge_extra && job.rc != 0) {
        *diag = job.diag;
        done = -1;
    }
free_all:
    for (size_t p = 0; parts && p <= nalso; p++)
        part_free(&parts[p], n);
    free(parts);
    free(periods);
    return done;
}

int salesrollup_sequential(csvin *in, const struct sales_layout *lay,
                           struct sales_marks *marks, struct salesrollup_sink *sink,
                           struct salesread_rejects *rejects,
                           void (*progress)(unsigned long long lines),
                           struct salesread_counts *counts, struct date_spread *spread,
                           int source, const struct salesrollup_period *also, size_t nalso,
                           const struct salesread_period *extra, struct diag *diag)
{
    struct salesrollup_sink *sinks = calloc(nalso ? nalso : 1, sizeof *sinks);
    void **sink_ptrs = calloc(nalso ? nalso : 1, sizeof *sink_ptrs);
    struct salesread_period *periods = calloc(nalso + 1, sizeof *periods);
    int rc = -1;
    if (!sinks || !sink_ptrs || !periods) {
        diag_set(diag, "out of memory");
    } else {
        for (size_t p = 0; p < nalso; p++) {
            sinks[p].rollup = also[p].rollup;
            sinks[p].book = lay->prescriber >= 0 && also[p].rollup ? also[p].book : NULL;
            sink_ptrs[p] = &sinks[p];
            periods[p] = (struct salesread_period){
                .has_from = also[p].has_from, .has_to = also[p].has_to,
                .from = also[p].from, .to = also[p].to,
                .add = also[p].rollup ? salesrollup_add_sale : add_nothing,
                .sinks = &sink_ptrs[p], .counts = also[p].counts, .spread = also[p].spread,
            };
        }
        if (extra)
            periods[nalso] = *extra;
        rc = salesread_sequential_also(in, lay, marks, salesrollup_add_sale, sink, rejects,
                                       progress, counts, spread, source, periods,
                                       nalso + (extra != NULL), diag);
    }
    for (size_t p = 0; sinks && p < nalso; p++)
        free(sinks[p].key);
    free(sinks);
    free(sink_ptrs);
    free(periods);
    return rc;
}

int salesrollup_period_parse(const char *text, size_t len, struct salesrollup_period *period,
                             struct diag *diag)
{
    char t[64], extra;
    int y, m;
    if (len >= sizeof t)
        return diag_set(diag, "\"%.20s...\" is not a period", text);
    memcpy(t, text, len);
    t[len] = '\0';
    const char *dots = strstr(t, "..");
    if (!dots && sscanf(t, "%4d-%2d%c", &y, &m, &extra) == 2 && y >= 1 && m >= 1 && m <= 12) {
        period->from = date_from_civil(y, m, 1);
        period->to = (m == 12 ? date_from_civil(y + 1, 1, 1) : date_from_civil(y, m + 1, 1)) - 1;
        period->has_from = period->has_to = 1;
        return 0;
    }
    if (!dots)
        return diag_set(diag, "\"%s\" is not a period (YYYY-MM, FROM..TO, FROM.. or ..TO)", t);
    struct datetime dt;
    size_t from_len = (size_t)(dots - t), to_len = strlen(dots + 2);
    period->has_from = from_len > 0;
    period->has_to = to_len > 0;
    if (period->has_from) {
        if (parse_date(t, from_len, NULL, DATE_DMY, &dt) != PARSE_OK)
            return diag_set(diag, "\"%.*s\" is not a date (YYYY-MM-DD)", (int)from_len, t);
        period->from = dt.days;
    }
    if (period->has_to) {
        if (parse_date(dots + 2, to_len, NULL, DATE_DMY, &dt) != PARSE_OK)
            return diag_set(diag, "\"%s\" is not a date (YYYY-MM-DD)", dots + 2);
        period->to = dt.days;
    }
    if (period->has_from && period->has_to && period->from > period->to)
        return diag_set(diag, "the period %s is empty", t);
    return 0;
}

/* ---- --merge: partial aggregates ------------------------------------------ */

int salesrollup_read_partials(csvin *in, const struct salesread_partial *partial,
                              struct salesrollup_sink *sink, struct salesread_counts *counts,
                              struct diag *diag)
{
    /* the keys as the partials hold them (trimmed, or not, by --partial) */
    struct sales_layout lay = { .customer = 0, .by_count = partial->by_count, .prescriber = -1,
                                 .keep_spaces = 1 };
    for (size_t i = 0; i < partial->by_count; i++)
        lay.by[i] = (long)i + 1;
    long prescriber = partial->prescriber;
    int got, rc = 0;
    while (rc == 0 && (got = csvin_next(in, diag)) > 0) {
        if (salesread_header_again(in))
            continue;   /* partial outputs concatenated: their headers repeat */
        size_t n = csvin_fields(in);
        if (n != csvin_columns(in)) {
            rc = diag_set(diag, "%s:%ld: %zu fields where the header has %zu", csvin_name(in),
                          csvin_line(in), n, csvin_columns(in));
            break;
        }
        struct csvfield *fields = csvin_record_fields(in);
        if (!fields) {
            rc = diag_set(diag, "out of memory");
            break;
        }
        struct sales_line line;
        struct diag inner;
        if (salesread_partial_row(partial, in, fields, &line, diag) != 0) {
            rc = -1;
        } else if (salesrollup_add_line(sink, &lay, fields, &line,
                                        prescriber >= 0 ? fields[prescriber].ptr : NULL,
                                        prescriber >= 0 ? fields[prescriber].len : 0,
                                        &inner) != 0) {
            rc = diag_set(diag, "%s:%ld: %s", csvin_name(in), csvin_line(in), inner.message);
        } else {
            counts->lines_used += (unsigned long long)line.totals.lines;
            counts->lines_read += (unsigned long long)line.totals.lines;
        }
    }
    return rc == 0 && got < 0 ? -1 : rc;
}

/* ---- --stats -------------------------------------------------------------- */

static void stat_row(struct csvout *out, const char *name, unsigned long long value)
{
    csvout_text(out, name);
    csvout_long(out, (long long)value);
    csvout_end_row(out);
}

static void stat_date(struct csvout *out, const char *name, int32_t day, int known)
{
    char buf[16];
    csvout_text(out, name);
    if (known)
        csvout_text(out, format_date(day, buf));
    else
        csvout_empty(out);
    csvout_end_row(out);
}

/* The roll-up's exact totals (a report's key figures): revenue net of
 * returns, margin, orders and the margin rate. A sum beyond 64 bits is
 * left out. */
static void write_totals(struct csvout *out, const struct rollup *r,
                         const struct rollup *outside, int with_margin)
{
    int64_t revenue = 0, margin = 0;
    /* exact before rollup_write too */
    long long orders = outside ? rollup_orders_with(r, outside) : rollup_orders(r);
    for (const struct rollup *t = r; t; t = t == r ? outside : NULL)
        for (size_t k = 0; k < rollup_keys(t); k++)
            if (__builtin_add_overflow(revenue, t->key_totals[k].revenue, &revenue)
                || __builtin_add_overflow(margin, t->key_totals[k].margin, &margin))
                return;
    if (orders < 0)
        return;
    int revenue_decimals = r->revenue_decimals, margin_decimals = r->margin_decimals;
    if (outside) {
        rollup_decimals(&revenue_decimals, outside->revenue_decimals);
        rollup_decimals(&margin_decimals, outside->margin_decimals);
    }
    csvout_text(out, "revenue");
    csvout_money(out, revenue, revenue_decimals);
    csvout_end_row(out);
    if (with_margin) {
        csvout_text(out, "margin");
        csvout_money(out, margin, margin_decimals);
        csvout_end_row(out);
    }
    stat_row(out, "orders", (unsigned long long)orders);
    if (with_margin && revenue > 0) {
        csvout_text(out, "margin_rate");
        csvout_double(out, (double)margin / (double)revenue);
        csvout_end_row(out);
    }
}

void salesrollup_write_stats(struct csvout *out, const struct salesrollup_stats *s)
{
    csvout_text(out, "metric");
    csvout_text(out, "value");
    csvout_end_row(out);
    stat_row(out, "lines_read", s->counts->lines_read);
    stat_row(out, "lines_used", s->counts->lines_used);
    stat_row(out, "lines_out_of_period", s->counts->out_of_period);
    stat_row(out, "lines_filtered_out", s->counts->filtered);
    stat_row(out, "header_lines_skipped", s->counts->headers);
    stat_row(out, "values_rounded", s->counts->rounded);
    char list[512];
    stat_row(out, "lines_rejected", salesread_rejected(s->counts, list, sizeof list));
    for (int i = 0; i < SALES_REASONS; i++) {
        char name[64];
        snprintf(name, sizeof name, "rejected_%s", sales_reason_text[i]);
        for (char *p = name; *p; p++)
            if (*p == ' ')
                *p = '_';
        stat_row(out, name, s->counts->rejected[i]);
    }
    stat_row(out, "ids_trimmed", s->counts->ids_trimmed);
    stat_row(out, "dates_outlying", s->dates_outlying);
    const struct rollup *o = s->outside;
    stat_row(out, "customers", rollup_keys(s->rollup) + (o ? rollup_keys_beyond(s->rollup, o) : 0));
    if (!s->partial)
        write_totals(out, s->rollup, o, s->with_margin);
    int32_t first = s->rollup->min_day, last = s->rollup->max_day;
    if (o && o->min_day < first)
        first = o->min_day;
    if (o && o->max_day > last)
        last = o->max_day;
    if (s->book) {
        first = prescriber_first_day(s->book, s->rollup);
        last = prescriber_last_day(s->book, s->rollup);
    }
    stat_date(out, "first_date", first, first != INT32_MAX);
    stat_date(out, "last_date", last, last != INT32_MIN);
    if (s->book) {
        stat_row(out, "lines_direct", (unsigned long long)s->book->direct_lines);
        csvout_text(out, "direct_revenue");
        csvout_money(out, s->book->direct_revenue, s->rollup->revenue_decimals);
        csvout_end_row(out);
    }
    for (int i = 0; i < SALES_ROLES && s->role_column; i++) {
        char name[64];
        snprintf(name, sizeof name, "column_%s", sales_role_name[i]);
        csvout_text(out, name);
        if (s->role_column[i])
            csvout_text(out, s->role_column[i]);
        else
            csvout_empty(out);
        csvout_end_row(out);
    }
}
