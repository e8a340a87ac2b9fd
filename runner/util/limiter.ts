/**
 * At most `max` holders at once, the rest wait in arrival order. Caps concurrent SSH handshakes
 * (so 200 hosts do not storm a bastion) and the channels open on one connection (MaxSessions).
 */
export interface Limiter {
  /** Waits for a slot; call the returned function (once) to give it back. */
  acquire(): Promise<() => void>;
  run<T>(task: () => Promise<T>): Promise<T>;
  readonly active: number;
  readonly waiting: number;
}

export function createLimiter(max: number): Limiter {
  if (!Number.isInteger(max) || max < 1) throw new RangeError(`limit must be a positive integer, got ${max}`);
  let active = 0;
  const queue: (() => void)[] = [];
  const releaser = () => {
    let done = false;
    return () => {
      if (done) return;
      done = true;
      // Hand the slot straight to the next waiter, so a newcomer cannot slip in between.
      const next = queue.shift();
      if (next) next();
      else active--;
    };
  };
  const acquire = async () => {
    if (active >= max) await new Promise<void>((go) => queue.push(go));
    else active++;
    return releaser();
  };
  return {
    get active() {
      return active;
    },
    get waiting() {
      return queue.length;
    },
    acquire,
    async run<T>(task: () => Promise<T>): Promise<T> {
      const release = await acquire();
      try {
        return await task();
      } finally {
        release();
      }
    },
  };
}

/** Maps `items` through `fn` with at most `max` in flight; results keep the input order. */
export function mapLimit<T, R>(items: readonly T[], max: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const limiter = createLimiter(max);
  return Promise.all(items.map((item) => limiter.run(() => fn(item))));
}
