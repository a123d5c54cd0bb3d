// meaning.js LIST: an oracle independent of hardcompose's own verifier.
// Each line of LIST is "INPUT OUTPUT LABEL". Both files are read with the npm
// `yaml` package (merges resolved, aliases followed), top-level x- keys are
// dropped, and the output must mean what the input meant except where a
// transform may change it:
//   - top level: `version` may go, `secrets` may gain entries, nothing else
//     changes;
//   - services: the same names; keys outside HARDENING are deep-equal; keys
//     in it only grow (lists keep every item, mappings every leaf, scalars
//     stay), except `ports` (host addresses may be added), `environment`
//     (plaintext secrets become *_FILE or ${...}), and the legacy limits
//     (moved into deploy.resources).
// Prints one line per failure and a summary; exits 1 on any failure.
"use strict";
const fs = require("fs");
const YAML = require("yaml");

const HARDENING = new Set(["init", "security_opt", "cap_drop", "cap_add", "logging", "deploy",
  "restart", "healthcheck", "stop_grace_period", "ports", "read_only", "tmpfs", "environment",
  "secrets"]);
const LEGACY = new Set(["mem_limit", "cpus", "pids_limit", "mem_reservation"]);

function load(path) {
  const text = fs.readFileSync(path, "utf8");
  const doc = YAML.parseDocument(text, { merge: true, uniqueKeys: false, maxAliasCount: -1 });
  if (doc.errors.length) throw new Error(doc.errors[0].message.split("\n")[0]);
  return doc.toJS({ maxAliasCount: -1 }) ?? {};
}

const J = (v) => JSON.stringify(v);

// every leaf of a is in b with the same value
function grows(a, b, path, errs) {
  if (a === null) return; // unset: anything may fill it
  if (Array.isArray(a)) {
    if (!Array.isArray(b)) return errs.push(`${path}: was a list`);
    const have = new Set(b.map(J));
    for (const it of a) if (!have.has(J(it))) errs.push(`${path}: lost item ${J(it)}`);
  } else if (a && typeof a === "object") {
    if (!b || typeof b !== "object" || Array.isArray(b)) return errs.push(`${path}: was a mapping`);
    for (const k of Object.keys(a)) {
      if (!(k in b)) errs.push(`${path}/${k}: lost`);
      else grows(a[k], b[k], `${path}/${k}`, errs);
    }
  } else if (J(a) !== J(b)) {
    errs.push(`${path}: ${J(a)} became ${J(b)}`);
  }
}

function envMap(e) {
  if (!e) return {};
  if (Array.isArray(e)) {
    const m = {};
    for (const it of e) {
      const s = String(it), i = s.indexOf("=");
      if (i < 0) m[s] = null; else m[s.slice(0, i)] = s.slice(i + 1);
    }
    return m;
  }
  return e;
}

function envOk(a, b, path, errs) {
  const ea = envMap(a), eb = envMap(b);
  for (const [k, v] of Object.entries(ea)) {
    if (k in eb && J(eb[k]) === J(v)) continue;
    const moved = [k + "_FILE", k + "__FILE"].some((f) => f in eb && /^(\/run\/secrets\/)?[a-z0-9_]+$/.test(String(eb[f])));
    const interp = k in eb && typeof eb[k] === "string" && /\$\{[A-Z0-9_]+:\?[^}]*\}/.test(eb[k]);
    const gone = !(k in eb); // a file named after the variable (plausible)
    if (!(moved || interp || gone)) errs.push(`${path}/${k}: changed`);
  }
  for (const k of Object.keys(eb))
    if (!(k in ea) && !/_FILE$/.test(k)) errs.push(`${path}/${k}: added`);
}

function portsOk(a, b, path, errs) {
  if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length)
    return errs.push(`${path}: the list changed length`);
  a.forEach((p, i) => {
    const q = b[i];
    if (J(p) === J(q)) return;
    // a host address may be added in front: "127.0.0.1:5432:5432", "127.0.0.1::8222"
    const strip = (x) => (typeof x === "object" && x ? J({ ...x, host_ip: undefined })
      : String(x).replace(/^(\d+\.\d+\.\d+\.\d+|\[[0-9a-fA-F:]+\]):/, "").replace(/^:/, ""));
    if (strip(p) !== strip(q)) errs.push(`${path}[${i}]: ${J(p)} became ${J(q)}`);
  });
}

function compare(a, b) {
  const errs = [];
  const top = (o) => Object.fromEntries(Object.entries(o || {}).filter(([k]) => !k.startsWith("x-")));
  const ta = top(a), tb = top(b);
  for (const k of Object.keys(ta)) {
    if (k === "version" || k === "services") continue;
    if (k === "secrets") grows(ta[k], tb[k], "/secrets", errs);
    else if (J(ta[k]) !== J(tb[k])) errs.push(`/${k}: changed`);
  }
  for (const k of Object.keys(tb))
    if (!(k in ta) && k !== "secrets") errs.push(`/${k}: added`);
  const sa = ta.services || {}, sb = tb.services || {};
  if (J(Object.keys(sa)) !== J(Object.keys(sb))) errs.push(`/services: names changed`);
  for (const [name, svc] of Object.entries(sa)) {
    const out = sb[name], p = `/services/${name}`;
    if (svc === null || out === null || typeof svc !== "object") {
      if (svc !== null && J(svc) !== J(out)) errs.push(`${p}: changed`);
      continue;
    }
    for (const [k, v] of Object.entries(svc)) {
      if (LEGACY.has(k) && !(k in out)) continue;
      if (!(k in out)) { errs.push(`${p}/${k}: lost`); continue; }
      if (!HARDENING.has(k) && !LEGACY.has(k)) {
        if (J(v) !== J(out[k])) errs.push(`${p}/${k}: changed`);
      } else if (k === "environment") envOk(v, out[k], `${p}/${k}`, errs);
      else if (k === "ports") portsOk(v, out[k], `${p}/${k}`, errs);
      else grows(v, out[k], `${p}/${k}`, errs);
    }
    for (const k of Object.keys(out))
      if (!(k in svc) && !HARDENING.has(k)) errs.push(`${p}/${k}: added, not a hardening key`);
  }
  return errs;
}

const lines = fs.readFileSync(process.argv[2], "utf8").split("\n").filter(Boolean);
let ok = 0, bad = 0, skipped = 0;
for (const line of lines) {
  const [inp, out, label] = line.split(" ");
  let a;
  try { a = load(inp); } catch (e) { skipped++; continue; } // the input itself is not read by yaml
  let errs;
  try { errs = compare(a, load(out)); } catch (e) {
    if (e instanceof RangeError) { skipped++; continue; } // an alias bomb: too big to expand
    errs = [`output does not load: ${e.message}`];
  }
  if (errs.length) { bad++; console.log(`FAIL ${label}: ${errs.slice(0, 3).join("; ")}`); } else ok++;
}
console.log(`meaning: ${lines.length} pairs, ${ok} equal in meaning, ${bad} not, ${skipped} skipped (inputs the yaml package rejects, alias bombs it cannot expand)`);
process.exit(bad ? 1 : 0);
