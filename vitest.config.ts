import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'vitest/config';

/**
 * Four projects, one command. Each test file runs in its own process (`forks`): chdb binds one
 * data directory per process, so files must not share one.
 */
export default defineConfig({
  test: {
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 120_000,
    projects: [
      {
        test: {
          name: 'unit',
          include: [
            'packages/*/src/**/*.test.ts',
            'backend/src/**/*.test.ts',
            'batches/src/**/*.test.ts',
            'website/src/**/*.test.ts',
            'test/unit/**/*.test.ts',
          ],
        },
      },
      {
        test: {
          name: 'integration',
          include: [
            'packages/*/test/**/*.test.ts',
            'backend/test/**/*.test.ts',
            'batches/test/**/*.test.ts',
            'website/test/**/*.test.ts',
            'test/integration/**/*.test.ts',
          ],
          globalSetup: ['packages/testkit/src/global-setup.ts'],
          testTimeout: 120_000,
        },
      },
      {
        plugins: [vue()],
        test: {
          name: 'dashboard',
          include: ['dashboard/src/**/*.test.ts', 'dashboard/test/**/*.test.ts'],
          environment: 'happy-dom',
        },
      },
      {
        test: {
          name: 'browser',
          include: ['test/browser/**/*.test.ts'],
          globalSetup: ['packages/testkit/src/global-setup.ts'],
          testTimeout: 120_000,
          // One Chromium at a time on two cores.
          fileParallelism: false,
          // A screen waiting for its answer may take seconds on a loaded machine; 1 s (the default) made CI flaky.
          expect: { poll: { timeout: 10_000 } },
        },
      },
    ],
  },
});
