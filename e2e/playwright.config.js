// Playwright against the release build in ../dist (or LECHE_DIST), served on
// 127.0.0.1 by python3 -m http.server, or by Debian's nginx with the deploy/
// configuration when LECHE_SERVER=nginx (see lib/server.js), with the system
// Chromium (never a downloaded browser).
//
// tests/perf.spec.js is a benchmark, not a test: it runs only from
// scripts/bench.sh (LECHE_BENCH=1), never in the ordinary suite;
// tests/crash.spec.js runs only on the debug build (LECHE_CRASH_TEST=1).
'use strict';
const { defineConfig } = require('@playwright/test');

module.exports = defineConfig({
  testDir: './tests',
  // crash.spec.js needs a debug build (its test-only panic): scripts/test.sh runs it on dist-debug/.
  testIgnore: [
    ...(process.env.LECHE_BENCH === '1' ? [] : ['**/perf.spec.js']),
    ...(process.env.LECHE_CRASH_TEST === '1' ? [] : ['**/crash.spec.js']),
  ],
  outputDir: './test-results',
  workers: 1,
  fullyParallel: false,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [['list']],
  use: {
    browserName: 'chromium',
    headless: true,
    locale: 'es-CL',
    acceptDownloads: true,
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
      args: ['--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    },
  },
});
