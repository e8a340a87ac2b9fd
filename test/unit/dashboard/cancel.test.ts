import { afterEach, describe, expect, it } from 'vitest';
import { scriptedRun, startOf } from '../store/helpers.js';
import { startHarness, type Harness } from './harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('POST /api/runs/:id/cancel', () => {
  it('asks a running run to stop as the logged-in user, with the CSRF token; the stream sends the request', async () => {
    h = await startHarness();
    h.store.runs.start(startOf(scriptedRun('run-live', ['web1'])));
    const { cookie, csrf } = await h.login();
    const cancel = (headers: Record<string, string>) => h!.app.inject({ method: 'POST', url: '/api/runs/run-li/cancel', headers, payload: {} });

    expect((await cancel({})).statusCode).toBe(401);
    expect((await cancel({ cookie })).statusCode).toBe(403);
    expect((await cancel({ authorization: `Bearer ${h.token('read')}` })).statusCode).toBe(403);
    expect(h.store.history.get('run-live').cancelledBy).toBeNull();

    const ok = await cancel({ cookie, 'x-csrf-token': csrf });
    expect(ok.statusCode).toBe(202);
    expect(ok.json()).toMatchObject({ requests: 1, run: { id: 'run-live', status: 'running', cancelledBy: 'dashboard:alice' } });
    expect((await cancel({ cookie, 'x-csrf-token': csrf })).json()).toMatchObject({ requests: 2 });
    expect(h.store.runs.heartbeat('run-live')).toEqual({ by: 'dashboard:alice', requests: 2 });
    expect(h.store.audit.list({ action: 'run:cancel' }).map((e) => e.actor)).toEqual(['dashboard:alice', 'dashboard:alice']);
  });

  it('answers 409 for a run that ended or was pushed from another machine, 404 for no run', async () => {
    h = await startHarness();
    h.store.runs.start(startOf(scriptedRun('run-done', ['web1'])));
    h.store.runs.end({ runId: 'run-done', reason: 'failed', exitCode: 2, recap: {}, durationMs: 1, endedAt: new Date().toISOString() });
    h.store.runs.start(startOf(scriptedRun('run-pushed', ['web1'])), null);
    const { cookie, csrf } = await h.login();
    const cancel = (id: string) => h!.app.inject({ method: 'POST', url: `/api/runs/${id}/cancel`, headers: { cookie, 'x-csrf-token': csrf } });

    const done = await cancel('run-done');
    expect({ status: done.statusCode, error: done.json().error }).toEqual({ status: 409, error: 'run run-done already ended (failed): nothing to cancel' });
    const pushed = await cancel('run-pushed');
    expect(pushed.statusCode).toBe(409);
    expect(pushed.json().error).toMatch(/pushed from another machine: cancel it there/);
    expect((await cancel('run-none')).statusCode).toBe(404);
    expect(h.store.history.get('run-pushed').cancelledBy).toBeNull();
  });
});
