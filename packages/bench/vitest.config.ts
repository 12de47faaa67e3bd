import { defineConfig } from 'vitest/config';

// The smoke run starts a Redis and the platform's processes: it needs more than the default 5 s.
export default defineConfig({ test: { testTimeout: 180_000, hookTimeout: 60_000 } });
