import { defineConfig } from 'vitest/config';

// End-to-end tests against a real control plane (test/e2e/harness/controlPlane.ts).
// Build the binaries first with hack/envtest.sh; without them the suites skip (fail under CI=true).
export default defineConfig({
  test: {
    include: ['test/e2e/**/*.e2e.test.ts'],
    pool: 'forks',
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 180_000,
  },
});
