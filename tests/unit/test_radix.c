/* radix.h's grouping by a small key (the counting sort cohort and kmeans
 * share): a case worked out by hand, then seeded random keys against a
 * plain stable insertion sort, with the counts apart and counted in place
 * in `first`, some keys never drawn, and no element at all. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "radix.h"
#include "t.h"

/* order[0..n): the indices grouped by keys[] with radix.h, counted in
 * `first` itself when in_place, else in a counts array of their own. */
static void group(const uint32_t *keys, size_t n, size_t nkeys, int in_place, size_t *first,
                  uint32_t *order)
{
    size_t *counts = in_place ? first : calloc(nkeys ? nkeys : 1, sizeof *counts);
    memset(first, 0, (nkeys + 1) * sizeof *first);
    for (size_t i = 0; i < n; i++)
        counts[keys[i]]++;
    radix_group_offsets(first, counts, nkeys);
    for (size_t i = 0; i < n; i++)
        order[first[keys[i]]++] = (uint32_t)i;
    radix_group_restore(first, nkeys);
    if (!in_place)
        free(counts);
}

static void test_by_hand(void)
{
    const uint32_t keys[] = { 2, 0, 2, 1, 0, 4 };
    const uint32_t want_order[] = { 1, 4, 3, 0, 2, 5 };
    const size_t want_first[] = { 0, 2, 3, 5, 5, 6 };
    for (int in_place = 0; in_place <= 1; in_place++) {
        size_t first[6];
        uint32_t order[6];
        group(keys, 6, 5, in_place, first, order);
        T_CHECK(memcmp(order, want_order, sizeof order) == 0 &&
                memcmp(first, want_first, sizeof first) == 0,
                "group by hand (counts %s): keys 2 0 2 1 0 4 give 1 4 | 3 | 0 2 | | 5",
                in_place ? "in first" : "apart");
    }
    size_t first[4] = { 9, 9, 9, 9 };
    uint32_t none[1];
    group(keys, 0, 3, 1, first, none);
    T_CHECK(first[0] == 0 && first[1] == 0 && first[2] == 0 && first[3] == 0,
            "group no element: every key's range empty");
}

/* Against a stable insertion sort of the indices by key, and first[]
 * against each key's count. */
static void test_random(void)
{
    static const size_t sizes[] = { 1, 2, 7, 64, 403, 1001 };
    static const size_t nkeys_of[] = { 1, 3, 10, 300 };
    uint64_t state = 2024;
    int all_same = 1, all_first = 1, cases = 0;
    for (size_t a = 0; a < sizeof sizes / sizeof *sizes; a++)
        for (size_t b = 0; b < sizeof nkeys_of / sizeof *nkeys_of; b++)
            for (int in_place = 0; in_place <= 1; in_place++) {
                size_t n = sizes[a], nkeys = nkeys_of[b];
                uint32_t *keys = malloc(n * sizeof *keys), *order = malloc(n * sizeof *order);
                uint32_t *plain = malloc(n * sizeof *plain);
                size_t *first = malloc((nkeys + 1) * sizeof *first);
                /* the upper half of the keys drawn rarely: some never */
                for (size_t i = 0; i < n; i++) {
                    uint64_t r = t_random(&state);
                    keys[i] = (uint32_t)(r % 4 ? (r >> 8) % (nkeys / 2 + 1)
                                               : (r >> 8) % nkeys);
                }
                group(keys, n, nkeys, in_place, first, order);
                for (size_t i = 0; i < n; i++) {
                    size_t j = i;
                    for (; j > 0 && keys[plain[j - 1]] > keys[i]; j--)
                        plain[j] = plain[j - 1];
                    plain[j] = (uint32_t)i;
                }
                all_same &= memcmp(order, plain, n * sizeof *order) == 0;
                size_t below = 0;
                for (size_t k = 0; k <= nkeys; k++) {
                    all_first &= first[k] == below;
                    for (size_t i = 0; k < nkeys && i < n; i++)
                        below += keys[i] == k;
                }
                cases++;
                free(keys);
                free(order);
                free(plain);
                free(first);
            }
    T_CHECK(all_same, "group %d random cases (1 to 1001 elements, 1 to 300 keys): the order "
            "of a stable insertion sort", cases);
    T_CHECK(all_first, "group the same cases: first[k] = the elements of the keys below k");
}

int main(void)
{
    test_by_hand();
    test_random();
    T_DONE();
}
