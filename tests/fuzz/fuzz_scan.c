/* Differential: wherever the parallel path's scanner reads records, they
 * must be the records the libcsv reader returns, field for field. */
#include <stdlib.h>
#include <string.h>

#include "csvio.h"
#include "fuzz.h"
#include "scan.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char path[64];
    if (size < 2)
        return 0;
    char delim = ",;\t|"[data[0] % 4];
    data++;
    size--;
    /* the scanner reads after the header: give both the same header */
    static const char header[] = "h\n";
    uint8_t *whole = malloc(size + 2);
    if (!whole)
        return 0;
    memcpy(whole, header, 2);
    memcpy(whole + 2, data, size);
    int fd = fuzz_memfile(whole, size + 2, path, sizeof path);
    if (fd < 0) {
        free(whole);
        return 0;
    }
    struct diag diag;
    csvin *in = csvin_open(path, delim, &diag);
    if (in) {
        struct scan_record rec = { 0 };
        size_t pos = 0;
        for (;;) {
            size_t consumed;
            enum scan_status st = scan_next((const char *)data + pos, size - pos, 1, delim,
                                            &rec, &consumed);
            if (st == SCAN_FALLBACK)
                break;      /* the scanner declines: the reader decides */
            int got = csvin_next(in, &diag);
            if (st == SCAN_END) {
                if (got != 0)
                    __builtin_trap();
                break;
            }
            /* the scanner read a record: so must the reader, the same one */
            if (got != 1 || csvin_fields(in) != rec.count)
                __builtin_trap();
            for (size_t i = 0; i < rec.count; i++) {
                size_t len;
                const char *f = csvin_field(in, i, &len);
                if (len != rec.fields[i].len || memcmp(f, rec.fields[i].ptr, len) != 0)
                    __builtin_trap();
            }
            pos += consumed;
        }
        scan_record_free(&rec);
        csvin_close(in);
    }
    close(fd);
    free(whole);
    return 0;
}
