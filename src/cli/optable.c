/*
 * optable.c: the command-line options, each defined once: its names, its
 * argument, and its text for --help, the man page and docs/cli.md
 * (optable.h). options.c parses with it, optdoc.c writes the docs from it.
 */
#include "cli/optable.h"

const struct hc_opt hc_opts[] = {
    {
        .name = "write",
        .id = 'w',
        .arg = NULL,
        .help = "rewrite each FILE in place (atomically; untouched if unchanged);\n"
                "also writes the secret files and .env lines of `secrets`;\n"
                "a summary of what it did goes to stderr",
        .man = "Rewrite each file in place, atomically; a file with nothing to change is not\n"
               "touched. Also writes the secret files and .env lines of the secrets transform.",
        .md =
            "Rewrite each FILE in place. The new text goes to a temporary file in the same folder, "
            "is fsynced, gets the original's mode (and owner when allowed), and is renamed over "
            "the original; the folder is fsynced. A symlink is followed: its target is rewritten "
            "and the link stays. A hard-linked file is refused (exit 4; a rename would split the "
            "links). The file must still be the one read (device, inode, size, mtime, and its "
            "content right before the rename), or nothing is written (exit 4). A file with nothing "
            "to change is not touched (its mtime stays). Cannot be combined with `--check` or "
            "`--diff`, nor used on stdin. Only `--write` lets the `secrets` transform move values "
            "out: it first writes the secret files (0444 in a folder of mode 0700 holding a "
            "`.gitignore` of `*`), `.env` lines and `.env.example` names beside the compose file "
            "and makes git ignore `.env`; an existing secret file with other content, or a `.env` "
            "git tracks, is an error (exit 4) and nothing is written ([secrets.md](secrets.md)). "
            "Then "
            "one line on stderr says what it did: `hardcompose: wrote 2 of 3 files (4 services); "
            "secrets: 2 moved to files, 1 to .env` (`--quiet` leaves it out).",
    },
    {
        .name = "check",
        .id = 'c',
        .arg = NULL,
        .help = "write nothing; list pending changes and findings; exit 1 if a\n"
                "file would change or a finding reaches --fail-on\n"
                "(plaintext secrets count: only --write moves them)",
        .man = "Write nothing; list pending changes and findings as\n"
               "FILE:LINE:COL: severity: [id] message; exit 1 if a file would change or a\n"
               "finding reaches \\fB\\-\\-fail\\-on\\fR.",
        .md = "Write nothing. Print one line per pending change, `FILE:LINE:COL: warning: "
              "[transform-id] message (fixable with -w)`, one per finding of a rule, and notes "
              "(`note:`) about values kept as the user wrote "
              "them (`init: false`, `no-new-privileges:false`, shapes it cannot edit). Lines are "
              "sorted by position. Then a summary on stderr: `3 files, 2 need hardening (7 fixes), "
              "1 error, 4 warnings, 2 notes`. Exit 1 if any file would change, or has a plaintext "
              "secret that `--write` would move, or a finding at `--fail-on`.",
    },
    {
        .name = "diff",
        .id = 'd',
        .arg = NULL,
        .help = "write nothing; print a unified diff of the changes",
        .man = "Write nothing; print a unified diff of the changes (secret values masked).",
        .md = "Write nothing; print a unified diff (`--- a/FILE`, `+++ b/FILE`) of what would "
              "change. Can be combined with `--check`. The diff shows plaintext secrets moved as "
              "`--write` moves them, after `#` lines naming the side files `--write` would write "
              "(paths and variable names); every byte of a secret value the diff shows is "
              "replaced by `*`, and such a diff says it is for reading only (`git apply` refuses "
              "it).",
    },
    {
        .name = "format",
        .id = 'f',
        .arg = "FORMAT",
        .help = "report of --check (or of --write): text (default), json,\n"
                "sarif or codeclimate (GitLab code quality)",
        .man = "Report of \\-\\-check (or of \\-\\-write): text (default), json, sarif, or\n"
               "codeclimate (GitLab code quality).",
        .md =
            "The report of `--check`: `text` (default, `FILE:LINE:COL: severity: [id] message`, "
            "sorted by file then position, then a summary line on stderr), `json`, `sarif` "
            "(SARIF 2.1.0) or `codeclimate` (GitLab code quality), each over all files at once; "
            "see [output.md](output.md). A format other than text without `--write` or `--diff` "
            "implies `--check`. With `--write`, `json`, `sarif` and `codeclimate` report what was "
            "written and what was left.",
    },
    {
        .name = "quiet",
        .id = 'q',
        .arg = NULL,
        .help = "print only errors: no fixes, warnings, notes or summary",
        .man = "Print only errors: no pending fixes, warnings, notes or summary line (the exit\n"
               "code is the same).",
        .md = "Print only errors: error-severity findings and the errors of files. Pending fixes, "
              "warnings, notes, the configuration note and the summary lines of `--check` and "
              "`--write` are left out; the exit code is the same.",
    },
    {
        .name = "color",
        .id = OPT_COLOR,
        .arg = "WHEN",
        .help = "colour the text report: auto (default: on a terminal, unless\n"
                "NO_COLOR is set), always or never",
        .man = "Colour the text report and summary: auto (the default: when the output is a\n"
               "terminal and NO_COLOR is unset or empty), always or never.",
        .md = "Colour the text report (severities, fixes) and the summary lines: `auto` (the "
              "default: when the stream is a terminal and `NO_COLOR` is unset or empty), `always` "
              "or `never`. JSON, SARIF and Code Climate reports are never coloured.",
    },
    {
        .name = "fail-on",
        .id = OPT_FAIL_ON,
        .arg = "SEVERITY",
        .help = "findings that fail --check: error (default), warning, note\nor none",
        .man = "Findings that fail \\-\\-check: error (default), warning, note or none.",
        .md = "Which findings of rules make `--check` exit 1: `error` (default), `warning`, "
              "`note`, or `none`. Pending changes always do.",
    },
    {
        .name = "profile",
        .id = 'p',
        .arg = "NAME|PATH",
        .help = "profile to use (default: baseline; built in: baseline,\nproduction, strict, none)",
        .man = "Profile: baseline (default), production, strict, none, or a YAML file.",
        .md = "The profile to use: a built-in name (`baseline`, the default, or `none`) or a YAML "
              "file (a value with a `/` or ending in `.yml`/`.yaml`). See "
              "[profiles.md](profiles.md).",
    },
    {
        .name = "enable",
        .id = 'e',
        .arg = "ID",
        .help = "run transform or rule ID as well",
        .man = "Run transform or rule ID as well.",
        .md = "Run transform or rule ID as well as the profile's.",
    },
    {
        .name = "disable",
        .id = 'x',
        .arg = "ID",
        .help = "do not run transform or rule ID",
        .man = "Do not run transform or rule ID.",
        .md = "Do not run transform or rule ID.",
    },
    {
        .name = "set",
        .id = 's',
        .arg = "ID.OPTION=VALUE",
        .help = "set an option of a transform",
        .man = "Set an option of a transform.",
        .md = "Set an option of a transform. Lists take comma-separated values.",
    },
    {
        .name = "rule",
        .id = 'r',
        .arg = "ID=SEVERITY",
        .help = "run rule ID at SEVERITY (error, warning, note) or off",
        .man = "Run rule ID at error, warning or note, or off.",
        .md = "Run rule ID at SEVERITY (`error`, `warning`, `note`), or `off`. See "
              "[rules.md](rules.md).",
    },
    {
        .name = "config",
        .id = OPT_CONFIG,
        .arg = "PATH",
        .help = "use this configuration file instead of .hardcompose.yml",
        .man = "Use this configuration file instead of the .hardcompose.yml found from each\n"
               "file's folder.",
        .md = "Use this configuration file instead of the `.hardcompose.yml` found from each "
              "file's folder ([config.md](config.md)).",
    },
    {
        .name = "no-config",
        .id = OPT_NO_CONFIG,
        .arg = NULL,
        .help = "use no configuration file",
        .man = "Use no configuration file.",
        .md = "Use no configuration file.",
    },
    {
        .name = "stdin-filepath",
        .id = OPT_STDIN_FILEPATH,
        .arg = "PATH",
        .help = "the name of stdin in messages; its folder decides the\nconfiguration file",
        .man = "With stdin: the name in messages, and the folder where the configuration is\n"
               "looked for.",
        .md = "With stdin input: the name used in messages, and the folder from which the "
              "configuration file (and `.env`) is found. Nothing is read from or written to PATH.",
    },
    {
        .name = "jobs",
        .id = 'j',
        .arg = "N",
        .help = "process N files at once (default: the number of CPUs)",
        .man = "Process N files at once (default: the number of CPUs); output order does not\n"
               "depend on N.",
        .md = "Process N files at once (default: the number of CPUs). Output is in the same order "
              "whatever N is: files named on the command line in order, a FOLDER's files sorted by "
              "path, then the files they include or extend.",
    },
    {
        .name = "list-transforms",
        .id = 'l',
        .arg = NULL,
        .help = "list the transforms in run order, with their options",
        .man = "List the transforms in run order, with their options.",
        .md = "List the transforms in run order, with their options and defaults.",
    },
    {
        .name = "list-rules",
        .id = OPT_LIST_RULES,
        .arg = NULL,
        .help = "list the findings rules, with their severities",
        .man = "List the findings rules with their severities.",
        .md = "List the findings rules with the severity the profile gives them (`off` when it "
              "does not run them).",
    },
    {
        .name = "help",
        .id = 'h',
        .arg = NULL,
        .help = "show this help",
        .man = "Show the help.",
        .md = "Show the help, with the exit codes.",
    },
    {
        .name = "version",
        .id = 'V',
        .arg = NULL,
        .help = "show the version",
        .man = "Show the version.",
        .md = "Show the version.",
    },
    {
        .name = "file",
        .id = 'F',
        .arg = "FILE",
        .help = "a file of one Compose project, in merge order (repeatable;\n"
                "Compose's -f: -f is --format here); see docs/project.md",
        .man = "A file of one Compose project, in merge order (repeatable; Compose's \\-f, a\n"
               "letter taken by \\-\\-format here). The files are read together: a key any\n"
               "file sets counts as present, and \\-w edits the file that should change.",
        .md = "A file of one Compose project, as Compose's `-f` (the letter is `--format`'s here, "
              "so `-F`): repeat it to give the files in merge order (`-F compose.yaml -F "
              "compose.prod.yaml`). The files and what they `include:` are read together: a key "
              "any file sets for a service counts as present, findings are reported in the file "
              "where the node lives, and `-w` edits only the file that should change "
              "([project.md](project.md)). A missing file is an error (exit 4) and nothing is "
              "written. Cannot be combined with FILE arguments.",
    },
    {
        .name = "project",
        .id = OPT_PROJECT,
        .arg = NULL,
        .help = "read the project Compose would read in FOLDER (default: .):\n"
                "COMPOSE_FILE (or FOLDER/.env's), else compose.yaml and\n"
                "compose.override.yaml; see docs/project.md",
        .man = "Read the project Compose would read in the FOLDER argument (default: the\n"
               "current folder): the files COMPOSE_FILE names (from the environment, else\n"
               "FOLDER/.env; split on COMPOSE_PATH_SEPARATOR), else compose.yaml (or\n"
               "compose.yml, docker\\-compose.yml, docker\\-compose.yaml) in FOLDER or above,\n"
               "with its compose.override.yml. Then as \\-\\-file.",
        .md = "Read the project `docker compose` would read in the FOLDER argument (at most one; "
              "default: the current folder): the files `COMPOSE_FILE` names (from the "
              "environment, else from FOLDER's `.env`; split on `COMPOSE_PATH_SEPARATOR`, default "
              "`:`), else the first of `compose.yaml`, `compose.yml`, `docker-compose.yml`, "
              "`docker-compose.yaml` in FOLDER or the nearest folder above, followed by its "
              "`compose.override.yml` (or `.yaml`, `docker-compose.override.*`). Then as `--file` "
              "([project.md](project.md)). No compose file found: exit 4.",
    },
    {
        .name = "overlay",
        .id = OPT_OVERLAY,
        .arg = "FILE",
        .help = "write the hardening as the Compose overlay FILE (e.g.\n"
                "compose.prod.yaml) instead of editing the base; with -w,\n"
                "--diff, --check, or to stdout",
        .man = "Write the hardening as a separate Compose file, FILE, merged over the base by\n"
               "docker compose \\-f BASE \\-f FILE; the base is left as it is (with \\-w, only\n"
               "its plaintext secret values leave it).",
        .md = "Put the hardening the profile would apply into the Compose overlay FILE "
              "(`docker compose -f compose.yaml -f FILE up`) instead of editing the one FILE "
              "given: the base stays as it is, byte for byte. Without a mode the overlay goes to "
              "stdout; `-w` writes FILE atomically (an existing one is extended: its keys, "
              "values and comments stay, a key set there wins), `--diff` shows the change to "
              "FILE, `--check` exits 1 when FILE lacks some of the hardening. With `-w`, "
              "plaintext secrets move to files as usual; the overlay holds the `*_FILE` "
              "variables and `secrets:`, and their values are the one thing removed from the "
              "base. See [overlays.md](overlays.md).",
    },
};
_Static_assert(sizeof(hc_opts) / sizeof(hc_opts[0]) == HC_NOPTS,
               "HC_NOPTS in optable.h counts the rows of hc_opts");
