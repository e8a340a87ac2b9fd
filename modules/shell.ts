import { z } from 'zod';
import { defineModule } from '../runner/module/define.js';
import { pipeContent } from '../runner/shell/command.js';
import { guardProbe, planRun, runParams } from './lib/index.js';

/**
 * Runs a POSIX sh script. It reaches the host in a heredoc and runs from a private temp file, so
 * its text is never in a process's argv, its stdin is not the script itself, and it runs without
 * the `set -e` of the write step: its own exit status is the result.
 */
export const shell = defineModule({
  name: 'shell',
  description: 'Run a POSIX sh script',
  params: z.object({ script: z.string().min(1), ...runParams }),
  read: (p) => guardProbe(p),
  plan: (p, guards: { creates: boolean; removes: boolean } | undefined, ctx) =>
    planRun(p, guards, ctx, runScript(p.script)),
  runInCheckMode: (p) => p.checkSafe,
});

function runScript(text: string): string {
  return [
    'f=$(umask 077; mktemp)',
    `trap 'rm -f -- "$f"' EXIT`,
    pipeContent(text, 'cat > "$f"'),
    'sh "$f" </dev/null',
  ].join('\n');
}
