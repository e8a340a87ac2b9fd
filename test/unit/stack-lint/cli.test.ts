import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../../runner/cli/main.js';

let out = '';
let err = '';
beforeEach(() => {
  out = '';
  err = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((s) => ((out += String(s)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((s) => ((err += String(s)), true));
});
afterEach(() => vi.restoreAllMocks());

const FIXTURES = ['--dir', 'test/fixtures/stacks', '--templates', 'test/fixtures/stacks/none'];

describe('vsa stack lint', () => {
  it('exits 0 on the shipped stacks and templates', async () => {
    expect(await main(['stack', 'lint'])).toBe(0);
    expect(out).toBe('');
    expect(err).toMatch(/stack\(s\), \d+ vhost file\(s\): clean/);
  });

  it('exits 1 with one file:line rule message line per finding', async () => {
    expect(await main(['stack', 'lint', 'healthcheck', 'db-port', ...FIXTURES])).toBe(1);
    expect(out.trim().split('\n')).toEqual([
      'test/fixtures/stacks/db-port/compose.yml:15 db-port service "db" publishes database port 5432',
      'test/fixtures/stacks/healthcheck/compose.yml:3 healthcheck service "app" has no healthcheck',
    ]);
    expect(err).toMatch(/2 finding\(s\)/);
  });

  it('--json prints one object for CI', async () => {
    expect(await main(['stack', 'lint', 'readme', 'clean', '--json', ...FIXTURES])).toBe(1);
    const doc = JSON.parse(out) as {
      ok: boolean;
      stacks: string[];
      findings: { rule: string; line: number }[];
    };
    expect(doc.ok).toBe(false);
    expect(doc.stacks).toEqual(['readme', 'clean']);
    expect(doc.findings).toEqual([expect.objectContaining({ rule: 'readme', line: 1 })]);
  });

  it('exits 5 naming an unknown stack or a missing directory', async () => {
    expect(await main(['stack', 'lint', 'nope', ...FIXTURES])).toBe(5);
    expect(err).toMatch(/no such stack in test\/fixtures\/stacks: nope/);
    expect(await main(['stack', 'lint', '--dir', 'no/such/dir'])).toBe(5);
    expect(err).toMatch(/no stacks directory no\/such\/dir/);
  });
});
