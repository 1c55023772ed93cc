#include "CLazyLibrary.h"

#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void load_locked(hl_lazy_library *library) {
    void *handle = NULL;
    const char *reason = "no file name to try";
    for (const char *const *name = library->file_names; *name != NULL && handle == NULL; name++) {
        /* RTLD_LAZY: the library's own calls bind when first made; RTLD_LOCAL: its symbols stay out of the global
           scope, so nothing loaded later binds to them by accident. */
        handle = dlopen(*name, RTLD_LAZY | RTLD_LOCAL);
        if (handle == NULL) {
            const char *message = dlerror();
            reason = message != NULL ? message : *name;
        }
    }
    if (handle == NULL) {
        snprintf(library->error, sizeof library->error, "%s", reason);
        atomic_store_explicit(&library->state, -1, memory_order_release);
        return;
    }
    for (int i = 0; i < library->symbol_count; i++) {
        void *symbol = dlsym(handle, library->symbol_names[i]);
        if (symbol == NULL) {
            snprintf(library->error, sizeof library->error, "%s has no symbol %s (a version too old?)",
                     library->file_names[0], library->symbol_names[i]);
            dlclose(handle);
            atomic_store_explicit(&library->state, -1, memory_order_release);
            return;
        }
        library->symbols[i] = symbol;
    }
    atomic_store_explicit(&library->state, 1, memory_order_release);
}

int hl_lazy_library_load(hl_lazy_library *library) {
    int state = atomic_load_explicit(&library->state, memory_order_acquire);
    if (state == 0) {
        pthread_mutex_lock(&library->lock);
        if (atomic_load_explicit(&library->state, memory_order_relaxed) == 0) load_locked(library);
        state = atomic_load_explicit(&library->state, memory_order_relaxed);
        pthread_mutex_unlock(&library->lock);
    }
    return state == 1 ? 0 : -1;
}

const char *hl_lazy_library_error(hl_lazy_library *library) {
    return atomic_load_explicit(&library->state, memory_order_acquire) == -1 ? library->error : "";
}

static void *preload_thread(void *argument) {
    (void)hl_lazy_library_load((hl_lazy_library *)argument);
    return NULL;
}

void hl_lazy_library_preload(hl_lazy_library *library) {
    if (atomic_load_explicit(&library->state, memory_order_acquire) != 0) return;
    pthread_attr_t attributes;
    if (pthread_attr_init(&attributes) != 0) return;
    pthread_attr_setdetachstate(&attributes, PTHREAD_CREATE_DETACHED);
    pthread_t thread;
    (void)pthread_create(&thread, &attributes, preload_thread, library);
    pthread_attr_destroy(&attributes);
}

void *hl_lazy_library_symbol(hl_lazy_library *library, int index) {
    if (hl_lazy_library_load(library) != 0) {
        fprintf(stderr, "homelab: %s could not be loaded: %s\n", library->file_names[0], library->error);
        abort();
    }
    return library->symbols[index];
}

int hl_lazy_library_check(const char *file_name, const char *symbol_name, char *error, size_t capacity) {
    const char *file_names[] = { file_name, NULL };
    const char *symbol_names[] = { symbol_name };
    void *symbols[1] = { NULL };
    hl_lazy_library library = HL_LAZY_LIBRARY_INITIALIZER(file_names, symbol_names, symbols, 1);
    int result = hl_lazy_library_load(&library);
    if (capacity > 0) snprintf(error, capacity, "%s", hl_lazy_library_error(&library));
    pthread_mutex_destroy(&library.lock);
    return result;
}
