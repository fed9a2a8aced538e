/* radix — the sorts by key that modules share: the grouping by a small
 * key, a counting sort (cohort's cells by client, kmeans' rows by
 * cluster), the LSD radix sort on a 64-bit key (the roll-up's output
 * order, cl-score's ranks, cl-pareto's ranking) and the keys that put
 * numbers in that order. Inline, so that each caller's element type or
 * size is its own and a constant. */
#ifndef CL_RADIX_H
#define CL_RADIX_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* ---- keys in the order of their values -----------------------------------
 * An int64 or a double as a uint64_t whose unsigned order is the values'
 * ascending order, for the sorts and selections below: the sign bit
 * flipped; a double's bits all flipped when negative, -0 as +0 (they are
 * equal). A NaN has no place (the callers handle it first). */

static inline uint64_t radix_key_i64(int64_t v)
{
    return (uint64_t)v ^ UINT64_C(0x8000000000000000);
}

static inline uint64_t radix_key_double(double v)
{
    uint64_t bits;
    if (v == 0)
        v = 0;      /* -0 */
    memcpy(&bits, &v, sizeof bits);
    return bits >> 63 ? ~bits : bits | UINT64_C(0x8000000000000000);
}

/* ---- grouping by a small key (a counting sort) ---------------------------
 * n elements grouped by a key below nkeys, each key's in their order
 * (stable). The caller counts and places, so that each keeps its own keys
 * and elements (indices, records made from parallel arrays):
 *
 *     counts[key(i)]++ for every element i;
 *     radix_group_offsets(first, counts, nkeys);     first[k]: where key k's go
 *     to[first[key(i)]++] = element i, for i = 0, 1, ... n - 1;
 *     radix_group_restore(first, nkeys);
 *
 * first has nkeys + 1 entries; at the end key k's elements are
 * to[first[k] .. first[k + 1]), and first[nkeys] is n. */

/* first[k] = counts[0] + ... + counts[k - 1], for k = 0 .. nkeys. counts
 * may be first itself (counted in place). */
static inline void radix_group_offsets(size_t *first, const size_t *counts, size_t nkeys)
{
    size_t at = 0;
    for (size_t k = 0; k < nkeys; k++) {
        size_t count = counts[k];
        first[k] = at;
        at += count;
    }
    first[nkeys] = at;
}

/* After the placing, which left first[k] where key k + 1's begin: first
 * back to where each key's begin. */
static inline void radix_group_restore(size_t *first, size_t nkeys)
{
    memmove(first + 1, first, nkeys * sizeof *first);
    first[0] = 0;
}

/* ---- the radix sort ------------------------------------------------------
 * The elements are `size` bytes each and begin with their uint64_t key;
 * 8-bit digits, least significant first, the digits every key shares
 * skipped. Stable. The copies of a constant size are plain moves. */

static inline uint64_t radix_key_at(const unsigned char *base, size_t i, size_t size)
{
    uint64_t key;
    memcpy(&key, base + i * size, sizeof key);
    return key;
}

/* Sort the n elements of a (tmp: room for n more) by their key.
 * @return the one of a and tmp that holds them sorted, NULL out of memory
 *         (a unchanged). */
static inline void *radix_sort_u64(void *a, void *tmp, size_t n, size_t size)
{
    size_t (*count)[257] = calloc(8, sizeof *count);   /* the 257th: radix_group_offsets' */
    if (!count)
        return NULL;
    unsigned char *from = a, *to = tmp;
    for (size_t i = 0; i < n; i++) {
        uint64_t key = radix_key_at(from, i, size);
        for (int d = 0; d < 8; d++)
            count[d][(key >> (8 * d)) & 0xff]++;
    }
    for (int d = 0; d < 8 && n > 1; d++) {
        if (count[d][(radix_key_at(from, 0, size) >> (8 * d)) & 0xff] == n)
            continue;   /* every key has this digit: the pass changes nothing */
        radix_group_offsets(count[d], count[d], 256);
        for (size_t i = 0; i < n; i++) {
            size_t slot = count[d][(radix_key_at(from, i, size) >> (8 * d)) & 0xff]++;
            memcpy(to + slot * size, from + i * size, size);
        }
        unsigned char *swap = from;
        from = to;
        to = swap;
    }
    free(count);
    return from;
}

#endif
