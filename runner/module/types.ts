import type { z } from 'zod';
import type { Command } from '../shell/command.js';
import type { ExecResult } from '../connection/types.js';

export type ModuleStatus = 'ok' | 'changed' | 'failed' | 'skipped';

/** What a module reports for one task on one host. */
export interface Outcome {
  status: ModuleStatus;
  message?: string;
  /** Unified diff of what changed (or would change); filled in diff mode. */
  diff?: string;
  /** Values a later task may use through `register` (stdout, rc, stat fields, …). */
  data?: Record<string, unknown>;
}

/** A small typed unit of host state: the command that reads it and the parser of its output. */
export interface FactDef<T> {
  name: string;
  command: Command;
  parse(res: ExecResult): T;
}

/** What a module's read step asks the host, and how the answer becomes typed state. */
export interface Probe<State> {
  command: Command;
  parse(res: ExecResult): State;
}

/** The decision of a module: the commands of the write step, or none when the host is already right. */
export interface Plan {
  commands: Command[];
  message?: string;
  diff?: string;
  data?: Record<string, unknown>;
  /** A failure known before writing anything (e.g. a missing local source). */
  fail?: string;
  /** Nothing will run and the task is `skipped`, with this reason (e.g. `command` in check mode). */
  skip?: string;
  /** Reads the write step's result; by default exit 0 is `changed`, anything else `failed` with stderr. */
  result?(res: ExecResult): Outcome;
}

export interface FactReader {
  /** The fact's value, read from the host at most once per run and cached. */
  get<T>(fact: FactDef<T>): Promise<T>;
  /** The cached value, if already read. */
  peek<T>(fact: FactDef<T>): T | undefined;
}

export interface ModuleContext {
  host: string;
  vars: Record<string, unknown>;
  check: boolean;
  diff: boolean;
  facts: FactReader;
}

export interface ModuleDef<S extends z.ZodType = z.ZodType, State = unknown> {
  name: string;
  description: string;
  params: S;
  /** Facts the read step needs; those not cached yet are read in the same round trip as the probe. */
  facts?: FactDef<unknown>[];
  /** The read step: one round trip. Omit when the module decides without reading. */
  read?(params: z.output<S>, ctx: ModuleContext): Probe<State> | undefined;
  /** Pure decision from params and state. */
  plan(params: z.output<S>, state: State, ctx: ModuleContext): Plan | Promise<Plan>;
  /** Runs its write step in check mode too (read-only modules such as `command` with `checkSafe`). */
  runInCheckMode?(params: z.output<S>): boolean;
}

// `any` for State: a task list mixes modules whose state types differ.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyModule = ModuleDef<z.ZodType, any>;
