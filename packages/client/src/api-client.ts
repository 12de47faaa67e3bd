import type { PublicMessage, PublicTurn } from '@agentops/core';

export interface ProblemDocument {
  type: string;
  title: string;
  status: number;
  detail: string;
  errors?: { path: string; message: string }[];
}

export interface ApiResponse<T> {
  status: number;
  headers: Headers;
  body: T;
}

/** A non-2xx answer, carrying the API's problem document. */
export class ApiProblemError extends Error {
  readonly status: number;
  readonly problem: ProblemDocument;

  constructor(problem: ProblemDocument) {
    super(`${problem.status} ${problem.title}: ${problem.detail}`);
    this.name = 'ApiProblemError';
    this.status = problem.status;
    this.problem = problem;
  }
}

export interface CreatedSession {
  sessionId: string;
  userId: string;
  agent: string;
  status: 'active' | 'escalated' | 'closed';
  createdAt: string;
}

export interface SessionView extends CreatedSession {
  messages: PublicMessage[];
  usage: { inputTokens: number; outputTokens: number; costUsd: number; modelCalls: number };
  budget: { tokensUsed: number; tokenLimit: number; costUsd: number; costLimitUsd: number };
  escalationId?: string;
}

export type Turn = PublicTurn;

interface RequestOptions {
  body?: unknown;
  idempotencyKey?: string;
  headers?: Record<string, string>;
}

/** A typed client of the public REST API (API.md), for tests, benchmarks and scripts. */
export class ApiClient {
  readonly baseUrl: string;
  private readonly apiKey: string | undefined;

  constructor(baseUrl: string, apiKey?: string) {
    this.baseUrl = baseUrl.replace(/\/$/, '');
    this.apiKey = apiKey;
  }

  withKey(apiKey: string | undefined): ApiClient {
    return new ApiClient(this.baseUrl, apiKey);
  }

  /** Any request, answered whatever its status: for callers that assert on refusals. */
  async request<T = unknown>(
    method: string,
    path: string,
    options: RequestOptions = {},
  ): Promise<ApiResponse<T>> {
    const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
    if (this.apiKey !== undefined) headers.authorization = `Bearer ${this.apiKey}`;
    if (options.idempotencyKey !== undefined) headers['idempotency-key'] = options.idempotencyKey;
    let body: string | undefined;
    if (options.body !== undefined) {
      headers['content-type'] ??= 'application/json';
      body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
    }
    const response = await fetch(`${this.baseUrl}${path}`, { method, headers, body });
    const text = await response.text();
    return {
      status: response.status,
      headers: response.headers,
      body: (text ? JSON.parse(text) : undefined) as T,
    };
  }

  private async expectOk<T>(method: string, path: string, options?: RequestOptions): Promise<ApiResponse<T>> {
    const response = await this.request<T>(method, path, options);
    if (response.status >= 400) throw new ApiProblemError(response.body as ProblemDocument);
    return response;
  }

  async createSession(
    input: { userId: string; agent?: string; metadata?: Record<string, unknown> },
    idempotencyKey?: string,
  ): Promise<CreatedSession> {
    return (await this.expectOk<CreatedSession>('POST', '/v1/sessions', { body: input, idempotencyKey }))
      .body;
  }

  async getSession(sessionId: string): Promise<SessionView> {
    return (await this.expectOk<SessionView>('GET', `/v1/sessions/${encodeURIComponent(sessionId)}`)).body;
  }

  /** Posts a turn; with `wait`, the answer comes once the turn ends (or needs a confirmation). */
  async postTurn(
    sessionId: string,
    message: string,
    options: { wait?: number; idempotencyKey?: string } = {},
  ): Promise<ApiResponse<Turn>> {
    const query = options.wait === undefined ? '' : `?wait=${options.wait}`;
    return this.expectOk<Turn>('POST', `/v1/sessions/${encodeURIComponent(sessionId)}/turns${query}`, {
      body: { message },
      idempotencyKey: options.idempotencyKey,
    });
  }

  async getTurn(sessionId: string, turnId: string, options: { wait?: number } = {}): Promise<Turn> {
    const query = options.wait === undefined ? '' : `?wait=${options.wait}`;
    const path = `/v1/sessions/${encodeURIComponent(sessionId)}/turns/${encodeURIComponent(turnId)}${query}`;
    return (await this.expectOk<Turn>('GET', path)).body;
  }

  /** Polls with `?wait=` until the turn ends, for callers that must not give up at 30 s. */
  async waitForTurnEnd(sessionId: string, turnId: string, timeoutMs = 120_000): Promise<Turn> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const turn = await this.getTurn(sessionId, turnId, { wait: 10 });
      if (['completed', 'escalated', 'failed', 'waiting_confirmation'].includes(turn.status)) return turn;
      if (Date.now() > deadline) throw new Error(`turn ${turnId} still ${turn.status} after ${timeoutMs} ms`);
    }
  }

  async decideConfirmation(
    sessionId: string,
    confirmationId: string,
    approve: boolean,
    options: { wait?: number } = {},
  ): Promise<Turn> {
    const query = options.wait === undefined ? '' : `?wait=${options.wait}`;
    const path = `/v1/sessions/${encodeURIComponent(sessionId)}/confirmations/${encodeURIComponent(confirmationId)}${query}`;
    return (await this.expectOk<Turn>('POST', path, { body: { approve } })).body;
  }
}
