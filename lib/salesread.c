/* salesread — the one way through a sales file, shared by cl-rollup and
 * cl-cohort: header to layout, the parallel range reader over a regular
 * file (or over a pipe while a thread copies it: the spool), the rejected
 * rows of the ranges written in file order, the sequential libcsv reader
 * with rejects and progress. */
#include "salesread.h"

#include "amount.h"
#include "encoding.h"
#include "parse.h"

#include <errno.h>
#include <fcntl.h>
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
    total->filtered += add->filtered;
    total->headers += add->headers;
    /* the first example of each count: the total's, else add's */
    if (add->rounded && !total->rounded) {
        total->rounded_line = add->rounded_line;
        memcpy(total->rounded_example, add->rounded_example, sizeof total->rounded_example);
    }
    total->rounded += add->rounded;
    for (int r = 0; r < SALES_REASONS; r++)
        if (add->rejected[r] && !total->first_line[r] && add->first_line[r]) {
            total->first_line[r] = add->first_line[r];
            memcpy(total->first_detail[r], add->first_detail[r], sizeof total->first_detail[r]);
        }
    total->ids_trimmed += add->ids_trimmed;
    for (int r = 0; r < SALES_REASONS; r++)
        total->rejected[r] += add->rejected[r];
}

/* What is wrong with the first unusable value of a reason, and what may
 * help: the value (quoted in detail) is read again. */
static const char *reject_hint(int reason, const char *detail)
{
    char value[96];
    size_t len = strlen(detail);
    if (len < 3 || detail[0] != ' ' || detail[1] != '"' || detail[len - 1] != '"')
        return "";
    len -= 3;
    memcpy(value, detail + 2, len);
    value[len] = '\0';
    if (reason == SALES_DATE) {
        struct datetime dt;
        enum parse_status st = parse_date(value, len, NULL, DATE_DMY, &dt);
        if (st == PARSE_EMPTY)
            return ": empty";
        if (st == PARSE_RANGE)
            return ": no such date";
        return len == 5 && strspn(value, "0123456789") == 5
               ? ": Excel serial days? --date-format excel"
               : ": --date-format FMT states the form";
    }
    char mark = 0;
    int64_t scaled;
    int decimals, rounded;
    switch (amount_parse(value, len, &mark, &scaled, &decimals, &rounded)) {
    case PARSE_EMPTY: return ": empty";
    case PARSE_RANGE: return ": out of the exact range (9.2e12)";
    case PARSE_INVALID: return ": not a number";
    default: return "";
    }
}

unsigned long long salesread_rejected(const struct salesread_counts *counts, char *list,
                                      size_t size)
{
    unsigned long long total = 0;
    size_t o = 0;
    list[0] = '\0';
    for (int i = 0; i < SALES_REASONS; i++) {
        total += counts->rejected[i];
        if (!counts->rejected[i] || o >= size)
            continue;
        int n = snprintf(list + o, size - o, "%s%llu %s", o ? ", " : "",
                         counts->rejected[i], sales_reason_text[i]);
        o += n > 0 ? (size_t)n : 0;
        /* an unusable value: the first one, its line, and what may help */
        if (i >= SALES_DATE && i <= SALES_MARGIN && counts->first_line[i] && o < size) {
            n = snprintf(list + o, size - o, " (first: line %ld,%s%s)", counts->first_line[i],
                         counts->first_detail[i],
                         reject_hint(i, counts->first_detail[i]));
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

/* ---- other periods in the same pass ------------------------------------ */

/* The layout the lines are judged on when other periods are read too: the
 * caller's, its period widened to hold every period. */
static void hull_layout(const struct sales_layout *layout, const struct salesread_period *also,
                        size_t nalso, struct sales_layout *hull)
{
    *hull = *layout;
    for (size_t p = 0; p < nalso; p++) {
        if (!also[p].has_from)
            hull->has_from = 0;
        else if (hull->has_from && also[p].from < hull->from)
            hull->from = also[p].from;
        if (!also[p].has_to)
            hull->has_to = 0;
        else if (hull->has_to && also[p].to > hull->to)
            hull->to = also[p].to;
    }
}

/* A line's result for one period from its result on the hull: a usable
 * line, or one rejected for a number (sales_read reads the numbers after
 * the date and the period, with the day already in line->totals), dated
 * outside the period is out of it; any other result is the same. */
static enum sales_result period_result(int has_from, int32_t from, int has_to, int32_t to,
                                       enum sales_result got, enum sales_reason why,
                                       const struct sales_line *line)
{
    int dated = got == SALES_OK ||
                (got == SALES_REJECT && why != SALES_FIELDS && why != SALES_CUSTOMER &&
                 why != SALES_DATE && why != SALES_KEY_CONTROL);
    int32_t day = line->totals.first_day;
    if (dated && ((has_from && day < from) || (has_to && day > to)))
        return SALES_OUT_OF_PERIOD;
    return got;
}

/* Count a line for another period (its numbers only) and add it to the
 * period's sink when usable there. @return 0, or -1 with diag set (the
 * sink failed), or 1: rejected there (for --strict). */
static int tally_also(const struct salesread_period *p, void *sink,
                      struct salesread_counts *counts, struct date_spread *spread,
                      const struct sales_layout *layout, const struct csvfield *fields,
                      enum sales_result got, enum sales_reason why,
                      const struct sales_line *line, long long where, int source,
                      struct diag *diag)
{
    counts->lines_read++;
    switch (period_result(p->has_from, p->from, p->has_to, p->to, got, why, line)) {
    case SALES_OK:
        if (p->add(sink, layout, fields, line, diag) != 0)
            return -1;
        counts->lines_used++;
        counts->rounded += (unsigned long long)line->rounded;
        counts->ids_trimmed += (unsigned long long)line->key_trimmed;
        if (spread)
            date_spread_add(spread, line->totals.first_day, where, source);
        break;
    case SALES_REJECT: counts->rejected[why]++; return 1;
    case SALES_OUT_OF_PERIOD: counts->out_of_period++; break;
    case SALES_FILTERED: counts->filtered++; break;
    case SALES_HEADER: counts->headers++; counts->lines_read--; break;
    case SALES_FATAL: break;    /* the caller's read stops */
    }
    return 0;
}

/* ---- the parallel path over a regular file ----------------------------- */

/* A rejected row formatted by a worker: its line cell holds the line
 * counted from the range's start, and ends at `cell_end` in the worker's
 * buffer; the true line is known once the ranges before are counted. */
struct kept_reject {
    long long cell_end;         /* in the worker's rows: spilled, then in memory */
    int digits;                 /* the length of the local line's digits */
    long long local_line;
};

/* The digits of a count (n >= 0) into out (24 bytes). @return their length. */
static int format_count(long long n, char *out)
{
    char tmp[24];
    int len = 0;
    do {
        tmp[len++] = (char)('0' + n % 10);
        n /= 10;
    } while (n > 0);
    for (int i = 0; i < len; i++)
        out[i] = tmp[len - 1 - i];
    return len;
}

/* The part of a worker's rejected rows that one range holds: its rows
 * from kept[kept_from] and bytes from rejects_mem[mem_from] on, and the
 * line ends in the range (its lines, once the ranges before are counted). */
struct segment {
    long long start;
    size_t kept_from;
    long long mem_from;         /* in the worker's rows: spilled, then in memory */
    long long lines;
};

struct salesread_spool;

struct worker {
    const struct sales_layout *layout;
    struct sales_marks marks;
    salesread_add_fn add;
    void *sink;
    struct salesread_counts *counts;
    int fd;
    char delim;
    long long start, end;       /* the byte range; starts at a record */
    long long first_offset[SALES_REASONS];  /* where the first reject of each reason starts */
    long long rounded_offset;               /* where the first rounded value's line starts */
    struct date_spread spread;  /* years of the lines used, first seen at byte offsets */
    int source;
    int failed;                 /* 1: fall back to the sequential reader */
    /* --strict: a rejected line fails the range, and the sequential
     * reader names it; --rejects: the range's rejected rows, formatted
     * apart, their line numbers counted from the range's first line */
    int strict;
    int keep_rejects;
    int raw_rejects;            /* the rejects writer writes a plain record as its bytes */
    struct salesread_rejects *direct;   /* the first range: its rows written there */
    long long direct_base;      /* the line of its first byte */
    const csvin *in;            /* for the rejects file's header */
    struct buf rejects_mem;     /* the rows formatted since the last spill */
    struct csvout rejects_fmt;
    int spill_fd;               /* the rows spilled, when there are many (0: none yet) */
    long long spilled;          /* bytes in it: rejects_mem continues them */
    struct kept_reject *kept;   /* where each row's line cell ends in rejects_mem */
    size_t nkept, kept_cap;
    struct segment *segments;   /* the ranges read, in the order read (with keep_rejects) */
    size_t nsegments, segments_cap;
    struct salesread_spool *spool; /* not NULL: the ranges are claimed as the pipe arrives */
    /* other periods read in the same pass: lines judged on read_layout */
    const struct sales_layout *read_layout;
    const struct salesread_period *also;
    size_t nalso;
    long index;                 /* the worker's: also[p].sinks[index], counts[index] */
    struct date_spread *also_spread;    /* one per period (years NULL: not counted) */
};

#define WORK_BUFFER (1u << 20)
#define REJECTS_SPILL (8u << 20)    /* a worker's rejected rows go to a file past 8 MiB */
#define SEGMENT (4ll << 20)     /* a pipe is read in ranges of about 4 MiB */

static long long count_lf(const char *p, size_t len)
{
    long long n = 0;
    const char *end = p + len;
    while ((p = memchr(p, '\n', (size_t)(end - p))) != NULL) {
        n++;
        p++;
    }
    return n;
}

/* Format a rejected record as the sequential reader writes it (reject
 * below), its line cell counted from the range's start. */
/* Spill the rows formatted so far to the worker's temporary file, so that
 * memory stays flat however many lines are rejected. */
static void spill_rejects(struct worker *w)
{
    struct diag diag;
    if (w->spill_fd <= 0 && (w->spill_fd = encoding_temporary(&diag)) < 0) {
        w->spill_fd = 0;
        w->failed = 1;
        return;
    }
    for (size_t done = 0; done < w->rejects_mem.len;) {
        ssize_t n = pwrite(w->spill_fd, w->rejects_mem.data + done, w->rejects_mem.len - done,
                           w->spilled + (long long)done);
        if (n <= 0 && errno != EINTR) {
            w->failed = 1;
            return;
        }
        done += n > 0 ? (size_t)n : 0;
    }
    w->spilled += (long long)w->rejects_mem.len;
    buf_reset(&w->rejects_mem);
}

static void write_rejects_header(struct salesread_rejects *rejects, const csvin *in)
{
    if (rejects->header_done)
        return;
    for (size_t i = 0; i < csvin_columns(in); i++)
        csvout_text(rejects->out, csvin_column_name(in, i));
    csvout_text(rejects->out, "line");
    csvout_text(rejects->out, "reason");
    csvout_end_row(rejects->out);
    rejects->header_done = 1;
}

/* Bytes into a writer's destination as they are (its memory or its FILE). */
static void put_raw(struct csvout *out, const char *bytes, size_t len)
{
    if (out->mem)
        buf_add(out->mem, bytes, len);
    else
        fwrite(bytes, 1, len, out->fp);
}

static void keep_reject(struct worker *w, const struct scan_record *rec, const char *raw,
                        size_t raw_len, long long local_line, enum sales_reason why)
{
    /* the first range's rows go straight to the rejects file (w->direct,
     * their lines known); the others' are formatted apart */
    struct csvout *out = w->direct ? w->direct->out : &w->rejects_fmt;
    if (w->direct) {
        write_rejects_header(w->direct, w->in);
    } else if (w->nkept == w->kept_cap) {
        size_t cap = w->kept_cap ? w->kept_cap * 2 : 256;
        struct kept_reject *grown = realloc(w->kept, cap * sizeof *grown);
        if (!grown) {
            w->failed = 1;
            return;
        }
        w->kept = grown;
        w->kept_cap = cap;
    }
    /* A record without quotes, none of whose fields starts or ends with a
     * space, is what csvout would write of its fields: its bytes are
     * copied (the rejects writer is plain CSV with the input's delimiter,
     * checked by the caller: w->raw_rejects). */
    int raw_ok = w->raw_rejects && !memchr(raw, '"', raw_len);
    for (size_t i = 0; raw_ok && i < rec->count; i++) {
        const struct csvfield *f = &rec->fields[i];
        raw_ok = f->len == 0 || (f->ptr[0] != ' ' && f->ptr[f->len - 1] != ' ');
    }
    /* An empty cell writes no byte but its separator: the row is started
     * by one, then the record's bytes follow it. */
    if (raw_ok) {
        while (raw_len > 0 && (raw[raw_len - 1] == '\n' || raw[raw_len - 1] == '\r'))
            raw_len--;
        csvout_text_len(out, "", 0);
        put_raw(out, raw, raw_len);
    } else {
        for (size_t i = 0; i < rec->count; i++)
            csvout_text_len(out, rec->fields[i].ptr, rec->fields[i].len);
    }
    /* the line cell: its separator, then the line's digits (a local line
     * is made the true line's when written: write_kept_rejects) */
    csvout_text_len(out, "", 0);
    char digits[24];
    int len = format_count(w->direct ? w->direct_base + local_line : local_line, digits);
    put_raw(out, digits, (size_t)len);
    if (!w->direct) {
        w->kept[w->nkept].cell_end = w->spilled + (long long)w->rejects_mem.len;
        w->kept[w->nkept].digits = len;
        w->kept[w->nkept].local_line = local_line;
        w->nkept++;
    }
    csvout_text(out, sales_reason_text[why]);
    csvout_end_row(out);
    if (w->rejects_mem.failed)
        w->failed = 1;          /* out of memory: the sequential reader writes */
    else if (w->rejects_mem.len >= REJECTS_SPILL)
        spill_rejects(w);
}

/* Start a segment of the worker's rejected rows. @return 0, or -1. */
static int begin_segment(struct worker *w, long long start)
{
    if (w->nsegments == w->segments_cap) {
        size_t cap = w->segments_cap ? w->segments_cap * 2 : 16;
        struct segment *grown = realloc(w->segments, cap * sizeof *grown);
        if (!grown)
            return -1;
        w->segments = grown;
        w->segments_cap = cap;
    }
    struct segment *seg = &w->segments[w->nsegments++];
    seg->start = start;
    seg->kept_from = w->nkept;
    seg->mem_from = w->spilled + (long long)w->rejects_mem.len;
    seg->lines = 0;
    return 0;
}

/* Read the records of [start, end) (start at a record) into the sink.
 * A range must end exactly on end, else its boundary was inside a quoted
 * field: w->failed. */
static void work_range(struct worker *w, char *buf, struct scan_record *rec,
                       long long start, long long end)
{
    struct salesread_counts *counts = w->counts;
    struct segment *seg = NULL;
    if (w->keep_rejects) {
        if (begin_segment(w, start) != 0) {
            w->failed = 1;
            return;
        }
        seg = &w->segments[w->nsegments - 1];
    }
    long long pos = start, read_to = start;
    size_t have = 0, off = 0;
    while (pos < end && !w->failed) {
        int at_end = read_to >= end;
        size_t consumed;
        enum scan_status st = scan_next(buf + off, have - off, at_end, w->delim, rec, &consumed);
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
            long long want = end - read_to;
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
        long long record_line = 0;     /* counted from the range's first line */
        const char *record_raw = NULL;  /* the record's bytes, blank lines before it left out */
        size_t record_len = 0;
        if (seg) {
            const char *raw = buf + off;
            size_t blank = 0;
            while (blank < consumed && (raw[blank] == '\n' || raw[blank] == '\r'))
                blank++;
            record_line = seg->lines + count_lf(raw, blank);
            seg->lines = record_line + count_lf(raw + blank, consumed - blank);
            record_raw = raw + blank;
            record_len = consumed - blank;
        }
        off += consumed;
        long long record_at = pos;
        pos += (long long)consumed;
        counts->lines_read++;
        struct sales_line line;
        enum sales_reason why;
        char detail[96];
        struct diag diag;
        enum sales_result got = sales_read(w->read_layout, &w->marks, rec->fields, rec->count,
                                           &line, &why, detail, &diag);
        for (size_t p = 0; p < w->nalso && got != SALES_FATAL && !w->failed; p++) {
            const struct salesread_period *ap = &w->also[p];
            int rc = tally_also(ap, ap->sinks[w->index], &ap->counts[w->index],
                                w->also_spread[p].years ? &w->also_spread[p] : NULL,
                                w->layout, rec->fields, got, why, &line, record_at, w->source,
                                &diag);
            if (rc < 0 || (rc > 0 && w->strict))
                w->failed = 1;
        }
        if (w->nalso)
            got = period_result(w->layout->has_from, w->layout->from, w->layout->has_to,
                                w->layout->to, got, why, &line);
        switch (got) {
        case SALES_OK:
            if (w->add(w->sink, w->layout, rec->fields, &line, &diag) != 0) {
                w->failed = 1;
            } else {
                counts->lines_used++;
                if (line.rounded && counts->rounded == 0) {
                    w->rounded_offset = record_at;
                    diag_quote(line.rounded_field.ptr, line.rounded_field.len,
                               counts->rounded_example, sizeof counts->rounded_example);
                }
                counts->rounded += (unsigned long long)line.rounded;
                counts->ids_trimmed += (unsigned long long)line.key_trimmed;
                if (w->spread.years)
                    date_spread_add(&w->spread, line.totals.first_day, record_at, w->source);
            }
            break;
        case SALES_REJECT:
            if (w->strict) {
                w->failed = 1;
                break;
            }
            if (counts->rejected[why]++ == 0) {
                w->first_offset[why] = record_at;
                memcpy(counts->first_detail[why], detail, sizeof detail);
            }
            if (seg)
                keep_reject(w, rec, record_raw, record_len, record_line, why);
            break;
        case SALES_OUT_OF_PERIOD: counts->out_of_period++; break;
        case SALES_FILTERED: counts->filtered++; break;
        case SALES_HEADER: counts->headers++; counts->lines_read--; break;
        case SALES_FATAL: w->failed = 1; break;
        }
    }
    /* The range must end exactly on its boundary (else the boundary was
     * inside a quoted field); the decimal marks learnt are checked by
     * salesread_parallel (sales_marks_agree). */
    if (pos != end)
        w->failed = 1;
}

static int spool_claim(struct salesread_spool *spool, long long *start, long long *end);
static void spool_stop(struct salesread_spool *spool);

static void *work(void *arg)
{
    struct worker *w = arg;
    char *buf = malloc(WORK_BUFFER);
    struct scan_record rec = { 0 };
    if (!buf) {
        w->failed = 1;
    } else if (!w->spool) {
        work_range(w, buf, &rec, w->start, w->end);
    } else {
        long long start, end;
        int claimed;
        while (!w->failed && (claimed = spool_claim(w->spool, &start, &end)) != 0) {
            if (claimed < 0)
                w->failed = 1;          /* the pipe could not be read */
            else
                work_range(w, buf, &rec, start, end);
        }
    }
    if (w->spool && w->failed)
        spool_stop(w->spool);   /* the others claim no more: all is read again */
    free(buf);
    scan_record_free(&rec);
    return NULL;
}

/* The physical line of the byte at offset: 1 + the line ends before it. */
static long line_of_byte(int fd, long long offset)
{
    char buf[65536];
    long line = 1;
    for (long long at = 0; at < offset;) {
        size_t want = offset - at < (long long)sizeof buf ? (size_t)(offset - at) : sizeof buf;
        ssize_t n = pread(fd, buf, want, at);
        if (n <= 0)
            return line;
        line += (long)count_lf(buf, (size_t)n);
        at += n;
    }
    return line;
}

/* The physical line where the record starting at offset begins (blank
 * lines before it skipped, as the scanner does). */
static long line_at(int fd, long long offset)
{
    long line = line_of_byte(fd, offset);
    char c;
    while (pread(fd, &c, 1, offset++) == 1 && (c == '\n' || c == '\r'))
        line += c == '\n';
    return line;
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
    if (csvin_growing(in))
        return n;               /* its size is not known yet */
    /* at least 8 MiB each, unless the user asked for a number of threads */
    long most = (long)(bytes / (requested ? 65536 : 8 << 20)) + 1;
    return n < most ? n : most;
}

/* After a parallel read merged into spread, the years first seen in this
 * file have byte offsets: those outside the fence so far get their line
 * (the others 0: a later file seldom makes them outlying, and then no line
 * is named). */
static void spread_offsets_to_lines(struct date_spread *spread, int source, int fd)
{
    int q1, q3, low, high;
    if (date_spread_fence(spread, &q1, &q3, &low, &high) != 0)
        return;
    for (int y = 1; y < DATE_SPREAD_YEARS; y++) {
        struct date_spread_year *e = &spread->years[y];
        if (e->lines == 0 || e->source != source)
            continue;
        e->first = date_spread_outside(y, low, high) ? line_at(fd, e->first) : 0;
    }
}

/* ---- a pipe, copied while it is read ---------------------------------- */

struct salesread_spool {
    int in_fd;                  /* the pipe (owned) */
    int fd;                     /* the copy, written with pwrite (owned) */
    char *name;                 /* for messages */
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t arrived;     /* written or done changed, or stopped */
    long long written;          /* bytes in the copy */
    int done;                   /* the input ended, or could not be read */
    int read_errno;             /* a read failed (0: no) */
    int write_errno;            /* a write of the copy failed (0: no) */
    long long next;             /* the ranges handed out end here */
    int stopped;                /* a worker failed: hand out no more */
};

#define SPOOL_BUFFER (1u << 20)

static void *copy_in(void *arg)
{
    struct salesread_spool *spool = arg;
    char *buf = malloc(SPOOL_BUFFER);
    long long at = 0;
    int read_errno = buf ? 0 : ENOMEM, write_errno = 0;
    while (buf) {
        ssize_t n = read(spool->in_fd, buf, SPOOL_BUFFER);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            read_errno = n < 0 ? errno : 0;
            break;
        }
        for (ssize_t done = 0; done < n;) {
            ssize_t m = pwrite(spool->fd, buf + done, (size_t)(n - done), at + done);
            if (m < 0 && errno == EINTR)
                continue;
            if (m <= 0) {
                write_errno = m < 0 ? errno : ENOSPC;
                break;
            }
            done += m;
        }
        if (write_errno)
            break;
        at += n;
        pthread_mutex_lock(&spool->lock);
        spool->written = at;
        pthread_cond_broadcast(&spool->arrived);
        pthread_mutex_unlock(&spool->lock);
    }
    free(buf);
    pthread_mutex_lock(&spool->lock);
    spool->read_errno = read_errno;
    spool->write_errno = write_errno;
    spool->done = 1;
    pthread_cond_broadcast(&spool->arrived);
    pthread_mutex_unlock(&spool->lock);
    return NULL;
}

struct salesread_spool *salesread_spool_start(int in_fd, const char *name, struct diag *diag)
{
    struct salesread_spool *spool = calloc(1, sizeof *spool);
    if (!spool || !(spool->name = strdup(name))) {
        free(spool);
        close(in_fd);
        diag_set(diag, "out of memory");
        return NULL;
    }
    spool->in_fd = in_fd;
    spool->fd = encoding_temporary(diag);
    if (spool->fd < 0) {
        close(in_fd);
        free(spool->name);
        free(spool);
        return NULL;
    }
    pthread_mutex_init(&spool->lock, NULL);
    pthread_cond_init(&spool->arrived, NULL);
    if (pthread_create(&spool->thread, NULL, copy_in, spool) != 0) {
        diag_set(diag, "%s: cannot start a thread", name);
        close(in_fd);
        close(spool->fd);
        pthread_mutex_destroy(&spool->lock);
        pthread_cond_destroy(&spool->arrived);
        free(spool->name);
        free(spool);
        return NULL;
    }
    return spool;
}

int salesread_spool_wait(struct salesread_spool *spool, long long bytes)
{
    pthread_mutex_lock(&spool->lock);
    while (!spool->done && spool->written <= bytes)
        pthread_cond_wait(&spool->arrived, &spool->lock);
    int more = spool->written > bytes && !spool->read_errno && !spool->write_errno;
    pthread_mutex_unlock(&spool->lock);
    return more;
}

int salesread_spool_fd(const struct salesread_spool *spool)
{
    return dup(spool->fd);
}

/* Wait for the end of the input; the error of the copy, as encoding_open
 * words it. */
static int spool_complete(void *ctx, struct diag *diag)
{
    struct salesread_spool *spool = ctx;
    pthread_mutex_lock(&spool->lock);
    while (!spool->done)
        pthread_cond_wait(&spool->arrived, &spool->lock);
    pthread_mutex_unlock(&spool->lock);
    if (spool->write_errno)
        return diag_set(diag, "%s: cannot write a temporary copy: %s", spool->name,
                        strerror(spool->write_errno));
    if (spool->read_errno)
        return diag_set(diag, "%s: %s", spool->name, strerror(spool->read_errno));
    return 0;
}

void salesread_spool_attach(struct salesread_spool *spool, csvin *in)
{
    csvin_set_growing(in, spool_complete, spool);
}

int salesread_spool_close(struct salesread_spool *spool, struct diag *diag)
{
    if (!spool)
        return 0;
    int rc = spool_complete(spool, diag);
    pthread_join(spool->thread, NULL);
    close(spool->in_fd);
    close(spool->fd);
    pthread_mutex_destroy(&spool->lock);
    pthread_cond_destroy(&spool->arrived);
    free(spool->name);
    free(spool);
    return rc;
}

int salesread_open_quick(const char *path, struct encoding_result *enc, int *checked_all,
                      struct salesread_spool **spool, struct diag *diag)
{
    struct stat st;
    int from_stdin = strcmp(path, "-") == 0;
    const char *name = from_stdin ? "stdin" : path;
    int in_fd = from_stdin ? dup(0) : open(path, O_RDONLY);
    if (in_fd < 0 || fstat(in_fd, &st) != 0 || !S_ISFIFO(st.st_mode)) {
        if (in_fd >= 0)
            close(in_fd);
        return encoding_open_quick(path, NULL, enc, checked_all, diag);
    }
    if (!(*spool = salesread_spool_start(in_fd, name, diag)))
        return -1;
    int more = salesread_spool_wait(*spool, 2ll << 20);
    int fd = salesread_spool_fd(*spool);
    char head[65536];
    ssize_t n = fd >= 0 ? pread(fd, head, sizeof head, 0) : -1;
    const char *first = n > 0 ? memchr(head, '\n', (size_t)n) : NULL;
    int two_lines = first && memchr(first + 1, '\n', (size_t)(head + n - first - 1));
    if (!more || !two_lines || !encoding_quick_utf8(fd)) {
        int rc = salesread_spool_close(*spool, diag);
        *spool = NULL;
        if (rc != 0 || fd < 0) {
            if (fd >= 0)
                close(fd);
            return fd < 0 ? diag_set(diag, "%s: %s", name, strerror(errno)) : -1;
        }
    }
    return encoding_open_copy(fd, name, NULL, 1, enc, checked_all, diag);
}

/* The ranges of a parallel read start at the data. */
static void spool_restart(struct salesread_spool *spool, long long data)
{
    pthread_mutex_lock(&spool->lock);
    spool->next = data;
    spool->stopped = 0;
    pthread_mutex_unlock(&spool->lock);
}

static void spool_stop(struct salesread_spool *spool)
{
    pthread_mutex_lock(&spool->lock);
    spool->stopped = 1;
    pthread_cond_broadcast(&spool->arrived);
    pthread_mutex_unlock(&spool->lock);
}

/* Just past the first line end in [at, limit) of the copy, or -1. */
static long long line_end_in(int fd, long long at, long long limit)
{
    char buf[65536];
    while (at < limit) {
        size_t want = limit - at < (long long)sizeof buf ? (size_t)(limit - at) : sizeof buf;
        ssize_t n = pread(fd, buf, want, at);
        if (n <= 0)
            return -1;
        char *nl = memchr(buf, '\n', (size_t)n);
        if (nl)
            return at + (nl - buf) + 1;
        at += n;
    }
    return -1;
}

/* The next range of about SEGMENT bytes that has arrived, cut after a line
 * end (a cut inside a quoted field makes its range fail, as the ranges of
 * a regular file do). @return 1 a range, 0 none left (the end, or a worker
 * failed), -1 the pipe could not be read. */
static int spool_claim(struct salesread_spool *spool, long long *start, long long *end)
{
    int got = 0;
    pthread_mutex_lock(&spool->lock);
    for (;;) {
        long long from = spool->next;
        if (spool->stopped || (spool->done && from >= spool->written))
            break;
        if (spool->done && (spool->read_errno || spool->write_errno)) {
            got = -1;
            break;
        }
        if (spool->written - from > SEGMENT) {
            long long cut = line_end_in(spool->fd, from + SEGMENT, spool->written);
            if (cut > 0 || spool->done) {
                *end = cut > 0 ? cut : spool->written;
                got = 1;
            }
        } else if (spool->done) {
            *end = spool->written;
            got = 1;
        }
        if (got) {
            *start = from;
            spool->next = *end;
            break;
        }
        pthread_cond_wait(&spool->arrived, &spool->lock);
    }
    pthread_mutex_unlock(&spool->lock);
    return got;
}

struct segment_ref {
    const struct worker *w;
    size_t index;
};

static int by_start(const void *a, const void *b)
{
    const struct segment_ref *x = a, *y = b;
    long long sx = x->w->segments[x->index].start, sy = y->w->segments[y->index].start;
    return sx < sy ? -1 : sx > sy;
}

/* Copy bytes [from, to) of a worker's rows (spilled, then in memory).
 * @return 0, or -1 (the spill file could not be read). */
static int copy_rows(const struct worker *w, long long from, long long to, FILE *fp)
{
    char buf[65536];
    while (from < to && from < w->spilled) {
        long long end = to < w->spilled ? to : w->spilled;
        size_t want = end - from < (long long)sizeof buf ? (size_t)(end - from) : sizeof buf;
        ssize_t n = pread(w->spill_fd, buf, want, from);
        if (n <= 0)
            return -1;
        fwrite(buf, 1, (size_t)n, fp);
        from += n;
    }
    if (from < to)
        fwrite(w->rejects_mem.data + (from - w->spilled), 1, (size_t)(to - from), fp);
    return 0;
}

/* The rows the workers kept, in file order (their ranges sorted by
 * start), each line cell made the true line: the range's first line (the
 * line ends of the ranges before it counted) plus the local one.
 * @return 0, or -1 (out of memory, a spill file unreadable). */
static int write_kept_rejects(struct salesread_rejects *rejects, const csvin *in,
                              const struct worker *w, long n, long long first_line)
{
    size_t total = 0;
    for (long i = 0; i < n; i++)
        total += w[i].nsegments;
    struct segment_ref *refs = malloc((total ? total : 1) * sizeof *refs);
    if (!refs)
        return -1;
    size_t k = 0;
    for (long i = 0; i < n; i++)
        for (size_t j = 0; j < w[i].nsegments; j++)
            refs[k++] = (struct segment_ref){ &w[i], j };
    qsort(refs, total, sizeof *refs, by_start);
    FILE *fp = rejects->out->fp;
    long long base = first_line;
    int rc = 0;
    for (k = 0; k < total && rc == 0; k++) {
        const struct worker *wk = refs[k].w;
        const struct segment *seg = &wk->segments[refs[k].index];
        int last = refs[k].index + 1 == wk->nsegments;
        size_t kept_to = last ? wk->nkept : seg[1].kept_from;
        long long rows_to = last ? wk->spilled + (long long)wk->rejects_mem.len
                                 : seg[1].mem_from;
        long long at = seg->mem_from;
        for (size_t r = seg->kept_from; r < kept_to && rc == 0; r++) {
            const struct kept_reject *row = &wk->kept[r];
            char digits[24];
            int len = format_count(base + row->local_line, digits);
            write_rejects_header(rejects, in);
            rc = copy_rows(wk, at, row->cell_end - row->digits, fp);
            fwrite(digits, 1, (size_t)len, fp);
            at = row->cell_end;
        }
        if (rc == 0 && rows_to > at)
            rc = copy_rows(wk, at, rows_to, fp);
        base += seg->lines;
    }
    free(refs);
    return rc;
}

int salesread_parallel(csvin *in, const struct sales_layout *layout,
                       const struct sales_marks *marks, long threads,
                       salesread_add_fn add, void *const *sinks,
                       struct salesread_counts *counts, struct date_spread *spread,
                       int source)
{
    return salesread_parallel_rejects(in, layout, marks, threads, add, sinks, counts, spread,
                                      source, NULL);
}

int salesread_parallel_rejects(csvin *in, const struct sales_layout *layout,
                               const struct sales_marks *marks, long threads,
                               salesread_add_fn add, void *const *sinks,
                               struct salesread_counts *counts, struct date_spread *spread,
                               int source, struct salesread_rejects *rejects)
{
    return salesread_parallel_also(in, layout, marks, threads, add, sinks, counts, spread,
                                   source, rejects, NULL, 0);
}

int salesread_parallel_also(csvin *in, const struct sales_layout *layout,
                            const struct sales_marks *marks, long threads,
                            salesread_add_fn add, void *const *sinks,
                            struct salesread_counts *counts, struct date_spread *spread,
                            int source, struct salesread_rejects *rejects,
                            struct salesread_period *also, size_t nalso)
{
    struct stat st;
    int fd = csvin_fd(in);
    if (threads < 1 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))
        return 0;
    /* rejected rows are copied into a FILE writer (not a sink or memory) */
    int keep = rejects && rejects->out && !rejects->strict;
    if (keep && (!rejects->out->fp || rejects->out->mem || rejects->out->sink_fn))
        return 0;
    long long data = csvin_offset(in), size = st.st_size;
    long n = threads;
    struct salesread_spool *spool = csvin_growing(in);
    if (spool)
        spool_restart(spool, data);
    struct worker *w = calloc((size_t)n, sizeof *w);
    pthread_t *ids = calloc((size_t)n, sizeof *ids);
    if (!w || !ids) {
        free(w);
        free(ids);
        return 0;
    }
    struct sales_layout hull;
    hull_layout(layout, also, nalso, &hull);
    int no_memory = 0;
    long long at = data;
    for (long i = 0; i < n; i++) {
        memset(&counts[i], 0, sizeof counts[i]);
        w[i].layout = layout;
        w[i].read_layout = nalso ? &hull : layout;
        w[i].also = also;
        w[i].nalso = nalso;
        w[i].index = i;
        if (nalso && !(w[i].also_spread = calloc(nalso, sizeof *w[i].also_spread)))
            no_memory = 1;
        for (size_t p = 0; p < nalso; p++) {
            memset(&also[p].counts[i], 0, sizeof also[p].counts[i]);
            if (also[p].spread && w[i].also_spread)
                no_memory |= date_spread_init(&w[i].also_spread[p]) != 0;
        }
        w[i].marks = *marks;
        w[i].add = add;
        w[i].sink = sinks[i];
        w[i].counts = &counts[i];
        w[i].fd = fd;
        w[i].delim = csvin_delim(in);
        w[i].start = at;
        /* a tentative boundary moved to just past the next line end */
        w[i].end = i == n - 1 ? size : line_end_in(fd, data + (size - data) * (i + 1) / n, size);
        if (w[i].end < 0)
            w[i].end = size;
        if (w[i].end < at)
            w[i].end = at;
        at = w[i].end;
        w[i].source = source;
        w[i].spool = spool;
        w[i].strict = rejects && rejects->strict;
        w[i].keep_rejects = keep;
        if (keep) {
            buf_init(&w[i].rejects_mem, 0);
            csvout_init_mem(&w[i].rejects_fmt, &w[i].rejects_mem, rejects->out);
            w[i].raw_rejects = !rejects->out->excel && rejects->out->delim == csvin_delim(in);
            w[i].in = in;
        }
    }
    /* The first range of a regular file writes its rows at once, when the
     * rejects file can be cut back to where it was should the read fall
     * back (the sequential reader then writes them again). */
    long long rejects_at = -1;
    int header_was = rejects ? rejects->header_done : 0;
    struct stat out_st;
    if (keep && !spool && fflush(rejects->out->fp) == 0 &&
        fstat(fileno(rejects->out->fp), &out_st) == 0 && S_ISREG(out_st.st_mode) &&
        (rejects_at = ftello(rejects->out->fp)) >= 0) {
        w[0].direct = rejects;
        w[0].direct_base = csvin_offset_line(in);
    }
    for (long i = 0; i < n && spread; i++)
        no_memory |= date_spread_init(&w[i].spread) != 0;
    long started = 0;
    for (; started < n; started++)
        if (pthread_create(&ids[started], NULL, work, &w[started]) != 0)
            break;
    int failed = no_memory || started < n;
    if (failed && spool)
        spool_stop(spool);
    struct sales_marks agreed = *marks;
    for (long i = 0; i < started; i++) {
        pthread_join(ids[i], NULL);
        failed |= w[i].failed;
        /* ranges that learnt different marks, or read a value on a
         * presumed one, are read again in sequence, which decides */
        failed |= !sales_marks_agree(&agreed, &w[i].marks);
    }
    /* The line of the first example of each count, found by counting line
     * ends up to it: the range that saw one first in the file (each worker
     * reads its ranges in file order, so its own first is its earliest);
     * salesread_counts_add takes the first range's that has one, so the
     * earliest example is put there. */
    for (int r = 0; r < SALES_REASONS && !failed; r++) {
        long first = -1;
        for (long i = 0; i < n; i++)
            if (counts[i].rejected[r] &&
                (first < 0 || w[i].first_offset[r] < w[first].first_offset[r]))
                first = i;
        if (first >= 0)
            counts[first].first_line[r] = line_at(fd, w[first].first_offset[r]);
    }
    long rounded_first = -1, rounded_taken = -1;
    for (long i = 0; i < n && !failed; i++)
        if (counts[i].rounded) {
            if (rounded_taken < 0)
                rounded_taken = i;
            if (rounded_first < 0 || w[i].rounded_offset < w[rounded_first].rounded_offset)
                rounded_first = i;
        }
    if (rounded_first >= 0) {
        counts[rounded_taken].rounded_line = line_at(fd, w[rounded_first].rounded_offset);
        memcpy(counts[rounded_taken].rounded_example, counts[rounded_first].rounded_example,
               sizeof counts[rounded_taken].rounded_example);
    }
    if (spread && !failed) {
        /* the years new in this file: their first line is the earliest of
         * the workers' (date_spread_merge keeps the first merged) */
        unsigned char *fresh = calloc(DATE_SPREAD_YEARS, 1);
        for (int y = 0; fresh && y < DATE_SPREAD_YEARS; y++)
            fresh[y] = spread->years[y].lines == 0;
        for (long i = 0; i < n; i++)
            date_spread_merge(spread, &w[i].spread);
        for (int y = 0; fresh && y < DATE_SPREAD_YEARS; y++) {
            if (!fresh[y])
                continue;
            for (long i = 0; i < n; i++) {
                const struct date_spread_year *e = &w[i].spread.years[y];
                if (e->lines && e->first < spread->years[y].first) {
                    spread->years[y].first = e->first;
                    spread->years[y].first_day = e->first_day;
                }
            }
        }
        free(fresh);
        spread_offsets_to_lines(spread, source, fd);
    }
    /* the other periods' dates: counts only (no line is named) */
    for (size_t p = 0; p < nalso && !failed; p++)
        for (long i = 0; i < n && also[p].spread; i++)
            date_spread_merge(also[p].spread, &w[i].also_spread[p]);
    if (keep && !failed && write_kept_rejects(rejects, in, w, n, csvin_offset_line(in)) != 0)
        failed = 1;
    if (failed && w[0].direct) {
        FILE *fp = rejects->out->fp;
        /* a regular file we could stat and tell: not expected to fail */
        if (fflush(fp) == 0 && ftruncate(fileno(fp), rejects_at) == 0)
            fseeko(fp, rejects_at, SEEK_SET);
        rejects->header_done = header_was;
    }
    for (long i = 0; i < n; i++) {
        date_spread_free(&w[i].spread);
        buf_free(&w[i].rejects_mem);
        if (w[i].spill_fd > 0)
            close(w[i].spill_fd);
        free(w[i].kept);
        free(w[i].segments);
        for (size_t p = 0; p < nalso && w[i].also_spread; p++)
            date_spread_free(&w[i].also_spread[p]);
        free(w[i].also_spread);
    }
    free(w);
    free(ids);
    return !failed;
}

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
    long line = line_at(r.fd, r.read_to);
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

/* ---- the sequential path ---------------------------------------------- */

static int reject(struct salesread_rejects *rejects, csvin *in, enum sales_reason why,
                  const char *detail, struct salesread_counts *counts, struct diag *diag)
{
    if (rejects && rejects->strict)
        return diag_set(diag, "%s:%ld: %s%s", csvin_name(in), csvin_line(in),
                        sales_reason_text[why], detail);
    if (counts->rejected[why]++ == 0 && !counts->first_line[why]) {
        counts->first_line[why] = csvin_line(in);
        snprintf(counts->first_detail[why], sizeof counts->first_detail[why], "%s", detail);
    }
    if (!rejects || !rejects->out)
        return 0;
    struct csvout *out = rejects->out;
    write_rejects_header(rejects, in);
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
                         struct salesread_counts *counts, struct date_spread *spread,
                         int source, struct diag *diag)
{
    return salesread_sequential_also(in, layout, marks, add, sink, rejects, progress, counts,
                                     spread, source, NULL, 0, diag);
}

int salesread_sequential_also(csvin *in, const struct sales_layout *layout,
                              struct sales_marks *marks, salesread_add_fn add, void *sink,
                              struct salesread_rejects *rejects,
                              void (*progress)(unsigned long long lines),
                              struct salesread_counts *counts, struct date_spread *spread,
                              int source, struct salesread_period *also, size_t nalso,
                              struct diag *diag)
{
    struct sales_layout hull;
    hull_layout(layout, also, nalso, &hull);
    const struct sales_layout *read_layout = nalso ? &hull : layout;
    int got = 0, rc = 0;
    while (rc == 0 && (got = csvin_next(in, diag)) > 0) {
        counts->lines_read++;
        size_t n = csvin_fields(in);
        const struct csvfield *fields = csvin_record_fields(in);
        if (!fields) {
            rc = diag_set(diag, "out of memory");
            break;
        }
        struct sales_line line;
        enum sales_reason why;
        char detail[96];
        struct diag inner;
        marks->line = csvin_line(in);
        enum sales_result result = sales_read(read_layout, marks, fields, n, &line, &why,
                                              detail, &inner);
        /* "12,345" before the "1.5" that tells the column's mark: decided
         * on the rest of the file, then read again */
        if (result == SALES_FATAL && line.ambiguous &&
            salesread_decide_marks(in, read_layout, marks) > 0)
            result = sales_read(read_layout, marks, fields, n, &line, &why, detail, &inner);
        for (size_t p = 0; p < nalso && result != SALES_FATAL && rc == 0; p++) {
            int r = tally_also(&also[p], also[p].sinks[0], &also[p].counts[0], also[p].spread,
                               layout, fields, result, why, &line, csvin_line(in), source,
                               &inner);
            if (r < 0)
                rc = diag_set(diag, "%s:%ld: %s", csvin_name(in), csvin_line(in),
                              inner.message);
            else if (r > 0 && rejects && rejects->strict)
                rc = diag_set(diag, "%s:%ld: %s%s", csvin_name(in), csvin_line(in),
                              sales_reason_text[why], detail);
        }
        if (rc != 0)
            break;
        if (nalso)
            result = period_result(layout->has_from, layout->from, layout->has_to, layout->to,
                                   result, why, &line);
        switch (result) {
        case SALES_OK:
            if (add(sink, layout, fields, &line, &inner) != 0) {
                rc = diag_set(diag, "%s:%ld: %s", csvin_name(in), csvin_line(in), inner.message);
            } else {
                counts->lines_used++;
                if (line.rounded && counts->rounded == 0) {
                    counts->rounded_line = csvin_line(in);
                    diag_quote(line.rounded_field.ptr, line.rounded_field.len,
                               counts->rounded_example, sizeof counts->rounded_example);
                }
                counts->rounded += (unsigned long long)line.rounded;
                counts->ids_trimmed += (unsigned long long)line.key_trimmed;
                if (spread)
                    date_spread_add(spread, line.totals.first_day, csvin_line(in), source);
            }
            break;
        case SALES_REJECT:
            rc = reject(rejects, in, why, detail, counts, diag);
            break;
        case SALES_OUT_OF_PERIOD:
            counts->out_of_period++;
            break;
        case SALES_FILTERED:
            counts->filtered++;
            break;
        case SALES_HEADER:
            counts->headers++;          /* not a line of sales */
            counts->lines_read--;
            break;
        case SALES_FATAL:
            rc = diag_set(diag, "%s:%ld: %s", csvin_name(in), csvin_line(in), inner.message);
            break;
        }
        if (progress && (counts->lines_read & 0xffff) == 0)
            progress(counts->lines_read);
    }
    if (rc == 0 && got < 0)
        rc = -1;
    return rc;
}

/* ---- --merge: cl-rollup --partial outputs read back ---------------------- */

int salesread_partial_layout(struct salesread_partial *p, const csvin *in, struct diag *diag)
{
    static const char *const required[] = {
        "order", "revenue", "quantity", "lines", "first_date", "last_date"
    };
    long col[6];
    for (size_t i = 0; i < 6; i++)
        if ((col[i] = csvin_find(in, required[i])) < 0)
            return diag_set(diag, "%s: no \"%s\" column: --merge reads what cl-rollup "
                            "--partial writes", csvin_name(in), required[i]);
    p->order = col[0];
    p->revenue = col[1];
    p->quantity = col[2];
    p->lines = col[3];
    p->first_date = col[4];
    p->last_date = col[5];
    p->margin = csvin_find(in, "margin");
    p->returns = csvin_find(in, "returns");
    p->return_lines = csvin_find(in, "return_lines");
    p->by_count = (size_t)p->order - 1;
    if (p->order < 1 || p->by_count > SALES_MAX_BY)
        return diag_set(diag, "%s: not a cl-rollup --partial output", csvin_name(in));
    /* partials of sales with a prescriber column end with it */
    long last_column = (long)csvin_columns(in) - 1;
    p->prescriber = last_column > p->last_date &&
                    strcmp(csvin_column_name(in, (size_t)last_column),
                           "prescriber") == 0 ? last_column : -1;
    return 0;
}

int salesread_header_again(const csvin *in)
{
    if (csvin_fields(in) != csvin_columns(in))
        return 0;
    for (size_t i = 0; i < csvin_fields(in); i++)
        if (strcmp(csvin_field(in, i, NULL), csvin_column_name(in, i)) != 0)
            return 0;
    return 1;
}

/* A text cell an --excel output put behind an apostrophe, read back as the
 * text it was. */
static void unneutralise(struct csvfield *f)
{
    if (f->len >= 2 && f->ptr[0] == '\'' && strchr("=+-@\t\r", f->ptr[1])) {
        f->ptr++;
        f->len--;
    }
}

int salesread_partial_row(const struct salesread_partial *p, const csvin *in,
                          struct csvfield *f, struct sales_line *line, struct diag *diag)
{
    struct rollup_totals *t = &line->totals;
    struct datetime first, last;
    int64_t lines;
    int lines_dec;
    /* partials written with --excel: decimal comma, and text cells that
     * were put behind an apostrophe read back as they were */
    char mark = csvio_source_mark(csvin_delim(in));
    for (long c = 0; mark == ',' && c <= p->order; c++)
        unneutralise(&f[c]);
    if (mark == ',' && p->prescriber >= 0)
        unneutralise(&f[p->prescriber]);    /* the prescriber is an id too */
    int bad = parse_date(f[p->first_date].ptr, f[p->first_date].len, "%Y-%m-%d", DATE_DMY,
                         &first) != PARSE_OK;
    bad |= parse_date(f[p->last_date].ptr, f[p->last_date].len, "%Y-%m-%d", DATE_DMY,
                      &last) != PARSE_OK;
    bad |= parse_decimal(f[p->revenue].ptr, f[p->revenue].len, &mark, &t->revenue,
                         &line->amount_decimals) != PARSE_OK;
    bad |= parse_decimal(f[p->quantity].ptr, f[p->quantity].len, &mark, &t->quantity,
                         &line->quantity_decimals) != PARSE_OK;
    bad |= parse_decimal(f[p->lines].ptr, f[p->lines].len, &mark, &lines,
                         &lines_dec) != PARSE_OK;
    t->margin = 0;
    line->margin_decimals = 0;
    if (p->margin >= 0)
        bad |= parse_decimal(f[p->margin].ptr, f[p->margin].len, &mark, &t->margin,
                             &line->margin_decimals) != PARSE_OK;
    t->returns = t->return_lines = 0;
    int64_t scaled_return_lines = 0;
    int returns_dec, return_lines_dec = 0;
    if (p->returns >= 0)
        bad |= parse_decimal(f[p->returns].ptr, f[p->returns].len, &mark, &t->returns,
                             &returns_dec) != PARSE_OK;
    if (p->return_lines >= 0)
        bad |= parse_decimal(f[p->return_lines].ptr, f[p->return_lines].len, &mark,
                             &scaled_return_lines, &return_lines_dec) != PARSE_OK;
    t->return_lines = scaled_return_lines / MONEY_SCALE;
    if (bad || return_lines_dec != 0 || t->return_lines < 0 || t->return_lines > lines)
        bad = 1;
    if (bad || lines_dec != 0 || lines <= 0)
        return diag_set(diag, "%s:%ld: not a cl-rollup --partial row", csvin_name(in),
                        csvin_line(in));
    t->lines = lines / MONEY_SCALE;
    t->first_day = first.days;
    t->last_day = last.days;
    line->order = f[p->order].ptr;
    line->order_len = f[p->order].len;
    return 0;
}

/* ---- dates far outside the others -------------------------------------- */

unsigned long long salesread_outlying_dates(const struct date_spread *spread,
                                            const char *const *sources, int nsources,
                                            const char *hint, void (*say)(const char *message))
{
    int q1, q3, low, high;
    if (date_spread_fence(spread, &q1, &q3, &low, &high) != 0)
        return 0;
    unsigned long long outlying = 0;
    int shown = 0, years = 0;
    char message[DIAG_MAX];
    for (int y = 1; y < DATE_SPREAD_YEARS; y++) {
        const struct date_spread_year *e = &spread->years[y];
        if (e->lines == 0 || !date_spread_outside(y, low, high))
            continue;
        outlying += e->lines;
        years++;
        if (shown == 10)
            continue;
        shown++;
        char day[16], where[64] = "";
        const char *path = e->source >= 0 && e->source < nsources ? sources[e->source] : NULL;
        if (path && e->first > 0)
            snprintf(where, sizeof where, ":%lld", e->first);
        snprintf(message, sizeof message, "%s%s: date %s is far outside the other dates (half "
                 "the lines are dated %d to %d): %llu line%s in %d; a placeholder or a typo? "
                 "(%s)", !path ? "the files" : strcmp(path, "-") == 0 ? "stdin" : path, where,
                 format_date(e->first_day, day), q1, q3, (unsigned long long)e->lines,
                 e->lines == 1 ? "" : "s", y, hint);
        say(message);
    }
    if (years > shown) {
        snprintf(message, sizeof message, "dates in %d more years far outside the other dates",
                 years - shown);
        say(message);
    }
    return outlying;
}
