import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One scripted answer: what the fake provider sends back to the next request it receives. */
export interface ScriptedReply {
  status?: number;
  headers?: Record<string, string>;
  body: unknown;
  /** Waits this long before answering (to be slower than a client's timeout). */
  delayMs?: number;
}

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: Record<string, unknown>;
}

/**
 * Checks a request the way the real API would; returns a rejection (status and error body) for a
 * request the real provider would refuse, so a test cannot pass on a request production rejects.
 */
export type WireCheck = (request: RecordedRequest) => { status: number; body: unknown } | undefined;

/**
 * A local HTTP server that plays a model provider for the official SDKs (`baseURL` points here).
 * Each test scripts the answers in order; the server records every request it received.
 */
export class FakeProviderServer {
  readonly requests: RecordedRequest[] = [];
  private readonly replies: ScriptedReply[] = [];
  private readonly server: Server;
  private readonly check: WireCheck;
  private readonly basePath: string;
  private readonly unscripted: () => ScriptedReply;

  private constructor(options: { check: WireCheck; basePath: string; unscripted: () => ScriptedReply }) {
    this.check = options.check;
    this.basePath = options.basePath;
    this.unscripted = options.unscripted;
    this.server = createServer((req, res) => {
      this.handle(req, res).catch(() => res.destroy());
    });
  }

  static async start(options: {
    check: WireCheck;
    basePath: string;
    unscripted: () => ScriptedReply;
  }): Promise<FakeProviderServer> {
    const fake = new FakeProviderServer(options);
    fake.server.listen(0, '127.0.0.1');
    await once(fake.server, 'listening');
    return fake;
  }

  /** The base URL to give the SDK. */
  get url(): string {
    const { port } = this.server.address() as AddressInfo;
    return `http://127.0.0.1:${port}${this.basePath}`;
  }

  /** Queues answers for the next requests, in order. */
  script(...replies: ScriptedReply[]): this {
    this.replies.push(...replies);
    return this;
  }

  /** Answers not yet used: a test that scripted a retry can check it was consumed. */
  get pending(): number {
    return this.replies.length;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    let body: Record<string, unknown> = {};
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown>;
    } catch {
      body = {};
    }
    const recorded: RecordedRequest = {
      method: req.method ?? '',
      path: req.url ?? '',
      headers: req.headers,
      body,
    };
    this.requests.push(recorded);
    const rejection = this.check(recorded);
    const reply: ScriptedReply = rejection ?? this.replies.shift() ?? this.unscripted();
    if (reply.delayMs) {
      const closed = once(res, 'close').then(() => true);
      const waited = new Promise<boolean>((resolve) => setTimeout(() => resolve(false), reply.delayMs));
      if (await Promise.race([closed, waited])) return;
    }
    if (res.destroyed) return;
    res.writeHead(reply.status ?? 200, { 'content-type': 'application/json', ...reply.headers });
    res.end(typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body));
  }
}
