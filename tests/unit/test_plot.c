/* Unit tests of lib/plot: quoting text for gnuplot, numbers for people,
 * and the script's shape. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "plot.h"

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

int main(void)
{
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
