import type { RedisConnection } from '@agentops/core';

/** Called on every change of a session; `settledTurnId` names a turn the change settled. */
type Listener = (settledTurnId: string | undefined) => void;

/**
 * One pub/sub subscription per API process on the channel where every session change is
 * announced (its payload is the session id, then a tab and a turn id when the change settled that
 * turn). `?wait=` requests and event streams listen here instead of polling Redis each.
 */
export class SessionSignals {
  private readonly subscriber: RedisConnection;
  private readonly channel: string;
  private readonly listeners = new Map<string, Set<Listener>>();
  private ready: Promise<unknown> | undefined;

  constructor(subscriber: RedisConnection, channel: string) {
    this.subscriber = subscriber;
    this.channel = channel;
    subscriber.on('message', (_channel: string, message: string) => {
      const tab = message.indexOf('\t');
      const sessionId = tab < 0 ? message : message.slice(0, tab);
      const settledTurnId = tab < 0 ? undefined : message.slice(tab + 1);
      for (const listener of this.listeners.get(sessionId) ?? []) listener(settledTurnId);
    });
  }

  start(): Promise<unknown> {
    this.ready ??= this.subscriber.subscribe(this.channel);
    return this.ready;
  }

  /** Calls `listener` on every change of the session until the returned function is called. */
  listen(sessionId: string, listener: Listener): () => void {
    let set = this.listeners.get(sessionId);
    if (!set) {
      set = new Set();
      this.listeners.set(sessionId, set);
    }
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0) this.listeners.delete(sessionId);
    };
  }

  get listenerCount(): number {
    let count = 0;
    for (const set of this.listeners.values()) count += set.size;
    return count;
  }

  /**
   * Resolves with `check()`'s value as soon as it is defined, re-checking on every change of the
   * session (or, with `onlyWhenSettled`, on every change that settled that turn) and every
   * `safetyIntervalMs` (a message lost while Redis reconnected must not leave a waiter hanging),
   * or with undefined after `timeoutMs`.
   */
  async waitFor<T>(
    sessionId: string,
    timeoutMs: number,
    check: () => Promise<T | undefined>,
    options: { onlyWhenSettled?: string; safetyIntervalMs?: number } = {},
  ): Promise<T | undefined> {
    const { onlyWhenSettled, safetyIntervalMs = 1_000 } = options;
    await this.start();
    return new Promise<T | undefined>((resolve, reject) => {
      let settled = false;
      let checking = false;
      let again = false;
      const finish = (value: T | undefined) => {
        if (settled) return;
        settled = true;
        stopListening();
        clearTimeout(deadline);
        clearInterval(safety);
        resolve(value);
      };
      const run = () => {
        if (settled) return;
        if (checking) {
          again = true;
          return;
        }
        checking = true;
        check().then(
          (value) => {
            checking = false;
            if (value !== undefined) finish(value);
            else if (again) {
              again = false;
              run();
            }
          },
          (error: unknown) => {
            settled = true;
            stopListening();
            clearTimeout(deadline);
            clearInterval(safety);
            reject(error);
          },
        );
      };
      const stopListening = this.listen(sessionId, (settledTurnId) => {
        if (onlyWhenSettled === undefined || settledTurnId === onlyWhenSettled) run();
      });
      const deadline = setTimeout(() => finish(undefined), timeoutMs);
      const safety = setInterval(run, safetyIntervalMs);
      run();
    });
  }
}
