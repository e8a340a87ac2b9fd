/**
 * What a dashboard user may do, each role everything the one before may: `viewer` reads,
 * `operator` also starts (and cancels, re-runs) runs, `admin` also changes users, tokens and
 * settings. Plain data without zod, so the web app imports it too.
 */
export const roles = ['viewer', 'operator', 'admin'] as const;
export type Role = (typeof roles)[number];

export const isRole = (v: unknown): v is Role => roles.includes(v as Role);

export const hasRole = (have: Role, need: Role): boolean => roles.indexOf(have) >= roles.indexOf(need);
