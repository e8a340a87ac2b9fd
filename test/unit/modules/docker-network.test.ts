import { readFileSync } from 'node:fs';
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { toShell } from '../../../runner/shell/command.js';
import { FactCache } from '../../../runner/module/fact-cache.js';
import { FakeConnection } from '../../../runner/connection/fake.js';
import { dockerFact } from '../../../modules/facts/docker.js';
import { dockerNetwork, parseNetworkState } from '../../../modules/docker-network.js';
import { planFrom, run, withLocal } from './run-module-helper.js';

const fixture = (f: string) => readFileSync(join(import.meta.dirname, 'fixtures', f), 'utf8');
const part = (text: string, rc = 0) => `@@vsa-part\n${text}\n@@rc ${rc}\n`;
const NOTICE = 'Emulate Docker CLI using podman. Create /etc/containers/nodocker to quiet msg.\n';

/** Facts as a host with podman-docker reports them. */
function podmanFacts(): FactCache {
  const f = new FactCache(new FakeConnection('h1'), () => ({}));
  f.store(dockerFact, { cli: 'docker', engine: 'podman', version: '4.3.1' });
  return f;
}

describe('docker_network: reading both engines', () => {
  it('Docker: network present, container attached to it', () => {
    const p = dockerNetwork.params.parse({ name: 'flowbiz_ext', containers: ['web'] });
    const s = parseNetworkState(p, { code: 0, stderr: '', stdout: part(fixture('docker-network-inspect.json')) + part(fixture('docker-container-inspect.json')) });
    expect(s.network).toMatchObject({ name: 'flowbiz_ext', driver: 'bridge' });
    expect(s.containers.get('web')).toMatchObject({ name: 'web', state: 'running', health: 'healthy', networks: ['demo_default', 'flowbiz_ext'] });
  });

  it('Podman: lower-case network keys, notice before the JSON, not-found as absent', () => {
    const p = dockerNetwork.params.parse({ name: 'vsa_sample_net', containers: ['web1', 'ghost'] });
    const s = parseNetworkState(p, {
      code: 0,
      stderr: '',
      stdout:
        part(NOTICE + fixture('podman-network-inspect.json')) +
        part(NOTICE + fixture('podman-container-inspect.json')) +
        part('[]\nError: inspecting object: no such container ghost', 125),
    });
    expect(s.network).toMatchObject({ name: 'vsa_sample_net', driver: 'bridge' });
    expect(s.containers.get('web1')).toMatchObject({ name: 'web1', health: 'starting', networks: ['vsa_sample_net'] });
    expect(s.containers.get('ghost')).toBeNull();
    const absent = parseNetworkState(p, { code: 0, stderr: '', stdout: part('[]\nError: network vsa_sample_net: unable to find network with name or ID vsa_sample_net: network not found', 125) + part('[]', 0) + part('[]', 0) });
    expect(absent.network).toBeNull();
  });

  it('a daemon that cannot be reached is a probe error, not "absent"', () => {
    const p = dockerNetwork.params.parse({ name: 'flowbiz_ext' });
    expect(() => parseNetworkState(p, { code: 0, stderr: '', stdout: part('Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?', 1) })).toThrow(
      /Cannot connect to the Docker daemon/,
    );
  });
});

describe('docker_network: decisions', () => {
  const web = JSON.stringify([{ Id: 'x', Name: '/web', State: { Status: 'running' }, NetworkSettings: { Networks: { bridge: {} } } }]);
  const cases = [
    { name: 'absent network → create and connect', stdout: part('[]\nError: network flowbiz_ext not found', 1) + part(web), expected: ['docker network create flowbiz_ext', 'docker network connect flowbiz_ext web'] },
    { name: 'present, not attached → connect', stdout: part(fixture('docker-network-inspect.json')) + part(web), expected: ['docker network connect flowbiz_ext web'] },
    { name: 'present and attached → ok', stdout: part(fixture('docker-network-inspect.json')) + part(fixture('docker-container-inspect.json')), expected: [] },
  ];
  it.each(cases)('$name', async ({ stdout, expected }) => {
    const plan = await planFrom(dockerNetwork, { name: 'flowbiz_ext', containers: ['web'] }, { stdout }, { facts: podmanFacts() });
    expect(plan.commands.map(toShell)).toEqual(expected);
  });

  it('a missing container fails before writing; absent removes or detaches', async () => {
    const missing = await planFrom(dockerNetwork, { name: 'flowbiz_ext', containers: ['web'] }, { stdout: part(fixture('docker-network-inspect.json')) + part('Error: No such container: web', 1) }, { facts: podmanFacts() });
    expect(missing.fail).toBe('no such container: web');
    const rm = await planFrom(dockerNetwork, { name: 'flowbiz_ext', state: 'absent' }, { stdout: part(fixture('docker-network-inspect.json')) }, { facts: podmanFacts() });
    expect(rm.commands.map(toShell)).toEqual(['docker network rm flowbiz_ext']);
    const detach = await planFrom(dockerNetwork, { name: 'flowbiz_ext', state: 'absent', containers: ['web'] }, { stdout: part(fixture('docker-network-inspect.json')) + part(fixture('docker-container-inspect.json')) }, { facts: podmanFacts() });
    expect(detach.commands.map(toShell)).toEqual(['docker network disconnect flowbiz_ext web']);
  });

  it('names with shell metacharacters are refused by the schema', () => {
    for (const name of ['net; rm -rf /', '$(id)', '-x', 'a b']) {
      expect(dockerNetwork.params.safeParse({ name }).success).toBe(false);
      expect(dockerNetwork.params.safeParse({ name: 'ok', containers: [name] }).success).toBe(false);
    }
  });
});

describe('docker_network: through a real shell, the engine stood in by a script', () => {
  const stubPath = (dir: string) => ({ PATH: `${dir}/bin:${process.env.PATH}` });

  // Keeps networks as files and a container's networks as lines, printing inspect JSON like Podman.
  const stub = (dir: string) => `#!/bin/sh
s=${dir}/state; mkdir -p "$s/nets"
case "$1 $2" in
  "--version ") echo "podman version 4.3.1";;
  "network inspect") [ -f "$s/nets/$3" ] || { echo '[]'; echo "Error: network $3: unable to find network with name or ID $3: network not found" >&2; exit 125; }
     printf '[{"name":"%s","id":"abc","driver":"bridge"}]\\n' "$3";;
  "network create") touch "$s/nets/$3"; echo "$3";;
  "network connect") echo "$3" >> "$s/ctr-$4";;
  "inspect --type") [ "$4" = web ] || { echo '[]'; echo "Error: no such container $4" >&2; exit 125; }
     nets=$(sed 's/.*/"&":{}/' "$s/ctr-web" 2>/dev/null | paste -sd, -)
     printf '[{"Id":"w","Name":"web","State":{"Status":"running"},"NetworkSettings":{"Networks":{%s}}}]\\n' "$nets";;
  *) echo "unexpected: $*" >&2; exit 2;;
esac
`;

  it('creates and attaches once, then is ok; check mode and diff', () =>
    withLocal(async (conn, dir) => {
      await mkdir(join(dir, 'bin'));
      await writeFile(join(dir, 'bin', 'docker'), stub(dir));
      await chmod(join(dir, 'bin', 'docker'), 0o755);
      const params = { name: 'flowbiz_ext', containers: ['web'] };

      const check = await run(dockerNetwork, params, conn, { check: true, diff: true });
      expect(check.status).toBe('changed');
      expect(check.diff).toContain('-network flowbiz_ext: absent');
      expect(check.diff).toContain('+attached: web');
      const again = await run(dockerNetwork, params, conn, { check: true });
      expect(again.status).toBe('changed');

      expect(await run(dockerNetwork, params, conn)).toMatchObject({ status: 'changed', message: 'created network flowbiz_ext; attached web' });
      expect(await run(dockerNetwork, params, conn)).toMatchObject({ status: 'ok', data: { exists: true, attached: ['web'] } });
    }, stubPath));
});
