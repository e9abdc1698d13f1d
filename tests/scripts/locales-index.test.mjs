// The Trunk hook that lists the build's locale files for the service worker's precache
// (scripts/locales-index.mjs): every language but English (compiled into the wasm), with its
// own name and both its files; a language without its countries file fails the build.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const script = new URL('../../scripts/locales-index.mjs', import.meta.url).pathname;

function staging(files) {
  const dir = mkdtempSync(join(tmpdir(), 'locales-index-'));
  mkdirSync(join(dir, 'locales'));
  for (const [name, body] of Object.entries(files)) writeFileSync(join(dir, 'locales', name), JSON.stringify(body));
  return dir;
}

const run = (dir) => spawnSync(process.execPath, [script], { env: { ...process.env, TRUNK_STAGING_DIR: dir }, encoding: 'utf8' });

test('lists every language but English, with its own name and both files', () => {
  const dir = staging({
    'en.json': { _language_name: 'English' }, 'en.countries.json': {},
    'es.json': { _language_name: 'Español' }, 'es.countries.json': {},
    'fr.json': { _language_name: 'Français' }, 'fr.countries.json': {},
  });
  assert.equal(run(dir).status, 0);
  assert.deepEqual(JSON.parse(readFileSync(join(dir, 'locales', 'index.json'), 'utf8')), {
    languages: [
      { code: 'es', name: 'Español', files: ['/locales/es.json', '/locales/es.countries.json'] },
      { code: 'fr', name: 'Français', files: ['/locales/fr.json', '/locales/fr.countries.json'] },
    ],
  });
  rmSync(dir, { recursive: true });
});

test('a language without its countries file fails the build', () => {
  const dir = staging({ 'en.json': {}, 'de.json': { _language_name: 'Deutsch' } });
  const result = run(dir);
  assert.notEqual(result.status, 0);
  assert.match(result.stderr, /de\.countries\.json is missing/);
  rmSync(dir, { recursive: true });
});
