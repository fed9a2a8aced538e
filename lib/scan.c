/* scan.c — the lean CSV tokenizer (see scan.h): well-formed records cut
 * out of a memory buffer, sixteen bytes at a time where SSE2 is there;
 * anything unusual handed back as SCAN_FALLBACK for csvin to report. */
#include "scan.h"

#include "utf8.h"

#include <stdint.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif
#include <stdlib.h>
#include <string.h>

void scan_record_free(struct scan_record *rec)
{
    if (!rec)
        return;
    free(rec->fields);
    free(rec->scratch);
    memset(rec, 0, sizeof *rec);
}

/* Finding the bytes that end an unquoted field (the delimiter, CR, LF and
 * the quote) sixteen at a time: one compare per kind gives a bit mask of
 * the block, kept while the fields of the block are cut. */
struct finder {
    const char *buf;
    size_t len;
    size_t base;            /* the block in `mask` starts here */
    uint32_t mask;          /* bit k: buf[base + k] is special */
    char delim;
};

static inline int special(char c, char delim)
{
    return c == delim || c == '\n' || c == '\r' || c == '"';
}

static inline void load_block(struct finder *f, size_t at)
{
    f->base = at;
#ifdef __SSE2__
    __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(f->buf + at));
    __m128i m = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8(f->delim)),
                                          _mm_cmpeq_epi8(v, _mm_set1_epi8('\n'))),
                             _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('\r')),
                                          _mm_cmpeq_epi8(v, _mm_set1_epi8('"'))));
    f->mask = (uint32_t)_mm_movemask_epi8(m);
#else
    uint32_t mask = 0;
    for (int k = 0; k < 16; k++)
        mask |= (uint32_t)special(f->buf[at + k], f->delim) << k;
    f->mask = mask;
#endif
}

/* The first special byte at or after i, or f->len. */
static inline size_t next_special(struct finder *f, size_t i)
{
    for (;;) {
        if (i < f->base || i >= f->base + 16) {
            if (i + 16 > f->len) {
                while (i < f->len && !special(f->buf[i], f->delim))
                    i++;
                return i;
            }
            load_block(f, i);
        }
        uint32_t m = f->mask & (0xFFFFu << (i - f->base));
        if (m)
            return f->base + (size_t)__builtin_ctz(m);
        i = f->base + 16;
    }
}

/* Whether the n bytes at s are ASCII without a NUL (what utf8_text_valid
 * accepts at once), sixteen at a time, the last block overlapping the one
 * before: the usual record is checked without a call or a second pass
 * over its tail. */
static inline int plain_ascii(const char *s, size_t n)
{
    size_t i = 0;
#ifdef __SSE2__
    if (n >= 16) {
        const __m128i zero = _mm_setzero_si128();
        __m128i bad = zero, v;
        for (; i + 16 <= n; i += 16) {
            v = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
            bad = _mm_or_si128(bad, _mm_or_si128(v, _mm_cmpeq_epi8(v, zero)));
        }
        v = _mm_loadu_si128((const __m128i *)(const void *)(s + n - 16));
        bad = _mm_or_si128(bad, _mm_or_si128(v, _mm_cmpeq_epi8(v, zero)));
        return _mm_movemask_epi8(bad) == 0;
    }
#endif
    for (; i < n; i++)
        if ((unsigned char)s[i] >= 0x80 || s[i] == '\0')
            return 0;
    return 1;
}

static int grow(struct scan_record *rec)
{
    {
        size_t cap = rec->cap ? rec->cap * 2 : 32;
        if (cap > CSVIN_MAX_FIELDS)
            return -1;
        struct csvfield *f = realloc(rec->fields, cap * sizeof *f);
        if (!f)
            return -1;
        rec->fields = f;
        rec->cap = cap;
    }
    return 0;
}

static inline int push(struct scan_record *rec, const char *ptr, size_t len)
{
    if (rec->count == rec->cap && grow(rec) != 0)
        return -1;
    rec->fields[rec->count].ptr = ptr;
    rec->fields[rec->count].len = len;
    rec->count++;
    return 0;
}

#ifdef __SSE2__
/* The usual record, unquoted fields up to a '\n', cut from one mask per 16
 * bytes: every delimiter of a block ends a field without a call or a test
 * of the block again. From buf[*at], a field's start, to the first CR or
 * quote, or to where 16 bytes no longer fit: *at is then the start of the
 * field not cut, for the field-by-field loop to go on from.
 * @return 1 when the record ended at a '\n' (*at past it; *ascii: every
 * byte of the blocks loaded was ASCII without a NUL), 0 to go on, -1 on a
 * field over the ceiling. */
static int cut_blocks(const char *buf, size_t len, char delim, struct scan_record *rec,
                      size_t *at, int *ascii)
{
    const __m128i delims = _mm_set1_epi8(delim), lf = _mm_set1_epi8('\n');
    const __m128i cr = _mm_set1_epi8('\r'), quote = _mm_set1_epi8('"');
    const __m128i zero = _mm_setzero_si128();
    __m128i bad = zero;
    size_t f0 = *at, count = rec->count;
    struct csvfield *fields = rec->fields;
    int result = 0;
    for (size_t base = f0; base + 16 <= len; base += 16) {
        if (rec->cap - count < 16) {
            /* room for a block's 16 fields, so that none is checked; at the
             * ceiling the field-by-field loop goes on, failing where it fails */
            rec->count = count;
            if (grow(rec) != 0)
                break;
            fields = rec->fields;
        }
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(buf + base));
        bad = _mm_or_si128(bad, _mm_or_si128(v, _mm_cmpeq_epi8(v, zero)));
        uint32_t mask = (uint32_t)_mm_movemask_epi8(
            _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, delims), _mm_cmpeq_epi8(v, lf)),
                         _mm_or_si128(_mm_cmpeq_epi8(v, cr), _mm_cmpeq_epi8(v, quote))));
        while (mask) {
            size_t p = base + (size_t)__builtin_ctz(mask);
            char c = buf[p];
            if (c != delim && c != '\n')
                goto stop;              /* a CR or a quote: field by field from f0 */
            if (p - f0 > CSVIN_MAX_FIELD) {
                result = -1;
                goto stop;
            }
            fields[count].ptr = buf + f0;
            fields[count].len = p - f0;
            count++;
            f0 = p + 1;
            if (c == '\n') {
                *ascii = _mm_movemask_epi8(bad) == 0;
                result = 1;
                goto stop;
            }
            mask &= mask - 1;
        }
    }
stop:
    rec->count = count;
    *at = f0;
    return result;
}
#endif

/* scan_next, with the block cutter or without it. */
static enum scan_status scan_record_at(const char *buf, size_t len, int at_end, char delim,
                                       struct scan_record *rec, size_t *consumed, int blocks)
{
    size_t i = 0, lines = 0;
    /* blank lines, as libcsv skips them */
    while (i < len && (buf[i] == '\n' || buf[i] == '\r')) {
        if (buf[i] == '\r' && i + 1 < len && buf[i + 1] != '\n')
            return SCAN_FALLBACK;       /* a lone CR line end */
        if (buf[i] == '\r' && i + 1 == len && !at_end)
            return SCAN_NEED_MORE;
        lines += buf[i] == '\n';
        i++;
    }
    if (i == len)
        return at_end ? SCAN_END : SCAN_NEED_MORE;
    size_t start = i;
    rec->count = 0;
    rec->quoted = 0;
    rec->blank_lines = lines;
    /* the scratch area can hold the whole rest of the buffer */
    size_t cap = len - start;
    if (cap > CSVIN_MAX_FIELD * 4 + 4096)
        cap = CSVIN_MAX_FIELD * 4 + 4096;
    if (rec->scratch_cap < cap) {     /* (the capped size: not a realloc per record) */
        char *s = realloc(rec->scratch, cap);
        if (!s)
            return SCAN_FALLBACK;
        rec->scratch = s;
        rec->scratch_cap = cap;
    }
    size_t scratch_len = 0;
    struct finder finder = { buf, len, SIZE_MAX - 32, 0, delim };
    int ascii = 0;
#ifdef __SSE2__
    if (blocks && delim != '\n' && delim != '\r' && delim != '"') {
        int cut = cut_blocks(buf, len, delim, rec, &i, &ascii);
        if (cut < 0)
            return SCAN_FALLBACK;
        if (cut > 0) {
            lines++;
            goto record_read;
        }
    }
#else
    (void)blocks;
#endif

    for (;;) {
        if (i < len && buf[i] == '"') {
            /* a quoted field: copy it unescaped into the scratch area */
            size_t f0 = scratch_len;
            i++;
            for (;;) {
                const char *q = memchr(buf + i, '"', len - i);
                if (!q)
                    return at_end ? SCAN_FALLBACK : SCAN_NEED_MORE;
                size_t n = (size_t)(q - (buf + i));
                if (scratch_len + n + 1 > rec->scratch_cap)
                    return SCAN_FALLBACK;
                /* a lone CR, even quoted, ends a line for csvin's count:
                 * left to it, so that every reader numbers lines alike */
                for (const char *cr = memchr(buf + i, '\r', n); cr;
                     cr = memchr(cr + 1, '\r', (size_t)(q - cr - 1)))
                    if (cr[1] != '\n')
                        return SCAN_FALLBACK;
                for (const char *lf = memchr(buf + i, '\n', n); lf;
                     lf = memchr(lf + 1, '\n', (size_t)(q - lf - 1)))
                    lines++;
                memcpy(rec->scratch + scratch_len, buf + i, n);
                scratch_len += n;
                i += n + 1;
                if (i < len && buf[i] == '"') {        /* "" is one quote */
                    rec->scratch[scratch_len++] = '"';
                    i++;
                    continue;
                }
                if (i == len && !at_end)
                    return SCAN_NEED_MORE;
                break;
            }
            if (scratch_len - f0 > CSVIN_MAX_FIELD ||
                push(rec, rec->scratch + f0, scratch_len - f0) != 0)
                return SCAN_FALLBACK;
            rec->quoted++;
        } else {
            size_t f0 = i;
            i = next_special(&finder, i);
            if (i < len && buf[i] == '"')
                return SCAN_FALLBACK;           /* a quote inside an unquoted field */
            if (i == len && !at_end)
                return SCAN_NEED_MORE;
            if (i - f0 > CSVIN_MAX_FIELD || push(rec, buf + f0, i - f0) != 0)
                return SCAN_FALLBACK;
        }
        /* after a field: a delimiter, a line end, or the end */
        if (i == len)
            break;
        if (buf[i] == delim) {
            i++;
            continue;
        }
        if (buf[i] == '\n') {
            i++;
            lines++;
            break;
        }
        if (buf[i] == '\r') {
            if (i + 1 == len && !at_end)
                return SCAN_NEED_MORE;
            if (i + 1 < len && buf[i + 1] == '\n') {
                i += 2;
                lines++;
                break;
            }
            return SCAN_FALLBACK;
        }
        return SCAN_FALLBACK;       /* text after a closing quote */
    }
#ifdef __SSE2__
record_read:
#endif
    if (!ascii && !plain_ascii(buf + start, i - start) &&
        !utf8_text_valid((const unsigned char *)buf + start, i - start))
        return SCAN_FALLBACK;
    *consumed = i;
    rec->lines = lines;
    return SCAN_RECORD;
}

enum scan_status scan_next(const char *buf, size_t len, int at_end, char delim,
                           struct scan_record *rec, size_t *consumed)
{
    return scan_record_at(buf, len, at_end, delim, rec, consumed, 1);
}

enum scan_status scan_next_by_field(const char *buf, size_t len, int at_end, char delim,
                                    struct scan_record *rec, size_t *consumed)
{
    return scan_record_at(buf, len, at_end, delim, rec, consumed, 0);
}
