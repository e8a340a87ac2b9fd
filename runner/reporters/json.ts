import type { AnyEvent, EventName, RunEvents, Sink } from '../events/types.js';
import type { ReporterOptions } from './options.js';

// A record rather than an array so the compiler flags an event added to RunEvents but not here.
const names: Record<EventName, true> = {
  'run:start': true,
  'host:start': true,
  'task:start': true,
  'task:result': true,
  'host:end': true,
  'run:end': true,
};
export const eventNames = Object.keys(names) as EventName[];

/** One JSON object per line for every event (schema: docs/json-events.md). */
export function createJsonReporter(opts: ReporterOptions): Sink {
  const sink: Sink = {};
  for (const type of eventNames) {
    const hook = (e: RunEvents[typeof type]) => {
      opts.out.write(`${JSON.stringify(toJsonEvent(type, e, opts.diff))}\n`);
    };
    Object.assign(sink, { [type]: hook });
  }
  return sink;
}

export function toJsonEvent<K extends EventName>(type: K, e: RunEvents[K], diff: boolean): AnyEvent {
  const line = { type, time: new Date().toISOString(), ...e } as AnyEvent;
  if (!diff && line.type === 'task:result') delete line.diff;
  return line;
}
