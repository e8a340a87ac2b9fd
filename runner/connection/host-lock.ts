/**
 * A per-host run lock: a directory renamed into place complete with its record (run, owner,
 * control host and pid, and the holder: the host-side process of the run's SSH session). It is
 * live while that process lives on the host, judged by the host alone; see
 * docs/adr/0008-host-lock-and-pending-actions.md.
 */
import { hostname, userInfo } from 'node:os';
import { posix } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { CommandError, LockError, LockHeldError } from '../errors.js';
import type { Command } from '../shell/command.js';
import {
  acquireLockCommand,
  recordPendingCommand,
  releaseLockCommand,
  ROOT_LOCK_DIR,
  type LockScope,
} from './host-lock-scripts.js';
import type { Connection } from './types.js';


export interface LockOwner {
  runId: string;
  /** `user@control-host` by default. */
  owner?: string;
  controlHost?: string;
  pid?: number;
}

export interface LockRecord {
  run?: string;
  owner?: string;
  control?: string;
  pid?: number;
  /** The holder's process on the host. */
  holder?: number;
}

export type LockReply =
  | { state: 'acquired'; path: string; scope: LockScope; pending: string[] }
  | { state: 'held'; path: string; holder?: LockRecord; ageSec?: number }
  | { state: 'stale' | 'busy' | 'gone'; path: string; holder?: LockRecord; stopped?: number[] }
  | { state: 'failed'; path: string };

const STATES = new Set(['acquired', 'held', 'stale', 'busy', 'gone', 'failed']);

export function parseLockReply(stdout: string): LockReply {
  const lines = stdout.split('\n').filter((l) => l !== '');
  const first = lines[0] ?? '';
  const state = first.slice(0, first.indexOf(' '));
  if (!STATES.has(state)) throw new LockError(`unexpected reply of the lock script: ${stdout.slice(0, 200)}`);
  const rest = first.slice(state.length + 1);
  if (state === 'acquired') {
    const at = rest.lastIndexOf(' ');
    const pending = lines.slice(1).flatMap((l) => (l.startsWith('pending ') ? [l.slice(8)] : []));
    return { state, path: rest.slice(0, at), scope: rest.slice(at + 1) as LockScope, pending };
  }
  if (state === 'failed') return { state, path: rest };
  const kv = new Map(lines.slice(1).flatMap((l) => (l.includes('=') ? [[l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]] : [])));
  const num = (k: string) => (/^\d+$/.test(kv.get(k) ?? '') ? Number(kv.get(k)) : undefined);
  const holder: LockRecord | undefined = kv.get('run')
    ? { run: kv.get('run'), owner: kv.get('owner'), control: kv.get('control'), pid: num('pid'), holder: num('holder') }
    : undefined;
  const base = { path: rest, ...(holder ? { holder } : {}) };
  if (state === 'held') return { state, ...base, ...(num('age') !== undefined ? { ageSec: num('age') } : {}) };
  const stopped = (kv.get('stopped') ?? '').split(' ').filter((p) => /^\d+$/.test(p)).map(Number);
  return { state: state as 'stale' | 'busy' | 'gone', ...base, ...(stopped.length ? { stopped } : {}) };
}

export function describeHolder(reply: { path: string; holder?: LockRecord; ageSec?: number }): string {
  const h = reply.holder;
  const age = reply.ageSec !== undefined ? `, for ${reply.ageSec} s` : '';
  if (!h) return `${reply.path}${age}`;
  return `${h.owner ?? '?'}, run ${h.run ?? '?'}, pid ${h.pid ?? '?'} on ${h.control ?? '?'}, session pid ${h.holder ?? '?'} on the host${age} (${reply.path})`;
}

/** A taken lock: what earlier runs left pending on the host, and how to record and release. */
export interface HostLease {
  path: string;
  scope: LockScope;
  /** Pending actions recorded on the host, one line each, as earlier runs left them. */
  pending: string[];
  /** A command that records `lines` as the host's pending actions; `become`: the step it joins runs as root. */
  recordPending(lines: readonly string[], become: boolean): Command;
  /** Releases the lock, leaving `pending` (when given) as the host's pending actions. */
  release(pending?: readonly string[]): Promise<void>;
}

export interface AcquireLockOptions {
  /** Wait for the holder to finish (`--wait-lock`) instead of failing at once. */
  wait?: boolean;
  /** How long to wait at most (default 10 minutes). */
  timeoutMs?: number;
  pollMs?: number;
  /** The root-owned directory of the lock (tests point it elsewhere). */
  rootDir?: string;
  /** Told once per host when the lock cannot be the host's one root-owned lock, and why. */
  warn?: (message: string) => void;
}

/**
 * Takes the host's run lock. Throws LockHeldError naming the holder when a live run holds it
 * (after waiting, with `wait`), LockError when it cannot be written. Stale locks are cleared,
 * after the host has killed what the dead run's session shells still ran.
 */
export async function acquireHostLock(conn: Connection, owner: LockOwner, opts: AcquireLockOptions = {}): Promise<HostLease> {
  const controlHost = owner.controlHost ?? hostname();
  const who = owner.owner ?? `${userInfo().username}@${controlHost}`;
  const fields = [`run=${owner.runId}`, `owner=${who}`, `control=${controlHost}`, `pid=${owner.pid ?? process.pid}`];
  const rootDir = opts.rootDir ?? ROOT_LOCK_DIR;
  const deadline = Date.now() + (opts.wait ? (opts.timeoutMs ?? 600_000) : 0);
  const cmd = acquireLockCommand(fields, rootDir);
  // Each stale lock cleared or breaker waited for is one more try; a lock that stays stale is a fault.
  let retries = 0;
  for (;;) {
    const r = await conn.exec(cmd);
    if (r.code !== 0) throw new CommandError(conn.host, 'take the run lock', r.code, r.stderr);
    const reply = parseLockReply(r.stdout);
    if (reply.state === 'acquired') {
      if (reply.scope === 'user') {
        opts.warn?.(
          `${conn.host}: the login user cannot become root (no passwordless sudo): the run lock is ${reply.path}, which keeps out other runs of this user only`,
        );
      }
      return lease(conn, owner.runId, rootDir, reply);
    }
    if (reply.state === 'failed') {
      throw new LockError(`${conn.host}: cannot take the run lock ${reply.path}: ${r.stderr.trim() || 'the lock script failed'}`);
    }
    if (reply.state === 'stale' && reply.stopped) {
      opts.warn?.(
        `${conn.host}: killed ${reply.stopped.length} process(es) still running from the dead run ${reply.holder?.run ?? '?'} before taking its lock over`,
      );
    }
    if (reply.state !== 'held') {
      if (retries++ >= 5) throw new LockError(`${conn.host}: the run lock ${reply.path} stays ${reply.state} after ${retries} tries`);
      if (reply.state === 'busy') await sleep(100);
      continue;
    }
    if (Date.now() >= deadline) throw new LockHeldError(conn.host, describeHolder(reply));
    await sleep(Math.min(opts.pollMs ?? 1000, Math.max(0, deadline - Date.now())));
  }
}

function lease(conn: Connection, runId: string, rootDir: string, reply: Extract<LockReply, { state: 'acquired' }>): HostLease {
  const dir = posix.dirname(reply.path);
  let released = false;
  return {
    path: reply.path,
    scope: reply.scope,
    pending: reply.pending,
    // A step without become runs as the login user; the lock's own sudo then writes the record.
    recordPending: (lines, become) => recordPendingCommand(dir, lines, reply.scope === 'sudo' && !become),
    async release(pending) {
      if (released) return;
      released = true;
      const r = await conn.exec(releaseLockCommand(runId, pending, rootDir));
      if (r.code !== 0) throw new CommandError(conn.host, 'release the run lock', r.code, r.stderr);
    },
  };
}
