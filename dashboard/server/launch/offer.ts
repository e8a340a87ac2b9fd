import { existsSync, realpathSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';
import { listPlaybookNames } from '../../../runner/playbook/load.js';
import { describeParams, type ParamInfo } from '../../../runner/playbook/params.js';
import type { PlaybookDef } from '../../../runner/playbook/types.js';
import { DashboardError, HttpError } from '../errors.js';

/**
 * What a run started from the dashboard may use: these built-in playbooks, by name, and stacks
 * from this one directory of the control machine. Nothing in a request can widen it.
 */
export interface RunOffer {
  playbooks: readonly string[];
  /** The real path of the stacks directory; playbooks with a `stacksDir` param need one. */
  stacksDir?: string;
}

/** The offer from `vsa dashboard --playbooks … --stacks-dir …`; every built-in and no stacks when unset. */
export function runOffer(playbooks?: readonly string[], stacksDir?: string): RunOffer {
  const builtin = listPlaybookNames();
  const unknown = (playbooks ?? []).filter((n) => !builtin.includes(n));
  if (unknown.length) throw new DashboardError(`--playbooks: no built-in playbook ${unknown.join(', ')} (known: ${builtin.join(', ')})`);
  if (stacksDir !== undefined && !(existsSync(stacksDir) && statSync(stacksDir).isDirectory()))
    throw new DashboardError(`--stacks-dir: ${stacksDir} is not a directory`);
  return { playbooks: playbooks ?? builtin, ...(stacksDir === undefined ? {} : { stacksDir: realpathSync(resolve(stacksDir)) }) };
}

/** `POST /api/runs`: an offered playbook by name (never a path), its params, and run flags. */
export function startBody(offer: RunOffer) {
  return z
    .object({
      playbook: z.string().refine((n) => offer.playbooks.includes(n), `must be one of the playbooks this dashboard offers: ${offer.playbooks.join(', ')}`),
      params: z.record(z.string(), z.unknown()).default({}),
      // Never starts with "-": it becomes one argv element after --limit, and must not read as a flag.
      // Long enough for a re-run's list of host names, well under one argv element's 128 KiB.
      limit: z.string().max(50_000).regex(/^[^-\s][^\s]*$/, 'a host pattern').optional(),
      check: z.boolean().default(false),
      diff: z.boolean().default(true),
    })
    .strict();
}

/** Why the dashboard cannot start `pb` with this offer, if it cannot. */
export function unavailable(pb: PlaybookDef, offer: RunOffer, info = describeParams(pb)): string | undefined {
  const local = info.filter((p) => p.controlMachine && p.required);
  if (local.length)
    return `${pb.name} needs paths of the control machine (${local.map((p) => p.name).join(', ')}), which a dashboard request may not choose: run it from a terminal`;
  const needsStacks = info.some((p) => p.stacksDir);
  if (!needsStacks || (offer.stacksDir && pb.params instanceof z.ZodObject)) return undefined;
  return `${pb.name} needs a stacks directory, and this dashboard offers none (vsa dashboard --stacks-dir DIR)`;
}

/**
 * Which params a request may set for `pb`: the fields of the playbook's schema without its
 * `stacksDir` and `controlMachine` params (those keep their defaults), and no unknown key (rules across fields are the playbook schema's, checked
 * after); `fixed` holds what the dashboard sets in their place (its stacks directory).
 */
export function requestParams(pb: PlaybookDef, offer: RunOffer): { schema: z.ZodType; fixed: Record<string, string> } {
  const info = describeParams(pb);
  const why = unavailable(pb, offer, info);
  if (why) throw new HttpError(400, why);
  if (!(pb.params instanceof z.ZodObject)) return { schema: pb.params, fixed: {} };
  const owned = dashboardOwned(info);
  return {
    schema: z.strictObject(Object.fromEntries(Object.entries(pb.params.shape).filter(([k]) => !owned.includes(k)))),
    fixed: Object.fromEntries(info.filter((p) => p.stacksDir).map((p) => [p.name, offer.stacksDir!])),
  };
}

/** Params a request may never set: the dashboard's stacks directory and paths of the control machine. */
export function dashboardOwned(info: ParamInfo[]): string[] {
  return info.filter((p) => p.stacksDir || p.controlMachine).map((p) => p.name);
}
