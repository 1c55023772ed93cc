#ifndef CLAZYLIBRARY_H
#define CLAZYLIBRARY_H
/* A shared library opened on first use (dlopen), not when the process starts.
 *
 * libcurl and libssh bring about thirty shared libraries with them (OpenSSL, GnuTLS, Kerberos, LDAP, ...): loading
 * and relocating them at exec took 13 ms of every `homelab` process, `homelab --version` included. The C targets
 * CCurl and CLibSSH define the functions HomelabCore calls under their own names, each a trampoline that loads the
 * library once and jumps to the real function; the trampolines are hidden (not exported), so the libraries never
 * bind to them. Swift code checks `hl_lazy_library_load` before its first call and throws a clear error when the
 * library is missing; a trampoline called without a loaded library stops the process with that error. */
#include <pthread.h>
#include <stddef.h>
#include <stdatomic.h>

typedef struct hl_lazy_library {
    /* The file names tried in order, NULL-terminated ("libcurl.so.4", "libcurl.so", NULL). */
    const char *const *file_names;
    /* The symbols to resolve, and where their addresses go (same count). */
    const char *const *symbol_names;
    void **symbols;
    int symbol_count;
    /* Internal state: 0 not tried, 1 loaded, -1 failed (the reason in error). */
    _Atomic int state;
    pthread_mutex_t lock;
    char error[512];
} hl_lazy_library;

#define HL_LAZY_LIBRARY_INITIALIZER(files, names, symbols, count) \
    { (files), (names), (symbols), (count), 0, PTHREAD_MUTEX_INITIALIZER, { 0 } }

/* Opens the library and resolves every symbol, once; later calls return the first outcome at once.
 * Returns 0 when loaded, -1 when not (the reason from hl_lazy_library_error). Thread-safe. */
int hl_lazy_library_load(hl_lazy_library *library);

/* Why the library could not be loaded ("" while it is loaded or not tried yet). */
const char *hl_lazy_library_error(hl_lazy_library *library);

/* Starts loading the library on a detached background thread, so a later first call finds it ready; returns at
 * once. Does nothing when the library was already tried or the thread cannot start. */
void hl_lazy_library_preload(hl_lazy_library *library);

/* The address of symbol `index`, loading the library first if needed; stops the process with the loader's error
 * if the library cannot be loaded (callers check hl_lazy_library_load before their first call). */
void *hl_lazy_library_symbol(hl_lazy_library *library, int index);

/* Opens `file_name` and resolves `symbol_name` as a library of their own, for tests and diagnostics: 0 when both
 * are found; -1 with the reason in `error` (at most `capacity` bytes, terminated) when not. */
int hl_lazy_library_check(const char *file_name, const char *symbol_name, char *error, size_t capacity);

/* Helpers for a library's function list, written as an X-macro: X(return type, name, (parameters), (arguments)). */
#define HL_LAZY_INDEX(ret, name, params, args) hl_lazy_index_##name,
#define HL_LAZY_NAME(ret, name, params, args) #name,
/* Defines `name` itself as a hidden symbol (an assembler alias, since the library's header already declares it with
   default visibility) whose body calls the library's function of the same type. */
#define HL_LAZY_TRAMPOLINE(library, ret, name, params, args)                                                    \
    __attribute__((visibility("hidden"), used)) ret hl_lazy_##name params {                                     \
        return ((__typeof__(&name))hl_lazy_library_symbol(&(library), hl_lazy_index_##name)) args;            \
    }                                                                                                          \
    __asm__(".globl " #name "\n\t.hidden " #name "\n\t.set " #name ", hl_lazy_" #name);
#endif
