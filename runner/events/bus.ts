import type { EventName, RunEvents, Sink } from './types.js';

/**
 * Sends each event to every sink. A failing or slow sink never stops or fails the run: its errors
 * are reported once through `onSinkError` and its promises are awaited only at `close`.
 * `redact` runs before any sink sees an event.
 */
export class EventBus {
  private readonly pending = new Set<Promise<unknown>>();

  constructor(
    private readonly sinks: Sink[],
    private readonly redact: <T>(value: T) => T = (v) => v,
    private readonly onSinkError: (err: unknown) => void = () => undefined,
  ) {}

  emit<K extends EventName>(type: K, event: RunEvents[K]): void {
    const safe = this.redact(event);
    for (const sink of this.sinks) {
      const hook = sink[type] as ((e: RunEvents[K]) => void | Promise<void>) | undefined;
      if (!hook) continue;
      try {
        const r = hook.call(sink, safe);
        if (r instanceof Promise) this.track(r);
      } catch (err) {
        this.onSinkError(err);
      }
    }
  }

  async close(): Promise<void> {
    await Promise.all([...this.pending]);
    for (const sink of this.sinks) {
      try {
        await sink.close?.();
      } catch (err) {
        this.onSinkError(err);
      }
    }
  }

  private track(p: Promise<unknown>): void {
    const t = p.catch(this.onSinkError).finally(() => this.pending.delete(t));
    this.pending.add(t);
  }
}
