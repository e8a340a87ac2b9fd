import { describe, expect, it } from 'vitest';
import { main } from '../../../cli/main.js';
import { captureOutput } from '../cli/capture-output.js';

const output = captureOutput();

const FIXTURES = ['--dir', 'test/fixtures/stacks', '--templates', 'test/fixtures/stacks/none'];

describe('vsa stack lint', () => {
  it('exits 0 on the shipped stacks and templates', async () => {
    expect(await main(['stack', 'lint'])).toBe(0);
    expect(output.out()).toBe('');
    expect(output.err()).toMatch(/stack\(s\), \d+ vhost file\(s\): clean/);
  });

  it('exits 1 with one file:line rule message line per finding', async () => {
    expect(await main(['stack', 'lint', 'healthcheck', 'db-port', ...FIXTURES])).toBe(1);
    expect(output.out().trim().split('\n')).toEqual([
      'test/fixtures/stacks/db-port/compose.yml:15 db-port service "db" publishes database port 5432',
      'test/fixtures/stacks/healthcheck/compose.yml:3 healthcheck service "app" has no healthcheck',
    ]);
    expect(output.err()).toMatch(/2 finding\(s\)/);
  });

  it('--json prints one object for CI', async () => {
    expect(await main(['stack', 'lint', 'readme', 'clean', '--json', ...FIXTURES])).toBe(1);
    const doc = JSON.parse(output.out()) as {
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
    expect(output.err()).toMatch(/no such stack in test\/fixtures\/stacks: nope/);
    expect(await main(['stack', 'lint', '--dir', 'no/such/dir'])).toBe(5);
    expect(output.err()).toMatch(/no stacks directory no\/such\/dir/);
  });
});
