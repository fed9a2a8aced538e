/* diag.c — filling the error description and quoting data for messages
 * (see diag.h). */
#include "diag.h"

#include <stdarg.h>
#include <stdio.h>

int diag_set(struct diag *diag, const char *fmt, ...)
{
    if (diag == NULL)
        return -1;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(diag->message, sizeof diag->message, fmt, ap);
    va_end(ap);
    return -1;
}

const char *diag_quote(const char *value, size_t len, char *out, size_t out_size)
{
    size_t o = 0;
    if (out_size == 0)
        return out;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)value[i];
        if (o + 5 >= out_size || i >= 40) {
            if (o + 4 < out_size) {
                out[o++] = '.'; out[o++] = '.'; out[o++] = '.';
            }
            break;
        }
        if (c < 0x20 || c == 0x7f || c == '"' || c == '\\') {
            o += (size_t)snprintf(out + o, out_size - o, "\\x%02x", c);
        } else if (c == 0xc2 && i + 1 < len && (unsigned char)value[i + 1] >= 0x80 &&
                   (unsigned char)value[i + 1] <= 0x9f) {
            /* a C1 control (U+0080..U+009F, CSI among them) */
            if (o + 9 >= out_size)
                continue;
            o += (size_t)snprintf(out + o, out_size - o, "\\xc2\\x%02x",
                                  (unsigned char)value[++i]);
        } else {
            out[o++] = (char)c;
        }
    }
    out[o] = '\0';
    return out;
}
