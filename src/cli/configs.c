/*
 * configs.c: the configuration of each file, cached by configuration file
 * and by folder (configs.h).
 */
#include "cli/configs.h"
#include "base/io.h"
#include "cli/side.h"
#include "engine/engine.h"

#include <stdlib.h>
#include <string.h>

/*
 * A configuration file found in the repository (not named by --config) may
 * not send files outside the project: a secrets.dir it sets that is
 * absolute, climbs out with "..", or holds a '$' (Compose would interpolate
 * it) is refused; the command line may set it.
 */
static int repo_settings_ok(const struct hc_cli *cli, const struct hc_config *c, const char *path,
                            struct hc_diag *err)
{
	const char *d = hc_secrets_dir(c), *own = hc_secrets_dir(&cli->config);
	if (!d || (own && !strcmp(d, own)))
		return 0;
	if (hc_path_escapes(d) || strchr(d, '$')) {
		hc_diag_set(err, HC_EXIT_USAGE, NULL, 0, 0,
		            "%s: secrets.dir '%s' would write secret files outside the project "
		            "folder; a configuration file found in the repository cannot set that "
		            "(give --set secrets.dir=... on the command line)",
		            path, d);
		return -1;
	}
	return 0;
}

/* The configuration file for file: --config, or the one its folder finds
 * (one search per folder), or NULL. Caller frees. */
static char *cfg_path(const struct hc_cli *cli, struct hc_cfgs *cs, const char *file)
{
	if (cli->no_config)
		return NULL;
	if (cli->config_path)
		return hc_xstrdup(cli->config_path);
	if (!file)
		return NULL;
	char *dir = hc_dirname(file);
	size_t k = 0;
	while (k < cs->ndirs && strcmp(cs->dirs[k].dir, dir))
		k++;
	if (k == cs->ndirs) {
		cs->dirs = hc_xrealloc(cs->dirs, (cs->ndirs + 1) * sizeof(*cs->dirs));
		cs->dirs[k].dir = dir;
		cs->dirs[k].found = hc_config_find(dir);
		cs->ndirs++;
	} else {
		free(dir);
	}
	return cs->dirs[k].found ? hc_xstrdup(cs->dirs[k].found) : NULL;
}

struct hc_file_cfg hc_cfgs_for(const struct hc_cli *cli, struct hc_cfgs *cs, const char *file)
{
	struct hc_file_cfg fc = {0};
	char *path = cfg_path(cli, cs, file);
	if (!path) {
		/* no configuration file: the command line's own, built at parse time */
		fc.cfg = &cli->config;
		return fc;
	}
	size_t i = 0;
	while (i < cs->n && strcmp(cs->v[i].path, path))
		i++;
	if (i == cs->n) {
		cs->v = hc_xrealloc(cs->v, (cs->n + 1) * sizeof(*cs->v));
		struct hc_cfg_entry *e = &cs->v[i];
		memset(e, 0, sizeof(*e));
		e->path = path;
		path = NULL;
		int rc = hc_config_build(&e->cfg, e->path, cli->profile, cli->profile_given,
		                         cli->acts, cli->nacts, &e->err);
		if (rc == 0 && !cli->config_path)
			repo_settings_ok(cli, &e->cfg, e->path, &e->err);
		cs->n++;
	}
	free(path);
	fc.cfg = cs->v[i].err.code ? NULL : &cs->v[i].cfg;
	fc.err = cs->v[i].err.code ? &cs->v[i].err : NULL;
	if (!cli->config_path && !cs->v[i].said) {
		fc.note = cs->v[i].path;
		cs->v[i].said = true;
	}
	return fc;
}

void hc_cfgs_release(struct hc_cfgs *cs)
{
	for (size_t i = 0; i < cs->n; i++) {
		free(cs->v[i].path);
		hc_diag_release(&cs->v[i].err);
		hc_config_release(&cs->v[i].cfg);
	}
	free(cs->v);
	for (size_t i = 0; i < cs->ndirs; i++) {
		free(cs->dirs[i].dir);
		free(cs->dirs[i].found);
	}
	free(cs->dirs);
}
