import type { HostStats, Recap, RunEndReason } from '../events/types.js';
import type { TaskOutcome } from './run-task.js';

export function count(stats: HostStats, o: TaskOutcome): void {
  if (o.ignored) stats.ignored++;
  else stats[o.status]++;
}

/** Exit code and reason as ansible-playbook: unreachable 4 over failed 2; an interrupt is 130. */
export function verdict(recap: Recap, interrupted: boolean): { exitCode: number; reason: RunEndReason } {
  if (interrupted) return { exitCode: 130, reason: 'interrupted' };
  const all = Object.values(recap);
  if (all.some((s) => s.unreachable > 0)) return { exitCode: 4, reason: 'unreachable' };
  if (all.some((s) => s.failed > 0)) return { exitCode: 2, reason: 'failed' };
  return { exitCode: 0, reason: 'completed' };
}
