import { z } from 'zod';
import { FakeConnection, type FakeResponder } from '../../../runner/connection/fake.js';
import { EventBus } from '../../../runner/events/bus.js';
import type { AnyEvent, EventName, RunEvents, Sink } from '../../../runner/events/types.js';
import type { InventoryHost } from '../../../runner/inventory/types.js';
import { defineModule } from '../../../runner/module/define.js';
import { argv, script } from '../../../runner/shell/command.js';

export function host(name: string, vars: Record<string, unknown> = {}): InventoryHost {
  return { name, address: name, port: 22, become: false, connection: 'ssh', vars, groups: ['all'] };
}

/** A sink that keeps every event in order. */
export function recorder(): Sink & { events: AnyEvent[] } {
  const events: AnyEvent[] = [];
  const sink: Sink & { events: AnyEvent[] } = { events };
  const names: EventName[] = ['run:start', 'host:start', 'task:start', 'task:result', 'host:end', 'run:end'];
  for (const type of names) {
    (sink as Record<string, unknown>)[type] = (e: RunEvents[typeof type]) =>
      events.push({ type, time: '', ...e } as AnyEvent);
  }
  return sink;
}

export function bus(...sinks: Sink[]): EventBus {
  return new EventBus(sinks);
}

/**
 * A module over a fake key/value "host": reads `get KEY`, writes `set KEY VALUE`. The fake
 * connections below answer from a Map per host, so state survives across runs like a real host.
 */
export const kv = defineModule({
  name: 'kv',
  description: 'test module',
  params: z.object({ key: z.string(), value: z.string() }),
  read: (p) => ({ command: argv('get', p.key), parse: (r) => (r.code === 0 ? r.stdout : undefined) }),
  plan: (p, current) =>
    current === p.value
      ? { commands: [] }
      : { commands: [argv('set', p.key, p.value)], diff: `-${current ?? ''}\n+${p.value}\n` },
});

export const fail = defineModule({
  name: 'fail',
  description: 'always fails when writing',
  params: z.object({ msg: z.string() }),
  plan: (p) => ({ commands: [script(`echo ${p.msg} >&2; exit 3`)] }),
});

export function kvHosts(names: string[], opts: { unreachable?: string[]; onExec?: FakeResponder } = {}) {
  const stores = new Map(names.map((n) => [n, new Map<string, string>()]));
  const conns = new Map<string, FakeConnection>();
  const respond = (name: string): FakeResponder => (s, o) => {
    const extra = opts.onExec?.(s, o);
    if (extra) return extra;
    const st = stores.get(name)!;
    // Batched reads wrap commands in subshells; look only at the last line that names get/set.
    const lines = s.split('\n');
    let out: { code?: number; stdout?: string; stderr?: string } = {};
    for (const line of lines) {
      const g = /^get (\S+)$/.exec(line);
      const w = /^set (\S+) (\S+)$/.exec(line);
      if (g) out = st.has(g[1]!) ? { stdout: st.get(g[1]!)! } : { code: 1 };
      if (w) st.set(w[1]!, w[2]!);
      const f = /exit (\d+)$/.exec(line);
      if (f) out = { code: Number(f[1]), stderr: 'boom' };
    }
    return out;
  };
  return {
    stores,
    conns,
    connect: async (h: InventoryHost) => {
      const c = new FakeConnection(h.name, respond(h.name), opts.unreachable?.includes(h.name));
      conns.set(h.name, c);
      if (opts.unreachable?.includes(h.name)) {
        const { UnreachableError } = await import('../../../runner/errors.js');
        throw new UnreachableError(h.name, 'connection refused');
      }
      return c;
    },
  };
}
