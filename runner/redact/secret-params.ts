import type { z } from 'zod';

/** Wrappers whose inner schema carries the field's own metadata. */
type Def = { type: string; innerType?: z.ZodType; in?: z.ZodType; shape?: Record<string, z.ZodType> };

/**
 * The values of params whose schema is marked `.meta({ secret: true })` (on the field or on any
 * optional/default/nullable wrapper around it), looking into nested objects too.
 */
export function secretParamValues(schema: z.ZodType, params: unknown): string[] {
  const out: string[] = [];
  collect(schema, params, false, out);
  return out;
}

function collect(schema: z.ZodType, value: unknown, secret: boolean, out: string[]): void {
  if (value === undefined || value === null) return;
  let s: z.ZodType | undefined = schema;
  let isSecret = secret;
  while (s) {
    if ((s.meta() as { secret?: unknown } | undefined)?.secret === true) isSecret = true;
    const def = s._zod.def as unknown as Def;
    if (def.type === 'object' && def.shape) {
      if (typeof value !== 'object') break;
      for (const [k, field] of Object.entries(def.shape)) {
        collect(field, (value as Record<string, unknown>)[k], isSecret, out);
      }
      return;
    }
    s = def.innerType ?? def.in;
  }
  if (isSecret) leaves(value, out);
}

function leaves(value: unknown, out: string[]): void {
  if (typeof value === 'string') out.push(value);
  else if (typeof value === 'number' || typeof value === 'bigint') out.push(String(value));
  else if (Array.isArray(value)) value.forEach((v) => leaves(v, out));
  else if (value && typeof value === 'object') Object.values(value).forEach((v) => leaves(v, out));
}
