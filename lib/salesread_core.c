/* salesread_core — what the readers of salesread share: the other
 * periods of one pass, judged on their hull (cl-rollup --also), the
 * rejects file's header, the line where a record starts (salesread_core.h). */
#include "salesread_core.h"

#include "csvrange.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* ---- other periods in the same pass ------------------------------------ */

/* The layout the lines are judged on when other periods are read too: the
 * caller's, its period widened to hold every period. */
void salesread_core_hull(const struct sales_layout *layout, const struct salesread_period *also,
                         size_t nalso, struct sales_layout *hull)
{
    *hull = *layout;
    for (size_t p = 0; p < nalso; p++) {
        if (!also[p].has_from)
            hull->has_from = 0;
        else if (hull->has_from && also[p].from < hull->from)
            hull->from = also[p].from;
        if (!also[p].has_to)
            hull->has_to = 0;
        else if (hull->has_to && also[p].to > hull->to)
            hull->to = also[p].to;
    }
}

/* A line's result for one period from its result on the hull: a usable
 * line, or one rejected for a number (sales_read reads the numbers after
 * the date and the period, with the day already in line->totals), dated
 * outside the period is out of it; any other result is the same. */
enum sales_result salesread_core_result(int has_from, int32_t from, int has_to, int32_t to,
                                        enum sales_result got, enum sales_reason why,
                                        const struct sales_line *line)
{
    int dated = got == SALES_OK ||
                (got == SALES_REJECT && why != SALES_FIELDS && why != SALES_CUSTOMER &&
                 why != SALES_DATE && why != SALES_KEY_CONTROL);
    int32_t day = line->totals.first_day;
    if (dated && ((has_from && day < from) || (has_to && day > to)))
        return SALES_OUT_OF_PERIOD;
    return got;
}

/* Count a line for another period (its numbers only) and add it to the
 * period's sink when usable there. @return 0, or -1 with diag set (the
 * sink failed), or 1: rejected there (for --strict). */
int salesread_core_tally(const struct salesread_period *p, void *sink,
                         struct salesread_counts *counts, struct date_spread *spread,
                         const struct sales_layout *layout, const struct csvfield *fields,
                         enum sales_result got, enum sales_reason why,
                         const struct sales_line *line, long long where, int source,
                         struct diag *diag)
{
    counts->lines_read++;
    switch (salesread_core_result(p->has_from, p->from, p->has_to, p->to, got, why, line)) {
    case SALES_OK:
        if (p->add(sink, layout, fields, line, diag) != 0)
            return -1;
        counts->lines_used++;
        counts->rounded += (unsigned long long)line->rounded;
        counts->ids_trimmed += (unsigned long long)line->key_trimmed;
        if (spread)
            date_spread_add(spread, line->totals.first_day, where, source);
        break;
    case SALES_REJECT: counts->rejected[why]++; return 1;
    case SALES_OUT_OF_PERIOD: counts->out_of_period++; break;
    case SALES_FILTERED: counts->filtered++; break;
    case SALES_HEADER: counts->headers++; counts->lines_read--; break;
    case SALES_FATAL: break;    /* the caller's read stops */
    }
    return 0;
}


void salesread_core_rejects_header(struct salesread_rejects *rejects, const csvin *in)
{
    if (rejects->header_done)
        return;
    for (size_t i = 0; i < csvin_columns(in); i++)
        csvout_text(rejects->out, csvin_column_name(in, i));
    csvout_text(rejects->out, "line");
    csvout_text(rejects->out, "reason");
    csvout_end_row(rejects->out);
    rejects->header_done = 1;
}


void salesread_digits_set_full(struct salesread_digits *dg, long long n)
{
    long long delta = n - dg->n;
    if (dg->n < 0 || delta < 0 || delta > 99999) {
        char tmp[24];
        int len = 0;
        long long v = n;
        do {
            tmp[len++] = (char)('0' + v % 10);
            v /= 10;
        } while (v > 0);
        for (int i = 0; i < len; i++)
            dg->d[i] = tmp[len - 1 - i];
        dg->len = len;
        dg->n = n;
        return;
    }
    dg->n = n;
    int i = dg->len - 1, carry = 0;
    while (delta > 0 || carry) {
        if (i < 0) {            /* one digit more, in front */
            memmove(dg->d + 1, dg->d, (size_t)dg->len);
            dg->d[0] = '0';
            dg->len++;
            i = 0;
        }
        int v = dg->d[i] - '0' + (int)(delta % 10) + carry;
        delta /= 10;
        carry = v >= 10;
        dg->d[i--] = (char)('0' + (carry ? v - 10 : v));
    }
}

long long salesread_core_count_lf(const char *p, size_t len)
{
    return csvrange_count(p, len, '\n');
}

/* The physical line where the record starting at offset begins (blank
 * lines before it skipped, as the scanner does). */
long salesread_core_line_at(int fd, long long offset)
{
    char c;
    while (pread(fd, &c, 1, offset) == 1 && (c == '\n' || c == '\r'))
        offset++;       /* blank lines before the record */
    return csvrange_line_at(fd, offset);
}

void salesread_core_spread_lines(struct date_spread *spread, int source, int fd)
{
    int q1, q3, low, high;
    if (date_spread_fence(spread, &q1, &q3, &low, &high) != 0)
        return;
    for (int y = 1; y < DATE_SPREAD_YEARS; y++) {
        struct date_spread_year *e = &spread->years[y];
        if (e->lines == 0 || e->source != source)
            continue;
        e->first = date_spread_outside(y, low, high) ? salesread_core_line_at(fd, e->first) : 0;
    }
}

