/* page_text — the report page's text: words, strings, escaping, numbers,
 * dates (page_text.c).
 *
 * Strings returned are owned by the module and live until 1024 later ones
 * (text_keep's ring; text_free frees them all). A failure (out of memory,
 * a word missing) calls text_fail, which fills text_fail_diag and jumps to
 * text_fail_jump: whoever calls the page's modules sets both first. */
#ifndef CL_PAGE_TEXT_H
#define CL_PAGE_TEXT_H

#include <setjmp.h>
#include <stddef.h>

#include "diag.h"

#define TEXT_NAME_MAX 60        /* characters of a client or segment name shown */

extern jmp_buf text_fail_jump;  /* where a failure goes back to */
extern struct diag *text_fail_diag;     /* the diag a failure fills */
extern int text_french;         /* the page's language: 0 English, 1 French */

/* Fill text_fail_diag with the message and jump to text_fail_jump. */
_Noreturn void text_fail(const char *format, ...) __attribute__((format(printf, 1, 2)));

/* The word KEY of page_words.c in the page's language (a key missing is a
 * failure: a bug). */
const char *text_word(const char *key);
/* A persona feature's word in lower case: recency_days, orders or
 * (anything else) revenue. */
const char *text_feature(const char *feature);
/* S (malloc'd, NULL: a failure) kept in the ring; returned. */
const char *text_keep(char *s);
/* printf into a kept string; text_wfmt for the words used as formats. */
const char *text_fmt(const char *format, ...) __attribute__((format(printf, 1, 2)));
const char *text_wfmt(const char *format, ...);
/* Text from the data, for HTML: & < > " ' escaped; text_esc_short cuts it
 * to MAX characters (UTF-8) with an ellipsis first. */
const char *text_esc(const char *s);
const char *text_esc_short(const char *s, size_t max);
/* Escaped prose (a program's message) typeset as the page's words: ’
 * for an apostrophe between letters, in French a narrow no-break space
 * before : ; ? and !. */
const char *text_typeset(const char *escaped);
/* LINE with every FROM replaced by TO (LINE itself when there is none). */
const char *text_replace_all(const char *line, const char *from, const char *to);

/* S read as a finite number into *x. @return 1 when it is one, 0 otherwise. */
int text_double(const char *s, double *x);
/* Numbers for the page: digits grouped (a comma, or a narrow no-break
 * space in French), the language's decimal mark, the minus sign U+2212.
 * text_num_d: X to D decimals; text_num: a cell ("–" when empty or not a
 * number); text_money: a cell's every decimal kept, at least two, never
 * through a float; text_percent: "%" or "\u202f%"; text_pct_d, text_pct: a
 * fraction as a percentage; text_share: a market share (2 decimals below
 * 1%); text_signed: "+" before a rise. */
const char *text_num_d(double x, int d);
const char *text_num(const char *s, int d);
const char *text_money(const char *s);
const char *text_percent(void);
const char *text_pct_d(double x, int d);
const char *text_pct(const char *s, int d);
const char *text_share(const char *s);
const char *text_signed(double x, int d);
/* Dates in words: a month's name (1..12), YYYY-MM-DD as "9 December 2011"
 * ("1er" in French), a period's name ("2011-11" as "November 2011",
 * "FROM_TO" as two dates). Anything else comes back escaped as it is. */
const char *text_month(int m);
const char *text_date(const char *s);
const char *text_period(const char *p);

/* Free the ring's strings. */
void text_free(void);

#endif
