/* datespread — the years of the sales lines and the fence that finds
 * dates far outside them (see datespread.h for the rule). */
#include "datespread.h"

#include <stdlib.h>
#include <string.h>

#include "parse.h"

int date_spread_init(struct date_spread *s)
{
    memset(s, 0, sizeof *s);
    s->years = calloc(DATE_SPREAD_YEARS, sizeof *s->years);
    s->last_day = INT32_MIN;
    return s->years ? 0 : -1;
}

void date_spread_free(struct date_spread *s)
{
    free(s->years);
    memset(s, 0, sizeof *s);
}

void date_spread_add(struct date_spread *s, int32_t day, long long where, int source)
{
    if (day != s->last_day) {
        int y, m, d;
        date_to_civil(day, &y, &m, &d);
        s->last_day = day;
        s->last_year = y;
    }
    int y = s->last_year;
    if (y < 1 || y >= DATE_SPREAD_YEARS)
        return;         /* parse_date gives years 1..9999 only */
    struct date_spread_year *e = &s->years[y];
    if (e->lines++ == 0) {
        e->first = where;
        e->source = source;
        e->first_day = day;
    }
    s->lines++;
}

void date_spread_merge(struct date_spread *into, const struct date_spread *from)
{
    for (int y = 1; y < DATE_SPREAD_YEARS; y++) {
        const struct date_spread_year *f = &from->years[y];
        if (f->lines == 0)
            continue;
        struct date_spread_year *e = &into->years[y];
        if (e->lines == 0) {
            e->first = f->first;
            e->source = f->source;
            e->first_day = f->first_day;
        }
        e->lines += f->lines;
    }
    into->lines += from->lines;
}

/* The year of the line at 0-based rank r in date order. */
static int year_at(const struct date_spread *s, uint64_t r)
{
    uint64_t seen = 0;
    for (int y = 1; y < DATE_SPREAD_YEARS; y++) {
        seen += s->years[y].lines;
        if (seen > r)
            return y;
    }
    return DATE_SPREAD_YEARS - 1;
}

int date_spread_fence(const struct date_spread *s, int *q1, int *q3, int *low, int *high)
{
    if (s->lines == 0)
        return -1;
    *q1 = year_at(s, (s->lines - 1) / 4);
    *q3 = year_at(s, (s->lines - 1) * 3 / 4);
    int margin = 3 * (*q3 - *q1);
    if (margin < DATE_SPREAD_MIN_YEARS)
        margin = DATE_SPREAD_MIN_YEARS;
    *low = *q1 - margin;
    *high = *q3 + margin;
    return 0;
}
