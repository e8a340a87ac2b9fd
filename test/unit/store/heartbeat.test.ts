import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { createStoreSink, openStore, readAuditLog } from '../../../runner/store/index.js';
import { HEARTBEAT_STALE_MS, startHeartbeat } from '../../../runner/store/heartbeat.js';
import { scriptedRun, startOf, useTempHome } from './helpers.js';

const beatOf = (store: ReturnType<typeof openStore>, id: string) =>
  (store.db.prepare('SELECT heartbeat_at AS t FROM runs WHERE id = ?').get(id) as { t: string | null }).t;
const ago = (ms: number) => new Date(Date.now() - ms).toISOString();

describe('run heartbeat', () => {
  const tempHome = useTempHome();

  it('beats from run:start to run:end while the store sink records a run', async () => {
    const store = openStore(tempHome());
    const steps = scriptedRun('run-beat', ['web1']);
    const sink = createStoreSink(store);
    sink['run:start']!(startOf(steps));
    expect(beatOf(store, 'run-beat')).not.toBeNull();
    // A run on this machine beats; one pushed from another (no process here) does not.
    store.runs.start(startOf(scriptedRun('run-pushed', ['web1'])), null);
    expect(beatOf(store, 'run-pushed')).toBeNull();

    const stop = startHeartbeat(store.runs, 'run-beat', { everyMs: 20 });
    store.runs.heartbeat('run-beat', ago(60_000));
    await expect.poll(() => Date.parse(beatOf(store, 'run-beat')!), { timeout: 2_000 }).toBeGreaterThan(Date.now() - 5_000);
    stop();
    sink['run:end']!({ runId: 'run-beat', reason: 'completed', exitCode: 0, recap: {}, durationMs: 5, endedAt: new Date().toISOString() });
    const ended = beatOf(store, 'run-beat');
    await sleep(60);
    expect(beatOf(store, 'run-beat')).toBe(ended);
    store.close();
  });

  it('marks a run interrupted once it has not beaten for the stale time, whatever its pid says; pushed runs never', () => {
    const dir = tempHome();
    const store = openStore(dir);
    // Its pid is alive (our parent), as a reused pid or one in another pid namespace may look.
    for (const id of ['run-silent', 'run-beating', 'run-old-pushed']) store.runs.start(startOf(scriptedRun(id, ['web1'])), id === 'run-old-pushed' ? null : process.ppid);
    store.runs.heartbeat('run-silent', ago(HEARTBEAT_STALE_MS + 1_000));
    store.runs.heartbeat('run-beating', ago(HEARTBEAT_STALE_MS - 5_000));
    expect(store.recoverSilent()).toEqual(['run-silent']);
    expect(store.history.get('run-silent')).toMatchObject({ status: 'interrupted' });
    expect(store.history.get('run-silent').error).toMatch(/^process \d+ stopped without finishing the run \(last heartbeat /);
    expect(store.history.get('run-beating').status).toBe('running');
    expect(store.history.get('run-old-pushed').status).toBe('running');
    expect(store.recoverSilent()).toEqual([]);
    store.runs.heartbeat('run-beating', ago(HEARTBEAT_STALE_MS + 1));
    store.close();

    // Opening the store recovers silent runs too, and audit.jsonl says how each ended, once.
    const again = openStore(dir);
    expect(again.recovered).toEqual(['run-beating']);
    again.close();
    const ends = readAuditLog<{ type: string; runId: string }>(`${dir}/audit.jsonl`).events.map((e) => `${e.type} ${e.runId}`);
    expect(ends).toEqual(['run:end run-silent', 'run:end run-beating']);
  });

});
