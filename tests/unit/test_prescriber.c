/* Unit tests of lib/prescriber: random sales lines (clients, prescribers who
 * are sometimes clients, direct sales, returns) added to one book, or cut in
 * pieces merged in another order, against sums and sets counted here by
 * brute force over small integer ids. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "prescriber.h"
#include "t.h"

#define LINES 4000
#define CLIENTS 150
#define OUTSIDERS 25            /* prescribers who are not clients: p0..p24 */

struct line {
    int client;
    int prescriber;             /* -1 direct, 0..OUTSIDERS-1 "pN", else client (N - OUTSIDERS) */
    int order;
    int64_t revenue;
    int32_t day;
};

static unsigned long long seed = 42;
static unsigned next_random(unsigned n)
{
    seed = seed * 6364136223846793005ull + 1442695040888963407ull;
    return (unsigned)((seed >> 33) % n);
}

static void id_of(int prescriber, char *out, size_t size)
{
    if (prescriber < OUTSIDERS)
        snprintf(out, size, "p%d", prescriber);
    else
        snprintf(out, size, "c%d", prescriber - OUTSIDERS);
}

static int add_lines(struct prescriber_book *b, struct rollup *r, const struct line *lines,
                     size_t from, size_t to)
{
    struct diag diag;
    for (size_t i = from; i < to; i++) {
        char key[16], presc[16], order[16];
        snprintf(key, sizeof key, "c%d", lines[i].client);
        snprintf(order, sizeof order, "o%d", lines[i].order);
        if (lines[i].prescriber >= 0)
            id_of(lines[i].prescriber, presc, sizeof presc);
        struct rollup_totals t = { .revenue = lines[i].revenue, .lines = 1,
                                   .first_day = lines[i].day, .last_day = lines[i].day };
        if (prescriber_add(b, r, key, strlen(key), lines[i].prescriber >= 0 ? presc : NULL,
                           lines[i].prescriber >= 0 ? strlen(presc) : 0, order, strlen(order),
                           &t, &diag) != 0)
            return -1;
    }
    return 0;
}

/* One run: the lines cut in `pieces` contiguous pieces, each its own book
 * and roll-up, merged into the first in the reverse order. */
static int run(enum prescriber_mode mode, const struct line *lines, int pieces,
               struct prescriber_book *book, struct rollup *rollup, struct rollup_output *how)
{
    struct diag diag;
    struct prescriber_book parts[4];
    struct rollup rollups[4];
    for (int p = 0; p < pieces; p++) {
        if (prescriber_init(&parts[p], mode, 0, &diag) != 0 ||
            rollup_init(&rollups[p], ROLLUP_CUSTOMER, &diag) != 0 ||
            add_lines(&parts[p], &rollups[p], lines, (size_t)LINES * p / pieces,
                      (size_t)LINES * (p + 1) / pieces) != 0)
            return -1;
    }
    *book = parts[0];
    *rollup = rollups[0];
    for (int p = pieces - 1; p > 0; p--) {
        if (prescriber_merge(book, &parts[p], &diag) != 0 ||
            rollup_merge(rollup, &rollups[p], &diag) != 0)
            return -1;
        prescriber_free(&parts[p]);
        rollup_free(&rollups[p]);
    }
    memset(how, 0, sizeof *how);
    return prescriber_columns(book, rollup, how, &diag);
}

static long key_index(const struct rollup *r, const char *key)
{
    return hashtab_find(&r->keys, key, strlen(key), hashtab_hash(key, strlen(key)));
}

int main(void)
{
    static struct line lines[LINES];
    static unsigned char brought[CLIENTS + OUTSIDERS][CLIENTS];   /* prescriber x client */
    int64_t prescription[CLIENTS] = { 0 }, prescribed[CLIENTS + OUTSIDERS] = { 0 };
    int64_t direct_revenue = 0, direct_lines = 0;
    for (size_t i = 0; i < LINES; i++) {
        struct line *l = &lines[i];
        l->client = (int)next_random(CLIENTS);
        unsigned kind = next_random(3);
        l->prescriber = kind == 0 ? -1 : kind == 1 ? (int)next_random(OUTSIDERS)
                                                  : OUTSIDERS + (int)next_random(CLIENTS);
        l->order = (int)next_random(2000);
        l->revenue = (int64_t)next_random(200000) - 20000;      /* returns too */
        l->day = 15000 + (int32_t)next_random(90);
        if (l->prescriber < 0) {
            direct_revenue += l->revenue;
            direct_lines++;
            continue;
        }
        brought[l->prescriber][l->client] = 1;
        prescription[l->client] += l->revenue;
        prescribed[l->prescriber] += l->revenue;
    }

    for (int pieces = 1; pieces <= 4; pieces += 3) {
        struct prescriber_book book;
        struct rollup rollup;
        struct rollup_output how;
        T_CHECK(run(PRESCRIBER_CLIENTS, lines, pieces, &book, &rollup, &how) == 0,
                "per client, %d piece(s): added and merged", pieces);
        T_CHECK(how.extra_row != NULL && how.extra_context == &book,
                "per client, %d piece(s): the columns are handed to the roll-up", pieces);
        int bad_count = 0, bad_share = 0, bad_prescribed = 0;
        for (int c = 0; c < CLIENTS; c++) {
            char key[16];
            snprintf(key, sizeof key, "c%d", c);
            long k = key_index(&rollup, key);
            if (k < 0)
                continue;       /* a client with no line */
            int64_t n = 0;
            for (int p = 0; p < CLIENTS + OUTSIDERS; p++)
                n += brought[p][c];
            bad_count += book.count[k] != n;
            bad_share += book.prescription[k] != prescription[c];
            bad_prescribed += book.prescribed[k] != prescribed[OUTSIDERS + c];
        }
        T_CHECK(bad_count == 0, "per client, %d piece(s): distinct prescribers", pieces);
        T_CHECK(bad_share == 0, "per client, %d piece(s): revenue through a prescriber", pieces);
        T_CHECK(bad_prescribed == 0, "per client, %d piece(s): revenue prescribed to others",
                pieces);
        T_CHECK(book.direct_lines == direct_lines && book.direct_revenue == direct_revenue,
                "per client, %d piece(s): direct lines and revenue", pieces);
        prescriber_free(&book);
        rollup_free(&rollup);

        T_CHECK(run(PRESCRIBER_ROLLUP, lines, pieces, &book, &rollup, &how) == 0,
                "per prescriber, %d piece(s): added and merged", pieces);
        int bad_clients = 0, bad_revenue = 0, rows = 0;
        for (int p = 0; p < CLIENTS + OUTSIDERS; p++) {
            char id[16];
            id_of(p, id, sizeof id);
            long k = key_index(&rollup, id);
            int64_t n = 0;
            for (int c = 0; c < CLIENTS; c++)
                n += brought[p][c];
            if (k < 0) {
                bad_clients += n != 0;  /* absent only when it brought nobody */
                continue;
            }
            rows++;
            bad_clients += book.count[k] != n;
            bad_revenue += rollup.key_totals[k].revenue != prescribed[p];
        }
        T_CHECK(bad_clients == 0, "per prescriber, %d piece(s): distinct clients brought", pieces);
        T_CHECK(bad_revenue == 0, "per prescriber, %d piece(s): prescribed revenue", pieces);
        T_CHECK(rows == (int)rollup.keys.count, "per prescriber, %d piece(s): one row each, "
                "no direct row", pieces);
        prescriber_free(&book);
        rollup_free(&rollup);
    }
    T_DONE();
}
