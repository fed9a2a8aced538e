/* rollup_write's order: rows sorted by the customer key in byte order
 * (memcmp, a shorter key first when it is a prefix), whatever the keys'
 * lengths and bytes, checked against qsort with memcmp on the same keys;
 * and rollup_write_partial's (key, then order). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rollup.h"
#include "t.h"

#define N 5000

static char keys[N][24];
static size_t lens[N];

static int by_bytes(const void *pa, const void *pb)
{
    size_t a = *(const size_t *)pa, b = *(const size_t *)pb;
    size_t n = lens[a] < lens[b] ? lens[a] : lens[b];
    int c = memcmp(keys[a], keys[b], n);
    return c ? c : (lens[a] > lens[b]) - (lens[a] < lens[b]);
}

static uint64_t state = 12345;
static unsigned next(unsigned n)
{
    state = state * 6364136223846793005ull + 1442695040888963407ull;
    return (unsigned)((state >> 33) % n);
}

/* The first cell of each data row of a CSV (no quoted cells here). */
static int first_cells(char *csv, char **cells, int max)
{
    int n = 0;
    char *line = strchr(csv, '\n');
    while (line && line[1] && n < max) {
        line++;
        cells[n++] = line;
        line = strchr(line, '\n');
    }
    return n;
}

int main(void)
{
    struct rollup r;
    struct diag diag;
    T_CHECK(rollup_init(&r, ROLLUP_CUSTOMER, &diag) == 0, "sort: roll-up made");
    /* ids of 1 to 20 printable bytes over a small alphabet, so that many
     * share 8-byte prefixes or are prefixes of one another; high bytes too */
    static const char alphabet[] = "0019AZaz~\x7f\xc3\xa9";
    size_t n = 0;
    for (int i = 0; i < N; i++) {
        size_t len = 1 + next(i % 4 == 0 ? 20 : 9);
        for (size_t j = 0; j < len; j++)
            keys[n][j] = alphabet[next(sizeof alphabet - 1)];
        lens[n] = len;
        struct rollup_totals add = { .revenue = 100, .lines = 1, .first_day = 19000,
                                     .last_day = 19000 };
        size_t before = rollup_keys(&r);
        char order[16];
        int olen = snprintf(order, sizeof order, "%d", i);
        rollup_add(&r, keys[n], len, order, (size_t)olen, &add, &diag);
        if (rollup_keys(&r) > before)
            n++;
    }
    size_t *want = malloc(n * sizeof *want);
    for (size_t i = 0; i < n; i++)
        want[i] = i;
    qsort(want, n, sizeof *want, by_bytes);

    char *buf = NULL;
    size_t size = 0;
    FILE *fp = open_memstream(&buf, &size);
    struct csvout out;
    csvout_init(&out, fp, 0);
    static const char *const header[] = { "customer" };
    struct rollup_output how = { .header = header, .asof = 19001 };
    T_CHECK(rollup_write(&r, &out, &how, &diag) == 0, "sort: %zu distinct keys written", n);
    fclose(fp);
    char **cells = malloc(n * sizeof *cells);
    int rows = first_cells(buf, cells, (int)n);
    int ok = rows == (int)n;
    for (size_t i = 0; ok && i < n; i++)
        ok = strncmp(cells[i], keys[want[i]], lens[want[i]]) == 0 &&
             cells[i][lens[want[i]]] == ',';
    T_CHECK(ok, "sort: the rows in memcmp order of the keys (prefixes first), as qsort puts them");
    free(buf);
    free(cells);
    free(want);
    rollup_free(&r);

    /* partials: by key, then by order bytes ("10" before "9") */
    T_CHECK(rollup_init(&r, ROLLUP_ORDER, &diag) == 0, "sort: partial roll-up made");
    static const char *const lines[][2] = {
        { "C2", "9" }, { "C10", "1" }, { "C2", "10" }, { "C1", "5" }, { "C2", "1" },
        { "C10", "05" }, { "C1", "4" },
    };
    for (size_t i = 0; i < sizeof lines / sizeof *lines; i++) {
        struct rollup_totals add = { .revenue = 100, .lines = 1, .first_day = 19000,
                                     .last_day = 19000 };
        rollup_add(&r, lines[i][0], strlen(lines[i][0]), lines[i][1], strlen(lines[i][1]),
                   &add, &diag);
    }
    buf = NULL;
    fp = open_memstream(&buf, &size);
    csvout_init(&out, fp, 0);
    T_CHECK(rollup_write_partial(&r, &out, &how, &diag) == 0, "sort: partials written");
    fclose(fp);
    char got[128] = "", *line = strchr(buf, '\n');
    while (line && line[1]) {
        line++;
        size_t len = strcspn(line, ",");
        size_t len2 = strcspn(line + len + 1, ",");
        snprintf(got + strlen(got), sizeof got - strlen(got), "%.*s/%.*s ", (int)len, line,
                 (int)len2, line + len + 1);
        line = strchr(line, '\n');
    }
    T_STR(got, "C1/4 C1/5 C10/05 C10/1 C2/1 C2/10 C2/9 ", "sort: partials by key, then order");
    free(buf);
    rollup_free(&r);
    T_DONE();
}
