/* xlsx.c — writing Excel workbooks on libxlsxwriter: typed cells from the
 * csvout calls or from a CSV table, a header a person can use at once
 * (bold, frozen, filtered, widths fitted), native charts, images, and an
 * unnamed temporary file copied to the caller's stream at the end. The
 * rules (which cell is what) are in xlsx.h. */
#define _GNU_SOURCE     /* dlsym's RTLD_NEXT: the compression level below */
#include "xlsx.h"

#include <dlfcn.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "parse.h"
#include "utf8.h"

#define SHEET_ROWS    1048576u      /* Excel's rows per sheet */
#define SHEET_COLUMNS 16384u        /* and columns */
#define CELL_TEXT_MAX 32767         /* characters in a cell */
#define EXACT_DIGITS  15            /* significant digits Excel keeps */
#define WIDTH_MAX     60.0          /* a column never wider (characters) */
#define MONEY_FORMATS 7             /* 0..6 decimals */

struct column {
    char *name;
    enum xlsx_role role;
    double width;           /* widest cell shown, in characters */
};

struct xlsx_sheet {
    xlsx_book *book;
    lxw_worksheet *ws;
    char *name;
    struct column *columns;
    size_t column_count, column_cap;
    uint32_t row;           /* where the next cell goes */
    size_t col;
    long metric_col;        /* the "metric" column of a metric,value table, or -1 */
    enum xlsx_role row_role;    /* what this row's metric says of its value */
    uint32_t objects_row;   /* where the next chart or image goes, beside the table */
};

struct xlsx_book {
    lxw_workbook *wb;
    int fd;                 /* the temporary file the workbook is assembled in */
    char *path;             /* its name when it could not be left unnamed, else NULL */
    enum l10n_lang lang;
    xlsx_sheet **sheets;
    size_t sheet_count;
    lxw_format *header, *integer, *ratio, *date, *money[MONEY_FORMATS];
    char *tmpdir, *title, *subject;     /* owned copies */
    int failed;
    struct diag error;      /* the first error */
};

/* ---- column roles ------------------------------------------------------ */

static int in_list(const char *word, size_t len, const char *const *list)
{
    for (; *list; list++)
        if (strlen(*list) == len && strncmp(*list, word, len) == 0)
            return 1;
    return 0;
}

/* Does one of the '_'-separated words of name belong to list? */
static int has_word(const char *name, const char *const *list)
{
    for (const char *p = name; *p;) {
        size_t len = strcspn(p, "_");
        if (in_list(p, len, list))
            return 1;
        p += len;
        p += *p == '_';
    }
    return 0;
}

static int ends_with(const char *name, const char *suffix)
{
    size_t n = strlen(name), m = strlen(suffix);
    return n >= m && strcmp(name + n - m, suffix) == 0;
}

enum xlsx_role xlsx_role_of(const char *name)
{
    static const char *const ids[] = {
        "customer", "client", "code_client", "customer_id", "client_id", "id", "order",
        "key", "group", "segment", "period", "rfm", "class", "previous_class", "label",
        "metric", "cohort", NULL };
    static const char *const counts[] = {
        "k", "cluster", "rank", "size", "clients", "orders", "lines", "r", "f", "m",
        "chosen", "effective", "ncr", "nca", "potential", "population", "competitors",
        "headroom", "positive", "nonpositive", "segments", NULL };
    static const char *const ratio_words[] = {
        "share", "penetration", "retention", "rate", "alive", NULL };
    static const char *const money_words[] = {
        "revenue", "margin", "amount", "montant", "ca", "total", "spend", "clv", "monetary",
        NULL };
    static const char *const date_names[] = { "date", "from", "to", "asof", NULL };
    size_t len = strlen(name);
    if (in_list(name, len, ids))
        return XLSX_ID;
    if (in_list(name, len, date_names) || ends_with(name, "_date"))
        return XLSX_DATE;
    /* scaled values and normalised criteria are plain numbers */
    if (ends_with(name, "_z") || strncmp(name, "n_", 2) == 0)
        return XLSX_PLAIN;
    if (has_word(name, ratio_words))
        return XLSX_RATIO;
    if (strcmp(name, "avg_order") == 0 || has_word(name, money_words))
        return XLSX_MONEY;
    if (in_list(name, len, counts) || ends_with(name, "_clients") || ends_with(name, "_days") ||
        strncmp(name, "migrate_", 8) == 0 || strncmp(name, "lines_", 6) == 0 ||
        strncmp(name, "rejected_", 9) == 0 || strncmp(name, "clients_for_", 12) == 0)
        return XLSX_COUNT;
    return XLSX_PLAIN;
}

/* ---- the book ---------------------------------------------------------- */

/* Keep the first error of the book; later calls do nothing. */
__attribute__((format(printf, 2, 3)))
static void fail(xlsx_book *book, const char *fmt, ...)
{
    if (book->failed)
        return;
    book->failed = 1;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(book->error.message, sizeof book->error.message, fmt, ap);
    va_end(ap);
}

static lxw_format *number_format(lxw_workbook *wb, const char *code)
{
    lxw_format *f = workbook_add_format(wb);
    if (f)
        format_set_num_format(f, code);
    return f;
}

xlsx_book *xlsx_book_new(const struct xlsx_props *props, struct diag *diag)
{
    xlsx_book *book = calloc(1, sizeof *book);
    if (!book)
        return diag_set(diag, "out of memory"), NULL;
    book->fd = -1;
    book->lang = props ? props->lang : L10N_EN;
    const char *dir = getenv("TMPDIR");
    if (!dir || !*dir)
        dir = "/tmp";
    size_t size = strlen(dir) + 32;
    char *tmp = malloc(size);
    if (!tmp) {
        free(book);
        return diag_set(diag, "out of memory"), NULL;
    }
    snprintf(tmp, size, "%s/clientele-xlsx.XXXXXX", dir);
    book->fd = mkstemp(tmp);
    if (book->fd < 0) {
        diag_set(diag, "cannot create a temporary file in %s: %s", dir, strerror(errno));
        free(tmp);
        free(book);
        return NULL;
    }
    /* Unnamed from now on where /proc/self/fd lets libxlsxwriter open it
     * again: nothing is left behind, whatever ends the process. */
    char proc[64];
    snprintf(proc, sizeof proc, "/proc/self/fd/%d", book->fd);
    const char *name = tmp;
    if (access(proc, W_OK) == 0) {
        unlink(tmp);
        free(tmp);
        name = proc;
    } else {
        book->path = tmp;
    }
    book->tmpdir = strdup(dir);
    book->title = props && props->title ? strdup(props->title) : NULL;
    book->subject = props && props->subject ? strdup(props->subject) : NULL;
    lxw_workbook_options options = { .constant_memory = LXW_TRUE, .tmpdir = book->tmpdir };
    if (book->tmpdir)
        book->wb = workbook_new_opt(name, &options);
    if (!book->wb) {
        xlsx_book_free(book);
        return diag_set(diag, "cannot start a workbook (out of memory)"), NULL;
    }
    if (book->title || book->subject) {
        lxw_doc_properties doc = { .title = book->title, .subject = book->subject };
        workbook_set_properties(book->wb, &doc);
    }
    static const char *const money_codes[MONEY_FORMATS] = {
        "#,##0", "#,##0.0", "#,##0.00", "#,##0.000", "#,##0.0000", "#,##0.00000",
        "#,##0.000000" };
    book->header = workbook_add_format(book->wb);
    if (book->header)
        format_set_bold(book->header);
    book->integer = number_format(book->wb, "#,##0");
    /* the codes are Excel's neutral ones: a French Excel shows "# ##0,00"
     * from "#,##0.00" by itself; French typography puts a space before % */
    book->ratio = number_format(book->wb, book->lang == L10N_FR ? "0.00 %" : "0.00%");
    book->date = number_format(book->wb, book->lang == L10N_FR ? "dd/mm/yyyy" : "yyyy-mm-dd");
    int formats = book->header && book->integer && book->ratio && book->date;
    for (int d = 0; d < MONEY_FORMATS; d++)
        formats = formats && (book->money[d] = number_format(book->wb, money_codes[d]));
    if (!formats) {
        xlsx_book_free(book);
        return diag_set(diag, "out of memory"), NULL;
    }
    return book;
}

static void sheet_free(xlsx_sheet *s)
{
    for (size_t c = 0; c < s->column_count; c++)
        free(s->columns[c].name);
    free(s->columns);
    free(s->name);
    free(s);
}

void xlsx_book_free(xlsx_book *book)
{
    if (!book)
        return;
    if (book->wb)
        lxw_workbook_free(book->wb);   /* dropped unwritten */
    for (size_t i = 0; i < book->sheet_count; i++)
        sheet_free(book->sheets[i]);
    free(book->sheets);
    if (book->fd >= 0)
        close(book->fd);
    if (book->path) {
        unlink(book->path);
        free(book->path);
    }
    free(book->tmpdir);
    free(book->title);
    free(book->subject);
    free(book);
}

int xlsx_path(const char *path)
{
    size_t n = path ? strlen(path) : 0;
    return n > 5 && strcasecmp(path + n - 5, ".xlsx") == 0;
}

/* ---- sheets ------------------------------------------------------------ */

const char *xlsx_sheet_name(const xlsx_sheet *sheet)
{
    return sheet->name;
}

xlsx_sheet *xlsx_sheet_find(xlsx_book *book, const char *name)
{
    for (size_t i = 0; i < book->sheet_count; i++)
        if (strcmp(book->sheets[i]->name, name) == 0)
            return book->sheets[i];
    return NULL;
}

static int name_taken(const xlsx_book *book, const char *name)
{
    for (size_t i = 0; i < book->sheet_count; i++)
        if (strcasecmp(book->sheets[i]->name, name) == 0)
            return 1;
    return 0;
}

/* Copy at most `chars` UTF-8 characters of src into out (size bytes). */
static void copy_chars(char *out, size_t size, const char *src, size_t chars)
{
    size_t n = 0, used = 0;
    while (src[used] && n < chars) {
        size_t len = 1;
        while (utf8_continuation((unsigned char)src[used + len]))
            len++;
        if (used + len + 1 > size)
            break;
        used += len;
        n++;
    }
    memcpy(out, src, used);
    out[used] = '\0';
}

/* Excel's rules for a sheet name, applied rather than refused. */
static void sheet_name(const xlsx_book *book, const char *wanted, char *out, size_t size)
{
    char clean[256];
    copy_chars(clean, sizeof clean, *wanted ? wanted : "Sheet", 31);
    for (char *p = clean; *p; p++)
        if (strchr("[]:*?/\\", *p))
            *p = '_';
    if (clean[0] == '\'')
        clean[0] = '_';
    size_t n = strlen(clean);
    if (n > 0 && clean[n - 1] == '\'')
        clean[n - 1] = '_';
    snprintf(out, size, "%s", clean);
    for (int i = 2; name_taken(book, out); i++) {
        char suffix[16];
        int len = snprintf(suffix, sizeof suffix, " (%d)", i);
        copy_chars(out, size - sizeof suffix, clean, 31 - (size_t)len);
        strcat(out, suffix);
    }
}

xlsx_sheet *xlsx_sheet_add(xlsx_book *book, const char *name, struct diag *diag)
{
    char final[256];
    sheet_name(book, name, final, sizeof final);
    xlsx_sheet **grown = realloc(book->sheets, (book->sheet_count + 1) * sizeof *grown);
    xlsx_sheet *s = calloc(1, sizeof *s);
    if (grown)
        book->sheets = grown;
    if (!grown || !s || !(s->name = strdup(final))) {
        free(s);
        return diag_set(diag, "out of memory"), NULL;
    }
    s->book = book;
    s->metric_col = -1;
    s->objects_row = 1;
    s->ws = workbook_add_worksheet(book->wb, s->name);
    if (!s->ws) {
        diag_set(diag, "cannot add the sheet \"%s\"", s->name);
        sheet_free(s);
        return NULL;
    }
    worksheet_freeze_panes(s->ws, 1, 0);
    /* printed (or made a PDF): landscape, one page wide, the header on each page */
    worksheet_set_landscape(s->ws);
    worksheet_fit_to_pages(s->ws, 1, 0);
    worksheet_repeat_rows(s->ws, 0, 0);
    book->sheets[book->sheet_count++] = s;
    return s;
}

/* ---- cells ------------------------------------------------------------- */

/* A plain decimal: -?digits[.digits][e[+-]digits], no leading zero before
 * other digits (a code 007 is text). @return 1 with the decimals written
 * (-1 with an exponent) and the significant digits, or 0. */
static int plain_number(const char *s, size_t len, int *decimals, int *significant)
{
    size_t i = 0;
    int digits = 0, leading = 1;
    *decimals = 0;
    if (i < len && s[i] == '-')
        i++;
    size_t start = i;
    while (i < len && s[i] >= '0' && s[i] <= '9') {
        if (s[i] != '0' || !leading)
            digits++, leading = 0;
        i++;
    }
    if (i == start || (s[start] == '0' && i - start > 1))
        return 0;
    if (i < len && s[i] == '.') {
        size_t frac = ++i;
        while (i < len && s[i] >= '0' && s[i] <= '9') {
            if (s[i] != '0' || !leading)
                digits++, leading = 0;
            i++;
        }
        if (i == frac)
            return 0;
        *decimals = (int)(i - frac);
    }
    if (i < len && (s[i] == 'e' || s[i] == 'E')) {
        i++;
        if (i < len && (s[i] == '+' || s[i] == '-'))
            i++;
        size_t exp = i;
        while (i < len && s[i] >= '0' && s[i] <= '9')
            i++;
        if (i == exp)
            return 0;
        *decimals = -1;
    }
    *significant = digits;
    return i == len;
}

/* YYYY-MM-DD, a day that exists, from 1900-03-01 (Excel's calendar is
 * wrong before). */
static int iso_date(const char *s, size_t len, lxw_datetime *dt)
{
    if (len != 10 || s[4] != '-' || s[7] != '-')
        return 0;
    for (size_t i = 0; i < 10; i++)
        if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
            return 0;
    int year = atoi(s), month = atoi(s + 5), day = atoi(s + 8), y, m, d;
    if (month < 1 || month > 12 || day < 1 || day > 31 || year < 1900 ||
        (year == 1900 && month < 3))
        return 0;
    date_to_civil(date_from_civil(year, month, day), &y, &m, &d);
    if (y != year || m != month || d != day)
        return 0;
    *dt = (lxw_datetime){ .year = year, .month = month, .day = day };
    return 1;
}


/* Characters a number takes with thousands separators and `decimals`. */
static double shown_width(double value, int decimals)
{
    double magnitude = value < 0 ? -value : value;
    int digits = 1;
    for (double p = 10; p <= magnitude && digits < 20; p *= 10)
        digits++;
    return (value < 0) + digits + (digits - 1) / 3 + (decimals > 0 ? 1 + decimals : 0);
}

static void widen(xlsx_sheet *s, double width)
{
    struct column *c = &s->columns[s->col];
    if (width > c->width)
        c->width = width;
}

static void check(xlsx_sheet *s, lxw_error rc)
{
    if (rc != LXW_NO_ERROR)
        fail(s->book, "sheet \"%s\", row %u: %s", s->name, s->row + 1, lxw_strerror(rc));
}

static void write_text(xlsx_sheet *s, const char *text, size_t len, lxw_format *format)
{
    if (utf8_chars(text, len) > CELL_TEXT_MAX) {
        fail(s->book, "sheet \"%s\", row %u, column %zu: a text over Excel's 32,767 "
             "characters", s->name, s->row + 1, s->col + 1);
        return;
    }
    char small[256], *copy = len < sizeof small ? small : malloc(len + 1);
    if (!copy) {
        fail(s->book, "out of memory");
        return;
    }
    memcpy(copy, text, len);
    copy[len] = '\0';
    /* worksheet_write_string never makes a formula of "=...": a string cell */
    check(s, worksheet_write_string(s->ws, s->row, (lxw_col_t)s->col, copy, format));
    if (copy != small)
        free(copy);
    double width = (double)utf8_chars(text, len);
    widen(s, width > WIDTH_MAX ? WIDTH_MAX : width);
}

/* A number cell; decimals: from the call (money, fixed) or the text. */
static void write_number(xlsx_sheet *s, const char *text, size_t len, enum csvout_kind kind,
                         int decimals, enum xlsx_role role)
{
    int text_decimals, significant;
    if (!plain_number(text, len, &text_decimals, &significant) || len >= 64) {
        write_text(s, text, len, NULL);
        return;
    }
    /* money and counts must stay exact: past 15 digits, Excel would round */
    if ((kind == CSVOUT_MONEY || kind == CSVOUT_INTEGER) && significant > EXACT_DIGITS) {
        write_text(s, text, len, NULL);
        return;
    }
    double value;
    if (!parse_double_fast(text, len, '.', &value)) {   /* the same value, without strtod */
        char buf[64];
        memcpy(buf, text, len);
        buf[len] = '\0';
        value = strtod(buf, NULL);
    }
    xlsx_book *b = s->book;
    lxw_format *format = NULL;
    double width;
    if (decimals < 0 && kind != CSVOUT_REAL)
        decimals = text_decimals;       /* a real's shortest digits are no format */
    if (role == XLSX_RATIO) {
        format = b->ratio;
        width = shown_width(value * 100, 2) + 1 + (b->lang == L10N_FR);
    } else if (kind == CSVOUT_MONEY || (role == XLSX_MONEY && decimals >= 0) ||
               (kind == CSVOUT_REAL && decimals >= 0)) {
        int d = decimals < MONEY_FORMATS ? decimals : MONEY_FORMATS - 1;
        format = b->money[d];
        width = shown_width(value, d);
    } else if (kind == CSVOUT_INTEGER || text_decimals == 0) {
        format = b->integer;
        width = shown_width(value, 0);
    } else {
        width = len < 14 ? (double)len : 14;    /* General: up to 11 digits, then rounded */
    }
    check(s, worksheet_write_number(s->ws, s->row, (lxw_col_t)s->col, value, format));
    widen(s, width);
}

/* A share a spreadsheet saved as percent ("50%", "12,5 %") in a ratio
 * column: the fraction it shows (parse.h), as a percentage cell.
 * @return 1 written, 0 not such a value (written as text by the caller). */
static int write_percent(xlsx_sheet *s, const char *text, size_t len)
{
    size_t number_len = len;
    double value;
    char mark = 0;
    if (!parse_percent_sign(text, &number_len) ||
        parse_share(text, len, PARSE_IN_FRACTION, &mark, &value, NULL) != PARSE_OK ||
        !(value > -1e15 && value < 1e15))
        return 0;
    check(s, worksheet_write_number(s->ws, s->row, (lxw_col_t)s->col, value, s->book->ratio));
    widen(s, shown_width(value * 100, 2) + 1 + (s->book->lang == L10N_FR));
    return 1;
}

static int add_column(xlsx_sheet *s, const char *name, size_t len)
{
    if (s->column_count == s->column_cap) {
        size_t cap = s->column_cap ? s->column_cap * 2 : 16;
        struct column *grown = realloc(s->columns, cap * sizeof *grown);
        if (!grown)
            return -1;
        s->columns = grown;
        s->column_cap = cap;
    }
    struct column *c = &s->columns[s->column_count];
    if (!(c->name = malloc(len + 1)))
        return -1;
    memcpy(c->name, name, len);
    c->name[len] = '\0';
    c->role = xlsx_role_of(c->name);
    /* the header is bold, with the filter's button beside it */
    c->width = (double)utf8_chars(name, len) * 1.1 + 3;
    if (strcmp(c->name, "metric") == 0)
        s->metric_col = (long)s->column_count;
    s->column_count++;
    return 0;
}

static enum xlsx_role cell_role(const xlsx_sheet *s)
{
    const struct column *c = &s->columns[s->col];
    if (s->metric_col >= 0 && (long)s->col > s->metric_col &&
        (strcmp(c->name, "value") == 0 || strcmp(c->name, "change") == 0 ||
         strcmp(c->name, "previous") == 0))
        return s->row_role;
    return c->role;
}

void xlsx_sheet_put(xlsx_sheet *s, const struct csvout_value *v)
{
    if (s->book->failed)
        return;
    if (v->kind == CSVOUT_END_ROW) {
        s->row++;
        s->col = 0;
        s->row_role = XLSX_PLAIN;
        return;
    }
    if (s->row >= SHEET_ROWS) {
        fail(s->book, "sheet \"%s\": more than 1,048,576 rows, Excel's limit; write CSV "
             "instead", s->name);
        return;
    }
    if (s->col >= SHEET_COLUMNS) {
        fail(s->book, "sheet \"%s\": more than 16,384 columns, Excel's limit", s->name);
        return;
    }
    if (s->row == 0) {
        if (add_column(s, v->text, v->len) != 0) {
            fail(s->book, "out of memory");
            return;
        }
        write_text(s, v->text, v->len, s->book->header);
        s->col++;
        return;
    }
    if (s->col >= s->column_count && add_column(s, "", 0) != 0) {
        fail(s->book, "out of memory");
        return;
    }
    enum xlsx_role role = cell_role(s);
    int decimals, significant;
    lxw_datetime date;
    switch (v->kind) {
    case CSVOUT_EMPTY:
        break;
    case CSVOUT_TEXT:
    case CSVOUT_CELL:
        if (v->len == 0)
            break;
        if (v->kind == CSVOUT_CELL && role != XLSX_ID &&
            plain_number(v->text, v->len, &decimals, &significant))
            write_number(s, v->text, v->len, v->kind, -1, role);
        else if (v->kind == CSVOUT_CELL && role == XLSX_RATIO &&
                 write_percent(s, v->text, v->len))
            ;       /* written */
        else if (role == XLSX_DATE && iso_date(v->text, v->len, &date)) {
            check(s, worksheet_write_datetime(s->ws, s->row, (lxw_col_t)s->col, &date,
                                              s->book->date));
            widen(s, 10);
        } else
            write_text(s, v->text, v->len, NULL);
        if ((long)s->col == s->metric_col) {
            char name[128];
            size_t n = v->len < sizeof name ? v->len : sizeof name - 1;
            memcpy(name, v->text, n);
            name[n] = '\0';
            s->row_role = xlsx_role_of(name);
        }
        break;
    default:        /* the numbers */
        if (v->len > 0)
            write_number(s, v->text, v->len, v->kind, v->decimals, role);
        break;
    }
    s->col++;
}

static void sink(void *sheet, const struct csvout_value *value)
{
    xlsx_sheet_put(sheet, value);
}

int xlsx_csvout(xlsx_book *book, const char *sheet_name, struct csvout *out, struct diag *diag)
{
    xlsx_sheet *s = xlsx_sheet_add(book, sheet_name, diag);
    if (!s)
        return -1;
    csvout_set_sink(out, sink, s);
    return 0;
}

static void put(xlsx_sheet *s, enum csvout_kind kind, const char *text)
{
    struct csvout_value v = { kind, text, strlen(text), -1 };
    xlsx_sheet_put(s, &v);
}

xlsx_sheet *xlsx_sheet_table(xlsx_book *book, const char *name, const struct table *t,
                             struct diag *diag)
{
    xlsx_sheet *s = xlsx_sheet_add(book, name, diag);
    if (!s)
        return NULL;
    for (size_t c = 0; c < t->columns; c++)
        put(s, CSVOUT_TEXT, t->header[c]);
    put(s, CSVOUT_END_ROW, "");
    for (size_t r = 0; r < t->rows && !book->failed; r++) {
        for (size_t c = 0; c < t->columns; c++) {
            enum xlsx_role role = s->columns[c].role;
            int id = role == XLSX_ID || (c == 0 && role == XLSX_PLAIN);
            put(s, id ? CSVOUT_TEXT : CSVOUT_CELL, table_cell(t, r, c));
        }
        put(s, CSVOUT_END_ROW, "");
    }
    if (book->failed) {
        diag_set(diag, "%s: %s", t->name, book->error.message);
        return NULL;
    }
    return s;
}

/* ---- charts and images ------------------------------------------------- */

static long sheet_column(const xlsx_sheet *s, const char *name)
{
    for (size_t c = 0; c < s->column_count; c++)
        if (strcmp(s->columns[c].name, name) == 0)
            return (long)c;
    return -1;
}

static int insert_chart(xlsx_sheet *s, lxw_chart *chart, struct diag *diag)
{
    lxw_chart_options place = { .x_offset = 0, .y_offset = 0, .x_scale = 1.5, .y_scale = 1.25 };
    lxw_error rc = worksheet_insert_chart_opt(s->ws, s->objects_row,
                                              (lxw_col_t)(s->column_count + 1), chart, &place);
    if (rc != LXW_NO_ERROR)
        return diag_set(diag, "sheet \"%s\": %s", s->name, lxw_strerror(rc));
    s->objects_row += 20;
    return 0;
}

int xlsx_chart_pareto(xlsx_sheet *s, size_t top, struct diag *diag)
{
    long cum = sheet_column(s, "cum_share");
    if (cum < 0)
        return diag_set(diag, "sheet \"%s\": no cum_share column for a Pareto chart", s->name);
    if (s->row < 2)
        return diag_set(diag, "sheet \"%s\": no row for a Pareto chart", s->name);
    uint32_t last = s->row - 1;
    if (top > 0 && last > top)
        last = (uint32_t)top;
    int fr = s->book->lang == L10N_FR;
    lxw_chart *chart = workbook_add_chart(s->book->wb, LXW_CHART_LINE);
    if (!chart)
        return diag_set(diag, "out of memory");
    lxw_chart_series *series = chart_add_series(chart, NULL, NULL);
    if (!series)
        return diag_set(diag, "out of memory");
    chart_series_set_categories(series, s->name, 1, 0, last, 0);
    chart_series_set_values(series, s->name, 1, (lxw_col_t)cum, last, (lxw_col_t)cum);
    chart_series_set_name_range(series, s->name, 0, (lxw_col_t)cum);
    chart_series_set_marker_type(series, LXW_CHART_MARKER_CIRCLE);
    char title[128];
    snprintf(title, sizeof title, fr ? "Pareto : part cumulée de la valeur, %u premiers clients"
                                     : "Pareto: cumulative share of value, top %u clients", last);
    chart_title_set_name(chart, title);
    chart_axis_set_name(chart->x_axis, "client");
    chart_axis_set_name(chart->y_axis, fr ? "part cumulée" : "cumulative share");
    chart_axis_set_num_format(chart->y_axis, "0%");
    chart_axis_set_min(chart->y_axis, 0);
    chart_axis_set_max(chart->y_axis, 1);
    chart_legend_set_position(chart, LXW_CHART_LEGEND_NONE);
    return insert_chart(s, chart, diag);
}

int xlsx_sheet_abc(xlsx_book *book, const char *name, const struct table *summary,
                   struct diag *diag)
{
    long metric = table_find(summary, "metric"), value = table_find(summary, "value");
    if (metric != 0 || value < 0)   /* a column before metric: --group's */
        return diag_set(diag, "%s: not a cl-pareto --summary table without --group "
                        "(metric,value)", summary->name);
    xlsx_sheet *s = NULL;
    size_t classes = 0;
    for (char letter = 'A'; letter <= 'Z'; letter++) {
        static const char *const parts[] = { "clients", "clients_share", "value_share" };
        const char *cells[3] = { NULL, NULL, NULL };
        for (size_t r = 0; r < summary->rows; r++)
            for (size_t p = 0; p < 3; p++) {
                char want[64];
                snprintf(want, sizeof want, "class_%c_%s", letter, parts[p]);
                if (strcmp(table_cell(summary, r, (size_t)metric), want) == 0)
                    cells[p] = table_cell(summary, r, (size_t)value);
            }
        if (!cells[0])
            continue;
        if (!s) {
            if (!(s = xlsx_sheet_add(book, name, diag)))
                return -1;
            put(s, CSVOUT_TEXT, "class");
            for (size_t p = 0; p < 3; p++)
                put(s, CSVOUT_TEXT, parts[p]);
            put(s, CSVOUT_END_ROW, "");
        }
        char text[2] = { letter, '\0' };
        put(s, CSVOUT_TEXT, text);
        for (size_t p = 0; p < 3; p++)
            put(s, CSVOUT_CELL, cells[p] ? cells[p] : "");
        put(s, CSVOUT_END_ROW, "");
        classes++;
    }
    if (!s)
        return diag_set(diag, "%s: no class_X_clients metric for an ABC sheet", summary->name);
    if (book->failed)
        return diag_set(diag, "%s", book->error.message);
    int fr = book->lang == L10N_FR;
    lxw_chart *chart = workbook_add_chart(book->wb, LXW_CHART_COLUMN);
    if (!chart)
        return diag_set(diag, "out of memory");
    for (lxw_col_t col = 2; col <= 3; col++) {
        lxw_chart_series *series = chart_add_series(chart, NULL, NULL);
        if (!series)
            return diag_set(diag, "out of memory");
        chart_series_set_categories(series, s->name, 1, 0, (lxw_row_t)classes, 0);
        chart_series_set_values(series, s->name, 1, col, (lxw_row_t)classes, col);
        chart_series_set_name(series, col == 2 ? (fr ? "part des clients" : "share of clients")
                                               : (fr ? "part de la valeur" : "share of value"));
        chart_series_set_labels(series);
        chart_series_set_labels_num_format(series, "0%");
    }
    chart_title_set_name(chart, fr ? "Classes ABC : clients et valeur"
                                   : "ABC classes: clients and value");
    chart_axis_set_name(chart->x_axis, fr ? "classe" : "class");
    chart_axis_set_num_format(chart->y_axis, "0%");
    chart_axis_set_min(chart->y_axis, 0);
    chart_legend_set_position(chart, LXW_CHART_LEGEND_BOTTOM);
    return insert_chart(s, chart, diag);
}

int xlsx_image(xlsx_sheet *s, const char *png, struct diag *diag)
{
    /* checked here: libxlsxwriter would print its own warning on stderr */
    FILE *fp = fopen(png, "rb");
    if (!fp)
        return diag_set(diag, "%s: %s", png, strerror(errno));
    unsigned char magic[8];
    size_t got = fread(magic, 1, sizeof magic, fp);
    fclose(fp);
    if (got != 8 || memcmp(magic, "\x89PNG\r\n\x1a\n", 8) != 0)
        return diag_set(diag, "%s: not a PNG image", png);
    lxw_image_options place = { .x_scale = 0.5, .y_scale = 0.5 };
    lxw_error rc = worksheet_insert_image_opt(s->ws, s->objects_row,
                                              (lxw_col_t)(s->column_count + 1), png, &place);
    if (rc != LXW_NO_ERROR)
        return diag_set(diag, "%s: %s", png, lxw_strerror(rc));
    s->objects_row += 20;
    return 0;
}

/* ---- numbers written as libxlsxwriter writes them, without printf -------- */

/* libxlsxwriter writes every number cell with fprintf("%.16G"), and glibc's
 * exact conversion of a double (multiple-precision arithmetic) was 30% of
 * cl-workbook's CPU on a report of 87 k clients. xlsx_g16 gives the same
 * text for every finite number that %.16G writes without an exponent
 * (1e-5 <= |v| < 1e16, and 0), exactly: the double is an integer m times
 * 2^e, so v * 10^s is m * 5^s * 2^(e+s), an integer product in 128 bits
 * shifted, rounded half to even as glibc does in the default rounding mode.
 * tests/unit/test_xlsx.c compares it with snprintf on millions of values. */
#define G16_DIGITS 16

static const uint64_t pow10_u64[] = {
    1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000, 1000000000,
    10000000000ull, 100000000000ull, 1000000000000ull, 10000000000000ull,
    100000000000000ull, 1000000000000000ull, 10000000000000000ull,
};

/* m * 2^e * 10^s as an integer: *down rounded toward zero, the result to
 * the nearest, half to even (glibc's printf in the default rounding mode) */
static uint64_t g16_scaled(uint64_t m, int e, int s, uint64_t *down)
{
    static const uint64_t pow5[] = {
        1, 5, 25, 125, 625, 3125, 15625, 78125, 390625, 1953125, 9765625, 48828125,
        244140625, 1220703125, 6103515625, 30517578125, 152587890625, 762939453125,
        3814697265625, 19073486328125, 95367431640625,
    };
    unsigned __int128 p = (unsigned __int128)m * pow5[s];  /* 5^20 < 2^47: p < 2^100 */
    int shift = e + s;
    if (shift >= 0) {
        *down = (uint64_t)(p << shift); /* the caller's range keeps it under 2^55 */
        return *down;
    }
    int k = -shift;                     /* 1..80 for |v| >= 1e-5 */
    unsigned __int128 q = p >> k, r = p - (q << k), half = (unsigned __int128)1 << (k - 1);
    *down = (uint64_t)q;
    if (r > half || (r == half && (q & 1)))
        q++;
    return (uint64_t)q;
}

size_t xlsx_g16(double v, char out[XLSX_G16_MAX])
{
    if (!isfinite(v))
        return 0;
    char *p = out;
    if (signbit(v)) {
        *p++ = '-';                     /* "-0" for -0.0, as printf */
        v = -v;
    }
    if (v == 0) {
        *p++ = '0';
        return (size_t)(p - out);
    }
    if (!(v >= 1e-5 && v < 1e16))
        return 0;                       /* an exponent, or near one: printf's */
    int e2;
    double f = frexp(v, &e2);           /* v = f * 2^e2, 0.5 <= f < 1 */
    uint64_t m = (uint64_t)ldexp(f, 53);
    int e = e2 - 53;                    /* v = m * 2^e exactly */
    /* x: 10^x <= v < 10^(x+1), exactly (log10's guess corrected: v's 16
     * leading digits, cut, are 10^15 to 10^16 - 1 exactly then) */
    int x = (int)floor(log10(v));
    x = x < -5 ? -5 : x > G16_DIGITS - 1 ? G16_DIGITS - 1 : x;    /* v's range */
    uint64_t q = 0, down = 0;
    for (int tries = 0; tries < 3; tries++) {
        if (x < -5 || x > G16_DIGITS - 1)
            return 0;
        q = g16_scaled(m, e, G16_DIGITS - 1 - x, &down);
        if (down >= pow10_u64[G16_DIGITS])
            x++;
        else if (down < pow10_u64[G16_DIGITS - 1])
            x--;
        else
            break;
    }
    if (down < pow10_u64[G16_DIGITS - 1] || down >= pow10_u64[G16_DIGITS])
        return 0;
    if (q == pow10_u64[G16_DIGITS]) {   /* rounded up to the next power of ten */
        x++;
        q = pow10_u64[G16_DIGITS - 1];
    }
    if (x < -4 || x >= G16_DIGITS)
        return 0;                       /* printf's %E form */
    char digits[G16_DIGITS];
    for (int i = G16_DIGITS - 1; i >= 0; i--) {
        digits[i] = (char)('0' + q % 10);
        q /= 10;
    }
    int last = G16_DIGITS - 1;          /* the last digit kept: no trailing zero */
    int whole = x + 1;                  /* digits before the point (x >= 0) */
    while (last >= (whole > 0 ? whole : 0) && digits[last] == '0')
        last--;
    if (x >= 0) {
        memcpy(p, digits, (size_t)whole);
        p += whole;
        if (last >= whole) {
            *p++ = '.';
            memcpy(p, digits + whole, (size_t)(last + 1 - whole));
            p += last + 1 - whole;
        }
    } else {
        *p++ = '0';
        *p++ = '.';
        for (int i = 0; i < -x - 1; i++)
            *p++ = '0';
        memcpy(p, digits, (size_t)(last + 1));
        p += last + 1;
    }
    return (size_t)(p - out);
}

/* libxlsxwriter's function that writes a number cell of a row (worksheet.c;
 * exported, called through the PLT): this program's definition comes first,
 * as for minizip's below. It writes the bytes the library's fprintf writes,
 * with xlsx_g16, and hands every other number (and everything, should the
 * library at run time not be the version this file was built with, whose
 * worksheet and cell it reads) to the library's own. */
void _write_number_cell(lxw_worksheet *self, char *range, int32_t style_index, lxw_cell *cell);

void _write_number_cell(lxw_worksheet *self, char *range, int32_t style_index, lxw_cell *cell)
{
    typedef void write_fn(lxw_worksheet *, char *, int32_t, lxw_cell *);
    static write_fn *library;
    static int same_version = -1;
    if (same_version < 0) {
        same_version = strcmp(lxw_version(), LXW_VERSION) == 0;
        void *found = dlsym(RTLD_NEXT, "_write_number_cell");
        memcpy(&library, &found, sizeof library);
    }
    char text[XLSX_G16_MAX + 64];
    size_t n = 0, len;
    if (same_version && (len = strlen(range)) < 16 &&
        (n = xlsx_g16(cell->u.number, text + 48)) > 0) {
        char *p = text;
        memcpy(p, "<c r=\"", 6);
        memcpy(p + 6, range, len);
        p += 6 + len;
        if (style_index) {
            char num[12];
            int k = 0;
            uint32_t u = (uint32_t)style_index;     /* an index: never negative */
            do
                num[k++] = (char)('0' + u % 10);
            while ((u /= 10) && k < 11);
            memcpy(p, "\" s=\"", 5);
            p += 5;
            while (k > 0)
                *p++ = num[--k];
        }
        memcpy(p, "\"><v>", 5);
        p += 5;
        memmove(p, text + 48, n);
        p += n;
        memcpy(p, "</v></c>", 8);
        p += 8;
        fwrite(text, 1, (size_t)(p - text), self->file);
        return;
    }
    if (library)
        library(self, range, style_index, cell);
    else if (style_index)       /* not reached with a shared libxlsxwriter */
        fprintf(self->file, "<c r=\"%s\" s=\"%d\"><v>%.16G</v></c>", range, style_index,
                cell->u.number);
    else
        fprintf(self->file, "<c r=\"%s\"><v>%.16G</v></c>", range, cell->u.number);
}

/* ---- the compression level ---------------------------------------------- */

/* libxlsxwriter deflates every part of the workbook at zlib's default level
 * (6) and has no option for another: on a report of 87 k clients (250 MB of
 * sheet XML) that was half of cl-workbook's CPU time. Level 1 takes a
 * quarter of that time for a file about a third larger, whose parts are
 * byte for byte the same (docs/performance.md, "cl-workbook"). So this
 * file defines minizip's function that libxlsxwriter calls to open each
 * part of the zip: the program's definition comes first in the dynamic
 * linker's order, and it calls minizip's own (the next one) with level 1.
 * Had libxlsxwriter been built with its own minizip inside, this would not
 * be called and the default level would stay; tests/cli/xlsx.sh checks the
 * level the parts were written with. The prototype is minizip 1.1's
 * (zip.h, not installed with libminizip1): zipFile and zip_fileinfo * are
 * pointers, uInt unsigned int, uLong unsigned long. */
#define XLSX_DEFLATE_LEVEL 1       /* zlib's Z_BEST_SPEED */
#define MINIZIP_INTERNAL_ERROR (-104)

typedef int minizip_open_fn(void *file, const char *filename, const void *zipfi,
                            const void *extrafield_local, unsigned int size_extrafield_local,
                            const void *extrafield_global, unsigned int size_extrafield_global,
                            const char *comment, int method, int level, int raw, int window_bits,
                            int mem_level, int strategy, const char *password,
                            unsigned long crc_for_crypting, unsigned long version_made_by,
                            unsigned long flag_base, int zip64);
minizip_open_fn zipOpenNewFileInZip4_64;

int zipOpenNewFileInZip4_64(void *file, const char *filename, const void *zipfi,
                            const void *extrafield_local, unsigned int size_extrafield_local,
                            const void *extrafield_global, unsigned int size_extrafield_global,
                            const char *comment, int method, int level, int raw, int window_bits,
                            int mem_level, int strategy, const char *password,
                            unsigned long crc_for_crypting, unsigned long version_made_by,
                            unsigned long flag_base, int zip64)
{
    static minizip_open_fn *minizip_open;
    if (!minizip_open) {
        void *found = dlsym(RTLD_NEXT, "zipOpenNewFileInZip4_64");
        if (!found)
            return MINIZIP_INTERNAL_ERROR;
        memcpy(&minizip_open, &found, sizeof minizip_open);  /* ISO C: no object to function cast */
    }
    if (level != 0)         /* 0 stores: kept */
        level = XLSX_DEFLATE_LEVEL;
    return minizip_open(file, filename, zipfi, extrafield_local, size_extrafield_local,
                        extrafield_global, size_extrafield_global, comment, method, level, raw,
                        window_bits, mem_level, strategy, password, crc_for_crypting,
                        version_made_by, flag_base, zip64);
}

/* ---- the end ----------------------------------------------------------- */

static void sheet_finish(xlsx_sheet *s)
{
    for (size_t c = 0; c < s->column_count; c++) {
        double width = s->columns[c].width + 1;
        worksheet_set_column(s->ws, (lxw_col_t)c, (lxw_col_t)c,
                             width > WIDTH_MAX ? WIDTH_MAX : width, NULL);
    }
    if (s->column_count > 0) {
        uint32_t last = s->row > 0 ? s->row - (s->col == 0) : 0;
        worksheet_autofilter(s->ws, 0, 0, last, (lxw_col_t)(s->column_count - 1));
    }
}

int xlsx_book_write(xlsx_book *book, FILE *dest, struct diag *diag)
{
    if (book->failed) {
        diag_set(diag, "%s", book->error.message);
        xlsx_book_free(book);
        return -1;
    }
    for (size_t i = 0; i < book->sheet_count; i++)
        sheet_finish(book->sheets[i]);
    lxw_error rc = workbook_close(book->wb);
    book->wb = NULL;
    if (rc != LXW_NO_ERROR) {
        diag_set(diag, "cannot write the workbook: %s", lxw_strerror(rc));
        xlsx_book_free(book);
        return -1;
    }
    char buf[65536];
    long long at = 0;
    for (;;) {
        ssize_t n = pread(book->fd, buf, sizeof buf, at);
        if (n < 0) {
            diag_set(diag, "cannot read the workbook back: %s", strerror(errno));
            xlsx_book_free(book);
            return -1;
        }
        if (n == 0)
            break;
        if (fwrite(buf, 1, (size_t)n, dest) != (size_t)n)
            break;      /* the caller's commit reports the write error */
        at += n;
    }
    xlsx_book_free(book);
    return 0;
}
