/* page_html — the page's HTML pieces: head, sections, key figures, charts,
 * table headers (page_html.c). Text given to them is already escaped. */
#ifndef CL_PAGE_HTML_H
#define CL_PAGE_HTML_H

#include <stddef.h>
#include <stdio.h>

extern FILE *html_out;          /* the page being written (html_start) */

/* Start a page on OUT: html_out, and no section written yet. */
void html_start(FILE *out);
/* The document's head, its title "Customer report — PERIOD_LABEL", and
 * its style sheet; the body opened. */
void html_head(const char *period_label);
/* <section id="ID" class="CLASS"> ("" for none) and its heading; the id
 * kept for html_sections: "key pareto ...", owned by the module. */
void html_section(const char *id, const char *class, const char *heading);
const char *html_sections(void);
/* A key figure: its label, value (id kf-ID), a line under it and the div
 * of its change ("" for none). */
void html_kpi(const char *id, const char *label, const char *value, const char *sub,
              const char *change);
/* The folder's chart KIND.svg inlined (nothing when absent), CAPTION its
 * title and caption. */
void html_figure(const char *kind, const char *caption);
/* A header row; align: 'l' or 'n' per column (NULL: l, then n). HTML_TH
 * takes the labels as arguments. */
void html_th(const char *const *labels, size_t n, const char *align);
#define HTML_TH(align, ...) do { const char *const h_[] = { __VA_ARGS__ }; \
        html_th(h_, sizeof h_ / sizeof h_[0], align); } while (0)

#endif
