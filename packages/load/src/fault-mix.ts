/** Order-id prefixes of the demo backend and the fault each one plays (ARCHITECTURE.md). */
export const FAULT_PREFIXES = ['A', 'T', 'E', 'R', 'N', 'I'] as const;
export type FaultPrefix = (typeof FAULT_PREFIXES)[number];

export type FaultMix = Record<FaultPrefix, number>;

export const DEFAULT_FAULT_MIX: FaultMix = { A: 70, T: 5, E: 5, R: 10, N: 5, I: 5 };

/** Parses `A=70,T=5,E=5` (weights, any scale); prefixes not named weigh 0. */
export function parseFaultMix(text: string): FaultMix {
  const mix: FaultMix = { A: 0, T: 0, E: 0, R: 0, N: 0, I: 0 };
  for (const part of text.split(',')) {
    const match = /^\s*([ATERNI])\s*=\s*(\d+(?:\.\d+)?)\s*$/.exec(part);
    if (!match?.[1] || !match[2])
      throw new Error(
        `--faults: "${part}" is not PREFIX=WEIGHT with a prefix among ${FAULT_PREFIXES.join(' ')}`,
      );
    mix[match[1] as FaultPrefix] = Number(match[2]);
  }
  if (Object.values(mix).every((weight) => weight === 0)) throw new Error('--faults: all weights are 0');
  return mix;
}

/** Picks a prefix with probability proportional to its weight; `random` is in [0, 1). */
export function pickFault(mix: FaultMix, random: number): FaultPrefix {
  const total = FAULT_PREFIXES.reduce((sum, prefix) => sum + mix[prefix], 0);
  let point = random * total;
  for (const prefix of FAULT_PREFIXES) {
    point -= mix[prefix];
    if (point < 0) return prefix;
  }
  return 'A';
}
