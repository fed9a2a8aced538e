/* Unit tests of the library's out-of-memory returns: each allocation of a
 * call made to fail in turn (the first, then the second...) until the call
 * makes no more, and each time the call must fail cleanly (-1, "out of
 * memory", its inputs kept, nothing written, nothing leaked) or, where a
 * failed allocation has a fallback, give what it gives with every
 * allocation granted.
 *
 * The allocations are caught at link time: this test alone is linked with
 * -Wl,--wrap=malloc,--wrap=calloc,--wrap=realloc,--wrap=free (Makefile), so
 * that every call of the library's objects to them comes here first. The
 * system's own allocations (inside stdio, pthread_create...) are not seen,
 * and under ASan the real ones are ASan's: its leak check at exit stands
 * beside the count kept here. */
#include <math.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pareto.h"
#include "pareto_table.h"
#include "t.h"

/* ---- the allocations, counted and failed at will ----------------------- */

void *__real_malloc(size_t size);
void *__real_calloc(size_t count, size_t size);
void *__real_realloc(void *p, size_t size);
void __real_free(void *p);
void *__wrap_malloc(size_t size);
void *__wrap_calloc(size_t count, size_t size);
void *__wrap_realloc(void *p, size_t size);
void __wrap_free(void *p);

static atomic_long calls;       /* allocations asked for since alloc_arm */
static atomic_long live;        /* blocks handed out and not yet freed */
static long fail_at;            /* the call that fails (1: the first), 0: none */

/* Count from now, failing the fail-th allocation (0: none fails). */
static void alloc_arm(long fail)
{
    atomic_store(&calls, 0);
    fail_at = fail;
}

/* Stop failing. @return the allocations asked for since alloc_arm. */
static long alloc_disarm(void)
{
    fail_at = 0;
    return atomic_load(&calls);
}

/* Is this allocation the one to fail? */
static int alloc_fails(void)
{
    return atomic_fetch_add(&calls, 1) + 1 == fail_at;
}

void *__wrap_malloc(size_t size)
{
    void *p = alloc_fails() ? NULL : __real_malloc(size);
    if (p)
        atomic_fetch_add(&live, 1);
    return p;
}

void *__wrap_calloc(size_t count, size_t size)
{
    void *p = alloc_fails() ? NULL : __real_calloc(count, size);
    if (p)
        atomic_fetch_add(&live, 1);
    return p;
}

void *__wrap_realloc(void *old, size_t size)
{
    if (alloc_fails())
        return NULL;        /* old stays the caller's */
    void *p = __real_realloc(old, size);
    if (p && !old)
        atomic_fetch_add(&live, 1);
    return p;
}

void __wrap_free(void *p)
{
    if (p)
        atomic_fetch_sub(&live, 1);
    __real_free(p);
}

/* ---- the table ---------------------------------------------------------- */

/* A table of clients: ties, keys past 8 bytes, values <= 0, and rows left
 * out (an empty value, text, an empty key: one, as a key is one client's);
 * a group column. */
static int write_table(const char *path)
{
    FILE *fp = fopen(path, "w");
    if (!fp)
        return -1;
    fputs("customer,revenue,region\n", fp);
    for (int i = 0; i < 300; i++) {
        if (i == 47)
            fprintf(fp, ",%d.5,north\n", i);
        else if (i % 53 == 0)
            fprintf(fp, "client-number-%03d,,south\n", i);
        else if (i % 59 == 0)
            fprintf(fp, "client-number-%03d,n/a,south\n", i);
        else
            fprintf(fp, "client-number-%03d,%d.%02d,%s\n", i, i % 23 - 3, (i * 7) % 100,
                    i % 3 ? "north" : "south");
    }
    return fclose(fp);
}

/* ---- pareto_rank_column ------------------------------------------------- */

#define ROWS 300

/* pareto_rank_column with its fail-th allocation failing (0: none): 1 when
 * it kept its contract, the figures (when it succeeded) in *got and
 * *got_summary. A failure must say "out of memory", keep the column as it
 * was read, write neither the count nor the figures, and free what it
 * took; a success must have freed the column. *allocs gets the
 * allocations the call asked for. */
static int rank_column_once(const struct table *t, long fail, struct pareto_ranked *got,
                            struct pareto_summary *got_summary, size_t *got_count, int *failed,
                            long *allocs)
{
    static const struct pareto_classes cut = { PARETO_CUT, 2, { 80 * MONEY_SCALE,
                                                                95 * MONEY_SCALE } };
    struct diag diag = { "" };
    struct pareto_column c, copy;
    double x[PARETO_LORENZ_SEGMENTS + 1], y[PARETO_LORENZ_SEGMENTS + 1];
    long before = atomic_load(&live);
    if (pareto_column_read(&c, t, 1, &diag) != 0)
        return 0;
    copy = c;
    unsigned char *status = malloc(t->rows);
    if (!status)
        return 0;
    memcpy(status, c.status, t->rows);
    memset(got, 0xa5, ROWS * sizeof *got);
    *got_count = (size_t)-1;
    struct pareto_curve curve = { 50, x, y, 0 };
    alloc_arm(fail);
    int rc = pareto_rank_column(t, 0, &c, &cut, got, &curve, got_count, got_summary, &diag);
    *allocs = alloc_disarm();
    *failed = rc != 0;
    int ok;
    if (rc != 0) {
        unsigned char untouched[sizeof *got];
        memset(untouched, 0xa5, sizeof untouched);
        ok = rc == -1 && strcmp(diag.message, "out of memory") == 0 &&
             c.value == copy.value && c.scaled == copy.scaled && c.status == copy.status &&
             c.count == copy.count && memcmp(c.status, status, t->rows) == 0 &&
             *got_count == (size_t)-1 && memcmp(got, untouched, sizeof untouched) == 0;
        pareto_column_free(&c);
    } else {
        ok = c.value == NULL && c.status == NULL && curve.points > 2;
    }
    free(status);
    return ok && atomic_load(&live) == before;
}

static void test_rank_column(const struct table *t)
{
    static struct pareto_ranked want[ROWS], got[ROWS];
    struct pareto_summary want_summary, got_summary;
    size_t want_count, got_count;
    int failed;
    long allocs;
    T_CHECK(rank_column_once(t, 0, want, &want_summary, &want_count, &failed, &allocs) &&
            !failed && want_count > 200 && want_count < ROWS,
            "pareto_rank_column: every allocation granted: ranked, the column freed, "
            "nothing left");
    /* each allocation failing in turn, until the call makes no more */
    long fail = 1, failures = 0, fallbacks = 0;
    int ok = 1;
    for (; ok && fail < 100; fail++) {
        ok = rank_column_once(t, fail, got, &got_summary, &got_count, &failed, &allocs);
        if (allocs < fail)
            break;      /* none failed: the loop has seen them all */
        if (failed) {
            failures++;
        } else {        /* a fallback: the same figures */
            fallbacks++;
            ok = ok && got_count == want_count &&
                 memcmp(got, want, want_count * sizeof *got) == 0 &&
                 memcmp(&got_summary, &want_summary, sizeof got_summary) == 0;
        }
    }
    T_CHECK(ok && failures >= 2 && fail < 100,
            "pareto_rank_column: each of its %ld allocations failing in turn: %ld "
            "\"out of memory\" (the column kept, nothing written or leaked), %ld the same "
            "figures by a fallback", fail - 1, failures, fallbacks);
#if SIZE_MAX > UINT32_MAX
    /* 2^32 rows: refused before anything is read or taken */
    struct table huge = *t;
    huge.rows = (size_t)UINT32_MAX + 1;
    struct pareto_column c = { 0 };
    struct diag diag = { "" };
    size_t count = 7;
    long before = atomic_load(&live);
    alloc_arm(0);
    T_CHECK(pareto_rank_column(&huge, 0, &c, NULL, NULL, NULL, &count, &got_summary,
                               &diag) == -1 && count == 7 && alloc_disarm() == 0 &&
            atomic_load(&live) == before &&
            strcmp(diag.message, "a ranking by column takes at most 4294967295 rows, not "
                   "4294967296") == 0,
            "pareto_rank_column: 2^32 rows, not out of memory but the limit");
#endif
}

/* ---- cl-pareto's run: pareto_table_rank ----------------------------------- */

/* pareto_table_rank (after pareto_table_read, every allocation granted)
 * with its fail-th allocation failing: 1 when it failed cleanly ("out of
 * memory", and pareto_table_ranking_free left nothing) or gave summary
 * (its groups' count in *groups) as with every allocation granted. */
static int table_rank_once(const struct table *t, long group_col, int want, long fail,
                           struct pareto_summary *summary, size_t *groups, int *failed,
                           long *allocs)
{
    struct pareto_classes quota;
    struct diag diag = { "" };
    if (pareto_classes_parse(&quota, PARETO_QUOTA, "20,30", &diag) != 0)
        return 0;
    struct pareto_table_how how = { .key_col = 0, .value_col = 1, .group_col = group_col,
                                    .program = "test" };
    struct pareto_ranking ranking;
    long before = atomic_load(&live);
    if (pareto_table_read(&ranking, t, &how, &diag) != 0)
        return 0;
    alloc_arm(fail);
    int rc = pareto_table_rank(&ranking, &quota, want, &diag);
    *allocs = alloc_disarm();
    *failed = rc != 0;
    int ok = rc == 0 || (rc == -1 && strcmp(diag.message, "out of memory") == 0);
    if (rc == 0) {
        *groups = ranking.group_count;
        for (size_t g = 0; g < ranking.group_count && g < 2; g++)
            summary[g] = ranking.groups[g].summary;
    }
    pareto_table_ranking_free(&ranking);
    return ok && atomic_load(&live) == before;
}

static void test_table_rank(const struct table *t)
{
    static const struct {
        long group_col;
        int want;
        const char *name;
    } runs[] = {
        { -1, PARETO_WANT_ROWS | PARETO_WANT_CURVE, "one group, by the column" },
        { -1, 0, "one group, by the column, the summary alone" },
        { 2, PARETO_WANT_ROWS, "two groups, by items" },
    };
    for (size_t r = 0; r < sizeof runs / sizeof runs[0]; r++) {
        struct pareto_summary want[2], got[2];
        size_t want_groups = 0, got_groups = 0;
        int failed;
        long allocs, fail = 1, failures = 0;
        int ok = table_rank_once(t, runs[r].group_col, runs[r].want, 0, want, &want_groups,
                                 &failed, &allocs) && !failed;
        for (; ok && fail < 100; fail++) {
            ok = table_rank_once(t, runs[r].group_col, runs[r].want, fail, got, &got_groups,
                                 &failed, &allocs);
            if (allocs < fail)
                break;
            if (failed)
                failures++;
            else
                ok = ok && got_groups == want_groups &&
                     memcmp(got, want, want_groups * sizeof *got) == 0;
        }
        T_CHECK(ok && failures >= 1 && fail < 100,
                "pareto_table_rank, %s: each of its %ld allocations failing in turn: %ld "
                "\"out of memory\", the others the same summaries, nothing leaked",
                runs[r].name, fail - 1, failures);
    }
}

int main(void)
{
    char path[] = "/tmp/test_alloc_fail_XXXXXX";
    int fd = mkstemp(path);
    struct table t;
    struct diag diag;
    int ready = fd >= 0 && write_table(path) == 0 && table_load(&t, path, 0, &diag) == 0 &&
                t.rows == ROWS;
    T_CHECK(ready, "the table of %d clients", ROWS);
    if (ready) {
        test_rank_column(&t);
        test_table_rank(&t);
        table_free(&t);
    }
    if (fd >= 0) {
        close(fd);
        unlink(path);
    }
    T_DONE();
}
