#ifndef CTESTSPAWN_H
#define CTESTSPAWN_H
#include <spawn.h>
/* posix_spawn_file_actions_addclosefrom_np and pipe2 need _GNU_SOURCE, which Swift's Glibc module does not set. */
int ctestspawn_addclosefrom(posix_spawn_file_actions_t *actions, int lowfd);
/* A pipe whose both ends are close-on-exec. */
int ctestspawn_pipe_cloexec(int fds[2]);
#endif
