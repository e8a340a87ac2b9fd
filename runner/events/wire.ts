import { runEventSchemas } from './schema.js';
import type { AnyEvent, EventName, RunEvents } from './types.js';

export const eventNames = Object.keys(runEventSchemas) as EventName[];

export interface WireOptions {
  /** The clock for `time`. */
  now: () => string;
  /**
   * Stamp `run:start` and `run:end` with the run's own start and end time instead of the clock,
   * so the audit log, the dashboard and the run history agree.
   */
  runTimes?: boolean;
  /** Keep the diffs of task results (default true). */
  diff?: boolean;
}

/**
 * An event as it goes on the wire (docs/json-events.md): its name in `type` and a `time` before
 * its own fields. The `--json` reporter, `audit.jsonl` and the dashboard push all write this.
 */
export function toWireEvent<K extends EventName>(type: K, e: RunEvents[K], opts: WireOptions): AnyEvent {
  const time = !opts.runTimes
    ? opts.now()
    : type === 'run:start'
      ? (e as RunEvents['run:start']).startedAt
      : type === 'run:end'
        ? (e as RunEvents['run:end']).endedAt
        : opts.now();
  const event = { type, time, ...e } as AnyEvent;
  if (opts.diff === false && event.type === 'task:result') delete event.diff;
  return event;
}

/** One event a line, as `--json` prints it and `audit.jsonl` keeps it. */
export const wireLine = (event: object): string => `${JSON.stringify(event)}\n`;
