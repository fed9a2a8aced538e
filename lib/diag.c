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
        } else {
            out[o++] = (char)c;
        }
    }
    out[o] = '\0';
    return out;
}
