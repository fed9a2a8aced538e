/* sales.c — finding the columns of a sales export and turning one line
 * into an addition to the roll-up or a rejection with its reason (see
 * sales.h). */
#include "sales.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "amount.h"
#include "columns.h"
#include "utf8.h"

const char *const sales_reason_text[SALES_REASONS] = {
    "wrong number of fields", "no customer id", "unusable date", "unusable amount",
    "unusable quantity", "unusable price", "unusable cost", "unusable margin",
    "control character in an id",
};

/* @return the column, -1 when absent and allowed; -2 error (diag set). */
static long find(const char *const *names, size_t count, const char *given,
                 const char *const *aliases, const char *role, int required,
                 const char *file, struct diag *diag)
{
    long col = columns_find(names, count, given, aliases, role, required, file, diag);
    if (col == -2 || (col == -1 && (required || given)))
        return -2;
    return col;
}

static int find_by(struct sales_layout *layout, const char *by, const char *const *names,
                   size_t count, const char *file, struct diag *diag)
{
    layout->by_count = 0;
    if (!by)
        return 0;
    const char *p = by;
    while (*p) {
        const char *end = strchr(p, ',');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        char name[256];
        if (len == 0 || len >= sizeof name)
            return diag_set(diag, "--group: \"%s\" is not a list of column names", by);
        memcpy(name, p, len);
        name[len] = '\0';
        if (layout->by_count == SALES_MAX_BY)
            return diag_set(diag, "--group: at most %d columns", SALES_MAX_BY);
        long col = find(names, count, name, NULL, "by", 1, file, diag);
        if (col < 0)
            return -1;
        layout->by[layout->by_count++] = col;
        p += len + (end ? 1 : 0);
    }
    return 0;
}

/* The prescriber column: optional unless asked for, never the customer's. */
static int find_prescriber(struct sales_layout *layout, const struct sales_request *r,
                           const char *const *names, size_t count, const char *file,
                           struct diag *diag)
{
    layout->prescriber = find(names, count, r->prescriber, columns_prescriber, "prescriber",
                              r->prescriber_required, file, diag);
    if (layout->prescriber == -2)
        return -1;
    if (layout->prescriber >= 0 && layout->prescriber == layout->customer)
        return diag_set(diag, "%s: \"%s\" cannot be both the customer and the prescriber "
                        "column", file, names[layout->customer]);
    return 0;
}

int sales_layout_init(struct sales_layout *layout, struct sales_marks *marks,
                      const struct sales_request *r,
                      const char *const *names, size_t count, char delim,
                      const char *file, struct diag *diag)
{
    memset(layout, 0, sizeof *layout);
    layout->columns = count;
    layout->date_format = r->date_format;
    layout->keep_spaces = r->keep_spaces;
    layout->has_from = r->has_from;
    layout->has_to = r->has_to;
    layout->from = r->from;
    layout->to = r->to;
    layout->amount = layout->quantity = layout->price = layout->cost = layout->margin = -1;
    layout->credit_prefix = r->credit_prefix;
    layout->credit_prefix_len = r->credit_prefix ? strlen(r->credit_prefix) : 0;

#define FIND(field, given, aliases, role, required)                                     \
    if ((layout->field = find(names, count, given, aliases, role, required, file, diag)) == -2) \
        return -1
    if (r->customer) {
        FIND(customer, r->customer, columns_customer, "customer", 1);
    } else {
        /* an id first; a name column only when there is no id column */
        FIND(customer, NULL, columns_customer, "customer", 0);
        if (layout->customer < 0)
            FIND(customer, NULL, columns_customer_name, "customer", 0);
        if (layout->customer < 0)
            FIND(customer, NULL, columns_customer, "customer", 1);
    }
    FIND(order, r->order, columns_order, "order", 0);
    FIND(date, r->date, columns_date, "date", 1);
    /* a line total with a quantity is a consistent pair: --amount and
     * --quantity together, or an amount column found beside --quantity */
    if (r->amount || !r->price)
        FIND(amount, r->amount, columns_amount, "amount", 0);
    FIND(quantity, r->quantity, columns_quantity, "quantity", 0);
    if (layout->amount < 0) {
        FIND(price, r->price, columns_price, "price", 0);
        if (layout->quantity < 0 || layout->price < 0)
            return diag_set(diag, "%s: no amount column, nor quantity and price columns "
                            "(name them with --amount, or --quantity and --price)", file);
    }
    if (!r->margin)
        FIND(cost, r->cost, columns_cost, "cost", 0);
    if (layout->cost < 0)
        FIND(margin, r->margin, columns_margin, "margin", 0);
#undef FIND
    if (layout->cost >= 0 && layout->quantity < 0)
        return diag_set(diag, "%s: a cost column needs a quantity column "
                        "(margin = amount - quantity x cost)", file);
    layout->with_margin = layout->cost >= 0 || layout->margin >= 0;
    if (layout->credit_prefix_len > 0 && layout->order < 0)
        return diag_set(diag, "%s: --credit-prefix needs an order column "
                        "(name it with --order)", file);
    if (find_by(layout, r->by, names, count, file, diag) != 0)
        return -1;
    snprintf(layout->customer_name, sizeof layout->customer_name, "%s", names[layout->customer]);
    snprintf(layout->date_name, sizeof layout->date_name, "%s", names[layout->date]);
    layout->where = r->where;
    layout->where_count = r->where_count;
    for (size_t i = 0; i < r->where_count; i++) {
        long col = find(names, count, r->where[i].column, NULL, "where", 1, file, diag);
        if (col < 0)
            return -1;
        layout->where_col[i] = col;
    }
    if (find_prescriber(layout, r, names, count, file, diag) != 0)
        return -1;

    /* A ';'-separated export comes from a decimal-comma locale: that is why
     * it is not ','-separated. Presume the comma there unless told. */
    char mark = r->mark ? r->mark : parse_mark_of_delim(delim);
    memset(marks, 0, sizeof *marks);
    parse_mark_init(&marks->amount, mark);
    marks->quantity = marks->price = marks->cost = marks->margin = marks->amount;
    return 0;
}

static int mark_agrees(struct parse_mark *agreed, const struct parse_mark *part)
{
    if (part->presumed)
        return 0;
    if (part->mark == agreed->mark)
        return 1;
    if (agreed->mark && !agreed->fixed && part->mark && part->mark != agreed->mark)
        return 0;
    if (!agreed->mark)
        *agreed = *part;
    return 1;
}

int sales_marks_agree(struct sales_marks *agreed, const struct sales_marks *part)
{
    return mark_agrees(&agreed->amount, &part->amount) &&
           mark_agrees(&agreed->quantity, &part->quantity) &&
           mark_agrees(&agreed->price, &part->price) &&
           mark_agrees(&agreed->cost, &part->cost) &&
           mark_agrees(&agreed->margin, &part->margin);
}

/* ---- the decimal marks decided on the whole file ------------------------ */

void sales_mark_votes_init(struct sales_mark_votes *votes, const struct sales_marks *start)
{
    memset(votes, 0, sizeof *votes);
    votes->amount = start->amount;
    votes->quantity = start->quantity;
    votes->price = start->price;
    votes->cost = start->cost;
    votes->margin = start->margin;
}

static void vote_one(struct parse_mark *m, unsigned char *conflict, unsigned bit, long col,
                     const struct csvfield *fields, size_t count, long line)
{
    if (col < 0 || (size_t)col >= count || m->fixed || m->mark || (*conflict & bit))
        return;
    int64_t value;
    int decimals, rounded;
    if (amount_parse_mark(m, line, fields[col].ptr, fields[col].len, &value, &decimals,
                          &rounded) == PARSE_MARK_CONFLICT)
        *conflict |= (unsigned char)bit;
}

void sales_mark_vote(struct sales_mark_votes *votes, const struct sales_layout *layout,
                     const struct csvfield *fields, size_t count, long line)
{
    vote_one(&votes->amount, &votes->conflict, 1, layout->amount, fields, count, line);
    vote_one(&votes->quantity, &votes->conflict, 2, layout->quantity, fields, count, line);
    vote_one(&votes->price, &votes->conflict, 4, layout->price, fields, count, line);
    vote_one(&votes->cost, &votes->conflict, 8, layout->cost, fields, count, line);
    vote_one(&votes->margin, &votes->conflict, 16, layout->margin, fields, count, line);
}

static int decided(const struct parse_mark *m, unsigned conflict, unsigned bit, long col)
{
    return col < 0 || m->fixed || m->mark || (conflict & bit);
}

int sales_mark_votes_done(const struct sales_mark_votes *votes, const struct sales_layout *layout)
{
    unsigned c = votes->conflict;
    return decided(&votes->amount, c, 1, layout->amount) &&
           decided(&votes->quantity, c, 2, layout->quantity) &&
           decided(&votes->price, c, 4, layout->price) &&
           decided(&votes->cost, c, 8, layout->cost) &&
           decided(&votes->margin, c, 16, layout->margin);
}

static int take_vote(struct parse_mark *m, const struct parse_mark *vote, unsigned conflict,
                     unsigned bit)
{
    if (m->fixed || m->mark || !vote->mark || (conflict & bit))
        return 0;
    m->mark = vote->mark;
    m->told_line = vote->told_line;
    memcpy(m->told_text, vote->told_text, sizeof m->told_text);
    return 1;
}

int sales_marks_take_votes(struct sales_marks *marks, const struct sales_mark_votes *votes)
{
    unsigned c = votes->conflict;
    return take_vote(&marks->amount, &votes->amount, c, 1) +
           take_vote(&marks->quantity, &votes->quantity, c, 2) +
           take_vote(&marks->price, &votes->price, c, 4) +
           take_vote(&marks->cost, &votes->cost, c, 8) +
           take_vote(&marks->margin, &votes->margin, c, 16);
}

int sales_where_parse(const char *arg, struct sales_where *where)
{
    const char *eq = strchr(arg, '=');
    if (!eq)
        return -1;
    size_t len = (size_t)(eq - arg);
    where->negate = len > 0 && arg[len - 1] == '!';
    if (where->negate)
        len--;
    if (len == 0 || len >= sizeof where->column)
        return -1;
    memcpy(where->column, arg, len);
    where->column[len] = '\0';
    where->values = eq + 1;
    return 0;
}

/* Is the field (spaces around it ignored) one of the '|'-separated values? */
static int where_matches(const struct csvfield *f, const char *values)
{
    const char *p = f->ptr;
    size_t len = f->len;
    while (len > 0 && (*p == ' ' || *p == '\t')) {
        p++;
        len--;
    }
    while (len > 0 && (p[len - 1] == ' ' || p[len - 1] == '\t'))
        len--;
    for (const char *v = values;; ) {
        const char *bar = strchr(v, '|');
        size_t vlen = bar ? (size_t)(bar - v) : strlen(v);
        if (vlen == len && memcmp(v, p, len) == 0)
            return 1;
        if (!bar)
            return 0;
        v = bar + 1;
    }
}

const char *const sales_role_name[SALES_ROLES] = {
    "customer", "order", "date", "amount", "quantity", "price", "cost", "margin", "prescriber"
};

long sales_layout_role(const struct sales_layout *layout, int role)
{
    const long cols[SALES_ROLES] = {
        layout->customer, layout->order, layout->date, layout->amount, layout->quantity,
        layout->price, layout->cost, layout->margin, layout->prescriber
    };
    return role >= 0 && role < SALES_ROLES ? cols[role] : -1;
}

char *sales_layout_describe(const struct sales_layout *layout, const char *const *names,
                            char *out, size_t size)
{
    size_t o = 0;
    out[0] = '\0';
    for (int i = 0; i < SALES_ROLES && o < size; i++) {
        long col = sales_layout_role(layout, i);
        char q[64];
        int n;
        if (col >= 0)
            n = snprintf(out + o, size - o, "%s%s \"%s\"", i ? ", " : "", sales_role_name[i],
                         diag_quote(names[col], strlen(names[col]), q, sizeof q));
        else
            n = snprintf(out + o, size - o, "%s%s none", i ? ", " : "", sales_role_name[i]);
        if (n < 0)
            break;
        o += (size_t)n;
    }
    return out;
}

void sales_date_vote(struct sales_date_votes *votes, const char *s, size_t len)
{
    int dmy, mdy, same;
    if (!parse_date_slash_orders(s, len, &dmy, &mdy, &same)) {
        votes->other++;
        return;
    }
    char q[64];
    if (dmy && !mdy) {
        votes->only_dmy++;
    } else if (mdy && !dmy) {
        if (votes->only_mdy++ == 0)
            snprintf(votes->mdy_example, sizeof votes->mdy_example, "%s",
                     diag_quote(s, len, q, sizeof q));
    } else if (dmy && mdy && !same) {
        if (votes->either++ == 0)
            snprintf(votes->either_example, sizeof votes->either_example, "%s",
                     diag_quote(s, len, q, sizeof q));
    }
}

static int is_blank(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (s[i] != ' ' && s[i] != '\t')
            return 0;
    return 1;
}

/* Length of a white space character at s (see sales_trim_id), 0 if none. */
static size_t space_at(const unsigned char *s, size_t left)
{
    if (s[0] == ' ' || s[0] == '\t')
        return 1;
    if (left >= 2 && s[0] == 0xC2 && s[1] == 0xA0)
        return 2;
    uint32_t cp;
    if (left < 3 || utf8_decode(s, left, &cp) != 3)
        return 0;
    if ((cp >= 0x2000 && cp <= 0x200B) || cp == 0x202F || cp == 0x205F || cp == 0x3000 ||
        cp == 0xFEFF)
        return 3;
    return 0;
}

/* Length of a white space character ending at s + len, 0 if none. */
static size_t space_before(const unsigned char *s, size_t len)
{
    if (len >= 1 && space_at(s + len - 1, 1) == 1)
        return 1;
    if (len >= 2 && space_at(s + len - 2, 2) == 2)
        return 2;
    if (len >= 3 && space_at(s + len - 3, 3) == 3)
        return 3;
    return 0;
}

/* sales_trim_id once an end may be a space: apart, so that the usual id
 * is checked without this frame. */
static __attribute__((noinline)) int trim_spaces(const char **s, size_t *len)
{
    const unsigned char *p = (const unsigned char *)*s;
    size_t n = *len, k, was = n;
    while (n > 0 && (k = space_at(p, n)) > 0) { p += k; n -= k; }
    while (n > 0 && (k = space_before(p, n)) > 0)
        n -= k;
    *s = (const char *)p;
    *len = n;
    return n != was;
}

int sales_trim_id(const char **s, size_t *len)
{
    const unsigned char *p = (const unsigned char *)*s;
    size_t n = *len;
    if (n == 0 || (p[0] < 0x80 && p[0] != ' ' && p[0] != '\t' && p[n - 1] < 0x80 &&
                   p[n - 1] != ' ' && p[n - 1] != '\t'))
        return 0;           /* the usual case: nothing around */
    return trim_spaces(s, len);
}

/* Check a key field: trimmed (unless keep), not holding a control byte
 * (ROLLUP_KEY_SEP among them). @return 0, 1 trimmed, -1 control byte. */
static int check_key_field(const struct csvfield *f, int keep, const char **ptr, size_t *len)
{
    *ptr = f->ptr;
    *len = f->len;
    int trimmed = keep ? 0 : sales_trim_id(ptr, len);
    for (size_t i = 0; i < *len; i++) {
        unsigned char c = (unsigned char)(*ptr)[i];
        if (c < 0x20 || c == 0x7f)
            return -1;
    }
    return trimmed;
}

static void quote_detail(const struct csvfield *f, char *detail)
{
    char q[64];
    snprintf(detail, 96, " \"%s\"", diag_quote(f->ptr, f->len, q, sizeof q));
}

/* A number column: 0 ok, 1 unusable, -1 fatal (ambiguous, or contradicting
 * an earlier line's mark: the user must say). */
static int number(const struct csvfield *f, struct parse_mark *mark, long lineno, int64_t *value,
                  int *decimals, const char *role, struct sales_line *line, struct diag *diag)
{
    int rounded;
    enum parse_status st = amount_parse_mark(mark, lineno, f->ptr, f->len, value, decimals,
                                             &rounded);
    if (st == PARSE_OK) {
        if (rounded && line->rounded++ == 0)
            line->rounded_field = *f;   /* more than 6 decimals: rounded to 6 */
        return 0;
    }
    if (st == PARSE_MARK_CONFLICT) {
        char text[DIAG_MAX];
        diag_set(diag, "%s", parse_mark_conflict(mark, role, f->ptr, f->len, text, sizeof text));
        return -1;
    }
    if (st == PARSE_AMBIGUOUS) {
        char q[64];
        line->ambiguous = 1;
        diag_set(diag, "%s \"%s\" is ambiguous: decimal comma or thousands separator? "
                 "(give --decimal-comma or --decimal-point)", role,
                 diag_quote(f->ptr, f->len, q, sizeof q));
        return -1;
    }
    return 1;
}

/* a × b of scaled values, rounded half away from zero; -1 on overflow. */
static int multiply(int64_t a, int64_t b, int64_t *out)
{
    int64_t small;
    if (!__builtin_mul_overflow(a, b, &small)) {    /* the usual case: no 128-bit division */
        int64_t q = small / MONEY_SCALE, r = small % MONEY_SCALE;
        if (2 * (r < 0 ? -r : r) >= MONEY_SCALE)
            q += small < 0 ? -1 : 1;
        *out = q;
        return 0;
    }
    __int128 p = (__int128)a * b;
    __int128 q = p / MONEY_SCALE, r = p % MONEY_SCALE;
    if (2 * (r < 0 ? -r : r) >= MONEY_SCALE)
        q += p < 0 ? -1 : 1;
    if (q > INT64_MAX || q < INT64_MIN)
        return -1;
    *out = (int64_t)q;
    return 0;
}

static int sum_decimals(int a, int b)
{
    return a + b > MONEY_DECIMALS ? MONEY_DECIMALS : a + b;
}

/* The returns policy, in one place: a line is a return when its amount is
 * negative, or when its order id carries the credit-note prefix. A credit
 * note's lines count negatively whatever sign the export gives them (some
 * ERPs write credit notes unsigned): a positive amount there is turned,
 * with its margin and quantity. Returns stay in the net revenue; the
 * amount returned is kept apart, and the line is marked, so that an order
 * made of returns only is not counted as an order. */
static void mark_return(const struct sales_layout *layout, const struct csvfield *fields,
                        struct rollup_totals *t)
{
    int credit = 0;
    if (layout->credit_prefix_len > 0) {
        const struct csvfield *order = &fields[layout->order];
        const char *p = order->ptr;
        size_t len = order->len;
        while (len > 0 && (*p == ' ' || *p == '\t')) {
            p++;
            len--;
        }
        credit = len >= layout->credit_prefix_len &&
                 memcmp(p, layout->credit_prefix, layout->credit_prefix_len) == 0;
    }
    if (credit && t->revenue > 0) {
        t->revenue = -t->revenue;
        t->margin = -t->margin;
        t->quantity = -t->quantity;
    }
    t->returns = 0;
    t->return_lines = 0;
    if (credit || t->revenue < 0) {
        t->returns = -t->revenue;
        t->return_lines = 1;
    }
}

/* A number column into *value: the plain value read inline (amount.h),
 * anything else by number(). */
#define NUMBER(col, mark, value, decimals, role, why)                               \
    do {                                                                            \
        const struct csvfield *f_ = &fields[layout->col];                           \
        if (!amount_read_plain(&marks->mark, f_->ptr, f_->len, value, decimals)) {  \
            int rc_ = number(f_, &marks->mark, marks->line, value, decimals, role, line, \
                             diag);                                                 \
            if (rc_ < 0)                                                            \
                return SALES_FATAL;                                                 \
            if (rc_ > 0) {                                                          \
                *reason = why;                                                      \
                quote_detail(f_, detail);                                           \
                return SALES_REJECT;                                                \
            }                                                                       \
        }                                                                           \
    } while (0)

enum sales_result sales_read(const struct sales_layout *layout, struct sales_marks *marks,
                             const struct csvfield *fields, size_t count,
                             struct sales_line *line, enum sales_reason *reason,
                             char *detail, struct diag *diag)
{
    struct rollup_totals *t = &line->totals;
    detail[0] = '\0';
    line->ambiguous = 0;
    if (count != layout->columns) {
        *reason = SALES_FIELDS;
        snprintf(detail, 96, " (%zu, the header has %zu)", count, layout->columns);
        return SALES_REJECT;
    }
    /* the header again, from exports concatenated: its date is the date
     * column's name, its customer the customer column's */
    const struct csvfield *date_field = &fields[layout->date];
    if (date_field->len > 0 && date_field->ptr[0] == layout->date_name[0] &&
        date_field->len == strlen(layout->date_name) &&
        memcmp(date_field->ptr, layout->date_name, date_field->len) == 0 &&
        fields[layout->customer].len == strlen(layout->customer_name) &&
        memcmp(fields[layout->customer].ptr, layout->customer_name,
               fields[layout->customer].len) == 0)
        return SALES_HEADER;
    for (size_t i = 0; i < layout->where_count; i++)
        if (where_matches(&fields[layout->where_col[i]], layout->where[i].values) ==
            layout->where[i].negate)
            return SALES_FILTERED;
    const struct csvfield *customer = &fields[layout->customer];
    const char *id;
    size_t id_len;
    int trimmed = check_key_field(customer, layout->keep_spaces, &id, &id_len);
    if (id_len == 0 || is_blank(id, id_len)) {
        *reason = SALES_CUSTOMER;
        return SALES_REJECT;
    }
    for (size_t i = 0; i < layout->by_count && trimmed >= 0; i++) {
        const char *v;
        size_t v_len;
        int t_by = check_key_field(&fields[layout->by[i]], layout->keep_spaces, &v, &v_len);
        trimmed = t_by < 0 ? -1 : trimmed | t_by;
    }
    if (layout->prescriber >= 0 && trimmed >= 0) {
        /* the prescriber is an id like the customer's: the same id in both
         * columns must be read the same way */
        const char *v;
        size_t v_len;
        int t_prescriber = check_key_field(&fields[layout->prescriber], layout->keep_spaces,
                                           &v, &v_len);
        trimmed = t_prescriber < 0 ? -1 : trimmed | t_prescriber;
    }
    if (trimmed < 0) {
        *reason = SALES_KEY_CONTROL;
        return SALES_REJECT;
    }
    line->key_trimmed = trimmed;
    const struct csvfield *date = &fields[layout->date];
    struct datetime dt;
    enum parse_status st = PARSE_OK;
    /* The last date read stands for the same text; while none is
     * remembered (last_date_len 0) an empty date must not match it, or it
     * would be read as day 0 (1970-01-01) on the first lines of a read or
     * of a parallel range, and rejected everywhere else. */
    if (marks->last_date_len > 0 && date->len == marks->last_date_len &&
        memcmp(date->ptr, marks->last_date, date->len) == 0) {
        dt = marks->last_dt;
    } else {
        st = parse_date(date->ptr, date->len, layout->date_format, layout->date_order, &dt);
        if (st == PARSE_OK && date->len > 0 && date->len <= sizeof marks->last_date) {
            memcpy(marks->last_date, date->ptr, date->len);
            marks->last_date_len = date->len;
            marks->last_dt = dt;
        }
    }
    if (st == PARSE_AMBIGUOUS) {
        char q[64], format[32];
        diag_set(diag, "date \"%s\" is not DD/MM/YYYY (month over 12); if the file writes "
                 "MM/DD/YYYY, give --date-format '%s'",
                 diag_quote(date->ptr, date->len, q, sizeof q),
                 parse_date_mdy_format(date->ptr, date->len, format, sizeof format));
        return SALES_FATAL;
    }
    if (st != PARSE_OK) {
        *reason = SALES_DATE;
        quote_detail(date, detail);
        return SALES_REJECT;
    }
    if ((layout->has_from && dt.days < layout->from) || (layout->has_to && dt.days > layout->to))
        return SALES_OUT_OF_PERIOD;

    t->revenue = t->margin = t->quantity = 0;
    t->lines = 1;
    line->rounded = 0;
    t->first_day = t->last_day = dt.days;
    int qdec = 0, dec;
    if (layout->quantity >= 0)
        NUMBER(quantity, quantity, &t->quantity, &qdec, "quantity", SALES_QUANTITY);
    if (layout->amount >= 0) {
        NUMBER(amount, amount, &t->revenue, &line->amount_decimals, "amount", SALES_AMOUNT);
    } else {
        int64_t price;
        NUMBER(price, price, &price, &dec, "price", SALES_PRICE);
        if (multiply(t->quantity, price, &t->revenue) != 0) {
            *reason = SALES_AMOUNT;
            snprintf(detail, 96, " (quantity x price overflows)");
            return SALES_REJECT;
        }
        line->amount_decimals = sum_decimals(qdec, dec);
    }
    line->margin_decimals = 0;
    if (layout->cost >= 0) {
        int64_t cost, total_cost;
        NUMBER(cost, cost, &cost, &dec, "cost", SALES_COST);
        if (multiply(t->quantity, cost, &total_cost) != 0 ||
            __builtin_sub_overflow(t->revenue, total_cost, &t->margin)) {
            *reason = SALES_COST;
            snprintf(detail, 96, " (quantity x cost overflows)");
            return SALES_REJECT;
        }
        line->margin_decimals = sum_decimals(qdec, dec);
        if (line->amount_decimals > line->margin_decimals)
            line->margin_decimals = line->amount_decimals;
    } else if (layout->margin >= 0) {
        NUMBER(margin, margin, &t->margin, &line->margin_decimals, "margin", SALES_MARGIN);
    }
    line->quantity_decimals = qdec;
    mark_return(layout, fields, t);

    if (layout->order >= 0) {
        line->order = fields[layout->order].ptr;
        line->order_len = fields[layout->order].len;
    } else {
        /* no order id: each day of a customer is an order */
        line->order = format_date(dt.days, line->order_buf);
        line->order_len = 10;
    }
    return SALES_OK;
}

long sales_key(const struct sales_layout *layout, const struct csvfield *fields,
               char **buf, size_t *cap)
{
    size_t need = fields[layout->customer].len + 1;
    for (size_t i = 0; i < layout->by_count; i++)
        need += fields[layout->by[i]].len + 1;
    if (need > *cap) {
        char *b = realloc(*buf, need * 2);
        if (!b)
            return -1;
        *buf = b;
        *cap = need * 2;
    }
    char *k = *buf;
    const char *v = fields[layout->customer].ptr;
    size_t len = fields[layout->customer].len;
    if (!layout->keep_spaces)
        sales_trim_id(&v, &len);
    memcpy(k, v, len);
    size_t o = len;
    for (size_t i = 0; i < layout->by_count; i++) {
        k[o++] = ROLLUP_KEY_SEP;
        v = fields[layout->by[i]].ptr;
        len = fields[layout->by[i]].len;
        if (!layout->keep_spaces)
            sales_trim_id(&v, &len);
        memcpy(k + o, v, len);
        o += len;
    }
    return (long)o;
}

int sales_prescriber(const struct sales_layout *layout, const struct csvfield *fields,
                     const char **id, size_t *len)
{
    if (layout->prescriber < 0)
        return 0;
    const struct csvfield *f = &fields[layout->prescriber];
    const char *v = f->ptr;
    size_t v_len = f->len;
    if (!layout->keep_spaces)
        sales_trim_id(&v, &v_len);
    if (v_len == 0 || is_blank(v, v_len))
        return 0;
    *id = v;
    *len = v_len;
    return 1;
}
