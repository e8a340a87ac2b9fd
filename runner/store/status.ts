import type { RunEndReason } from '../events/types.js';
import type { RunStatus } from './types.js';

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

export const runStatuses: readonly RunStatus[] = ['running', 'ok', 'failed', 'unreachable', 'interrupted', 'error'];
