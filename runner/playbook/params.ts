import { z } from 'zod';
import { ParamsError } from '../errors.js';
import { describeZodError } from '../util/zod-message.js';
import type { PlaybookDef } from './types.js';

/** Validates extra vars against the playbook's schema before any connection is opened. */
export function validateParams(pb: PlaybookDef, vars: Record<string, unknown>): Record<string, unknown> {
  const r = pb.params.safeParse(vars);
  if (!r.success) throw new ParamsError(describeZodError(r.error, `invalid parameters for ${pb.name}`));
  return r.data as Record<string, unknown>;
}

export interface ParamInfo {
  name: string;
  type: string;
  required: boolean;
  default?: unknown;
  description?: string;
  secret: boolean;
  /** Names the control machine's directory of stacks (`.meta({ stacksDir: true })`): a dashboard sets it, never a request. */
  stacksDir: boolean;
}

/** The parameters of a playbook, generated from its schema (for `vsa playbooks` and forms). */
export function describeParams(pb: PlaybookDef): ParamInfo[] {
  const schema = z.toJSONSchema(pb.params, { io: 'input', unrepresentable: 'any' }) as {
    properties?: Record<
      string,
      { type?: string; enum?: unknown[]; default?: unknown; description?: string; secret?: boolean; stacksDir?: boolean; format?: string }
    >;
    required?: string[];
  };
  const shape = (pb.params as { shape?: Record<string, z.ZodType> }).shape ?? {};
  return Object.entries(schema.properties ?? {}).map(([name, p]) => ({
    name,
    type: p.enum ? p.enum.map(String).join('|') : (p.format ?? p.type ?? 'any'),
    required: (schema.required ?? []).includes(name) && p.default === undefined,
    default: p.default ?? outerDefault(shape[name]),
    description: p.description,
    secret: p.secret === true,
    stacksDir: p.stacksDir === true,
  }));
}

/**
 * The default of a field whose input is preprocessed (`wholeNumber(…).default(80)`): JSON Schema
 * leaves it out of the input side, since it is an output value, but it is what the field means.
 */
function outerDefault(field: z.ZodType | undefined): unknown {
  const def = field?._zod.def as { type?: string; defaultValue?: unknown } | undefined;
  return def?.type === 'default' ? def.defaultValue : undefined;
}
