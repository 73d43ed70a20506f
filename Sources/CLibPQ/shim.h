#ifndef WFA_CLIBPQ_SHIM_H
#define WFA_CLIBPQ_SHIM_H
#include <libpq-fe.h>
#endif
