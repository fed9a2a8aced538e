/* score.c — the weighted multi-criteria grid and RFM quintiles with named
 * segments, on plain arrays (see score.h). */
#include "score.h"

#include <assert.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "parse.h"
#include "radix.h"

/* ---- ranks ----------------------------------------------------------- */

/* A value as an unsigned key in the same order: scaled integers with the
 * sign bit flipped; doubles by their bits (negative ones inverted), -0 taken
 * as +0 so that the two compare equal as they do as doubles. */
struct ranked {
    uint64_t key;           /* first: radix.h sorts on it */
    size_t index;
};

/* twice_midrank[i] = lo + hi − 1 where lo..hi are the 1-based ranks, from
 * worst to best, that value i and its ties occupy: 2 × midrank − 1. NaN
 * values have no rank order; the callers never pass one (parsed numbers). */
static int midranks(const double *values, const int64_t *scaled, size_t n,
                    int lower_better, size_t *twice_midrank, struct diag *diag)
{
    if (n == 0)
        return 0;
    /* blocks kept for the next criterion's sort: their pages fault in once */
    struct ranked *r = buf_block_alloc(n * sizeof *r);
    struct ranked *tmp = buf_block_alloc(n * sizeof *tmp);
    if (!r || !tmp) {
        buf_block_free(r);
        buf_block_free(tmp);
        return diag_set(diag, "out of memory");
    }
    for (size_t i = 0; i < n; i++) {
        r[i].key = score_key(values, scaled, i);
        r[i].index = i;
    }
    /* the order among ties does not matter: they all get the same rank */
    struct ranked *sorted = radix_sort_u64(r, tmp, n, sizeof *r);
    if (!sorted) {
        buf_block_free(r);
        buf_block_free(tmp);
        return diag_set(diag, "out of memory");
    }
    for (size_t lo = 0; lo < n;) {
        size_t hi = lo + 1;
        while (hi < n && sorted[hi].key == sorted[lo].key)
            hi++;
        /* ascending 1-based ranks lo+1..hi: lo + 1 + hi − 1 */
        size_t m2 = lo + hi;
        for (size_t k = lo; k < hi; k++)
            twice_midrank[sorted[k].index] = lower_better ? 2 * n - m2 : m2;
        lo = hi;
    }
    buf_block_free(r);
    buf_block_free(tmp);
    return 0;
}

/* midranks into a new array of n (caller frees).
 * @return it, or NULL with diag set. */
static size_t *midranks_new(const double *values, const int64_t *scaled, size_t n,
                            int lower_better, struct diag *diag)
{
    size_t *m2 = buf_block_alloc((n ? n : 1) * sizeof *m2);     /* buf_block_free */
    if (!m2) {
        diag_set(diag, "out of memory");
        return NULL;
    }
    if (midranks(values, scaled, n, lower_better, m2, diag) != 0) {
        buf_block_free(m2);
        return NULL;
    }
    return m2;
}

int score_normalize(const double *values, const int64_t *scaled, size_t n,
                    enum score_normalize method, int lower_better, double *out,
                    struct diag *diag)
{
    if (method == SCORE_RANK) {
        size_t *m2 = midranks_new(values, scaled, n, lower_better, diag);
        if (!m2)
            return -1;
        for (size_t i = 0; i < n; i++)
            out[i] = (double)m2[i] / (2.0 * (double)n);
        buf_block_free(m2);
        return 0;
    }
    double min = INFINITY, max = -INFINITY;
    for (size_t i = 0; i < n; i++) {
        if (values[i] < min)
            min = values[i];
        if (values[i] > max)
            max = values[i];
    }
    for (size_t i = 0; i < n; i++) {
        if (max == min)
            out[i] = 0.5;
        else if (lower_better)
            out[i] = (max - values[i]) / (max - min);
        else
            out[i] = (values[i] - min) / (max - min);
    }
    return 0;
}

int score_quintiles(const double *values, const int64_t *scaled, size_t n,
                    int lower_better, unsigned char *out, struct diag *diag)
{
    size_t *m2 = midranks_new(values, scaled, n, lower_better, diag);
    if (!m2)
        return -1;
    /* 1 + floor(5 × (midrank − 0.5) / n) = 1 + floor(5 × m2 / (2n)); m2 < 2n */
    for (size_t i = 0; i < n; i++)
        out[i] = (unsigned char)(1 + 5 * m2[i] / (2 * n));
    buf_block_free(m2);
    return 0;
}

/* Count the usable keys by their 16 bits at shift, one histogram (of
 * SELECT_DIGITS) for each of the `count` prefixes: the keys whose bits
 * above those are prefix[g]. */
#define SELECT_DIGITS 65536
static void select_histograms(const double *values, const int64_t *scaled,
                              const unsigned char *usable, size_t rows, int shift,
                              const uint64_t *prefix, size_t count, size_t *hist)
{
    uint64_t high = shift == 48 ? 0 : ~UINT64_C(0) << (shift + 16);
    memset(hist, 0, count * SELECT_DIGITS * sizeof *hist);
    for (size_t i = 0; i < rows; i++) {
        if (usable && !usable[i])
            continue;
        uint64_t k = score_key(values, scaled, i);
        for (size_t g = 0; g < count; g++)
            if ((k & high) == prefix[g])
                hist[g * SELECT_DIGITS + ((k >> shift) & 0xffff)]++;
    }
}

int score_quintile_cuts(const double *values, const int64_t *scaled,
                        const unsigned char *usable, size_t rows, int lower_better,
                        struct score_cuts *cuts, struct diag *diag)
{
    memset(cuts, 0, sizeof *cuts);
    cuts->lower_better = lower_better;
    size_t *hist = malloc(4 * SELECT_DIGITS * sizeof *hist);
    if (!hist)
        return diag_set(diag, "out of memory");
    /* The keys at four positions of the ascending order (left: the
     * position among the keys that share what is found of the key so
     * far), 16 bits a pass from the top, one histogram a distinct prefix:
     * the first pass counts every key (and so n). */
    size_t n = 0, need[4], left[4];
    uint64_t key[4] = { 0 };
    for (int shift = 48; shift >= 0; shift -= 16) {
        uint64_t prefix[4];
        size_t group[4], groups = 0;
        for (size_t t = 0; t < 4; t++) {
            size_t g = 0;
            while (g < groups && prefix[g] != key[t])
                g++;
            if (g == groups)
                prefix[groups++] = key[t];
            group[t] = g;
        }
        select_histograms(values, scaled, usable, rows, shift, prefix, groups, hist);
        if (shift == 48) {
            for (size_t d = 0; d < SELECT_DIGITS; d++)
                n += hist[d];
            if (n == 0) {
                free(hist);
                return 0;
            }
            /* A run of equal keys at ascending positions lo..hi-1 has m2 =
             * lo + hi (midranks()); the score is 1 + floor(5 m2 / 2n), or 1 +
             * floor(5 (2n - m2) / 2n) lower_better, so it passes t + 1 (falls
             * under 5 - t) from the first run with m2 >= need[t]: ceil(2nt /
             * 5), or floor(2nt / 5) + 1. That run holds position ceil(need /
             * 2) - 1 or is the next one: the runs before end by then (their
             * m2 < need) and the next has m2 > 2 (that position + 1) >= need. */
            for (size_t t = 0; t < 4; t++) {
                size_t twice = 2 * n * (t + 1);
                need[t] = lower_better ? twice / 5 + 1 : (twice + 4) / 5;
                left[t] = (need[t] + 1) / 2 - 1;
                assert(left[t] < n);
            }
        }
        for (size_t t = 0; t < 4; t++) {
            const size_t *h = hist + group[t] * SELECT_DIGITS;
            size_t digit = 0;
            while (left[t] >= h[digit])
                left[t] -= h[digit++];
            assert(digit < SELECT_DIGITS);
            key[t] |= (uint64_t)digit << shift;
        }
    }
    free(hist);
    /* each selected key's run (lo: the keys below it, hi: those up to it)
     * and the least key above it */
    size_t lo[4] = { 0 }, hi[4] = { 0 };
    uint64_t next[4];
    int has_next[4] = { 0 };
    for (size_t i = 0; i < rows; i++) {
        if (usable && !usable[i])
            continue;
        uint64_t k = score_key(values, scaled, i);
        for (size_t t = 0; t < 4; t++) {
            lo[t] += k < key[t];
            hi[t] += k <= key[t];
            if (k > key[t] && (!has_next[t] || k < next[t])) {
                next[t] = k;
                has_next[t] = 1;
            }
        }
    }
    for (size_t t = 0; t < 4; t++) {
        if (lo[t] + hi[t] >= need[t])
            cuts->cut[t] = key[t];
        else if (has_next[t])
            cuts->cut[t] = next[t];
        else
            break;      /* no key reaches this score, nor the next ones */
        cuts->count = t + 1;
    }
    return 0;
}

/* ---- RFM segments ---------------------------------------------------- */

/* Rows: r = 5 (most recent) down to 1; columns: fm = 1..5. This is the
 * common R × F segment map with fm (frequency and money together) for F,
 * and its low-low corner split into hibernating (r = 2) and lost (r = 1). */
static const char *const segment_table[5][5] = {
    /* r=5 */ { "new", "potential loyalists", "potential loyalists", "champions", "champions" },
    /* r=4 */ { "promising", "potential loyalists", "potential loyalists", "loyal", "loyal" },
    /* r=3 */ { "about to sleep", "about to sleep", "need attention", "loyal", "loyal" },
    /* r=2 */ { "hibernating", "hibernating", "at risk", "at risk", "cannot lose them" },
    /* r=1 */ { "lost", "lost", "at risk", "at risk", "cannot lose them" },
};

const char *score_segment(int r, int f, int m)
{
    if (r < 1 || r > 5 || f < 1 || f > 5 || m < 1 || m > 5)
        return "";
    int fm = (f + m + 1) / 2;   /* (f + m) / 2 rounded half up */
    return segment_table[5 - r][fm - 1];
}

/* The segments in the usual order, from champions to lost, with their
 * names for a reader (the words of the page and of cl-score --summary). */
static const struct { const char *key, *en, *fr; } segment_words[] = {
    { "champions", "Champions", "Champions" },
    { "loyal", "Loyal", "Fid\xc3\xa8les" },
    { "potential loyalists", "Potential loyalists", "Fid\xc3\xa8les potentiels" },
    { "new", "New", "Nouveaux" },
    { "promising", "Promising", "Prometteurs" },
    { "need attention", "Need attention", "\xc3\x80 surveiller" },
    { "about to sleep", "About to sleep", "Bient\xc3\xb4t endormis" },
    { "at risk", "At risk", "\xc3\x80 risque" },
    { "cannot lose them", "Cannot lose them", "\xc3\x80 ne pas perdre" },
    { "hibernating", "Hibernating", "En hibernation" },
    { "lost", "Lost", "Perdus" },
};
#define SEGMENT_WORDS (sizeof segment_words / sizeof segment_words[0])

int score_segment_rank(const char *segment)
{
    for (size_t i = 0; i < SEGMENT_WORDS; i++)
        if (strcmp(segment_words[i].key, segment) == 0)
            return (int)i;
    return -1;
}

const char *score_segment_name(int rank)
{
    return rank >= 0 && (size_t)rank < SEGMENT_WORDS ? segment_words[rank].key : "";
}

const char *score_segment_label(const char *segment, int french)
{
    int i = score_segment_rank(segment);
    return i < 0 ? NULL : french ? segment_words[i].fr : segment_words[i].en;
}

/* ---- the grid -------------------------------------------------------- */

int score_grid_parse(struct score_grid *grid, const char *spec, struct diag *diag)
{
    memset(grid, 0, sizeof *grid);
    const char *p = spec;
    char quoted[64];
    /* weights are fractions: "50%" is 0.5 (parse.h); all with % or none */
    struct parse_percent_column signs;
    parse_percent_column_init(&signs);
    for (;;) {
        const char *end = strchr(p, ',');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        const char *eq = memchr(p, '=', len);
        if (!eq || eq == p)
            return diag_set(diag, "\"%s\" is not NAME=WEIGHT",
                            diag_quote(p, len, quoted, sizeof quoted));
        if (grid->count == SCORE_MAX_CRITERIA)
            return diag_set(diag, "more than %d criteria", SCORE_MAX_CRITERIA);
        size_t name_len = (size_t)(eq - p);
        for (size_t i = 0; i < grid->count; i++)
            if (strlen(grid->criteria[i].name) == name_len &&
                memcmp(grid->criteria[i].name, p, name_len) == 0)
                return diag_set(diag, "criterion \"%s\" given twice",
                                diag_quote(p, name_len, quoted, sizeof quoted));
        double weight;
        char mark = '.';
        size_t weight_len = len - name_len - 1;
        if (parse_share(eq + 1, weight_len, PARSE_IN_FRACTION, &mark, &weight, NULL)
            != PARSE_OK || weight == 0) {
            char quoted_name[64];
            return diag_set(diag, "weight \"%s\" of \"%s\" is not a non-zero number",
                            diag_quote(eq + 1, weight_len, quoted, sizeof quoted),
                            diag_quote(p, name_len, quoted_name, sizeof quoted_name));
        }
        if (parse_percent_column_note(&signs, 0, eq + 1, weight_len) != 0) {
            char text[DIAG_MAX];
            return diag_set(diag, "%s", parse_percent_mixed(&signs, "weight", text, sizeof text));
        }
        struct score_criterion *c = &grid->criteria[grid->count];
        c->name = malloc(name_len + 1);
        if (!c->name)
            return diag_set(diag, "out of memory");
        memcpy(c->name, p, name_len);
        c->name[name_len] = '\0';
        c->weight = weight;
        c->lower_better = weight < 0;
        grid->count++;
        grid->weight_sum += fabs(weight);
        if (!end)
            break;
        p = end + 1;
    }
    for (size_t i = 0; i < grid->count; i++)
        grid->criteria[i].normalized = fabs(grid->criteria[i].weight) / grid->weight_sum;
    grid->weights_normalized = fabs(grid->weight_sum - 1) > 1e-9;
    return 0;
}

void score_grid_free(struct score_grid *grid)
{
    if (!grid)
        return;
    for (size_t i = 0; i < grid->count; i++)
        free(grid->criteria[i].name);
    grid->count = 0;
}

double score_grid_score(const struct score_grid *grid, const double *normalized)
{
    double sum = 0;
    for (size_t i = 0; i < grid->count; i++)
        sum += grid->criteria[i].normalized * normalized[i];
    return 100 * sum;
}
