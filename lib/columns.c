/* columns.c — the names a column may go by (English and French aliases)
 * and finding a column among a header's names, compared folded ("Montant
 * HT" is "montantht"); an ambiguity is an error naming the candidates. */
#include "columns.h"

#include <assert.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "utf8.h"

const char *const columns_customer[] = {
    "customer", "customerid", "customer_id", "customer id", "customer code", "client",
    "clientid", "client_id", "code client", "id client", "numero client", "no client",
    "n client", NULL
};
const char *const columns_customer_name[] = {
    "customer name", "customername", "client name", "nom client", "nom du client", NULL
};
const char *const columns_order[] = {
    "invoice", "invoiceno", "invoice_no", "invoice number", "order", "orderid",
    "order_id", "order number", "facture", "n facture", "no facture", "numero facture",
    "commande", "n commande", NULL
};
const char *const columns_date[] = {
    "date", "invoicedate", "invoice_date", "order date", "orderdate", "date facture",
    "date de facture", "date commande", NULL
};
const char *const columns_amount[] = {
    "amount", "montant", "revenue", "ca", "chiffre d'affaires", "sales", "line total",
    "montant ht", "total ht", "total", "dollar value", "sales amount", NULL
};
const char *const columns_quantity[] = {
    "quantity", "quantite", "qty", "qte", "quantity ordered", "quantite commandee", NULL
};
const char *const columns_price[] = {
    "price", "unitprice", "unit_price", "prix unitaire", "pu", "prix", "price each", NULL
};
const char *const columns_cost[] = {
    "cost", "unit cost", "unitcost", "cout", "cout unitaire", "prix de revient", NULL
};
const char *const columns_margin[] = {
    "margin", "marge", "gross margin", "marge brute", "profit", "gross profit", NULL
};
/* The prescriber of a sale: the doctor, the architect, the builder or the
 * business finder who made the client buy (compared folded: "Médecin" is
 * "medecin"). */
const char *const columns_prescriber[] = {
    "prescriber", "prescriber id", "prescriber_id", "prescripteur", "code prescripteur",
    "id prescripteur", "referrer", "referred by", "apporteur",
    "apporteur d'affaires", "medecin", "medecin prescripteur", "doctor", "architecte",
    "architect", NULL
};

/* Latin-1 supplement and Latin Extended-A letters, folded to ASCII: the
 * code point minus 0xC0 indexes this table ("" = drop). */
static const char *const latin1_fold[64] = {
    "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",
    "d", "n", "o", "o", "o", "o", "o", "", "o", "u", "u", "u", "u", "y", "th", "ss",
    "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",
    "d", "n", "o", "o", "o", "o", "o", "", "o", "u", "u", "u", "u", "y", "th", "y",
};

char *columns_fold(const char *name, char *out, size_t out_size)
{
    const unsigned char *p = (const unsigned char *)name;
    size_t o = 0;
    while (*p && o + 3 < out_size) {
        unsigned c = *p;
        if (c < 0x80) {
            if (c >= 'A' && c <= 'Z')
                out[o++] = (char)(c - 'A' + 'a');
            else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
                out[o++] = (char)c;
            p++;
            continue;
        }
        /* a multi-byte sequence: fold the letters we know, drop the rest
         * (a byte that is not UTF-8 is dropped alone) */
        uint32_t cp = 0;
        int len = utf8_decode(p, SIZE_MAX, &cp);   /* NUL-terminated: see utf8.h */
        size_t n = len > 0 ? (size_t)len : 1;
        if (len <= 0)
            cp = 0;
        const char *folded = "";
        if (cp >= 0xC0 && cp <= 0xFF)
            folded = latin1_fold[cp - 0xC0];
        else if (cp == 0x152 || cp == 0x153)
            folded = "oe";
        size_t fl = strlen(folded);
        if (o + fl + 1 >= out_size)
            break;
        memcpy(out + o, folded, fl);
        o += fl;
        p += n;
    }
    out[o] = '\0';
    return out;
}

static void list_columns(const char *const *names, size_t count, char *out, size_t size)
{
    size_t o = 0;
    out[0] = '\0';
    for (size_t i = 0; i < count && o + 8 < size; i++) {
        char q[200];    /* quoted as values are: a header is data too */
        int n = snprintf(out + o, size - o, "%s\"%s\"", i ? ", " : "",
                         diag_quote(names[i], strlen(names[i]), q, sizeof q));
        if (n < 0 || (size_t)n >= size - o) {
            snprintf(out + (size > 5 ? size - 5 : 0), 5, "...");
            break;
        }
        o += (size_t)n;
    }
}

long columns_find(const char *const *names, size_t count, const char *given,
                  const char *const *aliases, const char *role, int required,
                  const char *file, struct diag *diag)
{
    char folded[256], want[256];
    long found = -1;

    if (given != NULL) {
        for (size_t i = 0; i < count; i++)
            if (strcmp(names[i], given) == 0)
                return (long)i;
        columns_fold(given, want, sizeof want);
        for (size_t i = 0; i < count; i++) {
            if (strcmp(columns_fold(names[i], folded, sizeof folded), want) != 0)
                continue;
            if (found >= 0) {
                char q1[200], q2[200];
                diag_set(diag, "%s: column \"%s\" matches both \"%s\" and \"%s\"", file, given,
                         diag_quote(names[found], strlen(names[found]), q1, sizeof q1),
                         diag_quote(names[i], strlen(names[i]), q2, sizeof q2));
                return -2;
            }
            found = (long)i;
        }
        if (found >= 0)
            return found;
        char list[600];
        list_columns(names, count, list, sizeof list);
        /* a roll-up has a margin only when its sales had a cost or a margin */
        const char *hint = strcmp(want, "margin") == 0 && strcmp(role, "margin") != 0
                           ? "; cl-rollup writes margin only when the sales have a cost or "
                             "margin column (--cost COL or --margin COL)" : "";
        diag_set(diag, "%s: no column \"%s\" (columns: %s)%s", file, given, list, hint);
        return -1;
    }

    for (size_t i = 0; i < count; i++) {
        columns_fold(names[i], folded, sizeof folded);
        for (const char *const *a = aliases; a && *a; a++) {
            if (strcmp(folded, columns_fold(*a, want, sizeof want)) != 0)
                continue;
            if (found >= 0) {
                char q1[200], q2[200];
                diag_set(diag, "%s: two columns could be the %s: \"%s\" and \"%s\" "
                         "(name one with --%s)", file, role,
                         diag_quote(names[found], strlen(names[found]), q1, sizeof q1),
                         diag_quote(names[i], strlen(names[i]), q2, sizeof q2), role);
                return -2;
            }
            found = (long)i;
            break;
        }
    }
    if (found < 0 && required) {
        char list[600];
        list_columns(names, count, list, sizeof list);
        diag_set(diag, "%s: no %s column found (name it with --%s; columns: %s)",
                 file, role, role, list);
    }
    return found;
}

int columns_list_parse(struct columns_list *list, const char *arg, struct diag *diag)
{
    columns_list_free(list);
    list->storage = strdup(arg);
    list->items = calloc(strlen(arg) + 1, sizeof *list->items);
    if (!list->storage || !list->items)
        return diag_set(diag, "out of memory");
    char *p = list->storage;
    for (;;) {
        char *comma = strchr(p, ',');
        if (comma)
            *comma = '\0';
        if (*p == '\0')
            return diag_set(diag, "empty name in \"%s\"", arg);
        assert(list->count < strlen(arg) + 1);
        list->items[list->count++] = p;
        if (!comma)
            break;
        p = comma + 1;
    }
    return 0;
}

void columns_list_free(struct columns_list *list)
{
    if (!list)
        return;
    free(list->items);
    free(list->storage);
    memset(list, 0, sizeof *list);
}
