import type { z } from 'zod';
import type { AnyModule, Outcome } from '../module/types.js';
import type { HostReads } from './host-reads.js';

/** What task arguments and conditions can see of the host they run on. */
export interface HostContext {
  name: string;
  /** Inventory vars with extra vars (`-e`) on top. */
  vars: Record<string, unknown>;
  /** Outcomes of earlier tasks on this host, by their `register` name. */
  results: Record<string, Outcome>;
  /** What earlier tasks read on this host, by read handle (`defineRead`, `defineOutcome`). */
  reads: HostReads;
  /** The run this is part of, for what a task records on the host (stack-up's releases). */
  run?: { id: string; actor: string };
}

export type Arg<T> = T | ((h: HostContext) => T);

export interface TaskOptions {
  when?: (h: HostContext) => boolean;
  tags?: string[];
  /** Handler names to run at the end of the play when this task changed something. */
  notify?: string[];
  register?: string;
  /** Hands the task's outcome on each host to a handle (`defineOutcome`; a read's `task()` sets it). */
  keep?: (o: Outcome, h: HostContext) => void;
  /** Extra attempts after the first, until `until` holds (or the task succeeds when `until` is absent). */
  retries?: number;
  delayMs?: number;
  until?: (o: Outcome, h: HostContext) => boolean;
  ignoreErrors?: boolean;
  changedWhen?: (o: Outcome, h: HostContext) => boolean;
  failedWhen?: (o: Outcome, h: HostContext) => boolean;
  become?: boolean;
  timeoutMs?: number;
  /** The task's data is the host's last-known state (containers, certificates, …) for the dashboard. */
  hostState?: boolean;
  /**
   * Runs on one host of the batch only, the first to reach it; the others take its outcome (for
   * `register` and `keep`) and report `skipped`, or `failed` when it failed.
   */
  runOnce?: boolean;
}

export interface Task extends TaskOptions {
  name: string;
  module: AnyModule;
  args: Arg<unknown>;
}

export interface PlaybookDef<S extends z.ZodType = z.ZodType> {
  name: string;
  description: string;
  /** Default host pattern; `--limit` narrows it. */
  hosts: string;
  params: S;
  /** Hosts per batch for rolling changes: a count or a percentage such as `"25%"`. */
  serial?: number | string;
  become?: boolean;
  /**
   * A per-domain playbook (its `domain` param): without `--limit` it runs only on the hosts whose
   * site record names the domain. `allowNew`: a domain no host serves yet may be started, but on an
   * inventory of several hosts only where `--limit` says.
   */
  perDomain?: { allowNew: boolean };
  /** A task failing on any host stops every host of the play before its next task; no later batch starts. */
  anyErrorsFatal?: boolean;
  /** Stop the play as `anyErrorsFatal` does once more than this percentage (0–100) of a batch's hosts failed. */
  maxFailPercentage?: number;
  tasks(params: z.output<S>): Task[];
  /** Handlers, called by name through `notify`. */
  handlers?(params: z.output<S>): Task[];
  /**
   * Run on a host whose play stopped part way — a task failed or the run was interrupted — to put
   * it back as it was (Ansible's `rescue`); the host still counts as failed. Not in check mode.
   */
  rescue?(params: z.output<S>): Task[];
  /**
   * Checks the params against one host's vars (inventory vars with extra vars on top) before
   * anything runs anywhere: a message stops the run as bad arguments (exit 5), naming the host.
   */
  checkHost?(params: z.output<S>, vars: Record<string, unknown>, host: string): string | undefined;
}
