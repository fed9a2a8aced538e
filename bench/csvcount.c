/* The baseline of the benchmark: a plain libcsv parse of a file that only
 * counts records and fields, one core, as a program using libcsv the usual
 * way would read it. */
#include <csv.h>
#include <stdio.h>
#include <stdlib.h>

static unsigned long long fields, records;

static void on_field(void *s, size_t len, void *data) { (void)s; (void)len; (void)data; fields++; }
static void on_record(int c, void *data) { (void)c; (void)data; records++; }

int main(int argc, char **argv)
{
    struct csv_parser p;
    static char buf[1 << 16];
    FILE *fp = argc > 1 ? fopen(argv[1], "rb") : stdin;
    if (!fp || csv_init(&p, 0) != 0)
        return 1;
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, fp)) > 0)
        if (csv_parse(&p, buf, n, on_field, on_record, NULL) != n)
            return 1;
    csv_fini(&p, on_field, on_record, NULL);
    csv_free(&p);
    printf("%llu records, %llu fields\n", records, fields);
    return 0;
}
