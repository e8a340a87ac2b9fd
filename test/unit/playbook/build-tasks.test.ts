import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { command } from '../../../modules/index.js';
import { UsageError } from '../../../runner/errors.js';
import { buildTasks } from '../../../runner/playbook/build-tasks.js';
import { HostReads } from '../../../runner/playbook/host-reads.js';
import { definePlaybook, task } from '../../../runner/playbook/define.js';
import type { Task, TaskOptions } from '../../../runner/playbook/types.js';

const playbook = (tasks: () => Task[], handlers?: () => Task[]) =>
  definePlaybook({ name: 'p', description: 'p', hosts: 'all', params: z.object({}), tasks, handlers });
const one = (opts: TaskOptions) => () => [task(command, 'wait', { argv: ['true'] }, opts)];

describe('buildTasks', () => {
  it('a throw in tasks() or handlers() is bad input naming the playbook file and the cause', () => {
    const boom = () => {
      throw new Error('no site list for this tenant');
    };
    expect(() => buildTasks(playbook(boom), {}, '/pb/site.ts')).toThrow(
      new UsageError('playbook /pb/site.ts: tasks() threw: no site list for this tenant'),
    );
    expect(() =>
      buildTasks(
        playbook(() => [], boom),
        {},
        '/pb/site.ts',
      ),
    ).toThrow(new UsageError('playbook /pb/site.ts: handlers() threw: no site list for this tenant'));
  });

  it.each([
    [
      { timeoutMs: 99_999_999_999 },
      'timeoutMs: must be at most 2147483647 ms (about 24.8 days, what a timer holds)',
    ],
    [{ delayMs: 2 ** 31 }, 'delayMs: must be at most 2147483647 ms (about 24.8 days, what a timer holds)'],
    [{ retries: 1e9 }, 'retries: Too big: expected number to be <=1000'],
    [{ timeoutMs: 0 }, 'timeoutMs: Too small: expected number to be >=1'],
  ])('a task option out of range (%o) is bad input naming the task', (opts, why) => {
    expect(() => buildTasks(playbook(one(opts)), {}, '/pb/site.ts')).toThrow(
      new UsageError(`playbook /pb/site.ts: task "wait": ${why}`),
    );
  });

  it('takes what a timer holds', () => {
    const { tasks } = buildTasks(playbook(one({ timeoutMs: 2 ** 31 - 1, delayMs: 0, retries: 1000 })), {});
    expect(tasks.map((t) => t.name)).toEqual(['wait']);
  });
});

describe('module arguments at load', () => {
  const hosts = [{ name: 'h1', vars: { dir: '/srv' }, results: {}, reads: new HostReads('h1') }];
  const withArgs = (args: unknown) => playbook(() => [task(command, 'list', args as never)]);
  it('a misspelt fixed argument is bad input naming the task, the key and the closest name', () => {
    expect(() => buildTasks(withArgs({ argv: ['ls'], chidr: '/srv' }), {}, '/pb/site.ts')).toThrow(
      new UsageError(
        'playbook /pb/site.ts: task "list": command has no argument "chidr" (did you mean chdir?) (its arguments: argv, creates, removes, chdir, env, checkSafe)',
      ),
    );
  });
  it('fixed arguments failing the schema are bad input too', () => {
    expect(() => buildTasks(withArgs({ argv: [] }), {}, '/pb/site.ts')).toThrow(/task "list": command arguments: argv: /);
  });
  it('a closure is called on the hosts before any connection and its keys are checked', () => {
    const pb = withArgs((h: { vars: { dir: string } }) => ({ argv: ['ls'], chidr: h.vars.dir }));
    expect(() => buildTasks(pb, {}, '/pb/site.ts', hosts)).toThrow(/task "list": command has no argument "chidr"/);
  });
  it('a closure that needs what earlier tasks found is left for its run', () => {
    const pb = withArgs((h: { reads: HostReads }) => ({ argv: [h.reads.get({ name: 'later' })] }));
    expect(() => buildTasks(pb, {}, '/pb/site.ts', hosts)).not.toThrow();
  });
});
