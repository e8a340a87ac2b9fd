import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../../cli/main.js';
import { openStore } from '../../../runner/store/index.js';
import { captureOutput } from './capture-output.js';

const output = captureOutput();
const DAY = 86_400_000;

describe('vsa status', () => {
  let dir: string;
  const saved = process.env.VSA_HOME;
  const collected = new Date(Date.now() - 2 * 3_600_000).toISOString();
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'vsa-status-'));
    process.env.VSA_HOME = dir;
    const store = openStore(dir);
    const cert = (name: string, days: number) => ({ name, issuer: 'CN=R3', notAfter: new Date(Date.now() + days * DAY + 3_600_000).toISOString(), sans: [name] });
    store.hostState.saveHostState(
      'web1',
      {
        containers: [
          { name: 'shop', image: 'web', state: 'running', status: 'Up', health: 'healthy' },
          { name: 'blog', image: 'web', state: 'exited', status: 'Exited (1)' },
          { name: 'api', image: 'api', state: 'running', status: 'Up (unhealthy)', health: 'unhealthy' },
        ],
        certificates: [cert('shop.example.com', 12), cert('blog.example.com', 80), cert('old.example.com', 3)],
        disk: [
          { filesystem: '/dev/vda1', mount: '/', sizeKb: 100, usedKb: 40, availKb: 60, usePercent: 40 },
          { filesystem: '/dev/vdb1', mount: '/srv', sizeKb: 100, usedKb: 91, availKb: 9, usePercent: 91 },
        ],
        load: { one: 1.5, five: 0.75, fifteen: 0.5 },
      },
      collected,
    );
    store.hostState.saveHostState('web2', { containers: [], certificates: [] }, collected);
    store.close();
  });
  afterAll(() => {
    process.env.VSA_HOME = saved;
    rmSync(dir, { recursive: true, force: true });
  });

  it('prints a line a host: containers up, certificates expiring soonest first, fullest disk, load, and the age of the figures', async () => {
    expect(await main(['status'])).toBe(0);
    const [head, web1, web2] = output.out().trimEnd().split('\n');
    expect(head).toMatch(/^HOST\s+LAST RUN\s+COLLECTED \(UTC\)\s+UP\s+CERTS < 30D\s+DISK\s+LOAD$/);
    expect(web1).toMatch(/^web1\s+unknown\s+\S+ \S+ \(2h ago\)\s+1\/3\s+old\.example\.com 3d, shop\.example\.com 12d\s+91% \/srv\s+1\.5 0\.75 0\.5$/);
    expect(web2).toMatch(/^web2\s+unknown\s+.*\(2h ago\)\s+0\/0\s+none\s+-\s+-$/);
  });

  it('narrows to one host, as JSON with its containers and certificates', async () => {
    expect(await main(['status', '--host', 'web1', '--json'])).toBe(0);
    const lines = output.out().trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    const h = JSON.parse(lines[0]!);
    expect(h).toMatchObject({ host: 'web1', collectedAt: collected, disk: { mount: '/srv', usePercent: 91 }, load: { one: 1.5 } });
    expect(h.containers.map((c: { name: string }) => c.name)).toEqual(['shop', 'blog', 'api']);
    expect(h.certificates).toHaveLength(3);
  });

  it('refuses a host the store does not know, naming those it does (exit 5)', async () => {
    expect(await main(['status', '--host', 'nosuch'])).toBe(5);
    expect(output.err()).toContain('--host: no host nosuch in the run store (hosts: web1, web2)');
  });
});
