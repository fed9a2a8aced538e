/* cli — what every clientele program shares on the tool side: messages,
 * exit codes, atomic output files and the end of stdout. It is the only
 * code that prints diagnostics or exits; lib/ returns statuses.
 *
 * Exit codes: 0 success, 1 data or runtime error, 2 usage error. */
#ifndef CL_CLI_H
#define CL_CLI_H

#include <stdio.h>

#include "diag.h"


enum { EXIT_DATA = 1, EXIT_USAGE = 2 };

/* Remember the program name, and catch SIGINT/SIGTERM/SIGHUP/SIGPIPE to
 * remove the temporary output files before dying of the same signal (a
 * reader that goes away ends us quietly). */
void cli_init(const char *program);

/* Every CSV input is read as UTF-8 by one rule (encoding.h), set here by
 * cli_init: a UTF-16 BOM decides, valid UTF-8 is UTF-8, anything else is
 * read as Windows-1252 and cli_say_encoding says so on stderr.
 * cli_set_encoding(NAME) is --encoding: every input is NAME (a name iconv
 * does not know is a usage error, exit 2). */
struct encoding_result;
void cli_set_encoding(const char *name);
/* --encoding NAME in a program's getopt_long table, one row and one case:
 *   { "encoding", required_argument, NULL, CLI_OPT_ENCODING },
 *   case CLI_OPT_ENCODING: cli_set_encoding(optarg); break;
 * (a value apart from every program's own option codes) */
enum { CLI_OPT_ENCODING = 0x1E0C };
/* The line a program writes when a file was read as Windows-1252 without
 * being told (name: the file, "stdin"); nothing otherwise. */
void cli_say_encoding(const char *name, const struct encoding_result *enc);
const char *cli_program(void);

void cli_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* "program: message", exit 1 (temporary output files removed). */
_Noreturn void cli_die(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
_Noreturn void cli_die_diag(const struct diag *diag);
/* "program: message" then "Try 'program --help'.", exit 2. */
_Noreturn void cli_usage(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Was --quiet given? (cli_opts.c keeps it; cli_warn asks.) */
int cli_is_quiet(void);

/* --version text on stdout, exit 0. */
_Noreturn void cli_version(void);

/* The suite's version (the file VERSION), e.g. "0.1.0". */
const char *cli_version_string(void);

/* Output files. Every file a program writes goes through this registry, so
 * that nothing is lost whatever happens:
 *
 * - NULL or "-" is standard output. /dev/stdout, /dev/stderr, /dev/fd/N and
 *   /proc/self/fd/N are the descriptor itself (dup), as the shell set it up.
 * - A symlink is followed: the file it names is replaced, the link stays.
 * - A regular file (or a new name) is written to a temporary made with
 *   mkstemp in the target's folder (never following a file already there),
 *   and renamed over the target by cli_output_commit(): the target is the
 *   old file or the whole new one, never a part. A replaced file keeps its
 *   permission bits; a new one gets 0666 less the umask.
 * - Anything else (character device such as /dev/null, FIFO, socket) is
 *   opened for writing as it is and written straight through: it is never
 *   removed, replaced or truncated.
 * - A folder that cannot be written is an error at once, before any work.
 * - An output that is the same file as an input (same device and inode,
 *   or the same name; standard output too, as in "FILE >> FILE"), or as
 *   another output, is a usage error (exit 2) that touches nothing.
 *   Declare inputs with cli_input(), before or after the outputs.
 * - On any error exit (cli_die, cli_usage) and on SIGINT, SIGTERM, SIGHUP
 *   or SIGPIPE every temporary is removed and no target is touched.
 *
 * At most 8 outputs per run.
 * @return the stream to write, owned by the registry (never fclose it). */
FILE *cli_output(const char *path);
/* Is fp (a cli_output stream) a file that cli_output_commit() puts in
 * place, and cli_output_drop() leaves as it was? 0 for standard output,
 * a device, a FIFO, and a descriptor named as a file (/dev/stdout,
 * /dev/fd/N), which are written straight through. */
int cli_output_replaces(FILE *fp);
/* Flush, check and close every output (standard output included: a write
 * error such as a full disk is fatal, a reader gone away ends us quietly),
 * then, only when all were written, rename every temporary into place, one
 * after the other (each rename is atomic; the set is not: a rename failing
 * midway, which a same-folder rename hardly does, leaves the ones before). */
void cli_output_commit(void);
/* Close every output file and remove its temporary: no target is touched
 * (for an output that turned out not to be needed; standard output is
 * left as it is). */
void cli_output_drop(void);
/* cli_output_drop, and the old file each replacing output would have
 * replaced removed, where there is one: its target, the symlinks followed
 * as for the writing (the file a link names goes, the link stays), for an
 * output whose absence says something (cl-page --copy --if-changed: no
 * copy, so no old one left). Outputs written straight through are left as
 * they are. A file that cannot be removed is an error (cli_die). */
void cli_output_drop_old(void);
/* Declare an input file ("-": standard input, which must not be a
 * terminal: a forgotten file name is a usage error rather than a wait).
 * cli_one_input() declares its own. */
void cli_input(const char *path);

/* After getopt_long returned '?' or ':' (opterr = 0, an optstring that
 * starts with ':'): one usage line naming the option, exit 2. */
_Noreturn void cli_bad_option(int c, char *const *argv);

/* Parse a -d argument: "," ";" "|" "tab" "\t" or a literal tab.
 * @return the delimiter; anything else is a usage error (exit 2). */
char cli_parse_delim(const char *arg);
/* The same for another OPTION (named in the message). */
char cli_parse_delim_of(const char *option, const char *arg);

/* The one input file after the options (standard input when none: "-"),
 * declared with cli_input(); more than one is a usage error. */
const char *cli_one_input(int argc, char *const *argv);

/* Parse a non-negative integer option in [min, max]; usage error otherwise. */
long cli_parse_long(const char *option, const char *arg, long min, long max);

/* A progress line on stderr, only when stderr is a terminal; at most a few
 * times a second. cli_progress_done() clears it. */
void cli_progress(const char *what, unsigned long long count);
void cli_progress_done(void);

/* Rows a program cannot use (a value that is not a number, an empty key):
 * each left out with a warning "file:line: problem (row left out)", the
 * first CLI_LEFT_OUT_SHOWN of them, or the first one an error (exit 1)
 * under --strict; cli_left_out_done warns how many were left out. */
#define CLI_LEFT_OUT_SHOWN 10
struct cli_left_out {
    int strict;         /* --strict: the first row left out is an error */
    size_t count;       /* rows left out so far */
};
void cli_left_out(struct cli_left_out *left_out, const char *file, long line,
                  const char *problem);
void cli_left_out_done(const struct cli_left_out *left_out, const char *file, size_t rows);

/* The column of table t named NAME for ROLE (columns_find: a missing
 * column is an error naming the file, the role and the columns there).
 * @return its index; dies (exit 1) when there is none. */
struct table;
long cli_column(const struct table *t, const char *name, const char *role);

#endif
