import { contractsDir, loadContracts } from '@agentops/contracts';
import { describe, expect, it } from 'vitest';
import { parseLabelledPrompts, readLabelledPrompts } from './eval-cli.ts';
import { evaluateRouting } from './routing-eval.ts';

const shipped = readLabelledPrompts(new URL('../eval/labelled-prompts.jsonl', import.meta.url));
const hosted = loadContracts(contractsDir(undefined)).models.filter(
  (model) => model.provider === 'anthropic' || model.provider === 'openai',
);

describe('the routing evaluation on the shipped labelled set', () => {
  it('covers support, SQL-assistant and document-analysis work with at least 200 prompts', () => {
    expect(shipped.length).toBeGreaterThanOrEqual(200);
    const domains = new Set(shipped.map((prompt) => prompt.domain));
    expect([...domains].sort()).toEqual(['documents', 'sql', 'support']);
  });

  it('under-routes at most 5 % of prompts and keeps most of what perfect routing would save', () => {
    const result = evaluateRouting(shipped, hosted, { overheadTokens: 488 });
    console.log(
      `routing eval: accuracy ${(result.accuracy * 100).toFixed(1)} %, under-routing ${(result.underRouting * 100).toFixed(1)} %, ` +
        `savings ${(result.savings * 100).toFixed(1)} % vs all-large (perfect routing: ${(result.oracleSavings * 100).toFixed(1)} %)`,
    );
    expect(result.underRouting).toBeLessThanOrEqual(0.05);
    expect(result.accuracy).toBeGreaterThanOrEqual(0.85);
    expect(result.savings).toBeGreaterThanOrEqual(result.oracleSavings - 0.05);
    expect(result.savings).toBeGreaterThan(0.25);
  });

  it('rejects a labelled file with an unknown tier, naming the line', () => {
    const bad = '{"prompt":"hi","tier":"small"}\n{"prompt":"x","tier":"huge"}\n';
    expect(() => parseLabelledPrompts(bad)).toThrow(/line 2/);
  });
});
