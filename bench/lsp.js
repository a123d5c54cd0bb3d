// lsp.js BIN FILE [EDITS]: the language server's time per keystroke on FILE
// (bench/lsp.sh). Opens FILE in `hardcompose lsp --stdio`, then sends EDITS
// (default 40) didChange notifications, each inserting one character in a
// comment at the top of the document, and waits for each round of
// diagnostics. The server's own measure of each round (analysis plus the
// publishDiagnostics message, wall and CPU time, logged under
// HARDCOMPOSE_LSP_LOG=1) is collected; prints the median and the 90th
// percentile. Not a test: numbers.
'use strict';
const { spawn } = require('child_process');
const fs = require('fs');
const path = require('path');
const [bin, file, nedits] = process.argv.slice(2);
const edits = +(nedits || 40);
const text = '#\n' + fs.readFileSync(file, 'utf8');
const uri = 'file://' + path.resolve(file);

const srv = spawn(bin, ['lsp', '--stdio'], { env: Object.assign({}, process.env, { HARDCOMPOSE_LSP_LOG: '1' }) });
let buf = Buffer.alloc(0), waiters = [];
const logs = [];
let ndiag = -1;
srv.stdout.on('data', (d) => {
  buf = Buffer.concat([buf, d]);
  for (;;) {
    const he = buf.indexOf('\r\n\r\n');
    if (he < 0) return;
    const n = +/Content-Length: (\d+)/i.exec(buf.slice(0, he).toString())[1];
    if (buf.length < he + 4 + n) return;
    const m = JSON.parse(buf.slice(he + 4, he + 4 + n).toString('utf8'));
    buf = buf.slice(he + 4 + n);
    if (m.method === 'textDocument/publishDiagnostics') ndiag = m.params.diagnostics.length;
    if (m.method === 'window/logMessage' && / analysed in /.test(m.params.message)) {
      logs.push(m.params.message);
      waiters.splice(0).forEach((w) => w());
    }
  }
});
function send(msg) {
  const body = Buffer.from(JSON.stringify(Object.assign({ jsonrpc: '2.0' }, msg)), 'utf8');
  srv.stdin.write(Buffer.concat([Buffer.from('Content-Length: ' + body.length + '\r\n\r\n'), body]));
}
const round = () => new Promise((res) => waiters.push(res));
const median = (a) => a.slice().sort((x, y) => x - y)[Math.floor(a.length / 2)];
const p90 = (a) => a.slice().sort((x, y) => x - y)[Math.min(a.length - 1, Math.floor(a.length * 0.9))];

(async () => {
  send({ id: 1, method: 'initialize', params: { processId: null, rootUri: null, capabilities: {} } });
  send({ method: 'initialized', params: {} });
  send({ method: 'textDocument/didOpen', params: { textDocument: { uri, languageId: 'yaml', version: 1, text } } });
  await round();
  logs.length = 0;
  for (let k = 0; k < edits; k++) {
    send({ method: 'textDocument/didChange', params: { textDocument: { uri, version: 2 + k }, contentChanges: [
      { range: { start: { line: 0, character: 1 + k }, end: { line: 0, character: 1 + k } }, text: 'x' }] } });
    await round();
  }
  const wall = logs.map((l) => +/in ([0-9.]+) ms/.exec(l)[1]);
  const cpu = logs.map((l) => +/\(([0-9.]+) ms CPU\)/.exec(l)[1]);
  console.log(`${text.split('\n').length - 1} lines, ${ndiag} diagnostics, ${edits} edits: ` +
    `server time median ${median(wall).toFixed(2)} ms (p90 ${p90(wall).toFixed(2)}), ` +
    `CPU median ${median(cpu).toFixed(2)} ms (p90 ${p90(cpu).toFixed(2)})`);
  send({ id: 2, method: 'shutdown' });
  send({ method: 'exit' });
})();
