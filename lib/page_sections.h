/* page_sections — the sections of the report page (page_sections.c). */
#ifndef CL_PAGE_SECTIONS_H
#define CL_PAGE_SECTIONS_H

#include "diag.h"

/* Read folder_dir's figures.csv, summary.csv, stats.csv, stats-all.csv,
 * pareto.csv and notes.txt, and PREVIOUS's figures.csv (NULL: none).
 * @return 0, or -1 with the diag (not a report folder, no period). */
int sections_load(const char *previous, struct diag *diag);
/* The loaded folder's period ("2011-11"; "" before sections_load). */
const char *sections_period(void);
/* Write the page to html_out, VERSION in its footer. */
void sections_write(const char *version);
/* Free the tables sections_load and sections_write read. */
void sections_free(void);

#endif
