/* page.c — the report page (index.html) from a folder of CSVs: the calls.
 *
 * What page.h says: every figure is a cell of the folder's CSVs, money is
 * printed from the programs' exact decimal strings, text from the data is
 * escaped, the charts' SVGs are inlined. Here the calls: each sets where
 * a failure anywhere below (out of memory, a file unreadable) goes back
 * to (text_fail_jump, page_text.h), then hands over to page_sections.c;
 * and the report's calendar and the charts' subtitles, for cl-report. */
#include <ctype.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "page.h"
#include "page_folder.h"
#include "page_html.h"
#include "page_notes.h"
#include "page_sections.h"
#include "page_text.h"
#include "parse.h"

/* ---- the calls ------------------------------------------------------------- */

int page_load(const char *dir, const char *previous, int fr, struct diag *diag)
{
    text_fail_diag = diag;
    if (setjmp(text_fail_jump))
        return -1;
    text_french = fr;
    folder_dir = dir;
    return sections_load(previous, diag);
}

int page_write(FILE *out, const char *version_text, struct diag *diag)
{
    text_fail_diag = diag;
    if (setjmp(text_fail_jump))
        return -1;
    html_start(out);
    sections_write(version_text);
    return 0;
}

const char *page_raw(const char *cell)
{
    return folder_raw(cell);
}

const char *page_period(void)
{
    return sections_period();
}

const char *page_sections(void)
{
    return html_sections();
}

void page_free(void)
{
    sections_free();
    notes_free();
    text_free();
}

/* ---- the report's calendar and the charts' subtitles ------------------------ */

/* YYYY-MM-DD (or YYYY-MM when month is set, the day taken as 1) read into
 * y, m, d. @return 1 when it is one, 0 otherwise. */
static int read_day(const char *s, int month, int *y, int *m, int *d)
{
    size_t n = strlen(s);
    if (n != (month ? 7u : 10u) || strspn(s, "0123456789-") != n || s[4] != '-'
        || (!month && s[7] != '-'))
        return 0;
    *y = atoi(s);
    *m = atoi(s + 5);
    *d = month ? 1 : atoi(s + 8);
    if (*m < 1 || *m > 12 || *d < 1 || !isdigit((unsigned char)s[5]))
        return 0;
    int32_t day = date_from_civil(*y, *m, *d);
    int y2, m2, d2;
    date_to_civil(day, &y2, &m2, &d2);
    return y2 == *y && m2 == *m && d2 == *d;
}

static int month_days(int y, int m)
{
    int y2 = m == 12 ? y + 1 : y, m2 = m == 12 ? 1 : m + 1;
    return (int)(date_from_civil(y2, m2, 1) - date_from_civil(y, m, 1));
}

int page_calendar(FILE *out, const char *op, const char *arg, struct diag *diag)
{
    int y, m, d;
    if (strcmp(op, "valid") == 0 || strcmp(op, "next-day") == 0) {
        if (!read_day(arg, 0, &y, &m, &d))
            return diag_set(diag, "'%s' is not a date YYYY-MM-DD", arg);
        if (*op == 'v') {
            fprintf(out, "%s\n", arg);
            return 0;
        }
        if (y == 9999 && m == 12 && d == 31)
            return diag_set(diag, "'%s': the day after is past the year 9999", arg);
        char text[32];
        fprintf(out, "%s\n", format_date(date_from_civil(y, m, d) + 1, text));
        return 0;
    }
    if (strcmp(op, "month-end") == 0 || strcmp(op, "month-before") == 0) {
        char ym[8];
        snprintf(ym, sizeof ym, "%.7s", arg);
        /* a month, or a day whose month is meant */
        if (!read_day(arg, strlen(arg) == 7, &y, &m, &d) || !read_day(ym, 1, &y, &m, &d))
            return diag_set(diag, "'%s' is not a month YYYY-MM", arg);
        if (op[6] != 'e' && y == 0 && m == 1)
            return diag_set(diag, "'%s': the month before is before the year 0", arg);
        if (op[6] == 'e')
            fprintf(out, "%04d-%02d-%02d\n", y, m, month_days(y, m));
        else
            fprintf(out, "%04d-%02d\n", m == 1 ? y - 1 : y, m == 1 ? 12 : m - 1);
        return 0;
    }
    return diag_set(diag, "'%s' is not valid, next-day, month-end or month-before", op);
}

int page_label(FILE *out, const char *what, const char *arg, int fr, struct diag *diag)
{
    int y, m, d;
    text_fail_diag = diag;
    if (setjmp(text_fail_jump))
        return -1;
    text_french = fr;
    if (strcmp(what, "history") == 0) {
        if (!read_day(arg, 0, &y, &m, &d))
            return diag_set(diag, "'%s' is not a date YYYY-MM-DD", arg);
        fprintf(out, "%s\n", text_wfmt(text_word("clients_up_to"), text_date(arg)));
    } else if (strcmp(what, "period") == 0) {
        char a[11];
        snprintf(a, sizeof a, "%.10s", arg);
        if (!read_day(arg, 1, &y, &m, &d)
            && !(strlen(arg) == 21 && arg[10] == '_' && read_day(a, 0, &y, &m, &d)
                 && read_day(arg + 11, 0, &y, &m, &d)))
            return diag_set(diag, "'%s' is not a period YYYY-MM or FROM_TO", arg);
        fprintf(out, "%s\n", text_period(arg));
    } else
        return diag_set(diag, "'%s' is not period or history", what);
    return 0;
}
