/**
 * stack_release: the releases of a stack on its host (PROJECT_DIR/.vsa-releases). `record` keeps
 * the uploaded files as a release keyed by their content hash and makes it current (the last
 * `keep`, 5 by default, are kept; never the current one dropped); `restore` copies a release back
 * over the project's files (the previous one by default) and makes it current; `list` reads them.
 * `data/` and `env/` are never part of a release, so neither is ever touched.
 */
import { z } from 'zod';
import { defineModule } from '../runner/module/define.js';
import type { ExecResult } from '../runner/connection/types.js';
import { script } from '../runner/shell/command.js';
import type { Plan } from '../runner/module/types.js';
import { absolutePath } from './lib/schemas.js';
import { listScript, recordScript, RELEASE_MARK, restoreScript } from './stack-release-scripts.js';

export const releaseId = z.string().regex(/^[0-9a-f]{12}$/, 'a release: 12 hex digits');
const relativeFile = z
  .string()
  .min(1)
  .refine((f) => !f.startsWith('/') && !f.split('/').includes('..') && !f.includes('\n'), 'a path inside the stack');

const params = z.object({
  action: z.enum(['record', 'restore', 'list']),
  projectDir: absolutePath,
  /** record: the release, a content hash of its files. */
  id: releaseId.optional(),
  /** record: the files it holds, relative to projectDir. */
  files: z.array(relativeFile).default([]),
  /** record: who deployed it, in which run. */
  runId: z.string().max(200).default(''),
  actor: z.string().max(200).default(''),
  keep: z.number().int().min(1).max(100).default(5),
  /** restore: a release by id, `previous` (deployed before the current one) or `current`. */
  to: z.union([z.enum(['previous', 'current']), releaseId]).default('previous'),
  /** restore: skip instead of failing when there is no such release (nothing was deployed before). */
  missingOk: z.boolean().default(false),
});
type Params = z.output<typeof params>;

export interface Release {
  id: string;
  time: string;
  runId: string;
  actor: string;
}
export interface ReleaseState {
  link: boolean;
  current?: string;
  /** Newest first. */
  releases: Release[];
}

const record = z.object({ time: z.string(), runId: z.string().default(''), actor: z.string().default('') });

export function parseReleases(res: ExecResult): ReleaseState {
  const s: ReleaseState = { link: false, releases: [] };
  for (const block of res.stdout.split(`${RELEASE_MARK} `).slice(1)) {
    const nl = block.indexOf('\n');
    const [tag = '', arg = ''] = (nl < 0 ? block : block.slice(0, nl)).trim().split(' ');
    if (tag === 'link') s.link = true;
    else if (tag === 'current' && releaseId.safeParse(arg).success) s.current = arg;
    else if (tag === 'release' && releaseId.safeParse(arg).success) {
      let meta: unknown;
      try {
        meta = JSON.parse(nl < 0 ? '' : block.slice(nl + 1));
      } catch {
        meta = undefined;
      }
      const m = record.safeParse(meta);
      s.releases.push({ id: arg, ...(m.success ? m.data : { time: '', runId: '', actor: '' }) });
    }
  }
  s.releases.sort((a, b) => b.time.localeCompare(a.time));
  return s;
}

/** The release `to` names, if there is one. */
export function target(to: Params['to'], s: ReleaseState): string | undefined {
  if (to === 'current') return s.current;
  if (to !== 'previous') return s.releases.some((r) => r.id === to) ? to : undefined;
  const at = s.releases.findIndex((r) => r.id === s.current);
  return at < 0 ? undefined : s.releases[at + 1]?.id;
}

const listing = (s: ReleaseState) =>
  s.releases
    .map((r) => `${r.id}  ${r.time}  run ${r.runId || '-'}  by ${r.actor || '-'}${r.id === s.current ? '  (current)' : ''}`)
    .join('\n');

export const stackRelease = defineModule({
  name: 'stack_release',
  description: "Record, restore or list a stack's releases (its uploaded files by content hash) on the host",
  params,
  read: (p) => ({ command: script(listScript(p.projectDir)), parse: parseReleases }),
  plan(p: Params, s: ReleaseState): Plan {
    const data = { current: s.current, releases: s.releases };
    if (p.action === 'list') return { commands: [], message: listing(s) || 'no releases', data };
    if (s.link) return { commands: [], fail: `${p.projectDir}/.vsa-releases is a symbolic link: not followed` };
    if (p.action === 'record') {
      if (!p.id) return { commands: [], fail: 'record needs the release id' };
      if (s.current === p.id && s.releases.some((r) => r.id === p.id)) return { commands: [], message: `release ${p.id} is current`, data };
      const older = s.releases.filter((r) => r.id !== p.id);
      const drop = older.slice(p.keep - 1).map((r) => r.id);
      const meta = JSON.stringify({ time: new Date().toISOString(), runId: p.runId, actor: p.actor });
      return {
        commands: [script(recordScript({ root: p.projectDir, id: p.id, files: p.files, meta, drop }))],
        message: `release ${p.id} recorded${drop.length ? `; dropped ${drop.join(', ')}` : ''}`,
        data: { ...data, id: p.id, dropped: drop },
      };
    }
    const id = target(p.to, s);
    if (!id) {
      const why = `no ${p.to === 'previous' ? 'release before the current one' : `release ${p.to}`} (releases: ${s.releases.map((r) => r.id).join(', ') || 'none'})`;
      return p.missingOk ? { commands: [], skip: why, data } : { commands: [], fail: why, data };
    }
    return { commands: [script(restoreScript(p.projectDir, id))], message: `restored release ${id}`, data: { ...data, id } };
  },
});
