import { defineConfig } from 'vitest/config';

// Each file starts its own set of service processes; running files one at a time keeps a
// two-core machine from starving them.
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    fileParallelism: false,
    testTimeout: 90_000,
    hookTimeout: 60_000,
  },
});
