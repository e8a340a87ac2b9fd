import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const VSA = `node ${resolve('bin/vsa.js')}`;

/** What `make ARGS` would run (make -n), one command a line, spaces squeezed. */
async function planned(...args: string[]): Promise<string[]> {
  const r = await run('make', ['-s', '-n', ...args]);
  return r.stdout
    .trim()
    .split('\n')
    .map((l) => l.replace(/\s+/g, ' ').trim());
}

async function refused(...args: string[]): Promise<string> {
  const r = await run('make', ['-s', '-n', ...args]).then(
    () => undefined,
    (e: { code: number; stderr: string }) => e,
  );
  expect(r?.code).toBe(2);
  return r!.stderr;
}

/** The root Makefile keeps the seed's targets, each a thin call of the CLI. */
describe('Makefile', () => {
  it('make help lists every target with what it does, and is the default', async () => {
    const { stdout } = await run('make', ['-s']);
    for (const t of ['provision-container', 'unprovision-container', 'sync-vhosts', 'check-certs', 'add-basic-auth', 'test']) {
      expect(stdout).toMatch(new RegExp(`^  ${t} +\\S`, 'm'));
    }
  });

  it.each([
    [
      ['provision-container', 'domain=shop.example.com', 'container=shop', 'port=3000', 'nowww=true'],
      `${VSA} site provision --domain 'shop.example.com' --port '3000' --container 'shop' --no-www`,
    ],
    [['unprovision-container', 'domain=shop.example.com'], `${VSA} site unprovision --domain 'shop.example.com'`],
    [['sync-vhosts', 'inventory=hosts.yml', 'limit=web'], `${VSA} vhost sync -i 'hosts.yml' -l 'web'`],
    [['check-certs'], `${VSA} cert status`],
    [
      ['add-basic-auth', 'domain=shop.example.com', 'user=ops', 'password_file=pw.txt'],
      `${VSA} auth add --domain 'shop.example.com' --user 'ops' --password-file 'pw.txt'`,
    ],
    [['remove-basic-auth', 'domain=shop.example.com'], `${VSA} auth remove --domain 'shop.example.com'`],
    [['test'], 'npm test'],
  ])('make %j runs the CLI', async (args, command) => {
    expect(await planned(...args)).toEqual([command]);
  });

  it('quotes values so a quote in one stays a quote', async () => {
    expect(await planned('unprovision-container', "domain=a'b")).toEqual([`${VSA} site unprovision --domain 'a'\\''b'`]);
  });

  it('stops naming a missing variable, and refuses a password on the command line', async () => {
    expect(await refused('provision-container', 'port=3000')).toContain('domain= is required: make provision-container domain=...');
    expect(await refused('add-basic-auth', 'domain=a.example.com', 'user=ops', 'password=hunter2')).toContain(
      'password= would show in ps and shell history: use password_file=FILE, VSA_AUTH_PASSWORD, or be prompted',
    );
  });

  it('really runs the CLI: a provision with --syntax-check builds the playbook and stops', async () => {
    const { stdout } = await run('make', ['-s', 'provision-container', 'domain=shop.example.com', 'container=shop', 'port=3000', 'args=--syntax-check']);
    expect(stdout).toMatch(/^playbook: .*provision-site\.(js|ts)\n$/);
  });
});
