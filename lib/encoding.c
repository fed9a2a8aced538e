/* encoding — reading an input as UTF-8: detection (UTF-16 BOM, valid
 * UTF-8, else Windows-1252) and transcoding through glibc's iconv into an
 * unlinked temporary file. See encoding.h. */
#include "encoding.h"

#include <errno.h>
#include <fcntl.h>
#include <iconv.h>
#include <stdint.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "utf8.h"

#define CHUNK (1u << 16)
#define SCAN_CHUNK (1u << 20)   /* the UTF-8 check reads 1 MiB at a time */

static long long first_invalid_from(int fd, long long limit, long long from);

/* An unlinked temporary file: gone when its descriptor is closed. */
static int temporary(struct diag *diag)
{
    const char *dir = getenv("TMPDIR");
    char path[4096];
    if (!dir || !*dir)
        dir = "/tmp";
    snprintf(path, sizeof path, "%s/clientele-XXXXXX", dir);
    int fd = mkstemp(path);
    if (fd < 0)
        return diag_set(diag, "cannot create a temporary file in %s: %s", dir, strerror(errno));
    unlink(path);
    return fd;
}

static int write_all(int fd, const char *p, size_t len)
{
    while (len > 0) {
        ssize_t n = write(fd, p, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return -1;
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

static ssize_t read_some(int fd, char *buf, size_t len)
{
    ssize_t n;
    do {
        n = read(fd, buf, len);
    } while (n < 0 && errno == EINTR);
    return n;
}

/* Copy a pipe into a temporary file. @return its fd at 0, or -1. */
static int spool(int fd, const char *name, struct diag *diag)
{
    int tmp = temporary(diag);
    if (tmp < 0)
        return -1;
    char *buf = malloc(CHUNK);
    if (!buf) {
        close(tmp);
        return diag_set(diag, "out of memory");
    }
    ssize_t n;
    while ((n = read_some(fd, buf, CHUNK)) > 0)
        if (write_all(tmp, buf, (size_t)n) != 0) {
            diag_set(diag, "%s: cannot write a temporary copy: %s", name, strerror(errno));
            goto fail;
        }
    if (n < 0) {
        diag_set(diag, "%s: %s", name, strerror(errno));
        goto fail;
    }
    free(buf);
    if (lseek(tmp, 0, SEEK_SET) != 0) {
        close(tmp);
        return diag_set(diag, "%s: %s", name, strerror(errno));
    }
    return tmp;
fail:
    free(buf);
    close(tmp);
    return -1;
}

/* The offset of the first byte that is not UTF-8 among the first `limit`
 * bytes (-1: all), or -1 when they are valid; -2 on a read error. The file
 * is read SCAN_CHUNK bytes at a time into one buffer: mapping it instead
 * (16 MiB windows) cost a page fault per 64 KiB or so, four times the
 * reading's time (0.57 CPU s against 0.14 for the 719 MB clusters.csv of
 * the 5 M report, in the page cache). */
static long long first_invalid(int fd, long long limit)
{
    return first_invalid_from(fd, limit, 0);
}

/* first_invalid by reading, from the offset from (a character's start). */
static long long first_invalid_from(int fd, long long limit, long long from)
{
    unsigned char *buf = malloc(SCAN_CHUNK + 4);
    if (!buf)
        return -2;
    long long at = from;
    size_t have = 0;
    for (;;) {
        ssize_t n = pread(fd, buf + have, SCAN_CHUNK, at + (long long)have);
        if (n < 0) {
            free(buf);
            return -2;
        }
        size_t len = have + (size_t)n;
        int eof = n == 0;
        size_t i = 0;
        while (i < len) {
            i += utf8_ascii_run(buf + i, len - i);
            if (i == len)
                break;
            int k = utf8_decode(buf + i, len - i, NULL);
            if (k == 0 || (k < 0 && eof)) {
                free(buf);
                return at + (long long)i;
            }
            if (k < 0)
                break;              /* cut by the chunk: read on */
            i += (size_t)k;
        }
        if (eof || (limit >= 0 && at + (long long)len >= limit)) {
            free(buf);
            return -1;
        }
        memmove(buf, buf + i, len - i);
        at += (long long)i;
        have = len - i;
    }
}

/* Does the file hold, between two lower-case ASCII letters, a byte that
 * Mac Roman reads as a French letter (0x88 à, 0x89 â, 0x8E é, 0x99 ô) and
 * Windows-1252 as a sign never found inside a word (ˆ ‰ Ž ™)? */
static int mac_roman_signs(int fd)
{
    unsigned char buf[CHUNK];
    long long at = 0;
    ssize_t n;
    while ((n = pread(fd, buf, sizeof buf, at)) > 2) {
        for (ssize_t i = 1; i + 1 < n; i++) {
            unsigned char c = buf[i];
            if ((c == 0x88 || c == 0x89 || c == 0x8E || c == 0x99) &&
                buf[i - 1] >= 'a' && buf[i - 1] <= 'z' && buf[i + 1] >= 'a' && buf[i + 1] <= 'z')
                return 1;
        }
        at += n - 2;        /* chunks overlap by two bytes: every middle byte is seen */
    }
    return 0;
}

/* The physical line of offset, and the text around it. */
static long line_of(int fd, long long offset, long long *line_start)
{
    char buf[CHUNK];
    long line = 1;
    *line_start = 0;
    for (long long at = 0; at < offset;) {
        size_t want = offset - at < (long long)sizeof buf ? (size_t)(offset - at) : sizeof buf;
        ssize_t n = pread(fd, buf, want, at);
        if (n <= 0)
            break;
        for (ssize_t i = 0; i < n; i++)
            if (buf[i] == '\n') {
                line++;
                *line_start = at + i + 1;
            }
        at += n;
    }
    return line;
}

/* Transcode `len` bytes of `from` text into UTF-8 in out (at most
 * out_size - 1 bytes, NUL-terminated); what cannot be converted is cut. */
static void convert_snippet(const char *from, const char *in, size_t len, char *out,
                            size_t out_size)
{
    iconv_t cd = iconv_open("UTF-8", from);
    out[0] = '\0';
    if (cd == (iconv_t)-1)
        return;
    char *ip = (char *)(uintptr_t)in, *op = out;
    size_t il = len, ol = out_size - 1;
    iconv(cd, &ip, &il, &op, &ol);
    *op = '\0';
    iconv_close(cd);
}

/* Transcode the whole of fd from `from` into a temporary UTF-8 file.
 * @return its fd at 0, or -1 with diag set. */
static int transcode(int fd, const char *from, const char *name, struct diag *diag)
{
    iconv_t cd = iconv_open("UTF-8", from);
    if (cd == (iconv_t)-1)
        return diag_set(diag, "%s: unknown encoding \"%s\" (iconv -l lists the names)",
                        name, from);
    int tmp = temporary(diag);
    char *in = malloc(CHUNK + 16), *out = malloc(4 * CHUNK + 64);
    if (tmp < 0 || !in || !out) {
        if (tmp >= 0)
            close(tmp);
        free(in);
        free(out);
        iconv_close(cd);
        return tmp < 0 ? -1 : diag_set(diag, "out of memory");
    }
    size_t have = 0;
    long lines = 1;
    int rc = -1;
    for (;;) {
        ssize_t n = read_some(fd, in + have, CHUNK);
        if (n < 0) {
            diag_set(diag, "%s: %s", name, strerror(errno));
            break;
        }
        have += (size_t)n;
        char *ip = in, *op = out;
        size_t il = have, ol = 4 * CHUNK + 64;
        size_t converted = iconv(cd, &ip, &il, &op, &ol);
        int err = converted == (size_t)-1 ? errno : 0;
        for (char *p = out; p < op; p++)
            lines += *p == '\n';
        if (write_all(tmp, out, (size_t)(op - out)) != 0) {
            diag_set(diag, "%s: cannot write a temporary copy: %s", name, strerror(errno));
            break;
        }
        if (err == EILSEQ) {
            diag_set(diag, "%s:%ld: byte 0x%02X is not %s text (give --encoding NAME)",
                     name, lines, (unsigned char)*ip, from);
            break;
        }
        if (n == 0) {
            if (il > 0) {
                diag_set(diag, "%s:%ld: the file ends inside a %s character", name, lines, from);
                break;
            }
            rc = 0;
            break;
        }
        memmove(in, ip, il);        /* an incomplete character: read on */
        have = il;
    }
    free(in);
    free(out);
    iconv_close(cd);
    if (rc != 0 || lseek(tmp, 0, SEEK_SET) != 0) {
        if (rc == 0)
            diag_set(diag, "%s: %s", name, strerror(errno));
        close(tmp);
        return -1;
    }
    return tmp;
}

int encoding_known(const char *name)
{
    iconv_t cd = iconv_open("UTF-8", name);
    if (cd == (iconv_t)-1)
        return 0;
    iconv_close(cd);
    return 1;
}

static int is_utf8_name(const char *name)
{
    return strcasecmp(name, "UTF-8") == 0 || strcasecmp(name, "UTF8") == 0;
}

/* Detect the encoding of a regular file and give it as UTF-8 (see
 * encoding_open): a UTF-16 BOM, else valid UTF-8 as it is, else
 * Windows-1252; quick: look at the first MiB only. fd is closed unless it
 * is returned when own is 1; left open when own is 0 (a dup is returned). */
static int detect(int fd, int own, const char *name, int quick, struct encoding_result *result,
                  struct diag *diag)
{
    const char *from = "UTF-16";
    unsigned char bom[2];
    if (!(pread(fd, bom, 2, 0) == 2 &&
          ((bom[0] == 0xFF && bom[1] == 0xFE) || (bom[0] == 0xFE && bom[1] == 0xFF)))) {
        long long bad = first_invalid(fd, quick ? (long long)SCAN_CHUNK : -1);
        if (bad == -2) {
            diag_set(diag, "%s: %s", name, strerror(errno));
            if (own)
                close(fd);
            return -1;
        }
        if (bad < 0) {              /* valid UTF-8: read as it is */
            if (own)
                return fd;
            int copy = dup(fd);
            if (copy < 0 || lseek(copy, 0, SEEK_SET) != 0) {
                if (copy >= 0)
                    close(copy);
                return diag_set(diag, "%s: %s", name, strerror(errno));
            }
            return copy;
        }
        from = "WINDOWS-1252";
        result->guessed = 1;
        long long start;
        result->first_bad_line = line_of(fd, bad, &start);
        if (bad - start > 30)
            start = bad - 30;
        char raw[48], text[200];
        ssize_t n = pread(fd, raw, sizeof raw, start);
        size_t len = n > 0 ? (size_t)n : 0;
        for (size_t i = 0; i < len; i++)
            if (raw[i] == '\n' || raw[i] == '\r') {
                len = i;
                break;
            }
        convert_snippet(from, raw, len, text, sizeof text);
        diag_quote(text, strlen(text), result->first_bad, sizeof result->first_bad);
        result->looks_mac_roman = mac_roman_signs(fd);
    }
    snprintf(result->from, sizeof result->from, "%s", from);
    if (lseek(fd, 0, SEEK_SET) != 0) {
        diag_set(diag, "%s: %s", name, strerror(errno));
        if (own)
            close(fd);
        return -1;
    }
    int out = transcode(fd, from, name, diag);
    if (own)
        close(fd);
    if (out >= 0)
        result->transcoded = 1;
    return out;
}

static int open_text(const char *path, const char *encoding, int quick,
                     struct encoding_result *result, int *checked_all, struct diag *diag)
{
    memset(result, 0, sizeof *result);
    *checked_all = 1;
    int from_stdin = path == NULL || strcmp(path, "-") == 0;
    const char *name = from_stdin ? "stdin" : path;
    int fd = from_stdin ? 0 : open(path, O_RDONLY);
    if (fd < 0)
        return diag_set(diag, "%s: %s", path, strerror(errno));
    struct stat st;
    if (fstat(fd, &st) != 0) {
        diag_set(diag, "%s: %s", name, strerror(errno));
        if (!from_stdin)
            close(fd);
        return -1;
    }
    if (!S_ISREG(st.st_mode)) {
        int copy = spool(fd, name, diag);
        if (!from_stdin)
            close(fd);
        if (copy < 0)
            return -1;
        fd = copy;
    } else if (from_stdin) {
        int copy = dup(fd);         /* a regular file on stdin: ours to close */
        if (copy < 0)
            return diag_set(diag, "%s: %s", name, strerror(errno));
        fd = copy;
    }
    return encoding_open_copy(fd, name, encoding, quick, result, checked_all, diag);
}

int encoding_open_copy(int fd, const char *name, const char *encoding, int quick,
                       struct encoding_result *result, int *checked_all, struct diag *diag)
{
    struct stat st;
    memset(result, 0, sizeof *result);
    *checked_all = 1;
    if (fstat(fd, &st) != 0)
        st.st_size = 0;
    snprintf(result->from, sizeof result->from, "%s", encoding ? encoding : "UTF-8");
    if (encoding && is_utf8_name(encoding))
        return fd;
    if (encoding) {
        int out = transcode(fd, encoding, name, diag);
        close(fd);
        if (out >= 0)
            result->transcoded = 1;
        return out;
    }
    int out = detect(fd, 1, name, quick, result, diag);
    *checked_all = !quick || st.st_size <= (long long)SCAN_CHUNK || result->transcoded;
    return out;
}

int encoding_quick_utf8(int fd)
{
    unsigned char bom[2];
    struct stat st;
    if (fstat(fd, &st) != 0 || st.st_size <= (long long)SCAN_CHUNK + 4)
        return 0;
    if (pread(fd, bom, 2, 0) == 2 &&
        ((bom[0] == 0xFF && bom[1] == 0xFE) || (bom[0] == 0xFE && bom[1] == 0xFF)))
        return 0;
    return first_invalid(fd, (long long)SCAN_CHUNK) == -1;
}

int encoding_temporary(struct diag *diag)
{
    return temporary(diag);
}

int encoding_open(const char *path, const char *encoding, struct encoding_result *result,
                  struct diag *diag)
{
    int checked_all;
    return open_text(path, encoding, 0, result, &checked_all, diag);
}

int encoding_open_quick(const char *path, const char *encoding, struct encoding_result *result,
                        int *checked_all, struct diag *diag)
{
    return open_text(path, encoding, 1, result, checked_all, diag);
}

int encoding_recheck(int fd, const char *name, struct encoding_result *result,
                     struct diag *diag)
{
    memset(result, 0, sizeof *result);
    return detect(fd, 0, name, 0, result, diag);
}

/* ---- the rule of a whole program --------------------------------------- */

/* Set once by the program (its --encoding, and the function that tells the
 * user), read by every CSV reader it opens: one rule for all its inputs. */
static const char *input_encoding;
static encoding_notice_fn *input_notice;

void encoding_set_input_rule(const char *encoding, encoding_notice_fn *notice)
{
    input_encoding = encoding;
    input_notice = notice;
}

const char *encoding_input_name(void)
{
    return input_encoding;
}

int encoding_open_input(const char *path, struct diag *diag)
{
    struct encoding_result result;
    int fd = encoding_open(path, input_encoding, &result, diag);
    if (fd >= 0 && input_notice)
        input_notice(path == NULL || strcmp(path, "-") == 0 ? "stdin" : path, &result);
    return fd;
}
