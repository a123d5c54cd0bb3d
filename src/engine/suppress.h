/*
 * suppress.h: `# hardcompose: ignore[id,...]` comments.
 *
 * On a line of its own, the comment covers the key (or list item) on the
 * next line that is not blank or a comment, with everything below it; at
 * the end of a line, it covers the key (or item) that line starts. So a
 * comment above a service covers the whole service. `ignore-file[id,...]`
 * covers the whole file. `ignore` without ids covers every id. A covered
 * rule reports nothing there; a covered transform leaves that service alone.
 */
#ifndef HC_SUPPRESS_H
#define HC_SUPPRESS_H

#include "engine/run.h"
#include "yaml/tree.h"

struct hc_supp {
	size_t start, end; /* covered input bytes */
	bool all_ids;
	bool file; /* ignore-file */
	struct hc_strlist ids;
};

struct hc_supps {
	struct hc_supp *v;
	size_t n;
};

/* Reads the comments of doc; an id that known() (may be NULL: all are)
 * does not know, a rule or a transform, gets a warning in f. */
void hc_supps_parse(const struct hc_doc *doc, struct hc_supps *s, struct hc_findings *f,
                    bool (*known)(const char *id));
/* Does a comment cover id at input byte pos? */
bool hc_supps_hit(const struct hc_supps *s, const char *id, size_t pos);
/* Does an ignore-file comment cover id? */
bool hc_supps_file(const struct hc_supps *s, const char *id);
void hc_supps_release(struct hc_supps *s);

#endif
