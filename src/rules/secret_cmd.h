/*
 * secret_cmd.h: plaintext secrets outside `environment:` that the rules
 * report (never moved): passwords on command lines (`command`,
 * `entrypoint`, a healthcheck's `test`) and in `build.args`, and the
 * walk over a service's whole environment (merges and aliases followed)
 * that the plaintext-secret rule makes.
 */
#ifndef HC_SECRET_CMD_H
#define HC_SECRET_CMD_H

#include "rules/secret_detect.h"
#include "yaml/tree.h"

#include <stdbool.h>
#include <stddef.h>

/* Is there a password among the n words of a command line (the YAML text
 * of its items, split at spaces, quotes removed)? What it is goes to what
 * ("--requirepass", "mc alias set", "a GitHub token"). */
bool hc_cmdline_secret(const struct hc_secret_words *w, const char *const *argv, size_t argc,
                       char *what, size_t wsz);

/* The same for a command line written as one text (split at blanks and
 * ';', quotes dropped). */
bool hc_cmdline_text_secret(const struct hc_secret_words *w, const char *text, char *what,
                            size_t wsz);

/* Calls found(ctx, node, what) for each place of service svc (a mapping)
 * that holds a plaintext secret:
 *   hc_env_secrets: its environment, with `<<:` merges and aliases
 *                   followed (what: the variable);
 *   hc_cmd_secrets: command, entrypoint and healthcheck test (what: "command
 *                   (--requirepass)");
 *   hc_build_arg_secrets: build.args (what: the argument). */
typedef void (*hc_secret_found)(void *ctx, const struct hc_node *at, const char *what);
void hc_env_secrets(const struct hc_secret_words *w, struct hc_node *svc, hc_secret_found found,
                    void *ctx);
void hc_cmd_secrets(const struct hc_secret_words *w, struct hc_node *svc, hc_secret_found found,
                    void *ctx);
void hc_build_arg_secrets(const struct hc_secret_words *w, struct hc_node *svc,
                          hc_secret_found found, void *ctx);

#endif
