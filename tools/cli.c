#include "cli.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <sys/stat.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static const char *program_name = "clientele";
static FILE *output_fp;
static char *output_path;                   /* the final name */
static char output_tmp[PATH_MAX + 32];      /* the temporary, or "" */
static volatile sig_atomic_t tmp_active;

static void remove_tmp(void)
{
    if (tmp_active) {
        tmp_active = 0;
        unlink(output_tmp);
    }
}

static void on_signal(int sig)
{
    if (tmp_active)
        unlink(output_tmp);     /* async-signal-safe */
    signal(sig, SIG_DFL);
    raise(sig);
}

void cli_init(const char *program)
{
    const char *slash = strrchr(program, '/');
    program_name = slash ? slash + 1 : program;
    signal(SIGPIPE, SIG_DFL);
    /* over a file size limit (ulimit -f), a write must fail with EFBIG and
     * the temporary file be removed, rather than the process be killed */
    signal(SIGXFSZ, SIG_IGN);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
}

const char *cli_program(void)
{
    return program_name;
}

/* Every message passes here, whatever went into it (header names, file
 * names, values): control bytes (C0, DEL, and C1 as UTF-8, such as U+009B
 * CSI) are written as \xNN, so that data can never drive the terminal. */
static void vmessage(const char *fmt, va_list ap)
{
    char text[4096];
    cli_progress_done();
    vsnprintf(text, sizeof text, fmt, ap);
    fprintf(stderr, "%s: ", program_name);
    for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
        if (*p < 0x20 || *p == 0x7f)
            fprintf(stderr, "\\x%02x", *p);
        else if (p[0] == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f) {
            fprintf(stderr, "\\xc2\\x%02x", p[1]);
            p++;
        } else
            fputc(*p, stderr);
    }
    fputc('\n', stderr);
}

void cli_warn(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vmessage(fmt, ap);
    va_end(ap);
}

void cli_die(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vmessage(fmt, ap);
    va_end(ap);
    remove_tmp();
    exit(EXIT_DATA);
}

void cli_die_diag(const struct diag *diag)
{
    cli_die("%s", diag->message);
}

void cli_usage(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vmessage(fmt, ap);
    va_end(ap);
    fprintf(stderr, "Try '%s --help'.\n", program_name);
    remove_tmp();
    exit(EXIT_USAGE);
}

void cli_version(void)
{
    printf("%s (clientele) %s\n", program_name, CL_VERSION);
    exit(0);
}

FILE *cli_output(const char *path)
{
    if (path == NULL || strcmp(path, "-") == 0) {
        output_fp = stdout;
        return stdout;
    }
    if (strlen(path) > PATH_MAX)
        cli_die("%s: name too long", path);
    snprintf(output_tmp, sizeof output_tmp, "%s.XXXXXX", path);
    int fd = mkstemp(output_tmp);
    if (fd < 0) {
        output_tmp[0] = '\0';
        cli_die("cannot write %s: %s", path, strerror(errno));
    }
    tmp_active = 1;
    output_fp = fdopen(fd, "w");
    if (!output_fp) {
        int e = errno;
        close(fd);
        cli_die("cannot write %s: %s", path, strerror(e));
    }
    output_path = strdup(path);
    if (!output_path)
        cli_die("out of memory");
    return output_fp;
}

void cli_output_commit(void)
{
    if (output_fp == NULL || output_fp == stdout) {
        /* datamash's close_stdout: a write error (full disk) must not pass */
        if (fflush(stdout) != 0 || ferror(stdout) || fclose(stdout) != 0) {
            if (errno == EPIPE)
                exit(EXIT_DATA);    /* the reader went away: quietly */
            cli_die("write error: %s", strerror(errno));
        }
        return;
    }
    if (fflush(output_fp) != 0 || ferror(output_fp) || fsync(fileno(output_fp)) != 0) {
        int e = errno;
        fclose(output_fp);
        cli_die("cannot write %s: %s", output_path, strerror(e));
    }
    if (fclose(output_fp) != 0)
        cli_die("cannot write %s: %s", output_path, strerror(errno));
    /* mkstemp makes 0600; a report file gets the usual mode */
    mode_t mask = umask(0);
    umask(mask);
    chmod(output_tmp, 0666 & ~mask);
    if (rename(output_tmp, output_path) != 0)
        cli_die("cannot rename %s to %s: %s", output_tmp, output_path, strerror(errno));
    tmp_active = 0;
    free(output_path);
    output_path = NULL;
    output_fp = NULL;
}

void cli_bad_option(int c, char *const *argv)
{
    const char *arg = argv[optind - 1];
    if (c == ':')
        cli_usage("option %s needs a value", arg);
    if (optopt && strncmp(arg, "--", 2) != 0)
        cli_usage("unknown option -%c", optopt);
    cli_usage("unknown option %s", arg);
}

char cli_parse_delim(const char *arg)
{
    if (strcmp(arg, "tab") == 0 || strcmp(arg, "\\t") == 0 || strcmp(arg, "\t") == 0)
        return '\t';
    if (strcmp(arg, ",") == 0 || strcmp(arg, "comma") == 0)
        return ',';
    if (strcmp(arg, ";") == 0 || strcmp(arg, "semicolon") == 0)
        return ';';
    if (strcmp(arg, "|") == 0 || strcmp(arg, "pipe") == 0)
        return '|';
    cli_usage("-d: \"%s\" is not a delimiter: , ; | or tab", arg);
}

const char *cli_one_input(int argc, char *const *argv)
{
    if (argc - optind > 1)
        cli_usage("one input file at most (\"%s\" is extra)", argv[optind + 1]);
    return optind < argc ? argv[optind] : "-";
}

long cli_parse_long(const char *option, const char *arg, long min, long max)
{
    char *end;
    errno = 0;
    long value = strtol(arg, &end, 10);
    if (errno || end == arg || *end || value < min || value > max)
        cli_usage("%s: \"%s\" is not a whole number from %ld to %ld", option, arg, min, max);
    return value;
}

static int progress_shown;
static time_t progress_last;

void cli_progress(const char *what, unsigned long long count)
{
    static int tty = -1;
    if (tty < 0)
        tty = isatty(STDERR_FILENO);
    if (!tty)
        return;
    time_t now = time(NULL);
    if (now == progress_last)
        return;
    progress_last = now;
    fprintf(stderr, "\r%s: %llu %s...", program_name, count, what);
    progress_shown = 1;
}

void cli_progress_done(void)
{
    if (progress_shown) {
        fputs("\r\033[K", stderr);
        progress_shown = 0;
    }
}
