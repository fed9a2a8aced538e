/* Unit tests of lib/salesrun: a sales file that is UTF-8 for more than its
 * first MiB and then holds a Windows-1252 byte makes the run start again
 * with the file transcoded; the counts, the customers' revenue and an
 * --also period's must then be those of one reading, checked against sums
 * made here over the lines as they were written, with one thread and two. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "salesrun.h"
#include "t.h"

#define LINES 40000
#define CLIENTS 60

static long long sum_all[CLIENTS], sum_dec[CLIENTS];
static unsigned long long lines_dec;
static int guessed, warned;

static unsigned long long seed = 7;
static unsigned next_random(unsigned n)
{
    seed = seed * 6364136223846793005ull + 1442695040888963407ull;
    return (unsigned)((seed >> 33) % n);
}

/* LINES lines of 2011, cents 1..99999; the last note is "café" in 1252. */
static void write_file(const char *path)
{
    FILE *fp = fopen(path, "w");
    fputs("InvoiceNo,InvoiceDate,CustomerID,Quantity,UnitPrice,Note\n", fp);
    for (int i = 0; i < LINES; i++) {
        unsigned client = next_random(CLIENTS), month = 1 + next_random(12);
        unsigned day = 1 + next_random(28), cents = 1 + next_random(99999);
        fprintf(fp, "o%d,2011-%02u-%02u,c%u,1,%u.%02u,%s\n", i, month, day, client,
                cents / 100, cents % 100, i == LINES - 1 ? "caf\xe9" : "plain note text");
        sum_all[client] += cents;
        if (month == 12) {
            sum_dec[client] += cents;
            lines_dec++;
        }
    }
    fclose(fp);
}

static void warn(const char *message)
{
    (void)message;
    warned++;
}

static void encoding(const char *name, const struct encoding_result *enc)
{
    (void)name;
    guessed += enc->guessed;
}

static void date_order(csvin *in, struct sales_layout *layout)
{
    struct salesread_date_order order;
    salesread_date_order(in, layout, &order);
}

static void progress(unsigned long long lines)
{
    (void)lines;
}

static void notes(const struct salesread_counts *counts)
{
    (void)counts;
}

/* Period i's roll-up written and read back: each customer's revenue in
 * cents equals want[]. @return the number of customers that differ. */
static int check_revenue(struct salesrun *run, size_t i, const long long *want)
{
    FILE *fp = tmpfile();
    struct csvout out;
    struct diag diag;
    csvout_init(&out, fp, 0);
    if (salesrun_write(run, i, &out, &diag) != 0 || fflush(fp) != 0)
        return CLIENTS;
    rewind(fp);
    char line[4096];
    int revenue_col = -1, bad = 0, seen = 0;
    while (fgets(line, sizeof line, fp)) {
        char *field[64];
        int n = 0;
        for (char *p = strtok(line, ",\r\n"); p && n < 64; p = strtok(NULL, ",\r\n"))
            field[n++] = p;
        if (revenue_col < 0) {
            for (int k = 0; k < n; k++)
                if (strcmp(field[k], "revenue") == 0)
                    revenue_col = k;
            continue;
        }
        if (revenue_col >= n || field[0][0] != 'c')
            return CLIENTS;
        int client = atoi(field[0] + 1);
        double value = strtod(field[revenue_col], NULL) * 100;
        long long cents = (long long)(value + (value < 0 ? -0.5 : 0.5));
        bad += client < 0 || client >= CLIENTS || cents != want[client];
        seen++;
    }
    fclose(fp);
    int expected = 0;
    for (int c = 0; c < CLIENTS; c++)
        expected += want[c] != 0;
    return bad + (seen != expected);
}

int main(void)
{
    char path[] = "/tmp/test_salesrun_XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0)
        return 1;
    close(fd);
    write_file(path);
    for (long threads = 1; threads <= 2; threads++) {
        static struct salesrun run;
        struct salesread_rejects rejects = { 0 };
        struct salesrun_config cfg = {
            .threads = threads, .nfiles = 1, .rejects = &rejects, .nalso = 1,
            .hooks = { warn, encoding, date_order, progress, notes },
        };
        struct diag diag;
        T_CHECK(salesrollup_period_parse("2011-12", 7, &cfg.also[0], &diag) == 0,
                "the --also period reads");
        cfg.also_text[0] = "2011-12";
        guessed = warned = 0;
        int rc = salesrun_init(&run, &cfg, &diag);
        if (rc == 0)
            rc = salesrun_read(&run, path, &diag);
        if (rc == 0)
            rc = salesrun_finish(&run, path, &diag);
        T_CHECK(rc == 0, "threads %ld: the run reads the file (%s)", threads,
                rc ? diag.message : "");
        T_CHECK(guessed == 1, "threads %ld: the encoding is guessed once, on the restart",
                threads);
        const struct salesread_counts *c = &run.period[0].counts;
        T_CHECK(c->lines_read == LINES && c->lines_used == LINES,
                "threads %ld: every line counted once after the restart (%llu read, %llu used)",
                threads, c->lines_read, c->lines_used);
        c = &run.period[1].counts;
        T_CHECK(c->lines_used == lines_dec && c->out_of_period == LINES - lines_dec,
                "threads %ld: the --also period counted once (%llu used, want %llu)",
                threads, c->lines_used, lines_dec);
        T_CHECK(check_revenue(&run, 0, sum_all) == 0,
                "threads %ld: each customer's revenue is the sum of its lines", threads);
        T_CHECK(check_revenue(&run, 1, sum_dec) == 0,
                "threads %ld: each customer's December revenue in the --also period", threads);
        salesrun_free(&run);
    }
    unlink(path);
    T_DONE();
}
