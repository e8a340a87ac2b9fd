import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canRunLab } from '../lab/use-lab.js';
import { expectStatuses, resultOf, useBinaryLab, type VsaResult } from './run-vsa.js';

const PLAYBOOK = 'test/e2e/playbooks/nginx-site.ts';
const SITE = 'bin.lab.test';
const VHOST = `/etc/nginx/conf.d/${SITE}.conf`;
const AUTH_FILE = `/etc/nginx/htpasswd/${SITE}`;
const PASS1 = 'correct horse battery';
const PASS2 = 'staple staple staple';

describe.skipIf(!canRunLab)('nginx_vhost and htpasswd through vsa run on lab hosts', () => {
  const { lab, sh, vsa } = useBinaryLab(2, { only: ['nginx'] });
  const run = (host: string, ...args: string[]) =>
    vsa(PLAYBOOK, '--limit', host, '-e', `site=${SITE}`, ...args);
  // A secret param comes from a file, never the command line (vsa refuses `-e password=…`).
  let secrets: string;
  beforeAll(async () => {
    secrets = await mkdtemp(join(tmpdir(), 'vsa-secrets-'));
    await writeFile(join(secrets, 'pass1.yml'), `password: ${JSON.stringify(PASS1)}\n`, { mode: 0o600 });
    await writeFile(join(secrets, 'pass2.yml'), `password: ${JSON.stringify(PASS2)}\n`, { mode: 0o600 });
  });
  afterAll(() => rm(secrets, { recursive: true, force: true }));
  const password = (n: 1 | 2) => `@${join(secrets, `pass${n}.yml`)}`;

  /** HTTP status and body from h01's NGINX, polled until `want` holds: a reload takes effect asynchronously. */
  async function fetchUntil(path: string, want: RegExp, auth?: string): Promise<string> {
    let got = '';
    for (let i = 0; i < 40 && !want.test(got); i++) {
      if (i) await sleep(50);
      const args = [...(auth ? ['-u', auth] : []), '-w', ' %{http_code}', `http://${SITE}${path}`];
      got = (await lab().curl(SITE, args)).stdout.replace(/\s+/g, ' ').trim();
    }
    return got;
  }
  const noSecrets = (r: VsaResult) => {
    expect(r.output).not.toMatch(/\$2[aby]\$/);
    expect(r.output).not.toContain(PASS1);
    expect(r.output).not.toContain(PASS2);
  };

  it('--check --diff on a fresh host shows the vhost and a masked user, and writes nothing', async () => {
    const r = await run('h02', '--check', '--diff', '-e', password(1));
    expectStatuses(r, 'h02', {
      'auth dir': 'changed',
      alice: 'changed',
      vhost: 'changed',
      'reload nginx': 'changed',
    });
    expect(resultOf(r, 'h02', 'vhost').diff).toMatch(/^\+\tserver_name bin\.lab\.test;$/m);
    expect(resultOf(r, 'h02', 'alice').diff).toMatch(/^\+alice:\*\*\* \(new hash\)$/m);
    noSecrets(r);
    expect(await sh('h02', `test -e /etc/nginx/htpasswd || test -e ${VHOST}; echo $?`)).toBe('1\n');
  });

  it('provisions once (changed, reloaded, served behind auth), then finds nothing to do', async () => {
    await lab().pointDomain(SITE, 'h01');
    const first = await run('h01', '-e', password(1));
    expectStatuses(first, 'h01', {
      'auth dir': 'changed',
      alice: 'changed',
      vhost: 'changed',
      'reload nginx': 'changed',
    });
    noSecrets(first);
    expect(await sh('h01', `stat -c '%a %G' ${AUTH_FILE}; cut -c1-13 ${AUTH_FILE}`)).toBe(
      '640 www-data\nalice:$2y$10$\n',
    );
    expect(await fetchUntil('/', /^rev 1 200$/)).toBe('rev 1 200');
    expect(await fetchUntil('/private', /^nginx on h01 200$/, `alice:${PASS1}`)).toBe('nginx on h01 200');

    const second = await run('h01', '-e', password(1));
    expectStatuses(second, 'h01', { 'auth dir': 'ok', alice: 'ok', vhost: 'ok' });
  });

  it('--diff shows the vhost’s real change and the user as user:***, never a hash', async () => {
    const before = await sh('h01', `cat ${VHOST}`);
    const r = await run('h01', '--diff', '-e', 'rev=2', '-e', password(2));
    expectStatuses(r, 'h01', {
      'auth dir': 'ok',
      alice: 'changed',
      vhost: 'changed',
      'reload nginx': 'changed',
    });
    expect(resultOf(r, 'h01', 'vhost').diff).toMatch(
      /^-\t\treturn 200 "rev 1\\n";\n\+\t\treturn 200 "rev 2\\n";$/m,
    );
    expect(resultOf(r, 'h01', 'alice').diff).toMatch(/^-alice:\*\*\*\n\+alice:\*\*\* \(new hash\)$/m);
    noSecrets(r);
    expect(await sh('h01', `cat ${VHOST}`)).toBe(before.replace('rev 1', 'rev 2'));
    expect(await fetchUntil('/', /^rev 2 200$/)).toBe('rev 2 200');
    expect(await fetchUntil('/private', /^nginx on h01 200$/, `alice:${PASS2}`)).toBe('nginx on h01 200');
    expect(await fetchUntil('/private', / 401$/, `alice:${PASS1}`)).toMatch(/ 401$/);
  });
});
