import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { addRunOptions } from '../../../cli/commands/run.js';
import { parseRunFlags } from '../../../cli/run-flags.js';
import { parseJumps } from '../../../runner/connection/ssh/jump-spec.js';
import { shellWords, sshArgOptions, sshSettings } from '../../../runner/connection/ssh/settings.js';
import { UsageError } from '../../../runner/errors.js';
import type { InventoryHost } from '../../../runner/inventory/types.js';

const host = (vars: Record<string, unknown> = {}): InventoryHost => ({
  name: 'web1',
  address: '10.0.0.5',
  port: 2222,
  user: 'deploy',
  keyFile: '/keys/id',
  become: false,
  connection: 'ssh',
  vars,
  groups: ['all'],
});

describe('ssh argument variables', () => {
  it('split like sh', () => {
    expect(shellWords(`-o "ProxyCommand=ssh -W %h:%p bastion" -o 'A=b c' x\\ y`)).toEqual([
      '-o',
      'ProxyCommand=ssh -W %h:%p bastion',
      '-o',
      'A=b c',
      'x y',
    ]);
  });

  it('read -o forms and -J, the first value winning', () => {
    const o = sshArgOptions(['-o UserKnownHostsFile=/a -oStrictHostKeyChecking=accept-new -o UserKnownHostsFile=/b -J j1', undefined]);
    expect(Object.fromEntries(o)).toEqual({ userknownhostsfile: '/a', stricthostkeychecking: 'accept-new', proxyjump: 'j1' });
  });

  it('turn the usual ProxyCommand into a jump host', () => {
    expect(sshArgOptions(['-o ProxyCommand="ssh -W %h:%p -q -p 2200 ops@bastion"']).get('proxyjump')).toBe('ops@bastion:2200');
  });
});

describe('parseJumps', () => {
  it('parses chains, ports, users and IPv6', () => {
    expect(parseJumps('ops@b1:2200,b2,[fd00::1]:22')).toEqual([
      { user: 'ops', address: 'b1', port: 2200 },
      { address: 'b2' },
      { address: 'fd00::1', port: 22 },
    ]);
  });

  it('rejects a malformed hop', () => {
    expect(() => parseJumps('a:b:c')).toThrow(UsageError);
  });
});

describe('sshSettings', () => {
  it('take the inventory, with run-wide choices winning', () => {
    const vars = { ansible_ssh_common_args: '-o UserKnownHostsFile=/inv/kh -o StrictHostKeyChecking=yes -o ConnectTimeout=7', jump: 'b1' };
    const s = sshSettings(host(vars), {}, {});
    expect(s).toMatchObject({
      address: '10.0.0.5',
      port: 2222,
      user: 'deploy',
      identities: [{ file: '/keys/id', from: 'inventory' }],
      knownHostsFile: '/inv/kh',
      hostKeyPolicy: 'strict',
      readyTimeoutMs: 7000,
      jumps: [{ address: 'b1', port: 22, user: 'deploy', identities: [{ file: '/keys/id', from: 'inventory' }] }],
    });
    expect(sshSettings(host(vars), { hostKeyPolicy: 'accept-new', knownHostsFile: '/cli/kh' }, {})).toMatchObject({
      hostKeyPolicy: 'accept-new',
      knownHostsFile: '/cli/kh',
    });
  });

  it('never turn off host key checking: StrictHostKeyChecking=no becomes accept-new', () => {
    expect(sshSettings(host({ ansible_ssh_common_args: '-o StrictHostKeyChecking=no' }), {}, {}).hostKeyPolicy).toBe('accept-new');
  });

  it('default to VSA_KNOWN_HOSTS, then ~/.ssh/known_hosts', () => {
    expect(sshSettings(host(), {}, { VSA_KNOWN_HOSTS: '/env/kh' }).knownHostsFile).toBe('/env/kh');
    expect(sshSettings(host(), {}, {}).knownHostsFile).toMatch(/\/\.ssh\/known_hosts$/);
  });
});

describe('the host key policy', () => {
  /** The run-wide choice exactly as `vsa run ARGV` passes it to the connector. */
  const cli = (argv: string[]) =>
    parseRunFlags(addRunOptions(new Command('run')).parse(argv, { from: 'user' }).opts(), { verbose: false }).hostKey;
  const policy = (argv: string[], vars: Record<string, unknown>) =>
    sshSettings(host(vars), { hostKeyPolicy: cli(argv) }, {}).hostKeyPolicy;
  const acceptNew = { ansible_ssh_common_args: '-o StrictHostKeyChecking=accept-new' };

  it.each([
    ['ansible_ssh_common_args', acceptNew],
    ['ansible_ssh_extra_args', { ansible_ssh_extra_args: '-o StrictHostKeyChecking=accept-new' }],
    ['ansible_host_key_checking', { ansible_host_key_checking: false }],
  ])("is the inventory's (%s) when --host-key is not given", (_, vars) => {
    expect(policy([], vars)).toBe('accept-new');
  });

  it('is --host-key when given, over the inventory', () => {
    expect(policy(['--host-key', 'strict'], acceptNew)).toBe('strict');
    expect(
      policy(['--host-key', 'accept-new'], { ansible_ssh_common_args: '-o StrictHostKeyChecking=yes' }),
    ).toBe('accept-new');
  });

  it('is strict when neither says anything', () => {
    expect(policy([], {})).toBe('strict');
    expect(policy([], { ansible_host_key_checking: true })).toBe('strict');
  });
});

describe('ssh durations from the inventory', () => {
  it.each([
    [
      'ConnectTimeout',
      { ansible_ssh_common_args: '-o ConnectTimeout=99999999999' },
      'from 1 to 3600 (seconds)',
    ],
    ['ansible_ssh_timeout', { ansible_ssh_timeout: 99999999999 }, 'from 1 to 3600 (seconds)'],
    [
      'ServerAliveInterval',
      { ansible_ssh_extra_args: '-o ServerAliveInterval=99999999999' },
      'from 1 to 3600 (seconds)',
    ],
    [
      'ServerAliveCountMax',
      { ansible_ssh_extra_args: '-o ServerAliveCountMax=99999999999' },
      'from 1 to 1000',
    ],
  ])('refuse a %s past what a timer holds (exit 5 naming host and setting)', (name, vars, range) => {
    expect(() => sshSettings(host(vars), {}, {})).toThrow(
      new UsageError(`web1: ${name} must be ${range}, got 99999999999`),
    );
  });

  it('keep ssh defaults for zero or junk, as ssh does', () => {
    const s = sshSettings(
      host({ ansible_ssh_common_args: '-o ConnectTimeout=0 -o ServerAliveInterval=x' }),
      {},
      {},
    );
    expect(s).toMatchObject({ readyTimeoutMs: 15_000, keepaliveIntervalMs: 15_000, keepaliveCountMax: 3 });
  });
});
