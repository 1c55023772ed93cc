#ifndef CLIBSSH_H
#define CLIBSSH_H
#include <libssh/libssh.h>
/* Channel callbacks (exit status, exit signal, close) are declared here, not in libssh.h. */
#include <libssh/callbacks.h>

/* libssh is opened on first use (see CLazyLibrary): clibssh_load before the first call; the functions HomelabCore
   calls are defined in lazy_libssh.c as trampolines of the same names. */
int clibssh_load(void);
/* Why libssh could not be loaded ("" otherwise). */
const char *clibssh_load_error(void);
#endif
