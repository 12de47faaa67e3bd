#!/usr/bin/env node
/**
 * `npm run load -- --sessions N --turns M --concurrency C --faults A=70,T=5,E=5,R=10,N=5,I=5`
 * against a running platform (`npm start`): API_URL (default http://127.0.0.1:8080) and a client
 * key from API_KEY or .data/dev-keys.json. Prints the report as a table and as JSON.
 */
import { existsSync, readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { DEFAULT_FAULT_MIX, parseFaultMix } from './fault-mix.ts';
import { runLoad } from './load-run.ts';

const { values } = parseArgs({
  options: {
    sessions: { type: 'string', default: '20' },
    turns: { type: 'string', default: '5' },
    concurrency: { type: 'string', default: '10' },
    faults: { type: 'string' },
  },
});
const number = (name: string, value: string | undefined) => {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1) {
    process.stderr.write(`--${name} must be a positive integer\n`);
    process.exit(2);
  }
  return parsed;
};

const keysFile = new URL('../../../.data/dev-keys.json', import.meta.url);
const apiKey =
  process.env.API_KEY ??
  (existsSync(keysFile)
    ? (JSON.parse(readFileSync(keysFile, 'utf8')) as { key: string; role: string }[]).find(
        (entry) => entry.role === 'client',
      )?.key
    : undefined);
if (!apiKey) {
  process.stderr.write(
    'No client key: set API_KEY, or run `npm start` first (it writes .data/dev-keys.json).\n',
  );
  process.exit(2);
}

const report = await runLoad({
  apiUrl: process.env.API_URL ?? 'http://127.0.0.1:8080',
  apiKey,
  sessions: number('sessions', values.sessions),
  turnsPerSession: number('turns', values.turns),
  concurrency: number('concurrency', values.concurrency),
  faults: values.faults ? parseFaultMix(values.faults) : DEFAULT_FAULT_MIX,
});
console.table({
  turns: report.turns,
  completed: report.completed,
  escalated: report.escalated,
  failed: report.failed,
  lost: report.lost,
  refused: report.refused,
  'latency p50 ms': report.latencyMs.p50,
  'latency p99 ms': report.latencyMs.p99,
  'cost total $': report.costUsd.total,
  'cost/turn p50 $': report.costUsd.perTurnP50,
  'cost/turn p99 $': report.costUsd.perTurnP99,
  seconds: report.seconds,
  'turns/s': report.turnsPerSecond,
});
console.log(JSON.stringify(report));
process.exit(report.lost === 0 ? 0 : 1);
