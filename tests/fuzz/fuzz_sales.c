/* cl-rollup's input path: any bytes as a sales export, read line by line
 * into the roll-up and written out; through the prescriber book too when
 * a prescriber column is found (per client or per prescriber). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csvio.h"
#include "fuzz.h"
#include "prescriber.h"
#include "rollup.h"
#include "sales.h"

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
    size_t n = csvin_columns(in);
    const char *names[CSVIN_MAX_FIELDS];
    for (size_t i = 0; i < n; i++)
        names[i] = csvin_column_name(in, i);
    struct sales_request request;
    memset(&request, 0, sizeof request);
    struct sales_layout layout;
    struct sales_marks marks;
    struct rollup rollup;
    struct prescriber_book book;
    memset(&rollup, 0, sizeof rollup);
    memset(&book, 0, sizeof book);
    struct csvfield fields[64];
    char *key = NULL;
    size_t key_cap = 0;
    if (sales_layout_init(&layout, &marks, &request, names, n, csvin_delim(in), "fuzz", &diag) == 0 &&
        rollup_init(&rollup, size % 2 ? ROLLUP_ORDER : ROLLUP_CUSTOMER, &diag) == 0 &&
        prescriber_init(&book, size % 3 ? PRESCRIBER_CLIENTS : PRESCRIBER_ROLLUP,
                        layout.by_count, &diag) == 0) {
        while (csvin_next(in, &diag) > 0) {
            size_t count = csvin_fields(in);
            if (count > 64)
                continue;
            for (size_t i = 0; i < count; i++)
                fields[i].ptr = csvin_field(in, i, &fields[i].len);
            struct sales_line line;
            enum sales_reason why;
            char detail[96];
            if (sales_read(&layout, &marks, fields, count,
                           &line, &why, detail, &diag) != SALES_OK)
                continue;
            long len = sales_key(&layout, fields, &key, &key_cap);
            const char *prescriber = NULL;
            size_t prescriber_len = 0;
            sales_prescriber(&layout, fields, &prescriber, &prescriber_len);
            if (len >= 0 && layout.prescriber >= 0)
                prescriber_add(&book, &rollup, key, (size_t)len, prescriber, prescriber_len,
                               line.order, line.order_len, &line.totals, &diag);
            else if (len >= 0)
                rollup_add(&rollup, key, (size_t)len, line.order, line.order_len, &line.totals, &diag);
        }
        FILE *sink = fopen("/dev/null", "w");
        if (sink) {
            struct csvout out;
            csvout_init(&out, sink, 0);
            const char *header[SALES_MAX_BY + 1] = { "customer" };
            struct rollup_output how = { .header = header, .with_margin = layout.with_margin,
                                         .asof = rollup.max_day + 1 };
            if (layout.prescriber < 0 || prescriber_columns(&book, &rollup, &how, &diag) == 0)
                rollup_write(&rollup, &out, &how, &diag);
            fclose(sink);
        }
    }
    rollup_free(&rollup);
    prescriber_free(&book);
    free(key);
    csvin_close(in);
    close(fd);
    return 0;
}
