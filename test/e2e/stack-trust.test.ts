import { randomBytes } from 'node:crypto';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSsh } from '../../runner/connection/ssh/open-ssh.js';
import { sshSettings } from '../../runner/connection/ssh/settings.js';
import type { Connection } from '../../runner/connection/types.js';
import { script } from '../../runner/shell/command.js';
import { WEB_IMAGE } from '../lab/images/web-image.js';
import { labPlugins } from '../lab/plugins/catalog.js';
import { canRunLab, labInventoryHost, useLab } from '../lab/use-lab.js';
import { ensureBuilt, resultsOf, said, tempHome, vsa, type JsonEvent } from './faults-support/vsa.js';

/**
 * `vsa stack up` as a new tenant's first deploy meets it, through the built binary on a lab host
 * (Podman, podman-compose): what is wrong on the control machine stops the run before anything
 * reaches the host, `--check` plans a first deploy, and a secret in the stack's `.env` reaches the
 * app inside its container.
 */
describe.skipIf(!canRunLab)('stack up: checked before connecting, planned by --check, secrets reach the app', () => {
  const lab = useLab({ hosts: 1, plugins: labPlugins({ only: ['sshd', 'podman'] }) });
  let home: { dir: string; remove(): Promise<void> };
  let stacks: string;
  let host: Connection;
  const secret = `s3cret-${randomBytes(8).toString('hex')}`;

  beforeAll(async () => {
    await ensureBuilt();
    home = await tempHome('stack-trust');
    stacks = await mkdtemp(join(lab().layout.dir, 'stacks-'));
    host = await openSsh(sshSettings(labInventoryHost(lab(), 'h01')));
  });
  afterAll(async () => {
    await host?.close();
    if (stacks) await rm(stacks, { recursive: true, force: true });
    await home?.remove();
  });

  const stackUp = (...args: string[]) =>
    vsa(['stack', 'up', ...args, '--dir', stacks, '-i', lab().inventoryFile, '--json'], home.dir);
  const sh = async (text: string) => {
    const r = await host.exec(script(text));
    expect(r.code, r.stderr).toBe(0);
    return r.stdout;
  };
  /** Every path under /srv on the host with its type and mode: what a refused run must leave as it was. */
  const srvTree = () => sh('find /srv -printf "%y %m %p\\n" 2>/dev/null | sort');
  const secretInApp = () => sh("podman exec shop-app sh -c 'printf %s \"$APP_SECRET\"'");
  const byTask = (events: JsonEvent[]) => Object.fromEntries(resultsOf(events).map((e) => [e.task, e]));

  it('a stack that does not exist exits 5 naming the stacks that do, and creates nothing on the host', async () => {
    expect((await vsa(['stack', 'new', 'shop', '--dir', stacks, '--image', WEB_IMAGE, '--port', '8080'], home.dir)).code).toBe(0);
    const before = await srvTree();
    const r = await stackUp('nosuch');
    expect(r.code, said(r)).toBe(5);
    expect(r.stderr).toContain(`no such stack in ${stacks}: nosuch (stacks: shop)`);
    expect(r.end).toBeUndefined();
    expect(await srvTree()).toBe(before);
  });

  it('a stack that fails stack lint exits 5 with the findings and creates nothing; --skip-lint RULE lets it through and the audit records it', async () => {
    await cp('test/fixtures/stacks/db-port', join(stacks, 'db-port'), { recursive: true });
    await writeFile(join(stacks, 'db-port', '.env.example'), 'APP_SECRET=change-me\n');
    const before = await srvTree();
    const r = await stackUp('db-port');
    expect(r.code, said(r)).toBe(5);
    expect(r.stderr).toContain('stack db-port does not pass stack lint (1 finding(s))');
    expect(r.stderr).toMatch(/db-port\/compose\.yml:\d+ db-port /);
    expect(await srvTree()).toBe(before);

    const skipped = await stackUp('db-port', '--skip-lint', 'db-port', '--check');
    expect(skipped.code, said(skipped)).toBe(0);
    const start = skipped.events.find((e) => e.type === 'run:start');
    const audit = await vsa(['audit', '--action', 'run:start', '--json'], home.dir);
    const recorded = audit.stdout
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { runId?: string; run_id?: string; details: { params: { skipLint?: string[] } } })
      .find((e) => (e.runId ?? e.run_id) === start?.runId);
    expect(recorded?.details.params.skipLint, audit.stdout).toEqual(['db-port']);
    expect(await srvTree()).toBe(before);
  });

  it('--check --diff on a first deploy exits 0 and reports every change (directories, files, images, services) with secrets masked, touching nothing', async () => {
    await writeFile(join(stacks, 'shop', '.env'), `APP_IMAGE=localhost/not-pulled-yet:1\nAPP_SECRET=${secret}\n`);
    const before = await srvTree();
    const r = await stackUp('shop', '--tenant', 'newco', '--check', '--diff');
    expect(r.code, said(r)).toBe(0);
    const t = byTask(r.events);
    for (const d of ['/srv/newco', '/srv/newco/shop', '/srv/newco/shop/data', '/srv/newco/shop/env'])
      expect(t[`directory ${d}`]?.status, d).toBe('changed');
    expect(t['compose.yml']).toMatchObject({ status: 'changed', diff: expect.stringContaining('+    env_file:') });
    expect(t['env file']).toMatchObject({ status: 'changed', diff: expect.stringContaining('+APP_SECRET=***') });
    expect(t['compose up shop']).toMatchObject({
      status: 'changed',
      message: 'up shop (first deploy): services app; images to pull: localhost/not-pulled-yet:1',
      data: { services: ['app'], pull: ['localhost/not-pulled-yet:1'] },
    });
    expect(r.stdout + r.stderr).not.toContain(secret);
    expect(await srvTree()).toBe(before);
  });

  it('then for real: the app is healthy and reads the secret from env/.env inside its container', async () => {
    await writeFile(join(stacks, 'shop', '.env'), `APP_IMAGE=${WEB_IMAGE}\nAPP_SECRET=${secret}\n`);
    const check = await stackUp('shop', '--tenant', 'newco', '--check');
    expect(byTask(check.events)['compose up shop']?.data).toMatchObject({ pull: [] });

    const r = await stackUp('shop', '--tenant', 'newco', '--timeout', '60');
    expect(r.code, said(r)).toBe(0);
    expect(byTask(r.events)['compose up shop']).toMatchObject({ status: 'changed' });
    expect(await secretInApp()).toBe(secret);
    expect(await sh('stat -c %a /srv/newco/shop/env/.env')).toBe('640\n');
    expect(await readFile(join(stacks, 'shop', 'compose.yml'), 'utf8')).not.toContain('APP_SECRET');

    const again = await stackUp('shop', '--tenant', 'newco', '--check');
    expect(byTask(again.events)['compose up shop']?.status, said(again)).toBe('ok');
  });

  const compose = () => readFile(join(stacks, 'shop', 'compose.yml'), 'utf8');
  const onHostCompose = () => sh('cat /srv/newco/shop/compose.yml');
  const health = () => sh("podman inspect --format '{{.State.Health.Status}}' shop-app");
  const releases = async () => {
    const r = await vsa(['stack', 'releases', 'shop', '--tenant', 'newco', '-i', lab().inventoryFile, '--json'], home.dir);
    expect(r.code, said(r)).toBe(0);
    return byTask(r.events).releases?.data as { current?: string; releases: { id: string; runId: string; actor: string; time: string }[] };
  };
  /** A file the app wrote under data/: its content and inode must outlive every up and rollback. */
  const dataFile = () => sh('cat /srv/newco/shop/data/orders.db; stat -c %i /srv/newco/shop/data/orders.db');
  let v1 = '';
  let data = '';

  it('an update whose services do not become healthy rolls back by itself: the old release serves again, data untouched', async () => {
    await sh('printf "order 1\\n" > /srv/newco/shop/data/orders.db');
    data = await dataFile();
    v1 = await compose();
    const first = await releases();
    expect(first.releases).toHaveLength(1);
    expect(first.current).toBe(first.releases[0]!.id);

    await writeFile(join(stacks, 'shop', 'compose.yml'), v1.replace(/test: \[.*\]/, 'test: ["CMD", "false"]'));
    const r = await stackUp('shop', '--tenant', 'newco', '--timeout', '15');
    expect(r.code, said(r)).toBe(2);
    const results = resultsOf(r.events);
    const failed = results.find((e) => e.status === 'failed');
    expect(failed?.task).toBe('compose up shop');
    expect(failed?.message).toMatch(/not healthy after 15s: shop-app\(/);
    expect(failed?.message).toContain('shop-app, last log lines:');
    const rescue = results.slice(results.indexOf(failed!) + 1);
    expect(rescue.map((e) => [e.task, e.status])).toEqual([
      ['roll back to the current release', 'changed'],
      ['compose up shop', 'changed'],
    ]);
    expect(await onHostCompose()).toBe(v1);
    expect(await health()).toBe('healthy\n');
    expect((await releases()).releases).toEqual(first.releases);
    expect(await dataFile()).toBe(data);
  }, 120_000);

  it('--no-rollback leaves the failed release in place; stack rollback restores the previous release, --to another', async () => {
    const sick = await compose();
    const kept = await stackUp('shop', '--tenant', 'newco', '--timeout', '5', '--no-rollback');
    expect(kept.code, said(kept)).toBe(2);
    expect(resultsOf(kept.events).map((e) => e.task)).not.toContain('roll back to the current release');
    expect(await onHostCompose()).toBe(sick);

    // v2: healthy, with a setting v1 lacks.
    await writeFile(join(stacks, 'shop', 'compose.yml'), v1.replace('    env_file:', '    environment:\n      REVISION: "2"\n    env_file:'));
    const up = await stackUp('shop', '--tenant', 'newco', '--timeout', '60');
    expect(up.code, said(up)).toBe(0);
    const runId = up.events.find((e) => e.type === 'run:start')?.runId;
    const list = await releases();
    expect(list.releases).toHaveLength(2);
    expect(list.releases[0]).toMatchObject({ id: list.current, runId, actor: expect.stringMatching(/\S/) });
    const [v2, old] = list.releases.map((x) => x.id);
    expect(await sh("podman exec shop-app sh -c 'printf %s \"$REVISION\"'")).toBe('2');

    const back = await vsa(['stack', 'rollback', 'shop', '--tenant', 'newco', '-i', lab().inventoryFile, '--json'], home.dir);
    expect(back.code, said(back)).toBe(0);
    expect(await onHostCompose()).toBe(v1);
    expect(await health()).toBe('healthy\n');
    expect(await sh("podman exec shop-app sh -c 'printf %s \"${REVISION:-none}\"'")).toBe('none');
    expect((await releases()).current).toBe(old);

    const forward = await vsa(['stack', 'rollback', 'shop', '--tenant', 'newco', '--to', v2!, '-i', lab().inventoryFile, '--json'], home.dir);
    expect(forward.code, said(forward)).toBe(0);
    expect(await sh("podman exec shop-app sh -c 'printf %s \"$REVISION\"'")).toBe('2');
    expect((await releases()).current).toBe(v2);
    expect(await dataFile()).toBe(data);
    expect(await secretInApp()).toBe(secret);
  }, 180_000);
});
