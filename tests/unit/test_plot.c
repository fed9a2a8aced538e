/* Unit tests of lib/plot: quoting text for gnuplot, numbers for people,
 * and the script's shape. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "plot.h"
#include "plot_chart.h"

static int failures;

static void check(int ok, const char *name)
{
    printf("%s - %s\n", ok ? "ok" : "not ok", name);
    if (!ok)
        failures++;
}

static void quote_is(const char *text, size_t max, const char *expected, const char *name)
{
    char out[256];
    plot_quote(text, max, out, sizeof out);
    int ok = strcmp(out, expected) == 0;
    check(ok, name);
    if (!ok)
        printf("# got %s, expected %s\n", out, expected);
}

static void number_is(double v, int decimals, enum l10n_lang lang, const char *expected,
                      const char *name)
{
    char out[64];
    l10n_number(v, decimals, lang, out);
    int ok = strcmp(out, expected) == 0;
    check(ok, name);
    if (!ok)
        printf("# got \"%s\", expected \"%s\"\n", out, expected);
}

/* A table from CSV text, through a temporary file. */
static int load_table(struct table *t, const char *csv)
{
    char path[] = "/tmp/test_plot.XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0)
        return -1;
    FILE *fp = fdopen(fd, "w");
    fputs(csv, fp);
    fclose(fp);
    struct diag diag;
    int rc = table_load(t, path, ',', &diag);
    unlink(path);
    return rc;
}

/* ---- chart_plain_number against strtod -------------------------------- */

static uint64_t rng_state = 0x9e3779b97f4a7c15u;

static uint64_t rng(void)     /* xorshift64*: the same numbers on every run */
{
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 0x2545f4914f6cdd1du;
}

static size_t plain_checked, plain_fast, plain_wrong;

/* text read by chart_plain_number, when it reads it, is strtod's double to
 * the bit (the sign of a zero included) */
static void plain_check(const char *text, char mark)
{
    double fast, slow = strtod(text, NULL);
    plain_checked++;
    if (!chart_plain_number(text, mark, &fast))
        return;
    plain_fast++;
    if (memcmp(&fast, &slow, sizeof fast) != 0 && plain_wrong++ < 5)
        printf("# \"%s\": %.17g, strtod %.17g\n", text, fast, slow);
}

static int plain_is(const char *text, char mark, double expected)
{
    double v;
    return chart_plain_number(text, mark, &v) && memcmp(&v, &expected, sizeof v) == 0;
}

static void plain_numbers(void)
{
    char text[80];
    /* doubles of every magnitude the tables hold, written as cl-pareto and
     * printf write them (%.17g: 17 digits), and shorter */
    for (int i = 0; i < 400000; i++) {
        double v = ldexp((double)(rng() >> 11), -53 - (int)(rng() % 60)) *
                   (rng() % 4 == 0 ? pow(10, (double)(rng() % 12)) : 1);
        if (rng() % 8 == 0)
            v = -v;
        snprintf(text, sizeof text, "%.*g", 1 + (int)(rng() % 19), v);
        plain_check(text, '.');
        snprintf(text, sizeof text, "%.*f", (int)(rng() % 20), v);
        plain_check(text, '.');
    }
    /* random digits (up to 21 of them, leading zeros), a point anywhere,
     * an exponent or not */
    for (int i = 0; i < 400000; i++) {
        int n = 1 + (int)(rng() % 21), point = (int)(rng() % (uint64_t)(n + 1)), o = 0;
        for (int d = 0; d < n; d++) {
            if (d == point && rng() % 2)
                text[o++] = '.';
            text[o++] = (char)('0' + (d < 2 && rng() % 3 == 0 ? 0 : rng() % 10));
        }
        if (rng() % 2)
            o += snprintf(text + o, sizeof text - (size_t)o, "e%d", (int)(rng() % 71) - 35);
        text[o] = '\0';
        plain_check(text, '.');
    }
    /* ties: an odd 54-bit integer halves between two doubles; over 2 or 4
     * it is a tie too, and one unit of its last digit either side not */
    for (int i = 0; i < 100000; i++) {
        uint64_t tie = ((rng() >> 11) | ((uint64_t)1 << 53)) | 1;
        unsigned long long scaled = tie;
        for (int j = 0; j <= 2; j++) {
            for (int side = -1; side <= 1; side++) {
                unsigned long long digits = scaled + (unsigned long long)(long long)side;
                if (j == 0)
                    snprintf(text, sizeof text, "%llu", digits);
                else
                    snprintf(text, sizeof text, "%llue-%d", digits, j);
                plain_check(text, '.');
            }
            scaled *= 5;
        }
        snprintf(text, sizeof text, "%llu0e-1", (unsigned long long)tie);
        plain_check(text, '.');
    }
    /* just above a tie between two doubles, by less than the last bit of
     * the quotient kept (the tie's lower neighbour even): the remainder
     * alone says to round up (found by an exact search in rationals) */
    static const char *const above_tie[] = {
        "2951444788466698448e-27", "7409907708216604017e-27", "5523453471727003914e-26",
        "8780326360377772737e-26", "6891093243515325341e-25", "5191874898162254351e-25",
        "5383589114832662302e-24", "7132910398749372754e-24", "5297447505443342788e-23",
        "8741570565091897287e-23",
    };
    size_t fast_before = plain_fast;
    for (size_t i = 0; i < sizeof above_tie / sizeof above_tie[0]; i++)
        plain_check(above_tie[i], '.');
    check(plain_fast - fast_before == sizeof above_tie / sizeof above_tie[0],
          "plain numbers: the numbers just above a tie read without strtod");
    check(plain_wrong == 0, "plain numbers: strtod's double on every one read");
    check(plain_fast > plain_checked / 2, "plain numbers: most read without strtod");
    printf("# %zu numbers, %zu read without strtod, %zu wrong\n", plain_checked, plain_fast,
           plain_wrong);
    check(plain_is("9007199254740993", '.', 9007199254740992.0)
          && plain_is("9007199254740995", '.', 9007199254740996.0)
          && plain_is("4503599627370496.5", '.', 4503599627370496.0)
          && plain_is("4503599627370497.5", '.', 4503599627370498.0),
          "plain numbers: ties to even");
    check(plain_is("-0", '.', -0.0) && plain_is("+1.5", '.', 1.5) && plain_is("5.", '.', 5)
          && plain_is("2.4607464031889971e-06", '.', 2.4607464031889971e-06)
          && plain_is("12", ',', 12), "plain numbers: signs, a lone point, exponents");
    double v;
    check(!chart_plain_number("1.5", ',', &v) && !chart_plain_number("1,5", '.', &v)
          && !chart_plain_number(" 1", '.', &v) && !chart_plain_number("1 ", '.', &v)
          && !chart_plain_number("80%", '.', &v) && !chart_plain_number("", '.', &v)
          && !chart_plain_number(".", '.', &v) && !chart_plain_number("1e", '.', &v)
          && !chart_plain_number("1e99999", '.', &v) && !chart_plain_number("nan", '.', &v)
          && !chart_plain_number("12345678901234567890", '.', &v)
          && !chart_plain_number("1e-28", '.', &v) && !chart_plain_number("--1", '.', &v),
          "plain numbers: anything else left to parse_double");
}

int main(void)
{
    plain_numbers();
    quote_is("plain", 0, "'plain'", "quote: plain text");
    quote_is("", 0, "''", "quote: empty");
    quote_is("it's", 0, "'it' . \"'\" . 's'", "quote: a single quote written apart");
    quote_is("'", 0, "\"'\"", "quote: a lone quote");
    quote_is("''x", 0, "\"'\" . \"'\" . 'x'", "quote: quotes in a row");
    quote_is("`touch X`", 0, "'`touch X`'", "quote: backquotes stay inside single quotes");
    quote_is("a\nset output \"x\"", 0, "'a set output \"x\"'", "quote: newline replaced");
    quote_is("a\r\tb\x1b[1m", 0, "'a  b [1m'", "quote: control characters replaced");
    quote_is("a\xe2\x80\xa8" "b", 0, "'a b'", "quote: U+2028 replaced");
    quote_is("\xff\xfe", 0, "'?" "?'", "quote: invalid UTF-8 shown as ?");
    quote_is("abcdef", 3, "'abc\xe2\x80\xa6'", "quote: cut with an ellipsis");
    quote_is("\xc3\xa9t\xc3\xa9s", 2, "'\xc3\xa9t\xe2\x80\xa6'", "quote: cut counts characters, "
                                                                 "not bytes");
    quote_is("end\\", 0, "'end\\'", "quote: a trailing backslash cannot continue the line");
    {
        char small[20];
        plot_quote("a'b'c'd'e'f'g'h", 0, small, sizeof small);
        check(strlen(small) < sizeof small && small[strlen(small) - 1] == '\'',
              "quote: a small buffer cuts the text, the string stays closed");
    }

    number_is(1234567.891, 2, L10N_EN, "1,234,567.89", "number: English groups with commas");
    number_is(1234567.891, 2, L10N_FR, "1\xe2\x80\xaf" "234\xe2\x80\xaf" "567,89",
              "number: French narrow spaces and comma");
    number_is(999, 0, L10N_EN, "999", "number: no group under 1000");
    number_is(-1500, 0, L10N_EN, "\xe2\x88\x92" "1,500", "number: minus sign");
    number_is(-0.004, 2, L10N_EN, "0.00", "number: no minus on a rounded zero");
    {
        char out[64];
        l10n_percent(0.735, 1, L10N_EN, out);
        check(strcmp(out, "73.5%") == 0, "percent: English");
        l10n_percent(0.735, 1, L10N_FR, out);
        check(strcmp(out, "73,5\xe2\x80\xaf%") == 0, "percent: French");
    }

    const struct plot_kind *lorenz = plot_kind_find("lorenz");
    check(lorenz && strcmp(lorenz->name, "lorenz") == 0 && lorenz->build, "kind: lorenz");
    check(plot_kind_find("pie") == NULL, "kind: unknown");
    char list[256];
    check(strcmp(plot_kind_list(list, sizeof list), "pareto, lorenz, abc, migration, rfm, share, "
                 "clusters, select, personas, cohort, retention, alive, holdout, tracking "
                 "or value") == 0,
          "kind: the list for messages");

    /* an abc chart by hand: the bars and their labels */
    struct table t = { 0 };
    check(load_table(&t, "metric,value\nclass_A_clients,2\nclass_A_clients_share,0.2\n"
                         "class_A_value_share,0.75\nclass_B_clients,8\nclass_B_clients_share,0.8\n"
                         "class_B_value_share,0.25\n") == 0, "table loads");
    struct plot_options o = { .kind = plot_kind_find("abc"), .format = PLOT_SVG, .lang = L10N_EN,
                              .width = 1280, .height = 720 };
    struct diag diag;
    char *script = NULL;
    check(plot_script(&t, &o, &script, &diag) == 0, "script: abc builds");
    check(script && strstr(script, "set terminal svg size 1280,720 noenhanced"), "script: svg "
                                                                                 "terminal, "
                                                                                 "noenhanced");
    check(script && strstr(script, "$shares << EOD\n1 0.20000000000000001 0.75\n2 "
                                   "0.80000000000000004 0.25\nEOD\n"),
          "script: the datablock holds the shares");
    check(script && strstr(script, "'75%' at 1.200"), "script: value share labelled over its bar");
    check(script && strstr(script, "'Class B' . \"\\n\" . '8 clients' 2"), "script: class name "
                                                                           "and clients under the "
                                                                           "bar");
    free(script);

    /* a missing column names the chart and what it reads */
    o.kind = plot_kind_find("select");
    check(plot_script(&t, &o, &script, &diag) == -1
          && strstr(diag.message, ": no column \"k\": the select chart reads cl-kmeans --select"),
          "script: missing column message");
    /* a value that is not a number names file and line */
    table_free(&t);
    check(load_table(&t, "metric,value\nclass_A_clients,2\nclass_A_clients_share,x1\n") == 0,
          "table loads");
    o.kind = plot_kind_find("abc");
    check(plot_script(&t, &o, &script, &diag) == -1
          && strstr(diag.message, ":3: value \"x1\" is not a number"),
          "script: bad number message");
    table_free(&t);

    /* the SVG fixes: bold as a weight, ids once, no gnuplot tooltips */
    {
        const char *in_text =
            "<g id=\"gnuplot_plot_1a\" ><title>gnuplot_plot_1a</title>\n"
            "<g font-family=\"DejaVu Sans:Bold\" font-size=\"21.00\">T</g>"
            "<g font-family=\"DejaVu Sans\">t</g>\n"
            "<g id=\"gnuplot_plot_1a\" ><title>gnuplot_plot_1a</title>\n"
            "<title>Gnuplot</title>\n"
            "\t<g id=\"gnuplot_plot_1\" ><title>Class C\\n42 clients</title>\n";
        const char *expected =
            "<g id=\"gnuplot_plot_1\" >\n"
            "<g font-family=\"DejaVu Sans\" font-weight=\"bold\" font-size=\"21.00\">T</g>"
            "<g font-family=\"DejaVu Sans\">t</g>\n"
            "<g id=\"gnuplot_plot_2\" >\n"
            "<title>Gnuplot</title>\n"
            "\t<g id=\"gnuplot_plot_3\" >\n";
        FILE *in = tmpfile(), *out = tmpfile();
        char got[512] = "";
        if (in && out) {
            fputs(in_text, in);
            rewind(in);
            check(plot_svg_fix(in, out, &diag) == 0, "svg fix: runs");
            rewind(out);
            size_t n = fread(got, 1, sizeof got - 1, out);
            got[n] = '\0';
        }
        check(strcmp(got, expected) == 0, "svg fix: bold, ids, tooltips");
        if (strcmp(got, expected) != 0)
            printf("# got %s\n", got);
        if (in)
            fclose(in);
        if (out)
            fclose(out);
    }
    return failures ? 1 : 0;
}
