import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineConfig } from 'vitest/config';

// Servers the tests boot in-process keep their data in a fresh directory, never the project's data/.
const testDataDir = mkdtempSync(join(tmpdir(), 'roundtrip-test-data-'));

// Three projects: pure unit tests beside the code, integration tests that boot the
// real server, and browser tests that drive Chromium against it (with the benchmarks'
// smoke runs, which boot servers and Chromium of their own). Colyseus keeps
// one matchmaker per process, so server-booting files run one at a time.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: [
            'packages/*/src/**/*.test.ts',
            'packages/*/bench/**/*.test.ts',
            'apps/*/src/**/*.test.ts',
          ],
          // The statistical checks (queues, Mathis) simulate for seconds; 5 s is too tight on a busy 2-core machine.
          testTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'server',
          include: ['test/server/**/*.test.ts'],
          env: { DATA_DIR: testDataDir },
          fileParallelism: false,
          testTimeout: 30_000,
          hookTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'browser',
          include: ['test/e2e/**/*.test.ts', 'test/bench/**/*.test.ts'],
          env: { DATA_DIR: testDataDir },
          fileParallelism: false,
          testTimeout: 120_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
