/* xlsx: what each column name of docs/columns.md becomes in a workbook,
 * and Excel's rules for sheet names (cut at 31 characters, not bytes;
 * forbidden characters; unique in any case). The cells themselves are
 * read back by openpyxl in tests/cli/xlsx.sh. */
#include <stdlib.h>

#include "t.h"
#include "xlsx.h"

static const char *role_name(enum xlsx_role role)
{
    static const char *const names[] = { "plain", "id", "ratio", "money", "date", "count" };
    return names[role];
}

int main(void)
{
    /* every column of docs/columns.md whose display matters, and some traps */
    static const struct { const char *column, *role; } cases[] = {
        { "customer", "id" }, { "client", "id" }, { "code_client", "id" },
        { "customer_id", "id" }, { "order", "id" }, { "segment", "id" }, { "period", "id" },
        { "rfm", "id" }, { "class", "id" }, { "previous_class", "id" }, { "label", "id" },
        { "metric", "id" }, { "group", "id" },
        { "revenue", "money" }, { "margin", "money" }, { "avg_order", "money" },
        { "total", "money" }, { "nonpositive_total", "money" }, { "market_revenue", "money" },
        { "revenue_mean", "money" }, { "montant", "money" },
        { "monetary_value", "money" }, { "avg_spend", "money" }, { "expected_spend", "money" },
        { "clv", "money" }, { "first_day_revenue", "money" }, { "p_alive", "ratio" },
        { "purchase_days", "count" }, { "expected_purchases", "plain" },
        { "share", "ratio" }, { "cum_share", "ratio" }, { "cum_clients_share", "ratio" },
        { "share_top20", "ratio" }, { "clients_for_80_share", "ratio" },
        { "class_A_clients_share", "ratio" }, { "class_A_value_share", "ratio" },
        { "share_effective", "ratio" }, { "share_potential", "ratio" }, { "share_value", "ratio" },
        { "penetration", "ratio" }, { "revenue_share", "ratio" }, { "clients_share", "ratio" },
        { "market_share_effective", "ratio" }, { "retention", "ratio" },
        { "first_date", "date" }, { "last_date", "date" }, { "date", "date" },
        { "from", "date" }, { "to", "date" },
        { "rank", "count" }, { "lines", "count" }, { "orders", "count" }, { "clients", "count" },
        { "recency_days", "count" }, { "tenure_days", "count" }, { "k", "count" },
        { "cluster", "count" }, { "size", "count" }, { "class_A_clients", "count" },
        { "clients_for_80", "count" }, { "migrate_A_B", "count" }, { "effective", "count" },
        { "lines_read", "count" }, { "rejected_no_customer_id", "count" },
        /* plain: reals, scaled values, normalised criteria */
        { "gini", "plain" }, { "distance", "plain" }, { "pc1", "plain" }, { "score", "plain" },
        { "revenue_z", "plain" }, { "n_revenue", "plain" }, { "silhouette", "plain" },
        { "quantity", "plain" }, { "age", "plain" }, { "shared_by", "plain" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        T_STR(role_name(xlsx_role_of(cases[i].column)), cases[i].role, "role of %s",
              cases[i].column);

    struct diag diag;
    xlsx_book *book = xlsx_book_new(NULL, &diag);
    T_CHECK(book != NULL, "a workbook starts");
    if (!book)
        T_DONE();
    static const struct { const char *wanted, *given; } names[] = {
        { "a[b]c:d*e?f/g\\h", "a_b_c_d_e_f_g_h" },
        { "'quoted'", "_quoted_" },
        { "", "Sheet" },
        { "sheet", "sheet (2)" },       /* Excel compares names without case */
        { "SHEET", "SHEET (3)" },
        { "0123456789012345678901234567890123456789", "0123456789012345678901234567890" },
        { "0123456789012345678901234567890123456789", "012345678901234567890123456 (2)" },
        /* 31 characters, not bytes: é is two */
        { "ééééééééééééééééééééééééééééééééééééé",
          "" },
    };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        xlsx_sheet *s = xlsx_sheet_add(book, names[i].wanted, &diag);
        T_CHECK(s != NULL, "sheet \"%s\" added", names[i].wanted);
        if (s && i + 1 < sizeof names / sizeof names[0])
            T_STR(xlsx_sheet_name(s), names[i].given, "sheet \"%s\" named", names[i].wanted);
        else if (s) {
            const char *n = xlsx_sheet_name(s);
            size_t chars = 0;
            for (const char *p = n; *p; p++)
                chars += ((unsigned char)*p & 0xC0) != 0x80;
            T_CHECK(chars == 31 && strlen(n) == 62, "31 characters (62 bytes) kept of 37 é");
        }
    }
    T_CHECK(xlsx_sheet_find(book, "sheet (2)") != NULL, "a sheet found by its name");
    T_CHECK(xlsx_sheet_find(book, "nope") == NULL, "no sheet found by another name");
    xlsx_book_free(book);
    T_CHECK(xlsx_path("a.xlsx") && xlsx_path("A.XLSX") && !xlsx_path(".xlsx") &&
            !xlsx_path("a.xls") && !xlsx_path(NULL), "which names are workbooks");
    T_DONE();
}
