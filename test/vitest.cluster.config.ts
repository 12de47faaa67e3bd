import { defineConfig } from 'vitest/config';

/**
 * The end-to-end suite again, on a local Redis Cluster of 3 masters (src/cluster/global-setup.ts).
 * A representative subset keeps CI time modest (about two minutes): the whole turn path and its
 * Lua scripts (skeleton), tool contracts with breakers and confirmations, ordering and
 * backpressure with two routers, crash recovery of stalled jobs, SIGTERM under load, a fault mix,
 * the escalation desk (its queue, scripts and SSE over pub/sub), token budgets, traces and
 * metrics kept in Redis, and what only a cluster shows (cluster/*.test.ts: one slot, the probes,
 * the prefix check, a master failover). The files left out build their own connections from a
 * plain URL (budgets, incident-replay) or restart a single Redis (redis-restart).
 */
export default defineConfig({
  test: {
    include: [
      'src/cluster/*.test.ts',
      'src/skeleton.test.ts',
      'src/tool-contracts.test.ts',
      'src/ordering-and-backpressure.test.ts',
      'src/crash-safety.test.ts',
      'src/graceful-shutdown.test.ts',
      'src/load-with-faults.test.ts',
      'src/escalation-desk.test.ts',
      'src/token-budget.test.ts',
      'src/observability.test.ts',
    ],
    globalSetup: ['src/cluster/global-setup.ts'],
    fileParallelism: false,
    testTimeout: 90_000,
    hookTimeout: 60_000,
  },
});
