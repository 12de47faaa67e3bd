import type { BenchReport } from './bench-run.ts';

/** Where the platform's time and commands go, below the table: what profiling starts from. */
export function formatDetails(report: BenchReport): string {
  const lines: string[] = [];
  const list = (title: string, entries: Record<string, number>, limit = 12) => {
    lines.push(title);
    for (const [name, value] of Object.entries(entries).slice(0, limit)) {
      lines.push(`  ${name.padEnd(44)} ${String(value).padStart(10)}`);
    }
  };
  const { platform } = report.systems;
  list('platform CPU ms per one-tool turn, by process:', platform.cpuMsByProcess);
  list('Redis commands sent per one-tool turn, by command:', report.redis.tool.sentByCommand);
  list('Redis commands sent per one-tool turn, by connection:', report.redis.tool.sentByClient);
  list('Redis commands run inside scripts per one-tool turn:', report.redis.tool.inScriptsByCommand, 8);
  list(
    `Redis commands sent per one-tool turn at ${report.config.concurrency} at once, by connection:`,
    report.redisConcurrent.sentByClient,
  );
  list('Redis bytes per session after one one-tool turn, by key:', report.memoryBreakdown);
  const failures = Object.entries(report.systems).flatMap(([system, figures]) =>
    [
      ...Object.entries(figures.sequential).map(
        ([kind, phase]) => [`${kind}, one at a time`, phase] as const,
      ),
      ...Object.entries(figures.concurrent).map(([kind, phase]) => [`${kind}, concurrent`, phase] as const),
    ]
      .filter(([, phase]) => phase.failed > 0)
      .map(
        ([label, phase]) =>
          `  ${system} ${label}: ${phase.failed} of ${phase.turns} turns did not end as expected`,
      ),
  );
  if (failures.length > 0) lines.push('FAILED TURNS:', ...failures);
  if (!report.ownRedis)
    lines.push('(shared Redis: command counts include other clients that use the prefix)');
  return lines.join('\n');
}
