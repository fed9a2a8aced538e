/* salesread_range — the parallel reader of salesread.h: a regular file (or
 * a pipe's copy, salesread_spool.c) cut into byte ranges at line ends, each
 * read by a thread through the lean scanner (scan.h) into a sink of its
 * own; the rejected rows formatted per range and written in file order;
 * anything the scanner cannot judge makes the caller read again in
 * sequence. */
#include "salesread_core.h"

#include "buf.h"
#include "csvrange.h"
#include "encoding.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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

#define REJECTS_SPILL (8u << 20)    /* a worker's rejected rows go to a file past 8 MiB */

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
        salesread_core_rejects_header(w->direct, w->in);
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
            record_line = seg->lines + salesread_core_count_lf(raw, blank);
            seg->lines = record_line + salesread_core_count_lf(raw + blank, consumed - blank);
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
            int rc = salesread_core_tally(ap, ap->sinks[w->index], &ap->counts[w->index],
                                          w->also_spread[p].years ? &w->also_spread[p] : NULL,
                                          w->layout, rec->fields, got, why, &line, record_at,
                                          w->source, &diag);
            if (rc < 0 || (rc > 0 && w->strict))
                w->failed = 1;
        }
        if (w->nalso)
            got = salesread_core_result(w->layout->has_from, w->layout->from,
                                        w->layout->has_to, w->layout->to, got, why, &line);
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
        while (!w->failed && (claimed = salesread_spool_claim(w->spool, &start, &end)) != 0) {
            if (claimed < 0)
                w->failed = 1;          /* the pipe could not be read */
            else
                work_range(w, buf, &rec, start, end);
        }
    }
    if (w->spool && w->failed)
        salesread_spool_stop(w->spool);   /* the others claim no more: all is read again */
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
        e->first = date_spread_outside(y, low, high) ? salesread_core_line_at(fd, e->first) : 0;
    }
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
            salesread_core_rejects_header(rejects, in);
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
        salesread_spool_restart(spool, data);
    struct worker *w = calloc((size_t)n, sizeof *w);
    pthread_t *ids = calloc((size_t)n, sizeof *ids);
    long long *ends = calloc((size_t)n, sizeof *ends);     /* the ranges cut at line ends */
    if (!w || !ids || !ends) {
        free(w);
        free(ids);
        free(ends);
        return 0;
    }
    csvrange_cut(fd, data, size, n, ends);
    struct sales_layout hull;
    salesread_core_hull(layout, also, nalso, &hull);
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
        w[i].end = ends[i];
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
        salesread_spool_stop(spool);
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
            counts[first].first_line[r] = salesread_core_line_at(fd, w[first].first_offset[r]);
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
        long long at_byte = w[rounded_first].rounded_offset;
        counts[rounded_taken].rounded_line = salesread_core_line_at(fd, at_byte);
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
    free(ends);
    return !failed;
}
