/* test_csvrange.c — the parallel range reader (csvrange.h) and the table
 * loaded through it: at 1 to 4 threads (and more ranges than lines), the
 * same table as the sequential read, cell by cell with each row's line,
 * and the same message for a malformed file, whatever the cut falls on
 * (a quoted field spanning lines, CRLF, blank lines, no final line end). */
#include "t.h"

#include "buf.h"
#include "csvrange.h"
#include "table.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char path[64];
static long ranges_used;    /* by the last table read in ranges (0: read in sequence) */

static void write_file(const char *bytes, size_t len)
{
    strcpy(path, "/tmp/test_csvrange.XXXXXX");
    int fd = mkstemp(path);
    if (fd < 0 || write(fd, bytes, len) != (ssize_t)len) {
        printf("not ok - cannot write %s\n", path);
        exit(1);
    }
    close(fd);
}

/* The table at `threads` ranges against the sequential read: the same
 * result, message, header, cells and lines. @return 1 when alike. */
static int same_as_sequential(long threads, const char *what)
{
    struct table seq, par;
    struct diag d1, d2;
    d1.message[0] = d2.message[0] = '\0';
    int r1 = table_load_threads(&seq, path, 0, TABLE_SEQUENTIAL, &d1);
    int r2 = table_load_threads(&par, path, 0, threads, &d2);
    int same = r1 == r2 && strcmp(d1.message, d2.message) == 0;
    ranges_used = r2 == 0 ? par.ranges : 0;
    if (same && r1 == 0) {
        same = seq.rows == par.rows && seq.columns == par.columns && seq.delim == par.delim;
        for (size_t c = 0; same && c < seq.columns; c++)
            same = strcmp(seq.header[c], par.header[c]) == 0;
        for (size_t r = 0; same && r < seq.rows; r++) {
            same = seq.lines[r] == par.lines[r];
            for (size_t c = 0; same && c < seq.columns; c++)
                same = strcmp(table_cell(&seq, r, c), table_cell(&par, r, c)) == 0;
        }
    }
    if (!same)
        printf("# %s, %ld threads: %d \"%s\" against %d \"%s\"\n", what, threads, r1, d1.message,
               r2, d2.message);
    if (r1 == 0)
        table_free(&seq);
    if (r2 == 0)
        table_free(&par);
    return same;
}

/* in_ranges: 1 the reads at 1 to 4 threads must have been done in ranges;
 * 0 they fell back to the sequential read (a malformed line); 2 only the
 * one at one thread did (a cut inside quotes at two or more); 3 the one
 * at one thread did, the others may (a cut may fall inside quotes). */
static void check_all(const char *what, int want_ok, int in_ranges)
{
    int same = 1, ranged = 1;
    for (long threads = 1; threads <= 4; threads++) {
        same &= same_as_sequential(threads, what);
        long want = in_ranges == 1 || (in_ranges >= 2 && threads == 1) ? threads : 0;
        ranged &= ranges_used == want || (in_ranges == 3 && threads > 1);
    }
    T_CHECK(ranged, "%s: read %s", what,
            in_ranges == 1   ? "in ranges"
            : in_ranges == 2 ? "in one range, else in sequence"
            : in_ranges == 3 ? "in one range, in more where no cut fell inside quotes"
                             : "in sequence, after the ranges");
    same &= same_as_sequential(9, what);        /* more ranges than some lines: empty ones */
    struct table t;
    struct diag d;
    int ok = table_load(&t, path, 0, &d) == 0;
    if (ok)
        table_free(&t);
    T_CHECK(same && ok == want_ok, "%s: 1 to 4 and 9 ranges read as in sequence (%s)", what,
            want_ok ? "a table" : d.message);
    unlink(path);
}

/* Rows of three cells: an id, a quoted text with the delimiter and a
 * doubled quote (or, multiline, a line end) every few rows, a number. */
static void rows(struct buf *b, int n, const char *eol, int from, int multiline)
{
    for (int i = from; i < from + n; i++) {
        char line[160];
        if (i % 7 == 3)
            snprintf(line, sizeof line, "c%d,\"a, \"\"quoted\"\" one\",%d.5%s", i, i, eol);
        else if (i % 11 == 5 && multiline)
            snprintf(line, sizeof line, "c%d,\"two%slines\",%d%s", i, eol, i, eol);
        else
            snprintf(line, sizeof line, "c%d,plain %d,%d%s", i, i, i, eol);
        buf_add(b, line, strlen(line));
    }
}

/* Count the records of a range and check each reaches its sink. */
struct count {
    long records;
    long last_line;
};
static int count_record(struct csvrange_part *part, const struct scan_record *rec, char *record,
                        size_t len, long line)
{
    (void)rec, (void)record, (void)len;
    struct count *c = part->sink;
    c->records++;
    c->last_line = line;
    return 0;
}

/* csvrange_read itself on the file at path after its header line:
 * @return its result, with the records counted into *records. */
static int read_ranges(long n, long *records)
{
    int fd = open(path, O_RDONLY);
    struct stat st;
    fstat(fd, &st);
    char first[4096];
    ssize_t got = pread(fd, first, sizeof first, 0);
    long long data = (char *)memchr(first, '\n', (size_t)got) - first + 1;
    char *buf = malloc((size_t)(st.st_size - data) + 1);
    struct csvrange_part parts[64];
    struct count counts[64] = { { 0, 0 } };
    for (long i = 0; i < n; i++)
        parts[i].sink = &counts[i];
    int rc = csvrange_read(fd, data, st.st_size, csvrange_line_at(fd, data), buf, ',', n,
                           parts, NULL, NULL, count_record);
    *records = 0;
    for (long i = 0; i < n; i++)
        *records += counts[i].records;
    free(buf);
    close(fd);
    return rc;
}

/* csvrange_count and csvrange_count_two (AVX2 where the processor has it,
 * else SSE2; and the SSE2 path itself) against a byte loop: seeded random
 * buffers of 0 to 9,000 bytes at every start offset modulo 32, mostly
 * quotes and line ends (more than 255 of one byte in a lane's run, where a
 * counter byte would wrap), with NULs and bytes over 0x7f. */
static void check_counts(void)
{
    static char bytes[9100];
    uint64_t seed = 21;
    const char alphabet[] = { '"', '\n', 'a', ',', '\0', (char)0xe9, '\r', (char)0xff };
    int all = 1;
    long checked = 0;
    for (int round = 0; round < 400 && all; round++) {
        size_t len = (size_t)(t_random(&seed) % 9001);
        size_t off = (size_t)round % 32;
        int kinds = 1 + (int)(t_random(&seed) % 8);     /* 1: one byte throughout */
        for (size_t i = 0; i < len; i++)
            bytes[off + i] = alphabet[t_random(&seed) % (uint64_t)kinds];
        const char *p = bytes + off;
        for (int x = 0; x < 8 && all; x++) {
            char a = alphabet[x], b = alphabet[(x + 1) % 8];
            long long want_a = 0, want_b = 0;
            for (size_t i = 0; i < len; i++) {
                want_a += p[i] == a;
                want_b += p[i] == b;
            }
            long long got_b = -1, gen_b = -1;
            long long got_a = csvrange_count_two(p, len, a, b, &got_b);
            long long gen_a = csvrange_count_two_generic(p, len, a, b, &gen_b);
            all = got_a == want_a && got_b == want_b && gen_a == want_a && gen_b == want_b &&
                  csvrange_count(p, len, a) == want_a &&
                  csvrange_count_two(p, len, b, a, NULL) == want_b &&
                  csvrange_count_two_generic(p, len, b, a, NULL) == want_b;
            if (!all)
                printf("# round %d, %zu bytes at +%zu, byte %d: %lld %lld %lld %lld, want "
                       "%lld %lld\n", round, len, off, x, got_a, got_b, gen_a, gen_b, want_a,
                       want_b);
            checked++;
        }
    }
    T_CHECK(all, "csvrange_count_two: %ld counts of two bytes like a byte loop", checked);
}

int main(void)
{
    struct buf b;
    buf_init(&b, 0);

    check_counts();

    /* plain LF rows, quoted cells (delimiter, doubled quote, line end) */
    buf_add(&b, "id,text,value\n", 14);
    rows(&b, 3000, "\n", 0, 1);
    write_file(b.data, b.len);
    long records = 0;
    int all = 1;
    for (long n = 1; n <= 4; n++)
        all &= read_ranges(n, &records) == 1 && records == 3000;
    T_CHECK(all, "csvrange_read: 3000 records in 1 to 4 ranges, each range to its end");
    struct table t;
    struct diag d;
    int ok = table_load_threads(&t, path, 0, 3, &d) == 0;
    T_CHECK(ok && t.rows == 3000 && t.ranges == 3 &&
            strcmp(table_cell(&t, 3, 1), "a, \"quoted\" one") == 0 &&
            strcmp(table_cell(&t, 3, 2), "3.5") == 0 &&
            strcmp(table_cell(&t, 5, 1), "two\nlines") == 0 && t.lines[5] == 7 &&
            t.lines[6] == 9 && strcmp(table_cell(&t, 2999, 0), "c2999") == 0 &&
            strcmp(t.header[2], "value") == 0,
            "three ranges: the cells and lines written in the file");
    if (ok)
        table_free(&t);
    check_all("LF rows with quoted cells, some of two lines", 1, 3);

    buf_reset(&b);
    buf_add(&b, "id,text,value\n", 14);
    rows(&b, 3000, "\n", 0, 0);
    write_file(b.data, b.len);
    check_all("LF rows with quoted cells", 1, 1);

    /* CRLF line ends */
    buf_reset(&b);
    buf_add(&b, "id,text,value\r\n", 15);
    rows(&b, 3000, "\r\n", 0, 0);
    write_file(b.data, b.len);
    check_all("CRLF rows", 1, 1);
    buf_reset(&b);
    buf_add(&b, "id,text,value\r\n", 15);
    rows(&b, 3000, "\r\n", 0, 1);
    write_file(b.data, b.len);
    check_all("CRLF rows, some of two lines", 1, 3);

    /* no line end after the last record, a quoted cell last */
    buf_reset(&b);
    buf_add(&b, "id,text,value\n", 14);
    rows(&b, 2000, "\n", 0, 0);
    buf_add(&b, "last,x,\"9\"", 10);
    write_file(b.data, b.len);
    check_all("no final line end", 1, 1);

    /* a quoted field of many lines across the middle: each cut inside it */
    buf_reset(&b);
    buf_add(&b, "id,text,value\n", 14);
    rows(&b, 500, "\n", 0, 1);
    buf_add(&b, "long,\"", 6);
    for (int i = 0; i < 4000; i++)
        buf_add(&b, "inside, quotes\n", 15);
    buf_add(&b, "end\",1\n", 7);
    rows(&b, 500, "\n", 500, 1);
    write_file(b.data, b.len);
    T_CHECK(read_ranges(2, &records) == 0 && read_ranges(4, &records) == 0 &&
            read_ranges(1, &records) == 1 && records == 1001,
            "csvrange_read: a cut inside quotes fails the read (one range reads it)");
    check_all("a cut inside a quoted field", 1, 2);

    /* blank lines here and there, at the end too */
    buf_reset(&b);
    buf_add(&b, "id,text,value\n", 14);
    for (int k = 0; k < 6; k++) {
        rows(&b, 400, "\n", k * 400, 0);
        buf_add(&b, "\n\n\r\n", 4);
    }
    write_file(b.data, b.len);
    check_all("blank lines", 1, 1);

    /* a ragged row late in the file, another later: the first is named */
    buf_reset(&b);
    buf_add(&b, "id,text,value\n", 14);
    rows(&b, 2500, "\n", 0, 1);
    buf_add(&b, "short,row\n", 10);
    rows(&b, 200, "\n", 2500, 1);
    buf_add(&b, "a,b,c,d\n", 8);
    rows(&b, 200, "\n", 2700, 1);
    write_file(b.data, b.len);
    check_all("a ragged row", 0, 0);

    /* a ragged row early, one late: the early one is named */
    buf_reset(&b);
    buf_add(&b, "id,text,value\n", 14);
    rows(&b, 20, "\n", 0, 1);
    buf_add(&b, "a,b,c,d\n", 8);
    rows(&b, 3000, "\n", 20, 1);
    buf_add(&b, "short,row\n", 10);
    write_file(b.data, b.len);
    check_all("two ragged rows", 0, 0);

    /* a stray quote the scanner refuses: libcsv's message */
    buf_reset(&b);
    buf_add(&b, "id,text,value\n", 14);
    rows(&b, 2000, "\n", 0, 1);
    buf_add(&b, "x,a\"b,1\n", 8);
    rows(&b, 1000, "\n", 2000, 1);
    write_file(b.data, b.len);
    check_all("a stray quote", 0, 0);

    /* a lone CR in a quoted cell (a line end for csvin) */
    buf_reset(&b);
    buf_add(&b, "id,text,value\n", 14);
    rows(&b, 2000, "\n", 0, 1);
    buf_add(&b, "x,\"a\rb\",1\n", 10);
    rows(&b, 1000, "\n", 2000, 1);
    write_file(b.data, b.len);
    check_all("a lone CR", 1, 0);

    /* a header ended by a lone CR (a line end for csvin): the rows after it
     * numbered from line 2 in ranges as in sequence, and with the header's
     * end on the 64 KiB chunk boundary of csvrange_line_at (a lone CR, then
     * a CRLF split across it) */
    buf_reset(&b);
    buf_add(&b, "id,text,value\r", 14);
    rows(&b, 3000, "\n", 0, 0);
    write_file(b.data, b.len);
    ok = table_load_threads(&t, path, 0, 2, &d) == 0;
    T_CHECK(ok && t.ranges == 2 && t.lines[0] == 2 && t.lines[2999] == 3001,
            "a header ended by a lone CR: the first row on line 2, the last on 3001");
    if (ok)
        table_free(&t);
    check_all("a header ended by a lone CR", 1, 1);
    for (int split = 0; split <= 1; split++) {
        buf_reset(&b);
        buf_add(&b, "id,\"", 4);
        while (b.len < 65535 - 9)
            buf_add(&b, "x", 1);
        buf_add(&b, "\r\nz\",valu", 9);     /* CRLF in quotes: one line end */
        buf_add(&b, split ? "\r\n" : "\r", split ? 2 : 1);
        size_t at = b.len;
        rows(&b, 500, "\n", 0, 0);
        write_file(b.data, b.len);
        int fd = open(path, O_RDONLY);
        long got = csvrange_line_at(fd, (long long)at), got_cr = csvrange_line_at(fd, 65536);
        close(fd);
        T_CHECK(got == 3 && got_cr == 3 - split && b.data[65535] == '\r',
                "csvrange_line_at: the CR of a %s as the last byte of a chunk (line %ld, %ld)",
                split ? "CRLF" : "lone CR", got, got_cr);
        check_all(split ? "a long header ended by a CRLF across 64 KiB"
                        : "a long header ended by a lone CR at 64 KiB", 1, 1);
    }

    /* ';' and cells behind an apostrophe (a spreadsheet-dialect table) */
    buf_reset(&b);
    buf_add(&b, "id;text;value\n", 14);
    for (int i = 0; i < 2000; i++) {
        char line[64];
        int len = snprintf(line, sizeof line, "c%d;'=A%d;%d,5\n", i, i, i);
        buf_add(&b, line, (size_t)len);
    }
    write_file(b.data, b.len);
    check_all("';' with neutralised cells", 1, 1);

    /* the header alone; the header and blank lines */
    write_file("id,text,value\n", 14);
    check_all("the header alone", 1, 1);
    write_file("id,text,value\n\n\n", 16);
    check_all("the header and blank lines", 1, 1);

    /* a quoted cell right at the start of each range, and quoted ends */
    buf_reset(&b);
    buf_add(&b, "id,text,value\n", 14);
    for (int i = 0; i < 3000; i++) {
        char line[64];
        int len = snprintf(line, sizeof line, "\"q%d\",\"\",\"\"\"%d\"\"\"\n", i, i);
        buf_add(&b, line, (size_t)len);
    }
    write_file(b.data, b.len);
    check_all("every cell quoted", 1, 1);

    buf_free(&b);
    T_DONE();
}
