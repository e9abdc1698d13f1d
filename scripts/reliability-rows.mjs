// The rows of docs/reliability.md: what each check tries, and which tests (or figures) decide its
// result. Selectors: { native: '<test binary path part>', name: /test name/ } for cargo tests,
// { e2e: '<spec file>', title: /test title/ } for Playwright. scripts/reliability-report.mjs
// fills in the results of one run; a row whose tests are missing fails the report.

const E2E = 'npx playwright test -c tests/e2e/playwright.config.mjs';
const code = (s) => `\`${s}\``;

const hostileBrowser = (ctx, passed) => {
  const runs = passed.flatMap((t) => t.annotations.filter((a) => a.type === 'hostile-input').map((a) => JSON.parse(a.description)));
  if (!runs.length) return '';
  const fields = Math.max(...runs.map((r) => r.fields));
  const pairs = runs.reduce((n, r) => n + r.fields, 0);
  const accepted = runs.reduce((n, r) => n + r.accepted, 0);
  return `(${runs.length} cases × ${fields} fields = ${pairs} answers: ${accepted} accepted, shown back and stored exactly; ${pairs - accepted} refused with their message beside the field and in the summary)`;
};

const hostileBackend = (ctx) => {
  const line = (ctx.logs.backendHostile || '').match(/hostile inputs: (\d+) cases x (\d+) fields = (\d+) submissions: (\d+) accepted and stored exactly, (\d+) refused/);
  return line ? `(${line[1]} cases × ${line[2]} fields = ${line[3]} submissions: ${line[4]} stored byte for byte, ${line[5]} refused with a 422 on that field)` : '';
};

const ms = (v) => `${v} ms`;
const load = (phase) => (ctx) => {
  const p = ctx.load?.[phase];
  if (!p) return { ok: false, text: 'no load results (target/reliability/load.json)' };
  const c = p.checks;
  const intact = c.lost === 0 && c.duplicated === 0 && c.integrity_check === 'ok' && c.problems === 0;
  const other5xx = Object.entries(p.statuses).filter(([s]) => s >= 500 && s !== '503').reduce((n, [, v]) => n + v, 0);
  const shedOk = p.shed_503 === p.shed_503_with_retry_after_and_json;
  const ok = intact && other5xx === 0 && shedOk && ctx.load.passed;
  const base = `${p.clients} clients, ${p.http_requests.toLocaleString('en')} requests in ${p.seconds} s: ${Math.round(p.requests_per_second).toLocaleString('en')} req/s, p50 / p95 / p99 ${ms(p.latency_ms.p50)} / ${ms(p.latency_ms.p95)} / ${ms(p.latency_ms.p99)}`;
  const shed = phase === 'saturation' ? `; ${p.shed_503.toLocaleString('en')} shed with 503 (${p.shed_503_with_retry_after_and_json.toLocaleString('en')} with Retry-After and the JSON body)` : '';
  const mix = phase === 'steady' ? `; ${p.mix.replay.toLocaleString('en')} replays and ${p.mix.contested.toLocaleString('en')} contested keys answered with the original result (${p.repeat_201_for_an_accepted_key.toLocaleString('en')} repeat 201s), ${p.mix.conflict.toLocaleString('en')} conflicts refused with 409` : '';
  const checks = `; ${c.lost} lost, ${c.duplicated} duplicated, ${other5xx} other 5xx, ${c.rows.toLocaleString('en')} rows for ${c.keys_answered_201.toLocaleString('en')} accepted keys, integrity_check ${c.integrity_check}`;
  return { ok, text: base + mix + shed + checks };
};

export const ROWS = [
  // Hostile input
  {
    section: 'Hostile input (the cases in tests/corpus/hostile-inputs.json)',
    tried: 'Every case typed into every field of every step in Chromium (the multi-line case pasted from the clipboard), then Next: no script runs, the value is shown back as text (inputs, Review, confirmation), a rule it breaks gets its message beside the field and in the summary, nothing else typed is lost; the accepted values are submitted and the stored onboarding holds each exactly',
    tests: [{ e2e: 'hostile-input.spec.mjs', title: /^hostile input "/ }],
    detail: hostileBrowser,
    by: code(`${E2E} hostile-input`),
  },
  {
    section: 'Hostile input (the cases in tests/corpus/hostile-inputs.json)',
    tried: 'Control characters (tab, NUL, escape, C1) refused in single-line answers with a message in English and Spanish; a right-to-left override cannot reorder the words around an answer; markup in names is literal text everywhere',
    tests: [
      { e2e: 'hostile-input.spec.mjs', title: /Spanish too|right-to-left override/ },
      { e2e: 'markup-safety.spec.mjs' },
      { native: 'control_characters' },
    ],
    by: `${code(`${E2E} hostile-input markup-safety`)}, ${code('cargo test -p onboarding-core --test control_characters')}`,
  },
  {
    section: 'Hostile input (the cases in tests/corpus/hostile-inputs.json)',
    tried: 'Every case in every text field of the submission, posted to the backend over HTTP: a 201 and the field stored byte for byte where the shared rules accept it, else a 422 naming exactly that field; never a 5xx or a dropped connection; explicit checks for markup, 10,000 characters, characters not bytes, spaces, quotes, invisible characters in emails, non-Latin text',
    tests: [{ native: 'hostile_input' }],
    detail: hostileBackend,
    by: code('cargo test -p partner-backend --test hostile_input'),
  },
  // Fuzzing
  {
    section: 'Fuzzing (proptest; FUZZ_SCALE=10 for a deeper run)',
    tried: 'The draft decoder and every reader of stored or received text (confirmation, config.json, the host\'s init message, 422 bodies): arbitrary strings and bytes, mutations of a valid entry (keys dropped, wrong types, number extremes, deep nesting, truncation); whatever decodes re-encodes to itself',
    tests: [{ native: 'fuzz_draft_codec' }],
    by: code('cargo test -p onboarding-core --test fuzz_draft_codec'),
  },
  {
    section: 'Fuzzing (proptest; FUZZ_SCALE=10 for a deeper run)',
    tried: 'Every validator on drafts whose every text field is hostile (any Unicode, runs of 20,000 characters, near-misses of each format): no panic, every error names a field, browser and backend verdicts agree',
    tests: [{ native: 'fuzz_validators' }],
    by: code('cargo test -p onboarding-core --test fuzz_validators'),
  },
  {
    section: 'Fuzzing (proptest; FUZZ_SCALE=10 for a deeper run)',
    tried: 'The backend\'s router in-process: arbitrary bodies × content types × Idempotency-Key headers, arbitrary methods and paths: only documented statuses, every refusal the JSON error body, never a 5xx',
    tests: [{ native: 'request_fuzz' }],
    by: code('cargo test -p partner-backend --test request_fuzz'),
  },
  {
    section: 'Fuzzing (proptest; FUZZ_SCALE=10 for a deeper run)',
    tried: 'Found cases kept as regression tests: `/api/` fell through to the app; a non-UTF-8 id got a plain-text 400; a shed request\'s connection reset',
    tests: [{ native: 'regressions' }, { native: 'load_shedding', name: /body_arrives_late/ }],
    by: code('cargo test -p partner-backend --test regressions --test load_shedding'),
  },
  // Faults
  ...[
    ['Backend down (connection refused)', /network failure \(backend down\)/],
    ['Backend slow: an answer after 30 s (the page says it is still waiting, gives up at 20 s and retries) and after 8 s (taken as usual)', /^a slow partner system/],
    ['500, then success: retried with a countdown, one onboarding created', /a 500 then success/],
    ['502 with an HTML body: "error 502" in plain words, none of the HTML shown', /a 502 with an HTML body/],
    ['201 with truncated JSON: not taken for success; Retry gets the same onboarding', /JSON is cut short/],
    ['422 naming a field the form does not have: shown plainly on Review, not swallowed', /naming fields the form does not have/],
    ['422 on a real field: the error on that field of its step', /a 422 on a contact email/],
    ['409 (same key, different body): said plainly, the draft kept', /a 409 keeps the draft/],
    ['Offline at Submit: waits in the outbox, sent when back online', /^offline: the submission waits/],
  ].map(([tried, title]) => ({
    section: 'Faults (each shows a plain message; the test then reads the draft back from localStorage, every answer intact)',
    tried,
    tests: [{ e2e: 'submission-faults.spec.mjs', title }],
    by: code(`${E2E} submission-faults`),
  })),
  ...[
    ['Storage full (quota) or writes throwing: editing goes on in memory with a warning, the device catches up', /editing goes on in memory/],
    ['Storage throwing on access (blocked, sandboxed), and coming back', /throws on access/],
    ['A corrupt entry and one from a newer schema version beside a good draft: both reported and kept as they were', /corrupt entry and one from a newer version/],
    ['Two tabs on one draft: the idle tab adopts, the busy tab asks before anything is overwritten', /^two tabs/],
  ].map(([tried, title]) => ({
    section: 'Faults (each shows a plain message; the test then reads the draft back from localStorage, every answer intact)',
    tried,
    tests: [{ e2e: 'storage-robustness.spec.mjs', title }],
    by: code(`${E2E} storage-robustness`),
  })),
  // Security policy
  {
    section: 'Security policy',
    tried: 'Every page route\'s CSP: no unsafe-inline or unsafe-eval, wasm-unsafe-eval only, Trunk\'s inline loader allowed by its hash, frame-ancestors from allowed_parent_origins; the same headers on every response',
    tests: [{ e2e: 'security.spec.mjs', title: /every page route/ }, { native: 'tests/site.rs', name: /security_headers|own_hash/ }],
    by: `${code(`${E2E} security`)}, ${code('cargo test -p partner-backend --test site')}`,
  },
  {
    section: 'Security policy',
    tried: 'A hostile origin framing the wizard: blocked by frame-ancestors, or (allowed by CSP, not by config) the refusal page, no message, storage untouched',
    tests: [{ e2e: 'embedding.spec.mjs', title: /outside frame-ancestors|not allowed gets the refusal page/ }],
    by: code(`${E2E} embedding`),
  },
  {
    section: 'Security policy',
    tried: 'Messages posted to the wizard from a hostile origin, before and after the parent\'s init (also from another window of the parent\'s origin): ignored, no answer, nothing changed',
    tests: [{ e2e: 'embedding.spec.mjs', title: /messages from another origin|forged messages/ }],
    by: code(`${E2E} embedding`),
  },
  {
    section: 'Security policy',
    tried: 'No secret or token in storage or URLs: a whole PBX-path onboarding with a distinctive password; localStorage, sessionStorage, caches and every URL requested are searched; stored drafts checked against an allow-list written from the spec; no CSP violation',
    tests: [{ e2e: 'security.spec.mjs', title: /password is nowhere|allow-list check finds/ }, { e2e: 'pbx-password.spec.mjs' }],
    by: code(`${E2E} security pbx-password`),
  },
  // Load
  {
    section: 'Load (the real backend and 50 or 500 clients on one 2-core machine, over loopback)',
    tried: 'Steady: new submissions, replays with the same key and body, contested keys sent at once by several clients, conflicts (same key, other body); then every accepted key looked up in the database file',
    figures: load('steady'),
    by: code('cargo run --release -p partner-backend --example load'),
  },
  {
    section: 'Load (the real backend and 50 or 500 clients on one 2-core machine, over loopback)',
    tried: 'Past saturation (limit: --max-concurrent-requests 64): new submissions from 500 clients; shed requests retried after Retry-After',
    figures: load('saturation'),
    by: code('cargo run --release -p partner-backend --example load'),
  },
  {
    section: 'Load (the real backend and 50 or 500 clients on one 2-core machine, over loopback)',
    tried: 'Shedding as a test: requests past a tiny limit get 503 + Retry-After at once and are accepted on retry; a burst gets only 201 or 503 and one row per key; a database locked past its busy timeout answers 503; a request whose body stalls is answered 408 after the body-read timeout and frees its place',
    tests: [{ native: 'load_shedding' }],
    by: code('cargo test -p partner-backend --test load_shedding'),
  },
];

ROWS.notes = [
  '## Notes',
  '',
  '- **Decisions**: control characters (C0/C1) are refused in single-line answers with their own code, `control_characters`; format characters (zero-width joiners, bidi marks) are allowed, since emoji and right-to-left names need them, and every answer shown back is bidi-isolated. Chromium turns line breaks pasted into a single-line field into spaces, and email fields strip surrounding ASCII whitespace; the tests assert what the browser does rather than assume it. Only the API sheds load (the app\'s static files never do); an accepted (201) onboarding is on disk before the answer (`synchronous=FULL`), because the wizard deletes its local draft on a 201.',
  '- **Timings** depend on the machine and whatever else runs on it; the load figures are reported, never asserted. The load command exits non-zero only when a correctness check fails (lost, duplicated, corrupt, an unexpected status).',
  '- **Slow clients**: an admitted request must deliver its body within 10 s (at most 1 MiB), else it is answered 408 and its place is freed, so clients trickling their bodies cannot hold the 64 API places.',
];
