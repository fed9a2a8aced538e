/* cl-rollup — sales lines in, one row per customer out. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "columns.h"
#include "csvio.h"
#include "parse.h"
#include "rollup.h"

static const char usage_text[] =
"Usage: cl-rollup [OPTION]... [FILE]...\n"
"Roll sales lines (one row per invoice line) up into one row per customer:\n"
"revenue, margin, quantity, lines, orders, first and last date, recency,\n"
"tenure, average order. FILE is a CSV file, or - for standard input.\n"
"\n"
"Columns (found by name; without a flag, by a known English or French alias):\n"
"  -c, --customer=COL     customer id\n"
"      --order=COL        order or invoice id (without it: distinct days)\n"
"      --date=COL         date of the line\n"
"      --amount=COL       line amount, or:\n"
"      --quantity=COL     quantity, with\n"
"      --price=COL        unit price (amount = quantity x price)\n"
"      --cost=COL         unit cost (margin = amount - quantity x cost)\n"
"      --margin=COL       line margin\n"
"      --by=COL[,COL]     group by these columns too, after the customer\n"
"\n"
"Period:\n"
"      --from=DATE        first day included\n"
"      --to=DATE          last day included\n"
"      --month=YYYY-MM    one calendar month\n"
"      --asof=DATE        measure recency from DATE (default: the day after\n"
"                         the last sale in the data)\n"
"\n"
"Input:\n"
"  -d, --delimiter=C      , ; tab or | (default: sniffed from the header)\n"
"      --decimal-comma    numbers use a decimal comma\n"
"      --decimal-point    numbers use a decimal point\n"
"      --date-format=FMT  dates as FMT (%Y %m %d %H %M %S), e.g. %m/%d/%Y\n"
"      --rejects=FILE     write unusable lines there, with a reason column\n"
"      --strict           the first unusable line is an error\n"
"\n"
"Scale:\n"
"      --partial          write exact partial aggregates (customer and order)\n"
"      --merge            read partial aggregates and finish the roll-up\n"
"\n"
"Output:\n"
"  -o, --output=FILE      write to FILE (atomically) instead of stdout\n"
"      --excel            spreadsheet CSV: ; decimal comma, BOM, CRLF, and\n"
"                         text cells starting with = + - @ neutralised\n"
"      --stats=FILE       write counts (lines read, used, rejected by reason)\n"
"  -h, --help             show this help and exit\n"
"  -V, --version          show the version and exit\n"
"\n"
"Exit status: 0 success, 1 data or runtime error, 2 usage error.\n";

enum reject_reason {
    REJECT_FIELDS, REJECT_CUSTOMER, REJECT_DATE, REJECT_AMOUNT, REJECT_QUANTITY,
    REJECT_PRICE, REJECT_COST, REJECT_MARGIN, REJECT_COUNT
};

static const char *const reject_text[REJECT_COUNT] = {
    "wrong number of fields", "no customer id", "unusable date", "unusable amount",
    "unusable quantity", "unusable price", "unusable cost", "unusable margin",
};

struct options {
    const char *customer, *order, *date, *amount, *quantity, *price, *cost, *margin;
    const char *by;
    int has_from, has_to, has_asof;
    int32_t from, to, asof;
    char delim;
    char mark;                  /* 0 sniff, '.' or ',' */
    const char *date_format;
    const char *rejects;
    const char *output;
    const char *stats;
    int strict, partial, merge, excel;
};

/* The columns of one input file. */
struct layout {
    long customer, order, date, amount, quantity, price, cost, margin;
    long by[16];
    size_t by_count;
    char mark_amount, mark_quantity, mark_price, mark_cost, mark_margin;
    /* --merge reads partials: revenue/margin/quantity/lines/first/last */
    long revenue, lines, first, last;
};

struct run {
    struct options opt;
    struct rollup rollup;
    struct layout layout;
    const char *header_names[17];
    char *header_store[17];
    size_t by_count;
    int with_margin;
    int have_header;
    unsigned long long lines_read, lines_used, out_of_period;
    unsigned long long rejected[REJECT_COUNT];
    FILE *rejects_fp;
    struct csvout rejects_out;
    int rejects_header_done;
    char *key;                  /* key buffer */
    size_t key_cap;
};

static int32_t parse_date_option(const char *option, const char *arg)
{
    struct datetime dt;
    if (parse_date(arg, strlen(arg), NULL, DATE_DMY, &dt) != PARSE_OK)
        cli_usage("%s: \"%s\" is not a date (YYYY-MM-DD)", option, arg);
    return dt.days;
}

static void parse_month(struct options *opt, const char *arg)
{
    int y, m;
    char extra;
    if (sscanf(arg, "%4d-%2d%c", &y, &m, &extra) != 2 || y < 1 || m < 1 || m > 12)
        cli_usage("--month: \"%s\" is not a month (YYYY-MM)", arg);
    opt->from = date_from_civil(y, m, 1);
    opt->to = (m == 12 ? date_from_civil(y + 1, 1, 1) : date_from_civil(y, m + 1, 1)) - 1;
    opt->has_from = opt->has_to = 1;
}

static void parse_options(struct options *opt, int argc, char **argv)
{
    enum {
        O_ORDER = 256, O_DATE, O_AMOUNT, O_QUANTITY, O_PRICE, O_COST, O_MARGIN, O_BY,
        O_FROM, O_TO, O_MONTH, O_ASOF, O_DECIMAL_COMMA, O_DECIMAL_POINT, O_DATE_FORMAT,
        O_REJECTS, O_STRICT, O_PARTIAL, O_MERGE, O_EXCEL, O_STATS
    };
    static const struct option longopts[] = {
        { "customer", required_argument, NULL, 'c' },
        { "order", required_argument, NULL, O_ORDER },
        { "date", required_argument, NULL, O_DATE },
        { "amount", required_argument, NULL, O_AMOUNT },
        { "quantity", required_argument, NULL, O_QUANTITY },
        { "price", required_argument, NULL, O_PRICE },
        { "cost", required_argument, NULL, O_COST },
        { "margin", required_argument, NULL, O_MARGIN },
        { "by", required_argument, NULL, O_BY },
        { "from", required_argument, NULL, O_FROM },
        { "to", required_argument, NULL, O_TO },
        { "month", required_argument, NULL, O_MONTH },
        { "asof", required_argument, NULL, O_ASOF },
        { "delimiter", required_argument, NULL, 'd' },
        { "decimal-comma", no_argument, NULL, O_DECIMAL_COMMA },
        { "decimal-point", no_argument, NULL, O_DECIMAL_POINT },
        { "date-format", required_argument, NULL, O_DATE_FORMAT },
        { "rejects", required_argument, NULL, O_REJECTS },
        { "strict", no_argument, NULL, O_STRICT },
        { "partial", no_argument, NULL, O_PARTIAL },
        { "merge", no_argument, NULL, O_MERGE },
        { "output", required_argument, NULL, 'o' },
        { "excel", no_argument, NULL, O_EXCEL },
        { "stats", required_argument, NULL, O_STATS },
        { "help", no_argument, NULL, 'h' },
        { "version", no_argument, NULL, 'V' },
        { NULL, 0, NULL, 0 }
    };
    int c, month = 0;
    while ((c = getopt_long(argc, argv, "c:d:o:hV", longopts, NULL)) != -1) {
        switch (c) {
        case 'c': opt->customer = optarg; break;
        case O_ORDER: opt->order = optarg; break;
        case O_DATE: opt->date = optarg; break;
        case O_AMOUNT: opt->amount = optarg; break;
        case O_QUANTITY: opt->quantity = optarg; break;
        case O_PRICE: opt->price = optarg; break;
        case O_COST: opt->cost = optarg; break;
        case O_MARGIN: opt->margin = optarg; break;
        case O_BY: opt->by = optarg; break;
        case O_FROM: opt->from = parse_date_option("--from", optarg); opt->has_from = 1; break;
        case O_TO: opt->to = parse_date_option("--to", optarg); opt->has_to = 1; break;
        case O_MONTH: parse_month(opt, optarg); month = 1; break;
        case O_ASOF: opt->asof = parse_date_option("--asof", optarg); opt->has_asof = 1; break;
        case 'd':
            if (!(opt->delim = cli_parse_delim(optarg)))
                cli_usage("--delimiter: \"%s\" is not one of , ; tab |", optarg);
            break;
        case O_DECIMAL_COMMA: opt->mark = ','; break;
        case O_DECIMAL_POINT: opt->mark = '.'; break;
        case O_DATE_FORMAT:
            if (parse_date_format_valid(optarg) != 0)
                cli_usage("--date-format: \"%s\" needs %%Y, %%m and %%d once each "
                          "(and only %%H %%M %%S besides)", optarg);
            opt->date_format = optarg;
            break;
        case O_REJECTS: opt->rejects = optarg; break;
        case O_STRICT: opt->strict = 1; break;
        case O_PARTIAL: opt->partial = 1; break;
        case O_MERGE: opt->merge = 1; break;
        case 'o': opt->output = optarg; break;
        case O_EXCEL: opt->excel = 1; break;
        case O_STATS: opt->stats = optarg; break;
        case 'h': fputs(usage_text, stdout); exit(0);
        case 'V': cli_version();
        default: cli_usage("unknown option");
        }
    }
    if (month && (opt->has_from + opt->has_to) > 2)
        cli_usage("--month cannot be combined with --from or --to");
    if (opt->amount && (opt->quantity || opt->price) && opt->price)
        cli_usage("give --amount, or --quantity with --price, not both");
    if (opt->cost && opt->margin)
        cli_usage("give --cost or --margin, not both");
    if (opt->partial && opt->merge)
        cli_usage("--partial and --merge cannot be combined");
    if (opt->merge && (opt->amount || opt->quantity || opt->price || opt->cost ||
                       opt->order || opt->date || opt->margin || opt->rejects))
        cli_usage("--merge reads cl-rollup --partial output: column options do not apply");
    if (opt->has_from && opt->has_to && opt->from > opt->to)
        cli_usage("the period is empty: --from is after --to");
}

/* ---- columns --------------------------------------------------------- */

static long find(const csvin *in, const char *given, const char *const *aliases,
                 const char *role, int required)
{
    struct diag diag;
    size_t n = csvin_columns(in);
    const char *names[CSVIN_MAX_FIELDS];
    for (size_t i = 0; i < n; i++)
        names[i] = csvin_column_name(in, i);
    long col = columns_find(names, n, given, aliases, role, required, csvin_name(in), &diag);
    if (col == -2 || (col == -1 && (required || given)))
        cli_die_diag(&diag);
    return col;
}

static void setup_by(struct run *run, csvin *in, struct layout *lay)
{
    lay->by_count = 0;
    if (!run->opt.by)
        return;
    char *list = strdup(run->opt.by);
    if (!list)
        cli_die("out of memory");
    for (char *save = NULL, *name = strtok_r(list, ",", &save); name;
         name = strtok_r(NULL, ",", &save)) {
        if (lay->by_count == 16)
            cli_usage("--by: at most 16 columns");
        lay->by[lay->by_count++] = find(in, name, NULL, "by", 1);
    }
    free(list);
}

static void setup_header(struct run *run, csvin *in, const struct layout *lay)
{
    if (run->have_header)
        return;
    run->header_names[0] = "customer";
    for (size_t i = 0; i < lay->by_count; i++) {
        run->header_store[i] = strdup(csvin_column_name(in, (size_t)lay->by[i]));
        if (!run->header_store[i])
            cli_die("out of memory");
        run->header_names[i + 1] = run->header_store[i];
    }
    run->by_count = lay->by_count;
    run->have_header = 1;
}

static void setup_sales(struct run *run, csvin *in, struct layout *lay)
{
    const struct options *o = &run->opt;
    memset(lay, 0, sizeof *lay);
    lay->customer = find(in, o->customer, columns_customer, "customer", 1);
    lay->order = find(in, o->order, columns_order, "order", 0);
    lay->date = find(in, o->date, columns_date, "date", 1);
    lay->amount = lay->quantity = lay->price = lay->cost = lay->margin = -1;
    if (!o->quantity && !o->price)
        lay->amount = find(in, o->amount, columns_amount, "amount", 0);
    if (lay->amount < 0) {
        lay->quantity = find(in, o->quantity, columns_quantity, "quantity", 0);
        lay->price = find(in, o->price, columns_price, "price", 0);
        if (lay->quantity < 0 || lay->price < 0)
            cli_die("%s: no amount column, nor quantity and price columns "
                    "(name them with --amount, or --quantity and --price)", csvin_name(in));
    } else {
        lay->quantity = find(in, o->quantity, columns_quantity, "quantity", 0);
    }
    if (!o->margin)
        lay->cost = find(in, o->cost, columns_cost, "cost", 0);
    if (lay->cost < 0)
        lay->margin = find(in, o->margin, columns_margin, "margin", 0);
    if (lay->cost >= 0 && lay->quantity < 0)
        cli_die("%s: a cost column needs a quantity column (margin = amount - quantity x cost)",
                csvin_name(in));
    /* A ';'-separated export comes from a decimal-comma locale: that is why
     * it is not ','-separated. Presume the comma there unless told. */
    char mark = o->mark ? o->mark : csvin_delim(in) == ';' ? ',' : 0;
    lay->mark_amount = lay->mark_quantity = lay->mark_price = lay->mark_cost =
        lay->mark_margin = mark;
    setup_by(run, in, lay);
    int with_margin = lay->cost >= 0 || lay->margin >= 0;
    if (run->have_header && (with_margin != run->with_margin || lay->by_count != run->by_count))
        cli_die("%s: its columns do not match the first file's (margin or --by)", csvin_name(in));
    run->with_margin = with_margin;
    setup_header(run, in, lay);
}

static void setup_partial(struct run *run, csvin *in, struct layout *lay)
{
    memset(lay, 0, sizeof *lay);
    const char *required[] = { "order", "revenue", "quantity", "lines", "first_date", "last_date" };
    for (size_t i = 0; i < 6; i++)
        if (csvin_find(in, required[i]) < 0)
            cli_die("%s: no \"%s\" column: --merge reads what cl-rollup --partial writes",
                    csvin_name(in), required[i]);
    lay->customer = 0;
    lay->order = csvin_find(in, "order");
    lay->revenue = csvin_find(in, "revenue");
    lay->margin = csvin_find(in, "margin");
    lay->quantity = csvin_find(in, "quantity");
    lay->lines = csvin_find(in, "lines");
    lay->first = csvin_find(in, "first_date");
    lay->last = csvin_find(in, "last_date");
    lay->by_count = (size_t)lay->order - 1;
    if (lay->by_count > 16)
        cli_die("%s: too many --by columns", csvin_name(in));
    for (size_t i = 0; i < lay->by_count; i++)
        lay->by[i] = (long)i + 1;
    lay->mark_amount = lay->mark_quantity = lay->mark_margin = '.';
    int with_margin = lay->margin >= 0;
    if (run->have_header && (with_margin != run->with_margin || lay->by_count != run->by_count))
        cli_die("%s: its columns do not match the first file's", csvin_name(in));
    run->with_margin = with_margin;
    setup_header(run, in, lay);
    run->header_names[0] = csvin_column_name(in, 0);
    if (!run->header_store[16] && (run->header_store[16] = strdup(csvin_column_name(in, 0))))
        run->header_names[0] = run->header_store[16];
}

/* ---- rejects --------------------------------------------------------- */

static void reject(struct run *run, csvin *in, enum reject_reason why, const char *detail)
{
    if (run->opt.strict)
        cli_die("%s:%ld: %s%s", csvin_name(in), csvin_line(in), reject_text[why],
                detail ? detail : "");
    run->rejected[why]++;
    if (!run->rejects_fp)
        return;
    if (!run->rejects_header_done) {
        for (size_t i = 0; i < csvin_columns(in); i++)
            csvout_text(&run->rejects_out, csvin_column_name(in, i));
        csvout_text(&run->rejects_out, "line");
        csvout_text(&run->rejects_out, "reason");
        csvout_end_row(&run->rejects_out);
        run->rejects_header_done = 1;
    }
    for (size_t i = 0; i < csvin_fields(in); i++) {
        size_t len;
        const char *f = csvin_field(in, i, &len);
        csvout_text_len(&run->rejects_out, f, len);
    }
    csvout_long(&run->rejects_out, csvin_line(in));
    csvout_text(&run->rejects_out, reject_text[why]);
    csvout_end_row(&run->rejects_out);
}

/* ---- lines ----------------------------------------------------------- */

static int is_blank(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (s[i] != ' ' && s[i] != '\t')
            return 0;
    return 1;
}

/* Parse a number column; PARSE_AMBIGUOUS is fatal (the user must say). */
static int number(struct run *run, csvin *in, long col, char *mark, int64_t *value,
                  int *decimals, const char *role)
{
    size_t len;
    const char *s = csvin_field(in, (size_t)col, &len);
    enum parse_status st = parse_decimal(s, len, mark, value, decimals);
    if (st == PARSE_AMBIGUOUS) {
        char q[64];
        cli_die("%s:%ld: %s \"%s\" is ambiguous: decimal comma or thousands separator? "
                "(give --decimal-comma or --decimal-point)", csvin_name(in), csvin_line(in),
                role, diag_quote(s, len, q, sizeof q));
    }
    (void)run;
    return st == PARSE_OK ? 0 : -1;
}

static const char *detail(csvin *in, long col, char *buf, size_t size)
{
    size_t len;
    const char *s = csvin_field(in, (size_t)col, &len);
    char q[64];
    snprintf(buf, size, " \"%s\"", diag_quote(s, len, q, sizeof q));
    return buf;
}

/* amount = quantity x price, exactly when the decimals fit in six. */
static int multiply(int64_t a, int64_t b, int64_t *out)
{
    __int128 p = (__int128)a * b;
    __int128 q = p / MONEY_SCALE, r = p % MONEY_SCALE;
    if (2 * (r < 0 ? -r : r) >= MONEY_SCALE)
        q += p < 0 ? -1 : 1;
    if (q > INT64_MAX || q < INT64_MIN)
        return -1;
    *out = (int64_t)q;
    return 0;
}

static void build_key(struct run *run, csvin *in, const struct layout *lay, size_t *key_len)
{
    size_t need = 0;
    size_t len;
    csvin_field(in, (size_t)lay->customer, &len);
    need += len + 1;
    for (size_t i = 0; i < lay->by_count; i++) {
        csvin_field(in, (size_t)lay->by[i], &len);
        need += len + 1;
    }
    if (need > run->key_cap) {
        run->key_cap = need * 2;
        if (!(run->key = realloc(run->key, run->key_cap)))
            cli_die("out of memory");
    }
    size_t o = 0;
    const char *s = csvin_field(in, (size_t)lay->customer, &len);
    memcpy(run->key, s, len);
    o = len;
    for (size_t i = 0; i < lay->by_count; i++) {
        run->key[o++] = ROLLUP_KEY_SEP;
        s = csvin_field(in, (size_t)lay->by[i], &len);
        memcpy(run->key + o, s, len);
        o += len;
    }
    *key_len = o;
}

static void sales_line(struct run *run, csvin *in, struct layout *lay)
{
    const struct options *o = &run->opt;
    struct rollup_totals t = { 0, 0, 0, 1, 0, 0 };
    char buf[96];
    size_t len;
    int dec;

    if (csvin_fields(in) != csvin_columns(in)) {
        snprintf(buf, sizeof buf, " (%zu, the header has %zu)", csvin_fields(in),
                 csvin_columns(in));
        reject(run, in, REJECT_FIELDS, buf);
        return;
    }
    const char *customer = csvin_field(in, (size_t)lay->customer, &len);
    if (is_blank(customer, len)) {
        reject(run, in, REJECT_CUSTOMER, NULL);
        return;
    }
    const char *ds = csvin_field(in, (size_t)lay->date, &len);
    struct datetime dt;
    enum parse_status st = parse_date(ds, len, o->date_format, DATE_DMY, &dt);
    if (st == PARSE_AMBIGUOUS) {
        char q[64];
        cli_die("%s:%ld: date \"%s\" is not DD/MM/YYYY (month over 12); if the file writes "
                "MM/DD/YYYY, give --date-format %%m/%%d/%%Y", csvin_name(in), csvin_line(in),
                diag_quote(ds, len, q, sizeof q));
    }
    if (st != PARSE_OK) {
        reject(run, in, REJECT_DATE, detail(in, lay->date, buf, sizeof buf));
        return;
    }
    if ((o->has_from && dt.days < o->from) || (o->has_to && dt.days > o->to)) {
        run->out_of_period++;
        return;
    }
    t.first_day = t.last_day = dt.days;

    int qdec = 0;
    if (lay->quantity >= 0 &&
        number(run, in, lay->quantity, &lay->mark_quantity, &t.quantity, &qdec, "quantity")) {
        reject(run, in, REJECT_QUANTITY, detail(in, lay->quantity, buf, sizeof buf));
        return;
    }
    int amount_dec;
    if (lay->amount >= 0) {
        if (number(run, in, lay->amount, &lay->mark_amount, &t.revenue, &amount_dec, "amount")) {
            reject(run, in, REJECT_AMOUNT, detail(in, lay->amount, buf, sizeof buf));
            return;
        }
    } else {
        int64_t price;
        if (number(run, in, lay->price, &lay->mark_price, &price, &dec, "price")) {
            reject(run, in, REJECT_PRICE, detail(in, lay->price, buf, sizeof buf));
            return;
        }
        if (multiply(t.quantity, price, &t.revenue) != 0) {
            reject(run, in, REJECT_AMOUNT, " (quantity x price overflows)");
            return;
        }
        amount_dec = qdec + dec > MONEY_DECIMALS ? MONEY_DECIMALS : qdec + dec;
    }
    int margin_dec = 0;
    if (lay->cost >= 0) {
        int64_t cost, total_cost;
        if (number(run, in, lay->cost, &lay->mark_cost, &cost, &dec, "cost")) {
            reject(run, in, REJECT_COST, detail(in, lay->cost, buf, sizeof buf));
            return;
        }
        if (multiply(t.quantity, cost, &total_cost) != 0 ||
            __builtin_sub_overflow(t.revenue, total_cost, &t.margin)) {
            reject(run, in, REJECT_COST, " (quantity x cost overflows)");
            return;
        }
        margin_dec = qdec + dec > MONEY_DECIMALS ? MONEY_DECIMALS : qdec + dec;
        if (amount_dec > margin_dec)
            margin_dec = amount_dec;
    } else if (lay->margin >= 0) {
        if (number(run, in, lay->margin, &lay->mark_margin, &t.margin, &margin_dec, "margin")) {
            reject(run, in, REJECT_MARGIN, detail(in, lay->margin, buf, sizeof buf));
            return;
        }
    }

    size_t key_len, order_len = 0;
    build_key(run, in, lay, &key_len);
    const char *order;
    char day_buf[16];
    if (lay->order >= 0) {
        order = csvin_field(in, (size_t)lay->order, &order_len);
    } else {
        order = format_date(dt.days, day_buf);      /* no order id: a day is an order */
        order_len = strlen(order);
    }
    struct diag diag;
    if (rollup_add(&run->rollup, run->key, key_len, order, order_len, &t, &diag) != 0)
        cli_die("%s:%ld: %s", csvin_name(in), csvin_line(in), diag.message);
    rollup_decimals(&run->rollup.revenue_decimals, amount_dec);
    rollup_decimals(&run->rollup.margin_decimals, margin_dec);
    rollup_decimals(&run->rollup.quantity_decimals, qdec);
    run->lines_used++;
}

static int is_header_again(csvin *in)
{
    if (csvin_fields(in) != csvin_columns(in))
        return 0;
    for (size_t i = 0; i < csvin_fields(in); i++)
        if (strcmp(csvin_field(in, i, NULL), csvin_column_name(in, i)) != 0)
            return 0;
    return 1;
}

static void partial_line(struct run *run, csvin *in, struct layout *lay)
{
    struct rollup_totals t = { 0, 0, 0, 0, 0, 0 };
    int rdec = 0, mdec = 0, qdec = 0;
    size_t len;
    if (is_header_again(in))
        return;     /* partial outputs concatenated: their headers repeat */
    if (csvin_fields(in) != csvin_columns(in))
        cli_die("%s:%ld: %zu fields where the header has %zu", csvin_name(in), csvin_line(in),
                csvin_fields(in), csvin_columns(in));
    int64_t lines;
    int ldec;
    struct datetime first, last;
    const char *f1 = csvin_field(in, (size_t)lay->first, &len);
    int bad = parse_date(f1, len, "%Y-%m-%d", DATE_DMY, &first) != PARSE_OK;
    const char *f2 = csvin_field(in, (size_t)lay->last, &len);
    bad |= parse_date(f2, len, "%Y-%m-%d", DATE_DMY, &last) != PARSE_OK;
    bad |= number(run, in, lay->revenue, &lay->mark_amount, &t.revenue, &rdec, "revenue");
    bad |= number(run, in, lay->quantity, &lay->mark_quantity, &t.quantity, &qdec, "quantity");
    bad |= number(run, in, lay->lines, &lay->mark_quantity, &lines, &ldec, "lines");
    if (lay->margin >= 0)
        bad |= number(run, in, lay->margin, &lay->mark_margin, &t.margin, &mdec, "margin");
    if (bad || ldec != 0)
        cli_die("%s:%ld: not a cl-rollup --partial row", csvin_name(in), csvin_line(in));
    t.lines = lines / MONEY_SCALE;
    t.first_day = first.days;
    t.last_day = last.days;
    size_t key_len, order_len;
    build_key(run, in, lay, &key_len);
    const char *order = csvin_field(in, (size_t)lay->order, &order_len);
    struct diag diag;
    if (rollup_add(&run->rollup, run->key, key_len, order, order_len, &t, &diag) != 0)
        cli_die("%s:%ld: %s", csvin_name(in), csvin_line(in), diag.message);
    rollup_decimals(&run->rollup.revenue_decimals, rdec);
    rollup_decimals(&run->rollup.margin_decimals, mdec);
    rollup_decimals(&run->rollup.quantity_decimals, qdec);
    run->lines_used += (unsigned long long)t.lines;
}

static void read_file(struct run *run, const char *path)
{
    struct diag diag;
    csvin *in = csvin_open(path, run->opt.delim, &diag);
    if (!in)
        cli_die_diag(&diag);
    if (run->opt.merge)
        setup_partial(run, in, &run->layout);
    else
        setup_sales(run, in, &run->layout);
    int got;
    unsigned long long rows = 0;
    while ((got = csvin_next(in, &diag)) > 0) {
        rows++;
        if (run->opt.merge) {
            partial_line(run, in, &run->layout);
        } else {
            run->lines_read++;
            sales_line(run, in, &run->layout);
        }
        if ((rows & 0xffff) == 0)
            cli_progress("lines", rows);
    }
    if (got < 0)
        cli_die_diag(&diag);
    csvin_close(in);
}

static void report_rejects(struct run *run)
{
    unsigned long long total = 0;
    for (int i = 0; i < REJECT_COUNT; i++)
        total += run->rejected[i];
    if (total == 0)
        return;
    char list[512];
    size_t o = 0;
    list[0] = '\0';
    for (int i = 0; i < REJECT_COUNT; i++)
        if (run->rejected[i])
            o += (size_t)snprintf(list + o, sizeof list - o, "%s%llu %s", o ? ", " : "",
                                  run->rejected[i], reject_text[i]);
    cli_warn("%llu of %llu lines rejected: %s%s", total, run->lines_read, list,
             run->opt.rejects ? "" : " (--rejects FILE keeps them)");
}

static void write_stats(struct run *run)
{
    FILE *fp = fopen(run->opt.stats, "w");
    if (!fp)
        cli_die("cannot write %s: %s", run->opt.stats, strerror(errno));
    struct csvout out;
    csvout_init(&out, fp, 0);
    csvout_text(&out, "metric"); csvout_text(&out, "value"); csvout_end_row(&out);
#define STAT(name, v) do { csvout_text(&out, name); csvout_long(&out, (long long)(v)); \
                           csvout_end_row(&out); } while (0)
    STAT("lines_read", run->lines_read);
    STAT("lines_used", run->lines_used);
    STAT("lines_out_of_period", run->out_of_period);
    unsigned long long total = 0;
    for (int i = 0; i < REJECT_COUNT; i++)
        total += run->rejected[i];
    STAT("lines_rejected", total);
    for (int i = 0; i < REJECT_COUNT; i++) {
        char name[64];
        snprintf(name, sizeof name, "rejected_%s", reject_text[i]);
        for (char *p = name; *p; p++)
            if (*p == ' ') *p = '_';
        STAT(name, run->rejected[i]);
    }
    STAT("customers", rollup_keys(&run->rollup));
#undef STAT
    char day[16];
    csvout_text(&out, "first_date");
    if (run->rollup.min_day != INT32_MAX) csvout_text(&out, format_date(run->rollup.min_day, day));
    else csvout_empty(&out);
    csvout_end_row(&out);
    csvout_text(&out, "last_date");
    if (run->rollup.max_day != INT32_MIN) csvout_text(&out, format_date(run->rollup.max_day, day));
    else csvout_empty(&out);
    csvout_end_row(&out);
    if (fclose(fp) != 0)
        cli_die("cannot write %s: %s", run->opt.stats, strerror(errno));
}

int main(int argc, char **argv)
{
    static struct run run;
    struct diag diag;
    cli_init(argv[0]);
    parse_options(&run.opt, argc, argv);

    FILE *out_fp = cli_output(run.opt.output);
    if (run.opt.rejects) {
        if (!(run.rejects_fp = fopen(run.opt.rejects, "w")))
            cli_die("cannot write %s: %s", run.opt.rejects, strerror(errno));
        csvout_init(&run.rejects_out, run.rejects_fp, 0);
    }
    if (rollup_init(&run.rollup, run.opt.partial || run.opt.merge ? ROLLUP_ORDER
                                                                   : ROLLUP_CUSTOMER, &diag))
        cli_die_diag(&diag);

    if (optind == argc) {
        read_file(&run, "-");
    } else {
        for (int i = optind; i < argc; i++)
            read_file(&run, argv[i]);
    }
    cli_progress_done();

    struct csvout out;
    csvout_init(&out, out_fp, run.opt.excel);
    struct rollup_output how = {
        .by_count = run.by_count,
        .header = run.header_names,
        .with_margin = run.with_margin,
        .asof = run.opt.has_asof ? run.opt.asof
              : run.rollup.max_day == INT32_MIN ? 0 : run.rollup.max_day + 1,
    };
    int rc = run.opt.partial ? rollup_write_partial(&run.rollup, &out, &how, &diag)
                             : rollup_write(&run.rollup, &out, &how, &diag);
    if (rc != 0)
        cli_die_diag(&diag);
    if (run.rejects_fp && fclose(run.rejects_fp) != 0)
        cli_die("cannot write %s: %s", run.opt.rejects, strerror(errno));
    if (run.opt.stats)
        write_stats(&run);
    report_rejects(&run);
    cli_output_commit();
    rollup_free(&run.rollup);
    free(run.key);
    for (size_t i = 0; i < 17; i++)
        free(run.header_store[i]);
    return 0;
}
