import { describe, expect, it } from 'vitest';
import { openStore } from '../../../runner/store/index.js';
import { RunNotFoundError } from '../../../runner/store/errors.js';
import { startHeartbeat } from '../../../runner/store/heartbeat.js';
import { scriptedRun, startOf, useTempHome } from './helpers.js';

const end = (runId: string, reason: 'interrupted' | 'completed') => ({
  runId,
  reason,
  exitCode: reason === 'interrupted' ? 130 : 0,
  recap: {},
  durationMs: 5,
  endedAt: new Date().toISOString(),
});

describe('cancelling a run through the store', () => {
  const tempHome = useTempHome();

  it('records who asked first and how often, audits each request, and the next beat answers with them', () => {
    const store = openStore(tempHome());
    store.runs.start(startOf(scriptedRun('run-c', ['web1'])));
    expect(store.runs.heartbeat('run-c')).toEqual({ by: null, requests: 0 });
    expect(store.runs.requestCancel('run-c', 'dashboard:alice')).toEqual({ asked: true, requests: 1 });
    expect(store.runs.requestCancel('run-c', 'bob@ctl')).toEqual({ asked: true, requests: 2 });
    expect(store.runs.heartbeat('run-c')).toEqual({ by: 'dashboard:alice', requests: 2 });
    expect(store.history.get('run-c')).toMatchObject({ status: 'running', cancelledBy: 'dashboard:alice' });
    const asks = store.audit.list({ action: 'run:cancel' }).map((e) => [e.actor, e.result, e.target, e.runId]);
    expect(asks).toEqual([
      ['bob@ctl', 'asked again', 'provision-site', 'run-c'],
      ['dashboard:alice', 'asked', 'provision-site', 'run-c'],
    ]);

    store.runs.end(end('run-c', 'interrupted'));
    expect(store.history.get('run-c')).toMatchObject({ status: 'cancelled', cancelledBy: 'dashboard:alice', exitCode: 130 });
    expect(store.audit.list({ action: 'run:end' })[0]).toMatchObject({ result: 'cancelled', runId: 'run-c' });
    expect(store.runs.heartbeat('run-c')).toBeUndefined();
    store.close();
  });

  it('a run that ends on its own after the request keeps its own status; an interrupt nobody asked for stays interrupted', () => {
    const store = openStore(tempHome());
    for (const id of ['run-late', 'run-sigint']) store.runs.start(startOf(scriptedRun(id, ['web1'])));
    store.runs.requestCancel('run-late', 'alice@ctl');
    store.runs.end(end('run-late', 'completed'));
    store.runs.end(end('run-sigint', 'interrupted'));
    expect(store.history.get('run-late').status).toBe('ok');
    expect(store.history.get('run-sigint')).toMatchObject({ status: 'interrupted', cancelledBy: null });
    store.close();
  });

  it('refuses a run that ended, a run pushed from another machine, and an unknown run', () => {
    const store = openStore(tempHome());
    store.runs.start(startOf(scriptedRun('run-done', ['web1'])));
    store.runs.end(end('run-done', 'completed'));
    store.runs.start(startOf(scriptedRun('run-pushed', ['web1'])), null);
    expect(store.runs.requestCancel('run-done', 'alice@ctl')).toEqual({ asked: false, status: 'ok', why: 'run run-done already ended (ok)' });
    expect(store.runs.requestCancel('run-pushed', 'alice@ctl')).toMatchObject({ asked: false, status: 'running', why: expect.stringMatching(/pushed from another machine/) });
    expect(() => store.runs.requestCancel('run-nope', 'alice@ctl')).toThrow(RunNotFoundError);
    expect(store.history.get('run-done').cancelledBy).toBeNull();
    expect(store.audit.list({ action: 'run:cancel' })).toEqual([]);
    store.close();
  });

  it('the heartbeat tells the running process once per request', async () => {
    const store = openStore(tempHome());
    store.runs.start(startOf(scriptedRun('run-beat', ['web1'])));
    const told: string[] = [];
    const stop = startHeartbeat(store.runs, 'run-beat', { everyMs: 10, onCancel: (by) => told.push(by) });
    try {
      await new Promise((r) => setTimeout(r, 40));
      expect(told).toEqual([]);
      store.runs.requestCancel('run-beat', 'dashboard:alice');
      store.runs.requestCancel('run-beat', 'dashboard:alice');
      await expect.poll(() => told, { timeout: 2_000 }).toEqual(['dashboard:alice', 'dashboard:alice']);
      await new Promise((r) => setTimeout(r, 40));
      expect(told).toHaveLength(2);
    } finally {
      stop();
      store.close();
    }
  });
});

describe('what each host is doing now', () => {
  const tempHome = useTempHome();

  it('the task a host started, until its result', () => {
    const store = openStore(tempHome());
    store.runs.start(startOf(scriptedRun('run-p', ['web1', 'web2'])));
    const ref = { runId: 'run-p', host: 'web1', task: 'network', taskIndex: 0, handler: false };
    store.runs.taskStarted(ref, '2026-01-10T10:00:01.000Z');
    expect(store.history.progress('run-p')).toEqual([{ host: 'web1', task: 'network', taskIndex: 0, since: '2026-01-10T10:00:01.000Z' }]);
    store.runs.task({ ...ref, status: 'ok', durationMs: 1, roundTrips: 1 });
    expect(store.history.progress('run-p')).toEqual([]);
    store.close();
  });
});
