import type { z } from 'zod';
import type { FactDef, ModuleDef } from './types.js';

/** Returns its argument, typed from the params schema: no registration side effects. */
export function defineModule<S extends z.ZodType, State = undefined>(def: ModuleDef<S, State>): ModuleDef<S, State> {
  return def;
}

export function defineFact<T>(def: FactDef<T>): FactDef<T> {
  return def;
}
