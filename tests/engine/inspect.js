// inspect.js CONFIG.json INSPECT.json CHECK.json PROFILE
//
// Proves that the hardening in a compose file took effect in the running
// containers. CONFIG is `docker compose config --format json` of the file
// that was started, INSPECT is `docker inspect` of its containers, CHECK is
// `hardcompose --check --format json` of the file before hardening (its
// notes say which services a transform left alone, and why), PROFILE the
// profile that hardened it (none for the unhardened run).
//
// 1. Every hardening key in CONFIG is what the engine applied (CapDrop,
//    CapAdd, ReadonlyRootfs, Init, Memory, NanoCpus, PidsLimit, SecurityOpt,
//    LogConfig), for every service.
// 2. Every key the profile promises is there, unless the check report holds
//    a note of that transform for that service (a skip with its reason).
// Prints one line per service; exits 1 on the first mismatch of a stack.
'use strict';
const fs = require('fs');
const [cfgPath, inspPath, checkPath, profile] = process.argv.slice(2);
const cfg = JSON.parse(fs.readFileSync(cfgPath, 'utf8'));
const insp = JSON.parse(fs.readFileSync(inspPath, 'utf8'));
const check = checkPath && fs.existsSync(checkPath) ? JSON.parse(fs.readFileSync(checkPath, 'utf8')) : null;

const LEVEL = { none: 0, baseline: 1, production: 2, strict: 3 };
const level = LEVEL[profile];
if (level === undefined) throw new Error(`unknown profile ${profile}`);

let failures = 0;
const fail = (svc, msg) => {
  failures++;
  console.log(`FAIL ${svc}: ${msg}`);
};

const capSet = (l) => new Set((l || []).map((c) => String(c).toUpperCase().replace(/^CAP_/, '')));
const sameSet = (a, b) => a.size === b.size && [...a].every((x) => b.has(x));
const bytes = (v) => {
  if (v === undefined || v === null) return 0;
  if (typeof v === 'number') return v;
  const m = /^(\d+(?:\.\d+)?)\s*([kmgt]?)i?b?$/i.exec(String(v).trim());
  if (!m) throw new Error(`memory value ${v}`);
  const mult = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4 }[m[2].toLowerCase()];
  return Math.round(parseFloat(m[1]) * mult);
};

// the notes a transform wrote for a service: it left the service alone
const skipped = (transform, svc) => {
  if (!check) return false;
  for (const f of check.files || [])
    for (const x of f.findings || [])
      if (x.kind === 'transform' && x.id === transform && x.severity === 'note' &&
          x.message.startsWith(`service "${svc}"`))
        return true;
  return false;
};

for (const [name, s] of Object.entries(cfg.services)) {
  const c = insp.find((i) => i.Config.Labels['com.docker.compose.service'] === name);
  if (!c) {
    fail(name, 'no container');
    continue;
  }
  const h = c.HostConfig;
  const seen = [];
  const eq = (key, want, got, same = (a, b) => a === b) => {
    if (!same(want, got)) fail(name, `${key}: file says ${JSON.stringify(want)}, engine has ${JSON.stringify(got)}`);
    else seen.push(key);
  };
  // 1. what the file says is what the engine did
  eq('cap_drop', capSet(s.cap_drop), capSet(h.CapDrop), sameSet);
  eq('cap_add', capSet(s.cap_add), capSet(h.CapAdd), sameSet);
  eq('read_only', !!s.read_only, !!h.ReadonlyRootfs);
  eq('init', !!s.init, !!h.Init);
  const lim = (s.deploy && s.deploy.resources && s.deploy.resources.limits) || {};
  eq('memory', bytes(lim.memory || s.mem_limit), h.Memory || 0);
  eq('cpus', Math.round(parseFloat(lim.cpus || s.cpus || 0) * 1e9), h.NanoCpus || 0);
  eq('pids', lim.pids || s.pids_limit || 0, h.PidsLimit || 0);
  eq('security_opt', new Set(s.security_opt || []), new Set(h.SecurityOpt || []), sameSet);
  if (s.logging) {
    eq('logging.driver', s.logging.driver || 'json-file', h.LogConfig.Type);
    eq('logging.options', JSON.stringify(s.logging.options || {}),
       JSON.stringify(Object.fromEntries(Object.entries(h.LogConfig.Config || {}).sort())),
       (a, b) => JSON.stringify(Object.fromEntries(Object.entries(JSON.parse(a)).sort())) === b);
  }
  // 2. what the profile promises
  const promise = (transform, ok, what) => {
    if (ok) return;
    if (skipped(transform, name)) {
      console.log(`  ${name}: ${transform} left alone, with a note`);
      return;
    }
    fail(name, `${what} missing and no note from ${transform} says why`);
  };
  if (level >= 1) {
    promise('init', h.Init === true, 'Init');
    promise('cap-drop', capSet(h.CapDrop).has('ALL'), 'CapDrop ALL');
    promise('no-new-privileges', (h.SecurityOpt || []).some((o) => /^no-new-privileges(:true|=true)?$/.test(o)),
            'SecurityOpt no-new-privileges');
  }
  if (level >= 2) {
    promise('logging', h.LogConfig.Config && h.LogConfig.Config['max-size'], 'LogConfig max-size');
    promise('resource-limits', h.Memory > 0, 'Memory limit');
    promise('resource-limits', h.NanoCpus > 0, 'NanoCpus limit');
    promise('resource-limits', h.PidsLimit > 0, 'PidsLimit');
  }
  if (level >= 3) promise('read-only', h.ReadonlyRootfs === true, 'ReadonlyRootfs');
  console.log(`  ${name}: ${c.State.Health ? c.State.Health.Status : c.State.Status}; verified ${seen.join(', ')}` +
              `; CapAdd ${JSON.stringify(h.CapAdd || [])}, Memory ${h.Memory}, Init ${!!h.Init}, ReadonlyRootfs ${h.ReadonlyRootfs}`);
}
process.exit(failures ? 1 : 0);
