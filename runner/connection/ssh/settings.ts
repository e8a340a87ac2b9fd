import { userInfo } from 'node:os';
import { UsageError } from '../../errors.js';
import { connectionKeys } from '../../inventory/schema.js';
import type { InventoryHost } from '../../inventory/types.js';
import { describeRange, type Range } from '../../util/bounds.js';
import { becomeSpec, type BecomeSpec } from '../become.js';
import type { HostKeyPolicy } from '../known-hosts/verifier.js';
import { parseJumps } from './jump-spec.js';
import { expandHome, expandTokens, identitiesFor, type Identity } from './identities.js';
import { SshConfig, type SshConfigEntry } from './ssh-config.js';

/** One server on the way or at the end, with the keys to offer it. */
export interface Hop {
  address: string;
  port: number;
  user: string;
  identities: Identity[];
}

/** Everything needed to open one host's SSH connection, resolved from inventory, options and env. */
export interface SshSettings {
  name: string;
  address: string;
  port: number;
  user: string;
  identities: Identity[];
  /** IdentitiesOnly: offer only these keys, not the agent's. */
  identitiesOnly: boolean;
  knownHostsFile: string;
  hostKeyPolicy: HostKeyPolicy;
  /** Hosts to hop through, first one first (ProxyJump). */
  jumps: Hop[];
  readyTimeoutMs: number;
  keepaliveIntervalMs: number;
  keepaliveCountMax: number;
  /** Channels open at once on the connection (the server's MaxSessions; OpenSSH's default is 10). */
  maxSessions: number;
  /** How `become` steps change user on this host. */
  become: BecomeSpec;
}

/** Run-wide choices (CLI flags); each one given wins over what the inventory says, an absent one lets it speak. */
export interface SshDefaults {
  knownHostsFile?: string;
  hostKeyPolicy?: HostKeyPolicy;
  readyTimeoutMs?: number;
  keepaliveIntervalMs?: number;
  maxSessions?: number;
  /** ansible.cfg's `host_key_checking` and `timeout`: below the inventory, above `~/.ssh/config`. */
  ansibleCfg?: { hostKeyChecking?: boolean; timeoutSec?: number };
  /** The run's become password (file, environment or prompt), for hosts whose inventory gives none. */
  becomePassword?: string;
}

/** The same bounds as `--connect-timeout`: a longer wait would overflow Node's timer. */
const TIMEOUT_SECONDS: Range = { min: 1, max: 3600, unit: 'seconds' };

/**
 * Precedence as Ansible driving OpenSSH: run-wide flags, then the inventory (its variables, then the
 * `-o` options of its ssh argument variables, which ssh puts before its config), then
 * `~/.ssh/config`, then ssh's defaults.
 */
export function sshSettings(
  host: InventoryHost,
  defaults: SshDefaults = {},
  env = process.env,
  config: SshConfig = SshConfig.none,
): SshSettings {
  const opts = sshArgOptions([host.vars.ansible_ssh_common_args, host.vars.ansible_ssh_extra_args]);
  const cfg = config.lookup(host.address);
  const setting = (name: string, value: unknown, range: Range) => bounded(host.name, name, value, range);
  const timeoutSec =
    setting('ConnectTimeout', opts.get('connecttimeout'), TIMEOUT_SECONDS) ??
    setting('ansible_ssh_timeout', host.vars.ansible_ssh_timeout, TIMEOUT_SECONDS) ??
    setting('ansible_timeout', host.vars.ansible_timeout, TIMEOUT_SECONDS) ??
    defaults.ansibleCfg?.timeoutSec ??
    setting(`ConnectTimeout in ${config.file}`, cfg.connectTimeout, TIMEOUT_SECONDS);
  const aliveSec = setting('ServerAliveInterval', opts.get('serveraliveinterval'), TIMEOUT_SECONDS);
  const aliveMax = setting('ServerAliveCountMax', opts.get('serveralivecountmax'), { min: 1, max: 1000 });
  const portSet = connectionKeys.port.some((k) => host.vars[k] !== undefined && host.vars[k] !== null);
  const user = host.user ?? opts.get('user') ?? cfg.user ?? userInfo().username;
  const port = portSet ? host.port : configPort(host.name, opts.get('port') ?? cfg.port) ?? host.port;
  const address = cfg.hostName ? expandTokens(cfg.hostName, { h: host.address }) : host.address;
  const tokens = { h: address, n: host.address, p: String(port), r: user };
  const identities = identitiesFor(host.keyFile ? [host.keyFile] : [], cfg, tokens);
  const jumpSpec = typeof host.vars.jump === 'string' ? host.vars.jump : (opts.get('proxyjump') ?? configJump(cfg));
  const only = opts.get('identitiesonly');
  return {
    name: host.name,
    address,
    port,
    user,
    identities,
    identitiesOnly: only !== undefined ? only.toLowerCase() === 'yes' : (cfg.identitiesOnly ?? false),
    knownHostsFile: expandHome(
      defaults.knownHostsFile ??
        opts.get('userknownhostsfile') ??
        env.VSA_KNOWN_HOSTS ??
        (cfg.userKnownHostsFile ? expandTokens(cfg.userKnownHostsFile, tokens) : '~/.ssh/known_hosts'),
    ),
    hostKeyPolicy:
      defaults.hostKeyPolicy ??
      policyFromStrict(
        opts.get('stricthostkeychecking') ?? hostKeyChecking(host.vars.ansible_host_key_checking) ??
          hostKeyChecking(defaults.ansibleCfg?.hostKeyChecking) ??
          cfg.strictHostKeyChecking,
      ),
    jumps: jumpSpec && jumpSpec !== 'none' ? jumpHops(host.name, jumpSpec, config, { user, identities }) : [],
    readyTimeoutMs: defaults.readyTimeoutMs ?? (timeoutSec ? timeoutSec * 1000 : 15_000),
    // Keepalives stay on whatever ssh's ServerAliveInterval says (`0` turns them off in ssh):
    // without them a command on a link that died silently would wait forever.
    keepaliveIntervalMs: defaults.keepaliveIntervalMs ?? (aliveSec ? aliveSec * 1000 : 15_000),
    keepaliveCountMax: aliveMax ? Math.floor(aliveMax) : 3,
    maxSessions: defaults.maxSessions ?? 10,
    become: becomeSpec(host, defaults.becomePassword),
  };
}

/**
 * Each ProxyJump hop is itself looked up in the ssh config (its HostName, User, Port and
 * IdentityFile), as ssh does; a hop the config says nothing about keeps the target's user and keys.
 */
function jumpHops(name: string, spec: string, config: SshConfig, target: { user: string; identities: Identity[] }): Hop[] {
  return parseJumps(spec).map((j) => {
    const cfg = config.lookup(j.address);
    const address = cfg.hostName ? expandTokens(cfg.hostName, { h: j.address }) : j.address;
    const user = j.user ?? cfg.user ?? target.user;
    const port = j.port ?? configPort(name, cfg.port) ?? 22;
    const own = identitiesFor([], cfg, { h: address, n: j.address, p: String(port), r: user });
    return { address, port, user, identities: cfg.identityFiles.length ? own : target.identities };
  });
}

function configJump(cfg: SshConfigEntry): string | undefined {
  if (cfg.proxyJump) return cfg.proxyJump;
  return cfg.proxyCommand ? proxyCommandJump(cfg.proxyCommand) : undefined;
}

function configPort(host: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 65535) throw new UsageError(`${host}: Port must be 1-65535, got ${value}`);
  return n;
}

/**
 * A number of an ssh setting. Absent, zero or not a number leaves ssh's default; past the range
 * it is bad inventory (exit 5), not a timer that overflows and fires at once.
 */
function bounded(host: string, name: string, value: unknown, range: Range): number | undefined {
  const n = Number(value);
  if (value === undefined || value === '' || !(n > 0)) return undefined;
  if (n < range.min || n > range.max) {
    throw new UsageError(`${host}: ${name} must be ${describeRange(range)}, got ${String(value)}`);
  }
  return n;
}

/** Ansible's `ansible_host_key_checking` as the StrictHostKeyChecking word it means. */
function hostKeyChecking(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  return ['false', 'no', 'off', '0'].includes(String(value).toLowerCase()) ? 'no' : 'yes';
}

function policyFromStrict(value: string | undefined): HostKeyPolicy {
  // OpenSSH's `no`/`off` would take any key; vsa never does, so those become accept-new.
  return value && ['accept-new', 'no', 'off'].includes(value.toLowerCase()) ? 'accept-new' : 'strict';
}

/**
 * The `-o Key=Value`, `-o Key Value` and `-J spec` options of Ansible's ssh argument variables,
 * keys lower-cased (the first value wins, as in ssh). Other ssh flags are ignored.
 */
export function sshArgOptions(values: readonly unknown[]): Map<string, string> {
  const words = values.flatMap((v) => (typeof v === 'string' ? shellWords(v) : []));
  const out = new Map<string, string>();
  const set = (k: string, v: string) => {
    if (!out.has(k.toLowerCase())) out.set(k.toLowerCase(), v);
  };
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    const next = () => words[++i] ?? '';
    if (w === '-J') set('proxyjump', next());
    else if (w === '-o' || w.startsWith('-o')) {
      const opt = w === '-o' ? next() : w.slice(2);
      const m = /^([A-Za-z]+)\s*(?:=\s*|\s+)(.*)$/.exec(opt);
      if (m) set(m[1]!, m[2]!);
      else if (/^[A-Za-z]+$/.test(opt)) set(opt, next());
    }
  }
  const proxy = out.get('proxycommand');
  if (proxy && !out.has('proxyjump')) {
    const jump = proxyCommandJump(proxy);
    if (jump) out.set('proxyjump', jump);
  }
  return out;
}

/** The common `ssh -W %h:%p [-p PORT] [user@]bastion` ProxyCommand, as a ProxyJump spec. */
function proxyCommandJump(command: string): string | undefined {
  const words = shellWords(command);
  if (words[0] !== 'ssh' || !words.includes('-W')) return undefined;
  let port: string | undefined;
  let user: string | undefined;
  const rest: string[] = [];
  for (let i = 1; i < words.length; i++) {
    const w = words[i]!;
    if (w === '-p') port = words[++i];
    else if (w === '-l') user = words[++i];
    else if (['-W', '-o', '-i', '-F'].includes(w)) i++;
    else if (!w.startsWith('-')) rest.push(w);
  }
  const target = rest[0];
  if (!target) return undefined;
  return `${user && !target.includes('@') ? `${user}@` : ''}${target}${port ? `:${port}` : ''}`;
}

/** Splits like sh: whitespace, with single and double quotes and backslash escapes. */
export function shellWords(text: string): string[] {
  const words: string[] = [];
  const re = /"((?:\\.|[^"\\])*)"|'([^']*)'|\\(.)|(\s+)|([^\s"'\\]+)/g;
  let cur: string | undefined;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (m[4] !== undefined) {
      if (cur !== undefined) words.push(cur);
      cur = undefined;
    } else {
      cur = (cur ?? '') + (m[1]?.replace(/\\(.)/g, '$1') ?? m[2] ?? m[3] ?? m[5] ?? '');
    }
  }
  if (cur !== undefined) words.push(cur);
  return words;
}
