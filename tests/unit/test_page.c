/* Unit tests of page_csv_copy's neutral copy (lib/page_derive.c): on seeded
 * random tables mixing plain rows, rows with a cell to neutralise, numbers
 * that look like one, quoted cells, blank lines and CRLF, the copy is the
 * rule written out here: a row with a cell to neutralise or a CR written
 * cell by cell (each row read back by table_load), any other row as this
 * test wrote it, its quotes, needed or not, kept. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "page.h"
#include "t.h"
#include "table.h"

/* [-+]?(D+.?D*|.D+)([eE][-+]?D+)?: a number a spreadsheet reads as one */
static int number_like(const char *s)
{
    size_t i = s[0] == '-' || s[0] == '+', digits = 0;
    while (s[i] >= '0' && s[i] <= '9')
        i++, digits++;
    if (s[i] == '.')
        for (i++; s[i] >= '0' && s[i] <= '9'; i++)
            digits++;
    if (digits == 0)
        return 0;
    if (s[i] == 'e' || s[i] == 'E') {
        size_t e = 0;
        i++;
        i += s[i] == '-' || s[i] == '+';
        while (s[i] >= '0' && s[i] <= '9')
            i++, e++;
        if (e == 0)
            return 0;
    }
    return s[i] == '\0';
}

/* Is s a cell the neutral copy changes, by the rule of page.h? */
static int risky(const char *s)
{
    return s[0] && strchr("=+-@\t\r", s[0]) && strcmp(s, "-") != 0 && strcmp(s, "+") != 0
           && !number_like(s);
}

/* One cell of the neutral copy written cell by cell, by the rule of page.h. */
static void expected_cell(FILE *out, const char *s)
{
    if (!risky(s) && !strpbrk(s, ",\"\r\n")) {
        fputs(s, out);
        return;
    }
    fputs(risky(s) ? "\"'" : "\"", out);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', out);
        fputc(*s, out);
    }
    fputc('"', out);
}

/* The table, and each row's bytes as written (its line end left out) in
 * raw[r], blank lines not counted (nor a row of one empty cell, which
 * is one): the caller frees them. @return the
 * rows ended by a CR LF (all, or all but the last, left without a line
 * end), or 0: LF line ends. */
static size_t write_table(const char *path, uint64_t *seed, size_t columns, size_t rows,
                          char **raw)
{
    size_t cr_rows = 0, kept = 0;
    static const char *const cells[] = {
        "c1", "10", "-1.5e3", "=1+1", "-", "+", "-x", "@x", "+5", "", "\"a,\"\"b\"\"\"",
        "\"=q\"", "x y", "\"two\nlines\"", ".5", "-.5e", "1e+07", "\"\tx\"", "A", "0.25",
        "\"quoted, as needed\"", "\"quoted without need\"", "\"\"\"\"", "\"\"",
    };
    FILE *fp = fopen(path, "w");
    int crlf = t_random(seed) % 3 == 0;
    for (size_t c = 0; c < columns; c++)
        fprintf(fp, "%sh%zu", c ? "," : "", c);
    fputs(crlf ? "\r\n" : "\n", fp);
    for (size_t r = 0; r < rows; r++) {
        if (t_random(seed) % 40 == 0)
            fputs(crlf ? "\r\n" : "\n", fp);
        int plain = t_random(seed) % 2;     /* half the rows from the plain cells alone */
        char row[512];
        size_t len = 0;
        for (size_t c = 0; c < columns; c++) {
            size_t k = t_random(seed) % (sizeof cells / sizeof cells[0]);
            if (plain && !(k == 0 || k == 1 || k == 2 || k == 18 || k == 19))
                k = 1;
            len += (size_t)snprintf(row + len, sizeof row - len, "%s%s", c ? "," : "",
                                    cells[k]);
        }
        fputs(row, fp);
        int ended = r + 1 < rows || t_random(seed) % 2;
        if (len > 0) {              /* one empty cell: a blank line, no row */
            raw[kept++] = strdup(row);
            cr_rows += crlf && ended;
        }
        if (ended)
            fputs(crlf ? "\r\n" : "\n", fp);
    }
    fclose(fp);
    return cr_rows;
}

/* The file's bytes into a new string (*len of them). */
static char *slurp(FILE *fp, size_t *len)
{
    fseek(fp, 0, SEEK_END);
    long n = ftell(fp);
    rewind(fp);
    char *text = malloc((size_t)n + 1);
    *len = fread(text, 1, (size_t)n, fp);
    text[*len] = '\0';
    return text;
}

/* page_csv_copy_changed on path against the copy's bytes (copy, n): the
 * same bytes when it wrote, the file's own bytes when it did not. */
static int changed_as_copy(const char *path, const char *copy, size_t n, int *written,
                           int *unwritten)
{
    struct diag diag;
    FILE *lazy = tmpfile(), *in = fopen(path, "rb");
    int rc = lazy && in ? page_csv_copy_changed(lazy, path, 1, &diag) : -1;
    fflush(lazy);
    size_t lazy_len = 0, in_len = 0;
    char *l = lazy ? slurp(lazy, &lazy_len) : NULL, *f = in ? slurp(in, &in_len) : NULL;
    int ok = rc == 1 ? lazy_len == n && memcmp(l, copy, n) == 0
           : rc == 0 ? lazy_len == 0 && in_len == n && memcmp(f, copy, n) == 0 : 0;
    *written += rc == 1;
    *unwritten += rc == 0;
    free(l);
    free(f);
    if (lazy)
        fclose(lazy);
    if (in)
        fclose(in);
    return ok;
}

/* A table of plain rows (no cell to change, written as the copy writes
 * them), with one row to change at row `at` (none past the end): at least
 * `bytes` long. */
static void write_plain(const char *path, size_t bytes, size_t at, const char *changed)
{
    FILE *fp = fopen(path, "w");
    fputs("customer,label,value\n", fp);
    size_t n = 21;
    for (size_t r = 0; n < bytes || (at != (size_t)-1 && r <= at); r++) {
        int k = r == at ? fprintf(fp, "%s\n", changed)
                        : fprintf(fp, "C%zu,\"a, b\",-%zu.5\n", r, r % 97);
        n += (size_t)k;
    }
    fclose(fp);
}

int main(void)
{
    char path[] = "/tmp/test_page.XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0)
        return 1;
    close(fd);
    uint64_t seed = 17;
    int same = 1, written = 0, unwritten = 0;
    for (int i = 0; i < 300 && same; i++) {
        size_t columns = 1 + t_random(&seed) % 5, rows = t_random(&seed) % 300;
        if (i == 299)
            rows = 200000;          /* over the reader's block */
        char **raw = calloc(rows + 1, sizeof *raw);
        size_t cr_rows = write_table(path, &seed, columns, rows, raw);
        struct table t;
        struct diag diag;
        FILE *got = tmpfile(), *want = tmpfile();
        if (!got || !want || table_load(&t, path, ',', &diag) != 0
            || page_csv_copy(got, path, 1, &diag) != 0) {
            same = 0;
            printf("# table %d: not read\n", i);
            break;
        }
        for (size_t c = 0; c < t.columns; c++) {
            if (c)
                fputc(',', want);
            expected_cell(want, t.header[c]);
        }
        fputc('\n', want);
        for (size_t r = 0; r < t.rows; r++) {
            int as_written = r >= cr_rows && raw[r];
            for (size_t c = 0; c < t.columns && as_written; c++)
                as_written = !risky(table_cell(&t, r, c));
            for (size_t c = 0; c < t.columns && !as_written; c++) {
                if (c)
                    fputc(',', want);
                expected_cell(want, table_cell(&t, r, c));
            }
            if (as_written)
                fputs(raw[r], want);
            fputc('\n', want);
        }
        for (size_t r = 0; r < rows && raw[r]; r++)
            free(raw[r]);
        free(raw);
        size_t got_len, want_len;
        char *g = slurp(got, &got_len), *w = slurp(want, &want_len);
        same = got_len == want_len && memcmp(g, w, got_len) == 0;
        if (!same) {
            size_t at = 0;
            while (at < got_len && at < want_len && g[at] == w[at])
                at++;
            printf("# table %d (%zu columns, %zu rows): the copy differs at byte %zu\n", i,
                   columns, rows, at);
            printf("# got:  %.40s\n# want: %.40s\n", g + (at > 20 ? at - 20 : 0),
                   w + (at > 20 ? at - 20 : 0));
        }
        if (same && !changed_as_copy(path, g, got_len, &written, &unwritten)) {
            same = 0;
            printf("# table %d: --if-changed's copy differs\n", i);
        }
        free(g);
        free(w);
        fclose(got);
        fclose(want);
        table_free(&t);
    }
    T_CHECK(same, "300 random tables: the neutral copy is the rule");
    T_CHECK(same && written > 0 && unwritten > 0,
            "... --if-changed: the same copy when written, else the file's bytes");
    /* plain rows, one row to change here or there (past the reader's and
     * the copy's blocks of 1 MiB too), or none */
    static const char *const changed[] = { "=x,y,1", "C1,\"a, b\",-", "C1,\"a,b\",1",
                                           "C1,a b,\"1\"", "C1,@y,-1e3", "C1,\tq,2" };
    int plain_same = 1;
    written = unwritten = 0;
    for (int i = 0; i < 40 && plain_same; i++) {
        size_t bytes = i % 10 == 9 ? (size_t)3 << 20 : t_random(&seed) % 200000;
        size_t at = t_random(&seed) % 3 == 0 ? (size_t)-1
                  : i % 10 == 9 ? 90000 + t_random(&seed) % 40000 : t_random(&seed) % 5000;
        write_plain(path, bytes, at, changed[i % 6]);
        FILE *got = tmpfile();
        struct diag diag;
        if (!got || page_csv_copy(got, path, 1, &diag) != 0) {
            plain_same = 0;
            break;
        }
        size_t got_len;
        char *g = slurp(got, &got_len);
        if (!changed_as_copy(path, g, got_len, &written, &unwritten)) {
            plain_same = 0;
            printf("# plain table %d (%zu bytes, row %zu changed): --if-changed differs\n", i,
                   bytes, at);
        }
        free(g);
        fclose(got);
    }
    T_CHECK(plain_same && written > 0 && unwritten > 0,
            "40 plain tables, a row to change or none: --if-changed as the copy");
    unlink(path);
    T_DONE();
}
