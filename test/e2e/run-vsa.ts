import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { afterAll, beforeAll, expect } from 'vitest';
import { $ } from 'zx';
import type { AnyEvent, Recap, TaskResultEvent, TaskStatus } from '../../runner/events/types.js';
import type { PluginChoice } from '../lab/plugins/catalog.js';
import { ensureBuilt, parseEvents, userEnv } from './faults-support/vsa.js';
import { startModulesLab, type ModulesLab } from './modules-lab.js';

export interface VsaResult {
  code: number;
  events: AnyEvent[];
  /** The `task:result` events, in order. */
  results: TaskResultEvent[];
  /** From `run:end`; empty when the run never got that far. */
  recap: Recap;
  stdout: string;
  stderr: string;
  /** stdout and stderr together, for assertion messages. */
  output: string;
}

/**
 * Runs the built binary as a user would (`node bin/vsa.js ARGS --json`): outside vitest's
 * environment (which changes how playbooks load), with its own VSA_HOME so runs never reach the
 * user's store.
 */
export async function runVsa(home: string, args: readonly string[]): Promise<VsaResult> {
  const r = await $({ quiet: true, nothrow: true, env: userEnv(home) })`node bin/vsa.js ${args} --json`;
  const events = parseEvents<AnyEvent>(r.stdout);
  const end = events.find((e) => e.type === 'run:end');
  return {
    code: r.exitCode ?? -1,
    events,
    results: events.filter((e): e is AnyEvent & TaskResultEvent => e.type === 'task:result'),
    recap: end?.type === 'run:end' ? end.recap : {},
    stdout: r.stdout,
    stderr: r.stderr,
    output: r.stdout + r.stderr,
  };
}

/** A temp VSA_HOME for the file's runs (removed after them) and a built `dist/`. Returns a getter. */
export function useVsaHome(): () => string {
  let home: string | undefined;
  beforeAll(async () => {
    home = await mkdtemp(`${tmpdir()}/vsa-run-`);
    await ensureBuilt();
  });
  afterAll(async () => {
    if (home) await rm(home, { recursive: true, force: true });
  });
  return () => {
    if (!home) throw new Error('VSA_HOME is not set up yet');
    return home;
  };
}

/** Each task's status on `host`, by task name (handlers included). */
export function statuses(run: VsaResult, host: string): Record<string, TaskStatus> {
  return Object.fromEntries(run.results.filter((r) => r.host === host).map((r) => [r.task, r.status]));
}

/** Asserts the run exited 0 with each task on `host` ending as `want` says (its output shown otherwise). */
export function expectStatuses(run: VsaResult, host: string, want: Record<string, TaskStatus>): void {
  expect(run.code, run.output).toBe(0);
  expect(statuses(run, host), run.output).toEqual(want);
}

/** The result of one task on `host`; throws when the run has none, naming what it has. */
export function resultOf(run: VsaResult, host: string, task: string): TaskResultEvent {
  const r = run.results.find((x) => x.host === host && x.task === task);
  if (!r) throw new Error(`no result for ${host} / ${task} in:\n${run.output}`);
  return r;
}

/**
 * A modules lab for the file's tests (up before them, always down after) and `vsa run PLAYBOOK`
 * on it with the lab's inventory and known_hosts.
 */
export function useBinaryLab(hosts: number, choice: PluginChoice = {}) {
  let lab: ModulesLab | undefined;
  const home = useVsaHome();
  beforeAll(async () => {
    lab = await startModulesLab(hosts, choice);
  });
  afterAll(async () => {
    await lab?.close();
  });
  const get = () => {
    if (!lab) throw new Error('the lab is not up');
    return lab;
  };
  return {
    lab: get,
    /** A shell script's stdout on a lab host. */
    sh: async (host: string, text: string) => (await get().sh(host, text)).stdout,
    vsa: (playbook: string, ...args: string[]) =>
      runVsa(home(), [
        'run',
        playbook,
        '-i',
        get().lab.inventoryFile,
        '--known-hosts',
        get().lab.knownHostsFile,
        ...args,
      ]),
  };
}
