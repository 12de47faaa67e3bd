import { describe, expect, it } from 'vitest';
import { parseFaultMix, pickFault } from './fault-mix.ts';

describe('the fault mix', () => {
  it('parses weights and picks prefixes in proportion to them', () => {
    const mix = parseFaultMix('A=3,T=1');
    expect(mix).toEqual({ A: 3, T: 1, E: 0, R: 0, N: 0, I: 0 });
    expect(pickFault(mix, 0)).toBe('A');
    expect(pickFault(mix, 0.74)).toBe('A');
    expect(pickFault(mix, 0.76)).toBe('T');
  });

  it('names the part it cannot read', () => {
    expect(() => parseFaultMix('A=1,X=2')).toThrow(/"X=2"/);
    expect(() => parseFaultMix('A=0')).toThrow(/all weights are 0/);
  });
});
