import { EventEmitter } from 'node:events';

/**
 * Wakes the live streams of a run when this process wrote to it (ingest), so they need not wait
 * for their next look at the store. Runs written by other processes are seen by that look.
 */
export class RunChanges {
  private readonly emitter = new EventEmitter().setMaxListeners(0);

  notify(runId: string): void {
    this.emitter.emit(runId);
  }

  /** Returns the unsubscribe function. */
  on(runId: string, listener: () => void): () => void {
    this.emitter.on(runId, listener);
    return () => this.emitter.off(runId, listener);
  }
}
