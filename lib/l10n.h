/* l10n — the languages of the suite's words: one enum for every program
 * and one rule for naming them on the command line (--lang en|fr).
 *
 * A message in two languages is chosen with L10N(lang, "English %s",
 * "Français %s"): both are literals, so the compiler still checks each
 * against its arguments (-Wformat=2 follows both arms of the choice). */
#ifndef CL_L10N_H
#define CL_L10N_H

enum l10n_lang { L10N_EN, L10N_FR };

#define L10N(lang, en, fr) ((lang) == L10N_FR ? (fr) : (en))

/* "en" or "fr" into *out. @return 0, or -1 (unknown name, *out unchanged). */
int l10n_parse(const char *name, enum l10n_lang *out);

#endif
