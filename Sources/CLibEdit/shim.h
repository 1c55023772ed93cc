#ifndef CLIBEDIT_SHIM_H
#define CLIBEDIT_SHIM_H
#include <stdio.h>
#include <editline/readline.h>
/* Setters so Swift 6 never assigns libedit's mutable globals directly. */
static inline void clibedit_set_completion_entry(rl_compentry_func_t *f) { rl_completion_entry_function = f; }
static inline void clibedit_set_attempted_completion(rl_completion_func_t *f) { rl_attempted_completion_function = f; }
#endif
