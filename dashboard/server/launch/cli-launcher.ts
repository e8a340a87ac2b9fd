import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { projectRoot } from '../../../runner/util/package-info.js';
import { HttpError } from '../errors.js';
import type { LaunchRequest, RunLauncher } from './launcher.js';

export interface CliLauncherOptions {
  /** The inventory every dashboard run uses (`-i`); the CLI's own default when unset. */
  inventory?: string;
  /** The CLI to run; default this checkout's `node bin/vsa.js`. */
  command?: string[];
  env?: NodeJS.ProcessEnv;
  /** How long to wait for the run's `run:start` before giving up on it (default 30 s). */
  startTimeoutMs?: number;
  onExit?: (runId: string | undefined, code: number | null) => void;
}

const defaultCommand = () => [process.execPath, join(projectRoot, 'bin', 'vsa.js')];

/**
 * Runs `vsa run NAME -e @params.json --json` as a child process with `VSA_ORIGIN=dashboard`: the
 * run records itself in the store like any other, and the dashboard follows it there. Params go
 * through a file only this user can read (they may hold secrets), removed when the run ends.
 */
export function cliLauncher(opts: CliLauncherOptions = {}): RunLauncher {
  return {
    async launch(req: LaunchRequest) {
      const dir = await mkdtemp(join(tmpdir(), 'vsa-dashboard-run-'));
      const file = join(dir, 'params.json');
      await writeFile(file, JSON.stringify(req.params), { mode: 0o600 });
      const [cmd, ...base] = opts.command ?? defaultCommand();
      const args = [...base, 'run', req.playbook, '-e', `@${file}`, '--json'];
      if (opts.inventory) args.push('-i', opts.inventory);
      if (req.limit) args.push('--limit', req.limit);
      if (req.check) args.push('--check');
      if (req.diff) args.push('--diff');
      const child = spawn(cmd!, args, {
        env: { ...process.env, ...opts.env, VSA_ORIGIN: 'dashboard', VSA_ACTOR: req.actor },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      return new Promise((resolve, reject) => {
        let runId: string | undefined;
        let stderr = '';
        const timer = setTimeout(() => {
          child.kill('SIGTERM');
          reject(new HttpError(504, 'the run did not start in time'));
        }, opts.startTimeoutMs ?? 30_000);
        child.stderr.on('data', (c: Buffer) => (stderr = (stderr + c.toString()).slice(-4000)));
        // Read every line, so a chatty run never blocks on a full pipe.
        createInterface({ input: child.stdout }).on('line', (line) => {
          if (runId) return;
          const e = parseLine(line);
          if (e?.type === 'run:start' && typeof e.runId === 'string') {
            runId = e.runId;
            clearTimeout(timer);
            resolve({ runId });
          }
        });
        child.on('error', (err) => {
          clearTimeout(timer);
          reject(new HttpError(500, `cannot start the runner: ${err.message}`));
        });
        child.on('close', (code) => {
          clearTimeout(timer);
          void rm(dir, { recursive: true, force: true });
          opts.onExit?.(runId, code);
          if (!runId) reject(new HttpError(422, `the run did not start (exit ${code}): ${stderr.trim() || 'no output'}`));
        });
      });
    },
  };
}

function parseLine(line: string): { type?: unknown; runId?: unknown } | undefined {
  try {
    return JSON.parse(line) as { type?: unknown; runId?: unknown };
  } catch {
    return undefined;
  }
}
