import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseRunFlags } from '../../../cli/run-flags.js';
import { main } from '../../../cli/main.js';
import { Cli } from '../../../cli/program.js';
import { UsageError } from '../../../runner/errors.js';
import { captureOutput } from './capture-output.js';

const output = captureOutput();
const stackLines = () => output.err().split('\n').filter((l) => /^\s+at /.test(l));

describe('the context the CLI passes to each action', () => {
  const saved = process.env['VSA_HOME'];
  beforeAll(() => {
    process.env['VSA_HOME'] = mkdtempSync(join(tmpdir(), 'vsa-context-'));
  });
  afterAll(() => {
    if (saved === undefined) delete process.env['VSA_HOME'];
    else process.env['VSA_HOME'] = saved;
  });

  it.each([
    [['--verbose', 'run', 'no-such-playbook']],
    [['run', 'no-such-playbook', '--verbose']],
    [['history', 'show', 'f00d', '--verbose']],
    [['history', '--verbose', 'show', 'f00d']],
    [['run', 'no-such-playbook', '-v']],
  ])('%j: --verbose (-v) anywhere on the line shows the stack of the error', async (argv) => {
    expect(await main(argv)).toBe(5);
    expect(stackLines().length).toBeGreaterThan(0);
  });

  it('each run of main has its own context: --verbose does not outlive the line it was on', async () => {
    expect(await main(['run', 'no-such-playbook', '--verbose'])).toBe(5);
    expect(await main(['history', 'show', 'f00d'])).toBe(5);
    const lines = output.err().trim().split('\n');
    expect(lines.at(-1)).toMatch(/^vsa: no run with id "f00d"/);
    expect(lines.filter((l) => l.startsWith('vsa: '))).toHaveLength(2);
  });

  it("an action's returned exit code is the CLI's", async () => {
    const cli = new Cli();
    const program = new Command('t').exitOverride();
    program.command('three').action(cli.action(() => 3));
    await program.parseAsync(['three'], { from: 'user' });
    expect(cli.exitCode).toBe(3);
  });
});

describe('run flags', () => {
  it('defaults what commander leaves unset', () => {
    expect(parseRunFlags({}, { verbose: true }, {})).toEqual({
      extraVars: [],
      askBecomePass: false,
      inventory: [],
      strict: false,
      check: false,
      diff: false,
      tags: [],
      skipTags: [],
      listHosts: false,
      listTasks: false,
      listTags: false,
      syntaxCheck: false,
      json: false,
      color: true,
      verbose: true,
      maxHandshakes: 20,
      vaultId: [],
      vaultPasswordFile: [],
      askVaultPass: false,
    });
  });

  it('is strict by default in CI, unless --no-strict', () => {
    expect(parseRunFlags({}, { verbose: false }, { CI: 'true' }).strict).toBe(true);
    expect(parseRunFlags({ strict: false }, { verbose: false }, { CI: 'true' }).strict).toBe(false);
    expect(parseRunFlags({ strict: true }, { verbose: false }, {}).strict).toBe(true);
  });

  it.each([
    [true, 300],
    [7, 7],
    [undefined, undefined],
  ])('--wait-lock %s waits %s seconds', (waitLock, seconds) => {
    expect(parseRunFlags({ waitLock }, { verbose: false }).waitLock).toBe(seconds);
  });

  it('a bad --host-key is exit 5 naming the value', async () => {
    expect(() => parseRunFlags({ hostKey: 'maybe' }, { verbose: false })).toThrow(UsageError);
    expect(await main(['run', 'demo', '--host-key', 'maybe'])).toBe(5);
    expect(output.err()).toMatch(/^vsa: --host-key must be strict or accept-new, got "maybe"/);
  });
});
