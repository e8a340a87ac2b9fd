import { statSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { dataDir, openStore } from '../../../runner/store/index.js';
import { migrate, schemaVersion } from '../../../runner/store/migrate.js';
import { migrations } from '../../../runner/store/migrations/index.js';
import { parsePositive, parseSince } from '../../../runner/store/args.js';
import { endOf, scriptedRun, startOf, useTempHome } from './helpers.js';

describe('store', () => {
  const tempHome = useTempHome();

  it('dataDir comes from VSA_HOME and is owner-only', () => {
    const dir = join(tempHome(), 'nested', 'vsa');
    expect(dataDir({ VSA_HOME: dir })).toBe(dir);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
  });

  it('opens in WAL mode with every migration applied once', () => {
    const dir = tempHome();
    const store = openStore(dir);
    expect(store.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(Number(store.db.pragma('busy_timeout', { simple: true }))).toBeGreaterThan(0);
    expect(schemaVersion(store.db)).toBe(migrations.at(-1)!.version);
    expect(migrate(store.db)).toEqual([]);
    store.close();
    expect(migrate(new Database(join(dir, 'vsa.db')))).toEqual([]);
  });

  it('applies only the migrations a database lacks', () => {
    const db = new Database(':memory:');
    expect(migrate(db, migrations.slice(0, 1))).toEqual([1]);
    expect(migrate(db)).toEqual(migrations.slice(1).map((m) => m.version));
  });

  it('upserts and reads host state', () => {
    const store = openStore(tempHome());
    store.hostState.saveHostState('web1', { disk: 10 }, '2026-01-01T00:00:00.000Z');
    store.hostState.saveHostState('web1', { disk: 20 }, '2026-01-02T00:00:00.000Z');
    store.hostState.saveHostState('db1', { disk: 5 });
    expect(store.hostState.get('web1')).toEqual({ host: 'web1', collectedAt: '2026-01-02T00:00:00.000Z', state: { disk: 20 } });
    expect(store.hostState.list().map((h) => h.host)).toEqual(['db1', 'web1']);
    expect(store.hostState.get('nope')).toBeUndefined();
    store.close();
  });

  it('prunes old finished runs with their task results and audit events, and keeps the setting', () => {
    const store = openStore(tempHome());
    const old = scriptedRun('old-run', ['web1'], '2020-01-01T00:00:00.000Z');
    const fresh = scriptedRun('new-run', ['web1'], new Date().toISOString());
    for (const steps of [old, fresh]) {
      const { startedAt } = startOf(steps);
      store.runs.start(startOf(steps));
      for (const [t, e] of steps) if (t === 'task:result') store.runs.task(e, startedAt);
      store.runs.end({ ...endOf(steps), endedAt: startedAt });
    }
    const r = store.prune(30);
    expect(r.runs).toBe(1);
    expect(r.auditEvents).toBeGreaterThan(0);
    expect(store.history.list().map((x) => x.id)).toEqual(['new-run']);
    expect(store.db.prepare("SELECT count(*) AS n FROM task_results WHERE run_id = 'old-run'").get()).toEqual({ n: 0 });
    expect(store.audit.list({ runId: 'old-run' })).toEqual([]);
    expect(store.settings.get('retention_days')).toBe('30');
    store.close();
  });

  it('parses --since spans and dates, and rejects junk', () => {
    const now = new Date('2026-01-10T00:00:00.000Z');
    expect(parseSince('7d', now)).toBe('2026-01-03T00:00:00.000Z');
    expect(parseSince('12h', now)).toBe('2026-01-09T12:00:00.000Z');
    expect(parseSince('2026-01-01', now)).toBe('2026-01-01T00:00:00.000Z');
    expect(() => parseSince('yesterday', now)).toThrow(/--since/);
    expect(() => parseSince('99999999999999w', now)).toThrow(/--since: "99999999999999w" reaches back before any date/);
    expect(() => parsePositive('0', '--limit', 100)).toThrow(/--limit/);
    expect(() => parsePositive('101', '--keep-days', 100)).toThrow('--keep-days must be a whole number from 1 to 100, got "101"');
  });
});
