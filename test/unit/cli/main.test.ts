import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../../cli/main.js';
import { captureOutput } from './capture-output.js';

const output = captureOutput();

const dir = mkdtempSync(join(tmpdir(), 'vsa-cli-'));
const inv = join(dir, 'hosts.yml');
writeFileSync(inv, 'all:\n  hosts:\n    web01: { ansible_host: 198.18.0.11 }\n');

describe('vsa CLI', () => {
  it('--help teaches: lists the commands and exits 0', async () => {
    expect(await main(['--help'])).toBe(0);
    expect(output.out()).toMatch(/run \[options\] <playbook>/);
    expect(output.out()).toMatch(/playbooks/);
  });

  it('run --help shows examples and exit codes', async () => {
    expect(await main(['run', '--help'])).toBe(0);
    expect(output.out()).toMatch(/Examples:/);
    expect(output.out()).toMatch(/130 interrupted/);
  });

  it('an unknown playbook is exit 5 with one line naming it', async () => {
    expect(await main(['run', 'no-such-playbook', '-i', inv])).toBe(5);
    expect(output.err()).toMatch(/^vsa: unknown playbook "no-such-playbook"/);
    expect(output.err().trim().split('\n')).toHaveLength(1);
  });

  it('a missing playbook file is exit 5', async () => {
    expect(await main(['run', './nope/missing.ts', '-i', inv])).toBe(5);
    expect(output.err()).toMatch(/playbook file not found: .\/nope\/missing.ts/);
  });

  it('an unknown option is exit 5', async () => {
    expect(await main(['run', 'x', '--frobnicate'])).toBe(5);
    expect(output.err()).toMatch(/unknown option '--frobnicate'/);
  });

  it.each([
    ['run x', '--forks', 'many', 'from 1 to 1000'],
    ['run x', '--forks', '0', 'from 1 to 1000'],
    ['run x', '--max-handshakes', '1001', 'from 1 to 1000'],
    ['run x', '--wait-lock', '2.5', 'from 1 to 86400 (seconds)'],
    ['run x', '--wait-lock', '99999999999', 'from 1 to 86400 (seconds)'],
    ['run x', '--connect-timeout', '99999999999', 'from 1 to 3600 (seconds)'],
    ['history', '--limit', '100001', 'from 1 to 100000'],
    ['audit', '--limit', '1e9', 'from 1 to 100000'],
    ['history prune', '--keep-days', '99999999999', 'from 1 to 36500'],
  ])('%s %s %s is exit 5 naming the option and its range', async (command, flag, value, range) => {
    expect(await main([...command.split(' '), flag, value])).toBe(5);
    expect(output.err()).toBe(`vsa: ${flag} must be a whole number ${range}, got "${value}"\n`);
  });
});
