/*
 * side.h: writing what a run asks for besides the compose file: secret
 * files, `.env` lines and `.gitignore` entries (the `secrets` transform).
 */
#ifndef HC_SIDE_H
#define HC_SIDE_H

#include "base/buf.h"
#include "base/diag.h"
#include "base/io.h"
#include "engine/run.h"

/*
 * Writes side's files beside the compose file at compose_path. Everything is
 * checked before anything is written: an existing secret file with other
 * content is an error and nothing is written, and so is a `.env` that git
 * tracks when values would be appended to it. Secret files are created
 * with mode 0444 (0400 and given to their reader's uid when run as root
 * and the image's uid is known) in a folder of mode 0700 that holds a
 * `.gitignore` of `*`; `.env` lines are appended (a new `.env` gets mode
 * 0600); `.env.example` gets the names without values; the `.gitignore`
 * beside the compose file, when there is one, gains `/secrets/` and
 * `/.env`, and in a git repository `/.env` is added (the file made when
 * needed) when git does not ignore `.env` yet. Each file is written
 * atomically. Returns 0, or -1 with err set (code HC_EXIT_IO; its file the
 * compose file, or the side file that could not be read or written).
 * notes gets lines worth telling the user.
 */
int hc_side_write(const char *compose_path, const struct hc_side *side, struct hc_diag *err,
                  struct hc_buf *notes);

/* See hc_ctx.secret_file: -1 no file, 1 it holds value, 0 anything else. */
int hc_side_secret_state(const char *folder, const char *dir, const char *name, const char *value,
                         size_t len);

#endif
