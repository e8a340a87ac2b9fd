import { afterEach, describe, expect, it } from 'vitest';
import type { RunStartEvent } from '../../../runner/events/types.js';
import type { LaunchRequest } from '../../../dashboard/server/index.js';
import { startHarness, type Harness } from './harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const start = (runId: string, playbook: string, params: Record<string, unknown>, check = true): RunStartEvent => ({
  runId,
  playbook,
  params,
  hosts: ['web1', 'web2', 'web3'],
  check,
  diff: false,
  actor: 'cron@ctl',
  origin: 'cron',
  startedAt: '2026-01-10T10:00:00.000Z',
});
const ref = (runId: string, host: string, taskIndex: number) => ({ runId, host, task: 'certs', taskIndex, handler: false, durationMs: 1, roundTrips: 1 });

/** A finished run of cert-status on 3 hosts: web2 failed, web3 unreachable, web1 failed with ignoreErrors. */
function seed(h: Harness): void {
  h.store.runs.start(start('run-old', 'cert-status', { domain: 'shop.example.com', warnDays: 20 }));
  h.store.runs.task({ ...ref('run-old', 'web1', 0), status: 'failed', ignored: true });
  h.store.runs.task({ ...ref('run-old', 'web2', 0), status: 'failed' });
  h.store.runs.task({ ...ref('run-old', 'web3', 0), status: 'unreachable' });
  h.store.runs.end({ runId: 'run-old', reason: 'unreachable', exitCode: 4, recap: {}, durationMs: 5, endedAt: '2026-01-10T10:00:05.000Z' });
}

describe('POST /api/runs/:id/rerun', () => {
  it('starts the same playbook with the same params, check and diff on the same hosts, or on the failed ones only', async () => {
    const launched: LaunchRequest[] = [];
    h = await startHarness({ launcher: { launch: async (r) => (launched.push(r), { runId: `new-${launched.length}` }) } });
    seed(h);
    const { cookie, csrf } = await h.login();
    const rerun = (payload: object, headers: Record<string, string> = { cookie, 'x-csrf-token': csrf }) =>
      h!.app.inject({ method: 'POST', url: '/api/runs/run-ol/rerun', headers, payload });

    expect((await rerun({}, { cookie })).statusCode).toBe(403);
    expect((await rerun({ failedOnly: 'yes' })).statusCode).toBe(400);
    expect(launched).toEqual([]);

    const all = await rerun({});
    expect({ status: all.statusCode, body: all.json() }).toEqual({ status: 201, body: { runId: 'new-1' } });
    const failed = await rerun({ failedOnly: true });
    expect(failed.json()).toEqual({ runId: 'new-2' });
    const same = { playbook: 'cert-status', params: { domain: 'shop.example.com', warnDays: 20 }, check: true, diff: false, actor: 'dashboard:alice' };
    expect(launched).toEqual([
      { ...same, limit: 'web1,web2,web3' },
      { ...same, limit: 'web2,web3' },
    ]);
    const audit = h.store.audit.list({ action: 'dashboard:rerun' }).map((e) => [e.runId, e.details]);
    expect(audit).toEqual([
      ['new-2', { params: ['domain', 'warnDays'], limit: 'web2,web3', check: true, from: 'run-old', failedOnly: true }],
      ['new-1', { params: ['domain', 'warnDays'], limit: 'web1,web2,web3', check: true, from: 'run-old', failedOnly: false }],
    ]);
  });

  it('refuses what a new run would be refused, a running run, a run with nothing failed and masked secrets', async () => {
    const launched: LaunchRequest[] = [];
    h = await startHarness({
      offer: { playbooks: ['cert-status', 'add-auth'] },
      launcher: { launch: async (r) => (launched.push(r), { runId: 'new' }) },
    });
    seed(h);
    h.store.runs.start(start('run-other', 'provision-site', { domain: 'shop.example.com', container: 'shop', port: 3000 }));
    h.store.runs.end({ runId: 'run-other', reason: 'completed', exitCode: 0, recap: {}, durationMs: 5, endedAt: '2026-01-10T10:00:05.000Z' });
    h.store.runs.start(start('run-bad', 'cert-status', { warnDays: -1 }));
    h.store.runs.end({ runId: 'run-bad', reason: 'completed', exitCode: 0, recap: {}, durationMs: 5, endedAt: '2026-01-10T10:00:05.000Z' });
    h.store.runs.start(start('run-auth', 'add-auth', { domain: 'shop.example.com', user: 'bob', password: '***' }, false));
    h.store.runs.end({ runId: 'run-auth', reason: 'completed', exitCode: 0, recap: {}, durationMs: 5, endedAt: '2026-01-10T10:00:05.000Z' });
    h.store.runs.start(start('run-live', 'cert-status', {}));
    const { cookie, csrf } = await h.login();
    const rerun = async (id: string, payload: object = {}) => {
      const res = await h!.app.inject({ method: 'POST', url: `/api/runs/${id}/rerun`, headers: { cookie, 'x-csrf-token': csrf }, payload });
      return [res.statusCode, res.json().error as string];
    };

    expect(await rerun('run-other')).toEqual([400, expect.stringMatching(/playbook: must be one of the playbooks this dashboard offers: cert-status, add-auth/)]);
    expect(await rerun('run-bad')).toEqual([400, expect.stringMatching(/warnDays/)]);
    expect(await rerun('run-auth')).toEqual([409, 'run run-auth has secret params (password), stored masked: start it from the form']);
    expect(await rerun('run-live')).toEqual([409, 'run run-live is still running: cancel it or wait for its end']);
    expect(await rerun('run-other', { failedOnly: true })).toEqual([409, 'no host failed in run run-other']);
    expect((await rerun('run-none'))[0]).toBe(404);
    expect(launched).toEqual([]);
  });
});
