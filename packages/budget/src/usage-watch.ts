import type { UsageEvent } from '@agentops/core';
import type { BudgetLimits } from './budget-limits.ts';
import { budgetWindows } from './budget-windows.ts';
import type { CostBreakers } from './cost-breakers.ts';
import type { SpendScope } from './cost-ledger.ts';
import type { RecordedUsage } from './usage-ledger.ts';

export interface BreakerOpening {
  scope: SpendScope;
  key: string;
  costMicros: number;
  limitMicros: number;
}

/**
 * The budget service's second line of defence: after counting an event, opens every breaker
 * whose limit the counted usage has reached. The router's reservations normally refuse first;
 * this catches spend that reached the ledger some other way (a settle lost in a crash).
 */
export async function openBreakersAtLimit(
  breakers: CostBreakers,
  limits: BudgetLimits,
  sessionTtlMs: number,
  event: UsageEvent,
  usage: Extract<RecordedUsage, { counted: true }>,
): Promise<BreakerOpening[]> {
  const windows = budgetWindows(Date.parse(event.at) || Date.now());
  const candidates = [
    {
      scope: 'session' as const,
      key: event.sessionId,
      cost: usage.sessionCostMicros,
      limit: limits.sessionMicros,
      ttl: sessionTtlMs,
    },
    {
      scope: 'user' as const,
      key: `${event.tenant}:${event.userId}`,
      cost: usage.userDayCostMicros,
      limit: limits.userDailyMicros,
      ttl: windows.msToDayEnd,
    },
    {
      scope: 'global' as const,
      key: 'global',
      cost: usage.globalHourCostMicros,
      limit: limits.globalHourlyMicros,
      ttl: windows.msToHourEnd,
    },
  ];
  const opened: BreakerOpening[] = [];
  for (const { scope, key, cost, limit, ttl } of candidates) {
    if (cost < limit) continue;
    const reason = `usage reached the limit: ${cost} of ${limit} micro-USD`;
    if (await breakers.open(scope, key, reason, Math.max(1, ttl))) {
      opened.push({ scope, key, costMicros: cost, limitMicros: limit });
    }
  }
  return opened;
}
