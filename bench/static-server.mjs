// Serves the framework-free baseline (bench/static-form/) for bench/bench.mjs:
//   /          bench/static-form/index.html
//   /form.js   bench/static-form/form.js
//   /main.css  style/main.css (the app's own stylesheet)
// Each body is compressed once at start-up (brotli q11, gzip -9) and sent in the best encoding
// the request accepts, as a production static server would; `Cache-Control: no-cache`.
// Usage: node bench/static-server.mjs 127.0.0.1:8096
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, gzipSync, constants } from 'node:zlib';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..');
const [host, port] = (process.argv[2] ?? '127.0.0.1:8096').split(':');

const FILES = {
  '/': [resolve(here, 'static-form/index.html'), 'text/html; charset=utf-8'],
  '/index.html': [resolve(here, 'static-form/index.html'), 'text/html; charset=utf-8'],
  '/form.js': [resolve(here, 'static-form/form.js'), 'text/javascript; charset=utf-8'],
  '/main.css': [resolve(root, 'style/main.css'), 'text/css; charset=utf-8'],
};
const bodies = {};
for (const [path, [file, type]] of Object.entries(FILES)) {
  const raw = readFileSync(file);
  bodies[path] = {
    type,
    identity: raw,
    br: brotliCompressSync(raw, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }),
    gzip: gzipSync(raw, { level: 9 }),
  };
}

createServer((req, res) => {
  const path = new URL(req.url, 'http://x').pathname;
  const body = bodies[path];
  if (!body || (req.method !== 'GET' && req.method !== 'HEAD')) {
    res.writeHead(404, { 'content-type': 'text/plain' });
    res.end('not found');
    return;
  }
  const accepts = String(req.headers['accept-encoding'] ?? '');
  const encoding = /\bbr\b/.test(accepts) ? 'br' : /\bgzip\b/.test(accepts) ? 'gzip' : 'identity';
  const headers = { 'content-type': body.type, 'cache-control': 'no-cache', vary: 'accept-encoding', 'content-length': body[encoding].length };
  if (encoding !== 'identity') headers['content-encoding'] = encoding;
  res.writeHead(200, headers);
  res.end(req.method === 'HEAD' ? undefined : body[encoding]);
}).listen(Number(port), host, () => console.log(`static baseline on http://${host}:${port}/`));
