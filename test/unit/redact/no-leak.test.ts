import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { EventBus } from '../../../runner/events/bus.js';
import { createPushSink } from '../../../runner/push/index.js';
import { createRedactor, secretParamValues } from '../../../runner/redact/index.js';
import { createReporter } from '../../../runner/reporters/index.js';
import { createStoreSink, openAuditLog, openStore } from '../../../runner/store/index.js';
import { startDashboard, type FakeDashboard } from '../push/dashboard-server.js';
import { replay, scriptedRun, startOf, useTempHome } from '../store/helpers.js';

const secrets = {
  param: 'Param-Known-Secret-1',
  env: 'Env-Known-Secret-2',
  cmdline: 'Cmd-Known-Secret-3',
  hash: '$2y$10$Abcdefghijklmnopqrstuu5Qmxq3Vq0fGz0YcQm4m1n3sT7yJ0Xi.',
};

describe('a known secret never leaves the run', () => {
  const tempHome = useTempHome();
  let dashboard: FakeDashboard | undefined;
  afterEach(async () => dashboard?.close());

  it('is absent from --json, audit.jsonl, every database row and file, and the dashboard push', async () => {
    const dir = tempHome();
    dashboard = await startDashboard('up');
    const schema = z.object({ domain: z.string(), user: z.string(), password: z.string().meta({ secret: true }) });
    const params = schema.parse({ domain: 'shop.example.com', user: 'bob', password: secrets.param });
    const redact = createRedactor({
      secretValues: secretParamValues(schema, params),
      envNames: ['APP_DB_SECRET'],
      env: { APP_DB_SECRET: secrets.env },
    });

    const store = openStore(dir);
    const jsonl = openAuditLog(dir);
    const stdout = new PassThrough();
    let printed = '';
    stdout.on('data', (d: Buffer) => (printed += d.toString()));
    const bus = new EventBus(
      [
        await createReporter('json', { out: stdout, color: false, diff: true, verbose: true }),
        createStoreSink(store, { jsonl }),
        createPushSink({ target: { url: dashboard.url, token: 't' }, outbox: store.outbox, batchMs: 5 }),
      ],
      redact,
    );
    const steps = scriptedRun('run-secret', ['web1']);
    bus.emit('run:start', { ...startOf(steps), params: { ...params, note: `uses ${secrets.env}` } });
    bus.emit('task:result', {
      runId: 'run-secret',
      host: 'web1',
      task: 'htpasswd',
      taskIndex: 0,
      handler: false,
      status: 'failed',
      durationMs: 5,
      roundTrips: 1,
      message: `\`mysql -u root -p${secrets.cmdline} shop\` exited 1; password was ${secrets.param}`,
      diff: `--- a/.htpasswd\n+++ b/.htpasswd\n+bob:${secrets.hash}\n+DB_PASSWORD=${secrets.env}\n`,
      data: { argv: ['app', '--password', secrets.cmdline], nested: { deep: [secrets.param] } },
    });
    replay(bus, steps.slice(1));
    await bus.close();
    jsonl.close();

    const rows = ['runs', 'task_results', 'audit_events', 'push_outbox', 'settings', 'host_state']
      .map((t) => JSON.stringify(store.db.prepare(`SELECT * FROM ${t}`).all()))
      .join('\n');
    store.close();
    const dbFiles = readdirSync(dir)
      .filter((f) => f.startsWith('vsa.db'))
      .map((f) => readFileSync(join(dir, f)).toString('latin1'))
      .join('\n');
    const jsonlText = readFileSync(jsonl.file, 'utf8');
    const pushed = dashboard.raw.join('\n');

    // The record is still there, just masked.
    expect(jsonlText).toContain('"password":"***"');
    expect(rows).toContain('+bob:***');
    expect(pushed).toContain('-p*** shop');
    expect(printed).toContain('htpasswd');
    for (const [where, text] of Object.entries({ stdout: printed, jsonl: jsonlText, rows, dbFiles, pushed })) {
      for (const [kind, secret] of Object.entries(secrets)) {
        expect(text.includes(secret), `${kind} secret found in ${where}`).toBe(false);
      }
    }
  });
});
