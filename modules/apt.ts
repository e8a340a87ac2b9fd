import { z } from 'zod';
import { defineModule } from '../runner/module/define.js';
import { argv, script, type Command } from '../runner/shell/command.js';
import { joinArgv } from '../runner/shell/quote.js';
import type { ExecResult } from '../runner/connection/types.js';
import type { Plan } from '../runner/module/types.js';
import { isDebianFamily, osFact, type OsFacts } from './facts/os.js';

const pkg = z.string().regex(/^[a-z0-9][a-z0-9+.-]*(:[a-z0-9-]+)?$/, 'a Debian package name');

const aptParams = z.object({
  name: z.union([pkg, z.array(pkg).min(1)]).transform((n) => (typeof n === 'string' ? [n] : n)),
  state: z.enum(['present', 'absent', 'latest']).default('present'),
  updateCache: z.boolean().default(false),
  /** Seconds: with updateCache, a cache updated more recently is used as is. */
  cacheValidTime: z.number().int().nonnegative().optional(),
  /** absent: also remove configuration files. */
  purge: z.boolean().default(false),
});
type AptParams = z.output<typeof aptParams>;

export interface AptState {
  available: boolean;
  /** Installed version by package; configuration files only → `config-files`. */
  installed: Map<string, string>;
  /** latest: the candidate version of each package (`(none)` when apt knows none). */
  candidate: Map<string, string>;
  /** Seconds since the cache was last updated (Infinity when unknown). */
  cacheAge: number;
}

const APT = [
  'env',
  'DEBIAN_FRONTEND=noninteractive',
  'NEEDRESTART_MODE=a',
  'apt-get',
  '-q',
  '-y',
  '-o',
  'DPkg::Lock::Timeout=120',
];

/**
 * Debian packages present, absent or latest. One read gets dpkg's state of every package (and,
 * for latest, apt's candidates; with updateCache, the cache's age). apt-get waits up to 120 s
 * for the dpkg lock instead of failing while unattended-upgrades runs.
 */
export const apt = defineModule({
  name: 'apt',
  description: 'Install, upgrade or remove Debian packages',
  params: aptParams,
  facts: [osFact],
  read: (p) => ({ command: script(readScript(p)), parse: parseAptState }),
  plan(p, state: AptState, ctx): Plan {
    const os = ctx.facts.peek<OsFacts>(osFact);
    if (os && !isDebianFamily(os))
      return { commands: [], fail: `apt needs a Debian-family host (this one is ${os.prettyName ?? os.id})` };
    if (!state.available) return { commands: [], fail: 'apt-get or dpkg-query not found on this host' };
    return planApt(p, state);
  },
});

export function planApt(p: AptParams, s: AptState): Plan {
  const update = p.updateCache && !(p.cacheValidTime !== undefined && s.cacheAge <= p.cacheValidTime);
  const isInstalled = (n: string) => s.installed.has(base(n)) && s.installed.get(base(n)) !== 'config-files';
  let todo: string[];
  if (p.state === 'absent')
    todo = p.name.filter((n) => isInstalled(n) || (p.purge && s.installed.has(base(n))));
  else if (p.state === 'present') todo = p.name.filter((n) => !isInstalled(n));
  else {
    const none = p.name.filter((n) => (s.candidate.get(base(n)) ?? '(none)') === '(none)' && !isInstalled(n));
    if (none.length && !update)
      return { commands: [], fail: `no installation candidate for ${none.join(', ')}` };
    // After an update the candidates may be newer than what was read: let apt decide for all.
    todo = update
      ? p.name
      : p.name.filter((n) => !isInstalled(n) || s.installed.get(base(n)) !== s.candidate.get(base(n)));
  }

  const cmds: Command[] = update ? [argv(...APT, 'update')] : [];
  if (todo.length)
    cmds.push(argv(...APT, p.state === 'absent' ? (p.purge ? 'purge' : 'remove') : 'install', ...todo));
  if (cmds.length === 0) return { commands: [] };
  const verb = { present: 'install', latest: 'install or upgrade', absent: p.purge ? 'purge' : 'remove' }[
    p.state
  ];
  const sign = p.state === 'absent' ? '-' : '+';
  return {
    commands: cmds,
    message: [update && 'update the package cache', todo.length && `${verb} ${todo.join(', ')}`]
      .filter(Boolean)
      .join(', then '),
    diff: todo.length
      ? `--- packages\n+++ packages\n${todo.map((n) => `${sign}${n}${s.installed.has(base(n)) ? ` ${s.installed.get(base(n))}` : ''}`).join('\n')}\n`
      : undefined,
  };
}

const LISTS = '/var/lib/apt/lists';
/** Where the time of the last `apt-get update` shows, most precise first (as Ansible's apt reads it). */
const CACHE_STAMPS = ['/var/lib/apt/periodic/update-success-stamp', '/var/cache/apt/pkgcache.bin', LISTS];

const base = (n: string) => n.replace(/:.*$/, '');

function readScript(p: AptParams): string {
  const names = p.name.map(base);
  const lines = [
    'if ! command -v apt-get >/dev/null 2>&1 || ! command -v dpkg-query >/dev/null 2>&1; then echo noapt; exit 0; fi',
    `${joinArgv(['dpkg-query', '-W', '-f', 'pkg ${Package} ${Version} ${Status}\\n', '--', ...names])} 2>/dev/null || true`,
  ];
  if (p.state === 'latest')
    lines.push(`LC_ALL=C ${joinArgv(['apt-cache', 'policy', '--', ...names])} 2>/dev/null || true`);
  if (p.updateCache) {
    // Images that drop pkgcache.bin (Docker's debian) still have the lists apt-get update wrote.
    // Images that drop the lists too (Debian's cloud and container images) have a fresh lists
    // directory and know no package: without a package index the cache was never updated.
    lines.push(
      `if ls ${LISTS} 2>/dev/null | grep -q _Packages; then c=$(${CACHE_STAMPS.map((f) => `stat -c %Y ${f} 2>/dev/null`).join(' || ')} || echo 0); else c=0; fi`,
      'echo "cache-age $(( $(date +%s) - c ))"',
    );
  }
  return lines.join('\n');
}

export function parseAptState(res: ExecResult): AptState {
  const s: AptState = { available: true, installed: new Map(), candidate: new Map(), cacheAge: Infinity };
  let current: string | undefined;
  for (const line of res.stdout.split('\n')) {
    if (line === 'noapt') s.available = false;
    let m = /^pkg (\S+) (\S*) \S+ \S+ (\S+)$/.exec(line);
    if (m) {
      if (m[3] === 'installed') s.installed.set(m[1]!, m[2]!);
      else if (m[3] === 'config-files' && !s.installed.has(m[1]!)) s.installed.set(m[1]!, 'config-files');
      continue;
    }
    if ((m = /^(\S+?)(:\S+)?:$/.exec(line))) current = m[1];
    else if ((m = /^\s+Candidate: (\S+)$/.exec(line)) && current) s.candidate.set(current, m[1]!);
    else if ((m = /^cache-age (\d+)$/.exec(line))) s.cacheAge = Number(m[1]);
  }
  return s;
}
