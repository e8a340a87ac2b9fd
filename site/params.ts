import { z } from 'zod';
import { hostname } from '../modules/hostname.js';

/** A site's domain: a DNS hostname and nothing else (it becomes file names, argv and nginx directives). */
export const domain = hostname.refine(
  (d) => d.includes('.'),
  'must be a fully qualified domain such as shop.example.com',
);

/**
 * A whole number from `-e n=42` (a string of decimal digits) or a number. `z.coerce.number` would
 * take what `Number()` takes: `0x10`, `1e2`, ` 42 `, `0b1` and the empty string (as 0).
 */
export function wholeNumber(min: number, max: number) {
  const fromDigits = (v: unknown) => (typeof v === 'string' && /^-?[0-9]+$/.test(v) ? Number(v) : v);
  const range = `must be ${min}–${max}`;
  return z.preprocess(
    fromDigits,
    z.number({ error: 'must be a whole number in decimal digits' }).int('must be a whole number').min(min, range).max(max, range),
  );
}

/** A TCP port from `-e port=3000` (a string) or a number. */
export const port = wholeNumber(1, 65535);

/** Docker/Podman container, network and compose project names. */
export const containerName = z
  .string()
  .regex(/^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,127}$/, 'must be a container name (letters, digits, _ . -)');

/** A directory name under /srv or stacks/: lower-case, no dots or slashes. */
export const slug = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, 'must be lower-case letters, digits, _ or -');

/** An htpasswd user name: no colon (the file's separator), no whitespace. */
export const authUser = z.string().regex(/^[A-Za-z0-9._@-]{1,64}$/, 'must be 1–64 letters, digits, . _ @ -');

export const secret = z.string().min(1, 'must not be empty').meta({ secret: true });

const TRUE = ['true', 'yes', 'on', '1'];
const FALSE = ['false', 'no', 'off', '0', ''];

/**
 * A boolean parameter with its default, from `-e flag=true|false|yes|no|1|0` or YAML;
 * `z.coerce.boolean` would read "false" as true.
 */
export function flag(byDefault: boolean) {
  const fromText = (v: unknown) => {
    if (typeof v !== 'string') return v;
    const t = v.toLowerCase();
    return TRUE.includes(t) ? true : FALSE.includes(t) ? false : v;
  };
  return z.preprocess(fromText, z.boolean({ error: 'must be true or false' }).default(byDefault));
}
