/*
 * pin.h: `hardcompose pin [OPTIONS] FILE...`: pins each service's image to
 * the digest an image lock names (docs/pinning.md). pin.c parses the
 * options and runs each file; pinlock.c refreshes the lock from the local
 * engine (--from-docker).
 */
#ifndef HC_PIN_H
#define HC_PIN_H

#include "cli/report.h"
#include "engine/run.h"
#include "yaml/tree.h"

/* argv[0] is "pin". Returns the exit code. */
int hc_pin_main(int argc, char **argv);

/*
 * --from-docker: adds or updates in the lock at lockpath (created when
 * missing) the digest the local engine has for each `name:tag` image of
 * doc, keeping the lock's comments and order. Errors (an image the engine
 * does not have, or has no RepoDigest for) go to o->err and o->code, and
 * nothing is written. 0 or -1.
 */
int hc_pin_refresh(const char *lockpath, const struct hc_doc *doc, struct hc_outcome *o);

/*
 * hardcompose --check's part (docs/pinning.md): when an images.lock lies
 * beside the compose file at path (text: its len bytes), adds to out the
 * image-lock errors and notes `pin --check` gives for it (a lock that
 * cannot be read or parsed: one error at the file's start). A file
 * without a lock beside it (and stdin, "-") gets nothing.
 */
void hc_pin_check_beside(const char *path, const char *text, size_t len, struct hc_findings *out);

#endif
