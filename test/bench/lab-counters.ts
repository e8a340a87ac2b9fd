import { readFile } from 'node:fs/promises';
import type { Lab } from '../lab/lab.js';
import type { LabHost } from '../lab/plugins/types.js';
import { readState } from '../lab/state.js';

export interface SshdCounts {
  /** TCP connections accepted (`Connection from`). */
  connections: number;
  /** Channels that started a session (`Starting session`): shells, exec and sftp. */
  sessions: number;
}

/** Counts from the hosts' sshd logs (LogLevel VERBOSE), summed over `hosts`. */
export async function sshdCounts(lab: Lab, hosts: readonly LabHost[]): Promise<SshdCounts> {
  const logs = await Promise.all(hosts.map((h) => lab.sshdLog(h.name)));
  const count = (re: RegExp) => logs.reduce((n, log) => n + (log.match(re)?.length ?? 0), 0);
  return { connections: count(/Connection from /g), sessions: count(/Starting session/g) };
}

export function perHost(before: SshdCounts, after: SshdCounts, hosts: number): SshdCounts {
  return {
    connections: (after.connections - before.connections) / hosts,
    sessions: (after.sessions - before.sessions) / hosts,
  };
}

/**
 * CPU seconds spent on the hosts' side (sshd per connection, shells and the commands they ran),
 * from the lab's sshd listeners' reaped-children times: exact once every connection has closed.
 */
export async function hostCpuSeconds(lab: Lab): Promise<number> {
  const state = await readState(lab.layout.dir);
  let ticks = 0;
  for (const pid of Object.values(state?.pids ?? {}).flat()) {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // Fields 16 and 17 of /proc/PID/stat (cutime, cstime), counted after the `(comm)` field.
    ticks += Number(fields[13] ?? 0) + Number(fields[14] ?? 0);
  }
  return ticks / 100;
}
