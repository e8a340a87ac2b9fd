import type { z } from 'zod';
import type {
  hostEndSchema,
  hostStatsSchema,
  recapSchema,
  runEndReasonSchema,
  runEndSchema,
  runEventSchemas,
  runStartSchema,
  taskRefSchema,
  taskResultSchema,
  taskStatusSchema,
  wireEventSchema,
  originSchema,
} from './schema.js';

// Every type here is derived from the wire schemas (./schema.ts), so the runner and the dashboard
// that checks them can never disagree.
export type TaskStatus = z.output<typeof taskStatusSchema>;
// A plain list, so the web app can offer it without loading zod.
export const origins = ['tty', 'cron', 'ci', 'dashboard', 'script'] as const;
export type Origin = z.output<typeof originSchema>;
export type RunEndReason = z.output<typeof runEndReasonSchema>;
export type HostStats = z.output<typeof hostStatsSchema>;
export type Recap = z.output<typeof recapSchema>;
export type RunStartEvent = z.output<typeof runStartSchema>;
export type TaskRef = z.output<typeof taskRefSchema>;
export type TaskResultEvent = z.output<typeof taskResultSchema>;
export type HostEndEvent = z.output<typeof hostEndSchema>;
export type RunEndEvent = z.output<typeof runEndSchema>;

/** The typed event map the executor emits; every sink implements the hooks it needs. */
export type RunEvents = { [K in keyof typeof runEventSchemas]: z.output<(typeof runEventSchemas)[K]> };

export type EventName = keyof RunEvents;

/** An event as written to `--json`, the audit log and the dashboard: its name in `type`, a timestamp. */
export type AnyEvent = z.output<typeof wireEventSchema>;

export type Sink = { [K in EventName]?: (e: RunEvents[K]) => void | Promise<void> } & {
  /** Flushes what the sink buffers; called once after `run:end`. */
  close?(): void | Promise<void>;
};
