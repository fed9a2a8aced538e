/* xlsx.c — writing Excel workbooks on libxlsxwriter: typed cells from the
 * csvout calls or from a CSV table, a header a person can use at once
 * (bold, frozen, filtered, widths fitted), native charts, images, and an
 * unnamed temporary file copied to the caller's stream at the end. The
 * rules (which cell is what) are in xlsx.h. */
#define _GNU_SOURCE     /* dlsym's RTLD_NEXT (the compression level), fopencookie */
#define ZLIB_CONST      /* zlib's next_in: const */
#include "xlsx.h"

#include <dlfcn.h>
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <xlsxwriter.h>
#include <xlsxwriter/packager.h>    /* lxw_packager, minizip's zip.h, zlib.h */

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
    struct body *body;      /* its rows deflated on the book's second thread, or NULL */
    struct pending *pending;    /* with a body: its row not yet written, or NULL */
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
    struct deflater *deflater;  /* the second thread, or NULL: one thread */
};

static struct deflater *deflater_start(void);
static void deflater_stop(struct deflater *d);
static struct body *body_new(xlsx_book *book, lxw_worksheet *ws);
static void body_close_stream(struct body *b);
static void body_free(struct body *b);
static int body_lost(const struct body *b);
static struct pending *pending_new(void);
static void pending_free(struct pending *p);
static lxw_error pending_cell(xlsx_sheet *s, double value, const char *text, size_t len,
                              lxw_format *format);
static void pending_end(xlsx_sheet *s);

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
    if (!props || props->threads != 1)
        book->deflater = deflater_start();     /* NULL: this library, or no thread */
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
    pending_free(s->pending);
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
    if (book->deflater) {
        for (size_t i = 0; i < book->sheet_count; i++)
            if (book->sheets[i]->body)
                body_close_stream(book->sheets[i]->body);
        deflater_stop(book->deflater);  /* after the last job */
        for (size_t i = 0; i < book->sheet_count; i++)
            body_free(book->sheets[i]->body);
    }
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
    if (book->deflater)
        s->body = body_new(book, s->ws);    /* NULL: the library's temporary file */
    if (s->body)
        s->pending = pending_new();         /* NULL: every cell through the library */
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
    char small[256], *copy = s->pending || len < sizeof small ? small : malloc(len + 1);
    if (!copy) {
        fail(s->book, "out of memory");
        return;
    }
    if (s->pending) {       /* kept as the library keeps it, written as it writes it */
        check(s, pending_cell(s, 0, text, len, format));
    } else {
        memcpy(copy, text, len);
        copy[len] = '\0';
        /* worksheet_write_string never makes a formula of "=...": a string cell */
        check(s, worksheet_write_string(s->ws, s->row, (lxw_col_t)s->col, copy, format));
    }
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
    check(s, s->pending ? pending_cell(s, value, NULL, 0, format)
                        : worksheet_write_number(s->ws, s->row, (lxw_col_t)s->col, value, format));
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
    check(s, s->pending ? pending_cell(s, value, NULL, 0, s->book->ratio)
                        : worksheet_write_number(s->ws, s->row, (lxw_col_t)s->col, value,
                                                 s->book->ratio));
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
            /* the library's date cell: a number, its date from 1900 (epoch 0) */
            check(s, s->pending ? pending_cell(s, lxw_datetime_to_excel_date_epoch(
                                                      &date, LXW_EPOCH_1900),
                                               NULL, 0, s->book->date)
                                : worksheet_write_datetime(s->ws, s->row, (lxw_col_t)s->col,
                                                           &date, s->book->date));
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
    if (v < 9007199254740992.0 && v == (double)(uint64_t)v) {
        /* a whole number under 2^53 (16 digits at most): all its digits */
        uint64_t u = (uint64_t)v;
        char digits[20];
        int k = 0;
        do
            digits[k++] = (char)('0' + u % 10);
        while ((u /= 10) > 0);
        while (k > 0)
            *p++ = digits[--k];
        return (size_t)(p - out);
    }
    int e2;
    double f = frexp(v, &e2);           /* v = f * 2^e2, 0.5 <= f < 1 */
    uint64_t m = (uint64_t)ldexp(f, 53);
    int e = e2 - 53;                    /* v = m * 2^e exactly */
    /* x: 10^x <= v < 10^(x+1), exactly (a table's guess corrected: v's 16
     * leading digits, cut, are 10^15 to 10^16 - 1 exactly then) */
    static const double pow10_d[] = {   /* 10^-5 .. 10^15, the nearest doubles */
        1e-5, 1e-4, 1e-3, 1e-2, 1e-1, 1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9,
        1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
    };
    int lo = 0, hi = (int)(sizeof pow10_d / sizeof *pow10_d);
    while (lo < hi) {                   /* lo: how many of them are <= v (log10 was 4%) */
        int mid = (lo + hi) / 2;
        if (pow10_d[mid] <= v)
            lo = mid + 1;
        else
            hi = mid;
    }
    int x = lo - 6;                     /* -5..15 (-6 only below 1e-5: refused above) */
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

/* libxlsxwriter's public function that names a cell ("B12"), which its
 * row writer calls through the PLT for every cell: a column name and a
 * snprintf("%d") of the row, a glibc printf per cell. The same text,
 * without printf, for every cell of a sheet (Excel's 1,048,576 rows and
 * 16,384 columns); the library's own for anything else. */
void lxw_rowcol_to_cell(char *cell_name, lxw_row_t row, lxw_col_t col)
{
    typedef void name_fn(char *, lxw_row_t, lxw_col_t);
    static name_fn *library;
    if (row >= SHEET_ROWS || col >= SHEET_COLUMNS) {
        if (!library) {
            void *found = dlsym(RTLD_NEXT, "lxw_rowcol_to_cell");
            memcpy(&library, &found, sizeof library);
        }
        if (library)
            library(cell_name, row, col);
        else
            cell_name[0] = '\0';   /* not reached: the library has it */
        return;
    }
    char letters[4];
    int n = 0;
    for (unsigned c = (unsigned)col + 1; c > 0; c = (c - 1) / 26)
        letters[n++] = (char)('A' + (c - 1) % 26);
    char *p = cell_name;
    while (n > 0)
        *p++ = letters[--n];
    char digits[8];
    int k = 0;
    for (uint32_t r = row + 1; r > 0; r /= 10)
        digits[k++] = (char)('0' + r % 10);
    while (k > 0)
        *p++ = digits[--k];
    *p = '\0';
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
 * (zip.h, as libxlsxwriter's headers carry it). */
#define XLSX_DEFLATE_LEVEL 1       /* zlib's Z_BEST_SPEED */
#define MINIZIP_INTERNAL_ERROR (-104)

typedef int minizip_open_fn(zipFile file, const char *filename, const zip_fileinfo *zipfi,
                            const void *extrafield_local, uInt size_extrafield_local,
                            const void *extrafield_global, uInt size_extrafield_global,
                            const char *comment, int method, int level, int raw, int window_bits,
                            int mem_level, int strategy, const char *password,
                            uLong crc_for_crypting, uLong version_made_by, uLong flag_base,
                            int zip64);

int zipOpenNewFileInZip4_64(zipFile file, const char *filename, const zip_fileinfo *zipfi,
                            const void *extrafield_local, uInt size_extrafield_local,
                            const void *extrafield_global, uInt size_extrafield_global,
                            const char *comment, int method, int level, int raw, int window_bits,
                            int mem_level, int strategy, const char *password,
                            uLong crc_for_crypting, uLong version_made_by, uLong flag_base,
                            int zip64)
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

/* ---- the sheets' rows deflated on a second thread ------------------------ */

/* In constant_memory mode libxlsxwriter writes each sheet's rows to a
 * temporary file as they come; at the end it copies that file into a second
 * one between the sheet's head and tail, reads it back and deflates it into
 * the zip, on one thread: on a report of 87 k clients (250 MB of sheet XML)
 * the copies and zlib were half of cl-workbook's time. Here the rows go to a
 * stream of ours instead (fopencookie), whose blocks a second thread
 * deflates (level 1, raw) into an unnamed temporary file while the next rows
 * are typed and written, with their CRC. At the end, two of the library's
 * functions, defined here as _write_number_cell is (exported, called through
 * the PLT; their definitions in this program come first), put the pieces
 * together: _worksheet_write_optimized_sheet_data writes <sheetData> and
 * </sheetData> with nothing between and notes where the rows go, and
 * _add_file_to_zip writes that sheet's part raw: the head deflated and
 * flushed to a byte boundary, the rows' deflated bytes, the tail deflated
 * from a fresh state (no reference crosses the joins, so the three are one
 * valid deflate stream), the CRC combined. Unzipped, each part is the byte
 * the library writes: the same functions write the same rows in the same
 * order on the caller's thread, only their bytes are deflated elsewhere.
 * All of it only with the libxlsxwriter this was read on (1.1.4, at build
 * and at run time) and every function found; else, or with threads = 1,
 * the library does all (the same parts). Should the library call its own
 * copy rather than ours, the stream is closed by it with no splice noted:
 * xlsx_book_write then fails, never a sheet left empty without a word. */
#define BODY_BUFFER (1u << 20)      /* the stream's stdio buffer: one job */
#define QUEUE_BYTES (16u << 20)     /* rows waiting for the deflater, at most */
#define ZIP_CHUNK   (256u << 10)    /* deflated bytes written at once */
#define SPLICE_VERSION 114          /* the libxlsxwriter whose functions are replaced */

struct body {               /* one sheet's rows, deflated as they come */
    struct body *next;      /* every live body (found from its worksheet) */
    lxw_worksheet *ws;
    struct deflater *d;
    FILE *fp;               /* the stream the library writes the rows to, or NULL closed */
    char *stdio_buf;
    int fd;                 /* the deflated rows */
    z_stream zs;            /* the deflater thread's, between the jobs */
    int zs_ready;
    uLong crc;              /* of the rows */
    uint64_t in_len;        /* their bytes */
    uint64_t written;       /* bytes the library wrote to the stream (its thread) */
    int splicing;           /* closed by our _worksheet_write_optimized_sheet_data */
    int lost;               /* closed by anyone else: the rows were not copied */
    int done;               /* every job of it deflated (under the deflater's lock) */
    int error;              /* errno of a failure, -1 zlib's */
};

struct job {
    struct job *next;
    struct body *b;
    size_t len;
    int finish;             /* the last: flush to a byte boundary */
    unsigned char data[];
};

struct deflater {
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t changed;
    struct job *head, *tail;
    size_t queued;          /* bytes in the jobs */
    int stop;
    unsigned char *out;     /* the thread's output buffer */
};

typedef void sheet_data_fn(lxw_worksheet *);
typedef lxw_error add_file_fn(lxw_packager *, FILE *, const char *);
typedef int zip_write_fn(zipFile, const void *, unsigned);
typedef int zip_close_raw_fn(zipFile, ZPOS64_T, uLong);
static sheet_data_fn *library_sheet_data;
static add_file_fn *library_add_file;
static zip_write_fn *zip_write;
static zip_close_raw_fn *zip_close_raw;
static struct body *bodies;         /* the live ones (the caller's thread only) */
static struct body *splice_body;    /* the sheet part _add_file_to_zip writes next */
static long splice_at;              /* where its rows go in that part */

static void *find(const char *name, void *handle)
{
    return dlsym(handle, name);
}

/* Find the library's own functions (once); are they all there, and the
 * version they were read on? */
static int splice_possible(void)
{
    static int possible = -1;
    if (possible >= 0)
        return possible;
    void *sheet_data = find("_worksheet_write_optimized_sheet_data", RTLD_NEXT);
    void *add_file = find("_add_file_to_zip", RTLD_NEXT);
    void *write = find("zipWriteInFileInZip", RTLD_DEFAULT);
    void *close_raw = find("zipCloseFileInZipRaw64", RTLD_DEFAULT);
    memcpy(&library_sheet_data, &sheet_data, sizeof sheet_data);
    memcpy(&library_add_file, &add_file, sizeof add_file);
    memcpy(&zip_write, &write, sizeof write);
    memcpy(&zip_close_raw, &close_raw, sizeof close_raw);
    possible = LXW_VERSION_ID == SPLICE_VERSION && strcmp(lxw_version(), LXW_VERSION) == 0 &&
               sheet_data && add_file && write && close_raw;
    return possible;
}

static int write_all(int fd, const unsigned char *p, size_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

/* On the deflater thread: one block of a sheet's rows. */
static void deflate_job(struct body *b, struct job *j, unsigned char *out)
{
    if (b->error)
        return;
    if (!b->zs_ready) {
        memset(&b->zs, 0, sizeof b->zs);
        if (deflateInit2(&b->zs, XLSX_DEFLATE_LEVEL, Z_DEFLATED, -MAX_WBITS, 8,
                         Z_DEFAULT_STRATEGY) != Z_OK) {
            b->error = -1;
            return;
        }
        b->zs_ready = 1;
    }
    b->crc = crc32(b->crc, j->data, (uInt)j->len);
    b->in_len += j->len;
    b->zs.next_in = j->data;
    b->zs.avail_in = (uInt)j->len;
    do {
        b->zs.next_out = out;
        b->zs.avail_out = ZIP_CHUNK;
        if (deflate(&b->zs, j->finish ? Z_FULL_FLUSH : Z_NO_FLUSH) == Z_STREAM_ERROR) {
            b->error = -1;
            return;
        }
        if (write_all(b->fd, out, ZIP_CHUNK - b->zs.avail_out) != 0) {
            b->error = errno ? errno : EIO;
            return;
        }
    } while (b->zs.avail_out == 0);
    if (j->finish) {
        deflateEnd(&b->zs);
        b->zs_ready = 0;
    }
}

static void *deflater_run(void *arg)
{
    struct deflater *d = arg;
    pthread_mutex_lock(&d->lock);
    for (;;) {
        while (!d->head && !d->stop)
            pthread_cond_wait(&d->changed, &d->lock);
        struct job *j = d->head;
        if (!j)
            break;              /* stopped, and nothing left */
        d->head = j->next;
        if (!d->head)
            d->tail = NULL;
        pthread_mutex_unlock(&d->lock);
        deflate_job(j->b, j, d->out);
        pthread_mutex_lock(&d->lock);
        d->queued -= j->len;
        if (j->finish)
            j->b->done = 1;
        free(j);
        pthread_cond_broadcast(&d->changed);
    }
    pthread_mutex_unlock(&d->lock);
    return NULL;
}

static struct deflater *deflater_start(void)
{
    if (!splice_possible())
        return NULL;
    struct deflater *d = calloc(1, sizeof *d);
    if (!d || !(d->out = malloc(ZIP_CHUNK))) {
        free(d);
        return NULL;
    }
    pthread_mutex_init(&d->lock, NULL);
    pthread_cond_init(&d->changed, NULL);
    if (pthread_create(&d->thread, NULL, deflater_run, d) != 0) {
        pthread_mutex_destroy(&d->lock);
        pthread_cond_destroy(&d->changed);
        free(d->out);
        free(d);
        return NULL;
    }
    return d;
}

static void deflater_stop(struct deflater *d)
{
    pthread_mutex_lock(&d->lock);
    d->stop = 1;
    pthread_cond_broadcast(&d->changed);
    pthread_mutex_unlock(&d->lock);
    pthread_join(d->thread, NULL);
    pthread_mutex_destroy(&d->lock);
    pthread_cond_destroy(&d->changed);
    free(d->out);
    free(d);
}

/* Queue a job: the caller waits while the deflater is QUEUE_BYTES behind.
 * @return 0, or -1 out of memory (the body's error set) */
static int enqueue(struct body *b, const char *data, size_t len, int finish)
{
    struct deflater *d = b->d;
    struct job *j = malloc(sizeof *j + len);
    pthread_mutex_lock(&d->lock);
    if (!j) {
        b->error = ENOMEM;
        if (finish)
            b->done = 1;
        pthread_mutex_unlock(&d->lock);
        return -1;
    }
    j->next = NULL;
    j->b = b;
    j->len = len;
    j->finish = finish;
    if (len)
        memcpy(j->data, data, len);
    while (d->queued > QUEUE_BYTES)
        pthread_cond_wait(&d->changed, &d->lock);
    if (d->tail)
        d->tail->next = j;
    else
        d->head = j;
    d->tail = j;
    d->queued += len;
    pthread_cond_broadcast(&d->changed);
    pthread_mutex_unlock(&d->lock);
    return 0;
}

static ssize_t body_write(void *cookie, const char *buf, size_t size)
{
    if (size == 0)
        return 0;
    struct body *b = cookie;
    b->written += size;
    if (enqueue(b, buf, size, 0) != 0) {
        errno = ENOMEM;
        return -1;
    }
    return (ssize_t)size;
}

static int body_close(void *cookie)
{
    struct body *b = cookie;
    if (!b->splicing)
        b->lost = b->written > 0;
    b->fp = NULL;
    return enqueue(b, NULL, 0, 1);
}

static int body_lost(const struct body *b)
{
    return b && b->lost;
}

/* A body in place of the worksheet's temporary file, or NULL (left as is). */
static struct body *body_new(xlsx_book *book, lxw_worksheet *ws)
{
    if (!ws->optimize_tmpfile || ws->file != ws->optimize_tmpfile)
        return NULL;
    struct body *b = calloc(1, sizeof *b);
    if (!b)
        return NULL;
    b->ws = ws;
    b->d = book->deflater;
    b->crc = crc32(0, NULL, 0);
    size_t size = strlen(book->tmpdir) + 32;
    char *path = malloc(size);
    b->stdio_buf = malloc(BODY_BUFFER);
    b->fd = -1;
    if (path) {
        snprintf(path, size, "%s/clientele-rows.XXXXXX", book->tmpdir);
        b->fd = mkstemp(path);
        if (b->fd >= 0)
            unlink(path);
        free(path);
    }
    cookie_io_functions_t io = { .write = body_write, .close = body_close };
    if (b->fd < 0 || !b->stdio_buf || !(b->fp = fopencookie(b, "w", io))) {
        if (b->fd >= 0)
            close(b->fd);
        free(b->stdio_buf);
        free(b);
        return NULL;
    }
    setvbuf(b->fp, b->stdio_buf, _IOFBF, BODY_BUFFER);
    fclose(ws->optimize_tmpfile);       /* empty: nothing written yet */
    ws->optimize_tmpfile = ws->file = b->fp;
    b->next = bodies;
    bodies = b;
    return b;
}

/* Close the rows' stream if no one did (a book dropped, a sheet without rows). */
static void body_close_stream(struct body *b)
{
    if (b->fp) {
        b->splicing = 1;    /* not lost: nothing is written from here */
        fclose(b->fp);
    }
}

static void body_free(struct body *b)
{
    if (!b)
        return;
    for (struct body **p = &bodies; *p; p = &(*p)->next)
        if (*p == b) {
            *p = b->next;
            break;
        }
    if (splice_body == b)
        splice_body = NULL;
    if (b->zs_ready)
        deflateEnd(&b->zs);
    close(b->fd);
    free(b->stdio_buf);
    free(b);
}

static void body_wait(struct body *b)
{
    pthread_mutex_lock(&b->d->lock);
    while (!b->done)
        pthread_cond_wait(&b->d->changed, &b->d->lock);
    pthread_mutex_unlock(&b->d->lock);
}

/* libxlsxwriter's (worksheet.c, 1.1.4): the rows between <sheetData> and
 * </sheetData>, copied from the temporary file. For a sheet of ours, the
 * place is noted and the rows' stream closed (its last job queued). */
void _worksheet_write_optimized_sheet_data(lxw_worksheet *self);

void _worksheet_write_optimized_sheet_data(lxw_worksheet *self)
{
    struct body *b = bodies;
    while (b && b->ws != self)
        b = b->next;
    if (!b || !b->fp || self->dim_rowmin == LXW_ROW_MAX) {
        splice_possible();              /* the library's found */
        if (library_sheet_data)
            library_sheet_data(self);
        else                            /* not reached: the library calls this */
            lxw_xml_empty_tag(self->file, "sheetData", NULL);
        return;
    }
    lxw_xml_start_tag(self->file, "sheetData", NULL);
    fflush(self->file);
    long at = ftell(self->file);
    b->splicing = 1;
    fclose(b->fp);          /* the last block and the flush queued */
    lxw_xml_end_tag(self->file, "sheetData");
    if (at >= 0) {
        splice_body = b;
        splice_at = at;
    } else {
        b->lost = 1;
    }
}

/* Deflate n bytes into the zip's open part (raw), flushed as `flush` says. */
static int deflate_to_zip(z_stream *zs, zipFile zip, const unsigned char *p, size_t n,
                          int flush, unsigned char *out)
{
    zs->next_in = p;
    zs->avail_in = (uInt)n;
    int rc;
    do {
        zs->next_out = out;
        zs->avail_out = ZIP_CHUNK;
        rc = deflate(zs, flush);
        if (rc == Z_STREAM_ERROR)
            return -1;
        size_t got = ZIP_CHUNK - zs->avail_out;
        if (got && zip_write(zip, out, (unsigned)got) != ZIP_OK)
            return -1;
    } while (zs->avail_out == 0 || (flush == Z_FINISH && rc != Z_STREAM_END));
    return 0;
}

/* The sheet part: head, the deflated rows, tail. */
static lxw_error splice_part(lxw_packager *self, FILE *file, const char *filename,
                             struct body *b, long at)
{
    body_wait(b);
    if (b->error || strncmp(filename, "xl/worksheets/sheet", 19) != 0)
        return LXW_ERROR_ZIP_FILE_ADD;
    /* the head and tail: a few kilobytes */
    size_t n = 0, cap = 1 << 16;
    unsigned char *text = malloc(cap), *out = malloc(ZIP_CHUNK);
    lxw_error err = LXW_ERROR_ZIP_FILE_ADD;
    fflush(file);
    rewind(file);
    for (;;) {
        if (text && n == cap) {
            unsigned char *grown = realloc(text, cap * 2);
            if (!grown)
                break;
            text = grown;
            cap *= 2;
        }
        if (!text)
            break;
        size_t got = fread(text + n, 1, cap - n, file);
        n += got;
        if (got == 0)
            break;
    }
    z_stream zs = { 0 };
    int zs_ready = 0;
    if (!text || !out || ferror(file) || (size_t)at > n ||
        zipOpenNewFileInZip4_64(self->zipfile, filename, &self->zipfile_info, NULL, 0, NULL, 0,
                                NULL, Z_DEFLATED, Z_DEFAULT_COMPRESSION, 1, -MAX_WBITS, 8,
                                Z_DEFAULT_STRATEGY, NULL, 0, 0, 0, self->use_zip64) != ZIP_OK)
        goto done;
    if (deflateInit2(&zs, XLSX_DEFLATE_LEVEL, Z_DEFLATED, -MAX_WBITS, 8,
                     Z_DEFAULT_STRATEGY) != Z_OK)
        goto done;
    zs_ready = 1;
    size_t head = (size_t)at, tail = n - head;
    if (deflate_to_zip(&zs, self->zipfile, text, head, Z_FULL_FLUSH, out) != 0)
        goto done;
    for (off_t pos = 0;;) {
        ssize_t got = pread(b->fd, out, ZIP_CHUNK, pos);
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0)
            goto done;
        if (got == 0)
            break;
        if (zip_write(self->zipfile, out, (unsigned)got) != ZIP_OK)
            goto done;
        pos += got;
    }
    if (deflateReset(&zs) != Z_OK ||
        deflate_to_zip(&zs, self->zipfile, text + head, tail, Z_FINISH, out) != 0)
        goto done;
    uLong crc = crc32(crc32(0, NULL, 0), text, (uInt)head);
    crc = crc32_combine(crc, b->crc, (z_off_t)b->in_len);
    crc = crc32_combine(crc, crc32(crc32(0, NULL, 0), text + head, (uInt)tail), (z_off_t)tail);
    if (zip_close_raw(self->zipfile, (ZPOS64_T)(head + b->in_len + tail), crc) == ZIP_OK)
        err = LXW_NO_ERROR;
done:
    if (zs_ready)
        deflateEnd(&zs);
    free(text);
    free(out);
    return err;
}

/* libxlsxwriter's (packager.c, 1.1.4): one file of the package into the zip. */
lxw_error _add_file_to_zip(lxw_packager *self, FILE *file, const char *filename);

lxw_error _add_file_to_zip(lxw_packager *self, FILE *file, const char *filename)
{
    if (splice_body) {
        struct body *b = splice_body;
        splice_body = NULL;
        return splice_part(self, file, filename, b, splice_at);
    }
    splice_possible();                      /* the library's found */
    if (!library_add_file)
        return LXW_ERROR_ZIP_FILE_ADD;      /* not reached: the library calls this */
    return library_add_file(self, file, filename);
}

/* ---- the rows' XML written here ------------------------------------------ */

/* Each cell that libxlsxwriter keeps costs it a calloc, its insertion, a
 * printf of the row's tag, the cell's name and style looked up, a free:
 * two fifths of the writing thread's time on the 1 GB report. For a sheet
 * whose rows go to a body (the library 1.1.4, every function found), the
 * row is kept here as the library keeps it in constant_memory mode, and
 * written when the library writes it: when a cell of a later row comes.
 * The row's XML is the library's (worksheet.c's lxw_worksheet_write_single_row
 * and _write_row with no row option, its cells' _write_number_cell, ours,
 * and _write_inline_string_cell): <row r="N">, each cell <c r="B12" s="3">
 * (s when the format's index is not 0, the index asked of the library at
 * that moment, as it asks, so that formats get their indexes in the same
 * order) then <v>%.16G</v> or t="inlineStr"><is><t>TEXT</t></is>, </row>;
 * the sheet's dimension as _check_dimensions keeps it. A row that holds a
 * text the library would escape or mark (& < > quotes, a control byte,
 * "_x", a space or a byte not ASCII at either end: xml:space), an empty
 * one, or a number %.16G writes with an exponent, is handed to the library
 * cell by cell and written by it at the same moment (its
 * lxw_worksheet_write_single_row); so is each sheet's last row, which the
 * library writes at the very end. --threads 1 gives every cell to the
 * library: tests/cli/xlsx.sh compares the two books part by part. */
struct pending_cell {
    lxw_col_t col;
    int text;               /* an inline string: bytes[at .. at + len), NUL-ended */
    double value;
    size_t at, len;
    lxw_format *format;
};

struct pending {
    lxw_row_t row;
    struct pending_cell *cells;
    size_t count, cap;
    char *bytes;            /* the texts */
    size_t used, bytes_cap;
    char *xml;              /* the row written */
    size_t xml_cap;
};

static struct pending *pending_new(void)
{
    return calloc(1, sizeof(struct pending));
}

static void pending_free(struct pending *p)
{
    if (!p)
        return;
    free(p->cells);
    free(p->bytes);
    free(p->xml);
    free(p);
}

/* Would the library write this text as it is, with no attribute? */
static int plain_text(const char *t, size_t len)
{
    if (len == 0 || t[0] <= ' ' || t[0] > '~' || t[len - 1] <= ' ' || t[len - 1] > '~')
        return 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)t[i];
        if (c < ' ' || c == 0x7f || c == '&' || c == '<' || c == '>' || c == '"' || c == '\''
            || (c == '_' && i + 1 < len && (t[i + 1] == 'x' || t[i + 1] == 'X')))
            return 0;
    }
    return 1;
}

static char *put_u32(char *p, uint32_t u)
{
    char digits[10];
    int k = 0;
    do
        digits[k++] = (char)('0' + u % 10);
    while ((u /= 10) != 0);
    while (k > 0)
        *p++ = digits[--k];
    return p;
}

/* The pending row's XML into p->xml. @return its length, or 0: the row is
 * the library's to write (a cell it writes otherwise). */
static size_t pending_xml(struct pending *p)
{
    size_t need = 32;
    for (size_t i = 0; i < p->count; i++)
        need += 96 + p->cells[i].len;
    if (need > p->xml_cap) {
        char *grown = realloc(p->xml, need);
        if (!grown)
            return 0;
        p->xml = grown;
        p->xml_cap = need;
    }
    char *o = p->xml;
    memcpy(o, "<row r=\"", 8);
    o = put_u32(o + 8, p->row + 1);
    memcpy(o, "\">", 2);
    o += 2;
    for (size_t i = 0; i < p->count; i++) {
        const struct pending_cell *c = &p->cells[i];
        char number[XLSX_G16_MAX];
        size_t n = 0;
        if (c->text ? !plain_text(p->bytes + c->at, c->len)
                    : (n = xlsx_g16(c->value, number)) == 0)
            return 0;
        memcpy(o, "<c r=\"", 6);
        o += 6;
        lxw_rowcol_to_cell(o, p->row, c->col);
        o += strlen(o);
        int32_t style = c->format ? lxw_format_get_xf_index(c->format) : 0;
        if (style > 0) {
            memcpy(o, "\" s=\"", 5);
            o = put_u32(o + 5, (uint32_t)style);
        }
        if (c->text) {
            memcpy(o, "\" t=\"inlineStr\"><is><t>", 23);
            o += 23;
            memcpy(o, p->bytes + c->at, c->len);
            o += c->len;
            memcpy(o, "</t></is></c>", 13);
            o += 13;
        } else {
            memcpy(o, "\"><v>", 5);
            memcpy(o + 5, number, n);
            o += 5 + n;
            memcpy(o, "</v></c>", 8);
            o += 8;
        }
    }
    memcpy(o, "</row>", 6);
    o += 6;
    return (size_t)(o - p->xml);
}

/* The pending row written (now: a cell of a later row came), or handed to
 * the library to keep (the sheet's last). */
static void pending_flush(xlsx_sheet *s, int now)
{
    struct pending *p = s->pending;
    if (!p || p->count == 0)
        return;
    size_t n = now ? pending_xml(p) : 0;
    if (n > 0) {
        fwrite(p->xml, 1, n, s->ws->file);  /* an error: the body's, said at the end */
    } else {
        for (size_t i = 0; i < p->count && !s->book->failed; i++) {
            const struct pending_cell *c = &p->cells[i];
            lxw_error rc = c->text ? worksheet_write_string(s->ws, p->row, c->col,
                                                            p->bytes + c->at, c->format)
                                   : worksheet_write_number(s->ws, p->row, c->col, c->value,
                                                            c->format);
            if (rc != LXW_NO_ERROR)
                fail(s->book, "sheet \"%s\", row %u: %s", s->name, p->row + 1,
                     lxw_strerror(rc));
        }
        if (now)
            lxw_worksheet_write_single_row(s->ws);
    }
    p->count = 0;
    p->used = 0;
}

/* A cell of the sheet's current row (text: NULL for a number), kept. */
static lxw_error pending_cell(xlsx_sheet *s, double value, const char *text, size_t len,
                              lxw_format *format)
{
    struct pending *p = s->pending;
    lxw_worksheet *ws = s->ws;
    if (p->count > 0 && p->row != s->row)
        pending_flush(s, 1);
    if (p->count == p->cap) {
        size_t cap = p->cap ? p->cap * 2 : 32;
        struct pending_cell *grown = realloc(p->cells, cap * sizeof *grown);
        if (!grown)
            return LXW_ERROR_MEMORY_MALLOC_FAILED;
        p->cells = grown;
        p->cap = cap;
    }
    struct pending_cell *c = &p->cells[p->count];
    *c = (struct pending_cell){ (lxw_col_t)s->col, text != NULL, value, 0, 0, format };
    if (text) {
        if (p->used + len + 1 > p->bytes_cap) {
            size_t cap = (p->used + len + 1) * 2;
            char *grown = realloc(p->bytes, cap);
            if (!grown)
                return LXW_ERROR_MEMORY_MALLOC_FAILED;
            p->bytes = grown;
            p->bytes_cap = cap;
        }
        memcpy(p->bytes + p->used, text, len);
        p->bytes[p->used + len] = '\0';
        c->at = p->used;
        c->len = len;
        p->used += len + 1;
    }
    p->row = s->row;
    p->count++;
    /* the sheet's dimension, as the library's _check_dimensions keeps it */
    if (s->row < ws->dim_rowmin)
        ws->dim_rowmin = s->row;
    if (s->row > ws->dim_rowmax)
        ws->dim_rowmax = s->row;
    if ((lxw_col_t)s->col < ws->dim_colmin)
        ws->dim_colmin = (lxw_col_t)s->col;
    if ((lxw_col_t)s->col > ws->dim_colmax)
        ws->dim_colmax = (lxw_col_t)s->col;
    return LXW_NO_ERROR;
}

/* The sheet's last row to the library, which writes it at the end. */
static void pending_end(xlsx_sheet *s)
{
    pending_flush(s, 0);
}

/* ---- the end ----------------------------------------------------------- */

static void sheet_finish(xlsx_sheet *s)
{
    pending_end(s);     /* the last row: the library's, written when it writes it */
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
    for (size_t i = 0; i < book->sheet_count; i++)
        if (body_lost(book->sheets[i]->body)) {
            diag_set(diag, "cannot write the workbook: the rows of sheet \"%s\" were not "
                     "copied (this libxlsxwriter is not the one cl-workbook was built for; "
                     "--threads 1 writes it)", book->sheets[i]->name);
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
