// Writes <file>.br (brotli, quality 11) and <file>.gz (gzip, level 9) beside every compressible
// file of dist/ (html, js, mjs, wasm, css, json, svg, txt, map), so the server sends them
// precompressed instead of compressing on every request (partner-backend: ServeDir
// precompressed_br/precompressed_gzip). A variant that is not smaller than the file is not
// written (and an old one is removed). Run after `trunk build --release`:
//   node scripts/precompress.mjs [dir]
// config.json is left alone: deployments edit it in place, and a stale config.json.br beside
// it would be served instead of the edit (it is a few hundred bytes anyway).
import { readdirSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { brotliCompressSync, gzipSync, constants } from 'node:zlib';

const dir = process.argv[2] ?? 'dist';
const COMPRESSIBLE = /\.(html|js|mjs|wasm|css|json|svg|txt|map)$/;
const SKIP = new Set(['config.json']);

function* walk(d) {
  for (const entry of readdirSync(d, { withFileTypes: true })) {
    const path = join(d, entry.name);
    if (entry.isDirectory()) yield* walk(path);
    else if (entry.isFile()) yield path;
  }
}

const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
let raw = 0;
let br = 0;
let gz = 0;
for (const path of walk(dir)) {
  const name = relative(dir, path);
  if (!COMPRESSIBLE.test(name) || SKIP.has(name)) continue;
  const body = readFileSync(path);
  const variants = {
    br: brotliCompressSync(body, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
        // wasm is binary; everything else here is text.
        [constants.BROTLI_PARAM_MODE]: name.endsWith('.wasm') ? constants.BROTLI_MODE_GENERIC : constants.BROTLI_MODE_TEXT,
        [constants.BROTLI_PARAM_SIZE_HINT]: body.length,
      },
    }),
    gz: gzipSync(body, { level: 9 }),
  };
  const sizes = {};
  for (const [ext, data] of Object.entries(variants)) {
    const out = `${path}.${ext}`;
    if (data.length < body.length) {
      writeFileSync(out, data);
      sizes[ext] = data.length;
    } else {
      rmSync(out, { force: true });
      sizes[ext] = body.length;
    }
  }
  raw += body.length;
  br += sizes.br;
  gz += sizes.gz;
  console.log(`${name.padEnd(48)} ${kb(body.length).padStart(10)} raw ${kb(sizes.gz).padStart(10)} .gz ${kb(sizes.br).padStart(10)} .br`);
}
console.log(`${'precompressed total'.padEnd(48)} ${kb(raw).padStart(10)} raw ${kb(gz).padStart(10)} .gz ${kb(br).padStart(10)} .br`);
