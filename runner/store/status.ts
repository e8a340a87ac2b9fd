import { z } from 'zod';
import type { RunEndReason } from '../events/types.js';

/**
 * A run in the store: `running` until its `run:end`, then the status its end reason maps to;
 * `cancelled` is an interrupted run someone asked to stop (`vsa cancel`, the dashboard).
 */
export const runStatuses = ['running', 'ok', 'failed', 'unreachable', 'interrupted', 'cancelled', 'error'] as const;
// Marked pure so the web app, which takes only `runStatuses`, leaves zod out of its bundle.
export const runStatusSchema = /* @__PURE__ */ z.enum(runStatuses);
export type RunStatus = z.output<typeof runStatusSchema>;

const byReason: Record<RunEndReason, RunStatus> = {
  completed: 'ok',
  failed: 'failed',
  unreachable: 'unreachable',
  interrupted: 'interrupted',
  error: 'error',
};

export function runStatus(reason: RunEndReason): RunStatus {
  return byReason[reason];
}
