#!/usr/bin/env node
// Writes docs/reliability.md from the results of one run of `bash scripts/reliability.sh`:
//   target/reliability/native.log   libtest output of the native checks (cargo test)
//   target/reliability/e2e.json      Playwright's JSON report of the browser checks
//   target/reliability/backend-hostile.log  the backend hostile-input test's own summary line
//   target/reliability/load.json     the load test's figures (cargo run --example load -- --out …)
// Every row of the table names the tests behind it; a row whose tests did not run, or failed,
// says so, and the script exits non-zero — a renamed test cannot silently drop out of the report.
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { execSync } from 'node:child_process';
import { ROWS } from './reliability-rows.mjs';

const root = new URL('..', import.meta.url).pathname;
const read = (p) => readFileSync(root + p, 'utf8');

/** libtest output → [{ binary, name, status }] ("Running tests/api.rs (…)" names the binary). */
export function parseLibtest(text) {
  const out = [];
  let binary = '';
  for (const line of text.split('\n')) {
    const running = line.match(/^\s*Running (?:unittests )?(\S+)/);
    if (running) binary = running[1];
    const doc = line.match(/^\s*Doc-tests (\S+)/);
    if (doc) binary = `doc:${doc[1]}`;
    const t = line.match(/^test (\S+) \.\.\. (ok|FAILED|ignored)/);
    if (t) out.push({ binary, name: t[1], status: t[2] === 'ok' ? 'passed' : t[2] === 'ignored' ? 'skipped' : 'failed' });
  }
  return out;
}

/** Playwright JSON report → [{ file, title, status, annotations }]. */
export function parsePlaywright(report) {
  const out = [];
  const walk = (suite, titles) => {
    for (const s of suite.suites || []) walk(s, [...titles, s.title]);
    for (const spec of suite.specs || []) {
      for (const t of spec.tests || []) {
        const results = t.results || [];
        const last = results[results.length - 1];
        const status = last ? (last.status === 'passed' ? 'passed' : last.status === 'skipped' ? 'skipped' : 'failed') : 'skipped';
        out.push({ file: spec.file, title: [...titles, spec.title].filter(Boolean).join(' › '), status, annotations: t.annotations || [] });
      }
    }
  };
  for (const s of report.suites || []) walk(s, []);
  return out;
}

function matches(row, native, e2e) {
  const found = [];
  for (const sel of row.tests) {
    if (sel.native) found.push(...native.filter((t) => t.binary.includes(sel.native) && (!sel.name || sel.name.test(t.name))).map((t) => ({ ...t, label: t.name })));
    if (sel.e2e) found.push(...e2e.filter((t) => t.file.endsWith(sel.e2e) && (!sel.title || sel.title.test(t.title))).map((t) => ({ ...t, label: t.title })));
  }
  return found;
}

function main() {
  const native = existsSync(root + 'target/reliability/native.log') ? parseLibtest(read('target/reliability/native.log')) : [];
  const e2e = existsSync(root + 'target/reliability/e2e.json') ? parsePlaywright(JSON.parse(read('target/reliability/e2e.json'))) : [];
  const load = existsSync(root + 'target/reliability/load.json') ? JSON.parse(read('target/reliability/load.json')) : null;
  const corpus = JSON.parse(read('tests/corpus/hostile-inputs.json')).cases;
  const logs = { backendHostile: existsSync(root + 'target/reliability/backend-hostile.log') ? read('target/reliability/backend-hostile.log') : '' };
  const ctx = { corpus, load, native, e2e, logs };

  let problems = 0;
  const lines = [];
  // The commit and changes the checks ran on, as reliability.sh recorded them when it started
  // (else the tree now); this run's own outputs do not count as changes.
  const recorded = (f) => (existsSync(root + f) ? read(f) : null);
  const commit = (recorded('target/reliability/commit') ?? execSync('git rev-parse --short HEAD', { cwd: root }).toString()).trim();
  const changes = recorded('target/reliability/changes') ?? execSync('git status --porcelain --untracked-files=no', { cwd: root }).toString();
  const changed = changes.split('\n').filter((l) => l.trim() && !/ (docs\/reliability\.md|bench\/load-results\.json)$/.test(l));
  const dirty = changed.length ? ' (with uncommitted changes)' : '';
  lines.push('# Reliability');
  lines.push('');
  lines.push(`Produced by \`bash scripts/reliability.sh\` on ${new Date().toISOString().slice(0, 10)}, commit ${commit}${dirty}; every result below comes from that run${load ? ` (the load test ${load.quick ? 'in its quick form' : 'in full'})` : ''}. Rerun it to check them; \`--no-build\` reuses \`dist/\` and the release backend, \`--quick\` runs the small load test. The "Checked by" commands run one row's tests on their own (the Playwright ones need \`dist/\` and the release backend built).`);
  lines.push('');
  let section = '';
  for (const row of ROWS) {
    if (row.section !== section) {
      section = row.section;
      lines.push('', `## ${section}`, '', '| What was tried | Result | Checked by |', '|---|---|---|');
    }
    let result;
    let by;
    if (row.figures) {
      const f = row.figures(ctx);
      result = f.ok ? `✅ ${f.text}` : `❌ ${f.text}`;
      if (!f.ok) problems++;
      by = row.by;
    } else {
      const found = matches(row, native, e2e);
      const failed = found.filter((t) => t.status === 'failed');
      const passed = found.filter((t) => t.status === 'passed');
      if (!found.length) {
        result = '❌ not run (no test matched)';
        problems++;
      } else if (failed.length) {
        result = `❌ ${failed.length} of ${found.length} failed: ${failed.map((t) => t.label).join('; ')}`;
        problems++;
      } else {
        const extra = row.detail ? ` ${row.detail(ctx, passed)}` : '';
        result = `✅ ${passed.length} test${passed.length === 1 ? '' : 's'} passed${extra}`;
      }
      by = row.by;
    }
    lines.push(`| ${row.tried} | ${result} | ${by} |`);
  }
  lines.push('');
  lines.push(...(ROWS.notes || []));
  // --out FILE writes elsewhere (CI checks the rows without touching docs/).
  const at = process.argv.indexOf('--out');
  const out = at > 0 ? process.argv[at + 1] : root + 'docs/reliability.md';
  writeFileSync(out, lines.join('\n').replace(/\n{3,}/g, '\n\n') + '\n');
  console.log(`${out} written; ${problems} row(s) not passing`);
  for (const l of lines.filter((l) => l.includes('| ❌'))) console.log(l.slice(0, 300));
  process.exit(problems ? 1 : 0);
}

if (import.meta.url === `file://${process.argv[1]}`) main();
