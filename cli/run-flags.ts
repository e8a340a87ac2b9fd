import { z } from 'zod';
import { UsageError } from '../runner/errors.js';
import { isCI } from '../runner/util/is-ci.js';
import type { CliContext } from './program.js';

/**
 * The run flags as commander hands them over (its parsers have checked the numbers), with their
 * defaults: the one place that says what a run was asked to do. Imported by the run actions only,
 * so `vsa --help` and the commands that run no playbook never load zod.
 */
const runFlags = z.object({
  verbose: z.boolean(),
  inventory: z.array(z.string()).default([]),
  vaultId: z.array(z.string()).default([]),
  vaultPasswordFile: z.array(z.string()).default([]),
  askVaultPass: z.boolean().default(false),
  becomePasswordFile: z.string().optional(),
  askBecomePass: z.boolean().default(false),
  extraVars: z.array(z.string()).default([]),
  limit: z.string().optional(),
  /** Given on the command line; otherwise ansible.cfg's `forks`, then 20. */
  forks: z.number().optional(),
  check: z.boolean().default(false),
  diff: z.boolean().default(false),
  tags: z.array(z.string()).default([]),
  skipTags: z.array(z.string()).default([]),
  startAtTask: z.string().optional(),
  /** Print instead of running: the play's hosts, tasks or tags; or only check that it builds. */
  listHosts: z.boolean().default(false),
  listTasks: z.boolean().default(false),
  listTags: z.boolean().default(false),
  syntaxCheck: z.boolean().default(false),
  json: z.boolean().default(false),
  /** Input warnings are exit 5: `--strict`/`--no-strict`, else on when CI is set. */
  strict: z.boolean(),
  color: z.boolean().default(true),
  /** Given on the command line; otherwise each host's inventory decides (strict when it says nothing). */
  hostKey: z
    .enum(['strict', 'accept-new'], { error: (i) => `--host-key must be strict or accept-new, got "${String(i.input)}"` })
    .optional(),
  knownHosts: z.string().optional(),
  /** `--wait-lock` without seconds waits 300 s. */
  waitLock: z
    .union([z.number(), z.literal(true)])
    .optional()
    .transform((v) => (v === true ? 300 : v)),
  /** Given on the command line; otherwise the inventory, then the ssh config, then 15 s. */
  connectTimeout: z.number().optional(),
  maxHandshakes: z.number().default(20),
});
export type RunFlags = z.output<typeof runFlags>;

/** Commander's options of a run command, checked and defaulted; `ctx` adds the global ones. */
export function parseRunFlags(opts: Record<string, unknown>, ctx: CliContext, env = process.env): RunFlags {
  const r = runFlags.safeParse({ ...opts, strict: opts.strict ?? isCI(env), ...ctx });
  if (!r.success) throw new UsageError(r.error.issues.map((i) => i.message).join('; '));
  return r.data;
}
