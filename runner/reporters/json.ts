import type { RunEvents, Sink } from '../events/types.js';
import { eventNames, toWireEvent, wireLine } from '../events/wire.js';
import type { ReporterOptions } from './options.js';

const now = () => new Date().toISOString();

/** One JSON object per line for every event (schema: docs/json-events.md). */
export function createJsonReporter(opts: ReporterOptions): Sink {
  const sink: Sink = {};
  for (const type of eventNames) {
    const hook = (e: RunEvents[typeof type]) => {
      opts.out.write(wireLine(toWireEvent(type, e, { now, diff: opts.diff })));
    };
    Object.assign(sink, { [type]: hook });
  }
  return sink;
}
