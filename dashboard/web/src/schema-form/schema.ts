/** The part of JSON Schema (as `z.toJSONSchema` writes it for playbook params) the form understands. */
export interface FieldSchema {
  type?: string | string[];
  enum?: unknown[];
  default?: unknown;
  description?: string;
  pattern?: string;
  format?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  items?: FieldSchema;
  secret?: boolean;
}

export interface ObjectSchema {
  properties?: Record<string, FieldSchema>;
  required?: string[];
}

export type FieldKind = 'boolean' | 'integer' | 'number' | 'enum' | 'list' | 'text';

export function kindOf(f: FieldSchema): FieldKind {
  if (f.enum) return 'enum';
  const types = Array.isArray(f.type) ? f.type : [f.type];
  // `["boolean","string"]` is a flag that also takes "true"/"false" from the command line.
  if (types.includes('boolean')) return 'boolean';
  if (types.includes('integer')) return 'integer';
  if (types.includes('number')) return 'number';
  if (types.includes('array')) return 'list';
  return 'text';
}

/** Form text → the value the schema expects; empty means "not given". */
export function toValue(f: FieldSchema, raw: string | boolean): unknown {
  const kind = kindOf(f);
  if (kind === 'boolean') return raw === true ? true : undefined;
  const s = String(raw).trim();
  if (s === '') return undefined;
  if (kind === 'integer' || kind === 'number') return Number(s);
  if (kind === 'enum') return f.enum!.find((e) => String(e) === s);
  if (kind === 'list') return s.split(',').map((x) => x.trim()).filter(Boolean);
  return s;
}

/** The first rule a value breaks, in words, or undefined: the client's check before the server's. */
export function checkField(f: FieldSchema, value: unknown, required: boolean): string | undefined {
  if (value === undefined) return required && f.default === undefined ? 'required' : undefined;
  const kind = kindOf(f);
  if (kind === 'integer' || kind === 'number') {
    const n = value as number;
    if (Number.isNaN(n) || (kind === 'integer' && !Number.isInteger(n))) return `expected ${kind === 'integer' ? 'a whole number' : 'a number'}`;
    if (f.minimum !== undefined && n < f.minimum) return `at least ${f.minimum}`;
    if (f.exclusiveMinimum !== undefined && n <= f.exclusiveMinimum) return `more than ${f.exclusiveMinimum}`;
    if (f.maximum !== undefined && n > f.maximum) return `at most ${f.maximum}`;
    return undefined;
  }
  if (kind === 'enum') return f.enum!.includes(value) ? undefined : `one of ${f.enum!.join(', ')}`;
  if (kind === 'list') {
    const bad = (value as string[]).find((v) => f.items && checkField(f.items, v, true));
    return bad === undefined ? undefined : `"${bad}": ${checkField(f.items!, bad, true)}`;
  }
  const s = value as string;
  if (f.minLength !== undefined && s.length < f.minLength) return `at least ${f.minLength} characters`;
  if (f.maxLength !== undefined && s.length > f.maxLength) return `at most ${f.maxLength} characters`;
  if (f.pattern && !safeRegExp(f.pattern)?.test(s)) return `does not match ${f.format ?? 'the expected form'}`;
  return undefined;
}

function safeRegExp(pattern: string): RegExp | undefined {
  try {
    return new RegExp(pattern, 'u');
  } catch {
    return undefined;
  }
}
