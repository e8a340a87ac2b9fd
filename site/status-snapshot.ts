/**
 * status_snapshot: one read of a host's containers, certificates, site records, disk and load —
 * one round trip, never a write. Its data is the documented `HostStatus` (runner/store/host-status.ts).
 */
import { z } from 'zod';
import { readCertsScript } from '../modules/certbot-cert.js';
import { defineModule } from '../runner/module/define.js';
import { script } from '../runner/shell/command.js';
import { LETSENCRYPT_DIR } from './paths.js';
import { LIST_SITES_SCRIPT } from './site-config.js';
import type { HostStatus } from '../runner/store/host-status.js';
import { parseStatus, STATUS_MARK } from './status.js';

/** Each part in a subshell, its exit status on the marker line of the next, so one failing part spoils nothing. */
function part(name: string, body: string): string {
  return `out=$( (\n${body}\n) 2>&1 ); echo "${STATUS_MARK} ${name} $?"; printf '%s\\n' "$out"`;
}

export const SNAPSHOT_SCRIPT = [
  part(
    'containers',
    'if command -v docker >/dev/null 2>&1; then docker ps -a --format json; ' +
      'elif command -v podman >/dev/null 2>&1; then podman ps -a --format json; else echo "no container engine"; exit 127; fi',
  ),
  part(
    'certificates',
    `command -v openssl >/dev/null || { echo "openssl is not installed"; exit 127; }\n${readCertsScript(LETSENCRYPT_DIR, [])}`,
  ),
  part('sites', LIST_SITES_SCRIPT),
  part('disk', 'df -P -k'),
  part('load', 'cat /proc/loadavg'),
].join('\n');

export const statusSnapshot = defineModule({
  name: 'status_snapshot',
  description: "Read a host's containers, certificates, sites, disk and load in one round trip",
  params: z.object({}),
  read: () => ({ command: script(SNAPSHOT_SCRIPT), parse: (res) => res.stdout }),
  plan(_p, stdout: string, ctx) {
    const s: HostStatus = parseStatus(stdout, ctx.host);
    const running = s.containers.filter((c) => c.state === 'running').length;
    const message =
      `${running}/${s.containers.length} containers running, ${s.certificates.length} certificates, ${s.sites.length} sites` +
      (s.errors.length ? `; unreadable: ${s.errors.join('; ')}` : '');
    return { commands: [], message, data: { ...s } };
  },
});
