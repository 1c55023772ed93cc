#ifndef CLIBSSH_SHIM_H
#define CLIBSSH_SHIM_H
#include <libssh/libssh.h>
#endif
