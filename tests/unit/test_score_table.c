/* score_table: cl-score's tables from a small roll-up whose quintiles and
 * segments are worked out by hand: ten clients in pairs, recency 1..10
 * days, orders 10..1, revenue 10.25 × (orders); an eleventh whose revenue
 * is not a number is left out and its problem worded. The segment totals
 * expected are summed here from the hand figures. */
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

#include "buf.h"
#include "csvout.h"
#include "parse.h"
#include "score_table.h"
#include "t.h"

static char path[64];

static void write_file(const char *text)
{
    strcpy(path, "/tmp/test_score_table.XXXXXX");
    int fd = mkstemp(path);
    if (fd < 0 || write(fd, text, strlen(text)) != (ssize_t)strlen(text))
        abort();
    close(fd);
}

/* The line of `text` starting with `key` and a comma, or "". */
static const char *line_of(const char *text, const char *key, char *out, size_t size)
{
    size_t klen = strlen(key);
    out[0] = '\0';
    for (const char *p = text; *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : p + strlen(p)) {
        if (strncmp(p, key, klen) == 0 && p[klen] == ',') {
            size_t len = strcspn(p, "\n");
            if (len >= size)
                len = size - 1;
            memcpy(out, p, len);
            out[len] = '\0';
            break;
        }
    }
    return out;
}

/* The scored rows of a large table to a FILE (two threads formatting
 * blocks of rows by turns) and to memory (one writer): the same bytes, with
 * rows left out (a revenue that is not a number every 11th row), in ','
 * and in ';' (decimal commas: every cell written on its own). */
static void test_rows_parallel(void)
{
    enum { N = 150000 };
    struct diag diag;
    strcpy(path, "/tmp/test_score_rows.XXXXXX");
    int fd = mkstemp(path);
    FILE *fp = fd >= 0 ? fdopen(fd, "w") : NULL;
    if (!fp)
        abort();
    fputs("id,recency_days,orders,revenue,note\n", fp);
    for (int i = 0; i < N; i++) {
        if (i % 11 == 5)
            fprintf(fp, "k%d,%d,%d,n/a,x\n", i, i % 700, 1 + i % 13);
        else
            fprintf(fp, "k%d,%d,%d,%d.%02d,%s\n", i, i % 700, 1 + i % 13, i % 5000, i % 100,
                    i % 9 ? "x" : "\"a, b\"");
    }
    fclose(fp);
    struct table t;
    int ok = table_load(&t, path, 0, &diag) == 0;
    unlink(path);
    long cols[3] = { 1, 2, 3 };
    struct score_table s;
    ok = ok && score_table_init(&s, &t, NULL, cols, 3, &diag) == 0 &&
         score_table_read(&s, &diag) == 0 && score_table_compute(&s, SCORE_RANK, &diag) == 0;
    for (int semicolon = 0; semicolon <= 1 && ok; semicolon++) {
        FILE *file = tmpfile();
        struct buf mem;
        buf_init(&mem, 0);
        struct csvout to_file, to_mem;
        if (!file)
            abort();
        csvout_init(&to_file, file, 0);
        if (semicolon)
            csvout_set_delimiter(&to_file, ';');
        csvout_init_mem(&to_mem, &mem, &to_file);
        ok = score_table_write(&s, &to_file, &diag) == 0 &&
             score_table_write(&s, &to_mem, &diag) == 0 && !mem.failed;
        long size = ftell(file);
        char *bytes = malloc((size_t)size + 1);
        rewind(file);
        ok = ok && bytes && size > 0 && (size_t)size == mem.len &&
             fread(bytes, 1, (size_t)size, file) == (size_t)size &&
             memcmp(bytes, mem.data, mem.len) == 0;
        if (!ok)
            printf("# ';' %d: %ld bytes to the file, %zu to memory\n", semicolon, size, mem.len);
        free(bytes);
        fclose(file);
        buf_free(&mem);
    }
    T_CHECK(ok, "150000 scored rows (some left out) to a FILE by two threads are the bytes of "
            "one writer to memory, in ',' and ';'");
    score_table_free(&s);
    table_free(&t);
}

/* A score of the table at path on cols[0..count) (grid NULL: RFM), read
 * and ranked on `threads` threads: 0 done, -1 failed (diag). */
static int score_with(struct score_table *s, const struct table *t,
                      const struct score_grid *grid, const long *cols, size_t count,
                      enum score_normalize method, int threads, struct diag *diag)
{
    if (score_table_init(s, t, grid, cols, count, diag) != 0)
        return -1;
    s->threads = threads;
    if (score_table_read(s, diag) != 0)
        return -1;
    return score_table_compute(s, method, diag);
}

/* The criteria read and ranked on two threads (the odd ones on the
 * second) give what one thread gives: on a seeded table of 20,000 rows
 * with many ties and cells that are not numbers, RFM (3 criteria) and a
 * grid of 4 (two each), rank and minmax; and the error of two failing
 * columns is the first one's, as in sequence. */
static void test_criteria_threads(void)
{
    enum { N = 20000 };
    struct diag diag;
    strcpy(path, "/tmp/test_score_crit.XXXXXX");
    int fd = mkstemp(path);
    FILE *fp = fd >= 0 ? fdopen(fd, "w") : NULL;
    if (!fp)
        abort();
    fputs("id,recency_days,orders,revenue,margin,bad1,bad2\n", fp);
    uint64_t st = 0x2545F4914F6CDD1Dull;
    for (int i = 0; i < N; i++) {
        st ^= st << 13;
        st ^= st >> 7;
        st ^= st << 17;
        int x = (int)(st % 1000);
        if (x == 7)
            fprintf(fp, "k%d,%d,%d,x,1,1.5,1.5\n", i, i % 40, 1 + (int)(st >> 20) % 9);
        else
            fprintf(fp, "k%d,%d,%d,%d.%02d,%d.5,%s,%s\n", i, (int)(st >> 10) % 400,
                    1 + (int)(st >> 20) % 9, x % 300, (int)(st >> 30) % 100,
                    (int)(st >> 40) % 50 - 10,
                    i == 500 ? "\"1,234.5\"" : i == 650 ? "\"1.234,5\"" : "2",
                    i == 600 ? "\"1.234,5\"" : i == 700 ? "\"1,234.5\"" : "3");
    }
    fclose(fp);
    struct table t;
    int ok = table_load(&t, path, 0, &diag) == 0;
    unlink(path);
    T_CHECK(ok, "criteria: load the table");
    if (!ok)
        return;
    struct score_grid grid;
    ok = score_grid_parse(&grid, "recency_days=-1,orders=2,revenue=3,margin=-4", &diag) == 0;
    long rfm_cols[3] = { 1, 2, 3 }, grid_cols[4] = { 1, 2, 3, 4 };
    int same = ok, cases = 0;
    for (int c = 0; c < 3 && same; c++) {
        const struct score_grid *g = c ? &grid : NULL;
        enum score_normalize method = c == 2 ? SCORE_MINMAX : SCORE_RANK;
        size_t count = g ? 4 : 3;
        struct score_table one, two;
        struct diag d1, d2;
        same = score_with(&one, &t, g, g ? grid_cols : rfm_cols, count, method, 1, &d1) == 0 &&
               score_with(&two, &t, g, g ? grid_cols : rfm_cols, count, method, 0, &d2) == 0 &&
               one.n == two.n && one.n > N / 2 && one.n < N &&
               memcmp(one.usable, two.usable, t.rows) == 0;
        for (size_t k = 0; k < count && same; k++)
            same = one.values[k].exact == two.values[k].exact &&
                   memcmp(one.values[k].value, two.values[k].value, t.rows * sizeof(double)) == 0;
        if (same && g)
            same = memcmp(one.normalized, two.normalized, one.n * count * sizeof(double)) == 0;
        else if (same)
            same = memcmp(one.quintile, two.quintile, one.n * count) == 0;
        cases += same;
        score_table_free(&one);
        score_table_free(&two);
    }
    T_CHECK(same && cases == 3, "criteria on two threads: the values, usable rows, quintiles "
            "(RFM) and normalized values (4 criteria, rank and minmax) of one thread");
    /* criteria 1 (the second thread's) and 2 fail: criterion 1's error */
    struct score_grid bad;
    long bad_cols[3] = { 1, 5, 6 };
    char msg[2][DIAG_MAX];
    int failed = score_grid_parse(&bad, "recency_days=1,bad1=1,bad2=1", &diag) == 0;
    for (int threads = 0; threads <= 1 && failed; threads++) {
        struct score_table s;
        struct diag d = { "" };
        failed = score_with(&s, &t, &bad, bad_cols, 3, SCORE_RANK, threads ? 1 : 0, &d) != 0;
        snprintf(msg[threads], sizeof msg[threads], "%s", d.message);
        score_table_free(&s);
    }
    T_CHECK(failed && strcmp(msg[0], msg[1]) == 0 && strstr(msg[0], ":652:") &&
            strstr(msg[0], "bad1"), "criteria on two threads: of two columns that fail, the "
            "first one's error, as on one thread");
    if (!failed || !strstr(msg[0], ":652:"))
        printf("# %s\n# %s\n", msg[0], msg[1]);
    score_grid_free(&bad);
    score_grid_free(&grid);
    table_free(&t);
}

int main(void)
{
    test_rows_parallel();
    test_criteria_threads();
    struct diag diag;
    char text[2048] = "id,recency_days,orders,revenue\n";
    for (int i = 1; i <= 10; i++) {
        char row[64];
        snprintf(row, sizeof row, "c%02d,%d,%d,%.2f\n", i, i, 11 - i, 10.25 * (11 - i));
        strcat(text, row);
    }
    strcat(text, "c11,3,3,abc\n");
    write_file(text);
    struct table t;
    if (table_load(&t, path, 0, &diag) != 0) {
        printf("not ok - load: %s\n", diag.message);
        return 1;
    }
    long cols[3] = { 1, 2, 3 };
    struct score_table s;
    T_CHECK(score_table_init(&s, &t, NULL, cols, 3, &diag) == 0 && s.added_count == 5 &&
            strcmp(s.added[4], "segment") == 0, "rfm: five columns added, segment last");
    T_CHECK(score_table_read(&s, &diag) == 0 && s.n == 10 && !s.usable[10] && s.usable[0],
            "rfm: ten usable rows, the eleventh left out");
    char problem[200];
    T_STR(score_table_problem(&s, 10, problem, sizeof problem),
          "revenue \"abc\" is not a number", "rfm: the row's problem worded");
    T_CHECK(score_table_compute(&s, SCORE_RANK, &diag) == 0, "rfm: quintiles computed");

    struct buf mem, seg_mem;
    buf_init(&mem, 0);
    buf_init(&seg_mem, 0);
    struct csvout like, out, seg_out;
    csvout_init(&like, stdout, 0);
    csvout_init_mem(&out, &mem, &like);
    csvout_init_mem(&seg_out, &seg_mem, &like);
    T_CHECK(score_table_write(&s, &out, &diag) == 0 && !mem.failed, "rfm: rows written");
    char line[256];
    T_STR(line_of(mem.data, "id", line, sizeof line),
          "id,recency_days,orders,revenue,r,f,m,rfm,segment", "rfm: the header");
    /* pairs: clients 1-2 are 555, 3-4 444, 5-6 333, 7-8 222, 9-10 111 */
    T_STR(line_of(mem.data, "c02", line, sizeof line), "c02,2,9,92.25,5,5,5,555,champions",
          "rfm: client 2 a champion");
    T_STR(line_of(mem.data, "c04", line, sizeof line), "c04,4,7,71.75,4,4,4,444,loyal",
          "rfm: client 4 loyal");
    T_STR(line_of(mem.data, "c05", line, sizeof line),
          "c05,5,6,61.50,3,3,3,333,need attention", "rfm: client 5 needs attention");
    T_STR(line_of(mem.data, "c10", line, sizeof line), "c10,10,1,10.25,1,1,1,111,lost",
          "rfm: client 10 lost");
    T_STR(line_of(mem.data, "c11", line, sizeof line), "", "rfm: client 11 not written");

    T_CHECK(score_table_segments(&s, &seg_out, &diag) == 0, "segments written");
    T_STR(line_of(seg_mem.data, "segment", line, sizeof line),
          "segment,clients,clients_share,revenue,revenue_share,recency_days_mean,orders_mean",
          "segments: the header");
    /* champions: clients 1 and 2, revenue 10.25 × (10 + 9) of 10.25 × 55 */
    char share[32], want[256];
    snprintf(want, sizeof want, "champions,2,0.2,194.75,%s,1.5,9.5",
             format_double(194.75 / 563.75, '.', share));
    T_STR(line_of(seg_mem.data, "champions", line, sizeof line), want,
          "segments: champions summed from the hand figures");
    snprintf(want, sizeof want, "lost,2,0.2,30.75,%s,9.5,1.5",
             format_double(30.75 / 563.75, '.', share));
    T_STR(line_of(seg_mem.data, "lost", line, sizeof line), want, "segments: lost");
    T_STR(line_of(seg_mem.data, "at risk", line, sizeof line), "",
          "segments: an empty segment is not written");

    buf_free(&mem);
    buf_free(&seg_mem);
    score_table_free(&s);

    /* a column the score would add, already in the input */
    unlink(path);
    write_file("id,recency_days,orders,revenue,segment\na,1,1,1,x\n");
    struct table t2;
    T_CHECK(table_load(&t2, path, 0, &diag) == 0 &&
            score_table_init(&s, &t2, NULL, cols, 3, &diag) == -1 &&
            strstr(diag.message, "the input has a column \"segment\" already") != NULL,
            "rfm: a column named segment in the input is an error (%s)", diag.message);
    score_table_free(&s);
    table_free(&t2);
    table_free(&t);
    unlink(path);
    T_DONE();
}
