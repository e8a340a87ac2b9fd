import type { Runs } from './runs.js';

/** How often a running process says it is alive, and looks whether someone asked it to stop. */
export const HEARTBEAT_MS = 5_000;
/**
 * A run whose process has not beaten for this long is interrupted: four beats missed, so a busy
 * event loop or a store locked for a few seconds by another writer never counts as death.
 */
export const HEARTBEAT_STALE_MS = 20_000;

export interface HeartbeatOptions {
  everyMs?: number;
  /** Called once per new cancel request the beat finds (the second cuts off running tasks). */
  onCancel?: (by: string) => void;
}

/**
 * Beats for a run until the returned stop is called. A beat that cannot be written (another
 * process holds the write lock past the busy timeout) is skipped: the next one tries again.
 */
export function startHeartbeat(runs: Runs, runId: string, opts: HeartbeatOptions = {}): () => void {
  let seen = 0;
  const timer = setInterval(() => {
    let asked;
    try {
      asked = runs.heartbeat(runId);
    } catch {
      // Skipped; four in a row must fail before a reader calls the run interrupted.
      return;
    }
    for (; asked && seen < asked.requests; seen++) opts.onCancel?.(asked.by ?? 'unknown');
  }, opts.everyMs ?? HEARTBEAT_MS);
  // The beat never keeps a finished process alive.
  timer.unref();
  return () => clearInterval(timer);
}
