import type { CertificateRow, ContainerRow } from '../../dashboard/server/queries/fleet-state.js';
import type { HostSummary } from '../../dashboard/server/queries/hosts.js';
import { formatTable, shortTime } from './table.js';

export interface FleetStatus {
  hosts: HostSummary[];
  certificates: CertificateRow[];
  containers: ContainerRow[];
}

/** Certificates this close to their end are named in the summary: the renew cron's own window. */
export const EXPIRING_DAYS = 30;

const HOUR_MS = 3_600_000;

/** How long ago a snapshot was taken, in the largest whole unit: `40m`, `5h`, `3d`. */
function age(iso: string, now: number): string {
  const ms = Math.max(0, now - Date.parse(iso));
  if (ms < HOUR_MS) return `${Math.floor(ms / 60_000)}m`;
  if (ms < 24 * HOUR_MS) return `${Math.floor(ms / HOUR_MS)}h`;
  return `${Math.floor(ms / (24 * HOUR_MS))}d`;
}

/**
 * `vsa status`: one line a host, from the store (the last run's health, the last collect-status
 * snapshot and its age); a host never collected shows `-` where the snapshot would be.
 */
export function formatFleetStatus(fleet: FleetStatus, now = Date.now()): string[] {
  if (fleet.hosts.length === 0) return ['no host recorded: run a playbook, or `vsa run collect-status`'];
  const rows = fleet.hosts.map((h) => {
    const mine = fleet.containers.filter((c) => c.host === h.host);
    const up = mine.filter((c) => c.state === 'running' && c.health !== 'unhealthy').length;
    const expiring = fleet.certificates.filter((c) => c.host === h.host && c.daysLeft < EXPIRING_DAYS).sort((a, b) => a.daysLeft - b.daysLeft);
    const collected = h.collectedAt !== null;
    return [
      h.host,
      h.lastRun ? `${h.health} (${h.lastRun.playbook})` : h.health,
      collected ? `${shortTime(h.collectedAt)} (${age(h.collectedAt!, now)} ago)` : 'never',
      collected ? `${up}/${mine.length}` : '-',
      collected ? (expiring.length === 0 ? 'none' : expiring.map((c) => `${c.name} ${c.daysLeft}d`).join(', ')) : '-',
      h.disk ? `${h.disk.usePercent}% ${h.disk.mount}` : '-',
      h.load ? `${h.load.one} ${h.load.five} ${h.load.fifteen}` : '-',
    ];
  });
  return formatTable(['HOST', 'LAST RUN', 'COLLECTED (UTC)', 'UP', `CERTS < ${EXPIRING_DAYS}D`, 'DISK', 'LOAD'], rows);
}
