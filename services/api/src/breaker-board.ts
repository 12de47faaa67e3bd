import type { CostBreakers } from '@agentops/budget';
import type { BreakerBoard, BreakerView } from '@agentops/rest';
import type { ToolGuards } from '@agentops/tools';

/** Wires the cost breakers (packages/budget) and the tool breakers (packages/tools) into one board. */
export function createBreakerBoard(cost: CostBreakers, tools: ToolGuards, toolNames: string[]): BreakerBoard {
  return {
    async list() {
      const toolViews = await Promise.all(toolNames.map((tool) => tools.breaker(tool)));
      const views: BreakerView[] = (await cost.list()).map((view) => ({ ...view }));
      for (const view of toolViews) {
        if (view.state === 'closed') continue;
        views.push({
          scope: 'tool',
          key: view.tool,
          state: view.state,
          reason: view.reason ?? '',
          ...(view.openedAtMs ? { openedAt: new Date(view.openedAtMs).toISOString() } : {}),
          ...(view.untilMs ? { until: new Date(view.untilMs).toISOString() } : {}),
        });
      }
      return views;
    },
    async reset(scope, key) {
      if (scope !== 'tool') return cost.reset(scope, key);
      if (!toolNames.includes(key) || (await tools.breaker(key)).state === 'closed') return false;
      await tools.resetBreaker(key);
      return true;
    },
  };
}
