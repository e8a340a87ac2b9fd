import type { Sink } from '../events/types.js';
import { eventNames, toWireEvent } from '../events/wire.js';
import type { Outbox } from '../store/outbox.js';
import { Pusher, type PusherOptions } from './pusher.js';

export type PushSink = Sink & { stats(): ReturnType<Pusher['stats']> };

/**
 * Pushes every event to the dashboard as it happens, in batches. Hooks only queue, so a down or
 * slow dashboard never slows the run; `close` waits for the queue at most `closeTimeoutMs`, and
 * what is left goes to the outbox for `vsa history push` or the next run.
 */
export function createPushSink(opts: PusherOptions & { outbox?: Outbox; now?: () => string }): PushSink {
  const now = opts.now ?? (() => new Date().toISOString());
  const pusher = new Pusher(opts, opts.outbox);
  const sink: PushSink = { close: () => pusher.close(), stats: () => pusher.stats() };
  for (const type of eventNames) {
    (sink as Record<string, unknown>)[type] = (e: never) =>
      pusher.enqueue(toWireEvent(type, e, { now, runTimes: true }));
  }
  return sink;
}
