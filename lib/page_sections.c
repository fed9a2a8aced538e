/* page_sections.c — the sections of the report page, top to bottom.
 *
 * The title and the summary sentence, the key figures with their change,
 * Pareto, A/B/C and migrations, margin, RFM, the class A clients at risk,
 * personas, cohorts, market, prescribers, data quality and the list of
 * files. Every figure is a cell of the folder's CSVs (page_folder.c),
 * written by page_text.c's formatters; nothing is computed here that a
 * program computes, but a change against the previous report. A section
 * whose program left no output is left out, or says why (page_notes.c). */
#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "diag.h"
#include "page_folder.h"
#include "page_html.h"
#include "page_notes.h"
#include "page_sections.h"
#include "page_text.h"
#include "page_words.h"
#include "parse.h"
#include "scan.h"
#include "score.h"
#include "table.h"

/* the suite's version, for the footer */
static const char *version;

/* ---- the report's state -------------------------------------------------- */

static struct folder_tab fig, prev_fig, summary, stats, stats_all;
static const char *period, *date_from, *date_to, *asof, *prevname;

/* ---- pieces of the page ---------------------------------------------------- */


enum change { CHANGE_PCT, CHANGE_PTS, CHANGE_GINI, CHANGE_ABS };

/* "1 – 9 November 2011": the same days of the month before */
static const char *same_days_label(void)
{
    return text_fmt("%s \xe2\x80\x93 %s", text_date(folder_metric(&fig, "same_days_from")),
               text_date(folder_metric(&fig, "same_days_to")));
}

/* The change against the previous report, as a div ("" without one). */
static const char *delta(const char *metric_name, enum change how, int good)
{
    double cur, prev;
    const char *against = prevname ? text_period(prevname) : NULL;
    if (*folder_metric(&fig, "partial_to")) {
        /* a partial month against the same days of the month before, or
         * against nothing: a whole month is not like with like */
        const char *same = folder_metric(&fig, text_fmt("same_days_%s", metric_name));
        if (!*same || !text_double(folder_metric(&fig, metric_name), &cur)
            || !text_double(same, &prev))
            return "";
        against = text_wfmt(text_word("same_days"), same_days_label());
    } else if (!prevname || !text_double(folder_metric(&fig, metric_name), &cur)
               || !text_double(folder_metric(&prev_fig, metric_name), &prev))
        return "";
    double d;
    const char *txt;
    switch (how) {
    case CHANGE_PCT:
        if (prev == 0)
            return "";
        d = (cur - prev) / fabs(prev);
        txt = text_fmt("%s%s", text_signed(d * 100, 1), text_percent());
        break;
    case CHANGE_PTS:
        d = cur - prev;
        txt = text_fmt("%s %s", text_signed(d * 100, 1), text_word("pts"));
        break;
    case CHANGE_GINI:
        d = cur - prev;
        txt = text_signed(d, 2);
        break;
    default:
        d = cur - prev;
        txt = text_signed(d, 0);
    }
    const char *cls = !good ? "flat" : d > 0 ? "up" : d < 0 ? "down" : "flat";
    return text_fmt("<div class=\"d %s\">%s %s %s</div>", cls, txt, text_word("vs"), against);
}


static const char *cls(const char *c)
{
    return strcmp(c, "-") == 0 ? text_word("none")
           : *c == '\0'       ? text_word("new_one")
                              : text_esc(c);
}

static const char *segname(const char *s)
{
    const char *w = score_segment_label(s, text_french);
    return w ? w : text_esc_short(s, TEXT_NAME_MAX);
}

/* ---- sections ---------------------------------------------------------------- */

static void title_and_brief(void)
{
    fprintf(html_out, "<header>\n<h1>%s \xe2\x80\x94 %s</h1>\n", text_word("title"),
            text_period(period));
    fprintf(html_out, "<p class=\"meta\">%s%s %s \xc2\xb7 %s%s %s \xe2\x80\x93 %s",
            text_word("sales"), text_word(":"), text_esc(folder_metric(&fig, "sales_file")),
            text_word("period"), text_word(":"), text_date(date_from), text_date(date_to));
    const char *partial_to = folder_metric(&fig, "partial_to");
    if (*partial_to)
        fprintf(html_out, " (%s)", text_wfmt(text_word("sales_up_to"), text_date(partial_to)));
    if (prevname && !*partial_to)
        fprintf(html_out, " \xc2\xb7 %s %s", text_word("compared"), text_period(prevname));
    fputs("</p>\n</header>\n", html_out);
    if (*partial_to) {
        /* the days covered: from the first day to the last sale */
        int y1, m1, d1, y2, m2, d2, y3, m3, d3;
        const char *days = "";
        if (sscanf(date_from, "%d-%d-%d", &y1, &m1, &d1) == 3
            && sscanf(partial_to, "%d-%d-%d", &y2, &m2, &d2) == 3
            && sscanf(date_to, "%d-%d-%d", &y3, &m3, &d3) == 3) {
            long covered = (long)date_from_civil(y2, m2, d2) - date_from_civil(y1, m1, d1) + 1;
            long all = (long)date_from_civil(y3, m3, d3) - date_from_civil(y1, m1, d1) + 1;
            days = text_wfmt(text_word("partial_days"), text_num_d((double)covered, 0),
                             text_num_d((double)all, 0));
        }
        fprintf(html_out, "<p class=\"partial\" id=\"partial\">%s%s ",
                text_wfmt(text_word("partial"), text_date(partial_to), text_period(period)), days);
        if (*folder_metric(&fig, "same_days_from"))
            fprintf(html_out, "%s</p>\n", text_wfmt(text_word("partial_same"), same_days_label()));
        else
            fprintf(html_out, "%s</p>\n", text_word("partial_none"));
    }

    const char *revenue = folder_metric(&fig, "revenue"), *clients = folder_metric(&fig, "clients");
    fputs("<p class=\"brief\" id=\"brief\">", html_out);
    if (*partial_to)
        fprintf(html_out, text_word("brief1r"), text_num(clients, 0), text_money(revenue),
                text_fmt("%s \xe2\x80\x93 %s", text_date(date_from), text_date(partial_to)));
    else if (strlen(period) == 7)
        fprintf(html_out, text_word("brief1"), text_num(clients, 0), text_money(revenue),
                text_period(period));
    else
        fprintf(html_out, text_word("brief1r"), text_num(clients, 0), text_money(revenue),
                text_fmt("%s \xe2\x80\x93 %s", text_date(date_from), text_date(date_to)));
    if (notes_has("pareto"))
        fprintf(html_out, " %s", text_word("nc_pareto"));
    else {
        fputc(' ', html_out);
        fprintf(html_out, text_word("brief2"), text_pct(folder_metric(&fig, "share_top20"), 1),
                text_num(folder_metric(&fig, "clients_for_80"), 0),
                text_pct(folder_metric(&fig, "clients_for_80_share"), 1));
    }
    double prev_revenue;
    if (*partial_to) {
        if (text_double(folder_metric(&fig, "same_days_revenue"), &prev_revenue)
            && prev_revenue != 0) {
            fputc(' ', html_out);
            fprintf(html_out, text_word("brief3"),
                    text_fmt("%s%s", text_signed((folder_metric_d(&fig, "revenue") - prev_revenue)
                                         / fabs(prev_revenue) * 100, 1), text_percent()),
                    text_wfmt(text_word("same_days"), same_days_label()));
        }
    } else if (prevname && text_double(folder_metric(&prev_fig, "revenue"), &prev_revenue)
               && prev_revenue != 0) {
        fputc(' ', html_out);
        fprintf(html_out, text_word("brief3"),
                text_fmt("%s%s", text_signed((folder_metric_d(&fig, "revenue") - prev_revenue)
                                     / fabs(prev_revenue) * 100, 1), text_percent()),
                text_period(prevname));
    }
    if (*folder_metric(&fig, "market_share_effective")) {
        fputc(' ', html_out);
        fprintf(html_out, text_word("brief4"),
                text_share(folder_metric(&fig, "market_share_effective")));
    }
    fputs("</p>\n", html_out);
}

static void key_figures(void)
{
    html_section("key", "", text_word("key"));
    fputs("<div class=\"kpis\">\n", html_out);
    html_kpi("revenue", text_word("revenue"), text_money(folder_metric(&fig, "revenue")),
             text_word("revenue_sub"), delta("revenue", CHANGE_PCT, 1));
    if (*folder_metric(&fig, "margin")) {
        html_kpi("margin", text_word("margin"), text_money(folder_metric(&fig, "margin")), "",
                 delta("margin", CHANGE_PCT, 1));
        if (*folder_metric(&fig, "margin_rate"))
            html_kpi("margin-rate", text_word("margin_rate"),
                     text_pct(folder_metric(&fig, "margin_rate"), 1), text_word("margin_rate_sub"),
                     delta("margin_rate", CHANGE_PTS, 1));
    }
    html_kpi("clients", text_word("clients"), text_num(folder_metric(&fig, "clients"), 0),
             text_wfmt(text_word("clients_sub"), text_num(folder_metric(&fig, "positive"), 0)),
             delta("clients", CHANGE_ABS, 1));
    html_kpi("top20", text_word("top20"), text_pct(folder_metric(&fig, "share_top20"), 1),
             text_word("top20_sub"), delta("share_top20", CHANGE_PTS, 0));
    html_kpi("for80", text_word("for80"), text_num(folder_metric(&fig, "clients_for_80"), 0),
        text_wfmt(text_word("for80_sub"), text_pct(folder_metric(&fig, "clients_for_80_share"), 1)),
        delta("clients_for_80", CHANGE_ABS, 0));
    html_kpi("gini", text_word("gini"), text_num(folder_metric(&fig, "gini"), 2),
             text_word("gini_sub"), delta("gini", CHANGE_GINI, 0));
    static const struct { const char *id, *metric, *label, *sub; } market[] = {
        { "share-effective", "market_share_effective", "share_eff", "share_eff_sub" },
        { "share-potential", "market_share_potential", "share_pot", "share_pot_sub" },
        { "share-value", "market_share_value", "share_val", "share_val_sub" },
    };
    for (size_t i = 0; i < 3; i++)
        if (*folder_metric(&fig, market[i].metric))
            html_kpi(market[i].id, text_word(market[i].label),
                     text_share(folder_metric(&fig, market[i].metric)), text_word(market[i].sub),
                     delta(market[i].metric, CHANGE_PTS, 1));
    fputs("</div>\n</section>\n", html_out);
}

/* the ten first rows of a ranking (pareto.csv, pareto-margin.csv) */
static void top_table(const struct folder_tab *par, const char *id, const char *heading,
                      const char *value_label, const char *value_col)
{
    size_t n = folder_rows(par) < 10 ? folder_rows(par) : 10;
    int prev = folder_col(par, "previous_class") >= 0;
    fprintf(html_out, "<h3>%s</h3>\n<table id=\"%s\">\n",
            text_wfmt(text_word(heading), text_fmt("%zu", n)), id);
    if (prev)
        HTML_TH("nlnnnnn", text_word("rank"), text_word("client"), value_label, text_word("share"),
                text_word("cum"), text_word("class"), text_word("prev_class"));
    else
        HTML_TH("nlnnnn", text_word("rank"), text_word("client"), value_label, text_word("share"),
                text_word("cum"), text_word("class"));
    for (size_t r = 0; r < n; r++) {
        fprintf(html_out,
                "<tr><td class=\"n\">%s</td><td class=\"id\">%s</td><td class=\"n\">%s</td>"
                "<td class=\"n\">%s</td><td class=\"n\">%s</td><td class=\"n\">%s</td>",
                text_esc(folder_get(par, r, "rank")),
                text_esc_short(folder_cell(par, r, 0), TEXT_NAME_MAX),
                text_money(folder_get(par, r, value_col)), text_pct(folder_get(par, r, "share"), 1),
                text_pct(folder_get(par, r, "cum_share"), 1), cls(folder_get(par, r, "class")));
        if (prev)
            fprintf(html_out, "<td class=\"n\">%s</td>", cls(folder_get(par, r, "previous_class")));
        fputs("</tr>\n", html_out);
    }
    fputs("</table>\n", html_out);
}

static struct folder_tab pareto_t;

static void pareto_section(void)
{
    html_section("pareto", "", text_word("pareto_h"));
    html_figure("pareto", text_word("pareto_cap"));
    html_figure("lorenz", text_word("lorenz_cap"));
    notes_write("pareto");
    if (!notes_has("pareto"))
        top_table(&pareto_t, "top-clients", "top_h", text_word("revenue"), "revenue");
    fputs("</section>\n", html_out);
}

/* the class table of a cl-pareto summary */
static size_t abc_table(const struct folder_tab *s, const char *id, const char *value_label,
                        char *classes)
{
    size_t n = 0;
    fprintf(html_out, "<table id=\"%s\">\n", id);
    HTML_TH(NULL, text_word("class"), text_word("clients"), text_word("clients_share"),
            value_label);
    for (char c = 'A'; c <= 'Z'; c++) {
        if (!*folder_metric(s, text_fmt("class_%c_clients", c)))
            break;
        if (classes)
            classes[n] = c;
        n++;
        fprintf(html_out,
                "<tr><td>%c</td><td class=\"n\">%s</td><td class=\"n\">%s</td>"
                "<td class=\"n\">%s</td></tr>\n",
                c, text_num(folder_metric(s, text_fmt("class_%c_clients", c)), 0),
                text_pct(folder_metric(s, text_fmt("class_%c_clients_share", c)), 1),
                text_pct(folder_metric(s, text_fmt("class_%c_value_share", c)), 1));
    }
    fputs("</table>\n", html_out);
    return n;
}

static void abc_section(void)
{
    char classes[26];
    size_t nclass = 0;
    html_section("abc", "", text_word("abc_h"));
    if (!notes_has("pareto")) {
        nclass = abc_table(&summary, "abc-table", text_word("revenue_share"), classes);
        fprintf(html_out, "<p class=\"note\">%s</p>\n", text_word("abc_note"));
    } else
        fprintf(html_out, "<p class=\"note nc\" id=\"nc-abc\">%s</p>\n", text_word("nc_abc"));
    html_figure("abc", text_word("abc_cap"));
    if (prevname && *folder_metric(&summary, "migrate_A_A")) {
        fprintf(html_out, "<h3>%s</h3>\n<table id=\"migrations\">\n", text_wfmt(text_word("mig_h"),
            text_period(prevname)));
        /* rows: the classes then, "-" and new; columns: the classes now, "-" and lost */
        const char *keys[28];
        size_t nk = 0;
        for (size_t i = 0; i < nclass; i++)
            keys[nk++] = text_fmt("%c", classes[i]);
        keys[nk++] = "-";
        fprintf(html_out, "<tr><th>%s</th>", text_word("from_to"));
        for (size_t j = 0; j < nk; j++)
            fprintf(html_out, "<th class=\"n\">%s</th>", cls(keys[j]));
        fprintf(html_out, "<th class=\"n\">%s</th></tr>\n", text_word("lost"));
        for (size_t i = 0; i <= nk; i++) {
            int is_new = i == nk;
            fprintf(html_out, "<tr><th>%s</th>", is_new ? text_word("new") : cls(keys[i]));
            for (size_t j = 0; j <= nk; j++) {
                int is_lost = j == nk;
                if (is_new && is_lost) {
                    fputs("<td class=\"n\"></td>", html_out);
                    continue;
                }
                const char *key = is_new ? text_fmt("migrate_new_%s", keys[j])
                                : is_lost ? text_fmt("migrate_%s_lost", keys[i])
                                : text_fmt("migrate_%s_%s", keys[i], keys[j]);
                const char *v = folder_metric(&summary, key);
                fprintf(html_out, "<td class=\"n%s\" id=\"%s\">%s</td>",
                        !is_new && !is_lost && i == j ? " diag" : "", key,
                        *v ? text_num(v, 0) : "");
            }
            fputs("</tr>\n", html_out);
        }
        fputs("</table>\n", html_out);
        fprintf(html_out, "<p class=\"note\">%s</p>\n",
                text_wfmt(text_word("mig_note"), text_period(prevname)));
        html_figure("migration", text_word("mig_cap"));
        /* the class A clients of last period who are now below A */
        long pc = folder_col(&pareto_t, "previous_class"), cc = folder_col(&pareto_t, "class");
        size_t shown = 0;
        for (size_t r = 0; r < folder_rows(&pareto_t) && shown < 15; r++) {
            if (strcmp(folder_cell(&pareto_t, r, pc), "A") != 0
                || strcmp(folder_cell(&pareto_t, r, cc), "A") == 0)
                continue;
            if (shown++ == 0)
                fprintf(html_out, "<h3>%s</h3>\n<p id=\"dropped\">", text_word("down_h"));
            else
                fputs(", ", html_out);
            fprintf(html_out, "%s \xe2\x86\x92 %s",
                    text_esc_short(folder_cell(&pareto_t, r, 0), TEXT_NAME_MAX),
                    cls(folder_cell(&pareto_t, r, cc)));
        }
        if (shown)
            fputs("</p>\n", html_out);
    } else if (!notes_has("pareto"))
        fprintf(html_out, "<p class=\"note\">%s</p>\n", text_word("no_prev"));
    fputs("</section>\n", html_out);
}

/* ---- margin ---------------------------------------------------------------- */

static struct folder_tab margin_t;     /* pareto-margin.csv, sorted by customer in margin_index */
static size_t *margin_index;

static int margin_key_cmp(const void *key, const void *row)
{
    return strcmp(key, folder_cell(&margin_t, *(const size_t *)row, 0));
}

static int margin_row_cmp(const void *a, const void *b)
{
    return strcmp(folder_cell(&margin_t, *(const size_t *)a, 0),
                  folder_cell(&margin_t, *(const size_t *)b, 0));
}

/* The clients of class A by revenue who are C (or below: margin 0 or less)
 * by margin: a big client can be unprofitable. */
static void a_revenue_c_margin(void)
{
    size_t n = folder_rows(&margin_t), named = 0, count = 0;
    margin_index = malloc((n ? n : 1) * sizeof *margin_index);
    if (!margin_index)
        text_fail("out of memory");
    for (size_t i = 0; i < n; i++)
        margin_index[i] = i;
    qsort(margin_index, n, sizeof *margin_index, margin_row_cmp);
    long rc = folder_col(&pareto_t, "class"), mc = folder_col(&margin_t, "class");
    const char *rows_html = "";
    for (size_t r = 0; r < folder_rows(&pareto_t); r++) {
        if (strcmp(folder_cell(&pareto_t, r, rc), "A") != 0)
            continue;
        const size_t *m = bsearch(folder_cell(&pareto_t, r, 0), margin_index, n,
                                  sizeof *margin_index, margin_key_cmp);
        if (!m)
            continue;
        const char *mclass = folder_cell(&margin_t, *m, mc);
        if (strcmp(mclass, "A") == 0 || strcmp(mclass, "B") == 0)
            continue;
        count++;
        if (named++ < 15)
            rows_html =
                text_fmt("%s<tr><td class=\"id\">%s</td><td class=\"n\">%s</td>"
                         "<td class=\"n\">%s</td><td class=\"n\">%s</td></tr>\n",
                         rows_html, text_esc_short(folder_cell(&pareto_t, r, 0), TEXT_NAME_MAX),
                         text_money(folder_get(&pareto_t, r, "revenue")),
                         text_money(folder_get(&margin_t, *m, "margin")), cls(mclass));
    }
    fprintf(html_out, "<h3>%s</h3>\n", text_word("arc_h"));
    if (count == 0) {
        fprintf(html_out, "<p class=\"note\" id=\"a-revenue-c-margin\">%s</p>\n",
                text_word("arc_none"));
        return;
    }
    fprintf(html_out, "<p class=\"note\">%s</p>\n",
            text_wfmt(text_word("arc_note"), text_num_d((double)count, 0)));
    fputs("<table id=\"a-revenue-c-margin\">\n", html_out);
    HTML_TH(NULL, text_word("client"), text_word("revenue"), text_word("margin"),
            text_word("margin_class"));
    fprintf(html_out, "%s</table>\n", rows_html);
}

static void margin_section(void)
{
    struct folder_tab sm;
    if (!folder_exists("pareto-margin.csv"))
        return;
    folder_load(&margin_t, "pareto-margin.csv");
    folder_load(&sm, "summary-margin.csv");
    html_section("margin", "", text_word("margin_h"));
    fputs("<p class=\"brief\" id=\"margin-brief\">", html_out);
    fprintf(html_out, text_word("margin_brief"), text_money(folder_metric(&fig, "margin")),
            text_money(folder_metric(&fig, "revenue")),
            text_pct(folder_metric(&fig, "margin_rate"), 1));
    if (*folder_metric(&sm, "share_top20")) {
        fputc(' ', html_out);
        fprintf(html_out, text_word("margin_pareto"),
                text_pct(folder_metric(&sm, "share_top20"), 1),
                text_num(folder_metric(&sm, "clients_for_80"), 0),
                text_pct(folder_metric(&sm, "clients_for_80_share"), 1));
    }
    if (folder_metric_d(&sm, "nonpositive") > 0) {
        fputc(' ', html_out);
        fprintf(html_out, text_word("margin_nonpos"),
                text_num(folder_metric(&sm, "nonpositive"), 0),
                text_money(folder_metric(&sm, "nonpositive_total")));
    }
    fputs("</p>\n", html_out);
    html_figure("pareto-margin", text_word("pareto_margin_cap"));
    if (*folder_metric(&sm, "class_A_clients")) {
        fprintf(html_out, "<h3>%s</h3>\n", text_word("abc_margin_h"));
        abc_table(&sm, "abc-margin-table", text_word("margin_share"), NULL);
        fprintf(html_out, "<p class=\"note\">%s</p>\n", text_word("abc_margin_note"));
    }
    top_table(&margin_t, "top-margin", "top_margin_h", text_word("margin"), "margin");
    a_revenue_c_margin();
    fputs("</section>\n", html_out);
    free(margin_index);
    table_free(&margin_t.t);
    table_free(&sm.t);
}

static void rfm_section(void)
{
    struct folder_tab seg;
    folder_load(&seg, "rfm-segments.csv");
    html_section("rfm", "", text_word("rfm_h"));
    fprintf(html_out, "<p class=\"note\">%s</p>\n",
            text_wfmt(text_word("rfm_note"), text_num(folder_metric(&fig, "history_clients"), 0),
                      text_date(date_to), text_date(asof)));
    fputs("<table id=\"rfm-table\">\n", html_out);
    HTML_TH(NULL, text_word("segment"), text_word("clients"), text_word("clients_share"),
            text_word("revenue"), text_word("revenue_share"), text_word("recency"),
            text_word("orders"));
    for (size_t r = 0; r < folder_rows(&seg); r++)
        fprintf(html_out,
                "<tr><td>%s</td><td class=\"n\">%s</td><td class=\"n\">%s</td>"
                "<td class=\"n\">%s</td><td class=\"n\">%s</td><td class=\"n\">%s</td>"
                "<td class=\"n\">%s</td></tr>\n",
                segname(folder_get(&seg, r, "segment")),
                text_num(folder_get(&seg, r, "clients"), 0),
                text_pct(folder_get(&seg, r, "clients_share"), 1),
                text_money(folder_get(&seg, r, "revenue")),
                text_pct(folder_get(&seg, r, "revenue_share"), 1),
                text_num(folder_get(&seg, r, "recency_days_mean"), 0),
                text_num(folder_get(&seg, r, "orders_mean"), 1));
    fputs("</table>\n", html_out);
    html_figure("rfm", text_word("rfm_cap"));
    fputs("</section>\n", html_out);
    table_free(&seg.t);
}

static void clv_section(void)
{
    struct folder_tab risk, cs;
    if (!folder_exists("at-risk.csv") && !notes_has("clv"))
        return;
    folder_load(&risk, "at-risk.csv");
    folder_load(&cs, "clv-summary.csv");
    html_section("clv", "", text_word("clv_h"));
    notes_write("clv");
    size_t n = folder_rows(&risk) < 10 ? folder_rows(&risk) : 10;
    if (risk.loaded && n == 0)
        fprintf(html_out, "<p class=\"note\">%s</p>\n", text_word("nc_noa"));
    if (n > 0) {
        fprintf(html_out, "<p class=\"note\">%s</p>\n",
                text_wfmt(text_word("clv_note"),
                          text_num(folder_metric(&fig, "history_clients"), 0), text_date(date_to),
                          text_num(folder_metric(&cs, "a_below_half"), 0),
                          text_num(folder_metric(&cs, "a_clients"), 0), text_fmt("%zu", n)));
        fputs("<table id=\"at-risk\">\n", html_out);
        HTML_TH(NULL, text_word("client"), text_word("period_revenue"), text_word("p_alive"),
                text_word("exp_purchases"), text_word("exp_value"));
        for (size_t r = 0; r < n; r++)
            fprintf(html_out,
                    "<tr><td class=\"id\">%s</td><td class=\"n\">%s</td><td "
                    "class=\"n\">%s</td>"
                    "<td class=\"n\">%s</td><td class=\"n\">%s</td></tr>\n",
                    text_esc_short(folder_cell(&risk, r, 0), TEXT_NAME_MAX),
                    text_money(folder_get(&risk, r, "revenue")),
                    text_pct(folder_get(&risk, r, "p_alive"), 1),
                    text_num(folder_get(&risk, r, "expected_purchases"), 1),
                    text_num(folder_get(&risk, r, "clv"), 2));
        fputs("</table>\n", html_out);
    }
    fputs("</section>\n", html_out);
    table_free(&risk.t);
    table_free(&cs.t);
}

static void personas_section(void)
{
    struct folder_tab pro;
    folder_load(&pro, "profiles.csv");
    html_section("personas", "", text_word("personas_h"));
    notes_write("personas");
    if (folder_rows(&pro) > 0) {
        const char *features = folder_metric(&fig, "persona_features");
        if (strcmp(features, "recency_days,orders,revenue") == 0 || !*features)
            fprintf(html_out, "<p class=\"note\">%s</p>\n",
                    text_wfmt(text_word("personas_note"), text_fmt("%zu", folder_rows(&pro))));
        else {
            /* "a, b and c" */
            char *list = strdup(features), *save = NULL;
            const char *said = "", *parts[3];
            size_t np = 0;
            for (char *f = strtok_r(list, ",", &save); f && np < 3; f = strtok_r(NULL, ",", &save))
                parts[np++] = text_feature(f);
            for (size_t i = 0; i < np; i++)
                said = text_fmt("%s%s%s", said,
                                i == 0        ? ""
                                : i + 1 == np ? text_word("and")
                                              : ", ",
                                parts[i]);
            free(list);
            fprintf(html_out, "<p class=\"note\">%s</p>\n",
                    text_wfmt(text_word("personas_note_some"), text_fmt("%zu", folder_rows(&pro)),
                              said));
        }
        fputs("<table id=\"personas-table\">\n", html_out);
        HTML_TH(NULL, text_word("persona"), text_word("size"), text_word("clients_share"),
                text_word("revenue_share"), text_word("mean_recency"), text_word("mean_orders"),
                text_word("mean_revenue"));
        for (size_t r = 0; r < folder_rows(&pro); r++)
            fprintf(html_out,
                    "<tr><td>%s. %s</td><td class=\"n\">%s</td><td class=\"n\">%s</td>"
                    "<td class=\"n\">%s</td><td class=\"n\">%s</td><td class=\"n\">%s</td>"
                    "<td class=\"n\">%s</td></tr>\n",
                    text_esc(folder_get(&pro, r, "cluster")),
                    text_esc(folder_get(&pro, r, "label")),
                    text_num(folder_get(&pro, r, "size"), 0),
                    text_pct(folder_get(&pro, r, "share"), 1),
                    text_pct(folder_get(&pro, r, "revenue_share"), 1),
                    text_num(folder_get(&pro, r, "recency_days_mean"), 0),
                    text_num(folder_get(&pro, r, "orders_mean"), 1),
                    text_num(folder_get(&pro, r, "revenue_mean"), 2));
        fputs("</table>\n", html_out);
    }
    html_figure("personas", text_word("personas_cap"));
    html_figure("clusters", text_word("clusters_cap"));
    fputs("</section>\n", html_out);
    table_free(&pro.t);
}

static void cohort_note(const char *line, void *ctx)
{
    (void)ctx;
    fprintf(html_out, "<p class=\"note\">%s%s</p>\n", text_word("coh_left"), notes_said(line));
}

static void cohort_section(void)
{
    struct folder_tab coh;
    if (!folder_exists("cohort-retention.csv"))
        return;
    folder_load(&coh, "cohort-retention.csv");
    html_section("cohorts", "", text_word("coh_h"));
    fprintf(html_out, "<p class=\"note\">%s</p>\n",
            text_wfmt(text_word("coh_note"), text_date(date_to)));
    fputs("<table id=\"cohort-table\">\n", html_out);
    HTML_TH("nlnnlnn", text_word("coh_k"), text_word("coh_c"), text_word("clients"),
            text_word("coh_r"), text_word("coh_y"), text_word("coh_r"), text_word("coh_d"));
    for (size_t r = 0; r < folder_rows(&coh); r++) {
        const char *ret = folder_get(&coh, r, "retention"), *before = folder_get(&coh, r,
                                                                   "year_before_retention");
        const char *cohort = folder_get(&coh, r, "cohort");
        double a, b;
        fprintf(html_out,
                "<tr><td class=\"n\">%s</td><td>%s</td><td class=\"n\">%s</td>"
                "<td class=\"n\">%s</td>",
                text_esc(folder_get(&coh, r, "months")),
                *cohort ? text_period(cohort) : "\xe2\x80\x93",
                text_num(folder_get(&coh, r, "cohort_size"), 0), text_pct(ret, 1));
        fprintf(html_out, "<td>%s</td><td class=\"n\">%s</td><td class=\"n\">%s</td></tr>\n",
                *before
                    ? text_fmt("%s (%s)", text_period(folder_get(&coh, r, "year_before_cohort")),
                               text_num(folder_get(&coh, r, "year_before_size"), 0))
                    : "\xe2\x80\x93",
                text_pct(before, 1),
                text_double(ret, &a) && text_double(before, &b)
                    ? text_fmt("%s %s", text_signed((a - b) * 100, 1), text_word("pts"))
                    : "\xe2\x80\x93");
    }
    fputs("</table>\n", html_out);
    folder_each_line("cohort-notes.txt", cohort_note, NULL);
    html_figure("cohort", text_word("coh_cap"));
    fputs("</section>\n", html_out);
    table_free(&coh.t);
}

/* cl-share --negative-as-zero's warning, in warnings.txt:
 *   cl-share: FILE:LINE: segment "NAME": the net revenue of its clients adds
 *   up to VALUE, counted as 0 (...)
 * NAME and VALUE put in the page's sentence; NULL for any other line. */
static const char NEG_HEAD[] = "cl-share: ", NEG_SEG[] = ": segment \"",
                  NEG_SUM[] = "\": the net revenue of its clients adds up to ",
                  NEG_ZERO[] = ", counted as 0";

static const char *negative_sentence(const char *line)
{
    if (strncmp(line, NEG_HEAD, sizeof NEG_HEAD - 1) != 0)
        return NULL;
    const char *seg = strstr(line, NEG_SEG), *sum = seg ? strstr(seg, NEG_SUM) : NULL;
    const char *zero = sum ? strstr(sum, NEG_ZERO) : NULL;
    if (!zero)
        return NULL;
    seg += sizeof NEG_SEG - 1;
    sum += sizeof NEG_SUM - 1;
    char *name = strndup(seg, (size_t)(sum - (sizeof NEG_SUM - 1) - seg));
    char *value = strndup(sum, (size_t)(zero - sum));
    if (!name || !value)
        text_fail("out of memory");
    const char *text =
        text_wfmt(text_word("negative"), text_esc_short(name, TEXT_NAME_MAX), text_money(value));
    free(name);
    free(value);
    return text;
}

static void negative_segment(const char *line, void *ctx)
{
    (void)ctx;
    const char *text = negative_sentence(line);
    if (text)
        fprintf(html_out, "<p class=\"note\">%s</p>\n", text);
}

static void market_section(void)
{
    struct folder_tab sh;
    folder_load(&sh, "share.csv");
    if (folder_rows(&sh) == 0) {
        table_free(&sh.t);
        return;
    }
    html_section("market", "", text_word("market_h"));
    const char *segment = folder_metric(&fig, "segment_column");
    if (*segment)
        fprintf(html_out, "<p class=\"note\">%s</p>\n", text_wfmt(text_word("market_note"),
                text_esc(folder_metric(&fig, "market_file")), text_esc(segment)));
    else
        fprintf(html_out, "<p class=\"note\">%s</p>\n", text_wfmt(text_word("market_note2"),
                text_esc(folder_metric(&fig, "market_file"))));
    int value = folder_col(&sh, "share_value") >= 0;
    fputs("<table id=\"share-table\" class=\"wide\">\n", html_out);
    if (value)
        HTML_TH(NULL, text_word("segment"), text_word("clients"), text_word("effective"),
                text_word("share_e"), text_word("potential"), text_word("share_p"),
                text_word("our_revenue"), text_word("market_revenue"), text_word("share_v"));
    else
        HTML_TH(NULL, text_word("segment"), text_word("clients"), text_word("effective"),
                text_word("share_e"), text_word("potential"), text_word("share_p"));
    for (size_t r = 0; r < folder_rows(&sh); r++) {
        const char *seg = folder_get(&sh, r, "segment");
        int total = strcmp(seg, "TOTAL") == 0;
        fprintf(html_out,
                "<tr%s><td>%s</td><td class=\"n\">%s</td><td class=\"n\">%s</td>"
                "<td class=\"n\">%s</td><td class=\"n\">%s</td><td class=\"n\">%s</td>",
                total ? " class=\"total\"" : "",
                total ? text_word("total") : text_esc_short(seg, TEXT_NAME_MAX),
                text_num(folder_get(&sh, r, "clients"), 0),
                text_num(folder_get(&sh, r, "effective"), 0),
                text_share(folder_get(&sh, r, "share_effective")),
                text_num(folder_get(&sh, r, "potential"), 0),
                text_share(folder_get(&sh, r, "share_potential")));
        if (value)
            fprintf(html_out,
                    "<td class=\"n\">%s</td><td class=\"n\">%s</td><td class=\"n\">%s</td>",
                    text_money(folder_get(&sh, r, "revenue")),
                    text_money(folder_get(&sh, r, "market_revenue")),
                    text_share(folder_get(&sh, r, "share_value")));
        fputs("</tr>\n", html_out);
    }
    fputs("</table>\n", html_out);
    folder_each_line("warnings.txt", negative_segment, NULL);
    html_figure("share", text_word("share_cap"));
    fputs("</section>\n", html_out);
    table_free(&sh.t);
}

static void prescribers_section(void)
{
    struct folder_tab pp, pc, ps, psum;
    html_section("prescribers", "", text_word("presc_h"));
    folder_load(&psum, "prescribers-summary.csv");
    if (folder_metric_d(&fig, "prescribers") == 0)
        fprintf(html_out, "<p class=\"note\" id=\"prescribers-brief\">%s</p>\n",
                text_word("presc_none"));
    else {
        double revenue = folder_metric_d(&fig, "revenue");
        fputs("<p class=\"brief\" id=\"prescribers-brief\">", html_out);
        fprintf(html_out, text_word("presc_brief"), text_num(folder_metric(&fig, "prescribers"), 0),
                text_money(folder_metric(&fig, "prescribed_revenue")),
                revenue > 0 ? text_pct_d(folder_metric_d(&fig, "prescribed_revenue") / revenue, 1)
                            : "\xe2\x80\x93",
                text_num(folder_metric(&fig, "prescribed_clients"), 0),
                text_num(folder_metric(&fig, "clients"), 0));
        if (*folder_metric(&psum, "share_top20")) {
            fputc(' ', html_out);
            fprintf(html_out, text_word("presc_pareto"),
                    text_pct(folder_metric(&psum, "share_top20"), 1),
                    text_num(folder_metric(&psum, "clients_for_80"), 0),
                    text_pct(folder_metric(&psum, "clients_for_80_share"), 1));
        }
        fputs("</p>\n", html_out);
        folder_load(&pp, "prescribers-pareto.csv");
        folder_load(&pc, "prescriber-clients.csv");
        size_t n = folder_rows(&pp) < 10 ? folder_rows(&pp) : 10;
        /* each top prescriber's three largest clients (ties: the first read) */
        size_t best[10][3], count[10] = { 0 };
        for (size_t r = 0; r < folder_rows(&pc) && pc.t.columns >= 3; r++) {
            size_t k;
            for (k = 0; k < n && strcmp(folder_cell(&pp, k, 0), folder_cell(&pc, r, 0)) != 0; k++)
                ;
            if (k == n)
                continue;
            double v = atof(folder_cell(&pc, r, 2));
            size_t have = count[k] < 3 ? count[k] : 3, j;
            count[k]++;
            for (j = 0; j < have && atof(folder_cell(&pc, best[k][j], 2)) >= v; j++)
                ;
            if (j >= 3)
                continue;
            for (size_t m = (have < 3 ? have : 2); m > j; m--)
                best[k][m] = best[k][m - 1];
            best[k][j] = r;
        }
        fprintf(html_out, "<h3>%s</h3>\n<table id=\"top-prescribers\" class=\"wide\">\n",
                text_wfmt(text_word("presc_top"), text_fmt("%zu", n)));
        HTML_TH("nlnnnnnl", text_word("rank"), text_word("prescriber"), text_word("prescribed"),
                text_word("share"), text_word("cum"), text_word("class"), text_word("brought"),
                text_word("their_clients"));
        for (size_t r = 0; r < n; r++) {
            const char *line = "";
            for (size_t j = 0; j < 3 && j < count[r]; j++)
                line = text_fmt("%s%s%s (%s)", line, j ? ", " : "",
                           text_esc_short(folder_cell(&pc, best[r][j], 1), TEXT_NAME_MAX),
                           text_money(folder_cell(&pc, best[r][j], 2)));
            if (count[r] > 3)
                line =
                    text_fmt("%s, %s", line,
                             text_wfmt(text_word("more"), text_num_d((double)(count[r] - 3), 0)));
            fprintf(html_out,
                    "<tr><td class=\"n\">%s</td><td class=\"id\">%s</td><td "
                    "class=\"n\">%s</td>"
                    "<td class=\"n\">%s</td><td class=\"n\">%s</td><td class=\"n\">%s</td>"
                    "<td class=\"n\">%s</td><td class=\"id\">%s</td></tr>\n",
                    text_esc(folder_get(&pp, r, "rank")),
                    text_esc_short(folder_cell(&pp, r, 0), TEXT_NAME_MAX),
                    text_money(folder_get(&pp, r, "revenue")),
                    text_pct(folder_get(&pp, r, "share"), 1),
                    text_pct(folder_get(&pp, r, "cum_share"), 1), cls(folder_get(&pp, r, "class")),
                    text_num(folder_get(&pp, r, "clients"), 0), line);
        }
        fputs("</table>\n", html_out);
        table_free(&pp.t);
        table_free(&pc.t);
    }
    table_free(&psum.t);
    if (!prevname)
        fprintf(html_out, "<p class=\"note\">%s</p>\n", text_word("stopped_noprev"));
    else if (folder_exists("prescribers-stopped.csv")) {
        folder_load(&ps, "prescribers-stopped.csv");
        fprintf(html_out, "<h3>%s</h3>\n",
                text_wfmt(text_word("stopped_h"), text_period(prevname)));
        size_t n = folder_rows(&ps);
        if (n == 0)
            fprintf(html_out, "<p class=\"note\" id=\"stopped\">%s</p>\n",
                    text_wfmt(text_word("stopped_none"), text_period(prevname)));
        else {
            fprintf(html_out, "<p class=\"note\">%s</p>\n<p id=\"stopped\">",
                    text_wfmt(text_word("stopped_note"), text_period(prevname)));
            size_t shown = n < 15 ? n : 15;
            for (size_t r = 0; r < shown; r++)
                fprintf(html_out, "%s%s (%s)", r ? ", " : "", text_esc_short(folder_cell(&ps, r, 0),
                                                                    TEXT_NAME_MAX),
                        text_money(folder_get(&ps, r, "previous_revenue")));
            if (n > shown)
                fprintf(html_out, " %s",
                        text_wfmt(text_word("stopped_more"), text_num_d((double)(n - shown), 0)));
            fputs("</p>\n", html_out);
        }
        table_free(&ps.t);
    }
    fputs("</section>\n", html_out);
}

/* ---- data quality ---------------------------------------------------------- */


struct warnings {
    size_t count;       /* messages listed */
    size_t elsewhere;   /* messages said in their section instead */
};

static void warning_line(const char *line, void *ctx)
{
    struct warnings *w = ctx;
    if (!*line)
        return;
    /* the rejected lines are said above, by reason, in the page's language */
    if (strstr(line, " lines rejected: ") && strncmp(line, "cl-rollup: ", 11) == 0)
        return;
    /* a segment counted as 0 is said in the market section, cl-clv's
     * failure in the lifetime value section: once on the page */
    if (negative_sentence(line) || notes_clv_said(line)) {
        w->elsewhere++;
        return;
    }
    if (w->count++ == 0)
        fprintf(html_out, "<li>%s<ul class=\"warn\" id=\"warnings\">\n", text_word("q_warn"));
    fprintf(html_out, "<li>%s</li>\n", notes_said(line));
}

static void quality_section(void)
{
    html_section("quality", "quality", text_word("quality_h"));
    fputs("<ul>\n", html_out);
    fputs("<li>", html_out);
    fprintf(html_out, text_word("q_file"), text_esc(folder_metric(&fig, "sales_file")),
            text_num(folder_metric(&stats_all, "lines_read"), 0),
            text_num(folder_metric(&stats_all, "lines_used"), 0),
            text_date(folder_metric(&stats_all, "first_date")),
            text_date(folder_metric(&stats_all, "last_date")));
    fputs("</li>\n<li id=\"q-period\">", html_out);
    fprintf(html_out, text_word("q_period"), text_num(folder_metric(&stats, "lines_used"), 0),
            text_num(folder_metric(&stats, "lines_out_of_period"), 0),
            text_num(folder_metric(&stats, "lines_rejected"), 0));
    fputs("</li>\n", html_out);
    if (folder_metric_d(&stats, "lines_rejected") > 0) {
        fprintf(html_out, "<li>%s<ul>", text_word("q_reasons"));
        for (size_t i = 0; i < page_reasons_count; i++) {
            const char *v = folder_metric(&stats, text_fmt("rejected_%s", page_reasons[i].key));
            double x;
            if (text_double(v, &x) && x > 0)
                fprintf(html_out, "<li>%s%s %s</li>",
                        text_french ? page_reasons[i].fr : page_reasons[i].en,
                        text_word(":"), text_num(v, 0));
        }
        fputs("</ul></li>\n", html_out);
    }
    if (folder_metric_d(&summary, "nonpositive") > 0) {
        fputs("<li>", html_out);
        fprintf(html_out, text_word("q_nonpos"),
                text_num(folder_metric(&summary, "nonpositive"), 0));
        fputs("</li>\n", html_out);
    }
    struct warnings w = { 0 };
    folder_each_line("warnings.txt", warning_line, &w);
    if (w.count)
        fputs("</ul></li>\n", html_out);
    else
        fprintf(html_out, "<li>%s</li>\n", text_word(w.elsewhere ? "q_nowarn_other" : "q_nowarn"));
    fputs("</ul>\n</section>\n", html_out);
}

/* ---- method and files ------------------------------------------------------ */


/* What NAME is, in the page's language ("" when unknown). */
static const char *file_word(const char *name)
{
    for (size_t i = 0; i < page_files_count; i++)
        if (strcmp(page_files[i].key, name) == 0)
            return text_french ? page_files[i].fr : page_files[i].en;
    const char *dot = strrchr(name, '.');
    if (dot && (strcmp(dot, ".svg") == 0 || strcmp(dot, ".png") == 0))
        for (size_t i = 0; i < page_charts_count; i++)
            if (strlen(page_charts[i].key) == (size_t)(dot - name)
                && strncmp(page_charts[i].key, name, (size_t)(dot - name)) == 0)
                return text_fmt("%s%s", text_french ? page_charts[i].fr : page_charts[i].en,
                           strcmp(dot, ".svg") == 0 ? text_word("svg_for") : text_word("png_for"));
    return "";
}

static int name_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void method_section(void)
{
    html_section("method", "", text_word("method_h"));
    html_figure("select", text_word("select_cap"));
    fprintf(html_out, "<p>%s</p>\n<ul class=\"files\">\n", text_word("files"));
    DIR *d = opendir(folder_dir);
    if (!d)
        text_fail("%s: %s", folder_dir, strerror(errno));
    char **names = NULL;
    size_t n = 0, cap = 0;
    for (struct dirent *e; (e = readdir(d));) {
        /* not the page itself, nor its temporary (index.html.XXXXXX) */
        if (e->d_name[0] == '.' || strncmp(e->d_name, "index.html", 10) == 0
            || strstr(e->d_name, ".tmp") || strstr(e->d_name, ".err"))
            continue;
        if (n == cap) {
            cap = cap ? 2 * cap : 64;
            names = realloc(names, cap * sizeof *names);
            if (!names)
                text_fail("out of memory");
        }
        names[n++] = strdup(e->d_name);
    }
    closedir(d);
    qsort(names, n, sizeof *names, name_cmp);
    for (size_t i = 0; i < n; i++) {
        const char *what = file_word(names[i]);
        fprintf(html_out, "<li><a href=\"%s\">%s</a>%s%s</li>\n", text_esc(names[i]),
                text_esc(names[i]), *what ? " \xe2\x80\x94 " : "", what);
        free(names[i]);
    }
    free(names);
    fputs("</ul>\n</section>\n", html_out);
    fprintf(html_out, "<footer>%s cl-report (clientele) %s</footer>\n</body>\n</html>\n",
            text_word("made_by"), version);
}

const char *sections_period(void)
{
    return period ? period : "";
}

/* The rows of pareto.csv a section reads: the first ten (top_table), the
 * class A clients of the previous period now below A (the migration
 * section names 15 of them), every class A client when there is a margin
 * ranking (margin_section). The sections test each row again. */
struct pareto_kept {
    int margin;                 /* pareto-margin.csv is in the folder */
    long class_col, previous_col;   /* -2: not looked up yet */
};

static int field_is_a(const struct csvfield *fields, long col)
{
    return col >= 0 && fields[col].len == 1 && fields[col].ptr[0] == 'A';
}

static int pareto_row_kept(void *ctx, const struct table *t, size_t row,
                           const struct csvfield *fields)
{
    struct pareto_kept *k = ctx;
    if (k->class_col == -2) {
        k->class_col = table_find(t, "class");
        k->previous_col = table_find(t, "previous_class");
    }
    if (row < 10)
        return 1;
    int is_a = field_is_a(fields, k->class_col);
    return (k->margin && is_a) || (field_is_a(fields, k->previous_col) && !is_a);
}

int sections_load(const char *previous, struct diag *diag)
{
    if (!folder_exists("figures.csv"))
        return diag_set(diag, "%s: not a cl-report folder (no figures.csv)", folder_dir);
    folder_load(&fig, "figures.csv");
    folder_load(&summary, "summary.csv");
    folder_load(&stats, "stats.csv");
    folder_load(&stats_all, "stats-all.csv");
    /* of pareto.csv's millions of rows, only those a section shows */
    struct pareto_kept kept = { .margin = folder_exists("pareto-margin.csv"), .class_col = -2 };
    folder_load_rows(&pareto_t, "pareto.csv", pareto_row_kept, &kept);
    if (previous) {
        struct stat st;
        const char *p = text_fmt("%s/figures.csv", previous);
        if (stat(p, &st) != 0)
            return diag_set(diag, "%s: not a cl-report folder (no figures.csv)", previous);
        folder_load_path(&prev_fig, p);
        prevname = folder_metric(&prev_fig, "period");
        if (!*prevname)
            return diag_set(diag, "%s: no period in its figures.csv", p);
    }
    period = folder_metric(&fig, "period");
    date_from = folder_metric(&fig, "from");
    date_to = folder_metric(&fig, "to");
    asof = folder_metric(&fig, "asof");
    if (!*period || !*date_from || !*date_to)
        return diag_set(diag, "%s/figures.csv: no period, from or to", folder_dir);
    notes_load();
    return 0;
}

void sections_write(const char *version_text)
{
    version = version_text;
    html_head(text_period(period));
    title_and_brief();
    key_figures();
    pareto_section();
    abc_section();
    margin_section();
    rfm_section();
    clv_section();
    personas_section();
    cohort_section();
    market_section();
    if (*folder_metric(&fig, "prescribed_clients"))
        prescribers_section();
    quality_section();
    method_section();
}

void sections_free(void)
{
    table_free(&fig.t);
    table_free(&prev_fig.t);
    table_free(&summary.t);
    table_free(&stats.t);
    table_free(&stats_all.t);
    table_free(&pareto_t.t);
}
