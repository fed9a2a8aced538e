/* salesread_seq — the sequential reader of salesread.h: record by record
 * through libcsv (csvin), each judged by sales_read, the exact diagnostic
 * with its line, the rejected rows written as they come. */
#include "salesread_core.h"

#include <stdio.h>
#include <string.h>

/* ---- the sequential path ---------------------------------------------- */

static int reject(struct salesread_rejects *rejects, csvin *in, enum sales_reason why,
                  const char *detail, struct salesread_counts *counts, struct diag *diag)
{
    if (rejects && rejects->strict)
        return diag_set(diag, "%s:%ld: %s%s", csvin_name(in), csvin_line(in),
                        sales_reason_text[why], detail);
    if (counts->rejected[why]++ == 0 && !counts->first_line[why]) {
        counts->first_line[why] = csvin_line(in);
        snprintf(counts->first_detail[why], sizeof counts->first_detail[why], "%s", detail);
    }
    if (!rejects || !rejects->out)
        return 0;
    struct csvout *out = rejects->out;
    salesread_core_rejects_header(rejects, in);
    for (size_t i = 0; i < csvin_fields(in); i++) {
        size_t len;
        const char *f = csvin_field(in, i, &len);
        csvout_text_len(out, f, len);
    }
    csvout_long(out, csvin_line(in));
    csvout_text(out, sales_reason_text[why]);
    csvout_end_row(out);
    return 0;
}

int salesread_sequential(csvin *in, const struct sales_layout *layout,
                         struct sales_marks *marks, salesread_add_fn add, void *sink,
                         struct salesread_rejects *rejects,
                         void (*progress)(unsigned long long lines),
                         struct salesread_counts *counts, struct date_spread *spread,
                         int source, struct diag *diag)
{
    return salesread_sequential_also(in, layout, marks, add, sink, rejects, progress, counts,
                                     spread, source, NULL, 0, diag);
}

int salesread_sequential_also(csvin *in, const struct sales_layout *layout,
                              struct sales_marks *marks, salesread_add_fn add, void *sink,
                              struct salesread_rejects *rejects,
                              void (*progress)(unsigned long long lines),
                              struct salesread_counts *counts, struct date_spread *spread,
                              int source, struct salesread_period *also, size_t nalso,
                              struct diag *diag)
{
    struct sales_layout hull;
    salesread_core_hull(layout, also, nalso, &hull);
    const struct sales_layout *read_layout = nalso ? &hull : layout;
    int got = 0, rc = 0;
    while (rc == 0 && (got = csvin_next(in, diag)) > 0) {
        counts->lines_read++;
        size_t n = csvin_fields(in);
        const struct csvfield *fields = csvin_record_fields(in);
        if (!fields) {
            rc = diag_set(diag, "out of memory");
            break;
        }
        struct sales_line line;
        enum sales_reason why;
        char detail[96];
        struct diag inner;
        marks->line = csvin_line(in);
        enum sales_result result = sales_read(read_layout, marks, fields, n, &line, &why,
                                              detail, &inner);
        /* "12,345" before the "1.5" that tells the column's mark: decided
         * on the rest of the file, then read again */
        if (result == SALES_FATAL && line.ambiguous &&
            salesread_decide_marks(in, read_layout, marks) > 0)
            result = sales_read(read_layout, marks, fields, n, &line, &why, detail, &inner);
        for (size_t p = 0; p < nalso && result != SALES_FATAL && rc == 0; p++) {
            int r = salesread_core_tally(&also[p], also[p].sinks[0], &also[p].counts[0],
                                         also[p].spread, layout, fields, result, why, &line,
                                         csvin_line(in), source, &inner);
            if (r < 0)
                rc = diag_set(diag, "%s:%ld: %s", csvin_name(in), csvin_line(in),
                              inner.message);
            else if (r > 0 && rejects && rejects->strict)
                rc = diag_set(diag, "%s:%ld: %s%s", csvin_name(in), csvin_line(in),
                              sales_reason_text[why], detail);
        }
        if (rc != 0)
            break;
        if (nalso)
            result = salesread_core_result(layout->has_from, layout->from, layout->has_to,
                                           layout->to, result, why, &line);
        switch (result) {
        case SALES_OK:
            if (add(sink, layout, fields, &line, &inner) != 0) {
                rc = diag_set(diag, "%s:%ld: %s", csvin_name(in), csvin_line(in), inner.message);
            } else {
                counts->lines_used++;
                if (line.rounded && counts->rounded == 0) {
                    counts->rounded_line = csvin_line(in);
                    diag_quote(line.rounded_field.ptr, line.rounded_field.len,
                               counts->rounded_example, sizeof counts->rounded_example);
                }
                counts->rounded += (unsigned long long)line.rounded;
                counts->ids_trimmed += (unsigned long long)line.key_trimmed;
                if (spread)
                    date_spread_add(spread, line.totals.first_day, csvin_line(in), source);
            }
            break;
        case SALES_REJECT:
            rc = reject(rejects, in, why, detail, counts, diag);
            break;
        case SALES_OUT_OF_PERIOD:
            counts->out_of_period++;
            break;
        case SALES_FILTERED:
            counts->filtered++;
            break;
        case SALES_HEADER:
            counts->headers++;          /* not a line of sales */
            counts->lines_read--;
            break;
        case SALES_FATAL:
            rc = diag_set(diag, "%s:%ld: %s", csvin_name(in), csvin_line(in), inner.message);
            break;
        }
        if (progress && (counts->lines_read & 0xffff) == 0)
            progress(counts->lines_read);
    }
    if (rc == 0 && got < 0)
        rc = -1;
    return rc;
}
