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
    expect(await sh("podman exec shop-app sh -c 'printf %s \"$APP_SECRET\"'")).toBe(secret);
    expect(await sh('stat -c %a /srv/newco/shop/env/.env')).toBe('640\n');
    expect(await readFile(join(stacks, 'shop', 'compose.yml'), 'utf8')).not.toContain('APP_SECRET');

    const again = await stackUp('shop', '--tenant', 'newco', '--check');
    expect(byTask(again.events)['compose up shop']?.status, said(again)).toBe('ok');
  });
});
