import { shell } from '../../modules/index.js';
import { VsaError } from '../../runner/errors.js';
import { task } from '../../runner/playbook/define.js';
import type { HostContext, Task, TaskOptions } from '../../runner/playbook/types.js';

/**
 * A read-only script whose output later tasks use through `register`: it runs in check mode too
 * and never counts as a change.
 */
export function readTask(
  name: string,
  script: string | ((h: HostContext) => string),
  register: string,
  opts: TaskOptions = {},
): Task {
  const args =
    typeof script === 'string'
      ? { script, checkSafe: true }
      : (h: HostContext) => ({ script: script(h), checkSafe: true });
  return task(shell, name, args, { ...opts, register, changedWhen: () => false });
}

/** The stdout a `readTask` registered; a clear error when that task did not run. */
export function stdoutOf(h: HostContext, register: string): string {
  const out = h.results[register]?.data?.stdout;
  if (typeof out !== 'string') throw new VsaError(`${h.name}: no output registered as "${register}"`);
  return out;
}
