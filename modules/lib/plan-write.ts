import { argv, type Command } from '../../runner/shell/command.js';
import type { ModuleContext, Plan } from '../../runner/module/types.js';
import { attrChanges, attrCommands, describeChanges, type Attrs } from './attrs.js';
import { attributeDiff, unifiedDiff } from './diff.js';
import type { FileState } from './file-state.js';
import { sha256 } from '../../runner/util/sha256.js';
import { parseWriteOutput, writeFileScript } from './write-file.js';

export interface ContentWrite extends Attrs {
  path: string;
  content: Buffer | string;
  backup?: boolean;
  validate?: Command;
  /** The content is secret: its diff names the changed lines' keys, never a value (env files always are). */
  secret?: boolean;
  /** Write through a symbolic link to its target (the probe read with `follow` too); else the link is replaced. */
  follow?: boolean;
}

/**
 * The decision every content-writing module shares (copy, template, line edits, …): same sha256 →
 * only fix owner/group/mode; else one atomic write. The diff needs the probe's content
 * (`fileStateProbe(path, { withContent: ctx.diff })`).
 */
/** Removes a file the module owns; the diff shows its whole content going. */
export function planRemove(path: string, content: Buffer | string, ctx: Pick<ModuleContext, 'diff'>): Plan {
  return {
    commands: [argv('rm', '-f', '--', path)],
    message: `removed ${path}`,
    diff: ctx.diff ? unifiedDiff(path, content, undefined) : undefined,
  };
}

export function planContentWrite(w: ContentWrite, state: FileState, ctx: Pick<ModuleContext, 'diff'>): Plan {
  const digest = sha256(w.content);
  const data = { path: w.path, sha256: digest };
  if (state.exists && state.type !== 'file')
    return { commands: [], data, fail: `${w.path} exists and is not a regular file (${state.type})` };

  if (state.exists && state.sha256 === digest) {
    const changes = attrChanges(state, w);
    if (changes.length === 0) return { commands: [], data };
    return {
      commands: attrCommands(w.path, changes),
      message: describeChanges(changes),
      diff: ctx.diff ? attributeDiff(w.path, changes) : undefined,
      data,
    };
  }

  const done = state.exists ? `updated ${w.path}` : state.link ? `replaced the symbolic link ${w.path} with a file` : `created ${w.path}`;
  return {
    commands: [writeFileScript(w)],
    message: done,
    diff: ctx.diff ? writeDiff(w, state, digest) : undefined,
    data,
    result(res) {
      if (res.code !== 0) {
        return {
          status: 'failed',
          message: res.stderr.trim() || `exit code ${res.code}`,
          data: { ...data, rc: res.code },
        };
      }
      return {
        status: 'changed',
        message: done,
        data: { ...data, ...parseWriteOutput(res.stdout) },
      };
    },
  };
}

function writeDiff(w: ContentWrite, state: FileState, digest: string): string {
  const attrs = state.exists ? attributeDiff(w.path, attrChanges(state, w)) : '';
  if (state.exists && !state.content) {
    return `${w.path}: content changed (sha256 ${state.sha256} → ${digest}); too large to diff\n${attrs}`;
  }
  return unifiedDiff(w.path, state.exists ? state.content : undefined, w.content, { secret: w.secret }) + attrs;
}
