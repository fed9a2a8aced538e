/* l10n — the languages of what people read (charts, persona labels,
 * workbooks, the report page): the one language enum, the typographic
 * characters the two languages use, and numbers written for people
 * ("1 234,5 %" in French, "1,234.5%" in English). CSV output never goes
 * through here: its numbers are parse.h's, with '.' and no grouping.
 *
 * Layer: base. Includes nothing of the project's. */
#ifndef CL_L10N_H
#define CL_L10N_H

#include <stddef.h>

enum l10n_lang { L10N_EN, L10N_FR };

/* A message in two languages: L10N(lang, "English %s", "Français %s").
 * Both are literals, so the compiler still checks each against its
 * arguments (-Wformat follows both arms of the choice). */
#define L10N(lang, en, fr) ((lang) == L10N_FR ? (fr) : (en))

/* The language named "en" or "fr". @return 0, or -1 for any other name
 * (*lang untouched). */
int l10n_lang_parse(const char *name, enum l10n_lang *lang);

#define NARROW_NBSP  "\xe2\x80\xaf" /* U+202F, the French thousands separator */
#define MINUS_SIGN   "\xe2\x88\x92" /* U+2212, the minus of a number for people */
#define EN_DASH      "\xe2\x80\x93" /* U+2013: no value */
#define ELLIPSIS     "\xe2\x80\xa6" /* U+2026 */
#define APOSTROPHE   "\xe2\x80\x99" /* U+2019, the typographic apostrophe */

/* value with `decimals` decimals (0..6) as people read it in lang:
 * groups of three (',' in English, a narrow no-break space in French), the
 * decimal mark ('.' or ','), a true minus sign, no minus on a rounded
 * zero, an en dash for a value that is not finite. out needs 64 bytes.
 * @return out. */
char *l10n_number(double value, int decimals, enum l10n_lang lang, char *out);
/* fraction as a percentage the same way ("73.5%", "73,5 %"). */
char *l10n_percent(double fraction, int decimals, enum l10n_lang lang, char *out);

#endif
