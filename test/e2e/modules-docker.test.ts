import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dockerCompose } from '../../modules/docker-compose.js';
import { dockerNetwork } from '../../modules/docker-network.js';
import { EXT_NETWORK, WEB_CONTAINER } from '../lab/plugins/podman.js';
import { startModulesLab, type ModulesLab } from './modules-lab.js';

const FIXTURE = new URL('../lab/images/compose-demo/compose.yml', import.meta.url);
const PROJECT_DIR = '/srv/demo';

let t: ModulesLab;

beforeAll(async () => {
  t = await startModulesLab(2, { only: ['podman'] });
  const compose = await readFile(FIXTURE, 'utf8');
  for (const h of ['h01', 'h02']) {
    await t.sh(h, `mkdir -p ${PROJECT_DIR}`);
    await t.put(h, `${PROJECT_DIR}/compose.yml`, compose);
  }
});

afterAll(async () => {
  await t?.close();
});

const networksOf = async (host: string, container: string) =>
  (
    await t.sh(
      host,
      `docker inspect --format '{{range $k, $v := .NetworkSettings.Networks}}{{$k}} {{end}}' ${container}`,
    )
  ).stdout
    .trim()
    .split(/\s+/)
    .sort();

describe('docker_network on Podman lab hosts', () => {
  it('leaves web on flowbiz_ext alone: the lab already attached it', async () => {
    const r = await t.run('h01', dockerNetwork, { name: EXT_NETWORK, containers: [WEB_CONTAINER] });
    expect(r.status).toBe('ok');
  });

  it('creates a network and attaches web once, then reports ok', async () => {
    const params = { name: 'e2e_net', containers: [WEB_CONTAINER] };
    const first = await t.run('h01', dockerNetwork, params);
    expect(first.status, first.message).toBe('changed');
    expect(await networksOf('h01', WEB_CONTAINER)).toEqual(['e2e_net', EXT_NETWORK]);
    const second = await t.run('h01', dockerNetwork, params);
    expect(second.status, second.message).toBe('ok');
  });

  it('in check mode reports changed and creates nothing', async () => {
    const r = await t.run(
      'h02',
      dockerNetwork,
      { name: 'e2e_net', containers: [WEB_CONTAINER] },
      { check: true },
    );
    expect(r.status).toBe('changed');
    expect((await t.sh('h02', 'docker network exists e2e_net')).code).not.toBe(0);
    expect(await networksOf('h02', WEB_CONTAINER)).toEqual([EXT_NETWORK]);
  });
});

describe('docker_compose on Podman lab hosts (podman-compose)', () => {
  const params = { action: 'up', projectDir: PROJECT_DIR, timeout: 60 };

  it('in check mode reports changed and starts nothing', async () => {
    const r = await t.run('h02', dockerCompose, params, { check: true });
    expect(r.status).toBe('changed');
    expect(
      (await t.sh('h02', 'docker ps -aq --filter label=com.docker.compose.project=demo')).stdout.trim(),
    ).toBe('');
  });

  it('brings the 2-service project up healthy, then reports ok', async () => {
    const first = await t.run('h01', dockerCompose, params);
    expect(first.status, first.message).toBe('changed');
    const containers = first.data?.containers as { service: string; state: string; health?: string }[];
    expect(containers.map((c) => [c.service, c.state, c.health]).sort()).toEqual([
      ['api', 'running', 'healthy'],
      ['worker', 'running', 'healthy'],
    ]);
    // api is on the shared network too: the web container reaches it by name.
    const viaExt = await t.sh('h01', `docker exec ${WEB_CONTAINER} wget -q -O- http://demo_api_1:8080/`);
    expect(viaExt.stdout).toContain('web demo-api');

    const second = await t.run('h01', dockerCompose, params);
    expect(second.status, second.message).toBe('ok');
  });

  it('takes the project down', async () => {
    const down = await t.run('h01', dockerCompose, { ...params, action: 'down' });
    expect(down.status, down.message).toBe('changed');
    expect(
      (await t.sh('h01', 'docker ps -aq --filter label=com.docker.compose.project=demo')).stdout.trim(),
    ).toBe('');
    expect((await t.run('h01', dockerCompose, { ...params, action: 'down' })).status).toBe('ok');
  });
});
