import Database from 'better-sqlite3';
import { join } from 'node:path';
import { AuditEvents } from './audit-events.js';
import { StoreError } from './errors.js';
import { HEARTBEAT_STALE_MS } from './heartbeat.js';
import { History } from './history.js';
import { HostStates } from './host-state.js';
import { logInterrupted } from './interrupted-log.js';
import { migrate } from './migrate.js';
import { Outbox } from './outbox.js';
import { prune, type PruneResult } from './prune.js';
import { Runs } from './runs.js';
import { Settings } from './settings.js';

export interface StoreOptions {
  /** How long a writer waits for another process's write lock before failing. */
  busyTimeoutMs?: number;
  /** Skip marking orphaned `running` runs as interrupted (read-only tools that must not write). */
  recover?: boolean;
}

export interface Store {
  dir: string;
  file: string;
  db: Database.Database;
  runs: Runs;
  history: History;
  audit: AuditEvents;
  hostState: HostStates;
  settings: Settings;
  outbox: Outbox;
  /** Runs found `running` with their process gone, marked interrupted (and so logged in audit.jsonl) when the store opened. */
  recovered: string[];
  /** Marks runs whose process stopped beating as interrupted (and logs them in audit.jsonl); their ids. */
  recoverSilent(): string[];
  prune(keepDays: number): PruneResult;
  close(): void;
}

/**
 * Opens (creating and migrating) `vsa.db` in `dir`. WAL lets the dashboard read while runs write;
 * the busy timeout lets a cron run and an operator's run write the same store at once.
 */
export function openStore(dir: string, opts: StoreOptions = {}): Store {
  const file = join(dir, 'vsa.db');
  let db: Database.Database;
  try {
    db = new Database(file);
    db.pragma(`busy_timeout = ${opts.busyTimeoutMs ?? 10_000}`);
    db.pragma('journal_mode = WAL');
    // In WAL, NORMAL never corrupts and loses nothing on a process crash; only an OS crash may
    // drop the last transactions, which the fsynced audit.jsonl still holds.
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    migrate(db);
  } catch (err) {
    throw new StoreError(file, `cannot open the store: ${(err as Error).message}`, { cause: err });
  }
  const audit = new AuditEvents(db);
  const runs = new Runs(db, audit);
  const settings = new Settings(db);
  const recoverSilent = () => {
    const ids = runs.recoverSilent(HEARTBEAT_STALE_MS);
    logInterrupted(db, dir, ids);
    return ids;
  };
  const orphans = opts.recover === false ? [] : runs.recoverOrphans();
  logInterrupted(db, dir, orphans);
  const recovered = opts.recover === false ? orphans : [...orphans, ...recoverSilent()];
  return {
    dir,
    file,
    db,
    runs,
    history: new History(db),
    audit,
    hostState: new HostStates(db),
    settings,
    outbox: new Outbox(db),
    recovered,
    recoverSilent,
    prune: (keepDays) => prune(db, settings, keepDays),
    close: () => db.close(),
  };
}
