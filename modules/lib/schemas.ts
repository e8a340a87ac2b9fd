import { z } from 'zod';

/** Paths on the host are absolute: the remote working directory is not something to rely on. */
export const absolutePath = z
  .string()
  .regex(/^\//, 'an absolute path (starting with /)')
  .refine((p) => !p.includes('\n'), 'no newline');

/** A JavaScript regular expression, checked when the params are parsed. */
export const regexSource = z.string().refine((s) => {
  try {
    new RegExp(s);
    return true;
  } catch {
    return false;
  }
}, 'a valid regular expression');
