import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { createConnector } from '../../../runner/connection/connect.js';
import { FakeConnection } from '../../../runner/connection/fake.js';
import { createLimiter } from '../../../runner/util/limiter.js';
import type { SshSettings } from '../../../runner/connection/ssh/settings.js';
import type { InventoryHost } from '../../../runner/inventory/types.js';

const host = (name: string, extra: Partial<InventoryHost> = {}): InventoryHost => ({
  name,
  address: `10.0.0.${name.slice(1)}`,
  port: 22,
  user: 'deploy',
  become: false,
  connection: 'ssh',
  vars: {},
  groups: ['all'],
  ...extra,
});

describe('createLimiter', () => {
  it('never lets more than max run, and serves waiters in order', async () => {
    const lim = createLimiter(2);
    let now = 0;
    let peak = 0;
    const order: number[] = [];
    await Promise.all(
      [1, 2, 3, 4, 5].map((i) =>
        lim.run(async () => {
          peak = Math.max(peak, ++now);
          order.push(i);
          await sleep(5);
          now--;
        }),
      ),
    );
    expect(peak).toBe(2);
    expect(order).toEqual([1, 2, 3, 4, 5]);
    expect(lim.active).toBe(0);
  });

  it('rejects a limit below 1', () => {
    expect(() => createLimiter(0)).toThrow(RangeError);
  });
});

describe('createConnector', () => {
  it('caps concurrent SSH handshakes', async () => {
    let inFlight = 0;
    let peak = 0;
    const seen: SshSettings[] = [];
    const connect = createConnector(
      { maxConcurrentStarts: 3, knownHostsFile: '/kh' },
      {
        openSsh: async (settings) => {
          seen.push(settings);
          peak = Math.max(peak, ++inFlight);
          await sleep(10);
          inFlight--;
          return new FakeConnection(settings.name);
        },
        openLocal: (h) => new FakeConnection(h.name),
      },
    );
    const conns = await Promise.all(Array.from({ length: 10 }, (_, i) => connect(host(`h${i + 1}`))));
    expect(conns.map((c) => c.host)).toEqual(Array.from({ length: 10 }, (_, i) => `h${i + 1}`));
    expect(peak).toBe(3);
    expect(seen[0]).toMatchObject({ user: 'deploy', address: '10.0.0.1', knownHostsFile: '/kh', hostKeyPolicy: 'strict' });
  });

  it('opens local hosts without SSH', async () => {
    const connect = createConnector(
      {},
      {
        openSsh: () => Promise.reject(new Error('no ssh for local')),
        openLocal: (h) => new FakeConnection(`local:${h.name}`),
      },
    );
    expect((await connect(host('h1', { connection: 'local' }))).host).toBe('local:h1');
  });
});
