#include "csvio.h"

#include <csv.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "encoding.h"
#include "hashtab.h"
#include "parse.h"
#include "scan.h"

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

static int utf8_valid(const unsigned char *s, size_t len, size_t *bad_at)
{
    size_t i = 0;
    while (i < len) {
        unsigned char c = s[i];
        if (c < 0x80) { i++; continue; }
        size_t n;
        unsigned min;
        unsigned cp;
        if (c >= 0xC2 && c <= 0xDF) { n = 1; cp = c & 0x1F; min = 0x80; }
        else if (c >= 0xE0 && c <= 0xEF) { n = 2; cp = c & 0x0F; min = 0x800; }
        else if (c >= 0xF0 && c <= 0xF4) { n = 3; cp = c & 0x07; min = 0x10000; }
        else { *bad_at = i; return 0; }
        if (i + n >= len) { *bad_at = i; return 0; }
        for (size_t k = 1; k <= n; k++) {
            if ((s[i + k] & 0xC0) != 0x80) { *bad_at = i; return 0; }
            cp = (cp << 6) | (s[i + k] & 0x3F);
        }
        if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
            *bad_at = i;
            return 0;
        }
        i += n + 1;
    }
    return 1;
}

int csvio_text_valid(const unsigned char *s, size_t len)
{
    size_t i = 0, bad_at;
#ifdef __SSE2__
    /* sixteen bytes at a time while they are ASCII and not NUL */
    while (i + 16 <= len) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
        if (_mm_movemask_epi8(_mm_or_si128(v, _mm_cmpeq_epi8(v, _mm_setzero_si128()))))
            break;
        i += 16;
    }
#endif
    /* eight bytes at a time while they are ASCII and not NUL */
    while (i + 8 <= len) {
        uint64_t w;
        memcpy(&w, s + i, 8);
        if ((w & 0x8080808080808080ull) || ((w - 0x0101010101010101ull) & ~w & 0x8080808080808080ull))
            break;
        i += 8;
    }
    if (memchr(s + i, '\0', len - i) != NULL)
        return 0;
    return utf8_valid(s + i, len - i, &bad_at);
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
        size_t back = 0;
        while (back < 3 && back < len && (start[len - 1 - back] & 0xC0) == 0x80)
            back++;
        if (back < len && start[len - 1 - back] >= 0xC0)
            len -= back + 1;
        if (len == 0)
            return 0;   /* caller refills */
    }

    if (memchr(start, '\0', len) != NULL)
        return fail(in, diag, in->line, "NUL byte in the data (is this a CSV text file?)");
    if (!csvio_text_valid(start, len) && (in->bad_utf8 = 1))
        return fail(in, diag, in->line,
                    "invalid UTF-8 (convert the file first, e.g. iconv -f WINDOWS-1252 -t UTF-8)");

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
size_t csvin_fields(const csvin *in) { return in->nfields; }
long csvin_line(const csvin *in) { return in->out_line; }
long csvin_record(const csvin *in) { return in->record_no; }
const char *csvin_name(const csvin *in) { return in->name; }
char csvin_delim(const csvin *in) { return in->delim; }
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
    free(in->buf);
    free(in->name);
    free(in);
}

/* ---- writing --------------------------------------------------------- */

void csvout_init(struct csvout *out, FILE *fp, int excel)
{
    out->fp = fp;
    out->excel = excel;
    out->delim = excel ? ';' : ',';
    out->mark = excel ? ',' : '.';
    out->row_started = 0;
    out->source_mark = '.';
    out->sink_fn = NULL;
    out->sink = NULL;
    if (excel)
        fputs("\xEF\xBB\xBF", fp);
}

void csvout_set_sink(struct csvout *out, csvout_sink_fn *fn, void *sink)
{
    out->sink_fn = fn;
    out->sink = sink;
}

/* @return 1 when a sink took the value (nothing to write to fp). */
static int to_sink(struct csvout *out, enum csvout_kind kind, const char *text, size_t len,
                   int decimals)
{
    if (!out->sink_fn)
        return 0;
    struct csvout_value value = { kind, text, len, decimals };
    out->sink_fn(out->sink, &value);
    return 1;
}

void csvout_source_mark(struct csvout *out, char mark)
{
    out->source_mark = mark == ',' ? ',' : '.';
}

char csvio_source_mark(char delim)
{
    return delim == ';' ? ',' : '.';
}

int csvio_plain_number(const char *s, size_t len, char mark, char *out, size_t out_size)
{
    size_t i = 0, o = 0;
    if (len + 1 > out_size || len == 0)
        return 0;
    if (s[0] == '-')
        out[o++] = s[i++];
    size_t digits = 0;
    while (i < len && s[i] >= '0' && s[i] <= '9') {
        out[o++] = s[i++];
        digits++;
    }
    if (digits == 0)
        return 0;
    if (i < len && s[i] == mark) {
        out[o++] = '.';
        i++;
        size_t decimals = 0;
        while (i < len && s[i] >= '0' && s[i] <= '9') {
            out[o++] = s[i++];
            decimals++;
        }
        if (decimals == 0)
            return 0;
    }
    if (i != len)
        return 0;
    out[o] = '\0';
    return 1;
}

static void separator(struct csvout *out)
{
    if (out->row_started)
        putc(out->delim, out->fp);
    out->row_started = 1;
}

void csvout_text_len(struct csvout *out, const char *text, size_t len)
{
    if (to_sink(out, CSVOUT_TEXT, text, len, -1))
        return;
    separator(out);
    int formula = out->excel && len > 0 &&
                  (text[0] == '=' || text[0] == '+' || text[0] == '-' || text[0] == '@' ||
                   text[0] == '\t' || text[0] == '\r');
    int quote = formula;
    for (size_t i = 0; i < len && !quote; i++) {
        char c = text[i];
        if (c == out->delim || c == '"' || c == '\n' || c == '\r')
            quote = 1;
    }
    if (len > 0 && (text[0] == ' ' || text[len - 1] == ' '))
        quote = 1;      /* keep spaces visible to readers that trim */
    if (!quote) {
        fwrite(text, 1, len, out->fp);
        return;
    }
    putc('"', out->fp);
    if (formula)
        putc('\'', out->fp);    /* shown as text by spreadsheets, never evaluated */
    for (size_t i = 0; i < len; i++) {
        if (text[i] == '"')
            putc('"', out->fp);
        putc(text[i], out->fp);
    }
    putc('"', out->fp);
}

void csvout_text(struct csvout *out, const char *text)
{
    csvout_text_len(out, text, strlen(text));
}

void csvout_number(struct csvout *out, const char *number)
{
    if (to_sink(out, CSVOUT_NUMBER, number, strlen(number), -1))
        return;
    separator(out);
    if (out->mark == '.') {
        fputs(number, out->fp);
        return;
    }
    for (const char *p = number; *p; p++)
        putc(*p == '.' ? out->mark : *p, out->fp);
}

void csvout_cell(struct csvout *out, const char *text, int as_number)
{
    char number[64];
    if (out->sink_fn) {
        /* the sink gets numbers with '.', whatever the source's mark */
        int plain = as_number && csvio_plain_number(text, strlen(text), out->source_mark, number,
                                                    sizeof number);
        const char *cell = plain ? number : text;
        to_sink(out, as_number ? CSVOUT_CELL : CSVOUT_TEXT, cell, strlen(cell), -1);
        return;
    }
    if (as_number && (out->excel || out->source_mark != '.') &&
        csvio_plain_number(text, strlen(text), out->source_mark, number, sizeof number)) {
        csvout_number(out, number);
        return;
    }
    csvout_text(out, text);
}

void csvout_double(struct csvout *out, double value)
{
    char buf[32];
    format_double(value, '.', buf);
    if (to_sink(out, CSVOUT_REAL, buf, strlen(buf), -1))
        return;
    csvout_number(out, buf);
}

void csvout_fixed(struct csvout *out, double value, int decimals)
{
    char buf[48];
    format_fixed(value, decimals, '.', buf);
    if (to_sink(out, CSVOUT_REAL, buf, strlen(buf), decimals))
        return;
    csvout_number(out, buf);
}

void csvout_long(struct csvout *out, long long value)
{
    char buf[32];
    snprintf(buf, sizeof buf, "%lld", value);
    if (to_sink(out, CSVOUT_INTEGER, buf, strlen(buf), 0))
        return;
    csvout_number(out, buf);
}

void csvout_money(struct csvout *out, int64_t scaled, int decimals)
{
    char buf[32];
    format_money(scaled, decimals, '.', buf);
    if (to_sink(out, CSVOUT_MONEY, buf, strlen(buf), decimals))
        return;
    csvout_number(out, buf);
}

void csvout_empty(struct csvout *out)
{
    if (to_sink(out, CSVOUT_EMPTY, "", 0, -1))
        return;
    separator(out);
}

void csvout_end_row(struct csvout *out)
{
    if (to_sink(out, CSVOUT_END_ROW, "", 0, -1))
        return;
    if (out->excel)
        putc('\r', out->fp);
    putc('\n', out->fp);
    out->row_started = 0;
}

/* ---- whole tables ---------------------------------------------------- */

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

/* Append one row's fields to the table. @return 0 or -1 (out of memory). */
static int table_append(struct table *t, const struct csvfield *fields, long line,
                        size_t **offsets, size_t *arena_len, size_t *arena_cap, size_t *cap)
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
        size_t len = fields[i].len;
        if (*arena_len + len + 1 > *arena_cap) {
            size_t n = *arena_cap ? *arena_cap * 2 : 65536;
            while (n < *arena_len + len + 1)
                n *= 2;
            char *a = realloc(t->arena, n);
            if (!a)
                return -1;
            t->arena = a;
            *arena_cap = n;
        }
        memcpy(t->arena + *arena_len, fields[i].ptr, len);
        t->arena[*arena_len + len] = '\0';
        (*offsets)[t->rows * t->columns + i] = *arena_len;
        *arena_len += len + 1;
    }
    t->lines[t->rows++] = line;
    return 0;
}

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
    scan->line = 1;
    char chunk[65536];
    for (long long at = 0; at < start;) {
        size_t want = start - at < (long long)sizeof chunk ? (size_t)(start - at) : sizeof chunk;
        ssize_t n = pread(fd, chunk, want, at);
        if (n <= 0) {
            csvscan_close(scan);
            return 0;
        }
        for (ssize_t i = 0; i < n; i++)
            scan->line += chunk[i] == '\n';
        at += n;
    }
    scan->delim = csvin_delim(in);
    return 1;
}

enum scan_status csvscan_next(struct csvscan *scan, long *line)
{
    size_t consumed;
    enum scan_status status = scan_next(scan->buf + scan->pos, scan->len - scan->pos, 1,
                                        scan->delim, &scan->record, &consumed);
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
 * (the caller reads with libcsv, which gives the exact diagnostic); -1
 * error. */
static int load_scanned(struct table *t, csvin *in, struct diag *diag)
{
    struct csvscan scan;
    if (!csvscan_open(&scan, in))
        return 0;
    /* rows are at most the line ends + 1: size the arrays once */
    size_t most = 1;
    for (const char *p = scan.buf, *end = scan.buf + scan.len;
         (p = memchr(p, '\n', (size_t)(end - p))) != NULL; p++)
        most++;
    t->cells = malloc((most * t->columns + 1) * sizeof *t->cells);
    t->lines = malloc(most * sizeof *t->lines);
    if (!t->cells || !t->lines) {
        csvscan_close(&scan);
        diag_set(diag, "out of memory");
        return -1;
    }
    int result = 1;
    for (;;) {
        long line;
        enum scan_status status = csvscan_next(&scan, &line);
        if (status == SCAN_END)
            break;
        if (status != SCAN_RECORD || t->rows == most) {
            result = 0;
            break;
        }
        size_t count = scan.record.count;
        if (count != t->columns) {
            diag_set(diag, "%s:%ld: %zu field%s where the header has %zu", t->name, line,
                     count, count == 1 ? "" : "s", t->columns);
            result = -1;
            break;
        }
        char **row = t->cells + t->rows * t->columns;
        for (size_t i = 0; i < count; i++) {
            const struct csvfield *f = &scan.record.fields[i];
            if (f->ptr >= scan.buf && f->ptr < scan.buf + scan.len + 1) {
                char *cell = scan.buf + (f->ptr - scan.buf);
                cell[f->len] = '\0';
                row[i] = cell;
            } else if (!(row[i] = keep_quoted(t, f->ptr, f->len))) {
                diag_set(diag, "out of memory");
                result = -1;
                break;
            }
        }
        if (result != 1)
            break;
        t->lines[t->rows++] = line;
    }
    if (result == 1) {
        t->arena = scan.buf;            /* the table keeps the file's bytes */
        scan.buf = NULL;
    } else {                            /* start again with libcsv */
        t->rows = 0;
        free(t->cells);
        free(t->lines);
        t->cells = NULL;
        t->lines = NULL;
        while (t->blocks) {
            void *next = *(void **)t->blocks;
            free(t->blocks);
            t->blocks = next;
        }
    }
    csvscan_close(&scan);
    return result;
}

static int append_record(struct table *t, csvin *in, size_t **offsets, size_t *arena_len,
                         size_t *arena_cap, size_t *cap)
{
    struct csvfield *fields = malloc(t->columns * sizeof *fields);
    if (!fields)
        return -1;
    for (size_t i = 0; i < t->columns; i++)
        fields[i].ptr = csvin_field(in, i, &fields[i].len);
    int rc = table_append(t, fields, csvin_line(in), offsets, arena_len, arena_cap, cap);
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
    size_t *offsets = NULL, arena_len = 0, arena_cap = 0, cap = 0;
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
        if (append_record(t, in, &offsets, &arena_len, &arena_cap, &cap) != 0)
            goto nomem;
    }
    if (got < 0)
        goto fail;
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
    diag_set(diag, "out of memory");
fail:
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
 * the rows, and nothing copied (cells are compared where they are). */
int table_find_duplicate(const struct table *t, size_t key_col, long group_col,
                         size_t *first, size_t *second)
{
    size_t slots = 64;
    while (slots < 2 * t->rows)
        slots *= 2;
    uint32_t *set = calloc(slots, sizeof *set);         /* row + 1, 0 = empty */
    if (!set || t->rows >= UINT32_MAX)
        return free(set), -1;
    int found = 0;
    for (size_t i = 0; i < t->rows && !found; i++) {
        const char *key = table_cell(t, i, key_col);
        const char *group = group_col >= 0 ? table_cell(t, i, (size_t)group_col) : "";
        uint64_t h = hashtab_hash(key, strlen(key)) ^
                     (hashtab_hash(group, strlen(group)) * 0x9E3779B97F4A7C15ull);
        size_t at = (size_t)h & (slots - 1);
        for (; set[at]; at = (at + 1) & (slots - 1)) {
            size_t j = set[at] - 1;
            if (strcmp(table_cell(t, j, key_col), key) == 0 &&
                (group_col < 0 || strcmp(table_cell(t, j, (size_t)group_col), group) == 0)) {
                *first = j;
                *second = i;
                found = 1;
                break;
            }
        }
        set[at] = (uint32_t)(i + 1);
    }
    free(set);
    return found;
}
