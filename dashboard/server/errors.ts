import type { z } from 'zod';
import { VsaError } from '../../runner/errors.js';
import { describeZodError } from '../../runner/util/zod-message.js';

/** An API failure that maps to an HTTP status; the message is safe to show to the caller. */
export class HttpError extends VsaError {
  constructor(
    readonly statusCode: number,
    message: string,
  ) {
    super(message, 1);
  }
}

/** Validates a request part with its zod schema; a failure is a 400 naming each bad field. */
export function parse<S extends z.ZodType>(schema: S, value: unknown, what: string): z.output<S> {
  const r = schema.safeParse(value);
  if (!r.success) throw new HttpError(400, describeZodError(r.error, `invalid ${what}`));
  return r.data;
}

/** `vsa dashboard` cannot do what it was told: a name taken, an unknown token, a playbook it does not have. */
export class DashboardError extends VsaError {
  constructor(message: string) {
    super(message, 5);
  }
}
