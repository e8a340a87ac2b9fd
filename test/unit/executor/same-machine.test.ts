import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { LockHeldError } from '../../../runner/errors.js';
import { runPlay } from '../../../runner/executor/run-play.js';
import { sharedMachineWarnings } from '../../../runner/executor/same-machine.js';
import type { HostLocker } from '../../../runner/executor/run-host.js';
import type { InventoryHost } from '../../../runner/inventory/types.js';
import { definePlaybook, task } from '../../../runner/playbook/define.js';
import { script } from '../../../runner/shell/command.js';
import { bus, host, kv, kvHosts, recorder } from './helpers.js';

const at = (name: string, address: string, extra: Partial<InventoryHost> = {}): InventoryHost => ({
  ...host(name),
  address,
  ...extra,
});

/** One lock per machine, as on real hosts: a second taker while it is held fails. */
function machineLocks(): HostLocker & { peak: number } {
  const held = new Set<string>();
  const locker = Object.assign(
    async (_conn: unknown, h: InventoryHost) => {
      const machine = `${h.address}:${h.port}`;
      if (held.has(machine)) throw new LockHeldError(h.name, 'run r1');
      held.add(machine);
      locker.peak = Math.max(locker.peak, held.size);
      await new Promise((go) => setTimeout(go, 5));
      return {
        path: '/var/lib/vsa/run.lock',
        scope: 'root' as const,
        pending: [],
        recordPending: () => script('true'),
        release: async () => void held.delete(machine),
      };
    },
    { peak: 0 },
  );
  return locker;
}

describe('two inventory names for one machine', () => {
  const hosts = [
    at('web', '198.18.0.11'),
    at('web-alias', '198.18.0.11', { user: 'deploy' }),
    at('db', '198.18.0.12'),
  ];

  it('both run, one after the other, so neither finds the machine locked by its own run', async () => {
    const rec = recorder();
    const locks = machineLocks();
    const env = kvHosts(hosts.map((h) => h.name));
    const end = await runPlay({
      playbook: definePlaybook({
        name: 'p',
        description: 'p',
        hosts: 'all',
        params: z.object({}),
        tasks: () => [task(kv, 'set', { key: 'k', value: 'v' })],
      }),
      params: {},
      hosts,
      connect: env.connect,
      lock: locks,
      bus: bus(rec),
      options: { forks: 20, check: false, diff: false, extraVars: {} },
      actor: 't',
      origin: 'script',
    });
    expect(end.exitCode).toBe(0);
    for (const h of hosts) expect(end.recap[h.name], h.name).toMatchObject({ changed: 1, failed: 0 });
    // db ran beside them: only the shared machine is serialized.
    expect(locks.peak).toBe(2);
  });

  it('are named in a warning with the machine they share; other hosts are not', () => {
    expect(sharedMachineWarnings(hosts)).toEqual([
      'web, web-alias are one machine (198.18.0.11:22) under 2 inventory names: they run one after the other',
    ]);
    expect(sharedMachineWarnings([at('a', 'X.example'), at('b', 'x.example')])).toHaveLength(1);
    expect(sharedMachineWarnings([at('a', 'x'), at('b', 'x', { port: 2222 })])).toEqual([]);
  });
});
