import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const exec = promisify(execFile);
const root = resolve('.');

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a command to its end, whatever its exit code. */
async function sh(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env): Promise<Result> {
  try {
    const r = await exec(cmd, args, { cwd, env, maxBuffer: 64 * 1024 * 1024 });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (e) {
    const err = e as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof err.code === 'number' ? err.code : 1, stdout: err.stdout ?? '', stderr: err.stderr ?? '' };
  }
}
const said = (r: Result) => `exit ${r.code}\n${r.stdout}\n${r.stderr}`;

/** The environment of a user's shell: none of vitest's variables (they change how playbooks load). */
const userEnv = (extra: Record<string, string>): NodeJS.ProcessEnv => ({
  ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('VITEST'))),
  ...extra,
});

const PLAYBOOK = `import { definePlaybook, task, z, directory, command } from 'vsa';

export default definePlaybook({
  name: 'hello',
  description: 'a user playbook outside any vsa checkout',
  hosts: 'all',
  params: z.object({ path: z.string() }),
  tasks: ({ path }) => [
    task(directory, 'make it', { path, mode: '0700' }),
    task(command, 'look', { argv: ['ls', '-ld', path] }),
  ],
});
`;

/**
 * `npm pack` gives what an operator installs: built code, declarations, the web app, templates
 * and playbooks, no tests; installed from the tarball into an empty folder (its dependencies from
 * npm's cache, which `npm ci` filled; the registry only for what the cache lacks), `vsa --help`, `vsa check`, the user's own `tsc` and a run of a user playbook work
 * with nothing else installed.
 */
describe('the npm package', { timeout: 900_000 }, () => {
  let dir: string;
  let tarball: string;
  let files: string[];
  let install: Result;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'vsa-package-'));
    if (!existsSync(join(root, 'dist/cli/main.js')) || !existsSync(join(root, 'dist/index.d.ts'))) {
      await exec('npm', ['run', 'build'], { cwd: root });
    }
    if (!existsSync(join(root, 'dashboard/web/dist/index.html'))) await exec('npm', ['run', 'build:web'], { cwd: root });
    // The build is ensured above; --ignore-scripts keeps prepack from rebuilding dist/ under other tests.
    const packed = await exec('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dir], { cwd: root });
    const info = (JSON.parse(packed.stdout) as { filename: string; files: { path: string }[] }[])[0]!;
    tarball = join(dir, info.filename);
    files = info.files.map((f) => f.path);
    const app = join(dir, 'app');
    await exec('mkdir', [app]);
    await writeFile(join(app, 'package.json'), '{ "name": "ops", "private": true, "type": "module" }\n');
    install = await sh('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', tarball], app);
  }, 900_000);
  afterAll(() => rm(dir, { recursive: true, force: true }));
  const app = () => join(dir, 'app');

  it('holds the built code, its declarations, the web app, templates and playbooks, and no tests or sources', () => {
    for (const f of ['bin/vsa.js', 'dist/cli/main.js', 'dist/index.js', 'dist/index.d.ts', 'dist/playbooks/provision-site.js', 'dashboard/web/dist/index.html', 'templates/nginx/default-server.conf.njk', 'stacks/reverse-proxy/compose.yml', 'inventory/local.yml', 'package.json']) {
      expect(files, f).toContain(f);
    }
    expect(files.filter((f) => /(^|\/)test\/|\.test\.|\.map$/.test(f))).toEqual([]);
    expect(files.filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))).toEqual([]);
  });

  it('installs without an engine warning on this Node, and runtime dependencies only what runs', async () => {
    expect(install.code, said(install)).toBe(0);
    expect(install.stderr).not.toContain('EBADENGINE');
    const pkg = JSON.parse(await readFile(join(app(), 'node_modules/vsa/package.json'), 'utf8')) as { dependencies: Record<string, string> };
    // esbuild compiles a playbook file at run time; tsx only runs the project's own scripts.
    expect(Object.keys(pkg.dependencies)).toContain('esbuild');
    for (const dev of ['react', 'react-dom', 'vitest', 'tsx', 'pino']) expect(Object.keys(pkg.dependencies)).not.toContain(dev);
  });

  it('answers npx vsa --help', async () => {
    const r = await sh('npx', ['--no-install', 'vsa', '--help'], app());
    expect(r.code, said(r)).toBe(0);
    expect(r.stdout).toMatch(/^Usage: vsa /);
    expect(r.stdout).toContain('check');
  });

  it("type-checks a user playbook with vsa check and with the user's own tsc, nothing else installed", async () => {
    await writeFile(join(app(), 'hello.ts'), PLAYBOOK);
    const check = await sh('npx', ['--no-install', 'vsa', 'check', 'hello.ts'], app());
    expect(check.code, said(check)).toBe(0);
    const tsc = await sh('npx', ['--no-install', 'tsc', '--noEmit', '--strict', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--target', 'es2022', 'hello.ts'], app());
    expect(tsc.code, said(tsc)).toBe(0);
    await writeFile(join(app(), 'wrong.ts'), PLAYBOOK.replace("mode: '0700'", 'mode: 700'));
    const wrong = await sh('npx', ['--no-install', 'vsa', 'check', 'wrong.ts'], app());
    expect(wrong.code, said(wrong)).toBe(5);
    expect(wrong.stderr).toMatch(/wrong\.ts\(\d+,\d+\): error TS2322/);
  });

  it('runs the user playbook on the control machine and records the run', async () => {
    await writeFile(join(app(), 'hello.ts'), PLAYBOOK);
    const target = join(dir, 'made-by-playbook');
    const r = await sh(
      'npx',
      ['--no-install', 'vsa', 'run', './hello.ts', '-i', 'node_modules/vsa/inventory/local.yml', '-e', `path=${target}`, '--json'],
      app(),
      userEnv({ VSA_HOME: join(dir, 'home') }),
    );
    expect(r.code, said(r)).toBe(0);
    const end = r.stdout
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as { type: string; recap?: Record<string, { changed: number }> })
      .find((e) => e.type === 'run:end');
    expect(end?.recap?.localhost?.changed).toBe(2);
    expect(existsSync(target)).toBe(true);
    const history = await sh('npx', ['--no-install', 'vsa', 'history'], app(), userEnv({ VSA_HOME: join(dir, 'home') }));
    expect(history.stdout).toContain('hello');
  });
});
