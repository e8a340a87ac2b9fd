import { z } from 'zod';

const day = /^\d{4}-\d{2}-\d{2}$/;

/** A day (`2026-01-10`, as a date input sends it) or an ISO time. */
export const dateParam = z
  .string()
  .refine((s) => day.test(s) || (z.iso.datetime({ offset: true }).safeParse(s).success), 'expected YYYY-MM-DD or an ISO time');

/** The first instant of a `since` bound. */
export function sinceBound(s: string | undefined): string | undefined {
  if (!s) return undefined;
  return day.test(s) ? `${s}T00:00:00.000Z` : new Date(s).toISOString();
}

/** The instant an `until` bound stops before: a day includes all of itself. */
export function untilBound(s: string | undefined): string | undefined {
  if (!s) return undefined;
  if (!day.test(s)) return new Date(s).toISOString();
  return new Date(Date.parse(`${s}T00:00:00.000Z`) + 86_400_000).toISOString();
}

export const paging = {
  limit: z.coerce.number().int().min(1).max(500).default(50),
  offset: z.coerce.number().int().min(0).default(0),
};
