#include "CLibSSH.h"

#include <CLazyLibrary.h>

/* Every libssh function HomelabCore calls (`nm -u` on its objects lists them; one missing here fails the link). */
#define LIBSSH_FUNCTIONS(X)                                                                                          \
    X(int, ssh_channel_close, (ssh_channel channel), (channel))                                                      \
    X(void, ssh_channel_free, (ssh_channel channel), (channel))                                                      \
    X(int, ssh_channel_get_exit_status, (ssh_channel channel), (channel))                                            \
    X(ssh_session, ssh_channel_get_session, (ssh_channel channel), (channel))                                        \
    X(int, ssh_channel_is_closed, (ssh_channel channel), (channel))                                                  \
    X(int, ssh_channel_is_open, (ssh_channel channel), (channel))                                                    \
    X(ssh_channel, ssh_channel_new, (ssh_session session), (session))                                                \
    X(int, ssh_channel_open_forward, (ssh_channel channel, const char *remotehost, int remoteport,                   \
      const char *sourcehost, int localport),                                                                        \
      (channel, remotehost, remoteport, sourcehost, localport))                                                      \
    X(int, ssh_channel_open_session, (ssh_channel channel), (channel))                                               \
    X(int, ssh_channel_poll, (ssh_channel channel, int is_stderr), (channel, is_stderr))                             \
    X(int, ssh_channel_poll_timeout, (ssh_channel channel, int timeout, int is_stderr),                              \
      (channel, timeout, is_stderr))                                                                                 \
    X(int, ssh_channel_read_nonblocking, (ssh_channel channel, void *dest, uint32_t count, int is_stderr),           \
      (channel, dest, count, is_stderr))                                                                             \
    X(int, ssh_channel_request_exec, (ssh_channel channel, const char *cmd), (channel, cmd))                         \
    X(int, ssh_channel_request_send_signal, (ssh_channel channel, const char *signum), (channel, signum))            \
    X(int, ssh_channel_send_eof, (ssh_channel channel), (channel))                                                   \
    X(uint32_t, ssh_channel_window_size, (ssh_channel channel), (channel))                                           \
    X(int, ssh_channel_write, (ssh_channel channel, const void *data, uint32_t len), (channel, data, len))           \
    X(void, ssh_clean_pubkey_hash, (unsigned char **hash), (hash))                                                   \
    X(int, ssh_connect, (ssh_session session), (session))                                                            \
    X(void, ssh_disconnect, (ssh_session session), (session))                                                        \
    X(int, ssh_event_add_session, (ssh_event event, ssh_session session), (event, session))                          \
    X(int, ssh_event_dopoll, (ssh_event event, int timeout), (event, timeout))                                       \
    X(void, ssh_event_free, (ssh_event event), (event))                                                              \
    X(ssh_event, ssh_event_new, (void), ())                                                                          \
    X(int, ssh_event_remove_session, (ssh_event event, ssh_session session), (event, session))                       \
    X(void, ssh_free, (ssh_session session), (session))                                                              \
    X(const char *, ssh_get_error, (void *error), (error))                                                           \
    X(int, ssh_get_error_code, (void *error), (error))                                                               \
    X(socket_t, ssh_get_fd, (ssh_session session), (session))                                                        \
    X(char *, ssh_get_fingerprint_hash, (enum ssh_publickey_hash_type type, unsigned char *hash, size_t len),        \
      (type, hash, len))                                                                                             \
    X(int, ssh_get_publickey_hash, (const ssh_key key, enum ssh_publickey_hash_type type,                            \
      unsigned char **hash, size_t *hlen),                                                                           \
      (key, type, hash, hlen))                                                                                       \
    X(int, ssh_get_server_publickey, (ssh_session session, ssh_key *key), (session, key))                            \
    X(int, ssh_is_connected, (ssh_session session), (session))                                                       \
    X(void, ssh_key_free, (ssh_key key), (key))                                                                      \
    X(enum ssh_keytypes_e, ssh_key_type, (const ssh_key key), (key))                                                 \
    X(const char *, ssh_key_type_to_char, (enum ssh_keytypes_e type), (type))                                        \
    X(int, ssh_known_hosts_parse_line, (const char *host, const char *line, struct ssh_knownhosts_entry **entry),    \
      (host, line, entry))                                                                                           \
    X(void, ssh_knownhosts_entry_free, (struct ssh_knownhosts_entry *entry), (entry))                                \
    X(ssh_session, ssh_new, (void), ())                                                                              \
    X(int, ssh_options_set, (ssh_session session, enum ssh_options_e type, const void *value),                       \
      (session, type, value))                                                                                        \
    X(int, ssh_pki_import_privkey_file, (const char *filename, const char *passphrase, ssh_auth_callback auth_fn,    \
      void *auth_data, ssh_key *pkey),                                                                               \
      (filename, passphrase, auth_fn, auth_data, pkey))                                                              \
    X(int, ssh_remove_channel_callbacks, (ssh_channel channel, ssh_channel_callbacks cb), (channel, cb))             \
    X(enum ssh_known_hosts_e, ssh_session_is_known_server, (ssh_session session), (session))                         \
    X(int, ssh_session_update_known_hosts, (ssh_session session), (session))                                         \
    X(void, ssh_set_blocking, (ssh_session session, int blocking), (session, blocking))                              \
    X(int, ssh_set_channel_callbacks, (ssh_channel channel, ssh_channel_callbacks cb), (channel, cb))                \
    X(void, ssh_string_free_char, (char *s), (s))                                                                    \
    X(int, ssh_userauth_agent, (ssh_session session, const char *username), (session, username))                     \
    X(int, ssh_userauth_publickey, (ssh_session session, const char *username, const ssh_key privkey),               \
      (session, username, privkey))

enum { LIBSSH_FUNCTIONS(HL_LAZY_INDEX) hl_lazy_libssh_count };

static const char *const file_names[] = { "libssh.so.4", "libssh.so", NULL };
static const char *const symbol_names[] = { LIBSSH_FUNCTIONS(HL_LAZY_NAME) };
static void *symbols[hl_lazy_libssh_count];
static hl_lazy_library libssh = HL_LAZY_LIBRARY_INITIALIZER(file_names, symbol_names, symbols, hl_lazy_libssh_count);

int clibssh_load(void) { return hl_lazy_library_load(&libssh); }
const char *clibssh_load_error(void) { return hl_lazy_library_error(&libssh); }

#define LIBSSH_TRAMPOLINE(ret, name, params, args) HL_LAZY_TRAMPOLINE(libssh, ret, name, params, args)
LIBSSH_FUNCTIONS(LIBSSH_TRAMPOLINE)
