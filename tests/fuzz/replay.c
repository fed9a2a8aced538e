/* Replays saved inputs through a fuzz target without libFuzzer: make check
 * runs every seed and every saved crash this way. Prints one "ok" line per
 * file; a crash or a sanitizer report fails the run. */
#include <stdio.h>
#include <stdlib.h>

#include "fuzz.h"

int main(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        FILE *fp = fopen(argv[i], "rb");
        if (!fp) {
            printf("not ok - cannot open %s\n", argv[i]);
            return 1;
        }
        size_t cap = 1 << 16, len = 0, n;
        unsigned char *buf = malloc(cap);
        while (buf && (n = fread(buf + len, 1, cap - len, fp)) > 0) {
            len += n;
            if (len == cap) {
                unsigned char *more = realloc(buf, cap *= 2);
                if (!more) { free(buf); buf = NULL; }
                buf = more;
            }
        }
        fclose(fp);
        if (!buf)
            return 1;
        LLVMFuzzerTestOneInput(buf, len);
        free(buf);
        printf("ok - replay %s\n", argv[i]);
    }
    return 0;
}
