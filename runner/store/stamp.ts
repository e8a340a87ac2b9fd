import type { AnyEvent, EventName, RunEvents } from '../events/types.js';

/**
 * The event as written out: its name in `type` and a time, which is the run's own start or end
 * time for `run:start`/`run:end` so the log and the database agree.
 */
export function stamp<K extends EventName>(type: K, e: RunEvents[K], now: () => string): AnyEvent {
  const time =
    type === 'run:start'
      ? (e as RunEvents['run:start']).startedAt
      : type === 'run:end'
        ? (e as RunEvents['run:end']).endedAt
        : now();
  return { type, time, ...e } as AnyEvent;
}
