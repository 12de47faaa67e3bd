/** How much of each measurement a run does. */
export interface BenchConfig {
  name: 'full' | 'smoke';
  /** Turns of each kind each system runs before anything is measured (JIT, connections, caches). */
  warmupTurns: number;
  /** Turns of each kind sent one at a time, for the latency of a turn on an idle system. */
  sequentialTurns: number;
  /** Turns of each kind sent by `concurrency` conversations at once: latency under load and throughput. */
  concurrentTurns: number;
  concurrency: number;
  /** A phase starts no new turn after this many seconds (keeps a slow machine's run bounded). */
  phaseSeconds: number;
  /** Router and tool-worker processes to measure throughput with. */
  scalingWorkers: number[];
  scalingTurns: number;
  /** One-at-a-time turns of each kind whose Redis commands are counted. */
  redisTurns: number;
  /** Sessions (one one-tool turn each) whose memory is measured once they are idle. */
  memorySessions: number;
  /** The services' LOG_LEVEL (info, as `npm start` runs them). */
  logLevel: string;
}

export const FULL_RUN: BenchConfig = {
  name: 'full',
  warmupTurns: 300,
  sequentialTurns: 300,
  concurrentTurns: 3000,
  concurrency: 64,
  phaseSeconds: 15,
  scalingWorkers: [1, 2, 4],
  scalingTurns: 2000,
  redisTurns: 50,
  memorySessions: 50,
  logLevel: 'info',
};

/** Every figure of the full run, from a handful of turns: for CI, not for reading. */
export const SMOKE_RUN: BenchConfig = {
  name: 'smoke',
  warmupTurns: 4,
  sequentialTurns: 4,
  concurrentTurns: 16,
  concurrency: 8,
  phaseSeconds: 10,
  scalingWorkers: [1, 2, 4],
  scalingTurns: 16,
  redisTurns: 4,
  memorySessions: 4,
  logLevel: 'info',
};
