import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../../cli/main.js';
import { createContext, openDashboardStore } from '../../../dashboard/server/index.js';

let home: string;
let out: string[];
beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'vsa-dashboard-cli-'));
  vi.stubEnv('VSA_HOME', home);
  out = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((s) => (out.push(String(s)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((s) => (out.push(String(s)), true));
});
afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
  rmSync(home, { recursive: true, force: true });
});

const accounts = () => createContext(openDashboardStore(home));

describe('vsa dashboard user / token', () => {
  it('adds a user from a password file, and one from VSA_DASHBOARD_PASSWORD', async () => {
    const file = join(home, 'pw');
    writeFileSync(file, 'from a file 123\nignored\n');
    expect(await main(['dashboard', 'user', 'add', 'alice', '--password-file', file])).toBe(0);
    vi.stubEnv('VSA_DASHBOARD_PASSWORD', 'from the env 456');
    expect(await main(['dashboard', 'user', 'add', 'bob'])).toBe(0);
    const ctx = accounts();
    try {
      expect(await ctx.users.verify('alice', 'from a file 123')).toMatchObject({ name: 'alice' });
      expect(await ctx.users.verify('bob', 'from the env 456')).toMatchObject({ name: 'bob' });
      expect(await ctx.users.verify('bob', 'from a file 123')).toBeUndefined();
    } finally {
      ctx.store.close();
    }
  });

  it('gives a new user the viewer role unless --role says otherwise, and changes roles', async () => {
    vi.stubEnv('VSA_DASHBOARD_PASSWORD', 'long enough password');
    expect(await main(['dashboard', 'user', 'add', 'vera'])).toBe(0);
    expect(await main(['dashboard', 'user', 'add', 'otto', '--role', 'operator'])).toBe(0);
    expect(await main(['dashboard', 'user', 'add', 'eve', '--role', 'root'])).toBe(5);
    expect(await main(['dashboard', 'user', 'role', 'vera', 'admin'])).toBe(0);
    expect(await main(['dashboard', 'user', 'role', 'nobody', 'admin'])).toBe(5);
    // A new password keeps the role.
    expect(await main(['dashboard', 'user', 'add', 'otto'])).toBe(0);
    out = [];
    expect(await main(['dashboard', 'user', 'list'])).toBe(0);
    expect(out.join('')).toBe('otto\toperator\nvera\tadmin\n');
  });

  it('refuses a short password and a name with odd characters', async () => {
    vi.stubEnv('VSA_DASHBOARD_PASSWORD', 'short');
    expect(await main(['dashboard', 'user', 'add', 'carol'])).toBe(5);
    vi.stubEnv('VSA_DASHBOARD_PASSWORD', 'long enough password');
    expect(await main(['dashboard', 'user', 'add', 'bad name'])).toBe(5);
  });

  it('prints a new token once, lists it without its value, and revokes it', async () => {
    expect(await main(['dashboard', 'token', 'create', '--scope', 'ingest', '--name', 'ci', '--hosts', 'web*,db1'])).toBe(0);
    const token = out.join('').match(/vsa_[\w-]{43}/)![0];
    const ctx = accounts();
    try {
      expect(ctx.tokens.verify(token)).toMatchObject({ name: 'ci', scope: 'ingest', hosts: ['web*', 'db1'] });
      out = [];
      expect(await main(['dashboard', 'token', 'list'])).toBe(0);
      expect(out.join('')).toMatch(/^1\tci\tingest, hosts web\*,db1\tactive/);
      expect(out.join('')).not.toContain(token);
      expect(await main(['dashboard', 'token', 'revoke', 'ci'])).toBe(0);
      expect(ctx.tokens.verify(token)).toBeUndefined();
      expect(await main(['dashboard', 'token', 'revoke', 'ci'])).toBe(5);
      expect(await main(['dashboard', 'token', 'create', '--scope', 'admin'])).toBe(5);
    } finally {
      ctx.store.close();
    }
  });

  it('makes an ingest token name its hosts: an inventory, patterns or explicitly any host; a read token names none', async () => {
    const inventory = join(home, 'staging.yml');
    writeFileSync(inventory, 'all:\n  children:\n    web:\n      hosts:\n        stage-web1:\n        stage-web2:\n  hosts:\n    stage-db:\n');
    expect(await main(['dashboard', 'token', 'create', '--scope', 'ingest', '--name', 'none'])).toBe(5);
    expect(out.join('')).toContain('an ingest token names the hosts it may report on: give one of --hosts-from INVENTORY, --hosts PATTERNS or --any-host');
    expect(await main(['dashboard', 'token', 'create', '--scope', 'ingest', '--name', 'two', '--any-host', '--hosts', 'a'])).toBe(5);
    expect(await main(['dashboard', 'token', 'create', '--scope', 'read', '--name', 'r', '--hosts', 'a'])).toBe(5);
    expect(await main(['dashboard', 'token', 'create', '--scope', 'ingest', '--name', 'bad', '--hosts', '~web('])).toBe(5);
    expect(await main(['dashboard', 'token', 'create', '--scope', 'ingest', '--name', 'staging', '--hosts-from', inventory])).toBe(0);
    expect(await main(['dashboard', 'token', 'create', '--scope', 'ingest', '--name', 'hub', '--any-host'])).toBe(0);
    const ctx = accounts();
    try {
      expect(ctx.tokens.list().map((t) => [t.name, t.hosts])).toEqual([
        ['staging', ['stage-db', 'stage-web1', 'stage-web2']],
        ['hub', null],
      ]);
      expect(ctx.store.audit.list({ action: 'dashboard:token-create' }).map((e) => e.details)).toEqual([
        expect.objectContaining({ scope: 'ingest', hosts: 'any' }),
        expect.objectContaining({ scope: 'ingest', hosts: ['stage-db', 'stage-web1', 'stage-web2'] }),
      ]);
    } finally {
      ctx.store.close();
    }
  });
});
