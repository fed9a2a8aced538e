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

/* Quintiles without an index per value, for millions of rows: the same
 * scores as score_quintiles, from sort keys alone (8 bytes a value where
 * the index and the midranks took 24 more). A value's key is
 * score_key_scaled of its scaled integer (exact money) or score_key_double
 * of the double, in the values' order, -0 and +0 alike; score_quintile_cuts
 * sorts the n values' keys (keys and tmp: room for n each, both
 * overwritten) and finds the keys where each score starts;
 * score_quintile_of gives the score of a value of those n by its key.
 * @return 0, or -1 (out of memory) with diag set. */
struct score_cuts {
    size_t count;                   /* scores present, 1..5 (0 when n is 0) */
    uint64_t first[5];              /* ascending: the least key of each score */
    unsigned char quintile[5];      /* that score, 1..5 */
};
uint64_t score_key_scaled(int64_t scaled);
uint64_t score_key_double(double value);
int score_quintile_cuts(uint64_t *keys, uint64_t *tmp, size_t n, int lower_better,
                        struct score_cuts *cuts, struct diag *diag);
static inline unsigned char score_quintile_of(const struct score_cuts *cuts, uint64_t key)
{
    unsigned char q = cuts->quintile[0];
    for (size_t i = 1; i < cuts->count; i++)
        if (key >= cuts->first[i])
            q = cuts->quintile[i];
    return q;
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
