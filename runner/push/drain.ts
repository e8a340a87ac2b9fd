import type { Outbox } from '../store/outbox.js';
import { postEvents } from './post.js';
import type { PushTarget } from './target.js';

export interface DrainResult {
  sent: number;
  left: number;
}

/** Sends the outbox to the dashboard, oldest first, until it is empty; stops at the first failure. */
export async function drainOutbox(
  outbox: Outbox,
  target: PushTarget,
  opts: { batchSize?: number; requestTimeoutMs?: number; fetch?: typeof fetch } = {},
): Promise<DrainResult> {
  let sent = 0;
  for (;;) {
    const items = outbox.claim(opts.batchSize ?? 100);
    if (items.length === 0) break;
    const ids = items.map((i) => i.id);
    try {
      await postEvents(
        target,
        items.map((i) => i.event),
        AbortSignal.timeout(opts.requestTimeoutMs ?? 10_000),
        opts.fetch,
      );
    } catch (err) {
      outbox.release(ids);
      throw err;
    }
    outbox.ack(ids);
    sent += ids.length;
  }
  return { sent, left: outbox.count() };
}
