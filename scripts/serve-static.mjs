// Serves the built app (dist/) on loopback with SPA fallback: unknown paths without a file
// extension get index.html, so deep links like /onboarding/<id>/customer load the app.
// Stands in for the reference partner backend until it exists.
// Usage: node scripts/serve-static.mjs [--dir dist] [--port 8080] [--host 127.0.0.1]
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve } from 'node:path';

const args = Object.fromEntries(process.argv.slice(2).reduce((acc, a, i, all) =>
  a.startsWith('--') ? [...acc, [a.slice(2), all[i + 1]]] : acc, []));
const root = resolve(args.dir ?? 'dist');
const port = Number(args.port ?? 8080);
const host = args.host ?? '127.0.0.1';
const types = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm', '.css': 'text/css; charset=utf-8', '.json': 'application/json',
  '.png': 'image/png', '.svg': 'image/svg+xml', '.ico': 'image/x-icon',
};

async function fileFor(urlPath) {
  const path = normalize(join(root, decodeURIComponent(urlPath)));
  if (!path.startsWith(root)) return null;
  try {
    const s = await stat(path);
    return s.isFile() ? path : null;
  } catch { return null; }
}

createServer(async (req, res) => {
  const url = new URL(req.url, 'http://localhost');
  let path = await fileFor(url.pathname);
  if (!path && !extname(url.pathname)) path = join(root, 'index.html');
  if (!path) { res.writeHead(404, { 'content-type': 'text/plain' }); res.end('Not found'); return; }
  const body = await readFile(path);
  res.writeHead(200, {
    'content-type': types[extname(path)] ?? 'application/octet-stream',
    'cache-control': path.endsWith('index.html') || path.endsWith('config.json') ? 'no-cache' : 'public, max-age=31536000, immutable',
    'x-content-type-options': 'nosniff',
  });
  res.end(body);
}).listen(port, host, () => console.log(`Serving ${root} on http://${host}:${port}/`));
