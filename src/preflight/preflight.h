/*
 * preflight.h: `hardcompose preflight`: are the files and variables a
 * compose file needs there? See preflight.c and docs/secrets.md.
 */
#ifndef HC_PREFLIGHT_H
#define HC_PREFLIGHT_H

/* argv[0] is "preflight". Returns the exit code. */
int hc_preflight_main(int argc, char **argv);

#endif
