import type { Migration } from './index.js';

/** Runs, their task results, the audit trail, hosts' last collected state and settings. */
export const initial: Migration = {
  version: 1,
  name: 'initial',
  sql: `
    CREATE TABLE runs (
      id TEXT PRIMARY KEY,
      playbook TEXT NOT NULL,
      params TEXT NOT NULL DEFAULT '{}',
      actor TEXT NOT NULL,
      origin TEXT NOT NULL,
      check_mode INTEGER NOT NULL DEFAULT 0,
      diff_mode INTEGER NOT NULL DEFAULT 0,
      started_at TEXT NOT NULL,
      ended_at TEXT,
      status TEXT NOT NULL DEFAULT 'running',
      exit_code INTEGER,
      recap TEXT,
      hosts TEXT NOT NULL DEFAULT '[]',
      error TEXT,
      pid INTEGER,
      ok INTEGER NOT NULL DEFAULT 0,
      changed INTEGER NOT NULL DEFAULT 0,
      failed INTEGER NOT NULL DEFAULT 0,
      skipped INTEGER NOT NULL DEFAULT 0,
      unreachable INTEGER NOT NULL DEFAULT 0,
      ignored INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX runs_started ON runs(started_at);
    CREATE INDEX runs_playbook ON runs(playbook, started_at);
    CREATE INDEX runs_status ON runs(status, started_at);

    CREATE TABLE run_hosts (
      run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
      host TEXT NOT NULL,
      PRIMARY KEY (run_id, host)
    ) WITHOUT ROWID;
    CREATE INDEX run_hosts_host ON run_hosts(host, run_id);

    CREATE TABLE task_results (
      id INTEGER PRIMARY KEY,
      run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
      host TEXT NOT NULL,
      task TEXT NOT NULL,
      task_index INTEGER NOT NULL,
      handler INTEGER NOT NULL DEFAULT 0,
      status TEXT NOT NULL,
      duration_ms INTEGER NOT NULL,
      round_trips INTEGER NOT NULL DEFAULT 0,
      ignored INTEGER NOT NULL DEFAULT 0,
      message TEXT,
      diff TEXT,
      data TEXT,
      time TEXT NOT NULL
    );
    CREATE INDEX task_results_run ON task_results(run_id, host, task_index);

    CREATE TABLE audit_events (
      id INTEGER PRIMARY KEY,
      time TEXT NOT NULL,
      actor TEXT NOT NULL,
      action TEXT NOT NULL,
      target TEXT NOT NULL,
      result TEXT NOT NULL,
      details TEXT NOT NULL DEFAULT '{}',
      run_id TEXT
    );
    CREATE INDEX audit_time ON audit_events(time);
    CREATE INDEX audit_action ON audit_events(action, time);
    CREATE INDEX audit_target ON audit_events(target, time);
    CREATE INDEX audit_run ON audit_events(run_id);

    CREATE TABLE host_state (
      host TEXT PRIMARY KEY,
      collected_at TEXT NOT NULL,
      state TEXT NOT NULL
    );

    CREATE TABLE settings (
      key TEXT PRIMARY KEY,
      value TEXT NOT NULL
    );
  `,
};
