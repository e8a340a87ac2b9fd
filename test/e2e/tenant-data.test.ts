import { randomBytes } from 'node:crypto';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { $ } from 'zx';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enterArgv } from '../lab/host-fs.js';
import { canRunLab, useLab } from '../lab/use-lab.js';
import { ensureBuilt, onHost, resultsOf, said, tempHome, vsa } from './faults-support/vsa.js';

const PLAYBOOK = 'test/e2e/playbooks/tenant-data.ts';
const ROOT = '/srv/vsa-tenant';

/** A tenant's files on a lab host through the built binary: secrets in diffs, planted links, huge output. */
describe.skipIf(!canRunLab)('tenant data on a lab host', () => {
  const lab = useLab({ hosts: 1 });
  let home: { dir: string; remove(): Promise<void> };
  beforeAll(async () => {
    home = await tempHome('tenant-data');
    await ensureBuilt();
  });
  afterAll(() => home?.remove());
  const run = (...args: string[]) => vsa(['run', PLAYBOOK, '-i', lab().inventoryFile, '--json', ...args], home.dir);
  const sh = async (text: string) => (await $({ quiet: true })`${[...enterArgv(lab().host('h01')), 'sh', '-c', text]}`).stdout;

  it('--check --diff of a stack .env and a compose file shows no secret in stdout, audit.jsonl or SQLite', async () => {
    const s = (what: string) => `${what}-${randomBytes(6).toString('hex')}`;
    const secrets = [s('sk-master'), s('db-pass'), s('signing'), s('redis-pw'), s('url-pw')];
    const [master, dbPass, signing, redisPw, urlPw] = secrets;
    const env = `${home.dir}/stack.env`;
    await writeFile(env, `LITELLM_MASTER_KEY=${master}\nDB_PASS=${dbPass}\nSIGNING_KEY='${signing}'\n`, { mode: 0o600 });
    const vars = `${home.dir}/vars.yml`;
    await writeFile(
      vars,
      [
        `env: ${env}`,
        `compose: "services:\\n  app:\\n    environment:\\n      REDIS_URL: redis://:${redisPw}@redis:6379/0\\n"`,
        `url: "postgresql://app:${urlPw}@db/app"`,
        '',
      ].join('\n'),
    );
    const r = await run('--check', '--diff', '-e', `@${vars}`);
    expect(r.code, said(r)).toBe(0);
    const byTask = Object.fromEntries(resultsOf(r.events).map((e) => [e.task, e]));
    expect(byTask['env file']!.diff).toContain('+LITELLM_MASTER_KEY=***\n+DB_PASS=***\n+SIGNING_KEY=***\n');
    expect(byTask['compose file']!.diff).toContain('REDIS_URL: redis://:***@redis:6379/0');
    expect(byTask['print the url']!.data).toMatchObject({ stdout: 'postgresql://app:***@db/app\n' });

    const plain = await vsa(['run', PLAYBOOK, '-i', lab().inventoryFile, '--check', '--diff', '-e', `@${vars}`], home.dir);
    expect(plain.code, said(plain)).toBe(0);
    const stored = (await readdir(home.dir)).filter((f) => f.startsWith('vsa.db') || f.startsWith('audit.jsonl'));
    expect(stored).toEqual(expect.arrayContaining(['vsa.db', 'audit.jsonl']));
    const places: [string, string | Buffer][] = [
      ['--json stdout', r.stdout],
      ['plain stdout', plain.stdout],
      ['stderr', r.stderr + plain.stderr],
      ...(await Promise.all(stored.map(async (f): Promise<[string, Buffer]> => [f, await readFile(`${home.dir}/${f}`)]))),
    ];
    for (const [where, text] of places) {
      for (const secret of secrets) expect(Buffer.from(text).includes(secret!), `${secret} in ${where}`).toBe(false);
    }
  });

  it('a compose.yml planted as a link to an NGINX config is replaced; the config keeps its bytes and mode', async () => {
    await sh(
      `mkdir -p ${ROOT} && printf 'server { listen 81; }\\n' > /etc/nginx/victim.conf && chmod 0600 /etc/nginx/victim.conf && ln -sfn /etc/nginx/victim.conf ${ROOT}/compose.yml`,
    );
    const r = await run('--diff');
    expect(r.code, said(r)).toBe(0);
    const compose = resultsOf(r.events).find((e) => e.task === 'compose file')!;
    expect(compose).toMatchObject({ status: 'changed', message: `replaced the symbolic link ${ROOT}/compose.yml with a file` });
    expect(compose.diff).not.toContain('listen 81');
    expect(await sh(`stat -c '%F %a' ${ROOT}/compose.yml /etc/nginx/victim.conf; cat /etc/nginx/victim.conf`)).toBe(
      'regular file 644\nregular file 600\nserver { listen 81; }\n',
    );
    expect(await readFile(onHost(lab(), 'h01', `${ROOT}/compose.yml`), 'utf8')).toBe('services: {}\n');
  });

  it('100 MB of output from a command is recorded capped, with the bytes cut and its tail intact', async () => {
    const r = await run('-e', 'big=true');
    expect(r.code, said(r)).toBe(0);
    const out = String(resultsOf(r.events)[0]!.data && (resultsOf(r.events)[0]!.data as { stdout: string }).stdout);
    expect(out.length).toBeLessThan(10 * 1024 * 1024);
    expect(out).toMatch(/^x+\n\[vsa: \d+ bytes of output cut\]\nx+the end\n$/);
    const cut = Number(/\[vsa: (\d+) bytes/.exec(out)![1]);
    expect(out.length - `\n[vsa: ${cut} bytes of output cut]\n`.length + cut).toBe(100_000_000 + 'the end\n'.length);
  }, 300_000);
});
