/* score — scores for classifying clients by objective criteria: the
 * weighted multi-criteria grid and RFM quintiles with named segments.
 *
 * Everything works on plain arrays of values (one per client, all usable;
 * the caller leaves out rows with a missing value). Ranks never depend on
 * input order: equal values share their midrank (the average of the ranks
 * they occupy). When the caller passes the values also as scaled integers
 * (exact money), equality is decided on those. */
#ifndef CL_SCORE_H
#define CL_SCORE_H

#include <stddef.h>
#include <stdint.h>

#include "diag.h"
#include "radix.h"

#define SCORE_MAX_CRITERIA 64

enum score_normalize {
    SCORE_RANK = 0,     /* (midrank − 0.5) / n: in (0,1), 0.5 when all equal */
    SCORE_MINMAX        /* (x − min) / (max − min): in [0,1], 0.5 when all equal */
};

/* Normalise n values to 0..1, 1 = best (largest, or smallest when
 * lower_better). scaled may be NULL (then values decide equality).
 * @return 0, or -1 (out of memory) with diag set. */
int score_normalize(const double *values, const int64_t *scaled, size_t n,
                    enum score_normalize method, int lower_better, double *out,
                    struct diag *diag);

/* Quintile scores 1..5 (5 = best): 1 + floor(5 × (midrank − 0.5) / n),
 * computed in integers, with midrank the rank from worst to best that ties
 * share. So ties always get one score, and all-equal values all get 3.
 * @return 0, or -1 (out of memory) with diag set. */
int score_quintiles(const double *values, const int64_t *scaled, size_t n,
                    int lower_better, unsigned char *out, struct diag *diag);

/* Quintiles without a copy of the values, for millions of rows: the same
 * scores as score_quintiles gives the usable values (usable[i] not 0, or
 * every one when usable is NULL) of rows 0..rows-1, with the whole
 * column's memory kept to four cuts. Equality and order are decided on
 * scaled when it is not NULL, else on values (score_key: -0 is +0).
 * score_quintile_cuts reads the column a few times (a radix selection of
 * the keys at the cuts' ranks, then their counts), score_quintile_of gives
 * a usable value's score by its key. @return 0, or -1 (out of memory)
 * with diag set. */
struct score_cuts {
    uint64_t cut[4];            /* from cut[t], keys score above t + 1 (lower_better: below
                                   5 - t); non-decreasing */
    size_t count;               /* the cuts some key reaches: cut[0 .. count) */
    int lower_better;
};
static inline uint64_t score_key(const double *values, const int64_t *scaled, size_t i)
{
    return scaled ? radix_key_i64(scaled[i]) : radix_key_double(values[i]);
}
int score_quintile_cuts(const double *values, const int64_t *scaled,
                        const unsigned char *usable, size_t rows, int lower_better,
                        struct score_cuts *cuts, struct diag *diag);
static inline unsigned char score_quintile_of(const struct score_cuts *cuts, uint64_t key)
{
    unsigned char above = 0;
    for (size_t t = 0; t < cuts->count; t++)
        above += key >= cuts->cut[t];
    return (unsigned char)(cuts->lower_better ? 5 - above : 1 + above);
}

/* The RFM segment of scores r, f, m (1..5), from r and fm = round half up
 * of (f + m) / 2 (see the table in cl-score(1) and score.c). */
const char *score_segment(int r, int f, int m);

/* A segment's place in the usual order (0 = champions .. 10 = lost), or -1
 * for a name that is not one of score_segment's. */
int score_segment_rank(const char *segment);
#define SCORE_SEGMENTS 11
/* The segment of a rank (0 .. SCORE_SEGMENTS - 1). */
const char *score_segment_name(int rank);
/* Its name for a reader, in English or French (NULL: not a segment). */
const char *score_segment_label(const char *segment, int french);

/* One criterion of a grid: "margin=0.5", "recency_days=-0.2". */
struct score_criterion {
    char *name;             /* column name as given; owned */
    double weight;          /* as given (sign: direction) */
    double normalized;      /* |weight| / Σ|weight| */
    int lower_better;       /* weight < 0 */
};

struct score_grid {
    size_t count;
    struct score_criterion criteria[SCORE_MAX_CRITERIA];
    double weight_sum;      /* Σ|weight| as given */
    int weights_normalized; /* 1 when Σ|weight| was not 1 (the caller says so) */
};

/* Parse "name=weight,name=weight...": names not empty and distinct,
 * weights non-zero numbers, fractions or in percent ("margin=50%" is 0.5;
 * every weight with a percent sign or none, a mix being ambiguous).
 * @return 0, or -1 with diag set (no file name).
 * Free with score_grid_free even on failure. */
int score_grid_parse(struct score_grid *grid, const char *spec, struct diag *diag);
void score_grid_free(struct score_grid *grid);

/* The grid score 0..100 of one client: 100 × Σ normalized_k × n_k, where
 * n_k are that client's normalised criteria (in grid order). */
double score_grid_score(const struct score_grid *grid, const double *normalized);

#endif
