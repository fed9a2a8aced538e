/* cli — the tool side shared by every program: messages, exits, the
 * registry of output files (see cli.h), option helpers. */
#include "cli.h"

#ifndef CL_VERSION
#error "CL_VERSION is the file VERSION, given to cli.c by the Makefile"
#endif

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <sys/stat.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "columns.h"
#include "encoding.h"
#include "table.h"

static const char *program_name = "clientele";

/* ---- the registry of output files ---------------------------------------- */

#define OUTPUTS_MAX 8
enum output_kind {
    OUT_STDOUT,                 /* standard output ("-") */
    OUT_STREAM,                 /* written straight through (device, FIFO, dup) */
    OUT_ATOMIC,                 /* a temporary renamed over the target */
};
struct output {
    enum output_kind kind;
    char *name;                 /* as given, for messages */
    char *target;               /* the file replaced: symlinks followed */
    char tmp[PATH_MAX + 32];    /* the temporary (OUT_ATOMIC) */
    volatile sig_atomic_t tmp_active;   /* tmp exists and is ours to remove */
    FILE *fp;
    int regular;                /* the target is a regular file, or new */
    int exists;                 /* the target exists: dev and ino are set */
    dev_t dev;
    ino_t ino;
    mode_t mode;                /* permission bits given at the commit */
    char *buffer;               /* fp's buffer (big_buffer), kept past fclose */
};
static struct output outputs[OUTPUTS_MAX];
static volatile sig_atomic_t output_count;

struct input {
    const char *name;
    int known;                  /* stat worked: dev and ino are set */
    dev_t dev;
    ino_t ino;
};
static struct input *inputs;
static size_t input_count;

static void remove_tmps(void)
{
    for (int i = 0; i < output_count; i++)
        if (outputs[i].tmp_active) {
            outputs[i].tmp_active = 0;
            unlink(outputs[i].tmp);
        }
}

static void on_signal(int sig)
{
    for (int i = 0; i < output_count; i++)
        if (outputs[i].tmp_active)
            unlink(outputs[i].tmp);     /* async-signal-safe */
    signal(sig, SIG_DFL);
    raise(sig);
}

void cli_init(const char *program)
{
    const char *slash = strrchr(program, '/');
    program_name = slash ? slash + 1 : program;
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
    sigaction(SIGPIPE, &sa, NULL);  /* dies of SIGPIPE all the same, temporaries gone */
    atexit(remove_tmps);            /* a path that forgot to commit leaves nothing */
    encoding_set_input_rule(NULL, cli_say_encoding);
}

void cli_set_encoding(const char *name)
{
    if (!encoding_known(name))
        cli_usage("--encoding: \"%s\" is not an encoding iconv knows (iconv -l lists them)",
                  name);
    encoding_set_input_rule(name, cli_say_encoding);
}

void cli_say_encoding(const char *name, const struct encoding_result *enc)
{
    if (enc->guessed && enc->looks_mac_roman)
        cli_warn("%s: not UTF-8 (line %ld: \"%s\"): read as Windows-1252, but its bytes "
                 "look like Mac Roman: give --encoding MACINTOSH if it is",
                 name, enc->first_bad_line, enc->first_bad);
    else if (enc->guessed)
        cli_warn("%s: not UTF-8 (line %ld: \"%s\"): read as Windows-1252; if it is "
                 "another encoding, give --encoding NAME (MACINTOSH, ISO-8859-15, CP850...)",
                 name, enc->first_bad_line, enc->first_bad);
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
    if (cli_is_quiet())
        return;             /* --quiet: errors only */
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
    remove_tmps();
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
    remove_tmps();
    exit(EXIT_USAGE);
}

const char *cli_version_string(void)
{
    return CL_VERSION;
}

void cli_version(void)
{
    printf("%s (clientele) %s\n", program_name, CL_VERSION);
    exit(0);
}

/* The descriptor that /dev/stdout, /dev/stderr, /dev/fd/N or
 * /proc/self/fd/N names, or -1 for any other name. */
static int std_descriptor(const char *path)
{
    if (strcmp(path, "/dev/stdout") == 0)
        return STDOUT_FILENO;
    if (strcmp(path, "/dev/stderr") == 0)
        return STDERR_FILENO;
    const char *digits = NULL;
    if (strncmp(path, "/dev/fd/", 8) == 0)
        digits = path + 8;
    else if (strncmp(path, "/proc/self/fd/", 14) == 0)
        digits = path + 14;
    if (!digits || !*digits || strspn(digits, "0123456789") != strlen(digits) ||
        strlen(digits) > 6)
        return -1;
    return atoi(digits);
}

/* PATH with its symlinks followed, as far as they go (the last one may
 * name a file that does not exist yet), stopping at a /dev/std* name.
 * @return a malloc'd path, or NULL with errno set. */
static char *follow_links(const char *path)
{
    char *cur = strdup(path);
    for (int hops = 0; cur; hops++) {
        struct stat st;
        if (std_descriptor(cur) >= 0 || lstat(cur, &st) != 0 || !S_ISLNK(st.st_mode))
            return cur;
        char link[PATH_MAX];
        ssize_t n = hops < 40 ? readlink(cur, link, sizeof link - 1) : -1;
        if (hops >= 40)
            errno = ELOOP;
        if (n < 0) {
            free(cur);
            return NULL;
        }
        link[n] = '\0';
        const char *slash = strrchr(cur, '/');
        size_t dir_len = link[0] == '/' || !slash ? 0 : (size_t)(slash - cur) + 1;
        char *next = malloc(dir_len + (size_t)n + 1);
        if (next) {
            memcpy(next, cur, dir_len);
            memcpy(next + dir_len, link, (size_t)n + 1);
        }
        free(cur);
        cur = next;
    }
    errno = ENOMEM;
    return NULL;
}

static int same_name(const char *a, const char *b)
{
    return strcmp(a, "-") != 0 && strcmp(a, b) == 0;
}

/* An output that would destroy an input, or another output: usage error. */
static void check_clash(const struct output *out, const struct input *in)
{
    if (!out->regular)
        return;
    if (same_name(in->name, out->name) || same_name(in->name, out->target) ||
        (in->known && out->exists && out->dev == in->dev && out->ino == in->ino))
        cli_usage("%s is an input: it cannot also be an output (nothing was written)",
                  out->kind == OUT_STDOUT ? "standard output" : out->name);
}

static void check_output_clash(const struct output *a, const struct output *b)
{
    int clash = a->kind == OUT_STDOUT ? b->kind == OUT_STDOUT
              : b->kind != OUT_STDOUT && a->regular && b->regular &&
                (strcmp(a->target, b->target) == 0 ||
                 (a->exists && b->exists && a->dev == b->dev && a->ino == b->ino));
    if (clash)
        cli_usage("%s is given as two outputs (nothing was written)",
                  a->kind == OUT_STDOUT ? "standard output" : b->name);
}

void cli_input(const char *path)
{
    struct input in = { .name = path };
    struct stat st;
    if (strcmp(path, "-") == 0) {
        if (isatty(STDIN_FILENO))
            cli_usage("no input file given, and standard input is a terminal");
        in.known = fstat(STDIN_FILENO, &st) == 0;
    } else {
        in.known = stat(path, &st) == 0;
    }
    if (in.known) {
        in.dev = st.st_dev;
        in.ino = st.st_ino;
    }
    for (int i = 0; i < output_count; i++)
        check_clash(&outputs[i], &in);
    struct input *grown = realloc(inputs, (input_count + 1) * sizeof *inputs);
    if (!grown)
        cli_die("out of memory");
    inputs = grown;
    inputs[input_count++] = in;
}

/* A file's buffer, set before its first byte: stdio's is the file system's
 * block (4 KiB), a write call for every 4 KiB of output (68,630 of them for
 * the roll-up of 4.3 M clients); glibc sizes a buffer only when given one.
 * Only for a regular file: a pipe, a FIFO, a device or a terminal keeps
 * stdio's, so that a reader further down gets rows as they come, and one
 * that goes away (| head) stops the writer as early as before.
 * @return the buffer (the stream's until it is closed), or NULL: stdio's. */
#define OUTPUT_BUFFER ((size_t)256 << 10)
static char *big_buffer(FILE *fp, int fd, char *buffer)
{
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))
        return NULL;
    if (!buffer && !(buffer = malloc(OUTPUT_BUFFER)))
        return NULL;
    if (setvbuf(fp, buffer, _IOFBF, OUTPUT_BUFFER) != 0)
        return NULL;    /* (stdio's buffer kept; ours unused) */
    return buffer;
}

/* Open OUT's stream: a temporary beside the target, or the target itself. */
static void open_output(struct output *out)
{
    int fd;
    int std_fd = std_descriptor(out->target);
    if (out->kind == OUT_STREAM) {
        fd = std_fd >= 0 ? dup(std_fd) : open(out->target, O_WRONLY | O_NOCTTY | O_CLOEXEC);
        if (fd < 0)
            cli_die("cannot write %s: %s", out->name, strerror(errno));
    } else {
        if (strlen(out->target) + 8 > sizeof out->tmp)
            cli_die("%s: name too long", out->name);
        snprintf(out->tmp, sizeof out->tmp, "%s.XXXXXX", out->target);
        /* no signal between the file's creation and its registration */
        sigset_t block, old;
        sigemptyset(&block);
        sigaddset(&block, SIGINT);
        sigaddset(&block, SIGTERM);
        sigaddset(&block, SIGHUP);
        sigaddset(&block, SIGPIPE);
        sigprocmask(SIG_BLOCK, &block, &old);
        fd = mkstemp(out->tmp);
        int e = errno;
        if (fd >= 0)
            out->tmp_active = 1;
        sigprocmask(SIG_SETMASK, &old, NULL);
        if (fd < 0)
            cli_die("cannot write %s: %s", out->name, strerror(e));
    }
    out->fp = fdopen(fd, "w");
    if (!out->fp) {
        int e = errno;
        close(fd);
        cli_die("cannot write %s: %s", out->name, strerror(e));
    }
    out->buffer = big_buffer(out->fp, fd, NULL);
}

FILE *cli_output(const char *path)
{
    if (output_count == OUTPUTS_MAX)
        cli_die("too many output files");
    struct output *out = &outputs[output_count];
    memset(out, 0, sizeof *out);
    if (path == NULL || strcmp(path, "-") == 0) {
        out->kind = OUT_STDOUT;
        static char dash[] = "-";
        out->name = out->target = dash;
        out->fp = stdout;
        static char stdout_buffer[OUTPUT_BUFFER];
        static int stdout_buffered;     /* setvbuf only before the first byte */
        if (!stdout_buffered++)
            (void)big_buffer(stdout, STDOUT_FILENO, stdout_buffer);
        struct stat st;     /* "cl-rollup sales.csv >> sales.csv" would read its own rows */
        if (fstat(STDOUT_FILENO, &st) == 0 && S_ISREG(st.st_mode)) {
            out->regular = out->exists = 1;
            out->dev = st.st_dev;
            out->ino = st.st_ino;
        }
    } else {
        out->name = strdup(path);
        out->target = follow_links(path);
        if (!out->name || !out->target)
            cli_die("cannot write %s: %s", path, strerror(errno));
        struct stat st;
        int std_fd = std_descriptor(out->target);
        int exists = std_fd >= 0 ? fstat(std_fd, &st) == 0 : stat(out->target, &st) == 0;
        if (!exists && (std_fd >= 0 || errno != ENOENT))
            cli_die("cannot write %s: %s", path, strerror(errno));
        if (exists && S_ISDIR(st.st_mode))
            cli_die("cannot write %s: it is a folder", path);
        out->kind = std_fd >= 0 || (exists && !S_ISREG(st.st_mode)) ? OUT_STREAM : OUT_ATOMIC;
        out->exists = exists;
        if (exists) {
            out->regular = S_ISREG(st.st_mode);
            out->dev = st.st_dev;
            out->ino = st.st_ino;
            out->mode = st.st_mode & 07777;
        } else {
            out->regular = 1;   /* a new file: a name clash is still a clash */
            mode_t mask = umask(0);
            umask(mask);
            out->mode = 0666 & ~mask;
        }
    }
    for (size_t i = 0; i < input_count; i++)
        check_clash(out, &inputs[i]);
    for (int i = 0; i < output_count; i++)
        check_output_clash(out, &outputs[i]);
    if (out->kind != OUT_STDOUT)
        open_output(out);
    output_count++;
    return out->fp;
}

int cli_output_replaces(FILE *fp)
{
    for (int i = 0; i < output_count; i++)
        if (outputs[i].fp == fp)
            return outputs[i].kind == OUT_ATOMIC;
    return 0;
}

/* datamash's close_stdout: a write error (full disk) must not pass. */
static void close_stdout(void)
{
    if (fflush(stdout) != 0 || ferror(stdout) || fclose(stdout) != 0) {
        if (errno == EPIPE) {
            remove_tmps();
            exit(EXIT_DATA);    /* the reader went away: quietly */
        }
        cli_die("write error: %s", strerror(errno));
    }
}

void cli_output_commit(void)
{
    int stdout_done = 0;
    /* first every write checked, while nothing is in place yet */
    for (int i = 0; i < output_count; i++) {
        struct output *out = &outputs[i];
        if (out->kind == OUT_STDOUT) {
            if (!stdout_done)
                close_stdout();
            stdout_done = 1;
            continue;
        }
        int fd = fileno(out->fp);
        int bad = fflush(out->fp) != 0 || ferror(out->fp) ||
                  (out->kind == OUT_ATOMIC && (fchmod(fd, out->mode) != 0 || fsync(fd) != 0));
        int e = errno;
        if (fclose(out->fp) != 0 && !bad) {
            bad = 1;
            e = errno;
        }
        out->fp = NULL;
        free(out->buffer);      /* (a program may write several files in turn) */
        out->buffer = NULL;
        if (bad) {
            if (e == EPIPE) {
                remove_tmps();
                exit(EXIT_DATA);
            }
            cli_die("cannot write %s: %s", out->name, strerror(e));
        }
    }
    if (!stdout_done && output_count == 0)
        close_stdout();
    /* then each into place */
    for (int i = 0; i < output_count; i++) {
        struct output *out = &outputs[i];
        if (out->kind != OUT_ATOMIC)
            continue;
        if (rename(out->tmp, out->target) != 0)
            cli_die("cannot rename %s to %s: %s", out->tmp, out->target, strerror(errno));
        out->tmp_active = 0;
    }
    for (int i = 0; i < output_count; i++)
        if (outputs[i].kind != OUT_STDOUT) {
            free(outputs[i].name);
            free(outputs[i].target);
        }
    output_count = 0;
    free(inputs);
    inputs = NULL;
    input_count = 0;
}

/* Close every output and remove its temporary; with remove_old, the file
 * a replacing output would have replaced too (its target: links followed,
 * as cli_output wrote through them). */
static void drop_outputs(int remove_old)
{
    char failed[PATH_MAX + 256] = "";      /* the first old file that would not go */
    for (int i = 0; i < output_count; i++) {
        struct output *out = &outputs[i];
        if (out->kind == OUT_STDOUT)
            continue;
        fclose(out->fp);
        out->fp = NULL;
        free(out->buffer);
        out->buffer = NULL;
        if (out->tmp_active) {
            out->tmp_active = 0;
            unlink(out->tmp);
        }
        struct stat st;
        if (remove_old && out->kind == OUT_ATOMIC && lstat(out->target, &st) == 0 &&
            S_ISREG(st.st_mode) && unlink(out->target) != 0 && !failed[0])
            snprintf(failed, sizeof failed, "%s: %s", out->target, strerror(errno));
        free(out->name);
        free(out->target);
    }
    output_count = 0;
    free(inputs);
    inputs = NULL;
    input_count = 0;
    if (failed[0])      /* every output dropped first, every old file tried */
        cli_die("cannot remove %s", failed);
}

void cli_output_drop(void)
{
    drop_outputs(0);
}

void cli_output_drop_old(void)
{
    drop_outputs(1);
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
    return cli_parse_delim_of("-d", arg);
}

char cli_parse_delim_of(const char *option, const char *arg)
{
    if (strcmp(arg, "tab") == 0 || strcmp(arg, "\\t") == 0 || strcmp(arg, "\t") == 0)
        return '\t';
    if (strcmp(arg, ",") == 0 || strcmp(arg, "comma") == 0)
        return ',';
    if (strcmp(arg, ";") == 0 || strcmp(arg, "semicolon") == 0)
        return ';';
    if (strcmp(arg, "|") == 0 || strcmp(arg, "pipe") == 0)
        return '|';
    cli_usage("%s: \"%s\" is not a delimiter: , ; | or tab", option, arg);
}

const char *cli_one_input(int argc, char *const *argv)
{
    if (argc - optind > 1)
        cli_usage("one input file at most (\"%s\" is extra)", argv[optind + 1]);
    const char *path = optind < argc ? argv[optind] : "-";
    cli_input(path);
    return path;
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

void cli_left_out(struct cli_left_out *left_out, const char *file, long line,
                  const char *problem)
{
    if (left_out->strict)
        cli_die("%s:%ld: %s", file, line, problem);
    if (++left_out->count <= CLI_LEFT_OUT_SHOWN)
        cli_warn("%s:%ld: %s (row left out)", file, line, problem);
}

void cli_left_out_done(const struct cli_left_out *left_out, const char *file, size_t rows)
{
    if (left_out->count > 0)
        cli_warn("%s: %zu row%s left out of %zu (--strict makes this an error)", file,
                 left_out->count, left_out->count == 1 ? "" : "s", rows);
}

long cli_column(const struct table *t, const char *name, const char *role)
{
    struct diag diag;
    long col = columns_find((const char *const *)t->header, t->columns, name, NULL, role, 1,
                            t->name, &diag);
    if (col < 0)
        cli_die_diag(&diag);
    return col;
}
