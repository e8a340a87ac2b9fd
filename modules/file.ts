import { z } from 'zod';
import { defineModule } from '../runner/module/define.js';
import { argv, script, type Command } from '../runner/shell/command.js';
import { quote } from '../runner/shell/quote.js';
import type { Plan } from '../runner/module/types.js';
import {
  absolutePath,
  attrChanges,
  attrCommands,
  attributeDiff,
  describeChanges,
  fileStateScript,
  octalMode,
  parseFileState,
  writeFileScript,
  type AttrChange,
  type FileState,
} from './lib/index.js';

const fileParams = z.object({
  path: absolutePath,
  state: z.enum(['file', 'directory', 'absent', 'touch']).default('file'),
  owner: z.string().min(1).optional(),
  group: z.string().min(1).optional(),
  mode: octalMode.optional(),
  /** Directories: apply owner/group/mode to everything below too. */
  recursive: z.boolean().default(false),
  /**
   * Act on the target of a symbolic link at `path` (Ansible's `file` default). With `false`, a link
   * there fails the task (it is only ever removed by `absent`): what it points to is never changed.
   */
  follow: z.boolean().default(true),
});
type FileParams = z.output<typeof fileParams>;
type Shown = Parameters<typeof attributeDiff>[1][number];

interface FileProbe extends FileState {
  /** Recursive directories: something below differs from the wanted owner/group/mode. */
  drift?: boolean;
}

/**
 * Path state: `file` (exists; fix attributes), `directory` (created with its parents), `touch`
 * (created empty when absent; an existing file keeps its mtime so the task stays idempotent) or
 * `absent` (removed, recursively). One read (stat, plus a `find` for recursive drift), one write.
 */
export const file = defineModule({
  name: 'file',
  description: 'Ensure a path is a file, a directory, touched or absent, with owner, group and mode',
  params: fileParams,
  read: (p) => {
    const drift = p.recursive && p.state === 'directory' ? driftScript(p) : '';
    return {
      command: script(fileStateScript(p.path, { follow: p.follow }) + drift),
      parse: (res) => ({
        ...parseFileState(res, p.path),
        ...(drift ? { drift: /^drift=1$/m.test(res.stdout) } : {}),
      }),
    };
  },
  plan(p: FileParams, state: FileProbe, ctx): Plan {
    const present = state.exists || state.link === true;
    const show = (changes: Shown[]) => (ctx.diff ? attributeDiff(p.path, changes) : undefined);
    if (p.state === 'absent') {
      if (!present) return { commands: [] };
      const gone = { attr: 'state', from: state.type ?? 'link', to: 'absent' };
      return {
        commands: [argv('rm', '-rf', '--', p.path)],
        message: `removed ${p.path}`,
        diff: show([gone]),
      };
    }
    if (!p.follow && state.link) return { commands: [], fail: `${p.path} is a symbolic link: not followed` };
    if (!state.exists) return create(p, show);
    const want = p.state === 'directory' ? 'directory' : 'file';
    if (state.type !== want)
      return { commands: [], fail: `${p.path} exists and is a ${state.type}, not a ${want}` };

    const changes = attrChanges(state, p);
    const recurse = p.recursive && want === 'directory' && state.drift === true;
    const cmds = recurse ? attrCommands(p.path, wanted(p), true) : attrCommands(p.path, changes);
    if (cmds.length === 0) return { commands: [] };
    return {
      commands: cmds,
      message: changes.length ? describeChanges(changes) : `fixed owner/group/mode below ${p.path}`,
      diff: show(changes),
    };
  },
});

/** The same module with `state: 'directory'`. */
export const directory = defineModule({
  ...file,
  name: 'directory',
  description: 'Ensure a directory exists with owner, group and mode',
  params: fileParams.omit({ state: true }).transform((p) => ({ ...p, state: 'directory' as const })),
});

function create(p: FileParams, show: (c: Shown[]) => string | undefined): Plan {
  const made: Shown[] = [
    { attr: 'state', from: 'absent', to: p.state === 'directory' ? 'directory' : 'file' },
  ];
  if (p.state === 'file')
    return { commands: [], fail: `${p.path} does not exist (state: touch creates it, copy writes it)` };
  if (p.state === 'touch') {
    return {
      commands: [writeFileScript({ ...p, content: '' })],
      message: `created ${p.path}`,
      diff: show(made),
    };
  }
  // mkdir -m sets the mode at creation, so the directory never exists with a wider one.
  const mkdir: Command = argv('mkdir', '-p', ...(p.mode ? ['-m', p.mode] : []), '--', p.path);
  const attrs = attrCommands(p.path, wanted({ ...p, mode: undefined }));
  const mode = p.mode && (p.owner || p.group) ? attrCommands(p.path, wanted({ mode: p.mode })) : [];
  return { commands: [mkdir, ...attrs, ...mode], message: `created directory ${p.path}`, diff: show(made) };
}

function wanted(p: Pick<FileParams, 'owner' | 'group' | 'mode'>): AttrChange[] {
  return (['owner', 'group', 'mode'] as const).flatMap((attr) => (p[attr] ? [{ attr, to: p[attr] }] : []));
}

/** Prints `drift=1` when any entry below the directory has another owner, group or mode. */
function driftScript(p: FileParams): string {
  const tests = [
    p.owner && `! -user ${quote(p.owner)}`,
    p.group && `! -group ${quote(p.group)}`,
    p.mode && `! -perm ${quote(p.mode)}`,
  ].filter(Boolean);
  if (tests.length === 0) return '';
  return `\nif [ -d ${quote(p.path)} ] && [ -n "$(find ${quote(p.path)} \\( ${tests.join(' -o ')} \\) -print 2>/dev/null | head -n 1)" ]; then echo drift=1; fi`;
}
