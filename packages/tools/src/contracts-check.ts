#!/usr/bin/env node
/**
 * `npm run contracts:check`: lints contracts/ against the tools this platform implements. Exits
 * non-zero with one line per problem (file and field), so CI stops a contract that would let a
 * tool run unbounded or unconfirmed before any worker loads it.
 */
import { pathToFileURL } from 'node:url';
import { contractsDir, formatProblems, lintContracts } from '@agentops/contracts';
import { BUILTIN_TOOL_NAMES } from './builtin-tools.ts';

const argument = process.argv[2];
const dir = argument
  ? pathToFileURL(argument.endsWith('/') ? argument : `${argument}/`)
  : contractsDir(process.env.CONTRACTS_DIR);
const problems = lintContracts(dir, BUILTIN_TOOL_NAMES);
if (problems.length > 0) {
  process.stderr.write(`${formatProblems(problems)}\n`);
  process.stderr.write(`contracts:check: ${problems.length} problem(s) in ${dir.pathname}\n`);
  process.exit(1);
}
process.stdout.write(
  `contracts:check: ${BUILTIN_TOOL_NAMES.length} tools, contracts in ${dir.pathname} are clean\n`,
);
