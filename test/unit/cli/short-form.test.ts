import { afterEach, describe, expect, it, vi } from 'vitest';
import type { RunFlags } from '../../../cli/run-flags.js';

const runs: { playbook: string; flags: RunFlags }[] = [];
vi.mock('../../../cli/run-session.js', () => ({
  runPlaybookCommand: vi.fn((playbook: string, flags: RunFlags) => {
    runs.push({ playbook, flags });
    return Promise.resolve(0);
  }),
}));
const { main } = await import('../../../cli/main.js');

afterEach(() => {
  runs.length = 0;
});

describe('short forms', () => {
  it.each([
    [['--verbose', 'vhost', 'sync'], true],
    [['vhost', 'sync', '--verbose'], true],
    [['vhost', 'sync'], false],
  ])('%j runs vhost-sync with verbose %s, as `vsa run` does', async (argv, verbose) => {
    expect(await main(argv)).toBe(0);
    expect(runs).toEqual([{ playbook: 'vhost-sync', flags: expect.objectContaining({ verbose }) as RunFlags }]);
  });
});
