import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../../cli/main.js';
import { captureOutput } from './capture-output.js';

const PLAYBOOK = 'test/fixtures/run-controls/tagged.ts';
const FAIL_SOME = 'test/fixtures/run-controls/fail-some.ts';
const INVENTORY = 'test/fixtures/run-controls/inventory.yml';
const output = captureOutput();

/** A data dir (VSA_HOME) of the describe block's own, removed after it. */
function useDataDir(prefix: string): { dir: string } {
  const data = { dir: '' };
  const saved = process.env.VSA_HOME;
  beforeAll(() => {
    data.dir = mkdtempSync(join(tmpdir(), prefix));
    process.env.VSA_HOME = data.dir;
  });
  afterAll(() => {
    process.env.VSA_HOME = saved;
    rmSync(data.dir, { recursive: true, force: true });
  });
  return data;
}

/** Ansible's run controls that print the play, or check it, without running anything. */
describe('run controls that print instead of running', () => {
  const data = useDataDir('vsa-controls-');
  const home = () => data.dir;
  const run = (...args: string[]) => main(['run', PLAYBOOK, '-i', INVENTORY, '-e', `root=${home()}/made`, ...args]);

  it('--list-hosts prints the hosts of the play, --limit applied', async () => {
    expect(await run('--list-hosts', '--limit', '!web2')).toBe(0);
    expect(output.out()).toBe(
      `playbook: ${join(process.cwd(), PLAYBOOK)}\n\n  play #1 (web): tagged\n    pattern: web\n    hosts (1):\n      web1\n`,
    );
  });

  it('--list-tasks prints the tasks --tags leaves, with their tags; --list-tags their tags', async () => {
    expect(await run('--list-tasks', '--list-tags', '--tags', 'setup')).toBe(0);
    expect(output.out()).toBe(
      [
        `playbook: ${join(process.cwd(), PLAYBOOK)}`,
        '',
        '  play #1 (web): tagged',
        '    tasks:',
        '      make root\tTAGS: [setup]',
        '      say hello\tTAGS: [talk, setup]',
        '    TASK TAGS: [setup, talk]',
        '',
      ].join('\n'),
    );
  });

  it('--syntax-check builds the play and stops; bad params are still exit 5', async () => {
    expect(await run('--syntax-check')).toBe(0);
    expect(output.out()).toBe(`playbook: ${join(process.cwd(), PLAYBOOK)}\n`);
    expect(await main(['run', PLAYBOOK, '--syntax-check'])).toBe(5);
    expect(output.err()).toContain('root');
  });

  it('nothing ran: no run in the history, nothing made', async () => {
    const { existsSync } = await import('node:fs');
    expect(existsSync(`${home()}/made`)).toBe(false);
    expect(await main(['history'])).toBe(0);
    expect(output.out().trim()).toBe('no runs recorded');
  });
});

describe('--limit @FILE and @failed:RUN', () => {
  const data = useDataDir('vsa-limit-');
  const home = () => data.dir;
  const hostsListed = () => output.out().split('\n').filter((l) => /^ {6}\S/.test(l)).map((l) => l.trim());

  it('@FILE limits to the names in the file, one a line, # comments ignored', async () => {
    const file = join(home(), 'retry');
    writeFileSync(file, '# from the last run\nweb2\n\ndb1  # this one too\n');
    expect(await main(['run', FAIL_SOME, '-i', INVENTORY, '--limit', `@${file}`, '--list-hosts'])).toBe(0);
    expect(hostsListed()).toEqual(['web2', 'db1']);
    expect(await main(['run', FAIL_SOME, '-i', INVENTORY, '--limit', `@${home()}/none`, '--list-hosts'])).toBe(5);
    expect(output.err()).toContain(`--limit @${home()}/none: cannot read it (ENOENT)`);
  });

  it('@failed:RUN limits to the hosts that failed in that run (a prefix of its id will do)', async () => {
    expect(await main(['run', FAIL_SOME, '-i', INVENTORY, '-e', 'fail=web2,db1', '--json'])).toBe(2);
    const runId = (JSON.parse(output.out().split('\n')[0]!) as { runId: string }).runId;
    output.clear();
    expect(await main(['run', FAIL_SOME, '-i', INVENTORY, '--limit', `@failed:${runId.slice(0, 8)}`, '--list-hosts'])).toBe(0);
    expect(hostsListed()).toEqual(['web2', 'db1']);
    output.clear();
    expect(await main(['run', FAIL_SOME, '-i', INVENTORY, '--limit', `@failed:${runId}`, '--json'])).toBe(0);
    expect(await main(['run', FAIL_SOME, '-i', INVENTORY, '--limit', '@failed:0000', '--list-hosts'])).toBe(5);
    expect(output.err()).toContain('no run with id "0000"');
  });
});
