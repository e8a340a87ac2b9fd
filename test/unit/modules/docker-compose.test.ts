import { existsSync, readFileSync } from 'node:fs';
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { script, toShell } from '../../../runner/shell/command.js';
import { FactCache } from '../../../runner/module/fact-cache.js';
import { FakeConnection } from '../../../runner/connection/fake.js';
import { composeFact } from '../../../modules/facts/compose.js';
import { dockerFact } from '../../../modules/facts/docker.js';
import { composeCommand, dockerCompose, notReady, parseComposeState, projectName, services } from '../../../modules/docker-compose.js';
import { waitScript } from '../../../modules/docker-compose-scripts.js';
import { planFrom, run, withLocal } from './run-module-helper.js';

const fixture = (f: string) => readFileSync(join(import.meta.dirname, 'fixtures', f), 'utf8');
const COMPOSE = 'services:\n  web:\n    image: flowbiz/web:1.4\n    healthcheck:\n      test: ["CMD", "true"]\n  worker:\n    image: flowbiz/worker:1.4\n';
const probe = (o: { hash?: string; recorded?: string; containers?: string }) =>
  [
    `@@vsa-compose file compose.yml\n${Buffer.from(COMPOSE).toString('base64')}`,
    `@@vsa-compose hash ${o.hash ?? 'h1'}`,
    `@@vsa-compose recorded ${o.recorded ?? 'h1'}`,
    `@@vsa-compose containers\n${o.containers ?? ''}`,
  ].join('\n');

function facts(engine: 'docker' | 'podman', kind: 'v2' | 'v1' | 'podman-compose'): FactCache {
  const f = new FactCache(new FakeConnection('h1'), () => ({}));
  f.store(dockerFact, { cli: 'docker', engine, version: '1' });
  f.store(composeFact, { kind, argv: [], version: '1' });
  return f;
}

describe('docker_compose: reading', () => {
  it('parses files, hashes and containers printed by Docker and by Podman', () => {
    const d = parseComposeState({ code: 0, stderr: '', stdout: probe({ containers: fixture('docker-container-inspect.json') }) });
    expect(services(d.files)).toEqual(['web', 'worker']);
    expect(d.containers.map((c) => [c.name, c.state, c.health])).toEqual([['web', 'running', 'healthy'], ['worker', 'running', undefined]]);
    expect(notReady(['web', 'worker'], d.containers)).toEqual([]);
    const p = parseComposeState({ code: 0, stderr: '', stdout: probe({ containers: fixture('podman-container-inspect.json') }) });
    // Podman's healthcheck has not passed yet; a container without one reports Health.Status "".
    expect(p.containers.map((c) => [c.name, c.health])).toEqual([['web1', 'starting'], ['plain', undefined]]);
    expect(notReady(['web'], p.containers)).toEqual(['web']);
    expect(parseComposeState({ code: 0, stderr: '', stdout: '@@vsa-compose nodir\n' }).dirMissing).toBe(true);
  });

  it('derives the project name as Compose does, and refuses unsafe ones', () => {
    expect(projectName(dockerCompose.params.parse({ projectDir: '/srv/acme/My.App/' }))).toBe('myapp');
    expect(dockerCompose.params.safeParse({ projectDir: '/srv/x', projectName: 'a;rm -rf /' }).success).toBe(false);
    expect(dockerCompose.params.safeParse({ projectDir: 'relative' }).success).toBe(false);
    expect(dockerCompose.params.safeParse({ projectDir: '/srv/x', timeout: 99_999_999_999 }).success).toBe(false);
  });

  it('builds the command for each compose flavour; podman-compose gets the env file exported', () => {
    const p = dockerCompose.params.parse({ projectDir: '/srv/acme/shop', envFile: "env/.env; echo 'x'" });
    expect(toShell(composeCommand('v2', p, ['compose.yml'], ['up', '-d']))).toBe(
      `docker compose -f compose.yml --env-file 'env/.env; echo '\\''x'\\''' -p shop up -d`,
    );
    expect(toShell(composeCommand('v1', p, ['a.yml', 'b.yml'], ['down']))).toBe(
      `docker-compose -f a.yml -f b.yml --env-file 'env/.env; echo '\\''x'\\''' -p shop down`,
    );
    expect(toShell(composeCommand('podman-compose', p, ['compose.yml'], ['up', '-d']))).toBe(
      `(set -a; . './env/.env; echo '\\''x'\\'''; set +a; podman-compose -f compose.yml -p shop up -d)`,
    );
  });
});

describe('docker_compose: decisions', () => {
  const base = { projectDir: '/srv/acme/demo' };
  it('everything up and unchanged → ok, one round trip', async () => {
    const plan = await planFrom(dockerCompose, base, { stdout: probe({ containers: fixture('docker-container-inspect.json') }) }, { facts: facts('docker', 'v2') });
    expect(plan.commands).toEqual([]);
  });
  it.each([
    ['files changed since the last up (v2 recreates what changed)', { hash: 'h2', containers: fixture('docker-container-inspect.json') }, 'v2', 'docker compose -f compose.yml -p demo up -d'],
    ['files changed, podman-compose → force recreate', { hash: 'h2', containers: fixture('docker-container-inspect.json') }, 'podman-compose', 'podman-compose -f compose.yml -p demo up -d --force-recreate'],
    ['a service has no container', { containers: '' }, 'v1', 'docker-compose -f compose.yml -p demo up -d'],
  ] as const)('%s', async (_, o, kind, cmd) => {
    const plan = await planFrom(dockerCompose, base, { stdout: probe(o) }, { facts: facts('podman', kind) });
    expect(plan.commands.map(toShell)).toContain(cmd);
    expect(plan.commands.map(toShell).join('\n')).toContain('healthcheck run');
  });
  it('ps is read-only data; down with no containers is ok; no compose command fails', async () => {
    const ps = await planFrom(dockerCompose, { ...base, action: 'ps' }, { stdout: probe({ containers: fixture('docker-container-inspect.json') }) }, { facts: facts('docker', 'v2') });
    expect(ps).toMatchObject({ commands: [], data: { containers: [{ name: 'web', health: 'healthy' }, { name: 'worker', state: 'running' }] } });
    expect((await planFrom(dockerCompose, { ...base, action: 'down' }, { stdout: probe({}) }, { facts: facts('docker', 'v2') })).commands).toEqual([]);
    const none = new FactCache(new FakeConnection('h1'), () => ({}));
    none.store(dockerFact, { cli: 'docker', engine: 'docker', version: '1' });
    none.store(composeFact, { kind: null, argv: [], version: '' });
    expect((await planFrom(dockerCompose, base, { stdout: probe({ hash: 'h2' }) }, { facts: none })).fail).toMatch(/no compose command/);
  });
});

describe('docker_compose: check mode plans from the files the run uploads (planned)', () => {
  const base = { projectDir: '/srv/newco/shop' };
  const planned = { files: [{ name: 'compose.yml', content: COMPOSE }], images: ['flowbiz/web:1.4', 'flowbiz/worker:1.4'] };
  const check = { check: true, facts: facts('podman', 'podman-compose') };

  it('a first deploy (no project directory) would start every service and pull the images the host lacks', async () => {
    const plan = await planFrom(dockerCompose, { ...base, planned }, { stdout: '@@vsa-compose image flowbiz/worker:1.4\n@@vsa-compose nodir\n' }, check);
    expect(plan.fail).toBeUndefined();
    expect(plan.commands.length).toBeGreaterThan(0);
    expect(plan.message).toBe('up shop (first deploy): services web, worker; images to pull: flowbiz/web:1.4');
    expect(plan.data).toMatchObject({ services: ['web', 'worker'], pull: ['flowbiz/web:1.4'] });
    // Without planned, or outside check mode, a missing directory is still a failure.
    expect((await planFrom(dockerCompose, base, { stdout: '@@vsa-compose nodir\n' }, check)).fail).toMatch(/does not exist/);
  });

  it('asks the host for the images only in check mode', () => {
    const read = (c: boolean) => toShell(dockerCompose.read!(dockerCompose.params.parse({ ...base, planned }), { host: 'h1', vars: {}, check: c, diff: false, facts: facts('docker', 'v2') })!.command);
    expect(read(true)).toContain("image inspect");
    expect(read(false)).not.toContain('image inspect');
  });

  it('an upload of other compose text, or another env file, would recreate; the same text is ok', async () => {
    const up = fixture('docker-container-inspect.json');
    const edited = { ...planned, files: [{ name: 'compose.yml', content: `${COMPOSE}# v2\n` }] };
    expect((await planFrom(dockerCompose, { ...base, planned: edited }, { stdout: probe({ containers: up }) }, check)).message).toMatch(/^up shop \(compose files changed\)/);
    expect((await planFrom(dockerCompose, { ...base, planned: { ...planned, envChanged: true } }, { stdout: probe({ containers: up }) }, check)).commands).not.toEqual([]);
    expect((await planFrom(dockerCompose, { ...base, planned }, { stdout: probe({ containers: up }) }, check)).commands).toEqual([]);
  });
});

describe('docker_compose: through a real shell, engine and podman-compose stood in by scripts', () => {
  const stubPath = (dir: string) => ({ PATH: `${dir}/bin:${process.env.PATH}` });

  // Containers are files under $S: "<status> <exit> <health> <started>"; `healthcheck run` makes them healthy.
  const docker = (S: string) => `#!/bin/sh
S=${S}
case "$1" in
  --version) echo "podman version 4.3.1";;
  ps) for f in "$S"/ctr-*; do [ -f "$f" ] && echo "\${f##*/ctr-}"; done; exit 0;;
  healthcheck) sed -i 's/ starting / healthy /' "$S/ctr-$3";;
  logs) printf 'booting %s\\nfatal: %s gave up\\n' "$4" "$4";;
  inspect)
    if [ "$2" = --format ]; then read st ex h at < "$S/ctr-$4"; [ "$h" = none ] && h=; echo "$4 $st $ex $h"; exit 0; fi
    shift; sep=; printf '['
    for id; do read st ex h at < "$S/ctr-$id"; [ "$h" = none ] && hh='' || hh=",\\"Health\\":{\\"Status\\":\\"$h\\"}"
      printf '%s{"Id":"%s","Name":"%s","State":{"Status":"%s","StartedAt":"%s"%s},"Config":{"Labels":{"com.docker.compose.service":"%s"}}}' "$sep" "$id" "$id" "$st" "$at" "$hh" "$id"; sep=,; done
    echo ']';;
  *) echo "unexpected docker $*" >&2; exit 2;;
esac
`;
  const podmanCompose = (S: string, workerExit: string) => `#!/bin/sh
S=${S}
if [ "$1" = version ]; then echo 'podman-composer version  1.0.3'; exit 0; fi
echo "$@" >> "$S/calls"
case " $* " in *" --force-recreate "*) rm -f "$S"/ctr-*;; esac
case " $* " in
  *" up "*) [ -f "$S/ctr-web" ] || echo "running 0 starting $(date +%s%N)" > "$S/ctr-web"
            [ -f "$S/ctr-worker" ] || echo "${workerExit} none $(date +%s%N)" > "$S/ctr-worker";;
  *" down "*) rm -f "$S"/ctr-*;;
esac
exit 0
`;

  async function setup(dir: string, workerExit = 'running 0') {
    const S = join(dir, 'state');
    await mkdir(join(dir, 'bin'));
    await mkdir(S);
    await mkdir(join(dir, 'demo'));
    await writeFile(join(dir, 'demo', 'compose.yml'), COMPOSE);
    for (const [n, t] of [['docker', docker(S)], ['podman-compose', podmanCompose(S, workerExit)]] as const) {
      await writeFile(join(dir, 'bin', n), t);
      await chmod(join(dir, 'bin', n), 0o755);
    }
    return { projectDir: join(dir, 'demo'), command: 'podman-compose', timeout: 5 };
  }

  it('up: changed and healthy, then ok; check mode runs nothing; down removes', () =>
    withLocal(async (conn, dir) => {
      const params = await setup(dir);
      expect((await run(dockerCompose, params, conn, { check: true })).status).toBe('changed');
      expect(existsSync(join(dir, 'state', 'calls'))).toBe(false);

      const first = await run(dockerCompose, params, conn);
      expect(first).toMatchObject({ status: 'changed', data: { containers: [{ name: 'web', health: 'healthy' }, { name: 'worker', state: 'running' }] } });
      expect(await run(dockerCompose, params, conn)).toMatchObject({ status: 'ok' });

      await writeFile(join(dir, 'demo', 'compose.yml'), `${COMPOSE}# edited\n`);
      expect((await run(dockerCompose, params, conn)).status).toBe('changed');
      expect(readFileSync(join(dir, 'state', 'calls'), 'utf8')).toContain('up -d --force-recreate');

      expect((await run(dockerCompose, { ...params, action: 'down' }, conn)).status).toBe('changed');
      expect(existsSync(join(dir, 'demo', '.vsa-compose-demo.sha256'))).toBe(false);
    }, stubPath));

  it('up fails naming a service whose container exited, although podman-compose exited 0', () =>
    withLocal(async (conn, dir) => {
      const params = await setup(dir, 'exited 3');
      const out = await run(dockerCompose, params, conn);
      expect(out).toMatchObject({
        status: 'failed',
        message: 'worker, last log lines:\n  booting worker\n  fatal: worker gave up\nnot running: worker(exited 3)',
      });
    }, stubPath));

  it('the wait times out naming the service whose healthcheck never passes', () =>
    withLocal(async (conn, dir) => {
      await setup(dir);
      await writeFile(join(dir, 'state', 'ctr-web'), 'running 0 unhealthy 1\n');
      const res = await conn.exec(script(`d=docker\n${waitScript('demo', 1, false)}`));
      expect(res.code).toBe(1);
      expect(res.stderr.trim()).toBe('web, last log lines:\n  booting web\n  fatal: web gave up\nnot healthy after 1s: web(unhealthy)');
    }, stubPath));
});
