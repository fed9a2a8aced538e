/* l10n.c — numbers for people in English and French, and the language
 * names (see l10n.h). */
#include "l10n.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

int l10n_lang_parse(const char *name, enum l10n_lang *lang)
{
    if (strcmp(name, "en") == 0)
        *lang = L10N_EN;
    else if (strcmp(name, "fr") == 0)
        *lang = L10N_FR;
    else
        return -1;
    return 0;
}

char *l10n_number(double value, int decimals, enum l10n_lang lang, char *out)
{
    if (!isfinite(value)) {
        strcpy(out, EN_DASH);   /* no value */
        return out;
    }
    if (decimals < 0)
        decimals = 0;
    if (decimals > 6)
        decimals = 6;
    char digits[48];
    if (fabs(value) >= 1e30) {
        snprintf(out, 64, "%.3g", value);
        return out;
    }
    snprintf(digits, sizeof digits, "%.*f", decimals, fabs(value));
    /* the integer part ends at the first byte that is not a digit */
    size_t int_len = strspn(digits, "0123456789");
    int zero = strspn(digits, "0.,") == strlen(digits);
    size_t o = 0;
    if (value < 0 && !zero) {
        memcpy(out, MINUS_SIGN, 3);
        o = 3;
    }
    const char *group = lang == L10N_FR ? NARROW_NBSP : ",";
    for (size_t i = 0; i < int_len; i++) {
        if (i > 0 && (int_len - i) % 3 == 0) {
            size_t g = strlen(group);
            memcpy(out + o, group, g);
            o += g;
        }
        out[o++] = digits[i];
    }
    if (decimals > 0) {
        out[o++] = lang == L10N_FR ? ',' : '.';
        size_t d = strlen(digits + int_len + 1);
        memcpy(out + o, digits + int_len + 1, d);
        o += d;
    }
    out[o] = '\0';
    return out;
}

char *l10n_percent(double fraction, int decimals, enum l10n_lang lang, char *out)
{
    l10n_number(fraction * 100.0, decimals, lang, out);
    if (isfinite(fraction))
        strcat(out, lang == L10N_FR ? NARROW_NBSP "%" : "%");
    return out;
}
