/* parse — numbers and dates, locale-free and strict.
 *
 * Nothing here consults the C locale: results are the same under any
 * LC_ALL/LC_NUMERIC. Money is read into scaled integers (MONEY_SCALE units
 * per currency unit) so that sums are exact; ratios and features are read
 * as doubles. */
#ifndef CL_PARSE_H
#define CL_PARSE_H

#include <stddef.h>
#include <stdint.h>

#define MONEY_SCALE 1000000     /* 6 decimals kept exactly */
#define MONEY_DECIMALS 6

enum parse_status {
    PARSE_OK = 0,
    PARSE_EMPTY,        /* nothing but spaces */
    PARSE_INVALID,      /* not a number / not a date */
    PARSE_RANGE,        /* overflows (1e400, 30 digits), or a date out of range */
    PARSE_AMBIGUOUS,    /* "1,234" with the decimal mark unknown; "05/06/2024" undecidable */
    PARSE_PRECISION,    /* more decimals than MONEY_DECIMALS */
    PARSE_MARK_CONFLICT, /* the value's decimal mark contradicts an earlier line's
                          * (struct parse_mark says which) */
    PARSE_NOT_WHOLE     /* a count with a decimal part ("2.5") */
};

/* A short English phrase for a status ("is not a number"...). */
const char *parse_status_text(enum parse_status status);

/* Read a decimal number: optional spaces, sign (+ or -), digits with
 * optional thousands separators (space, no-break space U+00A0, narrow
 * no-break space U+202F, or the mark that is not the decimal mark, in
 * groups of three), a decimal part. No exponent, no NaN, no infinity.
 * *mark is in/out: '.' or ',' when known; 0 when unknown, in which case a
 * value that tells (one comma not followed by exactly three digits, or
 * both marks) sets it, and "1,234" is PARSE_AMBIGUOUS. A lone '.' is always
 * a decimal point when the mark is unknown.
 * @return PARSE_OK with *scaled = value × MONEY_SCALE and *decimals = the
 *         number of decimals written (0..6). */
enum parse_status parse_decimal(const char *s, size_t len, char *mark,
                                int64_t *scaled, int *decimals);

/* Read a real number for analytics: the forms of parse_decimal, plus an
 * exponent (1.5e3). NaN and infinities are PARSE_INVALID, overflow
 * PARSE_RANGE. *mark as in parse_decimal. */
enum parse_status parse_double(const char *s, size_t len, char *mark, double *out);

/* The decimal mark of one column, decided by its values as they are read,
 * so that no reading a later line contradicts can stand: "1.234" read as
 * 1.234 (a point presumed, nothing told yet) and then "1.234,56" (a
 * comma) is PARSE_MARK_CONFLICT, as is "1,5" in a column where "12.50" told
 * a point. A value tells the mark when only one mark reads it ("12.50",
 * "1,5", "1.234,56", "1,234,567"); "1.234" and "1,234.5"-free integers tell
 * nothing. A given mark (an option, or a ';' file's decimal comma) is
 * fixed: values are read with it and never contradict it. */
struct parse_mark {
    char mark;              /* '.' or ',' given or told; 0 undecided */
    char fixed;             /* 1: given, never learnt or contradicted */
    char presumed;          /* the mark a value was read with while undecided */
    char wanted;            /* PARSE_MARK_CONFLICT: the mark the value needs */
    long told_line;         /* the line whose value told the mark */
    long presumed_line;     /* the first line read with a presumed mark */
    char told_text[24];     /* those values, quoted for messages */
    char presumed_text[24];
};

/* mark: '.' or ',' (fixed), or 0 (learnt from the values). */
void parse_mark_init(struct parse_mark *m, char mark);

/* parse_decimal and parse_double under a column's mark; line is the line
 * being read (0 when unknown), kept to name it in a later conflict. */
enum parse_status parse_decimal_mark(struct parse_mark *m, long line, const char *s,
                                     size_t len, int64_t *scaled, int *decimals);
enum parse_status parse_double_mark(struct parse_mark *m, long line, const char *s,
                                    size_t len, double *out);

/* parse_decimal_mark with another reader of the parse_decimal kind (such
 * as amount_parse, which knows currency forms): it is called once for the
 * value with `context`, and again with NULL to try the other mark. */
typedef enum parse_status (*parse_decimal_reader)(const char *s, size_t len, char *mark,
                                                  int64_t *scaled, int *decimals,
                                                  void *context);
enum parse_status parse_decimal_mark_with(struct parse_mark *m, long line, const char *s,
                                          size_t len, int64_t *scaled, int *decimals,
                                          parse_decimal_reader read, void *context);

/* After PARSE_MARK_CONFLICT: one message naming the value and the earlier
 * line, such as `amount "1.234,56" has a decimal comma, but line 2 read
 * "1.234" with a decimal point (give --decimal-comma or --decimal-point)`.
 * role names the column. @return out. */
char *parse_mark_conflict(const struct parse_mark *m, const char *role, const char *s,
                          size_t len, char *out, size_t size);

/* ---- percent signs ----------------------------------------------------
 * Where a share is read, "80%" may be written, also "80 %" with a space, a
 * no-break or a narrow no-break space before the sign (as French
 * spreadsheets write it). What it means is decided by the place:
 * PARSE_IN_PERCENT where the place counts in percent (cl-pareto --cut 80:
 * "80%" is 80, as "80"); PARSE_IN_FRACTION where it holds fractions (a
 * share column, a rate: "80%" is 0.8, as "0.8"). */
enum parse_share_unit {
    PARSE_IN_PERCENT,
    PARSE_IN_FRACTION
};

/* Does s end with a percent sign? @return 1 with *len shortened to the
 * number before it (the space before the sign dropped), else 0. */
int parse_percent_sign(const char *s, size_t *len);

/* Read a share under the place's unit: parse_double on the number, with or
 * without a percent sign; in a fraction place "12.5%" is the double
 * nearest to 0.125 (the exact decimal divided once). *percent (may be
 * NULL) is set to 1 when the sign was there. Statuses as parse_double. */
enum parse_status parse_share(const char *s, size_t len, enum parse_share_unit unit,
                              char *mark, double *out, int *percent);

/* A column (or a list) of shares is read one way: every value with the
 * sign or none. A mix ("12%" then "0.3") is ambiguous: is 0.3 a fraction
 * or 0.3 %? Note each value; the first line of each kind is kept. */
struct parse_percent_column {
    long with_line, without_line;       /* 0: none seen */
    char with_text[24], without_text[24];
};
void parse_percent_column_init(struct parse_percent_column *c);
/* Note a non-empty value read at line (0 when unknown).
 * @return 0, or -1 when the column now holds both kinds. */
int parse_percent_column_note(struct parse_percent_column *c, long line, const char *s,
                              size_t len);
/* The message for a mix, such as `share "0.3" at line 5 has no percent
 * sign, but "12%" at line 2 has one: write every value with % or none`.
 * role names the column. @return out. */
char *parse_percent_mixed(const struct parse_percent_column *c, const char *role, char *out,
                          size_t size);

/* Day/month order of slash dates. */
enum date_order {
    DATE_DMY = 0,   /* DD/MM/YYYY: the default */
    DATE_MDY        /* MM/DD/YYYY: only when stated */
};

/* A parsed date-time: days since 1970-01-01 (proleptic Gregorian) and
 * seconds into the day. */
struct datetime {
    int32_t days;
    int32_t seconds;
};

/* Read "YYYY-MM-DD[( |T)HH:MM[:SS[.fff]][Z|+HH:MM]]", "YYYYMMDD[ time]" or
 * "DD/MM/YYYY[ HH:MM[:SS]]" (day and month may have one digit, the year two:
 * 00..68 are 2000..2068, 69..99 are 1969..1999; MM/DD with DATE_MDY). A zone
 * is accepted and the date kept as written. When format is not NULL it is
 * used instead: strptime-like, %Y %y %m %d %H %M %S %% and literal
 * characters, or "excel" for Excel serial day numbers (45123 is
 * 2023-07-16). Years 1..9999; the day must exist (31/02 is PARSE_RANGE). */
enum parse_status parse_date(const char *s, size_t len, const char *format,
                             enum date_order order, struct datetime *out);

/* Which day/month orders a slash date (D/M/Y or M/D/Y, with or without a
 * time) fits. @return 0 when s is no slash date; else 1 with *dmy and
 * *mdy set, and *same when day and month are one number (05/05). */
int parse_date_slash_orders(const char *s, size_t len, int *dmy, int *mdy, int *same);

/* The --date-format that reads this slash date month first, its time
 * included ("2/24/2003 0:00" gives "%m/%d/%Y %H:%M"). @return out. */
char *parse_date_mdy_format(const char *s, size_t len, char *out, size_t size);

/* Civil date <-> day number. */
int32_t date_from_civil(int year, int month, int day);
void date_to_civil(int32_t days, int *year, int *month, int *day);

/* Check a --date-format string. @return 0 when usable, -1 otherwise. */
int parse_date_format_valid(const char *format);

/* Write days as "YYYY-MM-DD" into out (at least 11 bytes). @return out. */
char *format_date(int32_t days, char *out);

/* Write a scaled money value with exactly `decimals` decimals (0..6), the
 * given decimal mark, no thousands separator. out needs 32 bytes.
 * @return out. */
char *format_money(int64_t scaled, int decimals, char mark, char *out);

/* Write a double so that it reads back exactly (shortest of %.15g/%.17g),
 * with the given decimal mark. Non-finite values give "". out needs 32
 * bytes. @return out. */
char *format_double(double value, char mark, char *out);

/* The same, through printf and strtod: the reference the fast path of
 * format_double is tested against. */
char *format_double_printf(double value, char mark, char *out);

/* Write a double rounded to `decimals` decimals (fixed notation). */
char *format_fixed(double value, int decimals, char mark, char *out);

/* Length of a thousands-separator space at text (ASCII space, U+00A0 or
 * U+202F in UTF-8): 0 if none. The one list of the spaces a number may
 * hold (amount.c adds the tab around a value). */
size_t parse_space_len(const char *text, size_t left);

/* ---- the decimal mark of a table, numbers in their plain forms ---------- */

/* The decimal mark presumed for a table by its delimiter, the one rule
 * every reader applies: a ';'-separated file comes from a decimal-comma
 * locale (that is why it is not ','-separated, and what --excel writes),
 * so ','; for any other delimiter 0, the values decide (struct parse_mark).
 * A given --decimal-mark overrides it. */
char parse_mark_of_delim(char delim);

/* Is s (len bytes) a plain number written with `mark` ("-12,5" for ',')?
 * @return 1 with its '.' form in out (out_size bytes), else 0. */
int parse_plain_number(const char *s, size_t len, char mark, char *out, size_t out_size);

/* The plain decimals most files hold ("-12.345", up to 15 digits): the
 * integer of the digits divided by a power of ten, both exact in a double,
 * is correctly rounded, so the value is the one strtod gives.
 * @return 1 with *out, or 0 to leave the field to parse_double (mark:
 * '.', ',' or 0 as in parse_double; a comma is never read here). */
int parse_double_fast(const char *s, size_t len, char mark, double *out);

/* Read a count: a whole number, optionally signed, with the thousands
 * separators parse_decimal knows ("12 500", "12,500", "12.500" with a
 * decimal comma). *mark is the column's decimal mark, in/out as in
 * parse_decimal; a lone "1,234" (ambiguous for money) is read as 1234,
 * since a count has no decimals. Whole values written with a zero decimal
 * part ("1200.0") are accepted.
 * @return PARSE_OK and *count, or what is wrong (PARSE_NOT_WHOLE,
 *         PARSE_EMPTY, PARSE_RANGE...: parse_status_text words it). */
enum parse_status parse_count(const char *text, char *mark, int64_t *count);

/* The same under a column's mark (parse.h), line being the line read: a
 * count is read as money is, "8.000" under a decimal comma being 8000. A
 * value that contradicts the column's mark gives PARSE_MARK_CONFLICT and
 * sets pm->wanted (parse_mark_conflict says more). */
enum parse_status parse_count_mark(struct parse_mark *pm, long line, const char *text,
                                   int64_t *count);

/* The problem with a cell that did not read as a number, for a message
 * about its row: "revenue is empty", "revenue \"12,3,4\" is not a
 * number" (the cell quoted as diag_quote does). @return out. */
char *parse_value_problem(const char *column, const char *cell, enum parse_status status,
                          char *out, size_t size);

#endif
