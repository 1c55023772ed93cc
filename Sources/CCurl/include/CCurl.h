#ifndef CCURL_H
#define CCURL_H
#include <curl/curl.h>

/* libcurl is opened on first use (see CLazyLibrary): ccurl_load before the first call; the functions HomelabCore
   calls are defined in lazy_curl.c as trampolines of the same names. */
int ccurl_load(void);
/* Why libcurl could not be loaded ("" otherwise). */
const char *ccurl_load_error(void);
/* Starts loading libcurl on a background thread (a command that will send requests, before it parses anything). */
void ccurl_preload(void);

/* curl_easy_setopt, curl_easy_getinfo and curl_multi_setopt are C-variadic and cannot be
   called from Swift. These typed, non-variadic wrappers are the only way HomelabCore calls them. */
CURLcode ccurl_easy_setopt_long(CURL *h, CURLoption o, long v);
CURLcode ccurl_easy_setopt_off_t(CURL *h, CURLoption o, curl_off_t v);
CURLcode ccurl_easy_setopt_string(CURL *h, CURLoption o, const char *v);
CURLcode ccurl_easy_setopt_pointer(CURL *h, CURLoption o, void *v);
CURLcode ccurl_easy_setopt_slist(CURL *h, CURLoption o, struct curl_slist *v);
CURLcode ccurl_easy_setopt_blob(CURL *h, CURLoption o, struct curl_blob *v);
CURLcode ccurl_easy_setopt_write_cb(CURL *h, CURLoption o, curl_write_callback cb);
CURLcode ccurl_easy_setopt_read_cb(CURL *h, CURLoption o, curl_read_callback cb);
CURLcode ccurl_easy_getinfo_long(CURL *h, CURLINFO i, long *v);
CURLcode ccurl_easy_getinfo_double(CURL *h, CURLINFO i, double *v);
CURLcode ccurl_easy_getinfo_pointer(CURL *h, CURLINFO i, void **v);
CURLMcode ccurl_multi_setopt_long(CURLM *m, CURLMoption o, long v);
/* CURLMsg.data is an anonymous union: an accessor avoids guessing the Swift import shape. */
static inline CURLcode ccurl_msg_result(const CURLMsg *m) { return m->data.result; }
static inline long ccurl_global_all(void) { return CURL_GLOBAL_ALL; }
static inline size_t ccurl_writefunc_pause(void) { return CURL_WRITEFUNC_PAUSE; }
#endif
