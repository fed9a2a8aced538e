/* columns: folding names (case, accents, punctuation, bytes that are not
 * UTF-8), and finding a column by a given name or an alias, ambiguity and
 * absence being errors that name the columns. Expected values written by
 * hand from the rules in columns.h. */
#include <string.h>

#include "columns.h"
#include "t.h"

static const char *fold(const char *name)
{
    static char out[128];
    return columns_fold(name, out, sizeof out);
}

int main(void)
{
    T_STR(fold("Code Client"), "codeclient", "fold: case and spaces");
    T_STR(fold("code_client"), "codeclient", "fold: underscore dropped");
    T_STR(fold("CODE-CLIENT"), "codeclient", "fold: dash dropped");
    T_STR(fold("Quantit\xc3\xa9"), "quantite", "fold: é becomes e");
    T_STR(fold("N\xc2\xb0 facture"), "nfacture", "fold: ° dropped (not a letter)");
    T_STR(fold("\xc5\x92uvre \xc3\x86on \xc3\x9f"), "oeuvreaeonss", "fold: Œ, Æ and ß spelt out");
    T_STR(fold("Montant \xe2\x82\xac HT"), "montantht", "fold: a 3-byte character dropped");
    T_STR(fold("a\xff" "b\xc3"), "ab", "fold: bytes that are not UTF-8 dropped one by one");
    T_STR(fold("\xc3\xa9\xe2\x80"), "e", "fold: a character cut at the end dropped");
    {
        char small[5];
        columns_fold("customer", small, sizeof small);
        T_CHECK(strlen(small) < sizeof small, "fold: never past the output's size (\"%s\")",
                small);
    }

    struct diag diag;
    const char *sales[] = { "InvoiceNo", "Quantity", "Code Client", "Montant", "Date" };
    T_CHECK(columns_find(sales, 5, NULL, columns_customer, "customer", 1, "f.csv", &diag) == 2,
            "find: the customer by an alias, folded (Code Client)");
    T_CHECK(columns_find(sales, 5, NULL, columns_amount, "amount", 1, "f.csv", &diag) == 3,
            "find: the amount by its French alias (Montant)");
    T_CHECK(columns_find(sales, 5, "quantity", NULL, "quantity", 1, "f.csv", &diag) == 1,
            "find: a given name matched folded when no exact match");
    T_CHECK(columns_find(sales, 5, "Date", NULL, "date", 1, "f.csv", &diag) == 4,
            "find: a given name matched exactly");

    long got = columns_find(sales, 5, "price", NULL, "price", 1, "f.csv", &diag);
    T_CHECK(got == -1 && strstr(diag.message, "\"price\"") && strstr(diag.message, "\"Montant\""),
            "find: a given name that is not there: -1, the message names the columns (%s)",
            diag.message);
    strcpy(diag.message, "untouched");
    T_CHECK(columns_find(sales, 5, NULL, columns_margin, "margin", 0, "f.csv", &diag) == -1 &&
            strcmp(diag.message, "untouched") == 0,
            "find: an optional role not found: -1, diag untouched");

    const char *two[] = { "customer", "Client", "revenue" };
    got = columns_find(two, 3, NULL, columns_customer, "customer", 1, "f.csv", &diag);
    T_CHECK(got == -2 && strstr(diag.message, "\"customer\"") && strstr(diag.message, "\"Client\""),
            "find: two aliases answering: -2, both named (%s)", diag.message);
    {
        struct columns_list list = { 0 };
        T_CHECK(columns_list_parse(&list, "age,revenue,x", &diag) == 0 && list.count == 3 &&
                strcmp(list.items[0], "age") == 0 && strcmp(list.items[2], "x") == 0,
                "list: three names split at the commas");
        T_CHECK(columns_list_parse(&list, "one", &diag) == 0 && list.count == 1 &&
                strcmp(list.items[0], "one") == 0, "list: a second parse replaces the first");
        T_CHECK(columns_list_parse(&list, "a,,b", &diag) == -1 &&
                strcmp(diag.message, "empty name in \"a,,b\"") == 0,
                "list: an empty name is an error (%s)", diag.message);
        T_CHECK(columns_list_parse(&list, "a,", &diag) == -1, "list: a trailing comma too");
        columns_list_free(&list);
        columns_list_free(&list);
        T_CHECK(list.count == 0 && list.items == NULL, "list: freed twice, left empty");
    }
    T_DONE();
}
