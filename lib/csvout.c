/* csvout.c — the CSV writer (see csvout.h): quoting, the two dialects,
 * numbers in the output's decimal mark, and the three destinations (a
 * FILE, memory, a sink of typed calls). */
#include "csvout.h"

#include <assert.h>
#include <string.h>

#include "parse.h"

/* Every byte goes out through these two: to the FILE, or to memory. */
static void put_bytes(struct csvout *out, const char *bytes, size_t len)
{
    if (out->mem)
        buf_add_inline(out->mem, bytes, len);
    else
        fwrite(bytes, 1, len, out->fp);
}

static void put_char(struct csvout *out, char c)
{
    if (out->mem)
        buf_addc_inline(out->mem, c);
    else
        putc(c, out->fp);
}

void csvout_init(struct csvout *out, FILE *fp, int excel)
{
    out->fp = fp;
    out->mem = NULL;
    out->excel = excel;
    out->delim = excel ? ';' : ',';
    out->mark = excel ? ',' : '.';
    out->row_started = 0;
    out->source_mark = '.';
    out->sink_fn = NULL;
    out->sink = NULL;
    if (excel)
        fputs("\xEF\xBB\xBF", fp);
}

int csvout_set_delimiter(struct csvout *out, char delim)
{
    if (out->excel && delim == ',')
        return -1;
    out->delim = delim;
    out->mark = out->excel || parse_mark_of_delim(delim) == ',' ? ',' : '.';
    return 0;
}

void csvout_init_mem(struct csvout *out, struct buf *mem, const struct csvout *like)
{
    assert(mem != NULL && like != NULL);
    *out = *like;
    out->fp = NULL;
    out->mem = mem;
    out->row_started = 0;
    out->sink_fn = NULL;
    out->sink = NULL;
}

void csvout_set_sink(struct csvout *out, csvout_sink_fn *fn, void *sink)
{
    out->sink_fn = fn;
    out->sink = sink;
}

/* @return 1 when a sink took the value (nothing to write to fp). */
static int to_sink(struct csvout *out, enum csvout_kind kind, const char *text, size_t len,
                   int decimals)
{
    if (!out->sink_fn)
        return 0;
    struct csvout_value value = { kind, text, len, decimals };
    out->sink_fn(out->sink, &value);
    return 1;
}

void csvout_source_mark(struct csvout *out, char mark)
{
    out->source_mark = mark == ',' ? ',' : '.';
}

char csvio_source_mark(char delim)
{
    char mark = parse_mark_of_delim(delim);
    return mark ? mark : '.';
}

static void separator(struct csvout *out)
{
    if (out->row_started)
        put_char(out, out->delim);
    out->row_started = 1;
}

void csvout_text_len(struct csvout *out, const char *text, size_t len)
{
    if (to_sink(out, CSVOUT_TEXT, text, len, -1))
        return;
    separator(out);
    int formula = out->excel && len > 0 &&
                  (text[0] == '=' || text[0] == '+' || text[0] == '-' || text[0] == '@' ||
                   text[0] == '\t' || text[0] == '\r');
    int quote = formula;
    for (size_t i = 0; i < len && !quote; i++) {
        char c = text[i];
        if (c == out->delim || c == '"' || c == '\n' || c == '\r')
            quote = 1;
    }
    if (len > 0 && (text[0] == ' ' || text[len - 1] == ' '))
        quote = 1;      /* keep spaces visible to readers that trim */
    if (!quote) {
        put_bytes(out, text, len);
        return;
    }
    put_char(out, '"');
    if (formula)
        put_char(out, '\'');    /* shown as text by spreadsheets, never evaluated */
    for (size_t i = 0; i < len; i++) {
        if (text[i] == '"')
            put_char(out, '"');
        put_char(out, text[i]);
    }
    put_char(out, '"');
}

void csvout_text(struct csvout *out, const char *text)
{
    csvout_text_len(out, text, strlen(text));
}

void csvout_number(struct csvout *out, const char *number)
{
    if (out->sink_fn && to_sink(out, CSVOUT_NUMBER, number, strlen(number), -1))
        return;
    separator(out);
    if (out->mark == '.') {
        put_bytes(out, number, strlen(number));
        return;
    }
    for (const char *p = number; *p; p++)
        put_char(out, *p == '.' ? out->mark : *p);
}

void csvout_cell(struct csvout *out, const char *text, int as_number)
{
    char number[64];
    if (out->sink_fn) {
        /* the sink gets numbers with '.', whatever the source's mark */
        int plain = as_number && parse_plain_number(text, strlen(text), out->source_mark, number,
                                                    sizeof number);
        const char *cell = plain ? number : text;
        to_sink(out, as_number ? CSVOUT_CELL : CSVOUT_TEXT, cell, strlen(cell), -1);
        return;
    }
    if (as_number && (out->mark != '.' || out->source_mark != '.') &&
        parse_plain_number(text, strlen(text), out->source_mark, number, sizeof number)) {
        csvout_number(out, number);
        return;
    }
    csvout_text(out, text);
}

/* A number formatted with '.': to the sink as `kind`, else written with
 * the output's decimal mark. */
static void put_number(struct csvout *out, enum csvout_kind kind, const char *number,
                       int decimals)
{
    if (!out->sink_fn || !to_sink(out, kind, number, strlen(number), decimals))
        csvout_number(out, number);
}

void csvout_double(struct csvout *out, double value)
{
    char buf[32];
    put_number(out, CSVOUT_REAL, format_double(value, '.', buf), -1);
}

void csvout_fixed(struct csvout *out, double value, int decimals)
{
    char buf[48];
    put_number(out, CSVOUT_REAL, format_fixed(value, decimals, '.', buf), decimals);
}

void csvout_long(struct csvout *out, long long value)
{
    /* the digits from the end, without printf: tables write many counts */
    char buf[32], *p = buf + sizeof buf - 1;
    unsigned long long magnitude = value < 0 ? 0ull - (unsigned long long)value
                                             : (unsigned long long)value;
    *p = '\0';
    do {
        *--p = (char)('0' + magnitude % 10);
        magnitude /= 10;
    } while (magnitude);
    if (value < 0)
        *--p = '-';
    put_number(out, CSVOUT_INTEGER, p, 0);
}

void csvout_money(struct csvout *out, int64_t scaled, int decimals)
{
    char buf[32];
    put_number(out, CSVOUT_MONEY, format_money(scaled, decimals, '.', buf), decimals);
}

void csvout_empty(struct csvout *out)
{
    if (to_sink(out, CSVOUT_EMPTY, "", 0, -1))
        return;
    separator(out);
}

void csvout_end_row(struct csvout *out)
{
    if (to_sink(out, CSVOUT_END_ROW, "", 0, -1))
        return;
    if (out->excel)
        put_char(out, '\r');
    put_char(out, '\n');
    out->row_started = 0;
}
