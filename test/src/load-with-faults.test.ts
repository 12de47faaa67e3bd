import { DEFAULT_FAULT_MIX, runLoad } from '@agentops/load';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPlatform, type TestPlatform } from './platform.ts';

/** A small run of `npm run load` in CI; the closing note of the reliability issue has a long one. */
let platform: TestPlatform;
beforeAll(async () => {
  platform = await startPlatform({ routers: 2 });
});
afterAll(async () => {
  await platform?.stop();
});

describe('load with faults', () => {
  it('ends every accepted turn (none lost) under a mix of healthy and failing orders', async () => {
    const report = await runLoad({
      apiUrl: platform.apiUrl,
      apiKey: platform.keys.client?.key ?? '',
      sessions: 24,
      turnsPerSession: 3,
      concurrency: 12,
      faults: DEFAULT_FAULT_MIX,
    });
    expect(report.lost).toBe(0);
    expect(report.completed + report.escalated + report.failed + report.refused).toBe(report.turns);
    expect(report.completed).toBeGreaterThan(0);
    expect(report.latencyMs.p99).toBeGreaterThanOrEqual(report.latencyMs.p50);
  });
});
