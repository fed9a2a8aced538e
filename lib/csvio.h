/* csvio — the whole CSV layer in one include, for the programs: reading
 * (csvin.h), writing (csvout.h) and whole tables (table.h). The library's
 * own modules include the one header they need instead (lib/README.md). */
#ifndef CL_CSVIO_H
#define CL_CSVIO_H

#include "csvin.h"
#include "csvout.h"
#include "table.h"

#endif
