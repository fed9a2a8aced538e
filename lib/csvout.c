/* csvout.c — the CSV writer (see csvout.h): quoting, the two dialects,
 * numbers in the output's decimal mark, and the three destinations (a
 * FILE, memory, a sink of typed calls). */
#define _GNU_SOURCE     /* sync_file_range */
#include "csvout.h"

#include <assert.h>
#include <fcntl.h>
#include <pthread.h>
#include <string.h>
#include <sys/stat.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "parse.h"

#define BATCH_BLOCK ((size_t)1 << 20)

/* A batch's memory that could not grow: what it holds goes to its FILE,
 * and the bytes that did not fit after it. */
static void spill(struct csvout *out, const char *bytes, size_t len)
{
    fwrite(out->mem->data, 1, out->mem->len, out->spill);
    buf_reset(out->mem);
    fwrite(bytes, 1, len, out->spill);
}

/* Every byte goes out through these two: to the FILE, or to memory. */
static void put_bytes(struct csvout *out, const char *bytes, size_t len)
{
    if (!out->mem)
        fwrite(bytes, 1, len, out->fp);
    else if (buf_add_inline(out->mem, bytes, len) != 0 && out->spill)
        spill(out, bytes, len);
}

static void put_char(struct csvout *out, char c)
{
    if (!out->mem)
        putc(c, out->fp);
    else if (buf_addc_inline(out->mem, c) != 0 && out->spill)
        spill(out, &c, 1);
}

void csvout_init(struct csvout *out, FILE *fp, int excel)
{
    out->fp = fp;
    out->mem = NULL;
    out->excel = excel;
    out->delim = excel ? ';' : ',';
    out->mark = excel ? ',' : '.';
    out->row_started = 0;
    out->source_mark = '.';
    out->sink_fn = NULL;
    out->sink = NULL;
    out->spill = NULL;
    out->threads = 0;
    if (excel)
        fputs("\xEF\xBB\xBF", fp);
}

int csvout_set_delimiter(struct csvout *out, char delim)
{
    if (out->excel && delim == ',')
        return -1;
    out->delim = delim;
    out->mark = out->excel || parse_mark_of_delim(delim) == ',' ? ',' : '.';
    return 0;
}

void csvout_init_mem(struct csvout *out, struct buf *mem, const struct csvout *like)
{
    assert(mem != NULL && like != NULL);
    *out = *like;
    out->fp = NULL;
    out->mem = mem;
    out->row_started = 0;
    out->sink_fn = NULL;
    out->sink = NULL;
    out->spill = NULL;
}

struct csvout *csvout_batch_start(struct csvout_batch *batch, struct csvout *out)
{
    batch->out = out;
    buf_init(&batch->mem, 0);
    if (out->sink_fn || out->mem || !out->fp || buf_reserve(&batch->mem, BATCH_BLOCK + 4096))
        return out;
    csvout_init_mem(&batch->writer, &batch->mem, out);
    batch->writer.row_started = out->row_started;
    batch->writer.spill = out->fp;
    return &batch->writer;
}

static void batch_flush(struct csvout_batch *batch)
{
    fwrite(batch->mem.data, 1, batch->mem.len, batch->out->fp);
    buf_reset(&batch->mem);
}

void csvout_batch_row(struct csvout_batch *batch)
{
    if (batch->mem.len >= BATCH_BLOCK)
        batch_flush(batch);
}

void csvout_batch_end(struct csvout_batch *batch)
{
    if (batch->mem.data) {
        batch_flush(batch);
        batch->out->row_started = batch->writer.row_started;
    }
    buf_free(&batch->mem);
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
    char mark = parse_mark_of_delim(delim);
    return mark ? mark : '.';
}

static void separator(struct csvout *out)
{
    if (out->row_started)
        put_char(out, out->delim);
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
        put_bytes(out, text, len);
        return;
    }
    put_char(out, '"');
    if (formula)
        put_char(out, '\'');    /* shown as text by spreadsheets, never evaluated */
    for (size_t i = 0; i < len; i++) {
        if (text[i] == '"')
            put_char(out, '"');
        put_char(out, text[i]);
    }
    put_char(out, '"');
}

void csvout_text(struct csvout *out, const char *text)
{
    csvout_text_len(out, text, strlen(text));
}

void csvout_number(struct csvout *out, const char *number)
{
    if (out->sink_fn && to_sink(out, CSVOUT_NUMBER, number, strlen(number), -1))
        return;
    separator(out);
    if (out->mark == '.') {
        put_bytes(out, number, strlen(number));
        return;
    }
    for (const char *p = number; *p; p++)
        put_char(out, *p == '.' ? out->mark : *p);
}

void csvout_cell(struct csvout *out, const char *text, int as_number)
{
    char number[64];
    if (out->sink_fn) {
        /* the sink gets numbers with '.', whatever the source's mark */
        int plain = as_number && parse_plain_number(text, strlen(text), out->source_mark, number,
                                                    sizeof number);
        const char *cell = plain ? number : text;
        to_sink(out, as_number ? CSVOUT_CELL : CSVOUT_TEXT, cell, strlen(cell), -1);
        return;
    }
    if (as_number && (out->mark != '.' || out->source_mark != '.') &&
        parse_plain_number(text, strlen(text), out->source_mark, number, sizeof number)) {
        csvout_number(out, number);
        return;
    }
    csvout_text(out, text);
}

/* ---- rows formatted by two threads -------------------------------------- */

/* Blocks of 32,768 rows, or of an eighth of the rows when that is fewer
 * (the bench file's 87 k clients: 8 blocks of 10,880, where they were
 * formatted through stdio by one thread while the other waited, a sixth
 * of the roll-up's serial end); two threads from 16,384 rows. */
#define ROWS_BLOCK 32768
#define ROWS_PARALLEL_FROM 16384

/* Two threads (this one and one more) each take the next block of rows,
 * format it into their own buffer, wait for its turn, and write it: the
 * kernel's copy of the bytes written (a fifth of cl-pareto's time on 5 M
 * rows) is shared between the threads as the formatting is, where the
 * caller's thread used to write every block while the other formatted. */
struct rows_shared {
    csvout_rows_fn *fn;
    void *arg;
    FILE *fp;
    size_t rows, block, blocks;    /* block: rows a block */
    pthread_mutex_t lock;
    pthread_cond_t turn_changed;
    size_t next;        /* the next block to take */
    size_t turn;        /* the block whose turn it is to be written */
    size_t written;     /* rows written */
    int stopped;        /* a block ran out of memory: nothing after it is written */
    int kick_fd;        /* >= 0: fp's file, a regular one, whose writeback is started */
    size_t unkicked;    /* bytes written since it was last started */
};

/* The writeback of a regular file is started every 16 MiB written, so that
 * the disk works (and the file system finds the blocks) while the rows are
 * formatted, on both threads, where an atomic output's fsync at the end
 * did it all on one (0.3 to 0.7 s for cl-pareto's 688 MB). */
#define KICK_BYTES ((size_t)16 << 20)

/* A formatting thread's writer and buffer, written at each cell: on cache
 * lines of their own (buf.h), not on the line where the other thread's
 * begin (an array of two on the stack). */
struct rows_worker {
    _Alignas(BUF_LINES) struct rows_shared *shared;
    struct csvout writer;
    struct buf mem;
};

static void *rows_worker(void *arg)
{
    struct rows_worker *w = arg;
    struct rows_shared *sh = w->shared;
    for (;;) {
        pthread_mutex_lock(&sh->lock);
        size_t b = sh->stopped ? sh->blocks : sh->next;
        if (b < sh->blocks)
            sh->next++;
        pthread_mutex_unlock(&sh->lock);
        if (b >= sh->blocks)
            return NULL;
        size_t from = b * sh->block;
        size_t to = from + sh->block < sh->rows ? from + sh->block : sh->rows;
        buf_reset(&w->mem);
        w->writer.row_started = 0;
        sh->fn(sh->arg, &w->writer, from, to);
        pthread_mutex_lock(&sh->lock);
        while (sh->turn != b)
            pthread_cond_wait(&sh->turn_changed, &sh->lock);
        int write = !sh->stopped && !w->mem.failed;
        if (!write)
            sh->stopped = 1;
        pthread_mutex_unlock(&sh->lock);
        /* alone in its turn: the blocks go out in order */
        int kick = 0;
        if (write) {
            fwrite(w->mem.data, 1, w->mem.len, sh->fp);
            sh->unkicked += w->mem.len;
            kick = sh->kick_fd >= 0 && sh->unkicked >= KICK_BYTES && fflush(sh->fp) == 0;
            if (kick)
                sh->unkicked = 0;
        }
        pthread_mutex_lock(&sh->lock);
        if (write)
            sh->written = to;
        sh->turn++;
        pthread_cond_broadcast(&sh->turn_changed);
        pthread_mutex_unlock(&sh->lock);
#ifdef SYNC_FILE_RANGE_WRITE
        if (kick)       /* (out of the turn: the other thread may write meanwhile) */
            (void)sync_file_range(sh->kick_fd, 0, 0, SYNC_FILE_RANGE_WRITE);
#endif
    }
}

size_t csvout_rows_parallel(struct csvout *out, size_t rows, csvout_rows_fn *fn, void *arg)
{
    if (out->threads == 1 || out->sink_fn || out->mem || !out->fp || rows < ROWS_PARALLEL_FROM)
        return 0;
    size_t block = (rows + 7) / 8 < ROWS_BLOCK ? (rows + 7) / 8 : ROWS_BLOCK;
    struct rows_shared sh = {
        .fn = fn, .arg = arg, .fp = out->fp, .rows = rows, .block = block,
        .blocks = (rows + block - 1) / block, .kick_fd = -1,
    };
    struct stat st;
    if (fstat(fileno(out->fp), &st) == 0 && S_ISREG(st.st_mode))
        sh.kick_fd = fileno(out->fp);
    if (pthread_mutex_init(&sh.lock, NULL) != 0)
        return 0;
    if (pthread_cond_init(&sh.turn_changed, NULL) != 0) {
        pthread_mutex_destroy(&sh.lock);
        return 0;
    }
    struct rows_worker w[2];
    for (int k = 0; k < 2; k++) {
        w[k].shared = &sh;
        buf_init(&w[k].mem, 0);
        csvout_init_mem(&w[k].writer, &w[k].mem, out);
    }
    pthread_t thread;
    int running = pthread_create(&thread, NULL, rows_worker, &w[1]) == 0;
    rows_worker(&w[0]);     /* alone when the thread could not start: all in turn */
    if (running)
        pthread_join(thread, NULL);
    for (int k = 0; k < 2; k++)
        buf_free(&w[k].mem);
    pthread_cond_destroy(&sh.turn_changed);
    pthread_mutex_destroy(&sh.lock);
    return sh.written;
}

/* Does any byte of s[0..len) need quotes in this output? Spaces count
 * wherever they are (only those at a cell's ends do). *nuls gets the
 * number of NUL bytes (when none needs quotes). */
static int span_needs_quotes(const char *s, size_t len, char delim, size_t *nuls)
{
    size_t i = 0, zeros = 0;
#ifdef __SSE2__
    const __m128i d = _mm_set1_epi8(delim), q = _mm_set1_epi8('"'), lf = _mm_set1_epi8('\n');
    const __m128i cr = _mm_set1_epi8('\r'), sp = _mm_set1_epi8(' '), nul = _mm_setzero_si128();
    /* NULs counted per byte lane (a match is -1: subtracted, it adds 1),
     * summed every 255 blocks, before a lane can wrap: no popcount call */
    __m128i lanes = _mm_setzero_si128();
    int blocks = 0;
    for (; i + 16 <= len; i += 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
        __m128i m = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, d), _mm_cmpeq_epi8(v, q)),
                                 _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, lf),
                                                           _mm_cmpeq_epi8(v, cr)),
                                              _mm_cmpeq_epi8(v, sp)));
        if (_mm_movemask_epi8(m))
            return 1;
        lanes = _mm_sub_epi8(lanes, _mm_cmpeq_epi8(v, nul));
        if (++blocks == 255 || i + 32 > len) {
            __m128i sums = _mm_sad_epu8(lanes, nul);
            zeros += (size_t)_mm_cvtsi128_si32(sums) + (size_t)_mm_extract_epi16(sums, 4);
            lanes = _mm_setzero_si128();
            blocks = 0;
        }
    }
#endif
    for (; i < len; i++) {
        char c = s[i];
        if (c == delim || c == '"' || c == '\n' || c == '\r' || c == ' ')
            return 1;
        zeros += c == '\0';
    }
    *nuls = zeros;
    return 0;
}

int csvout_span_len(const struct csvout *out, const char *const *cells, size_t n, size_t *len)
{
    if (n == 0 || out->sink_fn || out->excel || out->mark != '.' || out->source_mark != '.' ||
        out->delim == '\0')
        return 0;
    /* the cells one after the other, each ended by its NUL: each cell
     * starts past the one before, right after a NUL, and the span up to
     * the last cell's end holds no other NUL (counted with the bytes that
     * need quotes), so that each cell ends where the next one starts: no
     * strlen but the last cell's */
    const char *start = cells[0];
    for (size_t i = 1; i < n; i++)
        if (cells[i] <= cells[i - 1] || cells[i][-1] != '\0')
            return 0;
    size_t bytes = (size_t)(cells[n - 1] - start) + strlen(cells[n - 1]), nuls;
    if (span_needs_quotes(start, bytes, out->delim, &nuls) || nuls != n - 1)
        return 0;
    *len = bytes;
    return 1;
}

/* The bytes of a span as they go out, into to[0..len): each NUL the
 * delimiter. */
static void span_bytes(const struct csvout *out, char *to, const char *start, size_t len)
{
    size_t i = 0;
#ifdef __SSE2__
    /* 16 bytes a step, each NUL made the delimiter (NUL is 0: OR it in) */
    const __m128i zero = _mm_setzero_si128(), d = _mm_set1_epi8(out->delim);
    for (; i + 16 <= len; i += 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(start + i));
        v = _mm_or_si128(v, _mm_and_si128(_mm_cmpeq_epi8(v, zero), d));
        _mm_storeu_si128((__m128i *)(void *)(to + i), v);
    }
#endif
    for (; i < len; i++)
        to[i] = start[i] ? start[i] : out->delim;
}

void csvout_span_copy(struct csvout *out, const char *start, size_t len)
{
    separator(out);
    if (out->mem && buf_reserve(out->mem, len) == 0) {
        span_bytes(out, out->mem->data + out->mem->len, start, len);
        out->mem->len += len;
        out->mem->data[out->mem->len] = '\0';
        return;
    }
    for (size_t i = 0; i < len;) {
        const char *nul = memchr(start + i, '\0', len - i);
        size_t cell = nul ? (size_t)(nul - start) - i : len - i;
        put_bytes(out, start + i, cell);
        i += cell;
        if (i < len) {
            put_char(out, out->delim);
            i++;
        }
    }
}

int csvout_span(struct csvout *out, const char *const *cells, size_t n)
{
    size_t len;
    if (!csvout_span_len(out, cells, n, &len))
        return 0;
    csvout_span_copy(out, cells[0], len);
    return 1;
}

/* A number formatted with '.': to the sink as `kind`, else written with
 * the output's decimal mark. */
static void put_number(struct csvout *out, enum csvout_kind kind, const char *number,
                       int decimals)
{
    if (!out->sink_fn || !to_sink(out, kind, number, strlen(number), decimals))
        csvout_number(out, number);
}

void csvout_double(struct csvout *out, double value)
{
    char buf[32];
    put_number(out, CSVOUT_REAL, format_double(value, '.', buf), -1);
}

void csvout_fixed(struct csvout *out, double value, int decimals)
{
    char buf[48];
    put_number(out, CSVOUT_REAL, format_fixed(value, decimals, '.', buf), decimals);
}

void csvout_long(struct csvout *out, long long value)
{
    /* the digits from the end, without printf: tables write many counts */
    char buf[32], *p = buf + sizeof buf - 1;
    unsigned long long magnitude = value < 0 ? 0ull - (unsigned long long)value
                                             : (unsigned long long)value;
    *p = '\0';
    do {
        *--p = (char)('0' + magnitude % 10);
        magnitude /= 10;
    } while (magnitude);
    if (value < 0)
        *--p = '-';
    put_number(out, CSVOUT_INTEGER, p, 0);
}

void csvout_money(struct csvout *out, int64_t scaled, int decimals)
{
    char buf[32];
    put_number(out, CSVOUT_MONEY, format_money(scaled, decimals, '.', buf), decimals);
}

void csvout_empty(struct csvout *out)
{
    if (to_sink(out, CSVOUT_EMPTY, "", 0, -1))
        return;
    separator(out);
}

void csvout_end_row_with(struct csvout *out, const char *bytes, size_t len)
{
    assert(!out->sink_fn);
    put_bytes(out, bytes, len);
    out->row_started = 0;
}

int csvout_plain(const struct csvout *out)
{
    return !out->sink_fn && !out->excel && out->mark == '.';
}

void csvout_end_row(struct csvout *out)
{
    if (to_sink(out, CSVOUT_END_ROW, "", 0, -1))
        return;
    if (out->excel)
        put_char(out, '\r');
    put_char(out, '\n');
    out->row_started = 0;
}
