import {
  defineLuaCommand,
  type LuaCommand,
  type RedisConnection,
  type RedisKeys,
  readLuaScript,
  redisKeys,
} from '@agentops/core';
import { traceBreakerTransition, withSpan } from '@agentops/telemetry';
import type { BudgetLimits } from './budget-limits.ts';
import { budgetWindows } from './budget-windows.ts';

const COMMANDS_DIR = new URL('./commands/', import.meta.url);
/** A reservation outlives any model call (timeouts are far shorter) but not a crashed router. */
const RESERVATION_TTL_MS = 15 * 60_000;
/** Window keys live a little past their window, so a late settle still finds them. */
const WINDOW_MARGIN_MS = 60 * 60_000;

export type SpendScope = 'session' | 'user' | 'global';

export interface SpendOwner {
  sessionId: string;
  tenant: string;
  userId: string;
}

export type ReserveOutcome =
  | { kind: 'reserved'; reservationId: string; ledgers: string[]; amountMicros: number }
  | { kind: 'refused'; scope: SpendScope; spentMicros: number; limitMicros: number; breakerOpened: boolean };

export interface SessionSpend {
  spentMicros: number;
  reservedMicros: number;
  tokens: number;
}

/**
 * The atomic cost ledger (invariant 3): reserve a call's worst case against the session, the user's
 * day and the platform's hour before calling, settle the real cost after, in one Lua script each,
 * in integer micro-dollars.
 */
export class CostLedger {
  private readonly redis: RedisConnection;
  private readonly keys: RedisKeys;
  private readonly limits: BudgetLimits;
  private readonly sessionTtlMs: number;
  private readonly reserveScript: LuaCommand;
  private readonly settleScript: LuaCommand;

  constructor(redis: RedisConnection, prefix: string, limits: BudgetLimits, sessionTtlSeconds: number) {
    this.redis = redis;
    this.keys = redisKeys(prefix);
    this.limits = limits;
    this.sessionTtlMs = sessionTtlSeconds * 1000;
    this.reserveScript = defineLuaCommand(
      redis,
      'agentops_reserve_spend',
      readLuaScript(COMMANDS_DIR, 'reserve-spend'),
    );
    this.settleScript = defineLuaCommand(
      redis,
      'agentops_settle_spend',
      readLuaScript(COMMANDS_DIR, 'settle-spend'),
    );
  }

  /** A `budget.reserve` span in the turn's trace; a refusal that opened a breaker is traced as a transition. */
  reserve(
    owner: SpendOwner,
    reservationId: string,
    amountMicros: number,
    nowMs = Date.now(),
  ): Promise<ReserveOutcome> {
    return withSpan(
      'budget.reserve',
      {
        'session.id': owner.sessionId,
        'budget.reservation_id': reservationId,
        'budget.amount_usd': amountMicros / 1_000_000,
      },
      async (span) => {
        const outcome = await this.reserveAtomically(owner, reservationId, amountMicros, nowMs);
        span.setAttribute('budget.outcome', outcome.kind);
        if (outcome.kind === 'refused') {
          span.setAttributes({
            'budget.refused_scope': outcome.scope,
            'budget.spent_usd': outcome.spentMicros / 1_000_000,
            'budget.limit_usd': outcome.limitMicros / 1_000_000,
          });
          if (outcome.breakerOpened) {
            traceBreakerTransition({
              scope: outcome.scope,
              key: breakerKey(owner, outcome.scope),
              transition: 'opened',
              reason: 'spend limit reached',
            });
          }
        }
        return outcome;
      },
    );
  }

  private async reserveAtomically(
    owner: SpendOwner,
    reservationId: string,
    amountMicros: number,
    nowMs: number,
  ): Promise<ReserveOutcome> {
    const windows = budgetWindows(nowMs);
    const scopes = [
      {
        scope: 'session' as const,
        label: owner.sessionId,
        ledger: this.keys.spendSession(owner.sessionId),
        breaker: this.keys.costBreaker('session', owner.sessionId),
        limit: this.limits.sessionMicros,
        ledgerTtl: this.sessionTtlMs,
        breakerTtl: this.sessionTtlMs,
      },
      {
        scope: 'user' as const,
        label: `${owner.tenant}:${owner.userId}`,
        ledger: this.keys.spendUserDay(owner.tenant, owner.userId, windows.day),
        breaker: this.keys.costBreaker('user', `${owner.tenant}:${owner.userId}`),
        limit: this.limits.userDailyMicros,
        ledgerTtl: windows.msToDayEnd + WINDOW_MARGIN_MS,
        breakerTtl: windows.msToDayEnd,
      },
      {
        scope: 'global' as const,
        label: 'global',
        ledger: this.keys.spendGlobalHour(windows.hour),
        breaker: this.keys.costBreaker('global', 'global'),
        limit: this.limits.globalHourlyMicros,
        ledgerTtl: windows.msToHourEnd + WINDOW_MARGIN_MS,
        breakerTtl: windows.msToHourEnd,
      },
    ];
    const reply = (await this.reserveScript(
      [
        this.keys.spendReservation(reservationId),
        this.keys.costBreakerIndex,
        ...scopes.flatMap((s) => [s.ledger, s.breaker]),
      ],
      [
        reservationId,
        amountMicros,
        RESERVATION_TTL_MS,
        nowMs,
        scopes.length,
        ...scopes.flatMap((s) => [s.scope, s.label, s.limit, s.ledgerTtl, Math.max(1, s.breakerTtl)]),
      ],
    )) as [string, string?, string?, string?];
    if (reply[0] === 'ok') {
      return { kind: 'reserved', reservationId, ledgers: scopes.map((s) => s.ledger), amountMicros };
    }
    const scope = reply[1] as SpendScope;
    const limit = scopes.find((s) => s.scope === scope)?.limit ?? 0;
    return {
      kind: 'refused',
      scope,
      spentMicros: Number(reply[2] ?? limit),
      limitMicros: Number(reply[3] ?? limit),
      breakerOpened: reply[0] === 'refused',
    };
  }

  /** Settles exactly once; returns false when this reservation had been settled already. */
  settle(
    reservation: Extract<ReserveOutcome, { kind: 'reserved' }>,
    costMicros: number,
    tokens: number,
  ): Promise<boolean> {
    return withSpan(
      'budget.settle',
      {
        'budget.reservation_id': reservation.reservationId,
        'budget.reserved_usd': reservation.amountMicros / 1_000_000,
        'budget.cost_usd': costMicros / 1_000_000,
      },
      async (span) => {
        const settled = await this.settleScript(
          [this.keys.spendReservation(reservation.reservationId), ...reservation.ledgers],
          [costMicros, tokens, RESERVATION_TTL_MS],
        );
        span.setAttribute('budget.settled', settled === 1);
        return settled === 1;
      },
    );
  }

  async sessionSpend(sessionId: string): Promise<SessionSpend> {
    const fields = await this.redis.hgetall(this.keys.spendSession(sessionId));
    return {
      spentMicros: Number(fields.spent ?? 0),
      reservedMicros: Number(fields.reserved ?? 0),
      tokens: Number(fields.tokens ?? 0),
    };
  }
}

/** The key a scope's breaker is filed under (as in `reserve`'s scopes). */
function breakerKey(owner: SpendOwner, scope: SpendScope): string {
  if (scope === 'session') return owner.sessionId;
  if (scope === 'user') return `${owner.tenant}:${owner.userId}`;
  return 'global';
}
