/* utf8.c — validating, decoding and cutting UTF-8 text (see utf8.h). The
 * CSV readers, the encoding detection, the gnuplot quoting, the folding of
 * column names and the workbook's column widths all go through here. */
#include "utf8.h"

#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

int utf8_decode(const unsigned char *s, size_t left, uint32_t *cp)
{
    unsigned char c = s[0];
    uint32_t code, min;
    int n;
    if (c < 0x80) {
        if (cp)
            *cp = c;
        return 1;
    }
    if (c >= 0xC2 && c <= 0xDF) { n = 2; code = c & 0x1F; min = 0x80; }
    else if (c >= 0xE0 && c <= 0xEF) { n = 3; code = c & 0x0F; min = 0x800; }
    else if (c >= 0xF0 && c <= 0xF4) { n = 4; code = c & 0x07; min = 0x10000; }
    else return 0;
    for (int k = 1; k < n; k++) {
        if ((size_t)k >= left)
            return -1;
        if (!utf8_continuation(s[k]))
            return 0;
        code = (code << 6) | (s[k] & 0x3F);
    }
    if (code < min || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF))
        return 0;
    if (cp)
        *cp = code;
    return n;
}

size_t utf8_ascii_run(const unsigned char *s, size_t len)
{
    size_t i = 0;
#ifdef __SSE2__
    while (i + 64 <= len) {
        const __m128i *v = (const __m128i *)(const void *)(s + i);
        __m128i any = _mm_or_si128(_mm_or_si128(_mm_loadu_si128(v), _mm_loadu_si128(v + 1)),
                                   _mm_or_si128(_mm_loadu_si128(v + 2), _mm_loadu_si128(v + 3)));
        if (_mm_movemask_epi8(any))
            break;
        i += 64;
    }
#endif
    while (i + 8 <= len) {
        uint64_t w;
        memcpy(&w, s + i, 8);
        if (w & 0x8080808080808080ull)
            break;
        i += 8;
    }
    return i;
}

int utf8_text_valid(const unsigned char *s, size_t len)
{
    size_t i = 0;
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
        if ((w & 0x8080808080808080ull) ||
            ((w - 0x0101010101010101ull) & ~w & 0x8080808080808080ull))
            break;
        i += 8;
    }
    if (memchr(s + i, '\0', len - i) != NULL)
        return 0;
    while (i < len) {
        int n = utf8_decode(s + i, len - i, NULL);
        if (n <= 0)
            return 0;
        i += (size_t)n;
    }
    return 1;
}

size_t utf8_boundary(const unsigned char *s, size_t len)
{
    size_t back = 0;
    while (back < 3 && back < len && utf8_continuation(s[len - 1 - back]))
        back++;
    if (back == len)
        return len;
    unsigned char lead = s[len - 1 - back];
    size_t need = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
    return need > back + 1 ? len - back - 1 : len;
}

size_t utf8_chars(const char *s, size_t len)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++)
        n += !utf8_continuation((unsigned char)s[i]);
    return n;
}
