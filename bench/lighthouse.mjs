// Lighthouse (npm `lighthouse`, its default mobile configuration: a Moto G Power-sized screen,
// simulated slow 4G and a 4× slower CPU) on the start page and on the Customer step of a new
// onboarding, in Debian's Chromium. Used by bench/bench.mjs; also runnable on its own:
//
//   node bench/lighthouse.mjs http://127.0.0.1:8095
//
// Returns the category scores (0–100) and the audits that cost points, so a score below 100
// says why. Reports only; nothing is asserted.
import * as chromeLauncher from 'chrome-launcher';
import lighthouse from 'lighthouse';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const CATEGORIES = ['performance', 'accessibility', 'best-practices'];

export const PAGES = [
  { name: 'start', label: 'Start page', path: () => '/' },
  // A new, valid draft id opens an empty onboarding at the Customer step.
  { name: 'customer', label: 'Customer step', path: () => `/onboarding/${randomUUID()}/customer` },
];

/** Scored audits below a full score, weighted, for the categories we report. */
function lostPoints(lhr) {
  const out = [];
  for (const id of CATEGORIES) {
    for (const ref of lhr.categories[id].auditRefs) {
      const audit = lhr.audits[ref.id];
      if (ref.weight > 0 && audit.score !== null && audit.score < 1) {
        out.push({ category: id, audit: ref.id, score: audit.score, title: audit.title, displayValue: audit.displayValue ?? null });
      }
    }
  }
  return out;
}

export async function runLighthouse(baseUrl, { log = () => {}, cookie } = {}) {
  const chrome = await chromeLauncher.launch({
    chromePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    chromeFlags: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--no-first-run', '--disable-sync'],
  });
  const pages = [];
  try {
    for (const page of PAGES) {
      const url = baseUrl + page.path();
      log(`lighthouse: ${page.label} (${url})`);
      // Signed in (the session cookie), as a partner uses the pages, when the bench has one.
      const extraHeaders = cookie ? { Cookie: cookie } : undefined;
      const { lhr } = await lighthouse(url, { port: chrome.port, logLevel: 'error', onlyCategories: CATEGORIES, extraHeaders });
      const score = (id) => Math.round(lhr.categories[id].score * 100);
      const metric = (id) => lhr.audits[id]?.numericValue ?? null;
      pages.push({
        name: page.name,
        label: page.label,
        performance: score('performance'),
        accessibility: score('accessibility'),
        bestPractices: score('best-practices'),
        metricsMs: {
          firstContentfulPaint: metric('first-contentful-paint'),
          largestContentfulPaint: metric('largest-contentful-paint'),
          totalBlockingTime: metric('total-blocking-time'),
          speedIndex: metric('speed-index'),
        },
        cumulativeLayoutShift: metric('cumulative-layout-shift'),
        lostPoints: lostPoints(lhr),
        runtimeError: lhr.runtimeError?.message ?? null,
        warnings: lhr.runWarnings,
      });
    }
    const version = JSON.parse(readFileSync(new URL('../node_modules/lighthouse/package.json', import.meta.url))).version;
    return { lighthouseVersion: version, formFactor: 'mobile (defaults)', throttling: 'simulated', pages };
  } finally {
    await chrome.kill();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const base = process.argv[2] ?? 'http://127.0.0.1:8095';
  const r = await runLighthouse(base, { log: console.log });
  console.log(JSON.stringify(r, null, 2));
}
