/* salesread_partial — cl-rollup --partial outputs read back for --merge:
 * where their columns are, a header repeated, a row as a line of the
 * roll-up. */
#include "salesread.h"

#include "parse.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- --merge: cl-rollup --partial outputs read back ---------------------- */

int salesread_partial_layout(struct salesread_partial *p, const csvin *in, struct diag *diag)
{
    static const char *const required[] = {
        "order", "revenue", "quantity", "lines", "first_date", "last_date"
    };
    long col[6];
    for (size_t i = 0; i < 6; i++)
        if ((col[i] = csvin_find(in, required[i])) < 0)
            return diag_set(diag, "%s: no \"%s\" column: --merge reads what cl-rollup "
                            "--partial writes", csvin_name(in), required[i]);
    p->order = col[0];
    p->revenue = col[1];
    p->quantity = col[2];
    p->lines = col[3];
    p->first_date = col[4];
    p->last_date = col[5];
    p->margin = csvin_find(in, "margin");
    p->returns = csvin_find(in, "returns");
    p->return_lines = csvin_find(in, "return_lines");
    p->by_count = (size_t)p->order - 1;
    if (p->order < 1 || p->by_count > SALES_MAX_BY)
        return diag_set(diag, "%s: not a cl-rollup --partial output", csvin_name(in));
    /* partials of sales with a prescriber column end with it */
    long last_column = (long)csvin_columns(in) - 1;
    p->prescriber = last_column > p->last_date &&
                    strcmp(csvin_column_name(in, (size_t)last_column),
                           "prescriber") == 0 ? last_column : -1;
    return 0;
}

int salesread_header_again(const csvin *in)
{
    if (csvin_fields(in) != csvin_columns(in))
        return 0;
    for (size_t i = 0; i < csvin_fields(in); i++)
        if (strcmp(csvin_field(in, i, NULL), csvin_column_name(in, i)) != 0)
            return 0;
    return 1;
}

/* A text cell an --excel output put behind an apostrophe, read back as the
 * text it was. */
static void unneutralise(struct csvfield *f)
{
    if (f->len >= 2 && f->ptr[0] == '\'' && strchr("=+-@\t\r", f->ptr[1])) {
        f->ptr++;
        f->len--;
    }
}

int salesread_partial_row(const struct salesread_partial *p, const csvin *in,
                          struct csvfield *f, struct sales_line *line, struct diag *diag)
{
    struct rollup_totals *t = &line->totals;
    struct datetime first, last;
    int64_t lines;
    int lines_dec;
    /* partials written with --excel: decimal comma, and text cells that
     * were put behind an apostrophe read back as they were */
    char mark = csvio_source_mark(csvin_delim(in));
    for (long c = 0; mark == ',' && c <= p->order; c++)
        unneutralise(&f[c]);
    if (mark == ',' && p->prescriber >= 0)
        unneutralise(&f[p->prescriber]);    /* the prescriber is an id too */
    int bad = parse_date(f[p->first_date].ptr, f[p->first_date].len, "%Y-%m-%d", DATE_DMY,
                         &first) != PARSE_OK;
    bad |= parse_date(f[p->last_date].ptr, f[p->last_date].len, "%Y-%m-%d", DATE_DMY,
                      &last) != PARSE_OK;
    bad |= parse_decimal(f[p->revenue].ptr, f[p->revenue].len, &mark, &t->revenue,
                         &line->amount_decimals) != PARSE_OK;
    bad |= parse_decimal(f[p->quantity].ptr, f[p->quantity].len, &mark, &t->quantity,
                         &line->quantity_decimals) != PARSE_OK;
    bad |= parse_decimal(f[p->lines].ptr, f[p->lines].len, &mark, &lines,
                         &lines_dec) != PARSE_OK;
    t->margin = 0;
    line->margin_decimals = 0;
    if (p->margin >= 0)
        bad |= parse_decimal(f[p->margin].ptr, f[p->margin].len, &mark, &t->margin,
                             &line->margin_decimals) != PARSE_OK;
    t->returns = t->return_lines = 0;
    int64_t scaled_return_lines = 0;
    int returns_dec, return_lines_dec = 0;
    if (p->returns >= 0)
        bad |= parse_decimal(f[p->returns].ptr, f[p->returns].len, &mark, &t->returns,
                             &returns_dec) != PARSE_OK;
    if (p->return_lines >= 0)
        bad |= parse_decimal(f[p->return_lines].ptr, f[p->return_lines].len, &mark,
                             &scaled_return_lines, &return_lines_dec) != PARSE_OK;
    t->return_lines = scaled_return_lines / MONEY_SCALE;
    if (bad || return_lines_dec != 0 || t->return_lines < 0 || t->return_lines > lines)
        bad = 1;
    if (bad || lines_dec != 0 || lines <= 0)
        return diag_set(diag, "%s:%ld: not a cl-rollup --partial row", csvin_name(in),
                        csvin_line(in));
    t->lines = lines / MONEY_SCALE;
    t->first_day = first.days;
    t->last_day = last.days;
    line->order = f[p->order].ptr;
    line->order_len = f[p->order].len;
    return 0;
}
