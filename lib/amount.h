/* amount — money as real exports write it, read exactly.
 *
 * parse_decimal (parse.h) reads the plain forms: a sign, digits with
 * thousands separators, a decimal part. Exports add currency symbols and
 * codes before or after the number ("€12.50", "12,50 €", "EUR 12.50",
 * "$1,234.56"), accounting negatives "(12.50)", a trailing minus "12.50-",
 * the minus sign U+2212, and float artefacts with more than 6 decimals
 * ("-8.5794000000001"). This module turns the first into the plain form and
 * rounds the last to the 6 decimals kept, saying that it did. */
#ifndef CL_AMOUNT_H
#define CL_AMOUNT_H

#include <stddef.h>
#include <stdint.h>

#include "parse.h"

/* The plain form of an exported amount into out (NUL-terminated): the
 * currency symbol or code dropped, an accounting or trailing negative
 * turned into a leading '-'.
 * @return 1 when s had such a form, 0 when it has none (read s as it is),
 *         -1 when it has one but is not a number that way ("(-12)", "€"). */
int amount_plain(const char *s, size_t len, char *out, size_t out_size);

/* Read an amount: parse_decimal on s, else on its plain form; a value
 * with more than 6 decimals is rounded half away from zero to 6, and
 * *rounded set to 1 (0 otherwise). Arguments and result as parse_decimal. */
enum parse_status amount_parse(const char *s, size_t len, char *mark, int64_t *scaled,
                               int *decimals, int *rounded);

/* amount_parse under a column's decimal mark (parse.h: a reading that a
 * later line contradicts is PARSE_MARK_CONFLICT). */
enum parse_status amount_parse_mark(struct parse_mark *m, long line, const char *s, size_t len,
                                    int64_t *scaled, int *decimals, int *rounded);

/* amount_parse_mark without its fast path for the plain forms ("-12",
 * "12.50" in a column whose mark is the point): the reference that fast
 * path is tested against, giving the same status, value, decimals,
 * *rounded and column mark on every input. */
enum parse_status amount_parse_mark_general(struct parse_mark *m, long line, const char *s,
                                            size_t len, int64_t *scaled, int *decimals,
                                            int *rounded);

#endif
