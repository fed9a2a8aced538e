/* salesread_range — the parallel reader of salesread.h: a regular file (or
 * a pipe's copy, salesread_spool.c) cut into byte ranges at line ends, each
 * read by a thread through the lean scanner (scan.h) into a sink of its
 * own; with a rejects file, chunks claimed in file order whose rejected
 * rows are written in that order as soon as the chunks before are;
 * anything the scanner cannot judge makes the caller read again in
 * sequence. */
#define _GNU_SOURCE     /* sync_file_range */

#include "salesread_core.h"

#include "buf.h"
#include "csvrange.h"
#include "encoding.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- rejected rows in file order ---------------------------------------
 * With --rejects the input is read in chunks of about 4 MiB, each cut
 * after a line end outside quotes and claimed in file order (a pipe's as
 * they arrive, from its spool). A worker reads its chunk whole, counts its
 * line ends and publishes the count: the chunk's first line is known as
 * soon as the chunks before it are counted, which takes them a moment, not
 * a read. Its rejected rows are then formatted with their true lines into
 * a buffer of its own, written to the rejects file once the chunks before
 * it are, by whichever worker finishes the last of them. Each row is
 * written once; what waits is a few chunks' rows. */

/* A regular file's chunks: about 4 MiB, read from cache. Against 1 MiB, a
 * quarter of the claims, waits and wake-ups, and each chunk's rows (about
 * 1.2 MB on the bench file) mostly written past stdio's buffer of 256 KiB
 * instead of copied into it: 5% less CPU and wall time with --rejects. A
 * chunk and its last line fit the workers' buffer (CHUNK_BUFFER). */
#define FILE_CHUNK (4ll << 20)

struct order {
    pthread_mutex_t lock;
    pthread_cond_t changed;
    pthread_mutex_t claim_lock; /* claims are numbered in file order */
    struct salesread_spool *spool;  /* not NULL: a pipe's chunks, as they arrive */
    int fd;
    long long next, size;       /* a regular file: the next chunk starts at next */
    long long chunk;            /* bytes before a chunk's cut */
    size_t buffer;              /* a worker's buffer: a chunk longer fails the read */
    int cutting;                /* the last chunk claimed is being cut: next not known */
    long long claimed;          /* chunks handed out */
    long long in_flight;        /* at most this many claimed and not written */
    /* per chunk, by number (cap of each) */
    long long *lines;           /* its line ends, -1 not counted yet */
    long long *base;            /* its first line, once the chunks before are counted */
    struct buf **rows;          /* its rows, formatted, waiting for the chunks before */
    size_t cap;
    long long counted;          /* chunks [0, counted) have their first line */
    long long next_base;        /* the first line of chunk `counted` */
    long long written;          /* chunks [0, written) are written */
    int writing;                /* a worker is writing a chunk's rows */
    int failed;                 /* a worker failed: every one stops */
    struct buf **spare;         /* written chunks' buffers, for the next ones */
    size_t nspare, spare_cap;
    /* where the rows go: the rejects file (cut back on a fall back), or a
     * temporary file (spill_fd > 0) copied there when the read succeeds */
    struct salesread_rejects *rejects;
    const csvin *in;
    int spill_fd;
    long long spilled;
    int kick_fd;                /* >= 0: the rejects file, a regular file (see put_rows) */
    long long unkicked;         /* bytes written there since its writeback was started */
};

#define KICK_BYTES (8ll << 20)  /* the rejects file's writeback is started every 8 MiB */

/* Number a chunk claimed (o->lock held). @return 1, or -1 out of memory. */
static int order_number(struct order *o, long long *number)
{
    if ((size_t)o->claimed == o->cap) {
        size_t cap = o->cap ? o->cap * 2 : 64;
        long long *lines = realloc(o->lines, cap * sizeof *lines);
        if (lines)
            o->lines = lines;
        long long *base = realloc(o->base, cap * sizeof *base);
        if (base)
            o->base = base;
        struct buf **rows = realloc(o->rows, cap * sizeof *rows);
        if (rows)
            o->rows = rows;
        if (!lines || !base || !rows)
            return -1;
        o->cap = cap;
    }
    *number = o->claimed++;
    o->lines[*number] = -1;
    o->rows[*number] = NULL;
    return 1;
}

/* Claim the next chunk: its number, its bytes [start, end); a regular
 * file's end is -1, for the worker to cut (order_cut).
 * @return 1, 0 none left (or a worker failed), -1 the pipe could not be
 * read or out of memory. */
static int order_claim(struct order *o, long long *number, long long *start, long long *end)
{
    int got = 0;
    pthread_mutex_lock(&o->lock);
    while (!o->failed && (o->claimed - o->written >= o->in_flight || o->cutting))
        pthread_cond_wait(&o->changed, &o->lock);
    int failed = o->failed;
    if (!failed && !o->spool && o->next < o->size) {
        *start = o->next;
        *end = -1;
        if ((got = order_number(o, number)) == 1)
            o->cutting = 1;
    }
    pthread_mutex_unlock(&o->lock);
    if (failed || !o->spool)
        return got;
    pthread_mutex_lock(&o->claim_lock);    /* a pipe's chunks, numbered in order */
    got = salesread_spool_claim(o->spool, o->chunk, start, end);
    if (got == 1) {
        pthread_mutex_lock(&o->lock);
        got = order_number(o, number);
        pthread_mutex_unlock(&o->lock);
    }
    pthread_mutex_unlock(&o->claim_lock);
    return got;
}

/* The end of the chunk being cut: the next one starts there. */
static void order_cut(struct order *o, long long end)
{
    pthread_mutex_lock(&o->lock);
    o->next = end;
    o->cutting = 0;
    pthread_cond_broadcast(&o->changed);
    pthread_mutex_unlock(&o->lock);
}

static void order_fail(struct order *o)
{
    pthread_mutex_lock(&o->lock);
    o->failed = 1;
    pthread_cond_broadcast(&o->changed);
    pthread_mutex_unlock(&o->lock);
    if (o->spool)
        salesread_spool_stop(o->spool);
}

/* Publish the line ends of chunk `number` and wait for the chunks before
 * it to be counted. @return the chunk's first line, or -1: a worker failed. */
static long long order_first_line(struct order *o, long long number, long long lines)
{
    pthread_mutex_lock(&o->lock);
    o->lines[number] = lines;
    if (o->counted == number) {
        while (o->counted < o->claimed && o->lines[o->counted] >= 0) {
            o->base[o->counted] = o->next_base;
            o->next_base += o->lines[o->counted++];
        }
        pthread_cond_broadcast(&o->changed);
    }
    while (!o->failed && o->counted <= number)
        pthread_cond_wait(&o->changed, &o->lock);
    long long first = o->failed ? -1 : o->base[number];
    pthread_mutex_unlock(&o->lock);
    return first;
}

/* Write a chunk's rows where they go. @return 0, or -1. */
static int put_rows(struct order *o, const struct buf *rows)
{
    if (rows->len == 0)
        return 0;
    if (o->spill_fd > 0) {
        for (size_t done = 0; done < rows->len;) {
            ssize_t n = pwrite(o->spill_fd, rows->data + done, rows->len - done,
                               o->spilled + (long long)done);
            if (n <= 0 && errno != EINTR)
                return -1;
            done += n > 0 ? (size_t)n : 0;
        }
        o->spilled += (long long)rows->len;
        return 0;
    }
    salesread_core_rejects_header(o->rejects, o->in);
    fwrite(rows->data, 1, rows->len, o->rejects->out->fp);
    /* The rejects file is an atomic output whose fsync at the end waited
     * for all of it (293 MB, an eighth of the bench file's run, on one
     * thread): its writeback is started as it is written, so that the
     * disk works while the rows are read and the fsync finds little left. */
#ifdef SYNC_FILE_RANGE_WRITE
    if (o->kick_fd >= 0 && (o->unkicked += (long long)rows->len) >= KICK_BYTES &&
        fflush(o->rejects->out->fp) == 0) {
        (void)sync_file_range(o->kick_fd, 0, 0, SYNC_FILE_RANGE_WRITE);
        o->unkicked = 0;
    }
#endif
    return 0;
}

/* Hand over the rows of chunk `number` (*rows), and write every chunk
 * whose turn has come while no other worker writes. *rows becomes an
 * empty buffer for the next chunk (NULL: out of memory). */
static void order_commit(struct order *o, long long number, struct buf **rows)
{
    pthread_mutex_lock(&o->lock);
    o->rows[number] = *rows;
    *rows = o->nspare ? o->spare[--o->nspare] : NULL;
    while (!o->failed && !o->writing && o->written < o->claimed && o->rows[o->written]) {
        struct buf *turn = o->rows[o->written];
        o->writing = 1;
        pthread_mutex_unlock(&o->lock);
        int rc = put_rows(o, turn);
        buf_reset(turn);
        pthread_mutex_lock(&o->lock);
        o->rows[o->written++] = NULL;
        o->writing = 0;
        if (rc != 0)
            o->failed = 1;
        if (o->nspare < o->spare_cap)
            o->spare[o->nspare++] = turn;
        else
            free(buf_take(turn)), free(turn);
        pthread_cond_broadcast(&o->changed);
    }
    pthread_mutex_unlock(&o->lock);
    if (!*rows && (*rows = malloc(sizeof **rows)) != NULL)
        buf_init(*rows, 0);
}

/* Copy the rows held in the temporary file to the rejects file, after its
 * header. @return 0, or -1 (it could not be read). */
static int copy_spilled(struct order *o)
{
    char block[65536];
    if (o->spilled > 0)
        salesread_core_rejects_header(o->rejects, o->in);
    for (long long at = 0; at < o->spilled;) {
        size_t want = o->spilled - at < (long long)sizeof block ? (size_t)(o->spilled - at)
                                                                : sizeof block;
        ssize_t n = pread(o->spill_fd, block, want, at);
        if (n <= 0)
            return -1;
        fwrite(block, 1, (size_t)n, o->rejects->out->fp);
        at += n;
    }
    return 0;
}

static void order_free(struct order *o)
{
    for (long long i = o->written; i < o->claimed; i++)
        if (o->rows[i]) {
            buf_free(o->rows[i]);
            free(o->rows[i]);
        }
    for (size_t i = 0; i < o->nspare; i++) {
        buf_free(o->spare[i]);
        free(o->spare[i]);
    }
    free(o->spare);
    free(o->lines);
    free(o->base);
    free(o->rows);
    if (o->spill_fd > 0)
        close(o->spill_fd);
    pthread_mutex_destroy(&o->lock);
    pthread_mutex_destroy(&o->claim_lock);
    pthread_cond_destroy(&o->changed);
}

/* ---- the workers -------------------------------------------------------- */

/* A reader thread's state, on cache lines of its own (buf.h): it writes
 * its counts, spread and rejected rows at each line, beside the next one's
 * layout, which that thread reads at each line. */
struct worker {
    _Alignas(BUF_LINES) const struct sales_layout *layout;
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
     * reader names it; --rejects: chunks claimed from `order`, their
     * rejected rows formatted into `rows` with their lines */
    int strict;
    struct order *order;
    int raw_rejects;            /* the rejects writer writes a plain record as its bytes */
    struct buf *rows;           /* the rows of the chunk being read */
    struct salesread_digits line_digits;    /* the last rejected row's line */
    struct csvout rejects_fmt;  /* a writer into rows, like the rejects file's */
    const struct buf *ending;   /* per reason: what ends a row after its line cell */
    struct salesread_spool *spool; /* not NULL: the ranges are claimed as the pipe arrives */
    /* other periods read in the same pass: lines judged on read_layout */
    const struct sales_layout *read_layout;
    const struct salesread_period *also;
    size_t nalso;
    long index;                 /* the worker's: also[p].sinks[index], counts[index] */
    struct date_spread *also_spread;    /* one per period (years NULL: not counted) */
};

/* Format a rejected record as the sequential reader writes it, its line
 * cell `line`, into the worker's rows. */
static void keep_reject(struct worker *w, const struct scan_record *rec, long long line,
                        enum sales_reason why)
{
    struct buf *rows = w->rows;
    salesread_digits_set(&w->line_digits, line);
    const char *digits = w->line_digits.d;
    int len = w->line_digits.len;
    /* A record without quoted fields (the scanner's rec->quoted: then its
     * bytes hold no quote and its fields lie in them) is what csvout
     * writes of its fields, but for the fields that start or end with a
     * space, which it quotes: its bytes, from its first field to the end
     * of its last, are copied with those quotes (the rejects writer is
     * plain CSV with the input's delimiter, checked by the caller:
     * w->raw_rejects), then the delimiter, the line and the reason's
     * ending, formatted once by csvout. */
    const struct csvfield *fields = rec->fields;
    size_t count = rec->count;
    int in_record = w->raw_rejects && count > 0 && rec->quoted == 0, spaced = 0;
    for (size_t i = 0; in_record && i < count; i++) {
        size_t flen = fields[i].len;
        if (flen > 0)
            spaced |= (fields[i].ptr[0] == ' ') | (fields[i].ptr[flen - 1] == ' ');
    }
    const struct buf *ending = &w->ending[why];
    if (in_record) {
        const char *raw = fields[0].ptr;
        const char *raw_end = fields[count - 1].ptr + fields[count - 1].len;
        /* room for the quotes, and the line's digits copied whole */
        size_t need = (size_t)(raw_end - raw) + 2 * count + 1 + sizeof w->line_digits.d +
                      ending->len;
        if (!rows->data || rows->failed || rows->cap - rows->len <= need) {
            if (buf_reserve(rows, need) != 0) {
                w->failed = 1;  /* out of memory: the sequential reader writes */
                return;
            }
        }
        char *at = rows->data + rows->len;
        const char *from = raw;
        for (size_t i = 0; spaced && i < count; i++) {
            const struct csvfield *f = &fields[i];
            if (f->len == 0 || (f->ptr[0] != ' ' && f->ptr[f->len - 1] != ' '))
                continue;
            memcpy(at, from, (size_t)(f->ptr - from));
            at += f->ptr - from;
            *at++ = '"';
            memcpy(at, f->ptr, f->len);
            at += f->len;
            *at++ = '"';
            from = f->ptr + f->len;
        }
        memcpy(at, from, (size_t)(raw_end - from));
        at += raw_end - from;
        *at++ = w->delim;
        memcpy(at, digits, sizeof w->line_digits.d);    /* a fixed size: no call */
        at += len;
        memcpy(at, ending->data, ending->len);
        at += ending->len;
        rows->len = (size_t)(at - rows->data);
        rows->data[rows->len] = '\0';
    } else {
        struct csvout *out = &w->rejects_fmt;
        for (size_t i = 0; i < count; i++)
            csvout_text_len(out, fields[i].ptr, fields[i].len);
        csvout_text_len(out, "", 0);    /* the line cell's separator, then its digits */
        buf_add(rows, digits, (size_t)len);
        csvout_text(out, sales_reason_text[why]);
        csvout_end_row(out);
    }
    if (rows->failed)
        w->failed = 1;          /* out of memory: the sequential reader writes */
}

/* Read the records of [start, end) (start at a record) into the sink;
 * `loaded` bytes of it are in buf already. With first_line >= 0 (the
 * line of start), the rejected rows are formatted into w->rows. A range
 * must end exactly on end, else its boundary was inside a quoted field:
 * w->failed. */
static void work_range(struct worker *w, char *buf, struct scan_record *rec,
                       long long start, long long end, size_t loaded, long long first_line)
{
    struct salesread_counts *counts = w->counts;
    long long pos = start, read_to = start + (long long)loaded;
    size_t have = loaded, off = 0;
    long long line = first_line;    /* the line where the next record's bytes start */
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
        long long record_line = line + (long long)rec->blank_lines;
        line += (long long)rec->lines;
        off += consumed;
        long long record_at = pos;
        pos += (long long)consumed;
        counts->lines_read++;
        struct sales_line sale;
        enum sales_reason why;
        char detail[96];
        struct diag diag;
        enum sales_result got = sales_read(w->read_layout, &w->marks, rec->fields, rec->count,
                                           &sale, &why, detail, &diag);
        for (size_t p = 0; p < w->nalso && got != SALES_FATAL && !w->failed; p++) {
            const struct salesread_period *ap = &w->also[p];
            int rc = salesread_core_tally(ap, ap->sinks[w->index], &ap->counts[w->index],
                                          w->also_spread[p].years ? &w->also_spread[p] : NULL,
                                          w->layout, rec->fields, got, why, &sale, record_at,
                                          w->source, &diag);
            if (rc < 0 || (rc > 0 && w->strict))
                w->failed = 1;
        }
        if (w->nalso)
            got = salesread_core_result(w->layout->has_from, w->layout->from,
                                        w->layout->has_to, w->layout->to, got, why, &sale);
        switch (got) {
        case SALES_OK:
            if (w->add(w->sink, w->layout, rec->fields, &sale, &diag) != 0) {
                w->failed = 1;
            } else {
                counts->lines_used++;
                if (sale.rounded && counts->rounded == 0) {
                    w->rounded_offset = record_at;
                    diag_quote(sale.rounded_field.ptr, sale.rounded_field.len,
                               counts->rounded_example, sizeof counts->rounded_example);
                }
                counts->rounded += (unsigned long long)sale.rounded;
                counts->ids_trimmed += (unsigned long long)sale.key_trimmed;
                if (w->spread.years)
                    date_spread_add(&w->spread, sale.totals.first_day, record_at, w->source);
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
            if (first_line >= 0)
                keep_reject(w, rec, record_line, why);
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

/* Read len bytes at offset. @return 0, or -1. */
static int read_fully(int fd, char *buf, size_t len, long long offset)
{
    for (size_t done = 0; done < len;) {
        ssize_t n = pread(fd, buf + done, len - done, offset + (long long)done);
        if (n <= 0)
            return -1;
        done += (size_t)n;
    }
    return 0;
}

/* Read a regular file's chunk from start and cut it after the first line
 * end past o->chunk bytes that is outside quotes: with well-formed
 * records (anything else makes the scanner fail the read) a quote opens
 * or closes a quoted field or is one of a doubled pair, so the line ends
 * after an even number of quotes end records. *len: the chunk's bytes,
 * in buf; *lines: its line ends, counted in the same pass as the quotes.
 * @return its end, or -1 (a line over 1 MiB, a read error). */
static long long cut_chunk(struct worker *w, char *buf, long long start, size_t *len,
                           long long *lines)
{
    const struct order *o = w->order;
    long long rest = o->size - start;
    size_t have = (size_t)(rest < o->chunk + 4096 ? rest : o->chunk + 4096);
    if (read_fully(w->fd, buf, have, start) != 0)
        return -1;
    if (rest <= o->chunk) {
        *len = (size_t)rest;
        *lines = salesread_core_count_lf(buf, *len);
        return o->size;
    }
    long long lf;
    int quoted = csvrange_count_two(buf, (size_t)o->chunk, '"', '\n', &lf) & 1;
    for (size_t i = (size_t)o->chunk;; i++) {
        if (i == have) {
            if ((long long)have == rest) {
                *len = have;
                *lines = lf;
                return o->size;
            }
            long long left = rest - (long long)have;
            size_t more = left < 65536 ? (size_t)left : 65536;
            if (have + more > o->buffer ||
                read_fully(w->fd, buf + have, more, start + (long long)have) != 0)
                return -1;
            have += more;
        }
        if (buf[i] == '"') {
            quoted = !quoted;
        } else if (buf[i] == '\n') {
            lf++;
            if (!quoted) {
                *len = i + 1;
                *lines = lf;
                return start + (long long)i + 1;
            }
        }
    }
}

/* A chunk claimed from the order: read whole, its line ends published,
 * its records read once its first line is known, its rows handed over. */
static void work_chunk(struct worker *w, char *buf, struct scan_record *rec,
                       long long number, long long start, long long end)
{
    struct order *o = w->order;
    size_t len;
    long long lines;
    if (end < 0) {
        if ((end = cut_chunk(w, buf, start, &len, &lines)) < 0) {
            w->failed = 1;
            return;
        }
        order_cut(o, end);
    } else {
        len = (size_t)(end - start);
        if (len > o->buffer || read_fully(w->fd, buf, len, start) != 0) {
            w->failed = 1;      /* a line over 1 MiB, or the copy unreadable */
            return;
        }
        lines = salesread_core_count_lf(buf, len);
    }
    long long first = order_first_line(o, number, lines);
    if (first < 0 || !w->rows) {
        w->failed = 1;
        return;
    }
    w->rejects_fmt.mem = w->rows;
    work_range(w, buf, rec, start, end, len, first);
    if (!w->failed)
        order_commit(o, number, &w->rows);
}

static void *work(void *arg)
{
    struct worker *w = arg;
    char *buf = malloc(w->order ? w->order->buffer : WORK_BUFFER);
    struct scan_record rec = { 0 };
    long long start = 0, end = 0, number = 0;
    int claimed;
    if (!buf) {
        w->failed = 1;
    } else if (w->order) {
        while (!w->failed && (claimed = order_claim(w->order, &number, &start, &end)) != 0) {
            if (claimed < 0)
                w->failed = 1;          /* the pipe could not be read */
            else
                work_chunk(w, buf, &rec, number, start, end);
        }
        if (w->failed)
            order_fail(w->order);       /* the others stop: all is read again */
    } else if (!w->spool) {
        work_range(w, buf, &rec, w->start, w->end, 0, -1);
    } else {
        while (!w->failed &&
               (claimed = salesread_spool_claim(w->spool, SEGMENT, &start, &end)) != 0) {
            if (claimed < 0)
                w->failed = 1;          /* the pipe could not be read */
            else
                work_range(w, buf, &rec, start, end, 0, -1);
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
    struct worker *w = buf_lines_calloc((size_t)n, sizeof *w);
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
    /* --rejects: chunks in file order (see struct order), at least four
     * per thread, so that small files are cut as well */
    struct order order;
    struct buf ending[SALES_REASONS];
    memset(&order, 0, sizeof order);
    if (keep) {
        pthread_mutex_init(&order.lock, NULL);
        pthread_mutex_init(&order.claim_lock, NULL);
        pthread_cond_init(&order.changed, NULL);
        order.spool = spool;
        order.fd = fd;
        order.next = data;
        order.size = size;
        order.chunk = (size - data) / (4 * n) + 1;
        if (order.chunk > FILE_CHUNK || spool)
            order.chunk = FILE_CHUNK;   /* a pipe's size is not known yet */
        order.in_flight = 2 * n + 2;
        order.buffer = !spool && size - data < (long long)CHUNK_BUFFER ? (size_t)(size - data) + 1
                                                                        : CHUNK_BUFFER;
        order.next_base = csvin_offset_line(in);
        order.rejects = rejects;
        order.in = in;
        order.spare_cap = (size_t)order.in_flight;
        if (!(order.spare = calloc(order.spare_cap, sizeof *order.spare)))
            no_memory = 1;
        /* what ends a row after its line cell: the reason and the line end */
        for (int r = 0; r < SALES_REASONS; r++) {
            struct csvout fmt;
            buf_init(&ending[r], 0);
            csvout_init_mem(&fmt, &ending[r], rejects->out);
            csvout_text_len(&fmt, "", 0);
            csvout_text(&fmt, sales_reason_text[r]);
            csvout_end_row(&fmt);
            no_memory |= ending[r].failed;
        }
    }
    long long at = data;
    for (long i = 0; i < n; i++) {
        memset(&counts[i], 0, sizeof counts[i]);
        w[i].layout = layout;
        w[i].read_layout = nalso ? &hull : layout;
        w[i].also = also;
        w[i].nalso = nalso;
        w[i].index = i;
        if (nalso && !(w[i].also_spread = buf_lines_calloc(nalso, sizeof *w[i].also_spread)))
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
        if (keep) {
            w[i].order = &order;
            w[i].raw_rejects = !rejects->out->excel && rejects->out->delim == csvin_delim(in);
            w[i].ending = ending;
            w[i].line_digits = (struct salesread_digits)SALESREAD_DIGITS_INIT;
            if ((w[i].rows = buf_lines_calloc(1, sizeof *w[i].rows)) != NULL)
                buf_init(w[i].rows, 0);
            csvout_init_mem(&w[i].rejects_fmt, w[i].rows ? w[i].rows : &ending[0],
                            rejects->out);
        }
    }
    /* The rows go straight to the rejects file when it can be cut back to
     * where it was should the read fall back (the sequential reader then
     * writes them again); else to a temporary file, copied there once the
     * read succeeds. */
    long long rejects_at = -1;
    int header_was = rejects ? rejects->header_done : 0;
    order.kick_fd = -1;
    struct stat out_st;
    if (keep && !(fflush(rejects->out->fp) == 0 &&
                  fstat(fileno(rejects->out->fp), &out_st) == 0 && S_ISREG(out_st.st_mode) &&
                  (rejects_at = ftello(rejects->out->fp)) >= 0)) {
        struct diag diag;
        rejects_at = -1;
        if ((order.spill_fd = encoding_temporary(&diag)) < 0) {
            order.spill_fd = 0;
            no_memory = 1;
        }
    } else if (keep) {
        order.kick_fd = fileno(rejects->out->fp);
    }
    for (long i = 0; i < n && spread; i++)
        no_memory |= date_spread_init(&w[i].spread) != 0;
    long started = 0;
    for (; started < n && !no_memory; started++)
        if (pthread_create(&ids[started], NULL, work, &w[started]) != 0)
            break;
    int failed = no_memory || started < n;
    if (failed && keep)
        order_fail(&order);
    else if (failed && spool)
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
        salesread_core_spread_lines(spread, source, fd);
    }
    /* the other periods' dates: counts only (no line is named) */
    for (size_t p = 0; p < nalso && !failed; p++)
        for (long i = 0; i < n && also[p].spread; i++)
            date_spread_merge(also[p].spread, &w[i].also_spread[p]);
    if (keep) {
        failed |= order.failed || order.written != order.claimed;
        if (!failed && order.spill_fd > 0 && copy_spilled(&order) != 0)
            failed = 1;
        if (failed && rejects_at >= 0) {
            FILE *fp = rejects->out->fp;
            /* a regular file we could stat and tell: not expected to fail */
            if (fflush(fp) == 0 && ftruncate(fileno(fp), rejects_at) == 0)
                fseeko(fp, rejects_at, SEEK_SET);
        }
        if (failed)
            rejects->header_done = header_was;
        /* The rows are all written: their fsync (the rejects file is an
         * atomic output, committed by the caller with fsync and rename)
         * waits for the disk while the caller settles and writes its
         * output, where it waited after it (0.1 to 0.2 s on the bench
         * file, with the rename behind it). */
        int sync_fd;
        if (!failed && order.kick_fd >= 0 && fflush(rejects->out->fp) == 0 &&
            (sync_fd = dup(order.kick_fd)) >= 0)
            salesread_sync_later(sync_fd);
        order_free(&order);
        for (int r = 0; r < SALES_REASONS; r++)
            buf_free(&ending[r]);
    }
    for (long i = 0; i < n; i++) {
        date_spread_free(&w[i].spread);
        if (w[i].rows) {
            buf_free(w[i].rows);
            free(w[i].rows);
        }
        for (size_t p = 0; p < nalso && w[i].also_spread; p++)
            date_spread_free(&w[i].also_spread[p]);
        free(w[i].also_spread);
    }
    free(w);
    free(ids);
    free(ends);
    return !failed;
}
