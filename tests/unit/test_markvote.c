/* sales_mark_vote: the decimal mark of a number column decided on the
 * whole file for a value ambiguous where it is read (issue 14: "," as a
 * thousands separator with a decimal point, when the column says so).
 * The expected values are written by hand. */
#include <string.h>

#include "amount.h"
#include "sales.h"
#include "t.h"

static struct csvfield field(const char *s)
{
    struct csvfield f = { s, strlen(s) };
    return f;
}

/* Vote the values, one a line from line 2, into marks started undecided. */
static int vote_all(const char *const *values, struct sales_marks *marks,
                    struct sales_mark_votes *votes)
{
    struct sales_layout layout;
    memset(&layout, 0, sizeof layout);
    layout.amount = 0;
    layout.quantity = layout.price = layout.cost = layout.margin = -1;
    sales_mark_votes_init(votes, marks);
    for (long i = 0; values[i]; i++) {
        struct csvfield f = field(values[i]);
        sales_mark_vote(votes, &layout, &f, 1, i + 2);
        if (sales_mark_votes_done(votes, &layout))
            break;
    }
    return sales_marks_take_votes(marks, votes);
}

static void undecided(struct sales_marks *marks)
{
    memset(marks, 0, sizeof *marks);
    parse_mark_init(&marks->amount, 0);
    marks->quantity = marks->price = marks->cost = marks->margin = marks->amount;
}

int main(void)
{
    struct sales_marks marks;
    struct sales_mark_votes votes;
    int64_t v;
    int d, r;

    /* "12,345" then "1.5": the point told at line 3 decides the column */
    undecided(&marks);
    const char *a[] = { "12,345", "1.5", NULL };
    T_CHECK(vote_all(a, &marks, &votes) == 1 && marks.amount.mark == '.' &&
            marks.amount.told_line == 3, "vote: 1.5 at line 3 tells a point");
    T_CHECK(amount_parse_mark(&marks.amount, 2, "12,345", 6, &v, &d, &r) == PARSE_OK &&
            v == 12345LL * 1000000, "vote: then 12,345 is 12345");
    T_CHECK(amount_parse_mark(&marks.amount, 4, "1,5", 3, &v, &d, &r) == PARSE_MARK_CONFLICT,
            "vote: and a later 1,5 contradicts it");

    /* "12,345" then "1,5": a comma */
    undecided(&marks);
    const char *b[] = { "12,345", "1,5", NULL };
    T_CHECK(vote_all(b, &marks, &votes) == 1 && marks.amount.mark == ',',
            "vote: 1,5 tells a comma");
    T_CHECK(amount_parse_mark(&marks.amount, 2, "12,345", 6, &v, &d, &r) == PARSE_OK &&
            v == 12345000, "vote: then 12,345 is 12.345");

    /* "$1,234.56" tells a point through the currency form */
    undecided(&marks);
    const char *c[] = { "12,345", "$1,234.56", NULL };
    T_CHECK(vote_all(c, &marks, &votes) == 1 && marks.amount.mark == '.',
            "vote: $1,234.56 tells a point");

    /* nothing tells: undecided, the ambiguity stands */
    undecided(&marks);
    const char *e[] = { "12,345", "1,234", "7", NULL };
    T_CHECK(vote_all(e, &marks, &votes) == 0 && marks.amount.mark == 0,
            "vote: 12,345, 1,234 and 7 tell nothing");

    /* "1.234" presumed a point, then "1.234,56" a comma: contradicted, left
     * undecided for the reader to report with both lines */
    undecided(&marks);
    const char *f[] = { "1.234", "1.234,56", NULL };
    T_CHECK(vote_all(f, &marks, &votes) == 0 && marks.amount.mark == 0 && votes.conflict == 1,
            "vote: a contradiction decides nothing");

    /* a given mark is never changed */
    memset(&marks, 0, sizeof marks);
    parse_mark_init(&marks.amount, ',');
    const char *g[] = { "1.5", NULL };
    T_CHECK(vote_all(g, &marks, &votes) == 0 && marks.amount.mark == ',',
            "vote: --decimal-comma stays");
    T_DONE();
}
