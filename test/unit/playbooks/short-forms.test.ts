import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';

const calls: Array<{
  ref: string;
  flags: Record<string, unknown>;
  preset: Record<string, unknown>;
  inventoryText?: string;
}> = [];
vi.mock('../../../cli/run-session.js', () => ({
  runPlaybookCommand: async (
    ref: string,
    flags: Record<string, unknown>,
    preset: Record<string, unknown>,
  ) => {
    const { readFileSync: read } = await import('node:fs');
    calls.push({
      ref,
      flags,
      preset,
      inventoryText: ref === 'stack-new' ? read((flags.inventory as string[])[0]!, 'utf8') : undefined,
    });
    return 0;
  },
}));

const { main } = await import('../../../cli/main.js');

const dir = mkdtempSync(join(tmpdir(), 'vsa-short-'));
const inv = join(dir, 'hosts.yml');
writeFileSync(inv, 'all:\n  hosts:\n    web01: {}\n');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

beforeEach(() => {
  calls.length = 0;
  delete process.env.VSA_AUTH_PASSWORD;
});

const last = () => calls.at(-1)!;

describe('short forms map flags to playbook params', () => {
  it('site provision with the run flags', async () => {
    const code = await main([
      'site',
      'provision',
      '-i',
      inv,
      '--domain',
      'shop.example.com',
      '--container',
      'shop',
      '--port',
      '3000',
      '--no-www',
      '--check',
      '--limit',
      'web01',
    ]);
    expect(code).toBe(0);
    expect(last()).toMatchObject({
      ref: 'provision-site',
      flags: { inventory: [inv], check: true, limit: 'web01' },
      preset: { domain: 'shop.example.com', container: 'shop', port: '3000', noWww: true },
    });
    expect(last().preset).not.toHaveProperty('detect');
  });

  it('site provision --detect --external-port, site unprovision --remove-cert', async () => {
    await main([
      'site',
      'provision',
      '--domain',
      'a.example.com',
      '--container',
      'a',
      '--port',
      '80',
      '--detect',
      '--external-port',
      '8090',
    ]);
    expect(last().preset).toEqual({
      domain: 'a.example.com',
      container: 'a',
      port: '80',
      detect: true,
      externalPort: '8090',
    });
    await main(['site', 'unprovision', '--domain', 'a.example.com', '--remove-cert', '--json']);
    expect(last()).toMatchObject({
      ref: 'unprovision-site',
      flags: { json: true },
      preset: { domain: 'a.example.com', removeCert: true },
    });
  });

  it('cert renew/status, vhost sync, stack up, bootstrap', async () => {
    await main(['cert', 'renew', '--force', '--domain', 'a.example.com']);
    expect(last()).toMatchObject({ ref: 'renew-certs', preset: { force: true, domain: 'a.example.com' } });
    await main(['cert', 'status']);
    expect(last()).toMatchObject({ ref: 'cert-status', preset: {} });
    await main(['vhost', 'sync', '--diff']);
    expect(last()).toMatchObject({ ref: 'vhost-sync', flags: { diff: true } });
    await main(['stack', 'up', 'demo', '--tenant', 'acme']);
    expect(last()).toMatchObject({
      ref: 'stack-up',
      preset: { name: 'demo', tenant: 'acme', dir: 'stacks' },
    });
    await main(['bootstrap', '--no-packages']);
    expect(last()).toMatchObject({ ref: 'bootstrap', preset: { packages: false } });
  });

  it('stack new runs on a one-host local inventory of this machine', async () => {
    await main(['stack', 'new', 'demo', '--image', 'localhost/web', '--port', '8080', '-i', inv]);
    expect(last()).toMatchObject({
      ref: 'stack-new',
      preset: { name: 'demo', image: 'localhost/web', port: '8080', dir: 'stacks' },
    });
    expect(last().flags.inventory).not.toEqual([inv]);
    expect(last().inventoryText).toContain('ansible_connection: local');
  });

  it('cert install-cron resolves the inventory and data dir to absolute paths', async () => {
    process.env.VSA_HOME = join(dir, 'home');
    try {
      await main(['cert', 'install-cron', '-i', inv, '--hour', '4']);
    } finally {
      delete process.env.VSA_HOME;
    }
    expect(last()).toMatchObject({
      ref: 'install-renew-cron',
      preset: { inventory: inv, home: join(dir, 'home'), hour: '4', minute: '17' },
    });
    expect(await main(['cert', 'install-cron', '-i', join(dir, 'missing.yml')])).toBe(5);
  });

  it('status install-cron resolves the inventory and data dir, every 15 minutes unless told', async () => {
    process.env.VSA_HOME = join(dir, 'home');
    try {
      await main(['status', 'install-cron', '-i', inv]);
    } finally {
      delete process.env.VSA_HOME;
    }
    expect(last()).toMatchObject({
      ref: 'install-status-cron',
      preset: { inventory: inv, home: join(dir, 'home'), hour: '*', minute: '*/15' },
    });
    expect(await main(['status', 'install-cron', '-i', inv, '-i', inv])).toBe(5);
  });
});

describe('auth add takes the password from a file or the environment, never argv', () => {
  it('from VSA_AUTH_PASSWORD', async () => {
    process.env.VSA_AUTH_PASSWORD = 'from-env';
    await main(['auth', 'add', '--domain', 'a.example.com', '--user', 'alice']);
    expect(last()).toMatchObject({
      ref: 'add-auth',
      preset: { domain: 'a.example.com', user: 'alice', password: 'from-env' },
    });
  });

  it('from the first line of --password-file', async () => {
    const f = join(dir, 'pw');
    writeFileSync(f, 'from-file\nignored\n');
    await main(['auth', 'add', '--domain', 'a.example.com', '--user', 'bob', '--password-file', f]);
    expect(last().preset.password).toBe('from-file');
  });

  it('refuses a --password option and a missing password off a terminal (exit 5, nothing run)', async () => {
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      expect(
        await main(['auth', 'add', '--domain', 'a.example.com', '--user', 'x', '--password', 'pw']),
      ).toBe(5);
      const isTTY = process.stdin.isTTY;
      process.stdin.isTTY = false;
      try {
        expect(await main(['auth', 'add', '--domain', 'a.example.com', '--user', 'x'])).toBe(5);
      } finally {
        process.stdin.isTTY = isTTY;
      }
      expect(String(err.mock.calls.at(-1)?.[0])).toMatch(/--password-file FILE or VSA_AUTH_PASSWORD/);
    } finally {
      err.mockRestore();
    }
    expect(calls).toEqual([]);
  });

  it('auth remove with and without a user', async () => {
    await main(['auth', 'remove', '--domain', 'a.example.com']);
    expect(last()).toMatchObject({ ref: 'remove-auth', preset: { domain: 'a.example.com' } });
    await main(['auth', 'remove', '--domain', 'a.example.com', '--user', 'alice']);
    expect(last().preset).toEqual({ domain: 'a.example.com', user: 'alice' });
  });
});

it('every short form has examples in its help', async () => {
  const out = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  try {
    for (const cmd of [
      ['site', 'provision'],
      ['site', 'unprovision'],
      ['auth', 'add'],
      ['auth', 'remove'],
      ['cert', 'renew'],
      ['cert', 'status'],
      ['cert', 'install-cron'],
      ['vhost', 'sync'],
      ['stack', 'new'],
      ['stack', 'up'],
      ['bootstrap'],
    ]) {
      out.mockClear();
      expect(await main([...cmd, '--help'])).toBe(0);
      const text = out.mock.calls.map((c) => String(c[0])).join('');
      expect(text, cmd.join(' ')).toMatch(/Examples:\n {2}vsa /);
      expect(text).toContain('--inventory');
    }
  } finally {
    out.mockRestore();
  }
});
