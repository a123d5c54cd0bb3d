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
// Beyond meaning, three safety properties of the hardened services:
//   - privileges: capabilities added to cap_add are ones the container had
//     before (Docker's default set, DAC_READ_SEARCH being part of
//     DAC_OVERRIDE, or the input's own cap_add), never one the input
//     dropped by name;
//   - memory: a memory limit is not below the memory reservation (Docker
//     refuses to create such a container);
//   - mounts: no path is mounted twice (volumes and tmpfs), unless the
//     input already did.
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

// Docker's default capabilities (moby oci/caps/defaults.go)
const DOCKER_DEFAULT_CAPS = new Set(["CHOWN", "DAC_OVERRIDE", "FSETID", "FOWNER", "MKNOD",
  "NET_RAW", "SETGID", "SETUID", "SETFCAP", "SETPCAP", "NET_BIND_SERVICE", "SYS_CHROOT", "KILL",
  "AUDIT_WRITE", "DAC_READ_SEARCH"]);
const capName = (c) => String(c).toUpperCase().replace(/^CAP_/, "");
const capList = (l) => (Array.isArray(l) ? l.map(capName) : []);

function privilegesOk(svc, out, p, errs) {
  const before = new Set(capList(svc.cap_add)), dropped = new Set(capList(svc.cap_drop));
  if (before.has("ALL")) return;
  for (const c of capList(out.cap_add)) {
    if (before.has(c)) continue;
    if (!DOCKER_DEFAULT_CAPS.has(c)) errs.push(`${p}/cap_add: ${c} was not granted before`);
    else if (dropped.has(c)) errs.push(`${p}/cap_add: ${c} was dropped by name`);
  }
}

// bytes of a Compose size ("512M", "1.5g", 1073741824), or null
function bytes(v) {
  if (typeof v === "number") return v;
  const m = /^\s*(\d+(?:\.\d+)?)\s*([kmgt])?i?b?\s*$/i.exec(String(v ?? ""));
  if (!m) return null;
  return Number(m[1]) * 1024 ** ({ k: 1, m: 2, g: 3, t: 4 }[(m[2] || "").toLowerCase()] || 0);
}

function memoryOk(out, p, errs) {
  const r = out.deploy?.resources;
  const lim = bytes(r?.limits?.memory ?? out.mem_limit);
  const res = bytes(r?.reservations?.memory ?? out.mem_reservation);
  if (lim !== null && res !== null && lim < res) errs.push(`${p}: memory limit below its reservation`);
}

function mountPaths(svc) {
  const norm = (t) => String(t).replace(/\/\.(?=\/|$)/g, "").replace(/\/+/g, "/").replace(/(.)\/$/, "$1");
  const paths = [];
  for (const v of Array.isArray(svc.volumes) ? svc.volumes : []) {
    if (v && typeof v === "object") { if (v.target) paths.push(norm(v.target)); continue; }
    const f = String(v).split(/:(?![^{]*})/);
    paths.push(norm(f.length === 1 || (f.length === 2 && !f[1].startsWith("/")) ? f[0] : f[1]));
  }
  const t = svc.tmpfs;
  for (const x of Array.isArray(t) ? t : t ? [t] : []) paths.push(norm(String(x).split(":")[0]));
  return paths;
}

function mountsOk(svc, out, p, errs) {
  const dups = (l) => new Set(l.filter((x, i) => l.indexOf(x) !== i));
  const had = dups(mountPaths(svc));
  for (const d of dups(mountPaths(out))) if (!had.has(d)) errs.push(`${p}: ${d} is mounted twice`);
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
    if (out && typeof out === "object") {
      privilegesOk(svc, out, p, errs);
      memoryOk(out, p, errs);
      mountsOk(svc, out, p, errs);
    }
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
