import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createServer, isIP, connect as netConnect, type Socket } from 'node:net';
import { join } from 'node:path';
import { connect as tlsConnect } from 'node:tls';
import { parseRedisUrl, type RedisTarget, redactRedisUrl } from '@agentops/core';

export interface ResolvedRedis {
  url: string;
  /** Where the URL came from: the env, a server already on the local port, or one we started. */
  source: 'REDIS_URL' | 'local' | 'spawned';
  /** Stops a server the launcher spawned (SIGTERM, then waits for it to exit). */
  stop?: () => Promise<void>;
}

export interface ResolveRedisOptions {
  env: NodeJS.ProcessEnv;
  /** `<repo>/.data`: a spawned server keeps its append-only file under `redis/` here. */
  dataDir: string;
  log: (message: string) => void;
}

const HOW_TO_GET_REDIS = [
  'The platform needs Redis (7 or newer). Any one of these works:',
  '  - install it so that `redis-server` is on PATH and the launcher starts it for you:',
  '      apt-get install redis-server   (Debian/Ubuntu)',
  '      brew install redis              (macOS)',
  '  - run one on 127.0.0.1:6379, e.g. `docker compose up -d redis`',
  '  - point REDIS_URL at one, e.g. REDIS_URL=redis://127.0.0.1:6379 npm start',
].join('\n');

/**
 * Finds a Redis for the platform, in this order: REDIS_URL when set (it must answer, a typo is
 * not silently replaced by another server); a server on 127.0.0.1:6379; a `redis-server` from
 * PATH started on a free port with its data under `.data/redis`. Throws, saying how to get
 * Redis, when none of these works.
 *
 * LAUNCHER_LOCAL_REDIS_PORT (default 6379) moves the local probe, for testing the spawn path on
 * a machine that runs Redis on 6379.
 */
export async function resolveRedis(options: ResolveRedisOptions): Promise<ResolvedRedis> {
  const { env, dataDir, log } = options;

  const fromEnv = env.REDIS_URL?.trim();
  if (fromEnv) {
    const answer = await ping(fromEnv, 3_000);
    if (answer !== 'PONG') {
      throw new Error(
        `REDIS_URL=${redactUrl(fromEnv)} does not answer PING (${answer}).\n` +
          'Fix or unset REDIS_URL (unset, the launcher uses or starts a local Redis).',
      );
    }
    log(`using Redis at ${redactUrl(fromEnv)} (REDIS_URL)`);
    return { url: fromEnv, source: 'REDIS_URL' };
  }

  const localPort = parsePort(env.LAUNCHER_LOCAL_REDIS_PORT, 6379);
  const localUrl = `redis://127.0.0.1:${localPort}`;
  const local = await ping(localUrl, 1_000);
  if (local === 'PONG') {
    log(`using the Redis already running at ${localUrl}`);
    return { url: localUrl, source: 'local' };
  }
  if (!local.startsWith('unreachable')) {
    log(`a server on ${localUrl} answered PING with "${local}"; not using it`);
  }

  return spawnRedis(join(dataDir, 'redis'), localPort, log);
}

async function spawnRedis(
  dir: string,
  localPort: number,
  log: (message: string) => void,
): Promise<ResolvedRedis> {
  mkdirSync(dir, { recursive: true });
  const port = await freePort();
  const url = `redis://127.0.0.1:${port}`;
  const args = [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--dir',
    dir,
    '--save',
    '',
    '--appendonly',
    'yes',
  ];
  // Its own process group: a terminal's Ctrl-C must not stop Redis before the services that
  // still write to it while they shut down. The launcher stops it last.
  const child = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  const output: string[] = [];
  const remember = (chunk: Buffer) => {
    output.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    if (output.length > 30) output.splice(0, output.length - 30);
  };
  child.stdout?.on('data', remember);
  child.stderr?.on('data', remember);

  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  const failed = new Promise<Error>((resolve) => {
    child.once('error', (error: NodeJS.ErrnoException) =>
      resolve(
        error.code === 'ENOENT'
          ? new Error(
              `No Redis found: REDIS_URL is not set, nothing answers on 127.0.0.1:${localPort}, and redis-server is not on PATH.\n${HOW_TO_GET_REDIS}`,
            )
          : new Error(`could not start redis-server: ${error.message}\n${HOW_TO_GET_REDIS}`),
      ),
    );
    exited.then((code) =>
      resolve(new Error(`redis-server exited with code ${code} before it answered:\n${output.join('\n')}`)),
    );
  });

  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const outcome = await Promise.race([failed, ping(url, 500)]);
    if (outcome instanceof Error) throw outcome;
    if (outcome === 'PONG') {
      log(`started redis-server at ${url} (data in ${dir}, pid ${child.pid})`);
      return { url, source: 'spawned', stop: () => stopChild(child, exited) };
    }
    await Promise.race([failed, new Promise((resolve) => setTimeout(resolve, 100))]);
  }
  await stopChild(child, exited);
  throw new Error(`redis-server did not answer PING on ${url} within 10 s:\n${output.join('\n')}`);
}

async function stopChild(child: ChildProcess, exited: Promise<number | null>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

/**
 * Sends PING (after AUTH when the URL has a password) over a plain or TLS socket and returns
 * the reply: `PONG` for a usable server, the server's error text, or `unreachable: <reason>`.
 * A raw RESP exchange rather than a client library: the launcher only needs to know whether a
 * server answers, and must not wait through a client's reconnect loop to find out.
 */
export function ping(url: string, timeoutMs: number): Promise<string> {
  let target: RedisTarget;
  try {
    target = parseRedisUrl(url);
  } catch (error) {
    return Promise.resolve(`unreachable: ${(error as Error).message}`);
  }
  if (target.kind === 'cluster') return pingSeedNodes(target, timeoutMs);
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return Promise.resolve('unreachable: not a URL such as redis://host:6379');
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') {
    return Promise.resolve(`unreachable: ${parsed.protocol} is not redis: or rediss:`);
  }
  const host = parsed.hostname.replace(/^\[(.*)\]$/, '$1') || '127.0.0.1';
  const port = parsed.port ? Number(parsed.port) : 6379;
  const commands: string[][] = [];
  const password = decodeURIComponent(parsed.password);
  const username = decodeURIComponent(parsed.username);
  if (password) commands.push(username ? ['AUTH', username, password] : ['AUTH', password]);
  commands.push(['PING']);

  return new Promise((resolve) => {
    let socket: Socket;
    let settled = false;
    let received = '';
    const finish = (answer: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(answer);
    };
    const timer = setTimeout(() => finish(`unreachable: no answer within ${timeoutMs} ms`), timeoutMs);
    const onConnect = () => socket.write(commands.map(encodeCommand).join(''));
    socket =
      parsed.protocol === 'rediss:'
        ? tlsConnect({ host, port, servername: isIP(host) ? undefined : host }, onConnect)
        : netConnect({ host, port }, onConnect);
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      received += chunk;
      const lines = received.split('\r\n');
      // Every reply we ask for is one line: +OK, +PONG or -ERR ...
      for (const line of lines.slice(0, -1)) {
        if (line.startsWith('-')) return finish(line.slice(1));
      }
      if (lines.length - 1 >= commands.length) finish(lines[commands.length - 1]!.replace(/^\+/, ''));
    });
    socket.on('error', (error: NodeJS.ErrnoException) =>
      finish(`unreachable: ${error.code ?? error.message}`),
    );
    socket.on('close', () => finish('unreachable: connection closed'));
  });
}

/** A cluster answers when one of its seed nodes does: the clients learn the other nodes from it. */
async function pingSeedNodes(
  target: Extract<RedisTarget, { kind: 'cluster' }>,
  timeoutMs: number,
): Promise<string> {
  const scheme = target.tls ? 'rediss' : 'redis';
  const auth = target.password
    ? `${encodeURIComponent(target.username ?? '')}:${encodeURIComponent(target.password)}@`
    : '';
  let answer = 'unreachable: no seed node';
  for (const { host, port } of target.nodes) {
    answer = await ping(`${scheme}://${auth}${host.includes(':') ? `[${host}]` : host}:${port}`, timeoutMs);
    if (answer === 'PONG') break;
  }
  return answer;
}

function encodeCommand(parts: string[]): string {
  return `*${parts.length}\r\n${parts.map((part) => `$${Buffer.byteLength(part)}\r\n${part}\r\n`).join('')}`;
}

/** The URL with its password replaced, for messages. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    // A cluster URL's host list is no URL authority.
    return redactRedisUrl(url);
  }
}

function parsePort(value: string | undefined, fallback: number): number {
  if (value === undefined || value.trim() === '') return fallback;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 1 || port > 65_535) {
    throw new Error(`LAUNCHER_LOCAL_REDIS_PORT must be a port number, got "${value}"`);
  }
  return port;
}

/** A port nothing listens on right now (the OS picks it; a race is possible but unlikely). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
