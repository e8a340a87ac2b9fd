import { z } from 'zod';
import { script, type Command } from '../../runner/shell/command.js';
import { quote } from '../../runner/shell/quote.js';
import type { ExecResult } from '../../runner/connection/types.js';
import type { ModuleContext, Outcome, Plan, Probe } from '../../runner/module/types.js';
import { absolutePath } from './schemas.js';

/** Params `command` and `shell` share. */
export const runParams = {
  /** Do not run when this path exists. */
  creates: absolutePath.optional(),
  /** Do not run unless this path exists. */
  removes: absolutePath.optional(),
  chdir: absolutePath.optional(),
  env: z
    .record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'an environment variable name'), z.string())
    .default({}),
  /** The command only reads: run it in check mode too. */
  checkSafe: z.boolean().default(false),
};

type RunParams = z.output<z.ZodObject<typeof runParams>>;
/** What the `creates`/`removes` probe found; exported so the declarations of `command` and `shell` can name it. */
export interface Guards {
  creates: boolean;
  removes: boolean;
}

/** Reads `creates`/`removes` in one round trip; without them there is nothing to read. */
export function guardProbe(p: RunParams): Probe<Guards> | undefined {
  if (!p.creates && !p.removes) return undefined;
  const test = (k: keyof Guards) => (p[k] ? [`if [ -e ${quote(p[k])} ]; then echo ${k}=1; fi`] : []);
  return {
    command: script([...test('creates'), ...test('removes')].join('\n')),
    parse: (res) => ({ creates: /^creates=1$/m.test(res.stdout), removes: /^removes=1$/m.test(res.stdout) }),
  };
}

/**
 * Runs `body` (shell text) in a subshell with `chdir` and `env`. Reported `changed` (a task's
 * `changedWhen` can say otherwise), with `{ rc, stdout, stderr }` as data.
 */
export function planRun(
  p: RunParams,
  guards: Guards | undefined,
  ctx: Pick<ModuleContext, 'check'>,
  body: string,
): Plan {
  if (p.creates && guards?.creates) return { commands: [], message: `not run: ${p.creates} exists` };
  if (p.removes && !guards?.removes) return { commands: [], message: `not run: ${p.removes} does not exist` };
  if (ctx.check && !p.checkSafe) return { commands: [], skip: 'not run in check mode (checkSafe: false)' };
  const lines = [
    ...(p.chdir ? [`cd -- ${quote(p.chdir)}`] : []),
    ...Object.entries(p.env).map(([k, v]) => `export ${k}=${quote(v)}`),
    body,
  ];
  const cmd: Command = script(`(\n${lines.join('\n')}\n)`);
  return { commands: [cmd], result: runOutcome };
}

function runOutcome(res: ExecResult): Outcome {
  const data = { rc: res.code, stdout: res.stdout, stderr: res.stderr };
  if (res.code === 0) return { status: 'changed', data };
  return {
    status: 'failed',
    message: res.stderr.trim() || res.stdout.trim() || `exit code ${res.code}`,
    data,
  };
}
