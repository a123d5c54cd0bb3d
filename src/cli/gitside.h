/*
 * gitside.h: asking git about the files `-w` writes beside a compose file
 * (is .env tracked, is it ignored). Used only when git and a repository
 * are there; otherwise callers keep to what they can see themselves.
 */
#ifndef HC_GITSIDE_H
#define HC_GITSIDE_H

/* What git says about the path name (relative to dir) in dir's repository. */
enum hc_git_state {
	HC_GIT_NONE,      /* no git, not a repository, or git failed: unknown */
	HC_GIT_TRACKED,   /* in the index: a commit would publish what is appended */
	HC_GIT_IGNORED,   /* ignored by a .gitignore, info/exclude or core.excludesFile */
	HC_GIT_UNIGNORED, /* in a work tree, not tracked, not ignored */
};

/* Asks `git ls-files --error-unmatch` and `git check-ignore` in dir. */
enum hc_git_state hc_git_state(const char *dir, const char *name);

#endif
