/* table.c — loading a whole CSV table (see table.h): the scanner's way
 * over a regular file without copying, else libcsv's, both to the same
 * cells; then the duplicate-key search on one hashed set. */
#include "table.h"

#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "csvin.h"
#include "hashtab.h"

#define TABLE_MAX_BYTES ((size_t)1 << 32)   /* the cells' bytes by libcsv's way */

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
    while (t->blocks) {
        void *next = *(void **)t->blocks;
        free(t->blocks);
        t->blocks = next;
    }
    free(t->name);
    memset(t, 0, sizeof *t);
}

/* Append one row's fields to the table: their bytes, each NUL-terminated,
 * to the arena, their offsets to `offsets`. @return 0 or -1 (out of
 * memory, or the arena's ceiling). */
static int table_append(struct table *t, const struct csvfield *fields, long line,
                        size_t **offsets, struct buf *arena, size_t *cap)
{
    if (t->rows == *cap) {
        size_t n = *cap ? *cap * 2 : 256;
        size_t *o = realloc(*offsets, n * t->columns * sizeof *o);
        if (!o)
            return -1;
        *offsets = o;
        long *lines = realloc(t->lines, n * sizeof *lines);
        if (!lines)
            return -1;
        t->lines = lines;
        *cap = n;
    }
    for (size_t i = 0; i < t->columns; i++) {
        (*offsets)[t->rows * t->columns + i] = arena->len;
        if (buf_add(arena, fields[i].ptr, fields[i].len) != 0 || buf_addc(arena, '\0') != 0)
            return -1;
    }
    t->lines[t->rows++] = line;
    return 0;
}

/* A copy of a quoted cell (unescaped in the scanner's scratch area) in a
 * block of its own: blocks never move, so cell pointers stay valid. */
static char *keep_quoted(struct table *t, const char *bytes, size_t len)
{
    void **block = malloc(sizeof *block + len + 1);
    if (!block)
        return NULL;
    *block = t->blocks;
    t->blocks = block;
    char *copy = (char *)(block + 1);
    memcpy(copy, bytes, len);
    copy[len] = '\0';
    return copy;
}

/* The fast way for a regular file (csvscan), without copying: the table
 * keeps the file's bytes and each unquoted cell points into them, ended by
 * a NUL written over the delimiter or line end that followed it (the
 * record is fully scanned by then). @return 1 done; 0 not possible here
 * (csvscan_open refused the file: the caller reads with libcsv, which
 * gives the exact diagnostic; nothing was read); -1 error. */
static int load_scanned(struct table *t, csvin *in, struct diag *diag)
{
    struct csvscan scan;
    if (!csvscan_open(&scan, in))
        return 0;
    /* csvscan_open counted the records: the arrays are sized once */
    size_t rows = scan.records;
    t->cells = malloc((rows * t->columns + 1) * sizeof *t->cells);
    t->lines = malloc((rows + 1) * sizeof *t->lines);
    if (!t->cells || !t->lines) {
        csvscan_close(&scan);
        return diag_set(diag, "out of memory");
    }
    int result = 1;
    long line;
    while (result == 1 && csvscan_next(&scan, &line) == SCAN_RECORD) {
        assert(t->rows < rows);
        size_t count = scan.record.count;
        if (count != t->columns) {
            result = diag_set(diag, "%s:%ld: %zu field%s where the header has %zu", t->name,
                              line, count, count == 1 ? "" : "s", t->columns);
            break;
        }
        char **row = t->cells + t->rows * t->columns;
        for (size_t i = 0; i < count && result == 1; i++) {
            const struct csvfield *f = &scan.record.fields[i];
            if (f->ptr >= scan.buf && f->ptr < scan.buf + scan.len + 1) {
                char *cell = scan.buf + (f->ptr - scan.buf);
                cell[f->len] = '\0';
                row[i] = cell;
            } else if (!(row[i] = keep_quoted(t, f->ptr, f->len))) {
                result = diag_set(diag, "out of memory");
            }
        }
        if (result == 1)
            t->lines[t->rows++] = line;
    }
    if (result == 1) {
        t->arena = scan.buf;            /* the table keeps the file's bytes */
        scan.buf = NULL;
    }
    csvscan_close(&scan);
    return result;
}

static int append_record(struct table *t, csvin *in, size_t **offsets, struct buf *arena,
                         size_t *cap)
{
    struct csvfield *fields = malloc(t->columns * sizeof *fields);
    if (!fields)
        return -1;
    for (size_t i = 0; i < t->columns; i++)
        fields[i].ptr = csvin_field(in, i, &fields[i].len);
    int rc = table_append(t, fields, csvin_line(in), offsets, arena, cap);
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
        char *c = t->cells[i];
        if (c[0] == '\'' && c[1] && strchr("=+-@\t\r", c[1]))
            t->cells[i] = c + 1;
    }
}

/* Cells are appended to one arena (no allocation per cell); their
 * pointers are set once the arena has stopped moving. */
int table_load(struct table *t, const char *path, char delim, struct diag *diag)
{
    memset(t, 0, sizeof *t);
    size_t *offsets = NULL, cap = 0;
    struct buf arena;
    buf_init(&arena, TABLE_MAX_BYTES);
    csvin *in = csvin_open(path, delim, diag);
    if (!in)
        return -1;
    t->name = strdup(csvin_name(in));
    t->delim = csvin_delim(in);
    t->columns = csvin_columns(in);
    t->header = calloc(t->columns, sizeof *t->header);
    if (!t->name || !t->header)
        goto nomem;
    for (size_t i = 0; i < t->columns; i++)
        if (!(t->header[i] = strdup(csvin_column_name(in, i))))
            goto nomem;
    int got;
    if ((got = load_scanned(t, in, diag)) > 0) {
        csvin_close(in);            /* the scanner read the whole file */
        unneutralise(t);
        return 0;
    }
    if (got < 0)
        goto fail;
    while ((got = csvin_next(in, diag)) > 0) {
        if (csvin_fields(in) != t->columns) {
            diag_set(diag, "%s:%ld: %zu field%s where the header has %zu", t->name,
                     csvin_line(in), csvin_fields(in), csvin_fields(in) == 1 ? "" : "s",
                     t->columns);
            goto fail;
        }
        if (append_record(t, in, &offsets, &arena, &cap) != 0)
            goto nomem;
    }
    if (got < 0)
        goto fail;
    t->arena = buf_take(&arena);
    t->cells = malloc((t->rows * t->columns + 1) * sizeof *t->cells);
    if (!t->cells)
        goto nomem;
    for (size_t i = 0; i < t->rows * t->columns; i++)
        t->cells[i] = t->arena + offsets[i];
    free(offsets);
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
    free(offsets);
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
    size_t slots = 64;
    while (slots < 2 * t->rows)
        slots *= 2;
    size_t mask = slots - 1;
    uint64_t *set = calloc(slots, sizeof *set);     /* tag << 32 | row + 1, 0 = empty */
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
