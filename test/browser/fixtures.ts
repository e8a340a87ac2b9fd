import type { AnyEvent, HostStats, TaskStatus } from '../../runner/events/types.js';

const zero = (): HostStats => ({ ok: 0, changed: 0, failed: 0, skipped: 0, unreachable: 0, ignored: 0 });

export interface PlannedTask {
  task: string;
  /** Per host, or one status for all. */
  status: TaskStatus | ((host: string) => TaskStatus);
  diff?: (host: string) => string;
  message?: string;
}

/**
 * A run's events as the runner pushes them, in three parts: the start, each task's results over
 * all hosts (one part per task, to feed a live view step by step), and the end with its recap.
 */
export function plannedRun(runId: string, playbook: string, hosts: string[], tasks: PlannedTask[], startedAt = new Date()) {
  let t = startedAt.getTime();
  const time = () => new Date((t += 250)).toISOString();
  const recap: Record<string, HostStats> = Object.fromEntries(hosts.map((h) => [h, zero()]));
  const start: AnyEvent[] = [
    {
      type: 'run:start',
      time: startedAt.toISOString(),
      runId,
      playbook,
      params: { domain: 'shop.example.test' },
      hosts,
      check: false,
      diff: true,
      actor: 'ops@control',
      origin: 'cron',
      startedAt: startedAt.toISOString(),
    },
  ];
  const steps: AnyEvent[][] = tasks.map((k, taskIndex) =>
    hosts.map((host) => {
      const status = typeof k.status === 'function' ? k.status(host) : k.status;
      recap[host]![status]++;
      return {
        type: 'task:result',
        time: time(),
        runId,
        host,
        task: k.task,
        taskIndex,
        handler: false,
        status,
        durationMs: 40 + taskIndex * 7,
        roundTrips: 1,
        ...(k.message ? { message: k.message } : {}),
        ...(k.diff && status === 'changed' ? { diff: k.diff(host) } : {}),
      };
    }),
  );
  const failed = Object.values(recap).some((s) => s.failed > 0);
  const endedAt = time();
  const end: AnyEvent[] = [
    {
      type: 'run:end',
      time: endedAt,
      runId,
      reason: failed ? 'failed' : 'completed',
      exitCode: failed ? 2 : 0,
      recap,
      durationMs: Date.parse(endedAt) - startedAt.getTime(),
      endedAt,
    },
  ];
  return { start, steps, end, all: [...start, ...steps.flat(), ...end] };
}

export const vhostDiff = (host: string) =>
  `--- a/etc/nginx/conf.d/shop.conf\n+++ b/etc/nginx/conf.d/shop.conf\n@@ -1,3 +1,4 @@\n server {\n-    listen 80;\n+    listen 443 ssl;\n+    server_name shop.example.test; # ${host}\n }\n`;

/** Output a hostile site could put in a task's message or diff. */
export const XSS = `<img src=x onerror="window.__xss='img'"><script>window.__xss='script'</script>`;
