import { existsSync, watch } from 'node:fs';
import { basename, dirname } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { DashboardContext } from './context.js';

/** At most one wake per this many ms: a run of 150 hosts commits hundreds of results a second. */
const MIN_GAP_MS = 10;

/**
 * Wakes every live stream as soon as any process commits to the store (a CLI run, cron, this
 * dashboard's ingest): each commit writes SQLite's WAL (a checkpoint the database file), and
 * inotify on the store's directory says so at once, so a result reaches the browser in
 * milliseconds rather than at the streams' next look. Readers write neither file, so the wakes'
 * own reads wake nothing. The periodic look stays for filesystems that report no changes (NFS).
 */
export function watchStoreWrites(app: FastifyInstance, ctx: DashboardContext): void {
  const file = ctx.store.db.name;
  if (!existsSync(file)) return; // an in-memory store: only this process writes it
  const name = basename(file);
  const ours = new Set([name, `${name}-wal`]);
  let timer: NodeJS.Timeout | undefined;
  let last = 0;
  const wake = () => {
    timer = undefined;
    last = performance.now();
    ctx.changes.notifyAll();
  };
  const watcher = watch(dirname(file), { persistent: false }, (_event, changed) => {
    if (!changed || !ours.has(changed) || timer) return;
    timer = setTimeout(wake, Math.max(0, last + MIN_GAP_MS - performance.now()));
  });
  watcher.on('error', (err) => {
    app.log.warn({ err }, 'no longer watching the store for writes; live views look every poll interval');
    watcher.close();
  });
  app.addHook('onClose', async () => {
    clearTimeout(timer);
    watcher.close();
  });
}
