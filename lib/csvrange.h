/* csvrange — a regular file's records read in parallel: its bytes cut at
 * line ends into one range per thread, each range read into the caller's
 * buffer and cut into records by the lean scanner (scan.h) on a thread of
 * its own.
 *
 * A cut may fall inside a quoted field (a line end within quotes): then
 * the range before it does not end exactly at the cut, and the read
 * fails. It fails too on anything the scanner does not take (a stray
 * quote, invalid UTF-8, a lone CR...) or when a caller's function says
 * stop; the caller then reads the file in sequence (csvin), which gives
 * the records and the messages (file, line, problem) the sequential
 * reader always gives. So the result of a successful read never depends
 * on the number of threads, and a failed one is only time lost.
 *
 * Layer: csv. Includes scan.h. */
#ifndef CL_CSVRANGE_H
#define CL_CSVRANGE_H

#include <stddef.h>

#include "scan.h"

/* How many times byte is in [p, p + len) (line ends, quotes). */
long long csvrange_count(const char *p, size_t len, char byte);

/* How many times a is in [p, p + len), and b into *b_count (NULL: a only),
 * in one pass over the bytes. */
long long csvrange_count_two(const char *p, size_t len, char a, char b, long long *b_count);
/* The same without the AVX2 path (for the tests). */
long long csvrange_count_two_generic(const char *p, size_t len, char a, char b,
                                     long long *b_count);

/* Just past the first line end in [at, limit) of fd, or -1 (none, or a
 * read error). */
long long csvrange_line_end(int fd, long long at, long long limit);

/* The physical line of the byte at offset in fd: 1 + the line ends
 * before it (as many as could be read), a line end being LF, CRLF or a
 * lone CR, as csvin counts them. */
long csvrange_line_at(int fd, long long offset);

/* Cut bytes [data, size) of fd into n ranges at line ends: range i is
 * [ends[i - 1], ends[i]) (the first starts at data), ends[n - 1] = size;
 * each tentative cut, at an even share of the bytes, is moved to just past
 * the next line end (a range may be empty). */
void csvrange_cut(int fd, long long data, long long size, long n, long long *ends);

/* Threads for reading `bytes`: `requested` when not 0 (at most 64), else
 * the processors online, with at least 8 MiB for each. */
long csvrange_threads(long long bytes, long requested);

/* One range of a read: its place in the file and in the buffer, and what
 * the reader learnt of it. */
struct csvrange_part {
    long long start, end;       /* its bytes in the file: [start, end) */
    long long lines;            /* line ends in it (counted before any record is read) */
    long first_line;            /* the physical line of its first byte */
    void *sink;                 /* the caller's, for this range */
};

/* Called once, on one thread, when every range is in the buffer and its
 * line ends counted (first_line set), before any record is read: the
 * caller sizes what the records go to. @return 0, or -1: the read fails. */
typedef int (*csvrange_prepare_fn)(void *ctx, struct csvrange_part *parts, long n);

/* Called for each record of a range, in file order within the range, on
 * the range's thread: its fields (quoted ones unescaped in rec's scratch
 * area, the others into the buffer), its bytes `record` (blank lines
 * before it left out; line end included: `len` bytes), its first physical
 * line. The caller may write over the record's bytes. @return 0, or -1:
 * stop, the read fails. */
typedef int (*csvrange_record_fn)(struct csvrange_part *part, const struct scan_record *rec,
                                  char *record, size_t len, long line);

/* Read bytes [data, size) of fd (a regular file) into buf (the caller's,
 * size - data bytes at least) in n ranges (1 to 64, csvrange_cut), one
 * thread each; first_line is the physical line at data. parts[i].sink are
 * the caller's; the rest of parts is filled here.
 * @return 1 every range read, each to exactly its end; 0 not (see above:
 *         the caller reads in sequence). */
int csvrange_read(int fd, long long data, long long size, long first_line, char *buf,
                  char delim, long n, struct csvrange_part *parts,
                  csvrange_prepare_fn prepare, void *ctx, csvrange_record_fn record);

#endif
