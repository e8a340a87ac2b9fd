import { z } from 'zod';
import { origins } from '../../../runner/events/types.js';

/** The runner's events as it pushes them (runner/events/types.ts), checked at the door. */
const id = z.string().min(1).max(100);
const host = z.string().min(1).max(253);
const time = z.iso.datetime({ offset: true });
const count = z.number().int().min(0);
const stats = z.object({ ok: count, changed: count, failed: count, skipped: count, unreachable: count, ignored: count });
const taskRef = { runId: id, host, task: z.string().max(1000), taskIndex: count, handler: z.boolean() };

export const eventSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('run:start'),
    time,
    runId: id,
    playbook: z.string().min(1).max(200),
    params: z.record(z.string(), z.unknown()),
    hosts: z.array(host).max(10_000),
    check: z.boolean(),
    diff: z.boolean(),
    actor: z.string().min(1).max(200),
    origin: z.enum(origins),
    startedAt: time,
  }),
  z.object({ type: z.literal('host:start'), time, runId: id, host }),
  z.object({ type: z.literal('task:start'), time, ...taskRef }),
  z.object({
    type: z.literal('task:result'),
    time,
    ...taskRef,
    status: z.enum(['ok', 'changed', 'failed', 'skipped', 'unreachable']),
    durationMs: count,
    roundTrips: count,
    message: z.string().max(1_000_000).optional(),
    diff: z.string().max(5_000_000).optional(),
    ignored: z.boolean().optional(),
    data: z.record(z.string(), z.unknown()).optional(),
    hostState: z.boolean().optional(),
  }),
  z.object({ type: z.literal('host:end'), time, runId: id, host, stats }),
  z.object({
    type: z.literal('run:end'),
    time,
    runId: id,
    reason: z.enum(['completed', 'failed', 'unreachable', 'interrupted', 'error']),
    exitCode: z.number().int(),
    recap: z.record(z.string(), stats),
    durationMs: count,
    endedAt: time,
    error: z.string().max(100_000).optional(),
  }),
]);

export const ingestBody = z.object({ events: z.array(eventSchema).min(1).max(1000) }).strict();
export type IngestEvent = z.output<typeof eventSchema>;
