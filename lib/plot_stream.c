/* plot_stream.c — the charts of a large table from its rows read in
 * blocks (plot.h, plot_scripts_stream): the kinds that keep a few numbers
 * a row (pareto, lorenz and abc over cl-pareto's rows) or a few per class
 * (rfm) read only the fields they parse, record by record, from a buffer
 * of 4 MiB, where plot_scripts has the whole file and every cell's offset
 * in memory (table_load: the 688 MB pareto.csv of 5 M clients as 1.4 GiB).
 *
 * This is a shortcut, not a second reader: it takes only what the
 * table's way certainly reads to the same numbers (a ',' file the lean
 * scanner reads to its end, every row of the header's width, every number
 * a plain decimal chart_plain_number reads, no gap, no --where, the rows
 * in cl-pareto's order), and answers "not here" on anything else, before
 * any script is made: the caller then loads the table, whose scripts and
 * messages are the only ones. A chart that fails here is made again that
 * way too, for its message. */
#include "plot_chart.h"

#include <fcntl.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "csvin.h"
#include "encoding.h"
#include "parse.h"
#include "scan.h"

#define STREAM_BLOCK     ((size_t)1 << 22)      /* bytes read at a time */
#define STREAM_BLOCK_MAX ((size_t)1 << 28)      /* a longer record: not here */
#define STREAM_FILE_MAX  ((long long)1 << 31)   /* a larger file: the table's limits */
#define STREAM_NAMES     64                     /* distinct classes or segments */
#define STREAM_NUMBER    64                     /* bytes of a number read here */

/* ---- the records, block after block -------------------------------------- */

struct stream {
    int fd;
    long long at;           /* the file's next byte to read */
    char delim;
    size_t columns;
    char *buf;
    size_t cap, len, pos;
    int at_end;
    struct scan_record rec;
};

/* @return 1 ready; 0 not here (not a regular file, too large, no memory). */
static int stream_open(struct stream *s, csvin *in)
{
    struct stat st;
    memset(s, 0, sizeof *s);
    s->fd = csvin_fd(in);
    s->at = csvin_offset(in);
    s->delim = csvin_delim(in);
    s->columns = csvin_columns(in);
    if (fstat(s->fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size < s->at
        || st.st_size - s->at > STREAM_FILE_MAX || csvin_growing(in))
        return 0;
    s->cap = STREAM_BLOCK;
    s->buf = malloc(s->cap);
    return s->buf != NULL;
}

static void stream_close(struct stream *s)
{
    free(s->buf);
    scan_record_free(&s->rec);
    s->buf = NULL;
}

/* The next record into s->rec (its fields valid until the next call).
 * @return 1 a record of the header's width; 0 the end; -1 not here (a
 * record the scanner does not take, a ragged one, a read error). */
static int stream_next(struct stream *s)
{
    for (;;) {
        size_t consumed;
        enum scan_status status = scan_next(s->buf + s->pos, s->len - s->pos, s->at_end,
                                            s->delim, &s->rec, &consumed);
        if (status == SCAN_END)
            return 0;
        if (status == SCAN_RECORD) {
            s->pos += consumed;
            return s->rec.count == s->columns ? 1 : -1;
        }
        if (status != SCAN_NEED_MORE || s->at_end)
            return -1;
        memmove(s->buf, s->buf + s->pos, s->len - s->pos);     /* a record cut by the block */
        s->len -= s->pos;
        s->pos = 0;
        if (s->len == s->cap) {
            char *bigger = s->cap < STREAM_BLOCK_MAX ? realloc(s->buf, s->cap * 2) : NULL;
            if (!bigger)
                return -1;
            s->buf = bigger;
            s->cap *= 2;
        }
        ssize_t n = pread(s->fd, s->buf + s->len, s->cap - s->len, s->at);
        if (n < 0)
            return -1;
        s->at += n;
        s->len += (size_t)n;
        s->at_end = n == 0;
    }
}

/* Field col's number as chart_number reads a plain decimal. @return 1
 * with *out; 0 empty; -1 anything else (not here). */
static int stream_number(const struct stream *s, long col, double *out)
{
    const struct csvfield *f = &s->rec.fields[col];
    char text[STREAM_NUMBER];
    if (f->len == 0)
        return 0;
    if (f->len >= sizeof text)
        return -1;
    memcpy(text, f->ptr, f->len);
    text[f->len] = '\0';
    return chart_plain_number(text, '.', out) ? 1 : -1;
}

/* Field col as a name among a few, kept once (classes, segments).
 * @return it, or NULL: more than STREAM_NAMES, or no memory. */
struct names {
    char *name[STREAM_NAMES];
    size_t len[STREAM_NAMES];
    size_t n;
};

static const char *stream_name(struct names *k, const struct stream *s, long col, size_t *index)
{
    const struct csvfield *f = &s->rec.fields[col];
    for (size_t i = 0; i < k->n; i++)
        if (k->len[i] == f->len && memcmp(k->name[i], f->ptr, f->len) == 0) {
            *index = i;
            return k->name[i];
        }
    if (k->n == STREAM_NAMES || !(k->name[k->n] = malloc(f->len + 1)))
        return NULL;
    memcpy(k->name[k->n], f->ptr, f->len);
    k->name[k->n][f->len] = '\0';
    k->len[k->n] = f->len;
    *index = k->n;
    return k->name[k->n++];
}

static void names_free(struct names *k)
{
    for (size_t i = 0; i < k->n; i++)
        free(k->name[i]);
    k->n = 0;
}

/* ---- cl-pareto's rows ---------------------------------------------------- */

/* What read_pareto_rows (plot_kinds.c) makes of the rows, made here:
 * c->prows, c->prows_npos, c->prows_vcol; the keys of the first `keys`
 * rows kept (the named clients: the rows are in rank order), the others
 * "". @return 1 done, 0 not here. */
static int stream_pareto(struct chart *c, struct stream *s, const struct plot_options *o,
                         struct names *classes, char **keys, size_t nkeys)
{
    const struct table *t = c->t;
    long rank = chart_find_column(t, "rank"), share = chart_find_column(t, "share");
    long cum = chart_find_column(t, "cum_share");
    long cumc = chart_find_column(t, "cum_clients_share"), cls = chart_find_column(t, "class");
    if (rank < 0 || share < 0 || cum < 0 || cumc < 0 || cls < 0)
        return 0;
    /* the value column: --value's, else the first numeric column before
     * rank whose values over their positive total are the shares: taken
     * here only when it is the first (column 1), as cl-pareto writes it */
    long vcol = o->value_column ? chart_find_column(t, o->value_column) : rank > 1 ? 1 : -1;
    if (o->value_column && vcol < 0)
        return 0;
    size_t cap = 0, rows = 0, ones = 0;
    struct prow *p = NULL;
    double total = 0;
    int got;
    while ((got = stream_next(s)) == 1) {
        if (rows == cap) {
            size_t more = cap ? cap * 2 : 1 << 16;
            struct prow *bigger = realloc(p, more * sizeof *p);
            if (!bigger)
                break;
            p = bigger;
            cap = more;
        }
        struct prow *q = &p[rows];
        size_t index;
        if (!(q->cls = stream_name(classes, s, cls, &index)))
            break;
        int dash = strcmp(q->cls, "-") == 0;
        /* cl-pareto writes no share for the clients it leaves out, class "-" */
        int a = stream_number(s, rank, &q->rank), b = stream_number(s, share, &q->share);
        int d = stream_number(s, cum, &q->cum), e = stream_number(s, cumc, &q->cum_clients);
        if (a != 1 || b < 0 || d < 0 || e < 0 || (!dash && (b == 0 || d == 0 || e == 0)))
            break;
        if (b == 0)
            q->share = NAN;
        if (d == 0)
            q->cum = NAN;
        if (e == 0)
            q->cum_clients = NAN;
        if (vcol >= 0 && stream_number(s, vcol, &q->value) != 1)
            break;
        if (vcol >= 0 && !dash)
            total += q->value;
        q->order = rows;
        q->key = "";
        if (rows < nkeys) {
            const struct csvfield *f = &s->rec.fields[0];
            if (!(keys[rows] = malloc(f->len + 1)))
                break;
            memcpy(keys[rows], f->ptr, f->len);
            keys[rows][f->len] = '\0';
            q->key = keys[rows];
        }
        ones += q->rank == 1;
        /* in cl-pareto's order, checked as they come: not sorted here */
        if (rows > 0 && chart_prow_cmp(q - 1, q) >= 0)
            break;
        rows++;
    }
    int ok = got == 0 && rows > 0 && ones <= 1;
    /* the search's test, on the values read in order */
    if (ok && vcol >= 0 && !o->value_column) {
        ok = total > 0;
        for (size_t r = 0; r < rows && ok; r++)
            if (strcmp(p[r].cls, "-") != 0
                && fabs(p[r].value / total - p[r].share) > 1e-9 * fmax(1, fabs(p[r].share)))
                ok = 0;
    }
    for (size_t r = 0; r < rows && ok && vcol < 0; r++)
        p[r].value = p[r].share;
    if (!ok) {
        free(p);
        return 0;
    }
    size_t pos = 0;
    while (pos < rows && strcmp(p[pos].cls, "-") != 0)
        pos++;
    c->nrows = rows;
    c->prows = p;
    c->prows_npos = pos;
    c->prows_vcol = vcol;
    return 1;
}

/* ---- the RFM segments ------------------------------------------------------ */

/* What chart_rfm counts of the rows, counted here: c->segs, c->nsegs,
 * c->segs_total. @return 1 done, 0 not here. */
static int stream_rfm(struct chart *c, struct stream *s, const struct plot_options *o,
                      struct names *names, struct segment *seg)
{
    long scol = chart_find_column(c->t, "segment");
    long vcol = chart_rfm_value_column(c->t, o);
    if (scol < 0 || (o->value_column && vcol < 0))
        return 0;
    size_t rows = 0;
    double total = 0;
    int got;
    while ((got = stream_next(s)) == 1) {
        size_t i;
        const char *name = stream_name(names, s, scol, &i);
        if (!name)
            return 0;
        if (i == c->nsegs) {
            seg[i] = (struct segment){ name, 0, 0, 0 };
            c->nsegs++;
        }
        seg[i].clients++;
        if (vcol >= 0) {
            double v;
            if (stream_number(s, vcol, &v) != 1)
                return 0;   /* a gap: counted, or an error, by the table's way */
            seg[i].value += v;
            total += v;
        }
        rows++;
    }
    if (got != 0 || rows == 0)
        return 0;
    c->nrows = rows;
    c->segs = seg;
    c->segs_total = total;
    return 1;
}

/* ---- cl-kmeans' assignments ------------------------------------------------- */

/* The clusters kind's rows past its sample's size (struct cluster_rows):
 * the clusters and each row's counted in a first read; the rows drawn and
 * the axes' columns read again when the kind asks (twice or three times
 * through the file instead of the file in memory); both kept for the
 * next image. */
struct cluster_stream {
    struct cluster_rows cr;     /* first: the kind's callbacks get it */
    struct stream *s;
    long long data;             /* where the rows start */
    size_t total;
    unsigned char *first;
    struct names labels;
    /* the rows drawn, for the rates they were drawn at */
    double rate[100];
    size_t nk_rate;
    struct table drawn;
    size_t *rows;
    int drawn_done;
    /* the axes' columns, for the columns they are */
    long full_a, full_b;
    double *fa, *fb;
    int full_got;
};

static void stream_rewind(struct stream *s, long long data)
{
    s->at = data;
    s->len = s->pos = 0;
    s->at_end = 0;
}

static int cluster_draw(struct cluster_rows *cr, const double *rate, const size_t *which,
                        const struct table **drawn, const size_t **rows)
{
    struct cluster_stream *cs = (struct cluster_stream *)cr;
    if (cs->drawn_done && memcmp(cs->rate, rate, cr->nk * sizeof *rate) == 0) {
        *drawn = &cs->drawn;
        *rows = cs->rows;
        return 0;
    }
    table_free(&cs->drawn);
    free(cs->rows);
    cs->rows = NULL;
    cs->drawn_done = 0;
    memcpy(cs->rate, rate, cr->nk * sizeof *rate);
    struct table *t = &cs->drawn;
    struct buf arena;
    buf_init(&arena, (size_t)1 << 31);
    size_t cap = 0, r = 0, columns = cs->s->columns;
    char *key = NULL;
    size_t key_cap = 0;
    int got;
    t->columns = columns;
    stream_rewind(cs->s, cs->data);
    while ((got = stream_next(cs->s)) == 1 && r < cs->total) {
        double rate_r = rate[which[r]];
        const struct csvfield *f = cs->s->rec.fields;
        if (rate_r < 1) {       /* the kind's rule on the key (chart_clusters) */
            if (f[0].len + 1 > key_cap) {
                char *bigger = realloc(key, f[0].len + 64);
                if (!bigger)
                    break;
                key = bigger;
                key_cap = f[0].len + 64;
            }
            memcpy(key, f[0].ptr, f[0].len);
            key[f[0].len] = '\0';
            if ((double)chart_sample_hash(key) >= rate_r * 18446744073709551616.0) {
                r++;
                continue;
            }
        }
        if (t->rows == cap) {
            size_t more = cap ? cap * 2 : 1024;
            uint32_t *cells = realloc(t->cells, more * columns * sizeof *cells);
            size_t *rows_more = cells ? realloc(cs->rows, more * sizeof *rows_more) : NULL;
            if (cells)
                t->cells = cells;
            if (!rows_more)
                break;
            cs->rows = rows_more;
            cap = more;
        }
        for (size_t i = 0; i < columns; i++) {
            t->cells[t->rows * columns + i] = (uint32_t)arena.len;
            buf_add(&arena, f[i].ptr, f[i].len);
            buf_addc(&arena, '\0');
        }
        cs->rows[t->rows++] = r++;
    }
    free(key);
    t->arena = buf_take(&arena);
    if (got == 1 || r != cs->total || arena.failed || !t->arena) {
        buf_free(&arena);
        return -1;
    }
    cs->drawn_done = 1;
    *drawn = t;
    *rows = cs->rows;
    return 0;
}

/* A value of a sample's axis as chart_clusters reads it. @return 1 a
 * finite number, 0 not. */
static int axis_value(const struct csvfield *f, double *out)
{
    char text[STREAM_NUMBER], mark = '.';
    if (f->len >= sizeof text) {
        char *copy = malloc(f->len + 1);
        if (!copy)
            return 0;
        memcpy(copy, f->ptr, f->len);
        copy[f->len] = '\0';
        int ok = parse_double(copy, f->len, &mark, out) == PARSE_OK && isfinite(*out);
        free(copy);
        return ok;
    }
    memcpy(text, f->ptr, f->len);
    text[f->len] = '\0';
    return (chart_plain_number(text, mark, out) || parse_double(text, f->len, &mark, out)
            == PARSE_OK) && isfinite(*out);
}

static int cluster_full(struct cluster_rows *cr, long a, long b, double *full_a, double *full_b)
{
    struct cluster_stream *cs = (struct cluster_stream *)cr;
    if (!cs->fa && (!(cs->fa = malloc((cs->total + 1) * sizeof *cs->fa))
                    || !(cs->fb = malloc((cs->total + 1) * sizeof *cs->fb))))
        return -1;
    if (cs->full_got < 0 || cs->full_a != a || cs->full_b != b) {
        int bad_a = 0, bad_b = 0, got;
        size_t r = 0;
        stream_rewind(cs->s, cs->data);
        while ((got = stream_next(cs->s)) == 1 && r < cs->total) {
            const struct csvfield *f = cs->s->rec.fields;
            bad_a |= !bad_a && !axis_value(&f[a], &cs->fa[r]);
            bad_b |= !bad_b && !axis_value(&f[b], &cs->fb[r]);
            r++;
        }
        if (got != 0 || r != cs->total)
            return -1;
        cs->full_a = a;
        cs->full_b = b;
        cs->full_got = bad_a ? 1 : bad_b ? 2 : 0;
    }
    memcpy(full_a, cs->fa, cs->total * sizeof *full_a);
    memcpy(full_b, cs->fb, cs->total * sizeof *full_b);
    return cs->full_got;
}

/* The clusters and each row's (cluster_rows), counted here. @return 1
 * done (the kind reads the rest when it asks), 0 not here. */
static int stream_clusters(struct chart *c, struct stream *s, long long data,
                           struct cluster_stream *cs)
{
    long kcol = chart_find_column(c->t, "cluster"), lcol = chart_find_column(c->t, "label");
    if (kcol < 0)
        return 0;
    memset(cs, 0, sizeof *cs);
    cs->s = s;
    cs->data = data;
    cs->full_got = -1;
    cs->cr.draw = cluster_draw;
    cs->cr.full = cluster_full;
    struct cluster_rows *cr = &cs->cr;
    size_t cap = 0, rows = 0;
    int got;
    while ((got = stream_next(s)) == 1) {
        double id;
        if (stream_number(s, kcol, &id) != 1)
            return 0;
        size_t i = 0;
        while (i < cr->nk && cr->id[i] != id)
            i++;
        if (i == cr->nk) {
            size_t index;
            if (cr->nk == 100)
                return 0;       /* an error, said by the table's way */
            cr->id[i] = id;
            cr->label[i] = lcol >= 0 ? stream_name(&cs->labels, s, lcol, &index) : "";
            cr->size[i] = 0;
            if (!cr->label[i])
                return 0;
            cr->nk++;
        }
        cr->size[i]++;
        if (rows == cap) {
            size_t more = cap ? cap * 2 : 1 << 16;
            unsigned char *bigger = realloc(cs->first, more);
            if (!bigger)
                return 0;
            cs->first = bigger;
            cap = more;
        }
        cs->first[rows++] = (unsigned char)i;
    }
    if (got != 0 || rows <= CLUSTER_SAMPLE)
        return 0;               /* a small file: the table's way costs nothing */
    cs->total = rows;
    cr->first = cs->first;
    c->nrows = rows;
    c->clusters = cr;
    return 1;
}

static void cluster_stream_free(struct cluster_stream *cs)
{
    free(cs->first);
    names_free(&cs->labels);
    table_free(&cs->drawn);
    free(cs->rows);
    free(cs->fa);
    free(cs->fb);
    memset(cs, 0, sizeof *cs);
}

/* ---- the charts ------------------------------------------------------------ */

static int kind_is(const struct plot_options *o, const struct plot_options *image,
                   const char *name)
{
    const struct plot_kind *kind = image->kind ? image->kind : o->kind;
    return strcmp(kind->name, name) == 0;
}

int plot_scripts_stream(struct table *head, const char *path, char delim,
                        const struct plot_options *options, size_t n, char **scripts)
{
    memset(head, 0, sizeof *head);
    for (size_t i = 0; i < n; i++)
        scripts[i] = NULL;
    if (n == 0 || !options->kind || options->where_column || strcmp(path, "-") == 0)
        return 0;
    int pareto = 1, rfm = 1, clusters = 1;
    for (size_t i = 0; i < n; i++) {
        pareto &= kind_is(options, &options[i], "pareto") || kind_is(options, &options[i], "lorenz")
                  || kind_is(options, &options[i], "abc");
        rfm &= kind_is(options, &options[i], "rfm");
        clusters &= kind_is(options, &options[i], "clusters");
    }
    if (!pareto && !rfm && !clusters)
        return 0;
    /* csvin_open would check the whole file's UTF-8 first (encoding.h):
     * the scanner checks every record it takes, and a file it does not
     * take (or in UTF-16, or under --encoding) goes the table's way,
     * which reads it by the program's rule and says what it did */
    struct diag diag;
    struct stat st;
    unsigned char bom[2];
    if (encoding_input_name())
        return 0;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return 0;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)
        || (pread(fd, bom, 2, 0) == 2
            && ((bom[0] == 0xFF && bom[1] == 0xFE) || (bom[0] == 0xFE && bom[1] == 0xFF)))) {
        close(fd);
        return 0;
    }
    csvin *in = csvin_open_fd(fd, path, delim, &diag);     /* fd taken over */
    if (!in)
        return 0;
    struct stream s = { 0 };
    int done = csvin_delim(in) == ',' && stream_open(&s, in);
    /* the table without its rows: its name, delimiter and header */
    head->name = strdup(csvin_name(in));
    head->delim = csvin_delim(in);
    head->columns = csvin_columns(in);
    head->header = calloc(head->columns + 1, sizeof *head->header);
    done = done && head->name && head->header;
    for (size_t i = 0; done && i < head->columns; i++)
        done = (head->header[i] = strdup(csvin_column_name(in, i))) != NULL;
    struct chart c = { 0 };
    c.t = head;
    struct names names = { 0 };
    size_t nkeys = (size_t)(options->top > 0 ? options->top : 20);
    char **keys = pareto ? calloc(nkeys, sizeof *keys) : NULL;
    struct segment seg[STREAM_NAMES];
    struct cluster_stream cs = { 0 };
    if (done && pareto)
        done = keys && stream_pareto(&c, &s, options, &names, keys, nkeys);
    else if (done && rfm)
        done = stream_rfm(&c, &s, options, &names, seg);
    else if (done)
        done = stream_clusters(&c, &s, csvin_offset(in), &cs);
    if (done) {
        head->rows = c.nrows;
        done = chart_scripts(&c, options, n, scripts, &diag) == 0;   /* frees c.prows */
    } else {
        free(c.prows);
    }
    stream_close(&s);
    cluster_stream_free(&cs);
    csvin_close(in);
    names_free(&names);
    for (size_t i = 0; keys && i < nkeys; i++)
        free(keys[i]);
    free(keys);
    if (!done)
        table_free(head);
    return done;
}
