import { describe, expect, it } from 'vitest';
import { batches } from '../../../runner/executor/batches.js';
import { selectTasks } from '../../../runner/executor/select-tasks.js';
import type { Task } from '../../../runner/playbook/types.js';
import { kv } from './helpers.js';

const t = (name: string, tags?: string[]): Task => ({ name, module: kv, args: {}, tags });
const names = (ts: Task[]) => ts.map((x) => x.name);
const list = [t('plain'), t('web', ['web']), t('always', ['always']), t('never', ['never']), t('debug', ['never', 'debug'])];

describe('selectTasks', () => {
  it('runs untagged, tagged and always tasks but never `never` without --tags', () => {
    expect(names(selectTasks(list, {}))).toEqual(['plain', 'web', 'always']);
  });
  it('with --tags runs the matching tasks and always', () => {
    expect(names(selectTasks(list, { tags: ['web'] }))).toEqual(['web', 'always']);
    expect(names(selectTasks(list, { tags: ['debug'] }))).toEqual(['always', 'debug']);
    expect(names(selectTasks(list, { tags: ['untagged'] }))).toEqual(['plain', 'always']);
  });
  it('--skip-tags wins, even over always', () => {
    expect(names(selectTasks(list, { skipTags: ['always', 'web'] }))).toEqual(['plain']);
  });
  it('--start-at-task starts at the named task, and names an unknown one', () => {
    expect(names(selectTasks(list, { startAtTask: 'always' }))).toEqual(['always']);
    expect(() => selectTasks(list, { startAtTask: 'nope' })).toThrow(/no task named "nope"/);
  });
});

describe('batches', () => {
  const hosts = ['a', 'b', 'c', 'd', 'e'];
  it('splits by count and by percentage, at least one host per batch', () => {
    expect(batches(hosts, 2)).toEqual([['a', 'b'], ['c', 'd'], ['e']]);
    expect(batches(hosts, '40%')).toEqual([['a', 'b'], ['c', 'd'], ['e']]);
    expect(batches(hosts, '10%')).toHaveLength(5);
    expect(batches(hosts, undefined)).toEqual([hosts]);
  });
  it('rejects a serial that is neither', () => {
    expect(() => batches(hosts, 'half')).toThrow(/serial/);
  });
});
