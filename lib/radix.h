/* radix — the LSD radix sort on a 64-bit key that the roll-up's output
 * order and cl-score's ranks share.
 *
 * The elements are `size` bytes each and begin with their uint64_t key;
 * 8-bit digits, least significant first, the digits every key shares
 * skipped. Stable. Inline, so that each caller's element size is a
 * constant and the copies are plain moves. */
#ifndef CL_RADIX_H
#define CL_RADIX_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

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
    size_t (*count)[256] = calloc(8, sizeof *count);
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
        size_t at = 0;
        for (int v = 0; v < 256; v++) {
            size_t c = count[d][v];
            count[d][v] = at;
            at += c;
        }
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
