import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StackFileError } from '../../../playbooks/lib/stack-files.js';
import stackUp from '../../../playbooks/stack-up.js';
import { FakeConnection } from '../../../runner/connection/fake.js';
import { runPlay } from '../../../runner/executor/run-play.js';
import { validateParams } from '../../../runner/playbook/params.js';
import { bus, host, recorder } from '../executor/helpers.js';

/** What a control machine holds beside its stacks and must never show in a diff. */
const SECRET = 'ansible_become_pass: hunter2-control-machine';

let root: string;
let stacks: string;
let outside: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'vsa-stack-files-'));
  stacks = join(root, 'stacks');
  outside = join(root, 'inventory');
  mkdirSync(join(stacks, 'app', 'conf'), { recursive: true });
  mkdirSync(outside);
  writeFileSync(join(outside, 'prod.yml'), `${SECRET}\n`);
  // A stack that passes stack lint: the gate before any upload lets it through.
  cpSync('test/fixtures/stacks/clean', join(stacks, 'app'), { recursive: true });
  writeFileSync(join(stacks, 'app', 'compose.yml'), readFileSync(join(stacks, 'app', 'compose.yml'), 'utf8').replaceAll('clean-net', 'app-net'));
  writeFileSync(join(stacks, 'app', '.env.example'), 'APP_SECRET=change-me\n');
  writeFileSync(join(stacks, 'app', 'conf', 'app.conf'), 'listen 80;\n');
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

/** stack-up in check + diff mode on a fake host where no file exists yet: every upload is a full diff. */
function checkDiff(params: Record<string, unknown>) {
  const rec = recorder();
  const conns: FakeConnection[] = [];
  const run = runPlay({
    playbook: stackUp,
    params: validateParams(stackUp, params),
    hosts: [host('web01')],
    connect: async (h) => {
      const c = new FakeConnection(h.name, () => ({ stdout: 'exists=0\n' }));
      conns.push(c);
      return c;
    },
    bus: bus(rec),
    options: { forks: 1, check: true, diff: true, extraVars: {} },
    actor: 'tester',
    origin: 'script',
  });
  return { run, rec, conns };
}

describe('stack-up uploads the stack and nothing from outside it', () => {
  it('diffs the stack files in check mode', async () => {
    const { run, rec } = checkDiff({ name: 'app', dir: stacks });
    await run;
    const diffs = Object.fromEntries(rec.events.flatMap((e) => (e.type === 'task:result' && e.diff ? [[e.task, e.diff]] : [])));
    expect(diffs).toMatchObject({ 'compose.yml': expect.stringContaining('+services:'), 'conf/app.conf': expect.stringContaining('+listen 80;') });
  });

  const refusals: [string, () => void, RegExp][] = [
    ['a .env linked to a file outside', () => symlinkSync(join(outside, 'prod.yml'), join(stacks, 'app', '.env')), /app\/\.env: is a symbolic link/],
    ['a config file linked outside', () => symlinkSync(join(outside, 'prod.yml'), join(stacks, 'app', 'conf', 'extra.conf')), /extra\.conf: is a symbolic link/],
    ['a directory linked outside', () => symlinkSync(outside, join(stacks, 'app', 'inventory')), /app\/inventory: is a symbolic link/],
    ['a stack directory that is a link outside', () => symlinkSync(outside, join(stacks, 'inv')), /stacks\/inv: resolves to .*inventory, which is not a directory inside/],
  ];
  for (const [what, plant, message] of refusals) {
    it(`refuses ${what} before connecting to any host, and no diff shows its content`, async () => {
      plant();
      const name = what.startsWith('a stack directory') ? 'inv' : 'app';
      const { run, rec, conns } = checkDiff({ name, dir: stacks });
      const err = await run.then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(StackFileError);
      expect((err as Error).message).toMatch(message);
      expect((err as StackFileError).exitCode).toBe(5);
      expect(conns).toEqual([]);
      expect(JSON.stringify(rec.events)).not.toContain('hunter2');
    });
  }
});

describe('stack-up checks the stack on the control machine before connecting', () => {
  const refusal = async (params: Record<string, unknown>) => {
    const { run, conns } = checkDiff(params);
    const err = await run.then(() => undefined, (e: unknown) => e as Error & { exitCode: number });
    expect(conns).toEqual([]);
    return err;
  };

  it('a stack that is not there: exit 5 naming the stacks that are', async () => {
    const err = await refusal({ name: 'ap', dir: stacks });
    expect(err?.exitCode).toBe(5);
    expect(err?.message).toBe(`no such stack in ${stacks}: ap (stacks: app)`);
  });

  it('a stack that fails stack lint: exit 5 with the findings; skipLint of that rule lets it through', async () => {
    const compose = join(stacks, 'app', 'compose.yml');
    writeFileSync(compose, readFileSync(compose, 'utf8').replace('    restart: unless-stopped\n', ''));
    const err = await refusal({ name: 'app', dir: stacks });
    expect(err?.exitCode).toBe(5);
    expect(err?.message).toMatch(/^stack app does not pass stack lint \(1 finding\(s\)\)/);
    expect(err?.message).toContain(`${compose}:3 restart-policy service "app" must have restart: unless-stopped`);

    const { run, conns } = checkDiff({ name: 'app', dir: stacks, skipLint: 'restart-policy' });
    // Past the gate: the run goes to the (fake) host.
    await run;
    expect(conns).toHaveLength(1);
  });

  it('never skips compose-file: a compose file vsa cannot read is not deployed', async () => {
    expect(() => validateParams(stackUp, { name: 'app', skipLint: 'compose-file' })).toThrow(/skipLint/);
    writeFileSync(join(stacks, 'app', 'compose.yml'), 'services:\n  app: [unclosed\n');
    const err = await refusal({ name: 'app', dir: stacks, skipLint: 'healthcheck,restart-policy' });
    expect(err?.exitCode).toBe(5);
    expect(err?.message).toMatch(/compose\.yml:\d+ compose-file YAML: /);
  });
});
