/** Money is counted in integer micro-dollars so that Lua and JS add the same numbers exactly. */
export const MICROS_PER_USD = 1_000_000;

export function usdToMicros(usd: number): number {
  return Math.round(usd * MICROS_PER_USD);
}

export function microsToUsd(micros: number): number {
  return micros / MICROS_PER_USD;
}

/**
 * Price per million tokens in USD is, numerically, micro-dollars per token. Rounded up so that
 * a ledger never under-counts a call.
 */
export function tokenCostMicros(tokens: number, usdPerMillionTokens: number): number {
  // Trim floating-point noise first: 50 × 1.1 is 55.00000000000001, which must cost 55, not 56.
  return Math.ceil(Math.round(tokens * usdPerMillionTokens * 1_000_000) / 1_000_000);
}
