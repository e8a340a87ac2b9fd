import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { htpasswd } from '../../modules/htpasswd.js';
import { nginxReload } from '../../modules/nginx-reload.js';
import { nginxVhost } from '../../modules/nginx-vhost.js';
import { startModulesLab, type ModulesLab } from './modules-lab.js';

const SITE = 'site.lab.test';
const VHOST = `/etc/nginx/conf.d/${SITE}.conf`;
const AUTH_FILE = `/etc/nginx/htpasswd/${SITE}`;
let t: ModulesLab;

const vhost = (body: string, extra = '') =>
  `server {\n\tlisten 80;\n\tserver_name ${SITE};\n${extra}\tlocation / {\n\t\treturn 200 "${body}\\n";\n\t}\n}\n`;

// `return` would answer before the access phase: serve a file so auth_basic applies.
const privateArea = `\tlocation /private {\n\t\tauth_basic "private";\n\t\tauth_basic_user_file ${AUTH_FILE};\n\t\troot /var/www/html;\n\t\ttry_files /index.html =404;\n\t}\n`;

beforeAll(async () => {
  t = await startModulesLab(2, { only: ['nginx'] });
  await t.pointDomain(SITE, 'h01');
});

afterAll(async () => {
  await t?.close();
});

/** What NGINX on h01 answers for `path`, once a reload has taken effect (it is asynchronous). */
async function fetchUntil(
  path: string,
  want: (r: { status: string; body: string }) => boolean,
  auth?: string,
) {
  let last = { status: '', body: '' };
  for (let i = 0; i < 40; i++) {
    const r = await t.curl(SITE, [
      ...(auth ? ['-u', auth] : []),
      '-w',
      '\n%{http_code}',
      `http://${SITE}${path}`,
    ]);
    const cut = r.stdout.lastIndexOf('\n');
    last = { status: r.stdout.slice(cut + 1), body: r.stdout.slice(0, cut).replace(/\n$/, '') };
    if (want(last)) return last;
    await sleep(50);
  }
  return last;
}

const reload = async (host = 'h01') => {
  const r = await t.run(host, nginxReload, {});
  expect(r.status, r.message).toBe('changed');
};
const sha = async (host: string, path: string) =>
  (await t.sh(host, `sha256sum ${path}`)).stdout.split(' ')[0];

describe('nginx_vhost on lab hosts', () => {
  it('in check mode reports changed and writes nothing', async () => {
    const r = await t.run('h02', nginxVhost, { name: SITE, content: vhost('v1') }, { check: true });
    expect(r.status).toBe('changed');
    expect((await t.sh('h02', `test -e ${VHOST}`)).code).not.toBe(0);
  });

  it('writes the vhost once (changed, then ok) and NGINX serves it after the reload', async () => {
    const first = await t.run('h01', nginxVhost, { name: SITE, content: vhost('v1') }, { diff: true });
    expect(first.status, first.message).toBe('changed');
    expect(first.diff).toContain(`+\tserver_name ${SITE};`);
    expect((await t.sh('h01', `cat ${VHOST}`)).stdout).toBe(vhost('v1'));
    await reload();
    expect(await fetchUntil('/', (r) => r.body === 'v1')).toEqual({ status: '200', body: 'v1' });

    const second = await t.run('h01', nginxVhost, { name: SITE, content: vhost('v1') });
    expect(second.status, second.message).toBe('ok');
  });

  it('shows the real diff of a change', async () => {
    const r = await t.run('h01', nginxVhost, { name: SITE, content: vhost('v2') }, { diff: true });
    expect(r.status).toBe('changed');
    expect(r.diff).toMatch(/^-\t\treturn 200 "v1\\n";$/m);
    expect(r.diff).toMatch(/^\+\t\treturn 200 "v2\\n";$/m);
    await reload();
    expect((await fetchUntil('/', (x) => x.body === 'v2')).body).toBe('v2');
  });

  it('a broken vhost fails with nginx’s message and leaves the previous file and NGINX as they were', async () => {
    const before = await sha('h01', VHOST);
    const r = await t.run('h01', nginxVhost, { name: SITE, content: vhost('v3', '\tbogus_directive on;\n') });
    expect(r.status).toBe('failed');
    expect(r.message).toMatch(
      /unknown directive "bogus_directive" in \/etc\/nginx\/conf\.d\/site\.lab\.test\.conf/,
    );
    expect(await sha('h01', VHOST)).toBe(before);
    expect((await t.sh('h01', 'nginx -t')).code).toBe(0);
    expect(await fetchUntil('/', (x) => x.body === 'v2')).toEqual({ status: '200', body: 'v2' });
  });
});

describe('htpasswd entries accepted by NGINX', () => {
  const alice = { path: AUTH_FILE, user: 'alice', password: 'correct horse', group: 'www-data' };
  const lineOf = async (user: string) => (await t.sh('h01', `grep '^${user}:' ${AUTH_FILE}`)).stdout.trim();

  it('in check mode reports changed and writes nothing', async () => {
    const r = await t.run('h02', htpasswd, alice, { check: true });
    expect(r.status).toBe('changed');
    expect((await t.sh('h02', `test -e ${AUTH_FILE}`)).code).not.toBe(0);
  });

  it('adds a user once, mode 0640 for NGINX’s group, bcrypt $2y$', async () => {
    await t.sh('h01', `mkdir -p ${AUTH_FILE.replace(/\/[^/]+$/, '')}`);
    const first = await t.run('h01', htpasswd, alice);
    expect(first.status, first.message).toBe('changed');
    expect(await lineOf('alice')).toMatch(/^alice:\$2y\$1\d\$/);
    expect((await t.sh('h01', `stat -c '%a %G' ${AUTH_FILE}`)).stdout.trim()).toBe('640 www-data');
    expect((await t.run('h01', htpasswd, alice)).status).toBe('ok');
  });

  it('NGINX lets the right password in (200) and keeps a wrong one out (401)', async () => {
    expect((await t.run('h01', nginxVhost, { name: SITE, content: vhost('v2', privateArea) })).status).toBe(
      'changed',
    );
    await reload();
    // Old workers keep accepting for a moment after a reload and answer `200 v2` to any path, so
    // each wait is for an answer only the new configuration gives.
    expect((await fetchUntil('/private', (x) => x.status === '401')).status).toBe('401');
    const page = { status: '200', body: 'nginx on h01' };
    expect(await fetchUntil('/private', (x) => x.body === page.body, 'alice:correct horse')).toEqual(page);
    expect((await fetchUntil('/private', (x) => x.status === '401', 'alice:wrong')).status).toBe('401');
  });

  it('adds and removes another user without touching the first', async () => {
    const aliceLine = await lineOf('alice');
    const bob = { path: AUTH_FILE, user: 'bob', password: 'hunter2 hunter2', group: 'www-data' };
    expect((await t.run('h01', htpasswd, bob)).status).toBe('changed');
    expect(await lineOf('alice')).toBe(aliceLine);
    expect((await fetchUntil('/private', () => true, 'bob:hunter2 hunter2')).status).toBe('200');

    expect((await t.run('h01', htpasswd, { path: AUTH_FILE, user: 'bob', state: 'absent' })).status).toBe(
      'changed',
    );
    expect(await lineOf('alice')).toBe(aliceLine);
    expect((await fetchUntil('/private', () => true, 'bob:hunter2 hunter2')).status).toBe('401');
    expect((await fetchUntil('/private', () => true, 'alice:correct horse')).status).toBe('200');
  });
});
