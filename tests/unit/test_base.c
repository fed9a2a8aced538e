/* The base layer's utilities (lib/README.md): utf8 against the cases of
 * RFC 3629 (overlong forms, surrogates, past U+10FFFF, cut sequences), buf
 * and its ceiling, csvout writing to memory the bytes it writes to a FILE,
 * and copying a table's row as one span, rows formatted by two threads
 * (against one writer, at and around the block boundaries),
 * and parse's plain numbers, table decimal mark and fast reader (against
 * strtod on random decimals). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "csvout.h"
#include "parse.h"
#include "t.h"
#include "utf8.h"

static int decode(const char *s, size_t left, uint32_t *cp)
{
    return utf8_decode((const unsigned char *)s, left, cp);
}

static void test_utf8(void)
{
    uint32_t cp = 0;
    T_CHECK(decode("A", 1, &cp) == 1 && cp == 'A', "utf8: ASCII");
    T_CHECK(decode("\xc3\xa9", 2, &cp) == 2 && cp == 0xE9, "utf8: é is U+00E9");
    T_CHECK(decode("\xe2\x82\xac", 3, &cp) == 3 && cp == 0x20AC, "utf8: € is U+20AC");
    T_CHECK(decode("\xf0\x9f\x98\x80", 4, &cp) == 4 && cp == 0x1F600, "utf8: U+1F600");
    T_CHECK(decode("\xc0\x80", 2, &cp) == 0 && decode("\xe0\x80\xaf", 3, &cp) == 0,
            "utf8: overlong forms refused");
    T_CHECK(decode("\xed\xa0\x80", 3, &cp) == 0, "utf8: a surrogate refused");
    T_CHECK(decode("\xf4\x90\x80\x80", 4, &cp) == 0, "utf8: past U+10FFFF refused");
    T_CHECK(decode("\x80", 1, &cp) == 0, "utf8: a lone continuation byte refused");
    T_CHECK(decode("\xe2\x82", 2, &cp) == -1, "utf8: a sequence cut by the end: -1");
    T_CHECK(decode("\xe2\x82", SIZE_MAX, &cp) == 0,
            "utf8: a NUL-terminated string cut short: not UTF-8 (the NUL stops it)");

    const unsigned char *text = (const unsigned char *)"caf\xc3\xa9 cr\xc3\xa8me";
    T_CHECK(utf8_text_valid(text, strlen((const char *)text)), "utf8: valid text");
    T_CHECK(!utf8_text_valid((const unsigned char *)"ab\0cd", 5), "utf8: a NUL byte refused");
    T_CHECK(!utf8_text_valid((const unsigned char *)"0123456789abcdef0123\xe9", 21),
            "utf8: a Latin-1 byte after a long ASCII run refused");
    T_CHECK(utf8_boundary(text, 4) == 3, "utf8: cut before an é split in two");
    T_CHECK(utf8_boundary(text, 5) == 5, "utf8: no cut after a whole é");
    T_CHECK(utf8_boundary((const unsigned char *)"ab\x80\x80\x80\x80", 6) == 6,
            "utf8: bytes that are not UTF-8 left for the validation");
    T_CHECK(utf8_chars((const char *)text, strlen((const char *)text)) == 10,
            "utf8: 10 characters in 12 bytes");
    T_CHECK(utf8_ascii_run((const unsigned char *)"abcdefghijklmnop\xc3\xa9", 18) >= 8 &&
            utf8_ascii_run((const unsigned char *)"abcdefghijklmnop\xc3\xa9", 18) <= 16,
            "utf8: the ASCII run stops at or before the é");
}

static void test_buf(void)
{
    struct buf b;
    buf_init(&b, 64);
    int ok = buf_adds(&b, "hello") == 0 && buf_addc(&b, ' ') == 0 &&
             buf_printf(&b, "%d-%s", 42, "x") == 0;
    T_CHECK(ok && b.len == 10 && strcmp(b.data, "hello 42-x") == 0 && !b.failed,
            "buf: appends, NUL-terminated");
    char big[100];
    memset(big, 'z', sizeof big);
    T_CHECK(buf_add(&b, big, sizeof big) == -1 && b.failed && b.len == 10,
            "buf: past the ceiling of 64 bytes: refused, failed set, nothing appended");
    T_CHECK(buf_adds(&b, "a") == -1, "buf: once failed, every append refused");
    buf_reset(&b);
    T_CHECK(!b.failed && b.len == 0 && buf_adds(&b, "again") == 0 &&
            strcmp(b.data, "again") == 0, "buf: reset clears the failure, keeps the memory");
    char *taken = buf_take(&b);
    T_CHECK(taken && strcmp(taken, "again") == 0 && b.data == NULL && b.len == 0,
            "buf: take hands the bytes over");
    free(taken);
    buf_free(&b);
    buf_free(NULL);
}

/* Parallel arrays: grown together, contents kept, one capacity. */
static void test_buf_arrays(void)
{
    int32_t *day = NULL;
    unsigned char *flag = NULL;
    size_t cap = 0, i;
    int ok = 1;
    for (i = 0; i < 1000 && ok; i++) {
        struct buf_array columns[] = { { day, sizeof *day }, { flag, sizeof *flag } };
        ok = buf_grow_arrays(columns, 2, i + 1, &cap, 16) == 0;
        day = columns[0].data;
        flag = columns[1].data;
        if (ok) {
            day[i] = (int32_t)(i * 7);
            flag[i] = (unsigned char)(i % 3);
        }
    }
    for (i = 0; i < 1000 && ok; i++)
        ok = day[i] == (int32_t)(i * 7) && flag[i] == i % 3;
    T_CHECK(ok && cap == 1024, "buf_grow_arrays: 1000 elements, 16 doubled to 1024, kept");
    struct buf_array columns[] = { { day, sizeof *day }, { flag, sizeof *flag } };
    size_t before = cap;
    T_CHECK(buf_grow_arrays(columns, 2, 10, &cap, 16) == 0 && cap == before &&
            columns[0].data == day, "buf_grow_arrays: enough room already: nothing moves");
    T_CHECK(buf_grow_arrays(columns, 2, SIZE_MAX, &cap, 16) == -1 && cap == before,
            "buf_grow_arrays: a size beyond size_t refused, the capacity unchanged");
    free(columns[0].data);
    free(columns[1].data);
}

/* Large blocks kept and reused: a freed block comes back for a request it
 * is large enough for (its contents kept by buf_block_alloc, zeros from
 * buf_block_zalloc), a block too small is not taken, small blocks are
 * malloc's, and after buf_block_release a new block is fresh. */
static void test_buf_blocks(void)
{
    size_t big = (size_t)16 << 20, half = big / 2;
    unsigned char *a = buf_block_alloc(big);
    T_CHECK(a && a[0] == 0 && a[big - 1] == 0, "buf_block: a fresh block is zeros");
    if (!a)
        return;
    memset(a, 0xAB, big);
    buf_block_free(a);
    unsigned char *b = buf_block_alloc(half);
    T_CHECK(b == a && b[0] == 0xAB && b[half - 1] == 0xAB,
            "buf_block: a freed block reused, its bytes as they were");
    memset(b, 0xCD, half);
    b[half - 1] = 7;
    buf_block_free(b);
    unsigned char *c = buf_block_zalloc(half);
    size_t nonzero = 0;
    for (size_t i = 0; c && i < half; i++)
        nonzero += c[i] != 0;
    T_CHECK(c == a && nonzero == 0, "buf_block_zalloc: a reused block zeroed");
    unsigned char *d = buf_block_alloc(big);    /* c, trimmed to half, is in use */
    T_CHECK(d && d != c, "buf_block: a block in use is not handed out twice");
    buf_block_free(c);
    unsigned char *e = buf_block_alloc(big);    /* the kept one is too small now */
    T_CHECK(e && e != c && e != d, "buf_block: a kept block too small is not taken");
    buf_block_free(d);
    buf_block_free(e);
    buf_block_release();
    unsigned char *f = buf_block_alloc(big);
    T_CHECK(f && f[0] == 0 && f[big / 2] == 0, "buf_block_release: the next block is fresh");
    buf_block_free(f);
    char *small = buf_block_zalloc(100);
    T_CHECK(small && small[0] == 0 && small[99] == 0, "buf_block: a small block, zeroed");
    if (small)
        strcpy(small, "kept in a malloc'd block");
    buf_block_free(small);
    buf_block_free(NULL);
    buf_block_release();
}

/* Per-thread state on lines of its own: the block starts on a BUF_LINES
 * boundary, is zeros to its last line, holds n elements of a struct
 * declared _Alignas(BUF_LINES) each on lines of its own; a size that
 * overflows (in the product, or in rounding up to whole lines) is NULL. */
static void test_buf_lines(void)
{
    struct own {
        _Alignas(BUF_LINES) long count;
        char tag;
    };
    T_CHECK(sizeof(struct own) % BUF_LINES == 0, "buf_lines: an aligned struct is whole lines");
    struct own *o = buf_lines_calloc(5, sizeof *o);
    T_CHECK(o && (uintptr_t)o % BUF_LINES == 0, "buf_lines_calloc: on a line boundary");
    int zero = 1;
    for (size_t i = 0; o && i < 5; i++) {
        zero &= o[i].count == 0 && o[i].tag == 0;
        zero &= (uintptr_t)&o[i] % BUF_LINES == 0;
    }
    T_CHECK(o && zero, "buf_lines_calloc: zeros, each element on lines of its own");
    free(o);
    unsigned char *odd = buf_lines_calloc(3, 7);     /* 21 bytes: one whole line */
    int clear = odd != NULL;
    for (size_t i = 0; odd && i < BUF_LINES; i++)
        clear &= odd[i] == 0;
    T_CHECK(clear && (uintptr_t)odd % BUF_LINES == 0, "buf_lines_calloc: a part line, rounded up");
    free(odd);
    void *none = buf_lines_calloc(0, 0);
    T_CHECK(none != NULL, "buf_lines_calloc: nothing asked still gives a line");
    free(none);
    T_CHECK(buf_lines_calloc(SIZE_MAX / 2 + 1, 2) == NULL, "buf_lines_calloc: a product that overflows");
    T_CHECK(buf_lines_calloc(SIZE_MAX - 5, 1) == NULL,
            "buf_lines_calloc: a size that overflows when rounded up to a line");
}

/* Pages faulted in by a helper thread while this one writes the same
 * block from its start: every byte written is kept, the helper changes
 * none (a block filled before the start keeps its bytes too). */
static void test_buf_prefault(void)
{
    size_t big = (size_t)24 << 20;
    unsigned char *a = buf_huge(malloc(big), big), *b = malloc(big);
    T_CHECK(a && b, "buf_prefault: blocks");
    if (!a || !b) {
        free(a);
        free(b);
        return;
    }
    memset(b, 0x5A, big);
    struct buf_prefault pf;
    buf_prefault_start(&pf, (void *[]){ a, b, NULL }, (size_t[]){ big, big, big }, 3);
    for (size_t i = 0; i < big; i++)
        a[i] = (unsigned char)(i * 31 + 7);
    buf_prefault_finish(&pf);
    buf_prefault_finish(&pf);       /* twice: nothing */
    size_t wrong = 0;
    for (size_t i = 0; i < big; i++)
        wrong += a[i] != (unsigned char)(i * 31 + 7) || b[i] != 0x5A;
    T_CHECK(wrong == 0, "buf_prefault: the bytes written meanwhile and before kept");
    struct buf_prefault none;
    buf_prefault_start(&none, (void *[]){ a }, (size_t[]){ 100 }, 1);
    T_CHECK(!none.running && none.count == 0, "buf_prefault: a small block: no thread");
    buf_prefault_finish(&none);
    free(a);
    free(b);
}

/* The same calls to a FILE and to memory. */
static void write_rows(struct csvout *out)
{
    csvout_text(out, "id");
    csvout_text(out, "a \"quoted\", text");
    csvout_text(out, "=SUM(A1)");
    csvout_cell(out, "12,5", 1);
    csvout_end_row(out);
    csvout_long(out, -7);
    csvout_double(out, 0.1);
    csvout_money(out, 1234500000, 2);        /* 1234.5 × MONEY_SCALE (1e6) */
    csvout_fixed(out, 2.0 / 3, 3);
    csvout_empty(out);
    csvout_end_row(out);
}

static void test_csvout_mem(void)
{
    for (int excel = 0; excel <= 1; excel++) {
        char *file_bytes = NULL;
        size_t file_len = 0;
        FILE *fp = open_memstream(&file_bytes, &file_len);
        struct csvout to_file, to_mem;
        csvout_init(&to_file, fp, excel);
        csvout_source_mark(&to_file, ',');
        write_rows(&to_file);
        fclose(fp);
        struct buf mem;
        buf_init(&mem, 0);
        csvout_init_mem(&to_mem, &mem, &to_file);
        write_rows(&to_mem);
        /* the FILE has the BOM csvout_init wrote: the memory writer none */
        size_t bom = excel ? 3 : 0;
        T_CHECK(!mem.failed && mem.len + bom == file_len &&
                memcmp(mem.data, file_bytes + bom, mem.len) == 0,
                "csvout: memory gets the bytes a FILE gets (%s dialect)",
                excel ? "spreadsheet" : "plain");
        if (!excel)
            T_STR(mem.data, "id,\"a \"\"quoted\"\", text\",=SUM(A1),12.5\n"
                  "-7,0.1,1234.50,0.667,\n",
                  "csvout: the plain dialect, by hand");
        buf_free(&mem);
        free(file_bytes);
    }
}

static void test_csvout_long(void)
{
    static const long long values[] = { 0, 7, -7, 10, 1234567890123LL, -9223372036854775807LL - 1,
                                        9223372036854775807LL };
    struct csvout like, out;
    struct buf mem;
    char want[512] = "";
    csvout_init(&like, stdout, 0);
    buf_init(&mem, 0);
    csvout_init_mem(&out, &mem, &like);
    for (size_t i = 0; i < sizeof values / sizeof *values; i++) {
        csvout_long(&out, values[i]);
        snprintf(want + strlen(want), sizeof want - strlen(want), "%s%lld", i ? "," : "",
                 values[i]);
    }
    T_STR(mem.data ? mem.data : "", want, "csvout_long: as printf writes them, the extremes too");
    buf_free(&mem);
}

static void test_parse(void)
{
    char out[32];
    T_CHECK(parse_plain_number("-12,5", 5, ',', out, sizeof out) && strcmp(out, "-12.5") == 0,
            "plain number: -12,5 with a comma is -12.5");
    T_CHECK(parse_plain_number("42", 2, '.', out, sizeof out) && strcmp(out, "42") == 0,
            "plain number: an integer");
    T_CHECK(!parse_plain_number("12.", 3, '.', out, sizeof out) &&
            !parse_plain_number("1e3", 3, '.', out, sizeof out) &&
            !parse_plain_number("-", 1, '.', out, sizeof out) &&
            !parse_plain_number("1 000", 5, '.', out, sizeof out) &&
            !parse_plain_number("12.5", 4, ',', out, sizeof out),
            "plain number: 12. 1e3 - '1 000' and 12.5 under a comma are not plain");
    T_CHECK(!parse_plain_number("123456", 6, '.', out, 6), "plain number: no room, no number");
    T_CHECK(parse_mark_of_delim(';') == ',' && parse_mark_of_delim(',') == 0 &&
            parse_mark_of_delim('\t') == 0 && parse_mark_of_delim('|') == 0,
            "decimal mark of a table: ',' for ';', else the values decide");

    char problem[128];
    T_STR(parse_value_problem("revenue", "", PARSE_EMPTY, problem, sizeof problem),
          "revenue is empty", "value problem: empty");
    T_STR(parse_value_problem("revenue", "12,3,4", PARSE_INVALID, problem, sizeof problem),
          "revenue \"12,3,4\" is not a number", "value problem: not a number");

    /* the fast reader against strtod on random plain decimals */
    unsigned long long state = 88172645463325252ull;
    int same = 1, taken = 0;
    for (int i = 0; i < 200000; i++) {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        char text[40];
        int decimals = (int)(state % 8);
        long long whole = (long long)((state >> 8) % 100000000ull);
        unsigned long long frac = (state >> 40) % 10000000ull;
        int n = decimals ? snprintf(text, sizeof text, "%s%lld.%0*llu", state & 1 ? "-" : "",
                                    whole, decimals, frac % 10000000ull)
                         : snprintf(text, sizeof text, "%lld", whole);
        double fast;
        if (parse_double_fast(text, (size_t)n, '.', &fast)) {
            taken++;
            if (fast != strtod(text, NULL)) {
                if (same)
                    printf("# %s: %.17g, strtod %.17g\n", text, fast, strtod(text, NULL));
                same = 0;
            }
        }
    }
    T_CHECK(same && taken > 100000, "fast reader: %d random decimals read as strtod reads them",
            taken);
    double v;
    T_CHECK(!parse_double_fast("1234567890123456", 16, '.', &v) &&
            !parse_double_fast("1,5", 3, ',', &v) && !parse_double_fast("1e5", 3, '.', &v),
            "fast reader: 16 digits, a comma, an exponent: left to parse_double");
}

/* csvout_span: a row whose cells lie one after the other (each ended by
 * a NUL) is copied as one run, to memory and to a FILE; cells with a
 * stray NUL between them (not one after the other), a space, or not in
 * order are left to the caller (0, nothing written). */
static int span_to(const char *const *cells, size_t n, int to_file, char *got, size_t size)
{
    char *file_bytes = NULL;
    size_t file_len = 0;
    FILE *fp = open_memstream(&file_bytes, &file_len);
    struct csvout like, out;
    struct buf mem;
    csvout_init(&like, fp, 0);
    buf_init(&mem, 0);
    csvout_init_mem(&out, &mem, &like);
    size_t len = 0;
    int spans = csvout_span_len(&like, cells, n, &len);
    int done = csvout_span(to_file ? &like : &out, cells, n);
    if (spans != done || (done && !to_file && len != mem.len))
        done = -1;      /* csvout_span_len said otherwise, or another length */
    fclose(fp);
    snprintf(got, size, "%s", to_file ? file_bytes : mem.data ? mem.data : "");
    buf_free(&mem);
    free(file_bytes);
    return done;
}

static void test_csvout_span(void)
{
    static const char row[] = "12\0ab\0x.5\0" "0123456789abcdefghij\0" "klmnopqrstuvwxyz01234";
    const char *cells[4] = { row, row + 3, row + 6, row + 10 };
    char got[256];
    for (int to_file = 0; to_file <= 1; to_file++) {
        T_CHECK(span_to(cells, 4, to_file, got, sizeof got) == 1 &&
                strcmp(got, "12,ab,x.5,0123456789abcdefghij") == 0,
                "csvout_span: cells one after the other, one run (%s)",
                to_file ? "FILE" : "memory");
        T_CHECK(span_to(cells + 3, 1, to_file, got, sizeof got) == 1 &&
                strcmp(got, "0123456789abcdefghij") == 0, "csvout_span: one cell");
    }
    /* "ab", a stray NUL, then "cd": not one after the other */
    static const char gap[] = "ab\0\0cd\0" "ab\0\0cdefghijklmnopqrstu";
    const char *apart[2] = { gap, gap + 4 };
    T_CHECK(span_to(apart, 2, 0, got, sizeof got) == 0 && got[0] == '\0',
            "csvout_span: a NUL between two cells: left to the caller");
    const char *apart_long[2] = { gap + 7, gap + 11 };  /* a span of 16 bytes or more */
    T_CHECK(span_to(apart_long, 2, 0, got, sizeof got) == 0 && got[0] == '\0',
            "csvout_span: a NUL between two long cells: left to the caller");
    const char *backwards[2] = { row + 3, row };
    T_CHECK(span_to(backwards, 2, 0, got, sizeof got) == 0,
            "csvout_span: cells out of order: left to the caller");
    static const char spaced[] = "a b\0c\0";
    const char *sp[2] = { spaced, spaced + 4 };
    T_CHECK(span_to(sp, 2, 0, got, sizeof got) == 0, "csvout_span: a space: left to the caller");
    /* 70 cells (more than the 64 it once kept the ends of) */
    char many[140], want[140];
    const char *mc[70];
    for (int i = 0; i < 70; i++) {
        many[2 * i] = (char)('a' + i % 26);
        many[2 * i + 1] = '\0';
        want[2 * i] = many[2 * i];
        want[2 * i + 1] = ',';
        mc[i] = many + 2 * i;
    }
    want[139] = '\0';
    for (int to_file = 0; to_file <= 1; to_file++)
        T_CHECK(span_to(mc, 70, to_file, got, sizeof got) == 1 && strcmp(got, want) == 0,
                "csvout_span: 70 cells (%s)", to_file ? "FILE" : "memory");
    /* 3,000 cells of 3 bytes: a span of 12,000 bytes, whose NULs are
     * counted per byte lane and summed every 255 blocks of 16; then a stray
     * NUL far past the first 4,080 bytes, or at the very end */
    enum { CELLS = 3000 };
    static char big[4 * CELLS + 8], big_want[4 * CELLS + 8], big_got[4 * CELLS + 8];
    static const char *bc[CELLS];
    for (int i = 0; i < CELLS; i++) {
        memcpy(big + 4 * i, "xyz", 3);
        big[4 * i + 3] = '\0';
        memcpy(big_want + 4 * i, "xyz,", 4);
        bc[i] = big + 4 * i;
    }
    big_want[4 * CELLS - 1] = '\0';
    int long_ok = span_to(bc, CELLS, 0, big_got, sizeof big_got) == 1 &&
                  strcmp(big_got, big_want) == 0;
    T_CHECK(long_ok, "csvout_span: 3,000 cells, 12,000 bytes: one run");
    for (int at = 0; at < 2; at++) {
        /* cells 1,500 and 2,999 made to begin one byte later: a NUL before */
        int k = at ? CELLS - 1 : CELLS / 2;
        big[4 * k] = '\0';
        bc[k] = big + 4 * k + 1;
        T_CHECK(span_to(bc, CELLS, 0, big_got, sizeof big_got) == 0,
                "csvout_span: a stray NUL at byte %d of 12,000: left to the caller", 4 * k);
        big[4 * k] = 'x';
        bc[k] = big + 4 * k;
    }
}

/* csvout_rows_parallel: rows whose bytes depend on their number only,
 * written by two threads (each writing the blocks it formatted, in turn)
 * or by one, to a regular file: the bytes one memory writer gives, at and
 * around the block boundaries (blocks of 32,768 rows; under 4 blocks it
 * declines), and past 16 MiB (the file's writeback started on the way). */
static void rows_of(void *arg, struct csvout *out, size_t from, size_t to)
{
    size_t width = *(const size_t *)arg;
    char text[200];
    for (size_t i = from; i < to; i++) {
        size_t len = (i * 7919) % width;
        for (size_t k = 0; k < len; k++)
            text[k] = (char)('a' + (i + k) % 26);
        text[len] = '\0';
        csvout_long(out, (long long)i);
        csvout_text(out, text);
        csvout_double(out, (double)i / 7.0);
        csvout_end_row(out);
    }
}

static void test_rows_parallel(void)
{
    /* two threads from 16,384 rows, in blocks of an eighth of them up to
     * 32,768: each side of the start, eighths that do not divide, whole
     * blocks and not */
    static const size_t sizes[] = { 0, 1, 16383, 16384, 16385, 87003, 131071, 131072, 131073,
                                    163840 + 5, 400000 };
    for (size_t s = 0; s < sizeof sizes / sizeof *sizes; s++) {
        size_t rows = sizes[s], width = rows == 400000 ? 120 : 20;
        struct csvout like, mem_out;
        struct buf mem;
        buf_init(&mem, 0);
        csvout_init(&like, stdout, 0);
        csvout_init_mem(&mem_out, &mem, &like);
        rows_of(&width, &mem_out, 0, rows);
        for (int threads = 1; threads <= 2; threads++) {
            FILE *fp = tmpfile();
            if (!fp) {
                T_CHECK(0, "rows by threads: a temporary file");
                break;
            }
            struct csvout out;
            csvout_init(&out, fp, 0);
            out.threads = threads == 1 ? 1 : 0;
            size_t done = csvout_rows_parallel(&out, rows, rows_of, &width);
            struct csvout_batch batch;
            struct csvout *rest = csvout_batch_start(&batch, &out);
            rows_of(&width, rest, done, rows);
            csvout_batch_end(&batch);
            long size = ftell(fp);
            char *got = size > 0 ? malloc((size_t)size) : NULL;
            rewind(fp);
            int same = size >= 0 && (size_t)size == mem.len &&
                       (size == 0 || (got && fread(got, 1, (size_t)size, fp) == (size_t)size &&
                                      memcmp(got, mem.data, mem.len) == 0));
            T_CHECK(same && !mem.failed && done == (threads == 2 && rows >= 16384 ? rows : 0),
                    "rows by threads: %zu rows, %d thread%s, %zu bytes: one writer's bytes "
                    "(%zu rows by the threads)", rows, threads, threads > 1 ? "s" : "",
                    mem.len, done);
            free(got);
            fclose(fp);
        }
        buf_free(&mem);
    }
}

int main(void)
{
    test_utf8();
    test_buf();
    test_buf_arrays();
    test_buf_blocks();
    test_buf_lines();
    test_buf_prefault();
    test_csvout_mem();
    test_csvout_long();
    test_csvout_span();
    test_rows_parallel();
    test_parse();
    T_DONE();
}
