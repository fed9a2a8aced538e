/* salesread_decide — the decisions salesread takes on the whole rest of a
 * regular file before or while reading it: the order of slash dates, the
 * decimal mark of a column whose first values do not tell. */
#include "salesread_core.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- the rest of a regular file, record by record --------------------- */

/* What the two whole-column decisions (date order, decimal marks) read:
 * the records after the reader's position, through the lean scanner, the
 * file left where it was (pread). */
struct rest {
    int fd;
    char delim;
    char *buf;
    long long read_to, size;
    size_t have, off;
    struct scan_record rec;
};

/* @return 0, or -1: not a regular file, or no memory (nothing to read). */
static int rest_open(struct rest *r, csvin *in)
{
    struct stat st;
    memset(r, 0, sizeof *r);
    r->fd = csvin_fd(in);
    r->delim = csvin_delim(in);
    if (fstat(r->fd, &st) != 0 || !S_ISREG(st.st_mode) || !(r->buf = malloc(WORK_BUFFER)))
        return -1;
    r->read_to = csvin_offset(in);
    r->size = st.st_size;
    return 0;
}

/* The next record in r->rec; *raw and *len its bytes (blank lines before
 * it included). @return 1, or 0 at the end or at a record the reader
 * will judge (a malformed one, or one over 1 MiB). */
static int rest_next(struct rest *r, const char **raw, size_t *len)
{
    for (;;) {
        size_t consumed;
        int at_end = r->read_to >= r->size;
        enum scan_status status = scan_next(r->buf + r->off, r->have - r->off, at_end, r->delim,
                                            &r->rec, &consumed);
        if (status == SCAN_NEED_MORE && !at_end && r->have - r->off < WORK_BUFFER) {
            memmove(r->buf, r->buf + r->off, r->have - r->off);
            r->have -= r->off;
            r->off = 0;
            ssize_t n = pread(r->fd, r->buf + r->have, WORK_BUFFER - r->have, r->read_to);
            if (n <= 0)
                return 0;
            r->have += (size_t)n;
            r->read_to += n;
            continue;
        }
        if (status != SCAN_RECORD)
            return 0;
        *raw = r->buf + r->off;
        *len = consumed;
        r->off += consumed;
        return 1;
    }
}

static void rest_close(struct rest *r)
{
    free(r->buf);
    scan_record_free(&r->rec);
}

/* ---- the order of slash dates, decided on the whole column -------------- */

/* Is the first non-empty date a slash date (then the whole column is read)? */
static int first_date_slashed(csvin *in, const struct sales_layout *lay)
{
    struct rest r;
    int slashed = 0;
    const char *raw;
    size_t len;
    if (rest_open(&r, in) != 0)
        return 0;
    while (rest_next(&r, &raw, &len)) {
        if ((size_t)lay->date >= r.rec.count || r.rec.fields[lay->date].len == 0)
            continue;
        slashed = memchr(r.rec.fields[lay->date].ptr, '/', r.rec.fields[lay->date].len) != NULL;
        break;
    }
    rest_close(&r);
    return slashed;
}

/* A file whose first date is not a slash date costs one record. */
void salesread_date_order(csvin *in, struct sales_layout *lay,
                          struct salesread_date_order *result)
{
    result->found = SALESREAD_DATES_KEPT;
    result->example[0] = '\0';
    struct rest r;
    if (lay->date_format)
        return;                     /* DD/MM, as without the vote */
    if (csvin_growing(in) && first_date_slashed(in, lay)) {
        struct diag diag;
        if (csvin_wait_complete(in, &diag) != 0)
            return;                 /* the read fails later, with this message */
    }
    if (rest_open(&r, in) != 0)
        return;
    struct sales_date_votes votes = { 0 };
    int first = 1;
    const char *raw;
    size_t len;
    while (rest_next(&r, &raw, &len)) {
        if ((size_t)lay->date >= r.rec.count)
            continue;
        const struct csvfield *date = &r.rec.fields[lay->date];
        if (date->len == 0)
            continue;
        if (first && !memchr(date->ptr, '/', date->len))
            break;                  /* not slash dates: nothing to decide */
        first = 0;
        sales_date_vote(&votes, date->ptr, date->len);
    }
    rest_close(&r);
    if (votes.only_mdy > 0 && votes.only_dmy == 0) {
        lay->date_order = DATE_MDY;
        result->found = SALESREAD_DATES_MDY;
        snprintf(result->example, sizeof result->example, "%s", votes.mdy_example);
    } else if (votes.only_mdy == 0 && votes.only_dmy == 0 && votes.either > 0) {
        result->found = SALESREAD_DATES_EITHER;
        snprintf(result->example, sizeof result->example, "%s", votes.either_example);
    }
}

/* ---- the decimal marks, decided on the rest of the file ---------------- */

int salesread_decide_marks(csvin *in, const struct sales_layout *layout,
                           struct sales_marks *marks)
{
    struct rest r;
    struct diag diag;
    if (csvin_wait_complete(in, &diag) != 0 || rest_open(&r, in) != 0)
        return 0;                   /* the ambiguity stands */
    struct sales_mark_votes votes;
    sales_mark_votes_init(&votes, marks);
    long line = salesread_core_line_at(r.fd, r.read_to);
    const char *p;
    size_t consumed;
    while (!sales_mark_votes_done(&votes, layout) && rest_next(&r, &p, &consumed)) {
        size_t k = 0;
        while (k < consumed && (p[k] == '\n' || p[k] == '\r'))
            line += p[k++] == '\n';        /* blank lines before the record */
        long record_line = line;
        for (; k < consumed; k++)
            line += p[k] == '\n';
        if (r.rec.count == layout->columns)
            sales_mark_vote(&votes, layout, r.rec.fields, r.rec.count, record_line);
    }
    rest_close(&r);
    return sales_marks_take_votes(marks, &votes);
}
