import { secretForms } from './secret-forms.js';
import { mysqlProgram, secretFlag, secretKey, textPatterns, wholePatterns } from './patterns.js';

export const MASK = '***';

/** Env vars whose values are always secrets, on top of those the config names. */
export const defaultSecretEnv = ['VSA_SSH_PASSWORD', 'VSA_BECOME_PASSWORD', 'VSA_DASHBOARD_TOKEN'];

export interface RedactorOptions {
  /** Exact values to hide wherever they appear (e.g. from `secretParamValues`). */
  secretValues?: string[];
  /** Env vars whose values are secrets (added to `defaultSecretEnv`). */
  envNames?: string[];
  env?: NodeJS.ProcessEnv;
}

export type Redact = <T>(value: T) => T;

/**
 * Values shorter than this are not masked as exact values: masking every "1" or "ab" in a diff
 * would destroy the record and hide nothing worth hiding.
 */
const MIN_SECRET_LENGTH = 3;

/**
 * The one redaction function: returns a deep copy of a value with every string cleaned of exact
 * secret values (and their lines and encodings, see secret-forms.ts), key=value / flag passwords and tokens, bearer credentials, password hashes and
 * private keys; strings under secret-looking keys are masked whole. Other data is untouched.
 */
export function createRedactor(opts: RedactorOptions = {}): Redact {
  const env = opts.env ?? process.env;
  const fromEnv = [...defaultSecretEnv, ...(opts.envNames ?? [])].map((n) => env[n]);
  const values = [...(opts.secretValues ?? []), ...fromEnv].filter(
    (v): v is string => typeof v === 'string' && v.length >= MIN_SECRET_LENGTH,
  );
  // Longest first: a secret's whole text is masked before one of its lines or a shorter secret.
  const exact = [...new Set(values.flatMap(secretForms))].sort((a, b) => b.length - a.length);
  const exactRe = exact.length ? new RegExp(exact.map(escapeRegExp).join('|'), 'g') : undefined;

  const text = (s: string): string => {
    let out = exactRe ? s.replace(exactRe, MASK) : s;
    for (const re of wholePatterns) out = out.replace(re, MASK);
    for (const re of textPatterns) out = out.replace(re, `$1${MASK}`);
    return out;
  };

  const walk = (value: unknown, key?: string): unknown => {
    if (key !== undefined && secretKey.test(key) && (typeof value === 'number' || (typeof value === 'string' && value))) {
      return MASK;
    }
    if (typeof value === 'string') return value.length < MIN_SECRET_LENGTH ? value : text(value);
    if (Array.isArray(value)) return argv(value.map((v) => walk(v)));
    if (isPlainObject(value)) {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) out[k] = walk(v, k);
      return out;
    }
    return value;
  };

  return <T>(value: T) => walk(value) as T;
}

/**
 * An argv array splits a flag from its value, out of reach of the text patterns:
 * `['app', '--password', 'x']`, `['mysql', '-px']`.
 */
function argv(items: unknown[]): unknown[] {
  const mysql = typeof items[0] === 'string' && mysqlProgram.test(items[0]);
  return items.map((item, i) => {
    if (typeof item !== 'string') return item;
    const prev = items[i - 1];
    if (typeof prev === 'string' && secretFlag.test(prev)) return MASK;
    if (mysql && /^-p./.test(item)) return `-p${MASK}`;
    return item;
  });
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== 'object') return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
