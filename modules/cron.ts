import { z } from 'zod';
import { defineModule } from '../runner/module/define.js';
import { argv, pipeContent, script } from '../runner/shell/command.js';
import { joinArgv } from '../runner/shell/quote.js';
import type { ModuleContext, Plan } from '../runner/module/types.js';
import {
  absolutePath,
  fileStateProbe,
  joinLines,
  planContentWrite,
  planRemove,
  ProbeError,
  splitLines,
  unifiedDiff,
  type FileState,
} from './lib/index.js';

const oneLine = z
  .string()
  .min(1)
  .refine((s) => !s.includes('\n'), 'one line, without newline');
const field = z
  .string()
  .regex(/^[0-9A-Za-z*,/-]+$/, 'a cron field such as */5, 1-5 or mon')
  .default('*');

const cronParams = z
  .object({
    /** Names the entry: the `# VSA: NAME` line above it is how it is found again. */
    name: oneLine,
    job: oneLine.optional(),
    state: z.enum(['present', 'absent']).default('present'),
    minute: field,
    hour: field,
    day: field,
    month: field,
    weekday: field,
    /** Replaces the five fields: `@reboot`, `@daily`, … */
    special: z
      .enum(['@reboot', '@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly'])
      .optional(),
    /** Whose crontab (`crontab -u`, root only); in a cron.d file, the user the job runs as (default root). */
    user: z
      .string()
      .regex(/^[A-Za-z0-9._-]+$/, 'a user name')
      .optional(),
    /** Put the entry in `CRONDIR/FILE` instead of a user crontab (cron ignores names with dots). */
    file: z
      .string()
      .regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, _ and - only')
      .optional(),
    cronDir: absolutePath.default('/etc/cron.d'),
  })
  .refine((p) => p.state === 'absent' || p.job !== undefined, 'job is required with state present');
type CronParams = z.output<typeof cronParams>;

interface CronState {
  text: string;
  /** cron.d mode: the file's state, for the shared write path. */
  file?: FileState;
}

/**
 * One named cron entry in a user crontab (`crontab -l` / `crontab -`) or a cron.d file. The new
 * table is computed here from what was read, so other entries are never touched.
 */
export const cron = defineModule({
  name: 'cron',
  description: 'Ensure a named cron entry is present or absent',
  params: cronParams,
  read(p) {
    if (p.file) {
      const probe = fileStateProbe(cronFilePath(p), { withContent: true });
      return {
        command: probe.command,
        parse: (res): CronState => {
          const file = probe.parse(res);
          return { text: file.content?.toString('utf8') ?? '', file };
        },
      };
    }
    return {
      command: argv('crontab', ...userArgs(p), '-l'),
      parse: (res): CronState => {
        if (res.code === 0) return { text: res.stdout };
        if (res.code === 1 && /no crontab/i.test(res.stderr)) return { text: '' };
        throw new ProbeError(`the crontab${p.user ? ` of ${p.user}` : ''}`, res.code, res.stderr);
      },
    };
  },
  plan(p, state: CronState, ctx): Plan {
    const after = editCron(state.text, p);
    if (p.file) return planCronFile(p, state, after, ctx);
    if (after === state.text) return { commands: [] };
    const what = `crontab${p.user ? ` of ${p.user}` : ''}`;
    return {
      commands: [script(pipeContent(after, joinArgv(['crontab', ...userArgs(p), '-'])))],
      message: `${p.state === 'present' ? 'set' : 'removed'} cron entry ${p.name} in the ${what}`,
      diff: ctx.diff ? unifiedDiff(what, state.text, after) : undefined,
    };
  },
});

export function cronEntry(p: CronParams): [string, string] {
  const when = p.special ?? [p.minute, p.hour, p.day, p.month, p.weekday].join(' ');
  return [`# VSA: ${p.name}`, [when, ...(p.file ? [p.user ?? 'root'] : []), p.job].join(' ')];
}

export function editCron(text: string, p: CronParams): string {
  const lines = splitLines(text);
  const [comment] = cronEntry(p);
  const wanted = p.state === 'present' ? cronEntry(p) : [];
  const at = lines.indexOf(comment);
  if (at < 0) return wanted.length ? joinLines([...lines, ...wanted]) : text;
  const current = lines.slice(at, at + 2);
  if (current.length === wanted.length && current.every((l, i) => l === wanted[i])) return text;
  lines.splice(at, current.length, ...wanted);
  return joinLines(lines);
}

function planCronFile(
  p: CronParams,
  state: CronState,
  after: string,
  ctx: Pick<ModuleContext, 'diff'>,
): Plan {
  const path = cronFilePath(p);
  const file = state.file!;
  if (file.exists && !file.content) return { commands: [], fail: `${path} is not a readable cron file` };
  if (file.exists && after.trim() === '') {
    return planRemove(path, state.text, ctx);
  }
  if (!file.exists && p.state === 'absent') return { commands: [] };
  // cron skips files that are group- or world-writable.
  return planContentWrite({ path, content: after, mode: file.exists ? undefined : '0644' }, file, ctx);
}

const cronFilePath = (p: CronParams) => `${p.cronDir}/${p.file}`;
const userArgs = (p: CronParams) => (p.user && !p.file ? ['-u', p.user] : []);
