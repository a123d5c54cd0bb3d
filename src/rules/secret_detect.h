/*
 * secret_detect.h: what counts as a plaintext secret in `environment:`.
 *
 * Shared by the plaintext-secret rule (rules.c) and the secrets transform
 * (transforms/secrets_collect.c), so the two always agree. A variable is a secret
 * when a word of its name is one of `patterns` and no word of `ignore` qualifies it
 * (a word after the secret word, or a switch word such as ALLOW anywhere),
 * and its value is a literal (nothing Compose interpolates, not a boolean,
 * not already a /run/secrets/ path, not a file path, class name or host
 * list); a value holding a well-known token shape (a private key, ghp_,
 * sk_live_, a JWT) is one whatever the name; with `urls`, a password
 * written in a URL (scheme://user:PASS@host) is one too, whatever the
 * name, unless it is inside an interpolation's default.
 */
#ifndef HC_SECRET_DETECT_H
#define HC_SECRET_DETECT_H

#include "base/buf.h"

#include <stdbool.h>
#include <stddef.h>

/* The words that make a name a secret; the secrets transform's options
 * embed it, so profiles set it as `secrets.patterns` and so on. */
struct hc_secret_words {
	struct hc_strlist patterns; /* words of secret names (PASSWORD, API_KEY) */
	struct hc_strlist ignore;   /* words that make a name not a secret (FILE, TTL) */
	bool urls;                  /* passwords in URLs count */
};

/* Is `var` = val (vlen bytes, Compose's text) a plaintext secret under w? */
bool hc_is_plaintext_secret(const struct hc_secret_words *w, const char *var, const char *val,
                            size_t vlen);
/* Does the name var look like a secret's (patterns and ignore of w)? */
bool hc_is_secret_name(const struct hc_secret_words *w, const char *var);
/* An `environment:` list item `VAR=value` (it followed through an alias):
 * the variable's length in *nlen, the value in *val and *vlen; false when
 * it is not a scalar holding '='. */
struct hc_node;
bool hc_env_item(const struct hc_node *it, size_t *nlen, const char **val, size_t *vlen);
/* Is s (n bytes) a literal value worth moving (nothing Compose
 * interpolates, not empty, not a boolean or none, not /run/secrets/)? */
bool hc_secret_literal(const char *s, size_t n);
/* A literal that can be a secret under a secret's name: not a file path
 * (/etc/ssl/x, ./certs/a.pem), a class name (a.b.Hasher), a host list. */
bool hc_secret_value_ok(const char *s, size_t n);
/* A well-known token shape anywhere in s (a private key block, sk_live_,
 * ghp_, xoxb-, AKIA..., a JWT): what it is ("a GitHub token"), or NULL. */
const char *hc_secret_token(const char *s, size_t n);
/* Is the whole value of var a secret: a secret's name with a value that
 * can be one, or a token shape under any name? */
bool hc_secret_whole(const struct hc_secret_words *w, const char *var, const char *val,
                     size_t vlen);
/* The password of a URL in s: scheme://user:PASS@host...; its bytes are
 * [*ps, *pe) of s. False when there is none or it is not a literal. */
bool hc_url_password(const char *s, size_t n, size_t *ps, size_t *pe);

/* Does Compose interpolate anything in s (n bytes)? ($$ is a literal $.) */
bool hc_interpolates(const char *s, size_t n);

#endif
