/*
 * side.h: writing what a run asks for besides the compose file: secret
 * files, `.env` lines and `.gitignore` entries (the `secrets` transform).
 */
#ifndef HC_SIDE_H
#define HC_SIDE_H

#include "base/buf.h"
#include "base/io.h"
#include "engine/run.h"

/*
 * Writes side's files beside the compose file at compose_path. Everything is
 * checked before anything is written: an existing secret file with other
 * content is an error and nothing is written. Secret files are created with
 * mode 0600 (given to their reader's uid when run as root) in a folder
 * created with mode 0700; `.env` lines are appended (a new `.env` gets mode
 * 0600); the `.gitignore` beside the compose file, when there is one, gains
 * `/secrets/` and `/.env`. Each file is written atomically. Returns 0, or -1
 * with "FILE: error: ..." in err. notes gets lines worth telling the user.
 */
int hc_side_write(const char *compose_path, const struct hc_side *side, struct hc_buf *err,
                  struct hc_buf *notes);

/* See hc_ctx.secret_file: -1 no file, 1 it holds value, 0 anything else. */
int hc_side_secret_state(const char *folder, const char *dir, const char *name, const char *value,
                         size_t len);

#endif
