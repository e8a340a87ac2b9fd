import { z } from 'zod';
import { didYouMean } from '../util/closest-name.js';
import type { AnyModule } from './types.js';

interface ObjectSchema {
  properties?: Record<string, unknown>;
  additionalProperties?: unknown;
  anyOf?: ObjectSchema[];
  oneOf?: ObjectSchema[];
  allOf?: ObjectSchema[];
}

/** undefined: the schema keeps keys it does not name, so any key may be meant. */
function namesOf(s: ObjectSchema): Set<string> | undefined {
  const branches = s.anyOf ?? s.oneOf ?? s.allOf;
  if (branches) {
    const all = new Set<string>();
    for (const b of branches) {
      const names = namesOf(b);
      if (!names) return undefined;
      names.forEach((n) => all.add(n));
    }
    return all;
  }
  if (!s.properties || (s.additionalProperties ?? false) !== false) return undefined;
  return new Set(Object.keys(s.properties));
}

const cache = new WeakMap<z.ZodType, Set<string> | undefined>();

/** The argument names a module takes, read from its params schema (every branch of a union). */
function argNames(module: AnyModule): Set<string> | undefined {
  if (!cache.has(module.params)) {
    cache.set(module.params, namesOf(z.toJSONSchema(module.params, { io: 'input', unrepresentable: 'any' }) as ObjectSchema));
  }
  return cache.get(module.params);
}

/**
 * Why `args` are not all arguments of `module`, or undefined when they are: zod drops a key it
 * does not know, so a misspelt argument would run as if it were not there.
 */
export function unknownArgs(module: AnyModule, args: unknown): string | undefined {
  const names = argNames(module);
  if (!names || args === null || typeof args !== 'object' || Array.isArray(args)) return undefined;
  const unknown = Object.keys(args).filter((k) => !names.has(k));
  if (unknown.length === 0) return undefined;
  const known = [...names];
  return `${module.name} has no argument ${unknown.map((k) => `"${k}"${didYouMean(k, known)}`).join(', ')} (its arguments: ${known.join(', ')})`;
}
