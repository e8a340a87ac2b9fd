/**
 * Attacks on the promise that an ingest token reports only on its hosts (docs/security.md 50):
 * runs without hosts, results for hosts outside their run, a run id taken over, host names that a
 * re-run's --limit would read as patterns, and the ways that already held.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LaunchRequest } from '../../../dashboard/server/index.js';
import type { AnyEvent } from '../../../runner/events/types.js';
import { scriptedRun } from '../store/fixtures/events.js';
import { ACTOR, pushed, startHarness, type Harness } from './harness.js';

let h: Harness;
let launched: LaunchRequest[];
let web: string; // may report on web* only
let dbTok: string; // may report on db1 only
beforeEach(async () => {
  launched = [];
  h = await startHarness({ launcher: { launch: async (r) => (launched.push(r), { runId: `new-${launched.length}` }) } });
  web = h.ctx.tokens.create('ingest', 'ci-web', ACTOR, ['web*']).token;
  dbTok = h.ctx.tokens.create('ingest', 'ci-db', ACTOR, ['db1']).token;
});
afterEach(async () => {
  await h.close();
});

const T = '2026-01-10T10:00:00.000Z';
const start = (runId: string, hosts: string[], playbook = 'provision-site', params: Record<string, unknown> = {}) =>
  ({ type: 'run:start', time: T, runId, playbook, params, hosts, check: false, diff: false, actor: 'x@ctl', origin: 'tty', startedAt: T }) as AnyEvent;
const result = (runId: string, host: string, taskIndex = 0, status = 'ok', extra: object = {}) =>
  ({ type: 'task:result', time: T, runId, host, task: 't', taskIndex, handler: false, status, durationMs: 1, roundTrips: 1, ...extra }) as AnyEvent;
const end = (runId: string, recap: Record<string, unknown> = {}, reason = 'completed', exitCode = 0) =>
  ({ type: 'run:end', time: T, runId, reason, exitCode, recap, durationMs: 1, endedAt: T }) as AnyEvent;
const zero = { ok: 0, changed: 0, failed: 0, skipped: 0, unreachable: 0, ignored: 0 };

describe('ingest: runs as a runner makes them, whatever the token', () => {
  it('a run names its hosts, and no event may name a host outside its run: a token cannot end or add to a run on other hosts', async () => {
    const empty = await h.ingest([start('R', []), result('R', 'db1', 0, 'failed')], dbTok);
    expect([empty.statusCode, empty.json().error]).toEqual([400, 'events.0 (run:start of run R): a run names the hosts it runs on']);
    expect((await h.ingest([start('R', ['db1']), result('R', 'db1', 0, 'failed')], dbTok)).statusCode).toBe(202);
    const stray = await h.ingest([result('R', 'db2', 1)], dbTok);
    expect([stray.statusCode, stray.json().error]).toEqual([400, 'events.0 (task:result of run R): host "db2" is not one of the run\'s hosts']);
    // The web* token may neither add its own host's result to that db1 run nor end it.
    expect((await h.ingest([result('R', 'web1', 1), end('R', {}, 'completed', 0)], web)).statusCode).toBe(400);
    expect((await h.ingest([end('R', {}, 'completed', 0)], web)).statusCode).toBe(403);
    expect(h.store.history.get('R').status).toBe('running');
    expect(h.store.history.tasks('R').map((t) => t.host)).toEqual(['db1']);
  });

  it('a run id already stored is that run: another run under its id is refused, not merged into it', async () => {
    expect((await h.ingest([start('R2', ['web1'], 'attacker-playbook')], web)).statusCode).toBe(202);
    const taken = await h.ingest([start('R2', ['db1']), result('R2', 'db1', 0, 'failed')], dbTok);
    expect(taken.statusCode).toBe(409);
    expect(taken.json().error).toContain('run id R2 is already another run (attacker-playbook');
    expect(h.store.history.get('R2').hosts).toEqual(['web1']);
    expect(h.store.history.tasks('R2')).toEqual([]);
    // The same run sent again (a pusher retrying) is still only a duplicate.
    expect((await h.ingest([start('R2', ['web1'], 'attacker-playbook')], web)).json()).toMatchObject({ duplicate: 1 });
  });

  it('a host name --limit would read as a pattern is refused at ingest, and a re-run of such a recorded run is refused', async () => {
    for (const weird of ['web1,db1', 'web1:db1', 'web*', '!db1', 'web1 db1', '@hosts']) {
      expect((await h.ingest([start(`R4-${weird}`, [weird])], h.token('ingest'))).statusCode, weird).toBe(400);
    }
    h.store.runs.start({ runId: 'local', playbook: 'cert-status', params: {}, hosts: ['web1,db1'], check: true, diff: false, actor: 'a', origin: 'tty', startedAt: T });
    h.store.runs.end({ runId: 'local', reason: 'completed', exitCode: 0, recap: {}, durationMs: 1, endedAt: T });
    const { cookie, csrf } = await h.login('operator');
    const rr = await h.app.inject({ method: 'POST', url: '/api/runs/local/rerun', headers: { cookie, 'x-csrf-token': csrf }, payload: {} });
    expect([rr.statusCode, launched]).toEqual([409, []]);
    expect(rr.json().error).toContain('has a host --limit cannot name exactly ("web1,db1")');
  });
});

describe('ingest host scope', () => {
  const refused = async (events: AnyEvent[], tok = web) => {
    const before = h.store.history.list().length;
    const res = await h.ingest(events, tok);
    // 403 for a host outside the token's, 400 or 409 for a batch no runner sends: refused either way.
    expect([400, 403, 409]).toContain(res.statusCode);
    expect(h.store.history.list().length).toBe(before);
    expect(h.store.hostState.list().map((s) => s.host)).toEqual([]);
  };

  it('other hosts in run:start, task:result, recap, hostState; all or nothing whatever the order', async () => {
    await refused([start('a', ['web1', 'db1'])]);
    await refused([start('b', ['web1']), result('b', 'db1')]);
    await refused([start('c', ['web1']), end('c', { db1: zero })]);
    await refused([start('d', ['web1']), result('d', 'db1', 0, 'ok', { hostState: true, data: { certificates: [] } })]);
    await refused([result('e', 'db1'), start('e', ['web1'])]); // orphan first, then the start
    await refused([...pushed(scriptedRun('f', ['web1'])), ...pushed(scriptedRun('g', ['web2', 'db1']))]);
    const many = Array.from({ length: 999 }, (_, i) => result('h', 'web1', i));
    await refused([start('h', ['web1']), ...many.slice(0, 998), result('h', 'db1', 5000)]);
    expect(h.store.history.tasks('h')).toEqual([]);
  });

  it('case, whitespace, unicode and metacharacter variants are distinct names checked against the pattern', async () => {
    for (const host of ['DB1', 'Web1', ' web1', 'db1 ', 'ｗｅｂ1', 'db1\u200b', '*', '~web', 'db[1]', 'w?b1', '../web1', './web1']) {
      const res = await h.ingest([start(`v-${host}`, [host])], web);
      expect([400, 403], JSON.stringify(host)).toContain(res.statusCode);
    }
    // The plain db1 pattern is exact: no glob/regex reading of the *host* name.
    for (const host of ['db10', 'db1.evil', 'Db1']) expect((await h.ingest([start(`x-${host}`, [host])], dbTok)).statusCode).toBe(403);
  });

  it('a stored run of another host (local or pushed) cannot be ended, added to, or restarted', async () => {
    h.store.runs.start({ runId: 'L', playbook: 'p', params: {}, hosts: ['db1'], check: false, diff: false, actor: 'a', origin: 'tty', startedAt: T });
    await refused([end('L')]);
    await refused([result('L', 'web1')]);
    await refused([start('L', ['web1'])]);
    expect(h.store.history.get('L').status).toBe('running');
  });

  it('>1000 events, a __proto__ recap key, a revoked token, a read token', async () => {
    const big = Array.from({ length: 1001 }, (_, i) => result('z', 'web1', i));
    expect((await h.ingest(big, web)).statusCode).toBe(400);
    const proto = await h.app.inject({
      method: 'POST',
      url: '/api/ingest/events',
      headers: { authorization: `Bearer ${web}`, 'content-type': 'application/json' },
      payload: `{"events":[${JSON.stringify(start('p', ['web1']))},{"type":"run:end","time":"${T}","runId":"p","reason":"completed","exitCode":0,"durationMs":1,"endedAt":"${T}","recap":{"__proto__":{"ok":0,"changed":0,"failed":0,"skipped":0,"unreachable":0,"ignored":0}}}]}`,
    });
    expect(proto.statusCode).toBe(400);
    h.ctx.tokens.revoke('ci-web', ACTOR);
    expect((await h.ingest([start('q', ['web1'])], web)).statusCode).toBe(401);
    const read = h.ctx.tokens.create('read', 'r', ACTOR).token;
    expect((await h.ingest([start('q', ['web1'])], read)).statusCode).toBe(403);
    expect(h.store.history.list()).toEqual([]);
  });
});
