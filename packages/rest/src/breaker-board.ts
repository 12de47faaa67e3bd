import { z } from 'zod';

export const BreakerScope = z.enum(['session', 'user', 'global', 'tool']);
export type BreakerScope = z.infer<typeof BreakerScope>;

/** One breaker as `GET /v1/breakers` shows it (API.md). */
export interface BreakerView {
  scope: BreakerScope;
  key: string;
  state: 'open' | 'half_open' | 'closed';
  reason: string;
  openedAt?: string;
  until?: string;
}

/**
 * Every breaker of the platform, cost and tool alike, as ops see and reset them. The API
 * service composes it from packages/budget and packages/tools, which the REST layer need not know.
 */
export interface BreakerBoard {
  list(): Promise<BreakerView[]>;
  /** Returns false when the breaker was not open (nothing to reset). */
  reset(scope: BreakerScope, key: string): Promise<boolean>;
}
