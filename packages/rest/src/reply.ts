import type { Response } from 'express';
import type { Reply } from './idempotency.ts';

export function sendReply(response: Response, reply: Reply & { replayed?: boolean }): void {
  if (reply.replayed) response.setHeader('Idempotent-Replayed', 'true');
  response.status(reply.status).json(reply.body);
}
