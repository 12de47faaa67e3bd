/**
 * `npm start`: the whole platform on one machine with one command. Finds or starts Redis, makes
 * dev API keys, starts the services in dependency order with their logs interleaved and
 * readable, prints how to call the API, and stops everything in reverse order on Ctrl-C.
 *
 * Settings (env; everything else is passed on to the services as it is):
 *   REDIS_URL          use this Redis (must answer); unset: 127.0.0.1:6379, else a spawned redis-server
 *   API_KEYS           the api's keys; unset: dev keys kept in .data/dev-keys.json
 *   PORT               the api's port (default 8080)
 *   DEMO_PORT          the demo backend's port (default 8081)
 *   LAUNCHER_SERVICES  comma-separated subset to run, e.g. `demo-backend,router,tool-worker`
 *                      (they still start in dependency order; default: all)
 *   LAUNCHER_LOCAL_REDIS_PORT  where to look for a local Redis (default 6379)
 *   NO_COLOR / FORCE_COLOR     colours are used on a TTY unless NO_COLOR is set
 */
import { join } from 'node:path';
import { type DevKeys, ensureDevKeys } from './dev-keys.ts';
import { type ResolvedRedis, redactUrl, resolveRedis } from './redis-resolution.ts';
import {
  REPO_ROOT,
  type RunningService,
  SERVICE_NAMES,
  type ServiceLogLine,
  type ServiceName,
  startService,
} from './service-process.ts';

const DATA_DIR = join(REPO_ROOT, '.data');
/** Longer than a service's own shutdown deadline (SHUTDOWN_TIMEOUT_MS, default 10 s, + 2 s). */
const STOP_GRACE_MS = (Number(process.env.SHUTDOWN_TIMEOUT_MS) || 10_000) + 5_000;
/**
 * Under `npm start` one Ctrl-C arrives twice: from the terminal and forwarded by npm. A repeat
 * this soon after the first is that echo, not a second Ctrl-C.
 */
const DUPLICATE_SIGNAL_MS = 500;

// ---------------------------------------------------------------------------------------------
// Output

const useColour =
  process.env.FORCE_COLOR !== undefined && process.env.FORCE_COLOR !== '' && process.env.FORCE_COLOR !== '0'
    ? true
    : !process.env.NO_COLOR && process.stdout.isTTY === true;
const paint = (code: string) => (text: string) => (useColour ? `\x1b[${code}m${text}\x1b[0m` : text);
const bold = paint('1');
const dim = paint('2');
const red = paint('31');
const green = paint('32');
const yellow = paint('33');
const SERVICE_COLOURS: Record<ServiceName, (text: string) => string> = {
  'demo-backend': paint('36'),
  api: paint('35'),
  router: paint('34'),
  'tool-worker': paint('33'),
  budget: paint('32'),
};
const LEVEL_COLOURS: Record<string, (text: string) => string> = {
  fatal: paint('41;97'),
  error: red,
  warn: yellow,
  info: green,
  debug: dim,
  trace: dim,
};
const NAME_WIDTH = Math.max('launcher'.length, ...SERVICE_NAMES.map((name) => name.length));
/** Fields every line has, or that the prefix already says; span ids matter in the collector, not on a terminal. */
const QUIET_FIELDS = new Set(['level', 'time', 'msg', 'service', 'pid', 'hostname', 'v', 'span_id']);

// A closed stdout (`npm start | head`) must not crash the launcher and orphan the services.
process.stdout.on('error', () => {});

function say(text: string): void {
  const prefix = bold('launcher'.padEnd(NAME_WIDTH));
  for (const line of text.split('\n')) process.stdout.write(`${prefix} ${dim('|')} ${line}\n`);
}

function printServiceLine(name: ServiceName, line: ServiceLogLine | string): void {
  const prefix = `${SERVICE_COLOURS[name](name.padEnd(NAME_WIDTH))} ${dim('|')} `;
  process.stdout.write(`${prefix}${formatLine(line)}\n`);
}

/** `12:00:01 INFO  msg key=value ...` from a pino line; raw text stays as it is. */
function formatLine(line: ServiceLogLine | string): string {
  if (typeof line === 'string') return line;
  const level = typeof line.level === 'string' ? line.level : 'info';
  const time = typeof line.time === 'string' ? line.time.slice(11, 19) : '';
  const parts = [
    dim(time),
    (LEVEL_COLOURS[level] ?? ((text: string) => text))(level.toUpperCase().padEnd(5)),
  ];
  const message = line.msg ?? '';
  parts.push(line.msg === 'ready' ? bold(message) : message);
  let stack: string | undefined;
  for (const [key, value] of Object.entries(line)) {
    if (QUIET_FIELDS.has(key) || value === undefined) continue;
    if (key === 'err' && typeof value === 'object' && value !== null) {
      const error = value as { message?: unknown; type?: unknown; stack?: unknown; code?: unknown };
      const text = [error.type, error.code, error.message]
        .filter((part) => typeof part === 'string')
        .join(': ');
      parts.push(red(`err=${text || JSON.stringify(value)}`));
      if ((level === 'error' || level === 'fatal') && typeof error.stack === 'string') stack = error.stack;
      continue;
    }
    parts.push(dim(`${key}=`) + fieldValue(value));
  }
  const text = parts.filter(Boolean).join(' ');
  if (!stack) return text;
  const frames = stack.split('\n').slice(1, 6);
  return [text, ...frames.map((frame) => dim(`    ${frame.trim()}`))].join('\n');
}

function fieldValue(value: unknown): string {
  const text = typeof value === 'string' && !/\s/.test(value) ? value : JSON.stringify(value);
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}

// ---------------------------------------------------------------------------------------------
// Lifecycle

/** The services to run: all, or LAUNCHER_SERVICES' subset, always in dependency order. */
function selectServices(setting: string | undefined): ServiceName[] {
  if (setting === undefined || setting.trim() === '') return [...SERVICE_NAMES];
  const wanted = setting
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean);
  const unknown = wanted.filter((name) => !(SERVICE_NAMES as readonly string[]).includes(name));
  if (unknown.length > 0) {
    throw new Error(
      `LAUNCHER_SERVICES: unknown service ${unknown.join(', ')}; known: ${SERVICE_NAMES.join(', ')}`,
    );
  }
  return SERVICE_NAMES.filter((name) => wanted.includes(name));
}

/** A host to connect to for a service that listens on `host` (a wildcard means any local one). */
function connectHost(host: string | undefined): string {
  if (!host || host === '0.0.0.0' || host === '::' || host === '[::]') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}

const running: RunningService[] = [];
const readyHosts = new Map<ServiceName, string>();
/** Services that said their port was taken: the hint about PORT / DEMO_PORT is worth printing. */
const portInUse = new Set<ServiceName>();
const startupAbort = new AbortController();
let redis: ResolvedRedis | undefined;
/** The startup step in flight (Redis, or one service): shutdown waits for it to settle. */
let pending: Promise<unknown> | undefined;
let stopping: Promise<never> | undefined;
let exitCode = 0;
let firstSignalAt = 0;

function onLine(name: ServiceName, line: ServiceLogLine | string): void {
  if ((typeof line === 'string' ? line : JSON.stringify(line)).includes('EADDRINUSE')) portInUse.add(name);
  if (typeof line === 'object' && line.msg === 'ready' && typeof line.host === 'string') {
    readyHosts.set(name, line.host);
  }
  printServiceLine(name, line);
}

/** Stops services in reverse start order, then a Redis we started, then exits with `code`. */
function shutdown(code: number): Promise<never> {
  exitCode = Math.max(exitCode, code);
  if (stopping) return stopping;
  startupAbort.abort();
  stopping = (async () => {
    await pending?.catch(() => {});
    for (const service of [...running].reverse()) {
      if (service.child.exitCode !== null || service.child.signalCode !== null) continue;
      say(`stopping ${service.name}`);
      const code = await service.stop(STOP_GRACE_MS);
      if (code === null) say(yellow(`${service.name} did not stop in ${STOP_GRACE_MS} ms and was killed`));
      else if (code !== 0) say(yellow(`${service.name} stopped with code ${code}`));
    }
    if (redis?.stop) {
      say('stopping redis-server');
      await redis.stop();
    }
    say(exitCode === 0 ? 'stopped' : red(`stopped (exit code ${exitCode})`));
    process.exit(exitCode);
  })();
  return stopping;
}

function onSignal(signal: NodeJS.Signals): void {
  const now = Date.now();
  if (!stopping) {
    firstSignalAt = now;
    say(`${signal}: stopping everything (Ctrl-C again to kill at once)`);
    void shutdown(0);
    return;
  }
  if (now - firstSignalAt < DUPLICATE_SIGNAL_MS) return;
  say(red(`${signal} again: killing everything now`));
  for (const service of running) service.child.kill('SIGKILL');
  // Redis gets SIGTERM even now: it exits in moments and keeps its append-only file whole.
  void redis?.stop?.();
  process.exit(130);
}

function watch(service: RunningService): void {
  service.exited.then((code) => {
    if (stopping) return;
    const how = code === null ? `by ${service.child.signalCode ?? 'a signal'}` : `with code ${code}`;
    say(red(`${service.name} exited unexpectedly ${how}; stopping everything`));
    if (portInUse.has(service.name)) sayPortHint(service.name);
    void shutdown(1);
  });
}

function serviceEnv(name: ServiceName, redisUrl: string, keys: DevKeys): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, REDIS_URL: redisUrl };
  switch (name) {
    case 'demo-backend':
      env.PORT = process.env.DEMO_PORT || '8081';
      break;
    case 'api':
      env.PORT = process.env.PORT || '8080';
      env.API_KEYS = keys.apiKeys;
      break;
    case 'tool-worker': {
      const demo = running.find((service) => service.name === 'demo-backend');
      if (demo?.port !== undefined) {
        env.DEMO_BACKEND_URL = `http://${connectHost(readyHosts.get('demo-backend'))}:${demo.port}`;
      }
      break;
    }
  }
  return env;
}

function reportStartFailure(name: ServiceName, error: unknown): void {
  const message = error instanceof Error ? error.message : String(error);
  const [headline = '', ...output] = message.split('\n');
  say(red(bold(`could not start ${name}: ${headline.replace(`${name} `, '')}`)));
  if (output.length > 0) {
    say(`last output of ${name}:`);
    for (const text of output) {
      let line: ServiceLogLine | string = text;
      if (text.startsWith('{')) {
        try {
          line = JSON.parse(text) as ServiceLogLine;
        } catch {}
      }
      printServiceLine(name, line);
    }
  }
  if (message.includes('EADDRINUSE') || portInUse.has(name)) sayPortHint(name);
}

function sayPortHint(name: ServiceName): void {
  const setting = name === 'demo-backend' ? 'DEMO_PORT' : 'PORT';
  say(
    yellow(
      `${name}'s port is in use: stop what listens there, or pick another with ${setting}=<port> npm start`,
    ),
  );
}

function printBanner(keys: DevKeys, services: ServiceName[], resolved: ResolvedRedis): void {
  const urlOf = (name: ServiceName) => {
    const service = running.find((candidate) => candidate.name === name);
    return service?.port === undefined
      ? undefined
      : `http://${connectHost(readyHosts.get(name))}:${service.port}`;
  };
  const api = urlOf('api');
  const demo = urlOf('demo-backend');
  const lines = [
    '',
    bold(green(`AgentOps is running: ${services.join(', ')}`)),
    `  Redis         ${redactUrl(resolved.url)} ${dim(`(${resolved.source})`)}`,
  ];
  if (demo) lines.push(`  Demo backend  ${demo}`);
  if (api) {
    lines.push(
      `  API           ${bold(api)}`,
      `  Support desk  ${api}/support ${dim('(sign in with the support key)')}`,
      `  Bull Board    ${api}/admin/queues`,
    );
    if (keys.source === 'env') {
      lines.push('', '  API keys      from API_KEYS in the environment');
      for (const entry of keys.keys) {
        lines.push(
          `    ${entry.role.padEnd(8)} ${entry.key.slice(0, 6)}... ${dim(`(tenant ${entry.tenant})`)}`,
        );
      }
    } else {
      lines.push('', `  API keys      ${dim(`(tenant default; kept in ${keys.file}, reused on restart)`)}`);
      for (const entry of keys.keys) lines.push(`    ${entry.role.padEnd(8)} ${entry.key}`);
    }
    const client =
      keys.source === 'env'
        ? '<a client key from API_KEYS>'
        : keys.keys.find((e) => e.role === 'client')?.key;
    const auth = `-H "Authorization: Bearer ${client}" -H 'Content-Type: application/json'`;
    lines.push(
      '',
      '  Try it (create a session, then send a turn and wait up to 10 s for the answer):',
      `    SESSION=$(curl -s -X POST ${api}/v1/sessions ${auth} -d '{"userId":"u1"}' | sed -E 's/.*"sessionId":"([^"]+)".*/\\1/'); echo "$SESSION"`,
      `    curl -s -X POST "${api}/v1/sessions/$SESSION/turns?wait=10" ${auth} -d '{"message":"Where is my order A1001?"}'`,
      '    npm run trace -- $SESSION',
      '',
      `  Bull Board    ${api}/admin/queues ${dim('(any user name; an ops key as the password)')}`,
      `  Metrics       ${api}/metrics ${dim('(an ops key as Bearer)')}`,
    );
  }
  lines.push('', dim('  Ctrl-C stops everything.'), '');
  // Without the `launcher |` prefix, so that the commands can be copied whole.
  process.stdout.write(`${lines.join('\n')}\n`);
}

async function main(): Promise<void> {
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, onSignal);

  let services: ServiceName[];
  try {
    services = selectServices(process.env.LAUNCHER_SERVICES);
  } catch (error) {
    say(red(error instanceof Error ? error.message : String(error)));
    return shutdown(1);
  }
  say(`starting ${services.join(', ')}`);

  const resolving = resolveRedis({ env: process.env, dataDir: DATA_DIR, log: say });
  pending = resolving;
  try {
    redis = await resolving;
  } catch (error) {
    if (stopping) return;
    say(red(error instanceof Error ? error.message : String(error)));
    await shutdown(1);
  }
  if (stopping || !redis) return;

  const keys = ensureDevKeys({ env: process.env, dataDir: DATA_DIR });
  if (keys.source === 'created') say(`made dev API keys in ${keys.file}`);

  for (const name of services) {
    if (stopping) return;
    const starting = startService({
      name,
      env: serviceEnv(name, redis.url, keys),
      onLine,
      detached: true,
      signal: startupAbort.signal,
    });
    pending = starting;
    let service: RunningService;
    try {
      service = await starting;
    } catch (error) {
      if (stopping) return;
      reportStartFailure(name, error);
      await shutdown(1);
      return;
    }
    // Pushed even when a shutdown began meanwhile: the shutdown stops it after this settles.
    running.push(service);
    watch(service);
  }
  if (stopping) return;
  printBanner(keys, services, redis);
}

// A launcher bug must still stop the services: they run in their own process groups, so
// nothing else would.
const crash = (error: unknown) => {
  say(red(`launcher failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`));
  void shutdown(1);
};
process.on('uncaughtException', crash);
main().catch(crash);
