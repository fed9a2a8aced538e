/* sales: what one sales line means. The columns of an Online Retail header
 * and of a French spreadsheet export found by alias; lines read into
 * totals (amounts computed by hand: 6 × 2.55 = 15.30), returns, rejections
 * with their reason, the header repeated, --where, trimming ids. */
#include <string.h>

#include "parse.h"
#include "sales.h"
#include "t.h"

/* Split a line on delim into fields (no quoting: the test lines have none). */
static size_t split(char *text, char delim, struct csvfield *fields, size_t max)
{
    size_t n = 0;
    char *start = text;
    for (char *p = text;; p++)
        if (*p == delim || *p == '\0') {
            if (n < max) {
                fields[n].ptr = start;
                fields[n].len = (size_t)(p - start);
                n++;
            }
            if (*p == '\0')
                break;
            start = p + 1;
        }
    return n;
}

static enum sales_result read_line(const struct sales_layout *layout, struct sales_marks *marks,
                                   const char *text, char delim, struct sales_line *line,
                                   enum sales_reason *reason)
{
    static char copy[512];
    struct csvfield fields[16];
    char detail[128];
    struct diag diag;
    strcpy(copy, text);
    size_t n = split(copy, delim, fields, 16);
    marks->line++;
    return sales_read(layout, marks, fields, n, line, reason, detail, &diag);
}

int main(void)
{
    struct diag diag;
    struct sales_request request = { 0 };
    struct sales_layout layout;
    struct sales_marks marks;
    const char *retail[] = { "InvoiceNo", "StockCode", "Description", "Quantity",
                             "InvoiceDate", "UnitPrice", "CustomerID", "Country" };
    int rc = sales_layout_init(&layout, &marks, &request, retail, 8, ',', "sales.csv", &diag);
    T_CHECK(rc == 0 && layout.customer == 6 && layout.order == 0 && layout.date == 4 &&
            layout.quantity == 3 && layout.price == 5 && layout.amount == -1 &&
            !layout.with_margin,
            "layout: Online Retail's columns found by alias (amount = quantity x price)");

    struct sales_line line;
    enum sales_reason reason;
    /* an empty date is rejected whether or not a date was read before it:
     * the date remembered by marks (none yet here) must not stand for it,
     * else a parallel range starting on it reads it as another day */
    enum sales_result got = read_line(&layout, &marks, "536364,22139,X,2,,1.00,12345.0,France",
                                      ',', &line, &reason);
    T_CHECK(got == SALES_REJECT && reason == SALES_DATE,
            "read: an empty date before any other: rejected (%s)",
            got == SALES_REJECT ? sales_reason_text[reason] : "read");
    got = read_line(&layout, &marks,
        "536365,85123A,WHITE HANGING HEART,6,2010-12-01 08:26:00,2.55,17850.0,United Kingdom",
        ',', &line, &reason);
    T_CHECK(got == SALES_OK && line.totals.revenue == 15300000 &&
            line.totals.quantity == 6 * MONEY_SCALE && line.totals.lines == 1 &&
            line.totals.returns == 0 && line.order_len == 6 &&
            memcmp(line.order, "536365", 6) == 0 &&
            line.totals.first_day == date_from_civil(2010, 12, 1) &&
            line.totals.last_day == line.totals.first_day,
            "read: 6 x 2.55 = 15.30 on 2010-12-01, order 536365");

    got = read_line(&layout, &marks,
        "C536379,D,Discount,-1,2010-12-01 09:41:00,27.50,14527.0,United Kingdom",
        ',', &line, &reason);
    T_CHECK(got == SALES_OK && line.totals.revenue == -27500000 &&
            line.totals.returns == 27500000 && line.totals.return_lines == 1,
            "read: a negative line is net revenue -27.50 and a return of 27.50");

    got = read_line(&layout, &marks, "536414,22139,,56,2010-12-01 11:52:00,0,,United Kingdom",
                    ',', &line, &reason);
    T_CHECK(got == SALES_REJECT && reason == SALES_CUSTOMER,
            "read: no customer id: rejected, reason \"%s\"", sales_reason_text[reason]);

    got = read_line(&layout, &marks, "536415,22139,X,2,2010-12-01 11:52:00,abc,12345.0,France",
                    ',', &line, &reason);
    T_CHECK(got == SALES_REJECT && reason == SALES_PRICE, "read: a price \"abc\": rejected (%s)",
            sales_reason_text[reason]);

    got = read_line(&layout, &marks, "536416,22139,X,2,someday,1.00,12345.0,France",
                    ',', &line, &reason);
    T_CHECK(got == SALES_REJECT && reason == SALES_DATE, "read: a date \"someday\": rejected (%s)",
            sales_reason_text[reason]);

    got = read_line(&layout, &marks, "536416,22139,X,2,,1.00,12345.0,France",
                    ',', &line, &reason);
    T_CHECK(got == SALES_REJECT && reason == SALES_DATE,
            "read: an empty date after others: rejected (%s)",
            got == SALES_REJECT ? sales_reason_text[reason] : "read");

    got = read_line(&layout, &marks, "536417,22139,X,2,2010-12-01,1.00,123\x01" "45,France",
                    ',', &line, &reason);
    T_CHECK(got == SALES_REJECT && reason == SALES_KEY_CONTROL,
            "read: a control byte in the customer id: rejected (%s)", sales_reason_text[reason]);

    got = read_line(&layout, &marks,
        "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country",
        ',', &line, &reason);
    T_CHECK(got == SALES_HEADER, "read: the header line again (files concatenated): skipped");

    got = read_line(&layout, &marks, "536418,22139,X,2,2010-12-01,1.00,12345.0", ',', &line,
                    &reason);
    T_CHECK(got == SALES_REJECT && reason == SALES_FIELDS,
            "read: a line with a field missing: rejected (%s)", sales_reason_text[reason]);

    /* a French export: ';', a decimal comma presumed (parse_mark_of_delim),
     * DD/MM/YYYY dates, French names */
    const char *ventes[] = { "N\xc2\xb0 facture", "Quantit\xc3\xa9", "Date facture",
                             "Prix unitaire", "Code client" };
    rc = sales_layout_init(&layout, &marks, &request, ventes, 5, ';', "ventes.csv", &diag);
    T_CHECK(rc == 0 && layout.customer == 4 && layout.quantity == 1 && layout.price == 3 &&
            layout.date == 2, "layout: a French export's columns found by alias");
    got = read_line(&layout, &marks, "536365;6;01/12/2010 08:26;2,55;17850", ';', &line, &reason);
    T_CHECK(got == SALES_OK && line.totals.revenue == 15300000 &&
            line.totals.first_day == date_from_civil(2010, 12, 1),
            "read: \"2,55\" in a ';' file is 2.55, 01/12/2010 is the first of December");

    /* --where */
    struct sales_where where;
    T_CHECK(sales_where_parse("Country=France|Spain", &where) == 0 &&
            strcmp(where.column, "Country") == 0 && strcmp(where.values, "France|Spain") == 0 &&
            !where.negate, "where: COL=A|B");
    T_CHECK(sales_where_parse("Country!=France", &where) == 0 && where.negate &&
            strcmp(where.column, "Country") == 0, "where: COL!=VALUE");
    T_CHECK(sales_where_parse("=France", &where) == -1 && sales_where_parse("Country", &where) == -1,
            "where: no column name, no '=': refused");

    /* ids trimmed of the spaces of padded exports */
    const char *id = "\xc2\xa0 C001\xe2\x80\xaf";
    size_t len = strlen(id);
    T_CHECK(sales_trim_id(&id, &len) == 1 && len == 4 && memcmp(id, "C001", 4) == 0,
            "trim: no-break space and narrow no-break space around an id cut");
    id = "C001";
    len = 4;
    T_CHECK(sales_trim_id(&id, &len) == 0 && len == 4, "trim: nothing to cut: 0");
    T_DONE();
}
