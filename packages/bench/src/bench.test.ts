import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { SMOKE_RUN } from './bench-config.ts';
import { type BenchReport, SYSTEMS } from './bench-run.ts';
import type { TableRow } from './bench-table.ts';

const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'agentops-bench-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('npm run bench -- --smoke', () => {
  it('measures every figure on the platform and both references, prints one table and writes it as JSON', async () => {
    const file = join(dir, 'smoke.json');
    const cli = new URL('./cli.ts', import.meta.url).pathname;
    const { stdout } = await run(process.execPath, [cli, '--smoke', '--out', file], { timeout: 150_000 });
    const { table, report } = JSON.parse(readFileSync(file, 'utf8')) as {
      table: TableRow[];
      report: BenchReport;
    };

    expect(stdout).toContain('× LangGraph');
    for (const row of table) {
      expect(stdout).toContain(row.figure);
      expect(Number.isFinite(row.platform)).toBe(true);
      if (row.unit !== 'commands') {
        expect(row.plain).not.toBeNull();
        expect(row.vsLangGraph).not.toBeNull();
      }
    }
    expect(table.map((row) => row.figure)).toEqual(
      expect.arrayContaining([
        'direct turn p50, one at a time',
        'one-tool turn p99, one at a time',
        `one-tool turn p50, ${SMOKE_RUN.concurrency} at once`,
        `throughput, one-tool turns, ${SMOKE_RUN.concurrency} at once`,
        'CPU per one-tool turn, all processes',
        'memory per idle session (Redis / JS heap)',
        'Redis commands per one-tool turn, sent, one at a time',
        'Redis commands per one-tool turn, executed, one at a time',
        `Redis commands per one-tool turn, sent, ${SMOKE_RUN.concurrency} at once`,
        'throughput, one-tool, 1 router + 1 tool worker',
        'throughput, one-tool, 2 router + 2 tool workers',
        'throughput, one-tool, 4 router + 4 tool workers',
      ]),
    );

    for (const system of SYSTEMS) {
      const figures = report.systems[system];
      for (const phase of [...Object.values(figures.sequential), ...Object.values(figures.concurrent)]) {
        expect(phase.failed).toBe(0);
        expect(phase.turns).toBeGreaterThan(0);
      }
    }
    expect(report.redis.tool.sentPerTurn).toBeGreaterThan(0);
    expect(report.redis.tool.executedPerTurn).toBeGreaterThanOrEqual(report.redis.tool.sentPerTurn);
    expect(report.systems.platform.memoryPerIdleSessionBytes).toBeGreaterThan(0);
    expect(report.serviceErrors).toEqual([]);
  });
});
