import { EventEmitter } from 'node:events';

/** The event every listener of any run also gets: something was written, by whichever process. */
const ANY = Symbol('any run');

/**
 * Wakes live streams so they need not wait for their next look at the store: those of one run
 * when this process wrote to it (ingest), all of them when any process wrote to the store
 * (`store-watch.ts`).
 */
export class RunChanges {
  private readonly emitter = new EventEmitter().setMaxListeners(0);

  notify(runId: string): void {
    this.emitter.emit(runId);
  }

  notifyAll(): void {
    this.emitter.emit(ANY);
  }

  /** Woken for `runId`, or for every write when `runId` is omitted. Returns the unsubscribe function. */
  on(runId: string | undefined, listener: () => void): () => void {
    const events = runId === undefined ? [ANY] : [runId, ANY];
    for (const e of events) this.emitter.on(e, listener);
    return () => {
      for (const e of events) this.emitter.off(e, listener);
    };
  }
}
