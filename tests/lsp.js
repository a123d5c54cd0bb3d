// lsp.js BIN DIR: a scripted LSP client for `hardcompose lsp` (tests/lsp.sh).
// Drives the server over its stdio and checks framing, initialize,
// diagnostics (positions in UTF-16 code units), code actions applied and
// compared with the command line's output, formatting, incremental changes,
// malformed input, unknown methods, a document that does not parse, a huge
// document, shutdown and exit. Prints the server time of a 500-line
// document's didChange. LSP_RECORD=FILE: writes every byte sent to FILE
// (a session to replay under valgrind).
'use strict';
const { spawn, spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');
const [bin, dir] = process.argv.slice(2);
let pass = 0, fail = 0;
function t(name, ok, more) {
  if (ok) pass++;
  else { fail++; console.log('FAIL: ' + name + (more !== undefined ? ' ' + JSON.stringify(more) : '')); }
}

const srv = spawn(bin, ['lsp', '--stdio'], { env: Object.assign({}, process.env, { HARDCOMPOSE_LSP_LOG: '1' }) });
const record = process.env.LSP_RECORD ? fs.openSync(process.env.LSP_RECORD, 'w') : null;
let buf = Buffer.alloc(0), queue = [], waiters = [], stderr = '';
srv.stderr.on('data', (d) => { stderr += d; });
srv.stdout.on('data', (d) => {
  buf = Buffer.concat([buf, d]);
  for (;;) {
    const he = buf.indexOf('\r\n\r\n');
    if (he < 0) return;
    const m = /Content-Length: (\d+)/i.exec(buf.slice(0, he).toString());
    if (!m) throw new Error('bad header from the server: ' + buf.slice(0, he));
    const n = +m[1];
    if (buf.length < he + 4 + n) return;
    const msg = JSON.parse(buf.slice(he + 4, he + 4 + n).toString('utf8'));
    buf = buf.slice(he + 4 + n);
    queue.push(msg);
    waiters.splice(0).forEach((w) => w());
  }
});
const exited = new Promise((res) => srv.on('exit', (code) => res(code)));

function raw(bytes) {
  const b = Buffer.from(bytes);
  if (record) fs.writeSync(record, b);
  srv.stdin.write(b);
}
function send(msg) {
  const body = Buffer.from(JSON.stringify(Object.assign({ jsonrpc: '2.0' }, msg)), 'utf8');
  raw(Buffer.concat([Buffer.from('Content-Length: ' + body.length + '\r\n\r\n'), body]));
}
// The next message that pred accepts (others stay queued), or a timeout.
function wait(pred, ms = 20000) {
  return new Promise((res, rej) => {
    const timer = setTimeout(() => rej(new Error('timeout waiting for a message')), ms);
    const look = () => {
      const i = queue.findIndex(pred);
      if (i >= 0) { clearTimeout(timer); res(queue.splice(i, 1)[0]); } else waiters.push(look);
    };
    look();
  });
}
let nextId = 1;
async function request(method, params) {
  const id = nextId++;
  send({ id, method, params });
  return wait((m) => m.id === id);
}
const diags = (uri, ms) => wait((m) => m.method === 'textDocument/publishDiagnostics' && m.params.uri === uri, ms);

// Applies LSP TextEdits (UTF-16 positions) to text, as an editor does.
function apply(text, edits) {
  const lines = text.split('\n');
  const off = (p) => { let o = 0; for (let i = 0; i < p.line; i++) o += lines[i].length + 1; return o + p.character; };
  const es = edits.map((e) => [off(e.range.start), off(e.range.end), e.newText]).sort((a, b) => b[0] - a[0]);
  for (const [a, b, s] of es) text = text.slice(0, a) + s + text.slice(b);
  return text;
}
function cli(args, input, file) {
  return spawnSync(bin, args.concat(['--stdin-filepath', file]), { input }).stdout.toString('utf8');
}
function mkdoc(name, text) {
  const file = path.join(dir, name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  return { file, uri: 'file://' + file.split('/').map(encodeURIComponent).join('/'), text };
}
function open(d) {
  send({ method: 'textDocument/didOpen', params: { textDocument: { uri: d.uri, languageId: 'yaml', version: 1, text: d.text } } });
}

async function main() {
  // framing: a header with an extra field and lower-case name is fine
  const init = { id: 0, method: 'initialize', params: { processId: null, rootUri: null, capabilities: {} } };
  const ib = Buffer.from(JSON.stringify(Object.assign({ jsonrpc: '2.0' }, init)));
  raw(Buffer.concat([Buffer.from('content-length: ' + ib.length + '\r\nContent-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n'), ib]));
  const ir = await wait((m) => m.id === 0);
  const caps = ir.result && ir.result.capabilities;
  t('initialize: incremental sync', caps && caps.textDocumentSync.change === 2 && caps.textDocumentSync.openClose, ir);
  t('initialize: code actions, formatting', caps && caps.codeActionProvider && caps.documentFormattingProvider && caps.documentRangeFormattingProvider, caps);
  send({ method: 'initialized', params: {} });

  // diagnostics, with a line holding non-ASCII before the finding
  const a = mkdoc('compose.yaml', 'services:\n  # ünïcödé 😀\n  web: {image: "é😀x", privileged: true}\n');
  open(a);
  let pd = await diags(a.uri);
  const line2 = a.text.split('\n')[2];
  const priv = pd.params.diagnostics.find((d) => d.code === 'privileged');
  t('diagnostic: privileged found', !!priv, pd.params.diagnostics.map((d) => d.code));
  t('diagnostic: UTF-16 position', priv && priv.range.start.line === 2 && priv.range.start.character === line2.indexOf('true'), priv && priv.range);
  t('diagnostic: range ends at end of line', priv && priv.range.end.character === line2.length, priv && priv.range);
  t('diagnostic: severity error, source, docs link', priv && priv.severity === 1 && priv.source === 'hardcompose' &&
    /docs\/rules\.md#privileged$/.test(priv.codeDescription.href), priv);
  const init_ = pd.params.diagnostics.find((d) => d.code === 'init');
  t('diagnostic: pending transform init, link to transforms.md', init_ && init_.severity === 2 && /transforms\.md#init$/.test(init_.codeDescription.href), init_);
  const expectCheck = cli(['--check'], a.text, a.file).split('\n').filter((l) => /\[[a-z-]+\]/.test(l)).length;
  t('diagnostic: one per --check finding', pd.params.diagnostics.length === expectCheck, [pd.params.diagnostics.length, expectCheck]);

  // code action: the quick fix for init, applied, equals the CLI with only init
  let r = await request('textDocument/codeAction', { textDocument: { uri: a.uri }, range: init_.range, context: { diagnostics: [init_] } });
  const fix = r.result.find((x) => x.title === 'hardcompose: apply init to web');
  t('code action: quick fix for init', fix && fix.kind === 'quickfix' && fix.isPreferred, r.result.map((x) => x.title));
  const only = cli(['--profile', 'none', '--enable', 'init'], a.text, a.file);
  t('code action: quick fix = CLI --profile none -e init', fix && apply(a.text, fix.edit.changes[a.uri]) === only, fix && apply(a.text, fix.edit.changes[a.uri]));
  const all = r.result.find((x) => x.kind === 'source.fixAll.hardcompose');
  const full = cli([], a.text, a.file);
  t('code action: fix all = CLI format mode', all && apply(a.text, all.edit.changes[a.uri]) === full);
  const ign = r.result.find((x) => x.title === 'hardcompose: ignore init here');
  t('code action: ignore comment', ign && apply(a.text, ign.edit.changes[a.uri]) === a.text.replace('  web:', '  # hardcompose: ignore[init]\n  web:'), ign);
  t('code action: one ignore per id and line', r.result.filter((x) => x.title === 'hardcompose: ignore init here').length === 1);
  // two services: the quick fix touches the diagnostic's service only
  const two = mkdoc('two/compose.yaml', 'services:\n  web:\n    image: nginx:1.25\n  db:\n    image: postgres:16\n');
  open(two);
  pd = await diags(two.uri);
  const dbInit = pd.params.diagnostics.find((d) => d.code === 'init' && d.range.start.line === 3);
  const cd = pd.params.diagnostics.filter((d) => d.code === 'cap-drop' && d.range.start.line === 3);
  r = await request('textDocument/codeAction', { textDocument: { uri: two.uri }, range: dbInit.range, context: { diagnostics: [dbInit].concat(cd) } });
  const fdb = r.result.find((x) => x.title === 'hardcompose: apply init to db');
  t('code action: quick fix for one service = CLI with the others excluded', fdb &&
    apply(two.text, fdb.edit.changes[two.uri]) === cli(['--profile', 'none', '--enable', 'init', '--set', 'init.exclude=web'], two.text, two.file), r.result.map((x) => x.title));
  t('code action: one quick fix per transform and service', r.result.filter((x) => x.title === 'hardcompose: apply cap-drop to db').length === 1, r.result.map((x) => x.title));
  // only: [source.fixAll] gives fix all alone
  r = await request('textDocument/codeAction', { textDocument: { uri: a.uri }, range: init_.range, context: { diagnostics: [init_], only: ['source.fixAll'] } });
  t('code action: only source.fixAll', r.result.length === 1 && r.result[0].kind === 'source.fixAll.hardcompose', r.result.map((x) => x.kind));

  // formatting = the CLI's format mode; range formatting touches the range
  r = await request('textDocument/formatting', { textDocument: { uri: a.uri }, options: { tabSize: 2, insertSpaces: true } });
  t('formatting = CLI output', Array.isArray(r.result) && apply(a.text, r.result) === full, r);
  r = await request('textDocument/rangeFormatting', { textDocument: { uri: a.uri }, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 3 } }, options: {} });
  t('range formatting outside the edits: none', Array.isArray(r.result) && r.result.length === 0, r);

  // incremental change with non-ASCII: insert after the emoji on line 1,
  // replace 'é😀x' by 'nginx:1.25' on line 2
  const c1 = { range: { start: { line: 1, character: line2.length } } };
  const l1 = a.text.split('\n')[1];
  const imgAt = line2.indexOf('é😀x');
  send({ method: 'textDocument/didChange', params: { textDocument: { uri: a.uri, version: 2 }, contentChanges: [
    { range: { start: { line: 1, character: l1.length }, end: { line: 1, character: l1.length } }, text: ' ✓' },
    { range: { start: { line: 2, character: imgAt }, end: { line: 2, character: imgAt + 'é😀x'.length } }, text: 'nginx:1.25' },
  ] } });
  void c1;
  const a2 = a.text.replace('😀\n', '😀 ✓\n').replace('é😀x', 'nginx:1.25');
  pd = await diags(a.uri);
  t('didChange: image-latest gone after the edit', !pd.params.diagnostics.some((d) => d.code === 'image-latest'), pd.params.diagnostics.map((d) => d.code));
  r = await request('textDocument/formatting', { textDocument: { uri: a.uri }, options: {} });
  t('didChange: text as the editor has it (formatting = CLI)', apply(a2, r.result) === cli([], a2, a.file));

  // a document that does not parse: one error at the error's position
  const b = mkdoc('bad/compose.yaml', 'services:\n  web:\n    image: "unterminated\n');
  open(b);
  pd = await diags(b.uri);
  const expect = /:(\d+):(\d+): error: (.*)/.exec(spawnSync(bin, ['--check', b.file]).stderr.toString());
  const pe = pd.params.diagnostics[0];
  t('parse error: one error diagnostic at the error', pd.params.diagnostics.length === 1 && pe.severity === 1 &&
    pe.range.start.line === expect[1] - 1 && pe.range.start.character === expect[2] - 1 && expect[3].endsWith(pe.message), [pd.params.diagnostics, expect]);
  r = await request('textDocument/formatting', { textDocument: { uri: b.uri }, options: {} });
  t('parse error: formatting returns null', r.result === null, r);

  // malformed input: not JSON, no method, unknown method, a header without length
  raw('Content-Length: 9\r\n\r\n{"id": 1,');
  let e = await wait((m) => m.error && m.error.code === -32700);
  t('malformed JSON: ParseError', e.id === null, e);
  send({ id: 'x', params: {} });
  e = await wait((m) => m.id === 'x');
  t('no method: InvalidRequest', e.error && e.error.code === -32600, e);
  r = await request('workspace/doesNotExist', {});
  t('unknown method: MethodNotFound', r.error && r.error.code === -32601, r);
  raw('X-Nothing: 1\r\n\r\n');
  e = await wait((m) => m.error && m.error.code === -32700);
  t('header without Content-Length: ParseError', !!e);
  send({ method: 'textDocument/didChange', params: { textDocument: { uri: 'file:///nowhere' }, contentChanges: [{ text: 1 }] } });
  send({ method: 'textDocument/didOpen', params: 7 });
  r = await request('textDocument/codeAction', { textDocument: { uri: a.uri }, context: { diagnostics: [{ code: 5 }, null, 'x', { source: 'hardcompose', code: 'init', range: 3 }] } });
  t('odd params: the server still answers', Array.isArray(r.result), r);

  // 500 lines: server time of a didChange
  let big = 'services:\n';
  for (let i = 0; big.split('\n').length < 500; i++) big += `  s${i}:\n    image: nginx:1.25\n    ports:\n      - "80${i % 10}:80"\n    environment:\n      A: "1"\n`;
  const c = mkdoc('five/compose.yaml', big);
  open(c);
  await diags(c.uri);
  const times = [];
  for (let k = 0; k < 5; k++) {
    send({ method: 'textDocument/didChange', params: { textDocument: { uri: c.uri, version: 2 + k }, contentChanges: [
      { range: { start: { line: 3, character: 0 }, end: { line: 3, character: 0 } }, text: '    # edit\n' }] } });
    const n = (await diags(c.uri)).params.diagnostics.length;
    const bytes = Buffer.byteLength(big.replace('\n    ports:', '\n' + '    # edit\n'.repeat(k + 1) + '    ports:'));
    const lm = (await wait((m) => m.method === 'window/logMessage' && m.params.message.startsWith(`hardcompose: ${bytes} bytes`))).params.message;
    times.push(/in (.*)$/.exec(lm)[1] + ` (${n} diagnostics)`);
  }
  console.log(`server time for a didChange of a ${big.split('\n').length}-line document: ${times.join('; ')}`);

  // a huge document (6 MB: a 2 MB comment line of non-ASCII, a 4 MB scalar)
  const huge = 'services:\n  web:\n    image: nginx:1.25\n# ' + 'é'.repeat(1e6) + '\nx-big: "' + 'a'.repeat(4e6) + '"\n';
  const h = mkdoc('huge/compose.yaml', huge);
  const t0 = Date.now();
  open(h);
  pd = await diags(h.uri, 120000);
  console.log(`huge document: ${Buffer.byteLength(huge)} bytes, ${pd.params.diagnostics.length} diagnostics in ${Date.now() - t0} ms`);
  t('huge document: diagnostics', pd.params.diagnostics.length > 0);
  send({ method: 'textDocument/didClose', params: { textDocument: { uri: h.uri } } });
  pd = await diags(h.uri);
  t('didClose: diagnostics cleared', pd.params.diagnostics.length === 0);

  r = await request('shutdown', null);
  t('shutdown', r.result === null && !r.error, r);
  r = await request('textDocument/formatting', { textDocument: { uri: a.uri } });
  t('after shutdown: InvalidRequest', r.error && r.error.code === -32600, r);
  send({ method: 'exit' });
  srv.stdin.end();
  const code = await exited;
  t('exit after shutdown: 0', code === 0, code);
  if (stderr) console.log('server stderr: ' + stderr);
}

main().catch((err) => { fail++; console.log('FAIL: ' + err.stack); srv.kill(); }).then(() => {
  if (record) fs.closeSync(record);
  console.log(`lsp: ${pass} passed, ${fail} failed`);
  process.exit(fail ? 1 : 0);
});
