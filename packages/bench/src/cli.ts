#!/usr/bin/env node
/**
 * `npm run bench [-- --smoke] [-- --out FILE]`: starts a Redis of its own and the platform, measures
 * it and the two in-process references, prints the table and writes it, with every detail, as
 * JSON to bench-results/<timestamp>.json (or FILE).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { REPO_ROOT } from '@agentops/launcher';
import { FULL_RUN, SMOKE_RUN } from './bench-config.ts';
import { formatDetails } from './bench-details.ts';
import { runBench } from './bench-run.ts';
import { benchTable, formatTable } from './bench-table.ts';

const { values } = parseArgs({
  options: {
    smoke: { type: 'boolean', default: false },
    out: { type: 'string' },
  },
});

const config = values.smoke ? SMOKE_RUN : FULL_RUN;
const log = (line: string) => process.stderr.write(`bench: ${line}\n`);
const report = await runBench(config, log);
const table = benchTable(report);
const file =
  values.out ??
  join(REPO_ROOT, 'bench-results', `${report.startedAt.replaceAll(':', '-').replace(/\..*$/, '')}.json`);
mkdirSync(dirname(file), { recursive: true });
writeFileSync(file, `${JSON.stringify({ table, report }, null, 2)}\n`);

console.log(`\n${formatTable(table)}\n`);
console.log(formatDetails(report));
console.log(`\n${config.name} run in ${report.seconds} s; written to ${file}`);
if (report.serviceErrors.length > 0) {
  console.log(`\nthe services logged errors during the run:\n${report.serviceErrors.join('\n')}`);
}
const failed = Object.values(report.systems).some((system) =>
  [...Object.values(system.sequential), ...Object.values(system.concurrent)].some(
    (phase) => phase.failed > 0,
  ),
);
process.exit(failed ? 1 : 0);
