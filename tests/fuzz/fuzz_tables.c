/* The per-client programs' input paths on any bytes: the table loader,
 * then cl-pareto's value column, cl-share's market table, cl-kmeans's
 * dataset reader, and cl-plot's script for every chart kind (where text
 * from the data meets gnuplot). The first byte picks options. */
#include <stdlib.h>
#include <string.h>

#include "csvio.h"
#include "dataset.h"
#include "fuzz.h"
#include "pareto.h"
#include "plot.h"
#include "share.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    unsigned choice = data[0];
    data++;
    size--;
    char path[64];
    int fd = fuzz_memfile(data, size, path, sizeof path);
    if (fd < 0)
        return 0;
    struct diag diag;
    struct table table;
    if (table_load(&table, path, 0, &diag) == 0) {
        if (table.columns > 1) {
            struct pareto_column column;
            if (pareto_column_read(&column, &table, 1, &diag) == 0)
                pareto_column_free(&column);
        }
        struct share share;
        struct share_options share_options;
        memset(&share_options, 0, sizeof share_options);
        share_init(&share);
        if (share_load_market(&share, &table, &share_options, &diag) == 0)
            share_finish(&share, &diag);
        share_free(&share);

        struct plot_options plot;
        memset(&plot, 0, sizeof plot);
        plot.kind = &plot_kinds[choice % plot_kind_count];
        plot.format = PLOT_SVG;
        plot.lang = choice & 0x80 ? L10N_FR : L10N_EN;
        plot.width = 1280;
        plot.height = 720;
        char *script = NULL;
        if (plot_script(&table, &plot, &script, &diag) == 0)
            free(script);
        table_free(&table);
    }
    struct dataset_read_options options;
    memset(&options, 0, sizeof options);
    options.keep_fields = (int)(choice & 1);
    struct dataset dataset;
    memset(&dataset, 0, sizeof dataset);
    dataset_read(&dataset, path, &options, &diag);
    dataset_free(&dataset);
    close(fd);
    return 0;
}
