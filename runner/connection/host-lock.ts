import { hostname, userInfo } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { CommandError, LockHeldError } from '../errors.js';
import { script, toShell, type Command } from '../shell/command.js';
import { quote } from '../shell/quote.js';
import type { Connection } from './types.js';
import { pidAlive } from '../util/pid-alive.js';

/**
 * A per-host run lock: a directory made with `mkdir` (atomic on every POSIX filesystem) at
 * `/var/lib/vsa/run.lock`, or `/tmp/vsa-run.lock` when the login user cannot write /var/lib/vsa,
 * holding an `info` file with the owner, run id, control host, pid and time.
 */
export const DEFAULT_LOCK_DIR = '/var/lib/vsa';

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
  /** Seconds since the epoch, by the clock of the control machine that took the lock. */
  time?: number;
}

export type LockReply =
  | { acquired: true; path: string }
  | { acquired: false; path: string; holder?: LockRecord; ageSec: number };

// The common path of taking and releasing forks only `mkdir` and `rm` on the host: `[ ]`,
// `printf`, `read` and redirections are builtins of sh. The lock runs on every host of every run.
const prologue = (dir: string) =>
  `if { [ -d ${quote(dir)} ] || mkdir -p ${quote(dir)} 2>/dev/null; } && [ -w ${quote(dir)} ]; then l=${quote(`${dir}/run.lock`)}; else l=/tmp/vsa-run.lock; fi`;

/** True in sh when the lock's info names `runId` (its first line), without running grep. */
const heldBy = (runId: string) => `{ read -r first < "$l/info"; } 2>/dev/null && [ "$first" = ${quote(`run=${runId}`)} ]`;

/**
 * Takes the lock, or prints who holds it and how old it is. `now` (seconds) is the control
 * machine's clock: asking the host's `date` would cost a fork on every run.
 */
export function acquireLockCommand(who: Required<LockOwner>, dir = DEFAULT_LOCK_DIR, now = Math.floor(Date.now() / 1000)): Command {
  const fields = [`run=${who.runId}`, `owner=${who.owner}`, `control=${who.controlHost}`, `pid=${who.pid}`, `time=${now}`];
  return script(
    [
      prologue(dir),
      'if mkdir "$l" 2>/dev/null; then',
      // A reader that catches the file half-written sees a holder without all fields: "being taken".
      `  printf '%s\\n' ${fields.map(quote).join(' ')} > "$l/info"`,
      '  echo "acquired $l"; exit 0',
      'fi',
      'now=$(date +%s)',
      'echo "held $l"; echo "now=$now"; echo "mtime=$(stat -c %Y "$l" 2>/dev/null || echo "$now")"',
      'cat "$l/info" 2>/dev/null; exit 0',
    ].join('\n'),
  );
}

/** Removes the lock only while it still is the one of `runId` (never a lock someone took since). */
export function releaseLockCommand(runId: string, dir = DEFAULT_LOCK_DIR): Command {
  return script([prologue(dir), `if ${heldBy(runId)}; then rm -rf "$l"; fi`].join('\n'));
}

/**
 * Clears a stale lock of `staleRun` (or one without info when `staleRun` is undefined). A second
 * `mkdir` serialises breakers, so two runs that both found it stale cannot remove each other's new lock.
 */
export function breakLockCommand(staleRun: string | undefined, dir = DEFAULT_LOCK_DIR): Command {
  const same = staleRun ? heldBy(staleRun) : '[ ! -e "$l/info" ]';
  return script(
    [
      prologue(dir),
      'm="$l.break"',
      'if ! mkdir "$m" 2>/dev/null; then',
      '  [ $(( $(date +%s) - $(stat -c %Y "$m" 2>/dev/null || date +%s) )) -gt 60 ] && rmdir "$m" 2>/dev/null',
      '  exit 1',
      'fi',
      `if [ -d "$l" ] && ${same}; then rm -rf "$l"; fi`,
      'rmdir "$m"',
    ].join('\n'),
  );
}

export function parseLockReply(stdout: string): LockReply {
  const lines = stdout.split('\n');
  const [state, ...pathParts] = (lines[0] ?? '').split(' ');
  const path = pathParts.join(' ');
  if (state === 'acquired') return { acquired: true, path };
  if (state !== 'held') throw new Error(`unexpected lock reply: ${stdout.slice(0, 200)}`);
  const kv = new Map(lines.slice(1).flatMap((l) => (l.includes('=') ? [[l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]] : [])));
  const num = (k: string) => (kv.has(k) && /^\d+$/.test(kv.get(k)!) ? Number(kv.get(k)) : undefined);
  const holder: LockRecord | undefined = kv.has('run')
    ? { run: kv.get('run'), owner: kv.get('owner'), control: kv.get('control'), pid: num('pid'), time: num('time') }
    : undefined;
  const now = num('now') ?? 0;
  return { acquired: false, path, ...(holder ? { holder } : {}), ageSec: Math.max(0, now - (holder?.time ?? num('mtime') ?? now)) };
}

export interface StaleRules {
  maxAgeMs: number;
  controlHost: string;
  isAlive(pid: number): boolean;
}

/** Stale: its run's process on this very control machine is gone, or it is older than `maxAgeMs`. */
export function isStale(reply: Extract<LockReply, { acquired: false }>, rules: StaleRules): boolean {
  if (reply.ageSec * 1000 > rules.maxAgeMs) return true;
  const h = reply.holder;
  return !!h && h.control === rules.controlHost && h.pid !== undefined && !rules.isAlive(h.pid);
}

export function describeHolder(reply: Extract<LockReply, { acquired: false }>): string {
  const h = reply.holder;
  if (!h) return `${reply.path}, being taken (${reply.ageSec} s old)`;
  return `${h.owner ?? '?'}, run ${h.run ?? '?'}, pid ${h.pid ?? '?'} on ${h.control ?? '?'}, for ${reply.ageSec} s (${reply.path})`;
}

export interface AcquireLockOptions {
  /** Wait for the holder to finish (`--wait-lock`) instead of failing at once. */
  wait?: boolean;
  /** How long to wait at most (default 10 minutes). */
  timeoutMs?: number;
  pollMs?: number;
  /** A lock older than this is stale whoever holds it (default 6 hours). */
  maxAgeMs?: number;
  dir?: string;
  become?: boolean;
  isAlive?: (pid: number) => boolean;
}

/**
 * Takes the host's run lock and returns the function that releases it. Throws LockHeldError
 * naming the holder when the lock is taken (after waiting, with `wait`). Stale locks are cleared.
 */
export async function acquireHostLock(
  conn: Connection,
  owner: LockOwner,
  opts: AcquireLockOptions = {},
): Promise<() => Promise<void>> {
  const controlHost = owner.controlHost ?? hostname();
  const who = {
    runId: owner.runId,
    controlHost,
    owner: owner.owner ?? `${userInfo().username}@${controlHost}`,
    pid: owner.pid ?? process.pid,
  };
  const dir = opts.dir ?? DEFAULT_LOCK_DIR;
  const rules = { maxAgeMs: opts.maxAgeMs ?? 6 * 3600_000, controlHost, isAlive: opts.isAlive ?? pidAlive };
  const deadline = Date.now() + (opts.wait ? (opts.timeoutMs ?? 600_000) : 0);
  let breaks = 0;
  for (;;) {
    const cmd = acquireLockCommand(who, dir);
    const r = await conn.exec(cmd, { become: opts.become });
    if (r.code !== 0) throw new CommandError(conn.host, toShell(cmd), r.code, r.stderr);
    const reply = parseLockReply(r.stdout);
    if (reply.acquired) {
      let released = false;
      return async () => {
        if (released) return;
        released = true;
        await conn.exec(releaseLockCommand(who.runId, dir), { become: opts.become });
      };
    }
    // A few tries only: a stale lock this user may not remove (another user's, in /tmp) stays held.
    if (isStale(reply, rules) && breaks++ < 3) {
      const broke = await conn.exec(breakLockCommand(reply.holder?.run, dir), { become: opts.become });
      // Another run is clearing it right now: give it a moment.
      if (broke.code !== 0) await sleep(100);
      continue;
    }
    if (Date.now() >= deadline) throw new LockHeldError(conn.host, describeHolder(reply));
    await sleep(Math.min(opts.pollMs ?? 1000, Math.max(0, deadline - Date.now())));
  }
}
