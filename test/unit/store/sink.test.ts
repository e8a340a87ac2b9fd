import { describe, expect, it } from 'vitest';
import { EventBus } from '../../../runner/events/bus.js';
import { createStoreSink, openAuditLog, openStore, readAuditLog } from '../../../runner/store/index.js';
import { replay, scriptedRun, startOf, useTempHome } from './helpers.js';

describe('createStoreSink', () => {
  const tempHome = useTempHome();

  it('records a scripted run as matching rows and JSONL lines', async () => {
    const dir = tempHome();
    const store = openStore(dir);
    const jsonl = openAuditLog(dir);
    const bus = new EventBus([createStoreSink(store, { jsonl })]);
    const steps = scriptedRun('run-aaaa1111', ['web1', 'web2', 'web3']);
    replay(bus, steps);
    await bus.close();
    jsonl.close();

    const log = readAuditLog<{ type: string; runId: string }>(jsonl.file);
    expect(log.bad).toEqual([]);
    expect(log.events.map((e) => e.type)).toEqual(steps.map(([t]) => t));

    const run = store.history.get('run-aaaa1111');
    expect(run).toMatchObject({
      playbook: 'provision-site',
      status: 'failed',
      exitCode: 2,
      hosts: ['web1', 'web2', 'web3'],
      actor: 'alice@ctl',
      origin: 'tty',
      endedAt: '2026-01-10T10:00:01.500Z',
      counts: { ok: 3, changed: 3, failed: 1, skipped: 0, unreachable: 0, ignored: 0 },
    });
    expect(run.recap?.['web3']).toMatchObject({ ok: 1, changed: 1, failed: 1 });

    const tasks = store.history.tasks(run.id);
    const results = steps.filter(([t]) => t === 'task:result');
    expect(tasks).toHaveLength(results.length);
    expect(tasks.find((t) => t.host === 'web2' && t.task === 'write vhost')?.diff).toContain('+server_name shop.example.com;');
    expect(tasks.find((t) => t.status === 'failed')).toMatchObject({ host: 'web3', message: 'nginx: [emerg] bad' });

    const audit = store.audit.list({ runId: run.id });
    expect(audit.map((a) => a.action).sort()).toEqual(
      ['run:end', 'run:start', 'task:changed', 'task:changed', 'task:changed', 'task:failed'].sort(),
    );
    expect(audit.find((a) => a.action === 'run:end')).toMatchObject({ target: 'provision-site', result: 'failed', actor: 'alice@ctl' });
    expect(audit.find((a) => a.action === 'task:failed')).toMatchObject({ target: 'web3', result: 'failed' });
    store.close();
  });

  it('marks runs left running by a dead process as interrupted when the store opens', () => {
    const dir = tempHome();
    const store = openStore(dir);
    store.runs.start(startOf(scriptedRun('run-dead', ['web1'])), 2 ** 22 + 12345);
    store.runs.start(startOf(scriptedRun('run-live', ['web1'])), process.ppid);
    store.close();

    const again = openStore(dir);
    expect(again.recovered).toEqual(['run-dead']);
    expect(again.history.get('run-dead')).toMatchObject({ status: 'interrupted' });
    expect(again.history.get('run-live').status).toBe('running');
    expect(again.audit.list({ runId: 'run-dead', action: 'run:end' })[0]?.result).toBe('interrupted');
    again.close();
    // audit.jsonl says so too, once: its killed process never wrote the end of the run.
    const log = readAuditLog<{ type: string; runId: string; reason: string; exitCode: number }>(`${dir}/audit.jsonl`);
    expect(log.events).toEqual([
      expect.objectContaining({ type: 'run:end', runId: 'run-dead', reason: 'interrupted', exitCode: 130 }),
    ]);
    openStore(dir).close();
    expect(readAuditLog(`${dir}/audit.jsonl`).events).toHaveLength(1);
  });

  it('markRunInterrupted finalizes a running run once and leaves a finished one alone', () => {
    const store = openStore(tempHome());
    const steps = scriptedRun('run-x', ['web1']);
    store.runs.start(startOf(steps));
    expect(store.runs.markInterrupted('run-x')).toBe(true);
    expect(store.runs.markInterrupted('run-x')).toBe(false);
    expect(store.history.get('run-x').status).toBe('interrupted');
    store.close();
  });

  it('records a run:end with reason interrupted as interrupted', () => {
    const store = openStore(tempHome());
    const steps = scriptedRun('run-int', ['web1']);
    const sink = createStoreSink(store);
    sink['run:start']!(startOf(steps));
    sink['run:end']!({ runId: 'run-int', reason: 'interrupted', exitCode: 130, recap: {}, durationMs: 5, endedAt: '2026-01-10T10:00:00.005Z' });
    expect(store.history.get('run-int')).toMatchObject({ status: 'interrupted', exitCode: 130 });
    store.close();
  });
});

describe('host state from task results', () => {
  const tempHome = useTempHome();

  it('keeps the data of a hostState task as the host last-known state, and ignores other data', async () => {
    const store = openStore(tempHome());
    const bus = new EventBus([createStoreSink(store)]);
    const base = { runId: 'r1', taskIndex: 0, handler: false, durationMs: 5, roundTrips: 1 } as const;
    bus.emit('run:start', startOf(scriptedRun('r1', ['web1', 'web2'])));
    bus.emit('task:result', { ...base, host: 'web1', task: 'collect', status: 'ok', data: { disk: 42 }, hostState: true });
    bus.emit('task:result', { ...base, host: 'web2', task: 'other', status: 'ok', data: { disk: 7 } });
    await bus.close();
    expect(store.hostState.get('web1')?.state).toEqual({ disk: 42 });
    expect(store.hostState.get('web2')).toBeUndefined();
    store.close();
  });
});
