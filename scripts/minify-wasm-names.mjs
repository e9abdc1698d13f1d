// Trunk post-build hook (Trunk.toml): shortens the names the wasm and its JS glue share.
//
// wasm-bindgen names each of the ~240 imports after its Rust item plus a 16-hex-digit hash
// (`__wbg_createElement_de4a31ed2fb252be`), and every name is written twice, once in the wasm and
// once in the glue; the hashes do not compress. Binaryen's
// `--minify-imports-and-exports-and-modules` renames imports, exports and the import module to
// a few letters and prints the mapping, which this script applies to the glue (its import
// object's keys, its `wasm.<export>` uses and the module's key), then rewrites the SRI hashes of
// the two files in index.html. About 4 KB brotli off the first load (wasm −1.6, glue −2.4).
//
// Release builds only (Trunk's wasm-opt runs only there). Any name the mapping cannot account
// for fails the build: an import the glue does not provide would fail at instantiation, and an
// export it calls under its old name would fail when first used.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

// The same features index.html gives Trunk's wasm-opt run.
const FEATURES = ['--enable-bulk-memory', '--enable-nontrapping-float-to-int', '--enable-sign-ext',
  '--enable-mutable-globals', '--enable-reference-types', '--enable-multivalue'];

/** The (module, name) pairs of a wasm binary's import section, in order. */
export function importsOf(bytes) {
  let p = 8;
  const leb = () => { let r = 0, s = 0, x; do { x = bytes[p++]; r |= (x & 0x7f) << s; s += 7; } while (x & 0x80); return r >>> 0; };
  const str = () => { const n = leb(); const s = Buffer.from(bytes.subarray(p, p + n)).toString('utf8'); p += n; return s; };
  while (p < bytes.length) {
    const id = bytes[p++];
    const size = leb();
    const end = p + size;
    if (id === 2) {
      const out = [];
      for (let i = leb(); i > 0; i--) {
        const module = str();
        const name = str();
        const kind = bytes[p++];
        if (kind === 0) leb(); // function: type index
        else if (kind === 1) { p++; if (leb() & 1) { leb(); leb(); } else leb(); } // table: reftype, limits
        else if (kind === 2) { if (leb() & 1) { leb(); leb(); } else leb(); } // memory: limits
        else if (kind === 3) p += 2; // global: valtype, mutability
        else if (kind === 4) { p++; leb(); } // tag
        else throw new Error(`unknown import kind ${kind}`);
        out.push([module, name]);
      }
      return out;
    }
    p = end;
  }
  return [];
}

/**
 * The glue with the mapping applied. `mapping` is wasm-opt's printout ({imports: [[module, old,
 * new]], exports: [[old, new]]}); `module` is the import module's old and new names.
 */
export function rewriteGlue(glue, mapping, module) {
  const imports = new Map(mapping.imports.map(([, from, to]) => [from, to]));
  const exports = new Map(mapping.exports.map(([from, to]) => [from, to]));
  const provided = new Set();
  let out = glue.replace(/^(\s+)([A-Za-z_$][A-Za-z0-9_$]*): function\b/gm, (all, indent, name) => {
    if (!imports.has(name)) return all;
    provided.add(name);
    return `${indent}${JSON.stringify(imports.get(name))}: function`;
  });
  const missing = [...imports.keys()].filter((name) => !provided.has(name));
  if (missing.length) throw new Error(`the glue provides no function for imports ${missing.join(', ')}`);
  out = out.replace(/\bwasm\.([A-Za-z_$][A-Za-z0-9_$]*)/g, (all, name) => {
    if (!exports.has(name)) throw new Error(`the glue uses wasm.${name}, which the mapping does not rename`);
    return `wasm[${JSON.stringify(exports.get(name))}]`;
  });
  const key = `${JSON.stringify(module.from)}: import0`;
  if (!out.includes(key)) throw new Error(`the glue has no import object keyed ${JSON.stringify(module.from)}`);
  return out.replace(key, `${JSON.stringify(module.to)}: import0`);
}

/** index.html with the `integrity` of the tag that loads `file` set to `hash`. */
export function withIntegrity(html, file, hash) {
  let found = 0;
  const out = html.replace(/<link\b[^>]*>/g, (tag) => {
    if (!tag.includes(`href="/${file}"`)) return tag;
    found++;
    return tag.replace(/integrity="[^"]*"/, `integrity="${hash}"`);
  });
  if (!found) throw new Error(`index.html has no link to /${file}`);
  return out;
}

const sri = (bytes) => `sha384-${createHash('sha384').update(bytes).digest('base64')}`;

function main() {
  if (process.env.TRUNK_PROFILE !== 'release') return;
  const dir = process.env.TRUNK_STAGING_DIR;
  const wasmFile = readdirSync(dir).find((f) => f.endsWith('_bg.wasm'));
  const glueFile = wasmFile.replace(/_bg\.wasm$/, '.js');
  const wasmPath = join(dir, wasmFile);
  const gluePath = join(dir, glueFile);
  const before = importsOf(readFileSync(wasmPath));
  const local = join(process.env.TRUNK_SOURCE_DIR ?? '.', 'node_modules/.bin/wasm-opt');
  const wasmOpt = existsSync(local) ? local : 'wasm-opt';
  // One more -Oz in the same run: re-writing the module without it makes the code ~3 KB larger.
  const printed = execFileSync(wasmOpt, [...FEATURES, '-Oz', '--minify-imports-and-exports-and-modules', wasmPath, '-o', wasmPath], { encoding: 'utf8' });
  const mapping = JSON.parse(printed);
  const after = importsOf(readFileSync(wasmPath));
  const modules = new Set(after.map(([m]) => m));
  if (modules.size !== 1 || new Set(before.map(([m]) => m)).size !== 1) throw new Error('expected one import module');
  const glue = rewriteGlue(readFileSync(gluePath, 'utf8'), mapping, { from: before[0][0], to: [...modules][0] });
  writeFileSync(gluePath, glue);
  const htmlPath = join(dir, 'index.html');
  let html = readFileSync(htmlPath, 'utf8');
  html = withIntegrity(html, glueFile, sri(Buffer.from(glue)));
  html = withIntegrity(html, wasmFile, sri(readFileSync(wasmPath)));
  writeFileSync(htmlPath, html);
  console.log(`minify-wasm-names: ${mapping.imports.length} imports and ${mapping.exports.length} exports renamed`);
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) main();
