import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { freePort, ping } from '@agentops/launcher';

export interface BenchRedis {
  url: string;
  /**
   * True when the bench started this server for itself: nothing else writes to it, so the
   * deltas of `INFO commandstats` are the platform's alone.
   */
  own: boolean;
  /** The server's process, when the bench started it (for its CPU time). */
  pid?: number;
  stop(): Promise<void>;
}

/**
 * A Redis of the bench's own (`redis-server` from PATH on a free port, no persistence), so that
 * command counts are not mixed with other users of a shared server; without `redis-server` it
 * falls back to REDIS_URL (or 127.0.0.1:6379) and says that its counts are approximate.
 */
export async function startBenchRedis(env: NodeJS.ProcessEnv = process.env): Promise<BenchRedis> {
  if (spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status !== 0) {
    const url = env.REDIS_URL || 'redis://127.0.0.1:6379';
    const answer = await ping(url, 3_000);
    if (answer !== 'PONG') throw new Error(`no redis-server on PATH and ${url} does not answer (${answer})`);
    return { url, own: false, stop: async () => undefined };
  }
  const port = await freePort();
  const url = `redis://127.0.0.1:${port}`;
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { stdio: 'ignore' },
  );
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if ((await ping(url, 500)) === 'PONG')
      return { url, own: true, pid: child.pid, stop: () => stopServer(child, exited) };
    if (child.exitCode !== null) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  await stopServer(child, exited);
  throw new Error(`redis-server on port ${port} did not answer PING within 10 s`);
}

async function stopServer(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}
