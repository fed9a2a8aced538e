/* The parallel ranges against the sequential reader, on any bytes as a
 * sales export: whenever salesread_parallel_rejects reads the file (1 to 4
 * threads, the file cut into chunks wherever the size puts them), its
 * rejects file (written as the chunks are done) must be byte for byte
 * the one the libcsv reader writes, with the same lines, the same
 * counts and first examples and the same totals; with strict, it must
 * fall back exactly when the sequential reader stops at a reject. A
 * difference aborts. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csvio.h"
#include "fuzz.h"
#include "sales.h"
#include "salesread.h"

struct sum {
    long long lines;
    int64_t revenue, quantity;
};

static int add(void *ptr, const struct sales_layout *layout, const struct csvfield *fields,
               const struct sales_line *line, struct diag *diag)
{
    (void)layout;
    (void)fields;
    (void)diag;
    struct sum *s = ptr;
    s->lines++;
    s->revenue += line->totals.revenue;
    s->quantity += line->totals.quantity;
    return 0;
}

static void same_counts(const struct salesread_counts *a, const struct salesread_counts *b)
{
    if (a->lines_read != b->lines_read || a->lines_used != b->lines_used ||
        a->out_of_period != b->out_of_period || a->filtered != b->filtered ||
        a->headers != b->headers || a->rounded != b->rounded ||
        a->ids_trimmed != b->ids_trimmed || (a->rounded && a->rounded_line != b->rounded_line))
        abort();
    for (int r = 0; r < SALES_REASONS; r++)
        if (a->rejected[r] != b->rejected[r] ||
            (a->rejected[r] && (a->first_line[r] != b->first_line[r] ||
                                strcmp(a->first_detail[r], b->first_detail[r]) != 0)))
            abort();
}

/* Read the rest of in both ways (the parallel ranges leave it unmoved). */
static void compare(csvin *in, const struct sales_layout *layout,
                    const struct sales_marks *marks, long threads, int strict)
{
    char *par_bytes = NULL, *seq_bytes = NULL;
    size_t par_len = 0, seq_len = 0;
    FILE *par_fp = tmpfile();   /* a regular file: the first range writes into it at once */
    FILE *seq_fp = open_memstream(&seq_bytes, &seq_len);
    struct csvout par_out, seq_out;
    struct sum parts[4], seq_sum;
    void *sinks[4] = { &parts[0], &parts[1], &parts[2], &parts[3] };
    struct salesread_counts counts[4], par_total, seq_total;
    memset(parts, 0, sizeof parts);
    memset(&seq_sum, 0, sizeof seq_sum);
    memset(&par_total, 0, sizeof par_total);
    memset(&seq_total, 0, sizeof seq_total);
    if (!par_fp || !seq_fp)
        abort();
    csvout_init(&par_out, par_fp, 0);
    csvout_init(&seq_out, seq_fp, 0);
    struct salesread_rejects par_rejects = { .strict = strict, .out = &par_out };
    struct salesread_rejects seq_rejects = { .strict = strict, .out = &seq_out };
    int done = salesread_parallel_rejects(in, layout, marks, threads, add, sinks, counts, NULL,
                                          0, &par_rejects);
    struct sales_marks learnt = *marks;
    struct diag diag;
    int rc = salesread_sequential(in, layout, &learnt, add, &seq_sum, &seq_rejects, NULL,
                                  &seq_total, NULL, 0, &diag);
    fclose(seq_fp);
    long par_size = fflush(par_fp) == 0 ? ftell(par_fp) : -1;
    if (par_size < 0 || !(par_bytes = malloc((size_t)par_size + 1)))
        abort();
    rewind(par_fp);
    par_len = fread(par_bytes, 1, (size_t)par_size, par_fp);
    if (par_len != (size_t)par_size)
        abort();
    fclose(par_fp);
    if (done) {
        if (rc != 0)
            abort();            /* the ranges read what the reader refuses */
        struct sum par_sum = { 0, 0, 0 };
        for (long i = 0; i < threads; i++) {
            salesread_counts_add(&par_total, &counts[i]);
            par_sum.lines += parts[i].lines;
            par_sum.revenue += parts[i].revenue;
            par_sum.quantity += parts[i].quantity;
        }
        same_counts(&par_total, &seq_total);
        if (par_sum.lines != seq_sum.lines || par_sum.revenue != seq_sum.revenue ||
            par_sum.quantity != seq_sum.quantity)
            abort();
        if (par_len != seq_len || memcmp(par_bytes, seq_bytes, par_len) != 0)
            abort();            /* the rejects files differ */
    } else if (par_len != 0) {
        abort();                /* a fall back must have written nothing */
    }
    free(par_bytes);
    free(seq_bytes);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char path[64];
    int fd = fuzz_memfile(data, size, path, sizeof path);
    if (fd < 0)
        return 0;
    struct diag diag;
    for (int strict = 0; strict < 2; strict++) {
        csvin *in = csvin_open(path, 0, &diag);
        if (!in)
            break;
        struct sales_request request;
        memset(&request, 0, sizeof request);
        struct sales_layout layout;
        struct sales_marks marks;
        if (salesread_layout(in, &request, &layout, &marks, &diag) == 0)
            compare(in, &layout, &marks, 1 + (long)(size % 4), strict);
        csvin_close(in);
    }
    close(fd);
    return 0;
}
