/* plot.c — what every chart needs and no kind knows about: quoting text
 * for gnuplot, numbers for people, and the gnuplot process (its output
 * checked, its SVG fixed). The script is plot_chart.c's (plot_script), the
 * kinds plot_kinds.c's (plot_kinds[]). */
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

#include "utf8.h"

extern char **environ;

#define MESSAGES_MAX (64u << 10)    /* bytes of gnuplot's stderr kept */

/* ====================================================================== */
/* Quoting text for gnuplot                                                */

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
        int n = utf8_decode(s, SIZE_MAX, &cp);   /* NUL-terminated: see utf8.h */
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

/* gnuplot names the file of a message's line ("/dev/fd/5" line 3: ...):
 * a name of ours, not the user's; dropped in place. */
static void drop_file_name(char *text, const char *name)
{
    char quoted[40];
    int n = snprintf(quoted, sizeof quoted, "\"%s\" ", name);
    if (n <= 0 || (size_t)n >= sizeof quoted)
        return;
    char *o = text;
    for (const char *p = text; *p;) {
        if (strncmp(p, quoted, (size_t)n) == 0) {
            p += n;
            continue;
        }
        *o++ = *p++;
    }
    *o = '\0';
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
    /* The script goes to gnuplot as a file to load, /dev/fd/N on the pipe,
     * not on its standard input: gnuplot reads its standard input one byte
     * a read(2) (653,549 reads for the 653 KB of a Pareto chart: 0.96 CPU
     * s, against 0.05 s for the same script as a file). Without /dev/fd,
     * the standard input as before. */
    char script_arg[32] = "";
    int script_fd = in[0];
    if (access("/dev/fd/0", F_OK) == 0) {
        if (script_fd <= 2)
            script_fd = fcntl(in[0], F_DUPFD, 3);   /* kept clear of 0, 1, 2 */
        if (script_fd > 2)
            snprintf(script_arg, sizeof script_arg, "/dev/fd/%d", script_fd);
        else
            script_fd = in[0];
    }
    pid_t pid = program_copy && child_env ? fork() : -1;
    if (pid < 0) {
        int e = program_copy && child_env ? errno : ENOMEM;
        free(child_env);
        free(program_copy);
        if (script_fd != in[0])
            close(script_fd);
        close(in[0]); close(in[1]); close(report[0]); close(report[1]);
        fclose(errors);
        return diag_set(diag, "cannot start %s: %s", program, strerror(e));
    }
    if (pid == 0) {
        /* the child: the script on /dev/fd/N (else stdin), stdout the
         * chart, stderr collected; stdin nothing when it is not the script */
        int in_fd = *script_arg ? open("/dev/null", O_RDONLY) : in[0];
        if (in_fd < 0 || dup2(in_fd, 0) < 0 || dup2(out_fd, 1) < 0
            || dup2(fileno(errors), 2) < 0)
            _exit(126);
        if (!*script_arg)
            close(in[0]);
        environ = child_env;    /* made before fork: nothing to allocate here */
        char flag[] = "--default-settings";
        char *const argv[] = { program_copy, flag, *script_arg ? script_arg : NULL, NULL };
        execvp(program_copy, argv);
        int e = errno;
        ssize_t w = write(report[1], &e, sizeof e);
        (void)w;
        _exit(127);
    }
    free(program_copy);
    free(child_env);
    if (script_fd != in[0])
        close(script_fd);
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
    if (*script_arg)
        drop_file_name(*messages, script_arg);
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

/* One line of gnuplot's SVG with its fonts, ids and tooltips fixed. A
 * plot's group opens on a line of its own, with its tooltip: a <title>
 * after a plot id on the line is that tooltip ("gnuplot_plot_1a", or the
 * last tic label drawn, its line break written as a literal "\n"); the
 * document's <title>, on a line of its own, is kept. */
static void svg_line(const char *line, FILE *out, unsigned *plots)
{
    static const char family[] = "font-family=\"";
    static const char plot_id[] = "id=\"gnuplot_plot_";
    static const char title[] = "<title>";
    const char *p = line;
    int in_plot = 0;
    for (;;) {
        const char *f = strstr(p, family), *i = strstr(p, plot_id);
        const char *t = in_plot ? strstr(p, title) : NULL;
        const char *at = f;
        if (!at || (i && i < at))
            at = i;
        if (!at || (t && t < at))
            at = t;
        if (!at)
            break;
        fwrite(p, 1, (size_t)(at - p), out);
        if (at == t) {             /* a plot's tooltip tells a reader nothing */
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
            in_plot = 1;
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
