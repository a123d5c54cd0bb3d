/*
 * overlay.c: --overlay FILE after the engine ran on the base (overlay.h):
 * the overlay made (ovdiff.c), merged into the existing one (ovtext.c),
 * then written (-w, atomically, with the secret files and the base's
 * plaintext values removed, ovbase.c), diffed (--diff), checked (--check)
 * or printed.
 */
#include "cli/overlay.h"
#include "cli/fail.h"
#include "base/io.h"
#include "cli/side.h"
#include "engine/diff.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* What one overlay run holds. */
struct ovrun {
	struct hc_doc hard, base;
	struct hc_buf base2;      /* the base with its moved secrets removed */
	struct hc_pieces bpieces; /* base2 -> base */
	size_t removed;           /* secret values removed from the base */
	size_t services;          /* services the overlay changes */
	struct hc_buf old, text;  /* the overlay as it is, as it will be */
	bool exists;              /* the overlay file is there */
	struct hc_stamp stamp;    /* the overlay when read */
	struct hc_pieces opieces; /* text -> old */
	struct hc_diag err;
};

static const char *base_name(const char *p)
{
	const char *s = strrchr(p, '/');
	return s ? s + 1 : p;
}

/* Reads the overlay if it exists. false (err set) when it cannot be read. */
static bool read_old(struct ovrun *v, const char *path)
{
	if (access(path, F_OK) < 0 && errno == ENOENT)
		return true;
	v->exists = true;
	return hc_read_file_ex(path, &v->old, &v->err, false, &v->stamp) == 0;
}

/* Parses the base and the hardened text, removes the moved secrets from
 * the base (-w and --diff), and makes the overlay's text. */
static bool build(struct ovrun *v, struct hc_outcome *o, const struct hc_cli *cli,
                  const struct hc_buf *in, const struct hc_result *res)
{
	struct hc_error pe;
	const char *it = in->data ? in->data : "";
	if (hc_doc_parse(&v->base, it, in->len, &pe) != 0 ||
	    hc_doc_parse(&v->hard, res->out.data ? res->out.data : "", res->out.len, &pe) != 0) {
		hc_diag_set(&v->err, HC_EXIT_VERIFY, o->name, pe.line, pe.col, "%s", pe.msg);
		return false;
	}
	hc_pieces_init(&v->bpieces, in->len);
	v->removed = hc_ov_base_secrets(&v->base, &v->hard, &res->side, &v->base2, &v->bpieces);
	struct hc_doc b2;
	if (hc_doc_parse(&b2, v->base2.data ? v->base2.data : "", v->base2.len, &pe) != 0) {
		hc_diag_set(&v->err, HC_EXIT_VERIFY, o->name, pe.line, pe.col,
		            "removing the plaintext secrets would break the base: %s", pe.msg);
		return false;
	}
	struct hc_ov *want = hc_ov_diff(b2.root, v->hard.root);
	if (!want) {
		hc_doc_release(&b2);
		hc_diag_set(&v->err, HC_EXIT_INVALID, o->name, 0, 0,
		            "its aliases expand to over %d values: too many for an overlay",
		            HC_OV_MAX_VALUES);
		return false;
	}
	for (size_t i = 0; i < want->n; i++)
		if (!strcmp(want->keys[i], "services"))
			v->services = want->kids[i]->n;
	hc_doc_release(&b2);
	if (!read_old(v, cli->overlay)) {
		hc_ov_free(want);
		return false;
	}
	struct hc_buf hdr = HC_BUF_INIT;
	hc_ov_header(&hdr, v->base.style.eol, cli->profile, base_name(o->name),
	             base_name(cli->overlay));
	hc_pieces_init(&v->opieces, v->old.len);
	int rc =
	    hc_ov_merge(v->exists ? (v->old.data ? v->old.data : "") : NULL, v->old.len, want,
	                &v->base.style, hdr.data, &v->text, &v->opieces, &v->err, cli->overlay);
	hc_buf_release(&hdr);
	hc_ov_free(want);
	return rc == 0;
}

static bool base_changes(const struct ovrun *v, const struct hc_buf *in)
{
	return v->base2.len != in->len || (in->len && memcmp(v->base2.data, in->data, in->len));
}

static bool overlay_changes(const struct ovrun *v)
{
	return !v->exists || v->text.len != v->old.len ||
	       (v->old.len && memcmp(v->text.data, v->old.data, v->old.len));
}

/* Creates path (absent) with data, atomically: a temporary file beside it
 * linked to its name (never over a file that appeared meanwhile). */
static int create_atomic(const char *path, const char *data, size_t len, mode_t mode,
                         struct hc_diag *err)
{
	const char *step;
	int rc = hc_create_new(path, data, len, mode, -1, NULL, &step);
	if (rc < 0)
		hc_diag_set(err, HC_EXIT_IO, path, 0, 0, "cannot %s: %s", step, strerror(errno));
	return rc;
}

/* -w: the side files, the base (its moved secrets), then the overlay. */
static int write_all(struct ovrun *v, struct hc_outcome *o, const struct hc_cli *cli,
                     const struct hc_buf *in, const struct hc_stamp *stamp,
                     const struct hc_result *res)
{
	const char *ov = cli->overlay;
	bool bch = base_changes(v, in), och = overlay_changes(v);
	struct hc_buf notes = HC_BUF_INIT;
	struct stat st;
	mode_t mode = stat(o->path, &st) == 0 ? (st.st_mode & 0666) : 0644;
	if (bch && hc_write_check(o->path, stamp, &v->err) < 0)
		;
	else if (v->exists && och && hc_write_check(ov, &v->stamp, &v->err) < 0)
		;
	else if (hc_side_write(o->path, &res->side, &v->err, &notes) < 0)
		;
	else if (bch && hc_write_atomic_ex(o->path, v->base2.data, v->base2.len, stamp, in->data,
	                                   in->len, &v->err) < 0)
		;
	else if (och && v->exists)
		hc_write_atomic_ex(ov, v->text.data, v->text.len, &v->stamp, v->old.data,
		                   v->old.len, &v->err);
	else if (och)
		create_atomic(ov, v->text.data, v->text.len, mode, &v->err);
	if (notes.len && !cli->quiet)
		hc_buf_add(&o->err, notes.data, notes.len);
	hc_buf_release(&notes);
	if (v->err.code)
		return v->err.code;
	o->written = och;
	o->services = och ? v->services : 0;
	o->secret_files = res->side.nfiles;
	o->dotenv = res->side.nenv;
	if (!cli->quiet) {
		hc_buf_addf(&o->err, "%s: overlay %s %s", o->name, ov,
		            och ? (v->exists ? "updated" : "written") : "already up to date");
		if (v->removed)
			hc_buf_addf(&o->err,
			            "; base changed: its %zu plaintext secret value(s) removed "
			            "(the one change hardcompose makes to it)\n",
			            v->removed);
		else
			hc_buf_addf(&o->err, "; %s left as it was\n", o->name);
	}
	return HC_EXIT_OK;
}

/* --diff: the overlay's diff, then the base's when its secrets leave it
 * (their values masked on the old side; they are gone from the new). */
static void diff_out(struct ovrun *v, struct hc_outcome *o, const struct hc_cli *cli,
                     const struct hc_buf *in, const struct hc_result *res)
{
	if (res->side.nfiles || res->side.nenv)
		hc_buf_addf(&o->out,
		            "# hardcompose -w also writes %zu secret file(s) and %zu .env line(s) "
		            "(values not shown)\n",
		            res->side.nfiles, res->side.nenv);
	if (overlay_changes(v))
		hc_diff(&o->out, cli->overlay, v->old.data ? v->old.data : "", v->old.len,
		        v->text.data ? v->text.data : "", v->text.len, &v->opieces);
	if (!base_changes(v, in))
		return;
	struct hc_buf a = HC_BUF_INIT;
	hc_buf_add(&a, in->data, in->len);
	for (size_t i = 0; i < res->side.nmask; i++)
		for (size_t k = res->side.mask[i].start; k < res->side.mask[i].end && k < a.len;
		     k++)
			if (a.data[k] != '\n' && a.data[k] != '\r')
				a.data[k] = '*';
	hc_diff(&o->out, o->name, a.data, a.len, v->base2.data ? v->base2.data : "", v->base2.len,
	        &v->bpieces);
	hc_buf_release(&a);
}

static void ovrun_release(struct ovrun *v)
{
	hc_doc_release(&v->hard);
	hc_doc_release(&v->base);
	hc_buf_release(&v->base2);
	hc_buf_release(&v->old);
	hc_buf_release(&v->text);
	hc_pieces_release(&v->bpieces);
	hc_pieces_release(&v->opieces);
	hc_diag_release(&v->err);
}

int hc_overlay_finish(struct hc_outcome *o, const struct hc_cli *cli, const struct hc_buf *in,
                      const struct hc_stamp *stamp, struct hc_result *res)
{
	struct ovrun v = {.base2 = HC_BUF_INIT, .old = HC_BUF_INIT, .text = HC_BUF_INIT};
	int code = HC_EXIT_OK;
	if (!build(&v, o, cli, in, res))
		code = v.err.code;
	else if (cli->write)
		code = write_all(&v, o, cli, in, stamp, res);
	else if (cli->check || cli->diff) {
		bool ch = overlay_changes(&v) || base_changes(&v, in);
		if (cli->diff)
			diff_out(&v, o, cli, in, res);
		if (cli->check && ch && !cli->quiet)
			hc_buf_addf(&o->out,
			            "%s: warning: [overlay] the overlay %s lacks hardening "
			            "(fixable with -w --overlay)\n",
			            o->name, cli->overlay);
		code = cli->check && ch ? HC_EXIT_CHANGES : HC_EXIT_OK;
		o->changed = ch;
	} else {
		hc_buf_add(&o->out, v.text.data ? v.text.data : "", v.text.len);
	}
	if (v.err.code) {
		hc_outcome_fail(o, &v.err);
		code = v.err.code;
	}
	ovrun_release(&v);
	return code;
}
