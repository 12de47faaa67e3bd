import { connect, type Socket } from 'node:net';
import { Redis } from 'ioredis';

/** Calls per command name from `INFO commandstats` (commands run inside Lua scripts included). */
export async function commandStats(redis: Redis): Promise<Map<string, number>> {
  const text = await redis.info('commandstats');
  const calls = new Map<string, number>();
  for (const match of text.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)) {
    calls.set(match[1] as string, Number(match[2]));
  }
  return calls;
}

export function statsDelta(before: Map<string, number>, after: Map<string, number>): Map<string, number> {
  const delta = new Map<string, number>();
  for (const [name, calls] of after) {
    const change = calls - (before.get(name) ?? 0);
    if (change > 0) delta.set(name, change);
  }
  return delta;
}

export interface MonitorCount {
  /** Commands clients sent (a script call counts once, a MULTI/EXEC block as its commands). */
  sent: Map<string, number>;
  /** Commands run inside Lua scripts. */
  inScripts: Map<string, number>;
  /** Commands sent per client connection name (the service's or BullMQ's). */
  sentByClient: Map<string, number>;
  /** The bench's own commands (left out of the counts above). */
  benchSent: Map<string, number>;
}

/**
 * Watches the platform's commands with MONITOR, which tells a command a client sent from one a
 * script ran (`INFO commandstats` counts both alike). On a Redis of the bench's own every command
 * but the bench's is the platform's; on a shared one only commands that name its key prefix count.
 */
export async function monitorCommands(
  url: string,
  options: { prefix: string; ownRedis: boolean },
): Promise<{ stop(): Promise<MonitorCount> }> {
  const count: MonitorCount = {
    sent: new Map(),
    inScripts: new Map(),
    sentByClient: new Map(),
    benchSent: new Map(),
  };
  const lookup = new Redis(url, { connectionName: 'bench-lookup' });
  const namesByAddress = new Map<string, string>();
  const pending: { source: string; name: string }[] = [];
  const monitor = await openMonitor(url, (args, source) => {
    if (!options.ownRedis && !args.some((arg) => arg.includes(options.prefix))) return;
    const name = (args[0] ?? '').toLowerCase();
    if (source === 'lua') {
      increment(count.inScripts, name);
      return;
    }
    increment(count.sent, name);
    pending.push({ source, name });
  });
  return {
    async stop() {
      monitor.destroy();
      const clients = await lookup.client('LIST');
      for (const line of String(clients).split('\n')) {
        const address = /\baddr=(\S+)/.exec(line)?.[1];
        const name = /\bname=(\S*)/.exec(line)?.[1];
        if (address) namesByAddress.set(address, name || '(unnamed)');
      }
      lookup.disconnect();
      for (const { source, name } of pending) {
        const client = clientLabel(namesByAddress.get(source) ?? '(gone)');
        if (client.startsWith('bench')) {
          decrement(count.sent, name);
          increment(count.benchSent, name);
          continue;
        }
        increment(count.sentByClient, client);
      }
      return count;
    },
  };
}

/** BullMQ names its connections `<prefix>:<base64 queue name>[:w:<worker>]`; say which queue. */
function clientLabel(name: string): string {
  const match = /^[^:]+:([A-Za-z0-9+/=]+)(:w:)?/.exec(name);
  if (!match?.[1]) return name;
  const queue = Buffer.from(match[1], 'base64').toString('utf8');
  if (!/^[\x20-\x7e]+$/.test(queue)) return name;
  return `bullmq ${queue}${match[2] ? ' worker' : ''}`;
}

function increment(map: Map<string, number>, key: string): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}

function decrement(map: Map<string, number>, key: string): void {
  const left = (map.get(key) ?? 0) - 1;
  if (left > 0) map.set(key, left);
  else map.delete(key);
}

export function sum(map: Map<string, number>): number {
  let total = 0;
  for (const value of map.values()) total += value;
  return total;
}

/** Bytes per key under the prefix (`MEMORY USAGE ... SAMPLES 0`: exact, every element counted). */
export async function keyMemory(redis: Redis, prefix: string): Promise<Map<string, number>> {
  const sizes = new Map<string, number>();
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
    cursor = next;
    const pipeline = redis.pipeline();
    for (const key of keys) pipeline.memory('USAGE', key, 'SAMPLES', 0);
    const replies = (await pipeline.exec()) ?? [];
    keys.forEach((key, index) => {
      const bytes = replies[index]?.[1];
      if (typeof bytes === 'number') sizes.set(key, bytes);
    });
  } while (cursor !== '0');
  return sizes;
}

const MONITOR_LINE = /^\+\d+\.\d+ \[\d+ ([^\]]+)\] (.*)$/;
const QUOTED = /"((?:[^"\\]|\\.)*)"/g;

/**
 * MONITOR over a plain socket. ioredis's monitor mode switches to parsing monitor lines only after
 * the MONITOR reply is handled, so on a busy server a line that arrives in the same packet as
 * that reply breaks its command queue.
 */
function openMonitor(url: string, onCommand: (args: string[], source: string) => void): Promise<Socket> {
  const { hostname, port, password, username } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: hostname || '127.0.0.1', port: Number(port || 6379) }, () => {
      if (password)
        socket.write(
          `AUTH ${username ? `${decodeURIComponent(username)} ` : ''}${decodeURIComponent(password)}\r\n`,
        );
      socket.write('MONITOR\r\n');
      resolve(socket);
    });
    socket.once('error', reject);
    socket.setEncoding('utf8');
    let buffered = '';
    socket.on('data', (chunk: string) => {
      buffered += chunk;
      let newline = buffered.indexOf('\r\n');
      while (newline !== -1) {
        const line = buffered.slice(0, newline);
        buffered = buffered.slice(newline + 2);
        const match = MONITOR_LINE.exec(line);
        if (match?.[1] && match[2] !== undefined) {
          onCommand(
            [...match[2].matchAll(QUOTED)].map((quoted) => quoted[1] ?? ''),
            match[1],
          );
        }
        newline = buffered.indexOf('\r\n');
      }
    });
  });
}
