/* The CSV reader and the whole-table loader on any bytes: they must return
 * records or a diagnostic, never crash, leak or read out of bounds. */
#include <string.h>

#include "csvio.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char path[64];
    int fd = fuzz_memfile(data, size, path, sizeof path);
    if (fd < 0)
        return 0;
    struct diag diag;
    static const char delims[] = { 0, ',', ';', '\t', '|' };
    char delim = delims[size ? data[0] % 5 : 0];
    csvin *in = csvin_open(path, delim, &diag);
    if (in) {
        size_t total = 0;
        while (csvin_next(in, &diag) > 0) {
            for (size_t i = 0; i < csvin_fields(in); i++) {
                size_t len;
                const char *f = csvin_field(in, i, &len);
                total += len + (size_t)(f[len] == '\0');
            }
            if (csvin_line(in) < 1)
                __builtin_trap();
        }
        (void)total;
        csvin_close(in);
    }
    struct table table;
    if (table_load(&table, path, delim, &diag) == 0) {
        for (size_t r = 0; r < table.rows; r++)
            for (size_t c = 0; c < table.columns; c++)
                if (table_cell(&table, r, c) == NULL)
                    __builtin_trap();
        table_free(&table);
    }
    close(fd);
    return 0;
}
