import type { EscalationAction, EscalationReason, EscalationStatus, PublicMessage } from '@agentops/core';
import { type ApiClient, ApiProblemError, type ApiResponse, type ProblemDocument } from './api-client.ts';

/** The API.md `Escalation`, as the support API answers it. */
export interface Escalation {
  escalationId: string;
  sessionId: string;
  tenant: string;
  userId: string;
  turnId?: string;
  reason: EscalationReason;
  detail: string;
  status: EscalationStatus;
  claimedBy?: string;
  claimedAt?: string;
  createdAt: string;
  updatedAt: string;
  costUsd: number;
  replies: number;
  resolution?: EscalationAction;
  note?: string;
  resolvedBy?: string;
  resolvedAt?: string;
  sessionStatus?: 'active' | 'escalated' | 'closed';
  messages?: PublicMessage[];
}

export interface EscalationReply {
  escalationId: string;
  sessionId: string;
  message: PublicMessage;
}

/** The support desk's side of the API (role `support` or `ops`), over an ApiClient with such a key. */
export class SupportClient {
  readonly api: ApiClient;

  constructor(api: ApiClient) {
    this.api = api;
  }

  async listEscalations(options: { status?: EscalationStatus; limit?: number } = {}): Promise<Escalation[]> {
    const query = new URLSearchParams();
    if (options.status) query.set('status', options.status);
    if (options.limit !== undefined) query.set('limit', String(options.limit));
    const suffix = query.size > 0 ? `?${query}` : '';
    return (await this.ok<{ escalations: Escalation[] }>('GET', `/v1/escalations${suffix}`)).body.escalations;
  }

  async getEscalation(escalationId: string): Promise<Escalation> {
    return (await this.ok<Escalation>('GET', path(escalationId))).body;
  }

  /** Polls until the desk has filed the escalation (the queue's consumer runs a moment after the turn ends). */
  async waitForEscalation(escalationId: string, timeoutMs = 20_000): Promise<Escalation> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const response = await this.api.request<Escalation>('GET', path(escalationId));
      if (response.status === 200) return response.body;
      if (response.status !== 404 || Date.now() > deadline) {
        throw new ApiProblemError(response.body as unknown as ProblemDocument);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  async claim(escalationId: string, agentName: string): Promise<Escalation> {
    return (await this.ok<Escalation>('POST', `${path(escalationId)}/claim`, { agentName })).body;
  }

  async reply(
    escalationId: string,
    message: string,
    options: { agentName?: string; idempotencyKey?: string } = {},
  ): Promise<EscalationReply> {
    const body = { message, ...(options.agentName ? { agentName: options.agentName } : {}) };
    return (
      await this.ok<EscalationReply>('POST', `${path(escalationId)}/reply`, body, options.idempotencyKey)
    ).body;
  }

  async resolve(
    escalationId: string,
    action: EscalationAction,
    options: { note?: string; agentName?: string } = {},
  ): Promise<Escalation> {
    return (await this.ok<Escalation>('POST', `${path(escalationId)}/resolve`, { action, ...options })).body;
  }

  private async ok<T>(
    method: string,
    route: string,
    body?: unknown,
    idempotencyKey?: string,
  ): Promise<ApiResponse<T>> {
    const response = await this.api.request<T>(method, route, { body, idempotencyKey });
    if (response.status >= 400) throw new ApiProblemError(response.body as unknown as ProblemDocument);
    return response;
  }
}

const path = (escalationId: string) => `/v1/escalations/${encodeURIComponent(escalationId)}`;
