/* columns — finding an input column by name.
 *
 * A column is found by the name a user gave (--customer COL), else by a
 * known alias in English or French. Names are compared after folding case,
 * accents, spaces and punctuation ("Code Client", "code_client" and
 * "CODE-CLIENT" are one name). Two columns answering the same role is an
 * error that names both: never a guess. */
#ifndef CL_COLUMNS_H
#define CL_COLUMNS_H

#include <stddef.h>

#include "diag.h"

/* Fold a column name into out: lower case ASCII letters and digits only,
 * Latin accents removed (é → e, œ → oe), everything else dropped.
 * @return out. */
char *columns_fold(const char *name, char *out, size_t out_size);

/* Find the column for `role` (a word used in messages, e.g. "customer").
 * given: the name from the command line, or NULL to use aliases (a
 * NULL-terminated list, compared folded). A given name is matched exactly
 * first, then folded.
 * @return the column index; -1 when not found (diag names the columns that
 *         exist), -2 when ambiguous (diag names the candidates). When
 *         `required` is 0, not found returns -1 with diag untouched. */
long columns_find(const char *const *names, size_t count, const char *given,
                  const char *const *aliases, const char *role, int required,
                  const char *file, struct diag *diag);

/* A list of column names given as "a,b,c". */
struct columns_list {
    char **items;       /* count names, pointing into storage; owned */
    size_t count;
    char *storage;      /* the list's copy, cut at its commas; owned */
};

/* Split arg at its commas into list, replacing what it held (a zeroed list
 * to start). @return 0, or -1 with diag set: an empty name ("empty name in
 * \"a,,b\"") or out of memory. */
int columns_list_parse(struct columns_list *list, const char *arg, struct diag *diag);
void columns_list_free(struct columns_list *list);  /* accepts a zeroed one */

/* The alias lists of the sales roles. */
extern const char *const columns_customer[];
/* Customer names: looked for only when no customer id column is found (a
 * file with both "Customer ID" and "Customer Name" is keyed by the id). */
extern const char *const columns_customer_name[];
extern const char *const columns_order[];
extern const char *const columns_date[];
extern const char *const columns_amount[];
extern const char *const columns_quantity[];
extern const char *const columns_price[];
extern const char *const columns_cost[];
extern const char *const columns_margin[];
extern const char *const columns_prescriber[];   /* who made the client buy */

#endif
