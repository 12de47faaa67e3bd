import { describe, expect, it } from 'vitest';
import { MICROS_PER_USD, microsToUsd, tokenCostMicros, usdToMicros } from './money.ts';

describe('money', () => {
  it('counts a dollar as a million micro-dollars', () => {
    expect(MICROS_PER_USD).toBe(1_000_000);
    expect(usdToMicros(1)).toBe(1_000_000);
    expect(microsToUsd(2_500_000)).toBe(2.5);
  });

  it('converts dollars to whole micro-dollars without float noise', () => {
    expect(usdToMicros(0.1 + 0.2)).toBe(300_000);
    expect(usdToMicros(19.99)).toBe(19_990_000);
    expect(Number.isInteger(usdToMicros(0.0000015))).toBe(true);
  });

  it('prices tokens at the per-million list price as micro-dollars per token', () => {
    expect(tokenCostMicros(1_000_000, 3)).toBe(3_000_000);
    expect(tokenCostMicros(1000, 15)).toBe(15_000);
    expect(tokenCostMicros(0, 15)).toBe(0);
  });

  it('rounds a fraction of a micro-dollar up so the ledger never under-counts', () => {
    expect(tokenCostMicros(1, 0.8)).toBe(1);
    expect(tokenCostMicros(3, 0.8)).toBe(3); // 2.4 µ$
    expect(tokenCostMicros(7, 0.075)).toBe(1); // 0.525 µ$
  });

  it('charges an exact product exactly, even when floating point overshoots it', () => {
    // 50 × 1.1 is 55.00000000000001 in floating point; the call costs 55 µ$, not 56.
    expect(tokenCostMicros(50, 1.1)).toBe(55);
    expect(tokenCostMicros(100, 1.1)).toBe(110);
    expect(tokenCostMicros(1_000_000, 1.1)).toBe(1_100_000);
  });
});
