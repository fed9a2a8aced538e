/* scan: the cutter of whole 16-byte blocks (scan_next) against the field-
 * by-field scanner (scan_next_by_field), record by record over seeded
 * random buffers: mostly plain records with fields across block edges, and
 * quotes, CRs, blank lines, non-ASCII and invalid bytes, NULs, a missing
 * last line end, under each delimiter; the same status, bytes consumed,
 * fields and line counts every time. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "scan.h"
#include "t.h"

static uint64_t seed = 0x2545F4914F6CDD1Du;

static uint64_t next_random(void)     /* the same buffers on every run */
{
    return t_random(&seed);
}

/* A field's bytes: plain text mostly, an odd byte now and then. */
static size_t field(char *out, char delim, int odd)
{
    static const char *const rare[] = {
        "\"", "\r", "\r\n", "\n", "\xC3\xA9", "\xFF", "\0", "\"a,b\"", "\"x\"\"y\"", "\"\"",
        "\xE2\x82", "\"a\nb\"", "\"a\rb\"",
    };
    size_t len = next_random() % 4 == 0 ? next_random() % 40 : next_random() % 9;
    size_t o = 0;
    for (size_t i = 0; i < len; i++)
        out[o++] = (char)('0' + next_random() % 40);
    if (odd) {
        const char *r = rare[next_random() % (sizeof rare / sizeof rare[0])];
        size_t rlen = r[0] ? strlen(r) : 1;
        size_t at = o ? next_random() % (o + 1) : 0;
        if (next_random() % 2 && r[0] == '"')
            at = 0;                         /* a quoted field, or a quote inside one */
        memmove(out + at + rlen, out + at, o - at);
        memcpy(out + at, r, rlen);
        o += rlen;
    }
    for (size_t i = 0; i < o; i++)
        if (out[i] == delim && !odd)
            out[i] = 'd';
    return o;
}

static size_t buffer(char *out, char delim, int odd_every)
{
    size_t o = 0;
    int records = 1 + (int)(next_random() % 12), fields = 1 + (int)(next_random() % 12);
    for (int r = 0; r < records; r++) {
        if (next_random() % 20 == 0)
            out[o++] = '\n';                    /* a blank line */
        int n = next_random() % 10 == 0 ? 1 + (int)(next_random() % 14) : fields;
        for (int f = 0; f < n; f++) {
            if (f)
                out[o++] = delim;
            o += field(out + o, delim, odd_every && next_random() % (uint64_t)odd_every == 0);
        }
        if (r + 1 < records || next_random() % 3) {     /* else no last line end */
            if (next_random() % 8 == 0)
                out[o++] = '\r';
            out[o++] = '\n';
        }
    }
    return o;
}

static long records, mismatches, quoted_wrong, quoted_records;
static char first_bad[160];

/* rec->quoted against the record itself: its fields outside its bytes
 * (the unescaped quoted ones), and 0 exactly when its bytes hold no quote. */
static void check_quoted(const struct scan_record *rec, const char *record, size_t used)
{
    size_t outside = 0;
    for (size_t i = 0; i < rec->count; i++)
        outside += !(rec->fields[i].ptr >= record &&
                     rec->fields[i].ptr + rec->fields[i].len <= record + used);
    int has_quote = memchr(record, '"', used) != NULL;
    if (rec->quoted != outside || (rec->quoted == 0) == has_quote)
        quoted_wrong++;
    quoted_records += rec->quoted > 0;
}

static int same_fields(const struct scan_record *a, const struct scan_record *b,
                       const char *buf, size_t len)
{
    if (a->count != b->count || a->lines != b->lines || a->blank_lines != b->blank_lines ||
        a->quoted != b->quoted)
        return 0;
    for (size_t i = 0; i < a->count; i++) {
        const struct csvfield *x = &a->fields[i], *y = &b->fields[i];
        int x_in = x->ptr >= buf && x->ptr <= buf + len;
        int y_in = y->ptr >= buf && y->ptr <= buf + len;
        if (x->len != y->len || x_in != y_in || (x_in && x->ptr != y->ptr) ||
            memcmp(x->ptr, y->ptr, x->len) != 0)
            return 0;
    }
    return 1;
}

/* Both scanners through the buffer, record by record. */
static void compare(const char *buf, size_t len, char delim, int at_end)
{
    struct scan_record blocks = { 0 }, by_field = { 0 };
    size_t pos = 0;
    for (;;) {
        size_t used_blocks = 0, used_by_field = 0;
        enum scan_status a = scan_next(buf + pos, len - pos, at_end, delim, &blocks,
                                       &used_blocks);
        enum scan_status b = scan_next_by_field(buf + pos, len - pos, at_end, delim,
                                                &by_field, &used_by_field);
        int same = a == b;
        if (same && a == SCAN_RECORD)
            same = used_blocks == used_by_field &&
                   same_fields(&blocks, &by_field, buf + pos, len - pos);
        if (!same) {
            if (mismatches++ == 0)
                snprintf(first_bad, sizeof first_bad, "delimiter '%c', at byte %zu of %zu: "
                         "status %d against %d", delim == '\t' ? 't' : delim, pos, len,
                         (int)a, (int)b);
            break;
        }
        if (a != SCAN_RECORD)
            break;
        check_quoted(&blocks, buf + pos, used_blocks);
        check_quoted(&by_field, buf + pos, used_by_field);
        records++;
        pos += used_blocks;
    }
    scan_record_free(&blocks);
    scan_record_free(&by_field);
}

int main(void)
{
    static const char delims[] = ",;\t|";
    size_t cap = 64 * 1024;
    char *buf = malloc(cap);
    T_CHECK(buf != NULL, "buffer");
    if (!buf)
        T_DONE();
    long plain_records = 0;
    for (int n = 0; n < 40000; n++) {
        char delim = delims[n % 4];
        int odd_every = n % 3 == 0 ? 0 : n % 3 == 1 ? 40 : 6;
        size_t len = buffer(buf, delim, odd_every);
        /* the block cutter loads 16 bytes: a buffer ends anywhere */
        char *exact = malloc(len ? len : 1);
        if (!exact)
            break;
        memcpy(exact, buf, len);
        long before = records;
        compare(exact, len, delim, (int)(next_random() % 2));
        if (odd_every == 0)
            plain_records += records - before;
        free(exact);
    }
    T_CHECK(mismatches == 0, "40,000 random buffers: the block cutter gives what the "
            "field-by-field scanner gives (%ld records)", records);
    if (mismatches)
        printf("# %ld differ, the first: %s\n", mismatches, first_bad);
    T_CHECK(plain_records > 50000, "plain records among them (%ld)", plain_records);
    T_CHECK(quoted_wrong == 0 && quoted_records > 500, "quoted: the fields outside the "
            "record's bytes, 0 exactly when they hold no quote (%ld records with quoted "
            "fields, %ld wrong)", quoted_records, quoted_wrong);

    /* records about the ceiling of fields (8,192: the array stops doubling) */
    long before = mismatches;
    static const size_t widths[] = { 8170, 8176, 8177, 8191, 8192, 8193, 8300 };
    for (size_t w = 0; w < sizeof widths / sizeof widths[0]; w++) {
        size_t len = 0;
        char *wide = malloc(widths[w] * 2 + 40);
        if (!wide)
            break;
        for (size_t i = 0; i < widths[w]; i++) {
            wide[len++] = (char)('a' + i % 26);
            wide[len++] = i + 1 < widths[w] ? ',' : '\n';
        }
        memcpy(wide + len, "x,y\n0123456789abcdef\n", 22);
        compare(wide, len + 22, ',', 1);
        free(wide);
    }
    T_CHECK(mismatches == before, "records of 8,170 to 8,300 fields: the same");

    /* the ceiling of a field holds in blocks too */
    size_t big = CSVIN_MAX_FIELD + 64;
    char *huge = malloc(big + 32);
    if (huge) {
        /* a long field, its line end inside a whole block, another record after */
        memset(huge, 'a', big + 32);
        huge[big] = '\n';
        huge[big + 31] = '\n';
        struct scan_record rec = { 0 };
        size_t used;
        T_CHECK(scan_next(huge, big + 32, 1, ',', &rec, &used) == SCAN_FALLBACK &&
                scan_next(huge + big - CSVIN_MAX_FIELD, CSVIN_MAX_FIELD + 32, 1, ',', &rec,
                          &used) == SCAN_RECORD && rec.fields[0].len == CSVIN_MAX_FIELD &&
                used == CSVIN_MAX_FIELD + 1,
                "a field over %u bytes is left to csvin, one of %u is read", CSVIN_MAX_FIELD,
                CSVIN_MAX_FIELD);
        scan_record_free(&rec);
        free(huge);
    }
    free(buf);
    T_DONE();
}
