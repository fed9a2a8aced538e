/* encoding — the bytes of an input file as UTF-8, whatever a spreadsheet
 * saved them in.
 *
 * With an encoding named (any name glibc's iconv knows), the file is
 * transcoded. Without one: a UTF-16 byte order mark decides (Excel's
 * "Unicode text"); a file that is valid UTF-8 is read as it is; anything
 * else is read as Windows-1252 (Excel's plain "CSV" on a Western Windows),
 * and the result says so, with the first line that was not UTF-8, so that
 * the tool can tell the user. A transcoded input is written to an unlinked
 * temporary file (TMPDIR), so that the reader sees a regular file; standard
 * input is first copied there too, so that it can be checked whole. */
#ifndef CL_ENCODING_H
#define CL_ENCODING_H

#include "diag.h"

struct encoding_result {
    char from[64];          /* what was read: "UTF-8", "UTF-16", "WINDOWS-1252", or the
                               name given */
    int transcoded;         /* 1: the fd is a temporary UTF-8 copy */
    int guessed;            /* 1: not UTF-8, read as Windows-1252 without being told */
    long first_bad_line;    /* guessed: the physical line of the first byte not UTF-8 */
    char first_bad[96];     /* guessed: the text around it, as read (UTF-8, quoted safe) */
    int looks_mac_roman;    /* guessed: bytes such as 0x8E (é in Mac Roman, Ž in
                               Windows-1252) sit between lower-case letters */
};

/* Open path ("-" or NULL: standard input) for reading as UTF-8.
 * encoding: NULL to detect as above; "UTF-8" reads the file as it is.
 * @return a file descriptor at the start of the text (the caller closes
 *         it), or -1 with diag set ("sales.csv: ..."). */
int encoding_open(const char *path, const char *encoding, struct encoding_result *result,
                  struct diag *diag);

/* The same, but without an encoding named, a regular file whose first MiB
 * is UTF-8 is taken as UTF-8 without reading the rest first (*checked_all
 * set to 0): the reader, which checks every byte anyway, then finds a later
 * byte that is not UTF-8, and encoding_recheck gives the file again. */
int encoding_open_quick(const char *path, const char *encoding, struct encoding_result *result,
                        int *checked_all, struct diag *diag);

/* The second half of encoding_open_quick (quick) or encoding_open, on a
 * regular file already opened or copied from a pipe: fd (taken over) at
 * its start, name for messages. */
int encoding_open_copy(int fd, const char *name, const char *encoding, int quick,
                       struct encoding_result *result, int *checked_all, struct diag *diag);

/* Would encoding_open_copy with quick take this file as UTF-8 as it is,
 * from its first MiB? Decided on a file of more than 1 MiB only (else 0),
 * so that a copy still growing gives the answer the whole file gives.
 * @return 1 or 0. */
int encoding_quick_utf8(int fd);

/* An unlinked temporary file in TMPDIR (else /tmp), gone when closed.
 * @return its descriptor, or -1 with diag set. */
int encoding_temporary(struct diag *diag);

/* Detect on the whole of an open regular file (fd is left open) and give
 * it as UTF-8: a new descriptor at the start of the text, or -1 with diag
 * set. */
int encoding_recheck(int fd, const char *name, struct encoding_result *result,
                     struct diag *diag);

/* Is this name one glibc's iconv can read? @return 1 or 0. */
int encoding_known(const char *name);

/* ---- one rule for every input of a program ----------------------------
 * A program sets it once (from its --encoding option, NULL to detect), with
 * a function to tell the user what was found (the library never prints;
 * NULL: nothing is told); csvin_open then reads every file by it. */
typedef void encoding_notice_fn(const char *name, const struct encoding_result *result);
void encoding_set_input_rule(const char *encoding, encoding_notice_fn *notice);
/* The encoding set by the rule (NULL: detect). */
const char *encoding_input_name(void);
/* encoding_open by the rule, the notice called with the result ("stdin"
 * for standard input). @return as encoding_open. */
int encoding_open_input(const char *path, struct diag *diag);

#endif
