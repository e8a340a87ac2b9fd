import { describe, expect, it } from 'vitest';
import { openStore, RunNotFoundError } from '../../../runner/store/index.js';
import { insertRuns } from './fixtures/bulk.js';
import { scriptedRun, startOf, useTempHome } from './helpers.js';

describe('History', () => {
  const tempHome = useTempHome();

  it('lists 10,000 runs newest first through the indexes, without a sort', () => {
    const store = openStore(tempHome());
    insertRuns(store, 10_000);
    const plan = store.history.plan({ limit: 20 }).join('\n');
    expect(plan).toMatch(/USING INDEX runs_started/);
    expect(plan).not.toMatch(/TEMP B-TREE/);
    const filtered = store.history.plan({ playbook: 'renew-certs', since: '2020-01-01T00:00:00.000Z' }).join('\n');
    expect(filtered).toMatch(/USING INDEX runs_playbook/);
    expect(filtered).not.toMatch(/TEMP B-TREE/);

    const runs = store.history.list({ limit: 20 });
    expect(runs).toHaveLength(20);
    expect(runs[0]?.id).toBe('bulk-009999');
    expect(runs.map((r) => r.startedAt)).toEqual([...runs.map((r) => r.startedAt)].sort().reverse());
    store.close();
  });

  it('filters by playbook, host, status and since', () => {
    const store = openStore(tempHome());
    insertRuns(store, 100, Date.parse('2026-01-10T00:00:00.000Z'));
    expect(store.history.list({ playbook: 'renew-certs', limit: 100 }).every((r) => r.playbook === 'renew-certs')).toBe(true);
    expect(store.history.list({ status: 'failed', limit: 100 })).toHaveLength(10);
    const web3 = store.history.list({ host: 'web3', limit: 100 });
    expect(web3.length).toBeGreaterThan(0);
    expect(web3.every((r) => r.hosts.includes('web3'))).toBe(true);
    expect(store.history.list({ since: '2026-01-09T23:50:00.000Z', limit: 100 })).toHaveLength(10);
    store.close();
  });

  it('finds a run by a unique id prefix and explains a missing or ambiguous one', () => {
    const store = openStore(tempHome());
    insertRuns(store, 12);
    store.runs.start(startOf(scriptedRun('7f3a9c1e-run', ['web1'])));
    expect(store.history.get('bulk-000011').id).toBe('bulk-000011');
    expect(store.history.get('7f3a').id).toBe('7f3a9c1e-run');
    expect(() => store.history.get('nope')).toThrow(RunNotFoundError);
    expect(() => store.history.get('bulk-')).toThrow(/ambiguous/);
    expect(() => store.history.get('bulk*')).toThrow(RunNotFoundError);
    store.close();
  });
});
