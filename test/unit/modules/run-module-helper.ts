import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalConnection } from '../../../runner/connection/local.js';
import { argv } from '../../../runner/shell/command.js';
import type { Connection, ExecResult } from '../../../runner/connection/types.js';
import { FactCache } from '../../../runner/module/fact-cache.js';
import { runModule } from '../../../runner/module/run-module.js';
import type { AnyModule, ModuleContext, Outcome, Plan } from '../../../runner/module/types.js';

export interface RunOptions {
  check?: boolean;
  diff?: boolean;
  vars?: Record<string, unknown>;
  facts?: FactCache;
}

/** Validates params and runs the module the way the executor does (read → plan → write). */
export function run(
  module: AnyModule,
  params: unknown,
  conn: Connection,
  o: RunOptions = {},
): Promise<Outcome> {
  const facts = o.facts ?? new FactCache(conn, () => ({}));
  return runModule({
    module,
    params: module.params.parse(params),
    conn,
    facts,
    ctx: ctx(o, facts, conn.host),
    exec: {},
  });
}

/** Plans from a sample of what the host printed for the probe, without any connection. */
export async function planFrom(
  module: AnyModule,
  params: unknown,
  probe: Partial<ExecResult> = {},
  o: RunOptions = {},
): Promise<Plan> {
  const parsed = module.params.parse(params);
  const facts = o.facts ?? new FactCache(unusedConnection, () => ({}));
  const c = ctx(o, facts, 'h1');
  const p = module.read?.(parsed, c);
  const state = p?.parse({ code: 0, stdout: '', stderr: '', ...probe });
  return module.plan(parsed, state, c);
}

function ctx(o: RunOptions, facts: FactCache, host: string): ModuleContext {
  return { host, vars: o.vars ?? {}, check: o.check ?? false, diff: o.diff ?? false, facts };
}

const unusedConnection: Connection = {
  host: 'h1',
  exec: () => Promise.reject(new Error('no connection in a planning test')),
  put: () => Promise.reject(new Error('no connection')),
  get: () => Promise.reject(new Error('no connection')),
  close: async () => undefined,
};

/**
 * A LocalConnection and a temp dir, both gone after `fn`, even when it throws. `env(dir)` adds
 * variables to the connection's shell only (e.g. a PATH with stand-in commands).
 */
export async function withLocal<T>(
  fn: (conn: LocalConnection, dir: string) => Promise<T>,
  env?: (dir: string) => Record<string, string>,
): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'vsa-mod-'));
  const extra = env?.(dir) ?? {};
  const saved = Object.keys(extra).map((k) => [k, process.env[k]] as const);
  Object.assign(process.env, extra);
  const conn = new LocalConnection('local');
  try {
    try {
      await conn.exec(argv('true')); // once the shell runs with `extra`, the test process gets its env back
    } finally {
      for (const [k, v] of saved) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    }
    return await fn(conn, dir);
  } finally {
    await conn.close();
    await rm(dir, { recursive: true, force: true });
  }
}

/** A name with every shell metacharacter that could break quoting. */
export const NASTY = `we ird'$(touch PWNED)\`touch PWNED\`;|&<>*?"\\!#~ x`;
