/* utf8 — the one place that knows how UTF-8 is built: validation (the
 * readers refuse invalid text), decoding one character (the gnuplot quoting,
 * the folding of column names), the boundaries of characters (cutting a
 * buffer or a label without splitting one) and counting characters.
 *
 * Strict, as RFC 3629: no overlong forms, no surrogates, nothing past
 * U+10FFFF. Plain functions on bytes: no allocation, no state, no diag. */
#ifndef CL_UTF8_H
#define CL_UTF8_H

#include <stddef.h>
#include <stdint.h>

/* The character at s (left bytes available, at least 1).
 * @return its length 1..4 with the code point in *cp (cp may be NULL);
 *         0 when the bytes there are not UTF-8; -1 when a sequence that
 *         is valid so far is cut by the end of the bytes (left too short).
 * A NUL byte is a character here (length 1): the CSV reader refuses NUL
 * with its own message. For a NUL-terminated string, left may be SIZE_MAX:
 * the terminator stops any sequence as not UTF-8. */
int utf8_decode(const unsigned char *s, size_t left, uint32_t *cp);

/* Is s (len bytes) valid UTF-8 without any NUL byte? ASCII is checked
 * sixteen bytes at a time. */
int utf8_text_valid(const unsigned char *s, size_t len);

/* How many bytes from s on are ASCII (NUL included), counted in blocks:
 * where a checker must look at a character more closely. */
size_t utf8_ascii_run(const unsigned char *s, size_t len);

/* The length of s without a last character cut short: len when s ends
 * on a character boundary (or on bytes that are not UTF-8 at all, left
 * for the validation to report), else the offset where that last,
 * incomplete character starts. */
size_t utf8_boundary(const unsigned char *s, size_t len);

/* The number of characters in s (len bytes of valid UTF-8): the bytes
 * that are not continuation bytes. */
size_t utf8_chars(const char *s, size_t len);

/* Is c a continuation byte (10xxxxxx), the middle of a character? */
static inline int utf8_continuation(unsigned char c)
{
    return (c & 0xC0) == 0x80;
}

#endif
