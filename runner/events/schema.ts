import { z } from 'zod';
import { origins } from './types.js';

/**
 * The run events as they go on the wire (`--json`, `audit.jsonl`, the dashboard push): the one
 * definition of their shape. The limits are what the dashboard accepts at its door; the runner's
 * own events stay well inside them. docs/json-events.md documents the same fields.
 */
const id = z.string().min(1).max(100);
const host = z.string().min(1).max(253);
const isoTime = z.iso.datetime({ offset: true });
const count = z.number().int().min(0);

export const taskStatusSchema = z.enum(['ok', 'changed', 'failed', 'skipped', 'unreachable']);
export const originSchema = z.enum(origins);
export const runEndReasonSchema = z.enum(['completed', 'failed', 'unreachable', 'interrupted', 'error']);

export const hostStatsSchema = z.object({
  ok: count,
  changed: count,
  failed: count,
  skipped: count,
  unreachable: count,
  /** Failed tasks with `ignoreErrors`: shown, but the host goes on and the exit code ignores them. */
  ignored: count,
});

/** A host's counts before its first task: every counter of the schema at 0. */
export const emptyStats = (): z.output<typeof hostStatsSchema> =>
  Object.fromEntries(hostStatsSchema.keyof().options.map((k) => [k, 0])) as z.output<typeof hostStatsSchema>;

/** Per host name. */
export const recapSchema = z.record(z.string(), hostStatsSchema);

export const runStartSchema = z.object({
  runId: id,
  playbook: z.string().min(1).max(200),
  params: z.record(z.string(), z.unknown()),
  hosts: z.array(host).max(10_000),
  check: z.boolean(),
  diff: z.boolean(),
  actor: z.string().min(1).max(200),
  origin: originSchema,
  startedAt: isoTime,
});

export const hostStartSchema = z.object({ runId: id, host });

export const taskRefSchema = z.object({
  runId: id,
  host,
  task: z.string().max(1000),
  /** Position in the play's task list (handlers count on from the last task). */
  taskIndex: count,
  handler: z.boolean(),
});

export const taskResultSchema = taskRefSchema.extend({
  status: taskStatusSchema,
  durationMs: count,
  message: z.string().max(1_000_000).optional(),
  diff: z.string().max(5_000_000).optional(),
  /** Round trips to the host this task cost (reads and writes). */
  roundTrips: count,
  /** A failure the task allowed with `ignoreErrors`. */
  ignored: z.boolean().optional(),
  /** `data` is the host's last-known state; the store keeps it per host. */
  hostState: z.boolean().optional(),
  data: z.record(z.string(), z.unknown()).optional(),
});

export const hostEndSchema = z.object({ runId: id, host, stats: hostStatsSchema });

export const runEndSchema = z.object({
  runId: id,
  reason: runEndReasonSchema,
  exitCode: z.number().int(),
  recap: recapSchema,
  durationMs: count,
  endedAt: isoTime,
  /** Set when the run stopped on an error of its own (not a task's). */
  error: z.string().max(100_000).optional(),
});

/** The typed event map the executor emits, by event name. */
export const runEventSchemas = {
  'run:start': runStartSchema,
  'host:start': hostStartSchema,
  'task:start': taskRefSchema,
  'task:result': taskResultSchema,
  'host:end': hostEndSchema,
  'run:end': runEndSchema,
};

/** An event on the wire: its name in `type` and a timestamp before the event's own fields. */
const wire = <K extends string, S extends z.ZodRawShape>(type: K, event: z.ZodObject<S>) =>
  z.object({ type: z.literal(type), time: isoTime, ...event.shape });

export const wireEventSchema = z.discriminatedUnion('type', [
  wire('run:start', runStartSchema),
  wire('host:start', hostStartSchema),
  wire('task:start', taskRefSchema),
  wire('task:result', taskResultSchema),
  wire('host:end', hostEndSchema),
  wire('run:end', runEndSchema),
]);
