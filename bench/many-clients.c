/* many-clients — the sales lines of a retailer with a loyalty card: many
 * clients, few purchases each, so that a roll-up holds millions of keys
 * (the shape where the benchmark file of Online Retail copies, 87 k
 * clients in 10.8 M lines, flatters a hash table). Deterministic: a seeded
 * generator (splitmix64), the same file on every machine.
 *
 *   many-clients LINES CLIENTS > sales.csv
 *
 * Orders follow one another in time over 2023 and 2024; an order has
 * 1 + a geometric number of lines (mean 1.5), all of one client; each
 * order's client is drawn uniformly from an id space sized so that about
 * CLIENTS distinct clients appear (the expected count N(1 - e^(-orders/N))
 * solved for N). The columns are those of Online Retail, so the same peer
 * queries read it. The exact number of lines and distinct clients goes to
 * stderr. Defaults of make bench: 10,000,000 lines, 4,300,000 clients
 * (about 4.3 M distinct, 617 MB); 12,000,000 lines and 5,000,000 clients
 * for the 5 M-client roll-up. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t state = 0x5eed2026c11e17e1ull;

static uint64_t next(void)     /* splitmix64 */
{
    uint64_t z = (state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

static uint64_t below(uint64_t n)   /* uniform in [0, n), n small */
{
    return (next() >> 11) % n;
}

/* days since 1970-01-01 -> y, m, d (civil calendar) */
static void civil(long z, int *y, int *m, int *d)
{
    z += 719468;
    long era = (z >= 0 ? z : z - 146096) / 146097;
    long doe = z - era * 146097;
    long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yoe + era * 400 + (*m <= 2));
}

static const char *const countries[] = {
    "United Kingdom", "France", "Germany", "EIRE", "Spain", "Netherlands",
    "Belgium", "Portugal"
};

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: many-clients LINES CLIENTS\n");
        return 2;
    }
    long lines = atol(argv[1]), clients = atol(argv[2]);
    if (lines <= 0 || clients <= 0 || clients > lines) {
        fprintf(stderr, "many-clients: need 0 < CLIENTS <= LINES\n");
        return 2;
    }
    /* expected orders = lines / 1.5; solve N (1 - e^(-orders / N)) = clients */
    double orders = lines / 1.5, lo = (double)clients, hi = 1e12;
    if (clients >= orders) {
        fprintf(stderr, "many-clients: CLIENTS must be under LINES / 1.5\n");
        return 2;
    }
    for (int i = 0; i < 200; i++) {
        double mid = (lo + hi) / 2;
        if (mid * (1 - exp(-orders / mid)) < clients)
            lo = mid;
        else
            hi = mid;
    }
    uint64_t space = (uint64_t)(lo + 0.5);
    unsigned char *seen = calloc(space / 8 + 1, 1);
    if (!seen) {
        fprintf(stderr, "many-clients: out of memory\n");
        return 1;
    }
    static char buf[1 << 20];
    setvbuf(stdout, buf, _IOFBF, sizeof buf);
    fputs("InvoiceNo,StockCode,Quantity,InvoiceDate,UnitPrice,CustomerID,Country\n", stdout);
    long day0 = 19358, days = 731;     /* 2023-01-01, two years */
    long written = 0, distinct = 0, order = 5000000;
    while (written < lines) {
        uint64_t client = below(space);
        if (!(seen[client / 8] & (1u << (client % 8)))) {
            seen[client / 8] |= (unsigned char)(1u << (client % 8));
            distinct++;
        }
        long day = day0 + (long)((double)written / lines * days);
        int y, m, d;
        civil(day, &y, &m, &d);
        int hour = 8 + (int)below(13), minute = (int)below(60);
        const char *country = countries[below(64) < 40 ? 0 : below(8)];
        order++;
        do {
            unsigned stock = 10000 + (unsigned)below(90000);
            char suffix[2] = { below(8) == 0 ? (char)('A' + below(6)) : '\0', '\0' };
            unsigned quantity = 1 + (unsigned)below(12);
            unsigned cents = 10 + (unsigned)below(4990);
            printf("%ld,%u%s,%u,%04d-%02d-%02d %02d:%02d:00,%u.%02u,%llu,%s\n", order, stock,
                   suffix, quantity, y, m, d, hour, minute, cents / 100, cents % 100,
                   (unsigned long long)(1000000 + client), country);
            written++;
        } while (written < lines && below(3) == 0);
    }
    free(seen);
    if (fflush(stdout) != 0) {
        perror("many-clients");
        return 1;
    }
    fprintf(stderr, "many-clients: %ld lines, %ld orders, %ld distinct clients\n", written,
            order - 5000000, distinct);
    return 0;
}
