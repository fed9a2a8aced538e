/* page_notes.c — what the programs said, as a manager reads it.
 *
 * notes.txt (SECTION \t KEY [\t VALUE...], written by cl-report: what the
 * data did not allow in a section) in the page's words, and a program's
 * message made fit for the page: without the program's name, a file of the
 * work folder or cl-clv's parenthesis of figures, the messages the page
 * knows said in its language. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "page_folder.h"
#include "page_html.h"
#include "page_notes.h"
#include "page_text.h"

/* notes.txt: SECTION \t KEY [\t VALUE...], what the data did not allow */
#define MAX_NOTES 64
static char *notes_text[MAX_NOTES];
static size_t notes_count;

static void add_note(const char *line, void *ctx)
{
    (void)ctx;
    if (notes_count < MAX_NOTES && *line)
        notes_text[notes_count++] = strdup(line);
}

/* split a note into fields (at most 8); the note's copy is cut in place */
static size_t note_fields(const char *note, char **field, char **copy)
{
    *copy = strdup(note);
    if (!*copy)
        text_fail("out of memory");
    size_t n = 0;
    for (char *p = *copy; n < 8;) {
        field[n++] = p;
        p = strchr(p, '\t');
        if (!p)
            break;
        *p++ = '\0';
    }
    return n;
}

int notes_has(const char *section)
{
    size_t len = strlen(section);
    for (size_t i = 0; i < notes_count; i++)
        if (strncmp(notes_text[i], section, len) == 0 && notes_text[i][len] == '\t')
            return 1;
    return 0;
}

/* ---- the programs' messages, as a manager reads them ------------------------- */

/* LINE with "PREFIX%dSUFFIX" read: the number in *n. @return 1 when it fits. */
static int count_of(const char *line, const char *suffix, long *n)
{
    char *end;
    *n = strtol(line, &end, 10);
    return end != line && strcmp(end, suffix) == 0;
}

/* A program's message for the page, escaped: neither the program's name nor
 * a file of the work folder (history.csv: ..., market.csv:7: ...) means
 * anything to the reader, nor cl-clv's technical parenthesis; the messages
 * the page knows are said in its language. */
static const char *said_text(const char *line)
{
    int clv = strncmp(line, "cl-clv: ", 8) == 0;
    if (strncmp(line, "cl-", 3) == 0) {
        const char *colon = strstr(line, ": ");
        if (colon && (size_t)(colon - line) < 16 && !memchr(line, ' ', (size_t)(colon - line)))
            line = colon + 2;
    }
    /* FILE.csv: or FILE.csv:LINE: of the folder, or the French FILE.csv : */
    const char *dot = strstr(line, ".csv");
    if (dot && !memchr(line, ' ', (size_t)(dot - line))) {
        const char *after = dot + 4;
        if (after[0] == ':' && after[1] >= '0' && after[1] <= '9')
            after += 1 + strspn(after + 1, "0123456789");
        size_t colon = strncmp(after, ": ", 2) == 0                 ? 2
                       : strncmp(after, " : ", 3) == 0              ? 3
                       : strncmp(after, "\xc2\xa0: ", 4) == 0     ? 4
                       : strncmp(after, "\xe2\x80\xaf: ", 5) == 0 ? 5
                                                                    : 0;
        if (colon) {
            char *name = strndup(line, (size_t)(dot - line) + 4);
            if (!name)
                text_fail("out of memory");
            if (folder_exists(name))
                line = after + colon;
            free(name);
        }
    }
    /* cl-share: segment "X" has no clients in FILE */
    const char *none = strstr(line, "\" has no clients in ");
    if (strncmp(line, "segment \"", 9) == 0 && none) {
        char *name = strndup(line + 9, (size_t)(none - line - 9));
        if (!name)
            text_fail("out of memory");
        const char *text = text_wfmt(text_word("w_seg_none"), text_esc_short(name, TEXT_NAME_MAX));
        free(name);
        return text;
    }
    /* the sales reader's notes (cl-rollup, tools/cli_sales.c and cli.c) */
    long n;
    const char *enc = strstr(line, ": not UTF-8 (line ");
    if (enc && strstr(enc, "): read as Windows-1252")) {
        const char *path = text_fmt("%.*s", (int)(enc - line), line), *slash = strrchr(path, '/');
        return text_wfmt(text_word(strstr(enc, "look like Mac Roman") ? "w_enc_mac" : "w_enc"),
                         text_esc_short(slash ? slash + 1 : path, TEXT_NAME_MAX),
                         text_num_d(strtod(enc + strlen(": not UTF-8 (line "), NULL), 0));
    }
    if (count_of(line, " repeated header line skipped (files concatenated)", &n) ||
        count_of(line, " repeated header lines skipped (files concatenated)", &n))
        return n == 1 ? text_word("w_header1")
                      : text_wfmt(text_word("w_headers"), text_num_d((double)n, 0));
    const char *rounded = strstr(line, " with more than 6 decimals rounded to 6 (first: line ");
    if (rounded && strtol(line, NULL, 10) > 0) {
        const char *at = text_num_d(strtod(rounded + strlen(" with more than 6 decimals rounded "
                                                            "to 6 (first: line "), NULL), 0);
        return strtol(line, NULL, 10) == 1
                   ? text_wfmt(text_word("w_rounded1"), at)
                   : text_wfmt(text_word("w_rounded"), text_num_d(strtod(line, NULL), 0), at);
    }
    const char *of = strstr(line, " of "), *where = strstr(line, " lines left out by --where");
    if (of && where && where[strlen(" lines left out by --where")] == '\0' &&
        strspn(line, "0123456789") == (size_t)(of - line))
        return text_wfmt(text_word("w_where"), text_num_d(strtod(line, NULL), 0),
                         text_num_d(strtod(of + 4, NULL), 0));
    const char *trim = strstr(line, " lines had spaces around the customer id or a --group "
                                     "value, trimmed (--keep-spaces keeps them)");
    if (of && trim && trim > of && strspn(line, "0123456789") == (size_t)(of - line))
        return text_wfmt(text_word("w_trimmed"), text_num_d(strtod(line, NULL), 0),
                         text_num_d(strtod(of + 4, NULL), 0));
    const char *both = strstr(line, ": every slash date reads both as DD/MM and as MM/DD (\"");
    if (both) {
        const char *ex = both + strlen(": every slash date reads both as DD/MM and as MM/DD (\"");
        const char *path = text_fmt("%.*s", (int)(both - line), line), *slash = strrchr(path, '/');
        return text_wfmt(text_word("w_dmy"), text_esc_short(slash ? slash + 1 : path,
                                                            TEXT_NAME_MAX),
                         text_esc_short(text_fmt("%.*s", (int)strcspn(ex, "\""), ex), 40));
    }
    /* cl-pareto --previous: "FILE: only M of its N clients are among the H here: are the
     * keys written the same way ("X" there, "Y" here)?" */
    const char *only = strstr(line, ": only ");
    unsigned long m, np, h;
    int at = 0;
    if (only && sscanf(only, ": only %lu of its %lu clients are among the %lu here: are the "
                       "keys written the same way (\"%n", &m, &np, &h, &at) == 3 && at > 0) {
        const char *there = only + at, *end = strstr(there, "\" there, \"");
        const char *here = end ? end + strlen("\" there, \"") : NULL;
        const char *stop = here ? strstr(here, "\" here)?") : NULL;
        if (stop)
            return text_wfmt(text_word("w_prev_keys"), text_num_d((double)m, 0),
                             text_num_d((double)np, 0), text_num_d((double)h, 0),
                             text_esc_short(text_fmt("%.*s", (int)(end - there), there), 40),
                             text_esc_short(text_fmt("%.*s", (int)(stop - here), here), 40));
    }
    /* cl-cohort's counts of what it left out */
    if (count_of(line, " clients left out: they never bought (only returns or zero amounts)", &n))
        return text_wfmt(text_word("w_coh_never"), text_num_d((double)n, 0));
    const char *net = strstr(line, " client periods before the client's first purchase left out "
                                   "(returns of earlier purchases, net ");
    if (net && strtol(line, NULL, 10) >= 0 && strspn(line, "0123456789") == (size_t)(net - line)) {
        const char *v = net + strlen(" client periods before the client's first purchase left "
                                     "out (returns of earlier purchases, net ");
        char *value = strndup(v, strcspn(v, ")"));
        if (!value)
            text_fail("out of memory");
        const char *text = text_wfmt(text_word("w_coh_before"), text_num_d(strtod(line, NULL), 0),
                                     text_money(value));
        free(value);
        return text;
    }
    /* cl-clv: the words without the parenthesis of figures */
    const char *open = clv ? strstr(line, " (") : NULL, *close = NULL;
    for (int depth = 0, i = 1; open && !close && open[i]; i++)
        if (open[i] == '(')
            depth++;
        else if (open[i] == ')' && --depth == 0)
            close = open + i;
    if (close)
        return text_fmt("%s%s", text_esc_short(text_fmt("%.*s", (int)(open - line), line), 400),
                   text_esc_short(close + 1, 400));
    return text_esc_short(line, 400);
}

const char *notes_said(const char *line)
{
    return text_typeset(said_text(line));
}

/* The notes of SECTION: what could not be computed there, and why. */
void notes_write(const char *section)
{
    size_t len = strlen(section), shown = 0;
    for (size_t i = 0; i < notes_count; i++) {
        if (strncmp(notes_text[i], section, len) != 0 || notes_text[i][len] != '\t')
            continue;
        char *f[8], *copy;
        size_t n = note_fields(notes_text[i], f, &copy);
        const char *key = n >= 2 ? f[1] : "";
        const char *text;
        if (strcmp(key, "nc_constant") == 0 && n >= 4)
            text = text_wfmt(text_word(key), text_feature(f[2]),
                        strcmp(f[2], "revenue") == 0 ? text_money(f[3]) : text_num(f[3], 0));
        else if (strcmp(key, "nc_krange") == 0 && n >= 5)
            text = text_wfmt(text_word(key), text_esc(f[2]), text_esc(f[3]), text_esc(f[4]));
        else if (strcmp(key, "nc_clv") == 0)
            text =
                text_wfmt(text_word(key), n >= 3 ? notes_said(text_fmt("cl-clv: %s", f[2])) : "");
        else if (strcmp(key, "nc_failed") == 0)
            text = text_wfmt(text_word(key), n >= 3 ? text_esc(f[2]) : "");
        else if (strcmp(key, "nc_few") == 0)
            text = text_wfmt(text_word(key), n >= 3 ? text_num(f[2], 0) : "");
        else
            text = text_word(key);
        fprintf(html_out, "<p class=\"note nc\" id=\"nc-%s-%zu\">%s</p>\n", section, ++shown, text);
        free(copy);
    }
}

/* Is LINE cl-clv's message that the lifetime value section says already
 * (its note nc_clv holds the same words)? */
int notes_clv_said(const char *line)
{
    if (strncmp(line, "cl-clv: ", 8) != 0)
        return 0;
    for (size_t i = 0; i < notes_count; i++) {
        if (strncmp(notes_text[i], "clv\tnc_clv\t", 11) != 0)
            continue;
        char *f[8], *copy;
        size_t n = note_fields(notes_text[i], f, &copy);
        int same = n >= 3 && strcmp(f[2], line + 8) == 0;
        free(copy);
        if (same)
            return 1;
    }
    return 0;
}

void notes_load(void)
{
    folder_each_line("notes.txt", add_note, NULL);
}

void notes_free(void)
{
    for (size_t i = 0; i < notes_count; i++)
        free(notes_text[i]);
    notes_count = 0;
}
