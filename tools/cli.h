/* cli — what every clientele program shares on the tool side: messages,
 * exit codes, atomic output files and the end of stdout. It is the only
 * code that prints diagnostics or exits; lib/ returns statuses.
 *
 * Exit codes: 0 success, 1 data or runtime error, 2 usage error. */
#ifndef CL_CLI_H
#define CL_CLI_H

#include <stdio.h>

#include "diag.h"

#define CL_VERSION "0.1.0"

enum { EXIT_DATA = 1, EXIT_USAGE = 2 };

/* Remember the program name, restore default SIGPIPE (a reader that goes
 * away ends us quietly) and catch SIGINT/SIGTERM/SIGHUP to remove a
 * half-written output file. */
void cli_init(const char *program);
const char *cli_program(void);

void cli_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* "program: message", exit 1 (output file removed). */
_Noreturn void cli_die(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
_Noreturn void cli_die_diag(const struct diag *diag);
/* "program: message" then "Try 'program --help'.", exit 2. */
_Noreturn void cli_usage(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* --version text on stdout, exit 0. */
_Noreturn void cli_version(void);

/* Open the output: stdout for NULL or "-", else a temporary file in the
 * same folder that cli_output_commit() renames into place. An unwritable
 * folder is an error now, before any work. */
FILE *cli_output(const char *path);
/* Flush and close the output (stdout included: write errors such as a full
 * disk are fatal), then rename the temporary file. */
void cli_output_commit(void);

/* After getopt_long returned '?' or ':' (opterr = 0, an optstring that
 * starts with ':'): one usage line naming the option, exit 2. */
_Noreturn void cli_bad_option(int c, char *const *argv);

/* Parse a -d argument: "," ";" "|" "tab" "\t" or a literal tab.
 * @return the delimiter; anything else is a usage error (exit 2). */
char cli_parse_delim(const char *arg);

/* The one input file after the options (standard input when none: "-");
 * more than one is a usage error. */
const char *cli_one_input(int argc, char *const *argv);

/* Parse a non-negative integer option in [min, max]; usage error otherwise. */
long cli_parse_long(const char *option, const char *arg, long min, long max);

/* A progress line on stderr, only when stderr is a terminal; at most a few
 * times a second. cli_progress_done() clears it. */
void cli_progress(const char *what, unsigned long long count);
void cli_progress_done(void);

#endif
