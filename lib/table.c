/* table.c — loading a whole CSV table (see table.h): a regular file read
 * in ranges on several threads (csvrange.h), else by the scanner in
 * sequence, both without copying, else libcsv's way, all three to the same
 * cells; then the duplicate-key search on one hashed set. */
#include "table.h"

#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "csvin.h"
#include "csvrange.h"
#include "hashtab.h"
#include "scan.h"

#define TABLE_MAX_BYTES (((size_t)1 << 32) - 1)    /* cells' bytes: 32-bit offsets */
#define TABLE_MAX_FILE ((long long)1 << 31)        /* read whole by the scanner */

void table_free(struct table *t)
{
    if (!t)
        return;
    for (size_t i = 0; t->header && i < t->columns; i++)
        free(t->header[i]);
    free(t->header);
    free(t->cells);
    free(t->lines);
    free(t->arena);
    free(t->name);
    memset(t, 0, sizeof *t);
}

void table_forget_lines(struct table *t)
{
    free(t->lines);
    t->lines = NULL;
}

/* Append one row's fields to the table: their bytes, each NUL-terminated,
 * to the arena, their offsets to t->cells. @return 0 or -1 (out of
 * memory, or the arena's ceiling). */
static int table_append(struct table *t, const struct csvfield *fields, long line,
                        struct buf *arena, size_t *cap)
{
    if (t->rows == *cap) {
        size_t n = *cap ? *cap * 2 : 256;
        uint32_t *cells = realloc(t->cells, (n * t->columns + 1) * sizeof *cells);
        if (!cells)
            return -1;
        t->cells = cells;
        long *lines = realloc(t->lines, n * sizeof *lines);
        if (!lines)
            return -1;
        t->lines = lines;
        *cap = n;
    }
    for (size_t i = 0; i < t->columns; i++) {
        t->cells[t->rows * t->columns + i] = (uint32_t)arena->len;
        if (buf_add(arena, fields[i].ptr, fields[i].len) != 0 || buf_addc(arena, '\0') != 0)
            return -1;
    }
    t->lines[t->rows++] = line;
    return 0;
}

/* A scanned record's cells as offsets from base into row, in place: an
 * unquoted cell is ended by a NUL written over the delimiter or line end
 * that follows it; a quoted one is written unescaped over its own bytes
 * (never longer than they are: its quotes are gone), then a NUL. record:
 * the record's bytes in the buffer, len of them. */
static void keep_row(char *base, const struct scan_record *rec, char *record, size_t len,
                     uint32_t *row)
{
    char *p = record, *end = record + len;
    for (size_t i = 0; i < rec->count; i++) {
        const struct csvfield *f = &rec->fields[i];
        if (p < end && *p == '"') {
            char *q = p + 1;        /* the closing quote: the first not doubled */
            for (;;) {
                q = memchr(q, '"', (size_t)(end - q));
                assert(q);          /* the scanner found it */
                if (q + 1 < end && q[1] == '"')
                    q += 2;
                else
                    break;
            }
            memcpy(p, f->ptr, f->len);
            p[f->len] = '\0';
            row[i] = (uint32_t)(p - base);
            p = q + 2;              /* past the quote and the delimiter */
        } else {
            assert(f->ptr == p);
            p[f->len] = '\0';
            row[i] = (uint32_t)(p - base);
            p += f->len + 1;
        }
    }
}

static int ragged(struct table *t, long line, size_t count, struct diag *diag)
{
    return diag_set(diag, "%s:%ld: %zu field%s where the header has %zu", t->name, line, count,
                    count == 1 ? "" : "s", t->columns);
}

/* ---- in ranges, one thread each ------------------------------------------ */

/* What one range's records go to: rows row0 to row0 + cap of the table
 * (cap: the line ends of the range, each record has one; one more for the
 * last, whose record may have none). */
struct load_part {
    struct table *t;
    char *base;
    size_t row0, cap, rows;
};

static int load_prepare(void *ctx, struct csvrange_part *parts, long n)
{
    struct table *t = ctx;
    size_t rows = 1;
    for (long i = 0; i < n; i++) {
        struct load_part *lp = parts[i].sink;
        lp->row0 = rows - 1;
        lp->cap = (size_t)parts[i].lines + (i == n - 1);
        rows += (size_t)parts[i].lines;
    }
    t->cells = buf_huge(malloc((rows * t->columns + 1) * sizeof *t->cells),
                        (rows * t->columns + 1) * sizeof *t->cells);
    t->lines = buf_huge(malloc(rows * sizeof *t->lines), rows * sizeof *t->lines);
    return t->cells && t->lines ? 0 : -1;
}

/* A ragged row stops the read: the sequential one names the first. */
static int load_record(struct csvrange_part *part, const struct scan_record *rec, char *record,
                       size_t len, long line)
{
    struct load_part *lp = part->sink;
    struct table *t = lp->t;
    if (rec->count != t->columns || lp->rows == lp->cap)
        return -1;
    size_t r = lp->row0 + lp->rows++;
    keep_row(lp->base, rec, record, len, t->cells + r * t->columns);
    t->lines[r] = line;
    return 0;
}

/* @return 1 done; 0 not possible here (not a regular file, too big, or the
 * read in ranges failed: the caller reads in sequence; nothing is kept). */
static int load_ranges(struct table *t, csvin *in, long threads)
{
    struct stat st;
    int fd = csvin_fd(in);
    long long data = csvin_offset(in);
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size < data ||
        st.st_size - data > TABLE_MAX_FILE)
        return 0;
    long n = csvrange_threads(st.st_size - data, threads);
    char *buf = buf_huge(malloc((size_t)(st.st_size - data) + 1), (size_t)(st.st_size - data) + 1);
    struct csvrange_part parts[64];
    struct load_part sinks[64];
    if (!buf)
        return 0;
    for (long i = 0; i < n; i++) {
        sinks[i] = (struct load_part){ t, buf, 0, 0, 0 };
        parts[i].sink = &sinks[i];
    }
    int done = csvrange_read(fd, data, st.st_size, csvrange_line_at(fd, data), buf, csvin_delim(in),
                             n, parts, load_prepare, t, load_record);
    if (!done) {
        free(buf);
        free(t->cells);
        free(t->lines);
        t->cells = NULL;
        t->lines = NULL;
        return 0;
    }
    /* the ranges' rows one after the other (a range has fewer records than
     * line ends where a record spans lines or a line is blank) */
    size_t rows = 0;
    for (long i = 0; i < n; i++) {
        if (sinks[i].row0 != rows) {
            memmove(t->cells + rows * t->columns, t->cells + sinks[i].row0 * t->columns,
                    sinks[i].rows * t->columns * sizeof *t->cells);
            memmove(t->lines + rows, t->lines + sinks[i].row0, sinks[i].rows * sizeof *t->lines);
        }
        rows += sinks[i].rows;
    }
    t->rows = rows;
    t->arena = buf;
    t->ranges = n;
    return 1;
}

/* ---- in sequence ----------------------------------------------------------- */

/* The scanner's way through a regular file (csvscan), without copying, as
 * keep_row keeps a record. @return 1 done; 0 not possible here
 * (csvscan_open refused the file: the caller reads with libcsv, which
 * gives the exact diagnostic; nothing was read); -1 error. */
static int load_scanned(struct table *t, csvin *in, struct diag *diag)
{
    struct csvscan scan;
    if (!csvscan_open(&scan, in))
        return 0;
    /* csvscan_open counted the records: the arrays are sized once */
    size_t rows = scan.records;
    t->cells = buf_huge(malloc((rows * t->columns + 1) * sizeof *t->cells),
                        (rows * t->columns + 1) * sizeof *t->cells);
    t->lines = buf_huge(malloc((rows + 1) * sizeof *t->lines), (rows + 1) * sizeof *t->lines);
    if (!t->cells || !t->lines || scan.len >= TABLE_MAX_BYTES) {
        csvscan_close(&scan);
        return diag_set(diag, "out of memory");
    }
    int result = 1;
    long line;
    char *raw = scan.buf + scan.pos;
    while (result == 1 && csvscan_next(&scan, &line) == SCAN_RECORD) {
        assert(t->rows < rows);
        size_t count = scan.record.count;
        char *next = scan.buf + scan.pos;
        if (count != t->columns) {
            result = ragged(t, line, count, diag);
            break;
        }
        for (; *raw == '\n' || *raw == '\r'; raw++)     /* blank lines */
            ;
        keep_row(scan.buf, &scan.record, raw, (size_t)(next - raw),
                 t->cells + t->rows * t->columns);
        t->lines[t->rows++] = line;
        raw = next;
    }
    if (result == 1) {
        t->arena = scan.buf;            /* the table keeps the file's bytes */
        scan.buf = NULL;
    }
    csvscan_close(&scan);
    return result;
}

static int append_record(struct table *t, csvin *in, struct buf *arena, size_t *cap)
{
    struct csvfield *fields = malloc(t->columns * sizeof *fields);
    if (!fields)
        return -1;
    for (size_t i = 0; i < t->columns; i++)
        fields[i].ptr = csvin_field(in, i, &fields[i].len);
    int rc = table_append(t, fields, csvin_line(in), arena, cap);
    free(fields);
    return rc;
}

/* A spreadsheet-dialect table (';') may be a sibling's --excel output, where
 * text a spreadsheet would take for a formula was written behind an
 * apostrophe ("'-", "'=A1"): read such a cell back as the text it was. */
static void unneutralise(struct table *t)
{
    if (t->delim != ';')
        return;
    for (size_t i = 0; i < t->rows * t->columns; i++) {
        const char *c = t->arena + t->cells[i];
        if (c[0] == '\'' && c[1] && strchr("=+-@\t\r", c[1]))
            t->cells[i]++;
    }
}

/* ---- some rows, read in blocks ------------------------------------------- */

#define ROWS_BLOCK ((size_t)1 << 22)        /* bytes read at a time */
#define ROWS_BLOCK_MAX ((size_t)1 << 28)    /* a record longer than this: table_load */

/* The kept rows of in's data (table_load_rows). @return 1 done; 0 not
 * read here (not plain, or short of memory: the caller loads the whole
 * table, which says why when it fails; nothing is kept). */
static int load_kept(struct table *t, csvin *in, table_keep_fn keep, void *ctx)
{
    struct stat st;
    int fd = csvin_fd(in);
    long long at = csvin_offset(in);
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size < at)
        return 0;
    long line = csvrange_line_at(fd, at);
    size_t cap_buf = ROWS_BLOCK, len = 0, pos = 0, cap_rows = 0, row = 0;
    char *buf = malloc(cap_buf);
    struct buf arena;
    buf_init(&arena, TABLE_MAX_BYTES);
    struct scan_record rec = { 0 };
    int at_end = 0, result = buf && line > 0 ? 1 : 0;
    while (result == 1) {
        size_t consumed;
        enum scan_status status = scan_next(buf + pos, len - pos, at_end, t->delim, &rec,
                                            &consumed);
        if (status == SCAN_END)
            break;
        if (status == SCAN_RECORD) {
            if (rec.count != t->columns) {
                result = 0;             /* ragged: table_load names the line */
                break;
            }
            const char *p = buf + pos, *end = p + consumed;
            for (; p < end && (*p == '\n' || *p == '\r'); p++)   /* blank lines */
                line += *p == '\n';
            long first = line;
            while ((p = memchr(p, '\n', (size_t)(end - p))) != NULL) {
                line++;
                p++;
            }
            pos += consumed;
            if (keep(ctx, t, row++, rec.fields)
                && table_append(t, rec.fields, first, &arena, &cap_rows) != 0)
                result = 0;             /* table_load says what is short */
            continue;
        }
        if (status != SCAN_NEED_MORE || at_end) {
            result = 0;
            break;
        }
        memmove(buf, buf + pos, len - pos);     /* a record cut by the block's end */
        len -= pos;
        pos = 0;
        if (len == cap_buf) {
            char *bigger = cap_buf < ROWS_BLOCK_MAX ? realloc(buf, cap_buf * 2) : NULL;
            if (!bigger) {
                result = 0;
                break;
            }
            buf = bigger;
            cap_buf *= 2;
        }
        ssize_t n = pread(fd, buf + len, cap_buf - len, at);
        if (n < 0) {
            result = 0;
            break;
        }
        at += n;
        len += (size_t)n;
        at_end = n == 0;
    }
    free(buf);
    scan_record_free(&rec);
    if (result == 1) {
        t->arena = buf_take(&arena);
        if ((!t->cells && !(t->cells = malloc(sizeof *t->cells)))
            || (!t->arena && !(t->arena = calloc(1, 1))))
            result = 0;
    }
    if (result != 1) {
        buf_free(&arena);
        free(t->cells);
        free(t->lines);
        free(t->arena);
        t->cells = NULL;
        t->lines = NULL;
        t->arena = NULL;
        t->rows = 0;
    }
    return result;
}

/* The file's name, delimiter and header into t: 0, or -1 out of memory
 * (what was taken is freed by table_free). */
static int take_header(struct table *t, csvin *in)
{
    t->name = strdup(csvin_name(in));
    t->delim = csvin_delim(in);
    t->columns = csvin_columns(in);
    t->header = calloc(t->columns, sizeof *t->header);
    if (!t->name || !t->header)
        return -1;
    for (size_t i = 0; i < t->columns; i++)
        if (!(t->header[i] = strdup(csvin_column_name(in, i))))
            return -1;
    return 0;
}

int table_load_rows(struct table *t, const char *path, char delim, table_keep_fn keep,
                    void *ctx, struct diag *diag)
{
    memset(t, 0, sizeof *t);
    csvin *in = csvin_open(path, delim, diag);
    if (!in)
        return -1;
    int got = take_header(t, in);
    if (got == 0)
        got = load_kept(t, in, keep, ctx);
    csvin_close(in);
    if (got == 1) {
        unneutralise(t);
        return 0;
    }
    table_free(t);
    if (got < 0)
        return diag_set(diag, "out of memory");
    return table_load(t, path, delim, diag);
}

int table_load(struct table *t, const char *path, char delim, struct diag *diag)
{
    return table_load_threads(t, path, delim, 0, diag);
}

/* In ranges, else the scanner in sequence, else libcsv: cells are appended
 * to one arena (no allocation per cell). */
int table_load_threads(struct table *t, const char *path, char delim, long threads,
                       struct diag *diag)
{
    memset(t, 0, sizeof *t);
    size_t cap = 0;
    struct buf arena;
    buf_init(&arena, TABLE_MAX_BYTES);
    csvin *in = csvin_open(path, delim, diag);
    if (!in)
        return -1;
    if (take_header(t, in) != 0)
        goto nomem;
    int got = threads != TABLE_SEQUENTIAL ? load_ranges(t, in, threads) : 0;
    if (got == 0)
        got = load_scanned(t, in, diag);
    if (got > 0) {
        csvin_close(in);            /* the whole file was read */
        unneutralise(t);
        return 0;
    }
    if (got < 0)
        goto fail;
    while ((got = csvin_next(in, diag)) > 0) {
        if (csvin_fields(in) != t->columns) {
            ragged(t, csvin_line(in), csvin_fields(in), diag);
            goto fail;
        }
        if (append_record(t, in, &arena, &cap) != 0)
            goto nomem;
    }
    if (got < 0)
        goto fail;
    t->arena = buf_take(&arena);
    if (!t->cells && !(t->cells = malloc(sizeof *t->cells)))
        goto nomem;
    if (!t->arena && !(t->arena = calloc(1, 1)))
        goto nomem;
    csvin_close(in);
    unneutralise(t);
    return 0;
nomem:
    if (arena.failed && arena.len >= TABLE_MAX_BYTES / 2)
        diag_set(diag, "%s: more than 4 GiB of cells", t->name ? t->name : path);
    else
        diag_set(diag, "out of memory");
fail:
    buf_free(&arena);
    csvin_close(in);
    table_free(t);
    return -1;
}

long table_find(const struct table *t, const char *name)
{
    for (size_t i = 0; i < t->columns; i++)
        if (strcmp(t->header[i], name) == 0)
            return (long)i;
    return -1;
}

/* An open-addressing set of row numbers hashed on (group, key): linear in
 * the rows, and nothing copied (cells are compared where they are). Each
 * slot keeps 32 bits of the hash beside the row, so that a probe compares
 * cells (two reads at random in a table of millions) only when they agree;
 * the slots of rows a few ahead are asked for early. */
static uint64_t row_hash(const struct table *t, size_t i, size_t key_col, long group_col)
{
    const char *key = table_cell(t, i, key_col);
    uint64_t h = hashtab_hash(key, strlen(key));
    if (group_col >= 0) {
        const char *group = table_cell(t, i, (size_t)group_col);
        h ^= hashtab_hash(group, strlen(group)) * 0x9E3779B97F4A7C15ull;
    }
    return h;
}

#define DUP_AHEAD 8

int table_find_duplicate(const struct table *t, size_t key_col, long group_col,
                         size_t *first, size_t *second)
{
    /* at most two thirds full (5 M rows: 8 M slots, 64 MB, where half full
     * took 128 MB of fresh pages beside the columns being read); a probe
     * that goes on is the next slots of its cache line */
    size_t slots = 64;
    while (slots < t->rows + t->rows / 2)
        slots *= 2;
    size_t mask = slots - 1;
    /* tag << 32 | row + 1, 0 = empty */
    uint64_t *set = buf_huge(calloc(slots, sizeof *set), slots * sizeof *set);
    if (!set || t->rows >= UINT32_MAX)
        return free(set), -1;
    uint64_t ahead[DUP_AHEAD];
    for (size_t i = 0; i < t->rows && i < DUP_AHEAD; i++) {
        ahead[i] = row_hash(t, i, key_col, group_col);
        __builtin_prefetch(&set[ahead[i] & mask]);
    }
    int found = 0;
    for (size_t i = 0; i < t->rows && !found; i++) {
        uint64_t h = ahead[i % DUP_AHEAD];
        if (i + DUP_AHEAD < t->rows) {
            uint64_t next = row_hash(t, i + DUP_AHEAD, key_col, group_col);
            ahead[i % DUP_AHEAD] = next;
            __builtin_prefetch(&set[next & mask]);
        }
        const char *key = table_cell(t, i, key_col);
        const char *group = group_col >= 0 ? table_cell(t, i, (size_t)group_col) : "";
        uint64_t tag = h >> 32 << 32;
        size_t at = (size_t)h & mask;
        for (; set[at]; at = (at + 1) & mask) {
            if ((set[at] & ~(uint64_t)UINT32_MAX) != tag)
                continue;
            size_t j = (size_t)(set[at] & UINT32_MAX) - 1;
            if (strcmp(table_cell(t, j, key_col), key) == 0 &&
                (group_col < 0 || strcmp(table_cell(t, j, (size_t)group_col), group) == 0)) {
                *first = j;
                *second = i;
                found = 1;
                break;
            }
        }
        set[at] = tag | (uint64_t)(i + 1);
    }
    free(set);
    return found;
}

int table_check_unique(const struct table *t, size_t key_col, long group_col,
                       const char *program, struct diag *diag)
{
    size_t first, second;
    int found = table_find_duplicate(t, key_col, group_col, &first, &second);
    if (found < 0)
        return diag_set(diag, "out of memory");
    if (found == 0)
        return 0;
    const char *key = table_cell(t, second, key_col);
    char quoted[64];
    return diag_set(diag, "%s:%ld: client \"%s\" appears again (first on line %ld)%s: %s wants "
                    "one row per client; roll sales lines up with cl-rollup first", t->name,
                    t->lines[second], diag_quote(key, strlen(key), quoted, sizeof quoted),
                    t->lines[first], group_col >= 0 ? " in the same group" : "", program);
}
