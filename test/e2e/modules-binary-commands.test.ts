import { describe, expect, it } from 'vitest';
import type { TaskStatus } from '../../runner/events/types.js';
import { canRunLab } from '../lab/use-lab.js';
import { expectStatuses, resultOf, useBinaryLab } from './run-vsa.js';

const PLAYBOOK = 'test/e2e/playbooks/commands.ts';
const ROOT = '/srv/vsa-cmd';
const CRON_FILE = `${ROOT}/cron.d/vsa-e2e`;
const NO_SYSTEMD = /^systemd is (installed but not running|not available) on this host \(PID 1 is /;

describe.skipIf(!canRunLab)(
  'command, shell, cron, wait_for, apt and systemd through vsa run on lab hosts',
  () => {
    const { sh, vsa } = useBinaryLab(2, { only: ['nginx'] });

    it('--check on a fresh host: commands skipped, reads run, cron and apt report what they would change; nothing written', async () => {
      const r = await vsa(PLAYBOOK, '--limit', 'h02', '--check', '--diff', '-e', 'removePkg=curl');
      expectStatuses(r, 'h02', {
        'make dirs': 'skipped',
        greeting: 'skipped',
        hostname: 'ok',
        'backup entry': 'changed',
        'nginx port': 'ok',
        'nginx url': 'ok',
        'closed port': 'ok',
        coreutils: 'ok',
        'remove package': 'changed',
        'cache fresh': 'ok',
        unit: 'failed',
      });
      expect(resultOf(r, 'h02', 'hostname').data).toMatchObject({ rc: 0, stdout: 'h02\n' });
      expect(resultOf(r, 'h02', 'backup entry').diff).toMatch(
        /^\+# VSA: e2e backup\n\+\*\/5 \* \* \* \* root \/usr\/bin\/true rev1$/m,
      );
      const remove = resultOf(r, 'h02', 'remove package');
      expect(remove.message).toBe('remove curl');
      expect(remove.diff).toMatch(/^-curl \S+$/m);
      expect(await sh('h02', `test -e ${ROOT}; echo $?`)).toBe('1\n');
      expect(await sh('h02', "dpkg-query -W -f '${Status}' curl")).toBe('install ok installed');
    });

    it('runs once (changed), then finds nothing to do; apt present costs one round trip; systemd fails clearly', async () => {
      const first = await vsa(PLAYBOOK, '--limit', 'h01');
      const reads: Record<string, TaskStatus> = {
        hostname: 'ok',
        'nginx port': 'ok',
        'nginx url': 'ok',
        'closed port': 'ok',
        coreutils: 'ok',
      };
      expectStatuses(first, 'h01', {
        'make dirs': 'changed',
        greeting: 'changed',
        'backup entry': 'changed',
        ...reads,
        unit: 'failed',
      });
      const unit = resultOf(first, 'h01', 'unit');
      expect(unit.message).toMatch(NO_SYSTEMD);
      expect(unit.ignored).toBe(true);
      expect(first.recap.h01).toMatchObject({ changed: 3, failed: 0, ignored: 1 });
      expect(resultOf(first, 'h01', 'nginx port').data).toMatchObject({ waited: 0 });
      expect(await sh('h01', `cat ${ROOT}/greeting.txt ${CRON_FILE}; stat -c %a ${CRON_FILE}`)).toBe(
        'hello from h01\n# VSA: e2e backup\n*/5 * * * * root /usr/bin/true rev1\n644\n',
      );

      const second = await vsa(PLAYBOOK, '--limit', 'h01');
      expectStatuses(second, 'h01', {
        'make dirs': 'ok',
        greeting: 'ok',
        'backup entry': 'ok',
        ...reads,
        unit: 'failed',
      });
      expect(resultOf(second, 'h01', 'greeting').message).toBe(`not run: ${ROOT}/greeting.txt exists`);
      expect(resultOf(second, 'h01', 'coreutils').roundTrips).toBe(1);
      expect(resultOf(second, 'h01', 'unit').message).toMatch(NO_SYSTEMD);
    });

    it('--diff shows the cron entry’s real change, and only that entry’s line changes', async () => {
      await sh('h01', `printf '%s\\n' '# VSA: other' '0 1 * * * root /bin/other' >> ${CRON_FILE}`);
      const r = await vsa(PLAYBOOK, '--limit', 'h01', '-e', 'rev=2', '--diff');
      expect(r.code, r.output).toBe(0);
      const entry = resultOf(r, 'h01', 'backup entry');
      expect(entry.status).toBe('changed');
      expect(entry.diff).toMatch(
        /^ # VSA: e2e backup\n-\*\/5 \* \* \* \* root \/usr\/bin\/true rev1\n\+\*\/5 \* \* \* \* root \/usr\/bin\/true rev2\n # VSA: other$/m,
      );
      expect(await sh('h01', `cat ${CRON_FILE}`)).toBe(
        '# VSA: e2e backup\n*/5 * * * * root /usr/bin/true rev2\n# VSA: other\n0 1 * * * root /bin/other\n',
      );
    });
  },
);
