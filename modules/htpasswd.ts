/**
 * htpasswd: one user's bcrypt entry (`$2y$`, cost ≥ 10) in an NGINX/Apache password file, the other
 * lines left as they are. The read step sends the file (one round trip); the password is checked
 * against the stored hash on the control machine, so an unchanged password is `ok` although every
 * new hash differs (fresh salt). The file is written atomically with its mode (0640) and group set
 * before it appears. Hashes never appear in messages or diffs (`user:***`).
 */
import { z } from 'zod';
import { defineModule } from '../runner/module/define.js';
import type { ModuleContext, Plan } from '../runner/module/types.js';
import { absolutePath } from './lib/schemas.js';
import { fileStateProbe, joinLines, octalMode, planContentWrite, splitLines, unifiedDiff, type FileState } from './lib/index.js';

const params = z
  .object({
    path: absolutePath,
    user: z.string().min(1).max(255).regex(/^[^:\s]+$/, 'no colon or whitespace'),
    password: z.string().min(1).meta({ secret: true }).optional(),
    state: z.enum(['present', 'absent']).default('present'),
    /** bcrypt cost; an entry hashed with a lower one is re-hashed. */
    cost: z.number().int().min(10).max(15).default(10),
    mode: octalMode.default('0640'),
    owner: z.string().min(1).optional(),
    /** The group NGINX's workers run as (e.g. `www-data`), so they can read a 0640 file. */
    group: z.string().min(1).optional(),
  })
  .refine((p) => p.state === 'absent' || p.password !== undefined, { message: 'password is required', path: ['password'] });
export type HtpasswdParams = z.output<typeof params>;

/** Loaded on first use: most runs hash nothing, and every run would pay for the import at start-up. */
const loadBcrypt = async () => (await import('bcryptjs')).default;

/** bcryptjs writes `$2b$`; Apache's htpasswd and NGINX (via crypt) know the same hash as `$2y$`. */
export async function bcryptEntry(password: string, cost: number): Promise<string> {
  return (await (await loadBcrypt()).hash(password, cost)).replace(/^\$2[ab]\$/, '$2y$');
}

/** True when `hash` is a bcrypt hash of `password` with at least `cost` rounds. */
export async function entryMatches(hash: string, password: string, cost: number): Promise<boolean> {
  if (!/^\$2[aby]\$\d\d\$/.test(hash)) return false;
  const normal = hash.replace(/^\$2y\$/, '$2b$');
  const bcrypt = await loadBcrypt();
  return bcrypt.getRounds(normal) >= cost && bcrypt.compare(password, normal);
}

const userOf = (line: string) => line.slice(0, line.indexOf(':'));

/** The file with each hash replaced by `***`, and marked where it changed. */
function masked(lines: string[], changed?: string): string {
  return lines
    .filter((l) => l !== '')
    .map((l) => (l.includes(':') ? `${userOf(l)}:***${userOf(l) === changed ? ' (new hash)' : ''}` : l))
    .join('\n')
    .concat(lines.some((l) => l !== '') ? '\n' : '');
}

export async function planHtpasswd(p: HtpasswdParams, state: FileState, ctx: Pick<ModuleContext, 'diff'>): Promise<Plan> {
  if (state.exists && state.type !== 'file') return { commands: [], fail: `${p.path} exists and is not a regular file` };
  const before = state.content?.toString('utf8') ?? '';
  const lines = splitLines(before);
  const at = lines.findIndex((l) => l.includes(':') && userOf(l) === p.user);
  const data = { path: p.path, user: p.user };

  if (p.state === 'absent') {
    if (at < 0) return { commands: [], data };
    const after = lines.filter((_, i) => i !== at);
    const plan = planContentWrite({ path: p.path, content: joinLines(after) }, state, { diff: false });
    return { ...plan, message: `removed ${p.user} from ${p.path}`, diff: ctx.diff ? unifiedDiff(p.path, masked(lines), masked(after)) : undefined };
  }

  const current = at < 0 ? undefined : lines[at]!.slice(p.user.length + 1);
  const same = current !== undefined && (await entryMatches(current, p.password!, p.cost));
  const after = [...lines];
  if (!same) {
    const entry = `${p.user}:${await bcryptEntry(p.password!, p.cost)}`;
    if (at < 0) after.push(entry);
    else after[at] = entry;
  }
  const content = joinLines(after);
  // The write's own diff would show the hashes: only the attribute-only plan keeps it.
  const plan = planContentWrite({ path: p.path, content, mode: p.mode, owner: p.owner, group: p.group }, state, { diff: same && ctx.diff });
  if (same) return { ...plan, data };
  const message = at < 0 ? `added ${p.user} to ${p.path}` : `updated the password of ${p.user} in ${p.path}`;
  const diff = ctx.diff ? unifiedDiff(p.path, state.exists ? masked(lines) : undefined, masked(after, p.user)) : undefined;
  return { ...plan, message, diff, data, result: plan.result && ((res) => ({ ...plan.result!(res), ...(res.code === 0 ? { message } : {}) })) };
}

export const htpasswd = defineModule({
  name: 'htpasswd',
  description: 'Add, update or remove one bcrypt user in an htpasswd file, leaving the other lines alone',
  params,
  read: (p) => fileStateProbe(p.path, { withContent: true }),
  plan: (p, state: FileState, ctx) => planHtpasswd(p, state, ctx),
});
