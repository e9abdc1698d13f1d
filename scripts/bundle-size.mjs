// Reports what a first load of dist/ transfers, compressed as a server would send it
// (gzip -9 and brotli q11), and writes dist/bundle-size.json. Where scripts/precompress.mjs
// wrote <file>.gz / <file>.br, their sizes are reported (what the backend actually sends).
//
//   node scripts/bundle-size.mjs [dist] [--check [--limits FILE]]
//
// --check (scripts/test.sh, so CI) compares the brotli total with bench/size-budget.json: it
// exits 1, with the figure, when the build is above the ceiling, and always says where the build
// stands against issue 5's budget.
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { brotliCompressSync, gzipSync, constants } from 'node:zlib';

const args = process.argv.slice(2);
const check = args.includes('--check');
const limitsFile = args.includes('--limits') ? args[args.indexOf('--limits') + 1] : new URL('../bench/size-budget.json', import.meta.url);
const dir = args.find((a, i) => !a.startsWith('--') && args[i - 1] !== '--limits') ?? 'dist';
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

if (check) {
  const limits = JSON.parse(readFileSync(limitsFile));
  const size = total.brotli / 1024;
  const budget = limits.budget_brotli_kb;
  const ceiling = limits.ceiling_brotli_kb;
  const over = size - budget;
  console.log(over > 0
    ? `size budget: first load ${size.toFixed(1)} KB brotli is ${over.toFixed(1)} KB over the ${budget} KB budget (issue 5)`
    : `size budget: first load ${size.toFixed(1)} KB brotli is within the ${budget} KB budget`);
  if (size > ceiling) {
    console.error(`size check FAILED: first load ${size.toFixed(1)} KB brotli is above the ceiling of ${ceiling} KB in bench/size-budget.json (budget ${budget} KB)`);
    process.exit(1);
  }
  console.log(`size check passed: ${size.toFixed(1)} KB ≤ ceiling ${ceiling} KB`);
}
