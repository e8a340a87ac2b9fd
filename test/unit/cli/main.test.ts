import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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

const dir = mkdtempSync(join(tmpdir(), 'vsa-cli-'));
const inv = join(dir, 'hosts.yml');
writeFileSync(inv, 'all:\n  hosts:\n    web01: { ansible_host: 198.18.0.11 }\n');

describe('vsa CLI', () => {
  it('--help teaches: lists the commands and exits 0', async () => {
    expect(await main(['--help'])).toBe(0);
    expect(out).toMatch(/run \[options\] <playbook>/);
    expect(out).toMatch(/playbooks/);
  });

  it('run --help shows examples and exit codes', async () => {
    expect(await main(['run', '--help'])).toBe(0);
    expect(out).toMatch(/Examples:/);
    expect(out).toMatch(/130 interrupted/);
  });

  it('an unknown playbook is exit 5 with one line naming it', async () => {
    expect(await main(['run', 'no-such-playbook', '-i', inv])).toBe(5);
    expect(err).toMatch(/^vsa: unknown playbook "no-such-playbook"/);
    expect(err.trim().split('\n')).toHaveLength(1);
  });

  it('a missing playbook file is exit 5', async () => {
    expect(await main(['run', './nope/missing.ts', '-i', inv])).toBe(5);
    expect(err).toMatch(/playbook file not found: .\/nope\/missing.ts/);
  });

  it('an unknown option is exit 5', async () => {
    expect(await main(['run', 'x', '--frobnicate'])).toBe(5);
    expect(err).toMatch(/unknown option '--frobnicate'/);
  });

  it('a bad --forks value is exit 5 naming the option', async () => {
    expect(await main(['run', 'x', '--forks', 'many'])).toBe(5);
    expect(err).toMatch(/--forks must be a positive whole number/);
  });
});
