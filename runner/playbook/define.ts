import type { z } from 'zod';
import type { ModuleDef } from '../module/types.js';
import type { Arg, PlaybookDef, Task, TaskOptions } from './types.js';

/** Returns its argument, typed from the params schema. */
export function definePlaybook<S extends z.ZodType>(def: PlaybookDef<S>): PlaybookDef<S> {
  return def;
}

/** A task of `module` whose arguments are checked against the module's schema at compile time. */
export function task<S extends z.ZodType>(
  module: ModuleDef<S, never> | ModuleDef<S, any>, // eslint-disable-line @typescript-eslint/no-explicit-any
  name: string,
  args: Arg<z.input<S>>,
  opts: TaskOptions = {},
): Task {
  return { ...opts, name, module, args };
}
