import { z } from 'zod';
import { ParamsError } from '../errors.js';
import { didYouMean } from '../util/closest-name.js';
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
  /**
   * Names a file or program of the control machine (`.meta({ controlMachine: true })`): a request
   * to the dashboard may never set it, since it would choose what the control machine runs or reads.
   */
  controlMachine: boolean;
}

interface ParamsJsonSchema {
  properties?: Record<
    string,
    { type?: string; enum?: unknown[]; default?: unknown; description?: string; secret?: boolean; stacksDir?: boolean; controlMachine?: boolean; format?: string }
  >;
  required?: string[];
  /** Present (and not false) when the schema keeps keys it does not name (`z.looseObject`). */
  additionalProperties?: unknown;
}

// Once per playbook: a run asks for it twice before connecting, and each costs milliseconds.
const jsonSchemas = new WeakMap<PlaybookDef['params'], ParamsJsonSchema>();
function jsonSchemaOf(pb: PlaybookDef): ParamsJsonSchema {
  let schema = jsonSchemas.get(pb.params);
  if (!schema) {
    schema = z.toJSONSchema(pb.params, { io: 'input', unrepresentable: 'any' }) as ParamsJsonSchema;
    jsonSchemas.set(pb.params, schema);
  }
  return schema;
}

/**
 * Before any connection: a key the playbook does not take is a typo until shown otherwise (zod
 * would drop it in silence), and a secret written on the command line is already in `ps` and the
 * shell's history — both exit 5.
 */
export function checkParamNames(pb: PlaybookDef, vars: Record<string, unknown>, onCommandLine: ReadonlySet<string>): void {
  const schema = jsonSchemaOf(pb);
  const params = describeParams(pb);
  const known = params.map((p) => p.name);
  const takesAny = schema.properties === undefined || (schema.additionalProperties ?? false) !== false;
  const unknown = takesAny ? [] : Object.keys(vars).filter((k) => !known.includes(k));
  if (unknown.length > 0) {
    throw new ParamsError(
      `${pb.name} has no parameter ${unknown.map((k) => `"${k}"${didYouMean(k, known)}`).join(', ')}; its parameters: ${known.join(', ') || 'none'}`,
    );
  }
  const exposed = params.filter((p) => p.secret && onCommandLine.has(p.name)).map((p) => p.name);
  if (exposed.length > 0) {
    throw new ParamsError(
      `${exposed.join(', ')} ${exposed.length > 1 ? 'are secrets' : 'is a secret'}: not on the command line, where ps and shell history see it; ` +
        `give it in a file (-e @vars.yml), in ${exposed.map(secretParamEnv).join(', ')}, or leave it out to be prompted on a terminal`,
    );
  }
}

/** The environment variable a secret param may come from: `apiToken` → `VSA_PARAM_API_TOKEN`. */
export function secretParamEnv(name: string): string {
  return `VSA_PARAM_${name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').replace(/[^A-Za-z0-9]/g, '_').toUpperCase()}`;
}

/** The parameters of a playbook, generated from its schema (for `vsa playbooks` and forms). */
export function describeParams(pb: PlaybookDef): ParamInfo[] {
  const schema = jsonSchemaOf(pb);
  const shape = (pb.params as { shape?: Record<string, z.ZodType> }).shape ?? {};
  return Object.entries(schema.properties ?? {}).map(([name, p]) => ({
    name,
    type: p.enum ? p.enum.map(String).join('|') : (p.format ?? p.type ?? 'any'),
    required: (schema.required ?? []).includes(name) && p.default === undefined,
    default: p.default ?? outerDefault(shape[name]),
    description: p.description,
    secret: p.secret === true,
    stacksDir: p.stacksDir === true,
    controlMachine: p.controlMachine === true,
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
