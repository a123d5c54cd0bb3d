/*
 * secrets.h: what the secrets transform (secrets.c) tells its callers
 * besides the transform itself.
 */
#ifndef HC_SECRETS_H
#define HC_SECRETS_H

struct hc_secret_words; /* rules/secret_detect.h */

/* The `dir` option (folder of the secret files, relative to the compose
 * file) of the secrets transform's options struct opts. */
const char *hc_secrets_opts_dir(const void *opts);
/* The words that make a variable a plaintext secret, in opts: the
 * plaintext-secret rule uses the same ones. */
const struct hc_secret_words *hc_secrets_opts_words(const void *opts);

#endif
