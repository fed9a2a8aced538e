/* csvio: the reader's records and line numbers, the writer's quoting, and
 * the two ways of loading a table (scanner and libcsv) agreeing. */
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include "csvio.h"
#include "t.h"

static char path[64];

static void write_file(const char *text)
{
    strcpy(path, "/tmp/test_csvio.XXXXXX");
    int fd = mkstemp(path);
    if (fd < 0 || write(fd, text, strlen(text)) != (ssize_t)strlen(text))
        abort();
    close(fd);
}

/* Load the table from the file (scanner path) and through a pipe on
 * standard input (libcsv path); both must give the same cells and lines. */
static int same_both_ways(const char *text, struct table *t)
{
    struct diag diag;
    write_file(text);
    if (table_load(t, path, 0, &diag) != 0) {
        printf("# %s\n", diag.message);
        return 0;
    }
    int fds[2];
    if (pipe(fds) != 0)
        abort();
    if (fork() == 0) {
        close(fds[0]);
        if (write(fds[1], text, strlen(text)) < 0)
            _exit(1);
        _exit(0);
    }
    close(fds[1]);
    int saved = dup(0);
    dup2(fds[0], 0);
    close(fds[0]);
    struct table piped;
    int ok = table_load(&piped, "-", 0, &diag) == 0;
    dup2(saved, 0);
    close(saved);
    ok = ok && piped.rows == t->rows && piped.columns == t->columns;
    for (size_t r = 0; ok && r < t->rows; r++) {
        ok = piped.lines[r] == t->lines[r];
        for (size_t c = 0; ok && c < t->columns; c++)
            ok = strcmp(table_cell(&piped, r, c), table_cell(t, r, c)) == 0;
    }
    table_free(&piped);
    unlink(path);
    return ok;
}

int main(void)
{
    struct table t;
    T_CHECK(same_both_ways("a,b\n1,2\n\n\"x\ny\",\"q\"\"z\"\r\n3, 4 \n", &t),
            "table: the scanner and libcsv read the same table");
    T_CHECK(t.rows == 3 && t.lines[0] == 2 && t.lines[1] == 4 && t.lines[2] == 6,
            "table: physical lines 2, 4 (after a blank line), 6 (after a quoted newline)");
    T_STR(table_cell(&t, 1, 0), "x\ny", "table: quoted newline kept");
    T_STR(table_cell(&t, 1, 1), "q\"z", "table: doubled quote read as one");
    T_STR(table_cell(&t, 2, 1), " 4 ", "table: spaces kept (no trimming)");
    table_free(&t);
    T_CHECK(same_both_ways("\xEF\xBB\xBFk;v\n\n\nA;1,5\n", &t) && t.rows == 1 && t.lines[0] == 4,
            "table: BOM, ';' sniffed, blank lines counted");
    T_CHECK(t.delim == ';', "table: ';' sniffed");
    table_free(&t);
    T_CHECK(same_both_ways("a,b\n1,\"unclosed\n", &t) == 0, "table: an unterminated quote fails both ways");
    struct diag diag;
    write_file("a,b\n1,2\n3\n");
    T_CHECK(table_load(&t, path, 0, &diag) == -1 &&
            strstr(diag.message, ":3: 1 field where the header has 2") != NULL,
            "table: a ragged row names its line");
    unlink(path);

    /* the reader alone */
    write_file("x|y\n\"1|2\"|3\n");
    csvin *in = csvin_open(path, 0, &diag);
    T_CHECK(in && csvin_delim(in) == '|' && csvin_next(in, &diag) == 1 &&
            strcmp(csvin_field(in, 0, NULL), "1|2") == 0, "reader: '|' sniffed, quoted delimiter kept");
    csvin_close(in);
    unlink(path);

    /* the writer */
    char *buf = NULL;
    size_t size = 0;
    FILE *fp = open_memstream(&buf, &size);
    struct csvout out;
    csvout_init(&out, fp, 0);
    csvout_text(&out, "plain");
    csvout_text(&out, "a,b");
    csvout_text(&out, "say \"hi\"");
    csvout_text(&out, "=SUM(A1)");
    csvout_double(&out, 0.25);
    csvout_end_row(&out);
    fclose(fp);
    T_STR(buf, "plain,\"a,b\",\"say \"\"hi\"\"\",=SUM(A1),0.25\n", "writer: RFC 4180 quoting");
    free(buf);
    fp = open_memstream(&buf, &size);
    csvout_init(&out, fp, 1);
    csvout_text(&out, "=SUM(A1)");
    csvout_text(&out, "@cmd");
    csvout_text(&out, "-2+3");
    csvout_double(&out, 0.25);
    csvout_end_row(&out);
    fclose(fp);
    T_STR(buf, "\xEF\xBB\xBF\"'=SUM(A1)\";\"'@cmd\";\"'-2+3\";0,25\r\n",
          "writer --excel: BOM, ';', decimal comma, CRLF, formulas neutralised");
    free(buf);
    T_DONE();
}
