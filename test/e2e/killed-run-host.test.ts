import { readFile, stat } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canRunLab, useLab } from '../lab/use-lab.js';
import { ensureBuilt, onHost, said, startVsa, tempHome, vsa } from './faults-support/vsa.js';
import { SLOW } from './playbook-files.js';

/** Writes a line a second to a file for N seconds: the command of a run killed in it. */
const SLOW_WRITE = 'test/e2e/playbooks/slow-write.ts';

/** What a run killed with SIGKILL leaves running on a host, and what the next run does about it. */
describe.skipIf(!canRunLab)('a run killed while its command still changes the host', () => {
  const lab = useLab({ hosts: 1 });
  let home: { dir: string; remove(): Promise<void> };
  beforeAll(async () => {
    home = await tempHome('killed-cmd');
    await ensureBuilt();
  });
  afterAll(() => home?.remove());

  it('the next run never changes the host while the killed run’s command is still changing it', async () => {
    const log = '/srv/killed-cmd.log';
    const seconds = 8;
    const first = startVsa(
      [
        'run',
        SLOW_WRITE,
        '-e',
        `file=${log}`,
        '-e',
        `seconds=${seconds}`,
        '-i',
        lab().inventoryFile,
        '--json',
      ],
      home.dir,
    );
    await first.until((events) => events.some((e) => e.type === 'task:start' && e.task === 'slow write'));
    await sleep(1_500);
    first.child.kill('SIGKILL');
    expect((await first.done).signal).toBe('SIGKILL');

    const root = `/srv/after-killed-cmd-${Date.now()}`;
    const second = await vsa(
      ['run', SLOW, '-e', `root=${root}`, '-i', lab().inventoryFile, '--json'],
      home.dir,
    );
    // Let the killed run's command finish, whatever it still does.
    await sleep((seconds + 1) * 1000);
    const writes = (await readFile(onHost(lab(), 'h01', log), 'utf8')).trim().split('\n').map(Number);
    if (second.code === 0) {
      // It ran: it says it stopped the killed run's command, and nothing of the killed run may have
      // changed the host after it did (its file `after`).
      expect(second.stderr, said(second)).toMatch(/killed \d+ process\(es\) still running from the dead run/);
      const changed = (await stat(onHost(lab(), 'h01', `${root}/after`))).mtimeMs / 1000;
      expect(
        writes.filter((t) => t > changed),
        said(second),
      ).toEqual([]);
    } else {
      expect(second.stdout, said(second)).toMatch(/locked by another run/);
    }
  });
});
