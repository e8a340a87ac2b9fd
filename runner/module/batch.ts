import { randomBytes } from 'node:crypto';
import { script, toShell, type Command } from '../shell/command.js';
import type { ExecResult } from '../connection/types.js';

/**
 * Several read commands in one round trip: each runs in its own subshell and its output is framed
 * by a separator line carrying its exit status, on stdout and stderr alike.
 */
export function batch(cmds: readonly Command[]): { command: Command; split(res: ExecResult): ExecResult[] } {
  if (cmds.length === 1) return { command: cmds[0]!, split: (res) => [res] };
  const sep = `__VSA_PART_${randomBytes(6).toString('hex')}`;
  const text = cmds
    .map((c) => `(\n${toShell(c)}\n)\nprintf '\\n${sep} %d\\n' $?; printf '\\n${sep}\\n' >&2`)
    .join('\n');
  return {
    command: script(text),
    split(res) {
      const outs = res.stdout.split(new RegExp(`\\n${sep} (\\d+)\\n`));
      const errs = res.stderr.split(`\n${sep}\n`);
      return cmds.map((_, i) => ({
        stdout: outs[i * 2] ?? '',
        code: outs[i * 2 + 1] === undefined ? res.code || 1 : Number(outs[i * 2 + 1]),
        stderr: errs[i] ?? '',
      }));
    },
  };
}
