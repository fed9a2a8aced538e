/* datespread — how the dates of the sales lines spread over the years, to
 * find the placeholder and typo dates (9999-12-31, 0001-01-01, 2101 for
 * 2011) that would give every customer a recency of millions of days.
 *
 * The rule: with q1 and q3 the quartiles of the lines' years, a year is
 * far outside the bulk of the data when it is more than
 * max(20, 3 × (q3 - q1)) years before q1 or after q3. Quartiles, not the
 * range, so that the outliers themselves cannot widen the fence; twenty
 * years at least, so that a business's ordinary history (an old client's
 * first sale a decade before the bulk of the export) is never flagged.
 *
 * Counts are kept per year (1..9999) with where each year was first seen:
 * a line number, or a byte offset for the parallel reader (turned into a
 * line by the caller, only for the years reported). */
#ifndef CL_DATESPREAD_H
#define CL_DATESPREAD_H

#include <stddef.h>
#include <stdint.h>

#define DATE_SPREAD_YEARS 10000
#define DATE_SPREAD_MIN_YEARS 20    /* the fence is never closer than this */

struct date_spread_year {
    uint64_t lines;         /* lines dated in this year */
    long long first;        /* where the first was: line, or byte offset */
    int source;             /* the caller's file index of the first */
    int32_t first_day;      /* its date (days since 1970-01-01) */
};

struct date_spread {
    struct date_spread_year *years;     /* DATE_SPREAD_YEARS, owned */
    uint64_t lines;
    int32_t last_day;       /* the year of the last day added, cached */
    int last_year;
};

/* @return 0, or -1 out of memory. */
int date_spread_init(struct date_spread *spread);
void date_spread_free(struct date_spread *spread);     /* accepts a zeroed struct */

/* Count a line dated `day`, first seen at `where` in source `source`. */
void date_spread_add(struct date_spread *spread, int32_t day, long long where, int source);

/* Add `from` into `into`; where into has no line of a year, from's first
 * is taken (merge the parts of a file in their order). */
void date_spread_merge(struct date_spread *into, const struct date_spread *from);

/* The fence: years below *low or above *high are far outside the bulk;
 * *q1 and *q3 the quartiles. @return 0, or -1 with no lines. */
int date_spread_fence(const struct date_spread *spread, int *q1, int *q3, int *low, int *high);

/* Is year y outside the fence? */
static inline int date_spread_outside(int year, int low, int high)
{
    return year < low || year > high;
}

#endif
