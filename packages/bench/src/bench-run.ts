import { cpus } from 'node:os';
import type { Redis } from 'ioredis';
import { agentSetup } from './agent-setup.ts';
import type { AgentUnderTest } from './agent-under-test.ts';
import type { BenchConfig } from './bench-config.ts';
import { type BenchPlatform, startBenchPlatform } from './bench-platform.ts';
import { startBenchRedis } from './bench-redis.ts';
import { cpuDelta, sampleCpu } from './cpu-time.ts';
import { heapUsedAfterGc } from './heap-memory.ts';
import { langGraphAgent } from './langgraph-agent.ts';
import { plainLoop } from './plain-loop.ts';
import { platformAgent } from './platform-agent.ts';
import { commandStats, keyMemory, monitorCommands, statsDelta, sum } from './redis-counters.ts';
import { type PhaseResult, round, runPhase, type TurnKind } from './workload.ts';

export const SYSTEMS = ['platform', 'plain', 'langgraph'] as const;
export type SystemId = (typeof SYSTEMS)[number];

export interface SystemFigures {
  sequential: Record<TurnKind, PhaseResult>;
  concurrent: Record<TurnKind, PhaseResult>;
  /** CPU milliseconds per one-tool turn at concurrency, every process of the system added up. */
  cpuMsPerToolTurn: number;
  cpuMsByProcess: Record<string, number>;
  /** Bytes one idle session keeps (after one one-tool turn): Redis for the platform, JS heap otherwise. */
  memoryPerIdleSessionBytes: number;
}

export interface RedisTurnCost {
  turns: number;
  /** Commands clients sent per turn; a script call counts once. */
  sentPerTurn: number;
  /** Commands Redis executed per turn, those inside scripts included (INFO commandstats). */
  executedPerTurn: number;
  /** The same, counted with MONITOR (a cross-check of the commandstats figure). */
  executedPerTurnMonitor: number;
  sentByCommand: Record<string, number>;
  sentByClient: Record<string, number>;
  inScriptsByCommand: Record<string, number>;
}

export interface BenchReport {
  startedAt: string;
  seconds: number;
  config: BenchConfig;
  machine: { cpus: number; node: string; platform: string };
  /** False when the bench ran on a shared Redis: its command counts then are approximate. */
  ownRedis: boolean;
  systems: Record<SystemId, SystemFigures>;
  /** Redis commands per turn, one turn at a time (the worst case: BullMQ's workers poll). */
  redis: Record<TurnKind, RedisTurnCost>;
  /** The same for one-tool turns at `concurrency` at once, where a worker's polls find work. */
  redisConcurrent: RedisTurnCost;
  /** The platform's idle-session memory by kind of key, in bytes per session. */
  memoryBreakdown: Record<string, number>;
  scaling: { workers: number; turnsPerSecond: number; p50Ms: number; failed: number }[];
  /** Error lines the services logged during the run (should be none). */
  serviceErrors: string[];
}

type Log = (line: string) => void;

/**
 * Starts a Redis and the platform, runs every measurement on the platform and on the two
 * in-process references against the same demo backend, and stops everything it started.
 */
export async function runBench(config: BenchConfig, log: Log = () => undefined): Promise<BenchReport> {
  const startedAt = new Date();
  const redis = await startBenchRedis();
  log(
    `redis: ${redis.own ? `own redis-server at ${redis.url}` : `shared ${redis.url} (counts approximate)`}`,
  );
  let platform: BenchPlatform | undefined;
  try {
    platform = await startBenchPlatform({ redisUrl: redis.url, logLevel: config.logLevel });
    log(`platform: api ${platform.apiUrl}, demo backend ${platform.demoUrl}, prefix ${platform.prefix}`);
    const setup = agentSetup(platform.demoUrl);
    const agents: Record<SystemId, AgentUnderTest> = {
      platform: platformAgent(platform.client),
      plain: plainLoop(setup),
      langgraph: langGraphAgent(setup),
    };
    const demoPid = platform.processes().find((entry) => entry.name === 'demo-backend')?.pid;
    const cpuLabels = (system: SystemId) => {
      const bench = { label: 'bench (client)', pid: process.pid };
      const demo = demoPid ? [{ label: 'demo-backend', pid: demoPid }] : [];
      if (system !== 'platform') return [{ label: 'agent (in-process)', pid: process.pid }, ...demo];
      return [
        bench,
        ...(platform?.processes() ?? []).map((entry) => ({ label: entry.name, pid: entry.pid })),
        ...(redis.pid ? [{ label: 'redis-server', pid: redis.pid }] : []),
      ];
    };

    for (const system of SYSTEMS) {
      log(`warm-up: ${agents[system].name}`);
      for (const kind of ['tool', 'direct'] as const) {
        await runPhase(agents[system], {
          kind,
          concurrency: 16,
          turns: config.warmupTurns,
          maxSeconds: config.phaseSeconds,
        });
      }
    }

    log('redis commands per turn');
    const countRedis = (kind: TurnKind, concurrency: number, turns: number) =>
      measureRedisCost(
        platform as BenchPlatform,
        agents.platform,
        { kind, concurrency, turns },
        config,
        redis,
      );
    const redisCost = {
      tool: await countRedis('tool', 1, config.redisTurns),
      direct: await countRedis('direct', 1, config.redisTurns),
    };
    const redisConcurrent = await countRedis('tool', config.concurrency, config.redisTurns * 8);

    log('memory per idle session');
    const memory = await measurePlatformMemory(platform, agents.platform, config);
    const referenceMemory = {
      plain: await measureHeapPerSession(agents.plain, config),
      langgraph: await measureHeapPerSession(agents.langgraph, config),
    };

    // Each measurement runs on the three systems back to back, so that a noisy neighbour on the
    // machine weighs on all three alike rather than on whichever ran at that moment.
    const measure = async (kind: TurnKind, concurrency: number, turns: number) => {
      const results = {} as Record<SystemId, { phase: PhaseResult; cpu: Map<string, number> }>;
      for (const system of SYSTEMS) {
        const agent = agents[system];
        log(`${agent.name}: ${kind === 'tool' ? 'one-tool' : 'direct'} turns, ${concurrency} at once`);
        await settle(platform as BenchPlatform);
        const before = sampleCpu(cpuLabels(system));
        const phase = await runPhase(agent, { kind, concurrency, turns, maxSeconds: config.phaseSeconds });
        results[system] = { phase, cpu: cpuDelta(before, sampleCpu(cpuLabels(system))) };
      }
      return results;
    };
    const sequentialTool = await measure('tool', 1, config.sequentialTurns);
    const sequentialDirect = await measure('direct', 1, config.sequentialTurns);
    const concurrentTool = await measure('tool', config.concurrency, config.concurrentTurns);
    const concurrentDirect = await measure('direct', config.concurrency, config.concurrentTurns);

    const systems = {} as Record<SystemId, SystemFigures>;
    for (const system of SYSTEMS) {
      const { phase, cpu } = concurrentTool[system];
      const turns = Math.max(1, phase.turns);
      systems[system] = {
        sequential: { tool: sequentialTool[system].phase, direct: sequentialDirect[system].phase },
        concurrent: { tool: phase, direct: concurrentDirect[system].phase },
        cpuMsPerToolTurn: round(sum(cpu) / turns, 2),
        cpuMsByProcess: Object.fromEntries([...cpu].map(([label, ms]) => [label, round(ms / turns, 2)])),
        memoryPerIdleSessionBytes: system === 'platform' ? memory.perSession : referenceMemory[system],
      };
    }

    const scaling: BenchReport['scaling'] = [];
    for (const workers of config.scalingWorkers) {
      await platform.scaleTo(workers);
      log(`platform: ${workers} router and tool-worker process(es)`);
      const result = await runPhase(agents.platform, {
        kind: 'tool',
        concurrency: config.concurrency,
        turns: config.scalingTurns,
        maxSeconds: config.phaseSeconds,
      });
      scaling.push({
        workers,
        turnsPerSecond: result.turnsPerSecond,
        p50Ms: result.latencyMs.p50,
        failed: result.failed,
      });
    }

    return {
      startedAt: startedAt.toISOString(),
      seconds: round((Date.now() - startedAt.getTime()) / 1000, 1),
      config,
      machine: {
        cpus: cpus().length,
        node: process.version,
        platform: `${process.platform}-${process.arch}`,
      },
      ownRedis: redis.own,
      systems,
      redis: redisCost,
      redisConcurrent,
      memoryBreakdown: memory.breakdown,
      scaling,
      serviceErrors: [...platform.errors],
    };
  } catch (error) {
    const errors = platform?.errors ?? [];
    if (errors.length === 0) throw error;
    throw new Error(`${(error as Error).message}\nthe services logged:\n${errors.join('\n')}`, {
      cause: error,
    });
  } finally {
    await platform?.stop();
    await redis.stop();
  }
}

async function measureRedisCost(
  platform: BenchPlatform,
  agent: AgentUnderTest,
  phase: { kind: TurnKind; concurrency: number; turns: number },
  config: BenchConfig,
  redis: { own: boolean; url: string },
): Promise<RedisTurnCost> {
  await settle(platform);
  const monitor = await monitorCommands(redis.url, { prefix: platform.prefix, ownRedis: redis.own });
  const before = await commandStats(platform.redis);
  const result = await runPhase(agent, { ...phase, maxSeconds: config.phaseSeconds });
  await settle(platform);
  const after = await commandStats(platform.redis);
  const counted = await monitor.stop();
  const executed = statsDelta(before, after);
  // The bench's own commands (INFO, the settle checks) are not the platform's.
  for (const [name, calls] of counted.benchSent) executed.set(name, (executed.get(name) ?? 0) - calls);
  const turns = Math.max(1, result.turns);
  const perTurn = (map: Map<string, number>) =>
    Object.fromEntries(
      [...map]
        .filter(([, calls]) => calls > 0)
        .sort((a, b) => b[1] - a[1])
        .map(([name, calls]) => [name, round(calls / turns, 2)]),
    );
  return {
    turns: result.turns,
    sentPerTurn: round(sum(counted.sent) / turns, 1),
    executedPerTurn: round(sum(executed) / turns, 1),
    executedPerTurnMonitor: round((sum(counted.sent) + sum(counted.inScripts)) / turns, 1),
    sentByCommand: perTurn(counted.sent),
    sentByClient: perTurn(counted.sentByClient),
    inScriptsByCommand: perTurn(counted.inScripts),
  };
}

/**
 * Waits until the platform has no work left (usage events counted by the budget service), so
 * that a phase's counts hold all of its turns' work and none of the next phase's.
 */
async function settle(platform: BenchPlatform): Promise<void> {
  const deadline = Date.now() + 10_000;
  const queues = ['usage', 'turns', 'tool.get_order_status'];
  while (Date.now() < deadline) {
    const lengths = await Promise.all(
      queues.flatMap((queue) => [
        platform.redis.llen(`${platform.prefix}:${queue}:wait`),
        platform.redis.llen(`${platform.prefix}:${queue}:active`),
      ]),
    );
    if (lengths.every((length) => length === 0)) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function measurePlatformMemory(
  platform: BenchPlatform,
  agent: AgentUnderTest,
  config: BenchConfig,
): Promise<{ perSession: number; breakdown: Record<string, number> }> {
  await settle(platform);
  const before = await keyMemory(platform.redis, platform.prefix);
  const result = await runPhase(agent, {
    kind: 'tool',
    concurrency: 1,
    turns: config.memorySessions,
    maxSeconds: config.phaseSeconds,
    turnsPerSession: 1,
  });
  await settle(platform);
  const after = await keyMemory(platform.redis, platform.prefix);
  const sessions = Math.max(1, result.turns);
  const breakdown = new Map<string, number>();
  let sessionBytes = 0;
  for (const [key, bytes] of after) {
    const grown = bytes - (before.get(key) ?? 0);
    if (grown === 0) continue;
    const kind = keyKind(key.slice(platform.prefix.length + 1));
    increment(breakdown, kind.name, grown);
    if (kind.keptWithSession) sessionBytes += grown;
  }
  return {
    perSession: Math.round(sessionBytes / sessions),
    breakdown: Object.fromEntries(
      [...breakdown].sort((a, b) => b[1] - a[1]).map(([kind, bytes]) => [kind, Math.round(bytes / sessions)]),
    ),
  };
}

/**
 * What a key is, and whether it lives as long as the session (its records) or goes sooner (job
 * records, kept an hour; reservations, 15 minutes; attempt counters, a day) or is shared (the
 * per-user and per-hour counters).
 */
function keyKind(key: string): { name: string; keptWithSession: boolean } {
  const [head = '', second = '', third] = key.split(':');
  if (head === 'session') return { name: `session${third ? ` ${third}` : ''}`, keptWithSession: true };
  if (head === 'turn') return { name: 'turn record', keptWithSession: true };
  if (head === 'spend' && second === 'session') return { name: 'spend session', keptWithSession: true };
  if (head === 'spend' && second === 'reservation')
    return { name: 'spend reservations (15 min)', keptWithSession: false };
  if ((head === 'spend' || head === 'usage') && (second === 'user' || second === 'global'))
    return { name: `${head} counters (shared)`, keptWithSession: false };
  if (head === 'tool-attempts') return { name: 'tool attempt counters (1 day)', keptWithSession: false };
  return { name: `queue ${head} (job records, 1 h)`, keptWithSession: false };
}

/**
 * The JS heap an in-process agent keeps per idle session. Twenty times the platform's sessions:
 * a heap's size wobbles by tens of kilobytes, which must not swamp the figure.
 */
async function measureHeapPerSession(agent: AgentUnderTest, config: BenchConfig): Promise<number> {
  const before = await heapUsedAfterGc();
  const result = await runPhase(agent, {
    kind: 'tool',
    concurrency: 1,
    turns: config.memorySessions * 20,
    maxSeconds: config.phaseSeconds,
    turnsPerSession: 1,
  });
  const after = await heapUsedAfterGc();
  return Math.max(0, Math.round((after - before) / Math.max(1, result.turns)));
}

function increment(map: Map<string, number>, key: string, by: number): void {
  map.set(key, (map.get(key) ?? 0) + by);
}

export type { Redis };
