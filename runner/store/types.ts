import type { HostStats, Origin, Recap, TaskStatus } from '../events/types.js';
import type { RunStatus } from './status.js';

export type { RunStatus } from './status.js';

export interface RunRecord {
  id: string;
  playbook: string;
  params: Record<string, unknown>;
  actor: string;
  origin: Origin;
  check: boolean;
  diff: boolean;
  startedAt: string;
  endedAt: string | null;
  status: RunStatus;
  exitCode: number | null;
  recap: Recap | null;
  hosts: string[];
  error: string | null;
  /** Process that wrote the run; a `running` run whose process is gone was interrupted. */
  pid: number | null;
  /** Who asked to cancel the run (`vsa cancel`, the dashboard); the run ends `cancelled` if it stops for it. */
  cancelledBy: string | null;
  /** Task results per status over all hosts, kept current while the run goes. */
  counts: HostStats;
}

export interface TaskResultRecord {
  runId: string;
  host: string;
  task: string;
  taskIndex: number;
  handler: boolean;
  status: TaskStatus;
  durationMs: number;
  roundTrips: number;
  /** A failure allowed by `ignoreErrors`. */
  ignored: boolean;
  message: string | null;
  diff: string | null;
  data: Record<string, unknown> | null;
  time: string;
}

/** The task a host of a running run is on, since when (ISO). */
export interface HostProgress {
  host: string;
  task: string;
  taskIndex: number;
  since: string;
}

/** The seed's AuditEvent: who did what to what, and how it went. */
export interface AuditEvent {
  time: string;
  actor: string;
  action: string;
  target: string;
  result: string;
  details: Record<string, unknown>;
  runId?: string | null;
}

export interface HostStateRecord<T = unknown> {
  host: string;
  collectedAt: string;
  state: T;
}

export interface RunFilter {
  playbook?: string;
  host?: string;
  status?: RunStatus;
  /** ISO time; runs started at or after it. */
  since?: string;
  limit?: number;
}

export interface AuditFilter {
  since?: string;
  action?: string;
  target?: string;
  runId?: string;
  limit?: number;
}
