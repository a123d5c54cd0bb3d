// lsp-handshake.js FILE COMMAND [ARG...]: starts a language server as an
// editor's recipe starts it (COMMAND and ARGs as the recipe gives them, no
// shell) and does what any client does first: initialize (the server
// advertises incremental sync, code actions and formatting), didOpen of
// FILE, the diagnostics, the code actions of the first `init` diagnostic
// (one quick fix), formatting, shutdown and exit (exit code 0). Prints one
// line per check; exits 1 if any failed. Used by tests/editor-files.sh for
// the Helix and VS Code language-server recipes, which cannot run here.
'use strict';
const { spawn } = require('child_process');
const fs = require('fs');
const path = require('path');
const [file, cmd, ...args] = process.argv.slice(2);
let fail = 0;
const t = (name, ok) => { console.log((ok ? 'ok: ' : 'FAIL: ') + name); if (!ok) fail++; };
const srv = spawn(cmd, args, { cwd: path.dirname(file) });
let buf = Buffer.alloc(0); const queue = []; let waiters = [];
srv.on('error', (e) => { t('the server starts: ' + e.message, false); process.exit(1); });
srv.stdout.on('data', (d) => {
  buf = Buffer.concat([buf, d]);
  for (;;) {
    const he = buf.indexOf('\r\n\r\n'); if (he < 0) return;
    const n = +/Content-Length: (\d+)/i.exec(buf.slice(0, he).toString())[1];
    if (buf.length < he + 4 + n) return;
    queue.push(JSON.parse(buf.slice(he + 4, he + 4 + n).toString('utf8')));
    buf = buf.slice(he + 4 + n);
    waiters.splice(0).forEach((w) => w());
  }
});
const exited = new Promise((res) => srv.on('exit', (code) => res(code)));
let id = 0;
const send = (m) => { const b = Buffer.from(JSON.stringify(Object.assign({ jsonrpc: '2.0' }, m))); srv.stdin.write(`Content-Length: ${b.length}\r\n\r\n`); srv.stdin.write(b); };
const wait = (pred) => new Promise((res, rej) => {
  const timer = setTimeout(() => rej(new Error('timeout')), 20000);
  const look = () => { const i = queue.findIndex(pred); if (i >= 0) { clearTimeout(timer); res(queue.splice(i, 1)[0]); } else waiters.push(look); };
  look();
});
const request = (method, params) => { const n = ++id; send({ id: n, method, params }); return wait((m) => m.id === n); };
(async () => {
  const uri = 'file://' + file.split('/').map(encodeURIComponent).join('/');
  let r = await request('initialize', { processId: process.pid, rootUri: null, capabilities: {} });
  const c = (r.result || {}).capabilities || {};
  t('initialize: incremental sync, code actions, formatting',
    (c.textDocumentSync || {}).change === 2 && !!c.codeActionProvider && !!c.documentFormattingProvider);
  send({ method: 'initialized', params: {} });
  send({ method: 'textDocument/didOpen', params: { textDocument: { uri, languageId: 'yaml', version: 1, text: fs.readFileSync(file, 'utf8') } } });
  const pd = await wait((m) => m.method === 'textDocument/publishDiagnostics' && m.params.uri === uri);
  const init = pd.params.diagnostics.find((d) => d.code === 'init');
  t(`diagnostics: ${pd.params.diagnostics.length}, one of them init`, !!init);
  r = await request('textDocument/codeAction', { textDocument: { uri }, range: init ? init.range : { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, context: { diagnostics: init ? [init] : [] } });
  t('code action: a quick fix for init', (r.result || []).some((a) => a.kind === 'quickfix' && /apply init/.test(a.title)));
  r = await request('textDocument/formatting', { textDocument: { uri }, options: { tabSize: 2, insertSpaces: true } });
  t('formatting: edits', Array.isArray(r.result) && r.result.length > 0);
  r = await request('shutdown', null);
  send({ method: 'exit' });
  t('shutdown then exit: exit code 0', (await exited) === 0);
  process.exit(fail ? 1 : 0);
})().catch((e) => { t('the session: ' + e.message, false); srv.kill(); process.exit(1); });
