// The CI size check (scripts/bundle-size.mjs --check) on a synthetic dist/: a build above the
// ceiling fails and prints its size; one below passes and says where it stands on the budget.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const script = new URL('../../scripts/bundle-size.mjs', import.meta.url).pathname;

function distWithWasmOf(bytes) {
  const dir = mkdtempSync(join(tmpdir(), 'size-check-'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>x</title>');
  writeFileSync(join(dir, 'app_bg.wasm'), randomBytes(bytes)); // random bytes do not compress
  return dir;
}

function check(dir, budget, ceiling) {
  const limits = join(dir, 'limits.json');
  writeFileSync(limits, JSON.stringify({ budget_brotli_kb: budget, ceiling_brotli_kb: ceiling }));
  return spawnSync(process.execPath, [script, dir, '--check', '--limits', limits], { encoding: 'utf8' });
}

test('a build above the ceiling fails with its size', () => {
  const run = check(distWithWasmOf(40 * 1024), 10, 20);
  assert.equal(run.status, 1);
  assert.match(run.stderr, /size check FAILED: first load 4\d\.\d KB brotli is above the ceiling of 20 KB/);
  assert.match(run.stdout, /KB over the 10 KB budget/);
});

test('a build under the ceiling but over the budget passes and says how far over it is', () => {
  const run = check(distWithWasmOf(15 * 1024), 10, 20);
  assert.equal(run.status, 0, run.stderr);
  assert.match(run.stdout, /1\d\.\d KB brotli is [0-9.]+ KB over the 10 KB budget/);
});

test('a build within the budget passes', () => {
  const run = check(distWithWasmOf(5 * 1024), 10, 10);
  assert.equal(run.status, 0, run.stderr);
  assert.match(run.stdout, /within the 10 KB budget/);
});
