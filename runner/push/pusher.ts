import { setTimeout as sleep } from 'node:timers/promises';
import type { AnyEvent } from '../events/types.js';
import type { Outbox } from '../store/outbox.js';
import { postEvents } from './post.js';
import type { PushTarget } from './target.js';

export interface PusherOptions {
  target: PushTarget;
  /** Send a batch at most this long after its first event (default 250 ms)… */
  batchMs?: number;
  /** …or as soon as this many events wait (default 100). */
  batchSize?: number;
  /** Events kept in memory; older ones go to the outbox beyond that (default 5000). */
  maxQueue?: number;
  closeTimeoutMs?: number;
  requestTimeoutMs?: number;
  fetch?: typeof fetch;
  onError?: (err: unknown) => void;
}

const MAX_BACKOFF_MS = 10_000;

/** The queue behind the push sink: batches, one request at a time, backoff after a failure. */
export class Pusher {
  private readonly queue: AnyEvent[] = [];
  private inflight: Promise<void> | undefined;
  private abort: AbortController | undefined;
  private timer: NodeJS.Timeout | undefined;
  private failures = 0;
  private retryAt = 0;
  private closing = false;
  private readonly counts = { sent: 0, spilled: 0, dropped: 0, failures: 0 };
  private readonly o: Required<Omit<PusherOptions, 'fetch' | 'onError'>> & Pick<PusherOptions, 'fetch' | 'onError'>;

  constructor(
    opts: PusherOptions,
    private readonly outbox?: Outbox,
  ) {
    this.o = { batchMs: 250, batchSize: 100, maxQueue: 5000, closeTimeoutMs: 2000, requestTimeoutMs: 5000, ...opts };
  }

  enqueue(e: AnyEvent): void {
    if (this.closing) return this.spill([e]);
    this.queue.push(e);
    const excess = this.queue.length - this.o.maxQueue;
    if (excess > 0) this.spill(this.queue.splice(0, excess));
    this.schedule(this.queue.length >= this.o.batchSize ? 0 : this.o.batchMs);
  }

  /**
   * Sends what it can before the deadline; a dashboard that fails once more is given up on at
   * once. The rest (and an aborted batch) goes to the outbox.
   */
  async close(): Promise<void> {
    this.closing = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    const deadline = Date.now() + this.o.closeTimeoutMs;
    const failures = this.counts.failures;
    while (Date.now() < deadline && this.counts.failures === failures && (this.inflight || this.queue.length > 0)) {
      if (this.inflight) await Promise.race([this.inflight, sleep(deadline - Date.now())]);
      else this.send();
    }
    if (this.inflight) {
      this.abort?.abort();
      await this.inflight;
    }
    this.spill(this.queue.splice(0));
  }

  stats(): { sent: number; spilled: number; dropped: number; failures: number; queued: number } {
    return { ...this.counts, queued: this.queue.length };
  }

  private schedule(delayMs: number): void {
    if (this.timer || this.inflight || this.closing) return;
    const wait = Math.max(delayMs, this.retryAt - Date.now());
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.send();
    }, wait);
    // A pending push must not keep a finished CLI alive; close() is what waits for it.
    this.timer.unref();
  }

  private send(): void {
    if (this.inflight) return;
    let batch = this.queue.splice(0, this.o.batchSize);
    let ids: number[] = [];
    // With nothing live to send, the dashboard being reachable is the moment to catch up.
    if (batch.length === 0 && this.outbox && !this.closing && this.failures === 0) {
      const items = this.outbox.claim(this.o.batchSize);
      batch = items.map((i) => i.event);
      ids = items.map((i) => i.id);
    }
    if (batch.length === 0) return;
    const abort = new AbortController();
    const signal = AbortSignal.any([abort.signal, AbortSignal.timeout(this.o.requestTimeoutMs)]);
    this.abort = abort;
    this.inflight = postEvents(this.o.target, batch, signal, this.o.fetch)
      .finally(() => {
        this.inflight = undefined;
        this.abort = undefined;
      })
      .then(
        () => {
          this.failures = 0;
          this.counts.sent += batch.length;
          if (ids.length) this.outbox?.ack(ids);
          // The dashboard is taking events: go on with the queue, then catch up on the outbox.
          if (this.queue.length > 0 || this.outbox) this.schedule(0);
        },
        (err: unknown) => {
          this.failures++;
          this.counts.failures++;
          this.retryAt = Date.now() + Math.min(250 * 2 ** (this.failures - 1), MAX_BACKOFF_MS);
          if (ids.length) this.outbox?.release(ids);
          else this.queue.unshift(...batch);
          this.o.onError?.(err);
          if (this.queue.length > 0) this.schedule(0);
        },
      )
      // The outbox is SQLite: a failing ack must not become an unhandled rejection.
      .catch((err: unknown) => this.o.onError?.(err));
  }

  private spill(events: AnyEvent[]): void {
    if (events.length === 0) return;
    if (!this.outbox) {
      this.counts.dropped += events.length;
      return;
    }
    try {
      this.outbox.add(events);
      this.counts.spilled += events.length;
    } catch (err) {
      this.counts.dropped += events.length;
      this.o.onError?.(err);
    }
  }
}
