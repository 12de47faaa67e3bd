import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { searchDocs } from './docs.ts';
import { faultOf, findOrder } from './orders.ts';

export interface DemoBackendOptions {
  /** How many requests for each R-order answer 429 before it succeeds. */
  rateLimitedRequests: number;
  /** Retry-After, in seconds, that R-orders send. */
  retryAfterSeconds: number;
  /** How long a T-order keeps the request open before giving up (far beyond any tool timeout). */
  hangMs: number;
  /** Added before every order, refund, email and docs answer: makes "a tool is running" observable. */
  latencyMs: number;
  /** Between recording a side effect and answering: the window where a caller can die after it ran. */
  sideEffectDelayMs: number;
}

/** One side effect as the backend saw it: how often its idempotency key arrived and what ran. */
interface SideEffectRecord {
  kind: 'refund' | 'email';
  requests: number;
  response: Record<string, unknown>;
}

/** What the backend received; tests assert on it ("the backend saw at most N requests"). */
export interface DemoBackendStats {
  requests: number;
  byRoute: Record<string, number>;
  byOrder: Record<string, number>;
  sideEffects: Record<string, SideEffectRecord>;
  executed: { refund: number; email: number };
}

export const DEFAULT_DEMO_BACKEND_OPTIONS: DemoBackendOptions = {
  rateLimitedRequests: 2,
  retryAfterSeconds: 1,
  hangMs: 60_000,
  latencyMs: 0,
  sideEffectDelayMs: 0,
};

/**
 * The demo order system and help-center index that the built-in tools call over HTTP, with its
 * faults chosen by order id, and idempotency keys honoured the way a real payment API does.
 */
export function createDemoBackend(options: Partial<DemoBackendOptions> = {}): Server {
  const settings = { ...DEFAULT_DEMO_BACKEND_OPTIONS, ...options };
  let stats = emptyStats();
  const rateLimitSeen = new Map<string, number>();
  const hanging = new Set<ServerResponse>();

  const server = createServer((req, res) => {
    handle(req, res).catch(() => send(res, 500, { error: 'internal error' }));
  });
  server.on('close', () => {
    for (const res of hanging) res.destroy();
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://demo.local');
    const path = url.pathname;
    if (path === '/healthz') return send(res, 200, { status: 'ok' });
    if (path === '/stats' && req.method === 'GET') return send(res, 200, stats);
    if (path === '/stats/reset' && req.method === 'POST') {
      stats = emptyStats();
      rateLimitSeen.clear();
      return send(res, 200, { status: 'reset' });
    }

    stats.requests++;
    if (settings.latencyMs > 0) await sleep(settings.latencyMs);
    const order = path.match(/^\/orders\/([A-Za-z0-9]+)(\/refunds)?$/);
    if (order?.[1]) {
      const orderId = order[1];
      const route = order[2] ? 'POST /orders/:id/refunds' : 'GET /orders/:id';
      count(stats.byRoute, route);
      count(stats.byOrder, orderId);
      if (order[2] && req.method === 'POST') return refund(req, res, orderId);
      if (!order[2] && req.method === 'GET') return orderStatus(res, orderId);
      return send(res, 405, { error: 'method not allowed' });
    }
    if (path === '/emails' && req.method === 'POST') {
      count(stats.byRoute, 'POST /emails');
      return email(req, res);
    }
    if (path === '/docs/search' && req.method === 'GET') {
      count(stats.byRoute, 'GET /docs/search');
      // Replicas of the index answer in different orders: the client must sort (invariant 8).
      return send(res, 200, { hits: shuffle(searchDocs(url.searchParams.get('q') ?? '')) });
    }
    return send(res, 404, { error: 'no such route' });
  }

  /** Applies the order's fault; returns true when it has answered (or will never answer). */
  function applyFault(res: ServerResponse, orderId: string): boolean {
    switch (faultOf(orderId)) {
      case 'hang': {
        hanging.add(res);
        const timer = setTimeout(() => send(res, 504, { error: 'gateway timeout' }), settings.hangMs);
        res.on('close', () => {
          clearTimeout(timer);
          hanging.delete(res);
        });
        return true;
      }
      case 'server_error':
        send(res, 500, { error: 'the order database is unavailable' });
        return true;
      case 'rate_limited': {
        const seen = (rateLimitSeen.get(orderId) ?? 0) + 1;
        rateLimitSeen.set(orderId, seen);
        if (seen <= settings.rateLimitedRequests) {
          res.setHeader('Retry-After', String(settings.retryAfterSeconds));
          send(res, 429, { error: 'too many requests' });
          return true;
        }
        return false;
      }
      case 'not_found':
        send(res, 404, { error: `order ${orderId} was not found` });
        return true;
      default:
        return false;
    }
  }

  function orderStatus(res: ServerResponse, orderId: string): void {
    if (applyFault(res, orderId)) return;
    send(res, 200, findOrder(orderId, new Date()));
  }

  async function refund(req: IncomingMessage, res: ServerResponse, orderId: string): Promise<void> {
    const key = req.headers['idempotency-key'];
    if (typeof key !== 'string' || key.length === 0)
      return send(res, 400, { error: 'Idempotency-Key is required' });
    const body = await readJson(req);
    const previous = replay(key);
    if (previous) return send(res, 201, previous);
    if (applyFault(res, orderId)) return;
    const order = findOrder(orderId, new Date());
    const amount = typeof body?.amount_usd === 'number' ? body.amount_usd : Number.NaN;
    if (!(amount > 0)) return send(res, 422, { error: 'amount_usd must be a positive number' });
    if (amount > order.total_usd) {
      return send(res, 422, {
        error: `the refund exceeds the order total of $${order.total_usd.toFixed(2)}`,
      });
    }
    const response = {
      refund_id: `rf_${randomUUID().slice(0, 8)}`,
      order_id: orderId,
      amount_usd: amount,
      status: 'issued',
    };
    record(key, 'refund', response);
    if (settings.sideEffectDelayMs > 0) await sleep(settings.sideEffectDelayMs);
    send(res, 201, response);
  }

  async function email(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const key = req.headers['idempotency-key'];
    if (typeof key !== 'string' || key.length === 0)
      return send(res, 400, { error: 'Idempotency-Key is required' });
    const body = await readJson(req);
    const previous = replay(key);
    if (previous) return send(res, 202, previous);
    if (typeof body?.to !== 'string' || !body.to.includes('@'))
      return send(res, 422, { error: 'to must be an address' });
    const response = { message_id: `msg_${randomUUID().slice(0, 8)}`, to: body.to, status: 'queued' };
    record(key, 'email', response);
    if (settings.sideEffectDelayMs > 0) await sleep(settings.sideEffectDelayMs);
    send(res, 202, response);
  }

  /** A repeated idempotency key gets the first response and changes nothing. */
  function replay(key: string): Record<string, unknown> | undefined {
    const seen = stats.sideEffects[key];
    if (!seen) return undefined;
    seen.requests++;
    return seen.response;
  }

  function record(key: string, kind: 'refund' | 'email', response: Record<string, unknown>): void {
    stats.sideEffects[key] = { kind, requests: 1, response };
    stats.executed[kind]++;
  }

  return server;
}

function emptyStats(): DemoBackendStats {
  return { requests: 0, byRoute: {}, byOrder: {}, sideEffects: {}, executed: { refund: 0, email: 0 } };
}

function count(counter: Record<string, number>, key: string): void {
  counter[key] = (counter[key] ?? 0) + 1;
}

function send(res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown> | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > 64 * 1024) return undefined;
    chunks.push(chunk as Buffer);
  }
  try {
    const parsed: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function shuffle<T>(items: T[]): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
  }
  return copy;
}
