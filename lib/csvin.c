/* csvin.c — reading CSV: libcsv made strict and line-aware (see csvin.h),
 * and the lean scanner's way through a regular file (csvscan). Everything
 * the programs read as CSV comes through here. */
#include "csvin.h"

#include <assert.h>
#include <csv.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "csvrange.h"
#include "encoding.h"
#include "utf8.h"

#define READ_CHUNK (1u << 16)

struct csvin {
    struct csv_parser parser;
    int fd;
    char *name;
    char delim;

    /* raw input */
    unsigned char *buf;
    size_t buf_len, buf_pos;
    long long buf_base;     /* input offset of buf[0] */
    long long record_end;   /* input offset just past the last record handed out */
    int eof;
    int pending_cr;         /* last segment ended in CR: a following LF is the same line end */

    /* positions */
    long line;              /* physical line of the next byte to parse */
    long record_line;       /* where the record being built started */
    long record_no;
    int record_open;        /* bytes of a record have been fed */

    /* the record being built, then the record handed out */
    char *fields;           /* field bytes, each NUL-terminated */
    size_t fields_len, fields_cap;
    size_t *offsets;        /* start of each field in `fields` */
    size_t *lengths;
    size_t nfields, offsets_cap;
    int record_ready;
    int too_many_fields;
    int too_long;
    int bad_utf8;           /* the last error was invalid UTF-8 */
    int out_of_memory;

    /* the header */
    char **header;
    size_t ncols;

    /* the record handed out (same storage: built records are handed out
     * before the next one is started) */
    long out_line;

    struct csvfield *as_fields; /* the record as fields (csvin_record_fields) */
    size_t as_fields_cap;

    /* a file still being written (csvin_set_growing) */
    int (*grow_wait)(void *ctx, struct diag *diag);
    void *grow_ctx;
};

static int no_space(unsigned char c)
{
    (void)c;
    return 0;   /* never trim: "  12" keeps its spaces; parse trims numbers itself */
}

/* libcsv grows its field buffer without limit; this realloc refuses past
 * the ceiling, so an unterminated quote cannot swallow the memory. */
static void *capped_realloc(void *ptr, size_t size)
{
    if (size > CSVIN_MAX_FIELD + 1024)
        return NULL;
    return realloc(ptr, size);
}

static void on_field(void *data, size_t len, void *reader)
{
    struct csvin *in = reader;
    if (in->nfields >= CSVIN_MAX_FIELDS) {
        in->too_many_fields = 1;
        return;
    }
    if (len > CSVIN_MAX_FIELD) {
        in->too_long = 1;
        return;
    }
    if (in->nfields == in->offsets_cap) {
        size_t cap = in->offsets_cap ? in->offsets_cap * 2 : 32;
        size_t *o = realloc(in->offsets, cap * sizeof *o);
        size_t *l = o ? realloc(in->lengths, cap * sizeof *l) : NULL;
        if (o) in->offsets = o;
        if (!l) { in->out_of_memory = 1; return; }
        in->lengths = l;
        in->offsets_cap = cap;
    }
    if (in->fields_len + len + 1 > in->fields_cap) {
        size_t cap = in->fields_cap ? in->fields_cap : 4096;
        while (cap < in->fields_len + len + 1)
            cap *= 2;
        char *f = realloc(in->fields, cap);
        if (!f) { in->out_of_memory = 1; return; }
        in->fields = f;
        in->fields_cap = cap;
    }
    in->offsets[in->nfields] = in->fields_len;
    in->lengths[in->nfields] = len;
    if (len)
        memcpy(in->fields + in->fields_len, data, len);
    in->fields_len += len;
    in->fields[in->fields_len++] = '\0';
    in->nfields++;
}

static void on_record(int terminator, void *reader)
{
    (void)terminator;
    struct csvin *in = reader;
    in->record_ready = 1;
}

/* Read more bytes, keeping the unparsed tail. @return bytes read, 0 at EOF,
 * -1 on a read error. */
static ssize_t refill(struct csvin *in)
{
    if (in->buf_pos > 0) {
        memmove(in->buf, in->buf + in->buf_pos, in->buf_len - in->buf_pos);
        in->buf_base += (long long)in->buf_pos;
        in->buf_len -= in->buf_pos;
        in->buf_pos = 0;
    }
    size_t room = 2 * READ_CHUNK - in->buf_len;
    ssize_t n;
    if (room == 0)
        return 0;       /* a full buffer without a line end: fed in pieces */
    do {
        n = read(in->fd, in->buf + in->buf_len, room);
    } while (n < 0 && errno == EINTR);
    if (n > 0)
        in->buf_len += (size_t)n;
    else if (n == 0)
        in->eof = 1;
    return n;
}

static int fail(struct csvin *in, struct diag *diag, long line, const char *what)
{
    return diag_set(diag, "%s:%ld: %s", in->name, line, what);
}

/* Feed libcsv one segment: bytes up to and including one line end (or a
 * piece of a long line). Keeps the line count. @return 0 or -1. */
static int feed(struct csvin *in, struct diag *diag)
{
    unsigned char *start = in->buf + in->buf_pos;
    size_t avail = in->buf_len - in->buf_pos;
    size_t len = 0;
    int line_end = 0;

    if (in->pending_cr && avail > 0 && start[0] == '\n') {
        /* the LF of a CRLF split across reads: same line end */
        in->pending_cr = 0;
        if (csv_parse(&in->parser, start, 1, on_field, on_record, in) != 1)
            goto parse_error;
        in->buf_pos++;
        return 0;
    }
    in->pending_cr = 0;
    while (len < avail) {
        unsigned char c = start[len++];
        if (c == '\n') { line_end = 1; break; }
        if (c == '\r') {
            if (len < avail) {
                if (start[len] == '\n')
                    len++;
                line_end = 1;
                break;
            }
            if (in->eof) { line_end = 1; break; }
            /* CR at the end of the buffer: see whether LF follows */
            if (len > 1) { len--; break; }
            in->pending_cr = 1;
            line_end = 1;
            break;
        }
    }
    if (!line_end && !in->eof && len == avail) {
        /* an incomplete line: cut at a UTF-8 boundary */
        len = utf8_boundary(start, len);
        if (len == 0)
            return 0;   /* caller refills */
    }

    if (memchr(start, '\0', len) != NULL)
        return fail(in, diag, in->line, "NUL byte in the data (is this a CSV text file?)");
    if (!utf8_text_valid(start, len)) {
        in->bad_utf8 = 1;
        return fail(in, diag, in->line,
                    "invalid UTF-8 (convert the file first, e.g. iconv -f WINDOWS-1252 -t UTF-8)");
    }

    if (!in->record_open) {
        /* is this a blank line libcsv will skip? */
        size_t k = 0;
        while (k < len && (start[k] == '\r' || start[k] == '\n'))
            k++;
        if (k < len) {
            in->record_open = 1;
            in->record_line = in->line;
        }
    }
    if (csv_parse(&in->parser, start, len, on_field, on_record, in) != len)
        goto parse_error;
    in->buf_pos += len;
    if (line_end)
        in->line++;
    return 0;

parse_error:
    if (csv_error(&in->parser) == CSV_ENOMEM || in->too_long)
        return fail(in, diag, in->record_line,
                    "field longer than 1 MiB (an unterminated quote?)");
    return fail(in, diag, in->line,
                "malformed CSV: a quote inside an unquoted field, or text after a closing quote");
}

/* Is there a line end in s? Stops at the first, so that scanning costs
 * the length of one line, not of the buffer. */
static int has_line_end(const unsigned char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (s[i] == '\n' || s[i] == '\r')
            return 1;
    return 0;
}

static void reset_record(struct csvin *in)
{
    in->nfields = 0;
    in->fields_len = 0;
    in->record_ready = 0;
}

int csvin_next(csvin *in, struct diag *diag)
{
    if (in->grow_wait && csvin_wait_complete(in, diag) != 0)
        return -1;
    reset_record(in);
    for (;;) {
        if (in->record_ready)
            break;
        if (in->buf_pos == in->buf_len ||
            (!in->eof && !has_line_end(in->buf + in->buf_pos, in->buf_len - in->buf_pos))) {
            if (!in->eof) {
                size_t before = in->buf_len - in->buf_pos;
                if (refill(in) < 0)
                    return diag_set(diag, "%s: %s", in->name, strerror(errno));
                if (in->buf_len - in->buf_pos > before || in->eof)
                    continue;
            }
            if (in->buf_pos == in->buf_len && in->eof) {
                if (csv_fini(&in->parser, on_field, on_record, in) != 0)
                    return fail(in, diag, in->record_line,
                                "unterminated quoted field at the end of the file");
                if (in->record_ready)
                    break;
                return 0;
            }
        }
        if (feed(in, diag) < 0)
            return -1;
        if (in->too_many_fields)
            return fail(in, diag, in->record_line, "more than 10000 fields in a record");
        if (in->too_long)
            return fail(in, diag, in->record_line, "field longer than 1 MiB");
        if (in->out_of_memory)
            return fail(in, diag, in->record_line, "out of memory");
    }
    in->out_line = in->record_line;
    in->record_end = in->buf_base + (long long)in->buf_pos;
    in->record_open = 0;
    in->record_no++;
    return 1;
}

static char sniff(const unsigned char *s, size_t len)
{
    static const char candidates[] = { ',', ';', '\t', '|' };
    size_t counts[4] = { 0 };
    int quoted = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = s[i];
        if (c == '"') quoted = !quoted;
        else if (!quoted && (c == '\n' || c == '\r')) break;
        else if (!quoted)
            for (int k = 0; k < 4; k++)
                if (c == (unsigned char)candidates[k]) counts[k]++;
    }
    int best = 0;
    for (int k = 1; k < 4; k++)
        if (counts[k] > counts[best]) best = k;
    return candidates[best];
}

csvin *csvin_open(const char *path, char delim, struct diag *diag)
{
    int from_stdin = path == NULL || strcmp(path, "-") == 0;
    int fd = encoding_open_input(path, diag);     /* UTF-8, by the program's rule */
    if (fd < 0)
        return NULL;
    return csvin_open_fd(fd, from_stdin ? "-" : path, delim, diag);
}

/* Excel's first line "sep=;" names the delimiter: @return the length of
 * that line with its line end (0 when there is none), *delim the char. */
static size_t sep_line(const unsigned char *s, size_t len, char *delim)
{
    if (len < 5 || memcmp(s, "sep=", 4) != 0 || s[4] == '\r' || s[4] == '\n')
        return 0;
    size_t i = 5;
    if (i < len && s[i] == '\r')
        i++;
    if (i < len && s[i] == '\n')
        i++;
    if (i == 5 && i < len)
        return 0;           /* "sep=;x": not the marker line */
    *delim = (char)s[4];
    return i;
}

csvin *csvin_open_fd(int fd, const char *path, char delim, struct diag *diag)
{
    struct csvin *in = calloc(1, sizeof *in);
    if (!in) {
        if (fd > 0)
            close(fd);
        diag_set(diag, "out of memory");
        return NULL;
    }
    int from_stdin = path == NULL || strcmp(path, "-") == 0;
    in->fd = fd;
    in->name = strdup(from_stdin ? "stdin" : path);
    in->buf = malloc(2 * READ_CHUNK);
    if (!in->name || !in->buf) {
        diag_set(diag, "out of memory");
        goto fail;
    }
    in->line = 1;
    if (csv_init(&in->parser, CSV_STRICT | CSV_STRICT_FINI) != 0) {
        diag_set(diag, "out of memory");
        goto fail;
    }
    csv_set_space_func(&in->parser, no_space);
    csv_set_realloc_func(&in->parser, capped_realloc);

    /* enough bytes to strip a BOM and sniff the header line */
    while (!in->eof && in->buf_len < READ_CHUNK) {
        if (refill(in) < 0) {
            diag_set(diag, "%s: %s", in->name, strerror(errno));
            goto fail;
        }
    }
    if (in->buf_len >= 3 && memcmp(in->buf, "\xEF\xBB\xBF", 3) == 0)
        in->buf_pos = 3;
    char sep_delim;
    size_t sep = sep_line(in->buf + in->buf_pos, in->buf_len - in->buf_pos, &sep_delim);
    if (sep > 0) {          /* Excel's "sep=;" line: skipped, its delimiter used */
        in->buf_pos += sep;
        in->line++;
        if (!delim && (sep_delim == ',' || sep_delim == ';' || sep_delim == '\t' ||
                       sep_delim == '|'))
            delim = sep_delim;
    }
    if (in->buf_len == in->buf_pos) {
        diag_set(diag, "%s: empty file (a header line was expected)", in->name);
        goto fail;
    }
    in->delim = delim ? delim : sniff(in->buf + in->buf_pos, in->buf_len - in->buf_pos);
    csv_set_delim(&in->parser, (unsigned char)in->delim);

    int got = csvin_next(in, diag);
    if (got < 0)
        goto fail;
    if (got == 0) {
        diag_set(diag, "%s: empty file (a header line was expected)", in->name);
        goto fail;
    }
    in->ncols = in->nfields;
    in->header = calloc(in->ncols, sizeof *in->header);
    if (!in->header) {
        diag_set(diag, "out of memory");
        goto fail;
    }
    for (size_t i = 0; i < in->ncols; i++) {
        in->header[i] = strdup(in->fields + in->offsets[i]);
        if (!in->header[i]) {
            diag_set(diag, "out of memory");
            goto fail;
        }
        for (size_t j = 0; j < i; j++) {
            if (strcmp(in->header[i], in->header[j]) == 0) {
                char q[64];
                diag_set(diag, "%s:%ld: columns %zu and %zu are both named \"%s\"",
                         in->name, in->out_line, j + 1, i + 1,
                         diag_quote(in->header[i], strlen(in->header[i]), q, sizeof q));
                goto fail;
            }
        }
    }
    return in;

fail:
    csvin_close(in);
    return NULL;
}

size_t csvin_columns(const csvin *in) { return in->ncols; }
const char *csvin_column_name(const csvin *in, size_t col) { return in->header[col]; }
const char *const *csvin_column_names(const csvin *in)
{
    static const char *const none[1] = { NULL };
    return in->header ? (const char *const *)in->header : none;
}
size_t csvin_fields(const csvin *in) { return in->nfields; }
long csvin_line(const csvin *in) { return in->out_line; }
long csvin_record(const csvin *in) { return in->record_no; }
const char *csvin_name(const csvin *in) { return in->name; }
char csvin_delim(const csvin *in) { return in->delim; }
long csvin_offset_line(const csvin *in) { return in->line; }

void csvin_set_growing(csvin *in, int (*wait)(void *ctx, struct diag *diag), void *ctx)
{
    in->grow_wait = wait;
    in->grow_ctx = ctx;
}

void *csvin_growing(const csvin *in)
{
    return in->grow_ctx;
}

int csvin_wait_complete(csvin *in, struct diag *diag)
{
    if (!in->grow_wait)
        return 0;
    int (*wait)(void *, struct diag *) = in->grow_wait;
    void *ctx = in->grow_ctx;
    in->grow_wait = NULL;
    in->grow_ctx = NULL;
    return wait(ctx, diag);
}
long long csvin_offset(const csvin *in) { return in->record_end; }
int csvin_fd(const csvin *in) { return in->fd; }
int csvin_bad_utf8(const csvin *in) { return in->bad_utf8; }

const char *csvin_field(const csvin *in, size_t i, size_t *len)
{
    if (i >= in->nfields) {
        if (len) *len = 0;
        return "";
    }
    if (len) *len = in->lengths[i];
    return in->fields + in->offsets[i];
}

long csvin_find(const csvin *in, const char *name)
{
    for (size_t i = 0; i < in->ncols; i++)
        if (strcmp(in->header[i], name) == 0)
            return (long)i;
    return -1;
}

void csvin_close(csvin *in)
{
    if (!in)
        return;
    if (in->fd > 0)
        close(in->fd);
    csv_free(&in->parser);
    for (size_t i = 0; in->header && i < in->ncols; i++)
        free(in->header[i]);
    free(in->header);
    free(in->fields);
    free(in->offsets);
    free(in->lengths);
    free(in->as_fields);
    free(in->buf);
    free(in->name);
    free(in);
}

struct csvfield *csvin_record_fields(csvin *in)
{
    if (in->nfields >= in->as_fields_cap) {
        size_t cap = in->nfields * 2 + 1;
        struct csvfield *grown = realloc(in->as_fields, cap * sizeof *grown);
        if (!grown)
            return NULL;
        in->as_fields = grown;
        in->as_fields_cap = cap;
    }
    for (size_t i = 0; i < in->nfields; i++) {
        in->as_fields[i].ptr = in->fields + in->offsets[i];
        in->as_fields[i].len = in->lengths[i];
    }
    return in->as_fields;
}


/* ---- the fast way through a regular file ------------------------------ */

int csvscan_open(struct csvscan *scan, csvin *in)
{
    struct stat st;
    int fd = csvin_fd(in);
    long long start = csvin_offset(in);
    memset(scan, 0, sizeof *scan);
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size < start ||
        st.st_size - start > (1ll << 31))
        return 0;
    size_t size = (size_t)(st.st_size - start);
    if (!(scan->buf = malloc(size + 1)))
        return 0;
    while (scan->len < size) {
        ssize_t n = pread(fd, scan->buf + scan->len, size - scan->len,
                          start + (long long)scan->len);
        if (n <= 0)
            break;
        scan->len += (size_t)n;
    }
    /* the physical line where the data start: one past the header's lines */
    scan->line = csvrange_line_at(fd, start);
    scan->delim = csvin_delim(in);
    /* validate ahead: every record scanned once now, so that the reading
     * never falls back half-way */
    for (size_t at = 0;;) {
        size_t consumed;
        enum scan_status status = scan_next(scan->buf + at, scan->len - at, 1, scan->delim,
                                            &scan->record, &consumed);
        if (status == SCAN_END)
            break;
        if (status != SCAN_RECORD) {
            csvscan_close(scan);
            return 0;
        }
        scan->records++;
        at += consumed;
    }
    return 1;
}

enum scan_status csvscan_next(struct csvscan *scan, long *line)
{
    size_t consumed;
    enum scan_status status = scan_next(scan->buf + scan->pos, scan->len - scan->pos, 1,
                                        scan->delim, &scan->record, &consumed);
    assert(status == SCAN_RECORD || status == SCAN_END);    /* validated by csvscan_open */
    if (status != SCAN_RECORD)
        return status;
    const char *p = scan->buf + scan->pos, *end = p + consumed;
    for (; p < end && (*p == '\n' || *p == '\r'); p++)      /* blank lines skipped */
        scan->line += *p == '\n';
    *line = scan->line;
    while ((p = memchr(p, '\n', (size_t)(end - p))) != NULL) {
        scan->line++;
        p++;
    }
    scan->pos += consumed;
    return SCAN_RECORD;
}

void csvscan_close(struct csvscan *scan)
{
    if (!scan)
        return;
    free(scan->buf);
    scan_record_free(&scan->record);
    memset(scan, 0, sizeof *scan);
}
