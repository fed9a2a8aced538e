/* kmeans-gen — the cl-kmeans benchmark data, deterministic: N points
 * (default 1,000,000) in 8 dimensions from a seeded mixture of 8
 * overlapping Gaussians, as CSV "id,f1..f8" with 4 decimals.
 *
 *   cc -O2 -o kmeans-gen bench/kmeans-gen.c -lm && ./kmeans-gen 1000000 > points.csv
 *
 * The generator is xoshiro256** seeded by splitmix64 (seed 2024) and
 * Box-Muller normals, so the file is the same on every machine. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#define DIMS 8
#define CLUSTERS 8

static uint64_t state[4];

static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

static uint64_t next(void)
{
    uint64_t result = rotl(state[1] * 5, 7) * 9, t = state[1] << 17;
    state[2] ^= state[0];
    state[3] ^= state[1];
    state[1] ^= state[2];
    state[0] ^= state[3];
    state[2] ^= t;
    state[3] = rotl(state[3], 45);
    return result;
}

static double uniform(void) { return ((double)(next() >> 11) + 0.5) * 0x1.0p-53; }

static double normal(void)
{
    static int have;
    static double spare;
    if (have) {
        have = 0;
        return spare;
    }
    double r = sqrt(-2 * log(uniform())), a = 2 * M_PI * uniform();
    spare = r * sin(a);
    have = 1;
    return r * cos(a);
}

int main(int argc, char **argv)
{
    long n = argc > 1 ? atol(argv[1]) : 1000000;
    uint64_t seed = 2024;
    for (int i = 0; i < 4; i++)
        state[i] = splitmix64(&seed);
    double centre[CLUSTERS][DIMS], spread[CLUSTERS], weight[CLUSTERS], total = 0;
    for (int c = 0; c < CLUSTERS; c++) {
        for (int j = 0; j < DIMS; j++)
            centre[c][j] = 10 * uniform() - 5;     /* centres in [-5, 5]^8 */
        spread[c] = 1.0 + 1.0 * uniform();         /* sd 1 to 2: they overlap */
        weight[c] = 0.5 + uniform();
        total += weight[c];
    }
    printf("id,f1,f2,f3,f4,f5,f6,f7,f8\n");
    for (long i = 0; i < n; i++) {
        double u = uniform() * total;
        int c = 0;
        while (c < CLUSTERS - 1 && u >= weight[c]) {
            u -= weight[c];
            c++;
        }
        printf("%ld", i + 1);
        for (int j = 0; j < DIMS; j++)
            printf(",%.4f", centre[c][j] + spread[c] * normal());
        putchar('\n');
    }
    return ferror(stdout) != 0;
}
