// schema-rule.js SPEC BIN LIST: compares the `schema` rule with ajv on every
// file named in LIST (one "LABEL<TAB>PATH" a line). For each file:
//   verdict: ajv (draft-07, ajv-formats, YAML read by js-yaml) says valid or
//     invalid; the rule is invalid when `BIN -p none -e schema --check` on
//     stdin reports a [schema] finding or exits with an error (a top level or
//     `services` that is not a mapping).
//   paths: every path the rule reports must be one ajv reports (allErrors,
//     any oneOf branch), and every ajv error outside a oneOf/anyOf branch
//     must be reported at its path (for a oneOf error: at or below it).
// Not compared: files js-yaml cannot read, files hardcompose rejects before
// any rule runs (bad UTF-8, a top level that is not a mapping: exit 3), and
// files without services, where no rule runs (counted; those ajv calls
// invalid are listed). Files js-yaml cannot read (unknown tags such as !reset) are skipped. An
// ajv-invalid file whose every error is an interpolated string ("${PORT}"
// where a number is wanted) counts as "interpolated", not as a disagreement:
// Compose validates after interpolation, and so does the rule.
// Prints one line per disagreement and a summary; exits 1 on any.
'use strict';
const fs = require('fs');
const { spawnSync } = require('child_process');
const Ajv = require('ajv');
const addFormats = require('ajv-formats');
const yaml = require('js-yaml');

const [spec, bin, list] = process.argv.slice(2);
const schema = JSON.parse(fs.readFileSync(spec, 'utf8'));
delete schema.$schema;
const one = new Ajv({ strict: false, allErrors: false });
const all = new Ajv({ strict: false, allErrors: true });
addFormats(one);
addFormats(all);
const validate = one.compile(schema);
const validateAll = all.compile(schema);

// "/services/web/ports/1" -> "services.web.ports[1]", walking doc for arrays
function pathOf(doc, pointer) {
  let out = '', cur = doc;
  for (const raw of pointer.split('/').slice(1)) {
    const seg = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(cur)) out += `[${seg}]`;
    else out += (out ? '.' : '') + seg;
    cur = cur == null ? undefined : cur[seg];
  }
  return out;
}

function valueAt(doc, pointer) {
  let cur = doc;
  for (const raw of pointer.split('/').slice(1)) {
    cur = cur == null ? undefined : cur[raw.replace(/~1/g, '/').replace(/~0/g, '~')];
  }
  return cur;
}

const interp = (v) => typeof v === 'string' && /\$(\{|[A-Za-z_])/.test(v.replace(/\$\$/g, ''));
// an error inside a oneOf/anyOf branch: its schema path says so, or (through
// a $ref) a oneOf/anyOf failed at or above its instance path
const isAlt = (e) => e.keyword === 'oneOf' || e.keyword === 'anyOf';
const under = (p, q) => p === q || q === '' || p.startsWith(q + '/');
let errsNow = [];
const inBranch = (e) => !isAlt(e) && (/\/(oneOf|anyOf)\/\d+\//.test(e.schemaPath) ||
  errsNow.some((o) => isAlt(o) && under(e.instancePath, o.instancePath)));

// the rule's findings: their paths (the message up to " must", ": ", ...)
function ours(file) {
  // ignore comments are not the schema's business: neutralised here
  const text = fs.readFileSync(file, 'utf8').replace(/hardcompose:\s*ignore/g, 'hardcompose-test: no');
  const r = spawnSync(bin, ['-p', 'none', '-e', 'schema', '--check', '--fail-on', 'none', '--stdin-filepath', 'compose.yaml'], {
    input: text,
    encoding: 'utf8',
  });
  const paths = [], unknown = new Set();
  for (const line of r.stdout.split('\n').concat(r.stderr.split('\n'))) {
    const m = line.match(/^compose\.yaml:\d+:\d+: error: \[schema\] (.*)$/);
    if (!m) continue;
    const msg = m[1];
    const k = msg.match(/: unknown key '([^']*)'/);
    if (k) unknown.add(k[1]);
    const cut = msg.search(/( must be |: | matches more than )/);
    paths.push(cut < 0 ? msg : msg.slice(0, cut) === 'the top level' ? '' : msg.slice(0, cut));
  }
  const errored = r.status !== 0 && / error: /.test(r.stderr) && !/\[schema\]/.test(r.stderr);
  return { invalid: paths.length > 0 || errored, errored, paths, unknown };
}

// The rules run on a file with services (docs/rules.md#schema): a mapping
// at the top with a non-empty `services` mapping.
const hasServices = (d) => d && typeof d === 'object' && !Array.isArray(d) &&
  d.services && typeof d.services === 'object' && !Array.isArray(d.services);

let files = 0, skipped = 0, interpolated = 0, bad = 0, invalid = 0, unchecked = 0, rejected = 0;
for (const line of fs.readFileSync(list, 'utf8').split('\n')) {
  if (!line) continue;
  const [label, file] = line.split('\t');
  let doc;
  try {
    doc = yaml.load(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    skipped++;
    continue;
  }
  files++;
  const a = validate(doc);
  validateAll(doc);
  const errs = validateAll.errors || [];
  errsNow = errs;
  const o = ours(file);
  if (o.errored) { rejected++; continue; } // the parser or the shape check said no first
  if (!hasServices(doc)) { unchecked++; if (!a && doc != null) console.log(`not checked (no services): ${label}`); continue; }
  const say = (what) => { bad++; console.log(`DISAGREE ${label}: ${what}`); };
  if (!a) invalid++;
  if (a && o.invalid) { say(`ajv valid, rule reports ${o.paths.join(', ') || '(an error)'}`); continue; }
  if (!a && !o.invalid) {
    const strict = errs.filter((e) => !inBranch(e) && e.keyword !== 'oneOf' && e.keyword !== 'anyOf');
    const leaves = errs.filter((e) => e.keyword !== 'oneOf' && e.keyword !== 'anyOf');
    if (leaves.length && leaves.every((e) => interp(valueAt(doc, e.instancePath)) || inBranch(e)) &&
        strict.every((e) => interp(valueAt(doc, e.instancePath)))) {
      interpolated++;
      continue;
    }
    say(`ajv invalid (${errs.slice(0, 3).map((e) => `${pathOf(doc, e.instancePath) || '/'} ${e.message}`).join('; ')}), rule quiet`);
    continue;
  }
  if (a) continue;
  const ajvPaths = new Set(errs.map((e) => pathOf(doc, e.instancePath)));
  for (const p of o.paths) if (!ajvPaths.has(p)) say(`rule reports ${p || 'the top level'}, ajv does not`);
  for (const e of errs) {
    if (inBranch(e)) continue;
    const p = pathOf(doc, e.instancePath);
    const hit = (e.keyword === 'oneOf' || e.keyword === 'anyOf')
      ? o.paths.some((q) => q === p || q.startsWith(p ? p + '.' : '') || q.startsWith(p + '['))
      : o.paths.includes(p) ||
        // an unknown key in an anchor merged into several services: once
        (e.keyword === 'additionalProperties' && o.unknown.has(e.params.additionalProperty));
    if (!hit && !interp(valueAt(doc, e.instancePath))) say(`ajv reports ${p || '/'} (${e.message}), the rule does not`);
  }
}
console.log(`schema-rule: ${files} files (${invalid} invalid for ajv); not compared: ${skipped} unreadable ` +
  `for js-yaml, ${rejected} rejected by hardcompose's parser or shape check, ${unchecked} without services; ` +
  `${interpolated} accepted as interpolated; ${bad} disagreements`);
process.exit(bad ? 1 : 0);
