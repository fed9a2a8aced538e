/* l10n — naming the suite's languages (see l10n.h). */
#include "l10n.h"

#include <string.h>

int l10n_parse(const char *name, enum l10n_lang *out)
{
    if (strcmp(name, "en") == 0)
        *out = L10N_EN;
    else if (strcmp(name, "fr") == 0)
        *out = L10N_FR;
    else
        return -1;
    return 0;
}
