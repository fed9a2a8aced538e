/* salesread — the one way through a sales file, shared by cl-rollup and
 * cl-cohort: header to layout, the parallel range reader over a regular
 * file, the sequential libcsv reader with rejects and progress. */
#include "salesread.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void salesread_counts_add(struct salesread_counts *total, const struct salesread_counts *add)
{
    total->lines_read += add->lines_read;
    total->lines_used += add->lines_used;
    total->out_of_period += add->out_of_period;
    total->ids_trimmed += add->ids_trimmed;
    for (int r = 0; r < SALES_REASONS; r++)
        total->rejected[r] += add->rejected[r];
}

unsigned long long salesread_rejected(const struct salesread_counts *counts, char *list,
                                      size_t size)
{
    unsigned long long total = 0;
    size_t o = 0;
    list[0] = '\0';
    for (int i = 0; i < SALES_REASONS; i++) {
        total += counts->rejected[i];
        if (counts->rejected[i] && o < size) {
            int n = snprintf(list + o, size - o, "%s%llu %s", o ? ", " : "",
                             counts->rejected[i], sales_reason_text[i]);
            o += n > 0 ? (size_t)n : 0;
        }
    }
    return total;
}

int salesread_layout(csvin *in, const struct sales_request *request,
                     struct sales_layout *layout, struct sales_marks *marks, struct diag *diag)
{
    size_t n = csvin_columns(in);
    const char **names = malloc((n ? n : 1) * sizeof *names);
    if (!names)
        return diag_set(diag, "out of memory");
    for (size_t i = 0; i < n; i++)
        names[i] = csvin_column_name(in, i);
    int rc = sales_layout_init(layout, marks, request, names, n, csvin_delim(in),
                               csvin_name(in), diag);
    free(names);
    return rc;
}

/* ---- the parallel path over a regular file ----------------------------- */

struct worker {
    const struct sales_layout *layout;
    struct sales_marks marks;
    salesread_add_fn add;
    void *sink;
    struct salesread_counts *counts;
    int fd;
    char delim;
    long long start, end;       /* the byte range; starts at a record */
    int failed;                 /* 1: fall back to the sequential reader */
};

#define WORK_BUFFER (1u << 20)

/* Move a tentative boundary to just past the next line end. */
static long long align_start(int fd, long long at, long long size)
{
    char buf[65536];
    while (at < size) {
        ssize_t n = pread(fd, buf, sizeof buf, at);
        if (n <= 0)
            return -1;
        char *nl = memchr(buf, '\n', (size_t)n);
        if (nl)
            return at + (nl - buf) + 1;
        at += n;
    }
    return size;
}

static void *work(void *arg)
{
    struct worker *w = arg;
    char *buf = malloc(WORK_BUFFER);
    struct scan_record rec = { 0 };
    struct sales_marks start_marks = w->marks;
    struct salesread_counts *counts = w->counts;
    if (!buf) {
        w->failed = 1;
        return NULL;
    }
    long long pos = w->start, read_to = w->start;
    size_t have = 0, off = 0;
    while (pos < w->end && !w->failed) {
        int at_end = read_to >= w->end;
        size_t consumed;
        enum scan_status st = scan_next(buf + off, have - off, at_end, w->delim, &rec, &consumed);
        if (st == SCAN_NEED_MORE && !at_end) {
            if (off > 0) {              /* keep the incomplete record, read on */
                memmove(buf, buf + off, have - off);
                have -= off;
                off = 0;
            }
            if (have == WORK_BUFFER) {
                w->failed = 1;          /* a record over 1 MiB: the slow path judges */
                break;
            }
            long long want = w->end - read_to;
            if (want > (long long)(WORK_BUFFER - have))
                want = (long long)(WORK_BUFFER - have);
            ssize_t n = pread(w->fd, buf + have, (size_t)want, read_to);
            if (n <= 0) {
                w->failed = 1;
                break;
            }
            have += (size_t)n;
            read_to += n;
            continue;
        }
        if (st == SCAN_END)
            break;
        if (st != SCAN_RECORD) {
            w->failed = 1;
            break;
        }
        off += consumed;
        pos += (long long)consumed;
        counts->lines_read++;
        struct sales_line line;
        enum sales_reason why;
        char detail[96];
        struct diag diag;
        switch (sales_read(w->layout, &w->marks, rec.fields, rec.count, &line, &why, detail,
                           &diag)) {
        case SALES_OK:
            if (w->add(w->sink, w->layout, rec.fields, &line, &diag) != 0) {
                w->failed = 1;
            } else {
                counts->lines_used++;
                counts->ids_trimmed += (unsigned long long)line.key_trimmed;
            }
            break;
        case SALES_REJECT: counts->rejected[why]++; break;
        case SALES_OUT_OF_PERIOD: counts->out_of_period++; break;
        case SALES_FATAL: w->failed = 1; break;
        }
    }
    /* The range must end exactly on its boundary (else the boundary was
     * inside a quoted field), and no worker may have learnt a decimal mark
     * by itself: a sequential read might have learnt another. */
    if (pos != w->end || start_marks.amount != w->marks.amount ||
        start_marks.quantity != w->marks.quantity || start_marks.price != w->marks.price ||
        start_marks.cost != w->marks.cost || start_marks.margin != w->marks.margin)
        w->failed = 1;
    free(buf);
    scan_record_free(&rec);
    return NULL;
}

long salesread_threads(csvin *in, long requested)
{
    struct stat st;
    if (fstat(csvin_fd(in), &st) != 0 || !S_ISREG(st.st_mode))
        return 0;
    long long bytes = st.st_size - csvin_offset(in);
    long n = requested ? requested : sysconf(_SC_NPROCESSORS_ONLN);
    if (n < 1)
        n = 1;
    if (n > 64)
        n = 64;
    /* at least 8 MiB each, unless the user asked for a number of threads */
    long most = (long)(bytes / (requested ? 65536 : 8 << 20)) + 1;
    return n < most ? n : most;
}

int salesread_parallel(csvin *in, const struct sales_layout *layout,
                       const struct sales_marks *marks, long threads,
                       salesread_add_fn add, void *const *sinks,
                       struct salesread_counts *counts)
{
    struct stat st;
    int fd = csvin_fd(in);
    if (threads < 1 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))
        return 0;
    long long data = csvin_offset(in), size = st.st_size;
    long n = threads;
    struct worker *w = calloc((size_t)n, sizeof *w);
    pthread_t *ids = calloc((size_t)n, sizeof *ids);
    if (!w || !ids) {
        free(w);
        free(ids);
        return 0;
    }
    long long at = data;
    for (long i = 0; i < n; i++) {
        memset(&counts[i], 0, sizeof counts[i]);
        w[i].layout = layout;
        w[i].marks = *marks;
        w[i].add = add;
        w[i].sink = sinks[i];
        w[i].counts = &counts[i];
        w[i].fd = fd;
        w[i].delim = csvin_delim(in);
        w[i].start = at;
        w[i].end = i == n - 1 ? size : align_start(fd, data + (size - data) * (i + 1) / n, size);
        if (w[i].end < 0)
            w[i].end = size;
        if (w[i].end < at)
            w[i].end = at;
        at = w[i].end;
    }
    long started = 0;
    for (; started < n; started++)
        if (pthread_create(&ids[started], NULL, work, &w[started]) != 0)
            break;
    int failed = started < n;
    for (long i = 0; i < started; i++) {
        pthread_join(ids[i], NULL);
        failed |= w[i].failed;
    }
    free(w);
    free(ids);
    return !failed;
}

/* ---- the sequential path ---------------------------------------------- */

static int reject(struct salesread_rejects *rejects, csvin *in, enum sales_reason why,
                  const char *detail, struct salesread_counts *counts, struct diag *diag)
{
    if (rejects && rejects->strict)
        return diag_set(diag, "%s:%ld: %s%s", csvin_name(in), csvin_line(in),
                        sales_reason_text[why], detail);
    counts->rejected[why]++;
    if (!rejects || !rejects->out)
        return 0;
    struct csvout *out = rejects->out;
    if (!rejects->header_done) {
        for (size_t i = 0; i < csvin_columns(in); i++)
            csvout_text(out, csvin_column_name(in, i));
        csvout_text(out, "line");
        csvout_text(out, "reason");
        csvout_end_row(out);
        rejects->header_done = 1;
    }
    for (size_t i = 0; i < csvin_fields(in); i++) {
        size_t len;
        const char *f = csvin_field(in, i, &len);
        csvout_text_len(out, f, len);
    }
    csvout_long(out, csvin_line(in));
    csvout_text(out, sales_reason_text[why]);
    csvout_end_row(out);
    return 0;
}

int salesread_sequential(csvin *in, const struct sales_layout *layout,
                         struct sales_marks *marks, salesread_add_fn add, void *sink,
                         struct salesread_rejects *rejects,
                         void (*progress)(unsigned long long lines),
                         struct salesread_counts *counts, struct diag *diag)
{
    struct csvfield *fields = NULL;     /* the record as fields */
    size_t fields_cap = 0;
    int got = 0, rc = 0;
    while (rc == 0 && (got = csvin_next(in, diag)) > 0) {
        counts->lines_read++;
        size_t n = csvin_fields(in);
        if (n > fields_cap) {
            struct csvfield *grown = realloc(fields, n * 2 * sizeof *fields);
            if (!grown) {
                rc = diag_set(diag, "out of memory");
                break;
            }
            fields = grown;
            fields_cap = n * 2;
        }
        for (size_t i = 0; i < n; i++)
            fields[i].ptr = csvin_field(in, i, &fields[i].len);
        struct sales_line line;
        enum sales_reason why;
        char detail[96];
        struct diag inner;
        switch (sales_read(layout, marks, fields, n, &line, &why, detail, &inner)) {
        case SALES_OK:
            if (add(sink, layout, fields, &line, &inner) != 0) {
                rc = diag_set(diag, "%s:%ld: %s", csvin_name(in), csvin_line(in), inner.message);
            } else {
                counts->lines_used++;
                counts->ids_trimmed += (unsigned long long)line.key_trimmed;
            }
            break;
        case SALES_REJECT:
            rc = reject(rejects, in, why, detail, counts, diag);
            break;
        case SALES_OUT_OF_PERIOD:
            counts->out_of_period++;
            break;
        case SALES_FATAL:
            rc = diag_set(diag, "%s:%ld: %s", csvin_name(in), csvin_line(in), inner.message);
            break;
        }
        if (progress && (counts->lines_read & 0xffff) == 0)
            progress(counts->lines_read);
    }
    free(fields);
    if (rc == 0 && got < 0)
        rc = -1;
    return rc;
}
