import { detectInjection } from '@agentops/guard';
import {
  HELD_OUT_2_BENIGN_TOOL,
  HELD_OUT_2_BENIGN_USER,
  HELD_OUT_2_TOOL_ATTACKS,
  HELD_OUT_2_USER_ATTACKS,
  HELD_OUT_BENIGN_TOOL,
  HELD_OUT_BENIGN_USER,
  HELD_OUT_TOOL_ATTACKS,
  HELD_OUT_USER_ATTACKS,
} from './held-out.ts';

export interface HeldOutFigures {
  batch: string;
  attacks: number;
  detected: number;
  benign: number;
  flagged: number;
}

/** The detector alone on text it was not tuned on (see held-out.ts): the honest estimate of its reach. */
export function heldOutFigures(): HeldOutFigures[] {
  const batches = [
    [
      'batch 1 (tuned on after first contact at 23/40 and 0/40)',
      HELD_OUT_TOOL_ATTACKS,
      HELD_OUT_USER_ATTACKS,
      HELD_OUT_BENIGN_TOOL,
      HELD_OUT_BENIGN_USER,
    ],
    [
      'batch 2 (never tuned on)',
      HELD_OUT_2_TOOL_ATTACKS,
      HELD_OUT_2_USER_ATTACKS,
      HELD_OUT_2_BENIGN_TOOL,
      HELD_OUT_2_BENIGN_USER,
    ],
  ] as const;
  return batches.map(([batch, toolAttacks, userAttacks, benignTool, benignUser]) => {
    const flagged = (texts: readonly string[], source: 'user' | 'tool') =>
      texts.filter((text) => detectInjection(text, source).flagged).length;
    return {
      batch,
      attacks: toolAttacks.length + userAttacks.length,
      detected: flagged(toolAttacks, 'tool') + flagged(userAttacks, 'user'),
      benign: benignTool.length + benignUser.length,
      flagged: flagged(benignTool, 'tool') + flagged(benignUser, 'user'),
    };
  });
}

export function formatHeldOut(figures: HeldOutFigures[]): string {
  return [
    'detector alone on text written after the suite (packages/redteam/src/held-out.ts)',
    ...figures.map(
      (f) =>
        `${f.batch}: detected ${f.detected}/${f.attacks} (${((100 * f.detected) / f.attacks).toFixed(1)} %), flagged ${f.flagged}/${f.benign} harmless (${((100 * f.flagged) / f.benign).toFixed(1)} %)`,
    ),
  ].join('\n');
}
