/* salesread — the one way through a sales file, shared by cl-rollup and
 * cl-cohort: the counts of a read and the words for its rejected lines,
 * the header to a layout, the dates far outside the others. The readers
 * are in salesread_seq.c (libcsv, line by line), salesread_range.c (the
 * parallel ranges of a regular file), salesread_spool.c (a pipe copied
 * while it is read), salesread_decide.c (the decisions taken on the whole
 * rest of a file) and salesread_partial.c (--merge's rows). */
#include "salesread.h"

#include "amount.h"
#include "parse.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void salesread_counts_add(struct salesread_counts *total, const struct salesread_counts *add)
{
    total->lines_read += add->lines_read;
    total->lines_used += add->lines_used;
    total->out_of_period += add->out_of_period;
    total->filtered += add->filtered;
    total->headers += add->headers;
    /* the first example of each count: the total's, else add's */
    if (add->rounded && !total->rounded) {
        total->rounded_line = add->rounded_line;
        memcpy(total->rounded_example, add->rounded_example, sizeof total->rounded_example);
    }
    total->rounded += add->rounded;
    for (int r = 0; r < SALES_REASONS; r++)
        if (add->rejected[r] && !total->first_line[r] && add->first_line[r]) {
            total->first_line[r] = add->first_line[r];
            memcpy(total->first_detail[r], add->first_detail[r], sizeof total->first_detail[r]);
        }
    total->ids_trimmed += add->ids_trimmed;
    for (int r = 0; r < SALES_REASONS; r++)
        total->rejected[r] += add->rejected[r];
}

/* What is wrong with the first unusable value of a reason, and what may
 * help: the value (quoted in detail) is read again. */
static const char *reject_hint(int reason, const char *detail)
{
    char value[96];
    size_t len = strlen(detail);
    if (len < 3 || detail[0] != ' ' || detail[1] != '"' || detail[len - 1] != '"')
        return "";
    len -= 3;
    memcpy(value, detail + 2, len);
    value[len] = '\0';
    if (reason == SALES_DATE) {
        struct datetime dt;
        enum parse_status st = parse_date(value, len, NULL, DATE_DMY, &dt);
        if (st == PARSE_EMPTY)
            return ": empty";
        if (st == PARSE_RANGE)
            return ": no such date";
        return len == 5 && strspn(value, "0123456789") == 5
               ? ": Excel serial days? --date-format excel"
               : ": --date-format FMT states the form";
    }
    char mark = 0;
    int64_t scaled;
    int decimals, rounded;
    switch (amount_parse(value, len, &mark, &scaled, &decimals, &rounded)) {
    case PARSE_EMPTY: return ": empty";
    case PARSE_RANGE: return ": out of the exact range (9.2e12)";
    case PARSE_INVALID: return ": not a number";
    default: return "";
    }
}

unsigned long long salesread_rejected(const struct salesread_counts *counts, char *list,
                                      size_t size)
{
    unsigned long long total = 0;
    size_t o = 0;
    list[0] = '\0';
    for (int i = 0; i < SALES_REASONS; i++) {
        total += counts->rejected[i];
        if (!counts->rejected[i] || o >= size)
            continue;
        int n = snprintf(list + o, size - o, "%s%llu %s", o ? ", " : "",
                         counts->rejected[i], sales_reason_text[i]);
        o += n > 0 ? (size_t)n : 0;
        /* an unusable value: the first one, its line, and what may help */
        if (i >= SALES_DATE && i <= SALES_MARGIN && counts->first_line[i] && o < size) {
            n = snprintf(list + o, size - o, " (first: line %ld,%s%s)", counts->first_line[i],
                         counts->first_detail[i],
                         reject_hint(i, counts->first_detail[i]));
            o += n > 0 ? (size_t)n : 0;
        }
    }
    return total;
}

int salesread_layout(csvin *in, const struct sales_request *request,
                     struct sales_layout *layout, struct sales_marks *marks, struct diag *diag)
{
    return sales_layout_init(layout, marks, request, csvin_column_names(in), csvin_columns(in),
                             csvin_delim(in), csvin_name(in), diag);
}

/* ---- dates far outside the others -------------------------------------- */

unsigned long long salesread_outlying_dates(const struct date_spread *spread,
                                            const char *const *sources, int nsources,
                                            const char *hint, void (*say)(const char *message))
{
    int q1, q3, low, high;
    if (date_spread_fence(spread, &q1, &q3, &low, &high) != 0)
        return 0;
    unsigned long long outlying = 0;
    int shown = 0, years = 0;
    char message[DIAG_MAX];
    for (int y = 1; y < DATE_SPREAD_YEARS; y++) {
        const struct date_spread_year *e = &spread->years[y];
        if (e->lines == 0 || !date_spread_outside(y, low, high))
            continue;
        outlying += e->lines;
        years++;
        if (shown == 10)
            continue;
        shown++;
        char day[16], where[64] = "";
        const char *path = e->source >= 0 && e->source < nsources ? sources[e->source] : NULL;
        if (path && e->first > 0)
            snprintf(where, sizeof where, ":%lld", e->first);
        snprintf(message, sizeof message, "%s%s: date %s is far outside the other dates (half "
                 "the lines are dated %d to %d): %llu line%s in %d; a placeholder or a typo? "
                 "(%s)", !path ? "the files" : strcmp(path, "-") == 0 ? "stdin" : path, where,
                 format_date(e->first_day, day), q1, q3, (unsigned long long)e->lines,
                 e->lines == 1 ? "" : "s", y, hint);
        say(message);
    }
    if (years > shown) {
        snprintf(message, sizeof message, "dates in %d more years far outside the other dates",
                 years - shown);
        say(message);
    }
    return outlying;
}
