/* page_html.c — the page's HTML pieces: its head, sections, key figures,
 * charts and table headers.
 *
 * The page is written to html_out. html_head writes the document's head
 * and its style sheet; html_section opens a section and remembers its id
 * (html_sections, for cl-page --verbose); html_figure inlines a chart's SVG
 * file, its ids prefixed so that two charts never share one and gnuplot's
 * tooltips left out. Text given here is already escaped (page_text.c). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "page_folder.h"
#include "page_html.h"
#include "page_text.h"

FILE *html_out;
/* the ids of the sections written, "key pareto ...", for html_sections */
static char html_written[256];

/* <section id="ID" class="CLASS"> and its heading; the id kept */
void html_section(const char *id, const char *class, const char *heading)
{
    fprintf(html_out, "<section id=\"%s\"%s%s%s>\n<h2>%s</h2>\n", id, *class ? " class=\"" : "",
            class, *class ? "\"" : "", heading);
    size_t at = strlen(html_written);
    snprintf(html_written + at, sizeof html_written - at, "%s%s", at ? " " : "", id);
}

const char *html_sections(void)
{
    return html_written;
}

void html_kpi(const char *id, const char *label, const char *value, const char *sub,
                const char *change)
{
    fprintf(html_out, "<div class=\"kpi\"><div class=\"l\">%s</div><div class=\"v\" "
                  "id=\"kf-%s\">%s</div>",
            label, id, value);
    if (sub && *sub)
        fprintf(html_out, "<div class=\"s\">%s</div>", sub);
    fprintf(html_out, "%s</div>\n", change);
}

/* A chart's SVG inlined: ids prefixed so that two charts never share one,
 * its title the caption, gnuplot's tooltips (<title>gnuplot_plot_1</title>)
 * and description left out. */
void html_figure(const char *kind, const char *caption)
{
    const char *file = text_fmt("%s.svg", kind);
    if (!folder_exists(file))
        return;
    FILE *fp = fopen(folder_path(file), "r");
    if (!fp)
        text_fail("%s: %s", folder_path(file), strerror(errno));
    /* the prefixed forms, in buffers of their own (the ring turns over
     * within a chart) */
    char id1[64], id2[64], href1[64], href2[64], url[64];
    snprintf(id1, sizeof id1, " id='c-%s-", kind);
    snprintf(id2, sizeof id2, " id=\"c-%s-", kind);
    snprintf(href1, sizeof href1, "href='#c-%s-", kind);
    snprintf(href2, sizeof href2, "href=\"#c-%s-", kind);
    snprintf(url, sizeof url, "url(#c-%s-", kind);
    fprintf(html_out, "<figure class=\"chart\" id=\"fig-%s\">\n", kind);
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    while ((n = getline(&line, &cap, fp)) > 0) {
        if (line[n - 1] == '\n')
            line[--n] = '\0';
        if (strncmp(line, "<?xml", 5) == 0 || strncmp(line, "<desc>", 6) == 0)
            continue;
        const char *l = line;
        l = text_replace_all(l, " id='", id1);
        l = text_replace_all(l, " id=\"", id2);
        l = text_replace_all(l, "href='#", href1);
        l = text_replace_all(l, "href=\"#", href2);
        l = text_replace_all(l, "url(#", url);
        const char *tip = strstr(l, "<title>gnuplot_plot_");
        if (tip) {
            const char *end = strstr(tip, "</title>");
            if (end)
                l = text_fmt("%.*s%s", (int)(tip - l), l, end + 8);
        }
        if (strcmp(l, "<title>Gnuplot</title>") == 0)
            l = text_fmt("<title>%s</title>", caption);
        if (strncmp(l, "<svg ", 5) == 0)
            l = text_fmt("<svg class=\"chart\" role=\"img\" aria-label=\"%s\" %s", caption, l + 5);
        fprintf(html_out, "%s\n", l);
    }
    free(line);
    fclose(fp);
    fprintf(html_out, "<figcaption>%s \xc2\xb7 <a href=\"%s.svg\">SVG</a> \xc2\xb7 "
            "<a href=\"%s.png\">PNG</a></figcaption>\n</figure>\n", caption, kind, kind);
}

/* A header row; align: 'l' or 'n' per column (NULL: l, then n). */
void html_th(const char *const *labels, size_t n, const char *align)
{
    fputs("<tr>", html_out);
    for (size_t i = 0; i < n; i++) {
        int numeric = align ? align[i] == 'n' : i > 0;
        fprintf(html_out, "<th%s>%s</th>", numeric ? " class=\"n\"" : "", labels[i]);
    }
    fputs("</tr>\n", html_out);
}
void html_head(const char *period_label)
{
    fprintf(html_out, "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
            "<title>%s \xe2\x80\x94 %s</title>\n", text_french ? "fr" : "en", text_word("title"),
                period_label);
    fputs("<style>\n"
"body { font-family: \"DejaVu Sans\", \"Liberation Sans\", Arial, Helvetica, sans-serif; "
"color: #222; max-width: 1000px; margin: 0 auto; padding: 24px; line-height: 1.45; "
"font-size: 15px; }\n"
"h1 { font-size: 26px; margin: 0 0 4px; } h2 { font-size: 20px; margin: 36px 0 10px; "
"border-bottom: 2px solid #4472c4; padding-bottom: 4px; } h3 { font-size: 16px; "
"margin: 20px 0 8px; }\n"
".meta { color: #555; margin: 0 0 16px; } .note { color: #555; font-size: 13px; }\n"
".partial { background: #fff4e5; border-left: 4px solid #e8a33d; padding: 8px 14px; }\n"
".brief { font-size: 16px; background: #f3f6fb; border-radius: 6px; padding: 10px 14px; }\n"
".kpis { display: grid; grid-template-columns: repeat(auto-fill, minmax(220px, 1fr)); "
"gap: 10px; }\n"
".kpi { border: 1px solid #d0d7e2; border-radius: 6px; padding: 10px 12px; "
"break-inside: avoid; }\n"
".kpi .l { font-size: 13px; color: #444; font-weight: bold; } .kpi .v { font-size: 26px; "
"font-weight: bold; margin: 2px 0; white-space: nowrap; }\n"
".kpi .s { font-size: 12px; color: #666; } .kpi .d { font-size: 13px; margin-top: 4px; }\n"
".up { color: #1a7f37; } .down { color: #b42318; } .flat { color: #555; }\n"
"figure.chart { margin: 14px 0; break-inside: avoid; } svg.chart { width: 100%; "
"height: auto; display: block; border: 1px solid #e4e4e4; }\n"
"figcaption { font-size: 13px; color: #555; margin-top: 4px; }\n"
"table { border-collapse: collapse; margin: 8px 0; font-size: 14px; } th, td { "
"padding: 4px 10px; border-bottom: 1px solid #e2e2e2; text-align: left; "
"vertical-align: top; }\n"
"th { background: #f3f6fb; font-weight: bold; } .n { text-align: right; "
"font-variant-numeric: tabular-nums; } td.n { white-space: nowrap; } table.wide { "
"font-size: 13px; } table.wide th, table.wide td { padding: 4px 6px; } tr.total td { "
"font-weight: bold; border-top: 2px solid #999; }\n"
"td.id { max-width: 360px; overflow-wrap: anywhere; } td.diag { font-weight: bold; }\n"
".quality { background: #f7f7f7; border-left: 4px solid #888; padding: 6px 16px; } "
".quality ul { margin: 4px 0; } .warn { font-size: 13px; overflow-wrap: anywhere; }\n"
".files { font-size: 13px; } .files li { break-inside: avoid; } footer { margin-top: 30px; "
"font-size: 12px; color: #777; }\n"
"@media print { body { max-width: none; padding: 0; font-size: 11pt; } h2 { "
"break-after: avoid; } .kpi, table, figure.chart, .quality { break-inside: avoid; }\n"
"  a { color: inherit; text-decoration: none; } .brief { background: none; "
"border: 1px solid #ccc; } }\n"
"@page { size: A4; margin: 14mm; }\n"
"</style>\n</head>\n<body>\n", html_out);
}

void html_start(FILE *out)
{
    html_out = out;
    html_written[0] = '\0';
}
