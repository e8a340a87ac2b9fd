import { isCertInfo, parseCerts } from '../modules/certbot-cert.js';
import type { ContainerStatus, DiskUsage, HostStatus } from '../runner/store/host-status.js';
import { parseSiteList } from './site-config.js';

export const STATUS_MARK = '@@vsa-status';

type Json = Record<string, unknown>;
const str = (v: unknown) =>
  typeof v === 'string' ? v : Array.isArray(v) ? v.filter((x) => typeof x === 'string').join(',') : '';

/**
 * Docker prints one JSON object per line; Podman prints one array. Other lines (podman-docker's
 * "Emulate Docker CLI" notice) are not JSON and are skipped.
 */
export function parseContainers(text: string): ContainerStatus[] {
  const lines = text.split('\n').map((l) => l.trim());
  const at = lines.findIndex((l) => l.startsWith('['));
  const rows: Json[] =
    at >= 0
      ? (JSON.parse(lines.slice(at).join('\n')) as Json[])
      : lines.filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Json);
  return rows.map((r) => {
    const status = str(r.Status);
    const health = /\((healthy|unhealthy|starting)\)/.exec(status)?.[1] as
      ContainerStatus['health'] | undefined;
    return {
      name: str(r.Names).replace(/^\//, ''),
      image: str(r.Image),
      state: str(r.State).toLowerCase(),
      status,
      ...(health ? { health } : {}),
    };
  });
}

/** `df -P` in 1024-byte blocks: pseudo filesystems of size 0 are left out. */
export function parseDf(text: string): DiskUsage[] {
  return text
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => l.trim().split(/\s+/))
    .filter((f) => f.length >= 6 && Number(f[1]) > 0)
    .map((f) => ({
      filesystem: f[0]!,
      mount: f.slice(5).join(' '),
      sizeKb: Number(f[1]),
      usedKb: Number(f[2]),
      availKb: Number(f[3]),
      usePercent: Number(f[4]!.replace('%', '')),
    }));
}

export function parseLoad(text: string): HostStatus['load'] {
  const [one, five, fifteen] = text.trim().split(/\s+/).map(Number);
  return one === undefined || Number.isNaN(one) ? null : { one, five: five!, fifteen: fifteen! };
}

/** Splits the probe's output into its marked parts: `@@vsa-status NAME RC` then the part's output. */
export function parseStatus(stdout: string, host: string, now = new Date()): HostStatus {
  const parts = new Map<string, { rc: number; text: string }>();
  for (const block of stdout.split(`${STATUS_MARK} `).slice(1)) {
    const nl = block.indexOf('\n');
    const [name = '', rc = '0'] = (nl < 0 ? block : block.slice(0, nl)).trim().split(' ');
    parts.set(name, { rc: Number(rc), text: nl < 0 ? '' : block.slice(nl + 1) });
  }
  const errors: string[] = [];
  const read = <T>(name: string, parse: (t: string) => T, empty: T): T => {
    const p = parts.get(name);
    if (!p) return empty;
    if (p.rc !== 0) {
      errors.push(`${name}: ${p.text.trim().split('\n').pop() || `exit code ${p.rc}`}`);
      return empty;
    }
    try {
      return parse(p.text);
    } catch (err) {
      errors.push(`${name}: ${(err as Error).message}`);
      return empty;
    }
  };
  const certMap = read('certificates', (t) => parseCerts(t, now.getTime()), new Map());
  for (const [name, c] of certMap) if (c && !isCertInfo(c)) errors.push(`certificate ${name}: ${c.error}`);
  return {
    collectedAt: now.toISOString(),
    containers: read('containers', parseContainers, []),
    certificates: [...certMap.values()].filter(isCertInfo).map(({ fingerprint: _f, ...c }) => c),
    sites: read('sites', (t) => parseSiteList(t, host), []),
    disk: read('disk', parseDf, []),
    load: read('load', parseLoad, null),
    errors,
  };
}
