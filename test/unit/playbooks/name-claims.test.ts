import { execFile } from 'node:child_process';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { containerRunningTask, stackNamesFreeTask } from '../../../playbooks/lib/name-claims.js';
import stackRollback from '../../../playbooks/stack-rollback.js';
import type { Task } from '../../../runner/playbook/types.js';

const run = promisify(execFile);

/**
 * A `docker` on PATH that answers as the engine would for the containers in `holders`
 * (`NAME|PROJECT|ALIASES`, one per line): `ps` lists them, `inspect` prints the line asked for.
 */
async function engine(dir: string, holders: string[]): Promise<void> {
  await writeFile(join(dir, 'holders'), holders.map((h) => `${h}\n`).join(''));
  const stub = [
    '#!/bin/sh',
    'case "$1" in',
    '  network) exit 0 ;;',
    `  ps) awk -F'|' '{ print NR }' "${dir}/holders" ;;`,
    `  inspect) case "$5" in *State.Running*) echo true ;; *) sed -n "$6p" "${dir}/holders" ;; esac ;;`,
    'esac',
  ].join('\n');
  await writeFile(join(dir, 'docker'), stub);
  await chmod(join(dir, 'docker'), 0o755);
}

async function runScript(dir: string, t: Task): Promise<{ code: number; stderr: string }> {
  const { script } = (t.args as (h: unknown) => { script: string })({});
  try {
    await run('sh', ['-c', script], { env: { PATH: `${dir}:/usr/bin:/bin` } });
    return { code: 0, stderr: '' };
  } catch (err) {
    const e = err as { code: number; stderr: string };
    return { code: e.code, stderr: e.stderr.trim() };
  }
}

describe('claims on names of the proxy network, against an engine that lists its containers', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'vsa-claims-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  const srv = (tenant: string, name: string) => join(dir, 'srv', tenant, name);
  const holders = ['/bravo||bravo 1a2b3c', 'mallory|mallory|bravo 4d5e6f', 'shop-web|shop|web 7a8b9c'];

  it("refuses a site's container when another container answers to its name, naming that one", async () => {
    await engine(dir, holders);
    const r = await runScript(dir, containerRunningTask('bravo'));
    expect(r).toEqual({
      code: 1,
      stderr:
        "container mallory also answers to the name bravo on flowbiz_ext (a network alias): the proxy would send this site's visitors to both; remove that alias or rename that service",
    });
  });

  it('passes a container that alone answers to its name', async () => {
    await engine(dir, holders.slice(0, 1));
    expect((await runScript(dir, containerRunningTask('bravo'))).code).toBe(0);
  });

  it('refuses a stack whose service name is a container of someone else', async () => {
    await engine(dir, holders.slice(0, 1));
    const r = await runScript(dir, stackNamesFreeTask('mallory', [{ service: 'bravo', name: 'bravo', own: false }], srv('t', 'mallory')));
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      'service bravo of stack mallory would answer to the name bravo on flowbiz_ext, which container bravo answers to: the proxy would send its visitors to both; rename the service (or its container_name or alias)',
    );
  });

  it("lets a stack keep the names its own containers hold, and names taken by no one", async () => {
    await engine(dir, holders);
    const t = stackNamesFreeTask('shop', [
      { service: 'web', name: 'web', own: false },
      { service: 'web', name: 'shop-web', own: true },
      { service: 'api', name: 'api', own: false },
    ], srv('t', 'shop'));
    expect(await runScript(dir, t)).toEqual({ code: 0, stderr: '' });
  });

  it('compares names as DNS does, in any case', async () => {
    await engine(dir, holders.slice(0, 1));
    const r = await runScript(dir, stackNamesFreeTask('mallory', [{ service: 'x', name: 'BRAVO', own: true }], srv('t', 'mallory')));
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('which container bravo answers to');
  });

  it('refuses an alias that a container of another project holds', async () => {
    await engine(dir, holders);
    const r = await runScript(dir, stackNamesFreeTask('blog', [{ service: 'app', name: 'web', own: false }], srv('t', 'blog')));
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('which container shop-web answers to');
  });

  it("refuses a stack name another tenant's stack already has on the host (one compose project), and passes the same tenant's", async () => {
    await engine(dir, []);
    await mkdir(srv('acme', 'shop'), { recursive: true });
    const r = await runScript(dir, stackNamesFreeTask('shop', [], srv('evil', 'shop')));
    expect(r).toEqual({
      code: 1,
      stderr: `stack shop is already deployed for another tenant (${srv('acme', 'shop')}): its compose project is also named shop, so this deploy would replace that tenant's containers; choose another stack name`,
    });
    expect((await runScript(dir, stackNamesFreeTask('shop', [], srv('acme', 'shop')))).code).toBe(0);
  });

  it('refuses a stack name that a project beside the tenants runs as (the reverse proxy), not a tenant directory of that name', async () => {
    await engine(dir, []);
    await mkdir(join(dir, 'srv', 'reverse-proxy'), { recursive: true });
    await writeFile(join(dir, 'srv', 'reverse-proxy', 'compose.yml'), 'services: {}\n');
    const r = await runScript(dir, stackNamesFreeTask('reverse-proxy', [], srv('flowbiz', 'reverse-proxy')));
    expect(r).toEqual({
      code: 1,
      stderr: `the compose project reverse-proxy already runs from ${join(dir, 'srv', 'reverse-proxy')}: this deploy would replace its containers; choose another stack name`,
    });
    await mkdir(join(dir, 'srv', 'flowbiz'), { recursive: true });
    expect((await runScript(dir, stackNamesFreeTask('flowbiz', [], srv('flowbiz', 'flowbiz')))).code).toBe(0);
  });

  it('checks the stack name before a rollback brings a release up, as stack up does', async () => {
    const [first] = stackRollback.tasks(stackRollback.params.parse({ name: 'shop', tenant: 'evil' })) as Task[];
    expect(first!.name).toBe('names of shop on flowbiz_ext are its own');
    const script = (t: Task) => (t.args as (h: unknown) => { script: string })({}).script;
    expect(script(first!)).toBe(script(stackNamesFreeTask('shop', [], '/srv/evil/shop')));
  });
});
