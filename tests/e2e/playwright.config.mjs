// Playwright configuration for the onboarding wizard's end-to-end tests.
// Run from the repo root: `npm run e2e` (= playwright test -c tests/e2e/playwright.config.mjs).
// Runs the reference partner backend (target/release/partner-backend, built by scripts/test.sh)
// on 127.0.0.1:8089 with a fresh database, serving the release build in dist/ with
// tests/e2e/config.e2e.json as its config.json, and the demo partner dashboard (dashboard/) on
// 127.0.0.1:8090, the one parent origin that configuration allows; unless E2E_BASE_URL points at
// a running instance. (localhost:8090 is another origin, which the wizard must refuse.)
import { defineConfig, devices } from '@playwright/test';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, '..', '..');
const externalBaseURL = process.env.E2E_BASE_URL;
const baseURL = externalBaseURL || 'http://127.0.0.1:8089';

export default defineConfig({
  testDir: here,
  testMatch: /.*\.spec\.mjs$/,
  outputDir: resolve(here, '.artifacts'),
  fullyParallel: true,
  forbidOnly: !!process.env.CI,
  retries: 0,
  workers: 2,
  reporter: 'list',
  timeout: 30_000,
  expect: { timeout: 5_000 },
  use: {
    baseURL,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    actionTimeout: 10_000,
    navigationTimeout: 15_000,
  },
  projects: [
    {
      name: 'chromium',
      use: {
        ...devices['Desktop Chrome'],
        launchOptions: {
          executablePath: '/usr/bin/chromium',
          args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
        },
      },
    },
  ],
  webServer: externalBaseURL
    ? undefined
    : {
        command:
          // A fresh database with the demo partner, whose secret key the tests use as the
          // partner's own server would (tests/e2e/fixtures.mjs), then the server.
          'rm -f target/e2e/onboarding.db* target/e2e/secrets.key target/e2e/demo-partner.key && mkdir -p target/e2e && (umask 077 && target/release/partner-backend --db target/e2e/onboarding.db partners add demo --name "Demo Partner" > target/e2e/demo-partner.key) && exec target/release/partner-backend --addr 127.0.0.1:8089 --db target/e2e/onboarding.db --static dist --config tests/e2e/config.e2e.json --dashboard-addr 127.0.0.1:8090 --wizard-origin http://127.0.0.1:8089 --dashboard-key-file target/e2e/demo-partner.key',
        cwd: repoRoot,
        url: 'http://127.0.0.1:8089/',
        reuseExistingServer: !process.env.CI,
        timeout: 30_000,
        stdout: 'ignore',
        stderr: 'pipe',
      },
});
