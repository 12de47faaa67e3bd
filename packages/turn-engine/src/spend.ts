/**
 * What the engine needs of the cost ledger (packages/budget's CostLedger): reserve a call's worst
 * case before it, settle the real cost after, and the session's spend so far.
 */
export type SpendReservation = {
  kind: 'reserved';
  reservationId: string;
  ledgers: string[];
  amountMicros: number;
};

export type SpendRefusal = {
  kind: 'refused';
  scope: 'session' | 'user' | 'global';
  spentMicros: number;
  limitMicros: number;
  breakerOpened: boolean;
};

export interface SpendLedger {
  reserve(
    owner: { sessionId: string; tenant: string; userId: string },
    reservationId: string,
    amountMicros: number,
  ): Promise<SpendReservation | SpendRefusal>;
  settle(reservation: SpendReservation, costMicros: number, tokens: number): Promise<boolean>;
  sessionSpend(sessionId: string): Promise<{ spentMicros: number; reservedMicros: number; tokens: number }>;
}

export interface TokenBudget {
  sessionTokens: number;
  /** Share of the budget past which older turns are summarised before the next call. */
  warningRatio: number;
}
