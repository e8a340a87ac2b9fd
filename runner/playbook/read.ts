import type { z } from 'zod';
import { VsaError } from '../errors.js';
import type { ModuleDef, Outcome } from '../module/types.js';
import { describeZodError } from '../util/zod-message.js';
import { task } from './define.js';
import type { ReadKey } from './host-reads.js';
import type { Arg, HostContext, Task, TaskOptions } from './types.js';

/** Where a value was read: the host, and the argument the probe was built from. */
export interface ReadSource<A> {
  host: string;
  arg: A;
}

export interface ReadDef<A, T, S extends z.ZodType> {
  /** Names the read in errors. */
  name: string;
  /** The read-only module that asks the host: `shell` for a script, `stat` for a path, … */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  module: ModuleDef<S, any>;
  /** The module's arguments for one probe, from the read's argument. */
  probe: (arg: A) => z.input<S>;
  /** The module's outcome data to the typed value: a zod schema, or a function. */
  parse: z.ZodType<T> | ((data: Record<string, unknown>, from: ReadSource<A>) => T);
}

/** A task's argument and options; the argument may be left out of a read that takes none. */
type TaskArgs<A> = [A] extends [void]
  ? [arg?: Arg<A>, opts?: TaskOptions]
  : [arg: Arg<A>, opts?: TaskOptions];

export interface Read<A, T> extends ReadKey<T> {
  /** The task that reads the host: it runs in check mode too and never counts as a change. */
  task(name: string, ...args: TaskArgs<A>): Task;
  /** The value read on this host, parsed once; a `ReadMissingError` when the read did not run. */
  of(h: HostContext): T;
  /** The parser on its own, for its tests: the module's outcome data to the value. */
  parse(data: Record<string, unknown>, from: ReadSource<A>): T;
}

/** Host state a playbook reads once and uses in later tasks as a typed value (pyinfra's facts). */
export function defineRead<A = void, T = unknown, S extends z.ZodType = z.ZodType>(
  def: ReadDef<A, T, S>,
): Read<A, T> {
  const parse = (data: Record<string, unknown>, from: ReadSource<A>): T => {
    if (typeof def.parse === 'function') return def.parse(data, from);
    const r = def.parse.safeParse(data);
    if (!r.success) throw new VsaError(describeZodError(r.error, `${from.host}: read "${def.name}"`), 2);
    return r.data;
  };
  const read: Read<A, T> = {
    name: def.name,
    parse,
    of: (h) => h.reads.get(read),
    task(name, ...[arg, opts]) {
      const argOf = (h: HostContext) =>
        typeof arg === 'function' ? (arg as (h: HostContext) => A)(h) : (arg as A);
      const keep = (o: Outcome, h: HostContext) => {
        if (o.status !== 'ok' && o.status !== 'changed') return;
        const from = { host: h.name, arg: argOf(h) };
        h.reads.keep(read, () => parse(o.data ?? {}, from));
      };
      return task(def.module, name, (h) => def.probe(argOf(h)), { ...opts, changedWhen: () => false, keep });
    },
  };
  return read;
}
