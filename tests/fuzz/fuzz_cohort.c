/* cl-cohort's input path: any bytes as a sales export, read through
 * salesread (the parallel ranges when it can, else libcsv, as the tools
 * do) into cohort cells, the table built in the period the input's size
 * picks and written out, bounded or not. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cohort.h"
#include "csvio.h"
#include "fuzz.h"
#include "sales.h"
#include "salesread.h"

struct sink {
    struct cohort_lines lines;
    char *key;
    size_t key_cap;
};

static int add(void *ptr, const struct sales_layout *layout, const struct csvfield *fields,
               const struct sales_line *line, struct diag *diag)
{
    struct sink *s = ptr;
    long len = sales_key(layout, fields, &s->key, &s->key_cap);
    if (len < 0)
        return diag_set(diag, "out of memory");
    return cohort_lines_add(&s->lines, s->key, (size_t)len, line->totals.first_day,
                            line->totals.revenue, line->amount_decimals, diag);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char path[64];
    int fd = fuzz_memfile(data, size, path, sizeof path);
    if (fd < 0)
        return 0;
    struct diag diag;
    csvin *in = csvin_open(path, 0, &diag);
    if (!in) {
        close(fd);
        return 0;
    }
    enum cohort_period period = (enum cohort_period)(size % 3);
    struct sales_request request;
    memset(&request, 0, sizeof request);
    struct sales_layout layout;
    struct sales_marks marks;
    struct sink main_sink, parts[2];
    memset(&main_sink, 0, sizeof main_sink);
    memset(parts, 0, sizeof parts);
    if (salesread_layout(in, &request, &layout, &marks, &diag) == 0 &&
        cohort_lines_init(&main_sink.lines, period, &diag) == 0 &&
        cohort_lines_init(&parts[0].lines, period, &diag) == 0 &&
        cohort_lines_init(&parts[1].lines, period, &diag) == 0) {
        struct salesread_counts counts[2], total;
        memset(&total, 0, sizeof total);
        void *sinks[2] = { &parts[0], &parts[1] };
        int done = size % 2 &&
                   salesread_parallel(in, &layout, &marks, 2, add, sinks, counts, NULL, 0);
        if (done) {
            cohort_lines_merge(&main_sink.lines, &parts[0].lines, &diag);
            cohort_lines_merge(&main_sink.lines, &parts[1].lines, &diag);
        } else {
            salesread_sequential(in, &layout, &marks, add, &main_sink, NULL, NULL, &total, NULL, 0,
                                 &diag);
        }
        struct cohort_options options = { .unbounded = (int)(size / 2 % 2) };
        struct cohort_table table;
        if (cohort_table_build(&table, &main_sink.lines, &options, &diag) == 0) {
            FILE *out_fp = fopen("/dev/null", "w");
            if (out_fp) {
                struct csvout out;
                csvout_init(&out, out_fp, 0);
                cohort_write(&table, &out);
                cohort_write_summary(&table, &out);
                fclose(out_fp);
            }
            cohort_table_free(&table);
        }
    }
    cohort_lines_free(&main_sink.lines);
    for (int i = 0; i < 2; i++) {
        cohort_lines_free(&parts[i].lines);
        free(parts[i].key);
    }
    free(main_sink.key);
    csvin_close(in);
    close(fd);
    return 0;
}
