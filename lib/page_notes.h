/* page_notes — what the programs said, as a manager reads it
 * (page_notes.c): notes.txt's notes of each section, and the programs'
 * messages made fit for the page. */
#ifndef CL_PAGE_NOTES_H
#define CL_PAGE_NOTES_H

/* Read the folder's notes.txt; notes_free forgets it. */
void notes_load(void);
void notes_free(void);
/* Has SECTION a note (something the data did not allow there)? 1 / 0. */
int notes_has(const char *section);
/* Write the notes of SECTION to html_out, one paragraph each. */
void notes_write(const char *section);
/* A program's message for the page, escaped: without the program's name
 * or a file of the folder, in the page's words when the page knows it. */
const char *notes_said(const char *line);
/* Is LINE cl-clv's message that the lifetime value section says already
 * (its note nc_clv holds the same words)? 1 / 0. */
int notes_clv_said(const char *line);

#endif
