#ifndef CLIBEDIT_SHIM_H
#define CLIBEDIT_SHIM_H
#include <stdio.h>
#include <editline/readline.h>
/* Setters and getters so Swift 6 never touches libedit's mutable globals directly. */
static inline void clibedit_set_completion_entry(rl_compentry_func_t *f) { rl_completion_entry_function = f; }
static inline void clibedit_set_attempted_completion(rl_completion_func_t *f) { rl_attempted_completion_function = f; }
/* The REPL handles SIGINT itself; libedit must not install handlers that turn a second Ctrl-C into end of input. */
static inline void clibedit_set_catch_signals(int on) { rl_catch_signals = on; }
/* Set inside a completion: 1 stops libedit falling back to file names. */
static inline void clibedit_set_attempted_completion_over(int over) { rl_attempted_completion_over = over; }
/* Set inside a completion: the character appended after a single match (0 for none). */
static inline void clibedit_set_completion_append_character(int c) { rl_completion_append_character = c; }
/* Words break at blanks and quotes only, so `--image=svc` and `svc=3` complete as the REPL reads them. */
static inline void clibedit_set_word_breaks(void) {
    rl_basic_word_break_characters = " \t\n\"'=";
    rl_completer_word_break_characters = (char *)" \t\n\"'=";
}
/* The program name libedit reads its settings (~/.editrc) under. */
static inline void clibedit_set_readline_name(void) { rl_readline_name = "homelab"; }
/* The line being edited, and the cursor, for a completion. */
static inline const char *clibedit_line_buffer(void) { return rl_line_buffer; }
static inline int clibedit_point(void) { return rl_point; }
#endif
