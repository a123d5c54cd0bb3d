/*
 * gitside.c: git's view of a side file (gitside.h). git runs in the
 * compose file's folder with its output discarded; only exit codes count.
 */
#define _XOPEN_SOURCE 700
#include "cli/gitside.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

/* Runs `git ARGS` in dir: its exit status, or -1 when it could not run
 * (127: git is not installed). */
static int run_git(const char *dir, char *const argv[])
{
	pid_t pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		int nul = open("/dev/null", O_RDWR);
		if (nul < 0 || chdir(dir) < 0)
			_exit(127);
		dup2(nul, 0);
		dup2(nul, 1);
		dup2(nul, 2);
		execvp("git", argv);
		_exit(127);
	}
	int st;
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

enum hc_git_state hc_git_state(const char *dir, const char *name)
{
	/* a repository's own config must not run programs: no fsmonitor hook */
#define GIT "git", "-c", "core.fsmonitor=false"
	char *top[] = {GIT, "rev-parse", "--show-toplevel", NULL};
	if (run_git(dir, top) != 0)
		return HC_GIT_NONE;
	char *ls[] = {GIT, "ls-files", "--error-unmatch", "--", (char *)name, NULL};
	if (run_git(dir, ls) == 0)
		return HC_GIT_TRACKED;
	char *ci[] = {GIT, "check-ignore", "-q", "--", (char *)name, NULL};
#undef GIT
	int rc = run_git(dir, ci);
	return rc == 0 ? HC_GIT_IGNORED : rc == 1 ? HC_GIT_UNIGNORED : HC_GIT_NONE;
}
