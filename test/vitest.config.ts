import { configDefaults, defineConfig } from 'vitest/config';

// Each file starts its own set of service processes; running files one at a time keeps a
// two-core machine from starving them.
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    // Those need the Redis Cluster that vitest.cluster.config.ts starts.
    exclude: [...configDefaults.exclude, 'src/cluster/**'],
    fileParallelism: false,
    testTimeout: 90_000,
    hookTimeout: 60_000,
  },
});
