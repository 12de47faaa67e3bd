import type { BenchReport, SystemFigures } from './bench-run.ts';
import { round } from './workload.ts';

export interface TableRow {
  figure: string;
  unit: string;
  platform: number;
  plain: number | null;
  langgraph: number | null;
  /** platform ÷ in-process loop, and platform ÷ LangGraph.js (null where a reference has no such figure). */
  vsPlain: number | null;
  vsLangGraph: number | null;
  /** The aim for this figure, and whether this run met it. */
  aim?: { text: string; met: boolean };
}

/** Every figure of a run, one row each, with its ratio to each reference. */
export function benchTable(report: BenchReport): TableRow[] {
  const { platform, plain, langgraph } = report.systems;
  const c = report.config.concurrency;
  const rows: TableRow[] = [];
  const compare = (
    figure: string,
    unit: string,
    pick: (system: SystemFigures) => number,
    aim?: (row: TableRow) => TableRow['aim'],
  ) => {
    const row = withRatios(figure, unit, pick(platform), pick(plain), pick(langgraph));
    if (aim) row.aim = aim(row);
    rows.push(row);
  };
  const atMostLangGraph = (row: TableRow) => ({
    text: '≤ 1× LangGraph.js',
    met: row.vsLangGraph !== null && row.vsLangGraph <= 1,
  });
  const twiceLangGraph = (row: TableRow) => ({
    text: '≥ 2× LangGraph.js',
    met: row.vsLangGraph !== null && row.vsLangGraph >= 2,
  });

  compare('direct turn p50, one at a time', 'ms', (s) => s.sequential.direct.latencyMs.p50);
  compare('direct turn p99, one at a time', 'ms', (s) => s.sequential.direct.latencyMs.p99);
  compare('one-tool turn p50, one at a time', 'ms', (s) => s.sequential.tool.latencyMs.p50, atMostLangGraph);
  compare('one-tool turn p99, one at a time', 'ms', (s) => s.sequential.tool.latencyMs.p99);
  compare(`direct turn p50, ${c} at once`, 'ms', (s) => s.concurrent.direct.latencyMs.p50);
  compare(`direct turn p99, ${c} at once`, 'ms', (s) => s.concurrent.direct.latencyMs.p99);
  compare(`one-tool turn p50, ${c} at once`, 'ms', (s) => s.concurrent.tool.latencyMs.p50);
  compare(`one-tool turn p99, ${c} at once`, 'ms', (s) => s.concurrent.tool.latencyMs.p99);
  compare(`throughput, direct turns, ${c} at once`, 'turns/s', (s) => s.concurrent.direct.turnsPerSecond);
  compare(
    `throughput, one-tool turns, ${c} at once`,
    'turns/s',
    (s) => s.concurrent.tool.turnsPerSecond,
    twiceLangGraph,
  );
  compare('CPU per one-tool turn, all processes', 'ms', (s) => s.cpuMsPerToolTurn);
  compare('memory per idle session (Redis / JS heap)', 'bytes', (s) => s.memoryPerIdleSessionBytes);

  const redisRow = (figure: string, value: number, aim?: TableRow['aim']) =>
    rows.push({
      figure,
      unit: 'commands',
      platform: value,
      plain: null,
      langgraph: null,
      vsPlain: null,
      vsLangGraph: null,
      ...(aim ? { aim } : {}),
    });
  const tool = report.redis.tool;
  redisRow('Redis commands per one-tool turn, sent, one at a time', tool.sentPerTurn, {
    text: '≤ 30',
    met: tool.sentPerTurn <= 30,
  });
  redisRow('Redis commands per one-tool turn, executed, one at a time', tool.executedPerTurn);
  redisRow(`Redis commands per one-tool turn, sent, ${c} at once`, report.redisConcurrent.sentPerTurn);
  redisRow(
    `Redis commands per one-tool turn, executed, ${c} at once`,
    report.redisConcurrent.executedPerTurn,
  );
  redisRow('Redis commands per direct turn, sent, one at a time', report.redis.direct.sentPerTurn);
  redisRow('Redis commands per direct turn, executed, one at a time', report.redis.direct.executedPerTurn);

  for (const step of report.scaling) {
    rows.push(
      withRatios(
        `throughput, one-tool, ${step.workers} router + ${step.workers} tool worker${step.workers > 1 ? 's' : ''}`,
        'turns/s',
        step.turnsPerSecond,
        plain.concurrent.tool.turnsPerSecond,
        langgraph.concurrent.tool.turnsPerSecond,
      ),
    );
  }
  return rows;
}

function withRatios(
  figure: string,
  unit: string,
  platform: number,
  plain: number,
  langgraph: number,
): TableRow {
  const ratio = (reference: number) => (reference > 0 ? round(platform / reference, 2) : null);
  return { figure, unit, platform, plain, langgraph, vsPlain: ratio(plain), vsLangGraph: ratio(langgraph) };
}

/** The table as text for a terminal. */
export function formatTable(rows: TableRow[]): string {
  const header = [
    'figure',
    'unit',
    'platform',
    'in-process loop',
    'LangGraph.js',
    '× loop',
    '× LangGraph',
    'aim',
  ];
  const cells = rows.map((row) => [
    row.figure,
    row.unit,
    formatNumber(row.platform),
    row.plain === null ? '–' : formatNumber(row.plain),
    row.langgraph === null ? '–' : formatNumber(row.langgraph),
    row.vsPlain === null ? '–' : `${row.vsPlain}×`,
    row.vsLangGraph === null ? '–' : `${row.vsLangGraph}×`,
    row.aim ? `${row.aim.text} ${row.aim.met ? 'met' : 'NOT met'}` : '',
  ]);
  const widths = header.map((title, column) =>
    Math.max(title.length, ...cells.map((line) => (line[column] ?? '').length)),
  );
  const numeric = new Set([2, 3, 4, 5, 6]);
  const render = (line: string[]) =>
    line
      .map((cell, column) =>
        numeric.has(column) ? cell.padStart(widths[column] ?? 0) : cell.padEnd(widths[column] ?? 0),
      )
      .join('  ')
      .trimEnd();
  const rule = widths.map((width) => '-'.repeat(width)).join('  ');
  return [render(header), rule, ...cells.map(render)].join('\n');
}

function formatNumber(value: number): string {
  if (Number.isInteger(value)) return value.toLocaleString('en-US');
  return value.toLocaleString('en-US', { maximumFractionDigits: value < 10 ? 2 : 1 });
}
