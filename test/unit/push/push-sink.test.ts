import { afterEach, describe, expect, it } from 'vitest';
import { EventBus } from '../../../runner/events/bus.js';
import { createPushSink, drainOutbox, pushTarget } from '../../../runner/push/index.js';
import { openStore, type Store } from '../../../runner/store/index.js';
import { replay, scriptedRun, useTempHome } from '../store/helpers.js';
import { downUrl, startDashboard, type FakeDashboard } from './dashboard-server.js';

const steps = scriptedRun('run-push', ['web1', 'web2', 'web3']);
const token = 'ingest-token-123';

describe('push sink', () => {
  const tempHome = useTempHome();
  const servers: FakeDashboard[] = [];
  const stores: Store[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.close()));
    for (const s of stores.splice(0)) s.close();
  });
  const store = () => {
    const s = openStore(tempHome());
    stores.push(s);
    return s;
  };
  const dashboard = async (mode: FakeDashboard['mode']) => {
    const d = await startDashboard(mode);
    servers.push(d);
    return d;
  };

  /** Emits the scripted run and closes; returns how long emitting and closing took. */
  async function run(sink: ReturnType<typeof createPushSink>): Promise<{ emitMs: number; closeMs: number }> {
    const bus = new EventBus([sink]);
    const t0 = performance.now();
    replay(bus, steps);
    const t1 = performance.now();
    await bus.close();
    return { emitMs: t1 - t0, closeMs: performance.now() - t1 };
  }

  it('posts every event in order, batched, with the bearer token', async () => {
    const d = await dashboard('up');
    const sink = createPushSink({ target: { url: d.url, token }, batchSize: 10, batchMs: 20 });
    await run(sink);
    expect(d.batches.length).toBeGreaterThan(1);
    expect(d.batches.every((b) => b.auth === `Bearer ${token}` && b.events.length <= 10)).toBe(true);
    expect(d.batches.flatMap((b) => b.events).map((e) => e.type)).toEqual(steps.map(([t]) => t));
    expect(sink.stats()).toMatchObject({ sent: steps.length, spilled: 0, queued: 0 });
  });

  it('a dashboard that is down neither slows nor fails the run; events go to the outbox', async () => {
    const s = store();
    const sink = createPushSink({ target: { url: await downUrl(), token }, outbox: s.outbox, batchMs: 10 });
    const t = await run(sink);
    expect(t.emitMs).toBeLessThan(50);
    expect(t.closeMs).toBeLessThan(1000);
    expect(s.outbox.count()).toBe(steps.length);
  });

  it('a slow dashboard makes close give up after its timeout and keep the rest', async () => {
    const s = store();
    const d = await dashboard('slow');
    const sink = createPushSink({ target: { url: d.url, token }, outbox: s.outbox, batchMs: 10, closeTimeoutMs: 500 });
    const t = await run(sink);
    expect(t.closeMs).toBeGreaterThanOrEqual(450);
    expect(t.closeMs).toBeLessThan(1500);
    expect(s.outbox.count()).toBe(steps.length);
  });

  it('bounds its queue, spilling the oldest events to the outbox', async () => {
    const s = store();
    const d = await dashboard('slow');
    const sink = createPushSink({ target: { url: d.url, token }, outbox: s.outbox, maxQueue: 5, batchSize: 100, batchMs: 10_000, closeTimeoutMs: 100 });
    const bus = new EventBus([sink]);
    replay(bus, steps);
    expect(sink.stats()).toMatchObject({ queued: 5, spilled: steps.length - 5 });
    await bus.close();
    expect(s.outbox.count()).toBe(steps.length);
  });

  it('what could not be pushed is sent later, oldest first: by `history push` and by the next run', async () => {
    const s = store();
    await run(createPushSink({ target: { url: await downUrl(), token }, outbox: s.outbox, batchMs: 10 }));
    const n = s.outbox.count();
    expect(n).toBe(steps.length);

    const d = await dashboard('error');
    await expect(drainOutbox(s.outbox, { url: d.url, token })).rejects.toThrow(/503/);
    expect(s.outbox.count()).toBe(n);

    d.mode = 'up';
    expect(await drainOutbox(s.outbox, { url: d.url, token }, { batchSize: 7 })).toEqual({ sent: n, left: 0 });
    expect(d.batches.flatMap((b) => b.events).map((e) => e.type)).toEqual(steps.map(([t]) => t));

    // Down again for one run, then the next run catches up while it goes.
    await run(createPushSink({ target: { url: await downUrl(), token }, outbox: s.outbox, batchMs: 10 }));
    d.batches.length = 0;
    const next = createPushSink({ target: { url: d.url, token }, outbox: s.outbox, batchMs: 10 });
    const bus = new EventBus([next]);
    replay(bus, steps);
    await waitFor(() => s.outbox.count() === 0);
    await bus.close();
    expect(d.batches.flatMap((b) => b.events)).toHaveLength(2 * steps.length);
  });

  it('is configured by env over config, and only with both url and token', () => {
    expect(pushTarget({}, {})).toBeUndefined();
    expect(pushTarget({ VSA_DASHBOARD_URL: 'http://d/' }, {})).toBeUndefined();
    expect(pushTarget({ VSA_DASHBOARD_URL: 'http://d/' }, { dashboard: { token: 't' } })).toEqual({ url: 'http://d', token: 't' });
    expect(pushTarget({ VSA_DASHBOARD_TOKEN: 'e' }, { dashboard: { url: 'http://c', token: 't' } })).toEqual({ url: 'http://c', token: 'e' });
  });
});

async function waitFor(cond: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}
