// The post-build renaming of the names the wasm and its glue share (scripts/minify-wasm-names.mjs),
// on synthetic inputs: every use is renamed, and anything the mapping cannot account for fails
// the build instead of failing in a partner's browser.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { importsOf, rewriteGlue, withIntegrity } from '../../scripts/minify-wasm-names.mjs';

const GLUE = `function __wbg_get_imports() {
    const import0 = {
        __proto__: null,
        __wbg_createElement_de4a31ed2fb252be: function(arg0) {
            return wasm.__wbindgen_malloc(arg0);
        },
        __wbindgen_init_externref_table: function() {
            const table = wasm.__wbindgen_externrefs;
        },
    };
    return {
        "./app_bg.js": import0,
    };
}
function start() { wasm.__wbindgen_start(); __wbg_init.__wbindgen_wasm_module = 1; }
`;

const MAPPING = {
  imports: [['./app_bg.js', '__wbg_createElement_de4a31ed2fb252be', 'a'], ['./app_bg.js', '__wbindgen_init_externref_table', 'b']],
  exports: [['__wbindgen_malloc', 'c'], ['__wbindgen_externrefs', 'd'], ['__wbindgen_start', 'e']],
};

test('imports, exports and the module key are renamed everywhere the glue uses them', () => {
  const out = rewriteGlue(GLUE, MAPPING, { from: './app_bg.js', to: 'a' });
  assert.match(out, /^ {8}"a": function\(arg0\) \{$/m);
  assert.match(out, /^ {8}"b": function\(\) \{$/m);
  assert.match(out, /return wasm\["c"\]\(arg0\);/);
  assert.match(out, /const table = wasm\["d"\];/);
  assert.match(out, /wasm\["e"\]\(\);/);
  assert.match(out, /"a": import0,/);
  assert.doesNotMatch(out, /__wbg_createElement|__wbindgen_malloc|\.\/app_bg\.js/);
  assert.match(out, /__wbg_init\.__wbindgen_wasm_module = 1/, 'a property merely containing "wasm" is left alone');
});

test('an import the glue does not provide fails the build', () => {
  const mapping = { ...MAPPING, imports: [...MAPPING.imports, ['./app_bg.js', '__wbg_gone_0123456789abcdef', 'z']] };
  assert.throws(() => rewriteGlue(GLUE, mapping, { from: './app_bg.js', to: 'a' }), /__wbg_gone_0123456789abcdef/);
});

test('an export the glue calls that the mapping does not rename fails the build', () => {
  const mapping = { ...MAPPING, exports: MAPPING.exports.filter(([from]) => from !== '__wbindgen_start') };
  assert.throws(() => rewriteGlue(GLUE, mapping, { from: './app_bg.js', to: 'a' }), /wasm\.__wbindgen_start/);
});

test('the integrity of the renamed files is rewritten, and only theirs', () => {
  const html = '<link rel="stylesheet" href="/main.css" integrity="sha384-css"/>'
    + '<link rel="modulepreload" href="/app.js" integrity="sha384-old">'
    + '<link rel="preload" href="/app_bg.wasm" integrity="sha384-old" as="fetch">';
  const out = withIntegrity(withIntegrity(html, 'app.js', 'sha384-newjs'), 'app_bg.wasm', 'sha384-newwasm');
  assert.equal(out, '<link rel="stylesheet" href="/main.css" integrity="sha384-css"/>'
    + '<link rel="modulepreload" href="/app.js" integrity="sha384-newjs">'
    + '<link rel="preload" href="/app_bg.wasm" integrity="sha384-newwasm" as="fetch">');
  assert.throws(() => withIntegrity(html, 'other.js', 'x'), /no link to \/other\.js/);
});

test('the import section is read from the binary', () => {
  const name = (s) => [s.length, ...Buffer.from(s)];
  const imports = [2, ...name('m'), ...name('f1'), 0, 0, ...name('m'), ...name('f2'), 0, 0];
  const bytes = Uint8Array.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0,
    1, 4, 1, 0x60, 0, 0, // one type: () -> ()
    2, imports.length, ...imports]);
  assert.deepEqual(importsOf(bytes), [['m', 'f1'], ['m', 'f2']]);
});
