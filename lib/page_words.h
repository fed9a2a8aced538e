/* page_words — the words of the report page in English and French
 * (page_words.c), read by page_text.c, the sections and page_derive.c. */
#ifndef CL_PAGE_WORDS_H
#define CL_PAGE_WORDS_H

#include <stddef.h>

/* A word of the page in both languages. */
struct page_word {
    const char *key, *en, *fr;
};

extern const struct page_word page_words[];     /* the page's sentences and labels */
extern const size_t page_words_count;
extern const struct page_word page_reasons[];   /* stats.csv's rejected_KEY, in words */
extern const size_t page_reasons_count;
extern const struct page_word page_files[];     /* what each file of a folder is */
extern const size_t page_files_count;
extern const struct page_word page_charts[];    /* the charts' names, by kind */
extern const size_t page_charts_count;
extern const struct page_word page_key_labels[]; /* the key figures' names, for the workbook */
extern const size_t page_key_labels_count;

#endif
