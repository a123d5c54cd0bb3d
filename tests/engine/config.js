// config.js LIST: Docker Compose v2's own model as the oracle.
//
// Each line of LIST is "IN.json OUT.json LABEL": `docker compose config
// --format json` of an input and of hardcompose's output for it, both read
// in the same folder with the same project name (so paths, interpolation and
// defaults resolve alike). Compose has already resolved merges, anchors,
// `extends`, interpolation (with the .env a --write run made) and short
// syntax. The output must mean what the input meant except for the declared
// hardening:
//   - top level: `secrets` may gain entries; `x-` blocks are not compared
//     (they mean something only where services merge them); everything
//     else is equal;
//   - services: the same names; keys outside HARDENING are equal;
//     init/read_only may be set where unset; cap_drop, cap_add, security_opt,
//     tmpfs, service secrets only gain items; logging, healthcheck and deploy
//     only gain leaves; restart and stop_grace_period may be set where unset;
//     ports may gain a host address; mem_limit, cpus, pids_limit and
//     mem_reservation may move into deploy.resources with the same value;
//   - environment: every variable keeps its value, or moves to a file: then
//     NAME_FILE (NAME__FILE) points at /run/secrets/S, the service mounts
//     secret S, and the top-level secret S is a file holding exactly the
//     value (read back here); plausible's form keeps the file name NAME.
// Prints one line per failure; exits 1 on any failure.
'use strict';
const fs = require('fs');

const J = (v) => JSON.stringify(v);
const HARDENING = new Set(['init', 'read_only', 'cap_drop', 'cap_add', 'security_opt', 'tmpfs',
  'secrets', 'logging', 'healthcheck', 'deploy', 'restart', 'stop_grace_period', 'ports',
  'environment', 'mem_limit', 'cpus', 'pids_limit', 'mem_reservation']);

function grows(a, b, path, errs) {
  if (a === null || a === undefined) return;
  if (Array.isArray(a)) {
    if (!Array.isArray(b)) return errs.push(`${path}: was a list`);
    const have = new Set(b.map(J));
    for (const it of a) if (!have.has(J(it))) errs.push(`${path}: lost item ${J(it)}`);
  } else if (typeof a === 'object') {
    if (!b || typeof b !== 'object' || Array.isArray(b)) return errs.push(`${path}: was a mapping`);
    for (const k of Object.keys(a)) {
      if (!(k in b)) errs.push(`${path}/${k}: lost`);
      else grows(a[k], b[k], `${path}/${k}`, errs);
    }
  } else if (J(a) !== J(b)) {
    errs.push(`${path}: ${J(a)} became ${J(b)}`);
  }
}

const num = (v) => (v === undefined || v === null ? undefined : Number(v));

function envOk(sa, sb, topb, path, errs) {
  const ea = sa.environment || {}, eb = sb.environment || {};
  const abs = (t) => (t.startsWith('/') ? t : `/run/secrets/${t}`);
  const mounts = new Map((sb.secrets || []).map((s) => [abs(s.target || s.source), s.source]));
  for (const [k, v] of Object.entries(ea)) {
    if (k in eb && eb[k] === v) continue;
    // moved to a file: NAME_FILE=/run/secrets/S (or NAME__FILE, or MinIO's
    // bare secret name), or plausible's file named after the variable
    const fk = [`${k}_FILE`, `${k}__FILE`].find((f) => f in eb);
    let target = fk ? String(eb[fk]) : `/run/secrets/${k}`;
    if (fk && !target.startsWith('/')) target = `/run/secrets/${target}`;
    const src = mounts.get(target);
    if ((fk || !(k in eb)) && src) {
      const def = topb.secrets && topb.secrets[src];
      // secrets.target=external: the store holds the value; nothing to read here
      if (def && def.external) continue;
      if (!def || !def.file) { errs.push(`${path}/${k}: moved to secret ${src}, which has no file`); continue; }
      let got;
      try { got = fs.readFileSync(def.file, 'utf8'); } catch (e) {
        // stdout mode writes no file; the value cannot be compared
        if (e.code === 'ENOENT' && process.env.HC_NO_FILES) continue;
        errs.push(`${path}/${k}: secret file ${def.file}: ${e.code}`); continue;
      }
      // config's output writes a $ as $$ (it stays a valid compose file)
      const value = String(v).replace(/\$\$/g, '$');
      if (got !== value && got !== `${value}\n`) errs.push(`${path}/${k}: its secret file holds another value`);
      continue;
    }
    errs.push(k in eb ? `${path}/${k}: the value the container gets changed` : `${path}/${k}: lost`);
  }
  for (const k of Object.keys(eb))
    if (!(k in ea) && !/_FILE$/.test(k)) errs.push(`${path}/${k}: added`);
}

function portsOk(a, b, path, errs) {
  a = a || [];
  b = b || [];
  if (a.length !== b.length) return errs.push(`${path}: ${a.length} ports became ${b.length}`);
  a.forEach((p, i) => {
    const q = b[i];
    if (J(p) === J(q)) return;
    if (!p.host_ip && q.host_ip && J({ ...q, host_ip: undefined }) === J({ ...p, host_ip: undefined })) return;
    errs.push(`${path}[${i}]: ${J(p)} became ${J(q)}`);
  });
}

// the legacy limits may move into deploy.resources, keeping their value
function legacyOk(sa, sb, path, errs) {
  const lim = (sb.deploy && sb.deploy.resources && sb.deploy.resources.limits) || {};
  const res = (sb.deploy && sb.deploy.resources && sb.deploy.resources.reservations) || {};
  const moves = [['mem_limit', lim.memory], ['cpus', lim.cpus], ['pids_limit', lim.pids],
    ['mem_reservation', res.memory]];
  for (const [k, moved] of moves) {
    if (!(k in sa) || (k in sb && J(sa[k]) === J(sb[k]))) continue;
    if (k in sb) errs.push(`${path}/${k}: changed`);
    else if (num(sa[k]) !== num(moved)) errs.push(`${path}/${k}: ${J(sa[k])} moved as ${J(moved)}`);
  }
}

function setOnce(a, b, path, errs) {
  if (a !== undefined && a !== null && J(a) !== J(b)) errs.push(`${path}: ${J(a)} became ${J(b)}`);
}

function compare(a, b) {
  const errs = [];
  for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) {
    if (k === 'services' || k.startsWith('x-')) continue; // x- blocks are not the model
    if (k === 'secrets') grows(a[k], b[k], '/secrets', errs);
    else if (J(a[k]) !== J(b[k])) errs.push(`/${k}: changed`);
  }
  const sa = a.services || {}, sb = b.services || {};
  if (J(Object.keys(sa).sort()) !== J(Object.keys(sb).sort())) errs.push('/services: names changed');
  for (const [name, s] of Object.entries(sa)) {
    const o = sb[name], p = `/services/${name}`;
    if (!o) continue;
    for (const k of new Set([...Object.keys(s), ...Object.keys(o)])) {
      if (!HARDENING.has(k)) {
        if (J(s[k]) !== J(o[k])) errs.push(`${p}/${k}: changed`);
        continue;
      }
      switch (k) {
      case 'init': case 'read_only': case 'restart': case 'stop_grace_period':
        setOnce(s[k], o[k], `${p}/${k}`, errs); break;
      case 'ports': portsOk(s[k], o[k], `${p}/${k}`, errs); break;
      case 'environment': envOk(s, o, b, `${p}/${k}`, errs); break;
      case 'mem_limit': case 'cpus': case 'pids_limit': case 'mem_reservation': break;
      default: grows(s[k], o[k], `${p}/${k}`, errs);
      }
    }
    legacyOk(s, o, p, errs);
  }
  return errs;
}

const lines = fs.readFileSync(process.argv[2], 'utf8').split('\n').filter(Boolean);
let ok = 0, bad = 0;
for (const line of lines) {
  const [inp, out, ...rest] = line.split(' ');
  const label = rest.join(' ');
  const errs = compare(JSON.parse(fs.readFileSync(inp, 'utf8')), JSON.parse(fs.readFileSync(out, 'utf8')));
  if (errs.length) { bad++; console.log(`FAIL ${label}: ${errs.slice(0, 4).join('; ')}`); } else ok++;
}
console.log(`config.js: ${lines.length} pairs, ${ok} equal apart from the declared hardening, ${bad} not`);
process.exit(bad ? 1 : 0);
