import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import Database from 'better-sqlite3';
import { $ } from 'zx';
import type { Lab } from '../../lab/lab.js';
import { countLog } from '../../lab/use-lab.js';

/** One line of `vsa run --json` (or of audit.jsonl). */
export interface JsonEvent {
  type: string;
  runId?: string;
  host?: string;
  task?: string;
  taskIndex?: number;
  status?: string;
  message?: string;
  reason?: string;
  exitCode?: number;
  recap?: Record<string, Record<string, number>>;
  [k: string]: unknown;
}

export interface VsaResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  events: JsonEvent[];
  end?: JsonEvent;
  ms: number;
}

/** A `vsa` process started in the background, for tests that signal or kill it mid-run. */
export interface VsaProcess {
  child: ChildProcess;
  /** Resolves once the events seen so far satisfy `pred`. */
  until(pred: (events: JsonEvent[]) => boolean, timeoutMs?: number): Promise<void>;
  done: Promise<VsaResult>;
}

/** The JSON lines of `--json` output (other lines, e.g. a warning on stdout, are skipped). */
export const parseEvents = <T = JsonEvent>(text: string): T[] =>
  text
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as T);

/** A data dir of its own per test file, removed afterwards. */
export async function tempHome(prefix: string): Promise<{ dir: string; remove(): Promise<void> }> {
  const dir = await mkdtemp(`${tmpdir()}/vsa-${prefix}-`);
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

export async function ensureBuilt(): Promise<void> {
  if (!existsSync('dist/cli/main.js')) await $({ quiet: true })`npm run build`;
}

/** The environment a user's shell would give the binary: not vitest's (it changes how playbooks load). */
export function userEnv(home: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('VITEST')));
  delete env.VSA_DASHBOARD_URL;
  delete env.VSA_DASHBOARD_TOKEN;
  return { ...env, VSA_HOME: home, CI: 'true', ...extra };
}

/** Starts `node bin/vsa.js ARGS` (the built binary) without waiting for it. */
export function startVsa(
  args: readonly string[],
  home: string,
  env: Record<string, string> = {},
): VsaProcess {
  const t0 = performance.now();
  const child = spawn(process.execPath, ['bin/vsa.js', ...args], {
    env: userEnv(home, env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  const watchers = new Set<() => void>();
  child.stdout!.setEncoding('utf8').on('data', (d: string) => {
    stdout += d;
    watchers.forEach((w) => w());
  });
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const done = new Promise<VsaResult>((resolve) =>
    child.once('close', (code, signal) => {
      watchers.forEach((w) => w());
      const events = parseEvents(stdout);
      resolve({
        code,
        signal,
        stdout,
        stderr,
        events,
        end: events.find((e) => e.type === 'run:end'),
        ms: performance.now() - t0,
      });
    }),
  );
  const until = (pred: (events: JsonEvent[]) => boolean, timeoutMs = 30_000) =>
    new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        watchers.delete(check);
        reject(new Error(`vsa did not reach the expected point in ${timeoutMs} ms:\n${stdout}\n${stderr}`));
      }, timeoutMs);
      const check = () => {
        const complete = stdout.slice(0, stdout.lastIndexOf('\n') + 1);
        if (pred(parseEvents(complete)) || child.exitCode !== null || child.signalCode !== null) {
          clearTimeout(timer);
          watchers.delete(check);
          resolve();
        }
      };
      watchers.add(check);
      check();
    });
  return { child, until, done };
}

export const vsa = (
  args: readonly string[],
  home: string,
  env: Record<string, string> = {},
): Promise<VsaResult> => startVsa(args, home, env).done;

/**
 * Everything the run said, for assertion messages: stderr and the results that did not go well
 * first, since a CI log may keep only the head of a long message.
 */
export const said = (r: VsaResult) => {
  const bad = r.events.filter((e) => e.type === 'task:result' && !['ok', 'changed', 'skipped'].includes(String(e.status)));
  return `exit ${r.code}\n${r.stderr}\n${bad.map((e) => JSON.stringify(e)).join('\n')}\n${r.stdout}`;
};

export const resultsOf = (events: JsonEvent[], host?: string) =>
  events.filter((e) => e.type === 'task:result' && (host === undefined || e.host === host));

/** "Connection from" lines per host in their sshd logs: what reached each server. */
export const connectionCounts = (lab: Lab, hosts: readonly string[]) =>
  Promise.all(hosts.map((h) => countLog(lab, h, /Connection from /)));

/** A path as the lab host sees it, read from the control machine (hosts' files are bind mounts). */
export const onHost = (lab: Lab, host: string, path: string) => `${lab.host(host).root}${path}`;

/** Rows of the run's store, read with a plain SQLite connection as any other tool would. */
export function storeRows(home: string, runId: string) {
  const db = new Database(`${home}/vsa.db`, { readonly: true });
  try {
    const run = db.prepare('SELECT * FROM runs WHERE id = ?').get(runId) as
      Record<string, unknown> | undefined;
    const tasks = db
      .prepare(
        'SELECT host, task, task_index, status, message, diff FROM task_results WHERE run_id = ? ORDER BY host, task_index',
      )
      .all(runId) as {
      host: string;
      task: string;
      task_index: number;
      status: string;
      message: string | null;
      diff: string | null;
    }[];
    const audit = db
      .prepare('SELECT action, target, result FROM audit_events WHERE run_id = ?')
      .all(runId) as {
      action: string;
      target: string;
      result: string;
    }[];
    return { run, tasks, audit };
  } finally {
    db.close();
  }
}

/** Lines of `audit.jsonl` (and rotated files are not expected in these short tests). */
export async function auditLines(home: string): Promise<JsonEvent[]> {
  const { readFile } = await import('node:fs/promises');
  return parseEvents(await readFile(`${home}/audit.jsonl`, 'utf8').catch(() => ''));
}
