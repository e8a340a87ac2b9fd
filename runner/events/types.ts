export type TaskStatus = 'ok' | 'changed' | 'failed' | 'skipped' | 'unreachable';
export const origins = ['tty', 'cron', 'ci', 'dashboard', 'script'] as const;
export type Origin = (typeof origins)[number];
export type RunEndReason = 'completed' | 'failed' | 'unreachable' | 'interrupted' | 'error';

export interface HostStats {
  ok: number;
  changed: number;
  failed: number;
  skipped: number;
  unreachable: number;
  /** Failed tasks with `ignoreErrors`: shown, but the host goes on and the exit code ignores them. */
  ignored: number;
}

/** Per host name. */
export type Recap = Record<string, HostStats>;

export interface RunStartEvent {
  runId: string;
  playbook: string;
  params: Record<string, unknown>;
  hosts: string[];
  check: boolean;
  diff: boolean;
  actor: string;
  origin: Origin;
  startedAt: string;
}

export interface TaskRef {
  runId: string;
  host: string;
  task: string;
  /** Position in the play's task list (handlers count on from the last task). */
  taskIndex: number;
  handler: boolean;
}

export interface TaskResultEvent extends TaskRef {
  status: TaskStatus;
  durationMs: number;
  message?: string;
  diff?: string;
  /** Round trips to the host this task cost (reads and writes). */
  roundTrips: number;
  /** A failure the task allowed with `ignoreErrors`. */
  ignored?: boolean;
  /** `data` is the host's last-known state; the store keeps it per host. */
  hostState?: boolean;
  data?: Record<string, unknown>;
}

export interface HostEndEvent {
  runId: string;
  host: string;
  stats: HostStats;
}

export interface RunEndEvent {
  runId: string;
  reason: RunEndReason;
  exitCode: number;
  recap: Recap;
  durationMs: number;
  endedAt: string;
  /** Set when the run stopped on an error of its own (not a task's). */
  error?: string;
}

/** The typed event map the executor emits; every sink implements the hooks it needs. */
export interface RunEvents {
  'run:start': RunStartEvent;
  'host:start': { runId: string; host: string };
  'task:start': TaskRef;
  'task:result': TaskResultEvent;
  'host:end': HostEndEvent;
  'run:end': RunEndEvent;
}

export type EventName = keyof RunEvents;

/** An event as written to `--json`, the audit log and the dashboard: its name in `type`, a timestamp. */
export type AnyEvent = { [K in EventName]: { type: K; time: string } & RunEvents[K] }[EventName];

export type Sink = { [K in EventName]?: (e: RunEvents[K]) => void | Promise<void> } & {
  /** Flushes what the sink buffers; called once after `run:end`. */
  close?(): void | Promise<void>;
};
