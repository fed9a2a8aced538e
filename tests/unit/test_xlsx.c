/* xlsx: what each column name of docs/columns.md becomes in a workbook,
 * and Excel's rules for sheet names (cut at 31 characters, not bytes;
 * forbidden characters; unique in any case). The cells themselves are
 * read back by openpyxl in tests/cli/xlsx.sh. xlsx_g16 (a number cell's
 * text without printf) against snprintf's "%.16G", the text it replaces;
 * the cell names made without printf (lxw_rowcol_to_cell, defined in
 * xlsx.c) against the library's own, found behind it. */
#define _GNU_SOURCE     /* RTLD_NEXT */
#include <dlfcn.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include <xlsxwriter.h>

#include "t.h"
#include "xlsx.h"

static const char *role_name(enum xlsx_role role)
{
    static const char *const names[] = { "plain", "id", "ratio", "money", "date", "count" };
    return names[role];
}

static uint64_t g16_state = 0x9E3779B97F4A7C15ull;     /* the same values every run */

/* Does xlsx_g16 give what snprintf gives for v? A number it declines must
 * be one printf writes with an exponent (or a non-finite one). */
static int g16_same(double v, char *first, size_t first_size, long *declined)
{
    char want[64], got[XLSX_G16_MAX + 1];
    snprintf(want, sizeof want, "%.16G", v);
    size_t n = xlsx_g16(v, got);
    if (n == 0) {
        (*declined)++;
        if (strchr(want, 'E') || !isfinite(v))
            return 1;
        snprintf(first, first_size, "%.17g declined, printf \"%s\"", v, want);
        return 0;
    }
    got[n] = '\0';
    if (strcmp(got, want) == 0)
        return 1;
    snprintf(first, first_size, "%.17g: \"%s\", printf \"%s\"", v, got, want);
    return 0;
}

static void g16_check(const char *what, const double *values, size_t count, int may_decline)
{
    char first[160] = "";
    long wrong = 0, declined = 0;
    for (size_t i = 0; i < count; i++)
        if (!g16_same(values[i], first, wrong ? 0 : sizeof first, &declined))
            wrong++;
    T_CHECK(wrong == 0 && (may_decline || declined == 0),
            "xlsx_g16 = snprintf %%.16G on %zu %s (%ld declined)", count, what, declined);
    if (wrong)
        printf("# %ld wrong, the first: %s\n", wrong, first);
}

static void test_g16(void)
{
    enum { N = 400000 };
    double *v = malloc(N * sizeof *v);
    if (!v) {
        T_CHECK(0, "memory for the xlsx_g16 cases");
        return;
    }
    /* hand-picked: zeros, the range's ends, ties at 16 digits (2^50 + 1/2
     * is exact), carries to the next power of ten, thirds */
    static const double picked[] = {
        0.0, -0.0, 1.0, -1.0, 0.1, 0.2, 0.3, 1.0 / 3, 2.0 / 3, -2.0 / 3, 123.45, -123.45,
        1e-5, 1e-4, 0.0001234, 9.999999999999999e-5, 1e15, 1e16, 9999999999999998.0,
        1125899906842624.5, 1125899906842625.5, 4503599627370495.5, 999999999999999.94,
        999999999999999.9, 99999999999999.995, 9.9999999999999995, 0.99999999999999995,
        0.5, 2.5, 1234567.125, 1e-5 * (1 + 1e-16), 5e-324, 1e300, INFINITY, NAN,
    };
    size_t n = sizeof picked / sizeof picked[0];
    memcpy(v, picked, sizeof picked);
    for (int k = -6; k <= 17; k++) {        /* each side of every power of ten */
        double p = pow(10, k);
        v[n++] = nextafter(p, 0);
        v[n++] = p;
        v[n++] = nextafter(p, INFINITY);
    }
    g16_check("hand-picked numbers", v, n, 1);
    /* every binary exponent from 2^-18 to 2^54, random mantissas and signs */
    for (size_t i = 0; i < N; i++) {
        uint64_t r = t_random(&g16_state);
        double m = (double)(r >> 11) / 9007199254740992.0;     /* [0, 1) */
        v[i] = ldexp(0.5 + m / 2, (int)(i % 72) - 17) * ((r & 1) ? -1 : 1);
    }
    g16_check("random doubles of every magnitude", v, N, 1);
    /* whole numbers of every length, up to 2^53 and past it (counts, days) */
    for (size_t i = 0; i < N; i++) {
        uint64_t r = t_random(&g16_state);
        uint64_t top = (i % 3 == 0) ? (1ull << 53) + 64 : (uint64_t)pow(10, (double)(i % 17));
        double w = (double)(r % top);
        v[i] = (i & 4) ? -w : w;
    }
    g16_check("whole numbers", v, N, 1);
    /* what the sheets hold: money (cents to 6 decimals), counts, shares */
    for (size_t i = 0; i < N; i++) {
        uint64_t r = t_random(&g16_state);
        int decimals = (int)(i % 7);
        double amount = (double)(int64_t)(r % 100000000000000ull) / pow(10, decimals);
        v[i] = (i & 8) ? -amount : amount;
    }
    g16_check("amounts of 0 to 6 decimals", v, N, 1);
    for (size_t i = 0; i < N; i++) {
        uint64_t r = t_random(&g16_state);
        double a = (double)(r % 1000000 + 1), b = (double)((r >> 20) % 1000000 + 1);
        v[i] = a < b ? a / b : b / a;       /* (0, 1]: a share, a rate */
    }
    g16_check("shares a / b", v, N, 1);
    free(v);
}

/* lxw_rowcol_to_cell: every column on rows of every length, the last row,
 * and past Excel's limits (handed to the library), against the library's. */
static void test_cell_names(void)
{
    typedef void name_fn(char *, lxw_row_t, lxw_col_t);
    name_fn *library;
    void *found = dlsym(RTLD_NEXT, "lxw_rowcol_to_cell");
    T_CHECK(found != NULL, "libxlsxwriter's lxw_rowcol_to_cell found behind this one");
    if (!found)
        return;
    memcpy(&library, &found, sizeof library);
    static const lxw_row_t rows[] = { 0, 1, 8, 9, 10, 98, 99, 999, 9999, 99999, 123456,
                                      999999, 1048575, 1048576, 4000000, 99999998 };
    long checked = 0, differ = 0;
    char first[96] = "";
    for (size_t r = 0; r < sizeof rows / sizeof *rows; r++)
        for (unsigned c = 0; c < 16384 + 3; c++) {
            char want[32], got[32];
            library(want, rows[r], (lxw_col_t)c);
            lxw_rowcol_to_cell(got, rows[r], (lxw_col_t)c);
            checked++;
            if (strcmp(want, got) != 0 && differ++ == 0)
                snprintf(first, sizeof first, "row %u col %u: \"%s\", library \"%s\"",
                         rows[r], c, got, want);
        }
    T_CHECK(differ == 0, "%ld cell names as the library writes them (%s)", checked, first);
    char name[32];
    lxw_rowcol_to_cell(name, 1048575, 16383);
    T_STR(name, "XFD1048576", "the last cell of a sheet");
}

int main(void)
{
    test_g16();
    test_cell_names();
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
