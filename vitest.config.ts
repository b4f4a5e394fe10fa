import { defineConfig } from 'vitest/config';

// Two projects: fast unit tests (shared/ and main/ logic, in Node) and end-to-end tests that
// drive the real renderer in Debian's Chromium through playwright-core, one file at a time.
export default defineConfig({
  test: {
    reporters: ['default', './test/summary-reporter.ts'],
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          environment: 'node',
          // Units first, then the browser tests alone: on 2 cores, unit workers running beside
          // Chromium starve its rendering and make pixel checks race the next frame.
          sequence: { groupOrder: 0 },
          testTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.e2e.ts'],
          environment: 'node',
          sequence: { groupOrder: 1 },
          fileParallelism: false,
          testTimeout: 180_000,
          hookTimeout: 300_000,
        },
      },
    ],
  },
});
