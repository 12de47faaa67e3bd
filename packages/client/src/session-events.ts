/** One server-sent event of `GET /v1/sessions/:id/events`. */
export interface StreamedEvent {
  id: string;
  type: string;
  data: Record<string, unknown>;
}

/**
 * A reader of a session's event stream that keeps every event it has seen, so a caller can wait
 * for one that may already have arrived.
 */
export class SessionEventStream {
  readonly events: StreamedEvent[] = [];
  private readonly controller = new AbortController();
  private readonly waiters = new Set<() => void>();
  private ended = false;

  static async open(baseUrl: string, apiKey: string, sessionId: string): Promise<SessionEventStream> {
    const stream = new SessionEventStream();
    const response = await fetch(
      `${baseUrl.replace(/\/$/, '')}/v1/sessions/${encodeURIComponent(sessionId)}/events`,
      {
        headers: { accept: 'text/event-stream', authorization: `Bearer ${apiKey}` },
        signal: stream.controller.signal,
      },
    );
    if (response.status !== 200 || !response.body) {
      throw new Error(`event stream answered ${response.status}: ${await response.text()}`);
    }
    stream.read(response.body).catch(() => undefined);
    return stream;
  }

  /** Resolves with the first event (seen before or later) that matches, or rejects after `timeoutMs`. */
  waitFor(predicate: (event: StreamedEvent) => boolean, timeoutMs = 30_000): Promise<StreamedEvent> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const found = this.events.find(predicate);
        if (found) {
          finish();
          resolve(found);
        } else if (this.ended) {
          finish();
          reject(new Error('the event stream ended'));
        }
      };
      const timer = setTimeout(() => {
        finish();
        reject(
          new Error(
            `no matching event in ${timeoutMs} ms; seen: ${this.events.map((e) => e.type).join(', ')}`,
          ),
        );
      }, timeoutMs);
      const finish = () => {
        clearTimeout(timer);
        this.waiters.delete(check);
      };
      this.waiters.add(check);
      check();
    });
  }

  close(): void {
    this.controller.abort();
  }

  private async read(body: ReadableStream<Uint8Array>): Promise<void> {
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of body) {
        buffer += decoder.decode(chunk, { stream: true });
        let boundary = buffer.indexOf('\n\n');
        while (boundary >= 0) {
          this.parse(buffer.slice(0, boundary));
          buffer = buffer.slice(boundary + 2);
          boundary = buffer.indexOf('\n\n');
        }
      }
    } finally {
      this.ended = true;
      for (const waiter of [...this.waiters]) waiter();
    }
  }

  private parse(block: string): void {
    const fields: Record<string, string> = {};
    for (const line of block.split('\n')) {
      if (line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      if (colon <= 0) continue;
      fields[line.slice(0, colon)] = line.slice(colon + 1).trimStart();
    }
    if (fields.data === undefined) return;
    this.events.push({ id: fields.id ?? '', type: fields.event ?? 'message', data: JSON.parse(fields.data) });
    for (const waiter of [...this.waiters]) waiter();
  }
}
