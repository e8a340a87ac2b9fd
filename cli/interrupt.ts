import { setMaxListeners } from 'node:events';

export interface Interrupt {
  signal: AbortSignal;
  /** A cancel asked through the store (`vsa cancel`, the dashboard): the same steps as Ctrl-C. */
  cancelledBy(who: string): void;
  dispose(): void;
}

/**
 * Ctrl-C (or SIGTERM) once: no new tasks start, running ones finish, the recap still prints.
 * Twice: `cancel` runs too (running tasks are cut off by closing their connections). A cancel
 * request counts as one Ctrl-C, so the run ends the same way and with the same exit code (130).
 */
export function onInterrupt(notice: (msg: string) => void, cancel: () => void): Interrupt {
  const ac = new AbortController();
  // Every host still connecting listens on this signal (up to the connect cap at once): not a leak.
  setMaxListeners(0, ac.signal);
  const step = (why: string, again: string) => {
    if (!ac.signal.aborted) {
      notice(`${why}: stopping — no new tasks will start (${again} to cancel running tasks)`);
      ac.abort(why);
    } else {
      notice(`${why}: cancelling running tasks`);
      cancel();
    }
  };
  const handler = (sig: NodeJS.Signals) => step(sig, 'press Ctrl-C again');
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return {
    signal: ac.signal,
    cancelledBy: (who) => step(`cancelled by ${who}`, 'cancel again'),
    dispose() {
      process.off('SIGINT', handler);
      process.off('SIGTERM', handler);
    },
  };
}
