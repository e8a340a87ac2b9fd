import { describe, expect, it } from 'vitest';
import {
  initSystemFact,
  isDebianFamily,
  netToolsFact,
  osFact,
  systemdMissing,
} from '../../../modules/facts/index.js';
import { withLocal } from './run-module-helper.js';

const res = (stdout: string) => ({ code: 0, stdout, stderr: '' });

describe('facts', () => {
  it('os: parses os-release (quotes, escapes) and uname', () => {
    const os = osFact.parse(
      res(
        'NAME="Ubuntu"\nID=ubuntu\nID_LIKE=debian\nVERSION_ID="24.04"\nVERSION_CODENAME=noble\nPRETTY_NAME="Ubuntu \\"Noble\\""\n__vsa_uname=Linux 6.8.0 x86_64\n',
      ),
    );
    expect(os).toEqual({
      id: 'ubuntu',
      idLike: ['debian'],
      versionId: '24.04',
      codename: 'noble',
      prettyName: 'Ubuntu "Noble"',
      kernel: 'Linux',
      kernelRelease: '6.8.0',
      arch: 'x86_64',
    });
    expect(isDebianFamily(os)).toBe(true);
    expect(osFact.parse(res('__vsa_uname=Linux 6 aarch64\n'))).toMatchObject({
      id: 'unknown',
      idLike: [],
      arch: 'aarch64',
    });
  });

  it('init-system: systemd running, installed only, or absent', () => {
    expect(
      systemdMissing(initSystemFact.parse(res('systemd=1\nsystemctl=1\npid1=systemd\n'))),
    ).toBeUndefined();
    expect(systemdMissing(initSystemFact.parse(res('systemctl=1\npid1=bash\n')))).toBe(
      'systemd is installed but not running on this host (PID 1 is bash)',
    );
  });

  it('all three read this machine through a real shell', () =>
    withLocal(async (conn) => {
      const os = osFact.parse(await conn.exec(osFact.command));
      expect(os.kernel).toBe('Linux');
      expect(os.id).not.toBe('unknown');
      const init = initSystemFact.parse(await conn.exec(initSystemFact.command));
      expect(init.pid1).not.toBe('unknown');
      const tools = netToolsFact.parse(await conn.exec(netToolsFact.command));
      expect(tools.bash).toBe(true);
    }));
});
