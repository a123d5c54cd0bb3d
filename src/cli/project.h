/*
 * project.h: the command line's project mode (docs/project.md): the files
 * of one Compose project found as Docker Compose v2 finds them, read
 * together so each file's run sees the merged project.
 *
 *   -F FILE, --file FILE   the project's files, in merge order (Compose's
 *                          `-f`, whose letter is taken by --format here)
 *   --project [FOLDER]     the files COMPOSE_FILE names (the environment, else
 *                          FOLDER/.env; COMPOSE_PATH_SEPARATOR, default ':'),
 *                          else compose.yaml (or compose.yml, docker-compose.yml,
 *                          docker-compose.yaml) found in FOLDER or a folder
 *                          above, with its compose.override.yml (or .yaml)
 *
 * Each file's `include:` adds the files it names (short and long forms)
 * before it; the files services `extends: file:` are run too (hardened
 * where the extended service is defined) but are not members.
 */
#ifndef HC_CLI_PROJECT_H
#define HC_CLI_PROJECT_H

#include "cli/walk.h"
#include "engine/project.h"

struct hc_cli; /* cli/options.h */

/* Is the command line in project mode (-F or --project)? */
bool hc_project_mode(const struct hc_cli *cli);

/* Whether the project options' combination is right; false after saying
 * on stderr what is wrong (a usage error, exit 2): FILE arguments with -F,
 * more than one FOLDER with --project, stdin, no --write, --check or --diff. */
bool hc_project_combination(const struct hc_cli *cli);

/* Fills files (the jobs: the members in merge order, then the files their
 * services extend) and proj (the members' texts). Returns 0, or an exit
 * code (base/exit.h) after saying why on stderr; nothing is then to run. */
int hc_project_load(const struct hc_cli *cli, struct hc_files *files, struct hc_project *proj);

#endif
