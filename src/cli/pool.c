/*
 * pool.c: the thread pool and its chains of jobs (pool.h).
 */
#define _GNU_SOURCE /* realpath */
#include "cli/pool.h"
#include "base/io.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

struct pool {
	void (*run)(void *jobs, size_t i);
	void *jobs;
	size_t n;
	size_t *order;  /* job indexes, chain after chain */
	size_t *starts; /* chain k is order[starts[k] .. starts[k + 1]) */
	size_t nchains, next;
	pthread_mutex_t lock;
};

static void *worker(void *arg)
{
	struct pool *p = arg;
	for (;;) {
		pthread_mutex_lock(&p->lock);
		size_t k = p->next++;
		pthread_mutex_unlock(&p->lock);
		if (k >= p->nchains)
			return NULL;
		for (size_t i = p->starts[k]; i < p->starts[k + 1]; i++)
			p->run(p->jobs, p->order[i]);
	}
}

struct keyed {
	char *key; /* the folder, resolved */
	size_t job;
};

static int cmp_keyed(const void *a, const void *b)
{
	const struct keyed *x = a, *y = b;
	int c = strcmp(x->key, y->key);
	return c ? c : (x->job > y->job) - (x->job < y->job);
}

static int cmp_pair(const void *a, const void *b)
{
	const size_t *x = a, *y = b;
	return (x[0] > y[0]) - (x[0] < y[0]);
}

/* Fills p->order and p->starts (see struct pool). */
static void make_chains(struct pool *p, const struct hc_files *files, bool by_folder, bool one)
{
	size_t n = p->n;
	p->order = hc_xcalloc(n + 1, sizeof(*p->order));
	p->starts = hc_xcalloc(n + 2, sizeof(*p->starts));
	if (!by_folder || one) {
		for (size_t i = 0; i < n; i++) {
			p->order[i] = i;
			p->starts[i] = by_folder ? 0 : i;
		}
		p->nchains = by_folder ? (n > 0) : n;
		p->starts[p->nchains] = n;
		return;
	}
	struct keyed *k = hc_xcalloc(n + 1, sizeof(*k));
	for (size_t i = 0; i < n; i++) {
		char *dir = hc_dirname(files->v[i].path);
		char *real = realpath(dir, NULL);
		k[i].key = real ? real : hc_xstrdup(dir);
		k[i].job = i;
		free(dir);
	}
	if (n)
		qsort(k, n, sizeof(*k), cmp_keyed);
	/* chains in the order of their first job, so the first files start first */
	size_t *first = hc_xcalloc(n + 1, sizeof(*first)); /* chain start in k */
	size_t nc = 0;
	for (size_t i = 0; i < n; i++)
		if (i == 0 || strcmp(k[i].key, k[i - 1].key))
			first[nc++] = i;
	/* chains sorted by their first (smallest) job index */
	size_t(*pairs)[2] = hc_xcalloc(nc + 1, sizeof(*pairs));
	for (size_t c = 0; c < nc; c++) {
		pairs[c][0] = k[first[c]].job;
		pairs[c][1] = c;
	}
	if (nc)
		qsort(pairs, nc, sizeof(*pairs), cmp_pair);
	size_t at = 0;
	for (size_t c = 0; c < nc; c++) {
		size_t ch = pairs[c][1];
		size_t end = ch + 1 < nc ? first[ch + 1] : n;
		p->starts[c] = at;
		for (size_t i = first[ch]; i < end; i++)
			p->order[at++] = k[i].job;
	}
	p->nchains = nc;
	p->starts[nc] = n;
	for (size_t i = 0; i < n; i++)
		free(k[i].key);
	free(k);
	free(first);
	free(pairs);
}

void hc_pool_run(const struct hc_files *files, bool by_folder, bool one, int nthreads,
                 void (*run)(void *jobs, size_t i), void *jobs)
{
	struct pool pool = {.run = run, .jobs = jobs, .n = files->n};
	make_chains(&pool, files, by_folder, one);
	pthread_mutex_init(&pool.lock, NULL);
	size_t nt = (size_t)nthreads < pool.nchains ? (size_t)nthreads : pool.nchains;
	if (nt <= 1) {
		worker(&pool);
	} else {
		pthread_t *t = hc_xcalloc(nt, sizeof(*t));
		size_t started = 0;
		for (; started < nt; started++)
			if (pthread_create(&t[started], NULL, worker, &pool) != 0)
				break;
		if (!started)
			worker(&pool);
		for (size_t i = 0; i < started; i++)
			pthread_join(t[i], NULL);
		free(t);
	}
	pthread_mutex_destroy(&pool.lock);
	free(pool.order);
	free(pool.starts);
}
