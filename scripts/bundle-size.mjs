// Reports what a first load of dist/ transfers, compressed as a server would send it
// (gzip -9 and brotli q11), and writes dist/bundle-size.json. Where scripts/precompress.mjs
// wrote <file>.gz / <file>.br, their sizes are reported (what the backend actually sends).
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { brotliCompressSync, gzipSync, constants } from 'node:zlib';

const dir = process.argv[2] ?? 'dist';
const files = readdirSync(dir).filter((f) => /\.(html|js|wasm|css|json)$/.test(f) && f !== 'bundle-size.json');
const sent = (path) => (existsSync(path) ? statSync(path).size : undefined);
const rows = files.map((f) => {
  const body = readFileSync(`${dir}/${f}`);
  return {
    file: f,
    raw: body.length,
    gzip: sent(`${dir}/${f}.gz`) ?? gzipSync(body, { level: 9 }).length,
    brotli: sent(`${dir}/${f}.br`) ?? brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
  };
});
const total = rows.reduce((t, r) => ({ raw: t.raw + r.raw, gzip: t.gzip + r.gzip, brotli: t.brotli + r.brotli }), { raw: 0, gzip: 0, brotli: 0 });
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
for (const r of rows) console.log(`${r.file.padEnd(48)} ${kb(r.raw).padStart(10)} raw ${kb(r.gzip).padStart(10)} gzip ${kb(r.brotli).padStart(10)} brotli`);
console.log(`${'first load total'.padEnd(48)} ${kb(total.raw).padStart(10)} raw ${kb(total.gzip).padStart(10)} gzip ${kb(total.brotli).padStart(10)} brotli`);
writeFileSync(`${dir}/bundle-size.json`, JSON.stringify({ files: rows, total }, null, 2));
