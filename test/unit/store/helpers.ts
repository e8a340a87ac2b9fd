import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import type { EventName, HostStats, RunEvents } from '../../../runner/events/types.js';

/** A fresh data dir per test, removed afterwards even when the test fails. */
export function useTempHome(): () => string {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });
  return () => {
    const d = mkdtempSync(join(tmpdir(), 'vsa-store-'));
    dirs.push(d);
    return d;
  };
}

export type Step = { [K in EventName]: [K, RunEvents[K]] }[EventName];

const zero = (): HostStats => ({ ok: 0, changed: 0, failed: 0, skipped: 0, unreachable: 0, ignored: 0 });

/**
 * The events of a run over `hosts`: per host an ok task, a changed task with a diff and, on the
 * last host, a failed task; the recap matches the task results.
 */
export function scriptedRun(runId: string, hosts: string[], startedAt = '2026-01-10T10:00:00.000Z'): Step[] {
  const steps: Step[] = [
    [
      'run:start',
      {
        runId,
        playbook: 'provision-site',
        params: { domain: 'shop.example.com', port: 3000 },
        hosts,
        check: false,
        diff: true,
        actor: 'alice@ctl',
        origin: 'tty',
        startedAt,
      },
    ],
  ];
  const recap: Record<string, HostStats> = {};
  hosts.forEach((host, h) => {
    const stats = (recap[host] = zero());
    steps.push(['host:start', { runId, host }]);
    const tasks = [
      { task: 'network', status: 'ok' as const },
      { task: 'write vhost', status: 'changed' as const, diff: `--- a/${host}.conf\n+++ b/${host}.conf\n+server_name shop.example.com;\n` },
      ...(h === hosts.length - 1 ? [{ task: 'nginx -t', status: 'failed' as const, message: 'nginx: [emerg] bad' }] : []),
    ];
    tasks.forEach((t, i) => {
      const ref = { runId, host, task: t.task, taskIndex: i, handler: false };
      steps.push(['task:start', ref]);
      steps.push(['task:result', { ...ref, status: t.status, durationMs: 10 + i, roundTrips: 1, ...t }]);
      stats[t.status]++;
    });
    steps.push(['host:end', { runId, host, stats }]);
  });
  const failed = Object.values(recap).some((s) => s.failed > 0);
  steps.push([
    'run:end',
    {
      runId,
      reason: failed ? 'failed' : 'completed',
      exitCode: failed ? 2 : 0,
      recap,
      durationMs: 1500,
      endedAt: '2026-01-10T10:00:01.500Z',
    },
  ]);
  return steps;
}
