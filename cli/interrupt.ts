import { setMaxListeners } from 'node:events';

/**
 * Ctrl-C (or SIGTERM) once: no new tasks start, running ones finish, the recap still prints.
 * Twice: `cancel` runs too (running tasks are cut off by closing their connections).
 */
export function onInterrupt(notice: (msg: string) => void, cancel: () => void): { signal: AbortSignal; dispose(): void } {
  const ac = new AbortController();
  // Every host still connecting listens on this signal (up to the connect cap at once): not a leak.
  setMaxListeners(0, ac.signal);
  const handler = (sig: NodeJS.Signals) => {
    if (!ac.signal.aborted) {
      notice(`${sig}: stopping — no new tasks will start (press Ctrl-C again to cancel running tasks)`);
      ac.abort(sig);
    } else {
      notice(`${sig}: cancelling running tasks`);
      cancel();
    }
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return {
    signal: ac.signal,
    dispose() {
      process.off('SIGINT', handler);
      process.off('SIGTERM', handler);
    },
  };
}
