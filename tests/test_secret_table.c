/*
 * test_secret_table.c CASES: runs the table of positive and negative
 * secret cases (tests/secret-cases.txt) through rules/secret_detect.c and
 * rules/secret_cmd.c with the secrets transform's default options; fails
 * on any mismatch, and says how many cases of each kind it ran.
 */
#include "rules/secret_cmd.h"
#include "rules/secret_detect.h"
#include "transforms/transform.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern const struct hc_transform hc_t_secrets;

/* The comma-separated default of option `name` of the secrets transform. */
static void default_list(const char *name, struct hc_strlist *out)
{
	for (size_t i = 0; i < hc_t_secrets.nopts; i++) {
		if (strcmp(hc_t_secrets.options[i].name, name))
			continue;
		const char *p = hc_t_secrets.options[i].dflt;
		while (*p) {
			size_t n = strcspn(p, ",");
			if (n)
				hc_strlist_push(out, p, n);
			p += n + (p[n] == ',');
		}
	}
}

/* s with \n turned into line breaks (in place). */
static void unescape(char *s)
{
	char *o = s;
	for (char *p = s; *p; p++) {
		if (p[0] == '\\' && p[1] == 'n') {
			*o++ = '\n';
			p++;
		} else {
			*o++ = *p;
		}
	}
	*o = '\0';
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: test_secret_table CASES\n");
		return 2;
	}
	FILE *f = fopen(argv[1], "r");
	if (!f) {
		perror(argv[1]);
		return 2;
	}
	struct hc_secret_words w = {.urls = true};
	default_list("patterns", &w.patterns);
	default_list("ignore", &w.ignore);
	char line[1024];
	int counts[2][2] = {{0, 0}, {0, 0}}, bad = 0, ln = 0;
	while (fgets(line, sizeof(line), f)) {
		ln++;
		line[strcspn(line, "\r\n")] = '\0';
		if (!line[0] || line[0] == '#')
			continue;
		char kind[8], sign;
		int off = 0;
		if (sscanf(line, "%7s %c %n", kind, &sign, &off) != 2 ||
		    (sign != '+' && sign != '-')) {
			fprintf(stderr, "%s:%d: bad line\n", argv[1], ln);
			bad++;
			continue;
		}
		char *text = line + off, what[128] = "";
		unescape(text);
		bool want = sign == '+', got;
		bool cmd = !strcmp(kind, "cmd");
		if (cmd) {
			got = hc_cmdline_text_secret(&w, text, what, sizeof(what));
		} else {
			char *eq = strchr(text, '=');
			if (!eq) {
				fprintf(stderr, "%s:%d: no '='\n", argv[1], ln);
				bad++;
				continue;
			}
			*eq = '\0';
			got = hc_is_plaintext_secret(&w, text, eq + 1, strlen(eq + 1));
			*eq = '=';
		}
		counts[cmd][want]++;
		if (got != want) {
			fprintf(stderr, "%s:%d: %s case %s: got %s\n", argv[1], ln,
			        want ? "positive" : "negative", text,
			        got ? "a secret" : "no secret");
			bad++;
		}
	}
	fclose(f);
	hc_strlist_release(&w.patterns);
	hc_strlist_release(&w.ignore);
	printf("secret table: %d positive, %d negative (environment %d/%d, command lines %d/%d), "
	       "%d mismatches\n",
	       counts[0][1] + counts[1][1], counts[0][0] + counts[1][0], counts[0][1], counts[0][0],
	       counts[1][1], counts[1][0], bad);
	return bad ? 1 : 0;
}
