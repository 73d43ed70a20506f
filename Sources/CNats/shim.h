#ifndef WFA_CNATS_SHIM_H
#define WFA_CNATS_SHIM_H
#include <nats/nats.h>
#endif
