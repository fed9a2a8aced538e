/* share: counts, every figure of a row, totals as ratios of sums, the
 * consistency errors, and the counting of clients from a roll-up. Every
 * expected number is computed by hand in the comments. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

#include "csvio.h"
#include "parse.h"
#include "share.h"
#include "t.h"

static char folder[] = "/tmp/test_share.XXXXXX";

/* Write text to a file in the scratch folder. @return its path (static). */
static const char *file(const char *name, const char *text)
{
    static char paths[8][256];
    static int next;
    char *path = paths[next++ % 8];
    snprintf(path, 256, "%s/%s", folder, name);
    FILE *fp = fopen(path, "w");
    if (!fp || fputs(text, fp) < 0 || fclose(fp) != 0) {
        perror(path);
        exit(1);
    }
    return path;
}

static void count_ok(const char *text, char mark, int64_t want)
{
    int64_t got = -42;
    enum parse_status st = parse_count(text, &mark, &got);
    T_CHECK(st == PARSE_OK && got == want, "count \"%s\" = %lld", text, (long long)want);
}

static void count_bad(const char *text, char mark, const char *want)
{
    int64_t got;
    enum parse_status st = parse_count(text, &mark, &got);
    T_STR(st != PARSE_OK ? parse_status_text(st) : "(accepted)", want, "count \"%s\" %s", text, want);
}

/* Load a market table (and a roll-up when given) and finish.
 * @return 0 or -1 with diag set. */
static int run(struct share *s, const char *market_text, const char *rollup_text,
               const struct share_options *given, struct diag *diag)
{
    struct share_options o = { 0 };
    if (given)
        o = *given;
    o.from_rollup = rollup_text != NULL;
    if (rollup_text && !o.segment)
        o.segment = "region";
    struct table t;
    share_init(s);
    if (table_load(&t, file("market.csv", market_text), 0, diag))
        return -1;
    int status = share_load_market(s, &t, &o, diag);
    table_free(&t);
    if (!status && rollup_text)
        status = share_count_clients(s, file("rollup.csv", rollup_text), 0, &o, diag);
    if (!status)
        status = share_finish(s, diag);
    return status;
}

/* The error message of a market table, with the folder removed. */
static const char *error_of(const char *market_text, const char *rollup_text)
{
    static char message[DIAG_MAX];
    struct share s;
    struct diag diag = { "" };
    if (run(&s, market_text, rollup_text, NULL, &diag) == 0) {
        share_free(&s);
        return "(no error)";
    }
    share_free(&s);
    const char *m = diag.message;
    size_t n = strlen(folder);
    char *out = message;
    while (*m) {
        if (strncmp(m, folder, n) == 0 && m[n] == '/') {
            m += n + 1;
            continue;
        }
        *out++ = *m++;
    }
    *out = '\0';
    return message;
}

static int has_warning(const struct share *s, const char *part)
{
    for (size_t i = 0; i < s->warning_count; i++)
        if (strstr(s->warnings[i], part))
            return 1;
    return 0;
}

static int same(double got, double want)
{
    return got == want;
}

int main(void)
{
    if (!mkdtemp(folder)) {
        perror("mkdtemp");
        return 1;
    }

    /* ---- counts */
    count_ok("1200", 0, 1200);
    count_ok("  1200 ", 0, 1200);
    count_ok("1 200", 0, 1200);
    count_ok("12 500 000", ',', 12500000);
    count_ok("1,234", 0, 1234);          /* a count has no decimals: a separator */
    count_ok("1.234", ',', 1234);        /* decimal comma: the dot groups thousands */
    count_ok("1200.0", 0, 1200);
    count_ok("-3", 0, -3);               /* read; refused later by the checks */
    count_ok("+7", 0, 7);
    count_ok("9223372036854775807", 0, INT64_MAX);
    count_bad("9223372036854775808", 0, "is out of range");
    count_bad("12.5", 0, "is not a whole number");
    count_bad("1,5", 0, "is not a whole number");
    count_bad("1,234", ',', "is not a whole number");
    count_bad("", 0, "is empty");
    count_bad("  ", 0, "is empty");
    count_bad("abc", 0, "is not a number");
    count_bad("12abc", 0, "is not a number");

    /* ---- figures of one row, by hand:
     * clients 1000, effective 8000, ncr 2000, population 16000,
     * revenue 360000, market 2400000:
     * potential 10000, competitors 7000, headroom 9000,
     * share_effective 1000/8000 = 0.125, share_potential 1000/10000 = 0.1,
     * penetration 8000/16000 = 0.5, share_value 360000/2400000 = 0.15 */
    struct share_row row = { 0 };
    row.value[SHARE_CLIENTS] = 1000;
    row.value[SHARE_EFFECTIVE] = 8000;
    row.value[SHARE_NCR] = 2000;
    row.value[SHARE_POPULATION] = 16000;
    row.value[SHARE_REVENUE] = 360000LL * MONEY_SCALE;
    row.value[SHARE_MARKET_REVENUE] = 2400000LL * MONEY_SCALE;
    for (int f = 0; f < SHARE_FIELDS; f++)
        row.known[f] = f != SHARE_NCA;
    struct share_figures fig;
    share_figures(&row, &fig);
    T_CHECK(fig.potential == 10000, "figures: potential = effective + ncr = 10000");
    T_CHECK(fig.competitors == 7000, "figures: competitors = effective - clients = 7000");
    T_CHECK(fig.headroom == 9000, "figures: headroom = potential - clients = 9000");
    T_CHECK(same(fig.share_effective, 0.125), "figures: share_effective = 1000/8000 = 0.125");
    T_CHECK(same(fig.share_potential, 0.1), "figures: share_potential = 1000/10000 = 0.1");
    T_CHECK(same(fig.penetration, 0.5), "figures: penetration = 8000/16000 = 0.5");
    T_CHECK(same(fig.share_value, 0.15), "figures: share_value = 360000/2400000 = 0.15");
    row.value[SHARE_EFFECTIVE] = 0;
    row.value[SHARE_NCR] = 0;
    row.value[SHARE_CLIENTS] = 0;
    row.value[SHARE_MARKET_REVENUE] = 0;
    row.known[SHARE_POPULATION] = 0;
    share_figures(&row, &fig);
    T_CHECK(isnan(fig.share_effective) && isnan(fig.share_potential) &&
            isnan(fig.share_value) && isnan(fig.penetration),
            "figures: zero or unknown denominators give NaN (an empty cell), not a division");

    /* ---- the optician (docs/share.md): totals are ratios of sums */
    struct share s;
    struct diag diag = { "" };
    const char *optician =
        "zone,population,effective,ncr,nca,clients,market_revenue,revenue\n"
        "Centre,16000,8000,2000,6000,1000,2400000.00,360000.00\n"
        "Nord,12500,5000,3000,4500,600,1500000.00,150000.00\n"
        "Sud,6000,3000,2000,1000,240,1100000.00,66000.00\n";
    int status = run(&s, optician, NULL, NULL, &diag);
    T_CHECK(status == 0, "optician: loads (%s)", status ? diag.message : "ok");
    if (status == 0) {
        const struct share_row *t = &s.totals[0];
        share_figures(t, &fig);
        /* sums: clients 1000+600+240 = 1840; effective 8000+5000+3000 =
         * 16000; ncr 2000+3000+2000 = 7000; population 34500; revenue
         * 576000; market 5000000 */
        T_CHECK(t->value[SHARE_CLIENTS] == 1840 && t->value[SHARE_EFFECTIVE] == 16000 &&
                t->value[SHARE_NCR] == 7000 && t->value[SHARE_NCA] == 11500 &&
                t->value[SHARE_POPULATION] == 34500 &&
                t->value[SHARE_REVENUE] == 576000LL * MONEY_SCALE &&
                t->value[SHARE_MARKET_REVENUE] == 5000000LL * MONEY_SCALE,
                "optician: TOTAL sums every count and amount");
        T_CHECK(fig.potential == 23000 && fig.competitors == 14160 && fig.headroom == 21160,
                "optician: TOTAL potential 23000, competitors 14160, headroom 21160");
        /* 1840/16000 = 0.115, whereas the mean of 0.125, 0.12, 0.08 is 0.10833 */
        T_CHECK(same(fig.share_effective, 1840.0 / 16000.0) && fabs(fig.share_effective - 0.115) < 1e-15,
                "optician: TOTAL share_effective = 1840/16000 = 0.115 (not the mean of ratios 0.1083)");
        T_CHECK(same(fig.share_potential, 1840.0 / 23000.0) && fabs(fig.share_potential - 0.08) < 1e-15,
                "optician: TOTAL share_potential = 1840/23000 = 0.08");
        T_CHECK(same(fig.penetration, 16000.0 / 34500.0),
                "optician: TOTAL penetration = 16000/34500");
        T_CHECK(fabs(fig.share_value - 0.1152) < 1e-15,
                "optician: TOTAL share_value = 576000/5000000 = 0.1152");
        T_CHECK(s.warning_count == 0, "optician: no warning");
    }
    share_free(&s);

    /* ---- nca and population derive from each other */
    status = run(&s, "segment,effective,ncr,population,clients\nA,10,5,40,2\n", NULL, NULL, &diag);
    T_CHECK(status == 0 && s.rows[0].known[SHARE_NCA] && s.rows[0].value[SHARE_NCA] == 25,
            "derived: nca = population - effective - ncr = 40 - 10 - 5 = 25");
    share_free(&s);
    status = run(&s, "segment,effective,ncr,nca,clients\nA,10,5,7,2\n", NULL, NULL, &diag);
    T_CHECK(status == 0 && s.rows[0].value[SHARE_POPULATION] == 22,
            "derived: population = effective + ncr + nca = 10 + 5 + 7 = 22");
    share_free(&s);

    /* ---- an unknown cell leaves the TOTAL of that column empty */
    status = run(&s, "segment,effective,ncr,clients,market_revenue\nA,10,5,2,100\nB,10,5,2,\n",
                 NULL, NULL, &diag);
    T_CHECK(status == 0 && !s.totals[0].known[SHARE_MARKET_REVENUE] &&
            has_warning(&s, "TOTAL: market_revenue left empty: unknown for 1 segment"),
            "unknown: TOTAL market_revenue left empty, with a warning");
    share_free(&s);

    /* ---- zero denominators: empty and a warning naming the segment */
    status = run(&s, "segment,effective,ncr,clients\nA,0,0,0\nB,4,0,1\n", NULL, NULL, &diag);
    T_CHECK(status == 0 && has_warning(&s, "market.csv:2: segment \"A\": share_effective left "
                                       "empty: 0 effective consumers"),
            "zero: share_effective warning names the segment and line");
    T_CHECK(has_warning(&s, "segment \"A\": share_potential left empty"),
            "zero: share_potential warning names the segment");
    share_free(&s);

    /* ---- consistency errors, to the letter */
    T_STR(error_of("segment,effective,ncr,clients\nNord,1000,10,1200\n", NULL),
          "market.csv:2: segment \"Nord\": 1200 clients but only 1000 effective consumers",
          "error: more clients than effective consumers");
    T_STR(error_of("segment,effective,ncr,clients\nA,1,1,1\nNord,-5,1,0\n", NULL),
          "market.csv:3: segment \"Nord\": negative effective (-5)", "error: negative count");
    T_STR(error_of("segment,effective,ncr,nca,population,clients\nNord,1000,800,3500,5000,1\n", NULL),
          "market.csv:2: segment \"Nord\": population 5000 is smaller than effective + ncr + nca "
          "(1000 + 800 + 3500 = 5300)", "error: population too small (with nca)");
    T_STR(error_of("segment,effective,ncr,population,clients\nNord,1000,800,1500,1\n", NULL),
          "market.csv:2: segment \"Nord\": population 1500 is smaller than effective + ncr "
          "(1000 + 800 = 1800)", "error: population too small (without nca)");
    T_STR(error_of("segment,effective,ncr,clients\nNord,12.5,1,1\n", NULL),
          "market.csv:2: segment \"Nord\": effective \"12.5\" is not a whole number",
          "error: a count with decimals");
    T_STR(error_of("segment,effective,ncr,clients\nNord,10,1,1\nSud,1,1,1\nNord,3,1,1\n", NULL),
          "market.csv:4: segment \"Nord\" is listed twice (lines 2 and 4)", "error: duplicate segment");
    T_STR(error_of("segment,effective,ncr,clients\nNord,10,1,1\nTotal,10,1,1\n", NULL),
          "market.csv:3: a segment is named \"Total\": remove the table's own total row, "
          "cl-share computes the TOTAL", "error: a totals row in the input");
    T_STR(error_of("segment,effective,ncr,clients,revenue,market_revenue\nNord,10,1,1,120.50,100\n", NULL),
          "market.csv:2: segment \"Nord\": revenue 120.50 but market revenue only 100",
          "error: revenue above the market's");
    T_STR(error_of("segment,effective,ncr\nNord,10,1\n", NULL),
          "market.csv: no clients column found (name it with --clients-column, or count the "
          "clients from a roll-up with --clients FILE --segment COL)", "error: no clients column");
    T_STR(error_of("segment,effective,clients\nNord,10,1\n", NULL),
          "market.csv: no ncr column found (name it with --ncr; columns: \"segment\", "
          "\"effective\", \"clients\")", "error: no ncr column");
    T_STR(error_of("zone,region,effective,ncr,clients\nA,B,10,1,1\n", NULL),
          "market.csv: two columns could be the segment: \"zone\" and \"region\" (name one with "
          "--segment)", "error: two segment columns");

    /* ---- French headers */
    status = run(&s, "Zone;Consommateurs r\xc3\xa9" "els;Non-consommateurs relatifs;"
                 "Non-consommateurs absolus;Nos clients;CA march\xc3\xa9;Chiffre d'affaires\n"
                 "Nord;1 000;500;250;100;10 000,50;1 000,25\n", NULL, NULL, &diag);
    T_CHECK(status == 0 && s.rows[0].value[SHARE_EFFECTIVE] == 1000 &&
            s.rows[0].value[SHARE_NCR] == 500 && s.rows[0].value[SHARE_NCA] == 250 &&
            s.rows[0].value[SHARE_CLIENTS] == 100 &&
            s.rows[0].value[SHARE_MARKET_REVENUE] == 10000500000LL &&
            s.rows[0].value[SHARE_REVENUE] == 1000250000LL,
            "french: every column found by its French name, numbers with spaces and commas (%s)",
            status ? diag.message : "ok");
    share_free(&s);

    /* ---- clients counted from a roll-up:
     * Nord: A, B, B again (one more row of B) -> 2 distinct; revenue
     *       0.1 + 0.2 + 0.3 = 0.6 exactly
     * Sud:  A (also in Nord: counts in both) -> 1; revenue 5
     * Est:  C: not in the market table -> warning, left out
     * Ouest (market): no clients -> 0 and a warning */
    const char *market = "segment,effective,ncr,market_revenue\n"
                         "Nord,10,10,100\nSud,4,0,50\nOuest,5,5,10\n";
    const char *rollup = "customer,region,revenue\n"
                         "A,Nord,0.1\nB,Nord,0.2\nB,Nord,0.3\nA,Sud,5\nC,Est,7.25\nD,nord,1\n";
    status = run(&s, market, rollup, NULL, &diag);
    T_CHECK(status == 0, "rollup: counts (%s)", status ? diag.message : "ok");
    if (status == 0) {
        T_CHECK(s.rows[0].value[SHARE_CLIENTS] == 2 && s.rows[1].value[SHARE_CLIENTS] == 1 &&
                s.rows[2].value[SHARE_CLIENTS] == 0,
                "rollup: distinct customers per segment: Nord 2, Sud 1, Ouest 0");
        T_CHECK(s.rows[0].value[SHARE_REVENUE] == 600000 && s.rows[1].value[SHARE_REVENUE] ==
                5 * MONEY_SCALE && s.rows[2].value[SHARE_REVENUE] == 0,
                "rollup: revenue summed exactly: Nord 0.1+0.2+0.3 = 0.6, Sud 5, Ouest 0");
        T_CHECK(s.totals[0].value[SHARE_CLIENTS] == 3,
                "rollup: TOTAL clients = 2 + 1 + 0 (A counts in Nord and in Sud)");
        share_figures(&s.rows[0], &fig);
        T_CHECK(same(fig.share_effective, 0.2) && same(fig.share_value, 0.6 / 100.0),
                "rollup: Nord share_effective 2/10 = 0.2, share_value 0.6/100 = 0.006");
        T_CHECK(has_warning(&s, "rollup.csv: segment \"Est\" is not in ") &&
                has_warning(&s, ": 1 client, revenue 7.25 left out"),
                "rollup: a segment of the sales missing from the market table is reported");
        T_CHECK(has_warning(&s, "segment \"nord\" is not in ") && has_warning(&s, "has \"Nord\")"),
                "rollup: a near miss (case) is reported with the market's spelling");
        T_CHECK(has_warning(&s, "market.csv:4: segment \"Ouest\" has no clients in "),
                "rollup: a market segment without clients is reported");
    }
    share_free(&s);
    T_STR(error_of("segment,effective,ncr\nNord,1,10\n", "customer,region,revenue\nA,Nord,1\nB,Nord,1\n"),
          "market.csv:2: segment \"Nord\": 2 clients (counted in rollup.csv) but only 1 effective "
          "consumers", "rollup: more clients than consumers names the roll-up");
    T_STR(error_of("segment,effective,ncr\nNord,1,10\n", "customer,region,revenue\nA,Nord,x\n"),
          "rollup.csv:2: revenue \"x\" is not a number", "rollup: a bad revenue names file and line");

    /* ---- periods: one TOTAL per period, in order of first appearance */
    status = run(&s, "period,segment,effective,ncr,clients\n2025,A,10,0,5\n2024,A,10,0,2\n"
                 "2025,B,10,10,1\n", NULL, NULL, &diag);
    T_CHECK(status == 0 && s.period_count == 2 && strcmp(s.periods[0], "2025") == 0 &&
            s.totals[0].value[SHARE_CLIENTS] == 6 && s.totals[0].value[SHARE_EFFECTIVE] == 20 &&
            s.totals[1].value[SHARE_CLIENTS] == 2,
            "periods: TOTAL 2025 = 5 + 1 clients of 20 effective; TOTAL 2024 = 2");
    share_free(&s);

    char command[300];
    snprintf(command, sizeof command, "rm -rf '%s'", folder);
    if (system(command) != 0)
        return 1;
    T_DONE();
}
