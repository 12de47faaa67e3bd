import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { type ContractSet, contractsDir, loadContracts } from '@agentops/contracts';
import { ModelProviderName, type ModelTier } from '@agentops/core';
import { countPromptTokens } from '@agentops/llm';
import { ANSWER_TOKENS, evaluateRouting, LabelledPrompt, type RoutingEvalResult } from './routing-eval.ts';

/**
 * `npm run routing:eval -- FILE.jsonl [--providers anthropic,openai] [--agent support|none]`
 * Routes each labelled prompt and prints accuracy, under-routing and the cost against sending
 * everything to the large tier. Without FILE, the labelled set shipped with this package.
 */
const DEFAULT_FILE = new URL('../eval/labelled-prompts.jsonl', import.meta.url);

export function readLabelledPrompts(path: string | URL): LabelledPrompt[] {
  return parseLabelledPrompts(readFileSync(path, 'utf8'));
}

/** One `{ "prompt", "tier" }` object a line; a bad line stops the run, naming the line. */
export function parseLabelledPrompts(text: string): LabelledPrompt[] {
  const lines = text.split('\n');
  const prompts: LabelledPrompt[] = [];
  for (const [index, line] of lines.entries()) {
    if (line.trim() === '') continue;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch {
      throw new Error(`line ${index + 1}: not JSON`);
    }
    const parsed = LabelledPrompt.safeParse(json);
    if (!parsed.success)
      throw new Error(`line ${index + 1}: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
    prompts.push(parsed.data);
  }
  return prompts;
}

const pct = (share: number) => `${(share * 100).toFixed(1)} %`;
const usd = (value: number) => `$${value.toFixed(4)}`;
const TIERS: ModelTier[] = ['small', 'medium', 'large'];

export function formatReport(result: RoutingEvalResult, file: string, providers: string[]): string {
  const lines = [
    `routing eval: ${result.count} prompts from ${file}`,
    `models: ${providers.join(' + ')}; all-large baseline: ${result.largeModel}`,
    '',
    `accuracy        ${pct(result.accuracy)}`,
    `under-routing   ${pct(result.underRouting)}   (needed a higher tier than it was sent to)`,
    `over-routing    ${pct(result.overRouting)}`,
    `cost routed     ${usd(result.costUsd.routed)}`,
    `cost all-large  ${usd(result.costUsd.allLarge)}`,
    `savings         ${pct(result.savings)}   (perfect routing would save ${pct(result.oracleSavings)})`,
    '',
    'labelled \\ routed   small  medium   large',
    ...TIERS.map(
      (label) =>
        `${label.padEnd(19)}${TIERS.map((routed) => String(result.confusion[label][routed]).padStart(6)).join('  ')}`,
    ),
    '',
    'domain        prompts  accuracy  under-routing',
    ...Object.entries(result.byDomain)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(
        ([domain, tally]) =>
          `${domain.padEnd(14)}${String(tally.count).padStart(7)}  ${pct(tally.correct / tally.count).padStart(8)}  ${pct(tally.under / tally.count).padStart(13)}`,
      ),
    '',
    `models chosen: ${Object.entries(result.modelsUsed)
      .map(([model, count]) => `${model} ${count}`)
      .join(', ')}`,
  ];
  return lines.join('\n');
}

/** What every call of the agent carries besides the conversation: its system prompt and tool list. */
function agentOverheadTokens(contracts: ContractSet, agent: string): number {
  if (agent === 'none') return 0;
  const profile = contracts.agents.get(agent);
  if (!profile) throw new Error(`no agent profile named ${agent} (use --agent none for bare prompts)`);
  const tools = profile.tools.flatMap((name) => {
    const contract = contracts.tools.get(name);
    return contract ? [{ name, description: contract.description, inputSchema: contract.input_schema }] : [];
  });
  return countPromptTokens(profile.system_prompt, [], tools);
}

function main(): void {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      providers: { type: 'string', default: 'anthropic,openai' },
      agent: { type: 'string', default: 'support' },
    },
  });
  const file = positionals[0] ? resolve(process.env.INIT_CWD ?? process.cwd(), positionals[0]) : DEFAULT_FILE;
  const providers = (values.providers ?? '').split(',').map((name) => ModelProviderName.parse(name.trim()));
  const contracts = loadContracts(contractsDir(process.env.CONTRACTS_DIR));
  const overheadTokens = agentOverheadTokens(contracts, values.agent ?? 'none');
  const models = contracts.models.filter((model) => providers.includes(model.provider));
  if (models.length === 0) throw new Error(`the catalogue has no model of ${providers.join(', ')}`);
  const result = evaluateRouting(readLabelledPrompts(file), models, { overheadTokens });
  console.log(formatReport(result, file instanceof URL ? file.pathname : file, providers));
  console.log(
    `each call priced with ${overheadTokens} tokens of the ${values.agent} agent's system prompt and tools, ` +
      `the prompt, and a typical answer (${Object.entries(ANSWER_TOKENS)
        .map(([tier, tokens]) => `${tier} ${tokens}`)
        .join(', ')} output tokens)`,
  );
}

if (import.meta.url === `file://${process.argv[1]}`) {
  try {
    main();
  } catch (error) {
    console.error(`routing:eval: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  }
}
