import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The repository root, found from this file so that the launcher works from any cwd. */
export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

export const SERVICE_NAMES = ['demo-backend', 'api', 'router', 'tool-worker', 'budget'] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];

/** One JSON log line of a service (pino), as far as the launcher needs it. */
export interface ServiceLogLine {
  level?: string;
  msg?: string;
  port?: number;
  [field: string]: unknown;
}

export interface ServiceProcessOptions {
  name: ServiceName;
  env: NodeJS.ProcessEnv;
  /** Every stdout line, parsed when it is JSON; raw text otherwise. */
  onLine?: (name: ServiceName, line: ServiceLogLine | string) => void;
  readyTimeoutMs?: number;
  /**
   * Runs the service in its own process group, so that a terminal's Ctrl-C reaches only the
   * parent, which then stops services in order (a service that got SIGINT from the terminal and
   * then SIGTERM from the parent would take the second signal as "exit now").
   */
  detached?: boolean;
  /** Aborting SIGTERMs a service that is still starting; startService then rejects. */
  signal?: AbortSignal;
}

export interface RunningService {
  name: ServiceName;
  child: ChildProcess;
  /** The port it listens on, for services that listen (PORT=0 picks a free one). */
  port?: number;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves with the exit code. */
  stop(graceMs?: number): Promise<number | null>;
  exited: Promise<number | null>;
}

/**
 * Starts `services/<name>/src/main.ts` with the running Node and resolves once the service logs
 * `ready` (every service logs that one event when it can take work). A service that exits or
 * stays silent first rejects with its last output, so a bad setting is reported, not hung on.
 */
export function startService(options: ServiceProcessOptions): Promise<RunningService> {
  const { name, env, onLine, readyTimeoutMs = 20_000, detached = false, signal } = options;
  const child = spawn(process.execPath, [`services/${name}/src/main.ts`], {
    cwd: REPO_ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached,
  });
  // 'close', not 'exit': it comes after stdout and stderr are drained, so the last lines (often
  // the reason a service stopped) are in `recent` and have reached `onLine`.
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  const recent: string[] = [];
  const remember = (text: string) => {
    recent.push(text);
    if (recent.length > 20) recent.shift();
  };

  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${name} did not become ready in ${readyTimeoutMs} ms:\n${recent.join('\n')}`));
    }, readyTimeoutMs);
    let ready = false;

    forEachLine(child.stdout, (text) => {
      remember(text);
      const line = parseLine(text);
      onLine?.(name, line);
      if (!ready && typeof line === 'object' && line.msg === 'ready') {
        ready = true;
        clearTimeout(timer);
        resolve({
          name,
          child,
          port: typeof line.port === 'number' ? line.port : undefined,
          exited,
          stop: stopper(child, exited),
        });
      }
    });
    forEachLine(child.stderr, (text) => {
      remember(text);
      onLine?.(name, text);
    });
    exited.then((code) => {
      signal?.removeEventListener('abort', abort);
      if (ready) return;
      clearTimeout(timer);
      reject(new Error(`${name} exited with code ${code} before it was ready:\n${recent.join('\n')}`));
    });
    // Without a listener a failed spawn (or kill) would throw from the event emitter.
    child.on('error', (error) => {
      if (ready) return;
      clearTimeout(timer);
      reject(new Error(`${name} could not be started: ${error.message}`));
    });
    const abort = () => {
      if (!ready) child.kill('SIGTERM');
    };
    if (signal?.aborted) abort();
    else signal?.addEventListener('abort', abort, { once: true });
  });
}

function stopper(child: ChildProcess, exited: Promise<number | null>) {
  return async (graceMs = 15_000): Promise<number | null> => {
    if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    const code = await exited;
    clearTimeout(timer);
    return code;
  };
}

function parseLine(text: string): ServiceLogLine | string {
  if (!text.startsWith('{')) return text;
  try {
    return JSON.parse(text) as ServiceLogLine;
  } catch {
    return text;
  }
}

function forEachLine(stream: NodeJS.ReadableStream | null, handle: (line: string) => void): void {
  if (!stream) return;
  let buffered = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    buffered += chunk;
    let newline = buffered.indexOf('\n');
    while (newline !== -1) {
      const line = buffered.slice(0, newline).trimEnd();
      buffered = buffered.slice(newline + 1);
      if (line) handle(line);
      newline = buffered.indexOf('\n');
    }
  });
}
