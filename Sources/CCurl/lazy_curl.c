#include "CCurl.h"

#include <CLazyLibrary.h>

/* Every libcurl function HomelabCore calls (`nm -u` on its objects lists them; one missing here fails the link). */
#define CURL_FIXED_FUNCTIONS(X)                                                                                    \
    X(void, curl_easy_cleanup, (CURL *a), (a))                                                                     \
    X(CURL *, curl_easy_init, (void), ())                                                                          \
    X(CURLcode, curl_easy_pause, (CURL *a, int b), (a, b))                                                         \
    X(void, curl_easy_reset, (CURL *a), (a))                                                                       \
    X(const char *, curl_easy_strerror, (CURLcode a), (a))                                                         \
    X(CURLcode, curl_global_init, (long a), (a))                                                                   \
    X(CURLMcode, curl_multi_add_handle, (CURLM *a, CURL *b), (a, b))                                              \
    X(CURLMcode, curl_multi_cleanup, (CURLM *a), (a))                                                              \
    X(CURLMsg *, curl_multi_info_read, (CURLM *a, int *b), (a, b))                                                \
    X(CURLM *, curl_multi_init, (void), ())                                                                        \
    X(CURLMcode, curl_multi_perform, (CURLM *a, int *b), (a, b))                                                  \
    X(CURLMcode, curl_multi_poll, (CURLM *a, struct curl_waitfd b[], unsigned int c, int d, int *e),              \
      (a, b, c, d, e))                                                                                             \
    X(CURLMcode, curl_multi_remove_handle, (CURLM *a, CURL *b), (a, b))                                           \
    X(CURLMcode, curl_multi_wakeup, (CURLM *a), (a))                                                               \
    X(struct curl_slist *, curl_slist_append, (struct curl_slist *a, const char *b), (a, b))                      \
    X(void, curl_slist_free_all, (struct curl_slist *a), (a))                                                      \
    X(char *, curl_version, (void), ())
/* The C-variadic ones, reached only through the typed wrappers below. */
#define CURL_VARIADIC_FUNCTIONS(X)                                                                                 \
    X(CURLcode, curl_easy_setopt, (CURL *a, CURLoption b, ...), ())                                               \
    X(CURLcode, curl_easy_getinfo, (CURL *a, CURLINFO b, ...), ())                                                \
    X(CURLMcode, curl_multi_setopt, (CURLM *a, CURLMoption b, ...), ())

enum { CURL_FIXED_FUNCTIONS(HL_LAZY_INDEX) CURL_VARIADIC_FUNCTIONS(HL_LAZY_INDEX) hl_lazy_curl_count };

static const char *const file_names[] = { "libcurl.so.4", "libcurl.so", NULL };
static const char *const symbol_names[] = { CURL_FIXED_FUNCTIONS(HL_LAZY_NAME) CURL_VARIADIC_FUNCTIONS(HL_LAZY_NAME) };
static void *symbols[hl_lazy_curl_count];
static hl_lazy_library curl = HL_LAZY_LIBRARY_INITIALIZER(file_names, symbol_names, symbols, hl_lazy_curl_count);

int ccurl_load(void) { return hl_lazy_library_load(&curl); }
const char *ccurl_load_error(void) { return hl_lazy_library_error(&curl); }
void ccurl_preload(void) { hl_lazy_library_preload(&curl); }

#define CURL_TRAMPOLINE(ret, name, params, args) HL_LAZY_TRAMPOLINE(curl, ret, name, params, args)
CURL_FIXED_FUNCTIONS(CURL_TRAMPOLINE)

#define VARIADIC(name) ((__typeof__(&name))hl_lazy_library_symbol(&curl, hl_lazy_index_##name))
CURLcode ccurl_easy_setopt_long(CURL *h, CURLoption o, long v) { return VARIADIC(curl_easy_setopt)(h, o, v); }
CURLcode ccurl_easy_setopt_off_t(CURL *h, CURLoption o, curl_off_t v) { return VARIADIC(curl_easy_setopt)(h, o, v); }
CURLcode ccurl_easy_setopt_string(CURL *h, CURLoption o, const char *v) { return VARIADIC(curl_easy_setopt)(h, o, v); }
CURLcode ccurl_easy_setopt_pointer(CURL *h, CURLoption o, void *v) { return VARIADIC(curl_easy_setopt)(h, o, v); }
CURLcode ccurl_easy_setopt_slist(CURL *h, CURLoption o, struct curl_slist *v) {
    return VARIADIC(curl_easy_setopt)(h, o, v);
}
CURLcode ccurl_easy_setopt_blob(CURL *h, CURLoption o, struct curl_blob *v) {
    return VARIADIC(curl_easy_setopt)(h, o, v);
}
CURLcode ccurl_easy_setopt_write_cb(CURL *h, CURLoption o, curl_write_callback cb) {
    return VARIADIC(curl_easy_setopt)(h, o, cb);
}
CURLcode ccurl_easy_setopt_read_cb(CURL *h, CURLoption o, curl_read_callback cb) {
    return VARIADIC(curl_easy_setopt)(h, o, cb);
}
CURLcode ccurl_easy_getinfo_long(CURL *h, CURLINFO i, long *v) { return VARIADIC(curl_easy_getinfo)(h, i, v); }
CURLcode ccurl_easy_getinfo_double(CURL *h, CURLINFO i, double *v) { return VARIADIC(curl_easy_getinfo)(h, i, v); }
CURLcode ccurl_easy_getinfo_pointer(CURL *h, CURLINFO i, void **v) { return VARIADIC(curl_easy_getinfo)(h, i, v); }
CURLMcode ccurl_multi_setopt_long(CURLM *m, CURLMoption o, long v) { return VARIADIC(curl_multi_setopt)(m, o, v); }
