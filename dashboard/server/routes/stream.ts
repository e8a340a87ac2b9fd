import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { RunRecord } from '../../../runner/store/index.js';
import type { DashboardContext } from '../context.js';
import { parse } from '../errors.js';
import type { DashboardOptions } from '../options.js';
import { resultSummaries } from '../queries/results.js';
import { openEventStream } from './event-stream.js';

const runRef = z.object({ id: z.string().min(1).max(100) }).strict();
const streamQuery = z.object({ after: z.coerce.number().int().min(0).optional() }).strict();
const lastEventId = z.coerce.number().int().min(0).catch(0);

/**
 * One server-sent-events stream per run. The store is the source: a result's row id is its event
 * id, so `Last-Event-ID` (or `?after=` for a stream reopened by the page) resumes exactly where
 * the client stopped. Results come from whichever process wrote them — a local runner on the same
 * SQLite file or the ingest endpoint — the stream looks when the store is written
 * (`store-watch.ts`), and every `pollMs` where the filesystem reports no writes.
 *
 * Events: `run` (the run record, whenever its status, counts or cancel request change; no id, so it never moves
 * the resume point), `result` (a grid cell, id = row id), `end` (the run is over and every result
 * was sent; the client closes), `progress` (the task each host is on and since when, whenever it
 * changes; empty once the run ends).
 */
export function streamRoutes(app: FastifyInstance, ctx: DashboardContext, opts: DashboardOptions): void {
  app.get('/api/runs/:id/events', { config: { access: 'viewer' } }, async (req, reply) => {
    const { id } = parse(runRef, req.params, 'run id');
    const { after } = parse(streamQuery, req.query, 'query');
    const run = ctx.store.history.get(id);
    // The browser's own reconnect sends Last-Event-ID on the URL it first opened, `?after=` included.
    const header = req.headers['last-event-id'];
    let last = header !== undefined ? lastEventId.parse(header) : (after ?? 0);
    let lastRun = '';
    let lastProgress = '[]';

    const { send, end } = openEventStream(reply);

    let closed = false;
    const tick = () => {
      if (closed) return;
      const results = resultSummaries(ctx.store, run.id, last);
      for (const r of results) {
        send('result', r, r.id);
        last = r.id;
      }
      const now: RunRecord = ctx.store.history.get(run.id);
      const key = JSON.stringify([now.status, now.counts, now.endedAt, now.cancelledBy]);
      if (key !== lastRun) {
        lastRun = key;
        send('run', now);
      }
      const progress = now.status === 'running' ? ctx.store.history.progress(run.id) : [];
      const progressKey = JSON.stringify(progress);
      if (progressKey !== lastProgress) {
        lastProgress = progressKey;
        send('progress', progress);
      }
      if (now.status !== 'running' && results.length === 0) {
        send('end', { status: now.status });
        stop();
        end();
      }
    };
    // A store that fails (a run pruned away, a locked file) ends this stream, never the server.
    const safeTick = () => {
      try {
        tick();
      } catch (err) {
        req.log.warn({ err, runId: run.id }, 'live stream stopped');
        stop();
        end();
      }
    };
    const timer = setInterval(safeTick, opts.pollMs ?? 500);
    const unsubscribe = ctx.changes.on(run.id, safeTick);
    const stop = () => {
      closed = true;
      clearInterval(timer);
      unsubscribe();
    };
    req.raw.on('close', stop);
    safeTick();
  });
}
