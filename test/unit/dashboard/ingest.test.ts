import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createStoreSink } from '../../../runner/store/index.js';
import { replay, scriptedRun } from '../store/fixtures/events.js';
import { pushed, startHarness, type Harness } from './harness.js';

let h: Harness;
let token: string;
beforeEach(async () => {
  h = await startHarness();
  token = h.token('ingest');
});
afterEach(() => h.close());

describe('ingest', () => {
  it('records a pushed run as the local sink would', async () => {
    const res = await h.ingest(pushed(scriptedRun('r1', ['a', 'b'])), token);
    expect(res.statusCode).toBe(202);
    expect(res.json()).toEqual({ stored: 7, duplicate: 0, orphaned: 0, transient: 9 });
    const run = h.store.history.get('r1');
    expect(run).toMatchObject({ status: 'failed', exitCode: 2, counts: { ok: 2, changed: 2, failed: 1 } });
    expect(h.store.history.tasks('r1')).toHaveLength(5);
  });

  it('takes a batch sent twice only once', async () => {
    const events = pushed(scriptedRun('r1', ['a']));
    await h.ingest(events, token);
    const again = await h.ingest(events, token);
    expect(again.json()).toMatchObject({ stored: 0, duplicate: 5 });
    expect(h.store.history.tasks('r1')).toHaveLength(3);
    expect(h.store.history.get('r1').counts.changed).toBe(1);
  });

  it('adds nothing for a run this machine recorded itself', async () => {
    const steps = scriptedRun('local', ['a']);
    replay({ emit: (type, e) => void createStoreSink(h.store)[type]?.(e as never) }, steps);
    const res = await h.ingest(pushed(steps), token);
    expect(res.json()).toMatchObject({ stored: 0, duplicate: 5 });
  });

  it('leaves a pushed run that is still going running when the dashboard restarts', async () => {
    const [start] = pushed(scriptedRun('live', ['a']));
    await h.ingest([start!], token);
    // Recorded without a local process: a later dashboard process finds no dead writer to blame.
    expect(h.store.history.get('live')).toMatchObject({ status: 'running', pid: null });
    expect(h.store.runs.recoverOrphans(() => false)).toEqual([]);
    expect(h.store.history.get('live').status).toBe('running');
  });

  it('takes from a token made for some hosts only batches about those hosts, all or nothing', async () => {
    const staging = h.ctx.tokens.create('ingest', 'ci-staging', 'test@harness', ['stage-*', 'lb1']).token;
    expect((await h.ingest(pushed(scriptedRun('ok', ['stage-web1', 'lb1'])), staging)).statusCode).toBe(202);
    expect(h.store.history.get('ok').hosts).toEqual(['stage-web1', 'lb1']);

    // A run naming a production host, and a later event of an allowed run that names one.
    const prod = await h.ingest(pushed(scriptedRun('prod', ['stage-web2', 'web1'])), staging);
    expect(prod.statusCode).toBe(403);
    expect(prod.json().error).toBe('token "ci-staging" may report only on stage-*, lb1; this batch names web1: nothing was stored');
    expect(() => h.store.history.get('prod')).toThrow();
    const [start, ...rest] = pushed(scriptedRun('sneak', ['stage-web3']));
    expect((await h.ingest([start!], staging)).statusCode).toBe(202);
    const moved = rest.map((e) => ('host' in e ? { ...e, host: 'db1' } : e));
    // db1 is not a host of that run at all: refused as no runner would send it.
    expect((await h.ingest(moved, staging)).statusCode).toBe(400);
    expect(h.store.history.tasks('sneak')).toEqual([]);
    expect(h.store.hostState.list().map((s) => s.host)).not.toContain('db1');

    // A run another token recorded on production hosts: this token may neither end it nor add to it.
    const prodRun = pushed(scriptedRun('prod-live', ['web1']));
    expect((await h.ingest([prodRun[0]!], token)).statusCode).toBe(202);
    const end = prodRun.at(-1)!;
    expect(end.type).toBe('run:end');
    const ended = await h.ingest([{ ...end, recap: {} } as never], staging);
    expect(ended.statusCode).toBe(403);
    expect(ended.json().error).toContain('this batch names web1');
    const added = prodRun.find((e) => e.type === 'task:result')!;
    expect((await h.ingest([{ ...added, host: 'stage-web1' } as never], staging)).statusCode).toBe(400);
    expect(h.store.history.get('prod-live')).toMatchObject({ status: 'running' });
    expect(h.store.history.tasks('prod-live')).toEqual([]);
  });

  it('counts events of a run it never saw start', async () => {
    const events = pushed(scriptedRun('lost', ['a'])).filter((e) => e.type !== 'run:start');
    expect((await h.ingest(events, token)).json()).toMatchObject({ stored: 0, orphaned: 9 });
  });

  it('refuses malformed events with a message naming the field', async () => {
    const [start] = pushed(scriptedRun('r1', ['a']));
    const bad = { ...start!, origin: 'moon' };
    const res = await h.ingest([bad as never], token);
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatch(/events\.0\.origin/);
    expect((await h.ingest([], token)).statusCode).toBe(400);
    expect(h.store.history.list()).toEqual([]);
  });

  it('keeps the data of a hostState result as the host state, as the local sink does', async () => {
    const [start] = pushed(scriptedRun('collect', ['web1']));
    const state = { certificates: [{ name: 'a.example', issuer: 'CN=Pebble', notAfter: '2030-01-01T00:00:00.000Z', daysLeft: 1000, sans: [] }] };
    const result = { type: 'task:result', time: '2026-01-10T10:00:05.000Z', runId: 'collect', host: 'web1', task: 'collect', taskIndex: 0, handler: false, status: 'ok', durationMs: 5, roundTrips: 1, hostState: true, data: state };
    expect((await h.ingest([start!, result as never], token)).json()).toMatchObject({ stored: 2 });
    expect(h.store.hostState.get('web1')).toEqual({ host: 'web1', collectedAt: '2026-01-10T10:00:05.000Z', state });
  });

  it('refuses a request without a token', async () => {
    const res = await h.app.inject({ method: 'POST', url: '/api/ingest/events', payload: { events: [] } });
    expect(res.statusCode).toBe(401);
  });
});
