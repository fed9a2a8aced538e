/* A minimal test harness: one "ok - name" / "not ok - name" line per check. */
#ifndef CL_T_H
#define CL_T_H

#include <stdint.h>
#include <stdio.h>
#include <string.h>

static int t_failed;

#define T_CHECK(cond, ...) do {                                   \
        int t_ok_ = (cond);                                       \
        printf("%s - ", t_ok_ ? "ok" : "not ok");                 \
        printf(__VA_ARGS__);                                      \
        printf("\n");                                             \
        if (!t_ok_) {                                             \
            t_failed = 1;                                         \
            printf("# %s:%d: %s\n", __FILE__, __LINE__, #cond);   \
        }                                                         \
    } while (0)

#define T_STR(got, want, ...) do {                                \
        const char *t_g_ = (got), *t_w_ = (want);                 \
        T_CHECK(strcmp(t_g_, t_w_) == 0, __VA_ARGS__);            \
        if (strcmp(t_g_, t_w_) != 0)                              \
            printf("# got \"%s\", want \"%s\"\n", t_g_, t_w_);    \
    } while (0)

#define T_DONE() return t_failed

/* Seeded pseudo-random numbers (splitmix64) from the caller's state: the
 * same values on every run. */
static inline uint64_t t_random(uint64_t *state)
{
    uint64_t z = (*state += 0x9E3779B97F4A7C15u);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
    return z ^ (z >> 31);
}

#endif
