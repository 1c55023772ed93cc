#ifndef CLIBSSH_SHIM_H
#define CLIBSSH_SHIM_H
#include <libssh/libssh.h>
/* Channel callbacks (exit status, exit signal, close) are declared here, not in libssh.h. */
#include <libssh/callbacks.h>
#endif
