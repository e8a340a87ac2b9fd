import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HEARTBEAT_STALE_MS } from '../../../runner/store/heartbeat.js';
import { scriptedRun } from '../store/fixtures/events.js';
import { startOf } from '../store/helpers.js';
import { createContext, openDashboardStore } from '../../../dashboard/server/index.js';
import type { Store } from '../../../runner/store/index.js';
import { ACTOR, pushed, startHarness, type Harness } from './harness.js';

let h: Harness;
let cookie: string;
let ingest: string;
beforeEach(async () => {
  h = await startHarness();
  cookie = (await h.login()).cookie;
  ingest = h.token('ingest');
});
afterEach(() => h.close());

interface SseEvent {
  id?: string;
  event: string;
  data: { [k: string]: unknown };
}

function parseSse(text: string): SseEvent[] {
  return text
    .split('\n\n')
    .filter((b) => b.includes('event: '))
    .map((block) => {
      const field = (name: string) => block.split('\n').find((l) => l.startsWith(`${name}: `))?.slice(name.length + 2);
      return { id: field('id'), event: field('event')!, data: JSON.parse(field('data')!) };
    });
}

describe('live stream of a run', () => {
  it('sends every result with its row id, the run, then end, for a finished run', async () => {
    await h.ingest(pushed(scriptedRun('r1', ['a', 'b'])), ingest);
    const res = await h.app.inject({ url: '/api/runs/r1/events', headers: { cookie } });
    expect(res.headers['content-type']).toContain('text/event-stream');
    const events = parseSse(res.body);
    expect(events.map((e) => e.event)).toEqual(['result', 'result', 'result', 'result', 'result', 'run', 'end']);
    expect(events[0]!.id).toBe(String(events[0]!.data.id));
    expect(events.at(-1)!.data).toEqual({ status: 'failed' });
  });

  it('resumes after Last-Event-ID or ?after=', async () => {
    await h.ingest(pushed(scriptedRun('r1', ['a', 'b'])), ingest);
    const all = parseSse((await h.app.inject({ url: '/api/runs/r1/events', headers: { cookie } })).body).filter((e) => e.id);
    const resumed = await h.app.inject({ url: '/api/runs/r1/events', headers: { cookie, 'last-event-id': all[2]!.id! } });
    expect(parseSse(resumed.body).filter((e) => e.id).map((e) => e.id)).toEqual(all.slice(3).map((e) => e.id));
    const after = await h.app.inject({ url: `/api/runs/r1/events?after=${all[3]!.id}`, headers: { cookie } });
    expect(parseSse(after.body).filter((e) => e.id).map((e) => e.id)).toEqual([all[4]!.id]);
  });

  it('streams results as they are ingested, until the run ends', async () => {
    const events = pushed(scriptedRun('live', ['a']));
    const end = events.findIndex((e) => e.type === 'run:end');
    await h.ingest(events.slice(0, 4), ingest); // run:start, host:start, task:start, first result
    await h.app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = h.app.server.address() as AddressInfo;
    const res = await fetch(`http://127.0.0.1:${port}/api/runs/live/events`, { headers: { cookie } });
    const reader = res.body!.getReader();
    let text = '';
    const readUntil = async (pred: (t: string) => boolean) => {
      while (!pred(text)) {
        const { value, done } = await reader.read();
        if (done) break;
        text += new TextDecoder().decode(value);
      }
    };
    await readUntil((t) => t.includes('event: run'));
    expect(parseSse(text).filter((e) => e.event === 'result')).toHaveLength(1);
    await h.ingest(events.slice(4, end), ingest);
    await readUntil((t) => parseSse(t).filter((e) => e.event === 'result').length === 3);
    expect(text).not.toContain('event: end');
    await h.ingest(events.slice(end), ingest);
    await readUntil((t) => t.includes('event: end'));
    const last = parseSse(text).filter((e) => e.event === 'run').at(-1)!;
    expect(last.data).toMatchObject({ status: 'failed', recap: { a: { failed: 1 } } });
  });

  describe('wakes at once when another connection writes the store, with no look due for an hour', () => {
    let s: Harness;
    let writer: Store;
    let base: string;
    let cookie: string;
    beforeEach(async () => {
      s = await startHarness({ pollMs: 3_600_000 });
      // A second connection to the same file, as a CLI run's sink or cron is: nothing in the
      // dashboard's process hears of its writes but the filesystem.
      writer = openDashboardStore(s.dir);
      await s.app.listen({ port: 0, host: '127.0.0.1' });
      base = `http://127.0.0.1:${(s.app.server.address() as AddressInfo).port}`;
      cookie = (await s.login()).cookie;
    });
    afterEach(async () => {
      writer.close();
      await s.close();
    });

    /** Reads the stream until `pred` holds; a stream never woken is cut after 3 s and fails the test. */
    async function open(url: string) {
      const signal = AbortSignal.timeout(3_000);
      const reader = (await fetch(`${base}${url}`, { headers: { cookie }, signal })).body!.getReader();
      let text = '';
      const until = async (pred: (t: string) => boolean) => {
        while (!pred(text)) text += new TextDecoder().decode((await reader.read()).value);
        return text;
      };
      return { until, cancel: () => reader.cancel() };
    }

    it("a run's stream gets the result", async () => {
      writer.runs.start(startOf(scriptedRun('other', ['a'])), process.pid);
      const stream = await open('/api/runs/other/events');
      await stream.until((t) => t.includes('event: run'));
      writer.runs.task({ runId: 'other', host: 'a', task: 't', taskIndex: 0, handler: false, status: 'changed', durationMs: 1, roundTrips: 1 });
      const text = await stream.until((t) => t.includes('event: result'));
      expect(parseSse(text).find((e) => e.event === 'result')!.data).toMatchObject({ task: 't', status: 'changed' });
      await stream.cancel();
    });

    it('the lists\' stream says change', async () => {
      const stream = await open('/api/changes');
      await stream.until((t) => t.includes('retry:'));
      writer.runs.start(startOf(scriptedRun('new-run', ['a'])), process.pid);
      const text = await stream.until((t) => t.includes('event: change'));
      expect(parseSse(text).map((e) => e.event)).toEqual(['change']);
      await stream.cancel();
    });
  });

  it('needs a login and a known run', async () => {
    expect((await h.app.inject({ url: '/api/runs/x/events' })).statusCode).toBe(401);
    expect((await h.app.inject({ url: '/api/runs/x/events', headers: { cookie } })).statusCode).toBe(404);
  });

  it('marks a run whose process stopped beating interrupted by itself, and ends its stream', async () => {
    // Its own harness: the sweep is a timer of the running server.
    const s = await startHarness({ sweepMs: 50 });
    try {
      await s.app.ready();
      const { cookie } = await s.login();
      s.store.runs.start(startOf(scriptedRun('run-killed', ['web1'])), process.ppid);
      s.store.runs.heartbeat('run-killed', new Date(Date.now() - HEARTBEAT_STALE_MS - 1).toISOString());
      // The stream answers once the run is over: the sweep must end it.
      const res = await s.app.inject({ url: '/api/runs/run-killed/events', headers: { cookie } });
      expect(res.body).toContain('event: end\ndata: {"status":"interrupted"}');
    } finally {
      await s.close();
    }
  });

  describe('ends when its credentials end', () => {
    /** A stream of a run that goes on: only the credentials' end can close it. */
    async function openStream(headers: Record<string, string>) {
      if (!h.store.db.prepare("SELECT 1 FROM runs WHERE id = 'going'").get()) await h.ingest(pushed(scriptedRun('going', ['a'])).slice(0, 1), ingest);
      if (!h.app.server.listening) await h.app.listen({ port: 0, host: '127.0.0.1' });
      const { port } = h.app.server.address() as AddressInfo;
      const res = await fetch(`http://127.0.0.1:${port}/api/runs/going/events`, { headers });
      expect(res.status).toBe(200);
      const reader = res.body!.getReader();
      let text = '';
      while (!text.includes('event: run')) text += new TextDecoder().decode((await reader.read()).value);
      /** Reads until the server closes the stream; how long that took from `since`. */
      const closed = async (since: number) => {
        for (;;) {
          const r = await reader.read().catch(() => ({ done: true }));
          if (r.done) return Date.now() - since;
        }
      };
      return { closed, port, cancel: () => reader.cancel() };
    }

    it("a logout ends the session's open stream within a second", async () => {
      const { cookie, csrf } = await h.login();
      const stream = await openStream({ cookie });
      const other = await openStream({ cookie: (await h.login('viewer')).cookie });
      const at = Date.now();
      const out = await fetch(`http://127.0.0.1:${stream.port}/api/auth/logout`, {
        method: 'POST',
        headers: { cookie, 'x-csrf-token': csrf, 'content-type': 'application/json' },
        body: '{}',
      });
      expect(out.status).toBe(200);
      expect(await stream.closed(at)).toBeLessThan(1000);
      // Another user's stream goes on.
      const still = await Promise.race([other.closed(Date.now()), new Promise<'open'>((r) => setTimeout(() => r('open'), 600))]);
      expect(still).toBe('open');
      await other.cancel();
    });

    it('a token revoked by another process (the CLI) ends its open stream within a second', async () => {
      const { token } = h.ctx.tokens.create('read', 'prometheus', ACTOR);
      const stream = await openStream({ authorization: `Bearer ${token}` });
      const cli = createContext(openDashboardStore(h.dir));
      const at = Date.now();
      try {
        expect(cli.tokens.revoke('prometheus', ACTOR)).toBe(1);
      } finally {
        cli.store.close();
      }
      expect(await stream.closed(at)).toBeLessThan(1000);
    });
  });
});
