/*
 * pool.h: running the jobs of a run on several threads, in chains: a
 * worker takes the next chain and runs its jobs in order.
 */
#ifndef HC_POOL_H
#define HC_POOL_H

#include "cli/walk.h"

#include <stdbool.h>
#include <stddef.h>

/*
 * Runs run(jobs, i) for each of the files->n jobs on up to nthreads
 * threads. Without by_folder every job is a chain of its own. With
 * by_folder (--write) the files of one folder share its .env, secrets/ and
 * .gitignore, so they form one chain, in file order: the result is the one
 * one thread gives, byte for byte. With one (secret files sent outside the
 * folders) every job is in one chain.
 */
void hc_pool_run(const struct hc_files *files, bool by_folder, bool one, int nthreads,
                 void (*run)(void *jobs, size_t i), void *jobs);

#endif
