import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_CONTRACTS_DIR } from '@agentops/contracts';
import { parse, stringify } from 'yaml';

/**
 * A copy of the shipped contracts with two more agents, `support-mark` and `support-block`: the
 * support agent under the other injection policies (the shipped one strips). For CONTRACTS_DIR.
 */
export function contractsWithPolicyAgents(): { path: string; dispose(): void } {
  const path = mkdtempSync(join(tmpdir(), 'agentops-policies-'));
  cpSync(DEFAULT_CONTRACTS_DIR, path, { recursive: true });
  const support = parse(readFileSync(join(path, 'agents/support.yaml'), 'utf8')) as Record<string, unknown>;
  for (const policy of ['mark', 'block'] as const) {
    writeFileSync(
      join(path, `agents/support-${policy}.yaml`),
      stringify({ ...support, name: `support-${policy}`, injection_policy: policy }),
    );
  }
  return { path, dispose: () => rmSync(path, { recursive: true, force: true }) };
}
