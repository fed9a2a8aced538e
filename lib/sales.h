/* sales — what one sales line means: which columns hold the customer, the
 * order, the date and the money, and how a line becomes an addition to the
 * roll-up or a rejection with its reason.
 *
 * Shared by the sequential reader (libcsv) and the parallel scanner, so
 * that both read a line the same way. The state that learns as it reads
 * (the decimal mark of each number column) lives in struct sales_marks,
 * one per reader. */
#ifndef CL_SALES_H
#define CL_SALES_H

#include <stddef.h>
#include <stdint.h>

#include "scan.h"
#include "diag.h"
#include "parse.h"
#include "rollup.h"

#define SALES_MAX_BY 16
#define SALES_MAX_WHERE 16

/* One --where condition: the line is kept when the column's value (spaces
 * around it ignored) is one of the '|'-separated values, or with negate
 * when it is none of them. */
struct sales_where {
    char column[256];
    const char *values;         /* "A|B": points into the argument */
    int negate;                 /* COL!=VALUE */
};

/* Parse "COL=VALUE", "COL!=VALUE" or "COL=A|B" into *where.
 * @return 0, or -1 when it is none of these (no column name, no '='). */
int sales_where_parse(const char *arg, struct sales_where *where);

/* What the user asked for: column names (NULL = find by alias), period. */
struct sales_request {
    const char *customer, *order, *date, *amount, *quantity, *price, *cost, *margin;
    const char *by;             /* "COL[,COL]" or NULL */
    const char *date_format;    /* NULL: ISO or DD/MM/YYYY */
    char mark;                  /* 0 sniff, '.' or ',' */
    int keep_spaces;            /* 1: ids keep their surrounding spaces */
    int has_from, has_to;
    int32_t from, to;           /* days, inclusive */
    const char *credit_prefix;  /* order ids starting with it are credit notes; NULL: none */
    struct sales_where where[SALES_MAX_WHERE];  /* lines kept must meet them all */
    size_t where_count;
    const char *prescriber;     /* the prescriber column, NULL: found by alias if any */
    int prescriber_required;    /* 1: no prescriber column is an error */
};

/* Where the columns are in one file. Column indexes are -1 when absent. */
struct sales_layout {
    long customer, order, date, amount, quantity, price, cost, margin;
    long by[SALES_MAX_BY];
    size_t by_count;
    size_t columns;             /* fields per record */
    int with_margin;
    const char *date_format;
    int keep_spaces;            /* 1: ids are not trimmed */
    int has_from, has_to;
    int32_t from, to;
    const char *credit_prefix;  /* from the request; needs an order column */
    size_t credit_prefix_len;
    const struct sales_where *where;    /* the request's conditions */
    long where_col[SALES_MAX_WHERE];
    size_t where_count;
    char customer_name[128], date_name[128];    /* header names, to know it again */
    enum date_order date_order; /* of slash dates: DATE_DMY unless the column says */
    long prescriber;            /* -1: no prescriber column */
};

/* What the slash dates of a date column allow: counted over the column
 * before reading it, so that the order is decided on the whole column. */
struct sales_date_votes {
    unsigned long long only_mdy;    /* a month over 12 when read DD/MM: only MM/DD fits */
    unsigned long long only_dmy;    /* only DD/MM fits (a day over 12 first) */
    unsigned long long either;      /* both fit, day and month differ (05/06) */
    unsigned long long other;       /* not a slash date */
    char mdy_example[32], either_example[32];   /* the first of each, quoted */
};
void sales_date_vote(struct sales_date_votes *votes, const char *s, size_t len);

/* What a reader learns as it reads: the decimal mark of each number
 * column (parse.h: a reading a later line contradicts is an error), and
 * the last date read (dates repeat line after line). */
struct sales_marks {
    struct parse_mark amount, quantity, price, cost, margin;
    long line;                  /* the line being read (the caller sets it), 0 unknown */
    char last_date[32];         /* the last date read well, its text (not terminated) ... */
    size_t last_date_len;       /* ... and length, 0: none (no text matches it) */
    struct datetime last_dt;    /* ... and what it means */
};

enum sales_reason {
    SALES_FIELDS, SALES_CUSTOMER, SALES_DATE, SALES_AMOUNT, SALES_QUANTITY,
    SALES_PRICE, SALES_COST, SALES_MARGIN,
    SALES_KEY_CONTROL,  /* a control byte in the customer id, a --by value or the prescriber */
    SALES_REASONS
};

/* Short English text of a reason ("no customer id"...). */
extern const char *const sales_reason_text[SALES_REASONS];

enum sales_result {
    SALES_OK,           /* *line is filled */
    SALES_REJECT,       /* *reason says why; detail says more (may be "") */
    SALES_OUT_OF_PERIOD,
    SALES_FILTERED,     /* left out by a --where condition */
    SALES_HEADER,       /* the header line again (exports concatenated): skipped */
    SALES_FATAL         /* the file cannot be read this way: diag says why */
};

struct sales_line {
    struct rollup_totals totals;
    const char *order;          /* points into the fields, or into order_buf */
    size_t order_len;
    char order_buf[16];         /* the day, when there is no order column */
    int amount_decimals, margin_decimals, quantity_decimals;
    int rounded;                /* values of the line with more than 6 decimals, rounded */
    struct csvfield rounded_field;  /* the first of them (into the fields) */
    int key_trimmed;            /* 1: the id or a --by value had surrounding spaces */
    int ambiguous;              /* SALES_FATAL: a number ambiguous with its column's mark
                                   undecided ("12,345"): the rest of the file may decide it
                                   (sales_mark_vote) */
};

/* Find the columns in a header. @return 0, or -1 with diag set. */
int sales_layout_init(struct sales_layout *layout, struct sales_marks *marks,
                      const struct sales_request *request,
                      const char *const *names, size_t count, char delim,
                      const char *file, struct diag *diag);

/* Could ranges read in parallel, each from `start` to its `part`, stand
 * for one sequential read? Only when no range read a value on a presumed
 * mark and those that learnt a mark learnt the same: then every line reads
 * as it would in sequence. `agreed` starts as a copy of `start` and
 * gathers the marks learnt. @return 1 yes, 0 no (read in sequence). */
int sales_marks_agree(struct sales_marks *agreed, const struct sales_marks *part);

/* The decimal mark of each number column decided on the whole file, for a
 * value that is ambiguous where it is read ("12,345" before the "1.5" that
 * tells a decimal point, or the "1,5" that tells a comma): every record of
 * the file is fed to sales_mark_vote, and the first value that tells a
 * mark decides its column, as when reading. A column where a later value
 * contradicts it is left undecided: reading it again reports the
 * contradiction with both lines. */
struct sales_mark_votes {
    struct parse_mark amount, quantity, price, cost, margin;
    unsigned char conflict;     /* bit per column (amount = 1...): contradicted */
};
/* start: the marks a reader starts from (given marks stay fixed). */
void sales_mark_votes_init(struct sales_mark_votes *votes, const struct sales_marks *start);
void sales_mark_vote(struct sales_mark_votes *votes, const struct sales_layout *layout,
                     const struct csvfield *fields, size_t count, long line);
/* Every column decided (given, told or contradicted): no record can add
 * anything. @return 1 or 0. */
int sales_mark_votes_done(const struct sales_mark_votes *votes, const struct sales_layout *layout);
/* Start marks for a read again: each column undecided in marks that the
 * votes told starts with that mark (its line named in a later conflict).
 * @return the number of columns decided that way (0: nothing to gain). */
int sales_marks_take_votes(struct sales_marks *marks, const struct sales_mark_votes *votes);

/* Read one record. For SALES_REJECT, detail (at least 96 bytes) gets a
 * short precision such as ` "abc"`; SALES_FATAL messages have no file or
 * line (the caller adds them). */
enum sales_result sales_read(const struct sales_layout *layout, struct sales_marks *marks,
                             const struct csvfield *fields, size_t count,
                             struct sales_line *line, enum sales_reason *reason,
                             char *detail, struct diag *diag);

/* One line naming the column taken for each role, for --verbose:
 * `customer "CustomerID", order "InvoiceNo", ..., margin none`. names are
 * the header's. @return out. */
char *sales_layout_describe(const struct sales_layout *layout, const char *const *names,
                            char *out, size_t size);

/* The roles, in the order of sales_layout_describe, and the column taken
 * for role i (-1 none). */
#define SALES_ROLES 9
extern const char *const sales_role_name[SALES_ROLES];
long sales_layout_role(const struct sales_layout *layout, int role);

/* The roll-up key of a record that sales_read accepted: customer, then
 * the --by values, joined by ROLLUP_KEY_SEP (which sales_read refuses in
 * them, with every control byte, so that a key splits back unambiguously),
 * each trimmed of surrounding spaces unless keep_spaces (sales_trim_id),
 * into *buf (grown as needed; *cap its size).
 * @return the key length, or -1 out of memory. */
/* Trim an id of surrounding white space: ASCII space and tab, and the
 * Unicode spaces of padded exports (U+00A0 no-break space, U+2000..U+200B,
 * U+202F, U+205F, U+3000, U+FEFF). @return 1 when something was cut. */
int sales_trim_id(const char **s, size_t *len);

long sales_key(const struct sales_layout *layout, const struct csvfield *fields,
               char **buf, size_t *cap);

/* The prescriber of a record that sales_read accepted (its control bytes
 * refused, its spaces trimmed unless keep_spaces, as for the customer): 1
 * with *id and *len set, or 0 when the field is blank (a direct sale) or
 * there is no prescriber column. */
int sales_prescriber(const struct sales_layout *layout, const struct csvfield *fields,
                     const char **id, size_t *len);

#endif
