/* Unit tests of table_load_rows (lib/table.c): some rows of a file read in
 * blocks, against the whole table read by table_load and filtered by the
 * same rule, on seeded random tables (quoted cells, line breaks in quotes,
 * blank lines, CRLF, no final line end, files larger than a block), and
 * the files it leaves to table_load (ragged, not plain CSV). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "scan.h"
#include "t.h"
#include "table.h"

/* The rule: a row kept by its index and its cells (the first cell's first
 * byte, the last cell's length). */
struct rule {
    unsigned every;             /* keep one row in `every` by index */
    size_t next_row;            /* the index expected next (in order) */
    int in_order;               /* every index came in order */
};

static int rule_keeps(const struct rule *r, size_t row, const char *first, size_t last_len)
{
    return row % r->every == 0 || first[0] == 'q' || last_len == 3;
}

static int keep_fields(void *ctx, const struct table *t, size_t row,
                       const struct csvfield *fields)
{
    struct rule *r = ctx;
    r->in_order &= row == r->next_row++;
    char first = fields[0].len ? fields[0].ptr[0] : '\0';
    return rule_keeps(r, row, (char[]){ first, '\0' }, fields[t->columns - 1].len);
}

static void cell(FILE *fp, uint64_t *seed)
{
    static const char *const words[] = { "a", "qux", "1.5", "", "x y", "-3", "abc", "zz" };
    switch (t_random(seed) % 10) {
    case 0:
        fputs("\"with, comma\"", fp);
        break;
    case 1:
        fputs("\"say \"\"hi\"\"\"", fp);
        break;
    case 2:
        fputs("\"two\nlines\"", fp);
        break;
    case 3:
        fprintf(fp, "%llu", (unsigned long long)(t_random(seed) % 100000));
        break;
    default:
        fputs(words[t_random(seed) % 8], fp);
    }
}

/* A random table into path: columns, rows, CRLF or not, blank lines, and
 * the last line end dropped sometimes. */
static void write_table(const char *path, uint64_t *seed, size_t columns, size_t rows)
{
    FILE *fp = fopen(path, "w");
    int crlf = t_random(seed) % 3 == 0;
    for (size_t c = 0; c < columns; c++)
        fprintf(fp, "%sc%zu", c ? "," : "", c);
    fputs(crlf ? "\r\n" : "\n", fp);
    for (size_t r = 0; r < rows; r++) {
        if (t_random(seed) % 50 == 0)
            fputs(crlf ? "\r\n" : "\n", fp);
        for (size_t c = 0; c < columns; c++) {
            if (c)
                fputc(',', fp);
            cell(fp, seed);
        }
        if (r + 1 < rows || t_random(seed) % 2)
            fputs(crlf ? "\r\n" : "\n", fp);
    }
    fclose(fp);
}

/* table_load_rows against table_load filtered: the same rows, cells and
 * lines. @return 1 when equal. */
static int same_as_filtered(const char *path, unsigned every, int *whole)
{
    struct table all, some;
    struct diag diag;
    struct rule rule = { every, 0, 1 };
    if (table_load(&all, path, ',', &diag) != 0)
        return 0;
    if (table_load_rows(&some, path, ',', keep_fields, &rule, &diag) != 0) {
        table_free(&all);
        return 0;
    }
    *whole = some.rows == all.rows;
    int ok = rule.in_order && some.columns == all.columns;
    size_t k = 0;
    for (size_t r = 0; r < all.rows && ok; r++) {
        const char *last = table_cell(&all, r, all.columns - 1);
        if (!rule_keeps(&rule, r, table_cell(&all, r, 0), strlen(last)))
            continue;
        ok = k < some.rows && all.lines[r] == some.lines[k];
        for (size_t c = 0; c < all.columns && ok; c++)
            ok = strcmp(table_cell(&all, r, c), table_cell(&some, k, c)) == 0;
        k++;
    }
    ok = ok && k == some.rows;
    table_free(&all);
    table_free(&some);
    return ok;
}

/* table_find_duplicate against a sort: (key, group, row) sorted, the
 * answer is the least row that is the second of its (key, group), with
 * the first of that pair. */
struct dup_entry {
    const char *key, *group;
    size_t row;
};

static int dup_entry_cmp(const void *a, const void *b)
{
    const struct dup_entry *x = a, *y = b;
    int c = strcmp(x->key, y->key);
    if (c == 0)
        c = strcmp(x->group, y->group);
    return c ? c : (x->row > y->row) - (x->row < y->row);
}

static int dup_by_sort(const struct table *t, long group_col, size_t *first, size_t *second)
{
    struct dup_entry *e = malloc((t->rows ? t->rows : 1) * sizeof *e);
    if (!e)
        abort();
    for (size_t i = 0; i < t->rows; i++)
        e[i] = (struct dup_entry){ table_cell(t, i, 0),
                                   group_col >= 0 ? table_cell(t, i, 1) : "", i };
    qsort(e, t->rows, sizeof *e, dup_entry_cmp);
    int found = 0;
    for (size_t i = 1; i < t->rows; i++)
        if (strcmp(e[i].key, e[i - 1].key) == 0 && strcmp(e[i].group, e[i - 1].group) == 0 &&
            (i < 2 || strcmp(e[i].key, e[i - 2].key) != 0 ||
             strcmp(e[i].group, e[i - 2].group) != 0) &&
            (!found || e[i].row < *second)) {
            *first = e[i - 1].row;
            *second = e[i].row;
            found = 1;
        }
    free(e);
    return found;
}

/* Tables of n rows (n around the set's sizes: 64 slots, and 65,536 slots
 * filled to two thirds), keys drawn from a range that repeats them or not,
 * with and without a group column: the pair table_find_duplicate names is
 * the sort's. */
static void test_find_duplicate(const char *path, uint64_t *seed)
{
    static const size_t sizes[] = { 0, 1, 2, 42, 43, 63, 64, 65, 1000, 43690, 43691, 43700 };
    int same = 1, found_some = 0, unique_some = 0;
    for (size_t c = 0; c < sizeof sizes / sizeof *sizes && same; c++)
        for (int kind = 0; kind < 3 && same; kind++) {
            size_t n = sizes[c];
            FILE *fp = fopen(path, "w");
            if (!fp)
                abort();
            fputs("key,group\n", fp);
            for (size_t i = 0; i < n; i++) {
                /* kind 0: unique keys; 1: one key repeated late; 2: keys of a
                 * range of 3n, repeated in groups of 2 */
                unsigned long long key = kind == 2 ? t_random(seed) % (3 * n + 1) : i * 7919;
                if (kind == 1 && i == n - 1 && n > 1)
                    key = (n / 2) * 7919;
                fprintf(fp, "k%llu,g%llu\n", key, (unsigned long long)(t_random(seed) % 2));
            }
            fclose(fp);
            struct table t;
            struct diag diag;
            if (table_load(&t, path, 0, &diag) != 0)
                abort();
            for (long group = -1; group <= 1 && same; group += 2) {
                size_t f1 = 0, s1 = 0, f2 = 0, s2 = 0;
                int got = table_find_duplicate(&t, 0, group, &f1, &s1);
                int want = dup_by_sort(&t, group, &f2, &s2);
                same = got == want && (!got || (f1 == f2 && s1 == s2));
                found_some += got == 1;
                unique_some += got == 0 && n > 1000;
                if (!same)
                    printf("# %zu rows, kind %d, group %ld: %d (%zu, %zu) against %d (%zu, %zu)\n",
                           n, kind, group, got, f1, s1, want, f2, s2);
            }
            table_free(&t);
        }
    T_CHECK(same && found_some > 10 && unique_some > 2, "table_find_duplicate: the pair a sort "
            "finds (the least second row), or none, on 0 to 43,700 rows, with and without "
            "groups");
}

int main(void)
{
    char path[] = "/tmp/test_table.XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0)
        return 1;
    close(fd);
    uint64_t seed = 21;

    int all_same = 1, some_fewer = 0, whole;
    for (int i = 0; i < 200; i++) {
        size_t columns = 1 + t_random(&seed) % 6, rows = t_random(&seed) % 400;
        write_table(path, &seed, columns, rows);
        if (!same_as_filtered(path, 1 + (unsigned)(t_random(&seed) % 7), &whole)) {
            all_same = 0;
            printf("# table %d differs (%zu columns, %zu rows)\n", i, columns, rows);
            break;
        }
        some_fewer += !whole;
    }
    T_CHECK(all_same, "200 random tables: the rows kept are table_load's, filtered");
    test_find_duplicate(path, &seed);
    T_CHECK(some_fewer > 100, "most of them read with fewer rows (%d)", some_fewer);

    /* larger than the block read at a time (4 MiB): records cut by it */
    write_table(path, &seed, 5, 400000);
    T_CHECK(same_as_filtered(path, 1000, &whole) && !whole,
            "a table of several blocks: the same rows");

    /* left to table_load: its whole table, or its message */
    struct table t;
    struct diag diag, whole_diag;
    struct rule none = { 1000000, 0, 1 };
    FILE *fp = fopen(path, "w");
    fputs("a,b\n1,2\nx\"y,3\n4,5\n", fp);        /* a stray quote: libcsv reads it */
    fclose(fp);
    struct table full;
    int rc = table_load_rows(&t, path, ',', keep_fields, &none, &diag);
    int whole_rc = table_load(&full, path, ',', &whole_diag);
    T_CHECK(rc == whole_rc && (rc != 0 || (t.rows == full.rows && t.rows == 3))
            && (rc == 0 || strcmp(diag.message, whole_diag.message) == 0),
            "not plain CSV: table_load's table or message (%d, %zu rows)", rc, t.rows);
    table_free(&t);
    table_free(&full);
    fp = fopen(path, "w");
    fputs("a,b\n1,2\n3\n4,5\n", fp);
    fclose(fp);
    rc = table_load_rows(&t, path, ',', keep_fields, &none, &diag);
    whole_rc = table_load(&t, path, ',', &whole_diag);
    T_CHECK(rc == -1 && whole_rc == -1 && strcmp(diag.message, whole_diag.message) == 0,
            "a ragged row: table_load's message (%s)", diag.message);
    unlink(path);
    T_DONE();
}
