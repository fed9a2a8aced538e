/* plot — presentation charts through gnuplot: the chart kinds' registry,
 * the script (plot_script runs a kind's builder on the chart skeleton of
 * plot_chart.h, builders in plot_kinds.c), quoting text for gnuplot,
 * numbers for people, and the gnuplot process. */
#include "plot.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "plot_chart.h"
#include "plot_clv.h"

extern char **environ;

#define MESSAGES_MAX (64u << 10)    /* bytes of gnuplot's stderr kept */

/* ====================================================================== */
/* The chart kinds: one row each. A new kind is a builder (plot_chart.h)
 * and a row here; cl-plot's help and messages are made from this table. */

const struct plot_kind plot_kinds[] = {
    { "pareto", "the rows of cl-pareto",
      "cl-pareto's rows: clients by decreasing value, cumulative share", chart_pareto },
    { "lorenz", "cl-pareto --lorenz (or the rows of cl-pareto)",
      "cl-pareto's Lorenz points (or its rows): the curve and the Gini", chart_lorenz },
    { "abc", "the rows of cl-pareto or cl-pareto --summary",
      "cl-pareto's rows or summary: share of clients and of value by class", chart_abc },
    { "migration", "cl-pareto --summary --previous",
      "cl-pareto's summary with a previous period: class moves", chart_migration },
    { "rfm", "cl-score --rfm",
      "cl-score's RFM rows: clients and revenue per segment", chart_rfm },
    { "share", "cl-share",
      "cl-share: the potential clientele and our share of the demand", chart_share },
    { "clusters", "the assignments of cl-kmeans",
      "cl-kmeans' assignments: clients on the features that separate them", chart_clusters },
    { "select", "cl-kmeans --select",
      "cl-kmeans' k-selection table: inertia and silhouette against k", chart_select },
    { "personas", "cl-kmeans --profiles",
      "cl-kmeans' profiles: each persona's z-deviation per feature", chart_personas },
    { "cohort", "cl-cohort",
      "cl-cohort: the retention heat map, cohorts down, periods across", chart_cohort },
    { "retention", "cl-cohort (or cl-cohort --summary)",
      "cl-cohort: retention curves per cohort, or its summary's mean and range",
      chart_retention },
    { "alive", "the rows of cl-clv",
      "cl-clv's rows: mean p_alive per frequency and recency", chart_alive },
    { "holdout", "the holdout table of cl-clv",
      "cl-clv's holdout table: predicted and observed purchases", chart_holdout },
    { "tracking", "cl-clv --tracking",
      "cl-clv's tracking: cumulative repeat purchases, observed and predicted", chart_tracking },
    { "value", "the rows of cl-clv",
      "cl-clv's rows (through cl-pareto for the classes): ranked by clv", chart_value },
};
const size_t plot_kind_count = sizeof plot_kinds / sizeof plot_kinds[0];

const struct plot_kind *plot_kind_find(const char *name)
{
    for (size_t i = 0; i < plot_kind_count; i++)
        if (strcmp(name, plot_kinds[i].name) == 0)
            return &plot_kinds[i];
    return NULL;
}

char *plot_kind_list(char *out, size_t size)
{
    size_t o = 0;
    out[0] = '\0';
    for (size_t i = 0; i < plot_kind_count && o < size; i++) {
        const char *sep = i == 0 ? "" : i + 1 == plot_kind_count ? " or " : ", ";
        int n = snprintf(out + o, size - o, "%s%s", sep, plot_kinds[i].name);
        if (n < 0)
            break;
        o += (size_t)n;
    }
    return out;
}

/* ====================================================================== */
/* Quoting text for gnuplot                                                */

/* Length of the UTF-8 sequence at s (1..4) and its code point, or 0 when
 * the bytes there are not valid UTF-8. */
static int utf8_decode(const unsigned char *s, uint32_t *cp)
{
    if (s[0] < 0x80) {
        *cp = s[0];
        return 1;
    }
    int n;
    uint32_t c;
    if ((s[0] & 0xE0) == 0xC0) { n = 2; c = s[0] & 0x1F; }
    else if ((s[0] & 0xF0) == 0xE0) { n = 3; c = s[0] & 0x0F; }
    else if ((s[0] & 0xF8) == 0xF0) { n = 4; c = s[0] & 0x07; }
    else return 0;
    for (int i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        c = (c << 6) | (s[i] & 0x3F);
    }
    static const uint32_t min[5] = { 0, 0, 0x80, 0x800, 0x10000 };
    if (c < min[n] || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
        return 0;
    *cp = c;
    return n;
}

char *plot_quote(const char *text, size_t max_chars, char *out, size_t out_size)
{
    /* A run of text goes in '...'; each single quote as "'" (gnuplot's
     * '' escape fails at the start of a string and on two quotes in a
     * row); the pieces joined with gnuplot's "." operator. Room kept at
     * the end: an ellipsis (3), a closing quote, the NUL. */
    const size_t tail = 3 + 1 + 1;
    if (out_size < 16) {
        if (out_size >= 3)
            strcpy(out, "''");
        else if (out_size)
            out[0] = '\0';
        return out;
    }
    size_t o = 0, chars = 0;
    int in_run = 0, pieces = 0;
    const unsigned char *s = (const unsigned char *)(text ? text : "");
    int cut = 0;
    while (*s) {
        if (max_chars && chars == max_chars) {
            cut = 1;
            break;
        }
        uint32_t cp = 0;
        int n = utf8_decode(s, &cp);
        char piece[4];
        size_t plen;
        if (n == 0) {
            piece[0] = '?';
            plen = 1;
            n = 1;
        } else if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F)
                   || cp == 0x2028 || cp == 0x2029) {
            piece[0] = ' ';
            plen = 1;
        } else {
            memcpy(piece, s, (size_t)n);
            plen = (size_t)n;
        }
        if (cp == '\'' && n == 1) {
            /* close the run, then . "'" */
            size_t need = (in_run ? 1 : 0) + (pieces ? 3 : 0) + 3;
            if (o + need + tail + 6 > out_size) {
                cut = 1;
                break;
            }
            if (in_run)
                out[o++] = '\'';
            if (pieces)
                memcpy(out + o, " . ", 3), o += 3;
            memcpy(out + o, "\"'\"", 3);
            o += 3;
            in_run = 0;
            pieces++;
        } else {
            size_t need = (in_run ? 0 : (pieces ? 4 : 1)) + plen;
            if (o + need + tail + 6 > out_size) {
                cut = 1;
                break;
            }
            if (!in_run) {
                if (pieces)
                    memcpy(out + o, " . ", 3), o += 3;
                out[o++] = '\'';
                in_run = 1;
                pieces++;
            }
            memcpy(out + o, piece, plen);
            o += plen;
        }
        s += n;
        chars++;
    }
    if (cut) {
        if (!in_run) {
            if (pieces)
                memcpy(out + o, " . ", 3), o += 3;
            out[o++] = '\'';
            in_run = 1;
            pieces++;
        }
        memcpy(out + o, ELLIPSIS, 3);
        o += 3;
    }
    if (in_run)
        out[o++] = '\'';
    if (pieces == 0) {
        out[o++] = '\'';
        out[o++] = '\'';
    }
    out[o] = '\0';
    return out;
}

/* ====================================================================== */
/* Numbers for people                                                      */

char *plot_format_number(double value, int decimals, enum plot_lang lang, char *out)
{
    if (!isfinite(value)) {
        strcpy(out, "\xe2\x80\x93");   /* en dash: no value */
        return out;
    }
    if (decimals < 0)
        decimals = 0;
    if (decimals > 6)
        decimals = 6;
    char digits[48];
    if (fabs(value) >= 1e30) {
        snprintf(out, 64, "%.3g", value);
        return out;
    }
    snprintf(digits, sizeof digits, "%.*f", decimals, fabs(value));
    /* the integer part ends at the first byte that is not a digit */
    size_t int_len = strspn(digits, "0123456789");
    int zero = strspn(digits, "0.,") == strlen(digits);
    size_t o = 0;
    if (value < 0 && !zero) {
        memcpy(out, MINUS_SIGN, 3);
        o = 3;
    }
    const char *group = lang == PLOT_FR ? NARROW_NBSP : ",";
    for (size_t i = 0; i < int_len; i++) {
        if (i > 0 && (int_len - i) % 3 == 0) {
            size_t g = strlen(group);
            memcpy(out + o, group, g);
            o += g;
        }
        out[o++] = digits[i];
    }
    if (decimals > 0) {
        out[o++] = lang == PLOT_FR ? ',' : '.';
        size_t d = strlen(digits + int_len + 1);
        memcpy(out + o, digits + int_len + 1, d);
        o += d;
    }
    out[o] = '\0';
    return out;
}

char *plot_format_percent(double fraction, int decimals, enum plot_lang lang, char *out)
{
    plot_format_number(fraction * 100.0, decimals, lang, out);
    if (isfinite(fraction))
        strcat(out, lang == PLOT_FR ? NARROW_NBSP "%" : "%");
    return out;
}

/* ====================================================================== */

int plot_script(const struct table *table, const struct plot_options *options,
                char **script, struct diag *diag)
{
    *script = NULL;
    if (!options->kind)
        return diag_set(diag, "no chart kind");
    struct chart c = { 0 };
    c.o = options;
    c.t = table;
    c.text = options->format == PLOT_TEXT;
    c.mark = table->delim == ';' ? ',' : table->delim == ',' ? '.' : 0;
    double scale = fmin(options->width / 1280.0, options->height / 720.0);
    c.fs = c.text ? 14 : (int)lround(14 * (scale < 0.4 ? 0.4 : scale));
    c.rows = malloc((table->rows + 1) * sizeof *c.rows);
    if (!c.rows)
        return diag_set(diag, "out of memory");
    long where = -1;
    if (options->where_column) {
        where = chart_find_column(table, options->where_column);
        if (where < 0) {
            free(c.rows);
            return diag_set(diag, "%s: no column \"%s\" (--where)", table->name,
                            options->where_column);
        }
    }
    for (size_t r = 0; r < table->rows; r++)
        if (where < 0 || strcmp(table_cell(table, r, (size_t)where), options->where_value) == 0)
            c.rows[c.nrows++] = r;
    if (c.nrows == 0) {
        free(c.rows);
        return diag_set(diag, "%s: no rows to plot%s", table->name, where >= 0 ? " (--where kept "
                                                                                 "none)" : "");
    }
    if (c.mark == 0) {
        if (!(c.col_mark = malloc(table->columns + 1))) {
            free(c.rows);
            return diag_set(diag, "out of memory");
        }
        memset(c.col_mark, 2, table->columns + 1);
    }
    if (!(c.col_percent = calloc(table->columns + 1, 1))) {
        free(c.rows);
        free(c.col_mark);
        return diag_set(diag, "out of memory");
    }
    int rc = options->kind->build(&c, diag);
    free(c.rows);
    free(c.col_mark);
    free(c.col_percent);
    if (rc == 0 && c.sb.failed)
        rc = diag_set(diag, "%s: the chart script would pass %u MiB: too much data to draw",
                      table->name, SCRIPT_MAX >> 20);
    if (rc != 0) {
        free(c.sb.data);
        return -1;
    }
    *script = c.sb.data;
    return 0;
}

/* ====================================================================== */
/* Running gnuplot                                                         */

static int set_cloexec(int fd)
{
    int flags = fcntl(fd, F_GETFD);
    return flags < 0 ? -1 : fcntl(fd, F_SETFD, flags | FD_CLOEXEC);
}

/* Read the whole of fp (from its start) into a new string, at most
 * MESSAGES_MAX bytes. */
static char *slurp(FILE *fp)
{
    char *text = malloc(MESSAGES_MAX + 1);
    if (!text)
        return NULL;
    size_t n = 0;
    if (fseek(fp, 0, SEEK_SET) == 0)
        n = fread(text, 1, MESSAGES_MAX, fp);
    text[n] = '\0';
    return text;
}

int plot_run(const char *program, const char *script, size_t length, int out_fd,
             char **messages, struct diag *diag)
{
    *messages = NULL;
    FILE *errors = tmpfile();
    if (!errors)
        return diag_set(diag, "cannot make a temporary file: %s", strerror(errno));
    int in[2], report[2];
    if (pipe(in) != 0) {
        fclose(errors);
        return diag_set(diag, "cannot make a pipe: %s", strerror(errno));
    }
    if (pipe(report) != 0) {
        close(in[0]); close(in[1]);
        fclose(errors);
        return diag_set(diag, "cannot make a pipe: %s", strerror(errno));
    }
    set_cloexec(in[1]);
    set_cloexec(report[0]);
    set_cloexec(report[1]);
    char *program_copy = strdup(program);   /* execvp wants it writable */
    /* One locale for gnuplot whatever the caller's: UTF-8 text (the text
     * preview counts characters), the C rules otherwise (the script sets
     * the decimal sign itself). The caller's environment, LC_ALL apart. */
    size_t nenv = 0;
    while (environ[nenv])
        nenv++;
    char **child_env = malloc((nenv + 2) * sizeof *child_env);
    if (child_env) {
        size_t o = 0;
        static char locale[] = "LC_ALL=C.UTF-8";
        child_env[o++] = locale;
        for (size_t i = 0; i < nenv; i++)
            if (strncmp(environ[i], "LC_ALL=", 7) != 0)
                child_env[o++] = environ[i];
        child_env[o] = NULL;
    }
    pid_t pid = program_copy && child_env ? fork() : -1;
    if (pid < 0) {
        int e = program_copy && child_env ? errno : ENOMEM;
        free(child_env);
        free(program_copy);
        close(in[0]); close(in[1]); close(report[0]); close(report[1]);
        fclose(errors);
        return diag_set(diag, "cannot start %s: %s", program, strerror(e));
    }
    if (pid == 0) {
        /* the child: stdin the script, stdout the chart, stderr collected */
        if (dup2(in[0], 0) < 0 || dup2(out_fd, 1) < 0 || dup2(fileno(errors), 2) < 0)
            _exit(126);
        close(in[0]);
        environ = child_env;    /* made before fork: nothing to allocate here */
        char flag[] = "--default-settings";
        char *const argv[] = { program_copy, flag, NULL };
        execvp(program_copy, argv);
        int e = errno;
        ssize_t w = write(report[1], &e, sizeof e);
        (void)w;
        _exit(127);
    }
    free(program_copy);
    free(child_env);
    close(in[0]);
    close(report[1]);
    int exec_errno = 0;
    ssize_t got;
    do
        got = read(report[0], &exec_errno, sizeof exec_errno);
    while (got < 0 && errno == EINTR);
    close(report[0]);

    /* Feed the script. A gnuplot that stops early closes the pipe: keep
     * SIGPIPE from killing us, and clear it if it came. */
    sigset_t pipe_set, old_set;
    sigemptyset(&pipe_set);
    sigaddset(&pipe_set, SIGPIPE);
    sigprocmask(SIG_BLOCK, &pipe_set, &old_set);
    int write_errno = 0;
    if (got <= 0) {
        size_t done = 0;
        while (done < length) {
            ssize_t w = write(in[1], script + done, length - done);
            if (w < 0) {
                if (errno == EINTR)
                    continue;
                write_errno = errno;
                break;
            }
            done += (size_t)w;
        }
    }
    close(in[1]);
    sigset_t pending;
    if (sigpending(&pending) == 0 && sigismember(&pending, SIGPIPE)) {
        struct timespec zero = { 0, 0 };
        sigtimedwait(&pipe_set, NULL, &zero);
    }
    sigprocmask(SIG_SETMASK, &old_set, NULL);

    int status = 0;
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR) {
            status = -1;
            break;
        }
    *messages = slurp(errors);
    fclose(errors);
    if (!*messages)
        return diag_set(diag, "out of memory");
    if (got > 0)
        return diag_set(diag, "cannot run %s: %s (install the Debian package gnuplot-nox, "
                        "or set GNUPLOT to the gnuplot program)", program, strerror(exec_errno));
    if (status == -1)
        return diag_set(diag, "lost track of %s: %s", program, strerror(errno));
    if (WIFSIGNALED(status))
        return diag_set(diag, "%s was killed by signal %d", program, WTERMSIG(status));
    if (WEXITSTATUS(status) != 0)
        return diag_set(diag, "%s failed (exit status %d)", program, WEXITSTATUS(status));
    if (write_errno)
        return diag_set(diag, "cannot send the script to %s: %s", program, strerror(write_errno));
    return 0;
}

int plot_output_complete(int fd, enum plot_format format, struct diag *diag)
{
    char tail[64];
    off_t size = lseek(fd, 0, SEEK_END);
    if (format != PLOT_PNG && format != PLOT_SVG && format != PLOT_PDF)
        return 0;
    if (size <= 0)
        return diag_set(diag, "gnuplot wrote nothing (a full disk?)");
    size_t want = size < (off_t)sizeof tail ? (size_t)size : sizeof tail;
    ssize_t got = pread(fd, tail, want, size - (off_t)want);
    if (got != (ssize_t)want)
        return diag_set(diag, "cannot read the chart back: %s", strerror(errno));
    int complete;
    if (format == PLOT_PNG) {
        static const char iend[] = "\0\0\0\0IEND\xAE\x42\x60\x82";
        complete = want >= 12 && memcmp(tail + want - 12, iend, 12) == 0;
    } else {
        const char *mark = format == PLOT_SVG ? "</svg>" : "%%EOF";
        size_t n = strlen(mark);
        complete = 0;
        for (size_t i = 0; i + n <= want; i++)
            if (memcmp(tail + i, mark, n) == 0)
                complete = 1;
    }
    return complete ? 0 : diag_set(diag, "the chart was cut short (a full disk, or a file "
                                          "size limit?)");
}

/* ====================================================================== */
/* SVG fixes                                                               */

/* One line of gnuplot's SVG with its fonts, ids and tooltips fixed. */
static void svg_line(const char *line, FILE *out, unsigned *plots)
{
    static const char family[] = "font-family=\"";
    static const char plot_id[] = "id=\"gnuplot_plot_";
    static const char tooltip[] = "<title>gnuplot_plot_";
    const char *p = line;
    for (;;) {
        const char *f = strstr(p, family), *i = strstr(p, plot_id), *t = strstr(p, tooltip);
        const char *at = f;
        if (!at || (i && i < at))
            at = i;
        if (!at || (t && t < at))
            at = t;
        if (!at)
            break;
        fwrite(p, 1, (size_t)(at - p), out);
        if (at == t) {             /* "gnuplot_plot_1a" tells a reader nothing */
            const char *end = strstr(at, "</title>");
            if (!end) {
                fputs(at, out);
                return;
            }
            p = end + strlen("</title>");
        } else if (at == i) {      /* multiplot numbers each panel's plots anew */
            const char *end = strchr(at + sizeof plot_id - 1, '"');
            if (!end) {
                fputs(at, out);
                return;
            }
            fprintf(out, "id=\"gnuplot_plot_%u\"", ++*plots);
            p = end + 1;
        } else {                   /* "DejaVu Sans:Bold": the family, then the styles */
            const char *value = at + sizeof family - 1;
            const char *end = strchr(value, '"');
            if (!end) {
                fputs(at, out);
                return;
            }
            const char *colon = memchr(value, ':', (size_t)(end - value));
            fwrite(at, 1, (size_t)((colon ? colon : end) - at), out);
            fputc('"', out);
            if (colon) {
                size_t n = (size_t)(end - colon);
                int bold = 0, italic = 0;
                for (size_t k = 0; k + 4 <= n; k++) {
                    bold |= strncmp(colon + k, "Bold", 4) == 0;
                    italic |= k + 6 <= n && strncmp(colon + k, "Italic", 6) == 0;
                }
                if (bold)
                    fputs(" font-weight=\"bold\"", out);
                if (italic)
                    fputs(" font-style=\"italic\"", out);
            }
            p = end + 1;
        }
    }
    fputs(p, out);
}

int plot_svg_fix(FILE *in, FILE *out, struct diag *diag)
{
    char *line = NULL;
    size_t cap = 0;
    unsigned plots = 0;
    errno = 0;
    while (getline(&line, &cap, in) > 0)
        svg_line(line, out, &plots);
    int read_error = ferror(in);
    free(line);
    if (read_error)
        return diag_set(diag, "cannot read the chart back: %s", strerror(errno));
    return 0;
}
